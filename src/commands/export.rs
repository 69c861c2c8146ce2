//! `lbctl export`: live state as a v1 spec on stdout.

use crate::cli::ExportArgs;
use crate::error::{Error, ExitStatus};

use super::Settings;

pub async fn run(_settings: &Settings, _args: &ExportArgs) -> Result<ExitStatus, Error> {
    Err(Error::Other("`lbctl export` is not implemented yet".into()))
}
