//! Keys that parse but must be refused, on every import path: weak RSA exponents, ROCA moduli,
//! small-order curve points, `key_ops` that forbid the use, duplicate members, ambiguous JWK Sets,
//! and malformed secrets.

use super::*;

/// A JWK Set given to `kr_validator_new`: the validator, or the status and message of its refusal.
fn key_set_validator(jwks: Value) -> Result<CValidator, (KrStatus, String)> {
    try_validator(&json!({"jwks": jwks}), &[], &[])
}

/// Every public form of a key: SPKI PEM, SPKI DER, a certificate (PEM and DER), a public JWK, and
/// a JWK Set for verification.
fn assert_refused_everywhere(public: &PKey<openssl::pkey::Public>, jwk: &Value, hints: &[&str], case: &str) {
    refused_key(KrKeyFormat::Pem, &public.public_key_to_pem().unwrap(), hints, &format!("{case}: SPKI PEM"));
    refused_key(KrKeyFormat::Der, &public.public_key_to_der().unwrap(), hints, &format!("{case}: SPKI DER"));
    let certificate = common::certificate_for(public, attacker_rsa()).to_der().unwrap();
    refused_key(KrKeyFormat::Der, &certificate, hints, &format!("{case}: certificate (DER)"));
    let pem = openssl::x509::X509::from_der(&certificate).unwrap().to_pem().unwrap();
    refused_key(KrKeyFormat::Pem, &pem, hints, &format!("{case}: certificate (PEM)"));
    refused_key(KrKeyFormat::Jwk, jwk.to_string().as_bytes(), hints, &format!("{case}: JWK"));
    let (status, message) = key_set_validator(json!({"keys": [jwk]})).err().unwrap_or_else(|| panic!("{case}: JWK Set accepted"));
    assert_eq!(status, KrStatus::InvalidKey, "{case}: JWK Set: {message}");
    assert_helpful(&message, &[&["Key 0 of the JWK Set"], hints].concat(), &format!("{case}: JWK Set"));
}

#[test]
fn rsa_public_exponents_that_allow_forgery_are_refused_on_every_import_path() {
    let n = rsa().rsa().unwrap().n().to_owned().unwrap();
    for (e, problem) in [(1u32, "below 3"), (2, "even"), (4, "even"), (65536, "even")] {
        let weak = PKey::from_rsa(openssl::rsa::Rsa::from_public_components(n.to_owned().unwrap(), BigNum::from_u32(e).unwrap()).unwrap()).unwrap();
        let jwk = json!({"kty": "RSA", "n": b64::encode(&n.to_vec()), "e": b64::encode(&BigNum::from_u32(e).unwrap().to_vec())});
        assert_refused_everywhere(&weak, &jwk, &[&format!("e = {e}"), problem], &format!("e = {e}"));
    }
    // With e = 1 the "signature" of a token is its padded digest: anyone could write one. Refused
    // at import, such a key never reaches a verifier, whatever the PKCS#1 block says.
    let control = json!({"kty": "RSA", "n": b64::encode(&n.to_vec()), "e": "AQAB"});
    assert!(try_key(KrKeyFormat::Jwk, control.to_string().as_bytes()).is_ok(), "e = 65537 control");
    // A private key with an even exponent is refused as well (the JWK's numbers need not be consistent
    // to be refused: the exponent is read first).
    let mut private = private_jwk(rsa());
    private["e"] = "Ag".into();
    refused_key(KrKeyFormat::Jwk, private.to_string().as_bytes(), &["e = 2"], "private JWK with e = 2");
}

