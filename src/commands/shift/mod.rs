//! `lbctl shift LB:PORT --to TG --steps ...` and
//! `lbctl shift --zone Z --record NAME --to ID --steps ...`: move traffic
//! step by step to one target group of a weighted forward, or to one member
//! of a weighted Route 53 record set (canary, blue/green), outside of
//! plan/apply.
//!
//! Each step sets absolute weights (the receiving side gets the step's
//! share, the others split the rest in proportion to their weights at the
//! start), so a run that was interrupted can simply be run again: steps
//! the live weights have already reached are skipped. Before each step the
//! gates run (health of the receiving side, optionally an HTTP probe); a
//! failed gate puts the starting weights back and exits 1. At the end it
//! prints the spec change that keeps the new weights (with `-f`), or the
//! weights themselves.
//!
//! `steps` parses and computes (pure), `target` finds what to shift and
//! its health gate, `gate` checks, `spec_diff` rewrites the spec text and
//! `unified` shows the change; this
//! file runs them in order and owns the output. AWS calls go through
//! [`crate::aws::Aws`]; no file here sees SDK types.

mod gate;
mod log;
mod spec_diff;
mod steps;
mod target;
mod unified;

use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::apply;
use crate::aws::Aws;
use crate::cli::{MutationOutput, ShiftArgs};
use crate::error::{Error, ExitStatus};
use crate::health::MinHealthy;
use crate::plan::Plan;

use super::{mutation, Settings};
use gate::{parse_probe, Failed, Health, ProbeUrl};
use log::Log;
use spec_diff::Miss;
use steps::{check_steps, parse_listener, reached, show, shown_share, weights_for, Weights};
use target::{parse_zone, Target, What};

/// Without a terminal, the countdown prints a line at most this often.
const PLAIN_REPEAT: Duration = Duration::from_secs(30);

/// The arguments of one shift, parsed into plain data.
struct Shift {
    what: What,
    to: String,
    steps: Vec<u32>,
    interval: Duration,
    min: Option<MinHealthy>,
    probe: Option<ProbeUrl>,
    /// `--no-gate`: no health gate on the receiving side.
    no_gate: bool,
    /// Path and text of `-f SPEC`.
    spec: Option<(String, String)>,
    /// `--output`: with `json`, one document on stdout (see `log`), the
    /// spec change or weights snippet on stderr.
    output: MutationOutput,
}

pub async fn run(settings: &Settings, args: &ShiftArgs) -> Result<ExitStatus, Error> {
    let shift = parse(args)?;
    let aws = Aws::connect(&settings.aws).await?;
    if let Some((path, _)) = &shift.spec {
        declare_secrets(settings, &aws, path).await;
    }
    let gate = target::Gate {
        probe: shift.probe.is_some(),
        none: shift.no_gate,
    };
    let (mut target, health) = target::find(&aws, &shift.what, &shift.to, gate).await?;
    announce(settings, &shift, &target, &health);
    let (log, changed) = run_steps(settings, &aws, &shift, &mut target, &health).await?;
    if !changed {
        info(settings, "nothing to do: every step was reached already");
    }
    report(settings, &shift, &target);
    print_log(&shift, log, &target, false)?;
    Ok(ExitStatus::Success)
}

/// The lines before the first step: what is shifted, and warnings about
/// the gates.
fn announce(settings: &Settings, shift: &Shift, target: &Target, health: &Health) {
    if shift.no_gate {
        info(
            settings,
            &format!(
                "warning: --no-gate: steps go ahead without checking the health of `{}`",
                shift.to
            ),
        );
    }
    let start = target.weights();
    info(
        settings,
        &format!(
            "shifting `{}` to `{}`: now {} ({})",
            target.label(),
            shift.to,
            show(start),
            shown_share(start, &shift.to)
        ),
    );
    if shift.min.is_some() && !matches!(health, Health::TargetGroups { .. }) {
        info(
            settings,
            "warning: --min-healthy counts targets of target groups; the health gate here has \
             none, so it is ignored",
        );
    }
}

