//! What lbctl knows about its AWS calls beyond the SDK's error: the
//! endpoint each operation was sent to (so that a call that never gets an
//! answer names it), the API timeout in force, and, with `-vv`, one debug
//! line per attempt (service, operation, resource, status, time).
//!
//! Process-wide on purpose: a command builds its clients once, and the
//! free function that maps SDK errors (`client::error`) has no client at
//! hand. Holds no secret: request inputs are logged through the SDK's own
//! `Debug`, which redacts sensitive fields, and the log writer scrubs
//! SecureString values like all other output.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// Endpoint (`scheme://host[:port]`) by operation name, as last sent.
static ENDPOINTS: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());
/// The API timeout of the clients built last.
static TIMEOUT: Mutex<Option<Duration>> = Mutex::new(None);

/// Remembers where `operation` went (`uri` is the full request URI).
pub(super) fn record_endpoint(operation: &str, uri: &str) {
    if let Ok(mut map) = ENDPOINTS.lock() {
        map.insert(operation.to_string(), origin(uri).to_string());
    }
}

/// `` `http://127.0.0.1:4566` `` for a call that was sent (or, for one
/// that was not, the one endpoint every call so far went to), else "the
/// AWS endpoint".
pub(super) fn endpoint_of(operation: &str) -> String {
    let map = ENDPOINTS.lock().map(|m| m.clone()).unwrap_or_default();
    let mut all: Vec<&String> = map.values().collect();
    all.sort();
    all.dedup();
    let only = match all.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    match map.get(operation).or(only) {
        Some(e) => format!("`{e}`"),
        None => "the AWS endpoint".to_string(),
    }
}

pub(super) fn set_timeout(timeout: Duration) {
    if let Ok(mut t) = TIMEOUT.lock() {
        *t = Some(timeout);
    }
}

/// The API timeout in force, as the flag takes it (`60s`).
pub(super) fn timeout_text() -> String {
    let t = TIMEOUT.lock().ok().and_then(|t| *t);
    let t = t.unwrap_or(super::DEFAULT_API_TIMEOUT);
    format!("{}s (--api-timeout)", t.as_secs_f64())
}

/// `scheme://authority` of a URI (all of it if it has no path).
fn origin(uri: &str) -> &str {
    let start = uri.find("://").map_or(0, |i| i + 3);
    match uri[start..].find(['/', '?']) {
        Some(end) => &uri[..start + end],
        None => uri,
    }
}

/// The resource a call is about, for the `-vv` line: the input's fields
/// that are set, `Some(..)` unwrapped, at most [`RESOURCE_WIDTH`] chars.
fn resource(input_debug: &str) -> String {
    let body = braced(input_debug).unwrap_or("");
    let fields: Vec<String> = split_top_level(body)
        .into_iter()
        .filter_map(|field| {
            let (name, value) = field.split_once(": ")?;
            let value = value.trim();
            if value == "None" || value == "Some(false)" {
                return None;
            }
            let value = value
                .strip_prefix("Some(")
                .and_then(|v| v.strip_suffix(')'))
                .unwrap_or(value);
            Some(format!("{}={value}", name.trim()))
        })
        .collect();
    let text = fields.join(" ");
    match text.char_indices().nth(RESOURCE_WIDTH) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

const RESOURCE_WIDTH: usize = 120;

/// What stands between the first `{` and its matching `}`.
fn braced(text: &str) -> Option<&str> {
    let open = text.find('{')?;
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[open + 1..open + i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `a: 1, b: [2, 3]` at the commas outside brackets and quotes.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut quoted, mut start) = (Vec::new(), 0i32, false, 0);
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match c {
            '"' if prev != '\\' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => depth += 1,
            ')' | ']' | '}' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(text[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        prev = c;
    }
    if !text[start..].trim().is_empty() {
        parts.push(text[start..].trim());
    }
    parts
}

/// What [`CallLog`] keeps between the hooks of one call.
#[derive(Debug, Clone)]
struct CallStart {
    resource: String,
    attempt_at: Instant,
}

impl Storable for CallStart {
    type Storer = StoreReplace<Self>;
}

/// With `-vv` (debug for `lbctl`): one line per attempt of every call.
#[derive(Debug, Clone)]
pub(super) struct CallLog {
    pub(super) service: &'static str,
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "lbctl::CallLog"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if tracing::enabled!(tracing::Level::DEBUG) {
            let debug = format!("{:?}", context.input());
            cfg.interceptor_state().store_put(CallStart {
                resource: resource(&debug),
                attempt_at: Instant::now(),
            });
        }
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(start) = cfg.load::<CallStart>().cloned() {
            cfg.interceptor_state().store_put(CallStart {
                attempt_at: Instant::now(),
                ..start
            });
        }
        Ok(())
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(start) = cfg.load::<CallStart>() else {
            return Ok(());
        };
        let operation = cfg.load::<Metadata>().map_or("?", |m| m.name());
        let status = match (context.response(), context.output_or_error()) {
            (Some(r), _) => r.status().as_u16().to_string(),
            (None, Some(Err(e))) => format!("failed ({e})"),
            (None, _) => "no response".to_string(),
        };
        tracing::debug!(
            "aws {} {operation} {} -> {status} in {} ms",
            self.service,
            start.resource,
            start.attempt_at.elapsed().as_millis()
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resource_is_the_fields_that_are_set() {
        let debug = r#"Input(TypeErasedBox[!Clone]:DescribeLoadBalancersInput { load_balancer_arns: None, names: Some(["shop", "a, b"]), marker: None, page_size: Some(400) })"#;
        assert_eq!(resource(debug), r#"names=["shop", "a, b"] page_size=400"#);
        assert_eq!(resource("X { }"), "");
        let long = format!("X {{ names: Some([\"{}\"]) }}", "n".repeat(300));
        assert!(resource(&long).ends_with("..."));
        assert_eq!(resource(&long).chars().count(), RESOURCE_WIDTH + 3);
    }

    #[test]
    fn the_endpoint_is_scheme_and_authority() {
        assert_eq!(
            origin("http://127.0.0.1:4566/?Action=X"),
            "http://127.0.0.1:4566"
        );
        assert_eq!(
            origin("https://route53.amazonaws.com/2013-04-01/hostedzone"),
            "https://route53.amazonaws.com"
        );
        assert_eq!(origin("http://h:1"), "http://h:1");
    }
}
