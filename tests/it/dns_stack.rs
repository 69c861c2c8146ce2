//! The stack's DNS is never dropped from management: a plan that leaves
//! the DNS file out of `-f` still finds the zones where the stack owns
//! record sets (by their hosted-zone tag `lbctl:stack:<stack>`) and the
//! health checks tagged with the stack, and plans their deletion; and the
//! tag itself is written, migrated and removed. Real binary against moto.

use crate::support;

use std::path::Path;

use serde_json::Value;
use support::{assert_converged, write_spec, Moto, SpecFile};

/// `specs/dns.yaml` split in two: the load balancing part, and the `dns:`
/// part as a file of its own.
fn split() -> (SpecFile, SpecFile) {
    let text = std::fs::read_to_string(support::repo_root().join("specs/dns.yaml")).unwrap();
    let (lb, dns) = text
        .split_once("\ndns:\n")
        .expect("specs/dns.yaml has a dns section");
    let dns = format!("version: 1\nstack: site\ndns:\n{dns}");
    (write_spec(lb), write_spec(&dns))
}

/// Runs lbctl with `args` then `-f` for each spec; returns exit code,
/// stdout, stderr.
fn run(moto: &Moto, args: &[&str], specs: &[&Path]) -> (Option<i32>, String, String) {
    let mut cmd = moto.lbctl();
    cmd.args(args);
    for s in specs {
        cmd.arg("-f").arg(s);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (action, kind, name) of every step of a JSON plan.
fn steps(json: &str) -> Vec<(String, String, String)> {
    let plan: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}:\n{json}"));
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let f = |k: &str| s[k].as_str().unwrap().to_string();
            (f("action"), f("kind"), f("name"))
        })
        .collect()
}

/// Tags of the zone `example.com.` and the IDs of all health checks.
async fn zone_tags_and_checks(moto: &Moto) -> (Vec<(String, String)>, Vec<String>) {
    let c = moto.route53().await;
    let zones = c.list_hosted_zones().send().await.unwrap();
    let zone = zones
        .hosted_zones()
        .iter()
        .find(|z| z.name() == "example.com.")
        .unwrap();
    let id = zone.id().trim_start_matches("/hostedzone/").to_string();
    let tags = c
        .list_tags_for_resource()
        .resource_type(aws_sdk_route53::types::TagResourceType::Hostedzone)
        .resource_id(&id)
        .send()
        .await
        .unwrap();
    let tags = tags
        .resource_tag_set()
        .map(|s| {
            s.tags()
                .iter()
                .map(|t| (t.key().unwrap().into(), t.value().unwrap().into()))
                .collect()
        })
        .unwrap_or_default();
    let checks = c.list_health_checks().send().await.unwrap();
    let ids = checks
        .health_checks()
        .iter()
        .map(|h| h.id().to_string())
        .collect();
    (tags, ids)
}

/// A health check tagged with the stack that no record uses (left behind
/// by a stopped apply, say).
async fn left_over_check(moto: &Moto) -> String {
    use aws_sdk_route53::types::{HealthCheckConfig, HealthCheckType, Tag, TagResourceType};
    let c = moto.route53().await;
    let config = HealthCheckConfig::builder()
        .r#type(HealthCheckType::Http)
        .fully_qualified_domain_name("left-over.example.com")
        .port(80)
        .resource_path("/")
        .build()
        .unwrap();
    let out = c
        .create_health_check()
        .caller_reference("left-over")
        .health_check_config(config)
        .send()
        .await
        .unwrap();
    let id = out.health_check().unwrap().id().to_string();
    c.change_tags_for_resource()
        .resource_type(TagResourceType::Healthcheck)
        .resource_id(&id)
        .add_tags(Tag::builder().key("lbctl:stack").value("site").build())
        .send()
        .await
        .unwrap();
    id
}

