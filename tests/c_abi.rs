//! The C ABI seen from a host: statuses, last errors, strings, handle misuse and threads.

mod common;

use krjwt::ffi::*;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::ptr::{null, null_mut};

fn last_error() -> (KrStatus, String) {
    let message = kr_last_error_get_message();
    let text = if message.is_null() { String::new() } else { unsafe { CStr::from_ptr(message) }.to_string_lossy().into_owned() };
    unsafe { kr_string_free(message) };
    (kr_last_error_get_code(), text)
}

fn take(s: *mut c_char) -> String {
    assert!(!s.is_null());
    let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_string();
    unsafe { kr_string_free(s) };
    text
}

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

/// Each handle a test made is released with `KR_STATUS_OK` (none was freed twice or lost its type).
fn assert_freed(statuses: impl IntoIterator<Item = KrStatus>) {
    for status in statuses {
        assert_eq!(status, KrStatus::Ok);
    }
}

fn hex_key() -> *mut KrKey {
    let mut key = null_mut();
    let hex = common::HEX_KEY_32.as_bytes();
    assert_eq!(unsafe { kr_key_import(KrKeyFormat::Hex as i32, hex.as_ptr(), hex.len(), &mut key) }, KrStatus::Ok);
    key
}

fn signed_builder() -> *mut KrBuilder {
    let mut b = null_mut();
    unsafe {
        assert_eq!(kr_builder_new(&mut b), KrStatus::Ok);
        assert_eq!(kr_builder_set_issuer(b, c("iss").as_ptr()), KrStatus::Ok);
        assert_eq!(kr_builder_add_audience(b, c("aud").as_ptr()), KrStatus::Ok);
        let key = hex_key();
        assert_eq!(kr_builder_sign(b, key, null()), KrStatus::Ok);
        assert_eq!(kr_key_free(key), KrStatus::Ok, "the builder keeps its own reference");
    }
    b
}

/// A signed builder and the result it built.
fn signed_result() -> (*mut KrBuilder, *mut KrResult) {
    let b = signed_builder();
    (b, build(b).unwrap())
}

