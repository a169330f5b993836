//! Base64url as JOSE uses it: tokens are decoded strictly (no padding, canonical trailing bits),
//! key text supplied by people leniently (padding and the standard alphabet accepted).

use crate::error::{Error, Result};
use zeroize::Zeroizing;

pub fn encode(bytes: &[u8]) -> String {
    base64::encode_config(bytes, base64::URL_SAFE_NO_PAD)
}

pub fn encode_into(bytes: &[u8], out: &mut String) {
    base64::encode_config_buf(bytes, base64::URL_SAFE_NO_PAD, out);
}

/// Strict decoding for token segments: only the URL-safe alphabet, no padding, no stray bits.
pub fn decode_strict(text: &str) -> Option<Vec<u8>> {
    if text.bytes().any(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_')) {
        return None;
    }
    base64::decode_config(text, base64::URL_SAFE_NO_PAD).ok()
}

/// Lenient decoding for key material typed or pasted by people: URL-safe or standard alphabet,
/// padding optional, surrounding whitespace ignored.
pub fn decode_lenient(text: &str, what: &str) -> Result<Vec<u8>> {
    let trimmed = text.trim().trim_end_matches('=');
    // Sized once and wiped on drop: this copy is the secret in another alphabet.
    let mut normalized = Zeroizing::new(String::with_capacity(trimmed.len()));
    normalized.extend(trimmed.chars().map(|c| match c {
        '+' => '-',
        '/' => '_',
        other => other,
    }));
    decode_strict(&normalized).ok_or_else(|| {
        Error::key(format!(
            "{what} is not valid base64url: use only A-Z, a-z, 0-9, '-' and '_' (or '+' and '/'), \
             with a length that is not 1 more than a multiple of 4"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_rejects_padding_and_noncanonical_bits() {
        assert_eq!(decode_strict("QQ").unwrap(), b"A");
        assert!(decode_strict("QQ==").is_none());
        assert!(decode_strict("QR").is_none(), "trailing bits must be zero");
        assert!(decode_strict("Q").is_none());
        assert!(decode_strict("a+b/").is_none());
    }

    #[test]
    fn lenient_accepts_standard_alphabet_and_padding() {
        assert_eq!(decode_lenient(" +/8= ", "key").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(decode_lenient("-_8", "key").unwrap(), vec![0xfb, 0xff]);
        assert!(decode_lenient("A", "key").is_err());
    }
}
