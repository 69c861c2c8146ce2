//! The model routing of the December 2026 routing kinds, written as
//! Route 53 reports it back (region trimmed, coordinates as given), so
//! that apply followed by plan shows no changes.

use crate::model::dns::Routing;
use crate::spec::raw::dns::RawGeoproximity;

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
