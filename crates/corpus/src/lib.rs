//! Deterministic synthetic submissions for benchmarks and batch tests.
//!
//! [`generate`] writes N submission workbooks in the layouts departments really send (the
//! standard merged form, repeated or blank level cells without merges, a 序号 column with a
//! 备注 column, labels and values in one cell, several projects stacked in one sheet, a summary
//! sheet plus project sheets). [`big_workbook`] writes one workbook with thousands of projects
//! across many sheets. The same arguments always give the same bytes.
//!
//! ```no_run
//! let files = jixiao_corpus::generate(std::path::Path::new("/tmp/corpus"), 12, 7).unwrap();
//! assert_eq!(files.len(), 12);
//! ```

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::path::{Path, PathBuf};

/// A small deterministic generator (SplitMix64), so the corpus needs no `rand`.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// One element of a slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
    }
}

const UNITS: &[&str] = &[
    "和硕县民政局",
    "和硕县人力资源和社会保障局",
    "和硕县医疗保障局",
    "和硕县教育局",
    "和硕县农业农村局",
    "和硕县卫生健康委员会",
    "和硕县水利局",
    "和硕县交通运输局",
    "和硕县林业和草原局",
    "和硕县残疾人联合会",
];

const SUBJECTS: &[&str] = &[
    "城乡居民养老保险",
    "农村低保",
    "城市低保",
    "义务教育营养改善",
    "农村公路养护",
    "高标准农田建设",
    "基层医疗卫生机构运行",
    "森林草原防火",
    "农村饮水安全巩固提升",
    "困难残疾人生活补贴",
    "特困人员救助供养",
    "学前教育资助",
];

const KINDS: &[&str] = &[
    "补助资金",
    "县级配套项目",
    "专项资金",
    "工作经费",
    "财政补贴项目",
];

/// One synthetic project.
#[derive(Debug, Clone)]
pub struct Project {
    /// 预算单位.
    pub unit: String,
    /// 项目名称.
    pub name: String,
    /// 年度资金总额 as written (two decimals).
    pub total: String,
    /// 其中：财政拨款.
    pub fiscal: String,
    /// 其他资金.
    pub other: String,
    /// 项目总体目标.
    pub goal: String,
    /// (一级, 二级, 三级, 指标值).
    pub indicators: Vec<[String; 4]>,
}

/// A synthetic project; `n` makes its name unique within a corpus.
pub fn project(rng: &mut Rng, n: usize) -> Project {
    let subject = *rng.pick(SUBJECTS);
    let name = format!("{subject}{}（第{n}批）", rng.pick(KINDS));
    let cents = rng.range(500, 99_999);
    let other_cents = if rng.range(0, 3) == 0 {
        rng.range(0, cents / 4)
    } else {
        0
    };
    let money = |c: u64| format!("{}.{:02}", c / 100, c % 100);
    let people = rng.range(20, 20_000);
    let times = rng.range(1, 12);
    let mut indicators = Vec::new();
    let mut push =
        |l1: &str, l2: &str, l3: String, v: String| indicators.push([l1.into(), l2.into(), l3, v]);
    push(
        "产出指标",
        "数量指标",
        format!("{subject}受益人数"),
        format!("≥{people}人"),
    );
    push(
        "产出指标",
        "数量指标",
        format!("{subject}发放次数"),
        format!("={times}次"),
    );
    if rng.range(0, 1) == 0 {
        push(
            "产出指标",
            "数量指标",
            format!("{subject}覆盖乡镇数"),
            format!("={}个", rng.range(3, 12)),
        );
    }
    push(
        "产出指标",
        "质量指标",
        format!("{subject}资金发放精准率"),
        "≥95%".into(),
    );
    push(
        "产出指标",
        "质量指标",
        format!("{subject}补助覆盖率"),
        "=100%".into(),
    );
    push(
        "产出指标",
        "时效指标",
        format!("{subject}资金发放及时率"),
        format!("≥{}%", rng.range(85, 100)),
    );
    push(
        "产出指标",
        "成本指标",
        format!("每次发放{subject}资金数"),
        format!(
            "≤{}万元",
            money((cents + other_cents).div_ceil(times.max(1)))
        ),
    );
    push(
        "效益指标",
        "社会效益指标",
        format!("{subject}对象生活水平"),
        (*rng.pick(&["有效提升", "明显提高", "稳步提高"])).into(),
    );
    if rng.range(0, 2) == 0 {
        push(
            "效益指标",
            "可持续影响指标",
            format!("{subject}长效机制"),
            "持续推进".into(),
        );
    }
    push(
        "满意度指标",
        "服务对象满意度指标",
        format!("{subject}受益对象满意度"),
        format!("≥{}%", rng.range(85, 98)),
    );
    Project {
        unit: (*rng.pick(UNITS)).into(),
        name,
        total: money(cents + other_cents),
        fiscal: money(cents),
        other: money(other_cents),
        goal: format!(
            "目标1: 保障{people}名{subject}对象按时足额领取补助。目标2: 资金发放准确率达到95%以上, 群众满意度稳步提高。"
        ),
        indicators,
    }
}

