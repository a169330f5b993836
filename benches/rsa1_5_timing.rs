//! Timing check of RSA1_5 decryption (a measurement, not a test): does the time KrJwt takes to
//! refuse a forged RSA1_5 token depend on whether the forged encrypted key has conformant
//! PKCS#1 v1.5 padding? A Bleichenbacher attacker needs exactly that one bit.
//!
//! Run with `scripts/check-rsa1_5-timing.sh [samples]`. Classes of forged tokens, all to one 2048-bit
//! key, all refused with the same reason and message, sampled in random interleaved order:
//!   good-a, good-b  conformant padding around a 32-byte key that is not the token's (two
//!                   independent sets: their comparison is the control, the noise floor);
//!   bad             a random number below the modulus: non-conformant padding;
//!   short           conformant padding around a 16-byte key (the wrong length for A128CBC-HS256).
//! Each pair is compared with Welch's t on the samples below the pooled 90th percentile (as dudect
//! does, so that preemptions do not dominate) and by the difference of medians. As a positive control,
//! the same ciphertexts go through OpenSSL's own PKCS#1 v1.5 decryption, which the library used
//! before: the check must see a difference there, or it could not see one anywhere.

use krjwt::jwe::{Decrypter, Encrypter};
use krjwt::{b64, Key, KeyFormat};
use openssl::pkey::{PKey, Private};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};
use serde_json::Map;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

const VARIANTS: usize = 64;
const CLASSES: [&str; 4] = ["good-a", "good-b", "bad", "short"];

fn random(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    openssl::rand::rand_bytes(&mut bytes).unwrap();
    bytes
}

/// `VARIANTS` encrypted keys of one class.
fn encrypted_keys(class: &str, rsa: &Rsa<Private>) -> Vec<Vec<u8>> {
    let size = rsa.size() as usize;
    let encrypt = |block: &[u8], padding| {
        let mut out = vec![0; size];
        let len = rsa.public_encrypt(block, &mut out, padding).unwrap();
        out.truncate(len);
        out
    };
    (0..VARIANTS)
        .map(|_| match class {
            "good-a" | "good-b" => encrypt(&random(32), Padding::PKCS1),
            "short" => encrypt(&random(16), Padding::PKCS1),
            _ => {
                // A random block below the modulus (top byte zero) is almost never 00 02 ... 00 M.
                let mut block = random(size);
                block[0] = 0;
                block[1] = 0x80 | block[1];
                encrypt(&block, Padding::NONE)
            }
        })
        .collect()
}

/// OpenSSL's PKCS#1 v1.5 decryption, as KrJwt used it before: the positive control.
fn openssl_pkcs1(private: &PKey<Private>, encrypted: &[u8]) -> usize {
    let mut ctx = PkeyCtx::new(private).unwrap();
    ctx.decrypt_init().unwrap();
    ctx.set_rsa_padding(Padding::PKCS1).unwrap();
    let mut out = Vec::new();
    ctx.decrypt_to_vec(encrypted, &mut out).map(|_| out.len()).unwrap_or(0)
}

struct Summary {
    median: f64,
    cropped_mean: f64,
    cropped_variance: f64,
    cropped_count: f64,
}

fn summarize(samples: &[f64], crop: f64) -> Summary {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let kept: Vec<f64> = sorted.iter().copied().filter(|s| *s <= crop).collect();
    let n = kept.len() as f64;
    let mean = kept.iter().sum::<f64>() / n;
    let variance = kept.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1.0);
    Summary { median: sorted[sorted.len() / 2], cropped_mean: mean, cropped_variance: variance, cropped_count: n }
}

/// Welch's t and the difference of medians (ns) between two classes.
fn compare(a: &[f64], b: &[f64]) -> (f64, f64) {
    let mut pooled: Vec<f64> = a.iter().chain(b).copied().collect();
    pooled.sort_by(f64::total_cmp);
    let crop = pooled[pooled.len() * 9 / 10];
    let (x, y) = (summarize(a, crop), summarize(b, crop));
    let t = (x.cropped_mean - y.cropped_mean) / (x.cropped_variance / x.cropped_count + y.cropped_variance / y.cropped_count).sqrt();
    (t, x.median - y.median)
}

