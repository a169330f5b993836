//! Library-wide functions: version, last error, string release.

use super::{KrStatus, KRJWT_ABI_VERSION, LAST_ERROR};
use std::ffi::{c_char, CString};

/// The ABI version (`KRJWT_ABI_VERSION`); hosts refuse a library whose version differs.
#[no_mangle]
pub extern "C" fn kr_abi_version() -> u32 {
    KRJWT_ABI_VERSION
}

/// The crate version as a static string. Do not free it.
#[no_mangle]
pub extern "C" fn kr_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The status of this thread's most recent failure (`KR_STATUS_OK` if none).
#[no_mangle]
pub extern "C" fn kr_last_error_code() -> KrStatus {
    LAST_ERROR.with(|cell| cell.borrow().0)
}

/// A copy of this thread's most recent error message, or NULL. Free it with `kr_string_free`.
#[no_mangle]
pub extern "C" fn kr_last_error_message() -> *mut c_char {
    LAST_ERROR.with(|cell| match &cell.borrow().1 {
        Some(message) => message.clone().into_raw(),
        None => std::ptr::null_mut(),
    })
}

/// Releases a string the library returned. NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kr_string_free(s: *mut c_char) {
    if !s.is_null() {
        drop(CString::from_raw(s));
    }
}
