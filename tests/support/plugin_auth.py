"""Authentication steps before a listener's or rule's terminal action, as AWS has them.

What lbctl calls and moto 5.2.x gets wrong or lacks:

- The OIDC client secret is write-only. AWS never returns `ClientSecret` in
  CreateListener/ModifyListener/DescribeListeners or the rule calls, and
  `UseExistingClientSecret: true` on a modify keeps the secret the action
  has. moto stores the request's config as given, so it echoes the secret
  back and would "keep" nothing.
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AuthenticateOidcActionConfig.html
  ("ClientSecret ... This parameter is required if you are creating a rule.
  If you are modifying a rule, you can omit this parameter if you set
  UseExistingClientSecret to true.")
- `jwt-validation` actions are refused by moto (`InvalidActionTypeError`).
  AWS accepts one before the terminal action on HTTPS listeners of
  application load balancers and their rules, with `JwtValidationConfig`
  (`Issuer`, `JwksEndpoint` required, `AdditionalClaims` optional).
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html
  https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_JwtValidationActionConfig.html

So that tests can tell which secret an action holds without the secret
appearing anywhere, every write of an OIDC step logs one line to stderr
(the moto log the tests read with `Moto::log_text()`):

    lbctl-auth: ModifyListener <arn> sent sha256=<hex of the secret>
    lbctl-auth: ModifyListener <arn> kept sha256=<hex of the kept secret>
"""

import hashlib
import sys

from moto.elbv2 import models
from moto.elbv2.exceptions import InvalidActionTypeError, ValidationError

OIDC = "authenticate-oidc"
JWT = "jwt-validation"


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest() if secret is not None else "none"


def _log(operation, arn, how, secret):
    print(f"lbctl-auth: {operation} {arn} {how} sha256={_digest(secret)}", file=sys.stderr, flush=True)


def _secret_of(actions):
    """The stored client secret of the OIDC step among moto FakeActions, if any."""
    for a in actions or []:
        if a.type == OIDC:
            return getattr(a, "_client_secret", None)
    return None


def _patch_action():
    """Keep the secret beside the config, never in it (so it is never serialized)."""
    original = models.FakeAction.__init__

    def __init__(self, data):
        original(self, data)
        self._client_secret = None
        self._use_existing = False
        config = data.get("AuthenticateOidcConfig") if self.type == OIDC else None
        if config is not None:
            self._client_secret = config.pop("ClientSecret", None)
            use = config.pop("UseExistingClientSecret", None)
            self._use_existing = str(use).lower() == "true"

    models.FakeAction.__init__ = __init__


def _settle(operation, arn, new_actions, old_secret, creating):
    """Give each new OIDC step its secret: the one sent, or the one kept."""
    for a in new_actions:
        if a.type != OIDC:
            continue
        if a._client_secret is not None:
            _log(operation, arn, "sent", a._client_secret)
        elif a._use_existing and not creating and old_secret is not None:
            a._client_secret = old_secret
            _log(operation, arn, "kept", old_secret)
        else:
            raise ValidationError(
                "ClientSecret is required when creating an authenticate-oidc action "
                "(UseExistingClientSecret needs an existing secret)"
            )


def _require_secret(actions):
    """A new OIDC step must bring its secret (checked before anything is created)."""
    for a in actions or []:
        config = a.get("AuthenticateOidcConfig") if a.get("Type") == OIDC else None
        if config is not None and not config.get("ClientSecret"):
            raise ValidationError(
                "ClientSecret is required when creating an authenticate-oidc action"
            )


def _patch_validation():
    """Accept `jwt-validation` steps with their required members."""
    original = models.ELBv2Backend._validate_actions

    def _validate_actions(self, actions):
        rest = []
        for i, action in enumerate(actions):
            if action.type == JWT:
                config = action.data.get("JwtValidationConfig") or {}
                if not config.get("Issuer") or not config.get("JwksEndpoint"):
                    raise InvalidActionTypeError(JWT, i + 1)
            else:
                rest.append(action)
        return original(self, rest)

    models.ELBv2Backend._validate_actions = _validate_actions


def _patch_writes():
    backend = models.ELBv2Backend
    create_listener = backend.create_listener
    modify_listener = backend.modify_listener
    create_rule = backend.create_rule
    modify_rule = backend.modify_rule

    def _create_listener(self, *args, **kwargs):
        _require_secret(kwargs.get("actions"))
        listener = create_listener(self, *args, **kwargs)
        _settle("CreateListener", listener.arn, listener.default_actions, None, True)
        return listener

    def _modify_listener(self, arn, *args, **kwargs):
        old = self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
        old_secret = _secret_of(old.default_actions)
        old_actions = old.default_actions
        listener = modify_listener(self, arn, *args, **kwargs)
        if listener.default_actions is not old_actions:
            _settle("ModifyListener", arn, listener.default_actions, old_secret, False)
        return listener

    def _create_rule(self, *args, **kwargs):
        _require_secret(kwargs.get("actions"))
        rule = create_rule(self, *args, **kwargs)
        _settle("CreateRule", rule.arn, rule.actions, None, True)
        return rule

    def _modify_rule(self, rule_arn, *args, **kwargs):
        rules = self.describe_rules(listener_arn=None, rule_arns=[rule_arn])
        old_actions = rules[0].actions if rules else []
        old_secret = _secret_of(old_actions)
        rule = modify_rule(self, rule_arn, *args, **kwargs)
        if rule.actions is not old_actions:
            _settle("ModifyRule", rule_arn, rule.actions, old_secret, False)
        return rule

    backend.create_listener = _create_listener
    backend.modify_listener = _modify_listener
    backend.create_rule = _create_rule
    backend.modify_rule = _modify_rule


def install():
    _patch_action()
    _patch_validation()
    _patch_writes()
