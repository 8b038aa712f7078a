//! `pufa init DIR`: a minimal site that builds, for editors to start from.

use std::path::Path;

use super::{Failure, Said};
use crate::cli::InitArgs;

const SITE_YAML: &str = r#"# 站点配置 — the site's settings. See README.md for every key.
title: 我的普法园地
# 网站地址：发布前改成读者访问的网址 · the address readers use; change it before publishing
base_url: https://example.cn/
description: 面向妇女儿童和家庭的法律知识与维权指南
timezone: Asia/Shanghai
hotline:
  number: "12338"
  label: 妇女维权公益服务热线
# icp: 某ICP备00000000号
"#;

const SECTION: &str = "---\ntitle: 普法教育\ndescription: 讲清楚与家庭生活相关的法律规定\n---\n";

const ARTICLE: &str = r#"---
title: 家暴不是家务事
date: 2026-11-25 08:00
summary: 遭受家庭暴力，可以向公安机关报案，也可以向人民法院申请人身安全保护令。
laws: ["反家庭暴力法"]
audiences: ["妇女"]
tags: ["家庭暴力", "人身安全保护令"]
---

《中华人民共和国反家庭暴力法》第二十三条第一款规定：

> 当事人因遭受家庭暴力或者面临家庭暴力的现实危险，向人民法院申请人身安全保护令的，人民法院应当受理。

**遇到家暴怎么办：**

1. 立即离开危险环境，拨打 110 报警；
2. 到医院就诊，保存病历和照片；
3. 拨打 12338 妇女维权公益服务热线求助。
"#;

pub fn run(args: &InitArgs) -> Result<(), Failure> {
    let dir = &args.dir;
    if dir.join("site.yaml").exists() {
        return Err(Said::new(
            format!(
                "{} already has a site.yaml; pufa init never overwrites a site",
                dir.display()
            ),
            format!(
                "{} 里已经有 site.yaml；pufa init 不会覆盖已有的网站",
                dir.display()
            ),
        )
        .hint(
            "name a new folder: pufa init mysite",
            "换一个新文件夹：pufa init mysite",
        )
        .into());
    }
    let files: [(&str, &str); 4] = [
        ("site.yaml", SITE_YAML),
        ("content/education/_index.md", SECTION),
        ("content/education/jiabao-bushi-jiawushi.md", ARTICLE),
        (".gitignore", "/public/\n/.public.*\n/.*.lock\n"),
    ];
    for (rel, text) in files {
        write_new(&dir.join(rel), text)?;
    }
    let statics = dir.join("static");
    std::fs::create_dir_all(&statics).map_err(|e| cannot_create(&statics, &e))?;
    let (pufa, on_path) = how_to_run();
    let cd = quoted(&dir.display().to_string());
    eprintln!("已新建网站：{0} · created a site in {0}", dir.display());
    eprintln!(
        "下一步 / next: cd {cd} && {pufa} serve   （在浏览器里预览 · preview it in the browser）"
    );
    eprintln!(
        "  发布前：改 site.yaml 里的 base_url（网站地址），然后 {pufa} build（网站生成在 public/）"
    );
    eprintln!(
        "  before publishing: set base_url (the site's address) in site.yaml, then {pufa} build (the site is written to public/)"
    );
    if !on_path {
        eprintln!(
            "  提示：pufa 还不在命令路径（PATH）里，所以上面写了它的完整路径；想直接输入 pufa，请按 README 的“安装”一节安装：cargo install --path <pufa 源码文件夹>"
        );
        eprintln!(
            "  hint: pufa is not on your PATH, so its full path is shown above; to type just `pufa`, install it as README's \"Installation\" says: cargo install --path <pufa's source folder>"
        );
    }
    Ok(())
}

/// How the editor runs this very program: `pufa` when the `pufa` found on
/// the PATH is this program, else its full path (and `false`).
fn how_to_run() -> (String, bool) {
    let Ok(me) = std::env::current_exe().and_then(|p| p.canonicalize()) else {
        return ("pufa".to_string(), false);
    };
    let name = format!("pufa{}", std::env::consts::EXE_SUFFIX);
    let on_path = std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths)
            .filter_map(|dir| dir.join(&name).canonicalize().ok())
            .next()
            .is_some_and(|found| found == me)
    });
    if on_path {
        ("pufa".to_string(), true)
    } else {
        (quoted(&me.display().to_string()), false)
    }
}

/// A path as a shell reads it: in quotes if it has spaces.
fn quoted(path: &str) -> String {
    if path.contains(char::is_whitespace) {
        format!("\"{path}\"")
    } else {
        path.to_string()
    }
}

fn cannot_create(path: &Path, e: &std::io::Error) -> Failure {
    Said::new(
        format!("cannot create {}: {e}", path.display()),
        format!("无法创建 {}：{e}", path.display()),
    )
    .into()
}

fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| cannot_create(parent, &e))?;
    }
    if path.exists() {
        return Err(Said::new(
            format!("{} already exists", path.display()),
            format!("{} 已经存在", path.display()),
        )
        .hint(
            "pufa init needs an empty or new folder",
            "pufa init 需要一个空的或者新的文件夹",
        )
        .into());
    }
    std::fs::write(path, text).map_err(|e| {
        Said::new(
            format!("cannot write {}: {e}", path.display()),
            format!("无法写入 {}：{e}", path.display()),
        )
        .into()
    })
}
