//! CIDR collections: reading them (ListCidrCollections, ListCidrBlocks)
//! into the DNS model, with every live CIDR record's collection ID turned
//! into the collection's name; executing a collection step
//! (CreateCidrCollection, ChangeCidrCollection with its CollectionVersion
//! check); and the IDs record set changes need for collection names.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_route53::types::{CidrCollectionChange, CidrCollectionChangeAction};
use aws_sdk_route53::Client;

use crate::aws::client::{error, own_error};
use crate::aws::AwsError;
use crate::model::dns::{CidrCollection, Dns, Routing};

/// Blocks per change (Route 53's `CidrList` maximum).
const MAX_BLOCKS: usize = 1000;

/// Whether any live record routes by CIDR.
fn uses_cidr(dns: &Dns) -> bool {
    dns.zones
        .values()
        .flat_map(|z| z.record_sets.values())
        .flat_map(|s| &s.members)
        .any(|m| matches!(m.routing, Routing::Cidr { .. }))
}

/// Every collection of the account, name -> (ID, version).
pub(crate) async fn list(r53: &Client) -> Result<BTreeMap<String, (String, i64)>, AwsError> {
    let mut out = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        let page = r53
            .list_cidr_collections()
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| error("ListCidrCollections", "cidr collections", e))?;
        for c in page.cidr_collections() {
            if let (Some(name), Some(id)) = (c.name(), c.id()) {
                out.insert(name.to_string(), (id.to_string(), c.version().unwrap_or(1)));
            }
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// Reads the collections named in `wanted` or used by a live record into
/// `dns` and names the collection of every live CIDR record. Nothing is called when the spec
/// names no collection and no live record routes by CIDR.
pub(crate) async fn read(
    r53: &Client,
    wanted: &BTreeSet<String>,
    dns: &mut Dns,
) -> Result<(), AwsError> {
    if wanted.is_empty() && !uses_cidr(dns) {
        return Ok(());
    }
    let all = list(r53).await?;
    let used: BTreeSet<String> = dns
        .zones
        .values()
        .flat_map(|z| z.record_sets.values())
        .flat_map(|s| &s.members)
        .filter_map(|m| match &m.routing {
            Routing::Cidr { collection, .. } => Some(collection.clone()),
            _ => None,
        })
        .collect();
    for (name, (id, version)) in &all {
        if !wanted.contains(name) && !used.contains(id) {
            continue;
        }
        let locations = blocks(r53, name, id).await?;
        dns.cidr_collections.insert(
            name.clone(),
            CidrCollection {
                id: Some(id.clone()),
                version: Some(*version),
                locations,
            },
        );
    }
    let names: BTreeMap<&str, &str> = all
        .iter()
        .map(|(n, (id, _))| (id.as_str(), n.as_str()))
        .collect();
    for zone in dns.zones.values_mut() {
        for set in zone.record_sets.values_mut() {
            for m in &mut set.members {
                if let Routing::Cidr { collection, .. } = &mut m.routing {
                    if let Some(name) = names.get(collection.as_str()) {
                        *collection = name.to_string();
                    }
                }
            }
        }
    }
    Ok(())
}

/// Location -> blocks of one collection (ListCidrBlocks, paged).
async fn blocks(
    r53: &Client,
    name: &str,
    id: &str,
) -> Result<BTreeMap<String, BTreeSet<String>>, AwsError> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        let page = r53
            .list_cidr_blocks()
            .collection_id(id)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| error("ListCidrBlocks", name, e))?;
        for b in page.cidr_blocks() {
            if let (Some(loc), Some(block)) = (b.location_name(), b.cidr_block()) {
                out.entry(loc.to_string())
                    .or_default()
                    .insert(block.to_string());
            }
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}

/// See `Op::CidrCollection`: creates the collection when there is none of
/// that name, then sends the changes (at most 1,000 blocks each) with the
/// planned version, or the current one.
pub(crate) async fn change(
    r53: &Client,
    name: &str,
    put: &[(String, Vec<String>)],
    remove: &[(String, Vec<String>)],
    version: Option<i64>,
) -> Result<(), AwsError> {
    let (id, current) = match list(r53).await?.remove(name) {
        Some(found) => found,
        None => create(r53, name).await?,
    };
    let mut changes = Vec::new();
    for (action, list) in [
        (CidrCollectionChangeAction::Put, put),
        (CidrCollectionChangeAction::DeleteIfExists, remove),
    ] {
        for (location, blocks) in list {
            for chunk in blocks.chunks(MAX_BLOCKS) {
                let c = CidrCollectionChange::builder()
                    .location_name(location)
                    .action(action.clone())
                    .set_cidr_list(Some(chunk.to_vec()))
                    .build()
                    .map_err(|e| {
                        own_error("ChangeCidrCollection", name, "invalid", e.to_string())
                    })?;
                changes.push(c);
            }
        }
    }
    if changes.is_empty() {
        return Ok(());
    }
    r53.change_cidr_collection()
        .id(&id)
        .collection_version(version.unwrap_or(current))
        .set_changes(Some(changes))
        .send()
        .await
        .map_err(|e| error("ChangeCidrCollection", name, e))?;
    Ok(())
}

async fn create(r53: &Client, name: &str) -> Result<(String, i64), AwsError> {
    let out = r53
        .create_cidr_collection()
        .name(name)
        .caller_reference(super::health_check::caller_reference())
        .send()
        .await
        .map_err(|e| error("CreateCidrCollection", name, e))?;
    let c = out.collection().ok_or_else(|| {
        own_error(
            "CreateCidrCollection",
            name,
            "invalid",
            "no collection in the answer".into(),
        )
    })?;
    Ok((
        c.id().unwrap_or_default().to_string(),
        c.version().unwrap_or(1),
    ))
}
