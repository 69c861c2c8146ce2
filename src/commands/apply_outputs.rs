//! What a user needs once apply is done: the DNS name of each load
//! balancer the plan created or changed and the name of each record set it
//! wrote, as text or JSON on stdout. Built from the plan and the live
//! index, which the executor keeps up to date (a load balancer created by
//! this apply has its DNS name there).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::aws::Index;
use crate::plan::{Kind, Plan, StepAction};

/// The load balancers (name -> DNS name, if known) and record sets
/// (`name type`) an applied plan created or changed.
#[derive(Debug, Default, PartialEq)]
pub struct Outputs {
    pub load_balancers: BTreeMap<String, Option<String>>,
    pub records: BTreeSet<String>,
}

impl Outputs {
    /// What `plan` created or changed; DNS names from `index`.
    pub fn of(plan: &Plan, index: &Index) -> Outputs {
        let live = index.load_balancers();
        let mut out = Outputs::default();
        let deleted: BTreeSet<&str> = plan
            .steps
            .iter()
            .filter(|s| s.kind == Kind::LoadBalancer && s.action == StepAction::Delete)
            .map(|s| s.name.as_str())
            .collect();
        for s in &plan.steps {
            match s.kind {
                Kind::LoadBalancer | Kind::Listener | Kind::Rule => {
                    let name = s.name.split(':').next().unwrap_or(&s.name);
                    if !deleted.contains(name) {
                        let dns = live.get(name).and_then(|e| e.dns_name.clone());
                        out.load_balancers.insert(name.to_string(), dns);
                    }
                }
                Kind::RecordSet if s.action != StepAction::Delete && !s.is_ownership_record() => {
                    out.records.insert(s.name.clone());
                }
                _ => {}
            }
        }
        out
    }

    /// Nothing to show.
    pub fn is_empty(&self) -> bool {
        self.load_balancers.is_empty() && self.records.is_empty()
    }

    /// For people: one line per load balancer and record set.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (name, dns) in &self.load_balancers {
            let dns = dns.as_deref().unwrap_or("(DNS name not known)");
            let _ = writeln!(out, "load_balancer {name}: {dns}");
        }
        for r in &self.records {
            let _ = writeln!(out, "record_set {r}");
        }
        out
    }

    /// For machines: `{"load_balancers": [{"name", "dns_name"}],
    /// "record_sets": [{"name", "type"}]}`.
    pub fn json(&self) -> Value {
        let lbs: Vec<Value> = self
            .load_balancers
            .iter()
            .map(|(name, dns)| json!({ "name": name, "dns_name": dns }))
            .collect();
        let records: Vec<Value> = self
            .records
            .iter()
            .map(|r| {
                let (name, rtype) = r.rsplit_once(' ').unwrap_or((r, ""));
                json!({ "name": name, "type": rtype })
            })
            .collect();
        json!({ "load_balancers": lbs, "record_sets": records })
    }
}
