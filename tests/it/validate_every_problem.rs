//! `lbctl validate` reports every problem in one run (issue 11, item 10),
//! also in the mappings where the first fix stopped short: the `safety:`
//! section, and the records of a zone whose own mapping has a problem.

use std::path::Path;

/// `lbctl validate -f FILE` on `text`: exit code and stderr.
fn validate(dir: &Path, text: &str) -> (Option<i32>, String) {
    let file = dir.join("spec.yaml");
    std::fs::write(&file, text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lbctl"))
        .arg("validate")
        .arg("-f")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code(), stderr)
}

#[test]
fn every_unknown_key_of_safety_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "version: 1\nstack: x\n\
                safety: { max_delet_share: 30%, allow_lb_delete: true, max_deregister_shar: 5% }\n";
    let (code, stderr) = validate(dir.path(), spec);
    assert_eq!(code, Some(1), "{stderr}");
    for (col, key) in [
        (11, "max_delet_share"),
        (33, "allow_lb_delete"),
        (56, "max_deregister_shar"),
    ] {
        let line = format!("spec.yaml:3:{col}: safety.{key}: `safety`: unknown key `{key}`");
        assert!(stderr.contains(&line), "no `{line}` in:\n{stderr}");
    }
    assert!(stderr.contains("3 problems in the spec"), "{stderr}");
}

#[test]
fn the_records_of_a_zone_with_a_problem_are_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    let spec =
        "version: 1\nstack: x\ndns:\n  - zone: example.com\n    recrods: []\n    records:\n      \
                - { name: a, tpe: A, tl: 60, values: [1.2.3.4] }\n";
    let (code, stderr) = validate(dir.path(), spec);
    assert_eq!(code, Some(1), "{stderr}");
    for line in [
        "spec.yaml:5:5: dns[0].recrods: zone `example.com`: unknown key `recrods`",
        "spec.yaml:7:20: dns[0].records[0].tpe: record `a ?`: unknown key `tpe`",
        "spec.yaml:7:28: dns[0].records[0].tl: record `a ?`: unknown key `tl`",
    ] {
        assert!(stderr.contains(line), "no `{line}` in:\n{stderr}");
    }
    assert!(stderr.contains("3 problems in the spec"), "{stderr}");
}

#[test]
fn wrong_values_show_with_the_typos_of_the_same_entry() {
    // Four problems; it took three runs: the typos first, then the
    // values of the entries they were in.
    let dir = tempfile::tempdir().unwrap();
    let spec = "version: 1\nstack: x\n\
                target_groups:\n  a:\n    protocol: HTTP\n    port: 80\n    vpc: vpc-1\n    \
                targets: { list: [], mode: addtive }\n    health_check: { interval: 5, timout: 2 }\n\
                load_balancers:\n  b:\n    type: applicaton\n    subnets: [subnet-1, subnet-2]\n    \
                attributes: { idle_timout: 5 }\n";
    let (code, stderr) = validate(dir.path(), spec);
    assert_eq!(code, Some(1), "{stderr}");
    for line in [
        "spec.yaml:8:32: target_groups.a.targets.mode: target group `a`: unknown targets mode `addtive`",
        "spec.yaml:9:34: target_groups.a.health_check.timout: target group `a`: unknown key `timout`",
        "spec.yaml:12:11: load_balancers.b.type: load balancer `b`: unknown load balancer type `applicaton`",
        "spec.yaml:14:19: load_balancers.b.attributes.idle_timout: load balancer `b`: unknown key `idle_timout`",
    ] {
        assert!(stderr.contains(line), "no `{line}` in:\n{stderr}");
    }
    assert!(stderr.contains("4 problems in the spec"), "{stderr}");
}
