//! The health of a registered target, as lbctl reasons about it (health
//! gates, capacity guards, waits). `aws::targets` fills it in from
//! DescribeTargetHealth; nothing here names an SDK type.

use super::Target;

/// The health of one target, as DescribeTargetHealth reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetHealth {
    pub target: Target,
    pub state: TargetState,
    /// AWS's reason code, e.g. `Target.NotInUse`.
    pub reason: Option<String>,
    pub description: Option<String>,
}

/// A target's health state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetState {
    Initial,
    Healthy,
    Unhealthy,
    /// `unhealthy.draining` (network load balancers).
    UnhealthyDraining,
    Unused,
    Draining,
    /// Health checks are disabled (lambda by default).
    Unavailable,
    Other(String),
}

impl TargetState {
    /// The name AWS uses.
    pub fn as_str(&self) -> &str {
        match self {
            TargetState::Initial => "initial",
            TargetState::Healthy => "healthy",
            TargetState::Unhealthy => "unhealthy",
            TargetState::UnhealthyDraining => "unhealthy.draining",
            TargetState::Unused => "unused",
            TargetState::Draining => "draining",
            TargetState::Unavailable => "unavailable",
            TargetState::Other(s) => s,
        }
    }
}

impl TargetHealth {
    /// Registered and not on its way out: draining targets and those AWS
    /// reports as `Target.NotRegistered` do not count.
    pub fn is_registered(&self) -> bool {
        !self.is_draining() && !self.has_reason("Target.NotRegistered")
    }

    pub fn is_draining(&self) -> bool {
        matches!(
            self.state,
            TargetState::Draining | TargetState::UnhealthyDraining
        )
    }

    pub fn is_healthy(&self) -> bool {
        self.state == TargetState::Healthy
    }

    pub fn has_reason(&self, reason: &str) -> bool {
        self.reason.as_deref() == Some(reason)
    }
}
