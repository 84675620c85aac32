//! .zip archives: a year's submissions dropped on the page as one archive are unpacked with
//! limits (entries, total unpacked size, each entry's size, names that stay inside), and the
//! batch output folder goes back to the clerk as one archive.

use super::names::{NameError, clean_entry};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

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

/// One entry of an archive: its cleaned relative name and the file it was unpacked to, or why
/// it was not taken.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The name inside the archive, cleaned (`科室/表1.xlsx`), or as shown when refused.
    pub name: String,
    /// The file the entry was unpacked to and its size, or a message in Chinese.
    pub content: Result<(PathBuf, u64), String>,
}

/// Bytes that may still be stored on disk, shared by every request that stores into one place
/// (for the page: a session's uploads). Unpacking takes from it as it writes, a chunk at a
/// time, so parallel uploads cannot each count on the same room.
pub(crate) trait Budget {
    /// Takes `n` bytes; false (and nothing taken) when there is not that much left.
    fn take(&self, n: u64) -> bool;
    /// Gives back `n` bytes taken earlier (an entry refused half-way, its file removed).
    fn give_back(&self, n: u64);
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

/// Unpacks the files of an archive within `limits`, each straight to a file of its own in
/// `dir` (`0`, `1` … in archive order; never in memory whole), taking the bytes written from
/// `budget`. Folders are skipped; an entry whose name escapes the archive, that is encrypted,
/// too large, itself an archive, or beyond the budget becomes an entry with a message (its
/// file removed), and the rest go on. Once the total limit is reached the remaining entries
/// are refused with a message each.
///
/// # Errors
///
/// [`ArchiveError`] when the archive cannot be opened or holds more entries than allowed.
pub(crate) fn unpack(
    bytes: &[u8],
    limits: ZipLimits,
    dir: &Path,
    budget: &dyn Budget,
) -> Result<Vec<Entry>, ArchiveError> {
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
                    content: Err(format!("压缩包中的这个文件无法读取：{}", zip_error(&e))),
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
        // The declared size may lie: write at most what is allowed, and notice one byte more.
        let cap = limits.entry.min(room);
        let path = dir.join(i.to_string());
        match store(&mut file, &path, cap, budget) {
            Ok(len) => {
                total += len;
                out.push(Entry {
                    name,
                    content: Ok((path, len)),
                });
            }
            Err(why) => {
                let _ = std::fs::remove_file(&path);
                out.push(refuse(why.message(cap)));
            }
        }
    }
    Ok(out)
}

/// Why one entry could not be stored.
enum StoreError {
    /// It unpacks to more than the cap (its declared size was wrong).
    OverCap,
    /// The budget shared by the session's uploads ran out.
    OverBudget,
    /// Its compressed data is damaged.
    Damaged(std::io::Error),
    /// Its file could not be written.
    Write(std::io::Error),
}

impl StoreError {
    fn message(&self, cap: u64) -> String {
        match self {
            StoreError::OverCap => format!(
                "文件解压后超过上限 {}（压缩包中记录的大小不实）",
                size_text(cap)
            ),
            StoreError::OverBudget => {
                "本页面已接收的文件总大小将超过上限，这个文件未解压；请先下载结果，刷新页面后再继续"
                    .into()
            }
            StoreError::Damaged(e) if e.kind() == std::io::ErrorKind::OutOfMemory => {
                "解压时内存不足，这个文件未解压；请稍后再试，或分成几个压缩包".into()
            }
            StoreError::Damaged(_) => {
                "解压失败：压缩包中的这个文件已损坏或不完整，请重新压缩后再上传".into()
            }
            StoreError::Write(e) => format!(
                "无法保存解压出的文件：{}",
                crate::fsutil::describe_io_error(e)
            ),
        }
    }
}

/// Copies one entry to `path` a chunk at a time, at most `cap` bytes, taking each chunk from
/// `budget` before it is written; on failure the bytes taken are given back (the caller
/// removes the file). Returns the entry's size.
fn store(
    entry: &mut impl Read,
    path: &Path,
    cap: u64,
    budget: &dyn Budget,
) -> Result<u64, StoreError> {
    let mut file = std::fs::File::create(path).map_err(StoreError::Write)?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut written: u64 = 0;
    let result = loop {
        let n = match entry.read(&mut buf) {
            Ok(0) => break Ok(written),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(StoreError::Damaged(e)),
        };
        if written + n as u64 > cap {
            break Err(StoreError::OverCap);
        }
        if !budget.take(n as u64) {
            break Err(StoreError::OverBudget);
        }
        written += n as u64;
        if let Err(e) = file.write_all(&buf[..n]) {
            break Err(StoreError::Write(e));
        }
    };
    if result.is_err() {
        budget.give_back(written);
    }
    result
}

