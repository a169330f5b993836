//! Algorithm attacks: `alg: none`, re-signing under another algorithm, and a public key used as an
//! HMAC secret. The algorithm always comes from the key.

use super::*;

#[test]
fn alg_none_in_any_case_with_or_without_a_signature_is_refused() {
    let (hs, _key) = hs_setup();
    let rsa_public = c_public(rsa());
    let rs = validator(&[&rsa_public], &[]);
    accepted(&hs, &forge_json(&jwt_header_json("HS256"), &claims(), &hs256()), "HS256");
    for name in ["none", "None", "NONE", "nOnE", "NoNe"] {
        let header = jwt_header_json(name);
        let encoded = format!("{}.{}", b64::encode(header.to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
        let with_mac = forge_json(&header, &claims(), &hs256());
        let with_junk = format!("{encoded}.{}", b64::encode(b"not a signature"));
        for v in [&hs, &rs] {
            for (token, shape) in
                [(format!("{encoded}."), "empty signature"), (with_mac.clone(), "a valid MAC"), (with_junk.clone(), "junk signature")]
            {
                let verdict = refused(v, &token, "AlgorithmNotAllowed", &["unsigned", "'none'", "never accepted"], &format!("alg {name}, {shape}"));
                assert_eq!(verdict.header["alg"], name, "the report shows what the token claimed");
            }
            // Without the third segment it is not a JWS at all.
            refused(v, &encoded, "Malformed", &["three base64url parts"], &format!("alg {name}, two segments"));
        }
    }
}

#[test]
fn algorithm_substitution_by_re_signing_under_another_algorithm_is_refused() {
    let (hs, _key) = hs_setup();
    let rsa_public = c_public(rsa());
    let rs = validator(&[&rsa_public], &[]);
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let attacker_rsa = core_key(attacker_rsa());
    let legit_rsa = core_key(rsa());
    accepted(&rs, &forge_json(&jwt_header_json("RS256"), &claims(), &pin(&legit_rsa, Algorithm::RS256)), "RS256");

    // HS-pinned validator: the token is re-signed by the attacker under an asymmetric algorithm.
    let asymmetric: [(Algorithm, Arc<Key>); 5] = [
        (Algorithm::RS256, attacker_rsa.clone()),
        (Algorithm::PS256, attacker_rsa.clone()),
        (Algorithm::ES256, core_key(&p256)),
        (Algorithm::EdDSA, core_key(&ed)),
        (Algorithm::RS512, attacker_rsa.clone()),
    ];
    for (alg, key) in &asymmetric {
        let token = forge_json(&jwt_header_json(alg.name()), &claims(), &pin(key, *alg));
        refused(&hs, &token, "AlgorithmNotAllowed", &[&format!("signed with '{alg}'"), "only HS256 is accepted"], &format!("{alg} to an HS256 key"));
    }
    // HS384/HS512 over the same secret: a stronger-looking HMAC is still not the pinned one.
    for (alg, digest) in [("HS384", MessageDigest::sha384()), ("HS512", MessageDigest::sha512())] {
        let header = jwt_header_json(alg);
        let input = format!("{}.{}", b64::encode(header.to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
        let token = format!("{input}.{}", b64::encode(&raw_hmac(digest, secret(), input.as_bytes())));
        refused(&hs, &token, "AlgorithmNotAllowed", &[&format!("signed with '{alg}'"), "only HS256"], &format!("{alg} with the same secret"));
    }
    // RS-pinned validator: an HMAC, another curve, EdDSA, and PSS with the very same RSA key.
    let substitutes: [(Algorithm, PinnedKey); 4] = [
        (Algorithm::HS256, hs256()),
        (Algorithm::ES256, pin(&core_key(&p256), Algorithm::ES256)),
        (Algorithm::EdDSA, pin(&core_key(&ed), Algorithm::EdDSA)),
        (Algorithm::PS256, pin(&legit_rsa, Algorithm::PS256)),
    ];
    for (alg, signer) in &substitutes {
        let token = forge_json(&jwt_header_json(alg.name()), &claims(), signer);
        refused(&rs, &token, "AlgorithmNotAllowed", &[&format!("signed with '{alg}'"), "only RS256 is accepted"], &format!("{alg} to an RS256 key"));
    }
    // Names are exact: a case or whitespace variant of the pinned name is not the pinned algorithm.
    for alg in ["hs256", "Hs256", "HS256 ", " HS256", "HS256\u{0}", "HS-256"] {
        let token = forge_json(&jwt_header_json(alg), &claims(), &hs256());
        refused(&hs, &token, "AlgorithmNotAllowed", &["only HS256 is accepted"], &format!("alg {alg:?}"));
    }
    for alg in [json!(null), json!(256), json!(["HS256"]), json!({"name": "HS256"})] {
        let token = forge_json(&json!({"alg": alg}), &claims(), &hs256());
        refused(&hs, &token, "Malformed", &["no 'alg' string"], &format!("alg {alg}"));
    }
    let token = forge_json(&json!({"typ": "JWT"}), &claims(), &hs256());
    refused(&hs, &token, "Malformed", &["no 'alg' string"], "no alg");
}

#[test]
fn key_confusion_with_a_public_key_as_the_hmac_secret_is_refused() {
    let rsa = rsa();
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let rsa_numbers = rsa.rsa().unwrap();
    let ec_point = {
        let ec = p256.ec_key().unwrap();
        ec.public_key().to_bytes(ec.group(), PointConversionForm::UNCOMPRESSED, &mut BigNumContext::new().unwrap()).unwrap()
    };
    let published = |pkey: &PKey<Private>| {
        let mut out = null_mut();
        let key = c_public(pkey);
        assert_eq!(unsafe { kr_key_export_public_jwk(key.ptr(), &mut out) }, KrStatus::Ok);
        take(out).into_bytes()
    };
    type Case<'k> = (&'k str, &'k PKey<Private>, &'k str, Vec<Vec<u8>>);
    let cases: [Case; 3] = [
        (
            "RSA",
            rsa,
            "RS256",
            vec![
                rsa.public_key_to_pem().unwrap(),
                rsa.public_key_to_pem().unwrap().trim_ascii_end().to_vec(),
                rsa_numbers.public_key_to_pem_pkcs1().unwrap(),
                rsa.public_key_to_der().unwrap(),
                rsa_numbers.public_key_to_der_pkcs1().unwrap(),
                published(rsa),
                public_jwk_of(&private_jwk(rsa)).to_string().into_bytes(),
                rsa_numbers.n().to_vec(),
                b64::encode(&rsa_numbers.n().to_vec()).into_bytes(),
            ],
        ),
        (
            "EC",
            &p256,
            "ES256",
            vec![p256.public_key_to_pem().unwrap(), p256.public_key_to_der().unwrap(), published(&p256), ec_point.clone(), ec_point[1..33].to_vec()],
        ),
        (
            "Ed25519",
            &ed,
            "EdDSA",
            vec![ed.public_key_to_pem().unwrap(), ed.public_key_to_der().unwrap(), published(&ed), ed.raw_public_key().unwrap()],
        ),
    ];
    for (kty, pkey, alg, texts) in cases {
        let public = c_public(pkey);
        let pinned = validator(&[&public], &[]);
        // Even a validator whose options list HS256 pins the public key to its own family only.
        let listing_hs256 = validator_with(json!({"algorithms": [alg, "HS256"]}), &[&public], &[]);
        let genuine = forge_json(&jwt_header_json(alg), &claims(), &pin(&core_key(pkey), Algorithm::from_header(alg).unwrap()));
        for v in [&pinned, &listing_hs256] {
            accepted(v, &genuine, &format!("{kty} {alg}"));
        }
        for (i, text) in texts.iter().enumerate() {
            let forged = hs256_with_key(text, &jwt_header_json("HS256"));
            for v in [&pinned, &listing_hs256] {
                refused(
                    v,
                    &forged,
                    "AlgorithmNotAllowed",
                    &["signed with 'HS256'", &format!("only {alg} is accepted")],
                    &format!("{kty} public key form {i} as HMAC secret"),
                );
            }
        }
        // Asking for HS256 only is refused when the validator is made, with the reason.
        let (status, message) = try_validator(&json!({"algorithms": ["HS256"]}), &[&public], &[]).err().expect("HS256 with a public key");
        assert_eq!(status, KrStatus::InvalidKey, "{message}");
        assert_helpful(&message, &["cannot verify any of the allowed algorithms", "HS256"], &format!("{kty} key pinned to HS256"));
        // A published JWK claiming "alg":"HS256" is refused at import, saying why it is dangerous.
        let mut jwk: Value = serde_json::from_slice(&published(pkey)).unwrap();
        jwk["alg"] = "HS256".into();
        let (status, message) = try_validator(&json!({"jwks": {"keys": [jwk]}}), &[], &[]).err().expect("an RSA JWK with alg HS256");
        assert_eq!(status, KrStatus::InvalidKey, "{message}");
        assert_helpful(&message, &["cannot be used with HS256", "would let anyone forge tokens"], &format!("{kty} JWK with alg HS256"));
    }
}
