//! Each type's definition checked against everything that must agree with
//! it: its reader reads every field it declares and requires exactly the
//! ones it declares required, the content model documents every field,
//! the built-in theme has its template, and the document `gongshi new`
//! writes passes `check` once its placeholders are filled in.

use super::{ALL, COMMON, Field, Type, Value};
use crate::config::Config;
use crate::content::{DocType, Parsed, Typed, parse_text};
use crate::date::Date;
use crate::diag::Diagnostic;

fn config() -> Config {
    let text = include_str!("../../../tests/fixtures/minimal/site.toml");
    let mut diags = Vec::new();
    let config = Config::parse(text, &mut diags).expect("the fixture's site.toml parses");
    assert!(diags.is_empty(), "{diags:?}");
    config
}

/// Where a document of type `t` may live below `content/`.
fn below(t: &Type) -> String {
    if t.typed {
        format!("{}/sample.md", t.key)
    } else {
        "about/sample.md".into()
    }
}

fn parse(t: &Type, text: &str, config: &Config) -> (Option<Parsed>, Vec<Diagnostic>) {
    let below = below(t);
    parse_text(text, &format!("content/{below}"), &below, config)
}

/// A valid TOML value for `field`.
fn example(field: &Field, config: &Config) -> String {
    let term = |kind: crate::config::RegistryKind| {
        let reg = kind.declared(config).expect("a declared registry");
        reg.terms
            .first()
            .expect("the fixture has a term")
            .key
            .clone()
    };
    match field.value {
        Value::Text => "\"示例\"".into(),
        Value::Texts => "[\"示例\"]".into(),
        Value::Int => "2024".into(),
        Value::Count => "12".into(),
        Value::Bool => "false".into(),
        Value::Date => "2024-03-01".into(),
        Value::Name => "\"sample\"".into(),
        Value::Key(kind) => format!("\"{}\"", term(kind)),
        Value::Keys(kind) => format!("[\"{}\"]", term(kind)),
        Value::Link => "\"@/lists/a.md\"".into(),
        Value::File => "\"原件.pdf\"".into(),
        Value::Tables(fields) => {
            let row: Vec<String> = fields
                .iter()
                .map(|f| format!("{} = {}", f.key, example(f, config)))
                .collect();
            format!("[{{ {} }}]", row.join(", "))
        }
        Value::Table(fields) => {
            let row: Vec<String> = fields
                .iter()
                .map(|f| format!("{} = {}", f.key, example(f, config)))
                .collect();
            format!("{{ {} }}", row.join(", "))
        }
    }
}

/// The fields of a table or an array of tables, and of the tables in them.
fn subfields(f: &'static Field, out: &mut Vec<&'static Field>) {
    if let Value::Tables(sub) | Value::Table(sub) = f.value {
        for s in sub {
            out.push(s);
            subfields(s, out);
        }
    }
}

/// Every field of `t`, and of its tables, with the field it belongs to.
fn fields_and_subfields(t: &Type) -> Vec<&'static Field> {
    let mut out = Vec::new();
    for f in t.all_fields() {
        out.push(f);
        subfields(f, &mut out);
    }
    out
}

#[test]
fn types_are_listed_once_in_doc_type_order() {
    assert_eq!(DocType::ALL.len(), ALL.len());
    for (i, t) in ALL.iter().enumerate() {
        assert_eq!(t.doc_type as usize, i, "{}", t.key);
        assert_eq!(DocType::ALL[i], t.doc_type);
        assert!(
            ALL.iter().filter(|u| u.key == t.key).count() == 1,
            "{} twice",
            t.key
        );
        if t.typed {
            assert_eq!(DocType::from_folder(t.key), t.doc_type);
            assert!(DocType::TYPED.contains(&t.doc_type));
        } else {
            assert!(!DocType::TYPED.contains(&t.doc_type));
        }
        let keys: Vec<&str> = t.all_fields().map(|f| f.key).collect();
        for k in &keys {
            assert_eq!(keys.iter().filter(|x| *x == k).count(), 1, "{k} twice");
        }
    }
}

/// Search groups results by type under the type's key and name.
#[test]
fn every_typed_type_is_a_search_kind_of_the_same_name() {
    use crate::search::records::Kind;
    for t in ALL.iter().filter(|t| t.typed) {
        let kind = Kind::of_doc(t.doc_type);
        assert_eq!((kind.key(), kind.name()), (t.key, t.name));
    }
    assert_eq!(Kind::of_doc(DocType::Page).key(), "page");
}

