//! Scheduled publishing around awareness days: boundaries, calendars,
//! campaign pages, the home countdown, `pufa schedule` and `pufa new`.

use crate::support::Site;

fn build_at(site: &Site, now: &str) {
    let out = site.pufa(&["build", "--now", now]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn publish_and_expiry_boundaries_are_exact_to_the_second() {
    let site = Site::fixture("basic");
    // future.md: date 2026-12-04 08:00 (+08:00).
    build_at(&site, "2026-12-04T07:59:59+08:00");
    assert!(!site.exists("public/education/future/index.html"));
    build_at(&site, "2026-12-04T08:00:00+08:00");
    assert!(site.exists("public/education/future/index.html"));
    // expired.md: expires 2026-03-09 00:00 (+08:00): live one second before, gone at it.
    build_at(&site, "2026-03-08T23:59:59+08:00");
    assert!(site.exists("public/education/expired/index.html"));
    build_at(&site, "2026-03-09T00:00:00+08:00");
    assert!(!site.exists("public/education/expired/index.html"));
}

#[test]
fn now_in_utc_and_in_the_site_offset_give_the_same_site() {
    let site = Site::fixture("basic");
    let (a, b) = (site.path("utc"), site.path("local"));
    for (now, out) in [
        ("2026-12-04T00:00:00Z", &a),
        ("2026-12-04T08:00:00+08:00", &b),
    ] {
        let o = site.pufa(&["build", "--now", now, "--output", out.to_str().unwrap()]);
        assert!(o.status.success());
    }
    let (utc, local) = (site.output_tree("utc"), site.output_tree("local"));
    assert_eq!(utc, local);
    assert!(
        site.read("utc/education/future/index.html")
            .contains("定时发布的文章")
    );
}

#[test]
fn a_site_in_another_time_zone_reads_dates_there() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        &site.read("site.yaml").replace(
            "title: 测试普法站",
            "title: 测试普法站\ntimezone: America/New_York",
        ),
    );
    // 2026-12-04 08:00 in New York is 13:00 UTC.
    build_at(&site, "2026-12-04T12:59:59Z");
    assert!(!site.exists("public/education/future/index.html"));
    build_at(&site, "2026-12-04T13:00:00Z");
    assert!(site.exists("public/education/future/index.html"));
    assert!(
        site.read("public/rss.xml")
            .contains("<pubDate>Fri, 4 Dec 2026 08:00:00 -0500</pubDate>")
    );
}

#[test]
fn rebuilding_when_nothing_changed_writes_identical_output() {
    let site = Site::fixture("basic");
    build_at(&site, "2026-11-29T09:00:00+08:00");
    let first = site.output_tree("public");
    build_at(&site, "2026-11-29T21:30:00+08:00");
    assert_eq!(
        site.output_tree("public"),
        first,
        "same day, same live articles"
    );
}

