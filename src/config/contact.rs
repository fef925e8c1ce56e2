//! An agency's contact details: `phone`, `address` and `hours` of
//! `[agencies.<key>]`, checked so that a printed number can be dialled.

use crate::source::fields::Reader;

/// An agency's contact details (`phone`, `address`, `hours` of
/// `[agencies.<key>]`), shown on every document it publishes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    pub phone: String,
    pub address: String,
    pub hours: String,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.phone.is_empty() && self.address.is_empty() && self.hours.is_empty()
    }

    /// Each number of `phone` with its `tel:` form (`0571-8700 1234转3` →
    /// `tel:057187001234,3`), so a phone can dial it.
    pub fn phones(&self) -> Vec<(&str, String)> {
        self.phone
            .split(['、', '，', ',', ';', '；', '/'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let tel: String = p
                    .chars()
                    .filter_map(|c| match c {
                        '0'..='9' | '+' => Some(c),
                        '转' => Some(','),
                        _ => None,
                    })
                    .collect();
                (p, format!("tel:{tel}"))
            })
            .collect()
    }
}

impl serde::Serialize for Contact {
    /// `{phone, phones: [{text, tel}], address, hours}` for templates.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        #[derive(serde::Serialize)]
        struct Phone<'a> {
            text: &'a str,
            tel: String,
        }
        let phones: Vec<Phone<'_>> = self
            .phones()
            .into_iter()
            .map(|(text, tel)| Phone { text, tel })
            .collect();
        let mut st = s.serialize_struct("Contact", 4)?;
        st.serialize_field("phone", &self.phone)?;
        st.serialize_field("phones", &phones)?;
        st.serialize_field("address", &self.address)?;
        st.serialize_field("hours", &self.hours)?;
        st.end()
    }
}

/// `phone`, `address` and `hours` of an agency. A phone number holds
/// digits and what people write between them (`0571-8700 1234`,
/// `(0571)12345`, `12345转3`, several separated by 、 or ，); anything else
/// — a letter, a stray word — would print a number nobody can dial.
pub(super) fn contact<'t>(entry: &mut Reader<'t, '_>) -> Contact {
    let phone = entry.str("phone").unwrap_or_default();
    if let Some(bad) = phone_problem(&phone) {
        entry.error(
            "phone",
            format!("电话“{phone}”{bad}"),
            Some(PHONE_HINT.into()),
        );
    }
    Contact {
        phone,
        address: entry.str("address").unwrap_or_default(),
        hours: entry.str("hours").unwrap_or_default(),
    }
}

const PHONE_HINT: &str = "只写号码，例如 phone = \"0000-12345678\"；多个号码用“、”分开，分机写“转”";

/// What is wrong with a phone number, if anything.
fn phone_problem(phone: &str) -> Option<String> {
    if phone.is_empty() {
        return None;
    }
    if let Some(c) = phone
        .chars()
        .find(|c| !(c.is_ascii_digit() || " -—－+()（）、，,;；/转".contains(*c)))
    {
        return Some(format!("含有号码中不该出现的字符“{c}”"));
    }
    // Every number, between separators, needs enough digits to dial.
    for part in phone.split(['、', '，', ',', ';', '；', '/']) {
        let digits = part.chars().filter(char::is_ascii_digit).count();
        if digits < 3 {
            return Some(format!("中的“{}”不是完整的号码", part.trim()));
        }
    }
    None
}
