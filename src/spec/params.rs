//! Parameters: reading `parameters:` and substituting `${name}` in scalars.
//!
//! Substitution works on the `serde_yaml::Value` tree before the typed
//! structs are built, so a parameter may stand anywhere a scalar goes,
//! numbers included (`port: ${web_port}`). A scalar that is exactly
//! `${name}` takes the parameter's value with its YAML type; inside longer
//! text the value is written as text. `$${` is a literal `${`.
//!
//! A parameter is a literal (`{ value: ... }`) or comes from SSM Parameter
//! Store (`{ ssm: /path }`). SSM values are text; where a whole scalar is
//! an SSM parameter and the typed structs reject the text there (a boolean
//! field given `"true"`), the value is tried again as the YAML scalar it
//! spells ([`Alternative`], [`typed`]). An SSM value not known (offline
//! `validate`, or a parameter that does not exist) is substituted by a
//! placeholder, and the places it went to are recorded so that problems
//! found exactly there are not reported. This module makes no AWS call.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::DeserializeOwned;
use serde_yaml::Value;

use super::diag::{suggest, Source};
use super::location::{join_index, join_key};
use super::{parse, repair, Diagnostic};

/// How a parameter is defined.
#[derive(Debug, Clone, PartialEq)]
pub enum Def {
    /// `{ value: ... }`: a string, number or boolean.
    Literal(Value),
    /// `{ ssm: NAME }`: the name (or ARN) of an SSM parameter.
    Ssm(String),
}

/// A value fetched from SSM Parameter Store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsmValue {
    pub value: String,
    /// A SecureString: never shown (see `crate::secrets`).
    pub secure: bool,
}

/// Values fetched from SSM, by the name the spec gives.
pub type SsmValues = BTreeMap<String, SsmValue>;

/// What a parameter stands for while substituting.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Values to try, the first preferred.
    pub candidates: Vec<Value>,
    /// A stand-in for a value not known: problems where it is used are not
    /// reported.
    pub placeholder: bool,
    /// The SSM name of a SecureString parameter: every place the value goes
    /// to is recorded (see [`Uses::sensitive`]).
    pub secret: Option<String>,
}

impl Binding {
    /// A literal parameter.
    pub fn literal(value: Value) -> Binding {
        Binding {
            candidates: vec![value],
            placeholder: false,
            secret: None,
        }
    }

    /// A value from SSM: its text, then the number or boolean it spells.
    pub fn ssm(text: &str) -> Binding {
        let mut candidates = vec![Value::String(text.to_string())];
        if let Ok(v @ (Value::Number(_) | Value::Bool(_))) = serde_yaml::from_str::<Value>(text) {
            candidates.push(v);
        }
        Binding {
            candidates,
            placeholder: false,
            secret: None,
        }
    }

    /// A SecureString value from SSM (`name` as the spec gives it): like
    /// [`Binding::ssm`], and the places it goes to are recorded.
    pub fn secure(text: &str, name: &str) -> Binding {
        Binding {
            secret: Some(name.to_string()),
            ..Binding::ssm(text)
        }
    }

    /// A stand-in for an SSM value not known. `"1"` types as text and as
    /// an integer (ports, weights, durations); booleans get `true`.
    pub fn placeholder() -> Binding {
        Binding {
            candidates: vec![Value::String("1".into()), Value::Bool(true)],
            placeholder: true,
            secret: None,
        }
    }
}

/// Parameter bindings by name.
pub type Bindings = BTreeMap<String, Binding>;

/// One step from a value to a value inside it.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(Value),
    Index(usize),
    Tagged,
}

/// A whole scalar that was a parameter with other values to try.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// Its spec path (as in diagnostics).
    pub path: String,
    /// Where it stands in the substituted value.
    pub at: Vec<Seg>,
    candidates: Vec<Value>,
    /// The candidate in place now.
    current: usize,
}

/// What substitution recorded about one value.
#[derive(Debug, Clone, Default)]
pub struct Uses {
    /// Paths a placeholder went to, whole or as part of a text.
    pub placeholders: BTreeSet<String>,
    pub alternatives: Vec<Alternative>,
    /// Paths a SecureString value went to, whole or as part of a text,
    /// with the SSM name of its parameter.
    pub sensitive: BTreeMap<String, String>,
}

