//! Receiving files: one upload is one file or a .zip of many, unpacked straight to disk; each
//! within the limits of a file, of a .zip and of the session's room, named safely (see
//! `names`), stored, and queued for conversion.

use super::conversion::{Job, inputs_dir};
use super::outcome::failed_outcome;
use super::sessions::{App, FileEntry, Session, Stage, set_stage};
use super::{ApiError, archive, lock, names};
use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// The page's upload path without the network, for the `upload` fuzz target: `name` cleaned
/// as an upload's name, and, when it names a .zip, `bytes` unpacked into `dir` as an upload is
/// (entry names cleaned and made unique, each entry streamed to disk within limits and a
/// shared budget, here 64 MB). Returns how many files were taken.
#[doc(hidden)]
pub fn fuzz_upload(name: &str, bytes: &[u8], dir: &Path) -> usize {
    struct Room(Mutex<u64>);
    impl archive::Budget for Room {
        fn take(&self, n: u64) -> bool {
            let mut left = lock(&self.0);
            let ok = *left >= n;
            if ok {
                *left -= n;
            }
            ok
        }
        fn give_back(&self, n: u64) {
            *lock(&self.0) += n;
        }
    }
    let Ok(name) = names::clean_upload(name) else {
        return 0;
    };
    if !archive::is_archive_name(&name) {
        return 1;
    }
    let limits = archive::ZipLimits {
        entries: 5_000,
        total: 64 << 20,
        entry: 16 << 20,
    };
    let room = Room(Mutex::new(64 << 20));
    let Ok(entries) = archive::unpack(bytes, limits, dir, &room) else {
        return 0;
    };
    let mut taken = names::Taken::default();
    entries
        .into_iter()
        .filter(|e| e.content.is_ok())
        .map(|e| {
            names::unique(
                &names::clean_upload(&e.name).unwrap_or_default(),
                &mut taken,
            )
        })
        .count()
}

#[derive(Deserialize)]
pub(super) struct UploadQuery {
    name: String,
}

