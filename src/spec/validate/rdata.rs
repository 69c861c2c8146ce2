//! The form of one record value by type (MX, SRV, CAA, NAPTR, DS and the
//! name types), as Route 53 parses it: a value it would reject with
//! `InvalidChangeBatch` is refused offline with the form to use.
//!
//! A and AAAA values are `record`'s; TXT and SPF values are quoted by the
//! model builder, so any text is fine there.

use super::dns::dns_name_problem;

/// What is wrong with value `v` of a `rtype` record, as (message, hint).
pub fn problem(rtype: &str, v: &str) -> Option<(String, String)> {
    if let Some(found) = super::rdata_svcb::problem(rtype, v) {
        return found;
    }
    let tokens = match tokens(v) {
        Ok(t) => t,
        Err(msg) => return Some((format!("{rtype} value `{v}` {msg}"), form(rtype))),
    };
    let bad = |why: String| Some((format!("{rtype} value `{v}` {why}"), form(rtype)));
    let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
    match (rtype, words.as_slice()) {
        ("CNAME" | "NS" | "PTR", [name]) => name_problem(name).and_then(bad),
        ("CNAME" | "NS" | "PTR", _) => bad("must be one domain name".into()),
        ("MX", [name]) if name.parse::<u64>().is_err() => bad("has no preference".into()),
        ("MX", [pref, name]) => number(pref, "preference", 65535)
            .or_else(|| name_problem(name))
            .and_then(bad),
        ("SRV", [p, w, port, target]) => number(p, "priority", 65535)
            .or_else(|| number(w, "weight", 65535))
            .or_else(|| number(port, "port", 65535))
            .or_else(|| name_problem(target))
            .and_then(bad),
        ("CAA", [flags, tag, _]) => number(flags, "flags", 255)
            .or_else(|| caa_tag(tag))
            .or_else(|| (!tokens[2].quoted).then(|| "has an unquoted value".into()))
            .and_then(bad),
        ("NAPTR", [order, pref, _, _, _, replacement]) => number(order, "order", 65535)
            .or_else(|| number(pref, "preference", 65535))
            .or_else(|| {
                let unquoted = tokens[2..5].iter().any(|t| !t.quoted);
                unquoted.then(|| "must quote its flags, service and regexp".into())
            })
            .or_else(|| name_problem(replacement))
            .and_then(bad),
        ("DS", [tag, alg, digest_type, digest]) => number(tag, "key tag", 65535)
            .or_else(|| number(alg, "algorithm", 255))
            .or_else(|| number(digest_type, "digest type", 255))
            .or_else(|| hex(digest))
            .and_then(bad),
        ("MX" | "SRV" | "CAA" | "NAPTR" | "DS", _) => {
            let n = words.len();
            let s = if n == 1 { "" } else { "s" };
            bad(format!("has {n} field{s}, not {}", fields(rtype)))
        }
        _ => None,
    }
}

/// The form of a value, as a hint.
fn form(rtype: &str) -> String {
    match rtype {
        "MX" => "write `PREFERENCE NAME`, like `10 mail.example.com` (lower is preferred)",
        "SRV" => "write `PRIORITY WEIGHT PORT TARGET`, like `10 5 5060 sip.example.com`",
        "CAA" => "write `FLAGS TAG \"VALUE\"`, like `0 issue \"letsencrypt.org\"`",
        "NAPTR" => {
            "write `ORDER PREFERENCE \"FLAGS\" \"SERVICE\" \"REGEXP\" REPLACEMENT`, \
             like `100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .`"
        }
        "DS" => "write `KEYTAG ALGORITHM DIGESTTYPE DIGEST`, like `12345 13 2 <hex digest>`",
        _ => "write a domain name, like `www.example.com`",
    }
    .to_string()
}

fn fields(rtype: &str) -> usize {
    match rtype {
        "MX" => 2,
        "CAA" => 3,
        "SRV" | "DS" => 4,
        _ => 6,
    }
}

/// One field of a value; quoted ones keep their text without the quotes.
struct Token {
    text: String,
    quoted: bool,
}

/// Split a value at spaces, keeping `"quoted strings"` (with `\"`) whole.
fn tokens(v: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = v.trim().chars().peekable();
    while let Some(&ch) = chars.peek() {
        if ch.is_whitespace() {
            chars.next();
            continue;
        }
        let mut text = String::new();
        if ch == '"' {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err("has an unterminated quote".into()),
                    Some('"') => break,
                    Some('\\') => text.extend(chars.next()),
                    Some(c) => text.push(c),
                }
            }
            out.push(Token { text, quoted: true });
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                text.push(c);
                chars.next();
            }
            out.push(Token {
                text,
                quoted: false,
            });
        }
    }
    Ok(out)
}

pub(super) fn number(word: &str, what: &str, max: u64) -> Option<String> {
    match word.parse::<u64>() {
        Ok(n) if n <= max => None,
        _ => Some(format!("has {what} `{word}`, not a number from 0 to {max}")),
    }
}

/// A target name: a domain name, or `.` (none: null MX, no SRV service).
pub(super) fn name_problem(name: &str) -> Option<String> {
    if name == "." {
        return None;
    }
    dns_name_problem(name).map(|why| format!("has a name that {why}"))
}

fn caa_tag(tag: &str) -> Option<String> {
    let ok = !tag.is_empty() && tag.len() <= 15 && tag.chars().all(|c| c.is_ascii_alphanumeric());
    (!ok).then(|| {
        format!(
            "has tag `{tag}`; tags are letters and digits, like `issue`, `issuewild` or `iodef`"
        )
    })
}

fn hex(digest: &str) -> Option<String> {
    let ok = digest.len() % 2 == 0 && digest.chars().all(|c| c.is_ascii_hexdigit());
    (!ok).then(|| "has a digest that is not hexadecimal".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_values_pass() {
        for (t, v) in [
            ("MX", "10 mail.example.com."),
            ("MX", "0 ."),
            ("SRV", "10 5 5060 sip.example.com"),
            ("CAA", "0 issue \"letsencrypt.org\""),
            ("CAA", "128 iodef \"mailto:sec@example.com\""),
            (
                "NAPTR",
                "100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" .",
            ),
            ("DS", "12345 13 2 49FD46E6C4B45C55D4AC"),
            ("CNAME", "www.example.com"),
            ("TXT", "anything at all"),
        ] {
            assert_eq!(problem(t, v), None, "{t} {v}");
        }
    }

    #[test]
    fn malformed_values_say_what_is_wrong() {
        for (t, v, want) in [
            ("MX", "mail.example.com", "has no preference"),
            ("MX", "70000 mail.example.com", "preference `70000`"),
            ("SRV", "10 5 sip.example.com", "has 3 fields, not 4"),
            ("CAA", "0 issue letsencrypt.org", "unquoted value"),
            ("CAA", "0 is-sue \"x\"", "tag `is-sue`"),
            ("CAA", "0 issue \"x", "unterminated quote"),
            ("CNAME", "www example.com", "must be one domain name"),
            ("DS", "1 13 2 xyz", "not hexadecimal"),
        ] {
            let (msg, hint) = problem(t, v).unwrap_or_else(|| panic!("{t} {v}"));
            assert!(msg.contains(want), "{msg}");
            assert!(hint.starts_with("write "), "{hint}");
        }
    }
}
