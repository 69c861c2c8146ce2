//! Building [`Diagnostic`]s: a spec file ([`Source`]) turns a spec path into
//! file:line:col, and [`Check`] collects the problems of one resource with
//! its name in front ("target group `web`: ...").
//!
//! Nothing here decides what is wrong; parsing and validation do.

use super::location::{join_key, Locations};
use super::Diagnostic;

/// One spec file: its name as given and where its values stand.
#[derive(Debug, Clone)]
pub struct Source {
    pub file: String,
    pub locations: Locations,
}

impl Source {
    /// A diagnostic placed at `path` (a value, or the key that introduces it).
    pub fn diag(&self, path: &str, message: String, hint: Option<String>) -> Diagnostic {
        let (line, column) = self.locations.locate(path);
        self.diag_at(path, (line, column), message, hint)
    }

    /// A diagnostic placed at the key of `path` (for unknown keys).
    pub fn diag_key(&self, path: &str, message: String, hint: Option<String>) -> Diagnostic {
        let place = self.locations.locate_key(path);
        self.diag_at(path, place, message, hint)
    }

    /// A diagnostic at an explicit place (serde_yaml syntax errors).
    pub fn diag_at(
        &self,
        path: &str,
        (line, column): (usize, usize),
        message: String,
        hint: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line,
            column,
            path: path.to_string(),
            message,
            hint,
        }
    }
}

/// The problems of one resource (or one part of it): every message gets the
/// resource's description in front and every path is relative to its base.
pub struct Check<'a> {
    pub src: &'a Source,
    pub out: &'a mut Vec<Diagnostic>,
    /// How the resource is named in messages: "target group `web`".
    pub what: String,
    /// The resource's path in the file: `target_groups.web`.
    pub base: String,
}

impl Check<'_> {
    /// The full path of `rel` (`""` is the resource itself).
    pub fn path(&self, rel: &str) -> String {
        if rel.is_empty() {
            self.base.clone()
        } else if rel.starts_with('[') {
            format!("{}{rel}", self.base)
        } else {
            join_key(&self.base, rel)
        }
    }

    /// Report a problem at `rel`.
    pub fn err(&mut self, rel: &str, message: impl std::fmt::Display) {
        self.push(rel, message.to_string(), None);
    }

    /// Report a problem at `rel` with a hint on how to fix it.
    pub fn hint(&mut self, rel: &str, message: impl std::fmt::Display, hint: impl Into<String>) {
        self.push(rel, message.to_string(), Some(hint.into()));
    }

    fn push(&mut self, rel: &str, message: String, hint: Option<String>) {
        let path = self.path(rel);
        let message = format!("{}: {message}", self.what);
        self.out.push(self.src.diag(&path, message, hint));
    }

    /// A check for a part of this resource, with its own description.
    pub fn sub(&mut self, rel: &str, what: String) -> Check<'_> {
        Check {
            src: self.src,
            base: self.path(rel),
            out: self.out,
            what,
        }
    }
}

/// "one of `a`, `b`, `c`": the hint for an enum value.
pub fn one_of(values: &[&str]) -> String {
    let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    format!("use one of {}", list.join(", "))
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Hint for an unknown name: "did you mean `x`?" and the valid names.
pub fn suggest(word: &str, candidates: &[&str], noun: &str) -> String {
    let list: Vec<String> = candidates.iter().map(|v| format!("`{v}`")).collect();
    let valid = if list.is_empty() {
        format!("no {noun} is defined")
    } else {
        format!("{noun}: {}", list.join(", "))
    };
    match closest(word, candidates) {
        Some(best) => format!("did you mean `{best}`? {valid}"),
        None => valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        let keys = ["protocol", "port", "health_check", "targets"];
        assert_eq!(closest("helth_check", &keys), Some("health_check"));
        assert_eq!(closest("zzz", &keys), None);
        let hint = suggest("helth_check", &keys, "valid keys");
        assert!(hint.starts_with("did you mean `health_check`?"), "{hint}");
        assert!(hint.contains("`targets`"), "{hint}");
    }
}
