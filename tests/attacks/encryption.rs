//! JWE attacks: invalid-curve and small-order ECDH points, the RSA1_5 padding oracle, compressed
//! tokens, algorithm substitution, tampering, nested-token confusion, and decryption-key selection.

use super::*;

/// The nested JWT a legitimate issuer makes: the HS256 token encrypted to `recipient`.
fn nested(recipient: &Arc<Key>, alg: &str, enc: &str) -> String {
    nested_with_kid(recipient, alg, enc, "k1")
}

fn nested_with_kid(recipient: &Arc<Key>, alg: &str, enc: &str, kid: &str) -> String {
    let inner = forge_json(&jwt_header_json("HS256"), &claims_with(json!({"sub": kid})), &hs256());
    Encrypter::new(recipient.clone(), Some(alg), Some(enc)).unwrap().encrypt_compact(&jwt_header(kid), inner.as_bytes()).unwrap()
}

#[test]
fn invalid_curve_and_small_order_ecdh_points_are_refused() {
    let p256 = common::ec(Nid::X9_62_PRIME256V1);
    let recipient = core_key(&p256);
    let (_, hs_key) = hs_setup();
    let c_recipient = c_private(&p256);
    let v = validator(&[&hs_key], &[&c_recipient]);
    let token = nested(&recipient, "ECDH-ES", "A256GCM");
    accepted(&v, &token, "ECDH-ES control");
    let wrapped = nested(&recipient, "ECDH-ES+A128KW", "A128GCM");
    accepted(&v, &wrapped, "ECDH-ES+A128KW control");

    let p384_public = public_jwk_of(&private_jwk(&common::ec(Nid::SECP384R1)));
    let x25519_public = public_jwk_of(&private_jwk(&PKey::generate_x25519().unwrap()));
    let coordinate = |h: &Map<String, Value>, name: &str| b64::decode_strict(h["epk"][name].as_str().unwrap()).unwrap();
    type Change = Box<dyn Fn(&mut Map<String, Value>)>;
    let off_curve: [(&str, Change); 5] = [
        (
            "y + 1 (off the curve)",
            Box::new(move |h| {
                let mut y = coordinate(h, "y");
                y[31] ^= 1;
                h["epk"]["y"] = b64::encode(&y).into();
            }),
        ),
        (
            "(0, 0)",
            Box::new(|h| {
                h["epk"]["x"] = b64::encode(&[0; 32]).into();
                h["epk"]["y"] = b64::encode(&[0; 32]).into();
            }),
        ),
        (
            "x = y = p (outside the field)",
            Box::new(|h| {
                let p = BigNum::from_hex_str("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF").unwrap().to_vec();
                h["epk"]["x"] = b64::encode(&p).into();
                h["epk"]["y"] = b64::encode(&p).into();
            }),
        ),
        (
            "a point of a weak curve sharing P-256's a (x = 1, y = 1)",
            Box::new(|h| {
                let mut one = vec![0; 32];
                one[31] = 1;
                h["epk"]["x"] = b64::encode(&one).into();
                h["epk"]["y"] = b64::encode(&one).into();
            }),
        ),
        (
            "a P-256 point claimed with a short y",
            Box::new(move |h| {
                let y = coordinate(h, "y");
                h["epk"]["y"] = b64::encode(&y[1..]).into();
            }),
        ),
    ];
    for (what, change) in &off_curve {
        for t in [&token, &wrapped] {
            refused(&v, &with_header(t, |h| change(h)), "Malformed", &["ephemeral public key (epk)"], &format!("epk {what}"));
        }
    }
    let epk_of = |jwk: &Value| -> Value {
        jwk.as_object().unwrap().iter().filter(|(n, _)| ["kty", "crv", "x", "y"].contains(&n.as_str())).map(|(n, v)| (n.clone(), v.clone())).collect()
    };
    for (what, epk) in [("a P-384 point", epk_of(&p384_public)), ("an X25519 point", epk_of(&x25519_public))] {
        let forged = with_header(&token, |h| {
            h.insert("epk".into(), epk.clone());
        });
        refused(
            &v,
            &forged,
            "Malformed",
            &["epk", "but the configured key is an EC P-256 key", "same curve"],
            &format!("epk on another curve: {what}"),
        );
    }
    for (what, epk) in [("no epk", Value::Null), ("an oct epk", json!({"kty": "oct", "k": "AAAA"})), ("a string epk", json!("AAAA"))] {
        let forged = with_header(&token, |h| {
            h.insert("epk".into(), epk.clone());
        });
        refused(&v, &forged, "Malformed", &["epk"], what);
    }

    // X25519: the small-order points (RFC 7748 §6.1; all give an all-zero shared secret) and their
    // non-canonical encodings are refused as keys, before any key agreement: what the header holds
    // is public, so the refusal tells an attacker nothing about the recipient's key.
    let x25519 = PKey::generate_x25519().unwrap();
    let c_x25519 = c_private(&x25519);
    let vx = validator(&[&hs_key], &[&c_x25519]);
    let x_token = nested(&core_key(&x25519), "ECDH-ES", "A256GCM");
    accepted(&vx, &x_token, "X25519 control");
    for (what, point) in &small_order_u() {
        let forged = with_header(&x_token, |h| {
            h["epk"]["x"] = b64::encode(point).into();
        });
        refused(&vx, &forged, "Malformed", &["epk", "small order"], &format!("X25519 epk {what}"));
        let (status, message) = jwe_decrypt(&c_x25519, None, None, &forged).expect_err("refused");
        assert_eq!(status, KrStatus::InvalidToken, "{what}");
        assert!(message.contains("small order") && message.ends_with("(Malformed)"), "X25519 epk {what} through kr_jwe_decrypt: {message}");
    }
    let short = with_header(&x_token, |h| {
        h["epk"]["x"] = b64::encode(&[9; 31]).into();
    });
    refused(&vx, &short, "Malformed", &["epk", "32-byte"], "X25519 epk of 31 bytes");
}

