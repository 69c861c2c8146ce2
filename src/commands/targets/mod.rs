//! `lbctl targets`: list, register and deregister the targets of one target
//! group, outside of plan/apply.
//!
//! Flags are parsed into plain data (targets, `--min-healthy`) before any
//! AWS call, so bad syntax costs nothing. The capacity guard runs before
//! DeregisterTargets and changes nothing when it refuses. The waits poll
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

use crate::aws::{Aws, TargetGroupInfo};
use crate::cli::TargetsCommand;
use crate::error::{Error, ExitStatus};

use super::Settings;
use crate::health::MinHealthy;
use guard::{registered_matches, Capacity};
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
        } => {
            let args = parse_targets(targets)?;
            register(settings, target_group, &args, *wait).await
        }
        TargetsCommand::Deregister {
            target_group,
            targets,
            wait,
            min_healthy,
            force,
        } => {
            let args = parse_targets(targets)?;
            let options = Deregister {
                wait: *wait,
                min: *min_healthy,
                force: *force,
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
        eprintln!(
            "note: no load balancer uses `{name}`, so AWS does not health-check its targets \
             (on AWS they show `unused`, Target.NotInUse)"
        );
    }
    if health.is_empty() {
        if !settings.quiet {
            eprintln!("target group `{name}` has no registered targets");
        }
        return Ok(ExitStatus::Success);
    }
    super::output::print(&format!("{}\n", table(&health)))?;
    Ok(ExitStatus::Success)
}

async fn register(
    settings: &Settings,
    name: &str,
    args: &[TargetArg],
    wait: bool,
) -> Result<ExitStatus, Error> {
    let (aws, tg) = connect(settings, name).await?;
    let targets = args
        .iter()
        .map(|a| a.resolve(&tg))
        .collect::<Result<Vec<_>, _>>()?;
    warn_if_managed(settings, &tg);
    aws.register_targets(&tg, &targets).await?;
    if !settings.quiet {
        eprintln!(
            "registered {} target(s) in `{name}`: {}",
            targets.len(),
            list_targets(&targets)
        );
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
    let capacity = Capacity::after(&health, &targets, options.min);
    if capacity.too_low() {
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
    aws.deregister_targets(&tg, &targets).await?;
    if !settings.quiet {
        eprintln!(
            "deregistered {} target(s) from `{name}`: {}",
            targets.len(),
            list_targets(&targets)
        );
    }
    if options.wait {
        let delay = aws.deregistration_delay(&tg).await?;
        wait_drained(settings, &aws, &tg, &targets, delay).await?;
    }
    Ok(ExitStatus::Success)
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
        eprintln!("warning: {message}");
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
            },
            state,
            reason: reason.map(str::to_string),
            description: None,
        }
    }
}
