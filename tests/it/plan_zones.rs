//! The availability zones of a load balancer's subnets, checked at plan
//! time (they are known only through EC2): an application load balancer
//! whose subnets lie in one zone, and any load balancer with two subnets in
//! one zone, make `plan` and `apply` exit 1 naming the load balancer, its
//! subnets and zones, before any write. moto accepts both (see the moto
//! notes), so the test also shows nothing was created.

use crate::support;

use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use support::{write_spec, Moto};

/// A VPC with subnets `a1`, `a2` in us-east-1a and `b1` in us-east-1b
/// (tagged `Name: zones-<name>`); returns their IDs in that order.
async fn subnets(moto: &Moto) -> (String, [String; 3]) {
    let ec2 = moto.ec2().await;
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.9.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let mut ids = Vec::new();
    for (name, cidr, zone) in [
        ("a1", "10.9.1.0/24", "us-east-1a"),
        ("a2", "10.9.2.0/24", "us-east-1a"),
        ("b1", "10.9.3.0/24", "us-east-1b"),
    ] {
        let tag = Tag::builder()
            .key("Name")
            .value(format!("zones-{name}"))
            .build();
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(cidr)
            .availability_zone(zone)
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::Subnet)
                    .tags(tag)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        ids.push(s.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    (vpc, ids.try_into().unwrap())
}

fn spec(alb_subnets: &str, nlb_subnets: &str) -> String {
    format!(
        "\
version: 1
stack: zones
load_balancers:
  web:
    type: application
    subnets: {alb_subnets}
    listeners:
      - port: 80
        protocol: HTTP
        default_action: {{ fixed_response: {{ status: 200, content_type: text/plain, body: ok }} }}
  edge:
    type: network
    subnets: {nlb_subnets}
"
    )
}

fn run(moto: &Moto, args: &[&str], spec: &std::path::Path) -> (Option<i32>, String) {
    let out = moto
        .lbctl()
        .args(args)
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn subnets_in_too_few_or_repeated_zones_fail_plan_and_apply_before_any_write() {
    let moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (_, [a1, a2, b1]) = rt.block_on(subnets(&moto));
    // The ALB's subnets by tag and ID, both in us-east-1a; the NLB has two
    // subnets in us-east-1a too.
    let file = write_spec(&spec(
        &format!("[ {{ tags: {{ Name: zones-a1 }} }}, {a2} ]"),
        &format!("[ {a1}, {b1}, {a2} ]"),
    ));
    for args in [
        &["plan"][..],
        &["plan", "--detailed-exitcode"],
        &["apply", "--auto-approve"],
    ] {
        let (code, stderr) = run(&moto, args, &file.path);
        assert_eq!(code, Some(1), "{args:?}:\n{stderr}");
        let alb = format!(
            "spec.yaml:6:5: load_balancers.web.subnets: load balancer `web`: an application load \
             balancer needs subnets in at least two availability zones, but its subnets `{a1}` \
             (us-east-1a), `{a2}` (us-east-1a) are all in `us-east-1a`"
        );
        assert!(stderr.contains(&alb), "{args:?}: no `{alb}` in:\n{stderr}");
        assert!(
            stderr.contains("hint: add a subnet of another availability zone of the VPC"),
            "{stderr}"
        );
        let nlb = format!(
            "spec.yaml:13:68: load_balancers.edge.subnets[2]: load balancer `edge`: subnets `{a1}` \
             and `{a2}` are both in availability zone `us-east-1a`; a network load balancer takes \
             one subnet per zone"
        );
        assert!(stderr.contains(&nlb), "{args:?}: no `{nlb}` in:\n{stderr}");
        assert!(
            stderr.contains("hint: keep one subnet of `us-east-1a`"),
            "{stderr}"
        );
        assert!(stderr.contains("2 problems in the spec"), "{stderr}");
    }
    let created = rt.block_on(async {
        let lbs = moto.elbv2().await.describe_load_balancers().send().await;
        lbs.unwrap().load_balancers().len()
    });
    assert_eq!(created, 0, "nothing may be written");

    // One subnet per zone, two zones for the ALB: the same spec applies.
    let file = write_spec(&spec(
        &format!("[ {{ tags: {{ Name: zones-a1 }} }}, {b1} ]"),
        &format!("[ {a2}, {b1} ]"),
    ));
    let (code, stderr) = run(&moto, &["apply", "--auto-approve"], &file.path);
    assert_eq!(code, Some(0), "{stderr}");
    support::assert_converged(&moto, &file.path);
}
