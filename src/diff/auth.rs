//! The steps before a terminal action in the diff: what is compared, and
//! the OIDC client secret, which AWS never returns.
//!
//! The secret is compared without state: the live step carries the salted
//! hash lbctl tagged the listener or rule with when it last sent one
//! (`model::auth::CLIENT_SECRET_TAG`). A desired secret that matches it is
//! dropped from the step, so apply sends `UseExistingClientSecret`; one
//! that does not (or with no hash to compare, or a new step) is kept to be
//! sent and the plan says `client_secret: (sensitive) changed`. The value
//! itself never enters a plan change.

use crate::model::auth::{secret_matches, Auth};
use crate::model::{Listener, Rule};
use crate::plan::Change;
use crate::secrets::MASK;

/// `changes` with the model's paths of the steps (`default_auth.…` of a
/// listener, `auth.…` of a rule) in the spec's words: the steps are keys of
/// the action (`default_action.authenticate.oidc.issuer`,
/// `action.jwt_validation.issuer`). The action's own keys (`forward`,
/// `redirect`, `fixed_response`) never clash with them.
pub(super) fn spec_paths(mut changes: Vec<Change>) -> Vec<Change> {
    for c in &mut changes {
        for (model, spec) in [("default_auth.", "default_action."), ("auth.", "action.")] {
            if let Some(rest) = c.path.strip_prefix(model) {
                c.path = format!("{spec}{rest}");
            }
        }
    }
    changes
}

/// Settle the secret of `want`'s OIDC step against `have` (see the module
/// doc). Returns the plan change when the secret is to be sent, its path
/// under `prefix` (`default_action`, `action`).
pub(super) fn settle_secret(prefix: &str, want: &mut Auth, have: &Auth) -> Option<Change> {
    let w = want.oidc_mut()?;
    let secret = w.client_secret.as_deref()?;
    let unchanged = have
        .oidc()
        .and_then(|h| h.client_secret_hash.as_deref())
        .is_some_and(|tag| secret_matches(tag, secret));
    if unchanged {
        w.client_secret = None;
        return None;
    }
    Some(Change::new(
        format!("{prefix}.authenticate.oidc.client_secret"),
        MASK,
        MASK,
    ))
}

/// True when `want` has an OIDC step without a secret that `have` has no
/// OIDC step to keep one from: apply would fail.
pub(super) fn secret_missing(want: &Auth, have: Option<&Auth>) -> bool {
    want.oidc().is_some_and(|o| o.client_secret.is_none()) && have.and_then(Auth::oidc).is_none()
}

/// `auth` as compared and shown: no secret value and no hash.
pub(super) fn comparable(auth: &Auth) -> Auth {
    let mut out = auth.clone();
    if let Some(o) = out.oidc_mut() {
        o.client_secret = None;
        o.client_secret_hash = None;
    }
    out
}

/// `auth` as shown for a new listener or rule: the secret as [`MASK`].
fn shown(auth: &Auth) -> Auth {
    let mut out = comparable(auth);
    if let (Some(o), Some(_)) = (
        out.oidc_mut(),
        auth.oidc().and_then(|o| o.client_secret.as_ref()),
    ) {
        o.client_secret = Some(MASK.to_string());
    }
    out
}

/// A listener as compared: its steps [`comparable`].
pub(super) fn comparable_listener(l: &Listener) -> Listener {
    Listener {
        default_auth: comparable(&l.default_auth),
        ..l.clone()
    }
}

/// A listener as shown when created: its secret masked.
pub(super) fn shown_listener(l: &Listener) -> Listener {
    Listener {
        default_auth: shown(&l.default_auth),
        ..l.clone()
    }
}

/// A rule as compared: its steps [`comparable`].
pub(super) fn comparable_rule(r: &Rule) -> Rule {
    Rule {
        auth: comparable(&r.auth),
        ..r.clone()
    }
}

/// A rule as shown when created: its secret masked.
pub(super) fn shown_rule(r: &Rule) -> Rule {
    Rule {
        auth: shown(&r.auth),
        ..r.clone()
    }
}

/// The warning for an OIDC step that cannot be written (see
/// [`secret_missing`]).
pub(super) fn missing_warning(name: &str) -> String {
    format!(
        "`{name}`: a new OIDC step needs `client_secret` (AWS has none to keep); \
         apply will fail until the spec gives one from an SSM SecureString parameter"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::auth::{hash_secret, Authenticate, Oidc, Session};

    fn auth(secret: Option<&str>, hash: Option<String>) -> Auth {
        Auth {
            authenticate: Some(Authenticate::Oidc(Oidc {
                issuer: "https://i".into(),
                authorization_endpoint: "https://i/a".into(),
                token_endpoint: "https://i/t".into(),
                user_info_endpoint: "https://i/u".into(),
                client_id: "web".into(),
                client_secret: secret.map(str::to_string),
                client_secret_hash: hash,
                session: Session::default(),
            })),
            jwt_validation: None,
        }
    }

    #[test]
    fn an_unchanged_secret_is_not_sent_and_not_shown() {
        let live = auth(None, Some(hash_secret("old-secret")));
        let mut want = auth(Some("old-secret"), None);
        assert_eq!(settle_secret("default_action", &mut want, &live), None);
        assert_eq!(want.oidc().unwrap().client_secret, None);
        assert_eq!(comparable(&want), comparable(&live));
    }

    #[test]
    fn a_changed_or_unknown_secret_is_sent_and_shown_masked() {
        for live in [
            auth(None, Some(hash_secret("old-secret"))),
            auth(None, None),
            Auth::default(),
        ] {
            let mut want = auth(Some("new-secret"), None);
            let change = settle_secret("default_action", &mut want, &live).expect("a change");
            assert_eq!(
                change.path,
                "default_action.authenticate.oidc.client_secret"
            );
            assert_eq!(change.before, serde_json::json!(MASK));
            assert_eq!(change.after, serde_json::json!(MASK));
            assert_eq!(
                want.oidc().unwrap().client_secret.as_deref(),
                Some("new-secret")
            );
            let shown = serde_json::to_string(&shown(&want)).unwrap();
            assert!(!shown.contains("new-secret"), "{shown}");
        }
    }

    #[test]
    fn step_paths_read_as_the_spec_writes_them() {
        let changes = spec_paths(vec![
            Change::new("default_auth.authenticate.oidc.issuer", "a", "b"),
            Change::new("auth.jwt_validation.issuer", "a", "b"),
            Change::new("default_action.forward", "a", "b"),
            Change::new("conditions.path_pattern[0]", "a", "b"),
        ]);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "default_action.authenticate.oidc.issuer",
                "action.jwt_validation.issuer",
                "default_action.forward",
                "conditions.path_pattern[0]"
            ]
        );
    }

    #[test]
    fn leaving_the_secret_out_keeps_aws_s_unless_there_is_none() {
        let want = auth(None, None);
        assert!(!secret_missing(&want, Some(&auth(None, None))));
        assert!(secret_missing(&want, Some(&Auth::default())));
        assert!(secret_missing(&want, None));
    }
}
