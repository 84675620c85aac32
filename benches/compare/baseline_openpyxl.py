#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Origin: the peer-benchmark kit that came with issue 13 (the office script and its corpus
# generator); copied into the repository unchanged but for this note, so that
# benches/compare/run.sh measures jixiao against the same code on the same files.
"""Baseline: what a finance-office Python script would do.

    python3 baseline_openpyxl.py INDIR OUTDIR [--limit N] [--no-write]

For every *.xlsx in INDIR: openpyxl.load_workbook (normal mode, needed for
merged cells), resolve merged ranges (every cell of a range gets the top-left
value), find the 项目支出绩效目标表 blocks by their labels, extract them to
OUTDIR/<file>.json (the same schema as the corpus manifest), and write a standard-format workbook OUTDIR/<stem>.std.xlsx
with XlsxWriter (one sheet per project, seed layout, merged 一级/二级指标).
Prints files/second for the whole read+extract+write loop.

The label matching is deliberately "reasonable script" level, not exhaustive:
it is a baseline, not the product.
"""
import argparse
import json
import os
import re
import sys
import time
import unicodedata
import warnings
import zipfile

import openpyxl
import xlsxwriter

warnings.filterwarnings("ignore")

OPS = [(">=", "≥"), ("<=", "≤"), ("＞＝", "≥"), ("＜＝", "≤"), ("≥", "≥"), ("≤", "≤"), ("≧", "≥"),
       ("≦", "≤"), ("＝", "="), ("=", "="), ("＞", ">"), ("＜", "<"), (">", ">"), ("<", "<")]
NUM_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(.*)$")


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)) if isinstance(s, str) else s


def display(c):
    v = c.value
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float)):
        fmt = c.number_format or "General"
        m = re.match(r"^0(?:\.(0+))?%$", fmt)
        if m:
            return ("{:.%df}%%" % len(m.group(1) or "")).format(v * 100)
        m = re.match(r"^(#,##)?0(?:\.(0+))?$", fmt)
        if m:
            return ("{:%s.%df}" % ("," if m.group(1) else "", len(m.group(2) or ""))).format(v)
        if isinstance(v, float) and v == int(v):
            return str(int(v))
        return str(v)
    return str(v).strip()


def grid_of(ws):
    maxr, maxc = ws.max_row, ws.max_column
    g = [[None] * maxc for _ in range(maxr)]
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None:
                g[c.row - 1][c.column - 1] = display(c)
    for mr in ws.merged_cells.ranges:
        v = g[mr.min_row - 1][mr.min_col - 1]
        for r in range(mr.min_row, mr.max_row + 1):
            for cc in range(mr.min_col, mr.max_col + 1):
                g[r - 1][cc - 1] = v
    return g


def parse_value(v):
    if v is None:
        return None, None, None
    s = v.strip()
    op = None
    for k, canon in OPS:
        if s.startswith(k):
            op, s = canon, s[len(k):].strip()
            break
    m = NUM_RE.match(s)
    if not m:
        return None, None, None
    f = float(m.group(1))
    return op, (int(f) if f == int(f) else f), (m.group(2).strip() or None)


def to_num(s):
    if s is None:
        return None
    t = norm(s).replace(",", "").replace("万元", "").replace("元", "")
    try:
        return float(t)
    except ValueError:
        return None


def after_label(row, hit):
    """Value for a label hit (column, prefix): the rest of the same cell after the
    label (预算单位：XX), else the next different non-empty cell to the right."""
    j, prefix = hit
    lab = row[j]
    rest = norm(lab)[len(prefix):].lstrip(":")
    if rest and not rest.startswith("("):
        return rest
    for k in range(j + 1, len(row)):
        if row[k] is not None and row[k] != lab:
            return row[k]
    return None


def find(row, *prefixes):
    for j, v in enumerate(row):
        n = norm(v)
        if n:
            for p in prefixes:
                if n.startswith(p):
                    return j, p
    return None


