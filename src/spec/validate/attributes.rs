//! The ELBv2 attribute keys AWS accepts, one table per resource kind: for
//! each key, the load balancer types or target group kinds that take it,
//! the shape of its value, and the typed spec key that sets it, if any.
//!
//! Written from the AWS API reference, which lists every key with its
//! values and the types that accept it:
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html>
//! and
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html>
//! (the same text as botocore's `elbv2` model, 2015-12-01). Only data and
//! look-ups here; `extra` turns them into diagnostics, and export uses
//! [`tg_accepts`] / [`lb_accepts`] to write only keys a spec may carry.

/// What values an attribute takes (AWS sends and takes every value as a
/// string).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `true` or `false`, in lower case.
    Bool,
    /// An integer within `lo..=hi`.
    Int(i64, i64),
    /// `off` or an integer of at least `lo` (and at most `hi`, if given).
    OffOr(i64, Option<i64>),
    /// One of the words.
    Enum(&'static [&'static str]),
    /// Any string (bucket names, prefixes).
    Text,
}

/// The target groups a target group attribute applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TgScope {
    /// Every target group.
    All,
    /// Every target group but lambda ones.
    NotLambda,
    /// Target groups of application and network load balancers (not GENEVE).
    AlbNlb,
    /// HTTP/HTTPS target groups of instances or IPs.
    AlbTargets,
    /// [`TgScope::AlbTargets`] with `protocol_version: HTTP2`.
    Http2,
    /// [`TgScope::AlbTargets`] with `protocol_version` HTTP2 or GRPC.
    Http2OrGrpc,
    /// Lambda target groups.
    Lambda,
    /// TCP, TLS, UDP, TCP_UDP, QUIC and TCP_QUIC target groups.
    Nlb,
    /// GENEVE target groups.
    Gwlb,
}

/// One target group attribute key.
#[derive(Debug)]
pub struct TgAttr {
    pub key: &'static str,
    pub scope: TgScope,
    pub shape: Shape,
    /// The spec key under `attributes` that sets this key, if there is one.
    pub typed: Option<&'static str>,
}

/// One load balancer attribute key.
#[derive(Debug)]
pub struct LbAttr {
    pub key: &'static str,
    /// The load balancer types that take it.
    pub types: &'static [&'static str],
    pub shape: Shape,
    /// The spec key under `attributes` that sets this key, if there is one.
    pub typed: Option<&'static str>,
}

const B: Shape = Shape::Bool;
const T: Shape = Shape::Text;

const fn tg(
    key: &'static str,
    scope: TgScope,
    shape: Shape,
    typed: Option<&'static str>,
) -> TgAttr {
    TgAttr {
        key,
        scope,
        shape,
        typed,
    }
}

const fn lb(
    key: &'static str,
    types: &'static [&'static str],
    shape: Shape,
    typed: Option<&'static str>,
) -> LbAttr {
    LbAttr {
        key,
        types,
        shape,
        typed,
    }
}

const NO_REBALANCE: Shape = Shape::Enum(&["rebalance", "no_rebalance"]);

