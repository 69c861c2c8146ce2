//! The one printer. Everything lbctl writes goes through here, and every
//! text is scrubbed of secrets on the way ([`crate::secrets::scrub`]), so no
//! caller has to remember to.
//!
//! Data goes to stdout through [`print`], which treats a closed pipe as the
//! reader having had enough (`lbctl plan -o json | head -1`): the command
//! stops and lbctl exits 0, as ripgrep does, instead of panicking inside
//! `print!`. Diagnostics, warnings and progress lines go to stderr through
//! [`eprint`] and [`eprintln`] (progress bars draw through indicatif, with
//! messages scrubbed by their callers).

use std::io::{ErrorKind, Write};

use crate::error::Error;

/// Writes `text` to stdout and flushes it; a closed pipe is
/// [`Error::ClosedPipe`], which exits 0 without a message.
pub fn print(text: &str) -> Result<(), Error> {
    let text = crate::secrets::scrub(text);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Error::ClosedPipe),
        Err(e) => Err(Error::Other(format!("cannot write to stdout: {e}"))),
    }
}

/// [`print`] for output that is a side show of the command (apply's plan,
/// shift's closing diff): a closed pipe does not stop the command.
pub fn print_lenient(text: &str) -> Result<(), Error> {
    match print(text) {
        Err(Error::ClosedPipe) => Ok(()),
        other => other,
    }
}

/// Writes `text` to stderr, scrubbed. A failed write to stderr is ignored:
/// there is nowhere left to report it.
pub fn eprint(text: &str) {
    let text = crate::secrets::scrub(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// [`eprint`] with a newline.
pub fn eprintln(line: &str) {
    eprint(&format!("{line}\n"));
}
