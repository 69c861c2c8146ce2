//! Tests of the spec -> model normalisation, on the full example spec in
//! `tests/fixtures/valid/full.yaml`, and of selector cardinality.

use std::path::PathBuf;

use crate::model::{Action, Matcher, TargetsMode, WeightedTargetGroup};
use crate::spec::{load, Resolved, Selector, SelectorKind, Spec};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/valid")
        .join(name)
}

fn full() -> Spec {
    load(&[fixture("full.yaml")]).unwrap_or_else(|e| panic!("{e}"))
}

fn tags(pairs: &[(&str, &str)]) -> Selector {
    Selector::Tags(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn resolved() -> Resolved {
    let mut r = Resolved::default();
    r.matches.insert(
        (SelectorKind::Vpc, tags(&[("Name", "prod")])),
        vec!["vpc-1".into()],
    );
    r.matches.insert(
        (SelectorKind::Subnet, tags(&[("tier", "public")])),
        vec!["subnet-a".into(), "subnet-b".into()],
    );
    r
}

#[test]
fn selectors_are_listed_once() {
    let sels = full().selectors();
    assert!(sels.contains(&(SelectorKind::Vpc, tags(&[("Name", "prod")]))));
    assert!(sels.contains(&(SelectorKind::Vpc, Selector::Id("vpc-0abc".into()))));
    assert!(sels.contains(&(SelectorKind::Subnet, Selector::Id("subnet-0aaa".into()))));
    assert!(sels.contains(&(SelectorKind::SecurityGroup, Selector::Id("sg-0123".into()))));
    assert_eq!(
        sels.iter().filter(|(k, _)| *k == SelectorKind::Vpc).count(),
        2
    );
}

#[test]
fn target_group_is_normalised_like_aws() {
    let model = full().to_model(&resolved()).unwrap();
    let tg = &model.target_groups["web-blue"];
    assert_eq!(tg.protocol.as_deref(), Some("HTTP"));
    assert_eq!(tg.port, Some(8080));
    assert_eq!(tg.vpc_id.as_deref(), Some("vpc-1"));
    assert_eq!(tg.target_type, "instance");
    let hc = &tg.health_check;
    assert_eq!(hc.port.as_deref(), Some("traffic-port"));
    assert_eq!((hc.interval, hc.timeout), (Some(15), Some(5)));
    assert_eq!(hc.matcher, Some(Matcher::HttpCode("200-299".into())));
    let a = &tg.attributes;
    assert_eq!(a["deregistration_delay.timeout_seconds"], "30");
    assert_eq!(a["slow_start.duration_seconds"], "0");
    assert_eq!(a["load_balancing.algorithm.type"], "weighted_random");
    assert_eq!(a["load_balancing.algorithm.anomaly_mitigation"], "on");
    assert_eq!(a["stickiness.enabled"], "true");
    assert_eq!(a["stickiness.type"], "app_cookie");
    assert_eq!(a["stickiness.app_cookie.duration_seconds"], "86400");
    assert_eq!(a["stickiness.app_cookie.cookie_name"], "SESSION");
    assert_eq!(
        a["load_balancing.cross_zone.enabled"],
        "use_load_balancer_configuration"
    );
    assert_eq!(
        a["target_group_health.dns_failover.minimum_healthy_targets.count"],
        "1"
    );
    assert_eq!(a.len(), 10, "only keys the spec sets: {a:?}");
    let ports: Vec<Option<u16>> = tg.targets.list.iter().map(|t| t.port).collect();
    assert_eq!(
        ports,
        [Some(8080), Some(9090)],
        "target port defaults to the TG port"
    );
    assert_eq!(tg.tags["lbctl:stack"], "web-prod");
    assert_eq!(tg.tags["cost-center"], "1234");

    let green = &model.target_groups["web-green"];
    assert_eq!(
        green.attributes["stickiness.lb_cookie.duration_seconds"],
        "3600"
    );
    assert_eq!(
        green.attributes["load_balancing.cross_zone.enabled"],
        "false"
    );
    assert_eq!(green.targets.mode, TargetsMode::Additive);
    assert_eq!(green.health_check, Default::default());

    let lambda = &model.target_groups["fn"];
    assert_eq!(
        (
            lambda.protocol.as_ref(),
            lambda.port,
            lambda.vpc_id.as_ref()
        ),
        (None, None, None)
    );
    assert_eq!(lambda.targets.list.iter().next().unwrap().port, None);

    let tcp = &model.target_groups["tcp"];
    assert_eq!(tcp.attributes["proxy_protocol_v2.enabled"], "true");
    assert_eq!(
        tcp.attributes["deregistration_delay.connection_termination.enabled"],
        "false"
    );
    assert_eq!(tcp.attributes["stickiness.type"], "source_ip");
}

#[test]
fn load_balancer_is_normalised_like_aws() {
    let model = full().to_model(&resolved()).unwrap();
    let lb = &model.load_balancers["web"];
    assert_eq!(
        (lb.lb_type.as_str(), lb.scheme.as_str()),
        ("application", "internet-facing")
    );
    assert_eq!(lb.ip_address_type, None);
    let subnets: Vec<&str> = lb.subnets.iter().map(String::as_str).collect();
    assert_eq!(subnets, ["subnet-0bbb", "subnet-a", "subnet-b"]);
    assert_eq!(lb.security_groups.as_ref().unwrap().len(), 1);
    let a = &lb.attributes;
    assert_eq!(a["idle_timeout.timeout_seconds"], "120");
    assert_eq!(a["routing.http2.enabled"], "true");
    assert_eq!(a["routing.http.drop_invalid_header_fields.enabled"], "true");
    assert_eq!(a["access_logs.s3.enabled"], "true");
    assert_eq!(a["access_logs.s3.bucket"], "my-logs");
    assert_eq!(a["access_logs.s3.prefix"], "");
    assert_eq!(a.len(), 7);

    let Action::Redirect(r) = &lb.listeners[&80].default_action else {
        panic!()
    };
    assert_eq!(
        (
            r.protocol.as_str(),
            r.port.as_str(),
            r.host.as_str(),
            r.path.as_str(),
            r.query.as_str(),
            r.status.as_str()
        ),
        ("HTTPS", "443", "#{host}", "/#{path}", "#{query}", "HTTP_301")
    );
    let https = &lb.listeners[&443];
    assert_eq!(
        https.certificates,
        ["arn:aws:acm:us-east-1:123456789012:certificate/abc"]
    );
    let Action::Forward(f) = &https.default_action else {
        panic!()
    };
    let w = |n: &str, weight| WeightedTargetGroup {
        name: n.into(),
        weight,
    };
    assert_eq!(f.target_groups, [w("web-blue", 90), w("web-green", 10)]);
    assert_eq!(f.stickiness, Some(3600));
    assert!(https.rules[&10].conditions.iter().any(
        |c| *c == crate::model::Condition::HttpRequestMethod(vec!["GET".into(), "HEAD".into()])
    ));
    let Action::Forward(f) = &https.rules[&10].action else {
        panic!()
    };
    assert_eq!(
        (f.target_groups.clone(), f.stickiness),
        (vec![w("fn", 1)], None)
    );
    let Action::FixedResponse(fr) = &https.rules[&20].action else {
        panic!()
    };
    assert_eq!(
        (fr.status.as_str(), fr.content_type.as_deref()),
        ("503", Some("text/plain"))
    );
    let Action::Forward(f) = &https.rules[&30].action else {
        panic!()
    };
    assert_eq!(
        f.target_groups,
        [w("web-green", 1)],
        "a lone target group gets weight 1"
    );

    let nlb = &model.load_balancers["nlb"];
    assert!(nlb.subnets.is_empty());
    assert_eq!(nlb.subnet_mappings[0].subnet, "subnet-0aaa");
    assert_eq!(nlb.security_groups, None);
    assert_eq!(nlb.attributes["load_balancing.cross_zone.enabled"], "true");
    let Action::Forward(f) = &nlb.listeners[&8443].default_action else {
        panic!()
    };
    assert!(f.target_groups[0]
        .name
        .starts_with("arn:aws:elasticloadbalancing:"));
    assert_eq!(
        nlb.listeners[&8443].alpn_policy.as_deref(),
        Some("HTTP2Preferred")
    );
}

#[test]
fn selectors_must_match() {
    let mut r = resolved();
    r.matches.insert(
        (SelectorKind::Vpc, tags(&[("Name", "prod")])),
        vec!["vpc-1".into(), "vpc-2".into()],
    );
    r.matches
        .insert((SelectorKind::Subnet, tags(&[("tier", "public")])), vec![]);
    r.matches.insert(
        (SelectorKind::SecurityGroup, Selector::Id("sg-0123".into())),
        vec![],
    );
    let errs = full().to_model(&r).unwrap_err().0;
    let msgs: Vec<(&str, usize)> = errs.iter().map(|d| (d.message.as_str(), d.line)).collect();
    assert_eq!(
        msgs,
        [
            ("VPC selector `{ tags: { Name: prod } }` matched 2 VPCs (vpc-1, vpc-2); exactly one is expected", 14),
            ("subnet selector `{ tags: { tier: public } }` matched nothing", 63),
            ("security group selector `sg-0123` matched nothing", 64),
        ]
    );
}
