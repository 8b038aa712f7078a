//! `deploy:` in site.yaml: the named places `pufa deploy` puts the site.
//!
//! ```yaml
//! deploy:
//!   oss:                      # pufa deploy oss
//!     type: s3
//!     endpoint: https://oss-cn-hangzhou.aliyuncs.com
//!     bucket: gu-xian-fulian
//!     region: oss-cn-hangzhou
//!   www:
//!     type: dir
//!     path: /var/www/pufa
//! ```
//!
//! site.yaml is shared, committed and often published, so it never holds a
//! secret: a key that looks like one is an error at its line, and the S3
//! client reads credentials from the environment or ~/.aws files only.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::Diagnostic;

/// One `deploy:` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployTarget {
    pub name: String,
    pub kind: TargetKind,
    /// `Cache-Control: max-age` of HTML, feeds, sitemap and search index,
    /// in seconds; 0 (the default) means `no-cache`: revalidate every time,
    /// so a scheduled article shows up the moment it is deployed.
    pub html_max_age: u32,
    /// Send text files gzip-compressed (`Content-Encoding: gzip`), or for
    /// a `dir` target write `.gz` files beside them for nginx's `gzip_static`.
    pub gzip: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TargetKind {
    S3(S3Target),
    Dir(DirTarget),
}

#[derive(Debug, Clone, PartialEq)]
pub struct S3Target {
    /// `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000`.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    /// Folder inside the bucket: empty or ending with `/`.
    pub prefix: String,
    /// `bucket.endpoint/key` (OSS, COS, OBS, AWS) rather than
    /// `endpoint/bucket/key` (MinIO, local servers).
    pub virtual_host: bool,
    /// The profile in ~/.aws/credentials, if not the default one.
    pub profile: Option<String>,
    /// Canned ACL for each object (`public-read`), if the bucket needs one.
    pub acl: Option<String>,
    /// Uploads in flight at once.
    pub jobs: usize,
    /// Tries per request after the first, on timeouts, 5xx and dropped connections.
    pub retries: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DirTarget {
    /// Absolute, or relative to the site folder.
    pub path: PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    #[serde(rename = "type")]
    kind: String,
    endpoint: Option<String>,
    bucket: Option<String>,
    region: Option<String>,
    prefix: Option<String>,
    addressing: Option<String>,
    profile: Option<String>,
    acl: Option<String>,
    jobs: Option<usize>,
    retries: Option<usize>,
    path: Option<PathBuf>,
    html_max_age: Option<u32>,
    gzip: Option<bool>,
}

const TARGET_KEYS: &[&str] = &[
    "type",
    "endpoint",
    "bucket",
    "region",
    "prefix",
    "addressing",
    "profile",
    "acl",
    "jobs",
    "retries",
    "path",
    "html_max_age",
    "gzip",
];

/// Words in a key that mean it holds a secret.
const SECRET_WORDS: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "token",
    "access_key",
    "accesskey",
    "access-key",
    "credential",
    "private",
    "sk",
    "ak",
];

