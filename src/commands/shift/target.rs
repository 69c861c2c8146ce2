//! What `lbctl shift` moves traffic within: the weighted forward of a
//! listener (or rule), or a weighted Route 53 record set. Finds it, refuses
//! what cannot be shifted, and picks the health gate of the receiving side;
//! the step loop in `mod.rs` sees one [`Target`] whichever it is.

use crate::aws::shift::{ForwardLookup, WeightedForward};
use crate::aws::shift_record::{RecordLookup, WeightedRecord};
use serde_json::Value;

use crate::aws::Aws;
use crate::error::Error;
use crate::model::dns::{RecordKey, ZoneRef};
use crate::plan::{listener_name, rule_name, Change, Kind, Op, Step, StepAction};
use crate::spec::{absolute_record, absolute_zone};

use super::gate::Health;
use super::spec_diff::Place;
use super::steps::Weights;

/// What to shift, as the arguments name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum What {
    Listener {
        load_balancer: String,
        port: u16,
        rule: Option<u32>,
    },
    Record {
        zone: ZoneRef,
        /// As given: relative to the zone, `@` or absolute.
        name: String,
        rtype: String,
        /// `--target-group`: the health gate instead of the member's own.
        target_group: Option<String>,
    },
}

/// `--zone`: a hosted zone ID (`Z123...`, `/hostedzone/Z123...`) or a name.
pub(super) fn parse_zone(text: &str) -> ZoneRef {
    let t = text.trim();
    if let Some(id) = t.strip_prefix("/hostedzone/") {
        return ZoneRef::Id(id.to_string());
    }
    let looks_like_id = t.len() > 1
        && t.starts_with('Z')
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if looks_like_id {
        ZoneRef::Id(t.to_string())
    } else {
        ZoneRef::Name {
            name: absolute_zone(t),
            private: None,
        }
    }
}

/// The listener forward or record set being shifted, as read at the start.
pub(super) enum Target {
    Forward(WeightedForward),
    Record(WeightedRecord),
}

impl Target {
    /// `shop:443`, `shop:443 rule 10` or `api.example.com. A`.
    pub(super) fn label(&self) -> &str {
        match self {
            Target::Forward(f) => &f.label,
            Target::Record(r) => &r.label,
        }
    }

    /// Target group names or set identifiers, with their weights now.
    pub(super) fn weights(&self) -> &Weights {
        match self {
            Target::Forward(f) => &f.weights,
            Target::Record(r) => &r.weights,
        }
    }

    /// The plan step that sets absolute weights (see
    /// [`Op::SetForwardWeights`] and [`Op::SetRecordWeights`]), its changes
    /// those of the members whose weight changes, as `lbctl plan` names
    /// them; weights from SecureString parameters masked.
    pub(super) fn step(&self, what: &What, weights: &Weights) -> Step {
        let before = self.weights();
        let changed = |path: &dyn Fn(&str) -> String| -> Vec<Change> {
            weights
                .iter()
                .filter_map(|(name, after)| {
                    let was = before.iter().find(|(n, _)| n == name).map(|(_, w)| *w);
                    (was != Some(*after))
                        .then(|| Change::new(path(name), was.map(shown), shown(*after)))
                })
                .collect()
        };
        match (self, what) {
            (
                Target::Forward(_),
                What::Listener {
                    load_balancer,
                    port,
                    rule,
                },
            ) => {
                let (kind, name, prefix) = match rule {
                    None => (
                        Kind::Listener,
                        listener_name(load_balancer, *port),
                        "default_action",
                    ),
                    Some(p) => (Kind::Rule, rule_name(load_balancer, *port, *p), "action"),
                };
                let path = |n: &str| format!("{prefix}.forward.target_groups.{n}.weight");
                Step {
                    action: StepAction::Update,
                    kind,
                    name,
                    changes: changed(&path),
                    notes: Vec::new(),
                    op: Op::SetForwardWeights {
                        load_balancer: load_balancer.clone(),
                        port: *port,
                        rule: *rule,
                        weights: weights.clone(),
                    },
                }
            }
            (Target::Record(r), _) => Step {
                action: StepAction::Update,
                kind: Kind::RecordSet,
                name: r.key.to_string(),
                changes: changed(&|n: &str| format!("{n}.weight")),
                notes: Vec::new(),
                op: Op::SetRecordWeights {
                    zone: r.zone.name.clone(),
                    zone_id: r.zone.id.clone(),
                    key: r.key.clone(),
                    weights: weights.clone(),
                },
            },
            (Target::Forward(f), What::Record { .. }) => {
                unreachable!("a forward `{}` found for a record", f.label)
            }
        }
    }

