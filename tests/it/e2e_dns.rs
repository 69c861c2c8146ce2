//! Route 53 end to end: the `dns:` section applied to moto through the real
//! binary, read back with the SDK. API calls are counted with `-v`.

use crate::support;

use std::path::Path;

use support::{assert_converged, write_spec, Moto};

fn example() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/dns.yaml")).unwrap()
}

/// Run lbctl with `-v`, expect success, return stderr.
fn run_v(moto: &Moto, args: &[&str], spec: &Path) -> String {
    let out = moto
        .lbctl()
        .args(args)
        .arg("-v")
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "lbctl {args:?} failed:\n{}\n{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    stderr
}

/// How many calls of `operation` the `-v` line reports.
fn calls(stderr: &str, operation: &str) -> u64 {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("api calls:"))
        .unwrap_or_else(|| panic!("no `api calls:` line in:\n{stderr}"));
    line.split([' ', '(', ')'])
        .find_map(|w| w.strip_prefix(&format!("{operation}=")))
        .map(|n| n.parse().unwrap())
        .unwrap_or(0)
}

/// Every record set of the zone as (name, type, set id, weight, values,
/// alias DNS name).
async fn records(moto: &Moto) -> Vec<(String, String, String, i64, Vec<String>, String)> {
    let mut out: Vec<_> = moto
        .record_sets("example.com")
        .await
        .iter()
        .map(|r| {
            (
                r.name().to_string(),
                r.r#type().as_str().to_string(),
                r.set_identifier().unwrap_or_default().to_string(),
                r.weight().unwrap_or(-1),
                r.resource_records()
                    .iter()
                    .map(|v| v.value().to_string())
                    .collect(),
                r.alias_target()
                    .map(|a| a.dns_name().to_string())
                    .unwrap_or_default(),
            )
        })
        .collect();
    // moto repeats records where a page ends inside a weighted set.
    out.sort();
    out.dedup();
    out
}

#[test]
fn dns_example_reads_back_as_specified() {
    let moto = Moto::seeded();
    let spec = support::repo_root().join("specs/dns.yaml");
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .assert()
        .success();
    assert_converged(&moto, &spec);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (recs, lb_dns) = rt.block_on(async {
        let lbs = moto
            .elbv2()
            .await
            .describe_load_balancers()
            .names("site")
            .send()
            .await
            .unwrap();
        let dns = lbs.load_balancers()[0].dns_name().unwrap().to_string();
        (records(&moto).await, dns)
    });
    let find = |name: &str, t: &str| {
        recs.iter()
            .filter(|r| r.0 == name && r.1 == t)
            .collect::<Vec<_>>()
    };
    // The alias to the load balancer created by the same apply.
    let www = find("www.example.com.", "A");
    assert_eq!(www.len(), 1);
    assert_eq!(
        www[0].5.trim_end_matches('.').to_lowercase(),
        lb_dns.trim_end_matches('.').to_lowercase()
    );
    let api = find("api.example.com.", "A");
    assert_eq!(
        api.iter().map(|r| (r.2.as_str(), r.3)).collect::<Vec<_>>(),
        [("api-blue", 50), ("api-green", 50)]
    );
    assert_eq!(find("app.example.com.", "A").len(), 2);
    assert_eq!(find("geo.example.com.", "A").len(), 2);
    assert_eq!(find("near.example.com.", "A").len(), 2);
    assert_eq!(
        find("plain.example.com.", "A")[0].4,
        ["192.0.2.1", "192.0.2.2"]
    );
    // Ownership records.
    let owner = find("_lbctl.a.api.example.com.", "TXT");
    assert_eq!(owner[0].4, ["\"lbctl:stack=site\""]);
    // The managed health check exists and is tagged.
    rt.block_on(async {
        let c = moto.route53().await;
        let checks = c.list_health_checks().send().await.unwrap();
        assert_eq!(checks.health_checks().len(), 1);
        let cfg = checks.health_checks()[0].health_check_config().unwrap();
        assert_eq!(cfg.resource_path(), Some("/health"));
        assert_eq!(
            cfg.fully_qualified_domain_name(),
            Some("app-primary.example.com")
        );
    });
}

