//! The plan: what apply will do, as data.
//!
//! A plan is a list of [`Step`]s. Each step says what happens to one resource
//! (`action`, `kind`, `name`), what changes attribute by attribute
//! (`changes`, for people and for JSON) and what to send to AWS (`op`, for the
//! executor). Steps are plain data, never closures, so a plan can be
//! rendered, serialised and tested. Execution order comes from
//! [`Step::phase`]; the plan itself is sorted by it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::dns::{ManagedHealthCheck, Record, RecordKey};
use crate::model::unmanaged::Unmanaged;
use crate::model::{
    Attributes, HealthCheck, Listener, LoadBalancer, Rule, SubnetMapping, Tags, Target, TargetGroup,
};

/// Version of the JSON plan format.
pub const FORMAT_VERSION: u32 = 1;

/// The `after` of a setting AWS assigns when the step runs (the DNS name
/// of a replaced load balancer).
pub const KNOWN_AFTER_APPLY: &str = "(known after apply)";

/// A complete plan for one stack.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Plan {
    pub format_version: u32,
    pub stack: String,
    pub steps: Vec<Step>,
    /// Resources with a spec name that the stack does not own. Apply refuses
    /// while there are any, unless `--adopt` was given when planning.
    pub conflicts: Vec<Conflict>,
    pub warnings: Vec<String>,
    /// Live resources with settings lbctl cannot model: reported, and apply
    /// refuses to modify them without `--force` (see `safety::unmanaged`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmanaged: Vec<UnmanagedResource>,
}

impl Plan {
    /// True when applying the plan would change nothing.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// How many steps of each action the plan has. Ownership records
    /// (`Step::is_ownership_record`) are bookkeeping and not counted.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for step in self.steps.iter().filter(|s| !s.is_ownership_record()) {
            match step.action {
                StepAction::Create => s.create += 1,
                StepAction::Update => s.update += 1,
                StepAction::Replace => s.replace += 1,
                StepAction::Delete => s.delete += 1,
            }
        }
        s
    }
}

/// Counts of steps by action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub create: usize,
    pub update: usize,
    pub replace: usize,
    pub delete: usize,
}

/// A resource the spec names but the stack does not own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: Kind,
    pub name: String,
    /// The stack that owns it, or `None` for a resource nobody owns.
    pub owner: Option<String>,
}

/// A live resource carrying settings lbctl reads but cannot model yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmanagedResource {
    pub kind: Kind,
    /// As in steps: `web`, `web:443`, `web:443/10`.
    pub name: String,
    pub settings: Vec<Unmanaged>,
}

/// What a step does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    Create,
    Update,
    Replace,
    Delete,
}

/// The kind of resource a step is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    TargetGroup,
    Targets,
    LoadBalancer,
    Listener,
    Rule,
    RecordSet,
    HealthCheck,
    /// A hosted zone's tag for the stack (see `model::dns::ZONE_TAG_PREFIX`).
    HostedZone,
    /// A Route 53 CIDR collection (`cidr_collections:`).
    CidrCollection,
}

impl Kind {
    /// The name used in output (`target_group`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TargetGroup => "target_group",
            Kind::Targets => "targets",
            Kind::LoadBalancer => "load_balancer",
            Kind::Listener => "listener",
            Kind::Rule => "rule",
            Kind::RecordSet => "record_set",
            Kind::HealthCheck => "health_check",
            Kind::HostedZone => "hosted_zone",
            Kind::CidrCollection => "cidr_collection",
        }
    }
}

/// One attribute-level change, `before` and `after` as JSON (`null` when
/// absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub path: String,
    pub before: Value,
    pub after: Value,
}

impl Change {
    pub fn new(path: impl Into<String>, before: impl Serialize, after: impl Serialize) -> Self {
        Change {
            path: path.into(),
            before: serde_json::to_value(before).unwrap_or(Value::Null),
            after: serde_json::to_value(after).unwrap_or(Value::Null),
        }
    }
}

