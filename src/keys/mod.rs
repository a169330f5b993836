//! Keys: imported and checked once, then shared (behind `Arc`) by builders, results and validators.
//! Secret material is zeroed when the last reference goes away.

mod jwk;
mod secret;

pub use jwk::thumbprint_of_jwk_json;

use crate::alg::{Algorithm, Family};
use crate::error::{Error, Result};
use serde_json::{json, Value};
use zeroize::Zeroizing;

/// How the bytes handed to [`Key::import`] are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// Raw secret bytes.
    Secret,
    /// Base64url text of a secret (standard alphabet and padding tolerated).
    Base64Url,
    /// Hexadecimal text of a secret.
    Hex,
    /// A passphrase whose UTF-8 bytes are the secret.
    Passphrase,
    /// A JWK as JSON text.
    Jwk,
    /// PEM text.
    Pem,
    /// DER bytes.
    Der,
}

pub enum Material {
    Secret(Zeroizing<Vec<u8>>),
}

pub struct Key {
    material: Material,
    /// The `kid` the key came with (a JWK member); tokens otherwise use the thumbprint.
    kid: Option<String>,
    /// RFC 7638 thumbprint, computed once at import.
    thumbprint: String,
}

impl Key {
    pub fn import(format: KeyFormat, data: &[u8]) -> Result<Key> {
        match format {
            KeyFormat::Secret => Key::from_secret(data.to_vec()),
            KeyFormat::Base64Url => Key::from_secret(secret::from_base64url(utf8(data, "Base64url key")?)?),
            KeyFormat::Hex => Key::from_secret(secret::from_hex(utf8(data, "Hexadecimal key")?)?),
            KeyFormat::Passphrase => Key::from_secret(secret::from_passphrase(data)?),
            KeyFormat::Jwk => jwk::import(utf8(data, "JWK")?),
            KeyFormat::Pem | KeyFormat::Der => Err(Error::unsupported(
                "PEM and DER keys are not supported by this build yet; use a secret or a JWK.",
            )),
        }
    }

    pub fn from_secret(bytes: Vec<u8>) -> Result<Key> {
        let bytes = Zeroizing::new(bytes);
        if bytes.is_empty() {
            return Err(Error::key("The secret is empty. Supply at least 32 random bytes (64 hex digits)."));
        }
        let thumbprint = jwk::thumbprint_of_members(&[("k", &crate::b64::encode(&bytes)), ("kty", "oct")]);
        Ok(Key { material: Material::Secret(bytes), kid: None, thumbprint })
    }

    pub(crate) fn with_kid(mut self, kid: Option<String>) -> Key {
        self.kid = kid;
        self
    }

    pub fn material(&self) -> &Material {
        &self.material
    }

    /// The `kid` tokens signed with this key carry: the key's own, else its RFC 7638 thumbprint.
    pub fn key_id(&self) -> &str {
        self.kid.as_deref().unwrap_or(&self.thumbprint)
    }

    pub fn explicit_kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    pub fn kty(&self) -> &'static str {
        match self.material {
            Material::Secret(_) => "oct",
        }
    }

    pub fn bits(&self) -> usize {
        match &self.material {
            Material::Secret(s) => s.len() * 8,
        }
    }

    pub fn has_private_key(&self) -> bool {
        match self.material {
            Material::Secret(_) => true,
        }
    }

    /// The algorithms this key can sign or verify with, strongest first for secrets.
    pub fn compatible_algorithms(&self) -> Vec<Algorithm> {
        crate::alg::ALL.iter().copied().filter(|a| self.check_algorithm(*a).is_ok()).collect()
    }

    /// `Auto`: the algorithm a key implies.
    pub fn default_algorithm(&self) -> Algorithm {
        match &self.material {
            Material::Secret(s) => Algorithm::hmac_for_secret_len(s.len()),
        }
    }

    /// Resolves a requested algorithm (None = Auto) and checks that this key can use it.
    pub fn resolve_algorithm(&self, requested: Option<Algorithm>) -> Result<Algorithm> {
        let alg = requested.unwrap_or_else(|| self.default_algorithm());
        self.check_algorithm(alg)?;
        Ok(alg)
    }

    fn check_algorithm(&self, alg: Algorithm) -> Result<()> {
        match (&self.material, alg.family()) {
            (Material::Secret(s), Family::Hmac(sha)) => {
                if s.len() < sha.output_len() {
                    Err(Error::key(format!(
                        "The secret is {} bytes ({} bits), too short for {alg}: it needs at least {} bytes. \
                         Use a longer random secret (for example {} hex digits) or a weaker HMAC algorithm.",
                        s.len(),
                        s.len() * 8,
                        sha.output_len(),
                        sha.output_len() * 2
                    )))
                } else {
                    Ok(())
                }
            }
            (Material::Secret(_), _) => Err(Error::key(format!(
                "A shared secret can only sign with HS256, HS384 or HS512, not {alg}. \
                 Use an RSA, EC or Ed25519 key for {alg}, or choose an HS algorithm."
            ))),
        }
    }

    /// A description without key material.
    pub fn describe(&self) -> Value {
        let algorithms: Vec<&str> = self.compatible_algorithms().iter().map(|a| a.name()).collect();
        json!({
            "kty": self.kty(),
            "bits": self.bits(),
            "hasPrivateKey": self.has_private_key(),
            "kid": self.key_id(),
            "thumbprint": self.thumbprint,
            "curve": Value::Null,
            "algorithms": algorithms,
        })
    }

    /// The public JWK; shared secrets have none to publish.
    pub fn public_jwk(&self) -> Result<Value> {
        match self.material {
            Material::Secret(_) => Err(Error::key(
                "A shared secret has no public key to publish: anyone holding it could forge tokens. \
                 Sign with an RSA, EC or Ed25519 key to publish verification keys.",
            )),
        }
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({} {} bits, kid {})", self.kty(), self.bits(), self.key_id())
    }
}

fn utf8<'a>(data: &'a [u8], what: &str) -> Result<&'a str> {
    std::str::from_utf8(data).map_err(|_| Error::argument(format!("{what} text is not valid UTF-8.")))
}
