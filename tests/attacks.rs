//! The attack suite: one named test per attack class a JWT verifier must resist (docs: PRODUCT.md
//! §5). Tokens are forged with the core (the attacker may write any header, sign with any key of
//! theirs, or re-encode any segment); they are judged through the C ABI, as every host judges them
//! (`kr_validator_validate` / `kr_validator_check`, `kr_jws_verify`, `kr_jwe_decrypt`,
//! `kr_token_inspect`). Each case asserts the exact reason, that the fast and the detailed path agree,
//! that the message is a sentence naming what was wrong, and that no claims are reported for a
//! token whose signature was not verified.
//!
//! `jws_vectors.rs` and `jwe_rejections.rs` hold the core-level counterparts of several of these
//! cases; this file is the per-attack-class inventory, at the boundary.

mod common;
mod jwe_support;

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
    let status = unsafe {
        kr_validator_new(c(&options.to_string()).as_ptr(), keys.as_ptr(), keys.len(), decryption.as_ptr(), decryption.len(), &mut v)
    };
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
// JWS attacks.

#[test]
fn alg_none_in_any_case_with_or_without_a_signature_is_refused() {
    let (hs, _key) = hs_setup();
    let rsa_public = c_public(rsa());
    let rs = validator(&[&rsa_public], &[]);
    accepted(&hs, &forge_json(&jwt_header_json("HS256"), &claims(), &hs256()), "HS256");
    for name in ["none", "None", "NONE", "nOnE", "NoNe"] {
        let header = jwt_header_json(name);
        let encoded = format!("{}.{}", b64::encode(header.to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
        let with_mac = forge_json(&header, &claims(), &hs256());
        let with_junk = format!("{encoded}.{}", b64::encode(b"not a signature"));
        for v in [&hs, &rs] {
            for (token, shape) in [(format!("{encoded}."), "empty signature"), (with_mac.clone(), "a valid MAC"), (with_junk.clone(), "junk signature")] {
                let verdict = refused(v, &token, "AlgorithmNotAllowed", &["unsigned", "'none'", "never accepted"], &format!("alg {name}, {shape}"));
                assert_eq!(verdict.header["alg"], name, "the report shows what the token claimed");
            }
            // Without the third segment it is not a JWS at all.
            refused(v, &encoded, "Malformed", &["three base64url parts"], &format!("alg {name}, two segments"));
        }
    }
}

#[test]
fn algorithm_substitution_by_re_signing_under_another_algorithm_is_refused() {
    let (hs, _key) = hs_setup();
    let rsa_public = c_public(rsa());
    let rs = validator(&[&rsa_public], &[]);
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let attacker_rsa = core_key(attacker_rsa());
    let legit_rsa = core_key(rsa());
    accepted(&rs, &forge_json(&jwt_header_json("RS256"), &claims(), &pin(&legit_rsa, Algorithm::RS256)), "RS256");

    // HS-pinned validator: the token is re-signed by the attacker under an asymmetric algorithm.
    let asymmetric: [(Algorithm, Arc<Key>); 5] = [
        (Algorithm::RS256, attacker_rsa.clone()),
        (Algorithm::PS256, attacker_rsa.clone()),
        (Algorithm::ES256, core_key(&p256)),
        (Algorithm::EdDSA, core_key(&ed)),
        (Algorithm::RS512, attacker_rsa.clone()),
    ];
    for (alg, key) in &asymmetric {
        let token = forge_json(&jwt_header_json(alg.name()), &claims(), &pin(key, *alg));
        refused(&hs, &token, "AlgorithmNotAllowed", &[&format!("signed with '{alg}'"), "only HS256 is accepted"], &format!("{alg} to an HS256 key"));
    }
    // HS384/HS512 over the same secret: a stronger-looking HMAC is still not the pinned one.
    for (alg, digest) in [("HS384", MessageDigest::sha384()), ("HS512", MessageDigest::sha512())] {
        let header = jwt_header_json(alg);
        let input = format!("{}.{}", b64::encode(header.to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
        let token = format!("{input}.{}", b64::encode(&raw_hmac(digest, secret(), input.as_bytes())));
        refused(&hs, &token, "AlgorithmNotAllowed", &[&format!("signed with '{alg}'"), "only HS256"], &format!("{alg} with the same secret"));
    }
    // RS-pinned validator: an HMAC, another curve, EdDSA, and PSS with the very same RSA key.
    let substitutes: [(Algorithm, PinnedKey); 4] = [
        (Algorithm::HS256, hs256()),
        (Algorithm::ES256, pin(&core_key(&p256), Algorithm::ES256)),
        (Algorithm::EdDSA, pin(&core_key(&ed), Algorithm::EdDSA)),
        (Algorithm::PS256, pin(&legit_rsa, Algorithm::PS256)),
    ];
    for (alg, signer) in &substitutes {
        let token = forge_json(&jwt_header_json(alg.name()), &claims(), signer);
        refused(&rs, &token, "AlgorithmNotAllowed", &[&format!("signed with '{alg}'"), "only RS256 is accepted"], &format!("{alg} to an RS256 key"));
    }
    // Names are exact: a case or whitespace variant of the pinned name is not the pinned algorithm.
    for alg in ["hs256", "Hs256", "HS256 ", " HS256", "HS256\u{0}", "HS-256"] {
        let token = forge_json(&jwt_header_json(alg), &claims(), &hs256());
        refused(&hs, &token, "AlgorithmNotAllowed", &["only HS256 is accepted"], &format!("alg {alg:?}"));
    }
    for alg in [json!(null), json!(256), json!(["HS256"]), json!({"name": "HS256"})] {
        let token = forge_json(&json!({"alg": alg}), &claims(), &hs256());
        refused(&hs, &token, "Malformed", &["no 'alg' string"], &format!("alg {alg}"));
    }
    let token = forge_json(&json!({"typ": "JWT"}), &claims(), &hs256());
    refused(&hs, &token, "Malformed", &["no 'alg' string"], "no alg");
}

#[test]
fn key_confusion_with_a_public_key_as_the_hmac_secret_is_refused() {
    let rsa = rsa();
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let rsa_numbers = rsa.rsa().unwrap();
    let ec_point = {
        let ec = p256.ec_key().unwrap();
        ec.public_key().to_bytes(ec.group(), PointConversionForm::UNCOMPRESSED, &mut BigNumContext::new().unwrap()).unwrap()
    };
    let published = |pkey: &PKey<Private>| {
        let mut out = null_mut();
        let key = c_public(pkey);
        assert_eq!(unsafe { kr_key_export_public_jwk(key.ptr(), &mut out) }, KrStatus::Ok);
        take(out).into_bytes()
    };
    type Case<'k> = (&'k str, &'k PKey<Private>, &'k str, Vec<Vec<u8>>);
    let cases: [Case; 3] = [
        (
            "RSA",
            rsa,
            "RS256",
            vec![
                rsa.public_key_to_pem().unwrap(),
                rsa.public_key_to_pem().unwrap().trim_ascii_end().to_vec(),
                rsa_numbers.public_key_to_pem_pkcs1().unwrap(),
                rsa.public_key_to_der().unwrap(),
                rsa_numbers.public_key_to_der_pkcs1().unwrap(),
                published(rsa),
                public_jwk_of(&private_jwk(rsa)).to_string().into_bytes(),
                rsa_numbers.n().to_vec(),
                b64::encode(&rsa_numbers.n().to_vec()).into_bytes(),
            ],
        ),
        (
            "EC",
            &p256,
            "ES256",
            vec![p256.public_key_to_pem().unwrap(), p256.public_key_to_der().unwrap(), published(&p256), ec_point.clone(), ec_point[1..33].to_vec()],
        ),
        ("Ed25519", &ed, "EdDSA", vec![ed.public_key_to_pem().unwrap(), ed.public_key_to_der().unwrap(), published(&ed), ed.raw_public_key().unwrap()]),
    ];
    for (kty, pkey, alg, texts) in cases {
        let public = c_public(pkey);
        let pinned = validator(&[&public], &[]);
        // Even a validator whose options list HS256 pins the public key to its own family only.
        let listing_hs256 = validator_with(json!({"algorithms": [alg, "HS256"]}), &[&public], &[]);
        let genuine = forge_json(&jwt_header_json(alg), &claims(), &pin(&core_key(pkey), Algorithm::from_header(alg).unwrap()));
        for v in [&pinned, &listing_hs256] {
            accepted(v, &genuine, &format!("{kty} {alg}"));
        }
        for (i, text) in texts.iter().enumerate() {
            let forged = hs256_with_key(text, &jwt_header_json("HS256"));
            for v in [&pinned, &listing_hs256] {
                refused(v, &forged, "AlgorithmNotAllowed", &["signed with 'HS256'", &format!("only {alg} is accepted")], &format!("{kty} public key form {i} as HMAC secret"));
            }
        }
        // Asking for HS256 only is refused when the validator is made, with the reason.
        let (status, message) = try_validator(&json!({"algorithms": ["HS256"]}), &[&public], &[]).err().expect("HS256 with a public key");
        assert_eq!(status, KrStatus::InvalidKey, "{message}");
        assert_helpful(&message, &["cannot verify any of the allowed algorithms", "HS256"], &format!("{kty} key pinned to HS256"));
        // A published JWK claiming "alg":"HS256" is refused at import, saying why it is dangerous.
        let mut jwk: Value = serde_json::from_slice(&published(pkey)).unwrap();
        jwk["alg"] = "HS256".into();
        let (status, message) = try_validator(&json!({"jwks": {"keys": [jwk]}}), &[], &[]).err().expect("an RSA JWK with alg HS256");
        assert_eq!(status, KrStatus::InvalidKey, "{message}");
        assert_helpful(&message, &["cannot be used with HS256", "would let anyone forge tokens"], &format!("{kty} JWK with alg HS256"));
    }
}

#[test]
fn stripped_or_truncated_signatures_are_refused() {
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let cases: [(&str, CKey, PinnedKey); 5] = [
        ("HS256", c_secret(), hs256()),
        ("RS256", c_public(rsa()), pin(&core_key(rsa()), Algorithm::RS256)),
        ("PS256", c_public(rsa()), pin(&core_key(rsa()), Algorithm::PS256)),
        ("ES256", c_public(&p256), pin(&core_key(&p256), Algorithm::ES256)),
        ("EdDSA", c_public(&ed), pin(&core_key(&ed), Algorithm::EdDSA)),
    ];
    for (alg, key, signer) in cases {
        let v = validator_with(json!({"algorithms": [alg]}), &[&key], &[]);
        let token = forge_json(&jwt_header_json(alg), &claims(), &signer);
        accepted(&v, &token, alg);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let bytes = b64::decode_strict(signature).unwrap();
        let variants = [
            ("stripped (empty third segment)", format!("{input}.")),
            ("last byte cut", format!("{input}.{}", b64::encode(&bytes[..bytes.len() - 1]))),
            ("half cut", format!("{input}.{}", b64::encode(&bytes[..bytes.len() / 2]))),
            ("one byte", format!("{input}.{}", b64::encode(&bytes[..1]))),
            ("a zero byte appended", format!("{input}.{}", b64::encode(&[&bytes[..], &[0]].concat()))),
            ("all zeros", format!("{input}.{}", b64::encode(&vec![0; bytes.len()]))),
        ];
        for (shape, forged) in variants {
            refused(&v, &forged, "InvalidSignature", &["signature does not match"], &format!("{alg}: {shape}"));
        }
        refused(&v, input, "Malformed", &["three base64url parts"], &format!("{alg}: signature segment removed"));
        refused(&v, &format!("{token}.{signature}"), "Malformed", &["three base64url parts"], &format!("{alg}: signature doubled"));
    }
}

#[test]
fn ecdsa_signatures_with_r_or_s_out_of_range_are_refused() {
    // "Psychic signatures" (CVE-2022-21449): r = s = 0 verified for every message in Java 15-18.
    for (curve, alg) in [(Nid::X9_62_PRIME256V1, "ES256"), (Nid::SECP384R1, "ES384"), (Nid::SECP521R1, "ES512")] {
        let pkey = common::ec(curve);
        let public = c_public(&pkey);
        let v = validator(&[&public], &[]);
        let token = forge_json(&jwt_header_json(alg), &claims(), &pin(&core_key(&pkey), Algorithm::from_header(alg).unwrap()));
        accepted(&v, &token, alg);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let size = b64::decode_strict(signature).unwrap().len() / 2;
        let mut n = BigNum::new().unwrap();
        EcGroup::from_curve_name(curve).unwrap().order(&mut n, &mut BigNumContext::new().unwrap()).unwrap();
        let num = |v: &BigNum| v.to_vec_padded(size as i32).unwrap();
        let plus = |k: u32| {
            let mut sum = BigNum::new().unwrap();
            sum.checked_add(&n, &BigNum::from_u32(k).unwrap()).unwrap();
            sum
        };
        let zero = vec![0; size];
        let one = num(&BigNum::from_u32(1).unwrap());
        let all_ones = vec![0xff; size];
        let genuine = b64::decode_strict(signature).unwrap();
        let (r, s) = genuine.split_at(size);
        let cases: [(&str, Vec<u8>, Vec<u8>); 9] = [
            ("r = s = 0", zero.clone(), zero.clone()),
            ("r = 0", zero.clone(), s.to_vec()),
            ("s = 0", r.to_vec(), zero.clone()),
            ("r = s = n", num(&n), num(&n)),
            ("r = n", num(&n), s.to_vec()),
            ("s = n", r.to_vec(), num(&n)),
            ("r = s = n + 1", num(&plus(1)), num(&plus(1))),
            ("r = s = all ones (> n)", all_ones.clone(), all_ones.clone()),
            ("r = s = 1", one.clone(), one.clone()),
        ];
        for (name, r, s) in cases {
            let forged = format!("{input}.{}", b64::encode(&[r, s].concat()));
            refused(&v, &forged, "InvalidSignature", &["signature does not match"], &format!("{alg}: {name}"));
            // The JOSE layer says the same.
            let (mut payload, mut len, mut header) = (null_mut(), 0usize, null_mut());
            let status = unsafe { kr_jws_verify(public.ptr(), c(alg).as_ptr(), forged.as_ptr().cast(), forged.len(), &mut KrReason::Valid, &mut payload, &mut len, &mut header) };
            assert_eq!(status, KrStatus::InvalidToken, "{alg}: {name} through kr_jws_verify");
            assert!(last_error().contains("(InvalidSignature)"), "{alg}: {name}");
        }
    }
}

#[test]
fn keys_embedded_or_named_in_the_header_are_never_trusted_or_fetched() {
    // A listener the token points jku/x5u at: a connection would mean a key was fetched.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = |path: &str| format!("http://{}/{path}", listener.local_addr().unwrap());

    let legit_public = c_public(rsa());
    let mut kid = null_mut();
    assert_eq!(unsafe { kr_key_get_thumbprint(legit_public.ptr(), &mut kid) }, KrStatus::Ok);
    let kid = take(kid);
    let v = validator(&[&legit_public], &[]);
    let attacker = core_key(attacker_rsa());
    let attacker_jwk = attacker.public_jwk().unwrap();
    let attacker_cert = base64::encode(self_signed_certificate(attacker_rsa()).to_der().unwrap());
    let headers = [
        ("jwk (attacker's key)", json!({"alg": "RS256", "jwk": attacker_jwk})),
        ("jwk with the legitimate kid", json!({"alg": "RS256", "kid": kid, "jwk": attacker_jwk})),
        ("jku", json!({"alg": "RS256", "jku": url("jwks.json")})),
        ("jku with the legitimate kid", json!({"alg": "RS256", "kid": kid, "jku": url("jwks.json")})),
        ("x5u", json!({"alg": "RS256", "x5u": url("cert.pem")})),
        ("x5c (attacker's certificate)", json!({"alg": "RS256", "x5c": [attacker_cert]})),
        ("x5c and x5t#S256", json!({"alg": "RS256", "x5c": [attacker_cert], "x5t#S256": "AAAA"})),
    ];
    for (name, header) in headers {
        let forged = forge_json(&header, &claims(), &pin(&attacker, Algorithm::RS256));
        refused(&v, &forged, "InvalidSignature", &["signature does not match", "another key"], &format!("attacker's token with {name}"));
        let legit = forge_json(&header, &claims(), &pin(&core_key(rsa()), Algorithm::RS256));
        accepted(&v, &legit, &format!("legitimate token with {name}: the member is ignored, not trusted"));
    }
    // An embedded oct JWK "holding" the HMAC secret the attacker used changes nothing either.
    let (hs, _key) = hs_setup();
    let attacker_secret = [9u8; 32];
    let header = json!({"alg": "HS256", "jwk": {"kty": "oct", "k": b64::encode(&attacker_secret)}});
    refused(&hs, &hs256_with_key(&attacker_secret, &header), "InvalidSignature", &["signature does not match"], "embedded oct jwk");
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the validator connected to a URL named by a token: {other:?}"),
    }
}

#[test]
fn kid_injection_values_are_opaque_strings() {
    let named = |kid: &str, fill: u8| {
        let jwk = json!({"kty": "oct", "kid": kid, "k": b64::encode(&[fill; 32])});
        (CKey::new(KrKeyFormat::Jwk, jwk.to_string().as_bytes()), pin(&common::import(KeyFormat::Jwk, jwk.to_string()), Algorithm::HS256))
    };
    let (alpha, alpha_signer) = named("alpha", 1);
    let (beta, _) = named("beta", 2);
    let key_set = validator(&[&alpha, &beta], &[]);
    let long = "A".repeat(4096);
    let hostile = [
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/dev/null",
        "file:///etc/passwd",
        "' OR '1'='1",
        "alpha' --",
        "alpha\"; DROP TABLE keys; --",
        "${jndi:ldap://127.0.0.1/a}",
        "$(whoami)",
        "alpha%00",
        "alpha\u{0}",
        "alpha\r\nX-Injected: 1",
        "alpha\nfake log line",
        "ALPHA",
        " alpha",
        "",
        long.as_str(),
    ];
    for kid in hostile {
        let forged = forge_json(&json!({"alg": "HS256", "kid": kid}), &claims(), &alpha_signer);
        refused(&key_set, &forged, "KeyNotFound", &["no configured key has the key id"], &format!("kid {kid:?}"));
        // The same string as the kid of a configured key is matched exactly, nothing more.
        if !kid.is_empty() {
            let (key, signer) = named(kid, 3);
            let with_named = validator(&[&key, &beta], &[]);
            accepted(&with_named, &forge_json(&json!({"alg": "HS256", "kid": kid}), &claims(), &signer), &format!("kid {kid:?} as a plain string"));
        }
    }
    for kid in [json!(7), json!({"$ne": null}), json!(["alpha"]), json!(true)] {
        let forged = forge_json(&json!({"alg": "HS256", "kid": kid}), &claims(), &alpha_signer);
        refused(&key_set, &forged, "Malformed", &["'kid' must be a string"], &format!("kid {kid}"));
    }
}

#[test]
fn attacker_controlled_header_values_are_echoed_safely() {
    // Messages end up in logs and HTTP answers. Values taken from an unauthenticated header (kid,
    // alg, the JWE alg/enc) must not carry line breaks or NULs into them (log forging, CWE-117),
    // nor be echoed at any length (a 40 KB kid per request fills logs).
    let (hs, _key) = hs_setup();
    let jwk = json!({"kty": "oct", "kid": "alpha", "k": b64::encode(&[1; 32])});
    let named = CKey::new(KrKeyFormat::Jwk, jwk.to_string().as_bytes());
    let key_set = validator(&[&named], &[]);
    let signer = pin(&common::import(KeyFormat::Jwk, jwk.to_string()), Algorithm::HS256);
    let decryption_secret = [0x12; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &decryption_secret);
    let (_, hs_key) = hs_setup();
    let with_decryption = validator(&[&hs_key], &[&decryption]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    let long = "A".repeat(40_000);
    let injections = ["alpha\r\n2038-01-19 03:14:07 INFO admin logged in", "alpha\nX-Injected: 1", "alpha\u{0}hidden", "alpha\u{1b}[2J", long.as_str()];
    let mut findings = Findings::default();
    for value in injections {
        let shown = if value.len() > 60 { format!("{} chars", value.len()) } else { format!("{value:?}") };
        let cases = [
            ("kid", &key_set, "KeyNotFound", forge_json(&json!({"alg": "HS256", "kid": value}), &claims(), &signer)),
            ("alg", &hs, "AlgorithmNotAllowed", forge_json(&json!({"alg": value}), &claims(), &hs256())),
            ("JWE alg", &with_decryption, "AlgorithmNotAllowed", seal_dir_a256gcm(&decryption_secret, &json!({"alg": value, "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes())),
            ("JWE enc", &with_decryption, "AlgorithmNotAllowed", seal_dir_a256gcm(&decryption_secret, &json!({"alg": "dir", "enc": value, "cty": "JWT"}), inner.as_bytes())),
        ];
        for (member, v, reason, token) in cases {
            if token.len() > 64 * 1024 {
                continue;
            }
            let case = format!("{member} {shown}");
            match try_refused(v, &token, reason, &[], &case) {
                Err(problem) => findings.note(problem),
                Ok(verdict) => {
                    if verdict.message.contains(|ch: char| ch.is_control()) {
                        findings.note(format!("{case}: control characters echoed into the message: {:?}", verdict.message));
                    }
                    if verdict.message.len() > 1024 {
                        findings.note(format!("{case}: the message echoes the value in full ({} chars)", verdict.message.len()));
                    }
                }
            }
        }
    }
    findings.assert_none("attacker-controlled values in messages");
}

#[test]
fn crit_abuse_is_refused() {
    let (hs, _key) = hs_setup();
    let crits = [
        ("an unknown extension", json!(["x-krjwt-unknown"])),
        ("b64 (RFC 7797, not supported)", json!(["b64"])),
        ("an empty list", json!([])),
        ("a registered header (alg)", json!(["alg"])),
        ("a registered claim (exp)", json!(["exp"])),
        ("a duplicate name", json!(["x", "x"])),
        ("a string, not an array", json!("x-krjwt-unknown")),
        ("an object", json!({"x": true})),
        ("a number", json!(1)),
        ("false", json!(false)),
        ("null", json!(null)),
    ];
    let mut findings = Findings::default();
    for (what, crit) in &crits {
        let header = json!({"alg": "HS256", "crit": crit, "x-krjwt-unknown": true, "b64": false, "x": 1});
        findings.check(try_refused(&hs, &forge_json(&header, &claims(), &hs256()), "UnsupportedCritical", &["critical", "crit"], &format!("JWS crit: {what}")));
    }
    // The same in the protected header of an encrypted token, with a valid tag.
    let decryption_secret = [0x5a; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &decryption_secret);
    let (_, hs_key) = hs_setup();
    let v = validator(&[&hs_key], &[&decryption]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&v, &seal_dir_a256gcm(&decryption_secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes()), "JWE control");
    for (what, crit) in &crits {
        let header = json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT", "crit": crit});
        let token = seal_dir_a256gcm(&decryption_secret, &header, inner.as_bytes());
        findings.check(try_refused(&v, &token, "UnsupportedCritical", &["critical", "crit"], &format!("JWE crit: {what}")));
    }
    findings.assert_none("crit abuse");
}

#[test]
fn duplicate_json_members_are_refused() {
    let (hs, _key) = hs_setup();
    let exp = now() + 600;
    let past = now() - 3600;
    let body = |members: &str| format!(r#"{{"sub":"mallory","iss":"{ISS}","aud":"{AUD}",{members}}}"#);
    let headers = [
        r#"{"alg":"HS256","alg":"none"}"#,
        r#"{"alg":"none","alg":"HS256"}"#,
        r#"{"alg":"HS256","\u0061lg":"none"}"#,
        r#"{"alg":"HS256","kid":"alpha","kid":"beta"}"#,
        r#"{"alg":"HS256","crit":["x"],"crit":[]}"#,
    ];
    for header in headers {
        let token = forge(header, &body(&format!(r#""exp":{exp}"#)), &hs256());
        refused(&hs, &token, "Malformed", &["header", "duplicate"], header);
    }
    let payloads = [
        format!(r#""exp":{past},"exp":{exp}"#),
        format!(r#""exp":{exp},"exp":{past}"#),
        format!(r#""exp":{exp},"\u0065xp":{past}"#),
        format!(r#""exp":{exp},"nbf":{exp},"nbf":0"#),
        format!(r#""exp":{exp},"iss":"https://evil.test""#),
        format!(r#""exp":{exp},"aud":"other-api""#),
    ];
    for members in payloads {
        let token = forge(r#"{"alg":"HS256"}"#, &body(&members), &hs256());
        refused(&hs, &token, "Malformed", &["payload", "duplicate"], &members);
    }
    // A duplicated private claim: RFC 7519 §4 allows refusing it or reading the lexically last
    // value; what matters is that every reader of the report sees the same (last) value.
    let token = forge(r#"{"alg":"HS256"}"#, &body(&format!(r#""exp":{exp},"role":"reader","role":"admin""#)), &hs256());
    let verdict = verdict(&hs, &token);
    if verdict.reason == "Valid" {
        assert_eq!(verdict.claims["role"], "admin", "the lexically last duplicate wins");
        let mut info = null_mut();
        assert_eq!(unsafe { kr_token_inspect(token.as_ptr().cast(), token.len(), &mut info) }, KrStatus::Ok);
        assert_eq!(serde_json::from_str::<Value>(&take(info)).unwrap()["claims"]["role"], "admin", "inspection agrees");
    } else {
        assert_eq!(verdict.reason, "Malformed");
    }
    // JWE protected headers refuse every duplicate.
    let decryption_secret = [0x33; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &decryption_secret);
    let (_, hs_key) = hs_setup();
    let v = validator(&[&hs_key], &[&decryption]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    for header in [r#"{"alg":"dir","enc":"A256GCM","cty":"JWT","enc":"A128GCM"}"#, r#"{"alg":"dir","enc":"A256GCM","cty":"JWT","cty":"json"}"#] {
        let token = seal_dir_a256gcm_text(&decryption_secret, header, inner.as_bytes());
        refused(&v, &token, "Malformed", &["appears twice"], header);
    }
}

#[test]
fn headers_and_claims_sets_that_are_not_json_objects_are_refused() {
    let (hs, _key) = hs_setup();
    let c = claims();
    let exp = c["exp"].clone();
    let headers = [r#"["HS256",null,null]"#.to_string(), r#"["HS256"]"#.into(), r#""HS256""#.into(), "null".into(), "7".into(), String::new()];
    let mut findings = Findings::default();
    for header in &headers {
        let token = forge(header, &c.to_string(), &hs256());
        findings.check(try_refused(&hs, &token, "Malformed", &["header"], &format!("header {header}")));
    }
    // The claims set as an array in the order of the registered claims a reader might map it to.
    let payloads = [
        json!([exp, 0, ISS, AUD]).to_string(),
        json!([c]).to_string(),
        json!("a string").to_string(),
        "null".into(),
        String::new(),
        "not json".into(),
    ];
    for payload in &payloads {
        let token = forge(r#"{"alg":"HS256"}"#, payload, &hs256());
        findings.check(try_refused(&hs, &token, "Malformed", &["payload"], &format!("payload {payload}")));
    }
    findings.assert_none("headers and claims sets that are not JSON objects");
}

#[test]
fn huge_tokens_and_deeply_nested_json_are_refused_without_crashing() {
    let (hs, hs_key) = hs_setup();
    let decryption = CKey::new(KrKeyFormat::Secret, &[0x11; 32]);
    let with_decryption = validator(&[&hs_key], &[&decryption]);
    let mb = "A".repeat(1 << 20);
    let huge_jws = format!("{mb}.{mb}.{mb}");
    let huge_jwe = format!("{mb}.{mb}.{mb}.{mb}.{mb}");
    let mut findings = Findings::default();
    for (v, which) in [(&hs, "no decryption key"), (&with_decryption, "a decryption key")] {
        for (token, shape) in [(&huge_jws, "three segments"), (&huge_jwe, "five segments")] {
            let start = Instant::now();
            findings.check(try_refused(v, token, "TooLarge", &["bytes", "refused"], &format!("{} MB, {shape}, validator with {which}", token.len() >> 20)));
            assert!(start.elapsed() < Duration::from_secs(2), "refused by size, before decoding");
        }
    }
    let mut info = null_mut();
    assert_eq!(unsafe { kr_token_inspect(huge_jws.as_ptr().cast(), huge_jws.len(), &mut info) }, KrStatus::InvalidToken);
    assert_helpful(&last_error(), &["bytes", "refused"], "inspection of 3 MB");

    // Validly signed tokens whose JSON nests deeper than the parser allows: refused, no stack overflow.
    let deep_array = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let deep_objects = {
        let depth = 7_300; // ~44 KB of JSON: the token stays under the 64 KiB limit
        format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
    };
    let mut claims_text = claims().to_string();
    claims_text.pop();
    let cases = [
        ("a claim of 200 nested arrays", forge(r#"{"alg":"HS256"}"#, &format!(r#"{claims_text},"deep":{deep_array}}}"#), &hs256())),
        ("a claim of ~44 KB of nested objects", forge(r#"{"alg":"HS256"}"#, &format!(r#"{claims_text},"deep":{deep_objects}}}"#), &hs256())),
        ("a header member of 200 nested arrays", forge(&format!(r#"{{"alg":"HS256","deep":{deep_array}}}"#), &claims().to_string(), &hs256())),
    ];
    for (what, token) in &cases {
        assert!(token.len() < 64 * 1024, "{what}: {} bytes", token.len());
        // Refused as a whole: a validator must not accept a token whose claims (or header) it
        // cannot read back (the report would say Valid with no claims to authorise on).
        findings.check(try_refused(&hs, token, "Malformed", &["not a valid JSON object", "recursion limit"], what));
        let mut info = null_mut();
        assert_eq!(unsafe { kr_token_inspect(token.as_ptr().cast(), token.len(), &mut info) }, KrStatus::InvalidToken, "{what}: inspection");
        assert_helpful(&last_error(), &["not a JSON object"], &format!("{what}: inspection"));
    }
    // 60 KB of nesting encodes to ~80 KB: the size limit refuses it before it is parsed.
    let sixty_kb = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    let token = forge(r#"{"alg":"HS256"}"#, &format!(r#"{claims_text},"deep":{sixty_kb}}}"#), &hs256());
    refused(&hs, &token, "TooLarge", &["65536"], "60 KB of nested objects");
    findings.assert_none("huge tokens");
}

#[test]
fn non_canonical_base64url_is_refused() {
    let (hs, _key) = hs_setup();
    let signer = hs256();
    let token = forge_json(&jwt_header_json("HS256"), &claims(), &signer);
    accepted(&hs, &token, "canonical");
    let parts = segments(&token);
    let (header, payload, signature) = (&parts[0], &parts[1], &parts[2]);

    // Re-encodings of the same bytes that a lenient decoder would accept.
    let to_standard = |s: &str| s.replace('-', "+").replace('_', "/");
    let flipped_trailing_bits = {
        // 32 bytes → 43 characters; the last one carries 4 bits of data and 2 unused bits.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut chars = signature.clone().into_bytes();
        let last = chars.last_mut().unwrap();
        let value = ALPHABET.iter().position(|a| a == last).unwrap();
        *last = ALPHABET[value ^ 1];
        String::from_utf8(chars).unwrap()
    };
    assert_ne!(&flipped_trailing_bits, signature);
    let signature_variants = [
        ("signature with '=' padding", format!("{header}.{payload}.{signature}=")),
        ("signature with non-zero trailing bits", format!("{header}.{payload}.{flipped_trailing_bits}")),
        ("signature with a space inside", format!("{header}.{payload}.{} {}", &signature[..10], &signature[10..])),
        ("signature with a line break inside", format!("{header}.{payload}.{}\n{}", &signature[..10], &signature[10..])),
        ("signature in percent-encoding", format!("{header}.{payload}.{signature}%3D")),
    ];
    for (what, forged) in &signature_variants {
        refused(&hs, forged, "Malformed", &["signature is not valid base64url"], what);
    }
    if signature.contains(['-', '_']) {
        refused(&hs, &format!("{header}.{payload}.{}", to_standard(signature)), "Malformed", &["signature is not valid base64url"], "signature in the standard alphabet");
    }
    let header_variants = [
        ("header with '=' padding", format!("{header}=.{payload}.{signature}")),
        ("header with a tab inside", format!("{}\t{}.{payload}.{signature}", &header[..4], &header[4..])),
    ];
    for (what, forged) in &header_variants {
        refused(&hs, forged, "Malformed", &["header is not valid base64url"], what);
    }
    refused(&hs, &format!(".{payload}.{signature}"), "Malformed", &["header is not a valid JSON object"], "empty header");
    // The payload re-encoded and validly signed as re-encoded: the signature holds, the encoding does not.
    let mut filler = String::new();
    let standard_payload = loop {
        let encoded = b64::encode(claims_with(json!({"filler": filler})).to_string().as_bytes());
        if encoded.contains(['-', '_']) {
            break to_standard(&encoded);
        }
        filler.push('?');
    };
    let payload_variants = [
        ("payload with '=' padding", format!("{header}.{payload}=")),
        ("payload in the standard alphabet", format!("{header}.{standard_payload}")),
        ("payload with a space inside", format!("{header}.{} {}", &payload[..8], &payload[8..])),
    ];
    for (what, input) in &payload_variants {
        refused(&hs, &sign_input(&signer, input), "Malformed", &["payload is not valid base64url"], what);
    }
    // Whitespace around the whole token (as HTTP header values carry) is trimmed, not part of a segment.
    accepted(&hs, &format!(" {token}\r\n"), "surrounding whitespace");
}

#[test]
fn audience_and_issuer_type_confusion_is_refused() {
    let (hs, _key) = hs_setup();
    let signer = hs256();
    let token = |changes: Value| forge_json(&jwt_header_json("HS256"), &claims_with(changes), &signer);
    accepted(&hs, &token(json!({"aud": [AUD]})), "aud as a one-element array");
    accepted(&hs, &token(json!({"aud": ["other", AUD]})), "aud as an array holding the audience");
    let audiences = [
        (json!(42), "must be a string or an array of strings"),
        (json!({"aud": AUD}), "must be a string or an array of strings"),
        (json!([AUD, 1]), "must be a string or an array of strings"),
        (json!([[AUD]]), "must be a string or an array of strings"),
        (json!([{"value": AUD}]), "must be a string or an array of strings"),
        (json!(true), "must be a string or an array of strings"),
        (json!([]), "not meant for this audience"),
        (json!(""), "not meant for this audience"),
        (json!(AUD.to_uppercase()), "not meant for this audience"),
        (json!(format!("{AUD}.evil.test")), "not meant for this audience"),
        (json!(format!("{AUD}\u{0}")), "not meant for this audience"),
        (json!(format!(" {AUD}")), "not meant for this audience"),
        (Value::Null, "no audience"),
    ];
    for (aud, hint) in audiences {
        let forged = if aud.is_null() {
            forge(r#"{"alg":"HS256"}"#, &claims().to_string().replace(&format!(r#""aud":"{AUD}""#), r#""aud":null"#), &signer)
        } else {
            token(json!({"aud": aud}))
        };
        refused(&hs, &forged, "InvalidAudience", &[hint], &format!("aud {aud}"));
    }
    refused(&hs, &token(json!({"aud": null})), "InvalidAudience", &["no audience"], "aud missing");
    let issuers = [
        (json!([ISS]), "must be a string"),
        (json!({"iss": ISS}), "must be a string"),
        (json!(42), "must be a string"),
        (json!(true), "must be a string"),
        (json!(ISS.to_uppercase()), "is not accepted"),
        (json!(format!("{ISS}/")), "is not accepted"),
        (json!(""), "is not accepted"),
    ];
    for (iss, hint) in issuers {
        refused(&hs, &token(json!({"iss": iss})), "InvalidIssuer", &[hint], &format!("iss {iss}"));
    }
    refused(&hs, &token(json!({"iss": null})), "InvalidIssuer", &["no issuer"], "iss missing");
    let explicit_null = forge(r#"{"alg":"HS256"}"#, &claims().to_string().replace(&format!(r#""iss":"{ISS}""#), r#""iss":null"#), &signer);
    refused(&hs, &explicit_null, "InvalidIssuer", &["no issuer"], "iss null");
}

#[test]
fn exp_and_nbf_of_the_wrong_type_or_range_are_refused() {
    let (hs, _key) = hs_setup();
    let signer = hs256();
    let now = now();
    let with = |members: &str| {
        let text = format!(r#"{{"sub":"mallory","iss":"{ISS}","aud":"{AUD}",{members}}}"#);
        forge(r#"{"alg":"HS256"}"#, &text, &signer)
    };
    accepted(&hs, &with(&format!(r#""exp":{}.5"#, now + 600)), "exp with a fraction (NumericDate allows it)");
    accepted(&hs, &with(&format!(r#""exp":{}e0"#, now + 600)), "exp in exponent notation");
    let wrong_types = [
        format!(r#""exp":"{}""#, now + 600),
        r#""exp":"9999999999""#.into(),
        r#""exp":"NaN""#.into(),
        r#""exp":"Infinity""#.into(),
        r#""exp":true"#.into(),
        r#""exp":[9999999999]"#.into(),
        r#""exp":{"$date":9999999999}"#.into(),
        format!(r#""exp":{},"nbf":"0""#, now + 600),
        format!(r#""exp":{},"nbf":false"#, now + 600),
        format!(r#""exp":{},"nbf":[]"#, now + 600),
    ];
    for members in &wrong_types {
        refused(&hs, &with(members), "InvalidClaim", &["must be a number of seconds (NumericDate)"], members);
    }
    let out_of_range = [r#""exp":1e400"#.to_string(), r#""exp":-1e400"#.into(), format!(r#""exp":{},"nbf":1e999"#, now + 600)];
    for members in &out_of_range {
        refused(&hs, &with(members), "Malformed", &["payload", "out of range"], members);
    }
    let expired = [r#""exp":-1"#.to_string(), r#""exp":0"#.into(), r#""exp":-1e308"#.into(), format!(r#""exp":{}"#, now - 3600)];
    for members in &expired {
        refused(&hs, &with(members), "Expired", &["expired at", "get a new token"], members);
    }
    let not_yet = [format!(r#""exp":{},"nbf":1e308"#, now + 600), format!(r#""exp":{},"nbf":{}"#, now + 600, now + 3600)];
    for members in &not_yet {
        refused(&hs, &with(members), "NotYetValid", &["not valid before"], members);
    }
    refused(&hs, &with(r#""exp":null"#), "MissingExpiration", &["no expiration time"], "exp null");
    refused(&hs, &with(r#""nbf":0"#), "MissingExpiration", &["no expiration time"], "exp missing");
}

// ---------------------------------------------------------------------------------------------
// JWE attacks.

/// A compact JWE (dir, A256GCM) sealed by hand with a valid tag over any protected header: the
/// refusals below then cannot come from a broken tag.
fn seal_dir_a256gcm(key: &[u8; 32], header: &Value, plaintext: &[u8]) -> String {
    seal_dir_a256gcm_text(key, &header.to_string(), plaintext)
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

/// The nested JWT a legitimate issuer makes: the HS256 token encrypted to `recipient`.
fn nested(recipient: &Arc<Key>, alg: &str, enc: &str) -> String {
    nested_with_kid(recipient, alg, enc, "k1")
}

fn nested_with_kid(recipient: &Arc<Key>, alg: &str, enc: &str, kid: &str) -> String {
    let inner = forge_json(&jwt_header_json("HS256"), &claims_with(json!({"sub": kid})), &hs256());
    Encrypter::new(recipient.clone(), Some(alg), Some(enc)).unwrap().encrypt_compact(&jwt_header(kid), inner.as_bytes()).unwrap()
}

/// `kr_jwe_decrypt`: Ok(payload) or Err((status, last error)).
fn jwe_decrypt(key: &CKey, alg: Option<&str>, enc: Option<&str>, token: &str) -> Result<Vec<u8>, (KrStatus, String)> {
    let (alg, enc) = (alg.map(c), enc.map(c));
    let (mut payload, mut len, mut header) = (null_mut(), 0usize, null_mut());
    let status = unsafe {
        kr_jwe_decrypt(
            key.ptr(),
            alg.as_ref().map_or(null(), |a| a.as_ptr()),
            enc.as_ref().map_or(null(), |e| e.as_ptr()),
            token.as_ptr().cast(),
            token.len(),
            &mut KrReason::Valid,
            &mut payload,
            &mut len,
            &mut header,
        )
    };
    if status != KrStatus::Ok {
        return Err((status, last_error()));
    }
    let bytes = unsafe { std::slice::from_raw_parts(payload, len) }.to_vec();
    unsafe { kr_bytes_free(payload, len) };
    take(header);
    Ok(bytes)
}

#[test]
fn invalid_curve_and_small_order_ecdh_points_are_refused() {
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let recipient = core_key(&p256);
    let (_, hs_key) = hs_setup();
    let c_recipient = c_private(&p256);
    let v = validator(&[&hs_key], &[&c_recipient]);
    let token = nested(&recipient, "ECDH-ES", "A256GCM");
    accepted(&v, &token, "ECDH-ES control");
    let wrapped = nested(&recipient, "ECDH-ES+A128KW", "A128GCM");
    accepted(&v, &wrapped, "ECDH-ES+A128KW control");

    let p384_public = public_jwk_of(&private_jwk(&common::ec(Nid::SECP384R1)));
    let x25519_public = public_jwk_of(&private_jwk(&PKey::generate_x25519().unwrap()));
    let coordinate = |h: &Map<String, Value>, name: &str| b64::decode_strict(h["epk"][name].as_str().unwrap()).unwrap();
    type Change = Box<dyn Fn(&mut Map<String, Value>)>;
    let off_curve: [(&str, Change); 5] = [
        ("y + 1 (off the curve)", Box::new(move |h| {
            let mut y = coordinate(h, "y");
            y[31] ^= 1;
            h["epk"]["y"] = b64::encode(&y).into();
        })),
        ("(0, 0)", Box::new(|h| {
            h["epk"]["x"] = b64::encode(&[0; 32]).into();
            h["epk"]["y"] = b64::encode(&[0; 32]).into();
        })),
        ("x = y = p (outside the field)", Box::new(|h| {
            let p = BigNum::from_hex_str("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF").unwrap().to_vec();
            h["epk"]["x"] = b64::encode(&p).into();
            h["epk"]["y"] = b64::encode(&p).into();
        })),
        ("a point of a weak curve sharing P-256's a (x = 1, y = 1)", Box::new(|h| {
            let mut one = vec![0; 32];
            one[31] = 1;
            h["epk"]["x"] = b64::encode(&one).into();
            h["epk"]["y"] = b64::encode(&one).into();
        })),
        ("a P-256 point claimed with a short y", Box::new(move |h| {
            let y = coordinate(h, "y");
            h["epk"]["y"] = b64::encode(&y[1..]).into();
        })),
    ];
    for (what, change) in &off_curve {
        for t in [&token, &wrapped] {
            refused(&v, &with_header(t, |h| change(h)), "Malformed", &["ephemeral public key (epk)"], &format!("epk {what}"));
        }
    }
    let epk_of = |jwk: &Value| -> Value {
        jwk.as_object().unwrap().iter().filter(|(n, _)| ["kty", "crv", "x", "y"].contains(&n.as_str())).map(|(n, v)| (n.clone(), v.clone())).collect()
    };
    for (what, epk) in [("a P-384 point", epk_of(&p384_public)), ("an X25519 point", epk_of(&x25519_public))] {
        let forged = with_header(&token, |h| {
            h.insert("epk".into(), epk.clone());
        });
        refused(&v, &forged, "Malformed", &["epk", "but the configured key is an EC P-256 key", "same curve"], &format!("epk on another curve: {what}"));
    }
    for (what, epk) in [("no epk", Value::Null), ("an oct epk", json!({"kty": "oct", "k": "AAAA"})), ("a string epk", json!("AAAA"))] {
        let forged = with_header(&token, |h| {
            h.insert("epk".into(), epk.clone());
        });
        refused(&v, &forged, "Malformed", &["epk"], what);
    }

    // X25519: the small-order points (RFC 7748 §6.1; all give an all-zero shared secret) and their
    // non-canonical encodings are refused as keys, before any key agreement: what the header holds
    // is public, so the refusal tells an attacker nothing about the recipient's key.
    let x25519 = PKey::generate_x25519().unwrap();
    let c_x25519 = c_private(&x25519);
    let vx = validator(&[&hs_key], &[&c_x25519]);
    let x_token = nested(&core_key(&x25519), "ECDH-ES", "A256GCM");
    accepted(&vx, &x_token, "X25519 control");
    for (what, point) in &small_order_u() {
        let forged = with_header(&x_token, |h| {
            h["epk"]["x"] = b64::encode(point).into();
        });
        refused(&vx, &forged, "Malformed", &["epk", "small order"], &format!("X25519 epk {what}"));
        let (status, message) = jwe_decrypt(&c_x25519, None, None, &forged).expect_err("refused");
        assert_eq!(status, KrStatus::InvalidToken, "{what}");
        assert!(message.contains("small order") && message.ends_with("(Malformed)"), "X25519 epk {what} through kr_jwe_decrypt: {message}");
    }
    let short = with_header(&x_token, |h| {
        h["epk"]["x"] = b64::encode(&[9; 31]).into();
    });
    refused(&vx, &short, "Malformed", &["epk", "32-byte"], "X25519 epk of 31 bytes");
}

#[test]
fn rsa1_5_padding_oracle_gives_one_answer_in_about_the_same_time() {
    let legit = rsa();
    let recipient = c_private(legit);
    let other = c_private(attacker_rsa());
    let token = nested(&core_key(legit), "RSA1_5", "A128CBC-HS256");
    let to_other = nested(&core_key(attacker_rsa()), "RSA1_5", "A128CBC-HS256");
    let public = legit.rsa().unwrap();
    let encrypt = |cek: &[u8]| {
        let mut out = vec![0; public.size() as usize];
        let len = public.public_encrypt(cek, &mut out, Padding::PKCS1).unwrap();
        out.truncate(len);
        out
    };
    let mut random_cek = [0u8; 32];
    openssl::rand::rand_bytes(&mut random_cek).unwrap();
    let cases: Vec<(&str, &CKey, String)> = vec![
        ("a token for another key", &recipient, to_other.clone()),
        ("the other key on our token", &other, token.clone()),
        ("a corrupted encrypted key (bad padding)", &recipient, with_part(&token, 1, |k| k[20] ^= 0x40)),
        ("random bytes below the modulus as the encrypted key", &recipient, with_part(&token, 1, |k| {
            openssl::rand::rand_bytes(k).unwrap();
            k[0] = 0;
        })),
        ("valid padding, a 5-byte CEK", &recipient, with_part(&token, 1, |k| *k = encrypt(&[1, 2, 3, 4, 5]))),
        ("valid padding, a 32-byte wrong CEK", &recipient, with_part(&token, 1, |k| *k = encrypt(&random_cek))),
        ("valid padding, a 64-byte CEK", &recipient, with_part(&token, 1, |k| *k = encrypt(&[7; 64]))),
        ("a shortened encrypted key", &recipient, with_part(&token, 1, |k| k.truncate(255))),
    ];
    // Not even an RSA operation is possible on a number at or above the modulus: refused at once,
    // with the same answer. The timing differs, but depends only on public values (n), so it tells
    // the attacker nothing they did not know; it is left out of the timing comparison below.
    let above_modulus = with_part(&token, 1, |k| k.fill(0xff));
    // Through the validator: one reason, one message.
    let (_, hs_key) = hs_setup();
    let pinned = json!({"keyManagementAlgorithm": "RSA1_5"});
    let v = validator_with(pinned.clone(), &[&hs_key], &[&recipient]);
    accepted(&v, &token, "RSA1_5 control");
    for (what, _, forged) in &cases {
        if forged == &token {
            continue;
        }
        let verdict = refused(&v, forged, "DecryptionFailed", &[], what);
        assert_eq!(verdict.message, DECRYPTION_FAILED, "{what}");
    }
    assert_eq!(verdict(&v, &above_modulus).message, DECRYPTION_FAILED, "a number above the modulus");
    let v_other = validator_with(pinned, &[&hs_key], &[&other]);
    assert_eq!(verdict(&v_other, &token).message, DECRYPTION_FAILED, "the other key on our token (validator)");
    // Through the JOSE layer: one status, one message.
    for (what, key, forged) in cases.iter().chain([&("a number above the modulus", &recipient, above_modulus.clone())]) {
        let (status, message) = jwe_decrypt(key, Some("RSA1_5"), None, forged).err().unwrap_or_else(|| panic!("{what}: accepted"));
        assert_eq!(status, KrStatus::InvalidToken, "{what}");
        assert_eq!(message, format!("{DECRYPTION_FAILED} (DecryptionFailed)"), "{what}");
    }
    // Not named, RSA1_5 is refused before any RSA operation: no oracle to query at all.
    let default_rsa = validator(&[&hs_key], &[&recipient]);
    refused(&default_rsa, &token, "AlgorithmNotAllowed", &["RSA1_5", "does not accept"], "RSA1_5 not named");

    // Timing: medians over interleaved runs (so that machine load hits every case alike). The
    // failure path always does the RSA private-key operation and then a tag check with a CEK
    // (real or random), so the cases differ by far less than the RSA operation itself costs.
    // Two random 2048-bit moduli differ: a token for the other key may hold a number at or above
    // ours (and the reverse), which is refused at once for the public reason above. Such cases are
    // left out; the ones kept all reach the private-key operation.
    let below_modulus = |key: &CKey, forged: &str| {
        let n = if std::ptr::eq(key, &recipient) { legit.rsa().unwrap().n().to_owned().unwrap() } else { attacker_rsa().rsa().unwrap().n().to_owned().unwrap() };
        let encrypted = b64::decode_strict(forged.split('.').nth(1).unwrap()).unwrap();
        BigNum::from_slice(&encrypted).unwrap() < n
    };
    let timed: Vec<(&str, &CKey, String)> = std::iter::once(("the valid token", &recipient, token.clone()))
        .chain(cases)
        .filter(|(_, key, forged)| below_modulus(key, forged))
        .collect();
    assert!(timed.len() >= 7, "most cases reach the RSA operation");
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(200); timed.len()];
    for _ in 0..200 {
        for (i, (_, key, forged)) in timed.iter().enumerate() {
            let start = Instant::now();
            let outcome = jwe_decrypt(key, Some("RSA1_5"), None, forged);
            samples[i].push(start.elapsed());
            std::hint::black_box(outcome.is_ok());
        }
    }
    let medians: Vec<Duration> = samples
        .iter_mut()
        .map(|s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect();
    let (fastest, slowest) = (*medians.iter().min().unwrap(), *medians.iter().max().unwrap());
    let report: Vec<String> = timed.iter().zip(&medians).map(|((what, _, _), m)| format!("{what}: {m:?}")).collect();
    assert!(slowest.as_secs_f64() < 3.0 * fastest.as_secs_f64(), "median decryption times differ by more than 3x:\n{}", report.join("\n"));
}

#[test]
fn pbes2_iteration_counts_that_would_burn_cpu_are_refused_before_any_work() {
    let password = b"correct horse battery staple";
    let core = Arc::new(Key::import(KeyFormat::Passphrase, password).unwrap());
    let key = CKey::new(KrKeyFormat::Passphrase, password);
    let alg = "PBES2-HS256+A128KW";
    let token = Encrypter::new(core, Some(alg), Some("A128GCM")).unwrap().encrypt_compact(&Map::new(), b"payload").unwrap();
    assert_eq!(jwe_decrypt(&key, Some(alg), None, &token).unwrap(), b"payload", "control");

    // Calibration: the cost of about the 10,000 iterations accepted by default (the changed header
    // then fails the tag).
    let calibrate = with_header(&token, |h| {
        h["p2c"] = 9_999.into();
    });
    let start = Instant::now();
    let (_, message) = jwe_decrypt(&key, Some(alg), None, &calibrate).expect_err("the header is authenticated");
    let ten_thousand = start.elapsed();
    assert!(message.contains(DECRYPTION_FAILED));

    let absurd = [json!(10_001), json!(1_000_000), json!(2_147_483_647u32), json!(4_294_967_296u64), json!(u64::MAX), json!(1e20), json!(-1), json!(0)];
    for p2c in &absurd {
        let forged = with_header(&token, |h| {
            h["p2c"] = p2c.clone();
        });
        // The fastest of a few tries: a busy machine may pause any one of them.
        let (mut elapsed, mut refusal) = (Duration::MAX, None);
        for _ in 0..5 {
            let start = Instant::now();
            refusal = jwe_decrypt(&key, Some(alg), None, &forged).err();
            elapsed = elapsed.min(start.elapsed());
        }
        let (status, message) = refusal.expect("refused");
        assert_eq!(status, KrStatus::InvalidToken, "p2c {p2c}");
        assert!(message.ends_with("(Malformed)"), "p2c {p2c}: {message}");
        assert_helpful(&message, &["iteration count (p2c)"], &format!("p2c {p2c}"));
        // A refusal before any derivation costs almost nothing next to 10,000 iterations.
        assert!(elapsed * 10 < ten_thousand, "p2c {p2c}: refused after {elapsed:?}; 10,000 iterations take {ten_thousand:?}");
    }
    let forged = with_header(&token, |h| {
        h["p2c"] = 1_000_000.into();
    });
    let (_, message) = jwe_decrypt(&key, Some(alg), None, &forged).err().unwrap();
    assert_helpful(&message, &["is 1000000", "1000 to 10000 ", "bounds the work", "maxPbes2Count"], "p2c 10^6 (0.7 s of CPU a token)");
    for p2c in [json!("1000"), json!(1000.5), json!(null)] {
        let forged = with_header(&token, |h| {
            h["p2c"] = p2c.clone();
        });
        let (_, message) = jwe_decrypt(&key, Some(alg), None, &forged).err().unwrap();
        assert_helpful(&message, &["p2c"], &format!("p2c {p2c}"));
    }
    // Without naming PBES2, a password decrypts nothing: it is refused as a key, before any token.
    let (status, message) = jwe_decrypt(&key, None, None, &forged).expect_err("PBES2 must be named");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["name a PBES2 algorithm"], "PBES2 not named");
    // A 32-byte secret does serve other algorithms; a PBES2 token is still refused unless named.
    let secret = CKey::new(KrKeyFormat::Secret, &[0x5c; 32]);
    let (status, message) = jwe_decrypt(&secret, None, None, &forged).expect_err("PBES2 must be named");
    assert_eq!(status, KrStatus::InvalidToken);
    assert!(message.ends_with("(AlgorithmNotAllowed)") && message.contains(alg), "{message}");
}

#[test]
fn zip_compressed_tokens_are_refused_before_decryption() {
    let secret = [0x77u8; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &secret);
    let (_, hs_key) = hs_setup();
    let v = validator(&[&hs_key], &[&decryption]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&v, &seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes()), "control");
    // A raw DEFLATE stream (fixed Huffman) that inflates to 1 MiB of zeros from a few KB: the
    // header alone must decide, whatever the body would inflate to.
    let bomb = deflate_zeros(1 << 20);
    assert!(bomb.len() < 8 * 1024);
    for zip in [json!("DEF"), json!("def"), json!("GZIP"), json!(""), json!(null), json!(true)] {
        let header = json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT", "zip": zip});
        let sealed = seal_dir_a256gcm(&secret, &header, &bomb);
        let verdict = refused(&v, &sealed, "AlgorithmNotAllowed", &["compressed", "zip", "decompression bombs"], &format!("zip {zip}"));
        assert!(verdict.claims.is_null());
        // The same header over garbage: still the zip refusal, so no decryption was attempted.
        let garbage = with_part(&sealed, 4, |tag| tag[0] ^= 1);
        refused(&v, &garbage, "AlgorithmNotAllowed", &["zip"], &format!("zip {zip}, bad tag"));
        let (status, message) = jwe_decrypt(&decryption, None, None, &sealed).expect_err("refused");
        assert_eq!(status, KrStatus::InvalidToken);
        assert!(message.ends_with("(AlgorithmNotAllowed)") && message.contains("zip"), "{message}");
    }
}

/// Raw DEFLATE (RFC 1951), one fixed-Huffman block: a literal zero, then length-258 copies at
/// distance 1 until `len` zero bytes, then end of block.
fn deflate_zeros(len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u32, count: u32) {
            let reversed = code.reverse_bits() >> (32 - count);
            self.put(reversed, count);
        }
    }
    let mut bits = Bits { out: Vec::new(), acc: 0, n: 0 };
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman
    bits.code(0b0011_0000, 8); // literal 0
    let mut written = 1;
    while written + 258 <= len {
        bits.code(0b1100_0101, 8); // length code 285 = 258
        bits.code(0, 5); // distance code 0 = 1
        written += 258;
    }
    while written < len {
        bits.code(0b0011_0000, 8);
        written += 1;
    }
    bits.code(0, 7); // end of block (256)
    bits.put(0, 7);
    bits.out
}

#[test]
fn jwe_algorithm_substitution_is_refused() {
    let (_, hs_key) = hs_setup();
    let rsa_key = c_private(rsa());
    let by_rsa = validator(&[&hs_key], &[&rsa_key]);
    let secret = [0x66u8; 32];
    let by_secret = validator(&[&hs_key], &[&CKey::new(KrKeyFormat::Secret, &secret)]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&by_rsa, &nested(&core_key(rsa()), "RSA-OAEP", "A256GCM"), "RSA-OAEP control");
    // The attacker knows the RSA public key and seals a token with dir, using the public key's
    // bytes (or anything) as the "shared secret".
    let modulus = rsa().rsa().unwrap().n().to_vec();
    let dir_key: [u8; 32] = modulus[..32].try_into().unwrap();
    let forged = seal_dir_a256gcm(&dir_key, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes());
    refused(&by_rsa, &forged, "AlgorithmNotAllowed", &["alg 'dir'", "does not accept"], "dir to an RSA key");
    // RSA1_5 (Bleichenbacher) and PBES2 (CPU) only when named.
    refused(&by_rsa, &nested(&core_key(rsa()), "RSA1_5", "A256GCM"), "AlgorithmNotAllowed", &["RSA1_5"], "RSA1_5 to a default RSA key");
    let pbes2 = Encrypter::new(Arc::new(Key::from_secret(secret.to_vec()).unwrap()), Some("PBES2-HS256+A128KW"), Some("A256GCM"))
        .unwrap()
        .encrypt_compact(&jwt_header("k1"), inner.as_bytes())
        .unwrap();
    refused(&by_secret, &pbes2, "AlgorithmNotAllowed", &["PBES2-HS256+A128KW"], "PBES2 to a default secret");
    // Unknown or misspelt names.
    let token = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes());
    accepted(&by_secret, &token, "dir control");
    for (alg, enc) in [("DIR", "A256GCM"), ("dir", "a256gcm"), ("none", "A256GCM"), ("dir", "none"), ("RSA-OAEP", "A256GCM")] {
        let forged = seal_dir_a256gcm(&secret, &json!({"alg": alg, "enc": enc, "cty": "JWT"}), inner.as_bytes());
        refused(&by_secret, &forged, "AlgorithmNotAllowed", &[&format!("alg '{alg}' and enc '{enc}'")], &format!("{alg}/{enc}"));
    }
}

#[test]
fn jwe_tampering_header_swap_and_iv_or_tag_truncation_is_refused() {
    let secret = [0x44u8; 32];
    let core = Arc::new(Key::from_secret(secret.to_vec()).unwrap());
    let decryption = CKey::new(KrKeyFormat::Secret, &secret);
    let (_, hs_key) = hs_setup();
    let v = validator(&[&hs_key], &[&decryption]);
    let rsa_key = c_private(rsa());
    let v_rsa = validator(&[&hs_key], &[&rsa_key]);
    // Pairs of tokens to the same key with the same algorithms, differing in their headers (kid).
    let pair = |key: &Arc<Key>, alg: &str, enc: &str| (nested_with_kid(key, alg, enc, "alice"), nested_with_kid(key, alg, enc, "bob"));
    let samples = [(&v, pair(&core, "dir", "A256GCM")), (&v, pair(&core, "A256KW", "A128CBC-HS256")), (&v, pair(&core, "A256GCMKW", "A256GCM")), (&v_rsa, pair(&core_key(rsa()), "RSA-OAEP-256", "A256GCM"))];
    for (v, (a, b)) in &samples {
        let name = {
            let header: Value = serde_json::from_slice(&b64::decode_strict(a.split('.').next().unwrap()).unwrap()).unwrap();
            format!("{}/{}", header["alg"].as_str().unwrap(), header["enc"].as_str().unwrap())
        };
        accepted(v, a, &name);
        let (pa, pb) = (segments(a), segments(b));
        let swap = |i: usize| {
            let mut parts = pa.clone();
            parts[i] = pb[i].clone();
            parts.join(".")
        };
        let mut cases = vec![
            ("header of another token", swap(0)),
            ("iv of another token", swap(2)),
            ("ciphertext of another token", swap(3)),
            ("tag of another token", swap(4)),
            ("iv truncated by a byte", with_part(a, 2, |iv| iv.truncate(iv.len() - 1))),
            ("iv emptied", with_part(a, 2, Vec::clear)),
            ("iv extended by a zero byte", with_part(a, 2, |iv| iv.push(0))),
            ("tag truncated by a byte", with_part(a, 4, |t| t.truncate(t.len() - 1))),
            ("tag truncated to 8 bytes", with_part(a, 4, |t| t.truncate(8))),
            ("tag truncated to 1 byte", with_part(a, 4, |t| t.truncate(1))),
            ("tag emptied", with_part(a, 4, Vec::clear)),
            ("ciphertext emptied", with_part(a, 3, Vec::clear)),
            ("ciphertext truncated", with_part(a, 3, |c| c.truncate(c.len() / 2))),
            ("a header member added", with_header(a, |h| {
                h.insert("kid".into(), "k2".into());
            })),
        ];
        if !pa[1].is_empty() {
            cases.push(("encrypted key of another token", swap(1)));
            cases.push(("encrypted key truncated", with_part(a, 1, |k| k.truncate(k.len() - 8))));
        }
        for (what, forged) in cases {
            let verdict = refused(v, &forged, "DecryptionFailed", &[], &format!("{name}: {what}"));
            assert_eq!(verdict.message, DECRYPTION_FAILED, "{name}: {what}");
        }
    }
    let dir = nested(&core, "dir", "A256GCM");
    refused(&v, &with_part(&dir, 1, |k| *k = vec![1; 40]), "Malformed", &["dir", "no encrypted key"], "dir with an encrypted key");
}

#[test]
fn nested_token_confusion_is_refused() {
    let secret = [0x21u8; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &secret);
    let (_, hs_key) = hs_setup();
    let v = validator(&[&hs_key], &[&decryption]);
    let outer = |header: Value, plaintext: &str| seal_dir_a256gcm(&secret, &header, plaintext.as_bytes());
    let jwt = json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"});
    let legit_inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&v, &outer(jwt.clone(), &legit_inner), "control");
    accepted(&v, &outer(json!({"alg": "dir", "enc": "A256GCM", "cty": "jwt"}), &legit_inner), "cty is case-insensitive");

    // The content is not announced as a JWT.
    for header in [json!({"alg": "dir", "enc": "A256GCM"}), json!({"alg": "dir", "enc": "A256GCM", "cty": "json"}), json!({"alg": "dir", "enc": "A256GCM", "cty": ["JWT"]})] {
        refused(&v, &outer(header.clone(), &legit_inner), "Malformed", &["does not hold a JWT", "cty"], &format!("outer header {header}"));
    }
    // Encrypted, but not signed: the claims set itself, or an unsigned JWS, inside.
    refused(&v, &outer(jwt.clone(), &claims().to_string()), "Malformed", &["token"], "plain claims inside");
    refused(&v, &outer(jwt.clone(), r#"{"sub":"mallory"}"#), "Malformed", &["not a compact JWS"], "plain claims without dots inside");
    let unsigned = format!("{}.{}.", b64::encode(jwt_header_json("none").to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
    refused(&v, &outer(jwt.clone(), &unsigned), "AlgorithmNotAllowed", &["unsigned"], "alg none inside");
    // Signed by another key: encryption to our key does not make the signature ours.
    let attacker_secret = pin(&Arc::new(Key::from_secret(vec![0x99; 32]).unwrap()), Algorithm::HS256);
    let foreign = forge_json(&jwt_header_json("HS256"), &claims(), &attacker_secret);
    refused(&v, &outer(jwt.clone(), &foreign), "InvalidSignature", &["signature does not match"], "JWS by another key inside");
    let ed = common::ed25519();
    let foreign_alg = forge_json(&jwt_header_json("EdDSA"), &claims(), &pin(&core_key(&ed), Algorithm::EdDSA));
    refused(&v, &outer(jwt.clone(), &foreign_alg), "AlgorithmNotAllowed", &["signed with 'EdDSA'"], "EdDSA JWS inside");
    // A JWE inside a JWE, and binary content.
    let double = outer(jwt.clone(), &outer(jwt.clone(), &legit_inner));
    refused(&v, &double, "Malformed", &["not a compact JWS"], "JWE inside a JWE");
    let binary = seal_dir_a256gcm(&secret, &jwt, &[0xff, 0xfe, 0x00, 0x80]);
    refused(&v, &binary, "Malformed", &["not text"], "binary content");
    // A JWS whose payload is a JWE: not a claims set.
    let jws_of_jwe = forge(&jwt_header_json("HS256").to_string(), &outer(jwt, &legit_inner), &hs256());
    refused(&v, &jws_of_jwe, "Malformed", &["payload is not a valid JSON object"], "JWS around a JWE");
}

// ---------------------------------------------------------------------------------------------
// Keys that parse but must be refused, on every import path (issue 13, item 1).

fn try_key(format: KrKeyFormat, data: &[u8]) -> Result<CKey, (KrStatus, String)> {
    let mut key = null_mut();
    match unsafe { kr_key_import(format as i32, data.as_ptr(), data.len(), &mut key) } {
        KrStatus::Ok => Ok(CKey(key)),
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

/// A JWK Set given to `kr_validator_new`: the validator, or the status and message of its refusal.
fn key_set_validator(jwks: Value) -> Result<CValidator, (KrStatus, String)> {
    try_validator(&json!({"jwks": jwks}), &[], &[])
}

/// Every public form of a key: SPKI PEM, SPKI DER, a certificate (PEM and DER), a public JWK, and
/// a JWK Set for verification.
fn assert_refused_everywhere(public: &PKey<openssl::pkey::Public>, jwk: &Value, hints: &[&str], case: &str) {
    refused_key(KrKeyFormat::Pem, &public.public_key_to_pem().unwrap(), hints, &format!("{case}: SPKI PEM"));
    refused_key(KrKeyFormat::Der, &public.public_key_to_der().unwrap(), hints, &format!("{case}: SPKI DER"));
    let certificate = common::certificate_for(public, attacker_rsa()).to_der().unwrap();
    refused_key(KrKeyFormat::Der, &certificate, hints, &format!("{case}: certificate (DER)"));
    let pem = openssl::x509::X509::from_der(&certificate).unwrap().to_pem().unwrap();
    refused_key(KrKeyFormat::Pem, &pem, hints, &format!("{case}: certificate (PEM)"));
    refused_key(KrKeyFormat::Jwk, jwk.to_string().as_bytes(), hints, &format!("{case}: JWK"));
    let (status, message) = key_set_validator(json!({"keys": [jwk]})).err().unwrap_or_else(|| panic!("{case}: JWK Set accepted"));
    assert_eq!(status, KrStatus::InvalidKey, "{case}: JWK Set: {message}");
    assert_helpful(&message, &[&["Key 0 of the JWK Set"], hints].concat(), &format!("{case}: JWK Set"));
}

#[test]
fn rsa_public_exponents_that_allow_forgery_are_refused_on_every_import_path() {
    let n = rsa().rsa().unwrap().n().to_owned().unwrap();
    for (e, problem) in [(1u32, "below 3"), (2, "even"), (4, "even"), (65536, "even")] {
        let weak = PKey::from_rsa(openssl::rsa::Rsa::from_public_components(n.to_owned().unwrap(), BigNum::from_u32(e).unwrap()).unwrap()).unwrap();
        let jwk = json!({"kty": "RSA", "n": b64::encode(&n.to_vec()), "e": b64::encode(&BigNum::from_u32(e).unwrap().to_vec())});
        assert_refused_everywhere(&weak, &jwk, &[&format!("e = {e}"), problem], &format!("e = {e}"));
    }
    // With e = 1 the "signature" of a token is its padded digest: anyone could write one. Refused
    // at import, such a key never reaches a verifier, whatever the PKCS#1 block says.
    let control = json!({"kty": "RSA", "n": b64::encode(&n.to_vec()), "e": "AQAB"});
    assert!(try_key(KrKeyFormat::Jwk, control.to_string().as_bytes()).is_ok(), "e = 65537 control");
    // A private key with an even exponent is refused as well (the JWK's numbers need not be consistent
    // to be refused: the exponent is read first).
    let mut private = private_jwk(rsa());
    private["e"] = "Ag".into();
    refused_key(KrKeyFormat::Jwk, private.to_string().as_bytes(), &["e = 2"], "private JWK with e = 2");
}

/// A 2048-bit RSA key pair made the way the Infineon library behind ROCA made them: each prime is
/// p = k * M + (65537^a mod M), M the product of the first 126 primes (Nemec et al., CCS 2017, for
/// 1024-bit primes), k and a random.
fn roca_key() -> PKey<Private> {
    let mut ctx = BigNumContext::new().unwrap();
    let mut m = BigNum::from_u32(1).unwrap();
    let (mut found, mut candidate) = (0, 2u32);
    while found < 126 {
        if (2..candidate).take_while(|d| d * d <= candidate).all(|d| candidate % d != 0) {
            m = &m * &BigNum::from_u32(candidate).unwrap();
            found += 1;
        }
        candidate += 1;
    }
    let generator = BigNum::from_u32(65537).unwrap();
    let prime = || loop {
        let mut ctx = BigNumContext::new().unwrap();
        let (mut k, mut a, mut power) = (BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap());
        k.rand(1024 - m.num_bits(), openssl::bn::MsbOption::TWO_ONES, false).unwrap();
        a.rand(256, openssl::bn::MsbOption::MAYBE_ZERO, false).unwrap();
        power.mod_exp(&generator, &a, &m, &mut ctx).unwrap();
        let p = &(&k * &m) + &power;
        if p.num_bits() == 1024 && p.is_prime(64, &mut ctx).unwrap() {
            return p;
        }
    };
    loop {
        let (p, q) = (prime(), prime());
        let one = BigNum::from_u32(1).unwrap();
        let (p1, q1) = (&p - &one, &q - &one);
        let phi = &p1 * &q1;
        let mut d = BigNum::new().unwrap();
        let n = &p * &q;
        if n.num_bits() != 2048 || d.mod_inverse(&generator, &phi, &mut ctx).is_err() {
            continue;
        }
        let (mut dp, mut dq, mut qi) = (BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap());
        dp.nnmod(&d, &p1, &mut ctx).unwrap();
        dq.nnmod(&d, &q1, &mut ctx).unwrap();
        qi.mod_inverse(&q, &p, &mut ctx).unwrap();
        let rsa = openssl::rsa::Rsa::from_private_components(n, generator.to_owned().unwrap(), d, p, q, dp, dq, qi).unwrap();
        return PKey::from_rsa(rsa).unwrap();
    }
}

#[test]
fn roca_moduli_are_refused_on_every_import_path() {
    let key = roca_key();
    assert!(key.rsa().unwrap().check_key().unwrap(), "a real key pair, which signs and verifies");
    let hints = ["ROCA", "CVE-2017-15361"];
    let public = PKey::public_key_from_der(&key.public_key_to_der().unwrap()).unwrap();
    assert_refused_everywhere(&public, &public_jwk_of(&private_jwk(&key)), &hints, "ROCA public key");
    refused_key(KrKeyFormat::Pem, &key.private_key_to_pem_pkcs8().unwrap(), &hints, "ROCA private key (PKCS#8 PEM)");
    refused_key(KrKeyFormat::Pem, &key.rsa().unwrap().private_key_to_pem().unwrap(), &hints, "ROCA private key (PKCS#1 PEM)");
    refused_key(KrKeyFormat::Der, &key.private_key_to_der().unwrap(), &hints, "ROCA private key (DER)");
    refused_key(KrKeyFormat::Jwk, private_jwk(&key).to_string().as_bytes(), &hints, "ROCA private key (JWK)");
    refused_key(KrKeyFormat::Der, &common::self_signed_certificate(&key).to_der().unwrap(), &hints, "ROCA self-signed certificate");
    // Keys made by OpenSSL do not carry the fingerprint.
    for _ in 0..3 {
        let ordinary = common::rsa_2048();
        assert!(try_key(KrKeyFormat::Der, &ordinary.private_key_to_der().unwrap()).is_ok(), "an ordinary key");
    }
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

fn hex32(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
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

/// The Edwards25519 points of small order as public-key encodings: the identity (y = 1), y = -1
/// (order 2), y = 0 (order 4), the points of order 8, y = (u - 1) / (u + 1) for the order-8 u
/// above, and non-canonical y = p + 1; each with the sign bit of x clear and set.
fn small_order_ed25519() -> Vec<(String, Vec<u8>)> {
    let p = field_prime();
    let mut ctx = BigNumContext::new().unwrap();
    let one = BigNum::from_u32(1).unwrap();
    let mut ys = vec![("identity".to_string(), one.to_owned().unwrap()), ("y = -1".into(), &p - &one), ("y = 0".into(), BigNum::new().unwrap())];
    for (what, u) in small_order_u().into_iter().filter(|(w, _)| w.starts_with("order 8")) {
        let mut big_endian = u.clone();
        big_endian.reverse();
        let u = BigNum::from_slice(&big_endian).unwrap();
        let (mut numerator, mut denominator, mut inverse, mut y) = (BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap());
        numerator.mod_sub(&u, &one, &p, &mut ctx).unwrap();
        denominator.mod_add(&u, &one, &p, &mut ctx).unwrap();
        inverse.mod_inverse(&denominator, &p, &mut ctx).unwrap();
        y.mod_mul(&numerator, &inverse, &p, &mut ctx).unwrap();
        ys.push((format!("{what}, y = (u - 1) / (u + 1)"), y));
    }
    ys.push(("identity, non-canonical y = p + 1".into(), &p + &one));
    let mut encodings = Vec::new();
    for (what, y) in ys {
        let clear = little_endian(&y);
        let mut set = clear.clone();
        set[31] |= 0x80;
        encodings.push((what.clone(), clear));
        encodings.push((format!("{what}, sign bit set"), set));
    }
    encodings
}

#[test]
fn small_order_ed25519_and_x25519_public_keys_are_refused() {
    // The order-8 y of Edwards25519 is a published constant (libsodium's blocklist): the mapping
    // from the RFC 7748 u above agrees with it.
    let published = BigNum::from_dec_str("2707385501144840649318225287225658788936804267575313519463743609750303402022").unwrap();
    let derived: Vec<Vec<u8>> = small_order_ed25519().into_iter().filter(|(w, _)| w.starts_with("order 8") && !w.contains("sign")).map(|(_, y)| y).collect();
    let negated = &field_prime() - &published;
    assert!(derived.contains(&little_endian(&published)) && derived.contains(&little_endian(&negated)), "the order-8 points");

    for (what, raw) in small_order_ed25519() {
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": b64::encode(&raw)});
        let public = PKey::public_key_from_raw_bytes(&raw, openssl::pkey::Id::ED25519).unwrap();
        let hints = ["Ed25519 public key", "small order", "forged signatures"];
        refused_key(KrKeyFormat::Jwk, jwk.to_string().as_bytes(), &hints, &format!("Ed25519 {what}: JWK"));
        refused_key(KrKeyFormat::Pem, &public.public_key_to_pem().unwrap(), &hints, &format!("Ed25519 {what}: PEM"));
        refused_key(KrKeyFormat::Der, &public.public_key_to_der().unwrap(), &hints, &format!("Ed25519 {what}: DER"));
        assert!(key_set_validator(json!({"keys": [jwk]})).is_err(), "Ed25519 {what}: JWK Set");
    }
    for (what, raw) in small_order_u() {
        let jwk = json!({"kty": "OKP", "crv": "X25519", "x": b64::encode(&raw)});
        let public = PKey::public_key_from_raw_bytes(&raw, openssl::pkey::Id::X25519).unwrap();
        let hints = ["X25519 public key", "small order"];
        refused_key(KrKeyFormat::Jwk, jwk.to_string().as_bytes(), &hints, &format!("X25519 {what}: JWK"));
        refused_key(KrKeyFormat::Pem, &public.public_key_to_pem().unwrap(), &hints, &format!("X25519 {what}: PEM"));
        refused_key(KrKeyFormat::Der, &public.public_key_to_der().unwrap(), &hints, &format!("X25519 {what}: DER"));
    }
    // Real keys pass, public and private.
    for key in [common::ed25519(), PKey::generate_x25519().unwrap()] {
        assert!(try_key(KrKeyFormat::Pem, &key.public_key_to_pem().unwrap()).is_ok());
        assert!(try_key(KrKeyFormat::Jwk, public_jwk_of(&private_jwk(&key)).to_string().as_bytes()).is_ok());
        assert!(try_key(KrKeyFormat::Jwk, private_jwk(&key).to_string().as_bytes()).is_ok());
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

/// `kr_jwe_encrypt` with a key and names: the token, or the status and message of the refusal.
fn jwe_encrypt(key: &CKey, alg: &str, enc: &str, payload: &[u8]) -> Result<String, (KrStatus, String)> {
    let (alg, enc, mut out) = (c(alg), c(enc), null_mut());
    match unsafe { kr_jwe_encrypt(key.ptr(), alg.as_ptr(), enc.as_ptr(), null(), payload.as_ptr(), payload.len(), &mut out) } {
        KrStatus::Ok => Ok(take(out)),
        status => Err((status, last_error())),
    }
}

fn with_members(jwk: &Value, members: Value) -> Vec<u8> {
    let mut jwk = jwk.clone();
    for (name, value) in members.as_object().unwrap() {
        jwk[name] = value.clone();
    }
    jwk.to_string().into_bytes()
}

#[test]
fn jwk_key_ops_are_honoured_like_use() {
    let ec = common::ec(Nid::X9_62_PRIME256V1);
    let private = private_jwk(&ec);
    let key_ops_hint = |op: &str| vec!["\"key_ops\"".to_string(), format!("does not allow {op}")];
    // Signing needs "sign"; a key whose key_ops lists only "verify" verifies and does not sign.
    let verify_only = CKey::new(KrKeyFormat::Jwk, &with_members(&private, json!({"key_ops": ["verify"]})));
    let (status, message) = jws_sign(&verify_only, b"x").expect_err("a verify-only key cannot sign");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &key_ops_hint("signing").iter().map(String::as_str).collect::<Vec<_>>(), "verify-only: sign");
    let mut b = null_mut();
    unsafe {
        assert_eq!(kr_builder_new(&mut b), KrStatus::Ok);
        assert_eq!(kr_builder_sign(b, verify_only.ptr(), null()), KrStatus::InvalidKey, "the builder refuses it too");
        kr_builder_free(b);
    }
    assert!(try_validator(&json!({}), &[&verify_only], &[]).is_ok(), "verify-only: verify");
    // Verification needs "verify": a key listed for signing only is not a verification key.
    let sign_only = CKey::new(KrKeyFormat::Jwk, &with_members(&private, json!({"key_ops": ["sign"]})));
    let token = jws_sign(&sign_only, b"x").expect("a sign-only key signs");
    let (status, message) = try_validator(&json!({}), &[&sign_only], &[]).err().expect("a sign-only key does not verify");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["\"key_ops\"", "does not allow verifying"], "sign-only: verify");
    let (mut payload, mut len, mut header) = (null_mut(), 0usize, null_mut());
    let status = unsafe { kr_jws_verify(sign_only.ptr(), null(), token.as_ptr().cast(), token.len(), &mut KrReason::Valid, &mut payload, &mut len, &mut header) };
    assert_eq!(status, KrStatus::InvalidKey, "kr_jws_verify honours key_ops: {}", last_error());
    // Encryption keys: wrapKey/unwrapKey (or encrypt/decrypt, their synonyms) for key wrapping,
    // deriveKey/deriveBits for ECDH-ES.
    let rsa_jwk = private_jwk(rsa());
    let unwrap_only = CKey::new(KrKeyFormat::Jwk, &with_members(&rsa_jwk, json!({"key_ops": ["unwrapKey"]})));
    let wrap_only = CKey::new(KrKeyFormat::Jwk, &with_members(&public_jwk_of(&rsa_jwk), json!({"key_ops": ["wrapKey"]})));
    let jwe = jwe_encrypt(&wrap_only, "RSA-OAEP", "A256GCM", b"payload").expect("wrapKey encrypts with RSA-OAEP");
    assert_eq!(jwe_decrypt(&unwrap_only, None, None, &jwe).unwrap(), b"payload", "unwrapKey decrypts");
    let (status, message) = jwe_encrypt(&unwrap_only, "RSA-OAEP", "A256GCM", b"payload").expect_err("unwrapKey does not encrypt");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["\"key_ops\" member (unwrapKey)", "encrypting with RSA-OAEP", "wrapKey or encrypt"], "unwrap-only: encrypt");
    let encrypt_only = CKey::new(KrKeyFormat::Jwk, &with_members(&rsa_jwk, json!({"key_ops": ["encrypt"]})));
    let (status, message) = jwe_decrypt(&encrypt_only, Some("RSA-OAEP"), None, &jwe).expect_err("encrypt does not decrypt");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["\"key_ops\"", "decrypting with RSA-OAEP"], "encrypt-only: decrypt");
    let x25519 = private_jwk(&PKey::generate_x25519().unwrap());
    let derive = CKey::new(KrKeyFormat::Jwk, &with_members(&x25519, json!({"key_ops": ["deriveBits"]})));
    let jwe = jwe_encrypt(&derive, "ECDH-ES", "A128GCM", b"agreed").expect("deriveBits serves ECDH-ES");
    assert_eq!(jwe_decrypt(&derive, None, None, &jwe).unwrap(), b"agreed");
    let secret = json!({"kty": "oct", "k": b64::encode(&[0x42; 32])});
    let dir_only = CKey::new(KrKeyFormat::Jwk, &with_members(&secret, json!({"key_ops": ["encrypt", "decrypt"]})));
    assert!(jwe_encrypt(&dir_only, "dir", "A256GCM", b"d").is_ok() && jwe_encrypt(&dir_only, "A256KW", "A256GCM", b"d").is_ok());
    let (status, _) = jws_sign(&dir_only, b"x").expect_err("an encryption key does not sign");
    assert_eq!(status, KrStatus::InvalidKey);
    // key_ops itself: distinct strings, consistent with use.
    for (members, hint) in [
        (json!({"key_ops": ["sign", "sign"]}), "twice"),
        (json!({"key_ops": "sign"}), "array"),
        (json!({"key_ops": [1]}), "strings"),
        (json!({"key_ops": []}), "unusable"),
        (json!({"key_ops": ["encrypt"], "use": "sig"}), "disagree"),
        (json!({"key_ops": ["sign", "encrypt"], "use": "enc"}), "disagree"),
    ] {
        refused_key(KrKeyFormat::Jwk, &with_members(&private, members.clone()), &["key_ops", hint], &format!("{members}"));
    }
}

#[test]
fn jwk_text_with_duplicate_members_is_refused() {
    let k = b64::encode(&[0x42; 32]);
    let twice = [
        format!(r#"{{"kty":"oct","k":"{k}","k":"AAAA"}}"#),
        format!(r#"{{"kty":"RSA","kty":"oct","k":"{k}"}}"#),
        format!(r#"{{"kty":"oct","k":"{k}","kid":"a","kid":"b"}}"#),
        format!(r#"{{"kty":"oct","k":"{k}","x":{{"y":1,"y":2}}}}"#),
    ];
    for text in &twice {
        let (status, message) = try_key(KrKeyFormat::Jwk, text.as_bytes()).err().unwrap_or_else(|| panic!("accepted: {text}"));
        assert_eq!(status, KrStatus::InvalidJson, "{text}");
        assert_helpful(&message, &["appears twice"], text);
        let mut thumbprint = null_mut();
        assert_eq!(unsafe { kr_jwk_compute_thumbprint(c(text).as_ptr(), &mut thumbprint) }, KrStatus::InvalidJson, "thumbprint of {text}");
        // In a JWK Set (read with the validation options), at any depth.
        let options = format!(r#"{{"jwks":{{"keys":[{text}]}}}}"#);
        let mut v = null_mut();
        let status = unsafe { kr_validator_new(c(&options).as_ptr(), null(), 0, null(), 0, &mut v) };
        assert_eq!(status, KrStatus::InvalidJson, "JWK Set with {text}: {}", last_error());
        assert_helpful(&last_error(), &["appears twice"], &format!("JWK Set with {text}"));
    }
    let options = format!(r#"{{"jwks":{{"keys":[{{"kty":"oct","k":"{k}"}}],"keys":[]}}}}"#);
    let mut v = null_mut();
    assert_eq!(unsafe { kr_validator_new(c(&options).as_ptr(), null(), 0, null(), 0, &mut v) }, KrStatus::InvalidJson, "\"keys\" twice");
}

#[test]
fn jwk_sets_with_duplicate_kids_or_secrets_beside_public_keys_are_refused() {
    let ec = public_jwk_of(&private_jwk(&common::ec(Nid::X9_62_PRIME256V1)));
    let ed = public_jwk_of(&private_jwk(&common::ed25519()));
    let secret = json!({"kty": "oct", "k": b64::encode(secret())});
    let with_kid = |jwk: &Value, kid: &str| {
        let mut jwk = jwk.clone();
        jwk["kid"] = kid.into();
        jwk
    };
    assert!(key_set_validator(json!({"keys": [with_kid(&ec, "a"), with_kid(&ed, "b")]})).is_ok(), "control");
    let (status, message) = key_set_validator(json!({"keys": [with_kid(&ec, "k1"), with_kid(&ed, "k1")]})).err().expect("duplicate kids");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["two verification keys with the kid 'k1'"], "duplicate kid");
    for keys in [json!([with_kid(&ec, "a"), with_kid(&secret, "b")]), json!([secret.clone(), ed.clone()])] {
        let (status, message) = key_set_validator(json!({"keys": keys})).err().expect("secrets beside public keys");
        assert_eq!(status, KrStatus::InvalidKey);
        assert_helpful(&message, &["mixes shared secrets (kty oct) with public keys"], "oct with public keys");
    }
    assert!(key_set_validator(json!({"keys": [with_kid(&secret, "s1"), with_kid(&json!({"kty": "oct", "k": b64::encode(&[7; 32])}), "s2")]})).is_ok(), "secrets only");
    // An encryption key beside signing keys is skipped, whatever its kid.
    let mut enc = with_kid(&public_jwk_of(&private_jwk(&PKey::generate_x25519().unwrap())), "a");
    enc["key_ops"] = json!(["deriveKey"]);
    assert!(key_set_validator(json!({"keys": [with_kid(&ec, "a"), enc]})).is_ok(), "an encryption key is not a verification key");
}

/// RFC 7520 §5.6: direct encryption with AES-GCM; the key's JWK names the content encryption as
/// its `alg`.
const COOKBOOK_5_6_KEY: &str = r#"{"kty":"oct","kid":"77c7e2b8-6e13-45cf-8672-617b5b45243a","use":"enc","alg":"A128GCM","k":"XctOhJAkA-pD9Lh7ZgW_2A"}"#;
const COOKBOOK_5_6_TOKEN: &str = "eyJhbGciOiJkaXIiLCJraWQiOiI3N2M3ZTJiOC02ZTEzLTQ1Y2YtODY3Mi02MTdiNWI0NTI0M2EiLCJlbmMiOiJBMTI4R0NNIn0..refa467QzzKx6QAB.JW_i_f52hww_ELQPGaYyeAB6HYGcR559l9TYnSovc23XJoBcW29rHP8yZOZG7YhLpT1bjFuvZPjQS-m0IFtVcXkZXdH_lr_FrdYt9HRUYkshtrMmIUAyGmUnd9zMDB2n0cRDIHAzFVeJUDxkUwVAE7_YGRPdcqMyiBoCO-FBdE-Nceb4h3-FtBP-c_BIwCPTjb9o0SbdcdREEMJMyZBH8ySWMVi1gPD9yxi-aQpGbSv_F9N4IZAxscj5g-NJsUPbjk29-s7LJAGb15wEBtXphVCgyy53CoIKLHHeJHXex45Uz9aKZSRSInZI-wjsY0yu3cT4_aQ3i1o-tiE-F8Ios61EKgyIQ4CWao8PFMj8TTnp.vbb32Xvllea2OtmHAdccRQ";

#[test]
fn dir_jwk_naming_its_content_encryption_works_for_that_encryption() {
    let key = CKey::new(KrKeyFormat::Jwk, COOKBOOK_5_6_KEY.as_bytes());
    let plaintext = jwe_decrypt(&key, None, None, COOKBOOK_5_6_TOKEN).expect("RFC 7520 §5.6 decrypts with its own JWK");
    assert!(String::from_utf8(plaintext).unwrap().starts_with("You can trust us to stick with you"));
    assert!(jwe_decrypt(&key, Some("dir"), Some("A128GCM"), COOKBOOK_5_6_TOKEN).is_ok(), "named as the JWK says");
    // The key encrypts with what it names, by default, and with nothing else.
    let jwe = jwe_encrypt(&key, "Auto", "Auto", b"round trip").unwrap();
    let header: Value = serde_json::from_slice(&b64::decode_strict(jwe.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!((header["alg"].as_str(), header["enc"].as_str()), (Some("dir"), Some("A128GCM")));
    assert_eq!(jwe_decrypt(&key, None, None, &jwe).unwrap(), b"round trip");
    let (status, message) = jwe_encrypt(&key, "dir", "A128CBC-HS256", b"x").expect_err("another encryption");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["restricted to direct encryption with A128GCM", "\"alg\""], "A128CBC-HS256 with an A128GCM key");
    let (status, _) = jwe_encrypt(&key, "A128KW", "A128GCM", b"x").expect_err("key wrapping");
    assert_eq!(status, KrStatus::InvalidKey);
    // A token with another encryption is refused as an algorithm the key does not accept.
    let other = with_header(COOKBOOK_5_6_TOKEN, |h| {
        h["enc"] = "A256GCM".into();
    });
    let (_, message) = jwe_decrypt(&key, None, None, &other).err().unwrap();
    assert!(message.ends_with("(AlgorithmNotAllowed)") && message.contains("dir with A128GCM"), "{message}");
    // As a validator's decryption key.
    let (_, hs_key) = hs_setup();
    assert!(try_validator(&json!({}), &[&hs_key], &[&key]).is_ok());
    // And a signing algorithm named beside "use":"enc" is still refused.
    let confused = COOKBOOK_5_6_KEY.replace("A128GCM", "HS256");
    refused_key(KrKeyFormat::Jwk, confused.as_bytes(), &["for encryption", "signing algorithm 'HS256'"], "use enc with HS256");
}

// ---------------------------------------------------------------------------------------------
// Messages that tell the truth (issue 13, item 5).

#[test]
fn text_that_is_not_a_jwe_is_malformed_never_missing_a_decryption_key() {
    let (v, hs_key) = hs_setup();
    let secret = [0x31u8; 32];
    let decrypting = validator(&[&hs_key], &[&CKey::new(KrKeyFormat::Secret, &secret)]);
    let token = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    let jws_header = token.split('.').next().unwrap();
    let cases = [
        ("five parts of nothing", "a.b.c.d.e".to_string()),
        ("two tokens in one header", format!("{token} {token}")),
        ("a JWS with two more parts", format!("{token}.x.y")),
        ("a JWS header on five parts", format!("{jws_header}.a.b.c.d")),
        ("five empty parts", "....".to_string()),
    ];
    for (what, forged) in &cases {
        for (validator, with) in [(&v, "no decryption key"), (&decrypting, "a decryption key")] {
            let verdict = refused(validator, forged, "Malformed", &[], &format!("{what} ({with})"));
            assert!(!verdict.message.contains("no decryption key"), "{what} ({with}): {}", verdict.message);
        }
        let mut info = null_mut();
        assert_eq!(unsafe { kr_token_inspect(forged.as_ptr().cast(), forged.len(), &mut info) }, KrStatus::InvalidToken, "{what}: inspection");
    }
    // A real JWE, and no key to open it: that, and only that, is what the message says.
    let jwe = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), token.as_bytes());
    refused(&v, &jwe, "DecryptionFailed", &["encrypted (JWE) and no decryption key was given"], "a JWE without a decryption key");
    accepted(&decrypting, &jwe, "control");
}

#[test]
fn every_decryption_key_is_tried_and_the_telling_reason_reported() {
    let (_, hs_key) = hs_setup();
    let secret = CKey::new(KrKeyFormat::Secret, &[0x44; 32]);
    let rsa_key = c_private(rsa());
    let (p256, p384) = (common::ec(Nid::X9_62_PRIME256V1), common::ec(Nid::SECP384R1));
    let v = validator(&[&hs_key], &[&secret, &rsa_key, &c_private(&p256), &c_private(&p384)]);
    // Each key opens its own tokens, whichever comes first.
    let to_rsa = nested(&core_key(rsa()), "RSA-OAEP", "A256GCM");
    accepted(&v, &to_rsa, "RSA-OAEP, second key");
    accepted(&v, &nested(&core_key(&p384), "ECDH-ES", "A256GCM"), "ECDH-ES P-384: the P-256 key applies first and cannot");
    // A tampered token for the RSA key: the secret does not accept RSA-OAEP, the RSA key does and
    // fails; its failure is the answer, not the secret's "algorithm not accepted".
    let tampered = with_part(&to_rsa, 4, |tag| tag[0] ^= 1);
    let verdict = refused(&v, &tampered, "DecryptionFailed", &[], "tampered RSA-OAEP token");
    assert_eq!(verdict.message, DECRYPTION_FAILED);
    let tampered_ecdh = with_part(&nested(&core_key(&p384), "ECDH-ES", "A256GCM"), 4, |tag| tag[0] ^= 1);
    assert_eq!(refused(&v, &tampered_ecdh, "DecryptionFailed", &[], "tampered P-384 token").message, DECRYPTION_FAILED);
    // No key accepts the algorithms: the message says what each key does accept.
    let short_secret = Arc::new(Key::from_secret(vec![0x45; 16]).unwrap());
    refused(
        &v,
        &nested(&short_secret, "dir", "A128GCM"),
        "AlgorithmNotAllowed",
        &["none of the 4 decryption keys accepts", "key 1: dir with A256GCM", "key 2: RSA-OAEP"],
        "an algorithm no key accepts",
    );
}

#[test]
fn hex_keys_take_hex_digits_only_and_messages_count_them() {
    let refused_hex = |text: &str, hints: &[&str], case: &str| {
        refused_key(KrKeyFormat::Hex, text.as_bytes(), hints, case);
        let message = try_key(KrKeyFormat::Hex, text.as_bytes()).err().unwrap().1;
        assert!(!message.contains(&text[text.len() - 8..]), "{case}: the digits are echoed: {message}");
    };
    // u8::from_str_radix accepts a sign, so "+f" once made a byte: 32 bytes of 0x0f.
    refused_hex(&"+f".repeat(32), &["not a hex digit", "position 1"], "'+f' * 32");
    refused_hex(&format!("0x{}", "a1".repeat(32)), &["0x prefix"], "0x prefix");
    refused_hex(&vec!["a1"; 32].join(":"), &["separators"], "colons");
    refused_hex(&vec!["a1"; 32].join(" "), &["separators"], "spaces");
    refused_hex(&format!("{}\u{e9}{}", "a1".repeat(31), "b2"), &["position 63"], "a non-ASCII character counts once");
    refused_hex(&"a1".repeat(31).chars().chain("b".chars()).collect::<String>(), &["has 63 digits"], "an odd count");
    assert!(try_key(KrKeyFormat::Hex, "A1b2".repeat(16).as_bytes()).is_ok(), "upper and lower case digits");
}

#[test]
fn the_short_hmac_secret_message_names_only_algorithms_that_exist() {
    let message = |len: usize, alg: &str| {
        let key = CKey::new(KrKeyFormat::Secret, &vec![0x5a; len]);
        let mut b = null_mut();
        unsafe {
            assert_eq!(kr_builder_new(&mut b), KrStatus::Ok);
            assert_eq!(kr_builder_sign(b, key.ptr(), c(alg).as_ptr()), KrStatus::InvalidKey, "{len} bytes for {alg}");
            kr_builder_free(b);
        }
        last_error()
    };
    // 20 bytes fit no HMAC: no weaker algorithm to suggest (HS256 is the weakest).
    let text = message(20, "HS256");
    assert_helpful(&text, &["20 bytes", "at least 32 bytes", "64 hex digits"], "20 bytes for HS256");
    assert!(!text.contains("weaker") && !text.contains("choose HS"), "{text}");
    assert_helpful(&message(40, "HS384"), &["choose HS256, which this secret is long enough for"], "40 bytes for HS384");
    assert_helpful(&message(50, "HS512"), &["choose HS384"], "50 bytes for HS512");
    assert!(!message(31, "HS512").contains("choose"), "31 bytes fit nothing");
}

// ---------------------------------------------------------------------------------------------
// Bounded work (issue 13, item 4).

#[test]
fn pbes2_iteration_cap_defaults_to_10000_and_validators_can_raise_it() {
    let password = b"correct horse battery staple";
    let key = CKey::new(KrKeyFormat::Passphrase, password);
    let (_, hs_key) = hs_setup();
    let alg = "PBES2-HS256+A128KW";
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    let core = Arc::new(Key::import(KeyFormat::Passphrase, password).unwrap());
    let token = Encrypter::new(core, Some(alg), Some("A128GCM")).unwrap().encrypt_compact(&jwt_header("k"), inner.as_bytes()).unwrap();
    let header: Value = serde_json::from_slice(&b64::decode_strict(token.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!(header["p2c"], 10_000, "KrJwt writes what a default verifier accepts");
    let v = validator_with(json!({"keyManagementAlgorithm": alg}), &[&hs_key], &[&key]);
    accepted(&v, &token, "control");
    let costly = with_header(&token, |h| {
        h["p2c"] = 100_000.into();
    });
    refused(&v, &costly, "Malformed", &["p2c", "1000 to 10000 ", "maxPbes2Count"], "100,000 iterations by default");
    // Raised: the count is accepted, the work done, and the altered header then fails its tag.
    let raised = validator_with(json!({"keyManagementAlgorithm": alg, "maxPbes2Count": 100_000}), &[&hs_key], &[&key]);
    refused(&raised, &costly, "DecryptionFailed", &[DECRYPTION_FAILED], "100,000 iterations with the cap raised");
    accepted(&raised, &token, "control with the cap raised");
    let description: Value = {
        let mut out = null_mut();
        assert_eq!(unsafe { kr_validator_describe(raised.0, &mut out) }, KrStatus::Ok);
        serde_json::from_str(&take(out)).unwrap()
    };
    assert_eq!(description["maxPbes2Count"], 100_000);
    for cap in [json!(999), json!(10_000_001), json!(-1), json!("many")] {
        let refused = try_validator(&json!({"keyManagementAlgorithm": alg, "maxPbes2Count": cap}), &[&hs_key], &[&key]);
        assert!(refused.is_err(), "cap {cap}");
    }
}

#[test]
fn jose_layer_entry_points_apply_the_validation_size_limits() {
    let key = c_secret();
    // A correctly signed JWS just above 64 KiB: the validator refuses it for its size, and so now
    // does kr_jws_verify, before any decoding.
    let big = jws_sign(&key, &vec![b'a'; 49_200]).unwrap();
    assert!(big.len() > 64 * 1024 && big.len() < 66 * 1024, "{}", big.len());
    let (v, _) = hs_setup();
    refused(&v, &big, "TooLarge", &["65536 bytes"], "a 65+ KiB JWS");
    let (mut payload, mut len, mut header) = (null_mut(), 0usize, null_mut());
    let status = unsafe { kr_jws_verify(key.ptr(), null(), big.as_ptr().cast(), big.len(), &mut KrReason::Valid, &mut payload, &mut len, &mut header) };
    assert_eq!(status, KrStatus::InvalidToken);
    assert_helpful(&last_error(), &["65536 bytes", "(TooLarge)"], "kr_jws_verify");
    let small = jws_sign(&key, &vec![b'a'; 48_000]).unwrap();
    let status = unsafe { kr_jws_verify(key.ptr(), null(), small.as_ptr().cast(), small.len(), &mut KrReason::Valid, &mut payload, &mut len, &mut header) };
    assert_eq!(status, KrStatus::Ok, "below the limit: {}", last_error());
    unsafe { kr_bytes_free(payload, len) };
    take(header);
    // Inspection: the limits of validation, 64 KiB for a JWS and 256 KiB for a JWE, on the whole input.
    let inspect = |token: &str| {
        let mut info = null_mut();
        let status = unsafe { kr_token_inspect(token.as_ptr().cast(), token.len(), &mut info) };
        if status == KrStatus::Ok {
            take(info);
        }
        status
    };
    assert_eq!(inspect(&big), KrStatus::InvalidToken, "a 65+ KiB JWS");
    let secret = [0x23u8; 32];
    let jwe = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM"}), &vec![0; 150_000]);
    assert_eq!(inspect(&jwe), KrStatus::Ok, "a 200 KiB JWE is within the JWE limit");
    let huge = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM"}), &vec![0; 200_000]);
    assert_eq!(inspect(&huge), KrStatus::InvalidToken, "a 266 KiB JWE");
    let padded = format!("{}{small}", " ".repeat(20_000));
    assert_eq!(inspect(&padded), KrStatus::InvalidToken, "whitespace counts: the limit is on the whole input");
    refused(&v, &padded, "TooLarge", &[], "validation counts the whole input too");
}

// ---------------------------------------------------------------------------------------------
// Policies (issue 13, item 7).

#[test]
fn iat_must_be_a_number_when_present() {
    let (v, _) = hs_setup();
    for iat in [json!("yesterday"), json!(true), json!([1]), json!({"t": 1})] {
        let token = forge_json(&jwt_header_json("HS256"), &claims_with(json!({"iat": iat.clone()})), &hs256());
        refused(&v, &token, "InvalidClaim", &["'iat'", "NumericDate"], &format!("iat {iat}"));
    }
    accepted(&v, &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"iat": null})), &hs256()), "no iat");
    accepted(&v, &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"iat": 1.5})), &hs256()), "a fractional iat");
}

#[test]
fn validation_can_require_encryption() {
    let (_, hs_key) = hs_setup();
    let secret = [0x52u8; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &secret);
    let v = validator_with(json!({"requireEncryption": true}), &[&hs_key], &[&decryption]);
    let jws = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    refused(&v, &jws, "AlgorithmNotAllowed", &["signed but not encrypted", "require encrypted tokens"], "a plain JWS");
    accepted(&v, &seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), jws.as_bytes()), "the same JWS, encrypted");
    refused(&v, "not a token", "Malformed", &[], "garbage stays Malformed");
    let (status, message) = try_validator(&json!({"requireEncryption": true}), &[&hs_key], &[]).err().expect("no decryption key");
    assert_eq!(status, KrStatus::InvalidArgument);
    assert_helpful(&message, &["needs a decryption key"], "requireEncryption without a decryption key");
    let mut out = null_mut();
    assert_eq!(unsafe { kr_validator_describe(v.0, &mut out) }, KrStatus::Ok);
    assert_eq!(serde_json::from_str::<Value>(&take(out)).unwrap()["requireEncryption"], true);
    // Without the option, both are accepted (the default).
    let lenient = validator(&[&hs_key], &[&decryption]);
    accepted(&lenient, &jws, "a plain JWS by default");
}

#[test]
fn high_s_ecdsa_signatures_are_accepted_as_jose_peers_accept_them() {
    // ECDSA signatures are malleable: (r, n - s) verifies wherever (r, s) does. JOSE (RFC 7518
    // §3.4) does not require low S, and jose, .NET and OpenSSL accept both: so does KrJwt. A
    // token's identity is its claims, not its signature bytes (docs/guide.md, "Policies").
    let key = common::ec(Nid::X9_62_PRIME256V1);
    let token = forge_json(&jwt_header_json("ES256"), &claims(), &pin(&core_key(&key), Algorithm::ES256));
    let v = validator(&[&c_public(&key)], &[]);
    accepted(&v, &token, "control");
    let mut order = BigNum::new().unwrap();
    EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap().order(&mut order, &mut BigNumContext::new().unwrap()).unwrap();
    let flipped = with_part(&token, 2, |signature| {
        let s = BigNum::from_slice(&signature[32..]).unwrap();
        let high = &order - &s;
        signature[32..].copy_from_slice(&high.to_vec_padded(32).unwrap());
    });
    assert_ne!(flipped, token);
    accepted(&v, &flipped, "the same signature with s replaced by n - s");
}

#[test]
fn audiences_are_compared_ignoring_trailing_slashes() {
    // As .NET does: "https://api.example/" and "https://api.example" name one audience.
    let key = c_secret();
    let v = validator_with(json!({"audiences": ["https://api.krjwt.test/"]}), &[&key], &[]);
    for aud in ["https://api.krjwt.test", "https://api.krjwt.test/", "https://api.krjwt.test//"] {
        accepted(&v, &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"aud": aud})), &hs256()), aud);
    }
    refused(&v, &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"aud": "https://api.krjwt.test/x"})), &hs256()), "InvalidAudience", &[], "another path");
}
