//! The botocore model check in front of moto (`tests/support/moto_server.py`):
//! requests that break the AWS API model are refused with HTTP 400
//! `LbctlModelViolation` and logged, valid ones reach moto, a test whose
//! requests broke the model fails when its server is dropped, and the
//! checker's decoders read back what botocore writes.
//!
//! Requests are raw HTTP, not the SDK, because the SDK would not send most of
//! these. They carry a SigV4-shaped `Authorization` header with a dummy
//! signature: the checker (like moto) reads only its credential scope to know
//! the service, and moto does not verify signatures.

use crate::support;

use std::io::{Read, Write};
use std::net::TcpStream;

use support::Moto;

const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");

/// A raw request signed (in form only) for `service`, with `headers` added;
/// returns status and body.
fn send(
    moto: &Moto,
    service: &str,
    (method, path): (&str, &str),
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential=testing/20261204/us-east-1/{service}/aws4_request, \
         SignedHeaders=host, Signature=0\r\n\
         Content-Length: {len}\r\nConnection: close\r\n",
        port = moto.port(),
        len = body.len(),
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let mut stream = TcpStream::connect(("127.0.0.1", moto.port())).expect("connect to moto");
    write!(stream, "{head}\r\n{body}").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
    (status, body.unwrap_or_default())
}

fn elbv2(moto: &Moto, params: &str) -> (u16, String) {
    let body = format!("Version=2015-12-01&{params}");
    send(moto, "elasticloadbalancing", ("POST", "/"), &[FORM], &body)
}

/// Asserts one refused request: a 400 naming the member and rule, and exactly
/// one violation line saying the same.
fn assert_violation((status, body): (u16, String), moto: &Moto, op: &str, path: &str, rule: &str) {
    assert_eq!(status, 400, "expected a refusal, got:\n{body}");
    assert!(body.contains("LbctlModelViolation"), "{body}");
    assert!(
        body.contains(&format!("`{path}` breaks `{rule}`")),
        "{body}"
    );
    let lines = moto.take_violations();
    assert_eq!(lines.len(), 1, "one violation line expected: {lines:?}");
    let line: serde_json::Value = serde_json::from_str(&lines[0]).expect("a JSON line");
    assert_eq!(line["operation"], op, "{line}");
    assert_eq!(line["path"], path, "{line}");
    assert_eq!(line["rule"], rule, "{line}");
}

#[test]
fn invalid_elbv2_requests_are_refused_and_logged() {
    let moto = Moto::start();
    // botocore models no range for ELBv2 `Weight` (AWS: 0..999), so the range
    // case uses `Port` (1..65535).
    let out_of_range = elbv2(
        &moto,
        "Action=CreateTargetGroup&Name=web&Protocol=HTTP&Port=70000&VpcId=vpc-1",
    );
    assert_violation(out_of_range, &moto, "CreateTargetGroup", "Port", "max");
    let unknown = elbv2(&moto, "Action=DescribeLoadBalancers&Bogus=1");
    assert_violation(
        unknown,
        &moto,
        "DescribeLoadBalancers",
        "Bogus",
        "unknown-member",
    );
    let missing = elbv2(&moto, "Action=CreateTargetGroup&Protocol=HTTP&Port=80");
    assert_violation(missing, &moto, "CreateTargetGroup", "Name", "required");
    let nested = elbv2(
        &moto,
        "Action=ModifyListener&ListenerArn=arn&DefaultActions.member.1.Type=forwards",
    );
    assert_violation(
        nested,
        &moto,
        "ModifyListener",
        "DefaultActions[0].Type",
        "enum",
    );
    let no_such_operation = elbv2(&moto, "Action=DescribeEverything");
    assert_violation(
        no_such_operation,
        &moto,
        "DescribeEverything",
        "Action",
        "operation",
    );
}

#[test]
fn invalid_route53_requests_are_refused_and_logged() {
    let moto = Moto::start();
    let change = |weight: u32| {
        format!(
            "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
             <ChangeBatch><Changes><Change><Action>UPSERT</Action><ResourceRecordSet>\
             <Name>api.example.com</Name><Type>A</Type><SetIdentifier>blue</SetIdentifier>\
             <Weight>{weight}</Weight><TTL>60</TTL>\
             <ResourceRecords><ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords>\
             </ResourceRecordSet></Change></Changes></ChangeBatch></ChangeResourceRecordSetsRequest>"
        )
    };
    let path = "/2013-04-01/hostedzone/Z123/rrset/";
    let heavy = send(&moto, "route53", ("POST", path), &[], &change(300));
    assert_violation(
        heavy,
        &moto,
        "ChangeResourceRecordSets",
        "ChangeBatch.Changes[0].ResourceRecordSet.Weight",
        "max",
    );
    let list = ("GET", "/2013-04-01/hostedzone?colour=blue");
    let query = send(&moto, "route53", list, &[], "");
    assert_violation(query, &moto, "ListHostedZones", "?colour", "unknown-member");
    // A valid change reaches moto, which answers for itself (no such zone).
    let (status, body) = send(&moto, "route53", ("POST", path), &[], &change(255));
    assert!(body.contains("NoSuchHostedZone"), "{status}: {body}");
    assert!(moto.take_violations().is_empty());
}

