//! The ELBv2 calls behind `lbctl shift`: find the weighted forward of a
//! listener's default action (or of one rule) and set its weights.
//!
//! ARNs and SDK actions stay here: a [`WeightedForward`] exposes target
//! group names and weights only. A weight change is a ModifyListener with
//! the default actions alone (or a ModifyRule with the actions alone), every
//! other part of the actions (authentication, stickiness) left as AWS has
//! it. Deciding weights, gates and waits is the command's job.
//!
//! For `lbctl shift --record` it also finds the load balancer a Route 53
//! alias points at and the target groups that load balancer forwards to
//! (the receiving member's health gate).

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_elasticloadbalancingv2::types::{
    self as sdk, ActionTypeEnum, ForwardActionConfig, TargetGroupTuple,
};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::client::{error, own_error};
use super::{fetch, Aws, AwsError, TargetGroupInfo};

/// The forward action of a listener or rule, as read before a shift.
#[derive(Debug, Clone)]
pub struct WeightedForward {
    /// `shop:443` or `shop:443 rule 10`, for messages.
    pub label: String,
    /// Target group names and weights, in AWS's order.
    pub weights: Vec<(String, u32)>,
    location: Location,
    /// All actions of the listener or rule, as read.
    actions: Vec<sdk::Action>,
    /// Index of the forward action in `actions`.
    terminal: usize,
    /// Target group name -> ARN.
    arns: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
enum Location {
    Listener(String),
    Rule(String),
}

/// What looking for a weighted forward found.
#[derive(Debug)]
pub enum ForwardLookup {
    Found(WeightedForward),
    /// No load balancer by that name (in this region and account).
    NoLoadBalancer,
    /// Why there is nothing to shift on a load balancer that exists (no
    /// such listener, whose ports it lists, or rule, or its action is not
    /// a forward).
    Missing(String),
}

impl Aws {
    /// The forward action of listener `load_balancer:port`, or of its rule
    /// with this priority.
    pub async fn weighted_forward(
        &self,
        load_balancer: &str,
        port: u16,
        rule: Option<u32>,
    ) -> Result<ForwardLookup, AwsError> {
        let elb = &self.clients.elb;
        let out = match elb
            .describe_load_balancers()
            .names(load_balancer)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) if e.code() == Some("LoadBalancerNotFound") => {
                return Ok(ForwardLookup::NoLoadBalancer)
            }
            Err(e) => return Err(error("DescribeLoadBalancers", load_balancer, e)),
        };
        let Some(lb_arn) = out
            .load_balancers()
            .first()
            .and_then(|lb| lb.load_balancer_arn())
        else {
            return Ok(ForwardLookup::NoLoadBalancer);
        };
        let listeners = fetch::listeners(elb, lb_arn).await?;
        let mut ports: Vec<i32> = listeners.iter().filter_map(|l| l.port()).collect();
        ports.sort_unstable();
        let listener = listeners
            .into_iter()
            .find(|l| l.port() == Some(i32::from(port)));
        let Some(listener) = listener else {
            let list: Vec<String> = ports.iter().map(i32::to_string).collect();
            return Ok(missing(if list.is_empty() {
                format!("load balancer `{load_balancer}` has no listeners")
            } else {
                format!(
                    "load balancer `{load_balancer}` has no listener on port {port}; its \
                     listeners are on {}",
                    list.join(", ")
                )
            }));
        };
        let listener_arn = listener.listener_arn().unwrap_or_default().to_string();
        let (label, location, actions) = match rule {
            None => (
                format!("{load_balancer}:{port}"),
                Location::Listener(listener_arn),
                listener.default_actions().to_vec(),
            ),
            Some(priority) => {
                let rules = fetch::rules(elb, &listener_arn).await?;
                let wanted = priority.to_string();
                let Some(r) = rules.iter().find(|r| r.priority() == Some(wanted.as_str())) else {
                    return Ok(missing(format!(
                        "listener `{load_balancer}:{port}` has no rule with priority {priority}"
                    )));
                };
                (
                    format!("{load_balancer}:{port} rule {priority}"),
                    Location::Rule(r.rule_arn().unwrap_or_default().to_string()),
                    r.actions().to_vec(),
                )
            }
        };
        let terminal = actions
            .iter()
            .enumerate()
            .max_by_key(|(i, a)| (a.order().unwrap_or(0), *i))
            .map(|(i, _)| i);
        let Some(terminal) =
            terminal.filter(|&i| actions[i].r#type() == Some(&ActionTypeEnum::Forward))
        else {
            return Ok(missing(format!(
                "`{label}` does not forward to target groups"
            )));
        };
        let tuples = forward_tuples(&actions[terminal]);
        let names = self.target_group_names(&tuples).await?;
        let mut weights = Vec::new();
        let mut arns = BTreeMap::new();
        for (arn, weight) in tuples {
            let name = names.get(&arn).cloned().unwrap_or_else(|| arn.clone());
            weights.push((name.clone(), weight));
            arns.insert(name, arn);
        }
        Ok(ForwardLookup::Found(WeightedForward {
            label,
            weights,
            location,
            actions,
            terminal,
            arns,
        }))
    }

