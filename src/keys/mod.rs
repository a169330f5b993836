//! Keys: imported and checked once, then shared (behind `Arc`) by builders, results and validators.
//! Secret material is zeroed when the last reference goes away (OpenSSL clears private numbers).

mod asymmetric;
mod degenerate;
mod jwk;
mod rsa_signatures;
mod secret;
mod usage;

pub use asymmetric::{Asymmetric, Curve, Kind};
pub use jwk::thumbprint_of_jwk_json;
pub(crate) use jwk::{import_object as import_jwk_object, wipe as wipe_jwk};
pub use usage::{Operation, Operations, Purpose};

use crate::algorithms::jwe::{ContentEncryption, KeyManagement};
use crate::algorithms::jws::{Algorithm, Family};
use crate::error::{Error, Result};
use serde_json::{Map, Value};
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
    /// PEM text: PKCS#1, PKCS#8, SEC1, SPKI or a certificate.
    Pem,
    /// DER bytes of the same structures.
    Der,
}

pub enum Material {
    Secret(Zeroizing<Vec<u8>>),
    Asymmetric(Asymmetric),
}

pub struct Key {
    material: Material,
    /// The `kid` the key came with (a JWK member); tokens otherwise use the thumbprint.
    kid: Option<String>,
    /// The algorithm a JWK's `alg` member restricts the key to.
    alg: Option<Algorithm>,
    /// What a JWK's `use` (or an encryption `alg`) reserves the key for.
    purpose: Purpose,
    /// The JWE key-management algorithm a JWK's `alg` member restricts the key to.
    key_management: Option<KeyManagement>,
    /// The content encryption a `dir` JWK's `alg` names (RFC 7520 §5.6 writes `"alg":"A128GCM"`).
    content_encryption: Option<ContentEncryption>,
    /// The operations a JWK's `key_ops` member allows (None: not restricted).
    ops: Option<Operations>,
    /// RFC 7638 thumbprint, computed once at import.
    thumbprint: String,
}

/// What a JWK says about its key besides the key itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JwkMetadata<'a> {
    pub kid: Option<&'a str>,
    pub alg: Option<Algorithm>,
    pub purpose: Purpose,
    pub key_management: Option<KeyManagement>,
    pub content_encryption: Option<ContentEncryption>,
    pub ops: Option<Operations>,
}

impl Key {
    pub fn import(format: KeyFormat, data: &[u8]) -> Result<Key> {
        match format {
            KeyFormat::Secret => Key::from_secret(data.to_vec()),
            KeyFormat::Base64Url => Key::from_secret(secret::from_base64url(utf8(data, "Base64url key")?)?),
            KeyFormat::Hex => Key::from_secret(secret::from_hex(utf8(data, "Hexadecimal key")?)?),
            KeyFormat::Passphrase => Key::from_secret(secret::from_passphrase(data)?),
            KeyFormat::Jwk => jwk::import(utf8(data, "JWK")?),
            KeyFormat::Pem => Key::from_asymmetric(asymmetric::from_pem(utf8(data, "PEM")?)?),
            KeyFormat::Der => Key::from_asymmetric(asymmetric::from_der(data)?),
        }
    }

    pub fn from_secret(bytes: Vec<u8>) -> Result<Key> {
        let bytes = Zeroizing::new(bytes);
        if bytes.is_empty() {
            return Err(Error::key("The secret is empty. Supply at least 32 random bytes (64 hex digits)."));
        }
        let thumbprint = jwk::secret_thumbprint(&bytes);
        Ok(Key::unrestricted(Material::Secret(bytes), thumbprint))
    }

    pub fn from_asymmetric(key: Asymmetric) -> Result<Key> {
        let members = key.public_jwk_members()?;
        let pairs: Vec<(&str, &str)> = members.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let thumbprint = jwk::thumbprint_of_members(&pairs);
        Ok(Key::unrestricted(Material::Asymmetric(key), thumbprint))
    }

    fn unrestricted(material: Material, thumbprint: String) -> Key {
        Key { material, kid: None, alg: None, purpose: Purpose::Any, key_management: None, content_encryption: None, ops: None, thumbprint }
    }

    /// Applies a JWK's `kid`, `use`, `key_ops` and `alg` members.
    pub(crate) fn with_jwk_metadata(mut self, metadata: JwkMetadata) -> Result<Key> {
        self.purpose = metadata.purpose;
        self.ops = metadata.ops;
        if let Some(alg) = metadata.alg {
            self.check_algorithm(alg)?;
        }
        self.kid = metadata.kid.map(str::to_string);
        self.alg = metadata.alg;
        self.key_management = metadata.key_management;
        self.content_encryption = metadata.content_encryption;
        Ok(self)
    }

    /// The JWE key-management algorithm the key is restricted to, if its JWK named one.
    pub fn key_management(&self) -> Option<KeyManagement> {
        self.key_management
    }

    /// The content encryption a `dir` key is restricted to, if its JWK named one.
    pub fn content_encryption(&self) -> Option<ContentEncryption> {
        self.content_encryption
    }

    /// Refuses an operation the JWK's `key_ops` does not list (any of `accepted` will do: Web
    /// Crypto names some operations twice, as `encrypt` and `wrapKey`).
    pub fn require_operation(&self, accepted: &[Operation], what: &str) -> Result<()> {
        match self.ops {
            Some(ops) => ops.require(accepted, what),
            None => Ok(()),
        }
    }

    pub fn purpose(&self) -> Purpose {
        self.purpose
    }

