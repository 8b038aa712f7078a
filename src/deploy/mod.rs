//! `pufa deploy`: put the built site (`public/`) where readers get it.
//!
//! - `plan.rs` compares the local files with the remote listing and pufa's
//!   manifest there (pure);
//! - `order.rs` orders the uploads so no page arrives before what it needs;
//! - `headers.rs` gives each file its `Content-Type` and `Cache-Control`;
//! - `s3.rs` talks to object storage (OpenDAL's S3 service: OSS, COS, OBS,
//!   MinIO, AWS), `dir.rs` swaps a local folder in, `nginx.rs` prints a
//!   server block for that folder.
//!
//! A deploy reads only a folder that `pufa build` wrote (it holds the
//! output marker), so no other folder's files are ever uploaded.

pub mod dir;
pub mod headers;
pub mod nginx;
pub mod order;
pub mod plan;
pub mod s3;

use std::io::Read;
use std::path::{Path, PathBuf};

use md5::Digest;
use rayon::prelude::*;

use crate::config::deploy::{DeployTarget, TargetKind};
use crate::output::MARKER;
pub use plan::{Headers, LocalFile};

/// What to do besides deploying.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// List what would be uploaded and deleted; change nothing.
    pub dry_run: bool,
    /// Show a progress bar (stderr is a terminal).
    pub progress: bool,
    /// List the store and compare every ETag, instead of trusting the
    /// manifest the last finished deploy left.
    pub verify: bool,
}

/// What a deploy did, for its summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub uploaded: usize,
    /// Bytes sent in bodies (compressed, if the target compresses).
    pub bytes: u64,
    pub deleted: usize,
    pub unchanged: usize,
    /// Objects under the prefix that pufa did not put there (left alone).
    pub foreign: usize,
    /// Requests sent (listing pages, uploads, deletions, manifest), retries included.
    pub requests: u64,
    pub retries: u64,
    /// The keys uploaded, in order (for `--dry-run` and the publish log).
    pub keys: Vec<String>,
}

/// Why a deploy failed: one paragraph in English, one in Chinese; or the
/// refusal of a `dir` target's folder, shown as `pufa build` shows its own.
#[derive(Debug)]
pub struct DeployError {
    pub message: String,
    pub message_zh: String,
    /// pufa will not write into the folder (nothing was touched).
    pub refusal: Option<Box<crate::output::Refusal>>,
}

impl std::fmt::Display for DeployError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.refusal {
            Some(r) => write!(f, "{r}"),
            None => write!(f, "error: {}\n  错误：{}", self.message, self.message_zh),
        }
    }
}

impl DeployError {
    pub fn new(message: impl Into<String>, message_zh: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            message_zh: message_zh.into(),
            refusal: None,
        }
    }

    pub fn refused(refusal: crate::output::Refusal) -> Self {
        Self {
            message: String::new(),
            message_zh: String::new(),
            refusal: Some(Box::new(refusal)),
        }
    }

    fn io(what: &Path, e: &std::io::Error) -> Self {
        Self::new(
            format!(
                "cannot read {}: {e}. Nothing was uploaded or deleted.",
                what.display()
            ),
            format!("读不到 {}：{e}。什么都没有上传或删除。", what.display()),
        )
    }
}

/// Deploys the built site in `public` to `target`.
/// `site_root` is the site's folder (a `dir` target must not be in it);
/// `site` turns the pages' links into keys.
pub fn deploy(
    public: &Path,
    target: &DeployTarget,
    site_root: &Path,
    site: &order::Site<'_>,
    options: Options,
) -> Result<Report, DeployError> {
    built_by_pufa(public)?;
    match &target.kind {
        // Hashes the local files while it lists the remote.
        TargetKind::S3(s3) => s3::deploy(s3, public, target, site, options),
        TargetKind::Dir(d) => {
            let local = local_files(public, target)?;
            dir::deploy(d, target, site_root, public, &local, options)
        }
    }
}

/// Refuses a folder that `pufa build` did not write.
fn built_by_pufa(public: &Path) -> Result<(), DeployError> {
    if !public.join(MARKER).is_file() {
        return Err(DeployError::new(
            format!(
                "{} is not a site built by pufa (it has no {MARKER} file). Run `pufa build` first, or `pufa publish` to build and deploy in one go.",
                public.display()
            ),
            format!(
                "{} 不是 pufa 生成的网站（里面没有 {MARKER} 文件）。请先运行「pufa build」，或者用「pufa publish」一步完成生成和发布。",
                public.display()
            ),
        ));
    }
    Ok(())
}

/// Every file of the built site with its MD5 and headers, sorted by key.
/// Refuses a folder that `pufa build` did not write.
pub fn local_files(public: &Path, target: &DeployTarget) -> Result<Vec<LocalFile>, DeployError> {
    built_by_pufa(public)?;
    let mut paths: Vec<(String, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(public)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| DeployError::io(public, &std::io::Error::other(e)))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(public).unwrap_or(entry.path());
        let Some(key) = rel.to_str().map(|k| k.replace('\\', "/")) else {
            continue;
        };
        if key == MARKER {
            continue;
        }
        paths.push((key, entry.into_path()));
    }
    paths
        .into_par_iter()
        .map(|(key, path)| {
            let (md5, size) = md5_of_file(&path).map_err(|e| DeployError::io(&path, &e))?;
            let (content_type, class) = headers::content_type(&key);
            let headers = Headers {
                content_type: content_type.to_string(),
                cache_control: headers::cache_control(&key, class, target.html_max_age),
                content_encoding: (target.gzip && headers::compressible(content_type))
                    .then(|| "gzip".to_string()),
            };
            Ok(LocalFile {
                key,
                path,
                size,
                md5,
                headers,
                class,
            })
        })
        .collect()
}

fn md5_of_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = md5::Md5::new();
    let mut buf = vec![0; 64 * 1024];
    let mut size = 0;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((hex(&hasher.finalize()), size))
}

pub fn md5_hex(bytes: &[u8]) -> String {
    hex(&md5::Md5::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The bytes to send for a file: as on disk, or gzip-compressed.
pub fn body(f: &LocalFile) -> std::io::Result<Vec<u8>> {
    let bytes = std::fs::read(&f.path)?;
    if f.headers.content_encoding.is_some() {
        gzip(&bytes)
    } else {
        Ok(bytes)
    }
}

/// Gzip at the best level: done once per changed file, served many times.
/// The header carries no time or name, so the same bytes give the same
/// result (and the same ETag) on every deploy.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 64),
        flate2::Compression::best(),
    );
    enc.write_all(bytes)?;
    enc.finish()
}

/// "1.2 MB"
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_the_same_every_time() {
        let a = gzip("法律援助".repeat(100).as_bytes()).unwrap();
        let b = gzip("法律援助".repeat(100).as_bytes()).unwrap();
        assert_eq!(a, b);
        assert!(a.len() < 200);
        assert_eq!(md5_hex(b"hello"), "5d41402abc4b2a76b9719d911017c592");
    }
}
