#!/usr/bin/env python3
"""Generate a synthetic site source tree that follows docs/content-model.md.

    python3 gen_corpus.py OUT_DIR [--docs N] [--seed S] [--commits K]

Writes OUT_DIR/site.toml and OUT_DIR/content/ with N documents spread over
lists, guidance, cases, warnings and plain pages, in Chinese, deterministic
for a given seed. With --commits K, OUT_DIR becomes a git repository whose
history has K commits: the first adds everything, later ones revise lists
(add, change and drop items) and other documents, as agencies would.

The output is plain Markdown with TOML front matter, so the same tree can be
built by other generators for side-by-side timing.
"""
import argparse
import datetime as dt
import os
import random
import subprocess

AGENCIES = {
    "scjg": "市市场监督管理局", "sthj": "市生态环境局", "jtys": "市交通运输局",
    "cgj": "市城市管理局", "yjgl": "市应急管理局", "wjw": "市卫生健康委员会",
    "wglj": "市文化广电和旅游局", "rsj": "市人力资源和社会保障局",
    "zrzy": "市自然资源和规划局", "zjj": "市住房和城乡建设局",
    "xfjy": "市消防救援支队", "nync": "市农业农村局", "jyj": "市教育局",
    "swj": "市商务局", "slj": "市水利局", "gaj": "市公安局",
}
SHORT = {"scjg": "市监", "sthj": "环", "jtys": "交", "cgj": "城管", "yjgl": "应急", "wjw": "卫健",
         "wglj": "文旅", "rsj": "人社", "zrzy": "自然资源", "zjj": "建", "xfjy": "消",
         "nync": "农", "jyj": "教", "swj": "商", "slj": "水", "gaj": "公"}
DISTRICTS = {
    "chengdong": "城东区", "chengxi": "城西区", "gaoxin": "高新技术产业开发区",
    "jingkai": "经济技术开发区", "beishan": "北山县", "nanhu": "南湖县",
    "dongping": "东平县", "xiling": "西岭县", "linhe": "临河市",
}
INDUSTRIES = {
    "catering": "餐饮服务", "food-retail": "食品销售", "pharmacy": "药品零售",
    "construction": "建筑施工", "road-transport": "道路运输",
    "hazchem": "危险化学品", "entertainment": "文化娱乐", "hotel": "住宿服务",
    "training": "教育培训", "clinic": "医疗机构", "property": "物业管理",
    "ecommerce": "网络交易", "agri-supply": "农资经营", "fuel": "加油站",
    "hr-service": "人力资源服务", "advertising": "广告", "travel": "旅行社",
    "manufacturing": "工业制造",
}
LIST_KINDS = {"exempt": "轻微违法行为免罚清单", "mitigated": "一般违法行为从轻减轻处罚清单",
              "no-coercion": "不予实施行政强制措施清单"}
RISK_LEVELS = [("high", "高风险"), ("medium", "中风险"), ("low", "低风险")]
METHODS = ["guide", "demonstrate", "remind", "coach", "advise", "dissuade", "interview", "revisit"]
METHOD_NAMES = dict(zip(METHODS, ["引导", "示范", "提示", "辅导", "建议", "规劝", "约谈", "回访"]))

