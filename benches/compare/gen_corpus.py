#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Origin: the peer-benchmark kit that came with issue 13 (the office script and its corpus
# generator); copied into the repository unchanged but for this note, so that
# benches/compare/run.sh measures jixiao against the same code on the same files.
"""Deterministic performance corpus of submitted 项目支出绩效目标表 workbooks.

    python3 gen_corpus.py OUTDIR [-n 1000] [--seed 1] [--big] [--big-only]
                                 [--big-projects 5000] [--big-sheets 50]

* OUTDIR/perf_00000.xlsx ... : one project per workbook, 10-30 indicator rows,
  seed layout (预算单位/项目名称 on one row, 项目资金 labels in cells, 三级指标
  merged over 3 columns, 指标值 over 2), 一级/二级指标 merged vertically; some
  files (~1 in 5) have a leading 序号 column, title rows vary.
* OUTDIR/big/big_5000.xlsx (with --big; manifest in OUTDIR/big/): 5000 projects stacked 100 per sheet on
  50 sheets (same layout, one blank row between tables).
* OUTDIR/manifest.jsonl : ground truth, one line per project
  {"file","sheet","year","budget_unit","project_name","funds","overall_goal","indicators":[...]}
  (value_raw/op/number/unit: the indicator as written, its sign, number and unit).

Written with XlsxWriter (fixed 'created' time => byte-identical output for the
same arguments).  The corpus is for throughput, not variety.
"""
import argparse
import datetime as dt
import json
import os
import random
import re
import sys
import time

import xlsxwriter

DEPTS = ["人力资源和社会保障局", "医疗保障局", "民政局", "教育局", "农业农村局", "卫生健康委员会",
         "林业和草原局", "住房和城乡建设局", "交通运输局", "残疾人联合会", "退役军人事务局",
         "水利局", "自然资源局", "文化体育广播电视和旅游局", "市场监督管理局", "生态环境分局"]
COUNTIES = ["和硕县", "和静县", "焉耆县", "博湖县", "尉犁县", "若羌县", "且末县", "轮台县"]
THEMES = ["城乡居民社会养老保险基金县级配套", "城市低保", "农村低保", "特困人员救助供养", "临时救助",
          "城乡居民医疗保险县级配套", "农村义务教育学生营养改善计划", "耕地地力保护补贴",
          "基本公共卫生服务县级配套", "草原生态保护补助奖励", "老旧小区改造配套基础设施",
          "农村公路日常养护", "困难残疾人生活补贴", "重点优抚对象抚恤补助", "农村饮水安全维修养护",
          "高标准农田建设", "公共文化服务体系建设", "食品安全抽检监测", "乡村环境整治"]
SUBJ = ["救助对象", "参保人员", "受益学生", "补贴农户", "服务对象", "受益群众", "优抚对象", "残疾人"]
# (level1, level2, [(level3 template, value generator kind)])
POOL = [
    ("产出指标", "数量指标", [("{s}人数", "cnt_person"), ("发放次数", "cnt_times"), ("覆盖乡镇数", "cnt_town"),
                          ("完成项目个数", "cnt_item"), ("补贴面积", "area"), ("养护里程", "km")]),
    ("产出指标", "质量指标", [("资金发放准确率", "pct_eq100"), ("{s}覆盖率", "pct_ge"), ("工程验收合格率", "pct_eq100"),
                          ("资金使用合规率", "pct_eq100"), ("档案规范率", "pct_ge")]),
    ("产出指标", "时效指标", [("资金发放及时率", "pct_ge"), ("项目完成时间", "months"), ("资金拨付及时率", "pct_ge")]),
    ("产出指标", "成本指标", [("人均补助标准", "yuan"), ("每次发放资金数", "wan_le"), ("单位成本", "yuan_le")]),
    ("效益指标", "经济效益指标", [("{s}人均增收", "yuan_ge"), ("带动产业发展", "qual")]),
    ("效益指标", "社会效益指标", [("{s}生活水平", "qual"), ("政策知晓率", "pct_ge"), ("困难群众基本生活保障", "qual")]),
    ("效益指标", "生态效益指标", [("植被覆盖度", "pct_ge"), ("人居环境", "qual")]),
    ("效益指标", "可持续影响指标", [("长效机制建立情况", "qual"), ("设施使用年限", "years")]),
    ("满意度指标", "满意度指标", [("{s}满意度", "pct_sat"), ("群众满意度", "pct_sat")]),
]
QUAL = ["有效提高", "明显改善", "稳步提高", "持续推进", "逐步建立", "有效保障", "显著提升"]
OPS = [("≥", "≤", "="), (">=", "<=", "="), ("＞＝", "＜＝", "＝")]


