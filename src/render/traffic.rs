//! The traffic analysis (`plan --traffic`, see `crate::traffic`) as text
//! tables: each target's share of its listener, weighted DNS, failover
//! times, then notes. Warnings are not repeated here: they go into the
//! plan's warnings. A share computed from a SecureString weight, and a
//! failover time from a SecureString TTL, show as `(sensitive)` (see
//! `crate::secrets::Place`).

use std::fmt::Write;

use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, ContentArrangement, Table};

use std::collections::BTreeSet;

use crate::plan::Kind;
use crate::secrets::MASK;
use crate::traffic::{percent, Analysis};

/// What the registered SecureString places make secret here: the shares
/// of load balancers with a secret forward weight, of record sets with a
/// secret weight, and the failover times of record sets with a secret TTL.
#[derive(Default)]
struct Hidden {
    load_balancers: BTreeSet<String>,
    records: BTreeSet<String>,
    ttls: BTreeSet<String>,
}

impl Hidden {
    fn now() -> Hidden {
        let mut h = Hidden::default();
        for p in crate::secrets::places() {
            match (p.kind, p.key.as_str()) {
                (Kind::Listener | Kind::Rule, "weight") => {
                    let lb = p.step.split(':').next().unwrap_or_default();
                    h.load_balancers.insert(lb.to_string());
                }
                (Kind::RecordSet, "weight") => {
                    h.records.insert(p.step);
                }
                (Kind::RecordSet, "ttl") => {
                    h.ttls.insert(p.step);
                }
                _ => {}
            }
        }
        h
    }
}

/// A share, or [`MASK`] when it is computed from a secret.
fn share(hidden: bool, fraction: f64) -> String {
    if hidden {
        MASK.to_string()
    } else {
        percent(fraction)
    }
}

/// The analysis as text, secrets masked.
pub fn analysis(a: &Analysis) -> String {
    let out = text(a);
    crate::secrets::scrub(&out).into_owned()
}

fn table(header: &[&str], rows: Vec<Vec<String>>, right: &[usize]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    // On a terminal, wrapped to its width.
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_header(header.to_vec());
    for row in rows {
        t.add_row(row);
    }
    for &i in right {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.to_string()
}

fn set_id(id: &Option<String>) -> String {
    id.clone().unwrap_or_else(|| "-".to_string())
}

fn text(a: &Analysis) -> String {
    let hidden = Hidden::now();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Traffic share after apply (share of each listener's or rule's traffic):"
    );
    if a.shares.is_empty() {
        let _ = writeln!(out, "  no listener forwards to a target group");
    } else {
        let rows = a
            .shares
            .iter()
            .map(|s| {
                vec![
                    s.load_balancer.clone(),
                    s.listener.clone(),
                    s.target_group.clone(),
                    s.target.clone(),
                    s.zone.clone(),
                    share(hidden.load_balancers.contains(&s.load_balancer), s.share),
                ]
            })
            .collect();
        let header = [
            "load balancer",
            "listener",
            "target group",
            "target",
            "zone",
            "share",
        ];
        let _ = writeln!(out, "{}", table(&header, rows, &[5]));
    }
    if !a.dns.is_empty() {
        let _ = writeln!(out, "\nWeighted DNS records that alias a load balancer:");
        let rows = a
            .dns
            .iter()
            .map(|d| {
                vec![
                    d.record.clone(),
                    set_id(&d.set_identifier),
                    d.load_balancer.clone(),
                    share(hidden.records.contains(&d.record), d.share),
                ]
            })
            .collect();
        let header = ["record", "set", "load balancer", "share"];
        let _ = writeln!(out, "{}", table(&header, rows, &[3]));
    }
    if !a.via_dns.is_empty() {
        let _ = writeln!(
            out,
            "\nShare of each weighted record's traffic per target (record share x target share):"
        );
        let rows = a
            .via_dns
            .iter()
            .map(|p| {
                vec![
                    p.record.clone(),
                    set_id(&p.set_identifier),
                    p.target.listener.clone(),
                    p.target.target_group.clone(),
                    p.target.target.clone(),
                    p.target.zone.clone(),
                    share(
                        hidden.records.contains(&p.record)
                            || hidden.load_balancers.contains(&p.target.load_balancer),
                        p.target.share,
                    ),
                ]
            })
            .collect();
        let header = [
            "record",
            "set",
            "listener",
            "target group",
            "target",
            "zone",
            "share",
        ];
        let _ = writeln!(out, "{}", table(&header, rows, &[6]));
    }
    if !a.failovers.is_empty() {
        let _ = writeln!(
            out,
            "\nWorst-case failover time (health check interval x failure threshold + TTL):"
        );
        let rows = a
            .failovers
            .iter()
            .map(|f| {
                let secret = hidden.ttls.contains(&f.record);
                let ttl = if secret {
                    MASK.to_string()
                } else if f.ttl_assumed {
                    format!("{} (alias, assumed)", f.ttl)
                } else {
                    f.ttl.to_string()
                };
                let worst = if secret {
                    MASK.to_string()
                } else {
                    format!("{} s", f.seconds)
                };
                vec![
                    f.record.clone(),
                    f.role.clone(),
                    f.interval.to_string(),
                    f.failure_threshold.to_string(),
                    ttl,
                    worst,
                ]
            })
            .collect();
        let header = [
            "record",
            "role",
            "interval",
            "threshold",
            "ttl",
            "worst case",
        ];
        let _ = writeln!(out, "{}", table(&header, rows, &[2, 3, 5]));
    }
    for n in &a.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::traffic::{Analysis, Share};

    #[test]
    fn shares_computed_from_a_secret_weight_are_masked() {
        crate::secrets::register_places([crate::secrets::Place {
            kind: crate::plan::Kind::Listener,
            step: "traffic-secret-lb:80".into(),
            member: None,
            key: "weight".into(),
            text: "613".into(),
            parameter: "/t/w".into(),
        }]);
        let row = |lb: &str| Share {
            load_balancer: lb.into(),
            listener: "HTTP:80".into(),
            target_group: "tg".into(),
            target: "10.0.12.40:80".into(),
            zone: "us-east-1b".into(),
            share: 0.992,
        };
        let a = Analysis {
            shares: vec![row("traffic-secret-lb"), row("traffic-open-lb")],
            ..Analysis::default()
        };
        let text = super::text(&a);
        let line = |lb: &str| text.lines().find(|l| l.contains(lb)).unwrap().to_string();
        assert!(line("traffic-secret-lb").contains("(sensitive)"), "{text}");
        assert!(!line("traffic-secret-lb").contains("99.2%"), "{text}");
        assert!(line("traffic-open-lb").contains("99.2%"), "{text}");
    }

    #[test]
    fn shares_render_as_a_table_of_percentages() {
        let a = Analysis {
            shares: vec![Share {
                load_balancer: "edge".into(),
                listener: "TCP:80".into(),
                target_group: "edge-tcp".into(),
                target: "10.0.12.40:80".into(),
                zone: "us-east-1b".into(),
                share: 0.5,
            }],
            ..Analysis::default()
        };
        let text = super::text(&a);
        for part in ["load balancer", "TCP:80", "edge-tcp", "us-east-1b", "50.0%"] {
            assert!(text.contains(part), "{part} missing from\n{text}");
        }
    }
}
