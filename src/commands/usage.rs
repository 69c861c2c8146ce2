//! Usage rules clap cannot say in one sentence, checked right after
//! parsing: a failure is a usage error (exit 64) with clap's usage text.

use clap::error::ErrorKind;
use clap::CommandFactory;

use crate::cli::{Cli, Command};

/// `apply` takes spec files or a saved plan: with neither, say exactly that
/// (clap alone would show a usage that combines the two).
pub(super) fn check(cli: &Cli) -> Result<(), clap::Error> {
    if let Command::Apply(args) = &cli.command {
        if args.plan.is_none() && args.spec.files.is_empty() {
            return Err(subcommand_error(
                "apply",
                "give -f SPEC (a spec file, repeatable) or a saved PLAN (from `lbctl plan --out`)",
            ));
        }
    }
    Ok(())
}

fn subcommand_error(name: &str, message: &str) -> clap::Error {
    let mut cmd = Cli::command();
    cmd.build();
    match cmd.find_subcommand_mut(name) {
        Some(sub) => sub.error(ErrorKind::MissingRequiredArgument, message),
        None => cmd.error(ErrorKind::MissingRequiredArgument, message),
    }
}
