//! Machine-readable files: Atom feeds (site, per type, per agency, per
//! industry), `sitemap.xml` and `robots.txt`. Written in Rust with explicit
//! XML escaping; every timestamp comes from the content, never the clock, so
//! the output is reproducible.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::Inputs;
use crate::config::RegistryKind;
use crate::content::DocType;
use crate::diag::Diagnostic;
use crate::escape::{url_path, xml};
use crate::model::Model;
use crate::output::Output;

/// Entries per feed: enough for a weekly reader, small enough to poll.
const FEED_LEN: usize = 50;

/// The Atom feeds: the site's, each type's and each feed registry term's.
pub(super) fn write_feeds(inputs: &Inputs<'_>, out: &Output) -> Result<(), Diagnostic> {
    let model = inputs.model;
    let typed: Vec<usize> = (0..model.docs.len())
        .filter(|&i| model.docs[i].doc_type.is_typed())
        .collect();
    let mut feeds: Vec<(String, String, Vec<usize>)> =
        vec![("atom.xml".into(), model.config.title.clone(), typed.clone())];
    for t in DocType::TYPED {
        let docs = typed
            .iter()
            .copied()
            .filter(|&i| model.docs[i].doc_type == t)
            .collect();
        feeds.push((
            format!("{}/atom.xml", t.key()),
            format!("{} - {}", t.name(), model.config.title),
            docs,
        ));
    }
    for r in model.registries.iter().filter(|r| r.has_feeds) {
        for t in &r.registry.terms {
            let docs = r.members.get(&t.key).cloned().unwrap_or_default();
            // A business subscribes to the warnings of its own trade.
            if r.kind == RegistryKind::Industries {
                feeds.push((
                    warnings_feed(r.segment, &t.key),
                    format!(
                        "{}{} - {}",
                        t.name,
                        DocType::Warnings.name(),
                        model.config.title
                    ),
                    docs.iter()
                        .copied()
                        .filter(|&i| model.docs[i].doc_type == DocType::Warnings)
                        .collect(),
                ));
            }
            feeds.push((
                format!("{}/{}/atom.xml", r.segment, t.key),
                format!("{} - {}", t.name, model.config.title),
                docs,
            ));
        }
    }
    feeds
        .par_iter()
        .with_max_len(super::SPLIT)
        .try_for_each(|(path, title, docs)| {
            let body = atom(inputs, path, title, docs);
            out.write(path, body.as_bytes())
                .map_err(|e| Diagnostic::error(path.clone(), "输出", e.to_string()))
        })
}

/// An industry's feed of warnings alone (`industries/catering/warnings.xml`).
pub(super) fn warnings_feed(segment: &str, key: &str) -> String {
    format!("{segment}/{key}/warnings.xml")
}

/// `sitemap.xml` and the `robots.txt` that points at it.
pub(super) fn write_sitemap(model: &Model, out: &Output) -> Result<(), Diagnostic> {
    let sitemap = sitemap(model);
    out.write("sitemap.xml", sitemap.as_bytes())
        .map_err(|e| Diagnostic::error("sitemap.xml", "输出", e.to_string()))?;
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        url_path(&model.permalink("sitemap.xml"))
    );
    out.write("robots.txt", robots.as_bytes())
        .map_err(|e| Diagnostic::error("robots.txt", "输出", e.to_string()))
}

/// The opening of an Atom feed at `path`: title, id, self and alternate
/// links (`alternate` is a path below the base), the updated time.
pub(super) fn feed_head(
    s: &mut String,
    model: &Model,
    path: &str,
    alternate: &str,
    title: &str,
    updated: &str,
) {
    let self_url = url_path(&model.permalink(path));
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    s.push_str(&xml(&model.config.language));
    s.push_str("\">\n");
    let _ = writeln!(s, "  <title>{}</title>", xml(title));
    let _ = writeln!(s, "  <id>{}</id>", xml(&self_url));
    let _ = writeln!(
        s,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml(&self_url)
    );
    let _ = writeln!(
        s,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&url_path(&model.permalink(alternate)))
    );
    let _ = writeln!(s, "  <updated>{updated}</updated>");
    let _ = writeln!(s, "  <generator>gongshi</generator>");
}

