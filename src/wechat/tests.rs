//! What an editor pasting the export would notice.

use super::*;

const SITE: &str = "https://pufa.example.cn/";

fn opts() -> ExportOptions<'static> {
    ExportOptions {
        base_url: SITE,
        primary_color: "#b03a2e",
    }
}

fn run(html: &str) -> Export {
    export(html, &opts())
}

fn codes(e: &Export, level: LintLevel) -> Vec<&'static str> {
    e.lints
        .iter()
        .filter(|l| l.level == level)
        .map(|l| l.code)
        .collect()
}

/// Excerpts of the sample site's articles as pufa renders them
/// (fanjiabao-zhengju, hunnei-caichan, fa-ding-ji-cheng-shun-xu).
const ARTICLE: &str = r##"<p>“他打我的时候没人看见，说出去谁信？”这是很多家暴受害者来妇联求助时说的第一句话。家庭暴力往往发生在关起门的家里，<strong>证据</strong>就成了维权路上最关键的一环。</p>
<h2 id="shen-me-shi-jia-ting-bao-li">什么是家庭暴力</h2>
<blockquote>
<p>第二条　本法所称家庭暴力，是指家庭成员之间以殴打、捆绑、残害、限制人身自由以及经常性谩骂、恐吓等方式实施的身体、精神等侵害行为。</p>
<p>——《中华人民共和国反家庭暴力法》</p>
</blockquote>
<p>结合这一条和妇联日常接待的经验，证据可以按下面的顺序来留：</p>
<p><img src="/education/fanjiabao-zhengju/figure.png" alt="收集家暴证据的四个步骤示意：报警、就医、留存、求助" loading="lazy" decoding="async"></p>
<ol>
<li><strong>报警，拿到出警记录。</strong>每一次都要报警，哪怕“只是推了一下”。</li>
<li><strong>留存，越早越好。</strong>
<ul>
<li>用手机拍下伤处，最好能同时拍到自己的脸和当天的日期；</li>
<li>对方发来的威胁短信、微信，写下的<strong>保证书、悔过书</strong>，都是有力的证据。</li>
</ul>
</li>
</ol>
<p>按照法律，全职照顾家庭的一方，对婚姻关系存续期间<sup class="footnote-reference"><a href="#1">1</a></sup>的共同财产同样享有平等的权利。</p>
<div class="table-wrap"><table><thead><tr><th>顺序</th><th>包括谁</th><th style="text-align: center">说明</th></tr></thead><tbody>
<tr><td>第一顺序</td><td>配偶、子女、父母</td><td style="text-align: center">子女包括婚生子女、非婚生子女</td></tr>
</tbody></table>
</div>
<p>申请<strong>人身安全保护令</strong>，具体做法见<a href="/qa/baohuling-shenqing/">人身安全保护令怎么申请</a>；条文原文见<a href="https://flk.npc.gov.cn/detail2.html?ZmY4MDgxODE3">国家法律法规数据库</a>。</p>
<h3 id="li-yi-zhu-de-ji-ge-ti-xing">立遗嘱的几个提醒</h3>
<div class="footnote-definition" id="1"><sup class="footnote-definition-label">1</sup>
<p>婚姻关系存续期间，指从完成结婚登记之日起，到完成离婚登记之日止。</p>
</div>
"##;

// --------------------------------------------------------------------------
// What the editor strips never reaches it

#[test]
fn a_realistic_article_keeps_no_class_id_style_tag_script_or_div() {
    let e = run(ARTICLE);
    for banned in [
        "class=",
        " id=",
        "<style",
        "<script",
        "<div",
        "<link",
        "loading=",
        "decoding=",
    ] {
        assert!(!e.fragment.contains(banned), "{banned} in {}", e.fragment);
    }
    assert!(e.lints.is_empty(), "{:?}", e.lints);
}

#[test]
fn no_variables_position_top_offsets_or_line_breaks_in_the_output() {
    let e = run(&format!(
        "{ARTICLE}<pre><code class=\"language-text\">第一行\n  第二行\n</code></pre>\n<div>\n<p>手写的 div</p>\n</div>\n"
    ));
    assert!(!e.fragment.contains("var("));
    assert!(!e.fragment.contains("position:"));
    assert!(!e.fragment.contains("position :"));
    let bare_top = e
        .fragment
        .match_indices("top:")
        .any(|(i, _)| i == 0 || &e.fragment[i - 1..i] != "-");
    assert!(!bare_top, "{}", e.fragment);
    assert!(!e.fragment.contains('\n'), "{}", e.fragment);
    assert!(e.fragment.contains("<section style=\"color:#3f3f3f\"><p "));
}

