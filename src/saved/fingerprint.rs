//! Fingerprints of live objects and of SSM parameter values: the canonical
//! JSON and sha256 behind them, the keys they are stored under, and the
//! words apply uses when one moved.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::{SavedNames, ABSENT};
use crate::aws::Live;
use crate::model::dns::{self, Zone, ZoneRef};

/// Fingerprints of every object `names` covers, and of every load balancer
/// and target group `live` holds besides (those the stack's tag brought in).
pub fn fingerprints(stack: &str, names: &SavedNames, live: &Live) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let target_groups: BTreeSet<&String> = names
        .target_groups
        .iter()
        .chain(live.model.target_groups.keys())
        .collect();
    for name in target_groups {
        let object = live.model.target_groups.get(name).map(|tg| {
            json!({
                "target_group": tg,
                "arn": live.index.target_group_arn(name),
                "in_use": live.in_use.contains(name),
            })
        });
        out.insert(format!("target_group/{name}"), fingerprint(object));
    }
    let load_balancers: BTreeSet<&String> = names
        .load_balancers
        .iter()
        .chain(live.model.load_balancers.keys())
        .collect();
    for name in load_balancers {
        let object = live.model.load_balancers.get(name).map(|lb| {
            let entry = live.index.load_balancer(name);
            json!({
                "load_balancer": lb,
                "arn": entry.as_ref().map(|e| &e.arn),
                "dns_name": entry.as_ref().and_then(|e| e.dns_name.as_ref()),
                "hosted_zone_id": entry.as_ref().and_then(|e| e.hosted_zone_id.as_ref()),
            })
        });
        out.insert(format!("load_balancer/{name}"), fingerprint(object));
    }
    let zones = &live.model.dns.zones;
    for zone_ref in &names.zones {
        let (label, zone) = find_zone(zones, zone_ref);
        let object = zone.map(|z| json!({ "name": z.name, "id": z.id, "private": z.private }));
        out.insert(format!("zone/{label}"), fingerprint(object));
    }
    for (zone_name, keys) in &names.record_sets {
        let zone = zones.get(zone_name);
        for key in keys {
            let set = zone
                .and_then(|z| z.record_sets.get(key))
                .filter(|s| !s.members.is_empty());
            out.insert(
                format!("record_set/{zone_name}/{key}"),
                fingerprint(set.map(|s| json!(s))),
            );
        }
        let owned = zone.map(|z| json!(owned_by(z, stack)));
        out.insert(format!("owned/{zone_name}"), fingerprint(owned));
    }
    out
}

/// The zone a reference names among those read, and the label of the
/// reference in fingerprint keys.
fn find_zone<'a>(
    zones: &'a BTreeMap<String, Zone>,
    zone_ref: &ZoneRef,
) -> (String, Option<&'a Zone>) {
    match zone_ref {
        ZoneRef::Name { name, private } => {
            let mut name = name.to_lowercase();
            if !name.ends_with('.') {
                name.push('.');
            }
            let private = private.unwrap_or(false);
            let zone = zones.get(&name).filter(|z| z.private == private);
            (name, zone)
        }
        ZoneRef::Id(id) => {
            let bare = |id: &str| id.trim_start_matches("/hostedzone/").to_string();
            let zone = zones
                .values()
                .find(|z| z.id.as_deref().map(bare) == Some(bare(id)));
            (bare(id), zone)
        }
    }
}

/// The (name, type)s of a zone that `stack` owns.
fn owned_by(zone: &Zone, stack: &str) -> Vec<String> {
    zone.record_sets
        .iter()
        .filter(|(_, set)| {
            set.members
                .iter()
                .flat_map(|m| &m.values)
                .any(|v| dns::parse_owner_value(v).as_deref() == Some(stack))
        })
        .filter_map(|(key, _)| dns::owned_key(key))
        .map(|key| key.to_string())
        .collect()
}

/// What a fingerprint key names, in words, and how it moved.
pub(super) fn moved(stack: &str, key: &str, was_absent: bool, is_absent: bool) -> String {
    let (kind, name) = key.split_once('/').unwrap_or((key, ""));
    let what = match kind {
        "record_set" => match name.split_once('/') {
            Some((zone, record)) => format!("record_set `{record}` in zone `{zone}`"),
            None => format!("record_set `{name}`"),
        },
        "owned" => format!("the set of record sets stack `{stack}` owns in zone `{name}`"),
        "zone" => format!("hosted zone `{name}`"),
        _ => format!("{kind} `{name}`"),
    };
    let how = match (was_absent, is_absent) {
        (true, false) => "was created",
        (false, true) => "was deleted",
        _ => "changed",
    };
    format!("{what} {how} since the plan was made")
}

/// `sha256:<hex>` of the canonical JSON of an object, or [`ABSENT`].
pub(super) fn fingerprint(object: Option<Value>) -> String {
    match object {
        Some(value) => {
            let mut text = String::new();
            canonical(&value, &mut text);
            format!("sha256:{}", hex(&Sha256::digest(text.as_bytes())))
        }
        None => ABSENT.to_string(),
    }
}

/// JSON with object keys sorted and no whitespace: the same object always
/// gives the same text, whatever order its maps were built in.
pub(super) fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A secret's fingerprint, salted so that a guessable value cannot be
/// looked up from the file.
pub(super) fn parameter_fingerprint(salt: &str, name: &str, value: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [salt, name, value] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

/// 16 random bytes as hex, from the operating system; the clock and the
/// process ID where there is no `/dev/urandom`.
pub(super) fn new_salt() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let seed = format!("{now:?} {}", std::process::id());
        bytes.copy_from_slice(&Sha256::digest(seed.as_bytes())[..16]);
    }
    hex(&bytes)
}