/// The steps, in order: each skipped when reached, else gated and run as a
/// plan of one step. The log of what happened and whether a step changed
/// the weights; a failed gate (after the roll-back), a failed step or
/// Ctrl-C is an error, with the log printed.
async fn run_steps(
    settings: &Settings,
    aws: &Aws,
    shift: &Shift,
    target: &mut Target,
    health: &Health,
) -> Result<(Log, bool), Error> {
    let start = target.weights().clone();
    let mut log = Log::new(target.label(), &shift.to, &start);
    let mut changed = false;
    let n = shift.steps.len();
    for (i, &step) in shift.steps.iter().enumerate() {
        let label = format!("step {}/{n} ({step}%)", i + 1);
        if reached(target.weights(), &shift.to, step) {
            info(
                settings,
                &format!(
                    "{label}: `{}` already has {}, skipped",
                    shift.to,
                    shown_share(target.weights(), &shift.to)
                ),
            );
            log.skipped(i + 1, step);
            continue;
        }
        if changed {
            countdown(settings, shift.interval, &label).await;
        }
        // After Ctrl-C no gate runs: the executor reports the step as not
        // started.
        let gated = match apply::interrupted() {
            true => Ok(Vec::new()),
            false => gates(aws, shift, health).await?,
        };
        let passed = match gated {
            Ok(passed) => passed,
            Err(f) => {
                log.gate_failed(i + 1, step, &f);
                let (error, ran) =
                    roll_back(aws, target, &shift.what, &start, changed, &label, f).await;
                if let Some((plan, report)) = ran {
                    log.rolled_back(&plan, &report);
                }
                print_log(shift, log, target, false)?;
                return Err(error);
            }
        };
        let next = weights_for(&start, &shift.to, step);
        let plan = mutation::plan(vec![target.step(&shift.what, &next)]);
        let report = mutation::execute(aws, &plan).await;
        log.ran(i + 1, step, &passed, &plan, &report);
        if !report.done.is_empty() {
            target.update(&next);
            changed = true;
        }
        if !report.succeeded() {
            return Err(stopped(shift, log, target, &label, report));
        }
        let passed = if passed.is_empty() {
            String::new()
        } else {
            format!(" ({})", passed.join("; "))
        };
        info(settings, &format!("{label}: {}{passed}", show(&next)));
    }
    Ok((log, changed))
}

/// With `--output json`, the document of the whole shift on stdout.
fn print_log(shift: &Shift, log: Log, target: &Target, interrupted: bool) -> Result<(), Error> {
    if shift.output == MutationOutput::Json {
        mutation::print_json(&log.finish(target.weights(), interrupted))?;
    }
    Ok(())
}

/// A step the executor did not finish: Ctrl-C (exit 3; the weights stay
/// those of the last step done) or an AWS error (exit 1, likewise).
fn stopped(shift: &Shift, log: Log, target: &Target, label: &str, report: apply::Report) -> Error {
    let keeps = format!(
        "`{}` keeps the weights of the last step done: {}",
        target.label(),
        show(target.weights())
    );
    let again = "run the same command again to go on: steps already reached are skipped";
    if report.interrupted {
        // Printed even with --quiet, as apply prints a report that did not
        // succeed.
        crate::output::eprint(&mutation::report_text(
            &report,
            &format!("interrupted before {label}; {keeps}; {again}"),
        ));
        if let Err(e) = print_log(shift, log, target, true) {
            return e;
        }
        return Error::Partial(report);
    }
    if let Err(e) = print_log(shift, log, target, false) {
        return e;
    }
    let errors: Vec<String> = report.failed.iter().map(|(_, e)| e.clone()).collect();
    Error::Refused {
        message: format!("{label} failed: {}; {keeps}", errors.join("; ")),
        hint: Some(format!("fix the cause, then {again}")),
    }
}

