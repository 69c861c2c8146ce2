//! `plan --output markdown` end to end, against a moto server (see
//! `tests/support`): what a pull-request comment shows.

use crate::support;

use support::Moto;

fn write_spec(dir: &tempfile::TempDir, text: &str) -> std::path::PathBuf {
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

fn markdown(moto: &Moto, spec: &std::path::Path, extra: &[&str]) -> (Option<i32>, String) {
    let out = moto
        .lbctl()
        .args(["plan", "--output", "markdown"])
        .args(extra)
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_plan_renders_as_a_table_with_a_details_block_per_step() {
    let moto = Moto::start();
    moto.seed();
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(support::repo_root().join("specs/alb-blue-green.yaml")).unwrap();
    let spec = write_spec(&dir, &text);

    let (code, md) = markdown(&moto, &spec, &["--detailed-exitcode"]);
    assert_eq!(code, Some(2), "{md}");
    assert!(
        md.starts_with("<!-- lbctl plan: stack=shop -->\n### lbctl plan: stack `shop`\n"),
        "{md}"
    );
    assert!(
        md.contains("to create, 0 to update, 0 to replace, 0 to delete.**"),
        "{md}"
    );
    assert!(
        md.contains("| action | kind | name | changes |\n|:---:|---|---|---:|\n"),
        "{md}"
    );
    assert!(md.contains("| `+` | target_group | `shop-blue` |"), "{md}");
    assert!(md.contains("| `+` | listener | `shop:443` |"), "{md}");
    assert!(
        md.contains("<details><summary><code>+ load_balancer shop</code> ("),
        "{md}"
    );
    assert!(md.contains("</details>"), "{md}");
    assert!(md.contains("```\nprotocol: \"HTTP\"\n"), "{md}");
    assert!(!md.contains('\u{1b}'), "no colour in markdown: {md:?}");

    // After apply, a weight shift is one update with before -> after.
    moto.lbctl()
        .args(["apply", "--auto-approve", "-q", "-f"])
        .arg(&spec)
        .assert()
        .success();
    let shifted = write_spec(&dir, &text.replace("weight: 90 }", "weight: 40 }"));
    let (code, md) = markdown(&moto, &shifted, &[]);
    assert_eq!(code, Some(0));
    assert!(
        md.contains("**0 to create, 1 to update, 0 to replace, 0 to delete.**"),
        "{md}"
    );
    assert!(md.contains("| `~` | listener | `shop:443` | 1 |"), "{md}");
    assert!(
        md.contains("default_action.forward.target_groups.shop-blue.weight: 90 -> 40"),
        "{md}"
    );

    // Safety warnings are listed, so a reviewer sees what apply refuses.
    let gone = text[..text.find("load_balancers:").unwrap()].to_string();
    let gone = write_spec(&dir, &gone);
    let (_, md) = markdown(&moto, &gone, &[]);
    assert!(
        md.contains("**Warnings**:\n\n- safety: load balancer `shop` would be deleted"),
        "{md}"
    );
    // The delete block shows what is destroyed (was: no lines, `0`).
    assert!(md.contains("| `-` | load_balancer | `shop` | 3 |"), "{md}");
    assert!(
        md.contains("```\ntype: \"application\"\nscheme: \"internet-facing\"\n"),
        "{md}"
    );
}

#[test]
fn an_empty_plan_says_no_changes() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let spec = write_spec(&dir, "version: 1\nstack: empty\nregion: us-east-1\n");
    let (code, md) = markdown(&moto, &spec, &["--detailed-exitcode"]);
    assert_eq!(code, Some(0), "{md}");
    assert!(
        md.contains("**No changes**: stack `empty` matches the spec."),
        "{md}"
    );
    assert!(!md.contains("<details>"), "{md}");
}
