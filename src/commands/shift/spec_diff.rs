//! The spec change that makes shifted weights permanent: the `weight: N`
//! of each target group in the listener's (or rule's) forward, or of each
//! member of a weighted record set, rewritten in the spec's own text and
//! handed to `unified` to show.
//!
//! This is a line-based edit, not a YAML round trip, so comments and layout
//! survive. For a forward it finds the load balancer's key, then the
//! listener's `port:`, then (with `--rule`) the rule's `priority:`; for a
//! record set the zone under `dns:` (`zone:` by name or ID), the record
//! under its `records:` with that `name:` (made absolute as the spec does)
//! and `type:`, then its `weighted:` list. In there, the first line naming
//! each member (`name: TG` or `id: ID`, flow style `- { ..., weight: N }`
//! or block style with `weight: N` on a line of the same item) gets the new
//! weight. Anything else it reports as not found; a weight given as a
//! `${param}` reference it reports as such.

use crate::model::dns::RecordKey;
use crate::spec::{absolute_record, absolute_zone};

use super::steps::Weights;

/// Where the weights are.
pub(super) enum Place<'a> {
    /// A listener's forward, or one rule's.
    Forward {
        load_balancer: &'a str,
        port: u16,
        rule: Option<u32>,
    },
    /// A weighted record set.
    Record {
        /// `example.com.`
        zone_name: &'a str,
        zone_id: &'a str,
        key: &'a RecordKey,
    },
}

/// Why the weights could not be rewritten.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Miss {
    /// Something on the way was not found (what, as a message).
    NotFound(String),
    /// A member's weight is a parameter reference (`${green_weight}`).
    Param { member: String, reference: String },
}

impl From<String> for Miss {
    fn from(why: String) -> Miss {
        Miss::NotFound(why)
    }
}

impl From<&str> for Miss {
    fn from(why: &str) -> Miss {
        Miss::NotFound(why.to_string())
    }
}

/// The spec text with the weights rewritten, or why that was not possible.
pub(super) fn rewrite(text: &str, place: &Place, weights: &Weights) -> Result<String, Miss> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let ((start, end), key, what) = match place {
        Place::Forward {
            load_balancer,
            port,
            rule,
        } => (
            forward_block(&lines, load_balancer, *port, *rule)?,
            "name",
            "target group",
        ),
        Place::Record {
            zone_name,
            zone_id,
            key,
        } => (
            weighted_block(&lines, zone_name, zone_id, key)?,
            "id",
            "member",
        ),
    };
    for (name, weight) in weights {
        let at = (start..end)
            .find(|&i| key_value(&lines[i], key).as_deref() == Some(name.as_str()))
            .ok_or_else(|| format!("no line naming {what} `{name}` (`{key}: {name}`)"))?;
        let (item, item_end) = item(&lines, start, at, end);
        let target = (item..item_end)
            .find(|&i| key_value(&lines[i], "weight").is_some())
            .ok_or_else(|| format!("no `weight:` with {what} `{name}`"))?;
        let current = key_value(&lines[target], "weight").unwrap_or_default();
        if current.starts_with('$') {
            return Err(Miss::Param {
                member: name.clone(),
                reference: current,
            });
        }
        lines[target] = set_weight(&lines[target], *weight);
    }
    Ok(lines.concat())
}

/// The list item (within `start..end`) that line `at` belongs to: from its
/// `- ` line to the next line indented as little.
fn item(lines: &[String], start: usize, at: usize, end: usize) -> (usize, usize) {
    let first = (start..=at)
        .rev()
        .find(|&i| is_item(&lines[i]) && indent(&lines[i]) <= indent(&lines[at]))
        .unwrap_or(at);
    let level = indent(&lines[first]);
    let last = (at + 1..end)
        .find(|&i| !strip(&lines[i]).is_empty() && indent(&lines[i]) <= level)
        .unwrap_or(end);
    (first, last)
}

/// Whether the line starts a list item.
fn is_item(line: &str) -> bool {
    let t = strip(line);
    t == "-" || t.starts_with("- ")
}

