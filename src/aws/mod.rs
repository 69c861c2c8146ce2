//! The only code that touches the AWS SDK: building clients, reading live
//! state into a [`Model`], resolving EC2 selectors and executing plan steps.
//! SDK types and ARNs stay inside this module.
//!
//! Files: `client` (configuration, call counting, errors), `ec2`
//! (selectors), `read` (live state), `fetch` (the paged describe calls
//! behind it), `convert` (SDK <-> model), `execute` (plan steps),
//! `route53` (hosted zones, record sets and health checks: read and
//! execute), `shift` and `shift_record` (`lbctl shift`), `throttle`
//! (client-side pacing to AWS's request buckets).

mod calls;
mod client;
mod convert;
mod convert_auth;
mod ec2;
mod execute;
mod export;
mod fetch;
mod gates;
mod instances;
mod limits;
mod read;
mod read_auth;
mod read_listener_attributes;
mod route53;
pub mod shift;
pub mod shift_record;
mod ssm;
mod target_zones;
mod targets;
mod throttle;
mod unmanaged;
mod zones;

pub use targets::{TargetGroupInfo, TargetHealth, TargetState};
pub use throttle::RateLimits;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

use crate::model::dns::RecordKey;
use crate::model::Model;
use crate::plan::Step;
use crate::spec::{Resolved, Selector, SelectorKind};

/// Where and how to reach AWS; `None` falls back to the SDK's chain.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Client-side pacing of calls (`--api-throttle`).
    pub rate_limits: RateLimits,
    /// The longest one AWS call may take, retries included
    /// (`--api-timeout`); `None` for [`DEFAULT_API_TIMEOUT`].
    pub api_timeout: Option<std::time::Duration>,
}

/// How long one AWS call may take, retries included, unless
/// `--api-timeout` says otherwise.
pub const DEFAULT_API_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// An AWS call that failed.
#[derive(Debug, Clone)]
pub struct AwsError {
    /// SDK operation, e.g. `CreateTargetGroup`.
    pub operation: String,
    /// The resource it was about (name, or ARN when no name is known).
    pub resource: String,
    /// AWS error code (`ResourceInUse`), or lbctl's own: `connection`,
    /// `timeout`, `credentials`, `region`, `unknown`.
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for AwsError {
    /// `{operation} `{resource}` failed: {code}: {message}`; a missing
    /// region or missing credentials is the message alone (no call is to
    /// blame: every one would fail).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code.as_str() {
            "region" | "credentials" => f.write_str(&self.message),
            _ => write!(
                f,
                "{} `{}` failed: {}: {}",
                self.operation, self.resource, self.code, self.message
            ),
        }
    }
}

impl std::error::Error for AwsError {}

/// What the spec names, so that the reader fetches it even when untagged.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub target_groups: BTreeSet<String>,
    pub load_balancers: BTreeSet<String>,
    /// Hosted zones the spec's `dns:` section names.
    pub zones: Vec<crate::model::dns::ZoneRef>,
    /// CIDR collections the spec's `cidr_collections:` names.
    pub cidr_collections: BTreeSet<String>,
}

/// Live state plus what only AWS knows (ARNs), kept for the executor.
#[derive(Debug, Default)]
pub struct Live {
    pub model: Model,
    /// Target groups any listener or rule of any load balancer uses.
    pub in_use: BTreeSet<String>,
    /// Target group ARN -> name, for every target group read.
    pub target_group_names: BTreeMap<String, String>,
    pub index: Index,
    /// Load balancers and target groups of the region, whoever owns them
    /// (for `crate::quotas`).
    pub usage: crate::quotas::Usage,
}

/// What the index knows about a load balancer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancerEntry {
    pub arn: String,
    /// application | network | gateway
    pub lb_type: String,
    pub dns_name: Option<String>,
    /// The canonical hosted zone ID, for Route 53 alias records.
    pub hosted_zone_id: Option<String>,
}

/// ARNs of live resources by name; filled by `read`, updated by `execute`.
///
/// Behind a mutex so that steps running in parallel can record what they
/// create and delete; every method takes `&self`.
#[derive(Debug, Default)]
pub struct Index {
    inner: Mutex<IndexData>,
}

#[derive(Debug, Clone, Default)]
struct IndexData {
    load_balancers: BTreeMap<String, LoadBalancerEntry>,
    target_groups: BTreeMap<String, String>,
    /// (load balancer, port; gateway 0) -> listener ARN
    listeners: BTreeMap<(String, u16), String>,
    /// (load balancer, port, priority) -> rule ARN
    rules: BTreeMap<(String, u16, u32), String>,
    /// The stack being planned (tags of managed health checks).
    stack: Option<String>,
    /// Hosted zone name (`example.com.`) -> zone ID.
    zones: BTreeMap<String, String>,
    /// (zone, record key, set identifier) -> ID of the health check a
    /// CreateHealthCheck step made for that record.
    health_checks: BTreeMap<HealthCheckKey, String>,
    /// Resources this apply created that still exist (`target group
    /// `web-lbtmp``) -> the name of the step that created them.
    created: BTreeMap<String, String>,
}

