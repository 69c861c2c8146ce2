//! What `plan --traffic` says about multivalue, geoproximity and CIDR
//! record sets: they split no traffic by numbers, so one note per set says
//! how Route 53 picks an answer and names each member's part.

use super::Analysis;
use crate::model::dns::{Record, Routing};
use crate::model::Model;

/// Route 53 answers a multivalue query with at most this many healthy
/// records.
const MULTIVALUE_ANSWERS: usize = 8;

pub(super) fn notes(model: &Model, a: &mut Analysis) {
    for zone in model.dns.zones.values() {
        for (key, set) in &zone.record_sets {
            let Some(first) = set.members.first() else {
                continue;
            };
            let note = match &first.routing {
                Routing::Multivalue => multivalue(&set.members),
                Routing::Geoproximity { .. } => geoproximity(&set.members),
                Routing::Cidr { collection, .. } => cidr(collection, &set.members),
                _ => continue,
            };
            a.notes.push(format!("record `{key}`: {note}"));
        }
    }
}

fn id(m: &Record) -> &str {
    m.set_identifier.as_deref().unwrap_or("record")
}

fn multivalue(members: &[Record]) -> String {
    let n = members.len();
    let checked = members.iter().filter(|m| m.health_check.is_some()).count();
    let answers = if n > MULTIVALUE_ANSWERS {
        format!("{MULTIVALUE_ANSWERS} of the healthy ones, picked at random")
    } else {
        "every healthy one".to_string()
    };
    format!(
        "multivalue, {n} members ({checked} with a health check); each query gets {answers} \
         (at most {MULTIVALUE_ANSWERS}); a member without a health check counts as healthy"
    )
}

fn geoproximity(members: &[Record]) -> String {
    let parts: Vec<String> = members
        .iter()
        .filter_map(|m| match &m.routing {
            Routing::Geoproximity {
                region,
                local_zone_group,
                coordinates,
                bias,
            } => {
                let at = match (region, local_zone_group, coordinates) {
                    (Some(r), _, _) => format!("region {r}"),
                    (_, Some(g), _) => format!("Local Zone group {g}"),
                    (_, _, Some((lat, lon))) => format!("{lat},{lon}"),
                    _ => "nowhere".into(),
                };
                let bias = bias
                    .filter(|b| *b != 0)
                    .map(|b| format!(", bias {b:+}"))
                    .unwrap_or_default();
                Some(format!("`{}` at {at}{bias}", id(m)))
            }
            _ => None,
        })
        .collect();
    format!(
        "geoproximity: each query goes to the nearest member after bias: {}",
        parts.join("; ")
    )
}

fn cidr(collection: &str, members: &[Record]) -> String {
    let parts: Vec<String> = members
        .iter()
        .filter_map(|m| match &m.routing {
            Routing::Cidr { location, .. } if location == "*" => {
                Some(format!("`{}` for every other client", id(m)))
            }
            Routing::Cidr { location, .. } => {
                Some(format!("`{}` for location `{location}`", id(m)))
            }
            _ => None,
        })
        .collect();
    format!(
        "CIDR routing by the client's address in collection `{collection}`: {}",
        parts.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, routing: Routing, checked: bool) -> Record {
        Record {
            set_identifier: Some(id.into()),
            routing,
            ttl: Some(60),
            values: vec!["192.0.2.1".into()],
            alias: None,
            health_check: checked.then(|| crate::model::dns::HealthCheckRef::Id("hc".into())),
        }
    }

    #[test]
    fn each_kind_says_how_route_53_answers() {
        let mv: Vec<Record> = (0..10)
            .map(|i| member(&format!("m{i}"), Routing::Multivalue, i < 3))
            .collect();
        let text = multivalue(&mv);
        assert!(
            text.contains("10 members (3 with a health check)"),
            "{text}"
        );
        assert!(text.contains("8 of the healthy ones"), "{text}");
        let geo =
            |region: Option<&str>, coordinates: Option<(&str, &str)>, bias| Routing::Geoproximity {
                region: region.map(str::to_string),
                local_zone_group: None,
                coordinates: coordinates.map(|(a, b)| (a.to_string(), b.to_string())),
                bias,
            };
        let text = geoproximity(&[
            member("use1", geo(Some("us-east-1"), None, Some(10)), false),
            member("nyc", geo(None, Some(("40.71", "-74.01")), None), false),
        ]);
        assert!(
            text.contains("`use1` at region us-east-1, bias +10; `nyc` at 40.71,-74.01"),
            "{text}"
        );
        let c = |loc: &str| Routing::Cidr {
            collection: "corp".into(),
            location: loc.into(),
        };
        let text = cidr(
            "corp",
            &[member("hq", c("hq"), false), member("rest", c("*"), false)],
        );
        assert!(
            text.contains("`hq` for location `hq`; `rest` for every other client"),
            "{text}"
        );
    }
}