#[test]
fn hand_written_html_blocks_at_the_top_level_get_paragraphs() {
    let e = run("<img src=\"/a.png\" alt=\"图\">\n\n<p>正文<!-- more -->继续</p>\n裸文字\n");
    let p = "<p style=\"margin:1.5em 8px;letter-spacing:0.05em;color:#3f3f3f\">";
    assert!(
        e.fragment
            .contains(&format!("{p}<img src=\"https://pufa.example.cn/a.png\"")),
        "{}",
        e.fragment
    );
    assert!(
        e.fragment
            .contains(&format!("{p}正文继续</p>{p}裸文字</p>")),
        "{}",
        e.fragment
    );
}

#[test]
fn wrapper_section_base_font_and_spacers() {
    let e = run("<p>正文</p>");
    let spacer = "<p style=\"font-size:0;line-height:0;margin:0\">&nbsp;</p>";
    assert!(e.fragment.starts_with(&format!("{spacer}<section style=\"font-family:-apple-system-font,BlinkMacSystemFont,'Helvetica Neue','PingFang SC'")));
    assert!(e.fragment.ends_with(&format!("</section>{spacer}")));
    assert!(e.fragment.contains("font-size:16px;line-height:1.75"));
    assert_eq!(e.fragment.matches("<section").count(), 1);
}

#[test]
fn every_text_block_has_an_explicit_colour_and_none_is_black() {
    let e = run(ARTICLE);
    for tag in [
        "<p ",
        "<li ",
        "<h2 ",
        "<h3 ",
        "<blockquote ",
        "<td ",
        "<th ",
    ] {
        for (i, _) in e.fragment.match_indices(tag) {
            let end = e.fragment[i..].find('>').unwrap();
            let open = &e.fragment[i..i + end];
            if open.contains("font-size:0") {
                continue; // the spacer has no text
            }
            assert!(open.contains("color:"), "{open}");
        }
    }
    assert!(!e.fragment.contains("#000"));
    assert!(!e.fragment.contains(":black"));
}

#[test]
fn the_primary_colour_is_a_parameter_and_must_be_a_plain_colour() {
    let e = export(
        "<h2>标题</h2><p><strong>重点</strong></p>",
        &ExportOptions {
            base_url: SITE,
            primary_color: "#0F4C81",
        },
    );
    assert!(e.fragment.contains("background:#0F4C81"));
    assert!(e.fragment.contains("<strong style=\"color:#0F4C81"));
    let e = export(
        "<p>x</p>",
        &ExportOptions {
            base_url: SITE,
            primary_color: "var(--md-primary-color)",
        },
    );
    assert!(!e.fragment.contains("var("));
    assert_eq!(codes(&e, LintLevel::Warning), ["L14"]);
}

#[test]
fn raw_scripts_styles_iframes_and_forms_are_removed_with_errors() {
    let e = run(concat!(
        "<p>前文</p>\n",
        "<script>alert(1)</script>\n",
        "<style>p{color:red}</style>\n",
        "<iframe src=\"https://v.qq.com/x\"></iframe>\n",
        "<form action=\"/x\"><input name=\"q\"></form>\n",
        "<p>后文<video src=\"a.mp4\"></video><audio src=\"a.mp3\"></audio><embed src=\"a.swf\"></p>\n",
    ));
    for banned in [
        "<script",
        "alert",
        "<style",
        "color:red",
        "<iframe",
        "<form",
        "<input",
        "<video",
        "<audio",
        "<embed",
    ] {
        assert!(!e.fragment.contains(banned), "{banned}");
    }
    assert!(e.fragment.contains(">前文</p>") && e.fragment.contains(">后文</p>"));
    let errors = codes(&e, LintLevel::Error);
    // script, style, iframe, form (its input goes with it), video, audio, embed
    assert_eq!(errors.len(), 7, "{:?}", e.lints);
    assert!(errors.iter().all(|c| *c == "L13"));
}

