//! The digest (摘要) derived from an article's text when the editor gave none.

/// About this many characters: WeChat's digest limit and what fits a share card.
pub const MAX_CHARS: usize = 120;

const SENTENCE_ENDS: &[char] = &['。', '！', '？', '!', '?', '…'];
const CLAUSE_ENDS: &[char] = &['，', '；', '、', '：', ',', ';'];

/// Whole sentences from the start of `plain` up to [`MAX_CHARS`] characters.
/// A first sentence that is too long is cut at a clause boundary and ends with
/// "……"; text without any boundary is cut at the limit.
pub fn derive(plain: &str) -> String {
    let text: String = plain
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("");
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= MAX_CHARS {
        return text;
    }
    let window = &chars[..MAX_CHARS];
    if let Some(end) = last_boundary(window, SENTENCE_ENDS) {
        // Keep closing quotes that belong to the sentence: 。” or ！」
        let mut end = end + 1;
        while end < MAX_CHARS && matches!(chars[end], '”' | '’' | '」' | '』' | '）') {
            end += 1;
        }
        return chars[..end].iter().collect();
    }
    let limit = MAX_CHARS - 2;
    let cut = last_boundary(&chars[..limit], CLAUSE_ENDS).unwrap_or(limit);
    let mut s: String = chars[..cut].iter().collect();
    s.push_str("……");
    s
}

fn last_boundary(chars: &[char], ends: &[char]) -> Option<usize> {
    chars.iter().rposition(|c| ends.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(derive("家暴不是家务事。\n"), "家暴不是家务事。");
    }

    #[test]
    fn cuts_at_the_last_sentence_that_fits() {
        let first = "第一句话讲清楚人身安全保护令是什么。";
        let long = format!("{first}{}", "后面还有很长很长的内容".repeat(20));
        assert_eq!(derive(&long), first);
    }

    #[test]
    fn too_long_sentence_is_cut_at_a_clause() {
        let s = format!("{}，{}", "甲".repeat(60), "乙".repeat(100));
        let d = derive(&s);
        assert_eq!(d, format!("{}……", "甲".repeat(60)));
        assert!(d.chars().count() <= MAX_CHARS);
    }

    #[test]
    fn joins_paragraphs_and_keeps_closing_quotes() {
        let s = format!("她说：“我不怕了。”{}", "然后".repeat(80));
        assert_eq!(derive(&s), "她说：“我不怕了。”");
    }
}
