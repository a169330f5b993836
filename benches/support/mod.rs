//! What the benchmarks share: the typical token they time and the raw OpenSSL primitive KrJwt's
//! signatures are measured against.

#[path = "../../tests/common/mod.rs"]
mod common;

use krjwt::{Algorithm, Builder, Key};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Signer, Verifier};
use serde_json::json;
use std::sync::Arc;

/// A typical token (iss, aud, sub, 3 claims) signed with `key` as `alg`.
pub fn typical(key: Arc<Key>, alg: Algorithm) -> Builder {
    let mut b = common::user_token("https://issuer.example", "api://clients", "user-42", "Ada Lovelace", "admin");
    b.add_claim("scope", json!("read:all write:own")).unwrap();
    b.sign_with(key, Some(alg)).unwrap();
    b
}

/// The digest `alg` signs with; None for EdDSA, which hashes inside the signature.
fn digest(alg: Algorithm) -> Option<MessageDigest> {
    match alg {
        Algorithm::EdDSA => None,
        Algorithm::ES384 => Some(MessageDigest::sha384()),
        Algorithm::ES512 => Some(MessageDigest::sha512()),
        _ => Some(MessageDigest::sha256()),
    }
}

/// The primitive alone over a signing input: what OpenSSL costs without KrJwt (ECDSA signatures
/// come out DER-encoded, as OpenSSL makes them).
pub fn raw_sign(alg: Algorithm, key: &PKey<Private>, input: &[u8]) -> Vec<u8> {
    let mut signer = digest(alg).map_or_else(|| Signer::new_without_digest(key), |md| Signer::new(md, key)).unwrap();
    if alg == Algorithm::PS256 {
        signer.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
    }
    signer.sign_oneshot_to_vec(input).unwrap()
}

/// The primitive's verification of a signature as `raw_sign` makes it.
pub fn raw_verify(alg: Algorithm, key: &PKey<Private>, input: &[u8], signature: &[u8]) -> bool {
    let mut verifier = digest(alg).map_or_else(|| Verifier::new_without_digest(key), |md| Verifier::new(md, key)).unwrap();
    if alg == Algorithm::PS256 {
        verifier.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
        verifier.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH).unwrap();
    }
    verifier.verify_oneshot(signature, input).unwrap()
}
