//! Writes the workbook fixtures in `fixtures/excel/` and `fixtures/bad/`: the layouts that
//! departments really submit, built from the Heshuo 2022 seed (`fixtures/heshuo-2022.md`,
//! read through the Markdown reader and the recognizer) so that every fixture carries real
//! data. Deterministic: the same source gives the same bytes.
//!
//! Run from the repository root: `cargo run -p jixiao-excel --example make_excel_fixtures`.

use jixiao_model::{Decimal, Funds, Indicator, Project};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use std::path::Path;

/// A cell value.
#[derive(Clone)]
enum V {
    T(String),
    /// A number and its number format ("" for General).
    N(f64, &'static str),
}

fn t(s: impl Into<String>) -> V {
    V::T(s.into())
}

/// An amount as a number formatted with the digits it was written with (`0.00` keeps `0.00`).
fn amount(d: Option<Decimal>) -> V {
    match d {
        None => t(""),
        Some(d) => {
            let fmt = match d.scale() {
                0 => "",
                1 => "0.0",
                2 => "0.00",
                _ => "0.000",
            };
            V::N(d.to_string().parse().expect("decimal"), fmt)
        }
    }
}

/// A worksheet being laid out: cells and merged ranges, written out at the end.
#[derive(Default)]
struct Sheet {
    name: String,
    hidden: bool,
    cells: Vec<(u32, u16, V)>,
    merges: Vec<(u32, u16, u32, u16)>,
    /// The next free row.
    row: u32,
}

impl Sheet {
    fn new(name: &str) -> Sheet {
        Sheet {
            name: name.into(),
            ..Sheet::default()
        }
    }
    fn put(&mut self, r: u32, c: u16, v: V) {
        self.cells.push((r, c, v));
    }
    /// A merged range holding `v` (a single cell when it is one cell).
    fn merge(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, v: V) {
        if (r1, c1) != (r2, c2) {
            self.merges.push((r1, c1, r2, c2));
        }
        self.put(r1, c1, v);
    }
    /// A row of cells from column 0.
    fn line(&mut self, values: Vec<V>) {
        let r = self.row;
        for (c, v) in values.into_iter().enumerate() {
            if !matches!(&v, V::T(s) if s.is_empty()) {
                self.put(r, c as u16, v);
            }
        }
        self.row += 1;
    }
    fn skip(&mut self, n: u32) {
        self.row += n;
    }
}

fn save(path: &Path, sheets: &[Sheet]) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2022, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&date)
            .set_author("jixiao fixtures"),
    );
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&s.name)?;
        ws.set_hidden(s.hidden);
        for &(r1, c1, r2, c2) in &s.merges {
            ws.merge_range(r1, c1, r2, c2, "", &wrap)?;
        }
        for (r, c, v) in &s.cells {
            let merged = s.merges.iter().any(|m| (m.0, m.1) == (*r, *c));
            match v {
                V::T(text) if merged => ws
                    .write_string_with_format(*r, *c, text, &wrap)
                    .map(|_| ())?,
                V::T(text) => ws.write_string(*r, *c, text).map(|_| ())?,
                V::N(n, fmt) => {
                    let mut f = if merged { wrap.clone() } else { Format::new() };
                    if !fmt.is_empty() {
                        f = f.set_num_format(*fmt);
                    }
                    ws.write_number_with_format(*r, *c, *n, &f).map(|_| ())?
                }
            }
        }
    }
    wb.save(path)
}

/// The seed document, read as the converter reads it.
fn seed() -> (jixiao_model::Summary, Vec<Project>) {
    let text =
        std::fs::read_to_string("fixtures/heshuo-2022.md").expect("run from the repository root");
    let grid = jixiao_markdown::read(&text, Some("heshuo-2022.md"));
    let doc = jixiao_recognize::recognize(&[grid], &jixiao_recognize::Options::default());
    (doc.summary.expect("seed has a summary"), doc.projects)
}

/// Runs of equal consecutive values: (start, length).
fn runs<T: PartialEq>(items: &[T]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match out.last_mut() {
            Some((start, len)) if items[*start] == *item => *len += 1,
            _ => out.push((i, 1)),
        }
        let _ = i;
    }
    out
}

/// How level 1 and level 2 are written down the indicator rows.
#[derive(Clone, Copy, PartialEq)]
enum Groups {
    /// Vertically merged cells (the standard form).
    Merged,
    /// The label on every row.
    Repeated,
    /// The label on the first row of its group, blank below.
    BlankBelow,
}

/// The standard 7-column project table (A–G) of the seed, with real merges.
fn standard_project(s: &mut Sheet, p: &Project, title: bool, groups: Groups) {
    let r = s.row;
    if title {
        s.merge(r, 0, r, 6, t("项目支出绩效目标表"));
        s.merge(
            r + 1,
            0,
            r + 1,
            6,
            t(format!("（{}年）", p.year.unwrap_or(2022))),
        );
        s.row += 2;
    }
    let r = s.row;
    s.put(r, 0, t("预算单位"));
    s.merge(r, 1, r, 3, t(&p.budget_unit));
    s.put(r, 4, t("项目名称"));
    s.merge(r, 5, r, 6, t(&p.project_name));
    let f = &p.funds;
    let r = r + 1;
    s.put(r, 0, t("项目资金（万元）"));
    s.put(r, 1, t("年度资金总额:"));
    s.put(r, 2, amount(f.total));
    s.put(r, 3, t("其中:财政拨款"));
    s.put(r, 4, amount(f.fiscal));
    s.put(r, 5, t("其他资金"));
    s.put(r, 6, amount(f.other));
    let r = r + 1;
    s.put(r, 0, t("项目总体目标"));
    s.merge(r, 1, r, 6, t(&p.goal));
    let r = r + 1;
    s.put(r, 0, t("一级指标"));
    s.put(r, 1, t("二级指标"));
    s.merge(r, 2, r, 4, t("三级指标"));
    s.merge(r, 5, r, 6, t("指标值(包含数字及文字描述)"));
    s.row = r + 1;
    indicator_rows(s, &p.indicators, groups, &[(2, 4), (5, 6)], 0);
}

