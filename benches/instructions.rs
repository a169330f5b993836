//! Instruction counts of one operation, steady under machine load: run under
//! `valgrind --tool=callgrind` as `instructions <op> <iterations>` once with N and once with 0
//! iterations; the difference divided by N is the cost per call. `build.ps1 -Bench` does this.

use krjwt::{Algorithm, Builder, Key, KeyFormat, Reason, Validator};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Verifier;
use std::sync::Arc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (op, n): (&str, usize) = (&args[1], args[2].parse().unwrap());
    let rsa = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let rsa_key = Arc::new(Key::import(KeyFormat::Der, &rsa.private_key_to_der().unwrap()).unwrap());
    let hs_key = Arc::new(Key::from_secret(vec![7; 32]).unwrap());
    let key = if op.starts_with("hs") { hs_key } else { rsa_key };
    let mut b = Builder::new();
    b.set_issuer("https://issuer.example").unwrap();
    b.add_audience("api://clients").unwrap();
    b.set_subject("user-42").unwrap();
    b.add_user_claim("Name", "Ada Lovelace").unwrap();
    b.add_user_claim("Role", "admin").unwrap();
    b.sign_with(key, if op.starts_with("hs") { Some(Algorithm::HS256) } else { Some(Algorithm::RS256) }).unwrap();
    let result = b.build().unwrap();
    let validator = Validator::for_result(&result, 60.0).unwrap();
    let token = result.token().to_string();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = krjwt::b64::decode_strict(sig).unwrap();
    let public = PKey::public_key_from_der(&rsa.public_key_to_der().unwrap()).unwrap();
    for _ in 0..n {
        match op {
            "hs-build" | "rs-build" => drop(b.build().unwrap()),
            "hs-check" | "rs-check" => assert_eq!(validator.check(&token), Reason::Valid),
            "rs-raw-verify" => {
                let mut v = Verifier::new(MessageDigest::sha256(), &public).unwrap();
                assert!(v.verify_oneshot(&sig, input.as_bytes()).unwrap());
            }
            other => panic!("unknown op {other}"),
        }
    }
}
