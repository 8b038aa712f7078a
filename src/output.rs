//! Write: the only code that touches the output folder.
//!
//! The site is written into a folder beside the output and swapped in only
//! when every file is written, so a failed or interrupted build leaves the
//! previous output as it was.
//!
//! **Double buffering.** The swap leaves the previous output beside the new
//! one as `.public.spare`, and the next build writes into that spare: files
//! whose bytes are already right are left alone, the others are rewritten in
//! place, and files the site no longer has are deleted; then the two folders
//! are exchanged again. A rebuild thus creates and deletes files only for
//! what changed. On ext4, creating a fresh tree and deleting the old one was
//! most of the cost of a rebuild (10,000 articles: 4–40 s, depending on how
//! recently the allocator had freed inodes), and unchanged files now keep
//! their modification times, so caches and `rsync` see them as unchanged.
//! The price is a second copy of the site on disk. The first build, or one
//! without a spare, writes a fresh folder (`.public.tmp-*`).
//!
//! **Only into pufa's own folders.** Since every build deletes what it did
//! not write, a [`Staging`] is made only from a [`Target`], which
//! [`check`] (in `target.rs`) returns for a folder that is pufa's, and
//! neither the site nor one of its inputs. Every build writes the
//! [`MARKER`] file first, so both buffers carry the mark.

mod target;

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use target::{MARKER, Refusal, Target, check, check_copy};

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
        op: crate::images::ImageOp,
    },
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

/// Writes `files` as the new contents of the checked folder `out`,
/// replacing it in one step.
pub fn write_site(out: &Target, files: &[OutputFile]) -> Result<(), WriteError> {
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
    /// Where the previous output goes after the swap.
    spare: PathBuf,
    /// Writing into an old output (the spare): the paths written so far,
    /// to delete the rest at the end. `None` for a fresh folder.
    recycled: Option<std::sync::Mutex<HashSet<String>>>,
    committed: bool,
    _lock: std::fs::File,
}

impl Staging {
    /// Takes the lock beside `out` and prepares the folder to write into:
    /// the spare if there is one, else a new folder. The first file in
    /// either is the [`MARKER`].
    pub fn begin(out: &Target) -> Result<Staging, WriteError> {
        let parent = out.parent();
        std::fs::create_dir_all(parent).map_err(at(parent))?;
        let lock = lock(&out.sibling(".lock"))?;
        for dir in out.adopted() {
            let marker = dir.join(MARKER);
            std::fs::write(&marker, target::MARKER_TEXT).map_err(at(&marker))?;
        }
        remove_leftovers(out);
        let spare = out.sibling(".spare");
        let is_dir = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        let (dir, recycled) = if is_dir(&spare) && is_dir(out.dir()) {
            (spare.clone(), Some(Default::default()))
        } else {
            let dir = out.sibling(&format!(".tmp-{}", std::process::id()));
            // Not `create_dir_all`: a folder of that name that is not a
            // leftover of pufa's stays where it is, unused.
            std::fs::create_dir(&dir).map_err(at(&dir))?;
            (dir, None)
        };
        let staging = Staging {
            dir,
            out: out.dir().to_path_buf(),
            spare,
            recycled,
            committed: false,
            _lock: lock,
        };
        staging.write(&OutputFile::bytes(MARKER, target::MARKER_TEXT))?;
        Ok(staging)
    }

