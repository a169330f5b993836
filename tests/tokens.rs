//! Builder → token → validator round trips, and every way a token is refused.

mod common;

use krjwt::ffi::{Describe, ToJson};
use krjwt::jws::{sign_compact, PinnedKey};
use krjwt::{b64, Builder, Key, KeyFormat, Reason, ValidationOptions, Validator};
use serde_json::{json, Value};
use std::sync::Arc;

const NOW: f64 = 1_800_000_000.0;

fn secret(len: usize) -> Arc<Key> {
    Arc::new(Key::from_secret((0..len as u8).collect()).unwrap())
}

fn template() -> Builder {
    let mut b = common::user_token("KestrunApi", "KestrunClients", "admin", "admin", "admin");
    b.sign_with(secret(32), None).unwrap();
    b
}

fn decode_segment(token: &str, index: usize) -> Value {
    let segment = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&b64::decode_strict(segment).unwrap()).unwrap()
}

/// Re-signs a modified header and payload with `key`, the way a forger holding the key would.
fn forge(header: &Value, payload: &Value, key: &PinnedKey) -> String {
    sign_compact(key, header.to_string().as_bytes(), payload.to_string().as_bytes()).unwrap()
}

#[test]
fn token_layout_matches_the_reference() {
    let result = template().build_at(NOW).unwrap();
    let header = decode_segment(result.token(), 0);
    let keys: Vec<&String> = header.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["alg", "kid", "typ"]);
    assert_eq!(header["alg"], "HS256");
    assert_eq!(header["typ"], "JWT");
    let payload = decode_segment(result.token(), 1);
    let keys: Vec<&String> = payload.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["sub", "unique_name", "role", "nbf", "exp", "iat", "iss", "aud"]);
    assert_eq!(payload["nbf"], json!(NOW as i64));
    assert_eq!(payload["exp"], json!(NOW as i64 + 3600));
    assert_eq!(payload["aud"], "KestrunClients");
}

#[test]
fn round_trip_is_valid_and_reports_claims() {
    let result = template().build_at(NOW).unwrap();
    let validator = Validator::for_result(&result, 60.0).unwrap();
    let report = validator.validate_at(result.token(), NOW + 10.0);
    assert!(report.is_valid(), "{}", report.message);
    assert_eq!(report.claims.unwrap()["unique_name"], "admin");
}

#[test]
fn auto_picks_hmac_by_secret_length() {
    for (len, alg) in [(32, "HS256"), (48, "HS384"), (64, "HS512")] {
        let mut b = Builder::new();
        b.sign_with(secret(len), None).unwrap();
        let token = b.build_at(NOW).unwrap();
        assert_eq!(decode_segment(token.token(), 0)["alg"], alg);
    }
}

#[test]
fn short_secrets_are_refused_when_attached() {
    let mut b = Builder::new();
    let err = b.sign_with(secret(16), None).unwrap_err();
    assert!(err.message.contains("16 bytes") && err.message.contains("at least 32"), "{}", err.message);
    let err = b.sign_with(secret(32), Some(krjwt::Algorithm::HS512)).unwrap_err();
    assert!(err.message.contains("HS512"), "{}", err.message);
}

#[test]
fn building_never_changes_the_builder_and_needs_a_key() {
    let b = template();
    let before = b.describe();
    b.build_at(NOW).unwrap();
    assert_eq!(b.describe(), before);
    let err = Builder::new().build_at(NOW).unwrap_err();
    // The core names what is missing; the module adds which cmdlet supplies it (Build-KrJWT.Tests.ps1).
    assert!(err.message.contains("no signing key") && err.kind == krjwt::ErrorKind::InvalidState, "{}", err.message);
}

#[test]
fn not_before_and_lifetime_follow_the_product_rules() {
    let mut b = template();
    b.set_lifetime(90.0).unwrap();
    b.set_not_before((NOW as i64) - 7200).unwrap();
    let payload = decode_segment(b.build_at(NOW).unwrap().token(), 1);
    assert_eq!(payload["nbf"], json!(NOW as i64), "validity never starts in the past");
    assert_eq!(payload["exp"], json!(NOW as i64 + 90));
    b.set_not_before_offset(300.0).unwrap();
    let payload = decode_segment(b.build_at(NOW).unwrap().token(), 1);
    assert_eq!(payload["nbf"], json!(NOW as i64 + 300));
    assert_eq!(payload["exp"], json!(NOW as i64 + 390));
    assert_eq!(payload["iat"], json!(NOW as i64));
    assert!(b.set_lifetime(0.0).is_err());
    assert!(b.set_lifetime(f64::NAN).is_err());
}

