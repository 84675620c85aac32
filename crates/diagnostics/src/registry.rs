//! The registry of every diagnostic code: code, family, severity, title, explanation, example.
//!
//! This table is the one place a code is defined: the `registry!` invocation at the end of
//! this file generates both [`Code`] (the typed key every diagnostic carries, `Code::R101`) and
//! [`CODES`] (the entries, in the same order) from it, so that there is no second list to keep
//! in step. `jixiao explain CODE` prints an entry, `jixiao rules` lists them by family, and
//! every diagnostic's severity is its code's ([`Diagnostic::new`](crate::Diagnostic::new) takes
//! it from here). A test fails when an entry here is emitted nowhere.
//!
//! **Adding a code** is one `code(…)` entry in the table, in code order; its family and stage
//! follow from its prefix ([`FAMILIES`]). Messages stay at the call site (they name the cell and
//! the values); the entry explains the code in general, for the clerk who looks it up.
//!
//! ```
//! use jixiao_diagnostics::Code;
//! use jixiao_diagnostics::registry::{self, Field, Stage};
//! let r106 = Code::R106.entry();
//! assert_eq!(Code::R106.family().name, "识别");
//! assert_eq!(Code::R106.family().stage, Stage::Recognize);
//! assert!(r106.unread.is_some_and(|u| u.fields.contains(&Field::Value)));
//! assert!(registry::explain("R101").unwrap().contains("错位"));
//! assert_eq!("r106".parse::<Code>(), Ok(Code::R106));
//! ```

use crate::Severity;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::fmt::Write as _;

/// A group of codes from one stage, named by the code prefix (`I31` Excel reader, `C2` review).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// The code prefix shared by the family, e.g. `I31` or `C2`.
    pub prefix: &'static str,
    /// The family's name in Chinese, e.g. `审核`.
    pub name: &'static str,
    /// Which stage (crate) reports it.
    pub from: &'static str,
    /// The stage of the pipeline that reports it.
    pub stage: Stage,
}

/// The stage of the pipeline a family of codes comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Reading a file into grids (`I3xx`).
    Read,
    /// Recognizing the tables in the grids (`R1xx`).
    Recognize,
    /// The review rules over the recognized tables (`C2xx`).
    Review,
    /// Writing the standard form: layout, XLSX and PDF (`L40x`, `X40x`, `P50x`).
    Write,
}

/// Every family, in code order. A code belongs to the family with the longest matching prefix.
pub static FAMILIES: &[Family] = &[
    Family {
        prefix: "I30",
        stage: Stage::Read,
        name: "读取文件",
        from: "读取与编码识别（jixiao）",
    },
    Family {
        prefix: "I31",
        stage: Stage::Read,
        name: "读取 Excel",
        from: "Excel/ODS 读取（jixiao-excel）",
    },
    Family {
        prefix: "I32",
        stage: Stage::Read,
        name: "读取网页",
        from: "HTML 读取（jixiao-html）",
    },
    Family {
        prefix: "I33",
        stage: Stage::Read,
        name: "读取 Word",
        from: "Word 读取（jixiao-docx）",
    },
    Family {
        prefix: "I34",
        stage: Stage::Read,
        name: "读取文本形状",
        from: "Markdown/文本读取（jixiao-markdown）：“|”、每格一行或一段、空格对齐",
    },
    Family {
        prefix: "I35",
        stage: Stage::Read,
        name: "读取 PDF",
        from: "PDF 读取（jixiao-pdf-input）：边框表格、表外文字、跨页表格",
    },
    Family {
        prefix: "I36",
        stage: Stage::Read,
        name: "读取 PDF：删除线",
        from: "PDF 读取（jixiao-pdf-input）：划掉的文字",
    },
    Family {
        prefix: "R1",
        stage: Stage::Recognize,
        name: "识别",
        from: "表格识别（jixiao-recognize）",
    },
    Family {
        prefix: "C2",
        stage: Stage::Review,
        name: "审核",
        from: "审核规则（jixiao-check）",
    },
    Family {
        prefix: "L40",
        stage: Stage::Write,
        name: "标准格式",
        from: "标准格式排版（jixiao-layout），XLSX 与 PDF 共用",
    },
    Family {
        prefix: "X40",
        stage: Stage::Write,
        name: "XLSX 输出",
        from: "XLSX 写出（jixiao-xlsx）",
    },
    Family {
        prefix: "P50",
        stage: Stage::Write,
        name: "PDF 输出",
        from: "PDF 写出（jixiao-pdf）",
    },
];

/// A field of an indicator row (一级指标, 二级指标, 三级指标, 指标值).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Level3,
    /// 指标值.
    Value,
}

/// How far a finding that a field could not be read reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reach {
    /// The indicator row at the diagnostic's location.
    Row,
    /// Every indicator of the table whose header is at the diagnostic's location (the first
    /// table whose indicators follow it in the same file and sheet).
    Table,
}

/// Fields the recognizer could not read, so that the review does not report them again as
/// empty: a finding never rests on a field the recognizer failed to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unread {
    /// The fields concerned.
    pub fields: &'static [Field],
    /// Which indicators.
    pub reach: Reach,
}

/// One registered code: what `jixiao explain` prints about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The code, e.g. [`Code::R101`].
    pub code: Code,
    /// The severity of every diagnostic with this code.
    pub severity: Severity,
    /// A short name, in Chinese.
    pub title: &'static str,
    /// What it means, why it matters and what to do, in Chinese.
    pub explanation: &'static str,
    /// An example message or situation.
    pub example: &'static str,
    /// For recognizer codes that mean a field could not be read: which, and how far.
    pub unread: Option<Unread>,
}

impl Entry {
    /// The family this code belongs to.
    pub fn family(&self) -> &'static Family {
        self.code.family()
    }

    /// Marks a recognizer code as meaning that `fields` could not be read, as far as `reach`.
    const fn unread(mut self, fields: &'static [Field], reach: Reach) -> Entry {
        self.unread = Some(Unread { fields, reach });
        self
    }
}

impl Code {
    /// Its entry in the registry.
    pub fn entry(self) -> &'static Entry {
        &CODES[self as usize]
    }

    /// The severity of every diagnostic with this code.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }

    /// Its family (the longest matching prefix in [`FAMILIES`]).
    pub fn family(self) -> &'static Family {
        family_of(self.as_str()).unwrap_or(&FAMILIES[0])
    }

    /// The stage that reports it.
    pub fn stage(self) -> Stage {
        self.family().stage
    }

    /// A reader's code (`I3xx`).
    pub fn is_read(self) -> bool {
        self.stage() == Stage::Read
    }

    /// A recognizer's code (`R1xx`).
    pub fn is_recognize(self) -> bool {
        self.stage() == Stage::Recognize
    }

    /// A review rule's code (`C2xx`).
    pub fn is_review(self) -> bool {
        self.stage() == Stage::Review
    }

    /// A writer's code (`L40x`, `X40x`, `P50x`).
    pub fn is_write(self) -> bool {
        self.stage() == Stage::Write
    }

    /// The registered code spelled `code` (case-insensitive), if any.
    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(code))
    }
}

