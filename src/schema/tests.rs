//! Unit tests of the schema builders; `tests/it/schema.rs` checks the whole
//! schema against the parser and the shipped file.

use super::scalars::any_case_pattern;
use super::*;

#[test]
fn any_case_patterns_spell_every_case() {
    assert_eq!(
        any_case_pattern(&["TCP_UDP", "#{protocol}"]),
        "^(?:[Tt][Cc][Pp]_[Uu][Dd][Pp]|#\\{[Pp][Rr][Oo][Tt][Oo][Cc][Oo][Ll]\\})$"
    );
}

#[test]
fn every_reference_is_defined() {
    fn walk(v: &Value, defs: &Map<String, Value>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(target)) = m.get("$ref") {
                    let name = target.strip_prefix("#/definitions/").unwrap();
                    assert!(defs.contains_key(name), "undefined {target}");
                }
                m.values().for_each(|v| walk(v, defs));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, defs)),
            _ => {}
        }
    }
    let s = schema();
    let defs = s["definitions"].as_object().unwrap();
    walk(&s, defs);
}
