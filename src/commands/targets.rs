//! `lbctl targets`: list, register and deregister the targets of one target
//! group, outside of plan/apply.
//!
//! Flags are parsed into plain data (targets, `--min-healthy`) before any
//! AWS call, so bad syntax costs nothing. The capacity guard runs before
//! DeregisterTargets and changes nothing when it refuses. The waits poll
//! DescribeTargetHealth and are bounded by the target group's own settings.
//! AWS calls go through [`crate::aws::Aws`]; this file sees no SDK types.
//!
//! `deregister ID` without a port deregisters every registration of that ID
//! (an instance can be registered on several ports); `register ID` without a
//! port uses the target group's port.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use indicatif::{ProgressBar, ProgressStyle};

use crate::aws::{Aws, TargetGroupInfo, TargetHealth, TargetState};
use crate::cli::TargetsCommand;
use crate::error::{Error, ExitStatus};
use crate::model::Target;

use super::Settings;

/// Time between two DescribeTargetHealth calls while waiting.
const POLL: Duration = Duration::from_secs(2);
/// Added to `healthy_threshold x interval` when waiting for health: the
/// first check starts some seconds after registration.
const HEALTH_GRACE: Duration = Duration::from_secs(60);
/// Added to the deregistration delay: AWS reports the end of draining a
/// little after the delay runs out.
const DRAIN_GRACE: Duration = Duration::from_secs(15);
/// Without a terminal, a progress line is repeated at most this often when
/// nothing changes.
const PLAIN_REPEAT: Duration = Duration::from_secs(15);

pub async fn run(settings: &Settings, command: &TargetsCommand) -> Result<ExitStatus, Error> {
    match command {
        TargetsCommand::List { target_group } | TargetsCommand::Health { target_group } => {
            list(settings, target_group).await
        }
        TargetsCommand::Register {
            target_group,
            targets,
            wait,
        } => {
            let args = parse_targets(targets)?;
            register(settings, target_group, &args, *wait).await
        }
        TargetsCommand::Deregister {
            target_group,
            targets,
            wait,
            min_healthy,
            force,
        } => {
            let args = parse_targets(targets)?;
            let min = min_healthy.as_deref().map(parse_min_healthy).transpose()?;
            let options = Deregister {
                wait: *wait,
                min,
                force: *force,
            };
            deregister(settings, target_group, &args, options).await
        }
    }
}

async fn list(settings: &Settings, name: &str) -> Result<ExitStatus, Error> {
    let (aws, tg) = connect(settings, name).await?;
    let health = aws.target_health(&tg).await?;
    if !tg.in_use && !settings.quiet {
        eprintln!(
            "note: no load balancer uses `{name}`, so AWS does not health-check its targets \
             (on AWS they show `unused`, Target.NotInUse)"
        );
    }
    if health.is_empty() {
        if !settings.quiet {
            eprintln!("target group `{name}` has no registered targets");
        }
        return Ok(ExitStatus::Success);
    }
    println!("{}", table(&health));
    Ok(ExitStatus::Success)
}

async fn register(
    settings: &Settings,
    name: &str,
    args: &[TargetArg],
    wait: bool,
) -> Result<ExitStatus, Error> {
    let (aws, tg) = connect(settings, name).await?;
    let targets = args
        .iter()
        .map(|a| a.resolve(&tg))
        .collect::<Result<Vec<_>, _>>()?;
    warn_if_managed(settings, &tg);
    aws.register_targets(&tg, &targets).await?;
    if !settings.quiet {
        eprintln!(
            "registered {} target(s) in `{name}`: {}",
            targets.len(),
            list_targets(&targets)
        );
    }
    if wait {
        wait_healthy(settings, &aws, &tg, &targets).await?;
    }
    Ok(ExitStatus::Success)
}

/// `deregister` options beyond the targets.
struct Deregister {
    wait: bool,
    min: Option<MinHealthy>,
    force: bool,
}

