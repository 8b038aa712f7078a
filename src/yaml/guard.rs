//! Bounded cost for YAML: checks run before serde_yaml reads a text.
//!
//! Two shapes of YAML cost far more than their size:
//!
//! - **deep nesting**: libyaml looks through every open flow collection
//!   (`[[[[…`) for each token, so 100,000 levels took 21 s; and serde_yaml
//!   only counts depth once the whole text is parsed;
//! - **alias bombs**: each `*alias` repeats its `&anchor`'s value, and
//!   anchors can hold aliases, so a few lines expand to gigabytes; serde_yaml
//!   counts alias uses, not what they expand to.
//!
//! [`check`] reads the text once, as libyaml's scanner would (indentation,
//! flow brackets, quotes, block scalars, comments), without allocating per
//! byte, and refuses more than [`MAX_DEPTH`] levels of nesting. Only a text
//! with both an anchor and an alias is then walked through serde_yaml
//! without keeping anything, counting the bytes its aliases expand to.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};

/// Levels of nesting (block and flow collections together) a YAML text may
/// have. Front matter needs three, site.yaml four.
pub const MAX_DEPTH: usize = 64;

/// What aliases may expand a text to, beyond [`PER_BYTE`] for each byte of
/// it: enough for any real use of anchors, and far below what hurts.
const EXPANSION_BUDGET: u64 = 4 * 1024 * 1024;

/// Allowance per byte of text: each value costs its bytes plus [`PER_VALUE`],
/// and no text without aliases comes near 40 per byte (`{a,b,c}` is 32).
const PER_BYTE: u64 = 40;

/// What a value costs beside its text: about the memory a parsed value takes.
const PER_VALUE: u64 = 32;

/// Why a text was refused; lines and columns are 1-based, in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nesting went past [`MAX_DEPTH`] here.
    TooDeep { line: usize, column: usize },
    /// Aliases expand the text past its budget (in bytes); `alias` is the
    /// first alias in the part of the text that did it.
    Expands {
        line: usize,
        column: usize,
        alias: String,
        budget: u64,
    },
}

/// Refuses `text` if it is nested too deeply or its aliases expand too far.
pub fn check(text: &str) -> Result<(), Refusal> {
    let shape = Scanner::new(text).run()?;
    if shape.has_anchor && !shape.aliases.is_empty() {
        check_expansion(text, &shape.aliases)?;
    }
    Ok(())
}

/// What the scan found.
#[derive(Default)]
struct Shape {
    has_anchor: bool,
    /// Byte offset of each `*alias`.
    aliases: Vec<usize>,
}

