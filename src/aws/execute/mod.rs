//! Executing one plan step: the ELBv2 calls behind each [`Op`], and the
//! Route 53 health check steps (through `route53`). Record set steps go
//! through `Aws::execute_zone`, a zone at a time.
//!
//! Creates look before they create (moto makes duplicate load balancers and
//! AWS can time out after creating), so a re-run after a failed apply
//! converges instead of duplicating. Every create and delete is recorded
//! in the [`Index`], which is how later steps find ARNs by name.
//!
//! Files: `target_group` (target groups and targets), `load_balancer`,
//! `listener` (listeners, rules, and repointing traffic between target
//! groups).

mod auth;
mod listener;
mod listener_attributes;
mod load_balancer;
mod target_group;
mod warm;

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancingv2::types::Tag;
use aws_sdk_elasticloadbalancingv2::Client;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::client::{error, own_error, Clients};
use super::convert;
use super::route53::health_checks;
use super::{AwsError, Index};
use crate::health::HealthWait;
use crate::model::{Action, Tags};
use crate::plan::{Op, TagChange};

/// Runs one step against one client, recording results in the index.
pub(crate) struct Executor<'a> {
    elb: &'a Client,
    route53: &'a aws_sdk_route53::Client,
    index: &'a Index,
    /// The step's name, for errors that are about the step as a whole.
    step: &'a str,
    /// How to wait for new target groups' health before switching traffic
    /// to them; `None` switches at once.
    health: Option<&'a HealthWait<'a>>,
}

impl<'a> Executor<'a> {
    pub(crate) fn new(clients: &'a Clients, index: &'a Index, step: &'a str) -> Self {
        Executor {
            elb: &clients.elb,
            route53: &clients.route53,
            index,
            step,
            health: None,
        }
    }

    /// The same executor, waiting for health as `wait` says before a step
    /// switches traffic to a new target group.
    pub(crate) fn with_health(self, wait: &'a HealthWait<'a>) -> Self {
        Executor {
            health: Some(wait),
            ..self
        }
    }

