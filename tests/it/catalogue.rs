//! The error catalogue: realistic editor mistakes, each with the exact text
//! `pufa check` prints (English, then Chinese for the editors). A change to
//! any message must change its test here: these are the words users read.

use crate::support::Site;

/// Writes `files` into a minimal site, runs `pufa check`, and compares the
/// whole report with `expected`; then checks what editors read in it
/// ([`editor_problems`]).
fn check(files: &[(&str, &str)], exit: i32, expected: &str) {
    let site = Site::minimal();
    for (path, text) in files {
        site.write(path, text);
    }
    let out = site.pufa(&["check"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.trim_end(),
        expected.trim_start_matches('\n').trim_end()
    );
    assert_eq!(out.status.code(), Some(exit), "{stdout}");
    assert_eq!(editor_problems(&stdout), Vec::<String>::new(), "{stdout}");
}

/// What is wrong, for an editor, with a `pufa check` report: a Chinese line
/// (错误, 警告, 提示) with a backtick or an internal code such as `L06`, a
/// diagnostic without its Chinese message or without a Chinese hint.
pub fn editor_problems(report: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let chinese = ["  错误：", "  警告：", "  提示："];
    for line in report.lines() {
        let Some(text) = chinese.iter().find_map(|p| line.strip_prefix(p)) else {
            continue;
        };
        if text.contains('`') {
            problems.push(format!("backtick in {line:?}"));
        }
        let code = text
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == b'L' && w[1].is_ascii_digit() && w[2].is_ascii_digit());
        if code {
            problems.push(format!("internal code in {line:?}"));
        }
    }
    // A diagnostic is its first line (`path: level: …`) and the indented
    // lines under it; the count and summary lines are not diagnostics.
    let mut diagnostic: Vec<&str> = Vec::new();
    let mut close = |lines: &mut Vec<&str>| {
        if let Some(first) = lines.first() {
            if !lines
                .iter()
                .any(|l| l.starts_with("  错误：") || l.starts_with("  警告："))
            {
                problems.push(format!("no Chinese message for {first:?}"));
            }
            if !lines.iter().any(|l| l.starts_with("  提示：")) {
                problems.push(format!("no Chinese hint for {first:?}"));
            }
        }
        lines.clear();
    };
    for line in report.lines() {
        if line.contains(": error: ") || line.contains(": warning: ") {
            close(&mut diagnostic);
            diagnostic.push(line);
        } else if line.starts_with("  ") && !diagnostic.is_empty() {
            diagnostic.push(line);
        } else {
            close(&mut diagnostic);
        }
    }
    close(&mut diagnostic);
    problems
}

/// The check above can fail: a report with the old faults is refused.
#[test]
fn the_editor_line_check_finds_backticks_codes_and_missing_hints() {
    let old = "content/a.md:3:1: warning: WeChat L06: no cover image
  警告：微信 L06：没有封面图
content/b.md:2:1: error: unknown key `titel`
  错误：无法识别的键 `titel`
  hint: did you mean `title`?
  提示：是不是想写 `title`？
1 error(s), 1 warning(s) · 1 个错误，1 个警告";
    assert_eq!(
        editor_problems(old),
        [
            "internal code in \"  警告：微信 L06：没有封面图\"",
            "backtick in \"  错误：无法识别的键 `titel`\"",
            "backtick in \"  提示：是不是想写 `title`？\"",
            "no Chinese hint for \"content/a.md:3:1: warning: WeChat L06: no cover image\"",
        ]
    );
}

