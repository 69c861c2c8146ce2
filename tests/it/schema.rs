//! The JSON Schema of the spec format (`lbctl schema`,
//! `docs/lbctl.schema.json`): every example spec validates against it,
//! typical mistakes are rejected, its keys are exactly the parser's, and
//! the shipped file is up to date (`LBCTL_BLESS=1 cargo test --test it schema::`
//! regenerates it).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&lbctl::schema::schema()).expect("the schema compiles")
}

/// A YAML document as the schema sees it: merge keys (`<<: *x`) applied,
/// as lbctl and YAML-aware editors do.
fn yaml(text: &str) -> Value {
    let mut v: serde_yaml::Value = serde_yaml::from_str(text).expect("YAML");
    v.apply_merge().expect("merge keys");
    serde_yaml::from_value(v).expect("JSON")
}

/// Every problem the schema finds in `instance`, one line each.
fn problems(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_schema_is_draft_07() {
    let s = lbctl::schema::schema();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    // It is itself a valid draft-07 schema.
    assert!(jsonschema::draft7::meta::is_valid(&s));
}

#[test]
fn every_example_spec_and_valid_fixture_validates() {
    let v = validator();
    let mut files = yaml_files(&root().join("specs"));
    files.extend(yaml_files(&root().join("tests/fixtures/valid")));
    files.extend(yaml_files(&root().join("tests/fixtures/ssm")));
    assert!(files.len() >= 7, "expected the example specs: {files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let problems = problems(&v, &yaml(&text));
        assert!(
            problems.is_empty(),
            "{} does not validate against the schema:\n{}",
            file.display(),
            problems.join("\n")
        );
    }
}

/// A small valid spec to break in one place at a time.
const BASE: &str = r#"
version: 1
stack: web-prod
parameters:
  port: { value: 8080 }
target_groups:
  web:
    protocol: HTTP
    port: 80
    vpc: vpc-0abc
load_balancers:
  web:
    subnets: [subnet-0aaa, subnet-0bbb]
    listeners:
      - port: 80
        protocol: HTTP
        default_action: { forward: web }
dns:
  - zone: example.com
    records:
      - { name: www, type: A, alias: { load_balancer: web } }
"#;

/// `BASE` with `yaml` (a YAML mapping) merged in at the JSON pointer
/// `at`: keys given replace or add.
fn variant(at: &str, patch: &str) -> Value {
    let mut doc = yaml(BASE);
    let target = doc.pointer_mut(at).unwrap_or_else(|| panic!("no {at}"));
    match (target, yaml(patch)) {
        (_, Value::Null) => {}
        (Value::Object(t), Value::Object(p)) => t.extend(p),
        (t, p) => *t = p,
    }
    doc
}

#[test]
fn the_base_and_its_harmless_variants_validate() {
    let v = validator();
    for (at, patch) in [
        ("", ""),
        // Parameters wherever a scalar goes; digits for integers; units.
        ("/target_groups/web", "{ port: '${port}', protocol: http }"),
        ("/target_groups/web", "{ port: '8080', protocol: '${p}' }"),
        ("/target_groups/web", "{ health_check: { interval: 30s, timeout: '${t}', enabled: '${on}' } }"),
        ("/target_groups/web", "{ attributes: { deregistration_delay: 5m, cross_zone: inherit } }"),
        ("/target_groups/web", "{ vpc: { tags: { Name: prod } }, tags: { cost-center: 1234 } }"),
        ("/target_groups/web", "{ target_type: lambda, protocol: null, port: null, vpc: null }"),
        ("/load_balancers/web/listeners/0/default_action", "{ forward: { target_groups: [ { name: web, weight: '${w}' } ], stickiness: 1h } }"),
        ("/load_balancers/web/listeners/0/default_action", "{ forward: null, redirect: { protocol: https, port: 443, status: 301 } }"),
        ("/load_balancers/web/listeners/0/default_action", "{ forward: null, fixed_response: { status: 503, content_type: text/plain } }"),
        ("/load_balancers/web", "{ type: network, attributes: { cross_zone: true }, listeners: [ { port: 53, protocol: udp, default_action: { forward: web } } ] }"),
        ("/load_balancers/web", "{ type: gateway, listeners: [ { default_action: { forward: web } } ] }"),
        ("/dns/0/records/0", "{ type: aaaa, ttl: null }"),
        ("/dns/0", "{ zone: { id: Z123 } }"),
        ("/dns/0", "{ zone: { name: in.example, private: true }, records: [] }"),
        ("", "{ safety: { max_delete_share: 30%, max_weight_removal_share: 12.5, allow_load_balancer_delete: true } }"),
        // Health checks of the December 2026 additions.
        ("/dns/0/records/0", "{ alias: null, failover: { primary: { values: [192.0.2.1], health_check: { type: HTTPS_STR_MATCH, fqdn: a.example.com, search_string: ok, regions: [us-east-1, eu-west-1, sa-east-1], inverted: true, disabled: false, enable_sni: false, measure_latency: true } }, secondary: { values: [192.0.2.2] } } }"),
        ("/dns/0/records/0", "{ alias: null, failover: { primary: { values: [192.0.2.1], health_check: { type: calculated, healthy_threshold: 1, children: [ hc-1, { type: TCP, ip_address: 192.0.2.1, port: 22 } ] } }, secondary: { values: [192.0.2.2] } } }"),
        ("/dns/0/records/0", "{ alias: null, failover: { primary: { values: [192.0.2.1], health_check: { type: cloudwatch_alarm, alarm: { name: api-5xx, region: eu-west-1 }, insufficient_data: last_known } }, secondary: { values: [192.0.2.2], health_check: { type: recovery_control, routing_control: 'arn:aws:route53-recovery-control::1:controlpanel/a/routingcontrol/b' } } } }"),
    ] {
        let mut doc = variant(at, patch);
        strip_nulls(&mut doc);
        let problems = problems(&v, &doc);
        assert!(problems.is_empty(), "{at} {patch}:\n{}", problems.join("\n"));
    }
}

/// Remove keys set to null (how a variant deletes a key).
fn strip_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(strip_nulls);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[test]
fn typical_mistakes_are_rejected() {
    let v = validator();
    for (what, at, patch) in [
        ("unknown top-level key", "", "{ target_group: {} }"),
        (
            "unknown key",
            "/target_groups/web",
            "{ helth_check: { path: /x } }",
        ),
        (
            "unknown nested key",
            "/target_groups/web",
            "{ health_check: { pth: /x } }",
        ),
        ("bad protocol", "/target_groups/web", "{ protocol: HTTP3 }"),
        (
            "bad listener protocol for an ALB",
            "/load_balancers/web/listeners/0",
            "{ protocol: TCP }",
        ),
        (
            "two actions in one",
            "/load_balancers/web/listeners/0/default_action",
            "{ fixed_response: { status: 503 } }",
        ),
        (
            "no action",
            "/load_balancers/web/listeners/0",
            "{ default_action: {} }",
        ),
        (
            "bad target group name",
            "/target_groups",
            "{ -web: { protocol: HTTP, port: 80, vpc: vpc-1 } }",
        ),
        (
            "target group name too long",
            "/target_groups",
            "{ web-0123456789-0123456789-0123456789: { protocol: HTTP, port: 80, vpc: vpc-1 } }",
        ),
        (
            "load balancer name starting with internal-",
            "/load_balancers",
            "{ internal-web: { subnets: [subnet-1] } }",
        ),
        (
            "bad duration",
            "/target_groups/web",
            "{ attributes: { deregistration_delay: 5x } }",
        ),
        ("port out of range", "/target_groups/web", "{ port: 70000 }"),
        (
            "integer that is not one",
            "/target_groups/web",
            "{ port: eighty }",
        ),
        ("missing port", "/target_groups/web", "{ port: null }"),
        ("bad version", "", "{ version: 2 }"),
        ("missing version", "", "{ version: null }"),
        ("bad stack", "", "{ stack: Web_Prod }"),
        (
            "both subnets and subnet_mappings",
            "/load_balancers/web",
            "{ subnet_mappings: [ { subnet: subnet-1 } ] }",
        ),
        (
            "two routing keys",
            "/dns/0/records/0",
            "{ values: [192.0.2.1] }",
        ),
        ("no routing key", "/dns/0/records/0", "{ alias: null }"),
        ("bad record type", "/dns/0/records/0", "{ type: AAAAA }"),
        (
            "unknown record key",
            "/dns/0/records/0",
            "{ vaules: [192.0.2.1] }",
        ),
        (
            "weighted member without id",
            "/dns/0/records/0",
            "{ alias: null, weighted: [ { weight: 1, values: [192.0.2.1] } ] }",
        ),
        (
            "failover without secondary",
            "/dns/0/records/0",
            "{ alias: null, failover: { primary: { values: [192.0.2.1] } } }",
        ),
        ("parameter in version", "", "{ version: '${v}' }"),
        (
            "bad parameter",
            "/parameters",
            "{ x: { ssm: /a, value: 1 } }",
        ),
        (
            "bad safety share",
            "",
            "{ safety: { max_delete_share: lots } }",
        ),
        (
            "string match without search_string",
            "/dns/0/records/0",
            "{ alias: null, failover: { primary: { values: [192.0.2.1], health_check: { type: HTTP_STR_MATCH, fqdn: a.example.com } }, secondary: { values: [192.0.2.2] } } }",
        ),
        (
            "fewer than 3 regions",
            "/dns/0/records/0",
            "{ alias: null, failover: { primary: { values: [192.0.2.1], health_check: { type: HTTP, fqdn: a.example.com, regions: [us-east-1, eu-west-1] } }, secondary: { values: [192.0.2.2] } } }",
        ),
        (
            "calculated without children",
            "/dns/0/records/0",
            "{ alias: null, failover: { primary: { values: [192.0.2.1], health_check: { type: calculated, healthy_threshold: 1 } }, secondary: { values: [192.0.2.2] } } }",
        ),
        (
            "cloudwatch alarm without its region",
            "/dns/0/records/0",
            "{ alias: null, failover: { primary: { values: [192.0.2.1], health_check: { type: cloudwatch_alarm, alarm: { name: a } } }, secondary: { values: [192.0.2.2] } } }",
        ),
    ] {
        let mut doc = variant(at, patch);
        strip_nulls(&mut doc);
        assert!(
            !problems(&v, &doc).is_empty(),
            "the schema accepts {what}: {at} {patch}"
        );
    }
}

#[test]
fn invalid_fixtures_with_shape_problems_are_rejected() {
    let v = validator();
    let dir = root().join("tests/fixtures/invalid");
    for name in [
        "unknown_key",
        "bad_protocol",
        "action_two_keys",
        "tg_name_too_long",
        "bad_duration",
        "bad_version",
        "missing_version",
        "port_out_of_range",
        "dns_two_routing_keys",
        "dns_unknown_key",
        "dns_bad_type",
        "dns_no_routing",
        "dns_weight_range",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.yaml"))).unwrap();
        assert!(
            !problems(&v, &yaml(&text)).is_empty(),
            "the schema accepts tests/fixtures/invalid/{name}.yaml"
        );
    }
}

/// A spec with every mapping the parser reads, to probe it for its keys.
const FULL: &str = r#"
version: 1
stack: probe
safety: { max_delete_share: 30% }
target_groups:
  tg:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: prod } }
    health_check: { path: /health }
    attributes: { stickiness: { type: lb_cookie } }
    targets:
      list:
        - { id: i-0123456789abcdef0 }
        - { instances: { tags: { role: web } } }
