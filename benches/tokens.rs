//! Sign and verify+validate a typical token (iss, aud, sub, 3 claims) for every algorithm, each
//! next to the raw primitive on the same input in the same run, so the overhead of KrJwt shows as a
//! ratio: `cargo bench --bench tokens` (Debian crates: see build.ps1). The `vs jsonwebtoken/<alg>`
//! groups put the jsonwebtoken crate's encode and decode (with its Validation) beside KrJwt's and the
//! raw primitive's for HS256, RS256, ES256 and EdDSA.

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

/// jsonwebtoken's verification of the typical token: signature, exp, iss and aud, into a typed struct
/// (what its users write; unknown claims are skipped).
#[derive(serde::Deserialize)]
struct PeerClaims {
    #[allow(dead_code)]
    sub: String,
}

fn bench_jsonwebtoken(c: &mut Criterion) {
    let mut cases = vec![(Algorithm::HS256, None)];
    cases.extend(pkeys().into_iter().filter(|(alg, _)| matches!(alg, Algorithm::RS256 | Algorithm::ES256 | Algorithm::EdDSA)).map(|(alg, pkey)| (alg, Some(pkey))));
    for (alg, pkey) in cases {
        let secret = [7u8; 32];
        let key = match &pkey {
            None => Arc::new(Key::from_secret(secret.to_vec()).unwrap()),
            Some(pkey) => Arc::new(Key::import(KeyFormat::Der, &pkey.private_key_to_der().unwrap()).unwrap()),
        };
        let builder = typical(key, alg);
        let result = builder.build().unwrap();
        let token = result.token().to_string();
        let validator = Validator::for_result(&result, 60.0).unwrap();
        let (input, _) = token.rsplit_once('.').unwrap();

        // The same header and claims, signed and checked by jsonwebtoken with the same key.
        let peer_alg: jsonwebtoken::Algorithm = alg.name().parse().unwrap();
        let (encoding, decoding) = match &pkey {
            None => (jsonwebtoken::EncodingKey::from_secret(&secret), jsonwebtoken::DecodingKey::from_secret(&secret)),
            Some(pkey) => {
                let public = pkey.public_key_to_pem().unwrap();
                match alg {
                    Algorithm::RS256 => (
                        jsonwebtoken::EncodingKey::from_rsa_pem(&pkey.rsa().unwrap().private_key_to_pem().unwrap()).unwrap(),
                        jsonwebtoken::DecodingKey::from_rsa_pem(&public).unwrap(),
                    ),
                    Algorithm::ES256 => (
                        jsonwebtoken::EncodingKey::from_ec_pem(&pkey.private_key_to_pem_pkcs8().unwrap()).unwrap(),
                        jsonwebtoken::DecodingKey::from_ec_pem(&public).unwrap(),
                    ),
                    _ => (
                        jsonwebtoken::EncodingKey::from_ed_pem(&pkey.private_key_to_pem_pkcs8().unwrap()).unwrap(),
                        jsonwebtoken::DecodingKey::from_ed_pem(&public).unwrap(),
                    ),
                }
            }
        };
        let claims: serde_json::Value = serde_json::from_slice(&krjwt::b64::decode_strict(input.split('.').nth(1).unwrap()).unwrap()).unwrap();
        let header = jsonwebtoken::Header::new(peer_alg);
        let peer_token = jsonwebtoken::encode(&header, &claims, &encoding).unwrap();
        let mut validation = jsonwebtoken::Validation::new(peer_alg);
        validation.set_issuer(&["https://issuer.example"]);
        validation.set_audience(&["api://clients"]);
        jsonwebtoken::decode::<PeerClaims>(&peer_token, &decoding, &validation).unwrap();

        let raw_signature = pkey.as_ref().map(|pkey| raw_sign(alg, pkey, input.as_bytes()));
        let raw_hmac = || {
            let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&secret).unwrap();
            mac.update(black_box(input.as_bytes()));
            mac.finalize()
        };
        let mut group = c.benchmark_group(format!("vs jsonwebtoken/{}", alg.name()));
        if pkey.is_some() {
            group.sample_size(30);
        }
        group.bench_function("krjwt build (sign)", |b| b.iter(|| builder.build().unwrap()));
        group.bench_function("jsonwebtoken encode (sign)", |b| b.iter(|| jsonwebtoken::encode(&header, black_box(&claims), &encoding).unwrap()));
        group.bench_function("krjwt verify+validate", |b| b.iter(|| assert_eq!(validator.check(black_box(&token)), Reason::Valid)));
        group.bench_function("jsonwebtoken decode (verify+validate)", |b| {
            b.iter(|| jsonwebtoken::decode::<PeerClaims>(black_box(&peer_token), &decoding, &validation).unwrap())
        });
        match (&pkey, &raw_signature) {
            (Some(pkey), Some(signature)) => {
                group.bench_function("raw OpenSSL sign", |b| b.iter(|| raw_sign(alg, pkey, black_box(input.as_bytes()))));
                group.bench_function("raw OpenSSL verify", |b| b.iter(|| assert!(raw_verify(alg, pkey, black_box(input.as_bytes()), signature))));
            }
            _ => {
                group.bench_function("raw HMAC-SHA256 of the signing input", |b| b.iter(raw_hmac));
            }
        }
        group.finish();
    }
}

criterion_group!(benches, bench_hmac, bench_asymmetric, bench_jsonwebtoken);
criterion_main!(benches);