/// Indicator rows from `s.row`: level 1 in column `c0`, level 2 in `c0 + 1`, then each of
/// `spans` (first..=last column) holds level 3 and the value.
fn indicator_rows(
    s: &mut Sheet,
    inds: &[Indicator],
    groups: Groups,
    spans: &[(u16, u16)],
    c0: u16,
) {
    let r0 = s.row;
    let l1: Vec<&str> = inds.iter().map(|i| i.level1.as_str()).collect();
    let l12: Vec<(&str, &str)> = inds
        .iter()
        .map(|i| (i.level1.as_str(), i.level2.as_str()))
        .collect();
    for (level, col, runs) in [(1, c0, runs(&l1)), (2, c0 + 1, runs(&l12))] {
        for (start, len) in runs {
            let ind = &inds[start];
            let text = if level == 1 { &ind.level1 } else { &ind.level2 };
            let r = r0 + start as u32;
            match groups {
                Groups::Merged => s.merge(r, col, r + len as u32 - 1, col, t(text)),
                Groups::Repeated => (0..len as u32).for_each(|k| s.put(r + k, col, t(text))),
                Groups::BlankBelow => s.put(r, col, t(text)),
            }
        }
    }
    for (k, ind) in inds.iter().enumerate() {
        let r = r0 + k as u32;
        let (a, b) = spans[0];
        s.merge(r, a, r, b, t(&ind.level3));
        let (a, b) = spans[1];
        s.merge(r, a, r, b, t(&ind.value.raw));
    }
    s.row = r0 + inds.len() as u32;
}

/// A project as a budget system exports its 二级项目支出绩效目标申报表: `label：value` pairs
/// in A–E, the indicator table 一级指标 | 二级指标 | 三级指标 | 目标值 | 指标解释 with the
/// 一级 merged and its text repeated in every covered cell, and the framework's every 二级
/// printed: the project's own indicators, then `不适用` rows for 生态效益指标 and
/// 可持续影响指标 and a row holding only 其他满意度. `yuan`: the 本年度 amount is written in
/// 元 under its 万元 label (the defect these exports carry). `filled`: false leaves the
/// 三级指标/目标值 cells blank (a project whose targets were never entered).
fn budget_system_project(s: &mut Sheet, p: &Project, yuan: bool, filled: bool) {
    s.merge(0, 0, 0, 4, t("二级项目支出绩效目标申报表"));
    s.line(vec![]);
    s.line(vec![
        t("项目编码："),
        t("440306220000000001"),
        t(""),
        t("项目名称："),
        t(&p.project_name),
    ]);
    s.line(vec![
        t("申请单位："),
        t(&p.budget_unit),
        t(""),
        t("一级预算单位："),
        t(&p.budget_unit),
    ]);
    let total = p.funds.total.map(|d| {
        if yuan {
            (d * Decimal::from(10_000)).normalize()
        } else {
            d
        }
    });
    s.line(vec![
        t("项目总金额（中期规划，万元）："),
        amount(total.map(|d| d * Decimal::from(3))),
        t(""),
        t("本年度项目金额（万元）："),
        amount(total),
    ]);
    s.line(vec![t("年度目标："), t(&p.goal)]);
    s.line(vec![
        t("一级指标"),
        t("二级指标"),
        t("三级指标"),
        t("目标值"),
        t("指标解释"),
    ]);
    let mut rows: Vec<(String, String, String, String)> = p
        .indicators
        .iter()
        .map(|i| {
            let (l3, v) = if filled {
                (i.level3.clone(), i.value.raw.clone())
            } else {
                (String::new(), String::new())
            };
            (i.level1.clone(), i.level2.clone(), l3, v)
        })
        .collect();
    let benefit = rows
        .iter()
        .rposition(|r| r.0 == "效益指标")
        .map_or(rows.len(), |k| k + 1);
    for (k, l2) in ["生态效益指标", "可持续影响指标"].iter().enumerate() {
        let n = "不适用".to_string();
        rows.insert(
            benefit + k,
            ("效益指标".into(), l2.to_string(), n.clone(), n),
        );
    }
    rows.push((
        "满意度指标".into(),
        "其他满意度".into(),
        String::new(),
        String::new(),
    ));
    let r0 = s.row;
    let l1: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    for (start, len) in runs(&l1) {
        let r = r0 + start as u32;
        s.merge(r, 0, r + len as u32 - 1, 0, t(&rows[start].0));
        for k in 1..len as u32 {
            s.put(r + k, 0, t(&rows[start].0));
        }
    }
    for (k, (_, l2, l3, v)) in rows.iter().enumerate() {
        let r = r0 + k as u32;
        s.put(r, 1, t(l2));
        if !l3.is_empty() {
            s.put(r, 2, t(l3));
        }
        if !v.is_empty() {
            s.put(r, 3, t(v));
            s.put(r, 4, t(if v == "不适用" { "不适用" } else { "" }));
        }
    }
    s.row = r0 + rows.len() as u32;
    s.line(vec![t(
        "备注：作为导入模板，置灰信息无需录入，作为导出模板，置灰信息系统自动带出。",
    )]);
}

/// The seed's summary table in columns A–C.
fn summary(s: &mut Sheet, sum: &jixiao_model::Summary) {
    let r = s.row;
    s.merge(r, 0, r, 2, t(sum.title.clone().unwrap_or_default()));
    s.merge(r + 1, 0, r + 2, 0, t("序号"));
    s.merge(r + 1, 1, r + 1, 2, t("重点项目支出基本信息"));
    s.put(r + 2, 1, t("部门单位"));
    s.put(r + 2, 2, t("项目名称"));
    s.put(r + 3, 0, t("合计"));
    s.row = r + 4;
    for row in &sum.rows {
        s.line(vec![
            V::N(f64::from(row.seq.unwrap_or(0)), ""),
            t(&row.department),
            t(&row.project_name),
        ]);
    }
}

