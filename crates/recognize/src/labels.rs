//! The form's vocabulary: the labels of the header block, the indicator table header, the
//! summary table and the title lines, matched after [`normalize_label`] so that spaces,
//! newlines, full-width colons and brackets do not matter.

use jixiao_model::TableKind;
use jixiao_model::framework::{Labels, normalize_label};
use rustc_hash::FxHashMap;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What a cell's text is to the form: each question the recognizer asks about a cell,
/// answered once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellKind {
    /// The header-block label the whole cell is.
    pub label: Option<Label>,
    /// A label and its value in one cell (`预算单位：和硕县民政局`).
    pub label_with_value: Option<(Label, String)>,
    /// The indicator-table column the cell names.
    pub column: Option<Column>,
    /// The summary-table column the cell names.
    pub summary_column: Option<SummaryColumn>,
}

/// The vocabulary with a memory: each distinct cell text is classified once per document (a
/// table repeats the same texts — labels, group names, `≥90%` — on many rows, and every row
/// is looked at by several stages).
///
/// The memory is bounded: it holds the texts asked about lately, in two generations of at
/// most `VOCAB_CACHE` (4,096) texts. When the newer one is full the older is forgotten and the newer
/// becomes the older; a text found in the older is brought back. The form's own words, asked
/// about on every row, stay; a table of a million distinct indicator names is not kept whole,
/// yet each row's cells, asked about by several stages one after the other, are classified
/// once.
#[derive(Debug)]
pub struct Vocab<'a> {
    /// The names, from `templates/labels.toml` (and `--template`).
    pub labels: &'a Labels,
    cache: RefCell<Generations>,
    /// The empty text's entry of `cache`, answered without a lookup: a quarter of the cells
    /// asked about are empty (the covered slots of merged ranges among them).
    empty: std::cell::OnceCell<Rc<CellKind>>,
    classified: Cell<usize>,
}

/// The two generations of a [`Vocab`]'s memory: the texts asked about lately, and before.
#[derive(Debug, Default)]
struct Generations {
    newer: FxHashMap<String, Rc<CellKind>>,
    older: FxHashMap<String, Rc<CellKind>>,
}

impl Generations {
    fn get(&mut self, text: &str) -> Option<Rc<CellKind>> {
        if let Some(kind) = self.newer.get(text) {
            return Some(Rc::clone(kind));
        }
        let (text, kind) = self.older.remove_entry(text)?;
        self.insert(text, Rc::clone(&kind));
        Some(kind)
    }

    fn insert(&mut self, text: String, kind: Rc<CellKind>) {
        if self.newer.len() >= VOCAB_CACHE {
            self.older = std::mem::take(&mut self.newer);
        }
        self.newer.insert(text, kind);
    }

    fn len(&self) -> usize {
        self.newer.len() + self.older.len()
    }
}

/// How many distinct cell texts each generation of a [`Vocab`]'s memory holds.
const VOCAB_CACHE: usize = 4096;

impl<'a> Vocab<'a> {
    /// A vocabulary with an empty memory.
    pub fn new(labels: &'a Labels) -> Self {
        Vocab {
            labels,
            cache: RefCell::new(Generations::default()),
            empty: std::cell::OnceCell::new(),
            classified: Cell::new(0),
        }
    }

    /// What `text` is to the form.
    pub fn of(&self, text: &str) -> Rc<CellKind> {
        if text.is_empty() {
            if let Some(kind) = self.empty.get() {
                return Rc::clone(kind);
            }
            let kind = self.lookup(text);
            return Rc::clone(self.empty.get_or_init(|| kind));
        }
        self.lookup(text)
    }

    /// What `text` is to the form, from the memory or classified (and remembered).
    fn lookup(&self, text: &str) -> Rc<CellKind> {
        if let Some(kind) = self.cache.borrow_mut().get(text) {
            return kind;
        }
        self.classified.set(self.classified.get() + 1);
        let kind = Rc::new(CellKind {
            label: label(self.labels, text),
            label_with_value: label_with_value(self.labels, text),
            column: column(self.labels, text),
            summary_column: summary_column(self.labels, text),
        });
        self.cache
            .borrow_mut()
            .insert(text.to_string(), Rc::clone(&kind));
        kind
    }

    /// How many texts the memory holds (at most twice `VOCAB_CACHE`, 4,096).
    pub fn remembered(&self) -> usize {
        self.cache.borrow().len()
    }

    /// How many distinct texts have been classified.
    pub fn classified(&self) -> usize {
        self.classified.get()
    }
}

/// A label of the project header block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// 预算单位 / 主管部门 / 单位名称.
    BudgetUnit,
    /// 实施单位: the budget unit when the form names no other, else kept beside it.
    ImplementingUnit,
    /// 一级预算单位: the budget unit when the form names no other, else kept beside it when
    /// it differs.
    ParentUnit,
    /// 项目名称.
    ProjectName,
    /// 项目资金 (万元) — a group label.
    Funds {
        /// True when the amounts are in 元 (`项目资金（元）`).
        yuan: bool,
    },
    /// 年度资金总额.
    FundsTotal,
    /// 中期资金总额 (88号 template).
    MidFundsTotal,
    /// 其中：财政拨款.
    FundsFiscal,
    /// 其他资金.
    FundsOther,
    /// A source 财政拨款 is made of (`中央资金`, `上级财政补助资金`, `1、一般公共预算`): 财政拨款
    /// is their sum when no 财政拨款 line is read.
    FundsFiscalPart,
    /// 项目总体目标 / 年度目标.
    Goal,
    /// 中期目标 (88号 template), often with its period: `中期目标（2022年—2024年）`.
    MidGoal,
    /// 上年结转资金: a line of a 自评表's funds block.
    FundsCarryover,
    /// 预期目标 of a 自评表's 年度总体目标.
    GoalExpected,
    /// 实际完成情况 of a 自评表's 年度总体目标.
    GoalAchieved,
    /// 基本支出 of a 部门整体支出 table.
    FundsBasic,
    /// 项目支出 of a 部门整体支出 table.
    FundsProject,
}

