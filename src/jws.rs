//! JWS compact serialization (RFC 7515 §7.1): signing input, signatures and the strict split.

use crate::alg::{Algorithm, Family, Sha};
use crate::b64;
use crate::error::{Error, Result};
use crate::keys::{Key, Material};
use hmac::{Hmac, Mac};
use std::sync::Arc;

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

    /// The same pin with only the public part of the key: what a verifier needs.
    pub fn for_verification(&self) -> PinnedKey {
        match self.key.to_verification_key() {
            Some(public) => PinnedKey { key: Arc::new(public), alg: self.alg },
            None => self.clone(),
        }
    }

    /// The public JWK announcing the pinned algorithm, for a JWKS document.
    pub fn public_jwk(&self) -> Result<serde_json::Value> {
        let mut jwk = self.key.public_jwk()?;
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
    Some(CompactParts {
        header: &token[..first],
        payload: &token[first + 1..last],
        signature: &token[last + 1..],
        signing_input: &token[..last],
    })
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
