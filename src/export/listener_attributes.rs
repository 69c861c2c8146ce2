//! A listener's `attributes:` as the spec writes them: the keys AWS takes
//! for the listener whose value is not AWS's default, typed where the spec
//! has a key for them, the others under `extra`.

use serde_json::Value;

use crate::model::Attributes;
use crate::spec::aws_listener_attributes as table;

use super::emit::{duration, parse_bool, put, Obj};

/// Typed keys whose value is a duration or a boolean (the others are text).
fn typed_value(path: &str, value: &str) -> Option<Value> {
    match path {
        "tcp_idle_timeout" | "response_headers.access_control_max_age" => {
            value.parse().ok().map(duration)
        }
        "response_headers.server" | "response_headers.access_control_allow_credentials" => {
            parse_bool(value).map(Value::Bool)
        }
        _ => Some(Value::String(value.to_string())),
    }
}

/// The `attributes` object of a listener (empty when everything is default).
pub(super) fn attributes(
    a: &Attributes,
    lb_type: &str,
    protocol: Option<&str>,
    w: &mut Vec<String>,
) -> Obj {
    let mut o = Obj::new();
    for (key, value) in a {
        if !table::accepts(key, lb_type, protocol) || table::is_default(key, value) {
            continue;
        }
        let Some(row) = table::attr(key) else {
            continue;
        };
        let Some(path) = row.typed else {
            let extra = o
                .entry("extra")
                .or_insert_with(|| Value::Object(Obj::new()));
            if let Value::Object(m) = extra {
                put(m, key, value.as_str());
            }
            continue;
        };
        let Some(v) = typed_value(path, value) else {
            w.push(format!(
                "listener attribute `{key}` has the value `{value}`, which the spec cannot write; left out"
            ));
            continue;
        };
        match path.split_once('.') {
            Some((group, leaf)) => {
                let g = o.entry(group).or_insert_with(|| Value::Object(Obj::new()));
                if let Value::Object(m) = g {
                    put(m, leaf, v);
                }
            }
            None => put(&mut o, path, v),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_keys_of_other_listeners_are_left_out() {
        let a: Attributes = [
            ("tcp.idle_timeout.seconds", "350"),
            ("routing.http.response.server.enabled", "false"),
            (
                "routing.http.response.access_control_max_age.header_value",
                "3600",
            ),
            ("routing.http.response.x_frame_options.header_value", ""),
            (
                "routing.http.request.x_amzn_tls_version.header_name",
                "X-Amzn-Tls-Version",
            ),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut w = Vec::new();
        let o = attributes(&a, "application", Some("HTTPS"), &mut w);
        assert_eq!(
            Value::Object(o),
            serde_json::json!({ "response_headers": { "server": false, "access_control_max_age": "1h" } })
        );
        let nlb: Attributes = [("tcp.idle_timeout.seconds".to_string(), "600".to_string())].into();
        let o = attributes(&nlb, "network", Some("TCP"), &mut w);
        assert_eq!(
            Value::Object(o),
            serde_json::json!({ "tcp_idle_timeout": 600 })
        );
        assert!(w.is_empty());
    }
}
