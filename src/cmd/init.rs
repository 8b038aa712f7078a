//! `pufa init DIR`: a minimal site that builds, for editors to start from.

use std::path::Path;

use super::Failure;
use crate::cli::InitArgs;

const SITE_YAML: &str = r#"# 站点配置 — the site's settings. See README.md for every key.
title: 我的普法园地
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
        return Err(Failure::Usage(format!(
            "{} already has a site.yaml; pufa init never overwrites a site",
            dir.display()
        )));
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
    std::fs::create_dir_all(dir.join("static")).map_err(|e| Failure::Usage(e.to_string()))?;
    eprintln!(
        "created a site in {}\nnext: cd {} && pufa build   (the site appears in public/)",
        dir.display(),
        dir.display()
    );
    Ok(())
}

fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::Usage(format!("cannot create {}: {e}", parent.display())))?;
    }
    if path.exists() {
        return Err(Failure::Usage(format!("{} already exists", path.display())));
    }
    std::fs::write(path, text)
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))
}
