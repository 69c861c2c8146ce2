//! Where each value of a spec file stands (line and column), by spec path.
//!
//! serde_yaml's `Value` forgets positions, so the text is parsed a second time
//! with yaml-rust2's event parser, which reports a marker for every node. The
//! paths use the syntax serde_path_to_error prints
//! (`load_balancers.web.listeners[0].port`), so an error found on the typed
//! structs, or by validation, can be placed in the file. This module only
//! maps paths to places; it never judges the content.

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

enum NodeRole {
    Key(String),
    Value(String),
    Item(String),
    Ignored,
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, ..) => match self.next_node() {
                NodeRole::Key(map) => {
                    let p = join_key(&map, &text);
                    self.locations.keys.insert(p.clone(), place(mark));
                    if let Some(Frame::Map { pending, item, .. }) = self.stack.last_mut() {
                        if let Some(item) = item.take() {
                            self.locations.keys.insert(item, place(mark));
                        }
                        *pending = Some(p);
                    }
                }
                NodeRole::Value(p) => {
                    self.locations.values.insert(p, place(mark));
                }
                NodeRole::Item(p) => {
                    self.locations.keys.insert(p.clone(), place(mark));
                    self.locations.values.insert(p, place(mark));
                }
                NodeRole::Ignored => {}
            },
            Event::Alias(_) => {
                if let NodeRole::Value(p) | NodeRole::Item(p) = self.next_node() {
                    self.locations.values.insert(p, place(mark));
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
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
                let frame = match (frame_path, is_map) {
                    (None, _) => Frame::ComplexKey,
                    (Some(path), true) => Frame::Map {
                        item: is_item.then(|| path.clone()),
                        path,
                        pending: None,
                    },
                    (Some(path), false) => Frame::Seq { path, index: 0 },
                };
                self.stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame::ComplexKey) = self.stack.pop() {
                    // The complex key was a key: its value follows, unindexed.
                    if let Some(Frame::Map { path, pending, .. }) = self.stack.last_mut() {
                        *pending = Some(join_key(path, "?"));
                    }
                }
            }
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
    fn unknown_paths_fall_back_to_the_longest_prefix() {
        let loc = Locations::build(TEXT);
        assert_eq!(loc.locate("target_groups.web.health_check.nope"), (5, 5));
        assert_eq!(loc.locate("load_balancers.lb.listeners[0].x.y"), (10, 9));
        assert_eq!(loc.locate("nothing.here"), (1, 1));
    }
}