/// The layouts [`generate`] cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// The standard 7-column form with merged cells.
    Standard,
    /// Four plain columns, level 1/2 repeated on every row, no merges, no title.
    Flat,
    /// A 序号 column before and a 备注 column after; level cells blank below the first row.
    Numbered,
    /// Labels and values in one cell (`预算单位：…`).
    Inline,
    /// Several projects stacked in one sheet under one title.
    Stacked,
    /// A summary sheet (汇总表) plus one sheet per project.
    SummaryAndSheets,
}

/// Every layout, in the order [`generate`] uses them.
pub const LAYOUTS: &[Layout] = &[
    Layout::Standard,
    Layout::Flat,
    Layout::Numbered,
    Layout::Inline,
    Layout::Stacked,
    Layout::SummaryAndSheets,
];

struct Formats {
    title: Format,
    cell: Format,
    left: Format,
    money: Format,
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name("宋体")
            .set_font_size(10.5)
            .set_border(FormatBorder::Thin)
            .set_text_wrap();
        Formats {
            title: Format::new()
                .set_font_name("宋体")
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center),
            cell: base
                .clone()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            left: base.clone().set_align(FormatAlign::VerticalCenter),
            money: base.set_num_format("0.00").set_align(FormatAlign::Center),
        }
    }
}

fn workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let props = DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2022, 1, 1)?);
    wb.set_properties(&props);
    Ok(wb)
}

fn merge(
    ws: &mut Worksheet,
    r: u32,
    c1: u16,
    c2: u16,
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if c1 == c2 {
        ws.write_string_with_format(r, c1, text, f)?;
    } else {
        ws.merge_range(r, c1, r, c2, text, f)?;
    }
    Ok(())
}

fn money(ws: &mut Worksheet, r: u32, c: u16, text: &str, f: &Formats) -> Result<(), XlsxError> {
    ws.write_number_with_format(r, c, text.parse::<f64>().unwrap_or(0.0), &f.money)?;
    Ok(())
}

