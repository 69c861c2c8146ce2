//! "Any valid spec, applied to any live state, converges in one apply",
//! end to end: the real binary against moto, on generated specs.
//!
//! Each case resets and seeds moto, applies a generated spec A (the live
//! state), then a generated spec B of the same stack, and asserts that a
//! plan of B is empty. A and B are drawn from one seeded generator, so
//! resources appear, disappear, change in place and get replaced. Every
//! spec first passes `lbctl validate`. Cases: `LBCTL_CONVERGE_CASES`
//! (default 6); one case again: `LBCTL_CONVERGE_SEED=0x...`. A failing case
//! prints its seed and both specs.
//!
//! Where moto is not AWS the generator stays inside what both do alike; see
//! the comments at those choices.

use crate::support;

use std::fmt::Write as _;

use support::{assert_converged, write_spec, Moto};

/// splitmix64: small and seeded, so a case is its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// What the generator needs from the seeded account.
struct Seeded {
    instances: Vec<String>,
    certificate: String,
}

impl Seeded {
    fn from(seed: &serde_json::Value) -> Seeded {
        let mut instances: Vec<String> = seed["instances"]
            .as_object()
            .expect("seed JSON has instances")
            .values()
            .flat_map(|ids| ids.as_array().cloned().unwrap_or_default())
            .filter_map(|id| id.as_str().map(str::to_string))
            .collect();
        instances.sort();
        let certificate = seed["certificates"]
            .as_object()
            .and_then(|c| c.get("lbctl-demo"))
            .and_then(|a| a.as_str())
            .expect("seed JSON has the lbctl-demo certificate")
            .to_string();
        Seeded {
            instances,
            certificate,
        }
    }
}

