//! JWE compact serialization (RFC 7516) with the algorithms of RFC 7518 and X25519 (RFC 8037).
//!
//! An [`Encrypter`] or a [`Decrypter`] pins a key to its algorithms when it is made, so a bad key
//! or name fails once, early, with a message saying how to fix it; the algorithm of a token is
//! never taken from its header alone. Once a token's header is understood, every decryption
//! failure looks the same, so that the outcome is no oracle for an attacker.

mod aes_kw;
mod concat_kdf;
mod content;
mod ecdh;
mod header;
mod key_management;
mod pbes2;
mod rsa;
mod selection;

/// The bytes of a known-answer vector's hex string, for the tests of the primitives' wrappers.
#[cfg(test)]
fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

pub use crate::algorithms::jwe::{AesSize, ContentEncryption, KeyManagement, OaepHash, CONTENT_ENCRYPTION, KEY_MANAGEMENT};
pub use header::MAX_TOKEN_BYTES;
pub use pbes2::DEFAULT_MAX_COUNT as DEFAULT_MAX_PBES2_COUNT;

use crate::b64;
use crate::error::{quoted, Error, Result};
use crate::keys::Key;
use crate::refusal::{check_critical, Reason, Refusal};
use content::Sealed;
use selection::Direction;
use serde_json::{Map, Value};
use std::sync::Arc;

/// The message of every failure after the header is understood: wrong key, altered token, bad
/// tag or padding alike.
pub const DECRYPTION_FAILED: &str = "The token cannot be decrypted with the configured key.";

/// Encrypts to one key with one pair of algorithms.
#[derive(Clone, Debug)]
pub struct Encrypter {
    key: Arc<Key>,
    alg: KeyManagement,
    enc: ContentEncryption,
}

impl Encrypter {
    /// `alg`/`enc` are names as people type them (case-insensitive, `ECDH-ESA256KW` accepted);
    /// None, empty or `Auto` picks the key's default: `dir` with the encryption the secret's size
    /// fits for secrets, RSA-OAEP + A256GCM for RSA keys, ECDH-ES + A256GCM for EC and X25519.
    pub fn new(key: Arc<Key>, alg: Option<&str>, enc: Option<&str>) -> Result<Encrypter> {
        let (alg, enc) = selection::resolve(&key, alg, enc, Direction::Encrypt)?;
        Ok(Encrypter { key, alg, enc })
    }

    pub fn key(&self) -> &Arc<Key> {
        &self.key
    }

    pub fn key_management(&self) -> &'static str {
        self.alg.name()
    }

    pub fn content_encryption(&self) -> &'static str {
        self.enc.name()
    }

    /// The compact JWE of `plaintext`, as [`Encrypter::encrypt`] makes it.
    pub fn encrypt_compact(&self, extra_header: &Map<String, Value>, plaintext: &[u8]) -> Result<String> {
        Ok(self.encrypt(extra_header, plaintext)?.token)
    }

    /// The protected header is `alg`, `enc`, then the `extra` members in their order (kid, typ,
    /// cty, ...; `apu`/`apv` are honoured by ECDH-ES), then the algorithm's own (epk, iv, tag, p2s,
    /// p2c).
    pub fn encrypt(&self, extra_header: &Map<String, Value>, plaintext: &[u8]) -> Result<Encrypted> {
        let mut header = Map::new();
        header.insert("alg".into(), self.alg.name().into());
        header.insert("enc".into(), self.enc.name().into());
        for (name, value) in extra_header {
            if header::RESERVED.contains(&name.as_str()) {
                return Err(Error::argument(format!("The '{name}' header member is set by KrJwt when encrypting and cannot be given.")));
            }
            header.insert(name.clone(), value.clone());
        }
        let (cek, encrypted_key) = key_management::encrypt_cek(self.alg, self.enc, &self.key, &mut header)?;
        let protected = b64::encode(Value::Object(header.clone()).to_string().as_bytes());
        let sealed = content::encrypt(self.enc, &cek, protected.as_bytes(), plaintext)?;
        let token =
            [protected, b64::encode(&encrypted_key), b64::encode(&sealed.iv), b64::encode(&sealed.ciphertext), b64::encode(&sealed.tag)].join(".");
        if token.len() > MAX_TOKEN_BYTES {
            return Err(Error::argument(format!(
                "The encrypted token would be {} bytes, above the {MAX_TOKEN_BYTES} bytes KrJwt accepts when decrypting. \
                 Put less into the token.",
                token.len()
            )));
        }
        Ok(Encrypted { token, header })
    }
}

/// A compact JWE and the protected header it was written with.
#[derive(Debug)]
pub struct Encrypted {
    pub token: String,
    pub header: Map<String, Value>,
}

