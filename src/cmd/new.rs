//! `gongshi new <type> PATH`: a new document whose front matter is filled
//! with placeholders (【请填写…】) that `check` reports until replaced.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use crate::content::DocType;
use crate::date::Date;

fn template(kind: DocType, today: Date) -> String {
    let common = format!(
        "title = \"【请填写标题】\"\ndate = {today}\nagency = \"【请填写机构键，见 site.toml 的 [agencies]】\"\n# doc_number = \"示市监〔{}〕1号\"\n# effective = {today}\n# districts = [\"chengdong\"]\n",
        today.year
    );
    match kind {
        DocType::Lists => format!(
            "+++\n{common}kind = \"【请填写清单类别键，见 [list_kinds]】\"\n\n[[items]]\nid = \"【请填写编号，如 SJ-MF-001】\"\nviolation = \"【请填写违法行为】\"\nbasis = \"【请填写违反的法律依据】\"\npenalty_basis = \"【请填写处罚依据】\"\nconditions = \"【请填写适用条件】\"\nhandling = \"【请填写处理方式】\"\n+++\n\n【请填写清单说明】\n"
        ),
        DocType::Guidance => format!(
            "+++\n{common}method = \"【请填写指导方式：guide 引导 demonstrate 示范 remind 提示 coach 辅导 advise 建议 dissuade 规劝 interview 约谈 revisit 回访】\"\naudience = \"【请填写对象，如 全市餐饮服务经营者】\"\n# industries = [\"catering\"]\n+++\n\n【请填写正文】\n"
        ),
        DocType::Cases => format!(
            "+++\n{common}year = {}\nmethods = [\"remind\"]\noutcome = \"【请填写处理结果】\"\n# honor = \"市级服务型行政执法优秀案例\"\n+++\n\n## 案情简介\n\n【请填写案情】\n\n## 处理过程\n\n【请填写处理过程】\n\n## 典型意义\n\n【请填写典型意义】\n",
            today.year
        ),
        DocType::Warnings => format!(
            "+++\n{common}level = \"【请填写风险等级键，见 [risk_levels]】\"\nindustries = [\"【请填写行业键，见 [industries]】\"]\n# valid_until = {}-12-31\n\n[[risks]]\npoint = \"【请填写风险点】\"\ncause = \"【请填写成因】\"\nmeasures = \"【请填写防范措施】\"\nbasis = \"【请填写法律依据】\"\nself_check = [\"【请填写自查要点】\"]\n+++\n\n【请填写提示说明】\n",
            today.year
        ),
        DocType::Page => "+++\ntitle = \"【请填写标题】\"\n+++\n\n【请填写正文】\n".to_string(),
    }
}

fn folder(kind: DocType) -> &'static str {
    match kind {
        DocType::Lists => "lists",
        DocType::Guidance => "guidance",
        DocType::Cases => "cases",
        DocType::Warnings => "warnings",
        DocType::Page => "",
    }
}

pub(crate) fn run(root: &Path, kind: DocType, path: &Path) -> Result<ExitCode, String> {
    if path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "路径 {} 只能是 content 内的相对路径，不能含 .. 或以 / 开头",
            path.display()
        ));
    }
    let mut rel = PathBuf::from(path);
    if rel.extension().is_none_or(|e| e != "md") {
        rel.set_extension("md");
    }
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !crate::config::is_key(&stem) {
        return Err(format!(
            "文件名“{stem}”须由小写字母、数字和连字符组成，例如 2025-exempt"
        ));
    }
    let target = if rel.starts_with("content") {
        root.join(&rel)
    } else {
        root.join("content").join(folder(kind)).join(&rel)
    };
    if target.exists() {
        return Err(format!("{} 已存在，未做任何修改", target.display()));
    }
    if let Some(parent) = target.parent() {
        crate::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    crate::fs::write(&target, template(kind, Date::today()).as_bytes())
        .map_err(|e| e.to_string())?;
    eprintln!(
        "已创建 {}。请替换其中所有【请填写…】内容，然后运行 gongshi check。",
        target.display()
    );
    Ok(ExitCode::SUCCESS)
}
