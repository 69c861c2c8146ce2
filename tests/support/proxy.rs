//! An AWS-like network between `lbctl` and moto: latency, AWS's throttling
//! buckets and their real error responses, and injected faults.
//!
//! moto has neither throttling nor fault injection, so the tests that prove
//! lbctl's retries and rate limiting put this proxy in front of it and point
//! `AWS_ENDPOINT_URL` at [`Proxy::endpoint`]. It speaks just enough
//! HTTP/1.1 for the AWS SDK against an `http://` endpoint: one request per
//! client connection (answered with `Connection: close`), a `Content-Length`
//! body, forwarded to moto over a fresh connection and relayed back as read
//! to EOF, so moto's framing (length or chunked) passes through untouched.
//!
//! Faults are drawn from a seeded generator. A 500, a 503 and a reset before
//! forwarding never reach moto; a reset *after* forwarding (a lost response)
//! is only injected for calls that AWS lets a client repeat safely, because
//! moto's creates are not idempotent where AWS's are (see
//! `/work/shared/moto-notes.md`), and a lost create response would test moto,
//! not lbctl; a test asks for lost writes with [`Config::lose_writes`]
//! (Route 53 writes, which lbctl must recover from on AWS too), and
//! [`Config::faults_only`] limits faults to one service. It must not reach
//! real AWS: it only ever connects to the loopback port it was given. Every
//! loop is bounded by a timeout or the stop flag; dropping the proxy stops
//! it.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long one read or write may block before the connection is given up.
const IO_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the accept loop looks at the stop flag.
const POLL: Duration = Duration::from_millis(10);
/// Larger request heads are refused (the SDK's are a few hundred bytes).
const MAX_HEAD: usize = 64 * 1024;

/// What the proxy does to the calls passing through.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Added to every call before it is answered.
    pub latency: Duration,
    /// Enforce AWS's request-rate buckets (see [`Bucket`]).
    pub throttle: bool,
    /// Share of calls (0.0..=1.0) answered with a fault instead.
    pub fault_rate: f64,
    /// Seed of the fault generator.
    pub seed: u64,
    /// Faults only for calls whose action starts with this (`route53:`).
    pub fault_only: Option<String>,
    /// Also lose the answers of calls AWS does not let a client repeat
    /// safely (creates, Route 53 writes), to test how lbctl recovers.
    pub lose_writes: bool,
}

impl Config {
    /// No latency, no throttling, no faults: a plain relay.
    pub fn new() -> Config {
        Config::default()
    }

    /// Adds `latency` to every call.
    pub fn latency(mut self, latency: Duration) -> Config {
        self.latency = latency;
        self
    }

    /// Enforces AWS's token buckets (ELBv2 Describe* 40/10 per s,
    /// Register/DeregisterTargets 20/4 per s, Route 53 5 per s, EC2
    /// Describe* 100/20 per s).
    pub fn throttled(mut self) -> Config {
        self.throttle = true;
        self
    }

    /// Answers `rate` of the calls with a 500, a 503 or a reset, drawn from `seed`.
    pub fn faults(mut self, rate: f64, seed: u64) -> Config {
        self.fault_rate = rate;
        self.seed = seed;
        self
    }

    /// Injects faults only into calls whose action (as in [`Counts::calls`])
    /// starts with `prefix`, such as `route53:`.
    pub fn faults_only(mut self, prefix: &str) -> Config {
        self.fault_only = Some(prefix.to_string());
        self
    }

    /// Lets a reset after forwarding (a lost answer) hit every call, also
    /// those that are not safe to repeat. moto's creates are not idempotent
    /// where AWS's are, so use it only where lbctl must cope on AWS too.
    pub fn lose_writes(mut self) -> Config {
        self.lose_writes = true;
        self
    }
}

/// The AWS service a call is for, as far as the proxy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    Elbv2,
    Ec2,
    Route53,
    /// JSON protocol (SSM): only counted and faulted.
    Json,
    /// moto's own API and anything unrecognised: passed through untouched.
    Other,
}

