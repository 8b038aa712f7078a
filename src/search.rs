//! Search that works for Chinese in WeChat's browser, without a server.
//!
//! At build time [`build_index`] writes a small inverted index of the live
//! articles; `themes/default/static/search.js` loads it on the first focus
//! of the search box and answers queries in the browser.
//!
//! **Tokens.** Chinese (and other CJK) text is cut into overlapping character
//! bigrams (`家庭暴力` → 家庭 庭暴 暴力); a CJK character standing alone
//! between punctuation is a token by itself; ASCII letters and digits form
//! lower-cased words (`12338`, `app`); full-width ASCII counts as ASCII. A
//! one-character query is answered from the bigrams containing the
//! character, so single characters cost nothing extra.
//!
//! **Files** (paths relative to the site root):
//!
//! - `search/index.json`: `{"v":1,"h":version,"s":shards,"docs":[[title,url,date],…],"p":{"k":tokens,"v":postings}}`,
//!   where `k` is the tokens and `v` their postings, each joined by spaces.
//!   With more than one shard (large sites) `p` is absent and the postings
//!   are in `search/p0.json`, `search/p1.json`, …, a token in shard
//!   `fnv1a32(utf16(token)) % s`; a query loads only the shards of its tokens.
//! - Snippets: a few short passages of each article ([`snippets`]), as
//!   `"t":[[passage,…],…]` (one list per document, in the order of `docs`)
//!   inside `index.json` when everything fits in one file; else
//!   `"tb":n` and `search/t0.json`, `search/t1.json`, … each holding the
//!   lists of `n` documents (`t{doc / n}.json`), loaded only for the results
//!   on screen. No article page is fetched to show a result.
//!
//! **Postings** of a token are three lists of document numbers separated by
//! `|`: documents with the token in the title, then (of the rest) in the
//! summary, laws or tags, then only in the body; empty trailing lists are
//! dropped. A list is either ascending numbers as gaps in a base-32 varint
//! (digits `0-9a-v` end a number, `w-zA-Z-_` continue it; the first value is
//! the number itself, then each gap minus one), or `~` and a base64url
//! bitmap (bit `i % 8` of byte `i / 8` for document `i`), whichever is
//! shorter.
//!
//! **Ranking** (in search.js, mirrored by the tests here): a document
//! matches when it has every token of a 1–2 token query, or two thirds of
//! the tokens of a longer one; it scores 6 per token found in the title, 3 in
//! the summary/laws/tags, 1 in the body, plus 10 per token when its title
//! contains the whole query; ties keep the order `docs` was given in
//! (newest first).

pub mod snippets;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

#[cfg(test)]
use std::collections::HashMap;

/// One live article, as the index sees it.
pub struct SearchDoc<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// As readers see it: `2026年11月25日`.
    pub date: &'a str,
    pub summary: &'a str,
    pub laws: &'a [String],
    pub tags: &'a [String],
    /// The body as rendered HTML (its text is indexed).
    pub body_html: &'a str,
}

/// The index file, relative to the site root (the URL `index_url` points at).
pub const INDEX_PATH: &str = "search/index.json";
/// Up to this many bytes of postings stay inside `index.json`.
const SINGLE_FILE_LIMIT: usize = 512 * 1024;
/// Above it, shards of about this size.
const SHARD_TARGET: usize = 192 * 1024;
/// Documents per snippet file, when snippets are not in `index.json`.
const TEXT_BLOCK: usize = 32;
/// Longest ASCII word kept, in bytes.
const MAX_WORD: usize = 32;

const TITLE: u32 = 0;
const META: u32 = 1;
const BODY: u32 = 2;

