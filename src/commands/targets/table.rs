//! Output of `lbctl targets`: the `list`/`health` table, and targets
//! written the way they are given as arguments (`id:port`, `[v6]:port`).

use std::fmt::Write as _;

use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};

use crate::aws::TargetHealth;
use crate::model::Target;

/// Target, port, zone, state, reason and description, one row per target.
pub(super) fn table(health: &[TargetHealth]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec![
        "target",
        "port",
        "zone",
        "state",
        "reason",
        "description",
    ]);
    for h in health {
        t.add_row(vec![
            h.target.id.clone(),
            h.target.port.map_or("-".into(), |p| p.to_string()),
            h.target
                .availability_zone
                .clone()
                .unwrap_or_else(|| "-".into()),
            h.state.as_str().to_string(),
            h.reason.clone().unwrap_or_else(|| "-".into()),
            h.description.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    t.to_string()
}

/// `id:port`, `[v6]:port`, or the bare ID when there is no port.
pub(super) fn display(id: &str, port: Option<u16>) -> String {
    match port {
        Some(p) if id.contains(':') && !id.starts_with("arn:") => format!("[{id}]:{p}"),
        Some(p) => format!("{id}:{p}"),
        None => id.to_string(),
    }
}

pub(super) fn show(t: &Target) -> String {
    display(&t.id, t.port)
}

pub(super) fn list_targets(targets: &[Target]) -> String {
    let mut out = String::new();
    for (i, t) in targets.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{sep}{}", show(t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_display_like_arguments() {
        assert_eq!(display("10.0.0.1", Some(80)), "10.0.0.1:80");
        assert_eq!(display("2001:db8::1", Some(80)), "[2001:db8::1]:80");
        assert_eq!(
            display("arn:aws:lambda:us-east-1:1:function:f", None),
            "arn:aws:lambda:us-east-1:1:function:f"
        );
    }
}
