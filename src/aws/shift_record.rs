//! The Route 53 calls behind `lbctl shift --record`: find the hosted zone
//! and the weighted record set, set its members' weights, and read the
//! status of a member's Route 53 health check.
//!
//! SDK record sets stay here: a [`WeightedRecord`] exposes set identifiers,
//! weights and what each member points at (alias DNS name, health check
//! ID). A weight change is one ChangeResourceRecordSets with an UPSERT of
//! every member whose weight changes, each sent back exactly as read but
//! for `Weight` (so values, alias, TTL and health check stay), then awaited
//! until `INSYNC`. Deciding weights and gates is the command's job.

use aws_sdk_route53::types::{self as sdk, Change, ChangeAction, ChangeBatch};

use super::client::{error, own_error};
use super::route53::{all_record_sets, find_zone, normalize_name, wait_insync};
use super::{Aws, AwsError};
use crate::model::dns::{RecordKey, ZoneInfo, ZoneRef};

const OPERATION: &str = "ChangeResourceRecordSets";

/// A weighted record set, as read before a shift.
#[derive(Debug, Clone)]
pub struct WeightedRecord {
    /// `api.example.com. A`, for messages.
    pub label: String,
    /// The hosted zone.
    pub zone: ZoneInfo,
    /// Absolute name and type.
    pub key: RecordKey,
    /// Set identifiers and weights, sorted by set identifier.
    pub weights: Vec<(String, u32)>,
    /// What each member points at, in the same order.
    pub members: Vec<Member>,
    /// The members' record sets as Route 53 has them now (updated after
    /// each successful change).
    records: Vec<sdk::ResourceRecordSet>,
}

/// One member of a weighted record set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The set identifier.
    pub id: String,
    /// The alias target's DNS name, lower-case, without the trailing dot.
    pub alias: Option<String>,
    /// The Route 53 health check the member uses.
    pub health_check: Option<String>,
}

/// What looking for a weighted record set found.
#[derive(Debug)]
pub enum RecordLookup {
    Found(WeightedRecord),
    /// Why there is nothing to shift (no such record set, or it is not
    /// weighted).
    Missing(String),
}

/// What Route 53's health checkers last reported for a health check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckStatus {
    /// Checkers that reported.
    pub checkers: usize,
    /// Of those, the ones whose status starts with `Success`.
    pub healthy: usize,
    /// One failing report, if any, for messages.
    pub failure: Option<String>,
}

impl Aws {
    /// The hosted zone `zone` names; by name a public zone wins over a
    /// private one of the same name.
    pub async fn hosted_zone(&self, zone: &ZoneRef) -> Result<Option<ZoneInfo>, AwsError> {
        let r53 = &self.clients.route53;
        match zone {
            ZoneRef::Name {
                name,
                private: None,
            } => {
                for private in [false, true] {
                    let by = ZoneRef::Name {
                        name: name.clone(),
                        private: Some(private),
                    };
                    if let Some(found) = find_zone(r53, &by).await? {
                        return Ok(Some(found));
                    }
                }
                Ok(None)
            }
            other => find_zone(r53, other).await,
        }
    }

