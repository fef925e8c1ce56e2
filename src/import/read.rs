//! Reading a source file into grids of text: one per worksheet of a
//! workbook, one per table of a Word document, one for a CSV file. Merged
//! cells are spread out here — a value spanning rows or columns is the value
//! of each cell it covers — so that nothing after this sees a format.

use std::io::Read;
use std::path::Path;

use super::{Grid, ImportError};

/// The grids of `path`, chosen by its extension.
pub(super) fn grids(path: &Path) -> Result<Vec<Grid>, ImportError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let file = ImportError::file(path);
    match ext.as_str() {
        "xlsx" | "xlsm" => xlsx(path),
        "csv" => {
            let bytes = crate::fs::read_bytes(path).map_err(|e| file(e.to_string(), None))?;
            let text = decode(&bytes).ok_or_else(|| {
                file(
                    "文件既不是 UTF-8 也不是 GB18030 编码的文字".into(),
                    Some("在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入".into()),
                )
            })?;
            let (rows, unclosed) = csv(&text);
            if let Some(line) = unclosed {
                return Err(file(
                    format!("第 {line} 行的英文双引号没有配对：从这里起的内容都会被当作同一格"),
                    Some("检查这一行：格子里的双引号要写两次（\"\"），或在 Excel 中打开后重新另存为 CSV".into()),
                ));
            }
            Ok(vec![Grid {
                name: String::new(),
                rows,
                caption: None,
            }])
        }
        "docx" => docx(path),
        _ => Err(file(
            format!(
                "不支持的文件类型“.{ext}”",
            ),
            Some("可以导入 .xlsx（Excel）、.csv 或 .docx（Word）文件；.xls 或 .doc 请先另存为 .xlsx 或 .docx".into()),
        )),
    }
}

/// CSV text: UTF-8 (with or without BOM), else GB18030, which Excel on
/// Chinese Windows writes. `None` when it is neither.
pub(super) fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

/// The field separator: the comma, unless the first lines hold more Tabs
/// (a table copied out of Excel or WPS and saved as text) or semicolons
/// (Excel set to a European locale). Quoted text is not counted.
fn separator(text: &str) -> char {
    let (mut counts, mut quoted) = ([0usize; 3], false);
    for c in text.lines().take(20).flat_map(|l| l.chars().chain(['\n'])) {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    match counts {
        [c, t, s] if t > c && t >= s => '\t',
        [c, _, s] if s > c => ';',
        _ => ',',
    }
}

/// RFC 4180 CSV: quoted fields may hold separators, doubled quotes and
/// line breaks; rows end with CRLF or LF. The separator is the comma, or
/// Tab or semicolon when the text uses those ([`separator`]). With the
/// rows, the line where a quoted field starts that never closes, if any
/// (everything after it was read into that field).
fn csv(text: &str) -> (Vec<Vec<String>>, Option<usize>) {
    let sep = separator(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let (mut line, mut opened) = (1, 0);
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if c == '\n' {
            line += 1;
        }
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                opened = line;
            }
            c if c == sep => row.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                any = false;
            }
            _ => field.push(c),
        }
    }
    if any {
        row.push(field);
        rows.push(row);
    }
    (rows, quoted.then_some(opened))
}

/// Every worksheet of an Excel workbook, merged cells spread out.
fn xlsx(path: &Path) -> Result<Vec<Grid>, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    let file = ImportError::file(path);
    let unreadable = |e: &dyn std::fmt::Display| {
        let e = e.to_string();
        // calamine's messages are English: say it in Chinese, keep its
        // words as the detail.
        let why = if e.contains("Zip") || e.contains("zip") {
            "文件已损坏，或不是 .xlsx 格式"
        } else if e.contains("Xml") || e.contains("xml") {
            "文件内部的表格数据有误"
        } else {
            "文件格式有误"
        };
        file(
            format!("无法读取 Excel 文件：{why}（{e}）"),
            Some("请确认它是 .xlsx 格式、没有加密，并能用 Excel 或 WPS 打开".into()),
        )
    };
    let mut book: Xlsx<_> = calamine::open_workbook(path).map_err(|e| unreadable(&e))?;
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| unreadable(&e))?;
        // Rows and columns as the sheet numbers them (from 0 here, shown
        // from 1), whatever the used range's origin.
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let (r1, c1) = range.end().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = if range.is_empty() {
            Vec::new()
        } else {
            vec![vec![String::new(); c1 as usize + 1]; r1 as usize + 1]
        };
        for (r, c, v) in range.used_cells() {
            let text = match v {
                Data::Empty => continue,
                Data::String(s) => s.clone(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::DateTime(d) => d.to_string(),
                other => other.to_string(),
            };
            rows[r0 as usize + r][c0 as usize + c] = text;
        }
        let merged = book
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| unreadable(&e))?;
        for dim in merged {
            let (sr, sc) = (dim.start.0 as usize, dim.start.1 as usize);
            let (er, ec) = (dim.end.0 as usize, dim.end.1 as usize);
            let value = rows
                .get(sr)
                .and_then(|r| r.get(sc))
                .cloned()
                .unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            if rows.len() <= er {
                rows.resize(er + 1, Vec::new());
            }
            for row in &mut rows[sr..=er] {
                if row.len() <= ec {
                    row.resize(ec + 1, String::new());
                }
                for cell in &mut row[sc..=ec] {
                    cell.clone_from(&value);
                }
            }
        }
        out.push(Grid {
            name,
            rows,
            caption: None,
        });
    }
    Ok(out)
}

