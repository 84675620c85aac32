#!/usr/bin/env python3
"""jixiao's PDF reader side by side with pdfplumber (issue 22), in one run.

    cargo build --release --bin jixiao
    python3 benches/compare/pdf_vs_pdfplumber.py [--runs 5] [--jixiao target/release/jixiao]

What it does, on the same PDFs for both tools:

1. The PDFs: jixiao's own PDF (`jixiao convert F --to pdf`) of every fixture with a JSON golden
   beside it that converts (fixtures/heshuo-2022.md, kinds/, excel/*.xlsx, docx/, html/), plus
   the committed LibreOffice PDFs in fixtures/pdf/, plus two PDFs of a 42-row project whose
   产出指标/数量指标 merge runs over a page break: jixiao's PDF of it, and LibreOffice Calc's PDF
   of jixiao's XLSX of it (when soffice is installed). The truth for each PDF is its source's
   own JSON (`jixiao convert SOURCE --to json -o -`): (level1, level2, level3, value.raw) of
   every indicator of every project.
2. jixiao: `jixiao convert X.pdf --to json -o -`, rows = its indicators.
3. pdfplumber: `page.extract_tables()` on every page; in each table, the indicator header row
   (一级指标, 三级指标 and 指标值 among its cells) maps the columns, the rows below it are read to
   the end of the table, and an empty 一级 or 二级 cell takes the value above it *within that
   extracted table* -- the ordinary fill-down. A table the page break cut is a new extracted table
   on the next page: the fill-down cannot reach across. A table with no header row at the top of
   the page right after an indicator table is read with the previous table's column mapping (the
   column count must agree) -- the columns, never the values, are carried over.
4. Both scored the same way: a row is right when some truth row has the same level3 and
   value.raw and the same level1 and level2 (whitespace removed before comparing); each truth
   row counts once; rows are matched per file, not per project. Rows whose level3 and value match a truth row but whose 一级/二级 do not are
   counted apart ("levels wrong"): those are the fill-down's losses.
5. Time per file, median of --runs: jixiao as a whole process; pdfplumber both in-process (the
   extraction function alone, the module already imported) and as a whole process
   (`python -c` importing pdfplumber and extracting the one file). The ratio is whole process
   against whole process; the in-process ratio is shown beside it.

pdfplumber is installed from PyPI into a scratch venv, target/compare/venv (the one run.sh
uses), with the pinned versions of requirements.txt; the script re-runs itself in that venv.
"""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))

# fixtures/pdf/*.pdf and the source each was printed from (fixtures/README.md).
COMMITTED = {
    "fixtures/pdf/heshuo-2022.libreoffice.pdf": "fixtures/docx/heshuo-2022.docx",
    "fixtures/pdf/merged-levels.tagged.pdf": "fixtures/docx/merged-levels.docx",
    "fixtures/pdf/two-projects.tagged.pdf": "fixtures/docx/two-projects.docx",
    "fixtures/pdf/heshuo-2022.borderless.tagged.pdf": "fixtures/html/heshuo-2022.html",
}


