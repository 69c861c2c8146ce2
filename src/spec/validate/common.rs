//! Checks shared by several resource kinds: AWS names, tags, numeric
//! ranges, enum values and selector shapes.

use crate::model::STACK_TAG;
use crate::spec::diag::{one_of, Check};
use crate::spec::raw::{RawInstanceSelector, RawSelector, RawTags};
use crate::spec::scalar::{Int, Seconds};

/// ELBv2 name rules: 1..32 characters of `[A-Za-z0-9-]`, no leading or
/// trailing `-`. `noun` is "target group" or "load balancer".
pub fn name(c: &mut Check, name: &str, noun: &str) {
    let hint = "use 1 to 32 letters, digits and `-`, not starting or ending with `-`";
    if name.is_empty() || name.len() > 32 {
        c.hint(
            "",
            format!("{noun} name must be 1 to 32 characters, not {}", name.len()),
            hint,
        );
    } else if !name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    {
        c.hint(
            "",
            format!("{noun} name may only contain letters, digits and `-`"),
            hint,
        );
    } else if name.starts_with('-') || name.ends_with('-') {
        c.hint(
            "",
            format!("{noun} name may not start or end with `-`"),
            hint,
        );
    }
}

/// Resource tags: at most 50, keys 1..128 characters, values at most 256,
/// no `aws:` prefix, and the stack tag is lbctl's own.
pub fn tags(c: &mut Check, tags: &Option<RawTags>) {
    let Some(tags) = tags else { return };
    if tags.len() > 50 {
        c.err(
            "tags",
            format!("at most 50 tags are allowed, found {}", tags.len()),
        );
    }
    for (key, value) in tags {
        let rel = format!("tags.{key}");
        if key.is_empty() || key.chars().count() > 128 {
            c.err(&rel, format!("tag key `{key}` must be 1 to 128 characters"));
        } else if key.to_ascii_lowercase().starts_with("aws:") {
            c.hint(
                &rel,
                format!("tag key `{key}` is reserved by AWS"),
                "remove the tag",
            );
        } else if key == STACK_TAG {
            let hint = "lbctl sets this tag from `stack`; remove it from `tags`";
            c.hint(&rel, format!("tag key `{STACK_TAG}` is reserved"), hint);
        }
        if value.as_str().chars().count() > 256 {
            c.err(
                &rel,
                format!("tag `{key}`: value must be at most 256 characters"),
            );
        }
    }
}

/// A port number 1..65535.
pub fn port(c: &mut Check, rel: &str, label: &str, port: Int) -> bool {
    let ok = (1..=65535).contains(&port.0);
    if !ok {
        c.err(
            rel,
            format!("{label} {} is out of range (1..65535)", port.0),
        );
    }
    ok
}

/// An integer within `lo..=hi`.
pub fn int_range(c: &mut Check, rel: &str, label: &str, v: Int, lo: i64, hi: i64) -> bool {
    let ok = (lo..=hi).contains(&v.0);
    if !ok {
        c.err(
            rel,
            format!("{label} ({}) must be between {lo} and {hi}", v.0),
        );
    }
    ok
}

/// A duration within `lo..=hi` seconds.
pub fn secs_range(c: &mut Check, rel: &str, label: &str, v: Seconds, lo: u64, hi: u64) -> bool {
    let ok = (lo..=hi).contains(&v.0);
    if !ok {
        c.err(
            rel,
            format!("{label} ({v}) must be between {lo} and {hi} s"),
        );
    }
    ok
}

/// An enum value; reports and returns false when it is not one of `allowed`.
pub fn one_of_values(c: &mut Check, rel: &str, label: &str, value: &str, allowed: &[&str]) -> bool {
    let ok = allowed.contains(&value);
    if !ok {
        c.hint(rel, format!("unknown {label} `{value}`"), one_of(allowed));
    }
    ok
}

/// A key that does not apply here: "`slow_start` only applies to ...".
pub fn not_applicable(c: &mut Check, rel: &str, key: &str, applies_to: &str) {
    let hint = format!("remove `{key}`");
    c.hint(rel, format!("`{key}` only applies to {applies_to}"), hint);
}

/// The shape of a selector: an ID with the right prefix, or non-empty tags.
pub fn selector(c: &mut Check, rel: &str, sel: &RawSelector, prefix: &str) {
    match sel {
        RawSelector::Id(id) => {
            if !id.starts_with(prefix) || id.len() <= prefix.len() {
                let hint =
                    format!("give an ID like `{prefix}0123abcd` or `{{ tags: {{ Name: ... }} }}`");
                c.hint(
                    rel,
                    format!("`{id}` is not a valid ID (expected `{prefix}...`)"),
                    hint,
                );
            }
        }
        RawSelector::Tags(t) if t.tags.is_empty() => {
            c.err(rel, "a tag selector needs at least one tag")
        }
        RawSelector::Tags(_) => {}
    }
}

/// The shape of an instance selector: `tags` with at least one tag.
pub fn instance_selector(c: &mut Check, rel: &str, sel: &RawInstanceSelector) {
    match &sel.tags {
        None => c.hint(
            rel,
            "an instance selector needs `tags`",
            "write `instances: { tags: { role: web } }`; it matches running instances with every tag",
        ),
        Some(t) if t.is_empty() => c.hint(
            rel,
            "an instance selector needs at least one tag",
            "an empty selector would match every running instance; name the tags to match",
        ),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::diag::Source;
    use crate::spec::location::Locations;

    fn messages(f: impl FnOnce(&mut Check)) -> Vec<String> {
        let src = Source {
            file: "t".into(),
            locations: Locations::default(),
        };
        let mut out = Vec::new();
        let mut c = Check {
            src: &src,
            out: &mut out,
            what: "x".into(),
            base: "b".into(),
        };
        f(&mut c);
        out.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn aws_name_rules() {
        assert!(messages(|c| name(c, "web-blue-01", "target group")).is_empty());
        let long = "a".repeat(33);
        assert_eq!(
            messages(|c| name(c, &long, "tg")),
            ["x: tg name must be 1 to 32 characters, not 33"]
        );
        assert_eq!(
            messages(|c| name(c, "web_1", "tg")),
            ["x: tg name may only contain letters, digits and `-`"]
        );
        assert_eq!(
            messages(|c| name(c, "-web", "tg")),
            ["x: tg name may not start or end with `-`"]
        );
    }
}
