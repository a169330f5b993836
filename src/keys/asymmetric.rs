//! RSA, EC (P-256/384/521), Ed25519 and X25519 keys held by OpenSSL, which clears private numbers when it
//! frees them. Parsing accepts PEM (PKCS#1, PKCS#8, SEC1, SPKI, certificates), DER and JWK.

use super::degenerate;
use super::rsa_signatures::{self, RsaVerifier, Scheme};
use crate::algorithms::jws::{Algorithm, Family, Sha};
use crate::b64;
use crate::error::{Error, Result};
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey};
use openssl::ecdsa::EcdsaSig;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Private, Public};
use openssl::rsa::{Rsa, RsaPrivateKeyBuilder};
use openssl::sign::{Signer, Verifier};
use openssl::x509::X509;
use serde_json::{Map, Value};
use std::sync::Arc;
use zeroize::Zeroizing;

/// Below this, RSA keys are refused for any use (RFC 7518 §3.3 requires 2048 bits).
pub const MIN_RSA_BITS: u32 = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
    fn nid(self) -> Nid {
        match self {
            Curve::P256 => Nid::X9_62_PRIME256V1,
            Curve::P384 => Nid::SECP384R1,
            Curve::P521 => Nid::SECP521R1,
        }
    }
    /// Bytes of one coordinate or scalar.
    pub fn size(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
    pub fn signing_algorithm(self) -> Algorithm {
        match self {
            Curve::P256 => Algorithm::ES256,
            Curve::P384 => Algorithm::ES384,
            Curve::P521 => Algorithm::ES512,
        }
    }
    fn from_nid(nid: Nid) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521].into_iter().find(|c| c.nid() == nid)
    }
    fn from_jwk_name(name: &str) -> Result<Curve> {
        [Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| Error::key(format!("Unsupported EC curve '{name}': use P-256, P-384 or P-521.")))
    }
    pub fn group(self) -> Result<EcGroup> {
        Ok(EcGroup::from_curve_name(self.nid())?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rsa {
        bits: u32,
    },
    Ec(Curve),
    Ed25519,
    /// Key agreement only (ECDH-ES encryption, RFC 8037); it cannot sign.
    X25519,
}

/// An asymmetric key: always a public part, and the private part when it was supplied.
pub struct Asymmetric {
    kind: Kind,
    public: PKey<Public>,
    private: Option<PKey<Private>>,
    /// RSA keys: the public key prepared for repeated verifications (shared with public copies).
    rsa_verifier: Option<Arc<RsaVerifier>>,
}

fn digest(sha: Sha) -> MessageDigest {
    match sha {
        Sha::Sha256 => MessageDigest::sha256(),
        Sha::Sha384 => MessageDigest::sha384(),
        Sha::Sha512 => MessageDigest::sha512(),
    }
}

fn public_of(private: &PKey<Private>) -> Result<PKey<Public>> {
    Ok(PKey::public_key_from_der(&private.public_key_to_der()?)?)
}

fn kind_of<T: openssl::pkey::HasPublic>(key: &PKey<T>) -> Result<Kind> {
    match key.id() {
        Id::RSA => {
            let bits = key.bits();
            if bits < MIN_RSA_BITS {
                return Err(Error::key(format!(
                    "The RSA key has {bits} bits; keys under {MIN_RSA_BITS} bits are too weak and refused. Use a 2048-bit or larger key."
                )));
            }
            let rsa = key.rsa()?;
            degenerate::check_rsa_exponent(rsa.e())?;
            degenerate::check_rsa_modulus(rsa.n())?;
            Ok(Kind::Rsa { bits })
        }
        Id::EC => {
            let nid = key.ec_key()?.group().curve_name();
            nid.and_then(Curve::from_nid).map(Kind::Ec).ok_or_else(|| Error::key("The EC key is on an unsupported curve: use P-256, P-384 or P-521."))
        }
        Id::ED25519 => Ok(Kind::Ed25519),
        Id::X25519 => Ok(Kind::X25519),
        _ => Err(Error::key(
            "Unsupported key type: KrJwt signs with RSA, EC (P-256/384/521) and Ed25519 keys and encrypts to RSA, EC and X25519 keys.",
        )),
    }
}

/// OpenSSL's key check needs the prime factors, which a JWK may omit (RFC 7518 §6.3.2); without
/// them, a signature made with `d` must verify with `(n, e)`.
fn rsa_private_key_is_consistent(private: &PKey<Private>) -> Result<bool> {
    let rsa = private.rsa()?;
    if rsa.p().is_some() {
        return Ok(rsa.check_key().unwrap_or(false));
    }
    let probe = b"krjwt RSA key consistency probe";
    // Numbers that make no RSA key can keep OpenSSL from signing at all (an even modulus has no
    // inverses for blinding): that is an inconsistent key, not a backend failure.
    let Ok(signature) = Signer::new(MessageDigest::sha256(), private)?.sign_oneshot_to_vec(probe) else {
        return Ok(false);
    };
    let public = public_of(private)?;
    let verified = Verifier::new(MessageDigest::sha256(), &public)?.verify_oneshot(&signature, probe).unwrap_or(false);
    Ok(verified)
}

impl Asymmetric {
    fn from_private(private: PKey<Private>) -> Result<Asymmetric> {
        let kind = kind_of(&private)?;
        if let Kind::Rsa { .. } = kind {
            if !rsa_private_key_is_consistent(&private)? {
                return Err(Error::key("The RSA private key is inconsistent (its numbers do not belong together)."));
            }
        }
        if let Kind::Ec(_) = kind {
            private.ec_key()?.check_key().map_err(|_| Error::key("The EC private key is inconsistent."))?;
        }
        Asymmetric::with_parts(kind, public_of(&private)?, Some(private))
    }

    fn from_public(public: PKey<Public>) -> Result<Asymmetric> {
        let kind = kind_of(&public)?;
        match kind {
            Kind::Ec(_) => {
                public.ec_key()?.check_key().map_err(|_| Error::key("The EC public key is not a valid point on its curve."))?;
            }
            // A private key's own public point never has small order; a public key given alone may.
            Kind::Ed25519 | Kind::X25519 => {
                if degenerate::has_small_order(public.id(), &public.raw_public_key()?)? {
                    let (name, danger) = match kind {
                        Kind::Ed25519 => ("Ed25519", "would verify forged signatures"),
                        _ => ("X25519", "would agree on a secret anyone can compute"),
                    };
                    return Err(Error::key(format!(
                        "The {name} public key is a point of small order (such as the identity), which {danger}. \
                         The key is refused; use the key's real public value."
                    )));
                }
            }
            Kind::Rsa { .. } => {}
        }
        Asymmetric::with_parts(kind, public, None)
    }

    fn with_parts(kind: Kind, public: PKey<Public>, private: Option<PKey<Private>>) -> Result<Asymmetric> {
        let rsa_verifier = match kind {
            Kind::Rsa { .. } => Some(Arc::new(RsaVerifier::new(&public)?)),
            _ => None,
        };
        Ok(Asymmetric { kind, public, private, rsa_verifier })
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn has_private(&self) -> bool {
        self.private.is_some()
    }

    pub fn public_key(&self) -> &PKey<Public> {
        &self.public
    }

    pub fn private_key(&self) -> Option<&PKey<Private>> {
        self.private.as_ref()
    }

    /// A fresh key pair of the same type and curve: the ephemeral key of ECDH-ES.
    pub fn generate_like(&self) -> Result<Asymmetric> {
        let private = match self.kind {
            Kind::Ec(curve) => PKey::from_ec_key(EcKey::generate(&*curve.group()?)?)?,
            Kind::X25519 => PKey::generate_x25519()?,
            Kind::Rsa { .. } | Kind::Ed25519 => return Err(Error::key("Only EC and X25519 keys have ephemeral counterparts for key agreement.")),
        };
        Asymmetric::from_private(private)
    }

    /// A copy holding only the public part.
    pub fn to_public(&self) -> Asymmetric {
        Asymmetric { kind: self.kind, public: self.public.clone(), private: None, rsa_verifier: self.rsa_verifier.clone() }
    }

    pub fn bits(&self) -> usize {
        match self.kind {
            Kind::Rsa { bits } => bits as usize,
            Kind::Ec(c) => match c {
                Curve::P256 => 256,
                Curve::P384 => 384,
                Curve::P521 => 521,
            },
            Kind::Ed25519 | Kind::X25519 => 256,
        }
    }

    pub fn kty(&self) -> &'static str {
        match self.kind {
            Kind::Rsa { .. } => "RSA",
            Kind::Ec(_) => "EC",
            Kind::Ed25519 | Kind::X25519 => "OKP",
        }
    }

    pub fn default_algorithm(&self) -> Algorithm {
        match self.kind {
            Kind::Rsa { .. } => Algorithm::RS256,
            Kind::Ec(c) => c.signing_algorithm(),
            // X25519 cannot sign: check_algorithm refuses EdDSA for it with an explanation.
            Kind::Ed25519 | Kind::X25519 => Algorithm::EdDSA,
        }
    }

    /// Why this key cannot serve `alg`, if it cannot.
    pub fn check_algorithm(&self, alg: Algorithm) -> Result<()> {
        let ok = match (self.kind, alg.family()) {
            (Kind::Rsa { .. }, Family::RsaPkcs1(_) | Family::RsaPss(_)) => true,
            (Kind::Ec(c), Family::Ecdsa(_)) => c.signing_algorithm() == alg,
            (Kind::Ed25519, Family::EdDsa) => true,
            _ => false,
        };
        if ok {
            return Ok(());
        }
        let (what, fits) = match self.kind {
            Kind::Rsa { .. } => ("An RSA key".to_string(), "RS256/384/512 or PS256/384/512".to_string()),
            Kind::Ec(c) => (format!("An EC {} key", c.name()), c.signing_algorithm().name().to_string()),
            Kind::Ed25519 => ("An Ed25519 key".to_string(), "EdDSA".to_string()),
            Kind::X25519 => {
                return Err(Error::key(format!(
                    "An X25519 key cannot be used with {alg}: X25519 is for encryption (ECDH-ES) only. Sign with an Ed25519, EC or RSA key."
                )))
            }
        };
        Err(Error::key(format!("{what} cannot be used with {alg}; it works with {fits}. Choose a matching algorithm or key.")))
    }

    pub fn sign(&self, alg: Algorithm, input: &[u8]) -> Result<Vec<u8>> {
        let private = self.private.as_ref().ok_or_else(|| Error::key("This key has no private part and cannot sign."))?;
        match (self.kind, alg.family()) {
            (Kind::Rsa { .. }, Family::RsaPkcs1(sha)) => rsa_signatures::sign(private, Scheme::Pkcs1(sha), input),
            (Kind::Rsa { .. }, Family::RsaPss(sha)) => rsa_signatures::sign(private, Scheme::Pss(sha), input),
            (Kind::Ec(curve), Family::Ecdsa(sha)) => {
                let hash = openssl::hash::hash(digest(sha), input)?;
                let sig = EcdsaSig::sign(&hash, &*private.ec_key()?)?;
                // JWS wants fixed-size big-endian r || s (RFC 7518 §3.4), not DER.
                let mut raw = sig.r().to_vec_padded(curve.size() as i32)?;
                raw.extend(sig.s().to_vec_padded(curve.size() as i32)?);
                Ok(raw)
            }
            (Kind::Ed25519, Family::EdDsa) => Ok(Signer::new_without_digest(private)?.sign_oneshot_to_vec(input)?),
            _ => Err(Error::key(format!("This key cannot sign with {alg}."))),
        }
    }

    pub fn verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        self.try_verify(alg, input, signature).unwrap_or(false)
    }

    fn rsa_verifier(&self) -> Result<&RsaVerifier> {
        self.rsa_verifier.as_deref().ok_or_else(|| Error::key("This key is not an RSA key."))
    }

    fn try_verify(&self, alg: Algorithm, input: &[u8], signature: &[u8]) -> Result<bool> {
        // RFC 8017 §8.1.2/§8.2.2: an RSA signature is exactly as long as the modulus. OpenSSL lets
        // PSS accept a shorter one, which would make tokens malleable.
        if matches!(self.kind, Kind::Rsa { .. }) && signature.len() != self.public.size() {
            return Ok(false);
        }
        match (self.kind, alg.family()) {
            (Kind::Rsa { .. }, Family::RsaPkcs1(sha)) => self.rsa_verifier()?.verify(Scheme::Pkcs1(sha), input, signature),
            (Kind::Rsa { .. }, Family::RsaPss(sha)) => self.rsa_verifier()?.verify(Scheme::Pss(sha), input, signature),
            (Kind::Ec(curve), Family::Ecdsa(sha)) => {
                let size = curve.size();
                if signature.len() != 2 * size {
                    return Ok(false);
                }
                let r = BigNum::from_slice(&signature[..size])?;
                let s = BigNum::from_slice(&signature[size..])?;
                // Refuse r or s outside [1, n-1] explicitly ("psychic signatures", CVE-2022-21449).
                let ec = self.public.ec_key()?;
                let mut order = BigNum::new()?;
                ec.group().order(&mut order, &mut *BigNumContext::new()?)?;
                let in_range = |v: &BigNum| v.num_bits() > 0 && !v.is_negative() && v < &order;
                if !in_range(&r) || !in_range(&s) {
                    return Ok(false);
                }
                let hash = openssl::hash::hash(digest(sha), input)?;
                Ok(EcdsaSig::from_private_components(r, s)?.verify(&hash, &*ec)?)
            }
            (Kind::Ed25519, Family::EdDsa) => Ok(Verifier::new_without_digest(&self.public)?.verify_oneshot(signature, input)?),
            _ => Ok(false),
        }
    }

    /// The public JWK members (no `kid`/`alg`), with the members RFC 7638 hashes.
    pub fn public_jwk_members(&self) -> Result<Vec<(&'static str, String)>> {
        Ok(match self.kind {
            Kind::Rsa { .. } => {
                let rsa = self.public.rsa()?;
                vec![("e", b64::encode(&rsa.e().to_vec())), ("kty", "RSA".into()), ("n", b64::encode(&rsa.n().to_vec()))]
            }
            Kind::Ec(curve) => {
                let ec = self.public.ec_key()?;
                let (mut x, mut y) = (BigNum::new()?, BigNum::new()?);
                ec.public_key().affine_coordinates(ec.group(), &mut x, &mut y, &mut *BigNumContext::new()?)?;
                let size = curve.size() as i32;
                vec![
                    ("crv", curve.name().into()),
                    ("kty", "EC".into()),
                    ("x", b64::encode(&x.to_vec_padded(size)?)),
                    ("y", b64::encode(&y.to_vec_padded(size)?)),
                ]
            }
            Kind::Ed25519 | Kind::X25519 => {
                let crv = if self.kind == Kind::X25519 { "X25519" } else { "Ed25519" };
                vec![("crv", crv.into()), ("kty", "OKP".into()), ("x", b64::encode(&self.public.raw_public_key()?))]
            }
        })
    }
}

