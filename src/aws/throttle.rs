//! Client-side rate limiting: lbctl paces its own calls to AWS's documented
//! request buckets, so a large account is read at the highest rate AWS
//! allows instead of being throttled and backing off.
//!
//! AWS throttles per account and region with token buckets: ELBv2
//! non-mutating calls (Describe*) share a bucket of 40 refilled at 10 per
//! second, RegisterTargets/DeregisterTargets have 20 at 4 per second, Route
//! 53 allows 5 requests per second per account, EC2 non-mutating calls 100
//! at 20 per second. A client that sends faster than that gets
//! `Throttling` errors and the SDK's exponential backoff (up to 20 s per
//! retry), so an unpaced plan of a large account takes far longer than the
//! buckets allow. The AWS Load Balancer Controller paces its ELBv2 calls the
//! same way by default (`--aws-api-throttle`).
//!
//! Each bucket here starts full, keeps a small reserve below AWS's burst
//! (calls from other clients and network jitter then do not tip AWS's
//! bucket over), and hands out future slots at the refill rate: a call
//! waits for its slot, then goes out. The SDK's adaptive retry stays behind
//! it for throttling that still happens (other tools using the same
//! account). `--api-throttle` (or `LBCTL_API_THROTTLE`) sets other rates
//! for accounts whose limits AWS has raised, or turns pacing `off`.
//!
//! [`Limiter::acquire`] is awaited by the HTTP connector wrapper in
//! `client`, which learns the operation from a request extension set by an
//! interceptor; nothing else in lbctl sees this.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The default rules, in the `--api-throttle` format.
pub const DEFAULT: &str = "elbv2:RegisterTargets|DeregisterTargets=4:20,elbv2:Describe*=10:40,\
                           elbv2=10:40,route53=5:5,ec2:Describe*=20:100";

/// The services lbctl calls, as named in `--api-throttle`.
const SERVICES: [&str; 4] = ["elbv2", "route53", "ec2", "ssm"];

/// One `SERVICE[:OP|OP*...]=RATE:BURST` rule.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    service: String,
    /// Operation names; a trailing `*` matches a prefix. Empty: every
    /// operation of the service no earlier rule took.
    operations: Vec<String>,
    /// Calls per second.
    rate: f64,
    /// AWS's bucket size.
    burst: f64,
}

impl Rule {
    fn matches(&self, service: &str, operation: &str) -> bool {
        self.service == service
            && (self.operations.is_empty()
                || self.operations.iter().any(|o| match o.strip_suffix('*') {
                    Some(prefix) => operation.starts_with(prefix),
                    None => o == operation,
                }))
    }

    fn key(&self) -> (String, Vec<String>) {
        (self.service.clone(), self.operations.clone())
    }
}

/// The pacing rules in effect, parsed from `--api-throttle`.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    /// Rules with operations come before service-wide ones; the first
    /// match wins.
    rules: Vec<Rule>,
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        RateLimits::parse(DEFAULT).expect("the default rules parse")
    }
}

impl RateLimits {
    /// No pacing at all.
    pub fn off() -> RateLimits {
        RateLimits { rules: Vec::new() }
    }

    /// The default rules with `text`'s rules replacing those for the same
    /// service and operations (`off` turns all pacing off).
    pub fn with_overrides(text: &str) -> Result<RateLimits, String> {
        if text.trim() == "off" {
            return Ok(RateLimits::off());
        }
        let mut limits = RateLimits::default();
        for rule in RateLimits::parse(text)?.rules {
            limits.rules.retain(|r| r.key() != rule.key());
            limits.rules.push(rule);
        }
        limits.order();
        Ok(limits)
    }

    fn parse(text: &str) -> Result<RateLimits, String> {
        let mut rules = Vec::new();
        for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            rules.push(parse_rule(entry)?);
        }
        let mut limits = RateLimits { rules };
        limits.order();
        Ok(limits)
    }

    /// Operation-specific rules first, keeping their order otherwise.
    fn order(&mut self) {
        self.rules.sort_by_key(|r| r.operations.is_empty());
    }

    fn rule_for(&self, service: &str, operation: &str) -> Option<usize> {
        self.rules
            .iter()
            .position(|r| r.matches(service, operation))
    }
}

fn parse_rule(entry: &str) -> Result<Rule, String> {
    let bad = |why: &str| {
        format!(
            "`{entry}`: {why}; expected SERVICE[:OPERATION|...]=RATE:BURST, e.g. \
             `elbv2:Describe*=20:80` (services: {})",
            SERVICES.join(", ")
        )
    };
    let (target, numbers) = entry.split_once('=').ok_or_else(|| bad("no `=`"))?;
    let (service, operations) = match target.split_once(':') {
        Some((s, ops)) => (s.trim(), ops.split('|').map(str::trim).collect()),
        None => (target.trim(), Vec::new()),
    };
    if !SERVICES.contains(&service) {
        return Err(bad(&format!("unknown service `{service}`")));
    }
    if operations.iter().any(|o: &&str| o.is_empty()) {
        return Err(bad("an empty operation name"));
    }
    let (rate, burst) = numbers
        .split_once(':')
        .ok_or_else(|| bad("no `:` between rate and burst"))?;
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    let rate = number(rate)
        .filter(|r| *r > 0.0)
        .ok_or_else(|| bad("the rate is not a positive number"))?;
    let burst = number(burst)
        .filter(|b| *b >= 1.0)
        .ok_or_else(|| bad("the burst is not a number of at least 1"))?;
    Ok(Rule {
        service: service.to_string(),
        operations: operations.into_iter().map(str::to_string).collect(),
        rate,
        burst,
    })
}

