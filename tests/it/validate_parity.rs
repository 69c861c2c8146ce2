//! Specs AWS rejects half-way through an apply are refused by `lbctl
//! validate` before any AWS call: each fixture in `tests/fixtures/parity/`
//! has one such problem, marked `# error` on its line; the table pairs it
//! with its place (line:column), message and hint. One file with all of
//! them reports them all in one run.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/parity")
        .join(format!("{name}.yaml"))
}

/// `lbctl validate -f FILE`: exit code and stderr. No endpoint or
/// credentials are set: a call to AWS could not succeed.
fn validate(file: &Path) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lbctl"))
        .args(["validate", "-f"])
        .arg(file)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (fixture, line, column, message, hint), in the order of the issue.
const CASES: &[(&str, usize, usize, &str, &str)] = &[
    (
        "app_cookie_reserved",
        9,
        67,
        "cookie name `AWSALBAPP-session` starts with `AWSALBAPP`, which AWS reserves",
        "choose a name that does not start with `AWSALB`, `AWSALBAPP` or `AWSALBTG`",
    ),
    (
        "interval_without_timeout",
        9,
        17,
        "health check interval (5 s) needs a timeout below it, but AWS's default timeout for HTTP target groups is 5 s",
        "set `timeout` below the interval, e.g. `timeout: 4`",
    ),
    (
        "lambda_timeout_default_interval",
        8,
        16,
        "health check timeout (40 s) must be less than AWS's default interval for lambda target groups (35 s)",
        "lower `timeout`, or set `interval` above 40",
    ),
    (
        "geneve_matcher",
        11,
        16,
        "invalid health check matcher `200-499`: HTTP codes must be 200..399 for GENEVE target groups",
        "write codes or ranges",
    ),
    (
        "grpc_matcher",
        10,
        16,
        "invalid health check matcher `0-100`: gRPC codes must be 0..99",
        "write codes or ranges such as `12` or `0-99`",
    ),
    (
        "udp_preserve_client_ip",
        10,
        27,
        "client IP preservation cannot be turned off for UDP target groups",
        "remove `preserve_client_ip: false`",
    ),
    (
        "extra_unknown_key",
        10,
        9,
        "unknown target group attribute `target_group_health.dns_failover.minimum_healthy_target.count`",
        "did you mean `target_group_health.dns_failover.minimum_healthy_targets.count`? keys AWS takes for HTTP target groups: `deregistration_delay.timeout_seconds`",
    ),
    (
        "extra_wrong_type",
        9,
        9,
        "attribute `client_keep_alive.seconds` only applies to load balancers of type `application`, not `network`",
        "remove it from `extra`",
    ),
    (
        "extra_out_of_range",
        9,
        51,
        "attribute `secondary_ips.auto_assigned.per_subnet` must be an integer from 0 to 7, not `9`",
        "set `secondary_ips.auto_assigned.per_subnet` to an integer from 0 to 7",
    ),
    (
        "draining_interval_range",
        10,
        19,
        "unhealthy draining interval (400000 s) must be between 0 and 360000 s",
        "set `interval` to 0..360000 seconds",
    ),
    (
        "extra_not_a_bool",
        8,
        47,
        "attribute `routing.http.x_amzn_tls_kx.enabled` must be `true` or `false`, not `yes`",
        "set `routing.http.x_amzn_tls_kx.enabled` to `true` or `false`",
    ),
    (
        "target_failover_differ",
        11,
        23,
        "`target_failover.on_deregistration` (`rebalance`) and `target_failover.on_unhealthy` (`no_rebalance`) must be the same",
        "AWS sets both together; give both `rebalance` or both `no_rebalance`",
    ),
    (
        "lambda_deregistration_delay",
        7,
        29,
        "`deregistration_delay` only applies to target groups of instances, IPs and load balancers, not lambda target groups",
        "remove `deregistration_delay`",
    ),
    (
        "extra_typed_key",
        8,
        9,
        "`extra` key `idle_timeout.timeout_seconds` is what `attributes.idle_timeout` sets",
        "remove it from `extra` and write `idle_timeout` under `attributes`",
    ),
    (
        "extra_new_typed_key",
        8,
        9,
        "`extra` key `client_keep_alive.seconds` is what `attributes.client_keep_alive` sets",
        "remove it from `extra` and write `client_keep_alive` under `attributes`",
    ),
    (
        "routing_policy_on_alb",
        7,
        34,
        "`dns_client_routing_policy` only applies to network load balancers",
        "remove `dns_client_routing_policy`",
    ),
    (
        "keep_alive_range",
        7,
        26,
        "client keep-alive (30 s) must be between 60 and 604800 s",
        "set `client_keep_alive` to 60..604800 seconds",
    ),
    (
        "ipv6_only_internal",
        6,
        22,
        "`dualstack-without-public-ipv4` only applies to internet-facing load balancers",
        "use `ip_address_type: dualstack` for an internal load balancer",
    ),
    (
        "ipam_pool_on_nlb",
        6,
        16,
        "`ipam_pool` only applies to application load balancers",
        "remove `ipam_pool`",
    ),
];

