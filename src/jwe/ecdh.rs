//! ECDH-ES key agreement (RFC 7518 §4.6) with EC P-256/384/521 and X25519 keys: an ephemeral
//! key per token, published as `epk`, and the Concat KDF over the shared secret.

use super::concat_kdf;
use super::header;
use super::selection::describe;
use crate::error::Result;
use crate::keys::{Asymmetric, Key, KeyFormat, Kind, Material};
use openssl::derive::Deriver;
use openssl::pkey::{PKeyRef, Private, Public};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

/// What the derived key is for, and the party information both sides mix in.
pub(super) struct KdfInput {
    /// The `enc` name for direct agreement, the `alg` name when the result wraps the CEK.
    pub algorithm_id: &'static str,
    pub key_len: usize,
    pub apu: Vec<u8>,
    pub apv: Vec<u8>,
}

impl KdfInput {
    /// Reads `apu`/`apv` from the header (absent = empty), on both sides.
    pub(super) fn new(algorithm_id: &'static str, key_len: usize, header: &Map<String, Value>) -> std::result::Result<KdfInput, String> {
        let apu = header::b64_member(header, "apu")?.unwrap_or_default();
        let apv = header::b64_member(header, "apv")?.unwrap_or_default();
        Ok(KdfInput { algorithm_id, key_len, apu, apv })
    }

    fn derive(&self, shared_secret: &[u8]) -> Zeroizing<Vec<u8>> {
        concat_kdf::derive(shared_secret, self.algorithm_id, &self.apu, &self.apv, self.key_len)
    }
}

/// Sender side: a fresh ephemeral key pair on the recipient's curve; returns the `epk` to publish
/// and the derived key.
pub(super) fn agree_as_sender(recipient: &Asymmetric, kdf: &KdfInput) -> Result<(Value, Zeroizing<Vec<u8>>)> {
    let ephemeral = recipient.generate_like()?;
    let private = ephemeral.private_key().expect("a generated key has its private part");
    let z = shared_secret(private, recipient.public_key())?;
    let epk: Map<String, Value> = ephemeral.public_jwk_members()?.into_iter().map(|(name, value)| (name.to_string(), value.into())).collect();
    Ok((Value::Object(epk), kdf.derive(&z)))
}

/// Recipient side; `None` when the agreement fails (for example a low-order X25519 point, whose
/// all-zero result OpenSSL refuses).
pub(super) fn agree_as_recipient(recipient: &Asymmetric, epk: &Asymmetric, kdf: &KdfInput) -> Option<Zeroizing<Vec<u8>>> {
    let z = shared_secret(recipient.private_key()?, epk.public_key()).ok()?;
    Some(kdf.derive(&z))
}

/// The sender's ephemeral public key from the header, refused unless it is a valid point on the
/// recipient's own curve (invalid-curve attacks would otherwise leak the private key).
pub(super) fn read_epk(header: &Map<String, Value>, recipient: &Key) -> std::result::Result<Key, String> {
    let Some(Value::Object(epk)) = header.get("epk") else {
        return Err("The token has no 'epk' object (the sender's ephemeral public key), which ECDH-ES requires.".into());
    };
    // Only the public key members: nothing else in an epk (kid, alg, d, x5u, ...) is used.
    let public: Map<String, Value> =
        ["kty", "crv", "x", "y"].into_iter().filter_map(|name| epk.get(name).map(|v| (name.to_string(), v.clone()))).collect();
    // Key import checks that EC points lie on their curve and X25519 keys are 32 bytes.
    let key = Key::import(KeyFormat::Jwk, Value::Object(public).to_string().as_bytes())
        .map_err(|e| format!("The token's ephemeral public key (epk) is unusable: {}", e.message))?;
    match (kind(&key), kind(recipient)) {
        (Some(sent), Some(own)) if sent == own => Ok(key),
        _ => Err(format!(
            "The token's ephemeral public key (epk) is {}, but the configured key is {}: ECDH-ES needs both on the same curve.",
            describe(&key),
            describe(recipient)
        )),
    }
}

fn shared_secret(private: &PKeyRef<Private>, peer: &PKeyRef<Public>) -> Result<Zeroizing<Vec<u8>>> {
    let mut deriver = Deriver::new(private)?;
    deriver.set_peer(peer)?;
    Ok(Zeroizing::new(deriver.derive_to_vec()?))
}

fn kind(key: &Key) -> Option<Kind> {
    match key.material() {
        Material::Asymmetric(a) => Some(a.kind()),
        Material::Secret(_) => None,
    }
}