#[test]
fn every_declared_field_is_read() {
    let config = config();
    for t in &ALL {
        let mut text = String::from("+++\n");
        for f in t.all_fields() {
            text.push_str(&format!("{} = {}\n", f.key, example(f, &config)));
        }
        text.push_str("+++\n\n正文。\n");
        let (parsed, diags) = parse(t, &text, &config);
        assert!(diags.is_empty(), "{}: {diags:#?}\n{text}", t.key);
        let Some(Parsed::Doc(d)) = parsed else {
            panic!("{}: not a document", t.key)
        };
        assert_eq!(d.doc_type, t.doc_type);
        // A plain page keeps what it does not read as `extra`.
        if let Typed::Page { extra } = &d.typed {
            for f in t.all_fields() {
                assert!(!extra.contains_key(f.key), "{}: {} not read", t.key, f.key);
            }
        }
    }
}

#[test]
fn required_fields_are_the_declared_ones() {
    let config = config();
    for t in &ALL {
        // Every table with one empty entry, and nothing else.
        let mut text = String::from("+++\n");
        let mut expected: Vec<String> = Vec::new();
        for f in t.all_fields() {
            if t.requires(f) {
                expected.push(f.key.into());
            }
            if let Value::Tables(sub) = f.value {
                text.push_str(&format!("{} = [{{}}]\n", f.key));
                for s in sub.iter().filter(|s| t.requires(s)) {
                    expected.push(format!("{}[1].{}", f.key, s.key));
                }
            }
            if let Value::Table(sub) = f.value {
                text.push_str(&format!("{} = {{}}\n", f.key));
                for s in sub.iter().filter(|s| t.requires(s)) {
                    expected.push(format!("{}.{}", f.key, s.key));
                }
            }
        }
        text.push_str("+++\n");
        let (_, diags) = parse(t, &text, &config);
        let mut missing: Vec<String> = diags
            .iter()
            .filter(|d| d.message.starts_with("缺少必填字段"))
            .map(|d| d.field.clone())
            .collect();
        missing.sort();
        expected.sort();
        assert_eq!(missing, expected, "{}: {diags:#?}", t.key);
    }
}

/// The part of `doc` from the heading line `heading` to the next heading
/// of the same or a higher level.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc
        .find(&format!("\n{heading}"))
        .unwrap_or_else(|| panic!("docs/content-model.md has no “{heading}”"));
    let rest = &doc[start + 1..];
    let level = heading.split(' ').next().unwrap_or("");
    let end = rest[1..]
        .match_indices('\n')
        .map(|(i, _)| i + 2)
        .find(|&i| {
            let line = &rest[i..];
            line.starts_with('#')
                && line
                    .split(' ')
                    .next()
                    .is_some_and(|h| h.len() <= level.len())
        })
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn every_field_is_in_the_content_model() {
    let doc = include_str!("../../../docs/content-model.md");
    let common = section(doc, "### Common keys");
    for f in &COMMON {
        let row = common
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", f.key)))
            .unwrap_or_else(|| panic!("no row for `{}` in “Common keys”", f.key));
        if let Value::Tables(sub) = f.value {
            for s in sub {
                assert!(row.contains(s.key), "`{}.{}` undocumented", f.key, s.key);
            }
        }
    }
    for t in ALL.iter().filter(|t| t.typed) {
        let part = section(doc, &format!("### {}/", t.key));
        for f in t.fields {
            let mut keys = vec![f.key];
            let mut sub = Vec::new();
            subfields(f, &mut sub);
            keys.extend(sub.iter().map(|s| s.key));
            for k in keys {
                assert!(
                    part.contains(&format!("`{k}`"))
                        || part.contains(&format!("\n{k} = "))
                        || part.contains(&format!("[[{k}]]")),
                    "{}/: field `{k}` is not in docs/content-model.md",
                    t.key
                );
            }
        }
    }
}

#[test]
fn every_type_has_a_template_in_the_default_theme() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for t in &ALL {
        assert!(
            dir.join(t.template).is_file(),
            "{}: no {}",
            t.key,
            t.template
        );
    }
}