/// One call as the proxy sees it.
struct Call {
    service: Service,
    /// `elbv2:DescribeLoadBalancers`, `route53:POST hostedzone/rrset`, ...
    action: String,
}

/// A token bucket: `burst` calls at once, refilled at `rate` per second.
struct Bucket {
    tokens: f64,
    burst: f64,
    rate: f64,
    last: Instant,
}

impl Bucket {
    fn new(burst: f64, rate: f64) -> Bucket {
        Bucket {
            tokens: burst,
            burst,
            rate,
            last: Instant::now(),
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.rate;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The buckets AWS applies per account and region (documented defaults).
struct Buckets {
    elb_describe: Bucket,
    elb_targets: Bucket,
    route53: Bucket,
    ec2_describe: Bucket,
}

impl Buckets {
    fn aws() -> Buckets {
        Buckets {
            elb_describe: Bucket::new(40.0, 10.0),
            elb_targets: Bucket::new(20.0, 4.0),
            route53: Bucket::new(5.0, 5.0),
            ec2_describe: Bucket::new(100.0, 20.0),
        }
    }

    /// The bucket `call` draws from, if any.
    fn for_call(&mut self, call: &Call) -> Option<&mut Bucket> {
        let name = call.action.split_once(':').map_or("", |(_, a)| a);
        match call.service {
            Service::Elbv2 if name.starts_with("Describe") => Some(&mut self.elb_describe),
            Service::Elbv2 if name == "RegisterTargets" || name == "DeregisterTargets" => {
                Some(&mut self.elb_targets)
            }
            Service::Route53 => Some(&mut self.route53),
            Service::Ec2 if name.starts_with("Describe") => Some(&mut self.ec2_describe),
            _ => None,
        }
    }
}

/// splitmix64: small, seeded, good enough to pick faults.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    /// HTTP 500 InternalFailure; not forwarded.
    Internal,
    /// HTTP 503 ServiceUnavailable; not forwarded.
    Unavailable,
    /// Connection closed without an answer; not forwarded.
    Reset,
    /// Forwarded, then the connection closed without the answer.
    LostResponse,
}

impl Fault {
    fn as_str(self) -> &'static str {
        match self {
            Fault::Internal => "500",
            Fault::Unavailable => "503",
            Fault::Reset => "reset",
            Fault::LostResponse => "lost-response",
        }
    }
}

/// What passed through the proxy so far.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    /// Calls by action (throttled and faulted ones included).
    pub calls: BTreeMap<String, u64>,
    /// Calls answered with a throttling error, by action.
    pub throttled: BTreeMap<String, u64>,
    /// Injected faults by kind (`500`, `503`, `reset`, `lost-response`).
    pub faults: BTreeMap<String, u64>,
    /// Injected faults by `action kind` (`route53:POST healthcheck lost-response`).
    pub faulted: BTreeMap<String, u64>,
    /// Calls moto answered.
    pub forwarded: u64,
}

impl Counts {
    /// All calls.
    pub fn total(&self) -> u64 {
        self.calls.values().sum()
    }

    /// All throttled calls.
    pub fn total_throttled(&self) -> u64 {
        self.throttled.values().sum()
    }

    /// All injected faults.
    pub fn total_faults(&self) -> u64 {
        self.faults.values().sum()
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "proxy: {} call(s), {} forwarded, {} throttled, {} fault(s) {:?}",
            self.total(),
            self.forwarded,
            self.total_throttled(),
            self.total_faults(),
            self.faults
        )?;
        for (fault, n) in &self.faulted {
            writeln!(f, "  fault: {fault} x{n}")?;
        }
        for (action, n) in &self.calls {
            let throttled = self.throttled.get(action).copied().unwrap_or(0);
            writeln!(f, "  {action:<48} {n:>5} ({throttled} throttled)")?;
        }
        Ok(())
    }
}

