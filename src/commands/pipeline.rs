//! The part `plan` and `apply` share: spec -> desired model, live state,
//! diff. Loading is two-phase: the files are read and checked offline,
//! then the SSM parameters they declare are fetched and the spec loaded
//! with their values. Selector resolution and the live read run
//! concurrently. What the plan was made from stays with it ([`Basis`]),
//! so that `plan --out` can save it (see `crate::saved`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use crate::aws::{Aws, Live, Names};
use crate::diff;
use crate::error::Error;
use crate::model::Model;
use crate::plan::Plan;
use crate::spec;

use super::Settings;

/// A plan and what is needed to carry it out.
pub struct Planned {
    pub plan: Plan,
    pub aws: Aws,
    pub live: Live,
    pub started: Instant,
    pub basis: Basis,
}

/// What a plan was made from besides the live state: what a saved plan
/// records. Empty for a plan that was loaded from a file.
#[derive(Debug, Default)]
pub struct Basis {
    /// What the live state was read for.
    pub names: Names,
    pub desired: Model,
    /// SecureString values by SSM parameter name (as the spec gives it).
    pub secrets: BTreeMap<String, String>,
    /// The region asked for (the spec's, else `--region`), if any.
    pub region: Option<String>,
    /// The spec's `safety:` section.
    pub safety: crate::safety::Overrides,
}

/// What shapes a plan besides the spec.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub adopt: bool,
    pub ttl_warning: u32,
}

/// Load the spec, read AWS and diff.
pub async fn plan(
    settings: &Settings,
    files: &[PathBuf],
    options: Options,
) -> Result<Planned, Error> {
    let started = Instant::now();
    // The spec is fully checked before any AWS call, SSM parameters as
    // placeholders; then they are fetched and the spec loaded with them.
    let draft = spec::read(files);
    // An `ssl_policy` lbctl does not know is held back: AWS may know it.
    let (checked, unknown_policies) = draft.offline_deferring(spec::ssl_policy::is_unknown)?;
    let mut aws_settings = settings.aws.clone();
    aws_settings.region = super::region::rank(
        settings.aws.region.as_deref(),
        checked.region.as_deref(),
        "the spec's `region:`",
    )?;
    let aws = Aws::connect(&aws_settings).await?;
    let (spec, secrets, unknown_policies) =
        with_parameters(&aws, &draft, checked, unknown_policies).await?;
    known_ssl_policies(&aws, unknown_policies).await?;
    let names = Names {
        target_groups: spec.target_group_names().map(str::to_string).collect(),
        load_balancers: spec.load_balancer_names().map(str::to_string).collect(),
        zones: spec.zones(),
        cidr_collections: spec.cidr_collection_names().map(str::to_string).collect(),
    };
    let selectors = spec.selectors();
    let instance_selectors = spec::selector::instance_selectors(&spec);
    // Independent: resolving selectors and reading live state overlap.
    let read = async {
        futures::try_join!(
            aws.resolve_with_instances(&selectors, &instance_selectors),
            aws.read(&spec.stack, &names)
        )
    };
    let (resolved, live) = super::reading::show(settings, &aws, "reading live state", read).await?;
    let mut resolved = resolved;
    resolved.zones = live
        .model
        .dns
        .zones
        .values()
        .filter_map(|z| {
            Some(crate::model::dns::ZoneInfo {
                id: z.id.clone()?,
                name: z.name.clone(),
                private: z.private,
            })
        })
        .collect();
    let desired = match spec.to_model(&resolved) {
        Ok(desired) => desired,
        Err(errors) => return Err(looked_in(&aws, errors).await),
    };
    crate::secrets::register_places(spec.sensitive_places(&resolved, &desired, &secrets));
    let mut plan = diff::diff(&diff::Input {
        stack: &spec.stack,
        desired: &desired,
        live: &live.model,
        in_use: &live.in_use,
        target_group_names: &live.target_group_names,
        load_balancer_dns: &load_balancer_dns(&live),
        adopt: options.adopt,
        ttl_warning: options.ttl_warning,
        instance_addresses: &resolved.instance_addresses(),
    });
    // `--adopt` takes resources over as they are, never by replacing them.
    crate::safety::adopt::check(&plan, &live.model)?;
    within_quotas(&aws, &plan, &desired, &live).await?;
    plan.warnings
        .extend(spec::selector::instance_warnings(&spec, &resolved));
    let gates = crate::safety::gates::gated(&plan, &desired, &live.model);
    if !gates.is_empty() {
        let facts = aws.gate_facts(&gates, &live.index).await?;
        plan.warnings
            .extend(crate::safety::gates::warnings(&gates, &facts));
    }
    Ok(Planned {
        plan,
        aws,
        live,
        started,
        basis: Basis {
            names,
            desired,
            secrets,
            region: aws_settings.region,
            safety: *spec.safety(),
        },
    })
}

