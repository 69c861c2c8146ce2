//! Saved plans (`plan --out`, `apply PLAN`): the file format, fingerprints
//! of the live objects a plan was made from, and keeping SecureString
//! values out of the file.
//!
//! A saved plan is the plan with its operations plus, for every live object
//! the plan read (or looked for and did not find), a sha256 fingerprint of
//! that object. Before running a saved plan, apply reads the same objects
//! again and compares fingerprints: if anything moved, the reviewed steps
//! may no longer be right, and apply refuses. The format is documented in
//! `docs/saved-plan.md`.
//!
//! Pure: no AWS call, no file access. The commands read the file and AWS
//! and hand the results in.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::aws::{Live, Names};
use crate::model::dns::{self, RecordKey, Zone, ZoneRef};
use crate::model::Model;
use crate::plan::{Op, Plan, Summary};
use crate::safety::Thresholds;

/// What the `kind` field of a saved plan says.
pub const KIND: &str = "lbctl-saved-plan";

/// Version of the saved plan format.
pub const FORMAT_VERSION: u32 = 1;

/// The fingerprint of an object that does not exist.
pub const ABSENT: &str = "absent";

/// The version of lbctl that writes and reads saved plans: operations are
/// the executor's data, so a plan is only applied by the version that made
/// it.
const LBCTL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Start of the marker that stands for a SecureString value in the file.
const MARKER_START: &str = "(sensitive ssm:";

/// A saved plan, as written to and read from the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedPlan {
    pub format_version: u32,
    /// Always [`KIND`].
    pub kind: String,
    pub lbctl_version: String,
    pub stack: String,
    /// The region the plan was made for (`--region` or the spec's), if
    /// either gave one; apply uses it unless `--region` is given.
    pub region: Option<String>,
    /// `--endpoint-url` when planning, if given; apply uses it unless
    /// `--endpoint-url` is given.
    pub endpoint_url: Option<String>,
    /// What to read again before applying.
    pub names: SavedNames,
    /// `kind/name` -> `sha256:<hex>` of the live object, or [`ABSENT`].
    pub fingerprints: BTreeMap<String, String>,
    /// SSM SecureString parameters the operations use: name -> salted
    /// fingerprint of the value (never the value).
    #[serde(default)]
    pub parameters: BTreeMap<String, String>,
    /// Random salt of the parameter fingerprints (hex).
    #[serde(default)]
    pub salt: String,
    /// The safety thresholds in effect when planning (spec and flags);
    /// apply checks the plan against them again, its own flags winning.
    #[serde(default)]
    pub safety: Option<Thresholds>,
    pub summary: Summary,
    pub warnings: Vec<String>,
    /// The plan with its operations; every SecureString value in an
    /// operation is replaced by `(sensitive ssm:NAME)`.
    pub plan: Value,
}

/// What apply reads again: what the plan read, plus the record sets whose
/// state the plan depends on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedNames {
    pub target_groups: BTreeSet<String>,
    pub load_balancers: BTreeSet<String>,
    pub zones: Vec<ZoneRef>,
    /// Zone name (`example.com.`) -> record sets the plan changes or checks
    /// ownership of, ownership records included.
    pub record_sets: BTreeMap<String, BTreeSet<RecordKey>>,
}

impl SavedNames {
    /// The names to read live state for.
    pub fn to_names(&self) -> Names {
        Names {
            target_groups: self.target_groups.clone(),
            load_balancers: self.load_balancers.clone(),
            zones: self.zones.clone(),
        }
    }
}

/// Why a saved plan cannot be written or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SavedError {
    #[error("not an lbctl saved plan: {0}")]
    Format(String),
    #[error("the saved plan was made by lbctl {found}, this is lbctl {LBCTL_VERSION}")]
    Version { found: String },
    #[error(
        "a SecureString value would be written to the saved plan at `{0}`; refusing to save it"
    )]
    Secret(String),
    #[error("the saved plan refers to SSM parameter `{0}`, which it does not list")]
    UnknownParameter(String),
}

/// What a plan was made from, for [`save`].
pub struct Source<'a> {
    pub plan: &'a Plan,
    pub names: &'a Names,
    pub desired: &'a Model,
    pub live: &'a Live,
    /// SecureString values by SSM parameter name.
    pub secrets: &'a BTreeMap<String, String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub thresholds: Option<Thresholds>,
}

