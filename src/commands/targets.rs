//! `lbctl targets`: list, register and deregister targets of one target
//! group, outside of plan/apply.

use crate::cli::TargetsCommand;
use crate::error::{Error, ExitStatus};

use super::Settings;

pub async fn run(_settings: &Settings, _command: &TargetsCommand) -> Result<ExitStatus, Error> {
    Err(Error::Other("`lbctl targets` is not implemented yet".into()))
}
