//! `pufa schedule`: the editors' calendar as a table, JSON, iCalendar, or
//! just the next instant a rebuild is due.

use std::fmt::Write as _;

use jiff::Timestamp;
use pufa::schedule::{Event, Plan};

use super::{Failure, Said, load_config, report, resolve_now};
use crate::cli::ScheduleArgs;

pub fn run(args: &ScheduleArgs, clock: Timestamp) -> Result<(), Failure> {
    if args.days < 0 {
        return Err(Said::new("--days must be 0 or more", "--days 必须是 0 或更大的数").into());
    }
    let config = load_config(&args.site.root, None)?;
    let now = resolve_now(args.site.now.as_deref(), &config, clock)?;
    let (plan, warnings) = pufa::plan(&config, now, args.days).map_err(|diags| {
        report(&diags);
        Failure::Site
    })?;
    if args.next {
        if let Some(next) = &plan.next_change {
            println!("{next}");
        }
        return Ok(());
    }
    report(&warnings);
    if let Some(path) = &args.ics {
        let host = config.origin.split("://").nth(1).unwrap_or("pufa.invalid");
        let ics = pufa::schedule::ics::to_ics(
            &plan,
            &format!("{} 发布日历", config.title),
            host,
            &config.timezone_name,
        );
        std::fs::write(path, ics).map_err(|e| {
            Said::new(
                format!("cannot write {}: {e}", path.display()),
                format!("无法写入 {}：{e}", path.display()),
            )
        })?;
        let n = plan.events.len();
        eprintln!(
            "wrote {0} ({n} events) · 已写入 {0}（{n} 个日程）",
            path.display()
        );
    }
    if args.json {
        let json = serde_json::to_string_pretty(&plan).expect("plan serialises");
        println!("{json}");
    } else {
        print!("{}", table(&plan, args.days));
    }
    Ok(())
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

fn table(plan: &Plan, days: i64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "未来 {days} 天的发布日历（{} 至 {}）",
        &plan.now[..10],
        &plan.until[..10]
    );
    let _ = writeln!(out);
    if plan.events.is_empty() {
        let _ = writeln!(out, "（没有安排）");
    }
    let rows: Vec<[String; 3]> = plan.events.iter().map(row).collect();
    let widths: Vec<usize> = (0..2)
        .map(|i| rows.iter().map(|r| width(&r[i])).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if i < 2 {
                line.push_str(&" ".repeat(widths[i] - width(cell) + 2));
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(out);
        for w in &plan.warnings {
            let _ = writeln!(out, "提醒：{w}");
        }
    }
    out
}

fn row(e: &Event) -> [String; 3] {
    let date: jiff::civil::Date = e.at[..10].parse().expect("RFC 3339 date");
    let weekday = WEEKDAYS[usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0)];
    let when = if e.all_day {
        format!("{} 周{weekday}      ", &e.at[..10])
    } else {
        format!("{} 周{weekday} {}", &e.at[..10], &e.at[11..16])
    };
    let what = match &e.path {
        Some(path) => format!("{}  {path}", e.title),
        None => e.title.clone(),
    };
    [when, e.kind.label().to_string(), what]
}

/// Columns as a terminal shows them: CJK characters take two cells.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if pufa::markdown::cjk::is_cjk(c) { 2 } else { 1 })
        .sum()
}
