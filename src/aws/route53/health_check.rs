//! Executing health check steps: create (and tag with the stack and the
//! record it serves), update, delete. The ID of a created health check is
//! kept in the [`Index`] under (zone, record key, set identifier), where
//! the record set step that uses it finds it.
//!
//! CreateHealthCheck is not idempotent by itself: its CallerReference is.
//! A create whose answer was lost is therefore never sent again blindly:
//! lbctl first looks for a health check with the same CallerReference (see
//! [`create_once`]). A check an earlier, stopped apply created and tagged
//! for the same record, with the same settings, is reused instead of
//! created again (see [`find_left_over`]).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_route53::config::retry::RetryConfig;
use aws_sdk_route53::operation::create_health_check::CreateHealthCheckError;
use aws_sdk_route53::types::{
    HealthCheckConfig, HealthCheckType, ResettableElementName, Tag, TagResourceType,
};
use aws_sdk_route53::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::health_config::{alarm, config, insufficient, regions, to_i32};
use crate::aws::client::{error, own_error};
use crate::aws::{AwsError, Index};
use crate::model::dns::{HealthCheckRef, ManagedHealthCheck, RecordKey};
use crate::model::STACK_TAG;

/// Tag naming the record a managed health check serves:
/// `<name> <type> <set identifier or ->`.
pub(crate) const RECORD_TAG: &str = "lbctl:record";

/// Attempts of one CreateHealthCheck, first try included (as the SDK's
/// retry configuration for every other call).
const CREATE_ATTEMPTS: u32 = 5;
/// First pause between create attempts; doubled after each.
const CREATE_BACKOFF: Duration = Duration::from_millis(200);
/// Resource IDs per ListTagsForResources call (AWS's maximum).
const TAG_BATCH: usize = 10;

/// Creates the health check, tags it and records its ID in the index.
/// `child`: the check is child `child` of the calculated check of that
/// record, created before it (its ID is recorded under [`slot`]).
pub(crate) async fn create(
    r53: &Client,
    index: &Index,
    zone: &str,
    key: &RecordKey,
    set_identifier: Option<&str>,
    child: Option<usize>,
    check: &ManagedHealthCheck,
) -> Result<(), AwsError> {
    let slot = slot(set_identifier, child);
    let resource = format!("{zone} {key} {}", slot.as_deref().unwrap_or("-"));
    let stack = index.stack().ok_or_else(|| {
        own_error(
            "CreateHealthCheck",
            &resource,
            "no_stack",
            "the stack is unknown (live state was not read)".into(),
        )
    })?;
    let children = child_ids(index, zone, key, set_identifier, check, &resource)?;
    let config = config(check, children)
        .map_err(|e| own_error("CreateHealthCheck", &resource, "invalid", e.to_string()))?;
    let record = format!(
        "{} {} {}",
        key.name,
        key.rtype,
        slot.as_deref().unwrap_or("-")
    );
    if let Some(id) = find_left_over(r53, &stack, &record, &config).await? {
        tracing::debug!(%resource, %id, "reusing the health check an earlier apply made");
        index.set_health_check(zone, key, slot.as_deref(), &id);
        return Ok(());
    }
    let id = create_once(r53, &resource, config).await?;
    index.set_health_check(zone, key, slot.as_deref(), &id);
    r53.change_tags_for_resource()
        .resource_type(TagResourceType::Healthcheck)
        .resource_id(&id)
        .add_tags(Tag::builder().key(STACK_TAG).value(stack).build())
        .add_tags(Tag::builder().key(RECORD_TAG).value(record).build())
        .send()
        .await
        .map_err(|e| error("ChangeTagsForResource", &resource, e))?;
    Ok(())
}

/// Where the index keeps the ID of a record's health check: under its set
/// identifier, or, for child `i` of its calculated check, under
/// `<set identifier or ->/children[i]` (within one record set, so it never
/// meets the slot of another record).
pub(crate) fn slot(set_identifier: Option<&str>, child: Option<usize>) -> Option<String> {
    match child {
        None => set_identifier.map(str::to_string),
        Some(i) => Some(format!("{}/children[{i}]", set_identifier.unwrap_or("-"))),
    }
}

/// The IDs of a calculated check's children: given, read, or made by a
/// create step of this apply (which runs before the parent's).
fn child_ids(
    index: &Index,
    zone: &str,
    key: &RecordKey,
    set_identifier: Option<&str>,
    check: &ManagedHealthCheck,
    resource: &str,
) -> Result<Vec<String>, AwsError> {
    check
        .children
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            HealthCheckRef::Id(id) => Ok(id.clone()),
            HealthCheckRef::Managed(m) => match &m.id {
                Some(id) => Ok(id.clone()),
                None => index
                    .health_check_id(zone, key, slot(set_identifier, Some(i)).as_deref())
                    .ok_or_else(|| {
                        own_error(
                            "CreateHealthCheck",
                            resource,
                            "not_found",
                            format!("child {i} of the calculated health check was not created"),
                        )
                    }),
            },
        })
        .collect()
}

