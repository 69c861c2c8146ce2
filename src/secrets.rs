//! Secret values (SSM SecureString parameters): kept out of every output.
//!
//! A process-wide set of secret strings. The pipeline [`register`]s each
//! SecureString value as soon as it is fetched; everything lbctl prints
//! (plan text and JSON, apply progress and reports, error messages, log
//! lines through [`Stderr`]) passes through [`scrub`], which replaces each
//! occurrence of a secret with [`MASK`].
//!
//! Values shorter than [`MIN_LEN`] characters are never registered:
//! scrubbing `80` or `on` would mangle unrelated output (ports, counts,
//! words) while hiding next to nothing. A secret that short is shown like
//! any other value; do not keep such values in SecureString parameters if
//! that matters.
//!
//! Text search cannot find a secret that is a number or a short value (a
//! `weight` of `30`): those are found by where they went instead. The
//! pipeline [`register_places`] each [`Place`] of a plan a SecureString
//! value was put at, and [`declare`]s every SecureString value; the plan
//! renderers (`render::redact`) and saved plans mask what stands there,
//! and every figure computed from it (a traffic share).
//!
//! A live value that a spec no longer takes from a secret is not known to
//! be one: it is masked only while a SecureString parameter that is still
//! declared has exactly that value.
//!
//! This module decides nothing about where secrets come from; it only
//! remembers and hides them.

use std::borrow::Cow;
use std::io::Write;
use std::sync::{OnceLock, RwLock};

/// What a secret is shown as.
pub const MASK: &str = "(sensitive)";

/// Shortest value that is registered (in characters).
pub const MIN_LEN: usize = 4;

/// The registered secrets and their escaped forms, longest first (so a
/// secret that contains another is masked whole).
fn store() -> &'static RwLock<Vec<String>> {
    static SECRETS: OnceLock<RwLock<Vec<String>>> = OnceLock::new();
    SECRETS.get_or_init(Default::default)
}

/// Remember secret values; from now on [`scrub`] hides them. Values
/// shorter than [`MIN_LEN`] characters (and empty ones) are ignored.
///
/// Besides the value itself, its JSON- and Debug-escaped forms are
/// registered where they differ, so that a secret with quotes, backslashes
/// or newlines is hidden in JSON and `{:?}` output too.
pub fn register<I, S>(values: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut new = Vec::new();
    for value in values {
        let value = value.as_ref();
        if value.chars().count() < MIN_LEN {
            continue;
        }
        new.push(value.to_string());
        for escaped in [
            serde_json::to_string(value).unwrap_or_default(),
            format!("{value:?}"),
        ] {
            let inner = escaped
                .strip_prefix('"')
                .and_then(|e| e.strip_suffix('"'))
                .unwrap_or_default();
            if inner != value && !inner.is_empty() {
                new.push(inner.to_string());
            }
        }
    }
    if new.is_empty() {
        return;
    }
    let mut secrets = store().write().unwrap_or_else(|p| p.into_inner());
    for s in new {
        if !secrets.contains(&s) {
            secrets.push(s);
        }
    }
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
}

/// True when no secret has been registered (nothing to scrub).
pub fn is_empty() -> bool {
    store().read().map(|s| s.is_empty()).unwrap_or(false)
}

/// A place in a plan where a value taken from a SecureString stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub kind: crate::plan::Kind,
    /// The step's name (`web`, `web:443`, `api.example.com. A`).
    pub step: String,
    /// For a record set: the member (change path) it is in, by label.
    pub member: Option<String>,
    /// The setting's key: the last key of a change path (`weight` in
    /// `default_action.forward.target_groups[1].weight`), or a key inside
    /// a change's value (a record set member's `weight` or `ttl`).
    pub key: String,
    /// The value as text (`30`): only what equals it is masked.
    pub text: String,
    /// The SSM parameter it came from, as the spec names it.
    pub parameter: String,
}

fn places_store() -> &'static RwLock<Vec<Place>> {
    static PLACES: OnceLock<RwLock<Vec<Place>>> = OnceLock::new();
    PLACES.get_or_init(Default::default)
}

