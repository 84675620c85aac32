//! The page's addresses: the page itself (HTML, script, style, font), and the API's answers
//! about files — the list, one file's detail, its outputs, and the .zip of everything.

use super::conversion::{inputs_dir, output_file};
use super::outcome::{FileLine, Outcome, file_line};
use super::sessions::{self, App, Session, Stage};
use super::{ApiError, archive, corrections, lock, names, security, upload};
use crate::OutputFormat;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jixiao_model::Document;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

const INDEX_HTML: &str = include_str!("page/index.html");

const APP_JS: &str = include_str!("page/app.js");

const APP_CSS: &str = include_str!("page/app.css");

pub(super) fn router(app: App) -> Router {
    let api = Router::new()
        .route("/api/session", post(sessions::new_session))
        .route("/api/session/{sid}/files", post(upload::upload).get(list))
        .route("/api/session/{sid}/files/{fid}", get(detail))
        .route(
            "/api/session/{sid}/files/{fid}/output/{format}",
            get(output),
        )
        .route(
            "/api/session/{sid}/files/{fid}/corrections",
            post(corrections::correct),
        )
        .route("/api/session/{sid}/all.zip", get(all_zip))
        .route("/api/session/{sid}/close", post(sessions::close));
    Router::new()
        .route(
            "/",
            get(|| async { page(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { page(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { page(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route("/font.ttf", get(font))
        .merge(api)
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "没有这个地址") })
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            security::guard,
        ))
        .with_state(app)
}

fn page(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn font() -> Response {
    (
        [
            (header::CONTENT_TYPE, "font/ttf"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        jixiao_pdf::font::DEFAULT_FONT_BYTES,
    )
        .into_response()
}

async fn list(State(app): State<App>, UrlPath(sid): UrlPath<String>) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let state = lock(&session.state);
    let files: Vec<FileLine> = state
        .files
        .iter()
        .enumerate()
        .map(|(i, e)| file_line(i, e))
        .collect();
    let done = state
        .files
        .iter()
        .filter(|f| matches!(f.stage, Stage::Done(_)))
        .count();
    Ok(axum::Json(serde_json::json!({
        "files": files,
        "total": state.files.len(),
        "done": done,
    }))
    .into_response())
}

pub(super) fn done_entry(
    session: &Session,
    fid: usize,
) -> Result<(String, Arc<Outcome>), ApiError> {
    let state = lock(&session.state);
    let entry = state
        .files
        .get(fid)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "没有这个文件"))?;
    match &entry.stage {
        Stage::Done(o) => Ok((entry.name.clone(), o.clone())),
        _ => Err(ApiError::new(
            StatusCode::CONFLICT,
            "这个文件还在转换，请稍候",
        )),
    }
}

pub(super) async fn detail(
    State(app): State<App>,
    UrlPath((sid, fid)): UrlPath<(String, usize)>,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let (name, outcome) = done_entry(&session, fid)?;
    let state = lock(&session.state);
    let line = file_line(fid, &state.files[fid]);
    // The stored detail is JSON already: splice the file's line in front of it.
    let head =
        serde_json::to_string(&serde_json::json!({ "file": line, "name": crate::shown(&name) }))
            .unwrap_or_else(|_| "{}".into());
    let body = format!(
        "{},{}",
        head.trim_end_matches('}'),
        outcome.detail.trim_start_matches('{')
    );
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn output(
    State(app): State<App>,
    UrlPath((sid, fid, format)): UrlPath<(String, usize, String)>,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let format = match format.as_str() {
        "json" => OutputFormat::Json,
        "xlsx" => OutputFormat::Xlsx,
        "pdf" => OutputFormat::Pdf,
        _ => return Err(ApiError::new(StatusCode::NOT_FOUND, "没有这种输出格式")),
    };
    let (name, outcome) = done_entry(&session, fid)?;
    if !outcome.outputs.contains(&format) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!(
                "这个文件没有 {} 输出（转换失败或没有表格）",
                format.extension()
            ),
        ));
    }
    let path = output_file(&session.dir, fid, format);
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(|| ApiError::new(StatusCode::GONE, "输出文件已不在（会话已结束）"))?;
    // Named as `convert` names it: the input's stem and the format's extension.
    let base = name.rsplit('/').next().unwrap_or(&name);
    let stem = Path::new(base)
        .file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
    let content_type = match format {
        OutputFormat::Json => "application/json",
        OutputFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        OutputFormat::Pdf => "application/pdf",
    };
    download(
        bytes,
        content_type,
        &format!("{stem}.{}", format.extension()),
    )
}

fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Result<Response, ApiError> {
    let disposition = HeaderValue::from_str(&names::content_disposition(name))
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "文件名无效"))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

/// The name of the archive of everything.
pub const ALL_ZIP_NAME: &str = "转换结果.zip";

async fn all_zip(
    State(app): State<App>,
    UrlPath(sid): UrlPath<String>,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let _packing = session.packing.lock().await;
    {
        let state = lock(&session.state);
        if state.files.is_empty() {
            return Err(ApiError::new(StatusCode::CONFLICT, "还没有文件"));
        }
        let waiting = state
            .files
            .iter()
            .filter(|f| !matches!(f.stage, Stage::Done(_)))
            .count();
        if waiting > 0 {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("还有 {waiting} 个文件在转换，请稍候再下载"),
            ));
        }
    }
    // The files corrected by hand go into the batch as corrected.
    let corrected: HashMap<String, Document> = lock(&session.state)
        .files
        .iter()
        .filter_map(|f| match &f.stage {
            Stage::Done(o) => o
                .document
                .as_ref()
                .filter(|d| !d.corrections.is_empty())
                .map(|d| (f.name.clone(), d.clone())),
            _ => None,
        })
        .collect();
    let dir = session.dir.clone();
    let options = crate::batch::BatchOptions {
        formats: OutputFormat::ALL.to_vec(),
        jobs: Some(app.workers),
        read: app.read.clone(),
        progress: crate::batch::Progress::Quiet,
        // As the page's own conversions: in worker processes when the page has them.
        workers: app.worker.clone(),
        stop: Arc::default(),
    };
    let packed = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let out = dir.join("batch");
        let _ = std::fs::remove_dir_all(&out);
        crate::batch::run_with_documents(&inputs_dir(&dir), &out, &options, &corrected)
            .map_err(|e| e.to_string())?;
        let bytes = archive::pack(&out).map_err(|e| format!("无法打包：{e}"));
        let _ = std::fs::remove_dir_all(&out);
        bytes
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "打包时程序内部出错"))?
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    download(packed, "application/zip", ALL_ZIP_NAME)
}
