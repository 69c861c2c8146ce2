//! Invalid spec files: each fixture in `tests/fixtures/invalid/` has one
//! problem, marked `# error` on its line; the table below pairs it with
//! the expected message and line. Also: one file with three problems
//! reports all three, several files merge (or clash), and selector
//! cardinality and hosted zones are checked by `Spec::to_model`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use lbctl::spec::{load, Diagnostic, Resolved};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid")
        .join(name)
}

/// (fixture without `.yaml`, expected message substring, expected line)
const CASES: &[(&str, &str, usize)] = &[
    (
        "unknown_key",
        "target group `web`: unknown key `helth_check`",
        8,
    ),
    ("bad_version", "unsupported spec version `2`", 1),
    ("missing_version", "missing `version: 1`", 1),
    ("missing_stack", "no file gives `stack`", 1),
    ("bad_stack", "stack name `Web_Prod` is not valid", 2),
    ("ssm_parameter", "is not a valid SSM parameter name", 4),
    ("unknown_parameter", "unknown parameter `prot`", 8),
    ("yaml_syntax", "invalid YAML", 6),
    (
        "tg_name_too_long",
        "target group name must be 1 to 32 characters",
        4,
    ),
    ("lb_internal_name", "may not start with `internal-`", 4),
    ("bad_protocol", "unknown protocol `HTTP3`", 5),
    ("missing_port", "`port` is required", 4),
    ("missing_vpc", "`vpc` is required", 4),
    ("port_out_of_range", "port 70000 is out of range", 6),
    (
        "hc_timeout_not_below_interval",
        "health check timeout (10 s) must be less than interval (10 s)",
        10,
    ),
    (
        "hc_interval_range",
        "health check interval (1 s) must be between 5 and 300 s",
        9,
    ),
    (
        "hc_path_no_slash",
        "health check path `health` must start with `/`",
        9,
    ),
    ("hc_matcher", "invalid health check matcher `200-600`", 9),
    (
        "hc_path_on_tcp",
        "`path` only applies to HTTP and HTTPS health checks",
        10,
    ),
    (
        "hc_protocol_for_http_tg",
        "health check protocol TCP cannot be used with HTTP target groups",
        9,
    ),
    (
        "threshold_range",
        "health check healthy threshold (11) must be between 2 and 10",
        9,
    ),
    (
        "slow_start_range",
        "slow start (10 s) must be 0 or between 30 and 900 s",
        9,
    ),
    ("bad_duration", "invalid duration `5x`", 9),
    (
        "lb_cookie_on_tcp",
        "stickiness type `lb_cookie` cannot be used with TCP target groups",
        9,
    ),
    (
        "app_cookie_without_name",
        "`app_cookie` stickiness needs `cookie_name`",
        9,
    ),
    (
        "anomaly_without_weighted_random",
        "`anomaly_mitigation` needs `algorithm: weighted_random`",
        10,
    ),
    (
        "proxy_protocol_on_http",
        "`proxy_protocol_v2` only applies to TCP, TLS, UDP, TCP_UDP, QUIC and TCP_QUIC target groups",
        9,
    ),
    (
        "instance_selector_target",
        "instance selectors need target type `instance` or `ip`, not `lambda`",
        8,
    ),
    (
        "instance_selector_alb",
        "instance selectors need target type `instance` or `ip`, not `alb`",
        11,
    ),
    (
        "instance_selector_without_tags",
        "an instance selector needs `tags`",
        10,
    ),
    (
        "bad_instance_id",
        "target `10.0.0.1` is not an instance ID",
        10,
    ),
    ("alb_cross_zone", "ALB is always cross-zone", 7),
    (
        "alb_one_subnet",
        "an application load balancer needs at least two subnets",
        5,
    ),
    (
        "gateway_internet_facing",
        "a gateway load balancer is always internal",
        6,
    ),
    (
        "https_without_certificate",
        "HTTPS listeners need `certificates`",
        12,
    ),
    (
        "duplicate_listener_port",
        "listener port 80 is used twice",
        15,
    ),
    (
        "undefined_target_group",
        "target group `web-blu` is not defined in the spec",
        14,
    ),
    (
        "duplicate_priority",
        "priority 10 is already used by rule #0",
        17,
    ),
    ("rule_without_condition", "a rule needs `conditions`", 16),
    ("bad_http_method", "HTTP method `get` may only use A-Z", 18),
    ("bad_source_ip", "`10.0.0.0/40` is not a CIDR block", 18),
    ("action_two_keys", "an action takes exactly one of", 14),
    ("redirect_status", "invalid redirect status `308`", 10),
    (
        "fixed_response_content_type",
        "unknown content type `text/xml`",
        10,
    ),
    (
        "weights_out_of_range",
        "weight (1000) must be between 0 and 999",
        17,
    ),
    (
        "tcp_tg_on_alb",
        "target group `tcp` (TCP) cannot be used by application load balancers",
        14,
    ),
    (
        "rules_on_nlb",
        "`rules` only applies to listeners of application load balancers",
        16,
    ),
    (
        "udp_listener_to_tcp_tg",
        "UDP listeners cannot forward to target group `tcp` (TCP)",
        15,
    ),
    (
        "redirect_on_nlb",
        "`redirect` actions need an application load balancer",
        10,
    ),
    (
        "alpn_on_https",
        "`alpn_policy` only applies to TLS listeners",
        15,
    ),
    ("reserved_stack_tag", "tag key `lbctl:stack` is reserved", 9),
    ("aws_tag", "tag key `aws:owner` is reserved by AWS", 9),
    (
        "gateway_two_listeners",
        "a gateway load balancer has at most one listener",
        7,
    ),
    // Route 53 (`dns:`)
    ("dns_weight_range", "weight (256) must be between 0 and 255", 9),
    ("dns_duplicate_set_id", "set identifier `blue` is used twice in this record set", 10),
    ("dns_alias_with_values", "`alias` and `values` cannot be given together", 12),
    ("dns_ttl_on_alias", "`ttl` cannot be set on an alias record: alias records take the target's TTL", 11),
    ("dns_cname_at_apex", "a CNAME record cannot be at the zone apex", 6),
    ("dns_failover_without_primary", "failover needs a `primary`", 8),
    ("dns_failover_without_secondary", "failover needs a `secondary`", 8),
    ("dns_name_outside_zone", "record name `www.example.org.` is not in zone `example.com.`", 6),
    ("dns_relative_name_with_zone", "record name `www.example.com` is relative, so it stands for `www.example.com.example.com.`", 6),
    ("dns_cname_beside_a", "`www.example.com.` has records of type CNAME and A", 8),
    ("dns_duplicate_record", "`www.example.com. A` is listed twice in zone `example.com.`", 7),
    ("dns_duplicate_zone", "zone `example.com.` is listed twice", 7),
    ("dns_undefined_load_balancer", "load balancer `wbe` is not defined in the spec", 11),
    ("dns_lb_alias_type", "an alias to a load balancer must be an A or AAAA record, not CNAME", 10),
    ("dns_alias_ns", "an alias record cannot have type NS", 7),
    ("dns_alias_without_zone_id", "`dns_name` needs `hosted_zone_id`", 8),
    ("dns_empty_values", "`values` must not be empty", 8),
    ("dns_a_not_ipv4", "`2001:db8::1` is not an IPv4 address", 8),
    ("dns_aaaa_not_ipv6", "`192.0.2.1` is not an IPv6 address", 9),
    ("dns_cname_two_values", "a CNAME record takes exactly one value, not 2", 8),
    ("dns_ttl_range", "ttl (2147483648 s) must be between 0 and 2147483647 s", 8),
    ("dns_geo_no_location", "a geolocation member needs `continent` or `country`", 10),
    ("dns_geo_bad_continent", "unknown continent code `EUR`", 9),
    ("dns_geo_bad_country", "country `USA` must be `*` or a two-letter code", 9),
    ("dns_geo_subdivision_without_country", "`subdivision` needs `country`", 11),
    ("dns_geo_duplicate_location", "location `EU` is used twice in this record set", 10),
    ("dns_geo_without_id", "a geolocation member needs `id`", 9),
    ("dns_latency_bad_region", "`useast1` is not an AWS region", 9),
    ("dns_latency_without_id", "a latency member needs `id`", 9),
    ("dns_weighted_without_id", "a weighted member needs `id`", 9),
    ("dns_set_id_too_long", "set identifier must be 1 to 128 characters, not 129", 9),
    ("dns_hc_interval", "health check interval (15 s) must be 10 or 30 s", 15),
    ("dns_hc_failure_threshold", "failure threshold (11) must be between 1 and 10", 12),
    ("dns_hc_type", "unknown health check type `PING`", 13),
    ("dns_hc_no_target", "a health check needs `fqdn` or `ip_address`", 12),
    ("dns_hc_path_on_tcp", "`path` only applies to HTTP and HTTPS health checks", 16),
    ("dns_hc_tcp_without_port", "a TCP health check needs `port`", 12),
    ("dns_weighted_from_instances", "unknown address kind `elastic`", 11),
    ("dns_wfi_weight_range", "weight (256) must be between 0 and 255", 11),
    ("dns_wfi_without_tags", "an instance selector needs at least one tag", 9),
    ("dns_wfi_not_a", "`weighted_from_instances` makes A records (IPv4 addresses), not AAAA", 7),
    ("dns_wfi_with_values", "`weighted_from_instances` cannot be combined with `values`", 8),
    ("dns_wfi_without_address", "`weighted_from_instances` needs `address`", 8),
    ("dns_unknown_key", "record `www A`: unknown key `vaules`", 8),
    ("dns_bad_type", "unknown record type `AAA`", 7),
    ("dns_no_routing", "a record needs one of `values`, `alias`, `weighted`, `failover`, `geolocation`, `latency`, `multivalue`, `geoproximity` or `cidr`", 6),
    ("dns_two_routing_keys", "a record takes exactly one of `values`, `alias`, `weighted`, `failover`, `geolocation`, `latency`, `multivalue`, `geoproximity` and `cidr`; found `weighted` and `latency`", 10),
    ("dns_missing_zone", "zone #0: `zone` is required", 4),
    ("dns_bad_zone_id", "`zone-1` is not a hosted zone ID", 4),
    ("dns_private_with_id", "`private` only applies to zones given by `name`", 4),
    ("dns_not_a_list", "`dns` must be a list of zones", 3),
    // What AWS rejects, refused offline (issue 11, item 11)
    ("rule_condition_four_values", "condition `host_header` has 4 values; AWS takes at most 3 per condition", 18),
    ("rule_six_condition_values", "the conditions have 6 values in all; AWS takes at most 5 per rule", 17),
    ("dns_latency_unknown_region", "`us-middle-1` is not an AWS region", 9),
    ("dns_geo_unknown_country", "unknown country code `XX`", 9),
    ("dns_geo_unknown_subdivision", "unknown US state `WX`", 9),
    ("dns_geo_subdivision_not_us", "Route 53 has no subdivisions of country `DE`", 9),
    ("dns_mx_without_preference", "MX value `mail.example.com` has no preference", 9),
    ("dns_mx_bad_preference", "has preference `70000`, not a number from 0 to 65535", 9),
    ("dns_srv_malformed", "SRV value `10 5 sip.example.com` has 3 fields, not 4", 9),
    ("dns_caa_malformed", "CAA value `0 issue letsencrypt.org` has an unquoted value", 9),
    ("dns_caa_bad_tag", "has tag `is-sue`", 9),
    ("dns_cname_bad_name", "CNAME value `www example.com` must be one domain name", 9),
    ("dns_ds_malformed", "has a digest that is not hexadecimal", 9),
    ("dns_naptr_malformed", "must quote its flags, service and regexp", 9),
    // Routing kinds, record aliases and record types of the December 2026
    // additions
    ("dns_multivalue_alias", "a multivalue member cannot be an alias", 9),
    ("dns_multivalue_cname", "a multivalue record set cannot have type CNAME", 7),
    ("dns_geoproximity_bias", "bias (100) must be between -99 and 99", 9),
    ("dns_geoproximity_two_locations", "a geoproximity member takes exactly one of `region`, `local_zone_group` and `coordinates`", 9),
    ("dns_geoproximity_no_location", "a geoproximity member needs `region`, `local_zone_group` or `coordinates`", 9),
    ("dns_geoproximity_latitude", "latitude `95` is out of range", 9),
    ("dns_geoproximity_without_id", "a geoproximity member needs `id`", 9),
    ("dns_alias_cycle", "aliases form a cycle: `a.example.com. A` -> `b.example.com. A` -> `a.example.com. A`", 11),
    ("dns_alias_record_missing", "alias target `nothere.example.com. A` is not a record of this zone", 8),
    ("dns_alias_record_type", "an alias of type A cannot point at a AAAA record", 8),
    ("dns_alias_record_and_dns_name", "`record` and `dns_name` cannot be given together", 8),
    ("dns_https_malformed", "HTTPS value `1 . alpn=h2 colour=blue` has unknown parameter `colour`", 8),
    ("dns_svcb_alias_mode_params", "has parameters in AliasMode (priority 0)", 8),
    ("dns_tlsa_malformed", "has 4 hex digits where its hash type has 64", 8),
    ("dns_sshfp_malformed", "has data `nothex` that is not hexadecimal", 8),
    ("dns_cidr_unknown_location", "location `head-office` is not in CIDR collection `corp`", 10),
    ("dns_cidr_unknown_collection", "CIDR collection `corpp` is not defined in `cidr_collections`", 8),
    ("dns_cidr_bad_block", "`10.1.0.0/33` is not a CIDR block", 6),
];

