//! `pufa deploy [TARGET]`: put the built site on the targets of `deploy:`.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use pufa::config::Config;
use pufa::config::deploy::{DeployTarget, TargetKind};
use pufa::deploy::{self, DeployError, Options, Report, human_bytes};

use super::{Failure, Said, load_config};
use crate::cli::DeployArgs;

pub fn run(args: &DeployArgs) -> Result<(), Failure> {
    let config = load_config(&args.root, None)?;
    let targets = selected(&config, args.target.as_deref())?;
    if args.nginx_conf {
        return print_nginx_conf(&config, &targets, &args.listen);
    }
    let public = args
        .output
        .clone()
        .unwrap_or_else(|| args.root.join("public"));
    let options = Options {
        dry_run: args.dry_run,
        progress: std::io::stderr().is_terminal(),
        verify: args.verify,
    };
    deploy_to(&config, &public, &targets, options, true).map(|_| ())
}

/// Deploys `public` to each target in turn, printing a summary line for
/// each if `say`; stops at the first failure (printed, exit status 1; a
/// `dir` target's folder that pufa will not write is refused before anything
/// is touched, exit status 2 as in `pufa build`).
pub fn deploy_to(
    config: &Config,
    public: &Path,
    targets: &[&DeployTarget],
    options: Options,
    say: bool,
) -> Result<Vec<Report>, Failure> {
    let site = deploy::order::Site {
        origin: &config.origin,
        base_path: &config.base_path,
    };
    let mut reports = Vec::new();
    for target in targets {
        let started = Instant::now();
        match deploy::deploy(public, target, &config.root, &site, options) {
            Ok(report) => {
                if say {
                    eprintln!("{}", summary(target, &report, options, started.elapsed()));
                }
                reports.push(report);
            }
            Err(DeployError {
                refusal: Some(refusal),
                ..
            }) => return Err(Failure::Refused(*refusal)),
            Err(e) => {
                eprintln!("{}", Said::new(e.message, e.message_zh));
                return Err(Failure::Site);
            }
        }
    }
    Ok(reports)
}

/// One line, English then Chinese: what went where, how much, how long
/// (tests/it/deploy_s3.rs and bench/deploy.py read the English half); and
/// a second pair of lines when the prefix holds objects pufa did not put
/// there.
pub fn summary(
    target: &DeployTarget,
    r: &Report,
    options: Options,
    took: std::time::Duration,
) -> String {
    let (verb, verb_zh) = if options.dry_run {
        ("would deploy", "预演（什么都没改），将发布")
    } else {
        ("deployed", "已发布")
    };
    // A `dir` target's files are copied into a folder on this computer.
    let (sent, sent_zh) = match target.kind {
        TargetKind::Dir(_) => ("copied", "复制"),
        TargetKind::S3(_) => ("uploaded", "上传"),
    };
    let (name, size) = (&target.name, human_bytes(r.bytes));
    let mut en = format!(
        "{verb} to {name}: {} {sent} ({size}), {} deleted, {} unchanged",
        r.uploaded, r.deleted, r.unchanged
    );
    let mut zh = format!(
        "{verb_zh}到 {name}：{sent_zh} {} 个（{size}），删除 {} 个，未变 {} 个",
        r.uploaded, r.deleted, r.unchanged
    );
    if let TargetKind::S3(_) = target.kind {
        let s = if r.requests == 1 { "" } else { "s" };
        en.push_str(&format!("; {} request{s}", r.requests));
        zh.push_str(&format!("；请求 {} 次", r.requests));
        if r.retries > 0 {
            en.push_str(&format!(" ({} retried)", r.retries));
            zh.push_str(&format!("（重试 {} 次）", r.retries));
        }
    }
    let secs = took.as_secs_f64();
    let mut line = format!("{en} in {secs:.1} s · {zh}，用时 {secs:.1} 秒");
    if r.foreign > 0 {
        line.push_str(&format!(
            "\n  {0} other objects under the prefix were not put there by pufa and are left as they are\n  前缀下另有 {0} 个对象不是 pufa 放的，原样保留",
            r.foreign
        ));
    }
    line
}