/// A misspelt key gets the closest known key.
#[test]
fn titel() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
titel: 标题
date: 2026-01-01
summary: 摘要
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:2:1: error: unknown key `titel`
  错误：无法识别的设置项「titel」
  hint: did you mean `title`?
  提示：你是不是想写「title」？
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A key written in Chinese is mapped to the English one.
#[test]
fn chinese_key() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
标题: 家暴不是家务事
date: 2026-01-01
summary: 摘要
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:2:1: error: unknown key `标题`
  错误：无法识别的设置项「标题」
  hint: did you mean `title`?
  提示：你是不是想写「title」？
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// Full-width colon after a key (Chinese input method left on).
#[test]
fn fullwidth_colon() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title：家暴不是家务事
date: 2026-01-01
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:2:6: error: `title` is followed by a full-width colon `：`
  错误：「title」后面用了全角冒号“：”
  hint: write an ASCII colon and a space: `title: …`
  提示：改成半角冒号加一个空格：「title: …」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// Full-width space after the colon.
#[test]
fn fullwidth_space_after() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title:　家暴不是家务事
date: 2026-01-01
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:2:7: error: a full-width space follows `title:`
  错误：「title:」后面是全角空格
  hint: use an ordinary (half-width) space after the colon
  提示：冒号后面要用半角空格
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// Full-width space used to indent a list item.
#[test]
fn fullwidth_indent() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 标题
date: 2026-01-01
tags:
　- 家暴
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:5:1: error: a full-width space is used for indentation
  错误：缩进里用了全角空格
  hint: switch the input method to half-width and indent with ordinary spaces
  提示：把输入法切换到半角，用普通空格缩进
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A tab used to indent.
#[test]
fn tab_indent() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 标题
date: 2026-01-01
tags:
	- 家暴
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:5:1: error: a tab is used for indentation
  错误：缩进里用了制表符（Tab 键）
  hint: YAML allows only spaces: replace the tab with two spaces
  提示：YAML 只能用空格缩进：把 Tab 换成两个空格
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// No space after the colon.
#[test]
fn no_space() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title:家暴不是家务事
date: 2026-01-01
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:2:6: error: no space after `title:`
  错误：「title:」后面缺少空格
  hint: put a space after the colon: `title: 家暴不是家务事`
  提示：在冒号后面加一个空格：「title: 家暴不是家务事」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A title starting with # becomes a YAML comment.
#[test]
fn hash_title() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: #3 家暴不是家务事
date: 2026-01-01
---

正文。
"#,
        )],
        1,
        r##"
content/news/a.md:2:8: error: `title` starts with `#`, which makes the rest of the line a comment
  错误：「title」的值以 # 开头，YAML 会把它当成注释
  hint: put the value in quotes: `title: "#3 家暴不是家务事"`
  提示：给值加上英文引号：「title: "#3 家暴不是家务事"」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"##,
    );
}

/// An ASCII colon and space inside a value.
#[test]
fn colon_in_value() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 问答: 保护令怎么申请
date: 2026-01-01
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:2:10: error: a value contains `: `, which YAML reads as a new key
  错误：某个值里含有英文冒号加空格“: ”，YAML 会误读
  hint: put the whole value in quotes, e.g. `title: "问答: 保护令"`, or use a full-width colon `：` inside the text
  提示：给整个值加英文引号，或在文字中改用全角冒号“：”
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// The same key twice.
#[test]
fn duplicate_key() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
title: 乙
date: 2026-01-01
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:3:1: error: the key `title` is written twice
  错误：「title」写了两次
  hint: keep one of the two lines
  提示：删掉其中一行
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// draft: 是 instead of true.
#[test]
fn draft_chinese() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
draft: 是
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:4:8: error: `draft` must be true or false
  错误：「draft」只能写 true 或 false
  hint: write `draft: true` or `draft: false`
  提示：写成「draft: true」（是）或「draft: false」（否）
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A date written with slashes.
#[test]
fn date_slash() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026/1/5
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:3:1: error: `date`: `2026/1/5` is not a date; write it as 2026-11-25, 2026-11-25 08:00 or 2026-11-25T08:00:00+08:00
  错误：「date」不是有效的日期：2026/1/5
  hint: write `date: 2026-01-05`
  提示：请写成「date: 2026-01-05」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A date written the Chinese way.
