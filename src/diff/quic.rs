//! QUIC server IDs of targets: AWS cannot change the `QuicServerId` of a
//! registered target, so a target (same ID and port) whose server ID in the
//! spec differs from the live one is deregistered and registered again with
//! the new ID, in one targets step (the executor deregisters first).
//! A live target without a server ID read back is left alone.

use crate::model::{Target, TargetGroup};
use crate::plan::Change;

/// The targets of `want` whose server ID differs from the live one in
/// `have`: (live target, desired target) pairs.
pub(super) fn changed(want: &TargetGroup, have: &TargetGroup) -> Vec<(Target, Target)> {
    want.targets
        .list
        .iter()
        .filter_map(|w| {
            let h = have.targets.list.get(w)?;
            let differs = w.quic_server_id.is_some()
                && h.quic_server_id.is_some()
                && w.quic_server_id != h.quic_server_id;
            differs.then(|| (h.clone(), w.clone()))
        })
        .collect()
}

/// The plan line of one re-registration.
pub(super) fn change(have: &Target, want: &Target) -> Change {
    Change::new(
        format!("targets.{want}.quic_server_id"),
        &have.quic_server_id,
        &want.quic_server_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tg(id: Option<&str>) -> TargetGroup {
        let mut tg: TargetGroup = serde_json::from_value(serde_json::json!({
            "name": "q", "protocol": "QUIC", "port": 443, "target_type": "ip",
            "vpc_id": "vpc-1", "health_check": {}, "attributes": {}, "tags": {},
            "targets": { "mode": "exclusive", "list": [] }
        }))
        .unwrap();
        tg.targets.list.insert(Target {
            id: "10.0.0.1".into(),
            port: Some(443),
            availability_zone: None,
            quic_server_id: id.map(str::to_string),
        });
        tg
    }

    #[test]
    fn a_changed_server_id_is_a_re_registration() {
        let want = tg(Some("0x0000000000000002"));
        let have = tg(Some("0x0000000000000001"));
        let pairs = changed(&want, &have);
        assert_eq!(pairs.len(), 1);
        let c = change(&pairs[0].0, &pairs[0].1);
        assert_eq!(c.path, "targets.10.0.0.1:443.quic_server_id");
        assert!(changed(&want, &want).is_empty());
        // Not read back (or not given): nothing to compare.
        assert!(changed(&want, &tg(None)).is_empty());
    }
}