def gen_value(rng, kind, ops):
    ge, le, eq = ops
    if kind == "cnt_person":
        return "%s%d人" % (rng.choice([ge, eq]), rng.randint(50, 20000))
    if kind == "cnt_times":
        return "%s%d次" % (eq, rng.choice([1, 2, 4, 9, 12]))
    if kind == "cnt_town":
        return "%s%d个" % (eq, rng.randint(3, 12))
    if kind == "cnt_item":
        return "%s%d个" % (ge, rng.randint(1, 30))
    if kind == "area":
        return "%s%.1f万亩" % (ge, rng.randint(10, 3000) / 10)
    if kind == "km":
        return "%s%d公里" % (ge, rng.randint(50, 900))
    if kind == "pct_eq100":
        return "%s100%%" % eq
    if kind == "pct_ge":
        return "%s%d%%" % (ge, rng.choice([80, 85, 90, 95, 98]))
    if kind == "pct_sat":
        return "%s%d%%" % (ge, rng.choice([85, 90, 95, 98]))
    if kind == "months":
        return "%s12个月" % le
    if kind == "yuan":
        return "%s%d元" % (eq, rng.choice([5, 10, 70, 180, 720]))
    if kind == "yuan_ge":
        return "%s%d元" % (ge, rng.randint(100, 3000))
    if kind == "yuan_le":
        return "%s%.2f元" % (le, rng.randint(100, 99999) / 100)
    if kind == "wan_le":
        return "%s%.2f万元" % (le, rng.randint(10, 9999) / 100)
    if kind == "years":
        return "%s%d年" % (ge, rng.choice([5, 10, 15, 20]))
    if kind == "qual":
        return rng.choice(QUAL)
    raise ValueError(kind)


VAL_RE = re.compile(r"^(≥|≤|=|>=|<=|＞＝|＜＝|＝)?(\d+(?:\.\d+)?)(.*)$")
CANON = {"≥": "≥", ">=": "≥", "＞＝": "≥", "≤": "≤", "<=": "≤", "＜＝": "≤", "=": "=", "＝": "="}


def parse_value(v):
    m = VAL_RE.match(v)
    if not m:
        return None, None, None
    n = float(m.group(2))
    return CANON.get(m.group(1)) if m.group(1) else None, (int(n) if n == int(n) else n), (m.group(3) or None)