#[test]
fn valid_requests_reach_moto() {
    let moto = Moto::start();
    let (status, body) = elbv2(&moto, "Action=DescribeLoadBalancers&PageSize=400");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("DescribeLoadBalancersResponse"), "{body}");
    let (status, body) = elbv2(
        &moto,
        "Action=DescribeTargetGroups&Names.member.1=a&Names.member.2=b",
    );
    assert!(body.contains("TargetGroupNotFound"), "{status}: {body}");
    let (status, body) = send(&moto, "route53", ("GET", "/2013-04-01/hostedzone"), &[], "");
    assert_eq!(status, 200, "{body}");
    assert!(moto.take_violations().is_empty());
}

#[test]
#[should_panic(expected = "broke the AWS API model")]
fn a_violation_fails_the_test_when_the_server_is_dropped() {
    let moto = Moto::start();
    let (status, _) = elbv2(&moto, "Action=DescribeLoadBalancers&PageSize=401");
    assert_eq!(status, 400);
    drop(moto);
}

#[test]
fn invalid_ec2_and_ssm_requests_are_refused_and_logged() {
    let moto = Moto::start();
    let ec2 = |params: &str| {
        let body = format!("Action=DescribeInstances&Version=2016-11-15&{params}");
        send(&moto, "ec2", ("POST", "/"), &[FORM], &body)
    };
    let (status, body) = ec2("Filter.1.Name=tag%3Arole&Filter.1.Value.1=web");
    assert_eq!(status, 200, "{body}");
    let typo = ec2("Filter.1.Nme=tag%3Arole");
    assert!(
        typo.1.contains("<Response><Errors>"),
        "EC2's error form: {}",
        typo.1
    );
    assert_violation(
        typo,
        &moto,
        "DescribeInstances",
        "Filters[0].Nme",
        "unknown-member",
    );

    let ssm = |operation: &str, body: &str| {
        let target = format!("AmazonSSM.{operation}");
        let headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", target.as_str()),
        ];
        send(&moto, "ssm", ("POST", "/"), &headers, body)
    };
    let names: Vec<String> = (0..11).map(|i| format!("\"/p/{i}\"")).collect();
    let eleven = ssm(
        "GetParameters",
        &format!("{{\"Names\":[{}]}}", names.join(",")),
    );
    assert_violation(eleven, &moto, "GetParameters", "Names", "max-length");
    let typed = ssm("GetParameter", r#"{"Name":"/p","WithDecryption":"yes"}"#);
    assert_violation(typed, &moto, "GetParameter", "WithDecryption", "type");
    let (status, body) = ssm("GetParameter", r#"{"Name":"/p","WithDecryption":true}"#);
    assert!(body.contains("ParameterNotFound"), "{status}: {body}");
    assert!(moto.take_violations().is_empty());
}

/// The checker's decoders read back exactly what botocore's serializers write,
/// for every operation of the services lbctl and the tests call (every member
/// set, nested): a decoder mistake would otherwise pass unseen or show up as a
/// false violation (`tests/support/model_roundtrip.py`).
#[test]
fn the_decoders_read_back_what_botocore_writes() {
    let out = std::process::Command::new(support::python())
        .arg(support::repo_root().join("tests/support/model_roundtrip.py"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run model_roundtrip.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(", 0 mismatches"), "{stdout}");
}

#[test]
fn requests_for_unknown_services_or_unsigned_are_refused() {
    let moto = Moto::start();
    let body = "Action=DescribeThings&Version=2020-01-01";
    let unknown = send(&moto, "nosuchservice", ("POST", "/"), &[FORM], body);
    assert_violation(unknown, &moto, "(unknown)", "Authorization", "service");
    let mut stream = TcpStream::connect(("127.0.0.1", moto.port())).unwrap();
    write!(
        stream,
        "GET /2013-04-01/hostedzone HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 400"), "{response}");
    let lines = moto.take_violations();
    assert!(
        lines.len() == 1 && lines[0].contains("\"rule\": \"sigv4\""),
        "{lines:?}"
    );
}
