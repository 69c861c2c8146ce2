//! Executing the record set steps of one hosted zone: each step becomes
//! DELETEs of exactly the live records it replaces and CREATEs of the new
//! ones; steps are packed into as few ChangeResourceRecordSets batches as
//! Route 53 allows (see `batch`), then the changes are awaited until
//! `INSYNC`. A batch refused because it had already been applied (its
//! answer was lost and the SDK sent it again) counts as applied (see
//! `recover`). Load balancer alias targets and health checks created in this
//! apply are resolved here, at execution time.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use aws_sdk_route53::operation::change_resource_record_sets::ChangeResourceRecordSetsError;
use aws_sdk_route53::types::{Change, ChangeAction, ChangeBatch, ChangeStatus};
use aws_smithy_runtime_api::client::result::SdkError;

use super::convert::{normalize_name, record_to_sdk, ResolvedAlias};
use super::{batch, recover};
use crate::aws::client::{error, own_error, Clients};
use crate::aws::execute::Executor;
use crate::aws::{AwsError, Index};
use crate::model::dns::{AliasTarget, HealthCheckRef, Record, RecordKey, Routing};
use crate::plan::{Op, Step};

/// How often GetChange is polled.
const POLL_INTERVAL: Duration = Duration::from_secs(2);
/// How long to wait for changes to reach `INSYNC`.
const WAIT_LIMIT: Duration = Duration::from_secs(600);
/// Record keys named in the resource of a failed batch.
const KEYS_IN_ERRORS: usize = 5;

const OPERATION: &str = "ChangeResourceRecordSets";

/// One record set step of the zone.
struct ZoneStep<'a> {
    step: &'a Step,
    key: &'a RecordKey,
    delete: &'a [Record],
    create: &'a [Record],
}

/// See [`crate::aws::Aws::execute_zone`].
pub(crate) async fn execute_zone(
    clients: &Clients,
    zone: &str,
    steps: &[&Step],
    index: &Index,
    wait: bool,
) -> Result<(), AwsError> {
    let ours: Vec<ZoneStep> = steps
        .iter()
        .filter_map(|step| match &step.op {
            Op::RecordSet {
                zone: z,
                key,
                delete,
                create,
            } if z == zone => Some(ZoneStep {
                step,
                key,
                delete,
                create,
            }),
            _ => None,
        })
        .collect();
    if ours.is_empty() {
        return Ok(());
    }
    // Stable: plan order within a rank and alias depth.
    let order = batch::order(
        &ours
            .iter()
            .map(|s| (s.key, s.delete, s.create))
            .collect::<Vec<_>>(),
    );
    let mut slots: Vec<Option<ZoneStep>> = ours.into_iter().map(Some).collect();
    let ours: Vec<ZoneStep> = order.iter().filter_map(|&i| slots[i].take()).collect();
    let sizes: Vec<batch::Size> = ours
        .iter()
        .map(|s| batch::step_size(s.delete, s.create))
        .collect();
    let batches = batch::pack(&sizes).map_err(|i| too_large(zone, &ours[i], sizes[i]))?;
    let zone_id = index.zone_id(zone).ok_or_else(|| {
        own_error(
            OPERATION,
            zone,
            "not_found",
            format!("hosted zone `{zone}` was not read, so its ID is unknown"),
        )
    })?;

    let executor = Executor::new(clients, index, zone);
    let collections = collection_ids(clients, &ours).await?;
    let mut changes: Vec<Vec<Change>> = Vec::with_capacity(ours.len());
    for s in &ours {
        changes.push(step_changes(&executor, index, zone, s, &collections).await?);
    }

    let mut change_ids: BTreeSet<String> = BTreeSet::new();
    for range in batches {
        let batch_changes: Vec<Change> = changes[range.clone()].concat();
        let resource = batch_resource(zone, &ours[range]);
        let change_batch = ChangeBatch::builder()
            .set_changes(Some(batch_changes))
            .build()
            .map_err(|e| own_error(OPERATION, &resource, "invalid", e.to_string()))?;
        let sent = clients
            .route53
            .change_resource_record_sets()
            .hosted_zone_id(&zone_id)
            .change_batch(change_batch.clone())
            .send()
            .await;
        match sent {
            Ok(out) => {
                if let Some(info) = out.change_info() {
                    change_ids.insert(info.id().to_string());
                }
            }
            // A repeat of a batch whose answer was lost: see `recover`. Its
            // change ID was in that answer, so it is not awaited; the
            // records already read back as applied.
            Err(e)
                if is_invalid_change_batch(&e)
                    && recover::batch_applied(
                        &clients.route53,
                        &zone_id,
                        zone,
                        change_batch.changes(),
                    )
                    .await? =>
            {
                tracing::debug!(%resource, "change batch refused but already applied");
            }
            Err(e) => return Err(change_error(&resource, e)),
        }
    }
    if wait {
        for id in &change_ids {
            wait_insync(clients, zone, id).await?;
        }
    }
    Ok(())
}

