//! Route 53 SDK types <-> the DNS model: record sets both ways, names and
//! IDs normalised the way the model wants them. Pure: no API calls.

use aws_sdk_route53::error::BuildError;
use aws_sdk_route53::types::{
    self as sdk, ResourceRecordSetFailover, ResourceRecordSetRegion, RrType,
};

use crate::model::dns::{
    normalize_regions, AlarmRef, Alias, AliasTarget, HealthCheckRef, ManagedHealthCheck, Record,
    RecordKey, Routing,
};

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
/// (Route 53 allows one; `unmanaged::of` reports any mix).
pub(super) fn routing_from_sdk(rr: &sdk::ResourceRecordSet) -> Routing {
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
            collection: cidr.collection_id().to_string(),
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

/// A managed health check as read back: every value AWS reports. Children
/// of a calculated check are IDs here; the reader turns those the stack
/// manages into [`HealthCheckRef::Managed`].
pub(crate) fn health_check_from_sdk(hc: &sdk::HealthCheck) -> Option<ManagedHealthCheck> {
    let config = hc.health_check_config()?;
    let regions: Vec<String> = config
        .regions()
        .iter()
        .map(|r| r.as_str().to_string())
        .collect();
    let check_type = config.r#type().as_str().to_string();
    let endpoint = !matches!(
        check_type.as_str(),
        "CALCULATED" | "CLOUDWATCH_METRIC" | "RECOVERY_CONTROL"
    );
    let https = matches!(check_type.as_str(), "HTTPS" | "HTTPS_STR_MATCH");
    Some(ManagedHealthCheck {
        id: Some(hc.id().to_string()),
        fqdn: config.fully_qualified_domain_name().map(str::to_string),
        ip_address: config.ip_address().map(str::to_string),
        // Only endpoint checks have a port, interval and threshold (moto
        // fills them in for every type).
        port: config
            .port()
            .and_then(|p| u16::try_from(p).ok())
            .filter(|_| endpoint),
        path: config.resource_path().map(str::to_string),
        interval: config
            .request_interval()
            .and_then(|i| u32::try_from(i).ok())
            .filter(|_| endpoint),
        failure_threshold: config
            .failure_threshold()
            .and_then(|t| u32::try_from(t).ok())
            .filter(|_| endpoint),
        search_string: config.search_string().map(str::to_string),
        regions: normalize_regions(&regions),
        inverted: config.inverted() == Some(true),
        disabled: config.disabled() == Some(true),
        // SNI means something only for HTTPS; AWS's default there is on.
        enable_sni: config.enable_sni().filter(|_| https),
        measure_latency: config.measure_latency() == Some(true) && endpoint,
        children: config
            .child_health_checks()
            .iter()
            .map(|id| HealthCheckRef::Id(id.clone()))
            .collect(),
        healthy_threshold: config
            .health_threshold()
            .and_then(|t| u32::try_from(t).ok())
            .filter(|_| check_type == "CALCULATED"),
        alarm: config.alarm_identifier().map(|a| AlarmRef {
            name: a.name().to_string(),
            region: a.region().as_str().to_string(),
        }),
        insufficient_data: config
            .insufficient_data_health_status()
            .map(|s| s.as_str().to_string()),
        routing_control: config.routing_control_arn().map(str::to_string),
        check_type,
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
        Routing::Multivalue => b.multi_value_answer(true),
        // Live only: written back exactly as read, so that a forced change
        // can DELETE the record Route 53 has.
        Routing::Cidr {
            collection,
            location,
        } => b.cidr_routing_config(
            sdk::CidrRoutingConfig::builder()
                .collection_id(collection)
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

    #[test]
    fn multivalue_cidr_and_geoproximity_are_written_back_exactly() {
        let key = RecordKey {
            name: "mv.example.com.".into(),
            rtype: "A".into(),
        };
        let routings = [
            Routing::Multivalue,
            Routing::Cidr {
                collection: "c-1".into(),
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
}
