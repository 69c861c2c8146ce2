//! The in-memory state of load-balancing resources, desired or live.
//!
//! Desired state (built from the spec) and live state (read from AWS) are the
//! same types, so the diff compares like with like. Everything is keyed by
//! name; ARNs and SDK types never appear here (they stay in `src/aws/`).
//!
//! Convention for optional settings: in a *desired* model `None` means "not
//! managed by the spec" (whatever AWS has is fine); in a *live* model every
//! value AWS reported is `Some`. The diff only compares what the desired side
//! sets, which is what keeps apply-then-plan free of phantom changes.
//! Attributes follow the same rule key by key.

pub mod auth;
pub mod conditions;
pub mod dns;
pub mod health;
pub mod ssl_policies;
pub mod unmanaged;
pub mod vocab;

pub use conditions::{
    Condition, Conditions, HttpHeader, Patterns, QueryString, Rewrite, Transforms,
};

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// Tag key that marks a resource as owned by a stack.
pub const STACK_TAG: &str = "lbctl:stack";

/// Resource tags, key to value.
pub type Tags = BTreeMap<String, String>;

/// ELBv2 attributes by their AWS key (`deregistration_delay.timeout_seconds`),
/// values as AWS writes them (`"30"`, `"true"`).
pub type Attributes = BTreeMap<String, String>;

/// Load balancers and target groups keyed by AWS name, and Route 53 zones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub target_groups: BTreeMap<String, TargetGroup>,
    pub load_balancers: BTreeMap<String, LoadBalancer>,
    pub dns: dns::Dns,
    /// Live settings lbctl cannot model, by resource. Read from AWS only:
    /// always empty in a desired model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmanaged: Vec<crate::plan::UnmanagedResource>,
}

/// An ELBv2 target group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetGroup {
    pub name: String,
    /// `None` for lambda target groups.
    pub protocol: Option<String>,
    /// `None` for lambda target groups.
    pub port: Option<u16>,
    /// `None` for lambda target groups.
    pub vpc_id: Option<String>,
    /// instance | ip | lambda | alb
    pub target_type: String,
    /// HTTP1 | HTTP2 | GRPC (HTTP/HTTPS target groups only).
    pub protocol_version: Option<String>,
    /// ipv4 | ipv6
    pub ip_address_type: Option<String>,
    pub health_check: HealthCheck,
    pub attributes: Attributes,
    pub targets: Targets,
    pub tags: Tags,
}

/// Health check settings of a target group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HealthCheck {
    pub enabled: Option<bool>,
    pub protocol: Option<String>,
    /// `traffic-port` or a port number as a string, as AWS stores it.
    pub port: Option<String>,
    pub path: Option<String>,
    pub interval: Option<u32>,
    pub timeout: Option<u32>,
    pub healthy_threshold: Option<u32>,
    pub unhealthy_threshold: Option<u32>,
    pub matcher: Option<Matcher>,
}

/// What a health check accepts as healthy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Matcher {
    HttpCode(String),
    GrpcCode(String),
}

/// The registered targets of a target group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Targets {
    pub mode: TargetsMode,
    pub list: BTreeSet<Target>,
}

/// Whether targets missing from the spec are deregistered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetsMode {
    /// Deregister every target the spec does not list.
    #[default]
    Exclusive,
    /// Only register; never deregister.
    Additive,
}

/// One registered target. Identity is `(id, port)`; the availability zone is
/// carried for registration only and ignored when comparing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    /// Instance ID, IP address, Lambda ARN or ALB ARN.
    pub id: String,
    /// `None` only for lambda targets.
    pub port: Option<u16>,
    pub availability_zone: Option<String>,
    /// The QUIC server ID (`0x` and 16 lowercase hex digits) of a target of
    /// a QUIC or TCP_QUIC target group; carried for registration and read
    /// back, not part of the identity (AWS cannot change it in place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quic_server_id: Option<String>,
}

impl Target {
    fn key(&self) -> (&str, Option<u16>) {
        (&self.id, self.port)
    }
}

impl PartialEq for Target {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}
impl Eq for Target {}
impl PartialOrd for Target {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Target {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{}", self.id, port),
            None => write!(f, "{}", self.id),
        }
    }
}