/// The PEM block labels we read, in the order we prefer them in a bundle.
const PRIVATE_LABELS: [&str; 3] = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"];

fn has_block(pem: &str, label: &str) -> bool {
    pem.contains(&format!("-----BEGIN {label}-----"))
}

/// Reads the first usable key of a PEM text: a private key if the text holds one, else a public
/// key or a certificate's public key.
pub fn from_pem(pem: &str) -> Result<Asymmetric> {
    if has_block(pem, "ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED") {
        return Err(Error::key(
            "The PEM private key is encrypted with a passphrase. Decrypt it first (for example: openssl pkey -in key.pem -out plain.pem).",
        ));
    }
    if !pem.contains("-----BEGIN ") {
        return Err(Error::key("The text is not PEM: it has no '-----BEGIN ...-----' line."));
    }
    // An empty passphrase makes OpenSSL fail instead of prompting on a terminal.
    if PRIVATE_LABELS.iter().any(|l| has_block(pem, l)) {
        let key = PKey::private_key_from_pem_passphrase(pem.as_bytes(), b"")
            .map_err(|_| Error::key("The PEM private key cannot be read: its body is damaged or it is not an RSA, EC, Ed25519 or X25519 key."))?;
        return Asymmetric::from_private(key);
    }
    if has_block(pem, "PUBLIC KEY") {
        let key = PKey::public_key_from_pem(pem.as_bytes())
            .map_err(|_| Error::key("The PEM public key cannot be read: its body is damaged or it is not a supported key type."))?;
        return Asymmetric::from_public(key);
    }
    if has_block(pem, "RSA PUBLIC KEY") {
        let rsa =
            Rsa::public_key_from_pem_pkcs1(pem.as_bytes()).map_err(|_| Error::key("The PEM RSA public key cannot be read: its body is damaged."))?;
        return Asymmetric::from_public(PKey::from_rsa(rsa)?);
    }
    if has_block(pem, "CERTIFICATE") {
        let cert = X509::from_pem(pem.as_bytes()).map_err(|_| Error::key("The PEM certificate cannot be read: its body is damaged."))?;
        return Asymmetric::from_public(cert.public_key().map_err(|e| Error::key(format!("The certificate's public key cannot be read: {e}.")))?);
    }
    Err(Error::key(
        "The PEM text holds no key: expected a PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY, PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE block.",
    ))
}

