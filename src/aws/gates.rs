//! What plan needs to know about the targets behind health gates (see
//! `crate::safety::gates`): the state of their instances, and the live
//! health of in-use target groups being replaced. Read-only.

use aws_sdk_ec2::types::Filter;

use super::client::error;
use super::targets::health_from_sdk;
use super::{Aws, AwsError, Index};
use crate::safety::gates::{instance_ids, Facts, Gate};

/// Values per EC2 filter (AWS accepts up to 200).
const IDS_PER_CALL: usize = 100;

impl Aws {
    /// Instance states and live target health for `gates`; no call at all
    /// when there are no gates.
    pub async fn gate_facts(&self, gates: &[Gate], index: &Index) -> Result<Facts, AwsError> {
        let mut facts = Facts::default();
        for ids in instance_ids(gates).chunks(IDS_PER_CALL) {
            self.instance_states(ids, &mut facts).await?;
        }
        for gate in gates.iter().filter(|g| g.live) {
            let Some(arn) = index.target_group_arn(&gate.target_group) else {
                continue;
            };
            let out = self
                .clients
                .elb
                .describe_target_health()
                .target_group_arn(arn)
                .send()
                .await
                .map_err(|e| error("DescribeTargetHealth", &gate.target_group, e))?;
            let health = out
                .target_health_descriptions()
                .iter()
                .filter_map(health_from_sdk)
                .collect();
            facts.health.insert(gate.target_group.clone(), health);
        }
        Ok(facts)
    }

    /// States of these instances, by a filter (an unknown ID is simply not
    /// listed, where `InstanceIds` would fail the whole call).
    async fn instance_states(&self, ids: &[String], facts: &mut Facts) -> Result<(), AwsError> {
        let filter = Filter::builder()
            .name("instance-id")
            .set_values(Some(ids.to_vec()))
            .build();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .clients
                .ec2
                .describe_instances()
                .filters(filter.clone())
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| error("DescribeInstances", "health gate targets", e))?;
            for i in page.reservations().iter().flat_map(|r| r.instances()) {
                let state = i.state().and_then(|s| s.name()).map(|n| n.as_str());
                if let (Some(id), Some(state)) = (i.instance_id(), state) {
                    facts.instances.insert(id.to_string(), state.to_string());
                }
            }
            match page.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => return Ok(()),
            }
        }
    }
}
