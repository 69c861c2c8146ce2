//! `lbctl plan`: show what apply would change.

use crate::cli::{OutputFormat, PlanArgs};
use crate::error::{Error, ExitStatus};
use crate::render;

use super::{pipeline, Settings};

pub async fn run(settings: &Settings, args: &PlanArgs) -> Result<ExitStatus, Error> {
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
    match args.output {
        OutputFormat::Text => print!(
            "{}",
            render::text::plan(
                plan,
                render::text::Styling {
                    color: settings.color
                }
            )
        ),
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&render::json::plan(plan)).expect("plan serialises")
        ),
    }
    pipeline::print_stats(settings, &planned);
    if args.detailed_exitcode && !plan.is_empty() {
        return Ok(ExitStatus::Changes);
    }
    Ok(ExitStatus::Success)
}
