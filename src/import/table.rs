//! From grids to items: find the header row by its labels, skip the title
//! rows above it and the footnotes below, turn section rows (一、登记注册类)
//! into categories, and read each other row as an item — or report it with
//! its sheet, row and column.

use super::{Grid, ImportError, Place, Row};

/// The fields a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    No,
    Id,
    Category,
    Violation,
    Basis,
    PenaltyBasis,
    Conditions,
    Handling,
    Note,
}

impl Field {
    /// The column's name in messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Field::No => "序号",
            Field::Id => "编号",
            Field::Category => "分类",
            Field::Violation => "违法行为",
            Field::Basis => "违反的法律依据",
            Field::PenaltyBasis => "处罚依据",
            Field::Conditions => "适用条件",
            Field::Handling => "处理方式",
            Field::Note => "备注",
        }
    }

    const REQUIRED: [Field; 4] = [
        Field::Violation,
        Field::Basis,
        Field::Conditions,
        Field::Handling,
    ];
}

/// A header cell's text as compared: no spaces or line breaks, no
/// trailing colon, full-width forms folded.
fn norm(label: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    label
        .nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, ':' | '*' | '＊'))
        .collect()
}

/// The field a header label names, in the wordings agencies use. `编号`
/// is decided later (an id column beside 序号, else the 序号).
fn field_of(label: &str) -> Option<Field> {
    let l = norm(label);
    if l.is_empty() {
        return None;
    }
    let exact = [
        ("序号", Field::No),
        ("序", Field::No),
        ("编号", Field::Id),
        ("事项编号", Field::Id),
        ("分类", Field::Category),
        ("类别", Field::Category),
        ("事项类别", Field::Category),
        ("违法行为", Field::Violation),
        ("违法行为名称", Field::Violation),
        ("事项", Field::Violation),
        ("事项名称", Field::Violation),
        ("违法事项", Field::Violation),
        ("法律依据", Field::Basis),
        ("违反的法律规定", Field::Basis),
        ("违反的法律依据", Field::Basis),
        ("设定依据", Field::Basis),
        ("违法依据", Field::Basis),
        ("处罚依据", Field::PenaltyBasis),
        ("适用条件", Field::Conditions),
        ("免罚条件", Field::Conditions),
        ("从轻减轻情形", Field::Conditions),
        ("裁量情形", Field::Conditions),
        ("处理方式", Field::Handling),
        ("处理措施", Field::Handling),
        ("备注", Field::Note),
        ("说明", Field::Note),
    ];
    if let Some((_, f)) = exact.iter().find(|(k, _)| *k == l) {
        return Some(*f);
    }
    // Longer wordings: 违法行为表现, 违反的法律、法规、规章条款, 免予处罚的条件…
    let has = |s: &str| l.contains(s);
    Some(if has("处罚依据") || has("处罚条款") {
        Field::PenaltyBasis
    } else if has("违法行为") {
        Field::Violation
    } else if has("依据") || has("违反") || has("法律规定") {
        Field::Basis
    } else if has("条件") || has("情形") {
        Field::Conditions
    } else if has("处理") || has("措施") {
        Field::Handling
    } else if has("备注") {
        Field::Note
    } else {
        return None;
    })
}

/// The columns of a header: field → column index.
#[derive(Clone, Debug, Default)]
pub(super) struct Columns {
    pub(super) of: Vec<(Field, usize)>,
}

impl Columns {
    fn get(&self, f: Field) -> Option<usize> {
        self.of.iter().find(|(g, _)| *g == f).map(|&(_, c)| c)
    }
}

