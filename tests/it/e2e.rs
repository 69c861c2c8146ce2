//! End-to-end tests: the real `lbctl` binary and the real AWS SDK against a
//! moto server started per test (see `tests/support`). Every test that
//! changes something also checks that the next plan is empty.

use crate::support;

use aws_sdk_elasticloadbalancingv2 as elbv2;
use predicates::prelude::*;
use support::{assert_converged, write_spec, Moto};

fn example(name: &str) -> String {
    std::fs::read_to_string(support::repo_root().join("specs").join(name)).unwrap()
}

fn apply(moto: &Moto, spec: &std::path::Path) -> assert_cmd::assert::Assert {
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(spec)
        .assert()
}

/// `plan --output json`, parsed.
fn plan_json(moto: &Moto, spec: &std::path::Path) -> serde_json::Value {
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "plan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn lb_arn(c: &elbv2::Client, name: &str) -> String {
    let out = c
        .describe_load_balancers()
        .names(name)
        .send()
        .await
        .unwrap();
    let lbs = out.load_balancers();
    assert_eq!(lbs.len(), 1, "exactly one load balancer `{name}`");
    lbs[0].load_balancer_arn().unwrap().to_string()
}

async fn tg_arn(c: &elbv2::Client, name: &str) -> String {
    let out = c.describe_target_groups().names(name).send().await.unwrap();
    out.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string()
}

