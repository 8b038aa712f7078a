//! Theme lookup: a site's `themes/<name>/` first, then the default theme
//! embedded in the binary, so `pufa init` sites build anywhere.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::read::ReadError;

/// The default theme's templates, compiled into the binary.
const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "macros.html",
        include_str!("../../themes/default/templates/macros.html"),
    ),
    (
        "partials/cards.html",
        include_str!("../../themes/default/templates/partials/cards.html"),
    ),
    (
        "partials/chips.html",
        include_str!("../../themes/default/templates/partials/chips.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../themes/default/templates/partials/pager.html"),
    ),
    (
        "partials/years.html",
        include_str!("../../themes/default/templates/partials/years.html"),
    ),
    (
        "partials/statute_articles.html",
        include_str!("../../themes/default/templates/partials/statute_articles.html"),
    ),
    (
        "card.html",
        include_str!("../../themes/default/templates/card.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "list.html",
        include_str!("../../themes/default/templates/list.html"),
    ),
    (
        "article.html",
        include_str!("../../themes/default/templates/article.html"),
    ),
    (
        "taxonomy.html",
        include_str!("../../themes/default/templates/taxonomy.html"),
    ),
    (
        "archive.html",
        include_str!("../../themes/default/templates/archive.html"),
    ),
    (
        "campaign.html",
        include_str!("../../themes/default/templates/campaign.html"),
    ),
    (
        "campaigns.html",
        include_str!("../../themes/default/templates/campaigns.html"),
    ),
    (
        "subscribe.html",
        include_str!("../../themes/default/templates/subscribe.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "statute.html",
        include_str!("../../themes/default/templates/statute.html"),
    ),
    (
        "statute_chapter.html",
        include_str!("../../themes/default/templates/statute_chapter.html"),
    ),
    (
        "statutes.html",
        include_str!("../../themes/default/templates/statutes.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "alias.html",
        include_str!("../../themes/default/templates/alias.html"),
    ),
];

/// Templates every theme may leave out: pages that look the same on any
/// site (the redirect at an alias), so themes written before them still build.
const OPTIONAL_TEMPLATES: &[&str] = &["alias.html"];

/// The default theme's static files (name under `static/`, bytes).
const EMBEDDED_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "print.css",
        include_bytes!("../../themes/default/static/print.css"),
    ),
    (
        "share.png",
        include_bytes!("../../themes/default/static/share.png"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
    ),
];

#[derive(Debug, Clone)]
pub struct Theme {
    dir: PathBuf,
    /// Used for files the site's theme folder does not have.
    fallback_to_embedded: bool,
    /// Templates over this many bytes are refused (`limits.max_file_mb`).
    max_file_bytes: u64,
}

impl Theme {
    pub fn new(config: &Config) -> Self {
        Self {
            dir: config.theme_dir(),
            fallback_to_embedded: config.theme == "default",
            max_file_bytes: config.max_file_bytes,
        }
    }

    /// Where a template comes from, for error messages.
    pub fn template_path(&self, name: &str) -> PathBuf {
        let on_disk = self.dir.join("templates").join(name);
        if on_disk.is_file() || !self.embedded_for(name) {
            on_disk
        } else {
            Path::new("(built-in default theme)")
                .join("templates")
                .join(name)
        }
    }

    pub fn template(&self, name: &str) -> std::io::Result<Option<String>> {
        let on_disk = self.dir.join("templates").join(name);
        match crate::read::text(&on_disk, self.max_file_bytes).map_err(ReadError::into_io) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(self
                .embedded_for(name)
                .then(|| EMBEDDED_TEMPLATES.iter().find(|(n, _)| *n == name))
                .flatten()
                .map(|(_, s)| s.to_string())),
            Err(e) => Err(e),
        }
    }

    /// Whether a template in the site's theme folder that is not a copy of
    /// the default theme's mentions `word` (`pufa schedule` asks about
    /// `days_until`: such a theme may show a countdown anywhere).
    pub fn own_templates_mention(&self, word: &str) -> bool {
        let dir = self.dir.join("templates");
        walkdir::WalkDir::new(&dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .any(|e| {
                let Ok(text) = crate::read::text(e.path(), self.max_file_bytes) else {
                    return false;
                };
                let name = name_under(&dir, e.path());
                let default = EMBEDDED_TEMPLATES.iter().find(|(n, _)| *n == name);
                text.contains(word) && default.is_none_or(|(_, d)| *d != text)
            })
    }

    /// Whether the embedded template stands in when the theme lacks `name`.
    fn embedded_for(&self, name: &str) -> bool {
        self.fallback_to_embedded || OPTIONAL_TEMPLATES.contains(&name)
    }

    /// The theme's static files: (name, bytes), the site's theme folder first.
    pub fn static_files(&self) -> std::io::Result<Vec<(String, Vec<u8>)>> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let dir = self.dir.join("static");
        if dir.is_dir() {
            for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let e = e?;
                if e.file_type().is_file() {
                    let name = name_under(&dir, e.path());
                    files.push((name, std::fs::read(e.path())?));
                }
            }
        }
        if self.fallback_to_embedded {
            for (name, bytes) in EMBEDDED_STATIC {
                if !files.iter().any(|(n, _)| n == name) {
                    files.push((name.to_string(), bytes.to_vec()));
                }
            }
        }
        files.sort();
        Ok(files)
    }
}

/// `path`'s name under `dir`, with forward slashes (`partials/card.html`).
fn name_under(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
