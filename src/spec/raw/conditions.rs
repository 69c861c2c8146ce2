//! Rule `conditions` and `transforms` as written: `conditions` is one map
//! or a list of maps (every element must match); `host_header`,
//! `path_pattern` and `http_header` take wildcard `values` (a bare list is
//! `values`) or `regex`. Which combinations are allowed is `validate`'s
//! business; here everything is optional.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::spec::scalar::Text;

/// `conditions: { ... }` or `conditions: [ { ... }, ... ]`.
#[derive(Debug, Clone)]
pub enum RawConditions {
    Map(Box<RawConditionMap>),
    List(Vec<RawConditionMap>),
}

impl RawConditions {
    /// The maps with their path relative to the rule (`conditions`,
    /// `conditions[1]`).
    pub fn maps(&self) -> Vec<(String, &RawConditionMap)> {
        match self {
            RawConditions::Map(m) => vec![("conditions".to_string(), m)],
            RawConditions::List(list) => list
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("conditions[{i}]"), m))
                .collect(),
        }
    }
}

/// One map of conditions: every key given must match.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConditionMap {
    pub host_header: Option<RawPatterns>,
    pub path_pattern: Option<RawPatterns>,
    pub http_header: Option<RawHttpHeader>,
    pub http_request_method: Option<Vec<Text>>,
    pub query_string: Option<Vec<RawQueryString>>,
    pub source_ip: Option<Vec<Text>>,
}

/// `[values...]` or `{ values: [...] }` or `{ regex: [...] }`.
#[derive(Debug, Clone)]
pub enum RawPatterns {
    Values(Vec<Text>),
    Map(RawPatternMap),
}

/// The mapping form of [`RawPatterns`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPatternMap {
    pub values: Option<Vec<Text>>,
    pub regex: Option<Vec<Text>>,
}

impl RawPatterns {
    /// `(values, regex)`, each `None` when not given; the bare list is
    /// `values`.
    pub fn parts(&self) -> (Option<&[Text]>, Option<&[Text]>) {
        match self {
            RawPatterns::Values(v) => (Some(v), None),
            RawPatterns::Map(m) => (m.values.as_deref(), m.regex.as_deref()),
        }
    }

    /// The path of the wildcard values under `rel` (`rel` itself for the
    /// bare list).
    pub fn values_path(&self, rel: &str) -> String {
        match self {
            RawPatterns::Values(_) => rel.to_string(),
            RawPatterns::Map(_) => format!("{rel}.values"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHttpHeader {
    pub name: Text,
    pub values: Option<Vec<Text>>,
    pub regex: Option<Vec<Text>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQueryString {
    pub key: Option<Text>,
    pub value: Text,
}

/// `transforms: { host_header_rewrite: {...}, url_rewrite: {...} }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTransforms {
    pub host_header_rewrite: Option<RawRewrite>,
    pub url_rewrite: Option<RawRewrite>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRewrite {
    pub regex: Option<Text>,
    pub replace: Option<Text>,
}

/// Deserialise a value written as a sequence (`L`) or a mapping (`M`),
/// handing either to its derived impl so that serde_path_to_error still
/// tracks the path inside (see `either!` for the scalar-or-map case).
fn seq_or_map<'de, D, L, M, T>(
    d: D,
    expecting: &'static str,
    seq: fn(L) -> T,
    map: fn(M) -> T,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    L: Deserialize<'de>,
    M: Deserialize<'de>,
{
    struct V<L, M, T> {
        expecting: &'static str,
        seq: fn(L) -> T,
        map: fn(M) -> T,
        _types: PhantomData<(L, M)>,
    }
    impl<'de, L: Deserialize<'de>, M: Deserialize<'de>, T> Visitor<'de> for V<L, M, T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, a: A) -> Result<T, A::Error> {
            L::deserialize(SeqAccessDeserializer::new(a)).map(self.seq)
        }
        fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<T, A::Error> {
            M::deserialize(MapAccessDeserializer::new(a)).map(self.map)
        }
    }
    d.deserialize_any(V {
        expecting,
        seq,
        map,
        _types: PhantomData,
    })
}

impl<'de> Deserialize<'de> for RawConditions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        seq_or_map(
            d,
            "a mapping of conditions or a list of such mappings",
            RawConditions::List,
            |m| RawConditions::Map(Box::new(m)),
        )
    }
}

impl<'de> Deserialize<'de> for RawPatterns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        seq_or_map(
            d,
            "a list of values or `{ values: [...] }` / `{ regex: [...] }`",
            RawPatterns::Values,
            RawPatterns::Map,
        )
    }
}
