//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The known-answer vectors live beside the repository, in ../shared/vectors.
pub fn vector(relative: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors").join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("vector is JSON")
}

pub const HEX_KEY_32: &str = "a0b1c2d3e4f5061728394a5b6c7d8e9fa1b2c3d4e5f60718293a4b5c6d7e8f90";
