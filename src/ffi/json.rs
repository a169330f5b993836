//! The JSON shapes of docs/c-abi.md, made from the core's typed results: the ABI owns them, the
//! core never writes them. Member order is part of the shape (hosts may compare texts).

use crate::algorithms::jwe::{CONTENT_ENCRYPTION, KEY_MANAGEMENT};
use crate::algorithms::jws::Algorithm;
use crate::build_result::BuildResult;
use crate::builder::{Builder, NotBefore};
use crate::claims;
use crate::discovery::Discovery;
use crate::inspect::Inspection;
use crate::jws::PinnedKey;
use crate::keys::Key;
use crate::token;
use crate::validation::{Report, Validator};
use serde_json::{json, Map, Value};

/// The `kr_*_describe` shape of a handle's object (never key material).
pub trait Describe {
    fn describe(&self) -> Value;
}

/// The JSON a call hands back for a result that is no handle (a report, an inspection, ...).
pub trait ToJson {
    fn to_json(&self) -> Value;
}

impl Describe for Key {
    fn describe(&self) -> Value {
        let algorithms: Vec<&str> = self.compatible_algorithms().iter().map(|a| a.name()).collect();
        json!({
            "kty": self.kty(),
            "bits": self.bits(),
            "hasPrivateKey": self.has_private_key(),
            "kid": self.key_id(),
            "thumbprint": self.thumbprint(),
            "curve": self.curve(),
            "algorithm": self.default_algorithm().name(),
            "algorithms": algorithms,
        })
    }
}

impl Describe for Builder {
    fn describe(&self) -> Value {
        let claims: Vec<Value> = self.claims().iter().map(|(t, v)| json!({"type": t, "value": v})).collect();
        let (not_before, offset) = match self.not_before() {
            NotBefore::Now => (Value::Null, Value::Null),
            NotBefore::At(t) => (json!(t), Value::Null),
            NotBefore::After(s) => (Value::Null, json!(s)),
        };
        let signing = self.signing_key();
        let encryption = self.encrypter();
        json!({
            "issuer": self.issuer(),
            "audiences": self.audiences(),
            "subject": self.subject(),
            "claims": claims,
            "headers": self.headers(),
            "lifetimeSeconds": self.lifetime_seconds(),
            "notBefore": not_before,
            "notBeforeOffsetSeconds": offset,
            "algorithm": signing.map(|s| s.algorithm().name()),
            "keyId": signing.map(|s| s.key().key_id()),
            "signed": signing.is_some(),
            "encrypted": encryption.is_some(),
            "keyManagementAlgorithm": encryption.map(|e| e.key_management()),
            "contentEncryptionAlgorithm": encryption.map(|e| e.content_encryption()),
        })
    }
}

impl Describe for BuildResult {
    /// The inspection shape plus the token and the exact serialised header and payload.
    fn describe(&self) -> Value {
        let mut description = token_shape(&self.header(), Some(&self.claims()), self.is_encrypted());
        description["token"] = self.token().into();
        description["headerJson"] = self.header_json().into();
        description["payloadJson"] = self.payload_json().into();
        description["outerHeader"] = self.outer_header().map_or(Value::Null, |h| Value::Object(h.clone()));
        description
    }
}