    /// The step behind [`crate::plan::Op::SetForwardWeights`]: reads the
    /// forward again (so the actions sent back are the live ones, not those
    /// of an earlier read) and sets its weights. Refuses when the forward
    /// no longer names exactly the target groups of `weights`.
    pub(crate) async fn execute_forward_weights(
        &self,
        load_balancer: &str,
        port: u16,
        rule: Option<u32>,
        weights: &[(String, u32)],
    ) -> Result<(), AwsError> {
        let label = match rule {
            None => crate::plan::listener_name(load_balancer, port),
            Some(p) => crate::plan::rule_name(load_balancer, port, p),
        };
        let operation = if rule.is_some() {
            "ModifyRule"
        } else {
            "ModifyListener"
        };
        let forward = match self.weighted_forward(load_balancer, port, rule).await? {
            ForwardLookup::Found(f) => f,
            ForwardLookup::NoLoadBalancer => {
                return Err(own_error(
                    operation,
                    &label,
                    "not_found",
                    format!("load balancer `{load_balancer}` not found"),
                ))
            }
            ForwardLookup::Missing(why) => {
                return Err(own_error(operation, &label, "not_found", why))
            }
        };
        let live: BTreeSet<&str> = forward.weights.iter().map(|(n, _)| n.as_str()).collect();
        let wanted: BTreeSet<&str> = weights.iter().map(|(n, _)| n.as_str()).collect();
        if live != wanted {
            return Err(own_error(
                operation,
                &label,
                "changed",
                format!(
                    "the forward now names {}, not the target groups this step weighs ({})",
                    names(&live),
                    names(&wanted)
                ),
            ));
        }
        self.set_forward_weights(&forward, weights).await
    }

    /// Sets the forward's weights (every target group it has, by name),
    /// keeping the rest of its actions as read.
    async fn set_forward_weights(
        &self,
        forward: &WeightedForward,
        weights: &[(String, u32)],
    ) -> Result<(), AwsError> {
        let mut actions = forward.actions.clone();
        let action = &mut actions[forward.terminal];
        let mut config = ForwardActionConfig::builder();
        for (name, weight) in weights {
            let arn = forward
                .arns
                .get(name)
                .cloned()
                .unwrap_or_else(|| name.clone());
            config = config.target_groups(
                TargetGroupTuple::builder()
                    .target_group_arn(arn)
                    .weight(*weight as i32)
                    .build(),
            );
        }
        let stickiness = action
            .forward_config()
            .and_then(|c| c.target_group_stickiness_config())
            .cloned();
        action.forward_config = Some(
            config
                .set_target_group_stickiness_config(stickiness)
                .build(),
        );
        // With several groups the forward config alone names them.
        action.target_group_arn = None;
        super::convert_auth::keep_client_secrets(&mut actions);
        let elb = &self.clients.elb;
        match &forward.location {
            Location::Listener(arn) => {
                elb.modify_listener()
                    .listener_arn(arn)
                    .set_default_actions(Some(actions))
                    .send()
                    .await
                    .map_err(|e| error("ModifyListener", &forward.label, e))?;
            }
            Location::Rule(arn) => {
                elb.modify_rule()
                    .rule_arn(arn)
                    .set_actions(Some(actions))
                    .send()
                    .await
                    .map_err(|e| error("ModifyRule", &forward.label, e))?;
            }
        }
        Ok(())
    }

