//! The C ABI: the only module with `extern "C"`, raw pointers and `unsafe`, and the only one that
//! writes the JSON shapes hosts read (`json`).
//!
//! Every exported function runs its body through [`guard`] (or [`shield`], for the few that return
//! no status), which catches panics, turns errors into a [`KrStatus`] and records the per-thread
//! last error. Handles are registry ids, never dereferenced, so null, freed and wrong-type handles
//! are detected instead of crashing.

mod builder;
mod discovery;
mod jose;
pub mod json;
mod key;
mod library;
mod registry;
mod result;
mod validator;

pub use builder::*;
pub use discovery::*;
pub use jose::*;
pub use json::{Describe, ToJson};
pub use key::*;
pub use library::*;
pub use result::*;
pub use validator::*;

use crate::error::{Error, ErrorKind};
use crate::refusal::{Reason, Refusal};
use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Bumped whenever a signature or a meaning in this ABI changes.
pub const KRJWT_ABI_VERSION: u32 = 4;

/// The clock skew validation allows when none is given, in seconds.
pub const KRJWT_DEFAULT_CLOCK_SKEW_SECONDS: u32 = 60;
// The header needs the number written out; the core's constant is the one validation applies.
const _: () = assert!(KRJWT_DEFAULT_CLOCK_SKEW_SECONDS == crate::validation::DEFAULT_CLOCK_SKEW_SECONDS);

/// The result of every fallible call. Numbers are never reused: 8 (IO) and 10 (UNSUPPORTED),
/// which nothing produced, are retired (docs/c-abi.md).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KrStatus {
    Ok = 0,
    InvalidArgument = 1,
    NullPointer = 2,
    InvalidHandle = 3,
    InvalidKey = 4,
    InvalidToken = 5,
    InvalidJson = 6,
    InvalidState = 7,
    Crypto = 9,
    Panic = 11,
}

/// Why validation accepted or refused a token (see docs/c-abi.md).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KrReason {
    Valid = 0,
    Malformed = 1,
    AlgorithmNotAllowed = 2,
    InvalidSignature = 3,
    Expired = 4,
    NotYetValid = 5,
    MissingExpiration = 6,
    InvalidIssuer = 7,
    InvalidAudience = 8,
    UnsupportedCritical = 9,
    DecryptionFailed = 10,
    KeyNotFound = 11,
    TooLarge = 12,
    InvalidClaim = 13,
    KeySetUnavailable = 14,
}

impl From<Reason> for KrReason {
    fn from(r: Reason) -> KrReason {
        match r {
            Reason::Valid => KrReason::Valid,
            Reason::Malformed => KrReason::Malformed,
            Reason::AlgorithmNotAllowed => KrReason::AlgorithmNotAllowed,
            Reason::InvalidSignature => KrReason::InvalidSignature,
            Reason::Expired => KrReason::Expired,
            Reason::NotYetValid => KrReason::NotYetValid,
            Reason::MissingExpiration => KrReason::MissingExpiration,
            Reason::InvalidIssuer => KrReason::InvalidIssuer,
            Reason::InvalidAudience => KrReason::InvalidAudience,
            Reason::UnsupportedCritical => KrReason::UnsupportedCritical,
            Reason::DecryptionFailed => KrReason::DecryptionFailed,
            Reason::KeyNotFound => KrReason::KeyNotFound,
            Reason::TooLarge => KrReason::TooLarge,
            Reason::InvalidClaim => KrReason::InvalidClaim,
            Reason::KeySetUnavailable => KrReason::KeySetUnavailable,
        }
    }
}

/// How `kr_key_import` reads its bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KrKeyFormat {
    Secret = 0,
    Base64url = 1,
    Hex = 2,
    Passphrase = 3,
    Jwk = 4,
    Pem = 5,
    Der = 6,
}

/// Opaque token builder handle.
pub struct KrBuilder {
    _private: [u8; 0],
}

/// Opaque build result handle.
pub struct KrResult {
    _private: [u8; 0],
}

/// Opaque validation parameters handle.
pub struct KrValidator {
    _private: [u8; 0],
}

/// Opaque key handle.
pub struct KrKey {
    _private: [u8; 0],
}

/// A failure on its way to the caller: a status and the message for the last error.
pub(crate) struct Failure {
    status: KrStatus,
    message: String,
}

impl Failure {
    fn new(status: KrStatus, message: impl Into<String>) -> Failure {
        Failure { status, message: message.into() }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let status = match e.kind {
            ErrorKind::InvalidArgument => KrStatus::InvalidArgument,
            ErrorKind::InvalidKey => KrStatus::InvalidKey,
            ErrorKind::InvalidToken => KrStatus::InvalidToken,
            ErrorKind::InvalidJson => KrStatus::InvalidJson,
            ErrorKind::InvalidState => KrStatus::InvalidState,
            ErrorKind::Crypto => KrStatus::Crypto,
        };
        Failure::new(status, e.message)
    }
}

pub(crate) type FfiResult<T> = Result<T, Failure>;

thread_local! {
    static LAST_ERROR: RefCell<(KrStatus, Option<CString>)> = const { RefCell::new((KrStatus::Ok, None)) };
}

fn set_last_error(status: KrStatus, message: &str) {
    // Interior NULs cannot cross as a C string; they never occur in our messages, but be safe.
    let text = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|cell| *cell.borrow_mut() = (status, Some(text)));
}