    /// Records that the live weights are now `weights` (a step ran).
    pub(super) fn update(&mut self, weights: &Weights) {
        match self {
            Target::Forward(f) => f.weights = weights.clone(),
            Target::Record(r) => r.weights = weights.clone(),
        }
    }

    /// Where the spec declares it, for the spec diff.
    pub(super) fn place<'a>(&'a self, what: &'a What) -> Place<'a> {
        match (self, what) {
            (
                Target::Forward(_),
                What::Listener {
                    load_balancer,
                    port,
                    rule,
                },
            ) => Place::Forward {
                load_balancer,
                port: *port,
                rule: *rule,
            },
            (Target::Record(r), _) => Place::Record {
                zone_name: &r.zone.name,
                zone_id: &r.zone.id,
                key: &r.key,
            },
            (Target::Forward(f), What::Record { .. }) => {
                unreachable!("a forward `{}` found for a record", f.label)
            }
        }
    }

    /// The snippet that shows the weights when there is no spec diff.
    pub(super) fn snippet(&self, weights: &Weights) -> String {
        let (head, key) = match self {
            Target::Forward(_) => ("target_groups:", "name"),
            Target::Record(_) => ("weighted:", "id"),
        };
        let mut out = format!("{head}\n");
        for (name, weight) in weights {
            out.push_str(&format!("  - {{ {key}: {name}, weight: {weight} }}\n"));
        }
        out
    }
}

/// Which gates the user asked for besides the default health gate.
#[derive(Debug, Clone, Copy)]
pub(super) struct Gate {
    /// `--probe` was given.
    pub(super) probe: bool,
    /// `--no-gate`: no health gate at all (only `--probe`, if given).
    pub(super) none: bool,
}

/// The target to shift and the health gate of `to`; refuses (changing
/// nothing) when there is nothing to shift to `to`.
pub(super) async fn find(
    aws: &Aws,
    what: &What,
    to: &str,
    gate: Gate,
) -> Result<(Target, Health), Error> {
    match what {
        What::Listener {
            load_balancer,
            port,
            rule,
        } => {
            let forward = find_forward(aws, load_balancer, *port, *rule, to).await?;
            let Some(tg) = aws.target_group(to).await? else {
                return Err(refused(
                    format!("target group `{to}` not found in {}", aws.scope().await),
                    None,
                ));
            };
            let health = match gate.none {
                true => Health::ProbeOnly,
                false => Health::of_target_group(tg),
            };
            Ok((Target::Forward(forward), health))
        }
        What::Record {
            zone,
            name,
            rtype,
            target_group,
        } => {
            let record = find_record(aws, zone, name, rtype, to).await?;
            let health = match gate.none {
                true => Health::ProbeOnly,
                false => record_gate(aws, &record, to, target_group.as_deref(), gate.probe).await?,
            };
            Ok((Target::Record(record), health))
        }
    }
}

/// The listener's (or rule's) forward, naming `to` and at least one other
/// target group.
async fn find_forward(
    aws: &Aws,
    load_balancer: &str,
    port: u16,
    rule: Option<u32>,
    to: &str,
) -> Result<WeightedForward, Error> {
    let forward = match aws.weighted_forward(load_balancer, port, rule).await? {
        ForwardLookup::Found(f) => f,
        ForwardLookup::NoLoadBalancer => {
            return Err(refused(
                format!(
                    "load balancer `{load_balancer}` not found in {}; nothing was changed",
                    aws.scope().await
                ),
                Some("names are case-sensitive; check the region (--region, AWS_REGION)"),
            ))
        }
        ForwardLookup::Missing(why) => {
            return Err(refused(format!("{why}; nothing was changed"), None))
        }
    };
    if !forward.weights.iter().any(|(n, _)| n == to) || forward.weights.len() < 2 {
        return Err(Error::Refused {
            message: format!(
                "`{}` forwards to {}: it has no weighted forward between `{to}` and another \
                 target group; nothing was changed",
                forward.label,
                quoted(&forward.weights)
            ),
            hint: Some(format!(
                "list `{to}` in the forward's `target_groups` with `weight: 0` and apply first"
            )),
        });
    }
    Ok(forward)
}

