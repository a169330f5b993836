//! What a JWK may be used for: its `use` (RFC 7517 §4.2) and `key_ops` (§4.3) members.

use crate::error::{Error, Result};
use serde_json::Value;

/// What a key may be used for, from a JWK's `use`, `key_ops` or `alg` member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Any,
    Signing,
    Encryption,
}

/// A `key_ops` value (RFC 7517 §4.3, the Web Crypto key usages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Sign,
    Verify,
    Encrypt,
    Decrypt,
    WrapKey,
    UnwrapKey,
    DeriveKey,
    DeriveBits,
}

const OPERATIONS: [(Operation, &str); 8] = [
    (Operation::Sign, "sign"),
    (Operation::Verify, "verify"),
    (Operation::Encrypt, "encrypt"),
    (Operation::Decrypt, "decrypt"),
    (Operation::WrapKey, "wrapKey"),
    (Operation::UnwrapKey, "unwrapKey"),
    (Operation::DeriveKey, "deriveKey"),
    (Operation::DeriveBits, "deriveBits"),
];

impl Operation {
    pub fn name(self) -> &'static str {
        OPERATIONS.iter().find(|(op, _)| *op == self).map(|(_, name)| *name).unwrap_or_default()
    }

    fn bit(self) -> u8 {
        1 << OPERATIONS.iter().position(|(op, _)| *op == self).unwrap_or_default()
    }

    fn is_signature(self) -> bool {
        matches!(self, Operation::Sign | Operation::Verify)
    }
}

/// The operations a JWK's `key_ops` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operations(u8);

impl Operations {
    /// Reads `key_ops`: an array of distinct strings. Values this library never performs
    /// (registered elsewhere) grant nothing and are ignored, as RFC 7517 §4.3 allows.
    pub fn parse(value: &Value) -> Result<Operations> {
        let items =
            value.as_array().ok_or_else(|| Error::key("The JWK member \"key_ops\" must be an array of strings such as [\"sign\",\"verify\"]."))?;
        let mut seen: Vec<&str> = Vec::with_capacity(items.len());
        let mut bits = 0;
        for item in items {
            let name = item.as_str().ok_or_else(|| Error::key("The JWK member \"key_ops\" must hold strings only."))?;
            if seen.contains(&name) {
                return Err(Error::key(format!("The JWK member \"key_ops\" lists {} twice, which RFC 7517 forbids.", crate::error::quoted(name))));
            }
            seen.push(name);
            if let Some((op, _)) = OPERATIONS.iter().find(|(_, n)| *n == name) {
                bits |= op.bit();
            }
        }
        if bits == 0 {
            return Err(Error::key(
                "The JWK member \"key_ops\" allows no operation KrJwt performs (sign, verify, encrypt, decrypt, wrapKey, unwrapKey, deriveKey, deriveBits), so the key is unusable.",
            ));
        }
        Ok(Operations(bits))
    }

    pub fn allows(self, op: Operation) -> bool {
        self.0 & op.bit() != 0
    }

    fn names(self) -> Vec<&'static str> {
        OPERATIONS.iter().filter(|(op, _)| self.allows(*op)).map(|(_, name)| *name).collect()
    }

    /// The purpose the operations imply: signing or encryption when they name only one kind.
    pub fn purpose(self) -> Purpose {
        let signature = OPERATIONS.iter().any(|(op, _)| op.is_signature() && self.allows(*op));
        let encryption = OPERATIONS.iter().any(|(op, _)| !op.is_signature() && self.allows(*op));
        match (signature, encryption) {
            (true, false) => Purpose::Signing,
            (false, true) => Purpose::Encryption,
            _ => Purpose::Any,
        }
    }

    /// The operations of the public half of a key pair: signing keys verify, decrypting keys encrypt.
    pub fn of_public_half(self) -> Operations {
        let pairs = [(Operation::Sign, Operation::Verify), (Operation::Decrypt, Operation::Encrypt), (Operation::UnwrapKey, Operation::WrapKey)];
        let mut bits = self.0;
        for (private, public) in pairs {
            if self.allows(private) {
                bits |= public.bit();
            }
        }
        Operations(bits)
    }

    /// Refuses `op` unless one of `accepted` (the operation and its synonyms) is listed.
    pub fn require(self, accepted: &[Operation], what: &str) -> Result<()> {
        if accepted.iter().any(|op| self.allows(*op)) {
            return Ok(());
        }
        let wanted: Vec<&str> = accepted.iter().map(|op| op.name()).collect();
        Err(Error::key(format!(
            "The JWK's \"key_ops\" member ({}) does not allow {what}, which needs {}. Use a key whose key_ops lists it.",
            self.names().join(", "),
            wanted.join(" or ")
        )))
    }
}

/// `use` and `key_ops` together must agree (RFC 7517 §4.3).
pub fn consistent(purpose: Purpose, ops: Operations) -> Result<()> {
    match (purpose, ops.purpose()) {
        (Purpose::Signing, Purpose::Encryption)
        | (Purpose::Encryption, Purpose::Signing)
        | (Purpose::Signing | Purpose::Encryption, Purpose::Any) => Err(Error::key(format!(
            "The JWK's \"use\" and \"key_ops\" ({}) members disagree; RFC 7517 requires them to be consistent. Keep one of them.",
            ops.names().join(", ")
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_ops_are_distinct_strings_and_imply_a_purpose() {
        let ops = Operations::parse(&json!(["sign", "verify", "x-custom"])).unwrap();
        assert!(ops.allows(Operation::Sign) && !ops.allows(Operation::Decrypt));
        assert_eq!(ops.purpose(), Purpose::Signing);
        assert_eq!(Operations::parse(&json!(["unwrapKey"])).unwrap().purpose(), Purpose::Encryption);
        assert!(Operations::parse(&json!(["sign", "sign"])).unwrap_err().message.contains("twice"));
        assert!(Operations::parse(&json!("sign")).is_err());
        assert!(Operations::parse(&json!([])).unwrap_err().message.contains("unusable"));
        let verify_only = Operations::parse(&json!(["verify"])).unwrap();
        let e = verify_only.require(&[Operation::Sign], "signing").unwrap_err();
        assert!(e.message.contains("\"key_ops\" member (verify) does not allow signing"), "{}", e.message);
        assert!(Operations::parse(&json!(["sign"])).unwrap().of_public_half().allows(Operation::Verify));
        assert!(consistent(Purpose::Signing, Operations::parse(&json!(["encrypt"])).unwrap()).is_err());
        assert!(consistent(Purpose::Encryption, Operations::parse(&json!(["wrapKey", "unwrapKey"])).unwrap()).is_ok());
    }
}