/// Fixtures that load fine but fail in `to_model` with an empty `Resolved`
/// (no selector matches, no hosted zone exists).
const MODEL_CASES: &[(&str, &str, usize)] = &[
    (
        "vpc_selector_matches_nothing",
        "VPC selector `{ tags: { Name: prod } }` matched nothing",
        7,
    ),
    (
        "dns_zone_not_found",
        "hosted zone `example.com.` not found",
        4,
    ),
];

fn problems(name: &str) -> Vec<Diagnostic> {
    match load(&[fixture(&format!("{name}.yaml"))]) {
        Ok(_) => panic!("{name}: expected the spec to be invalid"),
        Err(e) => e.0,
    }
}

fn show(ds: &[Diagnostic]) -> String {
    ds.iter().map(|d| format!("\n  {d}")).collect()
}

#[test]
fn each_invalid_fixture_reports_its_problem_at_its_line() {
    let mut failures = Vec::new();
    for (name, message, line) in CASES {
        let ds = problems(name);
        let ok = ds.len() == 1
            && ds[0].message.contains(message)
            && ds[0].line == *line
            && (!needs_hint(name) || ds[0].hint.is_some());
        if !ok {
            failures.push(format!(
                "{name}: want `{message}` at line {line}, got:{}",
                show(&ds)
            ));
        }
        assert!(ds[0].file.ends_with(&format!("{name}.yaml")));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The fixtures of what AWS would reject must say how to fix it.
fn needs_hint(name: &str) -> bool {
    const AWS_REJECTS: &[&str] = &[
        "rule_condition_four_values",
        "rule_six_condition_values",
        "dns_latency_unknown_region",
        "dns_geo_unknown_country",
        "dns_geo_unknown_subdivision",
        "dns_geo_subdivision_not_us",
        "dns_mx_without_preference",
        "dns_mx_bad_preference",
        "dns_srv_malformed",
        "dns_caa_malformed",
        "dns_caa_bad_tag",
        "dns_cname_bad_name",
        "dns_ds_malformed",
        "dns_naptr_malformed",
        "dns_multivalue_alias",
        "dns_multivalue_cname",
        "dns_geoproximity_bias",
        "dns_geoproximity_two_locations",
        "dns_geoproximity_no_location",
        "dns_geoproximity_latitude",
        "dns_geoproximity_without_id",
        "dns_alias_cycle",
        "dns_alias_record_missing",
        "dns_alias_record_type",
        "dns_alias_record_and_dns_name",
        "dns_https_malformed",
        "dns_svcb_alias_mode_params",
        "dns_tlsa_malformed",
        "dns_sshfp_malformed",
        "dns_cidr_unknown_location",
        "dns_cidr_unknown_collection",
        "dns_cidr_bad_block",
    ];
    AWS_REJECTS.contains(&name)
}

#[test]
fn selectors_and_zones_that_match_nothing_fail_in_to_model() {
    for (name, message, line) in MODEL_CASES {
        let spec =
            load(&[fixture(&format!("{name}.yaml"))]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ds = spec.to_model(&Resolved::default()).unwrap_err().0;
        assert_eq!(ds.len(), 1, "{name}:{}", show(&ds));
        assert!(ds[0].message.contains(message), "{name}:{}", show(&ds));
        assert_eq!(ds[0].line, *line, "{name}:{}", show(&ds));
    }
}

#[test]
fn every_fixture_is_in_a_table() {
    let listed: BTreeSet<&str> = CASES
        .iter()
        .chain(MODEL_CASES)
        .map(|c| c.0)
        .chain([
            "three_problems",
            "four_typos",
            "duplicate_keys",
            "tab_indent",
            "merge_key_bad_value",
        ])
        .collect();
    assert!(listed.len() >= 25);
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
            assert!(
                listed.contains(stem.as_str()),
                "fixture {stem}.yaml is not in the table"
            );
        }
    }
}

#[test]
fn one_file_with_three_problems_reports_all_three() {
    let ds = problems("three_problems");
    let got: Vec<(usize, &str)> = ds.iter().map(|d| (d.line, d.message.as_str())).collect();
    assert_eq!(
        got,
        [
            (
                9,
                "target group `web`: health check interval (2 s) must be between 5 and 300 s"
            ),
            (12, "target group `api`: unknown key `prot`"),
            (
                20,
                "listener `web:80`: target group `apu` is not defined in the spec"
            ),
        ],
        "{}",
        show(&ds)
    );
    assert!(ds[1]
        .hint
        .as_deref()
        .unwrap()
        .starts_with("did you mean `port`?"));
    assert!(
        ds[2]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `api`?"),
        "{}",
        show(&ds)
    );
}

#[test]
fn every_typo_of_a_mapping_is_reported_in_one_run() {
    let ds = problems("four_typos");
    let got: Vec<(usize, usize, &str)> = ds
        .iter()
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (6, 5, "target group `web`: unknown key `prot`"),
            (9, 7, "target group `web`: unknown key `pth`"),
            (
                10,
                17,
                "target group `web`: invalid duration `often`: use seconds (30) or a number with a unit (30s, 5m, 1h, 1d)"
            ),
            (
                11,
                16,
                "target group `web`: wrong type: string \"maybe\", expected true or false"
            ),
            (12, 7, "target group `web`: unknown key `timout`"),
            (
                16,
                5,
                "target group `api`: wrong type: sequence, expected an ID or `{ tags: {...} }`"
            ),
            (17, 5, "target group `api`: unknown key `target_typ`"),
        ],
        "{}",
        show(&ds)
    );
    assert!(ds[0]
        .hint
        .as_deref()
        .unwrap()
        .starts_with("did you mean `port`?"));
    assert!(ds[4]
        .hint
        .as_deref()
        .unwrap()
        .starts_with("did you mean `timeout`?"));
}

