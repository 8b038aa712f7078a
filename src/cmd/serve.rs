//! `pufa serve`: the editors' live preview.

use jiff::Timestamp;
use pufa::schedule::Visibility;
use pufa::serve::Options;

use super::{Failure, load_config, resolve_now};
use crate::cli::ServeArgs;

pub fn run(args: &ServeArgs, wall_clock: fn() -> Timestamp) -> Result<(), Failure> {
    // Validate the site and `--now` once up front, for a clear first message.
    let config = load_config(&args.site.root, None)?;
    let fixed = match args.site.now.as_deref() {
        Some(text) => Some(resolve_now(Some(text), &config, Timestamp::UNIX_EPOCH)?),
        None => None,
    };
    // Without --now, every rebuild reads the wall clock, so scheduled
    // articles appear while the preview runs.
    let clock = move || fixed.unwrap_or_else(wall_clock);
    let options = Options {
        root: args.site.root.clone(),
        bind: args.bind,
        port: args.port,
        visibility: Visibility {
            drafts: args.drafts,
            future: args.future,
        },
        allow_hosts: args.allow_host.clone(),
    };
    pufa::serve::run(&options, &clock).map_err(|e| {
        Failure::Usage(format!(
            "cannot serve on {}:{}: {e} (another program may use the port; try --port 0)",
            args.bind, args.port
        ))
    })
}
