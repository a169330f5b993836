//! JSON Web Keys (RFC 7517) and their thumbprints (RFC 7638).

use super::usage::{self, Operations};
use super::{asymmetric, JwkMetadata, Key, Purpose};
use crate::algorithms::jwe::{ContentEncryption, KeyManagement};
use crate::algorithms::jws::Algorithm;
use crate::b64;
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

/// The members RFC 7638 §3.2 hashes for each key type, already in lexicographic order.
fn required_members(kty: &str) -> Option<&'static [&'static str]> {
    match kty {
        "RSA" => Some(&["e", "kty", "n"]),
        "EC" => Some(&["crv", "kty", "x", "y"]),
        "OKP" => Some(&["crv", "kty", "x"]),
        "oct" => Some(&["k", "kty"]),
        _ => None,
    }
}

/// SHA-256 over the canonical JSON of `(name, value)` pairs given in lexicographic order.
pub(crate) fn thumbprint_of_members(members: &[(&str, &str)]) -> String {
    let mut canonical = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            canonical.push(',');
        }
        // serde_json escapes exactly as RFC 7638 requires (no whitespace, minimal escapes).
        canonical.push_str(&Value::from(*name).to_string());
        canonical.push(':');
        canonical.push_str(&Value::from(*value).to_string());
    }
    canonical.push('}');
    b64::encode(&Sha256::digest(canonical.as_bytes()))
}

fn parse_object(json: &str) -> Result<Map<String, Value>> {
    if json.trim().is_empty() {
        return Err(Error::json("The JWK JSON is empty. Supply a JSON object such as {\"kty\":\"oct\",\"k\":\"...\"}."));
    }
    // Member names must be unique: two readers of one JWK must not see two different keys.
    match crate::json::unique_value(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::json("The JWK must be a JSON object with a \"kty\" member.")),
        Err(e) => Err(Error::json(format!("The JWK is not valid JSON: {e}."))),
    }
}

fn string_member<'a>(jwk: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    match jwk.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) | None => Err(Error::key(format!("The JWK has no \"{name}\" member, which its key type requires."))),
        Some(_) => Err(Error::key(format!("The JWK member \"{name}\" must be a string."))),
    }
}

/// RFC 7638 thumbprint of a shared secret, `{"k":"…","kty":"oct"}`, hashed without leaving copies
/// of the secret behind (base64url needs no JSON escaping).
pub(crate) fn secret_thumbprint(secret: &[u8]) -> String {
    let mut k = Zeroizing::new(String::with_capacity(secret.len() * 4 / 3 + 4));
    b64::encode_into(secret, &mut k);
    let mut hash = Sha256::new();
    hash.update(b"{\"k\":\"");
    hash.update(k.as_bytes());
    hash.update(b"\",\"kty\":\"oct\"}");
    b64::encode(&hash.finalize())
}

/// Wipes the text of every member of a parsed JWK (private members included) before it drops.
pub(crate) fn wipe(jwk: &mut Map<String, Value>) {
    for value in jwk.values_mut() {
        match value {
            Value::String(text) => text.zeroize(),
            Value::Object(inner) => wipe(inner),
            Value::Array(items) => items.iter_mut().filter_map(Value::as_object_mut).for_each(wipe),
            _ => {}
        }
    }
}

/// RFC 7638 thumbprint of any JWK given as JSON text.
pub fn thumbprint_of_jwk_json(json: &str) -> Result<String> {
    let mut jwk = parse_object(json)?;
    // People write "rsa" by hand; the thumbprint hashes the registered spelling.
    let kty = ["RSA", "EC", "OKP", "oct"].into_iter().find(|k| k.eq_ignore_ascii_case(string_member(&jwk, "kty").unwrap_or_default()));
    if let Some(kty) = kty {
        jwk.insert("kty".into(), kty.into());
    }
    let kty = string_member(&jwk, "kty")?;
    let names = required_members(kty).ok_or_else(|| Error::key(format!("Unsupported JWK key type '{kty}': expected RSA, EC, OKP or oct.")))?;
    let mut members = Vec::with_capacity(names.len());
    for name in names {
        members.push((*name, string_member(&jwk, name)?));
    }
    Ok(thumbprint_of_members(&members))
}