/// Reads DER: PKCS#8 / PKCS#1 / SEC1 private keys, SPKI / PKCS#1 public keys, or a certificate.
pub fn from_der(der: &[u8]) -> Result<Asymmetric> {
    if let Ok(key) = PKey::private_key_from_der(der) {
        return Asymmetric::from_private(key);
    }
    if let Ok(rsa) = Rsa::private_key_from_der(der) {
        return Asymmetric::from_private(PKey::from_rsa(rsa)?);
    }
    if let Ok(ec) = EcKey::private_key_from_der(der) {
        return Asymmetric::from_private(PKey::from_ec_key(ec)?);
    }
    if let Ok(key) = PKey::public_key_from_der(der) {
        return Asymmetric::from_public(key);
    }
    if let Ok(rsa) = Rsa::public_key_from_der_pkcs1(der) {
        return Asymmetric::from_public(PKey::from_rsa(rsa)?);
    }
    if let Ok(cert) = X509::from_der(der) {
        return Asymmetric::from_public(cert.public_key().map_err(|e| Error::key(format!("The certificate's public key cannot be read: {e}.")))?);
    }
    Err(Error::key("The DER bytes are not a key or certificate KrJwt can read (PKCS#8, PKCS#1, SEC1, SPKI or X.509)."))
}

