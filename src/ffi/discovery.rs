//! OpenID Connect discovery: the host fetches a provider's configuration, the library decides
//! whether to trust it.

use super::{guard, str_arg, write_string, KrStatus, ToJson};
use std::ffi::c_char;

/// Reads a provider's configuration document fetched for `authority`: its `issuer` must be the
/// authority (a trailing slash aside) and it must name a `jwks_uri`. `*out_json` receives
/// `{"issuer":..,"jwksUri":..}`.
///
/// # Safety
/// `document_json` and `authority` are NUL-terminated strings; `out_json` is valid for a write.
#[no_mangle]
pub unsafe extern "C" fn kr_discovery_read(document_json: *const c_char, authority: *const c_char, out_json: *mut *mut c_char) -> KrStatus {
    guard(|| {
        let found = crate::discovery::read(str_arg(document_json, "document_json")?, str_arg(authority, "authority")?)?;
        write_string(out_json, found.to_json().to_string())
    })
}
