//! `lbctl shift LB:PORT --to TG --steps ...`: move traffic step by step to
//! one target group of a weighted forward (canary, blue/green), outside of
//! plan/apply.
//!
//! Each step sets absolute weights (the receiving group gets the step's
//! share, the others split the rest in proportion to their weights at the
//! start), so a run that was interrupted can simply be run again: steps
//! the live weights have already reached are skipped. Before each step the
//! gates run (health of the receiving group, optionally an HTTP probe); a
//! failed gate puts the starting weights back and exits 1. At the end it
//! prints the spec change that keeps the new weights (with `-f`), or the
//! weights themselves.
//!
//! `steps` parses and computes (pure), `gate` checks, `spec_diff` rewrites
//! the spec text; this file runs them in order and owns the output. AWS
//! calls go through [`crate::aws::Aws`]; no file here sees SDK types.

mod gate;
mod spec_diff;
mod steps;

pub(super) use steps::parse_duration;

use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::aws::shift::{ForwardLookup, WeightedForward};
use crate::aws::Aws;
use crate::cli::ShiftArgs;
use crate::error::{Error, ExitStatus};

use super::Settings;
use gate::{parse_probe, Failed, ProbeUrl};
use spec_diff::Place;
use steps::{
    check_steps, parse_interval, parse_listener, parse_min_healthy, reached, share, show,
    weights_for, MinHealthy, Weights,
};

/// Without a terminal, the countdown prints a line at most this often.
const PLAIN_REPEAT: Duration = Duration::from_secs(30);

/// The arguments of one shift, parsed into plain data.
struct Shift {
    load_balancer: String,
    port: u16,
    rule: Option<u32>,
    to: String,
    steps: Vec<u32>,
    interval: Duration,
    min: Option<MinHealthy>,
    probe: Option<ProbeUrl>,
    /// Path and text of `-f SPEC`.
    spec: Option<(String, String)>,
}

pub async fn run(settings: &Settings, args: &ShiftArgs) -> Result<ExitStatus, Error> {
    let (load_balancer, port) = parse_listener(&args.listener)?;
    check_steps(&args.steps)?;
    let shift = Shift {
        load_balancer,
        port,
        rule: args.rule,
        to: args.to.clone(),
        steps: args.steps.clone(),
        interval: Duration::from_secs(parse_interval(&args.interval)?),
        min: args
            .min_healthy
            .as_deref()
            .map(parse_min_healthy)
            .transpose()?,
        probe: args.probe.as_deref().map(parse_probe).transpose()?,
        spec: args.file.as_deref().map(read_spec).transpose()?,
    };
    let aws = Aws::connect(&settings.aws).await?;
    let forward = find_forward(&aws, &shift).await?;
    let Some(tg) = aws.target_group(&shift.to).await? else {
        return Err(Error::Refused {
            message: format!("target group `{}` not found", shift.to),
            hint: None,
        });
    };
    let start = forward.weights.clone();
    info(
        settings,
        &format!(
            "shifting `{}` to `{}`: now {} ({}%)",
            forward.label,
            shift.to,
            show(&start),
            share(&start, &shift.to)
        ),
    );
    let mut current = start.clone();
    let mut changed = false;
    let n = shift.steps.len();
    for (i, &step) in shift.steps.iter().enumerate() {
        let label = format!("step {}/{n} ({step}%)", i + 1);
        if reached(&current, &shift.to, step) {
            info(
                settings,
                &format!(
                    "{label}: `{}` already has {}%, skipped",
                    shift.to,
                    share(&current, &shift.to)
                ),
            );
            continue;
        }
        if changed {
            countdown(settings, shift.interval, &label).await;
        }
        let mut passed = Vec::new();
        let mut failed = match gate::health(&aws, &tg, shift.min).await? {
            Ok(summary) => {
                passed.push(summary);
                None
            }
            Err(f) => Some(f),
        };
        if let (None, Some(url)) = (&failed, &shift.probe) {
            match gate::probe(url).await {
                Ok(summary) => passed.push(summary),
                Err(f) => failed = Some(f),
            }
        }
        if let Some(f) = failed {
            return Err(roll_back(&aws, &forward, &start, changed, &label, f).await);
        }
        let next = weights_for(&start, &shift.to, step);
        aws.set_forward_weights(&forward, &next).await?;
        current = next;
        changed = true;
        info(
            settings,
            &format!("{label}: {} ({})", show(&current), passed.join("; ")),
        );
    }
    if !changed {
        info(settings, "nothing to do: every step was reached already");
    }
    report(settings, &shift, &forward.label, &current);
    Ok(ExitStatus::Success)
}

