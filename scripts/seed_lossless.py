#!/usr/bin/env python3
"""Give a live load balancer settings lbctl cannot model yet, behind its
back, for the lossless tests (tests/it/lossless.rs):

    --oidc PORT       the listener's default action becomes authenticate-oidc
                      (order 1) then its existing forward (order 2)
    --conditions PRI  the rule at priority PRI gets two http-header and two
                      query-string conditions (all must match)

    scripts/seed_lossless.py --endpoint URL --load-balancer shop --oidc 443
"""
import argparse

import boto3


def elbv2(endpoint):
    return boto3.client(
        "elbv2",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def listener(c, lb_name, port):
    lb = c.describe_load_balancers(Names=[lb_name])["LoadBalancers"][0]
    listeners = c.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    return next(l for l in listeners if l["Port"] == port)


def oidc(c, lb_name, port):
    l = listener(c, lb_name, port)
    forward = dict(l["DefaultActions"][-1])
    forward["Order"] = 2
    auth = {
        "Type": "authenticate-oidc",
        "Order": 1,
        "AuthenticateOidcConfig": {
            "Issuer": "https://idp.example.com",
            "AuthorizationEndpoint": "https://idp.example.com/authorize",
            "TokenEndpoint": "https://idp.example.com/token",
            "UserInfoEndpoint": "https://idp.example.com/userinfo",
            "ClientId": "web",
            "ClientSecret": "oidc-client-secret",
        },
    }
    c.modify_listener(ListenerArn=l["ListenerArn"], DefaultActions=[auth, forward])


def conditions(c, lb_name, port, priority):
    l = listener(c, lb_name, port)
    rules = c.describe_rules(ListenerArn=l["ListenerArn"])["Rules"]
    rule = next(r for r in rules if r["Priority"] == str(priority))

    def header(name, value):
        return {
            "Field": "http-header",
            "HttpHeaderConfig": {"HttpHeaderName": name, "Values": [value]},
        }

    def query(key, value):
        return {
            "Field": "query-string",
            "QueryStringConfig": {"Values": [{"Key": key, "Value": value}]},
        }

    c.modify_rule(
        RuleArn=rule["RuleArn"],
        Conditions=[
            header("X-Team", "core"),
            header("X-Beta", "yes"),
            query("k1", "v1"),
            query("k2", "v2"),
        ],
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--load-balancer", required=True)
    p.add_argument("--port", type=int, default=443)
    p.add_argument("--oidc", action="store_true")
    p.add_argument("--conditions", type=int, metavar="PRIORITY")
    a = p.parse_args()
    c = elbv2(a.endpoint)
    if a.oidc:
        oidc(c, a.load_balancer, a.port)
    if a.conditions is not None:
        conditions(c, a.load_balancer, a.port, a.conditions)


if __name__ == "__main__":
    main()
