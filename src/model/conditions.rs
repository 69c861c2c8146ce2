//! Rule conditions and transforms: a rule's conditions as a list of typed
//! conditions (a kind may repeat: two `http_header` conditions on different
//! headers must both match), and the rewrites a rule applies before its
//! action.
//!
//! The list is kept in one canonical order (by kind, then content), so
//! that a desired and a live rule compare equal whatever order the spec or
//! AWS lists them in. Values inside one condition keep their order (AWS
//! keeps it). Serialised (plans, saved plans) in the spec's vocabulary: the
//! map form when no kind repeats, which is what plans showed before lists
//! existed, else the list form.

use serde::{Deserialize, Serialize};

/// All conditions of a rule; every one must match. Always in canonical
/// order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conditions(Vec<Condition>);

/// One rule condition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Condition {
    HostHeader(Patterns),
    PathPattern(Patterns),
    HttpHeader(HttpHeader),
    HttpRequestMethod(Vec<String>),
    QueryString(Vec<QueryString>),
    SourceIp(Vec<String>),
}

/// What a host, path or header condition compares with: wildcard values
/// (`values`) or regular expressions (AWS `RegexValues`). lbctl's spec
/// gives one of the two; a live condition is kept as AWS reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Patterns {
    pub values: Vec<String>,
    pub regex: Vec<String>,
}

/// An `http_header` condition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HttpHeader {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regex: Vec<String>,
}

/// One key/value pair of a `query_string` condition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QueryString {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub value: String,
}

/// The rewrites of a rule (AWS `Transforms`); empty when it has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transforms {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_header_rewrite: Option<Rewrite>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_rewrite: Option<Rewrite>,
}

/// One rewrite: a regular expression and its replacement (`$1` for groups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rewrite {
    pub regex: String,
    pub replace: String,
}

impl Transforms {
    /// True when the rule rewrites nothing.
    pub fn is_empty(&self) -> bool {
        self.host_header_rewrite.is_none() && self.url_rewrite.is_none()
    }
}

impl Patterns {
    /// Wildcard values only.
    pub fn values(values: Vec<String>) -> Patterns {
        Patterns {
            values,
            regex: Vec::new(),
        }
    }
}

impl Conditions {
    /// The conditions, put in canonical order.
    pub fn new(mut list: Vec<Condition>) -> Conditions {
        list.sort();
        Conditions(list)
    }

    /// The conditions in canonical order.
    pub fn iter(&self) -> std::slice::Iter<'_, Condition> {
        self.0.iter()
    }

    /// True when there is no condition.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of conditions.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when some kind of condition is given more than once (the spec
    /// then needs the list form).
    pub fn repeats_a_kind(&self) -> bool {
        self.0
            .windows(2)
            .any(|w| std::mem::discriminant(&w[0]) == std::mem::discriminant(&w[1]))
    }
}

impl From<Vec<Condition>> for Conditions {
    fn from(list: Vec<Condition>) -> Conditions {
        Conditions::new(list)
    }
}

impl<'a> IntoIterator for &'a Conditions {
    type Item = &'a Condition;
    type IntoIter = std::slice::Iter<'a, Condition>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

// ---- serialisation in the spec's vocabulary ----

/// One map of the spec's `conditions` (the map form, or one element of the
/// list form).
#[derive(Default, Serialize, Deserialize)]
struct ConditionMap {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    host_header: Option<Patterns>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_pattern: Option<Patterns>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    http_header: Option<HttpHeader>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    http_request_method: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    query_string: Option<Vec<QueryString>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_ip: Option<Vec<String>>,
}

impl ConditionMap {
    fn put(&mut self, c: Condition) {
        match c {
            Condition::HostHeader(p) => self.host_header = Some(p),
            Condition::PathPattern(p) => self.path_pattern = Some(p),
            Condition::HttpHeader(h) => self.http_header = Some(h),
            Condition::HttpRequestMethod(v) => self.http_request_method = Some(v),
            Condition::QueryString(v) => self.query_string = Some(v),
            Condition::SourceIp(v) => self.source_ip = Some(v),
        }
    }