/// Phase two of loading: the spec with the values of its SSM parameters
/// (`checked` as it is when it has none). SecureString values are
/// registered with `crate::secrets` as they arrive, before anything prints;
/// they are returned by parameter name too.
async fn with_parameters(
    aws: &Aws,
    draft: &spec::Draft,
    checked: spec::Spec,
    deferred: Vec<spec::Diagnostic>,
) -> Result<(spec::Spec, BTreeMap<String, String>, Vec<spec::Diagnostic>), Error> {
    let names = draft.ssm_names();
    if names.is_empty() {
        return Ok((checked, BTreeMap::new(), deferred));
    }
    let values = aws.ssm_parameters(&names).await?;
    let secrets: BTreeMap<String, String> = values
        .iter()
        .filter(|(_, v)| v.secure)
        .map(|(name, v)| (name.clone(), v.value.clone()))
        .collect();
    // Of any length: numbers and short values are masked by place.
    crate::secrets::declare(secrets.values());
    match draft.resolve_deferring(&values, spec::ssl_policy::is_unknown) {
        Ok((spec, deferred)) => Ok((spec, secrets, deferred)),
        Err(errors) => Err(looked_in(aws, errors).await),
    }
}

/// Asks AWS about the `ssl_policy` names lbctl does not know (one
/// DescribeSSLPolicies call, none when there are none), and refuses those
/// AWS does not know either, with the spec's place and a "did you mean".
async fn known_ssl_policies(aws: &Aws, deferred: Vec<spec::Diagnostic>) -> Result<(), Error> {
    if deferred.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = deferred
        .iter()
        .filter_map(|d| spec::ssl_policy::unknown_name(d).map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    let known = aws.known_ssl_policies(&names).await?;
    let left = spec::ssl_policy::settle(deferred, &known);
    if left.is_empty() {
        Ok(())
    } else {
        Err(spec::SpecErrors(left).into())
    }
}

/// Refuses, before anything is written, a plan that would exceed an
/// account quota (`crate::quotas`). The limits are read once, and only for
/// a plan that grows something a quota counts.
async fn within_quotas(aws: &Aws, plan: &Plan, desired: &Model, live: &Live) -> Result<(), Error> {
    if !crate::quotas::needs_limits(plan) {
        return Ok(());
    }
    let limits = aws.account_limits().await?;
    let excess = crate::quotas::check(&crate::quotas::Input {
        plan,
        desired,
        live: &live.model,
        usage: &live.usage,
        limits: &limits,
    });
    if excess.is_empty() {
        Ok(())
    } else {
        Err(crate::quotas::refusal(&excess))
    }
}

/// Lookup errors (a selector that matched nothing, a zone or an SSM
/// parameter not found) say where lbctl looked: the region and account.
async fn looked_in(aws: &Aws, mut errors: spec::SpecErrors) -> Error {
    let lookup = |m: &str| m.contains("matched nothing") || m.contains("not found");
    if errors.0.iter().any(|d| lookup(&d.message)) {
        let scope = aws.scope().await;
        for d in errors.0.iter_mut().filter(|d| lookup(&d.message)) {
            d.message = format!("{} (looked in {scope})", d.message);
        }
    }
    errors.into()
}

/// Live load balancers' DNS names and canonical hosted zones, for aliases.
pub(super) fn load_balancer_dns(
    live: &Live,
) -> std::collections::BTreeMap<String, (String, String)> {
    live.index
        .load_balancers()
        .into_iter()
        .filter_map(|(name, e)| Some((name, (e.dns_name?, e.hosted_zone_id?))))
        .collect()
}

/// With `-v`: API calls by operation and wall time, on stderr.
pub fn print_stats(settings: &Settings, planned: &Planned) {
    if settings.verbose == 0 {
        return;
    }
    let calls = planned.aws.api_calls();
    let total: u64 = calls.values().sum();
    let detail: Vec<String> = calls.iter().map(|(k, v)| format!("{k}={v}")).collect();
    crate::output::eprintln(&format!(
        "api calls: {total} in {:.2}s ({})",
        planned.started.elapsed().as_secs_f64(),
        detail.join(" ")
    ));
}
