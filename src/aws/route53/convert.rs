//! Route 53 SDK types <-> the DNS model: record sets both ways, names and
//! IDs normalised the way the model wants them. Pure: no API calls.

use aws_sdk_route53::error::BuildError;
use aws_sdk_route53::types::{
    self as sdk, ResourceRecordSetFailover, ResourceRecordSetRegion, RrType,
};

use crate::model::dns::{
    Alias, AliasTarget, HealthCheckRef, ManagedHealthCheck, Record, RecordKey, Routing,
};
use crate::model::unmanaged::Unmanaged;

/// A DNS name as the model keeps it: octal escapes Route 53 writes
/// (`\052` for `*`) undone, lower-case, absolute with a trailing dot.
///
/// Escapes that stand for `.` or `\` stay escaped: undoing them would
/// change where the labels split.
pub(crate) fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 1);
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let digits: String = chars.clone().take(3).collect();
            if digits.len() == 3 && digits.chars().all(|d| ('0'..='7').contains(&d)) {
                if let Some(ch) = u8::from_str_radix(&digits, 8)
                    .ok()
                    .map(char::from)
                    .filter(|ch| ch.is_ascii_graphic() && *ch != '.' && *ch != '\\')
                {
                    out.push(ch);
                    for _ in 0..3 {
                        chars.next();
                    }
                    continue;
                }
            }
        }
        out.push(c);
    }
    let mut out = out.to_lowercase();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A hosted zone ID without the `/hostedzone/` prefix Route 53 returns.
pub(crate) fn zone_id(id: &str) -> String {
    id.trim_start_matches("/hostedzone/").to_string()
}

/// One record set as the model keeps it, with its key.
///
/// The health check is always [`HealthCheckRef::Id`] here; the reader
/// turns the stack's own ones into managed ones afterwards. Alias records
/// read with no TTL whatever Route 53 (or moto, which says 0) reports.
pub(crate) fn record_from_sdk(rr: &sdk::ResourceRecordSet) -> (RecordKey, Record) {
    let key = RecordKey {
        name: normalize_name(rr.name()),
        rtype: rr.r#type().as_str().to_string(),
    };
    let alias = rr.alias_target().map(|a| Alias {
        target: AliasTarget::Target {
            dns_name: normalize_name(a.dns_name()),
            hosted_zone_id: a.hosted_zone_id().to_string(),
        },
        evaluate_target_health: a.evaluate_target_health(),
    });
    let routing = routing_from_sdk(rr);
    let record = Record {
        set_identifier: rr.set_identifier().map(str::to_string),
        routing,
        ttl: if alias.is_some() {
            None
        } else {
            rr.ttl().and_then(|t| u32::try_from(t).ok())
        },
        values: rr
            .resource_records()
            .iter()
            .map(|v| v.value().to_string())
            .collect(),
        alias,
        health_check: rr
            .health_check_id()
            .map(|id| HealthCheckRef::Id(id.to_string())),
    };
    (key, record)
}