# (concept id, agency, violation wording, law, industries)
VIOLATIONS = [
    ("license-display", "scjg", "未将营业执照置于住所或者主要经营场所的醒目位置", "《市场主体登记管理条例》", ["catering", "food-retail", "hotel"]),
    ("online-license", "scjg", "电子商务经营者未在首页显著位置持续公示营业执照信息", "《电子商务法》", ["ecommerce"]),
    ("food-permit-display", "scjg", "餐饮服务提供者未在就餐场所公示食品经营许可证", "《食品安全法》", ["catering"]),
    ("purchase-record", "scjg", "食品经营者未按规定建立并遵守进货查验记录制度", "《食品安全法》", ["food-retail", "catering"]),
    ("health-cert", "scjg", "从事接触直接入口食品工作的从业人员未取得健康证明", "《食品安全法》", ["catering", "food-retail"]),
    ("price-tag", "scjg", "经营者未按规定实行明码标价", "《价格法》", ["food-retail", "hotel", "pharmacy"]),
    ("ad-superlative", "scjg", "广告中使用\u201c最佳\u201d\u201c国家级\u201d等绝对化用语", "《广告法》", ["advertising", "ecommerce"]),
    ("registration-change", "scjg", "登记事项发生变更未按规定办理变更登记", "《市场主体登记管理条例》", ["manufacturing", "food-retail"]),
    ("expired-food", "scjg", "经营超过保质期的食品且货值金额较小", "《食品安全法》", ["food-retail", "catering"]),
    ("pharmacist-absent", "scjg", "执业药师不在岗时未挂牌告知并停止销售处方药", "《药品管理法》", ["pharmacy"]),
    ("fire-lane", "xfjy", "占用、堵塞、封闭消防车通道", "《消防法》", ["property", "hotel", "entertainment"]),
    ("extinguisher", "xfjy", "未按照国家标准配置消防设施、器材", "《消防法》", ["hotel", "entertainment", "catering"]),
    ("evacuation-sign", "xfjy", "疏散指示标志损坏或者未保持完好有效", "《消防法》", ["hotel", "entertainment", "training"]),
    ("transport-cert", "jtys", "道路运输车辆未随车携带道路运输证", "《道路运输条例》", ["road-transport"]),
    ("overload", "jtys", "货运车辆超限运输且情节轻微", "《公路安全保护条例》", ["road-transport"]),
    ("hazwaste-label", "sthj", "未按照规定设置危险废物识别标志", "《固体废物污染环境防治法》", ["manufacturing", "hazchem"]),
    ("emission-disclosure", "sthj", "重点排污单位未按照规定公开排放信息", "《环境保护法》", ["manufacturing"]),
    ("dust-site", "zjj", "施工现场未设置硬质围挡或者未采取覆盖措施", "《大气污染防治法》", ["construction"]),
    ("debris-truck", "cgj", "建筑垃圾运输车辆未密闭运输造成泄漏遗撒", "《城市市容和环境卫生管理条例》", ["construction", "road-transport"]),
    ("street-stacking", "cgj", "擅自在街道两侧和公共场地堆放物料", "《城市市容和环境卫生管理条例》", ["construction", "food-retail"]),
    ("outdoor-ad", "cgj", "未经批准擅自设置户外广告设施", "《城市市容和环境卫生管理条例》", ["advertising"]),
    ("travel-permit", "wglj", "旅行社未在经营场所显著位置悬挂业务经营许可证", "《旅行社条例》", ["travel"]),
    ("venue-minors", "wglj", "娱乐场所未在显著位置悬挂未成年人禁入标志", "《娱乐场所管理条例》", ["entertainment"]),
    ("safety-duty", "yjgl", "生产经营单位未按规定建立安全生产责任制", "《安全生产法》", ["manufacturing", "hazchem", "construction"]),
    ("safety-training", "yjgl", "未按照规定对从业人员进行安全生产教育和培训", "《安全生产法》", ["manufacturing", "hazchem", "fuel"]),
    ("staff-roster", "rsj", "用人单位未按规定建立职工名册", "《劳动合同法》", ["manufacturing", "catering", "hr-service"]),
    ("hr-license", "rsj", "人力资源服务机构未在服务场所明示营业执照和服务项目", "《人力资源市场暂行条例》", ["hr-service"]),
    ("medical-record", "wjw", "医疗机构未按照规定保存门诊病历资料", "《医疗机构管理条例》", ["clinic"]),
    ("clinic-sign", "wjw", "医疗机构未悬挂执业许可证或者诊疗科目", "《医疗机构管理条例》", ["clinic"]),
    ("pesticide-ledger", "nync", "农药经营者未按规定建立采购、销售台账", "《农药管理条例》", ["agri-supply"]),
    ("training-price", "jyj", "校外培训机构未公示收费项目和收费标准", "《民办教育促进法》", ["training"]),
    ("fuel-vapor", "sthj", "加油站油气回收装置未正常运行", "《大气污染防治法》", ["fuel"]),
]
CONDITIONS = [
    "初次违法且危害后果轻微，并在责令改正期限内改正的",
    "违法行为轻微并及时改正，没有造成危害后果的",
    "首次被发现，且在监管部门指出后立即整改到位的",
    "违法行为持续时间短，未造成社会不良影响的",
    "当事人有证据足以证明没有主观过错的",
    "主动消除或者减轻违法行为危害后果的",
]
HANDLINGS = {
    "exempt": ["不予行政处罚，责令改正，并对当事人进行法治宣传教育",
               "不予行政处罚，制作责令改正通知书，限期整改",
               "不予行政处罚，通过约谈提醒督促其规范经营"],
    "mitigated": ["从轻处罚，在法定罚款幅度的下限内确定罚款数额",
                  "减轻处罚，在法定最低罚款数额以下确定罚款数额",
                  "从轻处罚，并督促当事人限期整改"],
    "no-coercion": ["不予实施查封、扣押等行政强制措施，责令限期改正",
                    "不予实施行政强制措施，采取书面承诺方式督促整改"],
}
RISKS = {
    "catering": [("燃气管道老化、软管超期使用", "定期检查燃气管线，使用金属波纹管并安装燃气泄漏报警装置"),
                 ("原料超过保质期仍在使用", "建立原料进货和库存台账，每日检查保质期并及时清理过期原料")],
    "food-retail": [("临期食品未分区标示", "设置临期食品专区并明确标示，过期食品立即下架"),
                    ("冷链食品储存温度不达标", "配备温度监测设备，每日记录冷藏冷冻温度")],
    "pharmacy": [("处方药无处方销售", "严格执行凭处方销售制度，执业药师在岗审方")],
    "construction": [("高处作业未系安全带", "设置安全网和防护栏杆，作业人员必须正确佩戴安全带"),
                     ("施工扬尘污染", "落实围挡、覆盖、洒水、冲洗等扬尘治理措施")],
    "road-transport": [("驾驶员疲劳驾驶", "合理安排运输任务，落实动态监控和休息制度"),
                       ("车辆超限超载", "源头装载称重，拒绝超限车辆出场")],
    "hazchem": [("危险化学品混存混放", "按照禁忌物料配存要求分区、分类储存"),
                ("动火作业未审批", "严格执行特殊作业审批，落实现场监护")],
    "entertainment": [("安全出口锁闭", "营业期间保持安全出口畅通，每日巡查")],
    "hotel": [("未落实住宿登记", "对入住旅客逐一核验身份并如实登记")],
    "training": [("预收费超过规定期限", "按规定周期收费，学费纳入资金监管账户")],
    "clinic": [("医疗废物处置不规范", "分类收集医疗废物并交由有资质单位处置")],
    "property": [("电动自行车楼道充电", "设置集中充电场所，清理楼道违规停放")],
    "ecommerce": [("商品信息虚假宣传", "核实商品信息，删除无法证实的宣传用语")],
    "agri-supply": [("销售假劣农资", "从正规渠道进货，查验产品登记证和合格证")],
    "fuel": [("卸油作业无人监护", "卸油时安排专人全程监护，配备灭火器材")],
    "hr-service": [("发布虚假招聘信息", "核验用人单位资质，审核招聘信息真实性")],
    "advertising": [("使用未经审查的医疗广告", "发布前核验广告审查批准文号")],
    "travel": [("不合理低价组团", "如实说明行程和费用，不得诱导购物")],
    "manufacturing": [("有限空间作业未检测", "坚持先通风、再检测、后作业"),
                      ("特种设备未定期检验", "建立特种设备档案，按期申报检验")],
}
GUIDANCE_TITLES = [
    "关于{ind}经营者规范{topic}的提示", "{ind}行业{topic}工作指引", "关于做好{topic}的建议书",
    "{ind}经营主体{topic}辅导材料", "关于{topic}的告知书", "{ind}{topic}示范做法",
]
TOPICS = ["明码标价", "亮照经营", "食品安全自查", "消防安全", "安全生产", "证照公示",
          "广告发布", "台账管理", "扬尘治理", "从业人员健康管理", "年度报告公示", "节假日经营"]