load_balancers:
  lb:
    subnets: [subnet-0aaa, subnet-0bbb]
    attributes: { access_logs: { bucket: logs } }
    listeners:
      - port: 80
        protocol: HTTP
        default_action: { redirect: { status: 301 } }
        rules:
          - priority: 1
            conditions:
              http_header: { name: X, values: [y] }
              query_string: [ { value: v } ]
            action: { fixed_response: { status: 503 } }
          - priority: 2
            conditions: { path_pattern: [/a] }
            action: { forward: { target_groups: [ { name: tg } ] } }
          - priority: 3
            conditions:
              - host_header: { regex: ["^a\\."] }
            action: { fixed_response: { status: 503 } }
            transforms: { url_rewrite: { regex: "^/a/(.*)$", replace: "/$1" } }
  nlb:
    type: network
    subnet_mappings: [ { subnet: subnet-0aaa } ]
    listeners:
      - { port: 80, protocol: TCP, default_action: { forward: tg } }
dns:
  - zone: { name: example.com }
    records:
      - name: a
        type: A
        weighted:
          - { id: a, weight: 1, values: [192.0.2.1], health_check: { type: TCP, ip_address: 192.0.2.1, port: 22 } }
      - name: b
        type: A
        failover:
          primary: { alias: { load_balancer: lb } }
          secondary: { values: [192.0.2.1] }
      - name: c
        type: A
        geolocation: [ { id: eu, continent: EU, values: [192.0.2.1] } ]
      - name: d
        type: A
        latency: [ { id: use1, region: us-east-1, values: [192.0.2.1] } ]
      - name: e
        type: A
        weighted_from_instances: { instances: { tags: { a: b } }, address: public, weight: 1 }
