//! `--adopt` takes resources over as they are; it never replaces one.
//!
//! A replacement deletes the live resource (a load balancer gets a new
//! DNS name, a target group loses its registrations), which is no way to
//! take over something another team may still depend on. [`check`] turns
//! every replacement of a resource the stack does not own yet into an
//! error naming the settings that force it. Pure: no AWS call, no output.

use crate::model::{owner, Model, Tags};
use crate::plan::{Op, Plan, Step};
use crate::render::text::value;
use crate::safety::Refusal;

/// `Ok` unless the plan replaces a live resource the stack does not own
/// (which only `--adopt` plans can do); else the refusal, naming each
/// resource and the settings that differ.
pub fn check(plan: &Plan, live: &Model) -> Result<(), Refusal> {
    let found: Vec<String> = plan
        .steps
        .iter()
        .filter(|s| adopted(s, live, &plan.stack))
        .map(describe)
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    let list: String = found.iter().map(|f| format!("\n  - {f}")).collect();
    Err(Refusal {
        message: format!(
            "refusing to adopt: --adopt never replaces a resource, and these differ from the \
             spec in settings that cannot change in place; nothing was changed{list}"
        ),
        hint: Some(
            "to adopt as it is, set these settings in the spec to their live values and apply \
             with --adopt; change them in a later apply, which replaces the resource under the \
             safety checks"
                .into(),
        ),
    })
}

/// Whether `step` replaces something that exists live without the stack's
/// tag.
fn adopted(step: &Step, live: &Model, stack: &str) -> bool {
    let foreign = |tags: &Tags| owner(tags) != Some(stack);
    match &step.op {
        Op::ReplaceLoadBalancer { load_balancer } => live
            .load_balancers
            .get(&load_balancer.name)
            .is_some_and(|lb| foreign(&lb.tags)),
        Op::ReplaceListener { load_balancer, .. } => live
            .load_balancers
            .get(load_balancer)
            .is_some_and(|lb| foreign(&lb.tags)),
        Op::ReplaceTargetGroup { target_group, .. } => live
            .target_groups
            .get(&target_group.name)
            .is_some_and(|tg| foreign(&tg.tags)),
        _ => false,
    }
}

/// `load_balancer `web`: `scheme` is "internet-facing" live, "internal" in
/// the spec`.
fn describe(step: &Step) -> String {
    let settings: Vec<String> = step
        .changes
        .iter()
        .filter(|c| c.path != "dns_name")
        .map(|c| {
            format!(
                "`{}` is {} live, {} in the spec",
                c.path,
                value(&c.before),
                value(&c.after)
            )
        })
        .collect();
    format!(
        "{} `{}`: {}",
        step.kind.as_str(),
        step.name,
        settings.join("; ")
    )
}
