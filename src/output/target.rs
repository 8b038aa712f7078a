//! Which folder pufa may write into: the rules, checked before anything is
//! touched. [`check`] is the one gate for every command that writes a folder
//! (`build`, `wechat`, and `deploy` to a directory through [`check_copy`],
//! which also keeps the copy out of the built site it copies).
//!
//! pufa replaces everything in its output folder, and keeps the previous
//! build beside it (`.NAME.spare`) to update in place next time, deleting
//! whatever the site no longer has. A folder it did not make would lose its
//! files (issue 21: `--output content` deleted every article on the second
//! build). So pufa writes only into a folder that is
//!
//! - missing, or empty, or marked as its own by the [`MARKER`] file that
//!   every build writes first (so the mark moves with the folder when the
//!   two are exchanged), and likewise for the spare beside it;
//! - not the site folder, nor any folder that holds it, nor one of the
//!   site's inputs or inside one (`content/`, `static/`, `themes/`,
//!   `statutes/`), whatever its marks.
//!
//! Anything else is refused before a lock file or a staging folder is made.
//!
//! **Links are followed, never replaced.** `public -> /var/www/site` is the
//! usual way to publish: the rules apply to the link's target, and the new
//! build is staged and swapped beside the target, so the link keeps pointing
//! at the new site. (Before, the exchange put a real folder where the link
//! was, and the web root kept the old site.)
//!
//! **Outputs of an older pufa** have no mark. One is adopted (and marked) if
//! the old lock file `.NAME.lock` sits beside it, which every build of the
//! old pufa made, and its contents are what pufa writes: a site (`index.html`,
//! `sitemap.xml` and `robots.txt` at the top) or a WeChat export (only
//! `X.html` and `X.fragment.html` pairs), with no hidden file, no link, no
//! Markdown and no `site.yaml` anywhere in it. Else it is refused, naming
//! the first thing pufa would not have written.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::escape_controls;

/// The file that marks a folder as pufa's output; the first file of every
/// build. Hidden, like the staging folders, and never a page of the site
/// (hidden source files are not published).
pub const MARKER: &str = ".pufa-output";

/// What the marker says to whoever opens it.
pub(super) const MARKER_TEXT: &str = "This folder is the output of pufa: every build replaces everything in it.\n\
    Keep nothing else here. pufa writes only into folders holding this file.\n\
    这个文件夹由 pufa 生成，每次构建都会替换其中的全部内容，请不要在这里存放其他文件。\n";

/// The site's inputs, below its folder: an output may be none of them, nor
/// inside one, nor hold one.
const INPUTS: [&str; 4] = ["content", "static", "themes", "statutes"];

/// An output folder that passed [`check`]: the only way to get a
/// [`Staging`](super::Staging).
#[derive(Debug)]
pub struct Target {
    /// The real folder, every link resolved: the staging folder, the spare
    /// and the lock go beside it.
    dir: PathBuf,
    /// Unmarked folders adopted as an older pufa's output, to mark once the
    /// lock is held.
    adopted: Vec<PathBuf>,
}

impl Target {
    /// The folder written, links resolved.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The folder the output sits in.
    pub(super) fn parent(&self) -> &Path {
        // `check` refuses `/`, the only absolute path without a parent.
        self.dir.parent().unwrap_or(Path::new("/"))
    }

    /// `.NAME<suffix>`, beside the output (`.spare`, `.lock`, `.tmp-…`).
    pub(super) fn sibling(&self, suffix: &str) -> PathBuf {
        sibling(&self.dir, suffix)
    }

    pub(super) fn adopted(&self) -> &[PathBuf] {
        &self.adopted
    }
}

/// `.NAME<suffix>` beside the folder `dir`.
pub(super) fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(dir.file_name().unwrap_or(OsStr::new("")));
    name.push(suffix);
    dir.with_file_name(name)
}

