//! Interop with jsonwebtoken, the Rust JWT crate (8.2, on ring: an implementation independent of
//! krjwt's OpenSSL and hmac/sha2): for every algorithm jsonwebtoken supports, tokens krjwt builds pass
//! `jsonwebtoken::decode` with its `Validation` (algorithm, signature, iss, aud, exp), and tokens
//! `jsonwebtoken::encode` makes validate in krjwt. ES512 is not in jsonwebtoken 8 (the jose interop
//! covers it). jsonwebtoken reads the system clock, so tokens here are made for the current time.

mod common;

use common::{key_for_every_algorithm, random_secret, Material};

use jsonwebtoken as jwt;
use krjwt::jws::PinnedKey;
use krjwt::Algorithm::{self, *};
use krjwt::{b64, Builder, Key, Reason, ValidationOptions, Validator};
use openssl::pkey::Id;
use serde_json::{json, Value};
use std::sync::Arc;

const ISSUER: &str = "https://issuer.krjwt.test";
const AUDIENCE: &str = "krjwt-clients";

impl Material {
    /// The signing key as jsonwebtoken reads it: RSA as PKCS#1 PEM, EC and Ed25519 as PKCS#8 PEM.
    fn encoding_key(&self) -> jwt::EncodingKey {
        match self {
            Material::Secret(bytes) => jwt::EncodingKey::from_secret(bytes),
            Material::Private(key) => match key.id() {
                Id::RSA => jwt::EncodingKey::from_rsa_pem(&key.rsa().unwrap().private_key_to_pem().unwrap()),
                Id::EC => jwt::EncodingKey::from_ec_pem(&key.private_key_to_pem_pkcs8().unwrap()),
                _ => jwt::EncodingKey::from_ed_pem(&key.private_key_to_pem_pkcs8().unwrap()),
            }
            .unwrap(),
        }
    }

    /// The verification key as jsonwebtoken reads it: the public key as SubjectPublicKeyInfo PEM.
    fn decoding_key(&self) -> jwt::DecodingKey {
        match self {
            Material::Secret(bytes) => jwt::DecodingKey::from_secret(bytes),
            Material::Private(key) => {
                let pem = key.public_key_to_pem().unwrap();
                match key.id() {
                    Id::RSA => jwt::DecodingKey::from_rsa_pem(&pem),
                    Id::EC => jwt::DecodingKey::from_ec_pem(&pem),
                    _ => jwt::DecodingKey::from_ed_pem(&pem),
                }
                .unwrap()
            }
        }
    }
}

/// jsonwebtoken's name for an algorithm (the same JWA name).
fn peer_algorithm(alg: Algorithm) -> jwt::Algorithm {
    alg.name().parse().unwrap_or_else(|_| panic!("jsonwebtoken has no {alg}"))
}

/// One key for each algorithm jsonwebtoken supports: all of krjwt's but ES512.
fn every_shared_algorithm() -> Vec<(Algorithm, Material)> {
    key_for_every_algorithm().into_iter().filter(|(alg, _)| *alg != ES512).collect()
}

/// jsonwebtoken's validation of `alg` tokens: signature, exp (its default), iss and aud, all required.
fn peer_validation(alg: Algorithm, audience: &str) -> jwt::Validation {
    let mut validation = jwt::Validation::new(peer_algorithm(alg));
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud"]);
    validation
}

fn krjwt_validator(alg: Algorithm, key: Arc<Key>) -> Validator {
    let options = ValidationOptions { issuers: vec![ISSUER.into()], audiences: vec![AUDIENCE.into()], ..Default::default() };
    Validator::new(options, vec![PinnedKey::new(key, Some(alg)).unwrap()]).unwrap()
}

