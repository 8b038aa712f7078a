//! Which file changes matter to the preview, and when a burst of them is over.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// True when a change to `path` can change the site: content, static files,
/// the theme, or site.yaml — but not hidden files, editors' temporary and
/// backup files ([`crate::content::is_ignored`]), or the output folder.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    // As the content walk skips them: a file in an ignored folder too.
    if rel
        .components()
        .any(|c| crate::content::is_ignored(&c.as_os_str().to_string_lossy()))
    {
        return false;
    }
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy());
    match first.as_deref() {
        Some("content" | "static" | "themes" | "statutes") => true,
        Some("site.yaml") => rel.components().count() == 1,
        _ => false,
    }
}

/// Writes, creations, renames and deletions; not reads (the build itself
/// opens every file, which must not trigger another build) nor metadata.
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::ModifyKind;
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Waits for the first relevant change, then for quiet: editors save in
/// bursts (write temp file, rename, touch), and one rebuild should follow.
/// Returns the relevant paths that changed, or `None` when the watcher is gone.
pub fn wait_for_changes(
    root: &Path,
    events: &Receiver<notify::Result<notify::Event>>,
) -> Option<Vec<PathBuf>> {
    const LONGEST: Duration = Duration::from_millis(400);
    let mut changed = Vec::new();
    let note = |ev: notify::Result<notify::Event>, changed: &mut Vec<PathBuf>| match ev {
        Ok(e) if e.need_rescan() => changed.push(root.join("content")),
        Ok(e) if changes_content(&e.kind) => {
            changed.extend(e.paths.into_iter().filter(|p| is_relevant(root, p)));
        }
        Ok(_) => {}
        // Events may have been lost: have everything looked at again (the
        // content folder itself is never a known file).
        Err(_) => changed.push(root.join("content")),
    };
    // Each path is looked at once when its event comes; only those found
    // empty are looked at again.
    let mut emptied = Vec::new();
    let note_emptied = |new: &[PathBuf], emptied: &mut Vec<PathBuf>| {
        for p in new {
            if is_empty_file(p) && !emptied.contains(p) {
                emptied.push(p.clone());
            }
        }
    };
    while changed.is_empty() {
        note(events.recv().ok()?, &mut changed);
    }
    note_emptied(&changed, &mut emptied);
    let started = Instant::now();
    loop {
        let left = LONGEST.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        match events.recv_timeout(quiet_after(&mut emptied).min(left)) {
            Ok(ev) => {
                let before = changed.len();
                note(ev, &mut changed);
                note_emptied(&changed[before..], &mut emptied);
            }
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    changed.sort();
    changed.dedup();
    Some(changed)
}

/// How long to wait for more changes, given the changed files that were
/// found empty (those still empty are kept). A save is a burst of
/// events within a millisecond or two (write, or write a temporary file and
/// rename it); a longer wait is only latency, and a burst cut in two costs
/// one more (incremental) rebuild.
///
/// But saving in place is two changes, the file emptied and then written,
/// and a busy machine pauses the saving program between them often enough
/// (2 to 4 saves in 10 in `bench/serve_latency.py`). Building the empty file
/// shows a broken page and builds again, so a file found empty waits longer.
fn quiet_after(emptied: &mut Vec<PathBuf>) -> Duration {
    emptied.retain(|p| is_empty_file(p));
    if emptied.is_empty() {
        Duration::from_millis(5)
    } else {
        Duration::from_millis(50)
    }
}

fn is_empty_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emptied_file_waits_for_its_text() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "").unwrap();
        let mut emptied = vec![file.clone()];
        assert_eq!(quiet_after(&mut emptied), Duration::from_millis(50));
        assert_eq!(emptied, std::slice::from_ref(&file));
        std::fs::write(&file, "# 标题").unwrap();
        let short = quiet_after(&mut emptied);
        assert!(short < Duration::from_millis(50), "{short:?}");
        assert!(emptied.is_empty(), "written: no longer waited for");
        // Deleted files and folders are not files being saved.
        assert!(!is_empty_file(&dir.path().join("deleted.md")));
        assert!(!is_empty_file(dir.path()));
        let other = dir.path().join("b.md");
        std::fs::write(&other, "").unwrap();
        assert!(is_empty_file(&other));
    }

    #[test]
    fn classifies_paths() {
        let root = Path::new("/site");
        for p in [
            "/site/content/qa/a.md",
            "/site/content/离婚.md",
            "/site/static/img/x.png",
            "/site/themes/default/templates/base.html",
            "/site/site.yaml",
        ] {
            assert!(is_relevant(root, Path::new(p)), "{p}");
        }
        for p in [
            "/site/public/index.html",
            "/site/content/qa/.a.md.swp",
            "/site/content/qa/a.md~",
            "/site/content/qa/4913",
            "/site/content/qa/#a.md#",
            "/site/content/qa/photo.png.crdownload",
            "/site/target/debug/pufa",
            "/site/content/.git/index",
            "/elsewhere/content/a.md",
        ] {
            assert!(!is_relevant(root, Path::new(p)), "{p}");
        }
    }
}
