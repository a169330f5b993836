//! AES Key Wrap (RFC 3394) of a content encryption key, through OpenSSL.

use crate::error::{Error, Result};
use openssl::aes::{self, AesKey};
use zeroize::Zeroizing;

/// Wraps `cek` (a multiple of 8 bytes, as every JWE CEK is) with `kek` (16, 24 or 32 bytes).
pub(super) fn wrap(kek: &[u8], cek: &[u8]) -> Result<Vec<u8>> {
    let key = AesKey::new_encrypt(kek).map_err(|_| Error::key("The AES key-encryption key must be 16, 24 or 32 bytes."))?;
    let mut wrapped = vec![0; cek.len() + 8];
    aes::wrap_key(&key, None, &mut wrapped, cek).map_err(|_| Error::crypto("AES key wrap failed."))?;
    Ok(wrapped)
}

/// Unwraps a `cek_len`-byte key; `None` when the lengths are wrong or the integrity check fails.
pub(super) fn unwrap(kek: &[u8], wrapped: &[u8], cek_len: usize) -> Option<Zeroizing<Vec<u8>>> {
    // openssl::aes asserts (panics) on lengths that are not whole 8-byte blocks: check first.
    if cek_len % 8 != 0 || wrapped.len() != cek_len + 8 {
        return None;
    }
    let key = AesKey::new_decrypt(kek).ok()?;
    let mut cek = Zeroizing::new(vec![0; cek_len]);
    aes::unwrap_key(&key, None, &mut cek, wrapped).ok()?;
    Some(cek)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwe::hex;

    /// RFC 3394 §4.1: 128 bits of key data with a 128-bit KEK.
    #[test]
    fn rfc3394_4_1() {
        let kek = hex("000102030405060708090A0B0C0D0E0F");
        let data = hex("00112233445566778899AABBCCDDEEFF");
        let wrapped = wrap(&kek, &data).unwrap();
        assert_eq!(wrapped, hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"));
        assert_eq!(*unwrap(&kek, &wrapped, 16).unwrap(), data);
        let mut altered = wrapped.clone();
        altered[3] ^= 1;
        assert!(unwrap(&kek, &altered, 16).is_none());
        assert!(unwrap(&kek, &wrapped[..20], 16).is_none(), "lengths are checked, not asserted");
        assert!(unwrap(&kek, &wrapped, 24).is_none());
    }
}
