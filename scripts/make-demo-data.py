"""Writes the SYNTHETIC demo inputs in this folder (deterministic).

The units, records and submissions are invented for the demo: they are not
any real city's assessment. Run: python3 data/demo/make_demo_data.py
"""
import csv, os, random

random.seed(2023)
HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "demo")

counties = ["东湖区", "西山区", "南城区", "北塘区", "金台区", "清河县", "云阳县", "石门县",
            "平乐县", "安宁县", "白马县", "龙泉县", "新桥县", "长乐市"]
parks = [("高新技术产业开发区", "高新区"), ("经济技术开发区", "经开区"), ("临空经济区", ""),
         ("综合保税区", "综保区"), ("文旅康养度假区", ""), ("现代农业园区", "")]
depts = ["市发展和改革委员会", "市教育局", "市科学技术局", "市经济和信息化局", "市民族宗教事务委员会",
         "市公安局", "市民政局", "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源和规划局",
         "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水务局", "市农业农村局", "市商务局",
         "市文化广电旅游局", "市卫生健康委员会", "市退役军人事务局", "市应急管理局", "市审计局",
         "市国有资产监督管理委员会", "市市场监督管理局", "市体育局", "市统计局", "市医疗保障局", "市林业局",
         "市城市管理局", "市行政审批局", "市信访局", "市投资促进局", "市机关事务管理局",
         "市粮食和物资储备局", "市地方金融监督管理局", "市人民防空办公室", "市公共资源交易中心",
         "市政务服务中心", "市档案馆", "市地方志办公室"]

units = []  # (id, name, group, aliases)
for i, n in enumerate(counties):
    units.append((f"X{i+1:02d}", n, "县（市、区）", ""))
for i, (n, a) in enumerate(parks):
    units.append((f"Y{i+1:02d}", n, "park", a))
for i, n in enumerate(depts):
    alias = n[1:] if n.startswith("市") and len(n) > 4 else ""
    units.append((f"Z{i+1:02d}", n, "dept", alias))

TWIN_A, TWIN_B = "Z38", "Z39"     # identical inputs: a tie
VETO_GRADE = "X05"                # leaked secrets: last grade, capped at 59
VETO_IND = "Z06"                  # website defaced: 平台安全 zeroed (pooled D = 0)
WEAK = "Y06"                      # low base: its bonus is gated

