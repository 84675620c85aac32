//! .zip archives: a year's submissions dropped on the page as one archive are unpacked with
//! limits (entries, total unpacked size, each entry's size, names that stay inside), and the
//! batch output folder goes back to the clerk as one archive.

use super::names::{NameError, clean_entry};
use std::io::{Cursor, Read, Write};
use std::path::Path;

/// Limits on unpacking one archive.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ZipLimits {
    /// Files taken from one archive at most.
    pub entries: usize,
    /// Bytes unpacked from one archive at most (all entries together).
    pub total: u64,
    /// Bytes of one entry at most.
    pub entry: u64,
}

/// One entry of an archive: its cleaned relative name and its bytes, or why it was not taken.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The name inside the archive, cleaned (`科室/表1.xlsx`), or as shown when refused.
    pub name: String,
    /// The bytes, or a message in Chinese.
    pub content: Result<Vec<u8>, String>,
}

/// Why an archive could not be opened at all.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ArchiveError {
    /// Not a readable zip.
    #[error("压缩包无法读取（文件损坏或不是 zip 格式）：{0}")]
    Corrupt(String),
    /// More entries than allowed.
    #[error("压缩包中有 {found} 个文件，超过上限 {limit} 个；请分成几个压缩包")]
    TooManyEntries {
        /// Entries in the archive.
        found: usize,
        /// The limit.
        limit: usize,
    },
}

/// True when `name` says the upload is an archive of submissions (`….zip`). Workbooks are zip
/// files too (`.xlsx`, `.ods`); they are converted, not unpacked.
pub(crate) fn is_archive_name(name: &str) -> bool {
    name.to_lowercase().ends_with(".zip")
}

/// Unpacks the files of an archive within `limits`. Folders are skipped; an entry whose name
/// escapes the archive, that is encrypted, too large, or itself an archive becomes an entry
/// with a message, and the rest go on. Once the total limit is reached the remaining entries
/// are refused with a message each.
///
/// # Errors
///
/// [`ArchiveError`] when the archive cannot be opened or holds more entries than allowed.
pub(crate) fn unpack(bytes: &[u8], limits: ZipLimits) -> Result<Vec<Entry>, ArchiveError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ArchiveError::Corrupt(e.to_string()))?;
    if archive.len() > limits.entries {
        return Err(ArchiveError::TooManyEntries {
            found: archive.len(),
            limit: limits.entries,
        });
    }
    let mut out = Vec::new();
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                out.push(Entry {
                    name: format!("（第 {} 个文件）", i + 1),
                    content: Err(format!("压缩包中的这个文件无法读取：{e}")),
                });
                continue;
            }
        };
        let raw_name = decode_name(file.name_raw());
        if file.is_dir() {
            continue;
        }
        let name = match clean_entry(&raw_name) {
            Ok(n) => n,
            Err(e @ NameError::Escapes(_)) => {
                out.push(Entry {
                    name: raw_name,
                    content: Err(e.to_string()),
                });
                continue;
            }
            Err(NameError::Empty) => continue,
        };
        let refuse = |why: String| Entry {
            name: name.clone(),
            content: Err(why),
        };
        if file.is_symlink() {
            out.push(refuse("压缩包中的符号链接不是文件，已跳过".into()));
            continue;
        }
        if file.encrypted() {
            out.push(refuse("压缩包中的这个文件有密码保护，无法读取".into()));
            continue;
        }
        if is_archive_name(&name) {
            out.push(refuse(
                "压缩包中的压缩包不展开；请先解压，再把其中的文件拖入".into(),
            ));
            continue;
        }
        if file.size() > limits.entry {
            out.push(refuse(format!(
                "文件解压后有 {}，超过单个文件的上限 {}",
                size_text(file.size()),
                size_text(limits.entry)
            )));
            continue;
        }
        let room = limits.total.saturating_sub(total);
        if file.size() > room {
            out.push(refuse(format!(
                "压缩包解压后的总大小超过上限 {}，这个文件未解压",
                size_text(limits.total)
            )));
            continue;
        }
        // The declared size may lie: read at most what is allowed, plus one byte to notice.
        let cap = limits.entry.min(room);
        let mut content = Vec::new();
        match (&mut file).take(cap + 1).read_to_end(&mut content) {
            Ok(_) if content.len() as u64 > cap => {
                out.push(refuse(format!(
                    "文件解压后超过上限 {}（压缩包中记录的大小不实）",
                    size_text(cap)
                )));
            }
            Ok(_) => {
                total += content.len() as u64;
                out.push(Entry {
                    name,
                    content: Ok(content),
                });
            }
            Err(e) => out.push(refuse(format!("解压失败（文件损坏）：{e}"))),
        }
    }
    Ok(out)
}

/// An entry name: UTF-8 when it is, otherwise GB18030 (what Chinese Windows writes).
fn decode_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}

/// `12.5 MB`, `300 KB`.
pub(crate) fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Packs every file under `dir` into a zip, names relative to `dir` with `/`, in path order,
/// with fixed timestamps (1980-01-01), so the same folder always gives the same bytes.
///
/// # Errors
///
/// An I/O error reading the folder, or the zip writer's error.
pub(crate) fn pack(dir: &Path) -> std::io::Result<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        writer
            .start_file(rel, options)
            .map_err(std::io::Error::other)?;
        writer.write_all(&std::fs::read(entry.path())?)?;
    }
    let cursor = writer.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in entries {
            w.start_file(*name, options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    const LIMITS: ZipLimits = ZipLimits {
        entries: 10,
        total: 100,
        entry: 60,
    };

    #[test]
    fn entries_are_taken_within_limits() {
        let bytes = zip_of(&[
            ("科室/表1.md", b"a"),
            ("../逃逸.md", b"b"),
            ("内层.zip", b"c"),
            ("大.md", &[b'x'; 61]),
            ("甲.md", &[b'y'; 50]),
            ("乙.md", &[b'z'; 50]),
        ]);
        let entries = unpack(&bytes, LIMITS).unwrap();
        let shown: Vec<(&str, bool)> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.content.is_ok()))
            .collect();
        assert_eq!(
            shown,
            [
                ("科室/表1.md", true),
                ("../逃逸.md", false),
                ("内层.zip", false),
                ("大.md", false),
                ("甲.md", true),
                ("乙.md", false),
            ]
        );
        assert!(entries[1].content.as_ref().unwrap_err().contains("../"));
        assert!(entries[5].content.as_ref().unwrap_err().contains("总大小"));
    }

    #[test]
    fn too_many_entries_or_garbage_is_refused_whole() {
        let many: Vec<(String, &[u8])> = (0..11).map(|i| (format!("{i}.md"), &b"x"[..])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        assert!(matches!(
            unpack(&zip_of(&refs), LIMITS),
            Err(ArchiveError::TooManyEntries {
                found: 11,
                limit: 10
            })
        ));
        assert!(matches!(
            unpack(b"PK\x03\x04 not really", LIMITS),
            Err(ArchiveError::Corrupt(_))
        ));
    }

    #[test]
    fn gbk_names_are_read_as_chinese() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("表1.md");
        assert_eq!(decode_name(&gbk), "表1.md");
    }

    #[test]
    fn packing_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("科室")).unwrap();
        std::fs::write(dir.path().join("科室/表1.json"), b"{}").unwrap();
        std::fs::write(dir.path().join("report.csv"), b"a,b").unwrap();
        let a = pack(dir.path()).unwrap();
        assert_eq!(a, pack(dir.path()).unwrap());
        let back = unpack(&a, LIMITS).unwrap();
        let names: Vec<&str> = back.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["report.csv", "科室/表1.json"]);
    }
}
