//! Resolving VPC, subnet and security group selectors through EC2.
//!
//! IDs of one kind go in one call, filtered by ID, so an unknown ID simply
//! matches nothing instead of failing the call; each tag selector is one
//! call with `tag:KEY` filters. Read-only: never changes anything.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::types::Filter;
use futures::stream::{self, StreamExt, TryStreamExt};

use super::client::error;
use super::AwsError;
use crate::spec::{Resolved, Selector, SelectorKind};

/// EC2 calls in flight at once.
const CONCURRENCY: usize = 8;
/// Values per filter, well under EC2's limit.
const FILTER_VALUES: usize = 200;

/// One EC2 query: a kind and the filters that select what it matches.
struct Query {
    kind: SelectorKind,
    filters: Vec<Filter>,
}

/// Resolves every selector; each gets its sorted IDs (empty: no match).
pub(crate) async fn resolve(
    ec2: &aws_sdk_ec2::Client,
    selectors: &[(SelectorKind, Selector)],
) -> Result<Resolved, AwsError> {
    let mut ids: BTreeMap<SelectorKind, BTreeSet<String>> = BTreeMap::new();
    let mut queries: Vec<(Option<Selector>, Query)> = Vec::new();
    for (kind, selector) in selectors {
        match selector {
            Selector::Id(id) => {
                ids.entry(*kind).or_default().insert(id.clone());
            }
            Selector::Tags(tags) => {
                let filters = tags
                    .iter()
                    .map(|(k, v)| Filter::builder().name(format!("tag:{k}")).values(v).build())
                    .collect();
                queries.push((
                    Some(selector.clone()),
                    Query {
                        kind: *kind,
                        filters,
                    },
                ));
            }
        }
    }
    for (kind, set) in &ids {
        let list: Vec<&String> = set.iter().collect();
        for chunk in list.chunks(FILTER_VALUES) {
            let filter = Filter::builder()
                .name(id_filter(*kind))
                .set_values(Some(chunk.iter().map(|s| s.to_string()).collect()))
                .build();
            queries.push((
                None,
                Query {
                    kind: *kind,
                    filters: vec![filter],
                },
            ));
        }
    }

    let results: Vec<(Option<Selector>, SelectorKind, Found)> = stream::iter(queries)
        .map(|(selector, query)| async move {
            let found = describe(ec2, &query).await?;
            Ok::<_, AwsError>((selector, query.kind, found))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;

    let mut found_ids: BTreeMap<SelectorKind, BTreeSet<String>> = BTreeMap::new();
    let mut resolved = Resolved::default();
    for (selector, kind, found) in results {
        resolved.subnet_zones.extend(found.zones);
        let mut found = found.ids;
        match selector {
            Some(selector) => {
                found.sort();
                found.dedup();
                resolved.matches.insert((kind, selector), found);
            }
            None => found_ids.entry(kind).or_default().extend(found),
        }
    }
    for (kind, set) in ids {
        let known = found_ids.get(&kind);
        for id in set {
            let matched = known.is_some_and(|k| k.contains(&id));
            let value = if matched {
                vec![id.clone()]
            } else {
                Vec::new()
            };
            resolved.matches.insert((kind, Selector::Id(id)), value);
        }
    }
    Ok(resolved)
}

fn id_filter(kind: SelectorKind) -> &'static str {
    match kind {
        SelectorKind::Vpc => "vpc-id",
        SelectorKind::Subnet => "subnet-id",
        SelectorKind::SecurityGroup => "group-id",
    }
}

/// What one query matched: the IDs and, for subnets, their zones.
#[derive(Default)]
struct Found {
    ids: Vec<String>,
    /// (subnet ID, availability zone), Outpost subnets left out.
    zones: Vec<(String, String)>,
}

/// All IDs one query matches, following `NextToken`.
async fn describe(ec2: &aws_sdk_ec2::Client, query: &Query) -> Result<Found, AwsError> {
    let filters = Some(query.filters.clone());
    let resource = describe_filters(&query.filters);
    let mut out = Vec::new();
    let mut zones = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let next = match query.kind {
            SelectorKind::Vpc => {
                let page = ec2
                    .describe_vpcs()
                    .set_filters(filters.clone())
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| error("DescribeVpcs", &resource, e))?;
                out.extend(
                    page.vpcs()
                        .iter()
                        .filter_map(|v| v.vpc_id().map(str::to_string)),
                );
                page.next_token().map(str::to_string)
            }
            SelectorKind::Subnet => {
                let page = ec2
                    .describe_subnets()
                    .set_filters(filters.clone())
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| error("DescribeSubnets", &resource, e))?;
                out.extend(
                    page.subnets()
                        .iter()
                        .filter_map(|s| s.subnet_id().map(str::to_string)),
                );
                zones.extend(page.subnets().iter().filter_map(|s| {
                    let zone = s
                        .availability_zone()
                        .filter(|_| s.outpost_arn().is_none())?;
                    Some((s.subnet_id()?.to_string(), zone.to_string()))
                }));
                page.next_token().map(str::to_string)
            }
            SelectorKind::SecurityGroup => {
                let page = ec2
                    .describe_security_groups()
                    .set_filters(filters.clone())
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| error("DescribeSecurityGroups", &resource, e))?;
                out.extend(
                    page.security_groups()
                        .iter()
                        .filter_map(|g| g.group_id().map(str::to_string)),
                );
                page.next_token().map(str::to_string)
            }
        };
        match next {
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(Found { ids: out, zones }),
        }
    }
}

/// The filters of a query, for error messages (`tag:Name=prod`).
fn describe_filters(filters: &[Filter]) -> String {
    filters
        .iter()
        .map(|f| format!("{}={}", f.name().unwrap_or(""), f.values().join(",")))
        .collect::<Vec<_>>()
        .join(" ")
}
