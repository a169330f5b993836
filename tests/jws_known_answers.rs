//! Known-answer tests for JWS with HMAC: RFC 7515 Appendix A.1 and RFC 7520 §4.4.

mod common;

use krjwt::jws::{sign_compact, PinnedKey};
use krjwt::{b64, Algorithm, Key, KeyFormat, Reason, ValidationOptions, Validator};
use std::sync::Arc;

const RFC7515_A1_KEY: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
const RFC7515_A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn hs256(jwk: &str) -> PinnedKey {
    let key = Arc::new(Key::import(KeyFormat::Jwk, jwk.as_bytes()).unwrap());
    PinnedKey::new(key, Some(Algorithm::HS256)).unwrap()
}

#[test]
fn rfc7515_a1_signature_is_reproduced() {
    let header = b"{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}";
    let payload = b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
    assert_eq!(sign_compact(&hs256(RFC7515_A1_KEY), header, payload).unwrap(), RFC7515_A1_TOKEN);
}

#[test]
fn rfc7515_a1_token_validates_before_its_expiry_only() {
    let validator = Validator::new(ValidationOptions::default(), vec![hs256(RFC7515_A1_KEY)]).unwrap();
    let report = validator.validate_at(RFC7515_A1_TOKEN, 1_300_819_000.0);
    assert_eq!(report.reason, Reason::Valid, "{}", report.message);
    assert_eq!(report.claims.unwrap()["http://example.com/is_root"], serde_json::Value::Bool(true));
    assert_eq!(validator.check_at(RFC7515_A1_TOKEN, 1_300_819_380.0 + 60.0), Reason::Expired);
}

#[test]
fn cookbook_4_4_hmac_compact_is_reproduced() {
    let v = common::vector("jose-cookbook/jws/4_4.hmac-sha2_integrity_protection.json");
    let key = hs256(&v["input"]["key"].to_string());
    let protected = b64::decode_strict(v["signing"]["protected_b64u"].as_str().unwrap()).unwrap();
    let payload = v["input"]["payload"].as_str().unwrap();
    let compact = sign_compact(&key, &protected, payload.as_bytes()).unwrap();
    assert_eq!(compact, v["output"]["compact"].as_str().unwrap());
    assert_eq!(key.key().key_id(), "018c0ae5-4d9b-471b-bfd6-eef314bc7037");
}

#[test]
fn cookbook_symmetric_key_thumbprint_matches_an_independent_computation() {
    let jwk = common::vector("jose-cookbook/jwk/3_5.symmetric_key_mac_computation.json");
    let key = Key::import(KeyFormat::Jwk, jwk.to_string().as_bytes()).unwrap();
    // RFC 7638: SHA-256 over {"k":..,"kty":"oct"}.
    use sha2::Digest;
    let canonical = format!("{{\"k\":\"{}\",\"kty\":\"oct\"}}", jwk["k"].as_str().unwrap());
    assert_eq!(key.thumbprint(), b64::encode(&sha2::Sha256::digest(canonical.as_bytes())));
}