async fn deregister(
    settings: &Settings,
    name: &str,
    args: &[TargetArg],
    options: Deregister,
) -> Result<ExitStatus, Error> {
    let (aws, tg) = connect(settings, name).await?;
    let health = aws.target_health(&tg).await?;
    let targets = registered_matches(&tg, &health, args)?;
    let capacity = Capacity::after(&health, &targets, options.min);
    if capacity.too_low() {
        let message = capacity.message(&tg.name, targets.len(), options.min);
        if !options.force {
            return Err(Error::Refused {
                message: format!("refusing to deregister: {message}; nothing was changed"),
                hint: Some(format!(
                    "check `lbctl targets health {name}`; --force deregisters anyway"
                )),
            });
        }
        warn(
            settings,
            &format!("{message}; deregistering anyway (--force)"),
        );
    }
    warn_if_managed(settings, &tg);
    aws.deregister_targets(&tg, &targets).await?;
    if !settings.quiet {
        eprintln!(
            "deregistered {} target(s) from `{name}`: {}",
            targets.len(),
            list_targets(&targets)
        );
    }
    if options.wait {
        let delay = aws.deregistration_delay(&tg).await?;
        wait_drained(settings, &aws, &tg, &targets, delay).await?;
    }
    Ok(ExitStatus::Success)
}

async fn connect(settings: &Settings, name: &str) -> Result<(Aws, TargetGroupInfo), Error> {
    let aws = Aws::connect(&settings.aws).await?;
    match aws.target_group(name).await? {
        Some(tg) => Ok((aws, tg)),
        None => Err(Error::Refused {
            message: format!("target group `{name}` not found"),
            hint: Some("names are case-sensitive; check the region (--region, AWS_REGION)".into()),
        }),
    }
}

fn warn(settings: &Settings, message: &str) {
    if !settings.quiet {
        eprintln!("warning: {message}");
    }
}

fn warn_if_managed(settings: &Settings, tg: &TargetGroupInfo) {
    if let Some(stack) = &tg.stack {
        warn(
            settings,
            &format!(
                "target group `{}` is managed by stack `{stack}` (tag lbctl:stack): the next \
                 `lbctl apply` of that stack undoes this change unless its spec lists these \
                 targets or uses `targets: {{ mode: additive }}`",
                tg.name
            ),
        );
    }
}

// --- parsing --------------------------------------------------------------

/// What a `TARGET[:PORT]` argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Instance,
    Ip,
    /// A Lambda function or an application load balancer.
    Arn,
}

/// One `TARGET[:PORT]` argument, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TargetArg {
    id: String,
    port: Option<u16>,
    kind: Kind,
}

impl TargetArg {
    fn is_lambda(&self) -> bool {
        self.kind == Kind::Arn && self.id.split(':').nth(2) == Some("lambda")
    }

    /// The target to register: checked against the group's target type,
    /// with the group's port when none is given (lambda targets have none).
    fn resolve(&self, tg: &TargetGroupInfo) -> Result<Target, Error> {
        let fits = match tg.target_type.as_str() {
            "instance" => self.kind == Kind::Instance,
            "ip" => self.kind == Kind::Ip,
            "lambda" => self.is_lambda(),
            "alb" => self.kind == Kind::Arn && !self.is_lambda(),
            _ => true,
        };
        if !fits {
            let what = match self.kind {
                Kind::Instance => "an instance",
                Kind::Ip => "an IP address",
                Kind::Arn if self.is_lambda() => "a Lambda function",
                Kind::Arn => "an ARN",
            };
            return Err(Error::Refused {
                message: format!(
                    "`{}` is {what}, but target group `{}` takes `{}` targets; nothing was changed",
                    self.id, tg.name, tg.target_type
                ),
                hint: None,
            });
        }
        let port = if self.is_lambda() {
            None
        } else {
            self.port.or(tg.port)
        };
        Ok(Target {
            id: self.id.clone(),
            port,
            availability_zone: None,
        })
    }
}

