//! Builder handles. A builder serialises its own mutations behind a mutex.

use super::key::key_of;
use super::{
    guard, json_arg, opt_str_arg, registry, str_arg, token_str, write_handle, write_string, Describe, FfiResult, KrBuilder, KrKey, KrResult, KrStatus,
};
use crate::algorithms::jws::Algorithm;
use crate::builder::Builder;
use serde_json::Value;
use std::ffi::c_char;
use std::sync::{Arc, Mutex, MutexGuard};

const KIND: &str = "builder";

type Shared = Mutex<Builder>;

fn builder_of(handle: *const KrBuilder) -> FfiResult<Arc<Shared>> {
    registry::get::<Shared>(handle as usize, KIND)
}

fn lock(shared: &Shared) -> MutexGuard<'_, Builder> {
    // Mutations validate before they write, so a poisoned builder is still consistent.
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs `change` (which also reads its arguments) on the builder behind `handle`.
fn mutate(handle: *mut KrBuilder, change: impl FnOnce(&mut Builder) -> FfiResult<()>) -> KrStatus {
    guard(|| {
        let shared = builder_of(handle)?;
        let mut builder = lock(&shared);
        change(&mut builder)
    })
}

/// Creates an empty builder (1 hour lifetime, valid from build time, unsigned).
///
/// # Safety
/// `out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_new(out: *mut *mut KrBuilder) -> KrStatus {
    guard(|| write_handle(out, Mutex::new(Builder::new())))
}

/// Creates an independent deep copy of a builder.
///
/// # Safety
/// `out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_clone(builder: *const KrBuilder, out: *mut *mut KrBuilder) -> KrStatus {
    guard(|| {
        let copy = lock(&*builder_of(builder)?).clone();
        write_handle(out, Mutex::new(copy))
    })
}

/// Releases a builder handle (NULL is a no-op).
#[no_mangle]
pub extern "C" fn kr_builder_free(builder: *mut KrBuilder) -> KrStatus {
    guard(|| registry::remove::<Shared>(builder as usize, KIND))
}

/// Sets the issuer (`iss`), replacing an earlier one.
///
/// # Safety
/// `issuer` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_set_issuer(builder: *mut KrBuilder, issuer: *const c_char) -> KrStatus {
    mutate(builder, |b| Ok(b.set_issuer(str_arg(issuer, "issuer")?)?))
}

/// Adds an audience (`aud`); duplicates are ignored.
///
/// # Safety
/// `audience` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_add_audience(builder: *mut KrBuilder, audience: *const c_char) -> KrStatus {
    mutate(builder, |b| Ok(b.add_audience(str_arg(audience, "audience")?)?))
}

/// Sets the subject (`sub`), replacing an earlier one.
///
/// # Safety
/// `subject` is a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_set_subject(builder: *mut KrBuilder, subject: *const c_char) -> KrStatus {
    mutate(builder, |b| Ok(b.set_subject(str_arg(subject, "subject")?)?))
}

/// Appends a string claim; long claim-type URIs are shortened by the outbound map.
///
/// # Safety
/// `claim_type` and `value` are NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_add_claim(builder: *mut KrBuilder, claim_type: *const c_char, value: *const c_char) -> KrStatus {
    mutate(builder, |b| {
        let value = Value::String(str_arg(value, "value")?.to_string());
        Ok(b.add_claim(str_arg(claim_type, "claim_type")?, value)?)
    })
}

/// Appends a claim whose value is given as JSON (number, boolean, array, object, string).
///
/// # Safety
/// `claim_type` and `json_value` are NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_add_claim_json(builder: *mut KrBuilder, claim_type: *const c_char, json_value: *const c_char) -> KrStatus {
    mutate(builder, |b| {
        let value = json_arg(str_arg(json_value, "json_value")?, "json_value")?;
        Ok(b.add_claim(str_arg(claim_type, "claim_type")?, value)?)
    })
}

/// Appends a claim named by a `UserIdentityClaim` member (`Name`, `Role`, ...).
///
/// # Safety
/// `user_claim` and `value` are NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_add_user_claim(builder: *mut KrBuilder, user_claim: *const c_char, value: *const c_char) -> KrStatus {
    mutate(builder, |b| Ok(b.add_user_claim(str_arg(user_claim, "user_claim")?, str_arg(value, "value")?)?))
}