#[test]
fn a_big_zone_is_read_in_pages_and_records_not_named_are_untouched() {
    let moto = Moto::seeded();
    moto.script(
        "seed_records.py",
        &["--zone", "example.com", "--count", "1500"],
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let bulk = |recs: Vec<(String, String, String, i64, Vec<String>, String)>| {
        recs.into_iter()
            .filter(|r| r.0.contains(".bulk."))
            .collect::<Vec<_>>()
    };
    let before = bulk(rt.block_on(records(&moto)));
    assert_eq!(before.len(), 1500);

    let spec = support::repo_root().join("specs/dns.yaml");
    let stderr = run_v(&moto, &["plan"], &spec);
    // 1,500 records and more read 300 at a time.
    assert!(calls(&stderr, "ListResourceRecordSets") >= 5, "{stderr}");
    run_v(&moto, &["apply", "--auto-approve"], &spec);
    assert_converged(&moto, &spec);
    let after = bulk(rt.block_on(records(&moto)));
    assert_eq!(before, after, "records the spec does not name were changed");
}

#[test]
fn a_weighted_shift_is_one_change_call() {
    let moto = Moto::seeded();
    let base = example();
    let spec = write_spec(&base);
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);

    let shifted = base
        .replace("api-blue, weight: 50", "api-blue, weight: 90")
        .replace("api-green, weight: 50", "api-green, weight: 10");
    assert_ne!(shifted, base);
    let spec = write_spec(&shifted);
    let plan = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(
        text.contains("traffic share: api-blue 50% -> 90%, api-green 50% -> 10%"),
        "{text}"
    );
    let stderr = run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    assert_eq!(calls(&stderr, "ChangeResourceRecordSets"), 1, "{stderr}");
    let recs = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(records(&moto));
    let weights: Vec<(String, i64)> = recs
        .iter()
        .filter(|r| r.0 == "api.example.com.")
        .map(|r| (r.2.clone(), r.3))
        .collect();
    assert_eq!(weights, [("api-blue".into(), 90), ("api-green".into(), 10)]);
    assert_converged(&moto, &spec.path);
}

#[test]
fn simple_to_weighted_is_one_change_call() {
    let moto = Moto::seeded();
    let base = example();
    let spec = write_spec(&base);
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);

    let weighted = base.replace(
        "        values: [192.0.2.1, 192.0.2.2]",
        "        weighted:\n          - { id: plain-a, weight: 1, values: [192.0.2.1] }\n          - { id: plain-b, weight: 3, values: [192.0.2.2] }",
    );
    assert_ne!(weighted, base);
    let spec = write_spec(&weighted);
    let stderr = run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    assert_eq!(calls(&stderr, "ChangeResourceRecordSets"), 1, "{stderr}");
    assert_converged(&moto, &spec.path);
}

#[test]
fn a_thousand_values_take_at_most_two_change_calls() {
    let moto = Moto::seeded();
    let mut spec =
        String::from("version: 1\nstack: many\ndns:\n  - zone: example.com\n    records:\n");
    for i in 0..100 {
        spec.push_str(&format!(
            "      - name: m{i}\n        type: A\n        ttl: 60\n        values: ["
        ));
        let values: Vec<String> = (0..10).map(|j| format!("10.9.{i}.{j}")).collect();
        spec.push_str(&values.join(", "));
        spec.push_str("]\n");
    }
    let spec = write_spec(&spec);
    let stderr = run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    let n = calls(&stderr, "ChangeResourceRecordSets");
    assert!((1..=2).contains(&n), "{n} change calls\n{stderr}");
    assert_converged(&moto, &spec.path);
}

#[test]
fn lower_ttl_first_lowers_waits_then_changes() {
    let moto = Moto::seeded();
    let spec = |value: &str| {
        write_spec(&format!(
            "version: 1\nstack: ttl\ndns:\n  - zone: example.com\n    records:\n      - name: slow\n        type: A\n        ttl: 3\n        values: [{value}]\n"
        ))
    };
    let before = spec("192.0.2.1");
    run_v(&moto, &["apply", "--auto-approve"], &before.path);

    let after = spec("192.0.2.2");
    let stderr = run_v(
        &moto,
        &[
            "apply",
            "--auto-approve",
            "--lower-ttl-first",
            "--lower-ttl-to",
            "1",
        ],
        &after.path,
    );
    assert!(
        stderr.contains("waiting 3 s for resolvers to drop the old TTL"),
        "{stderr}"
    );
    // One batch lowers the TTL, one makes the change.
    assert_eq!(calls(&stderr, "ChangeResourceRecordSets"), 2, "{stderr}");
    let recs = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(records(&moto));
    let slow: Vec<&Vec<String>> = recs
        .iter()
        .filter(|r| r.0 == "slow.example.com." && r.1 == "A")
        .map(|r| &r.4)
        .collect();
    assert_eq!(slow, [&vec!["192.0.2.2".to_string()]]);
    assert_converged(&moto, &after.path);
}
