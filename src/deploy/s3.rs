//! Object storage over the S3 API, through Apache OpenDAL: one client for
//! Aliyun OSS, Tencent COS, Huawei OBS, MinIO and AWS (SigV4 signing,
//! credentials from the environment or ~/.aws files, path- or
//! virtual-host addressing), with its retry and timeout layers.
//!
//! The steps, each finished before the next: list the prefix and read the
//! manifest (a wrong key, a missing bucket or an unreachable endpoint fails
//! here, before anything is written); claim the keys about to be uploaded
//! in the manifest; upload wave by wave (`order.rs`); delete what pufa put
//! there that the site no longer has; write the final manifest. A deploy
//! that fails or is killed stops before its deletions, and the next one
//! picks up where it stopped.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use opendal::layers::{RetryLayer, TimeoutLayer};
use opendal::options::{ListOptions, WriteOptions};
use opendal::{ErrorKind, Operator};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::order::{self, Item, Site};
use super::plan::{self, MANIFEST, Manifest, ManifestEntry, RemoteObject, Why};
use super::{DeployError, LocalFile, Options, Report};
use crate::config::deploy::{DeployTarget, S3Target};

/// Files whose bodies are made (read, compressed) at once, in parallel,
/// before they are sent: bounds memory on a first deploy of a large site.
const CHUNK: usize = 256;

/// Deploys the built site in `public` (which `pufa build` wrote: the
/// caller checked).
pub fn deploy(
    s3: &S3Target,
    public: &Path,
    target: &DeployTarget,
    site: &Site<'_>,
    options: Options,
) -> Result<Report, DeployError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DeployError::new(format!("cannot start: {e}"), format!("无法启动：{e}")))?;
    // reqwest with rustls, as the process's HTTP client (once; later calls do nothing).
    opendal::install_default();
    let counter = Arc::new(Counter::default());
    let op = operator(s3, counter.clone()).map_err(|e| explain(s3, &e))?;
    // The local files are read and hashed (on rayon's threads) while
    // another thread lists the remote and reads the manifest: both take
    // about a second for 10,000 articles, and neither needs the other.
    // A local error still comes first, as when they ran one after the other.
    let (local, fetched) = std::thread::scope(|scope| {
        let fetching = scope.spawn(|| runtime.block_on(fetch(&op, s3, &counter, options.verify)));
        let local = super::local_files(public, target);
        let fetched = fetching
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (local, fetched)
    });
    let local = local?;
    let (remote, manifest) = fetched?;
    let mut report = runtime.block_on(run(
        &op, s3, &local, remote, manifest, site, options, &counter,
    ))?;
    report.requests = counter.requests.load(Ordering::Relaxed);
    report.retries = counter.retries.load(Ordering::Relaxed);
    Ok(report)
}

fn operator(s3: &S3Target, counter: Arc<Counter>) -> opendal::Result<Operator> {
    let mut b = opendal::services::S3::default()
        .endpoint(&s3.endpoint)
        .bucket(&s3.bucket)
        .region(&s3.region)
        .root(&format!("/{}", s3.prefix))
        // Off a cloud VM, asking the metadata address for a key only waits.
        .disable_ec2_metadata();
    if s3.virtual_host {
        b = b.enable_virtual_host_style();
    }
    if let Some(p) = &s3.profile {
        b = b.profile(p);
    }
    if let Some(acl) = &s3.acl {
        b = b.default_acl(acl);
    }
    Ok(Operator::new(b)?
        .layer(
            TimeoutLayer::new()
                .with_timeout(Duration::from_secs(60))
                .with_io_timeout(Duration::from_secs(20)),
        )
        .layer(
            RetryLayer::new()
                .with_max_times(s3.retries)
                .with_min_delay(Duration::from_millis(200))
                .with_max_delay(Duration::from_secs(10))
                .with_jitter()
                .with_notify(move |_: opendal::layers::RetryEvent<'_>| counter.retried()),
        ))
}

/// Counts requests and retries for the summary line.
#[derive(Debug, Default)]
struct Counter {
    requests: AtomicU64,
    retries: AtomicU64,
}

impl Counter {
    fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
        self.requests.fetch_add(1, Ordering::Relaxed);
    }

    fn add(&self, n: u64) {
        self.requests.fetch_add(n, Ordering::Relaxed);
    }
}