/// The routing policy of a live record: the first of weight, failover,
/// geolocation, latency, multivalue, CIDR and geoproximity it carries
/// (Route 53 allows one; [`unmanaged_of`] reports any mix).
fn routing_from_sdk(rr: &sdk::ResourceRecordSet) -> Routing {
    if let Some(weight) = rr.weight() {
        Routing::Weighted {
            weight: u32::try_from(weight).unwrap_or_default(),
        }
    } else if let Some(role) = rr.failover() {
        Routing::Failover {
            role: role.as_str().to_string(),
        }
    } else if let Some(geo) = rr.geo_location() {
        Routing::Geolocation {
            continent: geo.continent_code().map(str::to_string),
            country: geo.country_code().map(str::to_string),
            subdivision: geo.subdivision_code().map(str::to_string),
        }
    } else if let Some(region) = rr.region() {
        Routing::Latency {
            region: region.as_str().to_string(),
        }
    } else if rr.multi_value_answer() == Some(true) {
        Routing::Multivalue
    } else if let Some(cidr) = rr.cidr_routing_config() {
        Routing::Cidr {
            collection_id: cidr.collection_id().to_string(),
            location: cidr.location_name().to_string(),
        }
    } else if let Some(geo) = rr.geo_proximity_location() {
        Routing::Geoproximity {
            region: geo.aws_region().map(str::to_string),
            local_zone_group: geo.local_zone_group().map(str::to_string),
            coordinates: geo
                .coordinates()
                .map(|c| (c.latitude().to_string(), c.longitude().to_string())),
            bias: geo.bias(),
        }
    } else {
        Routing::Simple
    }
}

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
pub(crate) fn unmanaged_of(rr: &sdk::ResourceRecordSet) -> Vec<Unmanaged> {
    let member = rr.set_identifier().unwrap_or("record");
    let mut out = Vec::new();
    let mut add = |setting: &str, what: String| {
        out.push(Unmanaged {
            path: format!("{member}.{setting}"),
            what,
        });
    };
    match routing_from_sdk(rr) {
        Routing::Multivalue => add(
            "multivalue",
            "multivalue answer routing (`MultiValueAnswer`)".into(),
        ),
        Routing::Cidr {
            collection_id,
            location,
        } => add(
            "cidr",
            format!(
                "CIDR routing (`CidrRoutingConfig`: collection `{collection_id}`, location `{location}`)"
            ),
        ),
        Routing::Geoproximity {
            region,
            local_zone_group,
            coordinates,
            bias,
        } => {
            let at = match (region, local_zone_group, coordinates) {
                (Some(r), _, _) => format!("region `{r}`"),
                (_, Some(g), _) => format!("local zone group `{g}`"),
                (_, _, Some((lat, lon))) => format!("coordinates {lat},{lon}"),
                _ => "no location".into(),
            };
            let bias = bias.map(|b| format!(", bias {b}")).unwrap_or_default();
            add(
                "geoproximity",
                format!("geoproximity routing (`GeoProximityLocation`: {at}{bias})"),
            );
        }
        _ => {}
    }
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

/// Settings of a managed health check the model does not carry and that
/// differ from what Route 53 sets when they are left out, each with the
/// path `health_check.<setting>`.
pub(crate) fn health_check_unmanaged(hc: &sdk::HealthCheck) -> Vec<Unmanaged> {
    let Some(c) = hc.health_check_config() else {
        return vec![];
    };
    let https = matches!(c.r#type().as_str(), "HTTPS" | "HTTPS_STR_MATCH");
    let mut found: Vec<(&str, String)> = Vec::new();
    if let Some(s) = c.search_string() {
        found.push(("search_string", format!("search string `{s}`")));
    }
    if c.inverted() == Some(true) {
        found.push(("inverted", "inverted (healthy when the check fails)".into()));
    }
    if c.disabled() == Some(true) {
        found.push(("disabled", "disabled (always healthy)".into()));
    }
    if c.measure_latency() == Some(true) {
        found.push(("measure_latency", "latency measured".into()));
    }
    if https && c.enable_sni() == Some(false) {
        found.push(("enable_sni", "SNI off".into()));
    }
    if let Some(n) = c.health_threshold() {
        found.push(("healthy_threshold", format!("calculated threshold {n}")));
    }
    if !c.child_health_checks().is_empty() {
        found.push((
            "children",
            format!("child health checks {}", c.child_health_checks().join(", ")),
        ));
    }
    if let Some(a) = c.alarm_identifier() {
        found.push(("alarm", format!("CloudWatch alarm `{}`", a.name())));
    }
    if let Some(s) = c.insufficient_data_health_status() {
        found.push((
            "insufficient_data",
            format!("insufficient data means `{}`", s.as_str()),
        ));
    }
    if let Some(arn) = c.routing_control_arn() {
        found.push(("routing_control", format!("routing control `{arn}`")));
    }
    found
        .into_iter()
        .map(|(setting, what)| Unmanaged {
            path: format!("health_check.{setting}"),
            what: format!("health check `{}`: {what}", hc.id()),
        })
        .collect()
}

/// A managed health check as read back: every value AWS reports.
pub(crate) fn health_check_from_sdk(hc: &sdk::HealthCheck) -> Option<ManagedHealthCheck> {
    let config = hc.health_check_config()?;
    Some(ManagedHealthCheck {
        id: Some(hc.id().to_string()),
        check_type: config.r#type().as_str().to_string(),
        fqdn: config.fully_qualified_domain_name().map(str::to_string),
        ip_address: config.ip_address().map(str::to_string),
        port: config.port().and_then(|p| u16::try_from(p).ok()),
        path: config.resource_path().map(str::to_string),
        interval: config
            .request_interval()
            .and_then(|i| u32::try_from(i).ok()),
        failure_threshold: config
            .failure_threshold()
            .and_then(|t| u32::try_from(t).ok()),
    })
}

/// An alias target resolved to what Route 53 wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedAlias {
    pub(crate) dns_name: String,
    pub(crate) hosted_zone_id: String,
}

/// The SDK record set for a model record whose alias target (a load
/// balancer by name) and health check (one created in this apply) were
/// resolved by the caller.
pub(crate) fn record_to_sdk(
    key: &RecordKey,
    record: &Record,
    alias: Option<&ResolvedAlias>,
    health_check_id: Option<&str>,
) -> Result<sdk::ResourceRecordSet, BuildError> {
    let mut b = sdk::ResourceRecordSet::builder()
        .name(&key.name)
        .r#type(RrType::from(key.rtype.as_str()))
        .set_set_identifier(record.set_identifier.clone())
        .set_health_check_id(health_check_id.map(str::to_string));
    b = match &record.routing {
        Routing::Simple => b,
        Routing::Weighted { weight } => b.weight(i64::from(*weight)),
        Routing::Failover { role } => b.failover(ResourceRecordSetFailover::from(role.as_str())),
        Routing::Geolocation {
            continent,
            country,
            subdivision,
        } => b.geo_location(
            sdk::GeoLocation::builder()
                .set_continent_code(continent.clone())
                .set_country_code(country.clone())
                .set_subdivision_code(subdivision.clone())
                .build(),
        ),
        Routing::Latency { region } => b.region(ResourceRecordSetRegion::from(region.as_str())),
        // Live only: written back exactly as read, so that a forced change
        // can DELETE the record Route 53 has.
        Routing::Multivalue => b.multi_value_answer(true),
        Routing::Cidr {
            collection_id,
            location,
        } => b.cidr_routing_config(
            sdk::CidrRoutingConfig::builder()
                .collection_id(collection_id)
                .location_name(location)
                .build()?,
        ),
        Routing::Geoproximity {
            region,
            local_zone_group,
            coordinates,
            bias,
        } => {
            let coordinates = match coordinates {
                Some((lat, lon)) => Some(
                    sdk::Coordinates::builder()
                        .latitude(lat)
                        .longitude(lon)
                        .build()?,
                ),
                None => None,
            };
            b.geo_proximity_location(
                sdk::GeoProximityLocation::builder()
                    .set_aws_region(region.clone())
                    .set_local_zone_group(local_zone_group.clone())
                    .set_coordinates(coordinates)
                    .set_bias(*bias)
                    .build(),
            )
        }
    };
    match (&record.alias, alias) {
        (Some(a), Some(target)) => {
            b = b.alias_target(
                sdk::AliasTarget::builder()
                    .dns_name(&target.dns_name)
                    .hosted_zone_id(&target.hosted_zone_id)
                    .evaluate_target_health(a.evaluate_target_health)
                    .build()?,
            );
        }
        _ => {
            b = b.set_ttl(record.ttl.map(i64::from));
            for value in &record.values {
                b = b.resource_records(sdk::ResourceRecord::builder().value(value).build()?);
            }
        }
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unescaped_lower_case_and_absolute() {
        assert_eq!(normalize_name("\\052.Example.COM."), "*.example.com.");
        assert_eq!(normalize_name("www.example.com"), "www.example.com.");
        assert_eq!(
            normalize_name("a\\056b.example.com."),
            "a\\056b.example.com."
        );
        assert_eq!(normalize_name("x\\05"), "x\\05.");
    }

    #[test]
    fn zone_ids_lose_their_prefix() {
        assert_eq!(zone_id("/hostedzone/Z123"), "Z123");
        assert_eq!(zone_id("Z123"), "Z123");
    }

    #[test]
    fn records_round_trip_through_the_sdk() {
        let key = RecordKey {
            name: "api.example.com.".into(),
            rtype: "A".into(),
        };
        let records = [
            Record {
                set_identifier: Some("eu".into()),
                routing: Routing::Geolocation {
                    continent: Some("EU".into()),
                    country: None,
                    subdivision: None,
                },
                ttl: Some(60),
                values: vec!["192.0.2.2".into(), "192.0.2.1".into()],
                alias: None,
                health_check: Some(HealthCheckRef::Id("hc-1".into())),
            },
            Record {
                set_identifier: Some("b".into()),
                routing: Routing::Weighted { weight: 10 },
                ttl: None,
                values: vec![],
                alias: Some(Alias {
                    target: AliasTarget::Target {
                        dns_name: "lb-1.elb.amazonaws.com.".into(),
                        hosted_zone_id: "Z2P70J7EXAMPLE".into(),
                    },
                    evaluate_target_health: true,
                }),
                health_check: None,
            },
        ];
        for record in records {
            let alias = match &record.alias {
                Some(Alias {
                    target:
                        AliasTarget::Target {
                            dns_name,
                            hosted_zone_id,
                        },
                    ..
                }) => Some(ResolvedAlias {
                    dns_name: dns_name.clone(),
                    hosted_zone_id: hosted_zone_id.clone(),
                }),
                _ => None,
            };
            let hc = match &record.health_check {
                Some(HealthCheckRef::Id(id)) => Some(id.as_str()),
                _ => None,
            };
            let rr = record_to_sdk(&key, &record, alias.as_ref(), hc).unwrap();
            assert_eq!(record_from_sdk(&rr), (key.clone(), record));
        }
    }

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
        unmanaged_of(rr).into_iter().map(|u| u.path).collect()
    }

    #[test]
    fn multivalue_cidr_and_geoproximity_are_read_as_what_they_are() {
        let mv = base("a").multi_value_answer(true).build().unwrap();
        assert_eq!(record_from_sdk(&mv).1.routing, Routing::Multivalue);
        assert_eq!(paths(&mv), ["a.multivalue"]);

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
                collection_id: "c-1".into(),
                location: "hq".into()
            }
        );
        let u = unmanaged_of(&cidr);
        assert_eq!(u[0].path, "hq.cidr");
        assert!(
            u[0].what.contains("collection `c-1`, location `hq`"),
            "{u:?}"
        );

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
        assert!(unmanaged_of(&geo)[0]
            .what
            .contains("coordinates 40.71,-74.01, bias -20"));
    }

    #[test]
    fn live_only_routing_is_written_back_exactly() {
        let key = RecordKey {
            name: "mv.example.com.".into(),
            rtype: "A".into(),
        };
        let routings = [
            Routing::Multivalue,
            Routing::Cidr {
                collection_id: "c-1".into(),
                location: "*".into(),
            },
            Routing::Geoproximity {
                region: Some("us-east-1".into()),
                local_zone_group: None,
                coordinates: None,
                bias: Some(10),
            },
        ];
        for routing in routings {
            let record = Record {
                set_identifier: Some("a".into()),
                routing,
                ttl: Some(60),
                values: vec!["198.51.100.1".into()],
                alias: None,
                health_check: None,
            };
            let rr = record_to_sdk(&key, &record, None, None).unwrap();
            assert_eq!(record_from_sdk(&rr), (key.clone(), record));
        }
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
        let u = unmanaged_of(&mix);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].path, "a.routing");
        assert!(u[0].what.contains("`Failover` and `Region`"), "{u:?}");

        let plain = base("a").weight(5).build().unwrap();
        assert!(unmanaged_of(&plain).is_empty());
        let simple = sdk::ResourceRecordSet::builder()
            .name("x.example.com.")
            .r#type(RrType::A)
            .multi_value_answer(false)
            .build()
            .unwrap();
        assert!(unmanaged_of(&simple).is_empty());
    }

    #[test]
    fn health_check_settings_the_model_lacks_are_reported() {
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
        let paths: Vec<String> = health_check_unmanaged(&hc)
            .into_iter()
            .map(|u| u.path)
            .collect();
        assert_eq!(
            paths,
            [
                "health_check.search_string",
                "health_check.inverted",
                "health_check.enable_sni"
            ]
        );
        let plain = sdk::HealthCheck::builder()
            .id("hc-2")
            .caller_reference("r")
            .health_check_config(
                sdk::HealthCheckConfig::builder()
                    .r#type(sdk::HealthCheckType::Https)
                    .enable_sni(true)
                    .inverted(false)
                    .build()
                    .unwrap(),
            )
            .health_check_version(1)
            .build()
            .unwrap();
        assert!(health_check_unmanaged(&plain).is_empty());
    }
}
