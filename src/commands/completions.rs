//! `lbctl completions SHELL`: shell completion script on stdout.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, ExitStatus};

pub fn run(shell: clap_complete::Shell) -> Result<ExitStatus, Error> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "lbctl", &mut script);
    crate::output::print(&String::from_utf8_lossy(&script))?;
    Ok(ExitStatus::Success)
}
