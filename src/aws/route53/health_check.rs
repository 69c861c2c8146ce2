//! Executing health check steps: create (and tag with the stack and the
//! record it serves), update, delete. The ID of a created health check is
//! kept in the [`Index`] under (zone, record key, set identifier), where
//! the record set step that uses it finds it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_route53::types::{HealthCheckConfig, HealthCheckType, Tag, TagResourceType};
use aws_sdk_route53::Client;

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
    // Built once, so an SDK retry of the same request reuses it and AWS
    // returns the health check the first attempt made.
    let out = r53
        .create_health_check()
        .caller_reference(caller_reference())
        .health_check_config(config)
        .send()
        .await
        .map_err(|e| error("CreateHealthCheck", &resource, e))?;
    let id = out
        .health_check()
        .map(|hc| hc.id().to_string())
        .unwrap_or_default();
    index.set_health_check(zone, key, set_identifier, &id);
    let record = format!(
        "{} {} {}",
        key.name,
        key.rtype,
        set_identifier.unwrap_or("-")
    );
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
        .build()
}

fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A CallerReference unique to this request (at most 64 characters).
fn caller_reference() -> String {
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
        let tcp = ManagedHealthCheck {
            check_type: "TCP".into(),
            ..check
        };
        assert_eq!(config(&tcp).unwrap().port(), Some(80));
    }

    #[test]
    fn caller_references_are_unique_and_short() {
        let (a, b) = (caller_reference(), caller_reference());
        assert_ne!(a, b);
        assert!(a.len() <= 64);
    }
}
