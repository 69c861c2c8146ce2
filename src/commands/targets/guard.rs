//! The capacity guard of `lbctl targets deregister`: which registered
//! targets the arguments name, and whether removing them leaves enough
//! healthy targets (at least one, and at least `--min-healthy`).
//!
//! It checks the deregister plan before the executor runs it; when it
//! refuses, nothing is changed.

use crate::aws::{TargetGroupInfo, TargetHealth};
use crate::error::Error;
use crate::model::Target;
use crate::plan::{Op, Plan};

use super::parse::TargetArg;
use super::table::display;
use crate::health::MinHealthy;

/// The registered targets the arguments name; refuses if one is not
/// registered.
pub(super) fn registered_matches(
    tg: &TargetGroupInfo,
    health: &[TargetHealth],
    args: &[TargetArg],
) -> Result<Vec<Target>, Error> {
    let mut out: Vec<Target> = Vec::new();
    let mut missing = Vec::new();
    for arg in args {
        let found: Vec<&TargetHealth> = health
            .iter()
            .filter(|h| h.is_registered() && h.target.id == arg.id)
            .filter(|h| arg.port.is_none() || h.target.port == arg.port)
            .collect();
        if found.is_empty() {
            missing.push(format!("`{}`", display(&arg.id, arg.port)));
        }
        for h in found {
            if !out.iter().any(|t| same(t, &h.target)) {
                // AWS wants the zone back only for IP targets outside the
                // VPC (`all`); it rejects one for instance targets.
                let zone = h.target.availability_zone.as_deref();
                out.push(Target {
                    availability_zone: zone.filter(|z| *z == "all").map(str::to_string),
                    quic_server_id: None,
                    ..h.target.clone()
                });
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::Refused {
            message: format!(
                "not registered in target group `{}`: {}; nothing was changed",
                tg.name,
                missing.join(", ")
            ),
            hint: Some(format!("see `lbctl targets list {}`", tg.name)),
        });
    }
    Ok(out)
}

/// Healthy targets before and after a deregistration, and how many must stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Capacity {
    registered: usize,
    healthy: usize,
    healthy_after: usize,
    required: usize,
}

impl Capacity {
    /// At least one healthy target must remain, and at least `--min-healthy`.
    pub(super) fn after(
        health: &[TargetHealth],
        removing: &[Target],
        min: Option<MinHealthy>,
    ) -> Capacity {
        let registered = health.iter().filter(|h| h.is_registered()).count();
        let healthy: Vec<&TargetHealth> = health.iter().filter(|h| h.is_healthy()).collect();
        let healthy_after = healthy
            .iter()
            .filter(|h| !removing.iter().any(|t| same(t, &h.target)))
            .count();
        let required = min.map_or(1, |m| m.required(registered));
        Capacity {
            registered,
            healthy: healthy.len(),
            healthy_after,
            required,
        }
    }

    pub(super) fn too_low(&self) -> bool {
        self.healthy_after < self.required
    }

    pub(super) fn message(&self, tg: &str, removing: usize, min: Option<MinHealthy>) -> String {
        let rule = match min {
            Some(m) => format!("the {} required by --min-healthy {m}", self.required),
            None => "the 1 required".to_string(),
        };
        format!(
            "removing {removing} of the {} registered target(s) of `{tg}` would leave {} of its \
             {} healthy target(s), fewer than {rule}",
            self.registered, self.healthy_after, self.healthy
        )
    }
}

/// The capacity guard as a safety check on a plan: the capacity left by
/// its deregistrations when it is too low, else `None`. Only groups this
/// `health` is of are in such a plan (one `targets` step).
pub(super) fn check(
    plan: &Plan,
    health: &[TargetHealth],
    min: Option<MinHealthy>,
) -> Option<Capacity> {
    let removing: Vec<Target> = plan
        .steps
        .iter()
        .filter_map(|s| match &s.op {
            Op::Targets { deregister, .. } => Some(deregister.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect();
    let capacity = Capacity::after(health, &removing, min);
    capacity.too_low().then_some(capacity)
}

pub(super) fn same(a: &Target, b: &Target) -> bool {
    a.id == b.id && (a.port.is_none() || b.port.is_none() || a.port == b.port)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::health;
    use super::*;
    use crate::aws::TargetState;

    #[test]
    fn capacity_keeps_one_healthy_target_and_the_minimum() {
        let h = vec![
            health("10.0.0.1", 80, TargetState::Healthy, None),
            health("10.0.0.2", 80, TargetState::Healthy, None),
            health(
                "10.0.0.3",
                80,
                TargetState::Unhealthy,
                Some("Target.Timeout"),
            ),
            health(
                "10.0.0.4",
                80,
                TargetState::Draining,
                Some("Target.DeregistrationInProgress"),
            ),
        ];
        let one = [h[0].target.clone()];
        let both = [h[0].target.clone(), h[1].target.clone()];
        let c = Capacity::after(&h, &one, None);
        assert_eq!(
            (c.registered, c.healthy, c.healthy_after, c.required),
            (3, 2, 1, 1)
        );
        assert!(!c.too_low());
        assert!(Capacity::after(&h, &both, None).too_low());
        assert!(Capacity::after(&h, &one, Some(MinHealthy::Count(2))).too_low());
        // 50% of 3 registered is 2 (rounded up).
        assert!(Capacity::after(&h, &one, Some(MinHealthy::Percent(50))).too_low());
        assert!(!Capacity::after(&h, &one, Some(MinHealthy::Percent(30))).too_low());
        // --min-healthy 0 does not lift the one-healthy-target floor.
        assert!(Capacity::after(&h, &both, Some(MinHealthy::Count(0))).too_low());
        let m = Capacity::after(&h, &both, None).message("web", 2, None);
        assert!(m.contains("leave 0 of its 2 healthy"), "{m}");
    }
}
