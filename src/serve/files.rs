//! Source files read when the browser asks for them (files under `static/`,
//! images beside articles), opened so that no symbolic link is followed.
//!
//! The build skips symbolic links, but the preview reads a file when it is
//! asked for, up to seconds after the build that listed it: a link swapped
//! in meanwhile (`static/a.txt` → `/etc/passwd`) would be followed by a
//! plain open. So the folder `content/` or `static/` is opened as usual (it
//! may itself be a link: the site's own choice, as in builds), and the path
//! below it is resolved with no symbolic link allowed anywhere along it, in
//! the same system call that opens the file.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path};

/// Reads the file `from` (below `root`), see [`open`].
pub fn read(root: &Path, from: &Path) -> io::Result<Vec<u8>> {
    let mut file = open(root, from)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens the regular file `from`, which must be below `root/content/` or
/// `root/static/`, without following a symbolic link below those folders.
pub fn open(root: &Path, from: &Path) -> io::Result<File> {
    let rel = from.strip_prefix(root).map_err(|_| outside(from))?;
    let mut parts = rel.components();
    let top = match parts.next() {
        Some(Component::Normal(top)) if top == "content" || top == "static" => top,
        _ => return Err(outside(from)),
    };
    let below = parts.as_path();
    if below.as_os_str().is_empty()
        || !below
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(outside(from));
    }
    let file = open_below(&root.join(top), below)
        .map_err(|e| if is_link_refused(&e) { link(rel) } else { e })?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a regular file", rel.display()),
        ));
    }
    Ok(file)
}

/// The errors of a link met on the way: `ELOOP` (a link where none may
/// be), `EXDEV` (a way out of the folder), `ENOTDIR` (a link opened as a
/// folder with `O_NOFOLLOW`).
#[cfg(target_os = "linux")]
fn is_link_refused(e: &io::Error) -> bool {
    use rustix::io::Errno;
    let refused = [Errno::LOOP, Errno::XDEV, Errno::NOTDIR];
    e.raw_os_error()
        .is_some_and(|n| refused.contains(&Errno::from_raw_os_error(n)))
}

/// Elsewhere [`open_below`] says so itself.
#[cfg(not(target_os = "linux"))]
fn is_link_refused(_: &io::Error) -> bool {
    false
}

fn link(rel: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{}: a symbolic link (or in a folder that is one); pufa publishes only real files inside the site",
            rel.display()
        ),
    )
}

fn outside(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{}: not a file of the site", path.display()),
    )
}

/// `openat2` with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS`: the kernel
/// refuses any link along `below` and any way out of `dir`. Non-blocking,
/// so a FIFO put in place of a file cannot hold the opening thread.
#[cfg(target_os = "linux")]
fn open_below(dir: &Path, below: &Path) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    let dir = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let flags = OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY | OFlags::NONBLOCK;
    let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
    match rustix::fs::openat2(&dir, below, flags, Mode::empty(), resolve) {
        Ok(fd) => Ok(File::from(fd)),
        // Kernels before 5.6, and sandboxes that filter the call.
        Err(rustix::io::Errno::NOSYS | rustix::io::Errno::PERM) => {
            open_step_by_step(&dir, below, flags)
        }
        Err(e) => Err(e.into()),
    }
}

