//! Reading the hosted zones a spec names into the DNS model: every record
//! set of each zone, and the health checks its records use that the stack
//! manages (tag `lbctl:stack`). Read-only. What a record set carries that
//! the model cannot express is kept as its `unmanaged` settings.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use aws_sdk_route53::types::{self as sdk, RrType, TagResourceType};
use aws_sdk_route53::Client;
use futures::stream::{self, StreamExt, TryStreamExt};

use super::convert::{self, health_check_from_sdk, normalize_name, record_from_sdk};
use super::unmanaged;
use crate::aws::client::{error, own_error};
use crate::aws::AwsError;
use crate::model::dns::{HealthCheckRef, ManagedHealthCheck, Zone, ZoneInfo, ZoneRef};
use crate::model::unmanaged::Unmanaged;
use crate::model::STACK_TAG;

/// A managed health check and what it carries that the model does not.
/// A managed health check as read, with the settings the model does not carry.
pub(super) type ManagedHealth = (ManagedHealthCheck, Vec<Unmanaged>);

/// Calls in flight at once.
const CONCURRENCY: usize = 8;
/// ListResourceRecordSets page size (AWS's maximum).
const RECORD_PAGE: i32 = 300;
/// ListHostedZonesByName page size (AWS's maximum).
const ZONE_PAGE: i32 = 100;
/// Resource IDs per ListTagsForResources call (AWS's maximum).
const TAG_BATCH: usize = 10;

/// The zones `refs` name, by zone name; zones that do not exist are absent.
pub(crate) async fn read(
    r53: &Client,
    stack: &str,
    refs: &[ZoneRef],
) -> Result<BTreeMap<String, Zone>, AwsError> {
    let found: Vec<Option<ZoneInfo>> = stream::iter(refs)
        .map(|r| find_zone(r53, r))
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    let mut infos: BTreeMap<String, ZoneInfo> = BTreeMap::new();
    for info in found.into_iter().flatten() {
        infos.insert(info.id.clone(), info);
    }
    let mut zones: Vec<Zone> = stream::iter(infos.into_values())
        .map(|info| read_zone(r53, info))
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    let managed = managed_health_checks(r53, stack, &zones).await?;
    use_managed(&mut zones, &managed);
    Ok(zones.into_iter().map(|z| (z.name.clone(), z)).collect())
}

/// Records of `zones` that use one of the `managed` health checks refer to
/// it as managed.
pub(super) fn use_managed(zones: &mut [Zone], managed: &BTreeMap<String, ManagedHealth>) {
    for zone in zones {
        for set in zone.record_sets.values_mut() {
            for record in &mut set.members {
                if let Some(HealthCheckRef::Id(id)) = &record.health_check {
                    if let Some((check, unmanaged)) = managed.get(id) {
                        record.health_check = Some(HealthCheckRef::Managed(check.clone()));
                        let member = record.set_identifier.as_deref().unwrap_or("record");
                        set.unmanaged.extend(unmanaged.iter().map(|u| Unmanaged {
                            path: format!("{member}.{}", u.path),
                            what: u.what.clone(),
                        }));
                    }
                }
            }
            set.unmanaged.sort();
            set.unmanaged.dedup();
        }
    }
}

/// The hosted zone a spec reference names, if it exists.
pub(crate) async fn find_zone(r53: &Client, zone: &ZoneRef) -> Result<Option<ZoneInfo>, AwsError> {
    match zone {
        ZoneRef::Id(id) => {
            let id = convert::zone_id(id);
            match r53.get_hosted_zone().id(&id).send().await {
                Ok(out) => Ok(out.hosted_zone().map(zone_info)),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_no_such_hosted_zone()) =>
                {
                    Ok(None)
                }
                Err(e) => Err(error("GetHostedZone", &id, e)),
            }
        }
        ZoneRef::Name { name, private } => {
            find_zone_by_name(r53, &normalize_name(name), private.unwrap_or(false)).await
        }
    }
}

