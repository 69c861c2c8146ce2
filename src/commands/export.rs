//! `lbctl export`: live state as a v1 spec on stdout.
//!
//! Flags become an [`export::Request`]; `aws` reads what it names and
//! `crate::export` writes the spec. The spec goes to stdout, warnings about
//! what could not be written faithfully to stderr.

use crate::aws::Aws;
use crate::cli::ExportArgs;
use crate::error::{Error, ExitStatus};
use crate::export;

use super::Settings;

pub async fn run(settings: &Settings, args: &ExportArgs) -> Result<ExitStatus, Error> {
    if let Some(stack) = args.stack.as_deref().filter(|s| !export::valid_stack(s)) {
        return Err(Error::Refused {
            message: format!("`{stack}` is not a valid stack name"),
            hint: Some("a stack name is 1 to 32 characters of a-z, 0-9 and `-`".into()),
        });
    }
    if args.stack.is_none() && args.load_balancers.is_empty() && args.zones.is_empty() {
        return Err(Error::Refused {
            message: "nothing to export".into(),
            hint: Some("give `--stack STACK`, `--load-balancer NAME` or `--zone ZONE`".into()),
        });
    }
    let request = export::Request {
        stack: args.stack.clone(),
        load_balancers: args.load_balancers.clone(),
        zones: args.zones.clone(),
    };
    let aws = Aws::connect(&settings.aws).await?;
    let read = aws.read_export(&request).await?;
    let region = settings.aws.region.clone().or_else(|| aws.region());
    if let Some(stack) = &args.stack {
        if export::is_empty(&read.selection) {
            let place = region
                .as_deref()
                .map(|r| format!(" in region `{r}`"))
                .unwrap_or_default();
            return Err(Error::Refused {
                message: format!(
                    "stack `{stack}` owns nothing{place}: no load balancer or target group is \
                     tagged `lbctl:stack={stack}` and no hosted zone holds its record sets"
                ),
                hint: Some("check the stack name (the `stack:` of its spec) and `--region`".into()),
            });
        }
    }
    let out = export::export(&read.selection, &read.stack, region.as_deref());
    // The warnings go to stderr even when the reader of stdout left early.
    let printed = crate::output::print(&out.yaml);
    if !settings.quiet {
        for w in read.warnings.iter().chain(&out.warnings) {
            crate::output::eprintln(&format!("warning: {w}"));
        }
    }
    printed?;
    Ok(ExitStatus::Success)
}
