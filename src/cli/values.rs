//! Value parsers for flags, so that a bad value is a usage error (exit 64)
//! from clap, before anything runs. Durations are read by the spec's one
//! duration parser (`30`, `30s`, `5m`, `1h`, `1d`).

use std::time::Duration;

use crate::health::MinHealthy;

/// A duration flag: seconds (`30`) or a number with a unit (`30s`, `5m`,
/// `1h`, `1d`); `0` allowed.
fn duration(what: &str, text: &str) -> Result<Duration, String> {
    crate::spec::parse_duration(text)
        .map(Duration::from_secs)
        .map_err(|e| format!("invalid {what} `{text}`: {}", reason(&e)))
}

/// The part of the spec parser's message after the quoted value.
fn reason(message: &str) -> &str {
    message.split_once(": ").map_or(message, |(_, r)| r)
}

/// `shift --interval`.
pub(crate) fn interval(text: &str) -> Result<Duration, String> {
    duration("interval", text)
}

/// `apply --health-timeout` (`0` switches without waiting).
pub(crate) fn health_timeout(text: &str) -> Result<Duration, String> {
    duration("health timeout", text)
}

/// `--api-timeout`: more than zero.
pub(crate) fn api_timeout(text: &str) -> Result<Duration, String> {
    match duration("API timeout", text)? {
        d if d.is_zero() => Err(format!(
            "invalid API timeout `{text}`: must be more than 0 (e.g. `30s`)"
        )),
        d => Ok(d),
    }
}

/// `--min-healthy`: a count (`2`) or a share (`50%`).
pub(crate) fn min_healthy(text: &str) -> Result<MinHealthy, String> {
    MinHealthy::parse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_durations_like_the_spec() {
        assert_eq!(interval("0").unwrap(), Duration::ZERO);
        assert_eq!(interval("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(interval("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(health_timeout("1d").unwrap(), Duration::from_secs(86400));
        let e = health_timeout("soon").unwrap_err();
        assert!(
            e.starts_with("invalid health timeout `soon`: use seconds"),
            "{e}"
        );
        assert!(interval("2x").is_err());
        assert!(interval("").is_err());
        assert!(api_timeout("0").is_err());
        assert_eq!(api_timeout("5s").unwrap(), Duration::from_secs(5));
        assert!(min_healthy("half").unwrap_err().contains("`half`"));
        assert_eq!(min_healthy("50%").unwrap(), MinHealthy::Percent(50));
    }
}