#[test]
fn rsa1_5_padding_oracle_gives_one_answer_in_about_the_same_time() {
    let legit = rsa();
    let recipient = c_private(legit);
    let other = c_private(attacker_rsa());
    let token = nested(&core_key(legit), "RSA1_5", "A128CBC-HS256");
    let to_other = nested(&core_key(attacker_rsa()), "RSA1_5", "A128CBC-HS256");
    let public = legit.rsa().unwrap();
    let encrypt = |cek: &[u8]| {
        let mut out = vec![0; public.size() as usize];
        let len = public.public_encrypt(cek, &mut out, Padding::PKCS1).unwrap();
        out.truncate(len);
        out
    };
    let mut random_cek = [0u8; 32];
    openssl::rand::rand_bytes(&mut random_cek).unwrap();
    let cases: Vec<(&str, &CKey, String)> = vec![
        ("a token for another key", &recipient, to_other.clone()),
        ("the other key on our token", &other, token.clone()),
        ("a corrupted encrypted key (bad padding)", &recipient, with_part(&token, 1, |k| k[20] ^= 0x40)),
        (
            "random bytes below the modulus as the encrypted key",
            &recipient,
            with_part(&token, 1, |k| {
                openssl::rand::rand_bytes(k).unwrap();
                k[0] = 0;
            }),
        ),
        ("valid padding, a 5-byte CEK", &recipient, with_part(&token, 1, |k| *k = encrypt(&[1, 2, 3, 4, 5]))),
        ("valid padding, a 32-byte wrong CEK", &recipient, with_part(&token, 1, |k| *k = encrypt(&random_cek))),
        ("valid padding, a 64-byte CEK", &recipient, with_part(&token, 1, |k| *k = encrypt(&[7; 64]))),
        ("a shortened encrypted key", &recipient, with_part(&token, 1, |k| k.truncate(255))),
    ];
    // Not even an RSA operation is possible on a number at or above the modulus: refused at once,
    // with the same answer. The timing differs, but depends only on public values (n), so it tells
    // the attacker nothing they did not know; it is left out of the timing comparison below.
    let above_modulus = with_part(&token, 1, |k| k.fill(0xff));
    // Through the validator: one reason, one message.
    let (_, hs_key) = hs_setup();
    let pinned = json!({"keyManagementAlgorithm": "RSA1_5"});
    let v = validator_with(pinned.clone(), &[&hs_key], &[&recipient]);
    accepted(&v, &token, "RSA1_5 control");
    for (what, _, forged) in &cases {
        if forged == &token {
            continue;
        }
        let verdict = refused(&v, forged, "DecryptionFailed", &[], what);
        assert_eq!(verdict.message, DECRYPTION_FAILED, "{what}");
    }
    assert_eq!(verdict(&v, &above_modulus).message, DECRYPTION_FAILED, "a number above the modulus");
    let v_other = validator_with(pinned, &[&hs_key], &[&other]);
    assert_eq!(verdict(&v_other, &token).message, DECRYPTION_FAILED, "the other key on our token (validator)");
    // Through the JOSE layer: one status, one message.
    for (what, key, forged) in cases.iter().chain([&("a number above the modulus", &recipient, above_modulus.clone())]) {
        let (status, message) = jwe_decrypt(key, Some("RSA1_5"), None, forged).err().unwrap_or_else(|| panic!("{what}: accepted"));
        assert_eq!(status, KrStatus::InvalidToken, "{what}");
        assert_eq!(message, format!("{DECRYPTION_FAILED} (DecryptionFailed)"), "{what}");
    }
    // Not named, RSA1_5 is refused before any RSA operation: no oracle to query at all.
    let default_rsa = validator(&[&hs_key], &[&recipient]);
    refused(&default_rsa, &token, "AlgorithmNotAllowed", &["RSA1_5", "does not accept"], "RSA1_5 not named");

    // Timing: medians over interleaved runs (so that machine load hits every case alike). The
    // failure path always does the RSA private-key operation and then a tag check with a CEK
    // (real or random), so the cases differ by far less than the RSA operation itself costs.
    // Two random 2048-bit moduli differ: a token for the other key may hold a number at or above
    // ours (and the reverse), which is refused at once for the public reason above. Such cases are
    // left out; the ones kept all reach the private-key operation.
    let below_modulus = |key: &CKey, forged: &str| {
        let n = if std::ptr::eq(key, &recipient) {
            legit.rsa().unwrap().n().to_owned().unwrap()
        } else {
            attacker_rsa().rsa().unwrap().n().to_owned().unwrap()
        };
        let encrypted = b64::decode_strict(forged.split('.').nth(1).unwrap()).unwrap();
        BigNum::from_slice(&encrypted).unwrap() < n
    };
    let timed: Vec<(&str, &CKey, String)> =
        std::iter::once(("the valid token", &recipient, token.clone())).chain(cases).filter(|(_, key, forged)| below_modulus(key, forged)).collect();
    assert!(timed.len() >= 7, "most cases reach the RSA operation");
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(200); timed.len()];
    for _ in 0..200 {
        for (i, (_, key, forged)) in timed.iter().enumerate() {
            let start = Instant::now();
            let outcome = jwe_decrypt(key, Some("RSA1_5"), None, forged);
            samples[i].push(start.elapsed());
            std::hint::black_box(outcome.is_ok());
        }
    }
    let medians: Vec<Duration> = samples
        .iter_mut()
        .map(|s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect();
    let (fastest, slowest) = (*medians.iter().min().unwrap(), *medians.iter().max().unwrap());
    let report: Vec<String> = timed.iter().zip(&medians).map(|((what, _, _), m)| format!("{what}: {m:?}")).collect();
    assert!(slowest.as_secs_f64() < 3.0 * fastest.as_secs_f64(), "median decryption times differ by more than 3x:\n{}", report.join("\n"));
}

