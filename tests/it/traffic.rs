//! `plan --traffic` end to end: the real `lbctl` binary against a moto
//! server (see `tests/support`). Target zones come from the seeded subnets
//! (private-a 10.0.11.0/24 in us-east-1a, private-b 10.0.12.0/24 in
//! us-east-1b) through EC2, as they would from AWS.

use crate::support;

use support::Moto;

const SPEC: &str = r#"
version: 1
stack: traffic
region: us-east-1
target_groups:
  lopsided:
    protocol: TCP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
    health_check: { protocol: TCP }
    targets:
      list:
        - { id: 10.0.11.50, port: 80 }
        - { id: 10.0.11.51, port: 80 }
        - { id: 10.0.11.52, port: 80 }
        - { id: 10.0.12.50, port: 80 }
load_balancers:
  lopsided:
    type: network
    scheme: internal
    subnets: [ { tags: { tier: public } } ]
    attributes:
      cross_zone: CROSS_ZONE
    listeners:
      - port: 80
        protocol: TCP
        default_action: { forward: lopsided }
"#;

fn plan_traffic(moto: &Moto, cross_zone: bool) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, SPEC.replace("CROSS_ZONE", &cross_zone.to_string())).unwrap();
    let out = moto
        .lbctl()
        .args(["plan", "--traffic", "-f"])
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "plan failed:\n{stdout}\n{stderr}");
    (stdout, stderr)
}

/// The table's (target, zone, share) for each row.
fn rows(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .filter(|l| l.contains("lopsided") && l.contains("TCP:80"))
        .map(|l| {
            // Borders only: cells are separated by spaces, and no cell
            // of this table has one.
            let cells: Vec<&str> = l.trim_matches(['│', ' ']).split_whitespace().collect();
            let n = cells.len();
            assert!(n >= 6, "not a table row: {l}");
            (
                cells[n - 3].to_string(),
                cells[n - 2].to_string(),
                cells[n - 1].to_string(),
            )
        })
        .collect()
}

fn expected(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn cross_zone_off_gives_the_lone_zone_b_target_half_the_traffic() {
    let moto = Moto::start();
    moto.seed();
    let (stdout, _) = plan_traffic(&moto, false);
    assert!(stdout.contains("load balancer"), "{stdout}");
    assert_eq!(
        rows(&stdout),
        expected(&[
            ("10.0.11.50:80", "us-east-1a", "16.7%"),
            ("10.0.11.51:80", "us-east-1a", "16.7%"),
            ("10.0.11.52:80", "us-east-1a", "16.7%"),
            ("10.0.12.50:80", "us-east-1b", "50.0%"),
        ]),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "warning: target `10.0.12.50:80` of target group `lopsided` gets 2.0x the average"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("targets in zone `us-east-1b` get 3.0x the share"),
        "{stdout}"
    );

    let (stdout, _) = plan_traffic(&moto, true);
    let shares: Vec<String> = rows(&stdout).into_iter().map(|r| r.2).collect();
    assert_eq!(shares, ["25.0%"; 4], "{stdout}");
    assert!(!stdout.contains("the average"), "{stdout}");
}

#[test]
fn without_the_flag_there_is_no_table() {
    let moto = Moto::start();
    moto.seed();
    let out = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(support::repo_root().join("specs/nlb.yaml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("Traffic share"), "{stdout}");
}

#[test]
fn an_enabled_zone_without_targets_is_a_warning() {
    // The load balancer's subnets are the three public ones (us-east-1a,
    // b and c); the targets are in a and b only.
    let moto = Moto::start();
    moto.seed();
    let (stdout, _) = plan_traffic(&moto, false);
    assert!(
        stdout.contains(
            "warning: zone `us-east-1c` is enabled on load balancer `lopsided` but target group \
             `lopsided` has no target there: cross-zone load balancing is off"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("zone `us-east-1a` is enabled"), "{stdout}");
    let (stdout, _) = plan_traffic(&moto, true);
    assert!(
        stdout.contains("zone `us-east-1c` is enabled on load balancer `lopsided`"),
        "{stdout}"
    );
    assert!(stdout.contains("crosses to other zones"), "{stdout}");
}
