//! The floor of a build: writes a finished output tree, held in memory, into
//! a new folder with pufa's own writer (`pufa::output::write_site`: the
//! staging folder, a `create_dir_all` and a `write` per file on rayon's
//! threads, the swap into place), and nothing else. Whatever `pufa build`
//! spends beyond this is reading and rendering; what this costs is what any
//! tool that writes the same files pays on the same disk.
//!
//!     cargo run --release --example write_floor -- SITE/public NEW_FOLDER
//!
//! Prints one line: files, folders, wall and CPU milliseconds of the writing
//! alone (reading the tree into memory first is not counted). `bench/compare.py`
//! runs it beside `cp -r`, which reads as well as writes and uses one thread.

use std::path::Path;
use std::time::Instant;

use pufa::output::{OutputFile, check, write_site};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to] = args.as_slice() else {
        eprintln!("usage: write_floor FROM NEW_FOLDER");
        std::process::exit(2);
    };
    let to = Path::new(to);
    if to.exists() {
        eprintln!("{} exists: give a new folder", to.display());
        std::process::exit(2);
    }
    let files = read_tree(Path::new(from));
    // The tree read is the "site" the new folder may not hold or sit in.
    let target = check(to, Path::new(from)).unwrap_or_else(|refusal| {
        eprintln!("{refusal}");
        std::process::exit(2);
    });

    let cpu = pufa::cpu_time();
    let start = Instant::now();
    write_site(&target, &files).expect("writable folder");
    let wall = start.elapsed();
    let cpu = pufa::cpu_time().zip(cpu).map(|(end, start)| end - start);

    let folders = walkdir::WalkDir::new(to)
        .min_depth(1)
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_dir()))
        .count();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "{} files, {folders} folders, wall {:.1} ms, cpu {:.1} ms",
        files.len(),
        ms(wall),
        cpu.map_or(f64::NAN, ms)
    );
}

/// Every file under `root`, by its path relative to `root`.
fn read_tree(root: &Path) -> Vec<OutputFile> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.expect("readable tree"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("readable file");
            let relative = e.path().strip_prefix(root).expect("under root");
            OutputFile::bytes(relative.to_string_lossy(), bytes)
        })
        .collect()
}
