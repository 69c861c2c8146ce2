//! The executor: runs a plan's steps against AWS in phase order.
//!
//! Steps of one phase run concurrently (bounded); steps sharing a
//! [`Step::group`] run one after another. On the first failure no new step
//! starts, the steps in flight finish, and the [`Report`] says what was
//! done, what failed and what was not started, so the user knows where
//! things stand and a second apply converges.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use futures::stream::{self, StreamExt};
use serde::Serialize;

use crate::aws::{Aws, AwsError, Index};
use crate::plan::{Plan, Step, StepAction};

/// How many steps run at once within a phase.
const CONCURRENCY: usize = 4;

/// What happened to each step of an apply.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Report {
    pub done: Vec<String>,
    pub failed: Vec<(String, String)>,
    pub not_started: Vec<String>,
}

impl Report {
    pub fn succeeded(&self) -> bool {
        self.failed.is_empty() && self.not_started.is_empty()
    }
}

/// Something that wants to hear about progress (a progress bar, or log
/// lines when there is no terminal).
pub trait Progress: Sync {
    fn started(&self, step: &Step);
    fn finished(&self, step: &Step, result: &Result<(), AwsError>);
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
}

/// Run every step of `plan`.
pub async fn run(
    aws: &Aws,
    index: &Index,
    plan: &Plan,
    options: Options,
    progress: &dyn Progress,
) -> Report {
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
                async move {
                    if let Some(zone) = unit[0].zone() {
                        // One zone's record sets go together, in as few
                        // change batches as Route 53 allows.
                        if stop.load(Ordering::SeqCst) {
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
                        if stop.load(Ordering::SeqCst) {
                            report.lock().unwrap().not_started.push(describe(s));
                            continue;
                        }
                        progress.started(s);
                        let result = aws.execute(s, index).await;
                        progress.finished(s, &result);
                        let mut r = report.lock().unwrap();
                        match result {
                            Ok(()) => r.done.push(describe(s)),
                            Err(e) => {
                                stop.store(true, Ordering::SeqCst);
                                r.failed.push((describe(s), e.to_string()));
                            }
                        }
                    }
                }
            })
            .await;
    }
    report.into_inner().unwrap()
}
