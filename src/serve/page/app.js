// jixiao serve: the page. Plain JavaScript, no libraries; everything comes from this server.
"use strict";

const state = {
  session: null,
  limits: null,
  files: [],          // the server's list
  selected: null,     // file id shown in the middle
  detail: null,       // its detail
  uploading: 0,       // uploads not yet answered
  uploaded: 0,        // uploads answered in this drop
  dropTotal: 0,       // files in this drop
  queue: [],          // {file, name} waiting to be sent
  pollTimer: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

async function api(path, options) {
  const response = await fetch(path, options);
  if (!response.ok) {
    let message = "服务没有响应（" + response.status + "）";
    try {
      const body = await response.json();
      if (body.error) message = body.error;
    } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response.json();
}

async function start() {
  try {
    const s = await api("/api/session", { method: "POST" });
    state.session = s.id;
    state.limits = s.limits;
  } catch (e) {
    refuse("无法连接本机服务：" + e.message + "（请确认 jixiao serve 仍在运行，然后刷新页面）");
    return;
  }
  window.addEventListener("pagehide", () => {
    navigator.sendBeacon("/api/session/" + state.session + "/close");
  });
  wireInputs();
  poll();
}

// ---- Choosing and dropping files -------------------------------------------------------------

function wireInputs() {
  $("pick-files").addEventListener("change", (ev) => {
    addFiles([...ev.target.files].map((f) => ({ file: f, name: f.name })));
    ev.target.value = "";
  });
  $("pick-folder").addEventListener("change", (ev) => {
    addFiles([...ev.target.files].map((f) => ({ file: f, name: f.webkitRelativePath || f.name })));
    ev.target.value = "";
  });
  const drop = $("drop");
  const over = (on) => (ev) => {
    ev.preventDefault();
    drop.classList.toggle("over", on);
  };
  ["dragenter", "dragover"].forEach((t) => document.addEventListener(t, over(true)));
  ["dragleave", "dragend"].forEach((t) => document.addEventListener(t, over(false)));
  document.addEventListener("drop", async (ev) => {
    ev.preventDefault();
    drop.classList.remove("over");
    const items = [...(ev.dataTransfer.items || [])];
    const entries = items.map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    if (entries.length) {
      const found = [];
      for (const entry of entries) await walk(entry, "", found);
      addFiles(found);
    } else {
      addFiles([...ev.dataTransfer.files].map((f) => ({ file: f, name: f.name })));
    }
  });
}

// Reads a dropped folder, keeping each file's path inside it.
async function walk(entry, prefix, found) {
  if (entry.isFile) {
    const file = await new Promise((ok, fail) => entry.file(ok, fail)).catch(() => null);
    if (file) found.push({ file, name: prefix + entry.name });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = entry.createReader();
  for (;;) {
    const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail)).catch(() => []);
    if (!batch.length) break;
    for (const child of batch) await walk(child, prefix + entry.name + "/", found);
  }
}

function addFiles(list) {
  if (!list.length || !state.session) return;
  if (state.uploading === 0 && state.queue.length === 0) {
    state.dropTotal = 0;
    state.uploaded = 0;
  }
  for (const item of list) {
    if (state.limits && item.file.size > state.limits.file_bytes) {
      refuse("“" + item.name + "”太大（" + mb(item.file.size) + "），单个文件最多 " +
        mb(state.limits.file_bytes) + "；请拆分后再上传");
      continue;
    }
    state.queue.push(item);
    state.dropTotal += 1;
  }
  pump();
  showProgress();
}

function mb(bytes) {
  return (bytes / 1048576).toFixed(1) + " MB";
}

// Two uploads at a time; the server queues the conversions.
function pump() {
  while (state.uploading < 2 && state.queue.length) {
    const item = state.queue.shift();
    state.uploading += 1;
    const url = "/api/session/" + state.session + "/files?name=" + encodeURIComponent(item.name);
    api(url, { method: "POST", body: item.file })
      .catch((e) => refuse(e.message))
      .finally(() => {
        state.uploading -= 1;
        state.uploaded += 1;
        pump();
        poll();
      });
  }
}

function refuse(message) {
  const li = el("li", null, message);
  $("refused").appendChild(li);
}

// ---- The file list and progress -------------------------------------------------------------

async function poll() {
  clearTimeout(state.pollTimer);
  if (!state.session) return;
  try {
    const list = await api("/api/session/" + state.session + "/files");
    state.files = list.files;
    renderList(list);
    if (state.selected === null) {
      const first = list.files.find((f) => isDone(f));
      if (first) select(first.id);
    } else if (!state.detail) {
      const current = list.files[state.selected];
      if (current && isDone(current)) select(current.id);
    }
  } catch (e) {
    refuse(e.message);
    return;
  }
  const busy = state.uploading > 0 || state.queue.length > 0 ||
    state.files.some((f) => !isDone(f));
  state.pollTimer = setTimeout(poll, busy ? 500 : 20000);
}

function isDone(f) {
  return f.state !== "queued" && f.state !== "working";
}

function showProgress() {
  const total = state.files.length;
  const done = state.files.filter(isDone).length;
  const sending = state.uploading + state.queue.length;
  $("progress").hidden = total === 0 && sending === 0;
  const all = total + sending;
  const width = all ? Math.round((done / all) * 100) : 0;
  $("bar").style.width = width + "%";
  let text = "已完成 " + done + " / " + all + " 个文件";
  if (sending) text += "，正在上传 " + sending + " 个";
  $("progress-text").textContent = text;
  const ready = total > 0 && done === total && sending === 0;
  const all_ = $("all");
  all_.classList.toggle("disabled", !ready);
  all_.setAttribute("aria-disabled", String(!ready));
  if (ready) {
    all_.href = "/api/session/" + state.session + "/all.zip";
    all_.setAttribute("download", "转换结果.zip");
  } else {
    all_.removeAttribute("href");
  }
}

function counts(f) {
  const parts = [];
  if (f.projects) parts.push(f.projects + " 个项目");
  if (f.indicators) parts.push(f.indicators + " 条指标");
  if (f.errors) parts.push(f.errors + " 个错误");
  if (f.warnings) parts.push(f.warnings + " 个警告");
  if (f.infos) parts.push(f.infos + " 个提示");
  return parts.join(" · ");
}

function renderList(list) {
  const ul = $("files");
  ul.textContent = "";
  for (const f of list.files) {
    const li = el("li");
    li.dataset.id = f.id;
    if (f.id === state.selected) li.classList.add("selected");
    li.appendChild(el("span", "name", f.name));
    const meta = el("span", "meta");
    meta.appendChild(el("span", "status " + f.state, f.label));
    meta.appendChild(document.createTextNode(isDone(f) ? (counts(f) || f.message || "") : ""));
    li.appendChild(meta);
    li.addEventListener("click", () => select(f.id));
    ul.appendChild(li);
  }
  showProgress();
}

// ---- One file: its tables and diagnostics ---------------------------------------------------

async function select(id) {
  state.selected = id;
  state.detail = null;
  document.querySelectorAll("#files li").forEach((li) => {
    li.classList.toggle("selected", Number(li.dataset.id) === id);
  });
  const f = state.files[id];
  if (!f || !isDone(f)) return;
  let detail;
  try {
    detail = await api("/api/session/" + state.session + "/files/" + id);
  } catch (e) {
    refuse(e.message);
    return;
  }
  if (state.selected !== id) return;
  state.detail = detail;
  renderFile(id, detail);
}

function renderFile(id, d) {
  $("empty").hidden = true;
  $("file").hidden = false;
  $("file-name").textContent = d.name;
  const status = $("file-status");
  status.className = "status " + d.file.state;
  status.textContent = d.file.label;
  $("file-counts").textContent = counts(d.file);
  const message = $("file-message");
  message.hidden = !d.file.message || d.file.state === "ok" || d.file.state === "warnings";
  message.textContent = d.file.message || "";

  const downloads = $("downloads");
  downloads.textContent = "";
  const names = { xlsx: "下载 XLSX", pdf: "下载 PDF（打印用）", json: "下载 JSON" };
  for (const format of ["xlsx", "pdf", "json"]) {
    if (!d.outputs.includes(format)) continue;
    const a = el("a", "button", names[format]);
    a.href = "/api/session/" + state.session + "/files/" + id + "/output/" + format;
    a.setAttribute("download", "");
    a.dataset.format = format;
    downloads.appendChild(a);
  }

  const jump = $("jump");
  jump.textContent = "";
  const tables = $("tables");
  tables.textContent = "";
  d.tables.forEach((t, i) => {
    const sheet = drawTable(t, i);
    tables.appendChild(sheet);
    const a = el("a", null, t.kind === "summary" ? "汇总表" : t.name || "项目" + i);
    a.href = "#table-" + i;
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      sheet.scrollIntoView({ block: "start" });
    });
    jump.appendChild(a);
  });
  jump.hidden = d.tables.length < 2;
  renderDiagnostics(d);
  $("center").scrollTop = 0;
}