SENTENCES = [
    "为进一步优化营商环境，引导经营主体依法合规经营，现将有关事项提示如下。",
    "各经营主体应当对照本提示开展自查自纠，发现问题及时整改。",
    "执法人员在检查中发现，部分经营者对相关规定理解不到位。",
    "对首次发现的轻微问题，执法机关以教育提醒为主，督促当事人限期改正。",
    "经营者可以通过政务服务网站或者窗口咨询相关办理流程。",
    "本事项涉及多个部门职责的，由牵头部门会同有关部门共同开展指导。",
    "相关单位应当建立健全内部管理制度，明确岗位责任。",
    "执法机关将适时开展回访，了解整改落实情况。",
    "对拒不整改或者造成危害后果的，依法予以查处。",
    "欢迎社会各界对执法工作提出意见和建议。",
]
CASE_OUTCOMES = ["当事人当场整改，未予处罚", "经约谈后企业建立整改台账并全部整改到位",
                 "通过行政调解，双方自愿达成协议", "回访确认整改到位，经营秩序明显好转"]
HONORS = ["", "", "市级服务型行政执法优秀案例", "省级行政执法典型案例", "市级优秀案例提名"]


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(xs):
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def date(self, lo=2020, hi=2026):
        start = dt.date(lo, 1, 1)
        return start + dt.timedelta(days=self.r.randrange((dt.date(hi, 10, 31) - start).days))

    def body(self, n, extra=()):
        r = self.r
        parts = []
        for i in range(n):
            if i and r.random() < 0.3:
                parts.append("## " + r.choice(["一、基本情况", "二、主要内容", "三、工作要求", "四、联系方式", "五、其他事项"]))
            parts.append("".join(r.choice(SENTENCES) for _ in range(r.randint(2, 5))))
            if r.random() < 0.15:
                parts.append("\n".join("- " + r.choice(SENTENCES) for _ in range(3)))
        parts.extend(extra)
        return "\n\n".join(parts) + "\n"

    def common(self, title, agency, date):
        r = self.r
        fm = [f"title = {toml_str(title)}", f"date = {date.isoformat()}", f"agency = {toml_str(agency)}"]
        if r.random() < 0.5:
            fm.append(f"doc_number = {toml_str(f'示{SHORT[agency]}〔{date.year}〕{r.randint(1, 200)}号')}")
        if r.random() < 0.4:
            fm.append(f"districts = {toml_list(r.sample(sorted(DISTRICTS), r.randint(1, 3)))}")
        if r.random() < 0.5:
            fm.append(f"tags = {toml_list(r.sample(TOPICS, 2))}")
        return fm

    def list_doc(self, i):
        r = self.r
        kind = r.choice(sorted(LIST_KINDS))
        agency = r.choice(sorted({v[1] for v in VIOLATIONS}))
        date = self.date()
        title = f"{AGENCIES[agency]}{LIST_KINDS[kind]}（{date.year}年版·第{i}号）"
        fm = self.common(title, agency, date)
        fm.insert(1, f"kind = {toml_str(kind)}")
        fm.append(f"effective = {(date + dt.timedelta(days=r.randint(0, 30))).isoformat()}")
        own = [v for v in VIOLATIONS if v[1] == agency] or VIOLATIONS
        items = []
        for k in range(r.randint(8, 40)):
            concept, _, violation, law, _ = r.choice(own)
            art = r.randint(5, 120)
            items.append("\n".join([
                "[[items]]",
                f"id = {toml_str(f'{agency.upper()}-{kind[:2].upper()}-{i:04d}-{k + 1:03d}')}",
                f"violation = {toml_str(violation)}",
                f"basis = {toml_str(f'{law}第{art}条')}",
                f"penalty_basis = {toml_str(f'{law}第{art + r.randint(1, 30)}条')}",
                f"conditions = {toml_str(r.choice(CONDITIONS))}",
                f"handling = {toml_str(r.choice(HANDLINGS[kind]))}",
            ]))
        return "lists", agency, fm + [""] + items, self.body(2)

    def guidance_doc(self, i):
        r = self.r
        agency = r.choice(sorted(AGENCIES))
        ind = r.choice(sorted(INDUSTRIES))
        method = r.choice(METHODS)
        title = r.choice(GUIDANCE_TITLES).format(ind=INDUSTRIES[ind], topic=r.choice(TOPICS))
        fm = self.common(title, agency, self.date())
        fm.insert(1, f"method = {toml_str(method)}")
        fm.append(f"industries = {toml_list([ind])}")
        v = r.choice(VIOLATIONS)
        extra = [f"常见问题：{v[2]}。", f"依据{v[3]}的规定，经营者应当及时改正。"]
        if r.random() < 0.05:
            extra.append("```json\n{\"agency\": \"%s\", \"method\": \"%s\"}\n```" % (agency, method))
        return "guidance", agency, fm, self.body(r.randint(3, 8), extra)

    def case_doc(self, i):
        r = self.r
        v = r.choice(VIOLATIONS)
        concept, agency, violation, law, inds = v
        date = self.date()
        methods = r.sample(METHODS, r.randint(1, 3))
        title = f"{DISTRICTS[r.choice(sorted(DISTRICTS))]}某{INDUSTRIES[r.choice(inds)]}经营者{violation[:12]}案"
        fm = self.common(title, agency, date)
        fm.insert(1, f"year = {date.year}")
        fm += [f"methods = {toml_list(methods)}", f"outcome = {toml_str(r.choice(CASE_OUTCOMES))}"]
        honor = r.choice(HONORS)
        if honor:
            fm.append(f"honor = {toml_str(honor)}")
        extra = [f"## 案情简介\n\n执法人员检查发现，当事人存在{violation}的情形，违反了{law}的有关规定。",
                 "## 处理方式\n\n" + "、".join(METHOD_NAMES[m] for m in methods) + "相结合。"]
        return "cases", agency, fm, self.body(r.randint(2, 5), extra)

    def warning_doc(self, i):
        r = self.r
        inds = r.sample(sorted(INDUSTRIES), r.randint(1, 2))
        agency = r.choice(sorted(AGENCIES))
        level = r.choice(RISK_LEVELS)[0]
        date = self.date()
        title = f"关于{INDUSTRIES[inds[0]]}行业{r.choice(['节前', '夏季', '冬季', '汛期', '开学季', '年末'])}法律风险的提示"
        fm = self.common(title, agency, date)
        fm.insert(1, f"level = {toml_str(level)}")
        fm.append(f"industries = {toml_list(inds)}")
        fm.append(f"valid_until = {(date + dt.timedelta(days=r.randint(30, 365))).isoformat()}")
        risks = []
        for ind in inds:
            for point, measures in r.sample(RISKS[ind], min(len(RISKS[ind]), r.randint(1, 2))):
                v = r.choice([v for v in VIOLATIONS if ind in v[4]] or VIOLATIONS)
                risks.append("\n".join([
                    "[[risks]]", f"point = {toml_str(point)}",
                    f"cause = {toml_str('部分经营者安全意识薄弱，' + v[2])}",
                    f"measures = {toml_str(measures)}",
                    f"basis = {toml_str(v[3])}",
                    f"self_check = {toml_list([measures.split('，')[0] + '？', '是否已建立相关台账？'])}",
                ]))
        return "warnings", agency, fm + [""] + risks, self.body(r.randint(2, 5))

    def page_doc(self, i):
        title = f"{self.r.choice(['办事指南', '政策解读', '工作动态', '常见问答'])}（{i}）"
        return "pages", None, [f"title = {toml_str(title)}"], self.body(self.r.randint(3, 10))


