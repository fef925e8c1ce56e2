//! The search tokenizer: one definition, implemented twice — here for the
//! index and in the runtime (`src/search/runtime/1-tokenize.js`) for queries — and proven
//! identical by `tests/search-vectors.json`, which both test suites read.
//!
//! A text becomes tokens in three steps:
//!
//! 1. normalize: NFKC (full-width `ＡＢＣ１２３` → `abc123`, compatibility
//!    ideographs → unified ones), lower case, then traditional → simplified
//!    one character at a time ([`T2S`], a plain table the runtime also gets);
//! 2. split into runs: CJK ideographs ([`is_cjk`]), word characters
//!    (Unicode `Alphabetic` or `Numeric`, in JS `[\p{Alphabetic}\p{N}]`),
//!    everything else separates;
//! 3. a CJK run gives each character and each pair of neighbours
//!    (`营业执照` → 营 营业 业 业执 执 执照 照), so any substring of two or
//!    more characters is found through its bigrams without a dictionary and
//!    without the index and the query ever segmenting words differently; a
//!    word run is one token, cut to [`MAX_WORD`] characters.
//!
//! Pinyin tokens ([`pinyin_tokens`]) are added for headline fields only: for
//! every pair of neighbouring ideographs, the full pinyin of both (`:yingye`)
//! and their initials (`!yy`). The runtime forms the same tokens from a Latin
//! query split into syllables, so it needs no pinyin table.
//!
//! Changing anything here changes the index format: bump [`VERSION`] and the
//! runtime's `TOKENIZER_VERSION` together.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// Version of the tokenizer, written to `meta.json`; the runtime refuses an
/// index made by another version.
pub const VERSION: u32 = 1;

/// Longest word token, in characters; longer words are cut.
pub const MAX_WORD: usize = 32;

/// Prefix of a full-pinyin bigram token (`:yingye`).
pub const PINYIN_FULL: char = ':';
/// Prefix of a pinyin-initials bigram token (`!yy`).
pub const PINYIN_INITIALS: char = '!';

/// The traditional → simplified table, as shipped (`繁 简` lines, `#`
/// comments).
pub const T2S: &str = include_str!("t2s.txt");

/// The table as pairs, sorted by the traditional character.
pub fn t2s_pairs() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut v: Vec<(char, char)> = T2S
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cs = l.chars().filter(|c| !c.is_whitespace());
                Some((cs.next()?, cs.next()?))
            })
            .collect();
        v.sort_unstable();
        v
    })
}

fn t2s_map() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| t2s_pairs().iter().copied().collect())
}

/// Where most of the table lies: a direct lookup for U+4E00…U+9FFF.
const DIRECT_FROM: u32 = 0x4E00;
const DIRECT_TO: u32 = 0xA000;

fn t2s_direct() -> &'static [char] {
    static DIRECT: OnceLock<Vec<char>> = OnceLock::new();
    DIRECT.get_or_init(|| {
        let mut v: Vec<char> = (DIRECT_FROM..DIRECT_TO)
            .map(|u| char::from_u32(u).unwrap_or(' '))
            .collect();
        for (t, s) in t2s_pairs() {
            let u = u32::from(*t);
            if (DIRECT_FROM..DIRECT_TO).contains(&u) {
                v[(u - DIRECT_FROM) as usize] = *s;
            }
        }
        v
    })
}

fn fold_char(c: char) -> char {
    let u = u32::from(c);
    if (DIRECT_FROM..DIRECT_TO).contains(&u) {
        t2s_direct()[(u - DIRECT_FROM) as usize]
    } else if u < 0x3400 {
        c
    } else {
        *t2s_map().get(&c).unwrap_or(&c)
    }
}

/// Whether `c` is a CJK ideograph (a character of its own in a CJK run).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0x20000..=0x323AF)
}

/// Whether `c` belongs to a word (Latin letters, digits and other scripts'
/// letters); CJK ideographs are checked first.
pub fn is_word(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// NFKC, lower case, traditional → simplified.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if normalize_fast(text, &mut out) {
        return out;
    }
    let nfkc: String = text.nfkc().collect();
    nfkc.to_lowercase().chars().map(fold_char).collect()
}

/// [`normalize`] for text made only of ASCII, ideographs of the basic block,
/// full-width ASCII and common Chinese punctuation — almost every text here —
/// where NFKC works one character at a time. `false` (and a partial `out`)
/// for anything else.
fn normalize_fast(text: &str, out: &mut String) -> bool {
    for c in text.chars() {
        let u = u32::from(c);
        let m = match u {
            0..=0x7F => c.to_ascii_lowercase(),
            0x4E00..=0x9FFF => t2s_direct()[(u - DIRECT_FROM) as usize],
            // Full-width ASCII: its compatibility decomposition is the ASCII
            // character itself.
            0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase()),
            0x3000 => ' ',
            _ if is_plain_punctuation(u) => c,
            _ => return false,
        };
        out.push(m);
    }
    true
}

