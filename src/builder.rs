//! The token builder: what a token will say and how it will be protected. Building reads the
//! builder and never changes it.

use crate::algorithms::jws::Algorithm;
use crate::build_result::{BuildResult, Signed};
use crate::claims;
use crate::error::{Error, Result};
use crate::jwe::{Decrypter, Encrypter};
use crate::jws::{self, PinnedKey, MAX_TOKEN_BYTES};
use crate::keys::{Key, Material};
use crate::members::Members;
use crate::validation::{Options as ValidationOptions, Validator};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Header members the library writes itself or cannot honour when set by hand (a `kid` other than
/// the key's would name a key the token's own validator does not have).
const RESERVED_HEADERS: [&str; 6] = ["alg", "kid", "crit", "enc", "zip", "b64"];
/// 9999-12-31T23:59:59Z: the last instant every consumer (.NET's DateTime among them) can represent.
const LAST_UNIX_SECOND: i64 = 253_402_300_799;
/// Payload members the builder computes at build time.
const TIME_CLAIMS: [&str; 3] = ["nbf", "exp", "iat"];
/// The lifetime of tokens from a builder that was not given one.
pub const DEFAULT_LIFETIME_SECONDS: f64 = 3600.0;

/// When a token built from the builder becomes valid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NotBefore {
    /// Valid from build time.
    Now,
    /// Valid from an absolute time (Unix seconds).
    At(i64),
    /// Valid from this many seconds after build time.
    After(f64),
}

#[derive(Clone, Debug)]
pub struct Builder {
    issuer: Option<String>,
    audiences: Vec<String>,
    subject: Option<String>,
    claims: Vec<(String, Value)>,
    headers: Map<String, Value>,
    lifetime_seconds: f64,
    not_before: NotBefore,
    signing: Option<PinnedKey>,
    encryption: Option<Encrypter>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            issuer: None,
            audiences: Vec::new(),
            subject: None,
            claims: Vec::new(),
            headers: Map::new(),
            lifetime_seconds: DEFAULT_LIFETIME_SECONDS,
            not_before: NotBefore::Now,
            signing: None,
            encryption: None,
        }
    }
}

fn non_empty(value: &str, what: &str) -> Result<String> {
    if value.trim().is_empty() {
        Err(Error::argument(format!("The {what} is empty; give a non-empty value.")))
    } else {
        Ok(value.to_string())
    }
}

