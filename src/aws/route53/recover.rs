//! Telling whether a ChangeResourceRecordSets that Route 53 refused had in
//! fact already been applied: by re-reading the zone, never by guessing.
//!
//! A change batch is not idempotent. When its answer is lost (the request
//! reached Route 53, the connection dropped), the SDK sends it again and
//! Route 53 refuses the repeat with InvalidChangeBatch ("Tried to create
//! resource record set ... but it already exists", or "... not found" for
//! a DELETE), although the first attempt succeeded. Batches are atomic, so
//! if the zone now holds exactly what the batch creates and none of what it
//! only deletes, the batch was applied. moto refuses the repeat the same
//! way (a CREATE conflicts with an identical earlier change).

use std::collections::BTreeMap;

use aws_sdk_route53::types::{Change, ChangeAction};
use aws_sdk_route53::Client;

use super::convert::record_from_sdk;
use super::read::all_record_sets;
use crate::aws::AwsError;
use crate::model::dns::{Record, RecordKey, ZoneInfo};

/// A record as compared here: values as a set (Route 53 does not keep
/// their order).
fn normalised(mut record: Record) -> Record {
    record.values.sort();
    record
}

/// Whether the zone `zone_id` (`zone` by name) already holds the end
/// state of `changes`.
pub(crate) async fn batch_applied(
    r53: &Client,
    zone_id: &str,
    zone: &str,
    changes: &[Change],
) -> Result<bool, AwsError> {
    let info = ZoneInfo {
        id: zone_id.to_string(),
        name: zone.to_string(),
        private: false,
    };
    let live: BTreeMap<(RecordKey, Option<String>), Record> = all_record_sets(r53, &info)
        .await?
        .iter()
        .map(|rr| {
            let (key, record) = record_from_sdk(rr);
            ((key, record.set_identifier.clone()), normalised(record))
        })
        .collect();
    Ok(holds(&live, changes))
}

/// Whether `live` holds every record `changes` creates and none of those it
/// deletes without creating again.
fn holds(live: &BTreeMap<(RecordKey, Option<String>), Record>, changes: &[Change]) -> bool {
    let mut end: BTreeMap<(RecordKey, Option<String>), Option<Record>> = BTreeMap::new();
    for change in changes {
        let Some(rr) = change.resource_record_set() else {
            return false;
        };
        let (key, record) = record_from_sdk(rr);
        let id = (key, record.set_identifier.clone());
        match change.action() {
            ChangeAction::Create | ChangeAction::Upsert => {
                end.insert(id, Some(normalised(record)));
            }
            ChangeAction::Delete => {
                end.entry(id).or_insert(None);
            }
            _ => return false,
        }
    }
    end.iter().all(|(id, want)| live.get(id) == want.as_ref())
}

#[cfg(test)]
mod tests {
    use aws_sdk_route53::types::{ResourceRecord, ResourceRecordSet, RrType};

    use super::*;

    fn rr(name: &str, id: &str, weight: i64, value: &str) -> ResourceRecordSet {
        ResourceRecordSet::builder()
            .name(name)
            .r#type(RrType::A)
            .set_identifier(id)
            .weight(weight)
            .ttl(60)
            .resource_records(ResourceRecord::builder().value(value).build().unwrap())
            .build()
            .unwrap()
    }

    fn change(action: ChangeAction, rr: ResourceRecordSet) -> Change {
        Change::builder()
            .action(action)
            .resource_record_set(rr)
            .build()
            .unwrap()
    }

    fn live(records: &[ResourceRecordSet]) -> BTreeMap<(RecordKey, Option<String>), Record> {
        records
            .iter()
            .map(|rr| {
                let (key, record) = record_from_sdk(rr);
                ((key, record.set_identifier.clone()), normalised(record))
            })
            .collect()
    }

    #[test]
    fn a_weight_shift_is_applied_only_when_the_new_weights_are_live() {
        let batch = [
            change(
                ChangeAction::Delete,
                rr("api.example.com.", "blue", 50, "192.0.2.1"),
            ),
            change(
                ChangeAction::Create,
                rr("api.example.com.", "blue", 90, "192.0.2.1"),
            ),
        ];
        let before = live(&[rr("api.example.com.", "blue", 50, "192.0.2.1")]);
        let after = live(&[rr("API.example.com", "blue", 90, "192.0.2.1")]);
        assert!(!holds(&before, &batch));
        assert!(holds(&after, &batch));
    }

    #[test]
    fn a_delete_is_applied_when_the_record_is_gone() {
        let batch = [change(
            ChangeAction::Delete,
            rr("api.example.com.", "blue", 50, "192.0.2.1"),
        )];
        assert!(holds(&live(&[]), &batch));
        assert!(!holds(
            &live(&[rr("api.example.com.", "blue", 50, "192.0.2.1")]),
            &batch
        ));
    }
}