#[test]
fn date_chinese() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026年1月5日 8:00
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:3:1: error: `date`: `2026年1月5日 8:00` is not a date; write it as 2026-11-25, 2026-11-25 08:00 or 2026-11-25T08:00:00+08:00
  错误：「date」不是有效的日期：2026年1月5日 8:00
  hint: write `date: 2026-01-05 08:00`
  提示：请写成「date: 2026-01-05 08:00」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// Words instead of a date.
#[test]
fn date_nonsense() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 下周一
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:3:1: error: `date`: `下周一` is not a date; write it as 2026-11-25, 2026-11-25 08:00 or 2026-11-25T08:00:00+08:00
  错误：「date」不是有效的日期：下周一
  提示：日期的写法：2026-11-25 或 2026-11-25 08:00
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A list written as one string with Chinese commas.
#[test]
fn comma_list() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
tags: 家暴，保护令
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:4:1: error: `tags` is written as one piece of text, not a list
  错误：「tags」写成了一整段文字，而不是列表
  hint: write it as a list: `tags: ["家暴", "保护令"]`
  提示：写成列表：「tags: ["家暴", "保护令"]」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// The closing --- is missing.
#[test]
fn no_close() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01

正文
"#,
        )],
        1,
        r#"
content/news/a.md:1:1: error: the front matter is not closed
  错误：前言（front matter）没有结束标记
  hint: add a line with only `---` after the last front-matter key
  提示：在最后一个设置项后面加一行「---」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// No front matter at all.
#[test]
fn no_open() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"title: 甲

正文
"#,
        )],
        1,
        r#"