    pub(crate) async fn run(&self, op: &Op) -> Result<(), AwsError> {
        match op {
            Op::RecordSet { zone, key, .. } => Err(own_error(
                "ChangeResourceRecordSets",
                &format!("{zone} {key}"),
                "unsupported",
                "record set steps go to Route 53 a zone at a time, through `execute_zone`".into(),
            )),
            Op::SetForwardWeights { .. } | Op::SetRecordWeights { .. } => Err(own_error(
                "SetWeights",
                self.step,
                "unsupported",
                "weight steps run through `Aws::execute`, which reads the live actions first"
                    .into(),
            )),
            Op::CreateHealthCheck {
                zone,
                key,
                set_identifier,
                child,
                check,
            } => {
                health_checks::create(
                    self.route53,
                    self.index,
                    zone,
                    key,
                    set_identifier.as_deref(),
                    *child,
                    check,
                )
                .await
            }
            Op::UpdateHealthCheck { id, check } => {
                health_checks::update(self.route53, id, check).await
            }
            Op::DeleteHealthCheck { id } => health_checks::delete(self.route53, id).await,
            Op::CidrCollection {
                name,
                put,
                remove,
                version,
            } => super::route53::cidr_change(self.route53, name, put, remove, *version).await,
            Op::TagZone { zone, stack, tag } => {
                super::route53::tag_zone(self.route53, self.index, zone, stack, *tag).await
            }
            Op::CreateTargetGroup { target_group } => {
                self.create_target_group(target_group).await.map(drop)
            }
            Op::UpdateTargetGroup {
                name,
                health_check,
                attributes,
                tags,
            } => {
                self.update_target_group(name, health_check, attributes, tags)
                    .await
            }
            Op::ReplaceTargetGroup {
                target_group,
                in_use,
                temp_name,
            } => {
                self.replace_target_group(target_group, *in_use, temp_name)
                    .await
            }
            Op::DeleteTargetGroup { name } => self.delete_target_group(name).await,
            Op::Targets {
                target_group,
                register,
                deregister,
            } => self.targets(target_group, register, deregister).await,
            Op::CreateLoadBalancer { load_balancer } => {
                self.create_load_balancer(load_balancer).await
            }
            Op::UpdateLoadBalancer {
                name,
                subnets,
                subnet_mappings,
                security_groups,
                ip_address_type,
                ipam_pool,
                attributes,
                tags,
            } => {
                let update = load_balancer::Update {
                    ipam_pool: ipam_pool.as_ref().map(Option::as_deref),
                    subnets: subnets.as_deref(),
                    subnet_mappings: subnet_mappings.as_deref(),
                    security_groups: security_groups.as_deref(),
                    ip_address_type: ip_address_type.as_deref(),
                    attributes,
                    tags,
                };
                self.update_load_balancer(name, update).await
            }
            Op::ReplaceLoadBalancer { load_balancer } => {
                self.delete_load_balancer(&load_balancer.name).await?;
                self.create_load_balancer(load_balancer).await
            }
            Op::DeleteLoadBalancer { name } => self.delete_load_balancer(name).await,
            Op::CreateListener {
                load_balancer,
                listener,
            } => self.create_listener(load_balancer, listener).await,
            Op::UpdateListener {
                load_balancer,
                listener,
                modify,
                add_certificates,
                remove_certificates,
                warm,
            } => {
                let certs = listener::CertificateChange {
                    add: add_certificates,
                    remove: remove_certificates,
                };
                let update = self.update_listener(load_balancer, listener, *modify, certs);
                self.warmed(load_balancer, listener.key(), warm, update)
                    .await
            }
            Op::ReplaceListener {
                load_balancer,
                listener,
            } => {
                self.delete_listener(load_balancer, listener.key()).await?;
                self.create_listener(load_balancer, listener).await
            }
            Op::DeleteListener {
                load_balancer,
                port,
            } => self.delete_listener(load_balancer, *port).await,
            Op::SetListenerAttributes {
                load_balancer,
                port,
                attributes,
            } => {
                self.set_listener_attributes(load_balancer, *port, attributes)
                    .await
            }
            Op::CreateRule {
                load_balancer,
                port,
                rule,
            } => self.create_rule(load_balancer, *port, rule).await,
            Op::UpdateRule {
                load_balancer,
                port,
                from_priority,
                rule,
                modify,
                warm,
                reset_transforms,
            } => {
                let update = self.update_rule(
                    load_balancer,
                    *port,
                    *from_priority,
                    rule,
                    *modify,
                    *reset_transforms,
                );
                self.warmed(load_balancer, *port, warm, update).await
            }
            Op::DeleteRule {
                load_balancer,
                port,
                priority,
            } => self.delete_rule(load_balancer, *port, *priority).await,
        }
    }

    /// The SDK action for a model action, target group names resolved to
    /// ARNs now (a target group created earlier in this apply included).
    async fn action(
        &self,
        action: &Action,
    ) -> Result<aws_sdk_elasticloadbalancingv2::types::Action, AwsError> {
        let mut arns = BTreeMap::new();
        for name in action.target_groups() {
            arns.insert(name.to_string(), self.target_group_arn(name).await?);
        }
        convert::action_to_sdk(action, |name| {
            arns.get(name)
                .cloned()
                .ok_or_else(|| self.not_found("target group", name))
        })
    }

    /// Sets and removes tags of one resource.
    async fn change_tags(
        &self,
        resource: &str,
        arn: &str,
        tags: &TagChange,
    ) -> Result<(), AwsError> {
        self.add_tags(resource, arn, &tags.set).await?;
        if !tags.remove.is_empty() {
            self.elb
                .remove_tags()
                .resource_arns(arn)
                .set_tag_keys(Some(tags.remove.clone()))
                .send()
                .await
                .map_err(|e| error("RemoveTags", resource, e))?;
        }
        Ok(())
    }

    async fn add_tags(&self, resource: &str, arn: &str, tags: &Tags) -> Result<(), AwsError> {
        if tags.is_empty() {
            return Ok(());
        }
        let tags: Vec<Tag> = convert::tags_to_sdk(tags);
        self.elb
            .add_tags()
            .resource_arns(arn)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| error("AddTags", resource, e))?;
        Ok(())
    }

    fn not_found(&self, kind: &str, name: &str) -> AwsError {
        own_error(
            self.step,
            name,
            "not_found",
            format!("no {kind} `{name}` is known (it was not read and not created in this apply)"),
        )
    }
}

/// True when the error carries this AWS error code.
fn has_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>, code: &str) -> bool {
    err.code() == Some(code)
}
