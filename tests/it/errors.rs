//! Errors beyond the catalogue: several at once, exit statuses, config,
//! templates, encodings. Messages are asserted word for word.

use crate::support::Site;

fn article(front: &str, body: &str) -> String {
    format!("---\n{front}---\n\n{body}")
}

#[test]
fn all_errors_are_reported_not_only_the_first() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("titel: 标题\ndate: 2026-01-01\n", "正文。\n"),
    );
    site.write(
        "content/news/b.md",
        &article("title: 乙\ndate: 明天\n", "正文。\n"),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/news/a.md:2:1: error: unknown key `titel`"),
        "{err}"
    );
    assert!(err.contains("content/news/b.md:3:1: error: `date`: `明天` is not a date; write it as 2026-11-25, 2026-11-25 08:00 or 2026-11-25T08:00:00+08:00"), "{err}");
    assert!(
        err.contains("2 error(s), 0 warning(s); nothing was written"),
        "{err}"
    );
    assert!(!site.exists("public"));
}

#[test]
fn check_reports_in_json_for_tools() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("titel: 标题\ndate: 2026-01-01\n", "正文。\n"),
    );
    let out = site.pufa(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    let d = &report["diagnostics"][0];
    assert_eq!(d["path"], "content/news/a.md");
    assert_eq!(d["line"], 2);
    assert_eq!(d["level"], "error");
    assert_eq!(d["message"], "unknown key `titel`");
    assert_eq!(d["message_zh"], "无法识别的设置项「titel」");
    assert_eq!(d["hint"], "did you mean `title`?");
}

#[test]
fn check_writes_nothing_and_finds_orphaned_static_files() {
    let site = Site::fixture("basic");
    site.write_bytes("static/images/unused.png", b"\x89PNG");
    site.write("static/MP_verify_abc123.txt", "abc123");
    let out = site.pufa(&["check"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("static/images/unused.png: warning: no page refers to this file\n  警告：没有任何页面用到这个文件"), "{stdout}");
    assert!(
        stdout.contains("static/about.txt: warning: no page refers to this file"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("MP_verify"),
        "WeChat's domain verification file is expected to be unlinked"
    );
    // The third warning is the fixture's link to a draft.
    assert!(
        stdout.ends_with("0 error(s), 3 warning(s) · 0 个错误，3 个警告\n"),
        "{stdout}"
    );
    assert!(!site.exists("public"));
}

#[test]
fn taxonomy_terms_with_the_same_url_are_an_error() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 甲\ndate: 2026-01-01\ntags: [\"抚养\"]\n",
            "正文。\n",
        ),
    );
    site.write(
        "content/news/b.md",
        &article(
            "title: 乙\ndate: 2026-01-02\ntags: [\"扶养\"]\n",
            "正文。\n",
        ),
    );
    let err = site.build_err();
    assert!(err.contains("content/news/a.md: error: the tags terms `抚养` and `扶养` (used in content/news/b.md) have the same URL\n  错误：分类词「抚养」和「扶养」的网址相同"), "{err}");
}

#[test]
fn a_single_term_may_be_written_without_a_list() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 甲\ndate: 2026-01-01\nsummary: 摘要。\ntags: 家暴\n",
            "正文。\n",
        ),
    );
    site.build_ok();
    assert!(site.exists("public/tags/jia-bao/index.html"));
}

#[test]
fn non_utf8_file_says_how_to_fix_it() {
    let site = Site::minimal();
    // "标题" in GBK.
    let mut bytes = b"---\ntitle: ".to_vec();
    bytes.extend_from_slice(&[0xb1, 0xea, 0xcc, 0xe2]);
    bytes.extend_from_slice(b"\ndate: 2026-01-01\n---\n");
    site.write_bytes("content/news/gbk.md", &bytes);
    let err = site.build_err();
    assert!(err.contains("content/news/gbk.md:2:8: error: the file is not UTF-8 text (it may have been saved as GBK/ANSI)\n  错误：文件不是 UTF-8 编码（可能用 GBK/ANSI 保存了）\n  hint: open it in your editor and save it again with the encoding \"UTF-8\"\n  提示：用编辑器打开，另存为“UTF-8”编码"), "{err}");
}

#[test]
fn config_errors() {
    let site = Site::minimal();
    site.write("site.yaml", "title: 小站\n");
    let err = site.build_err();
    assert!(err.contains("site.yaml: error: the site has no `base_url`\n  错误：站点配置里没有网站地址（base_url）"), "{err}");

    site.write(
        "site.yaml",
        "title: 小站\nbase_url: x.example.cn\ntimezone: Asia/Shanghia\n",
    );
    let err = site.build_err();
    assert!(err.contains("site.yaml:2:1: error: `base_url` must start with https:// or http://, found `x.example.cn`"), "{err}");
    assert!(
        err.contains("site.yaml:3:1: error: unknown time zone `Asia/Shanghia`"),
        "{err}"
    );

    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\ncalendar:\n  disable: [\"3-9\"]\n",
    );
    let err = site.build_err();
    assert!(err.contains("site.yaml:3:1: error: `calendar.disable`: there is no built-in day `3-9` (built-in keys: 3-8, 5, 5-15, 6-1, 11-25, 12-4)"), "{err}");
}