async fn tags(c: &elbv2::Client, arn: &str) -> std::collections::BTreeMap<String, String> {
    let out = c.describe_tags().resource_arns(arn).send().await.unwrap();
    out.tag_descriptions()[0]
        .tags()
        .iter()
        .map(|t| {
            (
                t.key().unwrap_or_default().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn listener(c: &elbv2::Client, lb: &str, port: i32) -> elbv2::types::Listener {
    let arn = lb_arn(c, lb).await;
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

/// Weights of a listener's default forward, by target group name.
async fn forward_weights(c: &elbv2::Client, lb: &str, port: i32) -> Vec<(String, i32)> {
    let l = listener(c, lb, port).await;
    let action = &l.default_actions()[0];
    let config = action.forward_config().expect("weighted forward");
    let mut out = Vec::new();
    for t in config.target_groups() {
        let arn = t.target_group_arn().unwrap();
        let d = c
            .describe_target_groups()
            .target_group_arns(arn)
            .send()
            .await
            .unwrap();
        out.push((
            d.target_groups()[0]
                .target_group_name()
                .unwrap()
                .to_string(),
            t.weight().unwrap(),
        ));
    }
    out.sort();
    out
}

async fn tg_attributes(
    c: &elbv2::Client,
    name: &str,
) -> std::collections::BTreeMap<String, String> {
    let arn = tg_arn(c, name).await;
    let out = c
        .describe_target_group_attributes()
        .target_group_arn(arn)
        .send()
        .await
        .unwrap();
    out.attributes()
        .iter()
        .map(|a| {
            (
                a.key().unwrap_or_default().to_string(),
                a.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn check_example(name: &str) {
    let moto = Moto::seeded();
    let spec = support::repo_root().join("specs").join(name);
    let before = plan_json(&moto, &spec);
    assert!(
        !before["steps"].as_array().unwrap().is_empty(),
        "{name}: a fresh account needs changes"
    );
    assert_eq!(before["summary"]["delete"], 0);
    apply(&moto, &spec).success();
    assert_converged(&moto, &spec);
}

#[test]
fn example_demo_applies_and_converges() {
    check_example("demo.yaml");
}

#[test]
fn example_alb_blue_green_applies_and_converges() {
    check_example("alb-blue-green.yaml");
}

#[test]
fn example_nlb_applies_and_converges() {
    check_example("nlb.yaml");
}

#[test]
fn example_gwlb_applies_and_converges() {
    check_example("gwlb.yaml");
}

#[test]
fn example_dns_applies_and_converges() {
    check_example("dns.yaml");
}

/// What it reads back as is checked in `dns_routing`.
#[test]
fn example_dns_routing_applies_and_converges() {
    check_example("dns-routing.yaml");
}

#[test]
fn every_example_spec_is_covered_by_a_test() {
    let covered = [
        "alb-blue-green.yaml",
        // tests/it/auth_steps.rs
        "alb-oidc.yaml",
        "demo.yaml",
        "dns-routing.yaml",
        "dns.yaml",
        "alb-conditions.yaml", // tests/it/conditions.rs
        // Its end-to-end test is in tests/it/dns_health.rs.
        "dns-health.yaml",
        "gwlb.yaml",
        "nlb.yaml",
        "nlb-blue-green.yaml", // also tests/it/nlb.rs
    ];
    for f in support::spec_files() {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            covered.contains(&name.as_str()),
            "specs/{name} has no end-to-end test in tests/it/e2e.rs"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn alb_blue_green_reads_back_as_specified() {
    let moto = Moto::seeded();
    let spec = support::repo_root().join("specs/alb-blue-green.yaml");
    apply(&moto, &spec).success();
    let c = moto.elbv2().await;

    let lb = lb_arn(&c, "shop").await;
    assert_eq!(
        tags(&c, &lb).await.get("lbctl:stack").map(String::as_str),
        Some("shop")
    );
    assert_eq!(
        tags(&c, &lb).await.get("app").map(String::as_str),
        Some("shop")
    );

    // HTTP:80 redirects to HTTPS.
    let http = listener(&c, "shop", 80).await;
    let redirect = http.default_actions()[0].redirect_config().unwrap();
    assert_eq!(redirect.protocol(), Some("HTTPS"));
    assert_eq!(redirect.port(), Some("443"));

    // HTTPS:443: policy, weighted forward with stickiness, two certificates.
    let https = listener(&c, "shop", 443).await;
    assert_eq!(
        https.ssl_policy(),
        Some("ELBSecurityPolicy-TLS13-1-2-2021-06")
    );
    let fwd = https.default_actions()[0].forward_config().unwrap();
    let sticky = fwd.target_group_stickiness_config().unwrap();
    assert_eq!(sticky.enabled(), Some(true));
    assert_eq!(sticky.duration_seconds(), Some(3600));
    assert_eq!(
        forward_weights(&c, "shop", 443).await,
        [
            ("shop-blue".to_string(), 90),
            ("shop-green".to_string(), 10)
        ]
    );
    let certs = c
        .describe_listener_certificates()
        .listener_arn(https.listener_arn().unwrap())
        .send()
        .await
        .unwrap();
    let mut arns: Vec<&str> = certs
        .certificates()
        .iter()
        .filter_map(|c| c.certificate_arn())
        .collect();
    arns.sort();
    assert_eq!(
        arns,
        [
            "arn:aws:iam::123456789012:server-certificate/lbctl-demo",
            "arn:aws:iam::123456789012:server-certificate/lbctl-demo-extra"
        ]
    );

    // Rules.
    let rules = c
        .describe_rules()
        .listener_arn(https.listener_arn().unwrap())
        .send()
        .await
        .unwrap();
    let mut priorities: Vec<&str> = rules
        .rules()
        .iter()
        .filter_map(|r| r.priority())
        .filter(|p| *p != "default")
        .collect();
    priorities.sort();
    assert_eq!(priorities, ["10", "20", "30"]);

    // Target group attributes and targets.
    let attrs = tg_attributes(&c, "shop-blue").await;
    assert_eq!(attrs["stickiness.enabled"], "true");
    assert_eq!(attrs["stickiness.type"], "lb_cookie");
    assert_eq!(attrs["stickiness.lb_cookie.duration_seconds"], "86400");
    assert_eq!(attrs["deregistration_delay.timeout_seconds"], "30");
    assert_eq!(
        support::read::target_ids(&c, "shop-blue").await,
        ["10.0.11.20:80", "10.0.12.20:80"]
    );
}

#[test]
fn a_weight_shift_is_one_listener_update() {
    let moto = Moto::seeded();
    let base = example("alb-blue-green.yaml");
    let spec = write_spec(&base);
    apply(&moto, &spec.path).success();

    let shifted = base
        .replace("weight: 90 }", "weight: 50 }")
        .replace("weight: 10 }", "weight: 50 }");
    assert_ne!(shifted, base);
    let spec = write_spec(&shifted);
    let plan = plan_json(&moto, &spec.path);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{plan:#}");
    assert_eq!(steps[0]["action"], "update");
    assert_eq!(steps[0]["kind"], "listener");
    assert_eq!(steps[0]["name"], "shop:443");

    apply(&moto, &spec.path).success();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let weights = rt.block_on(async {
        let c = moto.elbv2().await;
        forward_weights(&c, "shop", 443).await
    });
    assert_eq!(
        weights,
        [
            ("shop-blue".to_string(), 50),
            ("shop-green".to_string(), 50)
        ]
    );
    assert_converged(&moto, &spec.path);
}

#[test]
fn one_attribute_change_plans_exactly_one_update() {
    let moto = Moto::seeded();
    let base = example("demo.yaml");
    let spec = write_spec(&base);
    apply(&moto, &spec.path).success();

    let changed = base.replace("interval: 15", "interval: 20");
    assert_ne!(changed, base);
    let spec = write_spec(&changed);
    let plan = plan_json(&moto, &spec.path);
    let steps = plan["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{plan:#}");
    assert_eq!(steps[0]["kind"], "target_group");
    let changes = steps[0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["path"], "health_check.interval");
    assert_eq!(changes[0]["before"], 15);
    assert_eq!(changes[0]["after"], 20);
    apply(&moto, &spec.path).success();
    assert_converged(&moto, &spec.path);
}

#[test]
fn port_change_of_a_used_target_group_and_removal_with_last_reference_apply_in_one_go() {
    let moto = Moto::seeded();
    let base = example("alb-blue-green.yaml");
    let spec = write_spec(&base);
    apply(&moto, &spec.path).success();

    // shop-blue moves to port 8080 (it is in use by the 443 listener), and
    // shop-green goes away together with every reference to it.
    let mut changed = base.replace(
        "  shop-blue:\n    protocol: HTTP\n    port: 80",
        "  shop-blue:\n    protocol: HTTP\n    port: 8080",
    );
    let green_start = changed.find("  shop-green:").unwrap();
    let green_end = changed.find("load_balancers:").unwrap();
    changed.replace_range(green_start..green_end, "");
    changed = changed
        .replace(
            "            target_groups:\n              - { name: shop-blue, weight: 90 }\n              - { name: shop-green, weight: 10 }\n",
            "            target_groups:\n              - { name: shop-blue, weight: 100 }\n",
        )
        .replace("forward: shop-green", "forward: shop-blue");
    let spec = write_spec(&changed);
    let plan = plan_json(&moto, &spec.path);
    let actions: Vec<(String, String)> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["action"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("replace".into(), "shop-blue".into())),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("delete".into(), "shop-green".into())),
        "{actions:?}"
    );

    apply(&moto, &spec.path).success();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let tgs = c.describe_target_groups().send().await.unwrap();
        let mut names: Vec<&str> = tgs
            .target_groups()
            .iter()
            .filter_map(|t| t.target_group_name())
            .collect();
        names.sort();
        // No temporary target group is left behind; green is gone.
        assert_eq!(names, ["shop-blue"]);
        assert_eq!(tgs.target_groups()[0].port(), Some(8080));
        assert_eq!(
            support::read::target_ids(&c, "shop-blue").await,
            ["10.0.11.20:80", "10.0.12.20:80"]
        );
    });
    assert_converged(&moto, &spec.path);
}

#[test]
fn a_load_balancer_the_stack_does_not_own_is_never_modified() {
    let moto = Moto::seeded();
    let seed = moto.seed();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let subnets: Vec<String> = seed["public_subnet_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    // Someone else's load balancer with the spec's name, no lbctl tag.
    rt.block_on(async {
        let c = moto.elbv2().await;
        // With the scheme AWS would report (moto leaves it empty when not
        // given, and --adopt never replaces, so it must match the spec).
        c.create_load_balancer()
            .name("demo-web")
            .scheme(elbv2::types::LoadBalancerSchemeEnum::InternetFacing)
            .set_subnets(Some(subnets.clone()))
            .tags(
                elbv2::types::Tag::builder()
                    .key("team")
                    .value("other")
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let spec = support::repo_root().join("specs/demo.yaml");
    // plan refuses as apply would (exit 1, also with --detailed-exitcode)
    // and never says the stack matches the spec.
    moto.lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&spec)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "load_balancer `demo-web` exists but belongs to no stack",
        ))
        .stdout(predicate::str::contains("matches the spec").not())
        .stderr(predicate::str::contains("apply would refuse"))
        .stderr(predicate::str::contains("plan --adopt"));
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not owned by stack `demo`"))
        .stderr(predicate::str::contains("--adopt"));
    let original = rt.block_on(async { lb_arn(&moto.elbv2().await, "demo-web").await });
    rt.block_on(async {
        let c = moto.elbv2().await;
        let arn = lb_arn(&c, "demo-web").await;
        let t = tags(&c, &arn).await;
        assert_eq!(t.get("lbctl:stack"), None, "refused apply tagged it");
        let listeners = c
            .describe_listeners()
            .load_balancer_arn(&arn)
            .send()
            .await
            .unwrap();
        assert!(
            listeners.listeners().is_empty(),
            "refused apply added a listener"
        );
        // Nothing else was created either.
        let tgs = c.describe_target_groups().send().await.unwrap();
        assert!(tgs.target_groups().is_empty());
    });

    // With --adopt it becomes the stack's.
    moto.lbctl()
        .args(["apply", "--auto-approve", "--adopt", "-f"])
        .arg(&spec)
        .assert()
        .success();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let arn = lb_arn(&c, "demo-web").await;
        assert_eq!(arn, original, "adopted in place, not replaced");
        assert_eq!(
            tags(&c, &arn).await.get("lbctl:stack").map(String::as_str),
            Some("demo")
        );
    });
    assert_converged(&moto, &spec);
}

#[test]
fn an_invalid_spec_is_rejected_before_any_aws_call() {
    let moto = Moto::seeded();
    let base = example("demo.yaml");
    let bad = write_spec(&base.replace("port: 80\n    vpc", "port: 70000\n    vpc"));
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&bad.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("spec.yaml:"))
        .stderr(predicate::str::contains("nothing was changed"));
    // Nothing was created.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        assert!(c
            .describe_target_groups()
            .send()
            .await
            .unwrap()
            .target_groups()
            .is_empty());
        assert!(c
            .describe_load_balancers()
            .send()
            .await
            .unwrap()
            .load_balancers()
            .is_empty());
    });
    // Not even a read: against an endpoint where nothing listens, the error
    // is still the spec's, not a connection error.
    moto.lbctl()
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["plan", "-f"])
        .arg(&bad.path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("spec.yaml:"))
        .stderr(predicate::str::contains("connection").not());
}

#[test]
fn apply_without_a_terminal_needs_auto_approve() {
    let moto = Moto::seeded();
    let spec = support::repo_root().join("specs/demo.yaml");
    moto.lbctl()
        .args(["apply", "-f"])
        .arg(&spec)
        .write_stdin("yes\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--auto-approve"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        assert!(c
            .describe_target_groups()
            .send()
            .await
            .unwrap()
            .target_groups()
            .is_empty());
    });
}

#[test]
fn a_failed_apply_reports_and_the_next_apply_converges() {
    let moto = Moto::seeded();
    let good = example("alb-blue-green.yaml");
    // An ACM certificate that does not exist: AWS (and moto) refuse the
    // listener. (moto does not check IAM certificate ARNs on create.)
    let broken = good.replace(
        "arn:aws:iam::123456789012:server-certificate/lbctl-demo         # default",
        "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000",
    );
    assert_ne!(broken, good);
    let spec = write_spec(&broken);
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("Apply stopped partway"))
        .stderr(predicate::str::contains("failed (1)"))
        .stderr(predicate::str::contains("create listener shop:443"))
        .stderr(predicate::str::contains("not started"));

    let spec = write_spec(&good);
    apply(&moto, &spec.path).success();
    assert_converged(&moto, &spec.path);
    // Nothing was duplicated by the second run.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let lbs = c.describe_load_balancers().send().await.unwrap();
        assert_eq!(lbs.load_balancers().len(), 1);
        let tgs = c.describe_target_groups().send().await.unwrap();
        assert_eq!(tgs.target_groups().len(), 2);
    });
}

