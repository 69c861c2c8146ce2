//! The spec change that makes shifted weights permanent: the `weight: N`
//! of each target group in the listener's (or rule's) forward, rewritten
//! in the spec's own text, shown as a unified diff.
//!
//! This is a line-based edit, not a YAML round trip, so comments and layout
//! survive: the load balancer's key, then the listener's `port:`, then
//! (with `--rule`) the rule's `priority:`, then the first line naming each
//! target group (`- { name: TG, weight: N }`, or `- name: TG` with
//! `weight: N` on the next line). Anything else it reports as not found.

use super::steps::Weights;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Where the forward is: load balancer, port and optional rule priority.
pub(super) struct Place<'a> {
    pub(super) load_balancer: &'a str,
    pub(super) port: u16,
    pub(super) rule: Option<u32>,
}

/// The spec text with the weights rewritten, or why that was not possible.
pub(super) fn rewrite(text: &str, place: &Place, weights: &Weights) -> Result<String, String> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let (start, end) = forward_block(&lines, place)?;
    for (name, weight) in weights {
        let at = (start..end)
            .find(|&i| names(&lines[i], name))
            .ok_or_else(|| format!("no line naming target group `{name}` in its forward"))?;
        let target = if lines[at].contains("weight:") {
            at
        } else if at + 1 < end && strip(&lines[at + 1]).starts_with("weight:") {
            at + 1
        } else {
            return Err(format!("no `weight:` beside target group `{name}`"));
        };
        lines[target] = set_weight(&lines[target], *weight);
    }
    Ok(lines.concat())
}

/// The line range of the listener's default action (before its `rules:`)
/// or of the rule.
fn forward_block(lines: &[String], place: &Place) -> Result<(usize, usize), String> {
    let section = lines
        .iter()
        .position(|l| l.trim_end() == "load_balancers:")
        .ok_or("no `load_balancers:` section")?;
    let lb = place.load_balancer;
    let lb_line = (section + 1..lines.len())
        .find(|&i| {
            let key = strip(&lines[i]);
            [format!("{lb}:"), format!("\"{lb}\":"), format!("'{lb}':")].contains(&key.to_string())
        })
        .ok_or_else(|| format!("no load balancer `{lb}` under `load_balancers:`"))?;
    let lb_indent = indent(&lines[lb_line]);
    // The load balancer's block ends at the next line indented as little.
    let lb_end = (lb_line + 1..lines.len())
        .find(|&i| !strip(&lines[i]).is_empty() && indent(&lines[i]) <= lb_indent)
        .unwrap_or(lines.len());
    let is_port = |l: &str| {
        let t = strip(l);
        t.strip_prefix("- ").unwrap_or(t).starts_with("port:")
    };
    let port = (lb_line..lb_end)
        .find(|&i| is_port(&lines[i]) && value(&lines[i], "port:") == place.port.to_string())
        .ok_or_else(|| format!("no listener with `port: {}` in `{lb}`", place.port))?;
    let listener_end = (port + 1..lb_end)
        .find(|&i| is_port(&lines[i]))
        .unwrap_or(lb_end);
    let is_priority = |l: &str| {
        let t = strip(l);
        t.strip_prefix("- ").unwrap_or(t).starts_with("priority:")
    };
    match place.rule {
        None => {
            let end = (port + 1..listener_end)
                .find(|&i| strip(&lines[i]) == "rules:" || is_priority(&lines[i]))
                .unwrap_or(listener_end);
            Ok((port, end))
        }
        Some(p) => {
            let start = (port + 1..listener_end)
                .find(|&i| is_priority(&lines[i]) && value(&lines[i], "priority:") == p.to_string())
                .ok_or_else(|| format!("no rule with `priority: {p}` in that listener"))?;
            let end = (start + 1..listener_end)
                .find(|&i| is_priority(&lines[i]))
                .unwrap_or(listener_end);
            Ok((start, end))
        }
    }
}

/// The line without its comment and surrounding blanks.
fn strip(line: &str) -> &str {
    let code = match line.find(" #") {
        Some(i) => &line[..i],
        None if line.trim_start().starts_with('#') => "",
        None => line,
    };
    code.trim()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The scalar after `key` on the line (up to `,`, `}` or the end).
fn value(line: &str, key: &str) -> String {
    let code = strip(line);
    let Some(i) = code.find(key) else {
        return String::new();
    };
    code[i + key.len()..]
        .split([',', '}'])
        .next()
        .unwrap_or_default()
        .trim()
        .trim_matches(['"', '\''])
        .to_string()
}

/// Whether the line is the `name:` of target group `name`.
fn names(line: &str, name: &str) -> bool {
    strip(line).contains("name:") && value(line, "name:") == name
}

/// The line with the number after `weight:` replaced.
fn set_weight(line: &str, weight: u32) -> String {
    let Some(i) = line.find("weight:") else {
        return line.to_string();
    };
    let after = i + "weight:".len();
    let rest = &line[after..];
    let spaces = rest.len() - rest.trim_start().len();
    let digits = rest[spaces..]
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len() - spaces);
    format!(
        "{}{weight}{}",
        &line[..after + spaces],
        &line[after + spaces + digits..]
    )
}

