#!/usr/bin/env python3
"""The timing half of benches/compare/run.sh: runs each job RUNS times as a whole process, takes
the median wall time, the median CPU time (user + system) and the largest peak resident memory
(from wait4's rusage), and prints a table of jixiao against its peers with the ratios."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(cmd, cwd=None):
    # Standard error goes to a file, not a pipe: a job that reports many diagnostics would fill
    # a pipe nobody reads until the job ends, and wait for ever.
    with tempfile.TemporaryFile() as errfile:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errfile)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        errfile.seek(0)
        err = errfile.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("failed (%d): %s\n%s" % (code, " ".join(cmd), err[-2000:]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def measure(name, make_cmd, runs):
    """make_cmd(out) -> argv; out is a fresh empty folder per run."""
    walls, cpus, mems = [], [], []
    for _ in range(runs):
        out = tempfile.mkdtemp(prefix="cmp-", dir=WORK)
        try:
            w, c, m = run_once(make_cmd(out))
        finally:
            shutil.rmtree(out, ignore_errors=True)
        walls.append(w)
        cpus.append(c)
        mems.append(m)
    r = dict(wall=statistics.median(walls), cpu=statistics.median(cpus), mem=max(mems), runs=runs)
    print("  %-58s %8.3f s wall %8.3f s cpu %7.0f MB  (%d runs)"
          % (name, r["wall"], r["cpu"], r["mem"], runs), file=sys.stderr)
    return r


def main():
    global WORK
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--jixiao", required=True)
    ap.add_argument("--bare", required=True)
    a = ap.parse_args()
    WORK = os.path.abspath(a.work)
    jx = os.path.abspath(a.jixiao)
    bare = os.path.abspath(a.bare)
    py = os.path.join(WORK, "venv", "bin", "python")
    here = os.path.dirname(os.path.abspath(__file__))
    office = os.path.join(here, "baseline_openpyxl.py")
    corpus = os.path.join(WORK, "corpus")
    files = sorted(f for f in os.listdir(corpus) if f.endswith(".xlsx"))
    c200 = os.path.join(WORK, "c200")
    c50 = os.path.join(WORK, "c50")
    for d, n in ((c200, 200), (c50, 50)):
        if not os.path.isdir(d):
            os.makedirs(d)
            for f in files[:n]:
                shutil.copy(os.path.join(corpus, f), d)
    big = os.path.join(corpus, "big", "big_5000.xlsx")
    runs = a.runs
    big_peer = os.environ.get("BIG_PEER", "1") != "0"
    soffice = shutil.which("soffice")
    cores = os.cpu_count()
    print("machine: %d cores; %s; median of %d runs (whole processes)"
          % (cores, os.uname().machine, runs), file=sys.stderr)

    R = {}
    R["jx_json_xlsx"] = measure("jixiao batch 200 → JSON + XLSX",
                                lambda o: [jx, "batch", c200, "-o", o, "--to", "json,xlsx", "--quiet"], runs)
    R["jx_all"] = measure("jixiao batch 200 → JSON + XLSX + PDF",
                          lambda o: [jx, "batch", c200, "-o", o, "--to", "json,xlsx,pdf", "--quiet"], runs)
    R["office"] = measure("office openpyxl script 200 (JSON + XLSX form)",
                          lambda o: [py, office, c200, o], runs)
    R["jx_pdf50"] = measure("jixiao batch 50 → PDF",
                            lambda o: [jx, "batch", c50, "-o", o, "--to", "pdf", "--quiet"], runs)
    if soffice:
        def lo(o):
            return [soffice, "-env:UserInstallation=file://" + os.path.join(o, "profile"),
                    "--headless", "--convert-to", "pdf", "--outdir", o] + \
                   [os.path.join(c50, f) for f in sorted(os.listdir(c50))]
        R["lo"] = measure("LibreOffice headless 50 → PDF (one process)", lo, runs)
    R["jx_json"] = measure("jixiao batch 200 → JSON",
                           lambda o: [jx, "batch", c200, "-o", o, "--to", "json", "--quiet"], runs)
    R["bare"] = measure("bare calamine read of the 200 (no output)", lambda o: [bare, c200], runs)
    R["jx_big_json"] = measure("jixiao convert 5,000-project workbook → JSON",
                               lambda o: [jx, "convert", big, "--to", "json", "-o", o], runs)
    R["jx_big_all"] = measure("jixiao convert 5,000-project workbook → JSON + XLSX + PDF",
                              lambda o: [jx, "convert", big, "--to", "json,xlsx,pdf", "-o", o], runs)
    if big_peer:
        bigdir = os.path.join(WORK, "cbig")
        if not os.path.isdir(bigdir):
            os.makedirs(bigdir)
            shutil.copy(big, bigdir)
        R["office_big"] = measure("office openpyxl script, 5,000-project workbook",
                                  lambda o: [py, office, bigdir, o], 1)

    def ratio(peer, ours, key="wall"):
        if peer not in R or ours not in R:
            return "—"
        return "%.1f×" % (R[peer][key] / R[ours][key])

    def t(k):
        return "%.2f s, %.0f MB" % (R[k]["wall"], R[k]["mem"]) if k in R else "—"

    print()
    print("| job | jixiao | peer | ratio (peer ÷ jixiao) | goal |")
    print("|---|---|---|---|---|")
    print("| 200 workbooks → JSON + standard XLSX | %s | office openpyxl script: %s | %s | ≥ 60× |"
          % (t("jx_json_xlsx"), t("office"), ratio("office", "jx_json_xlsx")))
    print("| 200 workbooks → JSON + XLSX + PDF (+ county files) | %s | the same script (no PDF): %s | %s | ≥ 50× |"
          % (t("jx_all"), t("office"), ratio("office", "jx_all")))
    print("| 50 workbooks → PDF | %s | LibreOffice headless, one process: %s | %s | ≥ 100× |"
          % (t("jx_pdf50"), t("lo"), ratio("lo", "jx_pdf50")))
    print("| 200 workbooks → JSON | %s (%.2f cpu s) | bare calamine read: %s (%.2f cpu s) | %.1f× slower (cpu %.1f×) | ≤ 1.5× |"
          % (t("jx_json"), R["jx_json"]["cpu"], t("bare"), R["bare"]["cpu"],
             R["jx_json"]["wall"] / R["bare"]["wall"], R["jx_json"]["cpu"] / R["bare"]["cpu"]))
    print("| 5,000-project workbook → JSON | %s | office openpyxl script: %s | %s | ≤ 1 s, ≤ 150 MB |"
          % (t("jx_big_json"), t("office_big"), ratio("office_big", "jx_big_json")))
    print("| 5,000-project workbook → JSON + XLSX + PDF | %s | — | — | ≤ 4 s, ≤ 300 MB |"
          % t("jx_big_all"))


if __name__ == "__main__":
    main()
