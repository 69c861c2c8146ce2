//! Load balancers and their listeners.

use crate::model::{Action, Listener, LoadBalancer, Model};
use crate::plan::{listener_name, Change, Kind, Op, Plan, StepAction};

use super::{auth, changes, listener_attributes, rules, step, warm, Ctx};

pub(super) fn load_balancers(ctx: &Ctx, desired: &Model, live: &Model, plan: &mut Plan) {
    for (name, want) in &desired.load_balancers {
        match live.load_balancers.get(name) {
            None => {
                plan.steps.push(create(want));
                create_listeners(want, plan);
            }
            Some(have) => {
                if !ctx.may_change(Kind::LoadBalancer, name, &have.tags, plan) {
                    continue;
                }
                load_balancer(ctx, want, have, plan);
            }
        }
    }
    for (name, have) in &live.load_balancers {
        if !desired.load_balancers.contains_key(name) && ctx.owns(&have.tags) {
            let listeners: Vec<String> = have
                .listeners
                .keys()
                .map(|port| listener_name(name, *port))
                .collect();
            let mut s = step(
                StepAction::Delete,
                Kind::LoadBalancer,
                name,
                changes::deleted(vec![
                    ("type", serde_json::json!(have.lb_type)),
                    ("scheme", serde_json::json!(have.scheme)),
                    ("listeners", serde_json::json!(listeners)),
                ]),
                Op::DeleteLoadBalancer { name: name.clone() },
            );
            if !have.listeners.is_empty() {
                s.notes.push(format!(
                    "its {} listener(s) go with it",
                    have.listeners.len()
                ));
            }
            plan.steps.push(s);
        }
    }
}

/// What a load balancer replacement takes with it, for the plan's reader:
/// a deletion in all but name.
fn replacement_notes(have: &LoadBalancer, old_dns: Option<&str>) -> Vec<String> {
    let dns = old_dns.map_or(String::new(), |d| format!(" `{d}`"));
    let rules: usize = have.listeners.values().map(|l| l.rules.len()).sum();
    vec![
        "type and scheme cannot change in place: deleted, then created again \
         (a deletion for the safety checks: refused without --force or \
         --allow-load-balancer-delete)"
            .to_string(),
        format!(
            "its DNS name{dns} changes and its ARN with it: aliases of this spec follow, \
             anything else pointing at the old name stops resolving"
        ),
        format!(
            "its {} listener(s) and {rules} rule(s) are deleted with it; the spec's are created again",
            have.listeners.len()
        ),
    ]
}

fn without_listeners(lb: &LoadBalancer) -> LoadBalancer {
    LoadBalancer {
        listeners: Default::default(),
        ..lb.clone()
    }
}

/// How a new load balancer is shown: attributes by their spec names, no
/// `name` (the step has it), listeners in their own steps.
fn created_load_balancer(lb: &LoadBalancer) -> Vec<Change> {
    let mut v = serde_json::to_value(lb).unwrap_or_default();
    if let Some(map) = v.as_object_mut() {
        map.remove("name");
        map.remove("listeners");
        let attributes: serde_json::Map<String, serde_json::Value> = lb
            .attributes
            .iter()
            .map(|(k, v)| (changes::spec_attribute_name(k), v.clone().into()))
            .collect();
        map.insert("attributes".into(), attributes.into());
    }
    changes::created("", &v)
}

fn create(want: &LoadBalancer) -> crate::plan::Step {
    let bare = without_listeners(want);
    step(
        StepAction::Create,
        Kind::LoadBalancer,
        &want.name,
        created_load_balancer(&bare),
        Op::CreateLoadBalancer {
            load_balancer: bare,
        },
    )
}

fn create_listeners(want: &LoadBalancer, plan: &mut Plan) {
    for listener in want.listeners.values() {
        push_create_listener(&want.name, listener, plan);
    }
}

/// The steps creating a listener and its rules, warning where an OIDC step
/// has no secret to send.
fn push_create_listener(lb: &str, listener: &Listener, plan: &mut Plan) {
    if auth::secret_missing(&listener.default_auth, None) {
        let name = listener_name(lb, listener.key());
        plan.warnings.push(auth::missing_warning(&name));
    }
    plan.steps.push(create_listener(lb, listener));
    rules::create_all(lb, listener, plan);
}

fn bare_listener(l: &Listener) -> Listener {
    Listener {
        rules: Default::default(),
        ..l.clone()
    }
}

