//! `pufa init`: a new site that builds at once.

use assert_cmd::Command;

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("mysite");
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .args(["build", "--now", "2026-11-29 12:00", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page =
        std::fs::read_to_string(site.join("public/education/jiabao-bushi-jiawushi/index.html"))
            .unwrap();
    assert!(page.contains("<h1>家暴不是家务事</h1>"));
    assert!(
        page.contains("<strong>遇到家暴怎么办：</strong>"),
        "CJK-friendly bold"
    );
    // The law library is in the binary: the example's citation links and
    // its article is quoted under it, with no statutes/ folder in the site.
    assert!(!site.join("statutes").exists());
    assert!(
        page.contains("<a class=\"cite\" href=\"/statutes/fanjiabaofa/#a23\">《中华人民共和国反家庭暴力法》第二十三条第一款</a>"),
        "{page}"
    );
    let block = &page[page
        .find("本文引用的法条")
        .expect("the 本文引用的法条 block")..];
    assert!(block.contains("当事人因遭受家庭暴力或者面临家庭暴力的现实危险，向人民法院申请人身安全保护令的，人民法院应当受理。"));
    let law = std::fs::read_to_string(site.join("public/statutes/fanjiabaofa/index.html")).unwrap();
    assert_eq!(
        law.matches("class=\"statute-article\"").count(),
        38,
        "the whole law"
    );
}

#[test]
fn init_never_overwrites_a_site() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: 已有\n").unwrap();
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .arg("init")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
        "title: 已有\n"
    );
}
