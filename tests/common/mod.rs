//! Helpers shared by the integration tests.
#![allow(dead_code)]

use krjwt::Algorithm::{self, *};
use krjwt::{b64, Builder, Key, KeyFormat};
use openssl::bn::{BigNum, BigNumContext};
use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::{Id, PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::X509;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;

/// The known-answer vectors (tests/vectors: the RFC 7520 cookbook, see its SOURCE.md and LICENSE).
pub fn vector(relative: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors").join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("vector is JSON")
}

pub const HEX_KEY_32: &str = "a0b1c2d3e4f5061728394a5b6c7d8e9fa1b2c3d4e5f60718293a4b5c6d7e8f90";

pub fn import(format: KeyFormat, bytes: impl AsRef<[u8]>) -> Arc<Key> {
    Arc::new(Key::import(format, bytes.as_ref()).unwrap_or_else(|e| panic!("{format:?} import: {}", e.message)))
}

pub fn rsa_2048() -> PKey<Private> {
    PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap()
}

/// An EC key on P-256 (`Nid::X9_62_PRIME256V1`), P-384 (`SECP384R1`) or P-521 (`SECP521R1`).
pub fn ec(curve: Nid) -> PKey<Private> {
    PKey::from_ec_key(EcKey::generate(&EcGroup::from_curve_name(curve).unwrap()).unwrap()).unwrap()
}

pub fn ed25519() -> PKey<Private> {
    PKey::generate_ed25519().unwrap()
}

pub fn random_secret(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    openssl::rand::rand_bytes(&mut bytes).unwrap();
    bytes
}

/// Key material for one algorithm: a shared secret or a freshly generated private key (the interop
/// tests give it to each peer in the form the peer reads).
pub enum Material {
    Secret(Vec<u8>),
    Private(PKey<Private>),
}

impl Material {
    /// The key as krjwt reads it: the secret's bytes, or the private key as PKCS#8 PEM.
    pub fn krjwt_key(&self) -> Arc<Key> {
        match self {
            Material::Secret(bytes) => Arc::new(Key::from_secret(bytes.clone()).unwrap()),
            Material::Private(key) => import(KeyFormat::Pem, key.private_key_to_pem_pkcs8().unwrap()),
        }
    }
}

/// A builder of a token from `issuer` to `audience` about `subject`: how every sample token starts.
pub fn addressed(issuer: &str, audience: &str, subject: &str) -> Builder {
    let mut builder = Builder::new();
    builder.set_issuer(issuer).unwrap();
    builder.add_audience(audience).unwrap();
    builder.set_subject(subject).unwrap();
    builder
}

/// An addressed builder with the user claims Name and Role: the reference's example token
/// (tests/tokens.rs) and the benchmarks' typical one.
pub fn user_token(issuer: &str, audience: &str, subject: &str, name: &str, role: &str) -> Builder {
    let mut builder = addressed(issuer, audience, subject);
    builder.add_user_claim("Name", name).unwrap();
    builder.add_user_claim("Role", role).unwrap();
    builder
}

/// A builder of alice's token (iss, aud, sub and a scope claim) signed with `material` as `alg`, for
/// the interop tests.
pub fn alice_builder(material: &Material, alg: Algorithm, issuer: &str, audience: &str) -> Builder {
    let mut builder = addressed(issuer, audience, "alice");
    builder.add_claim("scope", json!(["read", "write"])).unwrap();
    builder.sign_with(material.krjwt_key(), Some(alg)).unwrap();
    builder
}

/// One key for each of the thirteen algorithms (the RSA algorithms share one key).
pub fn key_for_every_algorithm() -> Vec<(Algorithm, Material)> {
    let rsa = rsa_2048();
    let mut cases = vec![
        (HS256, Material::Secret(random_secret(32))),
        (HS384, Material::Secret(random_secret(48))),
        (HS512, Material::Secret(random_secret(64))),
    ];
    for alg in [RS256, RS384, RS512, PS256, PS384, PS512] {
        cases.push((alg, Material::Private(rsa.clone())));
    }
    cases.push((ES256, Material::Private(ec(Nid::X9_62_PRIME256V1))));
    cases.push((ES384, Material::Private(ec(Nid::SECP384R1))));
    cases.push((ES512, Material::Private(ec(Nid::SECP521R1))));
    cases.push((EdDSA, Material::Private(ed25519())));
    assert_eq!(cases.len(), krjwt::Algorithm::ALL.len());
    cases
}

/// The DER bytes inside a single-block PEM text.
pub fn pem_to_der(pem: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(pem).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::decode(body).unwrap()
}

/// The private JWK of an RSA, EC, Ed25519 or X25519 key, built from OpenSSL's numbers (not by krjwt).
pub fn private_jwk(key: &PKey<Private>) -> Value {
    let b = |n: &openssl::bn::BigNumRef| b64::encode(&n.to_vec());
    match key.id() {
        Id::RSA => {
            let rsa = key.rsa().unwrap();
            json!({
                "kty": "RSA", "n": b(rsa.n()), "e": b(rsa.e()), "d": b(rsa.d()),
                "p": b(rsa.p().unwrap()), "q": b(rsa.q().unwrap()),
                "dp": b(rsa.dmp1().unwrap()), "dq": b(rsa.dmq1().unwrap()), "qi": b(rsa.iqmp().unwrap()),
            })
        }
        Id::EC => {
            let ec = key.ec_key().unwrap();
            let (crv, size) = match ec.group().curve_name().unwrap() {
                Nid::X9_62_PRIME256V1 => ("P-256", 32),
                Nid::SECP384R1 => ("P-384", 48),
                Nid::SECP521R1 => ("P-521", 66),
                other => panic!("unexpected curve {other:?}"),
            };
            let (mut x, mut y) = (BigNum::new().unwrap(), BigNum::new().unwrap());
            ec.public_key().affine_coordinates(ec.group(), &mut x, &mut y, &mut BigNumContext::new().unwrap()).unwrap();
            let fixed = |n: &openssl::bn::BigNumRef| b64::encode(&n.to_vec_padded(size).unwrap());
            json!({"kty": "EC", "crv": crv, "x": fixed(&x), "y": fixed(&y), "d": fixed(ec.private_key())})
        }
        Id::ED25519 | Id::X25519 => json!({
            "kty": "OKP", "crv": if key.id() == Id::ED25519 { "Ed25519" } else { "X25519" },
            "x": b64::encode(&key.raw_public_key().unwrap()),
            "d": b64::encode(&key.raw_private_key().unwrap()),
        }),
        other => panic!("unexpected key type {other:?}"),
    }
}

/// The public members of a private JWK.
pub fn public_jwk_of(private: &Value) -> Value {
    let mut public = private.clone();
    for member in ["d", "p", "q", "dp", "dq", "qi"] {
        public.as_object_mut().unwrap().remove(member);
    }
    public
}

/// A self-signed certificate for `key`, valid for a day.
pub fn self_signed_certificate(key: &PKey<Private>) -> X509 {
    certificate_for(key, key)
}

/// A certificate for `subject`'s public key issued (signed) by `issuer`, valid for a day: how a CA
/// certifies a key, weak keys included.
pub fn certificate_for<T: openssl::pkey::HasPublic>(subject: &openssl::pkey::PKeyRef<T>, issuer: &PKey<Private>) -> X509 {
    let mut name = openssl::x509::X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "krjwt test").unwrap();
    let name = name.build();
    let mut cert = openssl::x509::X509Builder::new().unwrap();
    cert.set_version(2).unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_issuer_name(&name).unwrap();
    cert.set_pubkey(subject).unwrap();
    cert.set_not_before(&openssl::asn1::Asn1Time::days_from_now(0).unwrap()).unwrap();
    cert.set_not_after(&openssl::asn1::Asn1Time::days_from_now(1).unwrap()).unwrap();
    // Ed25519 signs without a separate digest.
    let digest = if issuer.id() == Id::ED25519 { openssl::hash::MessageDigest::null() } else { openssl::hash::MessageDigest::sha256() };
    cert.sign(issuer, digest).unwrap();
    cert.build()
}
