//! The `HealthCheckConfig` lbctl sends for a managed health check: each
//! type with only the settings it takes, AWS's defaults filled in where
//! moto and AWS differ when they are left out. Pure: no API calls.

use aws_sdk_route53::types::{
    AlarmIdentifier, CloudWatchRegion, HealthCheckConfig, HealthCheckRegion, HealthCheckType,
    InsufficientDataHealthStatus,
};

use crate::model::dns::ManagedHealthCheck;

/// AWS's defaults for settings the spec leaves out.
const DEFAULT_INTERVAL: u32 = 30;
const DEFAULT_FAILURE_THRESHOLD: u32 = 3;

/// The health check configuration, AWS's defaults filled in; `children`
/// are the IDs of a calculated check's children.
pub(super) fn config(
    check: &ManagedHealthCheck,
    children: Vec<String>,
) -> Result<HealthCheckConfig, aws_sdk_route53::error::BuildError> {
    let b = HealthCheckConfig::builder()
        .r#type(HealthCheckType::from(check.check_type.as_str()))
        .set_inverted(check.inverted.then_some(true))
        .set_disabled(check.disabled.then_some(true));
    let b = match check.check_type.as_str() {
        "CALCULATED" => b
            .set_child_health_checks(Some(children))
            .set_health_threshold(check.healthy_threshold.map(to_i32)),
        "CLOUDWATCH_METRIC" => b
            .set_alarm_identifier(alarm(check).transpose()?)
            .set_insufficient_data_health_status(insufficient(check)),
        "RECOVERY_CONTROL" => b.set_routing_control_arn(check.routing_control.clone()),
        _ => endpoint_config(b, check),
    };
    b.build()
}

/// The settings of a check that probes an endpoint.
fn endpoint_config(
    b: aws_sdk_route53::types::builders::HealthCheckConfigBuilder,
    check: &ManagedHealthCheck,
) -> aws_sdk_route53::types::builders::HealthCheckConfigBuilder {
    let secure = check.is_https();
    let port = check.port.unwrap_or(if secure { 443 } else { 80 });
    b.set_fully_qualified_domain_name(check.fqdn.clone())
        .set_ip_address(check.ip_address.clone())
        .port(i32::from(port))
        .set_resource_path(check.path.clone())
        .set_search_string(check.search_string.clone())
        .request_interval(to_i32(check.interval.unwrap_or(DEFAULT_INTERVAL)))
        .failure_threshold(to_i32(
            check.failure_threshold.unwrap_or(DEFAULT_FAILURE_THRESHOLD),
        ))
        .set_measure_latency(check.measure_latency.then_some(true))
        .set_regions((!check.regions.is_empty()).then(|| regions(check)))
        // AWS's default for HTTPS checks, sent so that every server reads
        // it back (moto stores `false` when it is left out), and a check
        // read with SNI off is one somebody turned off.
        .set_enable_sni(secure.then(|| check.enable_sni.unwrap_or(true)))
}

pub(super) fn regions(check: &ManagedHealthCheck) -> Vec<HealthCheckRegion> {
    check
        .regions
        .iter()
        .map(|r| HealthCheckRegion::from(r.as_str()))
        .collect()
}

pub(super) fn alarm(
    check: &ManagedHealthCheck,
) -> Option<Result<AlarmIdentifier, aws_sdk_route53::error::BuildError>> {
    check.alarm.as_ref().map(|a| {
        AlarmIdentifier::builder()
            .name(&a.name)
            .region(CloudWatchRegion::from(a.region.as_str()))
            .build()
    })
}

pub(super) fn insufficient(check: &ManagedHealthCheck) -> Option<InsufficientDataHealthStatus> {
    check
        .insufficient_data
        .as_deref()
        .map(InsufficientDataHealthStatus::from)
}

pub(super) fn to_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dns::AlarmRef;

    #[test]
    fn defaults_follow_the_type() {
        let check = ManagedHealthCheck {
            check_type: "HTTPS".into(),
            fqdn: Some("api.example.com".into()),
            path: Some("/health".into()),
            ..Default::default()
        };
        let c = config(&check, vec![]).unwrap();
        assert_eq!(c.port(), Some(443));
        assert_eq!(c.request_interval(), Some(30));
        assert_eq!(c.failure_threshold(), Some(3));
        assert_eq!(c.enable_sni(), Some(true));
        assert_eq!(c.inverted(), None);
        let tcp = ManagedHealthCheck {
            check_type: "TCP".into(),
            ..check
        };
        assert_eq!(config(&tcp, vec![]).unwrap().port(), Some(80));
        assert_eq!(config(&tcp, vec![]).unwrap().enable_sni(), None);
    }

    #[test]
    fn each_type_sends_only_its_own_settings() {
        let matcher = ManagedHealthCheck {
            check_type: "HTTPS_STR_MATCH".into(),
            fqdn: Some("api.example.com".into()),
            search_string: Some("ok".into()),
            regions: vec!["eu-west-1".into(), "us-east-1".into(), "us-west-2".into()],
            inverted: true,
            enable_sni: Some(false),
            measure_latency: true,
            ..Default::default()
        };
        let c = config(&matcher, vec![]).unwrap();
        assert_eq!(c.search_string(), Some("ok"));
        assert_eq!(c.regions().len(), 3);
        assert_eq!(c.inverted(), Some(true));
        assert_eq!(c.enable_sni(), Some(false));
        assert_eq!(c.measure_latency(), Some(true));
        let calculated = ManagedHealthCheck {
            check_type: "CALCULATED".into(),
            healthy_threshold: Some(1),
            disabled: true,
            ..Default::default()
        };
        let c = config(&calculated, vec!["a".into(), "b".into()]).unwrap();
        assert_eq!(c.child_health_checks(), ["a", "b"]);
        assert_eq!(c.health_threshold(), Some(1));
        assert_eq!(c.disabled(), Some(true));
        assert_eq!((c.port(), c.request_interval()), (None, None));
        let alarm = ManagedHealthCheck {
            check_type: "CLOUDWATCH_METRIC".into(),
            alarm: Some(AlarmRef {
                name: "api-5xx".into(),
                region: "eu-west-1".into(),
            }),
            insufficient_data: Some("LastKnownStatus".into()),
            ..Default::default()
        };
        let c = config(&alarm, vec![]).unwrap();
        assert_eq!(c.alarm_identifier().map(|a| a.name()), Some("api-5xx"));
        assert_eq!(
            c.insufficient_data_health_status().map(|s| s.as_str()),
            Some("LastKnownStatus")
        );
        let control = ManagedHealthCheck {
            check_type: "RECOVERY_CONTROL".into(),
            routing_control: Some(
                "arn:aws:route53-recovery-control::1:controlpanel/a/routingcontrol/b".into(),
            ),
            ..Default::default()
        };
        let c = config(&control, vec![]).unwrap();
        assert!(c.routing_control_arn().is_some());
        assert_eq!(c.failure_threshold(), None);
    }
}
