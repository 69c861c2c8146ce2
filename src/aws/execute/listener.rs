//! Listener and rule steps, and repointing every listener and rule from
//! one target group to another (for replacing a target group in use).

use aws_sdk_elasticloadbalancingv2::types::{Certificate, ProtocolEnum, RulePriorityPair};

use super::{error, has_code, AwsError, Executor};
use crate::aws::{convert, fetch};
use crate::model::{Listener, Rule};
use crate::plan::{listener_name, rule_name};

/// Extra certificates to add to and remove from a listener.
pub(super) struct CertificateChange<'a> {
    pub(super) add: &'a [String],
    pub(super) remove: &'a [String],
}

impl Executor<'_> {
    /// Creates the listener (without rules) with its certificates. One
    /// already on that port (an earlier apply) is modified instead.
    pub(super) async fn create_listener(
        &self,
        load_balancer: &str,
        listener: &Listener,
    ) -> Result<(), AwsError> {
        let port = listener.key();
        if self.index.listener_arn(load_balancer, port).is_some() {
            let extra = listener.certificates.get(1..).unwrap_or_default();
            let certs = CertificateChange {
                add: extra,
                remove: &[],
            };
            self.update_listener(load_balancer, listener, true, certs)
                .await?;
            return self
                .set_listener_attributes(load_balancer, port, &listener.attributes)
                .await;
        }
        let name = listener_name(load_balancer, port);
        let lb_arn = self.load_balancer_entry(load_balancer).await?.arn;
        let actions = self
            .actions(
                &name,
                &listener.default_auth,
                &listener.default_action,
                true,
            )
            .await?;
        let out = self
            .elb
            .create_listener()
            .load_balancer_arn(lb_arn)
            .set_port(listener.port.map(i32::from))
            .set_protocol(listener.protocol.as_deref().map(ProtocolEnum::from))
            .set_certificates(default_certificate(&listener.certificates))
            .set_ssl_policy(listener.ssl_policy.clone())
            .set_alpn_policy(listener.alpn_policy.clone().map(|a| vec![a]))
            .set_default_actions(Some(actions))
            .send()
            .await
            .map_err(|e| error("CreateListener", &name, e))?;
        let arn = out
            .listeners()
            .first()
            .and_then(|l| l.listener_arn())
            .map(str::to_string)
            .ok_or_else(|| self.not_found("listener", &name))?;
        self.index.set_listener(load_balancer, port, &arn);
        self.tag_secret(&name, &arn, &listener.default_auth).await?;
        let extra = listener.certificates.get(1..).unwrap_or_default();
        self.add_certificates(&name, &arn, extra).await?;
        self.set_listener_attributes(load_balancer, port, &listener.attributes)
            .await
    }

    /// Modifies the listener when `modify`, then removes and adds extra
    /// certificates.
    ///
    /// ModifyListener gets only the default certificate; moto replaces all
    /// certificates with it (AWS sets only the default), so after a modify
    /// every desired extra certificate is added again, which AWS accepts
    /// as a no-op.
    pub(super) async fn update_listener(
        &self,
        load_balancer: &str,
        listener: &Listener,
        modify: bool,
        certs: CertificateChange<'_>,
    ) -> Result<(), AwsError> {
        let port = listener.key();
        let name = listener_name(load_balancer, port);
        let arn = self
            .index
            .listener_arn(load_balancer, port)
            .ok_or_else(|| self.not_found("listener", &name))?;
        let mut add: Vec<String> = certs.add.to_vec();
        if modify {
            let actions = self
                .actions(
                    &name,
                    &listener.default_auth,
                    &listener.default_action,
                    false,
                )
                .await?;
            self.elb
                .modify_listener()
                .listener_arn(&arn)
                .set_port(listener.port.map(i32::from))
                .set_protocol(listener.protocol.as_deref().map(ProtocolEnum::from))
                .set_certificates(default_certificate(&listener.certificates))
                .set_ssl_policy(listener.ssl_policy.clone())
                .set_alpn_policy(listener.alpn_policy.clone().map(|a| vec![a]))
                .set_default_actions(Some(actions))
                .send()
                .await
                .map_err(|e| error("ModifyListener", &name, e))?;
            self.tag_secret(&name, &arn, &listener.default_auth).await?;
            if listener.certificates.len() > 1 {
                for cert in &listener.certificates[1..] {
                    if !add.contains(cert) {
                        add.push(cert.clone());
                    }
                }
            }
        }
        add.retain(|c| !certs.remove.contains(c));
        if !certs.remove.is_empty() {
            self.elb
                .remove_listener_certificates()
                .listener_arn(&arn)
                .set_certificates(Some(certificates(certs.remove)))
                .send()
                .await
                .map_err(|e| error("RemoveListenerCertificates", &name, e))?;
        }
        self.add_certificates(&name, &arn, &add).await
    }

    /// Deletes the listener (and so its rules); one already gone is fine.
    pub(super) async fn delete_listener(
        &self,
        load_balancer: &str,
        port: u16,
    ) -> Result<(), AwsError> {
        let Some(arn) = self.index.listener_arn(load_balancer, port) else {
            return Ok(());
        };
        match self.elb.delete_listener().listener_arn(&arn).send().await {
            Ok(_) => {}
            Err(e) if has_code(&e, "ListenerNotFound") => {}
            Err(e) => {
                return Err(error(
                    "DeleteListener",
                    &listener_name(load_balancer, port),
                    e,
                ))
            }
        }
        self.index.remove_listener(load_balancer, port);
        Ok(())
    }

    /// Creates the rule; one already at that priority (an earlier apply)
    /// is modified instead.
    pub(super) async fn create_rule(
        &self,
        load_balancer: &str,
        port: u16,
        rule: &Rule,
    ) -> Result<(), AwsError> {
        if self
            .index
            .rule_arn(load_balancer, port, rule.priority)
            .is_some()
        {
            return self
                .update_rule(load_balancer, port, rule.priority, rule, true, true)
                .await;
        }
        let name = rule_name(load_balancer, port, rule.priority);
        let listener = self
            .index
            .listener_arn(load_balancer, port)
            .ok_or_else(|| self.not_found("listener", &listener_name(load_balancer, port)))?;
        let actions = self.actions(&name, &rule.auth, &rule.action, true).await?;
        let out = self
            .elb
            .create_rule()
            .listener_arn(listener)
            .priority(rule.priority as i32)
            .set_conditions(Some(convert::conditions_to_sdk(&rule.conditions)))
            .set_actions(Some(actions))
            .set_transforms(transforms(rule))
            .send()
            .await
            .map_err(|e| error("CreateRule", &name, e))?;
        let arn = out
            .rules()
            .first()
            .and_then(|r| r.rule_arn())
            .map(str::to_string)
            .ok_or_else(|| self.not_found("rule", &name))?;
        self.index
            .set_rule(load_balancer, port, rule.priority, &arn);
        self.tag_secret(&name, &arn, &rule.auth).await
    }

    /// Moves the rule to its new priority (one rule per call: moto rejects
    /// swaps), then sets conditions, action and transforms when `modify`
    /// (removing live transforms with `ResetTransforms` when
    /// `reset_transforms` and the rule has none).
    pub(super) async fn update_rule(
        &self,
        load_balancer: &str,
        port: u16,
        from_priority: u32,
        rule: &Rule,
        modify: bool,
        reset_transforms: bool,
    ) -> Result<(), AwsError> {
        let name = rule_name(load_balancer, port, rule.priority);
        let arn = self
            .index
            .rule_arn(load_balancer, port, from_priority)
            .ok_or_else(|| {
                self.not_found("rule", &rule_name(load_balancer, port, from_priority))
            })?;
        if rule.priority != from_priority {
            let pair = RulePriorityPair::builder()
                .rule_arn(&arn)
                .priority(rule.priority as i32)
                .build();
            self.elb
                .set_rule_priorities()
                .rule_priorities(pair)
                .send()
                .await
                .map_err(|e| error("SetRulePriorities", &name, e))?;
            self.index.remove_rule(load_balancer, port, from_priority);
            self.index
                .set_rule(load_balancer, port, rule.priority, &arn);
        }
        if modify {
            let actions = self.actions(&name, &rule.auth, &rule.action, false).await?;
            self.elb
                .modify_rule()
                .rule_arn(&arn)
                .set_conditions(Some(convert::conditions_to_sdk(&rule.conditions)))
                .set_actions(Some(actions))
                .set_transforms(transforms(rule))
                .set_reset_transforms(
                    (reset_transforms && rule.transforms.is_empty()).then_some(true),
                )
                .send()
                .await
                .map_err(|e| error("ModifyRule", &name, e))?;
            self.tag_secret(&name, &arn, &rule.auth).await?;
        }
        Ok(())
    }

    /// Deletes the rule; one already gone is fine.
    pub(super) async fn delete_rule(
        &self,
        load_balancer: &str,
        port: u16,
        priority: u32,
    ) -> Result<(), AwsError> {
        let Some(arn) = self.index.rule_arn(load_balancer, port, priority) else {
            return Ok(());
        };
        match self.elb.delete_rule().rule_arn(&arn).send().await {
            Ok(_) => {}
            Err(e) if has_code(&e, "RuleNotFound") => {}
            Err(e) => {
                return Err(error(
                    "DeleteRule",
                    &rule_name(load_balancer, port, priority),
                    e,
                ))
            }
        }
        self.index.remove_rule(load_balancer, port, priority);
        Ok(())
    }

    /// [`Executor::repoint`] from `from` to the new group `to` (ARN
    /// `to_arn`), once `to`'s targets are healthy: the warm-up rule goes on
    /// an application listener that forwards to `from`. Without targets to
    /// wait for, or with only network/gateway listeners, it repoints at once.
    pub(super) async fn repoint_warmed(
        &self,
        from: &str,
        to: &str,
        to_arn: &str,
        has_targets: bool,
    ) -> Result<(), AwsError> {
        let listener = match has_targets {
            true => self.application_listener_using(from).await?,
            false => None,
        };
        match listener {
            Some((lb, port)) => {
                let groups = [to.to_string()];
                self.warmed(&lb, port, &groups, self.repoint(from, to_arn))
                    .await
            }
            None => self.repoint(from, to_arn).await,
        }
    }

    /// An application listener (load balancer, port) whose default action
    /// or one of whose rules forwards to target group ARN `tg`.
    async fn application_listener_using(
        &self,
        tg: &str,
    ) -> Result<Option<(String, u16)>, AwsError> {
        for (lb_name, lb) in self.index.load_balancers() {
            if lb.lb_type != "application" {
                continue;
            }
            for listener in fetch::listeners(self.elb, &lb.arn).await? {
                let (Some(arn), Some(port)) = (
                    listener.listener_arn(),
                    listener.port().and_then(|p| u16::try_from(p).ok()),
                ) else {
                    continue;
                };
                let forwards_to =
                    |actions: &[_]| convert::action_target_groups(actions).any(|a| a == tg);
                let mut uses = forwards_to(listener.default_actions());
                if !uses {
                    uses = fetch::rules(self.elb, arn)
                        .await?
                        .iter()
                        .any(|r| forwards_to(r.actions()));
                }
                if uses {
                    return Ok(Some((lb_name.clone(), port)));
                }
            }
        }
        Ok(None)
    }

    /// Points every listener default action and rule of every indexed load
    /// balancer that forwards to target group `from` at `to` instead,
    /// leaving everything else in the actions as AWS has it.
    pub(super) async fn repoint(&self, from: &str, to: &str) -> Result<(), AwsError> {
        let _one_at_a_time = REPOINT.lock().await;
        for (lb_name, lb) in self.index.load_balancers() {
            for listener in fetch::listeners(self.elb, &lb.arn).await? {
                let Some(arn) = listener.listener_arn() else {
                    continue;
                };
                let port = listener
                    .port()
                    .and_then(|p| u16::try_from(p).ok())
                    .unwrap_or(0);
                let name = listener_name(&lb_name, port);
                if let Some(actions) = convert::retarget(listener.default_actions(), from, to) {
                    self.elb
                        .modify_listener()
                        .listener_arn(arn)
                        .set_default_actions(Some(actions))
                        .send()
                        .await
                        .map_err(|e| error("ModifyListener", &name, e))?;
                }
                if lb.lb_type != "application" {
                    continue;
                }
                for rule in fetch::rules(self.elb, arn).await? {
                    if rule.is_default() == Some(true) {
                        continue;
                    }
                    let Some(rule_arn) = rule.rule_arn() else {
                        continue;
                    };
                    if let Some(actions) = convert::retarget(rule.actions(), from, to) {
                        let priority = rule.priority().unwrap_or_default();
                        self.elb
                            .modify_rule()
                            .rule_arn(rule_arn)
                            .set_actions(Some(actions))
                            .send()
                            .await
                            .map_err(|e| error("ModifyRule", &format!("{name}/{priority}"), e))?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn add_certificates(
        &self,
        name: &str,
        arn: &str,
        certs: &[String],
    ) -> Result<(), AwsError> {
        if certs.is_empty() {
            return Ok(());
        }
        self.elb
            .add_listener_certificates()
            .listener_arn(arn)
            .set_certificates(Some(certificates(certs)))
            .send()
            .await
            .map_err(|e| error("AddListenerCertificates", name, e))?;
        Ok(())
    }
}

/// Held while repointing. A repoint reads each listener's and rule's
/// actions and writes them back whole, so two replacements of target groups
/// that one weighted forward uses (steps of one phase, run in parallel)
/// would each write back the other's old target group, and the delete of
/// that one then fails with ResourceInUse. One at a time, each reads what
/// the other wrote.
static REPOINT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `Certificates` for Create/ModifyListener: the default certificate only.
fn default_certificate(certs: &[String]) -> Option<Vec<Certificate>> {
    certs.first().map(|c| certificates(std::slice::from_ref(c)))
}

fn certificates(arns: &[String]) -> Vec<Certificate> {
    arns.iter()
        .map(|arn| Certificate::builder().certificate_arn(arn).build())
        .collect()
}

/// The rule's transforms for CreateRule / ModifyRule; `None` (the member
/// left out) when it has none.
fn transforms(rule: &Rule) -> Option<Vec<aws_sdk_elasticloadbalancingv2::types::RuleTransform>> {
    (!rule.transforms.is_empty()).then(|| convert::transforms_to_sdk(&rule.transforms))
}
