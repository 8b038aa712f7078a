//! The awareness calendar: the days the federation's year turns on.
//!
//! Each [`AwarenessDay`] has a key (what `campaign:` names), a name, a date
//! rule (a day of the year, or a whole month) and a window: the dates around
//! the day when its campaign runs. Built-in days follow SPEC.md; `site.yaml`
//! can add days, rename them, change windows or turn built-ins off.
//!
//! Rules for awkward dates, all pure functions of the year:
//! - a window whose end is earlier in the year than its start crosses the year
//!   end (`12-25` to `01-05`): it starts in the day's year or the one before,
//!   so that the window contains the day;
//! - `02-29` in a year without one is observed on `02-28`.

use jiff::civil::Date;
use serde::Deserialize;

/// When the day falls each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A day of the year (`3-8`).
    Day { month: i8, day: i8 },
    /// A whole month (`5`: 民法典宣传月); the "day" is the 1st.
    Month { month: i8 },
}

/// A month and day without a year, as editors write them (`12-25`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    pub month: i8,
    pub day: i8,
}

impl MonthDay {
    pub fn parse(text: &str) -> Option<MonthDay> {
        let (m, d) = text.trim().split_once('-')?;
        let (month, day): (i8, i8) = (m.parse().ok()?, d.parse().ok()?);
        // 2024 is a leap year: any real month-day exists in it.
        Date::new(2024, month, day).ok()?;
        Some(MonthDay { month, day })
    }

    /// This month-day in `year`; 02-29 becomes 02-28 in common years.
    pub fn in_year(self, year: i16) -> Date {
        Date::new(year, self.month, self.day)
            .or_else(|_| Date::new(year, self.month, self.day - 1))
            .expect("validated month-day")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwarenessDay {
    pub key: String,
    pub name: String,
    pub rule: Rule,
    /// Inclusive window; `None` ends mean "from/until the day itself"
    /// (for a month: its first and last day).
    pub window_start: Option<MonthDay>,
    pub window_end: Option<MonthDay>,
}

/// One year's occurrence of a day: the date and its window (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub day: Date,
    pub start: Date,
    pub end: Date,
}

impl AwarenessDay {
    /// How the day is written in Chinese text: `3·8`, `11·25`, `5月`.
    pub fn label(&self) -> String {
        match self.rule {
            Rule::Day { month, day } => format!("{month}·{day}"),
            Rule::Month { month } => format!("{month}月"),
        }
    }

    /// The occurrence whose day is in `year`.
    pub fn in_year(&self, year: i16) -> Occurrence {
        let day = match self.rule {
            Rule::Day { month, day } => MonthDay { month, day }.in_year(year),
            Rule::Month { month } => Date::new(year, month, 1).expect("valid month"),
        };
        let start = match self.window_start {
            None => day,
            Some(md) => {
                let s = md.in_year(year);
                if s <= day { s } else { md.in_year(year - 1) }
            }
        };
        let end = match (self.window_end, self.rule) {
            (None, Rule::Day { .. }) => day,
            (None, Rule::Month { .. }) => day.last_of_month(),
            (Some(md), _) => {
                let e = md.in_year(year);
                if e >= day { e } else { md.in_year(year + 1) }
            }
        };
        Occurrence { day, start, end }
    }

    /// Occurrences whose window ends on or after `from`, in order (the current
    /// one first if `from` is inside a window).
    pub fn upcoming(&self, from: Date) -> impl Iterator<Item = Occurrence> + '_ {
        (from.year() - 1..=from.year() + 2)
            .map(|y| self.in_year(y))
            .filter(move |o| o.end >= from)
    }
}

/// The built-in days of SPEC.md.
pub fn builtin() -> Vec<AwarenessDay> {
    let day = |key: &str, name: &str, month, d, start: Option<(i8, i8)>, end: Option<(i8, i8)>| {
        AwarenessDay {
            key: key.into(),
            name: name.into(),
            rule: Rule::Day { month, day: d },
            window_start: start.map(|(month, day)| MonthDay { month, day }),
            window_end: end.map(|(month, day)| MonthDay { month, day }),
        }
    };
    vec![
        day(
            "3-8",
            "国际劳动妇女节 · 三八维权周",
            3,
            8,
            Some((3, 2)),
            None,
        ),
        AwarenessDay {
            key: "5".into(),
            name: "民法典宣传月".into(),
            rule: Rule::Month { month: 5 },
            window_start: None,
            window_end: None,
        },
        day("5-15", "国际家庭日", 5, 15, None, None),
        day("6-1", "国际儿童节", 6, 1, None, None),
        day(
            "11-25",
            "国际消除对妇女暴力日",
            11,
            25,
            None,
            Some((12, 10)),
        ),
        day(
            "12-4",
            "国家宪法日 · 全国法制宣传日",
            12,
            4,
            Some((12, 1)),
            Some((12, 7)),
        ),
    ]
}