"#;

/// The keys the parser accepts in the mapping at `at` (a JSON pointer into
/// `FULL`), from the hint of its "unknown key" message.
fn parser_keys(at: &str) -> Vec<String> {
    const PROBE: &str = "zzzz_probe";
    let mut doc = yaml(FULL);
    match doc.pointer_mut(at) {
        Some(Value::Object(m)) => {
            m.insert(PROBE.into(), Value::from(1));
        }
        other => panic!("{at} is not a mapping in FULL: {other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("probe.yaml");
    std::fs::write(&path, serde_yaml::to_string(&doc).unwrap()).unwrap();
    let errors = match lbctl::spec::read(std::slice::from_ref(&path)).offline() {
        Ok(_) => panic!("{at}: the parser accepts an unknown key"),
        Err(e) => e.to_string(),
    };
    let line = errors
        .lines()
        .skip_while(|l| !l.contains(&format!("unknown key `{PROBE}`")))
        .find_map(|l| {
            l.split_once("valid keys: ")
                .map(|(_, keys)| keys.to_string())
        })
        .unwrap_or_else(|| panic!("{at}: no list of valid keys in\n{errors}"));
    let mut keys: Vec<String> = line
        .split(", ")
        .map(|k| k.trim().trim_matches('`').to_string())
        .collect();
    keys.sort();
    keys
}

/// The keys the schema allows in the object at `pointer` in the schema.
fn schema_keys(pointer: &str) -> Vec<String> {
    let s = lbctl::schema::schema();
    let obj = s.pointer(pointer).unwrap_or_else(|| panic!("no {pointer}"));
    assert_eq!(obj["additionalProperties"], false, "{pointer}");
    let mut keys: Vec<String> = obj["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// Every mapping the parser reads with `deny_unknown_fields` allows the
/// same keys in the schema: a key added to the parser must be added to
/// `src/schema.rs` too.
#[test]
fn the_schema_has_exactly_the_parsers_keys() {
    let defs = |name: &str| format!("/definitions/{name}");
    let tg = "/target_groups/tg";
    let lb = "/load_balancers/lb";
    let l = "/load_balancers/lb/listeners/0";
    let rec = "/dns/0/records";
    let cases = [
        ("", String::new()),
        ("/safety", "/properties/safety".to_string()),
        (tg, defs("target_group")),
        (&format!("{tg}/vpc"), defs("tag_selector")),
        (&format!("{tg}/health_check"), defs("tg_health_check")),
        (&format!("{tg}/attributes"), defs("tg_attributes")),
        (
            &format!("{tg}/attributes/stickiness"),
            defs("tg_stickiness"),
        ),
        (&format!("{tg}/targets"), defs("targets")),
        (&format!("{tg}/targets/list/0"), defs("target")),
        (
            &format!("{tg}/targets/list/1/instances"),
            defs("instance_selector"),
        ),
        (lb, defs("load_balancer")),
        (
            "/load_balancers/nlb/subnet_mappings/0",
            defs("subnet_mapping"),
        ),
        (&format!("{lb}/attributes"), defs("lb_attributes")),
        (
            &format!("{lb}/attributes/access_logs"),
            defs("access_logs_to"),
        ),
        (l, defs("listener")),
        (&format!("{l}/default_action"), defs("action")),
        (&format!("{l}/default_action/redirect"), defs("redirect")),
        (&format!("{l}/rules/0"), defs("rule")),
        (&format!("{l}/rules/0/conditions"), defs("conditions")),
        (
            &format!("{l}/rules/0/conditions/http_header"),
            defs("http_header"),
        ),
        (
            &format!("{l}/rules/0/conditions/query_string/0"),
            defs("query_string"),
        ),
        (
            &format!("{l}/rules/0/action/fixed_response"),
            defs("fixed_response"),
        ),
        (&format!("{l}/rules/2/conditions/0"), defs("conditions")),
        (
            &format!("{l}/rules/2/conditions/0/host_header"),
            "/definitions/patterns/anyOf/1".to_string(),
        ),
        (&format!("{l}/rules/2/transforms"), defs("transforms")),
        (
            &format!("{l}/rules/2/transforms/url_rewrite"),
            defs("rewrite"),
        ),
        (&format!("{l}/rules/1/action/forward"), defs("forward_map")),
        (
            &format!("{l}/rules/1/action/forward/target_groups/0"),
            defs("weighted_target_group"),
        ),
        ("/dns/0", defs("zone")),
        ("/dns/0/zone", defs("zone_map")),
        (&format!("{rec}/0"), defs("record")),
        (&format!("{rec}/0/weighted/0"), defs("weighted_member")),
        (
            &format!("{rec}/0/weighted/0/health_check"),
            defs("r53_managed_health_check"),
        ),
        (&format!("{rec}/1/failover"), defs("failover")),
        (
            &format!("{rec}/1/failover/secondary"),
            defs("failover_member"),
        ),
        (&format!("{rec}/1/failover/primary/alias"), defs("alias")),
        (
            &format!("{rec}/2/geolocation/0"),
            defs("geolocation_member"),
        ),
        (&format!("{rec}/3/latency/0"), defs("latency_member")),
        (
            &format!("{rec}/4/weighted_from_instances"),
            defs("weighted_from_instances"),
        ),
    ];
    for (at, pointer) in cases {
        assert_eq!(
            schema_keys(&pointer),
            parser_keys(at),
            "keys of {at} (schema {pointer})"
        );
    }
}

fn lbctl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lbctl"))
}

/// `docs/lbctl.schema.json` is what `lbctl schema` prints. Run with
/// `LBCTL_BLESS=1` to regenerate it.
#[test]
fn lbctl_schema_prints_the_shipped_file() {
    let out = lbctl().arg("schema").output().unwrap();
    assert!(out.status.success());
    let printed: Value = serde_json::from_slice(&out.stdout).expect("lbctl schema prints JSON");
    assert_eq!(printed, lbctl::schema::schema());

    crate::support::golden::check(
        "docs/lbctl.schema.json",
        &out.stdout,
        "cargo test --test it schema::",
    );
}