/// The `new` placeholder with every 【请填写…】 replaced by a valid value
/// and the commented-out optional fields switched on.
fn filled(t: &Type, text: &str, config: &Config) -> String {
    let fields = fields_and_subfields(t);
    let mut out = String::new();
    for line in text.lines() {
        let line = line.strip_prefix("# ").unwrap_or(line);
        let line = match line.split_once(" = ") {
            Some((key, _)) if line.contains(crate::source::fields::PLACEHOLDER) => {
                let f = fields
                    .iter()
                    .find(|f| f.key == key)
                    .unwrap_or_else(|| panic!("{}: placeholder for undeclared `{key}`", t.key));
                format!("{key} = {}", example(f, config))
            }
            _ if line.contains(crate::source::fields::PLACEHOLDER) => "正文。".into(),
            _ => line.to_string(),
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn every_new_placeholder_passes_check_once_filled_in() {
    let config = config();
    let today = Date {
        year: 2025,
        month: 11,
        day: 28,
    };
    for t in &ALL {
        let text = t.kind.placeholder(today);
        // As written: only the placeholders are refused.
        let (_, diags) = parse(t, &text, &config);
        assert!(!diags.is_empty(), "{}: placeholders accepted", t.key);
        for d in &diags {
            assert!(
                d.message.starts_with("尚未填写") || d.message == "正文中还有未替换的占位内容",
                "{}: {d:?}\n{text}",
                t.key
            );
        }
        // Filled in, with the optional lines switched on: no complaint.
        let text = filled(t, &text, &config);
        let (parsed, diags) = parse(t, &text, &config);
        assert!(diags.is_empty(), "{}: {diags:#?}\n{text}", t.key);
        assert!(matches!(parsed, Some(Parsed::Doc(_))), "{}", t.key);
    }
}

/// The set phrases of a list (适用条件, 处理方式 …) are held once however
/// many items repeat them (`crate::intern`): a list of 60 items with two
/// conditions between them holds two texts, not 60. (Another test's load
/// may empty the pool while this one parses; that splits a phrase in two
/// at most once or twice, never 30 times.)
#[test]
fn recurring_item_texts_are_held_once() {
    let config = config();
    let lists = ALL.iter().find(|t| t.key == "lists").expect("lists");
    let mut text = String::from(
        "+++\ntitle = \"市场监管领域轻微违法行为免罚清单（2026年版）\"\ndate = 2026-02-20\n\
         agency = \"scjg\"\nkind = \"exempt\"\n",
    );
    for i in 0..60 {
        let conditions = if i % 2 == 0 {
            "首次被发现，且在责令改正期限内改正的"
        } else {
            "违法行为轻微并及时改正，没有造成危害后果的"
        };
        text.push_str(&format!(
            "\n[[items]]\nid = \"SJ-MF-{i:03}\"\nviolation = \"未将营业执照置于住所或者主要经营场所的醒目位置\"\n\
             basis = \"《市场主体登记管理条例》第三十六条\"\nconditions = \"{conditions}\"\n\
             handling = \"不予行政处罚，责令改正\"\n"
        ));
    }
    text.push_str("+++\n\n对清单所列轻微违法行为，依法不予行政处罚。\n");
    let _pool = crate::intern::Scope::begin();
    let (parsed, diags) = parse(lists, &text, &config);
    assert!(diags.is_empty(), "{diags:#?}");
    let Some(Parsed::Doc(d)) = parsed else {
        panic!("a document")
    };
    let Typed::List { items, .. } = &d.typed else {
        panic!("a list")
    };
    assert_eq!(items.len(), 60);
    let distinct = |f: &dyn Fn(&super::Item) -> &crate::intern::Text| {
        let mut ptrs: Vec<*const u8> = items.iter().map(|it| f(it).as_ptr()).collect();
        ptrs.sort_unstable();
        ptrs.dedup();
        ptrs.len()
    };
    assert!(
        distinct(&|it| &it.conditions) <= 6,
        "{}",
        distinct(&|it| &it.conditions)
    );
    assert!(distinct(&|it| &it.handling) <= 3);
    assert!(distinct(&|it| &it.violation) <= 3);
    assert_eq!(
        &*items[1].conditions,
        "违法行为轻微并及时改正，没有造成危害后果的"
    );
}
