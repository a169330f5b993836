//! Reading JSON from tokens: objects only, with unique member names (RFC 7515 §4, RFC 7516 §4),
//! so that no two readers of a token can see different values. Nesting is bounded by serde_json's
//! recursion limit (128).

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::fmt;

/// Parses a JSON object, refusing anything else and any member named twice at the top level.
pub(crate) fn object(bytes: &[u8]) -> Result<Map<String, Value>, serde_json::Error> {
    serde_json::from_slice::<UniqueMembers>(bytes).map(|UniqueMembers(members)| members)
}

/// A JSON object whose member names are unique: a duplicate is refused rather than letting the
/// last one win (RFC 7516 §4), so that no two readers of a token can see different values.
struct UniqueMembers(Map<String, Value>);

impl<'de> Deserialize<'de> for UniqueMembers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = UniqueMembers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<UniqueMembers, A::Error> {
                let mut members = Map::new();
                while let Some((name, value)) = access.next_entry::<String, Value>()? {
                    if members.contains_key(&name) {
                        return Err(A::Error::custom(format!("duplicate member: '{name}' appears twice")));
                    }
                    members.insert(name, value);
                }
                Ok(UniqueMembers(members))
            }
        }
        deserializer.deserialize_map(ObjectVisitor)
    }
}

