//! Finding what lbctl's model cannot represent in live ELBv2 objects (the
//! "reported" half of the lossless rule): steps before the terminal action
//! other than the one authenticate or jwt-validation step the model holds
//! (`model::auth`), extra terminal actions, unknown condition fields, rule
//! transforms beyond one rewrite per type, mutual TLS.
//!
//! Pure functions over SDK output types; what they return is carried in
//! [`crate::model::Model::unmanaged`]. `docs/lossless.md` lists every
//! member walked and whether it is modelled, reported or ignored.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::{self as sdk, ActionTypeEnum};

use crate::model::unmanaged::Unmanaged;
use crate::plan::{listener_name, rule_name, Kind, UnmanagedResource};

/// Records in `found` what a listener and its rules (by priority) carry
/// that the model cannot.
pub(crate) fn of_listener<'a>(
    found: &mut Vec<UnmanagedResource>,
    lb_name: &str,
    port: u16,
    l: &sdk::Listener,
    rules: impl Iterator<Item = (u32, &'a sdk::Rule)>,
) {
    note(
        found,
        Kind::Listener,
        &listener_name(lb_name, port),
        listener(l),
    );
    for (priority, r) in rules {
        let name = rule_name(lb_name, port, priority);
        note(found, Kind::Rule, &name, rule(priority, r));
    }
}

/// Adds `settings` of resource `name` to `found`, if there are any.
pub(crate) fn note(
    found: &mut Vec<UnmanagedResource>,
    kind: Kind,
    name: &str,
    settings: Vec<Unmanaged>,
) {
    if !settings.is_empty() {
        found.push(UnmanagedResource {
            kind,
            name: name.to_string(),
            settings,
        });
    }
}

/// Unmanaged settings of a listener's default actions and its listener-level
/// members.
pub(crate) fn listener(l: &sdk::Listener) -> Vec<Unmanaged> {
    let mut out = actions("default_action", l.default_actions());
    if let Some(m) = l.mutual_authentication() {
        let mode = m.mode().unwrap_or_default();
        if !mode.is_empty() && mode != "off" {
            out.push(Unmanaged {
                path: "mutual_authentication".into(),
                what: format!("mutual TLS in `{mode}` mode"),
            });
        }
    }
    out
}

/// Unmanaged settings of a rule (non-default) at `priority`.
pub(crate) fn rule(priority: u32, r: &sdk::Rule) -> Vec<Unmanaged> {
    let mut out = actions(&format!("rules.{priority}.action"), r.actions());
    out.extend(conditions(
        &format!("rules.{priority}.conditions"),
        r.conditions(),
    ));
    out.extend(transforms(
        &format!("rules.{priority}.transforms"),
        r.transforms(),
    ));
    out
}

/// Transforms the model cannot hold: one of an unknown type, a second one
/// of a type, or more than one rewrite in one (the model keeps one rewrite
/// per type, as the spec writes it).
pub(crate) fn transforms(path: &str, transforms: &[sdk::RuleTransform]) -> Vec<Unmanaged> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for t in transforms {
        let kind = t.r#type().map(|t| t.as_str()).unwrap_or("unknown");
        let rewrites = match t.r#type() {
            Some(sdk::TransformTypeEnum::HostHeaderRewrite) => t
                .host_header_rewrite_config()
                .map_or(0, |c| c.rewrites().len()),
            Some(sdk::TransformTypeEnum::UrlRewrite) => {
                t.url_rewrite_config().map_or(0, |c| c.rewrites().len())
            }
            _ => {
                out.push(Unmanaged {
                    path: path.to_string(),
                    what: format!("a transform of type `{kind}`"),
                });
                continue;
            }
        };
        let n = seen.entry(kind).or_default();
        *n += 1;
        if *n == 2 {
            out.push(Unmanaged {
                path: path.to_string(),
                what: format!("a second `{kind}` transform"),
            });
        }
        if rewrites > 1 {
            out.push(Unmanaged {
                path: path.to_string(),
                what: format!("a `{kind}` transform with {rewrites} rewrites"),
            });
        }
    }
    out
}

/// Unmanaged members of a load balancer.
pub(crate) fn load_balancer(lb: &sdk::LoadBalancer) -> Vec<Unmanaged> {
    let mut out = Vec::new();
    let mut note = |path: &str, what: String| {
        out.push(Unmanaged {
            path: path.into(),
            what,
        })
    };
    if let Some(pool) = lb.customer_owned_ipv4_pool().filter(|p| !p.is_empty()) {
        note(
            "customer_owned_ipv4_pool",
            format!("a customer-owned IPv4 pool `{pool}`"),
        );
    }
    if lb.enable_prefix_for_ipv6_source_nat().map(|v| v.as_str()) == Some("on") {
        note(
            "enable_prefix_for_ipv6_source_nat",
            "IPv6 prefixes for source NAT turned on".into(),
        );
    }
    // AWS's default is `on`; `off` was set on purpose.
    let inbound = lb.enforce_security_group_inbound_rules_on_private_link_traffic();
    if inbound == Some("off") {
        note(
            "enforce_security_group_inbound_rules_on_private_link_traffic",
            "security group inbound rules not enforced on PrivateLink traffic".into(),
        );
    }
    out
}

