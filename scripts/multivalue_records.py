#!/usr/bin/env python3
"""Replace every A record at one name with a multivalue answer set of three
members, each with a health check, out of band (for tests: what lbctl must
read as multivalue, not as simple records). Set identifiers are the name's
first label plus -a/-b/-c, unique across the zone (moto's DELETE quirk).
With --mixed the members carry two routing policies at once (a weight and a
latency region, which Route 53 refuses and moto stores): what lbctl cannot
model and must report.

    scripts/multivalue_records.py --endpoint URL --zone example.com --name mv [--mixed]
"""
import argparse

import boto3


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--zone", default="example.com")
    p.add_argument("--name", required=True, help="relative to the zone")
    p.add_argument("--mixed", action="store_true", help="weight and region on each member")
    a = p.parse_args()

    r53 = boto3.client(
        "route53",
        endpoint_url=a.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    zone_name = a.zone.rstrip(".") + "."
    zones = r53.list_hosted_zones_by_name(DNSName=zone_name)["HostedZones"]
    zone = next(z for z in zones if z["Name"] == zone_name)
    fqdn = f"{a.name}.{zone_name}"
    live = r53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    changes = [
        {"Action": "DELETE", "ResourceRecordSet": r}
        for r in live
        if r["Name"] == fqdn and r["Type"] == "A"
    ]
    for i, member in enumerate("abc"):
        if a.mixed:
            changes.append(
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": fqdn,
                        "Type": "A",
                        "SetIdentifier": f"{a.name}-{member}",
                        "Weight": 10,
                        "Region": "us-east-1",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": f"198.51.100.{11 + i}"}],
                    },
                }
            )
            continue
        check = r53.create_health_check(
            CallerReference=f"{a.name}-{member}",
            HealthCheckConfig={
                "Type": "HTTP",
                "IPAddress": f"198.51.100.{11 + i}",
                "Port": 80,
                "ResourcePath": "/health",
            },
        )["HealthCheck"]["Id"]
        changes.append(
            {
                "Action": "CREATE",
                "ResourceRecordSet": {
                    "Name": fqdn,
                    "Type": "A",
                    "SetIdentifier": f"{a.name}-{member}",
                    "MultiValueAnswer": True,
                    "TTL": 60,
                    "HealthCheckId": check,
                    "ResourceRecords": [{"Value": f"198.51.100.{11 + i}"}],
                },
            }
        )
    r53.change_resource_record_sets(HostedZoneId=zone["Id"], ChangeBatch={"Changes": changes})
    print(zone["Id"])


if __name__ == "__main__":
    main()
