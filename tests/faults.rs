//! Faults, throttling and interruptions: the real `lbctl` binary talking to
//! moto through `support::proxy`, an AWS-like network with latency, AWS's
//! rate buckets and their real errors, injected 500s, 503s and resets.
//!
//! Each test proves an outcome (success, no throttling error shown, exit 3,
//! convergence, no duplicates) and prints the proxy's counts as figures; none
//! asserts on timings. Duplicates are checked against moto directly, since
//! moto (unlike AWS) makes a second load balancer for a repeated create.

mod support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::proxy::{Config, Proxy};
use support::Moto;

fn started() -> Moto {
    let moto = Moto::start();
    moto.seed();
    moto
}

fn blue_green() -> PathBuf {
    support::repo_root().join("specs/alb-blue-green.yaml")
}

/// `lbctl` pointed at `endpoint` (the proxy) instead of moto.
fn lbctl_via(moto: &Moto, endpoint: &str) -> assert_cmd::Command {
    let mut cmd = moto.lbctl();
    cmd.env("AWS_ENDPOINT_URL", endpoint);
    cmd
}

/// `lbctl apply --auto-approve -f SPEC` as a child process, through
/// `endpoint`, with stderr piped (the same environment as [`Moto::lbctl`]).
fn spawn_apply(endpoint: &str, spec: &Path) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lbctl"));
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(var);
        }
    }
    cmd.args(["apply", "--auto-approve", "-f"])
        .arg(spec)
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("NO_COLOR", "1")
        .current_dir(support::repo_root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lbctl")
}

/// Starts an apply through `endpoint`, waits for its first finished step,
/// lets `stop` act on the child, and returns its exit code and stderr.
fn interrupt_apply(
    endpoint: &str,
    spec: &Path,
    stop: impl FnOnce(&mut Child),
) -> (Option<i32>, String) {
    let mut child = spawn_apply(endpoint, spec);
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
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let first_done = line.starts_with("done: ");
                lines.push(line);
                if first_done {
                    break;
                }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("apply finished no step:\n{}", lines.join("\n"));
            }
        }
    }
    stop(&mut child);
    let status = child.wait().expect("wait for lbctl");
    reader.join().expect("stderr reader");
    lines.extend(rx.try_iter());
    (status.code(), lines.join("\n"))
}

/// Load balancer and target group names in moto, each with how often it occurs.
fn names_in_moto(moto: &Moto) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let mut lbs = BTreeMap::new();
        let mut pages = c.describe_load_balancers().into_paginator().send();
        while let Some(page) = pages.next().await {
            for lb in page.unwrap().load_balancers() {
                *lbs.entry(lb.load_balancer_name().unwrap_or("").to_string())
                    .or_insert(0) += 1;
            }
        }
        let mut tgs = BTreeMap::new();
        let mut pages = c.describe_target_groups().into_paginator().send();
        while let Some(page) = pages.next().await {
            for tg in page.unwrap().target_groups() {
                *tgs.entry(tg.target_group_name().unwrap_or("").to_string())
                    .or_insert(0) += 1;
            }
        }
        (lbs, tgs)
    })
}

/// Fails if any load balancer or target group name occurs twice, or none exist.
fn assert_no_duplicates(moto: &Moto) {
    let (lbs, tgs) = names_in_moto(moto);
    eprintln!("moto: load balancers {lbs:?}; target groups {tgs:?}");
    assert!(!lbs.is_empty() && !tgs.is_empty(), "nothing was created");
    let twice: Vec<_> = lbs.iter().chain(&tgs).filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "duplicated in moto: {twice:?}");
}

fn assert_converged(moto: &Moto, endpoint: &str, spec: &Path) {
    let out = lbctl_via(moto, endpoint)
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "plan is not empty:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn with_five_percent_faults_plan_and_apply_succeed_and_converge_without_duplicates() {
    let moto = started();
    let proxy = Proxy::start(moto.port(), Config::new().faults(0.05, 0x5eed));
    let spec = blue_green();

    lbctl_via(&moto, &proxy.endpoint())
        .args(["plan", "-f"])
        .arg(&spec)
        .assert()
        .success();
    lbctl_via(&moto, &proxy.endpoint())
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .assert()
        .success();
    assert_converged(&moto, &proxy.endpoint(), &spec);

    let counts = proxy.counts();
    eprintln!("{counts}");
    assert!(counts.total_faults() > 0, "no fault was injected: {counts}");
    assert_no_duplicates(&moto);
}

/// The test Python (the generator needs no packages): `LBCTL_PYTHON`,
/// else `.venv/bin/python`, else `python3`, as `tests/support` picks it.
fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("LBCTL_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let venv = support::repo_root().join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

#[test]
fn a_no_change_plan_of_a_large_spec_under_throttling_shows_no_throttling_error() {
    let moto = started();
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("large.yaml");
    let out = Command::new(python())
        .arg(support::repo_root().join("scripts/gen_large_spec.py"))
        .args(["--lbs", "10"])
        .output()
        .expect("run gen_large_spec.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&spec, &out.stdout).unwrap();
    // Built straight against moto: the test is about reading under limits.
    moto.lbctl()
        .args(["apply", "--auto-approve", "--quiet", "-f"])
        .arg(&spec)
        .assert()
        .success();

    let proxy = Proxy::start(
        moto.port(),
        Config::new().latency(Duration::from_millis(40)).throttled(),
    );
    let started = Instant::now();
    let out = lbctl_via(&moto, &proxy.endpoint())
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&spec)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let counts = proxy.counts();
    eprintln!("no-change plan of 10 load balancers took {elapsed:.1?}\n{counts}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "plan failed or is not empty:\n{}\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    for word in ["Throttling", "Rate exceeded", "RequestLimitExceeded"] {
        assert!(
            !stderr.contains(word),
            "`{word}` shown to the user:\n{stderr}"
        );
    }
}

#[test]
fn sigint_mid_apply_finishes_in_flight_steps_reports_and_exits_3_then_a_rerun_converges() {
    let moto = started();
    // Slow enough that the apply is still running when the signal comes.
    let proxy = Proxy::start(
        moto.port(),
        Config::new().latency(Duration::from_millis(250)),
    );
    let spec = blue_green();
    let (code, stderr) = interrupt_apply(&proxy.endpoint(), &spec, |child| {
        let status = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT failed");
    });
    eprintln!("{stderr}\n{}", proxy.counts());
    assert_eq!(code, Some(3), "exit code after SIGINT:\n{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("Apply stopped partway"), "{stderr}");
    // In-flight steps finished: none was cut off into a failure.
    assert!(stderr.contains("failed (0)"), "{stderr}");

    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .assert()
        .success();
    assert_converged(&moto, &moto.endpoint(), &spec);
    assert_no_duplicates(&moto);
}

#[test]
fn sigkill_mid_apply_then_a_rerun_converges_without_duplicates() {
    let moto = started();
    let proxy = Proxy::start(
        moto.port(),
        Config::new().latency(Duration::from_millis(250)),
    );
    let spec = blue_green();
    let (code, stderr) = interrupt_apply(&proxy.endpoint(), &spec, |child| {
        child.kill().expect("SIGKILL lbctl");
    });
    eprintln!("{stderr}\n{}", proxy.counts());
    assert_eq!(code, None, "lbctl was not killed:\n{stderr}");

    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .assert()
        .success();
    assert_converged(&moto, &moto.endpoint(), &spec);
    assert_no_duplicates(&moto);
}