/// The same without `openat2`: each folder opened from the one before with
/// `O_NOFOLLOW`, so a link anywhere fails with `ELOOP` or `ENOTDIR`.
#[cfg(target_os = "linux")]
fn open_step_by_step(
    dir: &std::os::fd::OwnedFd,
    below: &Path,
    flags: rustix::fs::OFlags,
) -> io::Result<File> {
    use rustix::fs::{Mode, OFlags};
    let mut names: Vec<&std::ffi::OsStr> = below.iter().collect();
    let file = names.pop().expect("checked: not empty");
    let mut current = rustix::fs::openat(
        dir,
        ".",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    for name in names {
        let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        current = rustix::fs::openat(&current, name, dir_flags, Mode::empty())?;
    }
    Ok(File::from(rustix::fs::openat(
        &current,
        file,
        flags | OFlags::NOFOLLOW,
        Mode::empty(),
    )?))
}

#[cfg(not(target_os = "linux"))]
fn open_below(dir: &Path, below: &Path) -> io::Result<File> {
    open_below_by_checking(dir, below)
}

/// Elsewhere: the real path must be the path asked for (no link resolved
/// on the way), checked before opening. A link swapped in between the
/// check and the open is not caught; Linux closes that gap. Compiled
/// everywhere, so that Linux builds and tests it too.
#[cfg_attr(target_os = "linux", allow(dead_code))]
fn open_below_by_checking(dir: &Path, below: &Path) -> io::Result<File> {
    let base = dir.canonicalize()?;
    let expected = base.join(below);
    if expected.canonicalize()? != expected {
        let top = Path::new(dir.file_name().unwrap_or_default());
        return Err(link(&top.join(below)));
    }
    File::open(&expected)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_below_the_site_folders_are_not_followed() {
        let outside_dir = tempfile::tempdir().unwrap();
        let secret = outside_dir.path().join("secret.txt");
        std::fs::write(&secret, "secret").unwrap();
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("static/docs")).unwrap();
        std::fs::write(root.join("static/docs/a.txt"), "a").unwrap();
        assert_eq!(read(root, &root.join("static/docs/a.txt")).unwrap(), b"a");

        std::os::unix::fs::symlink(&secret, root.join("static/link.txt")).unwrap();
        std::os::unix::fs::symlink(outside_dir.path(), root.join("static/out")).unwrap();
        // A link to a file inside the site is refused too: the build skips it.
        std::os::unix::fs::symlink(
            root.join("static/docs/a.txt"),
            root.join("static/inside.txt"),
        )
        .unwrap();
        for rel in [
            "static/link.txt",
            "static/out/secret.txt",
            "static/inside.txt",
            "static/docs",
            "static/../static/docs/a.txt",
            "themes/x.css",
            "site.yaml",
        ] {
            assert!(read(root, &root.join(rel)).is_err(), "{rel}");
        }
        let refused = read(root, &root.join("static/link.txt")).unwrap_err();
        assert!(
            refused.to_string()
                == "static/link.txt: a symbolic link (or in a folder that is one); pufa publishes only real files inside the site",
            "{refused}"
        );
        assert!(read(root, &secret).is_err());
        assert!(read(Path::new("/"), Path::new("/etc/passwd")).is_err());

        // The folder itself may be a link (a site kept on another drive).
        let shared = tempfile::tempdir().unwrap();
        std::fs::write(shared.path().join("b.txt"), "b").unwrap();
        std::fs::remove_dir_all(root.join("static")).unwrap();
        std::os::unix::fs::symlink(shared.path(), root.join("static")).unwrap();
        assert_eq!(read(root, &root.join("static/b.txt")).unwrap(), b"b");
    }

    #[test]
    fn the_open_by_checking_elsewhere_refuses_links_too() {
        let outside_dir = tempfile::tempdir().unwrap();
        std::fs::write(outside_dir.path().join("secret.txt"), "secret").unwrap();
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("static");
        std::fs::create_dir_all(dir.join("d")).unwrap();
        std::fs::write(dir.join("d/a.txt"), "a").unwrap();
        std::os::unix::fs::symlink(outside_dir.path(), dir.join("out")).unwrap();
        std::os::unix::fs::symlink(dir.join("d/a.txt"), dir.join("inside.txt")).unwrap();
        let mut text = String::new();
        open_below_by_checking(&dir, Path::new("d/a.txt"))
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "a");
        let refused = open_below_by_checking(&dir, Path::new("out/secret.txt")).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "static/out/secret.txt: a symbolic link (or in a folder that is one); pufa publishes only real files inside the site"
        );
        assert!(open_below_by_checking(&dir, Path::new("inside.txt")).is_err());
        assert!(open_below_by_checking(&dir, Path::new("d/missing.txt")).is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_step_by_step_open_refuses_links_too() {
        use rustix::fs::{Mode, OFlags};
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("d/e")).unwrap();
        std::fs::write(root.join("d/e/f.txt"), "f").unwrap();
        std::os::unix::fs::symlink("/etc", root.join("d/etc")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("d/passwd")).unwrap();
        let dir =
            rustix::fs::open(root, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).unwrap();
        let flags = OFlags::RDONLY | OFlags::CLOEXEC;
        assert!(open_step_by_step(&dir, Path::new("d/e/f.txt"), flags).is_ok());
        assert!(open_step_by_step(&dir, Path::new("d/etc/passwd"), flags).is_err());
        assert!(open_step_by_step(&dir, Path::new("d/passwd"), flags).is_err());
    }
}
