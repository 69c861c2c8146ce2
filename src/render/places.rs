//! Secrets that text search cannot find (numbers, short values), masked by
//! where they stand in a plan (see `crate::secrets::Place`), together with
//! the figures computed from them: the traffic share of a weighted record
//! set, the TTL in a warning. Also masks a changing live value that equals
//! a declared SecureString value (`crate::secrets::declare`). Only what is
//! shown is masked; `Step::op` keeps what AWS must receive.

use serde_json::Value;

use crate::plan::{Change, Kind, Plan};
use crate::secrets::{as_text, is_declared, Place, MASK};

/// What a traffic share note starts with (see `diff::dns::shares`).
const SHARES: &str = "traffic share: ";

/// Mask, in `plan`, every value that stands at one of `places`.
pub fn mask(plan: &mut Plan, places: &[Place]) {
    for step in &mut plan.steps {
        let here: Vec<&Place> = places
            .iter()
            .filter(|p| p.kind == step.kind && p.step == step.name)
            .collect();
        let mut old_weight = false;
        for c in &mut step.changes {
            for p in &here {
                change(c, p);
            }
            old_weight |= declared(c);
        }
        // Every share is computed from every weight of the set.
        if here.iter().any(|p| p.key == "weight") {
            for n in &mut step.notes {
                if let Some(rest) = n.strip_prefix(SHARES) {
                    *n = format!("{SHARES}{}", figures(rest, |t| t.ends_with('%')));
                }
            }
        } else if old_weight {
            // A live weight that is a secret: the shares before the change.
            for n in &mut step.notes {
                if let Some(rest) = n.strip_prefix(SHARES) {
                    *n = format!("{SHARES}{}", shares_before(rest));
                }
            }
        }
    }
    for w in &mut plan.warnings {
        let ttl = places.iter().any(|p| {
            p.kind == Kind::RecordSet
                && p.key == "ttl"
                && w.starts_with(&format!("record set `{}` has a TTL of ", p.step))
        });
        if ttl {
            *w = figures(w, |t| t.chars().all(|c| c.is_ascii_digit()));
        } else if w.starts_with("record set `") && w.contains("` has a TTL of ") {
            *w = figures(w, is_declared);
        }
    }
}

/// Mask what stands at `p` in `c`, and the value it replaces.
fn change(c: &mut Change, p: &Place) {
    match &p.member {
        Some(member) if *member == c.path => {
            if let Some(v) = c.after.get_mut(&p.key) {
                if as_text(v).as_deref() == Some(p.text.as_str()) {
                    *v = Value::String(MASK.into());
                    if let Some(b) = c.before.get_mut(&p.key) {
                        *b = Value::String(MASK.into());
                    }
                }
            }
        }
        Some(_) => {}
        None if p.key == "targets" => {
            // `10.0.0.1:8080`: the port is the secret.
            if last_key(&c.path) == "targets" {
                let port = format!(":{}", p.text);
                for v in [&mut c.before, &mut c.after] {
                    if let Some(id) = v.as_str().and_then(|t| t.strip_suffix(&port)) {
                        *v = Value::String(format!("{id}:{MASK}"));
                    }
                }
            }
        }
        None => {
            if last_key(&c.path) == p.key && as_text(&c.after).as_deref() == Some(p.text.as_str()) {
                c.after = Value::String(MASK.into());
                if !c.before.is_null() {
                    c.before = Value::String(MASK.into());
                }
            }
        }
    }
}

/// Mask a live value that changes and equals a declared SecureString
/// value: most likely the secret the spec no longer uses. True when a
/// `weight` was masked (the shares computed from it must go too).
fn declared(c: &mut Change) -> bool {
    if c.before == c.after {
        return false;
    }
    let hit = |v: &Value| as_text(v).is_some_and(|t| is_declared(&t));
    let mut weight = false;
    if hit(&c.before) {
        c.before = Value::String(MASK.into());
        weight = last_key(&c.path) == "weight";
    } else if let Value::Object(before) = &mut c.before {
        for (k, v) in before.iter_mut() {
            if hit(v) && c.after.get(k) != Some(v) {
                *v = Value::String(MASK.into());
                weight |= k == "weight";
            }
        }
    }
    weight
}

/// A share note (`blue 79.2% -> 33.3%, green ...`) with each share before
/// the change masked.
fn shares_before(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let masked: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let before_arrow = words.get(i + 1) == Some(&"->");
            if before_arrow && w.ends_with('%') {
                MASK.to_string()
            } else {
                (*w).to_string()
            }
        })
        .collect();
    masked.join(" ")
}

