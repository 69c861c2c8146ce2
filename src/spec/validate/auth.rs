//! The steps before an action's terminal key: `authenticate` (`oidc` or
//! `cognito`) and `jwt_validation`, as AWS accepts them
//! (<https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html>,
//! `API_AuthenticateOidcActionConfig`, `API_AuthenticateCognitoActionConfig`,
//! `API_JwtValidationActionConfig`;
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-action-types.html>:
//! one routing action, performed last, and at most one user authentication
//! step before it): only on HTTPS listeners of application
//! load balancers, at most one such step, https endpoints, a session of
//! 1 s to 7 d, and an OIDC client secret that comes from an SSM
//! SecureString parameter (a literal one would be printed and kept in files).

use indexmap::IndexMap;

use super::common::{one_of_values, secs_range};
use crate::spec::diag::Check;
use crate::spec::raw::auth::{RawClaim, RawCognito, RawJwtValidation, RawOidc};
use crate::spec::raw::RawAction;
use crate::spec::scalar::{Seconds, Text};
use crate::spec::Spec;

const ON_UNAUTHENTICATED: &[&str] = &["authenticate", "allow", "deny"];
const CLAIM_FORMATS: &[&str] = &["single-string", "string-array", "space-separated-values"];
/// Claims AWS always validates and refuses as additional ones.
const STANDARD_CLAIMS: &[&str] = &["exp", "iss", "nbf", "iat"];

/// Check the steps of action `a` at `rel` (`default_action`, `action`).
pub fn check(
    c: &mut Check,
    rel: &str,
    a: &RawAction,
    lb_type: &str,
    proto: Option<&str>,
    spec: &Spec,
) {
    let given: Vec<&str> = [
        ("authenticate", a.authenticate.is_some()),
        ("jwt_validation", a.jwt_validation.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, g)| g.then_some(k))
    .collect();
    let Some(first) = given.first() else { return };
    let at = format!("{rel}.{first}");
    if lb_type != "application" {
        return c.hint(
            &at,
            format!("`{first}` needs an application load balancer"),
            "authentication steps run on HTTPS listeners of application load balancers; remove it",
        );
    }
    if proto != Some("HTTPS") {
        return c.hint(
            &at,
            format!(
                "`{first}` needs an HTTPS listener, not {}",
                proto.unwrap_or("none")
            ),
            "use `protocol: HTTPS` with `certificates`, or remove the step",
        );
    }
    if given.len() > 1 {
        c.hint(
            &format!("{rel}.jwt_validation"),
            "an action takes one of `authenticate` or `jwt_validation`, not both",
            "AWS runs at most one authentication step before the terminal action; keep one",
        );
    }
    if let Some(auth) = &a.authenticate {
        let at = format!("{rel}.authenticate");
        match (&auth.oidc, &auth.cognito) {
            (Some(o), None) => oidc(c, &format!("{at}.oidc"), o, spec),
            (None, Some(g)) => cognito(c, &format!("{at}.cognito"), g),
            (Some(_), Some(_)) => c.hint(
                &at,
                "`authenticate` takes one of `oidc` or `cognito`, not both",
                "AWS runs one authenticate step per action; keep one",
            ),
            (None, None) => c.hint(
                &at,
                "`authenticate` needs `oidc` or `cognito`",
                "write `authenticate: { oidc: { issuer: ..., ... } }`",
            ),
        }
    }
    if let Some(j) = &a.jwt_validation {
        jwt(c, &format!("{rel}.jwt_validation"), j);
    }
}

