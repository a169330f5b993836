//! OpenID Connect discovery documents (OpenID Connect Discovery 1.0 §3, §4.3): what a provider's
//! configuration says about the tokens it issues. Fetching is the host's business; trusting what was
//! fetched is decided here.

use crate::error::{quoted_at_most, Error, Result};
use serde_json::Value;

/// URLs are quoted whole up to this length: a person copies them from the message.
const MAX_URL_CHARS: usize = 256;

/// What a validator needs from a provider's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// The issuer the provider's tokens carry in `iss`, exactly as the document spells it.
    pub issuer: String,
    /// Where the provider publishes its JWK Set.
    pub jwks_uri: String,
}

/// Reads the configuration document fetched for `authority`. Its `issuer` must be the authority
/// (a trailing slash aside): a document naming another issuer could hand out another provider's
/// keys, so it is refused, naming both.
pub fn read(document: &str, authority: &str) -> Result<Discovery> {
    let from = quoted_at_most(authority, MAX_URL_CHARS);
    let members = match serde_json::from_str::<Value>(document) {
        Ok(Value::Object(members)) => members,
        Ok(_) => return Err(Error::json(format!("The OpenID configuration of {from} is not a JSON object."))),
        Err(e) => return Err(Error::json(format!("The OpenID configuration of {from} is not valid JSON: {e}."))),
    };
    let text = |name: &str| match members.get(name) {
        Some(Value::String(value)) if !value.trim().is_empty() => Ok(value.clone()),
        _ => Err(Error::json(format!("The OpenID configuration of {from} has no \"{name}\" string."))),
    };
    let issuer = text("issuer")?;
    if issuer.trim_end_matches('/') != authority.trim_end_matches('/') {
        return Err(Error::argument(format!(
            "The OpenID configuration of {from} names the issuer {}, not {from}: a provider's configuration must name \
             itself. Use the provider's own issuer as the authority.",
            quoted_at_most(&issuer, MAX_URL_CHARS)
        )));
    }
    let jwks_uri = text("jwks_uri")?;
    Ok(Discovery { issuer, jwks_uri })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const AUTHORITY: &str = "https://login.example.com/tenant/v2.0";

    fn document(issuer: &str) -> String {
        json!({ "issuer": issuer, "jwks_uri": "https://login.example.com/tenant/keys", "token_endpoint": "x" }).to_string()
    }

    #[test]
    fn the_issuer_and_key_set_come_from_the_document() {
        let found = read(&document(AUTHORITY), AUTHORITY).unwrap();
        assert_eq!(found.issuer, AUTHORITY);
        assert_eq!(found.jwks_uri, "https://login.example.com/tenant/keys");
    }

    #[test]
    fn a_trailing_slash_is_ignored_and_the_document_spelling_kept() {
        let found = read(&document(&format!("{AUTHORITY}/")), AUTHORITY).unwrap();
        assert_eq!(found.issuer, format!("{AUTHORITY}/"), "tokens carry the document's spelling");
        assert!(read(&document(AUTHORITY), &format!("{AUTHORITY}/")).is_ok());
    }

    #[test]
    fn another_issuer_is_refused_naming_both() {
        for other in ["https://evil.example.com/tenant/v2.0", "https://login.example.com/TENANT/v2.0", "https://login.example.com/tenant"] {
            let error = read(&document(other), AUTHORITY).unwrap_err();
            assert_eq!(error.kind, crate::ErrorKind::InvalidArgument);
            assert!(error.message.contains(other) && error.message.contains(AUTHORITY), "{}", error.message);
        }
    }

    #[test]
    fn documents_without_what_is_needed_explain_themselves() {
        let cases = [
            ("", "not valid JSON"),
            ("[1]", "not a JSON object"),
            ("{}", "no \"issuer\" string"),
            (r#"{"issuer": 7}"#, "no \"issuer\" string"),
            (&json!({"issuer": AUTHORITY}).to_string(), "no \"jwks_uri\" string"),
            (&json!({"issuer": AUTHORITY, "jwks_uri": " "}).to_string(), "no \"jwks_uri\" string"),
        ];
        for (text, expected) in cases {
            let error = read(text, AUTHORITY).unwrap_err();
            assert_eq!(error.kind, crate::ErrorKind::InvalidJson);
            assert!(error.message.contains(expected), "{text}: {}", error.message);
        }
    }

    #[test]
    fn values_from_the_network_cannot_forge_message_lines() {
        let error = read(&document("https://x\r\nInjected: 1"), AUTHORITY).unwrap_err();
        assert!(!error.message.contains('\n') && error.message.contains("\\r\\n"));
    }
}
