//! Rule conditions and transforms between the SDK and the model. Pure.
//!
//! Reading takes every condition AWS reports, repeated kinds included,
//! from the `*Config` blocks or the legacy `Values` / `RegexValues` on the
//! condition itself; writing always uses the `*Config` blocks. Conditions
//! of a field lbctl does not know are left out here and reported by
//! `aws::unmanaged`.

use aws_sdk_elasticloadbalancingv2::types::{
    HostHeaderConditionConfig, HostHeaderRewriteConfig, HttpHeaderConditionConfig,
    HttpRequestMethodConditionConfig, PathPatternConditionConfig, QueryStringConditionConfig,
    QueryStringKeyValuePair, RewriteConfig, RuleCondition, RuleTransform, SourceIpConditionConfig,
    TransformTypeEnum, UrlRewriteConfig,
};

use crate::model::{Condition, Conditions, HttpHeader, Patterns, QueryString, Rewrite, Transforms};

/// Model conditions from AWS's.
pub(crate) fn conditions_from_sdk(conditions: &[RuleCondition]) -> Conditions {
    Conditions::new(conditions.iter().filter_map(condition_from_sdk).collect())
}

fn condition_from_sdk(c: &RuleCondition) -> Option<Condition> {
    // The legacy form: values (and regex values) on the condition itself.
    let legacy = || Patterns {
        values: c.values().to_vec(),
        regex: c.regex_values().to_vec(),
    };
    let plain = |v: Option<&[String]>| {
        v.map(<[String]>::to_vec)
            .unwrap_or_else(|| c.values().to_vec())
    };
    Some(match c.field()? {
        "host-header" => Condition::HostHeader(
            c.host_header_config()
                .map(|h| Patterns {
                    values: h.values().to_vec(),
                    regex: h.regex_values().to_vec(),
                })
                .unwrap_or_else(legacy),
        ),
        "path-pattern" => Condition::PathPattern(
            c.path_pattern_config()
                .map(|p| Patterns {
                    values: p.values().to_vec(),
                    regex: p.regex_values().to_vec(),
                })
                .unwrap_or_else(legacy),
        ),
        "http-header" => {
            let h = c.http_header_config()?;
            Condition::HttpHeader(HttpHeader {
                name: h.http_header_name().unwrap_or_default().to_string(),
                values: h.values().to_vec(),
                regex: h.regex_values().to_vec(),
            })
        }
        "http-request-method" => {
            Condition::HttpRequestMethod(plain(c.http_request_method_config().map(|m| m.values())))
        }
        "query-string" => Condition::QueryString(
            c.query_string_config()?
                .values()
                .iter()
                .map(|kv| QueryString {
                    key: kv.key().map(str::to_string),
                    value: kv.value().unwrap_or_default().to_string(),
                })
                .collect(),
        ),
        "source-ip" => Condition::SourceIp(plain(c.source_ip_config().map(|s| s.values()))),
        _ => return None,
    })
}

/// SDK conditions for model conditions, as `*Config` blocks.
pub(crate) fn conditions_to_sdk(c: &Conditions) -> Vec<RuleCondition> {
    c.iter().map(condition_to_sdk).collect()
}

fn some(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}

fn condition_to_sdk(c: &Condition) -> RuleCondition {
    let field = |name: &str| RuleCondition::builder().field(name);
    match c {
        Condition::HostHeader(p) => {
            let config = HostHeaderConditionConfig::builder()
                .set_values(some(&p.values))
                .set_regex_values(some(&p.regex))
                .build();
            field("host-header").host_header_config(config).build()
        }
        Condition::PathPattern(p) => {
            let config = PathPatternConditionConfig::builder()
                .set_values(some(&p.values))
                .set_regex_values(some(&p.regex))
                .build();
            field("path-pattern").path_pattern_config(config).build()
        }
        Condition::HttpHeader(h) => {
            let config = HttpHeaderConditionConfig::builder()
                .http_header_name(&h.name)
                .set_values(some(&h.values))
                .set_regex_values(some(&h.regex))
                .build();
            field("http-header").http_header_config(config).build()
        }
        Condition::HttpRequestMethod(v) => {
            let config = HttpRequestMethodConditionConfig::builder()
                .set_values(Some(v.clone()))
                .build();
            field("http-request-method")
                .http_request_method_config(config)
                .build()
        }
        Condition::QueryString(pairs) => {
            let pairs = pairs
                .iter()
                .map(|q| {
                    QueryStringKeyValuePair::builder()
                        .set_key(q.key.clone())
                        .value(&q.value)
                        .build()
                })
                .collect();
            let config = QueryStringConditionConfig::builder()
                .set_values(Some(pairs))
                .build();
            field("query-string").query_string_config(config).build()
        }
        Condition::SourceIp(v) => {
            let config = SourceIpConditionConfig::builder()
                .set_values(Some(v.clone()))
                .build();
            field("source-ip").source_ip_config(config).build()
        }
    }
}

