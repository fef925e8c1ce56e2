//! A registry term's listing, one page of it.

use super::*;

/// A registry term's listing, one page of it.
pub(crate) struct TermPage<'j> {
    pub(crate) registry: usize,
    pub(crate) term: &'j str,
    pub(crate) page: usize,
}

impl PageKind for TermPage<'_> {
    fn template(&self, _model: &Model) -> &'static str {
        "term.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        let r = &model.registries[self.registry];
        let all = r.members.get(self.term).map_or(&[][..], Vec::as_slice);
        d.key((self.term, self.registry, reports_path(model, r, self.term)));
        d.listing(model, all, self.page);
        if self.shows_record(model) {
            super::record::declare_agency_docs(model, Some(self.term), d);
        }
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (shared, model) = (cx, cx.inputs.model);
        let (registry, term, n) = (&self.registry, self.term, &self.page);
        let r = &model.registries[*registry];
        let t = r.registry.get(term).cloned().unwrap_or_default();
        let base = format!("{}/{}/", r.segment, t.key);
        let all: &[usize] = r.members.get(term).map_or(&[], Vec::as_slice);
        page.kind = "term";
        page.title = with_page_title(t.name.clone(), *n);
        page.column = r.name.into();
        page.description = if t.description.is_empty() {
            format!("{}：{}，共 {} 篇", r.name, t.name, all.len())
        } else {
            t.description.clone()
        };
        page.breadcrumbs = crumbs(
            model,
            &[(r.name, &format!("{}/", r.segment)), (&t.name, &base)],
        );
        if r.has_feeds {
            page.feed_url = model.url(&format!("{base}atom.xml"));
        }
        ctx.insert("term", &TermCtx::new(model, r, &t, &base));
        ctx.insert_value("listing", listing(shared, all, &base, *n));
        if self.shows_record(model)
            && let Some(row) = cx.record.rows.iter().find(|row| row.agency == term)
        {
            ctx.insert(
                "record_row",
                &crate::render::record::row_ctx(model, cx.record.report_years, row),
            );
            ctx.insert(
                "record",
                &crate::render::record::record_link(model, &cx.record),
            );
        }
        page_path(&base, *n)
    }
}

impl TermPage<'_> {
    /// An agency's first page carries its row of 执法公示情况.
    fn shows_record(&self, model: &Model) -> bool {
        self.page == 1
            && model.registries[self.registry].kind == crate::config::RegistryKind::Agencies
    }
}

#[derive(Serialize)]
pub(super) struct TermCtx<'a> {
    pub(super) registry_key: &'a str,
    pub(super) registry_name: &'a str,
    pub(super) registry_url: String,
    pub(super) key: &'a str,
    pub(super) name: &'a str,
    pub(super) description: &'a str,
    pub(super) url: String,
    /// An agency's contact details, when `site.toml` gives them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) contact: Option<&'a crate::config::Contact>,
    /// An agency's annual reports across the years, when it has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) reports_url: Option<String>,
}

/// The path of the page of an agency's annual reports, when `term` is an
/// agency that has published any.
fn reports_path(model: &Model, r: &crate::model::PublishedRegistry, term: &str) -> Option<String> {
    let agencies = r.kind == crate::config::RegistryKind::Agencies;
    (agencies && model.reporting.contains(term)).then(|| crate::model::reports::agency_path(term))
}

impl<'a> TermCtx<'a> {
    /// Term `t` of registry `r`, whose page is at `base`.
    pub(super) fn new(
        model: &Model,
        r: &'a crate::model::PublishedRegistry,
        t: &'a crate::config::Term,
        base: &str,
    ) -> Self {
        TermCtx {
            registry_key: r.key,
            registry_name: r.name,
            registry_url: model.url(&format!("{}/", r.segment)),
            key: &t.key,
            name: &t.name,
            description: &t.description,
            url: model.url(base),
            contact: Some(&t.contact).filter(|c| !c.is_empty()),
            reports_url: reports_path(model, r, &t.key).map(|p| model.url(&p)),
        }
    }
}