fn parse_targets(args: &[String]) -> Result<Vec<TargetArg>, Error> {
    let (ok, bad): (Vec<_>, Vec<_>) = args
        .iter()
        .map(|a| parse_target(a))
        .partition(Result::is_ok);
    if bad.is_empty() {
        return Ok(ok.into_iter().flatten().collect());
    }
    let bad: Vec<String> = bad.into_iter().filter_map(Result::err).collect();
    Err(Error::Refused {
        message: bad.join("; "),
        hint: Some(
            "a target is an instance ID (i-0123456789abcdef0), an IPv4 address, an IPv6 \
             address or an ARN, optionally with `:PORT` (`[ADDRESS]:PORT` for IPv6; no port \
             for an ARN)"
                .into(),
        ),
    })
}

/// Parses `i-0abc[:PORT]`, `10.0.0.1[:PORT]`, `2001:db8::1`, `[2001:db8::1]:PORT`
/// or an ARN.
fn parse_target(arg: &str) -> Result<TargetArg, String> {
    let bad = |why: &str| format!("`{arg}` is not a valid target: {why}");
    if arg.starts_with("arn:") {
        if arg.split(':').count() < 6 || arg.split(':').any(str::is_empty) {
            return Err(bad(
                "an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
            ));
        }
        return Ok(TargetArg {
            id: arg.to_string(),
            port: None,
            kind: Kind::Arn,
        });
    }
    if let Some(rest) = arg.strip_prefix('[') {
        let (addr, after) = rest.split_once(']').ok_or_else(|| bad("`[` without `]`"))?;
        let addr: Ipv6Addr = addr.parse().map_err(|_| bad("not an IPv6 address"))?;
        let port = match after {
            "" => None,
            p => Some(
                parse_port(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("expected `:PORT` after `]`"))?,
                )
                .map_err(|e| bad(&e))?,
            ),
        };
        return Ok(ip(addr.to_string(), port));
    }
    if let Ok(addr) = arg.parse::<Ipv6Addr>() {
        return Ok(ip(addr.to_string(), None));
    }
    let (id, port) = match arg.split_once(':') {
        Some((id, p)) => (id, Some(parse_port(p).map_err(|e| bad(&e))?)),
        None => (arg, None),
    };
    if id.parse::<Ipv4Addr>().is_ok() {
        return Ok(ip(id.to_string(), port));
    }
    if is_instance_id(id) {
        return Ok(TargetArg {
            id: id.to_string(),
            port,
            kind: Kind::Instance,
        });
    }
    if id.starts_with("i-") {
        return Err(bad("an instance ID is `i-` and 8 or 17 hex digits"));
    }
    Err(bad("not an instance ID, IP address or ARN"))
}

fn ip(id: String, port: Option<u16>) -> TargetArg {
    TargetArg {
        id,
        port,
        kind: Kind::Ip,
    }
}

fn parse_port(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(format!("port `{text}` is not a number from 1 to 65535")),
    }
}

fn is_instance_id(id: &str) -> bool {
    id.strip_prefix("i-").is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

/// `--min-healthy`: a count or a share of the registered targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MinHealthy {
    Count(usize),
    Percent(u32),
}

impl MinHealthy {
    /// Healthy targets required, given how many are registered now.
    fn required(self, registered: usize) -> usize {
        match self {
            MinHealthy::Count(n) => n,
            MinHealthy::Percent(p) => (registered * p as usize).div_ceil(100),
        }
    }
}

impl std::fmt::Display for MinHealthy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MinHealthy::Count(n) => write!(f, "{n}"),
            MinHealthy::Percent(p) => write!(f, "{p}%"),
        }
    }
}

fn parse_min_healthy(text: &str) -> Result<MinHealthy, Error> {
    let parsed = match text.strip_suffix('%') {
        Some(p) => p
            .parse::<u32>()
            .ok()
            .filter(|p| *p <= 100)
            .map(MinHealthy::Percent),
        None => text.parse::<usize>().ok().map(MinHealthy::Count),
    };
    parsed.ok_or_else(|| Error::Refused {
        message: format!("--min-healthy `{text}` is neither a count nor a percentage"),
        hint: Some("use a count (`--min-healthy 2`) or a share from 0% to 100% (`50%`)".into()),
    })
}

