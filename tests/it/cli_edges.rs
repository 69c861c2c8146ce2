//! The command line's edges: a closed stdout, bad flag values (usage
//! errors, durations read like the spec), `apply` with neither spec nor
//! plan, `--version` with the commit, and the README's try-by-hand recipe
//! (`scripts/moto.sh`) running the README's spec as written.

use crate::support;

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use support::cmd::{bare, run_within, stderr, with_closed_stdout};
use support::write_spec;

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
