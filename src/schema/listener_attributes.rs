//! A listener's `attributes:`: ALB response headers and request header
//! renames, the NLB/GWLB TCP idle timeout, raw `extra` keys.

use serde_json::{json, Value};

use super::scalars::duration;
use super::{d, object, r};

pub(super) fn listener_attributes() -> Value {
    d(
        "Listener attributes (ModifyListenerAttributes); keys left out stay as AWS has them.",
        object(json!({
            "response_headers": r("response_headers"),
            "request_header_names": r("request_header_names"),
            "tcp_idle_timeout": d("TCP listeners of network load balancers and gateway listeners: 60 s..6000 s (AWS default 350 s).", duration(60, 6000)),
            "extra": d("Raw listener attribute keys the typed keys do not cover (e.g. `send_tcp_reset.on_idle_timeout.enabled`, gateway only).", r("extra"))
        })),
    )
}

pub(super) fn response_headers() -> Value {
    let text = |what: &str| d(what, r("text"));
    d(
        "HTTP and HTTPS listeners of application load balancers: headers added to responses.",
        object(json!({
            "strict_transport_security": text("Strict-Transport-Security value, e.g. `max-age=31536000; includeSubDomains; preload`."),
            "content_security_policy": text("Content-Security-Policy value."),
            "x_content_type_options": text("X-Content-Type-Options: `nosniff`."),
            "x_frame_options": text("X-Frame-Options: DENY, SAMEORIGIN or ALLOW-FROM <uri>."),
            "access_control_allow_origin": text("Access-Control-Allow-Origin."),
            "access_control_allow_methods": text("Access-Control-Allow-Methods: comma-separated GET, HEAD, POST, DELETE, PATCH, PUT, OPTIONS, or `*`."),
            "access_control_allow_headers": text("Access-Control-Allow-Headers."),
            "access_control_allow_credentials": d("Access-Control-Allow-Credentials: only `true`.", r("bool")),
            "access_control_expose_headers": text("Access-Control-Expose-Headers."),
            "access_control_max_age": d("Access-Control-Max-Age: 0..86400 s.", duration(0, 86400)),
            "server": d("`false` removes the `Server` response header (routing.http.response.server.enabled).", r("bool"))
        })),
    )
}

pub(super) fn request_header_names() -> Value {
    let name = |header: &str| {
        d(
            &format!("New name of the `{header}` request header."),
            r("text"),
        )
    };
    d(
        "HTTPS listeners of application load balancers: new names for the X-Amzn-Mtls-*/X-Amzn-Tls-* headers sent to targets.",
        object(json!({
            "mtls_clientcert_serial_number": name("X-Amzn-Mtls-Clientcert-Serial-Number"),
            "mtls_clientcert_issuer": name("X-Amzn-Mtls-Clientcert-Issuer"),
            "mtls_clientcert_subject": name("X-Amzn-Mtls-Clientcert-Subject"),
            "mtls_clientcert_validity": name("X-Amzn-Mtls-Clientcert-Validity"),
            "mtls_clientcert_leaf": name("X-Amzn-Mtls-Clientcert-Leaf"),
            "mtls_clientcert": name("X-Amzn-Mtls-Clientcert"),
            "tls_version": name("X-Amzn-Tls-Version"),
            "tls_cipher_suite": name("X-Amzn-Tls-Cipher-Suite")
        })),
    )
}