    fn into_conditions(self, out: &mut Vec<Condition>) {
        out.extend(self.host_header.map(Condition::HostHeader));
        out.extend(self.path_pattern.map(Condition::PathPattern));
        out.extend(self.http_header.map(Condition::HttpHeader));
        out.extend(self.http_request_method.map(Condition::HttpRequestMethod));
        out.extend(self.query_string.map(Condition::QueryString));
        out.extend(self.source_ip.map(Condition::SourceIp));
    }
}

/// The list form first: a map never reads as a list, but a list could be
/// read as a struct's fields by position.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum ConditionsRepr {
    List(Vec<ConditionMap>),
    Map(Box<ConditionMap>),
}

impl Serialize for Conditions {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let repr = if self.repeats_a_kind() {
            ConditionsRepr::List(
                self.0
                    .iter()
                    .map(|c| {
                        let mut m = ConditionMap::default();
                        m.put(c.clone());
                        m
                    })
                    .collect(),
            )
        } else {
            let mut m = ConditionMap::default();
            for c in &self.0 {
                m.put(c.clone());
            }
            ConditionsRepr::Map(Box::new(m))
        };
        repr.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Conditions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut list = Vec::new();
        match ConditionsRepr::deserialize(d)? {
            ConditionsRepr::List(maps) => {
                maps.into_iter().for_each(|m| m.into_conditions(&mut list))
            }
            ConditionsRepr::Map(m) => m.into_conditions(&mut list),
        }
        Ok(Conditions::new(list))
    }
}

/// `[values...]` or `{ values, regex }`, as the spec writes them.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum PatternsRepr {
    Values(Vec<String>),
    Map {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        values: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        regex: Vec<String>,
    },
}

impl Serialize for Patterns {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.regex.is_empty() {
            PatternsRepr::Values(self.values.clone()).serialize(s)
        } else {
            PatternsRepr::Map {
                values: self.values.clone(),
                regex: self.regex.clone(),
            }
            .serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Patterns {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match PatternsRepr::deserialize(d)? {
            PatternsRepr::Values(values) => Patterns::values(values),
            PatternsRepr::Map { values, regex } => Patterns { values, regex },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, value: &str) -> Condition {
        Condition::HttpHeader(HttpHeader {
            name: name.into(),
            values: vec![value.into()],
            regex: vec![],
        })
    }

    #[test]
    fn order_does_not_matter() {
        let a = Conditions::new(vec![header("X-B", "b"), header("X-A", "a")]);
        let b = Conditions::new(vec![header("X-A", "a"), header("X-B", "b")]);
        assert_eq!(a, b);
    }

    #[test]
    fn one_of_each_kind_serialises_as_the_map_form() {
        let c = Conditions::new(vec![
            header("X-A", "a"),
            Condition::HostHeader(Patterns::values(vec!["a.example.com".into()])),
        ]);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "host_header": ["a.example.com"],
                "http_header": { "name": "X-A", "values": ["a"] }
            })
        );
        assert_eq!(serde_json::from_value::<Conditions>(json).unwrap(), c);
    }

    #[test]
    fn a_repeated_kind_serialises_as_the_list_form_and_back() {
        let c = Conditions::new(vec![
            header("X-B", "b"),
            header("X-A", "a"),
            Condition::PathPattern(Patterns {
                values: vec![],
                regex: vec!["^/a".into()],
            }),
        ]);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                { "path_pattern": { "regex": ["^/a"] } },
                { "http_header": { "name": "X-A", "values": ["a"] } },
                { "http_header": { "name": "X-B", "values": ["b"] } },
            ])
        );
        assert_eq!(serde_json::from_value::<Conditions>(json).unwrap(), c);
        let empty: Conditions = serde_json::from_value(serde_json::json!({})).unwrap();
        assert!(empty.is_empty());
    }
}
