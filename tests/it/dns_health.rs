//! Route 53 health checks lbctl manages, end to end against moto through
//! the real binary (December 2026 additions): string matching with its
//! settings, calculated checks over children the spec declares (created
//! before their parent, deleted after it), a change Route 53 cannot make in
//! place (a new check, the records moved to it, then the old one deleted),
//! inverted and disabled checks and their export, and the offline errors.
//!
//! moto lacks parts of this; `tests/support/plugin_route53_health.py`
//! adds them, and refuses a calculated check whose children do not exist
//! and the delete of a child its parent still names, so a wrong order of
//! lbctl's steps fails here.

use crate::support;

use std::path::Path;

use aws_sdk_route53::types::HealthCheck;
use support::{assert_converged, write_spec, Moto};

/// Run lbctl with `-f spec`, expect success; returns stdout.
fn run(moto: &Moto, args: &[&str], spec: &Path) -> String {
    let out = moto
        .lbctl()
        .args(args)
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "lbctl {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The plan's steps as (action, kind, name, notes).
fn plan_steps(moto: &Moto, spec: &Path) -> Vec<(String, String, String, String)> {
    let out = run(moto, &["plan", "--output", "json"], spec);
    let plan: serde_json::Value = serde_json::from_str(&out).unwrap();
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["action"].as_str().unwrap_or_default().to_string(),
                s["kind"].as_str().unwrap_or_default().to_string(),
                s["name"].as_str().unwrap_or_default().to_string(),
                s["notes"].to_string(),
            )
        })
        .collect()
}

fn position(
    steps: &[(String, String, String, String)],
    what: impl Fn(&(String, String, String, String)) -> bool,
) -> usize {
    steps
        .iter()
        .position(what)
        .unwrap_or_else(|| panic!("no such step in {steps:#?}"))
}

/// Every health check in moto, by ID.
fn checks(moto: &Moto) -> Vec<HealthCheck> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        moto.route53()
            .await
            .list_health_checks()
            .send()
            .await
            .unwrap()
            .health_checks()
            .to_vec()
    })
}

/// The health check ID of the record `name` A with set identifier `id`.
fn check_of(moto: &Moto, name: &str, id: &str) -> Option<String> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(moto.record_set("example.com", name, "A"))
        .iter()
        .find(|r| r.set_identifier() == Some(id))
        .and_then(|r| r.health_check_id().map(str::to_string))
}

fn check_by_id(moto: &Moto, id: &str) -> HealthCheck {
    checks(moto)
        .into_iter()
        .find(|c| c.id() == id)
        .unwrap_or_else(|| panic!("no health check `{id}`"))
}