/// State shared by the accept loop and the connection threads.
struct Shared {
    upstream: u16,
    config: Config,
    buckets: Mutex<Buckets>,
    rng: Mutex<Rng>,
    counts: Mutex<Counts>,
    request_ids: AtomicU64,
}

/// A running proxy on 127.0.0.1 in front of one moto server; stops when dropped.
pub struct Proxy {
    port: u16,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
    shared: Arc<Shared>,
}

impl Proxy {
    /// Starts a proxy forwarding to moto on `upstream` (a loopback port).
    pub fn start(upstream: u16, config: Config) -> Proxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the proxy");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let port = listener.local_addr().expect("proxy address").port();
        let shared = Arc::new(Shared {
            upstream,
            rng: Mutex::new(Rng(config.seed)),
            config,
            buckets: Mutex::new(Buckets::aws()),
            counts: Mutex::new(Counts::default()),
            request_ids: AtomicU64::new(1),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (stop, shared) = (stop.clone(), shared.clone());
            std::thread::spawn(move || accept_loop(&listener, &stop, &shared))
        };
        Proxy {
            port,
            stop,
            accept: Some(accept),
            shared,
        }
    }

    /// The proxy's base URL, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What passed through so far.
    pub fn counts(&self) -> Counts {
        self.shared.counts.lock().unwrap().clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, stop: &AtomicBool, shared: &Arc<Shared>) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = shared.clone();
                // Connection threads end on their own: every read and write
                // has a timeout and each serves one request.
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// A request as read from the client.
struct Request {
    method: String,
    path: String,
    /// Header lines without the line ends, in order.
    headers: Vec<String>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

fn serve(client: TcpStream, shared: &Shared) -> std::io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(IO_TIMEOUT))?;
    client.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(client.try_clone()?);
    let Some(request) = read_request(&mut reader)? else {
        return Ok(());
    };
    let mut client = client;
    let call = classify(&request);
    if call.service == Service::Other {
        return relay(&mut client, &request, shared);
    }
    shared.count(|c| *c.calls.entry(call.action.clone()).or_default() += 1);
    std::thread::sleep(shared.config.latency);

    if shared.config.throttle {
        let allowed = {
            let mut buckets = shared.buckets.lock().unwrap();
            buckets.for_call(&call).is_none_or(Bucket::take)
        };
        if !allowed {
            shared.count(|c| *c.throttled.entry(call.action.clone()).or_default() += 1);
            let id = shared.request_id();
            return respond(&mut client, throttling(call.service, &id));
        }
    }
    if let Some(fault) = shared.draw_fault(&call) {
        shared.count(|c| {
            *c.faults.entry(fault.as_str().to_string()).or_default() += 1;
            *c.faulted
                .entry(format!("{} {}", call.action, fault.as_str()))
                .or_default() += 1;
        });
        let id = shared.request_id();
        return match fault {
            Fault::Internal | Fault::Unavailable => {
                respond(&mut client, server_error(call.service, fault, &id))
            }
            Fault::Reset => client.shutdown(Shutdown::Both),
            Fault::LostResponse => {
                let _ = forward(&request, shared)?;
                client.shutdown(Shutdown::Both)
            }
        };
    }
    relay(&mut client, &request, shared)
}

impl Shared {
    fn count(&self, f: impl FnOnce(&mut Counts)) {
        f(&mut self.counts.lock().unwrap());
    }

    fn request_id(&self) -> String {
        let n = self.request_ids.fetch_add(1, Ordering::SeqCst);
        format!("00000000-0000-4000-8000-{n:012x}")
    }

    fn draw_fault(&self, call: &Call) -> Option<Fault> {
        if self.config.fault_rate <= 0.0 {
            return None;
        }
        if let Some(prefix) = &self.config.fault_only {
            if !call.action.starts_with(prefix.as_str()) {
                return None;
            }
        }
        let mut rng = self.rng.lock().unwrap();
        if rng.unit() >= self.config.fault_rate {
            return None;
        }
        Some(match rng.next() % 3 {
            0 => Fault::Internal,
            1 => Fault::Unavailable,
            _ if self.config.lose_writes || repeatable(call) => Fault::LostResponse,
            _ => Fault::Reset,
        })
    }
}

