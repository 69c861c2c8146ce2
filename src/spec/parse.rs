//! One spec file: text -> YAML tree -> top-level checks -> typed entries.
//!
//! The file is read into a `serde_yaml::Value` first so that `version` and
//! `stack` can be checked, and parameters substituted, before anything is
//! typed. Each target group, load balancer and `dns` zone (and each record
//! of a zone) is then deserialized on its own (through serde_path_to_error),
//! so one broken entry does not hide the problems of the others. Merging
//! files and validation happen elsewhere.

use serde::de::DeserializeOwned;
use serde_path_to_error::Segment;
use serde_yaml::Value;

use super::diag::{suggest, Source};
use super::location::{join_index, join_key, Locations};
use super::params::Seg;
use super::Diagnostic;

/// Keys allowed at the top of a file.
const TOP_KEYS: &[&str] = &[
    "version",
    "stack",
    "region",
    "safety",
    "parameters",
    "target_groups",
    "load_balancers",
    "dns",
    "cidr_collections",
];

/// A file read up to (not including) typing its entries.
pub struct FileDoc {
    pub src: Source,
    pub stack: Option<String>,
    pub region: Option<String>,
    pub parameters: Option<Value>,
    /// The `safety:` section, untyped.
    pub safety: Option<Value>,
    /// `target_groups` entries, name and YAML, in file order.
    pub target_groups: Vec<(String, Value)>,
    pub load_balancers: Vec<(String, Value)>,
    /// `dns` entries (zones), in file order.
    pub dns: Vec<Value>,
    /// `cidr_collections` entries, name and YAML, in file order.
    pub cidr_collections: Vec<(String, Value)>,
}

/// Read and check the top level of one file. `None` when the file cannot
/// be read or is not YAML (reported in `out`).
pub fn read_file(file: &str, text: &str, out: &mut Vec<Diagnostic>) -> Option<FileDoc> {
    let src = Source {
        file: file.to_string(),
        locations: Locations::build(text),
    };
    let root = match super::syntax::yaml_tree(&src, text) {
        Ok(v) => v,
        Err(ds) => {
            out.extend(ds);
            return None;
        }
    };
    let Value::Mapping(map) = root else {
        let msg = "a spec file must be a mapping starting with `version: 1`".to_string();
        out.push(src.diag("", msg, None));
        return None;
    };
    let mut doc = FileDoc {
        src,
        stack: None,
        region: None,
        parameters: None,
        safety: None,
        target_groups: Vec::new(),
        load_balancers: Vec::new(),
        dns: Vec::new(),
        cidr_collections: Vec::new(),
    };
    let src = &doc.src;
    for key in map.keys() {
        match key.as_str() {
            Some(k) if TOP_KEYS.contains(&k) => {}
            other => {
                let k = other
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{key:?}"));
                let hint = suggest(&k, TOP_KEYS, "valid keys");
                out.push(src.diag_key(&k, format!("unknown key `{k}`"), Some(hint)));
            }
        }
    }
    check_version(src, map.get("version"), out);
    doc.stack = string_key(src, &map, "stack", out);
    if let Some(stack) = &doc.stack {
        if !valid_stack(stack) {
            let msg = format!("stack name `{stack}` is not valid");
            let hint = "use 1 to 32 characters from a-z, 0-9 and `-`";
            out.push(src.diag("stack", msg, Some(hint.into())));
        }
    }
    doc.region = string_key(src, &map, "region", out);
    doc.parameters = map.get("parameters").cloned();
    doc.safety = map.get("safety").cloned();
    doc.target_groups = entries(src, &map, "target_groups", out);
    doc.load_balancers = entries(src, &map, "load_balancers", out);
    doc.dns = zones(src, &map, out);
    doc.cidr_collections = entries(src, &map, "cidr_collections", out);
    Some(doc)
}

