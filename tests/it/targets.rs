//! `lbctl targets` end to end: the real binary against a moto server per
//! test, after applying `specs/demo.yaml` (target group `demo-web`, two IP
//! targets, used by the HTTP:80 listener, tagged `lbctl:stack=demo`).
//!
//! moto reports every target `healthy` at once and deregisters instantly
//! (never `initial` or `draining`), so the waits here end on their first
//! poll; their bounds and countdowns are exercised only on real AWS.

use crate::support;

use predicates::prelude::*;
use support::Moto;

const TG: &str = "demo-web";

/// A moto server with the demo stack applied.
fn demo() -> Moto {
    let moto = Moto::start();
    moto.seed();
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(support::repo_root().join("specs/demo.yaml"))
        .assert()
        .success();
    moto
}

/// Registered targets of `demo-web` as `id:port`, sorted, read with the SDK.
fn registered(moto: &Moto) -> Vec<String> {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(moto.target_ids(TG))
}

/// `lbctl targets list demo-web`, stdout.
fn list(moto: &Moto) -> String {
    let out = moto.lbctl().args(["targets", "list", TG]).output().unwrap();
    assert!(
        out.status.success(),
        "targets list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The table row of a target, if it has one.
fn row<'a>(table: &'a str, id: &str) -> Option<&'a str> {
    table.lines().find(|l| l.contains(&format!(" {id} ")))
}

#[test]
fn register_and_deregister_with_wait() {
    let moto = demo();

    let table = list(&moto);
    for header in ["target", "port", "zone", "state", "reason", "description"] {
        assert!(table.contains(header), "no `{header}` column:\n{table}");
    }
    for id in ["10.0.11.10", "10.0.12.10"] {
        let r = row(&table, id).unwrap_or_else(|| panic!("no row for {id}:\n{table}"));
        assert!(r.contains("80") && r.contains("healthy"), "{r}");
    }
    // `health` is the same table.
    moto.lbctl()
        .args(["targets", "health", TG])
        .assert()
        .success()
        .stdout(predicate::str::contains("10.0.11.10"));

    // A third IP target; the port defaults to the target group's (80). The
    // group is managed by the demo spec, so lbctl warns that apply undoes this.
    moto.lbctl()
        .args(["targets", "register", TG, "10.0.11.30", "--wait"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning:"))
        .stderr(predicate::str::contains("managed by stack `demo`"))
        .stderr(predicate::str::contains("mode: additive"))
        .stderr(predicate::str::contains("1 of 1 target(s) healthy"));
    let table = list(&moto);
    let r = row(&table, "10.0.11.30").unwrap_or_else(|| panic!("not listed:\n{table}"));
    assert!(r.contains("80") && r.contains("healthy"), "{r}");
    assert_eq!(
        registered(&moto),
        ["10.0.11.10:80", "10.0.11.30:80", "10.0.12.10:80"]
    );

    // moto deregisters instantly, so the wait ends on its first poll.
    moto.lbctl()
        .args(["targets", "deregister", TG, "10.0.11.30:80", "--wait"])
        .assert()
        .success()
        .stderr(predicate::str::contains("managed by stack `demo`"))
        .stderr(predicate::str::contains("drained"));
    assert!(row(&list(&moto), "10.0.11.30").is_none());
    assert_eq!(registered(&moto), ["10.0.11.10:80", "10.0.12.10:80"]);
}

#[test]
fn deregistering_below_the_healthy_minimum_is_refused_unless_forced() {
    let moto = demo();

    // Both targets: nothing healthy would remain.
    moto.lbctl()
        .args(["targets", "deregister", TG, "10.0.11.10", "10.0.12.10"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refusing to deregister"))
        .stderr(predicate::str::contains(
            "leave 0 of its 2 healthy target(s)",
        ))
        .stderr(predicate::str::contains("nothing was changed"))
        .stderr(predicate::str::contains("hint:").and(predicate::str::contains("--force")))
        .stderr(predicate::str::contains("managed by stack").not());
    assert_eq!(registered(&moto), ["10.0.11.10:80", "10.0.12.10:80"]);

    // One of two, keeping at least two: refused too; so is 100%.
    for min in ["2", "100%"] {
        moto.lbctl()
            .args([
                "targets",
                "deregister",
                TG,
                "10.0.11.10",
                "--min-healthy",
                min,
            ])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "fewer than the 2 required by --min-healthy {min}"
            )));
    }
    assert_eq!(registered(&moto), ["10.0.11.10:80", "10.0.12.10:80"]);

    // 50% of two is one: one may go (checked with the second refusal below).
    moto.lbctl()
        .args([
            "targets",
            "deregister",
            TG,
            "10.0.11.10",
            "--min-healthy",
            "50%",
        ])
        .assert()
        .success();
    assert_eq!(registered(&moto), ["10.0.12.10:80"]);
    moto.lbctl()
        .args(["targets", "deregister", TG, "10.0.12.10"])
        .assert()
        .code(1);
    assert_eq!(registered(&moto), ["10.0.12.10:80"]);

    // --force goes ahead, with a warning.
    moto.lbctl()
        .args(["targets", "deregister", TG, "10.0.12.10", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("deregistering anyway (--force)"));
    assert!(registered(&moto).is_empty());
    moto.lbctl()
        .args(["targets", "list", TG])
        .assert()
        .success()
        .stderr(predicate::str::contains("no registered targets"));
}

#[test]
fn bad_names_and_targets_are_errors_that_change_nothing() {
    let moto = demo();

    moto.lbctl()
        .args(["targets", "list", "no-such-tg"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "target group `no-such-tg` not found",
        ));

    moto.lbctl()
        .args([
            "targets",
            "register",
            TG,
            "10.0.11.40",
            "web-1:80",
            "10.0.11.41:99999",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("`web-1:80` is not a valid target"))
        .stderr(predicate::str::contains(
            "`10.0.11.41:99999` is not a valid target",
        ))
        .stderr(predicate::str::contains("[ADDRESS]:PORT"));

    // An instance ID in an `ip` target group.
    moto.lbctl()
        .args(["targets", "register", TG, "i-0123456789abcdef0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("takes `ip` targets"));

    moto.lbctl()
        .args(["targets", "deregister", TG, "10.0.11.99"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "not registered in target group `demo-web`",
        ));

    moto.lbctl()
        .args([
            "targets",
            "deregister",
            TG,
            "10.0.11.10",
            "--min-healthy",
            "lots",
        ])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("--min-healthy `lots`"));

    assert_eq!(registered(&moto), ["10.0.11.10:80", "10.0.12.10:80"]);
}

#[test]
fn list_shows_the_zone_of_each_ip_target() {
    // moto, like AWS for targets registered without a zone, names none:
    // the zone is that of the VPC subnet holding the address (seed.py:
    // 10.0.11.0/24 in us-east-1a, 10.0.12.0/24 in us-east-1b).
    let moto = demo();
    let table = list(&moto);
    for (id, zone) in [("10.0.11.10", "us-east-1a"), ("10.0.12.10", "us-east-1b")] {
        let r = row(&table, id).unwrap_or_else(|| panic!("no row for {id}:\n{table}"));
        assert!(r.contains(zone), "{id} not in {zone}:\n{table}");
    }
}
