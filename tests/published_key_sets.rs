//! Key sets fetched from a provider (`jwksUri`, `jwksUnavailable`) and its discovery document: what
//! a host that fetches and caches them relies on the library to decide.

mod common;

use krjwt::ffi::{Describe, ToJson};
use krjwt::jws::{sign_compact, PinnedKey};
use krjwt::{discovery, Key, KeyFormat, Reason, ValidationOptions, Validator};
use openssl::nid::Nid;
use serde_json::{json, Value};
use std::sync::Arc;

const NOW: f64 = 1_800_000_000.0;
const JWKS_URI: &str = "https://login.example.com/keys";

/// A provider's signing key: its private JWK (to sign with) and its published public JWK.
fn provider_key(kid: &str, private: openssl::pkey::PKey<openssl::pkey::Private>) -> (PinnedKey, Value) {
    let mut jwk = common::private_jwk(&private);
    jwk["kid"] = kid.into();
    let signer = Key::import(KeyFormat::Jwk, jwk.to_string().as_bytes()).unwrap();
    (PinnedKey::new(Arc::new(signer), None).unwrap(), common::public_jwk_of(&jwk))
}

fn token(signer: &PinnedKey, kid: &str) -> String {
    let header = json!({"alg": signer.algorithm().name(), "kid": kid, "typ": "at+jwt"});
    let payload = json!({"iss": "https://login.example.com", "aud": "api", "exp": NOW as i64 + 600});
    sign_compact(signer, header.to_string().as_bytes(), payload.to_string().as_bytes()).unwrap()
}

fn published(jwks: Value, unavailable: Option<&str>) -> krjwt::Result<Validator> {
    let options = ValidationOptions {
        issuers: vec!["https://login.example.com".into()],
        audiences: vec!["api".into()],
        jwks: Some(jwks),
        jwks_uri: Some(JWKS_URI.into()),
        jwks_unavailable: unavailable.map(str::to_string),
        ..Default::default()
    };
    Validator::from_keys(options, Vec::new(), Vec::new())
}

#[test]
fn each_key_brings_its_own_algorithm_and_the_token_chooses_none() {
    let (rsa, rsa_public) = provider_key("rsa", common::rsa_2048());
    let (ec, mut ec_public) = provider_key("ec", common::ec(Nid::SECP384R1));
    ec_public.as_object_mut().unwrap().remove("alg");
    let validator = published(json!({"keys": [rsa_public, ec_public]}), None).unwrap();
    assert_eq!(validator.describe()["algorithms"], json!(["RS256", "ES384"]), "RSA's JWK alg, the P-384 default");
    assert_eq!(validator.describe()["jwksUri"], JWKS_URI);
    assert_eq!(validator.describe()["keySetUnavailable"], false);
    assert_eq!(validator.check_at(&token(&rsa, "rsa"), NOW), Reason::Valid);
    assert_eq!(validator.check_at(&token(&ec, "ec"), NOW), Reason::Valid);
    // A token naming the RSA key with another algorithm gets nowhere: no ES384 key is called 'rsa',
    // and no key at all is pinned to PS256.
    assert_eq!(validator.check_at(&token(&ec, "rsa"), NOW), Reason::KeyNotFound);
    let forged = sign_compact(&ec, json!({"alg": "PS256", "kid": "rsa"}).to_string().as_bytes(), b"{}").unwrap();
    assert_eq!(validator.check_at(&forged, NOW), Reason::AlgorithmNotAllowed);
}

#[test]
fn an_unknown_kid_is_key_not_found_until_the_set_is_unavailable() {
    let (old, old_public) = provider_key("old", common::rsa_2048());
    let (new, _) = provider_key("new", common::rsa_2048());
    let fresh = published(json!({"keys": [old_public.clone()]}), None).unwrap();
    assert_eq!(fresh.check_at(&token(&new, "new"), NOW), Reason::KeyNotFound);

    let cause = "GET https://login.example.com/keys failed: connection refused";
    let stale = published(json!({"keys": [old_public]}), Some(cause)).unwrap();
    assert_eq!(stale.describe()["keySetUnavailable"], true);
    assert_eq!(stale.check_at(&token(&new, "new"), NOW), Reason::KeySetUnavailable);
    let report = stale.validate_at(&token(&new, "new"), NOW);
    assert_eq!(report.reason, Reason::KeySetUnavailable);
    assert_eq!(report.to_json()["reason"], "KeySetUnavailable");
    assert!(report.message.contains("'new'") && report.message.contains(cause), "{}", report.message);
    assert_eq!(report.header.unwrap()["kid"], "new", "the report shows which key was asked for");
    // The keys already cached keep working, and other refusals keep their reasons.
    assert_eq!(stale.check_at(&token(&old, "old"), NOW), Reason::Valid);
    assert_eq!(stale.check_at(&token(&new, "old"), NOW), Reason::InvalidSignature);
}

#[test]
fn a_published_set_holds_public_keys_only() {
    let (_, rsa_public) = provider_key("rsa", common::rsa_2048());
    let secret = json!({"kty": "oct", "kid": "s", "k": krjwt::b64::encode(&[7u8; 32])});
    let error = published(json!({"keys": [rsa_public.clone(), secret.clone()]}), None).unwrap_err();
    assert_eq!(error.kind, krjwt::ErrorKind::InvalidKey);
    assert!(error.message.contains("Key 1") && error.message.contains(JWKS_URI) && error.message.contains("public keys only"), "{}", error.message);
    // A set given by hand (a file, a string) may hold secrets, as before (on their own: a set
    // mixing secrets with public keys is refused wherever it comes from).
    let local = ValidationOptions { jwks: Some(json!({"keys": [secret]})), ..Default::default() };
    assert!(Validator::from_keys(local, Vec::new(), Vec::new()).is_ok());
}

#[test]
fn a_discovered_issuer_is_the_one_tokens_must_carry() {
    let document = json!({"issuer": "https://login.example.com", "jwks_uri": JWKS_URI}).to_string();
    let found = discovery::read(&document, "https://login.example.com/").unwrap();
    let (signer, public) = provider_key("k", common::ec(Nid::X9_62_PRIME256V1));
    let options = ValidationOptions {
        issuers: vec![found.issuer],
        audiences: vec!["api".into()],
        jwks: Some(json!({"keys": [public]})),
        jwks_uri: Some(found.jwks_uri),
        ..Default::default()
    };
    let validator = Validator::from_keys(options, Vec::new(), Vec::new()).unwrap();
    assert_eq!(validator.check_at(&token(&signer, "k"), NOW), Reason::Valid);
    let elsewhere = json!({"iss": "https://evil.example.com", "aud": "api", "exp": NOW as i64 + 600});
    let forged = sign_compact(&signer, json!({"alg": "ES256", "kid": "k"}).to_string().as_bytes(), elsewhere.to_string().as_bytes()).unwrap();
    assert_eq!(validator.check_at(&forged, NOW), Reason::InvalidIssuer);
}