/// (zone name, record key, set identifier): the record a managed health
/// check serves.
type HealthCheckKey = (String, RecordKey, Option<String>);

impl Index {
    fn data(&self) -> MutexGuard<'_, IndexData> {
        // A panic elsewhere cannot leave the maps half-updated (each update
        // is a single insert or remove), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The load balancer with this name, if it exists.
    pub fn load_balancer(&self, name: &str) -> Option<LoadBalancerEntry> {
        self.data().load_balancers.get(name).cloned()
    }

    /// All load balancers, by name.
    pub fn load_balancers(&self) -> BTreeMap<String, LoadBalancerEntry> {
        self.data().load_balancers.clone()
    }

    pub fn target_group_arn(&self, name: &str) -> Option<String> {
        self.data().target_groups.get(name).cloned()
    }

    pub fn listener_arn(&self, load_balancer: &str, port: u16) -> Option<String> {
        self.data()
            .listeners
            .get(&(load_balancer.to_string(), port))
            .cloned()
    }

    pub fn rule_arn(&self, load_balancer: &str, port: u16, priority: u32) -> Option<String> {
        self.data()
            .rules
            .get(&(load_balancer.to_string(), port, priority))
            .cloned()
    }

    pub(crate) fn set_load_balancer(&self, name: &str, entry: LoadBalancerEntry) {
        self.data().load_balancers.insert(name.to_string(), entry);
    }

    /// Forgets a load balancer with its listeners and rules.
    pub(crate) fn remove_load_balancer(&self, name: &str) {
        let mut data = self.data();
        data.load_balancers.remove(name);
        data.listeners.retain(|(lb, _), _| lb != name);
        data.rules.retain(|(lb, _, _), _| lb != name);
    }

    /// Records that `step` created `what` (`target group `web-lbtmp``).
    pub(crate) fn note_created(&self, step: &str, what: String) {
        self.data().created.insert(what, step.to_string());
    }

    /// Records that `what` was deleted again.
    pub(crate) fn note_deleted(&self, what: &str) {
        self.data().created.remove(what);
    }

    /// What the step named `step` created that still exists: for the
    /// report of a step that failed partway.
    pub fn created_by(&self, step: &str) -> Vec<String> {
        self.data()
            .created
            .iter()
            .filter(|(_, s)| s.as_str() == step)
            .map(|(what, _)| what.clone())
            .collect()
    }

    pub(crate) fn set_target_group(&self, name: &str, arn: &str) {
        self.data()
            .target_groups
            .insert(name.to_string(), arn.to_string());
    }

    pub(crate) fn remove_target_group(&self, name: &str) {
        self.data().target_groups.remove(name);
    }

    pub(crate) fn set_listener(&self, load_balancer: &str, port: u16, arn: &str) {
        self.data()
            .listeners
            .insert((load_balancer.to_string(), port), arn.to_string());
    }

    /// Forgets a listener with its rules.
    pub(crate) fn remove_listener(&self, load_balancer: &str, port: u16) {
        let mut data = self.data();
        data.listeners.remove(&(load_balancer.to_string(), port));
        data.rules
            .retain(|(lb, p, _), _| !(lb == load_balancer && *p == port));
    }

    pub(crate) fn set_rule(&self, load_balancer: &str, port: u16, priority: u32, arn: &str) {
        self.data()
            .rules
            .insert((load_balancer.to_string(), port, priority), arn.to_string());
    }

    pub(crate) fn remove_rule(&self, load_balancer: &str, port: u16, priority: u32) {
        self.data()
            .rules
            .remove(&(load_balancer.to_string(), port, priority));
    }

    /// The stack the live state was read for.
    pub fn stack(&self) -> Option<String> {
        self.data().stack.clone()
    }

    pub(crate) fn set_stack(&self, stack: &str) {
        self.data().stack = Some(stack.to_string());
    }

    /// The ID of a hosted zone read by name (`example.com.`).
    pub fn zone_id(&self, zone: &str) -> Option<String> {
        self.data().zones.get(zone).cloned()
    }

    pub(crate) fn set_zone(&self, zone: &str, id: &str) {
        self.data().zones.insert(zone.to_string(), id.to_string());
    }

    /// The ID of the health check created in this apply for a record.
    pub fn health_check_id(
        &self,
        zone: &str,
        key: &RecordKey,
        set_identifier: Option<&str>,
    ) -> Option<String> {
        let k = (
            zone.to_string(),
            key.clone(),
            set_identifier.map(str::to_string),
        );
        self.data().health_checks.get(&k).cloned()
    }

