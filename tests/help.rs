//! The command line speaks the clerk's language: Chinese help with worked examples for every
//! command, a short guide for bare `jixiao`, command-line mistakes said in Chinese.

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").unwrap()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = jixiao().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn bare_jixiao_prints_a_short_chinese_guide() {
    let (code, out, err) = run(&[]);
    assert_eq!(code, 0);
    assert!(err.is_empty());
    assert!(out.contains("jixiao serve"), "{out}");
    assert!(
        out.contains("jixiao batch 2024年申报 -o 2024年成果"),
        "{out}"
    );
    assert!(out.lines().count() <= 15, "short: {out}");
}

#[test]
fn every_command_has_chinese_help_with_examples() {
    for args in [
        &["--help"][..],
        &["convert", "--help"],
        &["check", "--help"],
        &["ziping", "--help"],
        &["batch", "--help"],
        &["serve", "--help"],
        &["rules", "--help"],
        &["schema", "-h"],
    ] {
        let (code, out, _) = run(args);
        assert_eq!(code, 0, "{args:?}");
        assert!(out.contains("用法："), "{args:?}: {out}");
        assert!(out.contains("示例：\n  jixiao "), "{args:?}: {out}");
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Commands:",
            "Print help",
            "[default",
        ] {
            assert!(!out.contains(english), "{args:?} says {english:?}: {out}");
        }
    }
    let (_, out, _) = run(&["convert", "--help"]);
    assert!(out.contains("jixiao convert 表1.xlsx -o 输出"), "{out}");
    assert!(
        out.contains("--to <格式>"),
        "option names stay as they are: {out}"
    );
    let (_, out, _) = run(&["--version"]);
    assert!(out.starts_with("jixiao "), "{out}");
}

#[test]
fn command_line_mistakes_are_said_in_chinese_with_exit_2() {
    let (code, _, err) = run(&["convert", "a.md", "--to", "docx"]);
    assert_eq!(code, 2);
    assert!(err.contains("“docx”无效；可选：json, xlsx, pdf"), "{err}");
    let (code, _, err) = run(&["frob"]);
    assert_eq!(code, 2);
    assert!(err.contains("没有“frob”这个命令"), "{err}");
    let (code, _, err) = run(&["convert", "--nope", "a.md"]);
    assert_eq!(code, 2);
    assert!(err.contains("没有 --nope 这个选项"), "{err}");
    let (code, _, err) = run(&["convert"]);
    assert_eq!(code, 2);
    assert!(err.contains("缺少必需的参数"), "{err}");
    let (code, _, err) = run(&["serve", "--listen", "不是地址", "--no-open"]);
    assert_eq!(code, 2);
    assert!(err.contains("--listen 的地址“不是地址”无效"), "{err}");
}
