//! What `Build-KrJWT` returns: the token and everything a caller may want to know about it,
//! plus the pinned key (and, for a nested JWT, the decrypter) a validator for it needs.

use crate::jwe::Decrypter;
use crate::jws::PinnedKey;
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

    pub(crate) fn encrypted(signed: Signed, jwe: String, decrypter: Option<Decrypter>) -> BuildResult {
        let header = crate::inspect::inspect(&jwe)
            .ok()
            .and_then(|info| info["header"].as_object().cloned())
            .unwrap_or_default();
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

    /// The signed token's claims.
    pub fn claims(&self) -> Map<String, Value> {
        object(&self.signed.payload_json)
    }

    pub fn issuer(&self) -> Option<String> {
        self.claims().get("iss").and_then(Value::as_str).map(str::to_string)
    }

    pub fn audiences(&self) -> Vec<String> {
        audiences_of(&self.claims())
    }

    /// The inspection shape plus the token and the exact serialised header and payload.
    pub fn describe(&self) -> Value {
        let mut description = crate::inspect::describe(&object(&self.signed.header_json), Some(&self.claims()), self.is_encrypted());
        description["token"] = self.token().into();
        description["headerJson"] = self.signed.header_json.clone().into();
        description["payloadJson"] = self.signed.payload_json.clone().into();
        description["outerHeader"] = self.sealed.as_ref().map(|s| Value::Object(s.header.clone())).unwrap_or(Value::Null);
        description
    }
}

/// `aud` as a list, whether the token holds a string or an array of strings.
pub(crate) fn audiences_of(payload: &Map<String, Value>) -> Vec<String> {
    match payload.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}
