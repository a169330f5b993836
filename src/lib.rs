//! krjwt: JSON Web Tokens (JWS, JWE, JWK) behind a C ABI.
//!
//! The core is plain Rust in layers, each using only those below it (tests/module_layers.rs checks it):
//!
//! 1. `error` and `refusal`: failures of calls, and why a token is refused;
//! 2. `b64`, `json`, `members`, `time`: encodings and clocks;
//! 3. `algorithms` and `claims`: the names of JOSE algorithms and claim types;
//! 4. `keys`: key material, imported and checked once;
//! 5. `jws` and `jwe`: the compact serializations;
//! 6. `token`: a token as received (size limits, the bearer slip, nested JWTs opened);
//! 7. `validation`, then `inspect` and `build_result`, then `builder`; `discovery`;
//! 8. `ffi`: the C ABI over opaque handles, the only place with `extern "C"`, `unsafe` and the
//!    JSON shapes hosts read.

/// An enum whose members are named as they are spelled (validation reasons, JWS algorithms): one
/// list gives the members, `ALL` (in declaration order) and `name()`.
macro_rules! named_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($member:ident),+ $(,)? }) => {
        $(#[$meta])*
        pub enum $name {
            $($member),+
        }

        impl $name {
            /// Every member, in declaration order.
            pub const ALL: [$name; [$(stringify!($member)),+].len()] = [$($name::$member),+];

            /// The member's name, as tokens, reports and the C ABI spell it.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$member => stringify!($member)),+
                }
            }
        }
    };
}

pub mod algorithms;
pub mod b64;
pub mod build_result;
pub mod builder;
pub mod claims;
pub mod discovery;
pub mod error;
pub mod ffi;
pub mod inspect;
mod json;
pub mod jwe;
pub mod jws;
pub mod keys;
mod members;
pub mod refusal;
pub mod time;
pub mod token;
pub mod validation;

pub use algorithms::jws::Algorithm;
pub use build_result::BuildResult;
pub use builder::Builder;
pub use error::{Error, ErrorKind, Result};
pub use keys::{Key, KeyFormat};
pub use refusal::Reason;
pub use validation::{Options as ValidationOptions, Report, Validator};