pub(super) async fn upload(
    State(app): State<App>,
    UrlPath(sid): UrlPath<String>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let limits = app.limits;
    let too_big = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "“{}”超过单个文件的上限 {}；请拆分后再上传",
                query.name,
                archive::size_text(limits.file_bytes)
            ),
        )
    };
    // A body a little over the limit is read (and dropped) so the browser gets the answer
    // rather than a reset connection; a larger one is refused before reading.
    const SLACK: u64 = 16 * 1024 * 1024;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.file_bytes.saturating_add(SLACK)) {
        return Err(too_big());
    }
    let cap = usize::try_from(limits.file_bytes.saturating_add(SLACK)).unwrap_or(usize::MAX);
    let bytes = axum::body::to_bytes(body, cap)
        .await
        .map_err(|_| too_big())?;
    if bytes.len() as u64 > limits.file_bytes {
        return Err(too_big());
    }
    let name = names::clean_upload(&query.name)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "文件名为空或无效，无法接收"))?;

    // A .zip of submissions becomes one file per entry, unpacked straight to disk; anything
    // else is one file. Either way its bytes are taken from the session's budget first.
    let budget = SessionBudget {
        session: session.clone(),
        limit: limits.session_bytes,
    };
    let over_budget = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "本页面已接收的文件总大小将超过上限 {}；请先下载结果，刷新页面后再继续",
                archive::size_text(limits.session_bytes)
            ),
        )
    };
    let mut entries: Vec<(String, Result<Upload, String>)> = Vec::new();
    let staging = session
        .dir
        .join("staging")
        .join(app.next_dir.fetch_add(1, Ordering::Relaxed).to_string());
    if archive::is_archive_name(&name) {
        let zip_limits = archive::ZipLimits {
            entries: limits.zip_entries,
            total: limits.zip_bytes,
            entry: limits.file_bytes,
        };
        std::fs::create_dir_all(&staging).map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "无法保存上传的文件：{}",
                    crate::fsutil::describe_io_error(&e)
                ),
            )
        })?;
        let (dir, budget) = (staging.clone(), budget.clone());
        let unpacked =
            tokio::task::spawn_blocking(move || archive::unpack(&bytes, zip_limits, &dir, &budget))
                .await
                .map_err(|_| {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "解压时程序内部出错")
                })?;
        match unpacked {
            // Entries keep their folders inside the archive, as unzipping would give them.
            Ok(list) => entries.extend(list.into_iter().map(|e| {
                let content = e.content.map(|(path, len)| Upload::Staged(path, len));
                (e.name, content)
            })),
            Err(e) => entries.push((name.clone(), Err(e.to_string()))),
        }
    } else {
        if !archive::Budget::take(&budget, bytes.len() as u64) {
            return Err(over_budget());
        }
        entries.push((name.clone(), Ok(Upload::Bytes(bytes))));
    }

    // Check the session's file limit and take the names, all at once.
    // Each new file: its number, its name, and its content (none when refused).
    let added: Result<Vec<(usize, String, Option<Upload>)>, ApiError> = {
        let mut state = lock(&session.state);
        let incoming = entries.len();
        if state.files.len() + incoming > limits.session_files {
            Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "一次最多处理 {} 个文件（已有 {} 个，这次 {} 个）；请先下载结果，刷新页面后再继续",
                    limits.session_files,
                    state.files.len(),
                    incoming
                ),
            ))
        } else {
            let mut added = Vec::new();
            for (entry_name, content) in entries.drain(..) {
                let id = state.files.len();
                let (unique, content, refused) = match content {
                    Ok(content) => {
                        let unique = match names::clean_upload(&entry_name) {
                            Ok(clean) => names::unique(&clean, &mut state.taken),
                            Err(_) => names::unique("未命名", &mut state.taken),
                        };
                        (unique, Some(content), None)
                    }
                    Err(why) => (entry_name, None, Some(why)),
                };
                state.files.push(FileEntry {
                    name: unique.clone(),
                    stage: match &refused {
                        Some(why) => Stage::Done(Arc::new(failed_outcome(why.clone()))),
                        None => Stage::Queued,
                    },
                });
                added.push((id, unique, content));
            }
            Ok(added)
        }
    };
    let added = match added {
        Ok(added) => added,
        Err(refused) => {
            let taken: u64 = entries
                .iter()
                .filter_map(|(_, c)| c.as_ref().ok().map(Upload::len))
                .sum();
            archive::Budget::give_back(&budget, taken);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(refused);
        }
    };

    // Store the files (atomically: the batch behind "download all" never sees half a file),
    // then queue them.
    let mut jobs = Vec::new();
    let mut listed = Vec::new();
    for (id, name, content) in added {
        listed.push(serde_json::json!({ "id": id, "name": crate::shown(&name) }));
        let Some(content) = content else { continue };
        let path = inputs_dir(&session.dir).join(&name);
        let stored = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| match &content {
                Upload::Bytes(bytes) => crate::fsutil::write_atomic(&path, bytes),
                Upload::Staged(from, _) => std::fs::rename(from, &path),
            });
        match stored {
            Ok(()) => jobs.push(Job {
                session: session.clone(),
                file: id,
                name,
            }),
            Err(e) => set_stage(
                &session,
                id,
                Stage::Done(Arc::new(failed_outcome(format!(
                    "无法保存上传的文件：{}",
                    crate::fsutil::describe_io_error(&e)
                )))),
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&staging);
    let queue = app.queue.clone();
    tokio::spawn(async move {
        for job in jobs {
            if queue.send(job).await.is_err() {
                return;
            }
        }
    });
    Ok(axum::Json(serde_json::json!({ "files": listed })).into_response())
}

/// One uploaded file on its way into the session: the body of a plain upload, or an entry of
/// a .zip already unpacked to a file of its own (with its size).
enum Upload {
    Bytes(axum::body::Bytes),
    Staged(PathBuf, u64),
}

impl Upload {
    fn len(&self) -> u64 {
        match self {
            Upload::Bytes(b) => b.len() as u64,
            Upload::Staged(_, len) => *len,
        }
    }
}

/// A session's room for uploads ([`Limits::session_bytes`]), shared by all of its requests:
/// bytes are taken as they are stored, so parallel uploads cannot each count on the same room.
#[derive(Clone)]
struct SessionBudget {
    session: Arc<Session>,
    limit: u64,
}

impl archive::Budget for SessionBudget {
    fn take(&self, n: u64) -> bool {
        let mut state = lock(&self.session.state);
        let ok = state.bytes.saturating_add(n) <= self.limit;
        if ok {
            state.bytes += n;
        }
        ok
    }

    fn give_back(&self, n: u64) {
        let mut state = lock(&self.session.state);
        state.bytes = state.bytes.saturating_sub(n);
    }
}
