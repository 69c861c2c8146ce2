//! Rule conditions (list form, repeated kinds, regex values) and rule
//! transforms, end to end: real binary, moto with
//! `tests/support/plugin_conditions.py` (moto lacks `RegexValues` and
//! `Transforms`), state read back with the SDK.

use crate::support;

use std::collections::BTreeSet;
use std::path::Path;

use aws_sdk_elasticloadbalancingv2 as elbv2;
use elbv2::types::{
    Action, ActionTypeEnum, FixedResponseActionConfig, HostHeaderConditionConfig,
    HttpHeaderConditionConfig, QueryStringConditionConfig, QueryStringKeyValuePair, RuleCondition,
};
use predicates::prelude::*;
use support::{write_spec, Moto};

fn blue_green() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/alb-blue-green.yaml")).unwrap()
}

/// Rule 30 of `specs/alb-blue-green.yaml` as written there.
const RULE_30: &str = "          - priority: 30
            conditions:
              http_header: { name: X-Beta, values: [\"yes\"] }
            action: { forward: shop-green }
";

/// The blue-green spec with rule 30 replaced by `rule`.
fn with_rule_30(rule: &str) -> String {
    let text = blue_green();
    assert!(text.contains(RULE_30), "specs/alb-blue-green.yaml changed");
    text.replace(RULE_30, rule)
}

fn apply(moto: &Moto, spec: &Path) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(spec)
        .assert()
}

fn plan(moto: &Moto, spec: &Path) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(spec)
        .assert()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

async fn listener_arn(c: &elbv2::Client) -> String {
    let d = c
        .describe_load_balancers()
        .names("shop")
        .send()
        .await
        .unwrap();
    let lb = d.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    let out = c
        .describe_listeners()
        .load_balancer_arn(lb)
        .send()
        .await
        .unwrap();
    let l = out.listeners().iter().find(|l| l.port() == Some(443));
    l.and_then(|l| l.listener_arn()).unwrap().to_string()
}

/// Rule `priority` of `shop:443` as moto has it.
fn live_rule(moto: &Moto, priority: &str) -> elbv2::types::Rule {
    block_on(async {
        let c = moto.elbv2().await;
        let arn = listener_arn(&c).await;
        let out = c.describe_rules().listener_arn(arn).send().await.unwrap();
        let rule = out.rules().iter().find(|r| r.priority() == Some(priority));
        rule.unwrap_or_else(|| panic!("rule {priority}")).clone()
    })
}

/// A rule's conditions as comparable text, whatever order AWS lists them in.
fn condition_set(rule: &elbv2::types::Rule) -> BTreeSet<String> {
    rule.conditions().iter().map(|c| format!("{c:?}")).collect()
}

fn header(name: &str, values: &[&str], regex: &[&str]) -> RuleCondition {
    let mut config = HttpHeaderConditionConfig::builder().http_header_name(name);
    for v in values {
        config = config.values(*v);
    }
    for r in regex {
        config = config.regex_values(*r);
    }
    RuleCondition::builder()
        .field("http-header")
        .http_header_config(config.build())
        .build()
}

fn query(key: &str, value: &str) -> RuleCondition {
    let pair = QueryStringKeyValuePair::builder()
        .key(key)
        .value(value)
        .build();
    RuleCondition::builder()
        .field("query-string")
        .query_string_config(QueryStringConditionConfig::builder().values(pair).build())
        .build()
}

/// Rule 40 on `shop:443`, made behind lbctl's back: two http-header
/// conditions (one with regex values), two query-string conditions and a
/// host-header condition with regex values.
fn create_rule_out_of_band(moto: &Moto) -> Vec<RuleCondition> {
    let conditions = vec![
        header("X-User-Type", &["premium"], &[]),
        header("X-Region", &[], &["^eu-"]),
        query("version", "v2"),
        query("beta", "true"),
        RuleCondition::builder()
            .field("host-header")
            .host_header_config(
                HostHeaderConditionConfig::builder()
                    .regex_values("^api\\.(eu|us)\\.example\\.com$")
                    .build(),
            )
            .build(),
    ];
    let action = Action::builder()
        .r#type(ActionTypeEnum::FixedResponse)
        .fixed_response_config(
            FixedResponseActionConfig::builder()
                .status_code("200")
                .content_type("text/plain")
                .message_body("premium")
                .build(),
        )
        .build();
    block_on(async {
        let c = moto.elbv2().await;
        let arn = listener_arn(&c).await;
        c.create_rule()
            .listener_arn(arn)
            .priority(40)
            .set_conditions(Some(conditions.clone()))
            .actions(action)
            .send()
            .await
            .unwrap();
    });
    conditions
}

/// The exported spec with rule 40's action replaced by `action` (YAML).
fn edit_rule_40_action(exported: &str, action: &str) -> String {
    let mut doc: serde_yaml::Value = serde_yaml::from_str(exported).unwrap();
    let listeners = doc["load_balancers"]["shop"]["listeners"]
        .as_sequence_mut()
        .unwrap();
    let https = listeners
        .iter_mut()
        .find(|l| l["port"].as_u64() == Some(443))
        .unwrap();
    let rule = https["rules"]
        .as_sequence_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["priority"].as_u64() == Some(40))
        .unwrap();
    rule["action"] = serde_yaml::from_str(action).unwrap();
    serde_yaml::to_string(&doc).unwrap()
}

