//! `lbctl destroy --stack S`: delete everything stack S owns, DNS included.
//!
//! One path, the same as apply's: the plan is the diff of an empty spec of
//! S against what S owns (load balancers and target groups by their tag;
//! record sets in every zone whose tag says S owns records there; health
//! checks tagged with S), shown, checked against the safety thresholds
//! (`--force` to go past them, never past deletion protection), confirmed
//! like apply (no terminal: `--auto-approve`), and run by the same
//! executor, with apply's exit codes.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::aws::{Aws, Names};
use crate::cli::DestroyArgs;
use crate::diff;
use crate::error::{Error, ExitStatus};
use crate::model::Model;
use crate::render;
use crate::safety;

use super::{apply, pipeline, Settings};

pub async fn run(settings: &Settings, args: &DestroyArgs) -> Result<ExitStatus, Error> {
    let stack = args.stack.as_str();
    if !crate::export::valid_stack(stack) {
        return Err(Error::Refused {
            message: format!("`{stack}` is not a valid stack name"),
            hint: Some("a stack name is 1 to 32 characters of a-z, 0-9 and `-`".into()),
        });
    }
    // Decided before any AWS call: without a terminal there is nobody to ask.
    if !args.auto_approve && !settings.interactive {
        return Err(Error::Refused {
            message: "stdin is not a terminal, so destroy cannot ask for confirmation; \
                      nothing was changed"
                .into(),
            hint: Some(format!(
                "review the plan on a terminal, or run `lbctl destroy --stack {stack} --auto-approve`"
            )),
        });
    }
    let started = Instant::now();
    let aws = Aws::connect(&settings.aws).await?;
    let live = aws.read(stack, &Names::default()).await?;
    let desired = Model::default();
    let mut plan = diff::diff(&diff::Input {
        stack,
        desired: &desired,
        live: &live.model,
        in_use: &live.in_use,
        target_group_names: &live.target_group_names,
        load_balancer_dns: &pipeline::load_balancer_dns(&live),
        adopt: false,
        ttl_warning: diff::TTL_WARNING,
        instance_addresses: &BTreeSet::new(),
    });
    let thresholds = safety::Thresholds::default();
    let violations = safety::check(&plan, &live.model, &thresholds);
    plan.warnings.extend(safety::warnings(&violations));
    let planned = pipeline::Planned {
        plan,
        aws,
        live,
        started,
        basis: pipeline::Basis::default(),
    };
    let plan = &planned.plan;
    if plan.is_empty() {
        if !settings.quiet {
            let place = planned
                .aws
                .region()
                .map(|r| format!(" in region `{r}`"))
                .unwrap_or_default();
            crate::output::eprintln(&format!(
                "stack `{stack}` owns nothing{place}; nothing to destroy"
            ));
        }
        pipeline::print_stats(settings, &planned);
        return Ok(ExitStatus::Success);
    }
    if !settings.quiet {
        let styling = render::text::Styling {
            color: settings.color,
        };
        crate::output::print_lenient(&render::text::plan(plan, styling))?;
    }
    safety::refuse(&violations, args.force)?;
    if !args.auto_approve && !apply::confirm(plan.steps.len(), stack)? {
        return Err(Error::Refused {
            message: "destroy cancelled; nothing was changed".into(),
            hint: None,
        });
    }
    let options = crate::apply::Options {
        dns_wait: !args.no_wait,
        // Deletes switch no traffic to new target groups.
        health_timeout: Duration::ZERO,
    };
    apply::run_approved(settings, &planned, options).await
}
