//! `pufa build`: build the site and swap it into the output folder.

use std::time::Instant;

use jiff::Timestamp;
use pufa::schedule::Visibility;

use super::{Failure, load_config, report, resolve_now};
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs, clock: Timestamp) -> Result<(), Failure> {
    let started = Instant::now();
    let config = load_config(&args.site.root, args.base_url.as_deref())?;
    let now = resolve_now(args.site.now.as_deref(), &config, clock)?;
    let visibility = Visibility {
        drafts: args.drafts,
        future: false,
    };
    let built = pufa::build(&config, now, visibility).map_err(|diags| {
        report(&diags);
        Failure::Site
    })?;
    report(&built.warnings);
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.site.root.join("public"));
    if let Err(e) = pufa::output::write_site(&out, &built.files) {
        eprintln!("error: cannot write the output: {e}");
        return Err(Failure::Site);
    }
    eprintln!(
        "built {} articles, {} files into {} in {} ms",
        built.articles,
        built.files.len(),
        out.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}
