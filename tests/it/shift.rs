//! `lbctl shift` end to end: the real binary against a moto server per
//! test, after applying `specs/alb-blue-green.yaml` (listener `shop:443`
//! forwards `shop-blue` 90 / `shop-green` 10; rule 10 forwards to
//! `shop-green` alone). Weights are read back with the SDK.
//!
//! moto reports every registered target `healthy` at once, so the health
//! gate fails here only when `shop-green` has no targets at all; a local
//! HTTP server stands in for the `--probe` URL.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use predicates::prelude::*;
use support::Moto;

const LISTENER: &str = "shop:443";

fn spec() -> PathBuf {
    support::repo_root().join("specs/alb-blue-green.yaml")
}

/// A moto server with the blue/green stack applied.
fn blue_green() -> Moto {
    let moto = Moto::start();
    moto.seed();
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(spec())
        .assert()
        .success();
    moto
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// Weights of `shop:443`'s default forward, by name, in AWS's order.
fn weights(moto: &Moto) -> Vec<(String, i32)> {
    rt().block_on(async {
        let c = moto.elbv2().await;
        let lbs = c
            .describe_load_balancers()
            .names("shop")
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
        let https = listeners
            .listeners()
            .iter()
            .find(|l| l.port() == Some(443))
            .unwrap();
        let tuples = https.default_actions()[0]
            .forward_config()
            .unwrap()
            .target_groups()
            .to_vec();
        let mut out = Vec::new();
        for t in tuples {
            let tgs = c
                .describe_target_groups()
                .target_group_arns(t.target_group_arn().unwrap())
                .send()
                .await
                .unwrap();
            let name = tgs.target_groups()[0].target_group_name().unwrap();
            out.push((name.to_string(), t.weight().unwrap()));
        }
        out
    })
}

fn pair(blue: i32, green: i32) -> Vec<(String, i32)> {
    vec![("shop-blue".into(), blue), ("shop-green".into(), green)]
}

/// `lbctl shift shop:443 --to shop-green --interval 0 ARGS...`.
fn shift(moto: &Moto, args: &[&str]) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["shift", LISTENER, "--to", "shop-green", "--interval", "0"])
        .args(args)
        .assert()
}

/// Deregisters every target of `shop-green` with the SDK.
fn empty_green(moto: &Moto) {
    rt().block_on(moto.deregister_all("shop-green"));
}

/// An HTTP server on loopback that answers each request with the next of
/// `statuses`, then stops; returns its URL.
fn probe_server(statuses: &'static [u16]) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/health", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for status in statuses {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = write!(s, "HTTP/1.1 {status} X\r\nContent-Length: 0\r\n\r\n");
        }
    });
    url
}

#[test]
fn shifts_all_the_way_and_prints_final_weights() {
    let moto = blue_green();
    assert_eq!(weights(&moto), pair(90, 10));
    shift(&moto, &["--steps", "10,25,50,100"])
        .success()
        // 10% is reached already.
        .stderr(predicate::str::contains(
            "step 1/4 (10%): `shop-green` already has 10%, skipped",
        ))
        .stderr(predicate::str::contains(
            "step 2/4 (25%): shop-blue 75, shop-green 25",
        ))
        .stderr(predicate::str::contains(
            "step 4/4 (100%): shop-blue 0, shop-green 100",
        ))
        .stdout(predicate::str::contains(
            "  - { name: shop-blue, weight: 0 }\n  - { name: shop-green, weight: 100 }",
        ));
    assert_eq!(weights(&moto), pair(0, 100));
    // Only the weights changed: stickiness and the rest of the action are
    // as the spec has them, so the plan shows the weights alone.
    moto.lbctl()
        .args(["plan", "-f"])
        .arg(spec())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "default_action.forward.target_groups.shop-blue.weight: 0 -> 90\n    \
             default_action.forward.target_groups.shop-green.weight: 100 -> 10\n\n",
        ))
        .stdout(predicate::str::contains(
            "0 to create, 1 to update, 0 to replace",
        ));
}

#[test]
fn each_step_sets_absolute_weights_and_reruns_skip() {
    let moto = blue_green();
    for (step, blue, green) in [("25", 75, 25), ("50", 50, 50), ("100", 0, 100)] {
        shift(&moto, &["--steps", step]).success();
        assert_eq!(weights(&moto), pair(blue, green), "after --steps {step}");
    }
    // Re-running after the end is a no-op.
    shift(&moto, &["--steps", "50,100"])
        .success()
        .stderr(predicate::str::contains("nothing to do"));
    assert_eq!(weights(&moto), pair(0, 100));
    // Moving back is a shift to the other group.
    moto.lbctl()
        .args(["shift", LISTENER, "--to", "shop-blue", "--interval", "0"])
        .args(["--steps", "90"])
        .assert()
        .success();
    assert_eq!(weights(&moto), pair(90, 10));
}

