//! Lossless reading of Route 53 against moto through the real binary: an
//! owned record set changed out of band into something the spec cannot
//! express (a managed health check inverted) is reported by plan, never
//! rewritten by apply without `--force`, and left out of export with a
//! warning (`docs/lossless.md`); one changed into what the spec can
//! express (a multivalue set) is planned like any other change.

use crate::support;

use std::path::Path;

use support::{assert_converged, write_spec, Moto};

fn started() -> Moto {
    let moto = Moto::start();
    moto.seed();
    moto
}

/// Run lbctl, expect success.
fn run(moto: &Moto, args: &[&str], spec: &Path) {
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
/// health checks: multivalue is modelled now (it was reported as unmanaged
/// before the December 2026 additions), so plan shows the live members as
/// multivalue members with no unmanaged warning, export writes them as a
/// `multivalue` record, and apply puts the spec's weighted set back
/// without --force.
#[test]
fn an_owned_name_turned_multivalue_is_modelled_and_planned_back_without_force() {
    let moto = started();
    let spec = write_spec(MV_SPEC);
    run(&moto, &["apply", "--auto-approve"], &spec.path);
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
    assert!(!warnings.contains("unmanaged live setting"), "{warnings}");
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

    let out = moto
        .lbctl()
        .args(["export", "--zone", "example.com"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let yaml = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        yaml.contains("name: mv\n") && yaml.contains("multivalue:") && yaml.contains("id: mv-a"),
        "{yaml}"
    );
    assert!(
        !stderr.contains("`mv.example.com. A` is left out"),
        "{stderr}"
    );

    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
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

/// An owned name turned multivalue that the spec then drops is deleted;
/// multivalue being modelled, nothing is reported as lost with it.
#[test]
fn an_owned_multivalue_name_the_spec_drops_is_deleted() {
    let moto = started();
    let keep = "      - { name: keep, type: A, ttl: 60, values: [198.51.100.9] }\n";
    let spec = write_spec(&format!("{MV_SPEC}{keep}"));
    run(&moto, &["apply", "--auto-approve"], &spec.path);
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
    assert!(!warnings.contains("unmanaged live setting"), "{warnings}");
    assert!(
        plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "mv.example.com. A" && s["action"] == "delete"),
        "{plan}"
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
    run(&moto, &["apply", "--auto-approve"], &spec.path);
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
