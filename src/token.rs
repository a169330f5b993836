//! A compact token as it is received: its size limits, the bearer-scheme slip, and a nested JWT
//! opened down to the signed token inside; and the audiences a claim set names. Validation and
//! inspection both start here, so that they read a token the same way.

use crate::jwe::{self, Decrypted, Decrypter};
use crate::jws;
use crate::refusal::{Reason, Refusal};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// What a refused token's text is told when it starts with the authentication scheme.
pub(crate) const BEARER_PREFIX_MESSAGE: &str =
    "The token starts with 'Bearer ', the HTTP authentication scheme: pass only the token that follows it.";

/// A token ready for signature verification, with the JWE header it came in, if any.
pub(crate) struct Opened<'t> {
    /// Borrowed from the input unless it had to be decrypted.
    pub jws: Cow<'t, str>,
    pub outer_header: Option<Map<String, Value>>,
}

/// The signed token to verify: the token itself, or for a nested JWT the JWS inside it, opened
/// with whichever of `decrypters` can. The size limit applies to the whole input, before anything
/// is trimmed or decoded.
pub(crate) fn open<'t>(token: &'t str, decrypters: &[Decrypter]) -> Result<Opened<'t>, Refusal> {
    check_size(token)?;
    let token = token.trim();
    if token.is_empty() {
        return Err(Refusal::new(Reason::Malformed, "The token is empty."));
    }
    if has_bearer_prefix(token) {
        return Err(Refusal::new(Reason::Malformed, BEARER_PREFIX_MESSAGE));
    }
    if !is_encrypted(token) {
        return Ok(Opened { jws: Cow::Borrowed(token), outer_header: None });
    }
    let decrypted = jwe::decrypt_with_any(decrypters, token).map_err(|r| Refusal::new(r.reason, r.message))?;
    nested_jws(decrypted)
}

/// Five dot-separated parts: the compact form of an encrypted token (JWE).
fn is_encrypted(token: &str) -> bool {
    token.bytes().filter(|b| *b == b'.').count() == 4
}

/// Refuses input above the size limit of its form: [`jws::MAX_TOKEN_BYTES`] for a signed token,
/// [`jwe::MAX_TOKEN_BYTES`] for an encrypted one (five parts).
pub(crate) fn check_size(token: &str) -> Result<(), Refusal> {
    let limit = if is_encrypted(token) { jwe::MAX_TOKEN_BYTES } else { jws::MAX_TOKEN_BYTES };
    if token.len() > limit {
        return Err(Refusal::new(Reason::TooLarge, format!("The token is {} bytes; tokens above {limit} bytes are refused.", token.len())));
    }
    Ok(())
}

/// A token received as bytes (the C ABI passes its length): its text, or the refusal of bytes
/// that cannot be a token (above every size limit, not UTF-8).
pub fn text(bytes: &[u8]) -> Result<&str, Refusal> {
    if bytes.len() > jwe::MAX_TOKEN_BYTES {
        return Err(Refusal::new(
            Reason::TooLarge,
            format!("The token is {} bytes; tokens above {} bytes are refused.", bytes.len(), jwe::MAX_TOKEN_BYTES),
        ));
    }
    std::str::from_utf8(bytes).map_err(|_| Refusal::new(Reason::Malformed, "The token is not text: it is not valid UTF-8."))
}

/// Whether a token still carries the HTTP authentication scheme (`Bearer eyJ...`): a common slip when
/// a header value is passed on whole.
pub(crate) fn has_bearer_prefix(token: &str) -> bool {
    const SCHEME: &str = "bearer";
    let bytes = token.as_bytes();
    bytes.len() > SCHEME.len() && bytes[..SCHEME.len()].eq_ignore_ascii_case(SCHEME.as_bytes()) && bytes[SCHEME.len()].is_ascii_whitespace()
}

/// The payload of a nested JWT must be a JWS announced by `cty: JWT` (RFC 7519 §5.2).
fn nested_jws(decrypted: Decrypted) -> Result<Opened<'static>, Refusal> {
    let announced = decrypted.header.get("cty").and_then(Value::as_str).is_some_and(|c| c.eq_ignore_ascii_case("JWT"));
    if !announced {
        return Err(Refusal::new(Reason::Malformed, "The encrypted token does not hold a JWT: its header lacks \"cty\": \"JWT\"."));
    }
    // Its size is checked with its signature (jws::verify_compact).
    let jws = String::from_utf8(decrypted.plaintext).map_err(|_| Refusal::new(Reason::Malformed, "The encrypted token's content is not text."))?;
    Ok(Opened { jws: Cow::Owned(jws), outer_header: Some(decrypted.header) })
}

/// `aud` as a list, whether the claims hold a string or an array of strings.
pub fn audiences(claims: &Map<String, Value>) -> Vec<String> {
    match claims.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_found_in_any_case_before_whitespace() {
        assert!(has_bearer_prefix("Bearer eyJ"));
        assert!(has_bearer_prefix("bearer\teyJ"));
        assert!(!has_bearer_prefix("Bearer"));
        assert!(!has_bearer_prefix("BearerX eyJ"));
    }

    #[test]
    fn audiences_come_as_a_list() {
        let claims = |aud: Value| serde_json::json!({ "aud": aud }).as_object().unwrap().clone();
        assert_eq!(audiences(&claims("a".into())), ["a"]);
        assert_eq!(audiences(&claims(serde_json::json!(["a", 5, "b"]))), ["a", "b"]);
        assert!(audiences(&Map::new()).is_empty());
    }

    #[test]
    fn bytes_that_cannot_be_a_token_are_refused_with_their_reason() {
        assert_eq!(text(b"a.b.c").unwrap(), "a.b.c");
        assert_eq!(text(b"a.\xff.c").unwrap_err().reason, Reason::Malformed);
        assert_eq!(text(&vec![b'a'; jwe::MAX_TOKEN_BYTES + 1]).unwrap_err().reason, Reason::TooLarge);
    }
}
