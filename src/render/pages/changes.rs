//! The site-wide “what changed” page, one page of it.

use super::*;

/// The site-wide “what changed” page, one page of it.
pub(crate) struct ChangesPage {
    pub(crate) page: usize,
}

impl PageKind for ChangesPage {
    fn template(&self, _model: &Model) -> &'static str {
        "changes.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        d.change_log();
        d.key(self.page);
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (shared, model) = (cx, cx.inputs.model);
        let n = &self.page;
        let all = &shared.changes;
        page.kind = "changes";
        page.title = with_page_title("更新动态".into(), *n);
        page.column = "更新动态".into();
        page.description = format!("{}各类文件的实质性修订记录", model.config.title);
        page.breadcrumbs = crumbs(model, &[("更新动态", "changes/")]);
        page.feed_url = model.url("changes/atom.xml");
        let total_pages = pages(all.len(), CHANGES_PER_PAGE);
        let url = |k: usize| model.url(&page_path("changes/", k));
        let entries: Vec<&crate::render::changes::ChangeEntry> = all
            .iter()
            .skip((n - 1) * CHANGES_PER_PAGE)
            .take(CHANGES_PER_PAGE)
            .collect();
        ctx.insert("changes", &entries);
        let pager = tera::Value::from_serializable(&Pager {
            current: *n,
            total_pages,
            prev_url: if *n > 1 { url(n - 1) } else { String::new() },
            next_url: if *n < total_pages {
                url(n + 1)
            } else {
                String::new()
            },
            pages: (1..=total_pages)
                .filter(|&k| k == 1 || k == total_pages || k.abs_diff(*n) <= 2)
                .map(|k| PagerLink {
                    number: k,
                    url: url(k),
                    current: k == *n,
                })
                .collect(),
        });
        ctx.insert_value(
            "listing",
            object(vec![
                ("pager", pager),
                ("total", tera::Value::from(all.len())),
            ]),
        );
        page_path("changes/", *n)
    }
}
