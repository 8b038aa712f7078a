//! Dates as editors write them, read in the site's time zone.
//!
//! Front matter and `--now` accept RFC 3339 (`2026-11-25T08:00:00+08:00`) or the
//! short forms `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` and `YYYY-MM-DD HH:MM:SS`, which mean
//! wall-clock time in the site's time zone. Everything downstream works on
//! [`ZonedDateTime`] values in that zone, so display, feeds and scheduling agree.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// Parses an editor's date. The error is a sentence fit for an editor.
pub fn parse(text: &str, tz: &TimeZone) -> Result<ZonedDateTime, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.to_zoned_datetime(tz.clone()));
    }
    let civil = parse_civil(text).ok_or_else(|| {
        format!("`{text}` is not a date; write it as 2026-11-25, 2026-11-25 08:00 or 2026-11-25T08:00:00+08:00")
    })?;
    // An ambiguous or skipped wall-clock time (daylight saving) resolves the way
    // most people expect: the earlier instant, or the time just after the gap.
    // What is left to fail is a time outside the range of instants (around
    // the years -9999 and 9999).
    civil
        .to_zoned_datetime(tz.clone())
        .map_err(|_| format!("`{text}` is too far in the past or the future; check the year"))
}

fn parse_civil(text: &str) -> Option<DateTime> {
    // jiff's `Date` parser also accepts a date followed by a time (and drops
    // the time), so only a bare `YYYY-MM-DD` is read as a date.
    if text.len() == "2026-11-25".len() {
        return text
            .parse::<Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()));
    }
    // `2026-11-25 08:00` and `2026-11-25T08:00`, with or without seconds.
    let normalized = text.replacen(' ', "T", 1);
    let with_seconds = if normalized.len() == "2026-11-25T08:00".len() {
        format!("{normalized}:00")
    } else {
        normalized
    };
    with_seconds.parse::<DateTime>().ok()
}

/// The standard form of a date written another common way (`2026/1/5`,
/// `2026年1月5日 8:00`, `2026.1.5`, `2026-1-5`), for a "write it as" hint.
pub fn suggest(text: &str) -> Option<String> {
    // A sign belongs to the year (`-009999-01-01`, ISO 8601's expanded
    // years): reading only the digits would suggest a different date.
    if text.trim_start().starts_with(['-', '+', '\u{2212}']) {
        return None;
    }
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let fixed = match numbers.as_slice() {
        [y, m, d] => format!("{y:04}-{m:02}-{d:02}"),
        [y, m, d, h, min] => format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}"),
        [y, m, d, h, min, s] => format!("{y:04}-{m:02}-{d:02} {h:02}:{min:02}:{s:02}"),
        _ => return None,
    };
    (fixed != text.trim() && parse(&fixed, &TimeZone::UTC).is_ok()).then_some(fixed)
}

/// `2026年11月25日`, the way Chinese readers see dates.
pub fn display_date(z: &ZonedDateTime) -> String {
    format!("{}年{}月{}日", z.year(), z.month(), z.day())
}

/// RFC 3339 with the site's offset, for `<time datetime>` and sitemaps.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// RFC 2822 with the site's offset, as RSS 2.0 requires.
pub fn rfc2822(z: &ZonedDateTime) -> String {
    jiff::fmt::rfc2822::to_string(z)
        .unwrap_or_else(|_| z.strftime("%a, %d %b %Y %H:%M:%S %z").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shanghai() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    #[test]
    fn short_forms_are_site_wall_clock() {
        let tz = shanghai();
        for (text, want) in [
            ("2026-11-25", "2026-11-25T00:00:00+08:00"),
            ("2026-11-25 08:00", "2026-11-25T08:00:00+08:00"),
            ("2026-11-25 08:00:30", "2026-11-25T08:00:30+08:00"),
            ("2026-11-25T08:00", "2026-11-25T08:00:00+08:00"),
        ] {
            assert_eq!(rfc3339(&parse(text, &tz).unwrap()), want, "{text}");
        }
    }

    #[test]
    fn explicit_offsets_are_converted_to_the_site_zone() {
        let z = parse("2026-11-25T00:00:00Z", &shanghai()).unwrap();
        assert_eq!(rfc3339(&z), "2026-11-25T08:00:00+08:00");
    }

    #[test]
    fn nonsense_is_explained() {
        let err = parse("next tuesday", &shanghai()).unwrap_err();
        assert!(err.contains("2026-11-25 08:00"), "{err}");
        assert!(parse("2026-02-30", &shanghai()).is_err());
    }

    #[test]
    fn other_ways_of_writing_dates_get_a_suggestion() {
        assert_eq!(suggest("2026/1/5").as_deref(), Some("2026-01-05"));
        assert_eq!(
            suggest("2026年1月5日 8:00").as_deref(),
            Some("2026-01-05 08:00")
        );
        assert_eq!(suggest("2026.11.25").as_deref(), Some("2026-11-25"));
        assert_eq!(suggest("2026-02-30"), None);
        assert_eq!(suggest("明天"), None);
        // The sign is part of the year: no "fix" that drops it.
        assert_eq!(suggest("-009999-01-01"), None);
        assert_eq!(suggest("-2026/1/5"), None);
    }

    #[test]
    fn dates_out_of_range_say_so() {
        let err = parse("-009999-01-01", &shanghai()).unwrap_err();
        assert_eq!(
            err,
            "`-009999-01-01` is too far in the past or the future; check the year"
        );
    }

    #[test]
    fn rss_dates_carry_the_site_offset() {
        let z = parse("2026-11-25 08:00", &shanghai()).unwrap();
        assert_eq!(rfc2822(&z), "Wed, 25 Nov 2026 08:00:00 +0800");
        assert_eq!(display_date(&z), "2026年11月25日");
    }
}
