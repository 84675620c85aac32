// jixiao serve: the page. Plain JavaScript, no libraries; everything comes from this server,
// and nothing is sent anywhere else.
"use strict";

const state = {
  session: null,
  limits: null,
  files: [],          // the server's list
  selected: null,     // file id shown in the middle
  wanted: null,       // file to show again after a reload
  detail: null,       // its detail
  editing: null,      // the cell being corrected
  saving: false,      // a correction on its way
  uploading: 0,       // uploads not yet answered
  uploaded: 0,        // uploads answered in this drop
  dropTotal: 0,       // files in this drop
  queue: [],          // {file, name} waiting to be sent
  pollTimer: null,
};

// The fields the clerk may correct, in the form's words.
const FIELD_NAMES = {
  budget_unit: "预算单位",
  project_name: "项目名称",
  "funds.total": "年度资金总额",
  "funds.fiscal": "财政拨款",
  "funds.other": "其他资金",
  goal: "总体目标",
  level1: "一级指标",
  level2: "二级指标",
  level3: "三级指标",
  value: "指标值",
};

// Kept for this tab only, so that a reload (F5) finds the same files and corrections.
const KEY = { session: "jixiao-session", limits: "jixiao-limits", selected: "jixiao-selected" };

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function button(cls, text, label) {
  const b = el("button", cls, text);
  b.type = "button";
  if (label) b.setAttribute("aria-label", label);
  return b;
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
  const saved = sessionStorage.getItem(KEY.session);
  if (saved) {
    try {
      await api("/api/session/" + saved + "/files");
      state.session = saved;
      state.limits = JSON.parse(sessionStorage.getItem(KEY.limits) || "null");
      const selected = sessionStorage.getItem(KEY.selected);
      if (selected !== null && selected !== "") state.wanted = Number(selected);
    } catch (_) {
      sessionStorage.removeItem(KEY.session);
    }
  }
  if (!state.session) {
    try {
      const s = await api("/api/session", { method: "POST" });
      state.session = s.id;
      state.limits = s.limits;
      sessionStorage.setItem(KEY.session, s.id);
      sessionStorage.setItem(KEY.limits, JSON.stringify(s.limits));
      sessionStorage.removeItem(KEY.selected);
    } catch (e) {
      refuse("无法连接本机服务：" + e.message + "（请确认 jixiao serve 仍在运行，然后刷新页面）");
      return;
    }
  }
  // Leaving the page and reloading it look the same from here: the server keeps the session
  // a little while, and a reload picks it up again.
  window.addEventListener("pagehide", () => {
    navigator.sendBeacon("/api/session/" + state.session + "/close?grace=60");
  });
  wireInputs();
  poll();
}

// ---- Choosing and dropping files -------------------------------------------------------------

function wireInputs() {
  $("pick-files-button").addEventListener("click", () => $("pick-files").click());
  $("pick-folder-button").addEventListener("click", () => $("pick-folder").click());
  $("drop").addEventListener("click", () => $("pick-files").click());
  $("to-diags").addEventListener("click", (ev) => {
    ev.preventDefault();
    $("right").scrollIntoView({ block: "start" });
    $("right").focus({ preventScroll: true });
  });
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
      const again = state.wanted !== null ? list.files[state.wanted] : null;
      const first = again && isDone(again) ? again : list.files.find((f) => isDone(f));
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
  const failed = state.files.filter((f) => f.state === "error").length;
  const skipped = state.files.filter((f) => f.state === "skipped").length;
  if (failed) text += "，" + failed + " 个失败";
  if (skipped) text += "，" + skipped + " 个没有读出表格";
  if ($("progress-text").textContent !== text) $("progress-text").textContent = text;
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
  if (f.errors) parts.push(f.errors + " 个错误");
  if (f.warnings) parts.push(f.warnings + " 个警告");
  if (f.projects) parts.push(f.projects + " 个项目");
  if (f.indicators) parts.push(f.indicators + " 条指标");
  if (f.infos) parts.push(f.infos + " 个提示");
  return parts.join(" · ");
}