/// A token bucket that hands out future slots.
#[derive(Debug)]
struct Bucket {
    /// May go below zero: each waiting call holds a slot in the future.
    tokens: f64,
    capacity: f64,
    rate: f64,
    last: Instant,
}

impl Bucket {
    fn new(rule: &Rule, now: Instant) -> Bucket {
        // Keep a tenth of AWS's burst (at least one call) in reserve.
        let capacity = (rule.burst - (rule.burst / 10.0).max(1.0)).max(1.0);
        Bucket {
            tokens: capacity,
            capacity,
            rate: rule.rate,
            last: now,
        }
    }

    /// Takes a token and returns how long to wait before using it.
    fn reserve(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        self.last = now.max(self.last);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

/// Paces calls by [`RateLimits`]; shared by every client of one run.
#[derive(Debug)]
pub struct Limiter {
    limits: RateLimits,
    buckets: Vec<Mutex<Bucket>>,
}

impl Limiter {
    pub fn new(limits: RateLimits) -> Limiter {
        let now = Instant::now();
        let buckets = limits
            .rules
            .iter()
            .map(|r| Mutex::new(Bucket::new(r, now)))
            .collect();
        Limiter { limits, buckets }
    }

    /// How long a call of `operation` on `service` must wait for its slot
    /// (taking the slot).
    pub fn reserve(&self, service: &str, operation: &str) -> Duration {
        let Some(i) = self.limits.rule_for(service, operation) else {
            return Duration::ZERO;
        };
        match self.buckets[i].lock() {
            Ok(mut bucket) => bucket.reserve(Instant::now()),
            Err(_) => Duration::ZERO,
        }
    }

    /// Waits for a slot for one call.
    pub async fn acquire(&self, service: &str, operation: &str) {
        let wait = self.reserve(service, operation);
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_match_aws_buckets_and_specific_rules_win() {
        let limits = RateLimits::default();
        let rule = |s, o| &limits.rules[limits.rule_for(s, o).unwrap()];
        assert_eq!(rule("elbv2", "RegisterTargets").rate, 4.0);
        assert_eq!(rule("elbv2", "DescribeTargetHealth").burst, 40.0);
        assert_eq!(
            rule("elbv2", "ModifyListener").operations,
            Vec::<String>::new()
        );
        assert_eq!(rule("route53", "ListResourceRecordSets").rate, 5.0);
        assert!(limits.rule_for("ec2", "CreateTags").is_none());
        assert!(limits.rule_for("ssm", "GetParameters").is_none());
    }

    #[test]
    fn overrides_replace_the_same_rule_and_off_turns_pacing_off() {
        let limits = RateLimits::with_overrides("elbv2:Describe*=50:200, ssm=40:40").unwrap();
        let i = limits.rule_for("elbv2", "DescribeRules").unwrap();
        assert_eq!((limits.rules[i].rate, limits.rules[i].burst), (50.0, 200.0));
        assert_eq!(
            limits.rules.iter().filter(|r| r.service == "elbv2").count(),
            3
        );
        assert!(limits.rule_for("ssm", "GetParameters").is_some());
        assert_eq!(
            RateLimits::with_overrides("off").unwrap(),
            RateLimits::off()
        );
        let limiter = Limiter::new(RateLimits::off());
        for _ in 0..1000 {
            assert_eq!(limiter.reserve("elbv2", "DescribeRules"), Duration::ZERO);
        }
    }

    #[test]
    fn bad_rules_say_what_is_wrong() {
        for (text, why) in [
            ("elbv2", "no `=`"),
            ("s3=1:1", "unknown service `s3`"),
            ("elbv2=10", "no `:`"),
            ("elbv2=0:10", "positive"),
            ("elbv2=10:0", "at least 1"),
            ("elbv2:=1:1", "empty operation"),
        ] {
            let err = RateLimits::with_overrides(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
            assert!(err.contains("SERVICE[:OPERATION|...]=RATE:BURST"), "{err}");
        }
    }

    #[test]
    fn a_bucket_lets_the_burst_through_then_paces_at_the_rate() {
        let rule = parse_rule("elbv2=10:40").unwrap();
        let t0 = Instant::now();
        let mut bucket = Bucket::new(&rule, t0);
        // 40 less the reserve of 4 go out at once.
        for _ in 0..36 {
            assert_eq!(bucket.reserve(t0), Duration::ZERO);
        }
        // Then one slot every 100 ms, handed out in order.
        for n in 1..=20u32 {
            let wait = bucket.reserve(t0);
            assert!(
                (wait.as_secs_f64() - f64::from(n) * 0.1).abs() < 1e-9,
                "call {n} waits {wait:?}"
            );
        }
        // Two seconds later, the 20 reserved slots are used up: nothing is spare.
        let later = t0 + Duration::from_secs(2);
        let wait = bucket.reserve(later);
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        // After a long pause the bucket is full again, up to its capacity only.
        let idle = later + Duration::from_secs(60);
        for _ in 0..36 {
            assert_eq!(bucket.reserve(idle), Duration::ZERO);
        }
        assert!(bucket.reserve(idle) > Duration::ZERO);
    }
}