/// The weighted record set, with `to` among at least two members.
async fn find_record(
    aws: &Aws,
    zone: &ZoneRef,
    name: &str,
    rtype: &str,
    to: &str,
) -> Result<WeightedRecord, Error> {
    let shown = match zone {
        ZoneRef::Id(id) => id.clone(),
        ZoneRef::Name { name, .. } => name.clone(),
    };
    let Some(info) = aws.hosted_zone(zone).await? else {
        return Err(refused(
            format!(
                "hosted zone `{shown}` not found in account {}; nothing was changed",
                aws.account().await
            ),
            Some("give the zone's name (`example.com`) or its ID (`Z123...`)"),
        ));
    };
    let key = RecordKey {
        name: absolute_record(name, &info.name),
        rtype: rtype.to_ascii_uppercase(),
    };
    let record = match aws.weighted_record(&info, &key).await? {
        RecordLookup::Found(r) => r,
        RecordLookup::Missing(why) => {
            return Err(refused(
                format!("{why}; nothing was changed"),
                Some(
                    "`--record` is relative to `--zone` (`api`, `@` for the apex, a trailing \
                     dot for an absolute name); `--type` defaults to A",
                ),
            ))
        }
    };
    if record.weights.len() < 2 {
        return Err(refused(
            format!(
                "`{}` has a single member {}: there is nothing to shift between; nothing was \
                 changed",
                record.label,
                quoted(&record.weights)
            ),
            Some("add the other member (e.g. with `weight: 0`) and apply first"),
        ));
    }
    if !record.weights.iter().any(|(n, _)| n == to) {
        return Err(Error::Refused {
            message: format!(
                "`{}` has the members {}: `{to}` is not one of its set identifiers; nothing \
                 was changed",
                record.label,
                quoted(&record.weights)
            ),
            hint: Some(format!(
                "`--to` takes a set identifier (a member's `id:` in the spec); add `{to}` with \
                 `weight: 0` and apply first"
            )),
        });
    }
    Ok(record)
}

/// The health gate of member `to`: `--target-group`, else the load
/// balancer it is an alias to, else its Route 53 health check, else only
/// `--probe`; with none of these it refuses.
async fn record_gate(
    aws: &Aws,
    record: &WeightedRecord,
    to: &str,
    target_group: Option<&str>,
    probe: bool,
) -> Result<Health, Error> {
    if let Some(name) = target_group {
        return match aws.target_group(name).await? {
            Some(tg) => Ok(Health::of_target_group(tg)),
            None => Err(refused(
                format!(
                    "target group `{name}` (--target-group) not found in {}; nothing was changed",
                    aws.scope().await
                ),
                None,
            )),
        };
    }
    let member = record
        .members
        .iter()
        .find(|m| m.id == to)
        .expect("`to` is a member, checked by find_record");
    if let Some(dns) = &member.alias {
        if let Some(lb) = aws.load_balancer_by_dns(dns).await? {
            let tgs = aws.load_balancer_target_groups(&lb).await?;
            return Ok(Health::TargetGroups {
                load_balancer: Some(lb),
                tgs,
            });
        }
    }
    if let Some(id) = &member.health_check {
        return Ok(Health::Route53Check(id.clone()));
    }
    if probe {
        return Ok(Health::ProbeOnly);
    }
    let points = match &member.alias {
        Some(dns) => format!("is an alias to `{dns}`, not to a load balancer of this region"),
        None => "has values, not an alias to a load balancer".to_string(),
    };
    Err(refused(
        format!(
            "cannot check the health of `{to}`: it {points} and has no health check; nothing \
             was changed"
        ),
        Some(
            "name the target group behind it with `--target-group TG`, or gate on \
             `--probe URL`, or opt out of the gate with `--no-gate`",
        ),
    ))
}

/// A weight as plan output shows it: masked when it is a secret.
pub(super) fn shown(w: u32) -> Value {
    if super::steps::secret(w) {
        Value::String(crate::secrets::MASK.to_string())
    } else {
        Value::from(w)
    }
}

/// `` `blue`, `green` `` (weights left out).
fn quoted(weights: &Weights) -> String {
    let names: Vec<String> = weights.iter().map(|(n, _)| format!("`{n}`")).collect();
    names.join(", ")
}

fn refused(message: String, hint: Option<&str>) -> Error {
    Error::Refused {
        message,
        hint: hint.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_by_name_or_id() {
        assert_eq!(parse_zone("Z0123ABC"), ZoneRef::Id("Z0123ABC".into()));
        assert_eq!(
            parse_zone("/hostedzone/Z0123ABC"),
            ZoneRef::Id("Z0123ABC".into())
        );
        assert_eq!(
            parse_zone("Example.com"),
            ZoneRef::Name {
                name: "example.com.".into(),
                private: None
            }
        );
        assert_eq!(
            parse_zone("example.com."),
            ZoneRef::Name {
                name: "example.com.".into(),
                private: None
            }
        );
    }
}
