//! Signature attacks: stripped, truncated and out-of-range signatures; high-S ECDSA (accepted, as
//! JOSE peers accept it).

use super::*;

#[test]
fn stripped_or_truncated_signatures_are_refused() {
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let cases: [(&str, CKey, PinnedKey); 5] = [
        ("HS256", c_secret(), hs256()),
        ("RS256", c_public(rsa()), pin(&core_key(rsa()), Algorithm::RS256)),
        ("PS256", c_public(rsa()), pin(&core_key(rsa()), Algorithm::PS256)),
        ("ES256", c_public(&p256), pin(&core_key(&p256), Algorithm::ES256)),
        ("EdDSA", c_public(&ed), pin(&core_key(&ed), Algorithm::EdDSA)),
    ];
    for (alg, key, signer) in cases {
        let v = validator_with(json!({"algorithms": [alg]}), &[&key], &[]);
        let token = forge_json(&jwt_header_json(alg), &claims(), &signer);
        accepted(&v, &token, alg);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let bytes = b64::decode_strict(signature).unwrap();
        let variants = [
            ("stripped (empty third segment)", format!("{input}.")),
            ("last byte cut", format!("{input}.{}", b64::encode(&bytes[..bytes.len() - 1]))),
            ("half cut", format!("{input}.{}", b64::encode(&bytes[..bytes.len() / 2]))),
            ("one byte", format!("{input}.{}", b64::encode(&bytes[..1]))),
            ("a zero byte appended", format!("{input}.{}", b64::encode(&[&bytes[..], &[0]].concat()))),
            ("all zeros", format!("{input}.{}", b64::encode(&vec![0; bytes.len()]))),
        ];
        for (shape, forged) in variants {
            refused(&v, &forged, "InvalidSignature", &["signature does not match"], &format!("{alg}: {shape}"));
        }
        refused(&v, input, "Malformed", &["three base64url parts"], &format!("{alg}: signature segment removed"));
        refused(&v, &format!("{token}.{signature}"), "Malformed", &["three base64url parts"], &format!("{alg}: signature doubled"));
    }
}

#[test]
fn ecdsa_signatures_with_r_or_s_out_of_range_are_refused() {
    // "Psychic signatures" (CVE-2022-21449): r = s = 0 verified for every message in Java 15-18.
    for (curve, alg) in [(Nid::X9_62_PRIME256V1, "ES256"), (Nid::SECP384R1, "ES384"), (Nid::SECP521R1, "ES512")] {
        let pkey = common::ec(curve);
        let public = c_public(&pkey);
        let v = validator(&[&public], &[]);
        let token = forge_json(&jwt_header_json(alg), &claims(), &pin(&core_key(&pkey), Algorithm::from_header(alg).unwrap()));
        accepted(&v, &token, alg);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let size = b64::decode_strict(signature).unwrap().len() / 2;
        let mut n = BigNum::new().unwrap();
        EcGroup::from_curve_name(curve).unwrap().order(&mut n, &mut BigNumContext::new().unwrap()).unwrap();
        let num = |v: &BigNum| v.to_vec_padded(size as i32).unwrap();
        let plus = |k: u32| {
            let mut sum = BigNum::new().unwrap();
            sum.checked_add(&n, &BigNum::from_u32(k).unwrap()).unwrap();
            sum
        };
        let zero = vec![0; size];
        let one = num(&BigNum::from_u32(1).unwrap());
        let all_ones = vec![0xff; size];
        let genuine = b64::decode_strict(signature).unwrap();
        let (r, s) = genuine.split_at(size);
        let cases: [(&str, Vec<u8>, Vec<u8>); 9] = [
            ("r = s = 0", zero.clone(), zero.clone()),
            ("r = 0", zero.clone(), s.to_vec()),
            ("s = 0", r.to_vec(), zero.clone()),
            ("r = s = n", num(&n), num(&n)),
            ("r = n", num(&n), s.to_vec()),
            ("s = n", r.to_vec(), num(&n)),
            ("r = s = n + 1", num(&plus(1)), num(&plus(1))),
            ("r = s = all ones (> n)", all_ones.clone(), all_ones.clone()),
            ("r = s = 1", one.clone(), one.clone()),
        ];
        for (name, r, s) in cases {
            let forged = format!("{input}.{}", b64::encode(&[r, s].concat()));
            refused(&v, &forged, "InvalidSignature", &["signature does not match"], &format!("{alg}: {name}"));
            // The JOSE layer says the same.
            let (status, message) = jws_verify(&public, Some(alg), &forged).expect_err("a forged signature");
            assert_eq!(status, KrStatus::InvalidToken, "{alg}: {name} through kr_jws_verify");
            assert!(message.contains("(InvalidSignature)"), "{alg}: {name}");
        }
    }
}

#[test]
fn high_s_ecdsa_signatures_are_accepted_as_jose_peers_accept_them() {
    // ECDSA signatures are malleable: (r, n - s) verifies wherever (r, s) does. JOSE (RFC 7518
    // §3.4) does not require low S, and jose, .NET and OpenSSL accept both: so does KrJwt. A
    // token's identity is its claims, not its signature bytes (docs/guide.md, "Policies").
    let key = common::ec(Nid::X9_62_PRIME256V1);
    let token = forge_json(&jwt_header_json("ES256"), &claims(), &pin(&core_key(&key), Algorithm::ES256));
    let v = validator(&[&c_public(&key)], &[]);
    accepted(&v, &token, "control");
    let mut order = BigNum::new().unwrap();
    EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap().order(&mut order, &mut BigNumContext::new().unwrap()).unwrap();
    let flipped = with_part(&token, 2, |signature| {
        let s = BigNum::from_slice(&signature[32..]).unwrap();
        let high = &order - &s;
        signature[32..].copy_from_slice(&high.to_vec_padded(32).unwrap());
    });
    assert_ne!(flipped, token);
    accepted(&v, &flipped, "the same signature with s replaced by n - s");
}
