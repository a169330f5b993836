//! JWE algorithm names (RFC 7518 §4 and §5): what each one is, how people may spell it, and the
//! key sizes it implies.

use crate::error::{Error, Result};
use std::fmt;

/// The AES key size of a key wrap or of a content encryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AesSize {
    A128,
    A192,
    A256,
}

impl AesSize {
    pub fn key_len(self) -> usize {
        match self {
            AesSize::A128 => 16,
            AesSize::A192 => 24,
            AesSize::A256 => 32,
        }
    }
}

/// The hash RSA-OAEP uses for both OAEP and MGF1 (plain `RSA-OAEP` means SHA-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OaepHash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

/// The `alg` of a JWE: how the content encryption key (CEK) reaches the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyManagement {
    /// The shared secret is the CEK.
    Direct,
    /// AES Key Wrap (RFC 3394) with the shared secret.
    AesKw(AesSize),
    /// AES-GCM encryption of the CEK with the shared secret (`iv` and `tag` header members).
    AesGcmKw(AesSize),
    RsaOaep(OaepHash),
    Rsa1_5,
    /// Ephemeral-static ECDH; `Some` wraps the CEK with the agreed key, `None` uses it as the CEK.
    EcdhEs(Option<AesSize>),
    /// Password-based wrap; the HMAC size follows the wrap size (HS256+A128KW, ...).
    Pbes2(AesSize),
}

pub const KEY_MANAGEMENT: [KeyManagement; 19] = {
    use AesSize::*;
    use KeyManagement::*;
    [
        Direct,
        AesKw(A128),
        AesKw(A192),
        AesKw(A256),
        AesGcmKw(A128),
        AesGcmKw(A192),
        AesGcmKw(A256),
        RsaOaep(OaepHash::Sha1),
        RsaOaep(OaepHash::Sha256),
        RsaOaep(OaepHash::Sha384),
        RsaOaep(OaepHash::Sha512),
        Rsa1_5,
        EcdhEs(None),
        EcdhEs(Some(A128)),
        EcdhEs(Some(A192)),
        EcdhEs(Some(A256)),
        Pbes2(A128),
        Pbes2(A192),
        Pbes2(A256),
    ]
};

impl KeyManagement {
    pub fn name(self) -> &'static str {
        use AesSize::*;
        use KeyManagement::*;
        match self {
            Direct => "dir",
            AesKw(A128) => "A128KW",
            AesKw(A192) => "A192KW",
            AesKw(A256) => "A256KW",
            AesGcmKw(A128) => "A128GCMKW",
            AesGcmKw(A192) => "A192GCMKW",
            AesGcmKw(A256) => "A256GCMKW",
            RsaOaep(OaepHash::Sha1) => "RSA-OAEP",
            RsaOaep(OaepHash::Sha256) => "RSA-OAEP-256",
            RsaOaep(OaepHash::Sha384) => "RSA-OAEP-384",
            RsaOaep(OaepHash::Sha512) => "RSA-OAEP-512",
            Rsa1_5 => "RSA1_5",
            EcdhEs(None) => "ECDH-ES",
            EcdhEs(Some(A128)) => "ECDH-ES+A128KW",
            EcdhEs(Some(A192)) => "ECDH-ES+A192KW",
            EcdhEs(Some(A256)) => "ECDH-ES+A256KW",
            Pbes2(A128) => "PBES2-HS256+A128KW",
            Pbes2(A192) => "PBES2-HS384+A192KW",
            Pbes2(A256) => "PBES2-HS512+A256KW",
        }
    }

    /// Exact match, as written in a token header.
    pub fn from_header(name: &str) -> Option<KeyManagement> {
        KEY_MANAGEMENT.into_iter().find(|a| a.name() == name)
    }

    /// A name given by a person: case-insensitive, and the `+` optional (the reference writes
    /// `ECDH-ESA256KW` for `ECDH-ES+A256KW`).
    pub fn parse(name: &str) -> Result<KeyManagement> {
        find_loosely(&KEY_MANAGEMENT, KeyManagement::name, name, "key management algorithm")
    }

    /// Direct encryption and direct key agreement carry no encrypted key (an empty second part).
    pub fn has_encrypted_key(self) -> bool {
        !matches!(self, KeyManagement::Direct | KeyManagement::EcdhEs(None))
    }

    /// RSA1_5 (padding-oracle prone) and PBES2 (passwords) are used only when asked for by name.
    pub fn must_be_named(self) -> bool {
        matches!(self, KeyManagement::Rsa1_5 | KeyManagement::Pbes2(_))
    }
}

