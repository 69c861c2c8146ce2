//! `lbctl export` against moto through the real binary: what it writes is
//! a valid spec, and planning it against the state it came from shows no
//! changes, both for stacks lbctl applied and for a load balancer it never
//! created.

use crate::support;

use std::path::{Path, PathBuf};

use aws_sdk_elasticloadbalancingv2 as elbv2;
use support::Moto;

/// The `stack:` of an example spec.
fn stack_of(text: &str) -> String {
    let doc: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    doc["stack"]
        .as_str()
        .expect("example spec has a stack")
        .to_string()
}

/// Runs `lbctl export ARGS` and writes its output to `dir/name`.
fn export(moto: &Moto, args: &[&str], dir: &Path, name: &str) -> (PathBuf, String) {
    let out = moto.lbctl().arg("export").args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "export {args:?} failed with {}:\n{stderr}",
        out.status
    );
    let path = dir.join(name);
    std::fs::write(&path, &stdout).unwrap();
    (path, format!("{stdout}\n--- stderr:\n{stderr}"))
}

/// `validate` passes and `plan --detailed-exitcode` exits 0; returns the
/// plan's stdout.
fn assert_round_trips(moto: &Moto, path: &Path, shown: &str) -> String {
    assert_plans(moto, path, shown, 0)
}

/// Like [`assert_round_trips`] for an export of resources the exported
/// stack does not own: plan finds nothing to change but refuses (exit 1),
/// as apply would without `--adopt`.
fn assert_round_trips_as_conflicts(moto: &Moto, path: &Path, shown: &str) -> String {
    let stdout = assert_plans(moto, path, shown, 1);
    assert!(!stdout.contains("to create"), "{stdout}");
    assert!(!stdout.contains("matches the spec"), "{stdout}");
    stdout
}

