//! SCRATCH: Route 53 read/execute against a moto server on 127.0.0.1:5124.
//! To be deleted.

use std::collections::BTreeMap;

use crate::aws::{Aws, Names, Settings};
use crate::model::dns::*;
use crate::plan::{Kind, Op, Step, StepAction};

const STACK: &str = "shop";

async fn aws() -> Aws {
    Aws::connect(&Settings {
        region: Some("us-east-1".into()),
        profile: None,
        endpoint_url: Some("http://127.0.0.1:5124".into()),
    })
    .await
    .unwrap()
}

fn key(name: &str, rtype: &str) -> RecordKey {
    RecordKey {
        name: name.into(),
        rtype: rtype.into(),
    }
}

fn rec(set: Option<&str>, routing: Routing, values: &[&str]) -> Record {
    Record {
        set_identifier: set.map(str::to_string),
        routing,
        ttl: Some(60),
        values: values.iter().map(|v| v.to_string()).collect(),
        alias: None,
        health_check: None,
    }
}

fn step(zone: &str, key: RecordKey, delete: Vec<Record>, create: Vec<Record>) -> Step {
    Step {
        action: StepAction::Update,
        kind: Kind::RecordSet,
        name: key.to_string(),
        changes: vec![],
        notes: vec![],
        op: Op::RecordSet {
            zone: zone.into(),
            key,
            delete,
            create,
        },
    }
}

fn op_step(op: Op) -> Step {
    Step {
        action: StepAction::Create,
        kind: Kind::HealthCheck,
        name: "hc".into(),
        changes: vec![],
        notes: vec![],
        op,
    }
}

async fn create_zone(aws: &Aws, name: &str) -> String {
    let out = aws
        .clients
        .route53
        .create_hosted_zone()
        .name(name)
        .caller_reference(name)
        .send()
        .await
        .unwrap();
    out.hosted_zone().unwrap().id().to_string()
}

fn names(zone: &str) -> Names {
    Names {
        zones: vec![ZoneRef::Name {
            name: zone.into(),
            private: None,
        }],
        ..Names::default()
    }
}

async fn read_zone(aws: &Aws, zone: &str) -> crate::aws::Live {
    aws.read(STACK, &names(zone)).await.unwrap()
}

fn calls(aws: &Aws, op: &str) -> u64 {
    aws.api_calls().get(op).copied().unwrap_or(0)
}

