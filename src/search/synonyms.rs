//! Synonyms, read and checked: what citizens say → what the documents say.
//! The theme ships a default domain lexicon (`themes/default/synonyms.toml`,
//! compiled in); the site's own `synonyms.toml` is merged over it: a key
//! the site also has takes the site's words, a key the site maps to `[]`
//! is dropped, new keys are added. The runtime applies them to a query
//! (`meta.json` `synonyms`, and `pinyin.json` for keys typed in
//! pinyin); nothing in the index itself depends on them.

use std::collections::BTreeMap;
use std::path::Path;

use super::tokenize;
use crate::diag::Diagnostic;
use crate::source::fields::{Ctx, Reader};
use crate::source::frontmatter::{self, FrontMatter, Seg, Syntax, Value};

/// The site's `synonyms.toml`: what citizens say → what documents say.
#[derive(Clone, Debug, Default)]
pub struct Synonyms {
    /// Normalized term → normalized replacements, sorted.
    pub map: BTreeMap<String, Vec<String>>,
}

impl Synonyms {
    /// Reads `root/synonyms.toml` if it exists. Each key is a word citizens
    /// use; its value the wording of the documents (a string or a list):
    ///
    /// ```toml
    /// "执照" = ["营业执照"]
    /// "电动车" = "电动自行车"
    /// ```
    pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> Synonyms {
        let path = root.join("synonyms.toml");
        let site = if !crate::confine::Confine::new(root).input(&path, diags) || !path.is_file() {
            Synonyms::default()
        } else {
            match crate::fs::read_text(&path) {
                Ok(text) => Synonyms::parse(&frontmatter::normalize(&text), diags),
                Err(e) => {
                    diags.push(Diagnostic::error(
                        "synonyms.toml",
                        "synonyms.toml",
                        e.message,
                    ));
                    Synonyms::default()
                }
            }
        };
        Synonyms::lexicon().merged(site)
    }

    /// The theme's default lexicon (`themes/default/synonyms.toml`).
    pub fn lexicon() -> Synonyms {
        let mut diags = Vec::new();
        let s = Synonyms::parse(
            include_str!("../../themes/default/synonyms.toml"),
            &mut diags,
        );
        debug_assert!(diags.is_empty(), "{diags:?}");
        s
    }

    /// `self` with `site` over it: the site's keys replace, `[]` removes.
    pub fn merged(mut self, site: Synonyms) -> Synonyms {
        for (k, v) in site.map {
            self.map.insert(k, v);
        }
        self.map.retain(|_, v| !v.is_empty());
        self
    }

    /// Toneless pinyin of each ideograph key (`weihuapin` → `危化品`), for
    /// a query typed in pinyin. The first key wins where two read alike.
    pub fn pinyin(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for k in self.map.keys() {
            if k.chars().all(tokenize::is_cjk)
                && let Some(p) = tokenize::pinyin_of(k)
            {
                out.entry(p).or_insert_with(|| k.clone());
            }
        }
        out
    }

    pub fn parse(text: &str, diags: &mut Vec<Diagnostic>) -> Synonyms {
        const FILE: &str = "synonyms.toml";
        let table = match frontmatter::parse_toml(text, 1) {
            Ok(t) => t,
            Err(e) => {
                let mut d = Diagnostic::error(FILE, FILE, e.message).at(e.line, e.col);
                d.hint = e.hint;
                diags.push(d);
                return Synonyms::default();
            }
        };
        let fm = FrontMatter {
            syntax: Syntax::Toml,
            table,
            raw: text.to_string(),
            first_line: 1,
            gaps: Default::default(),
        };
        let ctx = Ctx::new(FILE, &fm);
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        {
            let mut r = Reader::new(&fm.table, Vec::new(), &ctx);
            for (key, value) in r.rest() {
                let at = [Seg::Key(key)];
                let values: Vec<&str> = match value {
                    Value::Str(s) => vec![s.as_str()],
                    Value::Array(a) if a.iter().all(|v| matches!(v, Value::Str(_))) => a
                        .iter()
                        .filter_map(|v| match v {
                            Value::Str(s) => Some(s.as_str()),
                            _ => None,
                        })
                        .collect(),
                    other => {
                        ctx.error(
                            &at,
                            format!("应为文字或文字数组，实际是{}", other.type_name()),
                            Some(format!("例如 \"{key}\" = [\"规范用语\"]")),
                        );
                        continue;
                    }
                };
                let k = tokenize::normalize(key.trim());
                if tokenize::runs(&k).is_empty() {
                    ctx.error(&at, "同义词不能为空，也不能只有标点", None);
                    continue;
                }
                let mut vs: Vec<String> = Vec::new();
                for v in values {
                    let v = tokenize::normalize(v.trim());
                    if tokenize::runs(&v).is_empty() {
                        ctx.error(&at, "替换词不能为空，也不能只有标点", None);
                    } else if v != k && !vs.contains(&v) {
                        vs.push(v);
                    }
                }
                // `[]`: the site drops this key of the default lexicon.
                map.entry(k).or_default().extend(vs);
            }
        }
        diags.extend(ctx.into_diags());
        Synonyms { map }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_are_normalized_and_checked() {
        let mut diags = Vec::new();
        let s = Synonyms::parse(
            "\"執照\" = [\"营业执照\"]\n\"电动车\" = \"电动自行车\"\n\"x\" = 3\n\"，\" = \"甲\"\n",
            &mut diags,
        );
        assert_eq!(s.map.get("执照").unwrap(), &["营业执照"]);
        assert_eq!(s.map.get("电动车").unwrap(), &["电动自行车"]);
        let msgs: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("synonyms.toml:3:2: x: 应为文字或文字数组"),
            "{msgs:?}"
        );
        assert!(msgs[1].starts_with("synonyms.toml:4:2:"), "{msgs:?}");
    }

    #[test]
    fn the_default_lexicon_is_clean_and_the_site_wins() {
        let mut diags = Vec::new();
        let lex = Synonyms::parse(
            include_str!("../../themes/default/synonyms.toml"),
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert!(
            lex.map.values().all(|v| !v.is_empty()),
            "no identity entries"
        );
        let pairs: usize = lex.map.values().map(Vec::len).sum();
        assert!(pairs >= 150, "{pairs} pairs");
        assert_eq!(lex.map["饭店"], ["餐饮"]);
        let site = Synonyms::parse(
            "\"饭店\" = \"酒店\"\n\"执照\" = []\n\"新词\" = \"规范用语\"\n",
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let m = lex.merged(site);
        assert_eq!(m.map["饭店"], ["酒店"], "the site's words win");
        assert!(!m.map.contains_key("执照"), "[] drops a default key");
        assert_eq!(m.map["新词"], ["规范用语"], "new keys extend");
        assert_eq!(m.pinyin()["weihuapin"], "危化品");
    }
}