/// The arguments, checked and parsed; clap has made sure that exactly one
/// of `LB:PORT` and `--record` is given, `--zone` with `--record`.
fn parse(args: &ShiftArgs) -> Result<Shift, Error> {
    let what = match (&args.listener, &args.record, &args.zone) {
        (Some(listener), _, _) => {
            let (load_balancer, port) = parse_listener(listener)?;
            What::Listener {
                load_balancer,
                port,
                rule: args.rule,
            }
        }
        (None, Some(record), Some(zone)) => What::Record {
            zone: parse_zone(zone),
            name: record.clone(),
            rtype: args
                .record_type
                .as_deref()
                .unwrap_or("A")
                .to_ascii_uppercase(),
            target_group: args.target_group.clone(),
        },
        _ => {
            return Err(Error::Refused {
                message: "name a listener (`LB:PORT`) or a record set (`--zone Z --record NAME`)"
                    .into(),
                hint: None,
            })
        }
    };
    check_steps(&args.steps)?;
    Ok(Shift {
        what,
        to: args.to.clone(),
        steps: args.steps.clone(),
        interval: args.interval,
        min: args.min_healthy,
        probe: args.probe.as_deref().map(parse_probe).transpose()?,
        no_gate: args.no_gate,
        spec: args.file.as_deref().map(read_spec).transpose()?,
        output: args.output,
    })
}

fn read_spec(path: &Path) -> Result<(String, String), Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Other(format!("cannot read `{}`: {e}", path.display())))?;
    Ok((path.display().to_string(), text))
}

/// The gates before a step, in order (health, then probe); what passed, or
/// the first that failed.
async fn gates(
    aws: &Aws,
    shift: &Shift,
    health: &Health,
) -> Result<Result<Vec<String>, Failed>, Error> {
    let mut passed = Vec::new();
    match gate::health(aws, health, shift.min).await? {
        Some(Ok(summary)) => passed.push(summary),
        Some(Err(f)) => return Ok(Err(f)),
        None => {}
    }
    if let Some(url) = &shift.probe {
        match gate::probe(url).await {
            Ok(summary) => passed.push(summary),
            Err(f) => return Ok(Err(f)),
        }
    }
    Ok(Ok(passed))
}

/// Puts the starting weights back (if a step changed them) with a plan of
/// one step, and builds the error that names the failed gate; the plan and
/// its report when one ran.
async fn roll_back(
    aws: &Aws,
    target: &mut Target,
    what: &What,
    start: &Weights,
    changed: bool,
    label: &str,
    failed: Failed,
) -> (Error, Option<(Plan, apply::Report)>) {
    let head = format!(
        "gate `{}` failed before {label}: {}",
        failed.gate, failed.why
    );
    let hint = Some(
        "fix the cause, then run the same command again: steps already reached are skipped"
            .to_string(),
    );
    if !changed {
        let e = Error::Refused {
            message: format!("{head}; nothing was changed"),
            hint,
        };
        return (e, None);
    }
    let plan = mutation::plan(vec![target.step(what, start)]);
    let report = mutation::execute(aws, &plan).await;
    let e = if report.succeeded() {
        target.update(start);
        Error::Refused {
            message: format!(
                "{head}; rolled `{}` back to {}",
                target.label(),
                show(start)
            ),
            hint,
        }
    } else {
        let why: Vec<String> = report.failed.iter().map(|(_, e)| e.clone()).collect();
        let why = match report.interrupted {
            true => "interrupted (Ctrl-C)".to_string(),
            false => why.join("; "),
        };
        Error::Other(format!(
            "{head}; rolling `{}` back to {} failed too: {why}",
            target.label(),
            show(start)
        ))
    };
    (e, Some((plan, report)))
}

