//! Sign and verify+validate a typical token (iss, aud, sub, 3 claims) for every algorithm, each
//! next to the raw primitive on the same input in the same run, so the overhead of KrJwt shows as a
//! ratio: `cargo bench --bench tokens` (Debian crates: see build.ps1). The `vs jsonwebtoken/<alg>`
//! groups put the jsonwebtoken crate's encode and decode (with its Validation) beside KrJwt's and the
//! raw primitive's for HS256, RS256, ES256 and EdDSA.

mod support;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use krjwt::jws::PinnedKey;
use krjwt::{Algorithm, Key, KeyFormat, Reason, Validator};
use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rsa::{Padding, Rsa};
use std::sync::Arc;
use support::{raw_sign, raw_verify, typical};

/// The elliptic-curve keys; RSA has its own groups (bench_rsa).
fn pkeys() -> Vec<(Algorithm, PKey<Private>)> {
    let ec = |nid| PKey::from_ec_key(EcKey::generate(&EcGroup::from_curve_name(nid).unwrap()).unwrap()).unwrap();
    vec![
        (Algorithm::ES256, ec(Nid::X9_62_PRIME256V1)),
        (Algorithm::ES384, ec(Nid::SECP384R1)),
        (Algorithm::ES512, ec(Nid::SECP521R1)),
        (Algorithm::EdDSA, PKey::generate_ed25519().unwrap()),
    ]
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
    let mut cases = vec![(Algorithm::HS256, None), (Algorithm::RS256, Some(PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap()))];
    cases.extend(pkeys().into_iter().filter(|(alg, _)| matches!(alg, Algorithm::ES256 | Algorithm::EdDSA)).map(|(alg, pkey)| (alg, Some(pkey))));
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

/// RS256 and PS256 next to their floor, the RSA public operation on the token's signature
/// (`RSA_public_decrypt`, what `openssl speed rsa2048` times as a verify), and next to OpenSSL's EVP
/// one-shot verify (`EVP_DigestVerify`), whose per-call set-up OpenSSL 3.0 makes expensive. Then,
/// because criterion runs one function after another and a shared machine's load moves meanwhile,
/// the same operations interleaved in short batches timed in this thread's CPU time (so that time
/// spent descheduled by other processes does not count), printed as ratios to the floor.
fn bench_rsa(c: &mut Criterion) {
    let pkey = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let public = pkey.rsa().unwrap();
    let key = Arc::new(Key::import(KeyFormat::Der, &pkey.private_key_to_der().unwrap()).unwrap());
    let mut summary = Vec::new();
    for (alg, padding) in [(Algorithm::RS256, Padding::PKCS1), (Algorithm::PS256, Padding::NONE)] {
        let builder = typical(key.clone(), alg);
        let result = builder.build().unwrap();
        let token = result.token().to_string();
        let validator = Validator::for_result(&result, 60.0).unwrap();
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature = krjwt::b64::decode_strict(signature).unwrap();
        let pinned = PinnedKey::new(key.clone(), Some(alg)).unwrap();
        let mut recovered = vec![0; public.size() as usize];
        let mut floor = || assert!(public.public_decrypt(black_box(&signature), &mut recovered, padding).unwrap() > 0);
        let check = || assert_eq!(validator.check(black_box(&token)), Reason::Valid);
        let evp_verify = || assert!(raw_verify(alg, &pkey, black_box(input.as_bytes()), &signature));
        let sign = || pinned.sign(black_box(input.as_bytes())).unwrap();
        let evp_sign = || raw_sign(alg, &pkey, black_box(input.as_bytes()));

        let mut group = c.benchmark_group(alg.name());
        group.sample_size(30);
        group.bench_function("krjwt build (sign)", |b| b.iter(|| builder.build().unwrap()));
        group.bench_function("krjwt PinnedKey::sign", |b| b.iter(sign));
        group.bench_function("raw OpenSSL sign (EVP_DigestSign)", |b| b.iter(evp_sign));
        group.bench_function("krjwt verify+validate", |b| b.iter(check));
        group.bench_function("raw OpenSSL verify (EVP_DigestVerify)", |b| b.iter(evp_verify));
        group.bench_function("RSA public operation (RSA_public_decrypt): the floor", |b| b.iter(&mut floor));
        group.finish();

        let signature_only = || assert!(pinned.verify(black_box(input.as_bytes()), &signature));
        let verify = interleaved(&mut [&mut floor, &mut { check }, &mut { evp_verify }, &mut { signature_only }], 100);
        let signing = interleaved(&mut [&mut { || drop(evp_sign()) }, &mut { || drop(sign()) }], 10);
        summary.push(format!(
            "{alg}: verify+validate {:.2}x, EVP_DigestVerify {:.2}x, krjwt signature check alone {:.2}x the RSA public operation ({:.1} us); sign {:.2}x EVP_DigestSign",
            verify[1], verify[2], verify[3], verify[0], signing[1]
        ));
    }
    println!("\nRatios, operations interleaved in batches (median of {ROUNDS} rounds):");
    for line in summary {
        println!("  {line}");
    }
}

const ROUNDS: usize = 201;

/// Runs `batch` calls of each operation in turn, `ROUNDS` times, and returns the first operation's
/// median microseconds per call followed by every other operation's median ratio to it.
fn interleaved(ops: &mut [&mut dyn FnMut()], batch: u32) -> Vec<f64> {
    let mut rounds: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); ops.len()];
    for _ in 0..ROUNDS {
        let mut times = Vec::with_capacity(ops.len());
        for op in ops.iter_mut() {
            let start = thread_cpu_seconds();
            for _ in 0..batch {
                op();
            }
            times.push((thread_cpu_seconds() - start) * 1e6 / f64::from(batch));
        }
        rounds[0].push(times[0]);
        for (i, t) in times.iter().enumerate().skip(1) {
            rounds[i].push(t / times[0]);
        }
    }
    rounds
        .into_iter()
        .map(|mut v| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        })
        .collect()
}

/// CPU time this thread has used, in seconds.
fn thread_cpu_seconds() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec it is given.
    assert_eq!(unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) }, 0);
    now.tv_sec as f64 + now.tv_nsec as f64 * 1e-9
}

criterion_group!(benches, bench_hmac, bench_asymmetric, bench_rsa, bench_jsonwebtoken);
criterion_main!(benches);