fn is(list: &[String], n: &str) -> bool {
    list.iter().any(|k| k == n)
}

fn starts(list: &[String], n: &str) -> bool {
    list.iter().any(|k| n.starts_with(k.as_str()))
}

/// The label a whole cell is, if any (names from `templates/labels.toml`). An amount label
/// is also known without the unit in its last bracket (`本年度项目金额（万元）`,
/// `项目总金额（中期规划，万元）`): see [`amount_unit`].
pub fn label(v: &Labels, text: &str) -> Option<Label> {
    let n = normalize_label(text);
    if n.is_empty() {
        return None;
    }
    let found = label_of(v, &n);
    if found.is_some() {
        return found;
    }
    // A numbered line of a funds table (`(一)财政拨款小计`, `2.其他资金`): the amount label
    // after its number, a 小计 after it included. (Numbered lines of prose — `(7)绩效目标:…`
    // in a notice above the form — are not taken for the form's labels.)
    let bare = strip_numbering(&n);
    if bare.len() < n.len()
        && let Some(amount) = label(v, bare)
            .or_else(|| bare.strip_suffix("小计").and_then(|b| label(v, b)))
            .filter(|l| l.is_amount())
    {
        return Some(amount);
    }
    // A qualifier in brackets (`项目(专项)名称`, `年度绩效目标(文字)`): the label around it.
    // After the label, a bracket may also be an amount's unit, which belongs to amounts only
    // (below): there it qualifies labels that are no amount, and never names 元.
    if let Some(open) = n.find('(')
        && let Some(close) = n[open..].find(')').map(|c| open + c)
        && open > 0
        && let inner = &n[open + 1..close]
        && !inner.is_empty()
        && inner.chars().count() <= MAX_QUALIFIER
    {
        let trailing = close + 1 == n.len();
        let outer = format!("{}{}", &n[..open], &n[close + 1..]);
        if let Some(found) =
            label_of(v, &outer).filter(|l| !trailing || (!l.is_amount() && !inner.contains('元')))
        {
            return Some(found);
        }
    }
    let (name, unit) = split_amount_unit(&n);
    unit.and_then(|_| {
        label_of(v, &name)
            .filter(|l| l.is_amount())
            .or_else(|| amount_by_parts(v, &name))
    })
    .or_else(|| fiscal_part(v, &n).then_some(Label::FundsFiscalPart))
}

/// An amount label known by its parts (a period word first, an amount word in it, none of the
/// words that name spending): `本年度申请市财政预算资金` → the year's total, `中期市财政预算` →
/// the 中期 total. Expects the name without its unit bracket.
fn amount_by_parts(v: &Labels, name: &str) -> Option<Label> {
    let has = |list: &[String]| list.iter().any(|w| name.contains(w.as_str()));
    if !has(&v.amount_words) || has(&v.amount_words_not) {
        return None;
    }
    if starts(&v.period_midterm, name) {
        Some(Label::MidFundsTotal)
    } else if starts(&v.period_annual, name) {
        Some(Label::FundsTotal)
    } else {
        None
    }
}

/// True when a normalised label names a source of 财政拨款 (`其中：1.中央资金`,
/// `上级财政补助资金（万元）`, `政府性基金`): one of `funds_fiscal_parts`, or — after `其中`, its
/// number, its unit bracket and a `小计` — a short name with a source word (`fiscal_sources`
/// anywhere, `fiscal_levels` first) that ends as an amount does, and none of `fiscal_words_not`.
fn fiscal_part(v: &Labels, n: &str) -> bool {
    let under = n.strip_prefix("其中:").or_else(|| n.strip_prefix("其中"));
    let n = under.unwrap_or(n);
    let (name, _) = split_amount_unit(strip_numbering(n));
    let name = name.strip_suffix("小计").unwrap_or(&name);
    if is(&v.funds_fiscal_parts, name) {
        return true;
    }
    // A label of its own (`财政拨款`), or a total for a period (`本年度申请市财政预算资金`)
    // unless it stands under the total (`其中：当年市级财政资金`).
    let has = |list: &[String]| list.iter().any(|w| name.contains(w.as_str()));
    if label_of(v, name).is_some()
        || (under.is_none() && (starts(&v.period_annual, name) || starts(&v.period_midterm, name)))
        || name.chars().count() > MAX_FISCAL_PART
        || has(&v.fiscal_words_not)
    {
        return false;
    }
    (has(&v.fiscal_sources) || starts(&v.fiscal_levels, name))
        && v.fiscal_part_endings
            .iter()
            .any(|e| name.ends_with(e.as_str()))
}

/// True when a text beside an amount label is another caption, not its amount: no digit in it
/// and a word that names money (`amount_words`, `amount_caption_prefix`: `金额（万元）` heading a
/// column, `当年其他资金` after a blank amount, `其他`). The label's amount is then blank, and the caption is not read as one.
pub fn is_amount_caption(v: &Labels, text: &str) -> bool {
    let n = normalize_label(text);
    !n.is_empty()
        && !n.chars().any(|c| c.is_ascii_digit())
        && (v.amount_words.iter().any(|w| n.contains(w.as_str()))
            || starts(&v.amount_caption_prefix, &n))
}

/// True when an amount label says its money is 财政 money (`本年度申请市财政预算资金`): the
/// amount is then 财政拨款 too, unless a 财政拨款 line says otherwise.
pub fn names_fiscal(v: &Labels, text: &str) -> bool {
    let n = normalize_label(text);
    v.fiscal_sources.iter().any(|w| n.contains(w.as_str()))
        && !v.fiscal_words_not.iter().any(|w| n.contains(w.as_str()))
}

