//! What a deploy must do: compare the local files with what the remote
//! holds and with the manifest pufa keeps there. Pure: no I/O.
//!
//! **The manifest** (`.pufa-deploy.json` under the target's prefix) records,
//! for every object pufa put there, the MD5 of the local file, the ETag the
//! store answered, and the headers it was sent with. It serves three ends:
//! headers are compared too (the ETag covers only the bytes); stores whose
//! ETag is not an MD5 still skip unchanged files; and pufa deletes only
//! objects it put there, so files somebody else keeps in the bucket (a
//! WeChat `MP_verify_*.txt`, another site under another prefix) stay.
//!
//! Before uploading, pufa writes the manifest with every key it is about to
//! upload already in it (without an ETag): a deploy killed halfway has
//! claimed what it may have put there, so the next one can delete it if
//! the site no longer has it.
//!
//! **Trusting it.** The manifest a deploy writes when it has finished is
//! marked `complete`: it is then exactly what the store holds, so the next
//! deploy compares with it alone and lists nothing (listing 16,000 keys
//! costs the server seconds; reading the manifest is one request). A claim
//! is not complete, so a deploy after a failed or killed one lists the
//! store and checks ETags; so does `--verify`, which also finds objects
//! changed or deleted behind pufa's back.
//!
//! It is stored gzipped (a quarter of the bytes: it is written twice per
//! deploy that changes something); plain JSON from older pufa is read too.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::headers::Class;

/// The manifest's key under the target's prefix.
pub const MANIFEST: &str = ".pufa-deploy.json";

/// A file of the built site, ready to be compared.
#[derive(Debug, Clone)]
pub struct LocalFile {
    pub key: String,
    pub path: std::path::PathBuf,
    pub size: u64,
    /// MD5 of the file as it is on disk (before any compression), hex.
    pub md5: String,
    pub headers: Headers,
    pub class: Class,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headers {
    pub content_type: String,
    pub cache_control: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
}

/// One object as the remote lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteObject {
    /// Without quotes, lower case.
    pub etag: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// Written by a deploy that finished: the store holds exactly `files`.
    #[serde(default)]
    pub complete: bool,
    pub files: BTreeMap<String, ManifestEntry>,
}

impl Manifest {
    /// What the store holds, as far as a complete manifest knows: the
    /// listing it stands in for.
    pub fn as_listing(&self) -> rustc_hash::FxHashMap<String, RemoteObject> {
        self.files
            .iter()
            .filter_map(|(key, e)| {
                let etag = e.etag.clone()?;
                Some((key.clone(), RemoteObject { etag, size: 0 }))
            })
            .collect()
    }

    /// The bytes stored: gzipped JSON.
    pub fn encode(&self) -> Vec<u8> {
        use std::io::Write;
        let json = serde_json::to_vec(self).expect("a manifest serialises");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&json).expect("writing to memory");
        gz.finish().expect("writing to memory")
    }

    /// Reads what `encode` wrote, or the plain JSON of older versions.
    pub fn decode(bytes: &[u8]) -> Result<Manifest, String> {
        use std::io::Read;
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(bytes)
                .read_to_end(&mut json)
                .map_err(|e| e.to_string())?;
            serde_json::from_slice(&json).map_err(|e| e.to_string())
        } else {
            serde_json::from_slice(bytes).map_err(|e| e.to_string())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub md5: String,
    /// The store's ETag after the upload; absent while only claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(flatten)]
    pub headers: Headers,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The remote does not have it.
    New,
    /// Its bytes or headers differ.
    Changed,
    /// Its manifest entry was only claimed: its bytes must be compared.
    Unsure,
}

#[derive(Debug, Default)]
pub struct Plan {
    /// Indices into the local files, with the reason.
    pub uploads: Vec<(usize, Why)>,
    /// Keys pufa put there that the site no longer has.
    pub deletions: Vec<String>,
    /// Objects under the prefix that pufa did not put there (left alone).
    pub foreign: usize,
    pub unchanged: usize,
}

