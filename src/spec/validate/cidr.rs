//! CIDR routing rules: the top-level `cidr_collections:` (collection and
//! location names, CIDR blocks) and a record's `cidr:` (a collection the
//! spec defines, members whose `location` is one of its locations or `*`,
//! each location once).
//!
//! Route 53 (API reference: `CreateCidrCollection`, `CidrCollectionChange`,
//! `CidrRoutingConfig`): collection names are 1..64 of `[0-9A-Za-z_-]`,
//! location names 1..16 of the same (`*`, the default, only in records),
//! at most 1,000 blocks per change.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::spec::diag::{suggest, Check};
use crate::spec::location::join_key;
use crate::spec::raw::cidr::RawCidr;
use crate::spec::raw::dns::{Member, MemberKind};
use crate::spec::{Diagnostic, Spec};

/// Blocks per ChangeCidrCollection change (Route 53's `CidrList` maximum).
const MAX_BLOCKS: usize = 1000;

/// Check every collection of `cidr_collections:`.
pub(super) fn collections(spec: &Spec, out: &mut Vec<Diagnostic>) {
    for (name, entry) in &spec.cidr_collections {
        let mut c = Check {
            src: &spec.sources[entry.file],
            out,
            what: format!("CIDR collection `{name}`"),
            base: join_key("cidr_collections", name),
        };
        if !valid_name(name, 64) {
            c.hint(
                "",
                format!("CIDR collection name `{name}` is not valid"),
                "use 1 to 64 letters, digits, `-` and `_`",
            );
        }
        let Some(locations) = entry.raw.locations.as_ref().filter(|l| !l.is_empty()) else {
            c.hint(
                "",
                "a CIDR collection needs `locations`",
                "add `locations: { hq: [10.1.0.0/16] }`",
            );
            continue;
        };
        for (location, blocks) in locations {
            let rel = join_key("locations", location);
            if !valid_name(location, 16) {
                c.hint(
                    &rel,
                    format!("location name `{location}` is not valid"),
                    "use 1 to 16 letters, digits, `-` and `_` (`*` is the records' default, not a location)",
                );
            }
            if blocks.is_empty() {
                c.hint(
                    &rel,
                    format!("location `{location}` has no CIDR blocks"),
                    "list at least one block, like `10.1.0.0/16`",
                );
            }
            if blocks.len() > MAX_BLOCKS {
                c.err(&rel, format!("location `{location}` has {} CIDR blocks; Route 53 takes at most {MAX_BLOCKS}", blocks.len()));
            }
            for (i, b) in blocks.iter().enumerate() {
                if !valid_block(b.as_str().trim()) {
                    c.hint(
                        &format!("{rel}[{i}]"),
                        format!("`{b}` is not a CIDR block"),
                        "write an IPv4 or IPv6 network with its prefix length, like `10.1.0.0/16`",
                    );
                }
            }
        }
    }
}

/// A record's `cidr:`: its collection is defined; every member's location
/// is one of the collection's or `*`, each used once.
pub(super) fn record(c: &mut Check, cidr: &RawCidr, members: &[Member], spec: &Spec) {
    let locations: Option<Vec<&str>> = match cidr.collection.as_deref() {
        None => {
            c.hint(
                "cidr",
                "`cidr` needs `collection`",
                "name a collection of the top-level `cidr_collections:`",
            );
            None
        }
        Some(name) => match spec.cidr_collections.get(name) {
            None => {
                let names: Vec<&str> = spec.cidr_collection_names().collect();
                c.hint(
                    "cidr.collection",
                    format!("CIDR collection `{name}` is not defined in `cidr_collections`"),
                    suggest(name, &names, "CIDR collections"),
                );
                None
            }
            Some(e) => Some(
                e.raw
                    .locations
                    .iter()
                    .flat_map(|l| l.keys().map(String::as_str))
                    .collect(),
            ),
        },
    };
    if cidr.members.as_ref().is_none_or(Vec::is_empty) {
        c.hint(
            "cidr",
            "`cidr` needs at least one member in `members`",
            "add `members: [ { id: hq, location: hq, values: [...] } ]`",
        );
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for m in members {
        let MemberKind::Cidr(_, x) = m.kind else {
            continue;
        };
        let rel = join_key(&m.rel, "location");
        let Some(location) = x.location.as_ref().map(|l| l.as_str().trim()) else {
            c.hint(
                &m.rel,
                "a CIDR member needs `location`",
                "add `location: NAME` (a location of the collection) or `location: \"*\"`",
            );
            continue;
        };
        if let Some(first) = seen.insert(location.to_string(), m.rel.clone()) {
            c.hint(
                &rel,
                format!(
                    "location `{location}` is used twice in this record set (first at {first})"
                ),
                "give each location one member",
            );
        }
        if let Some(known) = locations
            .as_ref()
            .filter(|k| location != "*" && !k.contains(&location))
        {
            let collection = cidr.collection.as_deref().unwrap_or_default();
            let listed: Vec<String> = known.iter().map(|l| format!("`{l}`")).collect();
            c.hint(
                &rel,
                format!("location `{location}` is not in CIDR collection `{collection}`"),
                format!(
                    "use one of {} or `*` (every other client), or add it to \
                     `cidr_collections.{collection}.locations`",
                    listed.join(", ")
                ),
            );
        }
    }
}

/// 1..`max` of `[0-9A-Za-z_-]`.
fn valid_name(name: &str, max: usize) -> bool {
    (1..=max).contains(&name.len())
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
}

/// `ADDRESS/PREFIX` with a prefix length the address family allows.
pub(super) fn valid_block(b: &str) -> bool {
    let Some((addr, len)) = b.split_once('/') else {
        return false;
    };
    let Ok(len) = len.parse::<u8>() else {
        return false;
    };
    match addr.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => len <= 32,
        Ok(IpAddr::V6(_)) => len <= 128,
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_names() {
        assert!(valid_block("10.1.0.0/16"));
        assert!(valid_block("2001:db8::/32"));
        assert!(!valid_block("10.1.0.0/33"));
        assert!(!valid_block("10.1.0.0"));
        assert!(!valid_block("hq/8"));
        assert!(valid_name("corp-ranges_1", 64));
        assert!(!valid_name("*", 16));
        assert!(!valid_name("a-very-long-location-name", 16));
    }
}