/// The tables of a Word document: `w:gridSpan` spreads a cell across
/// columns, `w:vMerge` continues the cell above.
fn docx(path: &Path) -> Result<Vec<Grid>, ImportError> {
    let file = ImportError::file(path);
    let unreadable = |e: String| {
        file(
            format!("无法读取 Word 文件：文件已损坏，或不是 .docx 格式（{e}）"),
            Some("请确认它是 .docx 格式、没有加密，并能用 Word 或 WPS 打开".into()),
        )
    };
    let handle = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(handle).map_err(|e| unreadable(e.to_string()))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| unreadable("缺少 word/document.xml".into()))?
        .read_to_string(&mut xml)
        .map_err(|e| unreadable(e.to_string()))?;
    let doc = roxmltree::Document::parse(&xml).map_err(|e| unreadable(e.to_string()))?;
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    let is = |n: &roxmltree::Node<'_, '_>, name: &str| {
        n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(W)
    };
    let attr = |n: roxmltree::Node<'_, '_>, name: &str| n.attribute((W, name)).map(str::to_string);
    let mut out = Vec::new();
    // Tables not inside another table, in document order.
    let tables = doc
        .descendants()
        .filter(|n| is(n, "tbl") && !n.ancestors().skip(1).any(|a| is(&a, "tbl")));
    for (t, table) in tables.enumerate() {
        let mut rows: Vec<Vec<String>> = Vec::new();
        for tr in table.children().filter(|n| is(n, "tr")) {
            let mut row: Vec<String> = Vec::new();
            for tc in tr.children().filter(|n| is(n, "tc")) {
                let props = tc.children().find(|n| is(n, "tcPr"));
                let span = props
                    .and_then(|p| p.children().find(|n| is(n, "gridSpan")))
                    .and_then(|g| attr(g, "val"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1);
                let vmerge = props.and_then(|p| p.children().find(|n| is(n, "vMerge")));
                let continues =
                    vmerge.is_some_and(|v| attr(v, "val").is_none_or(|v| v == "continue"));
                let col = row.len();
                let text = if continues {
                    rows.last()
                        .and_then(|above| above.get(col))
                        .cloned()
                        .unwrap_or_default()
                } else {
                    cell_text(tc, &is)
                };
                for _ in 0..span {
                    row.push(text.clone());
                }
            }
            rows.push(row);
        }
        // The last non-empty paragraph before the table, outside tables.
        let caption = table
            .prev_siblings()
            .filter(|n| is(n, "p"))
            .map(|p| {
                p.descendants()
                    .filter(|n| is(n, "t"))
                    .filter_map(|n| n.text())
                    .collect::<String>()
            })
            .find(|t| !t.trim().is_empty())
            .map(|t| t.trim().to_string());
        out.push(Grid {
            name: format!("表格{}", t + 1),
            rows,
            caption,
        });
    }
    Ok(out)
}

/// A Word table cell's text: paragraphs on lines of their own, `w:br` a
/// line break, `w:tab` a tab.
fn cell_text(
    tc: roxmltree::Node<'_, '_>,
    is: &dyn Fn(&roxmltree::Node<'_, '_>, &str) -> bool,
) -> String {
    let mut lines: Vec<String> = Vec::new();
    for p in tc.descendants().filter(|n| is(n, "p")) {
        // Paragraphs of a nested table are read with that table's cells.
        if p.ancestors()
            .skip(1)
            .take_while(|a| !is(a, "tc"))
            .any(|a| is(&a, "p"))
        {
            continue;
        }
        let mut line = String::new();
        for n in p.descendants() {
            if is(&n, "t") {
                line.push_str(n.text().unwrap_or(""));
            } else if is(&n, "br") || is(&n, "cr") {
                line.push('\n');
            } else if is(&n, "tab") {
                line.push('\t');
            }
        }
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_semicolon_separated_text_is_read_too() {
        assert_eq!(
            csv("序号\t违法行为\t处理方式\n1\t未亮照，经营\t不予处罚\n").0,
            vec![
                vec!["序号".to_string(), "违法行为".into(), "处理方式".into()],
                vec!["1".to_string(), "未亮照，经营".into(), "不予处罚".into()],
            ]
        );
        assert_eq!(
            csv("a;b;\"c;d\"\n").0,
            vec![vec!["a".to_string(), "b".into(), "c;d".into()]]
        );
        // Commas in Chinese text are full width: a comma file stays one.
        assert_eq!(csv("a,b;c\n").0.len(), 1);
        assert_eq!(csv("a,b;c\n").0[0].len(), 2);
    }

    #[test]
    fn an_unclosed_quote_is_found_at_its_line() {
        assert_eq!(csv("a,b\n1,\"未亮照\n2,x\n").1, Some(2));
        assert_eq!(csv("a,\"多\n行\",\"d\"\"e\"\n").1, None);
        assert_eq!(csv("a,b\"c\n").1, None, "a quote inside a field is text");
    }

    #[test]
    fn csv_fields() {
        assert_eq!(
            csv("a,\"b,c\",\"d\"\"e\"\r\n\"多\n行\",,x\n").0,
            vec![
                vec!["a".to_string(), "b,c".into(), "d\"e".into()],
                vec!["多\n行".to_string(), String::new(), "x".into()],
            ]
        );
        assert_eq!(csv("a,b").0, vec![vec!["a".to_string(), "b".into()]]);
        assert!(csv("").0.is_empty());
    }

    #[test]
    fn encodings() {
        assert_eq!(decode("\u{feff}序号".as_bytes()).as_deref(), Some("序号"));
        let (gb, _, _) = encoding_rs::GB18030.encode("违法行为,处理方式");
        assert_eq!(decode(&gb).as_deref(), Some("违法行为,处理方式"));
        assert_eq!(decode(b"\xff\xff\xff"), None);
    }
}