    /// Writes one file (callable from many threads at once).
    pub fn write(&self, f: &OutputFile) -> Result<(), WriteError> {
        // Rendering makes only plain relative paths; this is the last line
        // of defence, with the same rule as every path editors write.
        if let Err(why) = crate::confine::check_output(&f.path) {
            return Err(WriteError {
                path: PathBuf::from(&f.path),
                source: io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("not a path inside the output folder: {why}"),
                ),
            });
        }
        let path = self.dir.join(&f.path);
        if let Some(written) = &self.recycled {
            written.lock().expect("not poisoned").insert(f.path.clone());
            self.make_room(&path);
        }
        if let Some(parent) = path.parent() {
            // Cheap when it exists; concurrent creation of the same folder is fine.
            std::fs::create_dir_all(parent).map_err(at(parent))?;
        }
        match &f.body {
            Body::Bytes(b) if self.holds(&path, b) => Ok(()),
            Body::Bytes(b) => std::fs::write(&path, b).map_err(at(&path)),
            Body::Copy(from) if self.recycled.is_some() && same_contents(from, &path) => Ok(()),
            Body::Copy(from) => std::fs::copy(from, &path).map(|_| ()).map_err(at(from)),
            Body::Image { from, .. } => f
                .body
                .bytes()
                .and_then(|b| {
                    if self.holds(&path, &b) {
                        Ok(())
                    } else {
                        std::fs::write(&path, b)
                    }
                })
                .map_err(at(from)),
        }
    }

    /// Sets the modification time of `path`, written already (`pufa
    /// deploy` keeps an unchanged file's time: nginx's `ETag` is made of it).
    pub fn set_modified(&self, path: &str, time: std::time::SystemTime) -> Result<(), WriteError> {
        let path = self.dir.join(path);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(time))
            .map_err(at(&path))
    }

    /// In a recycled folder: whether `path` already holds exactly `bytes`.
    fn holds(&self, path: &Path, bytes: &[u8]) -> bool {
        self.recycled.is_some()
            && file_len(path) == Some(bytes.len() as u64)
            && std::fs::read(path).is_ok_and(|b| b == bytes)
    }

    /// In a recycled folder, a file may now be a folder and the other way
    /// round (`news/a` was a page, is now a section): clear the way. A
    /// link planted in the spare (by anyone) goes the same way, and the
    /// folders are cleared from the top down: looking at the file first
    /// looked *through* a linked folder above it, and deleted what the
    /// link pointed at (found by the property test in tests/it/output.rs).
    fn make_room(&self, path: &Path) {
        let mut above: Vec<&Path> = path
            .ancestors()
            .skip(1)
            .take_while(|a| *a != self.dir)
            .collect();
        above.reverse();
        for folder in above {
            if std::fs::symlink_metadata(folder).is_ok_and(|m| !m.is_dir()) {
                let _ = std::fs::remove_file(folder);
            }
        }
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => {
                let _ = std::fs::remove_dir_all(path);
            }
            Ok(m) if !m.is_file() => {
                let _ = std::fs::remove_file(path);
            }
            _ => {}
        }
    }

    /// In a recycled folder: deletes what this build did not write.
    fn prune(&self, written: &HashSet<String>) -> Result<(), WriteError> {
        for entry in walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .contents_first(true)
        {
            let entry = entry.map_err(|e| WriteError {
                path: e.path().unwrap_or(&self.dir).to_path_buf(),
                source: e.into(),
            })?;
            if entry.file_type().is_dir() {
                // Fails, harmlessly, while the folder still holds files.
                let _ = std::fs::remove_dir(entry.path());
                continue;
            }
            let rel = entry.path().strip_prefix(&self.dir).unwrap_or(entry.path());
            let rel = rel
                .to_string_lossy()
                .replace(std::path::MAIN_SEPARATOR, "/");
            if !written.contains(&rel) {
                std::fs::remove_file(entry.path()).map_err(at(entry.path()))?;
            }
        }
        Ok(())
    }

    /// Swaps the new output in.
    pub fn commit(mut self) -> Result<(), WriteError> {
        if let Some(written) = self.recycled.take() {
            self.prune(&written.into_inner().expect("not poisoned"))?;
        }
        self.committed = true;
        let result = swap_in(&self.dir, &self.out, &self.spare);
        if result.is_err() && self.dir != self.spare {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A half-updated spare stays: the next build puts it right.
        if !self.committed && self.dir != self.spare {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Whether two regular files hold the same bytes. Sizes first: a static
/// file (often an image) is read only when the copy might be the same.
fn same_contents(a: &Path, b: &Path) -> bool {
    file_len(a).is_some_and(|n| file_len(b) == Some(n))
        && matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

/// The size of the regular file at `path` (not following a link).
fn file_len(path: &Path) -> Option<u64> {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len())
}

/// An exclusive lock on `path`, released when the returned file is dropped
/// (also when the process dies, so a killed build never leaves it stuck).
/// Held by `pufa publish` from its build to the end of its deploy, so two
/// publishes of one output (a service and a person) never interleave.
pub fn publish_lock(out: &Target) -> Result<std::fs::File, WriteError> {
    lock_with(
        &out.sibling(".publish.lock"),
        "another pufa publish is running for this output folder; wait for it to finish",
    )
}

fn lock(path: &Path) -> Result<std::fs::File, WriteError> {
    lock_with(
        path,
        "another pufa build is writing this output folder; wait for it to finish",
    )
}

fn lock_with(path: &Path, busy: &str) -> Result<std::fs::File, WriteError> {
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
            source: io::Error::new(io::ErrorKind::WouldBlock, busy.to_string()),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(WriteError {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

/// Staging folders of builds that were killed: safe to delete, since we
/// hold the lock, if they are pufa's (marked, or empty when the build died
/// before writing the marker). A folder that only has such a name is left.
fn remove_leftovers(out: &Target) {
    let Ok(entries) = std::fs::read_dir(out.parent()) else {
        return;
    };
    let prefixes = [out.sibling(".tmp-"), out.sibling(".old-")];
    let prefixes = prefixes.map(|p| p.file_name().unwrap_or_default().to_owned());
    for e in entries.flatten() {
        let file_name = e.file_name();
        let leftover = prefixes.iter().any(|p| {
            file_name
                .as_encoded_bytes()
                .starts_with(p.as_encoded_bytes())
        });
        if !leftover || !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if std::fs::symlink_metadata(e.path().join(MARKER)).is_ok_and(|m| m.is_file()) {
            let _ = std::fs::remove_dir_all(e.path());
        } else {
            // Fails, harmlessly, unless it is empty.
            let _ = std::fs::remove_dir(e.path());
        }
    }
}

/// Replaces `out` with `staging`, keeping the old output as `spare`. On
/// Linux the two folders are exchanged in one system call
/// (`renameat2(RENAME_EXCHANGE)`), so at every instant `out` is either the
/// complete old site or the complete new one; elsewhere `out` is renamed
/// aside first, leaving a moment with no `out` (never a mix).
fn swap_in(staging: &Path, out: &Path, spare: &Path) -> Result<(), WriteError> {
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(staging, out).map_err(at(out));
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the old output: keep it as the spare.
        if staging != spare && std::fs::rename(staging, spare).is_err() {
            return std::fs::remove_dir_all(staging).map_err(at(staging));
        }
        return Ok(());
    }
    swap_by_renames(staging, out, spare)
}

/// The swap without an exchange call (other systems; Linux file systems
/// that refuse `RENAME_EXCHANGE`): `out` renamed aside, `staging` renamed
/// to `out`, the old one kept as `spare`. Between the two renames there is
/// no `out` for an instant, never a mix of old and new.
fn swap_by_renames(staging: &Path, out: &Path, spare: &Path) -> Result<(), WriteError> {
    let old = target::sibling(out, &format!(".old-{}", std::process::id()));
    std::fs::rename(out, &old).map_err(at(out))?;
    std::fs::rename(staging, out).map_err(at(out))?;
    if std::fs::rename(&old, spare).is_err() {
        std::fs::remove_dir_all(&old).map_err(at(&old))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_swap_by_renames_keeps_the_old_output_as_the_spare() {
        let tmp = tempfile::tempdir().unwrap();
        let (staging, out, spare) = (
            tmp.path().join(".public.staging"),
            tmp.path().join("public"),
            tmp.path().join(".public.spare"),
        );
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("index.html"), "new").unwrap();
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        swap_by_renames(&staging, &out, &spare).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(spare.join("index.html")).unwrap(),
            "old"
        );
        assert!(!staging.exists());
        // Nothing else is left beside them (no `.old-<pid>`).
        let mut names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".public.spare", "public"]);
        // Again, with the spare as the staging folder (double buffering).
        std::fs::write(spare.join("index.html"), "newer").unwrap();
        swap_by_renames(&spare, &out, &spare).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "newer"
        );
        assert_eq!(
            std::fs::read_to_string(spare.join("index.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn files_outside_the_output_are_refused_and_not_written() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let target = check(&tmp.path().join("out"), &site).unwrap();
        let escape = tmp.path().join("escape.txt");
        for path in [
            "../escape.txt",
            "a/../../escape.txt",
            escape.to_str().unwrap(),
        ] {
            let files = [OutputFile::bytes(path, "x")];
            let err = write_site(&target, &files).unwrap_err();
            assert_eq!(err.source.kind(), io::ErrorKind::InvalidInput, "{path}");
            assert!(!escape.exists(), "{path} was written");
        }
        // Nothing of the failed builds is visible.
        assert!(!tmp.path().join("out").exists());
    }
}