/// A decrypted token: its protected header and the plaintext.
#[derive(Debug)]
pub struct Decrypted {
    pub header: Map<String, Value>,
    pub plaintext: Vec<u8>,
}

/// Decrypts with one key, accepting only the algorithm pairs pinned when it was made.
#[derive(Clone, Debug)]
pub struct Decrypter {
    key: Arc<Key>,
    accepted: Vec<(KeyManagement, ContentEncryption)>,
    /// The most PBES2 iterations (`p2c`) a token may demand of this decrypter.
    max_pbes2_count: u32,
}

impl Decrypter {
    /// Accepts exactly the pair `Encrypter::new` resolves for the same arguments; asymmetric keys
    /// must include the private part.
    pub fn new(key: Arc<Key>, alg: Option<&str>, enc: Option<&str>) -> Result<Decrypter> {
        let pair = selection::resolve(&key, alg, enc, Direction::Decrypt)?;
        Ok(Decrypter { key, accepted: vec![pair], max_pbes2_count: pbes2::DEFAULT_MAX_COUNT })
    }

    /// Accepts every pair the key can serve, except RSA1_5 and PBES2, which must be named.
    pub fn for_key(key: Arc<Key>) -> Result<Decrypter> {
        Decrypter::matching(key, None, None)
    }

    /// Accepts every pair the key can serve that matches the names given (None: any); RSA1_5
    /// and PBES2 only when named.
    pub fn matching(key: Arc<Key>, alg: Option<&str>, enc: Option<&str>) -> Result<Decrypter> {
        let accepted = selection::matching_pairs(&key, alg, enc)?;
        Ok(Decrypter { key, accepted, max_pbes2_count: pbes2::DEFAULT_MAX_COUNT })
    }

    /// Raises (or lowers) the PBES2 iteration count accepted from tokens (default
    /// [`DEFAULT_MAX_PBES2_COUNT`]); counts outside what any sender should write are refused.
    pub fn with_max_pbes2_count(mut self, count: u32) -> Result<Decrypter> {
        self.max_pbes2_count = pbes2::checked_max_count(count)?;
        Ok(self)
    }

    pub fn key(&self) -> &Arc<Key> {
        &self.key
    }

    /// The accepted `(alg, enc)` pairs, as header names.
    pub fn accepted(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.accepted.iter().map(|(alg, enc)| (alg.name(), enc.name()))
    }

    /// Refusals carry a stable reason: `TooLarge`, `Malformed` (structure, encoding, header
    /// members), `AlgorithmNotAllowed` (alg/enc outside the pinned pairs, `zip`),
    /// `UnsupportedCritical` (`crit`), and `DecryptionFailed` with [`DECRYPTION_FAILED`] for all
    /// else.
    pub fn decrypt_compact(&self, token: &str) -> std::result::Result<Decrypted, Refusal> {
        decrypt_with_any(std::slice::from_ref(self), token)
    }

    /// Decryption once the token's structure and algorithms are known: the header members this
    /// key needs (`Malformed` when wrong), then the key and the content (`DecryptionFailed`).
    fn open(&self, pair: (KeyManagement, ContentEncryption), token: &Token) -> std::result::Result<Vec<u8>, Refusal> {
        let (alg, enc) = pair;
        let params =
            key_management::read_params(alg, enc, &self.key, &token.header, self.max_pbes2_count).map_err(|m| Refusal::new(Reason::Malformed, m))?;
        key_management::decrypt_cek(alg, enc, &self.key, &params, &token.encrypted_key)
            .and_then(|cek| content::decrypt(enc, &cek, token.protected.as_bytes(), &token.sealed))
            .ok_or_else(|| Refusal::new(Reason::DecryptionFailed, DECRYPTION_FAILED))
    }

    /// "dir with A256GCM or A128CBC-HS256; A256KW with any content encryption"
    fn describe_accepted(&self) -> String {
        let mut groups: Vec<(KeyManagement, Vec<&str>)> = Vec::new();
        for (alg, enc) in &self.accepted {
            match groups.iter_mut().find(|(a, _)| a == alg) {
                Some((_, encs)) => encs.push(enc.name()),
                None => groups.push((*alg, vec![enc.name()])),
            }
        }
        let described: Vec<String> = groups
            .iter()
            .map(|(alg, encs)| match encs.len() {
                n if n == CONTENT_ENCRYPTION.len() => format!("{alg} with any content encryption"),
                _ => format!("{alg} with {}", encs.join(" or ")),
            })
            .collect();
        described.join("; ")
    }
}

/// A compact JWE whose structure and encodings were checked: what every key works on.
struct Token<'t> {
    protected: &'t str,
    header: Map<String, Value>,
    encrypted_key: Vec<u8>,
    sealed: Sealed,
}