/// Whether AWS lets a client repeat `call` after a lost answer without a
/// different outcome (reads, and writes that set a state).
fn repeatable(call: &Call) -> bool {
    let name = call.action.split_once(':').map_or("", |(_, a)| a);
    if call.service == Service::Route53 {
        return name.starts_with("GET");
    }
    [
        "Describe",
        "Get",
        "List",
        "Modify",
        "Set",
        "Register",
        "Deregister",
        "AddTags",
        "RemoveTags",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

/// Reads one request: the head, then a `Content-Length` body. `None` when
/// the client closed the connection without sending one.
fn read_request(reader: &mut impl BufRead) -> std::io::Result<Option<Request>> {
    let mut lines = Vec::new();
    let mut size = 0;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        if n == 0 {
            return if lines.is_empty() {
                Ok(None)
            } else {
                Err(std::io::Error::other("client closed mid-request"))
            };
        }
        size += n;
        if size > MAX_HEAD {
            return Err(std::io::Error::other("request head too large"));
        }
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            break;
        }
        lines.push(line);
    }
    let start = lines.remove(0);
    let mut parts = start.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut request = Request {
        method,
        path,
        headers: lines,
        body: Vec::new(),
    };
    if request
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        return Err(std::io::Error::other(
            "chunked request bodies are not supported",
        ));
    }
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    request.body = vec![0; length];
    reader.read_exact(&mut request.body)?;
    Ok(Some(request))
}

/// Which service and action a request is for: the SigV4 credential scope
/// names the service; the query protocol's body names the action; Route 53
/// is REST under `/2013-04-01/`; JSON protocols name it in `X-Amz-Target`.
fn classify(request: &Request) -> Call {
    let scope = request
        .header("authorization")
        .and_then(|a| a.split("Credential=").nth(1))
        .and_then(|c| c.split('/').nth(3))
        .unwrap_or("");
    if request.path.starts_with("/2013-04-01/") || scope == "route53" {
        let rest = request.path.trim_start_matches("/2013-04-01/");
        let rest = rest.split('?').next().unwrap_or("");
        let segments: Vec<&str> = rest.split('/').collect();
        // Ids are the odd segments: hostedzone/{id}/rrset.
        let shape: Vec<&str> = segments.iter().step_by(2).copied().collect();
        return Call {
            service: Service::Route53,
            action: format!("route53:{} {}", request.method, shape.join("/")),
        };
    }
    if let Some(target) = request.header("x-amz-target") {
        let operation = target.rsplit('.').next().unwrap_or(target);
        return Call {
            service: Service::Json,
            action: format!("{scope}:{operation}"),
        };
    }
    let body = String::from_utf8_lossy(&request.body);
    let action = body
        .split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .map(str::to_string);
    let service = match scope {
        "elasticloadbalancing" => Service::Elbv2,
        "ec2" => Service::Ec2,
        _ => Service::Other,
    };
    match (service, action) {
        (Service::Other, _) | (_, None) => Call {
            service: Service::Other,
            action: String::new(),
        },
        (service, Some(action)) => Call {
            service,
            action: format!(
                "{}:{action}",
                if service == Service::Ec2 {
                    "ec2"
                } else {
                    "elbv2"
                }
            ),
        },
    }
}

/// Sends `request` to moto on a fresh connection and returns its whole answer.
fn forward(request: &Request, shared: &Shared) -> std::io::Result<Vec<u8>> {
    let mut upstream = TcpStream::connect((Ipv4Addr::LOCALHOST, shared.upstream))?;
    upstream.set_read_timeout(Some(IO_TIMEOUT))?;
    upstream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut head = format!("{} {} HTTP/1.1\r\n", request.method, request.path);
    for line in &request.headers {
        let name = line.split(':').next().unwrap_or("").trim();
        if !name.eq_ignore_ascii_case("connection") {
            head.push_str(line);
            head.push_str("\r\n");
        }
    }
    head.push_str("Connection: close\r\n\r\n");
    upstream.write_all(head.as_bytes())?;
    upstream.write_all(&request.body)?;
    upstream.flush()?;
    let mut response = Vec::new();
    upstream.read_to_end(&mut response)?;
    shared.count(|c| c.forwarded += 1);
    Ok(response)
}

