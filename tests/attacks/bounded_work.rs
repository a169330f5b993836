//! Bounded work: PBES2 iteration counts and size limits that keep a forged token cheap to refuse.

use super::*;

#[test]
fn pbes2_iteration_counts_that_would_burn_cpu_are_refused_before_any_work() {
    let password = b"correct horse battery staple";
    let core = Arc::new(Key::import(KeyFormat::Passphrase, password).unwrap());
    let key = CKey::new(KrKeyFormat::Passphrase, password);
    let alg = "PBES2-HS256+A128KW";
    let token = Encrypter::new(core, Some(alg), Some("A128GCM")).unwrap().encrypt_compact(&Map::new(), b"payload").unwrap();
    assert_eq!(jwe_decrypt(&key, Some(alg), None, &token).unwrap(), b"payload", "control");

    // Calibration: the cost of about the 10,000 iterations accepted by default (the changed header
    // then fails the tag).
    let calibrate = with_header(&token, |h| {
        h["p2c"] = 9_999.into();
    });
    let start = Instant::now();
    let (_, message) = jwe_decrypt(&key, Some(alg), None, &calibrate).expect_err("the header is authenticated");
    let ten_thousand = start.elapsed();
    assert!(message.contains(DECRYPTION_FAILED));

    let absurd =
        [json!(10_001), json!(1_000_000), json!(2_147_483_647u32), json!(4_294_967_296u64), json!(u64::MAX), json!(1e20), json!(-1), json!(0)];
    for p2c in &absurd {
        let forged = with_header(&token, |h| {
            h["p2c"] = p2c.clone();
        });
        // The fastest of a few tries: a busy machine may pause any one of them.
        let (mut elapsed, mut refusal) = (Duration::MAX, None);
        for _ in 0..5 {
            let start = Instant::now();
            refusal = jwe_decrypt(&key, Some(alg), None, &forged).err();
            elapsed = elapsed.min(start.elapsed());
        }
        let (status, message) = refusal.expect("refused");
        assert_eq!(status, KrStatus::InvalidToken, "p2c {p2c}");
        assert!(message.ends_with("(Malformed)"), "p2c {p2c}: {message}");
        assert_helpful(&message, &["iteration count (p2c)"], &format!("p2c {p2c}"));
        // A refusal before any derivation costs almost nothing next to 10,000 iterations.
        assert!(elapsed * 10 < ten_thousand, "p2c {p2c}: refused after {elapsed:?}; 10,000 iterations take {ten_thousand:?}");
    }
    let forged = with_header(&token, |h| {
        h["p2c"] = 1_000_000.into();
    });
    let (_, message) = jwe_decrypt(&key, Some(alg), None, &forged).err().unwrap();
    assert_helpful(&message, &["is 1000000", "1000 to 10000 ", "bounds the work", "maxPbes2Count"], "p2c 10^6 (0.7 s of CPU a token)");
    for p2c in [json!("1000"), json!(1000.5), json!(null)] {
        let forged = with_header(&token, |h| {
            h["p2c"] = p2c.clone();
        });
        let (_, message) = jwe_decrypt(&key, Some(alg), None, &forged).err().unwrap();
        assert_helpful(&message, &["p2c"], &format!("p2c {p2c}"));
    }
    // Without naming PBES2, a password decrypts nothing: it is refused as a key, before any token.
    let (status, message) = jwe_decrypt(&key, None, None, &forged).expect_err("PBES2 must be named");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["name a PBES2 algorithm"], "PBES2 not named");
    // A 32-byte secret does serve other algorithms; a PBES2 token is still refused unless named.
    let secret = CKey::new(KrKeyFormat::Secret, &[0x5c; 32]);
    let (status, message) = jwe_decrypt(&secret, None, None, &forged).expect_err("PBES2 must be named");
    assert_eq!(status, KrStatus::InvalidToken);
    assert!(message.ends_with("(AlgorithmNotAllowed)") && message.contains(alg), "{message}");
}