#[test]
fn an_out_of_band_rule_with_repeated_and_regex_conditions_round_trips_through_export() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&blue_green());
    apply(&moto, &spec.path).success();
    let created = create_rule_out_of_band(&moto);
    let want: BTreeSet<String> = created.iter().map(|c| format!("{c:?}")).collect();
    assert_eq!(condition_set(&live_rule(&moto, "40")), want);

    // Export writes the list form, which validates and plans no changes.
    let out = moto
        .lbctl()
        .args(["export", "--stack", "shop"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "name: X-Region",
        "regex:",
        "^eu-",
        "key: beta",
        "key: version",
    ] {
        assert!(exported.contains(needle), "{needle} missing:\n{exported}");
    }
    assert!(!exported.contains("unmanaged"), "{exported}");
    let file = write_spec(&exported);
    moto.lbctl()
        .args(["validate", "-f"])
        .arg(&file.path)
        .assert()
        .success();
    plan(&moto, &file.path).code(0);

    // An edit of the action keeps every condition.
    let edited = write_spec(&edit_rule_40_action(
        &exported,
        "{ fixed_response: { status: 200, content_type: text/plain, body: edited } }",
    ));
    plan(&moto, &edited.path)
        .code(2)
        .stdout(predicate::str::contains("edited"));
    apply(&moto, &edited.path).success();
    let rule = live_rule(&moto, "40");
    assert_eq!(condition_set(&rule), want);
    let body = rule.actions()[0]
        .fixed_response_config()
        .and_then(|f| f.message_body());
    assert_eq!(body, Some("edited"));
    support::assert_converged(&moto, &edited.path);
}

/// Rule 30 with `transforms` (YAML lines under the rule).
fn rule_30_with(transforms: &str) -> String {
    format!("{RULE_30}{transforms}")
}

/// (type, regex, replace) of each transform of a rule.
fn transforms_of(rule: &elbv2::types::Rule) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for t in rule.transforms() {
        let rewrites = t
            .host_header_rewrite_config()
            .map(|c| c.rewrites())
            .or_else(|| t.url_rewrite_config().map(|c| c.rewrites()))
            .unwrap_or_default();
        for r in rewrites {
            out.push((
                t.r#type().unwrap().as_str().to_string(),
                r.regex().unwrap_or_default().to_string(),
                r.replace().unwrap_or_default().to_string(),
            ));
        }
    }
    out.sort();
    out
}

fn triple(t: &str, regex: &str, replace: &str) -> (String, String, String) {
    (t.into(), regex.into(), replace.into())
}