/// Common Chinese punctuation without a decomposition: its own NFKC and
/// its own lower case.
fn is_plain_punctuation(u: u32) -> bool {
    matches!(
        u,
        0x00B7
            | 0x2013
            | 0x2014
            | 0x2018
            | 0x2019
            | 0x201C
            | 0x201D
            | 0x3001..=0x3003
            | 0x3008..=0x3011
            | 0x3014..=0x301B
    )
}

/// NFKC and lower case only: the text pinyin is read from (a folded
/// character may have lost its reading, as 著 → 着).
fn normalize_unfolded(text: &str) -> String {
    // ASCII, basic-block ideographs and plain punctuation are their own
    // NFKC: only ASCII letters change.
    let plain = text.chars().all(|c| {
        let u = u32::from(c);
        matches!(u, 0..=0x7F | 0x4E00..=0x9FFF) || is_plain_punctuation(u)
    });
    if plain {
        return text.to_ascii_lowercase();
    }
    let nfkc: String = text.nfkc().collect();
    nfkc.to_lowercase()
}

/// A run of the normalized text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run<'a> {
    Cjk(&'a str),
    Word(&'a str),
}

/// The CJK and word runs of an already normalized text.
pub fn runs(norm: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = 0u8; // 0 none, 1 cjk, 2 word
    for (i, c) in norm.char_indices() {
        let k = if is_cjk(c) {
            1
        } else if is_word(c) {
            2
        } else {
            0
        };
        if k != kind {
            push_run(&mut out, &norm[start..i], kind);
            start = i;
            kind = k;
        }
    }
    push_run(&mut out, &norm[start..], kind);
    out
}

fn push_run<'a>(out: &mut Vec<Run<'a>>, s: &'a str, kind: u8) {
    match kind {
        1 => out.push(Run::Cjk(s)),
        2 => out.push(Run::Word(s)),
        _ => {}
    }
}

/// Calls `f` with every token of `text`, in order (duplicates included).
pub fn each_token(text: &str, mut f: impl FnMut(&str)) {
    each_token_cjk(text, |t, _| f(t));
}

/// An ideograph token's code points: `(c, None)` for one character,
/// `(a, Some(b))` for a bigram.
pub type Cjk = (char, Option<char>);

/// [`each_token`], also giving each ideograph token's code points (`None`
/// for a word), in one pass over the normalized text.
pub fn each_token_cjk(text: &str, mut f: impl FnMut(&str, Option<Cjk>)) {
    fn word(f: &mut impl FnMut(&str, Option<Cjk>), w: &str) {
        match w.char_indices().nth(MAX_WORD) {
            Some((cut, _)) => f(&w[..cut], None),
            None => f(w, None),
        }
    }
    let norm = normalize(text);
    let mut word_start: Option<usize> = None;
    // The previous character of the current CJK run.
    let mut prev: Option<(usize, char)> = None;
    for (i, c) in norm.char_indices() {
        let end = i + c.len_utf8();
        if is_cjk(c) {
            if let Some(ws) = word_start.take() {
                word(&mut f, &norm[ws..i]);
            }
            if let Some((p, pc)) = prev {
                f(&norm[p..end], Some((pc, Some(c))));
            }
            f(&norm[i..end], Some((c, None)));
            prev = Some((i, c));
        } else {
            prev = None;
            if is_word(c) {
                word_start.get_or_insert(i);
            } else if let Some(ws) = word_start.take() {
                word(&mut f, &norm[ws..i]);
            }
        }
    }
    if let Some(ws) = word_start {
        word(&mut f, &norm[ws..]);
    }
}

/// Every token of `text`, in order. Within a CJK run the order is
/// c₀, c₀c₁, c₁, c₁c₂, c₂ … (each bigram right before its second character).
pub fn tokens(text: &str) -> Vec<String> {
    let mut v = Vec::new();
    each_token(text, |t| v.push(t.to_string()));
    v
}

/// Readings of one ideograph without tones, at most two (the common one
/// first); `ü` is written `v`, as on a keyboard.
fn readings(c: char) -> Vec<String> {
    use pinyin::ToPinyinMulti;
    let mut v: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi.into_iter().take(3) {
            let s = p.plain().replace('ü', "v").replace('ê', "e");
            if !v.contains(&s) {
                v.push(s);
            }
            if v.len() == 2 {
                break;
            }
        }
    }
    v
}