/// The public or private zone with exactly this name. Zones come sorted
/// by name from `name` on; moto ignores MaxItems and the DNSName start, so
/// every returned name is checked.
async fn find_zone_by_name(
    r53: &Client,
    name: &str,
    private: bool,
) -> Result<Option<ZoneInfo>, AwsError> {
    let mut next_id: Option<String> = None;
    let mut next_name = name.to_string();
    loop {
        let page = r53
            .list_hosted_zones_by_name()
            .dns_name(&next_name)
            .set_hosted_zone_id(next_id)
            .max_items(ZONE_PAGE)
            .send()
            .await
            .map_err(|e| error("ListHostedZonesByName", name, e))?;
        let zones = page.hosted_zones();
        if let Some(found) = zones
            .iter()
            .map(zone_info)
            .find(|z| z.name == name && z.private == private)
        {
            return Ok(Some(found));
        }
        // Sorted by name: once past it, or at the end, there is no match.
        let more = page.is_truncated()
            && page
                .next_dns_name()
                .is_some_and(|n| normalize_name(n) == name);
        if !more {
            return Ok(None);
        }
        next_name = page.next_dns_name().unwrap_or(name).to_string();
        next_id = page.next_hosted_zone_id().map(str::to_string);
    }
}

pub(super) fn zone_info(z: &sdk::HostedZone) -> ZoneInfo {
    ZoneInfo {
        id: convert::zone_id(z.id()),
        name: normalize_name(z.name()),
        private: z.config().is_some_and(|c| c.private_zone()),
    }
}

/// Every record set of a zone, grouped by (name, type), members sorted by
/// set identifier.
pub(super) async fn read_zone(r53: &Client, info: ZoneInfo) -> Result<Zone, AwsError> {
    let records = all_record_sets(r53, &info).await?;
    let mut zone = Zone {
        name: info.name,
        id: Some(info.id),
        private: info.private,
        record_sets: BTreeMap::new(),
    };
    for rr in &records {
        let (key, record) = record_from_sdk(rr);
        let set = zone.record_sets.entry(key).or_default();
        set.members.push(record);
        set.unmanaged.extend(unmanaged::of(rr));
    }
    for set in zone.record_sets.values_mut() {
        set.members
            .sort_by(|a, b| a.set_identifier.cmp(&b.set_identifier));
    }
    Ok(zone)
}

/// Every record set of a zone, each once. moto does not implement
/// `StartRecordIdentifier` and repeats records where a page ends inside a
/// set with identifiers, so records are de-duplicated by
/// (name, type, set identifier).
pub(crate) async fn all_record_sets(
    r53: &Client,
    zone: &ZoneInfo,
) -> Result<Vec<sdk::ResourceRecordSet>, AwsError> {
    let mut out = Vec::new();
    let mut seen: HashSet<(String, String, Option<String>)> = HashSet::new();
    let mut start: Option<(String, RrType, Option<String>)> = None;
    loop {
        let (name, rtype, identifier) = match start.take() {
            Some((n, t, i)) => (Some(n), Some(t), i),
            None => (None, None, None),
        };
        let page = r53
            .list_resource_record_sets()
            .hosted_zone_id(&zone.id)
            .max_items(RECORD_PAGE)
            .set_start_record_name(name)
            .set_start_record_type(rtype)
            .set_start_record_identifier(identifier)
            .send()
            .await
            .map_err(|e| error("ListResourceRecordSets", &zone.name, e))?;
        let mut new = 0;
        for rr in page.resource_record_sets() {
            let id = (
                rr.name().to_string(),
                rr.r#type().as_str().to_string(),
                rr.set_identifier().map(str::to_string),
            );
            if seen.insert(id) {
                out.push(rr.clone());
                new += 1;
            }
        }
        if !page.is_truncated() {
            return Ok(out);
        }
        if new == 0 {
            // Only possible where identifiers are ignored (moto) and more
            // than a page of records share one (name, type).
            return Err(own_error(
                "ListResourceRecordSets",
                &zone.name,
                "paging",
                "a page of record sets brought nothing new; listing cannot make progress".into(),
            ));
        }
        match (page.next_record_name(), page.next_record_type()) {
            (Some(n), Some(t)) => {
                start = Some((
                    n.to_string(),
                    t.clone(),
                    page.next_record_identifier().map(str::to_string),
                ));
            }
            _ => return Ok(out),
        }
    }
}

