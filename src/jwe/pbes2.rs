//! PBES2 key derivation (RFC 7518 §4.8): PBKDF2-HMAC-SHA2 over the password, salted with the
//! algorithm name and `p2s`, giving the AES key-wrap key.

use super::header;
use crate::algorithms::jwe::{AesSize, KeyManagement};
use crate::error::{Error, Result};
use openssl::hash::MessageDigest;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

/// The most iterations a token may demand unless a validator raises it (jose's default): at
/// 1,000,000 one forged token costs most of a second of CPU before it can be found out.
pub const DEFAULT_MAX_COUNT: u32 = 10_000;
/// Iterations written by KrJwt: the most a default verifier (KrJwt's, jose's) accepts. PBES2 is
/// only as strong as the password; a high-entropy secret belongs with A256KW instead.
pub(super) const DEFAULT_ITERATIONS: u32 = DEFAULT_MAX_COUNT;
/// Fewer iterations than this are too weak to trust (RFC 7518 §4.8.1.2).
const MIN_COUNT: u32 = 1_000;
/// A validator may raise its cap this far and no further.
const MAX_COUNT_LIMIT: u32 = 10_000_000;

/// A validator's cap on `p2c`, checked.
pub(super) fn checked_max_count(count: u32) -> Result<u32> {
    if (MIN_COUNT..=MAX_COUNT_LIMIT).contains(&count) {
        Ok(count)
    } else {
        Err(Error::argument(format!(
            "The PBES2 iteration cap of {count} is out of range: use {MIN_COUNT} to {MAX_COUNT_LIMIT} (default {DEFAULT_MAX_COUNT})."
        )))
    }
}
pub(super) const SALT_LEN: usize = 16;
const MIN_SALT_LEN: usize = 8;

/// The `p2s` salt input and `p2c` count of a token, checked before any key derivation against the
/// decrypter's cap `max_count`.
pub(super) fn read_params(header: &Map<String, Value>, max_count: u32) -> std::result::Result<(Vec<u8>, u32), String> {
    let salt = header::required_b64_member(header, "p2s", "the PBES2 salt")?;
    if salt.len() < MIN_SALT_LEN {
        return Err(format!("The PBES2 salt (p2s) is {} bytes; at least {MIN_SALT_LEN} are required.", salt.len()));
    }
    let count = match header.get("p2c") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| "The PBES2 iteration count (p2c) must be a positive integer.".to_string())?,
        Some(_) => return Err("The PBES2 iteration count (p2c) must be a positive integer.".into()),
        None => return Err("The token has no PBES2 iteration count (p2c), which its algorithm requires.".into()),
    };
    if !(u64::from(MIN_COUNT)..=u64::from(max_count)).contains(&count) {
        return Err(format!(
            "The PBES2 iteration count (p2c) is {count}; KrJwt accepts {MIN_COUNT} to {max_count} iterations, which bounds the work \
             one token can demand (validation parameters can raise the cap with maxPbes2Count)."
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
        let read = |p2c: Value, max| read_params(&header(json!({"p2s": "8Q1SzinasR3xchYz6ZZcHA", "p2c": p2c})), max);
        for p2c in [json!(999), json!(10_001), json!(u64::MAX), json!(-5), json!(2.5), json!("8192")] {
            let e = read(p2c, DEFAULT_MAX_COUNT).unwrap_err();
            assert!(e.contains("p2c"), "{e}");
        }
        let e = read(json!(5_000_000), DEFAULT_MAX_COUNT).unwrap_err();
        assert!(e.contains("1000 to 10000 ") && e.contains("maxPbes2Count"), "{e}");
        assert_eq!(read(json!(8192), DEFAULT_MAX_COUNT).unwrap().1, 8192);
        assert_eq!(read(json!(600_000), 600_000).unwrap().1, 600_000, "a raised cap");
        assert!(checked_max_count(999).is_err() && checked_max_count(10_000_001).is_err() && checked_max_count(600_000).is_ok());
    }

    #[test]
    fn short_or_missing_salts_are_refused() {
        assert!(read_params(&header(json!({"p2s": "AAAA", "p2c": 8192})), DEFAULT_MAX_COUNT).unwrap_err().contains("at least 8"));
        assert!(read_params(&header(json!({"p2c": 8192})), DEFAULT_MAX_COUNT).unwrap_err().contains("p2s"));
    }
}