content/news/a.md:1:1: error: the file does not start with front matter
  错误：文件开头没有前言（front matter）
  hint: put a line `---` first, then `title: …` and the other keys, then another `---` line
  提示：第一行写「---」，接着写「title: 标题」等设置，再用一行「---」结束
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// An empty file.
#[test]
fn empty() {
    check(
        &[(r#"content/news/a.md"#, r#""#)],
        1,
        r#"
content/news/a.md:1:1: error: the file is empty
  错误：文件是空的
  hint: write the article (front matter between `---` lines, then the text), or delete the file
  提示：写上文章内容（先是两行「---」之间的前言，再是正文），或者删除这个文件
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// Neither title nor date.
#[test]
fn no_title_date() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
summary: 摘要
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:1:1: error: the article has no `date`
  错误：文章没有发布时间（date）
  hint: add `date: 2026-11-25 08:00` (the publish time), or `draft: true` while it is unfinished
  提示：加一行「date: 2026-11-25 08:00」（发布时间）；还没写完可以先写「draft: true」
content/news/a.md:1:1: error: the article has no `title`
  错误：文章没有标题（title）
  hint: add a line like `title: 人身安全保护令怎么申请` to the front matter
  提示：在前言里加一行，例如「title: 人身安全保护令怎么申请」
2 error(s), 0 warning(s) · 2 个错误，0 个警告
"#,
    );
}

/// expires before date.
#[test]
fn expires_before() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-03-09
expires: 2026-03-01
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:4:1: error: `expires` is not after `date`: the article would never be shown
  错误：下线时间（expires）不晚于发布时间（date），文章永远不会显示
  hint: set `expires` to a time after the publish date, or remove it
  提示：把 expires 改到发布时间之后，或者删掉这一行
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A slug with Chinese and spaces.
#[test]
fn bad_slug() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
slug: 离婚 冷静期
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:4:1: error: `slug: 离婚 冷静期` is not a valid URL segment
  错误：「slug: 离婚 冷静期」不能用作网址
  hint: use lower-case letters, digits and single dashes only, e.g. `slug: li-hun-leng-jing-qi`
  提示：只能用小写英文字母、数字和短横线，例如「slug: li-hun-leng-jing-qi」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// Two files with the same URL.
#[test]
fn collision() {
    check(
        &[
            (
                r#"content/news/离婚.md"#,
                r#"---
title: 甲
date: 2026-01-01
---

正文。
"#,
            ),
            (
                r#"content/news/li-hun.md"#,
                r#"---
title: 乙
date: 2026-01-01
---

正文。
"#,
            ),
        ],
        1,
        r#"
content/news/li-hun.md:1:1: warning: no `summary:`; the first sentences are used as the digest
  警告：没有摘要（summary），已自动取正文开头几句
  hint: write a one-sentence `summary:` (at most 120 characters) for lists, feeds and share cards
  提示：写一句不超过 120 字的「summary:」，用于列表、订阅和分享卡片
content/news/离婚.md:1:1: error: the URL /news/li-hun/ is already used by content/news/li-hun.md
  错误：网址 /news/li-hun/ 已经被 content/news/li-hun.md 使用
  hint: give one of them a different `slug:` in its front matter
  提示：给其中一篇在前言里另设一个「slug:」
1 error(s), 1 warning(s) · 1 个错误，1 个警告
"#,
    );
}

/// Two files with the same URL, one by its `slug:`: the error is at that line.
#[test]
fn collision_by_slug() {
    check(
        &[
            (
                r#"content/news/a.md"#,
                r#"---
title: 甲
date: 2026-01-01
summary: 甲。
---

正文。
"#,
            ),
            (
                r#"content/news/b.md"#,
                r#"---
title: 乙
date: 2026-01-01
summary: 乙。
slug: a
---

正文。
"#,
            ),
        ],
        1,
        r#"
content/news/b.md:5:1: error: the URL /news/a/ is already used by content/news/a.md
  错误：网址 /news/a/ 已经被 content/news/a.md 使用
  hint: give one of them a different `slug:` in its front matter
  提示：给其中一篇在前言里另设一个「slug:」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A link to a renamed article.
#[test]
fn missing_link() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

第一段。

见[改名了的文章](old-name.md)。
"#,
        )],
        1,
        r#"
content/news/a.md:9:2: error: link to a missing article `old-name.md`
  错误：链接的文章「old-name.md」不存在
  hint: check the file name and folder; paths are relative to this article's folder, e.g. `../qa/baohuling.md`
  提示：检查文件名和文件夹；路径从本文所在的文件夹算起，例如「../qa/baohuling.md」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A Windows-style path in a link.
#[test]
fn backslash_link() {
    check(
        &[
            (
                r#"content/news/a.md"#,
                r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

见[乙](..\qa\b.md)。
"#,
            ),
            (
                r#"content/qa/b.md"#,
                r#"---
title: 乙
date: 2026-01-01
summary: 摘要
---

正文。
"#,
            ),
            ("content/qa/_index.md", "---\ntitle: 问答\n---\n"),
        ],
        1,
        r#"
content/news/a.md:7:2: error: the link `..\qa\b.md` uses `\`; web addresses use `/`
  错误：链接路径里用了反斜杠“\”，网址要用“/”
  hint: write `../qa/b.md`
  提示：改成「../qa/b.md」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// An image path with a typo.
#[test]
fn image_typo() {
    check(
        &[
            (
                r#"content/news/a/index.md"#,
                r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

![照片](photo.pgn)
"#,
            ),
            (r#"content/news/a/photo.png"#, r#"x"#),
        ],
        1,
        r#"
content/news/a/index.md:7:1: error: image `photo.pgn` not found
  错误：找不到图片「photo.pgn」
  hint: did you mean `photo.png`?
  提示：你是不是想写「photo.png」？
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A cover that does not exist.
#[test]
fn missing_cover() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘要
cover: cover.jpg
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:5:1: error: `cover: cover.jpg` not found
  错误：找不到图片「cover: cover.jpg」
  hint: put the image next to the article (page bundle) or under static/ and check its name
  提示：把图片放在文章旁边（文章文件夹）或 static/ 下，并检查文件名
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A campaign key that names no awareness day.
#[test]
fn unknown_campaign() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘要
campaign: "11-52"
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:5:1: error: `campaign: 11-52` names no awareness day
  错误：「campaign: 11-52」不是宣传日历里的节点
  hint: use one of: 3-8, 5, 5-15, 6-1, 11-25, 12-4
  提示：可用的节点：3-8, 5, 5-15, 6-1, 11-25, 12-4
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A campaign article dated outside its window.
#[test]
fn campaign_mismatch() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-07-01
summary: 摘要
campaign: "3-8"
---

正文。
"#,
        )],
        0,
        r#"
content/news/a.md:3:1: warning: dated 2026年7月1日 but its campaign 3·8 国际劳动妇女节 · 三八维权周 runs 3月2日–3月8日
  警告：发布时间 2026年7月1日 不在 3·8 国际劳动妇女节 · 三八维权周的宣传时段（3月2日–3月8日）内
  hint: move the date into the campaign's window, or change or remove `campaign:`
  提示：把发布时间调到宣传时段内，或者修改、删掉「campaign:」
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// A year typo that schedules an article decades ahead.
#[test]
fn year_typo() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2062-11-25
summary: 摘要
---

正文。
"#,
        )],
        0,
        r#"
content/news/a.md:3:1: warning: `date` is more than a year ahead (2062年11月25日); is the year right?
  警告：发布时间在一年以后（2062年11月25日），年份写对了吗？
  hint: scheduled articles stay out of the site until their date; check the year
  提示：定时发布的文章要到 date 那天才出现在网站上；请核对年份
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// ##标题 without a space is not a heading.
#[test]
fn heading_no_space() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

##法律怎么说

正文。
"#,
        )],
        0,
        r#"
content/news/a.md:7:1: warning: `##法律怎么说` is not a heading: a space must follow the `#`
  警告：这一行不是标题：# 后面要有一个空格
  hint: write `## 法律怎么说`
  提示：改成「## 法律怎么说」
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// Bold opened and never closed.
#[test]
fn unmatched_bold() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

这是**重点内容，忘了结尾。
"#,
        )],
        0,
        r#"
content/news/a.md:7:1: warning: a `**` without its partner shows as two asterisks
  警告：这一段有落单的「**」，页面上会显示成两个星号
  hint: check that bold text has `**` both before and after it
  提示：检查加粗的文字前后是否都有「**」
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// A huge pasted table.
#[test]
fn huge_table() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |
|---|---|---|---|---|---|---|---|
| a | b | c | d | e | f | g | h |
"#,
        )],
        0,
        r#"