/// Decrypts a compact JWE with whichever of `decrypters` opens it. The header is read once;
/// every key that accepts its algorithms is tried, and when none opens the token the refusal is
/// the most telling one: a key that applied and failed (`DecryptionFailed`) over a key whose
/// header members were wrong for it (`Malformed`). Text that is not a JWE is `Malformed`, never
/// "no decryption key".
pub fn decrypt_with_any(decrypters: &[Decrypter], token: &str) -> std::result::Result<Decrypted, Refusal> {
    if token.len() > MAX_TOKEN_BYTES {
        let message = format!("The token is {} bytes; encrypted tokens above {MAX_TOKEN_BYTES} bytes are refused.", token.len());
        return Err(Refusal::new(Reason::TooLarge, message));
    }
    let parts = header::split(token).map_err(|m| Refusal::new(Reason::Malformed, m))?;
    let (header_bytes, header) = header::parse(parts.header).map_err(|m| Refusal::new(Reason::Malformed, m))?;
    let refuse = |refusal: Refusal| refusal.with_header(&header_bytes);
    let malformed = |message: String| refuse(Refusal::new(Reason::Malformed, message));

    let (alg_name, enc_name) = announced_pair(&header).map_err(refuse)?;
    if decrypters.is_empty() {
        return Err(refuse(Refusal::new(Reason::DecryptionFailed, "The token is encrypted (JWE) and no decryption key was given.")));
    }
    let pair = KeyManagement::from_header(alg_name).zip(ContentEncryption::from_header(enc_name));
    let applicable: Vec<&Decrypter> = decrypters.iter().filter(|d| pair.is_some_and(|p| d.accepted.contains(&p))).collect();
    let Some(pair) = pair.filter(|_| !applicable.is_empty()) else {
        return Err(refuse(Refusal::new(Reason::AlgorithmNotAllowed, not_accepted(decrypters, alg_name, enc_name))));
    };
    let encrypted_key = header::segment(parts.encrypted_key, "encrypted key").map_err(malformed)?;
    if !pair.0.has_encrypted_key() && !encrypted_key.is_empty() {
        return Err(malformed(format!("The token uses {}, which has no encrypted key, yet its second part is not empty.", pair.0)));
    }
    let sealed = Sealed {
        iv: header::segment(parts.iv, "initialization vector").map_err(malformed)?,
        ciphertext: header::segment(parts.ciphertext, "ciphertext").map_err(malformed)?,
        tag: header::segment(parts.tag, "authentication tag").map_err(malformed)?,
    };
    let token = Token { protected: parts.header, header, encrypted_key, sealed };
    let mut telling: Option<Refusal> = None;
    for decrypter in applicable {
        match decrypter.open(pair, &token) {
            Ok(plaintext) => return Ok(Decrypted { header: token.header, plaintext }),
            Err(failure) => {
                let more_telling = failure.reason == Reason::DecryptionFailed;
                if telling.as_ref().map_or(true, |kept| kept.reason != Reason::DecryptionFailed && more_telling) {
                    telling = Some(failure);
                }
            }
        }
    }
    Err(refuse(telling.expect("at least one key applied")))
}

/// The token's `alg` and `enc` names; refuses `zip` and `crit` first, the same for every key.
fn announced_pair(header: &Map<String, Value>) -> std::result::Result<(&str, &str), Refusal> {
    if let Some(zip) = header.get("zip") {
        return Err(Refusal::new(
            Reason::AlgorithmNotAllowed,
            format!(
                "The token is compressed (zip {}). KrJwt refuses compressed encrypted tokens: decompression \
                 can be abused (decompression bombs) and compression leaks the plaintext's content through its length. \
                 Ask the issuer to encrypt without 'zip'.",
                quoted(zip.as_str().unwrap_or("?"))
            ),
        ));
    }
    check_critical(header.contains_key("crit"))?;
    let alg_name = header::string_member(header, "alg").map_err(|m| Refusal::new(Reason::Malformed, m))?;
    let enc_name = header::string_member(header, "enc").map_err(|m| Refusal::new(Reason::Malformed, m))?;
    Ok((alg_name, enc_name))
}

/// Why no key accepts the token's algorithms, with what each key does accept.
fn not_accepted(decrypters: &[Decrypter], alg_name: &str, enc_name: &str) -> String {
    let token = format!("The token is encrypted with alg {} and enc {}", quoted(alg_name), quoted(enc_name));
    match decrypters {
        [one] => format!("{token}, which the configured key does not accept; it accepts {}.", one.describe_accepted()),
        many => {
            let each: Vec<String> = many.iter().enumerate().map(|(i, d)| format!("key {}: {}", i + 1, d.describe_accepted())).collect();
            format!("{token}, which none of the {} decryption keys accepts ({}).", many.len(), each.join("; "))
        }
    }
}
