//! The typed attribute keys of the December 2026 additions that are
//! mappings: target group `target_failover`, `unhealthy_draining` and
//! `health_thresholds`. The scalar keys are fields of `RawLbAttributes` and
//! `RawTgAttributes` themselves; values and scopes are checked by
//! `validate::typed_attrs`.

use serde::Deserialize;

use crate::spec::scalar::{Seconds, Text};

/// `target_failover: { on_deregistration, on_unhealthy }` (GWLB).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetFailover {
    pub on_deregistration: Option<String>,
    pub on_unhealthy: Option<String>,
}

/// `unhealthy_draining: { connection_termination, interval }` (NLB).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnhealthyDraining {
    pub connection_termination: Option<bool>,
    pub interval: Option<Seconds>,
}

/// `health_thresholds: { dns_failover, unhealthy_routing }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHealthThresholds {
    pub dns_failover: Option<RawThreshold>,
    pub unhealthy_routing: Option<RawThreshold>,
}

/// `{ count, percent }`: an integer or `off` each, as AWS takes them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawThreshold {
    pub count: Option<Text>,
    pub percent: Option<Text>,
}
