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
use aws_sdk_route53::types::{HealthCheckConfig, HealthCheckType, Tag, TagResourceType};
use aws_sdk_route53::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::aws::client::{error, own_error};
use crate::aws::{AwsError, Index};
use crate::model::dns::{ManagedHealthCheck, RecordKey};
use crate::model::STACK_TAG;

/// Tag naming the record a managed health check serves:
/// `<name> <type> <set identifier or ->`.
pub(crate) const RECORD_TAG: &str = "lbctl:record";

/// AWS's defaults for settings the spec leaves out.
const DEFAULT_INTERVAL: u32 = 30;
const DEFAULT_FAILURE_THRESHOLD: u32 = 3;

/// Attempts of one CreateHealthCheck, first try included (as the SDK's
/// retry configuration for every other call).
const CREATE_ATTEMPTS: u32 = 5;
/// First pause between create attempts; doubled after each.
const CREATE_BACKOFF: Duration = Duration::from_millis(200);
/// Resource IDs per ListTagsForResources call (AWS's maximum).
const TAG_BATCH: usize = 10;

/// Creates the health check, tags it and records its ID in the index.
pub(crate) async fn create(
    r53: &Client,
    index: &Index,
    zone: &str,
    key: &RecordKey,
    set_identifier: Option<&str>,
    check: &ManagedHealthCheck,
) -> Result<(), AwsError> {
    let resource = format!("{zone} {key} {}", set_identifier.unwrap_or("-"));
    let stack = index.stack().ok_or_else(|| {
        own_error(
            "CreateHealthCheck",
            &resource,
            "no_stack",
            "the stack is unknown (live state was not read)".into(),
        )
    })?;
    let config = config(check)
        .map_err(|e| own_error("CreateHealthCheck", &resource, "invalid", e.to_string()))?;
    let record = format!(
        "{} {} {}",
        key.name,
        key.rtype,
        set_identifier.unwrap_or("-")
    );
    if let Some(id) = find_left_over(r53, &stack, &record, &config).await? {
        tracing::debug!(%resource, %id, "reusing the health check an earlier apply made");
        index.set_health_check(zone, key, set_identifier, &id);
        return Ok(());
    }
    let id = create_once(r53, &resource, config).await?;
    index.set_health_check(zone, key, set_identifier, &id);
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

/// Sets what UpdateHealthCheck can change: FQDN, IP address, port, path
/// and failure threshold (`Some` fields only). Type and interval cannot
/// change in place.
pub(crate) async fn update(
    r53: &Client,
    id: &str,
    check: &ManagedHealthCheck,
) -> Result<(), AwsError> {
    r53.update_health_check()
        .health_check_id(id)
        .set_fully_qualified_domain_name(check.fqdn.clone())
        .set_ip_address(check.ip_address.clone())
        .set_port(check.port.map(i32::from))
        .set_resource_path(check.path.clone())
        .set_failure_threshold(check.failure_threshold.and_then(|t| i32::try_from(t).ok()))
        .send()
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

/// The health check configuration, AWS's defaults filled in.
fn config(
    check: &ManagedHealthCheck,
) -> Result<HealthCheckConfig, aws_sdk_route53::error::BuildError> {
    let secure = matches!(check.check_type.as_str(), "HTTPS" | "HTTPS_STR_MATCH");
    let port = check.port.unwrap_or(if secure { 443 } else { 80 });
    HealthCheckConfig::builder()
        .r#type(HealthCheckType::from(check.check_type.as_str()))
        .set_fully_qualified_domain_name(check.fqdn.clone())
        .set_ip_address(check.ip_address.clone())
        .port(i32::from(port))
        .set_resource_path(check.path.clone())
        .request_interval(to_i32(check.interval.unwrap_or(DEFAULT_INTERVAL)))
        .failure_threshold(to_i32(
            check.failure_threshold.unwrap_or(DEFAULT_FAILURE_THRESHOLD),
        ))
        // AWS's default for HTTPS checks, sent so that every server reads
        // it back (moto stores `false` when it is left out), and a check
        // read with SNI off is one somebody turned off (reported as an
        // unmanaged setting).
        .set_enable_sni(secure.then_some(true))
        .build()
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
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
    fn defaults_follow_the_type() {
        let check = ManagedHealthCheck {
            id: None,
            check_type: "HTTPS".into(),
            fqdn: Some("api.example.com".into()),
            ip_address: None,
            port: None,
            path: Some("/health".into()),
            interval: None,
            failure_threshold: None,
        };
        let c = config(&check).unwrap();
        assert_eq!(c.port(), Some(443));
        assert_eq!(c.request_interval(), Some(30));
        assert_eq!(c.failure_threshold(), Some(3));
        assert_eq!(c.enable_sni(), Some(true));
        let tcp = ManagedHealthCheck {
            check_type: "TCP".into(),
            ..check
        };
        assert_eq!(config(&tcp).unwrap().port(), Some(80));
        assert_eq!(config(&tcp).unwrap().enable_sni(), None);
    }

    #[test]
    fn caller_references_are_unique_and_short() {
        let (a, b) = (caller_reference(), caller_reference());
        assert_ne!(a, b);
        assert!(a.len() <= 64);
    }
}
