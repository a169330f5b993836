//! Sign and verify+validate a typical token (iss, aud, sub, 3 claims) for every algorithm, each
//! next to the raw primitive on the same input in the same run, so the overhead of KrJwt shows as a
//! ratio: `cargo bench --bench tokens` (Debian crates: see build.ps1).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use krjwt::jws::PinnedKey;
use krjwt::{Algorithm, Builder, Key, KeyFormat, Reason, Validator};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::{Signer, Verifier};
use serde_json::json;
use std::sync::Arc;

fn typical(key: Arc<Key>, alg: Algorithm) -> Builder {
    let mut b = Builder::new();
    b.set_issuer("https://issuer.example").unwrap();
    b.add_audience("api://clients").unwrap();
    b.set_subject("user-42").unwrap();
    b.add_user_claim("Name", "Ada Lovelace").unwrap();
    b.add_user_claim("Role", "admin").unwrap();
    b.add_claim("scope", json!("read:all write:own")).unwrap();
    b.sign_with(key, Some(alg)).unwrap();
    b
}

fn pkeys() -> Vec<(Algorithm, PKey<Private>)> {
    let rsa = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let ec = |nid| PKey::from_ec_key(EcKey::generate(&EcGroup::from_curve_name(nid).unwrap()).unwrap()).unwrap();
    vec![
        (Algorithm::RS256, rsa.clone()),
        (Algorithm::PS256, rsa),
        (Algorithm::ES256, ec(Nid::X9_62_PRIME256V1)),
        (Algorithm::ES384, ec(Nid::SECP384R1)),
        (Algorithm::ES512, ec(Nid::SECP521R1)),
        (Algorithm::EdDSA, PKey::generate_ed25519().unwrap()),
    ]
}

/// The primitive alone over the same signing input: what OpenSSL costs without KrJwt.
fn raw_sign(alg: Algorithm, key: &PKey<Private>, input: &[u8]) -> Vec<u8> {
    let mut signer = match alg {
        Algorithm::EdDSA => Signer::new_without_digest(key).unwrap(),
        Algorithm::ES384 => Signer::new(MessageDigest::sha384(), key).unwrap(),
        Algorithm::ES512 => Signer::new(MessageDigest::sha512(), key).unwrap(),
        _ => Signer::new(MessageDigest::sha256(), key).unwrap(),
    };
    if alg == Algorithm::PS256 {
        signer.set_rsa_padding(openssl::rsa::Padding::PKCS1_PSS).unwrap();
    }
    signer.sign_oneshot_to_vec(input).unwrap()
}

fn raw_verify(alg: Algorithm, key: &PKey<Private>, input: &[u8], sig: &[u8]) -> bool {
    let mut verifier = match alg {
        Algorithm::EdDSA => Verifier::new_without_digest(key).unwrap(),
        Algorithm::ES384 => Verifier::new(MessageDigest::sha384(), key).unwrap(),
        Algorithm::ES512 => Verifier::new(MessageDigest::sha512(), key).unwrap(),
        _ => Verifier::new(MessageDigest::sha256(), key).unwrap(),
    };
    if alg == Algorithm::PS256 {
        verifier.set_rsa_padding(openssl::rsa::Padding::PKCS1_PSS).unwrap();
    }
    verifier.verify_oneshot(sig, input).unwrap()
}

fn bench_hmac(c: &mut Criterion) {
    for (alg, len) in [(Algorithm::HS256, 32), (Algorithm::HS384, 48), (Algorithm::HS512, 64)] {
        let key = Arc::new(Key::from_secret(vec![7; len]).unwrap());
        let builder = typical(key.clone(), alg);
        let result = builder.build().unwrap();
        let token = result.token().to_string();
        let validator = Validator::for_result(&result, 60.0).unwrap();
        let (input, _) = token.rsplit_once('.').unwrap();
        let mut group = c.benchmark_group(alg.name());
        group.bench_function("krjwt build (sign)", |b| b.iter(|| builder.build().unwrap()));
        group.bench_function("krjwt verify+validate", |b| b.iter(|| assert_eq!(validator.check(black_box(&token)), Reason::Valid)));
        group.bench_function("raw HMAC-SHA256 of the signing input", |b| {
            b.iter(|| {
                let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&[7; 32]).unwrap();
                mac.update(black_box(input.as_bytes()));
                mac.finalize()
            })
        });
        group.finish();
    }
}

fn bench_asymmetric(c: &mut Criterion) {
    for (alg, pkey) in pkeys() {
        let key = Arc::new(Key::import(KeyFormat::Der, &pkey.private_key_to_der().unwrap()).unwrap());
        let builder = typical(key.clone(), alg);
        let result = builder.build().unwrap();
        let token = result.token().to_string();
        let validator = Validator::for_result(&result, 60.0).unwrap();
        let (input, _) = token.rsplit_once('.').unwrap();
        let raw_sig = raw_sign(alg, &pkey, input.as_bytes());
        let pinned = PinnedKey::new(key, Some(alg)).unwrap();
        let mut group = c.benchmark_group(alg.name());
        group.sample_size(30);
        group.bench_function("krjwt build (sign)", |b| b.iter(|| builder.build().unwrap()));
        group.bench_function("raw OpenSSL sign", |b| b.iter(|| raw_sign(alg, &pkey, black_box(input.as_bytes()))));
        group.bench_function("krjwt verify+validate", |b| b.iter(|| assert_eq!(validator.check(black_box(&token)), Reason::Valid)));
        group.bench_function("raw OpenSSL verify", |b| b.iter(|| assert!(raw_verify(alg, &pkey, black_box(input.as_bytes()), &raw_sig))));
        group.bench_function("krjwt PinnedKey::sign", |b| b.iter(|| pinned.sign(black_box(input.as_bytes())).unwrap()));
        group.finish();
    }
}

criterion_group!(benches, bench_hmac, bench_asymmetric);
criterion_main!(benches);
