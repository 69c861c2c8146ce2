//! Instance selectors end to end: targets `{ instances: { tags: ... } }`
//! and `weighted_from_instances` records follow the running instances of
//! a moto server (seeded: 4 running instances role=web, 2 blue, 2 green,
//! in private subnets) through the real binary; state read back with the
//! SDK.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use aws_sdk_ec2::types::{
    InstanceNetworkInterfaceSpecification, InstanceType, ResourceType, Tag, TagSpecification,
};
use serde_json::Value;
use support::{assert_converged, write_spec, Moto};

/// A target group and a record set, both following the blue instances.
fn fleet_spec(address: &str) -> String {
    format!(
        "\
version: 1
stack: fleet
target_groups:
  web-blue:
    protocol: HTTP
    port: 80
    vpc: {{ tags: {{ Name: lbctl-demo }} }}
    target_type: instance
    targets:
      list:
        - {{ instances: {{ tags: {{ role: web, color: blue }} }}, port: 80 }}
dns:
  - zone: example.com
    records:
      - name: edge
        type: A
        ttl: 30
        weighted_from_instances:
          instances: {{ tags: {{ role: web, color: blue }} }}
          address: {address}
          weight: 10
"
    )
}

fn run(moto: &Moto, args: &[&str], spec: &Path) -> String {
    let out = moto
        .lbctl()
        .args(args)
        .arg("-f")
        .arg(spec)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "lbctl {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn apply(moto: &Moto, spec: &Path) {
    run(moto, &["apply", "--auto-approve"], spec);
}