/// The line range of the listener's default action (before its `rules:`)
/// or of the rule.
fn forward_block(
    lines: &[String],
    lb: &str,
    port: u16,
    rule: Option<u32>,
) -> Result<(usize, usize), String> {
    let section = lines
        .iter()
        .position(|l| l.trim_end() == "load_balancers:")
        .ok_or("no `load_balancers:` section")?;
    let lb_line = (section + 1..lines.len())
        .find(|&i| {
            let key = strip(&lines[i]);
            [format!("{lb}:"), format!("\"{lb}\":"), format!("'{lb}':")].contains(&key.to_string())
        })
        .ok_or_else(|| format!("no load balancer `{lb}` under `load_balancers:`"))?;
    let lb_end = block_end(lines, lb_line, indent(&lines[lb_line]));
    let is_port = |l: &str| item_key(l, "port");
    let port_line = (lb_line..lb_end)
        .find(|&i| is_port(&lines[i]) && value(&lines[i], "port:") == port.to_string())
        .ok_or_else(|| format!("no listener with `port: {port}` in `{lb}`"))?;
    let listener_end = (port_line + 1..lb_end)
        .find(|&i| is_port(&lines[i]))
        .unwrap_or(lb_end);
    let is_priority = |l: &str| item_key(l, "priority");
    match rule {
        None => {
            let end = (port_line + 1..listener_end)
                .find(|&i| strip(&lines[i]) == "rules:" || is_priority(&lines[i]))
                .unwrap_or(listener_end);
            Ok((port_line, end))
        }
        Some(p) => {
            let start = (port_line + 1..listener_end)
                .find(|&i| is_priority(&lines[i]) && value(&lines[i], "priority:") == p.to_string())
                .ok_or_else(|| format!("no rule with `priority: {p}` in that listener"))?;
            let end = (start + 1..listener_end)
                .find(|&i| is_priority(&lines[i]))
                .unwrap_or(listener_end);
            Ok((start, end))
        }
    }
}

/// The line range of the record set's `weighted:` list.
fn weighted_block(
    lines: &[String],
    zone_name: &str,
    zone_id: &str,
    key: &RecordKey,
) -> Result<(usize, usize), String> {
    let section = lines
        .iter()
        .position(|l| strip(l) == "dns:" && indent(l) == 0)
        .ok_or("no `dns:` section")?;
    let dns_end = block_end(lines, section, 0);
    let zone_line = (section + 1..dns_end)
        .find(|&i| names_zone(&lines[i], zone_name, zone_id))
        .ok_or_else(|| {
            format!(
                "no `zone: {}` under `dns:`",
                zone_name.trim_end_matches('.')
            )
        })?;
    let (zone_start, zone_end) = item(lines, section + 1, zone_line, dns_end);
    let records = (zone_start..zone_end)
        .find(|&i| item_key(&lines[i], "records"))
        .ok_or("no `records:` in that zone")?;
    let shown = format!(
        "`name: {}` with `type: {}`",
        relative(&key.name, zone_name),
        key.rtype
    );
    let (record_start, record_end) = (records + 1..zone_end)
        .filter(|&i| key_value(&lines[i], "name").is_some())
        .map(|i| item(lines, records + 1, i, zone_end))
        .find(|&(s, e)| is_record(lines, s, e, zone_name, key))
        .ok_or_else(|| format!("no record {shown} in that zone's `records:`"))?;
    let keys = indent(&lines[record_start]) + 2;
    let weighted = (record_start..record_end)
        .find(|&i| {
            item_key(&lines[i], "weighted") && (i == record_start || indent(&lines[i]) == keys)
        })
        .ok_or_else(|| format!("record {shown} has no `weighted:` list"))?;
    // A list may sit at its key's indent: it ends at the next line that is
    // not deeper and not an item.
    let end = (weighted + 1..record_end)
        .find(|&i| {
            let l = &lines[i];
            !strip(l).is_empty() && indent(l) <= keys && !(indent(l) == keys && is_item(l))
        })
        .unwrap_or(record_end);
    Ok((weighted, end))
}

/// Whether the record item `start..end` has this absolute name and type
/// (its own keys only, not those of a member's health check).
fn is_record(lines: &[String], start: usize, end: usize, zone: &str, key: &RecordKey) -> bool {
    let keys = indent(&lines[start]) + 2;
    let own = |i: &usize| *i == start || indent(&lines[*i]) == keys;
    let name = (start..end)
        .filter(own)
        .find_map(|i| key_value(&lines[i], "name"));
    let rtype = (start..end)
        .filter(own)
        .find_map(|i| key_value(&lines[i], "type"));
    name.is_some_and(|n| absolute_record(&n, zone) == key.name)
        && rtype.is_some_and(|t| t.eq_ignore_ascii_case(&key.rtype))
}

