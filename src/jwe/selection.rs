//! Which JWE algorithms a key can serve: the defaults a key implies and the checks made when an
//! encrypter or decrypter is created, so that a bad key fails early with a fix, not per token.

use crate::algorithms::jwe::{AesSize, ContentEncryption, KeyManagement, OaepHash, CONTENT_ENCRYPTION, KEY_MANAGEMENT};
use crate::error::{Error, Result};
use crate::keys::{Key, Kind, Material, Operation, Purpose};

/// Decryption needs the private part of an asymmetric key; encryption only the public one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Encrypt,
    Decrypt,
}

/// Resolves requested names (None, empty or `Auto` = the key's default) and checks the key.
pub(super) fn resolve(key: &Key, alg: Option<&str>, enc: Option<&str>, direction: Direction) -> Result<(KeyManagement, ContentEncryption)> {
    if key.purpose() == Purpose::Signing {
        return Err(Error::key(
            "The key is marked for signatures (its JWK \"use\" is \"sig\", its \"key_ops\" are sign/verify or its \"alg\" a signing algorithm), so it cannot encrypt or decrypt. Use an encryption key.",
        ));
    }
    let alg = match requested(alg) {
        Some(name) => KeyManagement::parse(name)?,
        None => default_key_management(key)?,
    };
    if let Some(pinned) = key.key_management().filter(|pinned| *pinned != alg) {
        return Err(Error::key(format!("The JWK is restricted to {} by its \"alg\" member and cannot be used with {}.", pinned.name(), alg.name())));
    }
    let enc = match requested(enc) {
        Some(name) => ContentEncryption::parse(name)?,
        None => default_content_encryption(key, alg)?,
    };
    if let Some(pinned) = key.content_encryption().filter(|pinned| *pinned != enc) {
        return Err(Error::key(format!(
            "The JWK is restricted to direct encryption with {pinned} by its \"alg\" member and cannot be used with {enc}."
        )));
    }
    check(key, alg, enc, direction)?;
    Ok((alg, enc))
}

/// Every pair a decrypter accepts: all that fit the key and the names given (None: any), except
/// algorithms that must be named (RSA1_5, PBES2) unless they are.
pub(super) fn matching_pairs(key: &Key, alg: Option<&str>, enc: Option<&str>) -> Result<Vec<(KeyManagement, ContentEncryption)>> {
    let wanted_alg = requested(alg).map(KeyManagement::parse).transpose()?.or(key.key_management());
    let wanted_enc = requested(enc).map(ContentEncryption::parse).transpose()?.or(key.content_encryption());
    let pairs: Vec<_> = KEY_MANAGEMENT
        .into_iter()
        .filter(|a| wanted_alg.map_or(!a.must_be_named(), |w| w == *a))
        .flat_map(|a| CONTENT_ENCRYPTION.into_iter().map(move |e| (a, e)))
        .filter(|(_, e)| wanted_enc.map_or(true, |w| w == *e))
        .filter(|(a, e)| check(key, *a, *e, Direction::Decrypt).is_ok())
        .collect();
    if pairs.is_empty() {
        // The checks of the requested (or default) pair say why the key serves nothing.
        resolve(key, alg, enc, Direction::Decrypt).map_err(|e| match key.material() {
            Material::Secret(_) if wanted_alg.is_none() => {
                Error::new(e.kind, format!("{} If the secret is a password, name a PBES2 algorithm (for example PBES2-HS256+A128KW).", e.message))
            }
            _ => e,
        })?;
        return Err(Error::key("The key fits none of the requested encryption algorithms."));
    }
    Ok(pairs)
}

fn requested(name: Option<&str>) -> Option<&str> {
    name.map(str::trim).filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("auto"))
}

fn default_key_management(key: &Key) -> Result<KeyManagement> {
    if let Some(pinned) = key.key_management() {
        return Ok(pinned);
    }
    match key.material() {
        Material::Secret(_) => Ok(KeyManagement::Direct),
        Material::Asymmetric(a) => match a.kind() {
            Kind::Rsa { .. } => Ok(KeyManagement::RsaOaep(OaepHash::Sha1)),
            Kind::Ec(_) | Kind::X25519 => Ok(KeyManagement::EcdhEs(None)),
            Kind::Ed25519 => Err(ed25519_cannot_encrypt()),
        },
    }
}

fn default_content_encryption(key: &Key, alg: KeyManagement) -> Result<ContentEncryption> {
    if let Some(pinned) = key.content_encryption() {
        return Ok(pinned);
    }
    match (alg, key.material()) {
        (KeyManagement::Direct, Material::Secret(secret)) => ContentEncryption::for_secret_len(secret.len()).ok_or_else(|| {
            Error::key(format!(
                "A {}-byte secret fits no content encryption for direct encryption (dir): use 16, 24 or 32 bytes \
                 (A128GCM, A192GCM, A256GCM), 48 bytes (A192CBC-HS384) or 64 bytes (A256CBC-HS512), \
                 or wrap the content key with a key management algorithm such as A256KW.",
                secret.len()
            ))
        }),
        _ => Ok(ContentEncryption::Gcm(AesSize::A256)),
    }
}

/// The `key_ops` values (RFC 7517 §4.3, as Web Crypto names them) that allow `alg` this way.
fn operations(alg: KeyManagement, direction: Direction) -> &'static [Operation] {
    match (alg, direction) {
        (KeyManagement::Direct, Direction::Encrypt) => &[Operation::Encrypt],
        (KeyManagement::Direct, Direction::Decrypt) => &[Operation::Decrypt],
        (KeyManagement::EcdhEs(_), _) => &[Operation::DeriveKey, Operation::DeriveBits],
        (_, Direction::Encrypt) => &[Operation::WrapKey, Operation::Encrypt],
        (_, Direction::Decrypt) => &[Operation::UnwrapKey, Operation::Decrypt],
    }
}

