//! Account quotas of Elastic Load Balancing, checked at plan time so that a
//! spec that would exceed one is refused before the first write, instead of
//! wedging an apply half-way on `TooManyRules` or `TooManyLoadBalancers`.
//!
//! Pure: the limits come from `DescribeAccountLimits` (`aws::limits`), the
//! region's usage from the live read ([`Usage`]); this module counts what
//! the plan needs and says which quota it exceeds and how to raise it. It
//! makes no AWS call and must not: the pipeline asks for the limits only
//! when [`needs_limits`] says the plan grows something a quota counts.
//!
//! Counts are the peak an apply reaches in lbctl's order: creates run
//! before deletes of listeners, load balancers and target groups (see
//! `plan::Step::phase`), so a live listener the spec drops still counts
//! while the new ones are made; rules of one listener are deleted before
//! its new rules are created, so only the final rules count. A quota that
//! the live state already exceeds (the limit was lowered, or AWS's count
//! differs) is refused only when the plan makes the count grow.
//!
//! Quota names, defaults and codes: the API reference of `Limit`
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Limit.html>),
//! "Quotas for your Application Load Balancers"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html>),
//! "Quotas for your Network Load Balancers"
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html>)
//! and "Quotas for your Gateway Load Balancers"; quota codes as the Service
//! Quotas console lists them for `elasticloadbalancing`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Action, Listener, LoadBalancer, Model};
use crate::plan::{Op, Plan};

/// The account's limits by `DescribeAccountLimits` name
/// (`rules-per-application-load-balancer` -> 100).
pub type Limits = BTreeMap<String, u64>;

/// What the region holds now, whoever owns it: counted by the live read,
/// which lists every load balancer and target group anyway.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// Load balancers by type (`application`, `network`, `gateway`).
    pub load_balancers: BTreeMap<String, usize>,
    pub target_groups: usize,
}

/// One ELBv2 quota lbctl checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The `DescribeAccountLimits` name.
    pub name: &'static str,
    /// As the Service Quotas console names it.
    pub title: &'static str,
    /// AWS's default, used when `DescribeAccountLimits` does not list it.
    pub default: u64,
    /// The Service Quotas code, where known.
    pub code: Option<&'static str>,
    /// Whether AWS raises it on request.
    pub adjustable: bool,
}

const fn quota(
    name: &'static str,
    title: &'static str,
    default: u64,
    code: Option<&'static str>,
    adjustable: bool,
) -> Quota {
    Quota {
        name,
        title,
        default,
        code,
        adjustable,
    }
}

pub const RULES_PER_ALB: Quota = quota(
    "rules-per-application-load-balancer",
    "Rules per Application Load Balancer",
    100,
    Some("L-7EED9B64"),
    true,
);
pub const LISTENERS_PER_ALB: Quota = quota(
    "listeners-per-application-load-balancer",
    "Listeners per Application Load Balancer",
    50,
    Some("L-B6DF7632"),
    true,
);
pub const LISTENERS_PER_NLB: Quota = quota(
    "listeners-per-network-load-balancer",
    "Listeners per Network Load Balancer",
    50,
    Some("L-57A373D6"),
    false,
);
pub const CERTIFICATES_PER_ALB: Quota = quota(
    "certificates-per-application-load-balancer",
    "Certificates per Application Load Balancer (excluding default certificates)",
    25,
    Some("L-9365A611"),
    true,
);
pub const CERTIFICATES_PER_NLB: Quota = quota(
    "certificates-per-network-load-balancer",
    "Certificates per Network Load Balancer (excluding default certificates)",
    25,
    Some("L-52964454"),
    true,
);
pub const TARGET_GROUPS_PER_ACTION_ALB: Quota = quota(
    "target-groups-per-action-on-application-load-balancer",
    "Target Groups per Action per Application Load Balancer",
    5,
    Some("L-057ECE54"),
    false,
);
pub const TARGET_GROUPS_PER_ALB: Quota = quota(
    "target-groups-per-application-load-balancer",
    "Target Groups per Application Load Balancer",
    100,
    Some("L-822D1B1B"),
    false,
);
pub const APPLICATION_LOAD_BALANCERS: Quota = quota(
    "application-load-balancers",
    "Application Load Balancers per Region",
    50,
    Some("L-53DA6B97"),
    true,
);
pub const NETWORK_LOAD_BALANCERS: Quota = quota(
    "network-load-balancers",
    "Network Load Balancers per Region",
    50,
    Some("L-69A177A2"),
    true,
);
pub const GATEWAY_LOAD_BALANCERS: Quota = quota(
    "gateway-load-balancers",
    "Gateway Load Balancers per Region",
    100,
    None,
    true,
);
pub const TARGET_GROUPS: Quota = quota(
    "target-groups",
    "Target Groups per Region",
    3000,
    Some("L-B22855CB"),
    true,
);

