//! Scalar types of the spec that serde has no ready-made form for: free text
//! that may be written as a number (`version: 2` in tags), durations (`30`,
//! `30s`, `5m`, `1h`, `1d`) and the bool-or-word settings (`cross_zone`).
//!
//! Ranges are not checked here (validation does that, with the resource's
//! name in the message); only the shape of the scalar is.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A string that may be written as a YAML number or boolean (`port: "8080"`,
/// a tag `cost-center: 1234`); kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(pub String);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// An integer, also accepted as a string of digits (`port: "8080"`, or a
/// parameter whose value is text). Ranges are checked by validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Int(pub i64);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Int;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
                Ok(Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
                i64::try_from(v)
                    .map(Int)
                    .map_err(|_| E::custom(format!("number {v} is too large")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
                v.trim()
                    .parse()
                    .map(Int)
                    .map_err(|_| E::custom(format!("expected an integer, found `{v}`")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A duration in whole seconds, written `30`, `"30s"`, `"5m"`, `"1h"` or `"1d"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub u64);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} s", self.0)
    }
}

/// Parse `30`, `30s`, `5m`, `1h`, `1d` into seconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let factor = match unit.trim() {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => 0,
    };
    match digits.parse::<u64>() {
        Ok(n) if factor > 0 => n
            .checked_mul(factor)
            .ok_or_else(|| format!("duration `{text}` is too large")),
        _ => Err(format!(
            "invalid duration `{text}`: use seconds (30) or a number with a unit (30s, 5m, 1h, 1d)"
        )),
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration (30, 30s, 5m, 1h, 1d)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                u64::try_from(v)
                    .map(Seconds)
                    .map_err(|_| E::custom(format!("duration must not be negative, got {v}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                parse_duration(v).map(Seconds).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// A setting written as a boolean or a word (`cross_zone: inherit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoolOrWord {
    Bool(bool),
    Word(String),
}

impl<'de> Deserialize<'de> for BoolOrWord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = BoolOrWord;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true, false or a word")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<BoolOrWord, E> {
                Ok(BoolOrWord::Bool(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BoolOrWord, E> {
                Ok(BoolOrWord::Word(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_with_units() {
        assert_eq!(parse_duration("30"), Ok(30));
        assert_eq!(parse_duration("30s"), Ok(30));
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("1h"), Ok(3600));
        assert_eq!(parse_duration("1d"), Ok(86400));
        assert_eq!(parse_duration(" 7d "), Ok(604800));
    }

    #[test]
    fn bad_durations_say_how_to_write_one() {
        for bad in ["", "s", "5x", "1.5h", "-3", "1h30m"] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.contains("invalid duration"), "{bad}: {err}");
        }
    }

    #[test]
    fn durations_deserialize_from_numbers_and_strings() {
        let v: Vec<Seconds> = serde_yaml::from_str("[15, '2m', 1d]").unwrap();
        assert_eq!(v, vec![Seconds(15), Seconds(120), Seconds(86400)]);
        assert!(serde_yaml::from_str::<Seconds>("-5").is_err());
    }

    #[test]
    fn integers_may_be_written_as_strings() {
        let v: Vec<Int> = serde_yaml::from_str("[80, '443']").unwrap();
        assert_eq!(v, vec![Int(80), Int(443)]);
        let err = serde_yaml::from_str::<Int>("abc").unwrap_err().to_string();
        assert!(err.contains("expected an integer, found `abc`"), "{err}");
    }

    #[test]
    fn text_accepts_numbers_and_booleans() {
        let v: Vec<Text> = serde_yaml::from_str("[abc, 8080, true]").unwrap();
        let v: Vec<&str> = v.iter().map(Text::as_str).collect();
        assert_eq!(v, ["abc", "8080", "true"]);
    }
}