/// Sets a custom JOSE header member from a JSON value.
///
/// # Safety
/// `name` and `json_value` are NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_set_header(builder: *mut KrBuilder, name: *const c_char, json_value: *const c_char) -> KrStatus {
    mutate(builder, |b| {
        let value = json_arg(str_arg(json_value, "json_value")?, "json_value")?;
        Ok(b.set_header(str_arg(name, "name")?, value)?)
    })
}

/// Sets the lifetime in seconds (must be positive).
#[no_mangle]
pub extern "C" fn kr_builder_set_lifetime(builder: *mut KrBuilder, seconds: f64) -> KrStatus {
    mutate(builder, |b| Ok(b.set_lifetime(seconds)?))
}

/// Sets an absolute not-before time (Unix seconds, at most 253402300799: 9999-12-31T23:59:59Z).
#[no_mangle]
pub extern "C" fn kr_builder_set_not_before(builder: *mut KrBuilder, unix_seconds: i64) -> KrStatus {
    mutate(builder, |b| Ok(b.set_not_before(unix_seconds)?))
}

/// Sets a not-before time relative to build time, in seconds.
#[no_mangle]
pub extern "C" fn kr_builder_set_not_before_offset(builder: *mut KrBuilder, seconds: f64) -> KrStatus {
    mutate(builder, |b| Ok(b.set_not_before_offset(seconds)?))
}

/// Attaches a signing key; `alg` NULL or "Auto" chooses from the key.
///
/// # Safety
/// `alg` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_sign(builder: *mut KrBuilder, key: *const KrKey, alg: *const c_char) -> KrStatus {
    mutate(builder, |b| {
        let alg = Algorithm::parse_requested(opt_str_arg(alg, "alg")?)?;
        Ok(b.sign_with(key_of(key)?, alg)?)
    })
}

/// Makes builds nested JWTs encrypted to `key`; `key_alg`/`enc_alg` NULL, empty or "Auto" take
/// the key's defaults. Mismatched keys and unknown names are refused here.
///
/// # Safety
/// `key_alg` and `enc_alg` are NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_encrypt(builder: *mut KrBuilder, key: *const KrKey, key_alg: *const c_char, enc_alg: *const c_char) -> KrStatus {
    mutate(builder, |b| {
        let (alg, enc) = (opt_str_arg(key_alg, "key_alg")?, opt_str_arg(enc_alg, "enc_alg")?);
        Ok(b.encrypt_with(key_of(key)?, alg, enc)?)
    })
}

/// Describes the builder as JSON (no key material).
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_describe(builder: *const KrBuilder, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| {
        let text = lock(&*builder_of(builder)?).describe().to_string();
        write_string(out_json, text)
    })
}

/// Builds a token; the builder is not changed.
///
/// # Safety
/// `out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_build(builder: *const KrBuilder, out: *mut *mut KrResult) -> KrStatus {
    guard(|| {
        // Sign from a snapshot so that concurrent builds from one template do not queue on its lock.
        let snapshot = lock(&*builder_of(builder)?).clone();
        let result = snapshot.build()?;
        write_handle(out, result)
    })
}

/// The public JWK of the builder's signing key, announcing its algorithm (for a JWKS route).
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_export_public_jwk(builder: *const KrBuilder, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| {
        let key = lock(&*builder_of(builder)?).signing_key().cloned();
        let key = key.ok_or_else(|| crate::Error::state("The builder has no signing key yet, so it has no public key to publish."))?;
        write_string(out_json, key.public_jwk()?.to_string())
    })
}

/// Re-issues a valid token (of `token_len` bytes) signed with this builder's key: claims kept, times refreshed,
/// audiences merged. `lifetime_seconds` <= 0 means the builder's lifetime. A token that fails
/// validation gives `KR_STATUS_INVALID_TOKEN` with the reason.
///
/// # Safety
/// `token` points to `token_len` readable bytes; `out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_builder_renew(
    builder: *const KrBuilder,
    token: *const c_char,
    token_len: usize,
    lifetime_seconds: f64,
    out: *mut *mut KrResult,
) -> KrStatus {
    guard(|| {
        let snapshot = lock(&*builder_of(builder)?).clone();
        let lifetime = (lifetime_seconds > 0.0 || lifetime_seconds.is_nan()).then_some(lifetime_seconds);
        let result = snapshot.renew(token_str(token, token_len)?, lifetime)?;
        write_handle(out, result)
    })
}