/// A source of 财政拨款 is named in at most this many characters (`上级财政专项补助资金`).
const MAX_FISCAL_PART: usize = 12;

/// A bracket inside a label holds a qualifier of at most this many characters (`(专项)`).
const MAX_QUALIFIER: usize = 4;

/// A normalised label without the number a form puts before its lines: `(一)`, `(1)`,
/// `一、`, `1、`, `1.`. Text with no such number is returned whole; so is a number with
/// nothing after it.
pub fn strip_numbering(n: &str) -> &str {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let rest = if let Some(inner) = n.strip_prefix('(') {
        let digits = inner.chars().take_while(|c| numeral(*c)).count();
        let after: String = inner.chars().skip(digits).take(1).collect();
        if digits > 0 && after == ")" {
            let skip: usize = inner.chars().take(digits).map(char::len_utf8).sum();
            &inner[skip + 1..]
        } else {
            n
        }
    } else {
        let digits = n.chars().take_while(|c| numeral(*c)).count();
        let skip: usize = n.chars().take(digits).map(char::len_utf8).sum();
        match n[skip..].chars().next() {
            Some(c @ ('、' | '.' | '．')) if digits > 0 => &n[skip + c.len_utf8()..],
            _ => n,
        }
    };
    if rest.is_empty() { n } else { rest }
}

impl Label {
    /// True for the labels whose value is an amount.
    pub fn is_amount(self) -> bool {
        matches!(
            self,
            Label::FundsTotal
                | Label::MidFundsTotal
                | Label::FundsFiscal
                | Label::FundsFiscalPart
                | Label::FundsOther
                | Label::FundsCarryover
                | Label::FundsBasic
                | Label::FundsProject
        )
    }
}

/// The unit an amount label names in its last bracket: `Some(true)` for 元
/// (`年度资金总额（元）`), `Some(false)` for 万元, `None` when it names none.
pub fn amount_unit(text: &str) -> Option<bool> {
    split_amount_unit(&normalize_label(text)).1
}

/// A normalised label without the unit in its last bracket, and that unit (true for 元):
/// `本年度项目金额(万元)` → (`本年度项目金额`, 万元); `项目总金额(中期规划,万元)` →
/// (`项目总金额(中期规划)`, 万元). Other brackets are kept.
fn split_amount_unit(n: &str) -> (String, Option<bool>) {
    let Some(open) = n.rfind('(').filter(|_| n.ends_with(')')) else {
        return (n.to_string(), None);
    };
    let inner = &n[open + 1..n.len() - 1];
    let mut unit = None;
    let rest: Vec<&str> = inner
        .split([',', '、', ';'])
        .filter(|part| {
            let bare = part.strip_prefix("单位:").unwrap_or(part);
            match bare {
                "万元" => unit = Some(false),
                "元" => unit = Some(true),
                _ => return true,
            }
            false
        })
        .collect();
    if unit.is_none() {
        return (n.to_string(), None);
    }
    let head = &n[..open];
    let name = if rest.is_empty() {
        head.to_string()
    } else {
        format!("{head}({})", rest.join(","))
    };
    (name, unit)
}

/// The label a normalised name is, if any.
fn label_of(v: &Labels, n: &str) -> Option<Label> {
    let n = n.to_string();
    if is(&v.budget_unit, &n) {
        Some(Label::BudgetUnit)
    } else if is(&v.implementing_unit, &n) {
        Some(Label::ImplementingUnit)
    } else if is(&v.parent_unit, &n) {
        Some(Label::ParentUnit)
    } else if is(&v.midterm_funds_total, &n) {
        Some(Label::MidFundsTotal)
    } else if starts(&v.midterm_goal_prefix, &n) {
        Some(Label::MidGoal)
    } else if is(&v.project_name, &n) {
        Some(Label::ProjectName)
    } else if is(&v.funds_total, &n) {
        Some(Label::FundsTotal)
    } else if is(&v.funds_fiscal, &n) {
        Some(Label::FundsFiscal)
    } else if is(&v.funds_other, &n) {
        Some(Label::FundsOther)
    } else if is(&v.funds_carryover, &n) {
        Some(Label::FundsCarryover)
    } else if is(&v.goal_expected, &n) {
        Some(Label::GoalExpected)
    } else if is(&v.goal_achieved, &n) {
        Some(Label::GoalAchieved)
    } else if is(&v.funds_basic, &n) {
        Some(Label::FundsBasic)
    } else if is(&v.funds_project, &n) {
        Some(Label::FundsProject)
    } else if is(&v.goal, &n) {
        Some(Label::Goal)
    } else if let Some(rest) = v
        .funds_group
        .iter()
        .find_map(|g| n.strip_prefix(g.as_str()))
    {
        // The group label over the amounts, with the unit they are in.
        let unit = rest.trim_matches(|c| c == '(' || c == ')');
        match unit {
            "" | "万元" => Some(Label::Funds { yuan: false }),
            "元" => Some(Label::Funds { yuan: true }),
            _ => None,
        }
    } else {
        None
    }
}

/// A cell holding a label and its value together: `预算单位：和硕县民政局`, or after a second
/// colon `其中：财政拨款：12.50万元` (the label itself may contain a colon).
pub fn label_with_value(v: &Labels, text: &str) -> Option<(Label, String)> {
    for (idx, sep) in text.match_indices([':', '：']) {
        let Some(found) = label(v, &text[..idx]) else {
            continue;
        };
        let value = text[idx + sep.len()..].trim();
        return (!value.is_empty() && !matches!(found, Label::Funds { .. }))
            .then(|| (found, value.to_string()));
    }
    None
}

/// True when `text` names the project's code (项目编码): a key column of a long table, and a
/// field of a budget system's header block that the standard form does not carry.
pub fn is_project_code(v: &Labels, text: &str) -> bool {
    is(&v.project_code, &normalize_label(text))
}

