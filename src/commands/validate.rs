//! `lbctl validate`: parse and check spec files offline. No AWS call.
//!
//! Parameters from SSM are not fetched: they stand in as placeholders, and
//! type or validation problems found exactly where one is used are not
//! reported. Their values are checked at plan time, when they are known.

use crate::cli::SpecFiles;
use crate::error::{Error, ExitStatus};
use crate::spec;

use super::Settings;

pub fn run(settings: &Settings, args: &SpecFiles) -> Result<ExitStatus, Error> {
    let draft = spec::read(&args.files);
    let spec = draft.offline()?;
    // The same region rule as plan's, checked offline.
    super::region::rank(
        settings.aws.region.as_deref(),
        spec.region.as_deref(),
        "the spec's `region:`",
    )?;
    if !settings.quiet {
        crate::output::print(&format!(
            "{}: valid spec for stack `{}`\n",
            spec.files.join(", "),
            spec.stack
        ))?;
        let ssm = draft.ssm_names().len();
        if ssm > 0 {
            crate::output::eprintln(&format!(
                "note: {ssm} SSM parameter{} not fetched; their values are checked at plan time",
                if ssm == 1 { " was" } else { "s were" }
            ));
        }
    }
    Ok(ExitStatus::Success)
}
