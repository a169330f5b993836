//! JWS known answers (RFC 7520 §4, RFC 7515 A.2–A.4, RFC 8037 A.3–A.5, RFC 7638 §3.1), the attacks
//! a JWS verifier must resist, and Builder → Validator round trips for every algorithm and key
//! source. (RFC 7515 A.1 and RFC 7520 §4.4 are in jws_known_answers.rs.)

mod common;

use common::{import, pem_to_der, private_jwk, public_jwk_of, self_signed_certificate};
use krjwt::jws::{sign_compact, verify_compact, PinnedKey};
use krjwt::Algorithm::{self, *};
use krjwt::{b64, Builder, Key, KeyFormat, Reason, ValidationOptions, Validator};
use openssl::bn::{BigNum, BigNumContext, BigNumRef};
use openssl::ec::EcGroup;
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Private};
use openssl::rsa::Padding;
use openssl::sign::{RsaPssSaltlen, Signer};
use serde_json::{json, Value};
use std::sync::Arc;

const NOW: f64 = 1_800_000_000.0;

fn pin(key: &Arc<Key>, alg: Algorithm) -> PinnedKey {
    PinnedKey::new(key.clone(), Some(alg)).unwrap_or_else(|e| panic!("{alg}: {}", e.message))
}

/// What a verifier holds: the public part of an asymmetric key, or the shared secret itself.
fn verification_key(key: &Arc<Key>) -> Arc<Key> {
    key.to_verification_key().map(Arc::new).unwrap_or_else(|| key.clone())
}

fn jwk_key(jwk: &Value) -> Arc<Key> {
    import(KeyFormat::Jwk, jwk.to_string())
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("expected a string, found {value}"))
}

/// Checks a base64url signature over a signing input.
fn verifies(key: &PinnedKey, signing_input: &str, signature_b64: &str) -> bool {
    key.verify(signing_input.as_bytes(), &b64::decode_strict(signature_b64).unwrap())
}

/// The token with its payload segment replaced: a signature check must then fail.
fn with_other_payload(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!("{}.{}.{}", parts[0], b64::encode(b"something else"), parts[2])
}

fn with_signature(token: &str, signature: &[u8]) -> String {
    let (input, _) = token.rsplit_once('.').unwrap();
    format!("{input}.{}", b64::encode(signature))
}

fn signature_of(token: &str) -> Vec<u8> {
    b64::decode_strict(token.rsplit_once('.').unwrap().1).unwrap()
}

/// Verifies a compact JWS over any payload, and checks that the same JWS with another payload fails.
fn assert_compact_verifies(keys: &[PinnedKey], token: &str, payload: &[u8]) {
    let verified = verify_compact(keys, token).unwrap_or_else(|r| panic!("{:?}: {}", r.reason, r.message));
    assert_eq!(verified.payload, payload);
    assert_eq!(verify_compact(keys, &with_other_payload(token)).unwrap_err().reason, Reason::InvalidSignature);
}

// ---------------------------------------------------------------------------------------------
// RFC 7520 (JOSE Cookbook) §4: every JWS example of tests/vectors/jose-cookbook/jws.

fn cookbook(file: &str) -> Value {
    common::vector(&format!("jose-cookbook/jws/{file}"))
}

fn cookbook_payload(v: &Value) -> &[u8] {
    text(&v["input"]["payload"]).as_bytes()
}

fn cookbook_protected(v: &Value) -> Vec<u8> {
    b64::decode_strict(text(&v["signing"]["protected_b64u"])).unwrap()
}

/// Every file of the folder (4_4 is tested in jws_known_answers.rs): a new example must be added here.
const COOKBOOK_JWS_FILES: [&str; 8] = [
    "4_1.rsa_v15_signature.json",
    "4_2.rsa-pss_signature.json",
    "4_3.ecdsa_signature.json",
    "4_4.hmac-sha2_integrity_protection.json",
    "4_5.signature_with_detached_content.json",
    "4_6.protecting_specific_header_fields.json",
    "4_7.protecting_content_only.json",
    "4_8.multiple_signatures.json",
];

#[test]
fn every_cookbook_jws_example_is_covered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/jose-cookbook/jws");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, COOKBOOK_JWS_FILES);
}

#[test]
fn cookbook_4_1_rs256_compact_is_reproduced() {
    let v = cookbook("4_1.rsa_v15_signature.json");
    let key = jwk_key(&v["input"]["key"]);
    let compact = sign_compact(&pin(&key, RS256), &cookbook_protected(&v), cookbook_payload(&v)).unwrap();
    assert_eq!(compact, text(&v["output"]["compact"]));
    assert_compact_verifies(&[pin(&verification_key(&key), RS256)], &compact, cookbook_payload(&v));
}

/// RSA-PSS and ECDSA signatures are randomized: the given one must verify, and a new one must
/// differ from it and verify too.
fn assert_randomized_example(file: &str, alg: Algorithm) {
    let v = cookbook(file);
    let key = jwk_key(&v["input"]["key"]);
    let verifier = [pin(&verification_key(&key), alg)];
    let given = text(&v["output"]["compact"]);
    assert_compact_verifies(&verifier, given, cookbook_payload(&v));
    let fresh = sign_compact(&pin(&key, alg), &cookbook_protected(&v), cookbook_payload(&v)).unwrap();
    assert_ne!(fresh, given);
    assert_compact_verifies(&verifier, &fresh, cookbook_payload(&v));
}

#[test]
fn cookbook_4_2_ps384_signature_verifies_and_a_new_one_round_trips() {
    assert_randomized_example("4_2.rsa-pss_signature.json", PS384);
}

#[test]
fn cookbook_4_3_es512_signature_verifies_and_a_new_one_round_trips() {
    assert_randomized_example("4_3.ecdsa_signature.json", ES512);
}

#[test]
fn cookbook_4_5_detached_content_verifies_once_the_payload_is_reattached() {
    let v = cookbook("4_5.signature_with_detached_content.json");
    let key = pin(&jwk_key(&v["input"]["key"]), HS256);
    let detached = text(&v["output"]["compact"]);
    let (protected, signature) = detached.split_once("..").expect("the payload segment is empty");
    let attached = format!("{protected}.{}.{signature}", b64::encode(cookbook_payload(&v)));
    assert_eq!(attached, format!("{}.{}", text(&v["signing"]["sig-input"]), text(&v["signing"]["sig"])));
    assert_eq!(sign_compact(&key, &cookbook_protected(&v), cookbook_payload(&v)).unwrap(), attached);
    assert_compact_verifies(std::slice::from_ref(&key), &attached, cookbook_payload(&v));
    // Without its content the signature covers an empty payload, which it was not made for.
    assert_eq!(verify_compact(&[key], detached).unwrap_err().reason, Reason::InvalidSignature);
}

