//! Parameters from SSM Parameter Store, end to end: the real `lbctl` binary
//! against a moto server (see `tests/support`), parameters put with the
//! Rust SDK. A SecureString value must never appear in any output, while
//! AWS receives it; a missing parameter stops the run before any write;
//! `validate` stays offline.

use crate::support;

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use support::Moto;

/// The SecureString value: distinctive, so any leak is found.
const SECRET: &str = "Sup3r-S3cret-Banner-42";
const MASK: &str = "(sensitive)";

fn fixture(name: &str) -> PathBuf {
    support::repo_root().join("tests/fixtures/ssm").join(name)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// Puts SSM parameters (name, value, secure) into the server.
fn put_parameters(moto: &Moto, params: &[(&str, &str, bool)]) {
    for (name, value, secure) in params {
        moto.put_parameter(name, value, *secure);
    }
}

/// A seeded server holding the demo's parameters.
fn started() -> Moto {
    let moto = Moto::start();
    moto.seed();
    put_parameters(
        &moto,
        &[
            ("/lbctl-test/web/port", "8080", false),
            ("/lbctl-test/web/banner", SECRET, true),
        ],
    );
    moto
}

/// Runs lbctl with `args`, returns (exit code, stdout, stderr), and fails if
/// the secret shows anywhere.
fn run(moto: &Moto, args: &[&str], spec: &Path) -> (i32, String, String) {
    let out = moto
        .lbctl()
        .args(args)
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_no_secret(args, &stdout, &stderr);
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

fn assert_no_secret(args: &[&str], stdout: &str, stderr: &str) {
    for part in [SECRET, "S3cret"] {
        assert!(
            !stdout.contains(part) && !stderr.contains(part),
            "`lbctl {}` showed the secret:\nstdout:\n{stdout}\nstderr:\n{stderr}",
            args.join(" ")
        );
    }
}

#[test]
fn ssm_parameters_apply_converge_and_secrets_never_show() {
    let moto = started();
    let spec = fixture("demo.yaml");

    let (code, stdout, stderr) = run(&moto, &["validate"], &spec);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("valid spec"), "{stdout}");

    let (code, stdout, stderr) = run(&moto, &["plan"], &spec);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(MASK), "{stdout}");
    assert!(stdout.contains("8080"), "the port is no secret:\n{stdout}");

    let (code, stdout, stderr) = run(&moto, &["plan", "--output", "json"], &spec);
    assert_eq!(code, 0, "{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(!plan["steps"].as_array().unwrap().is_empty());
    assert!(stdout.contains(MASK), "{stdout}");

    // -vv (lbctl's own debug lines) and -vvv (the SDK's too).
    for v in ["-vv", "-vvv"] {
        let (code, _, stderr) = run(&moto, &["plan", v], &spec);
        assert_eq!(code, 0, "{stderr}");
    }

    let (code, stdout, stderr) = run(&moto, &["apply", "--auto-approve", "-vv"], &spec);
    assert_eq!(code, 0, "apply failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(MASK), "{stdout}");

    // AWS got the real values.
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        let tgs = elb
            .describe_target_groups()
            .names("demo-web")
            .send()
            .await
            .unwrap();
        let tg = &tgs.target_groups()[0];
        assert_eq!(tg.port(), Some(8080));
        let tags = elb
            .describe_tags()
            .resource_arns(tg.target_group_arn().unwrap())
            .send()
            .await
            .unwrap();
        let banner = tags.tag_descriptions()[0]
            .tags()
            .iter()
            .find(|t| t.key() == Some("banner"))
            .and_then(|t| t.value().map(str::to_string));
        assert_eq!(banner.as_deref(), Some(SECRET));
    });

    let (code, stdout, stderr) = run(&moto, &["plan", "--detailed-exitcode"], &spec);
    assert_eq!(
        code, 0,
        "plan after apply is not empty:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("No changes"), "{stdout}");
}

#[test]
fn a_rotated_secret_shows_neither_the_old_nor_the_new_value() {
    let moto = started();
    let spec = fixture("demo.yaml");
    let (code, _, stderr) = run(&moto, &["apply", "--auto-approve"], &spec);
    assert_eq!(code, 0, "{stderr}");

    let rotated = "R0tated-Banner-Value-7";
    moto.put_parameter("/lbctl-test/web/banner", rotated, true);
    for args in [&["plan"][..], &["plan", "--output", "json"]] {
        let (code, stdout, stderr) = run(&moto, args, &spec);
        assert_eq!(code, 0, "{stderr}");
        assert!(!stdout.contains(rotated), "{stdout}");
        assert!(stdout.contains(MASK), "{stdout}");
    }
}

#[test]
fn a_missing_parameter_is_an_error_at_its_declaration_and_nothing_is_written() {
    let moto = started();
    let spec = fixture("missing.yaml");
    for args in [&["plan"][..], &["apply", "--auto-approve"]] {
        let (code, stdout, stderr) = run(&moto, args, &spec);
        assert_eq!(code, 1, "{stdout}\n{stderr}");
        let place = format!("{}:8:19: parameters.nothing.ssm: ", spec.display());
        assert!(
            stderr.contains(&format!(
                "error: {place}parameter `nothing`: SSM parameter `/lbctl-test/does-not-exist` not found"
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains("hint: check the name and the region"),
            "{stderr}"
        );
        assert!(stderr.contains("1 problem in the spec"), "{stderr}");
    }
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        let tgs = elb.describe_target_groups().send().await.unwrap();
        assert!(tgs.target_groups().is_empty(), "{tgs:?}");
    });
}

/// lbctl with no server behind its endpoint at all.
fn offline_lbctl() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_lbctl"));
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(var);
        }
    }
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn validate_is_offline_with_ssm_parameters() {
    offline_lbctl()
        .args(["validate", "-f"])
        .arg(fixture("demo.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("valid spec for stack `demo`"))
        .stderr(predicate::str::contains(
            "note: 2 SSM parameters were not fetched; their values are checked at plan time",
        ));
    // A missing parameter cannot be known offline; a wrong reference can.
    offline_lbctl()
        .args(["validate", "-f"])
        .arg(fixture("missing.yaml"))
        .assert()
        .success();
    // plan needs AWS: it fails reaching SSM, with a hint.
    offline_lbctl()
        .args(["plan", "-f"])
        .arg(fixture("demo.yaml"))
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("GetParameters"));
}

#[test]
fn validate_still_reports_problems_away_from_ssm_values() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    let text = std::fs::read_to_string(fixture("demo.yaml"))
        .unwrap()
        .replace("protocol: HTTP\n    port:", "protocol: HTTPX\n    port:");
    std::fs::write(&path, &text).unwrap();
    offline_lbctl()
        .args(["validate", "-f"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "target_groups.demo-web.protocol: target group `demo-web`: unknown protocol `HTTPX`",
        ))
        // The placeholders' places are not reported.
        .stderr(predicate::str::contains("demo-web.port").not())
        .stderr(predicate::str::contains("fixed_response").not());
    std::fs::write(&path, text.replace("${team}", "${teem}")).unwrap();
    offline_lbctl()
        .args(["validate", "-f"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown parameter `teem`"));
}
