//! JWE known answers: every compact example of RFC 7520 §5 (the JOSE Cookbook), its nesting
//! example §6, the Curve25519 ECDH-ES example, and RFC 7516 Appendices A.1-A.3.

mod common;
mod jwe_support;

use jwe_support::{decrypt, decrypter, jwk, refusal};
use krjwt::jwe::Decrypter;
use krjwt::jws::{verify_compact, PinnedKey};
use krjwt::{Algorithm, Key, KeyFormat, Reason};
use serde_json::{json, Value};
use std::sync::Arc;

const RFC7516_A1_KEY: &str = r#"{"kty":"RSA",
 "n":"oahUIoWw0K0usKNuOR6H4wkf4oBUXHTxRvgb48E-BVvxkeDNjbC4he8rUWcJoZmds2h7M70imEVhRU5djINXtqllXI4DFqcI1DgjT9LewND8MW2Krf3Spsk_ZkoFnilakGygTwpZ3uesH-PFABNIUYpOiN15dsQRkgr0vEhxN92i2asbOenSZeyaxziK72UwxrrKoExv6kc5twXTq4h-QChLOln0_mtUZwfsRaMStPs6mS6XrgxnxbWhojf663tuEQueGC-FCMfra36C9knDFGzKsNa7LZK2djYgyD3JR_MB_4NUJW_TqOQtwHYbxevoJArm-L5StowjzGy-_bq6Gw",
 "e":"AQAB",
 "d":"kLdtIj6GbDks_ApCSTYQtelcNttlKiOyPzMrXHeI-yk1F7-kpDxY4-WY5NWV5KntaEeXS1j82E375xxhWMHXyvjYecPT9fpwR_M9gV8n9Hrh2anTpTD93Dt62ypW3yDsJzBnTnrYu1iwWRgBKrEYY46qAZIrA2xAwnm2X7uGR1hghkqDp0Vqj3kbSCz1XyfCs6_LehBwtxHIyh8Ripy40p24moOAbgxVw3rxT_vlt3UVe4WO3JkJOzlpUf-KTVI2Ptgm-dARxTEtE-id-4OJr0h-K-VFs3VSndVTIznSxfyrj8ILL6MG_Uv8YAu7VILSB3lOW085-4qE3DzgrTjgyQ",
 "p":"1r52Xk46c-LsfB5P442p7atdPUrxQSy4mti_tZI3Mgf2EuFVbUoDBvaRQ-SWxkbkmoEzL7JXroSBjSrK3YIQgYdMgyAEPTPjXv_hI2_1eTSPVZfzL0lffNn03IXqWF5MDFuoUYE0hzb2vhrlN_rKrbfDIwUbTrjjgieRbwC6Cl0",
 "q":"wLb35x7hmQWZsWJmB_vle87ihgZ19S8lBEROLIsZG4ayZVe9Hi9gDVCOBmUDdaDYVTSNx_8Fyw1YYa9XGrGnDew00J28cRUoeBB_jKI1oma0Orv1T9aXIWxKwd4gvxFImOWr3QRL9KEBRzk2RatUBnmDZJTIAfwTs0g68UZHvtc",
 "dp":"ZK-YwE7diUh0qR1tR7w8WHtolDx3MZ_OTowiFvgfeQ3SiresXjm9gZ5KLhMXvo-uz-KUJWDxS5pFQ_M0evdo1dKiRTjVw_x4NyqyXPM5nULPkcpU827rnpZzAJKpdhWAgqrXGKAECQH0Xt4taznjnd_zVpAmZZq60WPMBMfKcuE",
 "dq":"Dq0gfgJ1DdFGXiLvQEZnuKEN0UUmsJBxkjydc3j4ZYdBiMRAy86x0vHCjywcMlYYg4yoC4YZa9hNVcsjqA3FeiL19rk8g6Qn29Tt0cj8qqyFpz9vNDBUfCAiJVeESOjJDZPYHdHY8v1b-o-Z2X5tvLx-TCekf7oxyeKDUqKWjis",
 "qi":"VIMpMYbPf47dT1w_zDUXfPimsSegnMOA1zTaX7aGk_8urY6R8-ZW1FxU7AlWAyLWybqq6t16VFd7hQd0y6flUK4SlOydB61gwanOsXGOAOv82cHq0E3eL4HrtZkUuKvnPrMnsUUFlfUdybVzxyjz9JF_XyaY14ardLSjf4L_FNY"}"#;

const RFC7516_A1_TOKEN: &str = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.\
OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.\
48V1_ALb6US04U3b.\
5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.\
XFBoMYUZodetZdvTiFvSkQ";

