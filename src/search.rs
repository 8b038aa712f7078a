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
//! - `search/t/<i>.json`: `[summary, body]` of document `i`, fetched only for
//!   the results on screen, to cut the highlighted snippet from.
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

use std::collections::{BTreeMap, HashMap};

/// One live article, as the index sees it.
pub struct SearchDoc<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// As readers see it: `2026年11月25日`.
    pub date: &'a str,
    pub summary: &'a str,
    pub laws: &'a [String],
    pub tags: &'a [String],
    /// Plain text of the body.
    pub body: &'a str,
}

/// The index file, relative to the site root (the URL `index_url` points at).
pub const INDEX_PATH: &str = "search/index.json";
/// Up to this many bytes of postings stay inside `index.json`.
const SINGLE_FILE_LIMIT: usize = 512 * 1024;
/// Above it, shards of about this size.
const SHARD_TARGET: usize = 192 * 1024;
/// Longest ASCII word kept, in bytes.
const MAX_WORD: usize = 32;

const TITLE: usize = 0;
const META: usize = 1;
const BODY: usize = 2;

/// Builds the index files for `docs` (in the order results should tie in:
/// newest first). Returns (path relative to the site root, bytes).
pub fn build_index(docs: &[SearchDoc<'_>]) -> Vec<(String, Vec<u8>)> {
    // token → documents, by the best field the token occurs in.
    let mut postings: BTreeMap<String, [Vec<u32>; 3]> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let mut best: HashMap<String, usize> = HashMap::new();
        let mut add = |text: &str, tier: usize| {
            for t in tokens(text) {
                let e = best.entry(t).or_insert(tier);
                *e = (*e).min(tier);
            }
        };
        add(doc.title, TITLE);
        add(doc.summary, META);
        for term in doc.laws.iter().chain(doc.tags) {
            add(term, META);
        }
        add(doc.body, BODY);
        for (token, tier) in best {
            postings.entry(token).or_default()[tier].push(i as u32);
        }
    }
    for lists in postings.values_mut() {
        for list in lists.iter_mut() {
            list.sort_unstable();
        }
    }
    let n = docs.len();
    let encoded: Vec<(String, String)> = postings
        .into_iter()
        .map(|(token, lists)| (token, encode_postings(&lists, n)))
        .collect();

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

    let texts: Vec<String> = docs
        .iter()
        .map(|d| {
            serde_json::to_string(&[squash(d.summary), squash(d.body)]).expect("strings serialise")
        })
        .collect();

    // The version changes whenever anything in the index does; search.js
    // adds it to the URLs of shards and texts so that no stale copy is used.
    let mut hasher = Fnv64::default();
    for d in docs {
        for s in [d.title, d.url, d.date] {
            hasher.write(s.as_bytes());
            hasher.write(&[0]);
        }
    }
    for s in shard_json.iter().chain(&texts) {
        hasher.write(s.as_bytes());
        hasher.write(&[0]);
    }
    let version = format!("{:016x}", hasher.0);

    let doc_table: Vec<[&str; 3]> = docs.iter().map(|d| [d.title, d.url, d.date]).collect();
    let mut index = format!(
        "{{\"v\":1,\"h\":\"{}\",\"s\":{},\"docs\":{}",
        &version[..12],
        shards,
        serde_json::to_string(&doc_table).expect("strings serialise")
    );
    let mut files = Vec::with_capacity(2 + shards + docs.len());
    if shards == 1 {
        index.push_str(",\"p\":");
        index.push_str(&shard_json[0]);
    }
    index.push_str("}\n");
    files.push((INDEX_PATH.to_string(), index.into_bytes()));
    if shards > 1 {
        for (i, json) in shard_json.into_iter().enumerate() {
            files.push((format!("search/p{i}.json"), json.into_bytes()));
        }
    }
    for (i, text) in texts.into_iter().enumerate() {
        files.push((format!("search/t/{i}.json"), text.into_bytes()));
    }
    files
}

/// The tokens of a text, in order, with repeats.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |cjk: &mut Vec<char>, out: &mut Vec<String>| {
        if cjk.len() == 1 {
            out.push(cjk[0].to_string());
        } else {
            for pair in cjk.windows(2) {
                out.push(pair.iter().collect());
            }
        }
        cjk.clear();
    };
    let flush_word = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            let mut w = std::mem::take(word);
            w.truncate(MAX_WORD);
            out.push(w);
        }
    };
    for c in text.chars().map(normalize) {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk.push(c);
        } else if c.is_ascii_alphanumeric() {
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut out);
            }
            word.push(c);
        } else {
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut out);
            }
            flush_word(&mut word, &mut out);
        }
    }
    if !cjk.is_empty() {
        flush_cjk(&mut cjk, &mut out);
    }
    flush_word(&mut word, &mut out);
    out
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
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}'
        | '\u{f900}'..='\u{faff}')
}

/// Whitespace runs to one space, ends trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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

fn encode_postings(lists: &[Vec<u32>; 3], n: usize) -> String {
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
    let mut gaps = String::new();
    let mut previous: Option<u32> = None;
    for &d in list {
        let v = match previous {
            None => d,
            Some(p) => d - p - 1,
        };
        push_varint(&mut gaps, v);
        previous = Some(d);
    }
    let bitmap_len = 1 + (n.div_ceil(8) * 4).div_ceil(3);
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bytes = vec![0u8; (*list.last().unwrap_or(&0) as usize) / 8 + 1];
    for &d in list {
        bytes[d as usize / 8] |= 1 << (d % 8);
    }
    let bitmap = format!("~{}", base64url(&bytes));
    if bitmap.len() < gaps.len() {
        bitmap
    } else {
        gaps
    }
}

fn push_varint(out: &mut String, mut v: u32) {
    let mut digits = Vec::new();
    loop {
        digits.push((v % 32) as usize);
        v /= 32;
        if v == 0 {
            break;
        }
    }
    for (i, d) in digits.iter().rev().enumerate() {
        let last = i == digits.len() - 1;
        out.push(if last {
            END_DIGITS[*d]
        } else {
            MORE_DIGITS[*d]
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
            body,
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
        // Snippet texts, one per document.
        let (_, t1) = files.iter().find(|(p, _)| p == "search/t/1.json").unwrap();
        let v: Value = serde_json::from_slice(t1).unwrap();
        assert_eq!(v[0], "公安机关出具");
        assert_eq!(v[1], "邻居听到家暴可以报警，告诫书是证据。");
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

    #[test]
    fn empty_site() {
        let files = build_index(&[]);
        assert_eq!(files.len(), 1);
        let v: Value = serde_json::from_slice(&files[0].1).unwrap();
        assert_eq!(v["docs"], Value::Array(vec![]));
    }
}