def gen_project(rng, year):
    county = rng.choice(COUNTIES)
    dept = county + rng.choice(DEPTS)
    name = rng.choice(THEMES) + rng.choice(["", "项目", "资金", "县级配套资金"])
    ops = rng.choice(OPS)
    n = rng.randint(10, 30)
    # choose indicator rows: keep framework order, at least one per level1
    rows = []
    base = [0, 1, 2, 3, 5, 8]  # 数量/质量/时效/成本/社会效益/满意度 always present
    counts = {i: 1 for i in base}
    while sum(counts.values()) < n:
        i = rng.randrange(len(POOL))
        counts[i] = counts.get(i, 0) + 1
    s = rng.choice(SUBJ)
    for i in sorted(counts):
        l1, l2, items = POOL[i]
        for k in range(counts[i]):
            tmpl, kind = items[k % len(items)]
            l3 = tmpl.format(s=s) + ("" if k < len(items) else "（%d）" % (k // len(items) + 1))
            v = gen_value(rng, kind, ops)
            op, number, unit = parse_value(v)
            rows.append(dict(level1=l1, level2=l2, level3=l3, value_raw=v, op=op, number=number, unit=unit))
    fiscal = round(rng.randint(100, 500000) / 100, 2)
    other = 0 if rng.random() < 0.8 else round(rng.randint(100, 100000) / 100, 2)
    total = round(fiscal + other, 2)
    goal = "目标1：保障{}{}工作顺利开展，资金按时足额发放到位。目标2：{}生活水平稳步提高，满意度达到90%以上。".format(
        county, name, s)
    return dict(year=year, budget_unit=dept, project_name=name,
                funds=dict(total=total, fiscal=fiscal, other=other), overall_goal=goal, indicators=rows)


class Formats:
    def __init__(self, wb):
        b = dict(border=1, font_name="宋体", font_size=10, valign="vcenter", text_wrap=True)
        self.cell = wb.add_format(dict(b, align="center"))
        self.left = wb.add_format(dict(b, align="left"))
        self.num = wb.add_format(dict(b, align="center", num_format="0.00"))
        self.title = wb.add_format(dict(font_name="黑体", font_size=16, bold=True, align="center"))
        self.sub = wb.add_format(dict(font_name="宋体", font_size=12, align="center"))


def write_project(ws, F, r, p, seq_col, titles):
    """Write one project at row r (0-based); return next free row."""
    c0 = 1 if seq_col else 0
    W = 7 + c0
    last = W - 1
    if titles == 2:
        ws.merge_range(r, 0, r, last, "项目支出绩效目标表", F.title); r += 1
        ws.merge_range(r, 0, r, last, "（%d年）" % p["year"], F.sub); r += 1
    elif titles == 1:
        ws.merge_range(r, 0, r, last, "项目支出绩效目标表（%d年）" % p["year"], F.title); r += 1
    ws.write(r, 0, "预算单位", F.cell)
    ws.merge_range(r, 1, r, 3 + c0, p["budget_unit"], F.cell)
    ws.write(r, 4 + c0, "项目名称", F.cell)
    ws.merge_range(r, 5 + c0, r, last, p["project_name"], F.cell)
    r += 1
    f = p["funds"]
    ws.write(r, 0, "项目资金（万元）", F.cell)
    if seq_col:
        ws.merge_range(r, 1, r, 2, "年度资金总额：", F.cell)
    else:
        ws.write(r, 1, "年度资金总额：", F.cell)
    ws.write_number(r, 2 + c0, f["total"], F.num)
    ws.write(r, 3 + c0, "其中：财政拨款", F.cell)
    ws.write_number(r, 4 + c0, f["fiscal"], F.num)
    ws.write(r, 5 + c0, "其他资金", F.cell)
    ws.write_number(r, 6 + c0, f["other"], F.num)
    r += 1
    ws.write(r, 0, "项目总体目标", F.cell)
    ws.merge_range(r, 1, r, last, p["overall_goal"], F.left)
    ws.set_row(r, 45)
    r += 1
    if seq_col:
        ws.write(r, 0, "序号", F.cell)
    ws.write(r, c0, "一级指标", F.cell)
    ws.write(r, c0 + 1, "二级指标", F.cell)
    ws.merge_range(r, c0 + 2, r, c0 + 4, "三级指标", F.cell)
    ws.merge_range(r, c0 + 5, r, c0 + 6, "指标值（包含数字及文字描述）", F.cell)
    r += 1
    inds = p["indicators"]
    n = len(inds)
    for i, x in enumerate(inds):
        rr = r + i
        if seq_col:
            ws.write_number(rr, 0, i + 1, F.cell)
        ws.merge_range(rr, c0 + 2, rr, c0 + 4, x["level3"], F.left)
        ws.merge_range(rr, c0 + 5, rr, c0 + 6, x["value_raw"], F.cell)
    # vertical merges for level1 / level2 groups
    for key, col in ((lambda x: x["level1"], c0), (lambda x: (x["level1"], x["level2"]), c0 + 1)):
        start = 0
        for i in range(1, n + 1):
            if i == n or key(inds[i]) != key(inds[start]):
                txt = inds[start]["level1"] if col == c0 else inds[start]["level2"]
                if i - start > 1:
                    ws.merge_range(r + start, col, r + i - 1, col, txt, F.cell)
                else:
                    ws.write(r + start, col, txt, F.cell)
                start = i
    return r + n


def setup_sheet(ws, seq_col):
    widths = ([6] if seq_col else []) + [12, 14, 11, 11, 11, 11, 11]
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)


def new_workbook(path):
    # strings_to_formulas=False: values like "=100%" are text, not formulas
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"author": "财政局", "created": dt.datetime(2022, 1, 10, 9, 30, 0)})
    return wb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--big", action="store_true", help="also write OUTDIR/big/big_5000.xlsx")
    ap.add_argument("--big-only", action="store_true")
    ap.add_argument("--big-projects", type=int, default=5000)
    ap.add_argument("--big-sheets", type=int, default=50)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = random.Random(a.seed)
    t0 = time.time()
    if not a.big_only:
        man = open(os.path.join(a.outdir, "manifest.jsonl"), "w", encoding="utf-8")
        for k in range(a.n):
            p = gen_project(rng, rng.choice([2021, 2022, 2022, 2023]))
            seq_col = rng.random() < 0.2
            titles = rng.choice([0, 1, 2, 2])
            fn = "perf_%05d.xlsx" % k
            wb = new_workbook(os.path.join(a.outdir, fn))
            F = Formats(wb)
            ws = wb.add_worksheet("Sheet1")
            setup_sheet(ws, seq_col)
            write_project(ws, F, 0, p, seq_col, titles)
            wb.close()
            if not titles:
                p = dict(p, year=None)
            man.write(json.dumps(dict(file=fn, sheet="Sheet1", **p), ensure_ascii=False) + "\n")
        man.close()
        print("wrote %d workbooks in %.1fs" % (a.n, time.time() - t0), file=sys.stderr)
    if a.big or a.big_only:
        t1 = time.time()
        fn = "big_%d.xlsx" % a.big_projects
        bigdir = os.path.join(a.outdir, "big")
        os.makedirs(bigdir, exist_ok=True)
        bman = open(os.path.join(bigdir, "manifest.jsonl"), "w", encoding="utf-8")
        wb = new_workbook(os.path.join(bigdir, fn))
        F = Formats(wb)
        brng = random.Random(a.seed + 1000)
        per = -(-a.big_projects // a.big_sheets)
        done = 0
        for s in range(a.big_sheets):
            if done >= a.big_projects:
                break
            ws = wb.add_worksheet("第%d批" % (s + 1))
            setup_sheet(ws, False)
            r = 0
            for _ in range(min(per, a.big_projects - done)):
                p = gen_project(brng, 2022)
                r = write_project(ws, F, r, p, False, 2) + 1
                bman.write(json.dumps(dict(file=fn, sheet=ws.get_name(), **p), ensure_ascii=False) + "\n")
                done += 1
        wb.close()
        bman.close()
        print("wrote %s (%d projects, %d sheets) in %.1fs" % (fn, done, a.big_sheets, time.time() - t1),
              file=sys.stderr)


if __name__ == "__main__":
    main()
