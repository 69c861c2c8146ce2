//! What a live Route 53 record set or managed health check carries that
//! the DNS model cannot express: the "reported" half of the lossless rule
//! (`docs/lossless.md`). Pure: SDK types in, [`Unmanaged`] out;
//! the reader attaches them to the record set (`RecordSet::unmanaged`).

use aws_sdk_route53::types as sdk;

use crate::model::unmanaged::Unmanaged;

/// The routing policies a live record carries, by their AWS member names.
fn policies(rr: &sdk::ResourceRecordSet) -> Vec<&'static str> {
    [
        ("Weight", rr.weight().is_some()),
        ("Failover", rr.failover().is_some()),
        ("GeoLocation", rr.geo_location().is_some()),
        ("Region", rr.region().is_some()),
        ("MultiValueAnswer", rr.multi_value_answer() == Some(true)),
        ("CidrRoutingConfig", rr.cidr_routing_config().is_some()),
        (
            "GeoProximityLocation",
            rr.geo_proximity_location().is_some(),
        ),
    ]
    .into_iter()
    .filter_map(|(name, present)| present.then_some(name))
    .collect()
}

/// What a live record carries that the spec cannot express, each with a
/// path `<member>.<setting>` (the member is its set identifier, or
/// `record`). Empty for everything the model writes back as it read it.
pub(crate) fn of(rr: &sdk::ResourceRecordSet) -> Vec<Unmanaged> {
    let member = rr.set_identifier().unwrap_or("record");
    let mut out = Vec::new();
    let mut add = |setting: &str, what: String| {
        out.push(Unmanaged {
            path: format!("{member}.{setting}"),
            what,
        });
    };
    let policies = policies(rr);
    if policies.len() > 1 {
        add(
            "routing",
            format!(
                "more than one routing policy ({}); lbctl reads only `{}`",
                policies
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                policies[0]
            ),
        );
    }
    if let Some(id) = rr.traffic_policy_instance_id() {
        add(
            "traffic_policy_instance",
            format!("created by traffic policy instance `{id}` (`TrafficPolicyInstanceId`)"),
        );
    }
    out
}

/// Settings of a managed health check the model does not carry, each with
/// the path `health_check.<setting>`. Every `HealthCheckConfig` member the
/// SDK reads is modelled now (December 2026 additions); what is left is a
/// type this lbctl does not know, which it could not write back.
pub(crate) fn of_health_check(hc: &sdk::HealthCheck) -> Vec<Unmanaged> {
    let Some(c) = hc.health_check_config() else {
        return vec![];
    };
    let known = sdk::HealthCheckType::values().contains(&c.r#type().as_str());
    if known {
        return vec![];
    }
    vec![Unmanaged {
        path: "health_check.type".into(),
        what: format!(
            "health check `{}`: type `{}` unknown to lbctl",
            hc.id(),
            c.r#type().as_str()
        ),
    }]
}

#[cfg(test)]
mod tests {
    use aws_sdk_route53::types::{ResourceRecordSetFailover, ResourceRecordSetRegion, RrType};

    use super::*;
    use crate::aws::route53::convert::record_from_sdk;
    use crate::model::dns::Routing;

    fn base(id: &str) -> sdk::builders::ResourceRecordSetBuilder {
        sdk::ResourceRecordSet::builder()
            .name("mv.example.com.")
            .r#type(RrType::A)
            .set_identifier(id)
            .ttl(60)
            .resource_records(
                sdk::ResourceRecord::builder()
                    .value("198.51.100.1")
                    .build()
                    .unwrap(),
            )
    }

    fn paths(rr: &sdk::ResourceRecordSet) -> Vec<String> {
        of(rr).into_iter().map(|u| u.path).collect()
    }

    #[test]
    fn multivalue_cidr_and_geoproximity_are_read_as_what_they_are() {
        // Multivalue, CIDR and geoproximity are modelled: nothing is reported.
        let mv = base("a").multi_value_answer(true).build().unwrap();
        assert_eq!(record_from_sdk(&mv).1.routing, Routing::Multivalue);
        assert!(paths(&mv).is_empty());

        let cidr = base("hq")
            .cidr_routing_config(
                sdk::CidrRoutingConfig::builder()
                    .collection_id("c-1")
                    .location_name("hq")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        assert_eq!(
            record_from_sdk(&cidr).1.routing,
            Routing::Cidr {
                collection: "c-1".into(),
                location: "hq".into()
            }
        );
        assert!(of(&cidr).is_empty());

        let geo = base("nyc")
            .geo_proximity_location(
                sdk::GeoProximityLocation::builder()
                    .coordinates(
                        sdk::Coordinates::builder()
                            .latitude("40.71")
                            .longitude("-74.01")
                            .build()
                            .unwrap(),
                    )
                    .bias(-20)
                    .build(),
            )
            .build()
            .unwrap();
        assert_eq!(
            record_from_sdk(&geo).1.routing,
            Routing::Geoproximity {
                region: None,
                local_zone_group: None,
                coordinates: Some(("40.71".into(), "-74.01".into())),
                bias: Some(-20),
            }
        );
        assert!(of(&geo).is_empty());
    }

    #[test]
    fn traffic_policies_and_mixed_policies_are_reported() {
        let tp = base("a")
            .weight(10)
            .traffic_policy_instance_id("tp-1")
            .build()
            .unwrap();
        assert_eq!(
            record_from_sdk(&tp).1.routing,
            Routing::Weighted { weight: 10 }
        );
        assert_eq!(paths(&tp), ["a.traffic_policy_instance"]);

        let mix = base("a")
            .region(ResourceRecordSetRegion::UsEast1)
            .failover(ResourceRecordSetFailover::Primary)
            .build()
            .unwrap();
        let u = of(&mix);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].path, "a.routing");
        assert!(u[0].what.contains("`Failover` and `Region`"), "{u:?}");

        let plain = base("a").weight(5).build().unwrap();
        assert!(of(&plain).is_empty());
        let simple = sdk::ResourceRecordSet::builder()
            .name("x.example.com.")
            .r#type(RrType::A)
            .multi_value_answer(false)
            .build()
            .unwrap();
        assert!(of(&simple).is_empty());
    }

    #[test]
    fn modelled_health_check_settings_are_not_reported() {
        let config = sdk::HealthCheckConfig::builder()
            .r#type(sdk::HealthCheckType::Https)
            .fully_qualified_domain_name("example.com")
            .inverted(true)
            .enable_sni(false)
            .search_string("ok")
            .build()
            .unwrap();
        let hc = sdk::HealthCheck::builder()
            .id("hc-1")
            .caller_reference("r")
            .health_check_config(config)
            .health_check_version(1)
            .build()
            .unwrap();
        assert!(of_health_check(&hc).is_empty());
        let unknown = sdk::HealthCheck::builder()
            .id("hc-2")
            .caller_reference("r")
            .health_check_config(
                sdk::HealthCheckConfig::builder()
                    .r#type(sdk::HealthCheckType::from("QUANTUM"))
                    .build()
                    .unwrap(),
            )
            .health_check_version(1)
            .build()
            .unwrap();
        let paths: Vec<String> = of_health_check(&unknown)
            .into_iter()
            .map(|u| u.path)
            .collect();
        assert_eq!(paths, ["health_check.type"]);
    }
}
