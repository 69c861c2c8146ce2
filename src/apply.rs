//! The executor: runs a plan's steps against AWS in phase order.
//!
//! Steps of one phase run concurrently (bounded); steps sharing a
//! [`Step::group`] run one after another. On the first failure no new step
//! starts, the steps in flight finish, and the [`Report`] says what was
//! done, what failed and what was not started, so the user knows where
//! things stand and a second apply converges.
//!
//! Ctrl-C (SIGINT) during an apply is handled the same way: no new step
//! starts, the steps in flight finish, and the report marks the apply as
//! interrupted (exit 3). A second Ctrl-C exits at once, as SIGKILL would;
//! either way the next apply plans from live state and converges.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

use futures::stream::{self, StreamExt};
use serde::Serialize;

use crate::aws::{Aws, AwsError, Index};
use crate::health::HealthWait;
use crate::plan::{Plan, Step, StepAction};

/// How many steps run at once within a phase.
const CONCURRENCY: usize = 4;

/// What happened to each step of an apply.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Report {
    pub done: Vec<String>,
    pub failed: Vec<(String, String)>,
    pub not_started: Vec<String>,
    /// Resources that steps which failed had created and left in AWS (a
    /// replacement's temporary target group): `target group `web-lbtmp`
    /// (by replace target_group web)`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub created: Vec<String>,
    /// The user pressed Ctrl-C: steps not started were skipped on purpose.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

impl Report {
    pub fn succeeded(&self) -> bool {
        !self.interrupted && self.failed.is_empty() && self.not_started.is_empty()
    }
}

/// Set once Ctrl-C (SIGINT) arrived during an apply; it stays set, so a
/// later part of the same apply (after a TTL countdown) does not start.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static WATCH: Once = Once::new();

/// Whether the user interrupted this process's apply.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Takes over Ctrl-C for the rest of the process (once): the first sets
/// [`interrupted`], the second exits at once with 130. Before an apply
/// starts nothing has changed, so Ctrl-C keeps its default meaning there.
/// Must be called inside the tokio runtime.
fn watch_interrupts() {
    WATCH.call_once(|| {
        // Registered here, not inside the task, so a Ctrl-C right after the
        // first step started is never lost to the default handler.
        let mut signals = match interrupts() {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("cannot handle Ctrl-C: {e}");
                return;
            }
        };
        tokio::spawn(async move {
            if !next_interrupt(&mut signals).await {
                return;
            }
            INTERRUPTED.store(true, Ordering::SeqCst);
            crate::output::eprintln(
                "interrupted: no new step starts; waiting for the steps in flight \
                 (Ctrl-C again stops at once)",
            );
            if next_interrupt(&mut signals).await {
                crate::output::eprintln(
                    "interrupted again: stopping now; run apply again, it plans from live state",
                );
                std::process::exit(130);
            }
        });
    });
}

#[cfg(unix)]
type Interrupts = tokio::signal::unix::Signal;

#[cfg(unix)]
fn interrupts() -> std::io::Result<Interrupts> {
    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
}

#[cfg(unix)]
async fn next_interrupt(signals: &mut Interrupts) -> bool {
    signals.recv().await.is_some()
}

#[cfg(not(unix))]
struct Interrupts;

#[cfg(not(unix))]
fn interrupts() -> std::io::Result<Interrupts> {
    Ok(Interrupts)
}

#[cfg(not(unix))]
async fn next_interrupt(_: &mut Interrupts) -> bool {
    tokio::signal::ctrl_c().await.is_ok()
}

/// Something that wants to hear about progress (a progress bar, or log
/// lines when there is no terminal).
pub trait Progress: Sync {
    fn started(&self, step: &Step);
    fn finished(&self, step: &Step, result: &Result<(), AwsError>);
    /// The step waits (for target health): `state` is what it waits for,
    /// `clock` the time left.
    fn waiting(&self, step: &Step, state: &str, clock: &str);
}

