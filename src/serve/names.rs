//! Upload names: what the browser says a file is called is never used as a path. It is cut
//! into components, each cleaned to a plain file name (no separators, no `.`/`..`, no control
//! or reserved characters, bounded length), and the result is only ever joined under a folder
//! the server made.

/// Longest component kept, in characters.
const MAX_COMPONENT: usize = 100;
/// Deepest folder nesting kept.
const MAX_DEPTH: usize = 8;

/// Why an archive entry's name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NameError {
    /// The name climbs out of its folder (`../`) or starts at the root.
    #[error("路径“{0}”指向压缩包以外（含 ../ 或以 / 开头），已拒绝")]
    Escapes(String),
    /// Nothing is left of the name.
    #[error("文件名为空")]
    Empty,
}

/// A relative name (`科室/表1.xlsx`) cleaned from a name the browser sent. `..` and `.`
/// components are dropped (a browser never sends them for a real file), and so is a leading
/// `/`.
pub(crate) fn clean_upload(name: &str) -> Result<String, NameError> {
    let parts: Vec<String> = name
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .map(clean_component)
        .filter(|p| !p.is_empty())
        .collect();
    join(parts)
}

/// The relative name of an archive entry, refused when it escapes the archive (`../x`,
/// `/etc/x`, `C:\x`).
pub(crate) fn clean_entry(name: &str) -> Result<String, NameError> {
    let escapes = name.starts_with(['/', '\\'])
        || name.get(1..2) == Some(":")
        || name.split(['/', '\\']).any(|p| p == "..");
    if escapes {
        return Err(NameError::Escapes(clean_shown(name)));
    }
    clean_upload(name)
}

fn join(parts: Vec<String>) -> Result<String, NameError> {
    if parts.is_empty() {
        return Err(NameError::Empty);
    }
    // Keep the innermost folders and the file name when the nesting is too deep.
    let skip = parts.len().saturating_sub(MAX_DEPTH);
    Ok(parts[skip..].join("/"))
}

/// One component as a plain file name: no control or reserved characters (`<>:"|?*`), no
/// leading or trailing dots and spaces (Windows drops them), at most 100 characters.
fn clean_component(part: &str) -> String {
    let cleaned: String = part
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches([' ', '.']);
    let mut out: String = trimmed.chars().take(MAX_COMPONENT).collect();
    if trimmed.chars().count() > MAX_COMPONENT
        && let Some(dot) = trimmed.rfind('.')
    {
        // Keep the extension of a long name: the extension tells the format's kind.
        let ext: String = trimmed[dot..].chars().take(16).collect();
        out = out
            .chars()
            .take(MAX_COMPONENT - ext.chars().count())
            .collect();
        out.push_str(&ext);
    }
    // Reserved device names on Windows.
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem.len() == 4
            && (stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        out.insert(0, '_');
    }
    out
}

/// A name as it may be shown in a message (control characters replaced).
fn clean_shown(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .take(200)
        .collect()
}

/// The names taken in a session (lower-case), and for each name given more than once the
/// number to try next, so that thousands of uploads of one name cost one probe each.
#[derive(Debug, Default)]
pub(crate) struct Taken {
    names: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, u32>,
    /// Names tried, for the test that the work stays linear.
    probes: usize,
}

/// `name` made unique against `taken` (compared without case, as Windows and macOS folders
/// compare): `表1.xlsx`, `表1 (2).xlsx`, …; the chosen name is added to `taken`.
pub(crate) fn unique(name: &str, taken: &mut Taken) -> String {
    taken.probes += 1;
    if taken.names.insert(name.to_lowercase()) {
        return name.to_string();
    }
    let (dir, file) = match name.rfind('/') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let (stem, ext) = match file.rfind('.') {
        Some(i) if i > 0 => (&file[..i], &file[i..]),
        _ => (file, ""),
    };
    let n = taken.next.entry(name.to_lowercase()).or_insert(2);
    loop {
        let candidate = format!("{dir}{stem} ({}){ext}", *n);
        *n += 1;
        taken.probes += 1;
        if taken.names.insert(candidate.to_lowercase()) {
            return candidate;
        }
    }
}

