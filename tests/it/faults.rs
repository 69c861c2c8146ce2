//! Faults, throttling and interruptions: the real `lbctl` binary talking to
//! moto through `support::proxy`, an AWS-like network with latency, AWS's
//! rate buckets and their real errors, injected 500s, 503s and resets.
//!
//! Each test proves an outcome (success, no throttling error shown, exit 3,
//! convergence, no duplicates) and prints the proxy's counts as figures; none
//! asserts on timings. Duplicates are checked against moto directly, since
//! moto (unlike AWS) makes a second load balancer for a repeated create.
//! The Route 53 tests also lose the answers of writes (creates and change
//! batches), which AWS does not let a client simply repeat: lbctl must
//! recover without failing or duplicating on AWS and on moto alike.

use crate::support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::proxy::{Config, Proxy};
use support::Moto;

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
    let moto = Moto::seeded();
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
fn unpaced_a_large_no_change_plan_is_throttled_and_the_retries_hide_it() {
    let moto = Moto::seeded();
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
    // Pacing off, so AWS's buckets are hit and the SDK's retries are what is
    // tested (tests/it/scale.rs measures the paced plan).
    let out = lbctl_via(&moto, &proxy.endpoint())
        .env("LBCTL_API_THROTTLE", "off")
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
    assert!(
        counts.total_throttled() > 0,
        "the unpaced plan was never throttled, so no retry was tested:\n{counts}"
    );
}

#[test]
fn sigint_mid_apply_finishes_in_flight_steps_reports_and_exits_3_then_a_rerun_converges() {
    let moto = Moto::seeded();
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
    let moto = Moto::seeded();
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

/// Every record set of `zone` as `name type set-id -> [values or alias]`,
/// and the (name, type, set id) keys that occur more than once.
fn zone_records(moto: &Moto, zone: &str) -> (BTreeMap<String, Vec<String>>, Vec<String>) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let sets = moto.record_sets(zone).await;
        // One page: the zone is small, so moto's paging quirk (repeating
        // records at page ends) cannot produce a false duplicate.
        assert!(sets.len() <= 300, "zone `{zone}` has more than a page");
        let mut out = BTreeMap::new();
        let mut twice = Vec::new();
        for r in &sets {
            let key = format!(
                "{} {} {}",
                r.name(),
                r.r#type().as_str(),
                r.set_identifier().unwrap_or("-")
            );
            let mut value: Vec<String> = r
                .resource_records()
                .iter()
                .map(|v| v.value().to_string())
                .collect();
            value.sort();
            if let Some(a) = r.alias_target() {
                value.push(format!("alias {}", a.dns_name().to_lowercase()));
            }
            if let Some(w) = r.weight() {
                value.push(format!("weight {w}"));
            }
            if let Some(hc) = r.health_check_id() {
                value.push(format!("check {hc}"));
            }
            if out.insert(key.clone(), value).is_some() {
                twice.push(key);
            }
        }
        (out, twice)
    })
}

/// Every health check in moto: (id, CallerReference, resource path).
fn health_checks(moto: &Moto) -> Vec<(String, String, String)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.route53().await;
        let out = c.list_health_checks().send().await.unwrap();
        out.health_checks()
            .iter()
            .map(|hc| {
                (
                    hc.id().to_string(),
                    hc.caller_reference().to_string(),
                    hc.health_check_config()
                        .and_then(|c| c.resource_path())
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect()
    })
}

/// The record sets `specs/dns.yaml` asks for, as [`zone_records`] shows
/// them; `check` is the managed health check's ID.
fn dns_example_records(check: &str) -> BTreeMap<String, Vec<String>> {
    let owner = |t: &str, name: &str| {
        (
            format!("_lbctl.{t}.{name}example.com. TXT -"),
            vec!["\"lbctl:stack=site\"".to_string()],
        )
    };
    let v = |values: &[&str]| values.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut want = BTreeMap::from([
        (
            "api.example.com. A api-blue".to_string(),
            v(&["203.0.113.1", "weight 50"]),
        ),
        (
            "api.example.com. A api-green".to_string(),
            v(&["203.0.113.2", "weight 50"]),
        ),
        (
            "app.example.com. A primary".to_string(),
            vec!["203.0.113.10".to_string(), format!("check {check}")],
        ),
        (
            "geo.example.com. A geo-europe".to_string(),
            v(&["198.51.100.10"]),
        ),
        (
            "geo.example.com. A geo-default".to_string(),
            v(&["198.51.100.30"]),
        ),
        (
            "near.example.com. A near-euw1".to_string(),
            v(&["198.51.100.40"]),
        ),
        (
            "plain.example.com. A -".to_string(),
            v(&["192.0.2.1", "192.0.2.2"]),
        ),
        (
            "example.com. TXT -".to_string(),
            v(&["\"site-verification=lbctl-demo\""]),
        ),
    ]);
    for (t, name) in [
        ("a", "www."),
        ("a", "api."),
        ("a", "app."),
        ("a", "geo."),
        ("a", "near."),
        ("a", "plain."),
        ("txt", ""),
    ] {
        let (k, val) = owner(t, name);
        want.insert(k, val);
    }
    want
}

