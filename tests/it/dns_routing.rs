//! Route 53 routing kinds end to end against moto through the real binary
//! (`specs/dns-routing.yaml`): multivalue answer sets with managed health
//! checks, geoproximity members, a latency-over-failover tree through
//! aliases to records of the same zone, and the HTTPS, TLSA and SSHFP
//! types, applied in one run, read back with the SDK, planned empty, and
//! exported to a spec that plans empty; a name switched simple ->
//! multivalue -> weighted in one change batch per step; and the offline
//! errors with their place and fix.

use crate::support;

use std::path::Path;

use support::{assert_converged, write_spec, Moto};

fn example() -> std::path::PathBuf {
    support::repo_root().join("specs/dns-routing.yaml")
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

#[test]
fn every_routing_kind_applies_in_one_run_reads_back_and_exports_to_an_empty_plan() {
    let moto = Moto::seeded();
    let spec = example();
    run_v(&moto, &["apply", "--auto-approve"], &spec);
    assert_converged(&moto, &spec);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (zone_id, sets) = rt.block_on(async {
        let c = moto.route53().await;
        let zones = c
            .list_hosted_zones_by_name()
            .dns_name("example.com")
            .send()
            .await
            .unwrap();
        let id = zones.hosted_zones()[0]
            .id()
            .trim_start_matches("/hostedzone/")
            .to_string();
        (id, moto.record_sets("example.com").await)
    });
    let named = |name: &str, t: &str| {
        let mut v: Vec<_> = sets
            .iter()
            .filter(|r| r.name() == name && r.r#type().as_str() == t)
            .cloned()
            .collect();
        v.sort_by(|a, b| a.set_identifier().cmp(&b.set_identifier()));
        v.dedup();
        v
    };
    // Multivalue: three members, each with its own managed health check.
    let mv = named("mv.example.com.", "A");
    assert_eq!(mv.len(), 3, "{mv:?}");
    assert!(mv.iter().all(|r| r.multi_value_answer() == Some(true)));
    let checks: std::collections::BTreeSet<_> =
        mv.iter().filter_map(|r| r.health_check_id()).collect();
    assert_eq!(checks.len(), 3, "{mv:?}");
    // Geoproximity: region with bias, Local Zone group, coordinates.
    let near = named("nearest.example.com.", "A");
    let geo: Vec<_> = near
        .iter()
        .map(|r| r.geo_proximity_location().expect("geoproximity"))
        .collect();
    assert_eq!(geo.len(), 3, "{near:?}");
    assert_eq!(geo[0].local_zone_group(), Some("us-west-2-lax-1"));
    let nyc = geo[1].coordinates().unwrap();
    assert_eq!((nyc.latitude(), nyc.longitude()), ("40.71", "-74.01"));
    assert_eq!(
        (geo[2].aws_region(), geo[2].bias()),
        (Some("us-east-1"), Some(10))
    );
    // Latency over failover through aliases to records of the zone.
    let svc = named("svc.example.com.", "A");
    let targets: Vec<_> = svc
        .iter()
        .map(|r| {
            let a = r.alias_target().unwrap();
            (
                a.dns_name().to_string(),
                a.hosted_zone_id().to_string(),
                a.evaluate_target_health(),
            )
        })
        .collect();
    assert_eq!(
        targets,
        [
            ("svc-euw1.example.com.".to_string(), zone_id.clone(), true),
            ("svc-use1.example.com.".to_string(), zone_id.clone(), true)
        ]
    );
    assert_eq!(named("svc-use1.example.com.", "A").len(), 2);
    let web2 = named("web2.example.com.", "A");
    assert_eq!(
        web2[0].alias_target().unwrap().dns_name(),
        "web.example.com."
    );
    // CIDR: the collection with its two locations, and the records that
    // route by them (by the collection's ID).
    let collection = rt.block_on(async {
        let c = moto.route53().await;
        let all = c.list_cidr_collections().send().await.unwrap();
        let corp = all
            .cidr_collections()
            .iter()
            .find(|c| c.name() == Some("routing-corp"))
            .expect("collection routing-corp")
            .clone();
        let id = corp.id().unwrap().to_string();
        let blocks = c
            .list_cidr_blocks()
            .collection_id(&id)
            .send()
            .await
            .unwrap();
        let mut blocks: Vec<(String, String)> = blocks
            .cidr_blocks()
            .iter()
            .map(|b| {
                (
                    b.location_name().unwrap().into(),
                    b.cidr_block().unwrap().into(),
                )
            })
            .collect();
        blocks.sort();
        (id, blocks)
    });
    let pair = |l: &str, b: &str| (l.to_string(), b.to_string());
    assert_eq!(
        collection.1,
        [
            pair("hq", "10.1.0.0/16"),
            pair("hq", "10.2.0.0/16"),
            pair("lab", "192.168.50.0/24")
        ]
    );
    let office = named("office.example.com.", "A");
    let mut routed: Vec<_> = office
        .iter()
        .map(|r| {
            let c = r.cidr_routing_config().expect("cidr routing");
            (c.collection_id().to_string(), c.location_name().to_string())
        })
        .collect();
    routed.sort();
    assert_eq!(
        routed,
        [
            (collection.0.clone(), "*".to_string()),
            (collection.0.clone(), "hq".to_string()),
            (collection.0.clone(), "lab".to_string())
        ]
    );
    // The new record types, values as written.
    let https = named("example.com.", "HTTPS");
    assert_eq!(
        https[0].resource_records()[0].value(),
        "1 . alpn=h2,h3 port=443"
    );
    assert_eq!(named("_443._tcp.web.example.com.", "TLSA").len(), 1);
    assert_eq!(named("host.example.com.", "SSHFP").len(), 1);

    // Exported, the zone is a spec that plans no changes.
    let out = moto
        .lbctl()
        .args(["export", "--stack", "routing", "--zone", "example.com"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let yaml = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!stderr.contains("is left out"), "{stderr}\n{yaml}");
    for want in [
        "multivalue:",
        "geoproximity:",
        "record: svc-use1",
        "type: HTTPS",
        "cidr_collections:",
        "collection: routing-corp",
    ] {
        assert!(yaml.contains(want), "no `{want}` in:\n{yaml}");
    }
    let exported = write_spec(&yaml);
    assert_converged(&moto, &exported.path);
}

const SWITCH: &str = r#"
version: 1
stack: switch
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: flip
        type: A
        ttl: 60
        values: [198.51.100.1, 198.51.100.2]
"#;

const MULTIVALUE: &str = r#"        multivalue:
          - { id: flip-a, values: [198.51.100.1] }
          - { id: flip-b, values: [198.51.100.2] }
"#;

const WEIGHTED: &str = r#"        weighted:
          - { id: flip-a, weight: 70, values: [198.51.100.1] }
          - { id: flip-b, weight: 30, values: [198.51.100.2] }
"#;

/// Simple -> multivalue -> weighted on one name: each switch is one
/// ChangeResourceRecordSets call (DELETEs and CREATEs in one batch), and
/// each converges.
#[test]
fn switching_a_name_between_routing_kinds_is_one_change_batch_each() {
    let moto = Moto::seeded();
    let spec = write_spec(SWITCH);
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    assert_converged(&moto, &spec.path);
    let plain = "        values: [198.51.100.1, 198.51.100.2]\n";
    for (kind, members) in [("multivalue", MULTIVALUE), ("weighted", WEIGHTED)] {
        let spec = write_spec(&SWITCH.replace(plain, members));
        let stderr = run_v(&moto, &["apply", "--auto-approve"], &spec.path);
        assert_eq!(
            calls(&stderr, "ChangeResourceRecordSets"),
            1,
            "{kind}: {stderr}"
        );
        assert_converged(&moto, &spec.path);
        let rt = tokio::runtime::Runtime::new().unwrap();
        let live = rt.block_on(moto.record_set("example.com", "flip.example.com.", "A"));
        let mut ids: Vec<_> = live
            .iter()
            .map(|r| {
                let multivalue = r.multi_value_answer() == Some(true);
                (
                    r.set_identifier().unwrap_or_default().to_string(),
                    multivalue,
                    r.weight(),
                )
            })
            .collect();
        ids.sort();
        ids.dedup();
        let want = match kind {
            "multivalue" => vec![("flip-a".into(), true, None), ("flip-b".into(), true, None)],
            _ => vec![
                ("flip-a".into(), false, Some(70)),
                ("flip-b".into(), false, Some(30)),
            ],
        };
        assert_eq!(ids, want, "{kind}");
    }
}

const BAD: &str = r#"version: 1
stack: bad
dns:
  - zone: example.com
    records:
      - name: nearest
        type: A
        geoproximity:
          - { id: a, region: us-east-1, bias: 100, values: [198.51.100.6] }
      - name: loop-a
        type: A
        alias: { record: loop-b }
      - name: loop-b
        type: A
        alias: { record: loop-a }
      - name: "@"
        type: HTTPS
        values: ["1 . alpn=h2 colour=blue"]
      - name: office
        type: A
        cidr:
          collection: corp
          members:
            - { id: hq, location: head-office, values: [10.1.0.10] }
cidr_collections:
  corp:
    locations: { hq: [10.1.0.0/16] }
"#;

/// Offline errors, all in one run, each with file:line:column and a fix;
/// nothing reaches AWS (no moto is started).
#[test]
fn routing_mistakes_are_refused_offline_with_place_and_fix() {
    let spec = write_spec(BAD);
    let out = assert_cmd::Command::cargo_bin("lbctl")
        .unwrap()
        .args(["validate", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (line, col, message, hint) in [
        (9, 47, "bias (100) must be between -99 and 99", "a positive bias grows"),
        (
            15,
            26,
            "aliases form a cycle: `loop-a.example.com. A` -> `loop-b.example.com. A` -> `loop-a.example.com. A`",
            "point one of them elsewhere",
        ),
        (
            18,
            18,
            "HTTPS value `1 . alpn=h2 colour=blue` has unknown parameter `colour`",
            "write `PRIORITY TARGET [KEY=VALUE...]`",
        ),
        (
            24,
            35,
            "location `head-office` is not in CIDR collection `corp`",
            "use one of `hq` or `*` (every other client)",
        ),
    ] {
        let at = format!("spec.yaml:{line}:{col}:");
        let found = stderr
            .lines()
            .position(|l| l.contains(&at) && l.contains(message))
            .unwrap_or_else(|| panic!("no `{at}` `{message}` in:\n{stderr}"));
        let next = stderr.lines().nth(found + 1).unwrap_or_default();
        assert!(next.contains("hint:") && next.contains(hint), "{next}\n{stderr}");
    }
    assert!(stderr.contains("4 problems in the spec"), "{stderr}");
}

const CIDR: &str = r#"
version: 1
stack: cidr
region: us-east-1
cidr_collections:
  cidr-corp:
    locations:
      hq: [10.1.0.0/16]
      lab: [192.168.50.0/24]
dns:
  - zone: example.com
    records:
      - name: desk
        type: A
        ttl: 60
        cidr:
          collection: cidr-corp
          members:
            - { id: desk-hq, location: hq, values: [10.1.0.10] }
            - { id: desk-lab, location: lab, values: [192.168.50.10] }
            - { id: desk-rest, location: "*", values: [198.51.100.40] }
"#;

/// A collection changed with its records: a block added to `hq`, `lab`
/// and its member dropped. The block goes in before the record change and
/// `lab` goes after it (a location a record still uses must stay), each
/// ChangeCidrCollection with the collection's version; the result plans
/// empty.
#[test]
fn a_cidr_collection_changes_around_its_records_and_converges() {
    let moto = Moto::seeded();
    let spec = write_spec(CIDR);
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    assert_converged(&moto, &spec.path);
    let changed = CIDR
        .replace("hq: [10.1.0.0/16]", "hq: [10.1.0.0/16, 10.3.0.0/16]")
        .replace("      lab: [192.168.50.0/24]\n", "")
        .replace(
            "            - { id: desk-lab, location: lab, values: [192.168.50.10] }\n",
            "",
        );
    let spec = write_spec(&changed);
    let out = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let at = |s: &str| {
        text.find(s)
            .unwrap_or_else(|| panic!("no `{s}` in:\n{text}"))
    };
    let (put, records) = (
        at("~ cidr_collection cidr-corp"),
        at("~ record_set desk.example.com. A"),
    );
    let prune = text.rfind("~ cidr_collection cidr-corp").unwrap();
    assert!(put < records && records < prune, "{text}");
    let stderr = run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    assert_eq!(calls(&stderr, "ChangeCidrCollection"), 2, "{stderr}");
    assert_eq!(calls(&stderr, "ChangeResourceRecordSets"), 1, "{stderr}");
    assert_converged(&moto, &spec.path);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let blocks = rt.block_on(async {
        let c = moto.route53().await;
        let all = c.list_cidr_collections().send().await.unwrap();
        let id = all.cidr_collections()[0].id().unwrap().to_string();
        let blocks = c.list_cidr_blocks().collection_id(id).send().await.unwrap();
        let mut v: Vec<String> = blocks
            .cidr_blocks()
            .iter()
            .map(|b| format!("{} {}", b.location_name().unwrap(), b.cidr_block().unwrap()))
            .collect();
        v.sort();
        v
    });
    assert_eq!(blocks, ["hq 10.1.0.0/16", "hq 10.3.0.0/16"]);
}

/// A collection changed out of band between plan and apply: the saved
/// plan's ChangeCidrCollection carries the version the plan read, so
/// Route 53 refuses it instead of applying over the other change.
#[test]
fn a_saved_plan_does_not_overwrite_a_collection_changed_since() {
    let moto = Moto::seeded();
    let spec = write_spec(CIDR);
    run_v(&moto, &["apply", "--auto-approve"], &spec.path);
    let changed = write_spec(&CIDR.replace("hq: [10.1.0.0/16]", "hq: [10.1.0.0/16, 10.3.0.0/16]"));
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("plan.json");
    moto.lbctl()
        .args(["plan", "--out"])
        .arg(&saved)
        .arg("-f")
        .arg(&changed.path)
        .assert()
        .success();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.route53().await;
        let all = c.list_cidr_collections().send().await.unwrap();
        let id = all.cidr_collections()[0].id().unwrap().to_string();
        let change = aws_sdk_route53::types::CidrCollectionChange::builder()
            .location_name("lab")
            .action(aws_sdk_route53::types::CidrCollectionChangeAction::Put)
            .cidr_list("192.168.51.0/24")
            .build()
            .unwrap();
        c.change_cidr_collection()
            .id(id)
            .changes(change)
            .send()
            .await
            .unwrap();
    });
    let out = moto.lbctl().arg("apply").arg(&saved).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Exit 3: apply stopped (before changing anything).
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("CidrCollectionVersionMismatch"), "{stderr}");
}
