//! Versions of files and fingerprints of values: how `pufa serve` tells
//! that something is unchanged since the last build. Ground floor: imports
//! no other module of pufa.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::time::SystemTime;

/// The version of a file as the file system sees it.
///
/// Size, modification time and inode alone miss a rewrite in place that
/// keeps the size and puts the old time back (`cp -p`, `rsync -a`,
/// `touch -r`, restoring a backup). The status-change time (`ctime`) is
/// set by the kernel on every write and no tool can set it back, so it
/// catches those too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
    /// `ctime` in nanoseconds (0 where the platform has none).
    changed: i128,
}

impl Stamp {
    /// The file's size in bytes.
    pub fn bytes(&self) -> u64 {
        self.len
    }

    pub fn of(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path)
            .ok()
            .as_ref()
            .map(Stamp::from_metadata)
    }

    /// The stamp of a file whose metadata is at hand already.
    pub fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let (inode, changed) = {
            use std::os::unix::fs::MetadataExt;
            let changed = i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec());
            (meta.ino(), changed)
        };
        #[cfg(not(unix))]
        let (inode, changed) = (0, 0);
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
            changed,
        }
    }
}

/// A fingerprint of anything hashable, stable within one process.
pub fn fingerprint(value: impl Hash) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