/// Every target group attribute of the API reference.
pub const TARGET_GROUP: &[TgAttr] = {
    use TgScope::*;
    &[
        tg(
            "deregistration_delay.timeout_seconds",
            NotLambda,
            Shape::Int(0, 3600),
            Some("deregistration_delay"),
        ),
        tg("stickiness.enabled", All, B, Some("stickiness.enabled")),
        tg("stickiness.type", All, T, Some("stickiness.type")),
        tg(
            "load_balancing.cross_zone.enabled",
            AlbNlb,
            Shape::Enum(&["true", "false", "use_load_balancer_configuration"]),
            Some("cross_zone"),
        ),
        tg(
            "target_group_health.dns_failover.minimum_healthy_targets.count",
            AlbNlb,
            Shape::OffOr(1, None),
            Some("health_thresholds.dns_failover.count"),
        ),
        tg(
            "target_group_health.dns_failover.minimum_healthy_targets.percentage",
            AlbNlb,
            Shape::OffOr(1, Some(100)),
            Some("health_thresholds.dns_failover.percent"),
        ),
        tg(
            "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
            AlbNlb,
            Shape::Int(1, i64::MAX),
            Some("health_thresholds.unhealthy_routing.count"),
        ),
        tg(
            "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
            AlbNlb,
            Shape::OffOr(1, Some(100)),
            Some("health_thresholds.unhealthy_routing.percent"),
        ),
        tg(
            "load_balancing.algorithm.type",
            AlbTargets,
            Shape::Enum(&[
                "round_robin",
                "least_outstanding_requests",
                "weighted_random",
            ]),
            Some("algorithm"),
        ),
        tg(
            "load_balancing.algorithm.anomaly_mitigation",
            AlbTargets,
            Shape::Enum(&["on", "off"]),
            Some("anomaly_mitigation"),
        ),
        tg(
            "slow_start.duration_seconds",
            AlbTargets,
            Shape::Int(0, 900),
            Some("slow_start"),
        ),
        tg(
            "stickiness.app_cookie.cookie_name",
            AlbTargets,
            T,
            Some("stickiness.cookie_name"),
        ),
        tg(
            "stickiness.app_cookie.duration_seconds",
            AlbTargets,
            Shape::Int(1, 604_800),
            Some("stickiness.duration"),
        ),
        tg(
            "stickiness.lb_cookie.duration_seconds",
            AlbTargets,
            Shape::Int(1, 604_800),
            Some("stickiness.duration"),
        ),
        tg(
            "waf.http2.traffic_inspection_behavior",
            Http2,
            Shape::Enum(&["inspect_immediately", "inspect_after_sufficient_data"]),
            None,
        ),
        tg(
            "routing.http2.rst_stream_error_forwarding.enabled",
            Http2OrGrpc,
            B,
            None,
        ),
        tg(
            "lambda.multi_value_headers.enabled",
            Lambda,
            B,
            Some("lambda_multi_value_headers"),
        ),
        tg(
            "deregistration_delay.connection_termination.enabled",
            Nlb,
            B,
            Some("connection_termination"),
        ),
        tg(
            "preserve_client_ip.enabled",
            Nlb,
            B,
            Some("preserve_client_ip"),
        ),
        tg(
            "proxy_protocol_v2.enabled",
            Nlb,
            B,
            Some("proxy_protocol_v2"),
        ),
        tg(
            "target_health_state.unhealthy.connection_termination.enabled",
            Nlb,
            B,
            Some("unhealthy_draining.connection_termination"),
        ),
        tg(
            "target_health_state.unhealthy.draining_interval_seconds",
            Nlb,
            Shape::Int(0, 360_000),
            Some("unhealthy_draining.interval"),
        ),
        tg(
            "target_failover.on_deregistration",
            Gwlb,
            NO_REBALANCE,
            Some("target_failover.on_deregistration"),
        ),
        tg(
            "target_failover.on_unhealthy",
            Gwlb,
            NO_REBALANCE,
            Some("target_failover.on_unhealthy"),
        ),
        tg("send_tcp_reset.on_unhealthy.enabled", Gwlb, B, None),
        tg("send_tcp_reset.on_deregistration.enabled", Gwlb, B, None),
    ]
};

const ALL: &[&str] = &["application", "network", "gateway"];
const ALB_NLB: &[&str] = &["application", "network"];
const ALB: &[&str] = &["application"];
const NLB: &[&str] = &["network"];

