//! Reading a token without validating it (Get-KrJWTInfo): what it claims, never whether to trust it.

use crate::b64;
use crate::build_result::audiences_of;
use crate::error::{Error, Result};
use crate::jwe::Decrypter;
use crate::validation::{check_size, has_bearer_prefix, open_token, BEARER_PREFIX_MESSAGE};
use serde_json::{json, Map, Value};

/// A decoded JSON object segment and its text.
fn decode_object(segment: &str, what: &str) -> Result<(Map<String, Value>, String)> {
    let bytes = b64::decode_strict(segment).ok_or_else(|| Error::token(format!("The token {what} is not valid base64url.")))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::token(format!("The token {what} is not UTF-8 text.")))?;
    let object = serde_json::from_str(&text).map_err(|e| Error::token(format!("The token {what} is not a JSON object: {e}.")))?;
    Ok((object, text))
}

/// Decodes a compact JWS (header and claims) or a compact JWE (its outer header only), within the
/// size limits validation applies.
pub fn inspect(token: &str) -> Result<Value> {
    inspect_at(token, crate::time::now())
}

/// As [`inspect`], with `expired` and `expiresInSeconds` as of `now` (Unix seconds, no clock skew):
/// what the token says about itself, not a validation.
pub fn inspect_at(token: &str, now: f64) -> Result<Value> {
    check_size(token).map_err(|r| Error::token(r.message))?;
    let token = token.trim();
    if has_bearer_prefix(token) {
        return Err(Error::token(BEARER_PREFIX_MESSAGE));
    }
    let segments: Vec<&str> = token.split('.').collect();
    // The parts that are not decoded here must still be base64url: nothing rides along unseen.
    if let Some(position) = segments.iter().position(|s| s.bytes().any(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))) {
        return Err(Error::token(format!("Part {} of the token is not base64url: it holds characters other than A-Z, a-z, 0-9, '-' and '_'.", position + 1)));
    }
    let (header, payload, encrypted) = match segments.len() {
        3 => (decode_object(segments[0], "header")?.0, Some(decode_object(segments[1], "payload")?), false),
        5 => {
            let (header, _) = decode_object(segments[0], "header")?;
            if !header.get("enc").is_some_and(Value::is_string) {
                return Err(Error::token("The token has five parts, as an encrypted token (JWE) does, but its header has no \"enc\": it is not a JWE."));
            }
            (header, None, true)
        }
        n => {
            return Err(Error::token(format!(
                "The text is not a compact JWT: it has {n} dot-separated part(s), where a signed token has 3 and an encrypted one 5."
            )))
        }
    };
    let mut description = describe(&header, payload.as_ref().map(|(claims, _)| claims), encrypted);
    let expires = description["expires"].as_f64();
    description["payloadJson"] = payload.map(|(_, text)| text).into();
    description["expired"] = expires.map(|exp| now >= exp).into();
    description["expiresInSeconds"] = expires.map(|exp| exp - now).into();
    Ok(description)
}

/// As [`inspect`], but a nested JWT is first opened with one of `decrypters` and the signed token
/// inside is described, with `outerHeader`. Nothing is verified.
pub fn inspect_decrypting(token: &str, decrypters: &[Decrypter]) -> Result<Value> {
    let opened = open_token(token, decrypters).map_err(|r| Error::token(format!("{} ({})", r.message, r.reason.name())))?;
    let mut description = inspect(&opened.jws)?;
    if let Some(outer) = opened.outer_header {
        description["encrypted"] = true.into();
        description["outerHeader"] = Value::Object(outer);
    }
    Ok(description)
}

