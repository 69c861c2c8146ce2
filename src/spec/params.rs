//! Parameters: reading `parameters:` and substituting `${name}` in scalars.
//!
//! Substitution works on the `serde_yaml::Value` tree before the typed
//! structs are built, so a parameter may stand anywhere a scalar goes,
//! numbers included (`port: ${web_port}`). A scalar that is exactly
//! `${name}` takes the parameter's value with its YAML type; inside longer
//! text the value is written as text. `$${` is a literal `${`.
//!
//! Only literal parameters (`{ value: ... }`) are supported for now; SSM
//! parameters are rejected with a clear message.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::diag::{suggest, Source};
use super::location::{join_index, join_key};
use super::Diagnostic;

/// Parameter values by name.
pub type Params = BTreeMap<String, Value>;

/// Read one file's `parameters:` mapping. Returns the literal parameters
/// (name, value, path) and reports everything else.
pub fn read(src: &Source, value: &Value, out: &mut Vec<Diagnostic>) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    let Value::Mapping(map) = value else {
        if !value.is_null() {
            let msg = "`parameters` must be a mapping of name to `{ value: ... }`";
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
        match literal(def) {
            Ok(v) => found.push((name.to_string(), v)),
            Err((msg, hint)) => {
                let msg = format!("parameter `{name}`: {msg}");
                out.push(src.diag(&path, msg, hint.map(String::from)));
            }
        }
    }
    found
}

/// The value of a `{ value: ... }` definition.
fn literal(def: &Value) -> Result<Value, (String, Option<&'static str>)> {
    let form = "write it as `{ value: ... }`";
    let Value::Mapping(m) = def else {
        return Err(("must be a mapping like `{ value: ... }`".into(), Some(form)));
    };
    if m.contains_key("ssm") {
        let hint = "use a literal `{ value: ... }` parameter for now";
        return Err(("SSM parameters are not supported yet".into(), Some(hint)));
    }
    if m.len() != 1 || !m.contains_key("value") {
        return Err(("must have exactly one key, `value`".into(), Some(form)));
    }
    match &m["value"] {
        v @ (Value::String(_) | Value::Number(_) | Value::Bool(_)) => Ok(v.clone()),
        _ => Err((
            "a parameter value must be a string, number or boolean".into(),
            None,
        )),
    }
}

/// Replace `${name}` in every scalar under `value` (at `path`), reporting
/// unknown names and unterminated references.
pub fn substitute(
    value: &mut Value,
    path: &str,
    params: &Params,
    src: &Source,
    out: &mut Vec<Diagnostic>,
) {
    match value {
        Value::String(text) if text.contains("${") => match expand(text, params) {
            Ok(v) => *value = v,
            Err((msg, hint)) => out.push(src.diag(path, msg, Some(hint))),
        },
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                substitute(item, &join_index(path, i), params, src, out);
            }
        }
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                let key = k.as_str().map(str::to_string).unwrap_or_else(|| "?".into());
                substitute(v, &join_key(path, &key), params, src, out);
            }
        }
        Value::Tagged(tagged) => substitute(&mut tagged.value, path, params, src, out),
        _ => {}
    }
}

/// Expand one string.
fn expand(text: &str, params: &Params) -> Result<Value, (String, String)> {
    if let Some(name) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        if !name.contains(['{', '}', '$']) {
            return lookup(name, params).cloned();
        }
    }
    let mut out = String::new();
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
            out.push_str(&scalar_text(lookup(&after[..end], params)?));
            rest = &after[end + 1..];
        } else {
            out.push('$');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    Ok(Value::String(out))
}

fn lookup<'a>(name: &str, params: &'a Params) -> Result<&'a Value, (String, String)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::location::Locations;

    fn params() -> Params {
        let mut p = Params::new();
        p.insert("port".into(), Value::from(8080));
        p.insert("env".into(), Value::from("prod"));
        p
    }

    fn run(yaml: &str) -> (Value, Vec<Diagnostic>) {
        let src = Source {
            file: "t.yaml".into(),
            locations: Locations::build(yaml),
        };
        let mut v: Value = serde_yaml::from_str(yaml).unwrap();
        let mut out = Vec::new();
        substitute(&mut v, "", &params(), &src, &mut out);
        (v, out)
    }

    #[test]
    fn a_whole_scalar_keeps_the_parameter_type() {
        let (v, out) = run("port: ${port}\nname: web-${env}-${port}\n");
        assert!(out.is_empty());
        assert_eq!(v["port"], Value::from(8080));
        assert_eq!(v["name"], Value::from("web-prod-8080"));
    }

    #[test]
    fn dollar_dollar_is_a_literal() {
        let (v, _) = run("a: cost $5 $${env}\n");
        assert_eq!(v["a"], Value::from("cost $5 ${env}"));
    }

    #[test]
    fn unknown_and_unterminated_references_are_reported() {
        let (_, out) = run("x: 1\na: ${prot}\nb: ${env\n");
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
    fn ssm_parameters_are_not_supported_yet() {
        let yaml = "parameters:\n  a: { ssm: /x }\n  b: { value: 3 }\n  c: 5\n";
        let src = Source {
            file: "t.yaml".into(),
            locations: Locations::build(yaml),
        };
        let v: Value = serde_yaml::from_str(yaml).unwrap();
        let mut out = Vec::new();
        let found = read(&src, &v["parameters"], &mut out);
        assert_eq!(found, vec![("b".to_string(), Value::from(3))]);
        assert_eq!(out.len(), 2);
        assert!(out[0]
            .message
            .contains("SSM parameters are not supported yet"));
        assert_eq!(out[0].line, 2);
    }
}
