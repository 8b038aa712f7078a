//! Chinese numerals as law texts write article numbers: 第一千零四十二条.
//!
//! The grammar is the formal one (0..=9999): digit-unit pairs from 千 down to
//! the ones, a single 零 wherever units are skipped in the middle
//! (一千零四十二, 一百零一, 一千零一十), no 零 at the end, and 十 without a
//! digit at the start (十二) or right after 零 (一千零十). 两 stands for 2
//! before 百 and 千, or alone. Colloquial shortenings (一千二 for 1200,
//! 一百一 for 110) are ambiguous and rejected.

/// Chinese numerals 0..=9999. `None` for anything else, including the
/// empty string, Arabic digits and 万.
pub fn parse_chinese_number(s: &str) -> Option<u32> {
    if s == "零" {
        return Some(0);
    }
    if s == "两" {
        return Some(2);
    }
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return None;
    }
    let mut total = 0u32;
    // The unit of the last pair; 10_000 stands for "nothing yet".
    let mut last_unit = 10_000u32;
    let mut zero = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '零' {
            if zero || last_unit == 10_000 {
                return None;
            }
            zero = true;
            i += 1;
            continue;
        }
        let (digit, unit) = if let Some(d) = digit_value(c) {
            i += 1;
            match chars.get(i) {
                None => (d, 1),
                Some(&u) => {
                    let unit = unit_value(u)?;
                    i += 1;
                    (d, unit)
                }
            }
        } else if c == '十' && (last_unit == 10_000 || zero) {
            i += 1;
            (1, 10)
        } else {
            return None;
        };
        if c == '两' && unit < 100 {
            return None;
        }
        if unit >= last_unit {
            return None;
        }
        if last_unit != 10_000 {
            // Adjacent units need no 零; skipped ones need exactly one.
            let adjacent = last_unit == unit * 10;
            if adjacent == zero {
                return None;
            }
        }
        total += digit * unit;
        last_unit = unit;
        zero = false;
    }
    if zero {
        return None;
    }
    Some(total)
}

fn digit_value(c: char) -> Option<u32> {
    Some(match c {
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit_value(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Writes 0..=9999 the way law texts do: 十二, 一百一十, 一千零四十二.
/// Larger numbers are written with Arabic digits.
pub fn chinese_number(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n == 0 {
        return "零".to_string();
    }
    if n > 9999 {
        return n.to_string();
    }
    let parts = [
        (n / 1000, "千"),
        (n / 100 % 10, "百"),
        (n / 10 % 10, "十"),
        (n % 10, ""),
    ];
    let mut out = String::new();
    let mut pending_zero = false;
    for (k, (d, unit)) in parts.iter().enumerate() {
        if *d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push('零');
            pending_zero = false;
        }
        // 十二, not 一十二 — but 一百一十, 一千零一十.
        if !(k == 2 && *d == 1 && out.is_empty()) {
            out.push(DIGITS[*d as usize]);
        }
        out.push_str(unit);
    }
    out
}

/// 第一千零四十二条.
pub fn article_label(n: u32) -> String {
    format!("第{}条", chinese_number(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let cases = [
            ("零", 0),
            ("一", 1),
            ("九", 9),
            ("十", 10),
            ("十二", 12),
            ("一十二", 12),
            ("二十", 20),
            ("二十三", 23),
            ("九十九", 99),
            ("一百", 100),
            ("一百零一", 101),
            ("一百一十", 110),
            ("一百一十一", 111),
            ("两百", 200),
            ("二百零五", 205),
            ("一千", 1000),
            ("一千零一", 1001),
            ("一千零一十", 1010),
            ("一千零十", 1010),
            ("一千零四十二", 1042),
            ("一千零七十九", 1079),
            ("一千一百", 1100),
            ("一千一百零一", 1101),
            ("一千一百二十七", 1127),
            ("一千二百六十", 1260),
            ("两千", 2000),
            ("两千零二十六", 2026),
            ("九千九百九十九", 9999),
        ];
        for (s, n) in cases {
            assert_eq!(parse_chinese_number(s), Some(n), "{s}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_formal_numeral() {
        let bad = [
            "",
            "1042",
            "第一条",
            "零一",
            "一千零",
            "一千零零一",
            "一千一十",   // 零 missing
            "一百零一十", // 零 where nothing is skipped
            "一千零一百",
            "一千二", // colloquial 1200
            "一百一", // colloquial 110
            "十十",
            "一十十",
            "百",
            "千",
            "一百千",
            "一千一千",
            "两十",
            "十两",
            "二二",
            "一万",
            "〇",
            "一千零四十二条",
            "十二 ",
        ];
        for s in bad {
            assert_eq!(parse_chinese_number(s), None, "{s:?}");
        }
    }

    #[test]
    fn every_number_round_trips() {
        for n in 0..=9999 {
            let s = chinese_number(n);
            assert_eq!(parse_chinese_number(&s), Some(n), "{n} written as {s}");
        }
    }

    #[test]
    fn writing_matches_law_texts() {
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(110), "一百一十");
        assert_eq!(chinese_number(1010), "一千零一十");
        assert_eq!(chinese_number(1042), "一千零四十二");
        assert_eq!(chinese_number(1100), "一千一百");
        assert_eq!(chinese_number(1260), "一千二百六十");
        assert_eq!(article_label(2), "第二条");
        assert_eq!(article_label(1079), "第一千零七十九条");
    }
}
