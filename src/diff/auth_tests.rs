//! The diff of listeners and rules with an OIDC step: the client secret is
//! compared through the live hash, sent only when it changed, and never
//! shown (see `diff::auth`).

use super::tests::{alb, as_live, forward, http_listener, model, plan, rule, tg};
use crate::model::auth::{hash_secret, Auth, Authenticate, Oidc, Session};
use crate::model::*;
use crate::plan::Op;

fn oidc(secret: Option<&str>) -> Auth {
    Auth {
        authenticate: Some(Authenticate::Oidc(Oidc {
            issuer: "https://idp.example.com".into(),
            authorization_endpoint: "https://idp.example.com/a".into(),
            token_endpoint: "https://idp.example.com/t".into(),
            user_info_endpoint: "https://idp.example.com/u".into(),
            client_id: "web".into(),
            client_secret: secret.map(str::to_string),
            client_secret_hash: None,
            session: Session::default(),
        })),
        jwt_validation: None,
    }
}

/// Desired (secret `want`, weights) and live (hash of `had`) models.
fn models(want: &str, had: &str, weights: (u32, u32)) -> (Model, Model) {
    let desired_with = |w: (u32, u32)| {
        let mut l = http_listener(443, forward(&[("blue", w.0), ("green", w.1)]));
        l.default_auth = oidc(Some(want));
        let mut r = rule(10, "/app/*", forward(&[("blue", 1)]));
        r.auth = oidc(Some(want));
        l.rules.insert(10, r);
        model(
            vec![tg("blue", 80), tg("green", 80)],
            vec![alb("web", vec![l])],
        )
    };
    let desired = desired_with(weights);
    let mut live = as_live(&desired_with((90, 10)));
    let l = live
        .load_balancers
        .get_mut("web")
        .unwrap()
        .listeners
        .get_mut(&443)
        .unwrap();
    for auth in [&mut l.default_auth, &mut l.rules.get_mut(&10).unwrap().auth] {
        let o = auth.oidc_mut().unwrap();
        o.client_secret = None;
        o.client_secret_hash = Some(hash_secret(had));
    }
    (desired, live)
}

#[test]
fn a_secret_matching_the_live_hash_plans_nothing() {
    let (desired, live) = models("s3cret-one", "s3cret-one", (90, 10));
    assert!(plan(&desired, &live).is_empty());
}

#[test]
fn a_changed_secret_is_an_update_that_sends_it_without_showing_it() {
    let (desired, live) = models("s3cret-two", "s3cret-one", (90, 10));
    let p = plan(&desired, &live);
    assert_eq!(p.steps.len(), 2, "{:?}", p.steps);
    for step in &p.steps {
        let changes = serde_json::to_string(&step.changes).unwrap();
        assert!(!changes.contains("s3cret"), "{changes}");
        assert!(changes.contains("client_secret"), "{changes}");
        let sent = match &step.op {
            Op::UpdateListener {
                listener, modify, ..
            } => {
                assert!(modify);
                listener.default_auth.oidc().unwrap().client_secret.clone()
            }
            Op::UpdateRule { rule, modify, .. } => {
                assert!(modify);
                rule.auth.oidc().unwrap().client_secret.clone()
            }
            other => panic!("unexpected op {other:?}"),
        };
        assert_eq!(sent.as_deref(), Some("s3cret-two"));
    }
}

#[test]
fn a_weight_shift_keeps_the_existing_secret() {
    let (desired, live) = models("s3cret-one", "s3cret-one", (50, 50));
    let p = plan(&desired, &live);
    assert_eq!(p.steps.len(), 1, "{:?}", p.steps);
    let Op::UpdateListener { listener, .. } = &p.steps[0].op else {
        panic!("{:?}", p.steps[0].op)
    };
    assert_eq!(listener.default_auth.oidc().unwrap().client_secret, None);
    assert!(!serde_json::to_string(&p.steps[0].changes)
        .unwrap()
        .contains("client_secret"));
}

#[test]
fn a_spec_without_the_step_removes_it() {
    let (mut desired, live) = models("s3cret-one", "s3cret-one", (90, 10));
    let l = desired
        .load_balancers
        .get_mut("web")
        .unwrap()
        .listeners
        .get_mut(&443)
        .unwrap();
    l.default_auth = Auth::default();
    let p = plan(&desired, &live);
    assert_eq!(p.steps.len(), 1, "{:?}", p.steps);
    let paths: Vec<&str> = p.steps[0].changes.iter().map(|c| c.path.as_str()).collect();
    assert!(
        paths.contains(&"default_action.authenticate.oidc.issuer"),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("hash")), "{paths:?}");
}
