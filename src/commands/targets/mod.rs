//! `lbctl targets`: list, register and deregister the targets of one target
//! group, outside of plan/apply.
//!
//! `register` and `deregister` are plans of one `targets` step, run by the
//! executor like `apply` (see `super::mutation`): `--output json` prints
//! that plan and the executor's report, Ctrl-C stops as apply does (exit 3).
//!
//! Flags are parsed into plain data (targets, `--min-healthy`) before any
//! AWS call, so bad syntax costs nothing. The capacity guard checks the
//! plan before it runs and changes nothing when it refuses. The waits poll
//! DescribeTargetHealth and are bounded by the target group's own settings.
//! AWS calls go through [`crate::aws::Aws`]; no file here sees SDK types.
//!
//! `deregister ID` without a port deregisters every registration of that ID
//! (an instance can be registered on several ports); `register ID` without a
//! port uses the target group's port.
//!
//! `parse` turns the arguments into plain data, `guard` is the capacity
//! guard, `wait` the waits with their progress line, `table` the output;
//! this file runs the subcommands in that order.

mod guard;
mod parse;
mod table;
mod wait;

use serde_json::Value;

use crate::aws::{Aws, TargetGroupInfo};
use crate::cli::{MutationOutput, TargetsCommand};
use crate::error::{Error, ExitStatus};
use crate::model::Target;
use crate::plan::{Change, Kind, Op, Plan, Step, StepAction};

use super::{mutation, Settings};
use crate::health::MinHealthy;
use guard::registered_matches;
use parse::{parse_targets, TargetArg};
use table::{list_targets, table};
use wait::{wait_drained, wait_healthy};

pub async fn run(settings: &Settings, command: &TargetsCommand) -> Result<ExitStatus, Error> {
    match command {
        TargetsCommand::List { target_group } | TargetsCommand::Health { target_group } => {
            list(settings, target_group).await
        }
        TargetsCommand::Register {
            target_group,
            targets,
            wait,
            output,
        } => {
            let args = parse_targets(targets)?;
            register(settings, target_group, &args, *wait, *output).await
        }
        TargetsCommand::Deregister {
            target_group,
            targets,
            wait,
            min_healthy,
            force,
            output,
        } => {
            let args = parse_targets(targets)?;
            let options = Deregister {
                wait: *wait,
                min: *min_healthy,
                force: *force,
                output: *output,
            };
            deregister(settings, target_group, &args, options).await
        }
    }
}

async fn list(settings: &Settings, name: &str) -> Result<ExitStatus, Error> {
    let (aws, tg) = connect(settings, name).await?;
    let mut health = aws.target_health(&tg).await?;
    aws.fill_target_zones(&tg, &mut health).await?;
    if !tg.in_use && !settings.quiet {
        crate::output::eprintln(&format!(
            "note: no load balancer uses `{name}`, so AWS does not health-check its targets \
             (on AWS they show `unused`, Target.NotInUse)"
        ));
    }
    if health.is_empty() {
        if !settings.quiet {
            crate::output::eprintln(&format!("target group `{name}` has no registered targets"));
        }
        return Ok(ExitStatus::Success);
    }
    crate::output::print(&format!("{}\n", table(&health)))?;
    Ok(ExitStatus::Success)
}

async fn register(
    settings: &Settings,
    name: &str,
    args: &[TargetArg],
    wait: bool,
    output: MutationOutput,
) -> Result<ExitStatus, Error> {
    let (aws, tg) = connect(settings, name).await?;
    let targets = args
        .iter()
        .map(|a| a.resolve(&tg))
        .collect::<Result<Vec<_>, _>>()?;
    warn_if_managed(settings, &tg);
    let plan = mutation::plan(vec![targets_step(name, &targets, &[])]);
    run_plan(&aws, &plan, output).await?;
    if !settings.quiet {
        crate::output::eprintln(&format!(
            "registered {} target(s) in `{name}`: {}",
            targets.len(),
            list_targets(&targets)
        ));
    }
    if wait {
        wait_healthy(settings, &aws, &tg, &targets).await?;
    }
    Ok(ExitStatus::Success)
}

/// `deregister` options beyond the targets.
struct Deregister {
    wait: bool,
    min: Option<MinHealthy>,
    force: bool,
    output: MutationOutput,
}

