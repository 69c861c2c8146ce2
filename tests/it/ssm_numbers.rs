//! SecureString values in numeric fields, end to end: the real `lbctl`
//! binary against moto SSM, ELBv2 and Route 53. A forward weight, a Route 53
//! weight, a TTL and a target port from SecureString parameters must not be
//! shown in plan text, JSON, Markdown or a saved plan, nor the traffic
//! shares computed from them, while AWS receives them (also through a saved
//! plan).

use crate::support;

use std::path::{Path, PathBuf};

use support::Moto;

const FWD_WEIGHT: &str = "613";
const DNS_WEIGHT: &str = "187";
const DNS_TTL: &str = "7213";
const TARGET_PORT: &str = "7741";
/// The shares of the weighted record set (187 and 13 of 200).
const SHARES: [&str; 2] = ["93.5%", "6.5%"];
const MASK: &str = "(sensitive)";

fn spec() -> PathBuf {
    support::repo_root().join("tests/fixtures/ssm/numbers.yaml")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn put(moto: &Moto, name: &str, value: &str) {
    moto.put_parameter(name, value, true);
}

fn started() -> Moto {
    let moto = Moto::start();
    moto.seed();
    put(&moto, "/lbctl-test/num/fwd-weight", FWD_WEIGHT);
    put(&moto, "/lbctl-test/num/dns-weight", DNS_WEIGHT);
    put(&moto, "/lbctl-test/num/dns-ttl", DNS_TTL);
    put(&moto, "/lbctl-test/num/target-port", TARGET_PORT);
    moto
}

/// Whether `text` shows the number `n` as a word of its own (not inside
/// an ID or another number).
fn shows(text: &str, n: &str) -> bool {
    text.match_indices(n).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + n.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
        !part(before) && !part(after)
    })
}

fn assert_hidden(what: &str, text: &str, secrets: &[&str]) {
    for s in secrets.iter().chain(&SHARES) {
        assert!(!shows(text, s), "{what} shows `{s}`:\n{text}");
    }
}

fn lbctl(moto: &Moto, args: &[&str], spec: Option<&Path>) -> (i32, String, String) {
    let mut cmd = moto.lbctl();
    cmd.args(args);
    if let Some(spec) = spec {
        cmd.arg("-f").arg(spec);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

const ALL: [&str; 4] = [FWD_WEIGHT, DNS_WEIGHT, DNS_TTL, TARGET_PORT];

#[test]
fn secure_numbers_and_the_shares_computed_from_them_are_never_shown() {
    let moto = started();
    let spec = spec();

    let (code, text, stderr) = lbctl(&moto, &["plan"], Some(&spec));
    assert_eq!(code, 0, "{stderr}");
    assert_hidden("plan", &text, &ALL);
    assert_hidden("plan stderr", &stderr, &ALL);
    assert!(text.contains("weight: (sensitive)"), "{text}");
    assert!(text.contains("ttl: (sensitive)"), "{text}");
    assert!(text.contains("\"10.0.11.41:(sensitive)\""), "{text}");
    assert!(
        text.contains("traffic share: nums-blue - -> (sensitive), nums-green - -> (sensitive)"),
        "{text}"
    );
    // Not every number is a secret: the other members' weights show.
    assert!(text.contains("weight: 13"), "{text}");

    let (code, json, stderr) = lbctl(&moto, &["plan", "--output", "json"], Some(&spec));
    assert_eq!(code, 0, "{stderr}");
    assert_hidden("plan --output json", &json, &ALL);
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let step = |kind: &str| {
        plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == kind && !s["name"].as_str().unwrap().starts_with("_lbctl"))
            .unwrap_or_else(|| panic!("no {kind} step in {json}"))
            .clone()
    };
    let record = step("record_set");
    let blue = record["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "nums-blue")
        .unwrap();
    assert_eq!(blue["after"]["weight"], MASK, "{record}");
    assert_eq!(blue["after"]["ttl"], MASK, "{record}");
    let listener = step("listener");
    let weights: Vec<serde_json::Value> = listener["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["path"].as_str().unwrap().ends_with(".weight"))
        .map(|c| c["after"].clone())
        .collect();
    assert_eq!(
        weights,
        [serde_json::json!(MASK), serde_json::json!(5)],
        "{listener}"
    );

    let (code, md, stderr) = lbctl(&moto, &["plan", "--output", "markdown"], Some(&spec));
    assert_eq!(code, 0, "{stderr}");
    assert_hidden("plan --output markdown", &md, &ALL);
    assert!(md.contains(MASK), "{md}");

    // A saved plan keeps markers, and apply puts the values back.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.json");
    let file_arg = file.to_str().unwrap();
    let (code, _, stderr) = lbctl(&moto, &["plan", "--out", file_arg], Some(&spec));
    assert_eq!(code, 0, "{stderr}");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_hidden("the saved plan", &saved, &ALL);
    let (code, stdout, stderr) = lbctl(&moto, &["apply", file_arg], None);
    assert_eq!(code, 0, "apply of the saved plan:\n{stdout}\n{stderr}");
    assert_hidden("apply", &format!("{stdout}\n{stderr}"), &ALL);

    runtime().block_on(async {
        let sets = moto.record_sets("example.com").await;
        let blue = sets
            .iter()
            .find(|r| r.set_identifier() == Some("nums-blue"))
            .expect("the blue member was written");
        assert_eq!(blue.weight(), Some(187));
        assert_eq!(blue.ttl(), Some(7213));
        let elb = moto.elbv2().await;
        let lbs = elb
            .describe_load_balancers()
            .names("nums")
            .send()
            .await
            .unwrap();
        let arn = lbs.load_balancers()[0].load_balancer_arn().unwrap();
        let ls = elb
            .describe_listeners()
            .load_balancer_arn(arn)
            .send()
            .await
            .unwrap();
        let fwd = ls.listeners()[0].default_actions()[0]
            .forward_config()
            .unwrap();
        let mut weights: Vec<i32> = fwd
            .target_groups()
            .iter()
            .filter_map(|t| t.weight())
            .collect();
        weights.sort();
        assert_eq!(weights, [5, 613]);
        let tgs = elb
            .describe_target_groups()
            .names("nums-blue")
            .send()
            .await
            .unwrap();
        let tg = tgs.target_groups()[0].target_group_arn().unwrap();
        let health = elb
            .describe_target_health()
            .target_group_arn(tg)
            .send()
            .await
            .unwrap();
        let port = health.target_health_descriptions()[0]
            .target()
            .unwrap()
            .port();
        assert_eq!(port, Some(7741));
    });
    support::assert_converged(&moto, &spec);

    // Rotated: neither the old nor the new TTL shows, nor the warning's.
    put(&moto, "/lbctl-test/num/dns-ttl", "7219");
    for args in [&["plan"][..], &["plan", "--output", "json"]] {
        let (code, out, stderr) = lbctl(&moto, args, Some(&spec));
        assert_eq!(code, 0, "{stderr}");
        assert_hidden("plan after rotation", &out, &[DNS_TTL, "7219", DNS_WEIGHT]);
        assert!(out.contains("has a TTL of (sensitive) s"), "{out}");
    }
}