const RFC7516_A2_KEY: &str = r#"{"kty":"RSA",
 "n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw",
 "e":"AQAB",
 "d":"VFCWOqXr8nvZNyaaJLXdnNPXZKRaWCjkU5Q2egQQpTBMwhprMzWzpR8Sxq1OPThh_J6MUD8Z35wky9b8eEO0pwNS8xlh1lOFRRBoNqDIKVOku0aZb-rynq8cxjDTLZQ6Fz7jSjR1Klop-YKaUHc9GsEofQqYruPhzSA-QgajZGPbE_0ZaVDJHfyd7UUBUKunFMScbflYAAOYJqVIVwaYR5zWEEceUjNnTNo_CVSj-VvXLO5VZfCUAVLgW4dpf1SrtZjSt34YLsRarSb127reG_DUwg9Ch-KyvjT1SkHgUWRVGcyly7uvVGRSDwsXypdrNinPA4jlhoNdizK2zF2CWQ",
 "p":"9gY2w6I6S6L0juEKsbeDAwpd9WMfgqFoeA9vEyEUuk4kLwBKcoe1x4HG68ik918hdDSE9vDQSccA3xXHOAFOPJ8R9EeIAbTi1VwBYnbTp87X-xcPWlEPkrdoUKW60tgs1aNd_Nnc9LEVVPMS390zbFxt8TN_biaBgelNgbC95sM",
 "q":"uKlCKvKv_ZJMVcdIs5vVSU_6cPtYI1ljWytExV_skstvRSNi9r66jdd9-yBhVfuG4shsp2j7rGnIio901RBeHo6TPKWVVykPu1iYhQXw1jIABfw-MVsN-3bQ76WLdt2SDxsHs7q7zPyUyHXmps7ycZ5c72wGkUwNOjYelmkiNS0",
 "dp":"w0kZbV63cVRvVX6yk3C8cMxo2qCM4Y8nsq1lmMSYhG4EcL6FWbX5h9yuvngs4iLEFk6eALoUS4vIWEwcL4txw9LsWH_zKI-hwoReoP77cOdSL4AVcraHawlkpyd2TWjE5evgbhWtOxnZee3cXJBkAi64Ik6jZxbvk-RR3pEhnCs",
 "dq":"o_8V14SezckO6CNLKs_btPdFiO9_kC1DsuUTd2LAfIIVeMZ7jn1Gus_Ff7B7IVx3p5KuBGOVF8L-qifLb6nQnLysgHDh132NDioZkhH7mI7hPG-PYE_odApKdnqECHWw0J-F0JWnUd6D2B_1TvF9mXA2Qx-iGYn8OVV1Bsmp6qU",
 "qi":"eNho5yRBEBxhGBtQRww9QirZsB66TrfFReG_CcteI1aCneT0ELGhYlRlCtUkTRclIfuEPmNsNDPbLoLqqCVznFbvdB7x-Tl-m0l_eFTj2KiqwGqE9PZB9nNTwMVvH3VRRSLWACvPnSiwP8N5Usy-WRXS-V7TbpxIhvepTfE0NNo"}"#;

const RFC7516_A2_TOKEN: &str = "eyJhbGciOiJSU0ExXzUiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.\
UGhIOguC7IuEvf_NPVaXsGMoLOmwvc1GyqlIKOK1nN94nHPoltGRhWhw7Zx0-kFm1NJn8LE9XShH59_i8J0PH5ZZyNfGy2xGdULU7sHNF6Gp2vPLgNZ__deLKxGHZ7PcHALUzoOegEI-8E66jX2E4zyJKx-YxzZIItRzC5hlRirb6Y5Cl_p-ko3YvkkysZIFNPccxRU7qve1WYPxqbb2Yw8kZqa2rMWI5ng8OtvzlV7elprCbuPhcCdZ6XDP0_F8rkXds2vE4X-ncOIM8hAYHHi29NX0mcKiRaD0-D-ljQTP-cFPgwCp6X-nZZd9OHBv-B3oWh2TbqmScqXMR4gp_A.\
AxY8DCtDaGlsbGljb3RoZQ.\
KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.\
9hH0vgRfYgPnAHOd8stkvw";

const RFC7516_A3_KEY: &str = r#"{"kty":"oct","k":"GawgguFyGrWKav7AX4VKUg"}"#;

const RFC7516_A3_TOKEN: &str = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.\
6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.\
AxY8DCtDaGlsbGljb3RoZQ.\
KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.\
U0m_YmjN04DJvceFICbCVQ";

fn key(json: &str) -> Arc<Key> {
    common::import(KeyFormat::Jwk, json)
}

#[test]
fn rfc7516_a1_rsa_oaep_a256gcm() {
    let decrypted = decrypt(&decrypter(&key(RFC7516_A1_KEY), "RSA-OAEP", "A256GCM"), RFC7516_A1_TOKEN);
    assert_eq!(decrypted.plaintext, b"The true sign of intelligence is not knowledge but imagination.");
    assert_eq!(Value::Object(decrypted.header), json!({"alg": "RSA-OAEP", "enc": "A256GCM"}));
}

#[test]
fn rfc7516_a2_rsa1_5_a128cbc_hs256() {
    let decrypted = decrypt(&decrypter(&key(RFC7516_A2_KEY), "RSA1_5", "A128CBC-HS256"), RFC7516_A2_TOKEN);
    assert_eq!(decrypted.plaintext, b"Live long and prosper.");
}

