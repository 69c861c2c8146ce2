//! The `--wait` of `register` and `deregister`: poll DescribeTargetHealth
//! until the targets are healthy (or cannot become so by waiting) or
//! drained, bounded by the target group's own settings, with a progress
//! line on stderr.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::aws::{Aws, TargetGroupInfo, TargetHealth, TargetState};
use crate::error::Error;
use crate::model::Target;

use super::super::progress::PlainLines;
use super::guard::same;
use super::table::show;
use super::{warn, Settings};

/// Time between two DescribeTargetHealth calls while waiting.
const POLL: Duration = Duration::from_secs(2);
/// Added to `healthy_threshold x interval` when waiting for health: the
/// first check starts some seconds after registration.
const HEALTH_GRACE: Duration = Duration::from_secs(60);
/// Added to the deregistration delay: AWS reports the end of draining a
/// little after the delay runs out.
const DRAIN_GRACE: Duration = Duration::from_secs(15);

/// Waits until every target is healthy, or cannot become so by waiting.
pub(super) async fn wait_healthy(
    settings: &Settings,
    aws: &Aws,
    tg: &TargetGroupInfo,
    targets: &[Target],
) -> Result<(), Error> {
    // On AWS, targets of a group that no listener or rule uses are never
    // health-checked: they stay `unused` (Target.NotInUse), so waiting
    // cannot succeed. moto reports them healthy at once.
    if !tg.in_use {
        warn(
            settings,
            &format!(
                "no load balancer uses `{}`: its targets cannot become healthy (not in use); not waiting",
                tg.name
            ),
        );
        return Ok(());
    }
    let bound = Duration::from_secs(u64::from(tg.healthy_threshold * tg.interval)) + HEALTH_GRACE;
    let start = Instant::now();
    let mut progress = Progress::new(settings);
    loop {
        let health = aws.target_health(tg).await?;
        let mut pending = Vec::new();
        let mut stuck = Vec::new();
        for t in targets {
            let h = health.iter().find(|h| same(t, &h.target));
            match h.map(|h| (h, settled(h))) {
                Some((_, Some(Settled::Healthy))) => {}
                Some((h, Some(Settled::Cannot(why)))) => {
                    stuck.push(format!("`{}`: {why}", show(&h.target)))
                }
                Some((h, None)) => {
                    pending.push(format!("{} {}", show(&h.target), h.state.as_str()))
                }
                None => pending.push(format!("{} not yet listed", show(t))),
            }
        }
        if pending.is_empty() {
            progress.finish();
            for s in &stuck {
                warn(settings, &format!("{s}; stopped waiting for it"));
            }
            if !settings.quiet {
                let healthy = targets.len() - stuck.len();
                crate::output::eprintln(&format!(
                    "{healthy} of {} target(s) healthy in `{}`",
                    targets.len(),
                    tg.name
                ));
            }
            return Ok(());
        }
        let elapsed = start.elapsed();
        if elapsed >= bound {
            progress.finish();
            return Err(Error::Other(format!(
                "targets of `{}` not healthy after {} s (healthy threshold {} x interval {} s + {} s): {}; they stay registered",
                tg.name,
                elapsed.as_secs(),
                tg.healthy_threshold,
                tg.interval,
                HEALTH_GRACE.as_secs(),
                pending.join(", ")
            )));
        }
        let left = bound.saturating_sub(elapsed).as_secs();
        progress.update(
            &format!(
                "waiting for {} target(s) to become healthy: {}",
                pending.len(),
                pending.join(", ")
            ),
            &format!(" ({left} s left)"),
        );
        stop_if_interrupted(&progress, tg, "registered")?;
        tokio::time::sleep(POLL).await;
    }
}

enum Settled {
    Healthy,
    /// Cannot become healthy by waiting: why.
    Cannot(String),
}

/// Whether a target's health is final for a wait; `None` while it may
/// still change (initial, unhealthy, registration in progress).
fn settled(h: &TargetHealth) -> Option<Settled> {
    match &h.state {
        TargetState::Healthy => Some(Settled::Healthy),
        TargetState::Unused if h.has_reason("Target.NotInUse") => {
            Some(Settled::Cannot("cannot become healthy: not in use".into()))
        }
        TargetState::Unused if h.has_reason("Target.InvalidState") => Some(Settled::Cannot(
            "cannot become healthy: the instance is not running".into(),
        )),
        TargetState::Unavailable if h.has_reason("Target.HealthCheckDisabled") => {
            Some(Settled::Cannot("health checks are disabled".into()))
        }
        TargetState::Draining | TargetState::UnhealthyDraining => {
            Some(Settled::Cannot("it is being deregistered".into()))
        }
        _ => None,
    }
}

