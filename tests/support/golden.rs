//! Whole-output ("golden") checks: a test compares what it produced with a
//! file in the repository, and `LBCTL_BLESS=1` rewrites the file instead.
//! On a mismatch the panic names the file, the first differing line and the
//! command that re-blesses it.

/// Compares `actual` with the file at `path` (relative to the repository
/// root), or writes it there when `LBCTL_BLESS` is set. `bless` is the
/// cargo command that re-blesses this file, quoted in the failure.
pub fn check(path: &str, actual: &[u8], bless: &str) {
    let full = super::repo_root().join(path);
    if std::env::var_os("LBCTL_BLESS").is_some() {
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&full, actual).unwrap();
        return;
    }
    let shipped = std::fs::read(&full)
        .unwrap_or_else(|_| panic!("missing {path}; run LBCTL_BLESS=1 {bless}"));
    if shipped != actual {
        panic!(
            "{path} is out of date ({}); run LBCTL_BLESS=1 {bless} and review the diff",
            first_difference(&shipped, actual)
        );
    }
}

/// `line 12: expected "…", got "…"` for the first line that differs.
fn first_difference(shipped: &[u8], actual: &[u8]) -> String {
    let a = String::from_utf8_lossy(shipped);
    let b = String::from_utf8_lossy(actual);
    let mut left = a.lines();
    let mut right = b.lines();
    for n in 1.. {
        match (left.next(), right.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => return "only line endings differ".into(),
            (x, y) => {
                return format!(
                    "line {n}: expected {:?}, got {:?}",
                    x.unwrap_or("(end)"),
                    y.unwrap_or("(end)")
                )
            }
        }
    }
    unreachable!()
}

/// Replaces what moto makes up afresh on every start (resource IDs, the
/// random parts of ARNs, hosted-zone IDs) with a fixed placeholder, so a
/// rendered plan can be compared whole.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(len) = volatile_at(text, i) {
            out.push_str(&placeholder(&text[i..i + len]));
            i += len;
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Prefixes of IDs moto generates; each is followed by 8 to 17 hex digits.
const ID_PREFIXES: &[&str] = &["vpc-", "subnet-", "sg-", "i-", "eipalloc-", "eni-", "igw-"];

/// The length of a volatile token starting at byte `i`, if one does and it
/// starts a word.
fn volatile_at(text: &str, i: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let rest = &text[i..];
    if rest.starts_with('/') {
        return arn_suffix(rest);
    }
    if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-') {
        return None;
    }
    for prefix in ID_PREFIXES {
        if let Some(tail) = rest.strip_prefix(prefix) {
            let hex = tail
                .bytes()
                .take_while(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                .count();
            let ends = tail
                .as_bytes()
                .get(hex)
                .is_none_or(|b| !b.is_ascii_alphanumeric());
            if (8..=17).contains(&hex) && ends {
                return Some(prefix.len() + hex);
            }
        }
    }
    // Hosted-zone IDs: `Z` and 12 to 32 upper-case letters and digits.
    if let Some(tail) = rest.strip_prefix('Z') {
        let n = tail
            .bytes()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .count();
        let ends = tail
            .as_bytes()
            .get(n)
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if (12..=32).contains(&n) && ends && tail[..n].bytes().any(|b| b.is_ascii_digit()) {
            return Some(1 + n);
        }
    }
    None
}

/// The random last part of an ELBv2 ARN: `/` and 16 hex digits.
fn arn_suffix(rest: &str) -> Option<usize> {
    let hex = rest[1..]
        .bytes()
        .take_while(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        .count();
    let ends = rest
        .as_bytes()
        .get(1 + hex)
        .is_none_or(|b| !b.is_ascii_alphanumeric());
    (hex == 16 && ends).then_some(1 + hex)
}

fn placeholder(token: &str) -> String {
    match token.find('-') {
        Some(dash) if !token.starts_with('/') => format!("{}-ID", &token[..dash]),
        _ if token.starts_with('/') => "/ID".into(),
        _ => "ZONEID".into(),
    }
}

#[test]
fn normalise_replaces_only_generated_ids() {
    let text = "vpc: \"vpc-343857ff5dba0ad41\" subnet-02c9264d70caf3a1d sg-d6672205a06ce1412 \
                Z2FDTNDATAQYW2 Z0123456789ABCDEF arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/50dc6c495c0c9188 \
                i-abc sub-subnet-0123456789abcdef0 web-blue my-vpc-config";
    assert_eq!(
        normalise(text),
        "vpc: \"vpc-ID\" subnet-ID sg-ID ZONEID ZONEID arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/ID \
         i-abc sub-subnet-0123456789abcdef0 web-blue my-vpc-config"
    );
}
