//! Checks the test harness itself (tests/support): a private moto server starts,
//! `scripts/seed.py` seeds it idempotently, and the SDK can read the seeded state back.

use crate::support;

use support::Moto;

#[tokio::test]
async fn moto_starts_and_seed_is_idempotent() {
    let moto = Moto::start();
    let first = moto.seed();
    let second = moto.seed();

    assert_eq!(
        first["vpc_id"], second["vpc_id"],
        "second seed made a new VPC"
    );
    assert_eq!(first, second, "seeding twice must not create anything new");
    let public = first["public_subnet_ids"]
        .as_array()
        .expect("public_subnet_ids");
    assert_eq!(public.len(), 3, "seed output: {first:#}");
    assert_eq!(first["instances"]["blue"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        first["instances"]["green"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(
        first["certificates"]["lbctl-demo"],
        "arn:aws:iam::123456789012:server-certificate/lbctl-demo"
    );

    // The same state through the SDK, as the integration tests read it back.
    let ec2 = moto.ec2().await;
    let vpcs = ec2
        .describe_vpcs()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("tag:Name")
                .values("lbctl-demo")
                .build(),
        )
        .send()
        .await
        .expect("describe_vpcs");
    let ids: Vec<_> = vpcs.vpcs().iter().filter_map(|v| v.vpc_id()).collect();
    assert_eq!(ids, [first["vpc_id"].as_str().unwrap()]);

    // reset() wipes the server: the seeded VPC is gone afterwards.
    moto.reset();
    let after = ec2
        .describe_vpcs()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("tag:Name")
                .values("lbctl-demo")
                .build(),
        )
        .send()
        .await
        .expect("describe_vpcs after reset");
    assert!(after.vpcs().is_empty(), "reset left {:?}", after.vpcs());
}