/// Reads row `r` as a header: its columns, if it names 违法行为 and at
/// least two other fields; a second header row under a merged one
/// (法律依据 over 违反的法律规定 | 处罚依据) refines it.
fn header(rows: &[Vec<String>], r: usize) -> Option<(Columns, usize)> {
    let labels =
        |row: &Vec<String>| -> Vec<Option<Field>> { row.iter().map(|c| field_of(c)).collect() };
    let top = labels(&rows[r]);
    // Distinct fields: a title spread over the row by a merge
    // (…轻微违法行为免罚清单) names one field seven times.
    let mut found: Vec<Field> = top.iter().flatten().copied().collect();
    found.sort_by_key(|f| *f as u8);
    found.dedup();
    let found = found.len();
    if !top.contains(&Some(Field::Violation)) || found < 3 {
        return None;
    }
    let mut fields = top.clone();
    let mut used = 1;
    if let Some(next) = rows.get(r + 1) {
        let sub = labels(next);
        let filled = next.iter().filter(|c| !c.trim().is_empty()).count();
        // A sub-header: every filled cell is a label, and it is not the
        // top row repeated by a vertical merge only.
        if filled > 0
            && sub.iter().flatten().count() == filled
            && sub.iter().zip(&top).any(|(s, t)| s.is_some() && s != t)
        {
            for (c, s) in sub.into_iter().enumerate() {
                if s.is_some() {
                    if c >= fields.len() {
                        fields.resize(c + 1, None);
                    }
                    fields[c] = s;
                }
            }
            used = 2;
        }
    }
    let mut cols = Columns::default();
    for (c, f) in fields.into_iter().enumerate() {
        let Some(f) = f else { continue };
        // A label spread over several columns by a merge names the first.
        if cols.get(f).is_none() {
            cols.of.push((f, c));
        }
    }
    Some((cols, used))
}

/// Whether a lone text is a section heading: 一、登记注册类, （二）广告类,
/// 第三类 …, 食品安全类.
fn is_section(text: &str) -> bool {
    let t = text.trim();
    let numerals = "一二三四五六七八九十百零〇";
    let mut chars = t.chars();
    let first = chars.next().unwrap_or(' ');
    let count = t.chars().count();
    if count > 40 {
        return false;
    }
    let lead = t.trim_start_matches(|c: char| numerals.contains(c));
    if lead.len() < t.len() && lead.starts_with(['、', '.', '．', ' ']) {
        return true;
    }
    if (first == '（' || first == '(')
        && t[first.len_utf8()..]
            .trim_start_matches(|c: char| numerals.contains(c))
            .starts_with(['）', ')'])
    {
        return true;
    }
    if first == '第' && t.contains('类') {
        return true;
    }
    t.ends_with('类') && count <= 20
}

