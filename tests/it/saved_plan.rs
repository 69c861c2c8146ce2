//! Saved plans end to end: `plan --out FILE` then `apply FILE`, with the
//! real `lbctl` binary and the real AWS SDK against a moto server (see
//! `tests/support`). A saved plan applies without a prompt; it is refused,
//! naming what moved and changing nothing, when live state changed since
//! it was made; it never holds a SecureString value.

use crate::support;

use std::path::{Path, PathBuf};

use aws_sdk_elasticloadbalancingv2 as elbv2;
use support::Moto;

const SECRET: &str = "Sup3r-S3cret-Banner-42";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn demo() -> PathBuf {
    support::repo_root().join("specs/demo.yaml")
}

/// Runs lbctl; returns (exit code, stdout, stderr).
fn lbctl(moto: &Moto, args: &[&str]) -> (i32, String, String) {
    let out = moto.lbctl().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `plan --out FILE -f SPEC`, which must succeed.
fn save_plan(moto: &Moto, spec: &Path, file: &Path) {
    let (code, stdout, stderr) = lbctl(moto, &["plan", "--out", path(file), "-f", path(spec)]);
    assert_eq!(code, 0, "plan --out failed:\n{stdout}\n{stderr}");
    assert!(stderr.contains("saved the plan"), "{stderr}");
}

fn assert_converged(moto: &Moto, spec: &Path) {
    let (code, stdout, stderr) = lbctl(moto, &["plan", "--detailed-exitcode", "-f", path(spec)]);
    assert_eq!(code, 0, "plan is not empty:\n{stdout}\n{stderr}");
}

async fn target_group(c: &elbv2::Client, name: &str) -> Option<elbv2::types::TargetGroup> {
    let out = c.describe_target_groups().send().await.unwrap();
    out.target_groups()
        .iter()
        .find(|tg| tg.target_group_name() == Some(name))
        .cloned()
}

async fn load_balancer_exists(c: &elbv2::Client, name: &str) -> bool {
    let out = c.describe_load_balancers().send().await.unwrap();
    out.load_balancers()
        .iter()
        .any(|lb| lb.load_balancer_name() == Some(name))
}

#[test]
fn a_saved_plan_applies_without_a_prompt_and_converges() {
    let moto = Moto::seeded();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    save_plan(&moto, &demo(), &file);

    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["kind"], "lbctl-saved-plan");
    assert_eq!(saved["format_version"], 1);
    assert_eq!(saved["stack"], "demo");
    assert_eq!(saved["fingerprints"]["target_group/demo-web"], "absent");
    assert_eq!(saved["fingerprints"]["load_balancer/demo-web"], "absent");
    assert!(
        saved["fingerprints"]["zone/example.com."]
            .as_str()
            .unwrap()
            .starts_with("sha256:"),
        "{saved:#}"
    );
    assert!(saved["summary"]["create"].as_u64().unwrap() > 0);

    // stdin is not a terminal and there is no --auto-approve.
    let (code, stdout, stderr) = lbctl(&moto, &["apply", path(&file)]);
    assert_eq!(
        code, 0,
        "apply of the saved plan failed:\n{stdout}\n{stderr}"
    );
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        assert!(target_group(&elb, "demo-web").await.is_some());
        assert!(load_balancer_exists(&elb, "demo-web").await);
    });
    assert_converged(&moto, &demo());

    // The same plan again: everything it was made from has changed.
    let (code, _, stderr) = lbctl(&moto, &["apply", path(&file)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("target_group `demo-web` was created since the plan was made"),
        "{stderr}"
    );
}

