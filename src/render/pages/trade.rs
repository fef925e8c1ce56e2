//! One page per industry (一业一页) and per district: what applies there,
//! gathered across every agency — the current list items, the active risk
//! points with their measures, guidance, cases, whom to ask — with a
//! self-check list, then every document of the term (page 1 of its
//! listing; later pages are plain [`super::term::TermPage`]s).

use super::*;
use crate::config::RegistryKind;
use crate::content::{Item, Typed};
use crate::model::Status;
use crate::render::context::DateCtx;

/// The registries whose terms get this page instead of a bare listing.
pub(crate) const GATHERED: [RegistryKind; 2] = [RegistryKind::Industries, RegistryKind::Districts];

/// An industry's or district's page.
pub(crate) struct TradePage<'j> {
    pub(crate) registry: usize,
    pub(crate) term: &'j str,
}

impl PageKind for TradePage<'_> {
    fn template(&self, _model: &Model) -> &'static str {
        "trade.html"
    }

    fn inputs(&self, model: &Model, d: &mut Declared) {
        let r = &model.registries[self.registry];
        let all = r.members.get(self.term).map_or(&[][..], Vec::as_slice);
        d.key((self.term, self.registry));
        d.listing(model, all, 1);
        // What it gathers comes from the members' own data (items, risk
        // points, statuses), all of which a document's input covers.
        for &i in all {
            d.doc(i);
        }
    }

    fn context(
        &self,
        cx: &RenderContext<'_, '_>,
        page: &mut PageCtx,
        ctx: &mut tera::Context,
    ) -> String {
        let model = cx.inputs.model;
        let r = &model.registries[self.registry];
        let t = r.registry.get(self.term).cloned().unwrap_or_default();
        let base = format!("{}/{}/", r.segment, t.key);
        let all: &[usize] = r.members.get(self.term).map_or(&[], Vec::as_slice);
        let industry = (r.kind == RegistryKind::Industries).then_some(self.term);
        let trade = gather(cx, all, industry);
        page.kind = "trade";
        page.title = t.name.clone();
        page.column = r.name.into();
        page.description = if t.description.is_empty() {
            format!(
                "{}适用的免罚轻罚事项、风险提示、行政指导和典型案例，共 {} 篇文件",
                t.name,
                all.len()
            )
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
        let warnings_feed = industry
            .filter(|_| r.has_feeds)
            .map(|k| model.url(&crate::render::feeds::warnings_feed(r.segment, k)))
            .unwrap_or_default();
        ctx.insert("warnings_feed", &warnings_feed);
        ctx.insert("term", &super::term::TermCtx::new(model, r, &t, &base));
        ctx.insert("trade", &trade);
        ctx.insert_value("listing", listing(cx, all, &base, 1));
        base
    }
}

/// One list's items that apply.
#[derive(Serialize)]
struct ListGroup<'a> {
    #[serde(skip)]
    doc: usize,
    title: &'a str,
    url: String,
    kind: Option<TermRef>,
    agency: Option<TermRef>,
    /// In force since (the first version's day for a revised list).
    effective: Option<DateCtx>,
    /// The newest version's day, when the list was revised after that.
    revised: Option<DateCtx>,
    items: Vec<ItemRef<'a>>,
}

#[derive(Serialize)]
struct ItemRef<'a> {
    id: &'a str,
    url: String,
    violation: &'a str,
    conditions: &'a str,
    handling: &'a str,
}

/// One warning's risk points.
#[derive(Serialize)]
struct RiskGroup<'a> {
    #[serde(skip)]
    doc: usize,
    title: &'a str,
    url: String,
    level: Option<TermRef>,
    /// 1 for the highest level `site.toml` declares (0: none).
    level_rank: usize,
    valid_until: Option<DateCtx>,
    points: Vec<RiskRef<'a>>,
}

#[derive(Serialize)]
struct RiskRef<'a> {
    point: &'a str,
    measures: &'a str,
    url: String,
}

/// A group of the self-check list.
#[derive(Serialize)]
struct CheckGroup {
    title: String,
    entries: Vec<CheckEntry>,
}

#[derive(Serialize)]
struct CheckEntry {
    /// Stable across builds, for the reader's browser to remember a tick:
    /// the document's URL below the base (public already, unlike its
    /// source path) and the item or risk point.
    key: String,
    text: String,
    url: String,
}

#[derive(Serialize)]
struct TradeCtx<'a> {
    lists: Vec<ListGroup<'a>>,
    item_count: usize,
    risks: Vec<RiskGroup<'a>>,
    risk_count: usize,
    guidance: Vec<tera::Value>,
    cases: Vec<tera::Value>,
    agencies: Vec<AgencyRef>,
    checklist: Vec<CheckGroup>,
    check_count: usize,
}

#[derive(Serialize)]
struct AgencyRef {
    key: String,
    name: String,
    url: String,
    description: String,
}

/// Whether a list item applies on the page: on an industry's page, an item
/// that names industries applies to those, one that names none to its
/// list's; on a district's page, every item of a list filed there.
fn applies(industry: Option<&str>, list: &crate::content::Document, item: &Item) -> bool {
    match industry {
        None => true,
        Some(t) if item.industries.is_empty() => list.industries.iter().any(|i| i == t),
        Some(t) => item.industries.iter().any(|i| i == t),
    }
}

