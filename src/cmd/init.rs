//! `gongshi init DIR`: a small working site — `site.toml` with registries
//! and one example document of each type (an annual report among them) —
//! that builds as it is. Its `site.toml` reads git history (`[history]
//! git = true`, the default, with a comment on what becomes public), as a
//! site agencies publish by committing should.

use std::path::Path;
use std::process::ExitCode;

const FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"title = "某市服务型行政执法公示"
base_url = "https://example.gov.cn/zhifa/"
language = "zh-CN"
theme = "default"
description = "轻微违法免罚清单、行政指导、典型案例和法律风险提示的统一公示。"
organizer = "某市司法局"
# 页脚的政府网站标识（上线前填写）：网站标识码（填写后每页页脚有“政府网站找错”
# 链接到国家政务服务平台的纠错页）、ICP 备案号、公安机关备案号。
# site_code = "0000000000"
# icp = "某ICP备00000000号"
# psb = "某公网安备 00000000000000号"

# 修订记录：各机关提交（git commit）修订后，网站公开修订的日期；提交说明中
# 单独一行的“修订说明: ……”作为公开的说明，没有则显示“内容修订”。提交说明的
# 其余内容、提交人姓名、邮箱和文件路径一律不公开。也可以在文件前置元数据中写
# revisions = [{ date = 2025-06-01, note = "……" }]。
# 如果本仓库的 git 历史不是站点的发布历史（例如整批导入的旧文件），改为
# git = false：日期和修订记录只取自前置元数据。
[history]
git = true

# 意见反馈：每份文件末尾的“这条信息对您有帮助吗 / 我要纠错 / 满意度评价”链接到
# 这里（表单服务网址或 mailto: 邮箱），并带上页面地址和标题；本站不收集任何信息。
# [feedback]
# url = "https://……/feedback"
# name = "某市政府网站互动交流平台"

[agencies.scjg]
name = "市市场监督管理局"
# 联系方式，显示在本机关发布的每份文件和机关页面上（可选）：
# phone = "0000-12315"
# address = "某市某区某路 1 号"
# hours = "工作日 9:00—17:00"

[districts.chengdong]
name = "城东区"

[industries.catering]
name = "餐饮服务"

[list_kinds.exempt]
name = "轻微违法行为免罚清单"
[list_kinds.mitigated]
name = "一般违法行为从轻减轻处罚清单"

