//! Building the SDK clients: shared configuration (region, profile, endpoint,
//! retries), the interceptor that counts API call attempts, and the mapping
//! of SDK errors to [`AwsError`]. Makes no API call itself.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_config::retry::RetryConfig;
use aws_config::BehaviorVersion;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::region::Region;

use super::{AwsError, Settings};

/// Attempts per call, first try included. Adaptive mode also rate-limits
/// the client when AWS throttles it.
const MAX_ATTEMPTS: u32 = 5;

/// API call attempts by operation name, shared by every client.
pub(crate) type CallCounts = Arc<Mutex<BTreeMap<String, u64>>>;

/// Counts every attempt (retries included) by operation name.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallCounter {
    counts: CallCounts,
}

impl CallCounter {
    pub(crate) fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl Intercept for CallCounter {
    fn name(&self) -> &'static str {
        "lbctl::CallCounter"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let name = cfg
            .load::<Metadata>()
            .map(|m| m.name().to_string())
            .unwrap_or_else(|| "unknown".to_string());
        if let Ok(mut counts) = self.counts.lock() {
            *counts.entry(name).or_default() += 1;
        }
        Ok(())
    }
}

/// The clients lbctl uses, built from one shared configuration.
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    pub(crate) elb: aws_sdk_elasticloadbalancingv2::Client,
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) route53: aws_sdk_route53::Client,
    pub(crate) ssm: aws_sdk_ssm::Client,
    pub(crate) counter: CallCounter,
}

/// Loads the SDK configuration (settings override the SDK's own chain) and
/// builds the clients. The SDK resolves `AWS_ENDPOINT_URL` itself.
pub(crate) async fn build(settings: &Settings) -> Clients {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS));
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let shared = loader.load().await;
    let counter = CallCounter::default();
    let elb_config = aws_sdk_elasticloadbalancingv2::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .build();
    let ec2_config = aws_sdk_ec2::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .build();
    let route53_config = aws_sdk_route53::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .build();
    let ssm_config = aws_sdk_ssm::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .build();
    Clients {
        elb: aws_sdk_elasticloadbalancingv2::Client::from_conf(elb_config),
        ec2: aws_sdk_ec2::Client::from_conf(ec2_config),
        route53: aws_sdk_route53::Client::from_conf(route53_config),
        ssm: aws_sdk_ssm::Client::from_conf(ssm_config),
        counter,
    }
}

/// Turns an SDK error into an [`AwsError`] that keeps the AWS error code.
pub(crate) fn error<E, R>(operation: &str, resource: &str, err: SdkError<E, R>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let (code, message) = match &err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            ("connection".to_string(), source_chain(&err))
        }
        _ => (
            err.code().unwrap_or("unknown").to_string(),
            err.message()
                .map(str::to_string)
                .unwrap_or_else(|| DisplayErrorContext(&err).to_string()),
        ),
    };
    AwsError {
        operation: operation.to_string(),
        resource: resource.to_string(),
        code,
        message,
    }
}

/// The error and its sources, `: `-separated, without Debug output.
fn source_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

/// An error lbctl raises itself (no SDK error behind it).
pub(crate) fn own_error(operation: &str, resource: &str, code: &str, message: String) -> AwsError {
    AwsError {
        operation: operation.to_string(),
        resource: resource.to_string(),
        code: code.to_string(),
        message,
    }
}
