//! Property tests of the planner: for generated desired and live models,
//! one apply converges.
//!
//! Each case plans, carries the plan out on an in-memory model of AWS
//! (`tests::simulate` for load balancing, [`simulate_dns`] here for Route 53,
//! both asserting that nothing is used before it exists or deleted while
//! still in use), then plans again against the end state: that plan must
//! be empty. Live models hold resources only in live, only in the spec, in
//! both with differences, and resources of nobody or of another stack,
//! which must come out untouched.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::sample::select;

use super::tests::{forward, in_use, live_lb, live_tg, owned_tags, plan_with, simulate, STACK};
use super::{diff, Input};
use crate::model::dns::*;
use crate::model::*;
use crate::plan::{Op, Plan};

// ---------------------------------------------------------------------------
// Load balancing: raw generated shapes, resolved into models.

/// Target group settings; `None` is "not managed" on the desired side.
#[derive(Debug, Clone)]
struct RawTg {
    protocol: &'static str,
    port: u16,
    vpc: &'static str,
    target_type: &'static str,
    path: Option<&'static str>,
    interval: Option<u32>,
    matcher: Option<&'static str>,
    attributes: BTreeMap<&'static str, &'static str>,
    targets: BTreeSet<(u8, u16)>,
    additive: bool,
    team: Option<&'static str>,
}

const ATTRIBUTES: [(&str, [&str; 2]); 3] = [
    ("deregistration_delay.timeout_seconds", ["30", "300"]),
    ("stickiness.enabled", ["true", "false"]),
    ("slow_start.duration_seconds", ["0", "60"]),
];

fn raw_tg() -> impl Strategy<Value = RawTg> {
    (
        (
            select(vec!["HTTP", "HTTPS", "TCP"]),
            select(vec![80u16, 443, 8080]),
            select(vec!["vpc-1", "vpc-1", "vpc-1", "vpc-2"]),
            select(vec!["ip", "instance"]),
        ),
        (
            proptest::option::of(select(vec!["/", "/health"])),
            proptest::option::of(select(vec![10u32, 30])),
            proptest::option::of(select(vec!["200", "200-299"])),
        ),
        proptest::collection::btree_map(0..ATTRIBUTES.len(), 0..2usize, 0..3),
        proptest::collection::btree_set((0..4u8, select(vec![80u16, 8080])), 0..4),
        any::<bool>(),
        proptest::option::of(select(vec!["a", "b"])),
    )
        .prop_map(
            |(
                (protocol, port, vpc, target_type),
                (path, interval, matcher),
                attrs,
                targets,
                additive,
                team,
            )| RawTg {
                protocol,
                port,
                vpc,
                target_type,
                path,
                interval,
                matcher,
                attributes: attrs
                    .into_iter()
                    .map(|(k, v)| (ATTRIBUTES[k].0, ATTRIBUTES[k].1[v]))
                    .collect(),
                targets,
                additive,
                team,
            },
        )
}

