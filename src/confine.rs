//! Paths from what editors write, kept inside the folder they are meant for.
//!
//! Editors write paths in front matter (`cover:`, `cover_square:`,
//! `aliases:`) and on the command line (`pufa new SECTION/NAME`); pufa joins
//! them to a folder (content/, static/, the output folder) to read or write
//! a file. [`resolve`] is the one place such a path is read: it decodes
//! percent-encoding first, refuses spellings that only exist to hide a
//! step out of the folder (encoded dots and slashes, backslashes, double
//! encoding, control characters, drive letters, `//`), then resolves `.`
//! and `..` and refuses a path that climbs above its base. What comes out
//! is relative and made of plain names only, so joining it to the base
//! cannot leave the base.
//!
//! [`check_output`] is the same rule for paths pufa has already made
//! (output paths relative to the output folder): a path that fails it is a
//! bug or a file name no server can serve, and must never be written.
//!
//! The order matters: the square share image of a cover was named from
//! the cover's URL *after* the "inside the site" check and then
//! percent-decoded, so `/%2e%2e/%2e%2e/x.png` passed as a folder literally
//! named `%2e%2e` and was written two folders above the output.
//!
//! Pure functions on text: no file system access, no imports from later
//! stages.

use std::borrow::Cow;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// What a leading `/` means in a written path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leading {
    /// The base itself: `/images/a.png` under static/, `/old/a/` on the
    /// site (site-absolute URLs).
    Base,
    /// An absolute path on this computer: refused (`pufa new /etc/x`).
    Refused,
}

/// A written path, resolved inside its base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Relative to the base, plain names only (no root, `.` or `..`);
    /// empty for the base itself.
    pub path: PathBuf,
    /// Written with a trailing `/`: a folder.
    pub folder: bool,
    /// Written with `.` or `..` parts (resolved here). Aliases refuse them:
    /// an old address is written as the browser showed it.
    pub dotted: bool,
}

impl Resolved {
    /// The path with `/` between its parts, as in URLs and output paths.
    pub fn to_slash(&self) -> String {
        let parts: Vec<Cow<'_, str>> = self
            .path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        parts.join("/")
    }
}

/// Why a path was refused. Each says what in the path is wrong; the caller
/// says which value it was and what to write instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    /// An invisible control character (NUL, ESC, …), written or encoded.
    Control(char),
    /// `\`: a separator on Windows and in many servers.
    Backslash,
    /// `%2e`: a dot spelled so that a check for `..` does not see it.
    EncodedDot,
    /// `%2f` or `%5c`: a separator hidden inside a name.
    EncodedSeparator,
    /// Still percent-encoded after decoding (`%252e`): decoded twice
    /// somewhere, it would be something else.
    DoubleEncoded,
    /// Percent-encoding that does not decode to UTF-8 (`%c0%ae`, an
    /// overlong dot, among others).
    NotUtf8,
    /// `:` names a drive (`C:`) or a scheme (`file:`).
    Colon,
    /// Absolute on this computer (`/etc/x` where `/` is not the base), or
    /// `//host/x`, a network path or a URL without its scheme.
    Absolute,
    /// `a//b`: an empty part.
    EmptySegment,
    /// `.` or `..` in a path pufa made (only [`check_output`]).
    DotSegment,
    /// `..` above the base.
    Escapes,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Empty => write!(f, "it is empty"),
            Refusal::Control(c) => write!(
                f,
                "it contains the invisible control character U+{:04X}",
                *c as u32
            ),
            Refusal::Backslash => write!(f, "it uses `\\`, and paths use `/`"),
            Refusal::EncodedDot => write!(f, "it has an encoded dot (`%2e`)"),
            Refusal::EncodedSeparator => {
                write!(f, "it has an encoded `/` or `\\` (`%2f`, `%5c`)")
            }
            Refusal::DoubleEncoded => write!(f, "it is percent-encoded twice (`%25…`)"),
            Refusal::NotUtf8 => write!(f, "its percent-encoding does not decode to UTF-8 text"),
            Refusal::Colon => write!(
                f,
                "it has a `:`, which names a drive or a URL scheme and cannot be in a file name on Windows"
            ),
            Refusal::Absolute => write!(f, "it is an absolute path"),
            Refusal::EmptySegment => write!(f, "it has an empty part (`//`)"),
            Refusal::DotSegment => write!(f, "it has a `.` or `..` part"),
            Refusal::Escapes => write!(f, "its `..` lead out of the folder"),
        }
    }
}

