//! `lbctl destroy --stack S` against moto through the real binary: one
//! command deletes everything the stack owns, DNS included, behind apply's
//! confirmation and safety rails, and leaves everything else alone.

use crate::support;

use aws_sdk_route53::types::{
    Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet, RrType,
};
use support::Moto;

fn run(moto: &Moto, args: &[&str]) -> (Option<i32>, String, String) {
    let out = moto.lbctl().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A record set nobody owns, next to the stack's.
async fn foreign_record(moto: &Moto) {
    let c = moto.route53().await;
    let zones = c.list_hosted_zones().send().await.unwrap();
    let zone = zones
        .hosted_zones()
        .iter()
        .find(|z| z.name() == "example.com.")
        .unwrap();
    let set = ResourceRecordSet::builder()
        .name("mail.example.com.")
        .r#type(RrType::A)
        .ttl(300)
        .resource_records(
            ResourceRecord::builder()
                .value("192.0.2.99")
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let change = Change::builder()
        .action(ChangeAction::Create)
        .resource_record_set(set)
        .build()
        .unwrap();
    c.change_resource_record_sets()
        .hosted_zone_id(zone.id())
        .change_batch(ChangeBatch::builder().changes(change).build().unwrap())
        .send()
        .await
        .unwrap();
}

#[test]
fn destroy_deletes_what_the_stack_owns_dns_included_and_nothing_else() {
    let moto = Moto::start();
    moto.seed();
    let spec = support::repo_root().join("specs/dns.yaml");
    let spec = spec.to_str().unwrap();
    let (code, out, err) = run(&moto, &["apply", "--auto-approve", "-f", spec]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(foreign_record(&moto));

    // No terminal and no --auto-approve: refused before any change.
    let (code, _, err) = run(&moto, &["destroy", "--stack", "site"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("--auto-approve"), "{err}");
    // The safety rails hold: a load balancer and every record set.
    let (code, out, err) = run(&moto, &["destroy", "--stack", "site", "--auto-approve"]);
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(out.contains("- load_balancer site"), "{out}");
    assert!(out.contains("- record_set api.example.com. A"), "{out}");
    assert!(err.contains("--force"), "{err}");
    let lbs = || {
        rt.block_on(async {
            let c = moto.elbv2().await;
            let lbs = c.describe_load_balancers().send().await.unwrap();
            let tgs = c.describe_target_groups().send().await.unwrap();
            (lbs.load_balancers().len(), tgs.target_groups().len())
        })
    };
    assert_eq!(lbs(), (1, 1), "nothing was changed");

    let (code, out, err) = run(
        &moto,
        &["destroy", "--stack", "site", "--auto-approve", "--force"],
    );
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(lbs(), (0, 0));
    let names: Vec<String> = rt
        .block_on(moto.record_sets("example.com"))
        .iter()
        .map(|r| r.name().to_string())
        .filter(|n| n != "example.com.")
        .collect();
    assert_eq!(
        names,
        ["mail.example.com."],
        "only the foreign record is left"
    );
    let checks = rt.block_on(async {
        let c = moto.route53().await;
        c.list_health_checks()
            .send()
            .await
            .unwrap()
            .health_checks()
            .len()
    });
    assert_eq!(checks, 0);

    // Again: nothing left to destroy.
    let (code, out, err) = run(&moto, &["destroy", "--stack", "site", "--auto-approve"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(err.contains("owns nothing"), "{err}");
}
