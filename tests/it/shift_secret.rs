//! `lbctl shift -f SPEC` does not show a live weight taken from a
//! SecureString parameter of the spec, nor the share computed from it: the
//! real binary against moto SSM and ELBv2.

use crate::support;

use support::Moto;

const SPEC: &str = r#"version: 1
stack: shsec
region: us-east-1
parameters:
  fw: { ssm: /lbctl-test/shift/fw }
target_groups:
  shsec-a:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
    targets: { list: [ { id: 10.0.11.61, port: 80 } ] }
  shsec-b:
    protocol: HTTP
    port: 80
    vpc: { tags: { Name: lbctl-demo } }
    target_type: ip
    targets: { list: [ { id: 10.0.12.61, port: 80 } ] }
load_balancers:
  shsec:
    type: application
    scheme: internet-facing
    subnets: [ { tags: { tier: public } } ]
    listeners:
      - port: 80
        protocol: HTTP
        default_action:
          forward:
            target_groups:
              - { name: shsec-a, weight: "${fw}" }
              - { name: shsec-b, weight: 10 }
"#;

#[test]
fn shift_masks_a_live_weight_from_a_secure_parameter() {
    let moto = Moto::start();
    moto.seed();
    moto.put_parameter("/lbctl-test/shift/fw", "61", true);
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("shsec.yaml");
    std::fs::write(&spec, SPEC).unwrap();
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = moto
        .lbctl()
        .args(["shift", "shsec:80", "--to", "shsec-b", "--steps", "100"])
        .args(["--interval", "0", "-f"])
        .arg(&spec)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // 61 and the share of shsec-b computed from it (10 of 71).
    assert!(!stderr.contains("61"), "{stderr}");
    assert!(!stderr.contains("14%"), "{stderr}");
    assert!(
        stderr.contains("now shsec-a (sensitive), shsec-b 10 ((sensitive))"),
        "{stderr}"
    );
    assert!(stderr.contains("shsec-a 0, shsec-b 100"), "{stderr}");
}