#[test]
fn divs_become_sections_and_hand_written_spans_keep_only_safe_styles() {
    let e = run(concat!(
        "<div class=\"note\" id=\"n\">",
        "<span style=\"color:#c00;position:absolute;top:0\">红字</span>",
        "<span style=\"color: black\">黑字</span>",
        "<font color=\"#1e6bb8\">蓝字</font>",
        "</div>"
    ));
    assert!(
        e.fragment.contains(concat!(
            "<section style=\"color:#3f3f3f\">",
            "<p style=\"margin:1.5em 8px;letter-spacing:0.05em;color:#3f3f3f\">",
            "<span style=\"color:#c00\">红字</span>",
            "<span style=\"color:#3f3f3f\">黑字</span>",
            "<span style=\"color:#1e6bb8\">蓝字</span></p></section>"
        )),
        "{}",
        e.fragment
    );
    assert_eq!(codes(&e, LintLevel::Warning), ["L15"]);
}

// --------------------------------------------------------------------------
// Links

#[test]
fn external_links_become_references_numbered_by_first_appearance_and_deduplicated() {
    let e = run(concat!(
        "<p>见<a href=\"https://flk.npc.gov.cn/\">国家法律法规数据库</a>和",
        "<a href=\"https://www.court.gov.cn/a.html\">最高法案例</a>。</p>\n",
        "<p>再看<a href=\"https://flk.npc.gov.cn/\">法规库</a>，",
        "以及<a href=\"https://www.women.org.cn/\">全国妇联</a>。</p>"
    ));
    assert_eq!(
        e.references,
        vec![
            (
                1,
                "https://flk.npc.gov.cn/".to_string(),
                "国家法律法规数据库".to_string()
            ),
            (
                2,
                "https://www.court.gov.cn/a.html".to_string(),
                "最高法案例".to_string()
            ),
            (
                3,
                "https://www.women.org.cn/".to_string(),
                "全国妇联".to_string()
            ),
        ]
    );
    assert!(!e.fragment.contains("<a "));
    let mark =
        |n: usize| format!("<sup style=\"font-size:75%;line-height:0;color:#b03a2e\">[{n}]</sup>");
    assert!(e.fragment.contains(&format!(
        "见国家法律法规数据库{}和最高法案例{}。",
        mark(1),
        mark(2)
    )));
    assert!(
        e.fragment
            .contains(&format!("再看法规库{}，以及全国妇联{}。", mark(1), mark(3)))
    );
    // The list at the end, under 引用链接, with wrapping URLs.
    let list = &e.fragment[e.fragment.find("引用链接").unwrap()..];
    assert!(list.contains(
        "[1]</span> 国家法律法规数据库：<span style=\"word-break:break-all\">https://flk.npc.gov.cn/</span>"
    ));
    assert!(list.contains("[2]</span> 最高法案例：<span style=\"word-break:break-all\">https://www.court.gov.cn/a.html</span>"));
    assert!(list.contains("[3]</span> 全国妇联："));
    assert_eq!(list.matches("word-break:break-all").count(), 3);
}

#[test]
fn wechat_article_links_and_links_to_the_site_stay_links_made_absolute() {
    let e = run(concat!(
        "<p><a href=\"https://mp.weixin.qq.com/s/abc\">往期：家暴怎么办</a>",
        "<a href=\"/education/hunnei-caichan/\">婚内财产</a>",
        "<a href=\"https://pufa.example.cn/qa/gaojieshu/#zuo-yong\">告诫书</a>",
        "<a href=\"//pufa.example.cn/laws/\">法律</a></p>"
    ));
    let link = |url: &str, text: &str| {
        format!("<a href=\"{url}\" style=\"color:#576b95;text-decoration:none\">{text}</a>")
    };
    for (url, text) in [
        ("https://mp.weixin.qq.com/s/abc", "往期：家暴怎么办"),
        (
            "https://pufa.example.cn/education/hunnei-caichan/",
            "婚内财产",
        ),
        ("https://pufa.example.cn/qa/gaojieshu/#zuo-yong", "告诫书"),
        ("https://pufa.example.cn/laws/", "法律"),
    ] {
        assert!(
            e.fragment.contains(&link(url, text)),
            "{url}: {}",
            e.fragment
        );
    }
    assert!(e.references.is_empty());
    assert!(!e.fragment.contains("引用链接"));
}

#[test]
fn a_site_under_a_base_path_keeps_only_its_own_links() {
    let e = export(
        "<p><a href=\"/pufa/a/\">站内</a><a href=\"https://fulian.example.cn/news/\">同域别处</a></p>",
        &ExportOptions {
            base_url: "https://fulian.example.cn/pufa/",
            primary_color: "#b03a2e",
        },
    );
    assert!(
        e.fragment
            .contains("<a href=\"https://fulian.example.cn/pufa/a/\"")
    );
    assert_eq!(e.references.len(), 1);
    assert_eq!(e.references[0].1, "https://fulian.example.cn/news/");
}

