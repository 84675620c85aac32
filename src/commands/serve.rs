//! `jixiao serve`: the page's server started on a free port and run until Ctrl-C.

use super::{options, worker_command};
use crate::{DEFAULT_TIMEOUT_SECS, Failure, Settings};
use std::io::Write;
use std::process::ExitCode;

/// The port `jixiao serve` listens on when none is given, so that the page can be
/// bookmarked; when it is taken, the next of [`DEFAULT_PORT_TRIES`] ports that is free.
const DEFAULT_PORT: u16 = 8765;
const DEFAULT_PORT_TRIES: u16 = 10;

/// `jixiao serve`: starts the page's server, prints its address, opens the browser, and
/// serves until Ctrl-C.
pub(crate) fn serve(
    port: Option<u16>,
    listen: Option<&str>,
    no_open: bool,
    settings: &Settings,
) -> Result<ExitCode, Failure> {
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};
    let read = options(settings)?;
    let addr = match listen {
        None => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port.unwrap_or(0)),
        Some(text) => match text.parse::<SocketAddr>() {
            Ok(addr) => addr,
            Err(_) => match text.trim_matches(['[', ']']).parse::<IpAddr>() {
                Ok(ip) => SocketAddr::new(ip, port.unwrap_or(0)),
                Err(_) => {
                    return Err(Failure::Usage(format!(
                        "--listen 的地址“{text}”无效；应为 IP 地址，如 0.0.0.0 或 192.168.1.5:8080"
                    )));
                }
            },
        },
    };
    let loopback = jixiao::serve::is_loopback(&addr);
    if !loopback {
        eprintln!(
            "警告: 正在监听 {addr}：同一网络中的其他电脑也能打开这个页面并上传文件。只在可信的网络中这样使用。"
        );
    }
    let options = jixiao::serve::ServeOptions {
        listen: addr,
        read,
        // Each upload in a child process, as in `batch`, with its default time limit.
        worker: worker_command(jixiao::OutputFormat::ALL, settings, DEFAULT_TIMEOUT_SECS),
        ..jixiao::serve::ServeOptions::default()
    };
    let in_use = |addr: SocketAddr| {
        format!(
            "端口 {} 已被占用：可能已有一个 jixiao serve 在运行（直接在浏览器中打开 http://127.0.0.1:{}/），\
             或用 --port 换一个端口，如 --port {}",
            addr.port(),
            addr.port(),
            addr.port().saturating_add(1)
        )
    };
    // No port given: the fixed default, so that the page can be bookmarked; when it is
    // taken, the next free one, said so.
    let candidates: Vec<SocketAddr> = if addr.port() == 0 {
        (0..DEFAULT_PORT_TRIES)
            .map(|k| SocketAddr::new(addr.ip(), DEFAULT_PORT + k))
            .collect()
    } else {
        vec![addr]
    };
    let mut started = None;
    for (k, &candidate) in candidates.iter().enumerate() {
        match jixiao::serve::Server::start(jixiao::serve::ServeOptions {
            listen: candidate,
            ..options.clone()
        }) {
            Ok(server) => {
                if k > 0 {
                    eprintln!("{}；改用端口 {}。", in_use(candidates[0]), candidate.port());
                }
                started = Some(server);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && k + 1 < candidates.len() => {}
            Err(e) => {
                return Err(Failure::Io(if e.kind() == std::io::ErrorKind::AddrInUse {
                    if candidates.len() > 1 {
                        format!(
                            "无法启动服务：端口 {}–{} 都已被占用；请用 --port 指定一个空闲端口",
                            DEFAULT_PORT,
                            DEFAULT_PORT + DEFAULT_PORT_TRIES - 1
                        )
                    } else {
                        format!("无法启动服务：{}", in_use(candidate))
                    }
                } else {
                    format!(
                        "无法在 {candidate} 上启动服务：{}",
                        jixiao::fsutil::describe_io_error(&e)
                    )
                }));
            }
        }
    }
    let Some(server) = started else {
        return Err(Failure::Io("无法启动服务".into()));
    };
    let local = if loopback || server.addr().ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", server.addr().port())
    } else {
        server.url()
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "jixiao serve 已启动：{local}")?;
    writeln!(
        stdout,
        "在浏览器中打开上面的地址即可使用；按 Ctrl+C 停止，停止后上传的文件和结果都会删除。"
    )?;
    stdout.flush()?;
    drop(stdout);
    if !no_open && !jixiao::serve::open_browser(&local) {
        eprintln!("未能自动打开浏览器，请手动打开 {local}");
    }
    server.run_until_interrupted();
    eprintln!("已停止，临时文件已删除。");
    Ok(ExitCode::SUCCESS)
}
