//! OIDC authentication before a weighted forward, end to end (real binary,
//! moto with `tests/support/plugin_auth.py`): a listener made behind
//! lbctl's back is planned, adopted into the spec, shifted, exported and
//! re-keyed, and its client secret never shows in any output or plan file.
//!
//! The live listener is created with the SDK, as an operator's boto3 script
//! would. moto (through the plugin) keeps the secret write-only as AWS does
//! and logs the SHA-256 of the secret each write sent or kept, which is how
//! these tests see what AWS holds without the secret appearing anywhere.

use crate::support;

use std::path::Path;

use aws_sdk_elasticloadbalancingv2 as elbv2;
use elbv2::types::{
    Action, ActionTypeEnum, AuthenticateOidcActionConfig, Certificate, ForwardActionConfig,
    ProtocolEnum, Tag, TargetGroupTuple, TargetTypeEnum,
};
use sha2::{Digest, Sha256};
use support::{write_spec, Moto};

/// The secret the listener is created with, and the one it is rotated to:
/// distinctive, so that any leak is found.
const FIRST: &str = "Oidc-First-Secret-7731";
const SECOND: &str = "Oidc-Rotated-Secret-9902";
const PARAMETER: &str = "/web/oidc-client-secret";
const CERT: &str = "arn:aws:iam::123456789012:server-certificate/lbctl-demo";

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Runtime::new().unwrap().block_on(f)
}

