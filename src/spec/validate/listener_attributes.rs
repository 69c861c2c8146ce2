//! Listener attributes: the keys AWS takes per load balancer type and
//! listener protocol, and the checks of a listener's `attributes:`.
//!
//! Written from the AWS API reference,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ListenerAttribute.html>
//! (the same text as botocore's `elbv2` model, 2015-12-01), and the ALB user
//! guide's header modification page,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html>
//! (values: `X-Content-Type-Options: nosniff`, `X-Frame-Options` DENY,
//! SAMEORIGIN or ALLOW-FROM, credentials only `true`, max age 0..86400 s).

use super::attributes::{check_value, Shape};
use crate::spec::diag::{suggest, Check};
use crate::spec::raw::listener_attributes::RawListenerAttributes;
use crate::spec::raw::RawTags;

/// The listeners a listener attribute applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// HTTP and HTTPS listeners of application load balancers.
    AlbHttp,
    /// HTTPS listeners of application load balancers.
    AlbHttps,
    /// TCP listeners of network load balancers and the gateway listener.
    TcpIdle,
    /// The gateway listener.
    Gwlb,
}

/// One listener attribute key.
#[derive(Debug)]
pub struct ListenerAttr {
    pub key: &'static str,
    pub scope: Scope,
    pub shape: Shape,
    /// The spec path under `attributes` that sets this key, if any.
    pub typed: Option<&'static str>,
    /// What AWS reports when the key was never set.
    pub default: &'static str,
}

const fn row(
    key: &'static str,
    scope: Scope,
    shape: Shape,
    typed: Option<&'static str>,
    default: &'static str,
) -> ListenerAttr {
    ListenerAttr {
        key,
        scope,
        shape,
        typed,
        default,
    }
}

use Scope::*;
use Shape::*;

/// Every listener attribute key AWS documents.
pub const LISTENER: &[ListenerAttr] = &[
    row(
        "tcp.idle_timeout.seconds",
        TcpIdle,
        Int(60, 6000),
        Some("tcp_idle_timeout"),
        "350",
    ),
    row(
        "send_tcp_reset.on_idle_timeout.enabled",
        Gwlb,
        Bool,
        None,
        "false",
    ),
    row(
        "routing.http.response.server.enabled",
        AlbHttp,
        Bool,
        Some("response_headers.server"),
        "true",
    ),
    row(
        "routing.http.response.strict_transport_security.header_value",
        AlbHttp,
        Text,
        Some("response_headers.strict_transport_security"),
        "",
    ),
    row(
        "routing.http.response.content_security_policy.header_value",
        AlbHttp,
        Text,
        Some("response_headers.content_security_policy"),
        "",
    ),
    row(
        "routing.http.response.x_content_type_options.header_value",
        AlbHttp,
        Text,
        Some("response_headers.x_content_type_options"),
        "",
    ),
    row(
        "routing.http.response.x_frame_options.header_value",
        AlbHttp,
        Text,
        Some("response_headers.x_frame_options"),
        "",
    ),
    row(
        "routing.http.response.access_control_allow_origin.header_value",
        AlbHttp,
        Text,
        Some("response_headers.access_control_allow_origin"),
        "",
    ),
    row(
        "routing.http.response.access_control_allow_methods.header_value",
        AlbHttp,
        Text,
        Some("response_headers.access_control_allow_methods"),
        "",
    ),
    row(
        "routing.http.response.access_control_allow_headers.header_value",
        AlbHttp,
        Text,
        Some("response_headers.access_control_allow_headers"),
        "",
    ),
    row(
        "routing.http.response.access_control_allow_credentials.header_value",
        AlbHttp,
        Text,
        Some("response_headers.access_control_allow_credentials"),
        "",
    ),
    row(
        "routing.http.response.access_control_expose_headers.header_value",
        AlbHttp,
        Text,
        Some("response_headers.access_control_expose_headers"),
        "",
    ),
    row(
        "routing.http.response.access_control_max_age.header_value",
        AlbHttp,
        Text,
        Some("response_headers.access_control_max_age"),
        "",
    ),
    row(
        "routing.http.request.x_amzn_mtls_clientcert_serial_number.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.mtls_clientcert_serial_number"),
        "X-Amzn-Mtls-Clientcert-Serial-Number",
    ),
    row(
        "routing.http.request.x_amzn_mtls_clientcert_issuer.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.mtls_clientcert_issuer"),
        "X-Amzn-Mtls-Clientcert-Issuer",
    ),
    row(
        "routing.http.request.x_amzn_mtls_clientcert_subject.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.mtls_clientcert_subject"),
        "X-Amzn-Mtls-Clientcert-Subject",
    ),
    row(
        "routing.http.request.x_amzn_mtls_clientcert_validity.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.mtls_clientcert_validity"),
        "X-Amzn-Mtls-Clientcert-Validity",
    ),
    row(
        "routing.http.request.x_amzn_mtls_clientcert_leaf.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.mtls_clientcert_leaf"),
        "X-Amzn-Mtls-Clientcert-Leaf",
    ),
    row(
        "routing.http.request.x_amzn_mtls_clientcert.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.mtls_clientcert"),
        "X-Amzn-Mtls-Clientcert",
    ),
    row(
        "routing.http.request.x_amzn_tls_version.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.tls_version"),
        "X-Amzn-Tls-Version",
    ),
    row(
        "routing.http.request.x_amzn_tls_cipher_suite.header_name",
        AlbHttps,
        Text,
        Some("request_header_names.tls_cipher_suite"),
        "X-Amzn-Tls-Cipher-Suite",
    ),
];

