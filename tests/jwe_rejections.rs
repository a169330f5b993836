//! What JWE refuses, and what it says: altered tokens fail uniformly (no oracle); malformed
//! tokens, unaccepted algorithms and unusable keys each get a distinct message naming the fix.

mod common;
mod jwe_support;

use jwe_support::{
    assert_cannot_decrypt, decrypter, encrypter, other_rsa, public_only, refusal, rsa, secret, with_header, with_members, with_part, x25519,
};
use krjwt::jwe::{Decrypter, Encrypter, MAX_TOKEN_BYTES};
use krjwt::{b64, ErrorKind, Key, KeyFormat, Reason};
use openssl::nid::Nid;
use serde_json::{json, Map, Value};
use std::sync::Arc;

fn token(key: &Arc<Key>, alg: &str, enc: &str) -> String {
    encrypter(key, alg, enc).encrypt_compact(&jwe_support::jwt_header("k1"), b"the plaintext").unwrap()
}

/// A token to `key` with `alg`/`enc` and the decrypter pinned to that pair.
fn sealed(key: &Arc<Key>, alg: &str, enc: &str) -> (String, Decrypter) {
    (token(key, alg, enc), decrypter(key, alg, enc))
}

/// A representative pair of each key management family, with its key.
fn samples() -> Vec<(Arc<Key>, &'static str, &'static str)> {
    vec![
        (secret(32), "dir", "A256GCM"),
        (secret(64), "dir", "A256CBC-HS512"),
        (secret(16), "A128KW", "A128CBC-HS256"),
        (secret(24), "A192GCMKW", "A192GCM"),
        (rsa(), "RSA-OAEP-256", "A256GCM"),
        (rsa(), "RSA1_5", "A128CBC-HS256"),
        (jwe_support::ec(Nid::X9_62_PRIME256V1), "ECDH-ES", "A128CBC-HS256"),
        (x25519(), "ECDH-ES+A256KW", "A256GCM"),
    ]
}

#[test]
fn every_alteration_gives_the_same_refusal() {
    for (key, alg, enc) in samples() {
        let (token, d) = sealed(&key, alg, enc);
        let what = |change: &str| format!("{alg}/{enc}: {change}");
        assert_cannot_decrypt(&d, &with_part(&token, 3, |bytes| bytes[0] ^= 1), &what("ciphertext"));
        assert_cannot_decrypt(&d, &with_part(&token, 4, |bytes| bytes[0] ^= 1), &what("tag"));
        assert_cannot_decrypt(&d, &with_part(&token, 4, |t| t.truncate(t.len() - 1)), &what("truncated tag"));
        assert_cannot_decrypt(&d, &with_part(&token, 4, |t| t.truncate(1)), &what("one-byte tag"));
        assert_cannot_decrypt(&d, &with_part(&token, 2, |bytes| bytes[0] ^= 1), &what("iv"));
        assert_cannot_decrypt(&d, &with_part(&token, 2, |iv| iv.push(0)), &what("longer iv"));
        assert_cannot_decrypt(&d, &with_members(&token, json!({"kid": "k2"})), &what("protected header"));
        if !token.split('.').nth(1).unwrap().is_empty() {
            assert_cannot_decrypt(&d, &with_part(&token, 1, |bytes| bytes[0] ^= 1), &what("encrypted key"));
            assert_cannot_decrypt(&d, &with_part(&token, 1, |k| k.truncate(k.len() - 8)), &what("short encrypted key"));
        }
    }
}

#[test]
fn another_key_of_the_same_kind_cannot_decrypt() {
    for (key, alg, enc) in samples() {
        let other = match key.kty() {
            "oct" => secret(key.bits() / 8),
            "RSA" => other_rsa(),
            _ if key.curve() == Some("X25519") => x25519(),
            _ => jwe_support::ec(Nid::X9_62_PRIME256V1),
        };
        assert_cannot_decrypt(&decrypter(&other, alg, enc), &token(&key, alg, enc), &format!("{alg}/{enc} with another key"));
    }
}