/// Section headings printed over parts of the form: `绩效指标`, `中期绩效指标`, `年度绩效指标`
/// (the 88号 template heads its two indicator column groups so). They hold no data.
pub fn is_section_heading(v: &Labels, text: &str) -> bool {
    is(&v.section_headings, &normalize_label(text))
}

/// A column of the indicator table header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Level3,
    /// 指标值 and its variants.
    Value,
    /// 计量单位 / 度量单位: the unit of the value, in a column of its own.
    Unit,
    /// 指标性质 / 计算符号: the comparison sign (≥, ＝, 定性) in a column of its own.
    Sign,
    /// 中期指标值: the 中期 target of an 88号 table, beside the 年度 one in the same group.
    MidValue,
    /// 实际完成值 of a 自评表.
    Actual,
    /// 分值 of a 自评表.
    Weight,
    /// 得分 of a 自评表.
    Score,
    /// 偏差原因分析及改进措施 of a 自评表.
    Deviation,
}

/// The indicator-table column a header cell names. A column label with a score band
/// (`一级指标(10分)`) is the column all the same.
pub fn column(v: &Labels, text: &str) -> Option<Column> {
    let full = normalize_label(text);
    let n = strip_period(v, strip_score_band(&full));
    if is(&v.level1, n) {
        Some(Column::Level1)
    } else if is(&v.level2, n) {
        Some(Column::Level2)
    } else if is(&v.level3, n) {
        Some(Column::Level3)
    } else if is(&v.unit, n) {
        Some(Column::Unit)
    } else if is(&v.sign, n) {
        Some(Column::Sign)
    } else if starts(&v.midterm_value_prefix, n) {
        Some(Column::MidValue)
    } else if is(&v.actual, n) {
        Some(Column::Actual)
    } else if is(&v.weight, n) {
        Some(Column::Weight)
    } else if is(&v.score, n) {
        Some(Column::Score)
    } else if starts(&v.deviation_prefix, n) {
        Some(Column::Deviation)
    } else if is(&v.value, n) || starts(&v.value_prefix, n) {
        Some(Column::Value)
    } else {
        None
    }
}

/// A column of an indicator table that is none of [`Column`]'s but that its header may have
/// after the value (the 自评 columns `actual`, `weight`, `score`, `deviation_prefix` and the
/// `other_columns` of `templates/labels.toml`): `Some(true)` for a column that holds a score
/// (分值, 得分: a number in every row, or nothing), `Some(false)` for any other, `None` for
/// text that is no such column.
pub fn other_column(v: &Labels, text: &str) -> Option<bool> {
    let n = normalize_label(text);
    let n = strip_score_band(&n);
    if is(&v.weight, n) || is(&v.score, n) {
        Some(true)
    } else if is(&v.actual, n) || starts(&v.deviation_prefix, n) || is(&v.other_columns, n) {
        Some(false)
    } else {
        None
    }
}

/// True when every cell of a row with text names a column: a column of the indicator table
/// ([`column()`], [`other_column`]) or the heading of a value's sub-column — a short name ending
/// in 值 with a word of `value_subheading_words` (`2021年实际实现值`, `预期2022年实现值`). The second row
/// of a two-row header is such a row.
pub fn is_subheading_row(v: &Labels, texts: &[&str]) -> bool {
    let mut any = false;
    for t in texts.iter().filter(|t| !t.trim().is_empty()) {
        any = true;
        let n = normalize_label(t);
        let sub_heading = n.ends_with('值')
            && n.chars().count() <= 16
            && v.value_subheading_words
                .iter()
                .any(|w| n.contains(w.as_str()))
            && !n.chars().any(|c| "≥≤><=".contains(c));
        if !(sub_heading || column(v, t).is_some() || other_column(v, t).is_some()) {
            return false;
        }
    }
    any
}

/// The name without a trailing bracket naming the period its column group is for
/// (`二级指标(长期)`, `指标值(年度)` → `二级指标`, `指标值`; the words are `period_midterm` and
/// `period_annual` of `templates/labels.toml`). Expects a normalised label.
pub fn strip_period<'a>(v: &Labels, n: &'a str) -> &'a str {
    n.strip_suffix(')')
        .and_then(|r| {
            let open = r.rfind('(')?;
            let word = &r[open + 1..];
            (is(&v.period_midterm, word) || is(&v.period_annual, word)).then_some(&r[..open])
        })
        .filter(|head| !head.is_empty())
        .unwrap_or(n)
}

/// True when `texts` (a column group's header texts) name the 中期 period (`midterm`, words
/// of `period_midterm`: 中期, 长期 …) or the 年度 one (`period_annual`).
pub fn names_period(v: &Labels, texts: &str, midterm: bool) -> bool {
    let n = normalize_label(texts);
    let words = if midterm {
        &v.period_midterm
    } else {
        &v.period_annual
    };
    words.iter().any(|w| n.contains(w.as_str()))
}

/// The name without a trailing template note: `成本指标(必填硬性指标)`, `时效指标(必填)`,
/// `其他指标(选填)` → `成本指标`, `时效指标`, `其他指标`. A budget system prints such a note
/// after the level-2 names its template requires; it is no part of the name. Expects a
/// normalised label.
pub fn strip_template_note(n: &str) -> &str {
    n.strip_suffix(')')
        .and_then(|r| {
            let open = r.rfind('(')?;
            let note = &r[open + 1..];
            let head = &r[..open];
            (TEMPLATE_NOTES.iter().any(|t| note.starts_with(t)) && !head.is_empty()).then_some(head)
        })
        .unwrap_or(n)
}

/// How the notes [`strip_template_note`] drops begin.
const TEMPLATE_NOTES: &[&str] = &["必填", "选填"];