#[test]
fn claims_group_into_arrays_and_audiences_stay_distinct() {
    let mut b = template();
    b.add_user_claim("Role", "user").unwrap();
    b.add_audience("KestrunClients").unwrap();
    b.add_audience("Other").unwrap();
    b.add_claim("count", json!(3)).unwrap();
    let payload = decode_segment(b.build_at(NOW).unwrap().token(), 1);
    assert_eq!(payload["role"], json!(["admin", "user"]));
    assert_eq!(payload["aud"], json!(["KestrunClients", "Other"]));
    assert_eq!(payload["count"], json!(3));
    assert!(b.add_claim("exp", json!(1)).is_err());
}

#[test]
fn custom_headers_follow_the_standard_ones() {
    let mut b = template();
    b.set_header("cty", json!("JWT")).unwrap();
    b.set_header("x-test", json!({"a": [1, 2]})).unwrap();
    b.set_header("typ", json!("at+jwt")).unwrap();
    assert!(b.set_header("alg", json!("none")).is_err());
    let header = decode_segment(b.build_at(NOW).unwrap().token(), 0);
    let keys: Vec<&String> = header.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["alg", "kid", "typ", "cty", "x-test"]);
    assert_eq!(header["typ"], "at+jwt");
}

#[test]
fn every_refusal_has_its_reason() {
    let result = template().build_at(NOW).unwrap();
    let validator = Validator::for_result(&result, 60.0).unwrap();
    let token = result.token();
    let header = decode_segment(token, 0);
    let payload = decode_segment(token, 1);
    let key = result.key();

    let tampered = {
        let mut p = payload.clone();
        p["role"] = json!("root");
        let forged_with_other_key = PinnedKey::new(secret(33), Some(krjwt::Algorithm::HS256)).unwrap();
        forge(&header, &p, &forged_with_other_key)
    };
    let swapped_payload = {
        let parts: Vec<&str> = token.split('.').collect();
        let mut p = payload.clone();
        p["sub"] = json!("mallory");
        format!("{}.{}.{}", parts[0], b64::encode(p.to_string().as_bytes()), parts[2])
    };
    let alg_none = {
        let mut h = header.clone();
        h["alg"] = json!("none");
        format!("{}.{}.", b64::encode(h.to_string().as_bytes()), token.split('.').nth(1).unwrap())
    };
    let alg_none_upper = alg_none.replace(&b64::encode(b"\"none\""), &b64::encode(b"\"NONE\""));
    let with = |change: &dyn Fn(&mut Value, &mut Value)| {
        let (mut h, mut p) = (header.clone(), payload.clone());
        change(&mut h, &mut p);
        forge(&h, &p, key)
    };
    let cases: Vec<(&str, String, Reason)> = vec![
        ("valid", token.to_string(), Reason::Valid),
        ("tampered payload", swapped_payload, Reason::InvalidSignature),
        ("signed with another key", tampered, Reason::InvalidSignature),
        (
            "truncated signature",
            {
                let (input, sig) = token.rsplit_once('.').unwrap();
                format!("{input}.{}", b64::encode(&b64::decode_strict(sig).unwrap()[..16]))
            },
            Reason::InvalidSignature,
        ),
        (
            "non-canonical signature bits",
            {
                // The last of 43 characters carries 4 signature bits and 2 zero bits: set a zero bit.
                const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let last = ALPHABET.iter().position(|c| *c == *token.as_bytes().last().unwrap()).unwrap();
                format!("{}{}", &token[..token.len() - 1], ALPHABET[last ^ 1] as char)
            },
            Reason::Malformed,
        ),
        ("stripped signature", token[..token.rfind('.').unwrap() + 1].to_string(), Reason::InvalidSignature),
        ("alg none", alg_none, Reason::AlgorithmNotAllowed),
        ("alg NONE", alg_none_upper, Reason::AlgorithmNotAllowed),
        ("alg HS512 instead of HS256", with(&|h, _| h["alg"] = json!("HS512")), Reason::AlgorithmNotAllowed),
        ("alg RS256", with(&|h, _| h["alg"] = json!("RS256")), Reason::AlgorithmNotAllowed),
        ("unknown crit", with(&|h, _| h["crit"] = json!(["exp"])), Reason::UnsupportedCritical),
        ("wrong issuer", with(&|_, p| p["iss"] = json!("Evil")), Reason::InvalidIssuer),
        ("issuer as array", with(&|_, p| p["iss"] = json!(["KestrunApi"])), Reason::InvalidIssuer),
        (
            "no issuer",
            with(&|_, p| {
                p.as_object_mut().unwrap().remove("iss");
            }),
            Reason::InvalidIssuer,
        ),
        ("wrong audience", with(&|_, p| p["aud"] = json!("Others")), Reason::InvalidAudience),
        ("audience as number", with(&|_, p| p["aud"] = json!(5)), Reason::InvalidAudience),
        ("audience in array", with(&|_, p| p["aud"] = json!(["x", "KestrunClients/"])), Reason::Valid),
        ("expired", with(&|_, p| p["exp"] = json!(NOW as i64 - 61)), Reason::Expired),
        ("expired within skew", with(&|_, p| p["exp"] = json!(NOW as i64 - 30)), Reason::Valid),
        ("not yet valid", with(&|_, p| p["nbf"] = json!(NOW as i64 + 600)), Reason::NotYetValid),
        (
            "no exp",
            with(&|_, p| {
                p.as_object_mut().unwrap().remove("exp");
            }),
            Reason::MissingExpiration,
        ),
        ("exp as string", with(&|_, p| p["exp"] = json!("1900000000")), Reason::InvalidClaim),
        ("exp as float", with(&|_, p| p["exp"] = json!(NOW + 100.5)), Reason::Valid),
        (
            "duplicate exp member",
            {
                let raw = payload.to_string().replacen("{", &format!("{{\"exp\":{},", NOW as i64 + 100), 1);
                sign_compact(key, header.to_string().as_bytes(), raw.as_bytes()).unwrap()
            },
            Reason::Malformed,
        ),
        ("two segments", token[..token.rfind('.').unwrap()].to_string(), Reason::Malformed),
        ("padded base64", token.replacen('.', "=.", 1), Reason::Malformed),
        ("header not JSON", format!("{}.{}", b64::encode(b"nope"), &token[token.find('.').unwrap() + 1..]), Reason::Malformed),
        ("empty", String::new(), Reason::Malformed),
        ("five parts, not a JWE", "a.b.c.d.e".to_string(), Reason::Malformed),
        ("huge", "a".repeat(70_000), Reason::TooLarge),
    ];
    for (name, candidate, expected) in cases {
        let report = validator.validate_at(&candidate, NOW);
        assert_eq!(report.reason, expected, "{name}: {}", report.message);
        assert_eq!(validator.check_at(&candidate, NOW), expected, "{name} (fast path)");
        assert!(!report.message.is_empty());
    }
}

