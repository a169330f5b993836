//! One error type for the whole core: a kind (which the C ABI maps to a status code) and a message
//! written for the person who has to fix the problem.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A parameter value is wrong (unknown algorithm, negative lifetime, ...).
    InvalidArgument,
    /// Key material is unusable: malformed, too short, wrong type, public-only for signing.
    InvalidKey,
    /// A token cannot be parsed at all.
    InvalidToken,
    /// A JSON argument is not valid JSON or has the wrong shape.
    InvalidJson,
    /// The object is not ready for the operation (for example building without a key).
    InvalidState,
    /// The cryptographic backend failed.
    Crypto,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }
    pub fn argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }
    pub fn key(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidKey, message)
    }
    pub fn token(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidToken, message)
    }
    pub fn json(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidJson, message)
    }
    pub fn state(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidState, message)
    }
    pub fn crypto(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Crypto, message)
    }
}

/// A value taken from a token, quoted for a message: control characters escaped (no forged log
/// lines) and long values cut, since messages end up in logs and HTTP headers.
pub fn quoted(value: &str) -> String {
    quoted_at_most(value, 64)
}

/// [`quoted`] with room for `max_chars` characters (URLs a person must copy whole).
pub fn quoted_at_most(value: &str, max_chars: usize) -> String {
    let mut text: String = value.chars().take(max_chars).flat_map(char::escape_debug).collect();
    if value.chars().count() > max_chars {
        text.push_str("...");
    }
    format!("'{text}'")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<openssl::error::ErrorStack> for Error {
    fn from(e: openssl::error::ErrorStack) -> Self {
        Error::crypto(format!("OpenSSL failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quoting_neutralises_control_characters_and_length() {
        assert_eq!(quoted("HS256"), "'HS256'");
        assert_eq!(quoted("a\r\nX-Injected: 1\u{1b}"), "'a\\r\\nX-Injected: 1\\u{1b}'");
        assert!(quoted(&"k".repeat(5000)).len() < 80);
    }
}
