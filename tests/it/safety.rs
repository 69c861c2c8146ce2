//! Safety thresholds end to end: the real `lbctl` binary against a moto
//! server (see `tests/support`). A refused apply exits 1 and changes
//! nothing (checked with the SDK); `--force` goes ahead, except past
//! deletion protection, which moto stores but does not enforce.

use crate::support;

use std::path::Path;

use predicates::prelude::*;
use support::{write_spec, Moto};

fn blue_green() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/alb-blue-green.yaml")).unwrap()
}

fn apply(moto: &Moto, spec: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["apply", "--auto-approve"])
        .args(extra)
        .arg("-f")
        .arg(spec)
        .assert()
}

fn plan_json(moto: &Moto, spec: &Path, extra: &[&str]) -> serde_json::Value {
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json"])
        .args(extra)
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "plan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn warnings(plan: &serde_json::Value) -> Vec<String> {
    plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

fn assert_converged(moto: &Moto, spec: &Path) {
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(spec)
        .assert()
        .code(0);
}

/// Names of the target groups and load balancers in moto.
fn live_names(moto: &Moto) -> (Vec<String>, Vec<String>) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let mut tgs: Vec<String> = c
            .describe_target_groups()
            .send()
            .await
            .unwrap()
            .target_groups()
            .iter()
            .filter_map(|t| t.target_group_name().map(str::to_string))
            .collect();
        let mut lbs: Vec<String> = c
            .describe_load_balancers()
            .send()
            .await
            .unwrap()
            .load_balancers()
            .iter()
            .filter_map(|l| l.load_balancer_name().map(str::to_string))
            .collect();
        tgs.sort();
        lbs.sort();
        (tgs, lbs)
    })
}

/// alb-blue-green with two more target groups: four owned target groups
/// and one load balancer.
fn four_groups() -> String {
    let text = blue_green();
    let at = text.find("load_balancers:").unwrap();
    format!("{}{EXTRA_1}{EXTRA_2}{}", &text[..at], &text[at..])
}

/// `text` without target group `shop-green` and every reference to it.
fn without_green(text: &str) -> String {
    let mut out = text.to_string();
    let start = out.find("  shop-green:").unwrap();
    let lbs = out.find("load_balancers:").unwrap();
    let next = out[start + 1..]
        .find("\n  shop-")
        .map_or(lbs, |i| (start + 1 + i + 1).min(lbs));
    out.replace_range(start..next, "");
    out.replace(
        "              - { name: shop-blue, weight: 90 }\n              - { name: shop-green, weight: 10 }\n",
        "              - { name: shop-blue, weight: 100 }\n",
    )
    .replace("forward: shop-green", "forward: shop-blue")
}

const EXTRA_1: &str = "  shop-extra-1:\n    protocol: HTTP\n    port: 80\n    vpc: { tags: { Name: lbctl-demo } }\n    target_type: ip\n\n";
const EXTRA_2: &str = "  shop-extra-2:\n    protocol: HTTP\n    port: 80\n    vpc: { tags: { Name: lbctl-demo } }\n    target_type: ip\n\n";

/// Everything up to `load_balancers:`: the target groups stay, the load
/// balancer goes.
fn without_load_balancer(text: &str) -> String {
    let at = text.find("load_balancers:").unwrap();
    text[..at].to_string()
}

#[test]
fn deleting_three_of_four_target_groups_needs_force() {
    let moto = Moto::seeded();
    let base = write_spec(&four_groups());
    apply(&moto, &base.path, &[]).success();
    assert_eq!(live_names(&moto).0.len(), 4);

    let shrunk = without_green(&four_groups())
        .replace(EXTRA_1, "")
        .replace(EXTRA_2, "");
    let spec = write_spec(&shrunk);
    let plan = plan_json(&moto, &spec.path, &[]);
    let deletes = plan["summary"]["delete"].as_u64().unwrap();
    assert_eq!(deletes, 3, "{plan:#}");
    let want = "safety: 3 of the 5 target groups and load balancers of stack `shop` would be deleted (60%, more than max_delete_share 30%); apply refuses without --force";
    assert!(warnings(&plan).contains(&want.to_string()), "{plan:#}");

    apply(&moto, &spec.path, &[])
        .code(1)
        .stderr(predicate::str::contains(
            "refusing to apply: 1 safety check(s) failed; nothing was changed",
        ))
        .stderr(predicate::str::contains("3 of the 5 target groups"))
        .stderr(predicate::str::contains("hint:").and(predicate::str::contains("--force")));
    assert_eq!(
        live_names(&moto).0,
        ["shop-blue", "shop-extra-1", "shop-extra-2", "shop-green"]
    );

    // Nothing was deleted; with --force it is.
    apply(&moto, &spec.path, &["--force"]).success();
    assert_eq!(live_names(&moto).0, ["shop-blue"]);
    assert_converged(&moto, &spec.path);
}