/// Builds the index files for `docs` (in the order results should tie in:
/// newest first). Returns (path relative to the site root, bytes).
pub fn build_index(docs: &[SearchDoc<'_>]) -> Vec<(String, Vec<u8>)> {
    let n = docs.len();
    let texts: Vec<Vec<String>> = docs
        .par_iter()
        .map(|d| snippets::passages(d.summary, d.body_html))
        .collect();
    let mut encoded: Vec<(String, String)> = collect_postings(docs)
        .into_par_iter()
        .map(|(token, list)| (token.to_string(), encode_postings(list, n)))
        .collect();
    encoded.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let total: usize = encoded.iter().map(|(t, p)| t.len() + p.len() + 2).sum();
    let shards = if total <= SINGLE_FILE_LIMIT {
        1
    } else {
        total.div_ceil(SHARD_TARGET).next_power_of_two()
    };
    let mut shard_maps: Vec<Vec<&(String, String)>> = vec![Vec::new(); shards];
    for entry in &encoded {
        shard_maps[shard_of(&entry.0, shards)].push(entry);
    }
    let shard_json: Vec<String> = shard_maps.iter().map(|m| postings_json(m)).collect();
    drop(shard_maps);
    drop(encoded);

    // The version changes whenever anything in the index does; search.js
    // adds it to the URLs of the shards so that no stale copy is used.
    let mut hasher = Fnv64::default();
    for d in docs {
        for s in [d.title, d.url, d.date] {
            hasher.write(s.as_bytes());
            hasher.write(&[0]);
        }
    }
    for s in &shard_json {
        hasher.write(s.as_bytes());
        hasher.write(&[0]);
    }
    for s in texts.iter().flatten() {
        hasher.write(s.as_bytes());
        hasher.write(&[1]);
    }
    let version = format!("{:016x}", hasher.0);

    let doc_table: Vec<[&str; 3]> = docs.iter().map(|d| [d.title, d.url, d.date]).collect();
    let mut index = format!(
        "{{\"v\":1,\"h\":\"{}\",\"s\":{},\"docs\":{}",
        &version[..12],
        shards,
        serde_json::to_string(&doc_table).expect("strings serialise")
    );
    let mut files = Vec::with_capacity(1 + shards);
    if shards == 1 {
        index.push_str(",\"p\":");
        index.push_str(&shard_json[0]);
    }
    let text_json = serde_json::to_string(&texts).expect("strings serialise");
    let one_file = shards == 1 && index.len() + text_json.len() <= SINGLE_FILE_LIMIT;
    if one_file {
        index.push_str(",\"t\":");
        index.push_str(&text_json);
    } else {
        index.push_str(&format!(",\"tb\":{TEXT_BLOCK}"));
    }
    drop(text_json);
    index.push_str("}\n");
    files.push((INDEX_PATH.to_string(), index.into_bytes()));
    if shards > 1 {
        for (i, json) in shard_json.into_iter().enumerate() {
            files.push((format!("search/p{i}.json"), json.into_bytes()));
        }
    }
    if !one_file {
        for (i, block) in texts.chunks(TEXT_BLOCK).enumerate() {
            let json = serde_json::to_string(block).expect("strings serialise");
            files.push((format!("search/t{i}.json"), json.into_bytes()));
        }
    }
    files
}

/// The documents a token occurs in, each once with its best tier, in
/// ascending order, packed as LEB128 varints of `gap << 2 | tier` (a gap is
/// the distance from the previous document, minus one). A common token costs
/// about a byte per document: the postings of 10,000 articles fit in a few
/// MiB instead of the 50 MiB that `Vec<u32>` lists grown by doubling took.
#[derive(Default)]
struct Postings {
    /// The last document added, plus one (0: none yet).
    end: u32,
    bytes: Vec<u8>,
}

impl Postings {
    /// Adds document `doc` (never lower than the last one) unless it is
    /// already there: the first sighting in a document is its best tier.
    fn add(&mut self, doc: u32, tier: u32) {
        if self.end == doc + 1 {
            return;
        }
        let gap = doc - self.end;
        push_leb128(&mut self.bytes, u64::from(gap) << 2 | u64::from(tier));
        self.end = doc + 1;
    }

    /// Appends the postings of later documents.
    fn append(&mut self, later: Postings) {
        let Some((first, rest)) = read_leb128(&later.bytes) else {
            return;
        };
        // `later`'s first gap counts from document 0: re-base it on ours.
        let doc = (first >> 2) as u32;
        let gap = doc - self.end;
        push_leb128(&mut self.bytes, u64::from(gap) << 2 | (first & 3));
        self.bytes.extend_from_slice(rest);
        self.end = later.end;
    }

    /// The three lists (title, summary/laws/tags, body only) of document numbers.
    fn lists(&self) -> [Vec<u32>; 3] {
        let mut lists: [Vec<u32>; 3] = Default::default();
        let mut bytes = self.bytes.as_slice();
        let mut next = 0u32;
        while let Some((v, rest)) = read_leb128(bytes) {
            let doc = next + (v >> 2) as u32;
            lists[(v & 3) as usize].push(doc);
            next = doc + 1;
            bytes = rest;
        }
        lists
    }
}

fn push_leb128(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// One varint and the bytes after it; `None` at the end.
fn read_leb128(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut v = 0u64;
    for (i, &b) in bytes.iter().enumerate() {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((v, &bytes[i + 1..]));
        }
    }
    None
}

/// Token → postings.
///
/// Documents are cut into contiguous runs; each run gets its own map, and
/// the maps are merged in document order, so every list comes out sorted
/// without sorting. Tokens are plain values (no allocation per
/// token), which is what makes this fast: the naive version, a `String` per
/// token, took a third of the build time of a 1,000-article site.
fn collect_postings(docs: &[SearchDoc<'_>]) -> Vec<(Token, Postings)> {
    let run = docs
        .len()
        .div_ceil(rayon::current_num_threads() * 2)
        .max(64);
    let maps = docs
        .par_chunks(run)
        .enumerate()
        .map(|(r, chunk)| {
            let mut maps = TokenMaps::default();
            for (k, doc) in chunk.iter().enumerate() {
                let i = (r * run + k) as u32;
                // Best tier first: the first sighting of a token in a
                // document is its best tier; later ones are skipped.
                let mut record = |t: Token, tier: u32| maps.record(t, i, tier);
                for_each_token(doc.title, |t| record(t, TITLE));
                for_each_token(doc.summary, |t| record(t, META));
                for term in doc.laws.iter().chain(doc.tags) {
                    for_each_token(term, |t| record(t, META));
                }
                for_each_html_token(doc.body_html, |t| record(t, BODY));
            }
            maps
        })
        .reduce(TokenMaps::default, TokenMaps::append);
    let cjk = maps.cjk.into_iter().map(|(key, p)| {
        let char_of = |c: u32| char::from_u32(c).unwrap_or('\0');
        (Token::Cjk(char_of(key >> 16), char_of(key & 0xffff)), p)
    });
    cjk.chain(maps.words).collect()
}

/// Postings by token. CJK tokens, nearly all of them in Chinese text, are
/// keyed by their two characters packed in a `u32`, which hashes and
/// compares faster than the general token.
struct TokenMaps {
    cjk: FxHashMap<u32, Postings>,
    words: FxHashMap<Token, Postings>,
    /// CJK tokens recorded lately, each as `key << 32 | document + 1`, in a
    /// slot picked by its key. A third to a half of a Chinese article's
    /// bigrams repeat one already recorded for it; those skip the map.
    recent: Vec<u64>,
}

/// Slots of [`TokenMaps::recent`]: room for an article's distinct bigrams
/// (about a thousand) in a table that stays in the first-level cache.
const RECENT_BITS: u32 = 12;

impl Default for TokenMaps {
    fn default() -> Self {
        TokenMaps {
            cjk: FxHashMap::default(),
            words: FxHashMap::default(),
            recent: vec![0; 1 << RECENT_BITS],
        }
    }
}

impl TokenMaps {
    /// Adds document `doc` to the postings of `t` with `tier` (see
    /// [`Postings::add`]).
    #[inline(always)]
    fn record(&mut self, t: Token, doc: u32, tier: u32) {
        match t {
            Token::Cjk(a, b) => {
                let key = cjk_key(a, b);
                let stamp = u64::from(key) << 32 | u64::from(doc + 1);
                let slot = (key.wrapping_mul(0x9E37_79B9) >> (32 - RECENT_BITS)) as usize;
                if self.recent[slot] != stamp {
                    self.recent[slot] = stamp;
                    self.record_cjk(key, doc, tier);
                }
            }
            Token::Word(..) => self.record_word(t, doc, tier),
        }
    }

    // Out of line, so that `record`, inlined into the tokenizer's loop, stays
    // small enough to be.
    #[inline(never)]
    fn record_cjk(&mut self, key: u32, doc: u32, tier: u32) {
        self.cjk.entry(key).or_default().add(doc, tier);
    }

    #[inline(never)]
    fn record_word(&mut self, t: Token, doc: u32, tier: u32) {
        self.words.entry(t).or_default().add(doc, tier);
    }

    /// Appends the postings of later documents (maps merge in order).
    fn append(mut self, later: TokenMaps) -> TokenMaps {
        if self.cjk.is_empty() && self.words.is_empty() {
            return later;
        }
        for (key, postings) in later.cjk {
            self.cjk.entry(key).or_default().append(postings);
        }
        for (token, postings) in later.words {
            self.words.entry(token).or_default().append(postings);
        }
        self
    }
}

/// A CJK token as one number: both characters are in the Basic
/// Multilingual Plane (see [`is_cjk`]), 16 bits each.
fn cjk_key(a: char, b: char) -> u32 {
    (a as u32) << 16 | b as u32
}

/// A token, stored inline: CJK bigrams and lone characters as their
/// characters, ASCII words as up to [`MAX_WORD`] bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Token {
    /// The first character, and the second (or `'\0'` for a lone one).
    Cjk(char, char),
    Word(u8, [u8; MAX_WORD]),
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write;
        match *self {
            Token::Cjk(a, '\0') => f.write_char(a),
            Token::Cjk(a, b) => {
                f.write_char(a)?;
                f.write_char(b)
            }
            Token::Word(len, bytes) => {
                // Only ASCII alphanumerics are ever stored.
                f.write_str(std::str::from_utf8(&bytes[..len as usize]).unwrap_or_default())
            }
        }
    }
}

