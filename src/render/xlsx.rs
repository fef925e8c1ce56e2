//! A minimal, reproducible XLSX writer: a few worksheets of text cells,
//! each with a bold, frozen header row. Office Open XML is a zip of a few
//! XML parts; we write the zip ourselves (deflate from `crate::deflate`,
//! fixed timestamps) rather than pull in a spreadsheet crate for one table.

use crate::escape::xml;

/// Column letters for 0-based column `i` (A, B, … Z, AA …).
fn column(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// One worksheet: a bold header row (frozen), then rows of text.
pub(super) struct Sheet<'s, 'a> {
    pub name: &'s str,
    pub header: &'s [&'s str],
    pub widths: &'s [u32],
    pub rows: &'s [Vec<std::borrow::Cow<'a, str>>],
}

impl Sheet<'_, '_> {
    fn xml(&self) -> String {
        let mut sheet = String::with_capacity(512 + self.rows.len() * 400);
        sheet.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>"#);
        for (i, w) in self.widths.iter().enumerate() {
            sheet.push_str(&format!(
                r#"<col min="{n}" max="{n}" width="{w}" customWidth="1"/>"#,
                n = i + 1
            ));
        }
        sheet.push_str("</cols><sheetData>");
        let mut row = |r: usize, cells: &mut dyn Iterator<Item = &str>, style: u8| {
            let r = r.to_string();
            sheet.push_str(r#"<row r=""#);
            sheet.push_str(&r);
            sheet.push_str(r#"">"#);
            for (c, text) in cells.enumerate() {
                sheet.push_str(r#"<c r=""#);
                sheet.push_str(&column(c));
                sheet.push_str(&r);
                sheet.push_str(r#"" t="inlineStr" s=""#);
                sheet.push(char::from(b'0' + style % 10));
                sheet.push_str(r#""><is><t xml:space="preserve">"#);
                sheet.push_str(&xml(text));
                sheet.push_str("</t></is></c>");
            }
            sheet.push_str("</row>");
        };
        row(1, &mut self.header.iter().copied(), 1);
        for (i, cells) in self.rows.iter().enumerate() {
            row(i + 2, &mut cells.iter().map(|c| &**c), 2);
        }
        sheet.push_str("</sheetData></worksheet>");
        sheet
    }
}

/// Part names of the worksheets, `xl/worksheets/sheet<n>.xml`.
const SHEET_PARTS: [&str; 4] = [
    "xl/worksheets/sheet1.xml",
    "xl/worksheets/sheet2.xml",
    "xl/worksheets/sheet3.xml",
    "xl/worksheets/sheet4.xml",
];

/// A workbook of up to four sheets, in order; cells are inline strings,
/// so Excel shows them as text whatever they start with (no `'` needed).
pub(super) fn workbook(sheets: &[Sheet<'_, '_>]) -> Vec<u8> {
    let sheets = &sheets[..sheets.len().min(SHEET_PARTS.len())];
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut book = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut names: Vec<String> = Vec::new();
    for (n, s) in sheets.iter().enumerate() {
        let part = SHEET_PARTS[n];
        types.push_str(&format!(
            r#"<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="{target}"/>"#,
            id = n + 1,
            target = part.trim_start_matches("xl/")
        ));
        // Sheet names must differ (case-insensitively): number a repeat.
        let mut name = sheet_title(s.name);
        if names
            .iter()
            .any(|o| o.to_lowercase() == name.to_lowercase())
        {
            name = format!("{}{}", name.chars().take(29).collect::<String>(), n + 1);
        }
        book.push_str(&format!(
            r#"<sheet name="{}" sheetId="{id}" r:id="rId{id}"/>"#,
            xml(&name),
            id = n + 1
        ));
        names.push(name);
    }
    types.push_str(r#"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#);
    rels.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
        sheets.len() + 1
    ));
    book.push_str("</sheets></workbook>");

    let fixed = fixed_parts();
    let mut parts = vec![
        recurring("[Content_Types].xml", types),
        recurring("xl/workbook.xml", book),
        recurring("xl/_rels/workbook.xml.rels", rels),
    ];
    for (n, s) in sheets.iter().enumerate() {
        parts.push(deflated(SHEET_PARTS[n], &s.xml()));
    }
    let order: Vec<&Entry> = [&parts[0], &fixed[0], &parts[1], &parts[2], &fixed[1]]
        .into_iter()
        .chain(parts[3..].iter())
        .collect();
    zip(&order)
}

/// The parts every workbook has, compressed once.
fn fixed_parts() -> &'static [Entry; 2] {
    static FIXED: std::sync::OnceLock<[Entry; 2]> = std::sync::OnceLock::new();
    FIXED.get_or_init(|| {
        [
            deflated(
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            deflated(
                "xl/styles.xml",
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#,
            ),
        ]
    })
}

/// A part that is the same in most workbooks of a site (the part list, the
/// workbook with its sheet names, their relations): compressed the first
/// time it is seen and copied after that. A few kinds of list give a few
/// dozen distinct parts; past [`RECURRING_MAX`] new ones are compressed
/// every time, so an odd site cannot grow the cache without bound.
fn recurring(name: &'static str, text: String) -> Entry {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static SEEN: Mutex<Option<HashMap<(&'static str, String), Entry>>> = Mutex::new(None);
    let key = (name, text);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(e) = seen.as_ref().and_then(|m| m.get(&key)) {
        return e.clone();
    }
    drop(seen);
    let entry = deflated(name, &key.1);
    seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let map = seen.get_or_insert_with(HashMap::new);
    if map.len() < RECURRING_MAX {
        map.insert(key, entry.clone());
    }
    entry
}

const RECURRING_MAX: usize = 256;

/// Sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_title(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    if cleaned.is_empty() {
        "Sheet1".into()
    } else {
        cleaned
    }
}

/// One zip entry: its name, the CRC and length of its data, and the data
/// deflated.
#[derive(Clone)]
struct Entry {
    name: &'static str,
    crc: u32,
    len: u32,
    packed: Vec<u8>,
}

fn deflated(name: &'static str, text: &str) -> Entry {
    let data = text.as_bytes();
    Entry {
        name,
        crc: crate::deflate::crc32(data),
        len: data.len() as u32,
        // The fastest level. libdeflate's level 1 already packs better
        // than zlib's did (5.5 KB a list's workbook on average against
        // 6.3 KB, at 10,000 documents).
        packed: crate::deflate::raw(1, data),
    }
}

/// A zip archive of deflated entries with a fixed date (1980-01-01), so the
/// same input always gives the same bytes.
fn zip(parts: &[&Entry]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|e| e.packed.len() + 128).sum());
    let mut central = Vec::new();
    for e in parts {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes()); // made by
            }
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
            h.extend_from_slice(&8u16.to_le_bytes()); // deflate
            h.extend_from_slice(&0u16.to_le_bytes()); // time 00:00
            h.extend_from_slice(&0x0021u16.to_le_bytes()); // date 1980-01-01
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&(e.packed.len() as u32).to_le_bytes());
            h.extend_from_slice(&e.len.to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // extra
            if central {
                h.extend_from_slice(&0u16.to_le_bytes()); // comment
                h.extend_from_slice(&0u16.to_le_bytes()); // disk
                h.extend_from_slice(&0u16.to_le_bytes()); // internal attrs
                h.extend_from_slice(&0u32.to_le_bytes()); // external attrs
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(e.name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend_from_slice(&e.packed);
        central.extend(header(0x0201_4b50, true));
    }
    let central_offset = out.len() as u32;
    let central_len = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(column(0), "A");
        assert_eq!(column(25), "Z");
        assert_eq!(column(26), "AA");
        assert_eq!(column(27), "AB");
    }

    #[test]
    fn workbook_is_a_reproducible_zip() {
        let rows = vec![vec![
            std::borrow::Cow::Borrowed("SJ-1"),
            std::borrow::Cow::Borrowed("未亮照 <&>"),
        ]];
        let sheet = Sheet {
            name: "清单",
            header: &["编号", "违法行为"],
            widths: &[12, 40],
            rows: &rows,
        };
        let a = workbook(&[sheet]);
        let sheet = Sheet {
            name: "清单",
            header: &["编号", "违法行为"],
            widths: &[12, 40],
            rows: &rows,
        };
        let b = workbook(&[sheet]);
        assert_eq!(a, b);
        assert_eq!(&a[..4], b"PK\x03\x04");
        assert_eq!(&a[a.len() - 22..a.len() - 18], b"PK\x05\x06");
        assert_eq!(sheet_title("a[b]:c*?/\\d"), "abcd");
    }

    /// The parts kept from an earlier workbook are only reused for the
    /// same text: another sheet name gives another workbook part, and the
    /// first workbook comes out the same after it.
    #[test]
    fn recurring_parts_follow_their_text() {
        let rows = vec![vec![std::borrow::Cow::Borrowed("未亮照")]];
        let book = |name: &str| {
            let header: &[&str] = &["违法行为"];
            workbook(&[Sheet {
                name,
                header,
                widths: &[40],
                rows: &rows,
            }])
        };
        let first = book("免罚清单");
        let other = book("从轻处罚清单");
        assert_ne!(first, other);
        let packed = raw_part(&other, "xl/workbook.xml");
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::DeflateDecoder::new(&packed[..]),
            &mut text,
        )
        .unwrap();
        assert!(text.contains(r#"<sheet name="从轻处罚清单""#), "{text}");
        assert_eq!(book("免罚清单"), first);
    }

    /// The deflated bytes of the entry `name` in a zip we wrote.
    fn raw_part(zip: &[u8], name: &str) -> Vec<u8> {
        let mut at = 0;
        while zip[at..at + 4] == *b"PK\x03\x04" {
            let u16_at = |i: usize| usize::from(u16::from_le_bytes([zip[i], zip[i + 1]]));
            let packed = u32::from_le_bytes(zip[at + 18..at + 22].try_into().unwrap()) as usize;
            let (name_len, extra) = (u16_at(at + 26), u16_at(at + 28));
            let data = at + 30 + name_len + extra;
            if &zip[at + 30..at + 30 + name_len] == name.as_bytes() {
                return zip[data..data + packed].to_vec();
            }
            at = data + packed;
        }
        panic!("no {name} in the zip");
    }
}
