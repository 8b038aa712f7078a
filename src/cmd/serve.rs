//! `pufa serve`: the editors' live preview.

use jiff::Timestamp;
use pufa::schedule::Visibility;
use pufa::serve::Options;

use super::{Failure, Said, load_config, resolve_now};
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
    pufa::serve::run(&options, &clock).map_err(|e| cannot_serve(args, &e).into())
}

/// Why the preview could not start, for the editor.
fn cannot_serve(args: &ServeArgs, e: &std::io::Error) -> Said {
    let place = std::net::SocketAddr::new(args.bind, args.port);
    let port = args.port;
    match e.kind() {
        std::io::ErrorKind::AddrInUse => Said::new(
            format!("cannot serve on {place}: another program (perhaps another pufa serve) uses port {port}"),
            format!("无法在 {place} 上预览：端口 {port} 已被别的程序占用（也许另一个 pufa serve 还开着）"),
        )
        .hint(
            "close the other preview, or use another port: pufa serve --port 0 (any free port)",
            "关掉另一个预览窗口，或者换个端口：pufa serve --port 0（自动找一个空闲端口）",
        ),
        std::io::ErrorKind::PermissionDenied => Said::new(
            format!("cannot serve on {place}: ports below 1024 need administrator rights"),
            format!("无法在 {place} 上预览：1024 以下的端口需要管理员权限"),
        )
        .hint(
            "use a higher port: pufa serve --port 12338",
            "换一个大一点的端口：pufa serve --port 12338",
        ),
        _ => Said::new(
            format!("cannot serve on {place}: {e}"),
            format!("无法在 {place} 上预览：{e}"),
        )
        .hint(
            "try another port or address: pufa serve --port 0 --bind 127.0.0.1",
            "换个端口或地址试试：pufa serve --port 0 --bind 127.0.0.1",
        ),
    }
}
