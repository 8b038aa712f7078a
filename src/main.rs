//! The `pufa` command: parse arguments, read the clock, run, map the outcome
//! to an exit status (0 success, 1 the site has errors, 2 bad usage or a
//! refusal to write into a folder that is not pufa's).

use std::process::ExitCode;

use clap::FromArgMatches;

mod cli;
mod cmd;

// A build allocates and frees millions of small strings from many threads;
// glibc's allocator spent a fifth of a 1,000-article build in malloc, free
// and fresh zeroed pages. mimalloc reuses memory per thread.
//
// Built with `no_thp` (Cargo.toml): mimalloc no longer asks for transparent
// huge pages, so the first touch of its memory zeroes 4 KiB, not 2 MiB. A
// 1,000-article build touched 76 MiB with huge pages and 36 MiB without;
// on a virtual machine whose host must supply every fresh page, the huge
// pages made clean builds swing between 93 and 437 ms (median 142) where
// small pages gave 95–191 (median 102), and a 10,000-article build took
// 999 against 892 ms (11 and 5 interleaved runs, docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps memory the process has freed instead of handing it back to the
/// system a second later (mimalloc's `purge_delay`). `pufa serve` drops and
/// remakes most of the site model on every save, seconds apart: memory
/// handed back must be faulted in and zeroed again on the next save, which
/// was a third of a rebuild of 10,000 articles (median 140 ms, 90–96 ms with
/// this). A build is over in seconds and would only give memory back to
/// take it again. The cost: the preview server stays at its peak size.
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` writes a plain option value and is not thread
    // safe; it runs first thing in `main`, before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3). The option enum is
/// stable: new options go at its end and retired ones keep their place
/// (the test below checks its neighbour and its default).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    // The only place the wall clock is read; everything else gets `now` passed in.
    let clock = jiff::Timestamp::now();
    let outcome = match cli.command {
        cli::Command::Build(args) => cmd::build::run(&args, clock),
        cli::Command::Init(args) => cmd::init::run(&args),
        cli::Command::Schedule(args) => cmd::schedule::run(&args, clock),
        cli::Command::New(args) => cmd::new::run(&args, clock),
        cli::Command::Check(args) => cmd::check::run(&args, clock),
        cli::Command::Wechat(args) => cmd::wechat::run(&args, clock),
        // The preview rebuilds over time, so it gets the clock itself.
        cli::Command::Serve(args) => cmd::serve::run(&args, jiff::Timestamp::now),
        cli::Command::Deploy(args) => cmd::deploy::run(&args),
        cli::Command::Publish(args) => cmd::publish::run(&args, jiff::Timestamp::now),
        cli::Command::Statutes(args) => cmd::statutes::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(cmd::Failure::Site) => ExitCode::from(1),
        Err(cmd::Failure::Usage(msg)) => {
            eprintln!("error: {}", pufa::diagnostics::escape_controls(&msg));
            ExitCode::from(2)
        }
        Err(cmd::Failure::Said(said)) => {
            eprintln!("{said}");
            ExitCode::from(2)
        }
        Err(cmd::Failure::Refused(refusal)) => {
            eprintln!("{refusal}");
            ExitCode::from(2)
        }
    }
}

/// The command line, or the exit status after clap has printed the help
/// page, the version, or what is wrong (with a line in Chinese after clap's
/// English).
fn parse() -> Result<cli::Cli, ExitCode> {
    use clap::error::ErrorKind;
    let matches = cli::command().try_get_matches();
    let error = match matches.and_then(|m| cli::Cli::from_arg_matches(&m)) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    let _ = error.print();
    if !matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        eprintln!("{USAGE_HINT_ZH}");
    }
    Err(ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2)))
}

/// After clap's own (English) message about a wrong command line.
const USAGE_HINT_ZH: &str = "提示：命令写得不对（见上面的英文说明）；运行 pufa --help 查看全部命令，pufa 命令 --help 查看某个命令的选项";

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        use super::MI_OPTION_PURGE_DELAY;
        assert_eq!(
            MI_OPTION_PURGE_DELAY + 1,
            libmimalloc_sys::mi_option_use_numa_nodes
        );
        // Unset here (tests do not run `main`): mimalloc v3's default delay.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: reads a plain option value.
            let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
            assert_eq!(delay, 1000, "milliseconds");
        }
    }
}