function renderList(list) {
  const ul = $("files");
  // Redrawn only when something changed, so that keyboard focus stays where it is.
  const shape = JSON.stringify([list.files, state.selected]);
  if (ul.dataset.shape === shape) {
    showProgress();
    return;
  }
  ul.dataset.shape = shape;
  const focused = document.activeElement && document.activeElement.closest("#files li");
  const focusedId = focused ? focused.dataset.id : null;
  ul.textContent = "";
  for (const f of list.files) {
    const li = el("li", f.state);
    li.dataset.id = f.id;
    const b = button("file");
    if (f.id === state.selected) {
      li.classList.add("selected");
      b.setAttribute("aria-current", "true");
    }
    b.appendChild(el("span", "name", f.name));
    const meta = el("span", "meta");
    meta.appendChild(el("span", "status " + f.state, f.label));
    const words = isDone(f) ? (f.state === "error" || f.state === "skipped"
      ? (f.message || counts(f)) : (counts(f) || f.message || "")) : "";
    meta.appendChild(document.createTextNode(words));
    b.appendChild(meta);
    b.addEventListener("click", () => select(f.id, true));
    li.appendChild(b);
    ul.appendChild(li);
  }
  if (focusedId !== null) {
    const again = ul.querySelector('li[data-id="' + focusedId + '"] button');
    if (again) again.focus();
  }
  showProgress();
}

// ---- One file: its tables and diagnostics ---------------------------------------------------

async function select(id, fromList) {
  state.selected = id;
  state.detail = null;
  state.editing = null;
  sessionStorage.setItem(KEY.selected, String(id));
  document.querySelectorAll("#files li").forEach((li) => {
    const on = Number(li.dataset.id) === id;
    li.classList.toggle("selected", on);
    const b = li.querySelector("button");
    if (on) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
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
  // On a narrow screen the table is below the list: bring it into view.
  if (fromList && window.innerWidth < 1000) $("center").scrollIntoView({ block: "start" });
}

function renderFile(id, d) {
  $("empty").hidden = true;
  $("file").hidden = false;
  $("file-name").textContent = d.name;
  const status = $("file-status");
  status.className = "status " + d.file.state;
  status.textContent = d.file.label;
  $("file-counts").textContent = counts(d.file);
  renderBanner(d);

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

  const editable = d.tables.some((t) => t.project !== null && t.project !== undefined);
  $("edit-hint").hidden = !editable;
  renderCorrections(d);

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
      sheet.focus({ preventScroll: true });
    });
    jump.appendChild(a);
  });
  jump.hidden = d.tables.length < 2;
  renderDiagnostics(d);
  markScrollers();
}

// A form that scrolls sideways and holds no button (the summary) can be scrolled with the
// keyboard: it takes the focus itself.
function markScrollers() {
  document.querySelectorAll(".sheet .scroll").forEach((s) => {
    const scrolls = s.scrollWidth > s.clientWidth && !s.querySelector("button");
    if (scrolls) {
      s.tabIndex = 0;
      s.setAttribute("role", "region");
      s.setAttribute("aria-label", s.closest(".sheet").querySelector("h3").textContent + "（可左右滚动）");
    } else {
      s.removeAttribute("tabindex");
      s.removeAttribute("role");
      s.removeAttribute("aria-label");
    }
  });
}
window.addEventListener("resize", markScrollers);

// A file that gave no table, or failed, says so first, with what to do.
function renderBanner(d) {
  const banner = $("file-banner");
  banner.textContent = "";
  const why = d.file.message || "";
  let head = null;
  let todo = null;
  if (d.tables.length === 0 && d.file.state === "skipped") {
    head = "这个文件没有读出绩效目标表，已跳过" + (why ? "：" + why : "") + "。";
    todo = "如果它确实是绩效目标表：请用 Excel 或 Word 打开，确认表中有“预算单位/项目名称”和“一级指标/二级指标/三级指标/指标值”；" +
      "扫描件或图片请先识别成文字（.md .txt）或另存为 Excel（.xlsx），再拖进来。不是绩效目标表的文件可以不管。";
  } else if (d.tables.length === 0) {
    head = "这个文件转换失败，没有读出表格" + (why ? "：" + why : "") + "。";
    todo = "请按上面的原因修改原文件（或另存为 .xlsx）后重新拖入；右边列出了读取时发现的问题。";
  } else if (d.file.state === "error") {
    head = "这个文件有错误" + (why ? "：" + why : "") + "。";
    todo = "右边先列出错误：点一条，表中对应的格子会标黄；识别错的格子可以直接点它更正，填错的请退回报送单位修改。";
  }
  banner.hidden = head === null;
  banner.className = "banner " + (d.file.state === "skipped" ? "skipped" : "error");
  if (head === null) return;
  banner.appendChild(el("strong", null, head));
  banner.appendChild(el("span", null, todo));
}

