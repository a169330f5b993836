//! Token validation: the key decides the algorithm, the signature is checked before any claim is
//! trusted, and every rejection carries a stable reason and a message saying what was wrong.
//! Two more `Validator` methods live in the layer above, with what they need: `for_result` in
//! build_result.rs and `inspect` in inspect.rs.

use crate::algorithms::jws::Algorithm;
use crate::error::{quoted, quoted_at_most, Error, Result};
use crate::jwe::Decrypter;
use crate::jws::{self, PinnedKey};
use crate::keys::{Key, Material, Operation, Purpose};
use crate::refusal::{Reason, Refusal};
use crate::time::format_utc;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::sync::Arc;

/// The clock skew validation allows when none is given, in seconds (the C ABI publishes it as
/// `KRJWT_DEFAULT_CLOCK_SKEW_SECONDS`).
pub const DEFAULT_CLOCK_SKEW_SECONDS: u32 = 60;

/// What a validator accepts. Issuer and audience are checked when given.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    pub issuers: Vec<String>,
    pub audiences: Vec<String>,
    /// Restricts the keys' algorithms further; empty means each key's pinned algorithm.
    pub algorithms: Vec<String>,
    pub clock_skew_seconds: f64,
    pub validate_lifetime: bool,
    pub require_expiration: bool,
    pub validate_issuer: bool,
    pub validate_audience: bool,
    /// A JWK Set whose keys are added to the validator's keys (selected by `kid`); its text must
    /// name every member once, at every depth.
    #[serde(deserialize_with = "crate::json::optional_unique_value")]
    pub jwks: Option<Value>,
    /// Where `jwks` was published: anyone may read it, so it must hold public keys only.
    pub jwks_uri: Option<String>,
    /// Why `jwks` could not be fetched again: a token naming a key it lacks is then refused with
    /// [`Reason::KeySetUnavailable`] (the key may exist, unseen), not [`Reason::KeyNotFound`].
    pub jwks_unavailable: Option<String>,
    /// Pins decryption keys to one JWE key-management algorithm (needed for RSA1_5 and PBES2).
    pub key_management_algorithm: Option<String>,
    /// Pins decryption keys to one JWE content-encryption algorithm.
    pub content_encryption_algorithm: Option<String>,
    /// Refuses tokens that are not encrypted (a plain JWS); needs decryption keys.
    pub require_encryption: bool,
    /// The most PBES2 iterations (`p2c`) an encrypted token may demand.
    pub max_pbes2_count: u32,
}

impl Options {
    fn allowed_algorithms(&self) -> Result<Vec<Algorithm>> {
        self.algorithms
            .iter()
            .map(|name| {
                Algorithm::parse_requested(Some(name))?
                    .ok_or_else(|| Error::argument("'Auto' cannot restrict validation: name the algorithms to accept."))
            })
            .collect()
    }
}