/// One step of a plan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub action: StepAction,
    pub kind: Kind,
    /// `web-blue`, `web`, `web:443`, `web:443/10` (rule priority 10).
    pub name: String,
    pub changes: Vec<Change>,
    /// Why a replacement is needed, or other notes for the reader.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
    /// What the executor sends to AWS.
    pub op: Op,
}

impl Step {
    /// Whether this step writes or removes the TXT record that says which
    /// stack owns a record set (`model::dns::owner_key`).
    pub fn is_ownership_record(&self) -> bool {
        matches!(&self.op, Op::RecordSet { key, .. } if crate::model::dns::owned_key(key).is_some())
    }

    /// Execution phase: steps of a lower phase all finish before a higher
    /// phase starts; steps of one phase may run in parallel (rules of one
    /// listener run in order, see [`Step::group`]).
    ///
    /// Creates and updates go target group -> load balancer -> listener ->
    /// rule; deletes go the other way, so nothing is used before it exists
    /// or deleted while still referenced.
    pub fn phase(&self) -> u8 {
        match &self.op {
            Op::CreateTargetGroup { .. }
            | Op::UpdateTargetGroup { .. }
            | Op::ReplaceTargetGroup { .. }
            | Op::Targets { .. } => 1,
            Op::CreateLoadBalancer { .. }
            | Op::UpdateLoadBalancer { .. }
            | Op::ReplaceLoadBalancer { .. } => 2,
            Op::ReplaceListener { .. }
            | Op::CreateListener { .. }
            | Op::UpdateListener { .. }
            | Op::SetListenerAttributes { .. } => 3,
            // A zone is tagged before the stack's first ownership record
            // is written there (and before health checks are created, so
            // that Route 53 writes stay sequential), and untagged after its
            // last one went.
            Op::DeleteRule { .. }
            | Op::UpdateRule { .. }
            | Op::CreateRule { .. }
            | Op::SetForwardWeights { .. }
            | Op::TagZone { tag: true, .. } => 4,
            Op::CreateHealthCheck { .. } | Op::UpdateHealthCheck { .. } => 5,
            // Locations exist before records use them and go after.
            Op::CidrCollection { remove, .. } if remove.is_empty() => 5,
            Op::CidrCollection { .. } => 7,
            Op::RecordSet { .. } | Op::SetRecordWeights { .. } => 6,
            Op::DeleteHealthCheck { .. } | Op::TagZone { tag: false, .. } => 7,
            Op::DeleteListener { .. } => 8,
            Op::DeleteLoadBalancer { .. } => 9,
            Op::DeleteTargetGroup { .. } => 10,
        }
    }

    /// Steps with the same group key run together, in plan order: the rules
    /// of one listener one after another (deletes, moves, then creates, so
    /// no priority is ever taken twice); the record sets of one hosted zone
    /// as one change batch (see [`Step::zone`]); Route 53 health check
    /// writes of one phase (children of a calculated check first).
    pub fn group(&self) -> Option<String> {
        match &self.op {
            Op::RecordSet { zone, .. } => Some(format!("zone {zone}")),
            Op::DeleteRule {
                load_balancer,
                port,
                ..
            }
            | Op::UpdateRule {
                load_balancer,
                port,
                ..
            }
            | Op::CreateRule {
                load_balancer,
                port,
                ..
            } => Some(format!("{load_balancer}:{port}")),
            // One after another, in plan order: the children of a
            // calculated health check are created before it and deleted
            // after it.
            Op::CreateHealthCheck { .. } | Op::UpdateHealthCheck { .. } => {
                Some("route53 health checks".to_string())
            }
            Op::DeleteHealthCheck { .. } => Some("route53 health check deletes".to_string()),
            _ => None,
        }
    }
}

impl Step {
    /// Target groups whose targets must be healthy before this step sends
    /// them traffic (empty for most steps).
    pub fn health_wait(&self) -> &[String] {
        match &self.op {
            Op::UpdateListener { warm, .. } | Op::UpdateRule { warm, .. } => warm,
            _ => &[],
        }
    }