// The list of what was corrected by hand, in the clerk's words.
function renderCorrections(d) {
  const list = d.corrections || [];
  const box = $("corrections");
  box.hidden = list.length === 0;
  $("corrections-summary").textContent = "已手工更正 " + list.length +
    " 处（下载的 XLSX、PDF、JSON 和 .zip 都已包含；JSON 的 corrections 逐处记录）";
  const ul = $("corrections-list");
  ul.textContent = "";
  for (const c of list) {
    const li = el("li", null, describeField(d, c.field) + "：" + shown(c.before) + " → " + shown(c.after) + " ");
    const back = restoring(d, c);
    if (back) {
      const b = button("undo", "恢复原值", "恢复原值：" + describeField(d, c.field) + " 改回" + shown(c.before));
      b.addEventListener("click", () => correct(back.edit, back.focus));
      li.appendChild(b);
    }
    ul.appendChild(li);
  }
}

// The correction that puts a corrected cell back as it was read (rows added or deleted are
// put back by hand: ＋ and ×).
function restoring(d, c) {
  const m = /^\/projects\/(\d+)(?:\/indicators\/(\d+))?\/(.+)$/.exec(c.field);
  if (!m || c.before === null || c.after === null) return null;
  const project = Number(m[1]);
  const indicator = m[2] === undefined ? undefined : Number(m[2]);
  const field = m[3].replace("/", ".");
  const table = d.tables.find((t) => t.project === project);
  if (!table || !FIELD_NAMES[field]) return null;
  return {
    edit: { op: "set", project, rows: indicator === undefined ? [] : [indicator], field, text: c.before },
    focus: { table, indicator, field },
  };
}

function shown(text) {
  if (text === null || text === undefined) return "（无此行）";
  return text === "" ? "（空白）" : "“" + text + "”";
}

function describeField(d, pointer) {
  const m = /^\/projects\/(\d+)(?:\/indicators\/(\d+))?(?:\/(.+))?$/.exec(pointer);
  if (!m) return pointer;
  const p = d.projects[Number(m[1])];
  let text = "项目“" + (p && p.project_name ? p.project_name : "第 " + (Number(m[1]) + 1) + " 个") + "”";
  if (m[2] !== undefined) text += " 第 " + (Number(m[2]) + 1) + " 行指标";
  if (m[3] !== undefined) text += " " + (FIELD_NAMES[m[3].replace("/", ".")] || m[3]);
  else if (m[2] !== undefined) text += "（整行）";
  return text;
}

function cellKey(tableIndex, row, field) {
  return "t" + tableIndex + (row.indicator !== null && row.indicator !== undefined
    ? "-i" + row.indicator : "") + "-" + field;
}

function drawTable(t, index) {
  const sheet = el("div", "sheet");
  sheet.id = "table-" + index;
  sheet.tabIndex = -1;
  sheet.appendChild(el("h3", null, t.title));
  if (t.subtitle) sheet.appendChild(el("p", "subtitle", t.subtitle));
  sheet.appendChild(el("p", "scroll-hint", "表格较宽：左右滑动查看整张表"));
  const editable = t.project !== null && t.project !== undefined;
  if (t.kind === "summary") {
    sheet.appendChild(el("p", "sheet-note",
      "汇总表按原文件读出，不在这里更正；更正项目表后，审核会重新与汇总表比对。"));
  }
  const scroll = el("div", "scroll" + (editable ? " editable" : ""));
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
    r.cells.forEach((c, ci) => {
      const td = el("td", (c.label ? "label" : "value") + (c.left ? " left" : ""));
      if (c.col_span > 1) td.colSpan = c.col_span;
      if (c.row_span > 1) td.rowSpan = c.row_span;
      if (editable && c.field) {
        td.classList.add("editable");
        if (c.corrected) td.classList.add("corrected");
        td.dataset.key = cellKey(index, r, c.field);
        const name = FIELD_NAMES[c.field] || c.field;
        const b = button("cell", c.text,
          name + "：" + (c.text || "空白") + (c.corrected ? "（已更正）" : "") + "。按 Enter 更正");
        b.addEventListener("click", () => beginEdit(td, t, r, c));
        td.appendChild(b);
      } else {
        td.textContent = c.text;
      }
      // Row actions sit just outside the form, beside its last cell.
      if (editable && ci === r.cells.length - 1 && (r.kind === "indicator" || r.kind === "header")) {
        td.classList.add("has-actions");
        td.appendChild(rowActions(t, r));
      }
      tr.appendChild(td);
    });
    body.appendChild(tr);
  });
  table.appendChild(body);
  scroll.appendChild(table);
  sheet.appendChild(scroll);
  return sheet;
}

