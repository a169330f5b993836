//! Claim attacks: issuer, audience and time claims of the wrong type or range.

use super::*;

#[test]
fn audience_and_issuer_type_confusion_is_refused() {
    let (hs, _key) = hs_setup();
    let signer = hs256();
    let token = |changes: Value| forge_json(&jwt_header_json("HS256"), &claims_with(changes), &signer);
    accepted(&hs, &token(json!({"aud": [AUD]})), "aud as a one-element array");
    accepted(&hs, &token(json!({"aud": ["other", AUD]})), "aud as an array holding the audience");
    let audiences = [
        (json!(42), "must be a string or an array of strings"),
        (json!({"aud": AUD}), "must be a string or an array of strings"),
        (json!([AUD, 1]), "must be a string or an array of strings"),
        (json!([[AUD]]), "must be a string or an array of strings"),
        (json!([{"value": AUD}]), "must be a string or an array of strings"),
        (json!(true), "must be a string or an array of strings"),
        (json!([]), "not meant for this audience"),
        (json!(""), "not meant for this audience"),
        (json!(AUD.to_uppercase()), "not meant for this audience"),
        (json!(format!("{AUD}.evil.test")), "not meant for this audience"),
        (json!(format!("{AUD}\u{0}")), "not meant for this audience"),
        (json!(format!(" {AUD}")), "not meant for this audience"),
        (Value::Null, "no audience"),
    ];
    for (aud, hint) in audiences {
        let forged = if aud.is_null() {
            forge(r#"{"alg":"HS256"}"#, &claims().to_string().replace(&format!(r#""aud":"{AUD}""#), r#""aud":null"#), &signer)
        } else {
            token(json!({"aud": aud}))
        };
        refused(&hs, &forged, "InvalidAudience", &[hint], &format!("aud {aud}"));
    }
    refused(&hs, &token(json!({"aud": null})), "InvalidAudience", &["no audience"], "aud missing");
    let issuers = [
        (json!([ISS]), "must be a string"),
        (json!({"iss": ISS}), "must be a string"),
        (json!(42), "must be a string"),
        (json!(true), "must be a string"),
        (json!(ISS.to_uppercase()), "is not accepted"),
        (json!(format!("{ISS}/")), "is not accepted"),
        (json!(""), "is not accepted"),
    ];
    for (iss, hint) in issuers {
        refused(&hs, &token(json!({"iss": iss})), "InvalidIssuer", &[hint], &format!("iss {iss}"));
    }
    refused(&hs, &token(json!({"iss": null})), "InvalidIssuer", &["no issuer"], "iss missing");
    let explicit_null = forge(r#"{"alg":"HS256"}"#, &claims().to_string().replace(&format!(r#""iss":"{ISS}""#), r#""iss":null"#), &signer);
    refused(&hs, &explicit_null, "InvalidIssuer", &["no issuer"], "iss null");
}

#[test]
fn exp_and_nbf_of_the_wrong_type_or_range_are_refused() {
    let (hs, _key) = hs_setup();
    let signer = hs256();
    let now = now();
    let with = |members: &str| {
        let text = format!(r#"{{"sub":"mallory","iss":"{ISS}","aud":"{AUD}",{members}}}"#);
        forge(r#"{"alg":"HS256"}"#, &text, &signer)
    };
    accepted(&hs, &with(&format!(r#""exp":{}.5"#, now + 600)), "exp with a fraction (NumericDate allows it)");
    accepted(&hs, &with(&format!(r#""exp":{}e0"#, now + 600)), "exp in exponent notation");
    let wrong_types = [
        format!(r#""exp":"{}""#, now + 600),
        r#""exp":"9999999999""#.into(),
        r#""exp":"NaN""#.into(),
        r#""exp":"Infinity""#.into(),
        r#""exp":true"#.into(),
        r#""exp":[9999999999]"#.into(),
        r#""exp":{"$date":9999999999}"#.into(),
        format!(r#""exp":{},"nbf":"0""#, now + 600),
        format!(r#""exp":{},"nbf":false"#, now + 600),
        format!(r#""exp":{},"nbf":[]"#, now + 600),
    ];
    for members in &wrong_types {
        refused(&hs, &with(members), "InvalidClaim", &["must be a number of seconds (NumericDate)"], members);
    }
    let out_of_range = [r#""exp":1e400"#.to_string(), r#""exp":-1e400"#.into(), format!(r#""exp":{},"nbf":1e999"#, now + 600)];
    for members in &out_of_range {
        refused(&hs, &with(members), "Malformed", &["payload", "out of range"], members);
    }
    let expired = [r#""exp":-1"#.to_string(), r#""exp":0"#.into(), r#""exp":-1e308"#.into(), format!(r#""exp":{}"#, now - 3600)];
    for members in &expired {
        refused(&hs, &with(members), "Expired", &["expired at", "get a new token"], members);
    }
    let not_yet = [format!(r#""exp":{},"nbf":1e308"#, now + 600), format!(r#""exp":{},"nbf":{}"#, now + 600, now + 3600)];
    for members in &not_yet {
        refused(&hs, &with(members), "NotYetValid", &["not valid before"], members);
    }
    refused(&hs, &with(r#""exp":null"#), "MissingExpiration", &["no expiration time"], "exp null");
    refused(&hs, &with(r#""nbf":0"#), "MissingExpiration", &["no expiration time"], "exp missing");
}

#[test]
fn iat_must_be_a_number_when_present() {
    let (v, _) = hs_setup();
    for iat in [json!("yesterday"), json!(true), json!([1]), json!({"t": 1})] {
        let token = forge_json(&jwt_header_json("HS256"), &claims_with(json!({"iat": iat.clone()})), &hs256());
        refused(&v, &token, "InvalidClaim", &["'iat'", "NumericDate"], &format!("iat {iat}"));
    }
    accepted(&v, &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"iat": null})), &hs256()), "no iat");
    accepted(&v, &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"iat": 1.5})), &hs256()), "a fractional iat");
}

#[test]
fn audiences_are_compared_ignoring_trailing_slashes() {
    // As .NET does: "https://api.example/" and "https://api.example" name one audience.
    let key = c_secret();
    let v = validator_with(json!({"audiences": ["https://api.krjwt.test/"]}), &[&key], &[]);
    for aud in ["https://api.krjwt.test", "https://api.krjwt.test/", "https://api.krjwt.test//"] {
        accepted(&v, &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"aud": aud})), &hs256()), aud);
    }
    refused(
        &v,
        &forge_json(&jwt_header_json("HS256"), &claims_with(json!({"aud": "https://api.krjwt.test/x"})), &hs256()),
        "InvalidAudience",
        &[],
        "another path",
    );
}
