//! `attributes:` of a listener as written (spec "LISTENER additions").

use serde::Deserialize;

use super::RawTags;
use crate::spec::scalar::{Seconds, Text};

/// A listener's attributes: typed keys per load balancer type and protocol,
/// `extra` for raw AWS keys.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawListenerAttributes {
    pub response_headers: Option<RawResponseHeaders>,
    pub request_header_names: Option<RawRequestHeaderNames>,
    pub tcp_idle_timeout: Option<Seconds>,
    pub extra: Option<RawTags>,
}

/// Response headers an application listener adds (or, for `server`, drops).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponseHeaders {
    pub strict_transport_security: Option<Text>,
    pub content_security_policy: Option<Text>,
    pub x_content_type_options: Option<Text>,
    pub x_frame_options: Option<Text>,
    pub access_control_allow_origin: Option<Text>,
    pub access_control_allow_methods: Option<Text>,
    pub access_control_allow_headers: Option<Text>,
    pub access_control_allow_credentials: Option<bool>,
    pub access_control_expose_headers: Option<Text>,
    pub access_control_max_age: Option<Seconds>,
    pub server: Option<bool>,
}

/// New names for the `X-Amzn-*` request headers an HTTPS listener sends to
/// targets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequestHeaderNames {
    pub mtls_clientcert_serial_number: Option<Text>,
    pub mtls_clientcert_issuer: Option<Text>,
    pub mtls_clientcert_subject: Option<Text>,
    pub mtls_clientcert_validity: Option<Text>,
    pub mtls_clientcert_leaf: Option<Text>,
    pub mtls_clientcert: Option<Text>,
    pub tls_version: Option<Text>,
    pub tls_cipher_suite: Option<Text>,
}

impl RawResponseHeaders {
    /// The text-valued headers with their spec names.
    pub fn texts(&self) -> [(&'static str, Option<&Text>); 8] {
        [
            (
                "strict_transport_security",
                self.strict_transport_security.as_ref(),
            ),
            (
                "content_security_policy",
                self.content_security_policy.as_ref(),
            ),
            (
                "x_content_type_options",
                self.x_content_type_options.as_ref(),
            ),
            ("x_frame_options", self.x_frame_options.as_ref()),
            (
                "access_control_allow_origin",
                self.access_control_allow_origin.as_ref(),
            ),
            (
                "access_control_allow_methods",
                self.access_control_allow_methods.as_ref(),
            ),
            (
                "access_control_allow_headers",
                self.access_control_allow_headers.as_ref(),
            ),
            (
                "access_control_expose_headers",
                self.access_control_expose_headers.as_ref(),
            ),
        ]
    }
}

impl RawRequestHeaderNames {
    /// Every header name with its spec name.
    pub fn names(&self) -> [(&'static str, Option<&Text>); 8] {
        [
            (
                "mtls_clientcert_serial_number",
                self.mtls_clientcert_serial_number.as_ref(),
            ),
            (
                "mtls_clientcert_issuer",
                self.mtls_clientcert_issuer.as_ref(),
            ),
            (
                "mtls_clientcert_subject",
                self.mtls_clientcert_subject.as_ref(),
            ),
            (
                "mtls_clientcert_validity",
                self.mtls_clientcert_validity.as_ref(),
            ),
            ("mtls_clientcert_leaf", self.mtls_clientcert_leaf.as_ref()),
            ("mtls_clientcert", self.mtls_clientcert.as_ref()),
            ("tls_version", self.tls_version.as_ref()),
            ("tls_cipher_suite", self.tls_cipher_suite.as_ref()),
        ]
    }
}
