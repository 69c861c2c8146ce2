"""QUIC on Network Load Balancers, as AWS has it since November 2025.

What lbctl calls and moto 5.2.x lacks (botocore's model already has the
`QUIC` and `TCP_QUIC` values of `ProtocolEnum` and `TargetDescription.
QuicServerId`, so the model check passes these requests; moto refuses or
drops them):

- CreateListener with `Protocol` `QUIC` or `TCP_QUIC` on a network load
  balancer (moto: InvalidProtocol). Application load balancers still take
  only HTTP and HTTPS.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html
  ("Protocol ... For Network Load Balancers, the supported protocols are
  TCP, TLS, UDP, TCP_UDP, QUIC, and TCP_QUIC.")
- CreateTargetGroup with `Protocol` `QUIC` or `TCP_QUIC` (moto: "Member
  must satisfy enum value set"). Defaults as for UDP and TCP_UDP target
  groups: a TCP health check on the traffic port. Not with IPv6.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/network/create-target-group.html
  ("You can't use an IPv6 target group with the QUIC or TCP_QUIC protocol.")
- RegisterTargets with `QuicServerId`, stored and returned by
  DescribeTargetHealth in the target description (moto drops it). Required
  for targets of QUIC and TCP_QUIC target groups, refused for others;
  `0x` and 16 lowercase hex digits.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetDescription.html
  ("The server ID for the targets. This value is required if the protocol is
  QUIC or TCP_QUIC and can't be used with other protocols. The ID consists of
  the 0x prefix followed by 16 hexadecimal characters. Any letters must be
  lowercase.")

Weighted forwards on NLB listeners need nothing here: moto stores a
`ForwardConfig` with several target groups on any listener.
"""

import re

from moto.elbv2 import models
from moto.elbv2.exceptions import ValidationError

QUIC = ("QUIC", "TCP_QUIC")
# moto builds the group with the protocol whose defaults AWS gives QUIC ones.
STAND_IN = {"QUIC": "UDP", "TCP_QUIC": "TCP_UDP"}
SERVER_ID = re.compile(r"^0x[0-9a-f]{16}$")


def _patch_listener_protocols():
    original = models.ELBv2Backend._validate_port_and_protocol

    def _validate_port_and_protocol(self, loadbalancer_type, port, protocol):
        if loadbalancer_type == "network" and protocol in QUIC:
            if port is None:
                raise ValidationError("A listener port must be specified")
            return None
        return original(self, loadbalancer_type, port, protocol)

    models.ELBv2Backend._validate_port_and_protocol = _validate_port_and_protocol


def _patch_target_group_protocols():
    original = models.ELBv2Backend.create_target_group

    def create_target_group(self, name, **kwargs):
        protocol = kwargs.get("protocol")
        if protocol not in QUIC:
            return original(self, name, **kwargs)
        if kwargs.get("ip_address_type") == "ipv6":
            raise ValidationError(
                f"Target groups with the {protocol} protocol cannot use the IP address type 'ipv6'"
            )
        kwargs["protocol"] = STAND_IN[protocol]
        tg = original(self, name, **kwargs)
        tg.protocol = protocol
        if tg.health_check_protocol == STAND_IN[protocol]:
            tg.health_check_protocol = "TCP"
        return tg

    models.ELBv2Backend.create_target_group = create_target_group


def _patch_targets():
    register = models.FakeTargetGroup.register

    def register_with_server_ids(self, targets):
        quic = self.protocol in QUIC
        for t in targets:
            sid = t.get("QuicServerId")
            if quic and sid is None:
                raise ValidationError(
                    f"A QUIC server ID is required for targets of {self.protocol} target groups"
                )
            if not quic and sid is not None:
                raise ValidationError(
                    "A QUIC server ID can only be given for targets of QUIC and TCP_QUIC target groups"
                )
            if sid is not None and not SERVER_ID.match(sid):
                raise ValidationError(f"QUIC server ID '{sid}' is not valid")
        register(self, targets)
        for t in targets:
            if t.get("QuicServerId") is not None:
                self.targets[t["Id"]]["QuicServerId"] = t["QuicServerId"]

    models.FakeTargetGroup.register = register_with_server_ids

    health_for = models.FakeTargetGroup.health_for

    def health_with_server_id(self, target, ec2_backend):
        status = health_for(self, target, ec2_backend)
        stored = self.targets.get(target["Id"]) or {}
        status.quic_server_id = stored.get("QuicServerId")
        return status

    models.FakeTargetGroup.health_for = health_with_server_id

    def target(self):
        out = {"Id": self.instance_id, "Port": self.port}
        if getattr(self, "quic_server_id", None):
            out["QuicServerId"] = self.quic_server_id
        return out

    models.FakeHealthStatus.target = property(target)


def install():
    _patch_listener_protocols()
    _patch_target_group_protocols()
    _patch_targets()
