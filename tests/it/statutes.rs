//! Statute citations through the real binary: every written form is linked
//! to the article's anchor, the quoted texts follow the article, statute
//! pages list who cites what, and impossible article numbers are errors;
//! article numbers standing alone cite the law named before them.

use crate::support::Site;

fn prose(page: &str) -> &str {
    let start = page.find("<div class=\"prose\">").unwrap();
    let end = page[start..]
        .find("<footer class=\"article-foot\">")
        .unwrap();
    &page[start..start + end]
}

#[test]
fn every_form_of_citation_is_linked() {
    let site = Site::fixture("statutes");
    site.build_ok();
    let page = site.read("public/qa/forms/index.html");
    let body = prose(&page);
    let link = |text: &str, n: u32| {
        format!("<a class=\"cite\" href=\"/statutes/fanjiabaofa/#a{n}\">{text}</a>")
    };
    // Full name with 《》; alias without 《》 and with Arabic digits; 款.
    assert!(
        body.contains(&link("《中华人民共和国反家庭暴力法》第二十三条", 23)),
        "{body}"
    );
    assert!(body.contains(&link("反家暴法第23条", 23)), "{body}");
    assert!(
        body.contains(&link("《反家庭暴力法》第二十三条第一款", 23)),
        "{body}"
    );
    // A range links both ends; a list links each article.
    assert!(body.contains(&link("《反家庭暴力法》第二十三条", 23)));
    assert!(body.contains(&link("第二十五条", 25)), "{body}");
    assert!(body.contains(&link("《反家庭暴力法》第二条", 2)));
    assert!(body.contains(&link("第三条", 3)), "{body}");
    // Unknown laws, code, headings and links are left alone.
    assert!(body.contains("《治安管理处罚法》第五十条"));
    assert!(!body.contains("#a50"));
    assert!(body.contains("<code>代码里的《反家庭暴力法》第二条</code>"));
    assert!(body.contains(">标题里的《反家庭暴力法》第二条不处理</h2>"));
    assert!(body.contains(">链接里的《反家庭暴力法》第三条</a>"));
}

#[test]
fn cited_articles_are_quoted_in_full_after_the_article() {
    let site = Site::fixture("statutes");
    site.build_ok();
    let page = site.read("public/qa/forms/index.html");
    let block = &page[page.find("本文引用的法条").expect("the block")..];
    // 23, 24 (inside the range), 25, 2, 3: each once, with its full text.
    for n in ["第二十三条", "第二十四条", "第二十五条", "第二条", "第三条"] {
        assert_eq!(block.matches(&format!("》{n}</a>")).count(), 1, "{n}");
    }
    assert!(block.contains("<p>当事人因遭受家庭暴力或者面临家庭暴力的现实危险，向人民法院申请人身安全保护令的，人民法院应当受理。</p>"));
}

#[test]
fn statute_pages_anchor_articles_and_list_citing_articles() {
    let site = Site::fixture("statutes");
    site.build_ok();
    let law = site.read("public/statutes/fanjiabaofa/index.html");
    assert!(law.contains("<h1>中华人民共和国反家庭暴力法</h1>"));
    assert!(law.contains("id=\"a23\""));
    let a23 = &law[law.find("id=\"a23\"").unwrap()..];
    let a23 = &a23[..a23.find("</section>").unwrap()];
    assert!(
        a23.contains("引用本条的文章：<a href=\"/qa/forms/\">引用的各种写法</a>"),
        "{a23}"
    );
    assert!(
        site.read("public/statutes/index.html")
            .contains("/statutes/fanjiabaofa/")
    );
}

#[test]
fn an_article_number_the_law_does_not_have_is_an_error() {
    let site = Site::fixture("statutes");
    site.write(
        "content/qa/wrong.md",
        "---\ntitle: 错误的条号\ndate: 2026-10-02\nsummary: 摘要。\n---\n\n依照《反家庭暴力法》第三十九条。\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/qa/wrong.md:7:1: error: 《中华人民共和国反家庭暴力法》 has no article 39 (it has 38)\n  错误：《中华人民共和国反家庭暴力法》没有第39条（共 38 条）"),
        "{err}"
    );
}

#[test]
fn an_article_missing_from_the_data_is_a_warning() {
    let site = Site::fixture("statutes");
    site.write(
        "content/qa/missing.md",
        "---\ntitle: 没收录的条文\ndate: 2026-10-02\nsummary: 摘要。\n---\n\n依照《反家庭暴力法》第三十条。\n",
    );
    let stderr = site.build_ok();
    assert!(
        stderr.contains("content/qa/missing.md:7:1: warning: article 30 of 《中华人民共和国反家庭暴力法》 is cited but its text is not in statutes/fanjiabaofa.yaml"),
        "{stderr}"
    );
}

#[test]
fn article_numbers_cite_the_law_named_before_them() {
    let site = Site::fixture("statutes");
    site.write(
        "content/qa/context.md",
        "---\ntitle: 上下文里的条号\ndate: 2026-10-02\nsummary: 摘要。\n---\n\n\
         ## 《反家庭暴力法》怎么规定\n\n\
         **《反家庭暴力法》第二十三条**规定了保护令，该法第二十五条规定了管辖。\n\n\
         申请的形式见第二十四条；第三十九条超出了这部法律，不链接，也不报错。\n\n\
         《反家庭暴力法》第三十五条规定：\n\n\
         > 第三十五条　……未依照本法第十四条规定向公安机关报案……\n\n\
         《治安管理处罚法》第五十条规定了拘留，此后的第二条不是链接。\n",
    );
    let stderr = site.build_ok();
    assert!(!stderr.contains("error"), "{stderr}");
    let page = site.read("public/qa/context/index.html");
    let body = prose(&page);
    let body = &body[..body.find("本文引用的法条").expect("the block")];
    let link = |text: &str, n: u32| {
        format!("<a class=\"cite\" href=\"/statutes/fanjiabaofa/#a{n}\">{text}</a>")
    };
    // Across emphasis: the paragraph's law.
    assert!(
        body.contains(&format!(
            "<strong>{}</strong>规定了保护令，{}规定了管辖。",
            link("《反家庭暴力法》第二十三条", 23),
            link("该法第二十五条", 25)
        )),
        "{body}"
    );
    // The heading's law; a number it does not have is left as it is.
    assert!(
        body.contains(&format!(
            "申请的形式见{}；第三十九条超出",
            link("第二十四条", 24)
        )),
        "{body}"
    );
    // A quote of the law: its article number, and 本法.
    assert!(
        body.contains(&format!(
            "<blockquote>\n<p>{}　……未依照{}规定向公安机关报案……</p>",
            link("第三十五条", 35),
            link("本法第十四条", 14)
        )),
        "{body}"
    );
    // Not after a law the site has no data for.
    assert!(body.contains("，此后的第二条不是链接。"), "{body}");
    // The block quotes each article the page cites, context or not.
    let block = &page[page.find("本文引用的法条").unwrap()..];
    for n in [
        "第二十三条",
        "第二十五条",
        "第二十四条",
        "第三十五条",
        "第十四条",
    ] {
        assert_eq!(block.matches(&format!("》{n}</a>")).count(), 1, "{n}");
    }
    assert!(!block.contains("第三十九条"));
    // And the law's page lists the page under an article cited by context.
    let law = site.read("public/statutes/fanjiabaofa/index.html");
    let a24 = &law[law.find("id=\"a24\"").unwrap()..];
    let a24 = &a24[..a24.find("</section>").unwrap()];
    assert!(
        a24.contains("<a href=\"/qa/context/\">上下文里的条号</a>"),
        "{a24}"
    );
}