#[test]
fn files_that_clash_name_both_files() {
    let ds = load(&[fixture("multi/a.yaml"), fixture("multi/b.yaml")])
        .unwrap_err()
        .0;
    let got: Vec<(&str, usize, &str)> = ds
        .iter()
        .map(|d| {
            (
                d.file.rsplit('/').next().unwrap(),
                d.line,
                d.message.as_str(),
            )
        })
        .collect();
    let a = fixture("multi/a.yaml").display().to_string();
    let b = fixture("multi/b.yaml").display().to_string();
    assert_eq!(
        got,
        [
            (
                "b.yaml",
                3,
                format!("`region` is `eu-west-1` here but `us-east-1` in `{a}`").as_str()
            ),
            (
                "b.yaml",
                5,
                format!("target group `web` is defined twice: in `{a}` and in `{b}`").as_str()
            ),
        ],
        "{}",
        show(&ds)
    );
}

#[test]
fn files_merge_and_may_leave_stack_to_another_file() {
    let spec =
        load(&[fixture("multi/a.yaml"), fixture("multi/c.yaml")]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(spec.stack, "web-prod");
    assert_eq!(spec.region.as_deref(), Some("us-east-1"));
    let model = spec.to_model(&Resolved::default()).unwrap();
    assert!(model.target_groups.contains_key("web"));
    assert_eq!(model.load_balancers["web"].listeners.len(), 1);
}

#[test]
fn a_missing_file_is_reported() {
    let ds = load(&[fixture("does-not-exist.yaml")]).unwrap_err().0;
    assert!(ds[0].message.starts_with("cannot read"), "{}", show(&ds));
}

/// `lbctl validate` as a user runs it (no AWS call is made).
fn validate(dir: &std::path::Path, files: &[&str]) -> (Option<i32>, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lbctl"));
    cmd.current_dir(dir).arg("validate");
    for f in files {
        cmd.args(["-f", f]);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_file_that_cannot_be_read_has_no_place_and_is_no_spec_problem() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = validate(dir.path(), &["nope.yaml"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot read `nope.yaml`: no such file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check the path given with `-f`"),
        "{stderr}"
    );
    assert!(!stderr.contains("nope.yaml:1:1"), "{stderr}");
    assert!(!stderr.contains("problem in the spec"), "{stderr}");
}

#[test]
fn a_file_given_twice_is_reported_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let spec =
        "version: 1\nstack: s\ntarget_groups:\n  web: { protocol: HTTP, port: 80, vpc: vpc-1 }\n";
    std::fs::write(dir.path().join("a.yaml"), spec).unwrap();
    let (code, stderr) = validate(dir.path(), &["a.yaml", "./a.yaml"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("file `./a.yaml` is given twice (also as `a.yaml`)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: give each spec file once"),
        "{stderr}"
    );
    assert!(!stderr.contains("defined twice"), "{stderr}");
}

#[test]
fn every_duplicate_key_is_reported_at_its_second_place() {
    let ds = problems("duplicate_keys");
    let got: Vec<(usize, usize, &str)> = ds
        .iter()
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                8,
                5,
                "key `port` is given twice in this mapping (first at line 6)"
            ),
            (
                12,
                5,
                "key `protocol` is given twice in this mapping (first at line 10)"
            ),
        ],
        "{}",
        show(&ds)
    );
}

