//! The part `plan` and `apply` share: spec -> desired model, live state,
//! diff. Selector resolution and the live read run concurrently.

use std::path::PathBuf;
use std::time::Instant;

use crate::aws::{Aws, Live, Names};
use crate::diff;
use crate::error::Error;
use crate::plan::Plan;
use crate::spec;

use super::Settings;

/// A plan and what is needed to carry it out.
pub struct Planned {
    pub plan: Plan,
    pub aws: Aws,
    pub live: Live,
    pub started: Instant,
}

/// Load the spec, read AWS and diff.
/// What shapes a plan besides the spec.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub adopt: bool,
    pub ttl_warning: u32,
}

pub async fn plan(
    settings: &Settings,
    files: &[PathBuf],
    options: Options,
) -> Result<Planned, Error> {
    let started = Instant::now();
    // The spec is fully checked before any AWS call.
    let spec = spec::load(files)?;
    let mut aws_settings = settings.aws.clone();
    if aws_settings.region.is_none() {
        aws_settings.region.clone_from(&spec.region);
    }
    let aws = Aws::connect(&aws_settings).await?;
    let names = Names {
        target_groups: spec.target_group_names().map(str::to_string).collect(),
        load_balancers: spec.load_balancer_names().map(str::to_string).collect(),
        zones: spec.zones(),
    };
    let selectors = spec.selectors();
    // Independent: resolving selectors and reading live state overlap.
    let (resolved, live) =
        futures::try_join!(aws.resolve(&selectors), aws.read(&spec.stack, &names))?;
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
    let desired = spec.to_model(&resolved)?;
    let plan = diff::diff(&diff::Input {
        stack: &spec.stack,
        desired: &desired,
        live: &live.model,
        in_use: &live.in_use,
        target_group_names: &live.target_group_names,
        load_balancer_dns: &load_balancer_dns(&live),
        adopt: options.adopt,
        ttl_warning: options.ttl_warning,
    });
    Ok(Planned {
        plan,
        aws,
        live,
        started,
    })
}

/// Live load balancers' DNS names and canonical hosted zones, for aliases.
fn load_balancer_dns(live: &Live) -> std::collections::BTreeMap<String, (String, String)> {
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
    eprintln!(
        "api calls: {total} in {:.2}s ({})",
        planned.started.elapsed().as_secs_f64(),
        detail.join(" ")
    );
}