    /// The weighted record set `key` of `zone` (all record sets of the zone
    /// are listed, as `lbctl plan` does, and filtered).
    pub async fn weighted_record(
        &self,
        zone: &ZoneInfo,
        key: &RecordKey,
    ) -> Result<RecordLookup, AwsError> {
        let label = key.to_string();
        let records: Vec<sdk::ResourceRecordSet> = all_record_sets(&self.clients.route53, zone)
            .await?
            .into_iter()
            .filter(|rr| normalize_name(rr.name()) == key.name && rr.r#type().as_str() == key.rtype)
            .collect();
        if records.is_empty() {
            return Ok(RecordLookup::Missing(format!(
                "no record set `{label}` in hosted zone `{}`",
                zone.name
            )));
        }
        if records
            .iter()
            .any(|rr| rr.weight().is_none() || rr.set_identifier().is_none())
        {
            return Ok(RecordLookup::Missing(format!(
                "`{label}` is not a weighted record set (no `Weight` on every member)"
            )));
        }
        let mut records = records;
        records.sort_by(|a, b| a.set_identifier().cmp(&b.set_identifier()));
        let weights = records
            .iter()
            .map(|rr| (id_of(rr), weight_of(rr)))
            .collect();
        let members = records
            .iter()
            .map(|rr| Member {
                id: id_of(rr),
                alias: rr
                    .alias_target()
                    .map(|a| a.dns_name().trim_end_matches('.').to_ascii_lowercase()),
                health_check: rr
                    .health_check_id()
                    .filter(|id| !id.is_empty())
                    .map(str::to_string),
            })
            .collect();
        Ok(RecordLookup::Found(WeightedRecord {
            label,
            zone: zone.clone(),
            key: key.clone(),
            weights,
            members,
            records,
        }))
    }

    /// The step behind [`crate::plan::Op::SetRecordWeights`]: reads the
    /// members again (so each UPSERT carries the record set as Route 53 has
    /// it now) and sets their weights. Refuses when the set identifiers
    /// are no longer those of `weights`.
    pub(crate) async fn execute_record_weights(
        &self,
        zone: &ZoneInfo,
        key: &RecordKey,
        weights: &[(String, u32)],
    ) -> Result<(), AwsError> {
        let label = key.to_string();
        let mut record = match self.weighted_record(zone, key).await? {
            RecordLookup::Found(r) => r,
            RecordLookup::Missing(why) => {
                return Err(own_error(OPERATION, &label, "not_found", why))
            }
        };
        let mut live: Vec<&str> = record.weights.iter().map(|(n, _)| n.as_str()).collect();
        let mut wanted: Vec<&str> = weights.iter().map(|(n, _)| n.as_str()).collect();
        live.sort_unstable();
        wanted.sort_unstable();
        if live != wanted {
            return Err(own_error(
                OPERATION,
                &label,
                "changed",
                format!(
                    "the record set now has the members {}, not those this step weighs ({})",
                    live.join(", "),
                    wanted.join(", ")
                ),
            ));
        }
        self.set_record_weights(&mut record, weights).await
    }

    /// Sets the members' weights (by set identifier) in one change batch of
    /// UPSERTs, of the members whose weight changes, and waits until the
    /// change is `INSYNC`. Nothing is sent when no weight changes.
    async fn set_record_weights(
        &self,
        record: &mut WeightedRecord,
        weights: &[(String, u32)],
    ) -> Result<(), AwsError> {
        let mut updated = record.records.clone();
        let mut changes = Vec::new();
        for rr in &mut updated {
            let id = id_of(rr);
            let Some((_, weight)) = weights.iter().find(|(n, _)| *n == id) else {
                continue;
            };
            if weight_of(rr) == *weight {
                continue;
            }
            rr.weight = Some(i64::from(*weight));
            let change = Change::builder()
                .action(ChangeAction::Upsert)
                .resource_record_set(for_upsert(rr))
                .build()
                .map_err(|e| own_error(OPERATION, &record.label, "invalid", e.to_string()))?;
            changes.push(change);
        }
        if changes.is_empty() {
            return Ok(());
        }
        let batch = ChangeBatch::builder()
            .comment(format!("lbctl shift {}", record.label))
            .set_changes(Some(changes))
            .build()
            .map_err(|e| own_error(OPERATION, &record.label, "invalid", e.to_string()))?;
        let out = self
            .clients
            .route53
            .change_resource_record_sets()
            .hosted_zone_id(&record.zone.id)
            .change_batch(batch)
            .send()
            .await
            .map_err(|e| error(OPERATION, &record.label, e))?;
        record.records = updated;
        record.weights = record
            .records
            .iter()
            .map(|rr| (id_of(rr), weight_of(rr)))
            .collect();
        if let Some(info) = out.change_info() {
            wait_insync(&self.clients, &record.zone.name, info.id()).await?;
        }
        Ok(())
    }

    /// GetHealthCheckStatus: what each Route 53 health checker last saw.
    pub async fn health_check_status(&self, id: &str) -> Result<CheckStatus, AwsError> {
        let out = self
            .clients
            .route53
            .get_health_check_status()
            .health_check_id(id)
            .send()
            .await
            .map_err(|e| error("GetHealthCheckStatus", id, e))?;
        let reports: Vec<&str> = out
            .health_check_observations()
            .iter()
            .filter_map(|o| o.status_report()?.status())
            .collect();
        Ok(CheckStatus {
            checkers: reports.len(),
            healthy: reports.iter().filter(|s| s.starts_with("Success")).count(),
            failure: reports
                .iter()
                .find(|s| !s.starts_with("Success"))
                .map(|s| s.to_string()),
        })
    }
}

fn id_of(rr: &sdk::ResourceRecordSet) -> String {
    rr.set_identifier().unwrap_or_default().to_string()
}

fn weight_of(rr: &sdk::ResourceRecordSet) -> u32 {
    rr.weight()
        .and_then(|w| u32::try_from(w).ok())
        .unwrap_or_default()
}

/// The record set as an UPSERT must carry it: an alias has neither TTL nor
/// values (moto reads them back as `0` and an empty list), and an empty
/// health check ID is no health check.
fn for_upsert(rr: &sdk::ResourceRecordSet) -> sdk::ResourceRecordSet {
    let mut rr = rr.clone();
    if rr.alias_target.is_some() {
        rr.ttl = None;
        rr.resource_records = None;
    }
    if rr.health_check_id.as_deref() == Some("") {
        rr.health_check_id = None;
    }
    rr
}
