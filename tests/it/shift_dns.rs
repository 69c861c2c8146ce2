//! `lbctl shift --zone --record` end to end: the real binary against a
//! moto server per test, after applying [`SPEC`]: two load balancers
//! `blue` and `green`, each forwarding to its own target group of seeded
//! instances, and in the seeded zone `example.com` the weighted record sets
//! `api` (aliases to the load balancers, blue 100 / green 0), `vals`
//! (values only) and `hc` (values, green with a Route 53 health check).
//! Weights are read back with the SDK.
//!
//! moto reports every registered target `healthy` at once, and its
//! GetHealthCheckStatus always reports one checker with `Success`, so the
//! health gate fails here only when the receiving side has no targets; a
//! local HTTP server stands in for the `--probe` URL and records the live
//! weights each time it is called (that is, before each step).

use crate::support;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use predicates::prelude::*;
use support::{assert_converged, write_spec, Moto, SpecFile};

/// Set identifiers are unique across the zone: moto (not AWS) deletes a set
/// identifier under every name when one is deleted.
const SPEC: &str = "\
version: 1
stack: canary
region: us-east-1

target_groups:
  blue-web:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: instance
    targets:
      list:
        - { instances: { tags: { role: web, color: blue } }, port: 80 }
  green-web:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: instance
    targets:
      list:
        - { instances: { tags: { role: web, color: green } }, port: 80 }

load_balancers:
  blue:
    type: application
    subnets: [ { tags: { tier: public } } ]
    security_groups: [ { tags: { Name: web-lb } } ]
    listeners:
      - port: 80
        protocol: HTTP
        default_action: { forward: blue-web }
  green:
    type: application
    subnets: [ { tags: { tier: public } } ]
    security_groups: [ { tags: { Name: web-lb } } ]
    listeners:
      - port: 80
        protocol: HTTP
        default_action: { forward: green-web }

dns:
  - zone: example.com
    records:
      - name: www
        type: A
        alias: { load_balancer: blue }
      - name: api
        type: A
        weighted:
          # blue serves everything until the shift
          - { id: blue, weight: 100, alias: { load_balancer: blue, evaluate_target_health: true } }
          - id: green
            weight: 0
            alias: { load_balancer: green, evaluate_target_health: true }
      - name: vals
        type: A
        ttl: 60
        weighted:
          - { id: vals-blue, weight: 1, values: [192.0.2.1] }
          - { id: vals-green, weight: 0, values: [192.0.2.2] }
      - name: hc
        type: A
        ttl: 60
        weighted:
          - { id: hc-blue, weight: 1, values: [192.0.2.3] }
          - { id: hc-green, weight: 0, values: [192.0.2.4], health_check: { type: HTTP, ip_address: 192.0.2.4, path: /health } }
";

/// A moto server with [`SPEC`] applied, and the spec file.
fn canary() -> (Moto, SpecFile) {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(SPEC);
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .assert()
        .success();
    (moto, spec)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

type Weights = Vec<(String, i64)>;

/// (set identifier, weight) of the members of `NAME.example.com. A`.
async fn live_weights(c: &aws_sdk_route53::Client, name: &str) -> Weights {
    let wanted = format!("{name}.example.com.");
    let mut out: Weights = support::read::record_sets(c, "example.com")
        .await
        .iter()
        .filter(|rr| rr.name() == wanted && rr.r#type().as_str() == "A")
        .map(|rr| {
            (
                rr.set_identifier().unwrap_or_default().to_string(),
                rr.weight().unwrap_or(-1),
            )
        })
        .collect();
    out.sort();
    out
}

fn weights(moto: &Moto, name: &str) -> Weights {
    rt().block_on(async { live_weights(&moto.route53().await, name).await })
}

fn pair(blue: i64, green: i64) -> Weights {
    vec![("blue".into(), blue), ("green".into(), green)]
}

/// `lbctl shift --zone example.com --record api --to green --interval 0 ARGS...`.
fn shift(moto: &Moto, args: &[&str]) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["shift", "--zone", "example.com", "--record", "api"])
        .args(["--to", "green", "--interval", "0"])
        .args(args)
        .assert()
}

/// A probe server on loopback: answers each request with the next of
/// `statuses` (then stops), after reading the live weights of `api`; returns
/// its URL and the weights it saw.
fn probe_server(moto: &Moto, statuses: &'static [u16]) -> (String, Arc<Mutex<Vec<Weights>>>) {
    let client = rt().block_on(moto.route53());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/health", listener.local_addr().unwrap());
    let log = seen.clone();
    std::thread::spawn(move || {
        let rt = rt();
        for status in statuses {
            let (mut s, _) = listener.accept().unwrap();
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let live = rt.block_on(live_weights(&client, "api"));
            log.lock().unwrap().push(live);
            let _ = write!(s, "HTTP/1.1 {status} X\r\nContent-Length: 0\r\n\r\n");
        }
    });
    (url, seen)
}