/// Unmanaged members of a target group.
pub(crate) fn target_group(tg: &sdk::TargetGroup) -> Vec<Unmanaged> {
    let mut out = Vec::new();
    if let Some(port) = tg.target_control_port() {
        out.push(Unmanaged {
            path: "target_control_port".into(),
            what: format!("a target control port {port}"),
        });
    }
    out
}

/// Steps other than the terminal one and the modelled authentication
/// steps (the first authenticate and the first jwt-validation step), and
/// terminal actions beyond the one lbctl keeps (the highest `Order`).
pub(crate) fn actions(path: &str, actions: &[sdk::Action]) -> Vec<Unmanaged> {
    let mut sorted: Vec<(usize, &sdk::Action)> = actions.iter().enumerate().collect();
    sorted.sort_by_key(|(i, a)| (a.order().unwrap_or(0), *i));
    let Some((_, last)) = sorted.last() else {
        return Vec::new();
    };
    let terminal = type_name(last);
    let mut out = Vec::new();
    let (mut authenticate, mut jwt) = (false, false);
    for (_, a) in &sorted[..sorted.len() - 1] {
        let modelled = match a.r#type() {
            Some(ActionTypeEnum::AuthenticateOidc | ActionTypeEnum::AuthenticateCognito) => {
                !std::mem::replace(&mut authenticate, true)
            }
            Some(ActionTypeEnum::JwtValidation) => !std::mem::replace(&mut jwt, true),
            _ => false,
        };
        if modelled {
            continue;
        }
        let name = type_name(a);
        let what = if is_terminal(a) {
            format!("a second terminal action ({name}) before {terminal}")
        } else {
            format!("{} {name} step before {terminal}", article(&name))
        };
        out.push(Unmanaged {
            path: path.to_string(),
            what,
        });
    }
    if let Some(drop) = forward_drops(last) {
        out.push(Unmanaged {
            path: path.to_string(),
            what: drop,
        });
    }
    out
}

/// A forward whose target group list has members lbctl cannot read.
fn forward_drops(a: &sdk::Action) -> Option<String> {
    let config = a.forward_config()?;
    let unnamed = config
        .target_groups()
        .iter()
        .filter(|t| t.target_group_arn().is_none())
        .count();
    (unnamed > 0).then(|| {
        format!(
            "{} without a target group ARN",
            count(unnamed, "forward member")
        )
    })
}

fn is_terminal(a: &sdk::Action) -> bool {
    matches!(
        a.r#type(),
        Some(ActionTypeEnum::Forward | ActionTypeEnum::Redirect | ActionTypeEnum::FixedResponse)
    )
}

fn type_name(a: &sdk::Action) -> String {
    a.r#type()
        .map(|t| t.as_str().to_string())
        .unwrap_or_else(|| "untyped".into())
}

fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Conditions the model cannot hold: fields lbctl does not know. (Repeated
/// fields and regex values are modelled.)
pub(crate) fn conditions(path: &str, conditions: &[sdk::RuleCondition]) -> Vec<Unmanaged> {
    conditions
        .iter()
        .map(|c| c.field().unwrap_or_default())
        .filter(|field| !KNOWN_FIELDS.contains(field))
        .map(|field| Unmanaged {
            path: path.to_string(),
            what: format!("a `{field}` condition"),
        })
        .collect()
}

const KNOWN_FIELDS: &[&str] = &[
    "host-header",
    "path-pattern",
    "http-header",
    "http-request-method",
    "query-string",
    "source-ip",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn action(t: ActionTypeEnum, order: i32) -> sdk::Action {
        sdk::Action::builder().r#type(t).order(order).build()
    }

    #[test]
    fn one_authentication_step_before_forward_is_modelled_not_reported() {
        for step in [
            ActionTypeEnum::AuthenticateOidc,
            ActionTypeEnum::AuthenticateCognito,
            ActionTypeEnum::JwtValidation,
        ] {
            let found = actions(
                "default_action",
                &[action(ActionTypeEnum::Forward, 2), action(step, 1)],
            );
            assert_eq!(found, vec![]);
        }
    }

    #[test]
    fn a_second_authenticate_step_and_unknown_steps_are_reported() {
        let found = actions(
            "default_action",
            &[
                action(ActionTypeEnum::Forward, 4),
                action(ActionTypeEnum::AuthenticateOidc, 1),
                action(ActionTypeEnum::AuthenticateCognito, 2),
                action(ActionTypeEnum::from("authenticate-saml"), 3),
            ],
        );
        let what: Vec<&str> = found.iter().map(|u| u.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "an authenticate-cognito step before forward",
                "an authenticate-saml step before forward"
            ]
        );
    }

    #[test]
    fn listener_and_load_balancer_members_are_reported() {
        let l = sdk::Listener::builder()
            .default_actions(action(ActionTypeEnum::Forward, 1))
            .mutual_authentication(
                sdk::MutualAuthenticationAttributes::builder()
                    .mode("verify")
                    .build(),
            )
            .build();
        assert_eq!(listener(&l)[0].path, "mutual_authentication");
        let off = sdk::Listener::builder()
            .mutual_authentication(
                sdk::MutualAuthenticationAttributes::builder()
                    .mode("off")
                    .build(),
            )
            .build();
        assert!(listener(&off).is_empty());
        // IPAM pools are modelled (`ipam_pool`), not reported.
        let lb = sdk::LoadBalancer::builder()
            .ipam_pools(
                sdk::IpamPools::builder()
                    .ipv4_ipam_pool_id("ipam-pool-1")
                    .build(),
            )
            .enforce_security_group_inbound_rules_on_private_link_traffic("off")
            .build();
        let paths: Vec<String> = load_balancer(&lb).into_iter().map(|u| u.path).collect();
        assert_eq!(
            paths,
            ["enforce_security_group_inbound_rules_on_private_link_traffic"]
        );
        assert!(load_balancer(&sdk::LoadBalancer::builder().build()).is_empty());
    }

    fn url_rewrite(rewrites: usize) -> sdk::RuleTransform {
        let rewrite = || {
            sdk::RewriteConfig::builder()
                .regex("^/a/(.*)$")
                .replace("/$1")
                .build()
        };
        let mut config = sdk::UrlRewriteConfig::builder();
        for _ in 0..rewrites {
            config = config.rewrites(rewrite());
        }
        sdk::RuleTransform::builder()
            .r#type(sdk::TransformTypeEnum::UrlRewrite)
            .url_rewrite_config(config.build())
            .build()
    }

    #[test]
    fn unknown_fields_and_transforms_beyond_the_model_are_reported() {
        let r = sdk::Rule::builder()
            .actions(action(ActionTypeEnum::Forward, 1))
            .conditions(sdk::RuleCondition::builder().field("cookie").build())
            .transforms(url_rewrite(2))
            .transforms(url_rewrite(1))
            .transforms(
                sdk::RuleTransform::builder()
                    .r#type(sdk::TransformTypeEnum::from("body-rewrite"))
                    .build(),
            )
            .build();
        let found: Vec<(String, String)> =
            rule(10, &r).into_iter().map(|u| (u.path, u.what)).collect();
        let t = |what: &str| ("rules.10.transforms".to_string(), what.to_string());
        assert_eq!(
            found,
            [
                ("rules.10.conditions".into(), "a `cookie` condition".into()),
                t("a `url-rewrite` transform with 2 rewrites"),
                t("a second `url-rewrite` transform"),
                t("a transform of type `body-rewrite`"),
            ]
        );
    }

    #[test]
    fn modelled_transforms_are_not_reported() {
        assert!(transforms("rules.10.transforms", &[url_rewrite(1)]).is_empty());
    }

    #[test]
    fn a_second_terminal_action_is_reported() {
        let found = actions(
            "rules.5.action",
            &[
                action(ActionTypeEnum::FixedResponse, 1),
                action(ActionTypeEnum::Forward, 2),
            ],
        );
        assert_eq!(
            found[0].what,
            "a second terminal action (fixed-response) before forward"
        );
    }

    #[test]
    fn a_lone_terminal_action_is_not_reported() {
        assert!(actions("default_action", &[action(ActionTypeEnum::Forward, 1)]).is_empty());
    }

    #[test]
    fn repeated_and_regex_conditions_are_modelled_not_reported() {
        let header = |name: &str| {
            sdk::RuleCondition::builder()
                .field("http-header")
                .http_header_config(
                    sdk::HttpHeaderConditionConfig::builder()
                        .http_header_name(name)
                        .values("x")
                        .build(),
                )
                .build()
        };
        let regex = sdk::RuleCondition::builder()
            .field("path-pattern")
            .path_pattern_config(
                sdk::PathPatternConditionConfig::builder()
                    .regex_values("^/a")
                    .build(),
            )
            .build();
        let found = conditions("rules.10.conditions", &[header("a"), header("b"), regex]);
        assert_eq!(found, vec![]);
    }
}