/// The tokens of a text, in order, with repeats.
#[cfg(test)]
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each token of `text`, in order, with repeats.
fn for_each_token(text: &str, mut f: impl FnMut(Token)) {
    let mut tokenizer = Tokenizer::default();
    for c in text.chars() {
        tokenizer.push(c, &mut f);
    }
    tokenizer.finish(&mut f);
}

/// Whether `tag` (what stands between `<` and `>`) closes an element, and
/// the element's name as written (`h2` in `/h2` or `h2 id="x"`).
pub(crate) fn tag_name(tag: &str) -> (bool, &str) {
    let closing = tag.starts_with('/');
    let name = tag.trim_start_matches('/');
    let end = name
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    (closing, &name[..end])
}

/// [`for_each_token`] over the text of an HTML fragment (an article body as
/// rendered): tags are skipped, block tags separate words, and inline tags
/// (`<strong>家</strong>庭`) do not. Named entities stand for punctuation
/// or spaces here, which separate tokens whatever they are; numeric ones are
/// decoded. Reading the HTML means the site model need not keep a second,
/// plain-text copy of every article just for the index.
fn for_each_html_token(html: &str, mut f: impl FnMut(Token)) {
    let mut tokenizer = Tokenizer::default();
    let mut rest = html;
    // memchr finds the next markup in the long runs of text far faster than
    // a search by char, which decodes every character on the way.
    while let Some(at) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        for c in rest[..at].chars() {
            tokenizer.push(c, &mut f);
        }
        rest = &rest[at..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let tag = &rest[1..end];
            let (closing, name) = tag_name(tag);
            rest = &rest[end..];
            if !closing
                && let Some(raw) = ["script", "style"]
                    .into_iter()
                    .find(|r| r.eq_ignore_ascii_case(name))
            {
                let close = format!("</{raw}");
                rest = find_ignore_case(rest, &close).map_or("", |e| &rest[e..]);
                rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            }
            if !is_inline_tag(name) {
                tokenizer.finish(&mut f);
            }
        } else {
            let entity = rest[1..]
                .char_indices()
                .take(12)
                .find(|&(_, c)| c == ';')
                .map(|(i, _)| &rest[1..1 + i]);
            match entity {
                Some(name) => {
                    let c = name
                        .strip_prefix('#')
                        .and_then(|n| match n.strip_prefix(['x', 'X']) {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => n.parse().ok(),
                        })
                        .and_then(char::from_u32)
                        .unwrap_or(' ');
                    tokenizer.push(c, &mut f);
                    rest = &rest[name.len() + 2..];
                }
                None => {
                    tokenizer.push('&', &mut f);
                    rest = &rest[1..];
                }
            }
        }
    }
    for c in rest.chars() {
        tokenizer.push(c, &mut f);
    }
    tokenizer.finish(&mut f);
}

