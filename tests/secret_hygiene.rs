//! Secret hygiene, observed rather than assumed (PRODUCT.md §5: "zero secrets when handles are
//! freed"; §3: "No cmdlet ever prints a secret").
//!
//! This test binary replaces the global allocator with one that, when a block is freed, scans it
//! for windows of a sentinel secret (its raw bytes and the base64url and hex texts that carry it)
//! and records every block still holding one, with a backtrace. Reallocation always moves, so the
//! block a growing buffer leaves behind is scanned too, and new blocks are zero-filled, so a hit
//! always comes from the block's own lifetime. OpenSSL's allocator is hooked the same way through
//! `CRYPTO_set_mem_functions` (its free gives no size: glibc's `malloc_usable_size` does), so
//! private keys OpenSSL holds are observed as well; if the hooks cannot be installed (OpenSSL
//! allocated first), the OpenSSL side is reported as not observed instead of passing silently.
//!
//! What fails a test: any Rust block (KrJwt's code, and serde_json or base64 working for it), and
//! OpenSSL BIGNUMs KrJwt itself builds from JWK members and drops with `BN_free`. Copies OpenSSL
//! makes inside its own code (its 3.0 decoders for PEM/DER, the export of a legacy key to a
//! provider, P-256 scalar multiplication) are printed (run with `--nocapture`), not failed: KrJwt
//! cannot clear them.
//!
//! Scenarios import the secret through every format (`kr_key_import`: raw, base64url, hex,
//! passphrase, oct JWK; PEM, DER and JWK for RSA, EC, Ed25519 and X25519 private keys), use it
//! everywhere a key goes (builder, build, renewal, validators, JWS and JWE over the JOSE layer,
//! nested JWTs, a JWK Set in validator options), free everything, and assert that no freed block
//! held the secret. Other tests call failing functions with a secret argument and check
//! `kr_last_error_get_message`, the describe functions and the `Debug` forms of the core types, and a
//! control test proves the detector sees a copy left behind and not a zeroed one.
//!
//! Tests in this binary run one at a time (the allocator's record is process-wide).

mod common;

use krjwt::ffi::*;
use krjwt::{b64, Builder, Key, KeyFormat, ValidationOptions, Validator};
use openssl::bn::BigNumRef;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, UnsafeCell};
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Once};
use zeroize::Zeroizing;

/// The sentinel secret: 64 ASCII bytes, so that it is also a valid passphrase, and distinctive in
/// every 16-byte window.
const SENTINEL: &[u8; 64] = b"KrJwt/sentinel:7F3A9C1E5B2D4F60;do-not-leak;A8E6C4B2D0F1E3A5;END";

// ---------------------------------------------------------------------------------------------
// The scanning allocators.

const WINDOW: usize = 16;
const MAX_WINDOWS: usize = 512;