/// Creates one health check and returns its ID, retrying transient
/// failures itself instead of through the SDK.
///
/// A failed attempt may still have created the check (the request reached
/// Route 53 and the answer was lost). On AWS, sending the same
/// CallerReference again returns that check, but moto (5.2) ignores the
/// CallerReference and makes a second one; and a repeat after the SDK's
/// retries are used up would need a new reference on AWS too. So after any
/// failure lbctl lists the health checks and adopts the one carrying this
/// request's CallerReference before trying again: never two checks for one
/// create, on either.
async fn create_once(
    r53: &Client,
    resource: &str,
    config: HealthCheckConfig,
) -> Result<String, AwsError> {
    let reference = caller_reference();
    let mut pause = CREATE_BACKOFF;
    for attempt in 1..=CREATE_ATTEMPTS {
        let sent = r53
            .create_health_check()
            .caller_reference(&reference)
            .health_check_config(config.clone())
            .customize()
            .config_override(
                aws_sdk_route53::config::Config::builder().retry_config(RetryConfig::disabled()),
            )
            .send()
            .await;
        let err = match sent {
            Ok(out) => {
                return Ok(out
                    .health_check()
                    .map(|hc| hc.id().to_string())
                    .unwrap_or_default())
            }
            Err(err) => err,
        };
        if let Some(id) = find_by_reference(r53, &reference).await? {
            tracing::debug!(%resource, %id, "adopted the health check of a lost create answer");
            return Ok(id);
        }
        if attempt == CREATE_ATTEMPTS || !transient(&err) {
            return Err(error("CreateHealthCheck", resource, err));
        }
        tokio::time::sleep(pause).await;
        pause *= 2;
    }
    unreachable!("the last attempt returns")
}

/// Whether a failed create may succeed when sent again: no answer, a
/// server error or throttling.
fn transient(err: &SdkError<CreateHealthCheckError, HttpResponse>) -> bool {
    match err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(e) => {
            e.raw().status().as_u16() >= 500
                || matches!(
                    err.code(),
                    Some("Throttling" | "ThrottlingException" | "PriorRequestNotComplete")
                )
        }
        _ => false,
    }
}

/// The ID of the health check made with `reference`, if any.
async fn find_by_reference(r53: &Client, reference: &str) -> Result<Option<String>, AwsError> {
    let mut pages = r53.list_health_checks().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| error("ListHealthChecks", reference, e))?;
        if let Some(hc) = page
            .health_checks()
            .iter()
            .find(|hc| hc.caller_reference() == reference)
        {
            return Ok(Some(hc.id().to_string()));
        }
    }
    Ok(None)
}

/// A health check an earlier apply created and tagged for this record of
/// this stack, with exactly these settings, that the record never came to
/// use (the apply stopped in between: a failure, an interrupt). The reader
/// only sees checks that records use, so without this every such apply
/// would leave one more check behind. Costs one ListHealthChecks per 100
/// checks in the account; tags are read only for checks that match.
async fn find_left_over(
    r53: &Client,
    stack: &str,
    record: &str,
    want: &HealthCheckConfig,
) -> Result<Option<String>, AwsError> {
    let same = |have: &HealthCheckConfig| {
        have.r#type() == want.r#type()
            && have.fully_qualified_domain_name() == want.fully_qualified_domain_name()
            && have.ip_address() == want.ip_address()
            && have.port() == want.port()
            && have.resource_path() == want.resource_path()
            && have.request_interval() == want.request_interval()
            && have.failure_threshold() == want.failure_threshold()
            && have.search_string() == want.search_string()
            && have.inverted().unwrap_or(false) == want.inverted().unwrap_or(false)
            && have.disabled().unwrap_or(false) == want.disabled().unwrap_or(false)
            && have.measure_latency().unwrap_or(false) == want.measure_latency().unwrap_or(false)
            && have.health_threshold() == want.health_threshold()
            && have.child_health_checks() == want.child_health_checks()
            && have.alarm_identifier() == want.alarm_identifier()
            && have.routing_control_arn() == want.routing_control_arn()
            && sni(have) == sni(want)
            && regions_of(have) == regions_of(want)
    };
    let mut candidates = Vec::new();
    let mut pages = r53.list_health_checks().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| error("ListHealthChecks", record, e))?;
        candidates.extend(
            page.health_checks()
                .iter()
                .filter(|hc| hc.health_check_config().is_some_and(same))
                .map(|hc| hc.id().to_string()),
        );
    }
    for chunk in candidates.chunks(TAG_BATCH) {
        let out = r53
            .list_tags_for_resources()
            .resource_type(TagResourceType::Healthcheck)
            .set_resource_ids(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| error("ListTagsForResources", record, e))?;
        let tagged = |set: &&aws_sdk_route53::types::ResourceTagSet, key: &str, value: &str| {
            set.tags()
                .iter()
                .any(|t| t.key() == Some(key) && t.value() == Some(value))
        };
        if let Some(set) = out
            .resource_tag_sets()
            .iter()
            .find(|set| tagged(set, STACK_TAG, stack) && tagged(set, RECORD_TAG, record))
        {
            return Ok(set.resource_id().map(str::to_string));
        }
    }
    Ok(None)
}

