//! ASCII URL segments from Chinese names.
//!
//! URLs stay ASCII so they survive being pasted into WeChat, SMS and old
//! browsers: Chinese characters become their toneless pinyin, one syllable per
//! word (`离婚冷静期` → `li-hun-leng-jing-qi`), ASCII letters and digits are
//! kept in lower case and everything else separates words.

use pinyin::ToPinyin;

/// `[a-z0-9-]` only, no leading, trailing or doubled dashes; may be empty
/// when the input has nothing to transliterate (the caller reports that).
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let push_word = |out: &mut String, word: &str, pending_dash: &mut bool| {
        if *pending_dash && !out.is_empty() {
            out.push('-');
        }
        *pending_dash = false;
        out.push_str(word);
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            let lower = c.to_ascii_lowercase();
            push_word(&mut out, lower.encode_utf8(&mut [0; 4]), &mut pending_dash);
        } else if let Some(p) = c.to_pinyin() {
            pending_dash = true;
            // ü (绿 lü, 女 nü) is written v, as in pinyin input methods.
            let plain = p.plain();
            if plain.contains('ü') {
                push_word(&mut out, &plain.replace('ü', "v"), &mut pending_dash);
            } else {
                push_word(&mut out, plain, &mut pending_dash);
            }
            pending_dash = true;
        } else {
            pending_dash = true;
        }
    }
    out
}

/// The longest URL segment (slug, section or term) pufa makes, in bytes
/// (slugs are ASCII). A file system name holds 255 bytes, and pinyin makes
/// a Chinese name about six times longer: 80 characters of a file name
/// become a 479-character slug that no output folder can hold.
pub const MAX_LEN: usize = 200;

/// The first words of a long slug, for a "set a shorter `slug:`" hint.
pub fn shorten(slug: &str) -> String {
    let mut out = String::new();
    for word in slug.split('-').take(6) {
        if !out.is_empty() && out.len() + 1 + word.len() > 40 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    // A single very long word: its beginning.
    out.chars().take(40).collect()
}

/// True when `s` is already a valid slug an editor may write in `slug:`.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_becomes_pinyin_words() {
        assert_eq!(slugify("离婚冷静期"), "li-hun-leng-jing-qi");
        assert_eq!(slugify("民法典"), "min-fa-dian");
        assert_eq!(slugify("妇女法律"), "fu-nv-fa-lv");
        assert_eq!(slugify("12338热线"), "12338-re-xian");
        assert_eq!(
            slugify("2026年三八维权周"),
            "2026-nian-san-ba-wei-quan-zhou"
        );
    }

    #[test]
    fn ascii_is_lowercased_and_separators_collapse() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("a00001"), "a00001");
        assert_eq!(slugify("--《》--"), "");
        assert_eq!(slugify("Q&A：抚养费"), "q-a-fu-yang-fei");
    }

    #[test]
    fn long_slugs_are_shortened_to_their_first_words() {
        let long = slugify(&"长".repeat(80));
        assert_eq!(long.len(), 479);
        assert_eq!(shorten(&long), "zhang-zhang-zhang-zhang-zhang-zhang");
        assert_eq!(shorten(&"a".repeat(300)), "a".repeat(40));
        assert_eq!(shorten("li-hun"), "li-hun");
    }

    #[test]
    fn validity() {
        assert!(is_valid("li-hun-2026"));
        assert!(!is_valid("Li-Hun"));
        assert!(!is_valid("../etc"));
        assert!(!is_valid("a--b"));
        assert!(!is_valid(""));
    }
}
