#!/usr/bin/env bash
# Side-by-side benchmark: jixiao against what a finance office uses today, on the same files,
# in one run, on this machine. Prints each job's median wall time, CPU time and peak memory,
# and the ratios (the figures that count on a shared machine).
#
#   bash benches/compare/run.sh [RUNS=5]
#
# What it sets up, and says so as it goes (everything under target/compare/):
#   - a scratch Python venv with the office script's packages (requirements.txt, from PyPI);
#   - the corpus: gen_corpus.py, 200 submission workbooks and the 5,000-project workbook;
#   - LibreOffice: Debian's libreoffice-calc-nogui + fonts-noto-cjk, installed with apt-get
#     when soffice is missing and we are root (otherwise that peer is skipped);
#   - jixiao and the bare calamine read (benches/compare/bare_read.rs), release builds.
# The office script on the 5,000-project workbook takes minutes: it runs once (BIG_PEER=0
# skips it). Then the PDF reader against pdfplumber (pdf_vs_pdfplumber.py; PDF=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
WORK=${COMPARE_DIR:-target/compare}
mkdir -p "$WORK"
VENV="$WORK/venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "setting up a scratch venv in $VENV (openpyxl, XlsxWriter from PyPI)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q -r benches/compare/requirements.txt
fi
if ! command -v soffice >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing LibreOffice (libreoffice-calc-nogui, fonts-noto-cjk) with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-calc-nogui fonts-noto-cjk >/dev/null
  else
    echo "soffice missing and not root: the LibreOffice peer is skipped" >&2
  fi
fi
if [ ! -f "$WORK/corpus/big/big_5000.xlsx" ]; then
  echo "generating the corpus in $WORK/corpus (gen_corpus.py -n 200 --big)" >&2
  "$VENV/bin/python" benches/compare/gen_corpus.py "$WORK/corpus" -n 200 --big
fi
echo "building jixiao and bare_read (release)" >&2
cargo build --release --quiet --bin jixiao --example bare_read
"$VENV/bin/python" benches/compare/run.py --work "$WORK" --runs "$RUNS" \
  --jixiao target/release/jixiao --bare target/release/examples/bare_read
# The PDF reader against pdfplumber on the same PDFs (its own venv packages, pinned; see
# pdf_vs_pdfplumber.py). PDF=0 skips it.
if [ "${PDF:-1}" != 0 ]; then
  echo >&2; echo "PDF input: jixiao against pdfplumber" >&2
  COMPARE_DIR="$WORK" "$VENV/bin/python" benches/compare/pdf_vs_pdfplumber.py --runs "$RUNS" \
    --jixiao target/release/jixiao
fi