/// Export the stack's zone and assert that planning the export finds
/// nothing to change; returns the exported text.
fn assert_export_round_trips(moto: &Moto, stack: &str) -> String {
    let out = moto
        .lbctl()
        .args(["export", "--stack", stack, "--zone", "example.com"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "export failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported = write_spec(&text);
    run(moto, &["validate"], &exported.path);
    let plan = moto
        .lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(&exported.path)
        .output()
        .unwrap();
    assert_eq!(
        plan.status.code(),
        Some(0),
        "plan of the export is not empty:\n{}\n--- export:\n{text}",
        String::from_utf8_lossy(&plan.stdout)
    );
    text
}

const MATCH_SPEC: &str = r#"
version: 1
stack: hcs
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: app
        type: A
        ttl: 60
        failover:
          primary:
            id: app-primary
            values: [203.0.113.1]
            health_check:
              type: HTTPS_STR_MATCH
              fqdn: app.example.com
              path: /health
              search_string: "status: ok"
              regions: [us-east-1, eu-west-1, ap-southeast-1]
              measure_latency: true
              enable_sni: false
          secondary: { id: app-secondary, values: [203.0.113.2] }
"#;

#[test]
fn a_string_match_check_applies_with_its_settings_and_plans_empty() {
    let moto = Moto::seeded();
    let spec = write_spec(MATCH_SPEC);
    run(&moto, &["apply", "--auto-approve"], &spec.path);
    let id = check_of(&moto, "app.example.com.", "app-primary").expect("the primary has a check");
    let hc = check_by_id(&moto, &id);
    let c = hc.health_check_config().unwrap();
    assert_eq!(c.r#type().as_str(), "HTTPS_STR_MATCH");
    assert_eq!(c.search_string(), Some("status: ok"));
    let mut regions: Vec<&str> = c.regions().iter().map(|r| r.as_str()).collect();
    regions.sort();
    assert_eq!(regions, ["ap-southeast-1", "eu-west-1", "us-east-1"]);
    assert_eq!(c.measure_latency(), Some(true));
    assert_eq!(c.enable_sni(), Some(false));
    assert_converged(&moto, &spec.path);
    let exported = assert_export_round_trips(&moto, "hcs");
    let everywhere = write_spec(&MATCH_SPEC.replace(
        "              regions: [us-east-1, eu-west-1, ap-southeast-1]\n",
        "",
    ));
    // Left out, the regions return to Route 53's default, in place.
    let out = run(&moto, &["plan"], &everywhere.path);
    assert!(
        out.contains("~ health_check") && out.contains("health_check.regions"),
        "{out}"
    );
    run(&moto, &["apply", "--auto-approve"], &everywhere.path);
    assert_eq!(
        check_of(&moto, "app.example.com.", "app-primary"),
        Some(id.clone())
    );
    let c = check_by_id(&moto, &id);
    assert!(c.health_check_config().unwrap().regions().is_empty());
    assert_converged(&moto, &everywhere.path);
    assert!(
        exported.contains("search_string: 'status: ok'")
            || exported.contains("search_string: \"status: ok\""),
        "{exported}"
    );
}

#[test]
fn an_immutable_change_replaces_the_check_after_moving_the_records() {
    let moto = Moto::seeded();
    let spec = write_spec(MATCH_SPEC);
    run(&moto, &["apply", "--auto-approve"], &spec.path);
    let old = check_of(&moto, "app.example.com.", "app-primary").unwrap();
    // `measure_latency` cannot change in place; the search string can.
    let changed = write_spec(
        &MATCH_SPEC
            .replace("measure_latency: true", "measure_latency: false")
            .replace("status: ok", "healthy"),
    );
    let steps = plan_steps(&moto, &changed.path);
    let create = position(&steps, |s| s.0 == "create" && s.1 == "health_check");
    let moved = position(&steps, |s| {
        s.1 == "record_set" && s.2 == "app.example.com. A"
    });
    let delete = position(&steps, |s| {
        s.0 == "delete" && s.1 == "health_check" && s.2 == old
    });
    assert!(create < moved && moved < delete, "{steps:#?}");
    assert!(
        steps[create]
            .3
            .contains(&format!("replaces health check `{old}`")),
        "{steps:#?}"
    );
    assert!(steps[create].3.contains("`measure_latency`"), "{steps:#?}");
    assert!(
        !steps
            .iter()
            .any(|s| s.0 == "update" && s.1 == "health_check"),
        "{steps:#?}"
    );
    run(&moto, &["apply", "--auto-approve"], &changed.path);
    let new = check_of(&moto, "app.example.com.", "app-primary").unwrap();
    assert_ne!(new, old);
    let ids: Vec<String> = checks(&moto).iter().map(|c| c.id().to_string()).collect();
    assert_eq!(ids, std::slice::from_ref(&new), "the old check is deleted");
    let c = check_by_id(&moto, &new);
    assert_eq!(
        c.health_check_config().unwrap().search_string(),
        Some("healthy")
    );
    assert_converged(&moto, &changed.path);
}

const CALC_SPEC: &str = r#"
version: 1
stack: calc
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: calc
        type: A
        ttl: 60
        failover:
          primary:
            id: calc-primary
            values: [203.0.113.5]
            health_check:
              type: calculated
              healthy_threshold: 1
              children:
                - { type: HTTPS, fqdn: a.example.com, path: /health }
                - { type: TCP, ip_address: 192.0.2.10, port: 22 }
          secondary: { id: calc-secondary, values: [203.0.113.6] }
"#;

#[test]
fn a_calculated_check_is_created_after_its_children_and_deleted_before_them() {
    let moto = Moto::seeded();
    let spec = write_spec(CALC_SPEC);
    let steps = plan_steps(&moto, &spec.path);
    let child0 = position(&steps, |s| {
        s.0 == "create" && s.2.ends_with("[calc-primary] children[0]")
    });
    let child1 = position(&steps, |s| {
        s.0 == "create" && s.2.ends_with("[calc-primary] children[1]")
    });
    let parent = position(&steps, |s| {
        s.0 == "create" && s.1 == "health_check" && s.2.ends_with("[calc-primary]")
    });
    assert!(child0 < parent && child1 < parent, "{steps:#?}");
    run(&moto, &["apply", "--auto-approve"], &spec.path);

    let id = check_of(&moto, "calc.example.com.", "calc-primary").unwrap();
    let parent_check = check_by_id(&moto, &id);
    let c = parent_check.health_check_config().unwrap();
    assert_eq!(c.r#type().as_str(), "CALCULATED");
    assert_eq!(c.health_threshold(), Some(1));
    let children: Vec<String> = c.child_health_checks().to_vec();
    assert_eq!(children.len(), 2);
    let types: std::collections::BTreeSet<String> = children
        .iter()
        .map(|child| {
            check_by_id(&moto, child)
                .health_check_config()
                .unwrap()
                .r#type()
                .as_str()
                .to_string()
        })
        .collect();
    assert_eq!(types, ["HTTPS".to_string(), "TCP".to_string()].into());
    assert_eq!(checks(&moto).len(), 3);
    assert_converged(&moto, &spec.path);
    assert_export_round_trips(&moto, "calc");

    // Changing a child updates it in place; the parent stays.
    let changed = write_spec(&CALC_SPEC.replace("port: 22", "port: 2222"));
    let steps = plan_steps(&moto, &changed.path);
    assert!(
        steps
            .iter()
            .any(|s| s.0 == "update" && s.2.ends_with("children[1]")),
        "{steps:#?}"
    );
    assert!(
        !steps.iter().any(|s| s.0 == "create" || s.0 == "delete"),
        "{steps:#?}"
    );
    run(&moto, &["apply", "--auto-approve"], &changed.path);
    assert_eq!(
        check_of(&moto, "calc.example.com.", "calc-primary"),
        Some(id.clone())
    );
    assert_converged(&moto, &changed.path);

    // Dropping the check deletes the parent first, then its children.
    let dropped = write_spec(
        r#"
version: 1
stack: calc
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: calc
        type: A
        ttl: 60
        failover:
          primary: { id: calc-primary, values: [203.0.113.5] }
          secondary: { id: calc-secondary, values: [203.0.113.6] }
"#,
    );
    let steps = plan_steps(&moto, &dropped.path);
    let parent = position(&steps, |s| s.0 == "delete" && s.2 == id);
    for child in &children {
        let at = position(&steps, |s| s.0 == "delete" && &s.2 == child);
        assert!(parent < at, "{steps:#?}");
    }
    run(&moto, &["apply", "--auto-approve"], &dropped.path);
    assert!(checks(&moto).is_empty(), "{:?}", checks(&moto));
    assert_converged(&moto, &dropped.path);
}

const FLAGS_SPEC: &str = r#"
version: 1
stack: flags
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: flags
        type: A
        ttl: 60
        failover:
          primary:
            id: flags-primary
            values: [203.0.113.7]
            health_check: { type: HTTP, fqdn: flags.example.com, inverted: true, disabled: true }
          secondary: { id: flags-secondary, values: [203.0.113.8] }
"#;

#[test]
fn inverted_and_disabled_round_trip_and_export() {
    let moto = Moto::seeded();
    let spec = write_spec(FLAGS_SPEC);
    run(&moto, &["apply", "--auto-approve"], &spec.path);
    let id = check_of(&moto, "flags.example.com.", "flags-primary").unwrap();
    let hc = check_by_id(&moto, &id);
    let c = hc.health_check_config().unwrap();
    assert_eq!((c.inverted(), c.disabled()), (Some(true), Some(true)));
    assert_converged(&moto, &spec.path);
    let exported = assert_export_round_trips(&moto, "flags");
    assert!(
        exported.contains("inverted: true") && exported.contains("disabled: true"),
        "{exported}"
    );

    // Left out, both are turned off in place.
    let plain = write_spec(&FLAGS_SPEC.replace(", inverted: true, disabled: true", ""));
    let out = run(&moto, &["plan"], &plain.path);
    assert!(out.contains("health_check.inverted"), "{out}");
    assert!(out.contains("health_check.disabled"), "{out}");
    run(&moto, &["apply", "--auto-approve"], &plain.path);
    let c = check_by_id(&moto, &id);
    let c = c.health_check_config().unwrap();
    assert_eq!((c.inverted(), c.disabled()), (Some(false), Some(false)));
    assert_converged(&moto, &plain.path);
}

#[test]
fn bad_health_checks_are_refused_offline_with_places_and_fixes() {
    let spec = write_spec(
        r#"version: 1
stack: bad
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: app
        type: A
        ttl: 60
        failover:
          primary:
            id: app-primary
            values: [203.0.113.1]
            health_check:
              type: HTTP_STR_MATCH
              fqdn: app.example.com
              regions: [us-east-1, mars-1]
          secondary:
            id: app-secondary
            values: [203.0.113.2]
            health_check:
              type: calculated
              healthy_threshold: 3
              children:
                - { type: HTTPS, fqdn: a.example.com }
                - hc-123
"#,
    );
    // No server: validate makes no AWS call.
    let out = support::cmd::bare()
        .args(["validate", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (place, message, hint) in [
        (
            "spec.yaml:14:13:",
            "a `HTTP_STR_MATCH` health check needs `search_string`",
            "hint: add the text Route 53 must find",
        ),
        (
            "spec.yaml:17:15:",
            "a health check needs at least 3 health checker regions; `regions` lists 2",
            "hint: add regions, or leave `regions` out",
        ),
        (
            "spec.yaml:17:36:",
            "`mars-1` is not a Route 53 health checker region",
            "hint: health checker regions: `ap-northeast-1`",
        ),
        (
            "spec.yaml:23:34:",
            "healthy threshold (3) is above the number of children (2)",
            "hint: use at most 2",
        ),
    ] {
        let line = stderr
            .lines()
            .position(|l| l.contains(place) && l.contains(message))
            .unwrap_or_else(|| panic!("no `{place} ... {message}` in:\n{stderr}"));
        let next = stderr.lines().nth(line + 1).unwrap_or_default();
        assert!(next.contains(hint), "{message}: {next}\n{stderr}");
    }
    assert!(stderr.contains("4 problems in the spec"), "{stderr}");
}

#[test]
fn the_example_spec_applies_every_kind_of_check_and_converges() {
    let moto = Moto::seeded();
    let spec = support::repo_root().join("specs/dns-health.yaml");
    run(&moto, &["apply", "--auto-approve"], &spec);
    let kind = |name: &str, id: &str| {
        let check = check_of(&moto, name, id).unwrap_or_else(|| panic!("{id} has no check"));
        let hc = check_by_id(&moto, &check);
        hc.health_check_config().unwrap().clone()
    };
    let status = kind("status.example.com.", "hl-primary");
    assert_eq!(status.search_string(), Some("status: ok"));
    assert_eq!(status.regions().len(), 3);
    let calc = kind("pool.example.com.", "hl-a");
    assert_eq!(calc.r#type().as_str(), "CALCULATED");
    assert_eq!(calc.child_health_checks().len(), 2);
    let alarm = kind("pool.example.com.", "hl-b");
    assert_eq!(
        alarm.alarm_identifier().map(|a| a.name()),
        Some("pool-b-5xx")
    );
    assert_eq!(
        alarm.insufficient_data_health_status().map(|s| s.as_str()),
        Some("LastKnownStatus")
    );
    let control = kind("pool.example.com.", "hl-c");
    assert!(control.routing_control_arn().unwrap().ends_with("/pool-c"));
    let off = kind("pool.example.com.", "hl-d");
    assert_eq!(off.disabled(), Some(true));
    // Four member checks, two children, one string match.
    assert_eq!(checks(&moto).len(), 7);
    assert_converged(&moto, &spec);
    let exported = assert_export_round_trips(&moto, "health");
    let alarm_id = check_of(&moto, "pool.example.com.", "hl-b").unwrap();
    // The alarm and what no data means change in place.
    let text = std::fs::read_to_string(&spec).unwrap();
    let changed = write_spec(&text.replace("pool-b-5xx", "pool-b-latency").replace(
        "insufficient_data: last_known",
        "insufficient_data: unhealthy",
    ));
    run(&moto, &["apply", "--auto-approve"], &changed.path);
    assert_eq!(
        check_of(&moto, "pool.example.com.", "hl-b"),
        Some(alarm_id.clone())
    );
    let c = check_by_id(&moto, &alarm_id);
    let c = c.health_check_config().unwrap();
    assert_eq!(
        c.alarm_identifier().map(|a| a.name()),
        Some("pool-b-latency")
    );
    assert_eq!(
        c.insufficient_data_health_status().map(|s| s.as_str()),
        Some("Unhealthy")
    );
    assert_converged(&moto, &changed.path);
    // Destroy deletes every check, each calculated one before its children
    // (the plugin refuses deleting a child its parent still names).
    let out = moto
        .lbctl()
        .args(["destroy", "--stack", "health", "--auto-approve", "--force"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "destroy failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(checks(&moto).is_empty(), "{:?}", checks(&moto));
    for key in [
        "type: calculated",
        "type: cloudwatch_alarm",
        "type: recovery_control",
        "insufficient_data: last_known",
    ] {
        assert!(exported.contains(key), "{key}:\n{exported}");
    }
}

#[test]
fn keys_of_other_types_and_bad_alarms_or_controls_are_refused_offline() {
    let spec = write_spec(
        r#"version: 1
stack: bad
region: us-east-1
dns:
  - zone: example.com
    records:
      - name: app
        type: A
        ttl: 60
        weighted:
          - id: a
            weight: 1
            values: [203.0.113.1]
            health_check: { type: HTTP, fqdn: a.example.com, enable_sni: false, search_string: ok }
          - id: b
            weight: 1
            values: [203.0.113.2]
            health_check:
              type: cloudwatch_alarm
              alarm: { name: x, region: mars-1 }
              insufficient_data: maybe
          - id: c
            weight: 1
            values: [203.0.113.3]
            health_check: { type: recovery_control, routing_control: pool-c }
          - id: d
            weight: 1
            values: [203.0.113.4]
            health_check:
              type: calculated
              healthy_threshold: 1
              port: 80
              children:
                - { type: calculated, healthy_threshold: 0, children: [hc-1] }
"#,
    );
    let out = support::cmd::bare()
        .args(["validate", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    for (place, message) in [
        (
            "spec.yaml:14:74:",
            "`enable_sni` only applies to HTTPS health checks",
        ),
        (
            "spec.yaml:14:96:",
            "`search_string` only applies to `HTTP_STR_MATCH`",
        ),
        ("spec.yaml:20:41:", "`mars-1` is not a CloudWatch region"),
        ("spec.yaml:21:34:", "unknown insufficient_data `maybe`"),
        ("spec.yaml:25:70:", "`pool-c` is not an ARN"),
        (
            "spec.yaml:32:21:",
            "`port` only applies to endpoint health checks",
        ),
        (
            "spec.yaml:34:27:",
            "a child of a calculated health check cannot be calculated itself",
        ),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(place) && l.contains(message)),
            "no `{place} ... {message}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("7 problems in the spec"), "{stderr}");
}

/// A search string and a child's port from SecureString parameters: never
/// shown by plan (text or JSON) or apply, sent to Route 53 as they are.
#[test]
fn secure_values_in_health_checks_are_never_shown() {
    const TOKEN: &str = "probe-7f3a9c";
    const PORT: &str = "222";
    let moto = Moto::seeded();
    moto.put_parameter("/lbctl-test/hc/token", TOKEN, true);
    moto.put_parameter("/lbctl-test/hc/port", PORT, true);
    let spec = write_spec(
        r#"
version: 1
stack: hcsecret
region: us-east-1
parameters:
  token: { ssm: /lbctl-test/hc/token }
  db_port: { ssm: /lbctl-test/hc/port }
dns:
  - zone: example.com
    records:
      - name: secret
        type: A
        ttl: 60
        failover:
          primary:
            id: secret-primary
            values: [203.0.113.30]
            health_check:
              type: calculated
              healthy_threshold: 2
              children:
                - { type: HTTP_STR_MATCH, fqdn: s.example.com, search_string: "${token}" }
                - { type: TCP, ip_address: 192.0.2.30, port: "${db_port}" }
          secondary: { id: secret-secondary, values: [203.0.113.31] }
"#,
    );
    let shown = |text: &str| {
        text.contains(TOKEN) || text.split(|c: char| !c.is_ascii_digit()).any(|w| w == PORT)
    };
    for args in [&["plan"][..], &["plan", "--output", "json"][..]] {
        let out = run(&moto, args, &spec.path);
        assert!(!shown(&out), "{args:?} shows a secret:\n{out}");
        assert!(out.contains("(sensitive)"), "{out}");
    }
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{all}");
    assert!(!shown(&all), "apply shows a secret:\n{all}");
    let id = check_of(&moto, "secret.example.com.", "secret-primary").unwrap();
    let parent = check_by_id(&moto, &id);
    let children = parent
        .health_check_config()
        .unwrap()
        .child_health_checks()
        .to_vec();
    let configs: Vec<_> = children
        .iter()
        .map(|c| check_by_id(&moto, c).health_check_config().unwrap().clone())
        .collect();
    assert!(configs.iter().any(|c| c.search_string() == Some(TOKEN)));
    assert!(configs.iter().any(|c| c.port() == Some(222)));
    assert_converged(&moto, &spec.path);
}
