//! What plan needs to know about the targets behind health gates (see
//! `crate::safety::gates`): the state of their instances, and the live
//! health of in-use target groups being replaced. Read-only.

use super::client::error;
use super::targets::health_from_sdk;
use super::{Aws, AwsError, Index};
use crate::safety::gates::{instance_ids, Facts, Gate};

impl Aws {
    /// Instance states and live target health for `gates`; no call at all
    /// when there are no gates.
    pub async fn gate_facts(&self, gates: &[Gate], index: &Index) -> Result<Facts, AwsError> {
        let mut facts = Facts::default();
        let ids: std::collections::BTreeSet<String> = instance_ids(gates).into_iter().collect();
        for i in super::zones::instances(&self.clients.ec2, &ids).await? {
            let state = i.state().and_then(|s| s.name()).map(|n| n.as_str());
            if let (Some(id), Some(state)) = (i.instance_id(), state) {
                facts.instances.insert(id.to_string(), state.to_string());
            }
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
}
