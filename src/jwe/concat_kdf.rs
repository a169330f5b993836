//! The Concat KDF of NIST SP 800-56A as JOSE profiles it for ECDH-ES (RFC 7518 §4.6.2), over
//! SHA-256.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Derives `key_len` bytes from the shared secret `z`. `algorithm_id` is the `enc` name for
/// direct agreement or the `alg` name when the result wraps the CEK; `apu`/`apv` are the decoded
/// party information (empty when absent).
pub(super) fn derive(z: &[u8], algorithm_id: &str, apu: &[u8], apv: &[u8], key_len: usize) -> Zeroizing<Vec<u8>> {
    let mut other_info = Vec::with_capacity(algorithm_id.len() + apu.len() + apv.len() + 16);
    for field in [algorithm_id.as_bytes(), apu, apv] {
        other_info.extend_from_slice(&length_prefix(field.len()));
        other_info.extend_from_slice(field);
    }
    // SuppPubInfo: the key length in bits; SuppPrivInfo is empty.
    other_info.extend_from_slice(&length_prefix(key_len * 8));

    let mut key = Zeroizing::new(Vec::with_capacity(key_len + 32));
    for counter in 1..=((key_len + 31) / 32) as u32 {
        let round = Sha256::new().chain_update(counter.to_be_bytes()).chain_update(z).chain_update(&other_info).finalize();
        key.extend_from_slice(&round);
    }
    key.truncate(key_len);
    key
}

fn length_prefix(len: usize) -> [u8; 4] {
    // Header values are bounded by the token size limit, far below 4 GiB.
    (len as u32).to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7518_appendix_c_derived_key() {
        let z = [
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140,
            254, 144, 196,
        ];
        let key = derive(&z, "A128GCM", b"Alice", b"Bob", 16);
        assert_eq!(crate::b64::encode(&key), "VqqN6vgjbSBcIijNcacQGg");
    }

    #[test]
    fn longer_keys_take_several_rounds() {
        let long = derive(&[1; 32], "A256CBC-HS512", b"", b"", 64);
        assert_eq!(long.len(), 64);
        assert_ne!(long[..32], long[32..], "each round hashes a new counter");
    }
}
