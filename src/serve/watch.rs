//! Which file changes matter to the preview, and when a burst of them is over.

use std::path::Path;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// True when a change to `path` can change the site: content, static files,
/// the theme, or site.yaml — but not editors' temporary and backup files,
/// hidden files, or the output folder.
pub fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let name = rel.file_name().unwrap_or_default().to_string_lossy();
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let temporary = hidden
        || name.starts_with('~')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".crdownload")
        || name == "4913"; // vim's probe file
    if temporary {
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
/// Returns false when the watcher is gone.
pub fn wait_for_changes(root: &Path, events: &Receiver<notify::Result<notify::Event>>) -> bool {
    const QUIET: Duration = Duration::from_millis(60);
    const LONGEST: Duration = Duration::from_millis(400);
    let relevant = |ev: &notify::Result<notify::Event>| match ev {
        Ok(e) => changes_content(&e.kind) && e.paths.iter().any(|p| is_relevant(root, p)),
        Err(_) => false,
    };
    loop {
        match events.recv() {
            Ok(ev) if relevant(&ev) => break,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
    let started = Instant::now();
    loop {
        let left = LONGEST.saturating_sub(started.elapsed());
        if left.is_zero() {
            return true;
        }
        match events.recv_timeout(QUIET.min(left)) {
            Ok(_) => continue,
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "/site/target/debug/pufa",
            "/site/content/.git/index",
            "/elsewhere/content/a.md",
        ] {
            assert!(!is_relevant(root, Path::new(p)), "{p}");
        }
    }
}
