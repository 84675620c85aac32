//! What keeps other pages and other computers out: the `Host` and `Origin` checks, the
//! security headers of every response (a strict Content-Security-Policy), and session ids no
//! one can guess.

use super::ApiError;
use super::sessions::App;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// The policy every response carries: everything from this server only, no inline script or
/// style, no frames, no plugins, no form posts elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// True when the address is reachable only from this computer.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// The `Host` values a server listening on `addr` answers: its own address under each name
/// of this computer when it listens on loopback (a page elsewhere that points a name of its
/// own at 127.0.0.1 is refused: DNS rebinding); none, meaning any, when it listens beyond.
pub(super) fn allowed_hosts(addr: &SocketAddr) -> Vec<String> {
    if is_loopback(addr) {
        let port = addr.port();
        vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            addr.to_string(),
        ]
    } else {
        Vec::new()
    }
}

/// Refuses requests for another host (DNS rebinding) and state changes from other pages, and
/// sets the security headers on every response.
pub(super) async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    let refused = if !app.hosts.is_empty() && !app.hosts.contains(&host) {
        Some("请求的地址不是本服务的地址，已拒绝")
    } else if request.method() != Method::GET
        && request.method() != Method::HEAD
        && request
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .is_some_and(|o| o != format!("http://{host}"))
    {
        Some("请求来自其他网页，已拒绝")
    } else {
        None
    };
    let mut response = match refused {
        Some(why) => ApiError::new(StatusCode::FORBIDDEN, why).into_response(),
        None => next.run(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// A session id: 128 random bits in hex.
pub(super) fn random_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法生成会话编号：{e}"),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
