//! Bounded cost on hostile input (issue 21): whatever an article, a data
//! file or site.yaml holds, pufa's time and memory stay proportional to its
//! size, and files it cannot read in bounded time (pipes, devices, endless
//! files) are refused with an error naming them.
//!
//! Each test asserts work done, not speed: the limits are many times what
//! the fixed code needs in a debug build, and many times less than the old
//! code took.

use std::time::{Duration, Instant};

use assert_cmd::Command;

use crate::support::{NOW, Site, article};

/// One finished (or stopped) run of the binary.
struct Run {
    /// `None` when the run was stopped at its time limit (or by a signal).
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
}

/// `pufa ARGS --root <site>`, stopped after `limit`.
fn pufa_within(site: &Site, args: &[&str], limit: Duration) -> Run {
    let started = Instant::now();
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("PUFA_NOW", NOW)
        .timeout(limit)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// A minimal site: it knows the 民法典 from pufa's law library.
fn site_with_statutes() -> Site {
    Site::minimal()
}

// ---------------------------------------------------------------------------
// Finding 5: positions of citations, links and warnings.

#[test]
fn an_article_with_a_citation_in_every_paragraph_builds_in_linear_time() {
    // 4 MB, 60,000 paragraphs: each citation's line was found by reading
    // the article from its start, 49 s in a release build. Now about 3 s
    // in a debug build.
    let site = site_with_statutes();
    let paragraph = "根据《中华人民共和国民法典》第一千零四十二条，禁止包办、买卖婚姻。又见民法典第1043条。\n\n";
    let n = 4 * 1024 * 1024 / paragraph.len() + 1;
    let body = paragraph.repeat(n);
    site.write(
        "content/news/big.md",
        &article("大", "2026-01-01", "", &body),
    );
    let run = pufa_within(&site, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    eprintln!("4 MB of citations built in {:?}", run.elapsed);
    let page = site.read("public/news/big/index.html");
    assert!(page.matches("/statutes/minfadian/c11/#a1042\"").count() >= n);
}

#[test]
fn quotes_nested_deep_or_signed_many_times_cite_in_linear_time() {
    // Each blockquote is read for its source (`——《…》`) and what it
    // quotes: looking for its end from its start, for 100,000 quotes
    // inside each other, would read the article 100,000 times.
    let site = site_with_statutes();
    let deep = format!("{}民法典第1042条。第1043条\n\n", "> ".repeat(100_000));
    let signed = "> 第1042条\n>\n> ——《中华人民共和国民法典》\n\n".repeat(20_000);
    site.write(
        "content/news/quotes.md",
        &article("引", "2026-01-01", "", &format!("{deep}{signed}")),
    );
    let run = pufa_within(&site, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    eprintln!("deep and signed quotes built in {:?}", run.elapsed);
    let page = site.read("public/news/quotes/index.html");
    let cite = |n: u32| format!("<a class=\"cite\" href=\"/statutes/minfadian/c11/#a{n}\"");
    assert_eq!(page.matches(&cite(1042)).count(), 20_001);
    assert!(page.contains(&cite(1043)));
}

#[test]
fn a_paragraph_of_many_lines_of_inline_html_builds_in_linear_time() {
    // Each soft break looked back through the paragraph for the last
    // character of text, and ahead for the next one: 20,000 lines of
    // `<i></i>` between two Chinese characters took 18 s in a debug build.
    let site = Site::minimal();
    let body = format!("中{}\n文", "\n<i></i>".repeat(40_000));
    site.write("content/news/a.md", &article("甲", "2026-01-01", "", &body));
    let run = pufa_within(&site, &["build"], Duration::from_secs(30));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Between Chinese characters the line breaks still vanish.
    let page = site.read("public/news/a/index.html");
    assert!(page.contains("<p>中<i></i><i></i>"), "{page}");
    assert!(page.contains("<i></i>文</p>"));
}

// ---------------------------------------------------------------------------
// Finding 9: files that are not files, and files too large to read.

/// Makes a named pipe at `rel` in the site (nothing ever writes to it).
fn mkfifo(site: &Site, rel: &str) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
    let status = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_site_yaml_that_is_a_pipe_or_a_device_is_refused_at_once() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("甲", "2026-01-01", "", "正文。"),
    );
    mkfifo(&site, "site.yaml");
    let run = pufa_within(&site, &["build"], Duration::from_secs(20));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "site.yaml: error: this is a named pipe, not a file: pufa reads only regular files\n  \
             错误：这是命名管道，不是普通文件：pufa 只读取普通文件\n  \
             hint: replace it with an ordinary file, or remove it"
        ),
        "{}",
        run.stderr
    );

    std::fs::remove_file(site.path("site.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", site.path("site.yaml")).unwrap();
    let run = pufa_within(&site, &["build"], Duration::from_secs(20));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "site.yaml: error: this is a device, not a file: pufa reads only regular files"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.exists("public"));
}

#[test]
fn a_theme_template_that_is_a_pipe_is_an_error_naming_it() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("甲", "2026-01-01", "", "正文。"),
    );
    // The site's own copy of one template of the default theme.
    mkfifo(&site, "themes/default/templates/base.html");
    let run = pufa_within(&site, &["build"], Duration::from_secs(20));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("this is a named pipe, not a file: pufa reads only regular files"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("public"));
}

