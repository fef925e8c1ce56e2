//! `synonyms.toml`, `[search]` settings and their errors, the built-in
//! runtime, version groups and the default lexicon.

use super::*;

/// The synonyms as the runtime can fetch them: `syn/<n>.json` for the code
/// point of each first character `meta.json` lists, modulo the number of
/// files, merged. Every file holds only keys whose first character falls
/// there, and no other file is written.
fn synonyms(site: &Site) -> serde_json::Map<String, serde_json::Value> {
    let m = meta(site);
    let starts = m["synonym_starts"].as_str().unwrap().to_string();
    let n = m["synonym_files"].as_u64().unwrap() as u32;
    assert!(n.is_power_of_two(), "{n}");
    let mut all = serde_json::Map::new();
    let mut seen = std::collections::BTreeSet::new();
    for c in starts.chars() {
        let bucket = u32::from(c) % n;
        if !seen.insert(bucket) {
            continue;
        }
        let file = format!("public/search/syn/{bucket}.json");
        let part: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&site.read(&file)).unwrap();
        for (k, v) in part {
            let first = k.chars().next().unwrap();
            assert_eq!(u32::from(first) % n, bucket, "{k} in {file}");
            assert!(starts.contains(first), "{k}: its first character is listed");
            all.insert(k, v);
        }
    }
    let files = site
        .tree("public/search/syn")
        .into_keys()
        .filter(|n| n.ends_with(".json"))
        .count();
    assert_eq!(files, seen.len(), "no file the runtime cannot reach");
    all
}

#[test]
fn synonyms_and_hot_words_reach_the_index_and_the_page() {
    let site = Site::fixture("minimal")
        .file(
            "synonyms.toml",
            "# 群众用语 = 规范用语\n\"执照\" = \"营业执照\"\n\"電動車\" = [\"电动自行车\", \"电瓶车\"]\n",
        )
        .edit(
            "site.toml",
            "site_code = \"1234567890\"\n",
            "site_code = \"1234567890\"\n\n[search]\nhot_words = [\"营业执照\", \"健康 证明\"]\n",
        );
    site.build();
    let m = meta(&site);
    assert!(
        m.get("synonyms").is_none(),
        "not in meta.json: split by key"
    );
    let syn = synonyms(&site);
    assert_eq!(syn["执照"], serde_json::json!(["营业执照"]));
    // Keys are normalized like queries: traditional folded.
    assert_eq!(syn["电动车"], serde_json::json!(["电动自行车", "电瓶车"]));
    assert_eq!(m["hot_words"], serde_json::json!(["营业执照", "健康 证明"]));
    site.file_contains(
        "public/search/index.html",
        "<a href=\"/search/?q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7\" data-hot-word=\"营业执照\">营业执照</a>",
    )
    .file_contains("public/search/index.html", "?q=%E5%81%A5%E5%BA%B7%20%E8%AF%81%E6%98%8E")
    .file_contains("public/search/index.html", "data-search-index=\"/search/\"")
    .file_contains("public/search/index.html", "/search.js?v=");
}

#[test]
fn broken_synonyms_and_search_settings_are_located_errors() {
    let site = Site::fixture("minimal")
        .file(
            "synonyms.toml",
            "\"执照\" = \"营业执照\"\n\"电动车\" = 3\n\"，\" = \"甲\"\n",
        )
        .edit(
            "site.toml",
            "site_code = \"1234567890\"\n",
            "site_code = \"1234567890\"\n\n[search]\nhot_word = [\"营业执照\"]\n",
        );
    let run = site.run(&["build"]).failure();
    insta::assert_snapshot!(run.stderr, @r#"
    site.toml:9:1: search.hot_word: 未知字段 hot_word
      提示: 是不是 hot_words？[search] 可用的字段: hot_words
    synonyms.toml:2:2: 电动车: 应为文字或文字数组，实际是整数
      提示: 例如 "电动车" = ["规范用语"]
    synonyms.toml:3:2: ，: 同义词不能为空，也不能只有标点
    共 3 个错误，0 个警告。
    生成失败，./public 保持原样。
    "#);
    site.file_missing("public");
    // `check` reports the same and writes no index.
    site.check().failure();
}

#[test]
fn check_writes_no_index() {
    let site = Site::fixture("minimal");
    site.check().success();
    site.file_missing("public");
}

/// The search runtime is built in next to the index writer it must match:
/// a site's or theme's `static/search.js` fails the build, located, and the
/// published `search.js` is the built-in one (`src/search/runtime.min.js`,
/// less its first-line comment).
#[test]
fn a_site_cannot_replace_the_search_runtime() {
    let site = Site::fixture("minimal");
    site.build();
    let published = site.read("public/search.js");
    let min = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/search/runtime.min.js"),
    )
    .unwrap();
    let (first, code) = min.split_once('\n').unwrap();
    assert!(first.starts_with("// gongshi search runtime"), "{first}");
    assert_eq!(published, code);

    let own = Site::fixture("minimal").file("static/search.js", "window.gongshi = {};\n");
    own.run(&["build"])
        .failure()
        .stderr_contains("static/search.js:1:1: 文件: search.js 是内置的站内搜索程序")
        .stderr_contains("请删除该文件");
    own.file_missing("public/search.js");

    let themed = Site::fixture("minimal")
        .overlay("theme-override")
        .edit(
            "site.toml",
            "language = \"zh-CN\"",
            "language = \"zh-CN\"\ntheme = \"gov\"",
        )
        .file("themes/gov/static/search.js", "window.gongshi = {};\n");
    themed
        .run(&["build"])
        .failure()
        .stderr_contains("themes/gov/static/search.js:");

    // The page's interface is the theme's, and stays overridable.
    let ui = Site::fixture("minimal").file("static/search-ui.js", "/* own */\n");
    ui.build();
    assert_eq!(ui.read("public/search.js"), published);
}