/// Where `needle` (ASCII, starting with `<`) first occurs in `haystack`,
/// in any case: memchr to each `<`, then a comparison of the rest.
fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let (first, rest) = needle.as_bytes().split_first()?;
    memchr::memchr_iter(*first, bytes).find(|&i| {
        bytes[i + 1..]
            .get(..rest.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
    })
}

/// Tags inside a line of text: they do not separate words. One `match`
/// on the lower-cased name (an article has a hundred tags or so, and a
/// scan of the list compared each with every name).
fn is_inline_tag(name: &str) -> bool {
    let mut lower = [0u8; 6];
    let Some(buf) = lower.get_mut(..name.len()) else {
        return false;
    };
    buf.copy_from_slice(name.as_bytes());
    buf.make_ascii_lowercase();
    matches!(
        &*buf,
        b"a" | b"abbr"
            | b"b"
            | b"cite"
            | b"code"
            | b"del"
            | b"dfn"
            | b"em"
            | b"i"
            | b"ins"
            | b"kbd"
            | b"mark"
            | b"q"
            | b"s"
            | b"samp"
            | b"small"
            | b"span"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"u"
            | b"var"
    )
}

/// Cuts characters into tokens: CJK runs into bigrams (a lone character by
/// itself), ASCII letters and digits into words.
struct Tokenizer {
    /// The current CJK run: its last character and its length.
    last: char,
    run: usize,
    /// The current word, if `in_word`.
    word: [u8; MAX_WORD],
    word_len: usize,
    in_word: bool,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            last: '\0',
            run: 0,
            word: [0; MAX_WORD],
            word_len: 0,
            in_word: false,
        }
    }
}