/// The validated `deploy:` section; `text` is site.yaml, for line numbers.
pub fn targets(
    raw: Option<serde_yaml::Value>,
    root: &Path,
    text: &str,
) -> Result<Vec<DeployTarget>, Vec<Diagnostic>> {
    let shown = Path::new(super::FILE_NAME);
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let serde_yaml::Value::Mapping(map) = raw else {
        return Err(vec![
            at(text, &[], Diagnostic::error(shown, "`deploy` must list named targets"))
                .hint("write `deploy:`, then a name on the next line indented by two spaces, then that target's `type:` and settings under it")
                .zh("deploy 下面要写一个个有名字的发布目标")
                .hint_zh("先写「deploy:」，下一行缩进两格写目标名（如「oss:」），再在它下面写「type:」等设置"),
        ]);
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (name, value) in map {
        let Some(name) = name.as_str().map(str::to_string) else {
            errors.push(at(
                text,
                &[],
                Diagnostic::error(shown, "a deploy target's name must be text")
                    .zh("发布目标的名字要写成文字")
                    .hint("name each target with a word, e.g. `oss:`")
                    .hint_zh("给每个发布目标起个名字，例如「oss:」"),
            ));
            continue;
        };
        match target(&name, value, root, text) {
            Ok(t) => out.push(t),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn target(
    name: &str,
    value: serde_yaml::Value,
    root: &Path,
    text: &str,
) -> Result<DeployTarget, Vec<Diagnostic>> {
    let shown = Path::new(super::FILE_NAME);
    let err = |keys: &[&str], msg: String| at(text, keys, Diagnostic::error(shown, msg));
    // Secrets first: serde would only call them unknown keys.
    if let serde_yaml::Value::Mapping(m) = &value {
        let secrets: Vec<Diagnostic> = m
            .keys()
            .filter_map(|k| k.as_str())
            .filter(|k| looks_secret(k))
            .map(|k| secret_error(text, name, k))
            .collect();
        if !secrets.is_empty() {
            return Err(secrets);
        }
    }
    let raw: RawTarget = serde_yaml::from_value(value).map_err(|e| {
        let msg = e.to_string();
        let unknown = msg
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next());
        vec![match unknown {
            Some(key) => {
                let d = err(&[name, key], format!("deploy.{name}: unknown setting `{key}`"))
                    .zh(format!("发布目标 {name} 里有无法识别的设置「{key}」"));
                match crate::yaml::did_you_mean(key, TARGET_KEYS) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")).hint_zh(format!("你是不是想写「{s}」？")),
                    None => d
                        .hint(format!("the settings are: {}", TARGET_KEYS.join(", ")))
                        .hint_zh(format!("可用的设置项：{}", TARGET_KEYS.join("、"))),
                }
            }
            None => err(&[name], format!("deploy.{name}: {msg}"))
                .hint("each target needs `type: s3` (with endpoint, bucket, region) or `type: dir` (with path)")
                .zh(format!("发布目标 {name} 写得不对"))
                .hint_zh("每个目标要写「type: s3」（加 endpoint、bucket、region）或「type: dir」（加 path）"),
        }]
    })?;
    let html_max_age = raw.html_max_age.unwrap_or(0);
    let gzip = raw.gzip.unwrap_or(false);
    let kind = match raw.kind.as_str() {
        "s3" => TargetKind::S3(s3_target(name, raw, text)?),
        "dir" => {
            let Some(path) = raw.path else {
                return Err(vec![
                    err(
                        &[name],
                        format!("deploy.{name}: a `dir` target needs a `path`"),
                    )
                    .hint("add e.g. `path: /var/www/pufa`, the folder nginx serves")
                    .zh(format!("发布目标 {name} 缺少 path（文件夹）"))
                    .hint_zh("加一行，例如「path: /var/www/pufa」，即 nginx 提供服务的文件夹"),
                ]);
            };
            TargetKind::Dir(DirTarget {
                path: root.join(path),
            })
        }
        other => {
            return Err(vec![
                err(&[name, "type"], format!("deploy.{name}: unknown type `{other}`"))
                    .hint("use `type: s3` for object storage (OSS, COS, OBS, MinIO, AWS) or `type: dir` for a folder on this computer")
                    .zh(format!("发布目标 {name} 的类型「{other}」无法识别"))
                    .hint_zh("对象存储（阿里云 OSS、腾讯云 COS、华为云 OBS 等）写「type: s3」，本机文件夹写「type: dir」"),
            ]);
        }
    };
    Ok(DeployTarget {
        name: name.to_string(),
        kind,
        html_max_age,
        gzip,
    })
}

fn s3_target(name: &str, raw: RawTarget, text: &str) -> Result<S3Target, Vec<Diagnostic>> {
    let shown = Path::new(super::FILE_NAME);
    let mut errors = Vec::new();
    let mut missing = |key: &str, example: &str| {
        errors.push(
            at(
                text,
                &[name],
                Diagnostic::error(
                    shown,
                    format!("deploy.{name}: an `s3` target needs `{key}`"),
                ),
            )
            .hint(format!("add e.g. `{key}: {example}`"))
            .zh(format!("发布目标 {name} 缺少 {key}"))
            .hint_zh(format!("加一行，例如「{key}: {example}」")),
        );
    };
    if raw.endpoint.is_none() {
        missing("endpoint", "https://oss-cn-hangzhou.aliyuncs.com");
    }
    if raw.bucket.is_none() {
        missing("bucket", "gu-xian-fulian");
    }
    let endpoint = raw.endpoint.unwrap_or_default();
    let endpoint = endpoint.trim_end_matches('/').to_string();
    let host = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://"));
    match host {
        None if !endpoint.is_empty() => errors.push(
            at(text, &[name, "endpoint"], Diagnostic::error(shown, format!("deploy.{name}: the endpoint `{endpoint}` must start with https:// or http://")))
                .zh(format!("发布目标 {name} 的 endpoint 要以 https:// 开头"))
                .hint("write the service's full address, e.g. `endpoint: https://oss-cn-hangzhou.aliyuncs.com`")
                .hint_zh("写服务的完整地址，例如「endpoint: https://oss-cn-hangzhou.aliyuncs.com」"),
        ),
        Some(h) if h.contains('@') => errors.push(secret_error(text, name, "endpoint")),
        _ => {}
    }
    let virtual_host = match raw.addressing.as_deref() {
        Some("virtual") => true,
        Some("path") => false,
        // Local servers (MinIO, moto) are addressed by path; the clouds by host.
        None => !host.is_some_and(is_local_host),
        Some(other) => {
            errors.push(
                at(text, &[name, "addressing"], Diagnostic::error(shown, format!("deploy.{name}: addressing `{other}` is neither `virtual` nor `path`")))
                    .hint("OSS, COS, OBS and AWS use `virtual` (the default); MinIO and local servers use `path`")
                    .zh(format!("发布目标 {name} 的 addressing 只能是 virtual 或 path"))
                    .hint_zh("阿里云 OSS、腾讯云 COS、华为云 OBS 和 AWS 用 virtual（默认）；MinIO 和本机服务用 path"),
            );
            false
        }
    };
    let jobs = raw.jobs.unwrap_or(8);
    if jobs == 0 || jobs > 64 {
        errors.push(
            at(
                text,
                &[name, "jobs"],
                Diagnostic::error(
                    shown,
                    format!("deploy.{name}: `jobs` must be between 1 and 64"),
                ),
            )
            .zh(format!(
                "发布目标 {name} 的 jobs（同时上传数）要在 1 到 64 之间"
            ))
            .hint("leave `jobs:` out for the default, 8")
            .hint_zh("删掉「jobs:」这一行就用默认值 8"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let prefix = raw.prefix.unwrap_or_default();
    let prefix = prefix.trim_matches('/');
    Ok(S3Target {
        endpoint,
        bucket: raw.bucket.unwrap_or_default(),
        region: raw.region.unwrap_or_else(|| "us-east-1".to_string()),
        prefix: if prefix.is_empty() {
            String::new()
        } else {
            format!("{prefix}/")
        },
        virtual_host,
        profile: raw.profile,
        acl: raw.acl,
        jobs,
        retries: raw.retries.unwrap_or(4),
    })
}

fn is_local_host(host: &str) -> bool {
    let host = host.split('/').next().unwrap_or(host);
    let name = match host.rsplit_once(':') {
        Some((n, port)) if port.chars().all(|c| c.is_ascii_digit()) => n,
        _ => host,
    };
    name == "localhost"
        || name
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok()
}

fn looks_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.split(['_', '-'])
        .any(|part| SECRET_WORDS.contains(&part))
        || SECRET_WORDS
            .iter()
            .filter(|w| w.len() > 2)
            .any(|w| key.contains(w))
}

fn secret_error(text: &str, name: &str, key: &str) -> Diagnostic {
    let shown = Path::new(super::FILE_NAME);
    at(
        text,
        &[name, key],
        Diagnostic::error(
            shown,
            format!("deploy.{name}.{key}: a secret is written into site.yaml"),
        ),
    )
    .hint("delete it here: site.yaml is shared and published with the site. Give the key to pufa in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) or in ~/.aws/credentials (choose a section with `profile:`), then change the key, since it has been seen")
    .zh(format!("发布目标 {name} 的 {key} 把密钥写进了 site.yaml"))
    .hint_zh("请删掉这一行：site.yaml 会被共享、提交，甚至随网站发布。密钥请放在环境变量（AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY）或 ~/.aws/credentials 文件里（用「profile:」选其中一节），并到云平台更换这把已经泄露的密钥")
}

/// Positions `d` at the line of `deploy:` → `keys[0]:` → `keys[1]:`, as
/// deep as they are found.
fn at(text: &str, keys: &[&str], d: Diagnostic) -> Diagnostic {
    match nested_key_line(text, keys) {
        Some((line, col)) => d.at(line, col),
        None => d,
    }
}

/// The line and column of `deploy:` and then of each nested key in turn,
/// each looked for among the lines indented deeper than its parent.
fn nested_key_line(text: &str, keys: &[&str]) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = crate::yaml::key_line(text, "deploy")? - 1;
    let mut col = 1;
    let mut indent = 0;
    for key in keys {
        let found = lines
            .iter()
            .enumerate()
            .skip(at + 1)
            .take_while(|(_, l)| {
                l.trim().is_empty() || leading(l) > indent || l.trim_start().starts_with('#')
            })
            .find(|(_, l)| {
                let body = l.trim_start();
                body.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
                    || body
                        .strip_prefix(&format!("\"{key}\""))
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
            });
        match found {
            Some((i, l)) => {
                at = i;
                indent = leading(l);
                col = indent + 1;
            }
            None => break,
        }
    }
    Some((at + 1, col))
}

fn leading(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<DeployTarget>, Vec<Diagnostic>> {
        let v: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
        targets(v.get("deploy").cloned(), Path::new("/site"), text)
    }

    #[test]
    fn an_s3_target_gets_its_defaults() {
        let t = parse("title: x\ndeploy:\n  oss:\n    type: s3\n    endpoint: https://oss-cn-hangzhou.aliyuncs.com/\n    bucket: b\n    prefix: /site/\n").unwrap();
        let TargetKind::S3(s3) = &t[0].kind else {
            panic!()
        };
        assert_eq!(s3.endpoint, "https://oss-cn-hangzhou.aliyuncs.com");
        assert_eq!(s3.prefix, "site/");
        assert!(s3.virtual_host);
        assert_eq!((s3.jobs, s3.retries, t[0].html_max_age), (8, 4, 0));
        let t = parse(
            "deploy:\n  local:\n    type: s3\n    endpoint: http://127.0.0.1:9000\n    bucket: b\n",
        )
        .unwrap();
        let TargetKind::S3(s3) = &t[0].kind else {
            panic!()
        };
        assert!(!s3.virtual_host, "local servers are addressed by path");
    }

    #[test]
    fn a_secret_is_an_error_at_its_line() {
        let text = "title: x\ndeploy:\n  oss:\n    type: s3\n    bucket: b\n    endpoint: https://e\n    secret_access_key: abc\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (7, 5));
        assert!(e[0].message.contains("secret"), "{}", e[0].message);
        for key in [
            "access_key_id",
            "AccessKeySecret",
            "password",
            "sk",
            "session-token",
        ] {
            let text = format!("deploy:\n  cos:\n    type: s3\n    {key}: x\n");
            let e = parse(&text).unwrap_err();
            assert_eq!(e[0].line, 4, "{key}");
        }
        let text = "deploy:\n  oss:\n    type: s3\n    bucket: b\n    endpoint: https://AKID:SECRET@oss.example.com\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e[0].line, 5);
    }

    #[test]
    fn mistakes_name_the_key() {
        let e = parse("deploy:\n  oss:\n    type: s3\n    bucket: b\n    endpont: https://e\n")
            .unwrap_err();
        assert_eq!(e[0].line, 5);
        assert!(e[0].hint.as_deref().unwrap().contains("endpoint"));
        let e = parse("deploy:\n  www:\n    type: dir\n").unwrap_err();
        assert_eq!(e[0].line, 2);
        let e = parse("deploy:\n  www:\n    type: ftp\n").unwrap_err();
        assert_eq!(e[0].line, 3);
    }
}
