//! `jixiao serve`: the page's JSON API, tested against a running server on a loopback port
//! with a plain HTTP/1.1 client. What the page offers must be byte-identical to what
//! `jixiao convert` and `jixiao batch` write for the same inputs.

use calamine::{Reader, Xlsx};
use jixiao::serve::{Limits, ServeOptions, Server};
use serde_json::Value;
use std::io::{Cursor, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

const SEED: &str = "fixtures/heshuo-2022.md";

fn seed() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED)).unwrap()
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn server(limits: Limits) -> Server {
    Server::start(ServeOptions {
        limits,
        workers: 2,
        queue: 4,
        ..ServeOptions::default()
    })
    .expect("server starts")
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One HTTP/1.1 request with `Connection: close`; the whole answer.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !extra.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (n, v) in extra {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a large body: a failed write is fine.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete answer");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = data.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 4 + size..];
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn new_session(addr: SocketAddr) -> String {
    let r = request(addr, "POST", "/api/session", &[], b"");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    r.json()["id"].as_str().unwrap().to_string()
}

fn upload(addr: SocketAddr, sid: &str, name: &str, bytes: &[u8]) -> Reply {
    request(
        addr,
        "POST",
        &format!("/api/session/{sid}/files?name={}", encode(name)),
        &[],
        bytes,
    )
}

/// Polls the file list until every file is done; the list.
fn wait_done(addr: SocketAddr, sid: &str) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let list = request(addr, "GET", &format!("/api/session/{sid}/files"), &[], b"").json();
        if list["done"] == list["total"] {
            return list["files"].as_array().unwrap().clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "conversions did not finish"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, &[], b"")
}

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").unwrap()
}

/// Every file under `dir`, relative, with its bytes.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

fn zip_entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.push((f.name().unwrap().to_string(), data));
    }
    out.sort();
    out
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// report.json with its timing blanked (the only thing that differs between two runs).
fn without_timing(report: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(report).unwrap();
    v["totals"]["seconds"] = Value::Null;
    v
}

