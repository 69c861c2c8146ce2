//! Every mutation is a plan: `lbctl targets register/deregister` and each
//! step of `lbctl shift` run through the one executor, end to end against
//! moto. `--output json` prints the plan that ran (shaped like `lbctl plan
//! --output json`) and the executor's report; a shift keeps what it does
//! not shift (an authenticate-oidc step); Ctrl-C stops as apply does
//! (report, exit 3) and keeps the weights of the last step done.

use crate::support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;
use support::proxy::{Config, Proxy};
use support::Moto;

/// A moto server with `specs/NAME.yaml` applied.
fn applied(name: &str) -> Moto {
    let moto = Moto::start();
    moto.seed();
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(support::repo_root().join(format!("specs/{name}.yaml")))
        .assert()
        .success();
    moto
}

fn json(stdout: &[u8]) -> Value {
    serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON document ({e}):\n{}",
            String::from_utf8_lossy(stdout)
        )
    })
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

/// Action types of `shop:443`'s default action in order, the OIDC step's
/// issuer, and the forward's weights by target group name.
fn shop_443(moto: &Moto) -> (Vec<String>, Option<String>, Vec<(String, i32)>) {
    block_on(async {
        let c = moto.elbv2().await;
        let lbs = c.describe_load_balancers().names("shop").send().await;
        let lb = lbs.unwrap().load_balancers()[0]
            .load_balancer_arn()
            .unwrap()
            .to_string();
        let listeners = c.describe_listeners().load_balancer_arn(lb).send().await;
        let listeners = listeners.unwrap();
        let l = listeners
            .listeners()
            .iter()
            .find(|l| l.port() == Some(443))
            .unwrap();
        let mut actions = l.default_actions().to_vec();
        actions.sort_by_key(|a| a.order().unwrap_or(0));
        let types = actions
            .iter()
            .map(|a| a.r#type().unwrap().as_str().to_string())
            .collect();
        let issuer = actions
            .iter()
            .find_map(|a| a.authenticate_oidc_config())
            .and_then(|o| o.issuer())
            .map(str::to_string);
        let mut weights = Vec::new();
        let forward = actions.iter().find_map(|a| a.forward_config()).unwrap();
        for t in forward.target_groups() {
            let tgs = c
                .describe_target_groups()
                .target_group_arns(t.target_group_arn().unwrap())
                .send()
                .await
                .unwrap();
            let name = tgs.target_groups()[0].target_group_name().unwrap();
            weights.push((name.to_string(), t.weight().unwrap()));
        }
        weights.sort();
        (types, issuer, weights)
    })
}

fn w(pairs: &[(&str, i32)]) -> Vec<(String, i32)> {
    pairs.iter().map(|(n, w)| (n.to_string(), *w)).collect()
}

#[test]
fn targets_deregister_and_register_output_json_print_the_plan_and_report() {
    let moto = applied("demo");
    let out = moto
        .lbctl()
        .args([
            "targets",
            "deregister",
            "demo-web",
            "10.0.11.10",
            "--output",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let doc = json(&out.stdout);
    let steps = doc["plan"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{doc:#}");
    assert_eq!(steps[0]["kind"], "targets");
    assert_eq!(steps[0]["action"], "update");
    assert_eq!(steps[0]["name"], "demo-web");
    assert_eq!(steps[0]["changes"][0]["before"], "10.0.11.10:80", "{doc:#}");
    assert_eq!(steps[0]["changes"][0]["after"], Value::Null);
    assert_eq!(doc["plan"]["summary"]["update"], 1);
    assert_eq!(doc["report"]["succeeded"], true, "{doc:#}");
    assert_eq!(doc["report"]["done"][0], "update targets demo-web");
    assert_eq!(doc["report"]["interrupted"], false);
    assert_eq!(
        block_on(moto.target_ids("demo-web")),
        vec!["10.0.12.10:80".to_string()]
    );

    let out = moto
        .lbctl()
        .args([
            "targets",
            "register",
            "demo-web",
            "10.0.11.10",
            "-o",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let doc = json(&out.stdout);
    let step = &doc["plan"]["steps"][0];
    assert_eq!(step["kind"], "targets");
    assert_eq!(step["changes"][0]["before"], Value::Null, "{doc:#}");
    assert_eq!(step["changes"][0]["after"], "10.0.11.10:80");
    assert_eq!(doc["report"]["done"][0], "update targets demo-web");
    assert_eq!(
        block_on(moto.target_ids("demo-web")),
        vec!["10.0.11.10:80".to_string(), "10.0.12.10:80".to_string()]
    );
    // The stack's spec still lists both: nothing to change.
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(support::repo_root().join("specs/demo.yaml"))
        .assert()
        .code(0);
}

#[test]
fn the_capacity_guard_refuses_the_plan_before_it_runs_in_json_too() {
    let moto = applied("demo");
    moto.lbctl()
        .args([
            "targets",
            "deregister",
            "demo-web",
            "10.0.11.10",
            "10.0.12.10",
        ])
        .args(["--output", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("refusing to deregister"));
    assert_eq!(block_on(moto.target_ids("demo-web")).len(), 2);
}

#[test]
fn shift_output_json_prints_each_steps_plan_and_outcome() {
    let moto = applied("alb-blue-green");
    let out = moto
        .lbctl()
        .args(["shift", "shop:443", "--to", "shop-green"])
        .args([
            "--steps",
            "10,50,100",
            "--interval",
            "0",
            "--output",
            "json",
        ])
        .assert()
        .success()
        // The weights snippet goes to stderr: stdout is the document.
        .stderr(predicate::str::contains("target_groups:"))
        .get_output()
        .clone();
    let doc = json(&out.stdout);
    assert_eq!(doc["target"], "shop:443", "{doc:#}");
    assert_eq!(doc["to"], "shop-green");
    let steps = doc["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3, "{doc:#}");
    // 10% is what the spec has already.
    assert_eq!(steps[0]["outcome"], "skipped");
    for (step, (blue, green)) in steps[1..]
        .iter()
        .zip([((90, 50), (10, 50)), ((50, 0), (50, 100))])
    {
        assert_eq!(step["outcome"], "done", "{step:#}");
        assert!(step["gates"]["passed"][0]
            .as_str()
            .unwrap()
            .contains("healthy"));
        let plan = &step["plan"]["steps"];
        assert_eq!(plan.as_array().unwrap().len(), 1, "{step:#}");
        assert_eq!(plan[0]["kind"], "listener");
        assert_eq!(plan[0]["action"], "update");
        assert_eq!(plan[0]["name"], "shop:443");
        let changes = plan[0]["changes"].as_array().unwrap();
        let change = |name: &str| {
            let path = format!("default_action.forward.target_groups.{name}.weight");
            changes
                .iter()
                .find(|c| c["path"] == path.as_str())
                .map(|c| (c["before"].clone(), c["after"].clone()))
                .unwrap_or_else(|| panic!("no change of {path}: {step:#}"))
        };
        assert_eq!(change("shop-blue"), (blue.0.into(), blue.1.into()));
        assert_eq!(change("shop-green"), (green.0.into(), green.1.into()));
        assert_eq!(step["report"]["done"][0], "update listener shop:443");
    }
    assert_eq!(doc["interrupted"], false);
    let last = doc["final"]["weights"].as_array().unwrap();
    assert!(last.contains(&serde_json::json!({"name": "shop-green", "weight": 100})));
    assert_eq!(
        shop_443(&moto).2,
        w(&[("shop-blue", 0), ("shop-green", 100)])
    );
}

#[test]
fn a_shift_keeps_the_authenticate_oidc_step_of_the_listener() {
    let moto = applied("alb-blue-green");
    moto.script("seed_lossless.py", &["--load-balancer", "shop", "--oidc"]);
    let (types, issuer, _) = shop_443(&moto);
    assert_eq!(types, ["authenticate-oidc", "forward"]);

    moto.lbctl()
        .args(["shift", "shop:443", "--to", "shop-green"])
        .args(["--steps", "50", "--interval", "0"])
        .assert()
        .success()
        .stderr(predicate::str::contains("oidc-client-secret").not());
    let (types, after, weights) = shop_443(&moto);
    assert_eq!(
        types,
        ["authenticate-oidc", "forward"],
        "the OIDC step went"
    );
    assert_eq!(after, issuer);
    assert_eq!(weights, w(&[("shop-blue", 50), ("shop-green", 50)]));
}

/// Spawns `lbctl ARGS` against `endpoint`, waits for a stderr line that
/// contains `ready`, waits `delay`, sends SIGINT, and returns the exit
/// code, stdout and stderr.
fn interrupt(
    moto: &Moto,
    endpoint: &str,
    args: &[&str],
    ready: &str,
    delay: Duration,
) -> (Option<i32>, String, String) {
    let mut child: Child = moto
        .command()
        .args(args)
        .env("AWS_ENDPOINT_URL", endpoint)
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
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                let seen = line.contains(ready);
                lines.push(line);
                if seen {
                    break;
                }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("no `{ready}` line:\n{}", lines.join("\n"));
            }
        }
    }
    std::thread::sleep(delay);
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -INT failed");
    let out = child.wait_with_output().expect("wait for lbctl");
    reader.join().expect("stderr reader");
    lines.extend(rx.try_iter());
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        lines.join("\n"),
    )
}

#[test]
fn ctrl_c_between_shift_steps_reports_exits_3_and_keeps_the_last_steps_weights() {
    let moto = applied("alb-blue-green");
    let args = [
        "shift",
        "shop:443",
        "--to",
        "shop-green",
        "--steps",
        "50,100",
        "--interval",
        "60s",
        "--output",
        "json",
    ];
    let endpoint = moto.endpoint();
    let (code, stdout, stderr) = interrupt(&moto, &endpoint, &args, "step 1/2", Duration::ZERO);
    eprintln!("{stderr}");
    assert_eq!(code, Some(3), "exit code after SIGINT:\n{stderr}");
    assert!(stderr.contains("interrupted (Ctrl-C)"), "{stderr}");
    assert!(
        stderr.contains("keeps the weights of the last step done: shop-blue 50, shop-green 50"),
        "{stderr}"
    );
    assert!(stderr.contains("not started (1)"), "{stderr}");
    let doc = json(stdout.as_bytes());
    assert_eq!(doc["interrupted"], true, "{doc:#}");
    assert_eq!(doc["steps"][0]["outcome"], "done");
    assert_eq!(doc["steps"][1]["outcome"], "interrupted");
    assert_eq!(
        doc["steps"][1]["report"]["not_started"][0],
        "update listener shop:443"
    );
    assert_eq!(
        shop_443(&moto).2,
        w(&[("shop-blue", 50), ("shop-green", 50)])
    );
    // Run again: step 1 is reached, step 2 goes on.
    moto.lbctl()
        .args(["shift", "shop:443", "--to", "shop-green"])
        .args(["--steps", "50,100", "--interval", "0"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "step 1/2 (50%): `shop-green` already has 50%, skipped",
        ));
    assert_eq!(
        shop_443(&moto).2,
        w(&[("shop-blue", 0), ("shop-green", 100)])
    );
}

#[test]
fn ctrl_c_during_targets_register_finishes_the_step_reports_and_exits_3() {
    let moto = applied("demo");
    // Slow enough that the step is still running when the signal comes.
    let proxy = Proxy::start(
        moto.port(),
        Config::new().latency(Duration::from_millis(1500)),
    );
    let args = ["targets", "register", "demo-web", "10.0.11.99"];
    // The warning about the stack's tag is the last line before the plan runs.
    let (code, _, stderr) = interrupt(
        &moto,
        &proxy.endpoint(),
        &args,
        "managed by stack",
        Duration::from_millis(500),
    );
    assert_eq!(code, Some(3), "exit code after SIGINT:\n{stderr}");
    assert!(stderr.contains("interrupted (Ctrl-C)"), "{stderr}");
    // The step in flight finished: done, not failed.
    assert!(
        stderr.contains("done (1)") && stderr.contains("failed (0)"),
        "{stderr}"
    );
    assert!(block_on(moto.target_ids("demo-web")).contains(&"10.0.11.99:80".to_string()));
}
