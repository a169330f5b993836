//! Key management (RFC 7518 §4): how the content encryption key (CEK) is produced and carried
//! for each `alg`. The key was checked against the algorithm when the encrypter or decrypter was
//! made (`selection`), so a mismatch here is an internal error, not a user's.

use super::content::{self, random, random_key, Sealed};
use super::ecdh::{self, KdfInput};
use super::{aes_kw, pbes2, rsa};
use crate::algorithms::jwe::{ContentEncryption, KeyManagement};
use crate::b64;
use crate::error::{Error, Result};
use crate::keys::{Asymmetric, Key, Material};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

type Cek = Zeroizing<Vec<u8>>;

/// The header members a token's algorithm needs, read and checked before any key work.
pub(super) enum Params {
    None,
    GcmKw { iv: Vec<u8>, tag: Vec<u8> },
    Ecdh { epk: Key, kdf: KdfInput },
    Pbes2 { salt: Vec<u8>, count: u32 },
}

/// Encryption: the CEK and the encrypted key; adds the members the recipient needs to `header`.
pub(super) fn encrypt_cek(alg: KeyManagement, enc: ContentEncryption, key: &Key, header: &mut Map<String, Value>) -> Result<(Cek, Vec<u8>)> {
    match alg {
        KeyManagement::Direct => Ok((Zeroizing::new(secret(key)?.to_vec()), Vec::new())),
        KeyManagement::AesKw(_) => wrap_new_cek(secret(key)?, enc),
        KeyManagement::AesGcmKw(size) => {
            let cek = random_key(enc.key_len())?;
            let sealed = content::encrypt(ContentEncryption::Gcm(size), secret(key)?, b"", &cek)?;
            header.insert("iv".into(), b64::encode(&sealed.iv).into());
            header.insert("tag".into(), b64::encode(&sealed.tag).into());
            Ok((cek, sealed.ciphertext))
        }
        KeyManagement::RsaOaep(hash) => encrypt_to_rsa(Some(hash), key, enc),
        KeyManagement::Rsa1_5 => encrypt_to_rsa(None, key, enc),
        KeyManagement::EcdhEs(wrap) => {
            let kdf = kdf_input(alg, enc, header).map_err(Error::argument)?;
            let (epk, agreed) = ecdh::agree_as_sender(asymmetric(key)?, &kdf)?;
            header.insert("epk".into(), epk);
            match wrap {
                None => Ok((agreed, Vec::new())),
                Some(_) => wrap_new_cek(&agreed, enc),
            }
        }
        KeyManagement::Pbes2(size) => {
            let salt = random(pbes2::SALT_LEN)?;
            let kek = pbes2::derive_kek(alg, size, secret(key)?, &salt, pbes2::DEFAULT_ITERATIONS)?;
            header.insert("p2s".into(), b64::encode(&salt).into());
            header.insert("p2c".into(), pbes2::DEFAULT_ITERATIONS.into());
            wrap_new_cek(&kek, enc)
        }
    }
}

/// Decryption, first step: the algorithm's header members; a message says what is wrong.
pub(super) fn read_params(
    alg: KeyManagement,
    enc: ContentEncryption,
    key: &Key,
    header: &Map<String, Value>,
    max_pbes2_count: u32,
) -> std::result::Result<Params, String> {
    use super::header::required_b64_member;
    Ok(match alg {
        KeyManagement::AesGcmKw(_) => Params::GcmKw {
            iv: required_b64_member(header, "iv", "the key-wrap initialization vector")?,
            tag: required_b64_member(header, "tag", "the key-wrap authentication tag")?,
        },
        KeyManagement::EcdhEs(_) => Params::Ecdh { epk: ecdh::read_epk(header, key)?, kdf: kdf_input(alg, enc, header)? },
        KeyManagement::Pbes2(_) => {
            let (salt, count) = pbes2::read_params(header, max_pbes2_count)?;
            Params::Pbes2 { salt, count }
        }
        KeyManagement::Direct | KeyManagement::AesKw(_) | KeyManagement::RsaOaep(_) | KeyManagement::Rsa1_5 => Params::None,
    })
}

