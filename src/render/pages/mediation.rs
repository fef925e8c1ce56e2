//! 行政调解 (the regulation's Articles 11–13): which disputes agencies
//! mediate, who mediates each and how to apply — a page listing every kind
//! (`mediation/`) and a page per kind (`mediation/<key>/`), both made from
//! `[disputes.…]` in `site.toml`.

use super::*;
use crate::config::{Contact, Dispute, RegistryKind};

use crate::config::{MEDIATION_SEGMENT as SEGMENT, MEDIATION_TITLE as TITLE};

/// `mediation/`: every kind of dispute.
pub(crate) struct MediationPage;

/// `mediation/<key>/`: one kind of dispute.
pub(crate) struct DisputePage {
    pub(crate) dispute: usize,
}

#[derive(Serialize)]
struct AgencyContact<'a> {
    key: &'a str,
    name: &'a str,
    url: String,
    description: &'a str,
    #[serde(flatten)]
    contact: &'a Contact,
}

#[derive(Serialize)]
struct DisputeCtx<'a> {
    key: &'a str,
    name: &'a str,
    url: String,
    description: &'a str,
    agencies: Vec<AgencyContact<'a>>,
    apply: &'a str,
    contact: &'a str,
    basis: &'a str,
}

#[derive(Serialize)]
struct MediationCtx<'a> {
    title: &'static str,
    url: String,
    disputes: Vec<DisputeCtx<'a>>,
}

fn dispute_ctx<'a>(model: &'a Model, d: &'a Dispute) -> DisputeCtx<'a> {
    DisputeCtx {
        key: &d.key,
        name: &d.name,
        url: model.url(&format!("{SEGMENT}/{}/", d.key)),
        description: &d.description,
        agencies: d
            .agencies
            .iter()
            .filter_map(|k| model.config.agencies.get(k))
            .map(|t| AgencyContact {
                key: &t.key,
                name: &t.name,
                url: model.url(&format!("{}/{}/", RegistryKind::Agencies.segment(), t.key)),
                description: &t.description,
                contact: &t.contact,
            })
            .collect(),
        apply: &d.apply,
        contact: &d.contact,
        basis: &d.basis,
    }
}

fn mediation_ctx(model: &Model) -> MediationCtx<'_> {
    MediationCtx {
        title: TITLE,
        url: model.url(&format!("{SEGMENT}/")),
        disputes: model
            .config
            .disputes
            .iter()
            .map(|d| dispute_ctx(model, d))
            .collect(),
    }
}

impl PageKind for MediationPage {
    fn template(&self, _model: &Model) -> &'static str {
        "mediation.html"
    }

    /// Made from `site.toml` alone, which every page depends on already.
    fn inputs(&self, _model: &Model, d: &mut Declared) {
        d.key(SEGMENT);
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let model = cx.inputs.model;
        page.kind = "mediation";
        page.title = TITLE.into();
        page.column = TITLE.into();
        let names: Vec<&str> = model
            .config
            .disputes
            .iter()
            .map(|d| d.name.as_str())
            .collect();
        page.description = format!("可以申请行政机关调解的纠纷：{}", names.join("、"));
        let base = format!("{SEGMENT}/");
        page.breadcrumbs = crumbs(model, &[(TITLE, &base)]);
        ctx.insert("mediation", &mediation_ctx(model));
        base
    }
}

impl PageKind for DisputePage {
    fn template(&self, _model: &Model) -> &'static str {
        "dispute.html"
    }

    fn inputs(&self, _model: &Model, d: &mut Declared) {
        d.key((SEGMENT, self.dispute));
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let model = cx.inputs.model;
        let d = &model.config.disputes[self.dispute];
        let dispute = dispute_ctx(model, d);
        page.kind = "dispute";
        page.title = d.name.clone();
        page.column = TITLE.into();
        page.description = if d.description.is_empty() {
            let who: Vec<&str> = dispute.agencies.iter().map(|a| a.name).collect();
            if who.is_empty() {
                format!("{}：如何申请行政调解", d.name)
            } else {
                format!("{}：由{}调解", d.name, who.join("、"))
            }
        } else {
            d.description.clone()
        };
        let base = format!("{SEGMENT}/{}/", d.key);
        page.breadcrumbs = crumbs(model, &[(TITLE, &format!("{SEGMENT}/")), (&d.name, &base)]);
        ctx.insert("dispute", &dispute);
        ctx.insert(
            "mediation",
            &LinkRef {
                title: TITLE.into(),
                url: model.url(&format!("{SEGMENT}/")),
            },
        );
        base
    }
}
