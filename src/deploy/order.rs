//! The order of uploads, so that a reader never gets a page whose
//! stylesheet, image or linked page is not there yet:
//!
//! 1. media (images, fonts, downloads), then stylesheets and scripts;
//! 2. pages, in waves: a page goes after every *new* page it links to
//!    (pages the remote already has may be replaced in any order, since
//!    their address works all along). Pages that link to each other (an
//!    article and the next one) go in the same wave. So a new article goes
//!    up before its neighbours, lists and the home page that link to it;
//! 3. feeds, sitemap, search index and other listings, which name every page;
//! 4. deletions, last (done by the caller).

use petgraph::graphmap::DiGraphMap;

use super::headers::Class;

/// What `waves` needs to know of a file to upload.
pub struct Item<'a> {
    pub key: &'a str,
    pub class: Class,
    /// New on the remote (not merely changed).
    pub new: bool,
    /// The keys a page links to ([`page_links`]); empty for other files.
    pub links: &'a [String],
}

/// Where the site lives, to turn links into keys.
pub struct Site<'a> {
    /// `https://example.cn`
    pub origin: &'a str,
    /// `/pufa/`
    pub base_path: &'a str,
}

/// Indices into `items`, wave by wave; each wave may go up in parallel.
pub fn waves(items: &[Item<'_>]) -> Vec<Vec<usize>> {
    let of_class =
        |c: Class| -> Vec<usize> { (0..items.len()).filter(|&i| items[i].class == c).collect() };
    let mut out = vec![of_class(Class::Media), of_class(Class::Style)];
    out.extend(page_waves(items));
    out.push(of_class(Class::Listing));
    out.retain(|w| !w.is_empty());
    out
}

fn page_waves(items: &[Item<'_>]) -> Vec<Vec<usize>> {
    let pages: Vec<usize> = (0..items.len())
        .filter(|&i| items[i].class == Class::Page)
        .collect();
    let new_pages: rustc_hash::FxHashMap<&str, usize> = pages
        .iter()
        .filter(|&&i| items[i].new)
        .map(|&i| (items[i].key, i))
        .collect();
    let mut graph: DiGraphMap<usize, ()> = DiGraphMap::with_capacity(pages.len(), 0);
    for &i in &pages {
        graph.add_node(i);
    }
    for &i in &pages {
        for key in items[i].links {
            if let Some(&j) = new_pages.get(key.as_str())
                && j != i
            {
                graph.add_edge(i, j, ());
            }
        }
    }
    // Components come out dependencies first (reverse topological order),
    // so every neighbour outside a component already has its wave, and
    // none inside it has one yet. (Asking the component whether it holds
    // a neighbour was quadratic: a site's articles, linked to the previous
    // and the next, are one component of thousands of pages.)
    let components = petgraph::algo::tarjan_scc(&graph);
    let mut wave_of: rustc_hash::FxHashMap<usize, usize> = rustc_hash::FxHashMap::default();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for component in components {
        let wave = component
            .iter()
            .flat_map(|&n| graph.neighbors(n))
            .filter_map(|m| wave_of.get(&m).map(|w| w + 1))
            .max()
            .unwrap_or(0);
        for &n in &component {
            wave_of.insert(n, wave);
        }
        if out.len() <= wave {
            out.resize_with(wave + 1, Vec::new);
        }
        out[wave].extend(component);
    }
    for w in &mut out {
        w.sort_unstable();
    }
    out
}

/// The keys of this site's files that a page links to (`href` and `src`).
pub fn page_links(html: &[u8], from: &str, site: &Site<'_>) -> Vec<String> {
    let mut keys: Vec<String> = links(html)
        .filter_map(|l| link_key(l, from, site))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The values of `href="…"` and `src="…"` attributes.
fn links(html: &[u8]) -> impl Iterator<Item = &str> {
    memchr::memmem::find_iter(html, b"=\"").filter_map(move |at| {
        let name = &html[..at];
        let is_link = name.ends_with(b"href") || name.ends_with(b"src");
        if !is_link {
            return None;
        }
        let value = &html[at + 2..];
        let end = memchr::memchr(b'"', value)?;
        std::str::from_utf8(&value[..end]).ok()
    })
}

/// The key of the file a link points to, if it is on this site.
fn link_key(link: &str, from: &str, site: &Site<'_>) -> Option<String> {
    let link = link.split(['#', '?']).next()?;
    let link = link.replace("&amp;", "&");
    let path = if let Some(rest) = link.strip_prefix(site.origin) {
        rest.to_string()
    } else if link.contains("://") || link.starts_with("//") || link.contains(':') {
        return None;
    } else if link.starts_with('/') {
        link
    } else {
        // Relative to the page's folder.
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{}{dir}/{link}", site.base_path)
    };
    let path = path.strip_prefix(site.base_path)?;
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut key = parts.join("/");
    if path.is_empty() || path.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: Site<'static> = Site {
        origin: "https://pufa.example.cn",
        base_path: "/",
    };

    fn page<'a>(key: &'a str, new: bool, links: &'a [String]) -> Item<'a> {
        Item {
            key,
            class: Class::Page,
            new,
            links,
        }
    }

    fn l(key: &str, html: &str) -> Vec<String> {
        page_links(html.as_bytes(), key, &SITE)
    }

    #[test]
    fn links_become_keys() {
        let k = |l: &str| link_key(l, "education/a/index.html", &SITE);
        assert_eq!(
            k("/education/b/").as_deref(),
            Some("education/b/index.html")
        );
        assert_eq!(k("https://pufa.example.cn/").as_deref(), Some("index.html"));
        assert_eq!(k("../b/#top").as_deref(), Some("education/b/index.html"));
        assert_eq!(k("cover.png").as_deref(), Some("education/a/cover.png"));
        assert_eq!(k("/tags/%E5%AE%B6/").as_deref(), Some("tags/家/index.html"));
        assert_eq!(k("tel:12338"), None);
        assert_eq!(k("https://flk.npc.gov.cn/"), None);
        let sub = Site {
            origin: "https://x.cn",
            base_path: "/pufa/",
        };
        assert_eq!(
            link_key("/pufa/a/", "index.html", &sub).as_deref(),
            Some("a/index.html")
        );
        assert_eq!(link_key("/other/", "index.html", &sub), None);
    }

    #[test]
    fn new_pages_go_before_the_pages_that_link_to_them() {
        let links = [
            l(
                "index.html",
                r#"<a href="/news/">news</a><a href="/news/b/">b</a>"#,
            ),
            l(
                "news/index.html",
                r#"<a href="/news/a/">a</a> <a href="/news/b/">b</a>"#,
            ),
            // Two new articles that link to each other, and to an old one.
            l(
                "news/a/index.html",
                r#"<a href="/news/b/">next</a><a href="/news/old/">x</a><img src="cover.png">"#,
            ),
            l("news/b/index.html", r#"<a href="/news/a/">prev</a>"#),
            l("news/old/index.html", r#"<a href="/news/a/">next</a>"#),
        ];
        assert!(links[2].contains(&"news/a/cover.png".to_string()));
        let items = [
            Item {
                key: "rss.xml",
                class: Class::Listing,
                new: false,
                links: &[],
            },
            page("index.html", false, &links[0]),
            page("news/index.html", false, &links[1]),
            page("news/a/index.html", true, &links[2]),
            page("news/b/index.html", true, &links[3]),
            page("news/old/index.html", false, &links[4]),
            Item {
                key: "assets/s.0123abcd.css",
                class: Class::Style,
                new: true,
                links: &[],
            },
            Item {
                key: "news/a/cover.png",
                class: Class::Media,
                new: true,
                links: &[],
            },
        ];
        let w = waves(&items);
        assert_eq!(
            w,
            vec![vec![7], vec![6], vec![3, 4], vec![1, 2, 5], vec![0]]
        );
    }

    #[test]
    fn changed_pages_need_no_order() {
        let links = [
            l("index.html", r#"<a href="/a/">a</a>"#),
            l("a/index.html", r#"<a href="/">home</a>"#),
        ];
        let items = [
            page("index.html", false, &links[0]),
            page("a/index.html", false, &links[1]),
        ];
        assert_eq!(waves(&items), vec![vec![0, 1]]);
    }
}