/// A short description of a step for progress and reports:
/// `create target_group web-blue`.
pub fn describe(step: &Step) -> String {
    let verb = match step.action {
        StepAction::Create => "create",
        StepAction::Update => "update",
        StepAction::Replace => "replace",
        StepAction::Delete => "delete",
    };
    format!("{verb} {} {}", step.kind.as_str(), step.name)
}

/// How to run a plan.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Wait until Route 53 changes are INSYNC.
    pub dns_wait: bool,
    /// How long a step may wait for the targets of a target group created
    /// in this apply to be healthy before it switches traffic to them;
    /// zero switches without waiting.
    pub health_timeout: Duration,
}

/// Run every step of `plan`.
pub async fn run(
    aws: &Aws,
    index: &Index,
    plan: &Plan,
    options: Options,
    progress: &dyn Progress,
) -> Report {
    watch_interrupts();
    let stop = AtomicBool::new(false);
    let report = Mutex::new(Report::default());

    let mut phases: BTreeMap<u8, Vec<&Step>> = BTreeMap::new();
    for s in &plan.steps {
        phases.entry(s.phase()).or_default().push(s);
    }
    for steps in phases.into_values() {
        // Units: a group's steps in order, or a single step.
        let mut units: Vec<Vec<&Step>> = Vec::new();
        let mut by_group: BTreeMap<String, usize> = BTreeMap::new();
        for s in steps {
            match s.group() {
                Some(g) => match by_group.get(&g) {
                    Some(&i) => units[i].push(s),
                    None => {
                        by_group.insert(g, units.len());
                        units.push(vec![s]);
                    }
                },
                None => units.push(vec![s]),
            }
        }
        stream::iter(units)
            .for_each_concurrent(CONCURRENCY, |unit| {
                let (stop, report) = (&stop, &report);
                let halted = move || stop.load(Ordering::SeqCst) || interrupted();
                async move {
                    if let Some(zone) = unit[0].zone() {
                        // One zone's record sets go together, in as few
                        // change batches as Route 53 allows.
                        if halted() {
                            let mut r = report.lock().unwrap();
                            r.not_started.extend(unit.iter().map(|s| describe(s)));
                            return;
                        }
                        for s in &unit {
                            progress.started(s);
                        }
                        let result = aws.execute_zone(zone, &unit, index, options.dns_wait).await;
                        for s in &unit {
                            progress.finished(s, &result);
                        }
                        let mut r = report.lock().unwrap();
                        match result {
                            Ok(()) => r.done.extend(unit.iter().map(|s| describe(s))),
                            Err(e) => {
                                stop.store(true, Ordering::SeqCst);
                                let zone_steps: Vec<String> =
                                    unit.iter().map(|s| describe(s)).collect();
                                r.failed.push((
                                    format!(
                                        "change batch for zone {zone} ({})",
                                        zone_steps.join(", ")
                                    ),
                                    e.to_string(),
                                ));
                            }
                        }
                        return;
                    }
                    for s in unit {
                        if halted() {
                            report.lock().unwrap().not_started.push(describe(s));
                            continue;
                        }
                        progress.started(s);
                        let say = |state: &str, clock: &str| progress.waiting(s, state, clock);
                        let health = HealthWait {
                            timeout: options.health_timeout,
                            progress: &say,
                            cancelled: &interrupted,
                        };
                        let result = aws.execute(s, index, &health).await;
                        progress.finished(s, &result);
                        let mut r = report.lock().unwrap();
                        match result {
                            Ok(()) => r.done.push(describe(s)),
                            Err(e) => {
                                stop.store(true, Ordering::SeqCst);
                                r.failed.push((describe(s), e.to_string()));
                                r.created.extend(
                                    index
                                        .created_by(&s.name)
                                        .into_iter()
                                        .map(|what| format!("{what} (by {})", describe(s))),
                                );
                            }
                        }
                    }
                }
            })
            .await;
    }
    let mut report = report.into_inner().unwrap();
    report.interrupted = interrupted();
    report
}
