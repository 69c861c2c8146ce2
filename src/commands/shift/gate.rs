//! The gates `lbctl shift` passes before each step: the receiving side is
//! healthy (enough healthy targets in its target groups, or its Route 53
//! health check passes), and (with `--probe`) an HTTP GET of a URL answers
//! 2xx or 3xx.
//!
//! The probe is a minimal HTTP/1.1 client on a tokio `TcpStream`: http://
//! only, one request, `Connection: close`, a short timeout; it reads the
//! status line and nothing more. A gate that fails says why; it changes
//! nothing itself.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::aws::{Aws, TargetGroupInfo};
use crate::error::Error;

use crate::health::MinHealthy;

/// Connect, send and read the status line within this time.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// A gate that did not pass: which one, and why.
#[derive(Debug)]
pub(super) struct Failed {
    pub(super) gate: &'static str,
    pub(super) why: String,
}

/// What the health gate checks for the receiving side.
#[derive(Debug)]
pub(super) enum Health {
    /// Healthy targets summed over these target groups (`--min-healthy`
    /// applies to the sum).
    TargetGroups {
        /// The load balancer they are the target groups of, if any (for
        /// messages).
        load_balancer: Option<String>,
        tgs: Vec<TargetGroupInfo>,
    },
    /// A Route 53 health check, by ID.
    Route53Check(String),
    /// Nothing to check but `--probe`.
    ProbeOnly,
}

impl Health {
    pub(super) fn of_target_group(tg: TargetGroupInfo) -> Health {
        Health::TargetGroups {
            load_balancer: None,
            tgs: vec![tg],
        }
    }
}

/// Route 53 counts an endpoint healthy when more than this share of its
/// checkers (in percent) report it healthy.
const CHECKERS_HEALTHY_PERCENT: usize = 18;

/// The health gate: enough healthy targets, or a passing Route 53 health
/// check; `None` when there is nothing to check (`--probe` only).
pub(super) async fn health(
    aws: &Aws,
    health: &Health,
    min: Option<MinHealthy>,
) -> Result<Option<Result<String, Failed>>, Error> {
    match health {
        Health::TargetGroups { load_balancer, tgs } => Ok(Some(
            targets(aws, load_balancer.as_deref(), tgs, min).await?,
        )),
        Health::Route53Check(id) => {
            let status = aws.health_check_status(id).await?;
            let summary = format!(
                "health check `{id}`: {} of {} checker(s) report success",
                status.healthy, status.checkers
            );
            if status.checkers == 0
                || status.healthy * 100 <= status.checkers * CHECKERS_HEALTHY_PERCENT
            {
                let last = status
                    .failure
                    .map(|f| format!(" (`{f}`)"))
                    .unwrap_or_default();
                return Ok(Some(Err(Failed {
                    gate: "health",
                    why: format!("{summary}{last}, more than {CHECKERS_HEALTHY_PERCENT}% required"),
                })));
            }
            Ok(Some(Ok(summary)))
        }
        Health::ProbeOnly => Ok(None),
    }
}

/// Enough healthy targets over the target groups.
async fn targets(
    aws: &Aws,
    load_balancer: Option<&str>,
    tgs: &[TargetGroupInfo],
    min: Option<MinHealthy>,
) -> Result<Result<String, Failed>, Error> {
    let mut registered = 0;
    let mut healthy = 0;
    for tg in tgs {
        let health = aws.target_health(tg).await?;
        registered += health.iter().filter(|h| h.is_registered()).count();
        healthy += health.iter().filter(|h| h.is_healthy()).count();
    }
    let names: Vec<String> = tgs.iter().map(|tg| format!("`{}`", tg.name)).collect();
    let of = match (load_balancer, names.is_empty()) {
        (Some(lb), true) => format!("load balancer `{lb}` (no target group)"),
        (Some(lb), false) => format!("load balancer `{lb}` ({})", names.join(", ")),
        (None, _) => names.join(", "),
    };
    let summary = format!("{healthy} of {registered} registered target(s) of {of} healthy");
    let required = min.map_or(1, |m| m.required(registered));
    if healthy < required {
        let rule = match min {
            Some(m) => format!("--min-healthy {m} requires {required}"),
            None => "at least 1 required".to_string(),
        };
        return Ok(Err(Failed {
            gate: "health",
            why: format!("{summary}, {rule}"),
        }));
    }
    Ok(Ok(summary))
}