#[test]
fn zip_compressed_tokens_are_refused_before_decryption() {
    let secret = [0x77u8; 32];
    let v = hs_validator_decrypting_with(&secret);
    let decryption = CKey::new(KrKeyFormat::Secret, &secret);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&v, &seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes()), "control");
    // A raw DEFLATE stream (fixed Huffman) that inflates to 1 MiB of zeros from a few KB: the
    // header alone must decide, whatever the body would inflate to.
    let bomb = deflate_zeros(1 << 20);
    assert!(bomb.len() < 8 * 1024);
    for zip in [json!("DEF"), json!("def"), json!("GZIP"), json!(""), json!(null), json!(true)] {
        let header = json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT", "zip": zip});
        let sealed = seal_dir_a256gcm(&secret, &header, &bomb);
        let verdict = refused(&v, &sealed, "AlgorithmNotAllowed", &["compressed", "zip", "decompression bombs"], &format!("zip {zip}"));
        assert!(verdict.claims.is_null());
        // The same header over garbage: still the zip refusal, so no decryption was attempted.
        let garbage = with_part(&sealed, 4, |tag| tag[0] ^= 1);
        refused(&v, &garbage, "AlgorithmNotAllowed", &["zip"], &format!("zip {zip}, bad tag"));
        let (status, message) = jwe_decrypt(&decryption, None, None, &sealed).expect_err("refused");
        assert_eq!(status, KrStatus::InvalidToken);
        assert!(message.ends_with("(AlgorithmNotAllowed)") && message.contains("zip"), "{message}");
    }
}