#[test]
fn rfc7516_a3_a128kw_a128cbc_hs256() {
    let decrypted = decrypt(&decrypter(&key(RFC7516_A3_KEY), "A128KW", "A128CBC-HS256"), RFC7516_A3_TOKEN);
    assert_eq!(decrypted.plaintext, b"Live long and prosper.");
    // The defaults of a 16-byte secret (dir + A128GCM) do not cover A128KW: it must be named.
    let by_default = Decrypter::new(key(RFC7516_A3_KEY), None, None).unwrap();
    assert_eq!(refusal(&by_default, RFC7516_A3_TOKEN).reason, Reason::AlgorithmNotAllowed);
    // A decrypter for any algorithm of the key accepts it.
    assert_eq!(decrypt(&Decrypter::for_key(key(RFC7516_A3_KEY)).unwrap(), RFC7516_A3_TOKEN).plaintext, b"Live long and prosper.");
}

/// Decrypts a cookbook example pinned to its own alg/enc and checks the plaintext and header.
fn cookbook(file: &str, key: Arc<Key>) {
    let v = common::vector(&format!("jose-cookbook/jwe/{file}"));
    let (alg, enc) = (v["input"]["alg"].as_str().unwrap(), v["input"]["enc"].as_str().unwrap());
    let decrypted = decrypt(&decrypter(&key, alg, enc), v["output"]["compact"].as_str().unwrap());
    assert_eq!(decrypted.plaintext, v["input"]["plaintext"].as_str().unwrap().as_bytes(), "{file}");
    assert_eq!(Value::Object(decrypted.header), v["encrypting_content"]["protected"], "{file}");
}

fn cookbook_key(file: &str) -> Arc<Key> {
    jwk(&common::vector(&format!("jose-cookbook/jwe/{file}"))["input"]["key"])
}

/// The §5 examples whose key is the JWK in their own file: 5.1 RSA1_5 + A128CBC-HS256, 5.2 RSA-OAEP +
/// A256GCM, 5.4 ECDH-ES+A128KW + A128GCM (P-384), 5.5 ECDH-ES + A128CBC-HS256 (P-256), 5.6 dir +
/// A128GCM, 5.7 A256GCMKW + A128CBC-HS256, 5.8 A128KW + A128GCM.
const COOKBOOK_JWK_EXAMPLES: [&str; 7] = [
    "5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json",
    "5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json",
    "5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json",
    "5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json",
    "5_6.direct_encryption_using_aes-gcm.json",
    "5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json",
    "5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json",
];

#[test]
fn cookbook_5_examples_with_a_jwk_decrypt() {
    for file in COOKBOOK_JWK_EXAMPLES {
        cookbook(file, cookbook_key(file));
    }
}

#[test]
fn cookbook_5_3_pbes2_hs512_a256kw_a128cbc_hs256() {
    let file = "5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json";
    let password = common::vector(&format!("jose-cookbook/jwe/{file}"))["input"]["pwd"].as_str().unwrap().to_string();
    cookbook(file, common::import(KeyFormat::Passphrase, password));
}

#[test]
fn cookbook_5_9_compressed_content_is_refused_with_the_zip_reason() {
    let file = "5_9.compressed_content.json";
    let v = common::vector(&format!("jose-cookbook/jwe/{file}"));
    let rejection = refusal(&decrypter(&cookbook_key(file), "A128KW", "A128GCM"), v["output"]["compact"].as_str().unwrap());
    assert_eq!(rejection.reason, Reason::AlgorithmNotAllowed);
    assert!(rejection.message.contains("compressed (zip 'DEF')") && rejection.message.contains("without 'zip'"), "{}", rejection.message);
}

#[test]
fn cookbook_6_nested_jws_in_jwe() {
    let v = common::vector("jose-cookbook/6.nesting_signatures_and_encryption.json");
    let encryption_key = jwk(&v["encrypt"]["input"]["key"]);
    let decrypted = decrypt(&decrypter(&encryption_key, "RSA-OAEP", "A128GCM"), v["encrypt"]["output"]["compact"].as_str().unwrap());
    assert_eq!(decrypted.header["cty"], "JWT");
    let inner = std::str::from_utf8(&decrypted.plaintext).unwrap();
    assert_eq!(inner, v["sign"]["output"]["compact"].as_str().unwrap());
    // The inner token is a PS256 JWS of the signing key.
    let signer = PinnedKey::new(jwk(&v["sign"]["input"]["key"]), Some(Algorithm::PS256)).unwrap();
    let verifier = [signer.for_verification()];
    let verified = verify_compact(&verifier, inner).unwrap_or_else(|r| panic!("{}", r.message));
    assert_eq!(verified.payload, v["sign"]["input"]["payload"].as_str().unwrap().as_bytes());
}

#[test]
fn curve25519_ecdh_es_a128gcm() {
    let v = common::vector("jose-cookbook/curve25519/ecdh-es.json");
    let key = jwk(&v["input"]["key"]);
    assert_eq!(key.curve(), Some("X25519"));
    let decrypted = decrypt(&decrypter(&key, "ECDH-ES", "A128GCM"), v["output"]["compact"].as_str().unwrap());
    assert_eq!(decrypted.plaintext, v["input"]["plaintext"].as_str().unwrap().as_bytes());
    assert_eq!(decrypted.header["kid"], "Bob");
}