/// A single pass over the text with libyaml's idea of tokens: enough of it
/// to know the nesting depth, and where anchors and aliases are.
///
/// It only ever errs towards seeing more syntax than libyaml (a quote or a
/// block scalar it is unsure of is read as ordinary tokens), so nesting
/// cannot hide from it inside something libyaml reads as text.
struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    /// Offset where the current line starts (after a line break).
    line_start: usize,
    /// Open flow collections (`[`, `{`).
    flow: usize,
    /// libyaml's block indentation: the column of the innermost block
    /// collection, -1 outside all; `indents` holds the outer ones.
    indent: isize,
    indents: Vec<isize>,
    /// Whether the next token may start a simple key (`key:`), and the
    /// column of the last token that could.
    key_allowed: bool,
    key_column: Option<usize>,
    shape: Shape,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            b: text.as_bytes(),
            i: 0,
            line_start: 0,
            flow: 0,
            indent: -1,
            indents: Vec::new(),
            key_allowed: true,
            key_column: None,
            shape: Shape::default(),
        }
    }

    fn run(mut self) -> Result<Shape, Refusal> {
        let mut first_on_line = true;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if c == b' ' || c == b'\t' {
                self.i += 1;
                continue;
            }
            if let Some(n) = break_len(self.b, self.i) {
                self.new_line(n);
                first_on_line = true;
                continue;
            }
            let column = self.i - self.line_start;
            if first_on_line && self.flow == 0 {
                if column == 0 && self.document_marker() {
                    self.unroll(-1);
                    self.skip_line();
                    continue;
                }
                if column == 0 && c == b'%' {
                    self.skip_line(); // a directive
                    continue;
                }
                self.unroll(column as isize);
                self.key_allowed = true;
            }
            first_on_line = false;
            if self.key_allowed {
                self.key_column = Some(column);
            }
            self.token(c, column)?;
        }
        Ok(self.shape)
    }

    /// Reads the token starting at `self.i` with byte `c`.
    fn token(&mut self, c: u8, column: usize) -> Result<(), Refusal> {
        let next_blank = is_blank_or_end(self.b, self.i + 1);
        match c {
            b'#' => self.skip_to_break(),
            b'[' | b'{' => {
                self.flow += 1;
                self.check_depth()?;
                self.i += 1;
                self.key_allowed = true;
            }
            b']' | b'}' => {
                self.flow = self.flow.saturating_sub(1);
                self.i += 1;
                self.key_allowed = false;
            }
            b',' => {
                self.i += 1;
                self.key_allowed = true;
            }
            b'-' if next_blank => {
                self.roll(column)?;
                self.i += 1;
                self.key_allowed = true;
            }
            b'?' if next_blank || self.flow > 0 => {
                self.roll(column)?;
                self.i += 1;
                self.key_allowed = true;
            }
            b':' if next_blank || self.flow > 0 => {
                if let Some(key) = self.key_column.take() {
                    self.roll(key)?;
                }
                self.i += 1;
                self.key_allowed = self.flow == 0;
            }
            b'*' | b'&' => {
                if c == b'*' {
                    self.shape.aliases.push(self.i);
                } else {
                    self.shape.has_anchor = true;
                }
                self.i += 1;
                while self.i < self.b.len() && is_anchor_char(self.b[self.i]) {
                    self.i += 1;
                }
                self.key_allowed = false;
            }
            b'!' => {
                // A tag runs to a blank (or, in a flow, to its punctuation).
                while self.i < self.b.len()
                    && !is_blank_or_end(self.b, self.i)
                    && !(self.flow > 0
                        && matches!(self.b[self.i], b',' | b'[' | b']' | b'{' | b'}'))
                {
                    self.i += 1;
                }
                self.key_allowed = false;
            }
            b'|' | b'>' if self.flow == 0 => self.block_scalar(),
            b'\'' => self.quoted(b'\''),
            b'"' => self.quoted(b'"'),
            _ => self.plain(),
        }
        Ok(())
    }

    /// libyaml's `roll_indent`: a block collection starts at `column`.
    fn roll(&mut self, column: usize) -> Result<(), Refusal> {
        if self.flow > 0 || self.indent >= column as isize {
            return Ok(());
        }
        self.indents.push(self.indent);
        self.indent = column as isize;
        self.check_depth()
    }

    /// libyaml's `unroll_indent`: block collections deeper than `column` end.
    fn unroll(&mut self, column: isize) {
        while self.indent > column {
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn check_depth(&self) -> Result<(), Refusal> {
        if self.indents.len() + self.flow <= MAX_DEPTH {
            return Ok(());
        }
        let (line, column) = line_column(self.b, self.i.min(self.b.len()));
        Err(Refusal::TooDeep { line, column })
    }

    fn new_line(&mut self, break_len: usize) {
        self.i += break_len;
        self.line_start = self.i;
    }

    fn skip_to_break(&mut self) {
        while self.i < self.b.len() && break_len(self.b, self.i).is_none() {
            self.i += 1;
        }
    }

    fn skip_line(&mut self) {
        self.skip_to_break();
        if let Some(n) = break_len(self.b, self.i) {
            self.new_line(n);
        }
    }

    /// `---` or `...` at the start of a line, then a blank.
    fn document_marker(&self) -> bool {
        let rest = &self.b[self.i..];
        (rest.starts_with(b"---") || rest.starts_with(b"..."))
            && is_blank_or_end(self.b, self.i + 3)
    }

    /// A quoted scalar, to its closing quote (line breaks included).
    fn quoted(&mut self, quote: u8) {
        self.i += 1;
        while self.i < self.b.len() {
            let c = self.b[self.i];
            if let Some(n) = break_len(self.b, self.i) {
                self.new_line(n);
                continue;
            }
            self.i += 1;
            if quote == b'"' && c == b'\\' {
                if let Some(n) = break_len(self.b, self.i) {
                    self.new_line(n);
                } else {
                    self.i += 1;
                }
            } else if c == quote {
                if quote == b'\'' && self.b.get(self.i) == Some(&b'\'') {
                    self.i += 1; // '' is a quote inside
                } else {
                    break;
                }
            }
        }
        self.key_allowed = false;
    }

    /// A plain scalar: to `: `, ` #`, a flow indicator inside a flow, or the
    /// end of its last line (it goes on over lines indented past the block).
    fn plain(&mut self) {
        self.key_allowed = false;
        loop {
            while self.i < self.b.len() {
                let c = self.b[self.i];
                if break_len(self.b, self.i).is_some() {
                    break;
                }
                let ends = (c == b':'
                    && (is_blank_or_end(self.b, self.i + 1)
                        || (self.flow > 0
                            && matches!(
                                self.b.get(self.i + 1),
                                Some(b',' | b'[' | b']' | b'{' | b'}')
                            ))))
                    || (self.flow > 0 && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
                    || (c == b'#' && self.i > 0 && matches!(self.b[self.i - 1], b' ' | b'\t'));
                if ends {
                    return;
                }
                self.i += 1;
            }
            // At a line break: the scalar goes on if the next line with
            // something on it is indented past the block (any line inside
            // a flow), and is not a document marker.
            let mut j = self.i;
            let mut line_start = self.line_start;
            while let Some(n) = break_len(self.b, j) {
                j += n;
                line_start = j;
                while j < self.b.len() && matches!(self.b[j], b' ' | b'\t') {
                    j += 1;
                }
            }
            let indented = (j - line_start) as isize > self.indent || self.flow > 0;
            let marker = j == line_start
                && (self.b[j..].starts_with(b"---") || self.b[j..].starts_with(b"..."))
                && is_blank_or_end(self.b, j + 3);
            if j == self.i || j >= self.b.len() || !indented || marker || self.b[j] == b'#' {
                return;
            }
            self.i = j;
            self.line_start = line_start;
        }
    }

    /// `|` or `>` and the lines of text under it.
    fn block_scalar(&mut self) {
        self.i += 1;
        let mut explicit = None;
        for _ in 0..2 {
            match self.b.get(self.i) {
                Some(&d @ b'1'..=b'9') => {
                    explicit = Some(usize::from(d - b'0'));
                    self.i += 1;
                }
                Some(b'+' | b'-') => self.i += 1,
                _ => break,
            }
        }
        self.skip_to_break();
        let parent = self.indent.max(-1);
        // The text's indentation: given, or that of its first line that has
        // something on it (at least one past the block it is in).
        let indent = match explicit {
            Some(n) => (parent.max(0) as usize) + n,
            None => {
                let mut most = 0;
                let mut j = self.i;
                while let Some(n) = break_len(self.b, j) {
                    j += n;
                    let spaces = self.b[j..].iter().take_while(|&&c| c == b' ').count();
                    most = most.max(spaces);
                    j += spaces;
                }
                most.max((parent + 1) as usize).max(1)
            }
        };
        // Lines indented that far, and empty lines, are text.
        loop {
            let Some(n) = break_len(self.b, self.i) else {
                return;
            };
            let start = self.i + n;
            let spaces = self.b[start..].iter().take_while(|&&c| c == b' ').count();
            let empty =
                start + spaces >= self.b.len() || break_len(self.b, start + spaces).is_some();
            if spaces < indent && !empty {
                return; // the next line is read as tokens
            }
            self.new_line(n);
            self.skip_to_break();
        }
    }
}

/// The length of the line break at `i` (CR LF, LF, CR, NEL, LS, PS: libyaml's).
fn break_len(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i..)? {
        [b'\r', b'\n', ..] => Some(2),
        [b'\n' | b'\r', ..] => Some(1),
        [0xC2, 0x85, ..] => Some(2),
        [0xE2, 0x80, 0xA8 | 0xA9, ..] => Some(3),
        _ => None,
    }
}

fn is_blank_or_end(b: &[u8], i: usize) -> bool {
    i >= b.len() || matches!(b[i], b' ' | b'\t') || break_len(b, i).is_some()
}

/// libyaml's anchor names: ASCII letters, digits, `_` and `-`.
fn is_anchor_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// 1-based line (counting line feeds, as editors do) and character column
/// of byte `i`. For an error: reads the text up to `i`.
fn line_column(b: &[u8], i: usize) -> (usize, usize) {
    let text = String::from_utf8_lossy(&b[..i]);
    crate::diagnostics::line_col(&text, text.len())
}

// ---------------------------------------------------------------------------
// What aliases expand to.

/// Walks `text` through serde_yaml, counting, and refuses it past its budget
/// (or past serde_yaml's own limit on alias uses).
fn check_expansion(text: &str, aliases: &[usize]) -> Result<(), Refusal> {
    let budget = EXPANSION_BUDGET + PER_BYTE * text.len() as u64;
    let counter = Counter {
        used: Cell::new(0),
        budget,
    };
    let mut key = None;
    let result = Root {
        counter: &counter,
        key: &mut key,
    }
    .deserialize(serde_yaml::Deserializer::from_str(text));
    let Err(e) = result else {
        return Ok(());
    };
    let message = e.to_string();
    if !message.contains(OVER_BUDGET) && !message.starts_with("repetition limit exceeded") {
        return Ok(()); // any other error is the real reading's to report
    }
    // The first alias in the top-level entry being expanded, else the first.
    let from = key
        .and_then(|k: String| crate::yaml::key_line(text, &k))
        .map_or(0, |line| line_offset(text, line));
    let at = aliases
        .iter()
        .copied()
        .find(|&a| a >= from)
        .unwrap_or(aliases[0]);
    let (line, column) = crate::diagnostics::line_col(text, at);
    let alias = text[at..]
        .char_indices()
        .skip(1)
        .find(|&(_, c)| !(c.is_ascii() && is_anchor_char(c as u8)))
        .map_or(&text[at..], |(end, _)| &text[at..at + end])
        .to_string();
    Err(Refusal::Expands {
        line,
        column,
        alias,
        budget,
    })
}

/// The byte offset where 1-based `line` starts.
fn line_offset(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(line - 2)
        .map_or(text.len(), |i| i + 1)
}

/// The message of the error that stops the count.
const OVER_BUDGET: &str = "pufa: YAML expansion over budget";

struct Counter {
    used: Cell<u64>,
    budget: u64,
}

impl Counter {
    fn add<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let used = self
            .used
            .get()
            .saturating_add(bytes as u64)
            .saturating_add(PER_VALUE);
        self.used.set(used);
        if used > self.budget {
            return Err(E::custom(OVER_BUDGET));
        }
        Ok(())
    }
}

