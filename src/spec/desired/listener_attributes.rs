//! A listener's spec `attributes:` -> ELBv2 listener attribute keys and
//! values as AWS reports them, only for the keys the spec sets.

use crate::model::Attributes;
use crate::spec::raw::listener_attributes::RawListenerAttributes;

const RESPONSE: &str = "routing.http.response";

/// The AWS keys and values `attributes` sets.
pub fn listener(attributes: Option<&RawListenerAttributes>) -> Attributes {
    let mut a = Attributes::new();
    let Some(r) = attributes else { return a };
    if let Some(h) = &r.response_headers {
        for (name, v) in h.texts().into_iter().filter_map(|(n, v)| Some((n, v?))) {
            a.insert(format!("{RESPONSE}.{name}.header_value"), v.0.clone());
        }
        if let Some(on) = h.access_control_allow_credentials {
            let key = format!("{RESPONSE}.access_control_allow_credentials.header_value");
            a.insert(key, on.to_string());
        }
        if let Some(t) = h.access_control_max_age {
            let key = format!("{RESPONSE}.access_control_max_age.header_value");
            a.insert(key, t.0.to_string());
        }
        if let Some(on) = h.server {
            a.insert(format!("{RESPONSE}.server.enabled"), on.to_string());
        }
    }
    if let Some(n) = &r.request_header_names {
        for (name, v) in n.names().into_iter().filter_map(|(n, v)| Some((n, v?))) {
            let key = format!("routing.http.request.x_amzn_{name}.header_name");
            a.insert(key, v.0.clone());
        }
    }
    if let Some(t) = r.tcp_idle_timeout {
        a.insert("tcp.idle_timeout.seconds".into(), t.0.to_string());
    }
    for (k, v) in r.extra.iter().flatten() {
        a.insert(k.clone(), v.0.clone());
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_keys_become_aws_keys() {
        let raw: RawListenerAttributes = serde_yaml::from_str(
            "{ response_headers: { strict_transport_security: max-age=3600, access_control_max_age: 1h,
               access_control_allow_credentials: true, server: false },
               request_header_names: { mtls_clientcert: X-Client-Cert }, tcp_idle_timeout: 5m,
               extra: { send_tcp_reset.on_idle_timeout.enabled: 'true' } }",
        )
        .unwrap();
        let a = listener(Some(&raw));
        let get = |k: &str| a.get(k).map(String::as_str);
        assert_eq!(
            get("routing.http.response.strict_transport_security.header_value"),
            Some("max-age=3600")
        );
        assert_eq!(
            get("routing.http.response.access_control_max_age.header_value"),
            Some("3600")
        );
        assert_eq!(
            get("routing.http.response.access_control_allow_credentials.header_value"),
            Some("true")
        );
        assert_eq!(get("routing.http.response.server.enabled"), Some("false"));
        assert_eq!(
            get("routing.http.request.x_amzn_mtls_clientcert.header_name"),
            Some("X-Client-Cert")
        );
        assert_eq!(get("tcp.idle_timeout.seconds"), Some("300"));
        assert_eq!(get("send_tcp_reset.on_idle_timeout.enabled"), Some("true"));
        assert_eq!(a.len(), 7);
        for k in a.keys() {
            assert!(
                crate::spec::validate::listener_attributes::attr(k).is_some(),
                "{k}"
            );
        }
        assert!(listener(None).is_empty());
    }
}
