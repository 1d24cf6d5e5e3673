//! Which build of citelint is running: its version, and its executable's
//! size and modification time, so that caches of one build are never read
//! by another (a rebuild of the same version included).

/// The running build, as text for a cache key.
pub fn identity() -> String {
    let exe = std::env::current_exe().and_then(std::fs::metadata);
    let build = match exe {
        Ok(m) => format!("{}:{:?}", m.len(), m.modified().ok()),
        Err(_) => String::new(),
    };
    format!("{}\0{build}", env!("CARGO_PKG_VERSION"))
}
