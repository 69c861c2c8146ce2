//! Target group steps: create (look first), update, replace (through a
//! temporary target group while in use), delete, and targets.

use aws_sdk_elasticloadbalancingv2::types::{
    ProtocolEnum, TargetGroupAttribute, TargetGroupIpAddressTypeEnum, TargetTypeEnum,
};

use super::{error, has_code, AwsError, Executor};
use crate::aws::convert;
use crate::model::{Attributes, HealthCheck, Target, TargetGroup};
use crate::plan::TagChange;

/// Targets per RegisterTargets / DeregisterTargets call.
const TARGET_BATCH: usize = 200;

impl Executor<'_> {
    /// Creates the target group, or adopts one of that name left by an
    /// earlier apply; then sets attributes and registers targets. Returns
    /// its ARN.
    pub(super) async fn create_target_group(&self, tg: &TargetGroup) -> Result<String, AwsError> {
        let name = tg.name.as_str();
        let arn = match self.find_target_group(name).await? {
            Some(arn) => {
                self.modify_health_check(name, &arn, &tg.health_check)
                    .await?;
                self.add_tags(name, &arn, &tg.tags).await?;
                arn
            }
            None => {
                let arn = self.create_target_group_call(tg).await?;
                self.index.note_created(self.step, created(name));
                arn
            }
        };
        self.index.set_target_group(name, &arn);
        self.set_attributes(name, &arn, &tg.attributes).await?;
        let targets: Vec<Target> = tg.targets.list.iter().cloned().collect();
        self.register(name, &arn, &targets).await?;
        Ok(arn)
    }

    async fn create_target_group_call(&self, tg: &TargetGroup) -> Result<String, AwsError> {
        let h = &tg.health_check;
        let out = self
            .elb
            .create_target_group()
            .name(&tg.name)
            .set_protocol(tg.protocol.as_deref().map(ProtocolEnum::from))
            .set_port(tg.port.map(i32::from))
            .set_vpc_id(tg.vpc_id.clone())
            .target_type(TargetTypeEnum::from(tg.target_type.as_str()))
            .set_protocol_version(tg.protocol_version.clone())
            .set_ip_address_type(
                tg.ip_address_type
                    .as_deref()
                    .map(TargetGroupIpAddressTypeEnum::from),
            )
            .set_health_check_enabled(h.enabled)
            .set_health_check_protocol(h.protocol.as_deref().map(ProtocolEnum::from))
            .set_health_check_port(h.port.clone())
            .set_health_check_path(h.path.clone())
            .set_health_check_interval_seconds(h.interval.map(|v| v as i32))
            .set_health_check_timeout_seconds(h.timeout.map(|v| v as i32))
            .set_healthy_threshold_count(h.healthy_threshold.map(|v| v as i32))
            .set_unhealthy_threshold_count(h.unhealthy_threshold.map(|v| v as i32))
            .set_matcher(h.matcher.as_ref().map(convert::matcher_to_sdk))
            .set_tags(Some(convert::tags_to_sdk(&tg.tags)).filter(|t| !t.is_empty()))
            .send()
            .await
            .map_err(|e| error("CreateTargetGroup", &tg.name, e))?;
        out.target_groups()
            .first()
            .and_then(|t| t.target_group_arn())
            .map(str::to_string)
            .ok_or_else(|| self.not_found("target group", &tg.name))
    }

    pub(super) async fn update_target_group(
        &self,
        name: &str,
        health_check: &HealthCheck,
        attributes: &Attributes,
        tags: &TagChange,
    ) -> Result<(), AwsError> {
        let arn = self.target_group_arn(name).await?;
        self.modify_health_check(name, &arn, health_check).await?;
        self.set_attributes(name, &arn, attributes).await?;
        self.change_tags(name, &arn, tags).await
    }

    /// Replaces a target group. In use, traffic moves to a temporary target
    /// group (`temp_name`) while the old one is deleted and the new one
    /// created, then moves to the new one; the temporary one is deleted.
    /// Each move waits for the receiving group's targets to be healthy
    /// first (see `warm`), as any switch to a new group does.
    pub(super) async fn replace_target_group(
        &self,
        tg: &TargetGroup,
        in_use: bool,
        temp_name: &str,
    ) -> Result<(), AwsError> {
        if !in_use {
            self.delete_target_group(&tg.name).await?;
            return self.create_target_group(tg).await.map(drop);
        }
        let temp = TargetGroup {
            name: temp_name.to_string(),
            ..tg.clone()
        };
        let has_targets = !tg.targets.list.is_empty();
        let temp_arn = self.create_target_group(&temp).await?;
        if let Some(old_arn) = self.known_target_group(&tg.name).await? {
            self.repoint_warmed(&old_arn, temp_name, &temp_arn, has_targets)
                .await?;
            self.delete_target_group(&tg.name).await?;
        }
        let new_arn = self.create_target_group(tg).await?;
        self.repoint_warmed(&temp_arn, &tg.name, &new_arn, has_targets)
            .await?;
        self.delete_target_group(temp_name).await
    }

    /// Deletes the target group; one that is already gone is fine.
    pub(super) async fn delete_target_group(&self, name: &str) -> Result<(), AwsError> {
        let Some(arn) = self.known_target_group(name).await? else {
            self.index.remove_target_group(name);
            return Ok(());
        };
        match self
            .elb
            .delete_target_group()
            .target_group_arn(&arn)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if has_code(&e, "TargetGroupNotFound") => {}
            Err(e) => return Err(error("DeleteTargetGroup", name, e)),
        }
        self.index.remove_target_group(name);
        self.index.note_deleted(&created(name));
        Ok(())
    }

    pub(super) async fn targets(
        &self,
        name: &str,
        register: &[Target],
        deregister: &[Target],
    ) -> Result<(), AwsError> {
        let arn = self.target_group_arn(name).await?;
        for batch in deregister.chunks(TARGET_BATCH) {
            self.elb
                .deregister_targets()
                .target_group_arn(&arn)
                .set_targets(Some(batch.iter().map(convert::target_to_sdk).collect()))
                .send()
                .await
                .map_err(|e| error("DeregisterTargets", name, e))?;
        }
        self.register(name, &arn, register).await
    }

    async fn register(&self, name: &str, arn: &str, targets: &[Target]) -> Result<(), AwsError> {
        for batch in targets.chunks(TARGET_BATCH) {
            self.elb
                .register_targets()
                .target_group_arn(arn)
                .set_targets(Some(batch.iter().map(convert::target_to_sdk).collect()))
                .send()
                .await
                .map_err(|e| error("RegisterTargets", name, e))?;
        }
        Ok(())
    }

    /// ModifyTargetGroup with the managed health check settings, if any.
    async fn modify_health_check(
        &self,
        name: &str,
        arn: &str,
        h: &HealthCheck,
    ) -> Result<(), AwsError> {
        if !convert::health_check_is_set(h) {
            return Ok(());
        }
        self.elb
            .modify_target_group()
            .target_group_arn(arn)
            .set_health_check_enabled(h.enabled)
            .set_health_check_protocol(h.protocol.as_deref().map(ProtocolEnum::from))
            .set_health_check_port(h.port.clone())
            .set_health_check_path(h.path.clone())
            .set_health_check_interval_seconds(h.interval.map(|v| v as i32))
            .set_health_check_timeout_seconds(h.timeout.map(|v| v as i32))
            .set_healthy_threshold_count(h.healthy_threshold.map(|v| v as i32))
            .set_unhealthy_threshold_count(h.unhealthy_threshold.map(|v| v as i32))
            .set_matcher(h.matcher.as_ref().map(convert::matcher_to_sdk))
            .send()
            .await
            .map_err(|e| error("ModifyTargetGroup", name, e))?;
        Ok(())
    }

    async fn set_attributes(
        &self,
        name: &str,
        arn: &str,
        attributes: &Attributes,
    ) -> Result<(), AwsError> {
        if attributes.is_empty() {
            return Ok(());
        }
        let list = attributes
            .iter()
            .map(|(k, v)| TargetGroupAttribute::builder().key(k).value(v).build())
            .collect();
        self.elb
            .modify_target_group_attributes()
            .target_group_arn(arn)
            .set_attributes(Some(list))
            .send()
            .await
            .map_err(|e| error("ModifyTargetGroupAttributes", name, e))?;
        Ok(())
    }

    /// The ARN of a target group (`arn:` names are ARNs already): from the
    /// index, else looked up by name.
    pub(super) async fn target_group_arn(&self, name: &str) -> Result<String, AwsError> {
        if name.starts_with("arn:") {
            return Ok(name.to_string());
        }
        self.known_target_group(name)
            .await?
            .ok_or_else(|| self.not_found("target group", name))
    }

    async fn known_target_group(&self, name: &str) -> Result<Option<String>, AwsError> {
        if let Some(arn) = self.index.target_group_arn(name) {
            return Ok(Some(arn));
        }
        let found = self.find_target_group(name).await?;
        if let Some(arn) = &found {
            self.index.set_target_group(name, arn);
        }
        Ok(found)
    }

    /// Looks the target group up by name in AWS.
    async fn find_target_group(&self, name: &str) -> Result<Option<String>, AwsError> {
        match self.elb.describe_target_groups().names(name).send().await {
            Ok(out) => Ok(out
                .target_groups()
                .first()
                .and_then(|t| t.target_group_arn())
                .map(str::to_string)),
            Err(e) if has_code(&e, "TargetGroupNotFound") => Ok(None),
            Err(e) => Err(error("DescribeTargetGroups", name, e)),
        }
    }
}

/// How a target group this apply created is named in the report.
fn created(name: &str) -> String {
    format!("target group `{name}`")
}