/// A member's bytes, wiped when dropped (private members are key material).
fn member_bytes(jwk: &Map<String, Value>, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => b64::decode_strict(s)
            .map(|bytes| Some(Zeroizing::new(bytes)))
            .ok_or_else(|| Error::key(format!("The JWK member \"{name}\" is not valid base64url."))),
        Some(_) => Err(Error::key(format!("The JWK member \"{name}\" must be a string."))),
    }
}

fn required_bytes(jwk: &Map<String, Value>, name: &str, kty: &str) -> Result<Zeroizing<Vec<u8>>> {
    member_bytes(jwk, name)?.ok_or_else(|| Error::key(format!("The {kty} JWK has no \"{name}\" member.")))
}

fn bn(bytes: &[u8]) -> Result<BigNum> {
    Ok(BigNum::from_slice(bytes)?)
}

pub fn from_rsa_jwk(jwk: &Map<String, Value>) -> Result<Asymmetric> {
    let n = bn(&required_bytes(jwk, "n", "RSA")?)?;
    let e = bn(&required_bytes(jwk, "e", "RSA")?)?;
    let Some(d) = member_bytes(jwk, "d")? else {
        return Asymmetric::from_public(PKey::from_rsa(Rsa::from_public_components(n, e)?)?);
    };
    let mut builder = RsaPrivateKeyBuilder::new(n, e, bn(&d)?)?;
    let factors = ["p", "q", "dp", "dq", "qi"].map(|m| member_bytes(jwk, m));
    let factors: Vec<Option<Zeroizing<Vec<u8>>>> = factors.into_iter().collect::<Result<_>>()?;
    if let [Some(p), Some(q), Some(dp), Some(dq), Some(qi)] = factors.as_slice() {
        builder = builder.set_factors(bn(p)?, bn(q)?)?.set_crt_params(bn(dp)?, bn(dq)?, bn(qi)?)?;
    } else if factors.iter().any(Option::is_some) {
        return Err(Error::key("The RSA JWK has some but not all of p, q, dp, dq and qi; give all five or none."));
    }
    Asymmetric::from_private(PKey::from_rsa(builder.build())?)
}