/// A 2048-bit RSA key pair made the way the Infineon library behind ROCA made them: each prime is
/// p = k * M + (65537^a mod M), M the product of the first 126 primes (Nemec et al., CCS 2017, for
/// 1024-bit primes), k and a random.
fn roca_key() -> PKey<Private> {
    let mut ctx = BigNumContext::new().unwrap();
    let mut m = BigNum::from_u32(1).unwrap();
    let (mut found, mut candidate) = (0, 2u32);
    while found < 126 {
        if (2..candidate).take_while(|d| d * d <= candidate).all(|d| candidate % d != 0) {
            m = &m * &BigNum::from_u32(candidate).unwrap();
            found += 1;
        }
        candidate += 1;
    }
    let generator = BigNum::from_u32(65537).unwrap();
    let prime = || loop {
        let mut ctx = BigNumContext::new().unwrap();
        let (mut k, mut a, mut power) = (BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap());
        k.rand(1024 - m.num_bits(), openssl::bn::MsbOption::TWO_ONES, false).unwrap();
        a.rand(256, openssl::bn::MsbOption::MAYBE_ZERO, false).unwrap();
        power.mod_exp(&generator, &a, &m, &mut ctx).unwrap();
        let p = &(&k * &m) + &power;
        if p.num_bits() == 1024 && p.is_prime(64, &mut ctx).unwrap() {
            return p;
        }
    };
    loop {
        let (p, q) = (prime(), prime());
        let one = BigNum::from_u32(1).unwrap();
        let (p1, q1) = (&p - &one, &q - &one);
        let phi = &p1 * &q1;
        let mut d = BigNum::new().unwrap();
        let n = &p * &q;
        if n.num_bits() != 2048 || d.mod_inverse(&generator, &phi, &mut ctx).is_err() {
            continue;
        }
        let (mut dp, mut dq, mut qi) = (BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap());
        dp.nnmod(&d, &p1, &mut ctx).unwrap();
        dq.nnmod(&d, &q1, &mut ctx).unwrap();
        qi.mod_inverse(&q, &p, &mut ctx).unwrap();
        let rsa = openssl::rsa::Rsa::from_private_components(n, generator.to_owned().unwrap(), d, p, q, dp, dq, qi).unwrap();
        return PKey::from_rsa(rsa).unwrap();
    }
}

#[test]
fn roca_moduli_are_refused_on_every_import_path() {
    let key = roca_key();
    assert!(key.rsa().unwrap().check_key().unwrap(), "a real key pair, which signs and verifies");
    let hints = ["ROCA", "CVE-2017-15361"];
    let public = PKey::public_key_from_der(&key.public_key_to_der().unwrap()).unwrap();
    assert_refused_everywhere(&public, &public_jwk_of(&private_jwk(&key)), &hints, "ROCA public key");
    refused_key(KrKeyFormat::Pem, &key.private_key_to_pem_pkcs8().unwrap(), &hints, "ROCA private key (PKCS#8 PEM)");
    refused_key(KrKeyFormat::Pem, &key.rsa().unwrap().private_key_to_pem().unwrap(), &hints, "ROCA private key (PKCS#1 PEM)");
    refused_key(KrKeyFormat::Der, &key.private_key_to_der().unwrap(), &hints, "ROCA private key (DER)");
    refused_key(KrKeyFormat::Jwk, private_jwk(&key).to_string().as_bytes(), &hints, "ROCA private key (JWK)");
    refused_key(KrKeyFormat::Der, &common::self_signed_certificate(&key).to_der().unwrap(), &hints, "ROCA self-signed certificate");
    // Keys made by OpenSSL do not carry the fingerprint.
    for _ in 0..3 {
        let ordinary = common::rsa_2048();
        assert!(try_key(KrKeyFormat::Der, &ordinary.private_key_to_der().unwrap()).is_ok(), "an ordinary key");
    }
}

