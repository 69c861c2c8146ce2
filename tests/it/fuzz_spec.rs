//! The spec loader never panics: arbitrary bytes and random YAML-ish
//! documents, written to a file and passed to `lbctl::spec::load`, give a
//! spec or errors, never a panic. Case counts are small so this runs in
//! seconds; raise `PROPTEST_CASES` to search longer.

use std::path::PathBuf;

use proptest::prelude::*;

/// Loads `bytes` as a spec file; the result does not matter, only that it returns.
fn load(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, bytes).unwrap();
    let _ = lbctl::spec::load(&[path]);
}

/// Scalars that mean something in a spec, next to ones that do not.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1".to_string()),
        Just("application".to_string()),
        Just("HTTP".to_string()),
        Just("80".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999".to_string()),
        Just("30s".to_string()),
        Just("1d".to_string()),
        Just("null".to_string()),
        Just("~".to_string()),
        Just("true".to_string()),
        Just("\"\"".to_string()),
        Just("{ }".to_string()),
        Just("[ ]".to_string()),
        Just("*anchor".to_string()),
        Just("&anchor x".to_string()),
        Just("!!binary aGk=".to_string()),
        Just("{ ssm: /a/b }".to_string()),
        Just("{ tags: { Name: lbctl-demo } }".to_string()),
        "[a-z0-9:/.{}\\[\\]\"' -]{0,12}",
    ]
}

/// Keys a spec has at some level, and nonsense.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("version".to_string()),
        Just("stack".to_string()),
        Just("region".to_string()),
        Just("target_groups".to_string()),
        Just("load_balancers".to_string()),
        Just("listeners".to_string()),
        Just("rules".to_string()),
        Just("records".to_string()),
        Just("zones".to_string()),
        Just("protocol".to_string()),
        Just("port".to_string()),
        Just("type".to_string()),
        Just("targets".to_string()),
        Just("default_action".to_string()),
        Just("forward".to_string()),
        Just("attributes".to_string()),
        Just("parameters".to_string()),
        Just("safety".to_string()),
        Just("<<".to_string()),
        "[a-z_]{1,10}",
    ]
}

/// A YAML-ish document: nested mappings and lists of spec-like keys and
/// scalars, indented by two, sometimes badly.
fn document() -> impl Strategy<Value = String> {
    let leaf = scalar();
    let tree = leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 0..6).prop_map(|entries| {
                entries
                    .into_iter()
                    .map(|(k, v)| format!("{k}:\n{}", indent(&v)))
                    .collect::<String>()
            }),
            prop::collection::vec(inner, 0..4).prop_map(|items| {
                items
                    .into_iter()
                    .map(|v| format!("-\n{}", indent(&v)))
                    .collect::<String>()
            }),
        ]
    });
    (tree, any::<bool>()).prop_map(|(body, versioned)| {
        if versioned {
            format!("version: 1\nstack: fuzz\n{body}")
        } else {
            body
        }
    })
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        load(&bytes);
    }

    #[test]
    fn yaml_ish_documents_never_panic(doc in document()) {
        load(doc.as_bytes());
    }

    #[test]
    fn a_real_spec_with_a_line_cut_or_changed_never_panics(
        line in 0usize..200,
        replacement in scalar(),
    ) {
        let text = std::fs::read_to_string(example()).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let i = line % lines.len();
        match lines[i].split_once(':') {
            Some((k, _)) => lines[i] = format!("{k}: {replacement}"),
            None => { lines.remove(i); }
        }
        load(lines.join("\n").as_bytes());
    }
}

/// 64 cases per property unless `PROPTEST_CASES` says otherwise.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs/alb-blue-green.yaml")
}