def site_toml():
    out = ['title = "示例市服务型行政执法公示平台"', 'base_url = "https://example.gov.cn/zhifa/"',
           'language = "zh-CN"', 'theme = "default"', ""]
    for table, reg in [("agencies", AGENCIES), ("districts", DISTRICTS), ("industries", INDUSTRIES),
                       ("list_kinds", LIST_KINDS), ("risk_levels", dict(RISK_LEVELS))]:
        for k, v in reg.items():
            out += [f"[{table}.{toml_str(k) if '-' in k else k}]", f"name = {toml_str(v)}", ""]
    return "\n".join(out)


def write_doc(root, rel, fm, body):
    path = os.path.join(root, "content", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("+++\n" + "\n".join(fm) + "\n+++\n\n" + body)


def generate(root, n, seed):
    g = Gen(seed)
    os.makedirs(os.path.join(root, "content"), exist_ok=True)
    with open(os.path.join(root, "site.toml"), "w", encoding="utf-8") as f:
        f.write(site_toml())
    makers = [(g.list_doc, 0.1), (g.guidance_doc, 0.3), (g.case_doc, 0.2), (g.warning_doc, 0.3), (g.page_doc, 0.1)]
    docs = []
    for i in range(n):
        x, acc = g.r.random(), 0.0
        for make, share in makers:
            acc += share
            if x < acc:
                break
        folder, agency, fm, body = make(i)
        sub = f"{agency}/" if agency and folder == "lists" else ""
        rel = f"{folder}/{sub}{folder[:-1] if folder.endswith('s') else folder}-{i:05d}.md"
        write_doc(root, rel, fm, body)
        docs.append(rel)
    return g, docs


def git(root, *args, date=None):
    env = dict(os.environ, GIT_AUTHOR_NAME="publisher", GIT_AUTHOR_EMAIL="publisher@example.gov.cn",
               GIT_COMMITTER_NAME="publisher", GIT_COMMITTER_EMAIL="publisher@example.gov.cn")
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "-C", root, *args], check=True, env=env, stdout=subprocess.DEVNULL)


