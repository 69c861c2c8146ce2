//! Cognito and JWT validation steps end to end (real binary, moto with
//! `tests/support/plugin_auth.py`, which adds `jwt-validation`), through
//! the example `specs/alb-oidc.yaml`: created in AWS's `Order`, read back
//! as written, converged, changed and removed.

use crate::support;

use std::path::Path;

use support::{assert_converged, write_spec, Moto};

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

fn example() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/alb-oidc.yaml")).unwrap()
}

fn apply(moto: &Moto, spec: &Path) {
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "apply failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn plan(moto: &Moto, spec: &Path) -> (i32, String) {
    let out = moto
        .lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("demo-oidc-client-secret"), "{text}");
    (out.status.code().unwrap_or(-1), text)
}

/// The actions of `portal:443` (priority `None`: the default action), by
/// `Order`.
fn actions(
    moto: &Moto,
    priority: Option<&str>,
) -> Vec<aws_sdk_elasticloadbalancingv2::types::Action> {
    block_on(async {
        let c = moto.elbv2().await;
        let d = c
            .describe_load_balancers()
            .names("portal")
            .send()
            .await
            .unwrap();
        let lb = d.load_balancers()[0].load_balancer_arn().unwrap();
        let ls = c
            .describe_listeners()
            .load_balancer_arn(lb)
            .send()
            .await
            .unwrap();
        let l = &ls.listeners()[0];
        let mut actions = match priority {
            None => l.default_actions().to_vec(),
            Some(p) => {
                let rules = c
                    .describe_rules()
                    .listener_arn(l.listener_arn().unwrap())
                    .send()
                    .await
                    .unwrap();
                let rule = rules
                    .rules()
                    .iter()
                    .find(|r| r.priority() == Some(p))
                    .unwrap();
                rule.actions().to_vec()
            }
        };
        actions.sort_by_key(|a| a.order().unwrap_or(0));
        actions
    })
}

fn types(actions: &[aws_sdk_elasticloadbalancingv2::types::Action]) -> Vec<&str> {
    actions
        .iter()
        .map(|a| a.r#type().unwrap().as_str())
        .collect()
}

#[test]
fn the_example_creates_oidc_cognito_and_jwt_steps_in_order_and_converges() {
    let moto = Moto::start();
    moto.seed();
    let spec = support::repo_root().join("specs/alb-oidc.yaml");
    apply(&moto, &spec);

    let default = actions(&moto, None);
    assert_eq!(types(&default), ["authenticate-oidc", "forward"]);
    let oidc = default[0].authenticate_oidc_config().unwrap();
    assert_eq!(oidc.scope(), Some("openid email"));
    assert_eq!(oidc.session_timeout(), Some(43_200));
    assert_eq!(oidc.client_secret(), None);
    let extra = oidc.authentication_request_extra_params().unwrap();
    assert_eq!(extra.get("prompt").map(String::as_str), Some("login"));

    let api = actions(&moto, Some("10"));
    assert_eq!(types(&api), ["jwt-validation", "forward"]);
    let jwt = api[0].jwt_validation_config().unwrap();
    assert_eq!(jwt.issuer(), Some("https://issuer.example.com"));
    let claim = &jwt.additional_claims()[0];
    assert_eq!(claim.name(), Some("scope"));
    assert_eq!(claim.format().unwrap().as_str(), "space-separated-values");
    assert_eq!(claim.values(), ["orders:read"]);

    let admin = actions(&moto, Some("20"));
    assert_eq!(types(&admin), ["authenticate-cognito", "forward"]);
    let cognito = admin[0].authenticate_cognito_config().unwrap();
    assert_eq!(cognito.user_pool_domain(), Some("portal-auth"));
    assert_eq!(
        cognito.on_unauthenticated_request().unwrap().as_str(),
        "deny"
    );
    assert_converged(&moto, &spec);
}

#[test]
fn cognito_and_jwt_steps_change_in_place_and_go_when_the_spec_drops_them() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&example());
    apply(&moto, &spec.path);

    // A cognito setting and a claim change: two rule updates.
    let changed = write_spec(
        &example()
            .replace("on_unauthenticated: deny", "on_unauthenticated: allow")
            .replace(
                "values: [orders:read]",
                "values: [orders:read, orders:write]",
            ),
    );
    let (code, text) = plan(&moto, &changed.path);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("action.authenticate.cognito.on_unauthenticated: \"deny\" -> \"allow\""),
        "{text}"
    );
    assert!(
        text.contains("action.jwt_validation.claims[0].values[1]"),
        "{text}"
    );
    apply(&moto, &changed.path);
    let admin = actions(&moto, Some("20"));
    let cognito = admin[0].authenticate_cognito_config().unwrap();
    assert_eq!(
        cognito.on_unauthenticated_request().unwrap().as_str(),
        "allow"
    );
    assert_eq!(
        actions(&moto, Some("10"))[0]
            .jwt_validation_config()
            .unwrap()
            .additional_claims()[0]
            .values(),
        ["orders:read", "orders:write"]
    );
    assert_converged(&moto, &changed.path);

    // Without the steps the rules forward straight away.
    let start = example().find("              jwt_validation:").unwrap();
    let end = example().find("              forward: portal-api").unwrap();
    let mut plain = example();
    plain.replace_range(start..end, "");
    let start = plain
        .find("              authenticate:\n                cognito:")
        .unwrap();
    let end = plain[start..]
        .find("              forward: portal-web")
        .unwrap()
        + start;
    plain.replace_range(start..end, "");
    let plain = write_spec(&plain);
    let (code, text) = plan(&moto, &plain.path);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("action.jwt_validation.issuer: \"https://issuer.example.com\" -> (none)"),
        "{text}"
    );
    apply(&moto, &plain.path);
    assert_eq!(types(&actions(&moto, Some("10"))), ["forward"]);
    assert_eq!(types(&actions(&moto, Some("20"))), ["forward"]);
    assert_eq!(
        types(&actions(&moto, None)),
        ["authenticate-oidc", "forward"]
    );
    assert_converged(&moto, &plain.path);
    // The OIDC listener's tags are read (its secret's hash): one more call.
    assert!(api_calls(&moto, &plain.path).contains("DescribeTags=2"));

    // Without any OIDC step no listener or rule tags are read.
    let text = std::fs::read_to_string(&plain.path).unwrap();
    let start = text
        .find("          authenticate:\n            oidc:")
        .unwrap();
    let end = text.find("          forward: portal-web").unwrap();
    let mut bare = text.clone();
    bare.replace_range(start..end, "");
    let bare = write_spec(&bare);
    apply(&moto, &bare.path);
    assert_eq!(types(&actions(&moto, None)), ["forward"]);
    assert!(api_calls(&moto, &bare.path).contains("DescribeTags=1 "));
}

/// The `api calls:` line of `plan -v`.
fn api_calls(moto: &Moto, spec: &Path) -> String {
    let out = moto
        .lbctl()
        .args(["plan", "-v", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    stderr
        .lines()
        .find(|l| l.starts_with("api calls:"))
        .unwrap_or_else(|| panic!("no api calls line:\n{stderr}"))
        .to_string()
}
