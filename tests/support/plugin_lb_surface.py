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
"""

from moto.elbv2 import models

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


def install():
    backend = models.ELBv2Backend
    backend.create_load_balancer = _create(backend.create_load_balancer)
    backend.set_ip_address_type = _set(backend.set_ip_address_type)
    models.FakeLoadBalancer.VALID_ATTRS |= {
        "health_check_logs.s3.bucket",
        "health_check_logs.s3.prefix",
    }
