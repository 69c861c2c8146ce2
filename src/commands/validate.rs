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
    if !settings.quiet {
        println!(
            "{}: valid spec for stack `{}`",
            spec.files.join(", "),
            spec.stack
        );
        let ssm = draft.ssm_names().len();
        if ssm > 0 {
            eprintln!(
                "note: {ssm} SSM parameter{} not fetched; their values are checked at plan time",
                if ssm == 1 { " was" } else { "s were" }
            );
        }
    }
    Ok(ExitStatus::Success)
}