/// The Edwards25519 points of small order as public-key encodings: the identity (y = 1), y = -1
/// (order 2), y = 0 (order 4), the points of order 8, y = (u - 1) / (u + 1) for the order-8 u
/// above, and non-canonical y = p + 1; each with the sign bit of x clear and set.
fn small_order_ed25519() -> Vec<(String, Vec<u8>)> {
    let p = field_prime();
    let mut ctx = BigNumContext::new().unwrap();
    let one = BigNum::from_u32(1).unwrap();
    let mut ys = vec![("identity".to_string(), one.to_owned().unwrap()), ("y = -1".into(), &p - &one), ("y = 0".into(), BigNum::new().unwrap())];
    for (what, u) in small_order_u().into_iter().filter(|(w, _)| w.starts_with("order 8")) {
        let mut big_endian = u.clone();
        big_endian.reverse();
        let u = BigNum::from_slice(&big_endian).unwrap();
        let (mut numerator, mut denominator, mut inverse, mut y) =
            (BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap(), BigNum::new().unwrap());
        numerator.mod_sub(&u, &one, &p, &mut ctx).unwrap();
        denominator.mod_add(&u, &one, &p, &mut ctx).unwrap();
        inverse.mod_inverse(&denominator, &p, &mut ctx).unwrap();
        y.mod_mul(&numerator, &inverse, &p, &mut ctx).unwrap();
        ys.push((format!("{what}, y = (u - 1) / (u + 1)"), y));
    }
    ys.push(("identity, non-canonical y = p + 1".into(), &p + &one));
    let mut encodings = Vec::new();
    for (what, y) in ys {
        let clear = little_endian(&y);
        let mut set = clear.clone();
        set[31] |= 0x80;
        encodings.push((what.clone(), clear));
        encodings.push((format!("{what}, sign bit set"), set));
    }
    encodings
}

#[test]
fn small_order_ed25519_and_x25519_public_keys_are_refused() {
    // The order-8 y of Edwards25519 is a published constant (libsodium's blocklist): the mapping
    // from the RFC 7748 u above agrees with it.
    let published = BigNum::from_dec_str("2707385501144840649318225287225658788936804267575313519463743609750303402022").unwrap();
    let derived: Vec<Vec<u8>> =
        small_order_ed25519().into_iter().filter(|(w, _)| w.starts_with("order 8") && !w.contains("sign")).map(|(_, y)| y).collect();
    let negated = &field_prime() - &published;
    assert!(derived.contains(&little_endian(&published)) && derived.contains(&little_endian(&negated)), "the order-8 points");

    for (what, raw) in small_order_ed25519() {
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": b64::encode(&raw)});
        let public = PKey::public_key_from_raw_bytes(&raw, openssl::pkey::Id::ED25519).unwrap();
        let hints = ["Ed25519 public key", "small order", "forged signatures"];
        refused_key(KrKeyFormat::Jwk, jwk.to_string().as_bytes(), &hints, &format!("Ed25519 {what}: JWK"));
        refused_key(KrKeyFormat::Pem, &public.public_key_to_pem().unwrap(), &hints, &format!("Ed25519 {what}: PEM"));
        refused_key(KrKeyFormat::Der, &public.public_key_to_der().unwrap(), &hints, &format!("Ed25519 {what}: DER"));
        assert!(key_set_validator(json!({"keys": [jwk]})).is_err(), "Ed25519 {what}: JWK Set");
    }
    for (what, raw) in small_order_u() {
        let jwk = json!({"kty": "OKP", "crv": "X25519", "x": b64::encode(&raw)});
        let public = PKey::public_key_from_raw_bytes(&raw, openssl::pkey::Id::X25519).unwrap();
        let hints = ["X25519 public key", "small order"];
        refused_key(KrKeyFormat::Jwk, jwk.to_string().as_bytes(), &hints, &format!("X25519 {what}: JWK"));
        refused_key(KrKeyFormat::Pem, &public.public_key_to_pem().unwrap(), &hints, &format!("X25519 {what}: PEM"));
        refused_key(KrKeyFormat::Der, &public.public_key_to_der().unwrap(), &hints, &format!("X25519 {what}: DER"));
    }
    // Real keys pass, public and private.
    for key in [common::ed25519(), PKey::generate_x25519().unwrap()] {
        assert!(try_key(KrKeyFormat::Pem, &key.public_key_to_pem().unwrap()).is_ok());
        assert!(try_key(KrKeyFormat::Jwk, public_jwk_of(&private_jwk(&key)).to_string().as_bytes()).is_ok());
        assert!(try_key(KrKeyFormat::Jwk, private_jwk(&key).to_string().as_bytes()).is_ok());
    }
}