fn sha256(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The spec of stack `web`: `auth` before a weighted forward.
fn spec(auth: &str, blue: u32, green: u32) -> String {
    format!(
        r#"version: 1
stack: web
region: us-east-1
parameters:
  oidc_secret: {{ ssm: {PARAMETER} }}
target_groups:
  web-blue: {{ protocol: HTTP, port: 80, vpc: {{ tags: {{ Name: lbctl-demo }} }}, target_type: ip }}
  web-green: {{ protocol: HTTP, port: 80, vpc: {{ tags: {{ Name: lbctl-demo }} }}, target_type: ip }}
load_balancers:
  web:
    subnets: [ {{ tags: {{ tier: public }} }} ]
    security_groups: [ {{ tags: {{ Name: web-lb }} }} ]
    listeners:
      - port: 443
        protocol: HTTPS
        certificates: [ {CERT} ]
        default_action:
{auth}          forward:
            target_groups:
              - {{ name: web-blue, weight: {blue} }}
              - {{ name: web-green, weight: {green} }}
"#
    )
}

const OIDC: &str = r#"          authenticate:
            oidc:
              issuer: https://idp.example.com
              authorization_endpoint: https://idp.example.com/authorize
              token_endpoint: https://idp.example.com/token
              user_info_endpoint: https://idp.example.com/userinfo
              client_id: web
              client_secret: "${oidc_secret}"
"#;

fn stack_tag() -> Tag {
    Tag::builder().key("lbctl:stack").value("web").build()
}

/// What an operator's boto3 script would make: stack-tagged target groups
/// and ALB, and an HTTPS listener whose default actions are
/// authenticate-oidc (secret [`FIRST`], AWS's defaults) then a 90/10 forward.
async fn create_out_of_band(moto: &Moto, seed: &serde_json::Value) {
    let c = moto.elbv2().await;
    let vpc = seed["vpc_id"].as_str().unwrap();
    let mut tgs = Vec::new();
    for name in ["web-blue", "web-green"] {
        let out = c
            .create_target_group()
            .name(name)
            .protocol(ProtocolEnum::Http)
            .port(80)
            .vpc_id(vpc)
            .target_type(TargetTypeEnum::Ip)
            .tags(stack_tag())
            .send()
            .await
            .unwrap();
        tgs.push(
            out.target_groups()[0]
                .target_group_arn()
                .unwrap()
                .to_string(),
        );
    }
    let subnets = seed["public_subnet_ids"].as_array().unwrap();
    let lb = c
        .create_load_balancer()
        .name("web")
        .scheme(elbv2::types::LoadBalancerSchemeEnum::InternetFacing)
        .set_subnets(Some(
            subnets.iter().map(|s| s.as_str().unwrap().into()).collect(),
        ))
        .security_groups(seed["security_group_id"].as_str().unwrap())
        .tags(stack_tag())
        .send()
        .await
        .unwrap();
    let oidc = Action::builder()
        .r#type(ActionTypeEnum::AuthenticateOidc)
        .order(1)
        .authenticate_oidc_config(
            AuthenticateOidcActionConfig::builder()
                .issuer("https://idp.example.com")
                .authorization_endpoint("https://idp.example.com/authorize")
                .token_endpoint("https://idp.example.com/token")
                .user_info_endpoint("https://idp.example.com/userinfo")
                .client_id("web")
                .client_secret(FIRST)
                .build(),
        )
        .build();
    let tuple = |arn: &str, weight| {
        TargetGroupTuple::builder()
            .target_group_arn(arn)
            .weight(weight)
            .build()
    };
    let forward = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .order(2)
        .forward_config(
            ForwardActionConfig::builder()
                .target_groups(tuple(&tgs[0], 90))
                .target_groups(tuple(&tgs[1], 10))
                .build(),
        )
        .build();
    c.create_listener()
        .load_balancer_arn(lb.load_balancers()[0].load_balancer_arn().unwrap())
        .protocol(ProtocolEnum::Https)
        .port(443)
        .certificates(Certificate::builder().certificate_arn(CERT).build())
        .default_actions(oidc)
        .default_actions(forward)
        .send()
        .await
        .unwrap();
}

/// Action types of `web:443`'s default action by `Order`, the forward's
/// weights, and the listener's tags.
fn live(moto: &Moto) -> (Vec<String>, Vec<i32>, Vec<(String, String)>) {
    block_on(async {
        let c = moto.elbv2().await;
        let d = c
            .describe_load_balancers()
            .names("web")
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
        let mut actions = l.default_actions().to_vec();
        actions.sort_by_key(|a| a.order().unwrap_or(0));
        let oidc = actions[0].authenticate_oidc_config();
        if let Some(o) = oidc {
            assert_eq!(o.client_secret(), None, "AWS never returns the secret");
            assert_eq!(o.issuer(), Some("https://idp.example.com"));
        }
        let types = actions
            .iter()
            .map(|a| a.r#type().unwrap().as_str().to_string())
            .collect();
        let weights = actions
            .iter()
            .filter_map(|a| a.forward_config())
            .flat_map(|f| f.target_groups().iter().filter_map(|t| t.weight()))
            .collect();
        let tags = c
            .describe_tags()
            .resource_arns(l.listener_arn().unwrap())
            .send()
            .await
            .unwrap();
        let tags = tags.tag_descriptions()[0]
            .tags()
            .iter()
            .map(|t| (t.key().unwrap().into(), t.value().unwrap().into()))
            .collect();
        (types, weights, tags)
    })
}

/// The plugin's log lines about writes of OIDC steps, in order.
fn secret_writes(moto: &Moto) -> Vec<String> {
    moto.log_text()
        .lines()
        .filter_map(|l| l.strip_prefix("lbctl-auth: "))
        .map(|l| {
            let mut words = l.split_whitespace();
            let op = words.next().unwrap_or_default();
            let _arn = words.next();
            format!("{op} {}", words.collect::<Vec<_>>().join(" "))
        })
        .collect()
}

/// Runs lbctl; returns (exit code, stdout + stderr), failing if a secret shows.
fn run(moto: &Moto, args: &[&str], spec: Option<&Path>) -> (i32, String) {
    let mut cmd = moto.lbctl();
    cmd.args(args);
    if let Some(spec) = spec {
        cmd.arg("-f").arg(spec);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}\n--- stderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_no_secret(&format!("lbctl {}", args.join(" ")), &text);
    (out.status.code().unwrap_or(-1), text)
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in [FIRST, SECOND, "Secret-7731", "Secret-9902"] {
        assert!(!text.contains(secret), "{what} showed the secret:\n{text}");
    }
}

#[test]
fn an_oidc_listener_is_planned_adopted_shifted_exported_and_rekeyed() {
    let moto = Moto::start();
    let seed = moto.seed();
    block_on(create_out_of_band(&moto, &seed));
    moto.put_parameter(PARAMETER, FIRST, true);
    assert_eq!(
        secret_writes(&moto),
        [format!("CreateListener sent sha256={}", sha256(FIRST))]
    );

    // A spec without the step removes it, and the plan says so.
    let bare = write_spec(&spec("", 90, 10));
    let (code, text) = run(&moto, &["plan", "--detailed-exitcode"], Some(&bare.path));
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("~ listener web:443"), "{text}");
    assert!(
        text.contains(
            "default_action.authenticate.oidc.issuer: \"https://idp.example.com\" -> (none)"
        ),
        "{text}"
    );
    assert!(!text.contains("unmanaged live setting"), "{text}");

    // With the step in the spec, a shift to 50/50 keeps it. AWS does not
    // say which secret it has and nothing was tagged yet: lbctl sends the
    // spec's (the same one) and tags its hash.
    let half = write_spec(&spec(OIDC, 50, 50));
    let (code, text) = run(&moto, &["plan", "--detailed-exitcode"], Some(&half.path));
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("client_secret: (sensitive) changed"),
        "{text}"
    );
    assert!(text.contains("weight: 90 -> 50"), "{text}");
    // AWS's defaults (scope, cookie, timeout, on_unauthenticated) left out
    // of the spec and of the live step are no change.
    for default in [
        "scope",
        "session_cookie_name",
        "session_timeout",
        "on_unauthenticated",
    ] {
        assert!(!text.contains(default), "{default}:\n{text}");
    }
    let (code, text) = run(
        &moto,
        &["apply", "--auto-approve", "-vvv"],
        Some(&half.path),
    );
    assert_eq!(code, 0, "{text}");
    let (types, weights, tags) = live(&moto);
    assert_eq!(types, ["authenticate-oidc", "forward"]);
    assert_eq!(weights, [50, 50]);
    let hash = tags
        .iter()
        .find(|(k, _)| k == "lbctl:oidc-client-secret")
        .map(|(_, v)| v.clone())
        .expect("the secret's hash is tagged");
    assert!(
        hash.starts_with("sha256:") && !hash.contains(&sha256(FIRST)),
        "{hash}"
    );
    let first = format!("ModifyListener sent sha256={}", sha256(FIRST));
    assert_eq!(secret_writes(&moto).last(), Some(&first));
    let (code, text) = run(&moto, &["plan", "--detailed-exitcode"], Some(&half.path));
    assert_eq!(code, 0, "apply then plan is not empty:\n{text}");

    // A weight change with the same secret keeps AWS's (UseExistingClientSecret).
    let shifted = write_spec(&spec(OIDC, 70, 30));
    let (code, text) = run(&moto, &["apply", "--auto-approve"], Some(&shifted.path));
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("client_secret"), "{text}");
    let kept = format!("ModifyListener kept sha256={}", sha256(FIRST));
    assert_eq!(secret_writes(&moto).last(), Some(&kept));
    assert_eq!(live(&moto).1, [70, 30]);

    // Export writes the step without the secret, says so, and plans clean;
    // a shift applied from it keeps the step and its secret.
    let dir = tempfile::tempdir().unwrap();
    let (code, text) = run(&moto, &["export", "--stack", "web"], None);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("the OIDC client secret is not exported"),
        "{text}"
    );
    let exported = text.split("\n--- stderr:").next().unwrap().to_string();
    assert!(
        exported.contains("authenticate:") && !exported.contains("client_secret"),
        "{exported}"
    );
    let path = dir.path().join("web.yaml");
    std::fs::write(&path, &exported).unwrap();
    assert_eq!(run(&moto, &["validate"], Some(&path)).0, 0);
    let (code, text) = run(&moto, &["plan", "--detailed-exitcode"], Some(&path));
    assert_eq!(code, 0, "the export does not plan clean:\n{text}");
    let from_export = write_spec(
        &exported
            .replace("weight: 70", "weight: 60")
            .replace("weight: 30", "weight: 40"),
    );
    let (code, text) = run(&moto, &["apply", "--auto-approve"], Some(&from_export.path));
    assert_eq!(code, 0, "{text}");
    assert_eq!(live(&moto).0, ["authenticate-oidc", "forward"]);
    assert_eq!(live(&moto).1, [60, 40]);
    assert_eq!(secret_writes(&moto).last(), Some(&kept));

    // A new value in SSM is a change; a saved plan hides it and sends it.
    moto.put_parameter(PARAMETER, SECOND, true);
    let (code, text) = run(&moto, &["plan", "--detailed-exitcode"], Some(&shifted.path));
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("default_action.authenticate.oidc.client_secret: (sensitive) changed"),
        "{text}"
    );
    let (_, json) = run(&moto, &["plan", "--output", "json"], Some(&shifted.path));
    assert!(json.contains("client_secret"), "{json}");
    let (_, markdown) = run(
        &moto,
        &["plan", "--output", "markdown"],
        Some(&shifted.path),
    );
    assert!(
        markdown.contains("client_secret: (sensitive) changed"),
        "{markdown}"
    );
    let saved = dir.path().join("plan.json");
    let saved_arg = saved.to_str().unwrap();
    let (code, text) = run(&moto, &["plan", "--out", saved_arg], Some(&shifted.path));
    assert_eq!(code, 0, "{text}");
    assert_no_secret("the saved plan", &std::fs::read_to_string(&saved).unwrap());
    let (code, text) = run(&moto, &["apply", saved_arg], None);
    assert_eq!(code, 0, "{text}");
    let second = format!("ModifyListener sent sha256={}", sha256(SECOND));
    assert_eq!(secret_writes(&moto).last(), Some(&second));
    assert_eq!(live(&moto).1, [70, 30]);
    let (code, text) = run(&moto, &["plan", "--detailed-exitcode"], Some(&shifted.path));
    assert_eq!(code, 0, "apply then plan is not empty:\n{text}");
}