fn assert_plans(moto: &Moto, path: &Path, shown: &str, code: i32) -> String {
    let v = moto
        .lbctl()
        .args(["validate", "-f"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        v.status.success(),
        "exported spec does not validate:\n{}\n--- spec:\n{shown}",
        String::from_utf8_lossy(&v.stderr)
    );
    let p = moto
        .lbctl()
        .args(["plan", "--detailed-exitcode", "-f"])
        .arg(path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&p.stdout).into_owned();
    assert_eq!(
        p.status.code(),
        Some(code),
        "plan of the exported spec is not empty:\n{stdout}\n{}\n--- spec:\n{shown}",
        String::from_utf8_lossy(&p.stderr)
    );
    stdout
}

#[test]
fn every_example_stack_exports_to_a_spec_that_plans_no_changes() {
    let moto = Moto::start();
    moto.seed();
    let dir = tempfile::tempdir().unwrap();
    // All stacks side by side: each export must pick its own stack only.
    let specs = support::spec_files();
    for spec in &specs {
        let out = moto
            .lbctl()
            .args(["apply", "--auto-approve", "-f"])
            .arg(spec)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "apply {} failed:\n{}",
            spec.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for spec in &specs {
        let text = std::fs::read_to_string(spec).unwrap();
        let stack = stack_of(&text);
        let mut args = vec!["--stack", stack.as_str()];
        if text.contains("\ndns:") {
            args.extend(["--zone", "example.com"]);
        }
        let (path, shown) = export(&moto, &args, dir.path(), &format!("{stack}.yaml"));
        assert!(shown.contains(&format!("stack: {stack}\n")), "{shown}");
        assert_round_trips(&moto, &path, &shown);
    }
    // Without --stack a zone exports every record set; owned by other
    // stacks, they are conflicts and nothing is planned.
    let (path, shown) = export(&moto, &["--zone", "example.com"], dir.path(), "zone.yaml");
    assert!(shown.contains("stack: exported\n"), "{shown}");
    assert!(
        !shown.contains("_lbctl."),
        "ownership records are not exported:\n{shown}"
    );
    let plan = assert_round_trips_as_conflicts(&moto, &path, &shown);
    assert!(plan.contains("belongs to stack `site`"), "{plan}");
    // A load balancer with the whole zone: the stack is its tag, and the
    // aliases to it name it.
    let (path, shown) = export(
        &moto,
        &["--load-balancer", "site", "--zone", "example.com"],
        dir.path(),
        "site-zone.yaml",
    );
    assert!(shown.contains("stack: site\n"), "{shown}");
    assert!(shown.contains("load_balancer: site"), "{shown}");
    // The zone's other stacks' record sets are conflicts.
    let plan = assert_round_trips_as_conflicts(&moto, &path, &shown);
    assert!(plan.contains("belongs to stack `demo`"), "{plan}");
}

#[test]
fn a_load_balancer_lbctl_did_not_create_exports_with_its_target_group() {
    let moto = Moto::start();
    let seed = moto.seed();
    let ids = |key: &str| -> Vec<String> {
        seed[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let subnets = ids("public_subnet_ids");
    let vpc = seed["vpc_id"].as_str().unwrap().to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = moto.elbv2().await;
        let lb = c
            .create_load_balancer()
            .name("legacy-web")
            .set_subnets(Some(subnets.clone()))
            .tags(
                elbv2::types::Tag::builder()
                    .key("team")
                    .value("old")
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let lb_arn = lb.load_balancers()[0]
            .load_balancer_arn()
            .unwrap()
            .to_string();
        let tg = c
            .create_target_group()
            .name("legacy-web")
            .protocol(elbv2::types::ProtocolEnum::Http)
            .port(8080)
            .vpc_id(&vpc)
            .target_type(elbv2::types::TargetTypeEnum::Ip)
            .health_check_path("/ping")
            .send()
            .await
            .unwrap();
        let tg_arn = tg.target_groups()[0]
            .target_group_arn()
            .unwrap()
            .to_string();
        c.register_targets()
            .target_group_arn(&tg_arn)
            .targets(
                elbv2::types::TargetDescription::builder()
                    .id("10.0.11.99")
                    .port(8080)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        c.create_listener()
            .load_balancer_arn(&lb_arn)
            .protocol(elbv2::types::ProtocolEnum::Http)
            .port(80)
            .default_actions(
                elbv2::types::Action::builder()
                    .r#type(elbv2::types::ActionTypeEnum::Forward)
                    .target_group_arn(&tg_arn)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let (path, shown) = export(
        &moto,
        &["--load-balancer", "legacy-web"],
        dir.path(),
        "legacy.yaml",
    );
    assert!(shown.contains("stack: exported\n"), "{shown}");
    assert!(shown.contains("10.0.11.99"), "{shown}");
    assert!(shown.contains("forward: legacy-web"), "{shown}");
    assert!(!shown.contains("lbctl:stack"), "{shown}");
    // Said in the file and on stderr: the first apply needs --adopt.
    assert!(
        shown.contains("# stack `exported` does not own load balancer `legacy-web`"),
        "{shown}"
    );
    assert!(
        shown.contains("warning: stack `exported` does not own"),
        "{shown}"
    );
    assert!(shown.contains("apply with --adopt"), "{shown}");
    let plan = assert_round_trips_as_conflicts(&moto, &path, &shown);
    assert!(
        plan.contains("belongs to no stack"),
        "conflicts are reported:\n{plan}"
    );
}

#[test]
fn export_of_a_missing_load_balancer_fails() {
    let moto = Moto::start();
    let out = moto
        .lbctl()
        .args(["export", "--load-balancer", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("`nope` does not exist"), "{stderr}");
}

#[test]
fn a_stack_exports_with_its_dns_and_region_and_a_typo_is_an_error() {
    let moto = Moto::start();
    moto.seed();
    let spec = support::repo_root().join("specs/dns.yaml");
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().unwrap();
    // No --zone: the zones come from their tag for the stack.
    let (path, shown) = export(&moto, &["--stack", "site"], dir.path(), "site.yaml");
    assert!(shown.contains("stack: site\n"), "{shown}");
    assert!(shown.contains("region: us-east-1\n"), "{shown}");
    assert!(shown.contains("- zone: example.com\n"), "{shown}");
    assert!(shown.contains("name: api\n"), "{shown}");
    assert!(
        !shown.contains("--adopt"),
        "all of it is the stack's:\n{shown}"
    );
    assert_round_trips(&moto, &path, &shown);

    let out = moto
        .lbctl()
        .args(["export", "--stack", "typo"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stack `typo` owns nothing"), "{stderr}");
    assert!(out.stdout.is_empty(), "no spec is printed");

    // `lbctl export --stack S | head -1`: the reader leaves early.
    let mut piped = moto.command();
    piped.args(["export", "--stack", "site"]);
    let out = support::cmd::with_closed_stdout(piped);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
