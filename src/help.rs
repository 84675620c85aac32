//! The command line in the clerk's language: `jixiao --help` and every command's help in
//! Chinese (option names stay as they are), each command with worked examples; a short guide
//! when `jixiao` is run with nothing; command-line mistakes explained in Chinese.
//!
//! The commands and options are declared once, in `main.rs`; this module only puts Chinese
//! words on them (`localize`), by command and argument id. A test fails when an argument has
//! no Chinese help, so a new option cannot slip in with English help.

use clap::error::{ContextKind, ErrorKind};
use clap::{Arg, ArgAction, Command};
use std::process::ExitCode;

/// What `jixiao` with no arguments prints.
pub(crate) const GUIDE: &str = "\
jixiao 绩效目标表转换工具：把各单位报来的项目支出绩效目标表（Excel、Word、PDF、网页、识别出的文字、JSON）
转换为标准格式的 XLSX、PDF 和 JSON，并列出发现的问题。

最常用的三种用法：
  jixiao serve                                    在浏览器中打开转换页面，拖入文件即可（推荐）
  jixiao convert 表1.xlsx -o 输出                  转换一个或几个文件（写出 XLSX 和 PDF）
  jixiao batch 2024年申报 -o 2024年成果             转换整个文件夹，并生成全县汇总和处理报告

年底自评：
  jixiao ziping 2024年目标.xlsx -o 2024年自评表.xlsx    按目标表生成预填好的绩效自评表，发给各单位填写

其他命令：check（只检查不转换）、rules（全部问题代码说明）、explain（解释一个问题代码）、schema（JSON 格式说明）。
查看某个命令的详细说明：jixiao 命令 --help，例如 jixiao convert --help
";

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

const TOP_EXAMPLES: &str = "\
示例：
  jixiao serve
      在浏览器中打开转换页面：拖入文件、查看表格和问题、下载结果
  jixiao convert 表1.xlsx -o 输出
      把 表1.xlsx 转换为标准格式的 XLSX 和 PDF（默认），写入“输出”文件夹
  jixiao batch 2024年申报 -o 2024年成果
      转换“2024年申报”文件夹中的全部文件，生成全县汇总和处理报告";