[risk_levels.high]
name = "高风险"
[risk_levels.medium]
name = "中风险"
[risk_levels.low]
name = "低风险"
"#,
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"首页\"\n+++\n\n本站公示本市行政执法机关的免罚清单、行政指导、典型案例和法律风险提示。\n",
    ),
    (
        "content/lists/scjg/2025-exempt.md",
        r#"+++
title = "市场监管领域轻微违法行为免罚清单（2025年版）"
date = 2025-01-10
effective = 2025-02-01
agency = "scjg"
kind = "exempt"
doc_number = "某市监〔2025〕1号"
# 修订后在此写明修订日期和公开的修订说明，例如：
# revisions = [{ date = 2025-06-01, note = "调整第1项适用条件" }]

# 附件：盖章原件等（PDF、OFD、DOCX、XLSX、DOC、XLS）与本文件放在同一文件夹，例如：
# [[attachments]]
# file = "某市监〔2025〕1号.pdf"
# title = "免罚清单（盖章件）"

[[items]]
id = "SJ-MF-001"
violation = "未将营业执照置于住所或者主要经营场所的醒目位置"
basis = "《市场主体登记管理条例》第三十六条"
penalty_basis = "《市场主体登记管理条例》第四十八条"
conditions = "首次被发现，且在责令改正期限内改正的"
handling = "不予行政处罚，责令改正"
+++

对清单所列轻微违法行为，依法不予行政处罚，并以教育、提示等方式督促改正。
"#,
    ),
    (
        "content/guidance/2025-license-reminder.md",
        r#"+++
title = "关于餐饮经营者亮照经营的提示"
date = 2025-02-10
agency = "scjg"
method = "remind"
audience = "全市餐饮服务经营者"
industries = ["catering"]
+++

请各餐饮服务经营者将营业执照、食品经营许可证悬挂在就餐场所醒目位置。相关规定见[免罚清单第1项](@/lists/scjg/2025-exempt.md#item-SJ-MF-001)。
"#,
    ),
    (
        "content/cases/2025-bakery.md",
        r#"+++
title = "城东区某面包店未亮照经营案"
date = 2025-03-05
agency = "scjg"
districts = ["chengdong"]
year = 2025
methods = ["remind", "revisit"]
outcome = "当场整改，未予处罚"
+++

## 案情简介

执法人员检查发现，当事人未将营业执照置于经营场所醒目位置。

## 处理过程

执法人员当场提示，当事人立即改正；一周后回访确认整改到位。
"#,
    ),
    (
        "content/warnings/2025-catering-gas.md",
        r#"+++
title = "关于餐饮行业燃气使用安全法律风险的提示"
date = 2025-04-01
agency = "scjg"
level = "high"
industries = ["catering"]

[[risks]]
point = "燃气软管老化、超期使用"
cause = "日常巡检不到位"
measures = "使用金属波纹管，安装燃气泄漏报警装置"
basis = "《城镇燃气管理条例》"
self_check = ["燃气软管是否在使用期限内？", "是否安装燃气泄漏报警装置？"]
+++

请各经营单位对照自查清单逐项检查。
"#,
    ),
    (
        "content/reports/scjg/2024.md",
        r#"+++
title = "市市场监督管理局2024年度服务型行政执法工作专项报告"
date = 2025-01-20
agency = "scjg"
year = 2024
doc_number = "某市监〔2025〕3号"

# 工作数据（可选）：报告中写明的数字，均为非负整数；报告没有的项目不写。
[figures]
exempted = 36       # 不予处罚案件数（件）
mitigated = 12      # 从轻、减轻处罚案件数（件）
mediations = 20     # 行政调解（件）
revisits = 48       # 执法回访（次）

[figures.guidance]  # 行政指导（次），按指导方式
remind = 260
revisit = 30
+++

## 一、主要做法

公布轻微违法行为免罚清单，对首次轻微违法并及时改正的依法不予处罚，同时开展提示和回访。

## 二、工作成效

全年依法不予处罚36件，从轻、减轻处罚12件；开展行政指导290次；行政调解消费纠纷20件；执法回访48次。

## 三、存在问题

免罚清单覆盖领域还不够全面。

## 四、下一步打算

修订免罚清单，扩大覆盖领域，加强清单宣传解读。
"#,
    ),
    (
        "content/about.md",
        "+++\ntitle = \"关于本站\"\n+++\n\n本站由某市司法局主办，公示各行政执法机关依法应当公开的信息。\n",
    ),
];

/// `[disputes.…]`: the eight kinds of Article 13, ready for the agencies
/// that mediate them (only 市场监督管理局 is registered above).
fn disputes_block() -> String {
    let mut s = String::from(
        "\n# 行政调解：可以申请行政机关调解的纠纷（第十一条至第十三条）。每类可写\n\
         # agencies（调解机关，填上方 [agencies.…] 的键）、apply（如何申请）、\n\
         # contact（咨询方式）、basis（法律依据）。\n",
    );
    for (key, name, description) in crate::config::DISPUTE_KINDS {
        s.push_str(&format!(
            "\n[disputes.{key}]\nname = \"{name}\"\ndescription = \"{description}\"\n"
        ));
        if key == "consumer" {
            s.push_str("agencies = [\"scjg\"]\napply = \"拨打 12315 或者到市场监督管理部门窗口投诉，写明经营者名称、购买时间和诉求，附购物凭证。\"\n");
        } else {
            s.push_str("# agencies = [\"…\"]\n");
        }
    }
    s
}

pub(crate) fn run(dir: &Path) -> Result<ExitCode, String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(format!(
                "目录 {} 已存在且不为空；为避免覆盖，请指定一个新目录",
                dir.display()
            ));
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        let text = if *rel == "site.toml" {
            format!("{text}{}", disputes_block())
        } else {
            (*text).to_string()
        };
        if let Some(parent) = path.parent() {
            crate::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        crate::fs::write(&path, text.as_bytes()).map_err(|e| e.to_string())?;
    }
    eprintln!(
        "已在 {} 创建示例站点。\n下一步：\n  gongshi serve --root {0}    预览\n  gongshi new lists scjg/2026-exempt --root {0}    新建一份清单\n  git -C {0} init    用 git 管理发布：修订日期取自提交，说明只取“修订说明:”行",
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}