#[test]
fn leaving_out_the_secret_keeps_aws_s_and_a_new_step_needs_one() {
    let moto = Moto::start();
    let seed = moto.seed();
    block_on(create_out_of_band(&moto, &seed));
    let without = OIDC.replace("              client_secret: \"${oidc_secret}\"\n", "");
    let keep = write_spec(&spec(&without, 80, 20).replace(
        &format!("parameters:\n  oidc_secret: {{ ssm: {PARAMETER} }}\n"),
        "",
    ));
    let (code, text) = run(&moto, &["apply", "--auto-approve"], Some(&keep.path));
    assert_eq!(code, 0, "{text}");
    let kept = format!("ModifyListener kept sha256={}", sha256(FIRST));
    assert_eq!(secret_writes(&moto).last(), Some(&kept));
    assert_eq!(live(&moto).1, [80, 20]);
    support::assert_converged(&moto, &keep.path);

    // A new rule cannot keep a secret it does not have.
    let rule = format!(
        "        rules:\n          - priority: 10\n            conditions: {{ path_pattern: [\"/x\"] }}\n            action:\n{}              forward: web-blue\n",
        without.replace("          ", "              ")
    );
    let other = write_spec(&format!(
        "{}{rule}",
        std::fs::read_to_string(&keep.path).unwrap()
    ));
    let (code, text) = run(&moto, &["plan"], Some(&other.path));
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("a new OIDC step needs `client_secret`"),
        "{text}"
    );
    let (code, text) = run(&moto, &["apply", "--auto-approve"], Some(&other.path));
    assert!(code == 1 || code == 3, "{text}");
    assert!(text.contains("needs `client_secret`"), "{text}");
}

#[test]
fn shift_keeps_the_oidc_step_and_aws_s_secret() {
    let moto = Moto::start();
    let seed = moto.seed();
    block_on(create_out_of_band(&moto, &seed));
    let (code, text) = run(
        &moto,
        &[
            "shift",
            "web:443",
            "--to",
            "web-green",
            "--steps",
            "50",
            "--interval",
            "0",
            "--no-gate",
        ],
        None,
    );
    assert_eq!(code, 0, "{text}");
    let (types, weights, _) = live(&moto);
    assert_eq!(types, ["authenticate-oidc", "forward"]);
    assert_eq!(weights, [50, 50]);
    let kept = format!("ModifyListener kept sha256={}", sha256(FIRST));
    assert_eq!(secret_writes(&moto).last(), Some(&kept));
}
