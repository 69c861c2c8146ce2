//! Where each value of a spec file stands (line and column), by spec path.
//!
//! serde_yaml's `Value` forgets positions, so the text is parsed a second time
//! with yaml-rust2's event parser, which reports a marker for every node. The
//! paths use the syntax serde_path_to_error prints
//! (`load_balancers.web.listeners[0].port`), so an error found on the typed
//! structs, or by validation, can be placed in the file. A value that came
//! from an alias or a merge key (`<<: *defaults`) is placed where its
//! anchor wrote it. Besides places, the index keeps the keys written twice
//! in one mapping (serde_yaml reports only the first of them).

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A 1-based line and column.
pub type Place = (usize, usize);

/// Path -> place index of one file.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    /// Position of the key of a mapping entry (or of a sequence item).
    keys: HashMap<String, Place>,
    /// Position of a scalar value.
    values: HashMap<String, Place>,
    /// Keys written twice in one mapping, in file order.
    pub duplicates: Vec<Duplicate>,
}

/// A key written a second time in the same mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The key's path.
    pub path: String,
    pub first: Place,
    pub second: Place,
}

impl Locations {
    /// Index a file's text. A text yaml-rust2 cannot parse yields what was
    /// indexed up to the error (serde_yaml reports the syntax error itself).
    pub fn build(text: &str) -> Locations {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut builder, false);
        builder.locations
    }

    /// Place of a path: a scalar's value, else the key that introduces it,
    /// else the longest known prefix, else 1:1.
    pub fn locate(&self, path: &str) -> Place {
        let mut p = path;
        loop {
            if let Some(place) = self.values.get(p).or_else(|| self.keys.get(p)) {
                return *place;
            }
            match parent(p) {
                Some(up) => p = up,
                None => return (1, 1),
            }
        }
    }

    /// Place of the key of a mapping entry (for "unknown key" errors, where
    /// the key, not its value, is wrong). Falls back like [`Self::locate`].
    pub fn locate_key(&self, path: &str) -> Place {
        match self.keys.get(path) {
            Some(place) => *place,
            None => self.locate(path),
        }
    }

    /// Give every place under `from` (not `from` itself) to the same path
    /// under `to`, where `to` has none of its own yet.
    fn copy_under(&mut self, from: &str, to: &str) {
        for map in [&mut self.keys, &mut self.values] {
            let copies: Vec<(String, Place)> = map
                .iter()
                .filter_map(|(k, v)| {
                    let rest = k.strip_prefix(from)?;
                    if !rest.starts_with(['.', '[']) || (from.is_empty() && rest.starts_with('[')) {
                        return None;
                    }
                    let rest = if to.is_empty() { &rest[1..] } else { rest };
                    Some((format!("{to}{rest}"), *v))
                })
                .collect();
            for (k, v) in copies {
                map.entry(k).or_insert(v);
            }
        }
    }
}

/// The mapping a merge key's alias merges into: `a.<<` and `a.<<[1]`
/// merge into `a`; other paths are no merge.
fn merge_target(path: &str) -> Option<&str> {
    let path = match path.strip_suffix(']') {
        Some(p) => &p[..p.rfind('[')?],
        None => path,
    };
    if path == "<<" {
        return Some("");
    }
    path.strip_suffix(".<<")
}

/// The path one level up: `a.b[0]` -> `a.b`, `a.b` -> `a`, `a` -> none.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    match path.rfind(['.', '[']) {
        Some(i) => Some(&path[..i]),
        None => Some(""),
    }
}

/// Append a mapping key to a path.
pub fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Append a sequence index to a path.
pub fn join_index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

enum Frame {
    Map {
        path: String,
        /// The path of the entry whose value comes next, once its key is read.
        pending: Option<String>,
        /// A mapping that is a sequence item is placed at its first key:
        /// yaml-rust2 marks a block mapping's start after that key.
        item: Option<String>,
        /// Keys read so far, with their places (to find duplicates).
        seen: HashMap<String, Place>,
    },
    Seq {
        path: String,
        index: usize,
    },
    /// A mapping or sequence used as a mapping key: not indexed.
    ComplexKey,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    locations: Locations,
    /// Anchor id -> path of the node that carries it.
    anchors: HashMap<usize, String>,
}

