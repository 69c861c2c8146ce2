//! Rule conditions and transforms AWS would refuse, refused offline: each
//! case is one rule whose problem is reported at its line with a hint;
//! every problem of a spec is reported in one run; and the list form,
//! regex values and transforms AWS takes pass.

use lbctl::spec::{load, Diagnostic};

/// A spec whose listener has `rule` (lines indented for the rules list).
/// The rule starts on line 16.
fn spec(rule: &str) -> String {
    format!(
        "version: 1
stack: web-prod
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
        default_action: {{ forward: web }}
        rules:
{rule}"
    )
}

/// The problems of `text` (empty when it is valid).
fn problems(text: &str) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, text).unwrap();
    match load(&[path]) {
        Ok(_) => vec![],
        Err(e) => e.0,
    }
}

fn show(ds: &[Diagnostic]) -> String {
    ds.iter().map(|d| format!("\n  {d}")).collect()
}

/// (conditions and transforms of rule 10, expected message, line)
const CASES: &[(&str, &str, usize)] = &[
    (
        "conditions: { host_header: { values: [a.example.com], regex: [\"^a\\\\.\"] } }",
        "condition `host_header` takes wildcard `values` or `regex`, not both",
        17,
    ),
    (
        "conditions:\n    - http_header: { name: X-A, values: [a], regex: [\"^a\"] }",
        "condition `http_header` takes wildcard `values` or `regex`, not both",
        18,
    ),
    (
        "conditions: { path_pattern: {} }",
        "condition `path_pattern` needs `values` or `regex`",
        17,
    ),
    (
        "conditions:\n    - host_header: [a.example.com]\n    - host_header: [b.example.com]",
        "condition `host_header` is given twice; AWS takes one per rule",
        19,
    ),
    (
        "conditions:\n    - query_string: [ { key: a, value: \"1\" }, { key: b, value: \"2\" } ]\n    - query_string: [ { key: c, value: \"3\" }, { key: d, value: \"4\" } ]\n    - source_ip: [10.0.0.0/8, 192.168.0.0/16]",
        "the conditions have 6 values in all; AWS takes at most 5 per rule",
        17,
    ),
    (
        "conditions:\n    - http_header: { name: X-A, regex: [a, b, c, d] }",
        "condition `http_header` has 4 values; AWS takes at most 3 per condition",
        18,
    ),
    (
        "conditions: { path_pattern: [\"/*/*/*\"], host_header: [\"*.*.*.example.com\"] }",
        "the conditions have 6 wildcards (`*`, `?`) in all; AWS takes at most 5 per rule",
        17,
    ),
    (
        "conditions: { host_header: { regex: [\"^(api\\\\.\"] } }",
        "`^(api\\.` is not a valid regular expression",
        17,
    ),
    (
        "conditions: { http_header: { name: X-Very-Long-Header-Name-Beyond-Forty-Chars, values: [a] } }",
        "header name `X-Very-Long-Header-Name-Beyond-Forty-Chars` is not valid",
        17,
    ),
    (
        "conditions: { http_header: { name: Host, values: [a] } }",
        "an `http_header` condition cannot match the `Host` header",
        17,
    ),
    (
        "conditions: []",
        "a rule needs at least one condition",
        17,
    ),
    (
        "conditions:\n    - {}",
        "condition conditions[0] is empty",
        18,
    ),
    (
        "conditions: { path_pattern: [/a] }\ntransforms: {}",
        "`transforms` needs `host_header_rewrite` or `url_rewrite`",
        18,
    ),
    (
        "conditions: { path_pattern: [/a] }\ntransforms: { url_rewrite: { regex: \"^/a/(.*)$\" } }",
        "`url_rewrite` needs `replace`",
        18,
    ),
    (
        "conditions: { path_pattern: [/a] }\ntransforms: { url_rewrite: { regex: \"^/a/(.*$\", replace: /$1 } }",
        "`^/a/(.*$` is not a valid regular expression",
        18,
    ),
];

/// `body` as rule 10: each line indented under `- priority: 10`.
fn rule(body: &str) -> String {
    let mut out = String::from("          - priority: 10\n");
    for line in format!("{body}\naction: {{ forward: web }}").lines() {
        out.push_str(&format!("            {line}\n"));
    }
    out
}

#[test]
fn each_condition_problem_is_reported_at_its_line_with_a_hint() {
    let mut failures = Vec::new();
    for (body, message, line) in CASES {
        let ds = problems(&spec(&rule(body)));
        let ok = ds.len() == 1
            && ds[0].message.contains(message)
            && ds[0].line == *line
            && ds[0].hint.is_some();
        if !ok {
            failures.push(format!(
                "{body}\n  want `{message}` at line {line} with a hint, got:{}",
                show(&ds)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_condition_problem_is_reported_in_one_run() {
    let body = "conditions:
    - host_header: { values: [a.example.com], regex: [\"^a\"] }
    - host_header: [b.example.com]
    - http_header: { name: X-A, regex: [\"(\"] }
transforms: { url_rewrite: { regex: \"\" , replace: x } }";
    let ds = problems(&spec(&rule(body)));
    let messages: Vec<&str> = ds.iter().map(|d| d.message.as_str()).collect();
    for want in [
        "takes wildcard `values` or `regex`, not both",
        "is given twice",
        "`(` is not a valid regular expression",
        "`url_rewrite` regex must be 1 to 1024 characters, not 0",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(want)),
            "{want} missing:{}",
            show(&ds)
        );
    }
}

#[test]
fn the_list_form_regex_values_and_transforms_aws_takes_pass() {
    let body = "conditions:
    - host_header: { regex: [\"^api\\\\.(eu|us)\\\\.example\\\\.com$\"] }
    - http_header: { name: X-User-Type, values: [premium] }
    - http_header: { name: X-Region, regex: [\"^eu-\"] }
    - query_string: [ { key: version, value: v2 } ]
    - query_string: [ { key: beta, value: \"true\" } ]
transforms:
  host_header_rewrite: { regex: \"^(.+)\\\\.internal\\\\.example\\\\.com$\", replace: \"$1.example.com\" }
  url_rewrite: { regex: \"^/api/v1/(.*)$\", replace: \"/$1\" }";
    let ds = problems(&spec(&rule(body)));
    assert!(ds.is_empty(), "{}", show(&ds));
    // An escaped `*` in a query string is no wildcard; look-ahead is let
    // through (AWS's regex engine may take it).
    let body = "conditions:
    - query_string: [ { value: \"a\\\\*b\\\\*c\\\\*d\\\\*e\\\\*f\\\\*\" } ]
    - path_pattern: { regex: [\"^/(?=api)\"] }";
    let ds = problems(&spec(&rule(body)));
    assert!(ds.is_empty(), "{}", show(&ds));
}