#[test]
fn key_sets_select_by_kid_and_miss_cleanly() {
    let jwk = |kid: &str, fill: u8| {
        let key = Key::import(KeyFormat::Jwk, json!({"kty": "oct", "kid": kid, "k": b64::encode(&[fill; 32])}).to_string().as_bytes()).unwrap();
        PinnedKey::new(Arc::new(key), None).unwrap()
    };
    let (k1, k2, k3) = (jwk("one", 1), jwk("two", 2), jwk("three", 3));
    let validator = Validator::new(ValidationOptions::default(), vec![k1.clone(), k2.clone()]).unwrap();
    let header = json!({"alg": "HS256", "kid": "two"});
    let payload = json!({"exp": NOW as i64 + 100});
    assert_eq!(validator.check_at(&forge(&header, &payload, &k2), NOW), Reason::Valid);
    assert_eq!(validator.check_at(&forge(&header, &payload, &k1), NOW), Reason::InvalidSignature);
    let unknown = json!({"alg": "HS256", "kid": "three"});
    assert_eq!(validator.check_at(&forge(&unknown, &payload, &k3), NOW), Reason::KeyNotFound);
    let no_kid = json!({"alg": "HS256"});
    assert_eq!(validator.check_at(&forge(&no_kid, &payload, &k1), NOW), Reason::Valid);
}