fn oidc(c: &mut Check, rel: &str, o: &RawOidc, spec: &Spec) {
    for (key, value) in [
        ("issuer", &o.issuer),
        ("authorization_endpoint", &o.authorization_endpoint),
        ("token_endpoint", &o.token_endpoint),
        ("user_info_endpoint", &o.user_info_endpoint),
    ] {
        match value {
            None => required(c, rel, "oidc", key),
            Some(v) => https_url(c, &format!("{rel}.{key}"), key, v),
        }
    }
    if o.client_id.is_none() {
        required(c, rel, "oidc", "client_id");
    }
    if o.client_secret.is_some() {
        let path = c.path(&format!("{rel}.client_secret"));
        let secure = spec.sensitive.contains_key(&(c.src.file.clone(), path));
        if !secure {
            c.hint(
                &format!("{rel}.client_secret"),
                "`client_secret` must come from an SSM SecureString parameter, not the spec",
                "put it in SSM as a SecureString (`aws ssm put-parameter --type SecureString`), \
                 declare it under `parameters:` and write `client_secret: \"${NAME}\"`",
            );
        }
    }
    session(
        c,
        rel,
        o.session_timeout,
        &o.on_unauthenticated,
        &o.extra_params,
    );
    not_empty(c, rel, "scope", &o.scope);
    not_empty(c, rel, "session_cookie_name", &o.session_cookie_name);
}

fn cognito(c: &mut Check, rel: &str, g: &RawCognito) {
    match &g.user_pool {
        None => required(c, rel, "cognito", "user_pool"),
        Some(arn) if !user_pool_arn(arn.as_str()) => c.hint(
            &format!("{rel}.user_pool"),
            format!("`{arn}` is not a Cognito user pool ARN"),
            "write `arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID`",
        ),
        Some(_) => {}
    }
    for (key, value) in [("client_id", &g.client_id), ("domain", &g.domain)] {
        if value.is_none() {
            required(c, rel, "cognito", key);
        }
    }
    session(
        c,
        rel,
        g.session_timeout,
        &g.on_unauthenticated,
        &g.extra_params,
    );
    not_empty(c, rel, "scope", &g.scope);
    not_empty(c, rel, "session_cookie_name", &g.session_cookie_name);
}

/// `session_timeout`, `on_unauthenticated` and `extra_params` (at most 10).
fn session(
    c: &mut Check,
    rel: &str,
    timeout: Option<Seconds>,
    on: &Option<String>,
    extra: &Option<IndexMap<String, Text>>,
) {
    if let Some(t) = timeout {
        secs_range(
            c,
            &format!("{rel}.session_timeout"),
            "session_timeout",
            t,
            1,
            604_800,
        );
    }
    if let Some(on) = on {
        one_of_values(
            c,
            &format!("{rel}.on_unauthenticated"),
            "on_unauthenticated value",
            on,
            ON_UNAUTHENTICATED,
        );
    }
    let n = extra.as_ref().map_or(0, IndexMap::len);
    if n > 10 {
        c.hint(
            &format!("{rel}.extra_params"),
            format!("`extra_params` has {n} parameters; AWS takes at most 10"),
            "keep the query parameters the identity provider needs",
        );
    }
}

fn jwt(c: &mut Check, rel: &str, j: &RawJwtValidation) {
    match &j.issuer {
        None => required(c, rel, "jwt_validation", "issuer"),
        Some(i) => max_len(c, &format!("{rel}.issuer"), "issuer", i, 256),
    }
    match &j.jwks_endpoint {
        None => required(c, rel, "jwt_validation", "jwks_endpoint"),
        Some(u) => {
            https_url(c, &format!("{rel}.jwks_endpoint"), "jwks_endpoint", u);
            max_len(c, &format!("{rel}.jwks_endpoint"), "jwks_endpoint", u, 256);
        }
    }
    let claims = j.claims.as_deref().unwrap_or_default();
    if claims.len() > 10 {
        c.hint(
            &format!("{rel}.claims"),
            format!(
                "`claims` has {} entries; AWS takes at most 10",
                claims.len()
            ),
            "keep the claims that matter most",
        );
    }
    for (i, claim) in claims.iter().enumerate() {
        self::claim(c, &format!("{rel}.claims[{i}]"), claim);
    }
}

