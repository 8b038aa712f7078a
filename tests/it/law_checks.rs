//! What articles say about the law, checked through the real binary: a
//! quotation of statute text must be the text (one changed character fails
//! the build, naming file, line and difference); a cited law missing from
//! `laws:` and a cited law with no data are warnings.

use crate::support::Site;

#[test]
fn a_planted_misquote_fails_the_build_naming_file_line_and_difference() {
    let site = Site::sample();
    let file = "content/education/法定继承顺序.md";
    let text = site.read(file);
    // The blockquote of 民法典第一千一百二十七条, one character changed.
    let planted = text.replacen(
        "（一）第一顺序：配偶、子女、父母；",
        "（一）第一顺序：配偶、儿子、父母；",
        1,
    );
    assert_ne!(
        planted, text,
        "the sample article changed; plant the misquote elsewhere"
    );
    let line = planted
        .lines()
        .position(|l| l.contains("配偶、儿子"))
        .unwrap()
        + 1;
    site.write(file, &planted);
    let err = site.build_err();
    assert!(
        err.contains(&format!("{file}:{line}:14: error: the quotation of 《民法典》第一千一百二十七条 is not the law's text")),
        "{err}"
    );
    assert!(
        err.contains("【儿子") && err.contains("【子女"),
        "the difference is shown:\n{err}"
    );
    assert!(err.contains("与法律原文不一致"), "{err}");
    assert!(
        !site.exists("public/index.html"),
        "a failed build wrote the output"
    );

    // Inline quotations too, and an ellipsis that hides a change does not help.
    site.write(file, &text);
    site.write(
        "content/news/yin-yong.md",
        "---\ntitle: 引用\ndate: 2026-10-02\nsummary: 摘要。\nlaws: [\"反家庭暴力法\"]\n---\n\n《反家庭暴力法》第十九条规定：“法律援助机构应当依法为家庭暴力受害人提供免费法律援助。”\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/news/yin-yong.md:8:37: error"),
        "{err}"
    );
    assert!(err.contains("【免费"), "{err}");
    site.write(
        "content/news/yin-yong.md",
        "---\ntitle: 引用\ndate: 2026-10-02\nsummary: 摘要。\nlaws: [\"反家庭暴力法\"]\n---\n\n《反家庭暴力法》第十九条规定：“法律援助机构……提供法律援助。”\n",
    );
    site.build_ok();
}

#[test]
fn a_cited_law_missing_from_laws_and_a_law_without_data_are_warnings() {
    let site = Site::sample();
    site.write(
        "content/news/lao-ren.md",
        "---\ntitle: 老人\ndate: 2026-10-02\nsummary: 摘要。\nlaws: [\"民法典\"]\n---\n\n《老年人权益保障法》第十八条说，要常回家看看。依照《劳动合同法》第四十二条，孕期不得辞退。\n",
    );
    let err = site.build_ok();
    assert!(
        err.contains("content/news/lao-ren.md:5:1: warning: the text cites 《老年人权益保障法》 but `laws:` does not list it"),
        "{err}"
    );
    assert!(
        err.contains("content/news/lao-ren.md:8:")
            && err.contains("《劳动合同法》 is cited, but the site has no text of it"),
        "{err}"
    );
    assert!(err.contains("pufa statutes import"), "{err}");
}
