#!/usr/bin/env python3
"""Seed a moto server with the network, instances, certificates and zone lbctl's demo needs.

Usage: seed.py --endpoint http://127.0.0.1:PORT [--json]

Creates, in us-east-1 (account 123456789012, moto's default):
  - VPC 10.0.0.0/16 tagged Name=lbctl-demo
  - public subnets public-a/b/c (10.0.1-3.0/24, us-east-1a/b/c, tier=public)
  - private subnets private-a/b (10.0.11.0/24 us-east-1a, 10.0.12.0/24 us-east-1b, tier=private)
  - security group web-lb (tagged Name=web-lb)
  - 4 running instances in the private subnets, role=web, color=blue (2) and color=green (2)
  - IAM server certificates lbctl-demo and lbctl-demo-extra (self-signed, made here)
  - Route 53 public hosted zone example.com
  - SSM SecureString /lbctl-demo/oidc-client-secret (the OIDC client secret of specs/alb-oidc.yaml)

Idempotent: everything is looked up by its tags or name first, so running it again on the
same server creates nothing new and prints the same IDs. With --json, prints one JSON
object with every ID and ARN; otherwise a short human-readable summary.
Only talks to the endpoint it is given, never to real AWS.
"""

import argparse
import datetime
import json
import sys

import boto3
from botocore.exceptions import ClientError

REGION = "us-east-1"
VPC_NAME = "lbctl-demo"
VPC_CIDR = "10.0.0.0/16"
SUBNETS = [
    # (Name, CIDR, AZ, tier)
    ("public-a", "10.0.1.0/24", "us-east-1a", "public"),
    ("public-b", "10.0.2.0/24", "us-east-1b", "public"),
    ("public-c", "10.0.3.0/24", "us-east-1c", "public"),
    ("private-a", "10.0.11.0/24", "us-east-1a", "private"),
    ("private-b", "10.0.12.0/24", "us-east-1b", "private"),
]
SG_NAME = "web-lb"
INSTANCES = [
    # (Name, color, subnet Name): one of each color per private subnet
    ("web-blue-1", "blue", "private-a"),
    ("web-blue-2", "blue", "private-b"),
    ("web-green-1", "green", "private-a"),
    ("web-green-2", "green", "private-b"),
]
CERT_NAMES = ["lbctl-demo", "lbctl-demo-extra"]
ZONE_NAME = "example.com"


def tags(**kv):
    return [{"Key": k, "Value": v} for k, v in kv.items()]


def clients(endpoint):
    kw = dict(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return (
        boto3.client("ec2", **kw),
        boto3.client("iam", **kw),
        boto3.client("route53", **kw),
    )


def ensure_vpc(ec2):
    found = ec2.describe_vpcs(
        Filters=[{"Name": "tag:Name", "Values": [VPC_NAME]}, {"Name": "cidr", "Values": [VPC_CIDR]}]
    )["Vpcs"]
    if found:
        return found[0]["VpcId"]
    vpc = ec2.create_vpc(
        CidrBlock=VPC_CIDR,
        TagSpecifications=[{"ResourceType": "vpc", "Tags": tags(Name=VPC_NAME)}],
    )["Vpc"]
    return vpc["VpcId"]


def ensure_subnets(ec2, vpc_id):
    existing = {
        t["Value"]: s["SubnetId"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        for t in s.get("Tags", [])
        if t["Key"] == "Name"
    }
    ids = {}
    for name, cidr, az, tier in SUBNETS:
        if name in existing:
            ids[name] = existing[name]
            continue
        subnet = ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=cidr,
            AvailabilityZone=az,
            TagSpecifications=[{"ResourceType": "subnet", "Tags": tags(Name=name, tier=tier)}],
        )["Subnet"]
        ids[name] = subnet["SubnetId"]
    return ids


def ensure_security_group(ec2, vpc_id):
    found = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": [SG_NAME]}]
    )["SecurityGroups"]
    if found:
        return found[0]["GroupId"]
    return ec2.create_security_group(
        GroupName=SG_NAME,
        Description="lbctl demo load balancer security group",
        VpcId=vpc_id,
        TagSpecifications=[{"ResourceType": "security-group", "Tags": tags(Name=SG_NAME)}],
    )["GroupId"]


def demo_ami(ec2):
    # moto ships a fixed set of AMIs; take the first by ID so every run picks the same one.
    # Narrow by name first: listing all ~1,200 of them costs moto over a second.
    images = (
        ec2.describe_images(Filters=[{"Name": "name", "Values": ["ubuntu/images/*"]}])["Images"]
        or ec2.describe_images()["Images"]
    )
    if not images:
        sys.exit("seed: moto offers no AMIs to launch instances from")
    return min(images, key=lambda i: i["ImageId"])["ImageId"]