impl Refusal {
    /// The reason in Chinese, for the editors' line of a message.
    pub fn zh(&self) -> String {
        match self {
            Refusal::Empty => "是空的".into(),
            Refusal::Control(c) => format!("含有看不见的控制字符 U+{:04X}", *c as u32),
            Refusal::Backslash => "用了反斜杠“\\”，路径要用“/”".into(),
            Refusal::EncodedDot => "含有编码过的点（「%2e」）".into(),
            Refusal::EncodedSeparator => "含有编码过的斜杠（「%2f」、「%5c」）".into(),
            Refusal::DoubleEncoded => "经过了两次百分号编码（「%25…」）".into(),
            Refusal::NotUtf8 => "百分号编码解出来不是 UTF-8 文字".into(),
            Refusal::Colon => "含有冒号“:”，它表示盘符或网址协议，Windows 的文件名里不能有".into(),
            Refusal::Absolute => "是绝对路径".into(),
            Refusal::EmptySegment => "含有空的路径段（「//」）".into(),
            Refusal::DotSegment => "含有「.」或「..」路径段".into(),
            Refusal::Escapes => "用「..」跳出了所在的文件夹".into(),
        }
    }
}

/// Reads `written` from the folder `from` (relative to the base, plain
/// names only; empty for the base) and resolves it inside the base.
///
/// `a.png` and `../x/a.png` are relative to `from`; `/a.png` starts at the
/// base, or is refused, as `leading` says.
pub fn resolve(written: &str, from: &Path, leading: Leading) -> Result<Resolved, Refusal> {
    let text = decode(written)?;
    if text.is_empty() {
        return Err(Refusal::Empty);
    }
    let (rooted, rest) = match text.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, text.as_ref()),
    };
    if rooted && (leading == Leading::Refused || rest.starts_with('/')) {
        return Err(Refusal::Absolute);
    }
    let mut path: Vec<&std::ffi::OsStr> = Vec::new();
    if !rooted {
        for c in from.components() {
            match c {
                Component::Normal(name) => path.push(name),
                // `from` is pufa's own, plain by contract; anything else
                // could point anywhere.
                _ => return Err(Refusal::Escapes),
            }
        }
    }
    let (rest, folder) = match rest.strip_suffix('/') {
        Some(r) => (r, true),
        None => (rest, rest.is_empty()),
    };
    let mut dotted = false;
    if !rest.is_empty() {
        for (i, part) in rest.split('/').enumerate() {
            match part {
                "" => return Err(Refusal::EmptySegment),
                "." => dotted = true,
                ".." => {
                    dotted = true;
                    path.pop().ok_or(Refusal::Escapes)?;
                }
                _ if part.contains(':') => {
                    // `C:/x` and `file:///x` are places on this computer.
                    return Err(if i == 0 && !rooted && is_drive_or_scheme(part) {
                        Refusal::Absolute
                    } else {
                        Refusal::Colon
                    });
                }
                _ => path.push(part.as_ref()),
            }
        }
    }
    Ok(Resolved {
        path: path.iter().collect(),
        folder,
        dotted,
    })
}

/// `C:`, `c:x`, `file:`, `https:`: what comes before the `:` is a drive
/// letter or a URL scheme.
fn is_drive_or_scheme(part: &str) -> bool {
    let (head, _) = part.split_once(':').unwrap_or_default();
    head.starts_with(|c: char| c.is_ascii_alphabetic())
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Percent-decodes `written` after refusing the encodings that hide a step
/// out of a folder, and refuses what the decoded text must not hold.
fn decode(written: &str) -> Result<Cow<'_, str>, Refusal> {
    for byte in encoded_bytes(written) {
        match byte {
            b'.' => return Err(Refusal::EncodedDot),
            b'/' | b'\\' => return Err(Refusal::EncodedSeparator),
            _ => {}
        }
    }
    let text = percent_encoding::percent_decode_str(written)
        .decode_utf8()
        .map_err(|_| Refusal::NotUtf8)?;
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(Refusal::Control(c));
    }
    if text.contains('\\') {
        return Err(Refusal::Backslash);
    }
    // One decoding is what a browser or a server does; what is still
    // encoded after it (`%252e` → `%2e`) is meant for a second one.
    if encoded_bytes(&text).next().is_some() {
        return Err(Refusal::DoubleEncoded);
    }
    Ok(text)
}

/// The bytes of the `%XX` escapes in `text`.
fn encoded_bytes(text: &str) -> impl Iterator<Item = u8> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'%', bytes).filter_map(move |i| {
        let hex = bytes.get(i + 1..i + 3)?;
        // Two hex digits, as percent-decoding reads them (`from_str_radix`
        // alone would take `%+0` for an escape: it accepts a sign).
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    })
}

