//! Building the SDK clients: shared configuration (region, profile, endpoint,
//! retries, timeouts), the interceptor that counts API call attempts, the
//! HTTP connector that paces calls by [`Limiter`], and the mapping of SDK
//! errors to [`AwsError`] (what is missing, which endpoint did not answer).
//! Makes no API call itself.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::BehaviorVersion;
use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, Metadata};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::region::Region;

use super::throttle::Limiter;
use super::{AwsError, Settings};

/// Attempts per call, first try included. Adaptive mode also rate-limits
/// the client when AWS throttles it.
const MAX_ATTEMPTS: u32 = 5;

/// Connecting gives up after this long (or the API timeout, if shorter).
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

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

/// The header that carries `service/operation` from [`MarkOperation`] to
/// [`PacedConnector`], which removes it before the request goes out. (A
/// request extension would not do: the SDK sends a clone of the request
/// for each attempt, and clones lose their extensions.) It is added after
/// signing and is not signed.
const OPERATION_HEADER: &str = "x-lbctl-operation";

/// Marks each request with its service and operation (one per client,
/// since the metadata names the operation but not lbctl's service key).
#[derive(Debug, Clone)]
struct MarkOperation {
    service: &'static str,
}

impl Intercept for MarkOperation {
    fn name(&self) -> &'static str {
        "lbctl::MarkOperation"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let name = cfg.load::<Metadata>().map_or("", |m| m.name());
        super::calls::record_endpoint(name, context.request().uri());
        let value = format!("{}/{name}", self.service);
        context
            .request_mut()
            .headers_mut()
            .insert(OPERATION_HEADER, value);
        Ok(())
    }
}

/// The SDK's HTTP client, with every call waiting for its slot first.
#[derive(Debug, Clone)]
struct Paced {
    inner: SharedHttpClient,
    limiter: Arc<Limiter>,
}

impl HttpClient for Paced {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            limiter: self.limiter.clone(),
        })
    }
}

#[derive(Debug)]
struct PacedConnector {
    inner: SharedHttpConnector,
    limiter: Arc<Limiter>,
}

impl HttpConnector for PacedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.inner.clone();
        let limiter = self.limiter.clone();
        let mut request = request;
        let operation = request.headers_mut().remove(OPERATION_HEADER);
        HttpConnectorFuture::new(async move {
            if let Some((service, name)) = operation.as_deref().and_then(|o| o.split_once('/')) {
                limiter.acquire(service, name).await;
            }
            inner.call(request).await
        })
    }
}

/// The clients lbctl uses, built from one shared configuration.
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    pub(crate) elb: aws_sdk_elasticloadbalancingv2::Client,
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) route53: aws_sdk_route53::Client,
    pub(crate) ssm: aws_sdk_ssm::Client,
    /// Only for the account ID in error messages.
    pub(crate) sts: aws_sdk_sts::Client,
    pub(crate) counter: CallCounter,
    /// The region every client talks to.
    pub(crate) region: String,
}

/// Loads the SDK configuration (settings override the SDK's own chain) and
/// builds the clients. The SDK resolves `AWS_ENDPOINT_URL` itself. Fails
/// when no region is configured anywhere (every call would fail).
pub(crate) async fn build(settings: &Settings) -> Result<Clients, AwsError> {
    let timeout = settings.api_timeout.unwrap_or(super::DEFAULT_API_TIMEOUT);
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(timeout.min(CONNECT_TIMEOUT))
        .operation_timeout(timeout)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(MAX_ATTEMPTS))
        .timeout_config(timeouts);
    if let Some(region) = &settings.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &settings.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &settings.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let mut shared = loader.load().await;
    if shared.region().is_none() {
        return Err(own_error(
            "",
            "",
            "region",
            "no AWS region: neither the spec's `region:`, --region, AWS_REGION nor the \
             profile names one"
                .to_string(),
        ));
    }
    let region = shared.region().map(|r| r.to_string()).unwrap_or_default();
    super::calls::set_timeout(timeout);
    if let Some(inner) = shared.http_client().or_else(default_http_client) {
        let limiter = Arc::new(Limiter::new(settings.rate_limits.clone()));
        shared = shared
            .into_builder()
            .http_client(Paced { inner, limiter })
            .build();
    }
    let counter = CallCounter::default();
    let mark = |service| MarkOperation { service };
    let log = |service| super::calls::CallLog { service };
    let elb_config = aws_sdk_elasticloadbalancingv2::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .interceptor(mark("elbv2"))
        .interceptor(log("elbv2"))
        .build();
    let ec2_config = aws_sdk_ec2::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .interceptor(mark("ec2"))
        .interceptor(log("ec2"))
        .build();
    let route53_config = aws_sdk_route53::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .interceptor(mark("route53"))
        .interceptor(log("route53"))
        .build();
    let ssm_config = aws_sdk_ssm::config::Builder::from(&shared)
        .interceptor(counter.clone())
        .interceptor(mark("ssm"))
        .interceptor(log("ssm"))
        .build();
    Ok(Clients {
        elb: aws_sdk_elasticloadbalancingv2::Client::from_conf(elb_config),
        ec2: aws_sdk_ec2::Client::from_conf(ec2_config),
        route53: aws_sdk_route53::Client::from_conf(route53_config),
        ssm: aws_sdk_ssm::Client::from_conf(ssm_config),
        sts: aws_sdk_sts::Client::new(&shared),
        counter,
        region,
    })
}

/// The HTTP client the SDK would pick itself (it does so per service
/// client, so the shared configuration does not hold one to wrap).
fn default_http_client() -> Option<SharedHttpClient> {
    let plugin = aws_smithy_runtime::client::defaults::default_http_client_plugin_v2(
        BehaviorVersion::latest(),
    )?;
    plugin
        .runtime_components(&RuntimeComponentsBuilder::new("lbctl"))
        .http_client()
}

/// Turns an SDK error into an [`AwsError`] that keeps the AWS error code.
pub(crate) fn error<E, R>(operation: &str, resource: &str, err: SdkError<E, R>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let endpoint = super::calls::endpoint_of(operation);
    if let Some(cause) = credentials_error(&err) {
        let message = format!("no AWS credentials: {}", source_chain(cause));
        return own_error(operation, resource, "credentials", message);
    }
    let (code, message) = match &err {
        SdkError::TimeoutError(_) => (
            "timeout".to_string(),
            format!(
                "no answer from {endpoint} within {}",
                super::calls::timeout_text()
            ),
        ),
        SdkError::DispatchFailure(f) if f.is_timeout() => (
            "timeout".to_string(),
            format!("cannot connect to {endpoint}: {}", source_chain(&err)),
        ),
        SdkError::DispatchFailure(_) => (
            "connection".to_string(),
            format!("cannot reach {endpoint}: {}", source_chain(&err)),
        ),
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

/// The credentials error behind `err`, if that is what it is.
fn credentials_error<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a (dyn std::error::Error + 'static)> {
    let mut next = Some(err);
    while let Some(e) = next {
        if e.is::<CredentialsError>() {
            return Some(e);
        }
        next = e.source();
    }
    None
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