/// Applies `specs/dns.yaml` through a proxy that injects `config`'s faults
/// into Route 53 calls only, lost answers of writes included, and checks
/// the outcome against moto: converged through a clean endpoint, one
/// health check, every record set as specified and none twice. Returns the
/// proxy's counts and whether the first apply succeeded.
fn apply_dns_example_with_route53_faults(config: Config) -> (support::proxy::Counts, bool) {
    let moto = Moto::seeded();
    let config = match config.fault_only {
        Some(_) => config,
        None => config.faults_only("route53:"),
    };
    let proxy = Proxy::start(moto.port(), config.lose_writes());
    let spec = support::repo_root().join("specs/dns.yaml");
    let apply = || {
        lbctl_via(&moto, &proxy.endpoint())
            .args(["apply", "--auto-approve", "-f"])
            .arg(&spec)
            .output()
            .unwrap()
    };
    let first = apply();
    let first_ok = first.status.success();
    if !first_ok {
        eprintln!(
            "first apply failed, applying again:\n{}",
            String::from_utf8_lossy(&first.stderr)
        );
        let second = apply();
        assert!(
            second.status.success(),
            "second apply failed:\n{}",
            String::from_utf8_lossy(&second.stderr)
        );
    }
    let counts = proxy.counts();
    eprintln!("{counts}");
    drop(proxy);
    assert_converged(&moto, &moto.endpoint(), &spec);

    let checks = health_checks(&moto);
    eprintln!("health checks: {checks:?}");
    assert_eq!(checks.len(), 1, "duplicate or missing health checks");
    assert_eq!(checks[0].2, "/health");

    let (records, twice) = zone_records(&moto, "example.com");
    assert!(twice.is_empty(), "record sets present twice: {twice:?}");
    for (key, want) in dns_example_records(&checks[0].0) {
        assert_eq!(records.get(&key), Some(&want), "record set `{key}`");
    }
    // The alias records point at the load balancer (its DNS name is moto's).
    for key in [
        "www.example.com. A -",
        "app.example.com. A secondary",
        "near.example.com. A near-use1",
    ] {
        let values = records.get(key).unwrap_or_else(|| panic!("no `{key}`"));
        assert!(
            values.iter().any(|v| v.starts_with("alias site-")),
            "`{key}`: {values:?}"
        );
    }
    (counts, first_ok)
}

#[test]
fn with_ten_percent_route53_faults_dns_applies_and_converges_without_duplicates() {
    let (counts, _) = apply_dns_example_with_route53_faults(Config::new().faults(0.10, 0x0053));
    assert!(counts.total_faults() > 0, "no fault was injected: {counts}");
    assert!(
        counts.faulted.keys().all(|k| k.starts_with("route53:")),
        "a fault outside Route 53: {counts}"
    );
}

/// Lost answers of CreateHealthCheck and ChangeResourceRecordSets: the SDK
/// sends them again, which on AWS returns the same health check (same
/// CallerReference) but refuses the record changes as already done; moto
/// makes a second health check instead. lbctl must end with one check and
/// a successful first apply on both.
#[test]
fn lost_answers_of_route53_writes_neither_fail_the_apply_nor_duplicate_health_checks() {
    // Faults on writes only, so the draws follow the apply's (sequential)
    // writes and the seed decides which are hit. (The seed was picked
    // again when the zone tag added a ListTagsForResources, also a POST,
    // and a ChangeTagsForResource before these writes.)
    let (counts, first_ok) = apply_dns_example_with_route53_faults(
        Config::new()
            .faults(0.5, 0x10af)
            .faults_only("route53:POST"),
    );
    for write in ["route53:POST healthcheck", "route53:POST hostedzone/rrset"] {
        assert!(
            counts
                .faulted
                .contains_key(&format!("{write} lost-response")),
            "seed no longer loses an answer of `{write}` (pick another): {counts}"
        );
    }
    assert!(first_ok, "a lost write answer failed the apply: {counts}");
}

/// An apply stopped after creating and tagging a managed health check but
/// before writing the record that uses it leaves the check unused (and
/// unseen by the reader, which finds checks through records). The next
/// apply reuses it instead of leaving it behind and creating another.
#[test]
fn a_health_check_left_by_a_stopped_apply_is_reused_not_duplicated() {
    use aws_sdk_route53::types::{HealthCheckConfig, HealthCheckType, Tag, TagResourceType};

    let moto = Moto::seeded();
    let rt = tokio::runtime::Runtime::new().unwrap();
    // What lbctl creates for `app`'s primary in specs/dns.yaml.
    let left_over = rt.block_on(async {
        let c = moto.route53().await;
        let config = HealthCheckConfig::builder()
            .r#type(HealthCheckType::Https)
            .fully_qualified_domain_name("app-primary.example.com")
            .port(443)
            .resource_path("/health")
            .request_interval(30)
            .failure_threshold(3)
            // lbctl sends SNI on for HTTPS checks (AWS's default; moto
            // would store off without it).
            .enable_sni(true)
            .build()
            .unwrap();
        let out = c
            .create_health_check()
            .caller_reference("stopped-apply")
            .health_check_config(config)
            .send()
            .await
            .unwrap();
        let id = out.health_check().unwrap().id().to_string();
        c.change_tags_for_resource()
            .resource_type(TagResourceType::Healthcheck)
            .resource_id(&id)
            .add_tags(Tag::builder().key("lbctl:stack").value("site").build())
            .add_tags(
                Tag::builder()
                    .key("lbctl:record")
                    .value("app.example.com. A primary")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        id
    });
    let spec = support::repo_root().join("specs/dns.yaml");
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .assert()
        .success();
    assert_converged(&moto, &moto.endpoint(), &spec);

    let checks = health_checks(&moto);
    eprintln!("health checks: {checks:?}");
    assert_eq!(checks.len(), 1, "the left-over check was not reused");
    assert_eq!(checks[0].0, left_over);
    let (records, _) = zone_records(&moto, "example.com");
    let primary = &records["app.example.com. A primary"];
    assert!(
        primary.contains(&format!("check {left_over}")),
        "{primary:?}"
    );
}
