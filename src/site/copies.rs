//! Files copied as they are: static/, and which files may be published at all
//! (hidden and secret names, SVG checks, names that differ only in case).

use super::*;

/// Files under `static/`, copied as they are. Symbolic links are skipped
/// with a warning, and so are hidden files and folders (but `.well-known/`),
/// which hold secrets far more often than web pages (`.git/`, `.env`,
/// `.htpasswd`); editors' temporary and backup files are skipped silently,
/// as under content/ (the preview ignores them too).
pub(super) fn static_copies(config: &Config, diags: &mut Diagnostics) -> Vec<Copy> {
    let dir = config.static_dir();
    let mut hidden = Vec::new();
    let walker = walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let shown = e.depth() == 0 || is_published_name(e);
            if !shown {
                hidden.push(e.path().to_path_buf());
            }
            shown
        });
    let mut copies = Vec::new();
    for e in walker.filter_map(Result::ok) {
        if e.depth() > 0 && e.path_is_symlink() {
            diags.push(crate::content::skipped_link(&config.root, e.path()));
            continue;
        }
        if !e.file_type().is_file() || !publishable(config, e.path(), Origin::Static, diags) {
            continue;
        }
        // Joined with `/` part by part: a `\` inside a name (possible on
        // Unix) stays in it, to be refused, instead of becoming a separator.
        let Ok(rel) = e.path().strip_prefix(&dir) else {
            continue;
        };
        let parts: Vec<_> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        copies.push(Copy {
            from: e.path().to_path_buf(),
            to: parts.join("/"),
            op: None,
        });
    }
    diags.extend(
        hidden
            .iter()
            .filter(|p| is_secret_name(p))
            .map(|p| hidden_not_published(config, p)),
    );
    copies
}

/// Whether a file or folder under static/ is published by name: not
/// hidden, temporary or a backup, except `.well-known/` at the top (site
/// verification, security.txt).
pub(super) fn is_published_name(e: &walkdir::DirEntry) -> bool {
    is_published_static_name(
        e.depth(),
        &e.file_name().to_string_lossy(),
        e.file_type().is_dir(),
    )
}

/// [`is_published_name`] for a name `depth` levels below static/.
pub(super) fn is_published_static_name(depth: usize, name: &str, is_dir: bool) -> bool {
    !crate::content::is_ignored(name) || (depth == 1 && name == ".well-known" && is_dir)
}

/// Whether every part of `rel` (a file under static/) is published by name.
pub(super) fn is_published_static_path(rel: &Path) -> bool {
    let parts: Vec<_> = rel.components().collect();
    parts.iter().enumerate().all(|(i, part)| {
        let name = part.as_os_str().to_string_lossy();
        is_published_static_name(i + 1, &name, i + 1 < parts.len())
    })
}

/// Hidden names worth a warning: not the Finder's `.DS_Store` (nobody put
/// it there on purpose) nor editors' temporary files.
pub(super) fn is_secret_name(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.starts_with('.') && name != ".DS_Store"
}

pub(super) fn hidden_not_published(config: &Config, path: &Path) -> Diagnostic {
    Diagnostic::warning(
        crate::diagnostics::display_path(&config.root, path),
        "not published: hidden files and folders (names starting with `.`) often hold secrets",
    )
    .zh("没有发布：隐藏文件和文件夹（名字以“.”开头）常常存有密码等机密")
    .hint("only .well-known/ is published among them; if the server needs this file, put it there by other means")
    .hint_zh("这类文件中只有 .well-known/ 会发布；服务器需要这个文件的话，请用别的方式放上去")
}

/// Which folder editors put a file in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// Beside an article (page bundles, section folders).
    Content,
    Static,
}