/// Compares. `Why::Unsure` uploads are decided by the caller, which
/// compares the bytes it would send with the remote ETag.
pub fn plan(
    local: &[LocalFile],
    remote: &rustc_hash::FxHashMap<String, RemoteObject>,
    manifest: &Manifest,
) -> Plan {
    let mut plan = Plan::default();
    let mut present = rustc_hash::FxHashSet::default();
    for (i, f) in local.iter().enumerate() {
        present.insert(f.key.as_str());
        let Some(r) = remote.get(&f.key) else {
            plan.uploads.push((i, Why::New));
            continue;
        };
        match manifest.files.get(&f.key) {
            Some(m) if m.headers != f.headers => plan.uploads.push((i, Why::Changed)),
            Some(m) if m.etag.is_none() => plan.uploads.push((i, Why::Unsure)),
            Some(m) if m.md5 == f.md5 && m.etag.as_deref() == Some(r.etag.as_str()) => {
                plan.unchanged += 1;
            }
            // A store that lists no ETags (s3s-fs): trust the finished
            // upload the manifest records, and the size where it is the
            // file's own.
            Some(m)
                if r.etag.is_empty()
                    && m.etag.is_some()
                    && m.md5 == f.md5
                    && (f.headers.content_encoding.is_some() || r.size == f.size) =>
            {
                plan.unchanged += 1;
            }
            // Changed locally, changed remotely behind pufa's back, or
            // never recorded (its headers are unknown).
            _ => plan.uploads.push((i, Why::Changed)),
        }
    }
    for key in remote.keys() {
        if present.contains(key.as_str()) || key == MANIFEST {
            continue;
        }
        if manifest.files.contains_key(key) {
            plan.deletions.push(key.clone());
        } else {
            plan.foreign += 1;
        }
    }
    plan.deletions.sort_unstable();
    plan
}

/// The manifest to write before uploading: what is there, plus a claim on
/// every key about to be uploaded.
pub fn claimed(old: &Manifest, local: &[LocalFile], plan: &Plan) -> Manifest {
    let mut m = old.clone();
    m.version = 1;
    m.complete = false;
    for &(i, _) in &plan.uploads {
        let f = &local[i];
        let keep = m
            .files
            .get(&f.key)
            .is_some_and(|e| e.md5 == f.md5 && e.headers == f.headers && e.etag.is_some());
        if !keep {
            m.files.insert(
                f.key.clone(),
                ManifestEntry {
                    md5: f.md5.clone(),
                    etag: None,
                    headers: f.headers.clone(),
                },
            );
        }
    }
    m
}