/// The shape shared by inspection and build results.
pub(crate) fn describe(header: &Map<String, Value>, claims: Option<&Map<String, Value>>, encrypted: bool) -> Value {
    let claim = |name: &str| claims.and_then(|c| c.get(name)).cloned().unwrap_or(Value::Null);
    let time = |name: &str| claims.and_then(|c| c.get(name)).filter(|v| v.is_number()).cloned().unwrap_or(Value::Null);
    json!({
        "algorithm": header.get("alg"),
        "keyId": header.get("kid"),
        "type": header.get("typ"),
        "contentType": header.get("cty"),
        "encryption": header.get("enc"),
        "issuer": claim("iss").as_str(),
        "audiences": claims.map(audiences_of).unwrap_or_default(),
        "subject": claim("sub").as_str(),
        "issuedAt": time("iat"),
        "notBefore": time("nbf"),
        "expires": time("exp"),
        "header": header,
        "claims": claims,
        "encrypted": encrypted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_signed_tokens_keeping_json_types() {
        let h = b64::encode(br#"{"alg":"HS256","typ":"JWT","kid":"k"}"#);
        let p = b64::encode(br#"{"sub":"a","role":["x","y"],"n":5,"aud":["a1","a2"],"exp":10}"#);
        let info = inspect(&format!("{h}.{p}.sig")).unwrap();
        assert_eq!(info["claims"]["role"], json!(["x", "y"]));
        assert_eq!(info["claims"]["n"], json!(5));
        assert_eq!(info["audiences"], json!(["a1", "a2"]));
        assert_eq!(info["subject"], "a");
        assert_eq!(info["expires"], 10);
        assert_eq!(info["keyId"], "k");
        assert_eq!(info["encrypted"], false);
    }

    #[test]
    fn reports_the_payload_text_and_time_left_without_validating() {
        let h = b64::encode(br#"{"alg":"HS256"}"#);
        let p = b64::encode(br#"{"sub":"a", "exp":100}"#);
        let token = format!("{h}.{p}.sig");
        let early = inspect_at(&token, 40.0).unwrap();
        assert_eq!(early["payloadJson"], r#"{"sub":"a", "exp":100}"#, "the text as the token carries it");
        assert_eq!(early["expired"], false);
        assert_eq!(early["expiresInSeconds"], 60.0);
        let late = inspect_at(&token, 100.0).unwrap();
        assert_eq!(late["expired"], true, "expired at exp itself, as validation says");
        assert_eq!(late["expiresInSeconds"], 0.0);
        let no_exp = inspect_at(&format!("{h}.{}.sig", b64::encode(br#"{"sub":"a"}"#)), 40.0).unwrap();
        assert_eq!((no_exp["expired"].clone(), no_exp["expiresInSeconds"].clone()), (Value::Null, Value::Null));
    }

    #[test]
    fn names_a_bearer_prefix() {
        let h = b64::encode(br#"{"alg":"HS256"}"#);
        for prefix in ["Bearer ", "bearer  ", "BEARER\t"] {
            let message = inspect(&format!("{prefix}{h}.{h}.sig")).unwrap_err().message;
            assert!(message.contains("'Bearer '") && message.contains("only the token"), "{message}");
        }
    }

    #[test]
    fn reads_the_outer_header_of_encrypted_tokens() {
        let h = b64::encode(br#"{"alg":"dir","enc":"A256GCM","cty":"JWT"}"#);
        let info = inspect(&format!("{h}..iv.ct.tag")).unwrap();
        assert_eq!(info["encrypted"], true);
        assert_eq!(info["encryption"], "A256GCM");
        assert_eq!(info["claims"], Value::Null);
    }

    #[test]
    fn applies_the_size_limits_of_validation_to_the_whole_input() {
        let h = b64::encode(br#"{"alg":"dir","enc":"A256GCM"}"#);
        let big_jwe = format!("{h}..iv.{}.tag", "A".repeat(100_000));
        assert_eq!(inspect(&big_jwe).unwrap()["encrypted"], true, "encrypted tokens may be up to 256 KiB");
        let padded = format!("{}{}", " ".repeat(70_000), "a.b.c");
        assert!(inspect(&padded).unwrap_err().message.contains("above 65536 bytes"));
    }

    #[test]
    fn explains_malformed_input() {
        assert!(inspect("abc").unwrap_err().message.contains("1 dot-separated"));
        assert!(inspect("a.b.c").unwrap_err().message.contains("header"));
    }
}
