//! What `Build-KrJWT` returns: the token and everything a caller may want to know about it,
//! plus the pinned key a validator for it needs.

use crate::jws::PinnedKey;
use serde_json::{Map, Value};

#[derive(Debug)]
pub struct BuildResult {
    token: String,
    header: Map<String, Value>,
    payload: Map<String, Value>,
    header_json: String,
    payload_json: String,
    key: PinnedKey,
}

fn time_claim(payload: &Map<String, Value>, name: &str) -> Option<i64> {
    payload.get(name).and_then(Value::as_i64)
}

impl BuildResult {
    pub(crate) fn new(
        token: String,
        header: Map<String, Value>,
        payload: Map<String, Value>,
        header_json: String,
        payload_json: String,
        key: PinnedKey,
    ) -> BuildResult {
        BuildResult { token, header, payload, header_json, payload_json, key }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn key(&self) -> &PinnedKey {
        &self.key
    }

    pub fn issuer(&self) -> Option<&str> {
        self.payload.get("iss").and_then(Value::as_str)
    }

    pub fn audiences(&self) -> Vec<String> {
        audiences_of(&self.payload)
    }

    pub fn issued_at(&self) -> Option<i64> {
        time_claim(&self.payload, "iat")
    }

    pub fn not_before(&self) -> Option<i64> {
        time_claim(&self.payload, "nbf")
    }

    pub fn expires(&self) -> Option<i64> {
        time_claim(&self.payload, "exp")
    }

    /// The inspection shape plus the token and the exact serialised header and payload.
    pub fn describe(&self) -> Value {
        let mut description = crate::inspect::describe(&self.header, Some(&self.payload), false);
        description["token"] = self.token.clone().into();
        description["headerJson"] = self.header_json.clone().into();
        description["payloadJson"] = self.payload_json.clone().into();
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