fn main() -> Result<(), XlsxError> {
    let (sum, projects) = seed();
    let dir = Path::new("fixtures/excel");
    std::fs::create_dir_all(dir).expect("fixtures/excel");
    let p = |i: usize| &projects[i];

    // The seed: a summary sheet and one sheet per project, real merges throughout.
    let mut sheets = vec![Sheet::new("汇总表")];
    summary(&mut sheets[0], &sum);
    for (i, project) in projects.iter().enumerate() {
        let mut s = Sheet::new(&format!("项目{}", i + 1));
        standard_project(&mut s, project, true, Groups::Merged);
        sheets.push(s);
    }
    save(&dir.join("heshuo-2022.xlsx"), &sheets)?;

    // 一级/二级 written on every row; a value written as a number in percent format.
    let mut s = Sheet::new("Sheet1");
    standard_project(&mut s, p(0), true, Groups::Repeated);
    s.cells.retain(|(r, c, _)| !(*r == 8 && *c == 5));
    s.put(8, 5, V::N(1.0, "0%"));
    save(&dir.join("repeated-labels.xlsx"), &[s])?;

    // Numbers shown through number formats, as clerks type them: thousands separators, fixed
    // decimals, percentages and dates (a 时效指标 due date). Its .xls and .ods copies (made with
    // LibreOffice, see fixtures/README.md) must read the same.
    let mut s = Sheet::new("Sheet1");
    standard_project(&mut s, p(3), true, Groups::Merged);
    let formatted = [
        (3, 2, V::N(1234.5, "#,##0.00")),
        (3, 4, V::N(1234.5, "#,##0.00")),
        (3, 6, V::N(0.0, "0.00")),
        (6, 5, V::N(12212.0, "#,##0")),
        (7, 5, V::N(1.0, "0%")),
        (8, 5, V::N(0.955, "0.0%")),
        (9, 5, V::N(3.9, "0.00")),
        (10, 5, V::N(44742.0, "yyyy\"年\"m\"月\"d\"日\"")),
        (11, 5, V::N(44561.0, "yyyy/m/d")),
    ];
    for (r, c, v) in formatted {
        s.cells.retain(|(rr, cc, _)| (*rr, *cc) != (r, c));
        s.put(r, c, v);
    }
    save(&dir.join("number-formats.xlsx"), &[s])?;

    // 一级/二级 only on the first row of each group, blank below (merges flattened).
    let mut s = Sheet::new("Sheet1");
    standard_project(&mut s, p(4), true, Groups::BlankBelow);
    save(&dir.join("blank-below.xlsx"), &[s])?;

    // Title rows above and signature footers below.
    let mut s = Sheet::new("绩效目标表");
    s.merge(0, 0, 0, 6, t("项目支出绩效目标表"));
    s.merge(1, 0, 1, 6, t("（2022年度）"));
    s.merge(2, 0, 2, 3, t("填报单位（盖章）：和硕县民政局"));
    s.merge(2, 4, 2, 6, t("单位：万元"));
    s.row = 3;
    standard_project(&mut s, p(3), false, Groups::Merged);
    s.skip(1);
    s.line(vec![
        t("填表人：张三"),
        t(""),
        t("联系电话：0996-1234567"),
        t(""),
        t("审核人：李四"),
    ]);
    s.line(vec![t("填报日期：2022年1月10日")]);
    save(&dir.join("title-footer.xlsx"), &[s])?;

    // Several projects stacked in one sheet under one title, with blank rows between them;
    // and the same without blank rows.
    for (name, gap) in [("stacked.xlsx", 2), ("stacked-tight.xlsx", 0)] {
        let mut s = Sheet::new("项目支出绩效目标表");
        s.merge(0, 0, 0, 6, t("2022年度项目支出绩效目标表"));
        s.row = 1;
        for i in [0, 2, 3] {
            standard_project(&mut s, p(i), false, Groups::Merged);
            s.skip(gap);
        }
        save(&dir.join(name), &[s])?;
    }

    // One project per sheet, with an instructions sheet, a hidden sheet and a dropdown-list
    // sheet that are no data.
    let mut help = Sheet::new("填表说明");
    help.line(vec![t("填表说明")]);
    help.line(vec![t("1. 预算单位填写部门全称。")]);
    help.line(vec![t("2. 指标值应尽量量化，包含数字及文字描述。")]);
    let mut a = Sheet::new("城市低保");
    standard_project(&mut a, p(3), true, Groups::Merged);
    let mut b = Sheet::new("农村低保");
    standard_project(&mut b, p(4), true, Groups::Merged);
    let mut hidden = Sheet::new("旧版");
    hidden.hidden = true;
    standard_project(&mut hidden, p(0), true, Groups::Merged);
    let mut lists = Sheet::new("下拉选项");
    for (k, (l1, l2)) in [
        ("产出指标", "数量指标"),
        ("效益指标", "质量指标"),
        ("满意度指标", "时效指标"),
        ("", "成本指标"),
    ]
    .iter()
    .enumerate()
    {
        lists.put(k as u32, 0, t(*l1));
        lists.put(k as u32, 1, t(*l2));
    }
    save(&dir.join("per-sheet.xlsx"), &[help, a, b, hidden, lists])?;

    // A summary only.
    let mut s = Sheet::new("汇总表");
    summary(&mut s, &sum);
    save(&dir.join("summary-only.xlsx"), &[s])?;

    // A summary with a funds column and a 合计 row at the bottom.
    let mut s = Sheet::new("汇总表");
    s.merge(0, 0, 0, 3, t(sum.title.clone().unwrap_or_default()));
    s.merge(1, 0, 1, 3, t("单位：万元"));
    s.row = 2;
    s.line(vec![
        t("序号"),
        t("部门单位"),
        t("项目名称"),
        t("年度资金总额"),
    ]);
    let mut total = Decimal::ZERO;
    for (row, project) in sum.rows.iter().zip(&projects) {
        total += project.funds.total.unwrap_or_default();
        s.line(vec![
            V::N(f64::from(row.seq.unwrap_or(0)), ""),
            t(&row.department),
            t(&row.project_name),
            amount(project.funds.total),
        ]);
    }
    s.line(vec![t("合计"), t(""), t(""), amount(Some(total))]);
    save(&dir.join("summary-funds.xlsx"), &[s])?;

    // Header-block variants: 预算单位 and 项目名称 on two rows, label and value in one cell,
    // 项目资金 split over three rows, amounts as text, spaced and broken header labels.
    let q = p(3);
    let mut s = Sheet::new("Sheet1");
    s.merge(0, 0, 0, 4, t("项目支出绩效目标表"));
    s.merge(1, 0, 1, 4, t("(2022年)"));
    s.merge(2, 0, 2, 4, t(format!("预算单位：{}", q.budget_unit)));
    s.put(3, 0, t("项 目 名 称"));
    s.merge(3, 1, 3, 4, t(&q.project_name));
    s.merge(4, 0, 6, 0, t("项目资金\n（万元）"));
    s.put(4, 1, t("年度资金总额"));
    s.merge(
        4,
        2,
        4,
        4,
        t(format!("{}万元", q.funds.total.unwrap_or_default())),
    );
    s.put(5, 1, t("其中：财政拨款"));
    s.merge(
        5,
        2,
        5,
        4,
        t(format!("{}万元", q.funds.fiscal.unwrap_or_default())),
    );
    s.put(6, 1, t("其他资金"));
    s.merge(
        6,
        2,
        6,
        4,
        t(format!("{}", q.funds.other.unwrap_or_default())),
    );
    s.put(7, 0, t("年度目标"));
    s.merge(7, 1, 7, 4, t(&q.goal));
    s.line(vec![]);
    s.row = 8;
    s.line(vec![
        t("一级\n指标"),
        t("二级\n指标"),
        t("三级指标"),
        t(""),
        t("年度指标值"),
    ]);
    indicator_rows(&mut s, &q.indicators, Groups::Merged, &[(2, 3), (4, 4)], 0);
    save(&dir.join("header-variants.xlsx"), &[s])?;

    // 主管部门 / 实施单位 instead of 预算单位; amounts in 元 under 项目资金（元）; 指标值及单位.
    let q = p(1);
    let yuan = |d: Option<Decimal>| amount(d.map(|d| (d * Decimal::from(10_000)).normalize()));
    let mut s = Sheet::new("Sheet1");
    s.merge(0, 0, 0, 6, t("项目支出绩效目标表（2022年）"));
    s.line(vec![]);
    s.row = 1;
    s.line(vec![
        t("主管部门"),
        t("和硕县人力资源和社会保障局"),
        t(""),
        t(""),
        t("实施单位"),
        t("和硕县社会保险中心"),
    ]);
    s.line(vec![t("项目名称"), t(&q.project_name)]);
    s.line(vec![
        t("项目资金（元）"),
        t("年度资金总额"),
        yuan(q.funds.total),
        t("其中：财政拨款"),
        yuan(q.funds.fiscal),
        t("其他资金"),
        yuan(q.funds.other),
    ]);
    s.line(vec![t("项目总体目标"), t(&q.goal)]);
    s.line(vec![
        t("一级指标"),
        t("二级指标"),
        t("三级指标"),
        t(""),
        t(""),
        t("指标值及单位"),
    ]);
    indicator_rows(&mut s, &q.indicators, Groups::Merged, &[(2, 4), (5, 6)], 0);
    save(&dir.join("department-yuan.xlsx"), &[s])?;

    // A 序号 column before, an empty spacer column, 分值 and 备注 after.
    let q = p(2);
    let mut s = Sheet::new("Sheet1");
    s.merge(0, 0, 0, 7, t("项目支出绩效目标表"));
    s.row = 1;
    s.line(vec![
        t("预算单位"),
        t(&q.budget_unit),
        t(""),
        t(""),
        t("项目名称"),
        t(&q.project_name),
    ]);
    s.line(vec![
        t("项目资金（万元）"),
        t("年度资金总额:"),
        amount(q.funds.total),
        t("其中:财政拨款"),
        amount(q.funds.fiscal),
        t("其他资金"),
        amount(q.funds.other),
    ]);
    s.line(vec![t("项目总体目标"), t(&q.goal)]);
    s.line(vec![
        t("序号"),
        t("一级指标"),
        t("二级指标"),
        t(""),
        t("三级指标"),
        t("指标值"),
        t("分值"),
        t("备注"),
    ]);
    let r0 = s.row;
    indicator_rows(&mut s, &q.indicators, Groups::Merged, &[(4, 4), (5, 5)], 1);
    for k in 0..q.indicators.len() as u32 {
        s.put(r0 + k, 0, V::N(f64::from(k + 1), ""));
        s.put(r0 + k, 6, V::N(if k < 5 { 10.0 } else { 5.0 }, ""));
    }
    s.put(r0, 7, t("按参保人数计算"));
    save(&dir.join("extra-columns.xlsx"), &[s])?;

    // Separate 指标性质 (sign) and 计量单位 columns.
    let q = p(3);
    let mut s = Sheet::new("Sheet1");
    s.merge(0, 0, 0, 5, t("项目支出绩效目标表"));
    s.row = 1;
    s.line(vec![
        t("预算单位"),
        t(&q.budget_unit),
        t(""),
        t("项目名称"),
        t(&q.project_name),
    ]);
    s.line(vec![
        t("项目资金（万元）"),
        t("年度资金总额:"),
        amount(q.funds.total),
        t("其中:财政拨款"),
        amount(q.funds.fiscal),
        t("其他资金"),
        amount(q.funds.other),
    ]);
    s.line(vec![t("项目总体目标"), t(&q.goal)]);
    s.line(vec![
        t("一级指标"),
        t("二级指标"),
        t("三级指标"),
        t("指标性质"),
        t("指标值"),
        t("计量单位"),
    ]);
    let r0 = s.row;
    indicator_rows(&mut s, &q.indicators, Groups::Merged, &[(2, 2), (4, 4)], 0);
    for (k, ind) in q.indicators.iter().enumerate() {
        let r = r0 + k as u32;
        s.cells.retain(|(rr, c, _)| !(*rr == r && *c == 4));
        let v = &ind.value;
        let sign = match v.op {
            Some(jixiao_model::Op::Ge) => "≥",
            Some(jixiao_model::Op::Le) => "≤",
            Some(jixiao_model::Op::Eq) => "＝",
            Some(jixiao_model::Op::Gt) => "＞",
            Some(jixiao_model::Op::Lt) => "＜",
            None => "定性",
        };
        s.put(r, 3, t(sign));
        match (v.number, &v.unit) {
            (Some(n), unit) => {
                s.put(r, 4, amount(Some(n)));
                s.put(r, 5, t(unit.clone().unwrap_or_default()));
            }
            _ => s.put(r, 4, t(&v.raw)),
        }
    }
    save(&dir.join("unit-sign-columns.xlsx"), &[s])?;

    // The 2021 (财预〔2021〕101号) framework: 成本指标 as a level-1 group.
    let q = p(0);
    let mut inds: Vec<Indicator> = Vec::new();
    let ind = |l1: &str, l2: &str, l3: &str, v: &str| Indicator {
        level1: l1.into(),
        level2: l2.into(),
        level3: l3.into(),
        value: jixiao_model::Value::parse(v),
        location: Default::default(),
        evaluation: None,
    };
    inds.push(ind(
        "成本指标",
        "经济成本指标",
        "每次发放资金数",
        "≤7.63万元",
    ));
    inds.push(ind(
        "成本指标",
        "社会成本指标",
        "对参保群众生活的负面影响",
        "无",
    ));
    inds.push(ind(
        "成本指标",
        "生态环境成本指标",
        "对生态环境的负面影响",
        "无",
    ));
    inds.extend(
        q.indicators
            .iter()
            .filter(|i| i.level2 != "成本指标")
            .cloned(),
    );
    let q2 = Project {
        indicators: inds,
        ..q.clone()
    };
    let mut s = Sheet::new("Sheet1");
    standard_project(&mut s, &q2, true, Groups::Merged);
    save(&dir.join("framework-2021.xlsx"), &[s])?;

    // The 88号 template: 中期 and 年度 side by side.
    midterm(&dir.join("midterm-88.xlsx"), p(0))?;
    // The 88号 template with 中期 and 年度 as column headings (amounts and values by label).
    midterm_columns(&dir.join("midterm-columns.xlsx"))?;

    // Budget systems' exports and clerks' own workbooks (`fixtures/excel/budget-systems/`,
    // read against their goldens by `tests/excel.rs`; they have no .xls copies).
    let systems = dir.join("budget-systems");
    std::fs::create_dir_all(&systems).expect("fixtures/excel/budget-systems");

    // A budget system's 申报表 export: one project per sheet, `label：value` header, merged
    // 一级/二级 with the anchor's text repeated in the covered cells, every 二级 of the
    // framework printed (the unused ones `不适用`, or only the 二级 name), a sheet with the
    // grid left blank, and an amount under its 万元 label written in 元.
    let mut sheets = Vec::new();
    for (i, (q, yuan)) in [(p(0), false), (p(1), true)].into_iter().enumerate() {
        let mut s = Sheet::new(&format!("{}.{}", i + 1, q.project_name));
        budget_system_project(&mut s, q, yuan, true);
        sheets.push(s);
    }
    let mut s = Sheet::new(&format!("3.{}", p(2).project_name));
    budget_system_project(&mut s, p(2), false, false);
    sheets.push(s);
    save(&systems.join("budget-system-export.xlsx"), &sheets)?;

    // The standard form with its labels in Traditional characters (the values as written).
    let mut s = Sheet::new("Sheet1");
    standard_project(&mut s, p(3), true, Groups::Merged);
    for (_, _, v) in s.cells.iter_mut() {
        if let V::T(text) = v {
            let traditional = match text.as_str() {
                "预算单位" => "預算單位",
                "项目名称" => "項目名稱",
                "项目资金（万元）" => "項目資金（萬元）",
                "年度资金总额:" => "年度資金總額:",
                "其中:财政拨款" => "其中:財政撥款",
                "其他资金" => "其他資金",
                "项目总体目标" => "項目總體目標",
                "一级指标" => "一級指標",
                "二级指标" => "二級指標",
                "三级指标" => "三級指標",
                "指标值(包含数字及文字描述)" => "指標值(包含數字及文字描述)",
                "项目支出绩效目标表" => "項目支出績效目標表",
                _ => continue,
            };
            *text = traditional.to_string();
        }
    }
    save(&systems.join("traditional-labels.xlsx"), &[s])?;

    // A clerk's long table: one row per indicator, 项目名称 and 申请单位 as columns (merged
    // down the first project's rows, repeated on the second's, the third's by 项目编码 only).
    let mut s = Sheet::new("全部项目指标");
    s.line(vec![t("2022年项目支出绩效目标汇总（明细）")]);
    s.line(vec![
        t("项目编码"),
        t("项目名称"),
        t("申请单位"),
        t("一级指标"),
        t("二级指标"),
        t("三级指标"),
        t("指标值"),
    ]);
    for (k, q) in [p(0), p(1), p(2)].into_iter().enumerate() {
        let r0 = s.row;
        let n = q.indicators.len() as u32;
        let code = format!("2022-{:03}", k + 1);
        match k {
            0 => {
                s.merge(r0, 0, r0 + n - 1, 0, t(&code));
                s.merge(r0, 1, r0 + n - 1, 1, t(&q.project_name));
                s.merge(r0, 2, r0 + n - 1, 2, t(&q.budget_unit));
            }
            1 => {
                for i in 0..n {
                    s.put(r0 + i, 0, t(&code));
                    s.put(r0 + i, 1, t(&q.project_name));
                    s.put(r0 + i, 2, t(&q.budget_unit));
                }
            }
            _ => {
                s.put(r0, 0, t(&code));
                s.put(r0, 1, t(&q.project_name));
                s.put(r0, 2, t(&q.budget_unit));
            }
        }
        for (i, ind) in q.indicators.iter().enumerate() {
            let r = r0 + i as u32;
            s.put(r, 3, t(&ind.level1));
            s.put(r, 4, t(&ind.level2));
            s.put(r, 5, t(&ind.level3));
            s.put(r, 6, t(&ind.value.raw));
        }
        s.row = r0 + n;
    }
    // The same with its headings over two rows: 项目名称 and 申请单位 merged down, 绩效指标
    // over 一级指标 … 指标值.
    let mut s2 = Sheet::new("指标明细（两行表头）");
    s2.merge(0, 0, 1, 0, t("项目名称"));
    s2.merge(0, 1, 1, 1, t("申请单位"));
    s2.merge(0, 2, 0, 5, t("绩效指标"));
    for (c, h) in ["一级指标", "二级指标", "三级指标", "指标值"]
        .iter()
        .enumerate()
    {
        s2.put(1, c as u16 + 2, t(*h));
    }
    s2.row = 2;
    for q in [p(3), p(4)] {
        let r0 = s2.row;
        let n = q.indicators.len() as u32;
        s2.merge(r0, 0, r0 + n - 1, 0, t(&q.project_name));
        s2.merge(r0, 1, r0 + n - 1, 1, t(&q.budget_unit));
        for (i, ind) in q.indicators.iter().enumerate() {
            let r = r0 + i as u32;
            s2.put(r, 2, t(&ind.level1));
            s2.put(r, 3, t(&ind.level2));
            s2.put(r, 4, t(&ind.level3));
            s2.put(r, 5, t(&ind.value.raw));
        }
        s2.row = r0 + n;
    }
    save(&systems.join("long-table.xlsx"), &[s, s2])?;

    // A workbook with sheets that hold no form around one project: the instructions, the
    // project's header on 项目基本信息 and its indicator table on 绩效目标, a list of
    // expenses and a review's opinion.
    let q = p(4);
    let mut help = Sheet::new("填表说明");
    help.line(vec![t("1. 项目名称按预算系统填写。")]);
    help.line(vec![t("2. 金额单位为万元。")]);
    let mut info = Sheet::new("项目基本信息");
    info.line(vec![t("项目名称："), t(&q.project_name)]);
    info.line(vec![t("申请单位："), t(&q.budget_unit)]);
    info.line(vec![t("本年度项目金额（万元）："), amount(q.funds.total)]);
    info.line(vec![t("年度目标："), t(&q.goal)]);
    let mut table = Sheet::new("绩效目标");
    table.line(vec![
        t("一级指标"),
        t("二级指标"),
        t("三级指标"),
        t("指标值"),
    ]);
    for ind in &q.indicators {
        table.line(vec![
            t(&ind.level1),
            t(&ind.level2),
            t(&ind.level3),
            t(&ind.value.raw),
        ]);
    }
    let mut spend = Sheet::new("支出明细");
    spend.line(vec![t("序号"), t("支出内容"), t("金额（元）")]);
    spend.line(vec![V::N(1.0, ""), t("办公用品"), V::N(12000.0, "0.00")]);
    spend.line(vec![V::N(2.0, ""), t("印刷费"), V::N(3500.0, "0.00")]);
    let mut review = Sheet::new("评审意见");
    review.line(vec![t(
        "经评审，该项目绩效目标基本合理，建议细化数量指标。",
    )]);
    save(
        &systems.join("non-form-sheets.xlsx"),
        &[help, info, table, spend, review],
    )?;

    // The same project with its indicator table first, under its name only, the rest of its
    // header on 项目基本信息 after it, and a review's opinion naming it: one project.
    let mut table = Sheet::new("申报表");
    table.line(vec![t("项目名称："), t(&q.project_name)]);
    table.line(vec![
        t("一级指标"),
        t("二级指标"),
        t("三级指标"),
        t("指标值"),
    ]);
    for ind in &q.indicators {
        table.line(vec![
            t(&ind.level1),
            t(&ind.level2),
            t(&ind.level3),
            t(&ind.value.raw),
        ]);
    }
    let mut info = Sheet::new("项目基本信息");
    info.line(vec![t("项目名称："), t(&q.project_name)]);
    info.line(vec![t("申请单位："), t(&q.budget_unit)]);
    info.line(vec![t("本年度项目金额（万元）："), amount(q.funds.total)]);
    info.line(vec![t("年度目标："), t(&q.goal)]);
    let mut review = Sheet::new("评审意见");
    review.line(vec![t("项目名称："), t(&q.project_name)]);
    review.line(vec![
        t("评审意见："),
        t("绩效目标基本合理，建议细化数量指标。"),
    ]);
    save(&systems.join("sheet-parts.xlsx"), &[table, info, review])?;

    // Bad inputs.
    let bad = Path::new("fixtures/bad");
    std::fs::create_dir_all(bad).expect("fixtures/bad");
    save(&bad.join("empty-workbook.xlsx"), &[Sheet::new("Sheet1")])?;
    let mut s = Sheet::new("销售");
    s.line(vec![t("日期"), t("商品"), t("数量"), t("金额")]);
    s.line(vec![
        t("2022-01-05"),
        t("打印纸"),
        V::N(10.0, ""),
        V::N(255.5, "0.00"),
    ]);
    s.line(vec![
        t("2022-01-06"),
        t("墨盒"),
        V::N(2.0, ""),
        V::N(180.0, "0.00"),
    ]);
    save(&bad.join("unrelated.xlsx"), &[s])?;
    let mut s = Sheet::new("Sheet1");
    let empty_row = Indicator::default();
    let blank = Project {
        funds: Funds::default(),
        indicators: vec![empty_row; 5],
        ..Project::default()
    };
    standard_project(&mut s, &blank, true, Groups::Merged);
    save(&bad.join("blank-template.xlsx"), &[s])?;
    let full = std::fs::read(dir.join("repeated-labels.xlsx")).expect("just written");
    std::fs::write(bad.join("truncated.xlsx"), &full[..full.len() / 2]).expect("write");
    std::fs::write(
        bad.join("csv-named.xlsx"),
        "序号,部门单位,项目名称\n1,和硕县民政局,城市低保\n".as_bytes(),
    )
    .expect("write");
    // A province's 自评表 (with the budget systems' layouts: no .xls copy is kept of these).
    self_evaluation(&dir.join("budget-systems/self-evaluation.xlsx"), p(0))?;
    Ok(())
}

