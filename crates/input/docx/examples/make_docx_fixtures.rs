//! Writes the generated Word fixtures in `fixtures/docx/` and `fixtures/docx/bad/`: project
//! tables as departments type them in Word (vertically merged 一级/二级 cells, title paragraphs
//! between tables, tracked changes, a table nested in a layout table, hidden text, content
//! controls), with invented data. Deterministic: the same source gives the same bytes.
//!
//! Run from the repository root: `cargo run -p jixiao-docx --example make_docx_fixtures`.
//! (`fixtures/docx/heshuo-2022.docx` is not written here: LibreOffice made it once from
//! `fixtures/html/heshuo-2022.html`, see `fixtures/README.md`.)

use std::io::Write;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A paragraph of plain runs.
fn p(text: &str) -> String {
    if text.is_empty() {
        return "<w:p/>".into();
    }
    format!(
        "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    )
}

/// A bold centred title paragraph, as clerks format them.
fn title(text: &str) -> String {
    format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:b/><w:sz w:val=\"36\"/></w:rPr><w:t>{}</w:t></w:r></w:p>",
        esc(text)
    )
}

/// A table cell: properties (`w:gridSpan`, `w:vMerge`) and body XML.
fn tc_xml(props: &str, body: &str) -> String {
    format!("<w:tc><w:tcPr><w:tcW w:w=\"1200\" w:type=\"dxa\"/>{props}</w:tcPr>{body}</w:tc>")
}

fn tc(text: &str) -> String {
    tc_xml("", &p(text))
}

fn span(text: &str, n: u32) -> String {
    tc_xml(&format!("<w:gridSpan w:val=\"{n}\"/>"), &p(text))
}

fn restart(text: &str) -> String {
    tc_xml("<w:vMerge w:val=\"restart\"/>", &p(text))
}