/// The windows searched for, each with the name of the secret form it belongs to. Written only
/// while disarmed (and the test lock is held), read by the allocators while armed.
struct Patterns {
    windows: UnsafeCell<[[u8; WINDOW]; MAX_WINDOWS]>,
    names: UnsafeCell<[&'static str; MAX_WINDOWS]>,
    /// A 65536-bit filter of every 8-byte piece of every window: a window anywhere in a block
    /// covers an 8-byte-aligned word, so only aligned words need a look-up (this runs on every
    /// free, in a debug build).
    words: UnsafeCell<[u64; 1024]>,
}

unsafe impl Sync for Patterns {}

static PATTERNS: Patterns =
    Patterns { windows: UnsafeCell::new([[0; WINDOW]; MAX_WINDOWS]), names: UnsafeCell::new([""; MAX_WINDOWS]), words: UnsafeCell::new([0; 1024]) };
static WINDOW_COUNT: AtomicUsize = AtomicUsize::new(0);
static ARMED: AtomicBool = AtomicBool::new(false);

/// One freed block that still held a secret.
struct Hit {
    allocator: &'static str,
    secret: &'static str,
    size: usize,
    origin: String,
}

static HITS: Mutex<Vec<Hit>> = Mutex::new(Vec::new());

thread_local! {
    /// Set while a hit is being recorded on this thread, so that the recording's own allocations
    /// are neither scanned nor recorded.
    static RECORDING: Cell<bool> = const { Cell::new(false) };
}

/// Which pattern window a block holds, if any.
///
/// # Safety
/// `ptr` points to `size` readable bytes.
unsafe fn find_secret(ptr: *const u8, size: usize) -> Option<usize> {
    let count = WINDOW_COUNT.load(Ordering::Acquire);
    if size < WINDOW || count == 0 {
        return None;
    }
    let all: &[[u8; WINDOW]; MAX_WINDOWS] = &*PATTERNS.windows.get();
    let windows = &all[..count];
    let filter: *const u64 = PATTERNS.words.get().cast();
    let end = ptr as usize + size;
    let mut word = (ptr as usize + 7) & !7;
    while word + 8 <= end {
        let bit = filter_bit(*(word as *const u64));
        if *filter.add(bit >> 6) & (1 << (bit & 63)) != 0 {
            // Verify around the word: a window holding it starts at most 15 bytes before it.
            let from = (word - 15).max(ptr as usize);
            let to = (word + 8 + 15).min(end);
            let region = std::slice::from_raw_parts(from as *const u8, to - from);
            for candidate in region.windows(WINDOW) {
                if let Some(w) = windows.iter().position(|window| window == candidate) {
                    return Some(w);
                }
            }
        }
        word += 8;
    }
    None
}

fn filter_bit(word: u64) -> usize {
    (word.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
}

/// Scans a block about to be freed and records it when it still holds a secret.
///
/// # Safety
/// As [`find_secret`].
unsafe fn inspect_freed(allocator: &'static str, ptr: *const u8, size: usize, detail: impl FnOnce() -> String) {
    if !ARMED.load(Ordering::Acquire) || ptr.is_null() {
        return;
    }
    let busy = RECORDING.try_with(|r| r.get()).unwrap_or(true);
    if busy {
        return;
    }
    if let Some(window) = find_secret(ptr, size) {
        let _ = RECORDING.try_with(|r| r.set(true));
        let secret = (*PATTERNS.names.get())[window];
        let mut hits = HITS.lock().unwrap_or_else(|p| p.into_inner());
        // Symbolising a backtrace is slow: the first ones say enough.
        let frames = if hits.len() < 80 {
            relevant_frames(&std::backtrace::Backtrace::force_capture().to_string())
        } else {
            "    (backtrace not taken)".into()
        };
        let origin = format!("{}\n{frames}", detail());
        hits.push(Hit { allocator, secret, size, origin });
        drop(hits);
        let _ = RECORDING.try_with(|r| r.set(false));
    }
}

/// The frames of a backtrace that say where the block came from: the crate's own and this test's,
/// noting when serde_json made the block.
fn relevant_frames(backtrace: &str) -> String {
    let lines: Vec<&str> = backtrace.lines().map(str::trim_start).collect();
    let mut kept = Vec::new();
    if lines.iter().any(|l| l.contains("serde_json::")) {
        kept.push("    (made by serde_json)".to_string());
    }
    for (i, function) in lines.iter().enumerate() {
        let numbered = function.chars().next().is_some_and(|c| c.is_ascii_digit());
        if numbered && (function.contains("krjwt::") || function.contains("secret_hygiene::")) && !function.contains("secret_hygiene::inspect_freed")
        {
            kept.push(format!("    {function}"));
            if let Some(at) = lines.get(i + 1).filter(|l| l.starts_with("at ")) {
                kept.push(format!("        {at}"));
            }
        }
        if kept.len() >= 12 {
            break;
        }
    }
    kept.join("\n")
}

struct Scanning;

unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // Zero-filled, so that a secret found at free time was written during this block's life.
        System.alloc_zeroed(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        inspect_freed("Rust", ptr, layout.size(), || format!("a {}-byte Rust block", layout.size()));
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Always move, so that the block a growing buffer leaves behind is scanned as it is freed
        // (the system realloc would free it without passing through `dealloc`).
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let new = self.alloc(new_layout);
        if !new.is_null() {
            std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Scanning = Scanning;

// OpenSSL's allocator hooks (OpenSSL 3: CRYPTO_malloc_fn, CRYPTO_realloc_fn, CRYPTO_free_fn).
type MallocFn = unsafe extern "C" fn(usize, *const c_char, c_int) -> *mut c_void;
type ReallocFn = unsafe extern "C" fn(*mut c_void, usize, *const c_char, c_int) -> *mut c_void;
type FreeFn = unsafe extern "C" fn(*mut c_void, *const c_char, c_int);

extern "C" {
    fn CRYPTO_set_mem_functions(malloc_fn: Option<MallocFn>, realloc_fn: Option<ReallocFn>, free_fn: Option<FreeFn>) -> c_int;
    fn malloc(size: usize) -> *mut c_void;
    fn free(ptr: *mut c_void);
    fn malloc_usable_size(ptr: *mut c_void) -> usize;
}

unsafe fn location(file: *const c_char, line: c_int) -> String {
    if file.is_null() {
        return "OpenSSL (no file name)".into();
    }
    format!("OpenSSL {}:{line}", CStr::from_ptr(file).to_string_lossy())
}

unsafe extern "C" fn openssl_malloc(size: usize, _file: *const c_char, _line: c_int) -> *mut c_void {
    let ptr = malloc(size.max(1));
    if !ptr.is_null() {
        std::ptr::write_bytes(ptr.cast::<u8>(), 0, malloc_usable_size(ptr));
    }
    ptr
}

unsafe extern "C" fn openssl_free(ptr: *mut c_void, file: *const c_char, line: c_int) {
    if ptr.is_null() {
        return;
    }
    let size = malloc_usable_size(ptr);
    inspect_freed("OpenSSL", ptr.cast(), size, || format!("a {size}-byte block freed at {}", location(file, line)));
    free(ptr);
}

unsafe extern "C" fn openssl_realloc(ptr: *mut c_void, size: usize, file: *const c_char, line: c_int) -> *mut c_void {
    if ptr.is_null() {
        return openssl_malloc(size, file, line);
    }
    let new = openssl_malloc(size, file, line);
    if !new.is_null() {
        std::ptr::copy_nonoverlapping(ptr.cast::<u8>(), new.cast::<u8>(), malloc_usable_size(ptr).min(size));
        openssl_free(ptr, file, line);
    }
    new
}

static OPENSSL_HOOKED: AtomicBool = AtomicBool::new(false);

/// Installs the OpenSSL hooks; must run before OpenSSL's first allocation in the process, which
/// is why every test takes the lock (and so gets here) before touching OpenSSL.
fn hook_openssl() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let installed = unsafe { CRYPTO_set_mem_functions(Some(openssl_malloc), Some(openssl_realloc), Some(openssl_free)) } == 1;
        OPENSSL_HOOKED.store(installed, Ordering::Release);
    });
}

// ---------------------------------------------------------------------------------------------
// Arming and the record.

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    let guard = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    hook_openssl();
    guard
}

/// A secret's forms to look for: its raw bytes, and how it travels as text.
struct Secret {
    name: &'static str,
    raw: Zeroizing<Vec<u8>>,
}

impl Secret {
    fn new(name: &'static str, raw: &[u8]) -> Secret {
        Secret { name, raw: Zeroizing::new(raw.to_vec()) }
    }

