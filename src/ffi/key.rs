//! Key handles: import once, share everywhere.

use super::{guard, registry, slice_arg, str_arg, write_handle, write_string, Describe, Failure, FfiResult, KrKey, KrKeyFormat, KrStatus};
use crate::keys::{self, Key, KeyFormat};
use std::ffi::c_char;

const KIND: &str = "key";

pub(crate) fn key_of(handle: *const KrKey) -> FfiResult<std::sync::Arc<Key>> {
    registry::get::<Key>(handle as usize, KIND)
}

/// Reads a `KrKeyFormat` value; it arrives as a plain integer because an out-of-range value in a
/// Rust enum would be undefined behaviour.
fn key_format(value: i32) -> FfiResult<KeyFormat> {
    const FORMATS: [(KrKeyFormat, KeyFormat); 7] = [
        (KrKeyFormat::Secret, KeyFormat::Secret),
        (KrKeyFormat::Base64url, KeyFormat::Base64Url),
        (KrKeyFormat::Hex, KeyFormat::Hex),
        (KrKeyFormat::Passphrase, KeyFormat::Passphrase),
        (KrKeyFormat::Jwk, KeyFormat::Jwk),
        (KrKeyFormat::Pem, KeyFormat::Pem),
        (KrKeyFormat::Der, KeyFormat::Der),
    ];
    FORMATS
        .iter()
        .find(|(c, _)| *c as i32 == value)
        .map(|(_, f)| *f)
        .ok_or_else(|| Failure::new(KrStatus::InvalidArgument, format!("Unknown key format {value}: use a KrKeyFormat value.")))
}

/// Imports key material. The caller may wipe `data` as soon as this returns.
///
/// # Safety
/// `data` points to `len` readable bytes; `out` is valid for a write. `format` is a `KrKeyFormat`.
#[no_mangle]
pub unsafe extern "C" fn kr_key_import(format: i32, data: *const u8, len: usize, out: *mut *mut KrKey) -> KrStatus {
    guard(|| {
        let format = key_format(format)?;
        let bytes = slice_arg(data, len, "data")?;
        let key = Key::import(format, bytes)?;
        write_handle(out, key)
    })
}

/// Releases a key handle (NULL is a no-op).
#[no_mangle]
pub extern "C" fn kr_key_free(key: *mut KrKey) -> KrStatus {
    guard(|| registry::remove::<Key>(key as usize, KIND))
}

/// Describes a key as JSON (type, size, kid, algorithms), never its material.
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_key_describe(key: *const KrKey, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_json, key_of(key)?.describe().to_string()))
}

/// The public JWK of an asymmetric key as JSON.
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_key_export_public_jwk(key: *const KrKey, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_json, key_of(key)?.public_jwk()?.to_string()))
}

/// The RFC 7638 thumbprint of a key.
///
/// # Safety
/// `out_thumbprint` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_key_get_thumbprint(key: *const KrKey, out_thumbprint: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_thumbprint, key_of(key)?.thumbprint().to_string()))
}

/// The RFC 7638 thumbprint of any JWK given as JSON (public members suffice).
///
/// # Safety
/// `jwk_json` is a NUL-terminated string; `out_thumbprint` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_jwk_compute_thumbprint(jwk_json: *const c_char, out_thumbprint: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_thumbprint, keys::thumbprint_of_jwk_json(str_arg(jwk_json, "jwk_json")?)?))
}
