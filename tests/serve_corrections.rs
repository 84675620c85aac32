//! `jixiao serve`: corrections by hand through the page's API, a session kept through a
//! reload, and the fixed default port — against a running server on a loopback port with a
//! plain HTTP/1.1 client.

use jixiao::serve::{ServeOptions, Server};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Cursor, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

/// The seed with the 预算单位 of 城市低保 misread (a stray `|`), as OCR gives it.
fn misread_seed() -> Vec<u8> {
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/heshuo-2022.md"),
    )
    .unwrap();
    let bad = seed.replace(
        "预算单位\t和硕县民政局\t\t\t项目名称\t城市低保",
        "预算单位\t和硕县民政局|\t\t\t项目名称\t城市低保",
    );
    assert_ne!(bad, seed);
    bad.into_bytes()
}

struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One HTTP/1.1 request with `Connection: close`; the whole answer (never chunked here).
fn request(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    assert!(!head.contains("transfer-encoding: chunked"), "{head}");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, b"")
}

fn new_session(addr: SocketAddr) -> String {
    let r = request(addr, "POST", "/api/session", b"");
    assert_eq!(r.status, 200);
    r.json()["id"].as_str().unwrap().to_string()
}

fn upload(addr: SocketAddr, sid: &str, name: &str, bytes: &[u8]) {
    let path = format!("/api/session/{sid}/files?name={name}");
    assert_eq!(request(addr, "POST", &path, bytes).status, 200);
}