fn check_version(src: &Source, version: Option<&Value>, out: &mut Vec<Diagnostic>) {
    let hint = Some("start the file with `version: 1`".to_string());
    match version {
        None => out.push(src.diag("", "missing `version: 1`".into(), hint)),
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(v) => {
            let shown = serde_yaml::to_string(v).unwrap_or_default();
            let msg = format!("unsupported spec version `{}`", shown.trim());
            let hint = Some("this lbctl reads `version: 1`".to_string());
            out.push(src.diag("version", msg, hint));
        }
    }
}

/// `[a-z0-9-]{1,32}`
pub fn valid_stack(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn string_key(
    src: &Source,
    map: &serde_yaml::Mapping,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    match map.get(key)? {
        Value::String(s) => Some(s.clone()),
        _ => {
            out.push(src.diag(key, format!("`{key}` must be a string"), None));
            None
        }
    }
}

/// The entries of `target_groups` or `load_balancers`.
fn entries(
    src: &Source,
    map: &serde_yaml::Mapping,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, Value)> {
    match map.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| match k {
                Value::String(name) => Some((name.clone(), v.clone())),
                Value::Number(n) => Some((n.to_string(), v.clone())),
                _ => {
                    out.push(src.diag(key, format!("`{key}` names must be strings"), None));
                    None
                }
            })
            .collect(),
        Some(_) => {
            let msg = format!("`{key}` must be a mapping of name to definition");
            out.push(src.diag(key, msg, None));
            Vec::new()
        }
    }
}

/// The entries of `dns`: a list of zones.
fn zones(src: &Source, map: &serde_yaml::Mapping, out: &mut Vec<Diagnostic>) -> Vec<Value> {
    match map.get("dns") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => items.clone(),
        Some(_) => {
            let msg = "`dns` must be a list of zones".to_string();
            let hint = "write `dns: [ { zone: example.com, records: [...] } ]`";
            out.push(src.diag("dns", msg, Some(hint.into())));
            Vec::new()
        }
    }
}

/// Deserialize one entry into its typed form; `what` names it in messages
/// ("target group `web`") and `base` is its path. Only the first problem:
/// `params::typed` reports them all.
#[allow(dead_code)]
pub fn typed<T: DeserializeOwned>(
    src: &Source,
    base: &str,
    what: &str,
    value: Value,
) -> Result<T, Diagnostic> {
    // `web: ` with nothing after it: treat as an empty mapping so that the
    // missing keys get their own messages.
    typed_or_fault(src, base, what, value).map_err(|(d, _)| d)
}

/// Where typing failed and how, so that the value can be repaired and
/// typed again (see `super::repair`).
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The failing value's place in the typed value; `None` where serde
    /// could not say.
    pub at: Option<Vec<Seg>>,
    pub kind: FaultKind,
}

/// What kind of problem a [`Fault`] is.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// An unknown key of the mapping at `at`.
    Unknown(String),
    /// A required key missing from the mapping at `at`.
    Missing(String),
    /// The value at `at` has the wrong type or form.
    Wrong,
}

/// [`typed`], keeping where the error is in the value as a [`Fault`].
// The error is the cold path of a one-shot spec load and is taken apart at
// once by the caller: boxing it would buy nothing.
#[allow(clippy::result_large_err)]
pub fn typed_or_fault<T: DeserializeOwned>(
    src: &Source,
    base: &str,
    what: &str,
    value: Value,
) -> Result<T, (Diagnostic, Fault)> {
    let value = if value.is_null() {
        Value::Mapping(Default::default())
    } else {
        value
    };
    serde_path_to_error::deserialize(value)
        .map_err(|e| (serde_diag(src, base, what, &e), fault(&e)))
}