fn claim(c: &mut Check, rel: &str, claim: &RawClaim) {
    match &claim.name {
        None => required(c, rel, "claim", "name"),
        Some(n) if STANDARD_CLAIMS.contains(&n.as_str()) => c.hint(
            &format!("{rel}.name"),
            format!("claim `{n}` is always validated by AWS and cannot be an additional claim"),
            "remove it; AWS checks `exp`, `iss`, `nbf` and `iat` itself",
        ),
        Some(_) => {}
    }
    let format = claim.format.as_deref();
    match format {
        None => required(c, rel, "claim", "format"),
        Some(f) => {
            one_of_values(
                c,
                &format!("{rel}.format"),
                "claim format",
                f,
                CLAIM_FORMATS,
            );
        }
    }
    let values = claim.values.as_deref().unwrap_or_default();
    if !(1..=10).contains(&values.len()) {
        c.err(
            &format!("{rel}.values"),
            format!("a claim takes 1 to 10 values, not {}", values.len()),
        );
    }
    for (i, v) in values.iter().enumerate() {
        let vrel = format!("{rel}.values[{i}]");
        max_len(c, &vrel, "claim value", v, 256);
        if format == Some("space-separated-values") && v.as_str().contains(' ') {
            c.hint(
                &vrel,
                format!("claim value `{v}` has a space; a `space-separated-values` claim lists values one by one"),
                "write each value as its own list item",
            );
        }
    }
}

fn required(c: &mut Check, rel: &str, what: &str, key: &str) {
    c.hint(
        rel,
        format!("`{what}` needs `{key}`"),
        format!("add `{key}: ...`"),
    );
}

fn not_empty(c: &mut Check, rel: &str, key: &str, v: &Option<Text>) {
    if v.as_ref().is_some_and(|v| v.as_str().trim().is_empty()) {
        c.hint(
            &format!("{rel}.{key}"),
            format!("`{key}` is empty"),
            format!("give a value or leave `{key}` out for AWS's default"),
        );
    }
}

fn max_len(c: &mut Check, rel: &str, label: &str, v: &Text, max: usize) {
    let n = v.as_str().chars().count();
    if n > max {
        c.err(
            rel,
            format!("{label} is {n} characters; AWS takes at most {max}"),
        );
    }
}

/// A full `https://host/...` URL, as AWS requires for the endpoints.
fn https_url(c: &mut Check, rel: &str, key: &str, v: &Text) {
    let v = v.as_str();
    let host = v.strip_prefix("https://").map(|rest| {
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        &rest[..end]
    });
    let ok = host.is_some_and(|h| !h.is_empty() && !h.contains(char::is_whitespace))
        && !v.contains(char::is_whitespace);
    if !ok {
        c.hint(
            rel,
            format!("`{key}` must be an https URL, not `{v}`"),
            "write the full URL with `https://`, the domain and the path",
        );
    }
}

/// `arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/POOL-ID`.
pub fn user_pool_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    let pool = resource.strip_prefix("userpool/").unwrap_or_default();
    *prefix == "arn"
        && partition.starts_with("aws")
        && *service == "cognito-idp"
        && !region.is_empty()
        && account.len() == 12
        && account.chars().all(|ch| ch.is_ascii_digit())
        && pool
            .split_once('_')
            .is_some_and(|(r, id)| r == *region && !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::user_pool_arn;

    #[test]
    fn user_pool_arns_have_their_shape() {
        assert!(user_pool_arn(
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf"
        ));
        for bad in [
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/eu-west-1_AbCdEf",
            "arn:aws:cognito-idp:us-east-1:1234:userpool/us-east-1_AbCdEf",
            "arn:aws:cognito:us-east-1:123456789012:userpool/us-east-1_AbCdEf",
            "us-east-1_AbCdEf",
        ] {
            assert!(!user_pool_arn(bad), "{bad}");
        }
    }
}