fn gather<'a>(
    cx: &'a RenderContext<'_, '_>,
    all: &[usize],
    industry: Option<&str>,
) -> TradeCtx<'a> {
    let model = cx.inputs.model;
    let current = |i: usize| model.statuses[i] == Some(Status::Current);
    let mut lists = Vec::new();
    let mut risks = Vec::new();
    let mut guidance = Vec::new();
    let mut cases = Vec::new();
    let mut agencies: Vec<&str> = Vec::new();
    for &i in all {
        let d = &model.docs[i];
        let counted = match &d.typed {
            Typed::List { kind, items, .. } if current(i) => {
                let mine: Vec<&Item> = items.iter().filter(|it| applies(industry, d, it)).collect();
                if !mine.is_empty() {
                    lists.push(list_group(model, i, kind, &mine));
                }
                !mine.is_empty()
            }
            Typed::Warning {
                level,
                valid_until,
                risks: points,
            } if current(i) && !points.is_empty() => {
                risks.push(RiskGroup {
                    doc: i,
                    title: &d.title,
                    url: model.url(&d.url),
                    level: model.term_ref(RegistryKind::RiskLevels, level),
                    level_rank: model
                        .config
                        .risk_levels
                        .position(level)
                        .map_or(0, |p| p + 1),
                    valid_until: valid_until.map(DateCtx::from),
                    points: points
                        .iter()
                        .enumerate()
                        .map(|(n, p)| RiskRef {
                            point: &p.point,
                            measures: &p.measures,
                            url: format!("{}#risk-{}", model.url(&d.url), n + 1),
                        })
                        .collect(),
                });
                true
            }
            Typed::Guidance { .. } => {
                guidance.push(cx.summaries[i].clone());
                true
            }
            Typed::Case { .. } => {
                cases.push(cx.summaries[i].clone());
                true
            }
            _ => false,
        };
        if counted
            && let Some(a) = d.agency.as_deref()
            && !agencies.contains(&a)
        {
            agencies.push(a);
        }
    }
    // Agencies in the order `site.toml` declares them.
    let agencies: Vec<AgencyRef> = model
        .config
        .agencies
        .terms
        .iter()
        .filter(|t| agencies.contains(&t.key.as_str()))
        .map(|t| AgencyRef {
            key: t.key.clone(),
            name: t.name.clone(),
            url: model.url(&format!("{}/{}/", RegistryKind::Agencies.segment(), t.key)),
            description: t.description.clone(),
        })
        .collect();
    let checklist = checklist(model, &lists, &risks);
    TradeCtx {
        item_count: lists.iter().map(|l| l.items.len()).sum(),
        risk_count: risks.iter().map(|r| r.points.len()).sum(),
        check_count: checklist.iter().map(|g| g.entries.len()).sum(),
        lists,
        risks,
        guidance,
        cases,
        agencies,
        checklist,
    }
}

fn list_group<'a>(model: &'a Model, i: usize, kind: &str, items: &[&'a Item]) -> ListGroup<'a> {
    let d = &model.docs[i];
    let url = model.url(&d.url);
    let first = model.first_effective(i);
    ListGroup {
        doc: i,
        title: &d.title,
        kind: model.term_ref(RegistryKind::ListKinds, kind),
        agency: d
            .agency
            .as_deref()
            .and_then(|a| model.term_ref(RegistryKind::Agencies, a)),
        effective: first.or(d.effective).or(d.date).map(DateCtx::from),
        revised: first.and(d.effective).map(DateCtx::from),
        items: items
            .iter()
            .map(|it| ItemRef {
                id: &it.id,
                url: format!("{url}#item-{}", it.id),
                violation: &it.violation,
                conditions: &it.conditions,
                handling: &it.handling,
            })
            .collect(),
        url,
    }
}

/// The self-check list: each applicable list item (is it avoided, or put
/// right?) and each active risk point's own self-check entries, in the
/// order the page shows them.
fn checklist(model: &Model, lists: &[ListGroup<'_>], risks: &[RiskGroup<'_>]) -> Vec<CheckGroup> {
    let mut groups = Vec::new();
    for l in lists {
        let doc = &model.docs[l.doc].url;
        groups.push(CheckGroup {
            title: format!("对照《{}》：本单位不存在下列情形，或已改正", l.title),
            entries: l
                .items
                .iter()
                .map(|it| CheckEntry {
                    key: format!("{doc}#item-{}", it.id),
                    text: it.violation.to_string(),
                    url: it.url.clone(),
                })
                .collect(),
        });
    }
    for r in risks {
        let d = &model.docs[r.doc];
        let Typed::Warning { risks: points, .. } = &d.typed else {
            continue;
        };
        let entries: Vec<CheckEntry> = points
            .iter()
            .enumerate()
            .flat_map(|(n, p)| p.self_check.iter().enumerate().map(move |(m, t)| (n, m, t)))
            .map(|(n, m, text)| CheckEntry {
                key: format!("{}#risk-{}-{}", d.url, n + 1, m + 1),
                text: text.clone(),
                url: format!("{}#risk-{}", r.url, n + 1),
            })
            .collect();
        if !entries.is_empty() {
            groups.push(CheckGroup {
                title: format!("《{}》自查要点", r.title),
                entries,
            });
        }
    }
    groups
}