impl Tokenizer {
    #[inline(always)]
    fn push(&mut self, c: char, f: &mut impl FnMut(Token)) {
        // CJK first: nearly every character is one, and none needs
        // normalising (nor does normalising make one).
        if is_cjk(c) {
            self.end_word(f);
            if self.run > 0 {
                f(Token::Cjk(self.last, c));
            }
            self.last = c;
            self.run += 1;
            return;
        }
        let c = normalize(c);
        if c.is_ascii_alphanumeric() {
            self.end_run(f);
            if !self.in_word {
                self.in_word = true;
                self.word = [0; MAX_WORD];
                self.word_len = 0;
            }
            // Longer words are cut at MAX_WORD bytes.
            if self.word_len < MAX_WORD {
                self.word[self.word_len] = c as u8;
                self.word_len += 1;
            }
        } else {
            self.finish(f);
        }
    }

    /// Ends the current run and word (at a separator or the end of text).
    fn finish(&mut self, f: &mut impl FnMut(Token)) {
        self.end_run(f);
        self.end_word(f);
    }

    /// A run of one CJK character is a token by itself.
    fn end_run(&mut self, f: &mut impl FnMut(Token)) {
        if self.run == 1 {
            f(Token::Cjk(self.last, '\0'));
        }
        self.run = 0;
    }

    fn end_word(&mut self, f: &mut impl FnMut(Token)) {
        if self.in_word {
            f(Token::Word(self.word_len as u8, self.word));
            self.in_word = false;
        }
    }
}