def extract_sheet(ws, g):
    projects, summary = [], None
    year = None
    cur = None
    cols = None
    l1 = l2 = None
    in_summary = False
    for i, row in enumerate(g):
        rn = [norm(v) for v in row]
        joined = "".join(x for x in rn if x)
        if not joined:
            cols = None
            continue
        m = re.search(r"(20\d\d)年", joined)
        if m and ("绩效目标" in joined or any(re.fullmatch(r"\(?20\d\d年度?\)?", x) for x in rn if x)):
            year = int(m.group(1))
        if "重点项目支出基本信息" in joined or ("部门单位" in rn and "项目名称" in rn):
            in_summary = True
            summary = summary or dict(title=None, year=year, sheet=ws.title, rows=[], total=None)
            continue
        if in_summary:
            if rn[0] and re.fullmatch(r"\d+", rn[0]):
                vals = [v for k, v in enumerate(row) if v is not None and (k == 0 or v != row[k - 1])]
                summary["rows"].append(dict(seq=int(rn[0]), department=vals[1] if len(vals) > 1 else None,
                                            project_name=vals[2] if len(vals) > 2 else None))
            continue
        j = find(row, "预算单位", "单位名称")
        if j is not None and cols is not None and j[0] <= cols.get("l1", 0):
            cols = None  # next table follows without a blank row
        if j is not None and cols is None:
            cur = dict(year=year, budget_unit=None, project_name=None,
                       funds=dict(total=None, fiscal=None, other=None), overall_goal=None,
                       indicators=[], sheet=ws.title)
            projects.append(cur)
            cur["budget_unit"] = after_label(row, j)
        if cur is None:
            continue
        j = find(row, "项目名称")
        if j is not None and cols is None:
            cur["project_name"] = after_label(row, j)
        j = find(row, "项目资金")
        if j is not None:
            cur["_scale"] = 1e-4 if "(元)" in rn[j[0]] else 1.0
        for key, labs in (("total", ("年度资金总额",)), ("fiscal", ("其中:财政拨款", "财政拨款")),
                          ("other", ("其他资金",))):
            k = find(row, *labs)
            if k is not None and cols is None:
                v = to_num(after_label(row, k))
                if v is not None:
                    cur["funds"][key] = round(v * cur.get("_scale", 1.0), 6)
        j = find(row, "项目总体目标", "总体目标")
        if j is not None and cols is None:
            cur["overall_goal"] = after_label(row, j)
        if "一级指标" in rn:
            cols = {}
            for k, v in enumerate(rn):
                if not v:
                    continue
                for key, p in (("l1", "一级指标"), ("l2", "二级指标"), ("l3", "三级指标"),
                               ("unit", "计量单位"), ("unit", "度量单位"), ("op", "指标性质")):
                    if v.startswith(p):
                        cols.setdefault(key, k)
                if "指标值" in v and "中期" not in v:
                    cols.setdefault("value", k)
            l1 = l2 = None
            continue
        if cols and "l3" in cols and "value" in cols:
            c3 = row[cols["l3"]] if cols["l3"] < len(row) else None
            if c3 is None or any((x or "").startswith(("填报人", "审核人")) for x in rn):
                cols = None
                continue
            l1 = row[cols["l1"]] or l1
            l2 = row[cols["l2"]] or l2
            vr = row[cols["value"]]
            op, number, unit = parse_value(vr)
            if "op" in cols and row[cols["op"]] and row[cols["op"]] != "定性":
                op = parse_value(row[cols["op"]] + "0")[0]
            if "unit" in cols:
                unit = row[cols["unit"]] or None
            cur["indicators"].append(dict(level1=l1, level2=l2, level3=c3, value_raw=vr, op=op,
                                          number=number, unit=unit))
    for p in projects:
        p.pop("_scale", None)
    return projects, summary


def extract(path):
    try:
        wb = openpyxl.load_workbook(path)
    except zipfile.BadZipFile:
        return dict(status="error", error_kind="corrupt_file", projects=[], summary=None)
    except Exception as e:  # noqa: BLE001
        return dict(status="error", error_kind="not_xlsx", detail=str(e)[:200], projects=[], summary=None)
    projects, summary, any_cell = [], None, False
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        g = grid_of(ws)
        any_cell = any_cell or any(v is not None for r in g for v in r)
        p, s = extract_sheet(ws, g)
        projects += [x for x in p if x["indicators"] or x["project_name"]]
        summary = summary or s
    if not projects and not summary:
        return dict(status="error", error_kind="empty_workbook" if not any_cell else "no_table_found",
                    projects=[], summary=None)
    return dict(status="ok", error_kind=None, projects=projects, summary=summary)


