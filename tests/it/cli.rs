//! The command line itself: help, usage errors, exit codes, completions.
//! No AWS involved.

use assert_cmd::Command;
use predicates::prelude::*;

fn lbctl() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lbctl"));
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn help_lists_the_commands() {
    lbctl()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("validate"))
        .stdout(predicate::str::contains("plan"))
        .stdout(predicate::str::contains("apply"))
        .stdout(predicate::str::contains("completions"));
}

#[test]
fn usage_errors_do_not_collide_with_exit_code_2() {
    // 2 means "changes present" with --detailed-exitcode.
    lbctl().arg("no-such-command").assert().code(64);
    lbctl().args(["plan"]).assert().code(64);
    lbctl()
        .args(["plan", "-f", "x.yaml", "--output", "xml"])
        .assert()
        .code(64);
}

#[test]
fn global_flags_go_before_or_after_the_subcommand() {
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/specs/demo.yaml");
    lbctl()
        .args(["--region", "us-east-1", "validate", "-f", spec])
        .assert()
        .success();
    lbctl()
        .args([
            "validate",
            "-f",
            spec,
            "--region",
            "us-east-1",
            "--no-color",
        ])
        .assert()
        .success();
}

#[test]
fn every_example_spec_validates_offline() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            n += 1;
            lbctl()
                // No endpoint at all: validate must not need one.
                .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
                .args(["validate", "-f"])
                .arg(&path)
                .assert()
                .success()
                .stdout(predicate::str::contains("valid spec"));
        }
    }
    assert!(n >= 4, "expected the example specs, found {n}");
}

#[test]
fn a_missing_spec_file_is_a_clear_error() {
    lbctl()
        .args(["validate", "-f", "/nonexistent/spec.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("/nonexistent/spec.yaml"));
}

/// `completions/` holds generated scripts; this keeps them in sync. Run
/// with `LBCTL_BLESS=1` to regenerate them.
#[test]
fn shipped_completions_are_up_to_date() {
    for (shell, file) in [
        ("bash", "lbctl.bash"),
        ("zsh", "_lbctl"),
        ("fish", "lbctl.fish"),
    ] {
        let out = lbctl().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        crate::support::golden::check(
            &format!("completions/{file}"),
            &out.stdout,
            "cargo test --test it cli::",
        );
    }
}
