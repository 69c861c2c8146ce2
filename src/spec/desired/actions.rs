//! Listeners, rules and actions -> model, with AWS's defaults filled in
//! (redirect parts, `HTTP_301`, weight 1 for a lone target group).

use crate::model::{
    Action, Condition, Conditions, FixedResponse, Forward, HttpHeader, Listener, Patterns,
    QueryString, Redirect, Rewrite, Rule, Transforms, WeightedTargetGroup,
};
use crate::spec::raw::{
    RawAction, RawConditions, RawForward, RawListener, RawPatterns, RawRewrite, RawTransforms,
};
use crate::spec::scalar::Text;

pub fn listener(l: &RawListener, lb_type: &str) -> Listener {
    let gateway = lb_type == "gateway";
    Listener {
        port: if gateway {
            None
        } else {
            l.port.and_then(|p| u16::try_from(p.0).ok())
        },
        protocol: if gateway { None } else { l.protocol() },
        certificates: l
            .certificates
            .iter()
            .flatten()
            .map(|c| c.0.clone())
            .collect(),
        ssl_policy: l.ssl_policy.clone(),
        alpn_policy: l.alpn_policy.clone(),
        default_action: action(
            l.default_action
                .as_ref()
                .expect("validated: default_action"),
        ),
        default_auth: l
            .default_action
            .as_ref()
            .map(super::auth::auth)
            .unwrap_or_default(),
        rules: l
            .rules
            .iter()
            .flatten()
            .filter_map(|r| {
                let priority = u32::try_from(r.priority?.0).ok()?;
                let rule = Rule {
                    priority,
                    conditions: conditions(r.conditions.as_ref()?),
                    action: action(r.action.as_ref()?),
                    transforms: transforms(r.transforms.as_ref()),
                    auth: super::auth::auth(r.action.as_ref()?),
                };
                Some((priority, rule))
            })
            .collect(),
        attributes: super::listener_attributes::listener(l.attributes.as_ref()),
    }
}

fn texts(list: &[Text]) -> Vec<String> {
    list.iter().map(|t| t.0.clone()).collect()
}

/// Every map of the spec's conditions, one model condition per key.
fn conditions(c: &RawConditions) -> Conditions {
    let mut out = Vec::new();
    for (_, m) in c.maps() {
        out.extend(
            m.host_header
                .as_ref()
                .map(|p| Condition::HostHeader(patterns(p))),
        );
        out.extend(
            m.path_pattern
                .as_ref()
                .map(|p| Condition::PathPattern(patterns(p))),
        );
        out.extend(m.http_header.as_ref().map(|h| {
            Condition::HttpHeader(HttpHeader {
                name: h.name.0.clone(),
                values: texts(h.values.as_deref().unwrap_or_default()),
                regex: texts(h.regex.as_deref().unwrap_or_default()),
            })
        }));
        out.extend(
            m.http_request_method
                .as_deref()
                .map(|v| Condition::HttpRequestMethod(texts(v))),
        );
        out.extend(m.query_string.as_ref().map(|q| {
            Condition::QueryString(
                q.iter()
                    .map(|q| QueryString {
                        key: q.key.as_ref().map(|k| k.0.clone()),
                        value: q.value.0.clone(),
                    })
                    .collect(),
            )
        }));
        out.extend(
            m.source_ip
                .as_deref()
                .map(|v| Condition::SourceIp(texts(v))),
        );
    }
    Conditions::new(out)
}

fn patterns(p: &RawPatterns) -> Patterns {
    let (values, regex) = p.parts();
    Patterns {
        values: texts(values.unwrap_or_default()),
        regex: texts(regex.unwrap_or_default()),
    }
}

/// A rule's `transforms`; none when left out (which removes live ones).
fn transforms(t: Option<&RawTransforms>) -> Transforms {
    let rewrite = |r: &Option<RawRewrite>| {
        r.as_ref().map(|r| Rewrite {
            regex: r.regex.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
            replace: r.replace.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
        })
    };
    t.map(|t| Transforms {
        host_header_rewrite: rewrite(&t.host_header_rewrite),
        url_rewrite: rewrite(&t.url_rewrite),
    })
    .unwrap_or_default()
}

pub fn action(a: &RawAction) -> Action {
    if let Some(r) = &a.redirect {
        let part = |v: &Option<Text>, default: &str| {
            v.as_ref()
                .map(|t| t.0.clone())
                .unwrap_or_else(|| default.to_string())
        };
        let protocol = match &r.protocol {
            Some(p) if p.starts_with("#{") => p.clone(),
            Some(p) => p.to_ascii_uppercase(),
            None => "#{protocol}".into(),
        };
        let status = r
            .status
            .as_ref()
            .map(|s| s.0.trim_start_matches("HTTP_").to_string())
            .unwrap_or_else(|| "301".into());
        return Action::Redirect(Redirect {
            protocol,
            port: part(&r.port, "#{port}"),
            host: part(&r.host, "#{host}"),
            path: part(&r.path, "/#{path}"),
            query: part(&r.query, "#{query}"),
            status: format!("HTTP_{status}"),
        });
    }
    if let Some(f) = &a.fixed_response {
        return Action::FixedResponse(FixedResponse {
            status: f.status.as_ref().map(|s| s.0.clone()).unwrap_or_default(),
            content_type: f.content_type.clone(),
            body: f.body.as_ref().map(|b| b.0.clone()),
        });
    }
    let one = |name: &str| {
        vec![WeightedTargetGroup {
            name: name.to_string(),
            weight: 1,
        }]
    };
    let forward = match a.forward.as_ref().expect("validated: one action key") {
        RawForward::Name(n) => Forward {
            target_groups: one(n),
            stickiness: None,
        },
        RawForward::Map(m) => match (&m.arn, &m.target_groups) {
            (Some(arn), _) => Forward {
                target_groups: one(arn),
                stickiness: None,
            },
            (None, list) => {
                let mut tgs: Vec<WeightedTargetGroup> = list
                    .iter()
                    .flatten()
                    .map(|w| WeightedTargetGroup {
                        name: w.name.clone().or_else(|| w.arn.clone()).unwrap_or_default(),
                        weight: w.weight.map_or(1, |x| x.0 as u32),
                    })
                    .collect();
                // A lone target group's weight means nothing; AWS reports 1.
                if let [only] = tgs.as_mut_slice() {
                    only.weight = 1;
                }
                Forward {
                    target_groups: tgs,
                    stickiness: m.stickiness.map(|s| s.0),
                }
            }
        },
    };
    Action::Forward(forward)
}