#[test]
fn validator_options_are_checked() {
    let k = PinnedKey::new(secret(32), None).unwrap();
    assert!(Validator::new(ValidationOptions::default(), vec![]).is_err());
    let skew = ValidationOptions { clock_skew_seconds: -1.0, ..Default::default() };
    assert!(Validator::new(skew, vec![k.clone()]).is_err());
    let algs = ValidationOptions { algorithms: vec!["HS512".into()], ..Default::default() };
    assert!(Validator::new(algs, vec![k]).is_err());
    let unknown: Result<ValidationOptions, _> = serde_json::from_str(r#"{"issuer":"x"}"#);
    assert!(unknown.is_err(), "unknown option names are refused, not ignored");
}

#[test]
fn key_import_formats_agree() {
    let from_hex = Key::import(KeyFormat::Hex, common::HEX_KEY_32.as_bytes()).unwrap();
    let bytes: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&common::HEX_KEY_32[i * 2..i * 2 + 2], 16).unwrap()).collect();
    let from_b64 = Key::import(KeyFormat::Base64Url, b64::encode(&bytes).as_bytes()).unwrap();
    let from_raw = Key::import(KeyFormat::Secret, &bytes).unwrap();
    assert_eq!(from_hex.thumbprint(), from_b64.thumbprint());
    assert_eq!(from_hex.thumbprint(), from_raw.thumbprint());
    let pass = Key::import(KeyFormat::Passphrase, "a".repeat(32).as_bytes()).unwrap();
    assert_eq!(pass.bits(), 256);
    assert!(Key::import(KeyFormat::Hex, b"xyz").is_err());
    assert!(format!("{from_hex:?}").contains("oct 256 bits"), "Debug shows no material");
}

#[test]
fn renewal_keeps_claims_refreshes_times_and_merges_audiences() {
    let mut b = template();
    b.add_claim("jti", json!("first")).unwrap();
    let old = b.build_at(NOW).unwrap();
    b.add_audience("Second").unwrap();
    let renewed = b.renew_at(old.token(), Some(120.0), NOW + 600.0).unwrap();
    let payload = decode_segment(renewed.token(), 1);
    assert_eq!(payload["sub"], "admin");
    assert_eq!(payload["role"], "admin");
    assert_eq!(payload["unique_name"], "admin");
    assert_eq!(payload["aud"], json!(["KestrunClients", "Second"]), "audiences merged without duplicates");
    assert_eq!(payload["iat"], json!(NOW as i64 + 600));
    assert_eq!(payload["nbf"], json!(NOW as i64 + 600));
    assert_eq!(payload["exp"], json!(NOW as i64 + 720));
    assert_ne!(payload["jti"], "first", "a renewed token gets its own id");
    assert_eq!(b.describe()["audiences"], json!(["KestrunClients", "Second"]), "renewal leaves the builder alone");
}

#[test]
fn renewal_refuses_forged_expired_and_foreign_tokens() {
    let b = template();
    let old = b.build_at(NOW).unwrap();
    let expired = b.renew_at(old.token(), None, NOW + 3600.0 + 61.0).unwrap_err();
    assert!(expired.message.contains("Expired"), "{}", expired.message);
    let mut other = template();
    other.sign_with(secret(48), None).unwrap();
    let foreign = other.build_at(NOW).unwrap();
    let err = b.renew_at(foreign.token(), None, NOW).unwrap_err();
    assert!(err.message.contains("AlgorithmNotAllowed") || err.message.contains("InvalidSignature"), "{}", err.message);
    let mut wrong_issuer = template();
    wrong_issuer.set_issuer("Elsewhere").unwrap();
    let err = b.renew_at(wrong_issuer.build_at(NOW).unwrap().token(), None, NOW).unwrap_err();
    assert!(err.message.contains("InvalidIssuer"), "{}", err.message);
    assert!(b.renew_at(old.token(), Some(-5.0), NOW).is_err());
    assert!(Builder::new().renew_at(old.token(), None, NOW).unwrap_err().message.contains("no signing key"));
}

