//! The plan as GitHub-flavoured Markdown, for pull-request comments: a
//! heading with the stack and the summary, conflicts and warnings as lists,
//! a table of steps (`+` create, `~` update, `-/+` replace, `-` delete),
//! then one collapsible `<details>` per step with its `before -> after`
//! changes in a code block. Secrets are masked as in the other renderers.

use std::fmt::Write;

use serde_json::Value;

use crate::plan::{Kind, Plan, Step, StepAction};

use super::text::value;

/// First line of every rendered plan: lets a CI job find (and update) the
/// comment it posted for a stack instead of adding a new one.
pub fn marker(stack: &str) -> String {
    format!("<!-- lbctl plan: stack={stack} -->")
}

/// The whole plan as Markdown, secrets masked.
pub fn plan(plan: &Plan) -> String {
    let plan = &*super::redact::plan(plan);
    crate::secrets::scrub(&render(plan)).into_owned()
}

fn sigil(action: StepAction) -> &'static str {
    match action {
        StepAction::Create => "+",
        StepAction::Update => "~",
        StepAction::Replace => "-/+",
        StepAction::Delete => "-",
    }
}

fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", marker(&plan.stack));
    let _ = writeln!(out, "### lbctl plan: stack `{}`\n", code(&plan.stack));
    if plan.is_empty() && plan.conflicts.is_empty() && !plan.unmanaged.is_empty() {
        let _ = writeln!(
            out,
            "**No changes**: stack `{}` matches the spec, apart from the live settings below \
             that lbctl cannot model yet.\n",
            code(&plan.stack)
        );
    } else if plan.is_empty() && plan.conflicts.is_empty() {
        let _ = writeln!(
            out,
            "**No changes**: stack `{}` matches the spec.\n",
            code(&plan.stack)
        );
    } else if plan.is_empty() {
        let _ = writeln!(
            out,
            "**No changes planned, but stack `{}` does not match the spec**: apply refuses \
             while the conflicts below remain.\n",
            code(&plan.stack)
        );
    } else {
        let s = plan.summary();
        let _ = writeln!(
            out,
            "**{} to create, {} to update, {} to replace, {} to delete.**\n",
            s.create, s.update, s.replace, s.delete
        );
    }
    if !plan.conflicts.is_empty() {
        let _ = writeln!(out, "**Conflicts** (apply refuses unless `--adopt`):\n");
        for c in &plan.conflicts {
            let owner = match &c.owner {
                Some(o) => format!("stack `{}`", code(o)),
                None => "no stack".to_string(),
            };
            let _ = writeln!(
                out,
                "- {} `{}` exists but belongs to {owner}",
                c.kind.as_str(),
                code(&c.name)
            );
        }
        out.push('\n');
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(out, "**Warnings**:\n");
        for w in &plan.warnings {
            let _ = writeln!(out, "- {}", inline(w));
        }
        out.push('\n');
    }
    if plan.is_empty() {
        return out;
    }
    out.push_str("| action | kind | name | changes |\n");
    out.push_str("|:---:|---|---|---:|\n");
    for s in &plan.steps {
        let _ = writeln!(
            out,
            "| `{}` | {} | `{}` | {} |",
            sigil(s.action),
            s.kind.as_str(),
            cell(&s.name),
            s.changes.len()
        );
    }
    out.push('\n');
    for s in &plan.steps {
        details(&mut out, s);
    }
    out
}

/// One step as a collapsible section.
fn details(out: &mut String, s: &Step) {
    let _ = writeln!(
        out,
        "<details><summary><code>{} {} {}</code> ({} change{})</summary>\n",
        sigil(s.action),
        s.kind.as_str(),
        html(&s.name),
        s.changes.len(),
        if s.changes.len() == 1 { "" } else { "s" }
    );
    let lines: Vec<String> = s.changes.iter().map(|c| change(s, c)).collect();
    if lines.is_empty() {
        let what = match s.action {
            StepAction::Delete => "deleted",
            _ => "no attribute-level changes",
        };
        let _ = writeln!(out, "_{what}_\n");
    } else {
        let body = lines.join("\n");
        let fence = fence(&body);
        let _ = writeln!(out, "{fence}\n{body}\n{fence}\n");
    }
    for n in &s.notes {
        let _ = writeln!(out, "- note: {}", inline(n));
    }
    if !s.notes.is_empty() {
        out.push('\n');
    }
    out.push_str("</details>\n\n");
}