#[test]
fn seed_is_drawn_with_its_diagnostics_and_outputs_match_convert() {
    let server = server(Limits::default());
    let addr = server.addr();
    let sid = new_session(addr);
    let r = upload(addr, &sid, "heshuo-2022.md", &seed());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let files = wait_done(addr, &sid);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["name"], "heshuo-2022.md");
    assert_eq!(files[0]["state"], "warnings");
    assert_eq!(files[0]["label"], "有警告");
    assert_eq!(files[0]["projects"], 5);
    assert_eq!(files[0]["indicators"], 55);

    let d = get(addr, &format!("/api/session/{sid}/files/0")).json();
    let tables = d["tables"].as_array().unwrap();
    assert_eq!(tables[0]["kind"], "summary");
    assert_eq!(tables.len(), 6);
    let indicator_rows: usize = tables
        .iter()
        .map(|t| {
            t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["kind"] == "indicator")
                .count()
        })
        .sum();
    assert_eq!(indicator_rows, 55);
    assert_eq!(tables[1]["title"], "项目支出绩效目标表");
    assert_eq!(tables[1]["subtitle"], "（2022年）");

    // The R101 repair points at the repaired row, drawn with the repaired values.
    let diags = d["diagnostics"].as_array().unwrap();
    let r101 = diags
        .iter()
        .find(|g| g["code"] == "R101")
        .expect("R101 listed");
    assert_eq!(r101["place"], "第 51 行");
    // Explained in the registry's words, the text `jixiao explain R101` prints.
    assert!(
        r101["explain"]
            .as_str()
            .is_some_and(|e| e.starts_with("错位的行已复原。") && e.contains("复原"))
    );
    let targets = r101["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    let (t, row) = (
        targets[0][0].as_u64().unwrap() as usize,
        targets[0][1].as_u64().unwrap() as usize,
    );
    let texts: Vec<&str> = tables[t]["rows"][row]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"人均丧葬补贴发放资金数"), "{texts:?}");
    assert!(texts.contains(&"=720元"), "{texts:?}");
    // Review findings carry the rule's explanation.
    let c212 = diags.iter().find(|g| g["code"] == "C212").unwrap();
    assert!(
        c212["explain"]
            .as_str()
            .unwrap()
            .starts_with("每次金额 × 次数与项目资金不符。")
    );
    assert_eq!(d["outputs"], serde_json::json!(["json", "xlsx", "pdf"]));

    // The downloads are what `jixiao convert` writes for the same file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("heshuo-2022.md"), seed()).unwrap();
    jixiao()
        .current_dir(dir.path())
        .args([
            "convert",
            "heshuo-2022.md",
            "--to",
            "json,xlsx,pdf",
            "-o",
            "out",
        ])
        .assert()
        .success();
    for format in ["json", "xlsx", "pdf"] {
        let r = get(addr, &format!("/api/session/{sid}/files/0/output/{format}"));
        assert_eq!(r.status, 200);
        assert_eq!(
            r.header("content-disposition").unwrap(),
            format!(
                "attachment; filename=\"heshuo-2022.{format}\"; filename*=UTF-8''heshuo-2022.{format}"
            )
        );
        let expected = std::fs::read(dir.path().join(format!("out/heshuo-2022.{format}"))).unwrap();
        assert!(r.body == expected, "{format} differs from `jixiao convert`");
    }
    // And they are the forms the CLI tests check.
    let xlsx = get(addr, &format!("/api/session/{sid}/files/0/output/xlsx")).body;
    let wb = Xlsx::new(Cursor::new(xlsx)).unwrap();
    assert_eq!(wb.sheet_names().len(), 6);
    assert_eq!(wb.sheet_names()[0], "汇总表");
    let pdf = get(addr, &format!("/api/session/{sid}/files/0/output/pdf")).body;
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(
        get(addr, &format!("/api/session/{sid}/files/0/output/docx")).status,
        404
    );
}

#[test]
fn a_bad_file_shows_its_error_and_the_rest_go_on() {
    let server = server(Limits::default());
    let addr = server.addr();
    let sid = new_session(addr);
    assert_eq!(
        upload(
            addr,
            &sid,
            "坏表.xlsx",
            &fixture("fixtures/bad/truncated.xlsx")
        )
        .status,
        200
    );
    assert_eq!(upload(addr, &sid, "空白.md", b"").status, 200);
    assert_eq!(upload(addr, &sid, "heshuo-2022.md", &seed()).status, 200);
    let files = wait_done(addr, &sid);
    assert_eq!(files[0]["state"], "error");
    assert_eq!(files[0]["label"], "失败");
    assert!(!files[0]["message"].as_str().unwrap().is_empty());
    assert_eq!(files[1]["state"], "error");
    assert_eq!(files[2]["indicators"], 55);
    // A failed file has no outputs to offer, and says so in Chinese.
    let r = get(addr, &format!("/api/session/{sid}/files/0/output/xlsx"));
    assert_eq!(r.status, 404);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("没有 xlsx 输出")
    );
}

/// With worker processes (as `jixiao serve` runs), an upload that kills its worker fails
/// alone: the page says so, converts the next upload and still packs everything.
#[test]
fn an_upload_that_kills_its_worker_fails_alone() {
    // The worker is the real program; a shell sets the test hook that makes it abort on
    // files named *崩溃.md (environment of this test process untouched).
    let worker = jixiao::worker::WorkerCommand {
        program: "/bin/sh".into(),
        args: vec![
            "-c".into(),
            format!(
                "{}=崩溃.md exec \"$0\" __worker --to json,xlsx,pdf",
                jixiao::worker::TEST_ABORT_ENV
            )
            .into(),
            env!("CARGO_BIN_EXE_jixiao").into(),
        ],
        timeout: Some(std::time::Duration::from_secs(60)),
    };
    let server = Server::start(ServeOptions {
        workers: 1,
        queue: 4,
        worker: Some(worker),
        ..ServeOptions::default()
    })
    .expect("server starts");
    let addr = server.addr();
    let sid = new_session(addr);
    assert_eq!(upload(addr, &sid, "会崩溃.md", &seed()).status, 200);
    assert_eq!(upload(addr, &sid, "heshuo-2022.md", &seed()).status, 200);
    let files = wait_done(addr, &sid);
    assert_eq!(files[0]["state"], "error");
    let message = files[0]["message"].as_str().unwrap();
    assert!(message.contains("进程意外终止"), "{message}");
    assert_eq!(files[1]["indicators"], 55);
    let r = get(addr, &format!("/api/session/{sid}/files/1/output/xlsx"));
    assert_eq!(r.status, 200);
}