/// A command's one-line description (the list in `jixiao --help`), its full description,
/// usage line and worked examples.
fn command_text(name: &str) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    Some(match name {
        "convert" => (
            "转换文件为标准格式（XLSX、PDF、JSON）",
            "转换文件：读取 Excel（.xlsx .xls .ods）、Word（.docx）、有文字层的 PDF、网页（.html）、识别出的文字（.md .txt）或 JSON，\
             写出标准格式的 XLSX、PDF 或 JSON；发现的问题写在屏幕上。",
            "jixiao convert <输入文件>... [选项]",
            "\
示例：
  jixiao convert 表1.xlsx -o 输出
      把 表1.xlsx 转换为标准格式的 XLSX 和 PDF（默认），写入“输出”文件夹
  jixiao convert 民政局.html 医保局识别结果.md --to json,xlsx
      一次转换两个文件，各自写出 JSON 和 XLSX（写在当前文件夹）
  jixiao convert 表1.xlsx --to pdf --template 本县模板 --font simsun.ttc:0
      用本县的表样（本县模板/form.toml）和宋体生成 PDF",
        ),
        "ziping" => (
            "按目标表生成预填好的绩效自评表（XLSX），发给各单位填写",
            "生成绩效自评表：读取目标表（jixiao 能读的任何格式，或其 JSON），为每个项目写出标准的项目支出绩效自评表             （财预〔2020〕10号）：项目名称、单位、年初预算数、预期目标和各项指标及年度指标值已填好并锁定；             全年预算数、全年执行数、执行率、实际完成情况，以及各指标的实际完成值、分值、得分、偏差原因和总分、自评等级留空、             可以填写（工作表已保护，无密码）。各单位填好后，用 jixiao convert 或 jixiao check 读回即得完整的自评内容并审核。",
            "jixiao ziping <目标表> -o <自评表.xlsx> [选项]",
            "\
示例：
  jixiao ziping 2024年目标.xlsx -o 2024年自评表.xlsx
      按 2024年目标.xlsx 中的项目生成预填好的自评表
  jixiao ziping 民政局目标.json -o 自评表
      写入“自评表”文件夹中的 民政局目标-自评表.xlsx
  jixiao check 民政局自评表.xlsx
      读回单位填好的自评表：分值合计、得分、执行率、总分和等级等问题逐条列出",
        ),
        "check" => (
            "只检查不转换：列出发现的问题",
            "只检查不转换：读取文件，列出识别时的修复、推测和审核发现的问题（写在屏幕上）。",
            "jixiao check <输入文件>... [选项]",
            "\
示例：
  jixiao check 表1.xlsx
      列出 表1.xlsx 中的错误和警告（错误在前），每条带文件名和行号或单元格，最后给出各类条数
  jixiao check 表1.xlsx -v
      同上，并逐条列出提示
  jixiao check 民政局.xlsx 医保局.xlsx --diagnostics json > 问题.json
      把两个文件的问题以 JSON 格式保存到 问题.json",
        ),
        "batch" => (
            "批量转换一个文件夹，生成全县汇总和处理报告",
            "批量转换：转换一个文件夹（含子文件夹）中的全部文件，输出按原文件夹排列，\
             并生成全县汇总（全县汇总.xlsx 等）和处理报告（report.json、report.csv）。\
             某个文件出错不影响其他文件。",
            "jixiao batch <输入文件夹> -o <输出文件夹> [选项]",
            "\
示例：
  jixiao batch 2024年申报 -o 2024年成果
      转换“2024年申报”中的全部文件，写出标准格式的 XLSX 和 PDF（默认），
      并生成 全县汇总.xlsx、全县汇总.pdf 和处理报告，都写入“2024年成果”
  jixiao batch 2024年申报 -o 2024年成果 --to xlsx,pdf,json
      同上，另为其他系统写出 JSON
  jixiao batch 2024年申报 -o 2024年成果 --strict -j 2
      有警告也算失败（退出码 1），最多同时转换 2 个文件",
        ),
        "serve" => (
            "打开转换页面：在浏览器中拖入文件即可（推荐）",
            "打开转换页面：在本机启动一个只有本机能访问的网页，自动打开浏览器。\
             把文件、文件夹或 .zip 拖进页面（Excel、Word .docx、网页、识别出的文字、JSON）\
             即可转换、查看表格和问题、在表中更正识别错的格子、下载结果；\
             文件不会离开这台电脑。按 Ctrl+C 停止，停止后上传的文件和结果全部删除。",
            "jixiao serve [选项]",
            "\
示例：
  jixiao serve
      启动并打开浏览器，地址是 http://127.0.0.1:8765/（可加入收藏夹；端口被占用时改用下一个空闲端口，并会说明）
  jixiao serve --port 8080 --no-open
      固定使用 8080 端口，不自动打开浏览器（自己在浏览器中打开 http://127.0.0.1:8080/）
  jixiao serve --listen 0.0.0.0 --port 8080
      让同一网络中的其他电脑也能打开（会给出警告；只在可信的网络中使用）",
        ),
        "rules" => (
            "列出全部问题代码（I3xx 读取、R1xx 识别、C2xx 审核、L/X/P 输出）",
            "按类别列出全部问题代码：每个代码的级别、含义和示例。",
            "jixiao rules",
            "\
示例：
  jixiao rules
      在屏幕上列出全部问题代码
  jixiao rules > 问题代码说明.txt
      保存为文本文件，便于打印或转发",
        ),
        "explain" => (
            "解释一个问题代码（如 R101）",
            "解释一个问题代码：它的含义、为什么要注意、示例。",
            "jixiao explain <代码>",
            "\
示例：
  jixiao explain R101
      解释“该行单元格整体错位，已复原”是什么意思
  jixiao explain c201
      代码不区分大小写",
        ),
        "schema" => (
            "输出 JSON 格式（jixiao/1）的 JSON Schema",
            "输出 JSON 格式（jixiao/1）的 JSON Schema，供其他程序读取本工具的 JSON 输出。",
            "jixiao schema",
            "\
示例：
  jixiao schema > jixiao-1.schema.json
      保存 JSON Schema
  jixiao convert 表1.xlsx -o -
      对照着看：把 表1.xlsx 的 JSON 直接输出到屏幕",
        ),
        _ => return None,
    })
}