fn plan_json(moto: &Moto, spec: &Path) -> Value {
    let out = run(moto, &["plan", "--output", "json"], spec);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn warnings(plan: &Value) -> Vec<String> {
    plan["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect()
}

/// (kind, action, name, [(path, before, after)]) of every step.
type StepView = (String, String, String, Vec<(String, Value, Value)>);

fn steps(plan: &Value) -> Vec<StepView> {
    let s = |v: &Value| v.as_str().unwrap().to_string();
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| {
            let changes = st["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (s(&c["path"]), c["before"].clone(), c["after"].clone()))
                .collect();
            (s(&st["kind"]), s(&st["action"]), s(&st["name"]), changes)
        })
        .collect()
}

fn blue(seed: &Value) -> Vec<String> {
    let mut ids: Vec<String> = seed["instances"]["blue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// Registered targets of a target group, as `id:port`.
async fn targets(moto: &Moto, name: &str) -> BTreeSet<String> {
    moto.target_ids(name).await.into_iter().collect()
}

/// Members of `edge.example.com. A`: set identifier -> (weight, values).
async fn edge(moto: &Moto) -> BTreeMap<String, (i64, Vec<String>)> {
    moto.record_set("example.com", "edge.example.com.", "A")
        .await
        .iter()
        .map(|r| {
            let values = r.resource_records().iter().map(|v| v.value().to_string());
            (
                r.set_identifier().unwrap_or_default().to_string(),
                (r.weight().unwrap_or(-1), values.collect()),
            )
        })
        .collect()
}

/// Private and public IPv4 address of an instance.
async fn addresses(moto: &Moto, id: &str) -> (Option<String>, Option<String>) {
    let out = moto
        .ec2()
        .await
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .unwrap();
    let i = &out.reservations()[0].instances()[0];
    (
        i.private_ip_address().map(str::to_string),
        i.public_ip_address().map(str::to_string),
    )
}

/// Launches one instance tagged role=web, color=blue in `subnet`, with a
/// public IP when `public`.
async fn launch_blue(moto: &Moto, subnet: &str, public: bool) -> String {
    let ec2 = moto.ec2().await;
    let images = ec2
        .describe_images()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("name")
                .values("ubuntu/images/*")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let ami = images
        .images()
        .iter()
        .filter_map(|i| i.image_id())
        .min()
        .unwrap()
        .to_string();
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v).build();
    let mut req = ec2
        .run_instances()
        .image_id(ami)
        .instance_type(InstanceType::T3Micro)
        .min_count(1)
        .max_count(1)
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Instance)
                .tags(tag("Name", "web-blue-3"))
                .tags(tag("role", "web"))
                .tags(tag("color", "blue"))
                .build(),
        );
    req = if public {
        req.network_interfaces(
            InstanceNetworkInterfaceSpecification::builder()
                .device_index(0)
                .subnet_id(subnet)
                .associate_public_ip_address(true)
                .build(),
        )
    } else {
        req.subnet_id(subnet)
    };
    let out = req.send().await.unwrap();
    out.instances()[0].instance_id().unwrap().to_string()
}

async fn terminate(moto: &Moto, id: &str) {
    moto.ec2()
        .await
        .terminate_instances()
        .instance_ids(id)
        .send()
        .await
        .unwrap();
}

async fn stop(moto: &Moto, id: &str) {
    moto.ec2()
        .await
        .stop_instances()
        .instance_ids(id)
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn targets_and_records_follow_the_running_instances() {
    let moto = Moto::start();
    let seed = moto.seed();
    let old = blue(&seed);
    let spec = write_spec(&fleet_spec("private"));

    apply(&moto, &spec.path);
    let want: BTreeSet<String> = old.iter().map(|id| format!("{id}:80")).collect();
    assert_eq!(targets(&moto, "web-blue").await, want);
    let mut want_records = BTreeMap::new();
    for id in &old {
        let ip = addresses(&moto, id).await.0.unwrap();
        want_records.insert(id.clone(), (10, vec![ip]));
    }
    assert_eq!(edge(&moto).await, want_records);
    assert_converged(&moto, &spec.path);

    // Scale: one new blue instance; one old one terminated, the other
    // stopped. AWS deregisters terminated instances from target groups by
    // itself (moto does too), so lbctl only has to deregister the stopped
    // one (moto shows it `unused`, Target.InvalidState, as AWS does).
    let subnet = seed["subnets"]["private-a"].as_str().unwrap();
    let new = launch_blue(&moto, subnet, false).await;
    let (gone, stopped) = (&old[0], &old[1]);
    terminate(&moto, gone).await;
    stop(&moto, stopped).await;
    let new_ip = addresses(&moto, &new).await.0.unwrap();
    let ip = |id: &String| want_records[id].1[0].clone();

    let plan = plan_json(&moto, &spec.path);
    let got = steps(&plan);
    assert_eq!(got.len(), 2, "{plan:#}");
    assert_eq!(
        got[0],
        (
            "targets".into(),
            "update".into(),
            "web-blue".into(),
            vec![
                ("targets".into(), Value::Null, format!("{new}:80").into()),
                (
                    "targets".into(),
                    format!("{stopped}:80").into(),
                    Value::Null
                ),
            ]
        ),
        "{plan:#}"
    );
    let (kind, action, name, changes) = &got[1];
    assert_eq!(
        (kind.as_str(), action.as_str(), name.as_str()),
        ("record_set", "update", "edge.example.com. A"),
        "{plan:#}"
    );
    let member = |ip: &str| serde_json::json!({ "weight": 10, "ttl": 30, "values": [ip] });
    let changes: BTreeSet<String> = changes.iter().map(|c| format!("{c:?}")).collect();
    let want: BTreeSet<String> = [
        (new.clone(), Value::Null, member(&new_ip)),
        (gone.clone(), member(&ip(gone)), Value::Null),
        (stopped.clone(), member(&ip(stopped)), Value::Null),
    ]
    .iter()
    .map(|c| format!("{c:?}"))
    .collect();
    assert_eq!(changes, want, "{plan:#}");
    // The records of the terminated and the stopped instance point at
    // nothing that answers: blackholes, named in warnings.
    let stale = warnings(&plan);
    for id in [gone, stopped] {
        let text = format!("member `{id}` points at {}", ip(id));
        assert!(stale.iter().any(|w| w.contains(&text)), "{stale:?}");
    }

    apply(&moto, &spec.path);
    assert_converged(&moto, &spec.path);
    assert_eq!(
        targets(&moto, "web-blue").await,
        BTreeSet::from([format!("{new}:80")])
    );
    let mut want = BTreeMap::new();
    want.insert(new.clone(), (10, vec![new_ip]));
    assert_eq!(edge(&moto).await, want);
}

/// moto has no carrier IPs (Wavelength zones are not emulated;
/// NetworkBorderGroup is ignored), so `address: carrier` can only be
/// tested for its skipping: every instance is left out with a warning,
/// and the record set is empty but owned. A carrier IP, when present, is
/// read from the primary interface's association (unit-tested in
/// `aws::instances`).
#[tokio::test(flavor = "multi_thread")]
async fn carrier_addresses_skip_every_instance_with_a_warning() {
    let moto = Moto::start();
    let seed = moto.seed();
    let mut text = fleet_spec("carrier");
    text.push_str(
        "      - name: nobody
        type: A
        weighted_from_instances:
          instances: { tags: { role: nobody } }
          address: private
          weight: 1
",
    );
    let spec = write_spec(&text);
    let plan = plan_json(&moto, &spec.path);
    let w = warnings(&plan);
    let skipped = w
        .iter()
        .find(|w| w.contains("without a carrier IP get no record"))
        .unwrap_or_else(|| panic!("{w:?}"));
    assert!(
        skipped.starts_with("record set `edge.example.com. A`: 2 instances"),
        "{skipped}"
    );
    for id in blue(&seed) {
        assert!(skipped.contains(&id), "{skipped}");
    }
    // Scaling to zero is legal: a warning, not an error.
    assert!(
        w.contains(
            &"record set `nobody.example.com. A`: instance selector `{ tags: { role: nobody } }` \
              matches no running instance"
                .to_string()
        ),
        "{w:?}"
    );
    apply(&moto, &spec.path);
    assert!(edge(&moto).await.is_empty());
    assert_converged(&moto, &spec.path);
}

/// The seeded instances have no public IP (custom VPC, no
/// MapPublicIpOnLaunch); an instance launched with
/// AssociatePublicIpAddress gets one from moto, so `address: public`
/// gives exactly that instance a record and skips the others.
#[tokio::test(flavor = "multi_thread")]
async fn public_addresses_come_from_instances_that_have_one() {
    let moto = Moto::start();
    let seed = moto.seed();
    let subnet = seed["subnets"]["private-b"].as_str().unwrap();
    let new = launch_blue(&moto, subnet, true).await;
    let public = addresses(&moto, &new)
        .await
        .1
        .expect("moto gives a public IP");
    let spec = write_spec(&fleet_spec("public"));

    let plan = plan_json(&moto, &spec.path);
    let w = warnings(&plan);
    let skipped = w
        .iter()
        .find(|w| w.contains("without a public IP get no record"))
        .unwrap_or_else(|| panic!("{w:?}"));
    for id in blue(&seed) {
        assert!(skipped.contains(&id), "{skipped}");
    }
    assert!(!skipped.contains(&new), "{skipped}");

    apply(&moto, &spec.path);
    let mut want = BTreeMap::new();
    want.insert(new.clone(), (10, vec![public]));
    assert_eq!(edge(&moto).await, want);
    // The target group registers every blue instance, public IP or not.
    assert_eq!(targets(&moto, "web-blue").await.len(), 3);
    assert_converged(&moto, &spec.path);
}
