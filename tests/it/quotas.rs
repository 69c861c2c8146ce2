//! Quota-aware validation and security policy names, end to end: real
//! binary, moto with `tests/support/plugin_quotas.py` (AWS's account limits
//! and `SSLPolicyNotFound`), state read back with the SDK.

use crate::support;

use std::path::Path;

use predicates::prelude::*;
use support::{write_spec, Moto};

fn blue_green() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/alb-blue-green.yaml")).unwrap()
}

/// The last rule of `specs/alb-blue-green.yaml`'s HTTPS listener.
const LAST_RULE: &str = "          - priority: 30
            conditions:
              http_header: { name: X-Beta, values: [\"yes\"] }
            action: { forward: shop-green }
";

/// The blue-green spec with `extra` more rules on `shop:443` (3 + extra in all).
fn with_rules(extra: u32) -> String {
    with_rules_from(extra, extra)
}

/// [`with_rules`], where the rules from the `changed`-th on have other
/// priorities and paths (so a plan deletes the old ones and creates these).
fn with_rules_from(extra: u32, changed: u32) -> String {
    let text = blue_green();
    assert!(
        text.contains(LAST_RULE),
        "specs/alb-blue-green.yaml changed"
    );
    let mut rules = LAST_RULE.to_string();
    for i in 0..extra {
        let (priority, path) = if i < changed {
            (100 + i, format!("/r{i}/*"))
        } else {
            (1000 + i, format!("/s{i}/*"))
        };
        rules.push_str(&format!(
            "          - priority: {priority}\n            conditions: {{ path_pattern: [\"{path}\"] }}\n            action: {{ forward: shop-blue }}\n",
        ));
    }
    text.replace(LAST_RULE, &rules)
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

/// Names of the load balancers and target groups moto has.
fn live_names(moto: &Moto) -> (Vec<String>, Vec<String>) {
    block_on(async {
        let c = moto.elbv2().await;
        let lbs = c.describe_load_balancers().send().await.unwrap();
        let tgs = c.describe_target_groups().send().await.unwrap();
        (
            lbs.load_balancers()
                .iter()
                .filter_map(|l| l.load_balancer_name().map(str::to_string))
                .collect(),
            tgs.target_groups()
                .iter()
                .filter_map(|t| t.target_group_name().map(str::to_string))
                .collect(),
        )
    })
}

/// The `api calls:` line of `plan -v`, and the exit code.
fn api_calls(moto: &Moto, spec: &Path) -> (String, Option<i32>) {
    let out = moto
        .lbctl()
        .args(["plan", "-v", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let line = stderr
        .lines()
        .find(|l| l.starts_with("api calls:"))
        .unwrap_or_else(|| panic!("no api calls line:\n{stderr}"))
        .to_string();
    (line, out.status.code())
}

#[test]
fn a_spec_of_150_rules_on_one_alb_is_refused_at_plan_time_naming_the_quota() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&with_rules(147));
    let quota = "150 needed, over quota `rules-per-application-load-balancer` \
                 (Rules per Application Load Balancer) of 100";
    let raise = "aws service-quotas request-service-quota-increase --service-code \
                 elasticloadbalancing --quota-code L-7EED9B64 --desired-value 150";
    moto.lbctl()
        .args(["plan", "-f"])
        .arg(&spec.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "load balancer `shop`: rules (not counting default rules)",
        ))
        .stderr(predicate::str::contains(quota))
        .stderr(predicate::str::contains("Service Quotas console"))
        .stderr(predicate::str::contains(raise));
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(quota))
        .stderr(predicate::str::contains("nothing was changed"));
    // Nothing was written: no load balancer, no target group.
    let (lbs, tgs) = live_names(&moto);
    assert!(lbs.is_empty() && tgs.is_empty(), "{lbs:?} {tgs:?}");
    // At the quota, the same spec applies and converges.
    let at_quota = write_spec(&with_rules(97));
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&at_quota.path)
        .assert()
        .success();
    support::assert_converged(&moto, &at_quota.path);
    // At the quota, deleting 40 rules and creating 40 others is not refused:
    // a listener's rules are deleted before its new ones are created.
    let swapped = write_spec(&with_rules_from(97, 57));
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&swapped.path)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("shop:443/1096"));
}

#[test]
fn only_a_plan_that_creates_something_reads_the_account_limits() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&blue_green());
    let (calls, code) = api_calls(&moto, &spec.path);
    assert_eq!(code, Some(0));
    assert!(calls.contains("DescribeAccountLimits=1"), "{calls}");
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .assert()
        .success();
    let (calls, code) = api_calls(&moto, &spec.path);
    assert_eq!(code, Some(0));
    assert!(!calls.contains("DescribeAccountLimits"), "{calls}");
    // The spec's `ssl_policy` is one lbctl knows: AWS is not asked.
    assert!(!calls.contains("DescribeSSLPolicies"), "{calls}");
}