#[test]
fn a_zip_is_unpacked_with_its_bad_entry_refused_and_everything_matches_batch() {
    let server = server(Limits::default());
    let addr = server.addr();
    let sid = new_session(addr);
    let html = fixture("fixtures/html/heshuo-2022.html");
    let archive = zip_of(&[
        ("民政局/heshuo-2022.md", &seed()),
        ("../../逃逸.md", b"x"),
        ("医保局/网页.html", &html),
        ("医保局/说明.txt", "这不是表格".as_bytes()),
    ]);
    let r = upload(addr, &sid, "2022年申报.zip", &archive);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let files = wait_done(addr, &sid);
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "民政局/heshuo-2022.md",
            "../../逃逸.md",
            "医保局/网页.html",
            "医保局/说明.txt"
        ]
    );
    assert_eq!(files[1]["state"], "error");
    assert!(files[1]["message"].as_str().unwrap().contains("../"));
    assert_eq!(files[0]["indicators"], 55);
    assert_eq!(files[2]["indicators"], 55);
    // The escaping entry was never written anywhere.
    assert!(!server.temp_dir().join("逃逸.md").exists());
    assert!(!server.temp_dir().parent().unwrap().join("逃逸.md").exists());
    assert_eq!(files[3]["state"], "skipped");

    // Everything as one .zip: exactly what `jixiao batch` writes for the same folder.
    let r = get(addr, &format!("/api/session/{sid}/all.zip"));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/zip"));
    let got = zip_entries(&r.body);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("2022年申报");
    std::fs::create_dir_all(input.join("民政局")).unwrap();
    std::fs::create_dir_all(input.join("医保局")).unwrap();
    std::fs::write(input.join("民政局/heshuo-2022.md"), seed()).unwrap();
    std::fs::write(input.join("医保局/网页.html"), &html).unwrap();
    std::fs::write(input.join("医保局/说明.txt"), "这不是表格").unwrap();
    jixiao()
        .current_dir(dir.path())
        .args([
            "batch",
            "2022年申报",
            "-o",
            "成果",
            "--to",
            "json,xlsx,pdf",
            "--quiet",
        ])
        .output()
        .unwrap();
    let expected = files_under(&dir.path().join("成果"));
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&expected));
    assert!(names(&got).contains(&"全县汇总.xlsx".to_string()));
    for ((name, a), (_, b)) in got.iter().zip(&expected) {
        if name == "report.json" {
            assert_eq!(without_timing(a), without_timing(b));
        } else {
            assert!(a == b, "{name} differs from `jixiao batch`");
        }
    }
}

