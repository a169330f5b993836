//! PBES2 key derivation (RFC 7518 §4.8): PBKDF2-HMAC-SHA2 over the password, salted with the
//! algorithm name and `p2s`, giving the AES key-wrap key.

use super::algorithms::{AesSize, KeyManagement};
use super::header;
use crate::error::Result;
use openssl::hash::MessageDigest;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

/// Iterations written by KrJwt (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).
pub(super) const DEFAULT_ITERATIONS: u32 = 600_000;
/// Accepted when decrypting: fewer is too weak to trust, more lets one token burn seconds of CPU.
pub(super) const ITERATION_RANGE: std::ops::RangeInclusive<u64> = 1_000..=1_000_000;
pub(super) const SALT_LEN: usize = 16;
const MIN_SALT_LEN: usize = 8;

/// The `p2s` salt input and `p2c` count of a token, checked before any key derivation.
pub(super) fn read_params(header: &Map<String, Value>) -> std::result::Result<(Vec<u8>, u32), String> {
    let salt = header::required_b64_member(header, "p2s", "the PBES2 salt")?;
    if salt.len() < MIN_SALT_LEN {
        return Err(format!("The PBES2 salt (p2s) is {} bytes; at least {MIN_SALT_LEN} are required.", salt.len()));
    }
    let count = match header.get("p2c") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| "The PBES2 iteration count (p2c) must be a positive integer.".to_string())?,
        Some(_) => return Err("The PBES2 iteration count (p2c) must be a positive integer.".into()),
        None => return Err("The token has no PBES2 iteration count (p2c), which its algorithm requires.".into()),
    };
    if !ITERATION_RANGE.contains(&count) {
        return Err(format!(
            "The PBES2 iteration count (p2c) is {count}; KrJwt accepts {} to {} iterations, which bounds the work one token can demand.",
            ITERATION_RANGE.start(),
            ITERATION_RANGE.end()
        ));
    }
    Ok((salt, count as u32))
}

/// The key-encryption key for `alg` (a PBES2 algorithm of wrap size `size`).
pub(super) fn derive_kek(alg: KeyManagement, size: AesSize, password: &[u8], p2s: &[u8], count: u32) -> Result<Zeroizing<Vec<u8>>> {
    let mut salt = Vec::with_capacity(alg.name().len() + 1 + p2s.len());
    salt.extend_from_slice(alg.name().as_bytes());
    salt.push(0);
    salt.extend_from_slice(p2s);
    let digest = match size {
        AesSize::A128 => MessageDigest::sha256(),
        AesSize::A192 => MessageDigest::sha384(),
        AesSize::A256 => MessageDigest::sha512(),
    };
    let mut kek = Zeroizing::new(vec![0; size.key_len()]);
    openssl::pkcs5::pbkdf2_hmac(password, &salt, count as usize, digest, &mut kek)?;
    Ok(kek)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn header(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn iteration_counts_outside_the_range_are_refused_with_the_range() {
        for p2c in [json!(999), json!(1_000_001), json!(u64::MAX), json!(-5), json!(2.5), json!("8192")] {
            let e = read_params(&header(json!({"p2s": "8Q1SzinasR3xchYz6ZZcHA", "p2c": p2c}))).unwrap_err();
            assert!(e.contains("p2c"), "{e}");
        }
        let e = read_params(&header(json!({"p2s": "8Q1SzinasR3xchYz6ZZcHA", "p2c": 5_000_000}))).unwrap_err();
        assert!(e.contains("1000 to 1000000"), "{e}");
        assert_eq!(read_params(&header(json!({"p2s": "8Q1SzinasR3xchYz6ZZcHA", "p2c": 8192}))).unwrap().1, 8192);
    }

    #[test]
    fn short_or_missing_salts_are_refused() {
        assert!(read_params(&header(json!({"p2s": "AAAA", "p2c": 8192}))).unwrap_err().contains("at least 8"));
        assert!(read_params(&header(json!({"p2c": 8192}))).unwrap_err().contains("p2s"));
    }
}
