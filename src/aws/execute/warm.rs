//! The health wait before a listener or rule switches traffic to target
//! groups this apply created: attach them to the listener through a
//! warm-up rule that no request matches, poll their targets' health until
//! every registered target is healthy (bounded), switch, and remove the
//! warm-up rule again, also when the wait or the switch failed.
//!
//! The warm-up rule exists because on AWS a target group that no listener
//! or rule uses is never health-checked (its targets stay `unused`,
//! Target.NotInUse), and pointing the real listener at it first would
//! send it traffic. The verdict on each poll is `crate::health::verdict`.

use std::collections::BTreeSet;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::time::Instant;

use super::{error, has_code, AwsError, Executor};
use crate::aws::client::own_error;
use crate::aws::targets::health_from_sdk;
use crate::aws::{convert, fetch};
use crate::health::{human, next_poll, verdict, HealthWait, Wait};
use crate::model::{Action, Condition, Conditions, Forward, HttpHeader, WeightedTargetGroup};
use crate::plan::listener_name;

/// The header of the warm-up rule's condition; its value is a random token,
/// so no real request matches.
const HEADER: &str = "X-Lbctl-Warmup";
/// Highest rule priority AWS accepts; the warm-up rule takes the highest
/// free one, so it is evaluated after every real rule.
const MAX_PRIORITY: u32 = 50_000;
/// Attempts at creating the warm-up rule when its priority was taken in
/// between (another writer).
const ATTEMPTS: usize = 3;

impl Executor<'_> {
    /// Runs `switch` (the ModifyListener or ModifyRule of a step) once the
    /// targets of `groups` are healthy; without groups, without a wait
    /// configured, or with a zero timeout, runs it at once.
    pub(super) async fn warmed<F>(
        &self,
        load_balancer: &str,
        port: u16,
        groups: &[String],
        switch: F,
    ) -> Result<(), AwsError>
    where
        F: Future<Output = Result<(), AwsError>>,
    {
        let Some(wait) = self
            .health
            .filter(|w| !groups.is_empty() && !w.timeout.is_zero())
        else {
            return switch.await;
        };
        let name = listener_name(load_balancer, port);
        let listener = self
            .index
            .listener_arn(load_balancer, port)
            .ok_or_else(|| self.not_found("listener", &name))?;
        let rule = self.create_warmup_rule(&name, &listener, groups).await?;
        let result = async {
            self.wait_healthy(groups, wait).await?;
            switch.await
        }
        .await;
        // Always clean up; the step's own error matters more than this one.
        let cleanup = self.delete_warmup_rule(&name, &rule).await;
        result.and(cleanup)
    }

    /// Creates the warm-up rule forwarding to `groups` at the highest free
    /// priority; returns its ARN.
    async fn create_warmup_rule(
        &self,
        name: &str,
        listener: &str,
        groups: &[String],
    ) -> Result<String, AwsError> {
        let action = self
            .action(&Action::Forward(Forward {
                target_groups: groups
                    .iter()
                    .map(|g| WeightedTargetGroup {
                        name: g.clone(),
                        weight: 1,
                    })
                    .collect(),
                stickiness: None,
            }))
            .await?;
        let conditions = Conditions::new(vec![Condition::HttpHeader(HttpHeader {
            name: HEADER.into(),
            values: vec![token()],
            regex: vec![],
        })]);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let taken: BTreeSet<u32> = fetch::rules(self.elb, listener)
                .await?
                .iter()
                .filter_map(|r| r.priority()?.parse().ok())
                .collect();
            let priority = (1..=MAX_PRIORITY)
                .rev()
                .find(|p| !taken.contains(p))
                .ok_or_else(|| {
                    own_error(
                        "CreateRule",
                        name,
                        "no_free_priority",
                        "the listener has no free rule priority for the warm-up rule".into(),
                    )
                })?;
            let sent = self
                .elb
                .create_rule()
                .listener_arn(listener)
                .priority(priority as i32)
                .set_conditions(Some(convert::conditions_to_sdk(&conditions)))
                .actions(action.clone())
                .send()
                .await;
            match sent {
                Ok(out) => {
                    return out
                        .rules()
                        .first()
                        .and_then(|r| r.rule_arn())
                        .map(str::to_string)
                        .ok_or_else(|| self.not_found("rule", &format!("{name}/{priority}")))
                }
                Err(e) if has_code(&e, "PriorityInUse") && attempt < ATTEMPTS => continue,
                Err(e) => return Err(error("CreateRule", &format!("{name} (warm-up rule)"), e)),
            }
        }
    }

    async fn delete_warmup_rule(&self, name: &str, arn: &str) -> Result<(), AwsError> {
        match self.elb.delete_rule().rule_arn(arn).send().await {
            Ok(_) => Ok(()),
            Err(e) if has_code(&e, "RuleNotFound") => Ok(()),
            Err(e) => Err(error("DeleteRule", &format!("{name} (warm-up rule)"), e)),
        }
    }

    /// Polls the health of every group until all are [`Wait::Done`], the
    /// timeout passes, or the user interrupts.
    async fn wait_healthy(&self, groups: &[String], wait: &HealthWait<'_>) -> Result<(), AwsError> {
        let mut arns = Vec::new();
        for g in groups {
            arns.push((g.as_str(), self.target_group_arn(g).await?));
        }
        let start = Instant::now();
        let mut pause = None;
        loop {
            let mut pending = Vec::new();
            for (group, arn) in &arns {
                let out = self
                    .elb
                    .describe_target_health()
                    .target_group_arn(arn)
                    .send()
                    .await
                    .map_err(|e| error("DescribeTargetHealth", group, e))?;
                let states: Vec<_> = out
                    .target_health_descriptions()
                    .iter()
                    .filter_map(health_from_sdk)
                    .collect();
                if let Wait::Pending(summary) = verdict(&states) {
                    pending.push((*group, summary));
                }
            }
            let elapsed = start.elapsed();
            if pending.is_empty() {
                (wait.progress)(
                    &format!(
                        "targets of {} healthy after {}; switching",
                        quoted(groups),
                        human(elapsed)
                    ),
                    "",
                );
                return Ok(());
            }
            if elapsed >= wait.timeout || (wait.cancelled)() {
                let why = if elapsed >= wait.timeout {
                    format!("after {}", human(wait.timeout))
                } else {
                    "when apply was interrupted".to_string()
                };
                let (group, _) = pending[0];
                let states: Vec<String> = pending
                    .iter()
                    .map(|(g, s)| format!("targets of `{g}` not healthy {why}: {s}"))
                    .collect();
                return Err(own_error(
                    "health wait",
                    group,
                    "TargetsNotHealthy",
                    format!(
                        "{}; traffic was not switched: run apply again to retry (or raise --health-timeout)",
                        states.join("; ")
                    ),
                ));
            }
            let left = wait.timeout.saturating_sub(elapsed);
            let states: Vec<String> = pending.iter().map(|(g, s)| format!("`{g}` {s}")).collect();
            (wait.progress)(
                &format!(
                    "waiting for targets to be healthy before switching: {}",
                    states.join("; ")
                ),
                &format!(" ({} left)", human(left)),
            );
            let next = next_poll(pause);
            pause = Some(next);
            tokio::time::sleep(next.min(left)).await;
        }
    }
}

fn quoted(groups: &[String]) -> String {
    groups
        .iter()
        .map(|g| format!("`{g}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A random value for the warm-up rule's header, so that no client sends
/// it by chance (std's hasher keys are random per process and call).
fn token() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    format!("{:016x}", h.finish())
}