#[test]
fn limits_are_enforced_with_chinese_messages() {
    let server = server(Limits {
        file_bytes: 4000,
        session_files: 3,
        zip_entries: 2,
        sessions: 2,
        ..Limits::default()
    });
    let addr = server.addr();
    let sid = new_session(addr);
    // One file over the size limit.
    let r = upload(addr, &sid, "heshuo-2022.md", &seed());
    assert_eq!(r.status, 413);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("超过单个文件的上限")
    );
    // A zip with more entries than allowed is refused whole, as a failed file.
    let many = zip_of(&[("a.md", b"1"), ("b.md", b"2"), ("c.md", b"3")]);
    assert_eq!(upload(addr, &sid, "多.zip", &many).status, 200);
    // A zip whose entry unpacks beyond the limit: that entry is refused, the other taken.
    let big = vec![b'x'; 5000];
    let bomb = zip_of(&[("大.md", &big), ("小.md", b"# t")]);
    assert_eq!(upload(addr, &sid, "炸.zip", &bomb).status, 200);
    let files = wait_done(addr, &sid);
    assert_eq!(files.len(), 3);
    assert!(
        files[0]["message"]
            .as_str()
            .unwrap()
            .contains("超过上限 2 个")
    );
    assert!(
        files[1]["message"]
            .as_str()
            .unwrap()
            .contains("超过单个文件的上限")
    );
    assert_eq!(files[2]["name"], "小.md");
    // The session is full.
    let r = upload(addr, &sid, "再一个.md", b"x");
    assert_eq!(r.status, 413);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("一次最多处理 3 个文件")
    );
    // Sessions are limited too.
    new_session(addr);
    let r = request(addr, "POST", "/api/session", &[], b"");
    assert_eq!(r.status, 503);
    assert!(r.json()["error"].as_str().unwrap().contains("上限 2 个"));
}

#[test]
fn two_clients_at_once_see_only_their_own_files() {
    let server = server(Limits::default());
    let addr = server.addr();
    let html = fixture("fixtures/html/heshuo-2022.html");
    let clients: Vec<_> = [("seed.md", seed()), ("page.html", html)]
        .into_iter()
        .map(|(name, bytes)| {
            std::thread::spawn(move || {
                let sid = new_session(addr);
                // Several files each, through a queue of 4 and 2 workers.
                for i in 0..4 {
                    let r = upload(addr, &sid, &format!("{i}-{name}"), &bytes);
                    assert_eq!(r.status, 200);
                }
                let files = wait_done(addr, &sid);
                (sid, files)
            })
        })
        .collect();
    let results: Vec<(String, Vec<Value>)> =
        clients.into_iter().map(|c| c.join().unwrap()).collect();
    assert_ne!(results[0].0, results[1].0);
    for ((_, files), name) in results.iter().zip(["seed.md", "page.html"]) {
        assert_eq!(files.len(), 4);
        for (i, f) in files.iter().enumerate() {
            assert_eq!(f["name"], format!("{i}-{name}"));
            assert_eq!(f["indicators"], 55);
        }
    }
    // One client cannot read the other's files without its session id.
    assert_eq!(
        get(
            addr,
            "/api/session/0123456789abcdef0123456789abcdef/files/0"
        )
        .status,
        404
    );
}