/// An argument's help and, for one that takes a value, the name shown for the value.
fn arg_text(command: &str, id: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match (command, id) {
        (_, "inputs") => (
            "要读取的文件，可以有多个（Excel .xlsx .xls .ods、Word .docx、PDF .pdf、网页 .html、识别出的文字 .md .txt、JSON）",
            Some("输入文件"),
        ),
        ("batch", "input") => (
            "各单位报来的文件所在的文件夹（包括其中的子文件夹）",
            Some("输入文件夹"),
        ),
        ("ziping", "input") => (
            "目标表：Excel、Word、PDF、网页、识别出的文字或 JSON（其中每个项目生成一张自评表）",
            Some("目标表"),
        ),
        ("ziping", "output") => (
            "写出的自评表（.xlsx）；写一个已有的文件夹时，在其中写“<目标表名>-自评表.xlsx”",
            Some("自评表"),
        ),
        ("batch", "output") => (
            "结果写入的文件夹（按输入的文件夹排列；全县汇总、report.json、report.csv 也在这里）",
            Some("输出文件夹"),
        ),
        (_, "output") => (
            "结果写入的文件夹（默认当前文件夹）；写 - 表示输出到屏幕（仅限一个文件、JSON）",
            Some("输出文件夹"),
        ),
        (_, "to") => (
            "输出格式，可写多个，用逗号分开：xlsx、pdf、json。默认 xlsx,pdf（报送、打印用的标准表）；\
             json 供其他系统读取或日后再转换，需要时写上（如 --to xlsx,pdf,json）；-o - 时默认 json",
            Some("格式"),
        ),
        (_, "diagnostics") => (
            "问题的显示方式：human（逐条文字，默认）或 json",
            Some("方式"),
        ),
        (_, "template") => (
            "另用一套模板：该文件夹中的 framework.toml（指标体系）、form.toml（表样）、\
             ziping.toml（自评表表样）、self_evaluation.toml（自评分值权重），有哪个用哪个",
            Some("文件夹"),
        ),
        (_, "font") => (
            "PDF 使用的字体文件（TTF、OTF 或 TTC）；TTC 可用“路径:序号”选字体，如 simsun.ttc:0。\
             默认使用内置的思源宋体",
            Some("字体文件[:序号]"),
        ),
        (_, "jobs") => ("同时转换的文件数（默认每个处理器核心一个）", Some("个数")),
        (_, "timeout") => (
            "一个文件最长可转换多少秒（默认 300，0 表示不限）；超时的文件记为失败，其余照常转换",
            Some("秒数"),
        ),
        (_, "quiet") => ("不显示进度", None),
        ("check", "verbose") => ("也逐条列出提示（默认只在最后计数）", None),
        (_, "strict") => ("有警告的文件也算失败（影响退出码）", None),
        (_, "port") => (
            "使用的端口（不指定时用 8765，被占用则改用其后第一个空闲端口；指定的端口被占用时不启动并说明）",
            Some("端口"),
        ),
        (_, "listen") => (
            "在这个地址上监听（如 0.0.0.0），让其他电脑也能打开页面；默认只有本机（127.0.0.1）能打开",
            Some("地址"),
        ),
        (_, "no_open") => ("不自动打开浏览器", None),
        ("explain", "code") => ("问题代码，如 R101、C201", Some("代码")),
        _ => return None,
    })
}

fn help_flag() -> Arg {
    Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
        .help("显示这份帮助")
        .help_heading("选项")
}

/// The command line with every help text in Chinese.
pub(crate) fn localize(cmd: Command) -> Command {
    let cmd = cmd
        .about("绩效目标表转换工具：把各种格式的项目支出绩效目标表转换为标准格式（XLSX、PDF、JSON），并列出发现的问题。")
        .help_template(TEMPLATE)
        .override_usage("jixiao <命令> [选项]")
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .after_help(TOP_EXAMPLES)
        .arg(help_flag())
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .help_heading("选项"),
        );
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let sub = match command_text(&name) {
            Some((about, long_about, usage, examples)) => sub
                .about(about)
                .long_about(long_about)
                .override_usage(usage)
                .after_help(examples),
            None => sub,
        };
        sub.help_template(TEMPLATE)
            .disable_help_flag(true)
            .mut_args(|arg| {
                let heading = if arg.is_positional() {
                    "参数"
                } else {
                    "选项"
                };
                let takes_value = arg.get_action().takes_values();
                let arg = arg
                    .help_heading(heading)
                    .hide_default_value(takes_value)
                    .hide_possible_values(takes_value);
                match arg_text(&name, arg.get_id().as_str()) {
                    Some((help, Some(value))) => arg.help(help).value_name(value),
                    Some((help, None)) => arg.help(help),
                    None => arg,
                }
            })
            .arg(help_flag())
    })
}

/// A command-line mistake, said in Chinese; exit code 2 (help and version: printed, 0).
pub(crate) fn usage_error(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let ctx = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let mut message = match e.kind() {
        ErrorKind::InvalidValue => format!("{arg} 的值“{value}”无效"),
        ErrorKind::ValueValidation => format!("{arg} 的值“{value}”无效"),
        ErrorKind::UnknownArgument => format!("没有 {arg} 这个选项"),
        ErrorKind::InvalidSubcommand => {
            format!("没有“{}”这个命令", ctx(ContextKind::InvalidSubcommand))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::ArgumentConflict => {
            format!("{arg} 不能与 {} 同时使用", ctx(ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值个数不对")
        }
        ErrorKind::NoEquals => format!("{arg} 的值须用 = 连接"),
        ErrorKind::InvalidUtf8 => "参数中有无法识别的字符（不是 UTF-8）".to_string(),
        _ => format!("命令行有误：{}", e.render()),
    };
    let valid = ctx(ContextKind::ValidValue);
    if !valid.is_empty() {
        message.push_str(&format!("；可选：{valid}"));
    }
    let suggested = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(ctx)
    .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        message.push_str(&format!("；是不是想写 {s}？"));
    }
    eprintln!("错误: {message}\n运行 jixiao --help 查看用法和示例。");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn has_chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_command_and_argument_speaks_chinese() {
        let mut cmd = localize(crate::Cli::command());
        cmd.build();
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = sub.get_name();
            assert!(
                sub.get_about().is_some_and(|a| has_chinese(&a.to_string())),
                "{name}: about"
            );
            let examples = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            let count = examples
                .lines()
                .filter(|l| l.starts_with("  jixiao "))
                .count();
            assert!((2..=3).contains(&count), "{name}: {count} examples");
            for arg in sub.get_arguments() {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(has_chinese(&help), "{name} {}: {help:?}", arg.get_id());
            }
        }
    }
}