#[test]
fn each_spec_aws_rejects_fails_validate_at_its_place_with_a_hint() {
    let mut failures = Vec::new();
    for (name, line, col, message, hint) in CASES {
        let file = fixture(name);
        let text = std::fs::read_to_string(&file).unwrap();
        let marked = text.lines().position(|l| l.contains("# error")).unwrap() + 1;
        assert_eq!(
            marked, *line,
            "{name}: the table's line is not the marked one"
        );
        let (code, stderr) = validate(&file);
        let place = format!("{}:{line}:{col}: ", file.display());
        let ok = code == Some(1)
            && stderr.contains(&place)
            && stderr.contains(message)
            && stderr.contains(&format!("hint: {hint}"))
            && stderr.contains("1 problem in the spec; nothing was changed");
        if !ok {
            failures.push(format!(
                "{name}: want exit 1, `{place}`, `{message}`, `hint: {hint}`; got {code:?}:\n{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_parity_fixture_is_in_the_table() {
    for entry in std::fs::read_dir(fixture("x").parent().unwrap()).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(
            CASES.iter().any(|c| c.0 == stem),
            "fixture {stem}.yaml is not in the table"
        );
    }
}

/// All the problems at once: one run reports every one of them.
#[test]
fn one_spec_with_every_problem_reports_them_all() {
    let spec = "version: 1\nstack: parity\ntarget_groups:\n  \
        web:\n    protocol: HTTP\n    port: 80\n    vpc: vpc-0abc\n    \
        health_check: { interval: 5 }\n    \
        attributes:\n      stickiness: { type: app_cookie, cookie_name: AWSALB }\n      \
        extra: { \"slow_start.duration_secs\": \"30\" }\n  \
        dns:\n    protocol: UDP\n    port: 53\n    vpc: vpc-0abc\n    \
        attributes: { preserve_client_ip: false }\n  \
        gw:\n    protocol: GENEVE\n    port: 6081\n    vpc: vpc-0abc\n    \
        health_check: { protocol: HTTP, matcher: \"200-404\" }\n    \
        attributes: { target_failover: { on_unhealthy: rebalance } }\n\
        load_balancers:\n  edge:\n    type: network\n    subnets: [subnet-0aaa]\n    \
        attributes: { extra: { \"client_keep_alive.seconds\": \"3600\", \"secondary_ips.auto_assigned.per_subnet\": \"on\" } }\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spec.yaml");
    std::fs::write(&file, spec).unwrap();
    let (code, stderr) = validate(&file);
    assert_eq!(code, Some(1), "{stderr}");
    for (line, message) in [
        (8, "health check interval (5 s) needs a timeout below it"),
        (10, "cookie name `AWSALB` starts with `AWSALB`"),
        (
            11,
            "unknown target group attribute `slow_start.duration_secs`",
        ),
        (16, "client IP preservation cannot be turned off"),
        (21, "invalid health check matcher `200-404`"),
        (
            22,
            "`target_failover` needs both `on_deregistration` and `on_unhealthy`",
        ),
        (
            27,
            "`client_keep_alive.seconds` only applies to load balancers of type",
        ),
        (
            27,
            "`secondary_ips.auto_assigned.per_subnet` must be an integer from 0 to 7, not `on`",
        ),
    ] {
        let found = stderr
            .lines()
            .any(|l| l.contains(&format!("spec.yaml:{line}:")) && l.contains(message));
        assert!(found, "no `{message}` at line {line} in:\n{stderr}");
    }
    assert!(stderr.contains("8 problems in the spec"), "{stderr}");
}