def revise_list(g, root, rel):
    """Drop one item, change one item's handling, append one item."""
    path = os.path.join(root, "content", rel)
    text = open(path, encoding="utf-8").read()
    head, _, rest = text.partition("[[items]]")
    items = ["[[items]]" + x for x in rest.split("[[items]]")]
    tail_body = items[-1].split("\n+++\n", 1)
    items[-1] = tail_body[0]
    if len(items) > 3:
        items.pop(g.r.randrange(len(items)))
        k = g.r.randrange(len(items))
        items[k] = items[k].replace("责令改正", "责令限期改正")
    new = items[-1].replace('id = "', 'id = "R', 1)
    items.append(new)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + "\n".join(x.rstrip("\n") for x in items) + "\n+++\n" + tail_body[1])


def make_history(g, root, docs, commits):
    git(root, "init", "-q", "-b", "main")
    day = dt.datetime(2022, 1, 3, 9, 0)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "首次发布", date=day.isoformat())
    lists = [d for d in docs if d.startswith("lists/")]
    others = [d for d in docs if not d.startswith("lists/")]
    for c in range(1, commits):
        day += dt.timedelta(days=g.r.randint(1, 5))
        touched = []
        if lists and g.r.random() < 0.6:
            rel = g.r.choice(lists)
            revise_list(g, root, rel)
            touched.append(rel)
        if others:
            rel = g.r.choice(others)
            with open(os.path.join(root, "content", rel), "a", encoding="utf-8") as f:
                f.write("\n" + g.r.choice(SENTENCES) + "\n")
            touched.append(rel)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"更新 {', '.join(touched)}", date=day.isoformat())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=131079)
    ap.add_argument("--commits", type=int, default=0)
    a = ap.parse_args()
    g, docs = generate(a.out, a.docs, a.seed)
    if a.commits:
        make_history(g, a.out, docs, a.commits)
    print(f"{len(docs)} documents written to {a.out}")


if __name__ == "__main__":
    main()