#[test]
fn unhealthy_target_group_fails_the_gate_and_changes_nothing() {
    let moto = blue_green();
    empty_green(&moto);
    shift(&moto, &["--steps", "25,50,100"])
        .failure()
        .code(1)
        .stderr(predicate::str::contains(
            "gate `health` failed before step 1/3 (25%)",
        ))
        .stderr(predicate::str::contains(
            "0 of 0 registered target(s) of `shop-green` healthy",
        ));
    assert_eq!(weights(&moto), pair(90, 10));
}

#[test]
fn failed_probe_rolls_back_to_the_starting_weights() {
    let moto = blue_green();
    // Passes before step 1, fails before step 2; a 1 s interval shows the
    // countdown.
    let url = probe_server(&[200, 503]);
    moto.lbctl()
        .args(["shift", LISTENER, "--to", "shop-green", "--interval", "1s"])
        .args(["--steps", "25,50", "--probe", &url])
        .assert()
        .failure()
        .stderr(predicate::str::contains("step 2/2 (50%) in 1s"))
        .code(1)
        .stderr(predicate::str::contains(
            "step 1/2 (25%): shop-blue 75, shop-green 25",
        ))
        .stderr(predicate::str::contains(
            "gate `probe` failed before step 2/2 (50%)",
        ))
        .stderr(predicate::str::contains("503"))
        .stderr(predicate::str::contains(
            "rolled `shop:443` back to shop-blue 90, shop-green 10",
        ));
    assert_eq!(weights(&moto), pair(90, 10));
}

#[test]
fn min_healthy_share_is_checked() {
    let moto = blue_green();
    // Both targets healthy: 100% passes.
    shift(&moto, &["--steps", "20", "--min-healthy", "100%"]).success();
    assert_eq!(weights(&moto), pair(80, 20));
    // Three required of two registered.
    shift(&moto, &["--steps", "30", "--min-healthy", "3"])
        .failure()
        .stderr(predicate::str::contains("--min-healthy 3 requires 3"));
    assert_eq!(weights(&moto), pair(80, 20));
}

#[test]
fn with_spec_prints_the_diff_that_keeps_the_weights() {
    let moto = blue_green();
    let out = moto
        .lbctl()
        .args(["shift", LISTENER, "--to", "shop-green", "--interval", "0"])
        .args(["--steps", "50,100", "-f", "specs/alb-blue-green.yaml"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.starts_with("--- a/specs/alb-blue-green.yaml\n+++ b/specs/alb-blue-green.yaml\n@@ "),
        "{diff}"
    );
    for line in [
        "-              - { name: shop-blue, weight: 90 }",
        "-              - { name: shop-green, weight: 10 }",
        "+              - { name: shop-blue, weight: 0 }",
        "+              - { name: shop-green, weight: 100 }",
        "             stickiness: 1h",
    ] {
        assert!(diff.lines().any(|l| l == line), "no `{line}` in:\n{diff}");
    }
    assert_eq!(diff.lines().filter(|l| l.starts_with('-')).count(), 3);
    // Applying the diffed spec keeps the weights: the plan is empty.
    let spec = std::fs::read_to_string(spec()).unwrap();
    let new = spec
        .replace(
            "{ name: shop-blue, weight: 90 }",
            "{ name: shop-blue, weight: 0 }",
        )
        .replace(
            "{ name: shop-green, weight: 10 }",
            "{ name: shop-green, weight: 100 }",
        );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, new).unwrap();
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&path)
        .assert()
        .code(0);
}

#[test]
fn refuses_what_it_cannot_shift() {
    let moto = blue_green();
    // Rule 10 forwards to shop-green alone.
    shift(&moto, &["--steps", "50", "--rule", "10"])
        .failure()
        .stderr(predicate::str::contains("no weighted forward"))
        .stderr(predicate::str::contains("hint:"));
    shift(&moto, &["--steps", "50", "--rule", "99"])
        .failure()
        .stderr(predicate::str::contains("no rule with priority 99"));
    moto.lbctl()
        .args(["shift", "shop:8443", "--to", "shop-green", "--steps", "50"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no listener on port 8443"));
    moto.lbctl()
        .args([
            "shift",
            "shop:443",
            "--to",
            "shop-green",
            "--steps",
            "50,25",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("steps must increase"));
    assert_eq!(weights(&moto), pair(90, 10));
}