fn base64_decode(s: &str) -> Vec<u8> {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = A.iter().position(|&x| x == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Versions of one item (the 2023 list superseded by the 2024 one) are a
/// group, the current one first; the expired list's records are marked.
#[test]
fn versions_are_grouped_current_first_and_expired_records_marked() {
    let site = Site::fixture("minimal");
    site.build();
    let m = meta(&site);
    let records = m["records"].as_u64().unwrap() as u32;
    let b = base64_decode(m["versions"].as_str().unwrap());
    let mut i = 0;
    let count = varint(&b, &mut i);
    assert!(count > 0, "the superseded list's items have versions");
    let mut groups: Vec<Vec<u32>> = Vec::new();
    let mut prev_first = 0i64;
    for _ in 0..count {
        let n = varint(&b, &mut i);
        let mut prev = prev_first;
        let mut g = Vec::new();
        for k in 0..n {
            let z = i64::from(varint(&b, &mut i));
            prev += if z % 2 == 1 { -(z + 1) / 2 } else { z / 2 };
            if k == 0 {
                prev_first = prev;
            }
            g.push(prev as u32);
        }
        groups.push(g);
    }
    assert_eq!(i, b.len());
    let e = base64_decode(m["expired"].as_str().unwrap());
    let mut expired = vec![false; records as usize];
    let (mut j, mut at) = (0, 0usize);
    while j < e.len() {
        at += varint(&e, &mut j) as usize;
        for _ in 0..varint(&e, &mut j) {
            expired[at] = true;
            at += 1;
        }
    }
    assert!(expired.iter().any(|&x| x), "the 2023 list expired");
    for g in &groups {
        assert!(g.len() >= 2);
        let (rec0, doc0) = display(&site, g[0]);
        assert!(!expired[g[0] as usize], "the current version first: {g:?}");
        assert!(doc0[1].as_str().unwrap().contains("2024"), "{doc0}");
        for &o in &g[1..] {
            let (rec, doc) = display(&site, o);
            assert!(expired[o as usize], "{doc}");
            assert!(doc[1].as_str().unwrap().contains("2023"), "{doc}");
            // The same item (or the list itself): the same anchor.
            assert_eq!(rec[2], rec0[2]);
        }
    }
}

/// The theme's lexicon is merged with the site's synonyms.toml: the site's
/// words win, `[]` drops a default, pinyin reaches ideograph keys.
#[test]
fn the_default_lexicon_merges_with_the_site() {
    let site = Site::fixture("minimal").file(
        "synonyms.toml",
        "\"饭店\" = \"酒家\"\n\"危废\" = []\n\"新词\" = \"规范用语\"\n",
    );
    site.build();
    let syn = synonyms(&site);
    assert_eq!(syn["饭店"], serde_json::json!(["酒家"]));
    assert_eq!(syn["饭馆"], serde_json::json!(["餐饮"]));
    assert!(syn.get("危废").is_none());
    assert_eq!(syn["新词"], serde_json::json!(["规范用语"]));
    assert_eq!(syn["劳保用品"], serde_json::json!(["劳动防护用品"]));
    let pinyin: serde_json::Value =
        serde_json::from_str(&site.read("public/search/pinyin.json")).unwrap();
    assert_eq!(pinyin["weihuapin"], "危化品");
    assert!(syn.len() >= 150);
}