    /// The hosted zone of a record set step: such steps of one zone go to
    /// Route 53 together, in as few change batches as AWS allows.
    pub fn zone(&self) -> Option<&str> {
        match &self.op {
            Op::RecordSet { zone, .. } => Some(zone),
            _ => None,
        }
    }
}

/// Tags to set and tag keys to remove.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TagChange {
    pub set: Tags,
    pub remove: Vec<String>,
}

impl TagChange {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }
}

/// What the executor does for a step. Names, never ARNs: the executor looks
/// ARNs up at run time, so a resource created earlier in the same apply can
/// be referenced.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Create the target group, set its attributes and tags, register its
    /// targets.
    CreateTargetGroup {
        target_group: TargetGroup,
    },
    /// Change health check settings (only the `Some` fields), attributes
    /// (only those listed) and tags of an existing target group.
    UpdateTargetGroup {
        name: String,
        health_check: HealthCheck,
        attributes: Attributes,
        tags: TagChange,
    },
    /// Replace a target group whose immutable settings changed. When it is
    /// in use, a temporary target group named `temp_name` takes the traffic
    /// while the old one is deleted and the new one created, so traffic
    /// never stops and the final name is the spec's.
    ReplaceTargetGroup {
        target_group: TargetGroup,
        in_use: bool,
        temp_name: String,
    },
    DeleteTargetGroup {
        name: String,
    },
    /// Register and deregister targets of an existing target group.
    Targets {
        target_group: String,
        register: Vec<Target>,
        deregister: Vec<Target>,
    },
    /// Create the load balancer (without listeners), set attributes and tags.
    CreateLoadBalancer {
        load_balancer: LoadBalancer,
    },
    /// Change what can change in place; `None` fields stay as they are.
    UpdateLoadBalancer {
        name: String,
        subnets: Option<Vec<String>>,
        subnet_mappings: Option<Vec<SubnetMapping>>,
        security_groups: Option<Vec<String>>,
        ip_address_type: Option<String>,
        /// `Some(None)` removes the IPAM pool (ModifyIpPools).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ipam_pool: Option<Option<String>>,
        attributes: Attributes,
        tags: TagChange,
    },
    /// Delete and create again (type or scheme changed). Listeners are
    /// created by their own steps afterwards.
    ReplaceLoadBalancer {
        load_balancer: LoadBalancer,
    },
    DeleteLoadBalancer {
        name: String,
    },
    /// Create a listener (without its rules).
    CreateListener {
        load_balancer: String,
        listener: Listener,
    },
    /// Modify a listener. `modify` says whether ModifyListener is needed
    /// (port, protocol, policies, default certificate or default action
    /// changed); extra certificates are added and removed separately.
    UpdateListener {
        load_balancer: String,
        listener: Listener,
        modify: bool,
        add_certificates: Vec<String>,
        remove_certificates: Vec<String>,
        /// Target groups this plan creates that the new default action
        /// sends traffic to: their targets must be healthy before the
        /// switch (see [`Op::UpdateRule::warm`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        warm: Vec<String>,
    },
    /// Delete the listener on this port, then create it again.
    ReplaceListener {
        load_balancer: String,
        listener: Listener,
    },
    DeleteListener {
        load_balancer: String,
        port: u16,
    },
    /// Set these attributes of the listener on this port
    /// (ModifyListenerAttributes); the others stay as they are.
    SetListenerAttributes {
        load_balancer: String,
        port: u16,
        attributes: Attributes,
    },
    CreateRule {
        load_balancer: String,
        port: u16,
        rule: Rule,
    },
    /// Move a rule from `from_priority` to `rule.priority` (if different)
    /// and, when `modify`, set its conditions and action.
    UpdateRule {
        load_balancer: String,
        port: u16,
        from_priority: u32,
        rule: Rule,
        modify: bool,
        /// Target groups this plan creates that the new action sends
        /// traffic to. Before the modification the executor attaches them
        /// to the listener through a temporary rule no request matches (on
        /// AWS a group no listener uses is never health-checked), waits
        /// until their targets are healthy, then switches. Empty in saved
        /// plans made before this field existed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        warm: Vec<String>,
        /// The live rule has transforms the desired one leaves out: the
        /// modification removes them (`ResetTransforms`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        reset_transforms: bool,
    },
    DeleteRule {
        load_balancer: String,
        port: u16,
        priority: u32,
    },
    /// Create a Route 53 health check lbctl manages, tagged with the stack
    /// and the record it serves; the executor remembers its ID under
    /// (zone, key, set identifier) for the record set step that uses it.
    CreateHealthCheck {
        zone: String,
        key: RecordKey,
        set_identifier: Option<String>,
        /// The check is this child of the member's calculated check (made
        /// before it; see `aws::route53::health_check::slot`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        child: Option<usize>,
        check: ManagedHealthCheck,
    },
    UpdateHealthCheck {
        id: String,
        check: ManagedHealthCheck,
    },
    DeleteHealthCheck {
        id: String,
    },
    /// Change a CIDR collection (`name`), creating it when it does not
    /// exist: `put` adds blocks to locations (before the record sets that
    /// use them), `remove` takes blocks away (after; a location left with
    /// none is gone). `version` is the `CollectionVersion` the plan read,
    /// which Route 53 checks; `None`: the current one.
    CidrCollection {
        name: String,
        put: Vec<(String, Vec<String>)>,
        remove: Vec<(String, Vec<String>)>,
        version: Option<i64>,
    },
    /// Set (`tag`) or remove the hosted zone's tag `lbctl:stack:<stack>`,
    /// which tells later plans that the stack owns record sets there.
    TagZone {
        /// Zone name, `example.com.`
        zone: String,
        stack: String,
        tag: bool,
    },
    /// Change one (name, type) of a hosted zone: DELETE exactly the live
    /// records in `delete` and CREATE those in `create`, in the same change
    /// batch, so the switch is atomic (a weight shift, simple -> weighted,
    /// a set identifier rename). A DELETE of a record that changed since the
    /// plan fails, so nothing is overwritten unseen. Alias targets naming a
    /// load balancer and managed health checks without an ID are resolved
    /// when the step runs.
    RecordSet {
        /// Zone name, `example.com.`
        zone: String,
        key: RecordKey,
        delete: Vec<Record>,
        create: Vec<Record>,
    },
    /// `lbctl shift`: set the weights of the forward of listener
    /// `load_balancer:port`'s default action (or of its rule with priority
    /// `rule`). The executor reads the live actions when the step runs and
    /// changes only the forward's weights: every other part of the actions
    /// (authentication steps, stickiness) goes back as AWS has it.
    SetForwardWeights {
        load_balancer: String,
        port: u16,
        rule: Option<u32>,
        /// Target group names and weights, every group of the forward.
        weights: Vec<(String, u32)>,
    },
    /// `lbctl shift --record`: set the weights of the members of one
    /// weighted record set. The executor reads the members when the step
    /// runs and UPSERTs those whose weight changes, each as Route 53 has it
    /// but for `Weight`, then waits until the change is `INSYNC`.
    SetRecordWeights {
        /// Zone name, `example.com.`
        zone: String,
        zone_id: String,
        key: RecordKey,
        /// Set identifiers and weights.
        weights: Vec<(String, u32)>,
    },
}

/// Name of a listener in plans and messages: `web:443`, or `web:gateway`.
pub fn listener_name(load_balancer: &str, port: u16) -> String {
    if port == 0 {
        format!("{load_balancer}:gateway")
    } else {
        format!("{load_balancer}:{port}")
    }
}

/// Name of a rule in plans and messages: `web:443/10`.
pub fn rule_name(load_balancer: &str, port: u16, priority: u32) -> String {
    format!("{}/{priority}", listener_name(load_balancer, port))
}