/// Raw DEFLATE (RFC 1951), one fixed-Huffman block: a literal zero, then length-258 copies at
/// distance 1 until `len` zero bytes, then end of block.
fn deflate_zeros(len: usize) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u32,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u32, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// Huffman codes go most significant bit first.
        fn code(&mut self, code: u32, count: u32) {
            let reversed = code.reverse_bits() >> (32 - count);
            self.put(reversed, count);
        }
    }
    let mut bits = Bits { out: Vec::new(), acc: 0, n: 0 };
    bits.put(1, 1); // final block
    bits.put(1, 2); // fixed Huffman
    bits.code(0b0011_0000, 8); // literal 0
    let mut written = 1;
    while written + 258 <= len {
        bits.code(0b1100_0101, 8); // length code 285 = 258
        bits.code(0, 5); // distance code 0 = 1
        written += 258;
    }
    while written < len {
        bits.code(0b0011_0000, 8);
        written += 1;
    }
    bits.code(0, 7); // end of block (256)
    bits.put(0, 7);
    bits.out
}

#[test]
fn jwe_algorithm_substitution_is_refused() {
    let (_, hs_key) = hs_setup();
    let rsa_key = c_private(rsa());
    let by_rsa = validator(&[&hs_key], &[&rsa_key]);
    let secret = [0x66u8; 32];
    let by_secret = validator(&[&hs_key], &[&CKey::new(KrKeyFormat::Secret, &secret)]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&by_rsa, &nested(&core_key(rsa()), "RSA-OAEP", "A256GCM"), "RSA-OAEP control");
    // The attacker knows the RSA public key and seals a token with dir, using the public key's
    // bytes (or anything) as the "shared secret".
    let modulus = rsa().rsa().unwrap().n().to_vec();
    let dir_key: [u8; 32] = modulus[..32].try_into().unwrap();
    let forged = seal_dir_a256gcm(&dir_key, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes());
    refused(&by_rsa, &forged, "AlgorithmNotAllowed", &["alg 'dir'", "does not accept"], "dir to an RSA key");
    // RSA1_5 (Bleichenbacher) and PBES2 (CPU) only when named.
    refused(&by_rsa, &nested(&core_key(rsa()), "RSA1_5", "A256GCM"), "AlgorithmNotAllowed", &["RSA1_5"], "RSA1_5 to a default RSA key");
    let pbes2 = Encrypter::new(Arc::new(Key::from_secret(secret.to_vec()).unwrap()), Some("PBES2-HS256+A128KW"), Some("A256GCM"))
        .unwrap()
        .encrypt_compact(&jwt_header("k1"), inner.as_bytes())
        .unwrap();
    refused(&by_secret, &pbes2, "AlgorithmNotAllowed", &["PBES2-HS256+A128KW"], "PBES2 to a default secret");
    // Unknown or misspelt names.
    let token = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes());
    accepted(&by_secret, &token, "dir control");
    for (alg, enc) in [("DIR", "A256GCM"), ("dir", "a256gcm"), ("none", "A256GCM"), ("dir", "none"), ("RSA-OAEP", "A256GCM")] {
        let forged = seal_dir_a256gcm(&secret, &json!({"alg": alg, "enc": enc, "cty": "JWT"}), inner.as_bytes());
        refused(&by_secret, &forged, "AlgorithmNotAllowed", &[&format!("alg '{alg}' and enc '{enc}'")], &format!("{alg}/{enc}"));
    }
}