/// Checks a path pufa made, relative to the output folder, before anything
/// is written there: not empty, not absolute, no empty, `.` or `..` parts,
/// no `\` and no control characters. Unlike [`resolve`], it does not decode:
/// an output path names a file literally.
pub fn check_output(path: &str) -> Result<(), Refusal> {
    if path.is_empty() {
        return Err(Refusal::Empty);
    }
    if path.starts_with('/') || has_drive(path) {
        return Err(Refusal::Absolute);
    }
    if let Some(c) = path.chars().find(|c| c.is_control()) {
        return Err(Refusal::Control(c));
    }
    if path.contains('\\') {
        return Err(Refusal::Backslash);
    }
    for part in path.split('/') {
        match part {
            "" => return Err(Refusal::EmptySegment),
            "." | ".." => return Err(Refusal::DotSegment),
            _ => {}
        }
    }
    Ok(())
}

/// `C:…`: a drive on Windows, whatever follows.
fn has_drive(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(written: &str) -> Result<String, Refusal> {
        resolve(written, Path::new(""), Leading::Base).map(|r| r.to_slash())
    }

    #[test]
    fn plain_paths_resolve_inside_the_base() {
        assert_eq!(site("/images/a.png").unwrap(), "images/a.png");
        assert_eq!(site("images/a.png").unwrap(), "images/a.png");
        assert_eq!(site("/images/../a.png").unwrap(), "a.png");
        assert_eq!(site("./a.png").unwrap(), "a.png");
        assert_eq!(site("/%E5%B0%81%E9%9D%A2.png").unwrap(), "封面.png");
        assert_eq!(site("100%.png").unwrap(), "100%.png");
        assert_eq!(site("100%25.png").unwrap(), "100%.png");
        // Not an escape: a sign is not a hex digit (found by proptest).
        assert_eq!(site("%+0").unwrap(), "%+0");
        assert_eq!(site("/").unwrap(), "");
        let from = Path::new("news/a");
        let r = resolve("../shared/x.png", from, Leading::Base).unwrap();
        assert_eq!(
            (r.to_slash().as_str(), r.dotted),
            ("news/shared/x.png", true)
        );
        let r = resolve("/x/", from, Leading::Base).unwrap();
        assert_eq!((r.to_slash().as_str(), r.folder), ("x", true));
    }

    #[test]
    fn hidden_ways_out_are_refused() {
        for (written, why) in [
            ("", Refusal::Empty),
            ("../a.png", Refusal::Escapes),
            ("/a/../../b", Refusal::Escapes),
            ("/%2e%2e/%2e%2e/victim/notes.txt/p.png", Refusal::EncodedDot),
            ("%2E%2E/x", Refusal::EncodedDot),
            ("a%2fb", Refusal::EncodedSeparator),
            ("a%5C..%5Cb", Refusal::EncodedSeparator),
            ("%252e%252e/x", Refusal::DoubleEncoded),
            ("%25%32%65", Refusal::DoubleEncoded),
            ("%c0%ae%c0%ae/x", Refusal::NotUtf8),
            ("..\\..\\x", Refusal::Backslash),
            ("a\0b", Refusal::Control('\0')),
            ("a%00b", Refusal::Control('\0')),
            ("a%1b[2J", Refusal::Control('\u{1b}')),
            ("//evil.example/x", Refusal::Absolute),
            ("C:/Windows/x", Refusal::Absolute),
            ("file:///etc/passwd", Refusal::Absolute),
            ("/C:/x", Refusal::Colon),
            ("封面:1.png", Refusal::Colon),
            ("a/b:c.png", Refusal::Colon),
            ("a//b", Refusal::EmptySegment),
        ] {
            assert_eq!(site(written), Err(why), "{written:?}");
        }
        assert_eq!(
            resolve("/etc/x", Path::new(""), Leading::Refused),
            Err(Refusal::Absolute)
        );
        // `from` is never climbed out of either.
        assert_eq!(
            resolve("../../../x", Path::new("news/a"), Leading::Base),
            Err(Refusal::Escapes)
        );
        assert_eq!(
            resolve("x", Path::new("../a"), Leading::Base),
            Err(Refusal::Escapes)
        );
    }

    #[test]
    fn output_paths_are_plain_and_relative() {
        for ok in [
            "index.html",
            "news/a/cover.square.png",
            "%2e%2e/x.png",
            ".well-known/x",
        ] {
            assert_eq!(check_output(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("", Refusal::Empty),
            ("/etc/x", Refusal::Absolute),
            ("C:x", Refusal::Absolute),
            ("../x", Refusal::DotSegment),
            ("a/./b", Refusal::DotSegment),
            ("a//b", Refusal::EmptySegment),
            ("a/", Refusal::EmptySegment),
            ("a\\..\\b", Refusal::Backslash),
            ("a\nb", Refusal::Control('\n')),
        ] {
            assert_eq!(check_output(bad), Err(why), "{bad:?}");
        }
    }
}
