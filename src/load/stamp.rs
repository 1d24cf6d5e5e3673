//! A file's stamp: what the file system says of a file (device, inode,
//! size, and the modification and status-change times to the nanosecond),
//! which changes whenever its bytes do. Any write to a file changes its
//! status-change time, which no tool sets back. Caches key on stamps, not
//! bytes: reading a large corpus to find it unchanged costs more than what
//! a cache saves.

/// What the file system says of a file that changes whenever its bytes do.
#[cfg(unix)]
pub fn of(m: &std::fs::Metadata) -> Vec<u8> {
    use std::os::unix::fs::MetadataExt;
    [m.dev(), m.ino(), m.size(), m.mtime() as u64, m.mtime_nsec() as u64, m.ctime() as u64, m.ctime_nsec() as u64]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

#[cfg(not(unix))]
pub fn of(m: &std::fs::Metadata) -> Vec<u8> {
    let modified = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    [m.len() as u128, modified].iter().flat_map(|v| v.to_le_bytes()).collect()
}
