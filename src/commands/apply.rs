//! `lbctl apply`: plan, confirm, execute, report; or, given a saved plan,
//! check it against live state and execute exactly its steps.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use crate::apply::{self, describe, Progress};
use crate::aws::{Aws, AwsError};
use crate::cli::{ApplyArgs, ApplyOutput};
use crate::error::{Error, ExitStatus};
use crate::plan::Step;
use crate::render;
use crate::saved;
use crate::ttl;

use super::apply_outputs::Outputs;
use super::progress::PlainLines;
use super::{pipeline, Settings};

pub async fn run(settings: &Settings, args: &ApplyArgs) -> Result<ExitStatus, Error> {
    if let Some(path) = &args.plan {
        return run_saved(settings, args, path).await;
    }
    // Decided before any AWS call: without a terminal there is nobody to ask.
    if !args.auto_approve && !settings.interactive {
        return Err(Error::Refused {
            message:
                "stdin is not a terminal, so apply cannot ask for confirmation; nothing was changed"
                    .into(),
            hint: Some("review `lbctl plan` and run `lbctl apply --auto-approve`".into()),
        });
    }
    let mut planned = pipeline::plan(
        settings,
        &args.spec.files,
        pipeline::Options {
            adopt: args.adopt,
            ttl_warning: args.ttl_warning,
        },
    )
    .await?;
    // Safety thresholds: shown with the plan, enforced before any change.
    let thresholds =
        crate::safety::Thresholds::resolve(&planned.basis.safety, &(&args.safety).into());
    let violations = crate::safety::check(&planned.plan, &planned.live.model, &thresholds);
    planned
        .plan
        .warnings
        .extend(crate::safety::warnings(&violations));
    let plan = &planned.plan;
    let styling = render::text::Styling {
        color: settings.color,
    };
    if !settings.quiet || !plan.conflicts.is_empty() {
        show_plan(args, &render::text::plan(plan, styling))?;
    }
    refuse_conflicts(plan, "run apply with --adopt")?;
    crate::safety::refuse(&violations, args.force)?;
    if plan.is_empty() {
        print_outputs(settings, args, &Outputs::default())?;
        pipeline::print_stats(settings, &planned);
        return Ok(ExitStatus::Success);
    }
    if !args.auto_approve && !confirm(plan.steps.len(), &plan.stack)? {
        return Err(Error::Refused {
            message: "apply cancelled; nothing was changed".into(),
            hint: None,
        });
    }

    execute(settings, args, &planned).await
}

/// `lbctl apply PLAN`: read the live objects the plan was made from again,
/// refuse if any of them moved, else run exactly the saved steps. The plan
/// was reviewed when it was made, so without a terminal it runs without
/// `--auto-approve`; on a terminal apply still asks.
async fn run_saved(
    settings: &Settings,
    args: &ApplyArgs,
    path: &Path,
) -> Result<ExitStatus, Error> {
    let started = Instant::now();
    let again = || {
        Some(format!(
            "make a new plan with `lbctl plan -f SPEC... --out {}`, review it, and apply that",
            path.display()
        ))
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Other(format!(
            "cannot read the saved plan `{}`: {e}",
            path.display()
        ))
    })?;
    let saved = saved::parse(&text).map_err(|e| Error::Refused {
        message: format!(
            "cannot apply `{}`: {e}; nothing was changed",
            path.display()
        ),
        hint: again(),
    })?;
    // The plan talks to where it was made, unless flags say otherwise.
    let mut aws_settings = settings.aws.clone();
    aws_settings.region = super::region::rank(
        settings.aws.region.as_deref(),
        saved.region.as_deref(),
        "the saved plan's region",
    )?;
    if aws_settings.endpoint_url.is_none() {
        aws_settings.endpoint_url.clone_from(&saved.endpoint_url);
    }
    let aws = Aws::connect(&aws_settings).await?;
    let names = saved.names.to_names();
    let parameters: Vec<String> = saved.parameters.keys().cloned().collect();
    let read = async {
        futures::try_join!(aws.read(&saved.stack, &names), async {
            if parameters.is_empty() {
                return Ok(crate::spec::SsmValues::new());
            }
            aws.ssm_parameters(&parameters).await
        })
    };
    let (live, values) = super::reading::show(settings, &aws, "reading live state", read).await?;
    let values: BTreeMap<String, String> = values.into_iter().map(|(k, v)| (k, v.value)).collect();
    let moved = saved::drift(&saved, &live, &values);
    if !moved.is_empty() {
        let list: String = moved.iter().map(|m| format!("\n  - {m}")).collect();
        return Err(Error::Refused {
            message: format!(
                "refusing to apply `{}`: live state changed since the plan was made; \
                 nothing was changed{list}",
                path.display()
            ),
            hint: again(),
        });
    }
    let thresholds = saved
        .safety
        .unwrap_or_default()
        .with(&(&args.safety).into());
    let mut saved = saved;
    saved::restore_live(&mut saved, &live.model).map_err(|e| Error::Refused {
        message: format!(
            "cannot apply `{}`: {e}; nothing was changed",
            path.display()
        ),
        hint: again(),
    })?;
    let plan = saved::into_plan(saved, &values).map_err(|e| Error::Refused {
        message: format!(
            "cannot apply `{}`: {e}; nothing was changed",
            path.display()
        ),
        hint: again(),
    })?;
    let violations = crate::safety::check(&plan, &live.model, &thresholds);
    if !settings.quiet || !plan.conflicts.is_empty() {
        let styling = render::text::Styling {
            color: settings.color,
        };
        show_plan(args, &render::text::plan(&plan, styling))?;
    }
    refuse_conflicts(&plan, "plan again with --adopt")?;
    crate::safety::refuse(&violations, args.force)?;
    let planned = pipeline::Planned {
        plan,
        aws,
        live,
        started,
        basis: pipeline::Basis::default(),
    };
    let plan = &planned.plan;
    if plan.is_empty() {
        print_outputs(settings, args, &Outputs::default())?;
        pipeline::print_stats(settings, &planned);
        return Ok(ExitStatus::Success);
    }
    if settings.interactive && !args.auto_approve && !confirm(plan.steps.len(), &plan.stack)? {
        return Err(Error::Refused {
            message: "apply cancelled; nothing was changed".into(),
            hint: None,
        });
    }
    execute(settings, args, &planned).await
}

