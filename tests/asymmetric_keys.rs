//! RSA, EC and Ed25519 keys: import forms, algorithm pinning, sign/verify round trips.

use krjwt::jws::{sign_compact, PinnedKey};
use krjwt::{Algorithm, Key, KeyFormat};
use openssl::ec::{EcGroup, EcKey};
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use std::sync::Arc;

fn pem_keys() -> Vec<(String, &'static str)> {
    let rsa = Rsa::generate(2048).unwrap();
    let ec = |nid| EcKey::generate(&EcGroup::from_curve_name(nid).unwrap()).unwrap();
    vec![
        (String::from_utf8(rsa.private_key_to_pem().unwrap()).unwrap(), "RS256"),
        (String::from_utf8(PKey::from_rsa(rsa).unwrap().private_key_to_pem_pkcs8().unwrap()).unwrap(), "RS256"),
        (String::from_utf8(ec(Nid::X9_62_PRIME256V1).private_key_to_pem().unwrap()).unwrap(), "ES256"),
        (String::from_utf8(PKey::from_ec_key(ec(Nid::SECP384R1)).unwrap().private_key_to_pem_pkcs8().unwrap()).unwrap(), "ES384"),
        (String::from_utf8(ec(Nid::SECP521R1).private_key_to_pem().unwrap()).unwrap(), "ES512"),
        (String::from_utf8(PKey::generate_ed25519().unwrap().private_key_to_pem_pkcs8().unwrap()).unwrap(), "EdDSA"),
    ]
}

#[test]
fn pem_private_keys_sign_and_their_public_jwks_verify() {
    for (pem, auto) in pem_keys() {
        let key = Arc::new(Key::import(KeyFormat::Pem, pem.as_bytes()).unwrap());
        assert_eq!(key.default_algorithm().name(), auto);
        for alg in key.compatible_algorithms() {
            let signer = PinnedKey::new(key.clone(), Some(alg)).unwrap();
            let token = sign_compact(&signer, br#"{"alg":"x"}"#, b"payload").unwrap();
            let jwk = key.public_jwk().unwrap().to_string();
            let public = Arc::new(Key::import(KeyFormat::Jwk, jwk.as_bytes()).unwrap());
            assert!(!public.has_private_key());
            assert_eq!(public.thumbprint(), key.thumbprint());
            let verifier = PinnedKey::new(public, Some(alg)).unwrap();
            let (input, sig) = token.rsplit_once('.').unwrap();
            let sig = krjwt::b64::decode_strict(sig).unwrap();
            assert!(verifier.verify(input.as_bytes(), &sig), "{alg} verifies");
            assert!(!verifier.verify(b"other", &sig), "{alg} rejects other input");
        }
    }
}

#[test]
fn algorithms_are_pinned_to_the_key_type() {
    let rsa = Key::import(KeyFormat::Pem, &Rsa::generate(2048).unwrap().private_key_to_pem().unwrap()).unwrap();
    let names: Vec<&str> = rsa.compatible_algorithms().iter().map(|a| a.name()).collect();
    assert_eq!(names, ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]);
    let err = rsa.resolve_algorithm(Some(Algorithm::HS256)).unwrap_err();
    assert!(err.message.contains("would let anyone forge tokens"), "{}", err.message);
    let p256 = Key::import(
        KeyFormat::Pem,
        &EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap().private_key_to_pem().unwrap(),
    )
    .unwrap();
    assert!(p256.resolve_algorithm(Some(Algorithm::ES384)).unwrap_err().message.contains("ES256"));
}

#[test]
fn weak_encrypted_and_garbage_keys_are_refused_with_a_reason() {
    let small = Rsa::generate(1024).unwrap().private_key_to_pem().unwrap();
    assert!(Key::import(KeyFormat::Pem, &small).unwrap_err().message.contains("1024 bits"));
    let encrypted = PKey::from_rsa(Rsa::generate(2048).unwrap())
        .unwrap()
        .private_key_to_pem_pkcs8_passphrase(openssl::symm::Cipher::aes_256_cbc(), b"pw")
        .unwrap();
    assert!(Key::import(KeyFormat::Pem, &encrypted).unwrap_err().message.contains("encrypted"));
    assert!(Key::import(KeyFormat::Pem, b"hello").unwrap_err().message.contains("not PEM"));
    assert!(Key::import(KeyFormat::Der, b"\x30\x03\x02\x01\x01").is_err());
    let off_curve =
        r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"}"#;
    assert!(Key::import(KeyFormat::Jwk, off_curve.as_bytes()).is_err());
}

#[test]
fn certificates_and_public_keys_import_as_verification_keys() {
    let pkey = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = openssl::x509::X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "krjwt test").unwrap();
    let name = name.build();
    let mut cert = openssl::x509::X509Builder::new().unwrap();
    cert.set_subject_name(&name).unwrap();
    cert.set_issuer_name(&name).unwrap();
    cert.set_pubkey(&pkey).unwrap();
    cert.set_not_before(&openssl::asn1::Asn1Time::days_from_now(0).unwrap()).unwrap();
    cert.set_not_after(&openssl::asn1::Asn1Time::days_from_now(1).unwrap()).unwrap();
    cert.sign(&pkey, openssl::hash::MessageDigest::sha256()).unwrap();
    let cert = cert.build();
    let from_cert = Key::import(KeyFormat::Pem, &cert.to_pem().unwrap()).unwrap();
    let from_der = Key::import(KeyFormat::Der, &cert.to_der().unwrap()).unwrap();
    let from_spki = Key::import(KeyFormat::Pem, &pkey.public_key_to_pem().unwrap()).unwrap();
    let from_private = Key::import(KeyFormat::Der, &pkey.private_key_to_der().unwrap()).unwrap();
    assert!(!from_cert.has_private_key() && !from_spki.has_private_key() && from_private.has_private_key());
    for k in [&from_der, &from_spki, &from_private] {
        assert_eq!(k.thumbprint(), from_cert.thumbprint());
    }
}
