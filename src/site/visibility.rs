//! Visibility: each article's status (live, draft, scheduled, expired, by
//! `schedule::status` at `now`), which articles this build shows, the
//! targets links resolve to (a link to an article not shown is dropped, its
//! text kept), and the checks of dates that are valid but probably not what
//! the editor meant.

use super::*;

/// The article's status at `now`.
pub(super) fn status(source: &ArticleSource, now: &ZonedDateTime) -> Status {
    schedule::status(&source.front, now.timestamp())
}

/// The link target of every placed article (shown or not, so a link to a
/// draft is recognised as one) and of every article file that failed to
/// load (so a link to it is not reported as a second error), and the
/// articles this build shows.
pub(super) fn split_visible(
    placed: Vec<Placed>,
    unloaded: &[Unloaded],
    visibility: Visibility,
) -> (FxHashMap<PathBuf, LinkTarget>, Vec<Placed>) {
    let failed = unloaded.iter().map(|u| {
        let target = LinkTarget {
            url: String::new(),
            visible: false,
            loaded: false,
        };
        (markdown::normalize(&u.path), target)
    });
    let article_links = placed
        .iter()
        .map(|p| {
            let target = LinkTarget {
                url: p.url.clone(),
                visible: schedule::is_visible(p.status, visibility),
                loaded: true,
            };
            (markdown::normalize(&p.source.path), target)
        })
        .chain(failed)
        .collect();
    let visible = placed
        .into_iter()
        .filter(|p| schedule::is_visible(p.status, visibility))
        .collect();
    (article_links, visible)
}

/// Dates that are valid but probably not what the editor meant.
pub(super) fn check_dates(
    config: &Config,
    source: &ArticleSource,
    now: &ZonedDateTime,
    diags: &mut Diagnostics,
) {
    let Some(date) = &source.front.date else {
        return;
    };
    if let Ok(limit) = now.checked_add(jiff::Span::new().years(1))
        && *date > limit
        && !source.front.draft
    {
        diags.push(
            Diagnostic::warning(
                &source.shown,
                format!(
                    "`date` is more than a year ahead ({}); is the year right?",
                    crate::time::display_date(date)
                ),
            )
            .zh(format!(
                "发布时间在一年以后（{}），年份写对了吗？",
                crate::time::display_date(date)
            ))
            .at(front_line(source, "date"), 1)
            .hint("scheduled articles stay out of the site until their date; check the year")
            .hint_zh("定时发布的文章要到 date 那天才出现在网站上；请核对年份"),
        );
    }
    let Some(key) = &source.front.campaign else {
        return;
    };
    let Some(day) = config.calendar.iter().find(|d| &d.key == key) else {
        return; // reported as an unknown key
    };
    let d = date.date();
    let inside = (d.year() - 1..=d.year() + 1).any(|y| day.in_year(y).contains(d));
    if !inside {
        let o = day.in_year(d.year());
        let window = crate::calendar::describe_window(&o);
        diags.push(
            Diagnostic::warning(
                &source.shown,
                format!(
                    "dated {} but its campaign {} {} runs {window}",
                    crate::time::display_date(date),
                    day.label(),
                    day.name
                ),
            )
            .zh(format!(
                "发布时间 {} 不在 {} {}的宣传时段（{window}）内",
                crate::time::display_date(date),
                day.label(),
                day.name
            ))
            .at(front_line(source, "date"), 1)
            .hint("move the date into the campaign's window, or change or remove `campaign:`")
            .hint_zh("把发布时间调到宣传时段内，或者修改、删掉「campaign:」"),
        );
    }
}
