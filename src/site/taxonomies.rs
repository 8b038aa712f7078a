//! Taxonomies (laws, audiences, tags): terms, their slugs and articles.

use super::*;

pub(super) fn taxonomies(
    config: &Config,
    articles: &[Article],
    diags: &mut Diagnostics,
) -> Vec<Taxonomy> {
    // One taxonomy per thread; problems are reported in taxonomy order.
    let (taxonomies, problems): (Vec<Taxonomy>, Vec<Vec<Diagnostic>>) = config
        .taxonomies
        .par_iter()
        .map(|t| taxonomy(config, t, articles))
        .unzip();
    diags.extend(problems.into_iter().flatten());
    taxonomies
}

/// What a term name used in the front matter stands for.
#[derive(Clone, Copy)]
pub(super) enum Use {
    /// Term number `n` (in order of first use).
    Term(usize),
    /// No URL: refused with the front matter, at its line.
    Refused,
    /// Another name of term `n` has the same URL.
    Collides(usize),
}

pub(super) fn taxonomy(
    config: &Config,
    t: &crate::config::Taxonomy,
    articles: &[Article],
) -> (Taxonomy, Vec<Diagnostic>) {
    let base = config.url(&format!("{}/", t.key));
    let mut diags = Vec::new();
    // (slug, name, first article using it, article indices), in order of first use.
    let mut found: Vec<(String, String, usize, Vec<usize>)> = Vec::new();
    let mut by_slug: HashMap<String, usize> = HashMap::new();
    // Pinyin and look-ups once per name, not once per use (40,000 uses on
    // a 10,000-article site).
    let mut by_name: FxHashMap<&str, Use> = FxHashMap::default();
    for (i, a) in articles.iter().enumerate() {
        for name in a.front.terms(t.key) {
            let used = *by_name.entry(name.as_str()).or_insert_with(|| {
                let slug = slugify(name);
                if slug.is_empty() {
                    return Use::Refused;
                }
                match by_slug.get(&slug) {
                    Some(&n) => Use::Collides(n),
                    None => {
                        by_slug.insert(slug.clone(), found.len());
                        found.push((slug, name.clone(), i, Vec::new()));
                        Use::Term(found.len() - 1)
                    }
                }
            });
            match used {
                Use::Term(n) => found[n].3.push(i),
                Use::Refused => {}
                Use::Collides(n) => {
                    let (_, other, first, _) = &found[n];
                    diags.push(
                        Diagnostic::error(
                            &a.shown,
                            format!(
                                "the {} terms `{name}` and `{other}` (used in {}) have the same URL",
                                t.key,
                                articles[*first].shown.display()
                            ),
                        )
                        .hint("use one spelling for both, or rename one of them")
                        .zh(format!("分类词「{name}」和「{other}」的网址相同"))
                        .hint_zh("两者统一成一种写法，或者改掉其中一个"),
                    );
                }
            }
        }
    }
    let mut terms: Vec<Term> = found
        .into_iter()
        .map(|(slug, name, _, articles)| Term {
            url: format!("{base}{slug}/"),
            name,
            slug,
            articles,
        })
        .collect();
    terms.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let index = terms
        .iter()
        .enumerate()
        .map(|(i, term)| (term.name.clone(), i))
        .collect();
    let taxonomy = Taxonomy {
        key: t.key,
        name: t.name.clone(),
        url: base,
        terms,
        index,
    };
    (taxonomy, diags)
}