#[test]
fn missing_site_yaml() {
    let site = Site::minimal();
    site.remove("site.yaml");
    let err = site.build_err();
    assert!(
        err.contains("site.yaml: error: cannot read the site configuration"),
        "{err}"
    );
    assert!(
        err.contains("提示：请在站点文件夹（有 site.yaml 的那个）里运行 pufa"),
        "{err}"
    );
}

#[test]
fn template_errors_name_the_template_and_line() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/article.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ article.titel }}</h1>\n{% endblock %}\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("themes/default/templates/article.html:3: error: template error:"),
        "{err}"
    );
}

#[test]
fn bad_usage_exits_2() {
    let site = Site::fixture("basic");
    let out = site.pufa(&["build", "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--now / PUFA_NOW: `yesterday` is not a date")
    );
    let out = site.pufa(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_year_with_a_sign_gets_no_suggestion_that_drops_it() {
    // `-009999` is ISO 8601's expanded year; reading only its digits once
    // suggested `date: 9999-01-01`, a different date.
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("title: 甲\ndate: -009999-01-01\n", "正文。\n"),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/news/a.md:3:1: error: `date`: `-009999-01-01` is too far in the past or the future; check the year"),
        "{err}"
    );
    assert!(!err.contains("write `date:"), "{err}");
}

/// Many warnings of one kind: the first three, then their count; errors in
/// full; `pufa check --all` lists every one.
#[test]
fn warnings_of_one_kind_are_summarised() {
    let site = Site::minimal();
    for i in 1..=5 {
        site.write(
            &format!("content/news/a{i}.md"),
            &crate::support::article(
                "活动",
                &format!("2026-03-0{i}"),
                "campaign: \"11-25\"\n",
                "正文。",
            ),
        );
    }
    site.write(
        "content/news/b.md",
        &crate::support::article("乙", "2026-03-01", "", "见[旧文](old.md)。"),
    );
    let out = site.pufa(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let late = |i: usize| {
        format!(
            "content/news/a{i}.md:3:1: warning: dated 2026年3月{i}日 but its campaign 11·25 国际消除对妇女暴力日 runs 11月25日–12月10日
  警告：发布时间 2026年3月{i}日 不在 11·25 国际消除对妇女暴力日的宣传时段（11月25日–12月10日）内
  hint: move the date into the campaign's window, or change or remove `campaign:`
  提示：把发布时间调到宣传时段内，或者修改、删掉「campaign:」
"
        )
    };
    let expected = format!(
        "{}{}{}  … and 2 more like this one: `pufa check --all` lists them all
  还有 2 处同类提醒，用「pufa check --all」查看
content/news/b.md:7:2: error: link to a missing article `old.md`
  错误：链接的文章「old.md」不存在
  hint: check the file name and folder; paths are relative to this article's folder, e.g. `../qa/baohuling.md`
  提示：检查文件名和文件夹；路径从本文所在的文件夹算起，例如「../qa/baohuling.md」
1 error(s), 5 warning(s) · 1 个错误，5 个警告
",
        late(1),
        late(2),
        late(3)
    );
    assert_eq!(stdout, expected);
    assert_eq!(
        crate::catalogue::editor_problems(&stdout),
        Vec::<String>::new()
    );

    let out = site.pufa(&["check", "--all"]);
    let all = String::from_utf8(out.stdout).unwrap();
    assert_eq!(all.matches(": warning: dated").count(), 5, "{all}");
    assert!(all.contains(&late(5)), "{all}");
    assert!(!all.contains("还有"), "{all}");

    // The build prints the same summary (and fails on the error).
    let err = site.build_err();
    assert!(
        err.contains("  还有 2 处同类提醒，用「pufa check --all」查看\n"),
        "{err}"
    );
    assert_eq!(err.matches(": warning: dated").count(), 3, "{err}");
}

/// A file that cannot be read as text is one error, not also a missing
/// link in every article that links to it.
#[test]
fn a_link_to_an_unreadable_article_is_not_a_second_error() {
    let site = Site::minimal();
    let mut bytes = b"---\ntitle: ".to_vec();
    bytes.extend_from_slice(&[0xb1, 0xea, 0xcc, 0xe2]); // GBK
    bytes.extend_from_slice(b"\ndate: 2026-01-01\n---\n");
    site.write_bytes("content/news/gbk.md", &bytes);
    site.write(
        "content/news/a.md",
        &crate::support::article("甲", "2026-01-01", "", "见[那篇](gbk.md)。"),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/news/gbk.md:2:8: error: the file is not UTF-8 text"),
        "{err}"
    );
    assert!(!err.contains("missing article"), "{err}");
    assert!(
        err.contains("1 error(s), 0 warning(s); nothing was written"),
        "{err}"
    );
}
