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

/// What people put between hex digits when they copy a key from a tool's output.
const SEPARATORS: [char; 6] = [':', '-', ' ', ',', '_', '.'];

/// Hexadecimal text: hex digits only, two per byte. Messages count characters and name a `0x`
/// prefix or separators, never the digits themselves (they are the secret).
pub fn from_hex(text: &str) -> Result<Vec<u8>> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::key("The hexadecimal key is empty. Supply at least 64 hex digits (32 bytes)."));
    }
    if text.starts_with("0x") || text.starts_with("0X") {
        return Err(Error::key("The hexadecimal key starts with a 0x prefix; give the hex digits alone, without 0x."));
    }
    if let Some(position) = text.chars().position(|c| !c.is_ascii_hexdigit()) {
        let separator = |c: char| SEPARATORS.contains(&c);
        let separated = text.chars().any(separator) && text.chars().all(|c| c.is_ascii_hexdigit() || separator(c));
        return Err(Error::key(if separated {
            "The hexadecimal key contains separators (such as ':', '-' or spaces) between its digits; give the hex digits alone, without separators."
                .to_string()
        } else {
            format!("The hexadecimal key has a character that is not a hex digit (0-9, a-f, A-F) at position {}.", position + 1)
        }));
    }
    // Every character is an ASCII hex digit now: the byte length counts digits.
    if text.len() % 2 != 0 {
        return Err(Error::key(format!("The hexadecimal key has {} digits; it needs an even number (two digits per byte).", text.len())));
    }
    // Sized once and wiped if the decoding stops half-way.
    let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() / 2));
    for pair in text.as_bytes().chunks(2) {
        bytes.push(hex_digit(pair[0]) << 4 | hex_digit(pair[1]));
    }
    Ok(std::mem::take(&mut *bytes))
}

/// The value of an ASCII hex digit (checked by the caller).
fn hex_digit(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
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
        assert!(from_hex("zz").unwrap_err().message.contains("not a hex digit (0-9, a-f, A-F) at position 1"));
        assert!(from_hex("  ").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn hex_takes_hex_digits_only_and_names_what_else_it_found() {
        // u8::from_str_radix accepts a sign: "+f" once decoded as 0x0f.
        let signs = "+f".repeat(32);
        assert!(from_hex(&signs).unwrap_err().message.contains("not a hex digit"), "a sign is not a digit");
        let prefixed = format!("0x{}", "ab".repeat(32));
        assert!(from_hex(&prefixed).unwrap_err().message.contains("0x prefix"));
        let colons = vec!["ab"; 32].join(":");
        assert!(from_hex(&colons).unwrap_err().message.contains("separators"));
        // Characters, not bytes: "é" is two bytes of UTF-8 but one character.
        let e = from_hex(&format!("{}é", "a".repeat(62))).unwrap_err().message;
        assert!(e.contains("at position 63"), "{e}");
        assert!(from_hex(&"a".repeat(63)).unwrap_err().message.contains("has 63 digits"));
        for message in [from_hex(&colons).unwrap_err().message, from_hex(&signs).unwrap_err().message] {
            assert!(!message.contains("ab") && !message.contains("+f"), "no digits of the key in {message}");
        }
    }

    #[test]
    fn empty_inputs_are_refused() {
        assert!(from_base64url("   ").is_err());
        assert!(from_passphrase(b"   ").is_err());
    }
}