/// Writes a project in the standard merged form from row `r`; returns the next free row.
fn standard(
    ws: &mut Worksheet,
    mut r: u32,
    p: &Project,
    f: &Formats,
    title: bool,
) -> Result<u32, XlsxError> {
    if title {
        ws.merge_range(r, 0, r, 6, "项目支出绩效目标表", &f.title)?;
        ws.merge_range(r + 1, 0, r + 1, 6, "（2022年）", &f.title)?;
        r += 2;
    }
    ws.write_string_with_format(r, 0, "预算单位", &f.cell)?;
    merge(ws, r, 1, 3, &p.unit, &f.cell)?;
    ws.write_string_with_format(r, 4, "项目名称", &f.cell)?;
    merge(ws, r, 5, 6, &p.name, &f.cell)?;
    r += 1;
    for (c, label) in [
        (0, "项目资金（万元）"),
        (1, "年度资金总额："),
        (3, "其中：财政拨款"),
        (5, "其他资金"),
    ] {
        ws.write_string_with_format(r, c, label, &f.cell)?;
    }
    money(ws, r, 2, &p.total, f)?;
    money(ws, r, 4, &p.fiscal, f)?;
    money(ws, r, 6, &p.other, f)?;
    r += 1;
    ws.write_string_with_format(r, 0, "项目总体目标", &f.cell)?;
    merge(ws, r, 1, 6, &p.goal, &f.left)?;
    r += 1;
    for (c1, c2, label) in [
        (0, 0, "一级指标"),
        (1, 1, "二级指标"),
        (2, 4, "三级指标"),
        (5, 6, "指标值"),
    ] {
        merge(ws, r, c1, c2, label, &f.cell)?;
    }
    r += 1;
    let first = r;
    for ind in &p.indicators {
        merge(ws, r, 2, 4, &ind[2], &f.left)?;
        merge(ws, r, 5, 6, &ind[3], &f.cell)?;
        r += 1;
    }
    // Vertical merges over level-1 groups and, inside them, level-2 groups.
    for level in 0..2 {
        let mut start = 0;
        for i in 1..=p.indicators.len() {
            let same = i < p.indicators.len()
                && p.indicators[i][level] == p.indicators[start][level]
                && (level == 0 || p.indicators[i][0] == p.indicators[start][0]);
            if !same {
                let (a, b) = (first + start as u32, first + i as u32 - 1);
                let text = &p.indicators[start][level];
                if a == b {
                    ws.write_string_with_format(a, level as u16, text, &f.cell)?;
                } else {
                    ws.merge_range(a, level as u16, b, level as u16, text, &f.cell)?;
                }
                start = i;
            }
        }
    }
    Ok(r)
}

fn flat(ws: &mut Worksheet, p: &Project, f: &Formats) -> Result<(), XlsxError> {
    let rows: Vec<Vec<&str>> = vec![
        vec!["预算单位", &p.unit, "项目名称", &p.name],
        vec![
            "年度资金总额",
            &p.total,
            "财政拨款",
            &p.fiscal,
            "其他资金",
            &p.other,
        ],
        vec!["项目总体目标", &p.goal],
        vec!["一级指标", "二级指标", "三级指标", "年度指标值"],
    ];
    let mut r = 0;
    for row in rows {
        for (c, text) in row.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, *text, &f.cell)?;
        }
        r += 1;
    }
    for ind in &p.indicators {
        for (c, text) in ind.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, text, &f.cell)?;
        }
        r += 1;
    }
    Ok(())
}

fn numbered(ws: &mut Worksheet, p: &Project, f: &Formats) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, 5, "项目支出绩效目标表", &f.title)?;
    ws.write_string_with_format(1, 0, "预算单位", &f.cell)?;
    ws.merge_range(1, 1, 1, 5, &p.unit, &f.cell)?;
    ws.write_string_with_format(2, 0, "项目名称", &f.cell)?;
    ws.merge_range(2, 1, 2, 5, &p.name, &f.cell)?;
    ws.write_string_with_format(3, 0, "项目资金（万元）", &f.cell)?;
    ws.write_string_with_format(3, 1, "年度资金总额", &f.cell)?;
    money(ws, 3, 2, &p.total, f)?;
    ws.write_string_with_format(3, 3, "财政拨款", &f.cell)?;
    money(ws, 3, 4, &p.fiscal, f)?;
    ws.write_string_with_format(3, 5, format!("其他资金：{}", p.other), &f.cell)?;
    ws.write_string_with_format(4, 0, "项目总体目标", &f.cell)?;
    ws.merge_range(4, 1, 4, 5, &p.goal, &f.left)?;
    for (c, h) in ["序号", "一级指标", "二级指标", "三级指标", "指标值", "备注"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(5, c as u16, *h, &f.cell)?;
    }
    let mut prev: [&str; 2] = ["", ""];
    for (i, ind) in p.indicators.iter().enumerate() {
        let r = 6 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.cell)?;
        let l1 = if ind[0] == prev[0] {
            ""
        } else {
            ind[0].as_str()
        };
        let l2 = if ind[1] == prev[1] && l1.is_empty() {
            ""
        } else {
            ind[1].as_str()
        };
        ws.write_string_with_format(r, 1, l1, &f.cell)?;
        ws.write_string_with_format(r, 2, l2, &f.cell)?;
        ws.write_string_with_format(r, 3, &ind[2], &f.left)?;
        ws.write_string_with_format(r, 4, &ind[3], &f.cell)?;
        ws.write_string_with_format(r, 5, "", &f.cell)?;
        prev = [&ind[0], &ind[1]];
    }
    Ok(())
}

