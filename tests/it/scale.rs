//! The scale benchmark of issue 6, and its small version as a test.
//!
//! moto is seeded with a large account: load balancers with weighted
//! forwards to target groups of IP targets, and a zone holding many records
//! the spec does not manage beside the ones it does (an alias per load
//! balancer and weighted sets of two). The real `lbctl` binary then runs,
//! through `support::proxy` (40 ms per call, AWS's rate buckets and their
//! throttling errors):
//!
//! - a no-change `plan`, several times, each through a fresh proxy (full
//!   buckets, as for a user who plans now and then);
//! - an `apply` of a spec with a known number of plan steps of changes,
//!   then a `plan` that must be empty.
//!
//! For each run it prints wall time, API calls per operation, throttles and
//! peak memory (the child's `ru_maxrss`, from `wait4`), and compares the
//! calls with the minimum the spec needs and the wall time with the
//! rate-limit floor. Timings are printed, never asserted. What is asserted:
//! every plan exits 0 (zero failed runs), nobody sees a throttling error,
//! the calls stay within 1.1x the minimum, the apply converges.
//!
//! `LBCTL_BENCH_SCALE=full` (what `scripts/bench.sh` sets) runs the issue's
//! size: 50 load balancers, 200 target groups, 2,000 targets, a zone of
//! 5,000+ records of which 1,000 are managed, 10 plans and an apply of 100
//! changes. Without it, a small size keeps the suite short.

use crate::support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::proxy::{Config, Counts, Proxy};
use support::Moto;

/// Added to every call by the proxy.
const LATENCY: Duration = Duration::from_millis(40);
/// The proxy's ELBv2 Describe* bucket: burst and refill per second.
const ELB_DESCRIBE: (f64, f64) = (40.0, 10.0);
/// The proxy's Route 53 bucket (account-wide).
const ROUTE53: (f64, f64) = (5.0, 5.0);
/// The proxy's EC2 Describe* bucket.
const EC2_DESCRIBE: (f64, f64) = (100.0, 20.0);
/// Records per ListResourceRecordSets page (the API's maximum).
const RECORDS_PAGE: usize = 300;
/// Load balancers and target groups per Describe* page, tags per DescribeTags.
const ELB_PAGE: usize = 400;
const TAGS_BATCH: usize = 20;

/// The size of the account and of the runs.
#[derive(Debug, Clone, Copy)]
struct Scale {
    name: &'static str,
    lbs: usize,
    tgs_per_lb: usize,
    targets_per_tg: usize,
    /// Weighted sets of two members the spec manages.
    weighted: usize,
    /// Records in the zone the spec does not manage.
    unmanaged: usize,
    plans: usize,
    /// Plan steps of changes in the applied spec.
    changes: usize,
}

const FULL: Scale = Scale {
    name: "full",
    lbs: 50,
    tgs_per_lb: 4,
    targets_per_tg: 10,
    weighted: 475,
    unmanaged: 4000,
    plans: 10,
    changes: 100,
};

const SMALL: Scale = Scale {
    name: "small",
    lbs: 8,
    tgs_per_lb: 3,
    targets_per_tg: 5,
    weighted: 20,
    unmanaged: 300,
    plans: 2,
    changes: 12,
};

impl Scale {
    fn from_env() -> Scale {
        match std::env::var("LBCTL_BENCH_SCALE").as_deref() {
            Ok("full") => FULL,
            Ok("small") | Ok("") | Err(_) => SMALL,
            Ok(other) => panic!("LBCTL_BENCH_SCALE={other}: use `full` or `small`"),
        }
    }

    fn tgs(&self) -> usize {
        self.lbs * self.tgs_per_lb
    }

    /// Record sets the spec manages: an alias per load balancer and two per
    /// weighted set.
    fn managed_records(&self) -> usize {
        self.lbs + 2 * self.weighted
    }

    /// The calls a no-change plan cannot do without, by service, for a
    /// zone of `zone_records` records. Every load balancer has one
    /// listener (so one DescribeRules and one DescribeListenerAttributes);
    /// the target groups, their attributes
    /// and health must each be read; three EC2 selectors (VPC, subnets,
    /// security groups); the account's hosted zones are listed (one page),
    /// their tags read (one call per ten zones; moto holds fewer), the
    /// stack's health checks listed (its zone is tagged for it; there are
    /// none to read tags of), and the zone read whole, since the owned
    /// names are spread through it.
    fn minimum(&self, zone_records: usize) -> BTreeMap<&'static str, usize> {
        let elb = self.lbs.div_ceil(ELB_PAGE)
            + self.tgs().div_ceil(ELB_PAGE)
            + (self.lbs + self.tgs()).div_ceil(TAGS_BATCH)
            + 4 * self.lbs
            + 2 * self.tgs();
        BTreeMap::from([
            ("elbv2", elb),
            ("ec2", 3),
            ("route53", 3 + zone_records.div_ceil(RECORDS_PAGE)),
        ])
    }

    /// The shortest time AWS's buckets allow for `minimum` calls, and the
    /// bucket that sets it.
    fn rate_floor(&self, minimum: &BTreeMap<&'static str, usize>) -> (Duration, &'static str) {
        let floor =
            |calls: usize, (burst, rate): (f64, f64)| (calls as f64 - burst).max(0.0) / rate;
        [
            ("elbv2", floor(minimum["elbv2"], ELB_DESCRIBE)),
            ("route53", floor(minimum["route53"], ROUTE53)),
            ("ec2", floor(minimum["ec2"], EC2_DESCRIBE)),
        ]
        .into_iter()
        .map(|(service, s)| (Duration::from_secs_f64(s), service))
        .max()
        .expect("three buckets")
    }
}