#[test]
fn version_is_exported() {
    assert_eq!(kr_abi_version(), KRJWT_ABI_VERSION);
    assert_eq!(unsafe { CStr::from_ptr(kr_version()) }.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn build_then_validate_round_trip() {
    unsafe {
        let (b, result) = signed_result();
        let token = token_of(result);
        let mut describe = null_mut();
        assert_eq!(kr_result_describe(result, &mut describe), KrStatus::Ok);
        let description: serde_json::Value = serde_json::from_str(&take(describe)).unwrap();
        assert_eq!(description["token"], token.as_str());
        assert_eq!(description["algorithm"], "HS256");
        assert_eq!(description["audiences"], serde_json::json!(["aud"]));

        let mut v = null_mut();
        assert_eq!(kr_validator_new_for_result(result, 60.0, &mut v), KrStatus::Ok);
        let mut reason = KrReason::Malformed;
        assert_eq!(kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason), KrStatus::Ok);
        assert_eq!(reason, KrReason::Valid);
        let altered = format!("{token}x");
        assert_eq!(kr_validator_check(v, altered.as_ptr().cast(), altered.len(), &mut reason), KrStatus::Ok);
        assert_ne!(reason, KrReason::Valid);
        let mut report = null_mut();
        assert_eq!(kr_validator_validate(v, "a.b".as_ptr().cast(), "a.b".len(), &mut report), KrStatus::Ok);
        let report: serde_json::Value = serde_json::from_str(&take(report)).unwrap();
        assert_eq!(report["valid"], false);
        assert_eq!(report["reason"], "Malformed");

        assert_freed([kr_validator_free(v), kr_result_free(result), kr_builder_free(b)]);
    }
}

#[test]
fn null_pointers_are_reported_not_dereferenced() {
    unsafe {
        let mut out: *mut c_char = null_mut();
        let mut key_out: *mut KrKey = null_mut();
        assert_eq!(kr_builder_set_issuer(null_mut(), c("x").as_ptr()), KrStatus::NullPointer);
        assert!(last_error().1.contains("builder handle is NULL"));
        let b = signed_builder();
        assert_eq!(kr_builder_set_issuer(b, null()), KrStatus::NullPointer);
        assert!(last_error().1.contains("'issuer'"));
        assert_eq!(kr_builder_build(b, null_mut()), KrStatus::NullPointer);
        assert_eq!(kr_key_import(KrKeyFormat::Secret as i32, null(), 5, &mut key_out), KrStatus::NullPointer);
        assert_eq!(kr_result_get_token(null(), &mut out), KrStatus::NullPointer);
        assert_eq!(kr_validator_check(null(), "t".as_ptr().cast(), "t".len(), &mut KrReason::Valid), KrStatus::NullPointer);
        assert_eq!(kr_builder_free(null_mut()), KrStatus::Ok, "freeing NULL is a no-op");
        kr_string_free(null_mut());
        kr_builder_free(b);
    }
}

#[test]
fn freed_forged_and_wrong_type_handles_are_refused() {
    unsafe {
        let (b, result) = signed_result();
        // A result handle used as a builder, and the reverse.
        assert_eq!(kr_builder_set_issuer(result.cast(), c("x").as_ptr()), KrStatus::InvalidHandle);
        assert_eq!(kr_result_get_token(b.cast(), &mut null_mut()), KrStatus::InvalidHandle);
        assert_eq!(kr_result_get_token(result, null_mut()), KrStatus::NullPointer);
        assert_eq!(kr_builder_free(result.cast()), KrStatus::InvalidHandle, "wrong-type free leaves the handle alive");
        token_of(result);
        // Freed handles stay dead, and double free is caught.
        assert_eq!(kr_builder_free(b), KrStatus::Ok);
        assert_eq!(kr_builder_set_issuer(b, c("x").as_ptr()), KrStatus::InvalidHandle);
        let (status, message) = last_error();
        assert_eq!(status, KrStatus::InvalidHandle);
        assert!(message.contains("freed"), "{message}");
        assert_eq!(kr_builder_free(b), KrStatus::InvalidHandle);
        // Values never issued.
        assert_eq!(kr_builder_set_issuer(1usize as *mut KrBuilder, c("x").as_ptr()), KrStatus::InvalidHandle);
        assert_eq!(kr_builder_set_issuer(usize::MAX as *mut KrBuilder, c("x").as_ptr()), KrStatus::InvalidHandle);
        assert_eq!(kr_result_free(result), KrStatus::Ok);
    }
}

#[test]
fn bad_arguments_explain_themselves() {
    unsafe {
        let b = signed_builder();
        let invalid_utf8 = [0x66u8, 0xff, 0x00];
        assert_eq!(kr_builder_set_issuer(b, invalid_utf8.as_ptr().cast()), KrStatus::InvalidArgument);
        assert!(last_error().1.contains("UTF-8"));
        assert_eq!(kr_builder_set_header(b, c("x").as_ptr(), c("{nope").as_ptr()), KrStatus::InvalidJson);
        assert_eq!(kr_builder_set_lifetime(b, -5.0), KrStatus::InvalidArgument);
        assert!(last_error().1.contains("positive"));
        assert_eq!(kr_builder_sign(b, null(), c("HS256").as_ptr()), KrStatus::NullPointer);
        let key = hex_key();
        assert_eq!(kr_builder_sign(b, key, c("HS999").as_ptr()), KrStatus::InvalidArgument);
        assert!(last_error().1.contains("Unknown signing algorithm 'HS999'"));
        assert_eq!(kr_builder_sign(b, key, c("HS512").as_ptr()), KrStatus::InvalidKey);
        assert!(last_error().1.contains("too short for HS512"));
        let mut out = null_mut();
        assert_eq!(kr_key_import(99, b"x".as_ptr(), 1, &mut out), KrStatus::InvalidArgument);
        assert_eq!(kr_key_import(KrKeyFormat::Hex as i32, b"abc".as_ptr(), 3, &mut out), KrStatus::InvalidKey);
        let mut unsigned = null_mut();
        assert_eq!(kr_builder_new(&mut unsigned), KrStatus::Ok);
        assert_eq!(kr_builder_build(unsigned, &mut null_mut()), KrStatus::InvalidState);
        let mut v = null_mut();
        assert_eq!(kr_validator_new(c(r#"{"clockSkew":5}"#).as_ptr(), [key as *const KrKey].as_ptr(), 1, null(), 0, &mut v), KrStatus::InvalidJson);
        assert!(last_error().1.contains("clockSkew"));
        assert_eq!(kr_validator_new(null(), null(), 0, null(), 0, &mut v), KrStatus::InvalidArgument);
        assert_freed([kr_key_free(key), kr_builder_free(b), kr_builder_free(unsigned)]);
    }
}

#[test]
fn clone_is_deep_and_key_description_has_no_secret() {
    unsafe {
        let b = signed_builder();
        assert_eq!(kr_builder_set_header(b, c("x-one").as_ptr(), c("1").as_ptr()), KrStatus::Ok);
        let mut copy = null_mut();
        assert_eq!(kr_builder_clone(b, &mut copy), KrStatus::Ok);
        assert_eq!(kr_builder_set_header(copy, c("x-two").as_ptr(), c("2").as_ptr()), KrStatus::Ok);
        let mut text = null_mut();
        assert_eq!(kr_builder_describe(b, &mut text), KrStatus::Ok);
        let original: serde_json::Value = serde_json::from_str(&take(text)).unwrap();
        assert!(original["headers"].get("x-two").is_none());
        assert_eq!(original["signed"], true);

        let key = hex_key();
        assert_eq!(kr_key_describe(key, &mut text), KrStatus::Ok);
        let description = take(text);
        assert!(!description.to_lowercase().contains(&common::HEX_KEY_32[..16]));
        assert!(description.contains("\"kty\":\"oct\""));
        assert_eq!(kr_key_export_public_jwk(key, &mut text), KrStatus::InvalidKey);
        assert_freed([kr_key_free(key), kr_builder_free(b), kr_builder_free(copy)]);
    }
}

#[test]
fn sixteen_threads_share_one_builder_and_validator() {
    unsafe {
        let (b, result) = signed_result();
        let mut v = null_mut();
        assert_eq!(kr_validator_new_for_result(result, 60.0, &mut v), KrStatus::Ok);
        let (b, v) = (b as usize, v as usize);
        let threads: Vec<_> = (0..16)
            .map(|i| {
                std::thread::spawn(move || {
                    for n in 0..100 {
                        let b = b as *mut KrBuilder;
                        let claim = c(&format!("t{i}-{n}"));
                        assert_eq!(kr_builder_add_claim(b, c("seen").as_ptr(), claim.as_ptr()), KrStatus::Ok);
                        let mut r = null_mut();
                        assert_eq!(kr_builder_build(b, &mut r), KrStatus::Ok);
                        let mut token = null_mut();
                        assert_eq!(kr_result_get_token(r, &mut token), KrStatus::Ok);
                        let mut reason = KrReason::Malformed;
                        assert_eq!(
                            kr_validator_check(v as *const KrValidator, token, CStr::from_ptr(token).to_bytes().len(), &mut reason),
                            KrStatus::Ok
                        );
                        assert_eq!(reason, KrReason::Valid);
                        kr_string_free(token);
                        assert_eq!(kr_result_free(r), KrStatus::Ok);
                        // Errors stay on their own thread.
                        assert_eq!(kr_builder_set_lifetime(b, -1.0), KrStatus::InvalidArgument);
                        assert_eq!(kr_last_error_get_code(), KrStatus::InvalidArgument);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let mut text = null_mut();
        assert_eq!(kr_builder_describe(b as *const KrBuilder, &mut text), KrStatus::Ok);
        let description: serde_json::Value = serde_json::from_str(&take(text)).unwrap();
        assert_eq!(description["claims"].as_array().unwrap().len(), 16 * 100, "no mutation was lost");
        assert_freed([kr_validator_free(v as *mut _), kr_result_free(result), kr_builder_free(b as *mut _)]);
    }
}

fn import(format: KrKeyFormat, data: &[u8]) -> *mut KrKey {
    let mut key = null_mut();
    assert_eq!(unsafe { kr_key_import(format as i32, data.as_ptr(), data.len(), &mut key) }, KrStatus::Ok, "{}", last_error().1);
    key
}

#[test]
fn jose_layer_signs_and_verifies_arbitrary_bytes() {
    let pem = openssl::ec::EcKey::generate(&openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap())
        .unwrap()
        .private_key_to_pem()
        .unwrap();
    let key = import(KrKeyFormat::Pem, &pem);
    let payload = [0u8, 159, 146, 150, 255];
    unsafe {
        let mut token = null_mut();
        assert_eq!(kr_jws_sign(key, null(), c(r#"{"cty":"bin"}"#).as_ptr(), payload.as_ptr(), payload.len(), &mut token), KrStatus::Ok);
        let token = take(token);
        let mut jwk = null_mut();
        assert_eq!(kr_key_export_public_jwk(key, &mut jwk), KrStatus::Ok);
        let public = import(KrKeyFormat::Jwk, take(jwk).as_bytes());
        let (mut bytes, mut len, mut header) = (null_mut(), 0usize, null_mut());
        let mut reason = KrReason::Malformed;
        assert_eq!(
            kr_jws_verify(public, c("ES256").as_ptr(), token.as_ptr().cast(), token.len(), &mut reason, &mut bytes, &mut len, &mut header),
            KrStatus::Ok
        );
        assert_eq!(reason, KrReason::Valid);
        assert_eq!(std::slice::from_raw_parts(bytes, len), payload);
        kr_bytes_free(bytes, len);
        let parsed: serde_json::Value = serde_json::from_str(&take(header)).unwrap();
        assert_eq!(parsed["alg"], "ES256");
        assert_eq!(parsed["cty"], "bin");
        assert_eq!(
            kr_jws_verify(public, c("ES384").as_ptr(), token.as_ptr().cast(), token.len(), &mut reason, &mut bytes, &mut len, &mut header),
            KrStatus::InvalidKey
        );
        let tampered = format!("{}{}", &token[..token.len() - 1], if token.ends_with('A') { 'Q' } else { 'A' });
        assert_eq!(
            kr_jws_verify(public, null(), tampered.as_ptr().cast(), tampered.len(), &mut reason, &mut bytes, &mut len, &mut header),
            KrStatus::InvalidToken
        );
        assert!(last_error().1.contains("InvalidSignature") || last_error().1.contains("Malformed"));
        assert!(matches!(reason, KrReason::InvalidSignature | KrReason::Malformed), "the verdict is the reason the message names: {reason:?}");
        let mut refused = null_mut();
        assert_eq!(kr_jws_sign(key, null(), c(r#"{"alg":"none"}"#).as_ptr(), payload.as_ptr(), 0, &mut refused), KrStatus::InvalidArgument);

        let mut jwks = null_mut();
        assert_eq!(kr_jwks_export([key as *const KrKey, public as *const KrKey].as_ptr(), 2, &mut jwks), KrStatus::Ok);
        let jwks: serde_json::Value = serde_json::from_str(&take(jwks)).unwrap();
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
        assert!(jwks["keys"][0].get("d").is_none(), "never the private part");
        kr_key_free(key);
        kr_key_free(public);
    }
}

#[test]
fn validators_take_key_sets_and_algorithm_lists() {
    let rsa = openssl::rsa::Rsa::generate(2048).unwrap().private_key_to_pem().unwrap();
    unsafe {
        let signing = import(KrKeyFormat::Pem, &rsa);
        let mut b = null_mut();
        assert_eq!(kr_builder_new(&mut b), KrStatus::Ok);
        assert_eq!(kr_builder_set_issuer(b, c("idp").as_ptr()), KrStatus::Ok);
        assert_eq!(kr_builder_sign(b, signing, c("PS256").as_ptr()), KrStatus::Ok);
        let result = build(b).unwrap();
        let token = token_of(result);
        let mut jwk = null_mut();
        assert_eq!(kr_result_export_public_jwk(result, &mut jwk), KrStatus::Ok);
        let jwk: serde_json::Value = serde_json::from_str(&take(jwk)).unwrap();
        assert_eq!(jwk["alg"], "PS256");
        let options = serde_json::json!({"issuers": ["idp"], "jwks": {"keys": [jwk]}}).to_string();
        let mut v = null_mut();
        assert_eq!(kr_validator_new(c(&options).as_ptr(), null(), 0, null(), 0, &mut v), KrStatus::Ok, "{}", last_error().1);
        let mut reason = KrReason::Malformed;
        assert_eq!(kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason), KrStatus::Ok);
        assert_eq!(reason, KrReason::Valid);
        kr_validator_free(v);
        // The bare public key defaults to RS256; listing PS256 lets it verify this token.
        let bare = import(KrKeyFormat::Pem, &openssl::pkey::PKey::private_key_from_pem(&rsa).unwrap().public_key_to_pem().unwrap());
        assert_eq!(kr_validator_new(null(), [bare as *const KrKey].as_ptr(), 1, null(), 0, &mut v), KrStatus::Ok);
        assert_eq!(kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason), KrStatus::Ok);
        assert_eq!(reason, KrReason::AlgorithmNotAllowed);
        kr_validator_free(v);
        let ps = serde_json::json!({"algorithms": ["PS256", "RS256"]}).to_string();
        assert_eq!(kr_validator_new(c(&ps).as_ptr(), [bare as *const KrKey].as_ptr(), 1, null(), 0, &mut v), KrStatus::Ok);
        assert_eq!(kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason), KrStatus::Ok);
        assert_eq!(reason, KrReason::Valid);
        let hs = serde_json::json!({"algorithms": ["HS256"]}).to_string();
        let mut refused = null_mut();
        assert_eq!(kr_validator_new(c(&hs).as_ptr(), [bare as *const KrKey].as_ptr(), 1, null(), 0, &mut refused), KrStatus::InvalidKey);
        let mut info = null_mut();
        assert_eq!(kr_token_inspect(token.as_ptr().cast(), token.len(), &mut info), KrStatus::Ok);
        let parsed: serde_json::Value = serde_json::from_str(&take(info)).unwrap();
        assert_eq!(parsed["algorithm"], "PS256");
        assert_eq!(parsed["issuer"], "idp");
        assert_eq!(kr_token_inspect("nope".as_ptr().cast(), "nope".len(), &mut info), KrStatus::InvalidToken);
        assert_freed([kr_validator_free(v), kr_key_free(bare), kr_key_free(signing), kr_result_free(result), kr_builder_free(b)]);
    }
}

#[test]
fn nested_tokens_and_jwe_bytes_cross_the_abi() {
    let recipient_pem = openssl::rsa::Rsa::generate(2048).unwrap().private_key_to_pem().unwrap();
    unsafe {
        let recipient = import(KrKeyFormat::Pem, &recipient_pem);
        let b = signed_builder();
        assert_eq!(kr_builder_encrypt(b, recipient, c("rsa-oaep-256").as_ptr(), c("A128CBC-HS256").as_ptr()), KrStatus::Ok);
        assert_eq!(kr_builder_encrypt(b, recipient, c("dir").as_ptr(), null()), KrStatus::InvalidKey);
        assert!(last_error().1.contains("dir"), "{}", last_error().1);
        let result = build(b).unwrap();
        let mut text = null_mut();
        assert_eq!(kr_result_describe(result, &mut text), KrStatus::Ok);
        let description: serde_json::Value = serde_json::from_str(&take(text)).unwrap();
        assert_eq!(description["encrypted"], true);
        assert_eq!(description["outerHeader"]["alg"], "RSA-OAEP-256");
        let token = description["token"].as_str().unwrap().to_string();

        let mut v = null_mut();
        assert_eq!(kr_validator_new_for_result(result, 60.0, &mut v), KrStatus::Ok);
        let mut reason = KrReason::Valid;
        assert_eq!(kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason), KrStatus::Ok);
        assert_eq!(reason, KrReason::Valid, "the result holds the private key, so it decrypts");
        assert_eq!(kr_validator_inspect(v, token.as_ptr().cast(), token.len(), &mut text), KrStatus::Ok);
        let info: serde_json::Value = serde_json::from_str(&take(text)).unwrap();
        assert_eq!(info["issuer"], "iss");
        assert_eq!(kr_token_inspect_with_key(recipient, null(), null(), token.as_ptr().cast(), token.len(), &mut text), KrStatus::Ok);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&take(text)).unwrap()["audiences"], serde_json::json!(["aud"]));
        kr_validator_free(v);

        // A validator for tokens from elsewhere: the HMAC verification key plus the decryption key.
        let hmac = hex_key();
        let options = serde_json::json!({"issuers": ["iss"]}).to_string();
        assert_eq!(
            kr_validator_new(c(&options).as_ptr(), [hmac as *const KrKey].as_ptr(), 1, [recipient as *const KrKey].as_ptr(), 1, &mut v),
            KrStatus::Ok
        );
        assert_eq!(kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason), KrStatus::Ok);
        assert_eq!(reason, KrReason::Valid);
        kr_validator_free(v);

        let payload = b"\x00raw bytes\xff";
        let mut jwe = null_mut();
        assert_eq!(
            kr_jwe_encrypt(recipient, null(), null(), c(r#"{"cty":"bin"}"#).as_ptr(), payload.as_ptr(), payload.len(), &mut jwe),
            KrStatus::Ok
        );
        let jwe = take(jwe);
        let (mut bytes, mut len, mut header) = (null_mut(), 0usize, null_mut());
        reason = KrReason::Malformed;
        assert_eq!(
            kr_jwe_decrypt(recipient, null(), null(), jwe.as_ptr().cast(), jwe.len(), &mut reason, &mut bytes, &mut len, &mut header),
            KrStatus::Ok
        );
        assert_eq!(reason, KrReason::Valid);
        assert_eq!(std::slice::from_raw_parts(bytes, len), payload);
        kr_bytes_free(bytes, len);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&take(header)).unwrap()["alg"], "RSA-OAEP");
        let other = import(KrKeyFormat::Pem, &openssl::rsa::Rsa::generate(2048).unwrap().private_key_to_pem().unwrap());
        assert_eq!(
            kr_jwe_decrypt(other, null(), null(), jwe.as_ptr().cast(), jwe.len(), &mut reason, &mut bytes, &mut len, &mut header),
            KrStatus::InvalidToken
        );
        assert_eq!(reason, KrReason::DecryptionFailed, "the verdict, as a validator reports it");
        assert_freed([kr_key_free(other), kr_key_free(hmac), kr_key_free(recipient), kr_result_free(result), kr_builder_free(b)]);
    }
}

fn build(b: *mut KrBuilder) -> Result<*mut KrResult, (KrStatus, String)> {
    let mut result = null_mut();
    match unsafe { kr_builder_build(b, &mut result) } {
        KrStatus::Ok => Ok(result),
        status => Err((status, last_error().1)),
    }
}

/// The result's compact token.
fn token_of(result: *const KrResult) -> String {
    let mut token = null_mut();
    assert_eq!(unsafe { kr_result_get_token(result, &mut token) }, KrStatus::Ok);
    take(token)
}

fn check(v: *const KrValidator, token: &[u8]) -> KrReason {
    let mut reason = KrReason::Valid;
    assert_eq!(unsafe { kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason) }, KrStatus::Ok);
    reason
}

#[test]
fn tokens_carry_their_length_so_a_nul_never_cuts_one_short() {
    unsafe {
        let (b, result) = signed_result();
        let token = token_of(result);
        let mut v = null_mut();
        assert_eq!(kr_validator_new_for_result(result, 60.0, &mut v), KrStatus::Ok);
        assert_eq!(check(v, token.as_bytes()), KrReason::Valid, "control");
        // A valid token, a NUL, and more: the whole input is the token, and it is not valid.
        let with_nul = [token.as_bytes(), b"\0anything"].concat();
        assert_eq!(check(v, &with_nul), KrReason::Malformed);
        let mut report = null_mut();
        assert_eq!(kr_validator_validate(v, with_nul.as_ptr().cast(), with_nul.len(), &mut report), KrStatus::Ok);
        let report: serde_json::Value = serde_json::from_str(&take(report)).unwrap();
        assert_eq!((report["valid"].as_bool(), report["reason"].as_str()), (Some(false), Some("Malformed")));
        let mut renewed = null_mut();
        assert_eq!(kr_builder_renew(b, with_nul.as_ptr().cast(), with_nul.len(), 0.0, &mut renewed), KrStatus::InvalidToken);
        assert!(last_error().1.contains("(Malformed)"));
        let mut info = null_mut();
        assert_eq!(kr_token_inspect(with_nul.as_ptr().cast(), with_nul.len(), &mut info), KrStatus::InvalidToken, "inspection sees the NUL too");
        // Size limits apply to the whole input: a NUL does not hide what follows it.
        let padded = [token.as_bytes(), b"\0", &[b'A'; 70_000]].concat();
        assert_eq!(check(v, &padded), KrReason::TooLarge);
        // Bytes that are not UTF-8 are a malformed token, not a failed call.
        assert_eq!(check(v, b"\xff\xfe.a.b"), KrReason::Malformed);
        // A token given with a length shorter than its text is read only as far as the length.
        assert_ne!(check(v, &token.as_bytes()[..token.len() - 1]), KrReason::Valid);
        kr_validator_free(v);
        kr_result_free(result);
        kr_builder_free(b);
    }
}

#[test]
fn builder_times_are_checked_and_never_pass_year_9999() {
    const LAST_SECOND: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    unsafe {
        let b = signed_builder();
        assert_eq!(kr_builder_set_not_before(b, i64::MAX), KrStatus::InvalidArgument, "INT64_MAX once wrapped exp");
        assert!(last_error().1.contains("9999-12-31T23:59:59Z"));
        assert_eq!(kr_builder_set_not_before(b, LAST_SECOND + 1), KrStatus::InvalidArgument);
        // Valid from the last hour of year 9999 for an hour: the last second is still a time.
        assert_eq!(kr_builder_set_not_before(b, LAST_SECOND - 3600), KrStatus::Ok);
        let result = build(b).expect("expires at 9999-12-31T23:59:59Z exactly");
        let mut text = null_mut();
        assert_eq!(kr_result_describe(result, &mut text), KrStatus::Ok);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&take(text)).unwrap()["expires"], LAST_SECOND);
        kr_result_free(result);
        // A second more, and the build fails saying why, instead of writing a time no reader can hold.
        assert_eq!(kr_builder_set_lifetime(b, 3601.0), KrStatus::Ok);
        let (status, message) = build(b).expect_err("past year 9999");
        assert_eq!(status, KrStatus::InvalidArgument);
        assert!(message.contains("past 9999-12-31T23:59:59Z") && message.contains("shorter lifetime"), "{message}");
        // Offsets are bounded too; long lifetimes from now are fine.
        assert_eq!(kr_builder_set_not_before_offset(b, 1e12), KrStatus::InvalidArgument);
        assert_eq!(kr_builder_set_not_before(b, 0), KrStatus::Ok);
        assert_eq!(kr_builder_set_lifetime(b, 9e10), KrStatus::Ok);
        kr_result_free(build(b).expect("now + 2850 years"));
        kr_builder_free(b);
    }
}

#[test]
fn the_builder_never_issues_a_token_its_own_validator_refuses() {
    unsafe {
        let b = signed_builder();
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        // The claims object is one level: a claim of 63 levels makes 64, the validator's limit.
        assert_eq!(kr_builder_add_claim_json(b, c("deep").as_ptr(), c(&nested(63)).as_ptr()), KrStatus::Ok);
        let result = build(b).expect("64 levels");
        let mut v = null_mut();
        assert_eq!(kr_validator_new_for_result(result, 60.0, &mut v), KrStatus::Ok);
        assert_eq!(check(v, token_of(result).as_bytes()), KrReason::Valid);
        kr_validator_free(v);
        kr_result_free(result);
        // A second value of the claim makes an array around both: 65 levels, which is refused.
        assert_eq!(kr_builder_add_claim_json(b, c("deep").as_ptr(), c(&nested(63)).as_ptr()), KrStatus::Ok);
        let (status, message) = build(b).expect_err("65 levels");
        assert_eq!(status, KrStatus::InvalidArgument);
        assert!(message.contains("deeper than 64 levels"), "{message}");
        // Too large for validation: refused at build, not at the verifier.
        let large = signed_builder();
        assert_eq!(kr_builder_add_claim(large, c("blob").as_ptr(), c(&"x".repeat(50_000)).as_ptr()), KrStatus::Ok);
        let (status, message) = build(large).expect_err("above 64 KiB");
        assert_eq!(status, KrStatus::InvalidArgument);
        assert!(message.contains("above the 65536 bytes validation accepts"), "{message}");
        // A header's kid is the key's: setting another would name a key the validator does not have.
        assert_eq!(kr_builder_set_header(large, c("kid").as_ptr(), c("5").as_ptr()), KrStatus::InvalidArgument);
        kr_builder_free(large);
        kr_builder_free(b);
    }
}

#[test]
fn discovery_documents_cross_the_abi() {
    unsafe {
        let authority = c("https://login.example.com");
        let document = c(r#"{"issuer":"https://login.example.com/","jwks_uri":"https://login.example.com/keys"}"#);
        let mut out = null_mut();
        assert_eq!(kr_discovery_read(document.as_ptr(), authority.as_ptr(), &mut out), KrStatus::Ok, "{}", last_error().1);
        let found: serde_json::Value = serde_json::from_str(&take(out)).unwrap();
        assert_eq!(found, serde_json::json!({"issuer": "https://login.example.com/", "jwksUri": "https://login.example.com/keys"}));

        let other = c(r#"{"issuer":"https://other.example.com","jwks_uri":"https://other.example.com/keys"}"#);
        assert_eq!(kr_discovery_read(other.as_ptr(), authority.as_ptr(), &mut out), KrStatus::InvalidArgument);
        let (_, message) = last_error();
        assert!(message.contains("https://other.example.com") && message.contains("https://login.example.com"), "{message}");
        assert_eq!(kr_discovery_read(c("{").as_ptr(), authority.as_ptr(), &mut out), KrStatus::InvalidJson);
        assert_eq!(kr_discovery_read(null(), authority.as_ptr(), &mut out), KrStatus::NullPointer);
        assert_eq!(kr_discovery_read(document.as_ptr(), null(), &mut out), KrStatus::NullPointer);
        assert_eq!(kr_discovery_read(document.as_ptr(), authority.as_ptr(), null_mut()), KrStatus::NullPointer);
        assert_eq!(kr_discovery_read([0x7bu8, 0xff, 0x00].as_ptr().cast(), authority.as_ptr(), &mut out), KrStatus::InvalidArgument);
    }
}

#[test]
fn an_unavailable_key_set_has_its_own_reason() {
    unsafe {
        let options = c(
            r#"{"jwks":{"keys":[{"kty":"EC","kid":"cached","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]},"jwksUri":"https://login.example.com/keys","jwksUnavailable":"connection refused"}"#,
        );
        let mut v = null_mut();
        assert_eq!(kr_validator_new(options.as_ptr(), null(), 0, null(), 0, &mut v), KrStatus::Ok, "{}", last_error().1);
        // ES256 header naming a kid the cached set lacks (the signature is never reached).
        let token = b"eyJhbGciOiJFUzI1NiIsImtpZCI6Im5ldyJ9.e30.AAAA";
        let reason = check(v, token);
        assert_eq!(reason, KrReason::KeySetUnavailable);
        assert_eq!(reason as i32, 14);
        let mut report = null_mut();
        assert_eq!(kr_validator_validate(v, token.as_ptr().cast(), token.len(), &mut report), KrStatus::Ok);
        let report: serde_json::Value = serde_json::from_str(&take(report)).unwrap();
        assert_eq!(report["reason"], "KeySetUnavailable");
        assert!(report["message"].as_str().unwrap().contains("connection refused"));
        assert_eq!(kr_validator_free(v), KrStatus::Ok);
    }
}
