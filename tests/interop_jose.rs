//! Interop with an independent JOSE implementation, npm's `jose` (tests/interop/jose-peer.mjs):
//! for every algorithm, tokens krjwt builds verify in jose, tokens jose signs validate in krjwt,
//! JWE made by either decrypts in the other for every key-management x content-encryption pair
//! (RSA1_5 aside: jose no longer implements it), and both compute the same RFC 7638 thumbprints.
//!
//! Needs Node.js 20+ (`node` on PATH, or `NODE` naming it) and `npm ci --prefix tests/interop`.

mod common;

use common::{key_for_every_algorithm, random_secret, Material};

use krjwt::jws::{sign_payload, PinnedKey};
use krjwt::{b64, Key, KeyFormat, Reason, ValidationOptions, Validator};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use serde_json::{json, Value};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

const NOW: f64 = 1_800_000_000.0;
const ISSUER: &str = "https://issuer.krjwt.test";
const AUDIENCE: &str = "krjwt-clients";

/// Runs the jose peer on one job and returns its answer. Fails, never skips, when Node.js or the
/// peer's npm packages are missing.
fn jose(job: &Value) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
    assert!(
        dir.join("node_modules/jose/package.json").is_file(),
        "npm's jose is not installed in {}: run `npm ci --prefix tests/interop` (build.ps1 -Test does it), then run the tests again.",
        dir.display()
    );
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    let mut child = Command::new(&node)
        .arg(dir.join("jose-peer.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {node:?} ({e}): install Node.js 20 or later, or set NODE to its path."));
    child.stdin.take().unwrap().write_all(job.to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "jose-peer failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("jose-peer printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}

impl Material {
    /// What the peer needs to sign: an oct JWK, or the PKCS#8 PEM.
    fn peer_signing_key(&self) -> (&'static str, Value) {
        match self {
            Material::Secret(bytes) => ("jwk", oct_jwk(bytes)),
            Material::Private(key) => ("pkcs8", String::from_utf8(key.private_key_to_pem_pkcs8().unwrap()).unwrap().into()),
        }
    }
}

fn oct_jwk(secret: &[u8]) -> Value {
    json!({"kty": "oct", "k": b64::encode(secret)})
}

/// What a verifier publishes: the public JWK krjwt exports (with `kid` and `alg`), or the oct JWK.
fn verification_jwk(material: &Material, signer: &PinnedKey) -> Value {
    match material {
        Material::Secret(bytes) => oct_jwk(bytes),
        Material::Private(_) => signer.public_jwk().unwrap(),
    }
}