/// `R101`.
impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code that the registry does not hold, with the message a clerk reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "诊断代码“{}”不是本版本 jixiao 登记的代码（可用 jixiao rules 查看全部代码；文件可能由其他版本生成）",
            self.0
        )
    }
}

impl std::error::Error for UnknownCode {}

impl std::str::FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::parse(s).ok_or_else(|| UnknownCode(s.to_string()))
    }
}

/// `d.code == "R101"` reads as the comparison it is.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// Written as its string, `"R101"` (the `jixiao/1` contract).
impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Read from its string; a code the registry lacks is an error that names it.
impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| serde::de::Error::custom(UnknownCode(s.into_owned())))
    }
}

/// The family of any code string, registered or not.
pub fn family_of(code: &str) -> Option<&'static Family> {
    FAMILIES
        .iter()
        .filter(|f| code.starts_with(f.prefix))
        .max_by_key(|f| f.prefix.len())
}

/// The entry for `code` (exact, case-insensitive).
pub fn lookup(code: &str) -> Option<&'static Entry> {
    Code::parse(code).map(Code::entry)
}

/// The codes of a family, in code order.
pub fn codes_of(family: &Family) -> impl Iterator<Item = &'static Entry> + '_ {
    CODES
        .iter()
        .filter(move |c| std::ptr::eq(c.family(), family))
}

/// The long explanation of a code, as `jixiao explain CODE` prints it; `None` for an unknown
/// code.
pub fn explain(code: &str) -> Option<String> {
    let c = lookup(code)?;
    let family = c.family();
    Some(format!(
        "{}  {}  {}\n\n类别：{}（{}）\n\n{}\n\n示例：{}\n",
        c.code,
        c.severity.label(),
        c.title,
        family.name,
        family.from,
        c.explanation,
        c.example
    ))
}

/// Every family and its codes, as `jixiao rules` prints it: one heading per family, then
/// `CODE  级别  标题` and the explanation and example of each code.
pub fn rules_text() -> String {
    let mut text = String::new();
    for family in FAMILIES {
        let _ = writeln!(
            text,
            "== {}（{}*，{}）==\n",
            family.name, family.prefix, family.from
        );
        for c in codes_of(family) {
            let _ = writeln!(
                text,
                "{}  {}  {}\n      说明：{}\n      示例：{}\n",
                c.code,
                c.severity.label(),
                c.title,
                c.explanation,
                c.example
            );
        }
    }
    text
}

use Severity::{Error, Info, Warning};

const fn code(
    code: Code,
    severity: Severity,
    title: &'static str,
    explanation: &'static str,
    example: &'static str,
) -> Entry {
    Entry {
        code,
        severity,
        title,
        explanation,
        example,
        unread: None,
    }
}

