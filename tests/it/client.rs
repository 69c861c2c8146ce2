//! How lbctl reaches AWS and says what went wrong when it cannot: the
//! region rule (the spec's `region:` first), timeouts on an endpoint that
//! never answers, missing credentials and region, lookups that name where
//! they looked, `-vv` call lines, progress while reading. The real binary
//! throughout; moto only where AWS answers.

use crate::support;

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::cmd::{bare, run_within, stderr, with_closed_stdout};
use support::{write_spec, Moto};

/// A spec with no `region:` and nothing that needs a seeded account.
const NO_REGION: &str = "version: 1
stack: client
target_groups:
  client-tg: { protocol: HTTP, port: 80, vpc: vpc-12345678, target_type: ip }
";

#[test]
fn a_region_flag_that_disagrees_with_the_spec_is_an_error_naming_both() {
    let spec = support::repo_root().join("specs/demo.yaml"); // region: us-east-1
    for command in ["plan", "validate"] {
        let mut cmd = bare();
        cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .args(["--region", "eu-west-1", command, "-f"])
            .arg(&spec);
        let out = run_within(cmd, Duration::from_secs(60));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains("--region `eu-west-1` disagrees with the spec's `region:` `us-east-1`"),
            "{command}: {err}"
        );
        assert!(err.contains("hint:"), "{err}");
        assert!(!err.contains("connect"), "no AWS call expected: {err}");
    }
}

#[test]
fn an_endpoint_that_never_answers_fails_naming_it() {
    // Accepts every connection, holds it open, and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let silent = listener.try_clone().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for connection in silent.incoming() {
            held.push(connection);
        }
    });
    let spec = write_spec(NO_REGION);
    let mut cmd = bare();
    cmd.env("AWS_ENDPOINT_URL", &endpoint)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .args(["plan", "--api-timeout", "2s", "-f"])
        .arg(&spec.path);
    let out = run_within(cmd, Duration::from_secs(90));
    let err = stderr(&out);
    drop(listener);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("no answer from `{endpoint}`")),
        "{err}"
    );
    assert!(err.contains("--api-timeout"), "{err}");
}

#[test]
fn missing_credentials_say_what_was_tried_and_how_to_set_them() {
    let spec = write_spec(NO_REGION);
    let mut cmd = bare();
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_REGION", "us-east-1")
        .args(["plan", "-f"])
        .arg(&spec.path);
    let out = run_within(cmd, Duration::from_secs(60));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error: no AWS credentials"), "{err}");
    // The chain the SDK tried, provider by provider.
    for tried in ["Environment", "Profile", "Ec2InstanceMetadata"] {
        assert!(err.contains(tried), "{tried}: {err}");
    }
    assert!(err.contains("hint: set credentials"), "{err}");
    assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
    assert!(!err.contains("dispatch failure"), "{err}");
    assert!(!err.contains("--endpoint-url"), "{err}");
    assert!(!err.contains("WARN"), "raw SDK log lines without -v: {err}");
}

#[test]
fn a_missing_region_says_where_to_set_one() {
    let spec = write_spec(NO_REGION);
    let mut cmd = bare();
    cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .args(["plan", "-f"])
        .arg(&spec.path);
    let out = run_within(cmd, Duration::from_secs(60));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error: no AWS region"), "{err}");
    for way in ["`region:`", "--region", "AWS_REGION"] {
        assert!(err.contains(way), "{way}: {err}");
    }
    assert!(!err.contains("dispatch failure"), "{err}");
    assert!(!err.contains("--endpoint-url"), "{err}");
}

