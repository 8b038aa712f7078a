//! `pufa statutes import` through the real binary, and the law library every
//! site has: Markdown in the LawRefBook layout → YAML → a site that loads it,
//! cites it and shows it; malformed texts are refused with their lines.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

use crate::support::{Site, article};

/// `tests/fixtures/statutes-import/`, where the commands run, so that
/// messages name the files as given.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/statutes-import")
}

/// `pufa statutes import ARGS`, run in [`fixtures`].
fn import(args: &[&str]) -> Output {
    Command::cargo_bin("pufa")
        .unwrap()
        .current_dir(fixtures())
        .args(["statutes", "import"])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A minimal site with `statutes/<key>.yaml` imported from `files`.
fn site_with_import(key: &str, files: &[&str], extra: &[&str]) -> Site {
    let site = Site::minimal();
    let output = site.path(&format!("statutes/{key}.yaml"));
    std::fs::create_dir_all(output.parent().unwrap()).unwrap();
    let output = output.to_str().unwrap().to_string();
    let mut args: Vec<&str> = files.to_vec();
    args.extend(extra);
    args.extend(["--output", &output]);
    let out = import(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

#[test]
fn an_imported_law_loads_is_cited_and_shown() {
    let site = site_with_import("hemu", &["hemu.md"], &["--alias", "示范法"]);
    let yaml = site.read("statutes/hemu.yaml");
    assert!(yaml.starts_with(
        "# 中华人民共和国家庭和睦示范法\n\
         # Made by `pufa statutes import` from hemu.md.\n\
         # effective: 第五条 “本法自2024年1月1日起施行。”\n\
         # 每一款（以及每一项）占 text 的一行。\n\
         name: 中华人民共和国家庭和睦示范法\n\
         short: 家庭和睦示范法\n\
         aliases: [中华人民共和国家庭和睦示范法, 家庭和睦示范法, 示范法]\n\
         effective: 2024-01-01\n\
         history:\n  \
         - { date: 2019-06-01, event: 通过 }\n  \
         - { date: 2023-03-08, event: 修正 }\n\
         articles_total: 5\n"
    ));
    // Headings normalised (`第一章  总　则`, `第一节  夫  妻`), items on
    // their own lines, the full-width space after 第四条 gone.
    assert!(yaml.contains(
        "  3:\n    chapter: 第二章 家庭成员的义务\n    section: 第一节 夫妻\n    text: |\n      \
         夫妻双方应当做到下列事项：\n      （一）共同承担家务劳动；\n      （二）共同抚养、教育子女。\n      \
         违反前款规定的，由居民委员会、村民委员会予以劝导。\n"
    ));
    assert!(yaml.contains("  4:\n    chapter: 第二章 家庭成员的义务\n    section: 第二节 父母子女\n    text: |\n      父母对未成年子女负有抚养、教育和保护的义务。\n"));
    assert!(yaml.contains("  1:\n    chapter: 第一章 总则\n"));

    site.write(
        "content/news/hemu.md",
        &article(
            "家庭和睦",
            "2026-10-01",
            "",
            "依照《示范法》第三条，夫妻共同承担家务劳动。",
        ),
    );
    site.build_ok();
    let page = site.read("public/news/hemu/index.html");
    assert!(page.contains("<a class=\"cite\" href=\"/statutes/hemu/#a3\">《示范法》第三条</a>"));
    assert!(page.contains("<p>（一）共同承担家务劳动；</p>\n<p>（二）共同抚养、教育子女。</p>"));
    let law = site.read("public/statutes/hemu/index.html");
    assert!(law.contains("<h1>中华人民共和国家庭和睦示范法</h1>"));
    assert!(law.contains("<h2 class=\"statute-chapter\">第二章 家庭成员的义务</h2>"));
    assert!(law.contains("<p>违反前款规定的，由居民委员会、村民委员会予以劝导。</p>"));
    assert!(law.contains("2024年1月1日起施行"));
    assert!(law.contains("引用本条的文章：<a href=\"/news/hemu/\">家庭和睦</a>"));
}

#[test]
fn without_output_the_yaml_goes_to_standard_output() {
    let site = site_with_import("hemu", &["hemu.md"], &[]);
    let out = import(&["hemu.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout.clone()).unwrap(),
        site.read("statutes/hemu.yaml")
    );
    assert_eq!(
        stderr(&out),
        "imported 《中华人民共和国家庭和睦示范法》: 5 articles (1–5 of 5), effective 2024-01-01 · 已导入《中华人民共和国家庭和睦示范法》：5 条（第 1–5 条，共 5 条），2024-01-01 起施行\n"
    );
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let site = Site::minimal();
    site.write("statutes/hemu.yaml", "# mine\n");
    let output = site.path("statutes/hemu.yaml");
    let output = output.to_str().unwrap();
    let out = import(&["hemu.md", "--output", output]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {output} already exists
  错误：{output} 已经存在
  hint: pass --force to replace it
  提示：要替换它，请加 --force
"
        )
    );
    assert_eq!(site.read("statutes/hemu.yaml"), "# mine\n");

    let out = import(&["hemu.md", "--output", output, "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "imported 《中华人民共和国家庭和睦示范法》: 5 articles (1–5 of 5), effective 2024-01-01 → {output} · 已导入《中华人民共和国家庭和睦示范法》：5 条（第 1–5 条，共 5 条），2024-01-01 起施行 → {output}\n"
        )
    );
    assert!(
        site.read("statutes/hemu.yaml")
            .starts_with("# 中华人民共和国家庭和睦示范法\n")
    );
    // Only the file named was written.
    let names: Vec<String> = std::fs::read_dir(site.path("statutes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["hemu.yaml"]);

    // The key is the file name.
    let other = site.path("statutes/other.yaml");
    let out = import(&[
        "hemu.md",
        "--key",
        "hemu",
        "--output",
        other.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let other = other.display();
    assert_eq!(
        stderr(&out),
        format!(
            "error: --output {other} and --key hemu disagree: a law's key is its file name
  错误：--output {other} 与 --key hemu 不一致：法律的键名就是它的文件名
"
        )
    );
    assert!(!site.path("statutes/other.yaml").exists());
}

#[test]
fn malformed_text_is_reported_with_its_lines_and_nothing_is_written() {
    let site = Site::minimal();
    let output = site.path("statutes/broken.yaml");
    let out = import(&["broken.md", "--output", output.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "\
broken.md:7:1: error: text before the first article that pufa cannot place
  错误：第一条之前有无法归类的文字
  hint: adoption lines go above `<!-- INFO END -->`; a preamble goes under a `## 序言` heading
  提示：通过、修改的记载写在「<!-- INFO END -->」之上；序言写在「## 序言」标题之下
broken.md:15:1: error: 第二条 appears twice: first at line 13
  错误：第二条出现了两次：第一次在第 13 行
broken.md:17:1: error: 第三条 has no text
  错误：第三条没有内容
broken.md:21:1: error: 第五条 follows 第三条: 第四条 is missing
  错误：第五条紧接在第三条之后：缺了第四条
4 error(s), 0 warning(s); nothing was written
"
    );
    assert!(!output.exists());
    assert!(!site.path("statutes").exists());
}

#[test]
fn parts_of_the_civil_code_merge_and_replace_the_library_s() {
    // Given out of order: merged in the order of their articles.
    let site = site_with_import(
        "minfadian",
        &["民法典-婚姻家庭编.md", "民法典-总则.md"],
        &["--articles-total", "1260"],
    );
    let yaml = site.read("statutes/minfadian.yaml");
    assert!(yaml.contains("  1:\n    part: 第一编 总则\n    chapter: 第一章 基本规定\n"));
    assert!(yaml.contains("  1046:\n    part: 第五编 婚姻家庭\n    chapter: 第二章 结婚\n"));
    assert!(yaml.contains("effective: 2021-01-01\nhistory:\n  - { date: 2020-05-28, event: 通过 }\narticles_total: 1260\n"));

    site.write(
        "content/news/hunyin.md",
        &article(
            "婚姻自由",
            "2026-10-01",
            "",
            "民法典第一千零四十二条禁止家庭暴力。民法典第一千零七十九条规定了诉讼离婚。",
        ),
    );
    let warnings = site.build_ok();
    // The site's file replaced the library's law: 1079 is not in it.
    assert!(
        warnings.contains("article 1079 of 《中华人民共和国民法典》 is cited but its text is not in statutes/minfadian.yaml"),
        "{warnings}"
    );
    let law = site.read("public/statutes/minfadian/index.html");
    assert!(law.contains("本站收录 11 条"), "{law}");
    assert!(law.contains("<p>禁止家庭暴力。禁止家庭成员间的虐待和遗弃。</p>"));
}

#[test]
fn every_site_has_the_library() {
    let site = Site::minimal();
    site.write(
        "content/news/weibao.md",
        &article(
            "委托照护",
            "2026-10-01",
            "",
            "《未成年人保护法》第二十二条规定了委托照护。宪法第四十九条保护婚姻家庭。民法典第三百条。",
        ),
    );
    let warnings = site.build_ok();
    // An article the library lacks (民法典 carries three of its seven parts).
    assert!(
        warnings.contains(
            "warning: article 300 of 《中华人民共和国民法典》 is cited but pufa's law library does not have its text\n  \
             警告：引用了《中华人民共和国民法典》第300条，但 pufa 内置的法律库里没有这一条的条文\n  \
             hint: to quote it, give the whole law in statutes/minfadian.yaml, which then replaces the library's"
        ),
        "{warnings}"
    );
    let page = site.read("public/news/weibao/index.html");
    assert!(page.contains(
        "<a class=\"cite\" href=\"/statutes/weichengnianren/c2/#a22\">《未成年人保护法》第二十二条</a>"
    ));
    assert!(page.contains("<p>（四）其他不适宜担任被委托人的情形。</p>"));
    assert!(page.contains("<p>禁止破坏婚姻自由，禁止虐待老人、妇女和儿童。</p>"));
    for key in [
        "fanjiabaofa",
        "funvquanyi",
        "jiatingjiaoyu",
        "laonianren",
        "minfadian",
        "weichengnianren",
        "xianfa",
    ] {
        assert!(
            site.exists(&format!("public/statutes/{key}/index.html")),
            "{key}"
        );
    }
    let law = site.read("public/statutes/weichengnianren/index.html");
    assert!(law.contains("全文 132 条"));
    // The text in force took effect in 2021; the 2024 amendment did not
    // restart it, and is shown as what it is.
    assert!(
        law.contains("2020年10月17日修订 · 2021年6月1日起施行 · 2024年4月26日修正"),
        "{law}"
    );
    assert!(!law.contains("2024年4月26日起施行"));
    // A long law: a contents page by chapter, and a page per chapter
    // holding its articles with their anchors.
    assert!(law.contains("<a href=\"/statutes/weichengnianren/c2/\">第二章 家庭保护</a>"));
    let chapter = site.read("public/statutes/weichengnianren/c2/index.html");
    assert!(chapter.contains("id=\"a22\""));
    assert!(chapter.contains("rel=\"next\" href=\"/statutes/weichengnianren/c3/\""));
    // No statute page is heavy on a phone.
    let heaviest = walkdir::WalkDir::new(site.path("public/statutes"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.metadata().unwrap().len(), e.path().display().to_string()))
        .max()
        .unwrap();
    assert!(heaviest.0 < 60 * 1024, "{heaviest:?}");
}

#[test]
fn wrong_options_are_said_in_both_languages() {
    let said = |args: &[&str]| {
        let out = import(&[&["hemu.md"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        stderr(&out)
    };
    assert_eq!(
        said(&["--key", "Min Fa"]),
        "error: --key Min Fa: a key is used in URLs, use only a-z, 0-9 and - (e.g. minfadian)
  错误：--key Min Fa：键名用在网址里，只能用 a-z、0-9 和 -（例如 minfadian）
"
    );
    assert_eq!(
        said(&["--effective", "2021/1/1"]),
        "error: --effective 2021/1/1: write the date as YYYY-MM-DD, e.g. 2021-01-01
  错误：--effective 2021/1/1：日期请写成 YYYY-MM-DD，例如 2021-01-01
"
    );
    assert_eq!(
        said(&["--output", "hemu.txt"]),
        "error: --output hemu.txt: a law's file is KEY.yaml (e.g. statutes/minfadian.yaml)
  错误：--output hemu.txt：法律数据的文件名应为 键名.yaml（例如 statutes/minfadian.yaml）
"
    );
    assert_eq!(
        said(&["--output", "Hemu.yaml"]),
        "error: --output Hemu.yaml: the file name is the law's key, used in URLs; use only a-z, 0-9 and - (e.g. minfadian.yaml)
  错误：--output Hemu.yaml：文件名就是法律的键名，用在网址里，只能用 a-z、0-9 和 -（例如 minfadian.yaml）
"
    );
}