/// The toneless pinyin of a text of ideographs, first reading of each
/// (`危化品` → `weihuapin`); `None` when a character is not an ideograph
/// with a reading. The runtime looks synonym keys up by it, so a query
/// typed in pinyin reaches the synonym.
pub fn pinyin_of(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars() {
        let r = readings_of(c);
        out.push_str(r.first()?);
    }
    (!out.is_empty()).then_some(out)
}

/// [`readings`] of a basic-block ideograph, worked out the first time it is
/// asked for and kept.
fn readings_of(c: char) -> std::borrow::Cow<'static, [Box<str>]> {
    type Readings = Box<[Box<str>]>;
    static TABLE: OnceLock<Vec<OnceLock<Readings>>> = OnceLock::new();
    let u = u32::from(c);
    let boxed = |c| {
        readings(c)
            .into_iter()
            .map(String::into_boxed_str)
            .collect()
    };
    if !(DIRECT_FROM..DIRECT_TO).contains(&u) {
        return std::borrow::Cow::Owned(boxed(c));
    }
    let table = TABLE.get_or_init(|| (DIRECT_FROM..DIRECT_TO).map(|_| OnceLock::new()).collect());
    std::borrow::Cow::Borrowed(
        table[(u - DIRECT_FROM) as usize].get_or_init(|| boxed(c).into_boxed_slice()),
    )
}

/// Pinyin bigram tokens of a headline text: for each pair of neighbouring
/// ideographs, `:` + both full readings and `!` + both initials, for up to
/// two readings of each character.
pub fn pinyin_tokens(text: &str, mut f: impl FnMut(&str)) {
    let norm = normalize_unfolded(text);
    let mut buf = String::new();
    for run in runs(&norm) {
        let Run::Cjk(s) = run else { continue };
        let mut prev: std::borrow::Cow<'static, [Box<str>]> = std::borrow::Cow::Borrowed(&[]);
        for c in s.chars() {
            let cur = readings_of(c);
            for a in prev.iter() {
                for b in cur.iter() {
                    buf.clear();
                    buf.push(PINYIN_FULL);
                    buf.push_str(a);
                    buf.push_str(b);
                    f(&buf);
                    buf.clear();
                    buf.push(PINYIN_INITIALS);
                    buf.push_str(&a[..1]);
                    buf.push_str(&b[..1]);
                    f(&buf);
                }
            }
            prev = cur;
        }
    }
}

