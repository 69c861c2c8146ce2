//! The lossless audit: every member botocore's model lists for the shapes
//! lbctl reads has a row in `docs/lossless-members.md` (modelled, reported,
//! ignored, not visible to the SDK, or not covered), no row is stale, and
//! the totals that `docs/lossless.md` states are the ones counted here.

use crate::support;

/// The audit as `tests/support/lossless_audit.py` computes it.
fn audit() -> serde_json::Value {
    let root = support::repo_root();
    let out = std::process::Command::new(support::python())
        .arg(root.join("tests/support/lossless_audit.py"))
        .arg(root.join("docs/lossless-members.md"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lossless_audit.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `240 members: 159 modelled, 30 reported, ...`
fn totals_line(totals: &serde_json::Value) -> String {
    let n = |k: &str| totals[k].as_u64().unwrap();
    let all: u64 = [
        "modelled",
        "reported",
        "ignored",
        "not-visible",
        "not-covered",
    ]
    .iter()
    .map(|k| n(k))
    .sum();
    format!(
        "{all} members: {} modelled, {} reported, {} ignored, {} not visible to the SDK, {} not covered",
        n("modelled"),
        n("reported"),
        n("ignored"),
        n("not-visible"),
        n("not-covered")
    )
}

#[test]
fn every_member_of_the_api_model_is_classified_and_the_totals_are_true() {
    let audit = audit();
    let unclassified = audit["unclassified"].as_array().unwrap();
    assert!(
        unclassified.is_empty(),
        "members without a row in docs/lossless-members.md (add one, with what lbctl does with it): {unclassified:?}"
    );
    let stale = audit["stale"].as_array().unwrap();
    assert!(
        stale.is_empty(),
        "rows of docs/lossless-members.md that match no member of the model: {stale:?}"
    );
    let line = totals_line(&audit["totals"]);
    println!("lossless audit: {line}");
    for doc in ["docs/lossless.md", "docs/lossless-members.md"] {
        let text = std::fs::read_to_string(support::repo_root().join(doc)).unwrap();
        assert!(
            text.contains(&line),
            "{doc} does not state the audit's totals; it should say: {line}"
        );
    }
}

#[test]
fn the_audit_sees_the_members_the_issue_named() {
    let members = &audit()["members"];
    for (member, status) in [
        (
            "Listener.DefaultActions[].AuthenticateOidcConfig.Issuer",
            "modelled",
        ),
        (
            "Rule.Conditions[].HttpHeaderConfig.RegexValues[]",
            "modelled",
        ),
        (
            "Rule.Transforms[].UrlRewriteConfig.Rewrites[].Regex",
            "modelled",
        ),
        ("LoadBalancer.CustomerOwnedIpv4Pool", "reported"),
        ("ResourceRecordSet.TrafficPolicyInstanceId", "reported"),
    ] {
        assert_eq!(members[member], status, "{member}");
    }
}