content/news/a.md:7:1: warning: a table with 8 columns is hard to read on a phone
  警告：表格有 8 列，手机上很难看清
  hint: keep tables to 6 columns or fewer: split it, or turn rows into a list
  提示：表格最好不超过 6 列：拆成几个小表格，或者改写成列表
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// A wall of text.
#[test]
fn long_paragraph() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长。
"#,
        )],
        0,
        r#"
content/news/a.md:7:1: warning: a paragraph of 351 characters fills more than a phone screen
  警告：这一段有 351 个字，在手机上超过一屏
  hint: split it into paragraphs of at most 300 characters
  提示：拆成几段，每段不超过 300 字
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// A summary over WeChat's 120 characters.
#[test]
fn long_summary() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
date: 2026-01-01
summary: 摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘摘
---

正文。
"#,
        )],
        0,
        r#"
content/news/a.md:4:1: warning: the summary has 130 characters; WeChat shows at most 120
  警告：摘要有 130 个字，微信最多显示 120 个
  hint: shorten `summary:` to 120 characters or fewer
  提示：把「summary:」缩短到 120 字以内
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// A link to a heading anchor that does not exist.
#[test]
fn bad_anchor() {
    check(
        &[
            (
                r#"content/news/a.md"#,
                r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

见[乙](b.md#bu-cun-zai)。
"#,
            ),
            (
                r#"content/news/b.md"#,
                r#"---
title: 乙
date: 2026-01-01
summary: 摘要
---

## 真的标题

正文。
"#,
            ),
        ],
        0,
        r#"
content/news/a.md:7:2: warning: the anchor `#bu-cun-zai` is not a heading of the linked article
  警告：链接里的锚点「#bu-cun-zai」在目标文章里找不到
  hint: heading anchors there: zhen-de-biao-ti
  提示：那篇文章的标题锚点有：zhen-de-biao-ti
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}

/// A misspelt key in site.yaml.
#[test]
fn config_typo() {
    check(
        &[(
            r#"site.yaml"#,
            r#"title: 小站
baseurl: https://x.example.cn/
"#,
        )],
        1,
        r#"
site.yaml:2:1: error: unknown key `baseurl`
  错误：无法识别的设置项「baseurl」
  hint: did you mean `base_url`?
  提示：你是不是想写「base_url」？
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// Full-width colon in site.yaml.
#[test]
fn config_fullwidth() {
    check(
        &[(
            r#"site.yaml"#,
            r#"title：小站
base_url: https://x.example.cn/
"#,
        )],
        1,
        r#"
site.yaml:1:6: error: `title` is followed by a full-width colon `：`
  错误：「title」后面用了全角冒号“：”
  hint: write an ASCII colon and a space: `title: …`
  提示：改成半角冒号加一个空格：「title: …」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A key indented by accident.
#[test]
fn indented_key() {
    check(
        &[(
            r#"content/news/a.md"#,
            r#"---
title: 甲
  date: 2026-01-01
---

正文。
"#,
        )],
        1,
        r#"
content/news/a.md:3:1: error: `date` is indented
  错误：「date」前面多了空格
  hint: start `date:` at the beginning of the line, like the other keys
  提示：「date:」要和其他设置项一样顶格写
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// One mistake, one error (issue 25): a full-width colon in one article's
/// front matter, and another article linking to it. The link is not
/// reported as a link to a missing file: the file is there.
#[test]
fn one_mistake_one_error() {
    check(
        &[
            (
                r#"content/education/baohuling.md"#,
                r#"---
title：人身安全保护令
date: 2026-11-20
summary: 摘要
---

正文。
"#,
            ),
            (
                r#"content/news/2026-1125.md"#,
                r#"---
title: 11·25 活动
date: 2026-11-25
summary: 摘要
---

详见[保护令](../education/baohuling.md)。
"#,
            ),
        ],
        1,
        r#"
content/education/baohuling.md:2:6: error: `title` is followed by a full-width colon `：`
  错误：「title」后面用了全角冒号“：”
  hint: write an ASCII colon and a space: `title: …`
  提示：改成半角冒号加一个空格：「title: …」
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A front-matter error does not hide the body's errors: its broken link
/// and missing image are reported in the same run.
#[test]
fn front_matter_error_and_body_errors() {
    check(
        &[
            (
                r#"content/education/baohuling.md"#,
                r#"---
title：人身安全保护令
date: 2026-11-20
summary: 摘要
---

见[申请流程](../qa/shenqing.md)。

![流程图](liucheng.png)
"#,
            ),
            (r#"content/education/liucheng.jpg"#, r#"x"#),
        ],
        1,
        r#"
content/education/baohuling.md:2:6: error: `title` is followed by a full-width colon `：`
  错误：「title」后面用了全角冒号“：”
  hint: write an ASCII colon and a space: `title: …`
  提示：改成半角冒号加一个空格：「title: …」
content/education/baohuling.md:7:2: error: link to a missing article `../qa/shenqing.md`
  错误：链接的文章「../qa/shenqing.md」不存在
  hint: check the file name and folder; paths are relative to this article's folder, e.g. `../qa/baohuling.md`
  提示：检查文件名和文件夹；路径从本文所在的文件夹算起，例如「../qa/baohuling.md」
content/education/baohuling.md:9:1: error: image `liucheng.png` not found
  错误：找不到图片「liucheng.png」
  hint: did you mean `liucheng.jpg`?
  提示：你是不是想写「liucheng.jpg」？
3 error(s), 0 warning(s) · 3 个错误，0 个警告
"#,
    );
}

/// A link to a file whose name is a keystroke away from an article's.
#[test]
fn link_near_miss() {
    check(
        &[
            ("content/education/_index.md", "---\ntitle: 普法讲堂\n---\n"),
            (
                r#"content/news/2026-11-25.md"#,
                r#"---
title: 11·25 活动
date: 2026-11-25
summary: 摘要
---

正文。
"#,
            ),
            (
                r#"content/education/a.md"#,
                r#"---
title: 甲
date: 2026-11-20
summary: 摘要
---

见[活动](../news/2026-1125.md#baoming)。
"#,
            ),
        ],
        1,
        r#"
content/education/a.md:7:2: error: link to a missing article `../news/2026-1125.md#baoming`
  错误：链接的文章「../news/2026-1125.md#baoming」不存在
  hint: did you mean `../news/2026-11-25.md#baoming`?
  提示：你是不是想写「../news/2026-11-25.md#baoming」？
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A link to an article that is in another folder: the only file of that
/// name is suggested.
#[test]
fn link_wrong_folder() {
    check(
        &[
            ("content/education/_index.md", "---\ntitle: 普法讲堂\n---\n"),
            (
                r#"content/education/baohuling.md"#,
                r#"---
title: 保护令
date: 2026-11-20
summary: 摘要
---

正文。
"#,
            ),
            (
                r#"content/news/a.md"#,
                r#"---
title: 甲
date: 2026-11-20
summary: 摘要
---

见[保护令](../qa/baohuling.md)。
"#,
            ),
        ],
        1,
        r#"
content/news/a.md:7:2: error: link to a missing article `../qa/baohuling.md`
  错误：链接的文章「../qa/baohuling.md」不存在
  hint: did you mean `../education/baohuling.md`?
  提示：你是不是想写「../education/baohuling.md」？
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// A cover whose file name is a keystroke away from an image beside it.
#[test]
fn cover_near_miss() {
    check(
        &[
            (
                r#"content/news/a/index.md"#,
                r#"---
title: 甲
date: 2026-01-01
summary: 摘要
cover: fengmian.jpeg
---

正文。
"#,
            ),
            (r#"content/news/a/fengmian.jpg"#, r#"x"#),
        ],
        1,
        r#"
content/news/a/index.md:5:1: error: `cover: fengmian.jpeg` not found
  错误：找不到图片「cover: fengmian.jpeg」
  hint: did you mean `cover: fengmian.jpg`?
  提示：你是不是想写「cover: fengmian.jpg」？
1 error(s), 0 warning(s) · 1 个错误，0 个警告
"#,
    );
}

/// WeChat's limits: a hint in both languages, and no rule numbers.
#[test]
fn wechat_no_cover() {
    check(
        &[
            (
                r#"site.yaml"#,
                r#"title: 小站
base_url: https://x.example.cn/
wechat:
  account: 古县妇女联合会
"#,
            ),
            (
                r#"content/news/a.md"#,
                r#"---
title: 甲
date: 2026-01-01
summary: 摘要
---

正文。
"#,
            ),
        ],
        0,
        r#"
content/news/a.md:1:1: warning: WeChat: no cover image: the 公众号 needs a 2.35:1 cover (e.g. 900×383)
  警告：微信：没有封面图：公众号文章需要一张 2.35:1 的封面（例如 900×383 像素）
  hint: add `cover:` with an image beside the article, or set `wechat.default_cover` in site.yaml for every article without one
  提示：在前言里加一行「cover: 图片文件名」，或在 site.yaml 的 wechat 下设置 default_cover，给所有没有封面的文章用
0 error(s), 1 warning(s) · 0 个错误，1 个警告
"#,
    );
}