/// Runs an exported function's body: panics and errors become a status and the last error.
pub(crate) fn guard(body: impl FnOnce() -> FfiResult<()>) -> KrStatus {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => KrStatus::Ok,
        Ok(Err(failure)) => {
            set_last_error(failure.status, &failure.message);
            failure.status
        }
        Err(panic) => panicked(panic),
    }
}

/// Runs the body of an exported function that returns no status (versions, the last error,
/// frees): a panic gives `fallback` and becomes the last error, `KR_STATUS_PANIC`.
pub(crate) fn shield<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        panicked(panic);
        fallback
    })
}

fn panicked(panic: Box<dyn std::any::Any + Send>) -> KrStatus {
    let detail = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    set_last_error(KrStatus::Panic, &format!("Internal error in krjwt (please report it): {detail}"));
    KrStatus::Panic
}

/// Borrows a required UTF-8 string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub(crate) unsafe fn str_arg<'a>(ptr: *const c_char, name: &str) -> FfiResult<&'a str> {
    if ptr.is_null() {
        return Err(Failure::new(KrStatus::NullPointer, format!("The argument '{name}' is NULL.")));
    }
    CStr::from_ptr(ptr).to_str().map_err(|_| Failure::new(KrStatus::InvalidArgument, format!("The argument '{name}' is not valid UTF-8.")))
}

/// Borrows an optional UTF-8 string argument (NULL means absent).
///
/// # Safety
/// As [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(ptr: *const c_char, name: &str) -> FfiResult<Option<&'a str>> {
    if ptr.is_null() {
        Ok(None)
    } else {
        str_arg(ptr, name).map(Some)
    }
}

/// Borrows a token given with its length: every byte counts, so a NUL inside is part of the token
/// (which it makes malformed), never its end, and size limits see the whole input.
///
/// # Safety
/// `ptr` points to `len` readable bytes, or is NULL with `len == 0`.
pub(crate) unsafe fn token_arg<'a>(ptr: *const c_char, len: usize) -> FfiResult<&'a [u8]> {
    if ptr.is_null() {
        return Err(Failure::new(KrStatus::NullPointer, "The argument 'token' is NULL."));
    }
    slice_arg(ptr.cast::<u8>(), len, "token")
}

/// A token argument as text, for the calls that fail with a status and give no verdict (inspection,
/// renewal): bytes that cannot be a token give `KR_STATUS_INVALID_TOKEN` with the reason.
///
/// # Safety
/// As [`token_arg`].
pub(crate) unsafe fn token_str<'a>(ptr: *const c_char, len: usize) -> FfiResult<&'a str> {
    crate::token::text(token_arg(ptr, len)?).map_err(|r| refused(&r))
}

/// A refused token as a failure: its message with the reason's name.
pub(crate) fn refused(r: &Refusal) -> Failure {
    Failure::new(KrStatus::InvalidToken, format!("{} ({})", r.message, r.reason.name()))
}

/// Borrows an array argument; NULL is allowed only for an empty array.
///
/// # Safety
/// `ptr` points to `len` readable, aligned items, or is NULL with `len == 0`.
pub(crate) unsafe fn slice_arg<'a, T>(ptr: *const T, len: usize, name: &str) -> FfiResult<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(Failure::new(KrStatus::NullPointer, format!("The argument '{name}' is NULL.")));
    }
    Ok(std::slice::from_raw_parts(ptr, len))
}

/// Parses a JSON value argument.
pub(crate) fn json_arg(text: &str, name: &str) -> FfiResult<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| Failure::new(KrStatus::InvalidJson, format!("The argument '{name}' is not valid JSON: {e}.")))
}

/// Writes an output value.
///
/// # Safety
/// `out` is NULL or valid for a write of `T`.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) -> FfiResult<()> {
    if out.is_null() {
        return Err(Failure::new(KrStatus::NullPointer, "The output pointer is NULL."));
    }
    out.write(value);
    Ok(())
}

/// Registers `value` and hands its handle to the caller. `out` is checked first: a handle made
/// for a NULL output would stay registered, unreachable (and a key's secret unzeroed), until the
/// process ends.
///
/// # Safety
/// As [`write_out`].
pub(crate) unsafe fn write_handle<H, T: std::any::Any + Send + Sync>(out: *mut *mut H, value: T) -> FfiResult<()> {
    if out.is_null() {
        return Err(Failure::new(KrStatus::NullPointer, "The output pointer is NULL."));
    }
    out.write(registry::insert(value) as *mut H);
    Ok(())
}

/// Hands a string to the caller, who releases it with `kr_string_free`.
///
/// # Safety
/// As [`write_out`].
pub(crate) unsafe fn write_string(out: *mut *mut c_char, text: String) -> FfiResult<()> {
    if out.is_null() {
        return Err(Failure::new(KrStatus::NullPointer, "The output pointer is NULL."));
    }
    let owned = CString::new(text).map_err(|_| Failure::new(KrStatus::InvalidArgument, "The text contains a NUL character."))?;
    out.write(owned.into_raw());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_crosses_under_its_own_name_and_code() {
        for (code, reason) in Reason::ALL.into_iter().enumerate() {
            let crossing = KrReason::from(reason);
            assert_eq!(format!("{crossing:?}"), reason.name());
            assert_eq!(crossing as usize, code);
        }
    }

    #[test]
    fn panics_become_the_last_error_and_the_fallback() {
        assert_eq!(shield(7, || -> i32 { panic!("boom") }), 7);
        assert_eq!(LAST_ERROR.with(|cell| cell.borrow().0), KrStatus::Panic);
        assert_eq!(guard(|| panic!("boom")), KrStatus::Panic);
    }
}