fn cont() -> String {
    tc_xml("<w:vMerge/>", "<w:p/>")
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn tbl(cols: usize, rows: &[String]) -> String {
    let grid: String = (0..cols).map(|_| "<w:gridCol w:w=\"1200\"/>").collect();
    format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"0\" w:type=\"auto\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

/// A project's data.
struct Project {
    unit: &'static str,
    name: &'static str,
    funds: [&'static str; 3],
    goal: &'static str,
    indicators: &'static [[&'static str; 4]],
}

const ROADS: Project = Project {
    unit: "示例县交通运输局",
    name: "农村公路养护项目",
    funds: ["120.5", "120.5", "0"],
    goal: "目标1: 完成农村公路日常养护里程356公里。目标2: 保障农村公路安全畅通, 方便群众出行。",
    indicators: &[
        ["产出指标", "数量指标", "日常养护里程", "≥356公里"],
        ["产出指标", "数量指标", "养护道班数", "=12个"],
        ["产出指标", "质量指标", "养护路段优良率", "≥85%"],
        ["产出指标", "时效指标", "养护资金拨付及时率", "=100%"],
        ["产出指标", "成本指标", "每公里养护成本", "≤0.34万元"],
        ["效益指标", "社会效益指标", "群众出行条件", "明显改善"],
        ["满意度指标", "满意度指标", "沿线群众满意度", "≥90%"],
    ],
};

const SCHOOL: Project = Project {
    unit: "示例县教育局",
    name: "义务教育学生营养改善计划",
    funds: ["268.8", "268.8", "0"],
    goal: "为全县义务教育阶段学生提供营养膳食补助, 改善学生营养状况。",
    indicators: &[
        ["产出指标", "数量指标", "受益学生人数", "=5600人"],
        ["产出指标", "质量指标", "膳食补助覆盖率", "=100%"],
        ["产出指标", "时效指标", "补助资金发放及时率", "≥95%"],
        ["产出指标", "成本指标", "生均每天补助标准", "=5元"],
        ["效益指标", "社会效益指标", "学生营养状况", "有效改善"],
        ["满意度指标", "满意度指标", "学生家长满意度", "≥95%"],
    ],
};

/// The four header rows of a project table (7 grid columns, as the standard form).
fn header(project: &Project) -> Vec<String> {
    vec![
        tr(&[
            tc("预算单位"),
            span(project.unit, 3),
            tc("项目名称"),
            span(project.name, 2),
        ]),
        tr(&[
            tc("项目资金(万元)"),
            tc("年度资金总额:"),
            tc(project.funds[0]),
            tc("其中:财政拨款"),
            tc(project.funds[1]),
            tc("其他资金"),
            tc(project.funds[2]),
        ]),
        tr(&[tc("项目总体目标"), span(project.goal, 6)]),
        tr(&[
            tc("一级指标"),
            tc("二级指标"),
            span("三级指标", 3),
            span("指标值", 2),
        ]),
    ]
}

/// A project table whose 一级/二级 labels are vertically merged over their groups.
fn merged_table(project: &Project) -> String {
    let mut rows = header(project);
    let ind = project.indicators;
    for (i, [l1, l2, l3, value]) in ind.iter().enumerate() {
        let first1 = i == 0 || ind[i - 1][0] != *l1;
        let first2 = first1 || ind[i - 1][1] != *l2;
        rows.push(tr(&[
            if first1 { restart(l1) } else { cont() },
            if first2 { restart(l2) } else { cont() },
            span(l3, 3),
            span(value, 2),
        ]));
    }
    tbl(7, &rows)
}

fn titles(unit: &str) -> String {
    [
        title("项目支出绩效目标表"),
        p("（2022年）"),
        p(&format!("填报单位：{unit}          单位：万元")),
    ]
    .concat()
}

fn document(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" mc:Ignorable=\"w14\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1080\" w:bottom=\"1440\" w:left=\"1080\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

/// A minimal .docx package around a `word/document.xml`.
fn package(document_xml: &str) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document_xml.to_string()),
    ];
    for (name, content) in parts {
        zip.start_file(name, options).expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

/// The roads project with tracked changes: a value corrected (old deleted, new inserted), a
/// row's 三级指标 typed in as an insertion, a whole paragraph deleted, a moved run.
fn tracked() -> String {
    let ins = |text: &str| {
        format!(
            "<w:ins w:id=\"1\" w:author=\"科员\" w:date=\"2022-03-01T09:00:00Z\"><w:r><w:t>{}</w:t></w:r></w:ins>",
            esc(text)
        )
    };
    let del = |text: &str| {
        format!(
            "<w:del w:id=\"2\" w:author=\"科员\" w:date=\"2022-03-01T09:00:00Z\"><w:r><w:delText>{}</w:delText></w:r></w:del>",
            esc(text)
        )
    };
    let para = |runs: &str| format!("<w:p>{runs}</w:p>");
    let cell = |runs: &str, n: u32| {
        tc_xml(
            &if n > 1 {
                format!("<w:gridSpan w:val=\"{n}\"/>")
            } else {
                String::new()
            },
            &para(runs),
        )
    };
    let mut rows = header(&ROADS);
    let run = |t: &str| format!("<w:r><w:t>{}</w:t></w:r>", esc(t));
    rows.extend([
        tr(&[
            restart("产出指标"),
            restart("数量指标"),
            cell(&format!("{}{}", run("日常养护"), ins("里程")), 3),
            cell(&format!("{}{}{}", run("≥"), del("300"), ins("356公里")), 2),
        ]),
        tr(&[cont(), cont(), span("养护道班数", 3), span("=12个", 2)]),
        tr(&[
            cont(),
            restart("质量指标"),
            span("养护路段优良率", 3),
            cell(&format!("{}{}", del("≥80%"), ins("≥85%")), 2),
        ]),
        tr(&[cont(), restart("时效指标"), span("养护资金拨付及时率", 3), span("=100%", 2)]),
        tr(&[cont(), restart("成本指标"), span("每公里养护成本", 3), span("≤0.34万元", 2)]),
        tr(&[
            restart("效益指标"),
            restart("社会效益指标"),
            cell(
                &format!(
                    "<w:moveFrom w:id=\"3\" w:author=\"科员\"><w:r><w:t>（已移走）</w:t></w:r></w:moveFrom>{}<w:moveTo w:id=\"4\" w:author=\"科员\"><w:r><w:t>条件</w:t></w:r></w:moveTo>",
                    run("群众出行")
                ),
                3,
            ),
            span("明显改善", 2),
        ]),
        tr(&[
            restart("满意度指标"),
            restart("满意度指标"),
            span("沿线群众满意度", 3),
            span("≥90%", 2),
        ]),
    ]);
    let deleted_para = format!(
        "<w:p><w:pPr><w:rPr><w:del w:id=\"5\" w:author=\"科员\"/></w:rPr></w:pPr>{}</w:p>",
        del("（此稿作废）")
    );
    document(&[titles(ROADS.unit), deleted_para, tbl(7, &rows)].concat())
}

/// The school project inside the right cell of a two-column layout table.
fn nested() -> String {
    let layout = tbl(
        2,
        &[tr(&[
            tc_xml("", &[p("附件2"), p("（内部存档，无需上报）")].concat()),
            tc_xml(
                "",
                &[
                    title("项目支出绩效目标表"),
                    p("（2022年）"),
                    merged_table(&SCHOOL),
                    p(""),
                ]
                .concat(),
            ),
        ])],
    );
    document(
        &[
            p("示例县教育局关于报送2022年绩效目标的函"),
            layout,
            p("联系人：张三"),
        ]
        .concat(),
    )
}

/// The school project with hidden text (a note to self, hidden runs in a cell) and content
/// controls around a value, a whole cell and a whole row.
fn hidden_controls() -> String {
    let hidden = |text: &str| {
        format!(
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>{}</w:t></w:r>",
            esc(text)
        )
    };
    let sdt_run = |text: &str| {
        format!(
            "<w:sdt><w:sdtPr><w:alias w:val=\"指标值\"/><w:tag w:val=\"value\"/><w:showingPlcHdr/><w:placeholder><w:docPart w:val=\"DefaultPlaceholder\"/></w:placeholder></w:sdtPr><w:sdtContent><w:r><w:t>{}</w:t></w:r></w:sdtContent></w:sdt>",
            esc(text)
        )
    };
    let mut rows = header(&SCHOOL);
    rows.extend([
        tr(&[
            restart("产出指标"),
            restart("数量指标"),
            span("受益学生人数", 3),
            tc_xml(
                "<w:gridSpan w:val=\"2\"/>",
                &format!("<w:p>{}{}</w:p>", sdt_run("=5600人"), hidden("（去年5400人）")),
            ),
        ]),
        // A content control around a whole cell.
        tr(&[
            cont(),
            restart("质量指标"),
            span("膳食补助覆盖率", 3),
            format!(
                "<w:sdt><w:sdtPr><w:id w:val=\"7\"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>",
                span("=100%", 2)
            ),
        ]),
        // A content control around a whole row (a repeating section).
        format!(
            "<w:sdt><w:sdtPr><w:id w:val=\"8\"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>",
            tr(&[cont(), restart("时效指标"), span("补助资金发放及时率", 3), span("≥95%", 2)])
        ),
        tr(&[cont(), restart("成本指标"), span("生均每天补助标准", 3), span("=5元", 2)]),
        tr(&[
            restart("效益指标"),
            restart("社会效益指标"),
            tc_xml(
                "<w:gridSpan w:val=\"3\"/>",
                &format!("<w:p><w:r><w:t>学生营养状况</w:t></w:r>{}</w:p>", hidden("（待核实）")),
            ),
            span("有效改善", 2),
        ]),
        tr(&[
            restart("满意度指标"),
            restart("满意度指标"),
            span("学生家长满意度", 3),
            span("≥95%", 2),
        ]),
    ]);
    let hidden_para = format!("<w:p>{}</w:p>", hidden("填表说明：本段隐藏，不打印"));
    document(&[titles(SCHOOL.unit), hidden_para, tbl(7, &rows)].concat())
}

/// The year-end 项目支出绩效自评表 (财预〔2020〕10号) of the roads project, as a unit types it
/// in Word: 10 grid columns, 项目资金 merged down over its four lines, 年度总体目标 over its
/// 预期目标 and 实际完成情况, 一级/二级 merged down, the 自评 columns and the 总分 row.
fn self_evaluation() -> String {
    let row = |l1: String, l2: String, l3: &str, cells: [&str; 5]| {
        let [value, actual, weight, score, deviation] = cells;
        tr(&[
            l1,
            l2,
            span(l3, 2),
            tc(value),
            tc(actual),
            tc(weight),
            tc(score),
            span(deviation, 2),
        ])
    };
    let funds = |label: &str, cells: [&str; 6]| {
        let mut row = vec![cont(), span(label, 1)];
        row.extend(cells.iter().map(|c| tc(c)));
        tr(&row)
    };
    let rows = vec![
        tr(&[span("项目名称", 2), span(ROADS.name, 8)]),
        tr(&[
            span("主管部门", 2),
            span(ROADS.unit, 3),
            span("实施单位", 2),
            span("示例县公路养护站", 3),
        ]),
        tr(&[
            restart("项目资金（万元）"),
            tc(""),
            tc("年初预算数"),
            tc("全年预算数"),
            tc("全年执行数"),
            tc("分值"),
            tc("执行率"),
            tc("得分"),
            span("", 2),
        ]),
        funds(
            "年度资金总额",
            ["120.5", "120.5", "118.09", "10", "98%", "9.8"],
        ),
        funds(
            "其中：当年财政拨款",
            ["120.5", "120.5", "118.09", "—", "98%", "—"],
        ),
        funds("上年结转资金", ["", "", "", "—", "", "—"]),
        funds("其他资金", ["0", "0", "0", "—", "", "—"]),
        tr(&[
            restart("年度总体目标"),
            span("预期目标", 4),
            span("实际完成情况", 5),
        ]),
        tr(&[
            cont(),
            span("完成农村公路日常养护里程356公里，保障农村公路安全畅通。", 4),
            span("完成日常养护里程350公里，农村公路安全畅通。", 5),
        ]),
        tr(&[
            tc("一级指标"),
            tc("二级指标"),
            span("三级指标", 2),
            tc("年度指标值"),
            tc("实际完成值"),
            tc("分值"),
            tc("得分"),
            span("偏差原因分析及改进措施", 2),
        ]),
        row(
            restart("产出指标"),
            restart("数量指标"),
            "日常养护里程",
            [
                "≥356公里",
                "350公里",
                "20",
                "18",
                "6公里路段因汛期水毁改为次年修复",
            ],
        ),
        row(
            cont(),
            cont(),
            "养护道班数",
            ["=12个", "12个", "10", "10", ""],
        ),
        row(
            cont(),
            tc("质量指标"),
            "养护路段优良率",
            ["≥85%", "87%", "10", "10", ""],
        ),
        row(
            cont(),
            tc("成本指标"),
            "每公里养护成本",
            ["≤0.34万元", "0.33万元", "10", "10", ""],
        ),
        row(
            restart("效益指标"),
            tc("社会效益指标"),
            "群众出行条件",
            ["明显改善", "明显改善", "15", "15", ""],
        ),
        row(
            cont(),
            tc("可持续影响指标"),
            "道路使用年限",
            ["≥8年", "8年", "15", "15", ""],
        ),
        row(
            tc("满意度指标"),
            tc("服务对象满意度指标"),
            "沿线群众满意度",
            ["≥90%", "93%", "10", "10", ""],
        ),
        tr(&[
            span("总分", 6),
            tc("100"),
            tc("97.8"),
            tc("自评等级"),
            tc("优"),
        ]),
    ];
    [
        title("项目支出绩效自评表"),
        p("（2023年度）"),
        tbl(10, &rows),
    ]
    .concat()
}

fn write(path: &str, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    println!("wrote {path} ({} bytes)", bytes.len());
}

fn main() {
    let dir = "fixtures/docx";
    write(
        &format!("{dir}/merged-levels.docx"),
        &package(&document(
            &[titles(ROADS.unit), merged_table(&ROADS)].concat(),
        )),
    );
    write(
        &format!("{dir}/two-projects.docx"),
        &package(&document(
            &[
                titles(ROADS.unit),
                merged_table(&ROADS),
                p(""),
                p("填表人：李四    联系电话：0996-1234567"),
                titles(SCHOOL.unit),
                merged_table(&SCHOOL),
            ]
            .concat(),
        )),
    );
    write(
        &format!("{dir}/self-evaluation.docx"),
        &package(&document(&self_evaluation())),
    );
    write(&format!("{dir}/tracked-changes.docx"), &package(&tracked()));
    write(&format!("{dir}/nested.docx"), &package(&nested()));
    write(
        &format!("{dir}/hidden-controls.docx"),
        &package(&hidden_controls()),
    );
    write(
        &format!("{dir}/bad/no-table.docx"),
        &package(&document(
            &[
                title("关于报送2022年项目支出绩效目标的说明"),
                p("我单位2022年项目支出绩效目标表见附件，请审核。"),
                p("示例县交通运输局"),
            ]
            .concat(),
        )),
    );
    let seed = std::fs::read(format!("{dir}/heshuo-2022.docx")).expect("the seed .docx");
    write(
        &format!("{dir}/bad/truncated.docx"),
        &seed[..seed.len() / 2],
    );
}
