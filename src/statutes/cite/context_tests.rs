//! Citations that take their law from what came before them (the
//! paragraph, the paragraph leading into a quote, a heading), and the
//! cases where nothing may be guessed.

use super::tests::statutes;

/// One step of reading an article, as the Markdown renderer takes them.
#[derive(Clone, Copy)]
enum Step {
    /// A heading of this level.
    H(u8, &'static str),
    /// A run of a paragraph's text, searched for citations.
    T(&'static str),
    /// A run that is not searched (a link's text, code).
    Note(&'static str),
    /// The end of a paragraph (list item, table cell).
    End,
    Quote,
    /// A quote whose last paragraph says where it is from.
    QuoteOf(&'static str),
    Unquote,
    Footnote,
    Unfootnote,
}
use Step::*;

/// Each link made while reading: `linked text → law#aN`, with ` (context)`
/// when the law was not named in the citation itself.
fn links(steps: &[Step]) -> Vec<String> {
    let s = statutes();
    let mut context = s.context();
    let mut out = Vec::new();
    for step in steps {
        match *step {
            H(level, text) => context.heading(level, text),
            T(text) => {
                for c in context.find(text) {
                    assert!(c.out_of_range.is_empty() || !c.from_context, "{text}");
                    for (range, n) in c.links {
                        let how = if c.from_context { " (context)" } else { "" };
                        let key = &s.laws()[c.law].key;
                        out.push(format!("{} → {key}#a{n}{how}", &text[range]));
                    }
                }
            }
            Note(text) => context.note(text),
            End => context.end_paragraph(),
            Quote => context.start_quote(None),
            QuoteOf(source) => context.start_quote(Some(source)),
            Unquote => context.end_quote(),
            Footnote => context.start_footnote(),
            Unfootnote => context.end_footnote(),
        }
    }
    out
}

/// The links of one paragraph read on its own.
fn paragraph(text: &'static str) -> Vec<String> {
    links(&[T(text), End])
}

#[test]
fn a_bare_number_cites_the_law_named_last_in_its_paragraph() {
    assert_eq!(
        paragraph("《民法典》第一千零七十六条规定了登记离婚。第一千零七十七条规定了冷静期"),
        [
            "《民法典》第一千零七十六条 → minfadian#a1076",
            "第一千零七十七条 → minfadian#a1077 (context)",
        ]
    );
    // The law named last, not the first one.
    assert_eq!(
        paragraph("民法典第1079条，反家暴法第二十三条。依照第二十九条"),
        [
            "民法典第1079条 → minfadian#a1079",
            "反家暴法第二十三条 → fanjiabaofa#a23",
            "第二十九条 → fanjiabaofa#a29 (context)",
        ]
    );
    // A law named without an article counts too.
    assert_eq!(
        paragraph("民法典规定了很多内容，第1079条说"),
        ["第1079条 → minfadian#a1079 (context)"]
    );
}

#[test]
fn paragraphs_items_ranges_lists_and_digits_follow_the_law_too() {
    assert_eq!(
        paragraph(
            "《民法典》第1042条。另见第1079条第二款、第1084条至第1086条及第１０８０条第（一）项"
        ),
        [
            "《民法典》第1042条 → minfadian#a1042",
            "第1079条第二款 → minfadian#a1079 (context)",
            "第1084条 → minfadian#a1084 (context)",
            "第1086条 → minfadian#a1086 (context)",
            "第１０８０条第（一）项 → minfadian#a1080 (context)",
        ]
    );
    let s = statutes();
    let found = s.find("《民法典》第1042条。另见第1084条至第1086条");
    assert_eq!(found[1].articles, [1084, 1085, 1086]);
    assert!(found[1].from_context && found[1].out_of_range.is_empty());
}

#[test]
fn this_law_and_that_law_cite_the_law_named_before() {
    assert_eq!(
        paragraph(
            "《反家庭暴力法》第二十三条规定了保护令。该法第二十九条列出了内容，同法第三十条和第三十一条规定了期限"
        ),
        [
            "《反家庭暴力法》第二十三条 → fanjiabaofa#a23",
            "该法第二十九条 → fanjiabaofa#a29 (context)",
            "同法第三十条 → fanjiabaofa#a30 (context)",
            "第三十一条 → fanjiabaofa#a31 (context)",
        ]
    );
    // 本法 outside a quote of a law: the same.
    assert_eq!(
        paragraph("反家暴法第二条说得清楚，本法第三条也写着"),
        [
            "反家暴法第二条 → fanjiabaofa#a2",
            "本法第三条 → fanjiabaofa#a3 (context)",
        ]
    );
    // With no law before them, nothing.
    assert!(paragraph("该法第二十九条和同法第三十条，本法第一条").is_empty());
    // Without an article, nothing either: 参照该法规定执行.
    assert_eq!(
        paragraph("《反家庭暴力法》第三十七条规定，参照该法规定执行"),
        ["《反家庭暴力法》第三十七条 → fanjiabaofa#a37"]
    );
}

#[test]
fn a_paragraph_cut_by_emphasis_or_links_is_still_one_paragraph() {
    // `**《民法典》第一千零七十六条**规定……第一千零七十七条`
    assert_eq!(
        links(&[
            T("《民法典》第一千零七十六条"),
            T("规定……紧接着，第一千零七十七条"),
            End
        ]),
        [
            "《民法典》第一千零七十六条 → minfadian#a1076",
            "第一千零七十七条 → minfadian#a1077 (context)",
        ]
    );
    // `**民法典**第1079条`: the name in a run without any 条.
    assert_eq!(
        links(&[T("依照"), T("民法典"), T("第1079条"), End]),
        ["第1079条 → minfadian#a1079 (context)"]
    );
    // A link's text is not cited, but what it names counts.
    assert_eq!(
        links(&[Note("民法典"), T("第1079条"), End]),
        ["第1079条 → minfadian#a1079 (context)"]
    );
    assert!(
        links(&[
            T("民法典第1079条，"),
            Note("《劳动合同法》"),
            T("第四十二条"),
            End
        ])
        .len()
            == 1
    );
    assert!(
        links(&[
            T("民法典第1079条，"),
            Note("劳动合同法"),
            T("第四十二条"),
            End
        ])
        .len()
            == 1
    );
    // But a paragraph ends with its block.
    assert!(links(&[T("民法典第1079条"), End, T("第1080条"), End]).len() == 1);
}

#[test]
fn without_a_law_in_the_paragraph_the_heading_above_counts() {
    let steps = [
        H(2, "《民法典》婚姻家庭编"),
        H(3, "离婚冷静期"),
        T("第一千零七十七条规定了冷静期。"),
        End,
        T("反家暴法第二十三条可以申请保护令，第二十五条规定了管辖。"),
        End,
        T("回到第1079条"),
        End,
        H(2, "其他问题"),
        T("第1080条"),
        End,
    ];
    assert_eq!(
        links(&steps),
        [
            "第一千零七十七条 → minfadian#a1077 (context)",
            "反家暴法第二十三条 → fanjiabaofa#a23",
            "第二十五条 → fanjiabaofa#a25 (context)",
            // The next paragraph: the heading's law again.
            "第1079条 → minfadian#a1079 (context)",
            // Under a heading of the same level that names nothing, not
            // the heading before it: another section.
        ]
    );
    // A heading's own article: 宪法第四十八条.
    assert_eq!(
        links(&[H(2, "宪法第四十八条：男女平等"), T("第四十八条"), End]),
        ["第四十八条 → xianfa#a48 (context)"]
    );
    // A heading that names two laws, or one pufa has no data for, names
    // none to follow: and hides the headings above it.
    for heading in [
        "民法典和反家暴法",
        "《劳动合同法》怎么说",
        "劳动合同法第四十二条",
        "《中华人民共和国劳动合同法实施条例》",
    ] {
        assert!(
            links(&[H(2, "民法典"), H(3, heading), T("第二十条"), End]).is_empty(),
            "{heading}"
        );
    }
    // The same law twice is one law.
    assert_eq!(
        links(&[H(2, "《民法典》与民法典总则编"), T("第二十六条"), End]),
        ["第二十六条 → minfadian#a26 (context)"]
    );
}

#[test]
fn in_a_quote_of_a_law_this_law_means_that_law() {
    let steps = [
        T("《反家庭暴力法》第二十条规定："),
        End,
        Quote,
        T("第二十条　人民法院审理涉及家庭暴力的案件……依照民法典第1079条……本法第二十三条"),
        End,
        T("——《中华人民共和国民法典》"),
        End,
        T("违反本法第二十三条的"),
        End,
        Unquote,
        T("本法第二十三条"),
        End,
    ];
    assert_eq!(
        links(&steps),
        [
            "《反家庭暴力法》第二十条 → fanjiabaofa#a20",
            "第二十条 → fanjiabaofa#a20 (context)",
            "民法典第1079条 → minfadian#a1079",
            // 本法 is the quoted law even after another law's name.
            "本法第二十三条 → fanjiabaofa#a23 (context)",
            "本法第二十三条 → fanjiabaofa#a23 (context)",
            // Out of the quote, 本法 has no law to mean.
        ]
    );
    // Led into by a bare number that follows the heading, by a few words
    // other than 规定, through emphasis.
    assert_eq!(
        links(&[
            H(2, "反家暴法"),
            T("第二十条"),
            T("也写道："),
            End,
            Quote,
            T("本法第二十三条"),
            End,
            Unquote
        ]),
        [
            "第二十条 → fanjiabaofa#a20 (context)",
            "本法第二十三条 → fanjiabaofa#a23 (context)",
        ]
    );
}

#[test]
fn a_quote_that_names_its_source_quotes_that_law() {
    let quote = |source| {
        links(&[
            QuoteOf(source),
            T(
                "第一千零六十二条　……（四）继承或者受赠的财产，但是本法第一千零六十三条第三项规定的除外；",
            ),
            End,
            T(source),
            End,
            Unquote,
        ])
    };
    assert_eq!(
        quote("——《中华人民共和国民法典》"),
        [
            "第一千零六十二条 → minfadian#a1062 (context)",
            "本法第一千零六十三条第三项 → minfadian#a1063 (context)",
        ]
    );
    // Not from a law, from two, or from one pufa has no data for.
    for source in [
        "——某社区 张女士",
        "——《民法典》《反家庭暴力法》",
        "——《中华人民共和国劳动合同法》",
    ] {
        assert!(quote(source).is_empty(), "{source}");
    }
}

#[test]
fn a_quote_without_a_lead_in_quotes_no_law() {
    // Not right after: a paragraph between, or a long sentence before the colon.
    for steps in [
        &[
            T("《反家庭暴力法》第二十条规定："),
            End,
            T("如下"),
            End,
            Quote,
        ][..],
        &[
            T("《反家庭暴力法》第二十条规定，人民法院审理家暴案件可以参考下面这些证据："),
            End,
            Quote,
        ][..],
        &[T("反家庭暴力法第二十条规定。"), End, Quote][..],
    ] {
        let mut steps = steps.to_vec();
        steps.extend([T("本法第二十三条"), End, Unquote]);
        assert_eq!(links(&steps).len(), 1);
    }
    // A reader's letter under a heading: the heading's law, as anywhere.
    assert_eq!(
        links(&[H(2, "反家暴法"), Quote, T("本法第二十三条"), End, Unquote]),
        ["本法第二十三条 → fanjiabaofa#a23 (context)"]
    );
    // A quote of a law pufa has no data for: nothing inside, not even the
    // heading's law.
    assert!(
        links(&[
            H(2, "民法典"),
            T("《劳动合同法》第四十二条规定："),
            End,
            Quote,
            T("第四十二条　……本法第四十五条"),
            End,
            Unquote
        ])
        .is_empty()
    );
}

#[test]
fn never_across_a_law_pufa_has_no_data_for() {
    for text in [
        "《民法典》第1079条……《劳动合同法》第四十二条……第四十五条",
        "《民法典》第1079条……劳动合同法第四十二条……第四十五条",
        "《民法典》第1079条……《婚姻登记条例》规定……第四条",
        "《民法典》第1079条……《最高人民法院关于适用〈中华人民共和国民法典〉婚姻家庭编的解释（一）》……第二十九条",
        "《民法典》第1079条……最高人民法院关于适用民法典婚姻家庭编的解释（一）第二十九条",
        "《民法典》第1079条……《民法典释义》第三条……第四条",
        "《民法典》第1079条……宪法修正案第五条……第六条",
        "《民法典》第1079条……《劳动合同法》第四十二条……该法第四十五条",
        "《民法典》第1079条……香港基本法第二十三条……第二十四条",
        "《民法典》第1079条……依照劳动合同法第四十二条",
    ] {
        assert_eq!(
            paragraph(text),
            ["《民法典》第1079条 → minfadian#a1079"],
            "{text}"
        );
    }
    // A title that is not a law's does not stand between.
    assert_eq!(
        paragraph("《民法典》第1079条，《人民日报》报道，第1080条"),
        [
            "《民法典》第1079条 → minfadian#a1079",
            "第1080条 → minfadian#a1080 (context)",
        ]
    );
    // A paragraph's unknown law hides the heading's.
    assert!(links(&[H(2, "民法典"), T("《劳动合同法》规定，第四十二条"), End]).is_empty());
}

#[test]
fn only_after_words_that_lead_to_an_article_number() {
    assert_eq!(
        paragraph("反家暴法第二十三条。法院作出保护令，要具备第二十七条规定的条件；按照第二十九条"),
        ["反家暴法第二十三条 → fanjiabaofa#a23"]
    );
    assert_eq!(
        paragraph("反家暴法第二十三条。法院作出保护令，按照第二十九条（第二十七条）"),
        [
            "反家暴法第二十三条 → fanjiabaofa#a23",
            "第二十九条 → fanjiabaofa#a29 (context)",
            "第二十七条 → fanjiabaofa#a27 (context)",
        ]
    );
}

#[test]
fn this_article_and_the_one_before_are_never_links() {
    assert_eq!(
        paragraph("反家暴法第二十三条。本条第二款、前款、前条和本条的规定"),
        ["反家暴法第二十三条 → fanjiabaofa#a23"]
    );
}

#[test]
fn with_no_law_before_it_nothing_is_linked() {
    assert!(paragraph("第1079条规定，依照第二十三条").is_empty());
    assert!(links(&[H(2, "离婚"), T("第1079条"), End]).is_empty());
    // Nor from an earlier paragraph, or one after it.
    assert!(links(&[T("民法典"), End, T("第1079条"), End, T("民法典"), End]).is_empty());
}

#[test]
fn a_number_the_law_lacks_drops_the_guess_without_an_error() {
    let s = statutes();
    // 反家庭暴力法 has 38 articles: the guess was wrong.
    let found = s.find("《反家庭暴力法》第二十三条。第1079条，以及第二十条、第1080条");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].out_of_range.is_empty());
    // Named, the same number is an error, as before.
    let found = s.find("《反家庭暴力法》第二十三条。反家暴法第1079条");
    assert_eq!(found[1].out_of_range, [1079]);
    // In range but not shipped: cited (a warning for the caller).
    let found = s.find("《民法典》第1042条。第1043条");
    assert_eq!(
        (found[1].missing.as_slice(), found[1].from_context),
        (&[1043][..], true)
    );
}

#[test]
fn footnotes_do_not_take_the_heading_above_them() {
    let steps = [
        H(2, "民法典"),
        Footnote,
        T("第1079条；本法第1080条"),
        End,
        T("民法典第1042条、第1049条。依照第1080条"),
        End,
        Unfootnote,
    ];
    assert_eq!(
        links(&steps),
        [
            "民法典第1042条 → minfadian#a1042",
            "第1049条 → minfadian#a1049",
            "第1080条 → minfadian#a1080 (context)",
        ]
    );
}

#[test]
fn the_quoted_articles_link_the_articles_of_their_own_law() {
    let mut laws = statutes().laws().to_vec();
    let article = laws[2].articles.get_mut(&25).unwrap();
    article.paragraphs = vec![
        "用人单位违反本法第二十三条和第二十四条规定的，依照《中华人民共和国劳动法》第九十条处理；前款、本条和第0条不是链接。".into(),
    ];
    let s = super::super::Statutes::from_laws(laws);
    let html = s.quote_block_html(&[(2, 25)], |law, n| format!("/{}/#a{n}", law.key));
    assert!(
        html.contains(
            "<p>用人单位违反<a class=\"cite\" href=\"/funvquanyi/#a23\">本法第二十三条</a>和\
             <a class=\"cite\" href=\"/funvquanyi/#a24\">第二十四条</a>规定的，\
             依照《中华人民共和国劳动法》第九十条处理；前款、本条和第0条不是链接。</p>"
        ),
        "{html}"
    );
}