/// Decryption, second step: the CEK, or `None` whichever way it fails, so that failures cannot
/// be told apart.
pub(super) fn decrypt_cek(alg: KeyManagement, enc: ContentEncryption, key: &Key, params: &Params, encrypted_key: &[u8]) -> Option<Cek> {
    let cek_len = enc.key_len();
    match (alg, params) {
        (KeyManagement::Direct, _) => Some(Zeroizing::new(secret(key).ok()?.to_vec())),
        (KeyManagement::AesKw(_), _) => aes_kw::unwrap(secret(key).ok()?, encrypted_key, cek_len),
        (KeyManagement::AesGcmKw(size), Params::GcmKw { iv, tag }) => {
            let sealed = Sealed { iv: iv.clone(), ciphertext: encrypted_key.to_vec(), tag: tag.clone() };
            let cek = Zeroizing::new(content::decrypt(ContentEncryption::Gcm(size), secret(key).ok()?, b"", &sealed)?);
            (cek.len() == cek_len).then_some(cek)
        }
        (KeyManagement::RsaOaep(hash), _) => rsa::decrypt_oaep(hash, private_rsa(key)?, encrypted_key, cek_len),
        (KeyManagement::Rsa1_5, _) => rsa::decrypt_pkcs1_or_random(private_rsa(key)?, encrypted_key, cek_len).ok(),
        (KeyManagement::EcdhEs(wrap), Params::Ecdh { epk, kdf }) => {
            let agreed = ecdh::agree_as_recipient(asymmetric(key).ok()?, asymmetric(epk).ok()?, kdf)?;
            match wrap {
                None => Some(agreed),
                Some(_) => aes_kw::unwrap(&agreed, encrypted_key, cek_len),
            }
        }
        (KeyManagement::Pbes2(size), Params::Pbes2 { salt, count }) => {
            let kek = pbes2::derive_kek(alg, size, secret(key).ok()?, salt, *count).ok()?;
            aes_kw::unwrap(&kek, encrypted_key, cek_len)
        }
        _ => None,
    }
}

fn wrap_new_cek(kek: &[u8], enc: ContentEncryption) -> Result<(Cek, Vec<u8>)> {
    let cek = random_key(enc.key_len())?;
    let wrapped = aes_kw::wrap(kek, &cek)?;
    Ok((cek, wrapped))
}

fn encrypt_to_rsa(scheme: rsa::Scheme, key: &Key, enc: ContentEncryption) -> Result<(Cek, Vec<u8>)> {
    let cek = random_key(enc.key_len())?;
    let encrypted = rsa::encrypt(scheme, asymmetric(key)?.public_key(), &cek)?;
    Ok((cek, encrypted))
}

/// The Concat KDF target: the content key itself (`enc`) or the key-wrap key (`alg`).
fn kdf_input(alg: KeyManagement, enc: ContentEncryption, header: &Map<String, Value>) -> std::result::Result<KdfInput, String> {
    match alg {
        KeyManagement::EcdhEs(Some(size)) => KdfInput::new(alg.name(), size.key_len(), header),
        _ => KdfInput::new(enc.name(), enc.key_len(), header),
    }
}

fn secret(key: &Key) -> Result<&[u8]> {
    match key.material() {
        Material::Secret(secret) => Ok(secret),
        Material::Asymmetric(_) => Err(Error::key("This algorithm needs a shared secret.")),
    }
}

fn asymmetric(key: &Key) -> Result<&Asymmetric> {
    match key.material() {
        Material::Asymmetric(a) => Ok(a),
        Material::Secret(_) => Err(Error::key("This algorithm needs an asymmetric key.")),
    }
}

fn private_rsa(key: &Key) -> Option<&openssl::pkey::PKeyRef<openssl::pkey::Private>> {
    asymmetric(key).ok()?.private_key().map(|k| &**k)
}