/// The health checks records of `zones` use that carry the stack's tag,
/// by ID, as read back, with the settings the model does not carry; and
/// the children of those that are calculated, where they carry the tag too.
pub(super) async fn managed_health_checks(
    r53: &Client,
    stack: &str,
    zones: &[Zone],
) -> Result<BTreeMap<String, ManagedHealth>, AwsError> {
    let mut ids: BTreeSet<String> = zones
        .iter()
        .flat_map(|z| z.record_sets.values())
        .flat_map(|s| &s.members)
        .filter_map(|r| match &r.health_check {
            Some(HealthCheckRef::Id(id)) => Some(id.clone()),
            _ => None,
        })
        .collect();
    let mut out = BTreeMap::new();
    // Records, then their calculated checks' children (which lbctl keeps
    // one level deep).
    for _ in 0..2 {
        let found = owned_checks(r53, stack, ids.iter().cloned().collect()).await?;
        ids = found
            .values()
            .flat_map(|(c, _)| &c.children)
            .filter_map(|c| match c {
                HealthCheckRef::Id(id) => Some(id.clone()),
                HealthCheckRef::Managed(_) => None,
            })
            .filter(|id| !out.contains_key(id) && !found.contains_key(id))
            .collect();
        out.extend(found);
        if ids.is_empty() {
            break;
        }
    }
    resolve_children(&mut out);
    Ok(out)
}

/// Children of calculated checks that are managed checks themselves are
/// referred to as such (as read back, with their IDs).
pub(super) fn resolve_children(checks: &mut BTreeMap<String, ManagedHealth>) {
    let plain: BTreeMap<String, ManagedHealthCheck> = checks
        .iter()
        .map(|(id, (c, _))| (id.clone(), c.clone()))
        .collect();
    for (check, _) in checks.values_mut() {
        for child in &mut check.children {
            if let HealthCheckRef::Id(id) = child {
                if let Some(m) = plain.get(id.as_str()) {
                    *child = HealthCheckRef::Managed(m.clone());
                }
            }
        }
    }
}

/// Of `ids`, the health checks tagged with the stack, read back.
async fn owned_checks(
    r53: &Client,
    stack: &str,
    ids: Vec<String>,
) -> Result<BTreeMap<String, ManagedHealth>, AwsError> {
    let tag_sets: Vec<Vec<sdk::ResourceTagSet>> = stream::iter(ids.chunks(TAG_BATCH))
        .map(|chunk| async move {
            r53.list_tags_for_resources()
                .resource_type(TagResourceType::Healthcheck)
                .set_resource_ids(Some(chunk.to_vec()))
                .send()
                .await
                .map(|out| out.resource_tag_sets().to_vec())
                .map_err(|e| error("ListTagsForResources", &chunk.join(","), e))
        })
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    let owned: Vec<String> = tag_sets
        .iter()
        .flatten()
        .filter(|set| {
            set.tags()
                .iter()
                .any(|t| t.key() == Some(STACK_TAG) && t.value() == Some(stack))
        })
        .filter_map(|set| set.resource_id().map(str::to_string))
        .collect();
    let checks: Vec<Option<ManagedHealth>> = stream::iter(owned)
        .map(|id| async move {
            match r53.get_health_check().health_check_id(&id).send().await {
                Ok(out) => Ok(out.health_check().and_then(|hc| {
                    Some((health_check_from_sdk(hc)?, unmanaged::of_health_check(hc)))
                })),
                // Deleted since the listing: the record keeps the bare ID.
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_no_such_health_check()) =>
                {
                    Ok(None)
                }
                Err(e) => Err(error("GetHealthCheck", &id, e)),
            }
        })
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(checks
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c.0.id.clone()?, c)))
        .collect())
}
