//! The values templates see, as documented in `docs/templates.md`. Built
//! once per page from the model; all URLs root-relative except permalinks.

use serde::Serialize;

use crate::config::RegistryKind;
use crate::content::{DocType, Document, Typed};
use crate::date::Date;
use crate::markdown::Heading;
use crate::model::{Model, Status};
use crate::versions::Version;

#[derive(Serialize, Clone, Debug)]
pub struct DateCtx {
    pub iso: String,
    pub zh: String,
}

impl From<Date> for DateCtx {
    fn from(d: Date) -> Self {
        DateCtx {
            iso: d.to_string(),
            zh: d.zh(),
        }
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct TermRef {
    pub key: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct StatusCtx {
    pub key: Status,
    pub label: &'static str,
    pub as_of: DateCtx,
    /// The status by date, for the reader's browser to refresh a page built
    /// days ago: `pending;2024-03-01 current;2025-01-01 expired`.
    pub timeline: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct SiteCtx {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub organizer: String,
    pub icp: String,
    pub psb: String,
    pub site_code: String,
    pub contact: String,
    pub build_date: String,
    pub build_date_iso: String,
    /// 执法公示情况's URL (empty: no agencies, no page).
    pub record_url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct NavItem {
    pub key: String,
    pub title: String,
    pub url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct Assets {
    pub css: String,
    pub print_css: String,
    pub js: String,
}

#[derive(Serialize, Clone, Debug, Default)]
pub struct PageCtx {
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub description: String,
    pub column: String,
    pub breadcrumbs: Vec<LinkRef>,
    pub feed_url: String,
    pub pub_date: String,
    pub source: String,
    pub noindex: bool,
    /// 政府网站找错: the national error-reporting page for this page, when
    /// `site.toml` gives the site's 网站标识码 (`site_code`).
    pub report_url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct ItemCtx<'a> {
    pub id: &'a str,
    pub anchor: String,
    pub violation: &'a str,
    pub basis: &'a str,
    pub penalty_basis: &'a str,
    pub conditions: &'a str,
    pub handling: &'a str,
    pub note: &'a str,
    /// 分类, empty when none.
    pub category: &'a str,
    /// 序号: the item's `no`, or in a table its place in the list.
    pub no: String,
    /// In a table: the first item of its category (a new `<tbody>`).
    pub category_start: bool,
    /// 一句话说明, empty when the item gives none.
    pub summary: &'a str,
    /// The conditions one by one, for a reader to tick ([`conditions`]).
    pub condition_list: Vec<String>,
}

impl<'a> ItemCtx<'a> {
    /// An item in a list's table, in display order
    /// ([`super::groups::ordered`]).
    pub fn placed(p: super::groups::Placed<'a>) -> Self {
        ItemCtx {
            no: p.no(),
            category_start: p.starts_group,
            ..ItemCtx::of(p.item)
        }
    }

    /// A list item as templates see it, with its anchor `item-<id>`.
    pub fn of(it: &'a crate::content::Item) -> Self {
        ItemCtx {
            summary: &it.summary,
            condition_list: super::conditions::conditions(&it.conditions),
            category: &it.category,
            no: it.no.clone(),
            category_start: false,
            id: &it.id,
            anchor: format!("item-{}", it.id),
            violation: &it.violation,
            basis: &it.basis,
            penalty_basis: &it.penalty_basis,
            conditions: &it.conditions,
            handling: &it.handling,
            note: &it.note,
        }
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct RiskCtx<'a> {
    pub anchor: String,
    pub point: &'a str,
    pub cause: &'a str,
    pub measures: &'a str,
    pub basis: &'a str,
    pub self_check: &'a [String],
}

#[derive(Serialize, Clone, Debug)]
pub struct RevisionCtx {
    pub date: DateCtx,
    pub note: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct YearCtx {
    pub value: i64,
    pub url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct LevelCtx {
    pub key: String,
    pub name: String,
    pub url: String,
    pub rank: usize,
}

/// A whole document, for its own page.
#[derive(Serialize, Debug)]
pub struct DocCtx<'a> {
    pub title: &'a str,
    #[serde(rename = "type")]
    pub doc_type: DocType,
    pub type_name: &'static str,
    pub url: String,
    pub permalink: String,
    /// The front matter's `summary`, empty when not given.
    pub summary: String,
    /// Plain text for `<meta name="description">`: the summary or the first paragraph.
    pub description: String,
    pub content: &'a str,
    pub toc: Vec<&'a Heading>,
    pub date: Option<DateCtx>,
    pub updated: Option<DateCtx>,
    /// 首次发布: the front matter's `date`, else the day git first saw the
    /// document (absent without either).
    pub published: Option<DateCtx>,
    /// The public 修订记录, newest first, ending with the publication:
    /// `{date, note}`. Notes are the authors' own (front matter
    /// `revisions`, `修订说明:` trailers), else 内容修订 / 首次发布.
    pub history: Vec<RevisionCtx>,
    pub effective: Option<DateCtx>,
    /// A list revised over time: the day its first version took effect,
    /// when earlier than `effective` (the newest version's day).
    pub first_effective: Option<DateCtx>,
    pub expires: Option<DateCtx>,
    pub valid_until: Option<DateCtx>,
    pub agency: Option<TermRef>,
    /// How to reach the publishing agency (`site.toml`), absent when it
    /// gives none.
    pub agency_contact: Option<&'a crate::config::Contact>,
    pub districts: Vec<TermRef>,
    pub industries: Vec<TermRef>,
    pub tags: &'a [String],
    pub doc_number: &'a str,
    pub index_number: String,
    pub status: Option<StatusCtx>,
    pub superseded_by: Option<LinkRef>,
    pub supersedes: Vec<LinkRef>,
    pub kind: Option<TermRef>,
    /// Lists: what meeting every condition of an item brings, in the
    /// list kind's words (可不予处罚, 可从轻或者减轻处罚, 可不予实施行政强制).
    pub list_outcome: &'static str,
    pub items: Vec<ItemCtx<'a>>,
    pub method: Option<TermRef>,
    pub audience: &'a str,
    pub year: Option<YearCtx>,
    pub methods: Vec<TermRef>,
    pub outcome: &'a str,
    pub honor: &'a str,
    pub level: Option<LevelCtx>,
    pub risks: Vec<RiskCtx<'a>>,
    pub extra: Option<&'a serde_json::Map<String, serde_json::Value>>,
    /// 附件: the files published beside the page, in the order written.
    pub attachments: Vec<super::attachments::AttachmentCtx<'a>>,
    /// Lists: URLs of the JSON, CSV and XLSX files.
    pub downloads: Option<super::data::Downloads>,
    /// Lists: their versions from git, oldest first.
    pub versions: Vec<VersionRef>,
    /// Annual reports: the year reported on, its figures and the pages
    /// of that year and of the agency's reports.
    pub report: Option<super::reports::ReportCtx>,
}

/// A document in a listing.
#[derive(Serialize, Clone, Debug)]
pub struct Summary<'a> {
    pub title: &'a str,
    pub url: String,
    #[serde(rename = "type")]
    pub doc_type: DocType,
    pub type_name: &'static str,
    pub date: Option<DateCtx>,
    pub agency: Option<TermRef>,
    pub status: Option<StatusCtx>,
    pub summary: String,
    pub doc_number: &'a str,
}

impl Model {
    pub fn term_ref(&self, registry: RegistryKind, key: &str) -> Option<TermRef> {
        let r = self.registries.iter().find(|r| r.kind == registry)?;
        let t = r.registry.get(key)?;
        Some(TermRef {
            key: t.key.clone(),
            name: t.name.clone(),
            url: self.url(&format!("{}/{}/", r.segment, t.key)),
        })
    }

    fn term_refs(&self, registry: RegistryKind, keys: &[String]) -> Vec<TermRef> {
        keys.iter()
            .filter_map(|k| self.term_ref(registry, k))
            .collect()
    }

    pub fn status_ctx(&self, i: usize) -> Option<StatusCtx> {
        self.statuses[i].map(|s| self.status_from(s, self.timelines[i].iter().flatten()))
    }

    /// Status `s` today, with the timeline the reader's browser refreshes it from.
    fn status_from<'t>(
        &self,
        s: Status,
        steps: impl Iterator<Item = &'t (Option<Date>, Status)>,
    ) -> StatusCtx {
        StatusCtx {
            key: s,
            label: s.label(),
            as_of: self.today.into(),
            timeline: steps
                .map(|(from, st)| {
                    let key = st.key();
                    from.map_or_else(|| key.to_string(), |f| format!("{f} {key}"))
                })
                .collect::<Vec<_>>()
                .join(";"),
        }
    }

    /// The summary text: front matter `summary`, else the first paragraph.
    pub fn summary_text(&self, i: usize, first_paragraph: &str) -> String {
        let d = &self.docs[i];
        let s = d.summary.as_deref().unwrap_or(first_paragraph);
        crate::escape::truncate_chars(s, 160)
    }

    pub fn summary<'a>(&'a self, i: usize, first_paragraph: &str) -> Summary<'a> {
        let d = &self.docs[i];
        Summary {
            title: &d.title,
            url: self.url(&d.url),
            doc_type: d.doc_type,
            type_name: d.doc_type.name(),
            date: d.date.map(Into::into),
            agency: d
                .agency
                .as_deref()
                .and_then(|a| self.term_ref(RegistryKind::Agencies, a)),
            status: self.status_ctx(i),
            summary: self.summary_text(i, first_paragraph),
            doc_number: d.doc_number.as_deref().unwrap_or(""),
        }
    }

    pub fn doc_ctx<'a>(&'a self, i: usize, rendered: &'a crate::markdown::Rendered) -> DocCtx<'a> {
        let d: &'a Document = &self.docs[i];
        let link_to = |j: usize| LinkRef {
            title: self.docs[j].title.clone(),
            url: self.url(&self.docs[j].url),
        };
        let mut ctx = DocCtx {
            title: &d.title,
            doc_type: d.doc_type,
            type_name: d.doc_type.name(),
            url: self.url(&d.url),
            permalink: self.permalink(&d.url),
            summary: d.summary.clone().unwrap_or_default(),
            description: self.summary_text(i, &rendered.first_paragraph),
            content: &rendered.html,
            toc: rendered
                .headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .collect(),
            date: d.date.map(Into::into),
            updated: self.updated[i].map(Into::into),
            published: self.first_published[i].map(Into::into),
            history: self.revisions[i]
                .iter()
                .map(|r| RevisionCtx {
                    date: r.date.into(),
                    note: r.note.clone(),
                })
                .collect(),
            effective: d.effective.map(Into::into),
            first_effective: self.first_effective(i).map(Into::into),
            expires: d.expires.map(Into::into),
            valid_until: None,
            agency: d
                .agency
                .as_deref()
                .and_then(|a| self.term_ref(RegistryKind::Agencies, a)),
            agency_contact: d
                .agency
                .as_deref()
                .and_then(|a| self.config.agencies.get(a))
                .map(|t| &t.contact)
                .filter(|c| !c.is_empty()),
            districts: self.term_refs(RegistryKind::Districts, &d.districts),
            industries: self.term_refs(RegistryKind::Industries, &d.industries),
            tags: &d.tags,
            doc_number: d.doc_number.as_deref().unwrap_or(""),
            index_number: if d.doc_type.is_typed() {
                d.index_number
                    .clone()
                    .unwrap_or_else(|| crate::model::derived_index_number(d))
            } else {
                String::new()
            },
            status: self.status_ctx(i),
            superseded_by: d
                .superseded_by
                .as_ref()
                .and_then(|l| self.by_key.get(&l.target))
                .map(|&j| link_to(j)),
            supersedes: self
                .supersedes
                .get(&i)
                .map(|v| v.iter().map(|&j| link_to(j)).collect())
                .unwrap_or_default(),
            kind: None,
            list_outcome: "",
            items: Vec::new(),
            method: None,
            audience: "",
            year: None,
            methods: Vec::new(),
            outcome: "",
            honor: "",
            level: None,
            risks: Vec::new(),
            extra: None,
            attachments: self.attachment_ctxs(i),
            downloads: super::data::downloads(self, i),
            versions: self.version_refs(i),
            report: super::reports::report_ctx(self, i),
        };
        self.typed_ctx(d, &mut ctx);
        ctx
    }

    /// The fields of `ctx` that `d`'s type adds (a list's items, a
    /// bulletin's risk points, a case's year and methods, …).
    fn typed_ctx<'a>(&'a self, d: &'a Document, ctx: &mut DocCtx<'a>) {
        match &d.typed {
            Typed::List {
                kind,
                items,
                categories,
            } => {
                ctx.kind = self.term_ref(RegistryKind::ListKinds, kind);
                ctx.list_outcome =
                    super::conditions::list_outcome(ctx.kind.as_ref().map_or("", |k| &k.name));
                ctx.items = super::groups::ordered(items, categories)
                    .into_iter()
                    .map(ItemCtx::placed)
                    .collect();
            }
            Typed::Guidance { method, audience } => {
                ctx.method = self.term_ref(RegistryKind::Methods, method);
                ctx.audience = audience;
            }
            Typed::Case {
                year,
                methods,
                outcome,
                honor,
            } => {
                ctx.year = Some(YearCtx {
                    value: *year,
                    url: self.url(&format!("years/{year}/")),
                });
                ctx.methods = self.term_refs(RegistryKind::Methods, methods);
                ctx.outcome = outcome;
                ctx.honor = honor;
            }
            Typed::Warning {
                level,
                valid_until,
                risks,
            } => {
                ctx.valid_until = valid_until.map(Into::into);
                ctx.level = self
                    .term_ref(RegistryKind::RiskLevels, level)
                    .map(|t| LevelCtx {
                        rank: self.config.risk_levels.position(level).map_or(0, |p| p + 1),
                        key: t.key,
                        name: t.name,
                        url: t.url,
                    });
                ctx.risks = risks
                    .iter()
                    .enumerate()
                    .map(|(n, r)| RiskCtx {
                        anchor: format!("risk-{}", n + 1),
                        point: &r.point,
                        cause: &r.cause,
                        measures: &r.measures,
                        basis: &r.basis,
                        self_check: &r.self_check,
                    })
                    .collect();
            }
            Typed::Report { year, .. } => {
                ctx.year = Some(YearCtx {
                    value: *year,
                    url: self.url(&crate::model::reports::year_path(*year)),
                });
            }
            Typed::Page { extra } => ctx.extra = Some(extra),
        }
    }
}

/// A version in lists of versions.
#[derive(Serialize, Debug)]
pub struct VersionRef {
    pub slug: String,
    pub url: String,
    pub effective: DateCtx,
    /// The last day this version applies: the day before the next version
    /// takes effect, or before the list itself ends (`expires`, or the
    /// list that supersedes it taking effect); absent while neither is set.
    pub until: Option<DateCtx>,
    pub note: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// In force on the build day: an expired list has no current version,
    /// and a version committed ahead of its date is not yet current.
    pub current: bool,
    /// The version's own status, refreshed in the reader's browser.
    pub status: StatusCtx,
    pub summary: String,
}

/// "新增 2 项，删除 1 项，修改 3 项" (or 首次发布).
pub fn summary_words(v: &Version, first: bool) -> String {
    if first {
        return format!("首次发布，共 {} 项", v.items.len());
    }
    let mut parts = Vec::new();
    if !v.changes.added.is_empty() {
        parts.push(format!("新增 {} 项", v.changes.added.len()));
    }
    if !v.changes.removed.is_empty() {
        parts.push(format!("删除 {} 项", v.changes.removed.len()));
    }
    if !v.changes.changed.is_empty() {
        parts.push(format!("修改 {} 项", v.changes.changed.len()));
    }
    parts.join("，")
}

impl Model {
    /// Path below the base of version `slug` of document `i`.
    pub fn version_path(&self, i: usize, slug: &str) -> String {
        format!("{}versions/{slug}/", self.docs[i].url)
    }

    /// The day a list's first version took effect, when a later version
    /// moved `effective` past it.
    pub fn first_effective(&self, i: usize) -> Option<Date> {
        let first = self.versions[i].first()?.effective;
        (first < self.docs[i].effective?).then_some(first)
    }

    pub fn version_refs(&self, i: usize) -> Vec<VersionRef> {
        let vs = &self.versions[i];
        // The day the list stops applying, if it does (`Some(None)`: it
        // was replaced from the start).
        let list_end = self.timelines[i]
            .iter()
            .flatten()
            .find_map(|(from, s)| (*s == Status::Expired).then_some(*from));
        vs.iter()
            .enumerate()
            .map(|(n, v)| {
                let next = vs.get(n + 1).map(|x| x.effective);
                let ends = list_end.map(|e| e.unwrap_or(v.effective));
                let end = next.into_iter().chain(ends).min();
                let steps = crate::model::status_of_period(v.effective, end);
                let status = crate::model::status_on(&steps, self.today);
                VersionRef {
                    slug: v.slug.clone(),
                    url: self.url(&self.version_path(i, &v.slug)),
                    effective: v.effective.into(),
                    until: end
                        .filter(|e| *e > v.effective)
                        .map(|e| Date::from_days(e.to_days() - 1).into()),
                    note: v.note.clone(),
                    added: v.changes.added.len(),
                    removed: v.changes.removed.len(),
                    changed: v.changes.changed.len(),
                    current: status == Status::Current,
                    status: self.status_from(status, steps.iter()),
                    summary: summary_words(v, n == 0),
                }
            })
            .collect()
    }
}