/// Generates [`Code`] (one variant per entry, documented with its title) and [`CODES`] (the
/// entries in the same order, so that `CODES[code as usize]` is `code`'s entry) from the one
/// table below.
macro_rules! registry {
    ($(
        code($code:ident, $severity:ident, $title:literal, $explanation:literal, $example:literal $(,)?)
        $(.unread($($unread:tt)*))?
    ),* $(,)?) => {
        /// A registered diagnostic code. Its severity, family, title and explanation come from
        /// the registry ([`Code::entry`]); it is written and read as its string, `"R101"`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(
                #[doc = concat!("`", stringify!($code), "` ", $title, ".")]
                $code,
            )*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as written, e.g. `"R101"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }
        }

        /// Every code's entry: family by family in the order of [`FAMILIES`], in code order
        /// within a family (the order of [`Code`]).
        pub static CODES: &[Entry] = &[
            $(
                code(Code::$code, $severity, $title, $explanation, $example)
                    $(.unread($($unread)*))?,
            )*
        ];
    };
}

registry! {
    // I30x: reading a file.
    code(
        I300,
        Error,
        "文件无法读取",
        "文件不存在、没有权限，或内容不是可识别的表格格式（Excel、网页、OCR 文本、JSON），整个文件没有转换。请确认文件路径，或把文件另存为 .xlsx 后再转换。",
        "budget.xlsx: 错误[I300]: 文件看起来是 Excel 工作簿，但已损坏或不完整",
    ),
    code(
        I303,
        Info,
        "文本编码已转换",
        "文本文件不是 UTF-8 编码（例如 GB18030/GBK，或带 BOM 的 UTF-16），已按检测到的编码转换后读取。内容不受影响，只是说明。",
        "文件编码为 GB18030，已转换为 UTF-8 读取",
    ),
    code(
        I304,
        Warning,
        "损坏的字节已替换",
        "文件中有按其编码无法解码的字节（文件在一个字的中间被截断，或夹有 0xFF、NUL 等字节），已替换为 U+FFFD（�）继续读取，并写明行、列和字节；请核对原件。",
        "第 3 行第 7 列有无法按 UTF-8 解码的字节（E5 BD），已替换为 U+FFFD（�），请核对原件",
    ),
    // I31x: Excel reader.
    code(
        I310,
        Info,
        "隐藏的工作表已跳过",
        "工作簿中隐藏的工作表通常是模板的辅助数据，不读取。如果其中有需要转换的表，请在 Excel 中取消隐藏后再转换。",
        "工作表“下拉选项”是隐藏的，已跳过",
    ),
    code(
        I311,
        Info,
        "图表页或宏表已跳过",
        "图表页和宏表没有单元格数据，不读取。",
        "工作表“Chart1”是图表页或宏表，不是数据表，已跳过",
    ),
    code(
        I312,
        Info,
        "xls/ods 的数字按存储值显示",
        "xls 和 ods 文件中的数字格式读不到，数字按存储的值读出（设置为百分比的 0.95 读作 0.95，设置两位小数的 3.9 读作 3.9）。请核对百分比和小数位数，或把文件另存为 .xlsx 再转换。",
        "XLS 文件不保存可读取的数字格式：本表 12 个数字单元格按存储的数值显示",
    ),
    code(
        I313,
        Warning,
        "单元格是错误值",
        "单元格显示的是 Excel 的错误值（如 #DIV/0!、#REF!），多为公式出错；按原样读取。请在源文件中修正公式。",
        "单元格显示错误值 #DIV/0!（公式出错），按原样读取",
    ),
    code(
        I314,
        Info,
        "空工作表已跳过",
        "工作表中没有任何内容，不读取。",
        "工作表“Sheet3”是空的，已跳过",
    ),
    code(
        I315,
        Info,
        "ODS 合并单元格无法读取",
        "ODS 文件的合并区域读不到，合并区域中除左上角外的单元格按空白处理；识别时空白的一级/二级指标会沿用上方的分组。",
        "ODS 文件的合并单元格无法读取，合并区域中除左上角外的单元格按空白处理",
    ),
    code(
        I316,
        Warning,
        "工作表过大，只读取一部分",
        "工作表的行数超出上限，只读取前面的行；其余内容没有转换。请把表格拆成几个工作表或几个文件。",
        "工作表过大（200000 行 × 30 列），只读取前 100000 行",
    ),
    code(
        I317,
        Warning,
        "合并区域重叠",
        "两个合并区域互相重叠（文件由其他软件生成时可能出现），后一个已忽略，其中的单元格按各自的内容读取。",
        "合并区域 A3:B4 与其他合并区域重叠，已忽略",
    ),
    code(
        I318,
        Warning,
        "合并区域中被覆盖的单元格有内容",
        "合并区域中除左上角外的单元格还有内容，Excel 不显示它，转换时也不读取。请确认这些文字是否需要。",
        "合并区域 A5:A8 中被覆盖的单元格还有内容“产出指标”，Excel 不显示它，已跳过",
    ),
    code(
        I319,
        Info,
        "合并区域中被覆盖的单元格重复了左上角的内容",
        "预算系统导出的表格常在合并区域的每个单元格里重复左上角的文字（如一级指标“产出”），这是导出的写法，不是错误；按合并区域读取，每个工作表只报告一次，给出个数和第一处。",
        "合并区域中 7 个被覆盖的单元格重复了左上角的文字（系统导出的写法），已按合并区域读取，第一处 A13",
    ),
    // I32x: HTML reader.
    code(
        I320,
        Warning,
        "rowspan/colspan 无效",
        "网页表格的 rowspan 或 colspan 不是有效的正整数，已按浏览器的做法读取（通常按 1）。",
        "rowspan=\"两\" 不是有效的正整数，按 1 读取",
    ),
    code(
        I321,
        Warning,
        "合并范围超出表格",
        "rowspan 或 colspan 超出了表格的行数或最大宽度，已按表格实际能容纳的范围读取。",
        "rowspan=9 超出了表格（以下只有 3 行），按 3 行读取",
    ),
    code(
        I322,
        Warning,
        "合并范围与上方单元格重叠",
        "单元格的 colspan 与上方跨行的单元格重叠，已缩小到能放下的列数。",
        "单元格“指标值”的 colspan=3 与上方跨行的单元格重叠，按 1 列读取",
    ),
    code(
        I323,
        Info,
        "嵌套表格单独读取",
        "单元格中嵌套的表格作为独立的表格读取，放在外层表格之后；外层单元格只保留自身的文字。",
        "单元格中嵌套的表格已作为独立的表格读取，放在外层表格之后",
    ),
    code(
        I324,
        Warning,
        "空表格已跳过",
        "网页中的表格没有任何单元格，不读取。",
        "表格是空的（没有任何单元格），已跳过",
    ),
    code(
        I325,
        Warning,
        "网页中没有表格",
        "网页中没有 <table>，只读取了其中的文字；绩效目标表通常是表格，请确认保存的是正确的页面。",
        "网页中没有表格（<table>），只读取了其中的文字",
    ),
    code(
        I326,
        Warning,
        "网页编码无法识别",
        "网页声明的字符编码无法识别，或内容不是该编码，已按 UTF-8 或 GB18030 读取。请核对转换结果中的中文。",
        "网页声明的编码“x-unknown”无法识别，已按 UTF-8 读取",
    ),
    code(
        I327,
        Error,
        "表格嵌套过深",
        "网页中的表格一层套一层，超过了能读取的层数（常见于未闭合的 <table>），从超出处起的内容未读取。请在浏览器或 Word 中打开后重新保存，或只保留绩效目标表。",
        "表格嵌套超过 64 层，从第 120 行第 15 列起的内容未读取",
    ),
    // I33x: Word (.docx) reader.
    code(
        I330,
        Info,
        "嵌套表格单独读取",
        "Word 单元格中嵌套的表格作为独立的表格读取，放在外层表格之后；外层单元格只保留自身的文字。",
        "单元格中嵌套的表格（表3）已作为独立的表格读取，放在外层表格之后",
    ),
    code(
        I331,
        Warning,
        "Word 文档中没有表格",
        "文档中没有 Word 表格，只读取了文字；绩效目标表须是 Word 表格（不能是图片或用空格、制表符排出的文字）。",
        "Word 文档中没有表格，只读取了其中的文字",
    ),
    code(
        I332,
        Warning,
        "向上合并但上方无单元格",
        "单元格标为与上方合并（vMerge），但上方没有可合并的单元格，按普通单元格读取。",
        "单元格标为与上方合并，但上方没有可合并的单元格，按普通单元格读取",
    ),
    code(
        I333,
        Warning,
        "合并单元格下被覆盖的文字",
        "合并单元格覆盖的部分还有文字，Word 不显示它，已跳过并写明文字。",
        "合并单元格中被覆盖的部分还有文字“备用”，Word 不显示它，已跳过",
    ),
    code(
        I334,
        Warning,
        "跨列数无效",
        "单元格的跨列数（gridSpan）不是有效的正整数或超出表格最大宽度，按 1 列或最大宽度读取。",
        "单元格的跨列数 gridSpan=\"0\" 不是有效的正整数，按 1 列读取",
    ),
    code(
        I335,
        Info,
        "修订按接受读取",
        "文档中有未处理的修订（插入、删除），按“接受所有修订”读取：插入的文字保留，删除的文字不读。",
        "文档中有未处理的修订（2 处插入、1 处删除），已按“接受所有修订”读取",
    ),
    code(
        I336,
        Info,
        "隐藏文字未读取",
        "设置了“隐藏”格式的文字打印时不显示，不作为表格内容读取。",
        "文档中有 3 处隐藏文字（设置了“隐藏”格式，打印时不显示），已不读取",
    ),
    // I34x: text shapes (Markdown/text reader).
    code(
        I340,
        Info,
        "网页附带内容已跳过",
        "从网页复制的文字中，表格前后的导航、索引号、发布机构、发布日期、图片等不属于表格，已跳过并写明。",
        "网页附带的内容（导航、索引号、发布信息、图片），不属于表格，已跳过：“索引号：…”",
    ),
    code(
        I341,
        Info,
        "等宽排版中折行的标签已合并",
        "用空格对齐的表格中，某行只有上一行标签折下来的后半（如“经济效益”/“指标”），已与上一行合并，该行不算一行。",
        "第 12 行只有“指标”，是上一行“经济效益”在等宽排版中折行的后半，已合并为“经济效益指标”",
    ),
    // I35x: PDF reader.
    code(
        I350,
        Warning,
        "PDF 页面没有文字层",
        "PDF 中有的页面只有图片（扫描件），没有可读取的文字，这些页的内容未读取。如其中有绩效目标表，请先用 OCR 工具识别为 Markdown、HTML 或 Excel 后再转换。",
        "第3页没有文字层（是扫描或图片），其内容未读取",
    ),
    code(
        I351,
        Info,
        "仿粗体重复字形只读一次",
        "有的 PDF 用“同一个字错开一点再画一次”来模拟粗体；这样重复绘制的字只读取一次。",
        "第2页有 12 个字是重复绘制的（仿粗体），每个只读取一次",
    ),
    code(
        I352,
        Warning,
        "字形没有对应的文字",
        "PDF 的字体没有给出某些字形对应的文字（缺少 ToUnicode 映射），无法得知是什么字；这些字读作“\u{FFFD}”，不作猜测。请对照原件补正。",
        "第2页有 3 个字形在 PDF 中没有对应的文字编码，已读作“\u{FFFD}”",
    ),
    code(
        I353,
        Info,
        "部首字符按汉字读取",
        "有的字体把“民”“见”等字编码为外形相同的康熙部首或部首补充字符（如“⺠”），看起来一样但检索和审核会出错；已按对应的汉字读取。",
        "第2页有 2 个字编码为康熙部首或部首补充字符（如“⺠”），已按对应的汉字（如“民”）读取",
    ),
    code(
        I354,
        Info,
        "跨页表格已接续",
        "表格在下一页继续（列位置相同）时作为一个表格读取：下一页顶部重复的表头行去掉，被分页截断的合并单元格接续；表格上方只是重复这些合并单元格标签的文字行（如电子表格打印时在下一页表格上方再印一次的“产出指标”）属于接续的表格，不作为新内容读取。",
        "表2从第2页延续到第3页（列位置相符），已作为一个表格读取；重复的表头行已去掉",
    ),
    code(
        I355,
        Warning,
        "PDF 中没有画有边框的表格",
        "PDF 中没有找到由边框线构成的表格，只按行读取了文字（宽的空白读作两个空格）。请核对识别结果，或先将表格转换为 Excel 后再转换。",
        "PDF 中没有找到画有边框的表格，只按行读取了其中的文字",
    ),
    code(
        I356,
        Info,
        "页码未读取",
        "页眉页脚中的页码（“第1页共6页”“- 2 -”等）不是表格内容，不作为文字读取。",
        "PDF 页眉页脚中的 6 行页码（如“第1页共6页”）不是表格内容，未读取",
    ),
    code(
        I357,
        Warning,
        "线条过多未按表格读取",
        "页面上画有数千条线段（图案或底纹，不像表格边框），该页不再找表格，只读取其中的文字。",
        "第4页画有超过 5000 条线段（不像表格边框），未按表格读取，只读取了文字",
    ),
    code(
        I358,
        Info,
        "无边框表格按列对齐读取",
        "连续 3 行以上、每行有 2 段以上文字（段间空白超过 1.5 个字宽）且各段上下对齐时，按列读作表格（没有边框线的表格）。请核对各单元格是否归入了正确的列。",
        "第2页的 12 行文字没有边框线，按各段文字的列对齐读作表3（4 列）",
    ),
    code(
        I359,
        Info,
        "无边框表格按标签结构读取",
        "带标签的 PDF（Tagged PDF）记录了表格的行、单元格和合并；没有边框线的表格按这些标签读取，合并单元格也能还原。",
        "第2页的表3没有边框线，按 PDF 的标签结构（带标签的 PDF 中记录的表格行和单元格）读取",
    ),
    code(
        I360,
        Warning,
        "有删除线的文字未读取",
        "PDF 中画有删除线的文字（打印时显示了修订中的删除，或被划掉的文字）不作为内容读取，并写明这些文字；如其中有应保留的内容，请核对原件。",
        "第1页有 2 处文字画有删除线（打印出的修订删除或划掉的文字），未读取：“300”、“≥80%”",
    ),
    // R1xx: recognizer.
    code(
        R100,
        Error,
        "未找到绩效目标表",
        "文件中既没有“预算单位/项目名称”等标签，也没有“一级指标/二级指标/三级指标/指标值”表头，无法识别为绩效目标表，没有转换。",
        "未找到绩效目标表：没有“预算单位/项目名称”等标签，也没有指标表头",
    ),
    code(
        R101,
        Warning,
        "错位的行已复原",
        "OCR 丢失或多出了空单元格，使一行单元格整体向左或向右错位；已按内容（哪一格像一级/二级指标名称、哪一格像指标值）复原，并写明复原后的各列。请核对。",
        "该行单元格整体向左错位1列（OCR 丢失或多出了空单元格），已按内容复原为：一级指标空白（沿用所在分组），二级指标“成本指标”……",
    ),
    code(
        R102,
        Warning,
        "空白的分组标签已归入下方分组",
        "一级或二级指标空白，按三级指标名称判断它属于下一行开始的分组（合并单元格的标签印在了分组的后一行），已归入该分组而不是上方的分组。请核对。",
        "二级指标空白；按三级指标“农村低保救助补助覆盖率”判断应属于下一行的“质量指标”，已归入“质量指标”",
    ),
    code(
        R103,
        Warning,
        "空白的分组标签无处可归",
        "一级或二级指标空白，表中上下都没有可归入的分组，保持空白。请在源表中填写。",
        "二级指标空白，表中也没有可归入的分组",
    ).unread(&[Field::Level1, Field::Level2], Reach::Row),
    code(
        R104,
        Warning,
        "指标值为空",
        "这一行指标有名称但指标值空白。请填写目标值（如“≥95%”“=100人”）。",
        "指标“城市低保救助发放人数”的指标值为空",
    ).unread(&[Field::Value], Reach::Row),
    code(
        R105,
        Warning,
        "三级指标为空",
        "这一行有指标值但三级指标名称空白。请填写指标名称。",
        "三级指标为空",
    ).unread(&[Field::Level3], Reach::Row),
    code(
        R106,
        Error,
        "指标表头缺少“指标值”列",
        "指标表头中找不到“指标值”（或“年度指标值”等）列，整张表的指标值都无法读出；这张表不能转换。请确认表头，或使用含指标值列的版本。",
        "指标表头缺少“指标值”列，无法读出指标值",
    ).unread(&[Field::Value], Reach::Table),
    code(
        R107,
        Warning,
        "项目没有指标",
        "项目有表头信息，但缺少“一级指标/二级指标/三级指标/指标值”表头，或指标表是空的。",
        "项目“城市低保”没有指标表（缺少“一级指标/二级指标/三级指标/指标值”表头）",
    ),
    code(
        R108,
        Info,
        "无法归入表格的内容已跳过",
        "表格之外或表格中不属于任何栏目的文字（页眉、说明、无法识别的列组），不转换。请确认其中没有需要的内容。逐处列出前 200 处；更多时另有一条说明其余的数量和起始位置。",
        "无法归入表格的内容，已跳过：“单位：万元”",
    ),
    code(
        R109,
        Warning,
        "项目缺少项目名称",
        "项目的“项目名称”空白或找不到；输出中项目名称为空，XLSX 工作表按序号命名。",
        "项目缺少“项目名称”",
    ),
    code(
        R110,
        Warning,
        "指标表前没有项目信息",
        "指标表前没有“预算单位/项目名称/项目资金”等表头，项目信息为空，只转换了指标。",
        "指标表前没有“预算单位/项目名称”等表头，项目信息为空",
    ),
    code(
        R111,
        Warning,
        "序号不是数字",
        "汇总表的“序号”列不是数字，按原样保留。",
        "序号“一”不是数字",
    ),
    code(
        R112,
        Info,
        "金额已由元换算为万元",
        "表中金额以元为单位（表头或单元格写明“元”），已换算为万元，保留全部有效数字。",
        "金额“358800元”以元为单位，已换算为 35.88 万元",
    ),
    code(
        R113,
        Warning,
        "金额不是数字",
        "资金单元格的内容不是数字，没有读取，按空白处理。",
        "金额“三十五万”不是数字，未能读取",
    ),
    code(
        R114,
        Error,
        "空白模板",
        "表格只有“预算单位/项目名称/项目资金/指标”等标签，没有填写任何内容，不转换。",
        "空白模板：表格只有“预算单位/项目名称/项目资金/指标”等标签，没有填写任何内容",
    ),
    code(
        R115,
        Info,
        "非绩效目标表的工作表已跳过",
        "工作表是填表说明、下拉选项等，不是绩效目标表，不读取。",
        "工作表“填表说明”是填表说明，已跳过",
    ),
    code(
        R117,
        Info,
        "按 88号模板顺序区分中期与年度",
        "指标表有两组指标列但表头没有写明“中期/年度”，按 88号模板的顺序把左组读作中期、右组读作年度。请核对。",
        "指标表有两组指标列但未标明“中期/年度”，按 88号 模板的顺序读取",
    ),
    code(
        R118,
        Info,
        "非标准列未转换",
        "指标表中的序号、备注、指标解释等列不属于标准格式，其内容没有转换（JSON 中也没有）。自评表的实际完成值、分值、得分、偏差原因列不在此列：它们读入每条指标的 evaluation。",
        "指标表的“备注”列（第 H 列）不属于标准格式，其中 3 个单元格的内容未转换",
    ),
    code(
        R119,
        Warning,
        "指标性质或计量单位无法并入指标值",
        "单独的“指标性质”（≥、≤、＝……）或“计量单位”列的内容无法并入指标值（不是比较符号，或指标值不是数字），未并入。请核对指标值。",
        "计量单位“人”无法并入指标值“全部”（指标值不是数字或已有单位），未并入",
    ),
    code(
        R120,
        Info,
        "指标性质、计量单位已并入指标值",
        "表中单独的“指标性质”“计量单位”列已并入指标值，写法与标准表一致。",
        "“指标性质”“计量单位”列已并入指标值（如“≥”“221”“人”合为“≥221人”）",
    ),
    code(
        R121,
        Info,
        "自评表得分行不是指标",
        "自评表中的“预算执行率”“总分”等得分行不是绩效指标，不作为指标读取；表中有分值、得分列时，它们的分值和得分读入项目的 self_evaluation（不报告此代码），没有这些列时报告此代码。",
        "“总分”行是自评表的得分行，不是绩效指标，未作为指标读取",
    ),
    code(
        R122,
        Info,
        "没有三级指标和指标值的行",
        "只有一级/二级指标名称、没有三级指标和指标值的行不是一条指标，不读取；这样的名称用于下方各行时（合并单元格的标签写在单独一行）不报告。三级指标和指标值只写着“不适用”“–”等占位内容的行见 R136。",
        "该行只有“产出指标”“数量指标”，没有三级指标和指标值，不是一条指标，未读取",
    ),
    code(
        R123,
        Warning,
        "既无项目名称也无指标",
        "表头有内容，但既没有项目名称也没有任何指标，不构成一个项目；不写出空白的标准表，也不进入全县汇总。",
        "表头有内容但既没有项目名称也没有任何指标，不构成一个项目，未读取",
    ),
    code(
        R130,
        Info,
        "按另一种文本形状读取",
        "文本可按多种方式拆成单元格（制表符、“|”、每格一行、每格一段、空格对齐）；原样读取得出的内容较少，已改用最能解释表格的读法，并写明两种读法的得分。",
        "原样读取只能得出较少内容（得分 3），已改为按“|”分隔的行读取（得分 96）",
    ),
    code(
        R131,
        Error,
        "单元格之间没有分隔符",
        "表格的单元格之间没有任何分隔符（表头和指标连成一行），无法可靠地拆分成单元格；不会猜测出指标。请从原文件重新复制，保留表格的分隔。",
        "表格的单元格之间没有任何分隔符（表头和指标连成一行），无法可靠地拆分成单元格",
    ),
    code(
        R132,
        Info,
        "按表头和指标名称重建了行",
        "文本每个单元格单独成段、没有行的标记；按指标表头的列数和一级/二级指标名称重建出各行指标。",
        "文本每个单元格单独成段、没有行的标记；已按指标表头的 4 列和一级/二级指标名称重建出 9 行指标",
    ),
    code(
        R133,
        Warning,
        "一行指标没有读完",
        "按单元格流重建行时，文本在一行指标的中间结束（或被下一个标签打断），该行缺少的单元格按空白处理；文本在指标值之前就结束的一行（网页截断的末行）不作为指标读取，其中的文字另行列出（R108）。",
        "文本在一行指标的中间结束（或被下一个标签打断），该行缺少的单元格按空白处理",
    ),
    code(
        R134,
        Info,
        "折行的指标名称已合并",
        "一级/二级指标名称或指标表的列名太长，在文本中被折成两行或两段（如“经济效益”“指标”）；两段合起来是指标体系中的名称、后一段单独不是名称时，合并为一个名称，否则后一段会被当成一个单元格，使整行错位。",
        "2 处指标名称或列名被折成两行（如“经济效益”+“指标”），已按指标体系合并为一个名称（如“经济效益指标”）",
    ),
    code(
        R135,
        Info,
        "指标表后的审核意见、结论和签章",
        "指标表下方的“财政部门审核意见”“评价结论”“存在问题”“改进措施”“注：”“（盖章）”等行不是指标：从这样的一行起，指标表结束，其后各行直到下一个标签、表头或标题都不读取，每个表只报告一次（行数和第一行的位置）。",
        "指标表到此结束：从“财政部门审核意见”起的 4 行是审核意见、结论、说明或签章，不是指标，未读取",
    ),
    code(
        R136,
        Info,
        "模板的占位行",
        "三级指标和指标值只写着“不适用”“–”“/”等占位内容的行不是指标，不读取；该行的一级/二级指标名称仍用于下方各行（合并单元格的标签可能正写在这一行）；一个一级指标只有这样的行时，记为该项目不适用的一级指标，审核不再报告缺少它（C206）。每个表只报告一次（行数和第一行的位置）。",
        "指标表中有 3 行是模板的占位行（如“不适用”），没有实际的三级指标和指标值，不是指标，未读取；其中的一级/二级指标名称仍用于下方各行",
    ),
    code(
        R137,
        Warning,
        "部分项目是空白模板",
        "文件中有的项目已读出指标，而这个项目的指标表只有标签、没有填写任何三级指标和指标值（如工作簿中留空的一张表）：其他项目照常转换，这个项目不转换。整个文件都是空白模板时报告 R114（错误）。",
        "项目“某项目”的指标表是空白模板：没有任何三级指标和指标值；其他项目已读取，此项目未转换",
    ),
    code(
        R138,
        Info,
        "没有指标表头，按指标体系读出",
        "文本中没有“一级指标/二级指标/三级指标/指标值”表头（如预算系统导出的树形批复表：每个名称一段，数值另起一段），但有指标体系中的一级、二级指标名称：按名称读出各行，二级指标后面一格是三级指标，再后一格是指标值。请核对读出的指标。",
        "文本中没有指标表头（一级指标、二级指标、三级指标、指标值）；已按指标体系的一级、二级指标名称读出各行：二级指标后面一格是三级指标，再后一格是指标值",
    ),
    code(
        R139,
        Info,
        "财政拨款由资金来源得出",
        "表中没有单独填写“财政拨款”金额，但列出了财政资金的来源（如“其中：1.中央资金 2.市级资金”“上级财政补助资金、同级财政资金”“一般公共预算”），或者年度金额的名称本身说明是财政资金（如“本年度申请市财政预算资金”）：财政拨款记为这些金额之和。表中有“财政拨款”金额时以它为准；某个来源的内容不是数字时不求和。请核对财政拨款。",
        "表中没有单独的“财政拨款”金额；“1.中央资金”“2.市级资金”是财政资金的来源，财政拨款记为其合计 153.5184 万元",
    ),
    code(
        R140,
        Info,
        "同一项目在另一工作表上的部分",
        "工作表上只有某项目的表头（如“项目基本信息”）或评审意见，没有指标表，而同名同单位的项目在另一工作表上有指标表：两者是同一项目，不另作一个项目；另一工作表未读到的表头内容（单位、目标、金额）从这里读取。",
        "工作表“评审意见”中的项目“城市低保”没有指标表，与工作表“申报表”中的同名项目是同一项目，不另作一个项目；其中没有另需读取的表头内容",
    ),
    code(
        R141,
        Warning,
        "自评分值或得分不是数字",
        "自评表中“分值”“得分”单元格的内容不是数字（如“十分”“满分”），未能读取；JSON 中记在该指标 evaluation.unread 里，审核不据此判断分值与得分。请改写为数字。",
        "“开发公益性岗位数”的得分“满分”不是数字，未能读取；请填写数字",
    ),
    // C2xx: review.
    code(
        C201,
        Error,
        "项目资金合计不符",
        "年度资金总额应等于财政拨款与其他资金之和，精确到 0.01 万元；其他资金空白按 0 计。资金数是预算的依据，合计不符说明有金额填错或漏填。",
        "年度资金总额 35.88 万元，财政拨款 35.00 万元，其他资金 0 万元：相差 0.88 万元。",
    ),
    code(
        C202,
        Warning,
        "项目资金未填写",
        "年度资金总额空白，或财政拨款与其他资金都空白。没有资金数就无法审核资金与指标是否相符。",
        "年度资金总额空白，财政拨款 91.59 万元、其他资金 0 万元，应为 91.59 万元。",
    ),
    code(
        C203,
        Error,
        "金额为负数",
        "年度资金总额、财政拨款、其他资金以及汇总表金额都不能小于 0。负数金额通常是录入错误（多了负号）。",
        "其他资金 -5 万元。",
    ),
    code(
        C204,
        Warning,
        "一级指标不在指标体系内",
        "一级指标应为产出指标、效益指标、满意度指标（101号体系另有成本指标）或其公认的别名；每个项目的每个名称只报一次。指标体系由财预〔2015〕88号、财预〔2021〕101号统一规定，自拟的一级指标无法汇总和评价。",
        "一级指标写作“工作指标”。",
    ),
    code(
        C205,
        Warning,
        "二级指标与一级指标不匹配",
        "先判断本表采用88号体系（成本指标是产出指标下的二级指标）还是101号体系（成本指标是一级指标，下设经济/社会/生态环境成本指标），再检查每个二级指标是否属于其一级指标；两种体系混用也在此报告。每组只报一次。二级指标放错位置，汇总统计和绩效评价会归错类。",
        "“社会效益指标”放在“产出指标”下；或同一张表既有一级“成本指标”又有产出下的“成本指标”。",
    ),
    code(
        C206,
        Warning,
        "缺少一级指标类别",
        "每个项目都应设置产出指标、效益指标、满意度指标；按101号体系填写的还应设置成本指标。绩效目标要完整反映产出、效益和服务对象满意程度。",
        "项目只有产出指标和效益指标，没有满意度指标。",
    ),
    code(
        C207,
        Warning,
        "三级指标或指标值为空",
        "每行指标都应写明三级指标名称和指标值；识别时已报告过的（R103–R106，包括整张表缺少指标值列）不重复报告。空白的指标无法考核。",
        "三级指标“资金发放及时率”的指标值空白。",
    ),
    code(
        C208,
        Warning,
        "三级指标重复",
        "同一项目内三级指标名称（忽略空格和全角半角差别）不应重复。重复的指标多半是复制粘贴时忘了改名，或者漏了另一个指标。",
        "“发放次数”出现两次。",
    ),
    code(
        C209,
        Warning,
        "应量化的指标写成了定性描述",
        "数量、质量、时效、成本（含101号的经济成本）指标的指标值只有文字、没有任何数字（名单见 templates/framework.toml 的 quantified）。88号文要求绩效指标“尽量进行定量表述”，这几类指标都可以用数字衡量。",
        "时效指标“资金发放及时率”的指标值写作“及时”，应写作“=100%”之类。",
    ),
    code(
        C210,
        Warning,
        "比率超过 100%",
        "以 % 为单位的指标值大于 100%（增长、提高类指标除外）。覆盖率、及时率、合格率等不可能超过 100%，多为录入或识别错误（如“≥90%”识别成“290%”）。",
        "“补助覆盖率 =120%”。",
    ),
    code(
        C211,
        Error,
        "满意度超出 0–100%",
        "满意度指标的目标值应在 0% 到 100% 之间（“>100%”也不可能达到）。满意度是比例，超过 100% 的目标无法实现。哪些二级指标算满意度，见 templates/framework.toml 的 satisfaction。",
        "“参保人员满意度 ≥198%”。",
    ),
    code(
        C212,
        Warning,
        "每次金额 × 次数与项目资金不符",
        "项目同时写了“每次（每期、每批……）金额”和对应的次数时，两者之积应等于年度资金总额；允许误差为次数 × 每次金额末位的一个单位（每次金额四舍五入或进位造成的差）。人均、户均类金额不参与计算。次数或每次金额填错，指标就与预算对不上。",
        "发放次数 =1次、每次发放资金数 ≤7.63万元，而年度资金总额 91.59 万元（7.63 × 12 = 91.56，次数应为 12 次）。",
    ),
    code(
        C213,
        Warning,
        "疑似从其他项目复制的内容",
        "两个项目名称只相差一小段（如“城市低保”与“农村低保”）时，这一段就是各自的对象；某项目的三级指标或总体目标中的一句话提到了另一个项目的对象、却没有提到自己的对象，即报告。相似项目的表格常由复制修改而来，漏改的文字会让指标考核错对象。",
        "“农村低保”的三级指标写作“城市低保政策知晓率”。",
    ),
    code(
        C214,
        Warning,
        "汇总表中的项目没有项目表",
        "汇总表每一行都应有同名的项目支出绩效目标表（名称忽略空格和末尾的“项目”二字）。缺少项目表，该项目的绩效目标无从审核。",
        "汇总表第 6 行“农村危房改造”，文件中没有该项目的绩效目标表。",
    ),
    code(
        C215,
        Warning,
        "项目表未列入汇总表",
        "文件中有汇总表时，每张项目表都应在汇总表中有一行。汇总表漏列项目，合计金额也会少算。",
        "项目表“城市低保”在汇总表中找不到。",
    ),
    code(
        C216,
        Warning,
        "汇总表与项目表的单位不一致",
        "汇总表的部门单位与项目表的预算单位应为同一单位；一方带地区前缀（新疆巴州和硕县民政局 = 和硕县民政局）视为一致。单位不一致可能是项目张冠李戴。",
        "汇总表写“和硕县民政局”，项目表写“和硕县医疗保障局”。",
    ),
    code(
        C217,
        Error,
        "汇总表金额与项目表不符",
        "汇总表有资金列时，每行金额应等于对应项目表的年度资金总额（精确到 0.01 万元）。同一项目两处金额不同，至少一处是错的。",
        "汇总表写 35.88 万元，项目表年度资金总额 38.58 万元。",
    ),
    code(
        C218,
        Error,
        "汇总表合计不等于各行之和",
        "填写了的合计应等于各行金额之和（汇总表没有资金列时按各项目表的年度资金总额计算），精确到 0.01 万元。合计错误会使上报的总金额失真。",
        "合计 1300.00 万元，各项目之和 1304.66 万元。",
    ),
    code(
        C219,
        Warning,
        "汇总表合计空白",
        "汇总表有“合计”行但金额空白时，报告按各行（或各项目表）计算出的合计，供填写。报送的汇总表应填写合计金额。",
        "合计空白，按各项目表年度资金总额计算应为 1304.66 万元。",
    ),
    code(
        C230,
        Warning,
        "万元金额疑似按元填写",
        "金额标明以万元为单位，但数值是本项目成本指标所写万元金额的上千倍（或超过 10 亿元且无可比较的成本），多半是按元填写的。请核对单位：按元填写的金额应除以 10000，或把标签改为“（元）”。每个项目最多报告一次，位于该项目的金额处；同一项目的其他金额也是如此时，在同一条中说明。",
        "年度资金总额 1361862 万元是成本指标“总成本不超过200万元”的 6809 倍，疑似按元填写，应为 136.1862 万元；请核对单位",
    ),
    code(
        C240,
        Warning,
        "自评分值合计不是 100",
        "自评表各项分值（预算执行率与各指标）合计应为 100 分；按财预〔2020〕10号，预算执行率 10 分，产出指标 50 分、效益指标 30 分、满意度指标 10 分（templates/self_evaluation.toml 的 [weights] 可改）。只在每项分值都读到时判断。",
        "分值合计 95 分，应为 100 分：请核对各指标的分值",
    ),
    code(
        C241,
        Warning,
        "一级指标分值与规定权重不符",
        "某一级指标下各三级指标的分值之和与规定的权重不符（默认产出 50、效益 30、满意度 10，预算执行率 10；见 templates/self_evaluation.toml 的 [weights]）。",
        "产出指标分值合计 45 分，按规定应为 50 分",
    ),
    code(
        C242,
        Error,
        "得分超过分值",
        "得分不能大于该项的分值（也不能为负）。",
        "“上岗人员满意度”得分 12 分，超过分值 10 分",
    ),
    code(
        C243,
        Warning,
        "执行率或其得分不符",
        "执行率应等于全年执行数 ÷ 全年预算数（精确到 0.01 个百分点，超过 100% 按 100% 计分）；预算执行率的得分应为分值 × 执行率。",
        "执行率写 100%，按全年执行数 89.974 ÷ 全年预算数 90 计算为 99.97%",
    ),
    code(
        C244,
        Error,
        "总分不等于各项得分之和",
        "总分应等于预算执行率得分与各指标得分之和（精确到 0.01 分）。",
        "总分 98 分，各项得分之和 98.65 分",
    ),
    code(
        C245,
        Warning,
        "自评等级与总分不符",
        "自评等级按总分确定：90 分（含）以上为优，80 分（含）至 90 分为良，60 分（含）至 80 分为中，60 分以下为差。",
        "总分 85 分应为“良”，表中写“优”",
    ),
    code(
        C246,
        Warning,
        "未完成指标值却得满分或未说明原因",
        "实际完成值没有达到年度指标值（按比较符号判断，如“≥220个”实际“200个”）的指标，不应得满分，并应在“偏差原因分析及改进措施”中说明原因。",
        "“开发公益性岗位数”实际完成 200个，未达到“≥220个”，却得满分 20 分；请扣分并说明偏差原因",
    ),
    code(
        C247,
        Warning,
        "实际完成值与指标值无法比较",
        "实际完成值与年度指标值的单位不同（如“人”与“%”），或指标值是数字而实际完成值只有文字，无法判断是否完成；请按指标值的单位填写实际完成值。",
        "“岗位人员在岗率”指标值“≥95%”，实际完成值“97人”：单位不同，无法比较",
    ),
    // L40x: the standard form (XLSX and PDF).
    code(
        L401,
        Info,
        "中期数据不在标准格式中",
        "88号模板的中期资金、中期目标和中期指标在标准格式（XLSX、PDF）中没有位置，未写入；JSON 输出中保留。",
        "项目“城市低保”的中期资金、中期指标不在标准格式中，未写入此文件（JSON 输出中保留）",
    ),
    code(
        L402,
        Info,
        "实施单位不在标准格式中",
        "单独填写的实施单位在标准格式（XLSX、PDF）中没有位置，未写入；JSON 输出中保留。",
        "项目“城市低保”的实施单位“和硕县社会救助中心”不在标准格式中，未写入此文件（JSON 输出中保留）",
    ),
    code(
        L403,
        Warning,
        "合计超出可计算范围",
        "汇总表的合计超出了可精确计算的范围（约 7.9×10²⁸ 万元），合计栏留空，消息指出使合计溢出的金额；金额多半填错了。",
        "汇总表合计超出可计算的范围：加上“某项目”的 50000000000000000000000000000 万元后超过约 7.9×10²⁸，合计栏留空",
    ),
    // X40x: the XLSX writer.
    code(
        X401,
        Info,
        "工作表名已截短",
        "Excel 的工作表名最多 31 个字符，过长的项目名称作为工作表名时截短；表中的项目名称不变。",
        "项目名称超过工作表名的 31 个字符，已截短",
    ),
    code(
        X402,
        Info,
        "工作表名中的字符已替换",
        "工作表名不允许 []:*?/\\、首尾的 ' 和换行，这些字符换成全角字符；表中的项目名称不变。",
        "项目名称含有工作表名不允许的字符，已换成全角字符：项目“a/b”的工作表名为“a／b”",
    ),
    code(
        X403,
        Info,
        "工作表名已加序号",
        "两个项目的工作表名相同（Excel 不区分大小写），后一个加序号区分。",
        "工作表名与前面的工作表重复（不区分大小写），已加序号区分：工作表名为“城市低保(2)”",
    ),
    code(
        X404,
        Info,
        "没有名称的项目按序号命名工作表",
        "项目没有项目名称，工作表按“项目N”命名。",
        "第 2 个项目没有项目名称：工作表名为“项目2”",
    ),
    code(
        X405,
        Warning,
        "模板中的纸张无法识别",
        "templates/form.toml 中的纸张名称无法识别，XLSX 按 A4 设置打印。",
        "模板中的纸张“B5”无法识别，已按 A4 设置",
    ),
    code(
        X406,
        Warning,
        "页脚过长已截短",
        "Excel 页脚最多 255 个字符，模板中的页脚超出部分已截去。",
        "模板中的页脚超过 Excel 的 255 个字符，已截短",
    ),
    code(
        X407,
        Warning,
        "行高超过 Excel 上限",
        "一行文字太多，所需行高超过 Excel 的最大行高 409 磅，打印时可能显示不全。请精简该行文字或在打印前调整。",
        "第 12 行文字太多，超过 Excel 的最大行高 409 磅，打印时可能显示不全",
    ),
    code(
        X408,
        Warning,
        "单元格文字超过 Excel 上限",
        "Excel 一个单元格最多 32,767 个字符；更长的文字截短写入（末尾以“…”标出），消息写明单元格、来源和原长度；JSON 输出保留全文。",
        "单元格 C9 的文字有 40000 个字符，超过 Excel 单元格上限 32767，已截短写入",
    ),
    // P50x: the PDF writer.
    code(
        P501,
        Warning,
        "字体缺少字符",
        "PDF 使用的字体中没有某些字符（生僻字），这些字在 PDF 中无法显示；消息写明所在的单元格。请用 --font 指定含这些字的字体（如单位自己的仿宋_GB2312）。",
        "字体 Noto Serif SC 缺少字符 “䶮”：项目“城市低保”三级指标的这些字在 PDF 中无法显示",
    ),
    code(
        P503,
        Warning,
        "未能生成 PDF/A-2b",
        "PDF 默认按归档格式 PDF/A-2b 生成；有缺字（PDF/A 不允许）或不满足 PDF/A 的其他要求时，按普通 PDF 输出并说明原因。",
        "PDF/A-2b 不允许缺字（.notdef 字形），此 PDF 按普通 PDF 输出",
    ),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_ordered_and_complete() {
        let rank = |c: &Entry| FAMILIES.iter().position(|f| std::ptr::eq(f, c.family()));
        for w in CODES.windows(2) {
            let (a, b) = (rank(&w[0]), rank(&w[1]));
            assert!(
                a < b || (a == b && w[0].code.as_str() < w[1].code.as_str()),
                "{} before {}",
                w[0].code,
                w[1].code
            );
        }
        assert_eq!(CODES.len(), Code::ALL.len());
        for (c, &key) in CODES.iter().zip(Code::ALL) {
            assert_eq!(c.code, key);
            assert_eq!(key.entry(), c);
            assert_eq!(Code::parse(key.as_str()), Some(key));
            assert_eq!(c.code.as_str().len(), 4, "{}", c.code);
            assert!(
                family_of(c.code.as_str()).is_some(),
                "{} has no family",
                c.code
            );
            assert!(
                !c.title.is_empty() && !c.explanation.is_empty() && !c.example.is_empty(),
                "{}",
                c.code
            );
        }
    }

    #[test]
    fn every_family_has_codes_and_is_printed() {
        let text = rules_text();
        for f in FAMILIES {
            assert!(codes_of(f).next().is_some(), "{} is empty", f.prefix);
            assert!(text.contains(f.name), "{}", f.name);
        }
        for c in CODES {
            assert!(text.contains(&format!("{}  {}  {}", c.code, c.severity.label(), c.title)));
        }
    }

    #[test]
    fn explain_is_case_insensitive_and_knows_unknown_codes() {
        assert_eq!(explain("r101"), explain("R101"));
        assert!(explain("R101").unwrap().starts_with("R101  警告  "));
        assert_eq!(explain("Z999"), None);
        assert_eq!(explain(""), None);
    }

    #[test]
    fn codes_are_written_and_read_as_their_string() {
        let json = serde_json::to_string(&Code::R108).unwrap();
        assert_eq!(json, "\"R108\"");
        assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), Code::R108);
        let err = serde_json::from_str::<Code>("\"Z999\"").unwrap_err();
        assert!(
            err.to_string()
                .contains("诊断代码“Z999”不是本版本 jixiao 登记的代码"),
            "{err}"
        );
        assert!("Z999".parse::<Code>().is_err());
    }

    #[test]
    fn stages_follow_the_families() {
        assert!(Code::C201.is_review() && !Code::C201.is_recognize());
        assert!(Code::R101.is_recognize());
        assert!(Code::I300.is_read() && Code::I312.is_read());
        assert!(Code::L401.is_write() && Code::X401.is_write() && Code::P501.is_write());
        assert_eq!(Code::C201.severity(), Severity::Error);
    }
}