/// One run of the binary.
struct Run {
    code: Option<i32>,
    wall: Duration,
    /// Peak resident set size in bytes.
    peak: u64,
    stdout: String,
    stderr: String,
}

/// Runs `cmd` to the end and measures it; stdout and stderr go to files so
/// a large output never blocks the child.
fn measure(mut cmd: Command) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (out, err) = (dir.path().join("stdout"), dir.path().join("stderr"));
    cmd.stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    let started = Instant::now();
    // Reaped by `wait4`, which also gives the resource usage.
    #[allow(clippy::zombie_processes)]
    let child = cmd.spawn().expect("spawn lbctl");
    let (code, peak) = wait4(child.id());
    let wall = started.elapsed();
    Run {
        code,
        wall,
        peak,
        stdout: std::fs::read_to_string(out).unwrap(),
        stderr: std::fs::read_to_string(err).unwrap(),
    }
}

/// Waits for `pid` and returns its exit code and peak RSS in bytes
/// (`std::process::Child::wait` does not give the resource usage).
fn wait4(pid: u32) -> (Option<i32>, u64) {
    let mut status = 0;
    // SAFETY: plain libc call on a zeroed, owned struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our own unwaited child; pointers are to locals.
    let waited = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid as libc::pid_t, "wait4 failed");
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Linux reports kilobytes.
    (code, usage.ru_maxrss as u64 * 1024)
}