/// A zip error in Chinese (the library's own words say nothing to a clerk).
fn zip_error(e: &zip::result::ZipError) -> &'static str {
    match e {
        zip::result::ZipError::Io(io) if io.kind() == std::io::ErrorKind::OutOfMemory => "内存不足",
        zip::result::ZipError::UnsupportedArchive(_) => "压缩方式不受支持",
        _ => "数据已损坏或不完整",
    }
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

    /// A budget of so many bytes, counting what is taken.
    struct Room(std::sync::Mutex<u64>);

    impl Budget for Room {
        fn take(&self, n: u64) -> bool {
            let mut left = self.0.lock().unwrap();
            let ok = *left >= n;
            if ok {
                *left -= n;
            }
            ok
        }
        fn give_back(&self, n: u64) {
            *self.0.lock().unwrap() += n;
        }
    }

    /// An entry's name and its bytes (or why it was refused).
    type Unpacked = (String, Result<Vec<u8>, String>);

    /// Unpacks into a fresh folder with room for a megabyte; the entries with their bytes.
    fn unpack_all(bytes: &[u8], limits: ZipLimits) -> Result<Vec<Unpacked>, ArchiveError> {
        let dir = tempfile::tempdir().unwrap();
        let room = Room(std::sync::Mutex::new(1 << 20));
        let entries = unpack(bytes, limits, dir.path(), &room)?;
        Ok(entries
            .into_iter()
            .map(|e| {
                let content = e.content.map(|(path, len)| {
                    let bytes = std::fs::read(path).unwrap();
                    assert_eq!(bytes.len() as u64, len);
                    bytes
                });
                (e.name, content)
            })
            .collect())
    }

    /// The bytes written come out of the budget as they are written; an entry past it is
    /// refused with its file removed and its bytes given back, and the next one that fits
    /// is still taken.
    #[test]
    fn entries_are_written_within_the_shared_budget() {
        let bytes = zip_of(&[
            ("甲.md", &[b'y'; 50]),
            ("乙.md", &[b'z'; 50]),
            ("丙.md", b"c"),
        ]);
        let dir = tempfile::tempdir().unwrap();
        let room = Room(std::sync::Mutex::new(60));
        let entries = unpack(&bytes, LIMITS, dir.path(), &room).unwrap();
        assert!(entries[0].content.is_ok());
        assert!(
            entries[1]
                .content
                .as_ref()
                .unwrap_err()
                .contains("总大小将超过上限")
        );
        assert!(entries[2].content.is_ok());
        assert_eq!(*room.0.lock().unwrap(), 60 - 51);
        let mut files: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        assert_eq!(files, ["0", "2"]);
    }

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
        let entries = unpack_all(&bytes, LIMITS).unwrap();
        let shown: Vec<(&str, bool)> = entries
            .iter()
            .map(|e| (e.0.as_str(), e.1.is_ok()))
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
        assert!(entries[1].1.as_ref().unwrap_err().contains("../"));
        assert!(entries[5].1.as_ref().unwrap_err().contains("总大小"));
        assert_eq!(entries[4].1.as_deref().unwrap(), &[b'y'; 50]);
    }

    #[test]
    fn too_many_entries_or_garbage_is_refused_whole() {
        let many: Vec<(String, &[u8])> = (0..11).map(|i| (format!("{i}.md"), &b"x"[..])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        assert!(matches!(
            unpack_all(&zip_of(&refs), LIMITS),
            Err(ArchiveError::TooManyEntries {
                found: 11,
                limit: 10
            })
        ));
        assert!(matches!(
            unpack_all(b"PK\x03\x04 not really", LIMITS),
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
        let back = unpack_all(&a, LIMITS).unwrap();
        let names: Vec<&str> = back.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(names, ["report.csv", "科室/表1.json"]);
    }
}
