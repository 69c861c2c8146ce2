//! The health wait of apply: before a listener or rule sends traffic to a
//! target group the same apply created, its targets must be healthy.
//!
//! This file is the pure part: the verdict on one DescribeTargetHealth
//! answer, the poll interval, and the settings of a wait; and
//! [`MinHealthy`], the `--min-healthy` threshold of `lbctl shift` and
//! `lbctl targets deregister`. The AWS calls
//! (the warm-up rule that makes AWS health-check the group, the polling,
//! the switch) are in `aws::execute::warm`. moto reports targets healthy
//! at once, so the pending and timeout paths are proved by the unit tests
//! here, not against moto.

use std::fmt::Write;
use std::time::Duration;

use crate::model::health::{TargetHealth, TargetState};

/// How long apply waits for a new target group's targets by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// First pause between two DescribeTargetHealth calls.
const FIRST_POLL: Duration = Duration::from_secs(2);
/// Longest pause between two calls: AWS health checks run every 5 to
/// 300 s, and a switch should not lag far behind health.
const MAX_POLL: Duration = Duration::from_secs(10);

/// How apply waits for health, and whom it tells.
pub struct HealthWait<'a> {
    /// Give up after this long; zero means do not wait at all.
    pub timeout: Duration,
    /// Told what is being waited for, now and then: the state, and the
    /// time left (which alone is no news).
    pub progress: &'a (dyn Fn(&str, &str) + Sync),
    /// True once the user asked the apply to stop (Ctrl-C).
    pub cancelled: &'a (dyn Fn() -> bool + Sync),
}

/// Where one target group stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wait {
    /// Every registered target is healthy (or cannot be health-checked).
    Done,
    /// Not yet: a summary such as `1 of 3 healthy; 10.0.1.5:80 unhealthy
    /// (Target.FailedHealthChecks)`.
    Pending(String),
}

/// The verdict on the health of one group's targets. Draining targets and
/// those no longer registered do not count; targets whose health checks
/// are disabled (lambda) cannot get healthier by waiting and count as
/// ready. A group with no registered target yet is pending.
pub fn verdict(states: &[TargetHealth]) -> Wait {
    let registered: Vec<&TargetHealth> = states.iter().filter(|h| h.is_registered()).collect();
    if registered.is_empty() {
        return Wait::Pending("no registered target yet".into());
    }
    let ready = |h: &TargetHealth| {
        h.is_healthy()
            || (h.state == TargetState::Unavailable && h.has_reason("Target.HealthCheckDisabled"))
    };
    let waiting: Vec<&&TargetHealth> = registered.iter().filter(|h| !ready(h)).collect();
    if waiting.is_empty() {
        return Wait::Done;
    }
    let mut summary = format!(
        "{} of {} healthy;",
        registered.len() - waiting.len(),
        registered.len()
    );
    for (i, h) in waiting.iter().enumerate() {
        let sep = if i == 0 { " " } else { ", " };
        let _ = write!(summary, "{sep}{} {}", h.target, h.state.as_str());
        if let Some(reason) = &h.reason {
            let _ = write!(summary, " ({reason})");
        }
    }
    Wait::Pending(summary)
}

/// The pause before the next poll: from 2 s, half again as long each
/// time, at most 10 s.
pub fn next_poll(previous: Option<Duration>) -> Duration {
    match previous {
        None => FIRST_POLL,
        Some(p) => (p * 3 / 2).min(MAX_POLL),
    }
}

