//! The form of HTTPS, SVCB, TLSA and SSHFP values, in the presentation
//! formats of their RFCs, which Route 53 parses:
//!
//! - SVCB and HTTPS (RFC 9460 section 2.1): `PRIORITY TARGET [KEY=VALUE...]`;
//!   priority 0 is AliasMode (no parameters); keys are `mandatory`, `alpn`,
//!   `no-default-alpn` (no value), `port`, `ipv4hint`, `ech`, `ipv6hint` or
//!   `keyNNNNN`, each at most once.
//! - TLSA (RFC 6698 section 2.2): `USAGE SELECTOR MATCHING-TYPE DATA`, data
//!   in hex (SHA-256: 64 digits, SHA-512: 128).
//! - SSHFP (RFC 4255 section 3.2, RFC 6594): `ALGORITHM FPTYPE FINGERPRINT`,
//!   fingerprint in hex (SHA-1: 40 digits, SHA-256: 64).

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::rdata::{name_problem, number};

/// SvcParamKeys RFC 9460 names (section 14.3.2).
const KEYS: &[&str] = &[
    "mandatory",
    "alpn",
    "no-default-alpn",
    "port",
    "ipv4hint",
    "ech",
    "ipv6hint",
];

/// `None` when `rtype` is not one of these types; otherwise what is wrong
/// with `v` (message, hint), if anything.
pub(super) fn problem(rtype: &str, v: &str) -> Option<Option<(String, String)>> {
    let words: Vec<&str> = v.split_whitespace().collect();
    let why = match rtype {
        "HTTPS" | "SVCB" => svcb(&words),
        "TLSA" => tlsa(&words),
        "SSHFP" => sshfp(&words),
        _ => return None,
    };
    Some(why.map(|why| (format!("{rtype} value `{v}` {why}"), form(rtype))))
}

fn form(rtype: &str) -> String {
    match rtype {
        "TLSA" => "write `USAGE SELECTOR MATCHING-TYPE HEXDATA`, like `3 1 1 <64 hex digits>`",
        "SSHFP" => "write `ALGORITHM FPTYPE HEXFINGERPRINT`, like `4 2 <64 hex digits>`",
        _ => {
            "write `PRIORITY TARGET [KEY=VALUE...]` (RFC 9460), like \
             `1 . alpn=h2,h3 port=443`, or `0 target.example.com.` for AliasMode"
        }
    }
    .to_string()
}

fn svcb(words: &[&str]) -> Option<String> {
    let [priority, target, params @ ..] = words else {
        return Some(format!("has {} field(s), not at least 2", words.len()));
    };
    if let Some(why) = number(priority, "priority", 65535).or_else(|| name_problem(target)) {
        return Some(why);
    }
    if *priority == "0" && !params.is_empty() {
        return Some("has parameters in AliasMode (priority 0)".into());
    }
    let mut seen = BTreeSet::new();
    let mut mandatory: Vec<&str> = Vec::new();
    for p in params {
        let (key, value) = match p.split_once('=') {
            Some((k, v)) => (k, Some(v.trim_matches('"'))),
            None => (*p, None),
        };
        let numbered = key
            .strip_prefix("key")
            .is_some_and(|n| !n.is_empty() && n.parse::<u16>().is_ok());
        if !KEYS.contains(&key) && !numbered {
            return Some(format!(
                "has unknown parameter `{key}`; use {} or `keyNNNNN`",
                KEYS.join(", ")
            ));
        }
        if !seen.insert(key) {
            return Some(format!("has parameter `{key}` twice"));
        }
        if let Some(why) = param(key, value) {
            return Some(why);
        }
        if key == "mandatory" {
            mandatory.extend(value.unwrap_or_default().split(','));
        }
    }
    // RFC 9460 section 8: `mandatory` lists keys the record has, never
    // itself.
    mandatory.iter().find_map(|k| {
        if *k == "mandatory" {
            Some("lists `mandatory` in `mandatory`".to_string())
        } else if !seen.contains(k) {
            Some(format!(
                "lists `{k}` in `mandatory` but has no `{k}` parameter"
            ))
        } else {
            None
        }
    })
}