impl Describe for Validator {
    fn describe(&self) -> Value {
        let options = self.options();
        let keys: Vec<Value> = self.keys().iter().map(key_summary).collect();
        let mut algorithms: Vec<&str> = self.keys().iter().map(|k| k.algorithm().name()).collect();
        algorithms.dedup();
        json!({
            "issuers": options.issuers,
            "audiences": options.audiences,
            "algorithms": algorithms,
            "clockSkewSeconds": options.clock_skew_seconds,
            "validateLifetime": options.validate_lifetime,
            "requireExpiration": options.require_expiration,
            "validateIssuer": options.validate_issuer && !options.issuers.is_empty(),
            "validateAudience": options.validate_audience && !options.audiences.is_empty(),
            "requireSignedTokens": true,
            "requireEncryption": options.require_encryption,
            "maxPbes2Count": options.max_pbes2_count,
            "jwksUri": options.jwks_uri,
            "keySetUnavailable": options.jwks_unavailable.is_some(),
            "keys": keys,
            "decryptionKeys": self.decrypters().iter().map(|d| json!({
                "kid": d.key().key_id(),
                "kty": d.key().kty(),
                "algorithms": d.accepted().map(|(alg, enc)| format!("{alg}/{enc}")).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

impl ToJson for Report {
    fn to_json(&self) -> Value {
        json!({
            "valid": self.is_valid(),
            "reason": self.reason.name(),
            "message": self.message,
            "header": self.header,
            "claims": self.claims,
            "key": self.key.as_ref().map(key_summary),
            "withinClockSkew": self.within_clock_skew,
            "allowableAlgorithm": self.allowable_algorithm.map(Algorithm::name),
        })
    }
}

impl ToJson for Inspection {
    fn to_json(&self) -> Value {
        let mut description = token_shape(&self.header, self.claims.as_ref(), self.encrypted);
        description["payloadJson"] = self.payload_json.clone().into();
        description["expired"] = self.expiry.map(|e| e.expired).into();
        description["expiresInSeconds"] = self.expiry.map(|e| e.seconds_left).into();
        if let Some(outer) = &self.outer_header {
            description["outerHeader"] = Value::Object(outer.clone());
        }
        description
    }
}

impl ToJson for Discovery {
    fn to_json(&self) -> Value {
        json!({ "issuer": self.issuer, "jwksUri": self.jwks_uri })
    }
}

/// What `kr_library_describe` gives: the names the library accepts and its defaults.
pub(crate) fn library() -> Value {
    let user_claim_types: Vec<Value> =
        claims::user_claim_types().map(|c| json!({ "member": c.member, "claimType": c.claim_type, "writtenAs": c.written_as })).collect();
    json!({
        "algorithms": {
            "signing": Algorithm::ALL.map(Algorithm::name),
            "keyManagement": KEY_MANAGEMENT.map(|a| a.name()),
            "contentEncryption": CONTENT_ENCRYPTION.map(|e| e.name()),
        },
        "userClaimTypes": user_claim_types,
        "defaults": {
            "clockSkewSeconds": crate::validation::DEFAULT_CLOCK_SKEW_SECONDS,
            "lifetimeSeconds": crate::builder::DEFAULT_LIFETIME_SECONDS,
            "maxPbes2Count": crate::jwe::DEFAULT_MAX_PBES2_COUNT,
        },
    })
}

/// The shape shared by inspection and build results: what a token's header and claims say.
fn token_shape(header: &Map<String, Value>, claims: Option<&Map<String, Value>>, encrypted: bool) -> Value {
    let claim = |name: &str| claims.and_then(|c| c.get(name)).cloned().unwrap_or(Value::Null);
    let time = |name: &str| claims.and_then(|c| c.get(name)).filter(|v| v.is_number()).cloned().unwrap_or(Value::Null);
    json!({
        "algorithm": header.get("alg"),
        "keyId": header.get("kid"),
        "type": header.get("typ"),
        "contentType": header.get("cty"),
        "encryption": header.get("enc"),
        "issuer": claim("iss").as_str(),
        "audiences": claims.map(token::audiences).unwrap_or_default(),
        "subject": claim("sub").as_str(),
        "issuedAt": time("iat"),
        "notBefore": time("nbf"),
        "expires": time("exp"),
        "header": header,
        "claims": claims,
        "encrypted": encrypted,
    })
}

/// A configured key as descriptions and reports show it: never its material.
fn key_summary(key: &PinnedKey) -> Value {
    json!({"kid": key.key().key_id(), "kty": key.key().kty(), "algorithm": key.algorithm().name()})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::b64;
    use crate::inspect::{inspect, inspect_at};

    #[test]
    fn inspection_reads_signed_tokens_keeping_json_types() {
        let h = b64::encode(br#"{"alg":"HS256","typ":"JWT","kid":"k"}"#);
        let p = b64::encode(br#"{"sub":"a","role":["x","y"],"n":5,"aud":["a1","a2"],"exp":10}"#);
        let info = inspect(&format!("{h}.{p}.sig")).unwrap().to_json();
        assert_eq!(info["claims"]["role"], json!(["x", "y"]));
        assert_eq!(info["claims"]["n"], json!(5));
        assert_eq!(info["audiences"], json!(["a1", "a2"]));
        assert_eq!(info["subject"], "a");
        assert_eq!(info["expires"], 10);
        assert_eq!(info["keyId"], "k");
        assert_eq!(info["encrypted"], false);
    }

    #[test]
    fn inspection_reports_the_payload_text_and_time_left_without_validating() {
        let h = b64::encode(br#"{"alg":"HS256"}"#);
        let p = b64::encode(br#"{"sub":"a", "exp":100}"#);
        let token = format!("{h}.{p}.sig");
        let early = inspect_at(&token, 40.0).unwrap().to_json();
        assert_eq!(early["payloadJson"], r#"{"sub":"a", "exp":100}"#, "the text as the token carries it");
        assert_eq!(early["expired"], false);
        assert_eq!(early["expiresInSeconds"], 60.0);
        let late = inspect_at(&token, 100.0).unwrap().to_json();
        assert_eq!(late["expired"], true, "expired at exp itself, as validation says");
        assert_eq!(late["expiresInSeconds"], 0.0);
        let no_exp = inspect_at(&format!("{h}.{}.sig", b64::encode(br#"{"sub":"a"}"#)), 40.0).unwrap().to_json();
        assert_eq!((no_exp["expired"].clone(), no_exp["expiresInSeconds"].clone()), (Value::Null, Value::Null));
    }

    #[test]
    fn inspection_reads_the_outer_header_of_encrypted_tokens() {
        let h = b64::encode(br#"{"alg":"dir","enc":"A256GCM","cty":"JWT"}"#);
        let info = inspect(&format!("{h}..iv.ct.tag")).unwrap().to_json();
        assert_eq!(info["encrypted"], true);
        assert_eq!(info["encryption"], "A256GCM");
        assert_eq!(info["claims"], Value::Null);
        assert!(info.get("outerHeader").is_none(), "only an opened nested JWT has an outer header");
    }

    #[test]
    fn inspection_applies_the_size_limits_of_validation_to_the_whole_input() {
        let h = b64::encode(br#"{"alg":"dir","enc":"A256GCM"}"#);
        let big_jwe = format!("{h}..iv.{}.tag", "A".repeat(100_000));
        assert_eq!(inspect(&big_jwe).unwrap().to_json()["encrypted"], true, "encrypted tokens may be up to 256 KiB");
        let padded = format!("{}{}", " ".repeat(70_000), "a.b.c");
        assert!(inspect(&padded).unwrap_err().message.contains("above 65536 bytes"));
    }

    #[test]
    fn discovery_gives_the_issuer_and_key_set() {
        let found = Discovery { issuer: "https://login.example.com/tenant/v2.0".into(), jwks_uri: "https://login.example.com/tenant/keys".into() };
        assert_eq!(found.to_json(), json!({"issuer": "https://login.example.com/tenant/v2.0", "jwksUri": "https://login.example.com/tenant/keys"}));
    }

    #[test]
    fn the_library_names_its_algorithms_claim_types_and_defaults() {
        let library = library();
        assert_eq!(library["algorithms"]["signing"][0], "HS256");
        assert_eq!(library["algorithms"]["signing"].as_array().unwrap().len(), 13);
        assert_eq!(library["algorithms"]["keyManagement"][0], "dir");
        assert_eq!(library["algorithms"]["contentEncryption"][5], "A256CBC-HS512");
        assert_eq!(
            library["userClaimTypes"][25],
            json!({"member": "Name", "claimType": format!("{}name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/"), "writtenAs": "unique_name"})
        );
        assert_eq!(library["defaults"], json!({"clockSkewSeconds": 60, "lifetimeSeconds": 3600.0, "maxPbes2Count": 10000}));
    }
}