#[test]
fn the_spec_region_wins_over_aws_region_and_vv_shows_each_call() {
    let moto = Moto::start();
    moto.seed(); // in us-east-1, the demo spec's region
    let out = moto
        .lbctl()
        .env("AWS_REGION", "eu-west-1")
        .args(["-vv", "plan", "-f", "specs/demo.yaml"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // One line per call: service, operation, resource, status, time.
    let line = err
        .lines()
        .find(|l| l.contains("aws elbv2 DescribeLoadBalancers"))
        .unwrap_or_else(|| panic!("no call line: {err}"));
    assert!(line.contains("-> 200 in "), "{line}");
    assert!(line.contains(" ms"), "{line}");
    assert!(
        err.lines()
            .any(|l| l.contains("aws ec2 DescribeVpcs") && l.contains("lbctl-demo")),
        "{err}"
    );
    // Without -v, none of it.
    let quiet = moto
        .lbctl()
        .args(["plan", "-f", "specs/demo.yaml"])
        .output()
        .unwrap();
    assert!(!stderr(&quiet).contains("aws elbv2"), "{}", stderr(&quiet));

    // `lbctl plan -o json | head -1`: the reader leaves early.
    let mut piped = moto.command();
    piped.args(["plan", "-o", "json", "-f", "specs/demo.yaml"]);
    let out = with_closed_stdout(piped);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));

    // -vvv: the SDK's own debug log as well.
    let out = moto
        .lbctl()
        .args(["-vvv", "plan", "-f", "specs/demo.yaml"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("aws_smithy_runtime"),
        "{}",
        stderr(&out)
    );

    // A saved plan keeps its region: a different --region is refused.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    let out = moto
        .lbctl()
        .args(["plan", "-f", "specs/demo.yaml", "--out"])
        .arg(&saved)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = moto
        .lbctl()
        .args(["--region", "eu-west-1", "apply", "--auto-approve"])
        .arg(&saved)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("--region `eu-west-1` disagrees with the saved plan's region `us-east-1`"),
        "{err}"
    );
}

#[test]
fn shift_to_a_port_without_a_listener_lists_the_ports() {
    let moto = Moto::start();
    moto.seed();
    let apply = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f", "specs/demo.yaml"])
        .output()
        .unwrap();
    assert!(apply.status.success(), "{}", stderr(&apply));
    let args = ["--to", "demo-web", "--steps", "100", "--interval", "0"];
    let out = moto
        .lbctl()
        .args(["shift", "demo-web:9999"])
        .args(args)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "load balancer `demo-web` has no listener on port 9999; its listeners are on 80"
        ),
        "{err}"
    );
    assert!(!err.contains("case-sensitive"), "{err}");
    // A name that does not exist says where lbctl looked.
    let out = moto
        .lbctl()
        .args(["shift", "nope:80"])
        .args(args)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        err.contains(
            "load balancer `nope` not found in region `us-east-1` of account `123456789012`"
        ),
        "{err}"
    );
    let bad = write_spec(
        &std::fs::read_to_string(support::repo_root().join("specs/demo.yaml"))
            .unwrap()
            .replace("tier: public", "tier: nowhere"),
    );
    let out = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&bad.path)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("matched nothing (looked in region `us-east-1` of account `123456789012`)"),
        "{err}"
    );
    let ssm = write_spec(
        "version: 1
stack: client
parameters:
  team: { ssm: /client/none }
target_groups:
  client-tg:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
    tags: { team: \"${team}\" }
",
    );
    let out = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&ssm.path)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "`/client/none` not found (looked in region `us-east-1` of account `123456789012`)"
        ),
        "{err}"
    );
}

#[test]
fn reading_live_state_shows_progress_on_a_terminal_only() {
    let moto = Moto::start();
    moto.seed();
    // `script` runs lbctl on a pseudo-terminal (stdout to /dev/null, so
    // what it records is stderr).
    let lbctl = moto.command();
    let line = format!(
        "{} plan -f specs/demo.yaml >/dev/null",
        env!("CARGO_BIN_EXE_lbctl")
    );
    let mut script = Command::new("script");
    script
        .args(["-qec", &line, "/dev/null"])
        .current_dir(support::repo_root())
        .stdin(Stdio::null());
    for (k, v) in lbctl.get_envs() {
        match v {
            Some(v) => script.env(k, v),
            None => script.env_remove(k),
        };
    }
    let out = run_within(script, Duration::from_secs(60));
    let terminal = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{terminal}");
    assert!(terminal.contains("reading live state: "), "{terminal}");
    assert!(terminal.contains(" AWS calls"), "{terminal}");
    // Not on a pipe.
    let piped = moto
        .lbctl()
        .args(["plan", "-f", "specs/demo.yaml"])
        .output()
        .unwrap();
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(
        !stderr(&piped).contains("reading live state"),
        "{}",
        stderr(&piped)
    );
}
