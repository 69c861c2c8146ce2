//! Rule conditions and transforms, checked as AWS would: the map or list
//! form, wildcard `values` or `regex` (not both), one `host_header`,
//! `path_pattern`, `http_request_method` and `source_ip` per rule, value
//! and regex lengths, regexes that compile, and the per-condition and
//! per-rule limits (3 match values per condition, 5 per rule, 5 wildcards
//! per rule; AWS: "Condition types for listener rules", condition basics).

use std::net::IpAddr;

use crate::spec::diag::Check;
use crate::spec::raw::conditions::{RawHttpHeader, RawPatternMap, RawQueryString};
use crate::spec::raw::{RawConditionMap, RawConditions, RawPatterns, RawRewrite, RawTransforms};
use crate::spec::scalar::Text;

/// Kinds AWS allows once per rule (http_header and query_string repeat).
const ONCE: &[&str] = &[
    "host_header",
    "path_pattern",
    "http_request_method",
    "source_ip",
];

const KINDS: &str =
    "use host_header, path_pattern, http_header, http_request_method, query_string or source_ip";

/// Most characters of a rewrite's regex or replacement (`RewriteConfig`).
const REWRITE_MAX: usize = 1024;

/// One condition as counted for the limits: its path, kind, number of
/// match values and number of wildcard characters.
struct Counted {
    rel: String,
    key: &'static str,
    values: usize,
    wildcards: usize,
}

/// Every check of a rule's `conditions`.
pub fn check(c: &mut Check, cond: &RawConditions) {
    let maps = cond.maps();
    if maps.is_empty() {
        return c.hint("conditions", "a rule needs at least one condition", KINDS);
    }
    let mut counted = Vec::new();
    for (rel, m) in &maps {
        let before = counted.len();
        map(c, rel, m, &mut counted);
        if counted.len() == before {
            let msg = if matches!(cond, RawConditions::Map(_)) {
                "a rule needs at least one condition".to_string()
            } else {
                format!("condition {rel} is empty")
            };
            c.hint(rel, msg, KINDS);
        }
    }
    repeats(c, &counted);
    limits(c, &counted);
}

/// The conditions of one map, each checked and counted.
fn map(c: &mut Check, rel: &str, m: &RawConditionMap, out: &mut Vec<Counted>) {
    for (key, p) in [
        ("host_header", &m.host_header),
        ("path_pattern", &m.path_pattern),
    ] {
        if let Some(p) = p {
            let rel = format!("{rel}.{key}");
            let (values, wildcards) = patterns(c, &rel, key, p);
            out.push(Counted {
                rel,
                key,
                values,
                wildcards,
            });
        }
    }
    if let Some(h) = &m.http_header {
        out.push(http_header(c, &format!("{rel}.http_header"), h));
    }
    for (key, list) in [
        ("http_request_method", &m.http_request_method),
        ("source_ip", &m.source_ip),
    ] {
        let Some(list) = list else { continue };
        let rel = format!("{rel}.{key}");
        if list.is_empty() {
            c.err(&rel, format!("condition `{key}` needs at least one value"));
        }
        for (i, v) in list.iter().enumerate() {
            let check = if key == "source_ip" { cidr } else { method };
            value(c, &format!("{rel}[{i}]"), key, v, check);
        }
        out.push(Counted {
            rel,
            key,
            values: list.len(),
            wildcards: 0,
        });
    }
    if let Some(q) = &m.query_string {
        out.push(query_string(c, &format!("{rel}.query_string"), q));
    }
}

/// An `http_header` condition: a valid header name (not `Host`) and its
/// values or regex.
fn http_header(c: &mut Check, rel: &str, h: &RawHttpHeader) -> Counted {
    let name = h.name.as_str();
    if name.is_empty() || name.chars().count() > 40 || !name.chars().all(token_char) {
        c.hint(
            &format!("{rel}.name"),
            format!("header name `{name}` is not valid"),
            "a header name is 1 to 40 characters: letters, digits and !#$%&'*+-.^_`|~",
        );
    } else if name.eq_ignore_ascii_case("host") {
        c.hint(
            &format!("{rel}.name"),
            "an `http_header` condition cannot match the `Host` header",
            "use `host_header` instead",
        );
    }
    let p = RawPatterns::Map(RawPatternMap {
        values: h.values.clone(),
        regex: h.regex.clone(),
    });
    let (values, wildcards) = patterns(c, rel, "http_header", &p);
    Counted {
        rel: rel.to_string(),
        key: "http_header",
        values,
        wildcards,
    }
}