/// The document: a mapping's keys are noted, to place the error.
struct Root<'c, 'k> {
    counter: &'c Counter,
    key: &'k mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for Root<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.counter.add(0)?;
        while let Some(key) = map.next_key_seed(Key(self.counter))? {
            *self.key = key;
            map.next_value_seed(Count(self.counter))?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Count(self.counter).visit_seq(seq)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        Count(self.counter).visit_enum(data)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.counter.add(v.len())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.counter.add(0)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.counter.add(0)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.counter.add(0)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.counter.add(0)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.counter.add(0)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.counter.add(0)
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.counter.add(0)
    }
}

/// A top-level key: its text when it is one, counted like any value.
struct Key<'c>(&'c Counter);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
        self.0.add(v.len())?;
        Ok(Some(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<String>, E> {
        Count(self.0).visit_bool(v).map(|()| None)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<String>, E> {
        Count(self.0).visit_i64(v).map(|()| None)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<String>, E> {
        Count(self.0).visit_u64(v).map(|()| None)
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Option<String>, E> {
        Count(self.0).visit_i128(v).map(|()| None)
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Option<String>, E> {
        Count(self.0).visit_u128(v).map(|()| None)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<String>, E> {
        Count(self.0).visit_f64(v).map(|()| None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Count(self.0).visit_unit().map(|()| None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<String>, A::Error> {
        Count(self.0).visit_seq(seq).map(|()| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<String>, A::Error> {
        Count(self.0).visit_map(map).map(|()| None)
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Option<String>, A::Error> {
        Count(self.0).visit_enum(data).map(|()| None)
    }
}

/// Any value, counted and dropped.
#[derive(Clone, Copy)]
struct Count<'c>(&'c Counter);

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.add(v.len())
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<(), E> {
        self.0.add(v.len())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.0.add(0)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.add(0)?;
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.add(0)?;
        while map.next_entry_seed(self, self)?.is_some() {}
        Ok(())
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): the tag, then the value.
        use serde::de::VariantAccess;
        let ((), variant) = data.variant_seed(self)?;
        variant.newtype_variant_seed(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_refused(text: &str) -> Option<(usize, usize)> {
        match check(text) {
            Err(Refusal::TooDeep { line, column }) => Some((line, column)),
            _ => None,
        }
    }

    #[test]
    fn ordinary_yaml_passes() {
        let texts = [
            "title: 标题\ndate: 2026-01-01\ntags: [甲, 乙]\n",
            "menu:\n  - name: 首页\n    url: /\n  - { name: 关于, url: /about/ }\n",
            "summary: |\n  第一行 [[[[ {{{{\n    \"未闭合\n  第三行\n",
            "title: 第[1]条 \"引号 [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
            "title: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\n",
            "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\na: 1\n",
            "a: &x [1, 2]\nb: *x\nc: [*x, *x]\n",
        ];
        for text in texts {
            assert_eq!(check(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn deep_flow_and_block_nesting_are_refused_where_they_get_too_deep() {
        let flow = format!("tags: {}x{}\n", "[".repeat(100_000), "]".repeat(100_000));
        // The mapping is one level, so the 64th bracket is one too many.
        assert_eq!(depth_refused(&flow), Some((1, 6 + MAX_DEPTH)));
        let block = format!("a:\n{}x\n", "- ".repeat(1000));
        assert!(depth_refused(&block).is_some());
        let indented: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(
            depth_refused(&indented).map(|(l, _)| l),
            Some(MAX_DEPTH + 1)
        );
        let mixed = format!("a: {}\n", "[{a: ".repeat(50));
        assert!(depth_refused(&mixed).is_some());
        // Just within the limit.
        let ok = format!(
            "a: {}x{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(check(&ok), Ok(()));
    }

    #[test]
    fn nesting_cannot_hide_where_libyaml_sees_syntax() {
        // A quote inside a plain scalar, continued on the next line, opens nothing.
        let texts = [
            format!("a: x\n  \"\nb: {}\n", "[".repeat(100)),
            format!("a: [x\n\"y, {}\n", "[".repeat(100)),
            format!("a: x\r{}\n", "[".repeat(100)),
            format!("- k: |\n  {}\n", "[".repeat(100)),
            format!("a: !t {}\n", "[".repeat(100)),
            format!("a: \"]]]]\", b: {}\n", "[".repeat(100)),
        ];
        for text in &texts {
            assert!(depth_refused(text).is_some(), "{text:?}");
        }
    }

    #[test]
    fn alias_bombs_are_refused_at_an_alias() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{prev}"); 9].join(",");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        match check(&bomb) {
            Err(Refusal::Expands { line, alias, .. }) => {
                assert!(line > 2, "{line}");
                assert_eq!(alias, format!("*{}", (b'a' + line as u8 - 2) as char));
            }
            other => panic!("{other:?}"),
        }
        // One large string repeated: few aliases, many bytes.
        let big = format!(
            "a: &a \"{}\"\nb: [{}]\n",
            "x".repeat(100_000),
            vec!["*a"; 100].join(", ")
        );
        assert!(matches!(
            check(&big),
            Err(Refusal::Expands {
                line: 2,
                column: 5,
                ..
            })
        ));
    }
}