fn with_members(jwk: &Value, members: Value) -> Vec<u8> {
    let mut jwk = jwk.clone();
    for (name, value) in members.as_object().unwrap() {
        jwk[name] = value.clone();
    }
    jwk.to_string().into_bytes()
}

#[test]
fn jwk_key_ops_are_honoured_like_use() {
    let ec = common::ec(Nid::X9_62_PRIME256V1);
    let private = private_jwk(&ec);
    let key_ops_hint = |op: &str| vec!["\"key_ops\"".to_string(), format!("does not allow {op}")];
    // Signing needs "sign"; a key whose key_ops lists only "verify" verifies and does not sign.
    let verify_only = CKey::new(KrKeyFormat::Jwk, &with_members(&private, json!({"key_ops": ["verify"]})));
    let (status, message) = jws_sign(&verify_only, b"x").expect_err("a verify-only key cannot sign");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &key_ops_hint("signing").iter().map(String::as_str).collect::<Vec<_>>(), "verify-only: sign");
    let mut b = null_mut();
    unsafe {
        assert_eq!(kr_builder_new(&mut b), KrStatus::Ok);
        assert_eq!(kr_builder_sign(b, verify_only.ptr(), null()), KrStatus::InvalidKey, "the builder refuses it too");
        kr_builder_free(b);
    }
    assert!(try_validator(&json!({}), &[&verify_only], &[]).is_ok(), "verify-only: verify");
    // Verification needs "verify": a key listed for signing only is not a verification key.
    let sign_only = CKey::new(KrKeyFormat::Jwk, &with_members(&private, json!({"key_ops": ["sign"]})));
    let token = jws_sign(&sign_only, b"x").expect("a sign-only key signs");
    let (status, message) = try_validator(&json!({}), &[&sign_only], &[]).err().expect("a sign-only key does not verify");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["\"key_ops\"", "does not allow verifying"], "sign-only: verify");
    let (status, message) = jws_verify(&sign_only, None, &token).expect_err("a sign-only key does not verify");
    assert_eq!(status, KrStatus::InvalidKey, "kr_jws_verify honours key_ops: {message}");
    // Encryption keys: wrapKey/unwrapKey (or encrypt/decrypt, their synonyms) for key wrapping,
    // deriveKey/deriveBits for ECDH-ES.
    let rsa_jwk = private_jwk(rsa());
    let unwrap_only = CKey::new(KrKeyFormat::Jwk, &with_members(&rsa_jwk, json!({"key_ops": ["unwrapKey"]})));
    let wrap_only = CKey::new(KrKeyFormat::Jwk, &with_members(&public_jwk_of(&rsa_jwk), json!({"key_ops": ["wrapKey"]})));
    let jwe = jwe_encrypt(&wrap_only, "RSA-OAEP", "A256GCM", b"payload").expect("wrapKey encrypts with RSA-OAEP");
    assert_eq!(jwe_decrypt(&unwrap_only, None, None, &jwe).unwrap(), b"payload", "unwrapKey decrypts");
    let (status, message) = jwe_encrypt(&unwrap_only, "RSA-OAEP", "A256GCM", b"payload").expect_err("unwrapKey does not encrypt");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["\"key_ops\" member (unwrapKey)", "encrypting with RSA-OAEP", "wrapKey or encrypt"], "unwrap-only: encrypt");
    let encrypt_only = CKey::new(KrKeyFormat::Jwk, &with_members(&rsa_jwk, json!({"key_ops": ["encrypt"]})));
    let (status, message) = jwe_decrypt(&encrypt_only, Some("RSA-OAEP"), None, &jwe).expect_err("encrypt does not decrypt");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["\"key_ops\"", "decrypting with RSA-OAEP"], "encrypt-only: decrypt");
    let x25519 = private_jwk(&PKey::generate_x25519().unwrap());
    let derive = CKey::new(KrKeyFormat::Jwk, &with_members(&x25519, json!({"key_ops": ["deriveBits"]})));
    let jwe = jwe_encrypt(&derive, "ECDH-ES", "A128GCM", b"agreed").expect("deriveBits serves ECDH-ES");
    assert_eq!(jwe_decrypt(&derive, None, None, &jwe).unwrap(), b"agreed");
    let secret = json!({"kty": "oct", "k": b64::encode(&[0x42; 32])});
    let dir_only = CKey::new(KrKeyFormat::Jwk, &with_members(&secret, json!({"key_ops": ["encrypt", "decrypt"]})));
    assert!(jwe_encrypt(&dir_only, "dir", "A256GCM", b"d").is_ok() && jwe_encrypt(&dir_only, "A256KW", "A256GCM", b"d").is_ok());
    let (status, _) = jws_sign(&dir_only, b"x").expect_err("an encryption key does not sign");
    assert_eq!(status, KrStatus::InvalidKey);
    // key_ops itself: distinct strings, consistent with use.
    for (members, hint) in [
        (json!({"key_ops": ["sign", "sign"]}), "twice"),
        (json!({"key_ops": "sign"}), "array"),
        (json!({"key_ops": [1]}), "strings"),
        (json!({"key_ops": []}), "unusable"),
        (json!({"key_ops": ["encrypt"], "use": "sig"}), "disagree"),
        (json!({"key_ops": ["sign", "encrypt"], "use": "enc"}), "disagree"),
    ] {
        refused_key(KrKeyFormat::Jwk, &with_members(&private, members.clone()), &["key_ops", hint], &format!("{members}"));
    }
}