#[test]
fn in_page_anchors_lose_their_href_and_keep_their_text() {
    let e = run("<p>见<a href=\"#zheng-ju\">上文</a>。</p>");
    assert!(e.fragment.contains(">见上文。</p>"), "{}", e.fragment);
    assert!(!e.fragment.contains("href"));
}

#[test]
fn hotline_links_become_text() {
    let e = run("<p>拨打<a href=\"tel:12338\">12338</a>或<a href=\"tel:110\">报警电话</a></p>");
    assert!(
        e.fragment.contains(">拨打12338或报警电话（110）</p>"),
        "{}",
        e.fragment
    );
}

#[test]
fn http_links_and_links_whose_text_is_the_url_warn() {
    let e = run(concat!(
        "<p><a href=\"http://www.example.org/law\">某法规</a>",
        "<a href=\"https://www.example.org/a\">https://www.example.org/a</a></p>"
    ));
    assert_eq!(codes(&e, LintLevel::Warning), ["L10", "L10"]);
    assert!(e.lints[0].message.contains("http://www.example.org/law"));
    assert!(e.lints[1].message.contains("own address"));
    // A bare URL is still cited, listed once, without repeating itself.
    assert!(e.fragment.contains(
        "[2]</span> <span style=\"word-break:break-all\">https://www.example.org/a</span></p>"
    ));
}

// --------------------------------------------------------------------------
// Footnotes

#[test]
fn footnotes_become_readable_notes_at_the_end_without_anchors() {
    let e = run(ARTICLE);
    assert!(e.fragment.contains("婚姻关系存续期间<sup style=\"font-size:75%;line-height:0;color:#b03a2e\">[注1]</sup>的共同财产"));
    let notes = &e.fragment[e.fragment.find(">注释</h").unwrap()..];
    assert!(notes.contains("<span style=\"font-size:80%;opacity:0.6\">[注1]</span> 婚姻关系存续期间，指从完成结婚登记之日起，到完成离婚登记之日止。</p>"));
    assert!(!e.fragment.contains("href=\"#"));
    // Notes come before the external links' list.
    assert!(e.fragment.find(">注释</h").unwrap() < e.fragment.find(">引用链接</h").unwrap());
}

// --------------------------------------------------------------------------
// Images

#[test]
fn root_relative_images_become_absolute_https_with_sizes_inline() {
    let e = run(concat!(
        "<p><img src=\"/education/a/figure.png\" alt=\"图\" loading=\"lazy\" decoding=\"async\"></p>",
        "<p><img src=\"https://cdn.example.cn/b.jpg\" alt=\"\" width=\"600\" height=\"400\"></p>",
        "<p><img src=\"//cdn.example.cn/c.gif\" alt=\"c\" width=\"300px\"></p>",
    ));
    let img = "display:block;max-width:100%;margin:0.1em auto 0.5em;border-radius:4px";
    assert!(e.fragment.contains(&format!(
        "<img src=\"https://pufa.example.cn/education/a/figure.png\" alt=\"图\" style=\"{img}\">"
    )));
    assert!(e.fragment.contains(&format!(
        "<img src=\"https://cdn.example.cn/b.jpg\" alt=\"\" style=\"{img};width:600px;height:auto\">"
    )));
    assert!(e.fragment.contains("src=\"https://cdn.example.cn/c.gif\" alt=\"c\" style=\"display:block;max-width:100%;margin:0.1em auto 0.5em;border-radius:4px;width:300px\""));
    assert!(e.lints.is_empty(), "{:?}", e.lints);
}

#[test]
fn data_uris_plain_http_and_relative_images_are_errors() {
    let e = run(concat!(
        "<p><img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"截图\"></p>",
        "<p><img src=\"http://example.org/a.png\" alt=\"a\"></p>",
        "<p><img src=\"figure.png\" alt=\"b\"></p>",
        "<p><img src=\"https://example.org/c.webp\" alt=\"c\"></p>",
    ));
    assert_eq!(codes(&e, LintLevel::Error), ["L08", "L08", "L08"]);
    assert_eq!(codes(&e, LintLevel::Warning), ["L08"]);
    assert!(e.lints[0].message.contains("data:"));
    assert!(e.lints[1].message.contains("https"));
    assert!(e.lints[3].message.contains("webp"));
    // Images the editor cannot fetch at all are left out; the rest stay.
    assert!(!e.fragment.contains("data:") && !e.fragment.contains("figure.png"));
    assert!(e.fragment.contains("src=\"http://example.org/a.png\""));
    assert!(e.fragment.contains("src=\"https://example.org/c.webp\""));
}