pub fn from_ec_jwk(jwk: &Map<String, Value>) -> Result<Asymmetric> {
    let curve = match jwk.get("crv") {
        Some(Value::String(c)) => Curve::from_jwk_name(c)?,
        _ => return Err(Error::key("The EC JWK has no \"crv\" member.")),
    };
    let (x, y) = (required_bytes(jwk, "x", "EC")?, required_bytes(jwk, "y", "EC")?);
    if x.len() != curve.size() || y.len() != curve.size() {
        return Err(Error::key(format!("The EC JWK coordinates must be {} bytes each for {}.", curve.size(), curve.name())));
    }
    let group = curve.group()?;
    // from_public_key_affine_coordinates refuses points that are not on the curve.
    let public = EcKey::from_public_key_affine_coordinates(&group, &*bn(&x)?, &*bn(&y)?)
        .map_err(|_| Error::key(format!("The EC JWK point is not on the {} curve.", curve.name())))?;
    match member_bytes(jwk, "d")? {
        None => Asymmetric::from_public(PKey::from_ec_key(public)?),
        Some(d) => {
            if d.len() != curve.size() {
                return Err(Error::key(format!("The EC JWK \"d\" must be {} bytes for {}.", curve.size(), curve.name())));
            }
            let mut scalar = bn(&d)?;
            let private = EcKey::from_private_components(&group, &scalar, public.public_key());
            // OpenSSL copies the scalar; BN_free would not wipe this one.
            scalar.clear();
            let private = private?;
            Asymmetric::from_private(PKey::from_ec_key(private)?)
        }
    }
}