def bootstrap(work):
    """Re-run in target/compare/venv with requirements.txt installed, unless pdfplumber is here."""
    try:
        import pdfplumber  # noqa: F401

        return
    except ImportError:
        pass
    venv = os.path.join(work, "venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        print("setting up a scratch venv in %s (from PyPI)" % venv, file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    probe = subprocess.run([py, "-c", "import pdfplumber"], capture_output=True)
    if probe.returncode != 0:
        print("installing benches/compare/requirements.txt (pdfplumber pinned) into %s" % venv,
              file=sys.stderr)
        subprocess.check_call([py, "-m", "pip", "install", "-q", "-r",
                               os.path.join(HERE, "requirements.txt")])
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        sys.exit("pdfplumber still missing in %s" % venv)
    os.execv(py, [py, os.path.abspath(__file__)] + sys.argv[1:])


def norm(s):
    return "".join((s or "").split())


def clean(cell):
    """pdfplumber's cell text without the line breaks of wrapped text."""
    if cell is None:
        return None
    return cell.replace("\n", "").strip()


# ---------------------------------------------------------------- pdfplumber side


def header_columns(row):
    """Column of 一级/二级/三级/指标值 if this row is the indicator header, else None."""
    cells = [norm(clean(c)) for c in row]
    if not (any("一级指标" in c for c in cells) and any("三级指标" in c for c in cells)
            and any("指标值" in c for c in cells)):
        return None

    def col(label):
        for i, c in enumerate(cells):
            if c == label:
                return i
        for i, c in enumerate(cells):
            if label in c:
                return i
        return None

    cols = {"level1": col("一级指标"), "level2": col("二级指标"), "level3": col("三级指标"),
            "value": col("指标值")}
    if None in (cols["level1"], cols["level3"], cols["value"]):
        return None
    return cols


def plumber_rows(path):
    """Indicator rows as a pdfplumber user gets them: extract_tables() + fill-down per table."""
    import pdfplumber

    rows = []
    carried = None  # (column mapping, column count) of the last indicator table on the page before
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables = page.extract_tables()
            open_table = None
            for t_index, table in enumerate(tables):
                cols = None
                start = 0
                for r, row in enumerate(table):
                    cols = header_columns(row)
                    if cols:
                        start = r + 1
                        break
                if cols is None:
                    # A headerless table opening the page after an indicator table: the same
                    # columns (not the values above: those stayed on the other page).
                    if t_index == 0 and carried and table and len(table[0]) == carried[1]:
                        cols, start = carried[0], 0
                    else:
                        open_table = None
                        continue
                level1 = level2 = ""
                for row in table[start:]:
                    def get(key):
                        i = cols.get(key)
                        if i is None or i >= len(row):
                            return None
                        return clean(row[i])

                    l1, l2, l3, value = get("level1"), get("level2"), get("level3"), get("value")
                    if header_columns(row):
                        continue
                    if l1:
                        level1 = l1
                    if l2:
                        level2 = l2
                    if not l3 and not value:
                        continue
                    rows.append((level1, level2, l3 or "", value or ""))
                open_table = (cols, len(table[0]) if table else 0)
            # Only an indicator table ending its page can continue on the next one.
            carried = open_table
    return rows


# ---------------------------------------------------------------- jixiao side


def indicator_rows(doc):
    return [(i.get("level1") or "", i.get("level2") or "", i.get("level3") or "",
             (i.get("value") or {}).get("raw") or "")
            for p in doc.get("projects", []) for i in p.get("indicators", [])]


def jixiao_json(jixiao, path):
    out = subprocess.run([jixiao, "convert", path, "--to", "json", "-o", "-"],
                         capture_output=True, cwd=ROOT)
    if not out.stdout.strip():
        return None, out.returncode
    return json.loads(out.stdout), out.returncode


# ---------------------------------------------------------------- scoring


def score(got, truth):
    """(right, levels wrong, other) of the rows got against the truth rows, each truth row once."""
    pool = [tuple(norm(x) for x in t) for t in truth]
    used = [False] * len(pool)
    got = [tuple(norm(x) for x in g) for g in got]
    matched = [False] * len(got)
    right = 0
    for gi, g in enumerate(got):
        for ti, t in enumerate(pool):
            if not used[ti] and t == g:
                used[ti] = matched[gi] = True
                right += 1
                break
    levels_wrong = 0
    for gi, g in enumerate(got):
        if matched[gi]:
            continue
        for ti, t in enumerate(pool):
            if not used[ti] and t[2:] == g[2:]:
                used[ti] = matched[gi] = True
                levels_wrong += 1
                break
    return right, levels_wrong, matched.count(False)


# ---------------------------------------------------------------- timing


def median_process(cmd, runs, expect=0):
    """Median wall time of the whole process; it must exit as it did when scored."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            code = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT).returncode
            times.append(time.perf_counter() - start)
            if code != expect:
                err.seek(0)
                sys.exit("exit %d, not %d: %s\n%s" % (code, expect, " ".join(cmd),
                                                        err.read().decode("utf-8", "replace")))
    return statistics.median(times)


def median_call(fn, arg, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ---------------------------------------------------------------- corpus


def sources():
    files = ["fixtures/heshuo-2022.md"]
    for pattern in ["fixtures/kinds/*", "fixtures/excel/*.xlsx", "fixtures/docx/*.docx",
                    "fixtures/html/*"]:
        for f in sorted(glob.glob(os.path.join(ROOT, pattern))):
            if f.endswith(".json") or not os.path.isfile(f):
                continue
            if os.path.exists(f + ".expected.json") or os.path.exists(
                    os.path.splitext(f)[0] + ".expected.json"):
                files.append(os.path.relpath(f, ROOT))
    return files


def make_pdfs(jixiao, work):
    """[(label, pdf path, source)] -- jixiao's own PDFs, then the committed ones."""
    out = []
    pdf_dir = os.path.join(work, "pdfs")
    shutil.rmtree(pdf_dir, ignore_errors=True)
    for src in sources():
        slug = src.replace("fixtures/", "").replace("/", "_")
        d = os.path.join(pdf_dir, slug)
        os.makedirs(d)
        subprocess.run([jixiao, "convert", src, "--to", "pdf", "-o", d],
                       capture_output=True, cwd=ROOT)
        pdfs = sorted(glob.glob(os.path.join(d, "*.pdf")))
        if not pdfs:
            print("  %s: no PDF written, left out" % src, file=sys.stderr)
            continue
        out.append(("jixiao PDF of " + src.replace("fixtures/", ""), pdfs[0], src))
    for pdf, src in COMMITTED.items():
        out.append((pdf.replace("fixtures/", ""), os.path.join(ROOT, pdf), src))
    # A project too long for one page (the 42 rows of tests/pdf_input.rs): its 产出指标/数量指标
    # merge runs over the page break. jixiao's PDF of it, and LibreOffice Calc's PDF of
    # jixiao's XLSX of it (what an office gets printing the workbook), when soffice is here.
    long_dir = os.path.join(work, "pdfs", "long")
    os.makedirs(long_dir)
    long_md = os.path.join(long_dir, "long-project.md")
    with open(long_md, "w", encoding="utf-8") as f:
        f.write(long_project())
    subprocess.run([jixiao, "convert", long_md, "--to", "pdf,xlsx", "-o", long_dir],
                   capture_output=True, cwd=ROOT)
    own = os.path.join(long_dir, "long-project.pdf")
    if os.path.exists(own):
        out.append(("jixiao PDF of a 42-row project (made here)", own, long_md))
    soffice = shutil.which("soffice")
    xlsx = os.path.join(long_dir, "long-project.xlsx")
    if soffice and os.path.exists(xlsx):
        calc_dir = os.path.join(long_dir, "calc")
        profile = "file://" + os.path.join(os.path.abspath(work), "lo-profile")
        subprocess.run([soffice, "-env:UserInstallation=" + profile, "--headless",
                        "--convert-to", "pdf", "--outdir", calc_dir, xlsx],
                       capture_output=True, timeout=300)
        calc = os.path.join(calc_dir, "long-project.pdf")
        if os.path.exists(calc):
            out.append(("LibreOffice Calc PDF of jixiao's XLSX of the 42-row project (made here)", calc, long_md))
    else:
        print("  soffice missing: the Calc PDF of the long project is left out", file=sys.stderr)
    return out


def long_project():
    md = ("**项目支出绩效目标表**\n(2022年)\n\n预算单位\t博湖县民政局\t\t\t项目名称\t跨页测试项目\t\n"
          "项目资金(万元)\t年度资金总额:\t40.00\t其中:财政拨款\t40.00\t其他资金\t0\n"
          "项目总体目标\t目标1: 测试跨页表格。\t\t\t\t\t\n"
          "一级指标\t二级指标\t三级指标\t\t\t指标值(包含数字及文字描述)\t\n")
    for i in range(1, 41):
        md += "产出指标\t数量指标\t第%d项发放人数\t\t\t≥%d人\t\n" % (i, i)
    md += "效益指标\t社会效益指标\t生活水平\t\t\t有效提高\t\n"
    md += "满意度指标\t满意度指标\t受益人员满意度\t\t\t≥95%\t\n"
    return md


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jixiao", default=os.path.join(ROOT, "target", "release", "jixiao"))
    ap.add_argument("--work", default=os.environ.get("COMPARE_DIR",
                                                     os.path.join(ROOT, "target", "compare")))
    ap.add_argument("--verbose", "-v", action="store_true", help="print every row not right")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    bootstrap(args.work)
    import pdfplumber

    jixiao = os.path.abspath(args.jixiao)
    if not os.path.exists(jixiao):
        sys.exit("%s missing: cargo build --release --bin jixiao" % jixiao)
    print("pdfplumber %s (pdfminer.six %s), Python %s; jixiao %s; median of %d runs"
          % (pdfplumber.__version__, __import__("pdfminer").__version__,
             sys.version.split()[0], os.path.relpath(jixiao, ROOT), args.runs), file=sys.stderr)

    cases = make_pdfs(jixiao, args.work)
    results = []
    for label, pdf, src in cases:
        truth_doc, _ = jixiao_json(jixiao, src)
        truth = indicator_rows(truth_doc) if truth_doc else []
        if not truth:
            print("  %s: source has no indicators, left out" % label, file=sys.stderr)
            continue
        got_doc, j_code = jixiao_json(jixiao, pdf)
        j_rows = indicator_rows(got_doc) if got_doc else []
        p_rows = plumber_rows(pdf)
        j = score(j_rows, truth)
        p = score(p_rows, truth)
        if args.verbose:
            for name, rows in (("jixiao", j_rows), ("pdfplumber", p_rows)):
                keys = {tuple(norm(x) for x in t) for t in truth}
                for r in rows:
                    if tuple(norm(x) for x in r) not in keys:
                        print("    %s %s: %s" % (label, name, " | ".join(r)), file=sys.stderr)
        t_j = median_process([jixiao, "convert", pdf, "--to", "json", "-o", "-"], args.runs,
                             j_code)
        t_p_in = median_call(plumber_rows, pdf, args.runs)
        t_p_proc = median_process(
            [sys.executable, "-c",
             "import sys; sys.path.insert(0, %r); import pdf_vs_pdfplumber as m; "
             "m.plumber_rows(%r)" % (HERE, pdf)], args.runs)
        results.append((label, len(truth), j, p, t_j, t_p_in, t_p_proc))
        print("  %-55s %3d rows: jixiao %3d, pdfplumber %3d" % (label, len(truth), j[0], p[0]),
              file=sys.stderr)

    head = ("| PDF | truth rows | jixiao right | pdfplumber right | pdfplumber levels wrong "
            "| jixiao ms (process) | pdfplumber ms (process) | pdfplumber ms (in-process) "
            "| ratio (process) | ratio (in-process) |")
    print(head)
    print("|" + "---|" * 10)
    tot = [0, 0, 0, 0, 0.0, 0.0, 0.0]
    for label, n, j, p, t_j, t_p_in, t_p_proc in results:
        print("| %s | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f× | %.1f× |"
              % (label, n, j[0], p[0], p[1], t_j * 1e3, t_p_proc * 1e3, t_p_in * 1e3,
                 t_p_proc / t_j, t_p_in / t_j))
        for k, v in enumerate((n, j[0], p[0], p[1], t_j, t_p_proc, t_p_in)):
            tot[k] += v
    n, jr, pr, pw, t_j, t_p_proc, t_p_in = tot
    print("| **total, %d PDFs** | %d | %d (%.1f %%) | %d (%.1f %%) | %d | %.0f | %.0f | %.0f "
          "| %.1f× | %.1f× |"
          % (len(results), n, jr, 100.0 * jr / n, pr, 100.0 * pr / n, pw, t_j * 1e3,
             t_p_proc * 1e3, t_p_in * 1e3, t_p_proc / t_j, t_p_in / t_j))


if __name__ == "__main__":
    main()