/// yaml-rust2 markers have 1-based lines and 0-based columns.
fn place(mark: Marker) -> Place {
    (mark.line().max(1), mark.col() + 1)
}

impl Builder {
    /// Where the next node goes: `Some(path)` for a value, `None` when the
    /// node is a mapping key (then `key_of` holds the map path).
    fn next_node(&mut self) -> NodeRole {
        match self.stack.last_mut() {
            None => NodeRole::Value(String::new()),
            Some(Frame::Map { path, pending, .. }) => match pending.take() {
                Some(p) => NodeRole::Value(p),
                None => NodeRole::Key(path.clone()),
            },
            Some(Frame::Seq { path, index }) => {
                let p = join_index(path, *index);
                *index += 1;
                NodeRole::Item(p)
            }
            Some(Frame::ComplexKey) => NodeRole::Ignored,
        }
    }
}

impl Builder {
    /// Remember where anchor `id` (0: none) stands.
    fn anchor(&mut self, id: usize, path: &str) {
        if id > 0 {
            self.anchors.insert(id, path.to_string());
        }
    }
}

enum NodeRole {
    Key(String),
    Value(String),
    Item(String),
    Ignored,
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, _, anchor, _) => match self.next_node() {
                NodeRole::Key(map) => {
                    let p = join_key(&map, &text);
                    self.locations.keys.insert(p.clone(), place(mark));
                    if let Some(Frame::Map {
                        pending,
                        item,
                        seen,
                        ..
                    }) = self.stack.last_mut()
                    {
                        if let Some(item) = item.take() {
                            self.locations.keys.insert(item, place(mark));
                        }
                        if let Some(first) = seen.insert(text, place(mark)) {
                            self.locations.duplicates.push(Duplicate {
                                path: p.clone(),
                                first,
                                second: place(mark),
                            });
                        }
                        *pending = Some(p);
                    }
                }
                NodeRole::Value(p) => {
                    self.anchor(anchor, &p);
                    self.locations.values.insert(p, place(mark));
                }
                NodeRole::Item(p) => {
                    self.anchor(anchor, &p);
                    self.locations.keys.insert(p.clone(), place(mark));
                    self.locations.values.insert(p, place(mark));
                }
                NodeRole::Ignored => {}
            },
            Event::Alias(id) => {
                if let NodeRole::Value(p) | NodeRole::Item(p) = self.next_node() {
                    self.locations.values.insert(p.clone(), place(mark));
                    if let Some(from) = self.anchors.get(&id).cloned() {
                        let to = merge_target(&p).unwrap_or(&p);
                        self.locations.copy_under(&from, to);
                    }
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                let is_map = matches!(ev, Event::MappingStart(..));
                let (frame_path, is_item) = match self.next_node() {
                    NodeRole::Key(_) | NodeRole::Ignored => (None, false),
                    NodeRole::Value(p) => (Some(p), false),
                    NodeRole::Item(p) => {
                        // Provisional; a mapping item moves to its first key.
                        self.locations.keys.insert(p.clone(), place(mark));
                        (Some(p), true)
                    }
                };
                if let Some(path) = &frame_path {
                    self.anchor(anchor, path);
                }
                let frame = match (frame_path, is_map) {
                    (None, _) => Frame::ComplexKey,
                    (Some(path), true) => Frame::Map {
                        item: is_item.then(|| path.clone()),
                        path,
                        pending: None,
                        seen: HashMap::new(),
                    },
                    (Some(path), false) => Frame::Seq { path, index: 0 },
                };
                self.stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::ComplexKey) => {
                    // The complex key was a key: its value follows, unindexed.
                    if let Some(Frame::Map { path, pending, .. }) = self.stack.last_mut() {
                        *pending = Some(join_key(path, "?"));
                    }
                }
                // A mapping written inside a merge key (`<<: [*d, { x: 1 }]`)
                // places the keys it merges, like an alias.
                Some(Frame::Map { path, .. }) => {
                    if let Some(to) = merge_target(&path) {
                        let to = to.to_string();
                        self.locations.copy_under(&path, &to);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
version: 1
target_groups:
  web:
    port: 80
    health_check:
      path: /health
load_balancers:
  lb:
    listeners:
      - port: 443
        protocol: HTTPS
      - { port: 80, protocol: HTTP }
    subnets: [subnet-a, subnet-b]
";

    #[test]
    fn scalars_are_located_at_their_value() {
        let loc = Locations::build(TEXT);
        assert_eq!(loc.locate("version"), (1, 10));
        assert_eq!(loc.locate("target_groups.web.port"), (4, 11));
        assert_eq!(loc.locate("target_groups.web.health_check.path"), (6, 13));
    }

    #[test]
    fn mappings_are_located_at_their_key() {
        let loc = Locations::build(TEXT);
        assert_eq!(loc.locate("target_groups.web"), (3, 3));
        assert_eq!(loc.locate("target_groups.web.health_check"), (5, 5));
        assert_eq!(loc.locate_key("target_groups.web.port"), (4, 5));
    }

    #[test]
    fn sequence_items_and_flow_collections() {
        let loc = Locations::build(TEXT);
        assert_eq!(
            loc.locate("load_balancers.lb.listeners[0].protocol"),
            (11, 19)
        );
        assert_eq!(loc.locate("load_balancers.lb.listeners[1].port"), (12, 17));
        assert_eq!(loc.locate("load_balancers.lb.subnets[1]"), (13, 25));
    }

    #[test]
    fn merged_and_aliased_values_are_placed_at_their_anchor() {
        let text = "\
a: &d
  x: 1
  y: { z: 2 }
b:
  <<: *d
  x: 3
c: *d
e:
  <<: [*d]
";
        let loc = Locations::build(text);
        assert_eq!(loc.locate("b.x"), (6, 6), "own keys win");
        assert_eq!(loc.locate("b.y.z"), (3, 11));
        assert_eq!(loc.locate("c.x"), (2, 6));
        assert_eq!(loc.locate("c"), (7, 4));
        assert_eq!(loc.locate("e.y.z"), (3, 11));
        assert!(loc.duplicates.is_empty());
    }

    #[test]
    fn keys_of_a_mapping_inside_a_merge_key_are_placed_where_written() {
        let text = "a: &d\n  x: 1\nf:\n  <<: [*d, { w: 2, x: 4 }]\n  v: 5\ng:\n  <<: { u: 6 }\n";
        let loc = Locations::build(text);
        assert_eq!(loc.locate_key("f.w"), (4, 14));
        assert_eq!(loc.locate("f.x"), (2, 6), "the first merged mapping wins");
        assert_eq!(loc.locate("f.v"), (5, 6));
        assert_eq!(loc.locate_key("g.u"), (7, 9));
    }

    #[test]
    fn keys_written_twice_are_kept_with_both_places() {
        let loc = Locations::build("a:\n  x: 1\n  y: 2\n  x: 3\nb: { y: 1, y: 2 }\n");
        let dups: Vec<(&str, Place, Place)> = loc
            .duplicates
            .iter()
            .map(|d| (d.path.as_str(), d.first, d.second))
            .collect();
        assert_eq!(dups, [("a.x", (2, 3), (4, 3)), ("b.y", (5, 6), (5, 12))]);
    }

    #[test]
    fn unknown_paths_fall_back_to_the_longest_prefix() {
        let loc = Locations::build(TEXT);
        assert_eq!(loc.locate("target_groups.web.health_check.nope"), (5, 5));
        assert_eq!(loc.locate("load_balancers.lb.listeners[0].x.y"), (10, 9));
        assert_eq!(loc.locate("nothing.here"), (1, 1));
    }
}
