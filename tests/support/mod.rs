//! Test harness shared by the integration tests: a private moto server per test.
//!
//! Each integration test binary includes it with `mod support;` and uses a subset,
//! hence the `#[allow(dead_code)]` on the helpers.
//!
//! [`Moto::start`] runs moto's server on a free loopback port through
//! `tests/support/moto_server.py`, which checks every request against botocore's
//! API model (`docs/moto.md`), and kills it on drop; a test whose requests broke
//! the model fails when its `Moto` is dropped;
//! [`Moto::seed`] runs `scripts/seed.py` against it (the VPC, subnets, security group,
//! instances, certificates and zone the example specs in `specs/` select);
//! [`Moto::lbctl`] is the real `lbctl` binary pointed at that server and at nothing else.
//!
//! A test that cannot start its server panics: it never skips. `scripts/test.sh`
//! installs moto into `.venv` and tells the tests which Python has it through
//! `LBCTL_PYTHON`.
//! This module must not reach real AWS: every client it builds has an explicit
//! endpoint, fake credentials, and no profile or config file.

#![allow(dead_code)]

pub mod cmd;
pub mod golden;
pub mod proxy;
pub mod read;
pub mod ssm;

use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a freshly spawned moto_server may take to answer.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// Ports are picked then released before moto binds them; another process may win the race.
const START_ATTEMPTS: usize = 3;
const HINT: &str = "hint: run the suite with `scripts/test.sh`, which installs moto into .venv \
                    and sets LBCTL_PYTHON";
/// The launcher: moto's server wrapped in the botocore model check.
const LAUNCHER: &str = "tests/support/moto_server.py";