#[test]
fn images_on_an_http_site_are_errors() {
    let e = export(
        "<p><img src=\"/a.png\" alt=\"\"></p>",
        &ExportOptions {
            base_url: "http://pufa.example.cn/",
            primary_color: "#b03a2e",
        },
    );
    assert_eq!(codes(&e, LintLevel::Error), ["L08"]);
}

// --------------------------------------------------------------------------
// Lists

#[test]
fn list_markers_are_literal_and_items_are_blocks() {
    let e = run(concat!(
        "<ul>\n<li>甲</li>\n<li>乙\n<ul>\n<li>乙一</li>\n</ul>\n</li>\n</ul>\n",
        "<ol start=\"3\">\n<li>丙</li>\n<li><p>丁</p>\n<p>丁的第二段</p>\n</li>\n</ol>\n"
    ));
    let li = "<li style=\"display:block;margin:0.2em 8px;color:#3f3f3f\">";
    let body = "<section style=\"letter-spacing:0.05em;color:#3f3f3f\">";
    let list = "style=\"padding-left:1em;margin-left:0;color:#3f3f3f\"";
    assert!(e.fragment.contains(&format!(
        "<ul {list}>{li}{body}• 甲</section></li>{li}{body}• 乙</section><ul {list}>{li}{body}◦ 乙一</section></li></ul></li></ul>"
    )), "{}", e.fragment);
    assert!(e.fragment.contains(&format!(
        "<ol {list}>{li}{body}3. 丙</section></li>{li}{body}4. 丁<br>丁的第二段</section></li></ol>"
    )), "{}", e.fragment);
    assert!(e.lints.is_empty(), "{:?}", e.lints);
}

#[test]
fn lists_nested_three_deep_are_an_error() {
    let two = run("<ul><li>一<ul><li>二</li></ul></li></ul>");
    assert!(two.lints.is_empty());
    let three = run("<ul><li>一<ol><li>二<ul><li>三</li></ul></li></ol></li></ul>");
    assert_eq!(codes(&three, LintLevel::Error), ["L11"]);
    assert!(three.lints[0].message.contains("3 levels"));
    assert!(three.fragment.contains("三</section>"));
}

#[test]
fn an_ordered_list_of_a_hundred_items_warns() {
    let items: String = (0..100).map(|i| format!("<li>第{i}项</li>")).collect();
    let e = run(&format!("<ol>{items}</ol>"));
    assert_eq!(codes(&e, LintLevel::Warning), ["L11"]);
    assert!(e.fragment.contains("100. 第99项"));
    let e = run(&format!("<ul>{items}</ul>"));
    assert!(e.lints.is_empty());
}

#[test]
fn a_table_in_a_list_item_warns_and_goes_after_the_item_text() {
    let e = run("<ul><li>表格：<table><tr><td>1</td></tr></table></li></ul>");
    assert_eq!(codes(&e, LintLevel::Warning), ["L11"]);
    assert!(
        e.fragment
            .contains("• 表格：</section><section style=\"max-width:100%")
    );
}

// --------------------------------------------------------------------------
// Headings, quotes, tables, code

#[test]
fn an_h1_is_dropped_at_the_top_and_demoted_elsewhere_with_l28() {
    let e = run("<h1>家暴证据怎么留</h1>\n<p>正文</p>");
    assert_eq!(codes(&e, LintLevel::Warning), ["L28"]);
    assert!(!e.fragment.contains("家暴证据怎么留"));
    assert!(!e.fragment.contains("<h1"));
    let e = run("<p>正文</p>\n<h1>第二部分</h1>");
    assert_eq!(codes(&e, LintLevel::Warning), ["L28"]);
    assert!(e.fragment.contains("<h2 style=\"display:table;"));
    assert!(e.fragment.contains(">第二部分</h2>"));
}