/// Whether a listener of `lb_type` with `protocol` is in `scope`.
pub fn in_scope(scope: Scope, lb_type: &str, protocol: Option<&str>) -> bool {
    match scope {
        AlbHttp => lb_type == "application",
        AlbHttps => lb_type == "application" && protocol == Some("HTTPS"),
        TcpIdle => lb_type == "gateway" || (lb_type == "network" && protocol == Some("TCP")),
        Gwlb => lb_type == "gateway",
    }
}

/// Which listeners `scope` names, for "only applies to ...".
pub fn describe(scope: Scope) -> &'static str {
    match scope {
        AlbHttp => "HTTP and HTTPS listeners of application load balancers",
        AlbHttps => "HTTPS listeners of application load balancers",
        TcpIdle => "TCP listeners of network load balancers and gateway listeners",
        Gwlb => "gateway listeners",
    }
}

/// The row of a listener attribute key.
pub fn attr(key: &str) -> Option<&'static ListenerAttr> {
    LISTENER.iter().find(|a| a.key == key)
}

/// Whether AWS takes `key` on such a listener.
pub fn accepts(key: &str, lb_type: &str, protocol: Option<&str>) -> bool {
    attr(key).is_some_and(|a| in_scope(a.scope, lb_type, protocol))
}

/// Whether `value` is what AWS reports for `key` when it was never set.
pub fn is_default(key: &str, value: &str) -> bool {
    attr(key).is_some_and(|a| a.default == value)
}

/// The spec's name of an AWS listener attribute key, for plan output.
pub fn spec_name(key: &str) -> String {
    match attr(key).and_then(|a| a.typed) {
        Some(typed) => typed.to_string(),
        None => format!("extra.{key}"),
    }
}

const X_FRAME: &[&str] = &["DENY", "SAMEORIGIN"];
const METHODS: &[&str] = &["GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"];

fn at(c: &mut Check, rel: &str, msg: impl std::fmt::Display, hint: impl Into<String>) {
    let path = c.path(rel);
    let message = format!("{}: {msg}", c.what);
    let d = c.src.diag_key(&path, message, Some(hint.into()));
    c.out.push(d);
}

fn not_here(c: &mut Check, rel: &str, key: &str, scope: Scope, lb_type: &str, proto: Option<&str>) {
    let this = match proto {
        Some(p) => format!("a {p} listener of a {lb_type} load balancer"),
        None => format!("the listener of a {lb_type} load balancer"),
    };
    let msg = format!("`{key}` only applies to {}, not {this}", describe(scope));
    at(c, rel, msg, format!("remove `{key}`"));
}

/// Every rule for a listener's `attributes:`; `proto` is the listener's
/// protocol (`None` for the gateway listener).
pub fn check(c: &mut Check, lb_type: &str, proto: Option<&str>, a: &RawListenerAttributes) {
    if let Some(h) = &a.response_headers {
        if !in_scope(AlbHttp, lb_type, proto) {
            not_here(
                c,
                "attributes.response_headers",
                "response_headers",
                AlbHttp,
                lb_type,
                proto,
            );
        } else {
            response_headers(c, h);
        }
    }
    if let Some(n) = &a.request_header_names {
        if !in_scope(AlbHttps, lb_type, proto) {
            let rel = "attributes.request_header_names";
            not_here(c, rel, "request_header_names", AlbHttps, lb_type, proto);
        } else {
            for (name, v) in n.names() {
                let Some(v) = v else { continue };
                header_name(
                    c,
                    &format!("attributes.request_header_names.{name}"),
                    v.as_str(),
                );
            }
        }
    }
    if let Some(t) = a.tcp_idle_timeout {
        let rel = "attributes.tcp_idle_timeout";
        if !in_scope(TcpIdle, lb_type, proto) {
            not_here(c, rel, "tcp_idle_timeout", TcpIdle, lb_type, proto);
        } else if !(60..=6000).contains(&t.0) {
            let msg = format!("tcp idle timeout ({t}) must be between 60 and 6000 s");
            c.hint(
                rel,
                msg,
                "set `tcp_idle_timeout` between 60s and 6000s (AWS's default is 350s)",
            );
        }
    }
    if let Some(extra) = &a.extra {
        self::extra(c, lb_type, proto, extra);
    }
}

