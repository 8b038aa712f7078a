//! Freeing large values off the critical path. Ground floor: imports no
//! other module of pufa.

/// Drops `value` on a thread of its own. Freeing the model of a large site
/// (every article's text, HTML and template values: tens of milliseconds at
/// 10,000 articles) then overlaps with what the build does next, swapping
/// the output in; a process that exits first does not wait for it.
pub(crate) fn later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}
