//! Fixed per-load-balancer limits of Elastic Load Balancing that AWS does
//! not raise, checked offline. Limits an account can have raised (rules
//! and listeners per load balancer, certificates, load balancers and
//! target groups per region) are checked at plan time against the
//! account's own values (`crate::quotas`); target groups per forward (5)
//! and condition values and wildcards per rule (5) are checked where the
//! action and the conditions are (`action`, `conditions`).
//!
//! "Target Groups per Application Load Balancer: 100, not adjustable"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html>).

use std::collections::BTreeSet;

use crate::quotas::TARGET_GROUPS_PER_ALB;
use crate::spec::diag::Check;
use crate::spec::raw::{RawAction, RawForward, RawListener};

/// At most 100 distinct target groups across the actions of one
/// application load balancer; reported at its `listeners`.
pub fn target_groups_per_alb(c: &mut Check, lb_type: &str, listeners: &[RawListener]) {
    if lb_type != "application" {
        return;
    }
    let mut groups: BTreeSet<&str> = BTreeSet::new();
    for l in listeners {
        let rules = l.rules.iter().flatten().filter_map(|r| r.action.as_ref());
        for action in l.default_action.iter().chain(rules) {
            groups.extend(names(action));
        }
    }
    let limit = TARGET_GROUPS_PER_ALB.default as usize;
    if groups.len() > limit {
        c.hint(
            "listeners",
            format!(
                "the listeners and rules forward to {} target groups; AWS takes at most {limit} \
                 per application load balancer (`{}`, not adjustable)",
                groups.len(),
                TARGET_GROUPS_PER_ALB.name
            ),
            "spread the routes over more load balancers",
        );
    }
}

/// The target groups (names or ARNs) an action forwards to.
fn names(action: &RawAction) -> Vec<&str> {
    match &action.forward {
        Some(RawForward::Name(n)) => vec![n.as_str()],
        Some(RawForward::Map(m)) => m
            .arn
            .iter()
            .map(String::as_str)
            .chain(
                m.target_groups
                    .iter()
                    .flatten()
                    .filter_map(|w| w.name.as_deref().or(w.arn.as_deref())),
            )
            .collect(),
        None => vec![],
    }
}