fn header_name(c: &mut Check, rel: &str, v: &str) {
    let ok = !v.is_empty()
        && v.len() <= 40
        && v.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
    if !ok {
        let msg = format!("header name `{v}` is not a valid HTTP header name");
        c.hint(
            rel,
            msg,
            "use letters, digits and `-` only, at most 40 characters",
        );
    }
}

fn response_headers(c: &mut Check, h: &crate::spec::raw::listener_attributes::RawResponseHeaders) {
    let base = "attributes.response_headers";
    if let Some(v) = &h.x_content_type_options {
        if v.as_str() != "nosniff" {
            let msg = format!("`x_content_type_options` must be `nosniff`, not `{v}`");
            c.hint(
                &format!("{base}.x_content_type_options"),
                msg,
                "set it to `nosniff`",
            );
        }
    }
    if let Some(v) = &h.x_frame_options {
        let s = v.as_str();
        if !X_FRAME.contains(&s) && !s.starts_with("ALLOW-FROM ") {
            let msg = format!(
                "`x_frame_options` must be DENY, SAMEORIGIN or ALLOW-FROM <uri>, not `{v}`"
            );
            c.hint(
                &format!("{base}.x_frame_options"),
                msg,
                "set it to `DENY` or `SAMEORIGIN`",
            );
        }
    }
    if let Some(v) = &h.access_control_allow_methods {
        let bad: Vec<&str> = v
            .as_str()
            .split(',')
            .map(str::trim)
            .filter(|m| *m != "*" && !METHODS.contains(m))
            .collect();
        if !bad.is_empty() {
            let msg = format!(
                "`access_control_allow_methods` has unknown methods `{}`",
                bad.join(",")
            );
            let hint = format!("use a comma-separated list of {}", METHODS.join(", "));
            c.hint(&format!("{base}.access_control_allow_methods"), msg, hint);
        }
    }
    if h.access_control_allow_credentials == Some(false) {
        let msg =
            "`access_control_allow_credentials` can only be `true` (AWS sends the header or not)";
        c.hint(
            &format!("{base}.access_control_allow_credentials"),
            msg,
            "remove it, or set it to `true`",
        );
    }
    if let Some(t) = h.access_control_max_age {
        if t.0 > 86400 {
            let msg = format!("`access_control_max_age` ({t}) must be at most 86400 s");
            c.hint(
                &format!("{base}.access_control_max_age"),
                msg,
                "set it to at most `1d`",
            );
        }
    }
}

fn extra(c: &mut Check, lb_type: &str, proto: Option<&str>, extra: &RawTags) {
    for (key, value) in extra {
        let rel = format!("attributes.extra.{key}");
        let Some(row) = attr(key) else {
            let keys: Vec<&str> = LISTENER
                .iter()
                .filter(|a| in_scope(a.scope, lb_type, proto))
                .map(|a| a.key)
                .collect();
            let noun = "listener attribute keys AWS takes for this listener";
            let msg = format!("unknown listener attribute `{key}`");
            at(c, &rel, msg, suggest(key, &keys, noun));
            continue;
        };
        if let Some(typed) = row.typed {
            let msg = format!("`extra` key `{key}` is what `attributes.{typed}` sets");
            let hint = format!("remove it from `extra` and write `{typed}` under `attributes`");
            at(c, &rel, msg, hint);
        } else if !in_scope(row.scope, lb_type, proto) {
            not_here(c, &rel, key, row.scope, lb_type, proto);
        } else if let Err(want) = check_value(row.shape, value.as_str()) {
            let msg = format!("attribute `{key}` must be {want}, not `{value}`");
            c.hint(&rel, msg, format!("set `{key}` to {want}"));
        }
    }
}

#[cfg(test)]
#[path = "listener_attributes_tests.rs"]
mod tests;
