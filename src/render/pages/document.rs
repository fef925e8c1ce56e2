//! A document's own page.

use super::*;

/// A document's own page.
pub(crate) struct DocumentPage {
    pub(crate) doc: usize,
}

impl PageKind for DocumentPage {
    fn template(&self, model: &Model) -> &'static str {
        model.docs[self.doc].doc_type.def().template
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        d.doc(self.doc);
        d.sections(&model.docs[self.doc].section);
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let (inputs, model) = (cx.inputs, cx.inputs.model);
        let i = &self.doc;
        let d = &model.docs[*i];
        let r = &inputs.bodies[*i];
        let doc = model.doc_ctx(*i, r);
        page.kind = "document";
        page.title = d.title.clone();
        page.description = doc.description.clone();
        page.column = model.section_title(d.section.split('/').next().unwrap_or(""));
        if d.section.is_empty() {
            page.column = d.title.clone();
        }
        page.breadcrumbs = crumbs_for_doc(model, d);
        page.pub_date = d.date.map(|x| x.to_string()).unwrap_or_default();
        if let Some(a) = doc.agency.as_ref() {
            page.source = a.name.clone();
        }
        if d.doc_type.is_typed() {
            page.feed_url = model.url(&format!("{}/atom.xml", d.doc_type.key()));
        }
        ctx.insert("doc", &doc);
        if let Some(f) = &model.config.feedback {
            ctx.insert(
                "feedback",
                &feedback_ctx(f, &model.permalink(&d.url), &d.title),
            );
        }
        d.url.clone()
    }

    fn source(&self, model: &Model, _path: &str) -> String {
        model.docs[self.doc].rel.clone()
    }
}

#[derive(Serialize)]
struct FeedbackLink {
    kind: &'static str,
    label: &'static str,
    url: String,
}

#[derive(Serialize)]
struct FeedbackCtx<'a> {
    name: &'a str,
    mail: bool,
    links: Vec<FeedbackLink>,
}

/// 这条信息对您有帮助吗 / 我要纠错 / 满意度评价: a link each to the site's
/// feedback service, carrying the page's address and title.
fn feedback_ctx<'a>(
    f: &'a crate::config::Feedback,
    permalink: &str,
    title: &str,
) -> FeedbackCtx<'a> {
    FeedbackCtx {
        name: &f.name,
        mail: f.url.starts_with("mailto:"),
        links: crate::config::ANSWERS
            .iter()
            .map(|&(kind, label)| FeedbackLink {
                kind,
                label,
                url: f.link(kind, label, permalink, title),
            })
            .collect(),
    }
}
