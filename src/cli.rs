//! Command-line flags as clap types, and nothing else: they are resolved
//! into [`crate::commands::Settings`] before any real work starts, and never
//! reach the core.

mod values;

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use crate::aws::RateLimits;
use crate::health::MinHealthy;

/// Manage AWS load balancers (ELBv2) and their DNS as code.
///
/// Write a YAML spec, review `lbctl plan`, then `lbctl apply`. Live AWS is
/// the source of truth: there is no state file.
#[derive(Debug, Parser)]
#[command(
    name = "lbctl",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after any subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// AWS region where the spec names none (a spec's `region:` wins; a
    /// different --region is an error); else AWS_REGION or the profile
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// AWS profile from the shared config files
    #[arg(long, global = true, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Endpoint for every AWS service (e.g. a local moto server)
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Never use colour (NO_COLOR is honoured too)
    #[arg(long, global = true)]
    pub no_color: bool,
    /// More detail on stderr (-v: API call counts and SDK warnings, -vv:
    /// each AWS call with its status and time, -vvv: the SDK's debug log)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Pace AWS calls client-side: `SERVICE[:OP|OP*]=RATE:BURST,...` replacing
    /// the matching defaults (AWS's documented buckets: elbv2 10:40,
    /// RegisterTargets/DeregisterTargets 4:20, route53 5:5, ec2 Describe*
    /// 20:100), or `off`
    #[arg(long, global = true, env = "LBCTL_API_THROTTLE", value_name = "RULES",
          value_parser = parse_api_throttle)]
    pub api_throttle: Option<RateLimits>,
    /// The longest one AWS call may take, retries included (`30s`, `2m`);
    /// connecting gives up after 10s. A call that takes longer fails,
    /// naming the endpoint [default: 60s]
    #[arg(long, global = true, env = "LBCTL_API_TIMEOUT", value_name = "DURATION",
          value_parser = values::api_timeout)]
    pub api_timeout: Option<Duration>,
}

fn parse_api_throttle(text: &str) -> Result<RateLimits, String> {
    RateLimits::with_overrides(text)
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and check spec files offline; makes no AWS call
    Validate(SpecFiles),
    /// Show what apply would change
    Plan(PlanArgs),
    /// Make live AWS match the spec
    #[command(
        override_usage = "lbctl apply -f SPEC... [OPTIONS]\n       lbctl apply PLAN [OPTIONS]"
    )]
    Apply(ApplyArgs),
    /// Inspect and change the targets of a target group (one-off operations)
    #[command(subcommand)]
    Targets(TargetsCommand),
    /// Print live state as a v1 spec
    Export(ExportArgs),
    /// Delete everything a stack owns, DNS included: plan against an empty
    /// spec of the stack, show it, confirm, apply
    Destroy(DestroyArgs),
    /// Move traffic step by step to one target group of a weighted forward,
    /// or to one member of a weighted Route 53 record set (canary,
    /// blue/green), gated on its health
    Shift(ShiftArgs),
    /// Print shell completions
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the JSON Schema of the spec format (for editors)
    Schema,
}

/// The spec files to read.
#[derive(Debug, Args)]
pub struct SpecFiles {
    /// Spec file; repeat to merge several files
    #[arg(short = 'f', long = "file", value_name = "SPEC", required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub spec: SpecFiles,
    /// Exit 2 when there are changes, 0 when there are none
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Output format
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
    /// Plan as if resources the stack does not own were to be adopted
    #[arg(long)]
    pub adopt: bool,
    /// Warn when a record set that changes has a TTL above this (seconds)
    #[arg(long, value_name = "SECONDS", default_value_t = crate::diff::TTL_WARNING)]
    pub ttl_warning: u32,
    #[command(flatten)]
    pub safety: SafetyArgs,
    /// Also save the plan to this file, for `lbctl apply PLAN`
    #[arg(long, value_name = "PLAN")]
    pub out: Option<PathBuf>,
    /// Also show each target's expected share of traffic after apply, and
    /// failover times (text and markdown output)
    #[arg(long)]
    pub traffic: bool,
}

