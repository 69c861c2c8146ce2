//! Listener attributes of the listeners lbctl reads: one
//! DescribeListenerAttributes per listener of a kept load balancer (one
//! the spec names or the stack owns), never for others.

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::types as sdk;
use aws_sdk_elasticloadbalancingv2::Client;
use futures::stream::{self, StreamExt, TryStreamExt};

use super::client::error;
use super::{AwsError, Index};
use crate::model::{Attributes, Model};

/// Calls in flight at once.
const CONCURRENCY: usize = 8;

/// The attributes of each listener of `listeners`, by listener ARN.
pub(super) async fn fetch_all(
    elb: &Client,
    listeners: &HashMap<usize, Vec<sdk::Listener>>,
) -> Result<HashMap<String, Attributes>, AwsError> {
    let arns: Vec<String> = listeners
        .values()
        .flatten()
        .filter_map(|l| l.listener_arn().map(str::to_string))
        .collect();
    stream::iter(arns)
        .map(|arn| async move {
            let a = describe(elb, &arn).await?;
            Ok::<_, AwsError>((arn, a))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await
}

async fn describe(elb: &Client, arn: &str) -> Result<Attributes, AwsError> {
    let out = elb
        .describe_listener_attributes()
        .listener_arn(arn)
        .send()
        .await
        .map_err(|e| error("DescribeListenerAttributes", arn, e))?;
    Ok(super::fetch::attributes(
        out.attributes().iter().map(|a| (a.key(), a.value())),
    ))
}

/// Puts the fetched attributes on the listeners of `model`, found by the
/// ARNs `index` recorded while reading.
pub(super) fn attach(model: &mut Model, index: &Index, mut fetched: HashMap<String, Attributes>) {
    for (lb, l) in model.load_balancers.iter_mut() {
        for (port, listener) in l.listeners.iter_mut() {
            if let Some(a) = index
                .listener_arn(lb, *port)
                .and_then(|arn| fetched.remove(&arn))
            {
                listener.attributes = a;
            }
        }
    }
}