/// A quota the plan would exceed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excess {
    pub quota: Quota,
    /// The account's value.
    pub limit: u64,
    /// What the spec needs (at the peak of the apply).
    pub count: usize,
    /// What is counted and where: "load balancer `web`: rules".
    pub what: String,
}

/// Whether the plan makes anything a quota counts grow: only then are the
/// account's limits worth a `DescribeAccountLimits` call (a plan with no
/// changes, or with only deletes and attribute updates, makes none).
pub fn needs_limits(plan: &Plan) -> bool {
    plan.steps.iter().any(|s| match &s.op {
        Op::CreateTargetGroup { .. }
        | Op::ReplaceTargetGroup { .. }
        | Op::CreateLoadBalancer { .. }
        | Op::ReplaceLoadBalancer { .. }
        | Op::CreateListener { .. }
        | Op::ReplaceListener { .. }
        | Op::CreateRule { .. } => true,
        Op::UpdateListener {
            modify,
            add_certificates,
            ..
        } => *modify || !add_certificates.is_empty(),
        Op::UpdateRule { modify, .. } => *modify,
        _ => false,
    })
}

/// What a quota check looks at.
pub struct Input<'a> {
    pub plan: &'a Plan,
    pub desired: &'a Model,
    pub live: &'a Model,
    pub usage: &'a Usage,
    pub limits: &'a Limits,
}

/// Every quota the plan would exceed, per load balancer first, then per
/// region.
pub fn check(input: &Input) -> Vec<Excess> {
    let mut out = Vec::new();
    for (name, want) in &input.desired.load_balancers {
        per_load_balancer(input, name, want, &mut out);
    }
    per_region(input, &mut out);
    out
}

fn limit(limits: &Limits, q: &Quota) -> u64 {
    limits.get(q.name).copied().unwrap_or(q.default)
}

/// Pushes an excess when `after` is over the limit and more than `before`.
fn over(
    out: &mut Vec<Excess>,
    limits: &Limits,
    q: Quota,
    (before, after): (usize, usize),
    what: String,
) {
    let limit = limit(limits, &q);
    if after as u64 > limit && after > before {
        out.push(Excess {
            quota: q,
            limit,
            count: after,
            what,
        });
    }
}

/// Counts over a set of listeners: rules, extra certificates and distinct
/// target groups their actions use.
#[derive(Default)]
struct Counts {
    listeners: usize,
    rules: usize,
    certificates: usize,
    target_groups: usize,
}

fn counts<'a>(listeners: impl Iterator<Item = &'a Listener>) -> Counts {
    let mut c = Counts::default();
    let mut groups: BTreeSet<&str> = BTreeSet::new();
    for l in listeners {
        c.listeners += 1;
        c.rules += l.rules.len();
        c.certificates += l.certificates.len().saturating_sub(1);
        groups.extend(l.default_action.target_groups());
        for r in l.rules.values() {
            groups.extend(r.action.target_groups());
        }
    }
    c.target_groups = groups.len();
    c
}

fn per_load_balancer(input: &Input, name: &str, want: &LoadBalancer, out: &mut Vec<Excess>) {
    let have = input.live.load_balancers.get(name);
    // At the peak: the desired listeners, and the live ones the plan
    // deletes (after its creates).
    let kept = have
        .into_iter()
        .flat_map(|h| h.listeners.values())
        .filter(|l| !want.listeners.contains_key(&l.key()));
    let after = counts(want.listeners.values().chain(kept));
    let before = counts(have.into_iter().flat_map(|h| h.listeners.values()));
    let lb = format!("load balancer `{name}`");
    let limits = input.limits;
    let pair = |f: fn(&Counts) -> usize| (f(&before), f(&after));
    match want.lb_type.as_str() {
        "application" => {
            let rules = pair(|c| c.rules);
            over(
                out,
                limits,
                RULES_PER_ALB,
                rules,
                format!("{lb}: rules (not counting default rules)"),
            );
            over(
                out,
                limits,
                LISTENERS_PER_ALB,
                pair(|c| c.listeners),
                format!("{lb}: listeners"),
            );
            let certs = pair(|c| c.certificates);
            over(
                out,
                limits,
                CERTIFICATES_PER_ALB,
                certs,
                format!("{lb}: certificates besides the listeners' default ones"),
            );
            let groups = pair(|c| c.target_groups);
            over(
                out,
                limits,
                TARGET_GROUPS_PER_ALB,
                groups,
                format!("{lb}: target groups its listeners and rules use"),
            );
            per_action(input, name, want, out);
        }
        "network" => {
            over(
                out,
                limits,
                LISTENERS_PER_NLB,
                pair(|c| c.listeners),
                format!("{lb}: listeners"),
            );
            let certs = pair(|c| c.certificates);
            over(
                out,
                limits,
                CERTIFICATES_PER_NLB,
                certs,
                format!("{lb}: certificates besides the listeners' default ones"),
            );
        }
        _ => {}
    }
}

