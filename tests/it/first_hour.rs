//! An editor's first hour (issue 25): what `pufa init`, `pufa new`,
//! `pufa serve` and `--help` say, in Chinese and English, word for word;
//! sections made by `pufa new`; campaigns dated inside their running
//! window; warnings about untitled sections and placeholder addresses.

use assert_cmd::Command;

use crate::support::Site;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_says_what_to_do_next_with_the_full_path_when_pufa_is_not_on_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("pufa").canonicalize().unwrap();
    let bin = bin.display();
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .args(["init", "mysite"])
        .current_dir(dir.path())
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "已新建网站：mysite · created a site in mysite
下一步 / next: cd mysite && {bin} serve   （在浏览器里预览 · preview it in the browser）
  发布前：改 site.yaml 里的 base_url（网站地址），然后 {bin} build（网站生成在 public/）
  before publishing: set base_url (the site's address) in site.yaml, then {bin} build (the site is written to public/)
  提示：pufa 还不在命令路径（PATH）里，所以上面写了它的完整路径；想直接输入 pufa，请按 README 的“安装”一节安装：cargo install --path <pufa 源码文件夹>
  hint: pufa is not on your PATH, so its full path is shown above; to type just `pufa`, install it as README's \"Installation\" says: cargo install --path <pufa's source folder>
"
        )
    );
    // With the binary's folder on the PATH, plain `pufa`.
    let folder = std::path::Path::new(&bin.to_string())
        .parent()
        .unwrap()
        .to_owned();
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .args(["init", "other"])
        .current_dir(dir.path())
        .env("PATH", format!("{}:/usr/bin:/bin", folder.display()))
        .output()
        .unwrap();
    let said = stderr(&out);
    assert!(
        said.contains("下一步 / next: cd other && pufa serve   （在浏览器里预览 · preview it in the browser）\n"),
        "{said}"
    );
    assert!(!said.contains("PATH"), "{said}");
}

#[test]
fn init_sites_are_warned_about_their_placeholder_address() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    Command::cargo_bin("pufa")
        .unwrap()
        .arg("init")
        .arg(&site)
        .assert()
        .success();
    let warning = "site.yaml:4:1: warning: `base_url: https://example.cn/` is a placeholder, not the site's address
  警告：「base_url: https://example.cn/」是示例地址，不是网站真正的网址
  hint: write the address readers use (https://…/); feeds, share cards and WeChat's 阅读原文 links point there
  提示：改成读者访问网站用的网址（https://…/）；订阅、分享卡片和公众号“阅读原文”都链接到这里
";
    let run = |args: &[&str]| {
        Command::cargo_bin("pufa")
            .unwrap()
            .args(args)
            .arg("--root")
            .arg(&site)
            .env("PUFA_NOW", crate::support::NOW)
            .output()
            .unwrap()
    };
    let out = run(&["check"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{warning}0 error(s), 1 warning(s) · 0 个错误，1 个警告\n")
    );
    for command in ["build", "wechat"] {
        let out = run(&[command]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            stderr(&out).starts_with(warning),
            "pufa {command}: {}",
            stderr(&out)
        );
        assert_eq!(
            stderr(&out).matches("placeholder").count(),
            1,
            "{}",
            stderr(&out)
        );
    }
    // A real address: no warning.
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        yaml.replace(
            "https://example.cn/",
            "https://pufa.guxian-fulian.example.cn/",
        ),
    )
    .unwrap();
    let out = run(&["build"]);
    assert!(
        stderr(&out).starts_with("built 1 articles"),
        "{}",
        stderr(&out)
    );
    // One given on the command line says so.
    let out = run(&["build", "--base-url", "http://localhost:8080/"]);
    assert_eq!(
        stderr(&out).split("built ").next().unwrap(),
        "site.yaml: warning: `base_url: http://localhost:8080/` is a placeholder, not the site's address
  警告：「base_url: http://localhost:8080/」是示例地址，不是网站真正的网址
  hint: it was given with --base-url; give the address readers use
  提示：这是 --base-url 给的地址；请给出读者访问网站用的网址
"
    );
}

