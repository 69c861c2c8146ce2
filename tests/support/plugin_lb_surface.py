"""Load balancer settings of the December 2026 additions that moto 5.2.x lacks.

What lbctl calls and moto refuses:

- `IpAddressType: dualstack-without-public-ipv4` on CreateLoadBalancer and
  SetIpAddressType: moto accepts only `ipv4` and `dualstack`. AWS takes it
  for internet-facing application load balancers (public IPv6 only, private
  IPv4 and IPv6 addresses).
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetIpAddressType.html
- The load balancer attribute keys `health_check_logs.s3.bucket` and
  `health_check_logs.s3.prefix`: moto lists `health_check_logs.s3.enabled`
  alone among its valid keys and refuses the other two ("Key ... not valid").
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
- IPAM pools: `IpamPools { Ipv4IpamPoolId }` on CreateLoadBalancer, returned
  by DescribeLoadBalancers, and ModifyIpPools (`IpamPools` to set the pool,
  `RemoveIpamPools: [ipv4]` to go back to AWS's addresses; the answer holds
  the pools the load balancer has then). moto ignores the member and has no
  ModifyIpPools.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_IpamPools.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyIpPools.html
"""

from moto.core.responses import ActionResult
from moto.elbv2 import models, responses
from moto.elbv2.exceptions import LoadBalancerNotFoundError

IPV6_ONLY = "dualstack-without-public-ipv4"


def _create(original):
    def create_load_balancer(self, *args, **kwargs):
        wanted = kwargs.get("ip_address_type")
        if wanted == IPV6_ONLY:
            kwargs["ip_address_type"] = "dualstack"
        lb = original(self, *args, **kwargs)
        if wanted == IPV6_ONLY:
            lb.ip_address_type = IPV6_ONLY
        return lb

    return create_load_balancer


def _set(original):
    def set_ip_address_type(self, arn, ip_type):
        original(self, arn, "dualstack" if ip_type == IPV6_ONLY else ip_type)
        if ip_type == IPV6_ONLY:
            self.load_balancers[arn].ip_address_type = IPV6_ONLY

    return set_ip_address_type


def _create_response(original):
    def create_load_balancer(self):
        result = original(self)
        pools = self._get_params().get("IpamPools") or {}
        if pools.get("Ipv4IpamPoolId"):
            name = self._get_param("Name")
            for lb in self.elbv2_backend.load_balancers.values():
                if lb.name == name:
                    lb.ipam_pools = {"Ipv4IpamPoolId": pools["Ipv4IpamPoolId"]}
        return result

    return create_load_balancer


def modify_ip_pools(self):
    params = self._get_params()
    lb = self.elbv2_backend.load_balancers.get(params.get("LoadBalancerArn"))
    if lb is None:
        raise LoadBalancerNotFoundError()
    pools = params.get("IpamPools") or {}
    if pools.get("Ipv4IpamPoolId"):
        lb.ipam_pools = {"Ipv4IpamPoolId": pools["Ipv4IpamPoolId"]}
    if "ipv4" in (params.get("RemoveIpamPools") or []):
        lb.ipam_pools = None
    result = {"IpamPools": getattr(lb, "ipam_pools", None)} if getattr(lb, "ipam_pools", None) else {}
    return ActionResult(result)


def install():
    models.FakeLoadBalancer.ipam_pools = None
    responses.ELBV2Response.create_load_balancer = _create_response(
        responses.ELBV2Response.create_load_balancer
    )
    responses.ELBV2Response.modify_ip_pools = modify_ip_pools
    backend = models.ELBv2Backend
    backend.create_load_balancer = _create(backend.create_load_balancer)
    backend.set_ip_address_type = _set(backend.set_ip_address_type)
    models.FakeLoadBalancer.VALID_ATTRS |= {
        "health_check_logs.s3.bucket",
        "health_check_logs.s3.prefix",
    }