/// A unified diff of two texts with the same number of lines (the rewrite
/// only changes lines in place); empty when they are equal.
pub(super) fn unified(old: &str, new: &str, path: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    debug_assert_eq!(a.len(), b.len());
    let changed: Vec<usize> = (0..a.len().min(b.len()))
        .filter(|&i| a[i] != b[i])
        .collect();
    if changed.is_empty() {
        return String::new();
    }
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(CONTEXT);
        let end = (i + CONTEXT + 1).min(a.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    for (start, end) in hunks {
        let len = end - start;
        out.push_str(&format!(
            "@@ -{},{len} +{},{len} @@\n",
            start + 1,
            start + 1
        ));
        let mut i = start;
        while i < end {
            if a[i] == b[i] {
                out.push_str(&format!(" {}\n", a[i]));
                i += 1;
                continue;
            }
            let run_end = (i..end).find(|&j| a[j] == b[j]).unwrap_or(end);
            for line in &a[i..run_end] {
                out.push_str(&format!("-{line}\n"));
            }
            for line in &b[i..run_end] {
                out.push_str(&format!("+{line}\n"));
            }
            i = run_end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "\
load_balancers:
  shop:
    listeners:
      - port: 80
        default_action:
          forward:
            target_groups:
              - { name: shop-blue, weight: 90 }
      - port: 443   # https
        default_action:
          forward:
            target_groups:
              - { name: shop-blue, weight: 90 }
              - name: shop-green
                weight: 10
        rules:
          - priority: 10
            action:
              forward:
                target_groups:
                  - { name: shop-blue, weight: 50 }
                  - { name: shop-green, weight: 50 }
  other:
    listeners: []
";

    fn w(pairs: &[(&str, u32)]) -> Weights {
        pairs.iter().map(|(n, w)| (n.to_string(), *w)).collect()
    }

    #[test]
    fn rewrites_the_listener_forward_only() {
        let place = Place {
            load_balancer: "shop",
            port: 443,
            rule: None,
        };
        let new = rewrite(SPEC, &place, &w(&[("shop-blue", 0), ("shop-green", 100)])).unwrap();
        let diff = unified(SPEC, &new, "spec.yaml");
        assert!(
            diff.starts_with("--- a/spec.yaml\n+++ b/spec.yaml\n@@ -10,"),
            "{diff}"
        );
        assert!(
            diff.contains(
                "-              - { name: shop-blue, weight: 90 }\n\
                 +              - { name: shop-blue, weight: 0 }\n\
                 \x20              - name: shop-green\n\
                 -                weight: 10\n\
                 +                weight: 100\n"
            ),
            "{diff}"
        );
        assert_eq!(diff.matches("\n-").count(), 2, "{diff}");
    }

    #[test]
    fn rewrites_a_rule_forward() {
        let place = Place {
            load_balancer: "shop",
            port: 443,
            rule: Some(10),
        };
        let new = rewrite(SPEC, &place, &w(&[("shop-blue", 25), ("shop-green", 75)])).unwrap();
        assert!(new.contains("- { name: shop-blue, weight: 25 }\n                  - { name: shop-green, weight: 75 }"));
        assert!(new.contains("- { name: shop-blue, weight: 90 }\n              - name: shop-green"));
    }

    #[test]
    fn reports_what_it_cannot_find() {
        let place = |lb, port, rule| Place {
            load_balancer: lb,
            port,
            rule,
        };
        let ws = w(&[("shop-green", 1)]);
        assert!(rewrite(SPEC, &place("nope", 443, None), &ws)
            .unwrap_err()
            .contains("`nope`"));
        assert!(rewrite(SPEC, &place("shop", 8080, None), &ws)
            .unwrap_err()
            .contains("8080"));
        assert!(rewrite(SPEC, &place("shop", 443, Some(99)), &ws)
            .unwrap_err()
            .contains("99"));
        assert!(rewrite(SPEC, &place("shop", 80, None), &ws)
            .unwrap_err()
            .contains("shop-green"));
        assert!(rewrite(SPEC, &place("other", 443, None), &ws).is_err());
    }
}
