//! Reading the site's own files (site.yaml, articles, law files, theme
//! templates) into memory, in bounded time and space.
//!
//! A path in the site folder can name something that is not a file: a
//! named pipe (reading waits for a writer that never comes), a device
//! (`/dev/zero` through a link never ends) or a socket. And a file can be
//! larger than any article, or still growing. [`file`] reads only regular
//! files, and at most `limit` bytes of them: anything else is an error
//! naming the file, never a hang or an exhausted machine.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use crate::diagnostics::Diagnostic;

/// The default of `limits: { max_file_mb }` in site.yaml: many times any
/// real article or law, small enough that a runaway file cannot take the
/// machine's memory.
pub const DEFAULT_MAX_FILE_MB: u64 = 16;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// It exists but is not a regular file (after following links).
    NotAFile(&'static str),
    /// It holds more than the limit, in bytes.
    TooLarge(u64),
    Io(std::io::Error),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// The bytes of the regular file at `path` (links followed), refusing
/// anything else and files over `limit` bytes.
pub fn file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Looked at before opening: opening a pipe would wait for a writer,
    // and opening some devices does something.
    regular(&std::fs::metadata(path)?)?;
    let file = open_without_waiting(path)?;
    // Looked at again through the open file: the path may have been
    // replaced in between.
    let meta = file.metadata()?;
    regular(&meta)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // One byte past the limit tells a file that grew while being read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(bytes)
}

/// [`file`] as UTF-8 text; invalid UTF-8 is an `InvalidData` I/O error.
pub fn text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(file(path, limit)?)
        .map_err(|e| ReadError::Io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

fn regular(meta: &Metadata) -> Result<(), ReadError> {
    if meta.is_file() {
        return Ok(());
    }
    Err(ReadError::NotAFile(kind(meta)))
}

/// What a non-regular file is, in words.
fn kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        return "a folder";
    }
    "not a regular file"
}

/// Opens for reading without blocking on a pipe that has no writer.
fn open_without_waiting(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

impl ReadError {
    /// The error about `shown` (the path editors see); `io` words an I/O
    /// error for the kind of file it is.
    pub fn into_diagnostic(
        self,
        shown: &Path,
        io: impl FnOnce(std::io::Error) -> Diagnostic,
    ) -> Diagnostic {
        match self {
            ReadError::NotAFile(kind) => Diagnostic::error(
                shown,
                format!("this is {kind}, not a file: pufa reads only regular files"),
            )
            .zh(format!(
                "这是{}，不是普通文件：pufa 只读取普通文件",
                kind_zh(kind)
            ))
            .hint("replace it with an ordinary file, or remove it")
            .hint_zh("换成普通文件，或者删掉它"),
            ReadError::TooLarge(limit) => {
                let mb = limit / (1024 * 1024);
                Diagnostic::error(shown, format!("the file is larger than {mb} MB"))
                    .zh(format!("文件超过 {mb} MB"))
                    .hint(format!(
                        "split it into smaller files, or raise the limit in site.yaml: `limits: {{ max_file_mb: {} }}`",
                        mb * 2
                    ))
                    .hint_zh(format!(
                        "把它拆成几个小文件，或者在 site.yaml 里调高上限：「limits: {{ max_file_mb: {} }}」",
                        mb * 2
                    ))
            }
            ReadError::Io(e) => io(e),
        }
    }

    /// As an I/O error, for callers that report those.
    pub fn into_io(self) -> std::io::Error {
        match self {
            ReadError::Io(e) => e,
            ReadError::NotAFile(kind) => std::io::Error::other(format!(
                "this is {kind}, not a file: pufa reads only regular files"
            )),
            ReadError::TooLarge(limit) => std::io::Error::other(format!(
                "the file is larger than {} MB (`limits: {{ max_file_mb }}` in site.yaml)",
                limit / (1024 * 1024)
            )),
        }
    }
}

fn kind_zh(kind: &str) -> &'static str {
    match kind {
        "a named pipe" => "命名管道",
        "a device" => "设备文件",
        "a socket" => "套接字",
        "a folder" => "文件夹",
        _ => "特殊文件",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "正文").unwrap();
        assert_eq!(file(&path, 6).unwrap(), "正文".as_bytes());
        assert!(matches!(file(&path, 5), Err(ReadError::TooLarge(5))));
        assert!(matches!(
            file(dir.path(), 5),
            Err(ReadError::NotAFile("a folder"))
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_are_refused_without_reading() {
        let zero = Path::new("/dev/zero");
        assert!(matches!(
            file(zero, 1 << 40),
            Err(ReadError::NotAFile("a device"))
        ));
    }
}
