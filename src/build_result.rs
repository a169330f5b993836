//! What building a token gives: the token and everything a caller may want to know about it, plus
//! the pinned key (and, for a nested JWT, the decrypter) a validator for it needs.

use crate::error::Result;
use crate::jwe::Decrypter;
use crate::jws::PinnedKey;
use crate::token;
use crate::validation::{Options, Validator};
use serde_json::{Map, Value};

/// A signed token with the exact header and payload texts it was built from. Building does not
/// keep parsed copies: most results are only ever asked for their token.
#[derive(Debug)]
pub(crate) struct Signed {
    pub token: String,
    pub header_json: String,
    pub payload_json: String,
    pub key: PinnedKey,
}

fn object(json: &str) -> Map<String, Value> {
    serde_json::from_str(json).expect("the builder wrote a JSON object")
}

/// The encryption around a nested JWT.
#[derive(Debug)]
struct Sealed {
    token: String,
    header: Map<String, Value>,
    decrypter: Option<Decrypter>,
}

#[derive(Debug)]
pub struct BuildResult {
    signed: Signed,
    sealed: Option<Sealed>,
}

impl BuildResult {
    pub(crate) fn signed(signed: Signed) -> BuildResult {
        BuildResult { signed, sealed: None }
    }

    /// A nested JWT: `signed` inside the compact JWE `jwe`, whose protected header is `header`.
    pub(crate) fn encrypted(signed: Signed, jwe: String, header: Map<String, Value>, decrypter: Option<Decrypter>) -> BuildResult {
        BuildResult { signed, sealed: Some(Sealed { token: jwe, header, decrypter }) }
    }

    /// The compact token: the JWE for a nested JWT, else the JWS.
    pub fn token(&self) -> &str {
        self.sealed.as_ref().map_or(&self.signed.token, |s| &s.token)
    }

    pub fn key(&self) -> &PinnedKey {
        &self.signed.key
    }

    /// The decrypter a validator needs for this result's token, if the token is encrypted to a
    /// key that can decrypt.
    pub fn decrypter(&self) -> Option<&Decrypter> {
        self.sealed.as_ref().and_then(|s| s.decrypter.as_ref())
    }

    pub fn is_encrypted(&self) -> bool {
        self.sealed.is_some()
    }

    /// The signed token's protected header.
    pub fn header(&self) -> Map<String, Value> {
        object(&self.signed.header_json)
    }

    /// The signed token's claims.
    pub fn claims(&self) -> Map<String, Value> {
        object(&self.signed.payload_json)
    }

    /// The exact serialised header of the signed token.
    pub fn header_json(&self) -> &str {
        &self.signed.header_json
    }

    /// The exact serialised payload of the signed token.
    pub fn payload_json(&self) -> &str {
        &self.signed.payload_json
    }

    /// The protected header of the encryption around a nested JWT.
    pub fn outer_header(&self) -> Option<&Map<String, Value>> {
        self.sealed.as_ref().map(|s| &s.header)
    }

    pub fn issuer(&self) -> Option<String> {
        self.claims().get("iss").and_then(Value::as_str).map(str::to_string)
    }

    pub fn audiences(&self) -> Vec<String> {
        token::audiences(&self.claims())
    }
}

impl Validator {
    /// Parameters that accept what `result` says about itself: its issuer, audiences and key (and
    /// its decrypter, for a nested JWT its key can open).
    pub fn for_result(result: &BuildResult, clock_skew_seconds: f64) -> Result<Validator> {
        let options =
            Options { issuers: result.issuer().into_iter().collect(), audiences: result.audiences(), clock_skew_seconds, ..Options::default() };
        let decrypters = result.decrypter().cloned().into_iter().collect();
        Validator::with_decrypters(options, vec![result.key().for_verification()], decrypters)
    }
}
