//! Counting Chinese text: characters, words and reading time.
//!
//! Chinese is read by characters (roughly 400–450 a minute for ordinary
//! readers), Latin text by words (about 200 a minute for Chinese readers of
//! English). Mixed text counts both: `民法典第1079条` is 6 characters and one word.

use super::cjk::is_cjk;

/// Characters a Chinese reader gets through in a minute (low end, for a phone).
const CJK_PER_MINUTE: usize = 400;
const WORDS_PER_MINUTE: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// CJK characters (ideographs and CJK punctuation).
    pub cjk_chars: usize,
    /// Runs of Latin letters or digits.
    pub words: usize,
    /// The "字数" shown to readers: CJK characters plus words.
    pub count: usize,
    /// Whole minutes, at least 1.
    pub reading_minutes: usize,
}

pub fn stats(plain: &str) -> Stats {
    let mut cjk_chars: usize = 0;
    let mut words: usize = 0;
    let mut in_word = false;
    let bytes = plain.as_bytes();
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        // Most characters of a Chinese text are U+4000–U+9FFF (all CJK),
        // three bytes led by E4–E9, and most others are ASCII: both are
        // told by their first byte, without decoding the character.
        let (cjk, alphanumeric, len) = match lead {
            0xE4..=0xE9 => (true, false, 3),
            ..0x80 => (false, lead.is_ascii_alphanumeric(), 1),
            _ => {
                let c = plain[at..].chars().next().unwrap_or_default();
                // Chinese punctuation (，。“”) is most of these: not CJK
                // ideographs, and not letters, which only a table lookup tells.
                let cjk = is_cjk(c);
                (cjk, !cjk && c.is_alphanumeric(), c.len_utf8())
            }
        };
        at += len;
        if cjk {
            cjk_chars += 1;
            in_word = false;
        } else if alphanumeric {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    // Seconds, rounded up to whole minutes.
    let seconds =
        (cjk_chars * 60).div_ceil(CJK_PER_MINUTE) + (words * 60).div_ceil(WORDS_PER_MINUTE);
    Stats {
        cjk_chars,
        words,
        count: cjk_chars + words,
        reading_minutes: seconds.div_ceil(60).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_text() {
        let s = stats("民法典第1079条规定，see Article 1079.");
        assert_eq!(s.cjk_chars, 8);
        assert_eq!(s.words, 4);
        assert_eq!(s.count, 12);
        assert_eq!(s.reading_minutes, 1);
    }

    /// The character-by-character count the byte scan must agree with.
    fn naive(plain: &str) -> (usize, usize) {
        let (mut cjk, mut words, mut in_word) = (0, 0, false);
        for c in plain.chars() {
            if is_cjk(c) {
                cjk += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                words += usize::from(!in_word);
                in_word = true;
            } else {
                in_word = false;
            }
        }
        (cjk, words)
    }

    #[test]
    fn the_byte_scan_counts_like_the_character_walk() {
        for text in [
            "",
            "民法典第1079条规定，see Article 1079.",
            "「妇女权益保障法」第六十六条：ＡＢＣ１２３ café naïve Ελληνικά 한국어 ㄅㄆ 〇 㐀 鿿 ꀀ 🙂",
            // Neighbours of the first-byte shortcut: E3 and EA lead both CJK
            // and other characters (U+303F, U+3040, U+3130, U+A48D are not CJK).
            "\u{3fff}\u{4000}\u{9fff}\u{a000}x\u{e000}y\u{303f}\u{3040}a\u{3130}b\u{a48d}c",
        ] {
            let s = stats(text);
            assert_eq!((s.cjk_chars, s.words), naive(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_counts_like_the_character_walk(text in "(\\PC|[一-鿿，。：“”]|[a-z0-9 ]){0,64}") {
            let s = stats(&text);
            proptest::prop_assert_eq!((s.cjk_chars, s.words), naive(&text));
        }
    }

    #[test]
    fn reading_time_scales_with_characters() {
        assert_eq!(stats(&"字".repeat(400)).reading_minutes, 1);
        assert_eq!(stats(&"字".repeat(1600)).reading_minutes, 4);
        assert_eq!(stats(&"字".repeat(1601)).reading_minutes, 5);
    }
}