/// `lbctl apply -f SPEC...` or `lbctl apply PLAN`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A plan saved with `lbctl plan --out`: apply exactly its steps,
    /// refused if live state changed since it was made
    #[arg(value_name = "PLAN", conflicts_with_all = ["adopt", "ttl_warning"])]
    pub plan: Option<PathBuf>,
    #[command(flatten)]
    pub spec: ApplySpecFiles,
    /// Do not ask for confirmation
    #[arg(long)]
    pub auto_approve: bool,
    /// Go on despite failed safety checks (never past deletion protection)
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub safety: SafetyArgs,
    /// Take over resources with spec names that the stack does not own yet
    #[arg(long)]
    pub adopt: bool,
    /// Warn when a record set that changes has a TTL above this (seconds)
    #[arg(long, value_name = "SECONDS", default_value_t = crate::diff::TTL_WARNING)]
    pub ttl_warning: u32,
    /// Do not wait for Route 53 changes to reach every name server (INSYNC)
    #[arg(long)]
    pub no_wait: bool,
    /// Before changing a record set with a long TTL, lower its TTL and wait
    /// out the old one, so resolvers pick the change up quickly
    #[arg(long)]
    pub lower_ttl_first: bool,
    /// Before a listener or rule switches traffic to a target group this
    /// apply created, wait at most this long for its targets to be healthy
    /// (`30s`, `5m`; `0` switches without waiting)
    #[arg(long, value_name = "DURATION", default_value = "5m",
          value_parser = values::health_timeout)]
    pub health_timeout: Duration,
    /// The TTL, in seconds, that --lower-ttl-first lowers to
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 60,
        requires = "lower_ttl_first"
    )]
    pub lower_ttl_to: u32,
    /// How to print what apply made (load balancers' DNS names, record
    /// sets); with `json` the plan goes to stderr
    #[arg(long, short = 'o', value_enum, default_value_t = ApplyOutput::Text)]
    pub output: ApplyOutput,
}

/// `lbctl destroy`
#[derive(Debug, Args)]
pub struct DestroyArgs {
    /// The stack to destroy: every load balancer, target group, record set
    /// (in every zone) and health check it owns
    #[arg(long, value_name = "STACK")]
    pub stack: String,
    /// Do not ask for confirmation
    #[arg(long)]
    pub auto_approve: bool,
    /// Go on despite failed safety checks (never past deletion protection)
    #[arg(long)]
    pub force: bool,
    /// Do not wait for Route 53 changes to reach every name server (INSYNC)
    #[arg(long)]
    pub no_wait: bool,
}

/// How `apply` prints what it made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApplyOutput {
    Text,
    /// One JSON object on stdout: `{"load_balancers": [...], "record_sets": [...]}`
    Json,
}

/// The spec files of `apply`: one or more, or else a saved plan (checked
/// by `commands::usage`, which says so in one sentence).
#[derive(Debug, Args)]
pub struct ApplySpecFiles {
    /// Spec file; repeat to merge several files
    #[arg(
        short = 'f',
        long = "file",
        value_name = "SPEC",
        conflicts_with = "plan"
    )]
    pub files: Vec<PathBuf>,
}

/// Safety thresholds; each wins over the spec's `safety:` section.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Safety thresholds (apply refuses beyond them without --force)")]
pub struct SafetyArgs {
    /// Largest share of the stack's target groups and load balancers one
    /// apply may delete [default: 30%]
    #[arg(long, value_name = "P%", value_parser = crate::safety::parse_share)]
    pub max_delete_share: Option<f64>,
    /// Largest share of the stack's record sets one apply may delete
    /// [default: 30%]
    #[arg(long, value_name = "P%", value_parser = crate::safety::parse_share)]
    pub max_record_delete_share: Option<f64>,
    /// Largest share of a target group's targets one apply may deregister
    /// [default: 50%]
    #[arg(long, value_name = "P%", value_parser = crate::safety::parse_share)]
    pub max_target_removal_share: Option<f64>,
    /// Largest share of a weighted record set's or forward's weight that
    /// may go to removed members [default: 50%]
    #[arg(long, value_name = "P%", value_parser = crate::safety::parse_share)]
    pub max_weight_removal_share: Option<f64>,
    /// Allow deleting or replacing load balancers (not deletion-protected
    /// ones)
    #[arg(long)]
    pub allow_load_balancer_delete: bool,
}

impl From<&SafetyArgs> for crate::safety::Overrides {
    fn from(a: &SafetyArgs) -> Self {
        crate::safety::Overrides {
            max_delete_share: a.max_delete_share,
            max_record_delete_share: a.max_record_delete_share,
            max_target_removal_share: a.max_target_removal_share,
            max_weight_removal_share: a.max_weight_removal_share,
            allow_load_balancer_delete: a.allow_load_balancer_delete.then_some(true),
        }
    }
}

/// How `plan` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    /// For pull-request comments: a summary table and one collapsible
    /// section per step
    Markdown,
}