#[test]
fn cookbook_4_6_unprotected_header_members_stay_outside_the_signing_input() {
    let v = cookbook("4_6.protecting_specific_header_fields.json");
    let key = pin(&jwk_key(&v["input"]["key"]), HS256);
    let json = &v["output"]["json"];
    let signature = &json["signatures"][0];
    assert_eq!(signature["header"]["kid"], v["input"]["key"]["kid"], "the kid travels unprotected");
    let input = format!("{}.{}", text(&signature["protected"]), text(&json["payload"]));
    assert_eq!(input, text(&v["signing"]["sig-input"]));
    assert!(verifies(&key, &input, text(&signature["signature"])));
    // The same signature as a compact JWS (which has no unprotected header) verifies as well.
    let compact = sign_compact(&key, &cookbook_protected(&v), cookbook_payload(&v)).unwrap();
    assert_eq!(compact, format!("{input}.{}", text(&signature["signature"])));
    assert_compact_verifies(std::slice::from_ref(&key), &compact, cookbook_payload(&v));
    // Moving the unprotected kid into the protected header changes the signing input.
    let merged = json!({"alg": "HS256", "kid": signature["header"]["kid"]});
    let merged_input = format!("{}.{}", b64::encode(merged.to_string().as_bytes()), text(&json["payload"]));
    assert!(!verifies(&key, &merged_input, text(&signature["signature"])));
}

#[test]
fn cookbook_4_7_content_only_signature_covers_an_empty_protected_header() {
    let v = cookbook("4_7.protecting_content_only.json");
    let key = pin(&jwk_key(&v["input"]["key"]), HS256);
    let json = &v["output"]["json"];
    let signature = &json["signatures"][0];
    assert!(signature.get("protected").is_none());
    assert_eq!(signature["header"]["alg"], "HS256", "the algorithm travels unprotected");
    // RFC 7515 §5.1: with no protected header the signing input is '.' followed by the payload.
    let input = format!(".{}", text(&json["payload"]));
    assert_eq!(input, text(&v["signing"]["sig-input"]));
    assert!(verifies(&key, &input, text(&signature["signature"])));
    assert_eq!(b64::encode(&key.sign(input.as_bytes()).unwrap()), text(&signature["signature"]));
    assert!(!verifies(&key, &format!(".{}", b64::encode(b"something else")), text(&signature["signature"])));
    // A compact JWS cannot carry an unprotected header: without a protected 'alg' it is refused.
    let compact = format!("{input}.{}", text(&signature["signature"]));
    assert_eq!(verify_compact(&[key], &compact).unwrap_err().reason, Reason::Malformed);
}

#[test]
fn cookbook_4_8_each_of_the_multiple_signatures_verifies_with_its_own_key() {
    let v = cookbook("4_8.multiple_signatures.json");
    let json = &v["output"]["json"];
    let signatures = json["signatures"].as_array().unwrap();
    let keys = v["input"]["key"].as_array().unwrap();
    let algs = v["input"]["alg"].as_array().unwrap();
    assert_eq!((signatures.len(), keys.len(), algs.len()), (3, 3, 3));
    for (i, signature) in signatures.iter().enumerate() {
        let alg = Algorithm::from_header(text(&algs[i])).unwrap();
        let key = pin(&verification_key(&jwk_key(&keys[i])), alg);
        // The signing input is the protected header (empty when there is none), '.', the payload;
        // the unprotected "header" members are not signed.
        let protected = signature.get("protected").map_or("", text);
        let input = format!("{protected}.{}", text(&json["payload"]));
        assert_eq!(input, text(&v["signing"][i]["sig-input"]), "{alg}");
        let header_alg = match protected {
            "" => signature["header"]["alg"].clone(),
            p => serde_json::from_slice::<Value>(&b64::decode_strict(p).unwrap()).unwrap()["alg"].clone(),
        };
        assert_eq!(header_alg, algs[i], "signature {i} names its algorithm");
        assert!(verifies(&key, &input, text(&signature["signature"])), "{alg} signature verifies");
        let other = format!("{protected}.{}", b64::encode(b"something else"));
        assert!(!verifies(&key, &other, text(&signature["signature"])), "{alg} signature covers the payload");
    }
}

// ---------------------------------------------------------------------------------------------
// RFC 7515 Appendix A. Keys and tokens verbatim from the RFC, as quoted by the ruby-jose test
// suite (JOSETest#test_jws_a_2..a_4, each citing its appendix); A.3 also as quoted by several other
// JOSE libraries' tests. The claims of A.1–A.3 expire at 1300819380.

/// RFC 7515 A.1–A.3: the JWS Payload, with its CRLFs.
const RFC7515_CLAIMS: &[u8] = b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";
const BEFORE_RFC7515_EXPIRY: f64 = 1_300_819_000.0;

/// RFC 7515 A.2.1: the RSA key.
const RFC7515_A2_KEY: &str = r#"{"kty":"RSA",
 "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
 "e":"AQAB",
 "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
 "p":"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
 "q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
 "dp":"BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
 "dq":"h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
 "qi":"IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"
}"#;

/// RFC 7515 A.2.1: the complete JWS, header {"alg":"RS256"}.
const RFC7515_A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 7515 A.3.1: the P-256 key.
const RFC7515_A3_KEY: &str = r#"{"kty":"EC","crv":"P-256",
 "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
 "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
 "d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
}"#;

/// RFC 7515 A.3.1: the complete JWS, header {"alg":"ES256"}.
const RFC7515_A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

/// RFC 7515 A.4.1: the P-521 key.
const RFC7515_A4_KEY: &str = r#"{"kty":"EC","crv":"P-521",
 "x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
 "y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
 "d":"AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"
}"#;

/// RFC 7515 A.4.1: the complete JWS, header {"alg":"ES512"}, payload "Payload".
const RFC7515_A4_TOKEN: &str = "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

/// The key of a private JWK with its private members removed.
fn public_only(jwk: &str) -> Arc<Key> {
    let key = jwk_key(&public_jwk_of(&serde_json::from_str(jwk).unwrap()));
    assert!(!key.has_private_key());
    key
}

