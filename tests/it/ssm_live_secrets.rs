//! Live values that are SecureStrings, end to end: the real `lbctl` binary
//! against moto SSM and Route 53. When a secret rotates, or the spec stops
//! using a SecureString it still declares, the live value being replaced
//! is a secret too: a saved plan must not hold it (its record set delete
//! carries it), nor may plan show the traffic shares computed from it. The
//! saved plan must still apply. And a problem with a short SecureString
//! value (a weight out of range) does not quote it.

use crate::support;

use std::path::Path;

use support::Moto;

const TTL: &str = "/lbctl-test/live/ttl";
const WEIGHT: &str = "/lbctl-test/live/weight";

const SECRET_SPEC: &str = r#"version: 1
stack: livesec
region: us-east-1
parameters:
  ttl: { ssm: /lbctl-test/live/ttl }
  weight: { ssm: /lbctl-test/live/weight }
dns:
  - zone: example.com
    records:
      - name: livesec
        type: A
        ttl: "${ttl}"
        weighted:
          - { id: livesec-blue, weight: "${weight}", values: [203.0.113.91] }
          - { id: livesec-green, weight: 13, values: [203.0.113.92] }
"#;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn put(moto: &Moto, name: &str, value: &str) {
    moto.put_parameter(name, value, true);
}

/// Whether `text` shows `n` as a word of its own.
fn shows(text: &str, n: &str) -> bool {
    text.match_indices(n).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + n.len()..].chars().next();
        let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
        !part(before) && !part(after)
    })
}

fn assert_hidden(what: &str, text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!shows(text, s), "{what} shows `{s}`:\n{text}");
    }
}

fn lbctl(moto: &Moto, args: &[&str]) -> (i32, String, String) {
    let out = moto.lbctl().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

/// `plan --out` to a file in `dir`, checked for `secrets`, then applied.
fn save_check_apply(moto: &Moto, dir: &Path, spec: &Path, secrets: &[&str]) {
    let file = dir.join("plan.json");
    let (f, s) = (file.to_str().unwrap(), spec.to_str().unwrap());
    let (code, _, stderr) = lbctl(moto, &["plan", "-f", s, "--out", f]);
    assert_eq!(code, 0, "{stderr}");
    let saved = std::fs::read_to_string(&file).unwrap();
    assert_hidden("the saved plan", &saved, secrets);
    let (code, stdout, stderr) = lbctl(moto, &["apply", f]);
    assert_eq!(code, 0, "apply of the saved plan:\n{stdout}\n{stderr}");
    assert_hidden("apply", &format!("{stdout}\n{stderr}"), secrets);
    support::assert_converged(moto, spec);
}

/// (weight, ttl) of the blue member in moto.
fn blue(moto: &Moto) -> (Option<i64>, Option<i64>) {
    runtime().block_on(async {
        let sets = moto.record_sets("example.com").await;
        let r = sets
            .iter()
            .find(|r| r.set_identifier() == Some("livesec-blue"))
            .expect("the blue member exists");
        (r.weight(), r.ttl())
    })
}

#[test]
fn live_secret_values_stay_out_of_saved_plans_and_shares() {
    let moto = Moto::start();
    moto.seed();
    put(&moto, TTL, "6131");
    put(&moto, WEIGHT, "217");
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("livesec.yaml");
    std::fs::write(&spec, SECRET_SPEC).unwrap();
    let s = spec.to_str().unwrap();
    let (code, stdout, stderr) = lbctl(&moto, &["apply", "-f", s, "--auto-approve"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");

    // Rotated: the delete of the old members carries the old secrets.
    put(&moto, TTL, "6137");
    put(&moto, WEIGHT, "229");
    save_check_apply(&moto, dir.path(), &spec, &["6131", "217", "6137", "229"]);
    assert_eq!(blue(&moto), (Some(229), Some(6137)));

    // The spec stops using the secrets but still declares them: the live
    // values equal them, and so do the shares computed from the old weight
    // (229 and 13 of 242).
    let plain = SECRET_SPEC
        .replace("\"${ttl}\"", "60")
        .replace("\"${weight}\"", "5");
    std::fs::write(&spec, plain).unwrap();
    let old = ["6137", "229", "94.6%", "5.4%"];
    for args in [&[][..], &["--output", "json"], &["--output", "markdown"]] {
        let mut all = vec!["plan", "-f", s];
        all.extend_from_slice(args);
        let (code, out, stderr) = lbctl(&moto, &all);
        assert_eq!(code, 0, "{stderr}");
        assert_hidden("plan without the secrets", &out, &old);
        // The new shares (5 and 13 of 18) are no secret.
        assert!(out.contains("27.8%"), "{out}");
    }
    save_check_apply(&moto, dir.path(), &spec, &old);
    assert_eq!(blue(&moto), (Some(5), Some(60)));
}

#[test]
fn a_problem_with_a_short_secret_value_does_not_quote_it() {
    let moto = Moto::start();
    moto.seed();
    put(&moto, TTL, "60");
    put(&moto, WEIGHT, "300");
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("livesec.yaml");
    std::fs::write(&spec, SECRET_SPEC).unwrap();
    let s = spec.to_str().unwrap();
    for args in [
        &["plan", "-f", s][..],
        &["apply", "-f", s, "--auto-approve"],
    ] {
        let (code, stdout, stderr) = lbctl(&moto, args);
        assert_eq!(code, 1, "{stdout}\n{stderr}");
        assert_hidden(args[0], &format!("{stdout}\n{stderr}"), &["300"]);
        assert!(
            stderr.contains("livesec.yaml:14:")
                && stderr.contains("weight ((sensitive)) must be between 0 and 255"),
            "{stderr}"
        );
    }
}