/// Whether pufa may write a site into `out` for the site in `site_root`;
/// reads only, and creates nothing. See the module documentation for the
/// rules.
pub fn check(out: &Path, site_root: &Path) -> Result<Target, Refusal> {
    let refuse = |reason| Refusal::new(out, None, reason);
    let (dir, via_link) = resolve(out).map_err(|e| refuse(Reason::Unreadable(e)))?;
    let refuse = |reason| Refusal::new(out, via_link.then_some(&*dir), reason);
    check_inputs(&dir, site_root).map_err(refuse)?;
    let lock = sibling(&dir, ".lock");
    let old_lock = match std::fs::symlink_metadata(&lock) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Ok(m) if m.is_file() => true,
        Ok(_) => return Err(refuse(Reason::Lock(name_of(&lock)))),
        Err(e) => return Err(refuse(Reason::Unreadable(e))),
    };
    let adopt_out = ownership(&dir, old_lock).map_err(|why| {
        refuse(match why {
            Unowned::File => Reason::NotAFolder,
            Unowned::Foreign => Reason::Foreign,
            Unowned::OldOutput(entry) => Reason::OldOutput(entry),
            Unowned::Unreadable(e) => Reason::Unreadable(e),
        })
    })?;
    let spare = sibling(&dir, ".spare");
    let adopt_spare = ownership(&spare, old_lock).map_err(|why| {
        refuse(match why {
            Unowned::Unreadable(e) => Reason::Unreadable(e),
            Unowned::OldOutput(entry) => Reason::Spare {
                spare: name_of(&spare),
                entry,
            },
            Unowned::File | Unowned::Foreign => Reason::Spare {
                spare: name_of(&spare),
                entry: None,
            },
        })
    })?;
    let adopted = [(adopt_out, &dir), (adopt_spare, &spare)]
        .into_iter()
        .filter(|(adopt, _)| *adopt)
        .map(|(_, d)| d.clone())
        .collect();
    Ok(Target { dir, adopted })
}

/// [`check`] for a folder that gets a copy of the built site `source`
/// (`pufa deploy` to a `dir` target): also refused if it is `source`,
/// holds it or sits in it, since each copy would take in the last one.
pub fn check_copy(out: &Path, site_root: &Path, source: &Path) -> Result<Target, Refusal> {
    let target = check(out, site_root)?;
    let refuse = |reason| Refusal::new(out, None, reason);
    let (_, via_link) = resolve(out).map_err(|e| refuse(Reason::Unreadable(e)))?;
    let (source, _) = resolve(source).map_err(|e| refuse(Reason::Unreadable(e)))?;
    let dir = target.dir();
    if dir.starts_with(&source) || source.starts_with(dir) {
        return Err(Refusal::new(
            out,
            via_link.then_some(dir),
            Reason::Source {
                name: folder(&source),
            },
        ));
    }
    Ok(target)
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// The output must not hold the site, nor be or sit in one of its inputs.
/// Compared with every link resolved, so a link cannot hide either (and a
/// `content/` that is a link to a shared drive is protected where it is).
fn check_inputs(dir: &Path, site_root: &Path) -> Result<(), Reason> {
    let (root, _) = resolve(site_root).map_err(Reason::Unreadable)?;
    if root.starts_with(dir) {
        return Err(Reason::HoldsSite);
    }
    let mut inputs = Vec::new();
    for name in INPUTS {
        let (input, _) = resolve(&root.join(name)).map_err(Reason::Unreadable)?;
        if dir.starts_with(&input) {
            return Err(Reason::Input {
                name,
                inside: dir != input,
            });
        }
        inputs.push(input);
    }
    // An input elsewhere (`content/` a link to a shared drive) may sit in it.
    if inputs.iter().any(|input| input.starts_with(dir)) {
        return Err(Reason::HoldsSite);
    }
    Ok(())
}

/// Why a folder is not pufa's to write.
enum Unowned {
    /// Not a folder: a file, or a link (a spare is never one).
    File,
    /// Holds things, no mark, and no lock of an older pufa beside it.
    Foreign,
    /// Beside an older pufa's lock, but not (only) its output; the first
    /// entry that pufa would not have written, if one is to blame.
    OldOutput(Option<String>),
    Unreadable(io::Error),
}

/// Whether `dir` is pufa's to write: missing, empty or marked (`Ok(false)`),
/// or an older pufa's output to adopt by marking it (`Ok(true)`, only with
/// that pufa's lock beside it, `old_lock`).
fn ownership(dir: &Path, old_lock: bool) -> Result<bool, Unowned> {
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Unowned::Unreadable(e)),
        Ok(m) if !m.is_dir() => return Err(Unowned::File),
        Ok(_) => {}
    }
    let empty = std::fs::read_dir(dir)
        .map_err(Unowned::Unreadable)?
        .next()
        .is_none();
    if empty || std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(false);
    }
    if !old_lock {
        return Err(Unowned::Foreign);
    }
    old_output(dir).map(|()| true).map_err(Unowned::OldOutput)
}