/// The targets named (or all of them), or a usage error saying what exists.
pub fn selected<'c>(
    config: &'c Config,
    name: Option<&str>,
) -> Result<Vec<&'c DeployTarget>, Failure> {
    if config.deploy.is_empty() {
        return Err(Said::new(
            "site.yaml has no `deploy:` targets",
            "site.yaml 里还没有发布目标（deploy:）",
        )
        .hint(
            "add one like this (docs/deploy.md has OSS, COS, OBS and nginx examples)",
            "照下面的样子在 site.yaml 里添加一个（docs/deploy.md 有阿里云 OSS、腾讯云 COS、华为云 OBS 和 nginx 的例子）",
        )
        .example(
            "deploy:\n  oss:\n    type: s3\n    endpoint: https://oss-cn-hangzhou.aliyuncs.com\n    bucket: your-bucket\n    region: oss-cn-hangzhou",
        )
        .into());
    }
    match name {
        None => Ok(config.deploy.iter().collect()),
        Some(name) => match config.deploy.iter().find(|t| t.name == name) {
            Some(t) => Ok(vec![t]),
            None => {
                let names: Vec<&str> = config.deploy.iter().map(|t| t.name.as_str()).collect();
                Err(Said::new(
                    format!(
                        "no deploy target `{name}` in site.yaml; the targets are: {}",
                        names.join(", ")
                    ),
                    format!(
                        "site.yaml 里没有名为「{name}」的发布目标；现有的发布目标：{}",
                        names.join("、")
                    ),
                )
                .into())
            }
        },
    }
}

fn print_nginx_conf(
    config: &Config,
    targets: &[&DeployTarget],
    listen: &str,
) -> Result<(), Failure> {
    let dirs: Vec<_> = targets
        .iter()
        .filter_map(|t| match &t.kind {
            TargetKind::Dir(d) => Some((*t, d)),
            TargetKind::S3(_) => None,
        })
        .collect();
    let [(target, dir)] = dirs.as_slice() else {
        return Err(Said::new(
            "--nginx-conf needs one `type: dir` target",
            "--nginx-conf 需要指定一个 type: dir 的发布目标",
        )
        .hint(
            "name it: pufa deploy NAME --nginx-conf",
            "写上它的名字：pufa deploy 名字 --nginx-conf",
        )
        .into());
    };
    print!(
        "{}",
        deploy::nginx::server_block(target, dir, &config.base_url, listen)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pufa::config::deploy::S3Target;

    fn oss() -> DeployTarget {
        DeployTarget {
            name: "oss".into(),
            kind: TargetKind::S3(S3Target {
                endpoint: "https://oss-cn-hangzhou.aliyuncs.com".into(),
                bucket: "b".into(),
                region: "oss-cn-hangzhou".into(),
                prefix: "pufa/".into(),
                virtual_host: true,
                profile: None,
                acl: None,
                jobs: 8,
                retries: 3,
            }),
            html_max_age: 0,
            gzip: true,
        }
    }

    #[test]
    fn the_summary_is_english_then_chinese_with_the_foreign_objects_below() {
        let report = Report {
            uploaded: 14,
            bytes: 317_645,
            deleted: 2,
            unchanged: 190,
            foreign: 3,
            requests: 19,
            retries: 2,
            keys: Vec::new(),
        };
        let took = std::time::Duration::from_millis(1_230);
        assert_eq!(
            summary(&oss(), &report, Options::default(), took),
            "deployed to oss: 14 uploaded (310.2 KB), 2 deleted, 190 unchanged; 19 requests (2 retried) in 1.2 s · 已发布到 oss：上传 14 个（310.2 KB），删除 2 个，未变 190 个；请求 19 次（重试 2 次），用时 1.2 秒
  3 other objects under the prefix were not put there by pufa and are left as they are
  前缀下另有 3 个对象不是 pufa 放的，原样保留"
        );
        let one = Report {
            requests: 1,
            ..Report::default()
        };
        let dry = Options {
            dry_run: true,
            ..Options::default()
        };
        assert_eq!(
            summary(&oss(), &one, dry, took),
            "would deploy to oss: 0 uploaded (0 B), 0 deleted, 0 unchanged; 1 request in 1.2 s · 预演（什么都没改），将发布到 oss：上传 0 个（0 B），删除 0 个，未变 0 个；请求 1 次，用时 1.2 秒"
        );
    }
}