/// The verification keys of a JWK Set document (RFC 7517 §5); keys meant for encryption are
/// skipped. A set in which two keys share a `kid`, or which mixes shared secrets with public keys,
/// is refused: a token's `kid` must name one key, and a set a verifier may publish or fetch has
/// no business holding secrets next to public keys. A set published at `published` may hold no
/// shared secret at all: whoever reads it could sign tokens.
fn jwks_keys(jwks: &Value, published: Option<&str>) -> Result<Vec<Arc<Key>>> {
    let keys = jwks.get("keys").and_then(Value::as_array).ok_or_else(|| Error::json("The JWK Set must be an object with a \"keys\" array."))?;
    let mut imported: Vec<Arc<Key>> = Vec::with_capacity(keys.len());
    for (index, jwk) in keys.iter().enumerate() {
        if jwk.get("use").and_then(Value::as_str) == Some("enc") {
            continue;
        }
        let in_set = |e: Error| Error::new(e.kind, format!("Key {index} of the JWK Set: {}", e.message));
        let jwk = jwk.as_object().ok_or_else(|| Error::key(format!("Key {index} of the JWK Set is not a JSON object.")))?;
        let key = crate::keys::import_jwk_object(jwk).map_err(in_set)?;
        if key.purpose() == Purpose::Encryption {
            continue;
        }
        key.require_operation(&[Operation::Verify], "verifying signatures").map_err(in_set)?;
        if let Some(kid) = key.explicit_kid() {
            if imported.iter().any(|other| other.explicit_kid() == Some(kid)) {
                return Err(Error::key(format!(
                    "The JWK Set holds two verification keys with the kid {}: a token's kid must select one key. \
                     Give each key its own kid.",
                    quoted(kid)
                )));
            }
        }
        if let (Some(uri), Material::Secret(_)) = (published, key.material()) {
            return Err(Error::key(format!(
                "Key {index} of the JWK Set published at {} is a shared secret (kty \"oct\"): anyone who can read the set \
                 could sign tokens with it, so a published key set must hold public keys only.",
                quoted_at_most(uri, 256)
            )));
        }
        imported.push(Arc::new(key));
    }
    let secrets = imported.iter().filter(|k| k.kty() == "oct").count();
    if secrets > 0 && secrets < imported.len() {
        return Err(Error::key(
            "The JWK Set mixes shared secrets (kty oct) with public keys. A key set for verification holds public keys; \
             give a shared secret on its own, as a single key rather than in a key set.",
        ));
    }
    if imported.is_empty() {
        return Err(Error::key("The JWK Set holds no signature verification keys."));
    }
    Ok(imported)
}

impl Default for Options {
    fn default() -> Self {
        Options {
            issuers: Vec::new(),
            audiences: Vec::new(),
            algorithms: Vec::new(),
            clock_skew_seconds: f64::from(DEFAULT_CLOCK_SKEW_SECONDS),
            validate_lifetime: true,
            require_expiration: true,
            validate_issuer: true,
            validate_audience: true,
            jwks: None,
            jwks_uri: None,
            jwks_unavailable: None,
            key_management_algorithm: None,
            content_encryption_algorithm: None,
            require_encryption: false,
            max_pbes2_count: crate::jwe::DEFAULT_MAX_PBES2_COUNT,
        }
    }
}

/// The outcome of one validation.
#[derive(Debug, Clone)]
pub struct Report {
    pub reason: Reason,
    pub message: String,
    pub header: Option<Map<String, Value>>,
    /// Only present once the signature has been verified.
    pub claims: Option<Map<String, Value>>,
    /// The key whose signature matched, once the signature has been verified.
    pub key: Option<PinnedKey>,
    /// The token passed only because of the clock skew: it expired, or starts, less than the skew ago
    /// (or ahead).
    pub within_clock_skew: bool,
    /// With `AlgorithmNotAllowed`: the token's algorithm when a configured key could verify it, were
    /// that algorithm allowed explicitly (a 64-byte secret is pinned to HS512 unless told otherwise).
    pub allowable_algorithm: Option<Algorithm>,
}

impl From<Refusal> for Report {
    /// The report of a token refused before its header could be read.
    fn from(refusal: Refusal) -> Report {
        Report {
            reason: refusal.reason,
            message: refusal.message,
            header: None,
            claims: None,
            key: None,
            within_clock_skew: false,
            allowable_algorithm: None,
        }
    }
}

impl Report {
    pub fn is_valid(&self) -> bool {
        self.reason == Reason::Valid
    }
}

fn refuse(reason: Reason, message: impl Into<String>) -> Refusal {
    Refusal::new(reason, message)
}

#[derive(Debug)]
pub struct Validator {
    options: Options,
    keys: Vec<PinnedKey>,
    decrypters: Vec<Decrypter>,
}

impl Validator {
    pub fn new(options: Options, keys: Vec<PinnedKey>) -> Result<Validator> {
        Validator::with_decrypters(options, keys, Vec::new())
    }