/// Whether the unmarked folder `dir` holds only what an older pufa wrote
/// into it (see the module documentation). `Err` names the first entry that
/// pufa would not have written, if one is to blame.
fn old_output(dir: &Path) -> Result<(), Option<String>> {
    let mut top = Vec::new();
    let mut pages = std::collections::HashSet::new();
    let mut only_pages = true;
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(|_| None)?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let shown = || Some(rel.to_string_lossy().into_owned());
        let name = entry.file_name().to_string_lossy();
        let kind = entry.file_type();
        let source_like = name.starts_with('.')
            || name == crate::config::FILE_NAME
            || name.ends_with(".md")
            || name.ends_with(".markdown");
        if source_like || !(kind.is_file() || kind.is_dir()) {
            return Err(shown());
        }
        if kind.is_dir() {
            continue;
        }
        if entry.depth() == 1 {
            top.push(name.to_string());
        }
        let rel = rel.to_string_lossy();
        only_pages &= rel.ends_with(".html");
        pages.insert(rel.into_owned());
    }
    let site = ["index.html", "sitemap.xml", "robots.txt"]
        .iter()
        .all(|f| top.iter().any(|t| t == f));
    // A WeChat export: `x.html` and `x.fragment.html` for every article.
    let export = only_pages
        && !pages.is_empty()
        && pages
            .iter()
            .all(|p| match p.strip_suffix(".fragment.html") {
                Some(base) => pages.contains(&format!("{base}.html")),
                None => pages.contains(&format!(
                    "{}.fragment.html",
                    p.strip_suffix(".html").unwrap_or(p)
                )),
            });
    if site || export { Ok(()) } else { Err(None) }
}

/// `path` made absolute with every symbolic link resolved, like
/// `fs::canonicalize`, except that the path need not exist: a missing part
/// is taken as written (`..` after it lexically, which is right because a
/// missing folder cannot be a link). Also says whether a link was followed.
fn resolve(path: &Path) -> io::Result<(PathBuf, bool)> {
    let mut resolved = if path.is_absolute() {
        PathBuf::new()
    } else {
        // The kernel's answer: already free of links.
        std::env::current_dir()?
    };
    // Components still to walk, the next one last.
    let mut todo = Vec::new();
    push_components(&mut todo, &mut resolved, path);
    let mut links = 0;
    while let Some(part) = todo.pop() {
        if part == ".." {
            resolved.pop();
            continue;
        }
        let next = resolved.join(&part);
        if std::fs::symlink_metadata(&next).is_ok_and(|m| m.file_type().is_symlink()) {
            links += 1;
            if links > 40 {
                return Err(io::Error::other(format!(
                    "too many symbolic links in {}",
                    path.display()
                )));
            }
            let target = std::fs::read_link(&next)?;
            push_components(&mut todo, &mut resolved, &target);
        } else {
            resolved = next;
        }
    }
    Ok((resolved, links > 0))
}

/// Queues the components of `path` after the ones already queued; an
/// absolute `path` starts again from its root.
fn push_components(todo: &mut Vec<OsString>, resolved: &mut PathBuf, path: &Path) {
    use std::path::Component;
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => {
                resolved.clear();
                resolved.push(c.as_os_str());
            }
            Component::CurDir => {}
            Component::ParentDir => parts.push(OsString::from("..")),
            Component::Normal(name) => parts.push(name.to_owned()),
        }
    }
    todo.extend(parts.into_iter().rev());
}

/// Why pufa will not write into a folder; shown like a diagnostic, English
/// then Chinese, and a hint for each. `main` exits with 2.
#[derive(Debug)]
pub struct Refusal {
    /// The folder as the command line named it.
    shown: String,
    /// Where a link led, if one did.
    link_to: Option<String>,
    reason: Reason,
    /// The setting that named the folder (English, Chinese), if not the
    /// command line: the hints then say to change it.
    setting: Option<Box<(String, String)>>,
}

#[derive(Debug)]
enum Reason {
    /// The site's folder, or one that holds it or one of its inputs.
    HoldsSite,
    /// One of [`INPUTS`], or inside one.
    Input {
        name: &'static str,
        inside: bool,
    },
    NotAFolder,
    /// The built site being copied there (`pufa deploy`), or holding it or
    /// inside it.
    Source {
        name: String,
    },
    /// Not empty, not marked, and no sign of an older pufa.
    Foreign,
    /// Beside an older pufa's lock, but holding this.
    OldOutput(Option<String>),
    /// The spare beside the output is not pufa's.
    Spare {
        spare: String,
        entry: Option<String>,
    },
    /// The lock file's name is taken by a folder or a link.
    Lock(String),
    Unreadable(io::Error),
}