#[test]
fn every_response_has_the_policy_and_foreign_requests_are_refused() {
    let server = server(Limits::default());
    let addr = server.addr();
    for path in [
        "/",
        "/app.js",
        "/app.css",
        "/font.ttf",
        "/nowhere",
        "/api/session/x/files",
    ] {
        let r = get(addr, path);
        assert_eq!(
            r.header("content-security-policy"),
            Some(jixiao::serve::CONTENT_SECURITY_POLICY),
            "{path}"
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    let page = String::from_utf8(get(addr, "/").body).unwrap();
    assert!(page.contains("绩效目标表转换"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "no outside resources"
    );
    assert!(
        !page.contains("<script>") && !page.contains("style="),
        "nothing inline"
    );
    // DNS rebinding: a page on another name cannot reach the server.
    let r = request(addr, "GET", "/", &[("Host", "evil.example:80")], b"");
    assert_eq!(r.status, 403);
    assert!(r.header("content-security-policy").is_some());
    // Another web page cannot post into it.
    let r = request(
        addr,
        "POST",
        "/api/session",
        &[("Origin", "http://evil.example")],
        b"",
    );
    assert_eq!(r.status, 403);
    assert!(r.json()["error"].as_str().unwrap().contains("其他网页"));
    let own = format!("http://{addr}");
    assert_eq!(
        request(
            addr,
            "POST",
            "/api/session",
            &[("Origin", own.as_str())],
            b""
        )
        .status,
        200
    );
}

#[test]
fn sessions_end_on_close_or_timeout_and_the_temp_dir_goes_on_exit() {
    let server = Server::start(ServeOptions {
        session_timeout: Duration::from_millis(400),
        ..ServeOptions::default()
    })
    .unwrap();
    let addr = server.addr();
    let temp = server.temp_dir().to_path_buf();
    let sid = new_session(addr);
    assert_eq!(upload(addr, &sid, "a.md", &seed()).status, 200);
    wait_done(addr, &sid);
    assert!(
        files_under(&temp)
            .iter()
            .any(|(n, _)| n.ends_with("in/a.md"))
    );
    assert_eq!(
        request(addr, "POST", &format!("/api/session/{sid}/close"), &[], b"").status,
        204
    );
    let r = get(addr, &format!("/api/session/{sid}/files"));
    assert_eq!(r.status, 404);
    assert!(r.json()["error"].as_str().unwrap().contains("刷新页面"));
    // Only the file naming the server's process is left.
    assert_eq!(
        files_under(&temp)
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["owner.pid"],
        "a closed session's files are removed"
    );

    // Idle sessions are dropped after the timeout.
    let idle = new_session(addr);
    assert_eq!(upload(addr, &idle, "b.md", &seed()).status, 200);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(get(addr, &format!("/api/session/{idle}/files")).status, 404);

    let kept = new_session(addr);
    assert_eq!(upload(addr, &kept, "c.md", &seed()).status, 200);
    server.stop();
    assert!(!temp.exists(), "the temporary folder is removed on exit");
}

/// A server that died (killed, power lost) could not remove its uploads: the next server
/// removes a folder whose owner process no longer runs, and leaves a live server's alone.
#[test]
fn the_uploads_of_a_server_that_died_are_removed_at_the_next_start() {
    let temp = std::env::temp_dir();
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead_pid = gone.id();
    gone.wait().unwrap();
    let dead = temp.join(format!("jixiao-serve-test-dead-{}", std::process::id()));
    let alive = temp.join(format!("jixiao-serve-test-alive-{}", std::process::id()));
    for (dir, pid) in [(&dead, dead_pid), (&alive, std::process::id())] {
        std::fs::create_dir_all(dir.join("s0/in")).unwrap();
        std::fs::write(dir.join("s0/in/表1.md"), seed()).unwrap();
        std::fs::write(dir.join("owner.pid"), pid.to_string()).unwrap();
    }
    let server = server(Limits::default());
    assert!(!dead.exists(), "the dead server's uploads are still there");
    assert!(alive.join("s0/in/表1.md").is_file());
    // The new server's own folder says who owns it.
    let owner = std::fs::read_to_string(server.temp_dir().join("owner.pid")).unwrap();
    assert_eq!(owner, std::process::id().to_string());
    std::fs::remove_dir_all(&alive).unwrap();
}

/// Entries of a .zip are unpacked to disk, and the bytes come out of the session's room as
/// they are written: parallel uploads into one session cannot together pass its limit, and an
/// entry past it is refused with the limit named (never "damaged", never English).
#[test]
fn zip_entries_share_the_sessions_room() {
    let server = server(Limits {
        session_bytes: 25_000,
        ..Limits::default()
    });
    let addr = server.addr();
    let sid = new_session(addr);
    let block = vec![b'x'; 10_000];
    let zip = zip_of(&[("a.md", &block), ("b.md", &block)]);
    let uploads: Vec<_> = (0..2)
        .map(|i| {
            let (sid, zip) = (sid.clone(), zip.clone());
            std::thread::spawn(move || upload(addr, &sid, &format!("{i}.zip"), &zip).status)
        })
        .collect();
    for u in uploads {
        assert_eq!(u.join().unwrap(), 200);
    }
    let files = wait_done(addr, &sid);
    assert_eq!(files.len(), 4);
    let refused: Vec<&str> = files
        .iter()
        .filter_map(|f| f["message"].as_str())
        .filter(|m| m.contains("总大小将超过上限"))
        .collect();
    assert_eq!(refused.len(), 2, "{files:#?}");
    // Nothing staged is left behind.
    let staged: Vec<_> = walkdir::WalkDir::new(server.temp_dir())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().to_string_lossy().contains("staging"))
        .collect();
    assert!(staged.is_empty(), "{staged:?}");
}

/// A connection whose headers do not all arrive within the header timeout is closed, even
/// while it keeps sending a header line now and then (slowloris); a connection left idle is
/// closed too; normal requests are answered meanwhile.
#[test]
fn connections_whose_headers_do_not_arrive_in_time_are_closed() {
    let limit = Duration::from_secs(2);
    let server = Server::start(ServeOptions {
        workers: 1,
        queue: 2,
        header_timeout: limit,
        ..ServeOptions::default()
    })
    .expect("server starts");
    let addr = server.addr();

    // Opens a connection, sends `first`, then a header line every 300 ms (when `trickle`),
    // until the server closes it; how long that took (None: still open after 4 × the limit).
    let closed_after = move |first: &str, trickle: bool| -> Option<Duration> {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let start = Instant::now();
        let _ = stream.write_all(first.as_bytes());
        let mut k = 0;
        while start.elapsed() < limit * 4 {
            let mut buf = [0u8; 256];
            match stream.read(&mut buf) {
                Ok(0) => return Some(start.elapsed()),
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if trickle
                        && stream
                            .write_all(format!("X-{k}: a\r\n").as_bytes())
                            .is_err()
                    {
                        return Some(start.elapsed());
                    }
                    k += 1;
                }
                Err(_) => return Some(start.elapsed()),
            }
        }
        None
    };

    let slow = std::thread::spawn(move || {
        closed_after(&format!("GET / HTTP/1.1\r\nHost: {addr}\r\n"), true)
    });
    let silent = std::thread::spawn(move || closed_after("", false));
    // Meanwhile the page answers.
    std::thread::sleep(Duration::from_millis(500));
    let page = get(addr, "/");
    assert_eq!(page.status, 200);
    for (what, handle) in [("trickling headers", slow), ("silent", silent)] {
        let after = handle.join().unwrap();
        let after = after.unwrap_or_else(|| panic!("a {what} connection was never closed"));
        assert!(
            after >= limit - Duration::from_millis(200) && after <= limit + Duration::from_secs(2),
            "a {what} connection was closed after {after:?}, the limit is {limit:?}"
        );
    }
    // And after them too.
    assert_eq!(get(addr, "/").status, 200);
    server.stop();
}

/// An upload's name with an escape sequence or a bidi override reaches the page written out
/// (`\u{202e}`), in the upload's answer, the file list and the file's detail; never as the
/// character that would reorder what the clerk reads.
#[test]
fn upload_names_with_bidi_controls_are_shown_escaped() {
    let server = server(Limits::default());
    let addr = server.addr();
    let sid = new_session(addr);
    let r = upload(addr, &sid, "报告\u{202e}dm.md", &seed());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let answer = String::from_utf8(r.body.clone()).unwrap();
    let files = wait_done(addr, &sid);
    let detail = get(
        addr,
        &format!("/api/session/{sid}/files/{}", files[0]["id"]),
    );
    let detail = String::from_utf8(detail.body).unwrap();
    for (what, text) in [
        ("upload answer", answer.as_str()),
        ("file list", &files[0].to_string()),
        ("detail", detail.as_str()),
    ] {
        let text = serde_json::from_str::<Value>(text)
            .map(|v| v.to_string())
            .unwrap_or_else(|_| text.to_string());
        assert!(!text.contains('\u{202e}'), "{what}: {text}");
        assert!(text.contains("报告\\\\u{202e}dm.md"), "{what}: {text}");
    }
    server.stop();
}
