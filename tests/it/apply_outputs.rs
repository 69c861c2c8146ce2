//! What `apply` prints last: the DNS name of each load balancer it created
//! or changed and each record set it wrote, as text and as JSON
//! (`--output json`, with the plan on stderr). The real binary against
//! moto, the DNS names read back with the SDK.

use crate::support;

use support::{write_spec, Moto};

fn dns_spec() -> String {
    std::fs::read_to_string(support::repo_root().join("specs/dns.yaml")).unwrap()
}

async fn dns_name(moto: &Moto, lb: &str) -> String {
    let elb = moto.elbv2().await;
    let out = elb
        .describe_load_balancers()
        .names(lb)
        .send()
        .await
        .unwrap();
    out.load_balancers()[0].dns_name().unwrap().to_string()
}

#[test]
fn apply_ends_with_dns_names_and_record_names() {
    let moto = Moto::start();
    moto.seed();
    let spec = write_spec(&dns_spec());
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let site = rt.block_on(dns_name(&moto, "site"));
    assert!(
        stdout.contains(&format!("\nload_balancer site: {site}\n")),
        "{stdout}"
    );
    for r in [
        "record_set www.example.com. A",
        "record_set api.example.com. A",
    ] {
        assert!(stdout.contains(&format!("{r}\n")), "{stdout}");
    }
    let outputs = stdout.split("to delete.\n").nth(1).unwrap_or_default();
    assert!(outputs.starts_with("\nload_balancer site"), "{stdout}");
    assert!(!outputs.contains("_lbctl"), "{stdout}");

    // A changed weight: JSON names the record set and only JSON is on stdout.
    let changed = dns_spec().replace("{ id: api-blue, weight: 50,", "{ id: api-blue, weight: 70,");
    assert_ne!(changed, dns_spec());
    let spec = write_spec(&changed);
    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "--output", "json", "-f"])
        .arg(&spec.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("~ record_set api.example.com. A"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(
        v,
        serde_json::json!({
            "load_balancers": [],
            "record_sets": [{ "name": "api.example.com.", "type": "A" }],
        })
    );
}