#[test]
fn headings_are_styled_and_the_outline_has_no_gaps() {
    let e = run("<h2 id=\"a\">二</h2><h3 id=\"b\">三</h3><h4>四</h4><h2>又二</h2><h4>跳级</h4>");
    let f = &e.fragment;
    assert!(f.contains("<h2 style=\"display:table;padding:0 0.2em;margin:4em auto 2em;color:#fff;background:#b03a2e;font-size:1.2em;font-weight:bold;text-align:center\">二</h2>"));
    assert!(f.contains("<h3 style=\"padding-left:8px;border-left:3px solid #b03a2e;margin:2em 8px 0.75em 0;color:#3f3f3f;font-size:1.1em;font-weight:bold;line-height:1.2\">三</h3>"));
    assert!(f.contains(
        "<h4 style=\"margin:2em 8px 0.5em;color:#b03a2e;font-size:1em;font-weight:bold\">四</h4>"
    ));
    // An h4 straight after an h2 keeps its look but is tagged h3.
    assert!(f.contains(
        "<h3 style=\"margin:2em 8px 0.5em;color:#b03a2e;font-size:1em;font-weight:bold\">跳级</h3>"
    ));
}

#[test]
fn statute_quotes_are_styled_as_quotes() {
    let e = run("<blockquote>\n<p>第二十条　……</p>\n<p>——《反家庭暴力法》</p>\n</blockquote>");
    assert!(e.fragment.contains(concat!(
        "<blockquote style=\"font-style:normal;padding:1em;border-left:4px solid #b03a2e;border-radius:6px;color:#3f3f3f;background:#f7f7f7;margin:0 0 1em\">",
        "<p style=\"margin:0;display:block;letter-spacing:0.05em;color:#3f3f3f\">第二十条　……</p>",
        "<p style=\"margin:0;display:block;letter-spacing:0.05em;color:#3f3f3f\">——《反家庭暴力法》</p>",
        "</blockquote>"
    )));
}

#[test]
fn tables_are_wrapped_and_bordered_and_wide_ones_warn() {
    let e = run(ARTICLE);
    assert!(e.fragment.contains("<section style=\"max-width:100%;overflow-x:auto;margin:1.5em 8px\"><table style=\"border-collapse:collapse;"));
    assert!(e.fragment.contains("<th style=\"border:1px solid rgba(63,63,63,0.15);padding:0.25em 0.5em;min-width:4em;background:rgba(0,0,0,0.05);font-weight:bold;color:#3f3f3f;text-align:center\">说明</th>"));
    assert!(e.fragment.contains("<td style=\"border:1px solid rgba(63,63,63,0.15);padding:0.25em 0.5em;min-width:4em;color:#3f3f3f\">第一顺序</td>"));
    let row: String = (1..=5).map(|i| format!("<td>{i}</td>")).collect();
    let e = run(&format!("<table><tbody><tr>{row}</tr></tbody></table>"));
    assert_eq!(codes(&e, LintLevel::Warning), ["L12"]);
}

#[test]
fn code_blocks_keep_their_lines_and_spaces() {
    let e = run("<pre><code class=\"language-text\">第一行\n    缩进 &lt;b&gt;\n</code></pre>");
    assert!(
        e.fragment
            .contains(">第一行<br>&nbsp;&nbsp;&nbsp;&nbsp;缩进&nbsp;&lt;b&gt;</code></pre>"),
        "{}",
        e.fragment
    );
}

#[test]
fn soft_breaks_in_hand_written_html_read_as_text() {
    let e = run("<p>第一行\n第二行 Latin\nwords</p>");
    assert!(
        e.fragment.contains(">第一行第二行 Latin words</p>"),
        "{}",
        e.fragment
    );
}

// --------------------------------------------------------------------------
// Size

#[test]
fn exports_over_twenty_thousand_characters_warn_and_over_a_megabyte_fail() {
    let short = run(ARTICLE);
    assert!(!short.lints.iter().any(|l| l.code == "L16"));

    let paragraph = format!("<p>{}</p>\n", "家".repeat(100));
    let long = run(&paragraph.repeat(200));
    assert!(long.fragment.chars().count() > MAX_CHARS);
    assert_eq!(codes(&long, LintLevel::Warning), ["L16"]);
    assert!(long.lints[0].message.contains("20000"));

    let huge = run(&paragraph.repeat(4_000));
    assert!(huge.fragment.len() > MAX_BYTES);
    assert_eq!(codes(&huge, LintLevel::Error), ["L16"]);
    assert!(codes(&huge, LintLevel::Warning).is_empty());
}

