//! Header attacks: keys embedded or named in the header (never trusted or fetched), `kid`
//! injection, attacker-controlled values echoed in reports, and `crit` abuse.

use super::*;

#[test]
fn keys_embedded_or_named_in_the_header_are_never_trusted_or_fetched() {
    // A listener the token points jku/x5u at: a connection would mean a key was fetched.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = |path: &str| format!("http://{}/{path}", listener.local_addr().unwrap());

    let legit_public = c_public(rsa());
    let mut kid = null_mut();
    assert_eq!(unsafe { kr_key_get_thumbprint(legit_public.ptr(), &mut kid) }, KrStatus::Ok);
    let kid = take(kid);
    let v = validator(&[&legit_public], &[]);
    let attacker = core_key(attacker_rsa());
    let attacker_jwk = attacker.public_jwk().unwrap();
    let attacker_cert = base64::encode(self_signed_certificate(attacker_rsa()).to_der().unwrap());
    let headers = [
        ("jwk (attacker's key)", json!({"alg": "RS256", "jwk": attacker_jwk})),
        ("jwk with the legitimate kid", json!({"alg": "RS256", "kid": kid, "jwk": attacker_jwk})),
        ("jku", json!({"alg": "RS256", "jku": url("jwks.json")})),
        ("jku with the legitimate kid", json!({"alg": "RS256", "kid": kid, "jku": url("jwks.json")})),
        ("x5u", json!({"alg": "RS256", "x5u": url("cert.pem")})),
        ("x5c (attacker's certificate)", json!({"alg": "RS256", "x5c": [attacker_cert]})),
        ("x5c and x5t#S256", json!({"alg": "RS256", "x5c": [attacker_cert], "x5t#S256": "AAAA"})),
    ];
    for (name, header) in headers {
        let forged = forge_json(&header, &claims(), &pin(&attacker, Algorithm::RS256));
        refused(&v, &forged, "InvalidSignature", &["signature does not match", "another key"], &format!("attacker's token with {name}"));
        let legit = forge_json(&header, &claims(), &pin(&core_key(rsa()), Algorithm::RS256));
        accepted(&v, &legit, &format!("legitimate token with {name}: the member is ignored, not trusted"));
    }
    // An embedded oct JWK "holding" the HMAC secret the attacker used changes nothing either.
    let (hs, _key) = hs_setup();
    let attacker_secret = [9u8; 32];
    let header = json!({"alg": "HS256", "jwk": {"kty": "oct", "k": b64::encode(&attacker_secret)}});
    refused(&hs, &hs256_with_key(&attacker_secret, &header), "InvalidSignature", &["signature does not match"], "embedded oct jwk");
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("the validator connected to a URL named by a token: {other:?}"),
    }
}

#[test]
fn kid_injection_values_are_opaque_strings() {
    let named = |kid: &str, fill: u8| {
        let jwk = json!({"kty": "oct", "kid": kid, "k": b64::encode(&[fill; 32])});
        (CKey::new(KrKeyFormat::Jwk, jwk.to_string().as_bytes()), pin(&common::import(KeyFormat::Jwk, jwk.to_string()), Algorithm::HS256))
    };
    let (alpha, alpha_signer) = named("alpha", 1);
    let (beta, _) = named("beta", 2);
    let key_set = validator(&[&alpha, &beta], &[]);
    let long = "A".repeat(4096);
    let hostile = [
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/dev/null",
        "file:///etc/passwd",
        "' OR '1'='1",
        "alpha' --",
        "alpha\"; DROP TABLE keys; --",
        "${jndi:ldap://127.0.0.1/a}",
        "$(whoami)",
        "alpha%00",
        "alpha\u{0}",
        "alpha\r\nX-Injected: 1",
        "alpha\nfake log line",
        "ALPHA",
        " alpha",
        "",
        long.as_str(),
    ];
    for kid in hostile {
        let forged = forge_json(&json!({"alg": "HS256", "kid": kid}), &claims(), &alpha_signer);
        refused(&key_set, &forged, "KeyNotFound", &["no configured key has the key id"], &format!("kid {kid:?}"));
        // The same string as the kid of a configured key is matched exactly, nothing more.
        if !kid.is_empty() {
            let (key, signer) = named(kid, 3);
            let with_named = validator(&[&key, &beta], &[]);
            accepted(&with_named, &forge_json(&json!({"alg": "HS256", "kid": kid}), &claims(), &signer), &format!("kid {kid:?} as a plain string"));
        }
    }
    for kid in [json!(7), json!({"$ne": null}), json!(["alpha"]), json!(true)] {
        let forged = forge_json(&json!({"alg": "HS256", "kid": kid}), &claims(), &alpha_signer);
        refused(&key_set, &forged, "Malformed", &["'kid' must be a string"], &format!("kid {kid}"));
    }
}

