//! The JOSE layer: JWS over arbitrary bytes, token inspection and JWK Sets.

use super::key::key_of;
use super::{
    guard, json_arg, opt_str_arg, refused, shield, slice_arg, token_arg, token_str, write_out, write_string, Failure, FfiResult, KrKey, KrReason,
    KrStatus, ToJson,
};
use crate::algorithms::jws::Algorithm;
use crate::jwe::{Decrypter, Encrypter};
use crate::jws::{self, PinnedKey};
use crate::keys::Operation;
use crate::refusal::Refusal;
use crate::token;
use serde_json::{json, Map, Value};
use std::ffi::c_char;

/// The key pinned to `alg` for signing, or (`verify`) for verification.
///
/// # Safety
/// `alg` is NULL or NUL-terminated.
unsafe fn pinned(key: *const KrKey, alg: *const c_char, verify: bool) -> FfiResult<PinnedKey> {
    let (key, alg) = (key_of(key)?, Algorithm::parse_requested(opt_str_arg(alg, "alg")?)?);
    if verify {
        key.require_operation(&[Operation::Verify], "verifying signatures")?;
        return Ok(PinnedKey::new(key, alg)?.for_verification());
    }
    Ok(PinnedKey::signing(key, alg)?)
}

/// Signs `payload` with `key` into a compact JWS. `alg` NULL or "Auto" chooses from the key;
/// `header_json` (NULL for none) adds protected header members.
///
/// # Safety
/// Strings are NULL or NUL-terminated; `payload` points to `len` bytes; `out_token` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_jws_sign(
    key: *const KrKey,
    alg: *const c_char,
    header_json: *const c_char,
    payload: *const u8,
    len: usize,
    out_token: *mut *mut c_char,
) -> KrStatus {
    guard(|| {
        let token = jws::sign_payload(&pinned(key, alg, false)?, &extra_header(header_json)?, slice_arg(payload, len, "payload")?)?;
        write_string(out_token, token)
    })
}

/// Verifies a compact JWS of `token_len` bytes with `key` pinned to `alg` (NULL or "Auto": the
/// key's algorithm). `*out_reason` is the verdict, as validation reports it: `KR_REASON_VALID`
/// with the payload bytes (free with `kr_bytes_free`) and the protected header JSON, or why the
/// token was refused, with `KR_STATUS_INVALID_TOKEN`. Tokens above the validator's size limit are
/// refused.
///
/// # Safety
/// `alg` is NULL or NUL-terminated; `token` points to `token_len` bytes; the out pointers are valid for writes.
#[no_mangle]
pub unsafe extern "C" fn kr_jws_verify(
    key: *const KrKey,
    alg: *const c_char,
    token: *const c_char,
    token_len: usize,
    out_reason: *mut KrReason,
    out_payload: *mut *mut u8,
    out_len: *mut usize,
    out_header_json: *mut *mut c_char,
) -> KrStatus {
    guard(|| {
        require_outputs(out_reason, out_payload, out_len, out_header_json)?;
        let key = pinned(key, alg, true)?;
        let outcome = token::text(token_arg(token, token_len)?).and_then(|text| jws::verify_compact(std::slice::from_ref(&key), text));
        let verified = verdict(out_reason, outcome)?;
        let header = String::from_utf8(verified.header).map_err(|_| Failure::new(KrStatus::InvalidToken, "The token header is not UTF-8."))?;
        write_payload(verified.payload, header, out_payload, out_len, out_header_json)
    })
}

/// The outputs of a call that opens a token, checked before the token is: a verdict is never
/// reached without a place to put it.
fn require_outputs(out_reason: *mut KrReason, out_payload: *mut *mut u8, out_len: *mut usize, out_header_json: *mut *mut c_char) -> FfiResult<()> {
    if out_reason.is_null() || out_payload.is_null() || out_len.is_null() || out_header_json.is_null() {
        return Err(Failure::new(KrStatus::NullPointer, "The output pointer is NULL."));
    }
    Ok(())
}

/// Writes the verdict on a token, as the validator reports it: `KR_REASON_VALID`, or why it was
/// refused (the call then fails with `KR_STATUS_INVALID_TOKEN`, its message saying why).
///
/// # Safety
/// As [`write_out`].
unsafe fn verdict<T>(out_reason: *mut KrReason, outcome: Result<T, Refusal>) -> FfiResult<T> {
    match outcome {
        Ok(opened) => {
            write_out(out_reason, KrReason::Valid)?;
            Ok(opened)
        }
        Err(refusal) => {
            write_out(out_reason, refusal.reason.into())?;
            Err(refused(&refusal))
        }
    }
}

/// Hands payload bytes and a header to the caller.
///
/// # Safety
/// The out pointers are valid for writes.
unsafe fn write_payload(
    payload: Vec<u8>,
    header: String,
    out_payload: *mut *mut u8,
    out_len: *mut usize,
    out_header_json: *mut *mut c_char,
) -> FfiResult<()> {
    write_string(out_header_json, header)?;
    let payload = payload.into_boxed_slice();
    write_out(out_len, payload.len())?;
    write_out(out_payload, Box::into_raw(payload).cast::<u8>())
}

