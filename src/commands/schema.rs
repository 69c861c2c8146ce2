//! `lbctl schema`: the JSON Schema of the spec format on stdout, for
//! editors (yaml-language-server); see `docs/schema.md`.

use std::io::Write;

use crate::error::{Error, ExitStatus};

pub fn run() -> Result<ExitStatus, Error> {
    let text = crate::schema::to_pretty_string();
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitStatus::Success),
        // `lbctl schema | head`: the reader has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitStatus::Success),
        Err(e) => Err(Error::Other(format!("cannot write the schema: {e}"))),
    }
}
