//! `dns:` rules at the zone level: how a zone is named, a zone listed
//! twice, and each record's name and type, with the conflicts between the
//! records of one zone (the same (name, type) twice, a CNAME beside other
//! types or at the apex). The routing keys of each record are checked in
//! `record`.
//!
//! Zones given by ID have no name before AWS is asked, so their relative
//! record names stay relative here; `Spec::to_model` checks that such
//! names land inside the zone once it is found.

use crate::model::vocab::RecordType;
use std::collections::BTreeMap;

use super::common::one_of_values;
use super::{record, record_alias, Broken};
use crate::model::dns::ZoneRef;
use crate::spec::diag::{one_of, Check};
use crate::spec::raw::dns::{absolute_record, in_zone, zone_id, RawZone, RawZoneName};
use crate::spec::{Diagnostic, Spec};

/// Check every zone of the spec, appending every problem to `out`.
pub fn check(spec: &Spec, broken: &Broken, out: &mut Vec<Diagnostic>) {
    // Where each zone was first listed: (file, path).
    let mut seen: BTreeMap<ZoneRef, (String, String)> = BTreeMap::new();
    for e in &spec.dns {
        let src = &spec.sources[e.file];
        let z = &e.raw;
        let mut c = Check {
            src,
            out,
            what: match z.zone {
                Some(_) => format!("zone `{}`", label(z)),
                None => format!("zone #{}", z.index),
            },
            base: format!("dns[{}]", z.index),
        };
        let Some(zone) = &z.zone else {
            c.hint(
                "",
                "`zone` is required",
                "add `zone: example.com` or `zone: { id: Z... }`",
            );
            continue;
        };
        let name = zone_name(&mut c, zone);
        if let Some(key) = identity(zone) {
            let here = (src.file.clone(), c.path("zone"));
            match seen.get(&key) {
                Some((file, _)) => {
                    let msg = if *file == src.file {
                        format!("zone `{}` is listed twice in `{file}`", label(z))
                    } else {
                        format!(
                            "zone `{}` is listed twice: in `{file}` and in `{}`",
                            label(z),
                            src.file
                        )
                    };
                    c.hint(
                        "zone",
                        msg,
                        "list each hosted zone once, with all its records",
                    );
                }
                None => {
                    seen.insert(key, here);
                }
            }
        }
        records(&mut c, name.as_deref(), z, spec, broken);
    }
}

/// How a zone is named in messages: `example.com.`, its ID, or `#0`.
pub fn label(z: &RawZone) -> String {
    let zone = z.zone.as_ref();
    zone.and_then(RawZoneName::name)
        .or_else(|| zone.and_then(RawZoneName::id))
        .unwrap_or_else(|| format!("#{}", z.index))
}

/// What makes two zone entries the same zone: the ID, or the name and
/// whether it is private.
fn identity(zone: &RawZoneName) -> Option<ZoneRef> {
    match (zone.id(), zone.name()) {
        (Some(id), _) => Some(ZoneRef::Id(id)),
        (None, Some(name)) => Some(ZoneRef::Name {
            name,
            private: Some(zone.private().unwrap_or(false)),
        }),
        (None, None) => None,
    }
}

/// Check how the zone is named; its absolute name when the spec gives a
/// valid one.
fn zone_name(c: &mut Check, zone: &RawZoneName) -> Option<String> {
    let name = match zone {
        RawZoneName::Name(n) => Some(n.clone()),
        RawZoneName::Map(m) => {
            match (&m.id, &m.name) {
                (Some(_), Some(_)) => c.hint(
                    "zone",
                    "give either `id` or `name`, not both",
                    "`{ id: Z... }` picks the zone by ID; `{ name: ..., private: true }` by name",
                ),
                (None, None) => c.hint(
                    "zone",
                    "`zone` needs `name` or `id`",
                    "write `zone: { name: example.com }` or `zone: { id: Z... }`",
                ),
                (Some(id), None) => {
                    if m.private.is_some() {
                        c.hint(
                            "zone.private",
                            "`private` only applies to zones given by `name`",
                            "the ID already picks one zone; remove `private`",
                        );
                    }
                    if !valid_zone_id(&zone_id(id)) {
                        c.hint(
                            "zone.id",
                            format!("`{id}` is not a hosted zone ID"),
                            "hosted zone IDs look like `Z0123456789ABCDEFGHIJ`",
                        );
                    }
                }
                (None, Some(_)) => {}
            }
            m.name.clone()
        }
    }?;
    let rel = match zone {
        RawZoneName::Name(_) => "zone",
        RawZoneName::Map(_) => "zone.name",
    };
    if name.trim() == "." {
        let hint = "lbctl manages records in hosted zones such as `example.com`";
        c.hint(rel, "the root zone cannot be managed", hint);
        return None;
    }
    match dns_name_problem(&name) {
        Some(problem) => {
            let hint = "write the zone's domain name, like `example.com`";
            c.hint(rel, format!("zone name `{name}` {problem}"), hint);
            None
        }
        None => zone.name(),
    }
}

/// Upper-case letters and digits. AWS's IDs start with `Z`; moto's and
/// other emulators' need not, so that is not required.
fn valid_zone_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .chars()
            .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit())
}

