//! Text from the inputs as it may be shown to the clerk: on a terminal (`convert`, `batch`)
//! and on the page. One answer for every place a file name or a quoted cell is shown.

/// Text from the inputs (file names, messages quoting cells) as shown on a terminal: control
/// characters (an escape sequence could rewrite the screen) and the characters that reorder
/// text (U+202E makes `报告gpj.md` look like `报告dm.jpg`) are written as `\u{…}`.
///
/// ```
/// assert_eq!(jixiao_pipeline::shown("a\u{1b}[2Jb\u{202e}c"), "a\\u{1b}[2Jb\\u{202e}c");
/// assert_eq!(jixiao_pipeline::shown("表1.md"), "表1.md");
/// ```
pub fn shown(text: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