    /// The sentinel secret and the texts that carry it.
    fn sentinel() -> Vec<Secret> {
        vec![
            Secret::new("the secret", SENTINEL),
            Secret::new("the secret as base64url", b64::encode(SENTINEL).as_bytes()),
            Secret::new("the secret as hex", hex(SENTINEL).as_bytes()),
        ]
    }

    /// A private number: its big-endian bytes, their base64url text, and the little-endian form
    /// OpenSSL's BIGNUM keeps in memory.
    fn number(name: &'static str, n: &BigNumRef) -> Vec<Secret> {
        let big_endian = n.to_vec();
        let little_endian: Vec<u8> = big_endian.iter().rev().copied().collect();
        vec![
            Secret { name, raw: Zeroizing::new(big_endian.clone()) },
            Secret::new(name, b64::encode(&big_endian).as_bytes()),
            Secret { name, raw: Zeroizing::new(little_endian) },
        ]
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts recording frees of blocks holding any of `secrets`.
fn arm(secrets: &[Secret]) {
    assert!(!ARMED.load(Ordering::Acquire));
    let mut count = 0;
    unsafe {
        let windows = &mut *PATTERNS.windows.get();
        let names = &mut *PATTERNS.names.get();
        let filter = &mut *PATTERNS.words.get();
        filter.fill(0);
        for secret in secrets {
            let raw = &secret.raw[..];
            assert!(raw.len() >= WINDOW, "{}: too short to recognise", secret.name);
            // Windows every 16 bytes and one at the end: any copy of 31 or more bytes holds one.
            let mut starts: Vec<usize> = (0..=raw.len() - WINDOW).step_by(WINDOW).collect();
            starts.push(raw.len() - WINDOW);
            for start in starts {
                assert!(count < MAX_WINDOWS, "too many secret windows");
                windows[count].copy_from_slice(&raw[start..start + WINDOW]);
                names[count] = secret.name;
                for offset in 0..=WINDOW - 8 {
                    let piece = u64::from_ne_bytes(raw[start + offset..start + offset + 8].try_into().unwrap());
                    let bit = filter_bit(piece);
                    filter[bit >> 6] |= 1 << (bit & 63);
                }
                count += 1;
            }
        }
    }
    HITS.lock().unwrap().clear();
    WINDOW_COUNT.store(count, Ordering::Release);
    ARMED.store(true, Ordering::Release);
}

/// Stops recording and returns what was found.
fn disarm() -> Vec<Hit> {
    ARMED.store(false, Ordering::Release);
    WINDOW_COUNT.store(0, Ordering::Release);
    std::mem::take(&mut *HITS.lock().unwrap())
}

/// The hits grouped by where KrJwt made or dropped the copy: the innermost `krjwt::` frame (and
/// OpenSSL's own free site for OpenSSL blocks), with how many blocks and which secret forms.
fn describe_hits(hits: &[Hit]) -> String {
    let mut groups: Vec<(String, usize, Vec<&str>, Vec<usize>)> = Vec::new();
    for hit in hits {
        let site = site_of(hit);
        match groups.iter_mut().find(|(s, ..)| *s == site) {
            Some((_, n, secrets, sizes)) => {
                *n += 1;
                if !secrets.contains(&hit.secret) {
                    secrets.push(hit.secret);
                }
                sizes.push(hit.size);
            }
            None => groups.push((site, 1, vec![hit.secret], vec![hit.size])),
        }
    }
    groups
        .iter()
        .map(|(site, n, secrets, sizes)| format!("- {n} block(s) of {:?} bytes holding {}: {site}", sizes, secrets.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn site_of(hit: &Hit) -> String {
    let lines: Vec<&str> = hit.origin.lines().collect();
    let frame = lines.iter().position(|l| l.contains("krjwt::"));
    let krjwt = match frame {
        Some(i) => {
            let function = lines[i].trim().split_once(": ").map_or(lines[i].trim(), |(_, f)| f);
            let at = lines.get(i + 1).map(|l| l.trim()).filter(|l| l.starts_with("at ")).unwrap_or("");
            format!("{function} {at}")
        }
        None => "(no krjwt frame recorded)".into(),
    };
    match hit.allocator {
        "OpenSSL" => format!("freed by {} under {krjwt}", lines[0].rsplit("freed at ").next().unwrap_or("OpenSSL")),
        _ => format!("{} Rust block from {krjwt}", if hit.origin.contains("(made by serde_json)") { "a serde_json" } else { "a" }),
    }
}

/// Fails with every hit (grouped by where the memory came from).
fn assert_no_hits(hits: Vec<Hit>, scenario: &str) {
    assert!(hits.is_empty(), "{scenario}: {} freed block(s) still held key material:\n{}", hits.len(), describe_hits(&hits));
}

/// Whether `text` holds any window of `secrets` (used for messages and descriptions).
fn holds_secret(text: &[u8], secrets: &[Secret]) -> Option<&'static str> {
    secrets.iter().find_map(|secret| {
        let raw = &secret.raw[..];
        let mut starts: Vec<usize> = (0..=raw.len() - WINDOW).step_by(WINDOW).collect();
        starts.push(raw.len() - WINDOW);
        starts.iter().any(|&s| text.windows(WINDOW).any(|w| w == &raw[s..s + WINDOW])).then_some(secret.name)
    })
}

// ---------------------------------------------------------------------------------------------
// The C ABI.

fn c(text: &str) -> CString {
    CString::new(text).unwrap()
}

fn take(s: *mut c_char) -> String {
    assert!(!s.is_null());
    let text = unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned();
    unsafe { kr_string_free(s) };
    text
}

fn last_error() -> String {
    let m = kr_last_error_get_message();
    if m.is_null() {
        String::new()
    } else {
        take(m)
    }
}

fn ok(status: KrStatus, what: &str) {
    assert_eq!(status, KrStatus::Ok, "{what}: {}", last_error());
}

fn import(format: KrKeyFormat, data: &[u8]) -> *mut KrKey {
    let mut key = null_mut();
    ok(unsafe { kr_key_import(format as i32, data.as_ptr(), data.len(), &mut key) }, &format!("{format:?} import"));
    key
}

/// A library string that must not hold a secret.
fn clean_text(s: *mut c_char, what: &str, secrets: &[Secret]) -> String {
    let text = take(s);
    if let Some(name) = holds_secret(text.as_bytes(), secrets) {
        panic!("{what} shows {name}: {text}");
    }
    text
}

fn describe_key(key: *const KrKey, secrets: &[Secret]) {
    let mut out = null_mut();
    ok(unsafe { kr_key_describe(key, &mut out) }, "describe key");
    clean_text(out, "kr_key_describe", secrets);
    ok(unsafe { kr_key_get_thumbprint(key, &mut out) }, "thumbprint");
    clean_text(out, "kr_key_get_thumbprint", secrets);
}

/// Builds the token of a signing (or encrypting) builder and makes its validator; the builder's,
/// the result's and the validator's descriptions and the token must all be clean. Returns the
/// result, the token and the validator.
unsafe fn build_clean(b: *mut KrBuilder, what: &str, secrets: &[Secret]) -> (*mut KrResult, String, *mut KrValidator) {
    let mut out = null_mut();
    ok(kr_builder_describe(b, &mut out), "describe builder");
    clean_text(out, &format!("kr_builder_describe ({what})"), secrets);
    let mut result = null_mut();
    ok(kr_builder_build(b, &mut result), &format!("build ({what})"));
    ok(kr_result_get_token(result, &mut out), "token");
    let token = clean_text(out, &format!("the token ({what})"), secrets);
    ok(kr_result_describe(result, &mut out), "describe result");
    clean_text(out, &format!("kr_result_describe ({what})"), secrets);
    let mut v = null_mut();
    ok(kr_validator_new_for_result(result, 60.0, &mut v), "validator from result");
    ok(kr_validator_describe(v, &mut out), "describe validator");
    clean_text(out, &format!("kr_validator_describe ({what})"), secrets);
    (result, token, v)
}

/// Everything a signing key is used for through the C ABI, then everything freed.
fn sign_everywhere(key: *const KrKey, alg: Option<&str>, secrets: &[Secret]) {
    unsafe {
        let alg = alg.map(c);
        let alg_ptr = alg.as_ref().map_or(null(), |a| a.as_ptr());
        describe_key(key, secrets);
        let mut b = null_mut();
        ok(kr_builder_new(&mut b), "builder");
        ok(kr_builder_set_issuer(b, c("hygiene").as_ptr()), "issuer");
        ok(kr_builder_add_audience(b, c("tests").as_ptr()), "audience");
        ok(kr_builder_sign(b, key, alg_ptr), "sign");
        let (result, token, v) = build_clean(b, "signing", secrets);
        let mut out = null_mut();
        ok(kr_validator_validate(v, token.as_ptr().cast(), token.len(), &mut out), "validate");
        assert!(clean_text(out, "the report", secrets).contains(r#""valid":true"#));
        let mut renewed = null_mut();
        ok(kr_builder_renew(b, token.as_ptr().cast(), token.len(), 60.0, &mut renewed), "renew");
        let mut clone = null_mut();
        ok(kr_builder_clone(b, &mut clone), "clone");
        let options = c(r#"{"issuers":["hygiene"],"audiences":["tests"]}"#);
        let mut v2 = null_mut();
        ok(kr_validator_new(options.as_ptr(), [key].as_ptr(), 1, null(), 0, &mut v2), "validator from the key");
        let mut reason = KrReason::Malformed;
        ok(kr_validator_check(v2, token.as_ptr().cast(), token.len(), &mut reason), "check");
        assert_eq!(reason, KrReason::Valid);
        // The JOSE layer.
        let payload = b"hygiene payload";
        ok(kr_jws_sign(key, alg_ptr, null(), payload.as_ptr(), payload.len(), &mut out), "jws sign");
        let jws = take(out);
        let (mut bytes, mut len, mut header) = (null_mut(), 0usize, null_mut());
        ok(kr_jws_verify(key, alg_ptr, jws.as_ptr().cast(), jws.len(), &mut KrReason::Valid, &mut bytes, &mut len, &mut header), "jws verify");
        kr_bytes_free(bytes, len);
        take(header);
        for status in
            [kr_validator_free(v2), kr_builder_free(clone), kr_result_free(renewed), kr_validator_free(v), kr_result_free(result), kr_builder_free(b)]
        {
            ok(status, "free");
        }
    }
}

/// Encryption and decryption with a key, in a nested JWT and over the JOSE layer.
fn encrypt_everywhere(key: *const KrKey, alg: &str, enc: &str, secrets: &[Secret]) {
    unsafe {
        let signing = import(KrKeyFormat::Hex, common::HEX_KEY_32.as_bytes());
        let mut b = null_mut();
        ok(kr_builder_new(&mut b), "builder");
        ok(kr_builder_sign(b, signing, null()), "sign");
        ok(kr_builder_encrypt(b, key, c(alg).as_ptr(), c(enc).as_ptr()), "encrypt");
        let (result, token, v) = build_clean(b, "encrypting", secrets);
        let mut out = null_mut();
        let mut reason = KrReason::Malformed;
        ok(kr_validator_check(v, token.as_ptr().cast(), token.len(), &mut reason), "check nested");
        assert_eq!(reason, KrReason::Valid);
        ok(kr_validator_inspect(v, token.as_ptr().cast(), token.len(), &mut out), "inspect nested");
        clean_text(out, "kr_validator_inspect", secrets);
        let mut renewed = null_mut();
        ok(kr_builder_renew(b, token.as_ptr().cast(), token.len(), 0.0, &mut renewed), "renew nested");
        let payload = b"hygiene payload";
        ok(kr_jwe_encrypt(key, c(alg).as_ptr(), c(enc).as_ptr(), null(), payload.as_ptr(), payload.len(), &mut out), "jwe encrypt");
        let jwe = take(out);
        let (mut bytes, mut len, mut header) = (null_mut(), 0usize, null_mut());
        ok(
            kr_jwe_decrypt(
                key,
                c(alg).as_ptr(),
                c(enc).as_ptr(),
                jwe.as_ptr().cast(),
                jwe.len(),
                &mut KrReason::Valid,
                &mut bytes,
                &mut len,
                &mut header,
            ),
            "jwe decrypt",
        );
        kr_bytes_free(bytes, len);
        take(header);
        for status in [kr_result_free(renewed), kr_validator_free(v), kr_result_free(result), kr_builder_free(b), kr_key_free(signing)] {
            ok(status, "free");
        }
    }
}

/// The inputs for each way of giving the sentinel secret, made before recording starts and zeroed
/// when dropped (so that the test's own copies are never mistaken for the library's).
fn sentinel_inputs() -> Vec<(&'static str, KrKeyFormat, Zeroizing<Vec<u8>>)> {
    let text = |s: String| Zeroizing::new(s.into_bytes());
    vec![
        ("raw bytes", KrKeyFormat::Secret, Zeroizing::new(SENTINEL.to_vec())),
        ("base64url", KrKeyFormat::Base64url, text(b64::encode(SENTINEL))),
        ("base64 with padding", KrKeyFormat::Base64url, text(base64::encode(SENTINEL))),
        ("hex", KrKeyFormat::Hex, text(hex(SENTINEL))),
        ("passphrase", KrKeyFormat::Passphrase, Zeroizing::new(SENTINEL.to_vec())),
        ("oct JWK", KrKeyFormat::Jwk, text(format!(r#"{{"kty":"oct","k":"{}"}}"#, b64::encode(SENTINEL)))),
        (
            "oct JWK with kid and a signing alg",
            KrKeyFormat::Jwk,
            text(format!(r#"{{"kty":"oct","kid":"k1","alg":"HS512","k":"{}"}}"#, b64::encode(SENTINEL))),
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// Secrets are zeroed when freed.

#[test]
fn the_detector_sees_a_copy_left_behind_and_not_a_zeroed_one() {
    let _serial = serial();
    let secrets = Secret::sentinel();
    // Negative controls: zeroed buffers, and ones that never held the secret.
    arm(&secrets);
    let zeroed = Zeroizing::new(SENTINEL.to_vec());
    drop(zeroed);
    let mut grown = Zeroizing::new(Vec::with_capacity(SENTINEL.len()));
    grown.extend_from_slice(SENTINEL);
    drop(grown);
    drop(vec![0x41u8; 4096]);
    assert_no_hits(disarm(), "controls that must not be seen");
    // Positive controls: a plain copy, the block a growing buffer leaves behind, a text form.
    arm(&secrets);
    drop(SENTINEL.to_vec());
    let mut growing: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
    for byte in SENTINEL {
        growing.push(*byte);
    }
    drop(growing);
    drop(hex(SENTINEL));
    let hits = disarm();
    assert!(hits.len() >= 3, "the detector must see every copy: {}", describe_hits(&hits));
    assert!(hits.iter().any(|h| h.secret == "the secret as hex"));
    // OpenSSL's side: a BIGNUM freed with BN_free is not cleared.
    if OPENSSL_HOOKED.load(Ordering::Acquire) {
        let number = Secret::number("a number", &openssl::bn::BigNum::from_slice(&SENTINEL[..48]).unwrap());
        arm(&number);
        drop(openssl::bn::BigNum::from_slice(&SENTINEL[..48]).unwrap());
        let hits = disarm();
        assert!(hits.iter().any(|h| h.allocator == "OpenSSL"), "OpenSSL blocks are observed: {}", describe_hits(&hits));
        let mut cleared = openssl::bn::BigNum::from_slice(&SENTINEL[..48]).unwrap();
        arm(&number);
        cleared.clear();
        drop(cleared);
        assert_no_hits(disarm(), "a BIGNUM cleared before it is freed");
    } else {
        eprintln!("OpenSSL's allocator is not hooked: its frees are not observed.");
    }
}

#[test]
fn shared_secrets_from_every_format_leave_nothing_behind_in_freed_memory() {
    let _serial = serial();
    let secrets = Secret::sentinel();
    let mut failures = Vec::new();
    for (format, kr_format, input) in sentinel_inputs() {
        arm(&secrets);
        let key = import(kr_format, &input);
        sign_everywhere(key, None, &secrets);
        if !format.contains("signing alg") {
            encrypt_everywhere(key, "dir", "A256CBC-HS512", &secrets);
        }
        ok(kr_key_free(key), "free key");
        let hits = disarm();
        if !hits.is_empty() {
            failures.push(format!("{format} ({} block(s)):\n{}", hits.len(), describe_hits(&hits)));
        }
    }
    assert!(failures.is_empty(), "key material left in freed memory:\n{}", failures.join("\n\n"));
}

#[test]
fn a_pbes2_password_leaves_nothing_behind_in_freed_memory() {
    let _serial = serial();
    let secrets = Secret::sentinel();
    arm(&secrets);
    let key = import(KrKeyFormat::Passphrase, SENTINEL);
    // Each PBES2 operation is 600,000 HMACs, every one of which OpenSSL allocates for and this
    // allocator scans: encrypting and decrypting once is enough to follow the password.
    unsafe {
        let (alg, enc) = (c("PBES2-HS512+A256KW"), c("A256GCM"));
        let payload = b"hygiene payload";
        let mut out = null_mut();
        ok(kr_jwe_encrypt(key, alg.as_ptr(), enc.as_ptr(), null(), payload.as_ptr(), payload.len(), &mut out), "jwe encrypt");
        let jwe = clean_text(out, "a PBES2 token", &secrets);
        let (mut bytes, mut len, mut header) = (null_mut(), 0usize, null_mut());
        ok(
            kr_jwe_decrypt(key, alg.as_ptr(), enc.as_ptr(), jwe.as_ptr().cast(), jwe.len(), &mut KrReason::Valid, &mut bytes, &mut len, &mut header),
            "jwe decrypt",
        );
        kr_bytes_free(bytes, len);
        clean_text(header, "a PBES2 header", &secrets);
    }
    ok(kr_key_free(key), "free key");
    assert_no_hits(disarm(), "PBES2 password");
}

#[test]
fn a_validator_from_a_jwk_set_with_an_oct_key_leaves_nothing_behind_in_freed_memory() {
    let _serial = serial();
    let secrets = Secret::sentinel();
    let options = Zeroizing::new(format!(r#"{{"jwks":{{"keys":[{{"kty":"oct","kid":"k1","k":"{}"}}]}}}}"#, b64::encode(SENTINEL)).into_bytes());
    let mut options_c = Zeroizing::new(options.to_vec());
    options_c.push(0);
    arm(&secrets);
    unsafe {
        let mut v = null_mut();
        ok(kr_validator_new(options_c.as_ptr().cast(), null(), 0, null(), 0, &mut v), "validator from a JWK Set");
        let mut out = null_mut();
        ok(kr_validator_describe(v, &mut out), "describe");
        clean_text(out, "kr_validator_describe (JWK Set)", &secrets);
        let mut reason = KrReason::Valid;
        ok(kr_validator_check(v, "a.b.c".as_ptr().cast(), "a.b.c".len(), &mut reason), "check");
        ok(kr_validator_free(v), "free");
    }
    assert_no_hits(disarm(), "validator from a JWK Set holding an oct key");
}

/// An asymmetric private key and the secret numbers OpenSSL and the JWK carry.
struct PrivateKey {
    name: &'static str,
    pkey: PKey<Private>,
    secrets: Vec<Secret>,
}

fn private_keys() -> Vec<PrivateKey> {
    let rsa = common::rsa_2048();
    let ec = common::ec(Nid::X9_62_PRIME256V1);
    let ed = common::ed25519();
    let x = PKey::generate_x25519().unwrap();
    let rsa_secrets = {
        let numbers = rsa.rsa().unwrap();
        let mut s = Secret::number("the RSA private exponent d", numbers.d());
        s.extend(Secret::number("the RSA prime p", numbers.p().unwrap()));
        s.extend(Secret::number("the RSA prime q", numbers.q().unwrap()));
        s
    };
    let ec_secrets = Secret::number("the EC private scalar d", ec.ec_key().unwrap().private_key());
    let okp = |pkey: &PKey<Private>, name: &'static str| {
        let raw = pkey.raw_private_key().unwrap();
        vec![Secret::new(name, &raw), Secret::new(name, b64::encode(&raw).as_bytes())]
    };
    let ed_secrets = okp(&ed, "the Ed25519 private key");
    let x_secrets = okp(&x, "the X25519 private key");
    vec![
        PrivateKey { name: "RSA", pkey: rsa, secrets: rsa_secrets },
        PrivateKey { name: "EC P-256", pkey: ec, secrets: ec_secrets },
        PrivateKey { name: "Ed25519", pkey: ed, secrets: ed_secrets },
        PrivateKey { name: "X25519", pkey: x, secrets: x_secrets },
    ]
}

#[test]
fn private_keys_from_pem_der_and_jwk_leave_nothing_behind_in_freed_memory() {
    let _serial = serial();
    if !OPENSSL_HOOKED.load(Ordering::Acquire) {
        eprintln!("OpenSSL's allocator could not be hooked (it allocated first): only the Rust side is observed.");
    }
    let mut failures = Vec::new();
    let mut inside_openssl = Vec::new();
    for key in private_keys() {
        let inputs: Vec<(&str, KrKeyFormat, Zeroizing<Vec<u8>>)> = vec![
            ("PKCS#8 PEM", KrKeyFormat::Pem, Zeroizing::new(key.pkey.private_key_to_pem_pkcs8().unwrap())),
            ("PKCS#8 DER", KrKeyFormat::Der, Zeroizing::new(key.pkey.private_key_to_der().unwrap())),
            ("JWK", KrKeyFormat::Jwk, Zeroizing::new(common::private_jwk(&key.pkey).to_string().into_bytes())),
        ];
        for (format, kr_format, input) in inputs {
            arm(&key.secrets);
            let handle = import(kr_format, &input);
            if key.name == "X25519" {
                describe_key(handle, &key.secrets);
                encrypt_everywhere(handle, "ECDH-ES+A256KW", "A256GCM", &key.secrets);
            } else {
                sign_everywhere(handle, None, &key.secrets);
                if key.name != "Ed25519" {
                    encrypt_everywhere(handle, if key.name == "RSA" { "RSA-OAEP-256" } else { "ECDH-ES" }, "A256GCM", &key.secrets);
                }
            }
            ok(kr_key_free(handle), "free key");
            let (krjwt, openssl): (Vec<Hit>, Vec<Hit>) = disarm().into_iter().partition(left_by_krjwt);
            if !krjwt.is_empty() {
                failures.push(format!("{} from {format} ({} block(s)):\n{}", key.name, krjwt.len(), describe_hits(&krjwt)));
            }
            if !openssl.is_empty() {
                inside_openssl.push(format!("{} from {format}: {} block(s), freed at {}", key.name, openssl.len(), openssl_sites(&openssl)));
            }
        }
    }
    if !inside_openssl.is_empty() {
        eprintln!("Copies left in freed memory by OpenSSL's own code (decoders, key export, EC arithmetic):\n{}", inside_openssl.join("\n"));
    }
    assert!(failures.is_empty(), "private key material left in freed memory by KrJwt:\n{}", failures.join("\n\n"));
}

/// A hit KrJwt can prevent: every block of its own (Rust) allocator, and OpenSSL BIGNUMs KrJwt
/// builds from JWK members and drops with `BN_free` (which does not clear). Copies OpenSSL makes
/// inside its own code (its 3.0 decoders, the export of a legacy key to a provider, the P-256
/// scalar multiplication) are not in KrJwt's hands: they are reported, not failed.
fn left_by_krjwt(hit: &Hit) -> bool {
    if hit.allocator == "Rust" {
        return true;
    }
    let innermost = hit.origin.lines().find(|l| l.contains("krjwt::")).unwrap_or("");
    hit.origin.contains("crypto/bn/bn_lib.c") && ["from_rsa_jwk", "from_ec_jwk", "from_okp_jwk"].iter().any(|f| innermost.contains(f))
}

fn openssl_sites(hits: &[Hit]) -> String {
    let mut sites: Vec<String> = hits
        .iter()
        .map(|h| {
            let site = h.origin.lines().next().unwrap_or("").rsplit("OpenSSL ").next().unwrap_or("").to_string();
            let caller = h.origin.lines().find(|l| l.contains("krjwt::")).map(str::trim).unwrap_or("?").to_string();
            format!("{site} (under {})", caller.split_once(": ").map_or(caller.as_str(), |(_, f)| f))
        })
        .collect();
    sites.sort();
    sites.dedup();
    sites.join("; ")
}

// ---------------------------------------------------------------------------------------------
// Secrets never in messages or descriptions.

#[test]
fn failing_calls_with_a_secret_argument_never_echo_it() {
    let _serial = serial();
    let secrets = Secret::sentinel();
    let b64_text = b64::encode(SENTINEL);
    let hex_text = hex(SENTINEL);
    let rsa = common::rsa_2048();
    let pem = String::from_utf8(rsa.private_key_to_pem_pkcs8().unwrap()).unwrap();
    let mut pem_secrets = Secret::number("the RSA private exponent d", rsa.rsa().unwrap().d());
    // The PEM body lines themselves.
    for line in pem.lines().filter(|l| !l.starts_with("-----") && l.len() >= WINDOW) {
        pem_secrets.push(Secret::new("a line of the PEM body", line.as_bytes()));
    }
    let damaged_pem = {
        let mut lines: Vec<String> = pem.lines().map(str::to_string).collect();
        lines[3] = lines[3].chars().rev().collect();
        lines.join("\n")
    };
    let failing_imports: Vec<(&str, KrKeyFormat, String)> = vec![
        ("hex with a bad digit at the end", KrKeyFormat::Hex, format!("{hex_text}zz")),
        ("hex with a bad digit in the middle", KrKeyFormat::Hex, format!("{}g{}", &hex_text[..64], &hex_text[65..])),
        ("hex of odd length", KrKeyFormat::Hex, format!("{hex_text}0")),
        ("base64url with a bad character", KrKeyFormat::Base64url, format!("{b64_text}!")),
        ("base64url with an inner space", KrKeyFormat::Base64url, format!("{} {}", &b64_text[..40], &b64_text[40..])),
        ("oct JWK with a bad k", KrKeyFormat::Jwk, format!(r#"{{"kty":"oct","k":"{b64_text}!"}}"#)),
        ("oct JWK cut short", KrKeyFormat::Jwk, format!(r#"{{"kty":"oct","k":"{b64_text}""#)),
        ("oct JWK with an RSA alg", KrKeyFormat::Jwk, format!(r#"{{"kty":"oct","alg":"RS256","k":"{b64_text}"}}"#)),
        ("oct JWK with a bad kid type", KrKeyFormat::Jwk, format!(r#"{{"kty":"oct","kid":7,"k":"{b64_text}"}}"#)),
        ("JWK of an unknown kty", KrKeyFormat::Jwk, format!(r#"{{"kty":"OCT","k":"{b64_text}"}}"#)),
        ("the secret as a PEM", KrKeyFormat::Pem, String::from_utf8(SENTINEL.to_vec()).unwrap()),
        ("the secret as an RSA JWK", KrKeyFormat::Jwk, format!(r#"{{"kty":"RSA","n":"{b64_text}","e":"AQAB","d":"{b64_text}"}}"#)),
        ("the secret as an EC JWK", KrKeyFormat::Jwk, format!(r#"{{"kty":"EC","crv":"P-256","x":"{b64_text}","y":"{b64_text}","d":"{b64_text}"}}"#)),
        ("the secret as an OKP JWK", KrKeyFormat::Jwk, format!(r#"{{"kty":"OKP","crv":"Ed25519","x":"{b64_text}","d":"{b64_text}"}}"#)),
    ];
    let mut problems = Vec::new();
    let mut check = |what: &str, status: KrStatus, extra: &[Secret]| {
        if status == KrStatus::Ok {
            problems.push(format!("{what}: unexpectedly succeeded"));
            return;
        }
        let message = last_error();
        if message.is_empty() {
            problems.push(format!("{what}: no message"));
        }
        if let Some(name) = holds_secret(message.as_bytes(), &secrets).or_else(|| holds_secret(message.as_bytes(), extra)) {
            problems.push(format!("{what}: the message shows {name}: {message}"));
        }
    };
    for (what, format, input) in &failing_imports {
        let mut key = null_mut();
        let status = unsafe { kr_key_import(*format as i32, input.as_ptr(), input.len(), &mut key) };
        check(what, status, &[]);
    }
    let mut key = null_mut();
    let status = unsafe { kr_key_import(KrKeyFormat::Pem as i32, damaged_pem.as_ptr(), damaged_pem.len(), &mut key) };
    check("a damaged PEM private key", status, &pem_secrets);
    let status = unsafe { kr_key_import(KrKeyFormat::Der as i32, SENTINEL.as_ptr(), SENTINEL.len(), &mut key) };
    check("the secret as DER", status, &[]);

    // Calls that refuse a good secret for what it is asked to do.
    unsafe {
        let secret = import(KrKeyFormat::Secret, SENTINEL);
        let short = import(KrKeyFormat::Secret, &SENTINEL[..20]);
        let mut b = null_mut();
        ok(kr_builder_new(&mut b), "builder");
        check("sign with RS256", kr_builder_sign(b, secret, c("RS256").as_ptr()), &[]);
        check("sign with a 20-byte secret", kr_builder_sign(b, short, c("HS256").as_ptr()), &[]);
        check("encrypt with A128KW", kr_builder_encrypt(b, secret, c("A128KW").as_ptr(), null()), &[]);
        check("encrypt with RSA-OAEP", kr_builder_encrypt(b, secret, c("RSA-OAEP").as_ptr(), null()), &[]);
        check("build without a key", kr_builder_build(b, &mut null_mut()), &[]);
        let mut out = null_mut();
        check("public JWK of a secret", kr_key_export_public_jwk(secret, &mut out), &[]);
        let (mut bytes, mut len, mut header) = (null_mut(), 0usize, null_mut());
        let (foreign, garbage) = ("eyJhbGciOiJIUzUxMiJ9.e30.AAAA", "a.b.c.d.e");
        check(
            "verify a foreign token",
            kr_jws_verify(secret, null(), foreign.as_ptr().cast(), foreign.len(), &mut KrReason::Valid, &mut bytes, &mut len, &mut header),
            &[],
        );
        let (dir, enc) = (c("dir"), c("A256CBC-HS512"));
        check(
            "decrypt garbage",
            kr_jwe_decrypt(
                secret,
                dir.as_ptr(),
                enc.as_ptr(),
                garbage.as_ptr().cast(),
                garbage.len(),
                &mut KrReason::Valid,
                &mut bytes,
                &mut len,
                &mut header,
            ),
            &[],
        );
        let bad_options = c(&format!(r#"{{"jwks":{{"keys":[{{"kty":"oct","k":"{b64_text}","use":"nope"}}]}}}}"#));
        check("a JWK Set with a bad use", kr_validator_new(bad_options.as_ptr(), null(), 0, null(), 0, &mut null_mut()), &[]);
        let bad_options = c(&format!(r#"{{"jwks":{{"keys":[{{"kty":"oct","k":"{b64_text}"}}]}},"algorithms":["RS256"]}}"#));
        check("a JWK Set of a secret for RS256", kr_validator_new(bad_options.as_ptr(), null(), 0, null(), 0, &mut null_mut()), &[]);
        let mut renewed = null_mut();
        ok(kr_builder_sign(b, secret, null()), "sign");
        check("renew a forged token", kr_builder_renew(b, foreign.as_ptr().cast(), foreign.len(), 0.0, &mut renewed), &[]);
        for status in [kr_builder_free(b), kr_key_free(short), kr_key_free(secret)] {
            ok(status, "free");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn debug_and_describe_forms_never_show_key_material() {
    let _serial = serial();
    let secrets = Secret::sentinel();
    let jwk = format!(r#"{{"kty":"oct","kid":"k1","k":"{}"}}"#, b64::encode(SENTINEL));
    let key = Arc::new(Key::import(KeyFormat::Jwk, jwk.as_bytes()).unwrap());
    let mut builder = Builder::new();
    builder.set_issuer("hygiene").unwrap();
    builder.sign_with(key.clone(), None).unwrap();
    let mut encrypting = builder.clone();
    encrypting.encrypt_with(key.clone(), Some("dir"), Some("A256CBC-HS512")).unwrap();
    let result = encrypting.build().unwrap();
    let from_result = Validator::for_result(&result, 60.0).unwrap();
    let options: ValidationOptions = serde_json::from_str(&format!(r#"{{"jwks":{{"keys":[{jwk}]}}}}"#)).unwrap();
    let from_jwks = Validator::from_keys(options, Vec::new(), vec![key.clone()]).unwrap();
    let forms = [
        ("Key Debug", format!("{key:?}")),
        ("Key::describe", key.describe().to_string()),
        ("Builder Debug", format!("{builder:?}")),
        ("Builder::describe", builder.describe().to_string()),
        ("encrypting Builder Debug", format!("{encrypting:?}")),
        ("BuildResult Debug", format!("{result:?}")),
        ("Validator Debug (from a result)", format!("{from_result:?}")),
        ("Validator::describe (from a result)", from_result.describe().to_string()),
        ("Validator Debug (from a JWK Set)", format!("{from_jwks:?}")),
        ("Validator::describe (from a JWK Set)", from_jwks.describe().to_string()),
        ("ValidationOptions Debug", format!("{:?}", from_jwks.options())),
        ("an Error", format!("{:?}", Key::import(KeyFormat::Hex, format!("{}zz", hex(SENTINEL)).as_bytes()).unwrap_err())),
    ];
    let leaks: Vec<String> = forms
        .iter()
        .filter_map(|(what, text)| holds_secret(text.as_bytes(), &secrets).map(|name| format!("{what} shows {name}: {}", shorten(text))))
        .collect();
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

fn shorten(text: &str) -> String {
    if text.len() <= 600 {
        text.to_string()
    } else {
        format!("{}... ({} chars)", &text[..600], text.len())
    }
}
