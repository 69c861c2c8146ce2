//! Offline validation of `authenticate` and `jwt_validation` steps: every
//! problem of one file in one run, each at its file:line:column with a hint
//! where a fix is known, before any AWS call (`tests/fixtures/auth/`).

use std::path::PathBuf;

use lbctl::spec::{load, Diagnostic};

fn problems(name: &str) -> Vec<Diagnostic> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/auth")
        .join(name);
    match load(&[path]) {
        Ok(_) => panic!("{name} validated"),
        Err(e) => e.0,
    }
}

/// (line, message part, hint part or "")
const EXPECTED: &[(usize, &str, &str)] = &[
    (
        16,
        "`jwt_validation` needs an HTTPS listener, not HTTP",
        "protocol: HTTPS",
    ),
    (
        24,
        "`issuer` must be an https URL, not `http://idp.example.com`",
        "https://",
    ),
    (
        23,
        "`oidc` needs `user_info_endpoint`",
        "add `user_info_endpoint: ...`",
    ),
    (
        28,
        "`client_secret` must come from an SSM SecureString parameter",
        "SecureString",
    ),
    (
        29,
        "session_timeout (691200 s) must be between 1 and 604800 s",
        "",
    ),
    (
        30,
        "unknown on_unauthenticated value `redirect`",
        "authenticate",
    ),
    (
        38,
        "an action takes one of `authenticate` or `jwt_validation`, not both",
        "keep one",
    ),
    (
        37,
        "`us-east-1_Abc` is not a Cognito user pool ARN",
        "arn:aws:cognito-idp:",
    ),
    (45, "`jwks_endpoint` must be an https URL, not `i/k`", ""),
    (47, "claim `exp` is always validated by AWS", "remove it"),
    (48, "claim value `a b` has a space", "own list item"),
    (49, "unknown claim format `list`", "single-string"),
    (49, "a claim takes 1 to 10 values, not 0", ""),
    (
        61,
        "`client_secret` must come from an SSM SecureString parameter",
        "${NAME}",
    ),
    (
        71,
        "`authenticate` needs an application load balancer",
        "remove it",
    ),
];

#[test]
fn every_problem_of_authentication_steps_is_reported_at_its_place() {
    let found = problems("invalid.yaml");
    for (line, message, hint) in EXPECTED {
        let hit = found.iter().find(|d| {
            d.line == *line
                && d.column > 0
                && d.message.contains(message)
                && d.hint.as_deref().unwrap_or_default().contains(hint)
        });
        assert!(
            hit.is_some(),
            "no problem at line {line} saying `{message}` (hint `{hint}`); found:\n{}",
            found
                .iter()
                .map(|d| format!("{}:{}: {} ({:?})", d.line, d.column, d.message, d.hint))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert_eq!(
        found.len(),
        EXPECTED.len(),
        "unexpected problems:\n{}",
        found
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let literal = found
        .iter()
        .find(|d| d.message.contains("SecureString"))
        .unwrap();
    assert!(
        !literal.to_string().contains("literal-secret"),
        "the problem quotes the secret: {literal}"
    );
}