/// What is wrong with the value of parameter `key`, if anything.
fn param(key: &str, value: Option<&str>) -> Option<String> {
    let list = |v: &str| v.split(',').map(str::to_string).collect::<Vec<_>>();
    match (key, value) {
        ("no-default-alpn", Some(_)) => {
            Some("gives `no-default-alpn` a value; it takes none".into())
        }
        ("no-default-alpn", None) => None,
        (_, None) | (_, Some("")) if !key.starts_with("key") => {
            Some(format!("has parameter `{key}` without a value"))
        }
        ("port", Some(v)) => number(v, "port", 65535),
        ("ipv4hint", Some(v)) => list(v)
            .iter()
            .find(|a| a.parse::<Ipv4Addr>().is_err())
            .map(|a| format!("has ipv4hint `{a}`, not an IPv4 address")),
        ("ipv6hint", Some(v)) => list(v)
            .iter()
            .find(|a| a.parse::<Ipv6Addr>().is_err())
            .map(|a| format!("has ipv6hint `{a}`, not an IPv6 address")),
        ("alpn", Some(v)) => list(v)
            .iter()
            .any(String::is_empty)
            .then(|| "has an empty protocol in `alpn`".into()),
        _ => None,
    }
}

fn tlsa(words: &[&str]) -> Option<String> {
    let [usage, selector, matching, data] = words else {
        return Some(format!("has {} field(s), not 4", words.len()));
    };
    number(usage, "usage", 3)
        .or_else(|| number(selector, "selector", 1))
        .or_else(|| number(matching, "matching type", 2))
        .or_else(|| {
            let digits = match *matching {
                "1" => Some(64),
                "2" => Some(128),
                _ => None,
            };
            hex(data, digits)
        })
}

fn sshfp(words: &[&str]) -> Option<String> {
    let [algorithm, fptype, fingerprint] = words else {
        return Some(format!("has {} field(s), not 3", words.len()));
    };
    number(algorithm, "algorithm", 255)
        .or_else(|| number(fptype, "fingerprint type", 255))
        .or_else(|| {
            let digits = match *fptype {
                "1" => Some(40),
                "2" => Some(64),
                _ => None,
            };
            hex(fingerprint, digits)
        })
}

/// Hex digits, an even number of them, exactly `len` when known.
fn hex(data: &str, len: Option<usize>) -> Option<String> {
    if data.is_empty() || data.len() % 2 != 0 || !data.chars().all(|c| c.is_ascii_hexdigit()) {
        return Some(format!("has data `{data}` that is not hexadecimal"));
    }
    match len {
        Some(n) if data.len() != n => Some(format!(
            "has {} hex digits where its hash type has {n}",
            data.len()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(t: &str, v: &str) -> Option<String> {
        problem(t, v)
            .expect("a type of this module")
            .map(|(m, _)| m)
    }

    #[test]
    fn well_formed_values_pass() {
        let sha256 = "a".repeat(64);
        for (t, v) in [
            ("HTTPS", "1 . alpn=h2,h3 port=443".to_string()),
            ("HTTPS", "0 cdn.example.net.".to_string()),
            (
                "SVCB",
                "16 svc.example.com. ipv4hint=192.0.2.1,192.0.2.2 no-default-alpn alpn=h2"
                    .to_string(),
            ),
            ("SVCB", "1 . key65000=x ipv6hint=2001:db8::1".to_string()),
            ("HTTPS", "1 . mandatory=alpn alpn=h2".to_string()),
            ("TLSA", format!("3 1 1 {sha256}")),
            ("SSHFP", format!("4 2 {sha256}")),
        ] {
            assert_eq!(check(t, &v), None, "{t} {v}");
        }
        assert!(problem("A", "192.0.2.1").is_none());
    }

    #[test]
    fn malformed_values_say_what_is_wrong() {
        for (t, v, want) in [
            ("HTTPS", "1", "not at least 2"),
            ("HTTPS", "x . alpn=h2", "priority `x`"),
            ("HTTPS", "0 . alpn=h2", "AliasMode"),
            ("HTTPS", "1 . colour=blue", "unknown parameter `colour`"),
            ("HTTPS", "1 . port=443 port=8443", "`port` twice"),
            ("HTTPS", "1 . port=99999", "port `99999`"),
            ("SVCB", "1 . ipv4hint=2001:db8::1", "not an IPv4 address"),
            ("SVCB", "1 . alpn", "without a value"),
            (
                "SVCB",
                "1 . mandatory=alpn port=443",
                "has no `alpn` parameter",
            ),
            ("TLSA", "3 1 1 abc", "not hexadecimal"),
            ("TLSA", "4 1 1 ab", "usage `4`"),
            ("TLSA", "3 1 1 abcd", "has 4 hex digits"),
            ("SSHFP", "4 2", "not 3"),
        ] {
            let msg = check(t, v).unwrap_or_else(|| panic!("{t} {v}"));
            assert!(msg.contains(want), "{msg}");
        }
    }
}