#[test]
fn attacker_controlled_header_values_are_echoed_safely() {
    // Messages end up in logs and HTTP answers. Values taken from an unauthenticated header (kid,
    // alg, the JWE alg/enc) must not carry line breaks or NULs into them (log forging, CWE-117),
    // nor be echoed at any length (a 40 KB kid per request fills logs).
    let (hs, _key) = hs_setup();
    let jwk = json!({"kty": "oct", "kid": "alpha", "k": b64::encode(&[1; 32])});
    let named = CKey::new(KrKeyFormat::Jwk, jwk.to_string().as_bytes());
    let key_set = validator(&[&named], &[]);
    let signer = pin(&common::import(KeyFormat::Jwk, jwk.to_string()), Algorithm::HS256);
    let decryption_secret = [0x12; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &decryption_secret);
    let (_, hs_key) = hs_setup();
    let with_decryption = validator(&[&hs_key], &[&decryption]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    let long = "A".repeat(40_000);
    let injections =
        ["alpha\r\n2038-01-19 03:14:07 INFO admin logged in", "alpha\nX-Injected: 1", "alpha\u{0}hidden", "alpha\u{1b}[2J", long.as_str()];
    let mut findings = Findings::default();
    for value in injections {
        let shown = if value.len() > 60 { format!("{} chars", value.len()) } else { format!("{value:?}") };
        let cases = [
            ("kid", &key_set, "KeyNotFound", forge_json(&json!({"alg": "HS256", "kid": value}), &claims(), &signer)),
            ("alg", &hs, "AlgorithmNotAllowed", forge_json(&json!({"alg": value}), &claims(), &hs256())),
            (
                "JWE alg",
                &with_decryption,
                "AlgorithmNotAllowed",
                seal_dir_a256gcm(&decryption_secret, &json!({"alg": value, "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes()),
            ),
            (
                "JWE enc",
                &with_decryption,
                "AlgorithmNotAllowed",
                seal_dir_a256gcm(&decryption_secret, &json!({"alg": "dir", "enc": value, "cty": "JWT"}), inner.as_bytes()),
            ),
        ];
        for (member, v, reason, token) in cases {
            if token.len() > 64 * 1024 {
                continue;
            }
            let case = format!("{member} {shown}");
            match try_refused(v, &token, reason, &[], &case) {
                Err(problem) => findings.note(problem),
                Ok(verdict) => {
                    if verdict.message.contains(|ch: char| ch.is_control()) {
                        findings.note(format!("{case}: control characters echoed into the message: {:?}", verdict.message));
                    }
                    if verdict.message.len() > 1024 {
                        findings.note(format!("{case}: the message echoes the value in full ({} chars)", verdict.message.len()));
                    }
                }
            }
        }
    }
    findings.assert_none("attacker-controlled values in messages");
}

#[test]
fn crit_abuse_is_refused() {
    let (hs, _key) = hs_setup();
    let crits = [
        ("an unknown extension", json!(["x-krjwt-unknown"])),
        ("b64 (RFC 7797, not supported)", json!(["b64"])),
        ("an empty list", json!([])),
        ("a registered header (alg)", json!(["alg"])),
        ("a registered claim (exp)", json!(["exp"])),
        ("a duplicate name", json!(["x", "x"])),
        ("a string, not an array", json!("x-krjwt-unknown")),
        ("an object", json!({"x": true})),
        ("a number", json!(1)),
        ("false", json!(false)),
        ("null", json!(null)),
    ];
    let mut findings = Findings::default();
    for (what, crit) in &crits {
        let header = json!({"alg": "HS256", "crit": crit, "x-krjwt-unknown": true, "b64": false, "x": 1});
        findings.check(try_refused(
            &hs,
            &forge_json(&header, &claims(), &hs256()),
            "UnsupportedCritical",
            &["critical", "crit"],
            &format!("JWS crit: {what}"),
        ));
    }
    // The same in the protected header of an encrypted token, with a valid tag.
    let decryption_secret = [0x5a; 32];
    let decryption = CKey::new(KrKeyFormat::Secret, &decryption_secret);
    let (_, hs_key) = hs_setup();
    let v = validator(&[&hs_key], &[&decryption]);
    let inner = forge_json(&jwt_header_json("HS256"), &claims(), &hs256());
    accepted(&v, &seal_dir_a256gcm(&decryption_secret, &json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT"}), inner.as_bytes()), "JWE control");
    for (what, crit) in &crits {
        let header = json!({"alg": "dir", "enc": "A256GCM", "cty": "JWT", "crit": crit});
        let token = seal_dir_a256gcm(&decryption_secret, &header, inner.as_bytes());
        findings.check(try_refused(&v, &token, "UnsupportedCritical", &["critical", "crit"], &format!("JWE crit: {what}")));
    }
    findings.assert_none("crit abuse");
}
