//! The attack suite: one named test per attack class a JWT verifier must resist (docs: PRODUCT.md
//! §5). Tokens are forged with the core (the attacker may write any header, sign with any key of
//! theirs, or re-encode any segment); they are judged through the C ABI, as every host judges them
//! (`kr_validator_validate` / `kr_validator_check`, `kr_jws_verify`, `kr_jwe_decrypt`,
//! `kr_token_inspect`). Each case asserts the exact reason, that the fast and the detailed path agree,
//! that the message is a sentence naming what was wrong, and that no claims are reported for a
//! token whose signature was not verified.
//!
//! `jws_vectors.rs` and `jwe_rejections.rs` hold the core-level counterparts of several of these
//! cases; this suite is the per-attack-class inventory, at the boundary: one file per class, this
//! one holding the harness they share (the C ABI as a host sees it, and an attacker's tools).

#[path = "../common/mod.rs"]
mod common;
#[path = "../jwe_support/mod.rs"]
mod jwe_support;

mod algorithms;
mod bounded_work;
mod claims;
mod degenerate_keys;
mod encoding;
mod encryption;
mod headers;
mod signatures;

use common::{private_jwk, public_jwk_of, self_signed_certificate};
use jwe_support::{jwt_header, with_header, with_part};
use krjwt::ffi::*;
use krjwt::jwe::{Encrypter, DECRYPTION_FAILED};
use krjwt::jws::{sign_compact, PinnedKey};
use krjwt::{b64, Algorithm, Key, KeyFormat};
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, PointConversionForm};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Padding;
use openssl::sign::Signer;
use serde_json::{json, Map, Value};
use std::ffi::{c_char, CStr, CString};
use std::ptr::{null, null_mut};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const ISS: &str = "https://issuer.krjwt.test";
const AUD: &str = "krjwt-api";

// ---------------------------------------------------------------------------------------------
// The C ABI, as a host sees it.

fn c(text: &str) -> CString {
    CString::new(text).expect("no NUL in test text")
}

fn take(s: *mut c_char) -> String {
    assert!(!s.is_null());
    let text = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_string();
    unsafe { kr_string_free(s) };
    text
}

fn last_error() -> String {
    let message = kr_last_error_get_message();
    if message.is_null() {
        return String::new();
    }
    take(message)
}

/// A key handle, freed on drop.
struct CKey(*mut KrKey);

impl CKey {
    fn new(format: KrKeyFormat, data: &[u8]) -> CKey {
        let mut key = null_mut();
        let status = unsafe { kr_key_import(format as i32, data.as_ptr(), data.len(), &mut key) };
        assert_eq!(status, KrStatus::Ok, "{format:?} import: {}", last_error());
        CKey(key)
    }

    fn ptr(&self) -> *const KrKey {
        self.0
    }
}

impl Drop for CKey {
    fn drop(&mut self) {
        kr_key_free(self.0);
    }
}

/// A validator handle, freed on drop.
struct CValidator(*mut KrValidator);

impl Drop for CValidator {
    fn drop(&mut self) {
        kr_validator_free(self.0);
    }
}

fn try_validator(options: &Value, keys: &[&CKey], decryption: &[&CKey]) -> Result<CValidator, (KrStatus, String)> {
    let keys: Vec<*const KrKey> = keys.iter().map(|k| k.ptr()).collect();
    let decryption: Vec<*const KrKey> = decryption.iter().map(|k| k.ptr()).collect();
    let mut v = null_mut();
    let status =
        unsafe { kr_validator_new(c(&options.to_string()).as_ptr(), keys.as_ptr(), keys.len(), decryption.as_ptr(), decryption.len(), &mut v) };
    if status == KrStatus::Ok {
        Ok(CValidator(v))
    } else {
        Err((status, last_error()))
    }
}

/// A validator for this suite's issuer and audience.
fn validator(keys: &[&CKey], decryption: &[&CKey]) -> CValidator {
    validator_with(json!({}), keys, decryption)
}

fn validator_with(extra: Value, keys: &[&CKey], decryption: &[&CKey]) -> CValidator {
    let mut options = json!({"issuers": [ISS], "audiences": [AUD]});
    for (name, value) in extra.as_object().unwrap() {
        options[name] = value.clone();
    }
    try_validator(&options, keys, decryption).unwrap_or_else(|(status, message)| panic!("validator: {status:?}: {message}"))
}

/// What `kr_validator_validate` reports.
#[derive(Debug)]
struct Verdict {
    reason: String,
    message: String,
    header: Value,
    claims: Value,
}

