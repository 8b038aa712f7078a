//! The floor of a build: writes a finished output tree, held in memory, into
//! a new folder the way `pufa build` writes (one `create_dir_all` and one
//! `write` per file, on rayon's threads), and nothing else. Whatever pufa
//! spends beyond this is rendering; what this costs is what any tool that
//! writes the same files pays on the same disk.
//!
//!     cargo run --release --example write_floor -- SITE/public NEW_FOLDER
//!
//! Prints one line: files, folders, wall and CPU milliseconds of the writing
//! alone (reading the tree into memory first is not counted). `bench/compare.py`
//! runs it beside `cp -r`, which reads as well as writes and uses one thread.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to] = args.as_slice() else {
        eprintln!("usage: write_floor FROM NEW_FOLDER");
        std::process::exit(2);
    };
    if Path::new(to).exists() {
        eprintln!("{to} exists: give a new folder");
        std::process::exit(2);
    }
    let files = read_tree(Path::new(from));
    let to = Path::new(to);

    let cpu = cpu_ms();
    let start = Instant::now();
    files.par_iter().for_each(|(path, bytes)| {
        let path = to.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, bytes).expect("write file");
    });
    let wall = start.elapsed().as_secs_f64() * 1e3;
    let cpu = cpu_ms() - cpu;

    let folders = walkdir::WalkDir::new(to)
        .min_depth(1)
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_dir()))
        .count();
    println!(
        "{} files, {folders} folders, wall {wall:.1} ms, cpu {cpu:.1} ms",
        files.len()
    );
}

/// Every file under `root`, by its path relative to `root`.
fn read_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("readable tree"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("readable file");
            let relative = e.path().strip_prefix(root).expect("under root");
            (relative.to_path_buf(), bytes)
        })
        .collect()
}

/// CPU time of the whole process so far (all threads), in milliseconds.
fn cpu_ms() -> f64 {
    #[cfg(target_os = "linux")]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
        t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
    }
    #[cfg(not(target_os = "linux"))]
    {
        f64::NAN
    }
}