/// `calendar:` in site.yaml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    /// Time of day new articles for a campaign are dated (`08:00`).
    pub publish_time: Option<String>,
    /// Built-in keys to turn off.
    pub disable: Option<Vec<String>>,
    /// New days, or changes to built-in ones (matched by key).
    pub days: Option<Vec<RawDay>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDay {
    pub key: String,
    pub name: Option<String>,
    /// `MM-DD` for a day, `MM` for a whole month; defaults to the key.
    pub date: Option<String>,
    pub window: Option<RawWindow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    pub start: Option<String>,
    pub end: Option<String>,
}

/// Applies `calendar:` to the built-in days. Errors are sentences for editors.
pub fn configure(raw: RawCalendar) -> Result<(Vec<AwarenessDay>, jiff::civil::Time), Vec<String>> {
    let RawCalendar {
        publish_time,
        disable,
        days,
    } = raw;
    let mut errors = Vec::new();
    let mut calendar = builtin();
    for key in disable.unwrap_or_default() {
        let before = calendar.len();
        calendar.retain(|d| d.key != key);
        if calendar.len() == before {
            errors.push(format!(
                "`calendar.disable`: there is no built-in day `{key}` (built-in keys: {})",
                keys(&builtin())
            ));
        }
    }
    for raw_day in days.unwrap_or_default() {
        match apply(&mut calendar, raw_day) {
            Ok(()) => {}
            Err(e) => errors.push(e),
        }
    }
    let time = match publish_time {
        None => jiff::civil::Time::constant(8, 0, 0, 0),
        Some(t) => match format!("{}:00", t.trim()).parse::<jiff::civil::Time>() {
            Ok(t) => t,
            Err(_) => {
                errors.push(format!(
                    "`calendar.publish_time: {t}` is not a time of day like 08:00"
                ));
                jiff::civil::Time::midnight()
            }
        },
    };
    if errors.is_empty() {
        Ok((calendar, time))
    } else {
        Err(errors)
    }
}

fn apply(calendar: &mut Vec<AwarenessDay>, raw: RawDay) -> Result<(), String> {
    let RawDay {
        key,
        name,
        date,
        window,
    } = raw;
    if !crate::slug::is_valid(&key) {
        return Err(format!(
            "`calendar.days`: the key `{key}` must be lower-case letters, digits and dashes (it is part of the URL campaigns/{key}/)"
        ));
    }
    let existing = calendar.iter().position(|d| d.key == key);
    let rule = match (date.as_deref().or(existing.is_none().then_some(key.as_str())), existing) {
        (Some(text), _) => parse_rule(text).ok_or_else(|| {
            format!("`calendar.days` `{key}`: the date `{text}` is neither MM-DD (a day) nor MM (a whole month)")
        })?,
        (None, Some(i)) => calendar[i].rule,
        (None, None) => unreachable!("a new day's rule defaults to its key"),
    };
    let mut day = match existing {
        Some(i) => calendar[i].clone(),
        None => AwarenessDay {
            name: name
                .clone()
                .ok_or_else(|| format!("`calendar.days` `{key}`: a new day needs a `name`"))?,
            key: key.clone(),
            rule,
            window_start: None,
            window_end: None,
        },
    };
    day.rule = rule;
    if let Some(n) = name {
        day.name = n;
    }
    if let Some(RawWindow { start, end }) = window {
        let md = |v: Option<String>, which: &str| -> Result<Option<MonthDay>, String> {
            v.map(|t| {
                MonthDay::parse(&t).ok_or_else(|| {
                    format!(
                        "`calendar.days` `{key}`: window {which} `{t}` is not a date like 12-25"
                    )
                })
            })
            .transpose()
        };
        day.window_start = md(start, "start")?;
        day.window_end = md(end, "end")?;
    }
    match existing {
        Some(i) => calendar[i] = day,
        None => calendar.push(day),
    }
    Ok(())
}

