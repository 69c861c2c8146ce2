//! A load balancer replacement (type or scheme changed: delete, then
//! create, so a new ARN and DNS name) is a deletion for the safety rails:
//! refused without `--force`, and shown in the plan with the DNS name that
//! goes away. `--adopt` never replaces: a difference that would force one
//! is an error naming the setting. The real binary against moto.

use crate::support;

use std::path::Path;

use aws_sdk_elasticloadbalancingv2 as elbv2;
use predicates::prelude::*;
use support::{assert_converged, write_spec, Moto};

fn blue_green() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/alb-blue-green.yaml")).unwrap()
}

fn internal() -> String {
    let text = blue_green().replacen("scheme: internet-facing", "scheme: internal", 1);
    assert_ne!(text, blue_green());
    text
}

fn apply(moto: &Moto, spec: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["apply", "--auto-approve"])
        .args(extra)
        .arg("-f")
        .arg(spec)
        .assert()
}

/// What the tests look at in the load balancer `shop`.
struct Shop {
    arn: String,
    dns: String,
    scheme: String,
    listeners: usize,
    stack_tag: Option<String>,
}

fn shop(moto: &Moto) -> Shop {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let out = c
            .describe_load_balancers()
            .names("shop")
            .send()
            .await
            .unwrap();
        let lbs = out.load_balancers();
        assert_eq!(lbs.len(), 1, "exactly one load balancer `shop`");
        let arn = lbs[0].load_balancer_arn().unwrap().to_string();
        let listeners = c
            .describe_listeners()
            .load_balancer_arn(&arn)
            .send()
            .await
            .unwrap()
            .listeners()
            .len();
        let tags = c.describe_tags().resource_arns(&arn).send().await.unwrap();
        let stack_tag = tags.tag_descriptions()[0]
            .tags()
            .iter()
            .find(|t| t.key() == Some("lbctl:stack"))
            .and_then(|t| t.value().map(str::to_string));
        Shop {
            dns: lbs[0].dns_name().unwrap().to_string(),
            scheme: lbs[0].scheme().map(|s| s.as_str().to_string()).unwrap(),
            arn,
            listeners,
            stack_tag,
        }
    })
}

#[test]
fn a_load_balancer_replacement_is_refused_without_force_and_shows_its_dns_name_going() {
    let moto = Moto::start();
    moto.seed();
    let base = write_spec(&blue_green());
    apply(&moto, &base.path, &[]).success();
    let before = shop(&moto);
    assert_eq!(before.scheme, "internet-facing");

    let spec = write_spec(&internal());
    // Text: the replacement, the DNS name that goes, the safety warning.
    let out = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("-/+ load_balancer shop"), "{text}");
    assert!(
        text.contains(&format!(
            "dns_name: \"{}\" -> \"(known after apply)\"",
            before.dns
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("its DNS name `{}` changes", before.dns)),
        "{text}"
    );
    assert!(text.contains("listener(s)"), "{text}");
    assert!(
        text.contains(
            "safety: load balancer `shop` would be deleted and created again (replace; its DNS name changes)"
        ),
        "{text}"
    );
    // JSON: the same, as data.
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let step = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "load_balancer")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(step["action"], "replace", "{json:#}");
    let dns = step["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "dns_name")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(dns["before"], before.dns.as_str(), "{json:#}");
    assert_eq!(dns["after"], "(known after apply)", "{json:#}");
    assert!(
        json["warnings"].as_array().unwrap().iter().any(|w| w
            .as_str()
            .unwrap()
            .starts_with("safety: load balancer `shop`")),
        "{json:#}"
    );

    // --auto-approve alone: refused, nothing changed.
    apply(&moto, &spec.path, &[])
        .code(1)
        .stderr(predicate::str::contains(
            "load balancer `shop` would be deleted and created again",
        ))
        .stderr(predicate::str::contains("--force"));
    let still = shop(&moto);
    assert_eq!(still.arn, before.arn, "the refused apply replaced it");
    assert_eq!(still.scheme, "internet-facing");
    assert_eq!(still.listeners, before.listeners);

    // --force replaces it.
    apply(&moto, &spec.path, &["--force"]).success();
    let after = shop(&moto);
    assert_ne!(after.arn, before.arn);
    assert_eq!(after.scheme, "internal");
    assert_eq!(after.listeners, before.listeners);
    assert_converged(&moto, &spec.path);
}

#[test]
fn adopt_never_replaces_a_load_balancer() {
    let moto = Moto::start();
    let seed = moto.seed();
    let subnets: Vec<String> = seed["public_subnet_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    // Someone else's internet-facing `shop`, without lbctl's tag.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        c.create_load_balancer()
            .name("shop")
            .scheme(elbv2::types::LoadBalancerSchemeEnum::InternetFacing)
            .set_subnets(Some(subnets))
            .send()
            .await
            .unwrap();
    });
    let before = shop(&moto);
    let spec = write_spec(&internal());
    let setting = "`scheme` is \"internet-facing\" live, \"internal\" in the spec";
    moto.lbctl()
        .args(["plan", "--adopt", "-f"])
        .arg(&spec.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--adopt never replaces"))
        .stderr(predicate::str::contains(setting));
    apply(&moto, &spec.path, &["--adopt", "--force"])
        .code(1)
        .stderr(predicate::str::contains("load_balancer `shop`"))
        .stderr(predicate::str::contains(setting))
        .stderr(predicate::str::contains("nothing was changed"));
    let after = shop(&moto);
    assert_eq!(after.arn, before.arn);
    assert_eq!(after.stack_tag, None, "the refused apply tagged it");
    rt.block_on(async {
        let c = moto.elbv2().await;
        let tgs = c.describe_target_groups().send().await.unwrap();
        assert!(tgs.target_groups().is_empty(), "the refused apply created");
    });
}
