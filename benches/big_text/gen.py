#!/usr/bin/env python3
"""A big but honest text input: a title, the form's header rows, then ROWS TAB-separated
rows of six cells each (level 1, level 2, an indicator name, a value and two numbers),
Chinese indicator-ish text and numbers, as an OCR tool or a spreadsheet's "save as text"
writes them. With the default 1,000,000 rows it is about 58 MB.

Usage: python3 benches/big_text/gen.py [ROWS] > big.txt
"""

import sys

LEVEL1 = ["产出指标", "效益指标", "满意度指标"]
LEVEL2 = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益", "满意度"]
NAMES = ["培训人数", "发放率", "完成时间", "补贴标准", "覆盖率", "满意度"]
UNITS = ["人", "%", "月", "万元", "户", "%"]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = sys.stdout
    out.write("项目支出绩效目标表\n")
    out.write("预算单位\t示例县民政局\t\t项目名称\t城乡低保\t\n")
    out.write("项目资金 (万元)\t年度资金总额:\t91.59\t其中:财政拨款\t91.59\t其他资金\n")
    out.write("一级指标\t二级指标\t三级指标\t指标值\t分值\t备注\n")
    buf = []
    for i in range(rows):
        k = i % 6
        buf.append(
            f"{LEVEL1[i % 3]}\t{LEVEL2[k]}\t{NAMES[k]}{i}\t≥{i % 997}{UNITS[k]}\t{i % 10}\t{i % 7}\n"
        )
        if len(buf) == 10_000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


if __name__ == "__main__":
    main()
