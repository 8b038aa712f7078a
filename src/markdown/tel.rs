//! Hotline numbers in article text, as `tel:` links.
//!
//! Pages say `format-detection=telephone=no` (WeChat and Safari would
//! otherwise turn dates and article numbers into phone links), so a number
//! a reader should be able to tap is linked here, at build time: the site's
//! [`phone_numbers`](crate::config::Config::phone_numbers), where they
//! stand alone. Not a part of a longer number (`123380`, `2012338`,
//! `110.5`, `0351-110`), not an article or amount (`第110条`, `110元`);
//! the renderer leaves out headings, links, inline code and code blocks.

use std::ops::Range;

/// Where the numbers stand alone in `text`, in order, none overlapping,
/// each with the number found.
pub fn find<'n>(text: &str, numbers: &'n [String]) -> Vec<(Range<usize>, &'n str)> {
    if numbers.is_empty() || !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut found: Vec<(Range<usize>, &str)> = numbers
        .iter()
        .filter(|n| !n.is_empty())
        .flat_map(|n| {
            text.match_indices(n.as_str())
                .map(move |(at, _)| (at..at + n.len(), n.as_str()))
        })
        .filter(|(r, _)| stands_alone(text, r))
        .collect();
    // The longer of two numbers found at one place first.
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut end = 0;
    found.retain(|(r, _)| {
        let keep = r.start >= end;
        if keep {
            end = r.end;
        }
        keep
    });
    found
}

/// Units and counters that make a number something other than a phone
/// number when they follow it (`110条`, `12338元`), and `第` before it.
const NOT_AFTER: &str = "条款项号元年月日岁天次个人万亿%％";

fn stands_alone(text: &str, r: &Range<usize>) -> bool {
    let mut before = text[..r.start].chars().rev();
    let mut after = text[r.end..].chars();
    let (b1, b2) = (before.next(), before.next());
    let (a1, a2) = (after.next(), after.next());
    let digit =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    let word =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') || digit(c);
    let joiner = |c: Option<char>| c.is_some_and(|c| "-.,/:+－".contains(c));
    !(word(b1)
        || word(a1)
        || (joiner(b1) && digit(b2))
        || (joiner(a1) && digit(a2))
        || b1 == Some('+')
        || b1 == Some('第')
        || a1.is_some_and(|c| NOT_AFTER.contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers() -> Vec<String> {
        ["12338", "110", "12355", "0357-5221234"]
            .map(String::from)
            .to_vec()
    }

    fn linked(text: &str) -> Vec<&str> {
        let n = numbers();
        find(text, &n).into_iter().map(|(r, _)| &text[r]).collect()
    }

    #[test]
    fn numbers_standing_alone_are_found() {
        assert_eq!(linked("请拨打12338或110。"), ["12338", "110"]);
        assert_eq!(linked("热线 12355，"), ["12355"]);
        assert_eq!(linked("（12338）"), ["12338"]);
        assert_eq!(linked("法律援助：0357-5221234"), ["0357-5221234"]);
        assert_eq!(linked("12338"), ["12338"]);
    }

    #[test]
    fn parts_of_other_numbers_and_amounts_are_not() {
        for text in [
            "123380",
            "2012338",
            "编号12338a",
            "第110条",
            "110元",
            "1.110",
            "110.5",
            "0351-110",
            "110-2",
            "+8612338",
            "１12338",
            "2016年",
            "没有号码",
        ] {
            assert_eq!(linked(text), Vec::<&str>::new(), "{text}");
        }
    }
}