/// Whether a file may be published as it is. SVG images must pass
/// [`crate::svg::check_file`] (errors otherwise); HTML pages beside
/// articles need `static: { allow_html: true }` (a warning otherwise).
/// Both would run their scripts on the site's own address.
pub(super) fn publishable(
    config: &Config,
    path: &Path,
    origin: Origin,
    diags: &mut Diagnostics,
) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let shown = crate::diagnostics::display_path(&config.root, path);
    match ext.as_str() {
        "svg" | "svgz" => {
            let problems = if ext == "svgz" {
                vec![compressed_svg(&shown)]
            } else {
                crate::svg::check_file(path, &shown)
            };
            let ok = problems.is_empty();
            diags.extend(problems);
            ok
        }
        // Pages a browser opens and runs scripts in (XSLT makes pages too).
        "html" | "htm" | "xhtml" | "xht" | "shtml" | "xsl" | "xslt" | "mht" | "mhtml"
            if origin == Origin::Content && !config.allow_html =>
        {
            diags.push(
                Diagnostic::warning(&shown, "not published: a web page beside an article (HTML, XHTML or XSLT) runs its scripts on the site's own address")
                    .zh("没有发布：文章旁边的网页文件（HTML、XHTML 或 XSLT）会以本站的名义运行其中的脚本")
                    .hint("put its content in the article, or set `static: { allow_html: true }` in site.yaml if every editor is trusted")
                    .hint_zh("把内容写进文章里；如果信任所有编辑，可以在 site.yaml 里设置「static: { allow_html: true }」"),
            );
            false
        }
        _ => true,
    }
}

/// A compressed SVG cannot be checked without unpacking it, and is rare.
pub(super) fn compressed_svg(shown: &Path) -> Diagnostic {
    Diagnostic::error(shown, "pufa cannot check a compressed SVG image (.svgz)")
        .zh("pufa 无法检查压缩的 SVG 图片（.svgz）")
        .hint("publish it as a plain .svg, or export the image as PNG")
        .hint_zh("改用未压缩的 .svg，或者把图片导出为 PNG")
}

/// Every copy's output path passes [`confine::check_output`] (a file named
/// `..\..\x` under static/ on Unix is an error, not a write two folders
/// up), and two copies whose paths differ only in case get a warning: on
/// Windows, macOS and many servers and CDNs they are one file.
pub(super) fn checked_copies(
    config: &Config,
    copies: Vec<Copy>,
    diags: &mut Diagnostics,
) -> Vec<Copy> {
    let shown = |c: &Copy| crate::diagnostics::display_path(&config.root, &c.from);
    let mut kept = Vec::with_capacity(copies.len());
    for c in copies {
        match confine::check_output(&c.to) {
            Ok(()) => kept.push(c),
            Err(why) => diags.push(
                Diagnostic::error(
                    shown(&c),
                    format!("cannot publish this file at `{}`: {why}", c.to),
                )
                .zh(format!("无法把这个文件发布到「{}」：{}", c.to, why.zh()))
                .hint("rename the file (letters, digits, `-` and `_` are safe everywhere)")
                .hint_zh("给文件改个名（字母、数字、「-」和「_」在哪里都没问题）"),
            ),
        }
    }
    let mut by_folded: std::collections::BTreeMap<String, Vec<&Copy>> = Default::default();
    for c in &kept {
        by_folded.entry(c.to.to_lowercase()).or_default().push(c);
    }
    for group in by_folded.values_mut() {
        group.sort_by(|a, b| a.to.cmp(&b.to));
        group.dedup_by(|a, b| a.to == b.to);
        let Some((first, others)) = group.split_first() else {
            continue;
        };
        let first_shown = shown(first);
        let first_shown = first_shown.display();
        for c in others {
            diags.push(
                Diagnostic::warning(
                    shown(c),
                    format!(
                        "published as `{}`, which differs only in case from `{}` ({first_shown})",
                        c.to, first.to
                    ),
                )
                .zh(format!(
                    "发布路径「{}」与「{}」（{first_shown}）只有大小写不同",
                    c.to, first.to
                ))
                .hint("rename one of them: on Windows, macOS and many servers and CDNs the two are one file")
                .hint_zh("给其中一个改名：在 Windows、macOS 和许多服务器、CDN 上，这两个是同一个文件"),
            );
        }
    }
    kept
}