/// What the remote holds under the prefix, and pufa's manifest there.
/// A complete manifest stands for the listing (one request instead of one
/// per thousand keys, and seconds of the server's time) unless `verify`.
async fn fetch(
    op: &Operator,
    s3: &S3Target,
    counter: &Counter,
    verify: bool,
) -> Result<(FxHashMap<String, RemoteObject>, Manifest), DeployError> {
    let fail = |e: opendal::Error| explain(s3, &e);
    let mut manifest = None;
    if !verify {
        counter.add(1);
        match op.read(MANIFEST).await {
            Ok(bytes) => {
                let m = read_manifest(&bytes.to_vec());
                if m.complete {
                    return Ok((m.as_listing(), m));
                }
                manifest = Some(m);
            }
            // No manifest yet, or no bucket: the listing tells which.
            Err(e) if e.kind() == ErrorKind::NotFound => manifest = Some(Manifest::default()),
            Err(e) => return Err(fail(e)),
        }
    }
    let remote = list(op, counter).await.map_err(fail)?;
    let manifest = match manifest {
        Some(m) => m,
        None if remote.contains_key(MANIFEST) => {
            counter.add(1);
            read_manifest(&op.read(MANIFEST).await.map_err(fail)?.to_vec())
        }
        None => Manifest::default(),
    };
    Ok((remote, manifest))
}

fn read_manifest(bytes: &[u8]) -> Manifest {
    Manifest::decode(bytes).unwrap_or_else(|e| {
        eprintln!(
            "warning: {MANIFEST} in the bucket cannot be read ({e}); every file is uploaded again\n  警告：存储桶里的 {MANIFEST} 读不出来，所有文件将重新上传"
        );
        Manifest::default()
    })
}

