//! Reading JSON from tokens: objects only, with unique member names (RFC 7515 §4, RFC 7516 §4),
//! so that no two readers of a token can see different values, and nesting bounded.

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// Deeper nesting than this is refused: no JOSE header, claim set or key needs it.
pub(crate) const MAX_DEPTH: usize = 64;

/// Parses a JSON object, refusing anything else, any member named twice at the top level, and
/// nesting deeper than [`MAX_DEPTH`].
pub(crate) fn object(bytes: &[u8]) -> Result<Map<String, Value>, serde_json::Error> {
    Ok(read(bytes, None)?.into_iter().collect())
}

/// Reads only the members named in `wanted` (in that order), under the same rules as [`object`],
/// skipping the others without building them: the validation fast path.
pub(crate) fn select<const N: usize>(bytes: &[u8], wanted: [&str; N]) -> Result<[Option<Value>; N], serde_json::Error> {
    let mut found: [Option<Value>; N] = std::array::from_fn(|_| None);
    for (name, value) in read(bytes, Some(&wanted))? {
        if let Some(slot) = wanted.iter().position(|w| *w == name) {
            found[slot] = Some(value);
        }
    }
    Ok(found)
}

/// Parses JSON text whose objects, at every depth, name each member once (a JWK or JWK Set: two
/// readers of a key must not see different keys), with nesting bounded as for tokens.
pub(crate) fn unique_value(text: &str) -> Result<Value, serde_json::Error> {
    if nesting_exceeds(text.as_bytes(), MAX_DEPTH) {
        return Err(serde_json::Error::custom(format!("nesting deeper than {MAX_DEPTH} levels (the recursion limit)")));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let UniqueValue(value) = UniqueValue::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// For a `deserialize_with` field: an optional value read as [`unique_value`] reads it.
pub(crate) fn optional_unique_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Ok(Option::<UniqueValue>::deserialize(deserializer)?.map(|UniqueValue(value)| value))
}

fn read(bytes: &[u8], wanted: Option<&[&str]>) -> Result<Vec<(String, Value)>, serde_json::Error> {
    // JSON text is UTF-8 (RFC 8259 §8.1); checked up front because skipped values are not.
    let text = std::str::from_utf8(bytes).map_err(|_| serde_json::Error::custom("the text is not valid UTF-8"))?;
    if nesting_exceeds(text.as_bytes(), MAX_DEPTH) {
        return Err(serde_json::Error::custom(format!("nesting deeper than {MAX_DEPTH} levels (the recursion limit)")));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let members = UniqueObject { wanted }.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(members)
}

/// Whether brackets outside strings nest deeper than `limit` (serde skips unread values without
/// its recursion limit, so the bound is checked on the text).
pub(crate) fn nesting_exceeds(bytes: &[u8], limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' if depth == limit => return true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    false
}

/// A JSON object whose member names are unique: a duplicate is refused rather than letting the
/// last one win. `wanted` (None: all) names the members whose values are built.
struct UniqueObject<'w> {
    wanted: Option<&'w [&'w str]>,
}

impl<'de> DeserializeSeed<'de> for UniqueObject<'_> {
    type Value = Vec<(String, Value)>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for UniqueObject<'_> {
    type Value = Vec<(String, Value)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut seen: Vec<Cow<'de, str>> = Vec::new();
        let mut members = Vec::new();
        while let Some(Name(name)) = access.next_key::<Name<'de>>()? {
            if seen.contains(&name) {
                return Err(A::Error::custom(format!("duplicate member: '{name}' appears twice")));
            }
            if self.wanted.map_or(true, |w| w.contains(&name.as_ref())) {
                members.push((name.to_string(), access.next_value::<Value>()?));
            } else {
                access.next_value::<Checked>()?;
            }
            seen.push(name);
        }
        Ok(members)
    }
}

/// A JSON value in which every object names each member once.
struct UniqueValue(Value);

/// A value read and checked exactly as a full parse would (numbers in range, valid escapes) but not
/// kept: `IgnoredAny` skips without those checks, and the fast and detailed paths must agree.
struct Checked;

/// What reading any JSON value makes of it; [`AnyValue`] does the reading.
trait Reading<'de>: Sized {
    fn scalar(value: impl Into<Value>) -> Self;
    fn array<A: SeqAccess<'de>>(items: A) -> Result<Self, A::Error>;
    fn object<A: MapAccess<'de>>(members: A) -> Result<Self, A::Error>;
}

