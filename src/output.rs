//! Write: the only code that touches the output folder.
//!
//! The site is written into a fresh folder beside the output (`.public.tmp-*`)
//! and swapped in only when every file is written, so a failed or interrupted
//! build leaves the previous output as it was.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// One file of the built site. `path` is relative to the output folder and
/// uses `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Copied from a source file (images, static files) without reading it into memory.
    Copy(PathBuf),
    /// An image made from a source image (resized, or cropped for share cards).
    Image {
        from: PathBuf,
        op: ImageOp,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageOp {
    /// Scale to this width, keeping the aspect ratio.
    Resize(u32),
    /// The centred square of this side, scaled from the largest square that fits.
    CropSquare(u32),
}

impl Body {
    /// The bytes of the file (reading or processing the source if needed).
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Body::Bytes(b) => Ok(std::borrow::Cow::Borrowed(b)),
            Body::Copy(from) => std::fs::read(from).map(std::borrow::Cow::Owned),
            Body::Image { from, op } => {
                crate::images::process(from, *op).map(std::borrow::Cow::Owned)
            }
        }
    }
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            body: Body::Bytes(bytes.into()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` as the new contents of `out`, replacing it in one step.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let staging = Staging::begin(out)?;
    files.par_iter().try_for_each(|f| staging.write(f))?;
    staging.commit()
}

/// A new output folder being written beside `out`. Holds a lock beside the
/// output from `begin` until it is dropped, so two builds into the same folder
/// cannot interleave (the second fails with a [`WriteError`] naming the
/// lock). `commit` swaps it in; dropping it uncommitted deletes it, leaving
/// the old output as it was.
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    committed: bool,
    _lock: std::fs::File,
}

impl Staging {
    pub fn begin(out: &Path) -> Result<Staging, WriteError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(at(&parent))?;
        let name = out
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let lock = lock(&parent.join(format!(".{name}.lock")))?;
        remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(at(&dir))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            committed: false,
            _lock: lock,
        })
    }

    /// Writes one file (callable from many threads at once).
    pub fn write(&self, f: &OutputFile) -> Result<(), WriteError> {
        let path = self.dir.join(&f.path);
        if let Some(parent) = path.parent() {
            // Cheap when it exists; concurrent creation of the same folder is fine.
            std::fs::create_dir_all(parent).map_err(at(parent))?;
        }
        match &f.body {
            Body::Bytes(b) => std::fs::write(&path, b).map_err(at(&path)),
            Body::Copy(from) => std::fs::copy(from, &path).map(|_| ()).map_err(at(from)),
            Body::Image { from, .. } => f
                .body
                .bytes()
                .and_then(|b| std::fs::write(&path, b))
                .map_err(at(from)),
        }
    }

    /// Swaps the new output in.
    pub fn commit(mut self) -> Result<(), WriteError> {
        self.committed = true;
        let result = swap_in(&self.dir, &self.out);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// An exclusive lock on `path`, released when the returned file is dropped
/// (also when the process dies, so a killed build never leaves it stuck).
fn lock(path: &Path) -> Result<std::fs::File, WriteError> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(at(path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(WriteError {
            path: path.to_path_buf(),
            source: io::Error::new(
                io::ErrorKind::WouldBlock,
                "another pufa build is writing this output folder; wait for it to finish",
            ),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(WriteError {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Staging folders of builds that were killed. Safe to delete: we hold the lock.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        let file_name = e.file_name();
        let file_name = file_name.to_string_lossy();
        if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Replaces `out` with `staging`. On Linux the two folders are exchanged in
/// one system call (`renameat2(RENAME_EXCHANGE)`), so at every instant `out`
/// is either the complete old site or the complete new one; elsewhere `out`
/// is renamed aside first, leaving a moment with no `out` (never a mix).
fn swap_in(staging: &Path, out: &Path) -> Result<(), WriteError> {
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(at(out));
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the old output.
        return std::fs::remove_dir_all(staging).map_err(at(staging));
    }
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
    std::fs::rename(out, &old).map_err(at(out))?;
    std::fs::rename(staging, out).map_err(at(out))?;
    std::fs::remove_dir_all(&old).map_err(at(&old))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}
