//! Network load balancers end to end: weighted forwards on NLB listeners,
//! `lbctl shift` on them (health-gated on the receiving group), and QUIC
//! listeners and target groups with `quic_server_id` targets, against moto
//! with `tests/support/plugin_nlb.py` (QUIC protocols and server IDs).
//! Offline refusals of what AWS refuses are checked with `lbctl validate`.

use crate::support;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use support::Moto;

fn spec() -> PathBuf {
    support::repo_root().join("specs/nlb-blue-green.yaml")
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// A moto server with `specs/nlb-blue-green.yaml` applied.
fn applied() -> Moto {
    let moto = Moto::start();
    moto.seed();
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(spec())
        .assert()
        .success();
    moto
}

/// Plan of the example exits 0 with `--detailed-exitcode`: nothing to do.
fn plans_empty(moto: &Moto) {
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(spec())
        .assert()
        .code(0);
}

/// Weights of `web-nlb:443`'s default forward, by target group name.
fn weights(moto: &Moto) -> Vec<(String, i32)> {
    rt().block_on(async {
        let c = moto.elbv2().await;
        let lbs = c
            .describe_load_balancers()
            .names("web-nlb")
            .send()
            .await
            .unwrap();
        let lb = lbs.load_balancers()[0].load_balancer_arn().unwrap();
        let listeners = c
            .describe_listeners()
            .load_balancer_arn(lb)
            .send()
            .await
            .unwrap();
        let l = listeners
            .listeners()
            .iter()
            .find(|l| l.port() == Some(443))
            .unwrap();
        let mut out = Vec::new();
        let fwd = l.default_actions()[0].forward_config().unwrap();
        for t in fwd.target_groups() {
            let arn = t.target_group_arn().unwrap();
            let tg = c
                .describe_target_groups()
                .target_group_arns(arn)
                .send()
                .await
                .unwrap();
            let name = tg.target_groups()[0].target_group_name().unwrap();
            out.push((name.to_string(), t.weight().unwrap_or(1)));
        }
        out.sort();
        out
    })
}

fn pair(blue: i32, green: i32) -> Vec<(String, i32)> {
    vec![("web-blue".into(), blue), ("web-green".into(), green)]
}

#[test]
fn weighted_nlb_forward_applies_and_plans_empty() {
    let moto = applied();
    assert_eq!(weights(&moto), pair(80, 20));
    plans_empty(&moto);
}

#[test]
fn quic_listener_and_server_ids_apply_read_back_and_plan_empty() {
    let moto = applied();
    let (listener_protocol, tg_protocol, ids) = rt().block_on(async {
        let c = moto.elbv2().await;
        let tg = c
            .describe_target_groups()
            .names("web-quic")
            .send()
            .await
            .unwrap();
        let tg = &tg.target_groups()[0];
        let health = c
            .describe_target_health()
            .target_group_arn(tg.target_group_arn().unwrap())
            .send()
            .await
            .unwrap();
        let mut ids: Vec<String> = health
            .target_health_descriptions()
            .iter()
            .filter_map(|d| d.target()?.quic_server_id().map(str::to_string))
            .collect();
        ids.sort();
        let lb = c
            .describe_load_balancers()
            .names("web-nlb")
            .send()
            .await
            .unwrap();
        let listeners = c
            .describe_listeners()
            .load_balancer_arn(lb.load_balancers()[0].load_balancer_arn().unwrap())
            .send()
            .await
            .unwrap();
        let quic = listeners
            .listeners()
            .iter()
            .find(|l| l.port() == Some(8443))
            .unwrap();
        (
            quic.protocol().unwrap().as_str().to_string(),
            tg.protocol().unwrap().as_str().to_string(),
            ids,
        )
    });
    assert_eq!(listener_protocol, "QUIC");
    assert_eq!(tg_protocol, "QUIC");
    assert_eq!(ids, ["0x0000000000000001", "0x0000000000000002"]);
    plans_empty(&moto);
    // export writes the server IDs back, and its spec plans to no changes.
    let out = moto
        .lbctl()
        .args(["export", "--stack", "nlb-bg"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("quic_server_id: '0x0000000000000001'")
            || text.contains("quic_server_id: \"0x0000000000000001\"")
            || text.contains("quic_server_id: 0x0000000000000001"),
        "{text}"
    );
    assert!(text.contains("protocol: QUIC"), "{text}");
}

#[test]
fn shift_on_an_nlb_listener_ends_at_0_100() {
    let moto = applied();
    moto.lbctl()
        .args([
            "shift",
            "web-nlb:443",
            "--to",
            "web-green",
            "--interval",
            "0",
        ])
        .args(["--steps", "50,100", "-f"])
        .arg(spec())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "step 1/2 (50%): web-blue 50, web-green 50",
        ))
        // The spec change that keeps the new weights.
        .stdout(predicate::str::contains(
            "-              - { name: web-blue, weight: 80 }\n\
             -              - { name: web-green, weight: 20 }\n\
             +              - { name: web-blue, weight: 0 }\n\
             +              - { name: web-green, weight: 100 }",
        ))
        .stderr(predicate::str::contains(
            "step 2/2 (100%): web-blue 0, web-green 100",
        ));
    assert_eq!(weights(&moto), pair(0, 100));
}

