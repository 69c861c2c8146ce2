//! A health gate that cannot pass, against moto: an in-use target group
//! replaced while one of its instances is stopped. plan warns beforehand;
//! apply stops at the gate (exit 3) and its report lists the temporary
//! target group it created and left in AWS; once the instance runs again
//! the next apply converges and removes it.
//!
//! moto reports a stopped instance's target as `unused`
//! (Target.InvalidState) and every other target healthy at once, so
//! stopping an instance is how a gate is made to fail here.

use crate::support;

use support::{assert_converged, write_spec, Moto};

fn spec(instances: &[String], port: u16) -> String {
    let targets: String = instances
        .iter()
        .map(|id| format!("        - {{ id: {id}, port: 80 }}\n"))
        .collect();
    format!(
        r#"version: 1
stack: gate
region: us-east-1
target_groups:
  web-blue:
    protocol: HTTP
    port: {port}
    vpc: {{ tags: {{ Name: lbctl-demo }} }}
    targets:
      list:
{targets}load_balancers:
  web:
    type: application
    subnets: [ {{ tags: {{ tier: public }} }} ]
    security_groups: [ {{ tags: {{ Name: web-lb }} }} ]
    listeners:
      - port: 80
        protocol: HTTP
        default_action: {{ forward: web-blue }}
"#
    )
}

fn target_group_names(moto: &Moto, rt: &tokio::runtime::Runtime) -> Vec<String> {
    rt.block_on(async {
        let c = moto.elbv2().await;
        let mut names: Vec<String> = c
            .describe_target_groups()
            .send()
            .await
            .unwrap()
            .target_groups()
            .iter()
            .filter_map(|t| t.target_group_name().map(str::to_string))
            .collect();
        names.sort();
        names
    })
}

/// A seeded server with [`spec`] applied over the blue instances: the
/// server and the instance IDs.
fn applied() -> (Moto, Vec<String>) {
    let moto = Moto::start();
    let seed = moto.seed();
    let blue: Vec<String> = seed["instances"]["blue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let base = write_spec(&spec(&blue, 80));
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&base.path)
        .assert()
        .success();
    (moto, blue)
}

#[test]
fn a_failed_in_use_replacement_reports_the_temporary_group_it_left() {
    let (moto, blue) = applied();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let stopped = blue[0].clone();
    rt.block_on(async {
        moto.ec2()
            .await
            .stop_instances()
            .instance_ids(&stopped)
            .send()
            .await
            .unwrap();
    });

    // A port change replaces `web-blue` while the listener uses it.
    let changed = write_spec(&spec(&blue, 8080));
    let out = moto
        .lbctl()
        .args(["plan", "-f"])
        .arg(&changed.path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "target group `web-blue`: the health gate before traffic moves to it cannot pass (`{stopped}:80` is stopped)"
        )),
        "{text}"
    );

    let out = moto
        .lbctl()
        .args(["apply", "--auto-approve", "--health-timeout", "1s", "-f"])
        .arg(&changed.path)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("created by failed steps, still in AWS (1):"),
        "{stderr}"
    );
    assert!(
        stderr.contains("target group `web-blue-lbtmp` (by replace target_group web-blue)"),
        "{stderr}"
    );
    assert!(stderr.contains("1 created and left in AWS"), "{stderr}");
    // The report is true: the temporary group is there.
    assert_eq!(
        target_group_names(&moto, &rt),
        ["web-blue", "web-blue-lbtmp"]
    );

    // With the instance running again, the next apply finishes the job.
    rt.block_on(async {
        moto.ec2()
            .await
            .start_instances()
            .instance_ids(&stopped)
            .send()
            .await
            .unwrap();
    });
    moto.lbctl()
        .args(["apply", "--auto-approve", "-f"])
        .arg(&changed.path)
        .assert()
        .success();
    assert_eq!(target_group_names(&moto, &rt), ["web-blue"]);
    assert_converged(&moto, &changed.path);
}

#[test]
fn targets_list_shows_the_zone_of_each_instance() {
    let (moto, blue) = applied();
    let out = moto
        .lbctl()
        .args(["targets", "list", "web-blue"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{table}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    for id in &blue {
        let zone = rt.block_on(async {
            let out = moto
                .ec2()
                .await
                .describe_instances()
                .instance_ids(id)
                .send()
                .await
                .unwrap();
            out.reservations()[0].instances()[0]
                .placement()
                .and_then(|p| p.availability_zone())
                .unwrap()
                .to_string()
        });
        let row = table
            .lines()
            .find(|l| l.contains(id.as_str()))
            .unwrap_or_else(|| panic!("no row for {id}:\n{table}"));
        assert!(row.contains(&zone), "{id} not in {zone}:\n{table}");
    }
}