#[test]
fn files_over_the_size_limit_are_refused_with_a_hint_naming_the_setting() {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\nlimits: { max_file_mb: 1 }\n",
    );
    let body = "正文。".repeat(120_000); // 1.1 MB
    site.write(
        "content/news/big.md",
        &article("大", "2026-01-01", "", &body),
    );
    site.write(
        "content/news/small.md",
        &article("小", "2026-01-01", "", "正文。"),
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "content/news/big.md: error: the file is larger than 1 MB\n  \
             错误：文件超过 1 MB\n  \
             hint: split it into smaller files, or raise the limit in site.yaml: `limits: { max_file_mb: 2 }`"
        ),
        "{stderr}"
    );
    // The same in a law file.
    site.write(
        "content/news/big.md",
        &article("大", "2026-01-01", "", "正文。"),
    );
    site.write(
        "statutes/big.yaml",
        &format!("name: 大法\nshort: 大法\n# {}\n", "注".repeat(400_000)),
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains(
            "statutes/big.yaml:1:1: error: cannot read the file: the file is larger than 1 MB \
             (`limits: { max_file_mb }` in site.yaml)"
        ),
        "{stderr}"
    );

    // Raised, both build.
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\nlimits: { max_file_mb: 2 }\n",
    );
    site.remove("statutes/big.yaml");
    site.write(
        "content/news/big.md",
        &article("大", "2026-01-01", "", &body),
    );
    site.build_ok();
}

#[test]
fn the_default_size_limit_is_16_mb() {
    let site = Site::minimal();
    let body = "正文。\n\n".repeat(16 * 1024 * 1024 / 11 + 1);
    site.write(
        "content/news/big.md",
        &article("大", "2026-01-01", "", &body),
    );
    let stderr = site.build_err();
    assert!(
        stderr.contains("content/news/big.md: error: the file is larger than 16 MB"),
        "{stderr}"
    );
    assert!(stderr.contains("`limits: { max_file_mb: 32 }`"), "{stderr}");
}

// ---------------------------------------------------------------------------
// Finding 6 and part of 9: YAML that costs far more than its size.

#[test]
fn an_alias_bomb_of_large_values_is_refused_at_its_alias() {
    // 450 KB anchored once and repeated 2,000 times: 900 MB if expanded.
    // serde_yaml allowed it (it counts alias uses, not bytes): a 1 MB front
    // matter took 3.9 GB of memory, or an abort under a memory limit.
    let site = Site::minimal();
    let items = vec![format!("\"{}\"", "法".repeat(150)); 1000].join(", ");
    let aliases = vec!["*a"; 2000].join(", ");
    let front = format!("tags: &a [{items}]\naudiences: [{aliases}]\n");
    site.write(
        "content/news/a.md",
        &article("甲", "2026-01-01", &front, "正文。"),
    );
    let run = pufa_within(&site, &["build"], Duration::from_secs(30));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/news/a.md:6:13: error: the alias `*a` makes the YAML expand to more than 21 MB \
             (each `*name` repeats the value of its `&name`)\n  \
             错误：别名「*a」让 YAML 展开后超过 21 MB（每个「*名字」都会把「&名字」的值重复一遍）\n  \
             hint: write the values out instead of using `&` anchors and `*` aliases"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn anchors_and_aliases_of_ordinary_size_still_work() {
    let site = Site::minimal();
    let front = "tags: &t [婚姻, 家庭]\naudiences: *t\n";
    site.write(
        "content/news/a.md",
        &article("甲", "2026-01-01", front, "正文。"),
    );
    site.build_ok();
    assert!(site.exists("public/audiences/hun-yin/index.html"));
}

#[test]
fn deep_nesting_is_refused_in_site_yaml_law_files_and_front_matter() {
    let deep = |n: usize| format!("{}x{}", "[".repeat(n), "]".repeat(n));
    let site = Site::minimal();
    site.write(
        "site.yaml",
        &format!(
            "title: 小站\nbase_url: https://x.example.cn/\nmenu: {}\n",
            deep(100_000)
        ),
    );
    let run = pufa_within(&site, &["build"], Duration::from_secs(20));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "site.yaml:3:70: error: the YAML is nested more than 64 levels deep\n  \
             错误：YAML 嵌套超过 64 层\n  \
             hint: front matter needs two or three levels: look for a run of `[` or `{`"
        ),
        "{}",
        run.stderr
    );

    let site = Site::minimal();
    site.write(
        "statutes/deep.yaml",
        &format!("name: 深法\nshort: 深法\naliases: {}\n", deep(100_000)),
    );
    // Block nesting, 2 bytes a level.
    let front = format!("tags:\n{}x\n", "- ".repeat(50_000));
    site.write(
        "content/news/a.md",
        &article("甲", "2026-01-01", &front, "正文。"),
    );
    let run = pufa_within(&site, &["build"], Duration::from_secs(20));
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("statutes/deep.yaml:3:1: error: the YAML is nested more than 64 levels deep"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "content/news/a.md:6:129: error: the YAML is nested more than 64 levels deep"
        ),
        "{}",
        run.stderr
    );
}