fn verdict(v: &CValidator, token: &str) -> Verdict {
    let mut out = null_mut();
    assert_eq!(unsafe { kr_validator_validate(v.0, token.as_ptr().cast(), token.len(), &mut out) }, KrStatus::Ok, "{}", last_error());
    let report: Value = serde_json::from_str(&take(out)).expect("the report is JSON");
    let mut fast = KrReason::Valid;
    assert_eq!(unsafe { kr_validator_check(v.0, token.as_ptr().cast(), token.len(), &mut fast) }, KrStatus::Ok, "{}", last_error());
    assert_eq!(format!("{fast:?}"), report["reason"].as_str().unwrap(), "the fast path agrees with the report");
    assert_eq!(report["valid"], report["reason"] == "Valid");
    Verdict {
        reason: report["reason"].as_str().unwrap().to_string(),
        message: report["message"].as_str().unwrap().to_string(),
        header: report["header"].clone(),
        claims: report["claims"].clone(),
    }
}

/// Reasons given before (or instead of) verifying a signature: such a report never has claims.
const UNVERIFIED: [&str; 7] =
    ["AlgorithmNotAllowed", "InvalidSignature", "UnsupportedCritical", "DecryptionFailed", "KeyNotFound", "TooLarge", "Malformed"];

/// Asserts a refusal with `reason` whose message names each of `hints` (case-insensitive).
fn refused(v: &CValidator, token: &str, reason: &str, hints: &[&str], case: &str) -> Verdict {
    try_refused(v, token, reason, hints, case).unwrap_or_else(|problem| panic!("{problem}"))
}

/// As [`refused`], but says what is wrong instead of panicking, for tests that list every
/// variant that fails before failing.
fn try_refused(v: &CValidator, token: &str, reason: &str, hints: &[&str], case: &str) -> Result<Verdict, String> {
    let verdict = verdict(v, token);
    if verdict.reason != reason {
        return Err(format!("{case}: expected {reason}, got {}: {}", verdict.reason, verdict.message));
    }
    helpful(&verdict.message, hints, case)?;
    if UNVERIFIED.contains(&reason) && reason != "Malformed" && !verdict.claims.is_null() {
        return Err(format!("{case}: claims reported for an unverified token: {}", verdict.claims));
    }
    Ok(verdict)
}

/// Collects the variants of an attack that are not refused as they should be.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn check(&mut self, outcome: Result<Verdict, String>) {
        if let Err(problem) = outcome {
            self.0.push(problem);
        }
    }

    fn note(&mut self, problem: String) {
        self.0.push(problem);
    }

    fn assert_none(self, attack: &str) {
        assert!(self.0.is_empty(), "{attack}: {} variant(s) not handled as they should be:\n{}", self.0.len(), self.0.join("\n"));
    }
}

fn accepted(v: &CValidator, token: &str, case: &str) -> Verdict {
    let verdict = verdict(v, token);
    assert_eq!(verdict.reason, "Valid", "{case} (control): {}", verdict.message);
    verdict
}

/// A helpful message: a whole sentence that names the problem.
fn assert_helpful(message: &str, hints: &[&str], case: &str) {
    helpful(message, hints, case).unwrap_or_else(|problem| panic!("{problem}"));
}