    /// The same key without its private part (secrets have none to drop and are shared as is).
    pub fn to_verification_key(&self) -> Option<Key> {
        match &self.material {
            Material::Secret(_) => None,
            Material::Asymmetric(a) => Some(Key {
                material: Material::Asymmetric(a.to_public()),
                kid: self.kid.clone(),
                alg: self.alg,
                purpose: self.purpose,
                key_management: self.key_management,
                content_encryption: self.content_encryption,
                ops: self.ops.map(Operations::of_public_half),
                thumbprint: self.thumbprint.clone(),
            }),
        }
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
        match &self.material {
            Material::Secret(_) => "oct",
            Material::Asymmetric(a) => a.kty(),
        }
    }

    pub fn bits(&self) -> usize {
        match &self.material {
            Material::Secret(s) => s.len() * 8,
            Material::Asymmetric(a) => a.bits(),
        }
    }

    pub fn curve(&self) -> Option<&'static str> {
        match &self.material {
            Material::Asymmetric(a) => match a.kind() {
                Kind::Ec(c) => Some(c.name()),
                Kind::Ed25519 => Some("Ed25519"),
                Kind::X25519 => Some("X25519"),
                Kind::Rsa { .. } => None,
            },
            Material::Secret(_) => None,
        }
    }

    pub fn has_private_key(&self) -> bool {
        match &self.material {
            Material::Secret(_) => true,
            Material::Asymmetric(a) => a.has_private(),
        }
    }

    /// The algorithms this key can sign or verify with.
    pub fn compatible_algorithms(&self) -> Vec<Algorithm> {
        Algorithm::ALL.into_iter().filter(|a| self.check_algorithm(*a).is_ok()).collect()
    }

    /// `Auto`: the algorithm a key implies.
    pub fn default_algorithm(&self) -> Algorithm {
        if let Some(alg) = self.alg {
            return alg;
        }
        match &self.material {
            Material::Secret(s) => Algorithm::hmac_for_secret_len(s.len()),
            Material::Asymmetric(a) => a.default_algorithm(),
        }
    }

    /// Resolves a requested algorithm (None = Auto) and checks that this key can use it.
    pub fn resolve_algorithm(&self, requested: Option<Algorithm>) -> Result<Algorithm> {
        let alg = requested.unwrap_or_else(|| self.default_algorithm());
        self.check_algorithm(alg)?;
        match self.alg {
            Some(pinned) if pinned != alg => {
                Err(Error::key(format!("The JWK is restricted to {pinned} by its \"alg\" member and cannot be used with {alg}.")))
            }
            _ => Ok(alg),
        }
    }

    fn check_algorithm(&self, alg: Algorithm) -> Result<()> {
        if self.purpose == Purpose::Encryption {
            return Err(Error::key(format!(
                "The key is marked for encryption (its JWK \"use\", \"key_ops\" or \"alg\"), so it cannot be used with {alg}. \
                 Use it to encrypt tokens or as a decryption key, or sign with another key."
            )));
        }
        match (&self.material, alg.family()) {
            (Material::Secret(s), Family::Hmac(sha)) => {
                if s.len() < sha.output_len() {
                    // A weaker HMAC is worth naming only when the secret is long enough for one.
                    let weaker = Some(Algorithm::hmac_for_secret_len(s.len()))
                        .filter(|fit| matches!(fit.family(), Family::Hmac(fit_sha) if s.len() >= fit_sha.output_len()))
                        .map(|fit| format!(", or choose {fit}, which this secret is long enough for"))
                        .unwrap_or_default();
                    Err(Error::key(format!(
                        "The secret is {} bytes ({} bits), too short for {alg}: it needs at least {} bytes. \
                         Use a longer random secret (for example {} hex digits){weaker}.",
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
            (Material::Asymmetric(_), Family::Hmac(_)) => Err(Error::key(format!(
                "An {} key cannot be used with {alg}: HMAC needs a shared secret, and using a public key as one \
                 would let anyone forge tokens. Use a secret for {alg} or an asymmetric algorithm for this key.",
                self.kty()
            ))),
            (Material::Asymmetric(a), _) => a.check_algorithm(alg),
        }
    }

    /// The public JWK with `kid` (and `use`/`alg` when the key is reserved for them); shared
    /// secrets have none to publish.
    pub fn public_jwk(&self) -> Result<Value> {
        match &self.material {
            Material::Secret(_) => Err(Error::key(
                "A shared secret has no public key to publish: anyone holding it could forge tokens. \
                 Sign with an RSA, EC or Ed25519 key to publish verification keys.",
            )),
            Material::Asymmetric(a) => {
                let mut jwk = Map::new();
                for (name, value) in a.public_jwk_members()? {
                    jwk.insert(name.into(), value.into());
                }
                jwk.insert("kid".into(), self.key_id().into());
                // `use` only when the key is reserved for one purpose (X25519 keys only encrypt);
                // a signer's JWKS entry gets "sig" from PinnedKey::public_jwk.
                let usage = match (self.purpose, a.kind()) {
                    (Purpose::Encryption, _) | (_, Kind::X25519) => Some("enc"),
                    (Purpose::Signing, _) => Some("sig"),
                    (Purpose::Any, _) => None,
                };
                if let Some(usage) = usage {
                    jwk.insert("use".into(), usage.into());
                }
                if let Some(alg) = self.alg {
                    jwk.insert("alg".into(), alg.name().into());
                }
                if let Some(km) = self.key_management {
                    let name = self.content_encryption.filter(|_| km == KeyManagement::Direct).map_or(km.name(), |enc| enc.name());
                    jwk.insert("alg".into(), name.into());
                }
                Ok(Value::Object(jwk))
            }
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
