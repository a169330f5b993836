//! RSA key encryption of the CEK: RSAES-OAEP (SHA-1/256/384/512 for both OAEP and MGF1) and
//! RSAES-PKCS1-v1_5.

use super::content::random_key;
use crate::algorithms::jwe::OaepHash;
use crate::error::Result;
use openssl::md::{Md, MdRef};
use openssl::pkey::{HasPublic, PKeyRef, Private, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::Padding;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
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
    let cek = private_decrypt(private, encrypted, |ctx| configure(ctx, Some(hash))).ok()?;
    (cek.len() == cek_len).then_some(cek)
}

/// RSAES-PKCS1-v1_5 decryption that never fails (RFC 7516 §11.5): when the padding is wrong or
/// the key has the wrong length, a random key takes its place, so the token then fails its tag
/// check like any other forgery. OpenSSL 3.0's PKCS#1 v1.5 unpadding returns sooner for some bad
/// paddings than for good ones, so the padding is checked here, on the raw RSA result, in
/// constant time: the same operations run whatever the decrypted block holds, and a Bleichenbacher
/// attacker learns nothing from the outcome or its timing.
pub(super) fn decrypt_pkcs1_or_random(private: &PKeyRef<Private>, encrypted: &[u8], cek_len: usize) -> Result<Zeroizing<Vec<u8>>> {
    let mut cek = random_key(cek_len)?;
    let modulus_len = private.size();
    // The raw RSA operation fails only for a wrong length or a number at or above the modulus:
    // facts about public values, which the attacker knows already.
    let Ok(block) = private_decrypt(private, encrypted, |ctx| Ok(ctx.set_rsa_padding(Padding::NONE)?)) else {
        return Ok(cek);
    };
    if block.len() != modulus_len || modulus_len < cek_len + MIN_PKCS1_PADDING {
        return Ok(cek);
    }
    let valid = holds_pkcs1_v15_key(&block, cek_len);
    for (byte, decrypted) in cek.iter_mut().zip(&block[modulus_len - cek_len..]) {
        byte.conditional_assign(decrypted, valid);
    }
    Ok(cek)
}

/// 0x00 0x02, at least eight padding bytes, the 0x00 separator (RFC 8017 §7.2.2).
const MIN_PKCS1_PADDING: usize = 11;

/// Whether `block` is `0x00 0x02 PS 0x00 M` with PS free of zero bytes and M exactly `len` bytes
/// long, judged in constant time: the separator's place follows from `len`, a public value, so
/// every byte is examined the same way whatever the block holds.
fn holds_pkcs1_v15_key(block: &[u8], len: usize) -> Choice {
    let separator = block.len() - len - 1;
    let mut valid = block[0].ct_eq(&0x00) & block[1].ct_eq(&0x02) & block[separator].ct_eq(&0x00);
    for byte in &block[2..separator] {
        valid &= !byte.ct_eq(&0x00);
    }
    valid
}

fn private_decrypt(
    private: &PKeyRef<Private>,
    encrypted: &[u8],
    configure: impl FnOnce(&mut PkeyCtx<Private>) -> Result<()>,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut ctx = PkeyCtx::new(private)?;
    ctx.decrypt_init()?;
    configure(&mut ctx)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn block(prefix: &[u8], padding: u8, padding_len: usize, key: &[u8]) -> Vec<u8> {
        let mut block = prefix.to_vec();
        block.extend(std::iter::repeat(padding).take(padding_len));
        block.push(0);
        block.extend_from_slice(key);
        block
    }

    #[test]
    fn pkcs1_v15_unpadding_accepts_exactly_the_conformant_blocks() {
        let key = [0x5a; 16];
        let good = block(&[0, 2], 0xff, 237, &key);
        assert_eq!(good.len(), 256);
        assert!(bool::from(holds_pkcs1_v15_key(&good, 16)));
        assert!(!bool::from(holds_pkcs1_v15_key(&good, 32)), "a key of another length");
        assert!(!bool::from(holds_pkcs1_v15_key(&block(&[1, 2], 0xff, 237, &key), 16)), "first byte");
        assert!(!bool::from(holds_pkcs1_v15_key(&block(&[0, 1], 0xff, 237, &key), 16)), "block type 1");
        let mut zero_in_padding = good.clone();
        zero_in_padding[100] = 0;
        assert!(!bool::from(holds_pkcs1_v15_key(&zero_in_padding, 16)), "an early separator");
        let mut no_separator = good;
        no_separator[256 - 17] = 0x01;
        assert!(!bool::from(holds_pkcs1_v15_key(&no_separator, 16)), "no separator");
    }
}