/// A listener or rule action: indices into the model's target groups.
#[derive(Debug, Clone)]
enum RawAction {
    Forward(Vec<(usize, u32)>),
    Fixed(&'static str),
    Redirect,
}

fn raw_action() -> impl Strategy<Value = RawAction> {
    prop_oneof![
        4 => proptest::collection::vec((0..8usize, 1..=999u32), 1..3).prop_map(RawAction::Forward),
        1 => select(vec!["404", "503"]).prop_map(RawAction::Fixed),
        1 => Just(RawAction::Redirect),
    ]
}

#[derive(Debug, Clone)]
struct RawListener {
    udp: bool,
    action: RawAction,
    rules: BTreeMap<u32, (usize, RawAction)>,
}

fn raw_listener() -> impl Strategy<Value = RawListener> {
    (
        any::<bool>(),
        raw_action(),
        proptest::collection::btree_map(1..8u32, (0..4usize, raw_action()), 0..4),
    )
        .prop_map(|(udp, action, rules)| RawListener { udp, action, rules })
}

#[derive(Debug, Clone)]
struct RawLb {
    network: bool,
    internal: bool,
    subnets: BTreeSet<usize>,
    security_group: Option<usize>,
    idle_timeout: Option<&'static str>,
    listeners: BTreeMap<u16, RawListener>,
    team: Option<&'static str>,
}

fn raw_lb() -> impl Strategy<Value = RawLb> {
    (
        any::<bool>(),
        prop::bool::weighted(0.2),
        proptest::collection::btree_set(0..3usize, 1..3),
        proptest::option::of(0..2usize),
        proptest::option::of(select(vec!["60", "120"])),
        proptest::collection::btree_map(select(vec![80u16, 443, 8080]), raw_listener(), 0..3),
        proptest::option::of(select(vec!["a", "b"])),
    )
        .prop_map(
            |(network, internal, subnets, security_group, idle_timeout, listeners, team)| RawLb {
                network,
                internal,
                subnets,
                security_group,
                idle_timeout,
                listeners,
                team,
            },
        )
}

#[derive(Debug, Clone)]
pub(super) struct RawModel {
    tgs: BTreeMap<usize, RawTg>,
    lbs: BTreeMap<usize, RawLb>,
}

pub(super) fn raw_model() -> impl Strategy<Value = RawModel> {
    (
        proptest::collection::btree_map(0..6usize, raw_tg(), 0..5),
        proptest::collection::btree_map(0..3usize, raw_lb(), 0..3),
    )
        .prop_map(|(tgs, lbs)| RawModel { tgs, lbs })
}

fn tags(team: Option<&str>) -> Tags {
    let mut t = owned_tags();
    if let Some(team) = team {
        t.insert("team".into(), team.into());
    }
    t
}

fn target_group(name: &str, r: &RawTg) -> TargetGroup {
    TargetGroup {
        name: name.into(),
        protocol: Some(r.protocol.into()),
        port: Some(r.port),
        vpc_id: Some(r.vpc.into()),
        target_type: r.target_type.into(),
        protocol_version: None,
        ip_address_type: None,
        health_check: HealthCheck {
            path: r.path.map(str::to_string),
            interval: r.interval,
            matcher: r.matcher.map(|m| Matcher::HttpCode(m.into())),
            ..HealthCheck::default()
        },
        attributes: r
            .attributes
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        targets: Targets {
            mode: if r.additive {
                TargetsMode::Additive
            } else {
                TargetsMode::Exclusive
            },
            list: r
                .targets
                .iter()
                .map(|(i, port)| Target {
                    id: format!("10.0.0.{i}"),
                    port: Some(*port),
                    availability_zone: None,
                    quic_server_id: None,
                })
                .collect(),
        },
        tags: tags(r.team),
    }
}

/// The action with target group indices resolved to `names` (which must
/// exist); with no target group, or on a network load balancer without
/// one, a fixed response stands in.
fn action(raw: &RawAction, names: &[String]) -> Action {
    match raw {
        RawAction::Forward(list) if !names.is_empty() => {
            let mut seen = BTreeSet::new();
            let picked: Vec<(&str, u32)> = list
                .iter()
                .map(|(i, w)| (names[i % names.len()].as_str(), *w))
                .filter(|(n, _)| seen.insert(*n))
                .collect();
            if picked.len() == 1 {
                forward(&[(picked[0].0, 1)])
            } else {
                forward(&picked)
            }
        }
        RawAction::Redirect => Action::Redirect(Redirect {
            protocol: "HTTPS".into(),
            port: "443".into(),
            host: "#{host}".into(),
            path: "/#{path}".into(),
            query: "#{query}".into(),
            status: "HTTP_301".into(),
        }),
        RawAction::Fixed(status) => Action::FixedResponse(FixedResponse {
            status: status.to_string(),
            content_type: Some("text/plain".into()),
            body: None,
        }),
        RawAction::Forward(_) => Action::FixedResponse(FixedResponse {
            status: "503".into(),
            content_type: Some("text/plain".into()),
            body: None,
        }),
    }
}

const PATHS: [&str; 4] = ["/a", "/b", "/api/*", "/static/*"];

fn load_balancer(name: &str, r: &RawLb, names: &[String]) -> LoadBalancer {
    let lb_type = if r.network { "network" } else { "application" };
    let listeners = r
        .listeners
        .iter()
        .filter(|_| !r.network || !names.is_empty())
        .map(|(port, l)| {
            let (protocol, default_action, rules) = if r.network {
                // Network listeners forward only and have no rules.
                let fwd = RawAction::Forward(vec![(0, 1)]);
                let action = match &l.action {
                    RawAction::Forward(_) => action(&l.action, names),
                    _ => action(&fwd, names),
                };
                (if l.udp { "UDP" } else { "TCP" }, action, BTreeMap::new())
            } else {
                let rules = l
                    .rules
                    .iter()
                    .map(|(p, (path, a))| {
                        let rule = Rule {
                            priority: *p,
                            conditions: Conditions::new(vec![Condition::PathPattern(
                                Patterns::values(vec![PATHS[*path].into()]),
                            )]),
                            action: action(a, names),
                            transforms: Default::default(),
                            auth: Default::default(),
                        };
                        (*p, rule)
                    })
                    .collect();
                ("HTTP", action(&l.action, names), rules)
            };
            let listener = Listener {
                port: Some(*port),
                protocol: Some(protocol.into()),
                certificates: vec![],
                ssl_policy: None,
                alpn_policy: None,
                default_action,
                default_auth: Default::default(),
                rules,
                attributes: Default::default(),
            };
            (*port, listener)
        })
        .collect();
    LoadBalancer {
        name: name.into(),
        lb_type: lb_type.into(),
        scheme: if r.internal {
            "internal"
        } else {
            "internet-facing"
        }
        .into(),
        ip_address_type: None,
        ipam_pool: None,
        subnets: r.subnets.iter().map(|i| format!("subnet-{i}")).collect(),
        subnet_mappings: vec![],
        security_groups: r
            .security_group
            .map(|i| BTreeSet::from([format!("sg-{i}")])),
        attributes: r
            .idle_timeout
            .filter(|_| !r.network)
            .map(|t| ("idle_timeout.timeout_seconds".to_string(), t.to_string()))
            .into_iter()
            .collect(),
        listeners,
        tags: tags(r.team),
    }
}

pub(super) fn model(raw: &RawModel, prefix: &str) -> Model {
    let names: Vec<String> = raw.tgs.keys().map(|i| format!("{prefix}tg{i}")).collect();
    Model {
        target_groups: raw
            .tgs
            .iter()
            .map(|(i, t)| {
                let name = format!("{prefix}tg{i}");
                (name.clone(), target_group(&name, t))
            })
            .collect(),
        load_balancers: raw
            .lbs
            .iter()
            .map(|(i, l)| {
                let name = format!("{prefix}lb{i}");
                (name.clone(), load_balancer(&name, l, &names))
            })
            .collect(),
        dns: Dns::default(),
        unmanaged: Vec::new(),
    }
}

/// The live model AWS would report for `m` (every setting filled in).
pub(super) fn as_live(m: &Model) -> Model {
    Model {
        target_groups: m
            .target_groups
            .iter()
            .map(|(k, v)| (k.clone(), live_tg(v)))
            .collect(),
        load_balancers: m
            .load_balancers
            .iter()
            .map(|(k, v)| (k.clone(), live_lb(v)))
            .collect(),
        dns: m.dns.clone(),
        unmanaged: Vec::new(),
    }
}

/// Resources of nobody (or of another stack) in live, named unlike the
/// spec's: the plan must leave them exactly as they are.
fn add_foreign(live: &mut Model, raw: &RawModel, other_stack: bool) {
    let foreign = as_live(&model(raw, "foreign-"));
    for (name, mut tg) in foreign.target_groups {
        tg.tags.remove(STACK_TAG);
        if other_stack {
            tg.tags.insert(STACK_TAG.into(), "other".into());
        }
        live.target_groups.insert(name, tg);
    }
    for (name, mut lb) in foreign.load_balancers {
        lb.tags.remove(STACK_TAG);
        if other_stack {
            lb.tags.insert(STACK_TAG.into(), "other".into());
        }
        live.load_balancers.insert(name, lb);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn one_apply_converges_for_load_balancing(
        desired in raw_model(),
        previous in raw_model(),
        foreign in raw_model(),
        other_stack in any::<bool>(),
        adopt in any::<bool>(),
        unowned in any::<u8>(),
    ) {
        let desired = model(&desired, "");
        let mut live = as_live(&model(&previous, ""));
        // When adopting, some of the spec's resources are live but owned
        // by nobody: the plan takes them over.
        if adopt {
            for (i, tg) in live.target_groups.values_mut().enumerate() {
                if unowned & (1 << (i % 8)) != 0 && desired.target_groups.contains_key(&tg.name) {
                    tg.tags.remove(STACK_TAG);
                }
            }
            for (i, lb) in live.load_balancers.values_mut().enumerate() {
                let spec_names_it = desired.load_balancers.contains_key(&lb.name);
                if unowned & (0x80 >> (i % 8)) != 0 && spec_names_it {
                    lb.tags.remove(STACK_TAG);
                }
            }
        }
        add_foreign(&mut live, &foreign, other_stack);

        let plan = plan_with(&desired, &live, adopt);
        prop_assert!(plan.conflicts.is_empty(), "{:#?}", plan.conflicts);
        let end = simulate(&live, &desired, &plan);

        let again = plan_with(&desired, &end, false);
        prop_assert!(
            again.is_empty() && again.conflicts.is_empty(),
            "a second plan is not empty:\n{:#?}\nfirst plan:\n{:#?}",
            again.steps,
            plan.steps
        );
        for (name, tg) in live.target_groups.iter().filter(|(n, _)| n.starts_with("foreign-")) {
            prop_assert_eq!(end.target_groups.get(name), Some(tg));
        }
        for (name, lb) in live.load_balancers.iter().filter(|(n, _)| n.starts_with("foreign-")) {
            prop_assert_eq!(end.load_balancers.get(name), Some(lb));
        }
    }
}

// ---------------------------------------------------------------------------
// Route 53: generated zones, and a model of Route 53 to carry plans out.

const ZONE: &str = "example.com.";
const NAMES: [&str; 4] = ["api", "www", "app", "mail"];
const IPS: [&str; 4] = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"];

/// A managed health check as the spec gives it.
fn raw_check() -> impl Strategy<Value = ManagedHealthCheck> {
    (
        select(vec!["HTTP", "HTTPS", "TCP"]),
        proptest::option::of(select(vec!["/", "/health"])),
        proptest::option::of(select(vec![10u32, 30])),
        proptest::option::of(1..=5u32),
        proptest::option::of(select(vec![80u16, 443, 8443])),
    )
        .prop_map(
            |(check_type, path, interval, failure_threshold, port)| ManagedHealthCheck {
                id: None,
                check_type: check_type.into(),
                fqdn: Some("app.example.com".into()),
                ip_address: None,
                port,
                path: path.filter(|_| check_type != "TCP").map(str::to_string),
                interval,
                failure_threshold,
                ..Default::default()
            },
        )
}

fn values() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::btree_set(select(IPS.to_vec()), 1..3)
        .prop_map(|s| s.into_iter().map(str::to_string).collect())
}

fn record(routing: Routing, id: Option<String>, values: Vec<String>, ttl: u32) -> Record {
    Record {
        set_identifier: id,
        routing,
        ttl: Some(ttl),
        values,
        alias: None,
        health_check: None,
    }
}

/// One record set: simple (plain values or an alias), weighted or failover.
fn raw_set(name: &'static str) -> impl Strategy<Value = RecordSet> {
    let ttl = select(vec![60u32, 300]);
    prop_oneof![
        2 => (values(), ttl.clone()).prop_map(|(v, ttl)| RecordSet {
            members: vec![record(Routing::Simple, None, v, ttl)], ..Default::default() }),
        1 => (any::<bool>()).prop_map(|eval| RecordSet {
            members: vec![Record {
                ttl: None,
                alias: Some(Alias {
                    target: AliasTarget::Target {
                        dns_name: "web-1.us-east-1.elb.amazonaws.com.".into(),
                        hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
                    },
                    evaluate_target_health: eval,
                }),
                ..record(Routing::Simple, None, vec![], 0)
            }], ..Default::default() }),
        2 => (
            proptest::collection::btree_map(0..3usize, (0..=255u32, values()), 1..4),
            ttl.clone()
        )
            .prop_map(move |(members, ttl)| RecordSet {
                members: members
                    .into_iter()
                    .map(|(i, (weight, v))| {
                        record(
                            Routing::Weighted { weight },
                            Some(format!("{name}-w{i}")),
                            v,
                            ttl,
                        )
                    })
                    .collect(), ..Default::default() }),
        // Failover with a managed health check, weighted up: the case where
        // checks are created, updated in place and replaced.
        3 => (values(), values(), proptest::option::weighted(0.8, raw_check()), ttl).prop_map(
            move |(p, s, check, ttl)| {
                let mut primary = record(
                    Routing::Failover { role: "PRIMARY".into() },
                    Some(format!("{name}-primary")),
                    p,
                    ttl,
                );
                primary.health_check = check.map(HealthCheckRef::Managed);
                let secondary = record(
                    Routing::Failover { role: "SECONDARY".into() },
                    Some(format!("{name}-secondary")),
                    s,
                    ttl,
                );
                RecordSet { members: vec![primary, secondary], ..Default::default() }
            }
        ),
    ]
}

fn raw_zone() -> impl Strategy<Value = BTreeMap<usize, RecordSet>> {
    // Most names present on both sides, so that most sets differ rather
    // than only appear or disappear.
    proptest::collection::vec(proptest::option::weighted(0.7, Just(())), NAMES.len()).prop_flat_map(
        |mask| {
            let sets: Vec<_> = NAMES
                .iter()
                .zip(mask)
                .enumerate()
                .filter(|(_, (_, m))| m.is_some())
                .map(|(i, (name, _))| raw_set(name).prop_map(move |s| (i, s)))
                .collect();
            sets.prop_map(|v| v.into_iter().collect::<BTreeMap<_, _>>())
        },
    )
}

fn key(i: usize) -> RecordKey {
    RecordKey {
        name: format!("{}.{ZONE}", NAMES[i]),
        rtype: "A".into(),
    }
}

fn zone_model(sets: &BTreeMap<usize, RecordSet>) -> Model {
    let mut m = Model::default();
    m.dns.zones.insert(
        ZONE.into(),
        Zone {
            name: ZONE.into(),
            id: Some("Z1".into()),
            private: false,
            record_sets: sets.iter().map(|(i, s)| (key(*i), s.clone())).collect(),
        },
    );
    m
}

/// Route 53 as the simulation sees it: the zones and the managed health
/// checks by ID, as AWS reports them.
#[derive(Debug, Clone, Default)]
struct Route53 {
    dns: Dns,
    checks: BTreeMap<String, ManagedHealthCheck>,
    next_id: usize,
}

impl Route53 {
    /// A health check as AWS stores it: its defaults filled in.
    fn create_check(&mut self, want: &ManagedHealthCheck) -> String {
        self.next_id += 1;
        let id = format!("hc-{}", self.next_id);
        let secure = want.check_type == "HTTPS";
        let check = ManagedHealthCheck {
            id: Some(id.clone()),
            port: want.port.or(Some(if secure { 443 } else { 80 })),
            interval: want.interval.or(Some(30)),
            failure_threshold: want.failure_threshold.or(Some(3)),
            ..want.clone()
        };
        self.checks.insert(id.clone(), check);
        id
    }