// --- capacity guard -------------------------------------------------------

/// The registered targets the arguments name; refuses if one is not
/// registered.
fn registered_matches(
    tg: &TargetGroupInfo,
    health: &[TargetHealth],
    args: &[TargetArg],
) -> Result<Vec<Target>, Error> {
    let mut out: Vec<Target> = Vec::new();
    let mut missing = Vec::new();
    for arg in args {
        let found: Vec<&TargetHealth> = health
            .iter()
            .filter(|h| h.is_registered() && h.target.id == arg.id)
            .filter(|h| arg.port.is_none() || h.target.port == arg.port)
            .collect();
        if found.is_empty() {
            missing.push(format!("`{}`", display(&arg.id, arg.port)));
        }
        for h in found {
            if !out.iter().any(|t| same(t, &h.target)) {
                // AWS wants the zone back only for IP targets outside the
                // VPC (`all`); it rejects one for instance targets.
                let zone = h.target.availability_zone.as_deref();
                out.push(Target {
                    availability_zone: zone.filter(|z| *z == "all").map(str::to_string),
                    ..h.target.clone()
                });
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::Refused {
            message: format!(
                "not registered in target group `{}`: {}; nothing was changed",
                tg.name,
                missing.join(", ")
            ),
            hint: Some(format!("see `lbctl targets list {}`", tg.name)),
        });
    }
    Ok(out)
}

/// Healthy targets before and after a deregistration, and how many must stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Capacity {
    registered: usize,
    healthy: usize,
    healthy_after: usize,
    required: usize,
}

impl Capacity {
    /// At least one healthy target must remain, and at least `--min-healthy`.
    fn after(health: &[TargetHealth], removing: &[Target], min: Option<MinHealthy>) -> Capacity {
        let registered = health.iter().filter(|h| h.is_registered()).count();
        let healthy: Vec<&TargetHealth> = health.iter().filter(|h| h.is_healthy()).collect();
        let healthy_after = healthy
            .iter()
            .filter(|h| !removing.iter().any(|t| same(t, &h.target)))
            .count();
        let required = min.map_or(1, |m| m.required(registered).max(1));
        Capacity {
            registered,
            healthy: healthy.len(),
            healthy_after,
            required,
        }
    }

    fn too_low(&self) -> bool {
        self.healthy_after < self.required
    }

    fn message(&self, tg: &str, removing: usize, min: Option<MinHealthy>) -> String {
        let rule = match min {
            Some(m) => format!("the {} required by --min-healthy {m}", self.required),
            None => "the 1 required".to_string(),
        };
        format!(
            "removing {removing} of the {} registered target(s) of `{tg}` would leave {} of its \
             {} healthy target(s), fewer than {rule}",
            self.registered, self.healthy_after, self.healthy
        )
    }
}

fn same(a: &Target, b: &Target) -> bool {
    a.id == b.id && (a.port.is_none() || b.port.is_none() || a.port == b.port)
}

// --- waiting --------------------------------------------------------------