/// Read one file's `parameters:` mapping. Returns the parameters (name,
/// definition) and reports everything else.
pub fn read(src: &Source, value: &Value, out: &mut Vec<Diagnostic>) -> Vec<(String, Def)> {
    let mut found = Vec::new();
    let Value::Mapping(map) = value else {
        if !value.is_null() {
            let msg =
                "`parameters` must be a mapping of name to `{ value: ... }` or `{ ssm: ... }`";
            out.push(src.diag("parameters", msg.to_string(), None));
        }
        return found;
    };
    for (key, def) in map {
        let Some(name) = key.as_str() else {
            out.push(src.diag("parameters", "parameter names must be strings".into(), None));
            continue;
        };
        let path = join_key("parameters", name);
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
        {
            let msg =
                format!("parameter `{name}`: name may only use letters, digits, `_`, `-` and `.`");
            out.push(src.diag_key(&path, msg, None));
            continue;
        }
        match definition(def) {
            Ok(d) => found.push((name.to_string(), d)),
            Err((rel, msg, hint)) => {
                let msg = format!("parameter `{name}`: {msg}");
                let path = if rel.is_empty() {
                    path
                } else {
                    join_key(&path, rel)
                };
                out.push(src.diag(&path, msg, hint.map(String::from)));
            }
        }
    }
    found
}

/// A problem with a definition: the key it is at (`""` for the whole
/// definition), the message and a hint.
type DefError = (&'static str, String, Option<&'static str>);

/// The definition `{ value: ... }` or `{ ssm: ... }`.
fn definition(def: &Value) -> Result<Def, DefError> {
    let form = "write it as `{ value: ... }` or `{ ssm: /path/to/parameter }`";
    let Value::Mapping(m) = def else {
        let msg = "must be a mapping like `{ value: ... }` or `{ ssm: ... }`";
        return Err(("", msg.into(), Some(form)));
    };
    if m.len() != 1 {
        return Err((
            "",
            "must have exactly one key, `value` or `ssm`".into(),
            Some(form),
        ));
    }
    if let Some(name) = m.get("ssm") {
        return match name {
            Value::String(n) if valid_ssm_name(n) => Ok(Def::Ssm(n.clone())),
            Value::String(n) => Err((
                "ssm",
                format!("`{n}` is not a valid SSM parameter name"),
                Some("use letters, digits and `_ . - /`, e.g. `/prod/web/port`, or an ARN"),
            )),
            _ => Err((
                "ssm",
                "`ssm` must be the name of an SSM parameter".into(),
                Some("write it as `{ ssm: /prod/web/port }`"),
            )),
        };
    }
    match m.get("value") {
        Some(v @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
            Ok(Def::Literal(v.clone()))
        }
        Some(_) => Err((
            "value",
            "a parameter value must be a string, number or boolean".into(),
            None,
        )),
        None => Err((
            "",
            "must have exactly one key, `value` or `ssm`".into(),
            Some(form),
        )),
    }
}

/// SSM names: 1 to 2048 of `a-zA-Z0-9_.-/`; `:` for ARNs and `name:3`
/// version or label selectors.
fn valid_ssm_name(name: &str) -> bool {
    (1..=2048).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/:".contains(c))
}

/// Replace `${name}` in every scalar under `value` (at `path`), reporting
/// unknown names and unterminated references and recording placeholders
/// and alternatives in `uses`.
pub fn substitute(
    value: &mut Value,
    path: &str,
    params: &Bindings,
    src: &Source,
    out: &mut Vec<Diagnostic>,
    uses: &mut Uses,
) {
    let mut at = Vec::new();
    walk(value, path, &mut at, params, src, out, uses);
}

fn walk(
    value: &mut Value,
    path: &str,
    at: &mut Vec<Seg>,
    params: &Bindings,
    src: &Source,
    out: &mut Vec<Diagnostic>,
    uses: &mut Uses,
) {
    match value {
        Value::String(text) if text.contains("${") => match expand(text, params) {
            Ok(Expanded::Whole(binding)) => {
                *value = binding.candidates[0].clone();
                if binding.placeholder {
                    uses.placeholders.insert(path.to_string());
                }
                if let Some(name) = &binding.secret {
                    uses.sensitive.insert(path.to_string(), name.clone());
                }
                if binding.candidates.len() > 1 {
                    uses.alternatives.push(Alternative {
                        path: path.to_string(),
                        at: at.clone(),
                        candidates: binding.candidates.clone(),
                        current: 0,
                    });
                }
            }
            Ok(Expanded::Text(text, placeholder, secret)) => {
                *value = Value::String(text);
                if placeholder {
                    uses.placeholders.insert(path.to_string());
                }
                if let Some(name) = secret {
                    uses.sensitive.insert(path.to_string(), name);
                }
            }
            Err((msg, hint)) => out.push(src.diag(path, msg, Some(hint))),
        },
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                at.push(Seg::Index(i));
                walk(item, &join_index(path, i), at, params, src, out, uses);
                at.pop();
            }
        }
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                let key = k.as_str().map(str::to_string).unwrap_or_else(|| "?".into());
                at.push(Seg::Key(k.clone()));
                walk(v, &join_key(path, &key), at, params, src, out, uses);
                at.pop();
            }
        }
        Value::Tagged(tagged) => {
            at.push(Seg::Tagged);
            walk(&mut tagged.value, path, at, params, src, out, uses);
            at.pop();
        }
        _ => {}
    }
}

