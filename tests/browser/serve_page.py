#!/usr/bin/env python3
"""Real-browser test of `jixiao serve`: headless Chromium driven through WebDriver
(chromedriver), with only Python's standard library.

It starts `jixiao serve --no-open`, loads the page at 1366x768, uploads the seed through the
file input, waits for the tables, checks that the 55 indicators are drawn, clicks the R101
diagnostic and checks that its cell is highlighted, takes a screenshot, downloads the .zip of
everything and checks it, and checks that the browser logged no error (a CSP violation is one).

Usage: python3 tests/browser/serve_page.py [--screenshot docs/serve.png]
Environment: JIXIAO_BIN (default target/debug/jixiao), CHROMIUM (default /usr/bin/chromium),
CHROMEDRIVER (default /usr/bin/chromedriver).
"""

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("JIXIAO_BIN", os.path.join(ROOT, "target", "debug", "jixiao"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
SEED = os.path.join(ROOT, "fixtures", "heshuo-2022.md")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    """The few WebDriver commands this test needs (W3C protocol, JSON over HTTP)."""

    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.loads(r.read() or b"{}").get("value")
        except urllib.error.HTTPError as e:
            raise RuntimeError("WebDriver %s %s: %s" % (method, path, e.read().decode()[:500]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.session, path), body)

    def start(self, capabilities):
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = value["sessionId"]

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        value = self.s("POST", "/element", {"using": "css selector", "value": css})
        return next(iter(value.values()))

    def wait(self, script, what, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.25)
        raise AssertionError("timed out waiting for " + what)


def main():
    shot = None
    if "--screenshot" in sys.argv:
        shot = os.path.abspath(sys.argv[sys.argv.index("--screenshot") + 1])
    work = tempfile.mkdtemp(prefix="jixiao-browser-")
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    procs = []
    try:
        server = subprocess.Popen(
            [BIN, "serve", "--no-open"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        procs.append(server)
        line = server.stdout.readline()
        assert "已启动" in line, "server did not start: %r %s" % (line, server.stderr.read())
        url = line.split("：", 1)[1].strip()

        port = free_port()
        driver_proc = subprocess.Popen(
            [CHROMEDRIVER, "--port=%d" % port],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        procs.append(driver_proc)
        wd = WebDriver(port)
        deadline = time.time() + 30
        while True:
            try:
                if wd.call("GET", "/status").get("ready"):
                    break
            except Exception:
                pass
            assert time.time() < deadline, "chromedriver did not start"
            time.sleep(0.2)

        wd.start({
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + os.path.join(work, "profile"),
                    "--window-size=1366,768", "--lang=zh-CN",
                ],
                "prefs": {
                    "download.default_directory": downloads,
                    "download.prompt_for_download": False,
                },
            },
        })
        try:
            wd.s("POST", "/goog/cdp/execute", {
                "cmd": "Browser.setDownloadBehavior",
                "params": {"behavior": "allow", "downloadPath": downloads},
            })
        except RuntimeError:
            pass  # the prefs above do it on older drivers
        wd.s("POST", "/url", {"url": url})
        wd.wait("return document.readyState === 'complete'", "the page")
        # A 1366x768 viewport: the window is that plus whatever the browser draws around it.
        for _ in range(3):
            inner = wd.js("return [window.innerWidth, window.innerHeight]")
            if inner == [1366, 768]:
                break
            rect = wd.s("GET", "/window/rect")
            wd.s("POST", "/window/rect", {
                "width": rect["width"] + 1366 - inner[0],
                "height": rect["height"] + 768 - inner[1],
            })
        assert wd.js("return document.title") == "绩效目标表转换"

        # Upload the seed through the file input (shown first: it is hidden behind a label).
        wd.js("document.getElementById('pick-files').hidden = false")
        picker = wd.find("#pick-files")
        wd.s("POST", "/element/%s/value" % picker, {"text": SEED})
        wd.js("document.getElementById('pick-files').hidden = true")

        count = wd.wait(
            "const n = document.querySelectorAll('table.form tr.indicator').length;"
            "return n >= 55 ? n : 0",
            "the tables",
        )
        assert count == 55, "indicator rows drawn: %d" % count
        tables = wd.js("return document.querySelectorAll('table.form').length")
        assert tables == 6, "tables drawn: %d" % tables
        status = wd.js("return document.getElementById('file-status').textContent")
        assert status == "有警告", status

        # Click the R101 diagnostic: its cells light up.
        assert wd.js("return document.querySelectorAll('td.hl').length") == 0
        r101 = wd.find('#diags li[data-code="R101"]')
        wd.s("POST", "/element/%s/click" % r101, {})
        lit = wd.wait(
            "return [...document.querySelectorAll('td.hl')].map(td => td.textContent)",
            "the highlighted cells",
        )
        assert "人均丧葬补贴发放资金数" in lit and "=720元" in lit, lit
        visible = wd.js(
            "const r = document.querySelector('td.hl').getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight"
        )
        assert visible, "the highlighted cell is scrolled into view"
        size = wd.js("return [window.innerWidth, window.innerHeight]")
        assert size == [1366, 768], size

        if shot:
            png = base64.b64decode(wd.s("GET", "/screenshot"))
            os.makedirs(os.path.dirname(shot), exist_ok=True)
            with open(shot, "wb") as f:
                f.write(png)
            print("screenshot (%dx%d viewport): %s" % (size[0], size[1], shot))

        # Download everything as one .zip.
        wd.wait("return !document.getElementById('all').classList.contains('disabled')", "the zip link")
        wd.s("POST", "/element/%s/click" % wd.find("#all"), {})
        deadline = time.time() + 180
        archive = None
        while time.time() < deadline and archive is None:
            done = [n for n in os.listdir(downloads) if n.endswith(".zip")]
            if done:
                archive = os.path.join(downloads, done[0])
            else:
                time.sleep(0.25)
        assert archive, "the zip was not downloaded: %s" % os.listdir(downloads)
        with zipfile.ZipFile(archive) as z:
            names = sorted(z.namelist())
            report = json.loads(z.read("report.json"))
        for expected in ["heshuo-2022.json", "heshuo-2022.pdf", "heshuo-2022.xlsx",
                         "report.csv", "report.json", "全县汇总.pdf", "全县汇总.xlsx"]:
            assert expected in names, (expected, names)
        assert report["totals"]["indicators"] == 55, report["totals"]

        # The page logged no error (CSP violations, failed requests, script errors).
        logs = wd.s("POST", "/se/log", {"type": "browser"}) or []
        severe = [l["message"] for l in logs if l.get("level") == "SEVERE"]
        assert not severe, severe

        wd.s("DELETE", "")
        # Ctrl-C stops the server and removes its temporary folder.
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
        assert server.returncode == 0, (server.returncode, err)
        assert "已停止" in err, err
        print("browser: 1 passed, 0 failed")
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