/// Waits until every target is healthy, or cannot become so by waiting.
async fn wait_healthy(
    settings: &Settings,
    aws: &Aws,
    tg: &TargetGroupInfo,
    targets: &[Target],
) -> Result<(), Error> {
    // On AWS, targets of a group that no listener or rule uses are never
    // health-checked: they stay `unused` (Target.NotInUse), so waiting
    // cannot succeed. moto reports them healthy at once.
    if !tg.in_use {
        warn(
            settings,
            &format!(
                "no load balancer uses `{}`: its targets cannot become healthy (not in use); not waiting",
                tg.name
            ),
        );
        return Ok(());
    }
    let bound = Duration::from_secs(u64::from(tg.healthy_threshold * tg.interval)) + HEALTH_GRACE;
    let start = Instant::now();
    let mut progress = Progress::new(settings);
    loop {
        let health = aws.target_health(tg).await?;
        let mut pending = Vec::new();
        let mut stuck = Vec::new();
        for t in targets {
            let h = health.iter().find(|h| same(t, &h.target));
            match h.map(|h| (h, settled(h))) {
                Some((_, Some(Settled::Healthy))) => {}
                Some((h, Some(Settled::Cannot(why)))) => {
                    stuck.push(format!("`{}`: {why}", show(&h.target)))
                }
                Some((h, None)) => {
                    pending.push(format!("{} {}", show(&h.target), h.state.as_str()))
                }
                None => pending.push(format!("{} not yet listed", show(t))),
            }
        }
        if pending.is_empty() {
            progress.finish();
            for s in &stuck {
                warn(settings, &format!("{s}; stopped waiting for it"));
            }
            if !settings.quiet {
                let healthy = targets.len() - stuck.len();
                eprintln!(
                    "{healthy} of {} target(s) healthy in `{}`",
                    targets.len(),
                    tg.name
                );
            }
            return Ok(());
        }
        let elapsed = start.elapsed();
        if elapsed >= bound {
            progress.finish();
            return Err(Error::Other(format!(
                "targets of `{}` not healthy after {} s (healthy threshold {} x interval {} s + {} s): {}; they stay registered",
                tg.name,
                elapsed.as_secs(),
                tg.healthy_threshold,
                tg.interval,
                HEALTH_GRACE.as_secs(),
                pending.join(", ")
            )));
        }
        let left = bound.saturating_sub(elapsed).as_secs();
        progress.update(
            &format!(
                "waiting for {} target(s) to become healthy: {}",
                pending.len(),
                pending.join(", ")
            ),
            &format!(" ({left} s left)"),
        );
        tokio::time::sleep(POLL).await;
    }
}

enum Settled {
    Healthy,
    /// Cannot become healthy by waiting: why.
    Cannot(String),
}

/// Whether a target's health is final for a wait; `None` while it may
/// still change (initial, unhealthy, registration in progress).
fn settled(h: &TargetHealth) -> Option<Settled> {
    match &h.state {
        TargetState::Healthy => Some(Settled::Healthy),
        TargetState::Unused if h.has_reason("Target.NotInUse") => {
            Some(Settled::Cannot("cannot become healthy: not in use".into()))
        }
        TargetState::Unused if h.has_reason("Target.InvalidState") => Some(Settled::Cannot(
            "cannot become healthy: the instance is not running".into(),
        )),
        TargetState::Unavailable if h.has_reason("Target.HealthCheckDisabled") => {
            Some(Settled::Cannot("health checks are disabled".into()))
        }
        TargetState::Draining | TargetState::UnhealthyDraining => {
            Some(Settled::Cannot("it is being deregistered".into()))
        }
        _ => None,
    }
}

/// Waits until none of the targets is draining or registered, for at most
/// the deregistration delay (plus a little), counting it down.
async fn wait_drained(
    settings: &Settings,
    aws: &Aws,
    tg: &TargetGroupInfo,
    targets: &[Target],
    delay: u32,
) -> Result<(), Error> {
    let bound = Duration::from_secs(u64::from(delay)) + DRAIN_GRACE;
    let start = Instant::now();
    let mut progress = Progress::new(settings);
    loop {
        let health = aws.target_health(tg).await?;
        let left: Vec<String> = targets
            .iter()
            .filter_map(|t| health.iter().find(|h| same(t, &h.target)))
            .filter(|h| !h.has_reason("Target.NotRegistered"))
            .map(|h| format!("{} {}", show(&h.target), h.state.as_str()))
            .collect();
        if left.is_empty() {
            progress.finish();
            if !settings.quiet {
                eprintln!("{} target(s) drained from `{}`", targets.len(), tg.name);
            }
            return Ok(());
        }
        let elapsed = start.elapsed();
        if elapsed >= bound {
            progress.finish();
            return Err(Error::Other(format!(
                "targets of `{}` still draining {} s after deregistration (deregistration delay {delay} s): {}",
                tg.name,
                elapsed.as_secs(),
                left.join(", ")
            )));
        }
        let remaining = u64::from(delay).saturating_sub(elapsed.as_secs());
        progress.update(
            &format!("draining {} target(s): {}", left.len(), left.join(", ")),
            &format!(" ({remaining} s left of the {delay} s deregistration delay)"),
        );
        tokio::time::sleep(POLL).await;
    }
}

