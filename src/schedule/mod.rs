//! When an article is in the output: a pure function of its dates and `now`.
//!
//! An article is live when it is not a draft, its `date` has come
//! (`date <= now`) and it has not expired (`now < expires`). Comparisons are
//! between instants, so the offset `now` was written in does not matter.

pub mod ics;

use jiff::Timestamp;

use crate::content::FrontMatter;

/// What the build includes beyond live articles (serve's preview switches).
#[derive(Debug, Clone, Copy, Default)]
pub struct Visibility {
    pub drafts: bool,
    pub future: bool,
}

/// Why an article is or is not in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Live,
    Draft,
    Scheduled,
    Expired,
}

pub fn status(front: &FrontMatter, now: Timestamp) -> Status {
    if front.draft {
        return Status::Draft;
    }
    match (&front.date, &front.expires) {
        (Some(date), _) if date.timestamp() > now => Status::Scheduled,
        (_, Some(expires)) if expires.timestamp() <= now => Status::Expired,
        (None, _) => Status::Draft,
        _ => Status::Live,
    }
}

/// True when the article goes into this build's output.
pub fn is_visible(status: Status, visibility: Visibility) -> bool {
    match status {
        Status::Live => true,
        Status::Draft => visibility.drafts,
        Status::Scheduled => visibility.future,
        Status::Expired => false,
    }
}

/// What happens when, for `pufa schedule`: awareness days and windows,
/// articles going live or expiring, in time order.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub now: String,
    pub until: String,
    pub events: Vec<Event>,
    /// Awareness days in the horizon with nothing published or scheduled for them.
    pub warnings: Vec<String>,
    /// The next instant the built output changes (RFC 3339), if any.
    pub next_change: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    WindowStart,
    AwarenessDay,
    WindowEnd,
    Publish,
    Expire,
}

impl EventKind {
    /// How the editors' table names the event.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::WindowStart => "宣传开始",
            EventKind::AwarenessDay => "宣传日",
            EventKind::WindowEnd => "宣传结束",
            EventKind::Publish => "发布",
            EventKind::Expire => "下线",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    /// RFC 3339 in the site's time zone.
    pub at: String,
    /// Date-only events (awareness days) have no time of day.
    pub all_day: bool,
    pub kind: EventKind,
    pub title: String,
    /// The awareness day's key (for day events and campaign articles).
    pub campaign: Option<String>,
    /// The article's source file and absolute URL.
    pub path: Option<String>,
    pub url: Option<String>,
    /// The window (inclusive dates) for awareness-day events.
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    #[serde(skip)]
    pub instant: jiff::Timestamp,
}

/// An article as the planner sees it (placed, with status, not rendered).
pub struct PlannedArticle<'a> {
    pub front: &'a FrontMatter,
    pub shown: String,
    pub url: String,
}

/// Builds the plan for `days` days from `now` (inclusive of both ends).
pub fn plan(
    calendar: &[crate::calendar::AwarenessDay],
    articles: &[PlannedArticle<'_>],
    now: &jiff::ZonedDateTime,
    days: i64,
    countdown: Countdown,
) -> Plan {
    use crate::calendar::describe_window;
    let tz = now.time_zone().clone();
    let until = now
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or_else(|_| now.clone());
    let (from_ts, until_ts) = (now.timestamp(), until.timestamp());
    let in_horizon = |t: Timestamp| from_ts < t && t <= until_ts;
    let midnight = |d: jiff::civil::Date| {
        d.to_datetime(jiff::civil::Time::midnight())
            .to_zoned_datetime(tz.clone())
            .expect("midnight exists in the site time zone")
    };
    let mut events = Vec::new();
    let mut warnings = Vec::new();

    for day in calendar {
        for o in day.upcoming(now.date()) {
            let start = midnight(o.start);
            if start.timestamp() > until_ts {
                break;
            }
            let title = format!("{} {}", day.label(), day.name);
            let window = describe_window(&o);
            let mut push = |kind: EventKind, date: jiff::civil::Date| {
                let at = midnight(date);
                // Day events are whole days: keep today's, though its midnight has passed.
                if at.date() >= now.date() && at.timestamp() <= until_ts {
                    events.push(Event {
                        at: crate::time::rfc3339(&at),
                        all_day: true,
                        kind,
                        title: format!("{title}（{window}）"),
                        campaign: Some(day.key.clone()),
                        path: None,
                        url: None,
                        window_start: Some(o.start.to_string()),
                        window_end: Some(o.end.to_string()),
                        instant: at.timestamp(),
                    });
                }
            };
            if o.start != o.day {
                push(EventKind::WindowStart, o.start);
            }
            push(EventKind::AwarenessDay, o.day);
            if o.end != o.day {
                push(EventKind::WindowEnd, o.end);
            }
            // Covered: a non-draft article of this campaign dated inside the window.
            let covered = articles.iter().any(|a| {
                !a.front.draft
                    && a.front.campaign.as_deref() == Some(day.key.as_str())
                    && a.front.date.as_ref().is_some_and(|d| o.contains(d.date()))
            });
            if !covered {
                let drafts: Vec<&str> = articles
                    .iter()
                    .filter(|a| {
                        a.front.draft && a.front.campaign.as_deref() == Some(day.key.as_str())
                    })
                    .map(|a| a.shown.as_str())
                    .collect();
                let mut w = format!("{}年 {title}（{window}）还没有安排文章", o.day.year());
                if !drafts.is_empty() {
                    w.push_str(&format!("；草稿未定时：{}", drafts.join("、")));
                }
                warnings.push(w);
            }
        }
    }

    for a in articles.iter().filter(|a| !a.front.draft) {
        let mut push = |kind: EventKind, at: &jiff::ZonedDateTime| {
            if in_horizon(at.timestamp()) {
                events.push(Event {
                    at: crate::time::rfc3339(&at.with_time_zone(tz.clone())),
                    all_day: false,
                    kind,
                    title: a.front.title.clone(),
                    campaign: a.front.campaign.clone(),
                    path: Some(a.shown.clone()),
                    url: Some(a.url.clone()),
                    window_start: None,
                    window_end: None,
                    instant: at.timestamp(),
                });
            }
        };
        if let Some(d) = &a.front.date {
            push(EventKind::Publish, d);
        }
        if let Some(e) = &a.front.expires {
            push(EventKind::Expire, e);
        }
    }
    events.sort_by(|a, b| {
        (a.instant, order(&a.kind), &a.title).cmp(&(b.instant, order(&b.kind), &b.title))
    });
    let next_change = next_change(calendar, articles, now, countdown)
        .map(|t| crate::time::rfc3339(&t.to_zoned_datetime(tz.clone())));
    Plan {
        now: crate::time::rfc3339(now),
        until: crate::time::rfc3339(&until),
        events,
        warnings,
        next_change,
    }
}

fn order(kind: &EventKind) -> u8 {
    match kind {
        EventKind::WindowStart => 0,
        EventKind::AwarenessDay => 1,
        EventKind::Publish => 2,
        EventKind::Expire => 3,
        EventKind::WindowEnd => 4,
    }
}

/// Where the theme shows a countdown in days (`days_until`), which is what
/// makes a midnight matter to the built site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    /// The default theme: on the home page, only while no campaign runs
    /// (during a campaign the banner names the window instead).
    WhileNoCampaignRuns,
    /// A site template of its own names `days_until`: pufa cannot tell
    /// where, so every midnight counts while any awareness day is set.
    EveryDay,
}