/// The saved plan for a fresh plan. Fails rather than let a SecureString
/// value reach the file.
pub fn save(source: &Source) -> Result<SavedPlan, SavedError> {
    let names = SavedNames {
        target_groups: source.names.target_groups.clone(),
        load_balancers: source.names.load_balancers.clone(),
        zones: source.names.zones.clone(),
        record_sets: record_keys(source.desired, source.plan),
    };
    let fingerprints = fingerprints(&source.plan.stack, &names, source.live);
    // Changes, notes and warnings are masked as for display; operations
    // keep a marker that apply replaces with the value fetched again.
    let shown = crate::render::redact::plan(source.plan);
    let mut plan = serde_json::to_value(&*shown).expect("a plan serialises");
    let by_length = secrets_longest_first(source.secrets);
    if let Some(steps) = plan.get_mut("steps").and_then(Value::as_array_mut) {
        for step in steps {
            if let Some(op) = step.get_mut("op") {
                map_strings(op, &mut |s| hide(s, &by_length));
            }
        }
    }
    let salt = new_salt();
    let parameters = source
        .secrets
        .iter()
        .map(|(name, value)| (name.clone(), parameter_fingerprint(&salt, name, value)))
        .collect();
    let saved = SavedPlan {
        format_version: FORMAT_VERSION,
        kind: KIND.to_string(),
        lbctl_version: LBCTL_VERSION.to_string(),
        stack: source.plan.stack.clone(),
        region: source.region.clone(),
        endpoint_url: source.endpoint_url.clone(),
        names,
        fingerprints,
        parameters,
        salt,
        safety: source.thresholds,
        summary: source.plan.summary(),
        warnings: shown.warnings.clone(),
        plan,
    };
    let value = serde_json::to_value(&saved).expect("a saved plan serialises");
    match find_secret(&value, &mut String::new()) {
        Some(at) => Err(SavedError::Secret(at)),
        None => Ok(saved),
    }
}

/// Parse a saved plan file and check that this lbctl can apply it.
pub fn parse(text: &str) -> Result<SavedPlan, SavedError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| SavedError::Format(format!("invalid JSON: {e}")))?;
    if value.get("kind").and_then(Value::as_str) != Some(KIND) {
        return Err(SavedError::Format(format!("`kind` is not `{KIND}`")));
    }
    let version = value.get("format_version").and_then(Value::as_u64);
    if version != Some(u64::from(FORMAT_VERSION)) {
        return Err(SavedError::Format(format!(
            "`format_version` is {}, expected {FORMAT_VERSION}",
            version.map_or("missing".to_string(), |v| v.to_string())
        )));
    }
    let saved: SavedPlan =
        serde_json::from_value(value).map_err(|e| SavedError::Format(e.to_string()))?;
    if saved.lbctl_version != LBCTL_VERSION {
        return Err(SavedError::Version {
            found: saved.lbctl_version,
        });
    }
    Ok(saved)
}

/// What moved since the plan was made, one line per object
/// (`target_group `web-blue` changed since the plan was made`); empty when
/// nothing did. `live` is read again with [`SavedNames::to_names`];
/// `parameters` holds the current values of the saved plan's SSM
/// parameters (a parameter that is gone is missing).
pub fn drift(saved: &SavedPlan, live: &Live, parameters: &BTreeMap<String, String>) -> Vec<String> {
    let now = fingerprints(&saved.stack, &saved.names, live);
    let keys: BTreeSet<&String> = saved.fingerprints.keys().chain(now.keys()).collect();
    let absent = ABSENT.to_string();
    let mut out = Vec::new();
    for key in keys {
        let before = saved.fingerprints.get(key).unwrap_or(&absent);
        let after = now.get(key).unwrap_or(&absent);
        if before != after {
            out.push(moved(&saved.stack, key, before == ABSENT, after == ABSENT));
        }
    }
    for (name, fingerprint) in &saved.parameters {
        match parameters.get(name) {
            None => out.push(format!(
                "SSM parameter `{name}` was deleted since the plan was made"
            )),
            Some(value) if parameter_fingerprint(&saved.salt, name, value) != *fingerprint => {
                out.push(format!(
                    "SSM parameter `{name}` changed since the plan was made"
                ));
            }
            Some(_) => {}
        }
    }
    out
}