/// A `query_string` condition: its pairs, each pair one match value.
fn query_string(c: &mut Check, rel: &str, q: &[RawQueryString]) -> Counted {
    if q.is_empty() {
        c.err(rel, "condition `query_string` needs at least one value");
    }
    let mut wildcards = 0;
    for (i, pair) in q.iter().enumerate() {
        let at = format!("{rel}[{i}]");
        if let Some(k) = &pair.key {
            value(c, &format!("{at}.key"), "query_string", k, |_| Ok(()));
            wildcards += query_wildcards(k.as_str());
        }
        let v = &pair.value;
        value(c, &format!("{at}.value"), "query_string", v, |_| Ok(()));
        wildcards += query_wildcards(v.as_str());
    }
    Counted {
        rel: rel.to_string(),
        key: "query_string",
        values: q.len(),
        wildcards,
    }
}

/// Wildcard `values` or `regex` of a host, path or header condition: one
/// of the two, non-empty, each 1 to 128 characters, regexes that compile.
/// Returns (match values, wildcard characters).
fn patterns(c: &mut Check, rel: &str, key: &str, p: &RawPatterns) -> (usize, usize) {
    let (values, regex) = p.parts();
    match (values, regex) {
        (Some(_), Some(_)) => c.hint(
            rel,
            format!("condition `{key}` takes wildcard `values` or `regex`, not both"),
            "keep one; to match either, write two rules with the same action",
        ),
        (None, None) => c.hint(
            rel,
            format!("condition `{key}` needs `values` or `regex`"),
            "add e.g. `values: [\"*.example.com\"]` or `regex: [\"^api\\\\.\"]`",
        ),
        (Some([]), _) | (_, Some([])) => c.hint(
            rel,
            format!("condition `{key}` needs at least one value"),
            "give up to 3 values, or leave the condition out",
        ),
        _ => {}
    }
    let values = values.unwrap_or_default();
    let values_rel = p.values_path(rel);
    let mut wildcards = 0;
    for (i, v) in values.iter().enumerate() {
        value(c, &format!("{values_rel}[{i}]"), key, v, |_| Ok(()));
        wildcards += v
            .as_str()
            .chars()
            .filter(|ch| matches!(ch, '*' | '?'))
            .count();
    }
    let regex = regex.unwrap_or_default();
    for (i, r) in regex.iter().enumerate() {
        let at = format!("{rel}.regex[{i}]");
        value(c, &at, key, r, |_| Ok(()));
        if let (1..=128, Err(msg)) = (r.as_str().chars().count(), compiles(r.as_str())) {
            c.hint(&at, msg, "check the regular expression's syntax");
        }
    }
    (values.len() + regex.len(), wildcards)
}

/// `*` and `?` of a query string key or value, but for escaped ones
/// (`\*` matches a literal `*`).
fn query_wildcards(v: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for ch in v.chars() {
        match ch {
            '\\' if !escaped => escaped = true,
            '*' | '?' if !escaped => n += 1,
            _ => escaped = false,
        }
        if ch != '\\' {
            escaped = false;
        }
    }
    n
}

/// A kind AWS allows once, given again.
fn repeats(c: &mut Check, counted: &[Counted]) {
    for (i, k) in counted.iter().enumerate() {
        if ONCE.contains(&k.key) && counted[..i].iter().any(|e| e.key == k.key) {
            c.hint(
                &k.rel,
                format!(
                    "condition `{}` is given twice; AWS takes one per rule",
                    k.key
                ),
                "put all the values in one condition (any of them matches); only \
                 `http_header` and `query_string` can repeat",
            );
        }
    }
}

/// At most 3 match values per condition, 5 per rule, 5 wildcards per rule.
fn limits(c: &mut Check, counted: &[Counted]) {
    for k in counted.iter().filter(|k| k.values > 3) {
        c.hint(
            &k.rel,
            format!(
                "condition `{}` has {} values; AWS takes at most 3 per condition",
                k.key, k.values
            ),
            "split the rule into several rules with the same action, or use a wildcard",
        );
    }
    let total: usize = counted.iter().map(|k| k.values).sum();
    if total > 5 {
        c.hint(
            "conditions",
            format!("the conditions have {total} values in all; AWS takes at most 5 per rule"),
            "every value of every condition counts; split the rule into several rules with the same action",
        );
    }
    let wildcards: usize = counted.iter().map(|k| k.wildcards).sum();
    if wildcards > 5 {
        c.hint(
            "conditions",
            format!(
                "the conditions have {wildcards} wildcards (`*`, `?`) in all; AWS takes at most 5 per rule"
            ),
            "use fewer wildcards, a `regex` instead, or split the rule",
        );
    }
}

