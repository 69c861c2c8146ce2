//! How lbctl reaches AWS and says what went wrong when it cannot: the
//! region rule (the spec's `region:` first), timeouts on an endpoint that
//! never answers, missing credentials and region, `-vv` call lines, a
//! closed stdout. The real binary throughout; moto only where AWS answers.

mod support;

use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{write_spec, Moto};

/// A spec with no `region:` and nothing that needs a seeded account.
const NO_REGION: &str = "version: 1
stack: client
target_groups:
  client-tg: { protocol: HTTP, port: 80, vpc: vpc-12345678, target_type: ip }
";

/// lbctl with no AWS configuration at all: no credentials, no region, no
/// profile, no files, no instance metadata; `NO_COLOR` set.
fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lbctl"));
    for (var, _) in std::env::vars_os() {
        if var.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(var);
        }
    }
    cmd.env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("HOME", std::env::temp_dir())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// Runs `cmd`, killing it after `limit` (a hang fails the test, it does
/// not stall the suite).
fn run_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lbctl");
    let start = Instant::now();
    while child.try_wait().expect("wait for lbctl").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "lbctl still running after {limit:?}; stderr so far:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("lbctl output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

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
    // Accepts connections (the kernel completes the handshake for the
    // backlog) and never reads or answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
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

/// Runs `cmd` with its stdout closed before it writes (`| head -0`).
fn with_closed_stdout(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lbctl");
    drop(child.stdout.take());
    child.wait_with_output().expect("lbctl output")
}

#[test]
fn a_closed_stdout_is_success_not_a_panic() {
    let spec = support::repo_root().join("specs/demo.yaml");
    let mut validate = bare();
    validate.args(["validate", "-f"]).arg(&spec);
    let mut completions = bare();
    completions.args(["completions", "bash"]);
    for cmd in [validate, completions] {
        let out = with_closed_stdout(cmd);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn bad_flag_values_are_usage_errors_and_durations_read_like_the_spec() {
    let spec = support::repo_root().join("specs/demo.yaml");
    let spec = spec.to_str().unwrap();
    let unreachable = "http://127.0.0.1:9";
    for (args, wanted) in [
        (
            vec!["apply", "-f", spec, "--health-timeout", "soon"],
            "invalid health timeout `soon`",
        ),
        (
            vec![
                "shift",
                "web:80",
                "--to",
                "g",
                "--steps",
                "100",
                "--interval",
                "2x",
            ],
            "invalid interval `2x`",
        ),
        (
            vec![
                "shift",
                "web:80",
                "--to",
                "g",
                "--steps",
                "100",
                "--min-healthy",
                "half",
            ],
            "--min-healthy `half`",
        ),
        (
            vec![
                "targets",
                "deregister",
                "tg",
                "i-1",
                "--min-healthy",
                "150%",
            ],
            "--min-healthy `150%`",
        ),
        (
            vec!["plan", "-f", spec, "--api-timeout", "0"],
            "invalid API timeout `0`",
        ),
    ] {
        let mut cmd = bare();
        cmd.env("AWS_ENDPOINT_URL", unreachable).args(&args);
        let out = run_within(cmd, Duration::from_secs(60));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(64), "{args:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
    }
    // `1d`, as the spec takes it, parses (then the unreachable endpoint
    // fails the run: exit 1, not 64).
    let mut cmd = bare();
    cmd.env("AWS_ENDPOINT_URL", unreachable)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .args([
            "--api-timeout",
            "2s",
            "apply",
            "--auto-approve",
            "--health-timeout",
            "1d",
            "-f",
        ])
        .arg(spec);
    let out = run_within(cmd, Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn apply_without_a_spec_or_plan_says_to_give_one() {
    let mut cmd = bare();
    cmd.arg("apply");
    let out = run_within(cmd, Duration::from_secs(30));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(64), "{err}");
    assert!(err.contains("give -f SPEC"), "{err}");
    assert!(err.contains("or a saved PLAN"), "{err}");
    assert!(err.contains("lbctl apply -f SPEC..."), "{err}");
    assert!(err.contains("lbctl apply PLAN"), "{err}");
    assert!(!err.contains("--file <SPEC> [PLAN]"), "{err}");
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

#[test]
fn the_version_carries_the_commit_when_built_from_git() {
    let out = bare().arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.starts_with(concat!("lbctl ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let head = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(support::repo_root())
        .output();
    // A source tarball has no commit to show; then the version stands alone.
    if let Some(head) = head.ok().filter(|h| h.status.success()) {
        let commit = String::from_utf8_lossy(&head.stdout).trim().to_string();
        assert!(
            text.contains(&format!("({commit})")),
            "{text} lacks {commit}"
        );
    }
}

/// The first YAML block under "## The spec by example" in README.md.
fn readme_spec() -> String {
    let readme = std::fs::read_to_string(support::repo_root().join("README.md")).unwrap();
    let section = readme
        .split_once("## The spec by example")
        .expect("README has the spec by example")
        .1;
    let block = section.split_once("```yaml\n").expect("a yaml block").1;
    block
        .split_once("```")
        .expect("the block ends")
        .0
        .to_string()
}

/// `scripts/moto.sh COMMAND` with state in `dir` and the test's moto.
fn moto_sh(dir: &std::path::Path, command: &str) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(support::repo_root().join("scripts/moto.sh"))
        .arg(command)
        .env("LBCTL_MOTO_DIR", dir)
        .env("LBCTL_PYTHON", support::python())
        .stdin(Stdio::null());
    if let Some(server) = std::env::var_os("LBCTL_MOTO_SERVER") {
        cmd.env("LBCTL_MOTO_SERVER", server);
    }
    run_within(cmd, Duration::from_secs(120))
}

#[test]
fn the_readme_recipe_runs_its_spec_without_touching_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let start = moto_sh(dir.path(), "start");
    assert!(start.status.success(), "{}", stderr(&start));
    let env = moto_sh(dir.path(), "env");
    let text = String::from_utf8_lossy(&env.stdout).into_owned();
    assert!(env.status.success(), "{}", stderr(&env));
    assert!(
        !text.contains("trap"),
        "env must only set variables:\n{text}"
    );
    // What `eval "$(scripts/moto.sh env)"` does, then the README's spec.
    let spec = write_spec(&readme_spec());
    let script = format!(
        "{text}\n\"$0\" apply --auto-approve -f \"$1\" && \"$0\" plan --detailed-exitcode -f \"$1\""
    );
    let mut run = Command::new("bash");
    run.args(["-c", &script, env!("CARGO_BIN_EXE_lbctl")])
        .arg(&spec.path)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    let out = run_within(run, Duration::from_secs(120));
    let stop = moto_sh(dir.path(), "stop");
    assert!(
        out.status.success(),
        "the README spec did not apply and converge:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
    assert!(stop.status.success(), "{}", stderr(&stop));
    let status = moto_sh(dir.path(), "status");
    assert_eq!(status.status.code(), Some(1), "still running after stop");
}
