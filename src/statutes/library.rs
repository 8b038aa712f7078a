//! pufa's library of laws: the laws family-law education sites cite most,
//! in full (the 民法典 in its 总则, 婚姻家庭 and 继承 parts), compiled into
//! the binary like the default theme. Every site has them without a
//! `statutes/` folder; a site's own `statutes/<key>.yaml` adds a law or
//! replaces the library's law of that key entirely ([`super::Statutes::load`]).
//!
//! The files in `library/` are made by `pufa statutes import` from the
//! official texts (国家法律法规数据库) in the LawRefBook Markdown layout, with
//! the names citations use (`short`, `aliases`) given on its command line:
//! `contrib/statutes/import_library.sh` is the exact recipe, and
//! `contrib/statutes/verify_library.py` checks every article against the
//! Markdown texts with a parser of its own. Edit them only by importing again.

use std::sync::OnceLock;

use super::{Law, Origin, data};

/// (key, YAML) of every law in the library, by key.
pub const FILES: &[(&str, &str)] = &[
    ("fanjiabaofa", include_str!("library/fanjiabaofa.yaml")),
    ("funvquanyi", include_str!("library/funvquanyi.yaml")),
    ("jiatingjiaoyu", include_str!("library/jiatingjiaoyu.yaml")),
    ("laonianren", include_str!("library/laonianren.yaml")),
    ("minfadian", include_str!("library/minfadian.yaml")),
    (
        "weichengnianren",
        include_str!("library/weichengnianren.yaml"),
    ),
    ("xianfa", include_str!("library/xianfa.yaml")),
];

/// The library's laws, sorted by key. Read once per process and shared:
/// parsing the 322 KB of YAML takes about 5 ms in a release build (94 ms in
/// a debug one), copying the result 0.35 ms (the test
/// `reading_the_library_once_is_worth_it` prints both), and `pufa serve`
/// would otherwise parse it again on every save.
pub fn laws() -> &'static [Law] {
    static LAWS: OnceLock<Vec<Law>> = OnceLock::new();
    LAWS.get_or_init(read)
}

/// Parses every file of the library.
fn read() -> Vec<Law> {
    FILES
        .iter()
        .map(|(key, yaml)| {
            let mut law = data::parse(key, yaml)
                .unwrap_or_else(|e| panic!("library/{key}.yaml does not load: {e:?}"));
            law.origin = Origin::Library;
            law
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_loads_in_key_order() {
        let laws = laws();
        let keys: Vec<&str> = laws.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "fanjiabaofa",
                "funvquanyi",
                "jiatingjiaoyu",
                "laonianren",
                "minfadian",
                "weichengnianren",
                "xianfa"
            ]
        );
        assert!(laws.iter().all(|l| l.origin == Origin::Library));
    }

    #[test]
    fn the_library_holds_whole_laws_with_their_dates_and_places() {
        let law = |key: &str| laws().iter().find(|l| l.key == key).unwrap();
        let numbers = |key: &str| law(key).articles.keys().copied().collect::<Vec<u32>>();
        for (key, total) in [
            ("fanjiabaofa", 38),
            ("funvquanyi", 86),
            ("jiatingjiaoyu", 55),
            ("laonianren", 85),
            ("weichengnianren", 132),
            ("xianfa", 143),
        ] {
            assert_eq!(law(key).articles_total, total, "{key}");
            assert_eq!(numbers(key), (1..=total).collect::<Vec<_>>(), "{key}");
        }
        // The 民法典: 总则, 婚姻家庭 and 继承 of its seven parts.
        let civil = law("minfadian");
        assert_eq!(civil.articles_total, 1260);
        let expected: Vec<u32> = (1..=204).chain(1040..=1163).collect();
        assert_eq!(numbers("minfadian"), expected);
        let a = &civil.articles[&1059];
        assert_eq!(
            (
                a.part.as_deref(),
                a.chapter.as_deref(),
                a.section.as_deref()
            ),
            (
                Some("第五编 婚姻家庭"),
                Some("第三章 家庭关系"),
                Some("第一节 夫妻关系")
            )
        );
        assert_eq!(civil.articles[&1163].part.as_deref(), Some("第七编 继承"));
        assert_eq!(
            civil.articles[&1042].paragraphs,
            [
                "禁止包办、买卖婚姻和其他干涉婚姻自由的行为。禁止借婚姻索取财物。",
                "禁止重婚。禁止有配偶者与他人同居。",
                "禁止家庭暴力。禁止家庭成员间的虐待和遗弃。",
            ]
        );
        // Names citations use.
        assert!(law("fanjiabaofa").aliases.contains(&"反家暴法".to_string()));

        // `effective` is the text in force; history every adoption line.
        let dates = |key: &str| {
            let l = law(key);
            let history: Vec<String> = l
                .history
                .iter()
                .map(|e| format!("{} {}", e.date, e.event.as_str()))
                .collect();
            (l.effective.clone(), history)
        };
        assert_eq!(
            dates("weichengnianren"),
            (
                "2021-06-01".to_string(),
                vec![
                    "1991-09-04 通过".to_string(),
                    "2006-12-29 修订".into(),
                    "2012-10-26 修正".into(),
                    "2020-10-17 修订".into(),
                    "2024-04-26 修正".into()
                ]
            )
        );
        assert_eq!(dates("laonianren").0, "2013-07-01");
        assert_eq!(dates("funvquanyi").0, "2023-01-01");
        assert_eq!(
            dates("minfadian"),
            (
                "2021-01-01".to_string(),
                vec!["2020-05-28 通过".to_string()]
            )
        );
        // The 宪法 has no 本法自…起施行: it took effect when published.
        let (effective, history) = dates("xianfa");
        assert_eq!(effective, "1982-12-04");
        assert_eq!(history[..2], ["1982-12-04 通过", "1982-12-04 公布"]);
        assert_eq!(history.last().unwrap(), "2018-03-11 修正");
        assert_eq!(law("xianfa").preamble.len(), 13);
        assert!(
            laws()
                .iter()
                .filter(|l| l.key != "xianfa")
                .all(|l| l.preamble.is_empty())
        );
    }

    /// Prints what reading the library costs (`cargo test --release --lib
    /// reading_the_library -- --nocapture`): what [`laws`] saves every
    /// build after the first of a `pufa serve` process.
    #[test]
    fn reading_the_library_once_is_worth_it() {
        let bytes: usize = FILES.iter().map(|(_, yaml)| yaml.len()).sum();
        let started = std::time::Instant::now();
        let laws = read();
        let parsed = started.elapsed();
        let started = std::time::Instant::now();
        let copy = laws.clone();
        let cloned = started.elapsed();
        let articles: usize = copy.iter().map(|l| l.articles.len()).sum();
        eprintln!(
            "library: {} laws, {articles} articles, {bytes} bytes of YAML: parsed in {:.1} ms, cloned in {:.2} ms",
            laws.len(),
            parsed.as_secs_f64() * 1000.0,
            cloned.as_secs_f64() * 1000.0
        );
        assert_eq!(articles, 867);
    }
}