#[allow(clippy::too_many_arguments)]
async fn run(
    op: &Operator,
    s3: &S3Target,
    local: &[LocalFile],
    remote: FxHashMap<String, RemoteObject>,
    manifest: Manifest,
    site: &Site<'_>,
    options: Options,
    counter: &Counter,
) -> Result<Report, DeployError> {
    let fail = |e: opendal::Error| explain(s3, &e);
    let mut plan = plan::plan(local, &remote, &manifest);
    // Claimed but perhaps never sent: compare the bytes with the ETag.
    let settled: Vec<(usize, Option<String>)> = plan
        .uploads
        .par_iter()
        .filter(|(_, why)| *why == Why::Unsure)
        .map(|&(i, _)| {
            let sent = super::body(&local[i]).map(|b| super::md5_hex(&b)).ok();
            let there = &remote[&local[i].key].etag;
            (i, sent.filter(|s| s == there))
        })
        .collect();
    let mut etags: FxHashMap<usize, String> = FxHashMap::default();
    for (i, etag) in settled {
        if let Some(etag) = etag {
            etags.insert(i, etag);
        }
    }
    plan.uploads.retain(|(i, _)| !etags.contains_key(i));
    plan.unchanged += etags.len();

    let mut report = Report {
        unchanged: plan.unchanged,
        foreign: plan.foreign,
        ..Report::default()
    };
    let waves = upload_waves(local, &plan, site);
    if options.dry_run {
        for wave in &waves {
            for &i in wave {
                let why = if remote.contains_key(&local[i].key) {
                    "changed"
                } else {
                    "new"
                };
                println!(
                    "upload  {}  ({}, {why})",
                    local[i].key,
                    super::human_bytes(local[i].size)
                );
                report.bytes += local[i].size;
                report.uploaded += 1;
            }
        }
        for key in &plan.deletions {
            println!("delete  {key}");
        }
        report.deleted = plan.deletions.len();
        return Ok(report);
    }

    if !plan.uploads.is_empty() {
        let claim = plan::claimed(&manifest, local, &plan);
        write_manifest(op, &claim, counter).await.map_err(fail)?;
    }
    let bar = options
        .progress
        .then(|| progress_bar(plan.uploads.len() + plan.deletions.len()));
    for wave in &waves {
        for chunk in wave.chunks(CHUNK) {
            let bodies: Vec<(usize, Vec<u8>)> = chunk
                .par_iter()
                .map(|&i| super::body(&local[i]).map(|b| (i, b)))
                .collect::<Result<_, _>>()
                .map_err(|e| DeployError::io(&local[chunk[0]].path, &e))?;
            let results: Vec<(usize, u64, opendal::Result<String>)> = futures::stream::iter(bodies)
                .map(|(i, body)| {
                    let f = &local[i];
                    let md5 = super::md5_hex(&body);
                    let len = body.len() as u64;
                    counter.add(1);
                    async move {
                        let opts = WriteOptions {
                            content_type: Some(f.headers.content_type.clone()),
                            cache_control: Some(f.headers.cache_control.clone()),
                            content_encoding: f.headers.content_encoding.clone(),
                            ..WriteOptions::default()
                        };
                        let r = op
                            .write_options(&f.key, body, opts)
                            .await
                            .map(|meta| meta.etag().map(plan::normal_etag).unwrap_or(md5));
                        (i, len, r)
                    }
                })
                .buffer_unordered(s3.jobs)
                .collect()
                .await;
            for (i, len, r) in results {
                let etag = r.map_err(fail)?;
                etags.insert(i, etag);
                report.uploaded += 1;
                report.bytes += len;
                report.keys.push(local[i].key.clone());
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
            }
        }
    }
    if !plan.deletions.is_empty() {
        counter.add(plan.deletions.len().div_ceil(1000) as u64);
        op.delete_iter(plan.deletions.iter().map(String::as_str))
            .await
            .map_err(fail)?;
        report.deleted = plan.deletions.len();
        if let Some(bar) = &bar {
            bar.inc(plan.deletions.len() as u64);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let done = final_manifest(local, &remote, &etags);
    if done != manifest || report.uploaded + report.deleted > 0 {
        write_manifest(op, &done, counter).await.map_err(fail)?;
    }
    Ok(report)
}

/// Every object under the prefix (recursively), by key.
async fn list(
    op: &Operator,
    counter: &Counter,
) -> opendal::Result<FxHashMap<String, RemoteObject>> {
    let entries = op
        .list_options(
            "",
            ListOptions {
                recursive: true,
                ..ListOptions::default()
            },
        )
        .await?;
    // One request per thousand keys (the S3 page size).
    counter.add(entries.len().div_ceil(1000).max(1) as u64);
    Ok(entries
        .into_iter()
        .filter(|e| !e.path().ends_with('/'))
        .map(|e| {
            let meta = e.metadata();
            let object = RemoteObject {
                etag: meta.etag().map(plan::normal_etag).unwrap_or_default(),
                size: meta.content_length(),
            };
            (e.path().trim_start_matches('/').to_string(), object)
        })
        .collect())
}

async fn write_manifest(op: &Operator, m: &Manifest, counter: &Counter) -> opendal::Result<()> {
    counter.add(1);
    // Plain gzip bytes, not `Content-Encoding: gzip`: an HTTP client that
    // decompresses by itself would hand back JSON, which reads too, but a
    // CDN in front might serve it either way; the bytes say what they are.
    let opts = WriteOptions {
        content_type: Some("application/gzip".into()),
        cache_control: Some("no-store".into()),
        ..WriteOptions::default()
    };
    op.write_options(MANIFEST, m.encode(), opts)
        .await
        .map(|_| ())
}

/// The manifest once every upload and deletion is done: exactly the site.
fn final_manifest(
    local: &[LocalFile],
    remote: &FxHashMap<String, RemoteObject>,
    etags: &FxHashMap<usize, String>,
) -> Manifest {
    let files = local
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let etag = etags
                .get(&i)
                .cloned()
                .or_else(|| remote.get(&f.key).map(|r| r.etag.clone()));
            (
                f.key.clone(),
                ManifestEntry {
                    md5: f.md5.clone(),
                    etag,
                    headers: f.headers.clone(),
                },
            )
        })
        .collect();
    Manifest {
        version: 1,
        complete: true,
        files,
    }
}

