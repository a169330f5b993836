//! Nested JWTs through the builder and validator: sign, encrypt, validate, inspect, renew.

use krjwt::ffi::{Describe, ToJson};
use krjwt::jwe::Decrypter;
use krjwt::jws::PinnedKey;
use krjwt::{b64, Builder, Key, KeyFormat, Reason, ValidationOptions, Validator};
use serde_json::{json, Value};
use std::sync::Arc;

const NOW: f64 = 1_800_000_000.0;

fn secret(len: usize, fill: u8) -> Arc<Key> {
    Arc::new(Key::from_secret(vec![fill; len]).unwrap())
}

fn rsa_private() -> Arc<Key> {
    let pem = openssl::rsa::Rsa::generate(2048).unwrap().private_key_to_pem().unwrap();
    Arc::new(Key::import(KeyFormat::Pem, &pem).unwrap())
}

fn public_of(key: &Key) -> Arc<Key> {
    Arc::new(Key::import(KeyFormat::Jwk, key.public_jwk().unwrap().to_string().as_bytes()).unwrap())
}

fn template(encryption: Arc<Key>, alg: Option<&str>, enc: Option<&str>) -> Builder {
    let mut b = Builder::new();
    b.set_issuer("iss").unwrap();
    b.add_audience("aud").unwrap();
    b.set_subject("alice").unwrap();
    b.set_header("x-custom", json!("kept")).unwrap();
    b.sign_with(secret(32, 1), None).unwrap();
    b.encrypt_with(encryption, alg, enc).unwrap();
    b
}

fn outer_header(token: &str) -> Value {
    serde_json::from_slice(&b64::decode_strict(token.split('.').next().unwrap()).unwrap()).unwrap()
}

#[test]
fn secret_encrypted_tokens_validate_from_their_result() {
    let result = template(secret(32, 9), None, None).build_at(NOW).unwrap();
    assert!(result.is_encrypted());
    assert_eq!(result.token().split('.').count(), 5);
    let header = outer_header(result.token());
    assert_eq!(header["alg"], "dir");
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(header["cty"], "JWT");
    assert!(header.get("kid").is_none(), "a secret's thumbprint is not announced");
    let description = result.describe();
    assert_eq!(description["encrypted"], true);
    assert_eq!(description["subject"], "alice");
    assert_eq!(description["header"]["x-custom"], "kept", "custom headers survive encryption");
    assert_eq!(description["outerHeader"]["enc"], "A256GCM");

    let validator = Validator::for_result(&result, 60.0).unwrap();
    let report = validator.validate_at(result.token(), NOW);
    assert!(report.is_valid(), "{}", report.message);
    assert_eq!(report.claims.unwrap()["sub"], "alice");
    let info = validator.inspect(result.token()).unwrap().to_json();
    assert_eq!(info["claims"]["sub"], "alice");
    assert_eq!(info["outerHeader"]["alg"], "dir");
}

#[test]
fn tokens_for_a_public_recipient_need_its_private_key() {
    let recipient = rsa_private();
    let result = template(public_of(&recipient), None, None).build_at(NOW).unwrap();
    let header = outer_header(result.token());
    assert_eq!((header["alg"].as_str(), header["enc"].as_str()), (Some("RSA-OAEP"), Some("A256GCM")));
    assert_eq!(header["kid"], recipient.key_id());

    let from_result = Validator::for_result(&result, 60.0).unwrap();
    assert_eq!(from_result.check_at(result.token(), NOW), Reason::DecryptionFailed, "the issuer holds only the public key");
    let verifier = vec![PinnedKey::new(secret(32, 1), None).unwrap()];
    let recipient_side =
        Validator::with_decrypters(ValidationOptions::default(), verifier.clone(), vec![Decrypter::for_key(recipient.clone()).unwrap()]).unwrap();
    assert_eq!(recipient_side.check_at(result.token(), NOW), Reason::Valid);
    let wrong = Validator::with_decrypters(ValidationOptions::default(), verifier, vec![Decrypter::for_key(rsa_private()).unwrap()]).unwrap();
    let report = wrong.validate_at(result.token(), NOW);
    assert_eq!(report.reason, Reason::DecryptionFailed);
    assert_eq!(report.message, krjwt::jwe::DECRYPTION_FAILED);
}