const INPUTS_HINT: (&str, &str) = (
    "give a new folder outside content/, static/, themes/ and statutes/, or leave out --output for the default",
    "请另选一个不在 content/、static/、themes/、statutes/ 里的新文件夹，或者去掉 --output 使用默认文件夹",
);

impl Refusal {
    fn new(out: &Path, link_to: Option<&Path>, reason: Reason) -> Self {
        let name = |p: &Path| match reason {
            Reason::NotAFolder => p.to_string_lossy().into_owned(),
            _ => folder(p),
        };
        Self {
            shown: name(out),
            link_to: link_to.map(name),
            reason,
            setting: None,
        }
    }

    /// The folder was named by a setting, not on the command line: `en`
    /// and `zh` say which (`deploy.www.path in site.yaml`), and the hints
    /// say to change it.
    pub fn named_by(mut self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        self.setting = Some(Box::new((en.into(), zh.into())));
        self
    }

    /// English message, Chinese message, English hint, Chinese hint.
    fn text(&self) -> [String; 4] {
        let mut text = self.text_for_command_line();
        // Hints that offer --output or the default output folder.
        let offers_output = matches!(
            self.reason,
            Reason::HoldsSite | Reason::Input { .. } | Reason::NotAFolder | Reason::Source { .. }
        );
        if let (Some((en, zh)), true) = (self.setting.as_deref(), offers_output) {
            text[2] = format!(
                "change {en} to a folder of its own outside the site folder, such as /var/www/pufa (pufa creates it)"
            );
            text[3] = format!(
                "请把 {zh} 改成站点文件夹以外的专用文件夹，例如 /var/www/pufa（pufa 会创建它）"
            );
        }
        text
    }

    fn text_for_command_line(&self) -> [String; 4] {
        let s = |t: &str| t.to_string();
        match &self.reason {
            Reason::HoldsSite => [
                s("it holds the site's own files (site.yaml, content/)"),
                s("站点自己的文件（site.yaml、content/）在里面"),
                s(
                    "pufa replaces everything in the folder it writes: give it a folder of its own, such as public/ in the site folder (the default)",
                ),
                s(
                    "pufa 会替换输出文件夹里的全部内容：请给它一个专用的文件夹，例如站点文件夹里的 public/（默认）",
                ),
            ],
            Reason::Input { inside: false, .. } => [
                s("it is one of the site's inputs"),
                s("它是站点的源文件夹之一"),
                s(INPUTS_HINT.0),
                s(INPUTS_HINT.1),
            ],
            Reason::Input { name, inside: true } => [
                format!("it is inside {name}/, one of the site's inputs"),
                format!("它在站点的源文件夹 {name}/ 里面"),
                s(INPUTS_HINT.0),
                s(INPUTS_HINT.1),
            ],
            Reason::NotAFolder => [
                s("it is a file, not a folder"),
                s("它是文件，不是文件夹"),
                s("give a new folder (pufa creates it), or leave out --output for the default"),
                s("请给一个新文件夹（pufa 会创建它），或者去掉 --output 使用默认文件夹"),
            ],
            Reason::Source { name } => [
                format!("the built site {name} is copied there, and the copy would take in itself"),
                format!("要复制过去的网站 {name} 和它重叠，复制时会把自己也复制进去"),
                s("build into public/ (the default) and deploy to a folder outside it"),
                s("请生成到 public/（默认），再发布到它以外的文件夹"),
            ],
            Reason::Foreign => [
                s("it holds files pufa did not write"),
                s("里面有不是 pufa 生成的文件"),
                s(
                    "pufa replaces everything in the folder it writes, so it writes only into a new or empty folder, or one it made (with a `.pufa-output` file in it)",
                ),
                s(
                    "pufa 会替换输出文件夹里的全部内容，所以只写入新的或空的文件夹，或者它自己生成的文件夹（里面有「.pufa-output」文件）",
                ),
            ],
            Reason::OldOutput(Some(entry)) => [
                format!(
                    "it looks like an earlier pufa's output, but holds `{entry}`, which pufa never writes"
                ),
                format!("它像是旧版 pufa 生成的文件夹，但里面有 pufa 从不生成的「{entry}」"),
                format!("move `{entry}` and anything else of yours out of it, then build again"),
                format!("把「{entry}」和你自己的其他文件移出去，再重新构建"),
            ],
            Reason::OldOutput(None) => [
                s("it holds files pufa did not write"),
                s("里面有不是 pufa 生成的文件"),
                s(
                    "if an earlier pufa made this folder, move anything of yours out of it and delete it, then build again; else give a new folder",
                ),
                s(
                    "如果这个文件夹是旧版 pufa 生成的，请把你自己的文件移出去并删除它，再重新构建；否则请换一个新文件夹",
                ),
            ],
            Reason::Spare { spare, entry } => [
                format!(
                    "`{spare}` beside it, where pufa keeps the previous build, holds {}",
                    entry
                        .as_ref()
                        .map_or("files pufa did not write".into(), |e| format!(
                            "`{e}`, which pufa never writes"
                        ))
                ),
                format!(
                    "它旁边的「{spare}」（pufa 存放上一次构建的地方）里有{}",
                    entry
                        .as_ref()
                        .map_or("不是 pufa 生成的文件".into(), |e| format!(
                            " pufa 从不生成的「{e}」"
                        ))
                ),
                format!(
                    "pufa empties that folder when it builds: move `{spare}` somewhere safe, then build again"
                ),
                format!("pufa 构建时会清空这个文件夹：请先把「{spare}」移到安全的地方，再重新构建"),
            ],
            Reason::Lock(lock) => [
                format!("`{lock}` beside it is not a plain file"),
                format!("它旁边的「{lock}」不是普通文件"),
                format!(
                    "pufa keeps an empty lock file there: move `{lock}` away, then build again"
                ),
                format!("pufa 在那里放一个空的锁文件：请把「{lock}」移走，再重新构建"),
            ],
            Reason::Unreadable(e) => [
                format!("cannot read it: {e}"),
                format!("无法读取：{e}"),
                s("check that the folder and the folders above it exist and can be read"),
                s("请检查这个文件夹及其上级文件夹是否存在、是否可以读取"),
            ],
        }
    }
}

