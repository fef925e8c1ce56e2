//! A list item's conditions in a reader's terms: one by one, to tick, and
//! what meeting them all brings, worded from the list kind.

/// What meeting an item's conditions brings, from the list kind's name.
pub(super) fn list_outcome(kind_name: &str) -> &'static str {
    if kind_name.contains("不予实施行政强制") || kind_name.contains("免强制") {
        "可以不予实施行政强制措施"
    } else if kind_name.contains("从轻") || kind_name.contains("减轻") {
        "可以依法从轻或者减轻处罚"
    } else if kind_name.contains("免罚")
        || kind_name.contains("不予处罚")
        || kind_name.contains("不予行政处罚")
        || kind_name.contains("首违")
    {
        "可以不予行政处罚"
    } else {
        "适用本清单"
    }
}

/// An item's conditions one by one: split where the text enumerates them
/// (（一）… （二）…, 1. 2., ①②, or ；), the enumerators dropped; one entry
/// when it is a single condition.
pub(super) fn conditions(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '；' | ';' | '\n') {
            parts.push(std::mem::take(&mut cur));
            i += 1;
            continue;
        }
        // （一） (1) ① 1. 1、 at the start of a part.
        if cur.trim().is_empty() {
            if let Some(n) = enumerator(&chars[i..]) {
                i += n;
                continue;
            }
        } else if let Some(n) = enumerator(&chars[i..]).filter(|_| {
            // Inside a text only a full-width （一） with a Chinese numeral,
            // a circled number, or any enumerator right after ：or 。 starts
            // a condition: (1) in a citation or a link stays text.
            (c == '（' && chars.get(i + 1).is_some_and(|d| !d.is_ascii_digit()))
                || ('①'..='⑳').contains(&c)
                || cur.ends_with(['：', ':', '。'])
        }) {
            // A new enumerated condition inside the text: （一）…（二）…
            parts.push(std::mem::take(&mut cur));
            i += n;
            continue;
        }
        cur.push(c);
        i += 1;
    }
    parts.push(cur);
    let mut out: Vec<String> = parts
        .into_iter()
        .map(|p| {
            p.trim()
                .trim_end_matches(['。', '，', ','])
                .trim()
                .to_string()
        })
        // A lead-in (同时符合以下条件：) is not a condition: the page says
        // that in its own words.
        .filter(|p| !p.is_empty() && !p.ends_with(['：', ':']))
        .collect();
    // One sentence of conditions joined by ， (初次违法，在自有场所发布，
    // 发现后立即删除的): each clause is a condition, except one that
    // offers an alternative (或者…), which stays with the clause before.
    if out.len() == 1 {
        let mut clauses: Vec<String> = Vec::new();
        for c in out[0].split('，').map(str::trim).filter(|c| !c.is_empty()) {
            match clauses.last_mut() {
                Some(last) if c.starts_with('或') => {
                    last.push('，');
                    last.push_str(c);
                }
                _ => clauses.push(c.to_string()),
            }
        }
        if clauses.len() > 1 {
            out = clauses
                .into_iter()
                .map(|c| {
                    let c = c.trim_end_matches('的');
                    ["并且", "并", "且", "同时"]
                        .iter()
                        .find_map(|p| c.strip_prefix(p))
                        .unwrap_or(c)
                        .to_string()
                })
                .collect();
        }
    }
    out
}

/// The length of an enumerator at the start of `s`, if any.
fn enumerator(s: &[char]) -> Option<usize> {
    const NUMS: &str = "一二三四五六七八九十";
    let first = *s.first()?;
    if ('①'..='⑳').contains(&first) {
        return Some(1);
    }
    if matches!(first, '（' | '(') {
        let close = s.iter().take(5).position(|c| matches!(c, '）' | ')'))?;
        let inner = &s[1..close];
        let ok = !inner.is_empty()
            && inner
                .iter()
                .all(|c| NUMS.contains(*c) || c.is_ascii_digit());
        return ok.then_some(close + 1);
    }
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 3 && matches!(s.get(digits), Some('.' | '、' | '．')) {
        return Some(digits + 1);
    }
    let han = s.iter().take_while(|c| NUMS.contains(**c)).count();
    if han > 0 && han < 3 && matches!(s.get(han), Some('、')) {
        return Some(han + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::conditions;

    #[test]
    fn conditions_are_split_where_the_text_enumerates_them() {
        assert_eq!(
            conditions("（一）首次被发现；（二）在责令改正期限内改正；（三）未造成危害后果。"),
            ["首次被发现", "在责令改正期限内改正", "未造成危害后果"]
        );
        assert_eq!(
            conditions("同时符合以下条件：1.初次违法；2.及时改正"),
            ["初次违法", "及时改正"]
        );
        assert_eq!(conditions("①首次；②改正"), ["首次", "改正"]);
        assert_eq!(
            conditions("首次被发现，且在责令改正期限内改正的"),
            ["首次被发现", "在责令改正期限内改正"]
        );
        assert_eq!(
            conditions("标签瑕疵属于字号不规范，或者出现错别字等情形，且在责令改正期限内改正的。"),
            [
                "标签瑕疵属于字号不规范，或者出现错别字等情形",
                "在责令改正期限内改正"
            ]
        );
        assert_eq!(
            conditions("在责令改正期限内改正的"),
            ["在责令改正期限内改正的"]
        );
        // Brackets that are not enumerators stay in the text.
        assert_eq!(
            conditions("未按规定公示（含电子公示）信息的"),
            ["未按规定公示（含电子公示）信息的"]
        );
        assert!(conditions("").is_empty());
        // (1) inside a text is not an enumerator.
        assert_eq!(
            conditions("条件 [x](javascript:alert(1))"),
            ["条件 [x](javascript:alert(1))"]
        );
        assert_eq!(
            conditions("依照第二十条(1)项，未造成后果"),
            ["依照第二十条(1)项", "未造成后果"]
        );
    }
}
