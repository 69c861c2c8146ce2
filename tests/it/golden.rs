//! Golden plans: the whole rendered plan (text, markdown, JSON) of every
//! example spec in `specs/` against a fresh account, compared with
//! `tests/golden/plan/<example>.{txt,md,json}`. What moto makes up anew on
//! each start (resource IDs, the random part of ARNs) is normalised first.
//! After a deliberate change to the rendering, re-bless and review the diff:
//! `LBCTL_BLESS=1 cargo test --test it golden::`.

use crate::support;
use support::{golden, Moto};

const BLESS: &str = "cargo test --test it golden::";

/// `lbctl plan` with these arguments; stdout, normalised. The plan must
/// succeed.
fn plan(moto: &Moto, spec: &std::path::Path, args: &[&str]) -> String {
    let out = moto
        .lbctl()
        .arg("plan")
        .args(args)
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "plan {args:?} of {} failed: {}",
        spec.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    golden::normalise(&String::from_utf8(out.stdout).unwrap())
}

#[test]
fn every_example_plans_as_its_golden_files_say() {
    let moto = Moto::start();
    moto.seed();
    for spec in support::spec_files() {
        let stem = spec.file_stem().unwrap().to_string_lossy().to_string();
        for (ext, args) in [
            ("txt", &[][..]),
            ("md", &["--output", "markdown"][..]),
            ("json", &["--output", "json"][..]),
        ] {
            let text = plan(&moto, &spec, args);
            golden::check(
                &format!("tests/golden/plan/{stem}.{ext}"),
                text.as_bytes(),
                BLESS,
            );
        }
    }
}

#[test]
fn a_weight_change_after_apply_renders_as_its_golden_files_say() {
    let moto = Moto::start();
    moto.seed();
    let spec = support::repo_root().join("specs/alb-blue-green.yaml");
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .assert()
        .success();
    let text = std::fs::read_to_string(&spec).unwrap();
    let shifted =
        text.replacen("weight: 90", "weight: 50", 1)
            .replacen("weight: 10", "weight: 50", 1);
    assert_ne!(
        text, shifted,
        "the example's weights moved: update this test"
    );
    let changed = support::write_spec(&shifted);
    for (ext, args) in [
        ("txt", &[][..]),
        ("md", &["--output", "markdown"][..]),
        ("json", &["--output", "json"][..]),
    ] {
        let text = plan(&moto, &changed.path, args);
        golden::check(
            &format!("tests/golden/plan/alb-blue-green-shift.{ext}"),
            text.replace(&changed.path.display().to_string(), "SPEC")
                .as_bytes(),
            BLESS,
        );
    }
}