/// Forwards `request` and hands moto's answer to the client, telling it to
/// close the connection (each connection serves one request).
fn relay(client: &mut TcpStream, request: &Request, shared: &Shared) -> std::io::Result<()> {
    let response = forward(request, shared)?;
    let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return client.shutdown(Shutdown::Both);
    };
    let head = String::from_utf8_lossy(&response[..end]);
    let mut out = String::new();
    for line in head.split("\r\n") {
        let name = line.split(':').next().unwrap_or("").trim();
        if !name.eq_ignore_ascii_case("connection") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    client.write_all(out.as_bytes())?;
    client.write_all(&response[end + 4..])?;
    client.flush()?;
    client.shutdown(Shutdown::Both)
}

/// A canned answer: status, content type, body.
struct Answer {
    status: u16,
    reason: &'static str,
    content_type: &'static str,
    body: String,
}

fn respond(client: &mut TcpStream, answer: Answer) -> std::io::Result<()> {
    write!(
        client,
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        answer.status,
        answer.reason,
        answer.content_type,
        answer.body.len(),
        answer.body
    )?;
    client.flush()?;
    client.shutdown(Shutdown::Both)
}

/// The service's own throttling error, as AWS sends it.
fn throttling(service: Service, id: &str) -> Answer {
    match service {
        Service::Ec2 => Answer {
            status: 503,
            reason: "Service Unavailable",
            content_type: "text/xml;charset=UTF-8",
            body: format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
                 <Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message>\
                 </Error></Errors><RequestID>{id}</RequestID></Response>"
            ),
        },
        Service::Route53 => Answer {
            status: 400,
            reason: "Bad Request",
            content_type: "text/xml",
            body: format!(
                "<?xml version=\"1.0\"?>\n<ErrorResponse \
                 xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error>\
                 <Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>\
                 </Error><RequestId>{id}</RequestId></ErrorResponse>"
            ),
        },
        _ => Answer {
            status: 400,
            reason: "Bad Request",
            content_type: "text/xml",
            body: format!(
                "<ErrorResponse xmlns=\"http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/\">\
                 <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>\
                 </Error><RequestId>{id}</RequestId></ErrorResponse>"
            ),
        },
    }
}

/// A 500 InternalFailure or 503 ServiceUnavailable in the service's protocol.
fn server_error(service: Service, fault: Fault, id: &str) -> Answer {
    let (status, reason, code, message) = match fault {
        Fault::Unavailable => (
            503,
            "Service Unavailable",
            "ServiceUnavailable",
            "Service is unavailable",
        ),
        _ => (
            500,
            "Internal Server Error",
            "InternalFailure",
            "An internal error occurred",
        ),
    };
    let body = match service {
        Service::Ec2 => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
             <Code>{code}</Code><Message>{message}</Message></Error></Errors>\
             <RequestID>{id}</RequestID></Response>"
        ),
        Service::Json => {
            let code = if code == "InternalFailure" {
                "InternalServerError"
            } else {
                code
            };
            format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}")
        }
        Service::Route53 => format!(
            "<?xml version=\"1.0\"?>\n<ErrorResponse \
             xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error>\
             <Type>Receiver</Type><Code>{code}</Code><Message>{message}</Message></Error>\
             <RequestId>{id}</RequestId></ErrorResponse>"
        ),
        _ => format!(
            "<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code>\
             <Message>{message}</Message></Error><RequestId>{id}</RequestId></ErrorResponse>"
        ),
    };
    Answer {
        status,
        reason,
        content_type: if service == Service::Json {
            "application/x-amz-json-1.1"
        } else {
            "text/xml"
        },
        body,
    }
}