fn finite_seconds(seconds: f64, what: &str) -> Result<f64> {
    if seconds.is_finite() && seconds.abs() < 1e11 {
        Ok(seconds)
    } else {
        Err(Error::argument(format!("The {what} of {seconds} seconds is out of range.")))
    }
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    pub fn set_issuer(&mut self, issuer: &str) -> Result<()> {
        self.issuer = Some(non_empty(issuer, "issuer")?);
        Ok(())
    }

    /// Adds an audience; repeats of one already present are ignored.
    pub fn add_audience(&mut self, audience: &str) -> Result<()> {
        let audience = non_empty(audience, "audience")?;
        if !self.audiences.contains(&audience) {
            self.audiences.push(audience);
        }
        Ok(())
    }

    /// Sets the subject: a JWT has at most one `sub` (RFC 7519 §4.1.2), so a later call replaces it.
    pub fn set_subject(&mut self, subject: &str) -> Result<()> {
        self.subject = Some(non_empty(subject, "subject")?);
        Ok(())
    }

    /// Appends a claim; the type is shortened by the outbound map. Several values of one type
    /// become a JSON array.
    pub fn add_claim(&mut self, claim_type: &str, value: Value) -> Result<()> {
        let name = claims::outbound_name(&non_empty(claim_type, "claim type")?).to_string();
        match name.as_str() {
            "sub" => match value {
                Value::String(s) => self.set_subject(&s),
                _ => Err(Error::argument("The 'sub' claim must be a string.")),
            },
            "iss" => match value {
                Value::String(s) => self.set_issuer(&s),
                _ => Err(Error::argument("The 'iss' claim must be a string.")),
            },
            "aud" => match value {
                Value::String(s) => self.add_audience(&s),
                _ => Err(Error::argument("The 'aud' claim must be a string; add several audiences one by one.")),
            },
            n if TIME_CLAIMS.contains(&n) => Err(Error::argument(format!(
                "The '{n}' claim is computed when the token is built, from the builder's lifetime and \
                 not-before time: set those instead."
            ))),
            _ => {
                self.claims.push((name, value));
                Ok(())
            }
        }
    }

    pub fn add_user_claim(&mut self, member: &str, value: &str) -> Result<()> {
        let uri = claims::user_claim_uri(member)?;
        self.add_claim(&uri, Value::String(value.to_string()))
    }

    /// Sets a custom JOSE header member (names are case-sensitive, as in JOSE); a later value
    /// replaces an earlier one in place.
    pub fn set_header(&mut self, name: &str, value: Value) -> Result<()> {
        let name = non_empty(name, "header name")?;
        if RESERVED_HEADERS.contains(&name.as_str()) {
            return Err(Error::argument(format!(
                "The '{name}' header is set by KrJwt from the key and protection in use and cannot be set by hand."
            )));
        }
        self.headers.insert(name, value);
        Ok(())
    }

    pub fn set_lifetime(&mut self, seconds: f64) -> Result<()> {
        let seconds = finite_seconds(seconds, "lifetime")?;
        if seconds <= 0.0 {
            return Err(Error::argument(format!("The lifetime must be positive, but it is {seconds} seconds.")));
        }
        self.lifetime_seconds = seconds;
        Ok(())
    }

    pub fn set_not_before(&mut self, unix_seconds: i64) -> Result<()> {
        if unix_seconds > LAST_UNIX_SECOND {
            return Err(Error::argument(format!(
                "The not-before time {unix_seconds} (Unix seconds) is after 9999-12-31T23:59:59Z; give a time before year 10000."
            )));
        }
        self.not_before = NotBefore::At(unix_seconds);
        Ok(())
    }

    pub fn set_not_before_offset(&mut self, seconds: f64) -> Result<()> {
        self.not_before = NotBefore::After(finite_seconds(seconds, "not-before offset")?);
        Ok(())
    }

    /// Attaches the signing key; `alg` None means Auto (chosen from the key).
    pub fn sign_with(&mut self, key: Arc<Key>, alg: Option<Algorithm>) -> Result<()> {
        if !key.has_private_key() {
            return Err(Error::key(format!("The {} key has no private part, so it can only verify. Sign with the private key.", key.kty())));
        }
        self.signing = Some(PinnedKey::signing(key, alg)?);
        Ok(())
    }

    /// Makes builds nested JWTs: the signed token encrypted to `key` (None names = the key's
    /// defaults). Key and size mismatches are refused now, not at build time.
    pub fn encrypt_with(&mut self, key: Arc<Key>, alg: Option<&str>, enc: Option<&str>) -> Result<()> {
        self.encryption = Some(Encrypter::new(key, alg, enc)?);
        Ok(())
    }

    pub fn signing_key(&self) -> Option<&PinnedKey> {
        self.signing.as_ref()
    }

    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    pub fn audiences(&self) -> &[String] {
        &self.audiences
    }

    pub fn subject(&self) -> Option<&str> {
        self.subject.as_deref()
    }

    /// The claims in the order they were added (types already shortened by the outbound map).
    pub fn claims(&self) -> &[(String, Value)] {
        &self.claims
    }

    /// The custom JOSE header members.
    pub fn headers(&self) -> &Map<String, Value> {
        &self.headers
    }

    pub fn lifetime_seconds(&self) -> f64 {
        self.lifetime_seconds
    }

    pub fn not_before(&self) -> NotBefore {
        self.not_before
    }

    /// The encryption of nested JWTs, when builds encrypt.
    pub fn encrypter(&self) -> Option<&Encrypter> {
        self.encryption.as_ref()
    }

    fn required_signing_key(&self) -> Result<&PinnedKey> {
        self.signing.as_ref().ok_or_else(|| Error::state("The builder has no signing key, and tokens are always signed."))
    }

    /// Builds a signed token as of `now` (Unix seconds). Validity starts at max(now, nbf).
    pub fn build_at(&self, now: f64) -> Result<BuildResult> {
        let key = self.required_signing_key()?;
        let issued_at = now.floor() as i64;
        let not_before = match self.not_before {
            NotBefore::Now => issued_at,
            NotBefore::At(t) => t.max(issued_at),
            NotBefore::After(s) => (now + s).floor().max(now.floor()) as i64,
        };
        let times = Times::new(not_before, self.lifetime_seconds, issued_at)?;
        let payload = stamp(self.user_claims(), times, self.issuer.clone(), &self.audiences);
        self.sign(key, payload)
    }

    pub fn build(&self) -> Result<BuildResult> {
        self.build_at(crate::time::now())
    }

    /// Re-issues a token this builder's key signed: the old token must pass validation (signature,
    /// issuer, audience, lifetime with the default skew), keeps its claims, and gets fresh times
    /// (`lifetime_seconds` or the builder's), this builder's issuer, the union of audiences and a
    /// new `jti` if it had one.
    pub fn renew_at(&self, token: &str, lifetime_seconds: Option<f64>, now: f64) -> Result<BuildResult> {
        let key = self.required_signing_key()?;
        let lifetime = match lifetime_seconds {
            Some(seconds) => {
                let seconds = finite_seconds(seconds, "lifetime")?;
                if seconds <= 0.0 {
                    return Err(Error::argument(format!("The renewal lifetime must be positive, but it is {seconds} seconds.")));
                }
                seconds
            }
            None => self.lifetime_seconds,
        };
        let options =
            ValidationOptions { issuers: self.issuer.iter().cloned().collect(), audiences: self.audiences.clone(), ..ValidationOptions::default() };
        let decrypters = self.encryption.as_ref().and_then(decrypter_for).into_iter().collect();
        let report = Validator::with_decrypters(options, vec![key.for_verification()], decrypters)?.validate_at(token, now);
        let mut claims = match report.claims {
            Some(claims) if report.is_valid() => claims,
            _ => {
                return Err(Error::token(format!(
                    "The token cannot be renewed because {} ({}); only valid tokens issued with this builder's key are renewed.",
                    clause(&report.message),
                    report.reason.name()
                )))
            }
        };
        for name in TIME_CLAIMS {
            claims.remove(name);
        }
        let issuer = self.issuer.clone().or_else(|| claims.get("iss").and_then(Value::as_str).map(str::to_string));
        let mut audiences = crate::token::audiences(&claims);
        for aud in &self.audiences {
            if !audiences.contains(aud) {
                audiences.push(aud.clone());
            }
        }
        claims.remove("iss");
        claims.remove("aud");
        if claims.contains_key("jti") {
            claims.insert("jti".into(), new_token_id()?.into());
        }
        let issued_at = now.floor() as i64;
        let times = Times::new(issued_at, lifetime, issued_at)?;
        self.sign(key, stamp(claims.into_iter().collect(), times, issuer, &audiences))
    }

    pub fn renew(&self, token: &str, lifetime_seconds: Option<f64>) -> Result<BuildResult> {
        self.renew_at(token, lifetime_seconds, crate::time::now())
    }

    /// Signs the payload, then encrypts the signed token when the builder encrypts. A token its
    /// own validator would refuse (JSON nested too deep, too large) is not issued.
    fn sign(&self, key: &PinnedKey, payload: Members) -> Result<BuildResult> {
        let header_json = self.header_for(key).to_json();
        let payload_json = payload.to_json();
        for (json, what) in [(&header_json, "header"), (&payload_json, "claims")] {
            if crate::json::nesting_exceeds(json.as_bytes(), crate::json::MAX_DEPTH) {
                return Err(Error::argument(format!(
                    "The token's {what} would nest JSON deeper than {} levels, which validation refuses. Flatten the deeply nested values.",
                    crate::json::MAX_DEPTH
                )));
            }
        }
        let token = jws::sign_compact(key, header_json.as_bytes(), payload_json.as_bytes())?;
        if token.len() > MAX_TOKEN_BYTES {
            return Err(Error::argument(format!(
                "The signed token would be {} bytes, above the {MAX_TOKEN_BYTES} bytes validation accepts. Put less into the token.",
                token.len()
            )));
        }
        let signed = Signed { token, header_json, payload_json, key: key.clone() };
        match &self.encryption {
            None => Ok(BuildResult::signed(signed)),
            Some(encrypter) => {
                let jwe = encrypter.encrypt(&outer_header(encrypter.key()), signed.token.as_bytes())?;
                Ok(BuildResult::encrypted(signed, jwe.token, jwe.header, decrypter_for(encrypter)))
            }
        }
    }

    /// `alg`, `kid`, `typ`, then the custom headers in the order they were added.
    fn header_for(&self, key: &PinnedKey) -> Members {
        let mut header = Members::default();
        header.set("alg", key.algorithm().name().into());
        header.set("kid", key.key().key_id().into());
        header.set("typ", "JWT".into());
        for (name, value) in &self.headers {
            header.set(name, value.clone());
        }
        header
    }

    /// `sub`, then the claims grouped by type in first-seen order (several values become an array).
    fn user_claims(&self) -> Members {
        let mut payload = Members::default();
        if let Some(sub) = &self.subject {
            payload.set("sub", sub.clone().into());
        }
        let mut groups: Vec<(&str, Vec<&Value>)> = Vec::new();
        for (name, value) in &self.claims {
            match groups.iter_mut().find(|(n, _)| n == name) {
                Some((_, values)) => values.push(value),
                None => groups.push((name, vec![value])),
            }
        }
        for (name, values) in groups {
            let value = match values.as_slice() {
                [one] => (*one).clone(),
                many => Value::Array(many.iter().map(|v| (*v).clone()).collect()),
            };
            payload.set(name, value);
        }
        payload
    }
}

