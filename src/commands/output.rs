//! Data on stdout, through one function that treats a closed pipe as the
//! reader having had enough (`lbctl plan -o json | head -1`): the command
//! stops and lbctl exits 0, as ripgrep does, instead of panicking inside
//! `print!`. Progress and diagnostics go to stderr elsewhere.

use std::io::{ErrorKind, Write};

use crate::error::Error;

/// Writes `text` to stdout and flushes it; a closed pipe is
/// [`Error::ClosedPipe`], which exits 0 without a message.
pub(super) fn print(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Error::ClosedPipe),
        Err(e) => Err(Error::Other(format!("cannot write to stdout: {e}"))),
    }
}

/// [`print`] for output that is a side show of the command (apply's plan,
/// shift's closing diff): a closed pipe does not stop the command.
pub(super) fn print_lenient(text: &str) -> Result<(), Error> {
    match print(text) {
        Err(Error::ClosedPipe) => Ok(()),
        other => other,
    }
}