#[test]
fn rsa1_5_failures_take_the_same_path_as_a_bad_tag() {
    let key = rsa();
    let (token, d) = sealed(&key, "RSA1_5", "A128GCM");
    // A padding failure (random bytes) and a valid block of the wrong length both end at the tag.
    assert_cannot_decrypt(&d, &with_part(&token, 1, |k| openssl::rand::rand_bytes(k).unwrap()), "random encrypted key");
    let short = encrypter(&public_only(&key), "RSA1_5", "A128GCM").encrypt_compact(&Map::new(), b"x").unwrap();
    let wrong_length = jwe_support::with_part(&token, 1, |k| *k = b64::decode_strict(short.split('.').nth(1).unwrap()).unwrap());
    assert_cannot_decrypt(&d, &wrong_length, "another CEK");
    assert_cannot_decrypt(
        &decrypter(&key, "RSA1_5", "A256CBC-HS512"),
        &with_members(&token, json!({"enc": "A256CBC-HS512"})),
        "CEK of the wrong length",
    );
}

#[test]
fn an_epk_on_another_curve_is_refused() {
    let key = jwe_support::ec(Nid::X9_62_PRIME256V1);
    let (token, d) = sealed(&key, "ECDH-ES", "A256GCM");
    let p384 = jwe_support::ec(Nid::SECP384R1).public_jwk().unwrap();
    for other in [p384, x25519().public_jwk().unwrap()] {
        let epk: Map<String, Value> = other
            .as_object()
            .unwrap()
            .iter()
            .filter(|(name, _)| ["kty", "crv", "x", "y"].contains(&name.as_str()))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        let forged = with_members(&token, json!({"epk": epk}));
        let rejection = refusal(&d, &forged);
        assert_eq!(rejection.reason, Reason::Malformed);
        assert!(
            rejection.message.contains("but the configured key is an EC P-256 key") && rejection.message.contains("same curve"),
            "{}",
            rejection.message
        );
    }
}

#[test]
fn an_epk_off_the_curve_is_refused() {
    let key = jwe_support::ec(Nid::X9_62_PRIME256V1);
    let (token, d) = sealed(&key, "ECDH-ES+A128KW", "A128GCM");
    let forged = with_header(&token, |h| {
        let y = b64::decode_strict(h["epk"]["y"].as_str().unwrap()).unwrap();
        let mut off = y.clone();
        off[31] ^= 1;
        h["epk"]["y"] = b64::encode(&off).into();
    });
    let rejection = refusal(&d, &forged);
    assert_eq!(rejection.reason, Reason::Malformed);
    assert!(rejection.message.contains("epk") && rejection.message.contains("not on the P-256 curve"), "{}", rejection.message);
}

#[test]
fn a_low_order_x25519_epk_is_refused_before_any_key_agreement() {
    let key = x25519();
    let (token, d) = sealed(&key, "ECDH-ES", "A256GCM");
    let forged = with_header(&token, |h| {
        h["epk"]["x"] = b64::encode(&[0; 32]).into();
    });
    let rejection = refusal(&d, &forged);
    assert_eq!(rejection.reason, Reason::Malformed);
    assert!(rejection.message.contains("epk") && rejection.message.contains("small order"), "{}", rejection.message);
}

#[test]
fn missing_or_malformed_algorithm_members_are_named() {
    let ec = jwe_support::ec(Nid::X9_62_PRIME256V1);
    let cases: [(Arc<Key>, &str, &str, &str); 5] = [
        (ec.clone(), "ECDH-ES", "epk", "no 'epk' object"),
        (secret(16), "A128GCMKW", "iv", "no 'iv' header member"),
        (secret(16), "A128GCMKW", "tag", "no 'tag' header member"),
        (secret(8), "PBES2-HS256+A128KW", "p2s", "no 'p2s' header member"),
        (secret(8), "PBES2-HS256+A128KW", "p2c", "no PBES2 iteration count"),
    ];
    for (key, alg, member, expected) in cases {
        let (t, d) = sealed(&key, alg, "A128GCM");
        let rejection = refusal(
            &d,
            &with_header(&t, |h| {
                h.remove(member);
            }),
        );
        assert_eq!(rejection.reason, Reason::Malformed, "{alg} without {member}");
        assert!(rejection.message.contains(expected), "{alg} without {member}: {}", rejection.message);
    }
    let (t, d) = sealed(&ec, "ECDH-ES", "A128GCM");
    let rejection = refusal(&d, &with_members(&t, json!({"apu": 5})));
    assert!(rejection.message.contains("'apu' must be a base64url string"), "{}", rejection.message);
}