fn with_other_payload(token: &str) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!("{}.{}.{}", parts[0], b64::encode(br#"{"sub":"mallory"}"#), parts[2])
}

fn decode_segment(token: &str, index: usize) -> Value {
    serde_json::from_slice(&b64::decode_strict(token.split('.').nth(index).unwrap()).unwrap()).unwrap()
}

#[test]
fn krjwt_tokens_verify_in_jose_for_every_algorithm() {
    let cases = key_for_every_algorithm();
    let mut verify = Vec::new();
    let mut tokens = Vec::new();
    for (alg, material) in &cases {
        let result = common::alice_builder(material, *alg, ISSUER, AUDIENCE).build_at(NOW).unwrap();
        let jwk = verification_jwk(material, result.key());
        let job = |token: &str| json!({"token": token, "jwk": jwk, "alg": alg.name(), "now": NOW + 10.0, "issuer": ISSUER, "audience": AUDIENCE});
        verify.push(job(result.token()));
        verify.push(job(&with_other_payload(result.token())));
        tokens.push(result.token().to_string());
    }
    let answer = jose(&json!({"verify": verify}));
    for (i, (alg, _)) in cases.iter().enumerate() {
        let (genuine, tampered) = (&answer["verified"][2 * i], &answer["verified"][2 * i + 1]);
        assert_eq!(genuine["ok"], true, "jose refused krjwt's {alg} token: {}", genuine["error"]);
        assert_eq!(genuine["header"], decode_segment(&tokens[i], 0), "{alg}");
        assert_eq!(genuine["payload"], decode_segment(&tokens[i], 1), "{alg}");
        assert_eq!(tampered["ok"], false, "jose accepted a tampered {alg} token");
    }
}

#[test]
fn krjwt_jws_over_arbitrary_bytes_verifies_in_jose_for_every_algorithm() {
    let cases = key_for_every_algorithm();
    let payload = "Not JSON: “It’s a dangerous business, Frodo.” 🜂";
    let mut verify = Vec::new();
    for (alg, material) in &cases {
        let signer = PinnedKey::new(material.krjwt_key(), Some(*alg)).unwrap();
        let token = sign_payload(&signer, &serde_json::Map::new(), payload.as_bytes()).unwrap();
        let jwk = verification_jwk(material, &signer);
        verify.push(json!({"token": token, "jwk": jwk, "alg": alg.name(), "jwt": false}));
        let (input, _) = token.rsplit_once('.').unwrap();
        verify.push(json!({"token": format!("{input}.{}", b64::encode(&[0; 64])), "jwk": jwk, "alg": alg.name(), "jwt": false}));
    }
    let answer = jose(&json!({"verify": verify}));
    for (i, (alg, _)) in cases.iter().enumerate() {
        let (genuine, forged) = (&answer["verified"][2 * i], &answer["verified"][2 * i + 1]);
        assert_eq!(genuine["ok"], true, "jose refused krjwt's {alg} JWS: {}", genuine["error"]);
        assert_eq!(genuine["payload"], payload, "{alg}");
        assert_eq!(forged["ok"], false, "jose accepted a forged {alg} signature");
    }
}

#[test]
fn jose_tokens_validate_in_krjwt_for_every_algorithm() {
    let cases = key_for_every_algorithm();
    let claims = json!({
        "sub": "bob", "iss": ISSUER, "aud": AUDIENCE, "scope": ["read"],
        "iat": NOW as i64, "nbf": NOW as i64, "exp": NOW as i64 + 600,
    });
    let sign: Vec<Value> = cases
        .iter()
        .map(|(alg, material)| {
            let (form, key) = material.peer_signing_key();
            json!({"alg": alg.name(), form: key, "payload": claims, "kid": format!("jose-{alg}")})
        })
        .collect();
    let answer = jose(&json!({"sign": sign}));
    for (i, (alg, material)) in cases.iter().enumerate() {
        let signed = &answer["signed"][i];
        assert_eq!(signed["ok"], true, "jose could not sign {alg}: {}", signed["error"]);
        let token = signed["token"].as_str().unwrap();
        // Verify with the key as jose exports it (its public JWK), or with the shared secret.
        let key = match material {
            Material::Secret(_) => material.krjwt_key(),
            Material::Private(_) => {
                let public = common::import(KeyFormat::Jwk, signed["publicJwk"].to_string());
                assert!(!public.has_private_key(), "{alg}: jose's public JWK holds no private part");
                assert_eq!(public.thumbprint(), material.krjwt_key().thumbprint(), "{alg}: the same key");
                public
            }
        };
        let options = ValidationOptions { issuers: vec![ISSUER.into()], audiences: vec![AUDIENCE.into()], ..Default::default() };
        let validator = Validator::new(options, vec![PinnedKey::new(key, Some(*alg)).unwrap()]).unwrap();
        let report = validator.validate_at(token, NOW + 10.0);
        assert_eq!(report.reason, Reason::Valid, "krjwt refused jose's {alg} token: {}", report.message);
        assert_eq!(Value::Object(report.claims.unwrap()), claims, "{alg}");
        assert_eq!(report.header.unwrap()["kid"], format!("jose-{alg}"));
        assert_eq!(validator.check_at(&with_other_payload(token), NOW + 10.0), Reason::InvalidSignature, "{alg} control");
    }
}

#[test]
fn jwk_thumbprints_agree_with_jose() {
    let cases = key_for_every_algorithm();
    let keys: Vec<Arc<Key>> = cases.iter().map(|(_, material)| material.krjwt_key()).collect();
    let jwks: Vec<Value> = cases
        .iter()
        .zip(&keys)
        .map(|((_, material), key)| match material {
            Material::Secret(bytes) => oct_jwk(bytes),
            Material::Private(_) => key.public_jwk().unwrap(),
        })
        .collect();
    let answer = jose(&json!({"thumbprint": jwks}));
    for (i, (alg, _)) in cases.iter().enumerate() {
        assert_eq!(answer["thumbprints"][i], keys[i].thumbprint(), "{alg} key");
    }
}

/// One JWE recipient for every key-management algorithm, with the private JWK for decryption and
/// the public one for encryption.
fn jwe_recipients() -> Vec<(&'static str, Arc<Key>, Value, Value)> {
    let secret = |len: usize| {
        let bytes = random_secret(len);
        let key = Arc::new(Key::from_secret(bytes.clone()).unwrap());
        (key, oct_jwk(&bytes), oct_jwk(&bytes))
    };
    let private = |pkey: PKey<Private>| {
        let key = common::import(KeyFormat::Pem, pkey.private_key_to_pem_pkcs8().unwrap());
        (key.clone(), common::private_jwk(&pkey), key.public_jwk().unwrap())
    };
    let rsa = || private(PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap());
    let ec = |nid| private(PKey::from_ec_key(openssl::ec::EcKey::generate(&openssl::ec::EcGroup::from_curve_name(nid).unwrap()).unwrap()).unwrap());
    let x25519 = || private(PKey::generate_x25519().unwrap());
    let mut recipients = Vec::new();
    let mut add = |alg: &'static str, (key, private, public): (Arc<Key>, Value, Value)| recipients.push((alg, key, private, public));
    for (alg, len) in [("A128KW", 16), ("A192KW", 24), ("A256KW", 32), ("A128GCMKW", 16), ("A192GCMKW", 24), ("A256GCMKW", 32)] {
        add(alg, secret(len));
    }
    add("PBES2-HS256+A128KW", secret(12));
    for alg in ["RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512"] {
        add(alg, rsa());
    }
    for (alg, nid) in [("ECDH-ES", Nid::X9_62_PRIME256V1), ("ECDH-ES+A128KW", Nid::SECP384R1), ("ECDH-ES+A256KW", Nid::SECP521R1)] {
        add(alg, ec(nid));
    }
    add("ECDH-ES+A192KW", x25519());
    recipients
}

const CONTENT_ENCRYPTION: [&str; 6] = ["A128GCM", "A192GCM", "A256GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512"];

#[test]
fn krjwt_jwe_decrypts_in_jose_for_every_algorithm_pair() {
    let mut jobs = Vec::new();
    for (alg, key, private, _) in jwe_recipients() {
        for enc in CONTENT_ENCRYPTION {
            let token = krjwt::jwe::Encrypter::new(key.clone(), Some(alg), Some(enc))
                .unwrap()
                .encrypt_compact(&Default::default(), format!("{alg} {enc}").as_bytes())
                .unwrap();
            jobs.push(json!({"token": token, "jwk": private, "alg": alg, "enc": enc}));
        }
    }
    let answer = jose(&json!({ "decrypt": jobs }));
    for (job, result) in jobs.iter().zip(answer["decrypted"].as_array().unwrap()) {
        let pair = format!("{} {}", job["alg"].as_str().unwrap(), job["enc"].as_str().unwrap());
        assert_eq!(result["ok"], true, "{pair}: {}", result["error"]);
        assert_eq!(result["plaintext"], pair.as_str());
    }
}

#[test]
fn jose_jwe_decrypts_in_krjwt_for_every_algorithm_pair() {
    let recipients = jwe_recipients();
    let jobs: Vec<Value> = recipients
        .iter()
        .flat_map(|(alg, _, _, public)| {
            CONTENT_ENCRYPTION.map(|enc| json!({"jwk": public, "alg": alg, "enc": enc, "plaintext": format!("{alg} {enc}")}))
        })
        .collect();
    let answer = jose(&json!({ "encrypt": jobs }));
    let tokens = answer["encrypted"].as_array().unwrap();
    for (job, result) in jobs.iter().zip(tokens) {
        let (alg, enc) = (job["alg"].as_str().unwrap(), job["enc"].as_str().unwrap());
        assert_eq!(result["ok"], true, "{alg} {enc}: {}", result["error"]);
        let (_, key, _, _) = recipients.iter().find(|(a, ..)| *a == alg).unwrap();
        let decrypter = krjwt::jwe::Decrypter::matching(key.clone(), Some(alg), Some(enc)).unwrap();
        let token = result["token"].as_str().unwrap();
        let decrypted = decrypter.decrypt_compact(token).unwrap_or_else(|r| panic!("{alg} {enc}: {}", r.message));
        assert_eq!(String::from_utf8(decrypted.plaintext).unwrap(), format!("{alg} {enc}"));
        let tampered = format!("{}{}", &token[..token.len() - 2], if token.ends_with("AA") { "BA" } else { "AA" });
        assert!(decrypter.decrypt_compact(&tampered).is_err(), "{alg} {enc}: a changed tag is refused");
    }
}

#[test]
fn direct_encryption_round_trips_with_jose_for_every_content_encryption() {
    // `dir` uses the secret as the content key, so each enc needs a secret of its own size.
    let cases: Vec<(&str, Vec<u8>)> = CONTENT_ENCRYPTION.iter().zip([16, 24, 32, 32, 48, 64]).map(|(enc, len)| (*enc, random_secret(len))).collect();
    let mut decrypt = Vec::new();
    let mut encrypt = Vec::new();
    for (enc, secret) in &cases {
        let key = Arc::new(Key::from_secret(secret.clone()).unwrap());
        let token = krjwt::jwe::Encrypter::new(key, Some("dir"), Some(enc)).unwrap().encrypt_compact(&Default::default(), enc.as_bytes()).unwrap();
        decrypt.push(json!({"token": token, "jwk": oct_jwk(secret), "alg": "dir", "enc": enc}));
        encrypt.push(json!({"jwk": oct_jwk(secret), "alg": "dir", "enc": enc, "plaintext": enc}));
    }
    let answer = jose(&json!({ "decrypt": decrypt, "encrypt": encrypt }));
    for (((enc, secret), decrypted), encrypted) in
        cases.iter().zip(answer["decrypted"].as_array().unwrap()).zip(answer["encrypted"].as_array().unwrap())
    {
        assert_eq!(decrypted["plaintext"], *enc, "jose decrypts krjwt's dir {enc}: {}", decrypted["error"]);
        let decrypter = krjwt::jwe::Decrypter::matching(Arc::new(Key::from_secret(secret.clone()).unwrap()), Some("dir"), Some(enc)).unwrap();
        let plaintext = decrypter.decrypt_compact(encrypted["token"].as_str().unwrap()).unwrap().plaintext;
        assert_eq!(plaintext, enc.as_bytes(), "krjwt decrypts jose's dir {enc}");
    }
}