    /// The model lbctl reads back: managed checks in their current state.
    fn read(&self) -> Model {
        let mut dns = self.dns.clone();
        for zone in dns.zones.values_mut() {
            for set in zone.record_sets.values_mut() {
                for m in &mut set.members {
                    if let Some(HealthCheckRef::Managed(c)) = &m.health_check {
                        let id = c.id.clone().expect("live checks have IDs");
                        m.health_check = Some(HealthCheckRef::Managed(
                            self.checks.get(&id).expect("check exists").clone(),
                        ));
                    }
                }
            }
        }
        // The reader lists the stack's health checks when a zone is tagged.
        if !dns.tagged.is_empty() {
            dns.health_checks = self.checks.clone();
        }
        Model {
            dns,
            ..Model::default()
        }
    }

    fn used(&self, id: &str) -> bool {
        self.dns
            .zones
            .values()
            .flat_map(|z| z.record_sets.values())
            .flat_map(|s| &s.members)
            .filter_map(|m| match &m.health_check {
                Some(HealthCheckRef::Managed(c)) => c.id.as_deref(),
                _ => None,
            })
            .any(|used| used == id)
    }
}

/// The live state after lbctl applied `sets` for `stack` earlier: managed
/// checks created, ownership records written.
fn applied(sets: &BTreeMap<usize, RecordSet>, stack: &str, r53: &mut Route53) {
    let mut m = zone_model(sets);
    let zone = m.dns.zones.get_mut(ZONE).unwrap();
    let keys: Vec<RecordKey> = zone.record_sets.keys().cloned().collect();
    for set in zone.record_sets.values_mut() {
        for member in &mut set.members {
            if let Some(HealthCheckRef::Managed(c)) = &member.health_check {
                let id = r53.create_check(c);
                member.health_check = Some(HealthCheckRef::Managed(r53.checks[&id].clone()));
            }
        }
    }
    for k in keys {
        zone.record_sets.insert(
            owner_key(&k),
            RecordSet {
                members: vec![owner_record(stack)],
                ..Default::default()
            },
        );
    }
    let live = r53.dns.zones.entry(ZONE.into()).or_insert_with(|| Zone {
        name: ZONE.into(),
        id: Some("Z1".into()),
        private: false,
        record_sets: BTreeMap::new(),
    });
    live.record_sets.extend(zone.record_sets.clone());
    if !sets.is_empty() {
        // Applied by an lbctl that tags the zones it owns records in.
        r53.dns.tagged.insert(ZONE.into());
    }
}

/// Carry out the Route 53 steps of `plan` the way Route 53 would, asserting
/// that a record never uses a health check that does not exist yet, that a
/// health check is never deleted while a record uses it, that a DELETE
/// names a live record exactly and that a CREATE never finds its record
/// already there.
fn simulate_dns(r53: &mut Route53, plan: &Plan) {
    let mut created: BTreeMap<(String, RecordKey, Option<String>), String> = BTreeMap::new();
    for step in &plan.steps {
        match &step.op {
            Op::CreateHealthCheck {
                zone,
                key,
                set_identifier,
                child: _,
                check,
            } => {
                let id = r53.create_check(check);
                created.insert((zone.clone(), key.clone(), set_identifier.clone()), id);
            }
            Op::UpdateHealthCheck { id, check } => {
                let c = r53.checks.get_mut(id).expect("updated check exists");
                assert_eq!(c.check_type, check.check_type, "type changed in place");
                for (have, want) in [
                    (&mut c.fqdn, &check.fqdn),
                    (&mut c.path, &check.path),
                    (&mut c.ip_address, &check.ip_address),
                ] {
                    if want.is_some() {
                        have.clone_from(want);
                    }
                }
                if check.port.is_some() {
                    c.port = check.port;
                }
                if check.failure_threshold.is_some() {
                    c.failure_threshold = check.failure_threshold;
                }
            }
            Op::DeleteHealthCheck { id } => {
                assert!(!r53.used(id), "health check `{id}` deleted while in use");
                assert!(r53.checks.remove(id).is_some(), "`{id}` deleted twice");
            }
            Op::RecordSet {
                zone,
                key,
                delete,
                create,
            } => {
                let z = r53.dns.zones.get_mut(zone).expect("zone exists");
                let set = z.record_sets.entry(key.clone()).or_default();
                for d in delete {
                    let at = set
                        .members
                        .iter()
                        .position(|m| m == d)
                        .unwrap_or_else(|| panic!("DELETE of {key} {d:?}: not found"));
                    set.members.remove(at);
                }
                for c in create {
                    let mut c = c.clone();
                    if let Some(HealthCheckRef::Managed(m)) = &c.health_check {
                        let id = match &m.id {
                            Some(id) => id.clone(),
                            None => created
                                .get(&(zone.clone(), key.clone(), c.set_identifier.clone()))
                                .unwrap_or_else(|| {
                                    panic!("{key}: its health check was not created first")
                                })
                                .clone(),
                        };
                        let live = r53.checks.get(&id).expect("check exists").clone();
                        c.health_check = Some(HealthCheckRef::Managed(live));
                    }
                    assert!(
                        !set.members
                            .iter()
                            .any(|m| m.set_identifier == c.set_identifier),
                        "CREATE of {key} {:?}: it already exists",
                        c.set_identifier
                    );
                    set.members.push(c);
                }
                set.members
                    .sort_by(|a, b| a.set_identifier.cmp(&b.set_identifier));
                if set.members.is_empty() {
                    z.record_sets.remove(key);
                }
            }
            Op::TagZone { zone, tag, .. } => {
                assert!(r53.dns.zones.contains_key(zone), "tag of a zone not read");
                if *tag {
                    r53.dns.tagged.insert(zone.clone());
                } else {
                    r53.dns.tagged.remove(zone);
                }
            }
            _ => {}
        }
    }
}

fn plan_dns(desired: &Model, live: &Model, adopt: bool) -> Plan {
    diff(&Input {
        stack: STACK,
        desired,
        live,
        in_use: &in_use(live),
        target_group_names: &BTreeMap::new(),
        load_balancer_dns: &BTreeMap::new(),
        adopt,
        ttl_warning: super::TTL_WARNING,
        instance_addresses: &Default::default(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn one_apply_converges_for_route53(
        desired in raw_zone(),
        previous in raw_zone(),
        foreign in proptest::option::of((0..NAMES.len(), raw_set("x"), any::<bool>())),
        adopt in any::<bool>(),
    ) {
        let mut r53 = Route53::default();
        applied(&previous, STACK, &mut r53);
        // A record set of nobody or of another stack. Unless adopting, at a
        // name the spec does not list (else it is a conflict, tested
        // elsewhere); when adopting, the plan takes it over.
        let mut foreign_key = None;
        if let Some((i, mut set, other_stack)) = foreign {
            // Not the stack's: its health check is read as a bare ID.
            for m in &mut set.members {
                if m.health_check.is_some() {
                    m.health_check = Some(HealthCheckRef::Id("hc-foreign".into()));
                }
            }
            if adopt || !desired.contains_key(&i) {
                let k = key(i);
                let z = r53.dns.zones.get_mut(ZONE).unwrap();
                z.record_sets.remove(&owner_key(&k));
                // Health checks of the previous record set stay orphaned
                // when a foreign one replaces it: drop them with it.
                if let Some(old) = z.record_sets.insert(k.clone(), set.clone()) {
                    for m in old.members {
                        if let Some(HealthCheckRef::Managed(c)) = m.health_check {
                            r53.checks.remove(c.id.as_deref().unwrap());
                        }
                    }
                }
                if other_stack {
                    let owner = RecordSet { members: vec![owner_record("other")], ..Default::default() };
                    z.record_sets.insert(owner_key(&k), owner);
                }
                foreign_key = Some(k);
            }
        }
        let desired = zone_model(&desired);
        let live = r53.read();

        let plan = plan_dns(&desired, &live, adopt);
        prop_assert!(plan.conflicts.is_empty(), "{:#?}", plan.conflicts);
        simulate_dns(&mut r53, &plan);
        let end = r53.read();

        let again = plan_dns(&desired, &end, false);
        prop_assert!(
            again.is_empty() && again.conflicts.is_empty(),
            "a second plan is not empty:\n{:#?}\nfirst plan:\n{:#?}",
            again.steps,
            plan.steps
        );
        // Untouched unless named by the spec (and adopted).
        let named = |k: &RecordKey| desired.dns.zones[ZONE].record_sets.contains_key(k);
        if let Some(k) = foreign_key.filter(|k| !named(k)) {
            let sets = |m: &Model| m.dns.zones[ZONE].record_sets[&k].clone();
            prop_assert_eq!(sets(&end), sets(&live));
        }
        // No managed health check is left behind without a record.
        for id in r53.checks.keys() {
            prop_assert!(r53.used(id), "health check `{}` leaked", id);
        }
    }
}