async fn lb_attributes(
    c: &elbv2::Client,
    name: &str,
) -> std::collections::BTreeMap<String, String> {
    let arn = lb_arn(c, name).await;
    let out = c
        .describe_load_balancer_attributes()
        .load_balancer_arn(arn)
        .send()
        .await
        .unwrap();
    out.attributes()
        .iter()
        .map(|a| {
            (
                a.key().unwrap_or_default().to_string(),
                a.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The target group name a listener forwards to (single forward).
async fn forwards_to(c: &elbv2::Client, l: &elbv2::types::Listener) -> String {
    let action = &l.default_actions()[0];
    let arn = action
        .target_group_arn()
        .or_else(|| {
            action
                .forward_config()
                .and_then(|f| f.target_groups().first())
                .and_then(|t| t.target_group_arn())
        })
        .expect("a forward");
    support::read::target_group_name(c, arn).await
}

#[tokio::test(flavor = "multi_thread")]
async fn nlb_reads_back_as_specified() {
    let moto = Moto::seeded();
    apply(&moto, &support::repo_root().join("specs/nlb.yaml")).success();
    let c = moto.elbv2().await;

    let arn = lb_arn(&c, "edge").await;
    let lbs = c
        .describe_load_balancers()
        .load_balancer_arns(&arn)
        .send()
        .await
        .unwrap();
    let lb = &lbs.load_balancers()[0];
    assert_eq!(lb.r#type().map(|t| t.as_str()), Some("network"));
    assert_eq!(lb.availability_zones().len(), 3, "all three public subnets");
    assert_eq!(
        lb_attributes(&c, "edge").await["load_balancing.cross_zone.enabled"],
        "true"
    );

    let tcp = listener(&c, "edge", 80).await;
    assert_eq!(tcp.protocol().map(|p| p.as_str()), Some("TCP"));
    assert_eq!(forwards_to(&c, &tcp).await, "edge-tcp");
    let tls = listener(&c, "edge", 443).await;
    assert_eq!(tls.protocol().map(|p| p.as_str()), Some("TLS"));
    assert_eq!(tls.alpn_policy(), ["HTTP2Preferred"]);
    assert_eq!(
        tls.certificates()[0].certificate_arn(),
        Some("arn:aws:iam::123456789012:server-certificate/lbctl-demo")
    );
    assert_eq!(forwards_to(&c, &tls).await, "edge-tls");
    let udp = listener(&c, "edge", 53).await;
    assert_eq!(udp.protocol().map(|p| p.as_str()), Some("UDP"));
    assert_eq!(forwards_to(&c, &udp).await, "edge-dns");

    let attrs = tg_attributes(&c, "edge-tcp").await;
    assert_eq!(attrs["proxy_protocol_v2.enabled"], "true");
    assert_eq!(attrs["stickiness.enabled"], "true");
    assert_eq!(attrs["stickiness.type"], "source_ip");
    assert_eq!(attrs["deregistration_delay.timeout_seconds"], "10");
    assert_eq!(
        support::read::target_ids(&c, "edge-dns").await,
        ["10.0.11.42:53", "10.0.12.42:53"]
    );
    let tg = c
        .describe_target_groups()
        .names("edge-dns")
        .send()
        .await
        .unwrap();
    let tg = &tg.target_groups()[0];
    assert_eq!(tg.protocol().map(|p| p.as_str()), Some("UDP"));
    assert_eq!(tg.health_check_protocol().map(|p| p.as_str()), Some("TCP"));
    assert_eq!(tg.health_check_port(), Some("53"));
    let t = tags(&c, tg.target_group_arn().unwrap()).await;
    assert_eq!(t["lbctl:stack"], "edge");
    assert_eq!(t["protocol"], "udp");
}

#[tokio::test(flavor = "multi_thread")]
async fn gwlb_reads_back_as_specified() {
    let moto = Moto::seeded();
    apply(&moto, &support::repo_root().join("specs/gwlb.yaml")).success();
    let c = moto.elbv2().await;

    let arn = lb_arn(&c, "inspect").await;
    let lbs = c
        .describe_load_balancers()
        .load_balancer_arns(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        lbs.load_balancers()[0].r#type().map(|t| t.as_str()),
        Some("gateway")
    );
    assert_eq!(
        lb_attributes(&c, "inspect").await["load_balancing.cross_zone.enabled"],
        "true"
    );
    let listeners = c
        .describe_listeners()
        .load_balancer_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(listeners.listeners().len(), 1);
    assert_eq!(
        forwards_to(&c, &listeners.listeners()[0]).await,
        "inspect-appliances"
    );

    let tg = c
        .describe_target_groups()
        .names("inspect-appliances")
        .send()
        .await
        .unwrap();
    let tg = &tg.target_groups()[0];
    assert_eq!(tg.protocol().map(|p| p.as_str()), Some("GENEVE"));
    assert_eq!(tg.port(), Some(6081));
    assert_eq!(tg.health_check_path(), Some("/healthz"));
    let attrs = tg_attributes(&c, "inspect-appliances").await;
    assert_eq!(attrs["stickiness.type"], "source_ip_dest_ip");
    assert_eq!(
        support::read::target_ids(&c, "inspect-appliances").await,
        ["10.0.11.50:6081", "10.0.12.50:6081"]
    );
}

#[test]
fn swapping_rule_priorities_applies_without_priority_in_use() {
    let moto = Moto::seeded();
    let base = example("alb-blue-green.yaml");
    let spec = write_spec(&base);
    apply(&moto, &spec.path).success();

    // Swap the rules at 10 and 20. moto, unlike AWS, refuses a swap in one
    // SetRulePriorities call, so this also proves the moves go one by one
    // through a free priority.
    let swapped = base
        .replace("- priority: 10", "- priority: X")
        .replace("- priority: 20", "- priority: 10")
        .replace("- priority: X", "- priority: 20");
    assert_ne!(swapped, base);
    let spec = write_spec(&swapped);
    let plan = plan_json(&moto, &spec.path);
    let steps = plan["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .all(|s| s["kind"] == "rule" && s["action"] == "update"),
        "{plan:#}"
    );
    assert_eq!(plan["summary"]["create"], 0);
    assert_eq!(plan["summary"]["delete"], 0);
    apply(&moto, &spec.path).success();
    assert_converged(&moto, &spec.path);

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let https = listener(&c, "shop", 443).await;
        let rules = c
            .describe_rules()
            .listener_arn(https.listener_arn().unwrap())
            .send()
            .await
            .unwrap();
        let fixed = rules
            .rules()
            .iter()
            .find(|r| {
                r.actions()
                    .iter()
                    .any(|a| a.fixed_response_config().is_some())
            })
            .unwrap();
        assert_eq!(fixed.priority(), Some("10"));
    });
}

#[test]
fn example_nlb_blue_green_applies_and_converges() {
    check_example("nlb-blue-green.yaml");
}
