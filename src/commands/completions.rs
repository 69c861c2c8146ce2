//! `lbctl completions SHELL`: shell completion script on stdout.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, ExitStatus};

pub fn run(shell: clap_complete::Shell) -> Result<ExitStatus, Error> {
    clap_complete::generate(shell, &mut Cli::command(), "lbctl", &mut std::io::stdout());
    Ok(ExitStatus::Success)
}