#[test]
fn new_explains_how_to_make_a_missing_section() {
    let site = Site::fixture("basic");
    let out = site.pufa(&["new", "news/x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: there is no section folder content/news (sections: education, qa)
  错误：没有栏目文件夹 content/news（现有栏目：education、qa）
  hint: to make the section, give it a title: `pufa new news/x --section-title 新闻动态`
  提示：要新建这个栏目，请加上它的中文名称再运行一次：「pufa new news/x --section-title 新闻动态」（“新闻动态”换成你的栏目名称）
"
    );
    assert!(!site.exists("content/news"));
}

#[test]
fn new_makes_a_missing_section_with_its_title() {
    let site = Site::minimal();
    let out = site.pufa(&[
        "new",
        "tongzhi/di-yi-pian",
        "--title",
        "第一篇",
        "--section-title",
        "通知公告",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "已新建栏目 content/tongzhi（通知公告）
created the section content/tongzhi (通知公告)
已创建草稿，发布时间 2026-11-30 08:00；写好后删掉「draft: true」这一行，到时间就会发布
created a draft dated 2026-11-30 08:00; remove `draft: true` when it is ready to go out
"
    );
    assert_eq!(
        site.read("content/tongzhi/_index.md"),
        "---\ntitle: \"通知公告\"\ndescription: \"\"   # 一句话介绍这个栏目（可以不填）\n---\n"
    );
    // The article goes out: the section shows its title, and check is quiet.
    site.write(
        "content/tongzhi/di-yi-pian.md",
        &site
            .read("content/tongzhi/di-yi-pian.md")
            .replace("date: 2026-11-30 08:00", "date: 2026-11-28 08:00")
            .replace("draft: true ", "# draft")
            .replace("summary: \"\"", "summary: \"一则通知。\""),
    );
    let out = site.pufa(&["check"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "0 error(s), 0 warning(s) · 0 个错误，0 个警告\n",
        "{}",
        stderr(&out)
    );
    assert!(site.build_ok().starts_with("built 1 articles"));
    let home = site.read("public/index.html");
    assert!(home.contains(">通知公告</a>"), "{home}");
    assert!(!home.contains(">tongzhi</a>"), "{home}");
}

#[test]
fn section_folders_without_a_title_are_warned_about() {
    let site = Site::minimal();
    site.remove("content/news/_index.md");
    site.write(
        "content/news/a.md",
        &crate::support::article("一则新闻", "2026-11-01 08:00", "", "正文。"),
    );
    site.write(
        "content/zhinan/_index.md",
        "---\ndescription: 维权指南\n---\n",
    );
    site.write(
        "content/zhinan/b.md",
        &crate::support::article("指南", "2026-11-01 08:00", "", "正文。"),
    );
    // A folder named in Chinese shows that name: no warning.
    site.write(
        "content/维权/c.md",
        &crate::support::article("维权", "2026-11-01 08:00", "", "正文。"),
    );
    let out = site.pufa(&["check"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "content/news/: warning: the section content/news/ has no title, so readers see its folder name `news` in menus and lists
  警告：栏目 content/news/ 没有名称，菜单和列表里会显示文件夹名「news」
  hint: create content/news/_index.md with three lines: `---`, `title: 新闻动态` (the section's title), `---`
  提示：新建 content/news/_index.md，写三行：「---」「title: 新闻动态」（换成栏目名称）「---」
content/zhinan/_index.md:1:1: warning: the section content/zhinan/ has no title, so readers see its folder name `zhinan` in menus and lists
  警告：栏目 content/zhinan/ 没有名称，菜单和列表里会显示文件夹名「zhinan」
  hint: add the section's title to the front matter of content/zhinan/_index.md, e.g. `title: 新闻动态`
  提示：在 content/zhinan/_index.md 的前言里写上栏目名称，例如「title: 新闻动态」
0 error(s), 2 warning(s) · 0 个错误，2 个警告
"
    );
    // The build says the same.
    let warnings = site.build_ok();
    assert!(
        warnings.starts_with("content/news/: warning: the section content/news/ has no title"),
        "{warnings}"
    );
}

#[test]
fn new_campaign_offers_the_running_window_first() {
    let site = Site::fixture("basic");
    // 2026-12-06: inside the 11·25 window (to 12-10) and 宪法宣传周 (12-1 to 12-7).
    for (name, key) in [("fjb", "11-25"), ("xf", "12-4")] {
        let out = site.pufa(&[
            "new",
            &format!("qa/{name}"),
            "--campaign",
            key,
            "--now",
            "2026-12-06 10:00",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let text = site.read(&format!("content/qa/{name}.md"));
        assert!(text.contains("date: 2026-12-06 08:00\n"), "{key}: {text}");
    }
    // The day after 宪法宣传周: its next occurrence.
    let out = site.pufa(&[
        "new",
        "qa/xf2",
        "--campaign",
        "12-4",
        "--now",
        "2026-12-08 10:00",
    ]);
    assert!(out.status.success());
    assert!(
        site.read("content/qa/xf2.md")
            .contains("date: 2027-12-04 08:00\n")
    );
}

#[test]
fn new_errors_are_in_both_languages() {
    let site = Site::fixture("basic");
    let out = site.pufa(&["new", "qa/x", "--date", "2026-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --date: `2026-13-01` is not a date; write it as 2026-11-25, 2026-11-25 08:00 or 2026-11-25T08:00:00+08:00
  错误：--date 的时间「2026-13-01」看不懂
  hint: write it as 2026-12-04 08:00 (the site's time zone)
  提示：写成 2026-12-04 08:00 这样（站点时区）
"
    );
    let out = site.pufa(&["new", "qa/links"]);
    assert_eq!(
        stderr(&out),
        "error: content/qa/links.md already exists; pufa new never overwrites an article
  错误：content/qa/links.md 已经存在；pufa new 不会覆盖已有的文章
  hint: choose another name, or open the existing file
  提示：换一个文件名，或者直接打开已有的文件
"
    );
    let out = site.pufa(&["new", "x"]);
    assert_eq!(
        stderr(&out),
        "error: `x` names no section
  错误：「x」没有写栏目
  hint: write SECTION/NAME, e.g. `qa/x`
  提示：写成 栏目/文件名，例如「qa/x」
"
    );
    let out = site.pufa(&["build", "--now", "2026-14"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --now / PUFA_NOW: `2026-14` is not a date; write it as 2026-11-25, 2026-11-25 08:00 or 2026-11-25T08:00:00+08:00
  错误：--now / PUFA_NOW 的时间「2026-14」看不懂
  hint: write it as 2026-11-25 08:00 (the site's time zone) or 2026-11-25T08:00:00+08:00
  提示：写成 2026-11-25 08:00（站点时区）或 2026-11-25T08:00:00+08:00
"
    );
}

#[test]
fn help_is_in_chinese_and_english() {
    let help = |args: &[&str]| {
        let out = Command::cargo_bin("pufa")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let top = help(&["--help"]);
    assert!(
        top.starts_with("普法：用 Markdown 写普法网站 / Build a legal-education website from Markdown\n\n用法 / Usage: pufa <COMMAND>\n\n命令 / Commands:\n"),
        "{top}"
    );
    assert!(
        top.contains("  new       新建一篇文章（草稿），栏目不存在时可一并新建 / Start a new article (a draft), and its section if need be\n"),
        "{top}"
    );
    assert!(
        top.contains("  -h, --help     显示帮助 / Print help\n"),
        "{top}"
    );
    assert!(top.ends_with("每个命令的详细用法：pufa 命令 --help，例如 pufa new --help\nEach command's options: pufa COMMAND --help, e.g. pufa new --help\n"), "{top}");
    // Every command's every line of help has Chinese in it.
    for command in [
        "build", "init", "schedule", "new", "check", "serve", "wechat", "deploy", "publish",
        "statutes",
    ] {
        let page = help(&[command, "--help"]);
        let first = page.lines().next().unwrap();
        assert!(first.contains(" / "), "{command}: {first}");
        // An option's help is on its line, or on the next when long.
        let lines: Vec<&str> = page.lines().collect();
        let chinese = |l: &str| l.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for (i, line) in lines.iter().enumerate() {
            if line.trim_start().starts_with('-') {
                assert!(
                    chinese(line) || lines.get(i + 1).is_some_and(|l| chinese(l)),
                    "{command}: {line}"
                );
            }
        }
        // clap's own notes, in English only, are replaced by pufa's.
        for english in ["[default:", "[env:", "[possible values:"] {
            assert!(!page.contains(english), "{command}: {page}");
        }
    }
    let build = help(&["build", "-h"]);
    assert!(
        build.contains("--now <NOW>            假装现在是这个时间（`2026-12-04 08:00`，站点时区） / Build as if it were this time (`YYYY-MM-DD HH:MM` in the site's time zone, or RFC 3339) [环境变量 / env: PUFA_NOW]\n"),
        "{build}"
    );
    assert!(
        build.contains("(the one holding site.yaml) [默认 / default: .]\n"),
        "{build}"
    );
    let check = help(&["check", "--help"]);
    assert!(
        check.contains(" / `text` (compiler-style lines) or `json` (for tools) [默认 / default: text; 可选 / possible values: text, json]\n"),
        "{check}"
    );
}

#[test]
fn a_mistyped_command_gets_a_chinese_hint_after_clap_s_message() {
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .arg("buidl")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: unrecognized subcommand 'buidl'

  tip: a similar subcommand exists: 'build'

Usage: pufa <COMMAND>

For more information, try '--help'.
提示：命令写得不对（见上面的英文说明）；运行 pufa --help 查看全部命令，pufa 命令 --help 查看某个命令的选项
"
    );
}

#[test]
fn serve_on_a_port_in_use_says_so_in_both_languages() {
    let site = Site::fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = site.pufa(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot serve on 127.0.0.1:{port}: another program (perhaps another pufa serve) uses port {port}
  错误：无法在 127.0.0.1:{port} 上预览：端口 {port} 已被别的程序占用（也许另一个 pufa serve 还开着）
  hint: close the other preview, or use another port: pufa serve --port 0 (any free port)
  提示：关掉另一个预览窗口，或者换个端口：pufa serve --port 0（自动找一个空闲端口）
"
        )
    );
}

/// Runs `pufa ARGS --root <site>` with stdin a terminal (util-linux
/// `script` gives it a pseudo-terminal) that types `input`; its output
/// (the terminal's echo included). `None` without `script`.
fn at_a_terminal(site: &Site, args: &str, input: &str) -> Option<String> {
    let script = std::path::Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped: no /usr/bin/script for a pseudo-terminal");
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("pufa");
    let line = format!("{} {args} --root {}", bin.display(), site.root().display());
    let out = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env("PUFA_NOW", "2026-12-06 10:00")
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn at_a_terminal_new_asks_about_today_and_the_section_title() {
    let site = Site::fixture("basic");
    let Some(said) = at_a_terminal(&site, "new qa/a --campaign 11-25", "n\n") else {
        return;
    };
    assert!(
        said.contains("11·25 国际消除对妇女暴力日的宣传时段（11月25日–12月10日）正在进行。宣传时段内，今天发布？[Y/n] "),
        "{said}"
    );
    assert!(
        site.read("content/qa/a.md")
            .contains("date: 2027-11-25 08:00\n")
    );
    at_a_terminal(&site, "new qa/b --campaign 11-25", "\n");
    assert!(
        site.read("content/qa/b.md")
            .contains("date: 2026-12-06 08:00\n")
    );
    let said = at_a_terminal(&site, "new wenda/c", "普法问答\n").unwrap();
    assert!(
        said.contains("栏目 content/wenda 还不存在。请输入新栏目的中文名称（例如 新闻动态），直接回车则不新建："),
        "{said}"
    );
    assert!(
        site.read("content/wenda/_index.md")
            .starts_with("---\ntitle: \"普法问答\"\n")
    );
}

#[test]
fn the_preview_does_not_warn_about_its_own_address() {
    use std::io::BufRead;
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &crate::support::article("一则新闻", "2026-11-01 08:00", "", "正文。"),
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pufa"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .env("PUFA_NOW", crate::support::NOW)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.starts_with("预览地址 ");
        lines.push(line);
        if done {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        lines[0].starts_with("已生成 1 篇文章，用时 ") && lines[0].ends_with(" (generation 1)"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("serving http://127.0.0.1:"),
        "{lines:?}"
    );
    assert!(
        lines[2].ends_with(" · 按 Ctrl+C 停止 · Ctrl+C to stop"),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 3, "no warning: {lines:?}");
}

/// `line` with its durations (`0.3 s`, `0.3 秒`) written `T`.
fn untimed(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let timed = |i: usize| {
        words[i].contains('.')
            && words[i].parse::<f64>().is_ok()
            && words
                .get(i + 1)
                .is_some_and(|w| w.starts_with("s") || w.starts_with("秒"))
    };
    (0..words.len())
        .map(|i| if timed(i) { "T" } else { words[i] })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn deploy_and_publish_say_what_they_did_and_what_is_wrong_in_both_languages() {
    let site = Site::minimal();
    let out = site.pufa(&["deploy"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: site.yaml has no `deploy:` targets
  错误：site.yaml 里还没有发布目标（deploy:）
  hint: add one like this (docs/deploy.md has OSS, COS, OBS and nginx examples)
  提示：照下面的样子在 site.yaml 里添加一个（docs/deploy.md 有阿里云 OSS、腾讯云 COS、华为云 OBS 和 nginx 的例子）

    deploy:
      oss:
        type: s3
        endpoint: https://oss-cn-hangzhou.aliyuncs.com
        bucket: your-bucket
        region: oss-cn-hangzhou
"
    );

    let www = tempfile::tempdir().unwrap();
    let www = www.path().join("www");
    site.write(
        "site.yaml",
        &format!(
            "title: 小站\nbase_url: https://x.example.cn/\ndeploy:\n  www:\n    type: dir\n    path: {}\n",
            www.display()
        ),
    );
    let out = site.pufa(&["deploy", "oss"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no deploy target `oss` in site.yaml; the targets are: www
  错误：site.yaml 里没有名为「oss」的发布目标；现有的发布目标：www
"
    );

    let public = site.path("public");
    let public = public.display();
    let out = site.pufa(&["deploy"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {public} is not a site built by pufa (it has no .pufa-output file). Run `pufa build` first, or `pufa publish` to build and deploy in one go.
  错误：{public} 不是 pufa 生成的网站（里面没有 .pufa-output 文件）。请先运行「pufa build」，或者用「pufa publish」一步完成生成和发布。
"
        )
    );

    let lock = std::fs::File::create(site.path(".public.publish.lock")).unwrap();
    lock.lock().unwrap();
    let out = site.pufa(&["publish"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: another pufa publish is running for this output folder; wait for it to finish
  错误：另一个 pufa publish 正在发布这个输出文件夹；请等它结束
"
    );
    drop(lock);

    let out = site.pufa(&["publish"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    let files = said
        .split("built 0 articles, ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("{said}"));
    let size = said
        .split(" copied (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap_or_else(|| panic!("{said}"));
    assert_eq!(
        untimed(&said),
        format!(
            "built 0 articles, {files} files into {public} · 已生成 0 篇文章、{files} 个文件，写入 {public}
deployed to www: {files} copied ({size}), 0 deleted, 0 unchanged in T s · 已发布到 www：复制 {files} 个（{size}），删除 0 个，未变 0 个，用时 T 秒
"
        )
    );

    let out = site.pufa(&["deploy", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        untimed(&stderr(&out)),
        format!(
            "would deploy to www: 0 copied (0 B), 0 deleted, {files} unchanged in T s · 预演（什么都没改），将发布到 www：复制 0 个（0 B），删除 0 个，未变 {files} 个，用时 T 秒\n"
        )
    );
}