/// A change as the text plan shows it.
fn change(s: &Step, c: &crate::plan::Change) -> String {
    match (s.action, &c.before, &c.after) {
        (StepAction::Create, Value::Null, after) => format!("{}: {}", c.path, value(after)),
        (StepAction::Delete, before, Value::Null) if s.kind != Kind::Targets => {
            format!("{}: {}", c.path, value(before))
        }
        (_, before, Value::Null) if s.kind == Kind::Targets => format!("- {}", value(before)),
        (_, Value::Null, after) if s.kind == Kind::Targets => format!("+ {}", value(after)),
        // A secret neither side of which can be shown (an OIDC client secret).
        (_, Value::String(b), Value::String(a))
            if b == crate::secrets::MASK && a == crate::secrets::MASK =>
        {
            format!("{}: {} changed", c.path, crate::secrets::MASK)
        }
        (_, before, after) => format!("{}: {} -> {}", c.path, value(before), value(after)),
    }
}

/// A code fence longer than any run of backticks in `body`.
fn fence(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in body.chars() {
        run = if ch == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat(longest.max(2) + 1)
}

/// Text for inside a `code` span: backticks would end it.
fn code(text: &str) -> String {
    text.replace('`', "'")
}

/// A table cell inside a code span: `|` would end the cell.
fn cell(text: &str) -> String {
    code(text).replace('|', "\\|")
}

/// Text inside HTML (`<summary>`).
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A list item on one line, with raw HTML neutralised (a warning quoting
/// `<details>` must not open one).
fn inline(text: &str) -> String {
    text.replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Change, Conflict, Op};
    use serde_json::json;

    fn sample() -> Plan {
        Plan {
            format_version: 1,
            stack: "shop".into(),
            steps: vec![
                Step {
                    action: StepAction::Update,
                    kind: Kind::Listener,
                    name: "shop:443".into(),
                    changes: vec![Change::new(
                        "default_action.forward.target_groups[0].weight",
                        json!(90),
                        json!(50),
                    )],
                    notes: vec![],
                    op: Op::DeleteListener {
                        load_balancer: "shop".into(),
                        port: 443,
                    },
                },
                Step {
                    action: StepAction::Delete,
                    kind: Kind::TargetGroup,
                    name: "a|b".into(),
                    changes: vec![],
                    notes: vec!["in use <soon>".into()],
                    op: Op::DeleteTargetGroup { name: "a|b".into() },
                },
            ],
            conflicts: vec![Conflict {
                kind: Kind::LoadBalancer,
                name: "web".into(),
                owner: None,
            }],
            warnings: vec!["safety: `x` would go".into()],
            unmanaged: Vec::new(),
        }
    }

    #[test]
    fn a_plan_renders_as_a_table_and_a_details_block_per_step() {
        let md = plan(&sample());
        assert!(md.starts_with("<!-- lbctl plan: stack=shop -->\n### lbctl plan: stack `shop`"));
        assert!(md.contains("**0 to create, 1 to update, 0 to replace, 1 to delete.**"));
        assert!(md.contains("| action | kind | name | changes |"), "{md}");
        assert!(md.contains("| `~` | listener | `shop:443` | 1 |"), "{md}");
        assert!(md.contains("| `-` | target_group | `a\\|b` | 0 |"), "{md}");
        assert!(md.contains(
            "<details><summary><code>~ listener shop:443</code> (1 change)</summary>\n\n```\ndefault_action.forward.target_groups[0].weight: 90 -> 50\n```\n"
        ), "{md}");
        assert!(md.contains("- note: in use &lt;soon&gt;"), "{md}");
        assert!(md.contains("- load_balancer `web` exists but belongs to no stack"));
        assert!(md.contains("- safety: `x` would go"));
        assert_eq!(md.matches("<details>").count(), 2);
        assert_eq!(md.matches("</details>").count(), 2);
    }

    #[test]
    fn an_empty_plan_says_so() {
        let p = Plan {
            stack: "shop".into(),
            ..Plan::default()
        };
        let md = plan(&p);
        assert!(md.contains("**No changes**"));
        assert!(!md.contains("<details>"));
    }

    #[test]
    fn fences_outgrow_backticks_in_values() {
        assert_eq!(fence("a ``` b"), "````");
        assert_eq!(fence("plain"), "```");
    }
}