function rowActions(t, r) {
  const box = el("span", "row-actions");
  if (r.kind === "header") {
    const add = button("row-add", "＋", "在第 1 行指标前插入一行");
    add.dataset.action = "insert-first";
    add.addEventListener("click", () => correct({ op: "insert", project: t.project, row: 0 },
      { table: t, indicator: 0, field: "level3" }));
    box.appendChild(add);
    return box;
  }
  const n = r.indicator + 1;
  const add = button("row-add", "＋", "在第 " + n + " 行指标下方插入一行");
  add.addEventListener("click", () => correct({ op: "insert", project: t.project, row: r.indicator + 1 },
    { table: t, indicator: r.indicator + 1, field: "level3" }));
  const del = button("row-delete", "×", "删除第 " + n + " 行指标");
  del.addEventListener("click", () => correct({ op: "delete", project: t.project, row: r.indicator },
    { table: t, indicator: r.indicator, field: "level3" }));
  box.appendChild(add);
  box.appendChild(del);
  return box;
}

// Turns a cell into a box to type the corrected text in.
function beginEdit(td, t, r, c) {
  if (state.saving) return;
  if (state.editing) state.editing.cancel();
  const multi = c.field === "goal" || c.field === "level3";
  const input = multi ? el("textarea") : el("input");
  if (!multi) input.type = "text";
  input.className = "editor";
  input.value = c.text;
  input.setAttribute("aria-label", "更正" + (FIELD_NAMES[c.field] || c.field));
  if (multi) input.rows = Math.min(8, Math.max(2, Math.ceil(c.text.length / 30)));
  const help = el("span", "edit-help", multi ? "Ctrl+Enter 保存 · Esc 取消" : "Enter 保存 · Esc 取消");
  const actions = td.querySelector(".row-actions");
  const keep = [...td.childNodes];
  td.textContent = "";
  td.classList.add("editing");
  td.appendChild(input);
  td.appendChild(help);
  if (actions) td.appendChild(actions);
  let done = false;
  const finish = () => {
    done = true;
    state.editing = null;
    td.classList.remove("editing");
  };
  const edit = {
    cancel() {
      if (done) return;
      finish();
      td.textContent = "";
      keep.forEach((n) => td.appendChild(n));
    },
    save() {
      if (done) return;
      // What was typed, without the spaces around it (a cell's own text is sent back as is).
      const text = input.value === c.text ? c.text : input.value.trim();
      if (text === c.text) {
        edit.cancel();
        return;
      }
      finish();
      const rows = [];
      if (r.indicator !== null && r.indicator !== undefined) {
        for (let k = 0; k < Math.max(1, c.row_span); k++) rows.push(r.indicator + k);
      }
      correct({ op: "set", project: t.project, rows, field: c.field, text },
        { table: t, indicator: r.indicator, field: c.field, key: td.dataset.key });
    },
  };
  state.editing = edit;
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      edit.cancel();
      const b = td.querySelector("button.cell");
      if (b) b.focus();
    } else if (ev.key === "Enter" && (!multi || ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      edit.save();
    }
  });
  input.addEventListener("blur", () => setTimeout(() => edit.save(), 0));
  input.focus();
  input.select();
}

// Sends one correction; the server reviews and renders the file again and answers its new
// view, drawn in place (same scroll position, focus back on the corrected cell).
async function correct(edit, focus) {
  if (state.saving || state.selected === null) return;
  const id = state.selected;
  state.saving = true;
  announce("正在保存更正……");
  document.body.classList.add("saving");
  let d = null;
  try {
    d = await api("/api/session/" + state.session + "/files/" + id + "/corrections", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(edit),
    });
  } catch (e) {
    announce("没有保存：" + e.message, true);
  } finally {
    state.saving = false;
    document.body.classList.remove("saving");
  }
  if (state.selected !== id) return;
  const center = $("center");
  const y = center.scrollTop;
  const wy = window.scrollY;
  if (d) {
    state.detail = d;
    announce("已更正；问题列表已更新（" + d.diagnostics.length + " 条）。");
  }
  renderFile(id, state.detail);
  center.scrollTop = y;
  window.scrollTo(0, wy);
  const tableIndex = state.detail.tables.findIndex((t) => t.project === focus.table.project);
  const key = focus.key && d === null ? focus.key
    : cellKey(tableIndex, { indicator: focus.indicator }, focus.field);
  let target = document.querySelector('td[data-key="' + key + '"] button.cell');
  if (!target) target = document.querySelector('#table-' + tableIndex + ' button.row-add');
  if (target) target.focus({ preventScroll: true });
  poll();
}

