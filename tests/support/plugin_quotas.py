"""ELBv2 account limits and security policy look-ups as AWS answers them.

What moto 5.2.1 does (checked against `moto/elbv2/responses.py`), and what
this plugin changes, each after the Elastic Load Balancing API reference:

- DescribeAccountLimits returns nine limits with old defaults
  (`application-load-balancers` 20, `network-load-balancers` 20) and leaves
  out `gateway-load-balancers`, `certificates-per-network-load-balancer`,
  `target-groups-per-action-on-*` and `target-groups-per-application-load-balancer`.
  It now returns the names the `Limit` page lists with the defaults of the
  quota pages ("Quotas for your Application / Network / Gateway Load
  Balancers"), `Max` as a string, as AWS does.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeAccountLimits.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Limit.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-limits.html
- DescribeSSLPolicies with `Names` silently drops unknown names: AWS fails
  the call with `SSLPolicyNotFound` ("The specified SSL policy does not
  exist"), the error the page lists.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeSSLPolicies.html

Neither limit is enforced by moto on create (no `TooManyRules`,
`TooManyListeners`, `TooManyLoadBalancers`); lbctl refuses at plan time.
"""

from moto.core.responses import ActionResult
from moto.elbv2 import responses
from moto.elbv2.exceptions import ELBClientError
from moto.elbv2.ssl_policies import SSL_POLICIES

# AWS's defaults for a new account (the quota pages above).
LIMITS = {
    "application-load-balancers": 50,
    "condition-values-per-alb-rule": 5,
    "condition-wildcards-per-alb-rule": 5,
    "gateway-load-balancers": 100,
    "gateway-load-balancers-per-vpc": 100,
    "geneve-target-groups": 100,
    "listeners-per-application-load-balancer": 50,
    "listeners-per-network-load-balancer": 50,
    "network-load-balancers": 50,
    "rules-per-application-load-balancer": 100,
    "target-groups": 3000,
    "target-groups-per-action-on-application-load-balancer": 5,
    # 1 before NLB weighted forwards; lbctl does not read this one (see src/quotas.rs).
    "target-groups-per-action-on-network-load-balancer": 5,
    "target-groups-per-application-load-balancer": 100,
    "targets-per-application-load-balancer": 1000,
    "targets-per-availability-zone-per-gateway-load-balancer": 300,
    "targets-per-availability-zone-per-network-load-balancer": 500,
    "targets-per-network-load-balancer": 3000,
    "certificates-per-application-load-balancer": 25,
    "certificates-per-network-load-balancer": 25,
}


class SSLPolicyNotFound(ELBClientError):
    code = "SSLPolicyNotFound"

    def __init__(self, name):
        super().__init__("SSLPolicyNotFound", f"The specified SSL policy '{name}' does not exist")


def describe_account_limits(self):
    limits = [{"Name": k, "Max": str(v)} for k, v in LIMITS.items()]
    return ActionResult({"Limits": limits})


def _ssl_policies_checked(original):
    def describe_ssl_policies(self):
        for name in self._get_param("Names", []) or []:
            if name not in SSL_POLICIES:
                raise SSLPolicyNotFound(name)
        return original(self)

    return describe_ssl_policies


def install():
    responses.ELBV2Response.describe_account_limits = describe_account_limits
    responses.ELBV2Response.describe_ssl_policies = _ssl_policies_checked(
        responses.ELBV2Response.describe_ssl_policies
    )