/// A spinner on a terminal; otherwise a line when the state changes (and
/// now and then while it does not), nothing when quiet.
struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    last: Option<(String, Instant)>,
}

impl Progress {
    fn new(settings: &Settings) -> Progress {
        let bar = settings.progress.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            quiet: settings.quiet,
            last: None,
        }
    }

    /// `state` is what is being waited for; `clock` the time left, which
    /// alone does not make a new plain line.
    fn update(&mut self, state: &str, clock: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{state}{clock}"));
            return;
        }
        let repeat = match &self.last {
            Some((s, at)) => s != state || at.elapsed() >= PLAIN_REPEAT,
            None => true,
        };
        if repeat && !self.quiet {
            eprintln!("{state}{clock}");
            self.last = Some((state.to_string(), Instant::now()));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

// --- output ---------------------------------------------------------------

/// Target, port, zone, state, reason and description, one row per target.
fn table(health: &[TargetHealth]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(vec![
        "target",
        "port",
        "zone",
        "state",
        "reason",
        "description",
    ]);
    for h in health {
        t.add_row(vec![
            h.target.id.clone(),
            h.target.port.map_or("-".into(), |p| p.to_string()),
            h.target
                .availability_zone
                .clone()
                .unwrap_or_else(|| "-".into()),
            h.state.as_str().to_string(),
            h.reason.clone().unwrap_or_else(|| "-".into()),
            h.description.clone().unwrap_or_else(|| "-".into()),
        ]);
    }
    t.to_string()
}

/// `id:port`, `[v6]:port`, or the bare ID when there is no port.
fn display(id: &str, port: Option<u16>) -> String {
    match port {
        Some(p) if id.contains(':') && !id.starts_with("arn:") => format!("[{id}]:{p}"),
        Some(p) => format!("{id}:{p}"),
        None => id.to_string(),
    }
}

fn show(t: &Target) -> String {
    display(&t.id, t.port)
}

fn list_targets(targets: &[Target]) -> String {
    let mut out = String::new();
    for (i, t) in targets.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{sep}{}", show(t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn health(id: &str, port: u16, state: TargetState, reason: Option<&str>) -> TargetHealth {
        TargetHealth {
            target: Target {
                id: id.into(),
                port: Some(port),
                availability_zone: None,
            },
            state,
            reason: reason.map(str::to_string),
            description: None,
        }
    }

    #[test]
    fn targets_parse_by_kind() {
        let t = parse_target("i-0123456789abcdef0:8080").unwrap();
        assert_eq!(
            (t.id.as_str(), t.port, t.kind),
            ("i-0123456789abcdef0", Some(8080), Kind::Instance)
        );
        let t = parse_target("i-01234567").unwrap();
        assert_eq!((t.port, t.kind), (None, Kind::Instance));
        let t = parse_target("10.0.1.5:80").unwrap();
        assert_eq!(
            (t.id.as_str(), t.port, t.kind),
            ("10.0.1.5", Some(80), Kind::Ip)
        );
        let t = parse_target("2001:db8::1").unwrap();
        assert_eq!((t.id.as_str(), t.port), ("2001:db8::1", None));
        let t = parse_target("[2001:db8::1]:443").unwrap();
        assert_eq!(
            (t.id.as_str(), t.port, t.kind),
            ("2001:db8::1", Some(443), Kind::Ip)
        );
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:f";
        let t = parse_target(arn).unwrap();
        assert_eq!((t.id.as_str(), t.port, t.kind), (arn, None, Kind::Arn));
        assert!(t.is_lambda());
    }

    #[test]
    fn bad_targets_say_why() {
        for bad in [
            "i-xyz",
            "10.0.0.1:0",
            "10.0.0.1:70000",
            "10.0.0.1:",
            "host:80",
            "[::1",
            "[::1]80",
            "[10.0.0.1]:80",
            "arn:aws:lambda",
            "",
        ] {
            let e = parse_target(bad).unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{bad}: {e}");
        }
        let e = parse_targets(&["10.0.0.1".into(), "nope".into(), "i-1".into()]).unwrap_err();
        assert!(matches!(e, Error::Refused { .. }));
        let text = e.to_string();
        assert!(text.contains("`nope`") && text.contains("`i-1`"), "{text}");
    }

    #[test]
    fn min_healthy_is_a_count_or_a_share_rounded_up() {
        assert_eq!(parse_min_healthy("2").unwrap(), MinHealthy::Count(2));
        assert_eq!(parse_min_healthy("50%").unwrap(), MinHealthy::Percent(50));
        assert!(parse_min_healthy("150%").is_err());
        assert!(parse_min_healthy("-1").is_err());
        assert!(parse_min_healthy("half").is_err());
        assert_eq!(MinHealthy::Percent(50).required(3), 2);
        assert_eq!(MinHealthy::Percent(34).required(3), 2);
        assert_eq!(MinHealthy::Percent(100).required(4), 4);
        assert_eq!(MinHealthy::Percent(0).required(4), 0);
    }

    #[test]
    fn capacity_keeps_one_healthy_target_and_the_minimum() {
        let h = vec![
            health("10.0.0.1", 80, TargetState::Healthy, None),
            health("10.0.0.2", 80, TargetState::Healthy, None),
            health(
                "10.0.0.3",
                80,
                TargetState::Unhealthy,
                Some("Target.Timeout"),
            ),
            health(
                "10.0.0.4",
                80,
                TargetState::Draining,
                Some("Target.DeregistrationInProgress"),
            ),
        ];
        let one = [h[0].target.clone()];
        let both = [h[0].target.clone(), h[1].target.clone()];
        let c = Capacity::after(&h, &one, None);
        assert_eq!(
            (c.registered, c.healthy, c.healthy_after, c.required),
            (3, 2, 1, 1)
        );
        assert!(!c.too_low());
        assert!(Capacity::after(&h, &both, None).too_low());
        assert!(Capacity::after(&h, &one, Some(MinHealthy::Count(2))).too_low());
        // 50% of 3 registered is 2 (rounded up).
        assert!(Capacity::after(&h, &one, Some(MinHealthy::Percent(50))).too_low());
        assert!(!Capacity::after(&h, &one, Some(MinHealthy::Percent(30))).too_low());
        // --min-healthy 0 does not lift the one-healthy-target floor.
        assert!(Capacity::after(&h, &both, Some(MinHealthy::Count(0))).too_low());
        let m = Capacity::after(&h, &both, None).message("web", 2, None);
        assert!(m.contains("leave 0 of its 2 healthy"), "{m}");
    }

    #[test]
    fn waits_settle_on_final_states() {
        let not_in_use = health(
            "i-01234567",
            80,
            TargetState::Unused,
            Some("Target.NotInUse"),
        );
        assert!(
            matches!(settled(&not_in_use), Some(Settled::Cannot(w)) if w.contains("not in use"))
        );
        assert!(settled(&health(
            "a",
            80,
            TargetState::Initial,
            Some("Elb.InitialHealthChecking")
        ))
        .is_none());
        assert!(settled(&health("a", 80, TargetState::Unhealthy, None)).is_none());
        assert!(matches!(
            settled(&health("a", 80, TargetState::Healthy, None)),
            Some(Settled::Healthy)
        ));
    }

    #[test]
    fn targets_display_like_arguments() {
        assert_eq!(display("10.0.0.1", Some(80)), "10.0.0.1:80");
        assert_eq!(display("2001:db8::1", Some(80)), "[2001:db8::1]:80");
        assert_eq!(
            display("arn:aws:lambda:us-east-1:1:function:f", None),
            "arn:aws:lambda:us-east-1:1:function:f"
        );
    }
}