/// One generated load balancer and the target groups only it uses (a
/// target group serves one load balancer, as on AWS).
struct Lb {
    name: String,
    network: bool,
    internal: bool,
    /// Names and protocols.
    target_groups: Vec<(String, &'static str)>,
}

impl Lb {
    fn names(&self) -> Vec<&str> {
        self.target_groups.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// Type and scheme of a load balancer: what it is replaced for.
type Shape = (bool, bool);

/// A spec of stack `cv`: 1-2 load balancers, 1-4 target groups, and
/// sometimes records in the seeded zone. Returns the spec and, when it has
/// the `www` alias, the shape of the load balancer the alias names.
///
/// `alias_to`: the shape that load balancer had in the spec applied
/// before, if that spec had the alias. When the load balancer is replaced
/// (same name, other shape), moto gives the new one the same DNS name, so
/// the alias record is deleted and created again unchanged in one batch,
/// which moto refuses: it checks a CREATE against earlier identical
/// changes, not against live records as AWS does (AWS accepts it, and its
/// new load balancer has a new DNS name anyway). So then the alias is left
/// out, and removed instead.
fn spec(rng: &mut Rng, seeded: &Seeded, alias_to: Option<Shape>) -> (String, Option<Shape>) {
    let mut lbs = Vec::new();
    let lb_count = rng.range(1, 2);
    let mut tg_left = 4;
    for i in 0..lb_count {
        let network = rng.chance(35);
        let max = if i + 1 == lb_count { tg_left } else { 2 };
        let n = rng.range(1, max.min(2));
        tg_left -= n;
        // Names from a small pool, so that A and B share some.
        let mut target_groups: Vec<String> = Vec::new();
        while (target_groups.len() as u64) < n {
            let name = format!("cv-lb{i}-tg{}", rng.range(0, 2));
            if !target_groups.contains(&name) {
                target_groups.push(name);
            }
        }
        target_groups.sort();
        let target_groups = target_groups
            .into_iter()
            .map(|name| {
                // No TLS: lbctl sends a listener's protocol with every
                // ModifyListener, and moto's refuses TLS (it takes only
                // HTTP, HTTPS and TCP there; AWS takes every protocol), so
                // any change to a TLS listener fails on moto alone.
                let protocol = match (network, rng.chance(25)) {
                    (true, _) => "TCP",
                    (false, false) => "HTTP",
                    (false, true) => "HTTPS",
                };
                (name, protocol)
            })
            .collect();
        lbs.push(Lb {
            name: format!("cv-lb{i}"),
            network,
            internal: rng.chance(30),
            target_groups,
        });
    }

    let mut out = String::from("version: 1\nstack: cv\nregion: us-east-1\n\ntarget_groups:\n");
    for lb in &lbs {
        for (tg, protocol) in &lb.target_groups {
            target_group(&mut out, rng, seeded, tg, protocol);
        }
    }
    out.push_str("\nload_balancers:\n");
    for lb in &lbs {
        load_balancer(&mut out, rng, seeded, lb);
    }
    let shape = (lbs[0].network, lbs[0].internal);
    let alias_ok = alias_to.is_none_or(|before| before == shape);
    let mut alias = false;
    if rng.chance(60) {
        alias = dns(&mut out, rng, &lbs, alias_ok);
    }
    (out, alias.then_some(shape))
}

fn target_group(out: &mut String, rng: &mut Rng, seeded: &Seeded, name: &str, protocol: &str) {
    let network = protocol == "TCP";
    let instance = rng.chance(40);
    let port = *rng.pick(&[&80u16, &8080, &443]);
    let _ = writeln!(out, "  {name}:");
    let _ = writeln!(
        out,
        "    protocol: {protocol}\n    port: {port}\n    vpc: {{ tags: {{ Name: lbctl-demo }} }}\n    target_type: {}",
        if instance { "instance" } else { "ip" }
    );
    out.push_str("    health_check:\n");
    if network {
        let _ = writeln!(
            out,
            "      protocol: TCP\n      port: traffic-port\n      interval: {}\n      healthy_threshold: {}",
            rng.pick(&[&10u32, &30]),
            rng.range(2, 5)
        );
    } else {
        let interval = *rng.pick(&[&10u32, &15, &30]);
        let _ = writeln!(
            out,
            "      path: {}\n      interval: {interval}\n      timeout: {}\n      healthy_threshold: {}\n      unhealthy_threshold: {}\n      matcher: \"{}\"",
            rng.pick(&["/", "/health", "/ready"]),
            rng.range(2, 5),
            rng.range(2, 5),
            rng.range(2, 5),
            rng.pick(&["200", "200-299", "200,204"])
        );
    }
    out.push_str("    attributes:\n");
    let _ = writeln!(out, "      deregistration_delay: {}", rng.range(0, 300));
    if network {
        let _ = writeln!(out, "      proxy_protocol_v2: {}", rng.chance(50));
        let _ = writeln!(
            out,
            "      stickiness: {{ enabled: {}, type: source_ip }}",
            rng.chance(50)
        );
    } else {
        let _ = writeln!(
            out,
            "      slow_start: {}\n      algorithm: {}\n      stickiness: {{ enabled: {}, type: lb_cookie, duration: {} }}",
            rng.pick(&["0", "30", "120"]),
            rng.pick(&["round_robin", "least_outstanding_requests"]),
            rng.chance(50),
            rng.pick(&["1h", "1d", "600s"])
        );
    }
    out.push_str("    targets:\n      list:\n");
    let mut listed = Vec::new();
    for _ in 0..rng.range(0, 3) {
        let id = if instance {
            let i = rng.range(0, seeded.instances.len() as u64 - 1) as usize;
            seeded.instances[i].clone()
        } else {
            format!("10.0.{}.{}", rng.pick(&["11", "12"]), rng.range(10, 20))
        };
        if !listed.contains(&id) {
            let _ = writeln!(out, "        - {{ id: {id}, port: {port} }}");
            listed.push(id);
        }
    }
    if listed.is_empty() {
        out.truncate(out.len() - "      list:\n".len());
        out.push_str("      list: []\n");
    }
    let _ = writeln!(out, "    tags: {{ team: {} }}", rng.pick(&["web", "edge"]));
}

fn load_balancer(out: &mut String, rng: &mut Rng, seeded: &Seeded, lb: &Lb) {
    let _ = writeln!(out, "  {}:", lb.name);
    let _ = writeln!(
        out,
        "    type: {}\n    scheme: {}\n    subnets: [ {{ tags: {{ tier: public }} }} ]",
        if lb.network { "network" } else { "application" },
        if lb.internal {
            "internal"
        } else {
            "internet-facing"
        }
    );
    if lb.network {
        let _ = writeln!(out, "    attributes:\n      cross_zone: {}", rng.chance(50));
    } else {
        let _ = writeln!(
            out,
            "    security_groups: [ {{ tags: {{ Name: web-lb }} }} ]\n    attributes:\n      idle_timeout: {}\n      http2: {}",
            rng.pick(&["60", "120", "300"]),
            rng.chance(50)
        );
    }
    out.push_str("    listeners:\n");
    let ports: &[&u16] = &[&80, &8080, &443];
    let mut used = Vec::new();
    for _ in 0..rng.range(1, 2) {
        let port = *rng.pick(ports);
        if used.contains(&port) {
            continue;
        }
        used.push(port);
        if lb.network {
            // Network listeners forward to one target group.
            let _ = writeln!(
                out,
                "      - port: {port}\n        protocol: TCP\n        default_action: {{ forward: {} }}",
                rng.pick(&lb.names())
            );
            continue;
        }
        let _ = writeln!(out, "      - port: {port}");
        if port == 443 {
            let _ = writeln!(
                out,
                "        protocol: HTTPS\n        certificates: [ {} ]\n        ssl_policy: ELBSecurityPolicy-TLS13-1-2-2021-06",
                seeded.certificate
            );
        } else {
            out.push_str("        protocol: HTTP\n");
        }
        let _ = writeln!(out, "        default_action: {}", action(rng, lb, true));
        let rules = rng.range(0, 3);
        if rules == 0 {
            continue;
        }
        out.push_str("        rules:\n");
        let mut priorities = Vec::new();
        let mut paths = Vec::new();
        while (priorities.len() as u64) < rules {
            let p = rng.range(1, 30);
            let path = rng.pick(&["/a", "/b", "/api/*", "/static/*", "/admin"]);
            if priorities.contains(&p) || paths.contains(&path) {
                continue;
            }
            priorities.push(p);
            paths.push(path);
            let host = if rng.chance(30) {
                ", host_header: [api.example.com]"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "          - priority: {p}\n            conditions: {{ path_pattern: [\"{path}\"]{host} }}\n            action: {}",
                action(rng, lb, false)
            );
        }
    }
    let _ = writeln!(out, "    tags: {{ app: {} }}", rng.pick(&["shop", "cv"]));
}

/// An application load balancer action: a forward (weighted across the
/// load balancer's target groups, sometimes sticky), a fixed response or,
/// for a default action, a redirect.
fn action(rng: &mut Rng, lb: &Lb, default: bool) -> String {
    let roll = rng.range(0, 9);
    if roll < 6 {
        let all = lb.names();
        let mut picked: Vec<&str> = all.iter().copied().filter(|_| rng.chance(70)).collect();
        if picked.is_empty() {
            picked.push(all[0]);
        }
        if picked.len() == 1 && rng.chance(50) {
            return format!("{{ forward: {} }}", picked[0]);
        }
        let groups: Vec<String> = picked
            .iter()
            .map(|t| format!("{{ name: {t}, weight: {} }}", rng.range(1, 999)))
            .collect();
        let sticky = if rng.chance(30) {
            ", stickiness: 1h"
        } else {
            ""
        };
        format!(
            "{{ forward: {{ target_groups: [ {} ]{sticky} }} }}",
            groups.join(", ")
        )
    } else if roll < 8 || !default {
        format!(
            "{{ fixed_response: {{ status: {}, content_type: text/plain, body: \"{}\" }} }}",
            rng.pick(&["503", "404", "200"]),
            rng.pick(&["down", "nothing here"])
        )
    } else {
        "{ redirect: { protocol: HTTPS, port: \"443\", status: 301 } }".to_string()
    }
}

/// Records in the seeded zone. Each name keeps one routing policy in every
/// spec, and set identifiers are unique across the zone: moto (not AWS)
/// deletes a set identifier under every name of the zone, and a DELETE
/// without one wipes the weighted members at that name.
/// Returns whether the `www` alias is there; `alias_ok`: whether it may be.
fn dns(out: &mut String, rng: &mut Rng, lbs: &[Lb], alias_ok: bool) -> bool {
    out.push_str("\ndns:\n  - zone: example.com\n    records:\n");
    let mut any = false;
    let alias = rng.chance(60) && alias_ok;
    if alias {
        any = true;
        let _ = writeln!(
            out,
            "      - name: www\n        type: A\n        alias: {{ load_balancer: {}, evaluate_target_health: {} }}",
            lbs[0].name,
            rng.chance(50)
        );
    }
    if rng.chance(60) {
        any = true;
        let _ = writeln!(
            out,
            "      - name: api\n        type: A\n        ttl: {}\n        weighted:",
            rng.pick(&["60", "300"])
        );
        for id in ["api-a", "api-b", "api-c"] {
            if id == "api-a" || rng.chance(50) {
                let _ = writeln!(
                    out,
                    "          - {{ id: {id}, weight: {}, values: [203.0.113.{}] }}",
                    rng.range(0, 255),
                    rng.range(1, 9)
                );
            }
        }
    }
    if rng.chance(50) {
        any = true;
        let check = if rng.chance(60) {
            format!(
                ", health_check: {{ type: HTTPS, fqdn: app-primary.example.com, path: {}, interval: {}, failure_threshold: {} }}",
                rng.pick(&["/health", "/ready"]),
                rng.pick(&["10", "30"]),
                rng.range(1, 5)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "      - name: app\n        type: A\n        ttl: 60\n        failover:\n          primary: {{ values: [203.0.113.{}]{check} }}\n          secondary: {{ values: [203.0.113.{}] }}",
            rng.range(10, 19),
            rng.range(20, 29)
        );
    }
    if !any || rng.chance(50) {
        let values: Vec<String> = (0..rng.range(1, 3))
            .map(|i| format!("192.0.2.{}", i * 10 + rng.range(1, 9)))
            .collect();
        let _ = writeln!(
            out,
            "      - name: plain\n        type: A\n        ttl: {}\n        values: [{}]",
            rng.pick(&["60", "300"]),
            values.join(", ")
        );
    }
    alias
}

fn validate(moto: &Moto, seed: u64, which: &str, path: &std::path::Path, text: &str) {
    let out = moto
        .lbctl()
        .args(["validate", "-f"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "seed {seed:#x}: generated spec {which} is invalid:\n{}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn apply(moto: &Moto, seed: u64, which: &str, path: &std::path::Path, text: &str) {
    let out = moto
        .lbctl()
        // --force: B may delete most of A, which the safety checks (rightly)
        // refuse without it.
        .args(["apply", "--auto-approve", "--force", "-f"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "seed {seed:#x}: apply of spec {which} failed:\n{}\n{}\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The seeds to run: `LBCTL_CONVERGE_SEED` alone, else the first
/// `LBCTL_CONVERGE_CASES` of a fixed list.
fn seeds() -> Vec<u64> {
    if let Ok(seed) = std::env::var("LBCTL_CONVERGE_SEED") {
        let seed = seed.trim_start_matches("0x");
        return vec![u64::from_str_radix(seed, 16).expect("LBCTL_CONVERGE_SEED is hex")];
    }
    let cases: u64 = std::env::var("LBCTL_CONVERGE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(6);
    (0..cases).map(|i| 0xc0_0000 + i).collect()
}

#[test]
fn a_generated_spec_applied_over_another_converges_in_one_apply() {
    let moto = Moto::start();
    let seeds = seeds();
    for (n, &seed) in seeds.iter().enumerate() {
        moto.reset();
        let seeded = Seeded::from(&moto.seed());
        let mut rng = Rng(seed);
        let (a, alias) = spec(&mut rng, &seeded, None);
        let (b, _) = spec(&mut rng, &seeded, alias);
        let (file_a, file_b) = (write_spec(&a), write_spec(&b));
        eprintln!(
            "case {}/{}: seed {seed:#x} (LBCTL_CONVERGE_SEED={seed:#x} runs it alone)",
            n + 1,
            seeds.len()
        );
        validate(&moto, seed, "A", &file_a.path, &a);
        validate(&moto, seed, "B", &file_b.path, &b);
        apply(&moto, seed, "A", &file_a.path, &a);
        assert_converged(&moto, &file_a.path);
        eprintln!("seed {seed:#x}: spec A:\n{a}");
        apply(&moto, seed, "B", &file_b.path, &b);
        eprintln!("seed {seed:#x}: spec B:\n{b}");
        assert_converged(&moto, &file_b.path);
    }
    eprintln!("{} case(s) converged", seeds.len());
}