pub fn import(json: &str) -> Result<Key> {
    let mut jwk = parse_object(json)?;
    let key = import_object(&jwk);
    wipe(&mut jwk);
    key
}

/// Imports a parsed JWK; the caller wipes it.
pub(crate) fn import_object(jwk: &Map<String, Value>) -> Result<Key> {
    let kty = string_member(jwk, "kty")?;
    let kid = match jwk.get("kid") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => return Err(Error::key("The JWK member \"kid\" must be a string.")),
    };
    // `use`, `key_ops` and `alg` say what a published key is for (RFC 7517 §4.2-4.4); honour them.
    let mut purpose = match jwk.get("use") {
        None => Purpose::Any,
        Some(Value::String(u)) if u == "sig" => Purpose::Signing,
        Some(Value::String(u)) if u == "enc" => Purpose::Encryption,
        Some(other) => return Err(Error::key(format!("The JWK \"use\" member {other} is neither \"sig\" nor \"enc\"."))),
    };
    let ops = jwk.get("key_ops").map(Operations::parse).transpose()?;
    if let Some(ops) = ops {
        usage::consistent(purpose, ops)?;
        purpose = ops.purpose();
    }
    let (mut key_management, mut content_encryption) = (None, None);
    let alg = match jwk.get("alg") {
        None => None,
        Some(Value::String(name)) => match Algorithm::from_header(name) {
            Some(_) if purpose == Purpose::Encryption => {
                return Err(Error::key(format!("The JWK is for encryption (its \"use\" or \"key_ops\") but names the signing algorithm '{name}'.")))
            }
            Some(alg) => {
                purpose = Purpose::Signing;
                Some(alg)
            }
            None => {
                // A content encryption as `alg` names a key for direct encryption (RFC 7520 §5.6).
                let direct = ContentEncryption::from_header(name).map(|enc| (KeyManagement::Direct, Some(enc)));
                let Some((km, enc)) = KeyManagement::from_header(name).map(|km| (km, None)).or(direct) else {
                    return Err(Error::key(format!("The JWK \"alg\" member '{name}' is not an algorithm KrJwt supports.")));
                };
                if purpose == Purpose::Signing {
                    return Err(Error::key(format!(
                        "The JWK is for signatures (its \"use\" or \"key_ops\") but names the encryption algorithm '{name}'."
                    )));
                }
                purpose = Purpose::Encryption;
                (key_management, content_encryption) = (Some(km), enc);
                None
            }
        },
        Some(_) => return Err(Error::key("The JWK member \"alg\" must be a string.")),
    };
    let key = match kty {
        "oct" => {
            let k = string_member(jwk, "k")?;
            let bytes = b64::decode_strict(k).ok_or_else(|| Error::key("The JWK member \"k\" is not valid base64url."))?;
            Key::from_secret(bytes)?
        }
        "RSA" => Key::from_asymmetric(asymmetric::from_rsa_jwk(jwk)?)?,
        "EC" => Key::from_asymmetric(asymmetric::from_ec_jwk(jwk)?)?,
        "OKP" => Key::from_asymmetric(asymmetric::from_okp_jwk(jwk)?)?,
        other => return Err(Error::key(format!("Unsupported JWK key type '{other}': expected RSA, EC, OKP or oct."))),
    };
    key.with_jwk_metadata(JwkMetadata { kid, alg, purpose, key_management, content_encryption, ops })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_example_thumbprint() {
        let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
        assert_eq!(thumbprint_of_jwk_json(jwk).unwrap(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    }

    #[test]
    fn oct_jwk_imports_with_its_kid() {
        let key = import(r#"{"kty":"oct","kid":"k1","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#)
            .unwrap();
        assert_eq!(key.key_id(), "k1");
        assert_eq!(key.bits(), 512);
    }

    #[test]
    fn malformed_jwks_explain_themselves() {
        assert!(import("").unwrap_err().message.contains("empty"));
        assert!(import("[1]").unwrap_err().message.contains("JSON object"));
        assert!(import(r#"{"kty":"foo"}"#).unwrap_err().message.contains("Unsupported JWK key type 'foo'"));
        assert!(import(r#"{"kty":"oct"}"#).unwrap_err().message.contains("\"k\""));
        let twice = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow","k":"AA"}"#;
        assert!(import(twice).unwrap_err().message.contains("'k' appears twice"));
    }
}
