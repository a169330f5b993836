//! JWE round trips: every key management algorithm with every content encryption, the header
//! layout, and the algorithms a key picks when none is named.

mod common;
mod jwe_support;

use jwe_support::{decrypt, decrypter, encrypter, jwt_header, public_only, rsa, secret, x25519};
use krjwt::jwe::{AesSize, ContentEncryption, Encrypter, KeyManagement, CONTENT_ENCRYPTION};
use krjwt::{b64, Key};
use openssl::nid::Nid;
use serde_json::{json, Map, Value};
use std::sync::Arc;

const PLAINTEXT: &[u8] = b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

/// Encrypts and decrypts with `key` under `alg` with every `enc`; checks the header layout.
fn round_trip_all_encs(alg: &str, key: &Arc<Key>, specific: &[&str]) {
    for enc in CONTENT_ENCRYPTION {
        // Encryption needs only the public part of an asymmetric key.
        let sender = public_only_if_asymmetric(key);
        let token = encrypter(&sender, alg, enc.name()).encrypt_compact(&jwt_header("k1"), PLAINTEXT).unwrap();
        let decrypted = decrypt(&decrypter(key, alg, enc.name()), &token);
        assert_eq!(decrypted.plaintext, PLAINTEXT, "{alg}/{enc}");
        let names: Vec<&str> = decrypted.header.keys().map(String::as_str).collect();
        let expected: Vec<&str> = ["alg", "enc", "kid", "typ", "cty"].iter().chain(specific).copied().collect();
        assert_eq!(names, expected, "{alg}/{enc}: header layout");
        assert_eq!((decrypted.header["alg"].as_str(), decrypted.header["enc"].as_str()), (Some(alg), Some(enc.name())));
        let encrypted_key = token.split('.').nth(1).unwrap();
        assert_eq!(encrypted_key.is_empty(), alg == "dir" || alg == "ECDH-ES", "{alg}/{enc}: encrypted key part");
    }
}

fn public_only_if_asymmetric(key: &Arc<Key>) -> Arc<Key> {
    match key.kty() {
        "oct" => key.clone(),
        _ => public_only(key),
    }
}

#[test]
fn dir_with_every_content_encryption() {
    for enc in CONTENT_ENCRYPTION {
        let key = secret(enc.key_len());
        let token = encrypter(&key, "dir", enc.name()).encrypt_compact(&Map::new(), PLAINTEXT).unwrap();
        assert_eq!(decrypt(&decrypter(&key, "dir", enc.name()), &token).plaintext, PLAINTEXT, "{enc}");
    }
}

#[test]
fn aes_key_wrap_with_every_content_encryption() {
    for (alg, len) in [("A128KW", 16), ("A192KW", 24), ("A256KW", 32)] {
        round_trip_all_encs(alg, &secret(len), &[]);
    }
}

#[test]
fn aes_gcm_key_wrap_with_every_content_encryption() {
    for (alg, len) in [("A128GCMKW", 16), ("A192GCMKW", 24), ("A256GCMKW", 32)] {
        round_trip_all_encs(alg, &secret(len), &["iv", "tag"]);
    }
}

#[test]
fn rsa_with_every_content_encryption() {
    for alg in ["RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "RSA1_5"] {
        round_trip_all_encs(alg, &rsa(), &[]);
    }
}

#[test]
fn ecdh_es_with_every_curve_and_content_encryption() {
    let keys = [jwe_support::ec(Nid::X9_62_PRIME256V1), jwe_support::ec(Nid::SECP384R1), jwe_support::ec(Nid::SECP521R1), x25519()];
    for key in &keys {
        for alg in ["ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW"] {
            round_trip_all_encs(alg, key, &["epk"]);
        }
    }
}

// One test per PBES2 algorithm, so that the 600000-iteration derivations run in parallel.
#[test]
fn pbes2_hs256_a128kw_with_every_content_encryption() {
    round_trip_all_encs("PBES2-HS256+A128KW", &secret(12), &["p2s", "p2c"]);
}

#[test]
fn pbes2_hs384_a192kw_with_every_content_encryption() {
    round_trip_all_encs("PBES2-HS384+A192KW", &secret(12), &["p2s", "p2c"]);
}