    pub(crate) fn set_health_check(
        &self,
        zone: &str,
        key: &RecordKey,
        set_identifier: Option<&str>,
        id: &str,
    ) {
        let k = (
            zone.to_string(),
            key.clone(),
            set_identifier.map(str::to_string),
        );
        self.data().health_checks.insert(k, id.to_string());
    }
}

/// A connection to AWS (ELBv2, EC2 and Route 53).
pub struct Aws {
    clients: client::Clients,
}

impl Aws {
    /// Builds the clients from the SDK's configuration chain, with the
    /// settings' region, profile and endpoint taking precedence. Makes no
    /// API call.
    pub async fn connect(settings: &Settings) -> Result<Aws, AwsError> {
        Ok(Aws {
            clients: client::build(settings).await?,
        })
    }

    /// Where lookups look, for error messages: ``region `us-east-1` of
    /// account `123456789012` `` (one GetCallerIdentity call; the account
    /// is left out when that fails).
    pub async fn scope(&self) -> String {
        let region = &self.clients.region;
        match self.account_id().await {
            Some(account) => format!("region `{region}` of account `{account}`"),
            None => format!("region `{region}`"),
        }
    }

    /// `` `123456789012` `` for messages about global services (Route
    /// 53), or `(unknown)` when GetCallerIdentity fails.
    pub async fn account(&self) -> String {
        match self.account_id().await {
            Some(account) => format!("`{account}`"),
            None => "(unknown)".to_string(),
        }
    }

    async fn account_id(&self) -> Option<String> {
        let id = self.clients.sts.get_caller_identity().send().await.ok()?;
        id.account().map(str::to_string)
    }

    /// The region the clients talk to, as the settings or the SDK's
    /// configuration chain gave it.
    pub fn region(&self) -> Option<String> {
        self.clients.elb.config().region().map(|r| r.to_string())
    }

    /// API calls made so far (every attempt, retries included), by
    /// operation name.
    pub fn api_calls(&self) -> BTreeMap<String, u64> {
        self.clients.counter.snapshot()
    }

    /// Resolves VPC, subnet and security group selectors to IDs.
    pub async fn resolve(
        &self,
        selectors: &[(SelectorKind, Selector)],
    ) -> Result<Resolved, AwsError> {
        ec2::resolve(&self.clients.ec2, selectors).await
    }

    /// Reads the live state of every load balancer and target group the
    /// spec names or the stack's tag marks as its own, and of the hosted
    /// zones the spec names or whose tag says the stack owns records there
    /// (every record set; health checks tagged with the stack as managed
    /// ones). A zone that does not exist is absent.
    pub async fn read(&self, stack: &str, names: &Names) -> Result<Live, AwsError> {
        let (mut live, mut dns) = futures::try_join!(
            read::read(&self.clients.elb, stack, names),
            route53::read_stack(&self.clients.route53, stack, &names.zones)
        )?;
        route53::read_cidr(&self.clients.route53, &names.cidr_collections, &mut dns).await?;
        for zone in dns.zones.values() {
            if let Some(id) = &zone.id {
                live.index.set_zone(&zone.name, id);
            }
        }
        live.index.set_stack(stack);
        live.model.dns = dns;
        Ok(live)
    }

    /// Performs one plan step, recording what it creates and deletes in the
    /// index. Record set steps go through [`Aws::execute_zone`] instead.
    pub async fn execute(
        &self,
        step: &Step,
        index: &Index,
        health: &crate::health::HealthWait<'_>,
    ) -> Result<(), AwsError> {
        // Weight steps re-read what they change through `shift` and
        // `shift_record`, which keep the SDK actions and record sets.
        match &step.op {
            crate::plan::Op::SetForwardWeights {
                load_balancer,
                port,
                rule,
                weights,
            } => {
                return self
                    .execute_forward_weights(load_balancer, *port, *rule, weights)
                    .await
            }
            crate::plan::Op::SetRecordWeights {
                zone,
                zone_id,
                key,
                weights,
            } => {
                let zone = crate::model::dns::ZoneInfo {
                    id: zone_id.clone(),
                    name: zone.clone(),
                    private: false,
                };
                return self.execute_record_weights(&zone, key, weights).await;
            }
            _ => {}
        }
        execute::Executor::new(&self.clients, index, &step.name)
            .with_health(health)
            .run(&step.op)
            .await
    }

    /// Performs the record set steps of one hosted zone (`example.com.`) in
    /// as few ChangeResourceRecordSets batches as Route 53 allows, never
    /// splitting a step; then, when `wait`, waits until every change is
    /// `INSYNC`. Steps of other zones and other kinds are ignored.
    pub async fn execute_zone(
        &self,
        zone: &str,
        steps: &[&Step],
        index: &Index,
        wait: bool,
    ) -> Result<(), AwsError> {
        route53::execute_zone(&self.clients, zone, steps, index, wait).await
    }
}