/// A scalar after substitution.
enum Expanded<'a> {
    /// The scalar was exactly one reference.
    Whole(&'a Binding),
    /// Text, whether a placeholder went into it, and the SSM name of a
    /// SecureString that did.
    Text(String, bool, Option<String>),
}

/// Expand one string.
fn expand<'a>(text: &str, params: &'a Bindings) -> Result<Expanded<'a>, (String, String)> {
    if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        if !name.contains(['{', '}', '$']) {
            return lookup(name, params).map(Expanded::Whole);
        }
    }
    let mut out = String::new();
    let mut placeholder = false;
    let mut secret = None;
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("$${") {
            out.push_str("${");
            rest = after;
        } else if let Some(after) = rest.strip_prefix("${") {
            let Some(end) = after.find('}') else {
                let msg = format!("unterminated `${{` in `{text}`");
                return Err((
                    msg,
                    "close it with `}`, or write `$${` for a literal `${`".into(),
                ));
            };
            let binding = lookup(&after[..end], params)?;
            placeholder |= binding.placeholder;
            if binding.secret.is_some() {
                secret.clone_from(&binding.secret);
            }
            out.push_str(&scalar_text(&binding.candidates[0]));
            rest = &after[end + 1..];
        } else {
            out.push('$');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    Ok(Expanded::Text(out, placeholder, secret))
}

fn lookup<'a>(name: &str, params: &'a Bindings) -> Result<&'a Binding, (String, String)> {
    params.get(name).ok_or_else(|| {
        let names: Vec<&str> = params.keys().map(String::as_str).collect();
        let hint = suggest(name, &names, "defined parameters");
        (format!("unknown parameter `{name}`"), hint)
    })
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// Type a substituted value (see `parse::typed`). Where the typed structs
/// reject a parameter's value at its place, its next candidate is put
/// there and typing tried again. An error that no alternative explains is
/// kept, the value repaired past it (see `super::repair`) and typed again,
/// so that every problem of the entry is returned, not only the first.
pub fn typed<T: DeserializeOwned>(
    src: &Source,
    base: &str,
    what: &str,
    value: Value,
    alternatives: &mut [Alternative],
) -> Result<T, Vec<Diagnostic>> {
    typed_repaired(src, base, what, value, alternatives).map_err(|(found, _)| found)
}

/// [`typed`], and on problems the entry as repaired past them (stand-ins
/// at the problems' paths) when repairing got that far: its other values
/// can still be validated (see `load::repaired`).
pub fn typed_repaired<T: DeserializeOwned>(
    src: &Source,
    base: &str,
    what: &str,
    mut value: Value,
    alternatives: &mut [Alternative],
) -> Result<T, (Vec<Diagnostic>, Option<T>)> {
    let mut found: Vec<Diagnostic> = Vec::new();
    loop {
        let (err, fault) = match parse::typed_or_fault(src, base, what, value.clone()) {
            Ok(t) if found.is_empty() => return Ok(t),
            Ok(t) => return Err((found, Some(t))),
            Err(e) => e,
        };
        let next = alternatives
            .iter_mut()
            .find(|a| a.current + 1 < a.candidates.len() && within(&a.path, &err.path));
        if let Some(alt) = next {
            alt.current += 1;
            if let Some(slot) = repair::locate(&mut value, &alt.at) {
                *slot = alt.candidates[alt.current].clone();
            }
            continue;
        }
        if found.contains(&err) {
            return Err((found, None));
        }
        found.push(err);
        let fails_within =
            |v: &Value, at: &[Seg]| match parse::typed_or_fault::<T>(src, base, what, v.clone()) {
                Ok(_) => false,
                Err((_, f)) => f.at.is_none_or(|p| repair::within(&p, at)),
            };
        if found.len() >= repair::MAX_PROBLEMS || !repair::repair(&mut value, &fault, fails_within)
        {
            return Err((found, None));
        }
    }
}

