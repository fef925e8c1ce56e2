//! `[feedback]`: where a reader's answer goes — 这条信息对您有帮助吗,
//! 我要纠错, 满意度评价 (the regulation's Article 20). The static site
//! collects nothing: each answer is a link to the form service or mail
//! address the site names, carrying the page's address and title.

use crate::escape::query_component as component;
use crate::source::fields::Reader;

/// The form service (or `mailto:` address) that takes readers' answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Feedback {
    /// `https://…` (the page's URL, title and the kind of answer are added
    /// as query parameters) or `mailto:…` (they go in subject and body).
    pub url: String,
    /// The service's name as readers know it (示例市政府网站互动交流平台).
    pub name: String,
}

/// What a reader answers, as the link says it and as the service gets it.
pub const ANSWERS: [(&str, &str); 4] = [
    ("helpful", "有帮助"),
    ("unhelpful", "没有帮助"),
    ("correction", "我要纠错"),
    ("satisfaction", "满意度评价"),
];

impl Feedback {
    /// The link for one answer (`kind`, a key of [`ANSWERS`]) about the
    /// page at `page_url` titled `title`.
    pub fn link(&self, kind: &str, label: &str, page_url: &str, title: &str) -> String {
        if let Some(address) = self.url.strip_prefix("mailto:") {
            let subject = format!("【{label}】{title}");
            let body = format!("页面：{page_url}\n");
            format!(
                "mailto:{address}?subject={}&body={}",
                component(&subject),
                component(&body)
            )
        } else {
            let sep = if self.url.contains('?') { '&' } else { '?' };
            format!(
                "{}{sep}type={kind}&page={}&title={}",
                self.url,
                component(page_url),
                component(title)
            )
        }
    }
}

/// Reads `[feedback]`: `url` must be an `https://`, `http://` or `mailto:`
/// address; without it there is no feedback block.
pub(super) fn read(r: &mut Reader<'_, '_>) -> Option<Feedback> {
    let mut t = r.table("feedback")?;
    let url = t.req_str("url").unwrap_or_default();
    let name = t.str("name").unwrap_or_default();
    t.finish(&["url", "name"], "[feedback] ");
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.contains(['"', '<', '>', ' ', '#'])
        || url.starts_with("mailto:")
            && url.len() > "mailto:".len()
            && !url.contains(['?', '"', '<', '>', ' ']);
    if !ok && !url.is_empty() {
        t_error(r, &url);
        return None;
    }
    (!url.is_empty()).then_some(Feedback { url, name })
}

fn t_error(r: &mut Reader<'_, '_>, url: &str) {
    use crate::source::frontmatter::Seg;
    r.ctx().error(
        &[Seg::Key("feedback"), Seg::Key("url")],
        format!("反馈地址“{url}”不能用"),
        Some(
            "写表单服务的网址（https://…，不含 #），或者邮箱 mailto:地址；本站会在后面加上 type、page、title 参数"
                .into(),
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_page_and_the_answer() {
        let f = Feedback {
            url: "https://hd.example.gov.cn/form?from=zhifa".into(),
            name: String::new(),
        };
        assert_eq!(
            f.link("correction", "我要纠错", "https://x.gov.cn/a b/", "标题&1"),
            "https://hd.example.gov.cn/form?from=zhifa&type=correction&page=https%3A%2F%2Fx.gov.cn%2Fa%20b%2F&title=%E6%A0%87%E9%A2%98%261"
        );
        let m = Feedback {
            url: "mailto:zhifa@example.gov.cn".into(),
            name: String::new(),
        };
        assert_eq!(
            m.link("helpful", "有帮助", "https://x.gov.cn/", "题"),
            "mailto:zhifa@example.gov.cn?subject=%E3%80%90%E6%9C%89%E5%B8%AE%E5%8A%A9%E3%80%91%E9%A2%98&body=%E9%A1%B5%E9%9D%A2%EF%BC%9Ahttps%3A%2F%2Fx.gov.cn%2F%0A"
        );
    }

    #[test]
    fn only_web_or_mail_addresses_are_taken() {
        for (url, ok) in [
            ("https://a.gov.cn/f", true),
            ("mailto:a@b.cn", true),
            ("javascript:alert(1)", false),
            ("https://a.gov.cn/f#x", false),
            ("ftp://a", false),
        ] {
            let text = format!("title = \"t\"\nbase_url = \"/\"\n[feedback]\nurl = \"{url}\"\n");
            let mut diags = Vec::new();
            let c = crate::config::Config::parse(&text, &mut diags).expect("parses");
            assert_eq!(c.feedback.is_some(), ok, "{url}");
            assert_eq!(diags.is_empty(), ok, "{url}: {diags:?}");
        }
    }
}