/// Deregisters every target of `green-web` with the SDK.
fn empty_green(moto: &Moto) {
    rt().block_on(moto.deregister_all("green-web"));
}

#[test]
fn shifts_a_weighted_record_step_by_step() {
    let (moto, _spec) = canary();
    assert_eq!(weights(&moto, "api"), pair(100, 0));
    let (url, seen) = probe_server(&moto, &[200, 200, 200, 200]);
    shift(&moto, &["--steps", "10,25,50,100", "--probe", &url])
        .success()
        .stderr(predicate::str::contains(
            "shifting `api.example.com. A` to `green`: now blue 100, green 0 (0%)",
        ))
        .stderr(predicate::str::contains(
            "step 1/4 (10%): blue 90, green 10 (2 of 2 registered target(s) of load balancer \
             `green` (`green-web`) healthy; GET ",
        ))
        .stderr(predicate::str::contains(
            "step 4/4 (100%): blue 0, green 100",
        ))
        .stdout(predicate::str::contains(
            "weighted:\n  - { id: blue, weight: 0 }\n  - { id: green, weight: 100 }\n",
        ));
    // Each probe (before each step) saw the previous step's weights, live.
    assert_eq!(
        *seen.lock().unwrap(),
        vec![pair(100, 0), pair(90, 10), pair(75, 25), pair(50, 50)]
    );
    assert_eq!(weights(&moto, "api"), pair(0, 100));
    // Re-running is a no-op.
    shift(&moto, &["--steps", "10,25,50,100"])
        .success()
        .stderr(predicate::str::contains(
            "step 1/4 (10%): `green` already has 100%, skipped",
        ))
        .stderr(predicate::str::contains("nothing to do"));
    assert_eq!(weights(&moto, "api"), pair(0, 100));
}

#[test]
fn an_interrupted_shift_continues_and_moves_back() {
    let (moto, _spec) = canary();
    shift(&moto, &["--steps", "25"]).success();
    assert_eq!(weights(&moto, "api"), pair(75, 25));
    // Steps already reached are skipped; the rest is computed from the
    // live weights.
    shift(&moto, &["--steps", "10,25,50"])
        .success()
        .stderr(predicate::str::contains(
            "step 2/3 (25%): `green` already has 25%",
        ))
        .stderr(predicate::str::contains(
            "step 3/3 (50%): blue 50, green 50",
        ));
    assert_eq!(weights(&moto, "api"), pair(50, 50));
    // Back to blue, by zone ID and absolute name, gated on blue's group.
    let zone = rt().block_on(async {
        let c = moto.route53().await;
        let zones = c.list_hosted_zones().send().await.unwrap();
        zones.hosted_zones()[0].id().to_string()
    });
    moto.lbctl()
        .args([
            "shift",
            "--zone",
            &zone,
            "--record",
            "api.example.com.",
            "--type",
            "a",
        ])
        .args(["--to", "blue", "--steps", "100", "--interval", "0"])
        .args(["--target-group", "blue-web", "--min-healthy", "100%"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "blue 100, green 0 (2 of 2 registered target(s) of `blue-web` healthy)",
        ));
    assert_eq!(weights(&moto, "api"), pair(100, 0));
}

#[test]
fn unhealthy_receiver_changes_nothing() {
    let (moto, _spec) = canary();
    empty_green(&moto);
    shift(&moto, &["--steps", "10,100"])
        .failure()
        .code(1)
        .stderr(predicate::str::contains(
            "gate `health` failed before step 1/2 (10%): 0 of 0 registered target(s) of load \
             balancer `green` (`green-web`) healthy, at least 1 required; nothing was changed",
        ));
    assert_eq!(weights(&moto, "api"), pair(100, 0));
}

#[test]
fn failed_probe_rolls_the_record_back() {
    let (moto, _spec) = canary();
    let (url, seen) = probe_server(&moto, &[200, 503]);
    shift(&moto, &["--steps", "25,50", "--probe", &url])
        .failure()
        .code(1)
        .stderr(predicate::str::contains(
            "step 1/2 (25%): blue 75, green 25",
        ))
        .stderr(predicate::str::contains(
            "gate `probe` failed before step 2/2 (50%)",
        ))
        .stderr(predicate::str::contains(
            "rolled `api.example.com. A` back to blue 100, green 0",
        ));
    assert_eq!(*seen.lock().unwrap(), vec![pair(100, 0), pair(75, 25)]);
    assert_eq!(weights(&moto, "api"), pair(100, 0));
}