#[test]
fn jwe_tampering_header_swap_and_iv_or_tag_truncation_is_refused() {
    let secret = [0x44u8; 32];
    let core = Arc::new(Key::from_secret(secret.to_vec()).unwrap());
    let v = hs_validator_decrypting_with(&secret);
    let (_, hs_key) = hs_setup();
    let rsa_key = c_private(rsa());
    let v_rsa = validator(&[&hs_key], &[&rsa_key]);
    // Pairs of tokens to the same key with the same algorithms, differing in their headers (kid).
    let pair = |key: &Arc<Key>, alg: &str, enc: &str| (nested_with_kid(key, alg, enc, "alice"), nested_with_kid(key, alg, enc, "bob"));
    let samples = [
        (&v, pair(&core, "dir", "A256GCM")),
        (&v, pair(&core, "A256KW", "A128CBC-HS256")),
        (&v, pair(&core, "A256GCMKW", "A256GCM")),
        (&v_rsa, pair(&core_key(rsa()), "RSA-OAEP-256", "A256GCM")),
    ];
    for (v, (a, b)) in &samples {
        let name = {
            let header: Value = serde_json::from_slice(&b64::decode_strict(a.split('.').next().unwrap()).unwrap()).unwrap();
            format!("{}/{}", header["alg"].as_str().unwrap(), header["enc"].as_str().unwrap())
        };
        accepted(v, a, &name);
        let (pa, pb) = (segments(a), segments(b));
        let swap = |i: usize| {
            let mut parts = pa.clone();
            parts[i] = pb[i].clone();
            parts.join(".")
        };
        let mut cases = vec![
            ("header of another token", swap(0)),
            ("iv of another token", swap(2)),
            ("ciphertext of another token", swap(3)),
            ("tag of another token", swap(4)),
            ("iv truncated by a byte", with_part(a, 2, |iv| iv.truncate(iv.len() - 1))),
            ("iv emptied", with_part(a, 2, Vec::clear)),
            ("iv extended by a zero byte", with_part(a, 2, |iv| iv.push(0))),
            ("tag truncated by a byte", with_part(a, 4, |t| t.truncate(t.len() - 1))),
            ("tag truncated to 8 bytes", with_part(a, 4, |t| t.truncate(8))),
            ("tag truncated to 1 byte", with_part(a, 4, |t| t.truncate(1))),
            ("tag emptied", with_part(a, 4, Vec::clear)),
            ("ciphertext emptied", with_part(a, 3, Vec::clear)),
            ("ciphertext truncated", with_part(a, 3, |c| c.truncate(c.len() / 2))),
            (
                "a header member added",
                with_header(a, |h| {
                    h.insert("kid".into(), "k2".into());
                }),
            ),
        ];
        if !pa[1].is_empty() {
            cases.push(("encrypted key of another token", swap(1)));
            cases.push(("encrypted key truncated", with_part(a, 1, |k| k.truncate(k.len() - 8))));
        }
        for (what, forged) in cases {
            let verdict = refused(v, &forged, "DecryptionFailed", &[], &format!("{name}: {what}"));
            assert_eq!(verdict.message, DECRYPTION_FAILED, "{name}: {what}");
        }
    }
    let dir = nested(&core, "dir", "A256GCM");
    refused(&v, &with_part(&dir, 1, |k| *k = vec![1; 40]), "Malformed", &["dir", "no encrypted key"], "dir with an encrypted key");
}

