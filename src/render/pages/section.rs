//! A section's listing, one page of it.

use super::*;

/// A section's listing, one page of it.
pub(crate) struct SectionPage<'j> {
    pub(crate) key: &'j str,
    pub(crate) page: usize,
}

impl PageKind for SectionPage<'_> {
    fn template(&self, _model: &Model) -> &'static str {
        "section.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        d.listing(model, model.docs_in_section(self.key), self.page);
        d.sections(self.key);
        d.subsections(self.key);
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (shared, inputs, model) = (cx, cx.inputs, cx.inputs.model);
        let (key, n) = (self.key, &self.page);
        let title = model.section_title(key);
        let all = model.docs_in_section(key);
        let base = format!("{key}/");
        page.kind = "section";
        page.title = with_page_title(title.clone(), *n);
        page.column = model.section_title(key.split('/').next().unwrap_or(""));
        page.breadcrumbs = crumbs_for_section(model, key);
        let s = model.sections.get(key);
        page.description = s
            .and_then(|s| s.summary.clone())
            .unwrap_or_else(|| format!("{title}：共 {} 篇", all.len()));
        if !key.contains('/') && DocType::from_folder(key).is_typed() {
            page.feed_url = model.url(&format!("{key}/atom.xml"));
        }
        let subsections: Vec<SubSection> = model
            .sections
            .keys()
            .filter(|k| k.rsplit_once('/').is_some_and(|(p, _)| p == key))
            .map(|k| SubSection {
                title: model.section_title(k),
                url: model.url(&format!("{k}/")),
                count: model.docs_in_section(k).len(),
            })
            .collect();
        let content = if *n == 1 {
            inputs
                .section_bodies
                .get(key)
                .map_or("", |r| r.html.as_str())
        } else {
            ""
        };
        ctx.insert(
            "section",
            &SectionCtx {
                title: &title,
                content,
                url: model.url(&base),
                subsections,
            },
        );
        ctx.insert_value("listing", listing(shared, all, &base, *n));
        page_path(&base, *n)
    }
}

#[derive(Serialize)]
struct SubSection {
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct SectionCtx<'a> {
    title: &'a str,
    content: &'a str,
    url: String,
    subsections: Vec<SubSection>,
}