/// `path/`, the way folders are named in messages.
fn folder(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text.ends_with('/') {
        text.into_owned()
    } else {
        format!("{text}/")
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every part may quote a path from the command line or a file name.
        let e = escape_controls;
        let mut place = match &self.link_to {
            Some(to) => format!("{} (a link to {to})", self.shown),
            None => self.shown.clone(),
        };
        let mut place_zh = match &self.link_to {
            Some(to) => format!("{}（链接到 {to}）", self.shown),
            None => self.shown.clone(),
        };
        if let Some((en, zh)) = self.setting.as_deref() {
            place = format!("{place} ({en})");
            place_zh = format!("{place_zh}（{zh}）");
        }
        let [en, zh, hint, hint_zh] = self.text();
        write!(f, "error: refusing to write into {}: {}", e(&place), e(&en))?;
        write!(f, "\n  错误：拒绝写入 {}：{}", e(&place_zh), e(&zh))?;
        write!(f, "\n  hint: {}", e(&hint))?;
        write!(f, "\n  提示：{}", e(&hint_zh))
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_and_keeps_missing_parts() {
        let tmp = tempfile::tempdir().unwrap();
        let base = resolve(tmp.path()).unwrap().0;
        std::fs::create_dir(base.join("real")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("real", base.join("link")).unwrap();
        #[cfg(unix)]
        assert_eq!(
            resolve(&base.join("link/missing/../x")).unwrap(),
            (base.join("real/x"), true)
        );
        assert_eq!(
            resolve(&base.join("gone/../real/./y")).unwrap(),
            (base.join("real/y"), false)
        );
        assert_eq!(
            resolve(Path::new("/")).unwrap(),
            (PathBuf::from("/"), false)
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_an_error_not_a_hang() {
        let tmp = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("b", tmp.path().join("a")).unwrap();
        std::os::unix::fs::symlink("a", tmp.path().join("b")).unwrap();
        assert!(resolve(&tmp.path().join("a")).is_err());
    }

    #[test]
    fn siblings_are_hidden_names_beside_the_folder() {
        assert_eq!(
            sibling(Path::new("/srv/www/site"), ".spare"),
            PathBuf::from("/srv/www/.site.spare")
        );
    }
}