#[test]
fn shift_on_an_nlb_listener_with_green_empty_changes_nothing() {
    let moto = applied();
    rt().block_on(moto.deregister_all("web-green"));
    moto.lbctl()
        .args([
            "shift",
            "web-nlb:443",
            "--to",
            "web-green",
            "--interval",
            "0",
        ])
        .args(["--steps", "50,100"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "gate `health` failed before step 1/2 (50%)",
        ))
        .stderr(predicate::str::contains(
            "0 of 0 registered target(s) of `web-green` healthy",
        ));
    assert_eq!(weights(&moto), pair(80, 20));
}

/// Green loses its targets while `shift` waits between its steps: the
/// health gate before step 2 fails and the listener goes back to 80/20.
#[test]
fn shift_on_an_nlb_listener_rolls_back_when_green_loses_its_targets() {
    let moto = applied();
    let mut child = moto
        .command()
        .args([
            "shift",
            "web-nlb:443",
            "--to",
            "web-green",
            "--interval",
            "3s",
        ])
        .args(["--steps", "50,100"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lbctl");
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no step 1 line:\n{}", lines.join("\n")));
        let done = line.contains("step 1/2 (50%): web-blue 50, web-green 50");
        lines.push(line);
        if done {
            break;
        }
    }
    assert_eq!(weights(&moto), pair(50, 50));
    rt().block_on(moto.deregister_all("web-green"));
    let status = child.wait().expect("wait for lbctl");
    reader.join().expect("stderr reader");
    lines.extend(rx.try_iter());
    let text = lines.join("\n");
    assert_eq!(status.code(), Some(1), "{text}");
    assert!(
        text.contains("gate `health` failed before step 2/2 (100%)"),
        "{text}"
    );
    assert!(
        text.contains("rolled `web-nlb:443` back to web-blue 80, web-green 20"),
        "{text}"
    );
    assert_eq!(weights(&moto), pair(80, 20));
}

/// `lbctl validate` of `yaml` (a whole spec) fails with every message of
/// `expected` (each with its line) and a hint.
fn refused(yaml: &str, expected: &[(&str, usize)]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, yaml).unwrap();
    let out = assert_cmd::Command::cargo_bin("lbctl")
        .unwrap()
        .args(["validate", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    for (msg, line) in expected {
        let at = format!("spec.yaml:{line}:");
        assert!(
            text.lines().any(|l| l.contains(&at) && l.contains(msg)),
            "want `{msg}` at line {line}:\n{text}"
        );
    }
    assert!(text.contains("hint:"), "{text}");
}

#[test]
fn an_unquoted_server_id_gets_a_hint_to_quote_it() {
    refused(
        "version: 1\nstack: t\ntarget_groups:\n  q:\n    protocol: QUIC\n    port: 443\n    vpc: vpc-0123\n    targets: { list: [ { id: i-0123, quic_server_id: 0x0000000000000001 } ] }\n",
        &[("wrong type", 8)],
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, "version: 1\nstack: t\ntarget_groups:\n  q:\n    protocol: QUIC\n    port: 443\n    vpc: vpc-0123\n    targets: { list: [ { id: i-0123, quic_server_id: 0x0000000000000001 } ] }\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("lbctl")
        .unwrap()
        .args(["validate", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("hint: quote it"), "{text}");
}

const HEAD: &str = "version: 1
stack: t
target_groups:
  q:
    protocol: QUIC
    port: 443
    vpc: vpc-0123
    target_type: ip
    targets:
      list:
        - { id: 10.0.1.1, port: 443 }
        - { id: 10.0.1.2, port: 443, quic_server_id: \"0xABC\" }
  tcp:
    protocol: TCP
    port: 443
    vpc: vpc-0123
    targets:
      list:
        - { id: i-0123456789abcdef0, quic_server_id: \"0x0000000000000001\" }
  tcp2:
    protocol: TCP
    port: 443
    vpc: vpc-0123
  h:
    protocol: HTTP
    port: 80
    vpc: vpc-0123
  q2:
    protocol: QUIC
    port: 443
    vpc: vpc-0123
    target_type: ip
  q3:
    protocol: TCP_QUIC
    port: 443
    vpc: vpc-0123
    ip_address_type: ipv6
    attributes: { stickiness: { enabled: true } }
";

#[test]
fn quic_and_weights_are_refused_offline_with_location_and_fix() {
    let spec = format!(
        "{HEAD}load_balancers:
  web:
    type: application
    subnets: [subnet-1, subnet-2]
    listeners:
      - port: 443
        protocol: QUIC
        default_action: {{ forward: h }}
  nlb:
    type: network
    subnets: [subnet-1]
    listeners:
      - port: 443
        protocol: TCP
        default_action:
          forward:
            target_groups:
              - {{ name: tcp, weight: 1000 }}
              - {{ name: tcp2, weight: 10 }}
            stickiness: 1h
      - port: 8443
        protocol: TCP
        default_action: {{ forward: q2 }}
      - port: 9443
        protocol: QUIC
        default_action: {{ forward: tcp2 }}
"
    );
    refused(
        &spec,
        &[
            ("a target of a QUIC target group needs `quic_server_id`", 11),
            ("invalid QUIC server ID `0xABC`", 12),
            (
                "only applies to targets of QUIC and TCP_QUIC target groups",
                19,
            ),
            ("TCP_QUIC target groups cannot be IPv6", 37),
            ("TCP_QUIC target groups do not support stickiness", 38),
            (
                "protocol QUIC cannot be used by application load balancers",
                45,
            ),
            ("weight (1000) must be between 0 and 999", 56),
            ("forward stickiness needs an application load balancer", 58),
            (
                "TCP listeners cannot forward to target group `q2` (QUIC)",
                61,
            ),
            (
                "QUIC listeners cannot forward to target group `tcp2` (TCP)",
                64,
            ),
        ],
    );
}

/// A changed `quic_server_id` (AWS cannot modify one in place) is planned as
/// one targets step that re-registers the target, applied, then converged.
#[test]
fn changed_quic_server_id_re_registers_the_target_and_converges() {
    let moto = applied();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nlb.yaml");
    let text = std::fs::read_to_string(spec()).unwrap();
    std::fs::write(
        &path,
        text.replace("0x0000000000000002", "0x00000000000000ff"),
    )
    .unwrap();
    moto.lbctl()
        .args(["plan", "-f"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "targets.10.0.12.52:443.quic_server_id: \"0x0000000000000002\" -> \"0x00000000000000ff\"",
        ))
        .stdout(predicate::str::contains("0 to create, 1 to update"));
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&path)
        .assert()
        .success();
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&path)
        .assert()
        .code(0);
}

/// `plan --traffic` splits the NLB listener's traffic by the weights.
#[test]
fn plan_traffic_shows_the_nlb_weights() {
    let moto = applied();
    let out = moto
        .lbctl()
        .args(["plan", "--traffic", "-f"])
        .arg(spec())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    // 80/20 between the groups, halved over each group's two targets.
    for row in [
        "TCP:443     web-blue       10.0.11.50:443   us-east-1a   40.0%",
        "TCP:443     web-green      10.0.12.51:443   us-east-1b   10.0%",
        "QUIC:8443   web-quic       10.0.11.52:443   us-east-1a   50.0%",
    ] {
        assert!(text.contains(row), "want `{row}`:\n{text}");
    }
}