// --------------------------------------------------------------------------
// The whole fragment, written out

#[test]
fn snapshot_of_a_small_article() {
    let body = r##"<p>“钱都是他挣的。”在妇联接待室<sup class="footnote-reference"><a href="#1">1</a></sup>，常听到这样的话。</p>
<h2 id="fa-lv">法律怎么说</h2>
<blockquote>
<p>第一千零六十二条　夫妻对共同财产，有平等的处理权。</p>
</blockquote>
<ul>
<li><strong>婚后买房</strong>，写上双方名字；</li>
<li>详见<a href="https://flk.npc.gov.cn/">国家法律法规数据库</a>和<a href="/qa/gaojieshu/">告诫书</a>。</li>
</ul>
<p><img src="/education/a/figure.png" alt="示意图" loading="lazy" decoding="async"></p>
<div class="footnote-definition" id="1"><sup class="footnote-definition-label">1</sup>
<p>古县妇联维权站。</p>
</div>
"##;
    let e = run(body);
    let expected = concat!(
        r#"<p style="font-size:0;line-height:0;margin:0">&nbsp;</p>"#,
        r#"<section style="font-family:-apple-system-font,BlinkMacSystemFont,'Helvetica Neue','PingFang SC','Hiragino Sans GB','Microsoft YaHei UI','Microsoft YaHei',Arial,sans-serif;font-size:16px;line-height:1.75;text-align:left;color:#3f3f3f">"#,
        r#"<p style="margin:1.5em 8px;letter-spacing:0.05em;color:#3f3f3f">“钱都是他挣的。”在妇联接待室<sup style="font-size:75%;line-height:0;color:#b03a2e">[注1]</sup>，常听到这样的话。</p>"#,
        r#"<h2 style="display:table;padding:0 0.2em;margin:4em auto 2em;color:#fff;background:#b03a2e;font-size:1.2em;font-weight:bold;text-align:center">法律怎么说</h2>"#,
        r#"<blockquote style="font-style:normal;padding:1em;border-left:4px solid #b03a2e;border-radius:6px;color:#3f3f3f;background:#f7f7f7;margin:0 0 1em">"#,
        r#"<p style="margin:0;display:block;letter-spacing:0.05em;color:#3f3f3f">第一千零六十二条　夫妻对共同财产，有平等的处理权。</p>"#,
        r#"</blockquote>"#,
        r#"<ul style="padding-left:1em;margin-left:0;color:#3f3f3f">"#,
        r#"<li style="display:block;margin:0.2em 8px;color:#3f3f3f"><section style="letter-spacing:0.05em;color:#3f3f3f">• <strong style="color:#b03a2e;font-weight:bold;font-size:inherit">婚后买房</strong>，写上双方名字；</section></li>"#,
        r#"<li style="display:block;margin:0.2em 8px;color:#3f3f3f"><section style="letter-spacing:0.05em;color:#3f3f3f">• 详见国家法律法规数据库<sup style="font-size:75%;line-height:0;color:#b03a2e">[1]</sup>和<a href="https://pufa.example.cn/qa/gaojieshu/" style="color:#576b95;text-decoration:none">告诫书</a>。</section></li>"#,
        r#"</ul>"#,
        r#"<p style="margin:1.5em 8px;letter-spacing:0.05em;color:#3f3f3f"><img src="https://pufa.example.cn/education/a/figure.png" alt="示意图" style="display:block;max-width:100%;margin:0.1em auto 0.5em;border-radius:4px"></p>"#,
        r#"<h3 style="margin:2em 8px 0.5em;color:#b03a2e;font-size:1em;font-weight:bold">注释</h3>"#,
        r#"<p style="margin:0.5em 8px;font-size:14px;line-height:1.6;color:#3f3f3f"><span style="font-size:80%;opacity:0.6">[注1]</span> 古县妇联维权站。</p>"#,
        r#"<h3 style="margin:2em 8px 0.5em;color:#b03a2e;font-size:1em;font-weight:bold">引用链接</h3>"#,
        r#"<p style="margin:0.5em 8px;font-size:14px;line-height:1.6;color:#3f3f3f"><span style="font-size:80%;opacity:0.6">[1]</span> 国家法律法规数据库：<span style="word-break:break-all">https://flk.npc.gov.cn/</span></p>"#,
        r#"</section>"#,
        r#"<p style="font-size:0;line-height:0;margin:0">&nbsp;</p>"#,
    );
    assert_eq!(e.fragment, expected);
    assert_eq!(
        e.references,
        vec![(
            1,
            "https://flk.npc.gov.cn/".to_string(),
            "国家法律法规数据库".to_string()
        )]
    );
    assert!(e.lints.is_empty(), "{:?}", e.lints);
}