/// Model transforms from AWS's: the first rewrite of the first transform
/// of each type (more are reported by `aws::unmanaged`).
pub(crate) fn transforms_from_sdk(transforms: &[RuleTransform]) -> Transforms {
    let mut out = Transforms::default();
    for t in transforms {
        let (slot, rewrites) = match t.r#type() {
            Some(TransformTypeEnum::HostHeaderRewrite) => (
                &mut out.host_header_rewrite,
                t.host_header_rewrite_config().map(|c| c.rewrites()),
            ),
            Some(TransformTypeEnum::UrlRewrite) => (
                &mut out.url_rewrite,
                t.url_rewrite_config().map(|c| c.rewrites()),
            ),
            _ => continue,
        };
        if slot.is_some() {
            continue;
        }
        *slot = rewrites.unwrap_or_default().first().map(|r| Rewrite {
            regex: r.regex().unwrap_or_default().to_string(),
            replace: r.replace().unwrap_or_default().to_string(),
        });
    }
    out
}

/// SDK transforms for model transforms (host header rewrite first).
pub(crate) fn transforms_to_sdk(t: &Transforms) -> Vec<RuleTransform> {
    let rewrite = |r: &Rewrite| {
        RewriteConfig::builder()
            .regex(&r.regex)
            .replace(&r.replace)
            .build()
    };
    let mut out = Vec::new();
    if let Some(r) = &t.host_header_rewrite {
        let config = HostHeaderRewriteConfig::builder()
            .rewrites(rewrite(r))
            .build();
        out.push(
            RuleTransform::builder()
                .r#type(TransformTypeEnum::HostHeaderRewrite)
                .host_header_rewrite_config(config)
                .build(),
        );
    }
    if let Some(r) = &t.url_rewrite {
        let config = UrlRewriteConfig::builder().rewrites(rewrite(r)).build();
        out.push(
            RuleTransform::builder()
                .r#type(TransformTypeEnum::UrlRewrite)
                .url_rewrite_config(config)
                .build(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, regex: &str) -> RuleCondition {
        RuleCondition::builder()
            .field("http-header")
            .http_header_config(
                HttpHeaderConditionConfig::builder()
                    .http_header_name(name)
                    .regex_values(regex)
                    .build(),
            )
            .build()
    }

    #[test]
    fn repeated_and_regex_conditions_round_trip() {
        let query = |k: &str| {
            RuleCondition::builder()
                .field("query-string")
                .query_string_config(
                    QueryStringConditionConfig::builder()
                        .values(QueryStringKeyValuePair::builder().key(k).value("1").build())
                        .build(),
                )
                .build()
        };
        let live = [
            header("X-B", "^b"),
            query("b"),
            header("X-A", "^a"),
            query("a"),
        ];
        let model = conditions_from_sdk(&live);
        assert_eq!(model.len(), 4);
        assert!(model.repeats_a_kind());
        let back = conditions_from_sdk(&conditions_to_sdk(&model));
        assert_eq!(back, model);
        // The same conditions in another order are the same model.
        let mut reversed = live.to_vec();
        reversed.reverse();
        assert_eq!(conditions_from_sdk(&reversed), model);
    }

    #[test]
    fn legacy_regex_values_are_read() {
        let c = RuleCondition::builder()
            .field("host-header")
            .regex_values("^a\\.")
            .build();
        assert_eq!(
            conditions_from_sdk(&[c]).iter().next(),
            Some(&Condition::HostHeader(Patterns {
                values: vec![],
                regex: vec!["^a\\.".into()],
            }))
        );
    }

    #[test]
    fn transforms_round_trip() {
        let t = Transforms {
            host_header_rewrite: Some(Rewrite {
                regex: "^(.+)\\.internal$".into(),
                replace: "$1".into(),
            }),
            url_rewrite: Some(Rewrite {
                regex: "^/v1/(.*)$".into(),
                replace: "/$1".into(),
            }),
        };
        assert_eq!(transforms_from_sdk(&transforms_to_sdk(&t)), t);
        assert!(transforms_from_sdk(&[]).is_empty());
    }
}
