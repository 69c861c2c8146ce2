//! Route 53 end to end: the `dns:` section applied to moto through the real
//! binary, read back with the SDK. API calls are counted with `-v`.

mod support;

use std::path::Path;

use support::{assert_converged, write_spec, Moto};

fn example() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/dns.yaml")).unwrap()
}

fn started() -> Moto {
    let moto = Moto::start();
    moto.seed();
    moto
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
    let moto = started();
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
    let moto = started();
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
    let moto = started();
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
    let moto = started();
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
    let moto = started();
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
    let moto = started();
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

const MV_SPEC: &str = r#"
version: 1
stack: mvs
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: mv
        type: A
        ttl: 60
        weighted:
          - { id: mv-blue, weight: 50, values: [198.51.100.1] }
          - { id: mv-green, weight: 50, values: [198.51.100.2] }
"#;

/// The `mv` members as (set id, multivalue, has a health check), sorted.
fn mv_members(moto: &Moto) -> Vec<(String, bool, bool, Option<i64>)> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut out: Vec<_> = rt
        .block_on(moto.record_set("example.com", "mv.example.com.", "A"))
        .iter()
        .map(|r| {
            (
                r.set_identifier().unwrap_or_default().to_string(),
                r.multi_value_answer() == Some(true),
                r.health_check_id().is_some(),
                r.weight(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A name the stack owns, turned out of band into a multivalue set with
/// health checks: plan reports it as that (no simple-record diff), apply
/// refuses to rewrite it without --force and leaves it intact, export
/// leaves it out with a warning, and --force applies the spec.
#[test]
fn an_owned_name_turned_multivalue_is_reported_and_not_rewritten_without_force() {
    let moto = started();
    let spec = write_spec(MV_SPEC);
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    moto.script(
        "multivalue_records.py",
        &["--zone", "example.com", "--name", "mv"],
    );
    let multivalue: Vec<_> = ["mv-a", "mv-b", "mv-c"]
        .iter()
        .map(|id| (id.to_string(), true, true, None))
        .collect();
    assert_eq!(mv_members(&moto), multivalue);
    // A change to the record set; also keeps moto from refusing to CREATE
    // again what an earlier change created (moto, not AWS).
    let changed = MV_SPEC
        .replace("mv-blue, weight: 50", "mv-blue, weight: 70")
        .replace("mv-green, weight: 50", "mv-green, weight: 30");
    let spec = write_spec(&changed);

    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "--detailed-exitcode", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = plan["warnings"].to_string();
    assert!(
        warnings.contains(
            "`mv-a.multivalue`, `mv-b.multivalue`, `mv-c.multivalue`: multivalue answer routing"
        ),
        "{warnings}"
    );
    assert!(warnings.contains("unmanaged live setting: record set `mv.example.com. A`"));
    // The live members show as multivalue members, never as simple ones.
    let step = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "mv.example.com. A")
        .unwrap_or_else(|| panic!("no step for mv: {plan}"));
    let before: Vec<&serde_json::Value> = step["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["before"])
        .filter(|b| !b.is_null())
        .collect();
    assert_eq!(before.len(), 3, "{step}");
    assert!(before.iter().all(|b| b["multivalue"] == true), "{step}");

    let text = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains("unmanaged live setting"), "{text}");

    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("record set `mv.example.com. A` would lose `mv-a.multivalue`"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(mv_members(&moto), multivalue, "apply changed the set");

    // A saved plan is refused the same way.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    moto.lbctl()
        .args(["plan", "--out"])
        .arg(&saved)
        .arg("-f")
        .arg(&spec.path)
        .assert()
        .success();
    let out = moto.lbctl().arg("apply").arg(&saved).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("would lose `mv-a.multivalue`"), "{stderr}");
    assert_eq!(mv_members(&moto), multivalue, "apply PLAN changed the set");

    let out = moto
        .lbctl()
        .args(["export", "--zone", "example.com"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let yaml = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !yaml.contains("mv-a") && !yaml.contains("name: mv\n"),
        "{yaml}"
    );
    assert!(
        stderr.contains("record set `mv.example.com. A` is left out")
            && stderr.contains("`mv-b.multivalue`"),
        "{stderr}"
    );

    moto.lbctl()
        .args(["apply", "--auto-approve", "--force", "-f"])
        .arg(&spec.path)
        .assert()
        .success();
    assert_eq!(
        mv_members(&moto),
        [
            ("mv-blue".to_string(), false, false, Some(70)),
            ("mv-green".to_string(), false, false, Some(30))
        ]
    );
    assert_converged(&moto, &spec.path);
}

/// An owned name turned multivalue that the spec then drops is deleted
/// without --force (nothing the spec wants is lost); the plan says what
/// goes with it.
#[test]
fn an_owned_multivalue_name_the_spec_drops_is_deleted_and_the_plan_says_so() {
    let moto = started();
    let keep = "      - { name: keep, type: A, ttl: 60, values: [198.51.100.9] }\n";
    let spec = write_spec(&format!("{MV_SPEC}{keep}"));
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    moto.script(
        "multivalue_records.py",
        &["--zone", "example.com", "--name", "mv"],
    );
    let dropped = MV_SPEC[..MV_SPEC.find("      - name: mv").unwrap()].to_string() + keep;
    let spec = write_spec(&dropped);
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = plan["warnings"].to_string();
    assert!(
        warnings.contains("record set `mv.example.com. A` has `mv-a.multivalue`")
            && warnings.contains("the spec no longer lists it, so it is deleted with them"),
        "{warnings}"
    );
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .assert()
        .success();
    assert_eq!(mv_members(&moto), []);
    assert_converged(&moto, &spec.path);
}

const HC_SPEC: &str = r#"
version: 1
stack: hcs
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: hc
        type: A
        ttl: 60
        failover:
          primary:
            id: hc-primary
            values: [203.0.113.10]
            health_check: { type: HTTPS, fqdn: hc-primary.example.com, path: /health }
          secondary: { id: hc-secondary, values: [203.0.113.11] }
"#;

/// A managed HTTPS health check reads back with nothing unmanaged (lbctl
/// sends SNI on explicitly; moto stores off otherwise); inverted out of
/// band, it is reported on its record set, whose rewrite apply refuses
/// without --force.
#[test]
fn a_managed_health_check_inverted_out_of_band_is_reported_on_its_record_set() {
    let moto = started();
    let spec = write_spec(HC_SPEC);
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    let plan_warnings = |spec: &Path| {
        let out = moto
            .lbctl()
            .args(["plan", "--output", "json", "-f"])
            .arg(spec)
            .output()
            .unwrap();
        let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        plan["warnings"].to_string()
    };
    assert!(!plan_warnings(&spec.path).contains("unmanaged"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let id = moto
            .record_set("example.com", "hc.example.com.", "A")
            .await
            .iter()
            .find_map(|r| r.health_check_id().map(str::to_string))
            .expect("the primary has a health check");
        moto.route53()
            .await
            .update_health_check()
            .health_check_id(id)
            .inverted(true)
            .send()
            .await
            .unwrap();
    });
    let changed = write_spec(&HC_SPEC.replace("203.0.113.11", "203.0.113.12"));
    let warnings = plan_warnings(&changed.path);
    assert!(
        warnings.contains("`hc-primary.health_check.inverted`: health check `"),
        "{warnings}"
    );
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&changed.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("would lose `hc-primary.health_check.inverted`"),
        "{stderr}"
    );
    moto.lbctl()
        .args(["apply", "--auto-approve", "--force", "-f"])
        .arg(&changed.path)
        .assert()
        .success();
}