/// A 绩效目标自评表 as a province's template lays it out (the seed's first project, invented
/// actuals): 资金情况 over 全年预算数(A) | 全年执行数(B) | 分值 | 执行率(B/A) | 得分 with no
/// 年初预算数, 年初设定目标 | 年度总体目标完成情况综述 side by side, 分值 before 年度指标值,
/// 全年实际值 and 未完成原因及拟采取的改进措施, a 总分 row. Every figure adds up.
fn self_evaluation(path: &Path, p: &Project) -> Result<(), XlsxError> {
    let mut s = Sheet::new("自评表");
    s.merge(0, 0, 0, 8, t("绩效目标自评表"));
    s.merge(1, 0, 1, 8, t("（2022年度）"));
    s.put(2, 0, t("项目名称"));
    s.merge(2, 1, 2, 4, t(&p.project_name));
    s.put(2, 5, t("项目负责人及电话"));
    s.merge(2, 6, 2, 8, t("王芳 0996-1234567"));
    s.put(3, 0, t("主管部门"));
    s.merge(3, 1, 3, 4, t(&p.budget_unit));
    s.put(3, 5, t("实施单位"));
    s.merge(3, 6, 3, 8, t("和硕县社会保险中心"));
    s.merge(4, 0, 7, 0, t("资金情况（万元）"));
    for (c, h) in [
        "全年预算数(A)",
        "全年执行数(B)",
        "分值",
        "执行率(B/A)",
        "得分",
    ]
    .into_iter()
    .enumerate()
    {
        s.put(4, c as u16 + 2, t(h));
    }
    let n = |x: f64, fmt: &'static str| V::N(x, fmt);
    let lines = [
        (
            "年度资金总额:",
            Some((91.59, 89.76, "98%", Some((10.0, 9.8)))),
        ),
        ("其中:本年财政拨款", Some((91.59, 89.76, "98%", None))),
        ("其他资金", None),
    ];
    for (k, (label, figures)) in lines.into_iter().enumerate() {
        let r = 5 + k as u32;
        s.put(r, 1, t(label));
        if let Some((budget, executed, rate, scored)) = figures {
            s.put(r, 2, n(budget, "0.00"));
            s.put(r, 3, n(executed, "0.00"));
            s.put(r, 5, t(rate));
            if let Some((weight, score)) = scored {
                s.put(r, 4, n(weight, ""));
                s.put(r, 6, n(score, "0.0"));
            }
        }
    }
    s.merge(8, 0, 9, 0, t("年度总体目标"));
    s.merge(8, 1, 8, 4, t("年初设定目标"));
    s.merge(8, 5, 8, 8, t("年度总体目标完成情况综述"));
    s.merge(9, 1, 9, 4, t(&p.goal));
    s.merge(9, 5, 9, 8, t("按时足额发放基础养老金，参保人员待遇落实。"));
    let head = [
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "年度指标值",
        "全年实际值",
        "得分",
        "未完成原因及拟采取的改进措施",
    ];
    for (c, h) in head[..7].iter().enumerate() {
        s.put(10, c as u16, t(*h));
    }
    s.merge(10, 7, 10, 8, t(head[7]));
    // 分值, 全年实际值, 得分, 原因 of each seed indicator, in order (产出 50, 效益 30, 满意度 10).
    let evaluated = [
        (10.0, "12006人", 9.0, "部分人员转入职工养老保险"),
        (10.0, "1次", 10.0, ""),
        (10.0, "100%", 10.0, ""),
        (10.0, "100%", 10.0, ""),
        (10.0, "7.48万元", 10.0, ""),
        (30.0, "有效提高", 30.0, ""),
        (10.0, "99%", 10.0, ""),
    ];
    let mut r = 11;
    for (i, (weight, actual, score, reason)) in p.indicators.iter().zip(evaluated) {
        s.put(r, 0, t(&i.level1));
        s.put(r, 1, t(&i.level2));
        s.put(r, 2, t(&i.level3));
        s.put(r, 3, n(weight, ""));
        s.put(r, 4, t(&i.value.raw));
        s.put(r, 5, t(actual));
        s.put(r, 6, n(score, ""));
        s.merge(r, 7, r, 8, t(reason));
        r += 1;
    }
    s.merge(r, 0, r, 2, t("总分"));
    s.put(r, 3, n(100.0, ""));
    s.put(r, 6, n(98.8, "0.0"));
    s.put(r, 7, t("自评等级"));
    s.put(r, 8, t("优"));
    save(path, &[s])
}