    /// A validator that also opens nested JWTs encrypted to one of `decrypters`.
    pub fn with_decrypters(options: Options, keys: Vec<PinnedKey>, decrypters: Vec<Decrypter>) -> Result<Validator> {
        if keys.is_empty() {
            return Err(Error::argument("Validation needs at least one key to verify signatures with."));
        }
        if !(options.clock_skew_seconds.is_finite() && (0.0..=86_400.0).contains(&options.clock_skew_seconds)) {
            return Err(Error::argument(format!(
                "The clock skew of {} seconds is out of range: use 0 to 86400 seconds.",
                options.clock_skew_seconds
            )));
        }
        let allowed = options.allowed_algorithms()?;
        if !allowed.is_empty() && keys.iter().any(|k| !allowed.contains(&k.algorithm())) {
            return Err(Error::argument("A key is pinned to an algorithm the validation options do not allow."));
        }
        if options.require_encryption && decrypters.is_empty() {
            return Err(Error::argument("Requiring encrypted tokens (requireEncryption) needs a decryption key: give one, or drop the requirement."));
        }
        Ok(Validator { options, keys, decrypters })
    }

    /// Pins each key to the allowed algorithms it supports (or to its own algorithm when the
    /// options name none), adding the keys of the options' `jwks` document.
    pub fn from_keys(mut options: Options, keys: Vec<Arc<Key>>, decryption_keys: Vec<Arc<Key>>) -> Result<Validator> {
        let mut keys = keys;
        // The key set is imported, then wiped: it may hold shared secrets, and the validator keeps keys.
        if let Some(mut jwks) = options.jwks.take() {
            let imported = jwks_keys(&jwks, options.jwks_uri.as_deref());
            if let Value::Object(members) = &mut jwks {
                crate::keys::wipe_jwk(members);
            }
            keys.extend(imported?);
        }
        let allowed = options.allowed_algorithms()?;
        let mut pinned = Vec::new();
        for key in keys {
            key.require_operation(&[Operation::Verify], "verifying signatures")?;
            if allowed.is_empty() {
                pinned.push(PinnedKey::new(key, None)?.for_verification());
                continue;
            }
            let usable: Vec<Algorithm> = allowed.iter().copied().filter(|a| key.resolve_algorithm(Some(*a)).is_ok()).collect();
            if usable.is_empty() {
                let names: Vec<&str> = allowed.iter().map(|a| a.name()).collect();
                return Err(Error::key(format!(
                    "The {} key (kid '{}') cannot verify any of the allowed algorithms ({}).",
                    key.kty(),
                    key.key_id(),
                    names.join(", ")
                )));
            }
            for alg in usable {
                pinned.push(PinnedKey::new(key.clone(), Some(alg))?.for_verification());
            }
        }
        let (alg, enc) = (options.key_management_algorithm.clone(), options.content_encryption_algorithm.clone());
        let decrypters = decryption_keys
            .into_iter()
            .map(|key| Decrypter::matching(key, alg.as_deref(), enc.as_deref())?.with_max_pbes2_count(options.max_pbes2_count))
            .collect::<Result<Vec<_>>>()?;
        Validator::with_decrypters(options, pinned, decrypters)
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The keys signatures are verified with, each pinned to one algorithm.
    pub fn keys(&self) -> &[PinnedKey] {
        &self.keys
    }

    /// The keys nested JWTs are opened with.
    pub fn decrypters(&self) -> &[Decrypter] {
        &self.decrypters
    }

    /// Validates without building a report: the fast path for a yes/no answer.
    pub fn check_at(&self, token: &str, now: f64) -> Reason {
        match self.run(token, now, None) {
            Ok(_) => Reason::Valid,
            Err(refusal) => refusal.reason,
        }
    }

    pub fn check(&self, token: &str) -> Reason {
        self.check_at(token, crate::time::now())
    }

    pub fn validate_at(&self, token: &str, now: f64) -> Report {
        let mut seen = Seen::default();
        let outcome = self.run(token, now, Some(&mut seen));
        let mut report = Report {
            reason: Reason::Valid,
            message: String::new(),
            header: seen.header,
            claims: seen.claims,
            key: seen.key,
            within_clock_skew: false,
            allowable_algorithm: None,
        };
        match outcome {
            Ok(None) => report.message = "The token is valid.".into(),
            Ok(Some(skew)) => {
                report.within_clock_skew = true;
                report.message = format!("The token is valid only thanks to the clock skew of {} s: {skew}.", self.options.clock_skew_seconds);
            }
            Err(refusal) => {
                report.reason = refusal.reason;
                report.message = refusal.message;
                if refusal.reason == Reason::AlgorithmNotAllowed {
                    report.allowable_algorithm = report.header.as_ref().and_then(|h| self.allowable_algorithm(h));
                }
            }
        }
        report
    }

    /// The algorithm a refused token names, when one of the keys could verify it if it were allowed:
    /// keys are pinned to one algorithm each (their own unless others are named), so a token of a
    /// sibling algorithm is refused although the key would fit.
    fn allowable_algorithm(&self, header: &Map<String, Value>) -> Option<Algorithm> {
        let alg = Algorithm::from_header(header.get("alg")?.as_str()?)?;
        self.keys.iter().any(|k| k.key().resolve_algorithm(Some(alg)).is_ok()).then_some(alg)
    }

    pub fn validate(&self, token: &str) -> Report {
        self.validate_at(token, crate::time::now())
    }

    /// The checks, in an order that never trusts unauthenticated content: shape, algorithm,
    /// critical headers, signature, then claims. With `seen`, also records the header and (once
    /// the signature holds) the claims and the key for a report. Accepted: why the clock skew was
    /// needed, if it was.
    fn run(&self, token: &str, now: f64, mut seen: Option<&mut Seen>) -> std::result::Result<Option<String>, Refusal> {
        let opened = crate::token::open(token, &self.decrypters)?;
        if self.options.require_encryption && opened.outer_header.is_none() && jws::split_compact(&opened.jws).is_some() {
            return Err(refuse(
                Reason::AlgorithmNotAllowed,
                "The token is signed but not encrypted, and these validation parameters require encrypted tokens (JWE). \
                 Ask the issuer to encrypt the token to your key.",
            ));
        }
        let verified = jws::verify_compact(&self.keys, &opened.jws).map_err(|r| {
            if let (Some(seen), Some(header)) = (seen.as_deref_mut(), r.header.as_deref()) {
                seen.header = serde_json::from_slice(header).ok();
            }
            match (&self.options.jwks_unavailable, r.reason) {
                (Some(cause), Reason::KeyNotFound) => refuse(
                    Reason::KeySetUnavailable,
                    format!("{} It may be a new key, but the key set could not be fetched again: {cause}", r.message),
                ),
                _ => refuse(r.reason, r.message),
            }
        })?;
        let malformed = |e: serde_json::Error| refuse(Reason::Malformed, format!("The token payload is not a valid JSON object: {e}."));
        match seen {
            // The fast path builds only the claims it checks.
            None => {
                let [exp, nbf, iat, iss, aud] = crate::json::select(&verified.payload, ["exp", "nbf", "iat", "iss", "aud"]).map_err(malformed)?;
                self.check_claims(&Registered { exp, nbf, iat, iss, aud }, now)
            }
            Some(seen) => {
                seen.header = crate::json::object(&verified.header).ok();
                seen.key = Some(verified.key.clone());
                let claims = crate::json::object(&verified.payload).map_err(malformed)?;
                let registered = Registered::of(&claims);
                seen.claims = Some(claims);
                self.check_claims(&registered, now)
            }
        }
    }

    /// Checks the registered claims; accepted: why the clock skew was needed, if it was.
    fn check_claims(&self, claims: &Registered, now: f64) -> std::result::Result<Option<String>, Refusal> {
        let skew = self.options.clock_skew_seconds;
        let exp = numeric_date(claims.exp.as_ref(), "exp")?;
        let nbf = numeric_date(claims.nbf.as_ref(), "nbf")?;
        // `iat` is not checked against the clock, but a reader must be able to read it (RFC 7519 §4.1.6).
        numeric_date(claims.iat.as_ref(), "iat")?;
        let mut skew_needed = None;
        if self.options.validate_lifetime {
            match exp {
                None if self.options.require_expiration => {
                    return Err(refuse(Reason::MissingExpiration, "The token has no expiration time ('exp'), which is required."))
                }
                Some(exp) if now >= exp + skew => {
                    return Err(refuse(Reason::Expired, format!("The token expired at {} (clock skew {skew} s); get a new token.", format_utc(exp))))
                }
                Some(exp) if now >= exp => skew_needed = Some(format!("it expired at {}", format_utc(exp))),
                _ => {}
            }
            if let Some(nbf) = nbf {
                if now + skew < nbf {
                    return Err(refuse(Reason::NotYetValid, format!("The token is not valid before {} (clock skew {skew} s).", format_utc(nbf))));
                }
                if now < nbf {
                    skew_needed = Some(format!("it is not valid before {}", format_utc(nbf)));
                }
            }
        }
        if self.options.validate_issuer && !self.options.issuers.is_empty() {
            match claims.iss.as_ref().filter(|v| !v.is_null()) {
                Some(Value::String(iss)) if self.options.issuers.iter().any(|i| i == iss) => {}
                Some(Value::String(iss)) => {
                    return Err(refuse(
                        Reason::InvalidIssuer,
                        format!("The token issuer {} is not accepted; expected {}.", quoted(iss), quoted_list(&self.options.issuers)),
                    ))
                }
                Some(_) => return Err(refuse(Reason::InvalidIssuer, "The token issuer ('iss') must be a string.")),
                None => return Err(refuse(Reason::InvalidIssuer, "The token has no issuer ('iss'), which is required.")),
            }
        }
        if self.options.validate_audience && !self.options.audiences.is_empty() {
            let accepted = |aud: &str| self.options.audiences.iter().any(|a| a.trim_end_matches('/') == aud.trim_end_matches('/'));
            let found = match claims.aud.as_ref().filter(|v| !v.is_null()) {
                Some(Value::String(aud)) => accepted(aud),
                Some(Value::Array(items)) if items.iter().all(Value::is_string) => items.iter().filter_map(Value::as_str).any(accepted),
                Some(_) => return Err(refuse(Reason::InvalidAudience, "The token audience ('aud') must be a string or an array of strings.")),
                None => return Err(refuse(Reason::InvalidAudience, "The token has no audience ('aud'), which is required.")),
            };
            if !found {
                return Err(refuse(
                    Reason::InvalidAudience,
                    format!("The token is not meant for this audience; expected {}.", quoted_list(&self.options.audiences)),
                ));
            }
        }
        Ok(skew_needed)
    }
}

/// The registered claims validation checks.
struct Registered {
    exp: Option<Value>,
    nbf: Option<Value>,
    iat: Option<Value>,
    iss: Option<Value>,
    aud: Option<Value>,
}

impl Registered {
    fn of(claims: &Map<String, Value>) -> Registered {
        let get = |name: &str| claims.get(name).cloned();
        Registered { exp: get("exp"), nbf: get("nbf"), iat: get("iat"), iss: get("iss"), aud: get("aud") }
    }
}

/// What a detailed validation saw of the token.
#[derive(Default)]
struct Seen {
    header: Option<Map<String, Value>>,
    claims: Option<Map<String, Value>>,
    key: Option<PinnedKey>,
}

fn quoted_list(items: &[String]) -> String {
    items.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(" or ")
}

/// A NumericDate claim: a JSON number of seconds (RFC 7519 §2); anything else is refused.
fn numeric_date(value: Option<&Value>, name: &str) -> std::result::Result<Option<f64>, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(refuse(Reason::InvalidClaim, format!("The '{name}' claim is not a usable number."))),
        },
        Some(_) => Err(refuse(Reason::InvalidClaim, format!("The '{name}' claim must be a number of seconds (NumericDate)."))),
    }
}