/// The [`Fault`] of a serde error: its path as value segments.
fn fault(err: &serde_path_to_error::Error<serde_yaml::Error>) -> Fault {
    let mut at = Some(Vec::new());
    for seg in err.path().iter() {
        let step = match seg {
            Segment::Seq { index } => Some(Seg::Index(*index)),
            Segment::Map { key } => Some(Seg::Key(Value::String(key.clone()))),
            Segment::Enum { variant } => Some(Seg::Key(Value::String(variant.clone()))),
            Segment::Unknown => None,
        };
        match (step, at.as_mut()) {
            (Some(step), Some(at)) => at.push(step),
            _ => at = None,
        }
    }
    let msg = err.inner().to_string();
    let kind = if let Some((key, _)) = unknown_field(&msg) {
        // The path may or may not end with the unknown key itself.
        if let Some(at) = at.as_mut() {
            if at.last() == Some(&Seg::Key(Value::String(key.clone()))) {
                at.pop();
            }
        }
        FaultKind::Unknown(key)
    } else if let Some(key) = missing_field(&msg) {
        FaultKind::Missing(key)
    } else {
        FaultKind::Wrong
    };
    Fault { at, kind }
}

/// The key of serde's "missing field `x`" message.
fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

/// Turn a serde error into a diagnostic at the path it happened.
fn serde_diag(
    src: &Source,
    base: &str,
    what: &str,
    err: &serde_path_to_error::Error<serde_yaml::Error>,
) -> Diagnostic {
    let mut path = base.to_string();
    for seg in err.path().iter() {
        path = match seg {
            Segment::Seq { index } => join_index(&path, *index),
            Segment::Map { key } => join_key(&path, key),
            Segment::Enum { variant } => join_key(&path, variant),
            Segment::Unknown => path,
        };
    }
    let msg = err.inner().to_string();
    if let Some((key, valid)) = unknown_field(&msg) {
        // The path may or may not end with the unknown key itself.
        let parent = match path.strip_suffix(&format!(".{key}")) {
            Some(p) => p.to_string(),
            None => path.clone(),
        };
        let key_path = join_key(&parent, &key);
        let valid: Vec<&str> = valid.iter().map(String::as_str).collect();
        let hint = suggest(&key, &valid, "valid keys");
        return src.diag_key(
            &key_path,
            format!("{what}: unknown key `{key}`"),
            Some(hint),
        );
    }
    src.diag(
        &path,
        format!("{what}: {}", friendly(&msg)),
        type_hint(&path),
    )
}

/// A fix for a wrong type where one is known: YAML reads an unquoted
/// `0x...` QUIC server ID as a number.
fn type_hint(path: &str) -> Option<String> {
    path.ends_with(".quic_server_id").then(|| {
        "quote it (YAML reads an unquoted `0x...` as a number): `quic_server_id: \"0x0123456789abcdef\"`"
            .to_string()
    })
}

