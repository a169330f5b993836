//! Reading a token without validating it: what it claims, never whether to trust it.

use crate::b64;
use crate::error::{Error, Result};
use crate::jwe::Decrypter;
use crate::token::{self, BEARER_PREFIX_MESSAGE};
use crate::validation::Validator;
use serde_json::{Map, Value};

/// What a token says about itself.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// The protected header: the signed token's, or an unopened encrypted token's.
    pub header: Map<String, Value>,
    /// The signed token's claims; `None` for an encrypted token that was not opened.
    pub claims: Option<Map<String, Value>>,
    /// The payload text as the token carries it; `None` for an encrypted token not opened.
    pub payload_json: Option<String>,
    /// Whether the token came encrypted (a JWE, opened or not).
    pub encrypted: bool,
    /// The JWE header of a nested JWT opened to describe the signed token inside.
    pub outer_header: Option<Map<String, Value>>,
    /// Where `exp` stands as of the inspection, when the token has a numeric `exp`.
    pub expiry: Option<Expiry>,
}

/// `exp` as of an instant, without clock skew: what the token says, not a validation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expiry {
    /// The instant is at or after `exp`.
    pub expired: bool,
    /// `exp` minus the instant (negative once expired).
    pub seconds_left: f64,
}

/// A decoded JSON object segment and its text.
fn decode_object(segment: &str, what: &str) -> Result<(Map<String, Value>, String)> {
    let bytes = b64::decode_strict(segment).ok_or_else(|| Error::token(format!("The token {what} is not valid base64url.")))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::token(format!("The token {what} is not UTF-8 text.")))?;
    let object = serde_json::from_str(&text).map_err(|e| Error::token(format!("The token {what} is not a JSON object: {e}.")))?;
    Ok((object, text))
}

/// Decodes a compact JWS (header and claims) or a compact JWE (its outer header only), within the
/// size limits validation applies.
pub fn inspect(token: &str) -> Result<Inspection> {
    inspect_at(token, crate::time::now())
}

/// As [`inspect`], with the expiry as of `now` (Unix seconds, no clock skew).
pub fn inspect_at(token: &str, now: f64) -> Result<Inspection> {
    token::check_size(token).map_err(|r| Error::token(r.message))?;
    let token = token.trim();
    if token::has_bearer_prefix(token) {
        return Err(Error::token(BEARER_PREFIX_MESSAGE));
    }
    let segments: Vec<&str> = token.split('.').collect();
    // The parts that are not decoded here must still be base64url: nothing rides along unseen.
    if let Some(position) = segments.iter().position(|s| s.bytes().any(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))) {
        return Err(Error::token(format!(
            "Part {} of the token is not base64url: it holds characters other than A-Z, a-z, 0-9, '-' and '_'.",
            position + 1
        )));
    }
    let (header, payload, encrypted) = match segments.len() {
        3 => (decode_object(segments[0], "header")?.0, Some(decode_object(segments[1], "payload")?), false),
        5 => {
            let (header, _) = decode_object(segments[0], "header")?;
            if !header.get("enc").is_some_and(Value::is_string) {
                return Err(Error::token(
                    "The token has five parts, as an encrypted token (JWE) does, but its header has no \"enc\": it is not a JWE.",
                ));
            }
            (header, None, true)
        }
        n => {
            return Err(Error::token(format!(
                "The text is not a compact JWT: it has {n} dot-separated part(s), where a signed token has 3 and an encrypted one 5."
            )))
        }
    };
    let (claims, payload_json) = match payload {
        Some((claims, text)) => (Some(claims), Some(text)),
        None => (None, None),
    };
    let expiry =
        claims.as_ref().and_then(|c| c.get("exp")).and_then(Value::as_f64).map(|exp| Expiry { expired: now >= exp, seconds_left: exp - now });
    Ok(Inspection { header, claims, payload_json, encrypted, outer_header: None, expiry })
}

/// As [`inspect`], but a nested JWT is first opened with one of `decrypters` and the signed token
/// inside is described, with its outer header. Nothing is verified.
pub fn inspect_decrypting(token: &str, decrypters: &[Decrypter]) -> Result<Inspection> {
    let opened = token::open(token, decrypters).map_err(|r| Error::token(format!("{} ({})", r.message, r.reason.name())))?;
    let mut inspection = inspect(&opened.jws)?;
    if let Some(outer) = opened.outer_header {
        inspection.encrypted = true;
        inspection.outer_header = Some(outer);
    }
    Ok(inspection)
}

impl Validator {
    /// Decodes a token without validating it, decrypting a nested JWT with this validator's keys.
    pub fn inspect(&self, token: &str) -> Result<Inspection> {
        inspect_decrypting(token, self.decrypters())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_a_bearer_prefix() {
        let h = b64::encode(br#"{"alg":"HS256"}"#);
        for prefix in ["Bearer ", "bearer  ", "BEARER\t"] {
            let message = inspect(&format!("{prefix}{h}.{h}.sig")).unwrap_err().message;
            assert!(message.contains("'Bearer '") && message.contains("only the token"), "{message}");
        }
    }

    #[test]
    fn explains_malformed_input() {
        assert!(inspect("abc").unwrap_err().message.contains("1 dot-separated"));
        assert!(inspect("a.b.c").unwrap_err().message.contains("header"));
    }
}
