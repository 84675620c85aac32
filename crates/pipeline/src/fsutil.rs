//! The file system, for every front end: inputs read with a size limit (never a FIFO or a
//! device), outputs written atomically and never over an input, and operating-system errors
//! said in Chinese.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The largest input read, in bytes (100 MB). A performance target table is a few hundred
/// kilobytes even as a workbook with pictures; anything larger is refused before it is read.
pub const MAX_INPUT_BYTES: u64 = 100 * 1024 * 1024;

/// An operating-system error in Chinese, for a clerk: `文件不存在`, `没有权限`, `是文件夹` …
/// Errors without a specific wording keep the system's text after `系统错误：`.
pub fn describe_io_error(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "文件不存在".into(),
        ErrorKind::PermissionDenied => "没有权限".into(),
        ErrorKind::IsADirectory => is_a_directory().into(),
        ErrorKind::NotADirectory => "路径中有一段不是文件夹".into(),
        ErrorKind::AlreadyExists => "文件已存在".into(),
        ErrorKind::StorageFull => "磁盘空间已满".into(),
        ErrorKind::ReadOnlyFilesystem => "文件系统只读，不能写入".into(),
        ErrorKind::FileTooLarge => "文件太大".into(),
        ErrorKind::InvalidFilename => "文件名不合法（过长或含不允许的字符）".into(),
        ErrorKind::Interrupted | ErrorKind::TimedOut => "读写被中断或超时".into(),
        ErrorKind::OutOfMemory => "内存不足".into(),
        _ => format!("系统错误：{err}"),
    }
}

fn is_a_directory() -> &'static str {
    "是文件夹，不是文件（要转换整个文件夹，请用 `jixiao batch 文件夹 -o 输出目录`）"
}

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file system failed (the message is [`describe_io_error`]'s).
    #[error("无法读取文件：{}", describe_io_error(.0))]
    Io(#[from] std::io::Error),
    /// The path is a folder.
    #[error("无法读取文件：{}", is_a_directory())]
    Directory,
    /// The path is a named pipe (FIFO), a device or a socket: reading it could wait forever
    /// or never end.
    #[error("无法读取文件：这是{0}，不是普通文件，已拒绝读取")]
    NotRegular(&'static str),
    /// The file is larger than the limit.
    #[error(
        "文件太大（{size} 字节，超过 {limit} 字节的上限），已拒绝读取：绩效目标表不会这么大，请检查是否选错了文件"
    )]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
}

impl InputError {
    /// True for a failure of the file system (as opposed to a file that is refused).
    pub fn is_io(&self) -> bool {
        matches!(self, InputError::Io(_))
    }
}

/// What kind of file `metadata` describes, when it is not a regular file or a folder.
fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("命名管道（FIFO）");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("设备文件");
        }
        if file_type.is_socket() {
            return Some("套接字");
        }
    }
    (!file_type.is_file() && !file_type.is_dir()).then_some("特殊文件")
}

/// Checks that `path` (a link is followed) is a regular file no larger than `limit` without
/// opening it, so a FIFO or a device is never opened.
///
/// # Errors
///
/// [`InputError::Directory`], [`InputError::NotRegular`], [`InputError::TooLarge`], or
/// [`InputError::Io`] when the file cannot be examined.
pub fn check_input(path: &Path, limit: u64) -> Result<u64, InputError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(InputError::Directory);
    }
    if let Some(kind) = special_kind(meta.file_type()) {
        return Err(InputError::NotRegular(kind));
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(meta.len())
}

/// Reads one input whole, refusing folders, FIFOs, devices and files over
/// [`MAX_INPUT_BYTES`] before reading a byte (and stopping at the limit should the file grow
/// while it is read).
///
/// # Errors
///
/// See [`check_input`]; [`InputError::Io`] when reading fails.
pub fn read_input(path: &Path) -> Result<Vec<u8>, InputError> {
    read_limited(path, MAX_INPUT_BYTES)
}

/// [`read_input`] with another limit, in bytes.
///
/// # Errors
///
/// As [`read_input`].
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let size = check_input(path, limit)?;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Reads a UTF-8 text file (a template) with [`read_limited`].
///
/// # Errors
///
/// As [`read_limited`]; [`InputError::Io`] with `InvalidData` when it is not UTF-8.
pub fn read_text_file(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_limited(path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        InputError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "不是 UTF-8 文本",
        ))
    })
}

