//! The spec as written: serde structs mirroring spec v1 key for key.
//!
//! Every struct denies unknown keys, so a typo is an error and not a silent
//! default. Nearly everything is optional and enums are kept as strings:
//! required keys, enum values and ranges are checked by `validate`, which
//! can name the resource and give a hint, instead of by serde. Numbers are
//! [`Int`] (any `i64`, also written as a string of digits, as a parameter
//! may give it) for the same reason: `port: 70000` gets a range message,
//! not a type error.

pub mod auth;
pub mod cidr;
pub mod conditions;
pub mod dns;
pub mod dns_routing;
pub mod listener_attributes;
pub mod typed_attrs;

use indexmap::IndexMap;
use serde::Deserialize;

pub use self::conditions::{
    RawConditionMap, RawConditions, RawPatterns, RawRewrite, RawTransforms,
};
use super::either::either;
use super::scalar::{BoolOrWord, Int, Seconds, Text};

/// Tags (or raw attributes), in file order.
pub type RawTags = IndexMap<String, Text>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetGroup {
    pub protocol: Option<String>,
    pub port: Option<Int>,
    pub vpc: Option<RawSelector>,
    pub target_type: Option<String>,
    pub protocol_version: Option<String>,
    pub ip_address_type: Option<String>,
    pub health_check: Option<RawHealthCheck>,
    pub attributes: Option<RawTgAttributes>,
    pub targets: Option<RawTargets>,
    pub tags: Option<RawTags>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealthCheck {
    pub enabled: Option<bool>,
    pub protocol: Option<String>,
    pub port: Option<Text>,
    pub path: Option<String>,
    pub interval: Option<Seconds>,
    pub timeout: Option<Seconds>,
    pub healthy_threshold: Option<Int>,
    pub unhealthy_threshold: Option<Int>,
    pub matcher: Option<Text>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTgAttributes {
    pub deregistration_delay: Option<Seconds>,
    pub slow_start: Option<Seconds>,
    pub algorithm: Option<String>,
    pub anomaly_mitigation: Option<bool>,
    pub stickiness: Option<RawTgStickiness>,
    pub cross_zone: Option<BoolOrWord>,
    pub proxy_protocol_v2: Option<bool>,
    pub preserve_client_ip: Option<bool>,
    pub connection_termination: Option<bool>,
    pub target_failover: Option<typed_attrs::RawTargetFailover>,
    pub unhealthy_draining: Option<typed_attrs::RawUnhealthyDraining>,
    pub health_thresholds: Option<typed_attrs::RawHealthThresholds>,
    pub lambda_multi_value_headers: Option<bool>,
    pub extra: Option<RawTags>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTgStickiness {
    pub enabled: Option<bool>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub duration: Option<Seconds>,
    pub cookie_name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    pub mode: Option<String>,
    pub list: Option<Vec<RawTarget>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub id: Option<Text>,
    /// `{ tags: {...} }`: every running instance with all the tags (instead
    /// of `id`).
    pub instances: Option<RawInstanceSelector>,
    pub port: Option<Int>,
    pub availability_zone: Option<String>,
    /// QUIC and TCP_QUIC target groups: `0x` and 16 lowercase hex digits.
    pub quic_server_id: Option<String>,
}

/// A VPC, subnet or security group: an ID or `{ tags: {...} }`.
#[derive(Debug, Clone)]
pub enum RawSelector {
    Id(String),
    Tags(RawTagSelector),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTagSelector {
    pub tags: RawTags,
}

either!(RawSelector, "an ID or `{ tags: {...} }`", Id, Tags);

/// `instances: { tags: {...} }`: the running instances that have every tag.
/// `tags` is optional here so that validation can say it is missing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstanceSelector {
    pub tags: Option<RawTags>,
}

impl RawInstanceSelector {
    /// The tags as the resolver keys them.
    pub fn key(&self) -> std::collections::BTreeMap<String, String> {
        self.tags
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.0.clone()))
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLoadBalancer {
    #[serde(rename = "type")]
    pub lb_type: Option<String>,
    pub scheme: Option<String>,
    pub ip_address_type: Option<String>,
    pub ipam_pool: Option<String>,
    pub subnets: Option<Vec<RawSelector>>,
    pub subnet_mappings: Option<Vec<RawSubnetMapping>>,
    pub security_groups: Option<Vec<RawSelector>>,
    pub attributes: Option<RawLbAttributes>,
    pub listeners: Option<Vec<RawListener>>,
    pub tags: Option<RawTags>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSubnetMapping {
    pub subnet: Option<RawSelector>,
    pub allocation_id: Option<String>,
    pub private_ipv4_address: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLbAttributes {
    pub cross_zone: Option<bool>,
    pub deletion_protection: Option<bool>,
    pub idle_timeout: Option<Seconds>,
    pub http2: Option<bool>,
    pub drop_invalid_header_fields: Option<bool>,
    pub access_logs: Option<RawAccessLogs>,
    pub zonal_shift: Option<bool>,
    pub client_keep_alive: Option<Seconds>,
    pub desync_mitigation: Option<String>,
    pub preserve_host_header: Option<bool>,
    pub xff_header_processing: Option<String>,
    pub xff_client_port: Option<bool>,
    pub tls_version_and_cipher_headers: Option<bool>,
    pub waf_fail_open: Option<bool>,
    pub connection_logs: Option<RawAccessLogs>,
    pub health_check_logs: Option<RawAccessLogs>,
    pub dns_client_routing_policy: Option<String>,
    pub deny_all_igw_traffic: Option<bool>,
    pub extra: Option<RawTags>,
}

/// `access_logs: false` or `{ bucket: ..., prefix: ... }`.
#[derive(Debug, Clone)]
pub enum RawAccessLogs {
    Off(bool),
    On(RawAccessLogsTo),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAccessLogsTo {
    pub bucket: Option<String>,
    pub prefix: Option<String>,
}

either!(RawAccessLogs, "false or `{ bucket: ..., prefix: ... }`", Off: bool, On);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListener {
    pub port: Option<Int>,
    pub protocol: Option<String>,
    pub certificates: Option<Vec<Text>>,
    pub ssl_policy: Option<String>,
    pub alpn_policy: Option<String>,
    pub default_action: Option<RawAction>,
    pub rules: Option<Vec<RawRule>>,
    pub attributes: Option<listener_attributes::RawListenerAttributes>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub priority: Option<Int>,
    pub conditions: Option<RawConditions>,
    pub action: Option<RawAction>,
    pub transforms: Option<RawTransforms>,
}

/// An action: exactly one of the keys must be given (checked by validation,
/// so that "two keys" gets its own message).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    /// A step before the terminal key (see `raw::auth`).
    pub authenticate: Option<auth::RawAuthenticate>,
    /// A step before the terminal key (see `raw::auth`).
    pub jwt_validation: Option<auth::RawJwtValidation>,
    pub forward: Option<RawForward>,
    pub redirect: Option<RawRedirect>,
    pub fixed_response: Option<RawFixedResponse>,
}

/// `forward: name`, `forward: { arn: ... }` or the weighted form.
#[derive(Debug, Clone)]
pub enum RawForward {
    Name(String),
    Map(RawForwardMap),
}

either!(RawForward, "a target group name or a mapping", Name, Map);

/// The mapping form of `forward`: either `{ arn: ... }` (one target group
/// outside the spec) or `{ target_groups: [...], stickiness: ... }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawForwardMap {
    pub arn: Option<String>,
    pub target_groups: Option<Vec<RawWeightedTg>>,
    pub stickiness: Option<Seconds>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeightedTg {
    pub name: Option<String>,
    pub arn: Option<String>,
    pub weight: Option<Int>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedirect {
    pub protocol: Option<String>,
    pub port: Option<Text>,
    pub host: Option<Text>,
    pub path: Option<Text>,
    pub query: Option<Text>,
    pub status: Option<Text>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFixedResponse {
    pub status: Option<Text>,
    pub content_type: Option<String>,
    pub body: Option<Text>,
}

/// The top-level `safety:` section: thresholds apply refuses to pass
/// without `--force` (see `crate::safety`). Shares as `30%` (or `30`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSafety {
    pub max_delete_share: Option<Text>,
    pub max_record_delete_share: Option<Text>,
    pub max_target_removal_share: Option<Text>,
    pub max_weight_removal_share: Option<Text>,
    pub allow_load_balancer_delete: Option<bool>,
}

// Defaults of the spec format, shared by validation and the model builder.

impl RawTargetGroup {
    /// `instance` unless given.
    pub fn target_type(&self) -> &str {
        self.target_type.as_deref().unwrap_or("instance")
    }

    /// The protocol, upper-cased (`http` is accepted for `HTTP`).
    pub fn protocol(&self) -> Option<String> {
        self.protocol.as_ref().map(|p| p.to_ascii_uppercase())
    }

    /// True for `HTTP`/`HTTPS` target groups and for lambda ones (which
    /// are reached over HTTP by an ALB).
    pub fn is_http(&self) -> bool {
        self.target_type() == "lambda"
            || matches!(self.protocol().as_deref(), Some("HTTP" | "HTTPS"))
    }
}

impl RawLoadBalancer {
    /// `application` unless given.
    pub fn lb_type(&self) -> &str {
        self.lb_type.as_deref().unwrap_or("application")
    }

    /// `internal` for gateway load balancers (they have no other scheme),
    /// else `internet-facing` unless given, as AWS defaults.
    pub fn scheme(&self) -> &str {
        match (&self.scheme, self.lb_type()) {
            (Some(s), _) => s,
            (None, "gateway") => "internal",
            (None, _) => "internet-facing",
        }
    }
}

impl RawListener {
    pub fn protocol(&self) -> Option<String> {
        self.protocol.as_ref().map(|p| p.to_ascii_uppercase())
    }
}

impl RawTgStickiness {
    /// The stickiness type AWS uses when none is given: `lb_cookie` for
    /// HTTP target groups, `source_ip` for TCP/UDP ones.
    pub fn effective_type(&self, tg: &RawTargetGroup) -> Option<String> {
        if let Some(t) = &self.kind {
            return Some(t.clone());
        }
        match tg.protocol().as_deref() {
            _ if tg.is_http() => Some("lb_cookie".into()),
            Some("TCP" | "UDP" | "TCP_UDP") => Some("source_ip".into()),
            Some("GENEVE") => Some("source_ip_dest_ip_proto".into()),
            _ => None,
        }
    }
}