fn declared_store() -> &'static RwLock<Vec<String>> {
    static DECLARED: OnceLock<RwLock<Vec<String>>> = OnceLock::new();
    DECLARED.get_or_init(Default::default)
}

/// Remember places of a plan that hold SecureString values.
pub fn register_places(places: impl IntoIterator<Item = Place>) {
    let mut all = places_store().write().unwrap_or_else(|p| p.into_inner());
    for p in places {
        if !all.contains(&p) {
            all.push(p);
        }
    }
}

/// The registered places.
pub fn places() -> Vec<Place> {
    places_store().read().map(|p| p.clone()).unwrap_or_default()
}

/// Remember the values of SecureString parameters the spec declares, of
/// any length: a live value equal to one is masked where it changes.
pub fn declare<I, S>(values: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut all = declared_store().write().unwrap_or_else(|p| p.into_inner());
    for v in values {
        let v = v.as_ref().to_string();
        if !v.is_empty() && !all.contains(&v) {
            all.push(v);
        }
    }
}

/// Whether `text` is the value of a declared SecureString parameter.
pub fn is_declared(text: &str) -> bool {
    declared_store()
        .read()
        .map(|d| d.iter().any(|v| v == text))
        .unwrap_or(false)
}

/// True when there is nothing to hide: no secret, place or declared value.
pub fn nothing_to_hide() -> bool {
    is_empty()
        && places_store().read().map(|p| p.is_empty()).unwrap_or(true)
        && declared_store()
            .read()
            .map(|d| d.is_empty())
            .unwrap_or(true)
}

/// A scalar JSON value as text (`30`, `true`, `web`); `None` for others.
pub fn as_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `text` with every registered secret replaced by [`MASK`]; borrowed when
/// nothing had to change.
pub fn scrub(text: &str) -> Cow<'_, str> {
    let secrets = store().read().unwrap_or_else(|p| p.into_inner());
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter() {
        if out.contains(secret.as_str()) {
            out = Cow::Owned(out.replace(secret.as_str(), MASK));
        }
    }
    out
}

/// Scrub every string (and object key) in a JSON value, in place.
pub fn scrub_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            if let Cow::Owned(clean) = scrub(s) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_json),
        Value::Object(map) => {
            let dirty = map.keys().any(|k| matches!(scrub(k), Cow::Owned(_)));
            if dirty {
                let old = std::mem::take(map);
                for (k, v) in old {
                    map.insert(scrub(&k).into_owned(), v);
                }
            }
            map.values_mut().for_each(scrub_json);
        }
        _ => {}
    }
}

/// Standard error with secrets scrubbed: the writer for log output.
///
/// The tracing formatter writes each event with one `write_all`, so a
/// secret is never split across two writes. Invalid UTF-8 is written
/// lossily.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        std::io::stderr().write_all(scrub(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The set is process-wide: every test uses values of its own.

    #[test]
    fn secrets_are_masked_wherever_they_occur() {
        register(["s3cr3t-scrub-a", "s3cr3t-scrub-a-longer"]);
        assert_eq!(
            scrub("x=s3cr3t-scrub-a-longer y=s3cr3t-scrub-a"),
            "x=(sensitive) y=(sensitive)"
        );
        assert!(matches!(scrub("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn short_and_empty_values_are_not_registered() {
        register(["", "q7z", "q7z9"]);
        assert_eq!(scrub("q7z"), "q7z");
        assert_eq!(scrub("id q7z9"), "id (sensitive)");
    }

    #[test]
    fn escaped_forms_are_masked_too() {
        register(["quo\"te-scrub\nline"]);
        let json =
            serde_json::to_string(&serde_json::json!({ "v": "quo\"te-scrub\nline" })).unwrap();
        assert_eq!(json, r#"{"v":"quo\"te-scrub\nline"}"#);
        assert_eq!(scrub(&json), r#"{"v":"(sensitive)"}"#);
        let mut v = serde_json::json!({ "a": ["quo\"te-scrub\nline", 1] });
        scrub_json(&mut v);
        assert_eq!(v, serde_json::json!({ "a": ["(sensitive)", 1] }));
    }
}