#[test]
fn a_forward_to_six_target_groups_is_refused_offline() {
    let text = blue_green().replace(
        "              - { name: shop-green, weight: 10 }\n",
        "              - { name: shop-green, weight: 10 }\n              - { name: g3 }\n              - { name: g4 }\n              - { name: g5 }\n              - { name: g6 }\n",
    );
    let mut extra = String::new();
    for g in ["g3", "g4", "g5", "g6"] {
        extra.push_str(&format!(
            "  {g}:\n    protocol: HTTP\n    port: 80\n    vpc: {{ tags: {{ Name: lbctl-demo }} }}\n    target_type: ip\n"
        ));
    }
    let text = text.replace(
        "\nload_balancers:\n",
        &format!("{extra}\nload_balancers:\n"),
    );
    let ds = problems(&text);
    assert_eq!(ds.len(), 1, "{ds:?}");
    let d = &ds[0];
    assert_eq!(
        d.path,
        "load_balancers.shop.listeners[1].default_action.forward.target_groups"
    );
    assert!(d.line > 0 && d.column > 0, "{d}");
    assert!(
        d.message
            .ends_with("a forward takes 1 to 5 target groups, not 6"),
        "{d}"
    );
}

/// The problems `lbctl::spec::load` finds in `text` (offline).
fn problems(text: &str) -> Vec<lbctl::spec::Diagnostic> {
    let spec = write_spec(text);
    match lbctl::spec::load(std::slice::from_ref(&spec.path)) {
        Ok(_) => vec![],
        Err(e) => e.0,
    }
}

const POLICY: &str = "ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06";

#[test]
fn an_unknown_ssl_policy_is_refused_offline_with_did_you_mean() {
    let text = blue_green();
    assert!(text.contains(POLICY), "specs/alb-blue-green.yaml changed");
    let ds = problems(&text.replace(POLICY, "ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-6"));
    assert_eq!(ds.len(), 1, "{ds:?}");
    let d = &ds[0];
    assert_eq!(d.path, "load_balancers.shop.listeners[1].ssl_policy");
    assert!(d.line > 0 && d.column > 0, "{d}");
    assert!(
        d.message.ends_with(
            "security policy `ELBSecurityPolicy-TLS13-1-2-2021-6` is not one lbctl knows"
        ),
        "{d}"
    );
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(
        hint.starts_with("did you mean `ELBSecurityPolicy-TLS13-1-2-2021-06`?"),
        "{hint}"
    );
}

#[test]
fn plan_asks_aws_about_an_ssl_policy_lbctl_does_not_know_before_refusing_it() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&blue_green().replace(
        POLICY,
        "ssl_policy: ELBSecurityPolicy-TLS13-1-2-Res-2099-01",
    ));
    let place = format!("{}:", spec.path.display());
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(place))
        .stderr(predicate::str::contains(
            "load_balancers.shop.listeners[1].ssl_policy: listener `shop:443`: security policy \
             `ELBSecurityPolicy-TLS13-1-2-Res-2099-01` is not one lbctl knows",
        ))
        .stderr(predicate::str::contains(
            "did you mean `ELBSecurityPolicy-TLS13-1-2-Res-2021-06`? AWS does not know it either \
             (DescribeSSLPolicies)",
        ));
    let (lbs, tgs) = live_names(&moto);
    assert!(lbs.is_empty() && tgs.is_empty(), "{lbs:?} {tgs:?}");
}

#[test]
fn listeners_beyond_the_account_limit_are_refused_before_any_write() {
    let moto = Moto::start();
    moto.seed();
    let mut listeners = String::from("    listeners:\n");
    for port in 8000..8049 {
        listeners.push_str(&format!(
            "      - port: {port}\n        protocol: HTTP\n        default_action: {{ forward: shop-blue }}\n"
        ));
    }
    let spec = write_spec(&blue_green().replace("    listeners:\n", &listeners));
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "load balancer `shop`: listeners: 51 needed, over quota \
             `listeners-per-application-load-balancer` (Listeners per Application Load Balancer) of 50",
        ))
        .stderr(predicate::str::contains("--quota-code L-B6DF7632 --desired-value 51"));
    let (lbs, tgs) = live_names(&moto);
    assert!(lbs.is_empty() && tgs.is_empty(), "{lbs:?} {tgs:?}");
}

#[test]
fn more_than_100_target_groups_on_one_alb_are_refused_offline() {
    let mut text = String::from("version: 1\nstack: web-prod\ntarget_groups:\n");
    for i in 0..101 {
        text.push_str(&format!(
            "  tg{i}:\n    protocol: HTTP\n    port: 80\n    vpc: vpc-0abc\n"
        ));
    }
    text.push_str(
        "load_balancers:\n  web:\n    subnets: [subnet-0aaa, subnet-0bbb]\n    listeners:\n      \
         - port: 80\n        protocol: HTTP\n        default_action: { forward: tg0 }\n        rules:\n",
    );
    for i in 1..101 {
        text.push_str(&format!(
            "          - priority: {i}\n            conditions: {{ path_pattern: [\"/t{i}/*\"] }}\n            action: {{ forward: tg{i} }}\n"
        ));
    }
    let ds = problems(&text);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0].path, "load_balancers.web.listeners");
    assert!(
        ds[0].message.ends_with(
            "the listeners and rules forward to 101 target groups; AWS takes at most 100 per \
             application load balancer (`target-groups-per-application-load-balancer`, not adjustable)"
        ),
        "{}",
        ds[0]
    );
    // One target group fewer is valid.
    let fewer = text.replace("action: { forward: tg100 }", "action: { forward: tg1 }");
    assert!(problems(&fewer)
        .iter()
        .all(|d| !d.message.contains("target groups;")));
}
