//! Finding a stack's DNS wherever it is: every hosted zone of the account
//! (one paged ListHostedZones), their tags in batches of ten
//! (ListTagsForResources), and the zones whose tag `lbctl:stack:<stack>`
//! says the stack owns record sets there, read with the zones the spec
//! names. When the stack has such a zone, every health check tagged with
//! the stack is listed too (ListHealthChecks), so that one no record uses
//! any more is found. Tagging and untagging zones is here too
//! (ChangeTagsForResource). Read-only except [`tag_zone`].

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_route53::types::{self as sdk, Tag, TagResourceType};
use aws_sdk_route53::Client;
use futures::stream::{self, StreamExt, TryStreamExt};

use super::convert::{health_check_from_sdk, zone_id};
use super::read::{managed_health_checks, read_zone, use_managed, zone_info};
use crate::aws::client::{error, own_error};
use crate::aws::{AwsError, Index};
use crate::model::dns::{zone_tag_key, Dns, ZoneInfo, ZoneRef, ZONE_TAG_VALUE};
use crate::model::STACK_TAG;

/// Calls in flight at once.
const CONCURRENCY: usize = 8;
/// ListHostedZones page size (AWS's maximum).
const ZONE_PAGE: i32 = 100;
/// ListHealthChecks page size (AWS's maximum).
const CHECK_PAGE: i32 = 1000;
/// Resource IDs per ListTagsForResources call (AWS's maximum).
const TAG_BATCH: usize = 10;

/// The zones `refs` name and every zone tagged for `stack`, with the
/// stack's health checks. A zone the spec names that does not exist is
/// absent. A tagged zone with the name of a zone the spec names (a public
/// and a private zone of one name) is left out: zones are kept by name.
pub(crate) async fn read_stack(
    r53: &Client,
    stack: &str,
    refs: &[ZoneRef],
) -> Result<Dns, AwsError> {
    let listed = list_zones(r53).await?;
    let tagged_ids = tagged_zones(r53, stack, &listed).await?;
    let mut infos: BTreeMap<String, ZoneInfo> = BTreeMap::new();
    for r in refs {
        if let Some(info) = pick(&listed, r) {
            infos.insert(info.id.clone(), info.clone());
        }
    }
    let named: BTreeSet<String> = infos.values().map(|z| z.name.clone()).collect();
    let mut tagged = BTreeSet::new();
    for info in listed.iter().filter(|z| tagged_ids.contains(&z.id)) {
        if named.contains(&info.name) && !infos.contains_key(&info.id) {
            continue;
        }
        tagged.insert(info.name.clone());
        infos.insert(info.id.clone(), info.clone());
    }
    let mut zones: Vec<_> = stream::iter(infos.into_values())
        .map(|info| read_zone(r53, info))
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    let managed = if tagged.is_empty() {
        managed_health_checks(r53, stack, &zones).await?
    } else {
        stack_health_checks(r53, stack).await?
    };
    use_managed(&mut zones, &managed);
    // Every check tagged for the stack, used or not, once the stack has a
    // tagged zone (none are listed otherwise).
    let health_checks = if tagged.is_empty() {
        BTreeMap::new()
    } else {
        managed
            .into_iter()
            .map(|(id, (check, _))| (id, check))
            .collect()
    };
    Ok(Dns {
        zones: zones.into_iter().map(|z| (z.name.clone(), z)).collect(),
        tagged,
        health_checks,
        cidr_collections: BTreeMap::new(),
    })
}

/// The listed zone a spec reference names.
fn pick<'a>(listed: &'a [ZoneInfo], r: &ZoneRef) -> Option<&'a ZoneInfo> {
    match r {
        ZoneRef::Id(id) => {
            let id = zone_id(id);
            listed.iter().find(|z| z.id == id)
        }
        ZoneRef::Name { name, private } => {
            let name = super::normalize_name(name);
            let private = private.unwrap_or(false);
            listed
                .iter()
                .find(|z| z.name == name && z.private == private)
        }
    }
}

