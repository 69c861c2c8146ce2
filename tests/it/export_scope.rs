//! `lbctl export` of a load balancer or hosted zone that does not exist
//! names where it looked (region and account), like every other lookup
//! error: the real binary against moto.

use crate::support;

use support::Moto;

#[test]
fn export_of_a_missing_name_says_where_it_looked() {
    let moto = Moto::start();
    for args in [
        ["export", "--load-balancer", "nope"],
        ["export", "--zone", "nope.example.org"],
    ] {
        let out = moto.lbctl().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("does not exist"), "{stderr}");
        assert!(
            stderr.contains("in region `us-east-1` of account `123456789012`"),
            "{stderr}"
        );
    }
}