function announce(text, error) {
  const n = $("notice") || (() => {
    const x = el("div", "notice");
    x.id = "notice";
    x.setAttribute("role", "status");
    x.setAttribute("aria-live", "polite");
    document.body.appendChild(x);
    return x;
  })();
  n.textContent = text;
  n.classList.toggle("error", !!error);
  n.hidden = false;
  clearTimeout(n.timer);
  n.timer = setTimeout(() => { n.hidden = true; }, error ? 8000 : 3000);
}

function diagnosticItem(g, drawn) {
  const li = el("li", g.severity);
  li.dataset.code = g.code;
  const body = g.targets.length ? button("diag") : el("div", "diag");
  if (g.code) body.appendChild(el("span", "code", g.code));
  body.appendChild(el("span", "sev", g.label));
  body.appendChild(el("span", "text", g.message));
  const where = g.place ? g.place : "";
  // Said only where there are tables to look in.
  const nowhere = drawn && !g.targets.length ? (where ? " · " : "") + "表中无对应的格子" : "";
  if (where || nowhere) body.appendChild(el("span", "place", where + nowhere));
  if (g.targets.length) body.addEventListener("click", () => highlight(li, g.targets));
  li.appendChild(body);
  if (g.explain) {
    const details = el("details");
    details.appendChild(el("summary", null, "这是什么意思"));
    details.appendChild(el("div", null, g.explain));
    li.appendChild(details);
  }
  return li;
}

// Errors first, then warnings; hints folded under their count.
function renderDiagnostics(d) {
  const all = d.diagnostics.slice();
  // A file that failed before any finding was made still says why, as an error.
  if (all.length === 0 && d.file.message && (d.file.state === "error" || d.file.state === "skipped")) {
    const failed = d.file.state === "error";
    all.push({
      severity: failed ? "error" : "warning",
      label: failed ? "错误" : "警告",
      code: "",
      message: (failed ? "转换失败：" : "没有读出表格：") + d.file.message,
      place: "",
      explain: null,
      targets: [],
    });
  }
  const errors = all.filter((g) => g.severity === "error");
  const warnings = all.filter((g) => g.severity === "warning");
  const infos = all.filter((g) => g.severity === "info");
  const parts = [];
  if (errors.length) parts.push(errors.length + " 个错误");
  if (warnings.length) parts.push(warnings.length + " 个警告");
  if (infos.length) parts.push(infos.length + " 个提示");
  $("diag-count").textContent = parts.length ? "（" + parts.join("，") + "）" : "";
  $("to-diags").textContent = "看问题与提示" + (parts.length ? "（" + parts.join("，") + "）" : "");
  const ol = $("diags");
  ol.textContent = "";
  $("diag-hint").hidden = !all.some((g) => g.targets.length);
  if (errors.length + warnings.length === 0) {
    ol.appendChild(el("li", "none", infos.length
      ? "没有错误或警告。" : "没有发现问题。"));
  }
  const drawn = d.tables.length > 0;
  for (const g of errors.concat(warnings)) ol.appendChild(diagnosticItem(g, drawn));
  const folded = $("infos");
  folded.hidden = infos.length === 0;
  $("infos-summary").textContent = "提示 " + infos.length + " 条（不影响转换，展开查看）";
  const il = $("info-list");
  il.textContent = "";
  for (const g of infos) il.appendChild(diagnosticItem(g, drawn));
}

// Lights up the cells a diagnostic points at and brings the first into view.
function highlight(li, targets) {
  document.querySelectorAll("td.hl").forEach((td) => td.classList.remove("hl"));
  document.querySelectorAll("tr.flash").forEach((tr) => tr.classList.remove("flash"));
  document.querySelectorAll("#right li.active").forEach((x) => x.classList.remove("active"));
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
