//! Validator handles (immutable, shareable across threads).

use super::key::key_of;
use super::result::result_of;
use super::{
    guard, registry, slice_arg, str_arg, token_arg, token_str, write_handle, write_out, write_string, Describe, Failure, FfiResult, KrKey, KrReason,
    KrResult, KrStatus, KrValidator, ToJson,
};
use crate::token;
use crate::validation::{Options, Report, Validator};
use std::ffi::c_char;
use std::sync::Arc;

const KIND: &str = "validator";

fn validator_of(handle: *const KrValidator) -> FfiResult<Arc<Validator>> {
    registry::get::<Validator>(handle as usize, KIND)
}

/// Validation parameters that accept what a build result says about itself (a snapshot).
///
/// # Safety
/// `out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_validator_new_for_result(result: *const KrResult, clock_skew_seconds: f64, out: *mut *mut KrValidator) -> KrStatus {
    guard(|| {
        let validator = Validator::for_result(&*result_of(result)?, clock_skew_seconds)?;
        write_handle(out, validator)
    })
}

/// Validation parameters from options JSON (see docs/c-abi.md; `jwks` adds a key set) and
/// `key_count` keys, each pinned to the allowed algorithms it supports (default: its own).
///
/// `decryption_keys` open nested JWTs (see docs/c-abi.md for the options naming RSA1_5/PBES2).
///
/// # Safety
/// `options_json` is NULL or a NUL-terminated string; `keys` points to `key_count` handles and
/// `decryption_keys` to `decryption_key_count`; `out` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_validator_new(
    options_json: *const c_char,
    keys: *const *const KrKey,
    key_count: usize,
    decryption_keys: *const *const KrKey,
    decryption_key_count: usize,
    out: *mut *mut KrValidator,
) -> KrStatus {
    guard(|| {
        let options: Options = if options_json.is_null() {
            Options::default()
        } else {
            serde_json::from_str(str_arg(options_json, "options_json")?)
                .map_err(|e| Failure::new(KrStatus::InvalidJson, format!("The validation options are not valid: {e}.")))?
        };
        let keys = slice_arg(keys, key_count, "keys")?.iter().map(|h| key_of(*h)).collect::<FfiResult<Vec<_>>>()?;
        let decryption_keys =
            slice_arg(decryption_keys, decryption_key_count, "decryption_keys")?.iter().map(|h| key_of(*h)).collect::<FfiResult<Vec<_>>>()?;
        let validator = Validator::from_keys(options, keys, decryption_keys)?;
        write_handle(out, validator)
    })
}

/// Releases a validator handle (NULL is a no-op).
#[no_mangle]
pub extern "C" fn kr_validator_free(validator: *mut KrValidator) -> KrStatus {
    guard(|| registry::remove::<Validator>(validator as usize, KIND))
}

/// Describes the validation parameters as JSON (no key material).
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_validator_describe(validator: *const KrValidator, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_json, validator_of(validator)?.describe().to_string()))
}

/// Validates a token of `token_len` bytes without building a report: `*out_reason` says valid
/// or why not (bytes that are not UTF-8 text are `KR_REASON_MALFORMED`).
///
/// # Safety
/// `token` points to `token_len` readable bytes (no terminator needed); `out_reason` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_validator_check(
    validator: *const KrValidator,
    token: *const c_char,
    token_len: usize,
    out_reason: *mut KrReason,
) -> KrStatus {
    guard(|| {
        let validator = validator_of(validator)?;
        let reason = match token::text(token_arg(token, token_len)?) {
            Ok(text) => validator.check(text),
            Err(refusal) => refusal.reason,
        };
        write_out(out_reason, reason.into())
    })
}

/// Validates a token of `token_len` bytes and reports the outcome as JSON (valid, reason,
/// message, header, claims).
///
/// # Safety
/// `token` points to `token_len` readable bytes; `out_report_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_validator_validate(
    validator: *const KrValidator,
    token: *const c_char,
    token_len: usize,
    out_report_json: *mut *mut c_char,
) -> KrStatus {
    guard(|| {
        let validator = validator_of(validator)?;
        let report = match token::text(token_arg(token, token_len)?) {
            Ok(text) => validator.validate(text),
            Err(refusal) => Report::from(refusal),
        };
        write_string(out_report_json, report.to_json().to_string())
    })
}

/// Decodes a token of `token_len` bytes without validating it, decrypting a nested JWT with the
/// validator's keys.
///
/// # Safety
/// `token` points to `token_len` readable bytes; `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_validator_inspect(
    validator: *const KrValidator,
    token: *const c_char,
    token_len: usize,
    out_json: *mut *mut c_char,
) -> KrStatus {
    guard(|| write_string(out_json, validator_of(validator)?.inspect(token_str(token, token_len)?)?.to_json().to_string()))
}