#[test]
fn transforms_are_created_converge_change_and_are_removed_with_reset_transforms() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&with_rule_30(&rule_30_with(
        "            transforms:
              host_header_rewrite: { regex: \"^(.+)\\\\.internal\\\\.example\\\\.com$\", replace: \"$1.example.com\" }
              url_rewrite: { regex: \"^/beta/(.*)$\", replace: \"/$1\" }
",
    )));
    apply(&moto, &spec.path).success();
    assert_eq!(
        transforms_of(&live_rule(&moto, "30")),
        [
            triple(
                "host-header-rewrite",
                "^(.+)\\.internal\\.example\\.com$",
                "$1.example.com"
            ),
            triple("url-rewrite", "^/beta/(.*)$", "/$1"),
        ]
    );
    support::assert_converged(&moto, &spec.path);

    // A changed replacement is an update of the rule.
    let changed = write_spec(&with_rule_30(&rule_30_with(
        "            transforms:
              url_rewrite: { regex: \"^/beta/(.*)$\", replace: \"/v2/$1\" }
",
    )));
    plan(&moto, &changed.path)
        .code(2)
        .stdout(predicate::str::contains("transforms.url_rewrite.replace"))
        .stdout(predicate::str::contains(
            "transforms.host_header_rewrite.regex",
        ));
    apply(&moto, &changed.path).success();
    assert_eq!(
        transforms_of(&live_rule(&moto, "30")),
        [triple("url-rewrite", "^/beta/(.*)$", "/v2/$1")]
    );
    support::assert_converged(&moto, &changed.path);

    // Leaving `transforms` out removes them (ModifyRule with
    // ResetTransforms: lbctl sends no Transforms member then).
    let without = write_spec(&blue_green());
    plan(&moto, &without.path)
        .code(2)
        .stdout(predicate::str::contains("transforms.url_rewrite.regex"));
    apply(&moto, &without.path).success();
    assert_eq!(transforms_of(&live_rule(&moto, "30")), []);
    support::assert_converged(&moto, &without.path);
}

const LIST_FORM: &str = "          - priority: 30
            conditions:
              - http_header: { name: X-Beta, values: [\"yes\"] }
              - http_header: { name: X-Region, regex: [\"^eu-\"] }
              - query_string: [ { key: version, value: v2 } ]
              - query_string: [ { key: beta, value: \"true\" } ]
              - path_pattern: { regex: [\"^/api/v[0-9]+/\"] }
            action: { forward: shop-green }
";

#[test]
fn list_form_conditions_from_a_spec_are_created_and_converge_in_any_order() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&with_rule_30(LIST_FORM));
    apply(&moto, &spec.path).success();
    let live = condition_set(&live_rule(&moto, "30"));
    let want: BTreeSet<String> = [
        header("X-Beta", &["yes"], &[]),
        header("X-Region", &[], &["^eu-"]),
        query("version", "v2"),
        query("beta", "true"),
        RuleCondition::builder()
            .field("path-pattern")
            .path_pattern_config(
                elbv2::types::PathPatternConditionConfig::builder()
                    .regex_values("^/api/v[0-9]+/")
                    .build(),
            )
            .build(),
    ]
    .iter()
    .map(|c| format!("{c:?}"))
    .collect();
    assert_eq!(live, want);
    support::assert_converged(&moto, &spec.path);

    // The same conditions in another order are the same rule.
    let lines: Vec<&str> = LIST_FORM.lines().collect();
    let mut reordered: Vec<&str> = lines[..2].to_vec();
    reordered.extend(lines[2..7].iter().rev());
    reordered.extend(&lines[7..]);
    let reordered = write_spec(&with_rule_30(&(reordered.join("\n") + "\n")));
    plan(&moto, &reordered.path).code(0);

    // The map form of rule 30 replaces the list: a plain update.
    let map_form = write_spec(&blue_green());
    plan(&moto, &map_form.path).code(2);
    apply(&moto, &map_form.path).success();
    assert_eq!(live_rule(&moto, "30").conditions().len(), 1);
    support::assert_converged(&moto, &map_form.path);
}

#[test]
fn the_example_spec_applies_reads_back_and_converges() {
    let moto = Moto::start();
    moto.seed();
    let spec = support::repo_root().join("specs/alb-conditions.yaml");
    apply(&moto, &spec).success();
    let rule = block_on(async {
        let c = moto.elbv2().await;
        let d = c
            .describe_load_balancers()
            .names("routes")
            .send()
            .await
            .unwrap();
        let lb = d.load_balancers()[0]
            .load_balancer_arn()
            .unwrap()
            .to_string();
        let l = c
            .describe_listeners()
            .load_balancer_arn(lb)
            .send()
            .await
            .unwrap();
        let arn = l.listeners()[0].listener_arn().unwrap().to_string();
        let rules = c.describe_rules().listener_arn(arn).send().await.unwrap();
        rules
            .rules()
            .iter()
            .find(|r| r.priority() == Some("10"))
            .unwrap()
            .clone()
    });
    let fields: Vec<&str> = rule.conditions().iter().filter_map(|c| c.field()).collect();
    let mut sorted = fields.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "host-header",
            "http-header",
            "http-header",
            "query-string",
            "query-string"
        ]
    );
    assert_eq!(
        transforms_of(&rule),
        [
            triple(
                "host-header-rewrite",
                "^api\\.(eu|us)\\.example\\.com$",
                "api.example.com"
            ),
            triple("url-rewrite", "^/v2/(.*)$", "/$1"),
        ]
    );
    support::assert_converged(&moto, &spec);
}