/// Why [`OutputGuard::write`] refused or failed to write a file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target is one of this run's inputs (by canonical path, however the folders nest).
    #[error("输出文件 {0} 就是输入文件，已拒绝写入（不会覆盖输入）")]
    IsInput(String),
    /// The target is a file that was already there and is not the run's to replace.
    #[error("输出文件 {0} 已存在且不是本程序上次的输出，已拒绝覆盖")]
    Existed(String),
    /// The target was already written by this run.
    #[error("输出文件 {0} 已由本次运行的另一个输出写过，已拒绝覆盖")]
    AlreadyWritten(String),
    /// The file system refused.
    #[error("无法写入 {0}：{why}", why = describe_io_error(.1))]
    Io(String, std::io::Error),
}

/// Every output of one run goes through this guard: it refuses a target that is one of the
/// run's inputs or a file the run has already written, comparing canonical paths (so `a/../b`,
/// symbolic links and nested folders cannot fool it), and, for a guard made
/// [`OutputGuard::keeping_existing`], any file that is already there; then it writes
/// atomically.
#[derive(Debug, Default)]
pub struct OutputGuard {
    inputs: HashSet<PathBuf>,
    /// `Some`: a file already there is never replaced, except these (the outputs of an
    /// earlier run, by canonical path). `None`: files that are not inputs may be replaced.
    replaceable: Option<HashSet<PathBuf>>,
    written: Mutex<HashSet<PathBuf>>,
}

impl OutputGuard {
    /// A guard for a run whose inputs are `inputs` (a path is resolved as a write to it
    /// would be, see [`resolve`]: a link that leads nowhere is protected as itself; a path
    /// whose folder does not exist is left out, as nothing there can be overwritten).
    pub fn new<I: IntoIterator<Item = P>, P: AsRef<Path>>(inputs: I) -> Self {
        OutputGuard {
            inputs: inputs
                .into_iter()
                .filter_map(|p| resolve(p.as_ref()))
                .collect(),
            replaceable: None,
            written: Mutex::new(HashSet::new()),
        }
    }

    /// The same guard, refusing also to replace any file that exists when it is written (a
    /// file, a link, a folder …), unless it is one of `replaceable` (what an earlier run
    /// wrote and recorded as its own).
    #[must_use]
    pub fn keeping_existing<I: IntoIterator<Item = P>, P: AsRef<Path>>(
        mut self,
        replaceable: I,
    ) -> Self {
        self.replaceable = Some(
            replaceable
                .into_iter()
                .filter_map(|p| resolve(p.as_ref()))
                .collect(),
        );
        self
    }

    /// True when writing `path` would replace one of the run's inputs or, for a guard
    /// [`OutputGuard::keeping_existing`], a file that is there and not replaceable.
    pub fn is_protected(&self, path: &Path) -> bool {
        self.refusal(path).is_some()
    }

    /// Why a write to `path` is refused, if it is (before the write: [`WriteError::IsInput`]
    /// or [`WriteError::Existed`]).
    fn refusal(&self, path: &Path) -> Option<fn(String) -> WriteError> {
        self.refusal_at(path, &resolve(path)?)
    }

    /// [`OutputGuard::refusal`] with `key`, the path `path` resolves to, already known.
    fn refusal_at(&self, path: &Path, key: &Path) -> Option<fn(String) -> WriteError> {
        if self.inputs.contains(key) {
            return Some(WriteError::IsInput);
        }
        // A link is never an earlier output (a run writes files, not links), and the rename
        // would replace the link itself, not the file it leads to: it is always kept.
        let existed = |replaceable: &HashSet<PathBuf>| {
            std::fs::symlink_metadata(path)
                .is_ok_and(|m| m.file_type().is_symlink() || !replaceable.contains(key))
        };
        if self.replaceable.as_ref().is_some_and(existed) {
            return Some(WriteError::Existed);
        }
        None
    }

