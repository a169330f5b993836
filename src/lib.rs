//! krjwt: JSON Web Tokens for the KrJwt PowerShell module.
//!
//! The core (everything but `ffi`) is plain Rust: keys, JWS, the token builder, validation.
//! `ffi` is the C ABI over opaque handles, the only place with `extern "C"` and `unsafe`.

pub mod alg;
pub mod b64;
pub mod build_result;
pub mod builder;
pub mod claims;
pub mod discovery;
pub mod error;
pub mod inspect;
pub mod jwe;
pub mod ffi;
mod json;
pub mod jws;
mod members;
pub mod keys;
pub mod time;
pub mod validation;

pub use alg::Algorithm;
pub use build_result::BuildResult;
pub use builder::Builder;
pub use error::{Error, ErrorKind, Result};
pub use keys::{Key, KeyFormat};
pub use validation::{Options as ValidationOptions, Reason, Report, Validator};