#[test]
fn rfc7515_a2_rs256_signature_is_reproduced() {
    let key = import(KeyFormat::Jwk, RFC7515_A2_KEY);
    assert_eq!(sign_compact(&pin(&key, RS256), br#"{"alg":"RS256"}"#, RFC7515_CLAIMS).unwrap(), RFC7515_A2_TOKEN);
}

/// Validates an RFC 7515 JWT with a validator holding only the public key.
fn assert_rfc7515_jwt_validates(jwk: &str, alg: Algorithm, token: &str) {
    let validator = Validator::new(ValidationOptions::default(), vec![pin(&public_only(jwk), alg)]).unwrap();
    let report = validator.validate_at(token, BEFORE_RFC7515_EXPIRY);
    assert_eq!(report.reason, Reason::Valid, "{}", report.message);
    assert_eq!(report.claims.unwrap()["iss"], "joe");
    assert_eq!(validator.check_at(&with_other_payload(token), BEFORE_RFC7515_EXPIRY), Reason::InvalidSignature);
    assert_eq!(validator.check_at(token, 1_300_819_380.0 + 61.0), Reason::Expired);
}

#[test]
fn rfc7515_a2_rs256_token_validates_with_the_public_key() {
    assert_rfc7515_jwt_validates(RFC7515_A2_KEY, RS256, RFC7515_A2_TOKEN);
}

#[test]
fn rfc7515_a3_es256_token_validates_with_the_public_key() {
    assert_rfc7515_jwt_validates(RFC7515_A3_KEY, ES256, RFC7515_A3_TOKEN);
    // A new signature from the A.3 private key verifies with its public key.
    let fresh = sign_compact(&pin(&import(KeyFormat::Jwk, RFC7515_A3_KEY), ES256), br#"{"alg":"ES256"}"#, RFC7515_CLAIMS).unwrap();
    assert_ne!(fresh, RFC7515_A3_TOKEN);
    assert_compact_verifies(&[pin(&public_only(RFC7515_A3_KEY), ES256)], &fresh, RFC7515_CLAIMS);
}

#[test]
fn rfc7515_a4_es512_signature_verifies_with_the_public_key() {
    assert_compact_verifies(&[pin(&public_only(RFC7515_A4_KEY), ES512)], RFC7515_A4_TOKEN, b"Payload");
}

// ---------------------------------------------------------------------------------------------
// RFC 8037 Appendix A (Ed25519), verbatim; the same example is the cookbook's curve25519/jws.json.

/// RFC 8037 A.1: the private key.
const RFC8037_PRIVATE_JWK: &str = r#"{"kty":"OKP","crv":"Ed25519",
 "d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
 "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
/// RFC 8037 A.2: the public key.
const RFC8037_PUBLIC_JWK: &str = r#"{"kty":"OKP","crv":"Ed25519",
 "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
/// RFC 8037 A.3: the RFC 7638 thumbprint of the public key.
const RFC8037_THUMBPRINT: &str = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
/// RFC 8037 A.4: the JWS of "Example of Ed25519 signing" under {"alg":"EdDSA"}.
const RFC8037_A4_JWS: &str =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

#[test]
fn rfc8037_a4_ed25519_signature_is_reproduced() {
    let key = import(KeyFormat::Jwk, RFC8037_PRIVATE_JWK);
    let jws = sign_compact(&pin(&key, EdDSA), br#"{"alg":"EdDSA"}"#, b"Example of Ed25519 signing").unwrap();
    assert_eq!(jws, RFC8037_A4_JWS);
}

#[test]
fn rfc8037_a5_ed25519_signature_verifies_with_the_public_key() {
    let key = import(KeyFormat::Jwk, RFC8037_PUBLIC_JWK);
    assert!(!key.has_private_key());
    assert_compact_verifies(&[pin(&key, EdDSA)], RFC8037_A4_JWS, b"Example of Ed25519 signing");
}

#[test]
fn rfc8037_a3_thumbprint_is_the_key_id_of_both_halves() {
    for jwk in [RFC8037_PUBLIC_JWK, RFC8037_PRIVATE_JWK] {
        let key = import(KeyFormat::Jwk, jwk);
        assert_eq!(key.thumbprint(), RFC8037_THUMBPRINT);
        assert_eq!(key.key_id(), RFC8037_THUMBPRINT, "no kid member: the thumbprint names the key");
    }
}

#[test]
fn cookbook_curve25519_example_is_rfc8037_a4() {
    let v = common::vector("jose-cookbook/curve25519/jws.json");
    let rfc: Value = serde_json::from_str(RFC8037_PRIVATE_JWK).unwrap();
    assert_eq!((&v["input"]["key"]["d"], &v["input"]["key"]["x"]), (&rfc["d"], &rfc["x"]));
    assert_eq!(text(&v["output"]["compact"]), RFC8037_A4_JWS);
}

// ---------------------------------------------------------------------------------------------
// RFC 7638 §3.1: the thumbprint depends on the key, not on how it was imported.

const RFC7638_JWK: &str = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
const RFC7638_THUMBPRINT: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

#[test]
fn rfc7638_3_1_thumbprint_is_the_same_through_jwk_pem_and_der() {
    let from_jwk = import(KeyFormat::Jwk, RFC7638_JWK);
    assert_eq!(from_jwk.thumbprint(), RFC7638_THUMBPRINT);
    assert_eq!(from_jwk.key_id(), "2011-04-29", "a JWK's own kid names the key");
    let jwk: Value = serde_json::from_str(RFC7638_JWK).unwrap();
    let number = |member: &str| BigNum::from_slice(&b64::decode_strict(text(&jwk[member])).unwrap()).unwrap();
    let rsa = openssl::rsa::Rsa::from_public_components(number("n"), number("e")).unwrap();
    for (name, format, bytes) in [
        ("SPKI PEM", KeyFormat::Pem, rsa.public_key_to_pem().unwrap()),
        ("PKCS#1 PEM", KeyFormat::Pem, rsa.public_key_to_pem_pkcs1().unwrap()),
        ("SPKI DER", KeyFormat::Der, rsa.public_key_to_der().unwrap()),
    ] {
        let key = import(format, bytes);
        assert_eq!(key.thumbprint(), RFC7638_THUMBPRINT, "{name}");
        assert_eq!(key.key_id(), RFC7638_THUMBPRINT, "{name}: without a kid the thumbprint names the key");
    }
}

// ---------------------------------------------------------------------------------------------
// Attacks. Tokens carry valid claims, so every refusal below is about the JOSE layer.

fn claims() -> Value {
    json!({"sub": "alice", "iss": "krjwt-tests", "exp": NOW as i64 + 600})
}

/// Signs the claims under `header` with `signer`, whatever the header says.
fn token(header: &Value, signer: &PinnedKey) -> String {
    sign_compact(signer, header.to_string().as_bytes(), claims().to_string().as_bytes()).unwrap()
}

fn validator(keys: Vec<PinnedKey>) -> Validator {
    Validator::new(ValidationOptions::default(), keys).unwrap()
}

/// The validation reason, checked to agree between the detailed and the fast path.
fn reason(validator: &Validator, token: &str) -> Reason {
    let report = validator.validate_at(token, NOW);
    assert_eq!(validator.check_at(token, NOW), report.reason, "fast path agrees ({})", report.message);
    assert!(!report.message.is_empty());
    report.reason
}

const CURVES: [(Nid, Algorithm); 3] = [(Nid::X9_62_PRIME256V1, ES256), (Nid::SECP384R1, ES384), (Nid::SECP521R1, ES512)];

/// A valid ES token, a validator holding only the public key, and the token's (r, s).
struct EcdsaCase {
    alg: Algorithm,
    token: String,
    validator: Validator,
    r: BigNum,
    s: BigNum,
    size: usize,
    order: BigNum,
}

fn ecdsa_case(curve: Nid, alg: Algorithm) -> EcdsaCase {
    let key = import(KeyFormat::Pem, common::ec(curve).private_key_to_pem_pkcs8().unwrap());
    let token = token(&json!({"alg": alg.name()}), &pin(&key, alg));
    let validator = validator(vec![pin(&verification_key(&key), alg)]);
    assert_eq!(reason(&validator, &token), Reason::Valid, "{alg} control");
    let signature = signature_of(&token);
    let size = signature.len() / 2;
    let mut order = BigNum::new().unwrap();
    EcGroup::from_curve_name(curve).unwrap().order(&mut order, &mut BigNumContext::new().unwrap()).unwrap();
    let (r, s) = (BigNum::from_slice(&signature[..size]).unwrap(), BigNum::from_slice(&signature[size..]).unwrap());
    EcdsaCase { alg, token, validator, r, s, size, order }
}

impl EcdsaCase {
    fn raw(&self, r: &BigNumRef, s: &BigNumRef) -> Vec<u8> {
        let mut raw = r.to_vec_padded(self.size as i32).unwrap();
        raw.extend(s.to_vec_padded(self.size as i32).unwrap());
        raw
    }

    fn reason_with(&self, signature: &[u8]) -> Reason {
        reason(&self.validator, &with_signature(&self.token, signature))
    }
}

fn sum(a: &BigNumRef, b: &BigNumRef) -> BigNum {
    let mut total = BigNum::new().unwrap();
    total.checked_add(a, b).unwrap();
    total
}

#[test]
fn ecdsa_signatures_with_r_or_s_outside_1_to_n_minus_1_are_rejected() {
    for (curve, alg) in CURVES {
        let case = ecdsa_case(curve, alg);
        let zero = BigNum::new().unwrap();
        let n = &case.order;
        let n_plus_1 = sum(n, &BigNum::from_u32(1).unwrap());
        let n_plus_7 = sum(n, &BigNum::from_u32(7).unwrap());
        let (r, s) = (&case.r, &case.s);
        let cases: [(&str, &BigNumRef, &BigNumRef); 9] = [
            ("r = 0", &zero, s),
            ("s = 0", r, &zero),
            ("r = s = 0", &zero, &zero),
            ("r = n", n, s),
            ("s = n", r, n),
            ("r = n + 1", &n_plus_1, s),
            ("s = n + 1", r, &n_plus_1),
            ("r = s = n + 7", &n_plus_7, &n_plus_7),
            ("r = s = n", n, n),
        ];
        for (name, r, s) in cases {
            assert_eq!(case.reason_with(&case.raw(r, s)), Reason::InvalidSignature, "{alg}: {name}");
        }
    }
}

#[test]
fn ecdsa_p521_signature_shifted_by_the_order_is_rejected() {
    // Only P-521 leaves room (66 bytes for a 521-bit order) to encode r + n or s + n at the JWS
    // size; a verifier reducing r and s modulo n would accept them.
    let case = ecdsa_case(Nid::SECP521R1, ES512);
    let (r_n, s_n) = (sum(&case.r, &case.order), sum(&case.s, &case.order));
    assert!(r_n.num_bytes() as usize <= case.size && s_n.num_bytes() as usize <= case.size);
    for (name, r, s) in [("r + n", &*r_n, &*case.s), ("s + n", &*case.r, &*s_n), ("r + n, s + n", &*r_n, &*s_n)] {
        assert_eq!(case.reason_with(&case.raw(r, s)), Reason::InvalidSignature, "{name}");
    }
}

#[test]
fn ecdsa_signatures_of_the_wrong_length_are_rejected() {
    for (curve, alg) in CURVES {
        let case = ecdsa_case(curve, alg);
        let valid = case.raw(&case.r, &case.s);
        // Each half one byte longer: a verifier splitting the signature in two would read the same r and s.
        let mut halves_zero_padded = vec![0];
        halves_zero_padded.extend(&valid[..case.size]);
        halves_zero_padded.push(0);
        halves_zero_padded.extend(&valid[case.size..]);
        let cases: [(&str, Vec<u8>); 7] = [
            ("empty", Vec::new()),
            ("one byte short", valid[..valid.len() - 1].to_vec()),
            ("one trailing zero byte", [&valid[..], &[0]].concat()),
            ("one leading zero byte", [&[0], &valid[..]].concat()),
            ("r alone", valid[..case.size].to_vec()),
            ("twice", valid.repeat(2)),
            ("each half zero-padded", halves_zero_padded),
        ];
        for (name, signature) in cases {
            assert_eq!(case.reason_with(&signature), Reason::InvalidSignature, "{}: {name}", case.alg);
        }
    }
}

#[test]
fn ecdsa_der_encoded_signatures_are_rejected() {
    for (curve, alg) in CURVES {
        let case = ecdsa_case(curve, alg);
        let der = EcdsaSig::from_private_components(case.r.to_owned().unwrap(), case.s.to_owned().unwrap()).unwrap().to_der().unwrap();
        assert_eq!(case.reason_with(&der), Reason::InvalidSignature, "{alg}: the same (r, s) in DER");
    }
}

#[test]
fn eddsa_signature_with_s_shifted_by_the_group_order_is_rejected() {
    // RFC 8032 §5.1.7: S must be below L, or Ed25519 signatures become malleable.
    let key = import(KeyFormat::Pem, common::ed25519().private_key_to_pem_pkcs8().unwrap());
    let token = token(&json!({"alg": "EdDSA"}), &pin(&key, EdDSA));
    let validator = validator(vec![pin(&verification_key(&key), EdDSA)]);
    assert_eq!(reason(&validator, &token), Reason::Valid);
    let signature = signature_of(&token);
    let little_endian = |bytes: &[u8]| bytes.iter().rev().copied().collect::<Vec<u8>>();
    let s = BigNum::from_slice(&little_endian(&signature[32..])).unwrap();
    let l = BigNum::from_dec_str("7237005577332262213973186563042994240857116359379907606001950938285454250989").unwrap();
    let shifted = sum(&s, &l);
    assert!(shifted.num_bytes() <= 32);
    let forged = [&signature[..32], &little_endian(&shifted.to_vec_padded(32).unwrap())[..]].concat();
    assert_eq!(reason(&validator, &with_signature(&token, &forged)), Reason::InvalidSignature);
}

#[test]
fn hs256_tokens_maced_with_the_rsa_public_key_text_are_refused() {
    let rsa = common::rsa_2048();
    let public = import(KeyFormat::Pem, rsa.public_key_to_pem().unwrap());
    let legit =
        token(&json!({"alg": "RS256", "kid": public.key_id()}), &pin(&import(KeyFormat::Pem, rsa.private_key_to_pem_pkcs8().unwrap()), RS256));
    let pinned = validator(vec![pin(&public, RS256)]);
    // Even when the options allow HS256, the RSA key is only ever pinned to RSA algorithms.
    let allowing_hs256 = ValidationOptions { algorithms: vec!["RS256".into(), "HS256".into()], ..Default::default() };
    let from_keys = Validator::from_keys(allowing_hs256, vec![public.clone()], Vec::new()).unwrap();
    for validator in [&pinned, &from_keys] {
        assert_eq!(reason(validator, &legit), Reason::Valid, "control");
    }
    let rsa_numbers = rsa.rsa().unwrap();
    let public_texts: [(&str, Vec<u8>); 6] = [
        ("SPKI PEM", rsa.public_key_to_pem().unwrap()),
        ("PKCS#1 PEM", rsa_numbers.public_key_to_pem_pkcs1().unwrap()),
        ("SPKI DER", rsa.public_key_to_der().unwrap()),
        ("PKCS#1 DER", rsa_numbers.public_key_to_der_pkcs1().unwrap()),
        ("JWK as krjwt publishes it", public.public_jwk().unwrap().to_string().into_bytes()),
        ("JWK members only", public_jwk_of(&private_jwk(&rsa)).to_string().into_bytes()),
    ];
    for (name, text) in public_texts {
        let mac = pin(&Arc::new(Key::from_secret(text).unwrap()), HS256);
        let forged = token(&json!({"alg": "HS256", "kid": public.key_id()}), &mac);
        for validator in [&pinned, &from_keys] {
            assert_eq!(reason(validator, &forged), Reason::AlgorithmNotAllowed, "HMAC keyed with the {name}");
        }
    }
}

#[test]
fn asymmetric_keys_cannot_be_pinned_to_hmac() {
    let rsa = common::rsa_2048();
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let keys = [
        ("RSA private", import(KeyFormat::Pem, rsa.private_key_to_pem_pkcs8().unwrap())),
        ("RSA public", import(KeyFormat::Pem, rsa.public_key_to_pem().unwrap())),
        ("EC private", import(KeyFormat::Pem, p256.private_key_to_pem_pkcs8().unwrap())),
        ("EC public", import(KeyFormat::Pem, p256.public_key_to_pem().unwrap())),
        ("Ed25519 private", import(KeyFormat::Pem, ed.private_key_to_pem_pkcs8().unwrap())),
        ("Ed25519 public", import(KeyFormat::Pem, ed.public_key_to_pem().unwrap())),
    ];
    for (name, key) in keys {
        for alg in [HS256, HS384, HS512] {
            assert!(PinnedKey::new(key.clone(), Some(alg)).is_err(), "{name} pinned to {alg}");
            assert!(!key.compatible_algorithms().contains(&alg), "{name} lists {alg}");
            if key.has_private_key() {
                assert!(Builder::new().sign_with(key.clone(), Some(alg)).is_err(), "{name} signs with {alg}");
            }
        }
    }
}

#[test]
fn unsigned_tokens_are_refused_whatever_the_case_of_none() {
    let secret = pin(&Arc::new(Key::from_secret(vec![7; 32]).unwrap()), HS256);
    let rsa = import(KeyFormat::Pem, common::rsa_2048().public_key_to_pem().unwrap());
    let validators = [("HS256", validator(vec![secret.clone()])), ("RS256", validator(vec![pin(&rsa, RS256)]))];
    for name in ["none", "None", "NONE", "nOnE"] {
        let header = json!({"alg": name, "typ": "JWT"});
        let unsigned = format!("{}.{}.", b64::encode(header.to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
        // The same header with a real HMAC under the configured secret changes nothing.
        let maced = token(&header, &secret);
        for (key, validator) in &validators {
            assert_eq!(reason(validator, &unsigned), Reason::AlgorithmNotAllowed, "alg {name}, {key} key");
            assert_eq!(reason(validator, &maced), Reason::AlgorithmNotAllowed, "alg {name} with a MAC, {key} key");
        }
    }
}

#[test]
fn unknown_critical_header_parameters_are_refused() {
    let secret = pin(&Arc::new(Key::from_secret(vec![9; 32]).unwrap()), HS256);
    let validator = validator(vec![secret.clone()]);
    assert_eq!(reason(&validator, &token(&json!({"alg": "HS256"}), &secret)), Reason::Valid, "control");
    let headers = [
        json!({"alg": "HS256", "crit": ["x-krjwt-unknown"], "x-krjwt-unknown": true}),
        json!({"alg": "HS256", "crit": ["b64"], "b64": false}),
        json!({"alg": "HS256", "crit": []}),
        json!({"alg": "HS256", "crit": "x-krjwt-unknown"}),
    ];
    for header in headers {
        assert_eq!(reason(&validator, &token(&header, &secret)), Reason::UnsupportedCritical, "{header}");
    }
}

#[test]
fn keys_named_or_embedded_in_the_header_are_never_used() {
    // A listener the token points jku/x5u at: the validator must never connect to it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = |path: &str| format!("http://{}/{path}", listener.local_addr().unwrap());

    let legit = import(KeyFormat::Pem, common::rsa_2048().private_key_to_pem_pkcs8().unwrap());
    let attacker_pkey = common::rsa_2048();
    let attacker = import(KeyFormat::Pem, attacker_pkey.private_key_to_pem_pkcs8().unwrap());
    let attacker_cert = base64::encode(self_signed_certificate(&attacker_pkey).to_der().unwrap());
    let validator = validator(vec![pin(&verification_key(&legit), RS256)]);
    let headers = [
        ("jwk", json!({"alg": "RS256", "jwk": attacker.public_jwk().unwrap()})),
        ("jwk and its kid", json!({"alg": "RS256", "kid": attacker.key_id(), "jwk": attacker.public_jwk().unwrap()})),
        ("jku", json!({"alg": "RS256", "jku": url("jwks.json")})),
        ("x5u", json!({"alg": "RS256", "x5u": url("cert.pem")})),
        ("x5c", json!({"alg": "RS256", "x5c": [attacker_cert]})),
    ];
    for (name, header) in headers {
        assert_eq!(reason(&validator, &token(&header, &pin(&attacker, RS256))), Reason::InvalidSignature, "attacker's token with {name}");
        assert_eq!(reason(&validator, &token(&header, &pin(&legit, RS256))), Reason::Valid, "legit token with {name}: ignored, not trusted");
    }
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the validator connected to a URL named by a token: {other:?}"),
    }
}

#[test]
fn hostile_kid_values_are_opaque_strings() {
    let oct = |kid: &str, fill: u8| pin(&jwk_key(&json!({"kty": "oct", "kid": kid, "k": b64::encode(&[fill; 32])})), HS256);
    let (alpha, beta) = (oct("alpha", 1), oct("beta", 2));
    let key_set = validator(vec![alpha.clone(), beta.clone()]);
    let lone_key = validator(vec![alpha.clone()]);
    let unnamed = pin(&Arc::new(Key::from_secret(vec![4; 32]).unwrap()), HS256);
    let unnamed_key = validator(vec![unnamed.clone()]);
    let long = "A".repeat(4096);
    let hostile = [
        "../../etc/passwd",
        "' OR 1=1 --",
        "\"; DROP TABLE keys; --",
        "${jndi:ldap://127.0.0.1/a}",
        "%00",
        "\u{0}",
        "kid\r\nX-Injected: 1",
        "",
        long.as_str(),
    ];
    for kid in hostile {
        let header = json!({"alg": "HS256", "kid": kid});
        assert_eq!(reason(&key_set, &token(&header, &alpha)), Reason::KeyNotFound, "{kid:?} in a key set");
        assert_eq!(reason(&lone_key, &token(&header, &alpha)), Reason::KeyNotFound, "{kid:?}: a lone key with its own kid is named exactly");
        assert_eq!(reason(&unnamed_key, &token(&header, &unnamed)), Reason::Valid, "{kid:?}: a key without a kid of its own is tried");
        let named = oct(kid, 3);
        let with_named = validator(vec![named.clone(), beta.clone()]);
        assert_eq!(reason(&with_named, &token(&header, &named)), Reason::Valid, "{kid:?} matched as a plain string");
    }
    for kid in [json!(7), json!({"$ne": null}), json!(["alpha"])] {
        assert_eq!(reason(&key_set, &token(&json!({"alg": "HS256", "kid": kid}), &alpha)), Reason::Malformed, "kid {kid}");
    }
}

#[test]
fn headers_with_duplicate_members_are_refused() {
    // RFC 7515 §4: a header with duplicate names must be rejected, not read first- or last-wins.
    let secret = pin(&Arc::new(Key::from_secret(vec![5; 32]).unwrap()), HS256);
    let validator = validator(vec![secret.clone()]);
    let headers = [
        r#"{"alg":"HS256","alg":"none"}"#,
        r#"{"alg":"none","alg":"HS256"}"#,
        r#"{"alg":"HS256","kid":"alpha","kid":"beta"}"#,
        r#"{"alg":"HS256","crit":["x-krjwt-unknown"],"crit":[]}"#,
    ];
    for header in headers {
        let token = sign_compact(&secret, header.as_bytes(), claims().to_string().as_bytes()).unwrap();
        assert_eq!(reason(&validator, &token), Reason::Malformed, "{header}");
    }
}

#[test]
fn rsa_signatures_must_be_exactly_as_long_as_the_modulus() {
    // RFC 8017 §8.1.2 and §8.2.2 step 1: a signature that is not k octets long is invalid.
    // Accepting one without its leading zero byte makes every such token malleable.
    let private = import(KeyFormat::Pem, common::rsa_2048().private_key_to_pem_pkcs8().unwrap());
    let public = verification_key(&private);
    for alg in [RS256, RS384, RS512, PS256, PS384, PS512] {
        let validator = validator(vec![pin(&public, alg)]);
        // About one signature in 256 starts with a zero byte; vary the header until one does.
        let token = (0..10_000)
            .map(|n| token(&json!({"alg": alg.name(), "n": n}), &pin(&private, alg)))
            .find(|t| signature_of(t)[0] == 0)
            .expect("a signature with a leading zero byte");
        assert_eq!(reason(&validator, &token), Reason::Valid, "{alg} control");
        let signature = signature_of(&token);
        assert_eq!(reason(&validator, &with_signature(&token, &signature[1..])), Reason::InvalidSignature, "{alg} without its leading zero");
        let padded = [&[0u8][..], &signature].concat();
        assert_eq!(reason(&validator, &with_signature(&token, &padded)), Reason::InvalidSignature, "{alg} with an extra leading zero");
    }
}

#[test]
fn rsa_pss_and_pkcs1_v1_5_are_not_interchangeable() {
    let private = import(KeyFormat::Pem, common::rsa_2048().private_key_to_pem_pkcs8().unwrap());
    let public = verification_key(&private);
    for (rs, ps) in [(RS256, PS256), (RS384, PS384), (RS512, PS512)] {
        let (rs_validator, ps_validator) = (validator(vec![pin(&public, rs)]), validator(vec![pin(&public, ps)]));
        let (rs_header, ps_header) = (json!({"alg": rs.name()}), json!({"alg": ps.name()}));
        let rs_token = token(&rs_header, &pin(&private, rs));
        let ps_token = token(&ps_header, &pin(&private, ps));
        assert_eq!(reason(&rs_validator, &rs_token), Reason::Valid, "{rs} control");
        assert_eq!(reason(&ps_validator, &ps_token), Reason::Valid, "{ps} control");
        assert_eq!(reason(&rs_validator, &ps_token), Reason::AlgorithmNotAllowed, "{ps} token, {rs} key");
        assert_eq!(reason(&ps_validator, &rs_token), Reason::AlgorithmNotAllowed, "{rs} token, {ps} key");
        // A signature of one scheme under a header naming the other.
        assert_eq!(reason(&rs_validator, &token(&rs_header, &pin(&private, ps))), Reason::InvalidSignature, "PSS under {rs}");
        assert_eq!(reason(&ps_validator, &token(&ps_header, &pin(&private, rs))), Reason::InvalidSignature, "PKCS#1 under {ps}");
    }
}

/// RFC 8017 §9.2 note 1: DigestInfo up to the hash value, for SHA-256/384/512.
fn digest_info_prefix(alg: Algorithm) -> Vec<u8> {
    let (id, len) = match alg {
        RS256 => (1, 32),
        RS384 => (2, 48),
        _ => (3, 64),
    };
    [&[0x30, 0x11 + len, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, id, 0x05, 0x00, 0x04, len][..]].concat()
}

fn sha(alg: Algorithm, data: &[u8]) -> Vec<u8> {
    let md = match alg {
        RS256 | PS256 => MessageDigest::sha256(),
        RS384 | PS384 => MessageDigest::sha384(),
        _ => MessageDigest::sha512(),
    };
    openssl::hash::hash(md, data).unwrap().to_vec()
}

#[test]
fn rsa_pkcs1_signatures_must_encode_the_digest_info_exactly() {
    // RFC 8017 §8.2.2: encode the expected block and compare, so that no lax parse of the
    // recovered block (missing NULL parameters, another hash, trailing or hidden bytes: the
    // Bleichenbacher 2006 forgeries) is ever accepted.
    let private_pkey = common::rsa_2048();
    let rsa = private_pkey.rsa().unwrap();
    let private = import(KeyFormat::Pem, private_pkey.private_key_to_pem_pkcs8().unwrap());
    let public = verification_key(&private);
    let k = rsa.size() as usize;
    // The signature of a block padded by OpenSSL (type 1), or of a block given whole.
    let padded = |block: &[u8]| {
        let mut sig = vec![0; k];
        let len = rsa.private_encrypt(block, &mut sig, Padding::PKCS1).unwrap();
        sig.truncate(len);
        sig
    };
    let raw = |block: &[u8]| {
        let mut sig = vec![0; k];
        rsa.private_encrypt(block, &mut sig, Padding::NONE).unwrap();
        sig
    };
    for alg in [RS256, RS384, RS512] {
        let validator = validator(vec![pin(&public, alg)]);
        let token = token(&json!({"alg": alg.name()}), &pin(&private, alg));
        let (input, _) = token.rsplit_once('.').unwrap();
        let hash = sha(alg, input.as_bytes());
        let digest_info = [digest_info_prefix(alg), hash.clone()].concat();
        assert_eq!(reason(&validator, &with_signature(&token, &padded(&digest_info))), Reason::Valid, "{alg} control");
        let other = if alg == RS512 { RS256 } else { RS512 };
        let mut without_null = digest_info_prefix(alg);
        without_null.drain(15..17);
        without_null[1] -= 2;
        without_null[3] -= 2;
        let type_1 = |filler: usize, tail: &[u8]| [&[0u8, 1][..], &vec![0xff; filler], &[0], tail].concat();
        let forged: Vec<(&str, Vec<u8>)> = vec![
            ("the hash alone, without DigestInfo", padded(&hash)),
            ("DigestInfo without its NULL parameters", padded(&[without_null, hash.clone()].concat())),
            ("DigestInfo of another hash", padded(&[digest_info_prefix(other), sha(other, input.as_bytes())].concat())),
            ("DigestInfo of another input", padded(&[digest_info_prefix(alg), sha(alg, b"other.input")].concat())),
            ("DigestInfo with a trailing byte", padded(&[&digest_info[..], &[0]].concat())),
            ("DigestInfo cut short", padded(&digest_info[..digest_info.len() - 1])),
            ("bytes hidden between the padding and DigestInfo", raw(&type_1(k - 3 - digest_info.len() - 8, &[&[0u8; 8][..], &digest_info].concat()))),
            ("padding shorter than 8 bytes", raw(&[&[0u8, 1, 0xff, 0xff, 0][..], &vec![0x30; k - 5 - digest_info.len()], &digest_info].concat())),
            ("a type 2 (encryption) block", raw(&[&[0u8, 2][..], &vec![0x55; k - 3 - digest_info.len()], &[0], &digest_info].concat())),
        ];
        for (what, signature) in forged {
            assert_eq!(signature.len(), k, "{alg} {what}: the forgery has the modulus length");
            assert_eq!(reason(&validator, &with_signature(&token, &signature)), Reason::InvalidSignature, "{alg}: {what}");
        }
    }
}

#[test]
fn rsa_pss_salts_and_mask_hashes_must_follow_the_algorithm() {
    // RFC 7518 §3.5: MGF1 with the same hash, and a salt exactly as long as the hash output.
    let private_pkey = common::rsa_2048();
    let private = import(KeyFormat::Pem, private_pkey.private_key_to_pem_pkcs8().unwrap());
    let public = verification_key(&private);
    let md = |alg: Algorithm| match alg {
        PS256 => MessageDigest::sha256(),
        PS384 => MessageDigest::sha384(),
        _ => MessageDigest::sha512(),
    };
    for alg in [PS256, PS384, PS512] {
        let validator = validator(vec![pin(&public, alg)]);
        let token = token(&json!({"alg": alg.name()}), &pin(&private, alg));
        let (input, _) = token.rsplit_once('.').unwrap();
        let sign = |salt: RsaPssSaltlen, mgf1: MessageDigest| {
            let mut signer = Signer::new(md(alg), &private_pkey).unwrap();
            signer.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
            signer.set_rsa_pss_saltlen(salt).unwrap();
            signer.set_rsa_mgf1_md(mgf1).unwrap();
            with_signature(&token, &signer.sign_oneshot_to_vec(input.as_bytes()).unwrap())
        };
        let len = md(alg).size() as i32;
        assert_eq!(reason(&validator, &sign(RsaPssSaltlen::custom(len), md(alg))), Reason::Valid, "{alg} control");
        for salt in [0, 20, len - 1, len + 1] {
            assert_eq!(reason(&validator, &sign(RsaPssSaltlen::custom(salt), md(alg))), Reason::InvalidSignature, "{alg} with a {salt}-byte salt");
        }
        assert_eq!(reason(&validator, &sign(RsaPssSaltlen::MAXIMUM_LENGTH, md(alg))), Reason::InvalidSignature, "{alg} with the longest salt");
        let other = if alg == PS256 { MessageDigest::sha512() } else { MessageDigest::sha256() };
        assert_eq!(reason(&validator, &sign(RsaPssSaltlen::custom(len), other)), Reason::InvalidSignature, "{alg} with MGF1 of another hash");
        assert_eq!(reason(&validator, &token), Reason::Valid, "{alg} after the refusals");
    }
}

// ---------------------------------------------------------------------------------------------
// Builder → Validator round trips: every algorithm, every key source; asymmetric tokens are
// verified by validators holding only the public key, from every public source.

const ISSUER: &str = "https://issuer.krjwt.test";
const AUDIENCE: &str = "krjwt-clients";

type Sources = Vec<(&'static str, Arc<Key>)>;

fn assert_round_trips(algs: &[Algorithm], signing: &Sources, verifying: &Sources) {
    let thumbprint = signing[0].1.thumbprint();
    for (name, key) in signing.iter().chain(verifying) {
        assert_eq!(key.thumbprint(), thumbprint, "{name} holds the same key");
    }
    for &alg in algs {
        for (signing_name, signing_key) in signing {
            let mut builder = Builder::new();
            builder.set_issuer(ISSUER).unwrap();
            builder.add_audience(AUDIENCE).unwrap();
            builder.set_subject("alice").unwrap();
            builder.sign_with(signing_key.clone(), Some(alg)).unwrap();
            let result = builder.build_at(NOW).unwrap();
            for (verifying_name, verifying_key) in verifying {
                let options = ValidationOptions { issuers: vec![ISSUER.into()], audiences: vec![AUDIENCE.into()], ..Default::default() };
                let validator = Validator::new(options, vec![pin(verifying_key, alg)]).unwrap();
                let report = validator.validate_at(result.token(), NOW + 1.0);
                assert_eq!(report.reason, Reason::Valid, "{alg} signed with {signing_name}, verified with {verifying_name}: {}", report.message);
                assert_eq!(report.header.unwrap()["alg"], alg.name());
                assert_eq!(report.claims.unwrap()["sub"], "alice");
            }
        }
    }
}

/// Every private-key form krjwt reads for this key type.
fn signing_sources(key: &PKey<Private>) -> Sources {
    let pkcs8 = key.private_key_to_pem_pkcs8().unwrap();
    let mut sources = vec![
        ("PKCS#8 PEM", import(KeyFormat::Pem, &pkcs8)),
        ("PKCS#8 DER", import(KeyFormat::Der, pem_to_der(&pkcs8))),
        ("JWK", import(KeyFormat::Jwk, private_jwk(key).to_string())),
    ];
    match key.id() {
        Id::RSA => {
            let rsa = key.rsa().unwrap();
            sources.push(("PKCS#1 PEM", import(KeyFormat::Pem, rsa.private_key_to_pem().unwrap())));
            sources.push(("PKCS#1 DER", import(KeyFormat::Der, rsa.private_key_to_der().unwrap())));
        }
        Id::EC => {
            let ec = key.ec_key().unwrap();
            sources.push(("SEC1 PEM", import(KeyFormat::Pem, ec.private_key_to_pem().unwrap())));
            sources.push(("SEC1 DER", import(KeyFormat::Der, ec.private_key_to_der().unwrap())));
        }
        _ => {}
    }
    for (name, key) in &sources {
        assert!(key.has_private_key(), "{name}");
    }
    sources
}

/// Every public form krjwt reads for this key type: none of them holds the private key.
fn verifying_sources(key: &PKey<Private>) -> Sources {
    let certificate = self_signed_certificate(key);
    let mut sources = vec![
        ("SPKI PEM", import(KeyFormat::Pem, key.public_key_to_pem().unwrap())),
        ("SPKI DER", import(KeyFormat::Der, key.public_key_to_der().unwrap())),
        ("certificate PEM", import(KeyFormat::Pem, certificate.to_pem().unwrap())),
        ("certificate DER", import(KeyFormat::Der, certificate.to_der().unwrap())),
        ("public JWK", import(KeyFormat::Jwk, public_jwk_of(&private_jwk(key)).to_string())),
    ];
    if key.id() == Id::RSA {
        let rsa = key.rsa().unwrap();
        sources.push(("PKCS#1 public PEM", import(KeyFormat::Pem, rsa.public_key_to_pem_pkcs1().unwrap())));
        sources.push(("PKCS#1 public DER", import(KeyFormat::Der, rsa.public_key_to_der_pkcs1().unwrap())));
    }
    for (name, key) in &sources {
        assert!(!key.has_private_key(), "{name}");
    }
    sources
}

#[test]
fn rsa_private_jwk_without_crt_parameters_signs() {
    // RFC 7518 §6.3.2: only "d" is required; p, q, dp, dq and qi are optional optimizations.
    let key = common::rsa_2048();
    let mut jwk = private_jwk(&key);
    for member in ["p", "q", "dp", "dq", "qi"] {
        jwk.as_object_mut().unwrap().remove(member);
    }
    let imported = Key::import(KeyFormat::Jwk, jwk.to_string().as_bytes()).unwrap_or_else(|e| panic!("n, e, d only: {}", e.message));
    assert_round_trips(&[RS256, PS256], &vec![("JWK with n, e and d only", Arc::new(imported))], &verifying_sources(&key));
}

#[test]
fn hmac_round_trips_from_every_secret_source() {
    // 64 random letters and digits: usable as raw bytes, as a passphrase, and for HS512.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut random = [0u8; 64];
    openssl::rand::rand_bytes(&mut random).unwrap();
    let secret: String = random.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    let jwk = json!({"kty": "oct", "k": b64::encode(secret.as_bytes())}).to_string();
    let signing: Sources = vec![
        ("raw secret", import(KeyFormat::Secret, &secret)),
        ("base64url", import(KeyFormat::Base64Url, b64::encode(secret.as_bytes()))),
        ("hexadecimal", import(KeyFormat::Hex, hex)),
        ("passphrase", import(KeyFormat::Passphrase, &secret)),
        ("JWK", import(KeyFormat::Jwk, &jwk)),
    ];
    let verifying: Sources = vec![("raw secret", import(KeyFormat::Secret, &secret)), ("JWK", import(KeyFormat::Jwk, &jwk))];
    assert_round_trips(&[HS256, HS384, HS512], &signing, &verifying);
}

#[test]
fn rsa_round_trips_from_every_key_source() {
    let key = common::rsa_2048();
    assert_round_trips(&[RS256, RS384, RS512, PS256, PS384, PS512], &signing_sources(&key), &verifying_sources(&key));
}

#[test]
fn ecdsa_round_trips_from_every_key_source() {
    for (curve, alg) in CURVES {
        let key = common::ec(curve);
        assert_round_trips(&[alg], &signing_sources(&key), &verifying_sources(&key));
    }
}

#[test]
fn eddsa_round_trips_from_every_key_source() {
    let key = common::ed25519();
    assert_round_trips(&[EdDSA], &signing_sources(&key), &verifying_sources(&key));
}
