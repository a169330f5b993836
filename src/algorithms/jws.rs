//! JWS algorithm names (RFC 7518 §3, RFC 8037) and how `Auto` resolves for a key.

use crate::error::{Error, Result};
use std::fmt;

named_enum! {
    /// A JWS algorithm, named as a token header names it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Algorithm {
        HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA,
    }
}

/// The hash a family member uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sha {
    Sha256,
    Sha384,
    Sha512,
}

impl Sha {
    pub fn output_len(self) -> usize {
        match self {
            Sha::Sha256 => 32,
            Sha::Sha384 => 48,
            Sha::Sha512 => 64,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Hmac(Sha),
    RsaPkcs1(Sha),
    RsaPss(Sha),
    Ecdsa(Sha),
    EdDsa,
}

impl Algorithm {
    /// Exact, case-sensitive match as it appears in a token header.
    pub fn from_header(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Case-insensitive match for names given by people; `None` for `Auto` (and empty).
    pub fn parse_requested(name: Option<&str>) -> Result<Option<Algorithm>> {
        let name = match name.map(str::trim) {
            None | Some("") => return Ok(None),
            Some(n) if n.eq_ignore_ascii_case("auto") => return Ok(None),
            Some(n) => n,
        };
        Algorithm::ALL.into_iter().find(|a| a.name().eq_ignore_ascii_case(name)).map(Some).ok_or_else(|| {
            let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
            Error::argument(format!("Unknown signing algorithm '{name}'. Use Auto or one of: {}.", names.join(", ")))
        })
    }

    pub fn family(self) -> Family {
        use Algorithm::*;
        match self {
            HS256 => Family::Hmac(Sha::Sha256),
            HS384 => Family::Hmac(Sha::Sha384),
            HS512 => Family::Hmac(Sha::Sha512),
            RS256 => Family::RsaPkcs1(Sha::Sha256),
            RS384 => Family::RsaPkcs1(Sha::Sha384),
            RS512 => Family::RsaPkcs1(Sha::Sha512),
            PS256 => Family::RsaPss(Sha::Sha256),
            PS384 => Family::RsaPss(Sha::Sha384),
            PS512 => Family::RsaPss(Sha::Sha512),
            ES256 => Family::Ecdsa(Sha::Sha256),
            ES384 => Family::Ecdsa(Sha::Sha384),
            ES512 => Family::Ecdsa(Sha::Sha512),
            EdDSA => Family::EdDsa,
        }
    }

    /// `Auto` for a shared secret: the strongest HMAC the key length supports (as the reference).
    pub fn hmac_for_secret_len(len: usize) -> Algorithm {
        if len >= 64 {
            Algorithm::HS512
        } else if len >= 48 {
            Algorithm::HS384
        } else {
            Algorithm::HS256
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_requests_are_case_insensitive() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_header(a.name()), Some(a));
            assert_eq!(Algorithm::parse_requested(Some(&a.name().to_lowercase())).unwrap(), Some(a));
        }
        assert_eq!(Algorithm::from_header("hs256"), None);
        assert_eq!(Algorithm::from_header("none"), None);
        assert_eq!(Algorithm::parse_requested(Some("AUTO")).unwrap(), None);
        assert!(Algorithm::parse_requested(Some("none")).is_err());
    }

    #[test]
    fn auto_hmac_follows_key_length() {
        for (len, alg) in [(0, "HS256"), (32, "HS256"), (47, "HS256"), (48, "HS384"), (63, "HS384"), (64, "HS512"), (100, "HS512")] {
            assert_eq!(Algorithm::hmac_for_secret_len(len).name(), alg);
        }
    }
}