fn wait_done(addr: SocketAddr, sid: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let list = get(addr, &format!("/api/session/{sid}/files")).json();
        if list["done"] == list["total"] {
            return;
        }
        assert!(Instant::now() < deadline, "conversions did not finish");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn correct(addr: SocketAddr, sid: &str, file: usize, edit: Value) -> Reply {
    request(
        addr,
        "POST",
        &format!("/api/session/{sid}/files/{file}/corrections"),
        edit.to_string().as_bytes(),
    )
}

fn codes(detail: &Value) -> Vec<String> {
    detail["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The project table of `name` and its project index.
fn project_table<'a>(detail: &'a Value, name: &str) -> (&'a Value, u64) {
    let t = detail["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap();
    (t, t["project"].as_u64().unwrap())
}

/// The cell of `field` in the table, as text.
fn cell_text(table: &Value, field: &str) -> String {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .find(|c| c["field"] == field)
        .map(|c| c["text"].as_str().unwrap().to_string())
        .unwrap()
}

fn unzip(bytes: &[u8], name: &str) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

#[test]
fn a_correction_settles_its_findings_and_reaches_every_download() {
    let server = Server::start(ServeOptions::default()).unwrap();
    let addr = server.addr();
    let sid = new_session(addr);
    upload(addr, &sid, "heshuo-2022.md", &misread_seed());
    wait_done(addr, &sid);
    let detail = get(addr, &format!("/api/session/{sid}/files/0")).json();
    assert!(codes(&detail).contains(&"C216".to_string()));
    let (table, p) = project_table(&detail, "城市低保");
    assert_eq!(cell_text(table, "budget_unit"), "和硕县民政局|");
    assert_eq!(detail["corrections"], json!([]));

    let r = correct(
        addr,
        &sid,
        0,
        json!({"op": "set", "project": p, "field": "budget_unit", "text": "和硕县民政局"}),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let detail = r.json();
    assert!(
        !codes(&detail).contains(&"C216".to_string()),
        "C216 settled"
    );
    let (table, _) = project_table(&detail, "城市低保");
    assert_eq!(cell_text(table, "budget_unit"), "和硕县民政局");
    let pointer = format!("/projects/{p}/budget_unit");
    assert_eq!(
        detail["corrections"],
        json!([{"field": pointer, "before": "和硕县民政局|", "after": "和硕县民政局"}])
    );
    // The file's line counts one warning fewer.
    assert_eq!(detail["file"]["warnings"], 7);

    // An indicator row deleted, then one added: the findings follow.
    let r = correct(
        addr,
        &sid,
        0,
        json!({"op": "delete", "project": 0, "row": 1}),
    );
    assert_eq!(r.status, 200);
    let after_delete = r.json();
    assert!(
        !codes(&after_delete).contains(&"C212".to_string()),
        "with 发放次数 gone, C212 has nothing to compare"
    );
    let r = correct(
        addr,
        &sid,
        0,
        json!({"op": "insert", "project": 0, "row": 1}),
    );
    let added = r.json();
    assert!(
        codes(&added).contains(&"C207".to_string()),
        "an empty row is reported"
    );
    let r = correct(
        addr,
        &sid,
        0,
        json!({"op": "set", "project": 0, "rows": [1], "field": "level3", "text": "发放次数"}),
    );
    assert_eq!(r.status, 200);
    let r = correct(
        addr,
        &sid,
        0,
        json!({"op": "set", "project": 0, "rows": [1], "field": "value", "text": "=12次"}),
    );
    let detail = r.json();
    assert!(!codes(&detail).contains(&"C207".to_string()));
    assert!(
        !codes(&detail).contains(&"C212".to_string()),
        "12 × 7.63 ≈ 91.59"
    );

    // Every download carries the corrections.
    let json_out = get(addr, &format!("/api/session/{sid}/files/0/output/json"));
    assert_eq!(json_out.status, 200);
    let doc = json_out.json();
    assert_eq!(doc["projects"][p as usize]["budget_unit"], "和硕县民政局");
    assert_eq!(doc["projects"][0]["indicators"][1]["value"]["raw"], "=12次");
    let fields: Vec<&str> = doc["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&pointer.as_str()), "{fields:?}");
    // The row deleted and the row added are both recorded, as is what was typed into it.
    assert!(
        fields.contains(&"/projects/0/indicators/1/value"),
        "{fields:?}"
    );
    assert_eq!(
        doc["corrections"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["field"] == "/projects/0/indicators/1"
                || c["field"] == "/projects/0/indicators/2")
            .count(),
        2,
        "{fields:?}"
    );
    let xlsx = get(addr, &format!("/api/session/{sid}/files/0/output/xlsx"));
    let strings = String::from_utf8(unzip(&xlsx.body, "xl/sharedStrings.xml")).unwrap();
    assert!(strings.contains("=12次") && !strings.contains("和硕县民政局|"));

    let zip = get(addr, &format!("/api/session/{sid}/all.zip"));
    assert_eq!(zip.status, 200);
    let inner: Value = serde_json::from_slice(&unzip(&zip.body, "heshuo-2022.json")).unwrap();
    assert_eq!(inner["corrections"], doc["corrections"]);
    let report: Value = serde_json::from_slice(&unzip(&zip.body, "report.json")).unwrap();
    assert_eq!(report["inputs"][0]["file"], "heshuo-2022.md");
    assert_eq!(report["inputs"][0]["warnings"], detail["file"]["warnings"]);
    server.stop();
}

#[test]
fn refused_corrections_say_why_in_chinese_and_change_nothing() {
    let server = Server::start(ServeOptions::default()).unwrap();
    let addr = server.addr();
    let sid = new_session(addr);
    upload(addr, &sid, "heshuo-2022.md", &misread_seed());
    upload(
        addr,
        &sid,
        "notes.txt",
        "局务会议记录\n议题：办公楼维修\n".as_bytes(),
    );
    wait_done(addr, &sid);
    let before = get(addr, &format!("/api/session/{sid}/files/0")).body;
    let refused = [
        (
            json!({"op": "set", "project": 0, "field": "funds.total", "text": "九十一万"}),
            "不是金额",
        ),
        (
            json!({"op": "set", "project": 0, "field": "year", "text": "2023"}),
            "不是可更正的栏目",
        ),
        (
            json!({"op": "set", "project": 0, "rows": [999], "field": "value", "text": "1"}),
            "没有第 1000 行指标",
        ),
        (
            json!({"op": "delete", "project": 42, "row": 0}),
            "没有这个项目",
        ),
        (json!({"op": "rename"}), "更正的内容无法识别"),
    ];
    for (edit, why) in refused {
        let r = correct(addr, &sid, 0, edit.clone());
        assert_eq!(r.status, 400, "{edit}");
        let message = r.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains(why), "{edit}: {message}");
    }
    assert_eq!(
        get(addr, &format!("/api/session/{sid}/files/0")).body,
        before
    );
    // A file that gave no table has nothing to correct.
    let r = correct(
        addr,
        &sid,
        1,
        json!({"op": "insert", "project": 0, "row": 0}),
    );
    assert_eq!(r.status, 409);
    assert!(r.json()["error"].as_str().unwrap().contains("没有读出表格"));
    server.stop();
}

#[test]
fn a_reload_keeps_the_session_and_its_corrections() {
    let server = Server::start(ServeOptions {
        session_timeout: Duration::from_secs(3),
        ..ServeOptions::default()
    })
    .unwrap();
    let addr = server.addr();
    let sid = new_session(addr);
    upload(addr, &sid, "heshuo-2022.md", &misread_seed());
    wait_done(addr, &sid);
    let r = correct(
        addr,
        &sid,
        0,
        json!({"op": "set", "project": 0, "field": "project_name", "text": "城乡居民养老保险"}),
    );
    assert_eq!(r.status, 200);
    // The page leaving (or reloading) asks for the session to go unless it comes back.
    let close = |grace: &str| {
        request(
            addr,
            "POST",
            &format!("/api/session/{sid}/close{grace}"),
            b"",
        )
        .status
    };
    assert_eq!(close("?grace=2"), 204);
    std::thread::sleep(Duration::from_millis(300));
    // The reloaded page's first request: everything is there.
    let detail = get(addr, &format!("/api/session/{sid}/files/0")).json();
    assert_eq!(detail["corrections"][0]["after"], "城乡居民养老保险");
    // Left for good: gone once the grace has passed.
    assert_eq!(close("?grace=0"), 204);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(get(addr, &format!("/api/session/{sid}/files")).status, 404);
    server.stop();
}

/// Starts `jixiao serve --no-open` with `args`; the child, its first line and its stderr
/// reader.
fn serve_cli(args: &[&str]) -> (std::process::Child, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["serve", "--no-open"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (child, line)
}

fn stop(mut child: std::process::Child) -> String {
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    err
}

#[test]
fn serve_listens_on_a_fixed_port_or_says_why_not_in_chinese() {
    // The default port taken (by us, or by something else already): the next free one, said.
    let held = TcpListener::bind("127.0.0.1:8765").ok();
    let (child, line) = serve_cli(&[]);
    let port: u16 = line
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{line}"));
    let err = stop(child);
    assert!((8766..8775).contains(&port), "{line}");
    assert!(
        err.contains("端口 8765 已被占用") && err.contains("改用端口"),
        "{err}"
    );
    drop(held);

    // A port asked for and taken: refused in Chinese, nothing in English.
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["serve", "--no-open", "--port", &port])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(&format!("端口 {port} 已被占用")), "{err}");
    assert!(!err.contains("Address already in use"), "{err}");
}

#[test]
fn every_correction_put_back_gives_the_file_as_read() {
    let server = Server::start(ServeOptions::default()).unwrap();
    let addr = server.addr();
    let sid = new_session(addr);
    upload(addr, &sid, "heshuo-2022.md", &misread_seed());
    wait_done(addr, &sid);
    let read = get(addr, &format!("/api/session/{sid}/files/0")).json();
    let json_read = get(addr, &format!("/api/session/{sid}/files/0/output/json")).body;
    // The row R101 restored: the 指标值 “=720元”.
    let (project, row) = read["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| {
            t["rows"].as_array().unwrap().iter().find_map(|r| {
                r["cells"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["field"] == "value" && c["text"] == "=720元")
                    .then(|| (t["project"].clone(), r["indicator"].clone()))
            })
        })
        .unwrap();
    let set = |text: &str| {
        correct(
            addr,
            &sid,
            0,
            json!({"op": "set", "project": project, "rows": [row], "field": "value", "text": text}),
        )
        .json()
    };
    let corrected = set("=720 元");
    assert!(
        !codes(&corrected).contains(&"R101".to_string()),
        "R101 settled"
    );
    let back = set("=720元");
    assert_eq!(back["corrections"], json!([]));
    assert_eq!(back["diagnostics"], read["diagnostics"], "R101 is back");
    assert_eq!(back["tables"], read["tables"]);
    let json_back = get(addr, &format!("/api/session/{sid}/files/0/output/json")).body;
    assert_eq!(
        json_back, json_read,
        "the output is the file's as read, byte for byte"
    );
    server.stop();
}
