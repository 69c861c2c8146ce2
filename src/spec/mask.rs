//! SecureString values out of the problems found in a resolved spec.
//!
//! A problem found where a SecureString value was substituted may quote the
//! value (`weight (300) must be between 0 and 255`). Values of 4 characters
//! or more are scrubbed by text wherever they are printed
//! (`crate::secrets`); shorter ones, numbers mostly, are not. Here each such
//! problem has the value masked as a word of its own, whatever its length.

use std::collections::BTreeMap;

use super::params::SsmValues;
use super::Diagnostic;
use crate::secrets::MASK;

/// Mask, in each problem at (or inside, or around) a place a SecureString
/// went to, the value of that SecureString. `sensitive` maps (file, path)
/// to the SSM name.
pub fn secrets(
    out: &mut [Diagnostic],
    sensitive: &BTreeMap<(String, String), String>,
    ssm: &SsmValues,
) {
    for d in out.iter_mut() {
        for ((file, path), name) in sensitive {
            let related = d.path.starts_with(path.as_str()) || path.starts_with(d.path.as_str());
            let Some(value) = ssm.get(name).filter(|v| v.secure) else {
                continue;
            };
            if *file == d.file && related && !value.value.is_empty() {
                d.message = words(&d.message, &value.value);
                d.hint = d.hint.as_deref().map(|h| words(h, &value.value));
            }
        }
    }
}

/// `text` with each occurrence of `value` that is not part of a longer
/// word or number replaced by [`MASK`].
fn words(text: &str, value: &str) -> String {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(value) {
        let before = rest[..i].chars().next_back().or(out.chars().next_back());
        let after = rest[i + value.len()..].chars().next();
        out.push_str(&rest[..i]);
        if part(before) || part(after) {
            out.push_str(value);
        } else {
            out.push_str(MASK);
        }
        rest = &rest[i + value.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::params::SsmValue;

    #[test]
    fn a_short_secret_quoted_by_a_problem_is_masked() {
        let d = |path: &str, message: &str| Diagnostic {
            file: "a.yaml".into(),
            line: 3,
            column: 5,
            path: path.into(),
            message: message.into(),
            hint: Some("use 0 to 255, not 300".into()),
        };
        let mut out = vec![
            d(
                "dns[0].records[0].weighted[0].weight",
                "weight (300) must be between 0 and 255",
            ),
            d("dns[0].records[0].ttl", "ttl (300) is fine here, 3000 too"),
        ];
        let sensitive = BTreeMap::from([(
            (
                "a.yaml".to_string(),
                "dns[0].records[0].weighted[0].weight".to_string(),
            ),
            "/w".to_string(),
        )]);
        let ssm = SsmValues::from([(
            "/w".to_string(),
            SsmValue {
                value: "300".into(),
                secure: true,
            },
        )]);
        secrets(&mut out, &sensitive, &ssm);
        assert_eq!(
            out[0].message,
            format!("weight ({MASK}) must be between 0 and 255")
        );
        assert_eq!(
            out[0].hint.as_deref(),
            Some(format!("use 0 to 255, not {MASK}").as_str())
        );
        // Elsewhere the same number is no secret.
        assert_eq!(out[1].message, "ttl (300) is fine here, 3000 too");
        assert_eq!(
            words("3000 300 a300 300.5", "300"),
            format!("3000 {MASK} a300 300.5")
        );
    }
}