#[test]
fn jwk_text_with_duplicate_members_is_refused() {
    let k = b64::encode(&[0x42; 32]);
    let twice = [
        format!(r#"{{"kty":"oct","k":"{k}","k":"AAAA"}}"#),
        format!(r#"{{"kty":"RSA","kty":"oct","k":"{k}"}}"#),
        format!(r#"{{"kty":"oct","k":"{k}","kid":"a","kid":"b"}}"#),
        format!(r#"{{"kty":"oct","k":"{k}","x":{{"y":1,"y":2}}}}"#),
    ];
    for text in &twice {
        let (status, message) = try_key(KrKeyFormat::Jwk, text.as_bytes()).err().unwrap_or_else(|| panic!("accepted: {text}"));
        assert_eq!(status, KrStatus::InvalidJson, "{text}");
        assert_helpful(&message, &["appears twice"], text);
        let mut thumbprint = null_mut();
        assert_eq!(unsafe { kr_jwk_compute_thumbprint(c(text).as_ptr(), &mut thumbprint) }, KrStatus::InvalidJson, "thumbprint of {text}");
        // In a JWK Set (read with the validation options), at any depth.
        let options = format!(r#"{{"jwks":{{"keys":[{text}]}}}}"#);
        let mut v = null_mut();
        let status = unsafe { kr_validator_new(c(&options).as_ptr(), null(), 0, null(), 0, &mut v) };
        assert_eq!(status, KrStatus::InvalidJson, "JWK Set with {text}: {}", last_error());
        assert_helpful(&last_error(), &["appears twice"], &format!("JWK Set with {text}"));
    }
    let options = format!(r#"{{"jwks":{{"keys":[{{"kty":"oct","k":"{k}"}}],"keys":[]}}}}"#);
    let mut v = null_mut();
    assert_eq!(unsafe { kr_validator_new(c(&options).as_ptr(), null(), 0, null(), 0, &mut v) }, KrStatus::InvalidJson, "\"keys\" twice");
}

#[test]
fn jwk_sets_with_duplicate_kids_or_secrets_beside_public_keys_are_refused() {
    let ec = public_jwk_of(&private_jwk(&common::ec(Nid::X9_62_PRIME256V1)));
    let ed = public_jwk_of(&private_jwk(&common::ed25519()));
    let secret = json!({"kty": "oct", "k": b64::encode(secret())});
    let with_kid = |jwk: &Value, kid: &str| {
        let mut jwk = jwk.clone();
        jwk["kid"] = kid.into();
        jwk
    };
    assert!(key_set_validator(json!({"keys": [with_kid(&ec, "a"), with_kid(&ed, "b")]})).is_ok(), "control");
    let (status, message) = key_set_validator(json!({"keys": [with_kid(&ec, "k1"), with_kid(&ed, "k1")]})).err().expect("duplicate kids");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["two verification keys with the kid 'k1'"], "duplicate kid");
    for keys in [json!([with_kid(&ec, "a"), with_kid(&secret, "b")]), json!([secret.clone(), ed.clone()])] {
        let (status, message) = key_set_validator(json!({"keys": keys})).err().expect("secrets beside public keys");
        assert_eq!(status, KrStatus::InvalidKey);
        assert_helpful(&message, &["mixes shared secrets (kty oct) with public keys"], "oct with public keys");
    }
    assert!(
        key_set_validator(json!({"keys": [with_kid(&secret, "s1"), with_kid(&json!({"kty": "oct", "k": b64::encode(&[7; 32])}), "s2")]})).is_ok(),
        "secrets only"
    );
    // An encryption key beside signing keys is skipped, whatever its kid.
    let mut enc = with_kid(&public_jwk_of(&private_jwk(&PKey::generate_x25519().unwrap())), "a");
    enc["key_ops"] = json!(["deriveKey"]);
    assert!(key_set_validator(json!({"keys": [with_kid(&ec, "a"), enc]})).is_ok(), "an encryption key is not a verification key");
}

#[test]
fn hex_keys_take_hex_digits_only_and_messages_count_them() {
    let refused_hex = |text: &str, hints: &[&str], case: &str| {
        refused_key(KrKeyFormat::Hex, text.as_bytes(), hints, case);
        let message = try_key(KrKeyFormat::Hex, text.as_bytes()).err().unwrap().1;
        assert!(!message.contains(&text[text.len() - 8..]), "{case}: the digits are echoed: {message}");
    };
    // u8::from_str_radix accepts a sign, so "+f" once made a byte: 32 bytes of 0x0f.
    refused_hex(&"+f".repeat(32), &["not a hex digit", "position 1"], "'+f' * 32");
    refused_hex(&format!("0x{}", "a1".repeat(32)), &["0x prefix"], "0x prefix");
    refused_hex(&vec!["a1"; 32].join(":"), &["separators"], "colons");
    refused_hex(&vec!["a1"; 32].join(" "), &["separators"], "spaces");
    refused_hex(&format!("{}\u{e9}{}", "a1".repeat(31), "b2"), &["position 63"], "a non-ASCII character counts once");
    refused_hex(&"a1".repeat(31).chars().chain("b".chars()).collect::<String>(), &["has 63 digits"], "an odd count");
    assert!(try_key(KrKeyFormat::Hex, "A1b2".repeat(16).as_bytes()).is_ok(), "upper and lower case digits");
}

#[test]
fn the_short_hmac_secret_message_names_only_algorithms_that_exist() {
    let message = |len: usize, alg: &str| {
        let key = CKey::new(KrKeyFormat::Secret, &vec![0x5a; len]);
        let mut b = null_mut();
        unsafe {
            assert_eq!(kr_builder_new(&mut b), KrStatus::Ok);
            assert_eq!(kr_builder_sign(b, key.ptr(), c(alg).as_ptr()), KrStatus::InvalidKey, "{len} bytes for {alg}");
            kr_builder_free(b);
        }
        last_error()
    };
    // 20 bytes fit no HMAC: no weaker algorithm to suggest (HS256 is the weakest).
    let text = message(20, "HS256");
    assert_helpful(&text, &["20 bytes", "at least 32 bytes", "64 hex digits"], "20 bytes for HS256");
    assert!(!text.contains("weaker") && !text.contains("choose HS"), "{text}");
    assert_helpful(&message(40, "HS384"), &["choose HS256, which this secret is long enough for"], "40 bytes for HS384");
    assert_helpful(&message(50, "HS512"), &["choose HS384"], "50 bytes for HS512");
    assert!(!message(31, "HS512").contains("choose"), "31 bytes fit nothing");
}
