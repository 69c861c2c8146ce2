//! One function per subcommand, `(settings, ...) -> Result<ExitStatus>`, and
//! the entry point that parses flags into [`Settings`] and maps the result
//! to an exit code.

mod apply;
mod apply_outputs;
mod completions;
mod destroy;
mod export;
mod mutation;
mod pipeline;
mod plan;
mod progress;
mod reading;
mod region;
mod schema;
mod shift;
mod targets;
mod usage;
mod validate;

use std::io::IsTerminal;

use clap::{CommandFactory, FromArgMatches};

use crate::aws;
use crate::cli::{Cli, Command};
use crate::error::{Error, ExitStatus};

/// Flags and environment, resolved once.
#[derive(Debug, Clone)]
pub struct Settings {
    pub aws: aws::Settings,
    /// Colour on stdout/stderr (a terminal, no `--no-color`, no `NO_COLOR`,
    /// `TERM` not `dumb`).
    pub color: bool,
    /// Progress bars (stderr is a terminal and not quiet).
    pub progress: bool,
    pub quiet: bool,
    pub verbose: u8,
    /// Whether stdin is a terminal (prompts are allowed).
    pub interactive: bool,
}

impl Settings {
    fn from_cli(cli: &Cli) -> Settings {
        let g = &cli.global;
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        Settings {
            aws: aws::Settings {
                region: g.region.clone(),
                profile: g.profile.clone(),
                endpoint_url: g.endpoint_url.clone(),
                rate_limits: g.api_throttle.clone().unwrap_or_default(),
                api_timeout: g.api_timeout,
            },
            color: color_wanted(
                stdout_tty && !g.no_color,
                std::env::var_os("NO_COLOR"),
                std::env::var_os("TERM"),
            ),
            progress: stderr_tty && !g.quiet,
            quiet: g.quiet,
            verbose: g.verbose,
            interactive: std::io::stdin().is_terminal(),
        }
    }
}

/// Whether to colour output on a terminal that may have it (`tty`), given
/// `NO_COLOR` (any non-empty value turns colour off) and `TERM` (`dumb`
/// cannot show colour).
fn color_wanted(
    tty: bool,
    no_color: Option<std::ffi::OsString>,
    term: Option<std::ffi::OsString>,
) -> bool {
    tty && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
}

/// Run lbctl with the process arguments; returns the exit code.
pub fn main() -> i32 {
    // The commit is set here, not on `Cli`, so that the generated man pages
    // and completions do not change with every commit.
    let parsed = Cli::command()
        .long_version(env!("LBCTL_LONG_VERSION"))
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => 0,
                _ => ExitStatus::Usage.code(),
            };
        }
    };
    if let Err(e) = usage::check(&cli) {
        let _ = e.print();
        return ExitStatus::Usage.code();
    }
    let settings = Settings::from_cli(&cli);
    init_logging(&settings);
    match run(cli.command, &settings) {
        Ok(status) => status.code(),
        Err(e) => {
            report_error(&e, &settings);
            e.exit_status().code()
        }
    }
}

fn init_logging(settings: &Settings) {
    // The SDK's own warnings (a provider of the credential chain that found
    // nothing, a missing config file) only with -v: lbctl's errors say what
    // is missing and how to set it.
    let level = match settings.verbose {
        0 => "lbctl=warn",
        1 => "warn",
        2 => "lbctl=debug,warn",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LBCTL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Log lines go through the secret scrubber like all other output.
        .with_writer(|| crate::secrets::Stderr)
        .with_ansi(settings.color)
        .try_init();
}

/// Print an error on stderr, secrets masked (an AWS message or a spec
/// problem may quote a value).
fn report_error(e: &Error, _settings: &Settings) {
    let text = match e {
        // Spec errors carry their own `error:` lines and hints.
        Error::Spec(errors) => errors.to_string(),
        // The report was printed as apply stopped.
        Error::Partial(_) => format!("error: {e}"),
        Error::ClosedPipe => return,
        _ => match e.hint() {
            Some(hint) => format!("error: {e}\n  hint: {hint}"),
            None => format!("error: {e}"),
        },
    };
    crate::output::eprintln(&text);
}

fn run(command: Command, settings: &Settings) -> Result<ExitStatus, Error> {
    match command {
        Command::Validate(args) => validate::run(settings, &args),
        Command::Completions { shell } => completions::run(shell),
        Command::Schema => schema::run(),
        Command::Targets(command) => runtime()?.block_on(targets::run(settings, &command)),
        Command::Shift(args) => runtime()?.block_on(shift::run(settings, &args)),
        Command::Export(args) => runtime()?.block_on(export::run(settings, &args)),
        Command::Destroy(args) => runtime()?.block_on(destroy::run(settings, &args)),
        Command::Plan(args) => runtime()?.block_on(plan::run(settings, &args)),
        Command::Apply(args) => runtime()?.block_on(apply::run(settings, &args)),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the async runtime: {e}")))
}

#[cfg(test)]
mod color_tests {
    use super::color_wanted;

    #[test]
    fn colour_needs_a_terminal_and_no_opt_out() {
        let os = |s: &str| Some(std::ffi::OsString::from(s));
        assert!(color_wanted(true, None, os("xterm-256color")));
        assert!(color_wanted(true, os(""), None));
        assert!(!color_wanted(false, None, os("xterm")));
        assert!(!color_wanted(true, os("1"), os("xterm")));
        assert!(!color_wanted(true, None, os("dumb")));
    }
}
