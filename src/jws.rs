//! JWS compact serialization (RFC 7515 §7.1): signing input, signatures and the strict split.

use crate::algorithms::jws::{Algorithm, Family, Sha};
use crate::b64;
use crate::error::{quoted, Error, Result};
use crate::keys::{Key, Material, Operation};
use crate::refusal::{check_critical, Reason, Refusal};
use hmac::{Hmac, Mac};
use serde_json::Value;
use std::sync::Arc;

/// Signed tokens above this size are refused before any decoding (bearer tokens are a few KiB).
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// A key paired with the one algorithm it is used with: the algorithm always comes from here,
/// never from a token header.
#[derive(Clone, Debug)]
pub struct PinnedKey {
    key: Arc<Key>,
    alg: Algorithm,
}

impl PinnedKey {
    /// Pins `requested` (None = Auto) to the key, refusing combinations the key cannot serve.
    pub fn new(key: Arc<Key>, requested: Option<Algorithm>) -> Result<PinnedKey> {
        let alg = key.resolve_algorithm(requested)?;
        Ok(PinnedKey { key, alg })
    }

    /// A pin for signing: as [`PinnedKey::new`], and the key's JWK `key_ops`, if any, must allow `sign`.
    pub fn signing(key: Arc<Key>, requested: Option<Algorithm>) -> Result<PinnedKey> {
        key.require_operation(&[Operation::Sign], "signing")?;
        PinnedKey::new(key, requested)
    }

    /// The same pin with only the public part of the key: what a verifier needs.
    pub fn for_verification(&self) -> PinnedKey {
        match self.key.to_verification_key() {
            Some(public) => PinnedKey { key: Arc::new(public), alg: self.alg },
            None => self.clone(),
        }
    }

    /// The public JWK announcing the pinned algorithm, for a JWKS document of signing keys.
    pub fn public_jwk(&self) -> Result<serde_json::Value> {
        let mut jwk = self.key.public_jwk()?;
        jwk["use"] = "sig".into();
        jwk["alg"] = self.alg.name().into();
        Ok(jwk)
    }

    pub fn key(&self) -> &Arc<Key> {
        &self.key
    }

    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    pub fn sign(&self, input: &[u8]) -> Result<Vec<u8>> {
        match (self.key.material(), self.alg.family()) {
            (Material::Secret(secret), Family::Hmac(sha)) => Ok(hmac_tag(sha, secret, input)),
            (Material::Asymmetric(key), _) => key.sign(self.alg, input),
            _ => Err(Error::key(format!("This key cannot sign with {}.", self.alg))),
        }
    }

    /// Checks a signature; MACs are compared in constant time.
    pub fn verify(&self, input: &[u8], signature: &[u8]) -> bool {
        match (self.key.material(), self.alg.family()) {
            (Material::Secret(secret), Family::Hmac(sha)) => hmac_verify(sha, secret, input, signature),
            (Material::Asymmetric(key), _) => key.verify(self.alg, input, signature),
            _ => false,
        }
    }
}

fn hmac_tag(sha: Sha, secret: &[u8], input: &[u8]) -> Vec<u8> {
    fn tag<M: Mac + hmac::digest::KeyInit>(secret: &[u8], input: &[u8]) -> Vec<u8> {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
        mac.update(input);
        mac.finalize().into_bytes().to_vec()
    }
    match sha {
        Sha::Sha256 => tag::<Hmac<sha2::Sha256>>(secret, input),
        Sha::Sha384 => tag::<Hmac<sha2::Sha384>>(secret, input),
        Sha::Sha512 => tag::<Hmac<sha2::Sha512>>(secret, input),
    }
}

fn hmac_verify(sha: Sha, secret: &[u8], input: &[u8], signature: &[u8]) -> bool {
    fn check<M: Mac + hmac::digest::KeyInit>(secret: &[u8], input: &[u8], signature: &[u8]) -> bool {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length");
        mac.update(input);
        // verify_slice compares in constant time (subtle) and rejects truncated tags.
        mac.verify_slice(signature).is_ok()
    }
    match sha {
        Sha::Sha256 => check::<Hmac<sha2::Sha256>>(secret, input, signature),
        Sha::Sha384 => check::<Hmac<sha2::Sha384>>(secret, input, signature),
        Sha::Sha512 => check::<Hmac<sha2::Sha512>>(secret, input, signature),
    }
}

/// Signs `payload` under the serialized protected header and returns the compact JWS.
pub fn sign_compact(key: &PinnedKey, header_json: &[u8], payload: &[u8]) -> Result<String> {
    let mut token = String::with_capacity((header_json.len() + payload.len()) * 4 / 3 + 100);
    b64::encode_into(header_json, &mut token);
    token.push('.');
    b64::encode_into(payload, &mut token);
    let signature = key.sign(token.as_bytes())?;
    token.push('.');
    b64::encode_into(&signature, &mut token);
    Ok(token)
}

/// Signs arbitrary payload bytes (the JOSE layer): the protected header is `alg`, `kid`, then the
/// caller's members, which may not replace `alg` or add `crit`.
pub fn sign_payload(key: &PinnedKey, extra_header: &serde_json::Map<String, Value>, payload: &[u8]) -> Result<String> {
    let mut header = serde_json::Map::new();
    header.insert("alg".into(), key.algorithm().name().into());
    header.insert("kid".into(), key.key().key_id().into());
    for (name, value) in extra_header {
        if name == "alg" || name == "crit" {
            return Err(Error::argument(format!("The '{name}' header member is set by KrJwt and cannot be given.")));
        }
        header.insert(name.clone(), value.clone());
    }
    sign_compact(key, Value::Object(header).to_string().as_bytes(), payload)
}