/// The 88号 申报表 laid out with 中期 and 年度 as column headings: 中期资金总额 | 年度资金总额
/// over the rows 资金总额 / 其中：财政拨款 / 其他资金, and one indicator table whose columns are
/// 中期指标值 | 年度指标值. Invented content (溪山县). The 年度 amounts and values are what the
/// project's funds and indicator values must be; the 中期 ones sit left of them.
fn midterm_columns(path: &Path) -> Result<(), XlsxError> {
    let mut s = Sheet::new("申报表");
    s.merge(0, 0, 0, 5, t("项目支出绩效目标申报表"));
    s.merge(1, 0, 1, 5, t("（2025年度）"));
    s.put(2, 0, t("项目名称"));
    s.merge(2, 1, 2, 5, t("山洪沟道清淤整治"));
    s.put(3, 0, t("主管部门"));
    s.merge(3, 1, 3, 5, t("溪山县水利局"));
    s.merge(4, 0, 7, 0, t("项目资金\n（万元）"));
    s.merge(4, 3, 4, 4, t("中期资金总额"));
    s.put(4, 5, t("年度资金总额"));
    for (r, label, mid, annual) in [
        (
            5,
            "资金总额",
            Decimal::new(64800, 2),
            Decimal::new(21600, 2),
        ),
        (
            6,
            "其中：财政拨款",
            Decimal::new(60000, 2),
            Decimal::new(20000, 2),
        ),
        (7, "其他资金", Decimal::new(4800, 2), Decimal::new(1600, 2)),
    ] {
        s.merge(r, 1, r, 2, t(label));
        s.merge(r, 3, r, 4, amount(Some(mid)));
        s.put(r, 5, amount(Some(annual)));
    }
    s.merge(8, 0, 9, 0, t("总体目标"));
    s.merge(8, 1, 8, 4, t("中期目标（2025年—2027年）"));
    s.put(8, 5, t("年度目标"));
    s.merge(9, 1, 9, 4, t("三年清淤整治山洪沟道36公里。"));
    s.put(9, 5, t("2025年清淤整治山洪沟道12公里。"));
    for (c, h) in ["一级指标", "二级指标", "", "", "中期指标值", "年度指标值"]
        .iter()
        .enumerate()
    {
        if !h.is_empty() {
            s.put(10, c as u16, t(*h));
        }
    }
    s.merge(10, 2, 10, 3, t("三级指标"));
    let rows = [
        (
            "产出指标",
            "数量指标",
            "清淤整治沟道长度",
            "≥36公里",
            "≥12公里",
        ),
        (
            "产出指标",
            "质量指标",
            "整治工程验收合格率",
            "=100%",
            "=100%",
        ),
        (
            "产出指标",
            "时效指标",
            "年度工程完工时间",
            "2027年汛期前",
            "2025年5月底前",
        ),
        (
            "产出指标",
            "成本指标",
            "每公里清淤成本",
            "≤18万元",
            "≤18万元",
        ),
        (
            "效益指标",
            "社会效益指标",
            "受保护群众人数",
            "≥9000人",
            "≥3000人",
        ),
        (
            "满意度指标",
            "服务对象满意度指标",
            "沿河群众满意度",
            "≥85%",
            "≥90%",
        ),
    ];
    let inds: Vec<Indicator> = rows
        .iter()
        .map(|(l1, l2, l3, _, annual)| Indicator {
            level1: l1.to_string(),
            level2: l2.to_string(),
            level3: l3.to_string(),
            value: jixiao_model::Value::parse(annual),
            ..Indicator::default()
        })
        .collect();
    s.row = 11;
    indicator_rows(&mut s, &inds, Groups::Merged, &[(2, 3), (5, 5)], 0);
    for (k, (_, _, _, mid, _)) in rows.iter().enumerate() {
        s.put(11 + k as u32, 4, t(*mid));
    }
    save(path, &[s])
}

