//! Content encryption (RFC 7518 §5): AES-GCM, and AES_CBC_HMAC_SHA2 composed from AES-CBC and
//! HMAC (encrypt-then-MAC, tag checked in constant time before anything is decrypted).

use crate::algorithms::jwe::{AesSize, ContentEncryption};
use crate::error::Result;
use hmac::{Hmac, Mac};
use openssl::symm::{self, Cipher};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

const GCM_IV_LEN: usize = 12;
const GCM_TAG_LEN: usize = 16;
const CBC_IV_LEN: usize = 16;

/// The output of authenticated encryption.
pub(super) struct Sealed {
    pub iv: Vec<u8>,
    pub ciphertext: Vec<u8>,
    pub tag: Vec<u8>,
}

/// Encrypts under a fresh random IV; `cek` must be `enc.key_len()` bytes.
pub(super) fn encrypt(enc: ContentEncryption, cek: &[u8], aad: &[u8], plaintext: &[u8]) -> Result<Sealed> {
    match enc {
        ContentEncryption::Gcm(size) => {
            let iv = random(GCM_IV_LEN)?;
            let mut tag = vec![0; GCM_TAG_LEN];
            let ciphertext = symm::encrypt_aead(gcm(size), cek, Some(&iv), aad, plaintext, &mut tag)?;
            Ok(Sealed { iv, ciphertext, tag })
        }
        ContentEncryption::CbcHmac(size) => {
            let (mac_key, aes_key) = cek.split_at(size.key_len());
            let iv = random(CBC_IV_LEN)?;
            let ciphertext = symm::encrypt(cbc(size), aes_key, Some(&iv), plaintext)?;
            let tag = cbc_tag(size, mac_key, aad, &iv, &ciphertext);
            Ok(Sealed { iv, ciphertext, tag })
        }
    }
}

/// Decrypts and authenticates; `None` for any failure, so that callers cannot tell which check
/// failed. IV and tag lengths are enforced exactly (a truncated tag is a forgery attempt).
pub(super) fn decrypt(enc: ContentEncryption, cek: &[u8], aad: &[u8], sealed: &Sealed) -> Option<Vec<u8>> {
    if cek.len() != enc.key_len() {
        return None;
    }
    match enc {
        ContentEncryption::Gcm(size) => {
            if sealed.iv.len() != GCM_IV_LEN || sealed.tag.len() != GCM_TAG_LEN {
                return None;
            }
            symm::decrypt_aead(gcm(size), cek, Some(&sealed.iv), aad, &sealed.ciphertext, &sealed.tag).ok()
        }
        ContentEncryption::CbcHmac(size) => {
            let (mac_key, aes_key) = cek.split_at(size.key_len());
            if sealed.iv.len() != CBC_IV_LEN || sealed.tag.len() != size.key_len() {
                return None;
            }
            let expected = cbc_tag(size, mac_key, aad, &sealed.iv, &sealed.ciphertext);
            if !bool::from(expected.ct_eq(&sealed.tag)) {
                return None;
            }
            symm::decrypt(cbc(size), aes_key, Some(&sealed.iv), &sealed.ciphertext).ok()
        }
    }
}

/// `n` bytes from OpenSSL's CSPRNG (IVs, salts).
pub(super) fn random(n: usize) -> Result<Vec<u8>> {
    let mut bytes = vec![0; n];
    openssl::rand::rand_bytes(&mut bytes)?;
    Ok(bytes)
}

/// A fresh random key, zeroed when dropped.
pub(super) fn random_key(n: usize) -> Result<Zeroizing<Vec<u8>>> {
    Ok(Zeroizing::new(random(n)?))
}

fn gcm(size: AesSize) -> Cipher {
    match size {
        AesSize::A128 => Cipher::aes_128_gcm(),
        AesSize::A192 => Cipher::aes_192_gcm(),
        AesSize::A256 => Cipher::aes_256_gcm(),
    }
}

fn cbc(size: AesSize) -> Cipher {
    match size {
        AesSize::A128 => Cipher::aes_128_cbc(),
        AesSize::A192 => Cipher::aes_192_cbc(),
        AesSize::A256 => Cipher::aes_256_cbc(),
    }
}

/// RFC 7518 §5.2.2.1: the first half of HMAC(MAC_KEY, AAD || IV || ciphertext || AL), where AL is
/// the AAD length in bits as a 64-bit big-endian number. The tag is as long as the MAC key.
fn cbc_tag(size: AesSize, mac_key: &[u8], aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Vec<u8> {
    fn tag<M: Mac + hmac::digest::KeyInit>(mac_key: &[u8], parts: [&[u8]; 4], len: usize) -> Vec<u8> {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(mac_key).expect("HMAC takes keys of any length");
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes()[..len].to_vec()
    }
    let al = (aad.len() as u64 * 8).to_be_bytes();
    let parts = [aad, iv, ciphertext, &al[..]];
    match size {
        AesSize::A128 => tag::<Hmac<sha2::Sha256>>(mac_key, parts, size.key_len()),
        AesSize::A192 => tag::<Hmac<sha2::Sha384>>(mac_key, parts, size.key_len()),
        AesSize::A256 => tag::<Hmac<sha2::Sha512>>(mac_key, parts, size.key_len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithms::jwe::CONTENT_ENCRYPTION;
    use crate::jwe::hex;

    /// RFC 7518 Appendix B.1 (AES_128_CBC_HMAC_SHA_256), with its fixed IV.
    #[test]
    fn rfc7518_b1_ciphertext_and_tag() {
        let key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        let plaintext =
            b"A cipher system must not be required to be secret, and it must be able to fall into the hands of the enemy without inconvenience";
        let iv = hex("1af38c2dc2b96ffdd86694092341bc04");
        let aad = b"The second principle of Auguste Kerckhoffs";
        let ciphertext = symm::encrypt(cbc(AesSize::A128), &key[16..], Some(&iv), plaintext).unwrap();
        let expected = "c80edfa32ddf39d5ef00c0b468834279a2e46a1b8049f792f76bfe54b903a9c9a94ac9b47ad2655c5f10f9aef71427e2\
                        fc6f9b3f399a221489f16362c703233609d45ac69864e3321cf82935ac4096c86e133314c54019e8ca7980dfa4b9cf1b\
                        384c486f3a54c51078158ee5d79de59fbd34d848b3d69550a67646344427ade54b8851ffb598f7f80074b9473c82e2db";
        assert_eq!(ciphertext, hex(expected));
        let tag = hex("652c3fa36b0a7c5b3219fab3a30bc1c4");
        assert_eq!(cbc_tag(AesSize::A128, &key[..16], aad, &iv, &ciphertext), tag);
        let sealed = Sealed { iv, ciphertext, tag };
        assert_eq!(decrypt(ContentEncryption::CbcHmac(AesSize::A128), &key, aad, &sealed).unwrap(), plaintext);
    }

    #[test]
    fn every_encryption_round_trips_and_refuses_changes() {
        for enc in CONTENT_ENCRYPTION {
            let cek = random_key(enc.key_len()).unwrap();
            let sealed = encrypt(enc, &cek, b"aad", b"attack at dawn").unwrap();
            assert_eq!(decrypt(enc, &cek, b"aad", &sealed).unwrap(), b"attack at dawn", "{enc}");
            assert!(decrypt(enc, &cek, b"aaD", &sealed).is_none(), "{enc}: AAD is authenticated");
            let truncated = Sealed { tag: sealed.tag[..sealed.tag.len() - 1].to_vec(), ..sealed };
            assert!(decrypt(enc, &cek, b"aad", &truncated).is_none(), "{enc}: truncated tag");
        }
    }
}