/// Parses an optional JSON object of extra header members.
///
/// # Safety
/// `header_json` is NULL or NUL-terminated.
unsafe fn extra_header(header_json: *const c_char) -> FfiResult<Map<String, Value>> {
    match opt_str_arg(header_json, "header_json")? {
        None => Ok(Map::new()),
        Some(text) => match json_arg(text, "header_json")? {
            Value::Object(map) => Ok(map),
            _ => Err(Failure::new(KrStatus::InvalidJson, "The header must be a JSON object.")),
        },
    }
}

/// Encrypts `payload` to `key` into a compact JWE (names NULL/"Auto": the key's defaults).
///
/// # Safety
/// Strings are NULL or NUL-terminated; `payload` points to `len` bytes; `out_token` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_jwe_encrypt(
    key: *const KrKey,
    key_alg: *const c_char,
    enc_alg: *const c_char,
    header_json: *const c_char,
    payload: *const u8,
    len: usize,
    out_token: *mut *mut c_char,
) -> KrStatus {
    guard(|| {
        let encrypter = Encrypter::new(key_of(key)?, opt_str_arg(key_alg, "key_alg")?, opt_str_arg(enc_alg, "enc_alg")?)?;
        let token = encrypter.encrypt_compact(&extra_header(header_json)?, slice_arg(payload, len, "payload")?)?;
        write_string(out_token, token)
    })
}

/// Decrypts a compact JWE of `token_len` bytes with `key` (names NULL: every pair the key fits
/// but RSA1_5 and PBES2). `*out_reason` is the verdict, as validation reports it:
/// `KR_REASON_VALID` with the payload bytes (free with `kr_bytes_free`) and the protected header
/// JSON, or why the token was refused, with `KR_STATUS_INVALID_TOKEN`. Tokens above the
/// validator's size limit, or demanding more PBES2 iterations than its default cap, are refused.
///
/// # Safety
/// Names are NULL or NUL-terminated; `token` points to `token_len` bytes; the out pointers are valid for writes.
#[no_mangle]
pub unsafe extern "C" fn kr_jwe_decrypt(
    key: *const KrKey,
    key_alg: *const c_char,
    enc_alg: *const c_char,
    token: *const c_char,
    token_len: usize,
    out_reason: *mut KrReason,
    out_payload: *mut *mut u8,
    out_len: *mut usize,
    out_header_json: *mut *mut c_char,
) -> KrStatus {
    guard(|| {
        require_outputs(out_reason, out_payload, out_len, out_header_json)?;
        let decrypter = decrypter(key, key_alg, enc_alg)?;
        let outcome = token::text(token_arg(token, token_len)?).and_then(|text| decrypter.decrypt_compact(text));
        let decrypted = verdict(out_reason, outcome)?;
        write_payload(decrypted.plaintext, Value::Object(decrypted.header).to_string(), out_payload, out_len, out_header_json)
    })
}

/// # Safety
/// `key_alg` and `enc_alg` are NULL or NUL-terminated.
unsafe fn decrypter(key: *const KrKey, key_alg: *const c_char, enc_alg: *const c_char) -> FfiResult<Decrypter> {
    Ok(Decrypter::matching(key_of(key)?, opt_str_arg(key_alg, "key_alg")?, opt_str_arg(enc_alg, "enc_alg")?)?)
}

/// Releases bytes returned by the library (`kr_jws_verify`, `kr_jwe_decrypt`). NULL is ignored.
///
/// # Safety
/// `bytes`/`len` come from this library and were not freed yet.
#[no_mangle]
pub unsafe extern "C" fn kr_bytes_free(bytes: *mut u8, len: usize) {
    shield((), || {
        if !bytes.is_null() {
            drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(bytes, len)));
        }
    })
}

/// Decodes a token of `token_len` bytes without validating it: header, claims (JSON types kept),
/// times, and for an encrypted token its outer header.
///
/// # Safety
/// `token` points to `token_len` bytes; `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_token_inspect(token: *const c_char, token_len: usize, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_json, crate::inspect::inspect(token_str(token, token_len)?)?.to_json().to_string()))
}

/// Decodes a token of `token_len` bytes without validating it, decrypting it first with `key`
/// when it is encrypted (names NULL: every pair the key fits but RSA1_5 and PBES2, which must be named).
///
/// # Safety
/// Names are NULL or NUL-terminated; `token` points to `token_len` bytes; `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_token_inspect_with_key(
    key: *const KrKey,
    key_alg: *const c_char,
    enc_alg: *const c_char,
    token: *const c_char,
    token_len: usize,
    out_json: *mut *mut c_char,
) -> KrStatus {
    guard(|| {
        let decrypter = decrypter(key, key_alg, enc_alg)?;
        let inspection = crate::inspect::inspect_decrypting(token_str(token, token_len)?, &[decrypter])?;
        write_string(out_json, inspection.to_json().to_string())
    })
}

/// A JWK Set document `{"keys":[...]}` of the public keys of `count` key handles.
///
/// # Safety
/// `keys` points to `count` handles; `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_jwks_export(keys: *const *const KrKey, count: usize, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| {
        let jwks = slice_arg(keys, count, "keys")?.iter().map(|k| Ok(key_of(*k)?.public_jwk()?)).collect::<FfiResult<Vec<Value>>>()?;
        write_string(out_json, json!({ "keys": jwks }).to_string())
    })
}