#[test]
fn members_without_a_load_balancer_need_another_gate() {
    let (moto, _spec) = canary();
    let vals = |args: &[&str]| {
        moto.lbctl()
            .args(["shift", "--zone", "example.com", "--record", "vals"])
            .args(["--to", "vals-green", "--interval", "0", "--steps", "50"])
            .args(args)
            .assert()
    };
    vals(&[])
        .failure()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot check the health of `vals-green`: it has values, not an alias to a load \
             balancer and has no health check; nothing was changed",
        ))
        .stderr(
            predicate::str::contains("--target-group TG")
                .and(predicate::str::contains("--probe URL")),
        );
    assert_eq!(
        weights(&moto, "vals"),
        vec![("vals-blue".into(), 1), ("vals-green".into(), 0)]
    );
    vals(&["--target-group", "green-web"])
        .success()
        .stderr(predicate::str::contains(
            "vals-blue 50, vals-green 50 (2 of 2 registered target(s) of `green-web` healthy)",
        ));
    assert_eq!(
        weights(&moto, "vals"),
        vec![("vals-blue".into(), 50), ("vals-green".into(), 50)]
    );
    // A member with a Route 53 health check is gated on it.
    moto.lbctl()
        .args(["shift", "--zone", "example.com", "--record", "hc"])
        .args(["--to", "hc-green", "--interval", "0", "--steps", "100"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "hc-blue 0, hc-green 100 (health check `",
        ))
        .stderr(predicate::str::contains(
            "1 of 1 checker(s) report success)",
        ));
    assert_eq!(
        weights(&moto, "hc"),
        vec![("hc-blue".into(), 0), ("hc-green".into(), 100)]
    );
}

#[test]
fn refuses_what_it_cannot_shift() {
    let (moto, _spec) = canary();
    moto.lbctl()
        .args(["shift", "--zone", "example.com", "--record", "api"])
        .args(["--to", "red", "--steps", "50"])
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains(
            "`api.example.com. A` has the members `blue`, `green`: `red` is not one of its set \
             identifiers; nothing was changed",
        ));
    let other = |args: &[&str]| {
        moto.lbctl()
            .args(["shift", "--to", "green", "--steps", "50"])
            .args(args)
            .assert()
            .failure()
            .code(1)
    };
    other(&["--zone", "example.com", "--record", "www"]).stderr(predicate::str::contains(
        "`www.example.com. A` is not a weighted record set",
    ));
    other(&["--zone", "example.com", "--record", "api", "--type", "AAAA"]).stderr(
        predicate::str::contains(
            "no record set `api.example.com. AAAA` in hosted zone `example.com.`",
        ),
    );
    other(&["--zone", "nope.example", "--record", "api"]).stderr(predicate::str::contains(
        "hosted zone `nope.example.` not found in account `123456789012`; nothing was changed",
    ));
    other(&[
        "--zone",
        "example.com",
        "--record",
        "api",
        "--target-group",
        "nope",
    ])
    .stderr(predicate::str::contains(
        "target group `nope` (--target-group) not found",
    ));
    // Exactly one of a listener and a record set (usage errors).
    moto.lbctl()
        .args([
            "shift",
            "shop:443",
            "--zone",
            "example.com",
            "--record",
            "api",
        ])
        .args(["--to", "green", "--steps", "50"])
        .assert()
        .failure()
        .code(64);
    moto.lbctl()
        .args(["shift", "--record", "api", "--to", "green", "--steps", "50"])
        .assert()
        .failure()
        .code(64);
    moto.lbctl()
        .args(["shift", "--to", "green", "--steps", "50"])
        .assert()
        .failure()
        .code(64);
    assert_eq!(weights(&moto, "api"), pair(100, 0));
}