// --------------------------------------------------------------------------
// Preview page

#[test]
fn the_preview_page_shows_the_fragment_and_the_fields_for_the_editor() {
    let e = run(ARTICLE);
    let page = preview_page(
        "家暴证据怎么留 <上>",
        "家暴发生在关起门的家里，证据是维权关键。",
        "https://pufa.example.cn/education/fanjiabao-zhengju/",
        &e,
    );
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(page.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">"));
    assert!(page.contains("<title>家暴证据怎么留 &lt;上&gt; · 公众号导出</title>"));
    assert!(page.contains("家暴发生在关起门的家里，证据是维权关键。"));
    assert!(page.contains("阅读原文"));
    assert!(page.contains(">https://pufa.example.cn/education/fanjiabao-zhengju/</span>"));
    assert!(page.contains(">复制全文</button>"));
    assert!(page.contains("ClipboardItem") && page.contains("execCommand('copy')"));
    assert!(page.contains("'text/html'") && page.contains("'text/plain'"));
    // The fragment is there once, untouched, and the page's own style and
    // script stay outside it.
    let at = page.find(&e.fragment).expect("fragment in page");
    assert_eq!(page.matches(&e.fragment).count(), 1);
    assert!(page.find("<style>").unwrap() < at);
    assert!(page.find("<script>").unwrap() > at + e.fragment.len());
    assert!(!page.contains("user-scalable"));
}

#[test]
fn the_preview_page_lists_the_lints() {
    let e = run("<h1>标题</h1><p><img src=\"data:image/png;base64,AA==\" alt=\"x\"></p>");
    let page = preview_page("标题", "", "https://pufa.example.cn/a/", &e);
    assert!(page.contains("<li class=\"lint lint-error\">错误："));
    assert!(page.contains("<li class=\"lint\">提醒："));
    // In Chinese, with no raw backticks and no English half.
    let lints = page.split("<ul class=\"lints\">").nth(1).unwrap();
    let lints = lints.split("</ul>").next().unwrap();
    assert!(!lints.contains('`'), "{lints}");
    assert!(!lints.contains(" · "), "{lints}");
    assert!(lints.contains("（提示："), "{lints}");
}

// --------------------------------------------------------------------------
// Whatever an editor typed

#[test]
fn malformed_html_never_leaks_tags_attributes_or_line_breaks() {
    let inputs = [
        "",
        "<p>未闭合<p>第二段",
        "</p></div></li>多余的结束标签",
        "<ul><li>一<li>二</ul>",
        "<table><tr><td>1<td>2<tr><td>3</table>",
        "<div class=\"x\"><p>a</div>b</p>",
        "<a href=\"https://a.org/\"><a href=\"https://b.org/\">套娃</a></a>",
        "<p onclick=\"alert(1)\" id=\"p\" style=\"position:fixed;top:0\">事件</p>",
        "<img src=\"javascript:alert(1)\" onerror=\"x\">",
        "<a href=\"javascript:alert(1)\">点我</a>",
        "<svg><style>p{}</style><a href=\"https://x.org\">x</a></svg>",
        "<ol start=\"9223372036854775807\"><li>a</li><li>b</li></ol>",
        "<td colspan=\"99999\">孤立单元格</td><li>孤立列表项</li>",
        "&#0;&#xFFFFFF;&bogus; & < >",
        "<pre>\r\n\tcode\r\n</pre>",
        "<p>a<!-- comment\n--></p>",
    ];
    for input in inputs {
        let e = run(input);
        let f = &e.fragment;
        for banned in [
            "<div",
            "<script",
            "<style",
            "<svg",
            " class=",
            " id=",
            "onclick",
            "onerror",
            "javascript:",
            "position:",
            "\n",
        ] {
            assert!(!f.contains(banned), "{banned:?} from {input:?}: {f}");
        }
        assert!(
            f.starts_with("<p style=\"font-size:0;line-height:0;margin:0\">&nbsp;</p><section ")
        );
        assert!(
            f.ends_with("</section><p style=\"font-size:0;line-height:0;margin:0\">&nbsp;</p>")
        );
    }
}
