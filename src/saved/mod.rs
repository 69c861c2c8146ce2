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
use serde_json::Value;

use crate::aws::{Live, Names};
use crate::model::dns::{self, RecordKey, ZoneRef};
use crate::model::Model;
use crate::plan::{Op, Plan, Summary};
use crate::safety::Thresholds;

mod fingerprint;
mod live;
mod places;

pub use fingerprint::fingerprints;
use fingerprint::{moved, new_salt, parameter_fingerprint};

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
    /// The region the plan was made for (the spec's or `--region`), if
    /// either gave one; apply uses it (a `--region` that disagrees is an
    /// error).
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
    /// CIDR collections the spec names.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub cidr_collections: BTreeSet<String>,
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
            cidr_collections: self.cidr_collections.clone(),
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
        cidr_collections: source.names.cidr_collections.clone(),
        record_sets: record_keys(source.desired, source.plan),
    };
    let fingerprints = fingerprints(&source.plan.stack, &names, source.live);
    // Changes, notes and warnings are masked as for display; operations
    // keep a marker that apply replaces with the value fetched again.
    let shown = crate::render::redact::plan(source.plan);
    let mut plan = serde_json::to_value(&*shown).expect("a plan serialises");
    let by_length = secrets_longest_first(source.secrets);
    let places = crate::secrets::places();
    if let Some(steps) = plan.get_mut("steps").and_then(Value::as_array_mut) {
        for step in steps {
            let text = |k: &str| step[k].as_str().unwrap_or_default().to_string();
            let (kind, name) = (text("kind"), text("name"));
            let secret_here = places
                .iter()
                .any(|p| p.kind.as_str() == kind && p.step == name);
            if let Some(op) = step.get_mut("op") {
                live::hide(op, secret_here);
                places::hide(op, &kind, &name, &places);
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

/// Put back the live record set members [`save`] left out (they may hold
/// a SecureString value) from `live`, read again for the drift check.
/// Call after [`drift`] found nothing moved.
pub fn restore_live(saved: &mut SavedPlan, live: &Model) -> Result<(), SavedError> {
    if let Some(steps) = saved.plan.get_mut("steps").and_then(Value::as_array_mut) {
        for op in steps.iter_mut().filter_map(|s| s.get_mut("op")) {
            live::reveal(op, live)
                .map_err(|at| SavedError::Format(format!("record set {at} is no longer live")))?;
        }
    }
    Ok(())
}

/// The plan to run: the saved one with SecureString values put back.
pub fn into_plan(
    saved: SavedPlan,
    parameters: &BTreeMap<String, String>,
) -> Result<Plan, SavedError> {
    let mut plan = saved.plan;
    let mut unknown = None;
    if let Some(steps) = plan.get_mut("steps").and_then(Value::as_array_mut) {
        let listed: Vec<&String> = saved.parameters.keys().collect();
        for step in steps {
            if let Some(op) = step.get_mut("op") {
                places::reveal(op, &listed, parameters);
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
mod tests;