#[test]
fn the_spec_sets_thresholds_and_flags_win_over_it() {
    let moto = Moto::seeded();
    let base = write_spec(&four_groups());
    apply(&moto, &base.path, &[]).success();
    // Two of five go (40%): over the default 30%, under the spec's 50%.
    let shrunk = without_green(&four_groups()).replace(EXTRA_1, "").replacen(
        "region: us-east-1\n",
        "region: us-east-1\nsafety: { max_delete_share: 50% }\n",
        1,
    );
    let spec = write_spec(&shrunk);
    let plan = plan_json(&moto, &spec.path, &[]);
    assert_eq!(plan["summary"]["delete"], 2, "{plan:#}");
    assert!(
        !warnings(&plan).iter().any(|w| w.starts_with("safety:")),
        "{plan:#}"
    );
    let strict = ["--max-delete-share", "35%"];
    let plan = plan_json(&moto, &spec.path, &strict);
    assert!(
        warnings(&plan)
            .iter()
            .any(|w| w.contains("(40%, more than max_delete_share 35%)")),
        "{plan:#}"
    );
    apply(&moto, &spec.path, &strict).code(1);
    assert_eq!(live_names(&moto).0.len(), 4);
    apply(&moto, &spec.path, &[]).success();
    assert_eq!(live_names(&moto).0, ["shop-blue", "shop-extra-2"]);
}

#[test]
fn deleting_a_load_balancer_needs_force_or_permission() {
    let moto = Moto::seeded();
    let base = write_spec(&blue_green());
    apply(&moto, &base.path, &[]).success();

    let spec = write_spec(&without_load_balancer(&blue_green()));
    apply(&moto, &spec.path, &[])
        .code(1)
        .stderr(predicate::str::contains(
            "load balancer `shop` would be deleted (allow_load_balancer_delete is off)",
        ));
    assert_eq!(live_names(&moto).1, ["shop"]);

    // Permission in the spec: no warning, no --force needed.
    let allowed = without_load_balancer(&blue_green()).replacen(
        "region: us-east-1\n",
        "region: us-east-1\nsafety:\n  allow_load_balancer_delete: true\n",
        1,
    );
    let allowed = write_spec(&allowed);
    let plan = plan_json(&moto, &allowed.path, &[]);
    assert!(
        !warnings(&plan).iter().any(|w| w.starts_with("safety:")),
        "{plan:#}"
    );
    // --force alone also does it.
    apply(&moto, &spec.path, &["--force"]).success();
    assert!(live_names(&moto).1.is_empty());
    assert_converged(&moto, &spec.path);
}

#[test]
fn a_deletion_protected_load_balancer_is_refused_even_with_force() {
    let moto = Moto::seeded();
    let protected = blue_green().replace(
        "    attributes:\n      idle_timeout: 120\n",
        "    attributes:\n      deletion_protection: true\n      idle_timeout: 120\n",
    );
    assert_ne!(protected, blue_green());
    let base = write_spec(&protected);
    apply(&moto, &base.path, &[]).success();

    let spec = write_spec(&without_load_balancer(&blue_green()));
    let plan = plan_json(&moto, &spec.path, &[]);
    let want = "safety: load balancer `shop` would be deleted but has deletion protection on; apply refuses, even with --force";
    assert!(warnings(&plan).contains(&want.to_string()), "{plan:#}");
    // The step stays in the plan.
    assert_eq!(plan["summary"]["delete"], 1, "{plan:#}");

    apply(
        &moto,
        &spec.path,
        &["--force", "--allow-load-balancer-delete"],
    )
    .code(1)
    .stderr(predicate::str::contains("has deletion protection on"))
    .stderr(predicate::str::contains("deletion_protection: false"));
    assert_eq!(live_names(&moto).1, ["shop"]);

    // Turned off through the spec, the next apply may delete it.
    let off =
        write_spec(&protected.replace("deletion_protection: true", "deletion_protection: false"));
    apply(&moto, &off.path, &[]).success();
    apply(&moto, &spec.path, &["--force"]).success();
    assert!(live_names(&moto).1.is_empty());
}

#[test]
fn a_bad_safety_section_is_a_spec_error() {
    let text = blue_green().replacen(
        "region: us-east-1\n",
        "region: us-east-1\nsafety: { max_delete_share: 130%, max_targets: 1 }\n",
        1,
    );
    let spec = write_spec(&text);
    // validate is offline: no server needed.
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_lbctl"));
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["validate", "-f"])
        .arg(&spec.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("max_targets"));
    let text = blue_green().replacen(
        "region: us-east-1\n",
        "region: us-east-1\nsafety: { max_delete_share: 130% }\n",
        1,
    );
    let spec = write_spec(&text);
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_lbctl"));
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["validate", "-f"])
        .arg(&spec.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "`safety.max_delete_share`: `130%` is out of range",
        ));
}

#[test]
fn quiet_apply_prints_nothing_and_no_colour_off_a_terminal() {
    let moto = Moto::seeded();
    let spec = write_spec(&blue_green());
    let out = moto
        .lbctl()
        .env_remove("NO_COLOR")
        .args(["--quiet", "apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Plan output is data: printed even with --quiet, never coloured when
    // stdout is not a terminal.
    let changed = write_spec(&blue_green().replace("weight: 90 }", "weight: 80 }"));
    let out = moto
        .lbctl()
        .env_remove("NO_COLOR")
        .args(["plan", "-q", "-f"])
        .arg(&changed.path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("~ listener shop:443"), "{text}");
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(out.stderr.is_empty());
}
