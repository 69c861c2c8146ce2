//! Running the real binary from tests: with no AWS configuration at all
//! ([`bare`]), under a kill limit ([`run_within`]), with a closed stdout
//! ([`with_closed_stdout`]).

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// lbctl with no AWS configuration at all: no credentials, no region, no
/// profile, no files, no instance metadata; `NO_COLOR` set.
pub fn bare() -> Command {
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
pub fn run_within(mut cmd: Command, limit: Duration) -> Output {
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

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `cmd` with its stdout closed before it writes (`| head -0`).
pub fn with_closed_stdout(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn lbctl");
    drop(child.stdout.take());
    child.wait_with_output().expect("lbctl output")
}
