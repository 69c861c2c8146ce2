//! `lbctl apply`: plan, confirm, execute, report.

use std::io::{BufRead, Write};

use indicatif::{ProgressBar, ProgressStyle};

use crate::apply::{self, describe, Progress};
use crate::aws::AwsError;
use crate::cli::ApplyArgs;
use crate::error::{Error, ExitStatus};
use crate::plan::Step;
use crate::render;
use crate::ttl;

use super::{pipeline, Settings};

pub async fn run(settings: &Settings, args: &ApplyArgs) -> Result<ExitStatus, Error> {
    // Decided before any AWS call: without a terminal there is nobody to ask.
    if !args.auto_approve && !settings.interactive {
        return Err(Error::Refused {
            message:
                "stdin is not a terminal, so apply cannot ask for confirmation; nothing was changed"
                    .into(),
            hint: Some("review `lbctl plan` and run `lbctl apply --auto-approve`".into()),
        });
    }
    let planned = pipeline::plan(
        settings,
        &args.spec.files,
        pipeline::Options {
            adopt: args.adopt,
            ttl_warning: args.ttl_warning,
        },
    )
    .await?;
    let plan = &planned.plan;
    let styling = render::text::Styling {
        color: settings.color,
    };
    if !settings.quiet || !plan.conflicts.is_empty() {
        print!("{}", render::text::plan(plan, styling));
    }
    if !plan.conflicts.is_empty() {
        let names: Vec<String> = plan
            .conflicts
            .iter()
            .map(|c| format!("{} `{}`", c.kind.as_str(), c.name))
            .collect();
        return Err(Error::Refused {
            message: format!(
                "refusing to apply: {} exist(s) but not owned by stack `{}`; nothing was changed",
                names.join(", "),
                plan.stack
            ),
            hint: Some(
                "check that the names are right; to take them over, run apply with --adopt".into(),
            ),
        });
    }
    if plan.is_empty() {
        pipeline::print_stats(settings, &planned);
        return Ok(ExitStatus::Success);
    }
    if !args.auto_approve && !confirm(plan.steps.len(), &plan.stack)? {
        return Err(Error::Refused {
            message: "apply cancelled; nothing was changed".into(),
            hint: None,
        });
    }

    let options = apply::Options {
        dns_wait: !args.no_wait,
    };
    let lowering = args
        .lower_ttl_first
        .then(|| ttl::lower_first(plan, args.lower_ttl_to))
        .flatten();
    let report = match lowering {
        None => run_plan(settings, &planned, plan, options).await,
        Some(l) => {
            // The countdown only means something once every name server
            // serves the short TTL.
            let wait = apply::Options { dns_wait: true };
            let mut report = run_plan(settings, &planned, &l.first, wait).await;
            if report.succeeded() {
                countdown(settings, l.wait_seconds).await;
                let rest = run_plan(settings, &planned, &l.then, options).await;
                report.done.extend(rest.done);
                report.failed.extend(rest.failed);
                report.not_started.extend(rest.not_started);
            } else {
                report.not_started.extend(l.then.steps.iter().map(describe));
            }
            report
        }
    };
    if !settings.quiet || !report.succeeded() {
        eprint!("{}", render::text::report(&report));
    }
    pipeline::print_stats(settings, &planned);
    if report.succeeded() {
        Ok(ExitStatus::Success)
    } else {
        Err(Error::Partial(report))
    }
}

async fn run_plan(
    settings: &Settings,
    planned: &pipeline::Planned,
    plan: &crate::plan::Plan,
    options: apply::Options,
) -> apply::Report {
    let progress = Reporter::new(settings, plan.steps.len());
    let report = apply::run(&planned.aws, &planned.live.index, plan, options, &progress).await;
    progress.finish();
    report
}

/// Wait out an old TTL, showing the time left.
async fn countdown(settings: &Settings, seconds: u32) {
    let message = |left: u32| format!("waiting {left} s for resolvers to drop the old TTL");
    if !settings.quiet {
        eprintln!("{}", message(seconds));
    }
    let bar = settings.progress.then(|| {
        let bar = ProgressBar::new(u64::from(seconds));
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar
    });
    for left in (1..=seconds).rev() {
        if let Some(bar) = &bar {
            bar.set_message(message(left));
            bar.set_position(u64::from(seconds - left));
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

fn confirm(steps: usize, stack: &str) -> Result<bool, Error> {
    eprint!("Apply {steps} step(s) to stack `{stack}`? Only 'yes' is accepted: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::Other(format!("cannot read the answer: {e}")))?;
    Ok(answer.trim() == "yes")
}

/// A progress bar on a terminal, a line per step otherwise.
struct Reporter {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Reporter {
    fn new(settings: &Settings, len: usize) -> Reporter {
        let bar = settings.progress.then(|| {
            let bar = ProgressBar::new(len as u64);
            bar.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Reporter {
            bar,
            quiet: settings.quiet,
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Reporter {
    fn started(&self, step: &Step) {
        if let Some(bar) = &self.bar {
            bar.set_message(crate::secrets::scrub(&describe(step)).into_owned());
        }
    }

    fn finished(&self, step: &Step, result: &Result<(), AwsError>) {
        let line = match result {
            Ok(()) => format!("done: {}", describe(step)),
            Err(e) => format!("failed: {}: {e}", describe(step)),
        };
        // An AWS message may quote a value.
        let line = crate::secrets::scrub(&line).into_owned();
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.println(line);
            }
            None if !self.quiet => eprintln!("{line}"),
            None => {}
        }
    }
}
