//! The one place that decides exit codes.
//!
//! Every command returns `Result<ExitStatus, Error>`; `main` turns that into
//! a process exit code with [`Error::exit_status`]. Nothing else calls
//! `std::process::exit`.

use crate::apply::Report;
use crate::aws::AwsError;
use crate::spec::SpecErrors;

/// How lbctl exits. The numbers are part of the command-line contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Success; with `--detailed-exitcode`, also "no changes".
    Success,
    /// An error, including an invalid spec.
    Failure,
    /// Changes present (only with `--detailed-exitcode`).
    Changes,
    /// Apply stopped partway.
    Partial,
    /// The command line itself was wrong (kept apart from 2).
    Usage,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Changes => 2,
            ExitStatus::Partial => 3,
            ExitStatus::Usage => 64,
        }
    }
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Spec(#[from] SpecErrors),
    #[error("{0}")]
    Aws(#[from] AwsError),
    /// lbctl refuses to go on (ownership, no terminal, declined prompt).
    #[error("{message}")]
    Refused {
        message: String,
        hint: Option<String>,
    },
    /// Apply stopped partway; the report says what was done.
    #[error("apply stopped partway: {} done, {} failed, {} not started{}", .0.done.len(), .0.failed.len(), .0.not_started.len(), left_in_aws(.0))]
    Partial(Report),
    #[error("{0}")]
    Other(String),
    /// stdout was closed by its reader (`| head`): stop, exit 0, say nothing.
    #[error("stdout closed")]
    ClosedPipe,
}

impl From<crate::safety::Refusal> for Error {
    fn from(r: crate::safety::Refusal) -> Self {
        Error::Refused {
            message: r.message,
            hint: r.hint,
        }
    }
}

/// `, 1 created and left in AWS` when failed steps left resources behind.
fn left_in_aws(report: &Report) -> String {
    match report.created.len() {
        0 => String::new(),
        n => format!(", {n} created and left in AWS"),
    }
}

impl Error {
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Partial(_) => ExitStatus::Partial,
            Error::ClosedPipe => ExitStatus::Success,
            _ => ExitStatus::Failure,
        }
    }

    /// A `hint:` line, where a fix is known.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Refused { hint, .. } => hint.as_deref(),
            Error::Aws(e) => aws_hint(&e.code),
            _ => None,
        }
    }
}

/// The hint for lbctl's own AWS error codes (see `AwsError::code`).
fn aws_hint(code: &str) -> Option<&'static str> {
    match code {
        "connection" => {
            Some("check that the endpoint is up and right (--endpoint-url, AWS_ENDPOINT_URL)")
        }
        "timeout" => Some(
            "the endpoint did not answer in time: check that it is up and right \
             (--endpoint-url, AWS_ENDPOINT_URL), or allow calls longer with --api-timeout",
        ),
        "credentials" => Some(
            "set credentials where the SDK looks for them: export AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY, or `aws configure`, or `aws sso login --profile P` and \
             pass --profile P (or set AWS_PROFILE)",
        ),
        "region" => Some(
            "add `region: us-east-1` (your region) to the spec, or pass --region, or set \
             AWS_REGION",
        ),
        _ => None,
    }
}