/// A rule's `transforms`: at least one rewrite, each with a `regex` that
/// compiles and a `replace`, each at most 1,024 characters.
pub fn transforms(c: &mut Check, t: &RawTransforms) {
    if t.host_header_rewrite.is_none() && t.url_rewrite.is_none() {
        return c.hint(
            "transforms",
            "`transforms` needs `host_header_rewrite` or `url_rewrite`",
            "add one, or leave `transforms` out",
        );
    }
    for (key, r) in [
        ("host_header_rewrite", &t.host_header_rewrite),
        ("url_rewrite", &t.url_rewrite),
    ] {
        if let Some(r) = r {
            rewrite(c, &format!("transforms.{key}"), key, r);
        }
    }
}

fn rewrite(c: &mut Check, rel: &str, key: &str, r: &RawRewrite) {
    for (part, v) in [("regex", &r.regex), ("replace", &r.replace)] {
        let at = format!("{rel}.{part}");
        let Some(v) = v else {
            c.hint(
                rel,
                format!("`{key}` needs `{part}`"),
                "write `{ regex: \"^/old/(.*)$\", replace: \"/new/$1\" }`",
            );
            continue;
        };
        let n = v.as_str().chars().count();
        if n > REWRITE_MAX || (part == "regex" && n == 0) {
            c.hint(
                &at,
                format!("`{key}` {part} must be 1 to {REWRITE_MAX} characters, not {n}"),
                "AWS takes a rewrite's regex and replacement up to 1,024 characters each",
            );
        } else if part == "regex" {
            if let Err(msg) = compiles(v.as_str()) {
                c.hint(&at, msg, "check the regular expression's syntax");
            }
        }
    }
}

/// One condition value: non-empty, at most 128 characters, and `extra`.
fn value(
    c: &mut Check,
    rel: &str,
    key: &str,
    v: &Text,
    extra: impl Fn(&str) -> Result<(), String>,
) {
    let v = v.as_str();
    if v.is_empty() || v.chars().count() > 128 {
        c.hint(
            rel,
            format!("condition `{key}` values must be 1 to 128 characters"),
            "shorten the value; a wildcard (`*`, `?`) or a `regex` can match longer text",
        );
    } else if let Err(msg) = extra(v) {
        c.err(rel, msg);
    }
}

/// A regular expression that parses. Look-around and back-references,
/// which the parser used here does not support, are let through: AWS may
/// take them.
fn compiles(v: &str) -> Result<(), String> {
    use regex_syntax::ast::ErrorKind;
    match regex_syntax::ast::parse::Parser::new().parse(v) {
        Ok(_) => Ok(()),
        Err(e) => match e.kind() {
            ErrorKind::UnsupportedLookAround | ErrorKind::UnsupportedBackreference => Ok(()),
            kind => Err(format!("`{v}` is not a valid regular expression: {kind}")),
        },
    }
}

/// RFC 7230 `tchar`.
fn token_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(ch)
}

fn method(v: &str) -> Result<(), String> {
    if v.chars().count() > 40 {
        return Err(format!("HTTP method `{v}` is longer than 40 characters"));
    }
    if v.chars()
        .all(|ch| ch.is_ascii_uppercase() || ch == '_' || ch == '-')
    {
        Ok(())
    } else {
        Err(format!(
            "HTTP method `{v}` may only use A-Z, `_` and `-` (methods are upper case)"
        ))
    }
}

fn cidr(v: &str) -> Result<(), String> {
    let ok = v.split_once('/').is_some_and(|(ip, len)| {
        match (ip.parse::<IpAddr>(), len.parse::<u8>()) {
            (Ok(IpAddr::V4(_)), Ok(n)) => n <= 32,
            (Ok(IpAddr::V6(_)), Ok(n)) => n <= 128,
            _ => false,
        }
    });
    if ok {
        Ok(())
    } else {
        Err(format!("`{v}` is not a CIDR block (like `10.0.0.0/8`)"))
    }
}