fn helpful(message: &str, hints: &[&str], case: &str) -> Result<(), String> {
    if message.len() < 20 || !message.starts_with(|ch: char| ch.is_uppercase()) || !message.trim_end().ends_with(['.', ')']) {
        return Err(format!("{case}: not a helpful sentence: {message:?}"));
    }
    let lower = message.to_lowercase();
    match hints.iter().find(|hint| !lower.contains(&hint.to_lowercase())) {
        Some(hint) => Err(format!("{case}: message does not mention {hint:?}: {message:?}")),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Keys and tokens, as an attacker (or the legitimate issuer) makes them with the core.

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Claims that pass every claim check of `validator`, so that refusals are about the attack.
fn claims() -> Value {
    let now = now();
    json!({"sub": "mallory", "iss": ISS, "aud": AUD, "nbf": now - 10, "iat": now - 10, "exp": now + 600})
}

fn claims_with(changes: Value) -> Value {
    let mut claims = claims();
    for (name, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(name);
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

/// Signs exactly these header and payload texts, whatever they say.
fn forge(header: &str, payload: &str, signer: &PinnedKey) -> String {
    sign_compact(signer, header.as_bytes(), payload.as_bytes()).unwrap()
}

fn forge_json(header: &Value, payload: &Value, signer: &PinnedKey) -> String {
    forge(&header.to_string(), &payload.to_string(), signer)
}

/// Signs an arbitrary signing input (segments encoded however the attacker likes).
fn sign_input(signer: &PinnedKey, input: &str) -> String {
    format!("{input}.{}", b64::encode(&signer.sign(input.as_bytes()).unwrap()))
}

fn segments(token: &str) -> Vec<String> {
    token.split('.').map(str::to_string).collect()
}

fn pin(key: &Arc<Key>, alg: Algorithm) -> PinnedKey {
    PinnedKey::new(key.clone(), Some(alg)).unwrap_or_else(|e| panic!("{alg}: {}", e.message))
}

fn core_key(pkey: &PKey<Private>) -> Arc<Key> {
    common::import(KeyFormat::Der, pkey.private_key_to_der().unwrap())
}

fn c_private(pkey: &PKey<Private>) -> CKey {
    CKey::new(KrKeyFormat::Der, &pkey.private_key_to_der().unwrap())
}

fn c_public(pkey: &PKey<Private>) -> CKey {
    CKey::new(KrKeyFormat::Pem, &pkey.public_key_to_pem().unwrap())
}

fn rsa() -> &'static PKey<Private> {
    static KEY: OnceLock<PKey<Private>> = OnceLock::new();
    KEY.get_or_init(common::rsa_2048)
}

fn attacker_rsa() -> &'static PKey<Private> {
    static KEY: OnceLock<PKey<Private>> = OnceLock::new();
    KEY.get_or_init(common::rsa_2048)
}

/// The legitimate HMAC secret of the suite (32 random bytes).
fn secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(|| {
        let mut bytes = [0; 32];
        openssl::rand::rand_bytes(&mut bytes).unwrap();
        bytes
    })
}

fn hs256() -> PinnedKey {
    pin(&Arc::new(Key::from_secret(secret().to_vec()).unwrap()), Algorithm::HS256)
}

fn c_secret() -> CKey {
    CKey::new(KrKeyFormat::Secret, secret())
}

/// A validator holding only the suite's HMAC secret, and a valid token for it.
fn hs_setup() -> (CValidator, CKey) {
    let key = c_secret();
    (validator(&[&key], &[]), key)
}

/// A validator of the suite's HS256 tokens that decrypts with the shared `secret`.
fn hs_validator_decrypting_with(secret: &[u8]) -> CValidator {
    validator(&[&c_secret()], &[&CKey::new(KrKeyFormat::Secret, secret)])
}

fn jwt_header_json(alg: &str) -> Value {
    json!({"alg": alg, "typ": "JWT"})
}

/// An HMAC over `input` with any hash, as an attacker computes it (no key-length rules).
fn raw_hmac(digest: MessageDigest, key: &[u8], input: &[u8]) -> Vec<u8> {
    let key = PKey::hmac(key).unwrap();
    let mut signer = Signer::new(digest, &key).unwrap();
    signer.update(input).unwrap();
    signer.sign_to_vec().unwrap()
}

/// An HS256 token whose MAC key is `key_bytes` (any bytes an attacker picks).
fn hs256_with_key(key_bytes: &[u8], header: &Value) -> String {
    let input = format!("{}.{}", b64::encode(header.to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
    let mac = raw_hmac(MessageDigest::sha256(), key_bytes, input.as_bytes());
    format!("{input}.{}", b64::encode(&mac))
}

// ---------------------------------------------------------------------------------------------
// Helpers several attack classes share.

/// `kr_jws_verify`: Ok(payload) or Err((status, last error)).
fn jws_verify(key: &CKey, alg: Option<&str>, token: &str) -> Result<Vec<u8>, (KrStatus, String)> {
    let alg = alg.map(c);
    let (mut payload, mut len, mut header) = (null_mut(), 0usize, null_mut());
    let alg = alg.as_ref().map_or(null(), |a| a.as_ptr());
    let status =
        unsafe { kr_jws_verify(key.ptr(), alg, token.as_ptr().cast(), token.len(), &mut KrReason::Valid, &mut payload, &mut len, &mut header) };
    opened(status, payload, len, header)
}

/// `kr_jwe_decrypt`: Ok(payload) or Err((status, last error)).
fn jwe_decrypt(key: &CKey, alg: Option<&str>, enc: Option<&str>, token: &str) -> Result<Vec<u8>, (KrStatus, String)> {
    let (alg, enc) = (alg.map(c), enc.map(c));
    let (mut payload, mut len, mut header) = (null_mut(), 0usize, null_mut());
    let (alg, enc) = (alg.as_ref().map_or(null(), |a| a.as_ptr()), enc.as_ref().map_or(null(), |e| e.as_ptr()));
    let status =
        unsafe { kr_jwe_decrypt(key.ptr(), alg, enc, token.as_ptr().cast(), token.len(), &mut KrReason::Valid, &mut payload, &mut len, &mut header) };
    opened(status, payload, len, header)
}

/// The outcome of a call that opens a token: the payload copied out and the library's outputs
/// freed, or the status and last error.
fn opened(status: KrStatus, payload: *mut u8, len: usize, header: *mut c_char) -> Result<Vec<u8>, (KrStatus, String)> {
    if status != KrStatus::Ok {
        return Err((status, last_error()));
    }
    let bytes = unsafe { std::slice::from_raw_parts(payload, len) }.to_vec();
    unsafe { kr_bytes_free(payload, len) };
    take(header);
    Ok(bytes)
}

/// `kr_jwe_encrypt` with a key and names: the token, or the status and message of the refusal.
fn jwe_encrypt(key: &CKey, alg: &str, enc: &str, payload: &[u8]) -> Result<String, (KrStatus, String)> {
    let (alg, enc, mut out) = (c(alg), c(enc), null_mut());
    match unsafe { kr_jwe_encrypt(key.ptr(), alg.as_ptr(), enc.as_ptr(), null(), payload.as_ptr(), payload.len(), &mut out) } {
        KrStatus::Ok => Ok(take(out)),
        status => Err((status, last_error())),
    }
}

/// `kr_jws_sign` with a key: the token, or the status and message of the refusal.
fn jws_sign(key: &CKey, payload: &[u8]) -> Result<String, (KrStatus, String)> {
    let mut out = null_mut();
    match unsafe { kr_jws_sign(key.ptr(), null(), null(), payload.as_ptr(), payload.len(), &mut out) } {
        KrStatus::Ok => Ok(take(out)),
        status => Err((status, last_error())),
    }
}

/// Asserts that `data` is refused as a key with INVALID_KEY and a message holding `hints`.
fn refused_key(format: KrKeyFormat, data: &[u8], hints: &[&str], case: &str) {
    match try_key(format, data) {
        Ok(_) => panic!("{case}: the key was accepted"),
        Err((status, message)) => {
            assert_eq!(status, KrStatus::InvalidKey, "{case}: {message}");
            assert_helpful(&message, hints, case);
        }
    }
}

fn try_key(format: KrKeyFormat, data: &[u8]) -> Result<CKey, (KrStatus, String)> {
    let mut key = null_mut();
    match unsafe { kr_key_import(format as i32, data.as_ptr(), data.len(), &mut key) } {
        KrStatus::Ok => Ok(CKey(key)),
        status => Err((status, last_error())),
    }
}

fn seal_dir_a256gcm_text(key: &[u8; 32], header: &str, plaintext: &[u8]) -> String {
    let protected = b64::encode(header.as_bytes());
    let mut iv = [0u8; 12];
    openssl::rand::rand_bytes(&mut iv).unwrap();
    let mut tag = [0u8; 16];
    let ciphertext =
        openssl::symm::encrypt_aead(openssl::symm::Cipher::aes_256_gcm(), key, Some(&iv), protected.as_bytes(), plaintext, &mut tag).unwrap();
    format!("{protected}..{}.{}.{}", b64::encode(&iv), b64::encode(&ciphertext), b64::encode(&tag))
}

/// A compact JWE (dir, A256GCM) sealed by hand with a valid tag over any protected header: the
/// refusals below then cannot come from a broken tag.
fn seal_dir_a256gcm(key: &[u8; 32], header: &Value, plaintext: &[u8]) -> String {
    seal_dir_a256gcm_text(key, &header.to_string(), plaintext)
}

/// The X25519 u-coordinates of small order (RFC 7748 §6.1), with their non-canonical forms.
fn small_order_u() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("0", hex32("0000000000000000000000000000000000000000000000000000000000000000")),
        ("1", hex32("0100000000000000000000000000000000000000000000000000000000000000")),
        ("order 8 (a)", hex32("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")),
        ("order 8 (b)", hex32("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157")),
        ("p - 1", hex32("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")),
        ("p", hex32("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")),
        ("p + 1", hex32("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")),
    ]
}

fn hex32(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// p = 2^255 - 19, the field of Curve25519 and Edwards25519.
fn field_prime() -> BigNum {
    BigNum::from_hex_str("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed").unwrap()
}

fn little_endian(n: &BigNum) -> Vec<u8> {
    let mut bytes = n.to_vec_padded(32).unwrap();
    bytes.reverse();
    bytes
}