/// Full-width ASCII to ASCII, ASCII to lower case.
fn normalize(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// CJK ideographs, kana and hangul of the Basic Multilingual Plane (the same
/// test as search.js, which counts UTF-16 units).
fn is_cjk(c: char) -> bool {
    // The ideographs first: nearly every character of a Chinese text.
    matches!(c, '\u{4e00}'..='\u{9fff}')
        || matches!(c,
            '\u{3040}'..='\u{30ff}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{ac00}'..='\u{d7af}'
            | '\u{f900}'..='\u{faff}')
}

fn shard_of(token: &str, shards: usize) -> usize {
    if shards == 1 {
        return 0;
    }
    let mut h: u32 = 0x811c_9dc5;
    for unit in token.encode_utf16() {
        h ^= unit as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % shards
}

/// `{"k":"token token …","v":"postings postings …"}`: tokens and postings
/// contain no spaces, so two space-separated strings cost less than a JSON
/// object (half the size of the keys on a small site).
fn postings_json(entries: &[&(String, String)]) -> String {
    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    let values: Vec<&str> = entries.iter().map(|(_, v)| v.as_str()).collect();
    format!(
        "{{\"k\":{},\"v\":\"{}\"}}",
        serde_json::to_string(&keys.join(" ")).expect("strings serialise"),
        // Postings use only [0-9A-Za-z_~|-]: no escaping needed.
        values.join(" ")
    )
}

const END_DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE_DIGITS: &[u8; 32] = b"wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_postings(postings: Postings, n: usize) -> String {
    let lists = postings.lists();
    let mut parts: Vec<String> = lists.iter().map(|l| encode_list(l, n)).collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts.join("|")
}

fn encode_list(list: &[u32], n: usize) -> String {
    if list.is_empty() {
        return String::new();
    }
    // The bitmap is never longer than this, and the gaps take at least a
    // digit per document: once they pass it, the bitmap is shorter. Common
    // tokens (most of the postings by volume) go straight to the bitmap.
    let bitmap_len = 1 + (n.div_ceil(8) * 4).div_ceil(3);
    let mut gaps = String::with_capacity(list.len().min(bitmap_len + 1));
    let mut previous: Option<u32> = None;
    for &d in list {
        if gaps.len() > bitmap_len {
            return bitmap(list);
        }
        let v = match previous {
            None => d,
            Some(p) => d - p - 1,
        };
        push_varint(&mut gaps, v);
        previous = Some(d);
    }
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let bitmap = bitmap(list);
    if bitmap.len() < gaps.len() {
        bitmap
    } else {
        gaps
    }
}

/// `~` and the base64url bitmap of `list` (ascending document numbers).
fn bitmap(list: &[u32]) -> String {
    let mut bytes = vec![0u8; (*list.last().unwrap_or(&0) as usize) / 8 + 1];
    for &d in list {
        bytes[d as usize / 8] |= 1 << (d % 8);
    }
    format!("~{}", base64url(&bytes))
}

fn push_varint(out: &mut String, mut v: u32) {
    // At most 7 base-32 digits for a u32; on the stack, not a Vec per number
    // (millions of numbers on a large site).
    let mut digits = [0u8; 7];
    let mut n = 0;
    loop {
        digits[n] = (v % 32) as u8;
        n += 1;
        v /= 32;
        if v == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        let d = digits[i] as usize;
        out.push(if i == 0 {
            END_DIGITS[d]
        } else {
            MORE_DIGITS[d]
        } as char);
    }
}

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(BASE64URL[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[derive(Clone, Copy)]
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Decodes one list as search.js does.
    fn decode_list(s: &str) -> Vec<u32> {
        if let Some(b64) = s.strip_prefix('~') {
            let mut out = Vec::new();
            let vals: Vec<u32> = b64
                .bytes()
                .map(|c| BASE64URL.iter().position(|&x| x == c).unwrap() as u32)
                .collect();
            let mut bit = 0u32;
            for chunk in vals.chunks(4) {
                let mut n = 0u32;
                for (i, v) in chunk.iter().enumerate() {
                    n |= v << (18 - 6 * i);
                }
                for byte in 0..chunk.len().saturating_sub(1) {
                    let b = (n >> (16 - 8 * byte)) & 255;
                    for k in 0..8 {
                        if b & (1 << k) != 0 {
                            out.push(bit + k);
                        }
                    }
                    bit += 8;
                }
            }
            return out;
        }
        let mut out = Vec::new();
        let mut v = 0u32;
        let mut previous: Option<u32> = None;
        for c in s.bytes() {
            if let Some(d) = END_DIGITS.iter().position(|&x| x == c) {
                v = v * 32 + d as u32;
                let doc = previous.map_or(v, |p| p + v + 1);
                out.push(doc);
                previous = Some(doc);
                v = 0;
            } else {
                let d = MORE_DIGITS.iter().position(|&x| x == c).unwrap();
                v = v * 32 + d as u32;
            }
        }
        out
    }

    struct Index {
        titles: Vec<String>,
        postings: HashMap<String, String>,
    }

    fn read(files: &[(String, Vec<u8>)]) -> Index {
        let get = |path: &str| -> Value {
            let (_, bytes) = files.iter().find(|(p, _)| p == path).expect(path);
            serde_json::from_slice(bytes).unwrap()
        };
        let index = get(INDEX_PATH);
        let shards = index["s"].as_u64().unwrap() as usize;
        let mut postings = HashMap::new();
        let maps: Vec<Value> = if shards == 1 {
            vec![index["p"].clone()]
        } else {
            (0..shards)
                .map(|i| get(&format!("search/p{i}.json")))
                .collect()
        };
        for (i, m) in maps.iter().enumerate() {
            let keys = m["k"].as_str().unwrap();
            let values = m["v"].as_str().unwrap();
            if keys.is_empty() {
                continue;
            }
            for (k, v) in keys.split(' ').zip(values.split(' ')) {
                assert_eq!(shard_of(k, shards), i);
                postings.insert(k.to_string(), v.to_string());
            }
        }
        let titles = index["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d[0].as_str().unwrap().to_string())
            .collect();
        Index { titles, postings }
    }

    /// The ranking of search.js, for tests: document numbers, best first.
    fn search(index: &Index, query: &str) -> Vec<usize> {
        let mut q = tokens(query);
        let has_long = q.iter().any(|t| t.chars().count() > 1 || t.is_ascii());
        if has_long {
            q.retain(|t| t.chars().count() > 1 || t.is_ascii());
        }
        let mut seen = std::collections::HashSet::new();
        q.retain(|t| seen.insert(t.clone()));
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: HashMap<usize, (usize, u32)> = HashMap::new();
        for t in &q {
            // doc → best tier for this token
            let mut tiers: HashMap<usize, usize> = HashMap::new();
            let single_cjk = t.chars().count() == 1 && !t.is_ascii();
            let keys: Vec<&String> = if single_cjk {
                index
                    .postings
                    .keys()
                    .filter(|k| !k.is_ascii() && k.contains(t.as_str()))
                    .collect()
            } else {
                index
                    .postings
                    .get_key_value(t)
                    .map(|(k, _)| k)
                    .into_iter()
                    .collect()
            };
            for key in keys {
                let p = &index.postings[key];
                {
                    for (tier, list) in p.split('|').enumerate() {
                        for d in decode_list(list) {
                            let e = tiers.entry(d as usize).or_insert(tier);
                            *e = (*e).min(tier);
                        }
                    }
                }
            }
            for (d, tier) in tiers {
                let e = hits.entry(d).or_default();
                e.0 += 1;
                e.1 += [6, 3, 1][tier];
            }
        }
        let need = if q.len() <= 2 {
            q.len()
        } else {
            (2 * q.len()).div_ceil(3)
        };
        let phrase: String = query
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(normalize)
            .collect();
        let mut results: Vec<(usize, u32)> = hits
            .into_iter()
            .filter(|(_, (found, _))| *found >= need)
            .map(|(d, (_, score))| {
                let title: String = index.titles[d].chars().map(normalize).collect();
                let bonus = if title.contains(&phrase) {
                    10 * q.len() as u32
                } else {
                    0
                };
                (d, score + bonus)
            })
            .collect();
        results.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        results.into_iter().map(|(d, _)| d).collect()
    }

    fn doc<'a>(
        title: &'a str,
        summary: &'a str,
        body: &'a str,
        tags: &'a [String],
    ) -> SearchDoc<'a> {
        SearchDoc {
            title,
            url: "/x/",
            date: "2026年11月25日",
            summary,
            laws: &[],
            tags,
            body_html: body,
        }
    }

    #[test]
    fn tokens_are_bigrams_words_and_lone_characters() {
        assert_eq!(tokens("家庭暴力"), ["家庭", "庭暴", "暴力"]);
        assert_eq!(tokens("拨打12338热线"), ["拨打", "12338", "热线"]);
        assert_eq!(tokens("“家”是港湾"), ["家", "是港", "港湾"]);
        assert_eq!(tokens("ＡＰＰ和WeChat"), ["app", "和", "wechat"]);
        assert_eq!(tokens("第1079条"), ["第", "1079", "条"]);
        assert_eq!(tokens("，。 ！"), Vec::<String>::new());
    }

    #[test]
    fn html_text_is_tokenised_without_its_markup() {
        let mut got = Vec::new();
        for_each_html_token(
            "<h2 id=\"x\">求助</h2><p>家<strong>庭</strong>暴力&amp;援助&#x5BB6;&#24237;</p>\
             <script>var 恶意 = 1;</script><p>拨打<a href=\"tel:12338\">12338</a></p>a&b\
             <STYLE>p::after{content:\"样式\"}</Style><P>求<EM>助</EM></P><p>家<Span>庭</p>\
             <p>法<strongest>律</p>",
            |t| got.push(t.to_string()),
        );
        assert_eq!(
            got,
            [
                "求助", "家庭", "庭暴", "暴力", "援助", "助家", "家庭", "拨打", "12338", "a", "b",
                "求助", "家庭", "法", "律"
            ]
        );
    }

    #[test]
    fn varints_and_bitmaps_round_trip() {
        for list in [
            vec![0],
            vec![5, 6, 7, 40, 1000, 1001, 99_999],
            (0..500).step_by(2).collect(),
        ] {
            let n = 100_000;
            assert_eq!(decode_list(&encode_list(&list, n)), list);
        }
        let dense: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let encoded = encode_list(&dense, 1000);
        assert!(encoded.starts_with('~'), "{encoded}");
        assert!(encoded.len() < 200);
        assert_eq!(decode_list(&encoded), dense);
    }

    #[test]
    fn a_query_finds_the_body_and_ranks_titles_first() {
        let none: Vec<String> = Vec::new();
        let tags = vec!["抚养费".to_string()];
        let docs = [
            doc(
                "离婚冷静期",
                "三十日",
                "冷静期内任何一方可以撤回申请。",
                &none,
            ),
            doc(
                "告诫书有什么用",
                "公安机关出具",
                "邻居听到家暴可以报警，告诫书是证据。",
                &none,
            ),
            doc(
                "家暴不是家务事",
                "反家庭暴力",
                "遇到家庭暴力要及时求助。",
                &none,
            ),
            doc(
                "孩子归谁",
                "离婚后",
                "不直接抚养子女的一方应当负担费用。",
                &tags,
            ),
        ];
        let files = build_index(&docs);
        let index = read(&files);
        // 家暴: the title hit first, then the body hit.
        assert_eq!(search(&index, "家暴"), [2, 1]);
        // 抚养: the tag (抚养费) ranks above nothing else; the body also has 抚养.
        assert_eq!(search(&index, "抚养"), [3]);
        assert_eq!(search(&index, "冷静期"), [0]);
        // One character: every document with it, title first.
        assert_eq!(search(&index, "暴")[0], 2);
        assert!(search(&index, "暴").contains(&1));
        assert!(search(&index, "人身安全保护令").is_empty());
        // Snippets come from the article pages: no text files.
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn longer_queries_need_two_thirds_of_their_tokens() {
        let none: Vec<String> = Vec::new();
        let docs = [
            doc("保护令", "", "人身安全保护令可以向法院申请。", &none),
            doc("别的", "", "人身自由受到限制。", &none),
        ];
        let index = read(&build_index(&docs));
        // 人身安全保护令怎么申请: doc 0 lacks 令怎, 怎么, 么申 but has 7 of 10.
        assert_eq!(search(&index, "人身安全保护令怎么申请"), [0]);
    }

    #[test]
    fn large_indexes_are_sharded() {
        // Many distinct tokens: numbered words.
        let bodies: Vec<String> = (0..4000)
            .map(|i| (0..40).map(|k| format!("w{}x{} ", i, k)).collect())
            .collect();
        let none: Vec<String> = Vec::new();
        let docs: Vec<SearchDoc<'_>> = bodies.iter().map(|b| doc("标题", "", b, &none)).collect();
        let files = build_index(&docs);
        let index: Value = serde_json::from_slice(&files[0].1).unwrap();
        let shards = index["s"].as_u64().unwrap();
        assert!(shards > 1, "{shards}");
        assert!(index.get("p").is_none());
        let read = read(&files);
        assert_eq!(search(&read, "w123x7"), [123]);
        assert_eq!(search(&read, "W3999X39"), [3999]);
    }

    /// The index as a slow, obvious reference would build it.
    fn naive_postings(docs: &[SearchDoc<'_>]) -> HashMap<String, [Vec<u32>; 3]> {
        let mut postings: HashMap<String, [Vec<u32>; 3]> = HashMap::new();
        for (i, doc) in docs.iter().enumerate() {
            let mut best: HashMap<String, usize> = HashMap::new();
            let fields = [(doc.title, 0), (doc.summary, 1)]
                .into_iter()
                .chain(doc.laws.iter().chain(doc.tags).map(|t| (t.as_str(), 1)))
                .chain([(doc.body_html, 2)]);
            for (text, tier) in fields {
                for t in tokens(text) {
                    let e = best.entry(t).or_insert(tier);
                    *e = (*e).min(tier);
                }
            }
            for (token, tier) in best {
                postings.entry(token).or_default()[tier].push(i as u32);
            }
        }
        postings
    }

    #[test]
    fn parallel_postings_match_a_naive_index() {
        let words = [
            "家庭",
            "暴力",
            "抚养费",
            "12338",
            "App",
            "民法典",
            "第1079条",
            "，",
            " ",
        ];
        let texts: Vec<String> = (0..700usize)
            .map(|i| {
                (0..(i % 13))
                    .map(|k| words[(i * 7 + k * k) % words.len()])
                    .collect()
            })
            .collect();
        let tags = vec!["家暴".to_string()];
        let none: Vec<String> = Vec::new();
        let docs: Vec<SearchDoc<'_>> = (0..texts.len())
            .map(|i| {
                let t = if i % 5 == 0 { &tags } else { &none };
                doc(&texts[(i * 3) % 700], &texts[(i * 11) % 700], &texts[i], t)
            })
            .collect();
        let index = read(&build_index(&docs));
        let expected = naive_postings(&docs);
        assert_eq!(index.postings.len(), expected.len());
        for (token, lists) in expected {
            let got: Vec<Vec<u32>> = index.postings[&token].split('|').map(decode_list).collect();
            let mut want: Vec<Vec<u32>> = lists.to_vec();
            while want.len() > 1 && want.last().is_some_and(|l| l.is_empty()) {
                want.pop();
            }
            assert_eq!(got, want, "{token}");
        }
    }

    #[test]
    fn empty_site() {
        let files = build_index(&[]);
        assert_eq!(files.len(), 1);
        let v: Value = serde_json::from_slice(&files[0].1).unwrap();
        assert_eq!(v["docs"], Value::Array(vec![]));
    }
}
