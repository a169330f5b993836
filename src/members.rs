//! An ordered JSON object being written: a JOSE header or a JWT payload as the builder lays it
//! out. A plain list is cheaper than a map for the dozen members a token has, and it keeps order.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

#[derive(Debug, Default)]
pub(crate) struct Members(Vec<(String, Value)>);

impl Members {
    /// Sets a member; an existing one keeps its place and takes the new value.
    pub fn set(&mut self, name: &str, value: Value) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some((_, existing)) => *existing = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("JSON values always serialize")
    }
}

impl Serialize for Members {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl FromIterator<(String, Value)> for Members {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(items: I) -> Members {
        let mut members = Members::default();
        for (name, value) in items {
            members.set(&name, value);
        }
        members
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_replaces_in_place() {
        let mut m = Members::default();
        m.set("alg", "HS256".into());
        m.set("typ", "JWT".into());
        m.set("alg", "HS512".into());
        m.set("x", serde_json::json!([1, "a"]));
        assert_eq!(m.to_json(), r#"{"alg":"HS512","typ":"JWT","x":[1,"a"]}"#);
    }
}