def ensure_instances(ec2, vpc_id, subnet_ids):
    reservations = ec2.describe_instances(
        Filters=[
            {"Name": "vpc-id", "Values": [vpc_id]},
            {"Name": "tag:role", "Values": ["web"]},
            {"Name": "instance-state-name", "Values": ["pending", "running"]},
        ]
    )["Reservations"]
    by_name = {}
    for r in reservations:
        for i in r["Instances"]:
            name = next((t["Value"] for t in i.get("Tags", []) if t["Key"] == "Name"), None)
            by_name.setdefault(name, i["InstanceId"])
    ami = None
    ids = {"blue": [], "green": []}
    for name, color, subnet in INSTANCES:
        if name not in by_name:
            ami = ami or demo_ami(ec2)
            inst = ec2.run_instances(
                ImageId=ami,
                InstanceType="t3.micro",
                MinCount=1,
                MaxCount=1,
                SubnetId=subnet_ids[subnet],
                TagSpecifications=[
                    {"ResourceType": "instance", "Tags": tags(Name=name, role="web", color=color)}
                ],
            )["Instances"][0]
            by_name[name] = inst["InstanceId"]
        ids[color].append(by_name[name])
    return ids


def self_signed_pem(common_name):
    """A throwaway self-signed certificate and key, PEM encoded (cryptography ships with moto)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(common_name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    return cert_pem, key_pem


def ensure_certificates(iam):
    arns = {}
    for name in CERT_NAMES:
        try:
            meta = iam.get_server_certificate(ServerCertificateName=name)["ServerCertificate"][
                "ServerCertificateMetadata"
            ]
        except ClientError as e:
            if e.response["Error"]["Code"] != "NoSuchEntity":
                raise
            body, key = self_signed_pem("*.example.com")
            meta = iam.upload_server_certificate(
                ServerCertificateName=name, CertificateBody=body, PrivateKey=key
            )["ServerCertificateMetadata"]
        arns[name] = meta["Arn"]
    return arns


def ensure_zone(route53):
    for zone in route53.list_hosted_zones_by_name(DNSName=ZONE_NAME)["HostedZones"]:
        if zone["Name"] == ZONE_NAME + "." and not zone.get("Config", {}).get("PrivateZone"):
            return zone["Id"].split("/")[-1]
    zone = route53.create_hosted_zone(
        Name=ZONE_NAME,
        CallerReference="lbctl-demo-" + ZONE_NAME,
        HostedZoneConfig={"Comment": "lbctl demo", "PrivateZone": False},
    )["HostedZone"]
    return zone["Id"].split("/")[-1]


OIDC_SECRET_PARAMETER = "/lbctl-demo/oidc-client-secret"


def ensure_oidc_secret(endpoint):
    ssm = boto3.client(
        "ssm",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    ssm.put_parameter(
        Name=OIDC_SECRET_PARAMETER, Value="demo-oidc-client-secret", Type="SecureString", Overwrite=True
    )
    return OIDC_SECRET_PARAMETER


def seed(endpoint):
    ec2, iam, route53 = clients(endpoint)
    vpc_id = ensure_vpc(ec2)
    subnets = ensure_subnets(ec2, vpc_id)
    sg_id = ensure_security_group(ec2, vpc_id)
    instances = ensure_instances(ec2, vpc_id, subnets)
    certs = ensure_certificates(iam)
    zone_id = ensure_zone(route53)
    oidc_secret = ensure_oidc_secret(endpoint)
    return {
        "oidc_secret_parameter": oidc_secret,
        "region": REGION,
        "vpc_id": vpc_id,
        "subnets": subnets,
        "public_subnet_ids": [subnets[n] for n, _, _, tier in SUBNETS if tier == "public"],
        "private_subnet_ids": [subnets[n] for n, _, _, tier in SUBNETS if tier == "private"],
        "security_group_id": sg_id,
        "instances": instances,
        "certificates": certs,
        "hosted_zone_id": zone_id,
        "hosted_zone_name": ZONE_NAME,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoint", required=True, help="moto server URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--json", action="store_true", help="print one JSON object with all IDs and ARNs")
    args = parser.parse_args()

    out = seed(args.endpoint)
    if args.json:
        json.dump(out, sys.stdout, indent=2)
        print()
        return
    print(f"vpc            {out['vpc_id']}  (Name={VPC_NAME})")
    for name, sid in out["subnets"].items():
        print(f"subnet         {sid}  (Name={name})")
    print(f"security group {out['security_group_id']}  (Name={SG_NAME})")
    for color, ids in out["instances"].items():
        print(f"instances      {' '.join(ids)}  (role=web, color={color})")
    for name, arn in out["certificates"].items():
        print(f"certificate    {arn}")
    print(f"hosted zone    {out['hosted_zone_id']}  ({ZONE_NAME})")


if __name__ == "__main__":
    main()