/// Why `name` (relative or absolute) is not a DNS name Route 53 takes
/// without escapes, if it is not.
pub fn dns_name_problem(name: &str) -> Option<&'static str> {
    let n = name.trim();
    let n = n.strip_suffix('.').unwrap_or(n);
    if n.is_empty() {
        return Some("is empty");
    }
    if n.len() > 254 {
        return Some("is longer than 255 characters");
    }
    for label in n.split('.') {
        if label.is_empty() {
            return Some("has an empty label (`..`)");
        }
        if label.len() > 63 {
            return Some("has a label longer than 63 characters");
        }
        if !label
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_*".contains(ch))
        {
            return Some("may only contain letters, digits, `-`, `_`, `*` and dots");
        }
    }
    None
}

/// Names and types of the zone's records, and the conflicts between them.
fn records(c: &mut Check, zone: Option<&str>, z: &RawZone, spec: &Spec, broken: &Broken) {
    // Record names of the zone -> (type, index) of each record there.
    let mut by_name: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (j, r) in &z.records {
        let rel = format!("records[{j}]");
        let written = r.name.as_ref().map(|n| n.0.trim().to_string());
        // Absolute when it can be; a relative name in a zone given by ID
        // stays relative (it still identifies the record within the zone).
        let key = written.as_deref().map(|n| match zone {
            Some(zone) => absolute_record(n, zone),
            None => n.to_ascii_lowercase(),
        });
        let rtype = r.rtype();
        let mut rc = c.sub(
            &rel,
            format!(
                "record `{} {}`",
                key.as_deref().unwrap_or("?"),
                rtype.as_deref().unwrap_or("?")
            ),
        );
        match written.as_deref() {
            None => rc.hint(
                "",
                "`name` is required",
                "give a name relative to the zone, or `@` for the apex",
            ),
            Some(n) => record_name(&mut rc, n, zone),
        }
        let known_type = match rtype.as_deref() {
            None => {
                rc.hint("", "`type` is required", one_of(&RecordType::spec_names()));
                false
            }
            Some(t) => one_of_values(&mut rc, "type", "record type", t, &RecordType::spec_names()),
        };
        let rtype = rtype.filter(|_| known_type);
        if let (Some(key), Some(t)) = (&key, &rtype) {
            let apex = zone.map_or(written.as_deref() == Some("@"), |z| key == z);
            if t == "CNAME" && apex {
                rc.hint(
                    "type",
                    "a CNAME record cannot be at the zone apex",
                    "use an `alias` A or AAAA record at the apex instead",
                );
            }
            let others = by_name.entry(key.clone()).or_default();
            conflicts(&mut rc, zone, key, t, others);
            others.push((t.clone(), *j));
        }
        record::check(&mut rc, r, rtype.as_deref(), spec, broken);
    }
    record_alias::zone(c, zone, z);
}

/// A record name: a DNS name, inside the zone.
fn record_name(c: &mut Check, name: &str, zone: Option<&str>) {
    if name == "@" {
        return;
    }
    if let Some(problem) = dns_name_problem(name) {
        let hint = "use letters, digits and `-`; `@` for the apex, `*` for a wildcard";
        return c.hint("name", format!("record name `{name}` {problem}"), hint);
    }
    let Some(zone) = zone else { return };
    let abs = absolute_record(name, zone);
    if !in_zone(&abs, zone) {
        let hint = format!(
            "write names relative to the zone (`www`), or end an absolute name with `.{zone}`"
        );
        c.hint(
            "name",
            format!("record name `{name}` is not in zone `{zone}`"),
            hint,
        );
    } else if !name.ends_with('.') && in_zone(&format!("{}.", name.to_ascii_lowercase()), zone) {
        // `www.example.com` in `example.com.` means
        // `www.example.com.example.com.`: almost always a missing dot.
        let hint = format!("end an absolute name with a dot (`{name}.`) or write it relative");
        c.hint(
            "name",
            format!("record name `{name}` is relative, so it stands for `{abs}`"),
            hint,
        );
    }
}

/// The same (name, type) twice, or a CNAME beside other types.
fn conflicts(
    c: &mut Check,
    zone: Option<&str>,
    name: &str,
    rtype: &str,
    others: &[(String, usize)],
) {
    let in_zone = zone.map(|z| format!(" in zone `{z}`")).unwrap_or_default();
    if let Some((_, first)) = others.iter().find(|(t, _)| t == rtype) {
        let msg = format!("`{name} {rtype}` is listed twice{in_zone} (first as records[{first}])");
        let hint = "merge them into one record; use a routing policy for several members";
        return c.hint("", msg, hint);
    }
    let clash = others
        .iter()
        .find(|(t, _)| (t == "CNAME") != (rtype == "CNAME"));
    if let Some((other, first)) = clash {
        let other = if rtype == "CNAME" { other } else { rtype };
        let msg = format!(
            "`{name}` has records of type CNAME and {other} (records[{first}]); \
             a CNAME cannot share its name with other records"
        );
        let hint = "remove one of them, or replace the CNAME with an alias A record";
        c.hint("type", msg, hint);
    }
}