#[test]
fn absurd_pbes2_iteration_counts_are_refused_before_any_work() {
    let key = secret(12);
    let (t, d) = sealed(&key, "PBES2-HS512+A256KW", "A128GCM");
    // 4 billion iterations would take hours: finishing at all shows no work was done.
    for p2c in [json!(4_000_000_000u64), json!(1_000_000), json!(10_001), json!(999), json!(0)] {
        let rejection = refusal(&d, &with_members(&t, json!({"p2c": p2c.clone()})));
        assert_eq!(rejection.reason, Reason::Malformed, "p2c {p2c}");
        assert!(rejection.message.contains(&format!("p2c) is {p2c}")) && rejection.message.contains("1000 to 10000 "), "{}", rejection.message);
    }
    let rejection = refusal(&d, &with_members(&t, json!({"p2s": b64::encode(&[1; 7])})));
    assert!(rejection.message.contains("salt (p2s) is 7 bytes; at least 8"), "{}", rejection.message);
}

#[test]
fn zip_and_crit_are_refused_with_their_own_reasons() {
    let key = secret(32);
    let (t, d) = sealed(&key, "dir", "A256GCM");
    let zipped = refusal(&d, &with_members(&t, json!({"zip": "DEF"})));
    assert_eq!(zipped.reason, Reason::AlgorithmNotAllowed);
    assert!(zipped.message.contains("compressed") && zipped.message.contains("without 'zip'"), "{}", zipped.message);
    let critical = refusal(&d, &with_members(&t, json!({"crit": ["exp"], "exp": 1})));
    assert_eq!(critical.reason, Reason::UnsupportedCritical);
    assert!(critical.message.contains("'crit'"), "{}", critical.message);
    assert!(critical.header.is_some(), "the decoded header comes with the refusal");
}

#[test]
fn algorithms_outside_the_pinned_pair_are_refused_and_the_accepted_ones_listed() {
    let key = secret(32);
    let d = decrypter(&key, "A256KW", "A256GCM");
    for (alg, enc) in [("A256KW", "A128CBC-HS256"), ("A256GCMKW", "A256GCM"), ("dir", "A256GCM")] {
        let rejection = refusal(&d, &token(&key, alg, enc));
        assert_eq!(rejection.reason, Reason::AlgorithmNotAllowed, "{alg}/{enc}");
        assert_eq!(
            rejection.message,
            format!(
                "The token is encrypted with alg '{alg}' and enc '{enc}', which the configured key does not accept; it accepts A256KW with A256GCM."
            )
        );
    }
    let (t, dir) = sealed(&key, "dir", "A256GCM");
    for (alg, enc) in [("none", "A256GCM"), ("dir", "A256XYZ"), ("Dir", "A256GCM")] {
        let rejection = refusal(&dir, &with_members(&t, json!({"alg": alg, "enc": enc})));
        assert_eq!(rejection.reason, Reason::AlgorithmNotAllowed, "{alg}/{enc}: {}", rejection.message);
    }
    let any = Decrypter::for_key(key.clone()).unwrap();
    let rejection = refusal(&any, &token(&secret(32), "PBES2-HS256+A128KW", "A256GCM"));
    assert!(
        rejection.message.contains("dir with A256GCM or A128CBC-HS256; A256KW with any content encryption; A256GCMKW with any"),
        "{}",
        rejection.message
    );
    let rsa_any = Decrypter::for_key(rsa()).unwrap();
    assert_eq!(refusal(&rsa_any, &token(&rsa(), "RSA1_5", "A256GCM")).reason, Reason::AlgorithmNotAllowed, "RSA1_5 must be named");
}