#[test]
fn home_counts_down_to_the_next_awareness_day() {
    let site = Site::fixture("basic");
    // Days without articles are left out of the countdown; 11·25 has one.
    site.write(
        "content/qa/fanjiabao.md",
        "---\ntitle: 去年的反家暴文章\ndate: 2025-11-25 08:00\nsummary: 旧文。\ncampaign: \"11-25\"\n---\n正文。\n",
    );
    build_at(&site, "2026-11-13 12:00");
    let home = site.read("public/index.html");
    assert!(
        home.contains("距 11·25 国际消除对妇女暴力日还有 <strong>12</strong> 天"),
        "{home}"
    );
    build_at(&site, "2026-11-26 12:00");
    let home = site.read("public/index.html");
    assert!(home.contains("正在进行 · 11月25日–12月10日"), "{home}");
    assert!(
        home.contains(r#"<a href="/campaigns/11-25/">11·25 国际消除对妇女暴力日</a>"#),
        "{home}"
    );
}

#[test]
fn campaign_pages_group_articles_by_year_and_have_feeds() {
    let site = Site::fixture("basic");
    site.write(
        "content/qa/old.md",
        "---\ntitle: 去年的宪法日文章\ndate: 2025-12-04 08:00\nsummary: 旧文。\ncampaign: \"12-4\"\n---\n正文。\n",
    );
    build_at(&site, "2026-12-05 12:00");
    let page = site.read("public/campaigns/12-4/index.html");
    assert!(
        page.contains("<h1><span class=\"day-label\">12·4</span> 国家宪法日 · 全国法制宣传日</h1>"),
        "{page}"
    );
    assert!(
        page.contains(
            "正在进行：<time datetime=\"2026-12-04\">2026年12月4日</time>，宣传时段 12月1日–12月7日"
        ),
        "{page}"
    );
    let y2026 = page.find("2026 年").unwrap();
    let y2025 = page.find("2025 年").unwrap();
    assert!(y2026 < y2025, "newest year first");
    assert!(page[y2026..y2025].contains("定时发布的文章"));
    assert!(page[y2025..].contains("去年的宪法日文章"));
    let rss = site.read("public/campaigns/12-4/rss.xml");
    assert_eq!(rss.matches("<item>").count(), 2);
    // The calendar lists the days with articles (here only 12·4); the
    // others keep their pages and feeds (tests/it/campaigns.rs).
    let index = site.read("public/campaigns/index.html");
    for key in ["3-8", "5", "5-15", "6-1", "11-25", "12-4"] {
        assert_eq!(
            index.contains(&format!("href=\"/campaigns/{key}/\"")),
            key == "12-4",
            "{key}"
        );
        assert!(site.exists(&format!("public/campaigns/{key}/rss.xml")));
    }
}

#[test]
fn unknown_campaign_key_lists_the_keys() {
    let site = Site::fixture("basic");
    site.write(
        "content/qa/x.md",
        "---\ntitle: 甲\ndate: 2026-01-01\ncampaign: \"11-52\"\n---\n正文。\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("content/qa/x.md:4:1: error: `campaign: 11-52` names no awareness day\n  错误：「campaign: 11-52」不是宣传日历里的节点\n  hint: use one of: 3-8, 5, 5-15, 6-1, 11-25, 12-4"),
        "{err}"
    );
}

#[test]
fn site_calendar_adds_days_across_the_year_end_and_feb_29() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        &format!(
            "{}calendar:\n  disable: [\"6-1\"]\n  days:\n    - key: new-year\n      name: 元旦普法\n      date: \"01-01\"\n      window: {{ start: \"12-25\", end: \"01-05\" }}\n    - key: leap\n      name: 闰日普法\n      date: \"02-29\"\n",
            site.read("site.yaml")
        ),
    );
    for (key, date) in [("new-year", "2025-12-28"), ("leap", "2024-02-29")] {
        site.write(
            &format!("content/qa/{key}.md"),
            &format!("---\ntitle: {key}\ndate: {date} 08:00\nsummary: 旧文。\ncampaign: \"{key}\"\n---\n正文。\n"),
        );
    }
    build_at(&site, "2026-12-30 12:00");
    let home = site.read("public/index.html");
    assert!(
        home.contains("正在进行 · 2026年12月25日–2027年1月5日"),
        "{home}"
    );
    assert!(!site.exists("public/campaigns/6-1"));
    // 2027 has no 29 February: the day is observed on the 28th.
    build_at(&site, "2027-02-20 12:00");
    let page = site.read("public/campaigns/leap/index.html");
    assert!(page.contains("2027年2月28日"), "{page}");
    assert!(
        site.read("public/index.html")
            .contains("距 2·29 闰日普法还有 <strong>8</strong> 天")
    );
}

#[test]
fn schedule_table_lists_days_and_articles_in_order_and_warns() {
    let site = Site::fixture("basic");
    let out = site.pufa(&["schedule", "--days", "120"]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "未来 120 天的发布日历（2026-11-29 至 2027-03-29）"
    );
    let pos = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}\n{table}"))
    };
    assert!(lines[pos("定时发布的文章")].starts_with("2026-12-04 周五 08:00  发布"));
    assert!(lines[pos("定时发布的文章")].ends_with("content/education/future.md"));
    assert!(pos("宣传开始  12·4") < pos("宣传日    12·4"));
    assert!(pos("宣传日    12·4") < pos("定时发布的文章"));
    assert!(pos("定时发布的文章") < pos("宣传结束  11·25"));
    // 3·8 of 2027 is in the horizon and nothing is planned for it.
    assert!(
        table.contains(
            "提醒：2027年 3·8 国际劳动妇女节 · 三八维权周（3月2日–3月8日）还没有安排文章"
        ),
        "{table}"
    );
    assert!(
        !table.contains("提醒：2026年 12·4"),
        "12·4 has the scheduled article"
    );
}