/// A parsed `http://host[:port]/path` probe URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ProbeUrl {
    host: String,
    port: u16,
    path: String,
    text: String,
}

pub(super) fn parse_probe(text: &str) -> Result<ProbeUrl, Error> {
    let bad = |why: &str| Error::Refused {
        message: format!("--probe `{text}`: {why}"),
        hint: Some("e.g. --probe http://shop.example.com/health".into()),
    };
    let rest = text
        .strip_prefix("http://")
        .ok_or_else(|| bad("only http:// URLs are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    // `[v6]:port`, `[v6]`, `host:port` or `host`.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']').ok_or_else(|| bad("`[` without `]`"))?;
            (&authority[..addr.len() + 2], after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let port = match port {
        None => 80,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| bad("the port is not a number from 1 to 65535"))?,
    };
    if host.is_empty() || host.contains('@') {
        return Err(bad("no host (or credentials in the URL)"));
    }
    Ok(ProbeUrl {
        host: host.to_string(),
        port,
        path: path.to_string(),
        text: text.to_string(),
    })
}

/// GET the URL; 2xx and 3xx pass.
pub(super) async fn probe(url: &ProbeUrl) -> Result<String, Failed> {
    let fail = |why: String| Failed {
        gate: "probe",
        why: format!("GET {}: {why}", url.text),
    };
    match tokio::time::timeout(PROBE_TIMEOUT, get_status(url)).await {
        Err(_) => Err(fail(format!(
            "no answer within {} s",
            PROBE_TIMEOUT.as_secs()
        ))),
        Ok(Err(e)) => Err(fail(e.to_string())),
        Ok(Ok(status)) if (200..400).contains(&status) => {
            Ok(format!("GET {} answered {status}", url.text))
        }
        Ok(Ok(status)) => Err(fail(format!("status {status}"))),
    }
}

async fn get_status(url: &ProbeUrl) -> std::io::Result<u16> {
    let host = url.host.trim_start_matches('[').trim_end_matches(']');
    let mut stream = TcpStream::connect((host, url.port)).await?;
    let host_header = if url.port == 80 {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: lbctl-shift\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        url.path
    );
    stream.write_all(request.as_bytes()).await?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 512];
    while !buf.contains(&b'\n') && buf.len() < 4096 {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let line = String::from_utf8_lossy(&buf);
    let line = line.lines().next().unwrap_or_default();
    let mut parts = line.split_whitespace();
    match (
        parts.next(),
        parts.next().and_then(|s| s.parse::<u16>().ok()),
    ) {
        (Some(v), Some(status)) if v.starts_with("HTTP/") => Ok(status),
        _ => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "not an HTTP response: `{}`",
                line.chars().take(60).collect::<String>()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_urls() {
        let u = parse_probe("http://shop.example.com/health?x=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("shop.example.com", 80, "/health?x=1")
        );
        let u = parse_probe("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("127.0.0.1", 8080, "/")
        );
        let u = parse_probe("http://[::1]:81/x").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("[::1]", 81));
        assert!(parse_probe("https://x/").is_err());
        assert!(parse_probe("http://x:99999/").is_err());
        assert!(parse_probe("http:///").is_err());
    }

    #[tokio::test]
    async fn probe_reads_the_status() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            for status in ["200 OK", "503 Service Unavailable"] {
                let (mut s, _) = listener.accept().await.unwrap();
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf).await;
                let _ = s
                    .write_all(format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n").as_bytes())
                    .await;
            }
        });
        let url = parse_probe(&format!("http://127.0.0.1:{port}/health")).unwrap();
        assert!(probe(&url).await.is_ok());
        let failed = probe(&url).await.unwrap_err();
        assert_eq!(failed.gate, "probe");
        assert!(failed.why.contains("503"), "{}", failed.why);
    }
}
