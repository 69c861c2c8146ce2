//! `lbctl plan`: show what apply would change, and with `--out` save it
//! for `lbctl apply PLAN` (see `crate::saved`).

use std::path::Path;

use crate::cli::{OutputFormat, PlanArgs};
use crate::error::{Error, ExitStatus};
use crate::render;
use crate::safety;
use crate::saved;

use super::{pipeline, Settings};

pub async fn run(settings: &Settings, args: &PlanArgs) -> Result<ExitStatus, Error> {
    let mut planned = pipeline::plan(
        settings,
        &args.spec.files,
        pipeline::Options {
            adopt: args.adopt,
            ttl_warning: args.ttl_warning,
        },
    )
    .await?;
    // Safety violations show as warnings, so CI sees early what apply
    // will refuse.
    let thresholds = safety::Thresholds::resolve(&planned.basis.safety, &(&args.safety).into());
    let violations = safety::check(&planned.plan, &planned.live.model, &thresholds);
    planned.plan.warnings.extend(safety::warnings(&violations));
    let traffic = if args.traffic {
        let zones = planned.aws.zones(&planned.basis.desired).await?;
        let analysis = crate::traffic::analyse(&planned.basis.desired, &zones);
        planned
            .plan
            .warnings
            .extend(analysis.warnings.iter().cloned());
        Some(analysis)
    } else {
        None
    };
    let plan = &planned.plan;
    let mut text = match args.output {
        OutputFormat::Text => render::text::plan(
            plan,
            render::text::Styling {
                color: settings.color,
            },
        ),
        OutputFormat::Markdown => render::markdown::plan(plan),
        OutputFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&render::json::plan(plan)).expect("plan serialises")
        ),
    };
    // The tables follow the plan; JSON output keeps only the warnings.
    match (&traffic, args.output) {
        (Some(a), OutputFormat::Text) => {
            text.push_str(&format!("\n{}", render::traffic::analysis(a)))
        }
        (Some(a), OutputFormat::Markdown) => {
            text.push_str(&format!("\n```\n{}```\n", render::traffic::analysis(a)))
        }
        _ => {}
    }
    crate::output::print(&text)?;
    // Apply would refuse: so does plan (exit 1), so that a CI gate on
    // `plan --detailed-exitcode` never passes what apply cannot do.
    if !plan.conflicts.is_empty() {
        pipeline::print_stats(settings, &planned);
        return Err(conflicts_refusal(plan));
    }
    if let Some(path) = &args.out {
        save(settings, &planned, thresholds, path)?;
    }
    pipeline::print_stats(settings, &planned);
    if args.detailed_exitcode && !plan.is_empty() {
        return Ok(ExitStatus::Changes);
    }
    Ok(ExitStatus::Success)
}

/// The error of a plan that found resources the stack may not touch
/// without `--adopt` (nothing is saved).
fn conflicts_refusal(plan: &crate::plan::Plan) -> Error {
    let names: Vec<String> = plan
        .conflicts
        .iter()
        .map(|c| format!("{} `{}`", c.kind.as_str(), c.name))
        .collect();
    Error::Refused {
        message: format!(
            "{} exist(s) but not owned by stack `{}`: apply would refuse",
            names.join(", "),
            plan.stack
        ),
        hint: Some(
            "check that the names are right; `lbctl plan --adopt` shows the plan that takes \
             them over"
                .into(),
        ),
    }
}

/// Write the plan, with fingerprints of the live state it was made from,
/// to `path` (through a temporary file, so a failed write leaves no half
/// plan behind).
fn save(
    settings: &Settings,
    planned: &pipeline::Planned,
    thresholds: safety::Thresholds,
    path: &Path,
) -> Result<(), Error> {
    let basis = &planned.basis;
    let saved = saved::save(&saved::Source {
        plan: &planned.plan,
        names: &basis.names,
        desired: &basis.desired,
        live: &planned.live,
        secrets: &basis.secrets,
        region: basis.region.clone(),
        endpoint_url: settings.aws.endpoint_url.clone(),
        thresholds: Some(thresholds),
    })
    .map_err(|e| Error::Other(e.to_string()))?;
    let mut text = serde_json::to_string_pretty(&saved).expect("a saved plan serialises");
    text.push('\n');
    let cannot = |e: std::io::Error| {
        Error::Other(format!(
            "cannot write the plan to `{}`: {e}",
            path.display()
        ))
    };
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".tmp-{}", std::process::id()));
    std::fs::write(&temp, text).map_err(cannot)?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        cannot(e)
    })?;
    if !settings.quiet {
        crate::output::eprintln(&format!(
            "saved the plan to `{0}`; apply exactly these steps with `lbctl apply {0}`",
            path.display()
        ));
    }
    Ok(())
}