#[test]
fn schedule_json_and_next() {
    let site = Site::fixture("basic");
    let out = site.pufa(&["schedule", "--json"]);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let publish = plan["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "publish")
        .unwrap();
    assert_eq!(publish["at"], "2026-12-04T08:00:00+08:00");
    assert_eq!(publish["path"], "content/education/future.md");
    assert_eq!(publish["url"], "https://test.example.cn/education/future/");
    assert_eq!(publish["campaign"], "12-4");

    // 2026-11-29: the 11·25 window runs, so the home page counts no days
    // down; the next change is the 12·4 window opening.
    let out = site.pufa(&["schedule", "--next"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2026-12-01T00:00:00+08:00\n"
    );
    // Without awareness days, the next change is the scheduled article.
    site.write(
        "site.yaml",
        &format!(
            "{}calendar:\n  disable: [\"3-8\", \"5\", \"5-15\", \"6-1\", \"11-25\", \"12-4\"]\n",
            site.read("site.yaml")
        ),
    );
    site.write(
        "content/education/future.md",
        &site
            .read("content/education/future.md")
            .replace("campaign: \"12-4\"\n", ""),
    );
    let out = site.pufa(&["schedule", "--next"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2026-12-04T08:00:00+08:00\n"
    );
    // Nothing scheduled at all: New Year, when the footer's © year changes.
    site.remove("content/education/future.md");
    let out = site.pufa(&["schedule", "--next"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "2027-01-01T00:00:00+08:00\n"
    );
}

#[test]
fn schedule_next_is_a_midnight_only_when_the_countdown_changes() {
    let site = Site::fixture("basic");
    let next = |now: &str| {
        let out = site.pufa(&["schedule", "--next", "--now", now]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // On 11-13 no awareness day has a live article yet, so the home page
    // shows no countdown: nothing changes until the 11·25 window opens.
    assert_eq!(next("2026-11-13 12:00"), "2026-11-25T00:00:00+08:00\n");
    // The day before the window: the window opens at midnight.
    assert_eq!(next("2026-11-24 23:59:59"), "2026-11-25T00:00:00+08:00\n");
    // Inside the 11·25 and 12·4 windows: the next article, then window ends.
    assert_eq!(next("2026-12-01 00:00"), "2026-12-04T08:00:00+08:00\n");
    assert_eq!(next("2026-12-04 08:00"), "2026-12-08T00:00:00+08:00\n");
    // From 12-08 the only day with a live article (12·4) is over: the home
    // page counts down to next year's, one midnight at a time (11·25 still
    // runs, but without an article it is in no list).
    assert_eq!(next("2026-12-08 00:00"), "2026-12-09T00:00:00+08:00\n");
    assert_eq!(next("2026-12-11 00:00"), "2026-12-12T00:00:00+08:00\n");
    // A theme of the site's own that names `days_until` may show it on any
    // page: then every midnight counts, even while a campaign runs.
    site.write(
        "themes/default/templates/campaign.html",
        "{% extends \"base.html\" %}{% block content %}{{ campaign.days_until }}{% endblock %}",
    );
    assert_eq!(next("2026-11-29 12:00"), "2026-11-30T00:00:00+08:00\n");
}

#[test]
fn schedule_ics_parses_with_a_real_icalendar_parser() {
    use icalendar::Component;
    let site = Site::fixture("basic");
    let ics_path = site.path("plan.ics");
    let out = site.pufa(&[
        "schedule",
        "--days",
        "400",
        "--ics",
        ics_path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&ics_path).unwrap();
    let calendar: icalendar::Calendar = text.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    let publish = events
        .iter()
        .find(|e| e.get_summary() == Some("发布：定时发布的文章"))
        .expect("publish event");
    assert_eq!(
        publish.get_url(),
        Some("https://test.example.cn/education/future/")
    );
    assert_eq!(publish.property_value("DTSTART"), Some("20261204T000000Z"));
    let day = events
        .iter()
        .find(|e| {
            e.get_summary()
                .is_some_and(|s| s.starts_with("3·8 国际劳动妇女节"))
        })
        .expect("3·8 event");
    assert_eq!(day.property_value("DTSTART"), Some("20270302"));
    assert_eq!(day.property_value("DTEND"), Some("20270309"));
    assert!(text.lines().all(|l| l.len() <= 76), "lines are folded");
}

#[test]
fn new_with_campaign_dates_the_draft_for_the_next_occurrence() {
    let site = Site::fixture("basic");
    let out = site.pufa(&[
        "new",
        "qa/sanba-2027",
        "--title",
        "三八节的礼物",
        "--campaign",
        "3-8",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = site.read("content/qa/sanba-2027.md");
    assert!(
        text.starts_with("---\ntitle: \"三八节的礼物\"\ndate: 2027-03-08 08:00\ndraft: true"),
        "{text}"
    );
    assert!(text.contains("campaign: \"3-8\"\n"));
    // The 11·25 window is open (now is 2026-11-29): today, inside it.
    let out = site.pufa(&["new", "qa/fanjiabao", "--campaign", "11-25"]);
    assert!(out.status.success());
    assert!(
        site.read("content/qa/fanjiabao.md")
            .contains("date: 2026-11-29 08:00\n")
    );
    // After the window has closed: next year's.
    let out = site.pufa(&[
        "new",
        "qa/fanjiabao-2027",
        "--campaign",
        "11-25",
        "--now",
        "2026-12-11 09:00",
    ]);
    assert!(out.status.success());
    assert!(
        site.read("content/qa/fanjiabao-2027.md")
            .contains("date: 2027-11-25 08:00\n")
    );
    // The site's publish time is used, and the new draft builds.
    site.write(
        "site.yaml",
        &format!(
            "{}calendar:\n  publish_time: \"09:30\"\n",
            site.read("site.yaml")
        ),
    );
    let out = site.pufa(&["new", "qa/xianfa", "--campaign", "12-4"]);
    assert!(out.status.success());
    assert!(
        site.read("content/qa/xianfa.md")
            .contains("date: 2026-12-04 09:30\n")
    );
    site.build_ok();
}

#[test]
fn new_refuses_to_overwrite_and_rejects_unknown_campaigns() {
    let site = Site::fixture("basic");
    let before = site.read("content/qa/links.md");
    let out = site.pufa(&["new", "qa/links"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("already exists; pufa new never overwrites an article")
    );
    assert_eq!(site.read("content/qa/links.md"), before);
    let out = site.pufa(&["new", "qa/x", "--campaign", "3-9"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: `--campaign 3-9` names no awareness day
  错误：「--campaign 3-9」不是宣传日历里的节点
  hint: use one of: 3-8, 5, 5-15, 6-1, 11-25, 12-4
  提示：可用的节点：3-8, 5, 5-15, 6-1, 11-25, 12-4
"
    );
    let out = site.pufa(&["new", "nosuch/x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!site.exists("content/nosuch"));
}

#[test]
fn schedule_ics_writes_no_bare_carriage_return_from_a_title() {
    // A lone CR passes the front matter (only CR LF is a line end there) and
    // ended SUMMARY for many calendar readers, so a title could add
    // properties of its own.
    let site = Site::fixture("basic");
    site.write(
        "content/news/inject.md",
        "---\ntitle: \"定时\\rDTSTART:19700101T000000Z\\u2028X-A:1\"\ndate: 2026-12-05 08:00\nsummary: 摘要。\n---\n\n正文。\n",
    );
    let ics_path = site.path("plan.ics");
    let out = site.pufa(&["schedule", "--ics", ics_path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&ics_path).unwrap();
    assert!(
        !text
            .replace("\r\n", "")
            .contains(['\r', '\n', '\u{85}', '\u{2028}']),
        "{text:?}"
    );
    assert!(
        text.replace("\r\n ", "")
            .contains("SUMMARY:发布：定时\\nDTSTART:19700101T000000Z\\nX-A:1\r\n"),
        "{text}"
    );
    assert!(!text.split("\r\n").any(|l| l.starts_with("DTSTART:1970")));
}
