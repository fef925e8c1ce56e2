//! Everything a build writes, behind one interface and listed once in
//! [`ALL`]: pages, feeds, sitemap, open data, catalog, change feeds,
//! content files, attachments and the search index. A build writes them all side by
//! side; a live preview renders the pages itself (page by page, by
//! fingerprint), writes the other quick outputs with them, and leaves those
//! that say they are [`SiteOutput::background`] work for after the pages
//! are served.

use std::collections::HashSet;

use super::{Renderer, attachments, changes, data, feeds, report_data};
use crate::diag::Diagnostic;
use crate::model::Model;
use crate::output::Output;
use crate::search::Synonyms;

/// Which lists, content files and attachments to make again (`None`: all
/// of them).
#[derive(Clone, Copy, Default)]
pub struct Only<'s> {
    pub lists: Option<&'s HashSet<String>>,
    /// Output paths of content files and attachments.
    pub assets: Option<&'s HashSet<String>>,
}

/// What every output is written from.
pub struct OutputContext<'r, 'a, 'b> {
    pub renderer: &'r Renderer<'a, 'b>,
    pub synonyms: &'r Synonyms,
    /// Render but write nothing that only a served site needs (`check`).
    pub dry_run: bool,
    pub only: Only<'r>,
}

/// One kind of output.
pub trait SiteOutput: Sync {
    /// What it is, for timings.
    fn name(&self) -> &'static str;

    /// Slow to make: a live preview makes it after the pages are served.
    fn background(&self) -> bool;

    /// Made page by page, each when its inputs changed: a live preview
    /// renders these itself (see `crate::engine`).
    fn per_page(&self) -> bool {
        false
    }

    /// Writes its files into `out`.
    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>>;

    /// Every file it keeps, those not made again included (a live preview
    /// removes the rest).
    fn kept(&self, _model: &Model) -> Vec<String> {
        Vec::new()
    }
}

/// Every output, listed once.
pub const ALL: &[&dyn SiteOutput] = &[
    &Pages,
    &Feeds,
    &Sitemap,
    &ListData,
    &ReportData,
    &Catalog,
    &RecordData,
    &ChangeFeeds,
    &ContentFiles,
    &Attachments,
    &SearchIndex,
];

fn one(e: Diagnostic) -> Vec<Diagnostic> {
    vec![e]
}

/// Every page, through Tera.
struct Pages;

impl SiteOutput for Pages {
    fn name(&self) -> &'static str {
        "pages"
    }

    fn background(&self) -> bool {
        false
    }

    fn per_page(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        cx.renderer.render(&cx.renderer.jobs(), out).map(|_| ())
    }
}

/// Atom feeds: the site's, each type's, each feed registry term's.
struct Feeds;

impl SiteOutput for Feeds {
    fn name(&self) -> &'static str {
        "feeds"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        feeds::write_feeds(cx.renderer.shared.inputs, out).map_err(one)
    }
}

/// `sitemap.xml` and `robots.txt`.
struct Sitemap;

impl SiteOutput for Sitemap {
    fn name(&self) -> &'static str {
        "sitemap"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        feeds::write_sitemap(cx.renderer.shared.inputs.model, out).map_err(one)
    }
}

/// Each list's JSON, CSV and XLSX.
struct ListData;

impl SiteOutput for ListData {
    fn name(&self) -> &'static str {
        "list data"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        let inputs = cx.renderer.shared.inputs;
        let model = inputs.model;
        let which = |i: usize| cx.only.lists.is_none_or(|l| l.contains(&model.docs[i].key));
        data::write_lists(inputs, out, &which).map_err(one)
    }

    fn kept(&self, model: &Model) -> Vec<String> {
        (0..model.docs.len())
            .flat_map(|i| data::list_files(model, i))
            .collect()
    }
}

/// The annual reports' JSON and CSV.
struct ReportData;

impl SiteOutput for ReportData {
    fn name(&self) -> &'static str {
        "report data"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        report_data::write(cx.renderer.shared.inputs.model, out).map_err(one)
    }
}

/// The catalog of every document and the lists' schema.
struct Catalog;

impl SiteOutput for Catalog {
    fn name(&self) -> &'static str {
        "catalog"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        let model = cx.renderer.shared.inputs.model;
        let mut datasets = vec![report_data::dataset(model)];
        if !model.config.agencies.terms.is_empty() {
            datasets.push(super::record::dataset(&|p| model.permalink(p)));
        }
        data::write_catalog(model, &datasets, out).map_err(one)
    }
}

/// 执法公示情况 as open data (`data/record.json`, `data/record.csv`).
struct RecordData;

impl SiteOutput for RecordData {
    fn name(&self) -> &'static str {
        "record data"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        let shared = &cx.renderer.shared;
        super::record::write_data(shared.inputs.model, &shared.record, out).map_err(one)
    }
}

/// The change log's Atom feeds.
struct ChangeFeeds;

impl SiteOutput for ChangeFeeds {
    fn name(&self) -> &'static str {
        "change feeds"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        let shared = &cx.renderer.shared;
        changes::write_feeds(shared.inputs.model, &shared.changes, out).map_err(one)
    }
}

/// The content folder's own files, copied.
struct ContentFiles;

impl SiteOutput for ContentFiles {
    fn name(&self) -> &'static str {
        "content files"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        let assets = cx.only.assets;
        cx.renderer
            .assets_copy(out, &|a| assets.is_none_or(|s| s.contains(&a.out)))
    }

    fn kept(&self, model: &Model) -> Vec<String> {
        model.assets.iter().map(|a| a.out.clone()).collect()
    }
}

/// Documents' attachments, copied beside their pages.
struct Attachments;

impl SiteOutput for Attachments {
    fn name(&self) -> &'static str {
        "attachments"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        let assets = cx.only.assets;
        let model = cx.renderer.shared.inputs.model;
        attachments::copy(model, out, &|p| assets.is_none_or(|s| s.contains(p)))
    }

    fn kept(&self, model: &Model) -> Vec<String> {
        attachments::paths(model)
    }
}

/// The search index (not for a dry run).
struct SearchIndex;

impl SiteOutput for SearchIndex {
    fn name(&self) -> &'static str {
        "search index"
    }

    fn background(&self) -> bool {
        true
    }

    fn write(&self, cx: &OutputContext<'_, '_, '_>, out: &Output) -> Result<(), Vec<Diagnostic>> {
        if cx.dry_run {
            return Ok(());
        }
        let inputs = cx.renderer.shared.inputs;
        let stats =
            crate::search::write(inputs.model, inputs.bodies, cx.synonyms, out).map_err(one)?;
        if std::env::var_os("GONGSHI_TIMINGS").is_some() {
            eprintln!("  search index: {stats:?}");
        }
        Ok(())
    }
}