#[test]
fn pbes2_hs512_a256kw_with_every_content_encryption() {
    round_trip_all_encs("PBES2-HS512+A256KW", &secret(12), &["p2s", "p2c"]);
}

#[test]
fn pbes2_writes_a_random_16_byte_salt_and_the_10000_iterations_verifiers_accept() {
    let key = secret(10);
    let encrypter = encrypter(&key, "PBES2-HS256+A128KW", "A128GCM");
    let headers: Vec<Map<String, Value>> = (0..2)
        .map(|_| decrypt(&decrypter(&key, "PBES2-HS256+A128KW", "A128GCM"), &encrypter.encrypt_compact(&Map::new(), b"x").unwrap()).header)
        .collect();
    assert_eq!(headers[0]["p2c"], 10_000);
    assert_eq!(b64::decode_strict(headers[0]["p2s"].as_str().unwrap()).unwrap().len(), 16);
    assert_ne!(headers[0]["p2s"], headers[1]["p2s"]);
}

#[test]
fn ecdh_es_writes_a_fresh_public_epk_on_the_recipient_curve() {
    let key = jwe_support::ec(Nid::SECP384R1);
    let encrypter = encrypter(&key, "ECDH-ES", "A256GCM");
    let epks: Vec<Value> = (0..2)
        .map(|_| decrypt(&decrypter(&key, "ECDH-ES", "A256GCM"), &encrypter.encrypt_compact(&Map::new(), b"x").unwrap()).header["epk"].clone())
        .collect();
    assert_eq!(epks[0]["kty"], "EC");
    assert_eq!(epks[0]["crv"], "P-384");
    assert!(epks[0].get("d").is_none(), "the ephemeral private key is never published");
    assert_ne!(epks[0], epks[1]);
    let x = x25519();
    let token = encrypter_for(&x).encrypt_compact(&Map::new(), b"x").unwrap();
    let epk = &decrypt(&decrypter(&x, "ECDH-ES", "A256GCM"), &token).header["epk"];
    assert_eq!((epk["kty"].as_str(), epk["crv"].as_str()), (Some("OKP"), Some("X25519")));
}

fn encrypter_for(key: &Arc<Key>) -> Encrypter {
    Encrypter::new(key.clone(), None, None).unwrap()
}

#[test]
fn ecdh_es_honours_apu_and_apv() {
    let key = jwe_support::ec(Nid::X9_62_PRIME256V1);
    let extra = json!({"apu": b64::encode(b"Alice"), "apv": b64::encode(b"Bob")}).as_object().unwrap().clone();
    let token = encrypter(&key, "ECDH-ES", "A128GCM").encrypt_compact(&extra, PLAINTEXT).unwrap();
    let decrypter = decrypter(&key, "ECDH-ES", "A128GCM");
    assert_eq!(decrypt(&decrypter, &token).header["apu"], "QWxpY2U");
    // apu/apv enter the key derivation: changing one changes the key, so the token fails.
    let changed = jwe_support::with_members(&token, json!({"apv": b64::encode(b"Eve")}));
    jwe_support::assert_cannot_decrypt(&decrypter, &changed, "apv changed");
}

#[test]
fn defaults_follow_the_key() {
    let pick = |key: Arc<Key>| {
        let e = Encrypter::new(key, None, None).unwrap();
        (e.key_management(), e.content_encryption())
    };
    assert_eq!(pick(secret(16)), ("dir", "A128GCM"));
    assert_eq!(pick(secret(24)), ("dir", "A192GCM"));
    assert_eq!(pick(secret(32)), ("dir", "A256GCM"));
    assert_eq!(pick(secret(48)), ("dir", "A192CBC-HS384"));
    assert_eq!(pick(secret(64)), ("dir", "A256CBC-HS512"));
    assert_eq!(pick(public_only(&rsa())), ("RSA-OAEP", "A256GCM"));
    assert_eq!(pick(jwe_support::ec(Nid::SECP521R1)), ("ECDH-ES", "A256GCM"));
    assert_eq!(pick(x25519()), ("ECDH-ES", "A256GCM"));
    // "Auto" and empty names mean the default too; a named alg keeps A256GCM as its enc.
    let auto = Encrypter::new(secret(32), Some("Auto"), Some("")).unwrap();
    assert_eq!((auto.key_management(), auto.content_encryption()), ("dir", "A256GCM"));
    let named = Encrypter::new(secret(16), Some("a128kw"), None).unwrap();
    assert_eq!((named.key_management(), named.content_encryption()), ("A128KW", "A256GCM"));
}

