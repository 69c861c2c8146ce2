//! `ssl_policy` names: checked offline against the list lbctl knows
//! (`crate::model::ssl_policies`), with a "did you mean". A name missing
//! from the list may be a policy newer than lbctl: `validate` refuses it,
//! but `plan` and `apply` hold the problem back ([`is_unknown`]) and ask
//! AWS (`DescribeSSLPolicies`, once) before refusing ([`settle`]).

use std::collections::BTreeSet;

use crate::model::ssl_policies::{is_known, NAMES};
use crate::spec::diag::{closest, Check};
use crate::spec::Diagnostic;

/// Between the name and the rest of the message; what [`is_unknown`]
/// recognises.
const UNKNOWN: &str = "is not one lbctl knows";

/// Checks the `ssl_policy` of a listener (at `rel`).
pub fn check(c: &mut Check, rel: &str, name: &str) {
    if is_known(name) {
        return;
    }
    let msg = format!("security policy `{name}` {UNKNOWN}");
    c.hint(
        rel,
        msg,
        format!(
            "{}; a policy newer than lbctl is checked with AWS by `lbctl plan`",
            guess(name)
        ),
    );
}

/// "did you mean `X`?" or the recommended policy.
fn guess(name: &str) -> String {
    match closest(name, NAMES) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "use one of AWS's ELBv2 security policies, e.g. `{}`",
            NAMES[0]
        ),
    }
}

/// The policy name of a problem [`check`] reported, `None` for any other.
pub fn unknown_name(d: &Diagnostic) -> Option<&str> {
    if !d.path.ends_with("ssl_policy") || !d.message.contains(UNKNOWN) {
        return None;
    }
    let start = d.message.find("security policy `")? + "security policy `".len();
    let len = d.message[start..].find('`')?;
    Some(&d.message[start..start + len])
}

/// Whether `d` is an unknown security policy (held back at plan time).
pub fn is_unknown(d: &Diagnostic) -> bool {
    unknown_name(d).is_some()
}

/// The held-back problems whose policy AWS does not know either, with the
/// hint saying so; those AWS knows are dropped.
pub fn settle(deferred: Vec<Diagnostic>, known: &BTreeSet<String>) -> Vec<Diagnostic> {
    deferred
        .into_iter()
        .filter_map(|mut d| {
            let name = unknown_name(&d)?.to_string();
            if known.contains(&name) {
                return None;
            }
            d.hint = Some(format!(
                "{} AWS does not know it either (DescribeSSLPolicies)",
                guess(&name)
            ));
            Some(d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::diag::Source;
    use crate::spec::location::Locations;

    fn run(name: &str) -> Vec<Diagnostic> {
        let src = Source {
            file: "spec.yaml".into(),
            locations: Locations::default(),
        };
        let mut out = Vec::new();
        let mut c = Check {
            src: &src,
            out: &mut out,
            what: "load balancer `web` listener 443".into(),
            base: "load_balancers.web.listeners[0]".into(),
        };
        check(&mut c, "ssl_policy", name);
        out
    }

    #[test]
    fn a_typo_is_refused_with_did_you_mean() {
        let ds = run("ELBSecurityPolicy-TLS13-1-2-2021-6");
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].path, "load_balancers.web.listeners[0].ssl_policy");
        assert_eq!(
            ds[0].message,
            "load balancer `web` listener 443: security policy `ELBSecurityPolicy-TLS13-1-2-2021-6` \
             is not one lbctl knows"
        );
        let hint = ds[0].hint.as_deref().unwrap();
        assert!(
            hint.starts_with("did you mean `ELBSecurityPolicy-TLS13-1-2-2021-06`?"),
            "{hint}"
        );
        assert_eq!(
            unknown_name(&ds[0]),
            Some("ELBSecurityPolicy-TLS13-1-2-2021-6")
        );
        assert!(run("ELBSecurityPolicy-2016-08").is_empty());
    }

    #[test]
    fn a_policy_aws_knows_is_let_through_at_plan_time() {
        let newer = "ELBSecurityPolicy-TLS13-1-2-PQ-2027-01";
        let ds = run(newer);
        assert!(is_unknown(&ds[0]));
        let known = BTreeSet::from([newer.to_string()]);
        assert!(settle(ds.clone(), &known).is_empty());
        let left = settle(ds, &BTreeSet::new());
        assert_eq!(left.len(), 1);
        assert!(left[0]
            .hint
            .as_deref()
            .unwrap()
            .ends_with("AWS does not know it either (DescribeSSLPolicies)"));
    }
}