/// Parse serde's "unknown field `x`, expected one of `a`, `b`" message.
fn unknown_field(msg: &str) -> Option<(String, Vec<String>)> {
    let rest = msg.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let key = rest[..end].to_string();
    let valid = rest[end + 1..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((key, valid))
}

/// serde's type names in words a spec author knows.
fn friendly(msg: &str) -> String {
    let mut m = msg.replace("invalid type: ", "wrong type: ");
    for (from, to) in [
        ("expected i64", "expected an integer"),
        ("expected u64", "expected an integer"),
        ("expected a map", "expected a mapping"),
        ("expected a sequence", "expected a list"),
        ("expected a boolean", "expected true or false"),
    ] {
        m = m.replace(from, to);
    }
    if let Some(i) = m.find("expected struct ") {
        m.truncate(i);
        m.push_str("expected a mapping");
    }
    strip_marks(&m)
}

/// Drop the first " at line N column M" from serde_yaml messages: the
/// diagnostic carries that place already. A second one (libyaml's context,
/// "while parsing a flow mapping at line 4 column 8") is kept.
pub fn strip_marks(msg: &str) -> String {
    let mut out = msg.to_string();
    if let Some(i) = out.find(" at line ") {
        let tail = &out[i + " at line ".len()..];
        let skip = tail
            .find(" column ")
            .map(|j| {
                let after = &tail[j + " column ".len()..];
                j + " column ".len()
                    + after
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(after.len())
            })
            .unwrap_or(0);
        out.replace_range(i..i + " at line ".len() + skip, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::raw::RawTargetGroup;

    fn doc(text: &str) -> (Option<FileDoc>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let d = read_file("t.yaml", text, &mut out);
        (d, out)
    }

    #[test]
    fn syntax_errors_have_serde_yaml_places() {
        let (d, out) = doc("version: 1\nstack: x\ntarget_groups:\n  a: [1, 2\n");
        assert!(d.is_none());
        assert_eq!(out.len(), 1);
        assert!(
            out[0].message.starts_with("invalid YAML:"),
            "{}",
            out[0].message
        );
        // The problem's place is the diagnostic's; libyaml's context stays.
        let msg = &out[0].message;
        assert!(
            msg.ends_with("while parsing a flow sequence at line 4 column 6"),
            "{msg}"
        );
        assert_eq!(msg.matches(" at line ").count(), 1, "{msg}");
        assert!(out[0].line >= 4);
    }

    #[test]
    fn merge_keys_are_applied() {
        let text = "version: 1\nstack: x\ntarget_groups:\n  a: &tg { protocol: HTTP, port: 80 }\n  b: { <<: *tg, port: 81 }\n";
        let (d, out) = doc(text);
        assert!(out.is_empty(), "{out:?}");
        let d = d.unwrap();
        let b = d.target_groups[1].1.clone();
        let tg = typed::<RawTargetGroup>(&d.src, "target_groups.b", "target group `b`", b).unwrap();
        assert_eq!(
            (tg.protocol.as_deref(), tg.port.map(|p| p.0)),
            (Some("HTTP"), Some(81))
        );
    }

    #[test]
    fn version_stack_and_top_keys_are_checked() {
        let (_, out) = doc("version: 2\nstack: Web_Prod\ntarget_group: {}\n");
        let msgs: Vec<&str> = out.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "unknown key `target_group`",
                "unsupported spec version `2`",
                "stack name `Web_Prod` is not valid"
            ]
        );
        assert_eq!(
            out[0].hint.as_deref().unwrap().split('?').next(),
            Some("did you mean `target_groups`")
        );
        assert_eq!((out[0].line, out[0].column), (3, 1));
        assert_eq!(out[1].line, 1);
    }

    #[test]
    fn unknown_keys_point_at_the_key_with_a_suggestion() {
        let text = "version: 1\nstack: s\ntarget_groups:\n  web:\n    port: 80\n    health_check:\n      pth: /x\n";
        let (d, out) = doc(text);
        assert!(out.is_empty());
        let d = d.unwrap();
        let (name, value) = d.target_groups[0].clone();
        let err = typed::<RawTargetGroup>(&d.src, "target_groups.web", "target group `web`", value)
            .unwrap_err();
        assert_eq!(name, "web");
        assert_eq!(err.message, "target group `web`: unknown key `pth`");
        assert_eq!(err.path, "target_groups.web.health_check.pth");
        assert_eq!((err.line, err.column), (7, 7));
        assert!(err.hint.unwrap().starts_with("did you mean `path`?"));
    }

    #[test]
    fn type_errors_are_placed_at_the_value() {
        let text = "version: 1\nstack: s\ntarget_groups:\n  web:\n    port: eighty\n";
        let (d, _) = doc(text);
        let d = d.unwrap();
        let value = d.target_groups[0].1.clone();
        let err = typed::<RawTargetGroup>(&d.src, "target_groups.web", "target group `web`", value)
            .unwrap_err();
        assert_eq!(
            err.message,
            "target group `web`: expected an integer, found `eighty`"
        );
        assert_eq!((err.line, err.column), (5, 11));
    }
}