/// Why `key` cannot serve `alg` with `enc` in this direction, if it cannot.
fn check(key: &Key, alg: KeyManagement, enc: ContentEncryption, direction: Direction) -> Result<()> {
    let doing = if direction == Direction::Encrypt { "encrypting" } else { "decrypting" };
    key.require_operation(operations(alg, direction), &format!("{doing} with {alg}"))?;
    match alg {
        KeyManagement::Direct => {
            let len = secret_len(key, alg)?;
            if len != enc.key_len() {
                let instead = ContentEncryption::for_secret_len(len).map(|fit| format!("choose {fit} for this secret, ")).unwrap_or_default();
                return Err(Error::key(format!(
                    "Direct encryption (dir) uses the secret itself as the {enc} key, which must be {} bytes; \
                     this secret has {len} bytes. Use a {}-byte secret, {instead}or wrap the content key with \
                     a key management algorithm such as A256KW.",
                    enc.key_len(),
                    enc.key_len()
                )));
            }
            Ok(())
        }
        KeyManagement::AesKw(size) | KeyManagement::AesGcmKw(size) => {
            let len = secret_len(key, alg)?;
            if len != size.key_len() {
                let family = if matches!(alg, KeyManagement::AesKw(_)) { "KW" } else { "GCMKW" };
                let instead = [AesSize::A128, AesSize::A192, AesSize::A256]
                    .into_iter()
                    .find(|s| s.key_len() == len)
                    .map(|s| format!("A{}{family} for this secret or ", s.key_len() * 8))
                    .unwrap_or_default();
                return Err(Error::key(format!(
                    "{alg} needs a {}-byte ({}-bit) key-encryption key; this secret has {len} bytes. Use {instead}a {}-byte secret.",
                    size.key_len(),
                    size.key_len() * 8,
                    size.key_len()
                )));
            }
            Ok(())
        }
        KeyManagement::Pbes2(_) => secret_len(key, alg).map(drop),
        KeyManagement::RsaOaep(_) | KeyManagement::Rsa1_5 => match key.material() {
            Material::Asymmetric(a) if matches!(a.kind(), Kind::Rsa { .. }) => needs_private(key, alg, direction),
            _ => Err(Error::key(format!(
                "{alg} encrypts to an RSA key; {} cannot be used with it. Supply an RSA key (2048 bits or more), \
                 or choose {}.",
                describe(key),
                suggestion(key)
            ))),
        },
        KeyManagement::EcdhEs(_) => match key.material() {
            Material::Asymmetric(a) if matches!(a.kind(), Kind::Ec(_) | Kind::X25519) => needs_private(key, alg, direction),
            Material::Asymmetric(a) if a.kind() == Kind::Ed25519 => Err(ed25519_cannot_encrypt()),
            _ => Err(Error::key(format!(
                "{alg} agrees a key with an EC (P-256, P-384, P-521) or X25519 key; {} cannot be used with it. \
                 Supply such a key, or choose {}.",
                describe(key),
                suggestion(key)
            ))),
        },
    }
}

fn secret_len(key: &Key, alg: KeyManagement) -> Result<usize> {
    match key.material() {
        Material::Secret(secret) => Ok(secret.len()),
        Material::Asymmetric(_) => Err(Error::key(format!(
            "{alg} needs a shared secret; {} cannot be used with it. Supply a secret, or choose {}.",
            describe(key),
            suggestion(key)
        ))),
    }
}

fn needs_private(key: &Key, alg: KeyManagement, direction: Direction) -> Result<()> {
    if direction == Direction::Decrypt && !key.has_private_key() {
        return Err(Error::key(format!(
            "Decrypting {alg} tokens needs a private key, but {} was given without its private part. \
             Supply the private key (a PKCS#8 or SEC1 PEM, or a JWK with \"d\").",
            describe(key)
        )));
    }
    Ok(())
}

pub(super) fn describe(key: &Key) -> String {
    match key.material() {
        Material::Secret(_) => "a shared secret".into(),
        Material::Asymmetric(a) => match a.kind() {
            Kind::Rsa { bits } => format!("a {bits}-bit RSA key"),
            Kind::Ec(curve) => format!("an EC {} key", curve.name()),
            Kind::Ed25519 => "an Ed25519 key".into(),
            Kind::X25519 => "an X25519 key".into(),
        },
    }
}

fn suggestion(key: &Key) -> &'static str {
    match key.material() {
        Material::Secret(_) => "dir, A128KW/A192KW/A256KW or A128GCMKW/A192GCMKW/A256GCMKW for it",
        Material::Asymmetric(a) => match a.kind() {
            Kind::Rsa { .. } => "RSA-OAEP, RSA-OAEP-256, RSA-OAEP-384 or RSA-OAEP-512 for it",
            Kind::Ec(_) | Kind::X25519 => "ECDH-ES or ECDH-ES+A128KW/A192KW/A256KW for it",
            Kind::Ed25519 => "an X25519, EC or RSA key to encrypt",
        },
    }
}

fn ed25519_cannot_encrypt() -> Error {
    Error::key("An Ed25519 key only signs and cannot encrypt. Encrypt to an X25519, EC (P-256/384/521) or RSA key, or use a shared secret.")
}
