//! `pufa check`: every problem of the site, without writing anything.

use jiff::Timestamp;
use std::io::Write;

use pufa::diagnostics::{Level, summarise};
use pufa::schedule::Visibility;

use super::{Failure, resolve_now};
use crate::cli::{CheckArgs, Format};

pub fn run(args: &CheckArgs, clock: Timestamp) -> Result<(), Failure> {
    let diags = match pufa::config::load(&args.site.root, None) {
        Err(errors) => errors,
        Ok(config) => {
            let now = resolve_now(args.site.now.as_deref(), &config, clock)?;
            pufa::check(&config, now, Visibility::default())
        }
    };
    let errors = diags.iter().filter(|d| d.level == Level::Error).count();
    let warnings = diags.len() - errors;
    match args.format {
        Format::Json => {
            let report = serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diags,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("diagnostics serialise")
            );
        }
        Format::Text => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in summarise(&diags, args.all) {
                let _ = writeln!(out, "{line}");
            }
            drop(out);
            println!(
                "{errors} error(s), {warnings} warning(s) · {errors} 个错误，{warnings} 个警告"
            );
        }
    }
    if errors > 0 {
        Err(Failure::Site)
    } else {
        Ok(())
    }
}
