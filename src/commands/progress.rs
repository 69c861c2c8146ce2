//! Progress lines of a wait without a terminal: a line when what is
//! awaited changes, and now and then while it does not, so a log shows
//! the wait is alive without a line per poll. Shared by
//! `targets register --wait` and apply's health wait.

use std::time::{Duration, Instant};

/// Without a terminal, a progress line is repeated at most this often when
/// nothing changes.
const PLAIN_REPEAT: Duration = Duration::from_secs(15);

/// The last line printed of one wait.
#[derive(Debug, Default)]
pub(super) struct PlainLines {
    last: Option<(String, Instant)>,
}

impl PlainLines {
    /// Whether to print a line for `state` (what is awaited; the clock
    /// alone never makes a new line), remembering it when so.
    pub(super) fn due(&mut self, state: &str) -> bool {
        let due = match &self.last {
            Some((s, at)) => s != state || at.elapsed() >= PLAIN_REPEAT,
            None => true,
        };
        if due {
            self.last = Some((state.to_string(), Instant::now()));
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_printed_when_the_state_changes() {
        let mut lines = PlainLines::default();
        assert!(lines.due("1 of 2 healthy"));
        assert!(!lines.due("1 of 2 healthy"));
        assert!(lines.due("2 of 2 healthy"));
    }
}
