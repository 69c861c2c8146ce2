"""Listener attributes as AWS has them, per load balancer type and protocol.

moto 5.2.x gives every listener `{"tcp.idle_timeout.seconds": "350"}` and
stores whatever ModifyListenerAttributes sends. AWS reports, and accepts,
only the keys of the listener's kind, and refuses values out of range:
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ListenerAttribute.html
("tcp.idle_timeout.seconds ... supported by Network Load Balancers, and
Gateway Load Balancers ... The valid range is 60-6000 seconds. The default
is 350 seconds"; `send_tcp_reset.on_idle_timeout.enabled` only on Gateway
Load Balancers; the `routing.http.*` keys only on Application Load
Balancers) and
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html
(header modification is off by default: response header values are empty,
the request header names are AWS's own, the server header is on; the
mTLS/TLS header names apply to HTTPS listeners).
https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyListenerAttributes.html

So that tests can count the calls, every call logs one line to stderr (the
moto log the tests read with `Moto::log_text()`):

    lbctl-listener-attributes: Describe <arn>
    lbctl-listener-attributes: Modify <arn> <key>,<key>
"""

import sys

from moto.elbv2 import models
from moto.elbv2.exceptions import InvalidConfigurationRequest, ValidationError

_RESPONSE = [
    "strict_transport_security",
    "content_security_policy",
    "x_content_type_options",
    "x_frame_options",
    "access_control_allow_origin",
    "access_control_allow_methods",
    "access_control_allow_headers",
    "access_control_allow_credentials",
    "access_control_expose_headers",
    "access_control_max_age",
]
_REQUEST = {
    "mtls_clientcert_serial_number": "X-Amzn-Mtls-Clientcert-Serial-Number",
    "mtls_clientcert_issuer": "X-Amzn-Mtls-Clientcert-Issuer",
    "mtls_clientcert_subject": "X-Amzn-Mtls-Clientcert-Subject",
    "mtls_clientcert_validity": "X-Amzn-Mtls-Clientcert-Validity",
    "mtls_clientcert_leaf": "X-Amzn-Mtls-Clientcert-Leaf",
    "mtls_clientcert": "X-Amzn-Mtls-Clientcert",
    "tls_version": "X-Amzn-Tls-Version",
    "tls_cipher_suite": "X-Amzn-Tls-Cipher-Suite",
}


def _log(*words):
    print("lbctl-listener-attributes:", *words, file=sys.stderr, flush=True)


def _defaults(lb_type, protocol):
    """What AWS reports for a listener whose attributes were never set."""
    if lb_type == "application":
        out = {"routing.http.response.server.enabled": "true"}
        for name in _RESPONSE:
            out[f"routing.http.response.{name}.header_value"] = ""
        if protocol == "HTTPS":
            for name, header in _REQUEST.items():
                out[f"routing.http.request.x_amzn_{name}.header_name"] = header
        return out
    if lb_type == "gateway":
        return {"tcp.idle_timeout.seconds": "350", "send_tcp_reset.on_idle_timeout.enabled": "false"}
    if protocol == "TCP":
        return {"tcp.idle_timeout.seconds": "350"}
    return {}


def _kind(backend, listener):
    lb = backend.load_balancers.get(listener.load_balancer_arn)
    return (lb.type if lb else "application"), listener.protocol


def _check(key, value, allowed):
    if key not in allowed:
        raise InvalidConfigurationRequest(f"Listener attribute '{key}' is not supported for this listener")
    if key == "tcp.idle_timeout.seconds":
        if not value.isdigit() or not 60 <= int(value) <= 6000:
            raise ValidationError("tcp.idle_timeout.seconds must be between 60 and 6000")
    if key.endswith(".enabled") and value not in ("true", "false"):
        raise ValidationError(f"{key} must be true or false")


def install():
    def describe_listener_attributes(self, listener_arn):
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[listener_arn])[0]
        _log("Describe", listener_arn)
        out = _defaults(*_kind(self, listener))
        out.update(getattr(listener, "_lbctl_attributes", {}))
        return out

    def modify_listener_attributes(self, listener_arn, attrs):
        listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[listener_arn])[0]
        allowed = _defaults(*_kind(self, listener))
        for a in attrs:
            _check(a["Key"], a["Value"], allowed)
        stored = getattr(listener, "_lbctl_attributes", {})
        stored.update({a["Key"]: a["Value"] for a in attrs})
        listener._lbctl_attributes = stored
        _log("Modify", listener_arn, ",".join(sorted(a["Key"] for a in attrs)))
        out = dict(allowed)
        out.update(stored)
        return out

    models.ELBv2Backend.describe_listener_attributes = describe_listener_attributes
    models.ELBv2Backend.modify_listener_attributes = modify_listener_attributes
