//! RSA key encryption of the CEK: RSAES-OAEP (SHA-1/256/384/512 for both OAEP and MGF1) and
//! RSAES-PKCS1-v1_5.

use super::algorithms::OaepHash;
use super::content::random_key;
use crate::error::Result;
use openssl::md::{Md, MdRef};
use openssl::pkey::{HasPublic, PKeyRef, Private, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::Padding;
use subtle::{Choice, ConditionallySelectable};
use zeroize::Zeroizing;

/// Which RSA encryption scheme; `None` is PKCS#1 v1.5.
pub(super) type Scheme = Option<OaepHash>;

pub(super) fn encrypt(scheme: Scheme, public: &PKeyRef<Public>, cek: &[u8]) -> Result<Vec<u8>> {
    let mut ctx = PkeyCtx::new(public)?;
    ctx.encrypt_init()?;
    configure(&mut ctx, scheme)?;
    let mut out = Vec::new();
    ctx.encrypt_to_vec(cek, &mut out)?;
    Ok(out)
}

/// RSAES-OAEP decryption of a `cek_len`-byte key; `None` on any failure.
pub(super) fn decrypt_oaep(hash: OaepHash, private: &PKeyRef<Private>, encrypted: &[u8], cek_len: usize) -> Option<Zeroizing<Vec<u8>>> {
    let cek = raw_decrypt(Some(hash), private, encrypted).ok()?;
    (cek.len() == cek_len).then_some(cek)
}

/// RSAES-PKCS1-v1_5 decryption that never fails (RFC 7516 §11.5): on a padding error or a wrong
/// length it returns a random key, so the token then fails its tag check like any other forgery
/// and a Bleichenbacher attacker learns nothing from the outcome.
pub(super) fn decrypt_pkcs1_or_random(private: &PKeyRef<Private>, encrypted: &[u8], cek_len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut cek = random_key(cek_len)?;
    let decrypted = raw_decrypt(None, private, encrypted).unwrap_or_default();
    let valid = Choice::from(u8::from(decrypted.len() == cek_len));
    for (i, byte) in cek.iter_mut().enumerate() {
        let candidate = decrypted.get(i).copied().unwrap_or(0);
        byte.conditional_assign(&candidate, valid);
    }
    Ok(cek)
}

fn raw_decrypt(scheme: Scheme, private: &PKeyRef<Private>, encrypted: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let mut ctx = PkeyCtx::new(private)?;
    ctx.decrypt_init()?;
    configure(&mut ctx, scheme)?;
    let mut out = Zeroizing::new(Vec::new());
    ctx.decrypt_to_vec(encrypted, &mut out)?;
    Ok(out)
}

fn configure<T: HasPublic>(ctx: &mut PkeyCtx<T>, scheme: Scheme) -> Result<()> {
    match scheme {
        None => ctx.set_rsa_padding(Padding::PKCS1)?,
        Some(hash) => {
            let md = digest(hash);
            ctx.set_rsa_padding(Padding::PKCS1_OAEP)?;
            ctx.set_rsa_oaep_md(md)?;
            ctx.set_rsa_mgf1_md(md)?;
        }
    }
    Ok(())
}

fn digest(hash: OaepHash) -> &'static MdRef {
    match hash {
        OaepHash::Sha1 => Md::sha1(),
        OaepHash::Sha256 => Md::sha256(),
        OaepHash::Sha384 => Md::sha384(),
        OaepHash::Sha512 => Md::sha512(),
    }
}