    /// The name of the load balancer whose DNS name is `dns_name` (compared
    /// case-insensitively, without a trailing dot or a `dualstack.` prefix,
    /// as Route 53 aliases write it).
    pub async fn load_balancer_by_dns(&self, dns_name: &str) -> Result<Option<String>, AwsError> {
        let wanted = bare_dns(dns_name);
        Ok(fetch::all_load_balancers(&self.clients.elb)
            .await?
            .iter()
            .find(|lb| lb.dns_name().is_some_and(|d| bare_dns(d) == wanted))
            .and_then(|lb| lb.load_balancer_name())
            .map(str::to_string))
    }

    /// The target groups the load balancer's listeners forward to, in
    /// default actions and rules, each once, sorted by name.
    pub async fn load_balancer_target_groups(
        &self,
        load_balancer: &str,
    ) -> Result<Vec<TargetGroupInfo>, AwsError> {
        let elb = &self.clients.elb;
        let out = elb
            .describe_load_balancers()
            .names(load_balancer)
            .send()
            .await
            .map_err(|e| error("DescribeLoadBalancers", load_balancer, e))?;
        let Some(lb_arn) = out
            .load_balancers()
            .first()
            .and_then(|lb| lb.load_balancer_arn())
        else {
            return Ok(Vec::new());
        };
        let mut tuples: Vec<(String, u32)> = Vec::new();
        for listener in fetch::listeners(elb, lb_arn).await? {
            let mut actions = listener.default_actions().to_vec();
            for rule in fetch::rules(elb, listener.listener_arn().unwrap_or_default()).await? {
                actions.extend(rule.actions().iter().cloned());
            }
            for action in &actions {
                for t in forward_tuples(action) {
                    if !tuples.iter().any(|(arn, _)| *arn == t.0) {
                        tuples.push(t);
                    }
                }
            }
        }
        let names: BTreeSet<String> = self
            .target_group_names(&tuples)
            .await?
            .into_values()
            .collect();
        let mut out = Vec::new();
        for name in names {
            out.extend(self.target_group(&name).await?);
        }
        Ok(out)
    }

    /// Target group ARN -> name for the given tuples.
    async fn target_group_names(
        &self,
        tuples: &[(String, u32)],
    ) -> Result<BTreeMap<String, String>, AwsError> {
        if tuples.is_empty() {
            return Ok(BTreeMap::new());
        }
        let out = self
            .clients
            .elb
            .describe_target_groups()
            .set_target_group_arns(Some(tuples.iter().map(|(a, _)| a.clone()).collect()))
            .send()
            .await
            .map_err(|e| error("DescribeTargetGroups", &tuples[0].0, e))?;
        Ok(out
            .target_groups()
            .iter()
            .filter_map(|tg| {
                Some((
                    tg.target_group_arn()?.to_string(),
                    tg.target_group_name()?.to_string(),
                ))
            })
            .collect())
    }
}

/// `dualstack.Web-1.us-east-1.elb.amazonaws.com.` -> `web-1.us-east-1.elb.amazonaws.com`
fn bare_dns(name: &str) -> String {
    let n = name.trim().trim_end_matches('.').to_ascii_lowercase();
    match n.strip_prefix("dualstack.") {
        Some(rest) => rest.to_string(),
        None => n,
    }
}

/// `` `blue`, `green` ``.
fn names(set: &BTreeSet<&str>) -> String {
    let quoted: Vec<String> = set.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

fn missing(why: String) -> ForwardLookup {
    ForwardLookup::Missing(why)
}

/// (ARN, weight) of every target group a forward action names; a forward
/// to a single group without a forward config has weight 1.
fn forward_tuples(action: &sdk::Action) -> Vec<(String, u32)> {
    let tuples: Vec<(String, u32)> = action
        .forward_config()
        .map(|c| c.target_groups())
        .unwrap_or_default()
        .iter()
        .filter_map(|t| {
            Some((
                t.target_group_arn()?.to_string(),
                t.weight().unwrap_or(1).max(0) as u32,
            ))
        })
        .collect();
    if !tuples.is_empty() {
        return tuples;
    }
    action
        .target_group_arn()
        .map(|arn| (arn.to_string(), 1))
        .into_iter()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_names_match_load_balancer_names() {
        let lb = bare_dns("web-1.us-east-1.elb.amazonaws.com");
        assert_eq!(bare_dns("dualstack.Web-1.us-east-1.elb.amazonaws.com."), lb);
        assert_eq!(bare_dns("WEB-1.us-east-1.elb.amazonaws.com"), lb);
        assert_ne!(bare_dns("web-2.us-east-1.elb.amazonaws.com"), lb);
    }
}
