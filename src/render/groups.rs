//! The order in which a list's items are shown: grouped by category (分类),
//! the declared `categories` first in their order, then any other category
//! in the order it first appears; items without a category come first, as
//! they stand above the first section row of an agency's table. Within a
//! category items keep their order in the file. Pages, data files and the
//! version pages all show items in this one order, and an item's 序号 is
//! its own `no`, or else its place in it.

use crate::content::Item;

/// One item in display order.
#[derive(Clone, Copy, Debug)]
pub struct Placed<'a> {
    pub item: &'a Item,
    /// 1-based place in the display order.
    pub place: usize,
    /// The first item of its category (or of the uncategorized items).
    pub starts_group: bool,
}

impl Placed<'_> {
    /// The 序号 shown: the item's own `no`, else its place.
    pub fn no(&self) -> String {
        if self.item.no.is_empty() {
            self.place.to_string()
        } else {
            self.item.no.clone()
        }
    }
}

/// `items` in display order (see the module comment).
pub fn ordered<'a>(items: &'a [Item], categories: &[String]) -> Vec<Placed<'a>> {
    // Group rank: uncategorized 0, declared 1..=n, others after in order
    // of appearance.
    let mut others: Vec<&str> = Vec::new();
    let rank = |c: &str, others: &mut Vec<&'a str>, it: &'a Item| -> usize {
        if c.is_empty() {
            return 0;
        }
        if let Some(i) = categories.iter().position(|d| d == c) {
            return i + 1;
        }
        let i = match others.iter().position(|o| *o == c) {
            Some(i) => i,
            None => {
                others.push(&it.category);
                others.len() - 1
            }
        };
        categories.len() + 1 + i
    };
    let mut ranked: Vec<(usize, usize, &Item)> = items
        .iter()
        .enumerate()
        .map(|(n, it)| (rank(&it.category, &mut others, it), n, it))
        .collect();
    ranked.sort_by_key(|&(r, n, _)| (r, n));
    let mut out = Vec::with_capacity(ranked.len());
    let mut last: Option<usize> = None;
    for (place, (r, _, item)) in ranked.into_iter().enumerate() {
        out.push(Placed {
            item,
            place: place + 1,
            starts_group: last != Some(r),
        });
        last = Some(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, category: &str, no: &str) -> Item {
        Item {
            id: id.into(),
            category: category.into(),
            no: no.into(),
            ..Item::default()
        }
    }

    #[test]
    fn groups_follow_declared_order_then_appearance() {
        let items = vec![
            item("a", "乙", ""),
            item("b", "", ""),
            item("c", "甲", "7"),
            item("d", "丙", ""),
            item("e", "乙", ""),
        ];
        let declared = vec!["甲".to_string(), "乙".to_string()];
        let got: Vec<(&str, String, bool)> = ordered(&items, &declared)
            .iter()
            .map(|p| (p.item.id.as_str(), p.no(), p.starts_group))
            .collect();
        assert_eq!(
            got,
            vec![
                ("b", "1".to_string(), true),
                ("c", "7".to_string(), true),
                ("a", "3".to_string(), true),
                ("e", "4".to_string(), false),
                ("d", "5".to_string(), true),
            ]
        );
    }

    #[test]
    fn a_list_without_categories_keeps_its_order() {
        let items = vec![item("a", "", ""), item("b", "", "")];
        let got: Vec<(&str, bool)> = ordered(&items, &[])
            .iter()
            .map(|p| (p.item.id.as_str(), p.starts_group))
            .collect();
        assert_eq!(got, vec![("a", true), ("b", false)]);
    }
}