fn atom(inputs: &Inputs<'_>, path: &str, title: &str, docs: &[usize]) -> String {
    let model = inputs.model;
    let entries: Vec<usize> = docs.iter().copied().take(FEED_LEN).collect();
    let updated = entries
        .iter()
        .filter_map(|&i| model.last_modified(i))
        .max()
        .unwrap_or_else(|| model.site_updated())
        .rfc3339();
    let mut s = String::with_capacity(1024 + entries.len() * 600);
    feed_head(
        &mut s,
        model,
        path,
        path.trim_end_matches("atom.xml"),
        title,
        &updated,
    );
    for i in entries {
        let d = &model.docs[i];
        let link = url_path(&model.permalink(&d.url));
        let published = d
            .date
            .map(|x| x.rfc3339())
            .unwrap_or_else(|| updated.clone());
        let upd = model
            .last_modified(i)
            .map_or_else(|| published.clone(), |x| x.rfc3339());
        let author = d
            .agency
            .as_deref()
            .and_then(|a| model.config.agencies.get(a))
            .map_or_else(|| model.config.title.clone(), |a| a.name.clone());
        let summary = model.summary_text(i, &inputs.bodies[i].first_paragraph);
        s.push_str("  <entry>\n");
        let _ = writeln!(s, "    <title>{}</title>", xml(&d.title));
        let _ = writeln!(s, "    <id>{}</id>", xml(&link));
        let _ = writeln!(
            s,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(&link)
        );
        let _ = writeln!(s, "    <published>{published}</published>");
        let _ = writeln!(s, "    <updated>{upd}</updated>");
        let _ = writeln!(s, "    <author><name>{}</name></author>", xml(&author));
        let _ = writeln!(
            s,
            "    <category term=\"{}\" label=\"{}\"/>",
            d.doc_type.key(),
            xml(d.doc_type.name())
        );
        if let Some(st) = model.statuses[i] {
            let _ = writeln!(
                s,
                "    <category term=\"status-{}\" label=\"{}\"/>",
                st.key(),
                st.label()
            );
        }
        let _ = writeln!(s, "    <summary type=\"text\">{}</summary>", xml(&summary));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

fn sitemap(model: &Model) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut add = |path: &str, lastmod: Option<crate::date::Date>| {
        let _ = write!(
            s,
            "  <url><loc>{}</loc>",
            xml(&url_path(&model.permalink(path)))
        );
        if let Some(d) = lastmod {
            let _ = write!(s, "<lastmod>{d}</lastmod>");
        }
        s.push_str("</url>\n");
    };
    add(
        "",
        (0..model.docs.len())
            .filter_map(|i| model.last_modified(i))
            .max(),
    );
    for key in model.sections.keys().filter(|k| !k.is_empty()) {
        add(&format!("{key}/"), None);
    }
    // 更新动态: changed when the newest public revision was made.
    add(
        "changes/",
        (0..model.docs.len())
            .filter(|&i| model.docs[i].doc_type.is_typed())
            .filter_map(|i| model.revisions[i].iter().map(|r| r.date).max())
            .max(),
    );
    for r in &model.registries {
        add(&format!("{}/", r.segment), None);
        for t in &r.registry.terms {
            add(&format!("{}/{}/", r.segment, t.key), None);
        }
    }
    // 年度报告: each year's and each agency's reports.
    for y in model.report_years() {
        add(&crate::model::reports::year_path(y), None);
    }
    for t in model.report_agencies() {
        add(&crate::model::reports::agency_path(&t.key), None);
    }
    if !model.config.agencies.terms.is_empty() {
        add(&format!("{}/", super::record::SEGMENT), None);
    }
    if !model.config.disputes.is_empty() {
        add(&format!("{}/", crate::config::MEDIATION_SEGMENT), None);
        for d in &model.config.disputes {
            add(
                &format!("{}/{}/", crate::config::MEDIATION_SEGMENT, d.key),
                None,
            );
        }
    }
    for (i, d) in model.docs.iter().enumerate() {
        add(&d.url, model.last_modified(i));
    }
    s.push_str("</urlset>\n");
    s
}
