//! Encoding attacks: duplicate JSON members, segments that are not JSON objects, huge and deeply
//! nested input, non-canonical base64url, and text that is not the token it pretends to be.

use super::*;

#[test]
fn duplicate_json_members_are_refused() {
    let (hs, _key) = hs_setup();
    let exp = now() + 600;
    let past = now() - 3600;
    let body = |members: &str| format!(r#"{{"sub":"mallory","iss":"{ISS}","aud":"{AUD}",{members}}}"#);
    let headers = [
        r#"{"alg":"HS256","alg":"none"}"#,
        r#"{"alg":"none","alg":"HS256"}"#,
        r#"{"alg":"HS256","\u0061lg":"none"}"#,
        r#"{"alg":"HS256","kid":"alpha","kid":"beta"}"#,
        r#"{"alg":"HS256","crit":["x"],"crit":[]}"#,
    ];
    for header in headers {
        let token = forge(header, &body(&format!(r#""exp":{exp}"#)), &hs256());
        refused(&hs, &token, "Malformed", &["header", "duplicate"], header);
    }
    let payloads = [
        format!(r#""exp":{past},"exp":{exp}"#),
        format!(r#""exp":{exp},"exp":{past}"#),
        format!(r#""exp":{exp},"\u0065xp":{past}"#),
        format!(r#""exp":{exp},"nbf":{exp},"nbf":0"#),
        format!(r#""exp":{exp},"iss":"https://evil.test""#),
        format!(r#""exp":{exp},"aud":"other-api""#),
    ];
    for members in payloads {
        let token = forge(r#"{"alg":"HS256"}"#, &body(&members), &hs256());
        refused(&hs, &token, "Malformed", &["payload", "duplicate"], &members);
    }
    // A duplicated private claim: RFC 7519 §4 allows refusing it or reading the lexically last
    // value; what matters is that every reader of the report sees the same (last) value.
    let token = forge(r#"{"alg":"HS256"}"#, &body(&format!(r#""exp":{exp},"role":"reader","role":"admin""#)), &hs256());
    let verdict = verdict(&hs, &token);
    if verdict.reason == "Valid" {
        assert_eq!(verdict.claims["role"], "admin", "the lexically last duplicate wins");
        let mut info = null_mut();
        assert_eq!(unsafe { kr_token_inspect(token.as_ptr().cast(), token.len(), &mut info) }, KrStatus::Ok);
        assert_eq!(serde_json::from_str::<Value>(&take(info)).unwrap()["claims"]["role"], "admin", "inspection agrees");
    } else {
        assert_eq!(verdict.reason, "Malformed");
    }
    // JWE protected headers refuse every duplicate.
    let decryption_secret = [0x33; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &decryption_secret);
    let (_, hs_key) = hs_setup();
    let v = validator(&[&hs_key], &[&decryption]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    for header in [r#"{"alg":"dir","enc":"A256GCM","cty":"JWT","enc":"A128GCM"}"#, r#"{"alg":"dir","enc":"A256GCM","cty":"JWT","cty":"json"}"#] {
        let token = seal_dir_a256gcm_text(&decryption_secret, header, inner.as_bytes());
        refused(&v, &token, "Malformed", &["appears twice"], header);
    }
}

#[test]
fn headers_and_claims_sets_that_are_not_json_objects_are_refused() {
    let (hs, _key) = hs_setup();
    let c = claims();
    let exp = c["exp"].clone();
    let headers = [r#"["HS256",null,null]"#.to_string(), r#"["HS256"]"#.into(), r#""HS256""#.into(), "null".into(), "7".into(), String::new()];
    let mut findings = Findings::default();
    for header in &headers {
        let token = forge(header, &c.to_string(), &hs256());
        findings.check(try_refused(&hs, &token, "Malformed", &["header"], &format!("header {header}")));
    }
    // The claims set as an array in the order of the registered claims a reader might map it to.
    let payloads = [
        json!([exp, 0, ISS, AUD]).to_string(),
        json!([c]).to_string(),
        json!("a string").to_string(),
        "null".into(),
        String::new(),
        "not json".into(),
    ];
    for payload in &payloads {
        let token = forge(r#"{"alg":"HS256"}"#, payload, &hs256());
        findings.check(try_refused(&hs, &token, "Malformed", &["payload"], &format!("payload {payload}")));
    }
    findings.assert_none("headers and claims sets that are not JSON objects");
}

#[test]
fn huge_tokens_and_deeply_nested_json_are_refused_without_crashing() {
    let (hs, hs_key) = hs_setup();
    let decryption = CKey::new(KrKeyFormat::Secret, &[0x11; 32]);
    let with_decryption = validator(&[&hs_key], &[&decryption]);
    let mb = "A".repeat(1 << 20);
    let huge_jws = format!("{mb}.{mb}.{mb}");
    let huge_jwe = format!("{mb}.{mb}.{mb}.{mb}.{mb}");
    let mut findings = Findings::default();
    for (v, which) in [(&hs, "no decryption key"), (&with_decryption, "a decryption key")] {
        for (token, shape) in [(&huge_jws, "three segments"), (&huge_jwe, "five segments")] {
            let start = Instant::now();
            findings.check(try_refused(
                v,
                token,
                "TooLarge",
                &["bytes", "refused"],
                &format!("{} MB, {shape}, validator with {which}", token.len() >> 20),
            ));
            assert!(start.elapsed() < Duration::from_secs(2), "refused by size, before decoding");
        }
    }
    let mut info = null_mut();
    assert_eq!(unsafe { kr_token_inspect(huge_jws.as_ptr().cast(), huge_jws.len(), &mut info) }, KrStatus::InvalidToken);
    assert_helpful(&last_error(), &["bytes", "refused"], "inspection of 3 MB");

    // Validly signed tokens whose JSON nests deeper than the parser allows: refused, no stack overflow.
    let deep_array = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let deep_objects = {
        let depth = 7_300; // ~44 KB of JSON: the token stays under the 64 KiB limit
        format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
    };
    let mut claims_text = claims().to_string();
    claims_text.pop();
    let cases = [
        ("a claim of 200 nested arrays", forge(r#"{"alg":"HS256"}"#, &format!(r#"{claims_text},"deep":{deep_array}}}"#), &hs256())),
        ("a claim of ~44 KB of nested objects", forge(r#"{"alg":"HS256"}"#, &format!(r#"{claims_text},"deep":{deep_objects}}}"#), &hs256())),
        ("a header member of 200 nested arrays", forge(&format!(r#"{{"alg":"HS256","deep":{deep_array}}}"#), &claims().to_string(), &hs256())),
    ];
    for (what, token) in &cases {
        assert!(token.len() < 64 * 1024, "{what}: {} bytes", token.len());
        // Refused as a whole: a validator must not accept a token whose claims (or header) it
        // cannot read back (the report would say Valid with no claims to authorise on).
        findings.check(try_refused(&hs, token, "Malformed", &["not a valid JSON object", "recursion limit"], what));
        let mut info = null_mut();
        assert_eq!(unsafe { kr_token_inspect(token.as_ptr().cast(), token.len(), &mut info) }, KrStatus::InvalidToken, "{what}: inspection");
        assert_helpful(&last_error(), &["not a JSON object"], &format!("{what}: inspection"));
    }
    // 60 KB of nesting encodes to ~80 KB: the size limit refuses it before it is parsed.
    let sixty_kb = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    let token = forge(r#"{"alg":"HS256"}"#, &format!(r#"{claims_text},"deep":{sixty_kb}}}"#), &hs256());
    refused(&hs, &token, "TooLarge", &["65536"], "60 KB of nested objects");
    findings.assert_none("huge tokens");
}

#[test]
fn non_canonical_base64url_is_refused() {
    let (hs, _key) = hs_setup();
    let signer = hs256();
    let token = forge_json(&jwt_header_json("HS256"), &claims(), &signer);
    accepted(&hs, &token, "canonical");
    let parts = segments(&token);
    let (header, payload, signature) = (&parts[0], &parts[1], &parts[2]);

    // Re-encodings of the same bytes that a lenient decoder would accept.
    let to_standard = |s: &str| s.replace('-', "+").replace('_', "/");
    let flipped_trailing_bits = {
        // 32 bytes → 43 characters; the last one carries 4 bits of data and 2 unused bits.
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut chars = signature.clone().into_bytes();
        let last = chars.last_mut().unwrap();
        let value = ALPHABET.iter().position(|a| a == last).unwrap();
        *last = ALPHABET[value ^ 1];
        String::from_utf8(chars).unwrap()
    };
    assert_ne!(&flipped_trailing_bits, signature);
    let signature_variants = [
        ("signature with '=' padding", format!("{header}.{payload}.{signature}=")),
        ("signature with non-zero trailing bits", format!("{header}.{payload}.{flipped_trailing_bits}")),
        ("signature with a space inside", format!("{header}.{payload}.{} {}", &signature[..10], &signature[10..])),
        ("signature with a line break inside", format!("{header}.{payload}.{}\n{}", &signature[..10], &signature[10..])),
        ("signature in percent-encoding", format!("{header}.{payload}.{signature}%3D")),
    ];
    for (what, forged) in &signature_variants {
        refused(&hs, forged, "Malformed", &["signature is not valid base64url"], what);
    }
    if signature.contains(['-', '_']) {
        refused(
            &hs,
            &format!("{header}.{payload}.{}", to_standard(signature)),
            "Malformed",
            &["signature is not valid base64url"],
            "signature in the standard alphabet",
        );
    }
    let header_variants = [
        ("header with '=' padding", format!("{header}=.{payload}.{signature}")),
        ("header with a tab inside", format!("{}\t{}.{payload}.{signature}", &header[..4], &header[4..])),
    ];
    for (what, forged) in &header_variants {
        refused(&hs, forged, "Malformed", &["header is not valid base64url"], what);
    }
    refused(&hs, &format!(".{payload}.{signature}"), "Malformed", &["header is not a valid JSON object"], "empty header");
    // The payload re-encoded and validly signed as re-encoded: the signature holds, the encoding does not.
    let mut filler = String::new();
    let standard_payload = loop {
        let encoded = b64::encode(claims_with(json!({"filler": filler})).to_string().as_bytes());
        if encoded.contains(['-', '_']) {
            break to_standard(&encoded);
        }
        filler.push('?');
    };
    let payload_variants = [
        ("payload with '=' padding", format!("{header}.{payload}=")),
        ("payload in the standard alphabet", format!("{header}.{standard_payload}")),
        ("payload with a space inside", format!("{header}.{} {}", &payload[..8], &payload[8..])),
    ];
    for (what, input) in &payload_variants {
        refused(&hs, &sign_input(&signer, input), "Malformed", &["payload is not valid base64url"], what);
    }
    // Whitespace around the whole token (as HTTP header values carry) is trimmed, not part of a segment.
    accepted(&hs, &format!(" {token}\r\n"), "surrounding whitespace");
}

#[test]
fn text_that_is_not_a_jwe_is_malformed_never_missing_a_decryption_key() {
    let (v, _) = hs_setup();
    let secret = [0x31u8; 32];
    let decrypting = hs_validator_decrypting_with(&secret);
    let token = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    let jws_header = token.split('.').next().unwrap();
    let cases = [
        ("five parts of nothing", "a.b.c.d.e".to_string()),
        ("two tokens in one header", format!("{token} {token}")),
        ("a JWS with two more parts", format!("{token}.x.y")),
        ("a JWS header on five parts", format!("{jws_header}.a.b.c.d")),
        ("five empty parts", "....".to_string()),
    ];
    for (what, forged) in &cases {
        for (validator, with) in [(&v, "no decryption key"), (&decrypting, "a decryption key")] {
            let verdict = refused(validator, forged, "Malformed", &[], &format!("{what} ({with})"));
            assert!(!verdict.message.contains("no decryption key"), "{what} ({with}): {}", verdict.message);
        }
        let mut info = null_mut();
        assert_eq!(unsafe { kr_token_inspect(forged.as_ptr().cast(), forged.len(), &mut info) }, KrStatus::InvalidToken, "{what}: inspection");
    }
    // A real JWE, and no key to open it: that, and only that, is what the message says.
    let jwe = seal_dir_a256gcm(&secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), token.as_bytes());
    refused(&v, &jwe, "DecryptionFailed", &["encrypted (JWE) and no decryption key was given"], "a JWE without a decryption key");
    accepted(&decrypting, &jwe, "control");
}
