//! Library-wide functions: the version handshake, the last error, string release, and what the
//! library knows (its vocabulary and defaults).

use super::{guard, json, shield, write_string, KrStatus, KRJWT_ABI_VERSION, LAST_ERROR};
use crate::refusal::Reason;
use std::ffi::{c_char, CString};
use std::sync::OnceLock;

/// The ABI version (`KRJWT_ABI_VERSION`); hosts refuse a library whose version differs. With
/// `kr_version`, the handshake: their names never change.
#[no_mangle]
pub extern "C" fn kr_abi_version() -> u32 {
    shield(0, || KRJWT_ABI_VERSION)
}

/// The crate version as a static string. Do not free it.
#[no_mangle]
pub extern "C" fn kr_version() -> *const c_char {
    shield(std::ptr::null(), || concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast())
}

/// The status of this thread's most recent failure (`KR_STATUS_OK` if none).
#[no_mangle]
pub extern "C" fn kr_last_error_get_code() -> KrStatus {
    shield(KrStatus::Panic, || LAST_ERROR.with(|cell| cell.borrow().0))
}

/// A copy of this thread's most recent error message, or NULL. Free it with `kr_string_free`.
#[no_mangle]
pub extern "C" fn kr_last_error_get_message() -> *mut c_char {
    shield(std::ptr::null_mut(), || {
        LAST_ERROR.with(|cell| match &cell.borrow().1 {
            Some(message) => message.clone().into_raw(),
            None => std::ptr::null_mut(),
        })
    })
}

/// Releases a string the library returned. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kr_string_free(s: *mut c_char) {
    shield((), || {
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}

/// What the library knows, as JSON (see docs/c-abi.md): the algorithm names it accepts, the
/// `UserIdentityClaim` members with the claims they write, and its defaults.
///
/// # Safety
/// `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_library_describe(out_json: *mut *mut c_char) -> KrStatus {
    guard(|| write_string(out_json, json::library().to_string()))
}

/// The reasons' names as C strings, made once: `kr_reason_get_name` hands out pointers into them.
static REASON_NAMES: OnceLock<Vec<CString>> = OnceLock::new();

/// The name of a `KrReason` (`"Expired"`, ...) as reports spell it: a static string, not to be
/// freed; NULL for a value that is no reason. Takes an `int32_t` so that any value is safe.
#[no_mangle]
pub extern "C" fn kr_reason_get_name(reason: i32) -> *const c_char {
    shield(std::ptr::null(), || {
        let names = REASON_NAMES.get_or_init(|| Reason::ALL.iter().map(|r| CString::new(r.name()).expect("names hold no NUL")).collect());
        usize::try_from(reason).ok().and_then(|i| names.get(i)).map_or(std::ptr::null(), |name| name.as_ptr())
    })
}