fn create_listener(lb: &str, listener: &Listener) -> crate::plan::Step {
    let bare = bare_listener(listener);
    let shown = Listener {
        attributes: Default::default(),
        ..auth::shown_listener(&bare)
    };
    let mut created = auth::spec_paths(changes::created("", &shown));
    created.extend(listener_attributes::created(&bare.attributes));
    step(
        StepAction::Create,
        Kind::Listener,
        &listener_name(lb, listener.key()),
        created,
        Op::CreateListener {
            load_balancer: lb.to_string(),
            listener: bare,
        },
    )
}

fn load_balancer(ctx: &Ctx, want: &LoadBalancer, have: &LoadBalancer, plan: &mut Plan) {
    let name = &want.name;
    let mut immutable = Vec::new();
    if want.lb_type != have.lb_type {
        immutable.push(Change::new("type", &have.lb_type, &want.lb_type));
    }
    if want.scheme != have.scheme {
        immutable.push(Change::new("scheme", &have.scheme, &want.scheme));
    }
    if !immutable.is_empty() {
        let old_dns = ctx.load_balancer_dns.get(name).map(|(dns, _)| dns.as_str());
        immutable.push(Change::new(
            "dns_name",
            old_dns,
            crate::plan::KNOWN_AFTER_APPLY,
        ));
        let mut s = step(
            StepAction::Replace,
            Kind::LoadBalancer,
            name,
            immutable,
            Op::ReplaceLoadBalancer {
                load_balancer: without_listeners(want),
            },
        );
        s.notes.extend(replacement_notes(have, old_dns));
        if have
            .attributes
            .get("deletion_protection.enabled")
            .map(String::as_str)
            == Some("true")
        {
            plan.warnings.push(format!(
                "load balancer `{name}` has deletion protection on; the replacement will fail until it is turned off"
            ));
        }
        plan.steps.push(s);
        create_listeners(want, plan);
        return;
    }

    let mut all = Vec::new();
    let mut subnets = None;
    let mut subnet_mappings = None;
    if !want.subnet_mappings.is_empty() {
        let wanted: std::collections::BTreeSet<String> = want
            .subnet_mappings
            .iter()
            .map(|m| m.subnet.clone())
            .collect();
        if wanted != have.subnets {
            all.push(Change::new("subnets", &have.subnets, &wanted));
            subnet_mappings = Some(want.subnet_mappings.clone());
        }
    } else if !want.subnets.is_empty() && want.subnets != have.subnets {
        all.push(Change::new("subnets", &have.subnets, &want.subnets));
        subnets = Some(want.subnets.iter().cloned().collect());
    }
    let mut security_groups = None;
    if want.security_groups.is_some() && want.security_groups != have.security_groups {
        all.push(Change::new(
            "security_groups",
            &have.security_groups,
            &want.security_groups,
        ));
        security_groups = want
            .security_groups
            .as_ref()
            .map(|s| s.iter().cloned().collect());
    }
    let mut ip_address_type = None;
    if want.ip_address_type.is_some() && want.ip_address_type != have.ip_address_type {
        all.push(Change::new(
            "ip_address_type",
            &have.ip_address_type,
            &want.ip_address_type,
        ));
        ip_address_type = want.ip_address_type.clone();
    }
    let mut ipam_pool = None;
    if want.ipam_pool != have.ipam_pool {
        all.push(Change::new("ipam_pool", &have.ipam_pool, &want.ipam_pool));
        ipam_pool = Some(want.ipam_pool.clone());
    }
    let (attributes, tags) = changes::attributes_and_tags(
        (&want.attributes, &want.tags),
        (&have.attributes, &have.tags),
        &mut all,
    );
    if !all.is_empty() {
        plan.steps.push(step(
            StepAction::Update,
            Kind::LoadBalancer,
            name,
            all,
            Op::UpdateLoadBalancer {
                name: name.clone(),
                subnets,
                subnet_mappings,
                security_groups,
                ip_address_type,
                ipam_pool,
                attributes,
                tags,
            },
        ));
    }

    listeners(ctx, want, have, plan);
}

fn listeners(ctx: &Ctx, want: &LoadBalancer, have: &LoadBalancer, plan: &mut Plan) {
    let lb = &want.name;
    for (key, wl) in &want.listeners {
        match have.listeners.get(key) {
            None => push_create_listener(lb, wl, plan),
            Some(hl) => listener(ctx, lb, &want.lb_type, wl, hl, plan),
        }
    }
    for key in have.listeners.keys() {
        if !want.listeners.contains_key(key) {
            let hl = &have.listeners[key];
            plan.steps.push(step(
                StepAction::Delete,
                Kind::Listener,
                &listener_name(lb, *key),
                changes::deleted(vec![
                    ("protocol", serde_json::json!(hl.protocol)),
                    (
                        "rules",
                        serde_json::json!((!hl.rules.is_empty()).then_some(hl.rules.len())),
                    ),
                ]),
                Op::DeleteListener {
                    load_balancer: lb.clone(),
                    port: *key,
                },
            ));
        }
    }
}