/// The first instant after `now` at which a build's output differs from
/// one at `now`, and no earlier instant does: an article going live or
/// out (only when it is live on one side and not the other), a campaign
/// window opening (its midnight) or closing (the midnight after its last
/// day), the next midnight while the home page counts days down, and New
/// Year (the footer's ©year). `None` never happens in practice (there is
/// always a next year); it is kept for a calendar past jiff's range.
pub fn next_change(
    calendar: &[crate::calendar::AwarenessDay],
    articles: &[PlannedArticle<'_>],
    now: &jiff::ZonedDateTime,
    countdown: Countdown,
) -> Option<Timestamp> {
    let tz = now.time_zone().clone();
    let after = |t: Timestamp| (t > now.timestamp()).then_some(t);
    // The first instant of a day in the site's time zone (in a gap at
    // midnight, the first instant that exists).
    let midnight = |d: jiff::civil::Date| {
        d.to_datetime(jiff::civil::Time::midnight())
            .to_zoned_datetime(tz.clone())
            .ok()
            .map(|z| z.timestamp())
    };
    let live = |front: &FrontMatter, t: Timestamp| status(front, t) == Status::Live;
    // An article whose date or expiry falls at `t` changes the site only if
    // it is live on one side of `t` and not on the other (an article that
    // expires before its date never is).
    let article_times = articles
        .iter()
        .filter(|a| !a.front.draft)
        .flat_map(|a| {
            [a.front.date.as_ref(), a.front.expires.as_ref()]
                .into_iter()
                .flatten()
                .map(|z| z.timestamp())
                .filter(|&t| {
                    let before = t
                        .checked_sub(jiff::SignedDuration::from_nanos(1))
                        .unwrap_or(t);
                    live(a.front, t) != live(a.front, before)
                })
                .collect::<Vec<_>>()
        })
        .filter_map(after);
    let today = now.date();
    // Every window's first day and the day after its last: `current`
    // changes, and after the last day the campaign's date moves on a year.
    let window_edges = calendar
        .iter()
        .flat_map(|day| day.upcoming(today).take(2).collect::<Vec<_>>())
        .flat_map(|o| [Some(o.start), o.end.tomorrow().ok()])
        .flatten()
        .filter_map(midnight)
        .filter_map(after);
    // The home page's banner counts only days with a live article (days
    // without one are in no list); which days those are changes only when
    // an article goes live or out, an instant already counted above.
    let listed: Vec<&crate::calendar::AwarenessDay> = calendar
        .iter()
        .filter(|day| {
            articles.iter().any(|a| {
                a.front.campaign.as_deref() == Some(day.key.as_str())
                    && live(a.front, now.timestamp())
            })
        })
        .collect();
    let running = listed.iter().any(|day| {
        day.upcoming(today)
            .next()
            .is_some_and(|o| o.contains(today))
    });
    let counting = match countdown {
        Countdown::WhileNoCampaignRuns => !listed.is_empty() && !running,
        Countdown::EveryDay => !calendar.is_empty(),
    };
    let tomorrow = counting
        .then(|| today.tomorrow().ok())
        .flatten()
        .and_then(midnight)
        .and_then(after);
    let new_year = jiff::civil::Date::new(today.year().saturating_add(1), 1, 1)
        .ok()
        .and_then(midnight)
        .and_then(after);
    article_times
        .chain(window_edges)
        .chain(tomorrow)
        .chain(new_year)
        .min()
}