fn parse_rule(text: &str) -> Option<Rule> {
    match text.trim().split_once('-') {
        Some(_) => MonthDay::parse(text).map(|md| Rule::Day {
            month: md.month,
            day: md.day,
        }),
        None => {
            let month: i8 = text.trim().parse().ok()?;
            (1..=12).contains(&month).then_some(Rule::Month { month })
        }
    }
}

/// The keys, for hints: `3-8, 5, 5-15, 6-1, 11-25, 12-4`.
pub fn keys(calendar: &[AwarenessDay]) -> String {
    calendar
        .iter()
        .map(|d| d.key.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Occurrence {
    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }
}

/// `11月25日`, `11月25日–12月10日` (with years when they differ from the day's).
pub fn describe_window(o: &Occurrence) -> String {
    let md = |d: Date| format!("{}月{}日", d.month(), d.day());
    if o.start == o.end {
        md(o.start)
    } else if o.start.year() != o.end.year() {
        format!(
            "{}年{}–{}年{}",
            o.start.year(),
            md(o.start),
            o.end.year(),
            md(o.end)
        )
    } else {
        format!("{}–{}", md(o.start), md(o.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn get(key: &str) -> AwarenessDay {
        builtin().into_iter().find(|d| d.key == key).unwrap()
    }

    #[test]
    fn builtin_windows() {
        let o = get("3-8").in_year(2027);
        assert_eq!(
            (o.start, o.day, o.end),
            (date(2027, 3, 2), date(2027, 3, 8), date(2027, 3, 8))
        );
        let o = get("5").in_year(2026);
        assert_eq!((o.start, o.end), (date(2026, 5, 1), date(2026, 5, 31)));
        let o = get("11-25").in_year(2026);
        assert_eq!((o.start, o.end), (date(2026, 11, 25), date(2026, 12, 10)));
        assert_eq!(describe_window(&o), "11月25日–12月10日");
    }

    #[test]
    fn windows_cross_the_year_end() {
        let (mut cal, _) = configure(RawCalendar {
            days: Some(vec![RawDay {
                key: "1-1".into(),
                name: Some("元旦普法".into()),
                date: None,
                window: Some(RawWindow {
                    start: Some("12-25".into()),
                    end: Some("01-05".into()),
                }),
            }]),
            ..Default::default()
        })
        .unwrap();
        let d = cal.pop().unwrap();
        let o = d.in_year(2027);
        assert_eq!(
            (o.start, o.day, o.end),
            (date(2026, 12, 25), date(2027, 1, 1), date(2027, 1, 5))
        );
        // On 2026-12-30 the current occurrence is the one of 2027.
        assert_eq!(
            d.upcoming(date(2026, 12, 30)).next().unwrap().day,
            date(2027, 1, 1)
        );
        assert_eq!(describe_window(&o), "2026年12月25日–2027年1月5日");
    }

    #[test]
    fn feb_29_falls_on_feb_28_in_common_years() {
        let md = MonthDay::parse("02-29").unwrap();
        assert_eq!(md.in_year(2027), date(2027, 2, 28));
        assert_eq!(md.in_year(2028), date(2028, 2, 29));
        assert!(MonthDay::parse("02-30").is_none());
    }

    #[test]
    fn overrides_and_disable() {
        let (cal, time) = configure(RawCalendar {
            publish_time: Some("09:30".into()),
            disable: Some(vec!["6-1".into()]),
            days: Some(vec![RawDay {
                key: "3-8".into(),
                name: Some("三八妇女节".into()),
                date: None,
                window: Some(RawWindow {
                    start: Some("03-01".into()),
                    end: Some("03-10".into()),
                }),
            }]),
        })
        .unwrap();
        assert!(cal.iter().all(|d| d.key != "6-1"));
        let d = cal.iter().find(|d| d.key == "3-8").unwrap();
        assert_eq!(d.name, "三八妇女节");
        assert_eq!(d.in_year(2027).end, date(2027, 3, 10));
        assert_eq!(time, jiff::civil::time(9, 30, 0, 0));
        let err = configure(RawCalendar {
            disable: Some(vec!["3-9".into()]),
            ..Default::default()
        })
        .unwrap_err();
        assert!(
            err[0].contains("built-in keys: 3-8, 5, 5-15, 6-1, 11-25, 12-4"),
            "{err:?}"
        );
    }
}