/// FNV-1a (32 bits) of a token's UTF-8 bytes: which shard holds it. The
/// runtime computes the same with `Math.imul`.
pub fn token_hash(token: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in token.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        tokens(s)
    }

    #[test]
    fn cjk_runs_give_characters_and_bigrams() {
        assert_eq!(
            t("营业执照"),
            ["营", "营业", "业", "业执", "执", "执照", "照"]
        );
        assert_eq!(t("证"), ["证"]);
        assert_eq!(t("消防 通道"), ["消", "消防", "防", "通", "通道", "道"]);
    }

    #[test]
    fn words_and_numbers_stay_whole() {
        assert_eq!(t("PM2.5 超标"), ["pm2", "5", "超", "超标", "标"]);
        assert_eq!(
            t("示市监〔2024〕12号"),
            ["示", "示市", "市", "市监", "监", "2024", "12", "号"]
        );
        let long = "a".repeat(40);
        assert_eq!(t(&long), ["a".repeat(MAX_WORD)]);
    }

    #[test]
    fn full_width_case_and_traditional_fold() {
        assert_eq!(t("ＡＢＣ１２３"), ["abc123"]);
        assert_eq!(t("營業執照"), t("营业执照"));
        assert_eq!(t("消防車通道"), t("消防车通道"));
    }

    #[test]
    fn the_fast_path_is_nfkc() {
        let slow = |s: &str| -> String {
            let nfkc: String = s.nfkc().collect();
            nfkc.to_lowercase().chars().map(fold_char).collect()
        };
        let mut all = String::new();
        for u in (0..0x80)
            .chain(0x4E00..0xA000)
            .chain(0xFF01..0xFF5F)
            .chain([0x3000, 0xB7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D])
            .chain(0x3001..0x3004)
            .chain(0x3008..0x3012)
            .chain(0x3014..0x301C)
        {
            let c = char::from_u32(u).unwrap();
            let mut out = String::new();
            assert!(
                normalize_fast(&c.to_string(), &mut out),
                "U+{u:04X} takes the fast path"
            );
            assert_eq!(out, slow(&c.to_string()), "U+{u:04X}");
            all.push(c);
        }
        let mut out = String::new();
        assert!(normalize_fast(&all, &mut out));
        assert_eq!(out, slow(&all));
        assert!(!normalize_fast("é", &mut String::new()));
    }

    #[test]
    fn the_table_is_sound() {
        let pairs = t2s_pairs();
        assert!(pairs.len() > 2500, "{}", pairs.len());
        let map = t2s_map();
        assert_eq!(map.len(), pairs.len(), "one line per traditional character");
        for (a, b) in pairs {
            assert!(is_cjk(*a) && is_cjk(*b), "{a} {b}");
            // The runtime's bitset of traditional characters covers only
            // U+4E00…U+9FFF (meta.json t2s_bits).
            assert!((0x4E00..0xA000).contains(&u32::from(*a)), "{a}");
            assert_ne!(a, b);
            assert!(
                !map.contains_key(b),
                "{a} → {b} → {:?}: chains never fold in one step",
                map.get(b)
            );
            // Already NFKC: folding after normalization is then idempotent.
            assert_eq!(a.to_string().nfkc().collect::<String>(), a.to_string());
        }
    }

    #[test]
    fn pinyin_bigrams() {
        let mut v = Vec::new();
        pinyin_tokens("营业执照", |t| v.push(t.to_string()));
        for want in [":yingye", ":yezhi", ":zhizhao", "!yy", "!yz", "!zz"] {
            assert!(v.iter().any(|x| x == want), "{want} in {v:?}");
        }
        // Heteronyms: 行业 is hangye, though 行 is usually xing.
        let mut v = Vec::new();
        pinyin_tokens("行业", |t| v.push(t.to_string()));
        assert!(v.iter().any(|x| x == ":hangye"), "{v:?}");
        // Read before folding: 顯著 is xianzhu, not 着's zhe.
        let mut v = Vec::new();
        pinyin_tokens("顯著", |t| v.push(t.to_string()));
        assert!(v.iter().any(|x| x == ":xianzhu"), "{v:?}");
    }

    /// `tests/search-vectors.json`, which the runtime's tests read too.
    #[test]
    fn shared_vectors() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/search-vectors.json"
        ));
        let v: serde_json::Value = serde_json::from_str(text).expect("valid JSON");
        assert_eq!(v["tokenizer_version"], VERSION);
        let cases = v["tokens"].as_array().expect("tokens");
        assert!(cases.len() >= 30);
        for c in cases {
            let input = c["input"].as_str().expect("input");
            let want: Vec<&str> = c["tokens"]
                .as_array()
                .expect("tokens")
                .iter()
                .map(|t| t.as_str().expect("token"))
                .collect();
            assert_eq!(tokens(input), want, "{input:?} ({})", c["note"]);
        }
        for c in v["pinyin"].as_array().expect("pinyin") {
            let text = c["text"].as_str().expect("text");
            let mut have = Vec::new();
            pinyin_tokens(text, |t| have.push(t.to_string()));
            for alt in c["alternatives"].as_array().expect("alternatives") {
                for t in alt.as_array().expect("alternative") {
                    let t = t.as_str().expect("token");
                    assert!(have.iter().any(|h| h == t), "{text}: {t} not in {have:?}");
                }
            }
        }
    }

    /// The runtime splits a Latin query with its own syllable list: every
    /// reading the index can write must be in it (or be an interjection
    /// nobody types, like hm).
    #[test]
    fn runtime_knows_every_syllable() {
        let js = crate::search::runtime::SEARCH_JS;
        let start =
            js.find("var SYLLABLES = (").expect("syllable list") + "var SYLLABLES = (".len();
        let end = start + js[start..].find(").split(' ')").expect("end of list");
        let list: String = js[start..end]
            .split('\'')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let known: std::collections::HashSet<&str> = list.split(' ').collect();
        let skipped = ["m", "n", "ng", "hm", "hng"];
        let mut missing = std::collections::BTreeSet::new();
        for u in 0x3400..0x30000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            for r in readings(c) {
                if !known.contains(r.as_str()) && !skipped.contains(&r.as_str()) {
                    missing.insert(r);
                }
            }
        }
        assert!(
            missing.is_empty(),
            "readings missing from search.js: {missing:?}"
        );
    }

    #[test]
    fn hash_is_fnv1a() {
        assert_eq!(token_hash(""), 0x811c_9dc5);
        assert_eq!(token_hash("a"), 0xe40c_292c);
    }
}