#[test]
fn leaving_the_dns_file_out_deletes_the_stacks_records_and_checks() {
    let moto = Moto::seeded();
    let (lb, dns) = split();
    let both = [lb.path.as_path(), dns.path.as_path()];
    let (code, out, err) = run(&moto, &["apply", "--auto-approve"], &both);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_converged_files(&moto, &both);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (tags, checks) = rt.block_on(zone_tags_and_checks(&moto));
    assert_eq!(tags, [("lbctl:stack:site".into(), "records".into())]);
    assert_eq!(checks.len(), 1, "the failover primary's health check");
    let left_over = rt.block_on(left_over_check(&moto));

    // Without the DNS file: every record set the stack owns goes, with
    // the health checks.
    let (code, json, err) = run(
        &moto,
        &["plan", "--detailed-exitcode", "--output", "json"],
        &[&lb.path],
    );
    assert_eq!(code, Some(2), "{json}\n{err}");
    let got = steps(&json);
    let deleted = |kind: &str, name: &str| {
        got.iter()
            .any(|(a, k, n)| a == "delete" && k == kind && n == name)
    };
    for name in ["www", "api", "app", "geo", "near", "plain"] {
        let set = format!("{name}.example.com. A");
        assert!(deleted("record_set", &set), "{set} not deleted: {got:?}");
        let owner = format!("_lbctl.a.{name}.example.com. TXT");
        assert!(
            deleted("record_set", &owner),
            "{owner} not deleted: {got:?}"
        );
    }
    assert!(deleted("health_check", &checks[0]), "{got:?}");
    assert!(deleted("health_check", &left_over), "{got:?}");
    assert!(
        got.iter()
            .any(|(a, k, n)| a == "update" && k == "hosted_zone" && n == "example.com."),
        "the zone is untagged: {got:?}"
    );
    assert!(
        !got.iter()
            .any(|(_, k, _)| k == "load_balancer" || k == "target_group"),
        "{got:?}"
    );

    // Six record sets of six: the safety threshold needs --force.
    let (code, out, err) = run(&moto, &["apply", "--auto-approve"], &[&lb.path]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(err.contains("max_record_delete_share"), "{err}");
    let (code, out, err) = run(&moto, &["apply", "--auto-approve", "--force"], &[&lb.path]);
    assert_eq!(code, Some(0), "{out}\n{err}");

    let (tags, checks) = rt.block_on(zone_tags_and_checks(&moto));
    assert!(tags.is_empty(), "{tags:?}");
    assert!(checks.is_empty(), "{checks:?}");
    let left: Vec<String> = rt
        .block_on(moto.record_sets("example.com"))
        .iter()
        .map(|r| r.name().to_string())
        .filter(|n| !n.starts_with("example.com"))
        .collect();
    assert!(left.is_empty(), "records left: {left:?}");
    assert_converged(&moto, &lb.path);
}

#[test]
fn zones_of_stacks_applied_before_the_tag_are_tagged_by_the_next_apply() {
    let moto = Moto::seeded();
    let (lb, dns) = split();
    let both = [lb.path.as_path(), dns.path.as_path()];
    let (code, out, err) = run(&moto, &["apply", "--auto-approve"], &both);
    assert_eq!(code, Some(0), "{out}\n{err}");
    // As an lbctl without the tag would have left it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.route53().await;
        let zones = c.list_hosted_zones().send().await.unwrap();
        let zone = zones
            .hosted_zones()
            .iter()
            .find(|z| z.name() == "example.com.")
            .unwrap();
        let id = zone.id().trim_start_matches("/hostedzone/");
        c.change_tags_for_resource()
            .resource_type(aws_sdk_route53::types::TagResourceType::Hostedzone)
            .resource_id(id)
            .remove_tag_keys("lbctl:stack:site")
            .send()
            .await
            .unwrap();
    });
    let (code, json, err) = run(
        &moto,
        &["plan", "--detailed-exitcode", "--output", "json"],
        &both,
    );
    assert_eq!(code, Some(2), "{json}\n{err}");
    assert_eq!(
        steps(&json),
        [("update".into(), "hosted_zone".into(), "example.com.".into())]
    );
    let (code, out, err) = run(&moto, &["apply", "--auto-approve"], &both);
    assert_eq!(code, Some(0), "{out}\n{err}");
    let (tags, _) = rt.block_on(zone_tags_and_checks(&moto));
    assert_eq!(tags, [("lbctl:stack:site".into(), "records".into())]);
    assert_converged_files(&moto, &both);
}

/// [`assert_converged`] for several files.
fn assert_converged_files(moto: &Moto, specs: &[&Path]) {
    let (code, out, err) = run(moto, &["plan", "--detailed-exitcode"], specs);
    assert_eq!(
        code,
        Some(0),
        "plan after apply is not empty:\n{out}\n{err}"
    );
}
