//! File writing that never leaves half a file and never writes over an input.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why [`OutputGuard::write`] refused or failed to write a file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The target is one of this run's inputs (by canonical path, however the folders nest).
    #[error("输出文件 {0} 就是输入文件，已拒绝写入（不会覆盖输入）")]
    IsInput(String),
    /// The target was already written by this run.
    #[error("输出文件 {0} 已由本次运行的另一个输出写过，已拒绝覆盖")]
    AlreadyWritten(String),
    /// The file system refused.
    #[error("无法写入 {0}：{1}")]
    Io(String, std::io::Error),
}

/// Every output of one run goes through this guard: it refuses a target that is one of the
/// run's inputs, or that the run has already written, comparing canonical paths (so `a/../b`,
/// symbolic links and nested folders cannot fool it), then writes atomically.
#[derive(Debug, Default)]
pub struct OutputGuard {
    inputs: HashSet<PathBuf>,
    written: Mutex<HashSet<PathBuf>>,
}

impl OutputGuard {
    /// A guard for a run whose inputs are `inputs` (paths that cannot be resolved are left
    /// out: a file that does not exist cannot be overwritten).
    pub fn new<I: IntoIterator<Item = P>, P: AsRef<Path>>(inputs: I) -> Self {
        OutputGuard {
            inputs: inputs
                .into_iter()
                .filter_map(|p| p.as_ref().canonicalize().ok())
                .collect(),
            written: Mutex::new(HashSet::new()),
        }
    }

    /// True when writing `path` would replace one of the run's inputs.
    pub fn is_input(&self, path: &Path) -> bool {
        resolve(path).is_some_and(|p| self.inputs.contains(&p))
    }

    /// Writes `bytes` to `path` atomically, creating its folder, unless `path` is an input or
    /// was already written by this run.
    ///
    /// # Errors
    ///
    /// [`WriteError::IsInput`] or [`WriteError::AlreadyWritten`] when the write is refused;
    /// [`WriteError::Io`] when the file system fails (nothing is left half-written).
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
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
        if self.inputs.contains(&key) {
            return Err(WriteError::IsInput(shown()));
        }
        {
            let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
            if !written.insert(key) {
                return Err(WriteError::AlreadyWritten(shown()));
            }
        }
        write_atomic(path, bytes).map_err(|e| WriteError::Io(shown(), e))
    }
}

/// The canonical path a write to `path` would land on: the file itself when it exists (a link
/// is followed), otherwise its canonical folder joined with its name. `None` when the folder
/// does not exist.
fn resolve(path: &Path) -> Option<PathBuf> {
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
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.{}.tmp", std::process::id(), unique()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
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
        assert!(guard.is_input(&other));
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
    fn writes_whole_files() {
        let dir = std::env::temp_dir().join(format!("jixiao-fsutil-ok-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        write_atomic(&dir.join("a.json"), b"{}").unwrap();
        assert_eq!(std::fs::read(dir.join("a.json")).unwrap(), b"{}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