fn upload_waves(local: &[LocalFile], plan: &plan::Plan, site: &Site<'_>) -> Vec<Vec<usize>> {
    let new_pages = plan
        .uploads
        .iter()
        .any(|&(i, why)| why == Why::New && local[i].class == super::headers::Class::Page);
    // Links matter only when a page is new; reading them costs a pass over
    // every page to upload.
    let links: Vec<Vec<String>> = plan
        .uploads
        .par_iter()
        .map(|&(i, _)| {
            let f = &local[i];
            if new_pages && f.class == super::headers::Class::Page {
                std::fs::read(&f.path)
                    .map(|html| order::page_links(&html, &f.key, site))
                    .unwrap_or_default()
            } else {
                Vec::new()
            }
        })
        .collect();
    let items: Vec<Item<'_>> = plan
        .uploads
        .iter()
        .zip(&links)
        .map(|(&(i, why), links)| Item {
            key: &local[i].key,
            class: local[i].class,
            new: why == Why::New,
            links,
        })
        .collect();
    order::waves(&items)
        .into_iter()
        .map(|w| w.into_iter().map(|j| plan.uploads[j].0).collect())
        .collect()
}

fn progress_bar(len: usize) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} ({eta})")
            .expect("a valid template"),
    );
    bar
}

/// One paragraph in English and one in Chinese, saying what to check.
fn explain(s3: &S3Target, e: &opendal::Error) -> DeployError {
    let text = e.to_string();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let place = format!("bucket `{}` at {}", s3.bucket, s3.endpoint);
    let place_zh = format!("{} 上的存储桶「{}」", s3.endpoint, s3.bucket);
    let nothing = "Nothing was deleted; the site online is as it was, or partly updated, and the next deploy finishes the job.";
    let nothing_zh = "没有删除任何文件；线上网站保持原样或只更新了一部分，下次发布会把它补齐。";
    if has(&[
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "AccessDenied",
        "InvalidToken",
        "ExpiredToken",
    ]) || e.kind() == ErrorKind::PermissionDenied
    {
        return DeployError::new(
            format!(
                "the storage service refused pufa's key for {place} ({}). Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or the section `profile:` names in ~/.aws/credentials, and that the key may write to this bucket. {nothing}",
                code(&text)
            ),
            format!(
                "对象存储拒绝了 pufa 使用的密钥（{place_zh}，{}）。请检查环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或 ~/.aws/credentials 里 profile 指定的那一节，并确认这把密钥有写入该存储桶的权限。{nothing_zh}",
                code(&text)
            ),
        );
    }
    if has(&["NoSuchBucket"]) || e.kind() == ErrorKind::NotFound {
        return DeployError::new(
            format!(
                "{place} does not exist. Check `bucket:` and `endpoint:` (and `region:`) under `deploy:` in site.yaml, or create the bucket in the cloud console first. {nothing}"
            ),
            format!(
                "{place_zh} 不存在。请检查 site.yaml 里 deploy 下的 bucket、endpoint（以及 region），或先在云平台控制台创建这个存储桶。{nothing_zh}"
            ),
        );
    }
    if has(&["failed to load signing credential", "no valid credential"]) {
        return DeployError::new(
            format!(
                "pufa has no key for {place}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or write them in ~/.aws/credentials. {nothing}"
            ),
            format!(
                "pufa 找不到访问 {place_zh} 的密钥：请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，或写在 ~/.aws/credentials 文件里。{nothing_zh}"
            ),
        );
    }
    if e.is_temporary()
        || has(&[
            "error sending request",
            "connect",
            "dns",
            "timed out",
            "timeout",
        ])
    {
        return DeployError::new(
            format!(
                "cannot reach {} (tried {} times): {}. Check the network and `endpoint:` under `deploy:` in site.yaml. {nothing}",
                s3.endpoint,
                s3.retries + 1,
                short(&text)
            ),
            format!(
                "连不上 {}（已尝试 {} 次）。请检查网络，以及 site.yaml 里 deploy 下的 endpoint。{nothing_zh}",
                s3.endpoint,
                s3.retries + 1
            ),
        );
    }
    DeployError::new(
        format!("deploying to {place} failed: {}. {nothing}", short(&text)),
        format!("发布到 {place_zh} 失败：{}。{nothing_zh}", short(&text)),
    )
}

/// The S3 error code in an error's text (`S3Error { code: "NoSuchBucket", … }`
/// as OpenDAL writes it, or the XML itself).
fn code(text: &str) -> &str {
    let between = |open: &str, close: &str| {
        text.split(open)
            .nth(1)
            .and_then(|r| r.split(close).next())
            .filter(|c| !c.is_empty())
    };
    between("code: \"", "\"")
        .or_else(|| between("<Code>", "</Code>"))
        .unwrap_or("HTTP 403")
}

fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(300).collect()
}