async fn deregister(
    settings: &Settings,
    name: &str,
    args: &[TargetArg],
    options: Deregister,
) -> Result<ExitStatus, Error> {
    let (aws, tg) = connect(settings, name).await?;
    let health = aws.target_health(&tg).await?;
    let targets = registered_matches(&tg, &health, args)?;
    let plan = mutation::plan(vec![targets_step(name, &[], &targets)]);
    if let Some(capacity) = guard::check(&plan, &health, options.min) {
        let message = capacity.message(&tg.name, targets.len(), options.min);
        if !options.force {
            return Err(Error::Refused {
                message: format!("refusing to deregister: {message}; nothing was changed"),
                hint: Some(format!(
                    "check `lbctl targets health {name}`; --force deregisters anyway"
                )),
            });
        }
        warn(
            settings,
            &format!("{message}; deregistering anyway (--force)"),
        );
    }
    warn_if_managed(settings, &tg);
    run_plan(&aws, &plan, options.output).await?;
    if !settings.quiet {
        crate::output::eprintln(&format!(
            "deregistered {} target(s) from `{name}`: {}",
            targets.len(),
            list_targets(&targets)
        ));
    }
    if options.wait {
        let delay = aws.deregistration_delay(&tg).await?;
        wait_drained(settings, &aws, &tg, &targets, delay).await?;
    }
    Ok(ExitStatus::Success)
}

/// The plan step that registers and deregisters targets of one group,
/// its changes as `lbctl plan` shows them (`+ 10.0.0.1:80`).
fn targets_step(name: &str, register: &[Target], deregister: &[Target]) -> Step {
    let mut changes: Vec<Change> = register
        .iter()
        .map(|t| Change::new("targets", Value::Null, t.to_string()))
        .collect();
    changes.extend(
        deregister
            .iter()
            .map(|t| Change::new("targets", t.to_string(), Value::Null)),
    );
    Step {
        action: StepAction::Update,
        kind: Kind::Targets,
        name: name.to_string(),
        changes,
        notes: Vec::new(),
        op: Op::Targets {
            target_group: name.to_string(),
            register: register.to_vec(),
            deregister: deregister.to_vec(),
        },
    }
}

/// Runs the plan with the executor; with `--output json` prints the plan
/// and the report (whatever the outcome). A run that did not succeed
/// (failed, or Ctrl-C) prints the report and is an error.
async fn run_plan(aws: &Aws, plan: &Plan, output: MutationOutput) -> Result<(), Error> {
    let report = mutation::execute(aws, plan).await;
    if output == MutationOutput::Json {
        mutation::print_json(&mutation::document(plan, &report))?;
    }
    if report.succeeded() {
        return Ok(());
    }
    // Printed even with --quiet, as apply prints a report that did not
    // succeed.
    crate::output::eprint(&mutation::report_text(
        &report,
        "see `lbctl targets list`; the same command again does what is left",
    ));
    Err(mutation::failure(report))
}

async fn connect(settings: &Settings, name: &str) -> Result<(Aws, TargetGroupInfo), Error> {
    let aws = Aws::connect(&settings.aws).await?;
    match aws.target_group(name).await? {
        Some(tg) => Ok((aws, tg)),
        None => Err(Error::Refused {
            message: format!("target group `{name}` not found in {}", aws.scope().await),
            hint: Some("names are case-sensitive; check the region (--region, AWS_REGION)".into()),
        }),
    }
}

pub(super) fn warn(settings: &Settings, message: &str) {
    if !settings.quiet {
        crate::output::eprintln(&format!("warning: {message}"));
    }
}

fn warn_if_managed(settings: &Settings, tg: &TargetGroupInfo) {
    if let Some(stack) = &tg.stack {
        warn(
            settings,
            &format!(
                "target group `{}` is managed by stack `{stack}` (tag lbctl:stack): the next \
                 `lbctl apply` of that stack undoes this change unless its spec lists these \
                 targets or uses `targets: {{ mode: additive }}`",
                tg.name
            ),
        );
    }
}

/// Fixtures shared by the unit tests beside each part.
#[cfg(test)]
mod fixtures {
    use crate::aws::{TargetHealth, TargetState};
    use crate::model::Target;

    pub(super) fn health(
        id: &str,
        port: u16,
        state: TargetState,
        reason: Option<&str>,
    ) -> TargetHealth {
        TargetHealth {
            target: Target {
                id: id.into(),
                port: Some(port),
                availability_zone: None,
                quic_server_id: None,
            },
            state,
            reason: reason.map(str::to_string),
            description: None,
        }
    }
}