def w(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8-sig") as f:
        cw = csv.writer(f, lineterminator="\r\n")
        cw.writerow(header)
        cw.writerows(rows)

w("units.csv", ["单位编码", "单位名称", "分组", "别名"], units)

def profile(uid):
    """A unit's latent diligence 0..1 (twins share one)."""
    r = random.Random(TWIN_A if uid == TWIN_B else uid)
    q = r.random()
    if uid == WEAK:
        q = 0.0
    return q, r

date_formats = ["%Y-%m-%d", "%Y/%-m/%-d", "%Y.%-m.%-d", "%Y年%-m月%-d日"]
import datetime as dt
records, subs, ratings, duties = [], [], [], []
rid = 0
for uid, name, group, alias in units:
    q, r = profile(uid)
    display = alias if alias and r.random() < 0.3 else name
    def rec(code, count, source, note, month):
        global rid
        rid += 1
        d = dt.date(2023, month, r.randint(1, 28))
        fmt = date_formats[rid % len(date_formats)]
        records.append([f"R{rid:04d}", display, d.strftime(fmt), source, code, count, note])
    n_issues = int((1 - q) * 10)
    for _ in range(n_issues):
        code = r.choice(["W01", "W01", "W02", "W02", "W03", "M01", "M01", "M02", "A101", "A102", "A201", "A401"])
        src = "政府网站月度检查" if code[0] in "WA" else "政务新媒体季度抽查"
        rec(code, r.choice([1, 1, 1, 2, 3]), src, "检查发现", r.randint(1, 12))
    if uid in ("X03", "Z12"):
        rec("B201", 1, "年度考核", "行政复议决定撤销答复", 9)
    if uid == VETO_GRADE:
        rec("S01", 1, "现场检查", "网站公开文件含涉密内容", 6)
    if uid == VETO_IND:
        rec("S02", 1, "政府网站月度检查", "首页被篡改", 4)
    if uid in ("Z15", "Y03"):
        rec("P01", 2, "年度考核", "考核佐证材料逾期报送", 12)

    # submissions
    def sub(ind, value, status="通过", evidence=""):
        subs.append([display, ind, value, status, evidence])
    a3 = min(1.0, 0.55 + q * 0.5)
    sub("A3", f"{a3*100:.1f}%", evidence=f"{name}2023年主动公开台账.xlsx")
    if uid == "Z21":              # Z21 forgot: 未报送
        pass
    elif group == "dept" and r.random() < 0.25:
        sub("B1", "不涉及", evidence="全年未收到依申请公开")
    else:
        sub("B1", f"{min(1.0, 0.85 + q * 0.2):.2f}")
    c1 = 0.25 + q * 0.4
    status = "不通过" if uid == "Z30" else "通过"
    sub("C1", f"{c1*100:.0f}%", status=status, evidence="解读材料清单")
    if group in ("县（市、区）", "park"):
        sub("E1", r.choice(["优", "优", "良", "良", "一般", "差"]) if q < 0.9 else "优")
        sub("E2", f"{60 + q * 40:.1f}%")
    sub("F1", "3" if q > 0.2 else "0")
    sub("F2", str(int(q * 4)))
    late = 0 if q > 0.5 else r.choice([0, 1, 3, 6, 12])
    d = dt.date(2024, 1, 31) + dt.timedelta(days=late)
    sub("F3", d.strftime(r.choice(date_formats)), evidence="年度报告发布页面截图")
    if q > 0.85 or uid in (WEAK, "X01", "X02"):
        sub("J1", str(r.choice([1, 2, 3])), evidence="省政府办公厅简报")
    if uid in ("X01", "Y01", WEAK):
        sub("J2", "1", evidence="示范点命名文件")

    # ratings: five raters, trimmed; Z40 has only two (warned, not trimmed)
    raters = ["评议员甲", "评议员乙", "评议员丙", "评议员丁", "评议员戊"]
    if uid == "Z40":
        raters = raters[:2]
    for rt in raters:
        ratings.append([rt, uid, "C2", str(int(round(max(0, min(100, 60 + q * 35 + r.randint(-8, 8))))))])

# Twins: same rows for Z39 as for Z38 but under its own name.
def twin(rows, col):
    a_name = dict((u[0], u[1]) for u in units)[TWIN_A]
    b_name = dict((u[0], u[1]) for u in units)[TWIN_B]
    a_alias = dict((u[0], u[3]) for u in units)[TWIN_A]
    out = [r for r in rows if r[col] not in (b_name, TWIN_B)]
    for r in rows:
        if r[col] in (a_name, TWIN_A, a_alias):
            c = list(r)
            c[col] = TWIN_B
            out.append(c)
    return out
records = [r for r in records]
recs_b = twin(records, 1)
for i, r in enumerate(recs_b):
    if r[1] == TWIN_B:
        r[0] = r[0] + "b"
records = recs_b
subs = twin(subs, 0)
ratings = twin(ratings, 1)

# 财政预决算公开 (A4): counties and parks, and the 30 depts that hold budgets
for uid, name, group, alias in units:
    if group != "dept" or int(uid[1:]) <= 30:
        duties.append(["A4", uid])

w("inspections.csv", ["记录编号", "单位", "检查日期", "检查类型", "问题代码", "数量", "问题描述"], records)
w("submissions.csv", ["单位", "指标代码", "填报值", "审核状态", "佐证材料"], subs)
w("ratings.csv", ["评分人", "单位", "指标代码", "分数"], ratings)
w("duties.csv", ["指标代码", "责任单位"], duties)
print(len(units), "units,", len(records), "records,", len(subs), "submissions,", len(ratings), "ratings")