#[test]
fn tabs_are_reported_with_a_hint_to_indent_with_spaces() {
    let ds = problems("tab_indent");
    assert_eq!(ds.len(), 1, "{}", show(&ds));
    assert!(ds[0].message.starts_with("invalid YAML"), "{}", show(&ds));
    let hint = ds[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.contains("line 6 is indented with a tab; indent with spaces"),
        "{}",
        show(&ds)
    );
}

#[test]
fn merge_keys_share_settings() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/merge_keys.yaml");
    let spec = load(&[path]).unwrap_or_else(|e| panic!("{e}"));
    let model = spec.to_model(&Resolved::default()).unwrap();
    let tg = |n: &str| &model.target_groups[n];
    assert_eq!(
        tg("web-green").port,
        Some(8080),
        "own keys win over merged ones"
    );
    assert_eq!(tg("web-green").protocol.as_deref(), Some("HTTP"));
    assert_eq!(
        tg("web-green").health_check.path.as_deref(),
        Some("/health")
    );
    assert_eq!(tg("api").port, Some(80));
    assert_eq!(tg("api").health_check.path.as_deref(), Some("/ready"));
    assert_eq!(tg("api").health_check.interval, Some(15));
}

#[test]
fn a_problem_in_a_merged_value_points_at_where_it_is_written() {
    let ds = problems("merge_key_bad_value");
    let got: Vec<(usize, usize, &str)> = ds
        .iter()
        .map(|d| (d.line, d.column, d.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (8, 46, "target_groups.web-blue.health_check.interval"),
            (8, 46, "target_groups.web-green.health_check.interval"),
        ],
        "{}",
        show(&ds)
    );
}
