//! Timing check of RSA1_5 decryption (a measurement, not a test): does the time KrJwt takes to
//! refuse a forged RSA1_5 token depend on whether the forged encrypted key has conformant
//! PKCS#1 v1.5 padding? A Bleichenbacher attacker needs exactly that one bit.
//!
//! Run with `scripts/check-rsa1_5-timing.sh [samples per class, default 100000]`. Classes of forged
//! tokens, all to one 2048-bit key, all refused with the same reason and message, sampled in random
//! interleaved order:
//!   good-a, good-b  conformant padding around a 32-byte key that is not the token's (two
//!                   independent sets: their comparison is the control, the noise floor);
//!   bad             a random number below the modulus: non-conformant padding;
//!   short           conformant padding around a 16-byte key (the wrong length for A128CBC-HS256).
//! Times are the thread's CPU time (clock_gettime CLOCK_THREAD_CPUTIME_ID), so that other processes
//! on a busy machine add less noise. Each pair is compared with Welch's t on the samples below several
//! pooled percentiles (as dudect does, so that preemptions do not dominate) and by the difference of
//! medians. As a positive control, the same ciphertexts go through OpenSSL's own PKCS#1 v1.5
//! decryption, which the library used before: the check must see a difference there, or it could not
//! see one anywhere.

use krjwt::jwe::{Decrypter, Encrypter};
use krjwt::{b64, Key, KeyFormat};
use openssl::pkey::{PKey, Private};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};
use serde_json::Map;
use std::hint::black_box;
use std::sync::Arc;

/// This thread's CPU time in ns: unlike wall time, it leaves out the time another process ran,
/// which on a shared machine is most of the noise.
fn cpu_time() -> f64 {
    let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `now` is a valid timespec for the call to fill.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    now.tv_sec as f64 * 1e9 + now.tv_nsec as f64
}

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
                block[1] |= 0x80;
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

/// The pooled percentiles the samples are cropped at before Welch's t (dudect crops at several:
/// the fastest samples carry the least noise, the slower ones the rarer effects).
const CROPS: [f64; 4] = [0.10, 0.25, 0.50, 0.90];

/// Welch's t for each crop (the largest |t| decides) and the difference of medians (ns).
fn compare(a: &[f64], b: &[f64]) -> (Vec<f64>, f64) {
    let mut pooled: Vec<f64> = a.iter().chain(b).copied().collect();
    pooled.sort_by(f64::total_cmp);
    let ts = CROPS
        .iter()
        .map(|fraction| {
            let crop = pooled[((pooled.len() as f64) * fraction) as usize];
            let (x, y) = (summarize(a, crop), summarize(b, crop));
            (x.cropped_mean - y.cropped_mean) / (x.cropped_variance / x.cropped_count + y.cropped_variance / y.cropped_count).sqrt()
        })
        .collect();
    (ts, summarize(a, f64::INFINITY).median - summarize(b, f64::INFINITY).median)
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
        let (ts, median_diff) = compare(&samples[a], &samples[b]);
        let label = format!("{} vs {}", CLASSES[a], CLASSES[b]);
        let shown: Vec<String> = ts.iter().map(|t| format!("{:>6.2}", t.abs())).collect();
        println!("  {label:<17} |t| at crops 10/25/50/90% {}   median difference {:>+7.0} ns", shown.join(" "), median_diff);
        results.push((label, ts.iter().fold(0.0, |m: f64, t| m.max(t.abs()))));
    }
    results
}

fn main() {
    // `cargo bench` passes --bench; the first number given is the sample count per class.
    let rounds = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
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
    println!(
        "RSA1_5 timing check: {rounds} samples per class, 2048-bit key, {enc}, {} CPU(s)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let krjwt = sample(rounds, |class, variant| {
        let start = cpu_time();
        black_box(decrypter.decrypt_compact(&forged[class][variant]).is_err());
        cpu_time() - start
    });
    let krjwt_results = report("KrJwt (Decrypter::decrypt_compact, whole token):", &krjwt);
    let openssl = sample(rounds, |class, variant| {
        let start = cpu_time();
        black_box(openssl_pkcs1(&private, &classes[class][variant]));
        cpu_time() - start
    });
    let control_results = report("Positive control (OpenSSL PKCS#1 v1.5 decryption, as before):", &openssl);
    // dudect's threshold: beyond |t| = 4.5 a difference is taken as real (with 16 comparisons, noise
    // alone reaches it about once in ten thousand runs).
    const THRESHOLD: f64 = 4.5;
    let leaks: Vec<&(String, f64)> = krjwt_results.iter().filter(|(_, t)| *t > THRESHOLD).collect();
    let control_sees = control_results.iter().any(|(label, t)| label.contains("bad") && *t > THRESHOLD);
    println!(
        "\nKrJwt: {}",
        if leaks.is_empty() { format!("no class distinguishable (every |t| <= {THRESHOLD})") } else { format!("DISTINGUISHABLE: {leaks:?}") }
    );
    println!(
        "Control: {}",
        if control_sees {
            format!("the check detects OpenSSL's padding timing (|t| > {THRESHOLD})")
        } else {
            "the check did not detect the control's difference: too few samples or too much noise".to_string()
        }
    );
    if !leaks.is_empty() || !control_sees {
        std::process::exit(1);
    }
}
