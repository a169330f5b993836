//! The algorithm names of JOSE, and what each one implies: JWS signatures (RFC 7518 §3, RFC 8037)
//! and JWE key management and content encryption (RFC 7518 §4 and §5). Keys, JWS and JWE build on
//! these; nothing here touches key material.

pub mod jwe;
pub mod jws;