#[test]
fn malformed_tokens_get_distinct_messages() {
    let key = secret(32);
    let (t, d) = sealed(&key, "dir", "A256GCM");
    let parts: Vec<&str> = t.split('.').collect();
    let cases: Vec<(String, &str)> = vec![
        (parts[..3].join("."), "five base64url parts"),
        (format!("{t}.x"), "and it has 6"),
        (format!("{}=.{}", parts[0], parts[1..].join(".")), "protected header is not valid base64url"),
        (format!("{}.{}", b64::encode(b"not json"), parts[1..].join(".")), "protected header is not a valid JSON object"),
        (format!("{}.{}", b64::encode(br#"{"alg":"dir","alg":"dir","enc":"A256GCM"}"#), parts[1..].join(".")), "'alg' appears twice"),
        (format!("{}.{}", b64::encode(br#"{"enc":"A256GCM"}"#), parts[1..].join(".")), "no 'alg' member"),
        (format!("{}.{}", b64::encode(br#"{"alg":"dir","enc":5}"#), parts[1..].join(".")), "'enc' must be a string"),
        (format!("{}.AAAA.{}", parts[0], parts[2..].join(".")), "dir, which has no encrypted key"),
        (format!("{}..{}.{}+.{}", parts[0], parts[2], parts[3], parts[4]), "ciphertext is not valid base64url"),
        (format!("{}..{}.{}.{}/", parts[0], parts[2], parts[3], parts[4]), "authentication tag is not valid base64url"),
        (format!("{}..{}!.{}.{}", parts[0], parts[2], parts[3], parts[4]), "initialization vector is not valid base64url"),
    ];
    for (token, expected) in cases {
        let rejection = refusal(&d, &token);
        assert_eq!(rejection.reason, Reason::Malformed, "{expected}");
        assert!(rejection.message.contains(expected), "expected '{expected}' in: {}", rejection.message);
    }
    let huge = format!("{}..{}.{}.{}", parts[0], parts[2], "A".repeat(MAX_TOKEN_BYTES), parts[4]);
    let rejection = refusal(&d, &huge);
    assert_eq!(rejection.reason, Reason::TooLarge);
    assert!(rejection.message.contains("262144 bytes are refused"), "{}", rejection.message);
    let e = encrypter(&key, "dir", "A256GCM").encrypt_compact(&Map::new(), &vec![0; MAX_TOKEN_BYTES]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidArgument);
    assert!(e.message.contains("Put less into the token"), "{}", e.message);
}

#[test]
fn members_krjwt_sets_cannot_be_given() {
    let e = encrypter(&secret(32), "dir", "A256GCM");
    for member in ["alg", "enc", "zip", "crit", "epk", "iv", "tag", "p2s", "p2c"] {
        let extra: Map<String, Value> = [(member.to_string(), json!("x"))].into_iter().collect();
        let error = e.encrypt_compact(&extra, b"x").unwrap_err();
        assert_eq!(error.kind, ErrorKind::InvalidArgument);
        assert_eq!(error.message, format!("The '{member}' header member is set by KrJwt when encrypting and cannot be given."));
    }
    let bad_apu: Map<String, Value> = [("apu".to_string(), json!("not base64!"))].into_iter().collect();
    let error = encrypter(&x25519(), "ECDH-ES", "A128GCM").encrypt_compact(&bad_apu, b"x").unwrap_err();
    assert_eq!(error.kind, ErrorKind::InvalidArgument);
    assert!(error.message.contains("'apu' is not valid base64url"), "{}", error.message);
}

/// Asserts that making an encrypter (or decrypter) fails with `kind` and a message holding every
/// part of `expected`.
fn assert_refused(result: krjwt::Result<impl std::fmt::Debug>, kind: ErrorKind, expected: &[&str]) {
    let error = result.unwrap_err();
    assert_eq!(error.kind, kind, "{}", error.message);
    for part in expected {
        assert!(error.message.contains(part), "expected '{part}' in: {}", error.message);
    }
}

#[test]
fn unknown_names_list_the_valid_ones() {
    assert_refused(
        Encrypter::new(secret(32), Some("A512KW"), None),
        ErrorKind::InvalidArgument,
        &["Unknown key management algorithm 'A512KW'", "dir, A128KW", "PBES2-HS512+A256KW"],
    );
    assert_refused(
        Encrypter::new(secret(32), None, Some("A128CTR")),
        ErrorKind::InvalidArgument,
        &["Unknown content encryption algorithm 'A128CTR'", "A128GCM", "A256CBC-HS512"],
    );
}

#[test]
fn secrets_of_the_wrong_size_are_refused_when_the_encrypter_is_made() {
    assert_refused(Encrypter::new(secret(20), None, None), ErrorKind::InvalidKey, &["20-byte secret", "16, 24 or 32 bytes", "A256KW"]);
    assert_refused(
        Encrypter::new(secret(32), Some("dir"), Some("A256CBC-HS512")),
        ErrorKind::InvalidKey,
        &["A256CBC-HS512 key, which must be 64 bytes", "this secret has 32 bytes", "choose A256GCM for this secret"],
    );
    assert_refused(Encrypter::new(secret(16), None, Some("A256GCM")), ErrorKind::InvalidKey, &["must be 32 bytes", "choose A128GCM"]);
    assert_refused(
        Encrypter::new(secret(32), Some("A128KW"), None),
        ErrorKind::InvalidKey,
        &["A128KW needs a 16-byte (128-bit)", "has 32 bytes", "Use A256KW for this secret"],
    );
    assert_refused(
        Encrypter::new(secret(24), Some("A256GCMKW"), None),
        ErrorKind::InvalidKey,
        &["A256GCMKW needs a 32-byte", "Use A192GCMKW for this secret"],
    );
    assert_refused(Encrypter::new(secret(20), Some("A192KW"), None), ErrorKind::InvalidKey, &["needs a 24-byte", "Use a 24-byte secret"]);
}

#[test]
fn keys_of_the_wrong_type_are_refused_with_what_fits() {
    assert_refused(
        Encrypter::new(rsa(), Some("A256KW"), None),
        ErrorKind::InvalidKey,
        &["A256KW needs a shared secret", "a 2048-bit RSA key cannot", "RSA-OAEP"],
    );
    assert_refused(Encrypter::new(rsa(), Some("dir"), None), ErrorKind::InvalidKey, &["dir needs a shared secret"]);
    assert_refused(
        Encrypter::new(secret(32), Some("RSA-OAEP"), None),
        ErrorKind::InvalidKey,
        &["RSA-OAEP encrypts to an RSA key", "a shared secret cannot", "dir, A128KW"],
    );
    assert_refused(Encrypter::new(rsa(), Some("ECDH-ES"), None), ErrorKind::InvalidKey, &["EC (P-256, P-384, P-521) or X25519", "RSA-OAEP-256"]);
    let ec = jwe_support::ec(Nid::X9_62_PRIME256V1);
    assert_refused(Encrypter::new(ec, Some("RSA-OAEP-256"), None), ErrorKind::InvalidKey, &["an EC P-256 key cannot", "ECDH-ES or ECDH-ES+A128KW"]);
    let ed25519 = common::import(KeyFormat::Der, common::ed25519().private_key_to_der().unwrap());
    assert_refused(Encrypter::new(ed25519.clone(), None, None), ErrorKind::InvalidKey, &["Ed25519 key only signs", "X25519"]);
    assert_refused(Encrypter::new(ed25519, Some("ECDH-ES"), None), ErrorKind::InvalidKey, &["Ed25519 key only signs"]);
}

#[test]
fn decrypters_need_the_private_key() {
    assert!(Encrypter::new(public_only(&rsa()), None, None).is_ok(), "encryption needs only the public key");
    assert_refused(
        Decrypter::new(public_only(&rsa()), None, None),
        ErrorKind::InvalidKey,
        &["Decrypting RSA-OAEP tokens needs a private key", "without its private part"],
    );
    assert_refused(Decrypter::for_key(public_only(&x25519())), ErrorKind::InvalidKey, &["Decrypting ECDH-ES tokens needs a private key"]);
}

#[test]
fn rsa_keys_under_2048_bits_are_refused_at_import() {
    let small = openssl::pkey::PKey::from_rsa(openssl::rsa::Rsa::generate(1024).unwrap()).unwrap();
    let e = Key::import(KeyFormat::Der, &small.private_key_to_der().unwrap()).unwrap_err();
    assert!(e.message.contains("1024 bits") && e.message.contains("2048-bit"), "{}", e.message);
}
