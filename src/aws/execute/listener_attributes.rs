//! ModifyListenerAttributes: after CreateListener for a new listener with
//! attributes, and as its own step for changed ones.

use aws_sdk_elasticloadbalancingv2::types::ListenerAttribute;

use super::{error, AwsError, Executor};
use crate::model::Attributes;
use crate::plan::listener_name;

impl Executor<'_> {
    /// Sets `attributes` (only those) on the listener on `port`; nothing to
    /// do when empty.
    pub(super) async fn set_listener_attributes(
        &self,
        load_balancer: &str,
        port: u16,
        attributes: &Attributes,
    ) -> Result<(), AwsError> {
        if attributes.is_empty() {
            return Ok(());
        }
        let name = listener_name(load_balancer, port);
        let arn = self
            .index
            .listener_arn(load_balancer, port)
            .ok_or_else(|| self.not_found("listener", &name))?;
        let list = attributes
            .iter()
            .map(|(k, v)| ListenerAttribute::builder().key(k).value(v).build())
            .collect();
        self.elb
            .modify_listener_attributes()
            .listener_arn(arn)
            .set_attributes(Some(list))
            .send()
            .await
            .map_err(|e| error("ModifyListenerAttributes", &name, e))?;
        Ok(())
    }
}