/// A footnote under the table: 注：…, 说明：…, ※ …
fn is_footnote(text: &str) -> bool {
    let t = text.trim_start();
    ["注", "备注", "说明", "※", "*", "＊", "附"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// The distinct texts of a row's filled cells.
fn distinct(row: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for c in row {
        let c = c.trim();
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// What the grids say: the items, the title found above the first header,
/// and every row that could not be placed.
#[derive(Debug, Default)]
pub(super) struct Table {
    pub(super) rows: Vec<Row>,
    pub(super) title: Option<String>,
    pub(super) problems: Vec<ImportError>,
    pub(super) skipped: Vec<String>,
    /// Columns whose header was not understood, for the summary.
    pub(super) ignored: Vec<String>,
}

/// Cleans a cell: line breaks kept (one `\n`), each line trimmed, blank
/// lines at both ends dropped.
pub(super) fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = s
        .split('\n')
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
        .collect();
    let mut out = lines.join("\n");
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out.trim_matches('\n').to_string()
}

/// Reads every grid of `file` (see the module comment).
pub(super) fn read(file: &str, grids: &[Grid]) -> Result<Table, ImportError> {
    let mut out = Table::default();
    let mut current: Option<Columns> = None;
    let mut width = 0;
    let mut any_header = false;
    let mut category = String::new();
    for grid in grids {
        let filled: Vec<usize> = (0..grid.rows.len())
            .filter(|&r| grid.rows[r].iter().any(|c| !c.trim().is_empty()))
            .collect();
        if filled.is_empty() {
            continue;
        }
        // The header: the first row, among the first 20 filled, that
        // reads as one.
        let found = filled
            .iter()
            .take(20)
            .find_map(|&r| header(&grid.rows, r).map(|h| (r, h)));
        let start = match found {
            Some((r, (cols, used))) => {
                width = grid.rows[r].len();
                current = Some(take_header(file, grid, &filled, r, cols, used, &mut out)?);
                any_header = true;
                category.clear();
                r + used
            }
            // A table without a header of the previous table's width goes
            // on with it (a Word table broken across pages or sections).
            None if current.is_some() && grid.rows.iter().any(|r| r.len() == width) => 0,
            None => {
                out.skipped.push(format!(
                    "{}：没有找到表头，已跳过",
                    sheet_words_or(&grid.name)
                ));
                continue;
            }
        };
        let cols = current.clone().unwrap_or_default();
        read_rows(file, grid, start, &cols, &mut category, &mut out);
    }
    if !any_header {
        return Err(no_header(file, grids));
    }
    Ok(out)
}

/// Where row `row` (and column `col`) of `grid` is, as a clerk is told.
fn place(file: &str, grid: &Grid, row: usize, col: Option<usize>) -> Place {
    Place {
        file: file.to_string(),
        sheet: grid.name.clone(),
        row: row + 1,
        col: col.map(|c| c + 1),
        docx: grid.name.starts_with("表格"),
    }
}

/// The header found at row `r` (`used` rows): the title above it, the
/// columns it names that no field reads (reported), the required columns
/// checked, and 编号 holding numbers read as 序号.
fn take_header(
    file: &str,
    grid: &Grid,
    filled: &[usize],
    r: usize,
    mut cols: Columns,
    used: usize,
    out: &mut Table,
) -> Result<Columns, ImportError> {
    // Title rows above: the first lone text is the title.
    if out.title.is_none() {
        out.title = filled
            .iter()
            .take_while(|&&f| f < r)
            .map(|&f| distinct(&grid.rows[f]))
            .find(|d| d.len() == 1)
            .map(|d| clean(d[0]))
            .or_else(|| grid.caption.clone());
    }
    let undef: Vec<String> = grid.rows[r]
        .iter()
        .enumerate()
        .filter(|(c, t)| !t.trim().is_empty() && !cols.of.iter().any(|(_, k)| k == c))
        .filter(|(_, t)| field_of(t).is_none())
        .map(|(c, t)| format!("{}{}（{}）", sheet_words(&grid.name), column(c), clean(t)))
        .collect();
    out.ignored.extend(undef);
    for f in Field::REQUIRED {
        if cols.get(f).is_none() {
            return Err(ImportError::at(
                place(file, grid, r, None),
                format!("表头中没有“{}”列", f.name()),
                Some(format!(
                    "表头须有 违法行为、违反的法律依据、适用条件、处理方式 四列；这一行的表头是：{}",
                    distinct(&grid.rows[r]).join("、")
                )),
            ));
        }
    }
    // 编号 alone holding numbers is the 序号.
    if let (Some(c), None) = (cols.get(Field::Id), cols.get(Field::No)) {
        let numeric = grid.rows[r + used..]
            .iter()
            .filter(|row| distinct(row).len() > 1)
            .filter_map(|row| row.get(c).map(|s| s.trim()))
            .filter(|s| !s.is_empty())
            .all(|s| s.chars().all(|ch| ch.is_ascii_digit()));
        if numeric {
            cols.of
                .iter_mut()
                .filter(|(f, _)| *f == Field::Id)
                .for_each(|(f, _)| *f = Field::No);
        }
    }
    Ok(cols)
}

/// The rows of `grid` from `start` under the columns `cols`: section rows
/// set `category`, footnotes and repeated headers are skipped, every other
/// row is an item or a problem.
fn read_rows(
    file: &str,
    grid: &Grid,
    start: usize,
    cols: &Columns,
    category: &mut String,
    out: &mut Table,
) {
    let mut footnotes = false;
    for r in start..grid.rows.len() {
        let row = &grid.rows[r];
        let texts = distinct(row);
        if texts.is_empty() {
            continue;
        }
        let cell = |f: Field| {
            cols.get(f)
                .and_then(|c| row.get(c))
                .map(|s| clean(s))
                .unwrap_or_default()
        };
        if texts.len() == 1 {
            let t = texts[0];
            let spread = row.iter().filter(|c| c.trim() == t).count();
            // A lone text spread over the row by a merge, or in one
            // cell only: a section row, a footnote, or a header
            // repeated on a new page.
            if is_footnote(t) {
                footnotes = true;
                out.skipped.push(format!(
                    "{}第 {} 行（脚注）：{}",
                    sheet_words(&grid.name),
                    r + 1,
                    clip(t)
                ));
                continue;
            }
            if is_section(t)
                && (spread > 1
                    || cell(Field::Violation).is_empty()
                    || cell(Field::Violation) == clean(t))
            {
                *category = clean(t);
                footnotes = false;
                continue;
            }
        }
        if footnotes {
            out.skipped.push(format!(
                "{}第 {} 行（脚注）：{}",
                sheet_words(&grid.name),
                r + 1,
                clip(texts[0])
            ));
            continue;
        }
        if header(&grid.rows, r).is_some() {
            continue;
        }
        let item = Row {
            place: place(file, grid, r, None),
            no: cell(Field::No),
            id: cell(Field::Id),
            category: if cols.get(Field::Category).is_some() {
                cell(Field::Category)
            } else {
                category.clone()
            },
            violation: cell(Field::Violation),
            basis: cell(Field::Basis),
            penalty_basis: cell(Field::PenaltyBasis),
            conditions: cell(Field::Conditions),
            handling: cell(Field::Handling),
            note: cell(Field::Note),
        };
        match missing(&item) {
            Some((f, names)) => out.problems.push(ImportError::at(
                place(file, grid, r, cols.get(f)),
                format!("这一行不能作为清单事项：{}为空（本行内容：{}）", names, clip(&texts.join(" | "))),
                Some("每项须填写 违法行为、违反的法律依据、适用条件、处理方式；分类行请写成“一、××类”，脚注请以“注：”开头".into()),
            )),
            None => out.rows.push(item),
        }
    }
}

/// The first required field an item lacks, and the names of all it lacks.
fn missing(item: &Row) -> Option<(Field, String)> {
    let missing: Vec<Field> = Field::REQUIRED
        .into_iter()
        .filter(|&f| match f {
            Field::Violation => item.violation.is_empty(),
            Field::Basis => item.basis.is_empty(),
            Field::Conditions => item.conditions.is_empty(),
            _ => item.handling.is_empty(),
        })
        .collect();
    let names: Vec<&str> = missing.iter().map(|f| f.name()).collect();
    missing.first().map(|&f| (f, names.join("、")))
}

/// The error of a file in which no grid has a header.
fn no_header(file: &str, grids: &[Grid]) -> ImportError {
    match grids.iter().find(|g| !g.rows.is_empty()) {
        None => ImportError::at(
            Place { file: file.to_string(), sheet: String::new(), row: 0, col: None, docx: false },
            "文件中没有任何内容（工作表或表格为空）".to_string(),
            Some("请确认导入的是清单表格本身".into()),
        ),
        Some(g) => ImportError::at(
            Place { file: file.to_string(), sheet: g.name.clone(), row: 0, col: None, docx: g.name.starts_with("表格") },
            "没有找到表头".to_string(),
            Some("表头应在前 20 行内，含“违法行为”（或“违法行为名称”“事项”）以及“法律依据”“适用条件”“处理方式”等列名".into()),
        ),
    }
}

/// Column letters, as Excel names them (A, B, … AA).
pub(super) fn column(mut i: usize) -> String {
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

fn sheet_words(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else if name.starts_with("表格") {
        name.to_string()
    } else {
        format!("工作表“{name}”")
    }
}

fn sheet_words_or(name: &str) -> String {
    if name.is_empty() {
        "文件".into()
    } else {
        sheet_words(name)
    }
}

/// At most 30 characters of a text, for messages.
fn clip(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 30 {
        format!("{}…", one.chars().take(30).collect::<String>())
    } else {
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_wordings() {
        for (label, f) in [
            ("序号", Field::No),
            ("违法行为名称", Field::Violation),
            ("事项", Field::Violation),
            ("违反的法律规定", Field::Basis),
            ("设定依据", Field::Basis),
            ("处罚依据", Field::PenaltyBasis),
            ("免罚条件", Field::Conditions),
            ("从轻减轻情形", Field::Conditions),
            ("裁量情形", Field::Conditions),
            ("处理措施", Field::Handling),
            ("备 注", Field::Note),
            ("适用\n条件", Field::Conditions),
        ] {
            assert_eq!(field_of(label), Some(f), "{label}");
        }
        assert_eq!(field_of("联系电话"), None);
    }

    #[test]
    fn sections_and_footnotes() {
        assert!(is_section("一、登记注册类"));
        assert!(is_section("（二）广告类"));
        assert!(is_section("第三类 食品安全"));
        assert!(!is_section("未按规定公示营业执照的"));
        assert!(is_footnote("注：本清单自发布之日起施行。"));
        assert!(!is_footnote("一、登记注册类"));
    }

    #[test]
    fn cells_are_cleaned() {
        assert_eq!(clean("  甲\r\n  乙 \n\n\n\n丙\n"), "甲\n乙\n\n丙");
    }
}
