//! RSA signatures of JWS: RSASSA-PKCS1-v1_5 (RS256/384/512, RFC 7518 §3.3) and RSASSA-PSS with
//! MGF1 of the same hash and a salt as long as the hash (PS256/384/512, RFC 7518 §3.5).
//!
//! Verifying is the operation a server repeats, so it avoids what OpenSSL 3.0's one-shot
//! `EVP_DigestVerify` redoes on every call (a digest and a key context allocated, the signature
//! and digest algorithms fetched, each padding setting translated into provider parameters),
//! which costs a quarter to a third of the RSA public operation itself. The input is hashed with
//! `sha2`, then:
//! - PKCS#1 v1.5: the RSA public operation with OpenSSL's own type-1 padding check
//!   (`RSA_public_decrypt`, as `RSA_verify` does it), and the recovered DigestInfo compared with
//!   the one expected (RFC 8017 §8.2.2: encode and compare, never parse);
//! - PSS: `EVP_PKEY_verify` on a context prepared once. The openssl crate Debian ships cannot set
//!   a signature digest or salt length on a key context, so the public key is imported once more
//!   as an RSASSA-PSS key whose parameters (RFC 4055 §3.1) fix the hash, the MGF1 hash and the
//!   salt length: OpenSSL then checks the salt length exactly (RFC 8017 §9.1.2 with sLen = hLen).
//!
//! Signing keeps the EVP path: the private operation costs twenty times the set-up.

use crate::algorithms::jws::Sha;
use crate::error::Result;
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, PKeyRef, Private, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::{Padding, Rsa};
use openssl::sign::{RsaPssSaltlen, Signer};
use sha2::Digest;
use std::sync::{Mutex, OnceLock};

/// Which RSA signature scheme, with its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Pkcs1(Sha),
    Pss(Sha),
}

pub fn sign(private: &PKeyRef<Private>, scheme: Scheme, input: &[u8]) -> Result<Vec<u8>> {
    let (Scheme::Pkcs1(sha) | Scheme::Pss(sha)) = scheme;
    let mut signer = Signer::new(message_digest(sha), private)?;
    if let Scheme::Pss(_) = scheme {
        // MGF1 uses the signature's hash unless told otherwise, as RFC 7518 §3.5 wants.
        signer.set_rsa_padding(Padding::PKCS1_PSS)?;
        signer.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)?;
    }
    Ok(signer.sign_oneshot_to_vec(input)?)
}

/// The verifying half of an RSA key, prepared for repeated verifications from any thread.
pub struct RsaVerifier {
    /// The low-level RSA object, on which OpenSSL caches the Montgomery form of the modulus.
    rsa: Rsa<Public>,
    /// Per hash (SHA-256, -384, -512), the key as RSASSA-PSS with idle verification contexts,
    /// made on first use.
    pss: [OnceLock<PssVerifier>; 3],
}

impl RsaVerifier {
    pub fn new(public: &PKeyRef<Public>) -> Result<RsaVerifier> {
        Ok(RsaVerifier { rsa: public.rsa()?, pss: Default::default() })
    }

    /// Whether `signature` signs `input` under `scheme`. The caller has checked that the signature
    /// is exactly as long as the modulus (RFC 8017 §8.1.2 and §8.2.2, step 1).
    pub fn verify(&self, scheme: Scheme, input: &[u8], signature: &[u8]) -> Result<bool> {
        match scheme {
            Scheme::Pkcs1(sha) => self.verify_pkcs1(sha, input, signature),
            Scheme::Pss(sha) => {
                let slot = &self.pss[match sha {
                    Sha::Sha256 => 0,
                    Sha::Sha384 => 1,
                    Sha::Sha512 => 2,
                }];
                let pss = match slot.get() {
                    Some(pss) => pss,
                    None => {
                        let made = PssVerifier::new(&self.rsa, sha)?;
                        // Another thread may have won the race; either key will do.
                        slot.get_or_init(|| made)
                    }
                };
                with_hash(sha, input, |hash| pss.verify(hash, signature))
            }
        }
    }

    fn verify_pkcs1(&self, sha: Sha, input: &[u8], signature: &[u8]) -> Result<bool> {
        let mut recovered = vec![0; self.rsa.size() as usize];
        // Fails on a signature at or above the modulus and on a padding that is not type 1.
        let Ok(len) = self.rsa.public_decrypt(signature, &mut recovered, Padding::PKCS1) else {
            return Ok(false);
        };
        let prefix = digest_info_prefix(sha);
        let recovered = &recovered[..len];
        // Everything compared is public; the length check makes the slices comparable.
        Ok(with_hash(sha, input, |hash| {
            recovered.len() == prefix.len() + hash.len() && recovered.starts_with(prefix) && openssl::memcmp::eq(&recovered[prefix.len()..], hash)
        }))
    }
}

/// Calls `f` with the hash of the signing input.
fn with_hash<R>(sha: Sha, input: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    match sha {
        Sha::Sha256 => f(&sha2::Sha256::digest(input)),
        Sha::Sha384 => f(&sha2::Sha384::digest(input)),
        Sha::Sha512 => f(&sha2::Sha512::digest(input)),
    }
}

fn message_digest(sha: Sha) -> MessageDigest {
    match sha {
        Sha::Sha256 => MessageDigest::sha256(),
        Sha::Sha384 => MessageDigest::sha384(),
        Sha::Sha512 => MessageDigest::sha512(),
    }
}

/// The DER of DigestInfo up to the hash value (RFC 8017 §9.2, note 1: AlgorithmIdentifier with
/// NULL parameters, then the OCTET STRING header).
fn digest_info_prefix(sha: Sha) -> &'static [u8] {
    match sha {
        Sha::Sha256 => &[0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20],
        Sha::Sha384 => &[0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30],
        Sha::Sha512 => &[0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40],
    }
}