/// The name without a trailing score band: `产出指标(50分)`, `成本指标(0-20)分`, `满意度指标10分`
/// → `产出指标`, `成本指标`, `满意度指标`. Expects a normalised label (no spaces, ASCII
/// brackets); a bracket that holds words (`数量指标(或建筑规模指标)`) is kept.
pub fn strip_score_band(n: &str) -> &str {
    let band =
        |c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '~' | '—' | '－' | '～' | '至');
    // A band whose opening bracket was lost (`效益指标30分)`, the bracket left on the line
    // above): the band all the same.
    if let Some(r) = n.strip_suffix(')')
        && !r.contains('(')
    {
        let head = strip_score_band(r);
        return if head.len() < r.len() { head } else { n };
    }
    let mut rest = n;
    // `(0-20)分` / `(50分)` / `50分`
    let had_fen = if let Some(r) = rest.strip_suffix('分') {
        rest = r;
        true
    } else {
        false
    };
    if let Some(inner) = rest.strip_suffix(')').and_then(|r| {
        let open = r.rfind('(')?;
        Some((&r[..open], &r[open + 1..]))
    }) {
        let (head, body) = inner;
        let body = body.strip_suffix('分').unwrap_or(body);
        if !body.is_empty()
            && body.chars().all(band)
            && body.chars().any(|c| c.is_ascii_digit())
            && !head.is_empty()
        {
            return head;
        }
        return n;
    }
    if had_fen {
        let head = rest.trim_end_matches(band);
        if head.len() < rest.len()
            && !head.is_empty()
            && rest[head.len()..].chars().any(|c| c.is_ascii_digit())
        {
            return head;
        }
    }
    n
}

/// A column heading of a 自评表's funds block (项目资金 × 年初预算数 … 得分).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundsColumn {
    /// 年初预算数.
    InitialBudget,
    /// 全年预算数 (A).
    Budget,
    /// 全年执行数 (B).
    Executed,
    /// 分值.
    Weight,
    /// 执行率 (B/A).
    Rate,
    /// 得分.
    Score,
}

/// The funds-block column a heading names (`全年预算数（A）`, `执行率（B/A）`, `分值`).
pub fn funds_column(v: &Labels, text: &str) -> Option<FundsColumn> {
    let n = normalize_label(text);
    if n.is_empty() {
        None
    } else if starts(&v.initial_budget_prefix, &n) {
        Some(FundsColumn::InitialBudget)
    } else if starts(&v.annual_budget_prefix, &n) {
        Some(FundsColumn::Budget)
    } else if starts(&v.executed_prefix, &n) {
        Some(FundsColumn::Executed)
    } else if starts(&v.execution_rate_prefix, &n) {
        Some(FundsColumn::Rate)
    } else if is(&v.weight, &n) {
        Some(FundsColumn::Weight)
    } else if is(&v.score, &n) {
        Some(FundsColumn::Score)
    } else {
        None
    }
}

/// True when `text` names a 自评表's 自评等级.
pub fn is_grade(v: &Labels, text: &str) -> bool {
    is(&v.grade, &normalize_label(text))
}

/// A column of the summary table header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryColumn {
    /// 序号.
    Seq,
    /// 部门单位.
    Department,
    /// 项目名称.
    ProjectName,
    /// 年度资金总额 / 金额.
    Funds,
}

/// The summary-table column a header cell names.
pub fn summary_column(v: &Labels, text: &str) -> Option<SummaryColumn> {
    let n = normalize_label(text);
    if is(&v.summary_seq, &n) {
        Some(SummaryColumn::Seq)
    } else if is(&v.summary_department, &n) {
        Some(SummaryColumn::Department)
    } else if is(&v.summary_project_name, &n) {
        Some(SummaryColumn::ProjectName)
    } else if starts(&v.summary_funds_prefix, &n) {
        Some(SummaryColumn::Funds)
    } else {
        None
    }
}

/// The kind of table a title names (`…绩效自评表` → 自评表), if it names one.
pub fn kind_in(v: &Labels, title: &str) -> Option<TableKind> {
    let n = normalize_label(title);
    let has = |list: &[String]| list.iter().any(|k| n.contains(k.as_str()));
    if has(&v.kind_self_evaluation) {
        Some(TableKind::SelfEvaluation)
    } else if has(&v.kind_department) {
        Some(TableKind::Department)
    } else if has(&v.kind_approval) {
        Some(TableKind::Approval)
    } else if has(&v.kind_declaration) {
        Some(TableKind::Declaration)
    } else {
        None
    }
}

/// What a title line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Title {
    /// The summary title `2022年度和硕县重大政策和重点项目绩效目标汇总表`.
    Summary,
    /// A project table title `项目支出绩效目标表`, possibly with its year.
    Project(Option<i32>),
    /// A year line `(2022年)`.
    Year(i32),
    /// `单位：万元` / `单位：元`: the unit of the amounts that follow.
    Unit {
        /// True for 元.
        yuan: bool,
    },
}

/// The kind of title line a one-cell row is.
pub fn title(text: &str) -> Option<Title> {
    let n = normalize_label(text);
    // A title is the form's name, possibly with a year in brackets after it; a sentence that
    // merely mentions the form (`请报送项目支出绩效目标表。`) is not one.
    let name = strip_year_suffix(&n);
    if name.ends_with("汇总表") {
        return Some(Title::Summary);
    }
    if [
        "绩效目标表",
        "绩效目标申报表",
        "绩效目标批复表",
        "绩效目标审批表",
        "绩效自评表",
        "绩效目标自评表",
    ]
    .iter()
    .any(|end| name.ends_with(end))
    {
        return Some(Title::Project(year_in(&n)));
    }
    let bare = n.trim_matches(|c| c == '(' || c == ')');
    if let Some(y) = year_in(bare).filter(|_| {
        bare.trim_end_matches('度')
            .trim_end_matches('年')
            .chars()
            .all(|c| c.is_ascii_digit())
    }) {
        return Some(Title::Year(y));
    }
    match n.as_str() {
        "单位:万元" | "金额单位:万元" => Some(Title::Unit { yuan: false }),
        "单位:元" | "金额单位:元" => Some(Title::Unit { yuan: true }),
        _ => None,
    }
}