    /// Writes `bytes` to `path` atomically, creating its folder, unless `path` is an input, a
    /// file the guard keeps ([`OutputGuard::keeping_existing`]), or was already written by this
    /// run.
    ///
    /// # Errors
    ///
    /// [`WriteError::IsInput`], [`WriteError::Existed`] or [`WriteError::AlreadyWritten`]
    /// when the write is refused; [`WriteError::Io`] when the file system fails (nothing is
    /// left half-written).
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        self.write_with(path, |file| file.write_all(bytes))
    }

    /// [`OutputGuard::write`] with the file's bytes written by `fill` as they are made (to a
    /// temporary file through a buffer, renamed into place only when `fill` succeeds), so
    /// that a large output is never held whole in memory.
    ///
    /// # Errors
    ///
    /// As [`OutputGuard::write`]; an error of `fill` is a [`WriteError::Io`], and nothing is
    /// left behind.
    pub fn write_with(
        &self,
        path: &Path,
        fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<(), WriteError> {
        let shown = || path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| WriteError::Io(shown(), e))?;
        }
        let Some(key) = resolve(path) else {
            return Err(WriteError::Io(
                shown(),
                std::io::Error::new(std::io::ErrorKind::NotFound, "路径无法解析"),
            ));
        };
        if let Some(refused) = self.refusal_at(path, &key) {
            return Err(refused(shown()));
        }
        {
            let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            if !written.insert(key) {
                return Err(WriteError::AlreadyWritten(shown()));
            }
        }
        write_atomic_with(path, fill).map_err(|e| WriteError::Io(shown(), e))
    }
}

/// The canonical path a write to `path` would land on: the file itself when it exists (a link
/// is followed), otherwise its canonical folder joined with its name (so a link that leads
/// nowhere is the link itself, which the write's rename would replace). `None` when the folder
/// does not exist.
pub fn resolve(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(name))
}

/// Writes through a temporary file in the same folder, then renames it into place, so that
/// nobody ever sees a partial file; on failure the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// [`write_atomic`] with the bytes written by `fill` as they are made, through a buffer: the
/// temporary file is renamed into place only when `fill` and the final flush succeed, and is
/// removed otherwise (also when `fill` panics).
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), unique()));
    // Removes the temporary file unless it was renamed into place, whatever happens in
    // between (an error, or a panic in `fill` unwinding through here).
    struct Cleanup<'a>(&'a Path, bool);
    impl Drop for Cleanup<'_> {
        fn drop(&mut self) {
            if !self.1 {
                let _ = std::fs::remove_file(self.0);
            }
        }
    }
    let mut cleanup = Cleanup(&tmp, false);
    let file = std::fs::File::create(&tmp)?;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, file);
    fill(&mut out)?;
    out.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    std::fs::rename(&tmp, path)?;
    cleanup.1 = true;
    Ok(())
}

/// A number unique within this process, so parallel writers never share a temporary file.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("jixiao-fsutil-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // The target is a directory: the rename fails, and no temporary file may stay behind.
        let target = dir.join("occupied");
        std::fs::create_dir_all(target.join("x")).unwrap();
        assert!(write_atomic(&target, b"data").is_err());
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("occupied")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn guard_refuses_inputs_and_second_writes() {
        let dir = std::env::temp_dir().join(format!("jixiao-guard-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("in/in")).unwrap();
        std::fs::write(dir.join("in/a.json"), b"input").unwrap();
        let guard = OutputGuard::new([dir.join("in/a.json")]);
        // The same file reached through another spelling of its path.
        let other = dir.join("in/in/../a.json");
        assert!(guard.is_protected(&other));
        assert!(matches!(
            guard.write(&other, b"out"),
            Err(WriteError::IsInput(_))
        ));
        assert_eq!(std::fs::read(dir.join("in/a.json")).unwrap(), b"input");
        guard.write(&dir.join("out/b.json"), b"1").unwrap();
        assert!(matches!(
            guard.write(&dir.join("out/./b.json"), b"2"),
            Err(WriteError::AlreadyWritten(_))
        ));
        assert_eq!(std::fs::read(dir.join("out/b.json")).unwrap(), b"1");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_or_panicking_fill_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("jixiao-fsutil-fill-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("a.json");
        let failed = write_atomic_with(&target, |out| {
            out.write_all(b"{\"half\":")?;
            Err(std::io::Error::other("the writer failed"))
        });
        assert!(failed.is_err());
        let panicked = std::panic::catch_unwind(|| {
            let _ = write_atomic_with(&target, |out| {
                out.write_all(b"{")?;
                panic!("the writer panicked")
            });
        });
        assert!(panicked.is_err());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        write_atomic_with(&target, |out| out.write_all(b"{}")).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"{}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn writes_whole_files() {
        let dir = std::env::temp_dir().join(format!("jixiao-fsutil-ok-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        write_atomic(&dir.join("a.json"), b"{}").unwrap();
        assert_eq!(std::fs::read(dir.join("a.json")).unwrap(), b"{}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