/// Interleaved samples (ns) of `measure` for each class, in a random order per round.
fn sample(rounds: usize, mut measure: impl FnMut(usize, usize) -> f64) -> Vec<Vec<f64>> {
    let mut samples = vec![Vec::with_capacity(rounds); CLASSES.len()];
    let mut order: Vec<usize> = (0..CLASSES.len()).collect();
    for round in 0..rounds {
        // Fisher-Yates with OpenSSL's generator: no class always runs first or last.
        for i in (1..order.len()).rev() {
            let j = random(1)[0] as usize % (i + 1);
            order.swap(i, j);
        }
        for &class in &order {
            samples[class].push(measure(class, round % VARIANTS));
        }
    }
    samples
}

fn report(title: &str, samples: &[Vec<f64>]) -> Vec<(String, f64)> {
    println!("\n{title}");
    for (class, s) in CLASSES.iter().zip(samples) {
        let summary = summarize(s, f64::INFINITY);
        println!("  {class:<7} median {:>9.0} ns   mean {:>9.0} ns", summary.median, summary.cropped_mean);
    }
    let mut results = Vec::new();
    for (a, b) in [(0, 1), (0, 2), (1, 2), (0, 3)] {
        let (t, median_diff) = compare(&samples[a], &samples[b]);
        let label = format!("{} vs {}", CLASSES[a], CLASSES[b]);
        println!("  {label:<17} |t| {:>7.2}   median difference {:>+8.0} ns", t.abs(), median_diff);
        results.push((label, t.abs()));
    }
    results
}

fn main() {
    // `cargo bench` passes --bench; the first number given is the sample count per class.
    let rounds = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(20_000);
    let private = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let rsa = private.rsa().unwrap();
    let key = Arc::new(Key::import(KeyFormat::Der, &private.private_key_to_der().unwrap()).unwrap());
    let (alg, enc) = ("RSA1_5", "A128CBC-HS256");
    let token = Encrypter::new(key.clone(), Some(alg), Some(enc)).unwrap().encrypt_compact(&Map::new(), b"payload").unwrap();
    let decrypter = Decrypter::new(key, Some(alg), Some(enc)).unwrap();
    assert!(decrypter.decrypt_compact(&token).is_ok(), "control: the token decrypts");
    let classes: Vec<Vec<Vec<u8>>> = CLASSES.iter().map(|c| encrypted_keys(c, &rsa)).collect();
    let parts: Vec<&str> = token.split('.').collect();
    let forged: Vec<Vec<String>> = classes
        .iter()
        .map(|keys| keys.iter().map(|ek| format!("{}.{}.{}.{}.{}", parts[0], b64::encode(ek), parts[2], parts[3], parts[4])).collect())
        .collect();
    let first = decrypter.decrypt_compact(&forged[0][0]).unwrap_err();
    for tokens in &forged {
        for t in tokens {
            let refusal = decrypter.decrypt_compact(t).unwrap_err();
            assert_eq!((refusal.reason, &refusal.message), (first.reason, &first.message), "one answer for every forgery");
        }
    }
    // Warm-up, then the two measurements.
    for t in forged.iter().flatten().take(256) {
        black_box(decrypter.decrypt_compact(t).is_err());
    }
    println!("RSA1_5 timing check: {rounds} samples per class, 2048-bit key, {enc}, {} CPU(s)", std::thread::available_parallelism().map_or(1, |n| n.get()));
    let krjwt = sample(rounds, |class, variant| {
        let start = Instant::now();
        black_box(decrypter.decrypt_compact(&forged[class][variant]).is_err());
        start.elapsed().as_nanos() as f64
    });
    let krjwt_results = report("KrJwt (Decrypter::decrypt_compact, whole token):", &krjwt);
    let openssl = sample(rounds, |class, variant| {
        let start = Instant::now();
        black_box(openssl_pkcs1(&private, &classes[class][variant]));
        start.elapsed().as_nanos() as f64
    });
    let control_results = report("Positive control (OpenSSL PKCS#1 v1.5 decryption, as before):", &openssl);
    // dudect's threshold: |t| above 10 is a leak beyond doubt; below 4.5, none was found.
    const LEAK: f64 = 10.0;
    let leaks: Vec<&(String, f64)> = krjwt_results.iter().filter(|(_, t)| *t > LEAK).collect();
    let control_sees = control_results.iter().any(|(label, t)| label.contains("bad") && *t > LEAK);
    println!("\nKrJwt: {}", if leaks.is_empty() { "no class distinguishable (|t| <= 10)".to_string() } else { format!("DISTINGUISHABLE: {leaks:?}") });
    println!("Control: {}", if control_sees { "the check detects OpenSSL's padding timing (|t| > 10)" } else { "the check did not detect the control's difference: too few samples or too much noise" });
    if !leaks.is_empty() || !control_sees {
        std::process::exit(1);
    }
}
