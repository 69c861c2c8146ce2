"""moto addition: rule `RegexValues` and rule `Transforms` (ELBv2).

moto 5.2.x stores a rule's conditions as the request gives them and keeps
repeated `http-header` and `query-string` conditions (checked: both come
back from DescribeRules, in order), but

- its condition checks read `Values` of `HostHeaderConfig`,
  `PathPatternConfig` and `HttpHeaderConfig` unconditionally, so a condition
  that gives only `RegexValues` fails with a KeyError (HTTP 500);
- it ignores `Transforms` on CreateRule and ModifyRule and `ResetTransforms`
  on ModifyRule, and DescribeRules never returns `Transforms`.

This plugin makes moto accept `RegexValues` and store and return
`Transforms`, as the AWS API reference describes them:

- CreateRule: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html
  (`Transforms`: "You can add one host header rewrite transform and one URL
  rewrite transform.")
- ModifyRule: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyRule.html
  (`ResetTransforms` removes all transforms; "If you specify Transforms, you
  can't specify ResetTransforms.")
- RuleCondition, HostHeaderConditionConfig, PathPatternConditionConfig,
  HttpHeaderConditionConfig:
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleCondition.html
  (`RegexValues`: "The maximum length of each string is 128 characters.")
- RuleTransform, RewriteConfig:
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RuleTransform.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RewriteConfig.html
  (`Regex` and `Replace` are required, at most 1,024 characters each.)

Nothing else of moto's rule handling changes.
"""

from moto.elbv2 import models, responses
from moto.core.responses import ActionResult
from moto.elbv2.exceptions import InvalidConditionValueError, ValidationError

_TYPES = {
    "host-header-rewrite": "HostHeaderRewriteConfig",
    "url-rewrite": "UrlRewriteConfig",
}


def _check_patterns(field, config, name):
    """Values or RegexValues of one *Config block (AWS: each at most 128)."""
    values = list(config.get("Values") or []) + list(config.get("RegexValues") or [])
    if not values:
        raise InvalidConditionValueError("A condition value must be specified")
    for v in values:
        if len(v) > 128:
            raise InvalidConditionValueError(
                f"The '{field}' value is too long; the limit is '128'"
            )


def _patterns_validator(field, config_key, original):
    def validate(self, condition):
        config = condition.get(config_key)
        if config is not None and "RegexValues" in config:
            return _check_patterns(field, config, config_key)
        if "RegexValues" in condition and config is None:
            return _check_patterns(field, condition, config_key)
        return original(self, condition)

    return validate


def _http_header_validator(original):
    def validate(self, condition):
        config = condition.get("HttpHeaderConfig")
        if config is not None and "RegexValues" in config:
            name = config.get("HttpHeaderName") or ""
            if len(name) > 40:
                raise InvalidConditionValueError(
                    "The 'HttpHeaderName' value is too long; the limit is '40'"
                )
            return _check_patterns("http-header", config, "HttpHeaderConfig")
        return original(self, condition)

    return validate


def _transforms(given):
    """The `Transforms` of a request, checked as the reference says."""
    out = []
    seen = set()
    for t in given or []:
        kind = t.get("Type")
        if kind not in _TYPES:
            raise ValidationError(f"Transform type '{kind}' is not valid")
        if kind in seen:
            raise ValidationError(f"Only one '{kind}' transform is allowed per rule")
        seen.add(kind)
        config = t.get(_TYPES[kind]) or {}
        rewrites = config.get("Rewrites") or []
        if not rewrites:
            raise ValidationError(f"A '{kind}' transform needs a rewrite")
        for r in rewrites:
            for member in ("Regex", "Replace"):
                if member not in r or len(r[member]) > 1024:
                    raise ValidationError(
                        f"'{member}' of a rewrite is required, at most 1024 characters"
                    )
        stored = {"Type": kind, _TYPES[kind]: {"Rewrites": [dict(r) for r in rewrites]}}
        out.append(stored)
    return out


def _flag(value):
    return str(value).lower() == "true"


def create_rule(self):
    params = self._get_params()
    transforms = _transforms(params.get("Transforms"))
    rule = self.elbv2_backend.create_rule(
        listener_arn=params["ListenerArn"],
        conditions=params["Conditions"],
        priority=params["Priority"],
        actions=params["Actions"],
        tags=params.get("Tags"),
    )
    rule.transforms = transforms
    return ActionResult({"Rules": [rule]})


def modify_rule(self):
    rule_arn = self._get_param("RuleArn")
    params = self._get_params()
    conditions = params.get("Conditions", [])
    actions = params.get("Actions", [])
    reset = _flag(params.get("ResetTransforms", False))
    if "Transforms" in params and reset:
        raise ValidationError("You cannot specify both Transforms and ResetTransforms")
    transforms = _transforms(params.get("Transforms")) if "Transforms" in params else None
    if conditions or actions:
        rule = self.elbv2_backend.modify_rule(
            rule_arn=rule_arn, conditions=conditions, actions=actions
        )
    else:
        # AWS takes a ModifyRule that only changes transforms.
        rule = self.elbv2_backend.describe_rules(listener_arn=None, rule_arns=[rule_arn])[0]
    if reset:
        rule.transforms = []
    elif transforms is not None:
        rule.transforms = transforms
    return ActionResult({"Rules": [rule]})


def install():
    backend = models.ELBv2Backend
    backend._validate_host_header_condition = _patterns_validator(
        "host-header", "HostHeaderConfig", backend._validate_host_header_condition
    )
    backend._validate_path_pattern_condition = _patterns_validator(
        "path-pattern", "PathPatternConfig", backend._validate_path_pattern_condition
    )
    backend._validate_http_header_condition = _http_header_validator(
        backend._validate_http_header_condition
    )
    # DescribeRules returns `Transforms` from this attribute (none by default).
    models.FakeListenerRule.transforms = []
    models.FakeRule.transforms = []
    responses.ELBV2Response.create_rule = create_rule
    responses.ELBV2Response.modify_rule = modify_rule