/// Every hosted zone of the account, following `NextMarker`.
pub(crate) async fn list_zones(r53: &Client) -> Result<Vec<ZoneInfo>, AwsError> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = r53
            .list_hosted_zones()
            .max_items(ZONE_PAGE)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| error("ListHostedZones", "*", e))?;
        out.extend(page.hosted_zones().iter().map(zone_info));
        match page.next_marker() {
            Some(m) if page.is_truncated() && !m.is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// Tag sets of `ids` (resources of one type), ten per call.
async fn tag_sets(
    r53: &Client,
    kind: TagResourceType,
    ids: &[String],
) -> Result<Vec<sdk::ResourceTagSet>, AwsError> {
    let sets: Vec<Vec<sdk::ResourceTagSet>> = stream::iter(ids.chunks(TAG_BATCH))
        .map(|chunk| {
            let kind = kind.clone();
            async move {
                r53.list_tags_for_resources()
                    .resource_type(kind)
                    .set_resource_ids(Some(chunk.to_vec()))
                    .send()
                    .await
                    .map(|out| out.resource_tag_sets().to_vec())
                    .map_err(|e| error("ListTagsForResources", &chunk.join(","), e))
            }
        })
        .buffered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(sets.into_iter().flatten().collect())
}

/// IDs of the resources whose tag set has `key` = `value`.
fn with_tag(sets: &[sdk::ResourceTagSet], key: &str, value: &str) -> BTreeSet<String> {
    sets.iter()
        .filter(|set| {
            set.tags()
                .iter()
                .any(|t| t.key() == Some(key) && t.value() == Some(value))
        })
        .filter_map(|set| set.resource_id().map(zone_id))
        .collect()
}

/// IDs of the listed zones tagged for `stack`.
async fn tagged_zones(
    r53: &Client,
    stack: &str,
    listed: &[ZoneInfo],
) -> Result<BTreeSet<String>, AwsError> {
    let ids: Vec<String> = listed.iter().map(|z| z.id.clone()).collect();
    let sets = tag_sets(r53, TagResourceType::Hostedzone, &ids).await?;
    Ok(with_tag(&sets, &zone_tag_key(stack), ZONE_TAG_VALUE))
}

/// Every health check tagged `lbctl:stack=<stack>`, by ID, as read back.
async fn stack_health_checks(
    r53: &Client,
    stack: &str,
) -> Result<BTreeMap<String, super::read::ManagedHealth>, AwsError> {
    let mut all: Vec<sdk::HealthCheck> = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = r53
            .list_health_checks()
            .max_items(CHECK_PAGE)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| error("ListHealthChecks", "*", e))?;
        all.extend(page.health_checks().iter().cloned());
        match page.next_marker() {
            Some(m) if page.is_truncated() && !m.is_empty() => marker = Some(m.to_string()),
            _ => break,
        }
    }
    let ids: Vec<String> = all.iter().map(|c| c.id().to_string()).collect();
    let sets = tag_sets(r53, TagResourceType::Healthcheck, &ids).await?;
    let owned = with_tag(&sets, STACK_TAG, stack);
    let mut checks = all
        .iter()
        .filter(|c| owned.contains(c.id()))
        .filter_map(|hc| {
            let check = health_check_from_sdk(hc)?;
            Some((
                check.id.clone()?,
                (check, super::unmanaged::of_health_check(hc)),
            ))
        })
        .collect();
    super::read::resolve_children(&mut checks);
    Ok(checks)
}

/// Sets (`tag`) or removes the zone's tag for `stack`. The zone is found
/// by name in the index, as the live read recorded it.
pub(crate) async fn tag_zone(
    r53: &Client,
    index: &Index,
    zone: &str,
    stack: &str,
    tag: bool,
) -> Result<(), AwsError> {
    let id = index.zone_id(zone).ok_or_else(|| {
        own_error(
            "ChangeTagsForResource",
            zone,
            "NoSuchHostedZone",
            format!("hosted zone `{zone}` was not read"),
        )
    })?;
    let key = zone_tag_key(stack);
    let call = r53
        .change_tags_for_resource()
        .resource_type(TagResourceType::Hostedzone)
        .resource_id(&id);
    let call = if tag {
        call.add_tags(Tag::builder().key(&key).value(ZONE_TAG_VALUE).build())
    } else {
        call.remove_tag_keys(&key)
    };
    call.send()
        .await
        .map(drop)
        .map_err(|e| error("ChangeTagsForResource", zone, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: &str, name: &str, private: bool) -> ZoneInfo {
        ZoneInfo {
            id: id.into(),
            name: name.into(),
            private,
        }
    }

    #[test]
    fn spec_zones_are_picked_from_the_listing() {
        let listed = [
            info("Z1", "example.com.", false),
            info("Z2", "example.com.", true),
        ];
        let by_name = |name: &str, private| ZoneRef::Name {
            name: name.into(),
            private,
        };
        let id = |r: &ZoneRef| pick(&listed, r).map(|z| z.id.as_str());
        assert_eq!(id(&by_name("Example.COM", None)), Some("Z1"));
        assert_eq!(id(&by_name("example.com.", Some(true))), Some("Z2"));
        assert_eq!(id(&by_name("other.org", None)), None);
        assert_eq!(id(&ZoneRef::Id("/hostedzone/Z2".into())), Some("Z2"));
    }

    #[test]
    fn only_the_stacks_own_tag_marks_a_zone() {
        let set = |id: &str, key: &str, value: &str| {
            sdk::ResourceTagSet::builder()
                .resource_id(id)
                .tags(Tag::builder().key(key).value(value).build())
                .build()
        };
        let sets = [
            set("Z1", "lbctl:stack:web", "records"),
            set("Z2", "lbctl:stack:other", "records"),
            set("Z3", "lbctl:stack:web", "something else"),
        ];
        let found = with_tag(&sets, &zone_tag_key("web"), ZONE_TAG_VALUE);
        assert_eq!(found, BTreeSet::from(["Z1".to_string()]));
    }
}