fn inline(ws: &mut Worksheet, p: &Project, f: &Formats) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, 3, "项目支出绩效目标表（2022年）", &f.title)?;
    ws.merge_range(1, 0, 1, 1, &format!("预算单位：{}", p.unit), &f.left)?;
    ws.merge_range(1, 2, 1, 3, &format!("项目名称：{}", p.name), &f.left)?;
    ws.merge_range(2, 0, 2, 3, &format!("年度资金总额：{}", p.total), &f.left)?;
    ws.merge_range(3, 0, 3, 3, &format!("项目总体目标：{}", p.goal), &f.left)?;
    for (c, h) in [
        "一级\n指标",
        "二级\n指标",
        "三 级 指 标",
        "指标值（包含数字及文字描述）",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(4, c as u16, *h, &f.cell)?;
    }
    for (i, ind) in p.indicators.iter().enumerate() {
        for (c, text) in ind.iter().enumerate() {
            ws.write_string_with_format(5 + i as u32, c as u16, text, &f.cell)?;
        }
    }
    Ok(())
}

fn summary_sheet(ws: &mut Worksheet, projects: &[Project], f: &Formats) -> Result<(), XlsxError> {
    ws.merge_range(
        0,
        0,
        0,
        3,
        "2022年度和硕县重大政策和重点项目绩效目标汇总表",
        &f.title,
    )?;
    for (c, h) in ["序号", "部门单位", "项目名称", "年度资金总额（万元）"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(1, c as u16, *h, &f.cell)?;
    }
    for (i, p) in projects.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_number_with_format(r, 0, (i + 1) as f64, &f.cell)?;
        ws.write_string_with_format(r, 1, format!("新疆巴州{}", p.unit), &f.cell)?;
        ws.write_string_with_format(r, 2, &p.name, &f.cell)?;
        money(ws, r, 3, &p.total, f)?;
    }
    let last = 2 + projects.len() as u32;
    ws.merge_range(last, 0, last, 2, "合计", &f.cell)?;
    let sum: f64 = projects
        .iter()
        .map(|p| p.total.parse::<f64>().unwrap_or(0.0))
        .sum();
    ws.write_formula_with_format(last, 3, format!("=SUM(D3:D{last})").as_str(), &f.money)?
        .set_formula_result(last, 3, format!("{:.2}", sum));
    Ok(())
}

fn widths(ws: &mut Worksheet) -> Result<(), XlsxError> {
    for c in 0..7 {
        ws.set_column_width(c, 16)?;
    }
    Ok(())
}

/// Writes one submission workbook in `layout` with `projects`.
///
/// # Errors
///
/// An [`XlsxError`] when rust_xlsxwriter refuses a cell or a setting (generated data does not
/// cause it).
pub fn workbook_bytes(layout: Layout, projects: &[Project]) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = workbook()?;
    match layout {
        Layout::Standard | Layout::Flat | Layout::Numbered | Layout::Inline => {
            let ws = wb.add_worksheet().set_name("绩效目标表")?;
            widths(ws)?;
            match layout {
                Layout::Standard => standard(ws, 0, &projects[0], &f, true).map(|_| ())?,
                Layout::Flat => flat(ws, &projects[0], &f)?,
                Layout::Numbered => numbered(ws, &projects[0], &f)?,
                _ => inline(ws, &projects[0], &f)?,
            }
        }
        Layout::Stacked => {
            let ws = wb.add_worksheet().set_name("项目")?;
            widths(ws)?;
            stacked(ws, projects, &f)?;
        }
        Layout::SummaryAndSheets => {
            let ws = wb.add_worksheet().set_name("汇总表")?;
            widths(ws)?;
            summary_sheet(ws, projects, &f)?;
            for (i, p) in projects.iter().enumerate() {
                let ws = wb.add_worksheet().set_name(format!("项目{}", i + 1))?;
                widths(ws)?;
                standard(ws, 0, p, &f, true)?;
            }
        }
    }
    wb.save_to_buffer()
}