/// Every load balancer attribute of the API reference.
pub const LOAD_BALANCER: &[LbAttr] = &[
    lb(
        "deletion_protection.enabled",
        ALL,
        B,
        Some("deletion_protection"),
    ),
    lb(
        "load_balancing.cross_zone.enabled",
        &["network", "gateway"],
        B,
        Some("cross_zone"),
    ),
    lb("access_logs.s3.enabled", ALB_NLB, B, Some("access_logs")),
    lb("access_logs.s3.bucket", ALB_NLB, T, Some("access_logs")),
    lb("access_logs.s3.prefix", ALB_NLB, T, Some("access_logs")),
    lb(
        "ipv6.deny_all_igw_traffic",
        ALB_NLB,
        B,
        Some("deny_all_igw_traffic"),
    ),
    lb(
        "zonal_shift.config.enabled",
        ALB_NLB,
        B,
        Some("zonal_shift"),
    ),
    lb(
        "idle_timeout.timeout_seconds",
        ALB,
        Shape::Int(1, 4000),
        Some("idle_timeout"),
    ),
    lb(
        "client_keep_alive.seconds",
        ALB,
        Shape::Int(60, 604_800),
        Some("client_keep_alive"),
    ),
    lb(
        "connection_logs.s3.enabled",
        ALB,
        B,
        Some("connection_logs"),
    ),
    lb("connection_logs.s3.bucket", ALB, T, Some("connection_logs")),
    lb("connection_logs.s3.prefix", ALB, T, Some("connection_logs")),
    lb(
        "health_check_logs.s3.enabled",
        ALB,
        B,
        Some("health_check_logs"),
    ),
    lb(
        "health_check_logs.s3.bucket",
        ALB,
        T,
        Some("health_check_logs"),
    ),
    lb(
        "health_check_logs.s3.prefix",
        ALB,
        T,
        Some("health_check_logs"),
    ),
    lb(
        "routing.http.desync_mitigation_mode",
        ALB,
        Shape::Enum(&["monitor", "defensive", "strictest"]),
        Some("desync_mitigation"),
    ),
    lb(
        "routing.http.drop_invalid_header_fields.enabled",
        ALB,
        B,
        Some("drop_invalid_header_fields"),
    ),
    lb(
        "routing.http.preserve_host_header.enabled",
        ALB,
        B,
        Some("preserve_host_header"),
    ),
    lb(
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
        ALB,
        B,
        Some("tls_version_and_cipher_headers"),
    ),
    lb("routing.http.x_amzn_tls_kx.enabled", ALB, B, None),
    lb(
        "routing.http.xff_client_port.enabled",
        ALB,
        B,
        Some("xff_client_port"),
    ),
    lb(
        "routing.http.xff_header_processing.mode",
        ALB,
        Shape::Enum(&["append", "preserve", "remove"]),
        Some("xff_header_processing"),
    ),
    lb("routing.http2.enabled", ALB, B, Some("http2")),
    lb("waf.fail_open.enabled", ALB, B, Some("waf_fail_open")),
    lb(
        "dns_record.client_routing_policy",
        NLB,
        Shape::Enum(&[
            "availability_zone_affinity",
            "partial_availability_zone_affinity",
            "any_availability_zone",
        ]),
        Some("dns_client_routing_policy"),
    ),
    lb(
        "secondary_ips.auto_assigned.per_subnet",
        NLB,
        Shape::Int(0, 7),
        None,
    ),
];

/// What kind of target group an attribute is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TgKind<'a> {
    /// Upper case; `None` for lambda target groups.
    pub protocol: Option<&'a str>,
    pub target_type: &'a str,
    /// Upper case, if given.
    pub protocol_version: Option<&'a str>,
}

impl TgKind<'_> {
    fn lambda(&self) -> bool {
        self.target_type == "lambda"
    }

    fn http(&self) -> bool {
        !self.lambda() && matches!(self.protocol, Some("HTTP" | "HTTPS"))
    }

    fn nlb(&self) -> bool {
        !self.lambda()
            && matches!(
                self.protocol,
                Some("TCP" | "TLS" | "UDP" | "TCP_UDP" | "QUIC" | "TCP_QUIC")
            )
    }

    fn gwlb(&self) -> bool {
        !self.lambda() && self.protocol == Some("GENEVE")
    }

    /// How messages name target groups of this kind: "lambda target
    /// groups", "TCP target groups".
    pub fn describe(&self) -> String {
        match (self.lambda(), self.protocol) {
            (true, _) | (_, None) => "lambda target groups".into(),
            (false, Some(p)) => format!("{p} target groups"),
        }
    }

    /// Whether an attribute of `scope` applies to this kind.
    pub fn takes(&self, scope: TgScope) -> bool {
        let version = self.protocol_version.unwrap_or("HTTP1");
        match scope {
            TgScope::All => true,
            TgScope::NotLambda => !self.lambda(),
            TgScope::AlbNlb => !self.gwlb(),
            TgScope::AlbTargets => self.http(),
            TgScope::Http2 => self.http() && version == "HTTP2",
            TgScope::Http2OrGrpc => self.http() && matches!(version, "HTTP2" | "GRPC"),
            TgScope::Lambda => self.lambda(),
            TgScope::Nlb => self.nlb(),
            TgScope::Gwlb => self.gwlb(),
        }
    }
}