/// The repository root (where Cargo.toml, `scripts/` and `specs/` are).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every example spec in `specs/` (`*.yaml`, `*.yml`), sorted by file name.
pub fn spec_files() -> Vec<PathBuf> {
    let dir = repo_root().join("specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    files
}

/// A running moto server on 127.0.0.1, killed when dropped.
pub struct Moto {
    child: Child,
    port: u16,
    log: tempfile::NamedTempFile,
    /// One JSON line per request that broke the API model (`LBCTL_MODEL_VIOLATIONS`).
    violations: tempfile::NamedTempFile,
}

impl Moto {
    /// Starts a private moto server and waits until it answers; panics if none can be started.
    pub fn start() -> Moto {
        let python = python();
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            match Moto::try_start(&python) {
                Ok(moto) => return moto,
                Err(StartError::NotFound(msg)) => {
                    failures.push(msg);
                    break;
                }
                Err(StartError::Failed(msg)) => failures.push(msg),
            }
        }
        panic!(
            "could not start a moto server (`{} {LAUNCHER}`):\n{}\n{HINT}",
            python.display(),
            failures.join("\n")
        );
    }

    fn try_start(program: &Path) -> Result<Moto, StartError> {
        let port = free_port();
        let log = tempfile::NamedTempFile::new().expect("create moto log file");
        let violations = tempfile::NamedTempFile::new().expect("create model violations file");
        let out = log.reopen().expect("open moto log file");
        let err = out.try_clone().expect("clone moto log file");
        let child = Command::new(program)
            .arg(repo_root().join(LAUNCHER))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("LBCTL_MODEL_VIOLATIONS", violations.path())
            // No __pycache__ in tests/support.
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| {
                let msg = format!("`{}`: {e}", program.display());
                if e.kind() == std::io::ErrorKind::NotFound {
                    StartError::NotFound(msg)
                } else {
                    StartError::Failed(msg)
                }
            })?;
        let mut moto = Moto {
            child,
            port,
            log,
            violations,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(StartError::Failed(format!(
                    "`{}` on port {port} exited with {status}; its log:\n{}",
                    program.display(),
                    moto.log_text()
                )));
            }
            if let Ok((200, _)) = http(port, "GET", "/moto-api/") {
                return Ok(moto);
            }
            if Instant::now() > deadline {
                return Err(StartError::Failed(format!(
                    "`{}` did not answer on port {port} within {START_TIMEOUT:?}; its log:\n{}",
                    program.display(),
                    moto.log_text()
                )));
            } // dropping `moto` kills the child
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's base URL, e.g. `http://127.0.0.1:41234`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the server has logged so far (for failure messages).
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(self.log.path()) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    /// The requests so far that broke the AWS API model (one JSON line each),
    /// forgotten once taken: a test that sends invalid requests on purpose
    /// takes them, so that dropping the server does not fail the test.
    pub fn take_violations(&self) -> Vec<String> {
        let path = self.violations.path();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        std::fs::write(path, "").expect("truncate model violations file");
        text.lines().map(str::to_string).collect()
    }

    /// Wipes all state in the server (`POST /moto-api/reset`).
    pub fn reset(&self) {
        match http(self.port, "POST", "/moto-api/reset") {
            Ok((200, _)) => {}
            other => panic!("moto reset failed: {other:?}"),
        }
    }

    /// A private moto server seeded with the demo account
    /// ([`Moto::seed`]): what most end-to-end tests start from.
    pub fn seeded() -> Moto {
        let moto = Moto::start();
        moto.seed();
        moto
    }

    /// Runs `scripts/seed.py --json` against this server and returns its output:
    /// `vpc_id`, `subnets` (by Name), `public_subnet_ids`, `private_subnet_ids`,
    /// `security_group_id`, `instances` (by color), `certificates` (by name), `hosted_zone_id`.
    pub fn seed(&self) -> serde_json::Value {
        let python = python();
        let script = repo_root().join("scripts/seed.py");
        let output = Command::new(&python)
            .arg(&script)
            .args(["--endpoint", &self.endpoint(), "--json"])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{}`: {e}\n{HINT}", python.display()));
        assert!(
            output.status.success(),
            "`{} {}` failed with {}:\n{}\n{HINT}",
            python.display(),
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "seed.py printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    /// Runs a script of `scripts/` with the test Python against this server
    /// (`--endpoint` is added) and returns its stdout.
    pub fn script(&self, name: &str, args: &[&str]) -> String {
        let python = python();
        let script = repo_root().join("scripts").join(name);
        let output = Command::new(&python)
            .arg(&script)
            .args(["--endpoint", &self.endpoint()])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{}`: {e}\n{HINT}", python.display()));
        assert!(
            output.status.success(),
            "`{}` failed with {}:\n{}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The `lbctl` binary, pointed at this server with fake credentials and no AWS profile.
    pub fn lbctl(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.command())
    }

    /// [`Moto::lbctl`] as a plain `std::process::Command`, for tests that
    /// spawn and wait themselves.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_lbctl"));
        for var in [
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_SESSION_TOKEN",
            "AWS_DEFAULT_REGION",
            "AWS_ROLE_ARN",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ] {
            cmd.env_remove(var);
        }
        // Service-specific endpoints would win over AWS_ENDPOINT_URL.
        for (var, _) in std::env::vars_os() {
            if var.to_string_lossy().starts_with("AWS_ENDPOINT_URL_") {
                cmd.env_remove(var);
            }
        }
        cmd.env("AWS_ENDPOINT_URL", self.endpoint())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            // Empty files, not missing ones: the SDK logs a warning for a missing file,
            // which would pollute every stderr a test asserts on.
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("NO_COLOR", "1")
            .current_dir(repo_root());
        cmd
    }

    /// SDK configuration for reading state back from this server.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(self.endpoint())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_elasticloadbalancingv2::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load()
            .await
    }

    /// An ELBv2 client for this server.
    pub async fn elbv2(&self) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&self.sdk_config().await)
    }

    /// A Route 53 client for this server.
    pub async fn route53(&self) -> aws_sdk_route53::Client {
        aws_sdk_route53::Client::new(&self.sdk_config().await)
    }

    /// An EC2 client for this server.
    pub async fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config().await)
    }
}

impl Drop for Moto {
    /// Stops the server; fails the test if any request broke the API model.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let violations = self.take_violations();
        if !violations.is_empty() && !std::thread::panicking() {
            panic!(
                "{} request(s) to moto broke the AWS API model (botocore), see docs/moto.md:\n{}",
                violations.len(),
                violations.join("\n")
            );
        }
    }
}

enum StartError {
    /// The program does not exist: no point in retrying.
    NotFound(String),
    /// It exists but did not come up: retry (maybe on another port).
    Failed(String),
}

/// Python that has boto3: `LBCTL_PYTHON`, else `.venv/bin/python`, else `python3`.
pub fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("LBCTL_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let venv = repo_root().join(".venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind a free loopback port")
}

/// A minimal HTTP/1.1 request to the server; returns the status code and the body.
fn http(port: u16, method: &str, path: &str) -> std::io::Result<(u16, String)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\
         Connection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:.200}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// A spec written to a temporary file; the file lives as long as this.
#[allow(dead_code)]
pub struct SpecFile {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

/// Write `text` to a temporary `spec.yaml`.
#[allow(dead_code)]
pub fn write_spec(text: &str) -> SpecFile {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, text).unwrap();
    SpecFile { _dir: dir, path }
}

/// Assert that `plan --detailed-exitcode` finds nothing to do.
#[allow(dead_code)]
pub fn assert_converged(moto: &Moto, spec: &Path) {
    let out = moto
        .lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "plan after apply is not empty:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