async fn create_lb(aws: &Aws, name: &str) -> (String, String) {
    let ec2 = &aws.clients.ec2;
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.0.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let mut subnets = vec![];
    for (i, az) in ["us-east-1a", "us-east-1b"].iter().enumerate() {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(format!("10.0.{i}.0/24"))
            .availability_zone(*az)
            .send()
            .await
            .unwrap();
        subnets.push(s.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    let out = aws
        .clients
        .elb
        .create_load_balancer()
        .name(name)
        .set_subnets(Some(subnets))
        .send()
        .await
        .unwrap();
    let lb = &out.load_balancers()[0];
    (
        lb.dns_name().unwrap().to_string(),
        lb.canonical_hosted_zone_id().unwrap().to_string(),
    )
}

#[tokio::test]
async fn records_of_every_routing_kind_round_trip() {
    let aws = aws().await;
    let zone = "round.test.";
    create_zone(&aws, "round.test").await;
    let (lb_dns, lb_zone) = create_lb(&aws, "r53-web").await;

    let live = aws.read(STACK, &names(zone)).await.unwrap();
    let z = &live.model.dns.zones[zone];
    assert!(!z.private);
    assert_eq!(live.index.zone_id(zone), z.id);
    eprintln!("initial: {:?}", z.record_sets.keys().collect::<Vec<_>>());

    let mut want: BTreeMap<RecordKey, Vec<Record>> = BTreeMap::new();
    want.insert(
        key("www.round.test.", "A"),
        vec![rec(None, Routing::Simple, &["192.0.2.1", "192.0.2.2"])],
    );
    want.insert(
        key("*.round.test.", "A"),
        vec![rec(None, Routing::Simple, &["192.0.2.9"])],
    );
    want.insert(
        key("w.round.test.", "A"),
        vec![
            rec(
                Some("w-1"),
                Routing::Weighted { weight: 50 },
                &["192.0.2.11"],
            ),
            rec(
                Some("w-2"),
                Routing::Weighted { weight: 50 },
                &["192.0.2.12"],
            ),
        ],
    );
    want.insert(
        key("fo.round.test.", "CNAME"),
        vec![
            rec(
                Some("fo-p"),
                Routing::Failover {
                    role: "PRIMARY".into(),
                },
                &["a.example.net"],
            ),
            rec(
                Some("fo-s"),
                Routing::Failover {
                    role: "SECONDARY".into(),
                },
                &["b.example.net"],
            ),
        ],
    );
    let geo = |c: Option<&str>, k: Option<&str>, s: Option<&str>| Routing::Geolocation {
        continent: c.map(str::to_string),
        country: k.map(str::to_string),
        subdivision: s.map(str::to_string),
    };
    want.insert(
        key("geo.round.test.", "A"),
        vec![
            rec(Some("geo-de"), geo(None, Some("DE"), None), &["192.0.2.21"]),
            rec(Some("geo-def"), geo(None, Some("*"), None), &["192.0.2.22"]),
            rec(Some("geo-eu"), geo(Some("EU"), None, None), &["192.0.2.23"]),
            rec(
                Some("geo-tx"),
                geo(None, Some("US"), Some("TX")),
                &["192.0.2.24"],
            ),
        ],
    );
    want.insert(
        key("lat.round.test.", "AAAA"),
        vec![
            rec(
                Some("lat-1"),
                Routing::Latency {
                    region: "us-east-1".into(),
                },
                &["2001:db8::1"],
            ),
            rec(
                Some("lat-2"),
                Routing::Latency {
                    region: "eu-west-1".into(),
                },
                &["2001:db8::2"],
            ),
        ],
    );
    let alias = |t: AliasTarget| Record {
        set_identifier: None,
        routing: Routing::Simple,
        ttl: None,
        values: vec![],
        alias: Some(Alias {
            target: t,
            evaluate_target_health: true,
        }),
        health_check: None,
    };
    want.insert(
        key("app.round.test.", "A"),
        vec![alias(AliasTarget::LoadBalancer("r53-web".into()))],
    );
    want.insert(
        key("_lbctl.a.www.round.test.", "TXT"),
        vec![rec(None, Routing::Simple, &["\"lbctl:stack=shop\""])],
    );
    let mut steps: Vec<Step> = want
        .iter()
        .map(|(k, v)| step(zone, k.clone(), vec![], v.clone()))
        .collect();
    // The alias step first in plan order: the executor must move it last.
    steps.sort_by_key(|s| !s.name.starts_with("app."));
    let refs: Vec<&Step> = steps.iter().collect();
    let before = calls(&aws, "ChangeResourceRecordSets");
    aws.execute_zone(zone, &refs, &live.index, true)
        .await
        .unwrap();
    assert_eq!(calls(&aws, "ChangeResourceRecordSets") - before, 1);
    assert!(calls(&aws, "DescribeLoadBalancers") >= 1);
    assert!(calls(&aws, "GetChange") >= 1);

    let live = aws.read(STACK, &names(zone)).await.unwrap();
    let z = &live.model.dns.zones[zone];
    // The alias reads back as its target.
    want.insert(
        key("app.round.test.", "A"),
        vec![alias(AliasTarget::Target {
            dns_name: format!("{}.", lb_dns.to_lowercase()),
            hosted_zone_id: lb_zone,
        })],
    );
    for (k, members) in &want {
        assert_eq!(
            z.record_sets.get(k).map(|s| &s.members),
            Some(members),
            "{k}"
        );
    }
    assert_eq!(z.record_sets.len(), want.len() + 2, "plus NS and SOA");

    // Weight shift 50/50 -> 90/10: one step, one call.
    let wkey = key("w.round.test.", "A");
    let old = z.record_sets[&wkey].members.clone();
    let new = vec![
        rec(
            Some("w-1"),
            Routing::Weighted { weight: 90 },
            &["192.0.2.11"],
        ),
        rec(
            Some("w-2"),
            Routing::Weighted { weight: 10 },
            &["192.0.2.12"],
        ),
    ];
    let s = step(zone, wkey.clone(), old, new.clone());
    let before = calls(&aws, "ChangeResourceRecordSets");
    aws.execute_zone(zone, &[&s], &live.index, false)
        .await
        .unwrap();
    assert_eq!(calls(&aws, "ChangeResourceRecordSets") - before, 1);
    let live = aws.read(STACK, &names(zone)).await.unwrap();
    assert_eq!(live.model.dns.zones[zone].record_sets[&wkey].members, new);

    // A DELETE of a record that is not there fails with Route 53's error.
    let ghost = step(
        zone,
        key("ghost.round.test.", "A"),
        vec![rec(None, Routing::Simple, &["192.0.2.99"])],
        vec![],
    );
    let err = aws
        .execute_zone(zone, &[&ghost], &live.index, false)
        .await
        .unwrap_err();
    eprintln!("ghost delete: {err}");
    assert_eq!(err.operation, "ChangeResourceRecordSets");
    assert!(err.resource.contains("ghost.round.test. A"), "{err}");

    // One step over the limits is refused without a call.
    let values: Vec<String> = (0..1001)
        .map(|i| format!("10.1.{}.{}", i / 256, i % 256))
        .collect();
    let big = step(
        zone,
        key("big.round.test.", "A"),
        vec![],
        vec![Record {
            values,
            ..rec(None, Routing::Simple, &[])
        }],
    );
    let before = calls(&aws, "ChangeResourceRecordSets");
    let err = aws
        .execute_zone(zone, &[&big], &live.index, false)
        .await
        .unwrap_err();
    eprintln!("too large: {err}");
    assert_eq!(err.code, "too_large");
    assert!(err.message.contains("big.round.test. A"));
    assert_eq!(calls(&aws, "ChangeResourceRecordSets"), before);
}

#[tokio::test]
async fn a_large_zone_is_read_in_pages_without_duplicates() {
    let aws = aws().await;
    let zone = "big.test.";
    create_zone(&aws, "big.test").await;
    let live = aws.read(STACK, &names(zone)).await.unwrap();
    let mut steps = Vec::new();
    // 500 simple records and 250 weighted sets of 4: 1,500 records, with
    // page ends inside weighted sets.
    for i in 0..500 {
        steps.push(step(
            zone,
            key(&format!("s{i:04}.big.test."), "A"),
            vec![],
            vec![rec(None, Routing::Simple, &["192.0.2.1"])],
        ));
    }
    for i in 0..250 {
        let members = (0..4)
            .map(|j| {
                rec(
                    Some(&format!("w{i}-{j}")),
                    Routing::Weighted { weight: j + 1 },
                    &["192.0.2.2"],
                )
            })
            .collect();
        steps.push(step(
            zone,
            key(&format!("w{i:04}.big.test."), "A"),
            vec![],
            members,
        ));
    }
    let refs: Vec<&Step> = steps.iter().collect();
    let before = calls(&aws, "ChangeResourceRecordSets");
    aws.execute_zone(zone, &refs, &live.index, true)
        .await
        .unwrap();
    assert_eq!(calls(&aws, "ChangeResourceRecordSets") - before, 2);

    let before = calls(&aws, "ListResourceRecordSets");
    let live = aws.read(STACK, &names(zone)).await.unwrap();
    let pages = calls(&aws, "ListResourceRecordSets") - before;
    eprintln!("pages: {pages}");
    assert!(pages >= 6);
    let z = &live.model.dns.zones[zone];
    let total: usize = z.record_sets.values().map(|s| s.members.len()).sum();
    assert_eq!(total, 1_502);
    for i in 0..250 {
        let set = &z.record_sets[&key(&format!("w{i:04}.big.test."), "A")];
        let ids: Vec<_> = set
            .members
            .iter()
            .map(|m| m.set_identifier.clone().unwrap())
            .collect();
        assert_eq!(ids, (0..4).map(|j| format!("w{i}-{j}")).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn managed_health_checks_are_created_read_updated_and_deleted() {
    let aws = aws().await;
    let zone = "hc.test.";
    create_zone(&aws, "hc.test").await;
    let live = aws.read(STACK, &names(zone)).await.unwrap();
    let k = key("api.hc.test.", "A");
    let check = ManagedHealthCheck {
        id: None,
        check_type: "HTTPS".into(),
        fqdn: Some("api.hc.test".into()),
        ip_address: None,
        port: None,
        path: Some("/health".into()),
        interval: None,
        failure_threshold: None,
    };
    aws.execute(
        &op_step(Op::CreateHealthCheck {
            zone: zone.into(),
            key: k.clone(),
            set_identifier: Some("api-p".into()),
            check: check.clone(),
        }),
        &live.index,
    )
    .await
    .unwrap();
    let id = live.index.health_check_id(zone, &k, Some("api-p")).unwrap();
    // Someone else's health check: stays a bare ID.
    let foreign = aws
        .clients
        .route53
        .create_health_check()
        .caller_reference("foreign")
        .health_check_config(
            aws_sdk_route53::types::HealthCheckConfig::builder()
                .r#type(aws_sdk_route53::types::HealthCheckType::Tcp)
                .ip_address("192.0.2.50")
                .port(22)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap()
        .health_check()
        .unwrap()
        .id()
        .to_string();
    let primary = Record {
        health_check: Some(HealthCheckRef::Managed(check.clone())),
        ..rec(
            Some("api-p"),
            Routing::Failover {
                role: "PRIMARY".into(),
            },
            &["192.0.2.1"],
        )
    };
    let secondary = Record {
        health_check: Some(HealthCheckRef::Id(foreign.clone())),
        ..rec(
            Some("api-s"),
            Routing::Failover {
                role: "SECONDARY".into(),
            },
            &["192.0.2.2"],
        )
    };
    let s = step(zone, k.clone(), vec![], vec![primary, secondary]);
    aws.execute_zone(zone, &[&s], &live.index, true)
        .await
        .unwrap();

    let live = read_zone(&aws, zone).await;
    let members = &live.model.dns.zones[zone].record_sets[&k].members;
    let managed = ManagedHealthCheck {
        id: Some(id.clone()),
        check_type: "HTTPS".into(),
        fqdn: Some("api.hc.test".into()),
        ip_address: None,
        port: Some(443),
        path: Some("/health".into()),
        interval: Some(30),
        failure_threshold: Some(3),
    };
    assert_eq!(
        members[0].health_check,
        Some(HealthCheckRef::Managed(managed.clone()))
    );
    assert_eq!(members[1].health_check, Some(HealthCheckRef::Id(foreign)));
    let tags = aws
        .clients
        .route53
        .list_tags_for_resource()
        .resource_type(aws_sdk_route53::types::TagResourceType::Healthcheck)
        .resource_id(&id)
        .send()
        .await
        .unwrap();
    let tags: BTreeMap<_, _> = tags
        .resource_tag_set()
        .unwrap()
        .tags()
        .iter()
        .map(|t| (t.key().unwrap().to_string(), t.value().unwrap().to_string()))
        .collect();
    assert_eq!(tags["lbctl:stack"], "shop");
    assert_eq!(tags["lbctl:record"], "api.hc.test. A api-p");

    // Update: port, path, threshold.
    let update = ManagedHealthCheck {
        port: Some(8443),
        path: Some("/ready".into()),
        failure_threshold: Some(5),
        ..check.clone()
    };
    aws.execute(
        &op_step(Op::UpdateHealthCheck {
            id: id.clone(),
            check: update,
        }),
        &live.index,
    )
    .await
    .unwrap();
    let live = read_zone(&aws, zone).await;
    let members = &live.model.dns.zones[zone].record_sets[&k].members;
    assert_eq!(
        members[0].health_check,
        Some(HealthCheckRef::Managed(ManagedHealthCheck {
            port: Some(8443),
            path: Some("/ready".into()),
            failure_threshold: Some(5),
            ..managed
        }))
    );

    // Remove the records (exactly as read), then the health check.
    let s = step(zone, k.clone(), members.clone(), vec![]);
    aws.execute_zone(zone, &[&s], &live.index, true)
        .await
        .unwrap();
    let del = op_step(Op::DeleteHealthCheck { id: id.clone() });
    aws.execute(&del, &live.index).await.unwrap();
    aws.execute(&del, &live.index).await.unwrap();
    let err = aws
        .clients
        .route53
        .get_health_check()
        .health_check_id(&id)
        .send()
        .await
        .unwrap_err();
    assert!(err.as_service_error().unwrap().is_no_such_health_check());
    let live = read_zone(&aws, zone).await;
    assert!(!live.model.dns.zones[zone].record_sets.contains_key(&k));

    // Missing zones are absent; lookups by ID work.
    let by_id = Names {
        zones: vec![
            ZoneRef::Id(live.index.zone_id(zone).unwrap()),
            ZoneRef::Name {
                name: "nope.test.".into(),
                private: None,
            },
            ZoneRef::Name {
                name: zone.into(),
                private: Some(true),
            },
            ZoneRef::Id("ZNOSUCHZONE".into()),
        ],
        ..Names::default()
    };
    let live = aws.read(STACK, &by_id).await.unwrap();
    assert_eq!(live.model.dns.zones.keys().collect::<Vec<_>>(), vec![zone]);
}