pub fn from_okp_jwk(jwk: &Map<String, Value>) -> Result<Asymmetric> {
    let (crv, id) = match jwk.get("crv") {
        Some(Value::String(c)) if c == "Ed25519" => ("Ed25519", Id::ED25519),
        Some(Value::String(c)) if c == "X25519" => ("X25519", Id::X25519),
        Some(Value::String(c)) => return Err(Error::key(format!("Unsupported OKP curve '{c}': use Ed25519 (signing) or X25519 (encryption)."))),
        _ => return Err(Error::key("The OKP JWK has no \"crv\" member.")),
    };
    let x = required_bytes(jwk, "x", "OKP")?;
    let public = PKey::public_key_from_raw_bytes(&x, id).map_err(|_| Error::key(format!("The {crv} JWK \"x\" is not a 32-byte public key.")))?;
    match member_bytes(jwk, "d")? {
        None => Asymmetric::from_public(public),
        Some(d) => {
            let private =
                PKey::private_key_from_raw_bytes(&d, id).map_err(|_| Error::key(format!("The {crv} JWK \"d\" is not a 32-byte private key.")))?;
            if private.raw_public_key()? != *x {
                return Err(Error::key(format!("The {crv} JWK \"x\" does not belong to its \"d\".")));
            }
            Asymmetric::from_private(private)
        }
    }
}