/// DELETE of each record the step replaces, exactly as read, then CREATE
/// of each new one.
async fn step_changes(
    executor: &Executor<'_>,
    index: &Index,
    zone: &str,
    s: &ZoneStep<'_>,
    collections: &BTreeMap<String, String>,
) -> Result<Vec<Change>, AwsError> {
    let resource = format!("{zone} {}", s.key);
    let actions = s
        .delete
        .iter()
        .map(|r| (ChangeAction::Delete, r))
        .chain(s.create.iter().map(|r| (ChangeAction::Create, r)));
    let mut out = Vec::new();
    for (action, record) in actions {
        let alias = resolve_alias(executor, record, &resource).await?;
        let health_check = resolve_health_check(index, zone, s.key, record, &resource)?;
        let record = &with_collection_id(record, collections);
        let rrset = record_to_sdk(s.key, record, alias.as_ref(), health_check.as_deref())
            .map_err(|e| own_error(OPERATION, &resource, "invalid", e.to_string()))?;
        let change = Change::builder()
            .action(action)
            .resource_record_set(rrset)
            .build()
            .map_err(|e| own_error(OPERATION, &resource, "invalid", e.to_string()))?;
        out.push(change);
    }
    Ok(out)
}

/// Collection name -> ID, when a step has a CIDR record (a collection
/// created earlier in this apply included); empty otherwise, uncalled.
async fn collection_ids(
    clients: &Clients,
    steps: &[ZoneStep<'_>],
) -> Result<BTreeMap<String, String>, AwsError> {
    let cidr = steps
        .iter()
        .flat_map(|s| s.delete.iter().chain(s.create))
        .any(|r| matches!(r.routing, Routing::Cidr { .. }));
    if !cidr {
        return Ok(BTreeMap::new());
    }
    let all = super::cidr::list(&clients.route53).await?;
    Ok(all.into_iter().map(|(name, (id, _))| (name, id)).collect())
}

/// The record with its CIDR collection named by ID, as Route 53 wants it
/// (a collection no longer known by name keeps what it has).
fn with_collection_id(record: &Record, ids: &BTreeMap<String, String>) -> Record {
    let mut r = record.clone();
    if let Routing::Cidr { collection, .. } = &mut r.routing {
        if let Some(id) = ids.get(collection.as_str()) {
            *collection = id.clone();
        }
    }
    r
}

/// The alias target Route 53 wants; a load balancer named by the spec is
/// looked up now (it may have been created earlier in this apply).
async fn resolve_alias(
    executor: &Executor<'_>,
    record: &Record,
    resource: &str,
) -> Result<Option<ResolvedAlias>, AwsError> {
    let Some(alias) = &record.alias else {
        return Ok(None);
    };
    match &alias.target {
        AliasTarget::Target {
            dns_name,
            hosted_zone_id,
        } => Ok(Some(ResolvedAlias {
            dns_name: dns_name.clone(),
            hosted_zone_id: hosted_zone_id.clone(),
        })),
        AliasTarget::LoadBalancer(name) => {
            let entry = executor.load_balancer_entry(name).await?;
            match (entry.dns_name, entry.hosted_zone_id) {
                (Some(dns_name), Some(hosted_zone_id)) => Ok(Some(ResolvedAlias {
                    dns_name: normalize_name(&dns_name),
                    hosted_zone_id,
                })),
                _ => Err(own_error(
                    OPERATION,
                    resource,
                    "not_found",
                    format!(
                        "load balancer `{name}` has no DNS name or canonical hosted zone ID \
                         to point an alias at"
                    ),
                )),
            }
        }
    }
}

/// The health check ID a record uses: its own, or the one a
/// CreateHealthCheck step of this apply made for it.
fn resolve_health_check(
    index: &Index,
    zone: &str,
    key: &RecordKey,
    record: &Record,
    resource: &str,
) -> Result<Option<String>, AwsError> {
    match &record.health_check {
        None => Ok(None),
        Some(HealthCheckRef::Id(id)) => Ok(Some(id.clone())),
        Some(HealthCheckRef::Managed(check)) => match &check.id {
            Some(id) => Ok(Some(id.clone())),
            None => index
                .health_check_id(zone, key, record.set_identifier.as_deref())
                .map(Some)
                .ok_or_else(|| {
                    own_error(
                        OPERATION,
                        resource,
                        "not_found",
                        format!(
                            "no health check was created for set identifier `{}` \
                             (its create step did not run)",
                            record.set_identifier.as_deref().unwrap_or("-")
                        ),
                    )
                }),
        },
    }
}

/// Polls GetChange until the change is `INSYNC`, for at most
/// [`WAIT_LIMIT`].
pub(crate) async fn wait_insync(clients: &Clients, zone: &str, id: &str) -> Result<(), AwsError> {
    let deadline = tokio::time::Instant::now() + WAIT_LIMIT;
    loop {
        let out = clients
            .route53
            .get_change()
            .id(id)
            .send()
            .await
            .map_err(|e| error("GetChange", zone, e))?;
        if out.change_info().map(|c| c.status()) == Some(&ChangeStatus::Insync) {
            return Ok(());
        }
        if tokio::time::Instant::now() + POLL_INTERVAL > deadline {
            return Err(own_error(
                "GetChange",
                zone,
                "timeout",
                format!(
                    "change `{id}` was not INSYNC after {} minutes; it was submitted and \
                     will still complete",
                    WAIT_LIMIT.as_secs() / 60
                ),
            ));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// The error for a step no batch can hold.
fn too_large(zone: &str, s: &ZoneStep<'_>, size: batch::Size) -> AwsError {
    own_error(
        OPERATION,
        &format!("{zone} {}", s.key),
        "too_large",
        format!(
            "step `{}` changes {} values ({} characters), more than one change batch \
             takes ({} values, {} characters)",
            s.step.name,
            size.values,
            size.chars,
            batch::MAX_VALUES,
            batch::MAX_CHARS
        ),
    )
}

/// The zone and the record keys of a batch, for errors.
fn batch_resource(zone: &str, steps: &[ZoneStep<'_>]) -> String {
    let keys: BTreeSet<String> = steps.iter().map(|s| s.key.to_string()).collect();
    let mut shown: Vec<&str> = keys
        .iter()
        .take(KEYS_IN_ERRORS)
        .map(String::as_str)
        .collect();
    let more = keys.len().saturating_sub(KEYS_IN_ERRORS);
    let extra = format!("(+{more} more)");
    if more > 0 {
        shown.push(&extra);
    }
    format!("{zone} {}", shown.join(", "))
}

fn is_invalid_change_batch<R>(err: &SdkError<ChangeResourceRecordSetsError, R>) -> bool {
    matches!(
        err.as_service_error(),
        Some(ChangeResourceRecordSetsError::InvalidChangeBatch(_))
    )
}

/// A failed ChangeResourceRecordSets, with every message of an
/// InvalidChangeBatch (Route 53 lists what is wrong with each change).
fn change_error<R>(resource: &str, err: SdkError<ChangeResourceRecordSetsError, R>) -> AwsError
where
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let details: Vec<String> = match err.as_service_error() {
        Some(ChangeResourceRecordSetsError::InvalidChangeBatch(e)) => e.messages().to_vec(),
        _ => Vec::new(),
    };
    let mut out = error(OPERATION, resource, err);
    for detail in details {
        if !out.message.contains(&detail) {
            if !out.message.is_empty() {
                out.message.push_str("; ");
            }
            out.message.push_str(&detail);
        }
    }
    out
}