/// Writes the generated spec (`changes` plan steps away from the base).
fn generate(scale: &Scale, changes: usize, path: &Path) {
    let out = Command::new(support::python())
        .arg(support::repo_root().join("scripts/gen_large_spec.py"))
        .args(["--lbs", &scale.lbs.to_string()])
        .args(["--tgs-per-lb", &scale.tgs_per_lb.to_string()])
        .args(["--targets", &scale.targets_per_tg.to_string()])
        .args(["--zone", "example.com"])
        .args(["--weighted", &scale.weighted.to_string()])
        .args(["--changes", &changes.to_string()])
        .output()
        .expect("run gen_large_spec.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(path, &out.stdout).unwrap();
}

/// Record sets in the zone, read with the SDK.
fn zone_records(moto: &Moto) -> usize {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sets = rt.block_on(moto.record_sets("example.com"));
    // moto repeats a record where a page ends inside a weighted set.
    let keys: std::collections::BTreeSet<_> = sets
        .iter()
        .map(|r| (r.name(), r.r#type().as_str(), r.set_identifier()))
        .collect();
    keys.len()
}

/// Calls moto answered, by service (`elbv2`, `ec2`, `route53`).
fn answered_by_service(counts: &Counts) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for (action, n) in &counts.calls {
        let throttled = counts.throttled.get(action).copied().unwrap_or(0);
        let service = action.split(':').next().unwrap_or("").to_string();
        *out.entry(service).or_default() += n - throttled;
    }
    out
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The machine the figures come from.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or("?".into(), |kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0));
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    format!("{cpu}, {cores} cores, {mem} RAM; lbctl {profile} build")
}

fn no_throttling_shown(run: &Run, what: &str) {
    for word in ["Throttling", "Rate exceeded", "RequestLimitExceeded"] {
        assert!(
            !run.stderr.contains(word),
            "{what}: `{word}` shown to the user:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_large_account_plans_within_the_minimum_calls_and_an_apply_of_changes_converges() {
    let scale = Scale::from_env();
    let moto = Moto::start();
    moto.seed();
    moto.script(
        "seed_records.py",
        &[
            "--zone",
            "example.com",
            "--count",
            &scale.unmanaged.to_string(),
        ],
    );
    let dir = tempfile::tempdir().unwrap();
    let (base, changed) = (
        dir.path().join("base.yaml"),
        dir.path().join("changed.yaml"),
    );
    generate(&scale, 0, &base);
    generate(&scale, scale.changes, &changed);

    // The account is built straight against moto; only what follows is measured.
    let mut setup = moto.command();
    setup
        .args(["apply", "--auto-approve", "--quiet", "-f"])
        .arg(&base);
    let initial = measure(setup);
    assert_eq!(initial.code, Some(0), "initial apply:\n{}", initial.stderr);
    let records = zone_records(&moto);
    let minimum = scale.minimum(records);
    let min_total: usize = minimum.values().sum();
    let (floor, bucket) = scale.rate_floor(&minimum);

    let mut report = String::new();
    writeln!(
        report,
        "scale `{}`: {} load balancers, {} target groups, {} targets; zone of {records} \
         record sets, {} managed by the spec ({} unmanaged, the rest ownership TXT and SOA/NS)",
        scale.name,
        scale.lbs,
        scale.tgs(),
        scale.tgs() * scale.targets_per_tg,
        scale.managed_records(),
        scale.unmanaged,
    )
    .unwrap();
    writeln!(report, "machine: {}", machine()).unwrap();
    writeln!(
        report,
        "network: proxy with {} ms latency per call, ELBv2 Describe* bucket {}/{} per s, \
         Route 53 {}/s",
        LATENCY.as_millis(),
        ELB_DESCRIBE.0,
        ELB_DESCRIBE.1,
        ROUTE53.1
    )
    .unwrap();
    writeln!(
        report,
        "initial apply straight against moto (not measured through the proxy): {:.1} s, \
         peak {:.1} MiB",
        secs(initial.wall),
        mib(initial.peak)
    )
    .unwrap();
    writeln!(
        report,
        "minimum calls for a no-change plan: {min_total} {minimum:?}; rate-limit floor \
         {:.1} s (set by the {bucket} bucket)",
        secs(floor)
    )
    .unwrap();

    // No-change plans, each through a fresh proxy.
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    let mut first_counts = None;
    for i in 1..=scale.plans {
        let proxy = Proxy::start(moto.port(), Config::new().latency(LATENCY).throttled());
        let mut cmd = moto.command();
        cmd.env("AWS_ENDPOINT_URL", proxy.endpoint())
            .args(["plan", "--detailed-exitcode", "-f"])
            .arg(&base);
        let run = measure(cmd);
        let counts = proxy.counts();
        assert_eq!(
            run.code,
            Some(0),
            "no-change plan {i} failed or shows changes:\n{}\n{}\n{counts}",
            run.stdout,
            run.stderr
        );
        no_throttling_shown(&run, &format!("plan {i}"));
        let answered = counts.total() - counts.total_throttled();
        writeln!(
            report,
            "plan {i:>2}: {:>6.1} s ({:.2}x floor), {} calls answered ({:.2}x minimum), \
             {} throttled and retried, peak {:.1} MiB",
            secs(run.wall),
            secs(run.wall) / secs(floor).max(f64::EPSILON),
            answered,
            answered as f64 / min_total as f64,
            counts.total_throttled(),
            mib(run.peak)
        )
        .unwrap();
        assert!(
            answered as f64 <= 1.1 * min_total as f64,
            "plan {i} made {answered} calls, more than 1.1x the minimum {min_total}:\n{counts}\n\
             by service: {:?} vs minimum {minimum:?}",
            answered_by_service(&counts)
        );
        walls.push(run.wall);
        peaks.push(run.peak);
        first_counts.get_or_insert(counts);
    }
    walls.sort();
    writeln!(
        report,
        "no-change plan over {} runs: 0 failed, wall min {:.1} s / median {:.1} s / max {:.1} s, \
         peak memory max {:.1} MiB",
        walls.len(),
        secs(walls[0]),
        secs(walls[walls.len() / 2]),
        secs(walls[walls.len() - 1]),
        mib(peaks.iter().copied().max().unwrap_or(0))
    )
    .unwrap();
    if let Some(counts) = first_counts {
        writeln!(report, "calls of plan 1 by operation:\n{counts}").unwrap();
    }

    // An apply of a known number of changes, then an empty plan.
    let out = moto
        .lbctl()
        .args(["plan", "--output", "json", "-f"])
        .arg(&changed)
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "plan --output json ({e}):\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let steps = plan["steps"].as_array().map_or(0, Vec::len);
    assert_eq!(
        steps, scale.changes,
        "the changed spec should be {} plan steps away:\n{plan:#}",
        scale.changes
    );
    let proxy = Proxy::start(moto.port(), Config::new().latency(LATENCY).throttled());
    let mut cmd = moto.command();
    cmd.env("AWS_ENDPOINT_URL", proxy.endpoint())
        .args(["apply", "--auto-approve", "-f"])
        .arg(&changed);
    let run = measure(cmd);
    let counts = proxy.counts();
    assert_eq!(
        run.code,
        Some(0),
        "apply of {steps} changes failed:\n{}\n{}\n{counts}",
        run.stdout,
        run.stderr
    );
    no_throttling_shown(&run, "apply");
    writeln!(
        report,
        "apply of {steps} changes: {:.1} s, {} calls answered, {} throttled and retried, \
         peak {:.1} MiB\n{counts}",
        secs(run.wall),
        counts.total() - counts.total_throttled(),
        counts.total_throttled(),
        mib(run.peak)
    )
    .unwrap();
    support::assert_converged(&moto, &changed);
    eprintln!("\n{report}");
}