/// The 88号 申报表: header block with 中期/年度 funds and goals side by side, and two indicator
/// column groups (中期 on the left, 年度 on the right) under one header row.
fn midterm(path: &Path, p: &Project) -> Result<(), XlsxError> {
    let mut s = Sheet::new("申报表");
    s.merge(0, 0, 0, 8, t("项目支出绩效目标申报表"));
    s.merge(1, 0, 1, 8, t("（2022年度）"));
    s.put(2, 0, t("项目名称"));
    s.merge(2, 1, 2, 8, t(&p.project_name));
    s.put(3, 0, t("主管部门及代码"));
    s.merge(3, 1, 3, 3, t("[066]和硕县人力资源和社会保障局"));
    s.put(3, 4, t("实施单位"));
    s.merge(3, 5, 3, 8, t(&p.budget_unit));
    s.put(4, 0, t("项目属性"));
    s.merge(4, 1, 4, 3, t("延续项目"));
    s.put(4, 4, t("项目期"));
    s.merge(4, 5, 4, 8, t("3年"));
    let mid_total = Decimal::new(27477, 2);
    s.merge(5, 0, 7, 0, t("项目资金\n（万元）"));
    s.merge(5, 1, 5, 2, t("中期资金总额："));
    s.merge(5, 3, 5, 4, amount(Some(mid_total)));
    s.merge(5, 5, 5, 6, t("年度资金总额："));
    s.merge(5, 7, 5, 8, amount(p.funds.total));
    s.merge(6, 1, 6, 2, t("其中：财政拨款"));
    s.merge(6, 3, 6, 4, amount(Some(mid_total)));
    s.merge(6, 5, 6, 6, t("其中：财政拨款"));
    s.merge(6, 7, 6, 8, amount(p.funds.fiscal));
    s.merge(7, 1, 7, 2, t("其他资金"));
    s.merge(7, 3, 7, 4, amount(Some(Decimal::new(0, 2))));
    s.merge(7, 5, 7, 6, t("其他资金"));
    s.merge(7, 7, 7, 8, amount(p.funds.other));
    s.merge(8, 0, 9, 0, t("总体目标"));
    s.merge(8, 1, 8, 4, t("中期目标（2022年—2024年）"));
    s.merge(8, 5, 8, 8, t("年度目标"));
    s.merge(
        9,
        1,
        9,
        4,
        t("目标1：三年内城乡养老参保人数稳定在12000人以上。目标2：基础养老金按时足额发放。"),
    );
    s.merge(9, 5, 9, 8, t(&p.goal));
    s.merge(10, 0, 11 + p.indicators.len() as u32, 0, t("绩效指标"));
    s.merge(10, 1, 10, 4, t("中期绩效指标"));
    s.merge(10, 5, 10, 8, t("年度绩效指标"));
    for (c, h) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
    ]
    .iter()
    .enumerate()
    {
        s.put(11, c as u16 + 1, t(*h));
    }
    s.row = 12;
    let mid: Vec<Indicator> = p
        .indicators
        .iter()
        .map(|i| {
            let raw = match i.level3.as_str() {
                "预计参保人数" => "≥36000人",
                "发放次数" => "=3次",
                _ => i.value.raw.as_str(),
            };
            Indicator {
                value: jixiao_model::Value::parse(raw),
                ..i.clone()
            }
        })
        .collect();
    let r0 = s.row;
    indicator_rows(&mut s, &mid, Groups::Merged, &[(3, 3), (4, 4)], 1);
    s.row = r0;
    indicator_rows(&mut s, &p.indicators, Groups::Merged, &[(7, 7), (8, 8)], 5);
    save(path, &[s])
}
