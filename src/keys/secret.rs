//! Shared secrets given as text: base64url, hexadecimal or a passphrase.

use crate::b64;
use crate::error::{Error, Result};
use zeroize::Zeroizing;

pub fn from_base64url(text: &str) -> Result<Vec<u8>> {
    if text.trim().is_empty() {
        return Err(Error::key("The Base64Url key is empty. Supply at least 32 random bytes, base64url-encoded."));
    }
    b64::decode_lenient(text, "The Base64Url key")
}

pub fn from_hex(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::key("The hexadecimal key is empty. Supply at least 64 hex digits (32 bytes)."));
    }
    if text.len() % 2 != 0 {
        return Err(Error::key(format!(
            "The hexadecimal key has {} digits; it needs an even number (two digits per byte).",
            text.len()
        )));
    }
    // Sized once and wiped if a bad digit stops the decoding half-way.
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for pair in text.as_bytes().chunks(2) {
        let byte = std::str::from_utf8(pair).ok().and_then(|d| u8::from_str_radix(d, 16).ok()).ok_or_else(|| {
            Error::key("The hexadecimal key contains a character that is not a hex digit (0-9, a-f, A-F).")
        })?;
        bytes.push(byte);
    }
    Ok(std::mem::take(&mut *bytes))
}

pub fn from_passphrase(utf8: &[u8]) -> Result<Vec<u8>> {
    if std::str::from_utf8(utf8).map(|s| s.trim().is_empty()).unwrap_or(false) {
        return Err(Error::key("The passphrase is empty. Use a passphrase of at least 32 characters."));
    }
    Ok(utf8.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_decodes_and_explains_errors() {
        assert_eq!(from_hex("0aFF").unwrap(), vec![0x0a, 0xff]);
        assert!(from_hex("abc").unwrap_err().message.contains("even number"));
        assert!(from_hex("zz").unwrap_err().message.contains("not a hex digit"));
        assert!(from_hex("  ").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn empty_inputs_are_refused() {
        assert!(from_base64url("   ").is_err());
        assert!(from_passphrase(b"   ").is_err());
    }
}