/// `path` is `outer` or inside it.
fn within(path: &str, outer: &str) -> bool {
    path.strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// The alternatives inside the part of a value at `prefix`, relative to
/// that part (a `dns` zone's record, typed on its own).
pub fn inside(alternatives: &[Alternative], prefix: &[Seg]) -> Vec<Alternative> {
    alternatives
        .iter()
        .filter(|a| a.at.starts_with(prefix))
        .map(|a| Alternative {
            at: a.at[prefix.len()..].to_vec(),
            ..a.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::location::Locations;

    fn params() -> Bindings {
        let mut p = Bindings::new();
        p.insert("port".into(), Binding::literal(Value::from(8080)));
        p.insert("env".into(), Binding::literal(Value::from("prod")));
        p.insert("flag".into(), Binding::ssm("true"));
        p.insert("secret".into(), Binding::placeholder());
        p.insert("weight".into(), Binding::secure("37", "/x/weight"));
        p
    }

    fn source(yaml: &str) -> Source {
        Source {
            file: "t.yaml".into(),
            locations: Locations::build(yaml),
        }
    }

    fn run(yaml: &str) -> (Value, Vec<Diagnostic>, Uses) {
        let src = source(yaml);
        let mut v: Value = serde_yaml::from_str(yaml).unwrap();
        let mut out = Vec::new();
        let mut uses = Uses::default();
        substitute(&mut v, "", &params(), &src, &mut out, &mut uses);
        (v, out, uses)
    }

    #[test]
    fn a_whole_scalar_keeps_the_parameter_type() {
        let (v, out, _) = run("port: ${port}\nname: web-${env}-${port}\n");
        assert!(out.is_empty());
        assert_eq!(v["port"], Value::from(8080));
        assert_eq!(v["name"], Value::from("web-prod-8080"));
    }

    #[test]
    fn dollar_dollar_is_a_literal() {
        let (v, _, _) = run("a: cost $5 $${env}\n");
        assert_eq!(v["a"], Value::from("cost $5 ${env}"));
    }

    #[test]
    fn unknown_and_unterminated_references_are_reported() {
        let (_, out, _) = run("x: 1\na: ${prot}\nb: ${env\n");
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].message, "unknown parameter `prot`");
        assert_eq!(out[0].line, 2);
        assert!(out[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `port`?"));
        assert!(out[1].message.starts_with("unterminated"));
        assert_eq!(out[1].line, 3);
    }

    #[test]
    fn placeholders_and_alternatives_are_recorded() {
        let (v, out, uses) = run("a: ${secret}\nb:\n  - x-${secret}\n  - ${flag}\nc: ${env}\n");
        assert!(out.is_empty());
        assert_eq!(v["a"], Value::from("1"));
        assert_eq!(v["b"][1], Value::from("true"));
        let places: Vec<&str> = uses.placeholders.iter().map(String::as_str).collect();
        assert_eq!(places, ["a", "b[0]"]);
        let alts: Vec<&str> = uses.alternatives.iter().map(|a| a.path.as_str()).collect();
        assert_eq!(alts, ["a", "b[1]"]);
    }

    #[test]
    fn places_a_secure_value_goes_to_are_recorded_numbers_included() {
        let (v, out, uses) = run("a: ${weight}\nb:\n  - x-${weight}\nc: ${env}\n");
        assert!(out.is_empty());
        assert_eq!(v["a"], Value::from("37"));
        let places: Vec<(&str, &str)> = uses
            .sensitive
            .iter()
            .map(|(p, n)| (p.as_str(), n.as_str()))
            .collect();
        assert_eq!(places, [("a", "/x/weight"), ("b[0]", "/x/weight")]);
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Typed {
        on: bool,
        port: crate::spec::scalar::Int,
        name: String,
    }

    #[test]
    fn typing_tries_the_next_candidate_where_the_first_is_rejected() {
        let yaml = "on: ${flag}\nport: ${secret}\nname: ${secret}\n";
        let (v, out, mut uses) = run(yaml);
        assert!(out.is_empty());
        let t: Typed = typed(&source(yaml), "", "test", v, &mut uses.alternatives).unwrap();
        assert!(t.on);
        assert_eq!(t.port.0, 1);
        assert_eq!(t.name, "1");

        let yaml = "on: ${env}\nport: 1\nname: x\n";
        let (v, _, mut uses) = run(yaml);
        let err = typed::<Typed>(&source(yaml), "", "test", v, &mut uses.alternatives).unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert_eq!(err[0].path, "on");
    }

    #[test]
    fn ssm_definitions_are_read_and_checked() {
        let yaml = "parameters:\n  a: { ssm: /x/y }\n  b: { value: 3 }\n  c: 5\n  d: { ssm: 'no spaces' }\n  e: { ssm: /x, value: 1 }\n";
        let src = source(yaml);
        let v: Value = serde_yaml::from_str(yaml).unwrap();
        let mut out = Vec::new();
        let found = read(&src, &v["parameters"], &mut out);
        assert_eq!(
            found,
            vec![
                ("a".to_string(), Def::Ssm("/x/y".into())),
                ("b".to_string(), Def::Literal(Value::from(3)))
            ]
        );
        let msgs: Vec<&str> = out.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "parameter `c`: must be a mapping like `{ value: ... }` or `{ ssm: ... }`",
                "parameter `d`: `no spaces` is not a valid SSM parameter name",
                "parameter `e`: must have exactly one key, `value` or `ssm`",
            ]
        );
        assert_eq!((out[1].line, out[1].column), (5, 13));
    }
}