fn stacked(ws: &mut Worksheet, projects: &[Project], f: &Formats) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, 6, "项目支出绩效目标表", &f.title)?;
    ws.merge_range(1, 0, 1, 6, "（2022年）", &f.title)?;
    let mut r = 2;
    for (i, p) in projects.iter().enumerate() {
        r = standard(ws, r, p, f, false)?;
        if i % 2 == 0 {
            r += 1; // a blank row between some of them
        }
    }
    Ok(())
}

/// Writes `n` submission workbooks into `dir` (created if needed), cycling through the
/// layouts; file names are `NNNN_layout.xlsx`. Returns the paths written.
///
/// # Errors
///
/// An I/O error when the folder cannot be created or a file cannot be written.
pub fn generate(dir: &Path, n: usize, seed: u64) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut counter = 0;
    let mut paths = Vec::with_capacity(n);
    for i in 0..n {
        let layout = LAYOUTS[i % LAYOUTS.len()];
        let count = match layout {
            Layout::Stacked => rng.range(2, 4) as usize,
            Layout::SummaryAndSheets => rng.range(2, 5) as usize,
            _ => 1,
        };
        let projects: Vec<Project> = (0..count)
            .map(|_| {
                counter += 1;
                project(&mut rng, counter)
            })
            .collect();
        let bytes = workbook_bytes(layout, &projects).map_err(std::io::Error::other)?;
        let sub = dir.join(format!("dept{:02}", i % 20));
        std::fs::create_dir_all(&sub)?;
        let path = sub.join(format!("{i:04}_{layout:?}.xlsx").to_lowercase());
        std::fs::write(&path, bytes)?;
        paths.push(path);
    }
    Ok(paths)
}

/// Writes one workbook with `projects` projects stacked over `sheets` sheets.
///
/// # Errors
///
/// An I/O error when the file cannot be written (or the workbook cannot be built).
pub fn big_workbook(path: &Path, projects: usize, sheets: usize, seed: u64) -> std::io::Result<()> {
    let f = Formats::new();
    let mut rng = Rng::new(seed);
    let mut wb = workbook().map_err(std::io::Error::other)?;
    let per_sheet = projects.div_ceil(sheets.max(1));
    let mut made = 0;
    for s in 0..sheets {
        let ws = wb
            .add_worksheet()
            .set_name(format!("第{}部分", s + 1))
            .map_err(std::io::Error::other)?;
        widths(ws).map_err(std::io::Error::other)?;
        let mut r = 0;
        for _ in 0..per_sheet {
            if made == projects {
                break;
            }
            made += 1;
            let p = project(&mut rng, made);
            r = standard(ws, r, &p, &f, true).map_err(std::io::Error::other)? + 1;
        }
    }
    std::fs::write(path, wb.save_to_buffer().map_err(std::io::Error::other)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_deterministic_and_varied() {
        let a = tempdir("a");
        let b = tempdir("b");
        let pa = generate(&a, 7, 42).unwrap();
        let pb = generate(&b, 7, 42).unwrap();
        for (x, y) in pa.iter().zip(&pb) {
            assert_eq!(
                std::fs::read(x).unwrap(),
                std::fs::read(y).unwrap(),
                "{}",
                x.display()
            );
        }
        let names: Vec<String> = pa
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names[0], "0000_standard.xlsx");
        assert_eq!(names[5], "0005_summaryandsheets.xlsx");
        std::fs::remove_dir_all(a).unwrap();
        std::fs::remove_dir_all(b).unwrap();
    }

    fn tempdir(tag: &str) -> PathBuf {
        std::env::temp_dir().join(format!("jixiao-corpus-{tag}-{}", std::process::id()))
    }
}