/// The `enc` of a JWE: the authenticated encryption of the content with the CEK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncryption {
    Gcm(AesSize),
    /// AES_CBC_HMAC_SHA2 (RFC 7518 §5.2): A128CBC-HS256, A192CBC-HS384, A256CBC-HS512.
    CbcHmac(AesSize),
}

pub const CONTENT_ENCRYPTION: [ContentEncryption; 6] = {
    use AesSize::*;
    use ContentEncryption::*;
    [Gcm(A128), Gcm(A192), Gcm(A256), CbcHmac(A128), CbcHmac(A192), CbcHmac(A256)]
};

impl ContentEncryption {
    pub fn name(self) -> &'static str {
        use AesSize::*;
        use ContentEncryption::*;
        match self {
            Gcm(A128) => "A128GCM",
            Gcm(A192) => "A192GCM",
            Gcm(A256) => "A256GCM",
            CbcHmac(A128) => "A128CBC-HS256",
            CbcHmac(A192) => "A192CBC-HS384",
            CbcHmac(A256) => "A256CBC-HS512",
        }
    }

    pub fn from_header(name: &str) -> Option<ContentEncryption> {
        CONTENT_ENCRYPTION.into_iter().find(|e| e.name() == name)
    }

    pub fn parse(name: &str) -> Result<ContentEncryption> {
        find_loosely(&CONTENT_ENCRYPTION, ContentEncryption::name, name, "content encryption algorithm")
    }

    /// The CEK length; AES-CBC-HMAC keys hold the MAC key and the AES key, each of the AES size.
    pub fn key_len(self) -> usize {
        match self {
            ContentEncryption::Gcm(size) => size.key_len(),
            ContentEncryption::CbcHmac(size) => 2 * size.key_len(),
        }
    }

    /// `dir` with no `enc` named: the encryption whose key is exactly this secret.
    pub fn for_secret_len(len: usize) -> Option<ContentEncryption> {
        use AesSize::*;
        use ContentEncryption::*;
        // 32 bytes fit both A256GCM and A128CBC-HS256; GCM is the stronger, simpler choice.
        [Gcm(A128), Gcm(A192), Gcm(A256), CbcHmac(A192), CbcHmac(A256)].into_iter().find(|e| e.key_len() == len)
    }
}

impl fmt::Display for KeyManagement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for ContentEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn find_loosely<T: Copy>(all: &[T], name_of: fn(T) -> &'static str, requested: &str, what: &str) -> Result<T> {
    let loose = |s: &str| s.trim().replace('+', "").to_ascii_uppercase();
    let wanted = loose(requested);
    all.iter().copied().find(|a| loose(name_of(*a)) == wanted).ok_or_else(|| {
        let names: Vec<&str> = all.iter().map(|a| name_of(*a)).collect();
        Error::argument(format!("Unknown {what} '{}'. Use one of: {}.", requested.trim(), names.join(", ")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_parse_loosely() {
        for alg in KEY_MANAGEMENT {
            assert_eq!(KeyManagement::from_header(alg.name()), Some(alg));
            assert_eq!(KeyManagement::parse(&alg.name().to_lowercase()).unwrap(), alg);
        }
        for enc in CONTENT_ENCRYPTION {
            assert_eq!(ContentEncryption::from_header(enc.name()), Some(enc));
            assert_eq!(ContentEncryption::parse(&enc.name().to_lowercase()).unwrap(), enc);
        }
        assert_eq!(KeyManagement::parse("ECDH-ESA256KW").unwrap().name(), "ECDH-ES+A256KW");
        assert_eq!(KeyManagement::from_header("rsa-oaep"), None, "headers are case-sensitive");
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let e = KeyManagement::parse("RSA-OAEP-1024").unwrap_err();
        assert!(e.message.contains("'RSA-OAEP-1024'") && e.message.contains("ECDH-ES+A128KW"), "{}", e.message);
        let e = ContentEncryption::parse("A512GCM").unwrap_err();
        assert!(e.message.contains("A256CBC-HS512"), "{}", e.message);
    }

    #[test]
    fn direct_encryption_follows_the_secret_size() {
        let pick = |len| ContentEncryption::for_secret_len(len).map(|e| e.name());
        assert_eq!([16, 24, 32, 48, 64].map(pick), [Some("A128GCM"), Some("A192GCM"), Some("A256GCM"), Some("A192CBC-HS384"), Some("A256CBC-HS512")]);
        assert_eq!(pick(20), None);
    }
}