#[test]
fn reports_say_when_only_the_clock_skew_let_a_token_pass() {
    let result = template().build_at(NOW).unwrap();
    let validator = Validator::for_result(&result, 60.0).unwrap();
    let fresh = validator.validate_at(result.token(), NOW + 10.0);
    assert!(fresh.is_valid() && !fresh.within_clock_skew, "{}", fresh.message);
    assert_eq!(fresh.message, "The token is valid.");

    // exp = NOW + 3600: valid 30 s after it only thanks to the 60 s skew; refused after 61 s.
    let late = validator.validate_at(result.token(), NOW + 3630.0);
    assert!(late.is_valid() && late.within_clock_skew);
    assert!(late.message.contains("only thanks to the clock skew of 60 s") && late.message.contains("expired at"), "{}", late.message);
    assert_eq!(late.to_json()["withinClockSkew"], true);
    let too_late = validator.validate_at(result.token(), NOW + 3661.0);
    assert_eq!(too_late.reason, Reason::Expired);
    assert!(!too_late.within_clock_skew);

    // nbf = NOW: 20 s early is within the skew.
    let early = validator.validate_at(result.token(), NOW - 20.0);
    assert!(early.is_valid() && early.within_clock_skew && early.message.contains("not valid before"), "{}", early.message);
    assert_eq!(validator.check_at(result.token(), NOW - 20.0), Reason::Valid, "the fast path agrees");
}

#[test]
fn reports_name_the_key_that_verified_and_no_key_otherwise() {
    let result = template().build_at(NOW).unwrap();
    let validator = Validator::for_result(&result, 60.0).unwrap();
    let report = validator.validate_at(result.token(), NOW).to_json();
    assert_eq!(report["key"]["algorithm"], "HS256");
    assert_eq!(report["key"]["kty"], "oct");
    assert_eq!(report["key"]["kid"], decode_segment(result.token(), 0)["kid"]);
    let forged = format!("{}AAAA", &result.token()[..result.token().rfind('.').unwrap() + 1]);
    assert_eq!(validator.validate_at(&forged, NOW).to_json()["key"], Value::Null);
}

#[test]
fn refused_sibling_algorithms_are_named_as_allowable_but_foreign_families_are_not() {
    // A 64-byte secret is pinned to HS512 under Auto; it could verify HS256 if told to.
    let key = secret(64);
    let validator = Validator::new(ValidationOptions::default(), vec![PinnedKey::new(key.clone(), None).unwrap()]).unwrap();
    let hs256 = PinnedKey::new(key, Some(krjwt::Algorithm::HS256)).unwrap();
    let token = forge(&json!({"alg": "HS256"}), &json!({"exp": NOW as i64 + 100}), &hs256);
    let report = validator.validate_at(&token, NOW);
    assert_eq!(report.reason, Reason::AlgorithmNotAllowed);
    assert_eq!(report.to_json()["allowableAlgorithm"], "HS256");
    assert!(report.message.contains("HS512"), "{}", report.message);

    let rs256 = format!("{}.{}.", b64::encode(br#"{"alg":"RS256"}"#), b64::encode(br#"{"exp":1}"#));
    let refused = validator.validate_at(&rs256, NOW);
    assert_eq!(refused.reason, Reason::AlgorithmNotAllowed);
    assert_eq!(refused.to_json()["allowableAlgorithm"], Value::Null, "an HMAC key never verifies RS256");
    let none = format!("{}.{}.", b64::encode(br#"{"alg":"none"}"#), b64::encode(br#"{"exp":1}"#));
    assert_eq!(validator.validate_at(&none, NOW).to_json()["allowableAlgorithm"], Value::Null);
}

#[test]
fn a_token_passed_with_its_bearer_prefix_is_refused_saying_so() {
    let result = template().build_at(NOW).unwrap();
    let validator = Validator::for_result(&result, 60.0).unwrap();
    for prefix in ["Bearer ", "bearer ", "BEARER\t"] {
        let report = validator.validate_at(&format!("{prefix}{}", result.token()), NOW);
        assert_eq!(report.reason, Reason::Malformed);
        assert!(report.message.contains("'Bearer '") && report.message.contains("only the token"), "{}", report.message);
    }
    assert_eq!(validator.check_at(&format!("Bearer {}", result.token()), NOW), Reason::Malformed);
}

#[test]
fn renewal_refusals_read_as_one_sentence() {
    let b = template();
    let old = b.build_at(NOW).unwrap();
    let message = b.renew_at(old.token(), None, NOW + 3600.0 + 61.0).unwrap_err().message;
    assert!(message.starts_with("The token cannot be renewed because the token expired at "), "{message}");
    assert!(message.ends_with("(Expired); only valid tokens issued with this builder's key are renewed."), "{message}");
    assert_eq!(message.matches(". ").count(), 0, "one sentence: {message}");
}