/// Whether SNI is on, AWS's default (on for HTTPS checks) filled in.
fn sni(c: &HealthCheckConfig) -> bool {
    let https = matches!(
        c.r#type(),
        HealthCheckType::Https | HealthCheckType::HttpsStrMatch
    );
    c.enable_sni().unwrap_or(https) && https
}

/// Health checker regions as a set.
fn regions_of(c: &HealthCheckConfig) -> std::collections::BTreeSet<&str> {
    c.regions().iter().map(|r| r.as_str()).collect()
}

/// Sets what UpdateHealthCheck can change: FQDN, IP address, port, path
/// and failure threshold (`Some` fields only), and every setting added in
/// December 2026 (search string, inversion, disabling, SNI, regions,
/// children and threshold, alarm). Regions left out are reset to AWS's
/// default (`ResetElements`). Type, interval, latency measuring and a
/// routing control cannot change in place (the diff replaces the check).
pub(crate) async fn update(
    r53: &Client,
    id: &str,
    check: &ManagedHealthCheck,
) -> Result<(), AwsError> {
    let mut call = r53
        .update_health_check()
        .health_check_id(id)
        .set_fully_qualified_domain_name(check.fqdn.clone())
        .set_ip_address(check.ip_address.clone())
        .set_port(check.port.map(i32::from).filter(|_| check.is_endpoint()))
        .set_resource_path(check.path.clone())
        .set_failure_threshold(
            check
                .failure_threshold
                .and_then(|t| i32::try_from(t).ok())
                .filter(|_| check.is_endpoint()),
        )
        .set_search_string(check.search_string.clone())
        .inverted(check.inverted)
        .disabled(check.disabled)
        .set_enable_sni(check.is_https().then(|| check.enable_sni.unwrap_or(true)));
    if check.is_endpoint() {
        call = if check.regions.is_empty() {
            call.reset_elements(ResettableElementName::Regions)
        } else {
            call.set_regions(Some(regions(check)))
        };
    }
    match check.check_type.as_str() {
        "CALCULATED" => {
            let children: Vec<String> = check
                .children
                .iter()
                .map(|c| match c {
                    HealthCheckRef::Id(id) => Some(id.clone()),
                    HealthCheckRef::Managed(m) => m.id.clone(),
                })
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    own_error(
                        "UpdateHealthCheck",
                        id,
                        "not_found",
                        "a child of the calculated health check has no ID".into(),
                    )
                })?;
            call = call
                .set_health_threshold(check.healthy_threshold.map(to_i32))
                .set_child_health_checks(Some(children));
        }
        "CLOUDWATCH_METRIC" => {
            call = call
                .set_alarm_identifier(
                    alarm(check).transpose().map_err(|e| {
                        own_error("UpdateHealthCheck", id, "invalid", e.to_string())
                    })?,
                )
                .set_insufficient_data_health_status(insufficient(check));
        }
        _ => {}
    }
    call.send()
        .await
        .map_err(|e| error("UpdateHealthCheck", id, e))?;
    Ok(())
}

/// Deletes the health check; one already gone counts as deleted.
pub(crate) async fn delete(r53: &Client, id: &str) -> Result<(), AwsError> {
    match r53.delete_health_check().health_check_id(id).send().await {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_health_check()) =>
        {
            Ok(())
        }
        Err(e) => Err(error("DeleteHealthCheck", id, e)),
    }
}

/// A CallerReference unique to this request (at most 64 characters).
pub(super) fn caller_reference() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("lbctl-{nanos}-{}-{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_have_slots_of_their_own() {
        assert_eq!(slot(Some("primary"), None).as_deref(), Some("primary"));
        assert_eq!(slot(None, None), None);
        assert_eq!(
            slot(Some("primary"), Some(1)).as_deref(),
            Some("primary/children[1]")
        );
        assert_eq!(slot(None, Some(0)).as_deref(), Some("-/children[0]"));
    }

    #[test]
    fn caller_references_are_unique_and_short() {
        let (a, b) = (caller_reference(), caller_reference());
        assert_ne!(a, b);
        assert!(a.len() <= 64);
    }
}