/// Whether the line is the `zone:` of this zone, by name or by ID
/// (`zone: example.com`, `zone: { id: Z123 }`,
/// `zone: { name: example.com, private: true }`).
fn names_zone(line: &str, name: &str, id: &str) -> bool {
    if !item_key(line, "zone") {
        return false;
    }
    let matches =
        |v: String| absolute_zone(&v) == name || v.trim_start_matches("/hostedzone/") == id;
    let code = strip(line);
    let rest = code[code.find("zone:").unwrap_or(0) + "zone:".len()..].trim();
    if rest.starts_with('{') {
        key_value(rest, "name").is_some_and(matches) || key_value(rest, "id").is_some_and(matches)
    } else {
        matches(value(line, "zone:"))
    }
}

/// `api.example.com.` in `example.com.` -> `api`; the apex -> `@`.
fn relative(name: &str, zone: &str) -> String {
    if name == zone {
        return "@".to_string();
    }
    name.strip_suffix(&format!(".{zone}"))
        .unwrap_or(name)
        .to_string()
}

/// The first line after `start` indented at most `level` (the end of the
/// block that `start` opens).
fn block_end(lines: &[String], start: usize, level: usize) -> usize {
    (start + 1..lines.len())
        .find(|&i| !strip(&lines[i]).is_empty() && indent(&lines[i]) <= level)
        .unwrap_or(lines.len())
}

/// Whether the line's (first) key, after an optional `- `, is `key`.
fn item_key(line: &str, key: &str) -> bool {
    let t = strip(line);
    t.strip_prefix("- ")
        .unwrap_or(t)
        .trim_start()
        .starts_with(&format!("{key}:"))
}

/// The scalar of `key:` on the line where `key` is a whole key (at the
/// start, or after a blank, `{`, `,` or `-`), if any.
fn key_value(line: &str, key: &str) -> Option<String> {
    let code = strip(line);
    let pattern = format!("{key}:");
    let mut from = 0;
    while let Some(found) = code[from..].find(&pattern) {
        let at = from + found;
        let whole = code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, ' ' | '{' | ',' | '-'));
        if whole {
            return Some(scalar(&code[at + pattern.len()..]));
        }
        from = at + pattern.len();
    }
    None
}

/// The scalar at the start of `rest` (up to `,`, `}` or the end), unquoted.
fn scalar(rest: &str) -> String {
    let t = rest.trim_start();
    // A `${...}` reference (quoted or not) may hold commas of its own.
    let quote = usize::from(t.starts_with(['"', '\'']));
    let end = if t[quote..].starts_with("${") {
        t[quote..].find('}').map_or(t.len(), |i| quote + i + 1)
    } else {
        t.find([',', '}']).unwrap_or(t.len())
    };
    t[..end].trim().trim_matches(['"', '\'']).to_string()
}

/// The line without its comment and surrounding blanks.
fn strip(line: &str) -> &str {
    let code = match line.find(" #") {
        Some(i) => &line[..i],
        None if line.trim_start().starts_with('#') => "",
        None => line,
    };
    code.trim()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The scalar after `key` on the line (up to `,`, `}` or the end).
fn value(line: &str, key: &str) -> String {
    let code = strip(line);
    let Some(i) = code.find(key) else {
        return String::new();
    };
    code[i + key.len()..]
        .split([',', '}'])
        .next()
        .unwrap_or_default()
        .trim()
        .trim_matches(['"', '\''])
        .to_string()
}

/// The line with the number after `weight:` replaced.
fn set_weight(line: &str, weight: u32) -> String {
    let Some(i) = line.find("weight:") else {
        return line.to_string();
    };
    let after = i + "weight:".len();
    let rest = &line[after..];
    let spaces = rest.len() - rest.trim_start().len();
    let digits = rest[spaces..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len() - spaces);
    format!(
        "{}{weight}{}",
        &line[..after + spaces],
        &line[after + spaces + digits..]
    )
}

#[cfg(test)]
mod tests;
