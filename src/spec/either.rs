//! `either!`: serde support for keys written as a scalar or a mapping
//! (`forward: web` or `forward: { target_groups: [...] }`, `vpc: vpc-1` or
//! `vpc: { tags: {...} }`, `access_logs: false` or `{ bucket: ... }`).
//!
//! serde's untagged enums would do this but report "data did not match any
//! variant" and lose the path inside the mapping. Handing the mapping to the
//! derived struct through `MapAccessDeserializer` keeps serde_path_to_error
//! tracking, so an unknown key inside still gets its exact place.

/// Implement `Deserialize` for an enum with a scalar variant and a mapping
/// variant. `either!(T, "expecting", Scalar, Map)` takes a string for the
/// scalar; `either!(T, "expecting", Scalar: bool, Map)` takes a boolean.
macro_rules! either {
    ($ty:ident, $expecting:literal, $scalar:ident, $map:ident) => {
        $crate::spec::either::either!(@impl $ty, $expecting, $map,
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                Ok($ty::$scalar(v.to_string()))
            }
        );
    };
    ($ty:ident, $expecting:literal, $scalar:ident: bool, $map:ident) => {
        $crate::spec::either::either!(@impl $ty, $expecting, $map,
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<$ty, E> {
                Ok($ty::$scalar(v))
            }
        );
    };
    (@impl $ty:ident, $expecting:literal, $map:ident, $visit_scalar:item) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    $visit_scalar
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        serde::Deserialize::deserialize(
                            serde::de::value::MapAccessDeserializer::new(map),
                        )
                        .map($ty::$map)
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

pub(crate) use either;