#[test]
fn nested_token_confusion_is_refused() {
    let secret = [0x21u8; 32];
    let v = hs_validator_decrypting_with(&secret);
    let outer = |header: Value, plaintext: &str| seal_dir_a256gcm(&secret, &header, plaintext.as_bytes());
    let jwt = json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"});
    let legit_inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&v, &outer(jwt.clone(), &legit_inner), "control");
    accepted(&v, &outer(json!({"alg": "dir", "enc": "A256GCM", "cty": "jwt"}), &legit_inner), "cty is case-insensitive");

    // The content is not announced as a JWT.
    for header in [
        json!({"alg": "dir", "enc": "A256GCM"}),
        json!({"alg": "dir", "enc": "A256GCM", "cty": "json"}),
        json!({"alg": "dir", "enc": "A256GCM", "cty": ["JWT"]}),
    ] {
        refused(&v, &outer(header.clone(), &legit_inner), "Malformed", &["does not hold a JWT", "cty"], &format!("outer header {header}"));
    }
    // Encrypted, but not signed: the claims set itself, or an unsigned JWS, inside.
    refused(&v, &outer(jwt.clone(), &claims().to_string()), "Malformed", &["token"], "plain claims inside");
    refused(&v, &outer(jwt.clone(), r#"{"sub":"mallory"}"#), "Malformed", &["not a compact JWS"], "plain claims without dots inside");
    let unsigned = format!("{}.{}.", b64::encode(jwt_header_json("none").to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
    refused(&v, &outer(jwt.clone(), &unsigned), "AlgorithmNotAllowed", &["unsigned"], "alg none inside");
    // Signed by another key: encryption to our key does not make the signature ours.
    let attacker_secret = pin(&Arc::new(Key::from_secret(vec![0x99; 32]).unwrap()), Algorithm::HS256);
    let foreign = forge_json(&jwt_header_json("HS256"), &claims(), &attacker_secret);
    refused(&v, &outer(jwt.clone(), &foreign), "InvalidSignature", &["signature does not match"], "JWS by another key inside");
    let ed = common::ed25519();
    let foreign_alg = forge_json(&jwt_header_json("EdDSA"), &claims(), &pin(&core_key(&ed), Algorithm::EdDSA));
    refused(&v, &outer(jwt.clone(), &foreign_alg), "AlgorithmNotAllowed", &["signed with 'EdDSA'"], "EdDSA JWS inside");
    // A JWE inside a JWE, and binary content.
    let double = outer(jwt.clone(), &outer(jwt.clone(), &legit_inner));
    refused(&v, &double, "Malformed", &["not a compact JWS"], "JWE inside a JWE");
    let binary = seal_dir_a256gcm(&secret, &jwt, &[0xff, 0xfe, 0x00, 0x80]);
    refused(&v, &binary, "Malformed", &["not text"], "binary content");
    // A JWS whose payload is a JWE: not a claims set.
    let jws_of_jwe = forge(&jwt_header_json("HS256").to_string(), &outer(jwt, &legit_inner), &hs256());
    refused(&v, &jws_of_jwe, "Malformed", &["payload is not a valid JSON object"], "JWS around a JWE");
}

/// RFC 7520 §5.6: direct encryption with AES-GCM; the key's JWK names the content encryption as
/// its `alg`.
const COOKBOOK_5_6_KEY: &str =
    r#"{"kty":"oct","kid":"77c7e2b8-6e13-45cf-8672-617b5b45243a","use":"enc","alg":"A128GCM","k":"XctOhJAkA-pD9Lh7ZgW_2A"}"#;
const COOKBOOK_5_6_TOKEN: &str = "eyJhbGciOiJkaXIiLCJraWQiOiI3N2M3ZTJiOC02ZTEzLTQ1Y2YtODY3Mi02MTdiNWI0NTI0M2EiLCJlbmMiOiJBMTI4R0NNIn0..refa467QzzKx6QAB.JW_i_f52hww_ELQPGaYyeAB6HYGcR559l9TYnSovc23XJoBcW29rHP8yZOZG7YhLpT1bjFuvZPjQS-m0IFtVcXkZXdH_lr_FrdYt9HRUYkshtrMmIUAyGmUnd9zMDB2n0cRDIHAzFVeJUDxkUwVAE7_YGRPdcqMyiBoCO-FBdE-Nceb4h3-FtBP-c_BIwCPTjb9o0SbdcdREEMJMyZBH8ySWMVi1gPD9yxi-aQpGbSv_F9N4IZAxscj5g-NJsUPbjk29-s7LJAGb15wEBtXphVCgyy53CoIKLHHeJHXex45Uz9aKZSRSInZI-wjsY0yu3cT4_aQ3i1o-tiE-F8Ios61EKgyIQ4CWao8PFMj8TTnp.vbb32Xvllea2OtmHAdccRQ";

#[test]
fn dir_jwk_naming_its_content_encryption_works_for_that_encryption() {
    let key = CKey::new(KrKeyFormat::Jwk, COOKBOOK_5_6_KEY.as_bytes());
    let plaintext = jwe_decrypt(&key, None, None, COOKBOOK_5_6_TOKEN).expect("RFC 7520 §5.6 decrypts with its own JWK");
    assert!(String::from_utf8(plaintext).unwrap().starts_with("You can trust us to stick with you"));
    assert!(jwe_decrypt(&key, Some("dir"), Some("A128GCM"), COOKBOOK_5_6_TOKEN).is_ok(), "named as the JWK says");
    // The key encrypts with what it names, by default, and with nothing else.
    let jwe = jwe_encrypt(&key, "Auto", "Auto", b"round trip").unwrap();
    let header: Value = serde_json::from_slice(&b64::decode_strict(jwe.split('.').next().unwrap()).unwrap()).unwrap();
    assert_eq!((header["alg"].as_str(), header["enc"].as_str()), (Some("dir"), Some("A128GCM")));
    assert_eq!(jwe_decrypt(&key, None, None, &jwe).unwrap(), b"round trip");
    let (status, message) = jwe_encrypt(&key, "dir", "A128CBC-HS256", b"x").expect_err("another encryption");
    assert_eq!(status, KrStatus::InvalidKey);
    assert_helpful(&message, &["restricted to direct encryption with A128GCM", "\"alg\""], "A128CBC-HS256 with an A128GCM key");
    let (status, _) = jwe_encrypt(&key, "A128KW", "A128GCM", b"x").expect_err("key wrapping");
    assert_eq!(status, KrStatus::InvalidKey);
    // A token with another encryption is refused as an algorithm the key does not accept.
    let other = with_header(COOKBOOK_5_6_TOKEN, |h| {
        h["enc"] = "A256GCM".into();
    });
    let (_, message) = jwe_decrypt(&key, None, None, &other).err().unwrap();
    assert!(message.ends_with("(AlgorithmNotAllowed)") && message.contains("dir with A128GCM"), "{message}");
    // As a validator's decryption key.
    let (_, hs_key) = hs_setup();
    assert!(try_validator(&json!({}), &[&hs_key], &[&key]).is_ok());
    // And a signing algorithm named beside "use":"enc" is still refused.
    let confused = COOKBOOK_5_6_KEY.replace("A128GCM", "HS256");
    refused_key(KrKeyFormat::Jwk, confused.as_bytes(), &["for encryption", "signing algorithm 'HS256'"], "use enc with HS256");
}

#[test]
fn every_decryption_key_is_tried_and_the_telling_reason_reported() {
    let (_, hs_key) = hs_setup();
    let secret = CKey::new(KrKeyFormat::Secret, &[0x44; 32]);
    let rsa_key = c_private(rsa());
    let (p256, p384) = (common::ec(Nid::X9_62_PRIME256V1), common::ec(Nid::SECP384R1));
    let v = validator(&[&hs_key], &[&secret, &rsa_key, &c_private(&p256), &c_private(&p384)]);
    // Each key opens its own tokens, whichever comes first.
    let to_rsa = nested(&core_key(rsa()), "RSA-OAEP", "A256GCM");
    accepted(&v, &to_rsa, "RSA-OAEP, second key");
    accepted(&v, &nested(&core_key(&p384), "ECDH-ES", "A256GCM"), "ECDH-ES P-384: the P-256 key applies first and cannot");
    // A tampered token for the RSA key: the secret does not accept RSA-OAEP, the RSA key does and
    // fails; its failure is the answer, not the secret's "algorithm not accepted".
    let tampered = with_part(&to_rsa, 4, |tag| tag[0] ^= 1);
    let verdict = refused(&v, &tampered, "DecryptionFailed", &[], "tampered RSA-OAEP token");
    assert_eq!(verdict.message, DECRYPTION_FAILED);
    let tampered_ecdh = with_part(&nested(&core_key(&p384), "ECDH-ES", "A256GCM"), 4, |tag| tag[0] ^= 1);
    assert_eq!(refused(&v, &tampered_ecdh, "DecryptionFailed", &[], "tampered P-384 token").message, DECRYPTION_FAILED);
    // No key accepts the algorithms: the message says what each key does accept.
    let short_secret = Arc::new(Key::from_secret(vec![0x45; 16]).unwrap());
    refused(
        &v,
        &nested(&short_secret, "dir", "A128GCM"),
        "AlgorithmNotAllowed",
        &["none of the 4 decryption keys accepts", "key 1: dir with A256GCM", "key 2: RSA-OAEP"],
        "an algorithm no key accepts",
    );
}

#[test]
fn validation_can_require_encryption() {
    let (_, hs_key) = hs_setup();
    let secret = [0x52u8; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &secret);
    let v = validator_with(json!({"requireEncryption": true}), &[&hs_key], &[&decryption]);
    let jws = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    refused(&v, &jws, "AlgorithmNotAllowed", &["signed but not encrypted", "require encrypted tokens"], "a plain JWS");
    accepted(&v, &seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), jws.as_bytes()), "the same JWS, encrypted");
    refused(&v, "not a token", "Malformed", &[], "garbage stays Malformed");
    let (status, message) = try_validator(&json!({"requireEncryption": true}), &[&hs_key], &[]).err().expect("no decryption key");
    assert_eq!(status, KrStatus::InvalidArgument);
    assert_helpful(&message, &["needs a decryption key"], "requireEncryption without a decryption key");
    let mut out = null_mut();
    assert_eq!(unsafe { kr_validator_describe(v.0, &mut out) }, KrStatus::Ok);
    assert_eq!(serde_json::from_str::<Value>(&take(out)).unwrap()["requireEncryption"], true);
    // Without the option, both are accepted (the default).
    let lenient = validator(&[&hs_key], &[&decryption]);
    accepted(&lenient, &jws, "a plain JWS by default");
}
