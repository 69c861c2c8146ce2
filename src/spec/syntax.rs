//! A spec file's text as a YAML tree: merge keys (`<<: *defaults`)
//! applied, and syntax errors placed and explained (every key written
//! twice at its second place, a hint where tabs indent). What the tree
//! means is `parse`'s business.

use serde_yaml::Value;

use super::diag::Source;
use super::location::Duplicate;
use super::parse::strip_marks;
use super::Diagnostic;

/// The file as a YAML tree with merge keys (`<<: *defaults`) applied, or
/// its syntax errors: every key written twice at its second place, a tab
/// that indents with a hint to use spaces.
pub fn yaml_tree(src: &Source, text: &str) -> Result<Value, Vec<Diagnostic>> {
    let err = match serde_yaml::from_str::<Value>(text) {
        Ok(mut v) => match v.apply_merge() {
            Ok(()) => return Ok(v),
            Err(e) => e,
        },
        Err(e) => e,
    };
    let dups = &src.locations.duplicates;
    if err.to_string().contains("duplicate entry with key") && !dups.is_empty() {
        return Err(dups.iter().map(|d| duplicate(src, d)).collect());
    }
    let place = err
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((1, 1));
    let msg = format!("invalid YAML: {}", strip_marks(&err.to_string()));
    Err(vec![src.diag_at("", place, msg, tab_hint(text, place.0))])
}

fn duplicate(src: &Source, d: &Duplicate) -> Diagnostic {
    let key = d.path.rsplit('.').next().unwrap_or(&d.path);
    let msg = format!(
        "key `{key}` is given twice in this mapping (first at line {})",
        d.first.0
    );
    let hint = "remove one of them; YAML keeps no duplicate keys".to_string();
    src.diag_at(&d.path, d.second, msg, Some(hint))
}

/// A hint when a line up to `line` is indented with a tab.
fn tab_hint(text: &str, line: usize) -> Option<String> {
    let (n, _) = text.lines().enumerate().take(line).find(|(_, l)| {
        l.chars()
            .take_while(|c| c.is_whitespace())
            .any(|c| c == '\t')
    })?;
    Some(format!(
        "line {} is indented with a tab; indent with spaces (YAML does not allow tabs there)",
        n + 1
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::location::Locations;

    fn doc(text: &str) -> (Option<Value>, Vec<Diagnostic>) {
        let src = Source {
            file: "t.yaml".into(),
            locations: Locations::build(text),
        };
        match yaml_tree(&src, text) {
            Ok(v) => (Some(v), Vec::new()),
            Err(out) => (None, out),
        }
    }

    #[test]
    fn tabs_get_a_hint_and_every_duplicate_key_its_second_place() {
        let (_, out) = doc("version: 1\nstack: x\ntarget_groups:\n\tweb: {}\n");
        assert_eq!(out.len(), 1);
        let hint = out[0].hint.as_deref().unwrap();
        assert!(
            hint.starts_with("line 4 is indented with a tab; indent with spaces"),
            "{hint}"
        );

        let text = "version: 1\nstack: x\ntarget_groups:\n  web:\n    port: 80\n    port: 81\n    vpc: a\n    vpc: b\n";
        let (d, out) = doc(text);
        assert!(d.is_none());
        let got: Vec<(usize, usize, &str)> = out
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    6,
                    5,
                    "key `port` is given twice in this mapping (first at line 5)"
                ),
                (
                    8,
                    5,
                    "key `vpc` is given twice in this mapping (first at line 7)"
                ),
            ]
        );
        assert_eq!(out[0].path, "target_groups.web.port");
    }
}