/// Waits `interval` before the next step, counting down.
async fn countdown(settings: &Settings, interval: Duration, next: &str) {
    if interval.is_zero() {
        return;
    }
    let started = Instant::now();
    let bar = settings.progress.then(|| {
        let bar = ProgressBar::new(interval.as_secs());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}]")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar
    });
    let mut last_line: Option<Instant> = None;
    loop {
        let elapsed = started.elapsed();
        // Ctrl-C: the next step will not start, so stop waiting.
        if elapsed >= interval || apply::interrupted() {
            break;
        }
        let left = interval - elapsed;
        let message = format!("{next} in {}", clock(left));
        match &bar {
            Some(bar) => {
                bar.set_position(elapsed.as_secs());
                bar.set_message(message);
            }
            None if !settings.quiet && last_line.is_none_or(|t| t.elapsed() >= PLAIN_REPEAT) => {
                crate::output::eprintln(&message);
                last_line = Some(Instant::now());
            }
            None => {}
        }
        tokio::time::sleep(left.min(Duration::from_secs(1))).await;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// `1m 30s`, `45s`.
fn clock(d: Duration) -> String {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    match (s / 60, s % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m {s}s"),
    }
}

/// The spec change that keeps the weights (with `-f`), else the weights.
fn report(settings: &Settings, shift: &Shift, target: &Target) {
    let label = target.label();
    let weights = target.weights();
    if let Some((path, text)) = &shift.spec {
        match spec_diff::rewrite(text, &target.place(&shift.what), weights) {
            Ok(new) => {
                let diff = unified::unified(text, &new, path);
                if diff.is_empty() {
                    info(settings, &format!("`{path}` already has these weights"));
                } else {
                    info(
                        settings,
                        &format!(
                            "make the weights permanent with this change to `{path}` (else \
                             the next `lbctl apply` puts the old ones back):"
                        ),
                    );
                    emit(shift, &diff);
                }
                return;
            }
            Err(Miss::NotFound(why)) => info(
                settings,
                &format!(
                    "warning: cannot find the weights of `{label}` in `{path}`: {why}; set \
                     these weights there by hand:"
                ),
            ),
            Err(Miss::Param { member, reference }) => info(
                settings,
                &format!(
                    "the weight of `{member}` in `{path}` is the parameter reference \
                     `{reference}`, so there is no diff: give the parameters these weights:"
                ),
            ),
        }
    } else {
        info(
            settings,
            &format!(
                "final weights of `{label}`; put them in the spec, else the next `lbctl apply` \
                 puts the old ones back:"
            ),
        );
    }
    emit(shift, &target.snippet(weights));
}

/// The spec change or weights snippet: on stdout, or on stderr when
/// stdout is for the JSON document.
fn emit(shift: &Shift, text: &str) {
    match shift.output {
        MutationOutput::Text => {
            let _ = crate::output::print_lenient(text);
        }
        MutationOutput::Json => crate::output::eprint(text),
    }
}

/// Declare the SecureString values of the `-f SPEC`'s parameters, so that
/// live weights taken from them are masked (see `steps::show`). Best
/// effort: when they cannot be read, a warning says so.
async fn declare_secrets(settings: &Settings, aws: &Aws, path: &str) {
    let names = crate::spec::read(&[std::path::PathBuf::from(path)]).ssm_names();
    if names.is_empty() {
        return;
    }
    match aws.ssm_parameters(&names).await {
        Ok(values) => {
            let secure = values.values().filter(|v| v.secure).map(|v| &v.value);
            crate::secrets::register(secure.clone());
            crate::secrets::declare(secure);
        }
        Err(e) => info(
            settings,
            &format!(
                "warning: cannot read the SSM parameters of `{path}` ({e}): weights taken from \
                 SecureString parameters may show"
            ),
        ),
    }
}

/// A progress or diagnostic line on stderr, unless quiet.
fn info(settings: &Settings, message: &str) {
    if !settings.quiet {
        crate::output::eprintln(message);
    }
}
