//! `lbctl validate`: parse and check spec files offline. No AWS call.

use crate::cli::SpecFiles;
use crate::error::{Error, ExitStatus};
use crate::spec;

use super::Settings;

pub fn run(settings: &Settings, args: &SpecFiles) -> Result<ExitStatus, Error> {
    let spec = spec::load(&args.files)?;
    if !settings.quiet {
        println!(
            "{}: valid spec for stack `{}`",
            spec.files.join(", "),
            spec.stack
        );
    }
    Ok(ExitStatus::Success)
}
