//! Network load balancer rules added in December 2026: weighted forwards
//! on NLB listeners and QUIC target groups with their targets' server IDs.
//! The listener/target-group protocol pairing lives in `action`; this file
//! owns what only NLBs and QUIC add.
//!
//! AWS's rules, from the Network Load Balancer guide:
//! - weighted target groups on the default action, 1..5 groups, weights
//!   0..999 (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html,
//!   "Distribute traffic to multiple target groups"); forward stickiness is
//!   an Application Load Balancer feature;
//! - QUIC and TCP_QUIC target groups cannot be IPv6
//!   (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-target-group.html);
//! - `QuicServerId` is required for targets of QUIC and TCP_QUIC target
//!   groups and cannot be used with other protocols: `0x` followed by 16
//!   lowercase hexadecimal characters, unique at the listener level
//!   (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html).

use std::collections::BTreeSet;

use super::common::not_applicable;
use crate::spec::diag::Check;
use crate::spec::raw::RawTargetGroup;

/// Whether `proto` is a QUIC protocol (`QUIC` or `TCP_QUIC`).
pub fn is_quic(proto: Option<&str>) -> bool {
    matches!(proto, Some("QUIC" | "TCP_QUIC"))
}

/// A forward with `count` target groups (and forward stickiness if
/// `sticky`) on a listener of a `lb_type` load balancer: weighted forwards
/// need an application or network load balancer, forward stickiness an
/// application one.
pub fn weighted_forward(c: &mut Check, rel: &str, lb_type: &str, count: usize, sticky: bool) {
    if count > 1 && lb_type == "gateway" {
        c.hint(
            &format!("{rel}.target_groups"),
            "weighted forwards need an application or network load balancer",
            "gateway load balancer listeners can only forward to one target group",
        );
    }
    if sticky && lb_type != "application" {
        c.hint(
            &format!("{rel}.stickiness"),
            "forward stickiness needs an application load balancer",
            format!(
                "remove `stickiness`; on {lb_type} load balancers use the target groups' `attributes.stickiness`"
            ),
        );
    }
}

/// The QUIC rules of one target group: no IPv6, no stickiness,
/// and `quic_server_id` on every target of a QUIC group (and on no other).
pub fn target_group(c: &mut Check, tg: &RawTargetGroup) {
    let proto = tg.protocol();
    let quic = tg.target_type() != "lambda" && is_quic(proto.as_deref());
    let proto = proto.unwrap_or_default();
    if quic {
        if tg.ip_address_type.as_deref() == Some("ipv6") {
            c.hint(
                "ip_address_type",
                format!("{proto} target groups cannot be IPv6"),
                "use `ip_address_type: ipv4` (or leave it out)",
            );
        }
        let sticky = tg.attributes.as_ref().and_then(|a| a.stickiness.as_ref());
        if sticky.and_then(|s| s.enabled) == Some(true) {
            c.hint(
                "attributes.stickiness.enabled",
                format!("{proto} target groups do not support stickiness"),
                "remove `stickiness`; QUIC connections are routed to their target by server ID",
            );
        }
    }
    let list = tg
        .targets
        .as_ref()
        .and_then(|t| t.list.as_deref())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for (i, t) in list.iter().enumerate() {
        let rel = format!("targets.list[{i}]");
        match (&t.quic_server_id, quic) {
            (Some(_), false) => not_applicable(
                c,
                &format!("{rel}.quic_server_id"),
                "quic_server_id",
                "targets of QUIC and TCP_QUIC target groups",
            ),
            (None, true) if t.instances.is_some() => c.hint(
                &format!("{rel}.instances"),
                format!("targets of {proto} target groups need a `quic_server_id` each; an instance selector cannot give one"),
                "list each instance by `id` with its own `quic_server_id: 0x...`",
            ),
            (None, true) => c.hint(
                &rel,
                format!("a target of a {proto} target group needs `quic_server_id`"),
                "add `quic_server_id: 0x` followed by 16 lowercase hex digits, e.g. `0x0123456789abcdef`",
            ),
            (Some(id), true) => {
                let srel = format!("{rel}.quic_server_id");
                if !server_id_ok(id) {
                    c.hint(
                        &srel,
                        format!("invalid QUIC server ID `{id}`"),
                        "write `0x` followed by 16 lowercase hex digits, e.g. `0x0123456789abcdef`",
                    );
                } else if !seen.insert(id.as_str()) {
                    c.hint(
                        &srel,
                        format!("QUIC server ID `{id}` is used by two targets"),
                        "give every target its own server ID (AWS requires them unique per listener)",
                    );
                }
            }
            (None, false) => {}
        }
    }
}

