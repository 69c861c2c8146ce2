//! The model routing of the December 2026 routing kinds, written as
//! Route 53 reports it back (region trimmed, coordinates as given), so
//! that apply followed by plan shows no changes; and the spec's CIDR
//! collections.

use std::collections::BTreeMap;

use crate::model::dns::{CidrCollection, Routing};
use crate::spec::raw::dns::RawGeoproximity;
use crate::spec::Spec;

/// The spec's `cidr_collections:`, blocks trimmed.
pub(super) fn cidr_collections(spec: &Spec) -> BTreeMap<String, CidrCollection> {
    spec.cidr_collections
        .iter()
        .map(|(name, e)| {
            let locations = e
                .raw
                .locations
                .iter()
                .flatten()
                .map(|(loc, blocks)| {
                    let blocks = blocks.iter().map(|b| b.as_str().trim().to_string());
                    (loc.clone(), blocks.collect())
                })
                .collect();
            let c = CidrCollection {
                id: None,
                version: None,
                locations,
            };
            (name.clone(), c)
        })
        .collect()
}

/// A validated geoproximity member's routing.
pub(super) fn geoproximity(g: &RawGeoproximity) -> Routing {
    let text = |t: Option<&crate::spec::scalar::Text>| {
        t.map(|t| t.as_str().trim().to_string()).unwrap_or_default()
    };
    Routing::Geoproximity {
        region: g.region.as_deref().map(|r| r.trim().to_string()),
        local_zone_group: g.local_zone_group.as_deref().map(|r| r.trim().to_string()),
        coordinates: g
            .coordinates
            .as_ref()
            .map(|c| (text(c.latitude.as_ref()), text(c.longitude.as_ref()))),
        bias: g.bias.map(|b| b.0 as i32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::raw::dns_routing::RawCoordinates;
    use crate::spec::scalar::{Int, Text};

    #[test]
    fn geoproximity_is_written_as_route_53_reports_it() {
        let g = RawGeoproximity {
            region: Some(" us-east-1 ".into()),
            bias: Some(Int(-20)),
            ..RawGeoproximity::default()
        };
        assert_eq!(
            geoproximity(&g),
            Routing::Geoproximity {
                region: Some("us-east-1".into()),
                local_zone_group: None,
                coordinates: None,
                bias: Some(-20),
            }
        );
        let g = RawGeoproximity {
            coordinates: Some(RawCoordinates {
                latitude: Some(Text("40.71".into())),
                longitude: Some(Text("-74.01".into())),
            }),
            ..RawGeoproximity::default()
        };
        let Routing::Geoproximity {
            coordinates, bias, ..
        } = geoproximity(&g)
        else {
            panic!("geoproximity")
        };
        assert_eq!(coordinates, Some(("40.71".into(), "-74.01".into())));
        assert_eq!(bias, None);
    }
}