/// An application, network or gateway load balancer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadBalancer {
    pub name: String,
    /// application | network | gateway
    #[serde(rename = "type")]
    pub lb_type: String,
    /// internet-facing | internal
    pub scheme: String,
    /// ipv4 | dualstack (`None` in a desired model: not managed)
    pub ip_address_type: Option<String>,
    /// The IPAM pool of an ALB's public IPv4 addresses (`ipam-pool-...`);
    /// `None`: AWS's own addresses (also in a desired model: the spec
    /// leaving `ipam_pool` out removes a live pool).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipam_pool: Option<String>,
    /// Subnet IDs. Empty in a desired model that uses `subnet_mappings`.
    pub subnets: BTreeSet<String>,
    /// NLB subnet mappings (static IPs). Empty unless the spec uses them.
    pub subnet_mappings: Vec<SubnetMapping>,
    /// Security group IDs (`None` in a desired model: not managed).
    pub security_groups: Option<BTreeSet<String>>,
    pub attributes: Attributes,
    /// Listeners by port; the gateway listener has port 0.
    pub listeners: BTreeMap<u16, Listener>,
    pub tags: Tags,
}

/// A subnet mapping of a network load balancer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SubnetMapping {
    pub subnet: String,
    pub allocation_id: Option<String>,
    pub private_ipv4_address: Option<String>,
}

/// A listener. The gateway load balancer's single listener has no port and
/// no protocol (key 0 in [`LoadBalancer::listeners`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listener {
    pub port: Option<u16>,
    pub protocol: Option<String>,
    /// Certificate ARNs; the first is the default certificate.
    pub certificates: Vec<String>,
    pub ssl_policy: Option<String>,
    pub alpn_policy: Option<String>,
    pub default_action: Action,
    /// Steps before the default action (authenticate, jwt_validation).
    #[serde(default, skip_serializing_if = "auth::Auth::is_empty")]
    pub default_auth: auth::Auth,
    /// Rules by priority (ALB only).
    pub rules: BTreeMap<u32, Rule>,
    /// Listener attributes by AWS key. Desired: only what the spec sets;
    /// live: what DescribeListenerAttributes reported.
    #[serde(default, skip_serializing_if = "Attributes::is_empty")]
    pub attributes: Attributes,
}

impl Listener {
    /// The key of this listener in [`LoadBalancer::listeners`].
    pub fn key(&self) -> u16 {
        self.port.unwrap_or(0)
    }
}

/// A listener rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub priority: u32,
    pub conditions: Conditions,
    pub action: Action,
    /// Rewrites before the action; empty when the rule has none (a
    /// desired rule without `transforms` removes live ones).
    #[serde(default, skip_serializing_if = "Transforms::is_empty")]
    pub transforms: Transforms,
    /// Steps before the action (authenticate, jwt_validation).
    #[serde(default, skip_serializing_if = "auth::Auth::is_empty")]
    pub auth: auth::Auth,
}

/// What a listener or rule does with a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Forward(Forward),
    Redirect(Redirect),
    FixedResponse(FixedResponse),
}

impl Action {
    /// Names (or `arn:` references) of the target groups this action uses.
    pub fn target_groups(&self) -> impl Iterator<Item = &str> {
        let list: &[WeightedTargetGroup] = match self {
            Action::Forward(f) => &f.target_groups,
            _ => &[],
        };
        list.iter().map(|t| t.name.as_str())
    }
}

/// A forward to one or more target groups.
///
/// Normalised: a forward to a single target group has weight 1, whatever
/// the spec or AWS says (the weight of a lone target group means nothing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forward {
    pub target_groups: Vec<WeightedTargetGroup>,
    /// Target-group stickiness duration in seconds; `None` when disabled.
    pub stickiness: Option<u64>,
}

/// A target group in a forward action. `name` is the target group's name,
/// or its ARN for a target group outside the spec and the stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedTargetGroup {
    pub name: String,
    pub weight: u32,
}

/// A redirect action, normalised with AWS's defaults filled in
/// (`#{protocol}`, `#{port}`, `#{host}`, `/#{path}`, `#{query}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirect {
    pub protocol: String,
    pub port: String,
    pub host: String,
    pub path: String,
    pub query: String,
    /// `HTTP_301` or `HTTP_302`.
    pub status: String,
}

/// A fixed-response action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedResponse {
    /// Three digits, as a string (`"503"`).
    pub status: String,
    pub content_type: Option<String>,
    pub body: Option<String>,
}

/// Which stack owns a live resource, read from its tags.
pub fn owner(tags: &Tags) -> Option<&str> {
    tags.get(STACK_TAG).map(String::as_str)
}
