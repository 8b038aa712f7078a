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
    for c in plain.chars() {
        if is_cjk(c) {
            cjk_chars += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
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

    #[test]
    fn reading_time_scales_with_characters() {
        assert_eq!(stats(&"字".repeat(400)).reading_minutes, 1);
        assert_eq!(stats(&"字".repeat(1600)).reading_minutes, 4);
        assert_eq!(stats(&"字".repeat(1601)).reading_minutes, 5);
    }
}
