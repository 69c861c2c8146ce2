//! The health wait of apply against moto: switching a listener and a rule
//! to a target group the same apply creates goes through a warm-up rule,
//! waits for the group's targets, switches, and leaves no warm-up rule.
//!
//! moto reports registered targets healthy at once (docs in
//! /work/shared/moto-notes.md), so only the path where the wait ends at
//! once can run here; the pending and timeout paths are unit tests of
//! `lbctl::health` (`verdict`, `next_poll`).

use crate::support;

use aws_sdk_elasticloadbalancingv2 as elbv2;
use support::{assert_converged, write_spec, Moto};

const BLUE: &str = r#"
version: 1
stack: hw
region: us-east-1
target_groups:
  web-blue:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    targets:
      list:
        - { instances: { tags: { color: blue } }, port: 80 }
load_balancers:
  web:
    type: application
    subnets: [ { tags: { tier: public } } ]
    security_groups: [ { tags: { Name: web-lb } } ]
    listeners:
      - port: 80
        protocol: HTTP
        default_action: { forward: web-blue }
        rules:
          - priority: 10
            conditions: { path_pattern: ["/api/*"] }
            action: { forward: web-blue }
"#;

/// `BLUE` plus `web-green`; the listener switches to it and the rule
/// gives it half the traffic.
fn green() -> String {
    let with_green = BLUE.replace(
        "load_balancers:",
        r#"  web-green:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    targets:
      list:
        - { instances: { tags: { color: green } }, port: 80 }
load_balancers:"#,
    );
    with_green
        .replace(
            "default_action: { forward: web-blue }",
            "default_action: { forward: web-green }",
        )
        .replace(
            "action: { forward: web-blue }",
            "action: { forward: { target_groups: [ { name: web-blue, weight: 50 }, { name: web-green, weight: 50 } ] } }",
        )
}

async fn listener_arn(c: &elbv2::Client) -> String {
    let lb = c
        .describe_load_balancers()
        .names("web")
        .send()
        .await
        .unwrap();
    let lb_arn = lb.load_balancers()[0].load_balancer_arn().unwrap();
    let out = c
        .describe_listeners()
        .load_balancer_arn(lb_arn)
        .send()
        .await
        .unwrap();
    out.listeners()[0].listener_arn().unwrap().to_string()
}

/// A moto server with `BLUE` applied.
fn blue_applied() -> Moto {
    let moto = Moto::start();
    moto.seed();
    let blue = write_spec(BLUE);
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&blue.path)
        .assert()
        .success();
    moto
}

#[test]
fn switching_to_a_new_target_group_waits_for_health_and_cleans_up() {
    let moto = blue_applied();

    // The plan says the switch waits, and a saved plan keeps that.
    let spec = write_spec(&green());
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    let out = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&spec.path)
        .arg("--out")
        .arg(&saved)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("waits for the targets of `web-green` to be healthy before switching"),
        "{text}"
    );
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let waits: Vec<(String, serde_json::Value)> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("health_wait").is_some())
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["health_wait"].clone(),
            )
        })
        .collect();
    assert_eq!(
        waits,
        [
            ("web:80".to_string(), serde_json::json!(["web-green"])),
            ("web:80/10".to_string(), serde_json::json!(["web-green"])),
        ],
        "{json:#}"
    );
    let saved_text = std::fs::read_to_string(&saved).unwrap();
    assert!(saved_text.contains("\"warm\""), "{saved_text}");

    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve"])
        .arg(&saved)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{stderr}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The listener update and the rule update each waited (moto: at once).
    for step in ["update listener web:80", "update rule web:80/10"] {
        assert!(
            stderr.contains(&format!(
                "{step}: targets of `web-green` healthy after 0s; switching"
            )),
            "{stderr}"
        );
    }

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let listener = listener_arn(&c).await;
        let rules = c
            .describe_rules()
            .listener_arn(&listener)
            .send()
            .await
            .unwrap();
        // Only the default rule and the spec's rule: no warm-up rule left.
        let mut priorities: Vec<&str> = rules
            .rules()
            .iter()
            .map(|r| r.priority().unwrap())
            .collect();
        priorities.sort();
        assert_eq!(priorities, ["10", "default"]);
        let default = rules
            .rules()
            .iter()
            .find(|r| r.is_default() == Some(true))
            .unwrap();
        let action = &default.actions()[0];
        let arn = action
            .target_group_arn()
            .or_else(|| {
                action
                    .forward_config()
                    .and_then(|f| f.target_groups().first())
                    .and_then(|t| t.target_group_arn())
            })
            .unwrap();
        assert_eq!(support::read::target_group_name(&c, arn).await, "web-green");
    });
    assert_converged(&moto, &spec.path);
}

#[test]
fn a_zero_health_timeout_switches_without_a_warm_up_rule() {
    let moto = blue_applied();
    let spec = write_spec(&green());
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "--health-timeout", "0", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("healthy after"), "{stderr}");
    assert_converged(&moto, &spec.path);
}

#[test]
fn a_bad_health_timeout_is_a_usage_error_before_any_aws_call() {
    let spec = write_spec(BLUE);
    let out = assert_cmd::Command::cargo_bin("lbctl")
        .unwrap()
        .args(["apply", "--auto-approve", "--health-timeout", "soon", "-f"])
        .arg(&spec.path)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_ne!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid health timeout `soon`"), "{stderr}");
}

#[test]
fn replacing_an_in_use_target_group_waits_before_each_move() {
    let moto = blue_applied();
    // A port change replaces `web-blue` while the listener and the rule use
    // it: traffic moves to a temporary group and then to the new `web-blue`.
    let spec = write_spec(&BLUE.replacen("port: 80\n", "port: 8080\n", 1));
    let plan = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(
        text.contains("each move waits for the receiving group's targets to be healthy"),
        "{text}"
    );
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Two moves, two waits: to the temporary group, then to the new one.
    let waits: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("healthy after") && l.contains("switching"))
        .collect();
    assert_eq!(waits.len(), 2, "{stderr}");
    assert!(waits[1].contains("`web-blue`"), "{stderr}");
    assert!(!waits[0].contains("`web-blue`"), "{stderr}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let rules = c
            .describe_rules()
            .listener_arn(listener_arn(&c).await)
            .send()
            .await
            .unwrap();
        let mut priorities: Vec<&str> = rules
            .rules()
            .iter()
            .map(|r| r.priority().unwrap())
            .collect();
        priorities.sort();
        assert_eq!(priorities, ["10", "default"], "a warm-up rule was left");
    });
    assert_converged(&moto, &spec.path);
}
