//! `pufa deploy [TARGET]`: put the built site on the targets of `deploy:`.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use pufa::config::Config;
use pufa::config::deploy::{DeployTarget, TargetKind};
use pufa::deploy::{self, DeployError, Options, Report, human_bytes};

use super::{Failure, load_config};
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
                let esc = pufa::diagnostics::escape_controls;
                eprintln!("error: {}\n错误：{}", esc(&e.message), esc(&e.message_zh));
                return Err(Failure::Site);
            }
        }
    }
    Ok(reports)
}

/// One line: what went where, how much, how long.
pub fn summary(
    target: &DeployTarget,
    r: &Report,
    options: Options,
    took: std::time::Duration,
) -> String {
    let verb = if options.dry_run {
        "would deploy"
    } else {
        "deployed"
    };
    // A `dir` target's files are copied into a folder on this computer.
    let sent = match target.kind {
        TargetKind::Dir(_) => "copied",
        TargetKind::S3(_) => "uploaded",
    };
    let mut line = format!(
        "{verb} to {}: {} {sent} ({}), {} deleted, {} unchanged",
        target.name,
        r.uploaded,
        human_bytes(r.bytes),
        r.deleted,
        r.unchanged
    );
    if let TargetKind::S3(_) = target.kind {
        let s = if r.requests == 1 { "" } else { "s" };
        line.push_str(&format!("; {} request{s}", r.requests));
        if r.retries > 0 {
            line.push_str(&format!(" ({} retried)", r.retries));
        }
    }
    line.push_str(&format!(" in {:.1} s", took.as_secs_f64()));
    if r.foreign > 0 {
        line.push_str(&format!(
            "\n  {} other objects under the prefix were not put there by pufa and are left as they are",
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
        return Err(Failure::Usage(
            "site.yaml has no `deploy:` targets. Add one, e.g.\n\n\
             deploy:\n  oss:\n    type: s3\n    endpoint: https://oss-cn-hangzhou.aliyuncs.com\n    bucket: your-bucket\n    region: oss-cn-hangzhou\n\n\
             (docs/deploy.md has OSS, COS, OBS and nginx examples)\n\
             site.yaml 里还没有发布目标（deploy），请按上面的样子添加"
                .to_string(),
        ));
    }
    match name {
        None => Ok(config.deploy.iter().collect()),
        Some(name) => match config.deploy.iter().find(|t| t.name == name) {
            Some(t) => Ok(vec![t]),
            None => {
                let names: Vec<&str> = config.deploy.iter().map(|t| t.name.as_str()).collect();
                Err(Failure::Usage(format!(
                    "no deploy target `{name}` in site.yaml; the targets are: {}\nsite.yaml 里没有名为「{name}」的发布目标",
                    names.join(", ")
                )))
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
        return Err(Failure::Usage(
            "--nginx-conf needs one `type: dir` target: name it (pufa deploy NAME --nginx-conf)\n--nginx-conf 需要指定一个 type: dir 的发布目标".to_string(),
        ));
    };
    print!(
        "{}",
        deploy::nginx::server_block(target, dir, &config.base_url, listen)
    );
    Ok(())
}
