//! Instruction counts per call, steady however loaded the machine is: run under callgrind as
//! `instructions <alg> <op> <iterations>`, once with N and once with 0 iterations; the difference
//! divided by N is the cost of one call. `benches/instructions.sh` does this for every case and
//! prints KrJwt's cost next to the raw OpenSSL (or HMAC) primitive's.
//!
//! Keys are fixed (RFC 7520 and RFC 8037 vectors) so that runs are comparable.

mod support;

use krjwt::ffi::{kr_key_import, kr_validator_check, kr_validator_new, KrKeyFormat, KrReason, KrStatus};
use krjwt::jws::PinnedKey;
use krjwt::{Algorithm, Key, KeyFormat, Reason, Validator};
use openssl::pkey::{PKey, Private};
use std::ffi::CString;
use std::sync::Arc;
use support::{raw_sign, raw_verify, typical};

fn vector_jwk(name: &str) -> String {
    let path = format!("{}/tests/vectors/jose-cookbook/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixed key of `alg` as JWK text, without the members that would pin it.
fn jwk_for(alg: Algorithm) -> String {
    let jwk = match alg {
        Algorithm::HS256 => r#"{"kty":"oct","k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"}"#.to_string(),
        Algorithm::RS256 | Algorithm::PS256 => vector_jwk("jwk/3_4.rsa_private_key.json"),
        Algorithm::ES512 => vector_jwk("jwk/3_2.ec_private_key.json"),
        Algorithm::EdDSA => {
            r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
                .to_string()
        }
        other => panic!("no fixed key for {other}"),
    };
    let mut value: serde_json::Value = serde_json::from_str(&jwk).unwrap();
    // The cookbook keys are published for signing one algorithm; pin nothing here.
    for member in ["alg", "use", "kid"] {
        value.as_object_mut().unwrap().remove(member);
    }
    value.to_string()
}

/// The same key as an OpenSSL private key, for the raw primitive.
fn openssl_key(key: &Key) -> PKey<Private> {
    match key.material() {
        krjwt::keys::Material::Asymmetric(a) => a.private_key().unwrap().clone(),
        krjwt::keys::Material::Secret(s) => PKey::hmac(s).unwrap(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let alg = Algorithm::parse_requested(Some(&args[1])).unwrap().unwrap();
    let (op, n): (&str, usize) = (&args[2], args[3].parse().unwrap());
    let jwk = jwk_for(alg);
    let key = Arc::new(Key::import(KeyFormat::Jwk, jwk.as_bytes()).unwrap());
    let b = typical(key.clone(), alg);
    let result = b.build().unwrap();
    let validator = Validator::for_result(&result, 60.0).unwrap();
    let token = result.token().to_string();
    let c_token = CString::new(token.clone()).unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = krjwt::b64::decode_strict(sig).unwrap();
    let pkey = openssl_key(&key);
    let rsa_public = pkey.rsa().ok();
    let mut recovered = vec![0; pkey.size()];
    let pinned = PinnedKey::new(key, Some(alg)).unwrap();
    // The same validation through the C ABI, as a host would set it up.
    let (mut c_key, mut c_validator) = (std::ptr::null_mut(), std::ptr::null_mut());
    let options = CString::new(
        serde_json::json!({"issuers": ["https://issuer.example"], "audiences": ["api://clients"], "algorithms": [alg.name()]}).to_string(),
    )
    .unwrap();
    unsafe {
        assert_eq!(kr_key_import(KrKeyFormat::Jwk as i32, jwk.as_ptr(), jwk.len(), &mut c_key), KrStatus::Ok);
        let keys = [c_key as *const _];
        assert_eq!(kr_validator_new(options.as_ptr(), keys.as_ptr(), 1, std::ptr::null(), 0, &mut c_validator), KrStatus::Ok);
    }
    for _ in 0..n {
        match op {
            "build" => drop(b.build().unwrap()),
            "check" => assert_eq!(validator.check(&token), Reason::Valid),
            "ffi-check" => {
                let mut reason = KrReason::Malformed;
                assert_eq!(unsafe { kr_validator_check(c_validator, c_token.as_ptr(), c_token.as_bytes().len(), &mut reason) }, KrStatus::Ok);
                assert_eq!(reason, KrReason::Valid);
            }
            "sign" => drop(pinned.sign(input.as_bytes()).unwrap()),
            "raw-sign" => drop(raw_sign(alg, &pkey, input.as_bytes())),
            // The RSA public operation alone on the token's signature (RSA_public_decrypt, what
            // `openssl speed rsa2048` times as a verify): the floor of RS*/PS* verification.
            "rsa-public" => {
                let padding = if alg == Algorithm::PS256 { openssl::rsa::Padding::NONE } else { openssl::rsa::Padding::PKCS1 };
                assert!(rsa_public.as_ref().unwrap().public_decrypt(&sig, &mut recovered, padding).unwrap() > 0);
            }
            "raw-verify" => {
                let der;
                let signature = if alg == Algorithm::ES512 {
                    // JWS carries raw r||s; the primitive takes DER.
                    let (r, s) = sig.split_at(sig.len() / 2);
                    let (r, s) = (openssl::bn::BigNum::from_slice(r).unwrap(), openssl::bn::BigNum::from_slice(s).unwrap());
                    der = openssl::ecdsa::EcdsaSig::from_private_components(r, s).unwrap().to_der().unwrap();
                    &der
                } else {
                    &sig
                };
                assert!(raw_verify(alg, &pkey, input.as_bytes(), signature));
            }
            other => panic!("unknown op {other}"),
        }
    }
}
