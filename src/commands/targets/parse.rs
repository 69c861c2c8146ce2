//! Parsing `lbctl targets` arguments into plain data, before any AWS
//! call: `TARGET[:PORT]` (instance ID, IPv4, IPv6 or ARN) and
//! `--min-healthy` (a count or a percentage).
//!
//! [`TargetArg::resolve`] then checks a parsed target against the target
//! group's target type and fills in its port.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::aws::TargetGroupInfo;
use crate::error::Error;
use crate::model::Target;

/// What a `TARGET[:PORT]` argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Instance,
    Ip,
    /// A Lambda function or an application load balancer.
    Arn,
}

/// One `TARGET[:PORT]` argument, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TargetArg {
    pub(super) id: String,
    pub(super) port: Option<u16>,
    kind: Kind,
}

impl TargetArg {
    fn is_lambda(&self) -> bool {
        self.kind == Kind::Arn && self.id.split(':').nth(2) == Some("lambda")
    }

    /// The target to register: checked against the group's target type,
    /// with the group's port when none is given (lambda targets have none).
    pub(super) fn resolve(&self, tg: &TargetGroupInfo) -> Result<Target, Error> {
        let fits = match tg.target_type.as_str() {
            "instance" => self.kind == Kind::Instance,
            "ip" => self.kind == Kind::Ip,
            "lambda" => self.is_lambda(),
            "alb" => self.kind == Kind::Arn && !self.is_lambda(),
            _ => true,
        };
        if !fits {
            let what = match self.kind {
                Kind::Instance => "an instance",
                Kind::Ip => "an IP address",
                Kind::Arn if self.is_lambda() => "a Lambda function",
                Kind::Arn => "an ARN",
            };
            return Err(Error::Refused {
                message: format!(
                    "`{}` is {what}, but target group `{}` takes `{}` targets; nothing was changed",
                    self.id, tg.name, tg.target_type
                ),
                hint: None,
            });
        }
        let port = if self.is_lambda() {
            None
        } else {
            self.port.or(tg.port)
        };
        Ok(Target {
            id: self.id.clone(),
            port,
            availability_zone: None,
            quic_server_id: None,
        })
    }
}

pub(super) fn parse_targets(args: &[String]) -> Result<Vec<TargetArg>, Error> {
    let (ok, bad): (Vec<_>, Vec<_>) = args
        .iter()
        .map(|a| parse_target(a))
        .partition(Result::is_ok);
    if bad.is_empty() {
        return Ok(ok.into_iter().flatten().collect());
    }
    let bad: Vec<String> = bad.into_iter().filter_map(Result::err).collect();
    Err(Error::Refused {
        message: bad.join("; "),
        hint: Some(
            "a target is an instance ID (i-0123456789abcdef0), an IPv4 address, an IPv6 \
             address or an ARN, optionally with `:PORT` (`[ADDRESS]:PORT` for IPv6; no port \
             for an ARN)"
                .into(),
        ),
    })
}

/// Parses `i-0abc[:PORT]`, `10.0.0.1[:PORT]`, `2001:db8::1`, `[2001:db8::1]:PORT`
/// or an ARN.
fn parse_target(arg: &str) -> Result<TargetArg, String> {
    let bad = |why: &str| format!("`{arg}` is not a valid target: {why}");
    if arg.starts_with("arn:") {
        if arg.split(':').count() < 6 || arg.split(':').any(str::is_empty) {
            return Err(bad(
                "an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE",
            ));
        }
        return Ok(TargetArg {
            id: arg.to_string(),
            port: None,
            kind: Kind::Arn,
        });
    }
    if let Some(rest) = arg.strip_prefix('[') {
        let (addr, after) = rest.split_once(']').ok_or_else(|| bad("`[` without `]`"))?;
        let addr: Ipv6Addr = addr.parse().map_err(|_| bad("not an IPv6 address"))?;
        let port = match after {
            "" => None,
            p => Some(
                parse_port(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("expected `:PORT` after `]`"))?,
                )
                .map_err(|e| bad(&e))?,
            ),
        };
        return Ok(ip(addr.to_string(), port));
    }
    if let Ok(addr) = arg.parse::<Ipv6Addr>() {
        return Ok(ip(addr.to_string(), None));
    }
    let (id, port) = match arg.split_once(':') {
        Some((id, p)) => (id, Some(parse_port(p).map_err(|e| bad(&e))?)),
        None => (arg, None),
    };
    if id.parse::<Ipv4Addr>().is_ok() {
        return Ok(ip(id.to_string(), port));
    }
    if is_instance_id(id) {
        return Ok(TargetArg {
            id: id.to_string(),
            port,
            kind: Kind::Instance,
        });
    }
    if id.starts_with("i-") {
        return Err(bad("an instance ID is `i-` and 8 or 17 hex digits"));
    }
    Err(bad("not an instance ID, IP address or ARN"))
}

fn ip(id: String, port: Option<u16>) -> TargetArg {
    TargetArg {
        id,
        port,
        kind: Kind::Ip,
    }
}

fn parse_port(text: &str) -> Result<u16, String> {
    match text.parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(format!("port `{text}` is not a number from 1 to 65535")),
    }
}

fn is_instance_id(id: &str) -> bool {
    id.strip_prefix("i-").is_some_and(|hex| {
        matches!(hex.len(), 8 | 17)
            && hex
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_by_kind() {
        let t = parse_target("i-0123456789abcdef0:8080").unwrap();
        assert_eq!(
            (t.id.as_str(), t.port, t.kind),
            ("i-0123456789abcdef0", Some(8080), Kind::Instance)
        );
        let t = parse_target("i-01234567").unwrap();
        assert_eq!((t.port, t.kind), (None, Kind::Instance));
        let t = parse_target("10.0.1.5:80").unwrap();
        assert_eq!(
            (t.id.as_str(), t.port, t.kind),
            ("10.0.1.5", Some(80), Kind::Ip)
        );
        let t = parse_target("2001:db8::1").unwrap();
        assert_eq!((t.id.as_str(), t.port), ("2001:db8::1", None));
        let t = parse_target("[2001:db8::1]:443").unwrap();
        assert_eq!(
            (t.id.as_str(), t.port, t.kind),
            ("2001:db8::1", Some(443), Kind::Ip)
        );
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:f";
        let t = parse_target(arn).unwrap();
        assert_eq!((t.id.as_str(), t.port, t.kind), (arn, None, Kind::Arn));
        assert!(t.is_lambda());
    }

    #[test]
    fn bad_targets_say_why() {
        for bad in [
            "i-xyz",
            "10.0.0.1:0",
            "10.0.0.1:70000",
            "10.0.0.1:",
            "host:80",
            "[::1",
            "[::1]80",
            "[10.0.0.1]:80",
            "arn:aws:lambda",
            "",
        ] {
            let e = parse_target(bad).unwrap_err();
            assert!(e.contains(&format!("`{bad}`")), "{bad}: {e}");
        }
        let e = parse_targets(&["10.0.0.1".into(), "nope".into(), "i-1".into()]).unwrap_err();
        assert!(matches!(e, Error::Refused { .. }));
        let text = e.to_string();
        assert!(text.contains("`nope`") && text.contains("`i-1`"), "{text}");
    }
}