#[derive(Clone, Copy)]
struct Times {
    nbf: i64,
    exp: i64,
    iat: i64,
}

impl Times {
    /// `exp` = `nbf` + the lifetime, refused past year 9999 (no consumer can read such a time).
    fn new(nbf: i64, lifetime_seconds: f64, iat: i64) -> Result<Times> {
        let exp = nbf.checked_add(lifetime_seconds.ceil() as i64).filter(|exp| *exp <= LAST_UNIX_SECOND).ok_or_else(|| {
            Error::argument(format!(
                "The token would be valid from {} for {lifetime_seconds} seconds, past 9999-12-31T23:59:59Z. \
                 Choose an earlier not-before time or a shorter lifetime.",
                crate::time::format_utc(nbf as f64)
            ))
        })?;
        Ok(Times { nbf, exp, iat })
    }
}

/// Appends the builder-owned claims after the user claims: `nbf`, `exp`, `iat`, `iss`, `aud`
/// (a string for one audience, an array for more).
fn stamp(mut payload: Members, times: Times, issuer: Option<String>, audiences: &[String]) -> Members {
    payload.set("nbf", times.nbf.into());
    payload.set("exp", times.exp.into());
    payload.set("iat", times.iat.into());
    if let Some(iss) = issuer {
        payload.set("iss", iss.into());
    }
    match audiences {
        [] => {}
        [one] => payload.set("aud", one.clone().into()),
        many => payload.set("aud", many.to_vec().into()),
    }
    payload
}