/// `lbctl targets ...`
#[derive(Debug, Subcommand)]
pub enum TargetsCommand {
    /// Registered targets with port, zone, state and reason
    List {
        /// Target group name
        target_group: String,
    },
    /// Same as `list`
    Health {
        /// Target group name
        target_group: String,
    },
    /// Register targets (`ID` or `ID:PORT`)
    Register {
        /// Target group name
        target_group: String,
        /// Targets: instance ID, IP address or ARN, optionally `:PORT`
        #[arg(required = true, value_name = "TARGET[:PORT]")]
        targets: Vec<String>,
        /// Wait until the targets are healthy
        #[arg(long)]
        wait: bool,
        /// Output format: text, or one JSON object with the plan that ran
        /// and the executor's report
        #[arg(long, short = 'o', value_enum, default_value_t = MutationOutput::Text)]
        output: MutationOutput,
    },
    /// Deregister targets (`ID` or `ID:PORT`), keeping enough healthy ones
    Deregister {
        /// Target group name
        target_group: String,
        /// Targets: instance ID, IP address or ARN, optionally `:PORT`
        #[arg(required = true, value_name = "TARGET[:PORT]")]
        targets: Vec<String>,
        /// Wait until draining is over (up to the deregistration delay)
        #[arg(long)]
        wait: bool,
        /// Healthy targets that must remain: a count (`2`) or a share (`50%`)
        #[arg(long, value_name = "N|P%", value_parser = values::min_healthy)]
        min_healthy: Option<MinHealthy>,
        /// Deregister even if fewer healthy targets would remain
        #[arg(long)]
        force: bool,
        /// Output format: text, or one JSON object with the plan that ran
        /// and the executor's report
        #[arg(long, short = 'o', value_enum, default_value_t = MutationOutput::Text)]
        output: MutationOutput,
    },
}

/// `lbctl shift LB:PORT --to TG --steps ...` or
/// `lbctl shift --zone Z --record NAME --to ID --steps ...`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["listener", "record"])))]
pub struct ShiftArgs {
    /// The listener: load balancer name and port
    #[arg(value_name = "LB:PORT")]
    pub listener: Option<String>,
    /// Shift the forward of the listener's rule with this priority instead
    /// of its default action
    #[arg(long, value_name = "PRIORITY", requires = "listener")]
    pub rule: Option<u32>,
    /// Shift between the members of this weighted Route 53 record set
    /// instead of a listener: its name in `--zone` (`api`, `@` for the
    /// apex, a trailing dot for an absolute name)
    #[arg(long, value_name = "NAME", requires = "zone")]
    pub record: Option<String>,
    /// The hosted zone of `--record`: a name (`example.com`) or an ID
    /// (`Z123...`)
    #[arg(long, value_name = "ZONE", requires = "record")]
    pub zone: Option<String>,
    /// The type of `--record` [default: A]
    #[arg(long = "type", value_name = "TYPE", requires = "record")]
    pub record_type: Option<String>,
    /// The target group (with `--record`: the set identifier) that receives
    /// the traffic
    #[arg(long, value_name = "TG|ID")]
    pub to: String,
    /// The receiving target group's (or member's) share after each step, in
    /// percent, increasing (e.g. `10,25,50,100`)
    #[arg(long, value_name = "P,...", value_delimiter = ',', required = true)]
    pub steps: Vec<u32>,
    /// Time between two steps (`30s`, `2m`, `0`)
    #[arg(long, value_name = "DURATION", default_value = "1m", value_parser = values::interval)]
    pub interval: Duration,
    /// Healthy targets the receiving side's target group(s) need before
    /// each step: a count (`2`) or a share of their registered targets
    /// (`50%`) [default: 1]
    #[arg(long, value_name = "N|P%", value_parser = values::min_healthy)]
    pub min_healthy: Option<MinHealthy>,
    /// With `--record`: gate each step on the health of this target group
    /// instead of the receiving member's load balancer or health check
    #[arg(long, value_name = "TG", requires = "record")]
    pub target_group: Option<String>,
    /// Also gate each step on an HTTP GET of this URL (http:// only;
    /// 2xx/3xx passes)
    #[arg(long, value_name = "URL")]
    pub probe: Option<String>,
    /// Shift without a health gate on the receiving side, for members with
    /// plain values and no health check (one record per instance);
    /// `--probe` still gates
    #[arg(long, conflicts_with_all = ["target_group", "min_healthy"])]
    pub no_gate: bool,
    /// The spec that declares this listener or record set: print the change
    /// that makes the new weights permanent, as a diff
    #[arg(short = 'f', long = "file", value_name = "SPEC")]
    pub file: Option<PathBuf>,
    /// Output format: text, or one JSON object with each step's plan and
    /// outcome and the final weights
    #[arg(long, short = 'o', value_enum, default_value_t = MutationOutput::Text)]
    pub output: MutationOutput,
}

/// How `targets register/deregister` and `shift` print what they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MutationOutput {
    Text,
    /// One JSON object on stdout: the plan(s) that ran and what happened
    Json,
}

/// `lbctl export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Everything tagged `lbctl:stack=STACK`
    #[arg(long, value_name = "STACK")]
    pub stack: Option<String>,
    /// A load balancer by name, with its listeners and target groups; repeatable
    #[arg(long = "load-balancer", value_name = "NAME")]
    pub load_balancers: Vec<String>,
    /// A hosted zone by name; repeatable
    #[arg(long = "zone", value_name = "ZONE")]
    pub zones: Vec<String>,
}