/// Normalises an ETag as stores send it (`"ABC…"`, `W/"…"`).
pub fn normal_etag(etag: &str) -> String {
    etag.trim_start_matches("W/")
        .trim_matches('"')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(key: &str, md5: &str) -> LocalFile {
        LocalFile {
            key: key.into(),
            path: key.into(),
            size: 1,
            md5: md5.into(),
            headers: Headers {
                content_type: "text/html; charset=utf-8".into(),
                cache_control: "no-cache".into(),
                content_encoding: None,
            },
            class: Class::Page,
        }
    }

    fn entry(f: &LocalFile, etag: Option<&str>) -> ManifestEntry {
        ManifestEntry {
            md5: f.md5.clone(),
            etag: etag.map(str::to_string),
            headers: f.headers.clone(),
        }
    }

    #[test]
    fn unchanged_new_changed_and_deleted() {
        let local = vec![file("a", "1"), file("b", "2"), file("c", "3")];
        let mut remote = rustc_hash::FxHashMap::default();
        let obj = |e: &str| RemoteObject {
            etag: e.into(),
            size: 1,
        };
        remote.insert("a".to_string(), obj("ea"));
        remote.insert("b".to_string(), obj("eb"));
        remote.insert("gone".to_string(), obj("eg"));
        remote.insert("MP_verify_x.txt".to_string(), obj("ev"));
        remote.insert(MANIFEST.to_string(), obj("em"));
        let mut m = Manifest::default();
        m.files.insert("a".into(), entry(&local[0], Some("ea")));
        m.files
            .insert("b".into(), entry(&file("b", "old"), Some("eb")));
        m.files
            .insert("gone".into(), entry(&file("gone", "9"), Some("eg")));
        let p = plan(&local, &remote, &m);
        assert_eq!(p.uploads, vec![(1, Why::Changed), (2, Why::New)]);
        assert_eq!(p.deletions, vec!["gone".to_string()]);
        assert_eq!((p.unchanged, p.foreign), (1, 1));
    }

    /// A remote holding `a`, ETag `ea`.
    fn remote_a() -> rustc_hash::FxHashMap<String, RemoteObject> {
        let obj = RemoteObject {
            etag: "ea".into(),
            size: 1,
        };
        [("a".to_string(), obj)].into_iter().collect()
    }

    #[test]
    fn new_headers_mean_a_new_upload() {
        let local = vec![file("a", "1")];
        let remote = remote_a();
        let mut m = Manifest::default();
        let mut e = entry(&local[0], Some("ea"));
        e.headers.cache_control = "public, max-age=60".into();
        m.files.insert("a".into(), e);
        assert_eq!(plan(&local, &remote, &m).uploads, vec![(0, Why::Changed)]);
    }

    #[test]
    fn a_store_that_lists_no_etags_still_skips_what_was_uploaded() {
        let local = vec![file("a", "1"), file("b", "2")];
        let obj = |size| RemoteObject {
            etag: String::new(),
            size,
        };
        let remote: rustc_hash::FxHashMap<String, RemoteObject> =
            [("a".to_string(), obj(1)), ("b".to_string(), obj(7))]
                .into_iter()
                .collect();
        let mut m = Manifest::default();
        m.files.insert("a".into(), entry(&local[0], Some("ea")));
        m.files.insert("b".into(), entry(&local[1], Some("eb")));
        // b's size differs from the file's: uploaded again.
        assert_eq!(plan(&local, &remote, &m).uploads, vec![(1, Why::Changed)]);
    }

    #[test]
    fn claims_are_checked_by_their_bytes() {
        let local = vec![file("a", "1")];
        let remote = remote_a();
        let mut m = Manifest::default();
        m.files.insert("a".into(), entry(&local[0], None));
        let p = plan(&local, &remote, &m);
        assert_eq!(p.uploads, vec![(0, Why::Unsure)]);
        let c = claimed(&m, &local, &p);
        assert_eq!(c.files["a"].etag, None);
    }

    #[test]
    fn a_complete_manifest_stands_for_the_listing() {
        let local = vec![file("a", "1"), file("b", "2")];
        let mut m = Manifest {
            complete: true,
            ..Manifest::default()
        };
        m.files.insert("a".into(), entry(&local[0], Some("ea")));
        m.files
            .insert("b".into(), entry(&file("b", "old"), Some("eb")));
        m.files
            .insert("gone".into(), entry(&file("gone", "9"), Some("eg")));
        let p = plan(&local, &m.as_listing(), &m);
        assert_eq!(p.uploads, vec![(1, Why::Changed)]);
        assert_eq!(p.deletions, vec!["gone".to_string()]);
        assert_eq!(p.unchanged, 1);
        assert!(!claimed(&m, &local, &p).complete);
    }

    #[test]
    fn manifests_round_trip_gzipped_and_plain_ones_still_read() {
        let mut m = Manifest {
            version: 1,
            complete: true,
            ..Manifest::default()
        };
        m.files
            .insert("a/index.html".into(), entry(&file("a", "1"), Some("e")));
        let bytes = m.encode();
        assert_eq!(&bytes[..2], &[0x1f, 0x8b]);
        assert_eq!(Manifest::decode(&bytes), Ok(m.clone()));
        let old = serde_json::to_vec(&Manifest {
            complete: false,
            ..m.clone()
        })
        .unwrap();
        let read = Manifest::decode(&old).unwrap();
        assert!(!read.complete);
        assert_eq!(read.files, m.files);
        assert!(Manifest::decode(b"\x1f\x8bnot gzip").is_err());
    }

    #[test]
    fn etags_are_normalised() {
        assert_eq!(normal_etag("\"5D41402ABC\""), "5d41402abc");
        assert_eq!(normal_etag("W/\"ab\""), "ab");
    }
}
