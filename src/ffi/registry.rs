//! Live handles. A handle is an id issued here, never a pointer the library dereferences, so a
//! freed, made-up or wrong-type handle is found out by a lookup instead of crashing. Ids are never
//! reused.

use super::{Failure, FfiResult, KrStatus};
use std::any::Any;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

type Entry = Arc<dyn Any + Send + Sync>;

/// Ids are distinct counters: identity hashing is enough and cheaper than SipHash.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = n as u64;
    }
}

type Table = RwLock<HashMap<usize, Entry, BuildHasherDefault<IdHasher>>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

/// Starts well above small integers so that a stray 1 or 2 is never a live handle.
static NEXT_ID: AtomicUsize = AtomicUsize::new(0x1000);

fn write_lock() -> std::sync::RwLockWriteGuard<'static, HashMap<usize, Entry, BuildHasherDefault<IdHasher>>> {
    // A panic while holding the lock cannot leave the map inconsistent (single inserts/removes).
    table().write().unwrap_or_else(|p| p.into_inner())
}

/// Registers an object and returns its handle.
pub(crate) fn insert<T: Any + Send + Sync>(value: T) -> usize {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    write_lock().insert(id, Arc::new(value));
    id
}

/// Looks a handle up as a `T`.
pub(crate) fn get<T: Any + Send + Sync>(handle: usize, kind: &str) -> FfiResult<Arc<T>> {
    if handle == 0 {
        return Err(Failure::new(KrStatus::NullPointer, format!("The {kind} handle is NULL.")));
    }
    let entry = table().read().unwrap_or_else(|p| p.into_inner()).get(&handle).cloned();
    entry.and_then(|e| e.downcast::<T>().ok()).ok_or_else(|| stale(kind))
}

/// Releases a handle; NULL is a no-op. Secrets are zeroed when the last reference drops.
pub(crate) fn remove<T: Any + Send + Sync>(handle: usize, kind: &str) -> FfiResult<()> {
    if handle == 0 {
        return Ok(());
    }
    let removed = {
        let mut map = write_lock();
        match map.get(&handle) {
            Some(e) if e.is::<T>() => map.remove(&handle),
            _ => None,
        }
    };
    // Drop outside the lock: zeroing and freeing need not block other threads.
    removed.map(drop).ok_or_else(|| stale(kind))
}

fn stale(kind: &str) -> Failure {
    Failure::new(
        KrStatus::InvalidHandle,
        format!("The {kind} handle is not valid: it was freed already, belongs to another type, or was never issued."),
    )
}
