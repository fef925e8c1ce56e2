//! What the open-data files share: CSV cells (formulas neutralized,
//! quoted where needed) and the catalog's description of a site-wide data
//! file. A leaf below the writers of lists, reports and the record.

use std::borrow::Cow;

use serde::Serialize;

/// Neutralizes spreadsheet formulas: a cell starting with `=`, `+`, `-` or
/// `@` is shown as text (OWASP's CSV-injection advice).
pub fn cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Appends `s` as a CSV field, formulas neutralized.
pub fn push_csv_cell(out: &mut String, s: &str) {
    push_csv_field(out, &cell(s));
}

/// Appends a cell (already through [`cell`]) as a CSV field.
pub fn push_csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// A site-wide data file besides the lists' (the annual reports', the
/// record), as `data/catalog.json` lists it.
#[derive(Serialize, Clone, Debug)]
pub struct Dataset {
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub json: String,
    pub csv: String,
    /// The page showing the same data, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The JSON's fields with their Chinese meaning, where documented.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDoc>,
}

/// A field and its meaning.
#[derive(Serialize, Clone, Debug)]
pub struct FieldDoc {
    pub name: &'static str,
    pub meaning: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralized() {
        let csv_field = |s: &str| {
            let mut out = String::new();
            push_csv_field(&mut out, &cell(s));
            out
        };
        assert_eq!(csv_field("普通"), "普通");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("说\"明\""), "\"说\"\"明\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
    }
}