/// Target groups per forward of an application load balancer.
fn per_action(input: &Input, name: &str, want: &LoadBalancer, out: &mut Vec<Excess>) {
    let mut actions: Vec<(String, &Action)> = Vec::new();
    for l in want.listeners.values() {
        let listener = crate::plan::listener_name(name, l.key());
        actions.push((format!("listener `{listener}`"), &l.default_action));
        for r in l.rules.values() {
            let rule = crate::plan::rule_name(name, l.key(), r.priority);
            actions.push((format!("rule `{rule}`"), &r.action));
        }
    }
    for (what, action) in actions {
        let n = action.target_groups().count();
        over(
            out,
            input.limits,
            TARGET_GROUPS_PER_ACTION_ALB,
            (0, n),
            format!("{what}: target groups of one forward"),
        );
    }
}

fn per_region(input: &Input, out: &mut Vec<Excess>) {
    let mut lbs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tgs = 0;
    for step in &input.plan.steps {
        match &step.op {
            Op::CreateLoadBalancer { load_balancer } => {
                *lbs.entry(&load_balancer.lb_type).or_default() += 1;
            }
            // Deleted first, then created: only a change of type adds one.
            Op::ReplaceLoadBalancer { load_balancer } => {
                let live = input.live.load_balancers.get(&load_balancer.name);
                if live.map(|l| &l.lb_type) != Some(&load_balancer.lb_type) {
                    *lbs.entry(&load_balancer.lb_type).or_default() += 1;
                }
            }
            Op::CreateTargetGroup { .. } => tgs += 1,
            // A target group in use is replaced through a temporary one.
            Op::ReplaceTargetGroup { in_use: true, .. } => tgs += 1,
            _ => {}
        }
    }
    for (lb_type, q) in [
        ("application", APPLICATION_LOAD_BALANCERS),
        ("network", NETWORK_LOAD_BALANCERS),
        ("gateway", GATEWAY_LOAD_BALANCERS),
    ] {
        let before = input
            .usage
            .load_balancers
            .get(lb_type)
            .copied()
            .unwrap_or(0);
        let added = lbs.get(lb_type).copied().unwrap_or(0);
        let what = format!(
            "the region: {lb_type} load balancers ({before} exist, the plan creates {added})"
        );
        over(out, input.limits, q, (before, before + added), what);
    }
    let before = input.usage.target_groups;
    let what = format!("the region: target groups ({before} exist, the plan creates {tgs})");
    over(
        out,
        input.limits,
        TARGET_GROUPS,
        (before, before + tgs),
        what,
    );
}

/// The error for quotas the plan would exceed: each names the quota, the
/// account's value and what the spec needs; the hint says how to raise
/// each one (or that AWS does not).
pub fn refusal(excess: &[Excess]) -> crate::error::Error {
    let mut lines = vec![
        "the spec needs more than the account's Elastic Load Balancing quotas allow; nothing was \
         changed"
            .to_string(),
    ];
    let mut hints = Vec::new();
    for e in excess {
        lines.push(format!(
            "  {}: {} needed, over quota `{}` ({}) of {}",
            e.what, e.count, e.quota.name, e.quota.title, e.limit
        ));
        let hint = raise(e);
        if !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    crate::error::Error::Refused {
        message: lines.join("\n"),
        hint: Some(hints.join("\n  hint: ")),
    }
}

/// How to raise the quota of `e`, or what to do where AWS does not.
fn raise(e: &Excess) -> String {
    let q = &e.quota;
    if !q.adjustable {
        return format!(
            "AWS does not raise `{}`: change the spec to stay within {}",
            q.name, e.limit
        );
    }
    match q.code {
        Some(code) => format!(
            "raise `{}` in the Service Quotas console (Elastic Load Balancing, \"{}\") or with \
             `aws service-quotas request-service-quota-increase --service-code elasticloadbalancing \
             --quota-code {code} --desired-value {}`",
            q.name, q.title, e.count
        ),
        None => format!(
            "raise `{}` in the Service Quotas console (Elastic Load Balancing, \"{}\") to at least {}",
            q.name, q.title, e.count
        ),
    }
}

#[cfg(test)]
#[path = "quotas_tests.rs"]
mod tests;
