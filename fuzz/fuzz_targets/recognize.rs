//! Recognizer on arbitrary grids: cells drawn mostly from the form's own labels and values,
//! sometimes arbitrary text, with arbitrary spans and covered slots.
#![no_main]
mod common;
use arbitrary::{Arbitrary, Unstructured};
use jixiao_grid::{Cell, Covered, Grid, Pos, Row, RowKind};
use libfuzzer_sys::fuzz_target;

const WORDS: &[&str] = &[
    "",
    " ",
    "预算单位",
    "项目名称",
    "项目资金",
    "项目资金（万元）",
    "年度资金总额",
    "其中：财政拨款",
    "其他资金",
    "项目总体目标",
    "年度总体目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "产出指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "效益指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "满意度指标",
    "服务对象满意度指标",
    "序号",
    "部门单位",
    "合计",
    "总计",
    "绩效指标",
    "≥95%",
    "=100%",
    "≤10万元",
    "100",
    "12.5",
    "-3",
    "50000000000000000000000000000",
    "79228162514264337593543950335",
    "1e30",
    "≥221人",
    "好",
    "2022年度项目支出绩效目标表",
    "（2022年）",
    "单位：万元",
    "和硕县民政局",
    "城市低保",
];

#[derive(Debug)]
struct FuzzGrid(Vec<Grid>);

impl<'a> Arbitrary<'a> for FuzzGrid {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut grids = Vec::new();
        for g in 0..u.int_in_range(1..=3)? {
            let mut grid = Grid::new(Some("fuzz.xlsx".into()), Some(format!("Sheet{g}")));
            let width = u.int_in_range(1..=10u32)?;
            let height = u.int_in_range(0..=60u32)?;
            for r in 0..height {
                let kind = if u.ratio(1, 10)? {
                    RowKind::Text
                } else {
                    RowKind::Table
                };
                let mut cells = Vec::new();
                for c in 0..width {
                    let pos = Pos::Sheet { row: r, col: c };
                    let cell = match u.int_in_range(0..=9u8)? {
                        0 => Cell::covered(Covered::Above, pos),
                        1 => Cell::covered(Covered::Left, pos),
                        2 => Cell::new(<String as Arbitrary>::arbitrary(u)?, pos),
                        3 => {
                            let mut cell = Cell::new(*u.choose(WORDS)?, pos);
                            cell.row_span = u.int_in_range(0..=5)?;
                            cell.col_span = u.int_in_range(0..=5)?;
                            cell
                        }
                        _ => Cell::new(*u.choose(WORDS)?, pos),
                    };
                    cells.push(cell);
                }
                grid.rows.push(Row::new(kind, cells));
            }
            grids.push(grid);
        }
        Ok(FuzzGrid(grids))
    }
}

fuzz_target!(|grids: FuzzGrid| {
    common::after_read(&grids.0);
});
