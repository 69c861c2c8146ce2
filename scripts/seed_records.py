#!/usr/bin/env python3
"""Fill a hosted zone with many records lbctl does not manage, for tests and
benchmarks: simple A records and weighted pairs (set identifiers unique
across the zone, because of moto's DELETE quirk).

    scripts/seed_records.py --endpoint URL --zone example.com --count 1500
"""
import argparse

import boto3


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--zone", default="example.com")
    p.add_argument("--count", type=int, default=1500)
    a = p.parse_args()

    r53 = boto3.client(
        "route53",
        endpoint_url=a.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    zones = r53.list_hosted_zones_by_name(DNSName=a.zone)["HostedZones"]
    zone = next(z for z in zones if z["Name"] == a.zone.rstrip(".") + ".")
    changes = []
    for i in range(a.count):
        name = f"r{i:05d}.bulk.{a.zone}"
        if i % 10 < 2:
            # Every tenth pair of records is one weighted set of two.
            pair = i - i % 10
            rrs = {
                "Name": f"w{pair:05d}.bulk.{a.zone}",
                "Type": "A",
                "SetIdentifier": f"bulk-{i}",
                "Weight": 1,
                "TTL": 60,
                "ResourceRecords": [{"Value": f"10.1.{i // 250}.{i % 250}"}],
            }
        else:
            rrs = {
                "Name": name,
                "Type": "A",
                "TTL": 300,
                "ResourceRecords": [{"Value": f"10.2.{i // 250}.{i % 250}"}],
            }
        changes.append({"Action": "CREATE", "ResourceRecordSet": rrs})
    for start in range(0, len(changes), 500):
        r53.change_resource_record_sets(
            HostedZoneId=zone["Id"], ChangeBatch={"Changes": changes[start : start + 500]}
        )
    print(zone["Id"])


if __name__ == "__main__":
    main()
