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
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(at(&parent))?;
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(at(&staging))?;
    }
    let result = write_all(&staging, files).and_then(|()| swap_in(&staging, out));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    std::fs::create_dir_all(dir).map_err(at(dir))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(at(d))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        match &f.body {
            Body::Bytes(b) => std::fs::write(&path, b).map_err(at(&path)),
            Body::Copy(from) => std::fs::copy(from, &path).map(|_| ()).map_err(at(from)),
            Body::Image { from, .. } => f
                .body
                .bytes()
                .and_then(|b| std::fs::write(&path, b))
                .map_err(at(from)),
        }
    })
}

/// Replaces `out` with `staging`: rename the old output aside, rename the new
/// one in, delete the old. Between the two renames (microseconds) `out` is
/// missing, but never half-written.
fn swap_in(staging: &Path, out: &Path) -> Result<(), WriteError> {
    if out.exists() {
        let name = out.file_name().unwrap_or_default().to_string_lossy();
        let old = out.with_file_name(format!(".{name}.old-{}", std::process::id()));
        std::fs::rename(out, &old).map_err(at(out))?;
        std::fs::rename(staging, out).map_err(at(out))?;
        std::fs::remove_dir_all(&old).map_err(at(&old))?;
    } else {
        std::fs::rename(staging, out).map_err(at(out))?;
    }
    Ok(())
}