/// The plan to run: the saved one with SecureString values put back.
pub fn into_plan(
    saved: SavedPlan,
    parameters: &BTreeMap<String, String>,
) -> Result<Plan, SavedError> {
    let mut plan = saved.plan;
    let mut unknown = None;
    if let Some(steps) = plan.get_mut("steps").and_then(Value::as_array_mut) {
        for step in steps {
            if let Some(op) = step.get_mut("op") {
                map_strings(op, &mut |s| {
                    let revealed = reveal(s, &saved.parameters, parameters);
                    if let Err(name) = &revealed {
                        unknown.get_or_insert_with(|| name.clone());
                    }
                    revealed.ok().flatten()
                });
            }
        }
    }
    if let Some(name) = unknown {
        return Err(SavedError::UnknownParameter(name));
    }
    serde_json::from_value(plan).map_err(|e| SavedError::Format(format!("`plan`: {e}")))
}

/// Record sets the plan's outcome depends on, by zone: every (name, type)
/// the spec lists and every one a step changes, each with its ownership
/// record.
pub fn record_keys(desired: &Model, plan: &Plan) -> BTreeMap<String, BTreeSet<RecordKey>> {
    let mut out: BTreeMap<String, BTreeSet<RecordKey>> = BTreeMap::new();
    let mut add = |zone: &str, key: &RecordKey| {
        let keys = out.entry(zone.to_string()).or_default();
        let other = dns::owned_key(key).unwrap_or_else(|| dns::owner_key(key));
        keys.insert(key.clone());
        keys.insert(other);
    };
    for (zone_name, zone) in &desired.dns.zones {
        for key in zone.record_sets.keys() {
            add(zone_name, key);
        }
    }
    for step in &plan.steps {
        if let Op::RecordSet { zone, key, .. } = &step.op {
            add(zone, key);
        }
    }
    for zone_name in desired.dns.zones.keys() {
        out.entry(zone_name.clone()).or_default();
    }
    out
}

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
fn moved(stack: &str, key: &str, was_absent: bool, is_absent: bool) -> String {
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
fn fingerprint(object: Option<Value>) -> String {
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
fn canonical(value: &Value, out: &mut String) {
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
fn parameter_fingerprint(salt: &str, name: &str, value: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [salt, name, value] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

/// 16 random bytes as hex, from the operating system; the clock and the
/// process ID where there is no `/dev/urandom`.
fn new_salt() -> String {
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

fn marker(name: &str) -> String {
    format!("{MARKER_START}{name})")
}

/// Secrets (name, value) with the longest value first, so that a secret
/// containing another is replaced whole. Values shorter than
/// `secrets::MIN_LEN` are left alone, as everywhere else (see
/// `crate::secrets`).
fn secrets_longest_first(secrets: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = secrets
        .iter()
        .filter(|(_, v)| v.chars().count() >= crate::secrets::MIN_LEN)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    out.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.cmp(b)));
    out
}

/// `s` with each secret value replaced by its marker; `None` if it holds
/// none.
fn hide(s: &str, secrets: &[(&str, &str)]) -> Option<String> {
    let mut out: Option<String> = None;
    for (name, value) in secrets {
        let current = out.as_deref().unwrap_or(s);
        if current.contains(value) {
            out = Some(current.replace(value, &marker(name)));
        }
    }
    out
}

/// `s` with each marker replaced by the value fetched now; `Ok(None)` if
/// it holds none, `Err(name)` for a marker naming a parameter the saved
/// plan does not list or that is gone.
fn reveal(
    s: &str,
    listed: &BTreeMap<String, String>,
    values: &BTreeMap<String, String>,
) -> Result<Option<String>, String> {
    if !s.contains(MARKER_START) {
        return Ok(None);
    }
    let mut out = s.to_string();
    for name in listed.keys() {
        let m = marker(name);
        if out.contains(&m) {
            let value = values.get(name).ok_or_else(|| name.clone())?;
            out = out.replace(&m, value);
        }
    }
    if let Some(start) = out.find(MARKER_START) {
        let rest = &out[start + MARKER_START.len()..];
        return Err(rest.split(')').next().unwrap_or(rest).to_string());
    }
    Ok(Some(out))
}

/// Apply `f` to every string value (not object keys) of `value`, replacing
/// those for which it returns `Some`.
fn map_strings(value: &mut Value, f: &mut impl FnMut(&str) -> Option<String>) {
    match value {
        Value::String(s) => {
            if let Some(new) = f(s) {
                *s = new;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| map_strings(v, f)),
        Value::Object(map) => map.values_mut().for_each(|v| map_strings(v, f)),
        _ => {}
    }
}

/// Where in `value` a registered secret occurs (string or key), as a JSON
/// pointer.
fn find_secret(value: &Value, at: &mut String) -> Option<String> {
    let leaks = |s: &str| matches!(crate::secrets::scrub(s), std::borrow::Cow::Owned(_));
    match value {
        Value::String(s) if leaks(s) => Some(at.clone()),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
            let len = at.len();
            let _ = write!(at, "/{i}");
            let found = find_secret(v, at);
            at.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if leaks(k) {
                // The key itself is the secret: name the object instead.
                return Some(format!("{at}/(a key)"));
            }
            let len = at.len();
            let _ = write!(at, "/{k}");
            let found = find_secret(v, at);
            at.truncate(len);
            found
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dns::{owner_key, owner_record, RecordSet};

    fn key(name: &str, rtype: &str) -> RecordKey {
        RecordKey {
            name: name.into(),
            rtype: rtype.into(),
        }
    }

    fn names() -> SavedNames {
        SavedNames {
            target_groups: ["web".to_string()].into(),
            load_balancers: ["web".to_string()].into(),
            zones: vec![ZoneRef::Name {
                name: "Example.com".into(),
                private: None,
            }],
            record_sets: [(
                "example.com.".to_string(),
                [
                    key("api.example.com.", "A"),
                    owner_key(&key("api.example.com.", "A")),
                ]
                .into(),
            )]
            .into(),
        }
    }

    fn live_with(sets: &[(RecordKey, RecordSet)]) -> Live {
        let mut live = Live::default();
        let zone = Zone {
            name: "example.com.".into(),
            id: Some("Z1".into()),
            private: false,
            record_sets: sets.iter().cloned().collect(),
        };
        live.model.dns.zones.insert(zone.name.clone(), zone);
        live
    }

    fn saved(names: SavedNames, live: &Live) -> SavedPlan {
        SavedPlan {
            format_version: FORMAT_VERSION,
            kind: KIND.into(),
            lbctl_version: LBCTL_VERSION.into(),
            stack: "shop".into(),
            region: None,
            endpoint_url: None,
            fingerprints: fingerprints("shop", &names, live),
            names,
            parameters: BTreeMap::new(),
            salt: "00".into(),
            safety: None,
            summary: Summary::default(),
            warnings: vec![],
            plan: serde_json::to_value(Plan::default()).unwrap(),
        }
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a: Value =
            serde_json::from_str(r#"{"b":1,"a":{"y":[{"d":1,"c":2}],"x":"s"}}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a":{"x":"s","y":[{"c":2,"d":1}]},"b":1}"#).unwrap();
        let mut text = String::new();
        canonical(&a, &mut text);
        assert_eq!(text, r#"{"a":{"x":"s","y":[{"c":2,"d":1}]},"b":1}"#);
        assert_eq!(fingerprint(Some(a)), fingerprint(Some(b)));
        assert_eq!(fingerprint(None), ABSENT);
    }

    #[test]
    fn absent_objects_are_fingerprinted_so_their_creation_is_seen() {
        let live = Live::default();
        let names = names();
        let fp = fingerprints("shop", &names, &live);
        assert_eq!(fp["target_group/web"], ABSENT);
        assert_eq!(fp["load_balancer/web"], ABSENT);
        assert_eq!(fp["zone/example.com."], ABSENT);
        assert_eq!(fp["record_set/example.com./api.example.com. A"], ABSENT);
        assert_eq!(fp["owned/example.com."], ABSENT);

        let plan = saved(names, &live);
        let now = live_with(&[(
            key("api.example.com.", "A"),
            RecordSet {
                members: vec![owner_record("x")],
            },
        )]);
        let drift = drift(&plan, &now, &BTreeMap::new());
        assert_eq!(
            drift,
            [
                "the set of record sets stack `shop` owns in zone `example.com.` was created since the plan was made",
                "record_set `api.example.com. A` in zone `example.com.` was created since the plan was made",
                "hosted zone `example.com.` was created since the plan was made",
            ]
        );
    }

    #[test]
    fn a_changed_record_set_and_a_changed_owner_are_named() {
        let okey = owner_key(&key("api.example.com.", "A"));
        let before = live_with(&[(
            okey.clone(),
            RecordSet {
                members: vec![owner_record("shop")],
            },
        )]);
        let plan = saved(names(), &before);
        assert!(drift(&plan, &before, &BTreeMap::new()).is_empty());
        let after = live_with(&[(
            okey,
            RecordSet {
                members: vec![owner_record("other")],
            },
        )]);
        let drift = drift(&plan, &after, &BTreeMap::new());
        assert_eq!(drift.len(), 2, "{drift:?}");
        assert!(drift[0].contains("stack `shop` owns in zone `example.com.` changed"));
        assert!(drift[1]
            .contains("record_set `_lbctl.a.api.example.com. TXT` in zone `example.com.` changed"));
    }

    #[test]
    fn a_live_object_that_appears_outside_the_names_is_seen_too() {
        let plan = saved(names(), &Live::default());
        let mut now = Live::default();
        now.in_use.insert("x".into());
        assert!(drift(&plan, &now, &BTreeMap::new()).is_empty());
        assert_eq!(
            moved("shop", "target_group/extra", true, false),
            "target_group `extra` was created since the plan was made"
        );
        assert_eq!(
            moved("shop", "load_balancer/web", false, true),
            "load_balancer `web` was deleted since the plan was made"
        );
    }

    #[test]
    fn secrets_become_markers_and_come_back() {
        let secrets: BTreeMap<String, String> = [
            ("/a".to_string(), "hunter2-saved".to_string()),
            ("/b".to_string(), "hunter2-saved-longer".to_string()),
            ("/short".to_string(), "abc".to_string()),
        ]
        .into();
        let by_length = secrets_longest_first(&secrets);
        let hidden = hide("x hunter2-saved-longer y hunter2-saved abc", &by_length).unwrap();
        assert_eq!(hidden, "x (sensitive ssm:/b) y (sensitive ssm:/a) abc");
        assert_eq!(hide("nothing", &by_length), None);
        let listed: BTreeMap<String, String> =
            secrets.keys().map(|k| (k.clone(), String::new())).collect();
        assert_eq!(
            reveal(&hidden, &listed, &secrets).unwrap().as_deref(),
            Some("x hunter2-saved-longer y hunter2-saved abc")
        );
        assert_eq!(
            reveal("(sensitive ssm:/zzz)", &listed, &secrets),
            Err("/zzz".to_string())
        );
    }

    #[test]
    fn a_changed_or_deleted_secret_is_drift() {
        let mut plan = saved(names(), &Live::default());
        plan.parameters.insert(
            "/p".into(),
            parameter_fingerprint(&plan.salt, "/p", "v1-value"),
        );
        let live = Live::default();
        let values = |v: &str| BTreeMap::from([("/p".to_string(), v.to_string())]);
        assert!(drift(&plan, &live, &values("v1-value")).is_empty());
        assert_eq!(
            drift(&plan, &live, &values("v2-value")),
            ["SSM parameter `/p` changed since the plan was made"]
        );
        assert_eq!(
            drift(&plan, &live, &BTreeMap::new()),
            ["SSM parameter `/p` was deleted since the plan was made"]
        );
        assert_ne!(
            parameter_fingerprint("s1", "/p", "v"),
            parameter_fingerprint("s2", "/p", "v")
        );
    }

    #[test]
    fn a_secret_left_anywhere_stops_the_save() {
        crate::secrets::register(["leaky-saved-secret"]);
        let value =
            json!({ "a": [ { "b": "x leaky-saved-secret" } ], "c": { "leaky-saved-secret": 1 } });
        assert_eq!(
            find_secret(&value, &mut String::new()).as_deref(),
            Some("/a/0/b")
        );
        let value = json!({ "c": { "leaky-saved-secret": 1 } });
        assert_eq!(
            find_secret(&value, &mut String::new()).as_deref(),
            Some("/c/(a key)")
        );
    }

    #[test]
    fn parse_checks_kind_and_versions() {
        let plan = saved(names(), &Live::default());
        let text = serde_json::to_string(&plan).unwrap();
        assert_eq!(parse(&text).unwrap().names, plan.names);
        assert!(matches!(parse("{}"), Err(SavedError::Format(_))));
        let other = text.replace(LBCTL_VERSION, "0.0.0-other");
        assert!(matches!(parse(&other), Err(SavedError::Version { .. })));
        let plan = into_plan(parse(&text).unwrap(), &BTreeMap::new()).unwrap();
        assert!(plan.is_empty());
    }
}