/// A `Content-Disposition` header for a download named `name`: an ASCII fallback and the
/// UTF-8 name (RFC 6266 / RFC 5987).
pub(crate) fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"._-~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn upload_names_become_plain_relative_names() {
        assert_eq!(clean_upload("表1.xlsx").unwrap(), "表1.xlsx");
        assert_eq!(
            clean_upload("2024年申报/科室/表1.xlsx").unwrap(),
            "2024年申报/科室/表1.xlsx"
        );
        assert_eq!(clean_upload("../../etc/passwd").unwrap(), "etc/passwd");
        assert_eq!(clean_upload("C:\\a\\b.md").unwrap(), "C_/a/b.md");
        assert_eq!(clean_upload("a/./b\u{0}c.md").unwrap(), "a/b_c.md");
        assert_eq!(clean_upload(" ..表.md.. ").unwrap(), "表.md");
        assert_eq!(clean_upload("con.txt").unwrap(), "_con.txt");
        assert_eq!(clean_upload("../.."), Err(NameError::Empty));
        let long = format!("{}.xlsx", "长".repeat(300));
        let cleaned = clean_upload(&long).unwrap();
        assert_eq!(cleaned.chars().count(), 100);
        assert!(cleaned.ends_with("长.xlsx"));
    }

    #[test]
    fn archive_entries_that_escape_are_refused() {
        for bad in [
            "../x.md",
            "a/../../x.md",
            "/etc/x",
            "\\x",
            "C:\\x.md",
            "a\\..\\x",
        ] {
            assert!(
                matches!(clean_entry(bad), Err(NameError::Escapes(_))),
                "{bad}"
            );
        }
        assert_eq!(clean_entry("科室/表1.xlsx").unwrap(), "科室/表1.xlsx");
    }

    #[test]
    fn names_are_made_unique_without_case() {
        let mut taken = Taken::default();
        assert_eq!(unique("a/表1.xlsx", &mut taken), "a/表1.xlsx");
        assert_eq!(unique("A/表1.XLSX", &mut taken), "A/表1 (2).XLSX");
        assert_eq!(unique("a/表1.xlsx", &mut taken), "a/表1 (3).xlsx");
        assert_eq!(unique("README", &mut taken), "README");
        assert_eq!(unique("readme", &mut taken), "readme (2)");
    }

    /// Thousands of uploads of one name cost one probe each, not one per earlier copy; a name
    /// already taken by an upload of its own (`x (3).md`) is still skipped.
    #[test]
    fn many_copies_of_one_name_cost_linear_work() {
        let mut taken = Taken::default();
        assert_eq!(unique("x (3).md", &mut taken), "x (3).md");
        let n = 20_000;
        let names: HashSet<String> = (0..n).map(|_| unique("x.md", &mut taken)).collect();
        assert_eq!(names.len(), n);
        assert!(!names.contains("x (3).md"));
        // Two per name (the name itself, then its next suffix); probing from (2) each time
        // would take n² / 2.
        assert!(
            taken.probes <= 2 * n + 1,
            "{} probes for {n} names",
            taken.probes
        );
    }

    #[test]
    fn downloads_carry_the_chinese_name() {
        assert_eq!(
            content_disposition("表1.pdf"),
            "attachment; filename=\"_1.pdf\"; filename*=UTF-8''%E8%A1%A81.pdf"
        );
    }

    proptest! {
        #[test]
        fn a_cleaned_name_never_leaves_its_folder(name in "\\PC{0,40}") {
            if let Ok(clean) = clean_upload(&name) {
                let path = std::path::Path::new(&clean);
                prop_assert!(path.is_relative());
                prop_assert!(path.components().all(|c| matches!(c, std::path::Component::Normal(_))));
                prop_assert!(!clean.contains('\\'));
            }
        }
    }
}