/// The last key of a change path: `weight` of
/// `default_action.forward.target_groups[1].weight`.
fn last_key(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// `text` with each word that `secret` picks masked (trailing `,` and `:`
/// kept).
fn figures(text: &str, secret: impl Fn(&str) -> bool) -> String {
    text.split(' ')
        .map(|word| {
            let bare = word.trim_end_matches([',', ':']);
            if !bare.is_empty() && secret(bare) {
                format!("{MASK}{}", &word[bare.len()..])
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Op, Step, StepAction};
    use serde_json::json;

    fn place(kind: Kind, step: &str, member: Option<&str>, key: &str, text: &str) -> Place {
        Place {
            kind,
            step: step.into(),
            member: member.map(str::to_string),
            key: key.into(),
            text: text.into(),
            parameter: "/t/p".into(),
        }
    }

    fn step(kind: Kind, name: &str, changes: Vec<Change>, notes: Vec<&str>) -> Step {
        Step {
            action: StepAction::Update,
            kind,
            name: name.into(),
            changes,
            notes: notes.into_iter().map(str::to_string).collect(),
            op: Op::DeleteTargetGroup { name: "x".into() },
        }
    }

    #[test]
    fn numbers_at_places_and_the_shares_computed_from_them_are_masked() {
        let key = "api.example.com. A";
        let mut plan = Plan {
            steps: vec![
                step(
                    Kind::RecordSet,
                    key,
                    vec![
                        Change::new(
                            "blue",
                            json!({ "weight": 10, "ttl": 60 }),
                            json!({ "weight": 187, "ttl": 60 }),
                        ),
                        Change::new("green", json!(null), json!({ "weight": 187, "ttl": 60 })),
                    ],
                    vec!["traffic share: blue 100% -> 50%, green - -> 50%"],
                ),
                step(
                    Kind::Listener,
                    "web:80",
                    vec![
                        Change::new("default_action.forward.target_groups[0].weight", 1, 613),
                        Change::new("default_action.forward.target_groups[1].weight", 5, 6),
                    ],
                    vec![],
                ),
            ],
            warnings: vec![format!(
                "record set `{key}` has a TTL of 7213 s: up to 7213 s"
            )],
            ..Plan::default()
        };
        let places = [
            place(Kind::RecordSet, key, Some("blue"), "weight", "187"),
            place(Kind::RecordSet, key, Some("blue"), "ttl", "7213"),
            place(Kind::Listener, "web:80", None, "weight", "613"),
        ];
        mask(&mut plan, &places);
        let s = &plan.steps[0];
        assert_eq!(s.changes[0].before, json!({ "weight": MASK, "ttl": 60 }));
        assert_eq!(s.changes[0].after, json!({ "weight": MASK, "ttl": 60 }));
        // Another member with the same weight is not the secret.
        assert_eq!(s.changes[1].after, json!({ "weight": 187, "ttl": 60 }));
        assert_eq!(
            s.notes[0],
            format!("traffic share: blue {MASK} -> {MASK}, green - -> {MASK}")
        );
        let l = &plan.steps[1].changes;
        assert_eq!((&l[0].before, &l[0].after), (&json!(MASK), &json!(MASK)));
        assert_eq!((&l[1].before, &l[1].after), (&json!(5), &json!(6)));
        assert_eq!(
            plan.warnings[0],
            format!("record set `{key}` has a TTL of {MASK} s: up to {MASK} s")
        );
    }

    #[test]
    fn a_secret_target_port_is_masked_inside_id_port() {
        let mut plan = Plan {
            steps: vec![step(
                Kind::Targets,
                "web",
                vec![
                    Change::new("targets", json!(null), "10.0.0.1:7741"),
                    Change::new("targets", "10.0.0.2:80", json!(null)),
                ],
                vec![],
            )],
            ..Plan::default()
        };
        mask(
            &mut plan,
            &[place(Kind::Targets, "web", None, "targets", "7741")],
        );
        let c = &plan.steps[0].changes;
        assert_eq!(c[0].after, json!(format!("10.0.0.1:{MASK}")));
        assert_eq!(c[1].before, json!("10.0.0.2:80"));
    }

    #[test]
    fn a_changing_live_value_equal_to_a_declared_secret_is_masked() {
        crate::secrets::declare(["4417"]);
        let mut c = Change::new("ttl", 4417, 60);
        declared(&mut c);
        assert_eq!((c.before, c.after), (json!(MASK), json!(60)));
        let mut c = Change::new(
            "m",
            json!({ "weight": 4417, "ttl": 4417 }),
            json!({ "weight": 3, "ttl": 4417 }),
        );
        declared(&mut c);
        assert_eq!(c.before, json!({ "weight": MASK, "ttl": 4417 }));
    }

    #[test]
    fn shares_computed_from_a_declared_live_weight_are_masked_before_the_change() {
        crate::secrets::declare(["3817"]);
        let mut plan = Plan {
            steps: vec![step(
                Kind::RecordSet,
                "api.example.com. A",
                vec![
                    Change::new("blue", json!({ "weight": 3817 }), json!({ "weight": 5 })),
                    Change::new("green", json!({ "weight": 10 }), json!({ "weight": 10 })),
                ],
                vec!["traffic share: blue 99.7% -> 33.3%, green 0.3% -> 66.7%, red - -> 0%"],
            )],
            ..Plan::default()
        };
        mask(&mut plan, &[]);
        let s = &plan.steps[0];
        assert_eq!(s.changes[0].before, json!({ "weight": MASK }));
        assert_eq!(
            s.notes[0],
            format!("traffic share: blue {MASK} -> 33.3%, green {MASK} -> 66.7%, red - -> 0%")
        );
    }
}