#[test]
fn a_saved_plan_is_refused_when_an_object_changed_since() {
    let moto = Moto::seeded();
    let (code, _, stderr) = lbctl(&moto, &["apply", "--auto-approve", "-f", path(&demo())]);
    assert_eq!(code, 0, "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("demo.yaml");
    let text = std::fs::read_to_string(demo()).unwrap();
    assert!(text.contains("interval: 15"));
    std::fs::write(&spec, text.replace("interval: 15", "interval: 30")).unwrap();
    let file = dir.path().join("p.json");
    save_plan(&moto, &spec, &file);

    // Someone changes the target group meanwhile.
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        let tg = target_group(&elb, "demo-web").await.unwrap();
        elb.modify_target_group_attributes()
            .target_group_arn(tg.target_group_arn().unwrap())
            .attributes(
                elbv2::types::TargetGroupAttribute::builder()
                    .key("deregistration_delay.timeout_seconds")
                    .value("77")
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });

    let (code, stdout, stderr) = lbctl(&moto, &["apply", path(&file)]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("target_group `demo-web` changed since the plan was made"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert!(stderr.contains("hint: make a new plan"), "{stderr}");
    assert!(
        !stderr.contains("load_balancer"),
        "only what moved: {stderr}"
    );
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        let tg = target_group(&elb, "demo-web").await.unwrap();
        assert_eq!(tg.health_check_interval_seconds(), Some(15), "unchanged");
    });
}

#[test]
fn a_saved_plan_is_refused_when_an_absent_object_was_created_since() {
    let moto = Moto::start();
    let seed = moto.seed();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    save_plan(&moto, &demo(), &file);

    // Someone else creates a load balancer with the spec's name.
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        let subnets: Vec<String> = seed["public_subnet_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect();
        elb.create_load_balancer()
            .name("demo-web")
            .set_subnets(Some(subnets))
            .send()
            .await
            .unwrap();
    });

    let (code, stdout, stderr) = lbctl(&moto, &["apply", path(&file)]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("load_balancer `demo-web` was created since the plan was made"),
        "{stderr}"
    );
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        assert!(
            target_group(&elb, "demo-web").await.is_none(),
            "nothing applied"
        );
    });
}

fn put_parameter(moto: &Moto, name: &str, value: &str, secure: bool) {
    moto.put_parameter(name, value, secure);
}

#[test]
fn a_saved_plan_never_holds_a_secret_and_applies_with_it() {
    let moto = Moto::seeded();
    put_parameter(&moto, "/lbctl-test/web/port", "8080", false);
    put_parameter(&moto, "/lbctl-test/web/banner", SECRET, true);
    let spec = support::repo_root().join("tests/fixtures/ssm/demo.yaml");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    save_plan(&moto, &spec, &file);

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(SECRET) && !text.contains("S3cret"), "{text}");
    assert!(
        text.contains("(sensitive ssm:/lbctl-test/web/banner)"),
        "the operations name the parameter:\n{text}"
    );

    let (code, stdout, stderr) = lbctl(&moto, &["apply", path(&file)]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stdout.contains(SECRET) && !stderr.contains(SECRET));
    runtime().block_on(async {
        let elb = moto.elbv2().await;
        let tg = target_group(&elb, "demo-web").await.unwrap();
        let tags = elb
            .describe_tags()
            .resource_arns(tg.target_group_arn().unwrap())
            .send()
            .await
            .unwrap();
        let banner = tags.tag_descriptions()[0]
            .tags()
            .iter()
            .find(|t| t.key() == Some("banner"))
            .and_then(|t| t.value().map(str::to_string));
        assert_eq!(banner.as_deref(), Some(SECRET), "AWS got the real value");
    });
    assert_converged(&moto, &spec);

    // A secret rotated after planning is a change like any other.
    save_plan(&moto, &spec, &file);
    put_parameter(
        &moto,
        "/lbctl-test/web/banner",
        "R0tated-Banner-Value-7",
        true,
    );
    let (code, stdout, stderr) = lbctl(&moto, &["apply", path(&file)]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("SSM parameter `/lbctl-test/web/banner` changed since the plan was made"),
        "{stderr}"
    );
    assert!(!stderr.contains("R0tated"), "{stderr}");
}

#[test]
fn apply_takes_a_saved_plan_or_spec_files_not_both() {
    let moto = Moto::start();
    // Usage errors: exit 64, never 2.
    for args in [
        &["apply"][..],
        &["apply", "p.json", "-f", "specs/demo.yaml"],
        &["apply", "p.json", "--adopt"],
    ] {
        let (code, _, stderr) = lbctl(&moto, args);
        assert_eq!(code, 64, "{args:?}: {stderr}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(&file, r#"{"format_version": 1, "stack": "x"}"#).unwrap();
    let (code, _, stderr) = lbctl(&moto, &["apply", path(&file)]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("not an lbctl saved plan"), "{stderr}");
}