/// `0x` and 16 lowercase hexadecimal digits.
fn server_id_ok(id: &str) -> bool {
    id.strip_prefix("0x").is_some_and(|h| {
        h.len() == 16
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::diag::Source;
    use crate::spec::location::Locations;

    fn messages(f: impl FnOnce(&mut Check)) -> Vec<String> {
        let src = Source {
            file: "t".into(),
            locations: Locations::default(),
        };
        let mut out = Vec::new();
        let mut c = Check {
            src: &src,
            out: &mut out,
            what: "x".into(),
            base: "b".into(),
        };
        f(&mut c);
        out.into_iter().map(|d| d.message).collect()
    }

    fn tg(yaml: &str) -> Vec<String> {
        let tg: RawTargetGroup = serde_yaml::from_str(yaml).unwrap();
        messages(|c| target_group(c, &tg))
    }

    #[test]
    fn weighted_forwards_are_for_application_and_network_listeners() {
        for lb in ["application", "network"] {
            assert!(messages(|c| weighted_forward(c, "f", lb, 2, false)).is_empty());
        }
        let gw = messages(|c| weighted_forward(c, "f", "gateway", 2, false));
        assert!(gw[0].contains("need an application or network load balancer"));
        let sticky = messages(|c| weighted_forward(c, "f", "network", 2, true));
        assert_eq!(
            sticky,
            ["x: forward stickiness needs an application load balancer"]
        );
    }

    #[test]
    fn quic_targets_need_server_ids_and_others_refuse_them() {
        let ok = "{ protocol: QUIC, port: 443, target_type: ip, targets: { list: [ { id: 10.0.0.1, quic_server_id: \"0x0000000000000001\" } ] } }";
        assert!(tg(ok).is_empty());
        let missing =
            tg("{ protocol: TCP_QUIC, port: 443, targets: { list: [ { id: i-0123 } ] } }");
        assert!(missing[0].contains("needs `quic_server_id`"), "{missing:?}");
        let twice = "{ protocol: QUIC, port: 443, targets: { list: [ { id: i-01, quic_server_id: \"0x0000000000000001\" }, { id: i-02, quic_server_id: \"0x0000000000000001\" } ] } }";
        assert!(tg(twice)[0].contains("is used by two targets"));
        let selector = tg("{ protocol: QUIC, port: 443, targets: { list: [ { instances: { tags: { a: b } } } ] } }");
        assert!(selector[0].contains("an instance selector cannot give one"));
        let tcp = tg("{ protocol: TCP, port: 443, targets: { list: [ { id: i-01, quic_server_id: \"0x0000000000000001\" } ] } }");
        assert!(tcp[0].contains("only applies to targets of QUIC"));
        // lambda target groups have no protocol: nothing QUIC about them.
        assert!(tg("{ target_type: lambda }").is_empty());
    }

    #[test]
    fn server_ids_are_0x_and_16_lowercase_hex_digits() {
        assert!(server_id_ok("0x0123456789abcdef"));
        assert!(!server_id_ok("0x0123456789ABCDEF"));
        assert!(!server_id_ok("0123456789abcdef00"));
        assert!(!server_id_ok("0x0123456789abcde"));
        assert!(!server_id_ok("0x0123456789abcdefg"));
    }
}
