//! `[disputes.<key>]`: the kinds of civil dispute that agencies mediate
//! (行政调解, the regulation's Articles 11–13), who mediates each and how a
//! citizen applies.

use serde::Serialize;

use super::{Registry, is_key};
use crate::source::fields::Reader;
use crate::source::frontmatter::Seg;

/// The URL segment of the mediation pages (`mediation/`, `mediation/<key>/`).
pub const MEDIATION_SEGMENT: &str = "mediation";
/// Their heading and the menu's label.
pub const MEDIATION_TITLE: &str = "行政调解";

/// One kind of dispute and who mediates it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dispute {
    pub key: String,
    pub name: String,
    pub description: String,
    /// Keys of the agencies that mediate it, in the order given.
    pub agencies: Vec<String>,
    /// 如何申请: how a party applies.
    pub apply: String,
    /// 联系方式 for this kind (besides the agencies' own).
    pub contact: String,
    /// 法律依据.
    pub basis: String,
}

/// The eight kinds Article 13 names (key, name, what it covers), with the
/// keys `gongshi init` and the demo site use. A site may declare others;
/// these are a starting point.
pub const DISPUTE_KINDS: [(&str, &str, &str); 8] = [
    (
        "student-injury",
        "学生伤害事故纠纷",
        "学生在校期间或者学校组织的活动中受到人身伤害，监护人与学校之间就责任和赔偿产生的纠纷。",
    ),
    (
        "public-security",
        "治安管理纠纷",
        "因民间纠纷引起的打架斗殴、损毁他人财物等情节较轻的治安案件。",
    ),
    (
        "traffic-accident",
        "交通事故损害赔偿纠纷",
        "道路交通事故当事人对损害赔偿有争议的。",
    ),
    (
        "land-ownership",
        "土地权属纠纷",
        "对土地所有权或者使用权归属的争议。",
    ),
    (
        "forest-land",
        "林地权属纠纷",
        "对林地、林木所有权或者使用权归属的争议。",
    ),
    (
        "labor",
        "劳动争议",
        "因劳动关系、工资报酬、工伤、经济补偿、社会保险等与用人单位发生的争议。",
    ),
    (
        "consumer",
        "消费者权益投诉",
        "消费者与经营者在商品质量、价格、退换货、预付卡等方面发生的争议。",
    ),
    (
        "other",
        "其他民事纠纷",
        "其他与行政管理有直接关系、可以采取行政调解方式解决的民事纠纷。",
    ),
];

const FIELDS: [&str; 6] = [
    "name",
    "description",
    "agencies",
    "apply",
    "contact",
    "basis",
];

/// Reads `[disputes.…]`; an agency must be a key of `[agencies.…]`.
pub(super) fn read(r: &mut Reader<'_, '_>, agencies: &Registry) -> Vec<Dispute> {
    let mut out = Vec::new();
    for (key, mut entry) in r.named_tables("disputes") {
        if !is_key(key) {
            r.ctx().error(
                &[Seg::Key("disputes"), Seg::Key(key)],
                format!("键“{key}”只能使用小写字母、数字和连字符"),
                Some("例如 [disputes.labor]".into()),
            );
        }
        let mut d = Dispute {
            key: key.to_string(),
            name: entry.req_str("name").unwrap_or_else(|| key.to_string()),
            description: entry.str("description").unwrap_or_default(),
            apply: entry.str("apply").unwrap_or_default(),
            contact: entry.str("contact").unwrap_or_default(),
            basis: entry.str("basis").unwrap_or_default(),
            agencies: Vec::new(),
        };
        let named = entry.str_list("agencies");
        for (i, a) in named.into_iter().enumerate() {
            // After a table header recovery could not mend, the agency
            // may be registered in what was left out.
            if agencies.get(&a).is_some() || r.ctx().fm.gaps.unknown {
                if !d.agencies.contains(&a) {
                    d.agencies.push(a);
                }
                continue;
            }
            let at = [
                Seg::Key("disputes"),
                Seg::Key(key),
                Seg::Key("agencies"),
                Seg::Index(i),
            ];
            let hint = match agencies.terms.iter().find(|t| t.name == a) {
                Some(t) => format!(
                    "写的是名称，请改为键 {}（agencies = [\"{}\"]）",
                    t.key, t.key
                ),
                None if agencies.terms.is_empty() => {
                    "site.toml 中还没有 [agencies.…] 登记项".to_string()
                }
                None => format!(
                    "{}；调解机关须先在 site.toml 的 [agencies.…] 中登记",
                    crate::diag::did_you_mean(&a, agencies.keys())
                ),
            };
            r.ctx()
                .error(&at, format!("未登记的发布机构“{a}”"), Some(hint));
        }
        entry.finish(&FIELDS, "调解事项");
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const BASE: &str = "title = \"t\"\nbase_url = \"/\"\n\n[agencies.rsj]\nname = \"市人力资源和社会保障局\"\nphone = \"0000-12333\"\n";

    #[test]
    fn disputes_keep_order_and_agencies() {
        let text = format!(
            "{BASE}\n[disputes.labor]\nname = \"劳动争议\"\nagencies = [\"rsj\"]\napply = \"书面申请\"\n\n[disputes.other]\nname = \"其他\"\n"
        );
        let mut diags = Vec::new();
        let c = Config::parse(&text, &mut diags).expect("parses");
        assert!(diags.is_empty(), "{diags:?}");
        let keys: Vec<&str> = c.disputes.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["labor", "other"]);
        assert_eq!(c.disputes[0].agencies, ["rsj"]);
        assert_eq!(c.disputes[0].apply, "书面申请");
        assert_eq!(c.agencies.get("rsj").unwrap().contact.phone, "0000-12333");
    }

    #[test]
    fn an_agency_named_instead_of_keyed_is_located_with_its_key() {
        let text = format!(
            "{BASE}\n[disputes.labor]\nname = \"劳动争议\"\nagencies = [\"市人力资源和社会保障局\", \"rsjj\"]\n"
        );
        let mut diags = Vec::new();
        Config::parse(&text, &mut diags).expect("parses");
        let msgs: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs[0].starts_with("site.toml:10:1: disputes.labor.agencies[1]: 未登记的发布机构“市人力资源和社会保障局”")
                && msgs[0].contains("写的是名称，请改为键 rsj"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[1].contains("rsjj") && msgs[1].contains("rsj"),
            "{}",
            msgs[1]
        );
    }

    #[test]
    fn phone_numbers_must_be_dialable() {
        for (phone, ok) in [
            ("0000-12345678", true),
            ("12345、0571-8700 1234", true),
            ("(0571)12345转3", true),
            ("电话12345", false),
            ("12345、转3", false),
            ("12", false),
        ] {
            let text = format!(
                "title = \"t\"\nbase_url = \"/\"\n[agencies.a]\nname = \"甲\"\nphone = \"{phone}\"\n"
            );
            let mut diags = Vec::new();
            Config::parse(&text, &mut diags).expect("parses");
            assert_eq!(diags.is_empty(), ok, "{phone}: {diags:?}");
            if !ok {
                let m = diags[0].to_string();
                assert!(
                    m.starts_with("site.toml:5:1: agencies.a.phone: 电话“"),
                    "{m}"
                );
            }
        }
    }

    #[test]
    fn contact_fields_belong_to_agencies_only() {
        let text = "title = \"t\"\nbase_url = \"/\"\n[industries.food]\nname = \"餐饮\"\nphone = \"12345\"\n";
        let mut diags = Vec::new();
        Config::parse(text, &mut diags).expect("parses");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].to_string().contains("phone"), "{}", diags[0]);
    }
}
