//! Helpers shared by the JWE integration tests (`tests/jwe_*.rs`).
#![allow(dead_code)]

use crate::common;
use krjwt::jwe::{Decrypted, Decrypter, Encrypter};
use krjwt::refusal::Refusal as Rejection;
use krjwt::{b64, Key, KeyFormat, Reason};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use serde_json::{json, Map, Value};
use std::sync::{Arc, OnceLock};

/// One RSA key for all tests in a binary: generating 2048-bit keys is slow.
pub fn rsa() -> Arc<Key> {
    static KEY: OnceLock<Arc<Key>> = OnceLock::new();
    KEY.get_or_init(|| common::import(KeyFormat::Der, common::rsa_2048().private_key_to_der().unwrap())).clone()
}

pub fn other_rsa() -> Arc<Key> {
    static KEY: OnceLock<Arc<Key>> = OnceLock::new();
    KEY.get_or_init(|| common::import(KeyFormat::Der, common::rsa_2048().private_key_to_der().unwrap())).clone()
}

pub fn ec(curve: Nid) -> Arc<Key> {
    common::import(KeyFormat::Der, common::ec(curve).private_key_to_der().unwrap())
}

/// Through PKCS#8 DER, so the X25519 import path is exercised too.
pub fn x25519() -> Arc<Key> {
    common::import(KeyFormat::Der, PKey::generate_x25519().unwrap().private_key_to_der().unwrap())
}

pub fn secret(len: usize) -> Arc<Key> {
    let mut bytes = vec![0; len];
    openssl::rand::rand_bytes(&mut bytes).unwrap();
    Arc::new(Key::from_secret(bytes).unwrap())
}

pub fn public_only(key: &Key) -> Arc<Key> {
    Arc::new(key.to_verification_key().expect("an asymmetric key"))
}

/// Imports a JWK of the vectors. Their `alg` members name JWE algorithms, which JWK import (made
/// for signing keys) does not take, so it is dropped: the tests pin the algorithm instead.
pub fn jwk(value: &Value) -> Arc<Key> {
    let mut value = value.clone();
    value.as_object_mut().unwrap().remove("alg");
    common::import(KeyFormat::Jwk, value.to_string())
}

pub fn encrypter(key: &Arc<Key>, alg: &str, enc: &str) -> Encrypter {
    Encrypter::new(key.clone(), Some(alg), Some(enc)).unwrap_or_else(|e| panic!("{alg}/{enc}: {}", e.message))
}

pub fn decrypter(key: &Arc<Key>, alg: &str, enc: &str) -> Decrypter {
    Decrypter::new(key.clone(), Some(alg), Some(enc)).unwrap_or_else(|e| panic!("{alg}/{enc}: {}", e.message))
}

pub fn decrypt(decrypter: &Decrypter, token: &str) -> Decrypted {
    decrypter.decrypt_compact(token).unwrap_or_else(|r| panic!("{:?}: {}", r.reason, r.message))
}

pub fn refusal(decrypter: &Decrypter, token: &str) -> Rejection {
    match decrypter.decrypt_compact(token) {
        Ok(_) => panic!("the token was accepted"),
        Err(rejection) => rejection,
    }
}

/// Asserts the uniform refusal of everything that goes wrong after the header is understood.
pub fn assert_cannot_decrypt(decrypter: &Decrypter, token: &str, what: &str) {
    let rejection = refusal(decrypter, token);
    assert_eq!(rejection.reason, Reason::DecryptionFailed, "{what}: {}", rejection.message);
    assert_eq!(rejection.message, krjwt::jwe::DECRYPTION_FAILED, "{what}");
}

/// The extra members a nested JWT carries.
pub fn jwt_header(kid: &str) -> Map<String, Value> {
    json!({"kid": kid, "typ": "JWT", "cty": "JWT"}).as_object().unwrap().clone()
}

/// The token with one of its five parts (0 = header ... 4 = tag) decoded, changed and re-encoded.
pub fn with_part(token: &str, index: usize, change: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let mut bytes = b64::decode_strict(&parts[index]).unwrap();
    change(&mut bytes);
    parts[index] = b64::encode(&bytes);
    parts.join(".")
}

/// The token with its protected header replaced by `change(header)`; the body is kept.
pub fn with_header(token: &str, change: impl FnOnce(&mut Map<String, Value>)) -> String {
    with_part(token, 0, |bytes| {
        let mut header: Map<String, Value> = serde_json::from_slice(bytes).unwrap();
        change(&mut header);
        *bytes = Value::Object(header).to_string().into_bytes();
    })
}

/// The token with the protected header members of the JSON object `members` set (added or replaced).
pub fn with_members(token: &str, members: Value) -> String {
    with_header(token, |h| h.extend(members.as_object().expect("members are a JSON object").clone()))
}