/// The nested JWT's outer members after `alg`/`enc`: `kid` (an asymmetric key's id, or a key's own
/// `kid`; a secret's thumbprint is not announced), `typ`, and `cty: JWT` (RFC 7519 §5.2).
fn outer_header(key: &Key) -> Map<String, Value> {
    let mut header = Map::new();
    let kid = match key.material() {
        Material::Secret(_) => key.explicit_kid(),
        Material::Asymmetric(_) => Some(key.key_id()),
    };
    if let Some(kid) = kid {
        header.insert("kid".into(), kid.into());
    }
    header.insert("typ".into(), "JWT".into());
    header.insert("cty".into(), "JWT".into());
    header
}

/// The decrypter for what this encrypter produces, when its key can decrypt (secrets and private
/// keys can; a recipient's public key cannot).
fn decrypter_for(encrypter: &Encrypter) -> Option<Decrypter> {
    if !encrypter.key().has_private_key() {
        return None;
    }
    Decrypter::new(encrypter.key().clone(), Some(encrypter.key_management()), Some(encrypter.content_encryption())).ok()
}

/// A message sentence as a clause of another: first letter lowered, final period dropped.
fn clause(sentence: &str) -> String {
    let trimmed = sentence.trim().trim_end_matches('.');
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A random `jti` (128 bits, base64url).
fn new_token_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    openssl::rand::rand_bytes(&mut bytes)?;
    Ok(crate::b64::encode(&bytes))
}