#[test]
fn explicit_names_are_honoured_and_written_canonically() {
    let key = secret(64);
    let e = Encrypter::new(key.clone(), Some("DIR"), Some("a256cbc-hs512")).unwrap();
    assert_eq!((e.key_management(), e.content_encryption()), ("dir", "A256CBC-HS512"));
    let ec = jwe_support::ec(Nid::X9_62_PRIME256V1);
    let e = Encrypter::new(ec.clone(), Some("ECDH-ESA256KW"), Some("A128CBC-HS256")).unwrap();
    let token = e.encrypt_compact(&Map::new(), PLAINTEXT).unwrap();
    let header = decrypt(&decrypter(&ec, "ecdh-es+a256kw", "A128CBC-HS256"), &token).header;
    assert_eq!(header["alg"], "ECDH-ES+A256KW");
}

#[test]
fn a_decrypter_for_the_key_accepts_every_fitting_pair_but_rsa1_5_and_pbes2() {
    let key = secret(32);
    let any = krjwt::jwe::Decrypter::for_key(key.clone()).unwrap();
    let accepted: Vec<(&str, &str)> = any.accepted().collect();
    assert!(accepted.contains(&("dir", "A256GCM")) && accepted.contains(&("dir", "A128CBC-HS256")));
    assert!(!accepted.contains(&("dir", "A128GCM")), "dir only fits the secret's own size");
    assert!(accepted.contains(&("A256KW", "A192CBC-HS384")) && accepted.contains(&("A256GCMKW", "A128GCM")));
    assert!(accepted.iter().all(|(alg, _)| !alg.starts_with("PBES2") && *alg != "A128KW"));
    for alg in [KeyManagement::AesKw(AesSize::A256), KeyManagement::AesGcmKw(AesSize::A256)] {
        let token = encrypter(&key, alg.name(), ContentEncryption::Gcm(AesSize::A128).name()).encrypt_compact(&Map::new(), b"x").unwrap();
        assert_eq!(decrypt(&any, &token).plaintext, b"x");
    }
    let rsa_any = krjwt::jwe::Decrypter::for_key(rsa()).unwrap();
    assert!(rsa_any.accepted().all(|(alg, _)| alg.starts_with("RSA-OAEP")));
    assert_eq!(rsa_any.accepted().count(), 4 * 6);
}

#[test]
fn x25519_keys_import_from_jwk_and_publish_for_encryption() {
    let jwk = json!({"kty": "OKP", "crv": "X25519", "x": "3p7bfXt9wbTTW2HC7OQ1Nz-DQ8hbeGdNrfx-FG-IK08", "d": "XasIfmJKikt54X-Lg4AO5m87sSkmGLb9HC-LJ_-I4Os"});
    let key = jwe_support::jwk(&jwk);
    assert_eq!((key.kty(), key.curve(), key.bits(), key.has_private_key()), ("OKP", Some("X25519"), 256, true));
    let public = key.public_jwk().unwrap();
    assert_eq!((public["crv"].as_str(), public["use"].as_str(), public["x"].as_str()), (Some("X25519"), Some("enc"), jwk["x"].as_str()));
    assert!(public.get("d").is_none());
    let e = krjwt::jws::PinnedKey::new(key.clone(), None).unwrap_err();
    assert!(e.message.contains("X25519 is for encryption (ECDH-ES) only"), "{}", e.message);
    let mut wrong = jwk.clone();
    wrong["x"] = json!("hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo");
    let e = Key::import(krjwt::KeyFormat::Jwk, wrong.to_string().as_bytes()).unwrap_err();
    assert!(e.message.contains("X25519 JWK \"x\" does not belong to its \"d\""), "{}", e.message);
}