impl<'de> Reading<'de> for UniqueValue {
    fn scalar(value: impl Into<Value>) -> Self {
        UniqueValue(value.into())
    }
    fn array<A: SeqAccess<'de>>(mut items: A) -> Result<Self, A::Error> {
        let mut values = Vec::new();
        while let Some(UniqueValue(item)) = items.next_element()? {
            values.push(item);
        }
        Ok(UniqueValue(Value::Array(values)))
    }
    fn object<A: MapAccess<'de>>(mut members: A) -> Result<Self, A::Error> {
        let mut map = Map::new();
        while let Some(Name(name)) = members.next_key::<Name<'de>>()? {
            if map.contains_key(name.as_ref()) {
                return Err(A::Error::custom(format!("duplicate member: '{name}' appears twice")));
            }
            let UniqueValue(value) = members.next_value()?;
            map.insert(name.into_owned(), value);
        }
        Ok(UniqueValue(Value::Object(map)))
    }
}

impl<'de> Deserialize<'de> for UniqueValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyValue(std::marker::PhantomData))
    }
}

impl<'de> Reading<'de> for Checked {
    fn scalar(_: impl Into<Value>) -> Self {
        Checked
    }
    fn array<A: SeqAccess<'de>>(mut items: A) -> Result<Self, A::Error> {
        while items.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn object<A: MapAccess<'de>>(mut members: A) -> Result<Self, A::Error> {
        while members.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyValue(std::marker::PhantomData))
    }
}

/// Visits any JSON value, handing scalars, arrays and objects to the [`Reading`] `R`.
struct AnyValue<R>(std::marker::PhantomData<R>);

impl<'de, R: Reading<'de>> Visitor<'de> for AnyValue<R> {
    type Value = R;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<R, E> {
        Ok(R::scalar(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<R, E> {
        Ok(R::scalar(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<R, E> {
        Ok(R::scalar(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<R, E> {
        Ok(R::scalar(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<R, E> {
        Ok(R::scalar(v))
    }
    fn visit_string<E>(self, v: String) -> Result<R, E> {
        Ok(R::scalar(v))
    }
    fn visit_unit<E>(self) -> Result<R, E> {
        Ok(R::scalar(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, items: A) -> Result<R, A::Error> {
        R::array(items)
    }
    fn visit_map<A: MapAccess<'de>>(self, members: A) -> Result<R, A::Error> {
        R::object(members)
    }
}

/// A member name, borrowed from the token's text unless it holds escapes.
struct Name<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_only_unique_members_bounded_depth() {
        assert!(object(br#"{"a":1,"b":[1,{"c":2}]}"#).is_ok());
        assert!(object(b"[1,2]").is_err());
        assert!(object(br#"{"a":1,"a":2}"#).unwrap_err().to_string().contains("appears twice"));
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(70), "]".repeat(70));
        assert!(object(deep.as_bytes()).unwrap_err().to_string().contains("nesting"));
        let in_string = format!("{{\"a\":\"{}\"}}", "[".repeat(70));
        assert!(object(in_string.as_bytes()).is_ok(), "brackets inside strings do not nest");
    }

    #[test]
    fn select_reads_only_what_it_names_with_the_same_rules() {
        let [exp, iss] = select(br#"{"exp":5,"x":{"y":[1]},"iss":"i"}"#, ["exp", "iss"]).unwrap();
        assert_eq!((exp, iss), (Some(Value::from(5)), Some(Value::from("i"))));
        assert!(select(br#"{"x":1,"x":2}"#, ["exp"]).is_err(), "duplicates of any member are refused");
        assert!(select(b"[]", ["exp"]).is_err());
        // Found by fuzzing: what a full parse refuses in a skipped value, the fast path refuses too.
        assert!(select(b"{\"x\":\"a\x9ab\",\"exp\":1}", ["exp"]).is_err());
        assert!(select(br#"{"x":7e400,"exp":1}"#, ["exp"]).is_err());
        assert!(object(br#"{"x":7e400,"exp":1}"#).is_err());
    }

    #[test]
    fn unique_values_refuse_duplicates_at_every_depth() {
        assert_eq!(unique_value(r#"{"a":[{"b":1,"c":null}],"d":2.5}"#).unwrap()["a"][0]["b"], 1);
        for text in [r#"{"a":1,"a":2}"#, r#"{"keys":[{"kty":"oct","kty":"RSA"}]}"#, r#"[{"x":{"y":1,"y":1}}]"#] {
            assert!(unique_value(text).unwrap_err().to_string().contains("appears twice"), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        assert!(unique_value(&deep).unwrap_err().to_string().contains("nesting"));
    }
}