#[test]
fn explicit_pairs_are_honoured_and_mismatches_refused_when_attached() {
    let result = template(secret(32, 9), Some("A256KW"), Some("A256CBC-HS512")).build_at(NOW).unwrap();
    let header = outer_header(result.token());
    assert_eq!((header["alg"].as_str(), header["enc"].as_str()), (Some("A256KW"), Some("A256CBC-HS512")));
    assert_eq!(Validator::for_result(&result, 60.0).unwrap().check_at(result.token(), NOW), Reason::Valid);
    let mut b = Builder::new();
    assert!(b.encrypt_with(secret(16, 9), Some("dir"), Some("A256GCM")).is_err(), "dir needs the enc key size");
    assert!(b.encrypt_with(secret(32, 9), Some("RSA-OAEP"), None).is_err(), "a secret cannot do RSA-OAEP");
    assert!(b.encrypt_with(secret(32, 9), Some("nope"), None).unwrap_err().message.contains("nope"));
}

#[test]
fn encrypted_tokens_renew_encrypted_and_keep_claims() {
    let b = template(secret(32, 9), None, None);
    let old = b.build_at(NOW).unwrap();
    let renewed = b.renew_at(old.token(), Some(60.0), NOW + 30.0).unwrap();
    assert!(renewed.is_encrypted());
    assert_eq!(renewed.describe()["claims"]["sub"], "alice");
    assert_eq!(renewed.describe()["expires"], json!(NOW as i64 + 90));
    let public_only = template(public_of(&rsa_private()), None, None);
    let sealed = public_only.build_at(NOW).unwrap();
    assert!(public_only.renew_at(sealed.token(), None, NOW).unwrap_err().message.contains("DecryptionFailed"));
}

#[test]
fn inspection_without_a_key_shows_only_the_outer_header() {
    let result = template(secret(32, 9), None, None).build_at(NOW).unwrap();
    let info = krjwt::inspect::inspect(result.token()).unwrap().to_json();
    assert_eq!(info["encrypted"], true);
    assert_eq!(info["claims"], Value::Null);
    let decrypted = krjwt::inspect::inspect_decrypting(result.token(), &[Decrypter::for_key(secret(32, 9)).unwrap()]).unwrap().to_json();
    assert_eq!(decrypted["subject"], "alice");
    assert!(krjwt::inspect::inspect_decrypting(result.token(), &[Decrypter::for_key(secret(32, 8)).unwrap()]).is_err());
}

#[test]
fn an_encryption_jwk_keeps_its_algorithm_and_purpose() {
    let private = rsa_private();
    let mut jwk = private.public_jwk().unwrap();
    jwk["alg"] = json!("RSA-OAEP-256");
    jwk["use"] = json!("enc");
    let public = Arc::new(Key::import(KeyFormat::Jwk, jwk.to_string().as_bytes()).unwrap());
    let republished = public.public_jwk().unwrap();
    assert_eq!((republished["use"].as_str(), republished["alg"].as_str()), (Some("enc"), Some("RSA-OAEP-256")));
    let default = krjwt::jwe::Encrypter::new(public.clone(), None, None).unwrap();
    assert_eq!(default.key_management(), "RSA-OAEP-256", "the JWK's alg is its default");
    let downgrade = krjwt::jwe::Encrypter::new(public.clone(), Some("RSA1_5"), None).unwrap_err();
    assert!(downgrade.message.contains("restricted to RSA-OAEP-256"), "{}", downgrade.message);
    assert!(PinnedKey::new(public, None).is_err(), "an encryption key does not sign");
}

#[test]
fn naming_only_the_key_management_accepts_every_content_encryption() {
    let recipient = rsa_private();
    let verifier = vec![PinnedKey::new(secret(32, 1), None).unwrap()];
    let options = ValidationOptions { key_management_algorithm: Some("RSA1_5".into()), ..ValidationOptions::default() };
    let validator = Validator::from_keys(options, vec![secret(32, 1)], vec![recipient.clone()]).unwrap();
    for enc in ["A128CBC-HS256", "A256GCM"] {
        let token = template(public_of(&recipient), Some("RSA1_5"), Some(enc)).build_at(NOW).unwrap();
        assert_eq!(validator.check_at(token.token(), NOW), Reason::Valid, "RSA1_5 with {enc}");
    }
    let unnamed = Validator::with_decrypters(ValidationOptions::default(), verifier, vec![Decrypter::for_key(recipient.clone()).unwrap()]).unwrap();
    let rsa1_5 = template(public_of(&recipient), Some("RSA1_5"), None).build_at(NOW).unwrap();
    assert_eq!(unnamed.check_at(rsa1_5.token(), NOW), Reason::AlgorithmNotAllowed, "RSA1_5 only when named");
    let password = Decrypter::for_key(secret(31, 5)).unwrap_err();
    assert!(password.message.contains("PBES2"), "{}", password.message);
}