/// The decoded parts of a verified compact JWS, and the key whose signature matched.
#[derive(Debug)]
pub struct Verified<'k> {
    pub header: Vec<u8>,
    pub payload: Vec<u8>,
    pub key: &'k PinnedKey,
}

/// Verifies a compact JWS against pinned keys: the header may only name an algorithm a key is
/// pinned to; `none` and unknown critical extensions are refused; MACs compare in constant time.
/// Tokens above the validator's size limit are refused before any decoding.
pub fn verify_compact<'k>(keys: &'k [PinnedKey], token: &str) -> std::result::Result<Verified<'k>, Refusal> {
    if token.len() > MAX_TOKEN_BYTES {
        let message = format!("The token is {} bytes; signed tokens above {MAX_TOKEN_BYTES} bytes are refused.", token.len());
        return Err(Refusal::new(Reason::TooLarge, message));
    }
    let parts = split_compact(token)
        .ok_or_else(|| Refusal::new(Reason::Malformed, "The token is not a compact JWS: it must have three base64url parts separated by dots."))?;
    let header_bytes = b64::decode_strict(parts.header).ok_or_else(|| Refusal::new(Reason::Malformed, "The token header is not valid base64url."))?;
    let [alg, kid, crit] = crate::json::select(&header_bytes, ["alg", "kid", "crit"])
        .map_err(|e| Refusal::new(Reason::Malformed, format!("The token header is not a valid JSON object: {e}.")))?;
    let refuse = |reason, message: String| Refusal::new(reason, message).with_header(&header_bytes);

    let alg_name = match &alg {
        Some(Value::String(s)) => s.as_str(),
        _ => return Err(refuse(Reason::Malformed, "The token header has no 'alg' string.".into())),
    };
    if alg_name.eq_ignore_ascii_case("none") {
        return Err(refuse(Reason::AlgorithmNotAllowed, "The token is unsigned (alg 'none'); unsigned tokens are never accepted.".into()));
    }
    check_critical(crit.is_some()).map_err(|r| r.with_header(&header_bytes))?;
    let alg = Algorithm::from_header(alg_name).filter(|a| keys.iter().any(|k| k.algorithm() == *a)).ok_or_else(|| {
        let mut allowed: Vec<&str> = keys.iter().map(|k| k.algorithm().name()).collect();
        allowed.dedup();
        refuse(
            Reason::AlgorithmNotAllowed,
            format!("The token is signed with {}, but only {} is accepted with the configured key.", quoted(alg_name), allowed.join(", ")),
        )
    })?;
    let candidates = candidates(keys, alg, kid.as_ref()).map_err(|(reason, message)| refuse(reason, message))?;
    let signature =
        b64::decode_strict(parts.signature).ok_or_else(|| refuse(Reason::Malformed, "The token signature is not valid base64url.".into()))?;
    let key = candidates
        .into_iter()
        .find(|k| k.verify(parts.signing_input.as_bytes(), &signature))
        .ok_or_else(|| refuse(Reason::InvalidSignature, "The token signature does not match: it was altered or signed with another key.".into()))?;
    let payload = b64::decode_strict(parts.payload).ok_or_else(|| refuse(Reason::Malformed, "The token payload is not valid base64url.".into()))?;
    Ok(Verified { header: header_bytes, payload, key })
}

/// The keys that may have signed a token with this header.
fn candidates<'k>(keys: &'k [PinnedKey], alg: Algorithm, kid: Option<&Value>) -> std::result::Result<Vec<&'k PinnedKey>, (Reason, String)> {
    let by_alg: Vec<&PinnedKey> = keys.iter().filter(|k| k.algorithm() == alg).collect();
    let kid = match kid {
        None => return Ok(by_alg),
        Some(Value::String(kid)) => kid,
        Some(_) => return Err((Reason::Malformed, "The token header 'kid' must be a string.".into())),
    };
    let by_kid: Vec<&PinnedKey> = by_alg.iter().copied().filter(|k| k.key().key_id() == kid).collect();
    if !by_kid.is_empty() {
        return Ok(by_kid);
    }
    // Keys that all carry their own kids are named exactly: an unknown kid is a miss.
    if !by_alg.is_empty() && by_alg.iter().all(|k| k.key().explicit_kid().is_some()) {
        return Err((Reason::KeyNotFound, format!("No configured key has the key id {} the token names.", quoted(kid))));
    }
    Ok(by_alg)
}

/// The three segments of a compact JWS, still encoded.
pub struct CompactParts<'a> {
    pub header: &'a str,
    pub payload: &'a str,
    pub signature: &'a str,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: &'a str,
}

/// Splits a compact JWS into exactly three segments.
pub fn split_compact(token: &str) -> Option<CompactParts<'_>> {
    let first = token.find('.')?;
    let last = token.rfind('.')?;
    if first == last || token[first + 1..last].contains('.') {
        return None;
    }
    Some(CompactParts { header: &token[..first], payload: &token[first + 1..last], signature: &token[last + 1..], signing_input: &token[..last] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_needs_exactly_three_segments() {
        assert!(split_compact("a.b.c").is_some());
        assert!(split_compact("a.b").is_none());
        assert!(split_compact("a.b.c.d.e").is_none());
        let p = split_compact("h.p.").unwrap();
        assert_eq!((p.header, p.payload, p.signature, p.signing_input), ("h", "p", "", "h.p"));
    }

    #[test]
    fn secrets_refuse_asymmetric_algorithms() {
        let key = Arc::new(Key::from_secret(vec![7; 64]).unwrap());
        assert!(PinnedKey::new(key.clone(), Some(Algorithm::RS256)).is_err());
        assert_eq!(PinnedKey::new(key, None).unwrap().algorithm(), Algorithm::HS512);
    }
}
