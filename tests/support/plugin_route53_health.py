"""Route 53 health check settings lbctl writes and moto 5.2 drops.

What moto 5.2.1 does with CreateHealthCheck / UpdateHealthCheck (checked
against `moto/route53/models.py` and `responses.py`), and what this plugin
changes, each after the Route 53 API reference:

- `AlarmIdentifier`, `InsufficientDataHealthStatus` and `RoutingControlArn`
  are not stored: now they are, and returned in `HealthCheckConfig`.
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
- UpdateHealthCheck clears `ChildHealthChecks` and `Regions` when a request
  leaves them out: AWS keeps every setting a request does not name, and
  resets only what `ResetElements` lists (`ChildHealthChecks`,
  `FullyQualifiedDomainName`, `Regions`, `ResourcePath`), which moto ignores.
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html
- moto gives every type a port, interval and failure threshold: AWS takes
  no `Port` for `CALCULATED` and `CLOUDWATCH_METRIC` checks and no
  `RequestInterval`, `FailureThreshold` or `MeasureLatency` for
  `RECOVERY_CONTROL` ones (HealthCheckConfig page, each member), so they
  are not returned there.
- A `RECOVERY_CONTROL` check takes no update: AWS answers `InvalidInput`
  ("Update is not supported for this health check type", as reported in
  hashicorp/terraform-provider-aws#44247).
- The children of a `CALCULATED` check must exist when it is created or
  updated, and a check that is a child of a calculated check cannot be
  deleted until the parent no longer names it (AWS: "a child health check
  can't be removed while it is referenced by a parent", DataBiosphere/azul#1150;
  the DeleteHealthCheck page lists `InvalidInput` among its errors). moto
  accepts both, which would hide a wrong order of lbctl's steps.
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHealthCheck.html
"""

from moto.route53 import models, responses
from moto.route53.exceptions import InvalidInput

_NO_PORT = ("CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL")


def _backend_of(response):
    return response.backend


def _check_children(backend, children):
    for child in children or []:
        if child not in backend.health_checks:
            raise InvalidInput(f"The child health check {child} does not exist")


def _store_extra(check, config):
    alarm = config.get("AlarmIdentifier")
    check.lbctl_alarm = dict(alarm) if alarm else None
    check.lbctl_insufficient = config.get("InsufficientDataHealthStatus")
    check.lbctl_routing_control = config.get("RoutingControlArn")


def install():
    original_config = models.HealthCheck.health_check_config

    def health_check_config(self):
        config = original_config.fget(self)
        kind = self.type_
        if kind in _NO_PORT:
            config.pop("Port", None)
            config.pop("IPAddress", None)
        if kind == "RECOVERY_CONTROL":
            for key in ("RequestInterval", "FailureThreshold", "MeasureLatency"):
                config.pop(key, None)
        extra = {
            "AlarmIdentifier": getattr(self, "lbctl_alarm", None),
            "InsufficientDataHealthStatus": getattr(self, "lbctl_insufficient", None),
            "RoutingControlArn": getattr(self, "lbctl_routing_control", None),
        }
        config.update({k: v for k, v in extra.items() if v is not None})
        return config

    models.HealthCheck.health_check_config = property(health_check_config)

    original_create = responses.Route53.create_health_check

    def create_health_check(self):
        config = self._get_param("HealthCheckConfig") or {}
        if config.get("Type") == "CALCULATED":
            _check_children(self.backend, config.get("ChildHealthChecks"))
        result = original_create(self)
        check = self.backend.health_checks[result.result["HealthCheck"].id]
        _store_extra(check, config)
        return result

    responses.Route53.create_health_check = create_health_check

    def update_health_check(self):
        check_id = self._get_param("HealthCheckId")
        check = self.backend.get_health_check(check_id)
        if check.type_ == "RECOVERY_CONTROL":
            raise InvalidInput("Invalid parameter : Update is not supported for this health check type.")
        children = self._get_param("ChildHealthChecks")
        regions = self._get_param("Regions")
        if children:
            _check_children(self.backend, children)
        args = {
            "ip_address": self._get_param("IPAddress"),
            "port": self._get_param("Port"),
            "resource_path": self._get_param("ResourcePath"),
            "fqdn": self._get_param("FullyQualifiedDomainName"),
            "search_string": self._get_param("SearchString"),
            "failure_threshold": self._get_param("FailureThreshold"),
            "health_threshold": self._get_param("HealthThreshold"),
            "inverted": self._get_param("Inverted"),
            "disabled": self._get_param("Disabled"),
            "enable_sni": self._get_param("EnableSNI"),
            # None: keep (moto's own update then leaves them alone).
            "children": children or None,
            "regions": regions or None,
        }
        check = self.backend.update_health_check(check_id, args)
        for element in self._get_param("ResetElements") or []:
            if element == "ChildHealthChecks":
                check.children = None
            elif element == "FullyQualifiedDomainName":
                check.fqdn = None
            elif element == "Regions":
                check.regions = None
            elif element == "ResourcePath":
                check.resource_path = None
        alarm = self._get_param("AlarmIdentifier")
        if alarm:
            check.lbctl_alarm = dict(alarm)
        status = self._get_param("InsufficientDataHealthStatus")
        if status:
            check.lbctl_insufficient = status
        return responses.ActionResult({"HealthCheck": check})

    responses.Route53.update_health_check = update_health_check

    original_delete = models.Route53Backend.delete_health_check

    def delete_health_check(self, health_check_id):
        for parent in self.health_checks.values():
            if parent.id != health_check_id and health_check_id in (parent.children or []):
                raise InvalidInput(
                    f"Health check {health_check_id} is a child of calculated health check "
                    f"{parent.id}; remove it from there first"
                )
        return original_delete(self, health_check_id)

    models.Route53Backend.delete_health_check = delete_health_check