fn read_spec(path: &Path) -> Result<(String, String), Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Other(format!("cannot read `{}`: {e}", path.display())))?;
    Ok((path.display().to_string(), text))
}

/// The forward to shift; refuses when there is none, or when it does not
/// name the receiving group together with at least one other.
async fn find_forward(aws: &Aws, shift: &Shift) -> Result<WeightedForward, Error> {
    let forward = match aws
        .weighted_forward(&shift.load_balancer, shift.port, shift.rule)
        .await?
    {
        ForwardLookup::Found(f) => f,
        ForwardLookup::Missing(why) => {
            return Err(Error::Refused {
                message: format!("{why}; nothing was changed"),
                hint: Some(
                    "names are case-sensitive; check the region (--region, AWS_REGION)".into(),
                ),
            })
        }
    };
    let names: Vec<String> = forward
        .weights
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect();
    if !forward.weights.iter().any(|(n, _)| *n == shift.to) || forward.weights.len() < 2 {
        return Err(Error::Refused {
            message: format!(
                "`{}` forwards to {}: it has no weighted forward between `{}` and another \
                 target group; nothing was changed",
                forward.label,
                names.join(", "),
                shift.to
            ),
            hint: Some(format!(
                "list `{}` in the forward's `target_groups` with `weight: 0` and apply first",
                shift.to
            )),
        });
    }
    Ok(forward)
}

/// Puts the starting weights back (if a step changed them) and builds the
/// error that names the failed gate.
async fn roll_back(
    aws: &Aws,
    forward: &WeightedForward,
    start: &Weights,
    changed: bool,
    label: &str,
    failed: Failed,
) -> Error {
    let head = format!(
        "gate `{}` failed before {label}: {}",
        failed.gate, failed.why
    );
    let hint = Some(
        "fix the cause, then run the same command again: steps already reached are skipped"
            .to_string(),
    );
    if !changed {
        return Error::Refused {
            message: format!("{head}; nothing was changed"),
            hint,
        };
    }
    match aws.set_forward_weights(forward, start).await {
        Ok(()) => Error::Refused {
            message: format!("{head}; rolled `{}` back to {}", forward.label, show(start)),
            hint,
        },
        Err(e) => Error::Other(format!(
            "{head}; rolling `{}` back to {} failed too: {e}",
            forward.label,
            show(start)
        )),
    }
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
        if elapsed >= interval {
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
                eprintln!("{message}");
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
fn report(settings: &Settings, shift: &Shift, label: &str, weights: &Weights) {
    if let Some((path, text)) = &shift.spec {
        let place = Place {
            load_balancer: &shift.load_balancer,
            port: shift.port,
            rule: shift.rule,
        };
        match spec_diff::rewrite(text, &place, weights) {
            Ok(new) => {
                let diff = spec_diff::unified(text, &new, path);
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
                    print!("{diff}");
                }
                return;
            }
            Err(why) => {
                if !settings.quiet {
                    eprintln!(
                        "warning: cannot find the forward of `{label}` in `{path}`: {why}; \
                         set these weights there by hand"
                    );
                }
            }
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
    println!("target_groups:");
    for (name, weight) in weights {
        println!("  - {{ name: {name}, weight: {weight} }}");
    }
}

/// A progress or diagnostic line on stderr, unless quiet.
fn info(settings: &Settings, message: &str) {
    if !settings.quiet {
        eprintln!("{message}");
    }
}