fn with_other_payload(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!(
        "{}.{}.{}",
        parts[0],
        b64::encode(br#"{"sub":"mallory","iss":"https://issuer.krjwt.test","aud":"krjwt-clients","exp":4102444800}"#),
        parts[2]
    )
}

fn payload_of(token: &str) -> Value {
    serde_json::from_slice(&b64::decode_strict(token.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[test]
fn krjwt_tokens_pass_jsonwebtoken_validation_for_every_algorithm_it_supports() {
    let cases = every_shared_algorithm();
    assert_eq!(cases.len(), 12, "jsonwebtoken 8 implements every krjwt algorithm but ES512");
    for (alg, material) in &cases {
        let mut builder = common::alice_builder(material, *alg, ISSUER, AUDIENCE);
        builder.set_lifetime(600.0).unwrap();
        let token = builder.build().unwrap().token().to_string();

        let decoded = jwt::decode::<Value>(&token, &material.decoding_key(), &peer_validation(*alg, AUDIENCE))
            .unwrap_or_else(|e| panic!("jsonwebtoken refused krjwt's {alg} token: {e:?}"));
        assert_eq!(decoded.header.alg, peer_algorithm(*alg));
        assert_eq!(decoded.claims, payload_of(&token), "{alg}");
        assert_eq!(decoded.claims["sub"], "alice");

        // Controls: the same Validation refuses a changed payload and another audience.
        let tampered = jwt::decode::<Value>(&with_other_payload(&token), &material.decoding_key(), &peer_validation(*alg, AUDIENCE));
        assert!(matches!(tampered.map_err(|e| e.into_kind()), Err(jwt::errors::ErrorKind::InvalidSignature)), "{alg}");
        let elsewhere = jwt::decode::<Value>(&token, &material.decoding_key(), &peer_validation(*alg, "another-api"));
        assert!(matches!(elsewhere.map_err(|e| e.into_kind()), Err(jwt::errors::ErrorKind::InvalidAudience)), "{alg}");
    }
}

#[test]
fn expired_krjwt_tokens_are_refused_by_jsonwebtoken() {
    let secret = random_secret(32);
    let mut builder = Builder::new();
    builder.set_issuer(ISSUER).unwrap();
    builder.add_audience(AUDIENCE).unwrap();
    builder.set_lifetime(600.0).unwrap();
    builder.sign_with(Arc::new(Key::from_secret(secret.clone()).unwrap()), Some(HS256)).unwrap();
    // Expired an hour ago, well beyond jsonwebtoken's 60 s leeway.
    let token = builder.build_at((now() - 3600 - 600) as f64).unwrap().token().to_string();
    let refused = jwt::decode::<Value>(&token, &jwt::DecodingKey::from_secret(&secret), &peer_validation(HS256, AUDIENCE));
    assert!(matches!(refused.map_err(|e| e.into_kind()), Err(jwt::errors::ErrorKind::ExpiredSignature)));
}

#[test]
fn jsonwebtoken_tokens_validate_in_krjwt_for_every_algorithm_it_supports() {
    for (alg, material) in every_shared_algorithm() {
        let now = now();
        let claims = json!({
            "sub": "bob", "iss": ISSUER, "aud": AUDIENCE, "scope": ["read"],
            "iat": now, "nbf": now, "exp": now + 600,
        });
        let mut header = jwt::Header::new(peer_algorithm(alg));
        header.kid = Some(format!("jsonwebtoken-{alg}"));
        let token = jwt::encode(&header, &claims, &material.encoding_key()).unwrap_or_else(|e| panic!("jsonwebtoken could not sign {alg}: {e:?}"));

        let validator = krjwt_validator(alg, material.krjwt_key());
        let report = validator.validate(&token);
        assert_eq!(report.reason, Reason::Valid, "krjwt refused jsonwebtoken's {alg} token: {}", report.message);
        assert_eq!(Value::Object(report.claims.unwrap()), claims, "{alg}");
        assert_eq!(report.header.unwrap()["kid"], format!("jsonwebtoken-{alg}"));
        assert_eq!(validator.check(&with_other_payload(&token)), Reason::InvalidSignature, "{alg} control");
    }
}
