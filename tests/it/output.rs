//! The output folder: atomic replacement and byte-identical rebuilds.

use crate::support::Site;

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::fixture("basic");
    site.build_ok();
    let before = site.output_tree("public");
    site.write("content/education/broken.md", "---\ntitel: 坏了\n---\n");
    site.build_err();
    assert_eq!(site.output_tree("public"), before);
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_rebuild_replaces_stale_files() {
    let site = Site::fixture("basic");
    site.build_ok();
    assert!(site.exists("public/qa/links/index.html"));
    site.remove("content/qa/links.md");
    site.build_ok();
    assert!(
        !site.exists("public/qa/links/index.html"),
        "deleted article still published"
    );
}

#[test]
fn same_input_and_now_give_byte_identical_output() {
    let site = Site::fixture("basic");
    let (a, b) = (site.path("one"), site.path("two"));
    let out = site.pufa(&["build", "--output", a.to_str().unwrap()]);
    assert!(out.status.success());
    let out = site.pufa(&["build", "--output", b.to_str().unwrap()]);
    assert!(out.status.success());
    let (one, two) = (site.output_tree("one"), site.output_tree("two"));
    assert!(one.len() > 20);
    assert_eq!(one, two);
}