function drawTable(t, index) {
  const sheet = el("div", "sheet");
  sheet.id = "table-" + index;
  sheet.appendChild(el("h3", null, t.title));
  if (t.subtitle) sheet.appendChild(el("p", "subtitle", t.subtitle));
  const table = el("table", "form");
  table.dataset.table = index;
  const total = t.columns.reduce((a, b) => a + b, 0) || 1;
  const cols = el("colgroup");
  for (const w of t.columns) {
    const col = el("col");
    col.style.width = ((w / total) * 100).toFixed(2) + "%";
    cols.appendChild(col);
  }
  table.appendChild(cols);
  const body = el("tbody");
  t.rows.forEach((r, ri) => {
    const tr = el("tr", r.kind);
    tr.dataset.row = ri;
    for (const c of r.cells) {
      const td = el("td", (c.label ? "label" : "value") + (c.left ? " left" : ""), c.text);
      if (c.col_span > 1) td.colSpan = c.col_span;
      if (c.row_span > 1) td.rowSpan = c.row_span;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  });
  table.appendChild(body);
  sheet.appendChild(table);
  return sheet;
}

function renderDiagnostics(d) {
  const ol = $("diags");
  ol.textContent = "";
  $("diag-count").textContent = "（" + d.diagnostics.length + "）";
  $("diag-hint").hidden = d.diagnostics.length === 0;
  if (d.diagnostics.length === 0) {
    ol.appendChild(el("li", "info", "没有发现问题。"));
    return;
  }
  for (const g of d.diagnostics) {
    const li = el("li", g.severity);
    li.dataset.code = g.code;
    li.appendChild(el("span", "code", g.code));
    li.appendChild(el("span", "sev", g.label));
    li.appendChild(document.createTextNode(g.message));
    const where = g.place ? g.place : "";
    const place = el("span", "place",
      where + (g.targets.length ? "" : (where ? " · " : "") + "表中无对应的格子"));
    li.appendChild(place);
    if (g.explain) {
      const details = el("details");
      details.appendChild(el("summary", null, "这是什么意思"));
      details.appendChild(el("div", null, g.explain));
      details.addEventListener("click", (ev) => ev.stopPropagation());
      li.appendChild(details);
    }
    if (g.targets.length) {
      li.classList.add("target");
      li.addEventListener("click", () => highlight(li, g.targets));
    }
    ol.appendChild(li);
  }
}

// Lights up the cells a diagnostic points at and brings the first into view.
function highlight(li, targets) {
  document.querySelectorAll("td.hl").forEach((td) => td.classList.remove("hl"));
  document.querySelectorAll("tr.flash").forEach((tr) => tr.classList.remove("flash"));
  document.querySelectorAll("#diags li.active").forEach((x) => x.classList.remove("active"));
  li.classList.add("active");
  let first = null;
  for (const [t, r] of targets) {
    const tr = document.querySelector('table[data-table="' + t + '"] tr[data-row="' + r + '"]');
    if (!tr) continue;
    const cells = tr.querySelectorAll("td.value");
    (cells.length ? cells : tr.querySelectorAll("td")).forEach((td) => td.classList.add("hl"));
    tr.classList.add("flash");
    first = first || tr;
  }
  if (first) first.scrollIntoView({ block: "center" });
}

start();
