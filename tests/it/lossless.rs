//! The lossless rule for ELBv2, end to end (real binary, moto): live
//! settings lbctl reads are never dropped: an authenticate-oidc step and
//! repeated conditions, once reported, are now modelled (a spec without
//! them removes them, and the plan says so). The settings are made behind
//! lbctl's back with boto3 (`scripts/seed_lossless.py`) and read back with
//! the SDK.

use crate::support;

use std::path::Path;

use aws_sdk_elasticloadbalancingv2 as elbv2;
use predicates::prelude::*;
use support::{write_spec, Moto};

fn blue_green() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/alb-blue-green.yaml")).unwrap()
}

/// moto with the demo network and `specs/alb-blue-green.yaml` (`text`)
/// applied.
fn applied(text: &str) -> (Moto, support::SpecFile) {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(text);
    apply(&moto, &spec.path, &[]).success();
    (moto, spec)
}

fn apply(moto: &Moto, spec: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["apply", "--auto-approve"])
        .args(extra)
        .arg("-f")
        .arg(spec)
        .assert()
}

fn plan(moto: &Moto, spec: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["plan", "--detailed-exitcode"])
        .args(extra)
        .arg("-f")
        .arg(spec)
        .assert()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

async fn listener(c: &elbv2::Client, lb: &str, port: i32) -> elbv2::types::Listener {
    let d = c.describe_load_balancers().names(lb).send().await.unwrap();
    let arn = d.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    let out = c
        .describe_listeners()
        .load_balancer_arn(arn)
        .send()
        .await
        .unwrap();
    out.listeners()
        .iter()
        .find(|l| l.port() == Some(port))
        .unwrap_or_else(|| panic!("listener {lb}:{port}"))
        .clone()
}

/// Action types of `shop:443`'s default action, in order, and the weights
/// of its forward.
fn default_action(moto: &Moto) -> (Vec<String>, Vec<i32>) {
    block_on(async {
        let c = moto.elbv2().await;
        let l = listener(&c, "shop", 443).await;
        let mut actions = l.default_actions().to_vec();
        actions.sort_by_key(|a| a.order().unwrap_or(0));
        let types = actions
            .iter()
            .map(|a| a.r#type().unwrap().as_str().to_string())
            .collect();
        let mut weights: Vec<i32> = actions
            .iter()
            .filter_map(|a| a.forward_config())
            .flat_map(|f| f.target_groups().iter().filter_map(|t| t.weight()))
            .collect();
        weights.sort();
        (types, weights)
    })
}

/// The condition fields of rule `priority` of `shop:443`, in order.
fn rule_conditions(moto: &Moto, priority: &str) -> Vec<String> {
    block_on(async {
        let c = moto.elbv2().await;
        let l = listener(&c, "shop", 443).await;
        let rules = c
            .describe_rules()
            .listener_arn(l.listener_arn().unwrap())
            .send()
            .await
            .unwrap();
        let rule = rules
            .rules()
            .iter()
            .find(|r| r.priority() == Some(priority))
            .unwrap()
            .clone();
        rule.conditions()
            .iter()
            .map(|c| c.field().unwrap_or_default().to_string())
            .collect()
    })
}

/// An authenticate-oidc step used to be reported (lbctl could not model
/// it); it is modelled now (`tests/it/auth.rs` has the full story): a spec
/// without it plans its removal like any other change, and apply needs no
/// `--force` for it.
#[test]
fn an_oidc_step_is_modelled_and_a_spec_without_it_removes_it() {
    let (moto, spec) = applied(&blue_green());
    moto.script("seed_lossless.py", &["--load-balancer", "shop", "--oidc"]);
    assert_eq!(default_action(&moto).0, ["authenticate-oidc", "forward"]);

    plan(&moto, &spec.path, &[])
        .code(2)
        .stdout(predicate::str::contains(
            "default_action.authenticate.oidc.client_id: \"web\" -> (none)",
        ))
        .stdout(predicate::str::contains("unmanaged live setting").not())
        .stdout(predicate::str::contains("oidc-client-secret").not());
    let json = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["unmanaged"], serde_json::json!([]), "{json}");

    // Export writes the step, not its secret.
    moto.lbctl()
        .args(["export", "--load-balancer", "shop"])
        .assert()
        .success()
        .stdout(predicate::str::contains("issuer: https://idp.example.com"))
        .stdout(predicate::str::contains("oidc-client-secret").not())
        .stderr(predicate::str::contains(
            "the OIDC client secret is not exported",
        ));

    apply(&moto, &spec.path, &[]).success();
    assert_eq!(
        default_action(&moto),
        (vec!["forward".into()], vec![10, 90])
    );
    support::assert_converged(&moto, &spec.path);
}

#[test]
fn repeated_conditions_are_modelled_not_reported() {
    // Repeated conditions used to be reported (the model merged them); now
    // the model holds them, so a spec that differs plans a plain change
    // and a spec in the list form matches them.
    let text = blue_green().replace(
        "http_header: { name: X-Beta, values: [\"yes\"] }",
        "http_header: { name: X-Beta, values: [\"yes\"] }\n              \
         query_string: [ { key: k1, value: v1 }, { key: k2, value: v2 } ]",
    );
    let (moto, spec) = applied(&text);
    moto.script(
        "seed_lossless.py",
        &["--load-balancer", "shop", "--conditions", "30"],
    );
    let seeded = ["http-header", "http-header", "query-string", "query-string"];
    assert_eq!(rule_conditions(&moto, "30"), seeded);

    plan(&moto, &spec.path, &[])
        .code(2)
        .stdout(predicate::str::contains("unmanaged").not())
        .stdout(predicate::str::contains("X-Team"));

    // The seeded conditions written as a list: no changes.
    let listed = write_spec(&text.replace(
        "            conditions:
              http_header: { name: X-Beta, values: [\"yes\"] }
              query_string: [ { key: k1, value: v1 }, { key: k2, value: v2 } ]",
        "            conditions:
              - http_header: { name: X-Team, values: [core] }
              - http_header: { name: X-Beta, values: [\"yes\"] }
              - query_string: [ { key: k2, value: v2 } ]
              - query_string: [ { key: k1, value: v1 } ]",
    ));
    plan(&moto, &listed.path, &[]).code(0);

    // Applying the map form rewrites the conditions as the spec says.
    apply(&moto, &spec.path, &[]).success();
    assert_eq!(
        rule_conditions(&moto, "30"),
        ["http-header", "query-string"]
    );
    support::assert_converged(&moto, &spec.path);
}