/// `old` with a unified diff of in-place line changes applied.
fn patch(old: &str, diff: &str) -> String {
    let mut lines: Vec<String> = old.lines().map(str::to_string).collect();
    let mut at = 0;
    let mut offset: isize = 0;
    for line in diff.lines().skip(2) {
        if let Some(header) = line.strip_prefix("@@ -") {
            let start: isize = header.split([',', ' ']).next().unwrap().parse().unwrap();
            at = (start - 1 + offset) as usize;
        } else if let Some(removed) = line.strip_prefix('-') {
            assert_eq!(lines[at], removed, "diff does not apply");
            lines.remove(at);
            offset -= 1;
        } else if let Some(added) = line.strip_prefix('+') {
            lines.insert(at, added.to_string());
            at += 1;
            offset += 1;
        } else {
            assert_eq!(lines[at], line[1..], "context does not match");
            at += 1;
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn with_spec_prints_the_diff_that_keeps_the_weights() {
    let (moto, spec) = canary();
    let path = spec.path.to_str().unwrap();
    let out = shift(&moto, &["--steps", "50", "-f", path])
        .get_output()
        .clone();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff = String::from_utf8(out.stdout).unwrap();
    for line in [
        "-          - { id: blue, weight: 100, alias: { load_balancer: blue, evaluate_target_health: true } }",
        "+          - { id: blue, weight: 50, alias: { load_balancer: blue, evaluate_target_health: true } }",
        "-            weight: 0",
        "+            weight: 50",
    ] {
        assert!(diff.lines().any(|l| l == line), "no `{line}` in:\n{diff}");
    }
    assert_eq!(diff.lines().filter(|l| l.starts_with('-')).count(), 3);
    // Before the change, the plan puts the old weights back; with it,
    // there is nothing to do: only the weights changed.
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&spec.path)
        .assert()
        .code(2);
    let kept = write_spec(&patch(SPEC, &diff));
    assert_converged(&moto, &kept.path);
    with_parameter(&moto, &spec.path);
}

/// A weight given as a parameter reference gets no diff, only the weights.
fn with_parameter(moto: &Moto, spec: &Path) {
    let text = std::fs::read_to_string(spec).unwrap().replace(
        "- { id: blue, weight: 100,",
        "- { id: blue, weight: ${blue_weight},",
    );
    let spec = write_spec(&text);
    shift(moto, &["--steps", "50", "-f", spec.path.to_str().unwrap()])
        .success()
        .stderr(predicate::str::contains("the weight of `blue` in `"))
        .stderr(predicate::str::contains(
            "is the parameter reference `${blue_weight}`, so there is no diff",
        ))
        .stdout("weighted:\n  - { id: blue, weight: 50 }\n  - { id: green, weight: 50 }\n");
}

#[test]
fn no_gate_shifts_members_with_plain_values() {
    let (moto, _spec) = canary();
    let vals = |args: &[&str]| {
        moto.lbctl()
            .args(["shift", "--zone", "example.com", "--record", "vals"])
            .args(["--to", "vals-green", "--interval", "0", "--steps", "50"])
            .args(args)
            .assert()
    };
    // An explicit opt-out does not combine with a gate it switches off.
    vals(&["--no-gate", "--target-group", "green-web"]).code(64);
    vals(&["--no-gate", "--min-healthy", "1"]).code(64);
    vals(&["--no-gate"])
        .success()
        .stderr(predicate::str::contains(
            "--no-gate: steps go ahead without checking the health of `vals-green`",
        ))
        .stderr(predicate::str::contains("vals-blue 50, vals-green 50"));
    assert_eq!(
        weights(&moto, "vals"),
        vec![("vals-blue".into(), 50), ("vals-green".into(), 50)]
    );
}

#[test]
fn output_json_prints_each_steps_record_set_plan_and_the_roll_back() {
    let (moto, _spec) = canary();
    let (url, _seen) = probe_server(&moto, &[200, 503]);
    let out = shift(
        &moto,
        &["--steps", "25,50", "--probe", &url, "--output", "json"],
    )
    .code(1)
    .stderr(predicate::str::contains(
        "gate `probe` failed before step 2/2",
    ))
    .get_output()
    .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(doc["target"], "api.example.com. A", "{doc:#}");
    let first = &doc["steps"][0];
    assert_eq!(first["outcome"], "done", "{doc:#}");
    let step = &first["plan"]["steps"][0];
    assert_eq!(step["kind"], "record_set");
    assert_eq!(step["action"], "update");
    assert_eq!(step["name"], "api.example.com. A");
    let changes = step["changes"].as_array().unwrap();
    assert!(changes.contains(&serde_json::json!(
        {"path": "blue.weight", "before": 100, "after": 75}
    )));
    assert!(changes.contains(&serde_json::json!(
        {"path": "green.weight", "before": 0, "after": 25}
    )));
    assert_eq!(
        first["report"]["done"][0],
        "update record_set api.example.com. A"
    );
    assert_eq!(doc["steps"][1]["outcome"], "gate_failed");
    assert_eq!(doc["steps"][1]["gates"]["failed"]["gate"], "probe");
    // The roll-back is a plan of its own.
    let back = &doc["roll_back"];
    assert_eq!(back["report"]["succeeded"], true, "{doc:#}");
    assert!(back["plan"]["steps"][0]["changes"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!({"path": "blue.weight", "before": 75, "after": 100})));
    assert_eq!(
        doc["final"]["weights"],
        serde_json::json!([{"name": "blue", "weight": 100}, {"name": "green", "weight": 0}])
    );
    assert_eq!(weights(&moto, "api"), pair(100, 0));
}
