//! YAML reading with errors an editor can act on.
//!
//! serde_yaml reports positions relative to the text it was given and phrases
//! errors for programmers ("unknown field"). This module shifts positions to
//! the editor's file and rewrites the common messages with a hint.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

/// Deserializes `text`, which starts on line `first_line` of the file at `path`.
/// `known_keys` feeds the "did you mean" hint for misspelt keys.
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
    known_keys: &[&str],
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, path, first_line, known_keys))
}

fn to_diagnostic(
    e: &serde_yaml::Error,
    path: &Path,
    first_line: usize,
    known_keys: &[&str],
) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; we print the position ourselves.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let mut d = match unknown_field(&message) {
        Some(key) => unknown_key(path, key, known_keys),
        None => Diagnostic::error(path, friendly(&message)),
    };
    if let Some(loc) = e.location() {
        d = d.at(first_line + loc.line() - 1, loc.column());
    }
    if d.hint.is_none() {
        d = d.hint(
            "check the indentation and that each line reads `key: value` with an ASCII colon and a space",
        );
    }
    d
}

/// An "unknown key" diagnostic with the closest known key as a hint.
pub fn unknown_key(path: &Path, key: &str, known_keys: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(path, format!("unknown key `{key}`"));
    match did_you_mean(key, known_keys) {
        Some(best) => d.hint(format!("did you mean `{best}`?")),
        None => d.hint(format!("known keys are: {}", known_keys.join(", "))),
    }
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = &message[message.find("unknown field `")? + "unknown field `".len()..];
    Some(&rest[..rest.find('`')?])
}

/// The closest candidate, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn friendly(message: &str) -> String {
    message
        .replace("invalid type: ", "wrong kind of value: found ")
        .replace(
            ", expected a sequence",
            ", expected a list like [\"a\", \"b\"]",
        )
        .replace(", expected a string", ", expected text")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(did_you_mean("titel", &["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("tag", &["tags", "title"]), Some("tags"));
        assert_eq!(did_you_mean("zzz", &["title", "date"]), None);
    }
}