/// The plan before applying: on stdout, or on stderr when stdout is for
/// the JSON of what apply made.
fn show_plan(args: &ApplyArgs, text: &str) -> Result<(), Error> {
    match args.output {
        ApplyOutput::Text => crate::output::print_lenient(text),
        ApplyOutput::Json => {
            crate::output::eprint(text);
            Ok(())
        }
    }
}

/// What a user needs next, on stdout: DNS names of the load balancers and
/// the record sets the plan created or changed. Text is left out with
/// `--quiet`; JSON is data and always printed.
/// A closed stdout does not fail an apply that has done its work.
fn print_outputs(settings: &Settings, args: &ApplyArgs, outputs: &Outputs) -> Result<(), Error> {
    match args.output {
        ApplyOutput::Json => {
            let mut v = outputs.json();
            crate::secrets::scrub_json(&mut v);
            crate::output::print_lenient(&format!("{v:#}\n"))
        }
        ApplyOutput::Text if outputs.is_empty() || settings.quiet => Ok(()),
        ApplyOutput::Text => crate::output::print_lenient(&format!("\n{}", outputs.text())),
    }
}

/// Refuse while the plan names resources the stack does not own.
fn refuse_conflicts(plan: &crate::plan::Plan, adopt_hint: &str) -> Result<(), Error> {
    if plan.conflicts.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = plan
        .conflicts
        .iter()
        .map(|c| format!("{} `{}`", c.kind.as_str(), c.name))
        .collect();
    Err(Error::Refused {
        message: format!(
            "refusing to apply: {} exist(s) but not owned by stack `{}`; nothing was changed",
            names.join(", "),
            plan.stack
        ),
        hint: Some(format!(
            "check that the names are right; to take them over, {adopt_hint}"
        )),
    })
}

/// Run an approved plan (lowering TTLs first if asked), print the report.
async fn execute(
    settings: &Settings,
    args: &ApplyArgs,
    planned: &pipeline::Planned,
) -> Result<ExitStatus, Error> {
    let plan = &planned.plan;
    let options = apply::Options {
        dns_wait: !args.no_wait,
        health_timeout: args.health_timeout,
    };
    let lowering = args
        .lower_ttl_first
        .then(|| ttl::lower_first(plan, args.lower_ttl_to))
        .flatten();
    let report = match lowering {
        None => run_plan(settings, planned, plan, options).await,
        Some(l) => {
            // The countdown only means something once every name server
            // serves the short TTL.
            let wait = apply::Options {
                dns_wait: true,
                ..options
            };
            let mut report = run_plan(settings, planned, &l.first, wait).await;
            if report.succeeded() {
                countdown(settings, l.wait_seconds).await;
                let rest = run_plan(settings, planned, &l.then, options).await;
                report.done.extend(rest.done);
                report.failed.extend(rest.failed);
                report.not_started.extend(rest.not_started);
                report.created.extend(rest.created);
            } else {
                report.not_started.extend(l.then.steps.iter().map(describe));
            }
            report
        }
    };
    if !settings.quiet || !report.succeeded() {
        crate::output::eprint(&render::text::report(&report));
    }
    pipeline::print_stats(settings, planned);
    if report.succeeded() {
        print_outputs(settings, args, &Outputs::of(plan, &planned.live.index))?;
        Ok(ExitStatus::Success)
    } else {
        Err(Error::Partial(report))
    }
}

/// Run an approved plan as it is (no TTL lowering) and print the report:
/// for `destroy`, which goes through the same executor.
pub(super) async fn run_approved(
    settings: &Settings,
    planned: &pipeline::Planned,
    options: apply::Options,
) -> Result<ExitStatus, Error> {
    let report = run_plan(settings, planned, &planned.plan, options).await;
    if !settings.quiet || !report.succeeded() {
        crate::output::eprint(&render::text::report(&report));
    }
    pipeline::print_stats(settings, planned);
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
        crate::output::eprintln(&message(seconds));
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
        // Ctrl-C: the rest of the apply will not start, so stop waiting.
        if apply::interrupted() {
            break;
        }
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

pub(super) fn confirm(steps: usize, stack: &str) -> Result<bool, Error> {
    crate::output::eprint(&format!(
        "Apply {steps} step(s) to stack `{stack}`? Only 'yes' is accepted: "
    ));
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
    /// Plain wait lines already printed, per step.
    waits: Mutex<BTreeMap<String, PlainLines>>,
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
            waits: Mutex::default(),
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
            None if !self.quiet => crate::output::eprintln(&line),
            None => {}
        }
    }

    fn waiting(&self, step: &Step, state: &str, clock: &str) {
        let line = format!("{}: {state}", describe(step));
        match &self.bar {
            Some(bar) => bar.set_message(format!("{line}{clock}")),
            None if self.quiet => {}
            None => {
                let mut waits = self.waits.lock().unwrap();
                if waits.entry(step.name.clone()).or_default().due(&line) {
                    crate::output::eprintln(&format!("{line}{clock}"));
                }
            }
        }
    }
}
