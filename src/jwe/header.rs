//! The compact serialization (RFC 7516 §7.1) and the protected header's members.

use crate::b64;
use serde_json::{Map, Value};

/// Encrypted tokens above this size are refused before any decoding.
pub const MAX_TOKEN_BYTES: usize = 256 * 1024;

/// Members KrJwt writes itself; callers' extra members may not replace them (`zip` and `crit`
/// are never written: KrJwt neither compresses nor uses critical extensions).
pub(super) const RESERVED: [&str; 9] = ["alg", "enc", "zip", "crit", "epk", "iv", "tag", "p2s", "p2c"];

/// The five segments of a compact JWE, still encoded.
#[derive(Debug)]
pub(super) struct Parts<'a> {
    pub header: &'a str,
    pub encrypted_key: &'a str,
    pub iv: &'a str,
    pub ciphertext: &'a str,
    pub tag: &'a str,
}

pub(super) fn split(token: &str) -> Result<Parts<'_>, String> {
    let segments: Vec<&str> = token.split('.').collect();
    match segments[..] {
        [header, encrypted_key, iv, ciphertext, tag] => Ok(Parts { header, encrypted_key, iv, ciphertext, tag }),
        _ => Err(format!(
            "The token is not a compact JWE: it must have five base64url parts separated by dots \
             (header.encryptedKey.iv.ciphertext.tag), and it has {}.",
            segments.len()
        )),
    }
}

/// Decodes the protected header: its bytes and its members.
pub(super) fn parse(encoded: &str) -> Result<(Vec<u8>, Map<String, Value>), String> {
    let bytes = b64::decode_strict(encoded).ok_or("The JWE protected header is not valid base64url.")?;
    let members = crate::json::object(&bytes).map_err(|e| format!("The JWE protected header is not a valid JSON object: {e}."))?;
    Ok((bytes, members))
}

pub(super) fn string_member<'a>(header: &'a Map<String, Value>, name: &str) -> Result<&'a str, String> {
    match header.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("The JWE header member '{name}' must be a string.")),
        None => Err(format!("The JWE header has no '{name}' member, which every encrypted token needs.")),
    }
}

/// A base64url string member, decoded; `None` when absent.
pub(super) fn b64_member(header: &Map<String, Value>, name: &str) -> Result<Option<Vec<u8>>, String> {
    match header.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => b64::decode_strict(s).map(Some).ok_or_else(|| format!("The JWE header member '{name}' is not valid base64url.")),
        Some(_) => Err(format!("The JWE header member '{name}' must be a base64url string.")),
    }
}

pub(super) fn required_b64_member(header: &Map<String, Value>, name: &str, meaning: &str) -> Result<Vec<u8>, String> {
    b64_member(header, name)?.ok_or_else(|| format!("The token has no '{name}' header member ({meaning}), which its algorithm requires."))
}

/// A body segment, decoded strictly.
pub(super) fn segment(encoded: &str, what: &str) -> Result<Vec<u8>, String> {
    b64::decode_strict(encoded).ok_or_else(|| format!("The JWE {what} is not valid base64url."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_needs_exactly_five_segments() {
        assert!(split("a..c.d.e").is_ok());
        assert!(split("a.b.c").unwrap_err().contains("it has 3"));
        assert!(split("a.b.c.d.e.f").unwrap_err().contains("it has 6"));
    }

    #[test]
    fn duplicate_members_are_refused() {
        let e = parse(&b64::encode(br#"{"alg":"dir","enc":"A128GCM","alg":"A128KW"}"#)).unwrap_err();
        assert!(e.contains("'alg' appears twice"), "{e}");
        assert!(parse(&b64::encode(br#"{"alg":"dir","enc":"A128GCM","x":1}"#)).is_ok());
        assert!(parse(&b64::encode(b"[1]")).unwrap_err().contains("JSON object"));
        assert!(parse("e30=").unwrap_err().contains("base64url"));
    }
}