def write_std(doc, path):
    wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "strings_to_numbers": False})
    b = dict(border=1, font_name="宋体", font_size=10, valign="vcenter", text_wrap=True, align="center")
    fc = wb.add_format(b)
    fl = wb.add_format(dict(b, align="left"))
    ft = wb.add_format(dict(font_name="黑体", font_size=16, bold=True, align="center"))
    for i, p in enumerate(doc["projects"]):
        ws = wb.add_worksheet("项目%d" % (i + 1))
        for k, w in enumerate((12, 14, 12, 12, 12, 11, 11)):
            ws.set_column(k, k, w)
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.merge_range(0, 0, 0, 6, "项目支出绩效目标表", ft)
        ws.merge_range(1, 0, 1, 6, "（%s年）" % (p["year"] or ""), fc)
        ws.write(2, 0, "预算单位", fc); ws.merge_range(2, 1, 2, 3, p["budget_unit"] or "", fc)
        ws.write(2, 4, "项目名称", fc); ws.merge_range(2, 5, 2, 6, p["project_name"] or "", fc)
        f = p["funds"]
        ws.write_row(3, 0, ["项目资金（万元）", "年度资金总额：", f["total"], "其中：财政拨款", f["fiscal"],
                            "其他资金", f["other"]], fc)
        ws.write(4, 0, "项目总体目标", fc); ws.merge_range(4, 1, 4, 6, p["overall_goal"] or "", fl)
        ws.write_row(5, 0, ["一级指标", "二级指标"], fc)
        ws.merge_range(5, 2, 5, 4, "三级指标", fc); ws.merge_range(5, 5, 5, 6, "指标值（包含数字及文字描述）", fc)
        inds = p["indicators"]
        r0 = 6
        for k, x in enumerate(inds):
            ws.merge_range(r0 + k, 2, r0 + k, 4, x["level3"] or "", fl)
            ws.merge_range(r0 + k, 5, r0 + k, 6, x["value_raw"] or "", fc)
        for key, col in ((lambda x: x["level1"], 0), (lambda x: (x["level1"], x["level2"]), 1)):
            s = 0
            for k in range(1, len(inds) + 1):
                if k == len(inds) or key(inds[k]) != key(inds[s]):
                    txt = inds[s]["level1"] if col == 0 else inds[s]["level2"]
                    if k - s > 1:
                        ws.merge_range(r0 + s, col, r0 + k - 1, col, txt or "", fc)
                    else:
                        ws.write(r0 + s, col, txt or "", fc)
                    s = k
    if not doc["projects"]:
        wb.add_worksheet("无数据")
    wb.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("indir")
    ap.add_argument("outdir")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--no-write", action="store_true", help="skip the XlsxWriter output")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    files = sorted(f for f in os.listdir(a.indir) if f.endswith(".xlsx"))[: a.limit]
    t0 = time.perf_counter()
    nproj = nind = nerr = 0
    t_read = 0.0
    for fn in files:
        t1 = time.perf_counter()
        doc = extract(os.path.join(a.indir, fn))
        t_read += time.perf_counter() - t1
        doc = dict(schema="perf-target-expected/1", file=fn, **doc)
        with open(os.path.join(a.outdir, fn + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        if doc["status"] != "ok":
            nerr += 1
        elif not a.no_write:
            write_std(doc, os.path.join(a.outdir, fn[:-5] + ".std.xlsx"))
        nproj += len(doc["projects"])
        nind += sum(len(p["indicators"]) for p in doc["projects"])
    dt_ = time.perf_counter() - t0
    print("baseline_openpyxl: %d files (%d projects, %d indicator rows, %d errors) in %.2fs = %.1f files/s "
          "(%.1f projects/s); read+extract %.2fs, json+xlsxwriter %.2fs"
          % (len(files), nproj, nind, nerr, dt_, len(files) / dt_, nproj / dt_, t_read, dt_ - t_read))


if __name__ == "__main__":
    sys.exit(main())