/// Which target groups `scope` names, for "only applies to ...".
pub fn describe_scope(scope: TgScope) -> &'static str {
    match scope {
        TgScope::All => "every target group",
        TgScope::NotLambda => "target groups of instances, IPs and load balancers",
        TgScope::AlbNlb => "target groups of application and network load balancers",
        TgScope::AlbTargets => "HTTP and HTTPS target groups of instances or IPs",
        TgScope::Http2 => "HTTP and HTTPS target groups with `protocol_version: HTTP2`",
        TgScope::Http2OrGrpc => {
            "HTTP and HTTPS target groups with `protocol_version` HTTP2 or GRPC"
        }
        TgScope::Lambda => "lambda target groups",
        TgScope::Nlb => "TCP, TLS, UDP, TCP_UDP, QUIC and TCP_QUIC target groups",
        TgScope::Gwlb => "GENEVE target groups",
    }
}

/// The row of a target group attribute key.
pub fn tg_attr(key: &str) -> Option<&'static TgAttr> {
    TARGET_GROUP.iter().find(|a| a.key == key)
}

/// The row of a load balancer attribute key.
pub fn lb_attr(key: &str) -> Option<&'static LbAttr> {
    LOAD_BALANCER.iter().find(|a| a.key == key)
}

/// Whether AWS takes `key` on target groups of `kind`.
pub fn tg_accepts(key: &str, kind: &TgKind) -> bool {
    tg_attr(key).is_some_and(|a| kind.takes(a.scope))
}

/// Whether AWS takes `key` on load balancers of type `lb_type`.
pub fn lb_accepts(key: &str, lb_type: &str) -> bool {
    lb_attr(key).is_some_and(|a| a.types.contains(&lb_type))
}

/// The keys target groups of `kind` take.
pub fn tg_keys(kind: &TgKind) -> Vec<&'static str> {
    TARGET_GROUP
        .iter()
        .filter(|a| kind.takes(a.scope))
        .map(|a| a.key)
        .collect()
}

/// The keys load balancers of type `lb_type` take.
pub fn lb_keys(lb_type: &str) -> Vec<&'static str> {
    LOAD_BALANCER
        .iter()
        .filter(|a| a.types.contains(&lb_type))
        .map(|a| a.key)
        .collect()
}

/// Checks `value` against `shape`; the error says what is expected.
pub fn check_value(shape: Shape, value: &str) -> Result<(), String> {
    let int = |lo: i64, hi: Option<i64>| {
        value
            .parse::<i64>()
            .is_ok_and(|n| n >= lo && hi.is_none_or(|hi| n <= hi))
    };
    let range = |lo: i64, hi: Option<i64>| match hi {
        Some(hi) if hi != i64::MAX => format!("an integer from {lo} to {hi}"),
        _ => format!("an integer of at least {lo}"),
    };
    match shape {
        Shape::Bool if matches!(value, "true" | "false") => Ok(()),
        Shape::Bool => Err("`true` or `false`".into()),
        Shape::Int(lo, hi) if int(lo, Some(hi)) => Ok(()),
        Shape::Int(lo, hi) => Err(range(lo, Some(hi))),
        Shape::OffOr(lo, hi) if value == "off" || int(lo, hi) => Ok(()),
        Shape::OffOr(lo, hi) => Err(format!("`off` or {}", range(lo, hi))),
        Shape::Enum(words) if words.contains(&value) => Ok(()),
        Shape::Enum(words) => {
            let list: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            Err(format!("one of {}", list.join(", ")))
        }
        Shape::Text => Ok(()),
    }
}

#[cfg(test)]
mod tests;