/// Contexts a verifier keeps for reuse; more threads than this verifying with one key at once
/// make (and drop) their own.
const IDLE_CONTEXTS: usize = 16;

/// An RSASSA-PSS key restricted to one hash and verification contexts initialised with it.
struct PssVerifier {
    key: PKey<Public>,
    idle: Mutex<Vec<PkeyCtx<Public>>>,
}

impl PssVerifier {
    fn new(rsa: &Rsa<Public>, sha: Sha) -> Result<PssVerifier> {
        let key = PKey::public_key_from_der(&pss_public_key_info(&rsa.public_key_to_der_pkcs1()?, sha))?;
        let first = Self::context(&key)?;
        Ok(PssVerifier { key, idle: Mutex::new(vec![first]) })
    }

    fn context(key: &PKey<Public>) -> Result<PkeyCtx<Public>> {
        let mut ctx = PkeyCtx::new(key)?;
        ctx.verify_init()?;
        Ok(ctx)
    }

    fn verify(&self, hash: &[u8], signature: &[u8]) -> Result<bool> {
        // A panic elsewhere cannot leave the list of idle contexts half-changed.
        let idle = || self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let taken = idle().pop();
        let mut ctx = match taken {
            Some(ctx) => ctx,
            None => Self::context(&self.key)?,
        };
        // EVP_PKEY_verify may be repeated on one context with the same parameters.
        let verified = ctx.verify(hash, signature).unwrap_or(false);
        if !verified {
            // A refused signature leaves OpenSSL's reasons queued on this thread: drop them.
            drop(ErrorStack::get());
        }
        let mut idle = idle();
        if idle.len() < IDLE_CONTEXTS {
            idle.push(ctx);
        }
        Ok(verified)
    }
}

/// SubjectPublicKeyInfo of an RSASSA-PSS key (RFC 4055 §1.2 and §3.1) whose parameters name
/// `sha` for the hash and for MGF1 and a salt as long as its output.
fn pss_public_key_info(rsa_public_key: &[u8], sha: Sha) -> Vec<u8> {
    const ID_RSASSA_PSS: [u8; 11] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
    const ID_MGF1: [u8; 11] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];
    // The hash's AlgorithmIdentifier: the DigestInfo prefix without its outer SEQUENCE and hash header.
    let hash_algorithm = &digest_info_prefix(sha)[2..17];
    let params = der(
        0x30,
        &[
            der(0xa0, hash_algorithm),
            der(0xa1, &der(0x30, &[&ID_MGF1[..], hash_algorithm].concat())),
            der(0xa2, &der(0x02, &[sha.output_len() as u8])),
        ]
        .concat(),
    );
    let algorithm = der(0x30, &[&ID_RSASSA_PSS[..], &params].concat());
    let key_bits = der(0x03, &[&[0u8][..], rsa_public_key].concat());
    der(0x30, &[algorithm, key_bits].concat())
}

/// One DER element: tag, definite length, content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len().to_be_bytes();
    let significant = &len[len.iter().take_while(|b| **b == 0).count()..];
    let mut out = vec![tag];
    match significant {
        [] => out.push(0),
        [short] if *short < 0x80 => out.push(*short),
        long => {
            out.push(0x80 | long.len() as u8);
            out.extend_from_slice(long);
        }
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_use_the_shortest_form() {
        assert_eq!(der(0x04, &[]), [0x04, 0x00]);
        assert_eq!(der(0x04, &[7; 0x7f])[..2], [0x04, 0x7f]);
        assert_eq!(der(0x04, &[7; 0x80])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(der(0x04, &[7; 0x10f])[..4], [0x04, 0x82, 0x01, 0x0f]);
    }

    fn pss_signature(private: &PKey<Private>, sha: Sha, salt: RsaPssSaltlen, input: &[u8]) -> Vec<u8> {
        let mut signer = Signer::new(message_digest(sha), private).unwrap();
        signer.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
        signer.set_rsa_pss_saltlen(salt).unwrap();
        signer.sign_oneshot_to_vec(input).unwrap()
    }

    #[test]
    fn pss_salts_must_be_exactly_as_long_as_the_hash() {
        let private = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let verifier = RsaVerifier::new(&PKey::public_key_from_der(&private.public_key_to_der().unwrap()).unwrap()).unwrap();
        let input = b"header.payload";
        for sha in [Sha::Sha256, Sha::Sha384, Sha::Sha512] {
            let len = sha.output_len() as i32;
            let good = pss_signature(&private, sha, RsaPssSaltlen::custom(len), input);
            // Twice: the second call reuses the context the first one left.
            for _ in 0..2 {
                assert!(verifier.verify(Scheme::Pss(sha), input, &good).unwrap(), "{sha:?}");
            }
            for salt in [0, 20, len - 1, len + 1, 2 * len] {
                let other = pss_signature(&private, sha, RsaPssSaltlen::custom(salt), input);
                assert!(!verifier.verify(Scheme::Pss(sha), input, &other).unwrap(), "{sha:?} with a {salt}-byte salt");
            }
            assert!(!verifier.verify(Scheme::Pss(sha), b"header.payloaD", &good).unwrap(), "{sha:?} other input");
            assert!(verifier.verify(Scheme::Pss(sha), input, &good).unwrap(), "{sha:?} after refusals");
        }
        // A signature made with one hash does not verify under another.
        let sha256 = pss_signature(&private, Sha::Sha256, RsaPssSaltlen::custom(32), input);
        assert!(!verifier.verify(Scheme::Pss(Sha::Sha384), input, &sha256).unwrap());
        assert!(openssl::error::ErrorStack::get().errors().is_empty(), "no OpenSSL error left queued");
    }
}