/// `项目支出绩效目标表(2022年)` → `项目支出绩效目标表`.
fn strip_year_suffix(n: &str) -> &str {
    if let Some(open) = n.rfind('(')
        && n.ends_with(')')
        && year_in(&n[open..]).is_some()
    {
        return &n[..open];
    }
    n
}

/// The first four-digit year followed by 年 in a text.
pub fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits: String = chars[i..i + 4].iter().collect();
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        (before_ok && digits.chars().all(|c| c.is_ascii_digit()) && chars[i + 4] == '年')
            .then(|| digits.parse().ok())?
    })
}

/// The year of a heading that names the performance targets or their evaluation without being
/// one of the form's own titles (`2025年乡镇卫生院基本药物制度补助项目绩效目标`,
/// `大英县民政局2022年度中央对地方转移支付项目绩效自评情况公示`): a short line with 绩效 in it.
pub fn heading_year(text: &str) -> Option<i32> {
    let n = normalize_label(text);
    (n.contains("绩效") && n.chars().count() <= MAX_HEADING)
        .then(|| year_in(&n))
        .flatten()
}

/// A heading is at most this many characters; a longer line is prose.
const MAX_HEADING: usize = 60;

/// The region in a summary title: what follows the year up to the table's name.
pub fn region_in(title: &str) -> Option<String> {
    let n = normalize_label(title);
    let year = year_in(&n)?;
    let after = &n[n.find(&format!("{year}年"))? + format!("{year}年").len()..];
    let after = after.strip_prefix('度').unwrap_or(after);
    let end = [
        "重大政策",
        "重点项目",
        "项目支出",
        "部门",
        "绩效目标",
        "汇总表",
    ]
    .iter()
    .filter_map(|k| after.find(k))
    .min()
    .unwrap_or(after.len());
    let region = after[..end].trim();
    (!region.is_empty()).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str) -> Option<Label> {
        super::label(Labels::standard(), text)
    }
    fn label_with_value(text: &str) -> Option<(Label, String)> {
        super::label_with_value(Labels::standard(), text)
    }
    fn column(text: &str) -> Option<Column> {
        super::column(Labels::standard(), text)
    }
    fn is_section_heading(text: &str) -> bool {
        super::is_section_heading(Labels::standard(), text)
    }

    #[test]
    fn a_template_adds_label_variants_without_a_release() {
        use jixiao_model::framework::{Framework, STANDARD_TOML};
        let text = format!("{STANDARD_TOML}\n[labels]\nfunds_total = [\"本年 预算：\"]\n");
        let fw = Framework::from_toml(&text).unwrap();
        assert_eq!(
            super::label(&fw.labels, "本年预算"),
            Some(Label::FundsTotal)
        );
        // The built-in names stay.
        assert_eq!(
            super::label(&fw.labels, "年度资金总额"),
            Some(Label::FundsTotal)
        );
        assert_eq!(label("本年预算"), None);
        let bad = format!("{STANDARD_TOML}\n[labels]\nno_such_list = [\"x\"]\n");
        assert!(Framework::from_toml(&bad).is_err());
    }

    #[test]
    fn budget_system_labels_by_meaning() {
        assert_eq!(label("申请单位："), Some(Label::BudgetUnit));
        assert_eq!(label("一级预算单位："), Some(Label::ParentUnit));
        assert_eq!(label("本年度项目金额（万元）："), Some(Label::FundsTotal));
        assert_eq!(label("项目资金总额"), Some(Label::FundsTotal));
        assert_eq!(label("其中：本年财政拨款"), Some(Label::FundsFiscal));
        assert_eq!(
            label("项目总金额（中期规划，万元）："),
            Some(Label::MidFundsTotal)
        );
        assert_eq!(
            label("长期目标（跨度多年的项目需填）："),
            Some(Label::MidGoal)
        );
        // Width, spaces, letter spacing, line breaks and Traditional characters.
        assert_eq!(label("項 目 名 稱："), Some(Label::ProjectName));
        assert_eq!(label("預算\n單位"), Some(Label::BudgetUnit));
        assert_eq!(label("年度資金總額（萬元）"), Some(Label::FundsTotal));
        assert_eq!(column("績效指標值"), None);
        assert_eq!(column("三級指標"), Some(Column::Level3));
        assert_eq!(
            label_with_value("申請單位：某街道辦事處"),
            Some((Label::BudgetUnit, "某街道辦事處".to_string()))
        );
    }

    #[test]
    fn the_unit_an_amount_label_names() {
        assert_eq!(amount_unit("本年度项目金额（万元）："), Some(false));
        assert_eq!(amount_unit("年度资金总额（元）"), Some(true));
        assert_eq!(amount_unit("项目总金额（中期规划，万元）"), Some(false));
        assert_eq!(amount_unit("年度资金总额"), None);
        // Only amount labels are known without their unit.
        assert_eq!(label("项目名称（万元）"), None);
        // A short note after a label that is no amount is the label's.
        assert_eq!(label("年度绩效目标（文字）"), Some(Label::Goal));
        assert_eq!(label("项目名称（必填）"), Some(Label::ProjectName));
        assert_eq!(label("本年度项目金额（人）"), None);
    }

    #[test]
    fn a_template_note_is_no_part_of_a_name() {
        assert_eq!(strip_template_note("成本指标(必填硬性指标)"), "成本指标");
        assert_eq!(strip_template_note("时效指标(必填)"), "时效指标");
        assert_eq!(strip_template_note("其他指标(选填)"), "其他指标");
        assert_eq!(
            strip_template_note("数量指标(或建筑规模指标)"),
            "数量指标(或建筑规模指标)"
        );
        assert_eq!(strip_template_note("(必填)"), "(必填)");
    }

    /// The sources of 财政拨款 are known by a source word and an amount ending, after `其中`,
    /// their number, unit bracket and 小计; a 财政拨款 line, a total for a period and money
    /// that is not 财政 (or not the budget) are not sources.
    #[test]
    fn the_sources_of_fiscal_money_are_known_by_their_parts() {
        for part in [
            "其中：1.中央资金",
            "2.市级资金",
            "3、区县级资金",
            "上级财政补助资金（万元）",
            "其中：同级财政资金",
            "1、一般公共预算",
            "政府性基金",
            "其中：财政投款",
            "县级配套资金",
            "其中：当年市级财政资金",
        ] {
            assert_eq!(label(part), Some(Label::FundsFiscalPart), "{part}");
        }
        assert_eq!(label("（一）财政拨款小计"), Some(Label::FundsFiscal));
        assert_eq!(label("其中：财政拨款"), Some(Label::FundsFiscal));
        assert_eq!(
            label("本年度申请市财政预算资金（万元）"),
            Some(Label::FundsTotal)
        );
        assert_eq!(label("（二）自有资金小计"), Some(Label::FundsOther));
        // The 湖南 form: 年度本级预算金额 is the total and 本级 money; 上级资金 a source.
        assert_eq!(label("年度本级 预算金额"), Some(Label::FundsTotal));
        assert!(names_fiscal(Labels::standard(), "年度本级预算金额"));
        assert_eq!(label("该项目支出上级资金"), Some(Label::FundsFiscalPart));
        assert_eq!(label("一、预算资金"), Some(Label::FundsFiscalPart));
        assert_eq!(label("项目支出名称"), Some(Label::ProjectName));
        for not_part in [
            "非财政资金",
            "财政资金到位率",
            "市级资金执行数",
            "上年结转财政资金",
            "中央资金使用管理办法规定的补助标准资金",
            "市场资金",
        ] {
            assert_ne!(label(not_part), Some(Label::FundsFiscalPart), "{not_part}");
        }
        assert!(names_fiscal(
            Labels::standard(),
            "本年度申请市财政预算资金(万元)"
        ));
        assert!(!names_fiscal(Labels::standard(), "本年度项目金额(万元)"));
    }

    #[test]
    fn the_year_of_a_heading_above_the_table() {
        assert_eq!(
            heading_year("大英县民政局2022年度中央对地方转移支付项目绩效自评情况公示"),
            Some(2022)
        );
        assert_eq!(
            heading_year("# 2025年乡镇卫生院基本药物制度补助项目绩效目标"),
            Some(2025)
        );
        assert_eq!(heading_year("注:指标值按2024年执行情况测算"), None);
        assert_eq!(heading_year("2023-6-30 14:55 发布者"), None);
        let prose = "2020年石嘴山市疾病预防控制中心共设置项目支出预算绩效目标1个,分别是狂犬、乙肝、流感等疫苗及美沙酮药物项目,涉及财政拨款资金300万元。";
        assert_eq!(heading_year(prose), None);
    }

    #[test]
    fn captions_beside_an_amount_label_are_not_its_amount() {
        let v = Labels::standard();
        for t in ["金额（万元）", "当年其他资金", "其他"] {
            assert!(is_amount_caption(v, t), "{t}");
        }
        for t in [
            "25.00",
            "854万(高标准农田建设400万元)",
            "详见附件",
            "一百万",
        ] {
            assert!(!is_amount_caption(v, t), "{t}");
        }
    }

    /// A row of sub-column headings is known; a row with an indicator's name or value is not.
    #[test]
    fn a_row_of_sub_column_headings() {
        let v = Labels::standard();
        assert!(is_subheading_row(
            v,
            &["2021年实际实现值", "预期2022年实现值", ""]
        ));
        assert!(is_subheading_row(v, &["指标性质", "指标值", "度量单位"]));
        assert!(!is_subheading_row(v, &["", ""]));
        assert!(!is_subheading_row(v, &["主体班培训人次", "280人次"]));
        assert!(!is_subheading_row(
            v,
            &["资金使用效益", "达到预期值以上的比例≥90%"]
        ));
        assert!(!is_subheading_row(v, &["产出指标", "数量指标", "实现值"]));
    }

    #[test]
    fn an_amount_label_is_known_by_its_parts_when_it_names_its_unit() {
        assert_eq!(
            label("本年度申请市财政预算资金(万元)"),
            Some(Label::FundsTotal)
        );
        assert_eq!(label("中期市财政预算(万元)"), Some(Label::MidFundsTotal));
        assert_eq!(label("当年区级预算金额（元）"), Some(Label::FundsTotal));
        // Without its unit, or naming what was spent, it is no amount label.
        assert_eq!(label("本年度申请市财政预算资金"), None);
        assert_eq!(label("本年度已执行资金(万元)"), None);
        assert_eq!(label("本年度结转资金(万元)"), None);
        assert_eq!(label("年度绩效目标(万元)"), None);
    }

    #[test]
    fn each_distinct_cell_text_is_classified_once() {
        let v = Vocab::new(Labels::standard());
        for _ in 0..100 {
            assert_eq!(v.of("一级指标").column, Some(Column::Level1));
            assert_eq!(v.of("预算单位").label, Some(Label::BudgetUnit));
            assert_eq!(v.of("≥90%").label, None);
        }
        assert_eq!(v.classified(), 3);
    }

    /// A table of many distinct texts (a million indicator names): the memory stays bounded,
    /// the form's own words asked about all along stay in it, and a text asked about again
    /// right after (each row is looked at by several stages) is not classified again.
    #[test]
    fn the_memory_of_cell_texts_is_bounded() {
        let v = Vocab::new(Labels::standard());
        let n = 10 * VOCAB_CACHE;
        for i in 0..n {
            let name = format!("培训人数{i}");
            v.of("一级指标");
            v.of(&name);
            v.of(&name);
            assert!(v.remembered() <= 2 * VOCAB_CACHE);
        }
        // Each name once, the form's word once.
        assert_eq!(v.classified(), n + 1);
        assert!(v.remembered() >= VOCAB_CACHE);
    }

    #[test]
    fn score_bands_and_second_colons() {
        assert_eq!(strip_score_band("产出指标(40分)"), "产出指标");
        assert_eq!(strip_score_band("成本指标(0-20)分"), "成本指标");
        assert_eq!(strip_score_band("满意度指标10分"), "满意度指标");
        assert_eq!(strip_numbering("(一)财政拨款小计"), "财政拨款小计");
        assert_eq!(strip_numbering("1、项目名称"), "项目名称");
        assert_eq!(strip_numbering("十二.备注"), "备注");
        assert_eq!(strip_numbering("一级指标"), "一级指标");
        assert_eq!(strip_numbering("(1)"), "(1)");
        assert_eq!(label("(一)财政拨款小计"), Some(Label::FundsFiscal));
        assert_eq!(label("(二)其他资金小计"), Some(Label::FundsOther));
        assert_eq!(label("(一)项目名称小计"), None);
        assert_eq!(label("(7)绩效目标"), None);
        assert_eq!(label("项目(专项)名称"), Some(Label::ProjectName));
        assert_eq!(label("项目(专项资金使用情况)名称"), None);
        // The opening bracket lost on the line above.
        assert_eq!(strip_score_band("效益指标30分)"), "效益指标");
        assert_eq!(strip_score_band("效益指标)"), "效益指标)");
        assert_eq!(
            strip_score_band("数量指标(或建筑规模指标)"),
            "数量指标(或建筑规模指标)"
        );
        assert_eq!(strip_score_band("(50分)"), "(50分)");
        assert_eq!(strip_score_band("质量指标"), "质量指标");
        assert_eq!(column("一级指标(10分)"), Some(Column::Level1));
        assert_eq!(column("中期指标值"), Some(Column::MidValue));
        assert_eq!(column("二级指标（长期）"), Some(Column::Level2));
        assert_eq!(column("指标值(年度)"), Some(Column::Value));
        assert_eq!(column("三级指标（备注）"), None);
        assert_eq!(column("年度指标值"), Some(Column::Value));
        assert_eq!(column("指标值类型"), Some(Column::Sign));
        assert_eq!(
            label_with_value("其中：财政拨款：12.50万元"),
            Some((Label::FundsFiscal, "12.50万元".into()))
        );
        assert_eq!(
            kind_in(Labels::standard(), "白鹭县2023年度项目支出绩效自评表"),
            Some(TableKind::SelfEvaluation)
        );
        assert_eq!(
            kind_in(Labels::standard(), "项目支出绩效目标审批表"),
            Some(TableKind::Approval)
        );
        assert_eq!(kind_in(Labels::standard(), "项目支出绩效目标表"), None);
    }

    #[test]
    fn labels_with_variants() {
        assert_eq!(label("项 目 名 称"), Some(Label::ProjectName));
        assert_eq!(label("项目名称："), Some(Label::ProjectName));
        assert_eq!(label("项目资金 (万元)"), Some(Label::Funds { yuan: false }));
        assert_eq!(label("项目资金（元）"), Some(Label::Funds { yuan: true }));
        assert_eq!(label("其中:财政拨款"), Some(Label::FundsFiscal));
        assert_eq!(label("其中：财政拨款"), Some(Label::FundsFiscal));
        assert_eq!(label("年度资金总额:"), Some(Label::FundsTotal));
        assert_eq!(label("和硕县民政局"), None);
        assert_eq!(
            label_with_value("预算单位：和硕县民政局"),
            Some((Label::BudgetUnit, "和硕县民政局".into()))
        );
        assert_eq!(label_with_value("其中:财政拨款"), None);
        assert_eq!(label("实施单位"), Some(Label::ImplementingUnit));
        assert_eq!(label("中期资金总额："), Some(Label::MidFundsTotal));
        assert_eq!(label("中期目标（2022年—2024年）"), Some(Label::MidGoal));
    }

    #[test]
    fn section_headings_are_not_data() {
        assert!(is_section_heading("中期绩效指标"));
        assert!(is_section_heading("年度 绩效指标"));
        assert!(!is_section_heading("项目属性"));
        assert!(!is_section_heading("年度绩效目标"));
    }

    #[test]
    fn header_columns() {
        assert_eq!(column("一级\n指标"), Some(Column::Level1));
        assert_eq!(column("指标值 (包含数字及文字描述)"), Some(Column::Value));
        assert_eq!(column("年度指标值"), Some(Column::Value));
        assert_eq!(column("指标值及单位"), Some(Column::Value));
        assert_eq!(column("度量单位"), Some(Column::Unit));
        assert_eq!(column("指标性质"), Some(Column::Sign));
    }

    #[test]
    fn titles() {
        assert_eq!(
            title("2022年度和硕县重大政策和重点项目绩效目标汇总表"),
            Some(Title::Summary)
        );
        assert_eq!(title("项目支出绩效目标表"), Some(Title::Project(None)));
        assert_eq!(
            title("项目支出绩效目标表 (2022年)"),
            Some(Title::Project(Some(2022)))
        );
        assert_eq!(title("(2022年)"), Some(Title::Year(2022)));
        assert_eq!(title("（2022年度）"), Some(Title::Year(2022)));
        assert_eq!(title("2022年"), Some(Title::Year(2022)));
        assert_eq!(title("单位：万元"), Some(Title::Unit { yuan: false }));
        assert_eq!(title("请于3月31日前报送项目支出绩效目标表。"), None);
        assert_eq!(title("关于报送绩效目标汇总表的说明"), None);
        assert_eq!(title("我县2022年预计参保"), None);
        assert_eq!(
            region_in("2022年度和硕县重大政策和重点项目绩效目标汇总表").as_deref(),
            Some("和硕县")
        );
    }
}
