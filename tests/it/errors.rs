//! Every error an editor can cause: the exact message, file, line and hint.
//! All errors of a build are reported, and the exit status is 1.

use crate::support::Site;

fn article(front: &str, body: &str) -> String {
    format!("---\n{front}---\n\n{body}")
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("titel: 标题\ndate: 2026-01-01\n", "正文。\n"),
    );
    let err = site.build_err();
    assert!(
        err.contains(
            "content/news/a.md:2:1: error: unknown key `titel`\n  hint: did you mean `title`?"
        ),
        "{err}"
    );
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
}

#[test]
fn missing_title_and_date() {
    let site = Site::minimal();
    site.write("content/news/a.md", &article("summary: 摘要\n", "正文。\n"));
    let err = site.build_err();
    assert!(
        err.contains("content/news/a.md:1:1: error: the article has no `title`"),
        "{err}"
    );
    assert!(err.contains("content/news/a.md:1:1: error: the article has no `date`\n  hint: add `date: 2026-11-25 08:00` (the publish time), or `draft: true` while it is unfinished"), "{err}");
}

#[test]
fn front_matter_must_open_and_close() {
    let site = Site::minimal();
    site.write("content/news/a.md", "title: 没有分隔线\n正文\n");
    site.write(
        "content/news/b.md",
        "---\ntitle: 没有结束\ndate: 2026-01-01\n正文\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/news/a.md:1:1: error: the file does not start with front matter"),
        "{err}"
    );
    assert!(err.contains("content/news/b.md:1:1: error: the front matter is not closed\n  hint: add a line with only `---` after the last front-matter key"), "{err}");
}

#[test]
fn yaml_syntax_errors_point_at_the_line() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 标题\ndate: 2026-01-01\ntags: [\"a\", \"b\"\n",
            "正文。\n",
        ),
    );
    let err = site.build_err();
    assert!(err.contains("content/news/a.md:"), "{err}");
    assert!(err.contains("error:"), "{err}");
    // The line reported is inside the front matter, counted in the file.
    let line: usize = err.split(':').nth(1).unwrap().parse().unwrap();
    assert!((4..=5).contains(&line), "{err}");
}

#[test]
fn a_list_written_as_text_is_explained() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 标题\ndate: 2026-01-01\ntags: 家暴, 保护令\n",
            "正文。\n",
        ),
    );
    let err = site.build_err();
    assert!(err.contains("content/news/a.md:4:7: error: tags: wrong kind of value: found string \"家暴, 保护令\", expected a list like [\"a\", \"b\"]"), "{err}");
}

#[test]
fn expires_before_date() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 标题\ndate: 2026-03-09\nexpires: 2026-03-01\n",
            "正文。\n",
        ),
    );
    let err = site.build_err();
    assert!(err.contains("content/news/a.md:4:1: error: `expires` is not after `date`: the article would never be shown"), "{err}");
}

#[test]
fn invalid_slug() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 标题\ndate: 2026-01-01\nslug: 离婚/../x\n",
            "正文。\n",
        ),
    );
    let err = site.build_err();
    assert!(err.contains("content/news/a.md:4:1: error: `slug: 离婚/../x` is not a valid URL segment\n  hint: use lower-case letters, digits and single dashes only, e.g. `slug: li-hun-x`"), "{err}");
}

#[test]
fn slug_collisions_name_both_files() {
    let site = Site::minimal();
    site.write(
        "content/news/离婚.md",
        &article("title: 甲\ndate: 2026-01-01\n", "正文。\n"),
    );
    site.write(
        "content/news/li-hun.md",
        &article("title: 乙\ndate: 2026-01-01\n", "正文。\n"),
    );
    let err = site.build_err();
    assert!(err.contains("content/news/离婚.md: error: the URL /news/li-hun/ is already used by content/news/li-hun.md\n  hint: give one of them a different `slug:` in its front matter"), "{err}");
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
    assert!(
        err.contains(
            "error: the tags terms `抚养` and `扶养` (used in content/news/b.md) have the same URL"
        ),
        "{err}"
    );
    assert!(err.contains("content/news/a.md: error:"), "{err}");
}

#[test]
fn link_to_a_missing_article() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 甲\ndate: 2026-01-01\n",
            "第一段。\n\n见[改名了的文章](old-name.md)。\n",
        ),
    );
    let err = site.build_err();
    assert!(err.contains("content/news/a.md:8:2: error: link to a missing article `old-name.md`\n  hint: check the file name and folder; paths are relative to this article's folder, e.g. `../qa/baohuling.md`"), "{err}");
}

#[test]
fn image_with_a_typo() {
    let site = Site::minimal();
    site.write(
        "content/news/a/index.md",
        &article("title: 甲\ndate: 2026-01-01\n", "![照片](photo.pgn)\n"),
    );
    site.write_bytes("content/news/a/photo.png", b"\x89PNG");
    let err = site.build_err();
    assert!(
        err.contains("content/news/a/index.md:6:1: error: image `photo.pgn` not found"),
        "{err}"
    );
}

#[test]
fn missing_cover() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "title: 甲\ndate: 2026-01-01\ncover: cover.jpg\n",
            "正文。\n",
        ),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/news/a.md:4:1: error: `cover: cover.jpg` not found"),
        "{err}"
    );
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
    assert!(err.contains("content/news/gbk.md:2:8: error: the file is not UTF-8 text (it may have been saved as GBK/ANSI)\n  hint: open it in your editor and save it again with the encoding \"UTF-8\""), "{err}");
}

#[test]
fn config_errors() {
    let site = Site::minimal();
    site.write("site.yaml", "title: 小站\nbaseurl: https://x.example.cn/\n");
    let err = site.build_err();
    assert!(
        err.contains(
            "site.yaml:2:1: error: unknown key `baseurl`\n  hint: did you mean `base_url`?"
        ),
        "{err}"
    );

    site.write("site.yaml", "title: 小站\n");
    let err = site.build_err();
    assert!(
        err.contains("site.yaml: error: the site has no `base_url`"),
        "{err}"
    );

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
