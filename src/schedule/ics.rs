//! iCalendar (RFC 5545) export of a [`Plan`], for phone calendars to subscribe to.
//!
//! Awareness days are all-day events spanning their window; articles are
//! timed events at their publish or expiry instant (in UTC, which every
//! client converts). UIDs are stable so re-exports update events in place.

use super::{EventKind, Plan};

/// `site_host` makes UIDs globally unique (`publish-…@pufa.example.cn`).
pub fn to_ics(plan: &Plan, calendar_name: &str, site_host: &str, timezone: &str) -> String {
    let mut out = String::new();
    let mut line = |s: &str| fold_into(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//pufa//schedule//ZH");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape(calendar_name)));
    line(&format!("X-WR-TIMEZONE:{timezone}"));
    let stamp = utc(&plan.now);
    for e in &plan.events {
        let (uid, start, end) = match e.kind {
            // One event per awareness day, spanning its window.
            EventKind::AwarenessDay => {
                let day = &e.at[..10];
                let start = e.window_start.as_deref().unwrap_or(day);
                let end = next_day(e.window_end.as_deref().unwrap_or(day));
                (
                    format!(
                        "day-{}-{}@{site_host}",
                        e.campaign.as_deref().unwrap_or(""),
                        &day[..4]
                    ),
                    format!("DTSTART;VALUE=DATE:{}", start.replace('-', "")),
                    format!("DTEND;VALUE=DATE:{end}"),
                )
            }
            EventKind::Publish | EventKind::Expire => {
                let kind = if e.kind == EventKind::Publish {
                    "publish"
                } else {
                    "expire"
                };
                let t = utc(&e.at);
                (
                    format!(
                        "{kind}-{}@{site_host}",
                        uid_part(e.url.as_deref().unwrap_or(&e.title))
                    ),
                    format!("DTSTART:{t}"),
                    "DURATION:PT30M".to_string(),
                )
            }
            // Window starts and ends are part of the day's event.
            EventKind::WindowStart | EventKind::WindowEnd => continue,
        };
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape(&uid)));
        line(&format!("DTSTAMP:{stamp}"));
        line(&start);
        line(&end);
        let summary = match e.kind {
            EventKind::Publish => format!("发布：{}", e.title),
            EventKind::Expire => format!("下线：{}", e.title),
            _ => e.title.clone(),
        };
        line(&format!("SUMMARY:{}", escape(&summary)));
        if let Some(path) = &e.path {
            line(&format!("DESCRIPTION:{}", escape(path)));
        }
        if let Some(url) = &e.url {
            line(&format!("URL:{url}"));
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// RFC 3339 with offset → `20261204T000000Z`.
fn utc(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(|t| t.strftime("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// `2026-12-10` → `20261211` (DTEND of an all-day event is exclusive).
fn next_day(date: &str) -> String {
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.tomorrow().ok())
        .map(|d| d.strftime("%Y%m%d").to_string())
        .unwrap_or_default()
}

fn uid_part(url: &str) -> String {
    url.trim_start_matches("https://")
        .trim_start_matches("http://")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

/// A TEXT value (RFC 5545 § 3.3.11): backslash, `;` and `,` escaped with a
/// backslash, each line break (CR LF, a lone CR or LF, NEL, U+2028, U+2029)
/// written `\n`, and
/// other control characters dropped: the format has no way to write them,
/// and a raw CR ends the content line for many readers, letting a title
/// add properties of its own.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets without splitting a character.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_on_character_boundaries() {
        let mut out = String::new();
        fold_into(&mut out, &format!("SUMMARY:{}", "宪".repeat(40)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "宪".repeat(40)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d"), "a\\,b\\;c\\\\d");
    }

    #[test]
    fn line_breaks_and_control_characters_never_reach_the_file() {
        assert_eq!(
            escape("a\rDTSTART:1\r\nb\nc\u{85}d\u{2028}e"),
            "a\\nDTSTART:1\\nb\\nc\\nd\\ne"
        );
        assert_eq!(escape("制\t表\u{0}\u{1b}[2J\u{7f}\u{9b}符"), "制\t表[2J符");
    }
}