/// `5m`, `90s` -> `1m30s`, `1h`: durations as the flags take them.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::new();
    for (n, unit) in [(h, "h"), (m, "m"), (s, "s")] {
        if n > 0 {
            let _ = write!(out, "{n}{unit}");
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// `--min-healthy`: a count or a share of the registered targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinHealthy {
    Count(usize),
    Percent(u32),
}

impl MinHealthy {
    /// Parses `2` or `50%`; the error says what is accepted.
    pub fn parse(text: &str) -> Result<MinHealthy, String> {
        let parsed = match text.strip_suffix('%') {
            Some(p) => p
                .parse::<u32>()
                .ok()
                .filter(|p| *p <= 100)
                .map(MinHealthy::Percent),
            None => text.parse::<usize>().ok().map(MinHealthy::Count),
        };
        parsed.ok_or_else(|| {
            format!(
                "--min-healthy `{text}` is neither a count (`2`) nor a share from 0% to 100% (`50%`)"
            )
        })
    }

    /// Healthy targets required, given how many are registered: the share
    /// rounded up, and never fewer than one.
    pub fn required(self, registered: usize) -> usize {
        let n = match self {
            MinHealthy::Count(n) => n,
            MinHealthy::Percent(p) => (registered * p as usize).div_ceil(100),
        };
        n.max(1)
    }
}

impl std::fmt::Display for MinHealthy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MinHealthy::Count(n) => write!(f, "{n}"),
            MinHealthy::Percent(p) => write!(f, "{p}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;

    fn health(ip: &str, state: TargetState, reason: Option<&str>) -> TargetHealth {
        TargetHealth {
            target: Target {
                id: ip.into(),
                port: Some(80),
                availability_zone: None,
                quic_server_id: None,
            },
            state,
            reason: reason.map(str::to_string),
            description: None,
        }
    }

    #[test]
    fn all_registered_targets_healthy_is_done() {
        let states = [
            health("10.0.1.4", TargetState::Healthy, None),
            health("10.0.1.5", TargetState::Healthy, None),
            // Draining targets are on their way out: not waited for.
            health(
                "10.0.1.6",
                TargetState::Draining,
                Some("Target.DeregistrationInProgress"),
            ),
        ];
        assert_eq!(verdict(&states), Wait::Done);
    }

    #[test]
    fn one_unhealthy_target_keeps_the_wait_going_and_is_named() {
        let states = [
            health("10.0.1.4", TargetState::Healthy, None),
            health(
                "10.0.1.5",
                TargetState::Unhealthy,
                Some("Target.FailedHealthChecks"),
            ),
            health(
                "10.0.1.6",
                TargetState::Initial,
                Some("Elb.InitialHealthChecking"),
            ),
        ];
        assert_eq!(
            verdict(&states),
            Wait::Pending(
                "1 of 3 healthy; 10.0.1.5:80 unhealthy (Target.FailedHealthChecks), \
                 10.0.1.6:80 initial (Elb.InitialHealthChecking)"
                    .into()
            )
        );
    }

    #[test]
    fn not_in_use_and_empty_groups_are_pending() {
        // Before the warm-up rule takes effect AWS says `unused`.
        let states = [health(
            "10.0.1.4",
            TargetState::Unused,
            Some("Target.NotInUse"),
        )];
        assert!(matches!(verdict(&states), Wait::Pending(s) if s.contains("Target.NotInUse")));
        assert_eq!(
            verdict(&[]),
            Wait::Pending("no registered target yet".into())
        );
        let gone = [health(
            "10.0.1.4",
            TargetState::Unused,
            Some("Target.NotRegistered"),
        )];
        assert!(matches!(verdict(&gone), Wait::Pending(_)));
    }

    #[test]
    fn targets_without_health_checks_do_not_block() {
        let states = [health(
            "arn:aws:lambda:us-east-1:1:function:f",
            TargetState::Unavailable,
            Some("Target.HealthCheckDisabled"),
        )];
        assert_eq!(verdict(&states), Wait::Done);
    }

    #[test]
    fn polls_back_off_to_ten_seconds() {
        let mut at = None;
        let mut seen = vec![];
        for _ in 0..8 {
            let next = next_poll(at);
            seen.push(next.as_secs_f64());
            at = Some(next);
        }
        assert_eq!(seen, [2.0, 3.0, 4.5, 6.75, 10.0, 10.0, 10.0, 10.0]);
    }

    #[test]
    fn durations_read_like_the_flag() {
        assert_eq!(human(Duration::from_secs(300)), "5m");
        assert_eq!(human(Duration::from_secs(90)), "1m30s");
        assert_eq!(human(Duration::from_secs(3600)), "1h");
        assert_eq!(human(Duration::from_secs(0)), "0s");
    }

    #[test]
    fn min_healthy_is_a_count_or_a_share_rounded_up_and_at_least_one() {
        assert_eq!(MinHealthy::parse("2").unwrap(), MinHealthy::Count(2));
        assert_eq!(MinHealthy::parse("50%").unwrap(), MinHealthy::Percent(50));
        for bad in ["150%", "-1", "half", "", "%"] {
            let e = MinHealthy::parse(bad).unwrap_err().to_string();
            assert!(e.contains(&format!("`{bad}`")), "{e}");
        }
        assert_eq!(MinHealthy::Percent(50).required(3), 2);
        assert_eq!(MinHealthy::Percent(34).required(3), 2);
        assert_eq!(MinHealthy::Percent(100).required(4), 4);
        assert_eq!(MinHealthy::Percent(0).required(4), 1);
        assert_eq!(MinHealthy::Count(0).required(3), 1);
        assert_eq!(MinHealthy::Percent(50).to_string(), "50%");
    }
}
