//! Build result handles (immutable).

use super::{guard, registry, write_string, Describe, FfiResult, KrResult, KrStatus};
use crate::build_result::BuildResult;
use std::ffi::c_char;
use std::sync::Arc;

const KIND: &str = "result";

pub(crate) fn result_of(handle: *const KrResult) -> FfiResult<Arc<BuildResult>> {
    registry::get::<BuildResult>(handle as usize, KIND)
}

/// Releases a result handle (NULL is a no-op).
#[no_mangle]
pub extern "C" fn kr_result_free(result: *mut KrResult) -> KrStatus {
    guard(|| registry::remove::<BuildResult>(result as usize, KIND))
}

/// The compact token.
///
/// # Safety
/// `out_token` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_result_get_token(result: *const KrResult, out_token: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_token, result_of(result)?.token().to_string()))
}

/// Everything about the token as JSON (see docs/c-abi.md).
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_result_describe(result: *const KrResult, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_json, result_of(result)?.describe().to_string()))
}

/// The public JWK of the key that signed the result, announcing its algorithm (asymmetric keys
/// only: a shared secret has nothing public to publish).
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_result_export_public_jwk(result: *const KrResult, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_json, result_of(result)?.key().public_jwk()?.to_string()))
}