/// Waits until none of the targets is draining or registered, for at most
/// the deregistration delay (plus a little), counting it down.
pub(super) async fn wait_drained(
    settings: &Settings,
    aws: &Aws,
    tg: &TargetGroupInfo,
    targets: &[Target],
    delay: u32,
) -> Result<(), Error> {
    let bound = Duration::from_secs(u64::from(delay)) + DRAIN_GRACE;
    let start = Instant::now();
    let mut progress = Progress::new(settings);
    loop {
        let health = aws.target_health(tg).await?;
        let left: Vec<String> = targets
            .iter()
            .filter_map(|t| health.iter().find(|h| same(t, &h.target)))
            .filter(|h| !h.has_reason("Target.NotRegistered"))
            .map(|h| format!("{} {}", show(&h.target), h.state.as_str()))
            .collect();
        if left.is_empty() {
            progress.finish();
            if !settings.quiet {
                crate::output::eprintln(&format!(
                    "{} target(s) drained from `{}`",
                    targets.len(),
                    tg.name
                ));
            }
            return Ok(());
        }
        let elapsed = start.elapsed();
        if elapsed >= bound {
            progress.finish();
            return Err(Error::Other(format!(
                "targets of `{}` still draining {} s after deregistration (deregistration delay {delay} s): {}",
                tg.name,
                elapsed.as_secs(),
                left.join(", ")
            )));
        }
        let remaining = u64::from(delay).saturating_sub(elapsed.as_secs());
        progress.update(
            &format!("draining {} target(s): {}", left.len(), left.join(", ")),
            &format!(" ({remaining} s left of the {delay} s deregistration delay)"),
        );
        stop_if_interrupted(&progress, tg, "deregistered")?;
        tokio::time::sleep(POLL).await;
    }
}

/// After Ctrl-C (which the executor took over when the step ran) the wait
/// stops: the step was done, so this is an interrupted run (exit 3).
fn stop_if_interrupted(progress: &Progress, tg: &TargetGroupInfo, what: &str) -> Result<(), Error> {
    if !crate::apply::interrupted() {
        return Ok(());
    }
    progress.finish();
    let report = crate::apply::Report {
        done: vec![format!("update targets {}", tg.name)],
        interrupted: true,
        ..Default::default()
    };
    crate::output::eprint(&super::super::mutation::report_text(
        &report,
        &format!(
            "the targets were {what}; stopped waiting for them; see `lbctl targets health {}`",
            tg.name
        ),
    ));
    Err(Error::Partial(report))
}

/// A spinner on a terminal; otherwise a line when the state changes (and
/// now and then while it does not), nothing when quiet.
struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    lines: PlainLines,
}

impl Progress {
    fn new(settings: &Settings) -> Progress {
        let bar = settings.progress.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            quiet: settings.quiet,
            lines: PlainLines::default(),
        }
    }

    /// `state` is what is being waited for; `clock` the time left, which
    /// alone does not make a new plain line.
    fn update(&mut self, state: &str, clock: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{state}{clock}"));
            return;
        }
        if !self.quiet && self.lines.due(state) {
            crate::output::eprintln(&format!("{state}{clock}"));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::health;
    use super::*;

    #[test]
    fn waits_settle_on_final_states() {
        let not_in_use = health(
            "i-01234567",
            80,
            TargetState::Unused,
            Some("Target.NotInUse"),
        );
        assert!(
            matches!(settled(&not_in_use), Some(Settled::Cannot(w)) if w.contains("not in use"))
        );
        assert!(settled(&health(
            "a",
            80,
            TargetState::Initial,
            Some("Elb.InitialHealthChecking")
        ))
        .is_none());
        assert!(settled(&health("a", 80, TargetState::Unhealthy, None)).is_none());
        assert!(matches!(
            settled(&health("a", 80, TargetState::Healthy, None)),
            Some(Settled::Healthy)
        ));
    }
}