#[test]
fn pbes2_iteration_cap_defaults_to_10000_and_validators_can_raise_it() {
    let password = b"correct horse battery staple";
    let key = CKey::new(KrKeyFormat::Passphrase, password);
    let (_, hs_key) = hs_setup();
    let alg = "PBES2-HS256+A128KW";
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    let core = Arc::new(Key::import(KeyFormat::Passphrase, password).unwrap());
    let token = Encrypter::new(core, Some(alg), Some("A128GCM")).unwrap().encrypt_compact(&jwt_header("k"), inner.as_bytes()).unwrap();
    let header: Value = serde_json::from_slice(&b64::decode_strict(token.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!(header["p2c"], 10_000, "KrJwt writes what a default verifier accepts");
    let v = validator_with(json!({"keyManagementAlgorithm": alg}), &[&hs_key], &[&key]);
    accepted(&v, &token, "control");
    let costly = with_header(&token, |h| {
        h["p2c"] = 100_000.into();
    });
    refused(&v, &costly, "Malformed", &["p2c", "1000 to 10000 ", "maxPbes2Count"], "100,000 iterations by default");
    // Raised: the count is accepted, the work done, and the altered header then fails its tag.
    let raised = validator_with(json!({"keyManagementAlgorithm": alg, "maxPbes2Count": 100_000}), &[&hs_key], &[&key]);
    refused(&raised, &costly, "DecryptionFailed", &[DECRYPTION_FAILED], "100,000 iterations with the cap raised");
    accepted(&raised, &token, "control with the cap raised");
    let description: Value = {
        let mut out = null_mut();
        assert_eq!(unsafe { kr_validator_describe(raised.0, &mut out) }, KrStatus::Ok);
        serde_json::from_str(&take(out)).unwrap()
    };
    assert_eq!(description["maxPbes2Count"], 100_000);
    for cap in [json!(999), json!(10_000_001), json!(-1), json!("many")] {
        let refused = try_validator(&json!({"keyManagementAlgorithm": alg, "maxPbes2Count": cap}), &[&hs_key], &[&key]);
        assert!(refused.is_err(), "cap {cap}");
    }
}

#[test]
fn jose_layer_entry_points_apply_the_validation_size_limits() {
    let key = c_secret();
    // A correctly signed JWS just above 64 KiB: the validator refuses it for its size, and so now
    // does kr_jws_verify, before any decoding.
    let big = jws_sign(&key, &vec![b'a'; 49_200]).unwrap();
    assert!(big.len() > 64 * 1024 && big.len() < 66 * 1024, "{}", big.len());
    let (v, _) = hs_setup();
    refused(&v, &big, "TooLarge", &["65536 bytes"], "a 65+ KiB JWS");
    let (status, message) = jws_verify(&key, None, &big).expect_err("above the limit");
    assert_eq!(status, KrStatus::InvalidToken);
    assert_helpful(&message, &["65536 bytes", "(TooLarge)"], "kr_jws_verify");
    let small = jws_sign(&key, &vec![b'a'; 48_000]).unwrap();
    jws_verify(&key, None, &small).unwrap_or_else(|(status, message)| panic!("below the limit: {status:?} {message}"));
    // Inspection: the limits of validation, 64 KiB for a JWS and 256 KiB for a JWE, on the whole input.
    let inspect = |token: &str| {
        let mut info = null_mut();
        let status = unsafe { kr_token_inspect(token.as_ptr().cast(), token.len(), &mut info) };
        if status == KrStatus::Ok {
            take(info);
        }
        status
    };
    assert_eq!(inspect(&big), KrStatus::InvalidToken, "a 65+ KiB JWS");
    let secret = [0x23u8; 32];
    let jwe = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM"}), &vec![0; 150_000]);
    assert_eq!(inspect(&jwe), KrStatus::Ok, "a 200 KiB JWE is within the JWE limit");
    let huge = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM"}), &vec![0; 200_000]);
    assert_eq!(inspect(&huge), KrStatus::InvalidToken, "a 266 KiB JWE");
    let padded = format!("{}{small}", " ".repeat(20_000));
    assert_eq!(inspect(&padded), KrStatus::InvalidToken, "whitespace counts: the limit is on the whole input");
    refused(&v, &padded, "TooLarge", &[], "validation counts the whole input too");
}