/// The desired listener with what the spec leaves unmanaged taken from the
/// live one, so that comparing the two shows only real changes.
fn effective(want: &Listener, have: &Listener) -> Listener {
    let mut eff = bare_listener(want);
    sort_extra_certificates(&mut eff);
    if eff.ssl_policy.is_none() {
        eff.ssl_policy.clone_from(&have.ssl_policy);
    }
    if eff.alpn_policy.is_none() {
        eff.alpn_policy.clone_from(&have.alpn_policy);
    }
    fill_action(&mut eff.default_action, &have.default_action);
    eff
}

/// The first certificate is the default; the order of the others means
/// nothing, so they are compared sorted.
fn sort_extra_certificates(l: &mut Listener) {
    if l.certificates.len() > 2 {
        l.certificates[1..].sort();
    }
}

/// Fill unmanaged parts of a desired action from the live one.
pub(super) fn fill_action(want: &mut Action, have: &Action) {
    if let (Action::FixedResponse(w), Action::FixedResponse(h)) = (want, have) {
        if w.content_type.is_none() {
            w.content_type.clone_from(&h.content_type);
        }
    }
}

fn listener(ctx: &Ctx, lb: &str, lb_type: &str, want: &Listener, have: &Listener, plan: &mut Plan) {
    let name = listener_name(lb, want.key());
    let mut eff = effective(want, have);
    let secret = auth::settle_secret("default_action", &mut eff.default_auth, &have.default_auth);
    if auth::secret_missing(&eff.default_auth, Some(&have.default_auth)) {
        plan.warnings.push(auth::missing_warning(&name));
    }
    let mut live = bare_listener(have);
    sort_extra_certificates(&mut live);
    // Attributes are compared by their own step (below); a replacement
    // creates the listener with the desired ones.
    let attributes_step = listener_attributes::update(lb, want, have);
    live.attributes.clear();

    // A network listener cannot switch between TCP-like and UDP protocols in
    // place; the port is the identity, so delete it first, then create it.
    if lb_type == "network" && eff.protocol != live.protocol {
        let mut s = step(
            StepAction::Replace,
            Kind::Listener,
            &name,
            vec![Change::new("protocol", &live.protocol, &eff.protocol)],
            Op::ReplaceListener {
                load_balancer: lb.to_string(),
                listener: bare_listener(want),
            },
        );
        s.notes
            .push("protocol cannot change in place: deleted, then created on the same port".into());
        let warm = warm::to_warm(&eff.default_action, &live.default_action, &ctx.fresh);
        warm::mark(&mut s, lb_type, warm);
        plan.steps.push(s);
        return;
    }

    let bare_eff = Listener {
        attributes: Default::default(),
        ..eff.clone()
    };
    let mut changes = auth::spec_paths(changes::compare(
        "",
        &auth::comparable_listener(&live),
        &auth::comparable_listener(&bare_eff),
    ));
    changes.extend(secret.clone());
    if !changes.is_empty() {
        let modify = eff.protocol != live.protocol
            || eff.ssl_policy != live.ssl_policy
            || eff.alpn_policy != live.alpn_policy
            || eff.certificates.first() != live.certificates.first()
            || eff.default_action != live.default_action
            || auth::comparable(&eff.default_auth) != auth::comparable(&live.default_auth)
            || secret.is_some();
        let extra = |l: &Listener| -> std::collections::BTreeSet<String> {
            l.certificates.iter().skip(1).cloned().collect()
        };
        let (we, he) = (extra(&eff), extra(&live));
        let mut s = step(
            StepAction::Update,
            Kind::Listener,
            &name,
            changes,
            Op::UpdateListener {
                load_balancer: lb.to_string(),
                listener: eff.clone(),
                modify,
                add_certificates: we.difference(&he).cloned().collect(),
                remove_certificates: he.difference(&we).cloned().collect(),
                warm: vec![],
            },
        );
        let warm = warm::to_warm(&eff.default_action, &live.default_action, &ctx.fresh);
        warm::mark(&mut s, lb_type, warm);
        plan.steps.push(s);
    }
    plan.steps.extend(attributes_step);
    rules::rules(lb, want, have, &ctx.fresh, plan);
}
