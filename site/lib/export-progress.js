// Exports as the widgets show them. A list's export asks `?format=xlsx`: a small result comes
// back at once (200: the file is saved), a long one comes back as a background job (202): a
// panel then follows it, polling /api/v1/exports/{id}/ every second, with a <progress> bar and
// "1 234 / 50 000 lignes", an honest word while it waits for a worker or after a failure, and
// the download link at the end. The invoice ZIP (always a job) uses the same panel.
//
//   runExport(url, slot)                  GET an export; 200 → download, 202 → follow
//   requestExport(path, body, slot, {title})  POST that answers 202 with a job → follow
//   followExport(job, slot, {title})      show and poll a job in `slot`
import "./i18n-exports.js";
import { ApiError, api } from "./api.js";
import { el } from "./dom.js";
import { date, number } from "./format.js";
import { t } from "./i18n.js";

const POLL_MS = 1000;

// The panel's few rules live with it (constructable stylesheet, added once per document).
let styled = false;
function ensureStyles() {
  if (styled || !("adoptedStyleSheets" in document)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
    .export-progress { display: grid; gap: .5rem; margin: 0 0 1rem; }
    .export-progress progress { width: 100%; height: .9rem; accent-color: var(--brand); }
    .export-progress__head { display: flex; justify-content: space-between; align-items: baseline; gap: .5rem 1rem; flex-wrap: wrap; }
    .export-progress__state { margin: 0; font-weight: 600; }
    .export-progress__count { margin: 0; font-variant-numeric: tabular-nums; color: var(--muted); white-space: nowrap; }
    .export-progress__note { margin: 0; font-size: .9rem; }
    .export-progress .toolbar { margin: 0; }
  `);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  styled = true;
}

function format(key, values) {
  return Object.entries(values).reduce((text, [name, value]) => text.replace(`{${name}}`, value), t(key));
}

function filenameFrom(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const encoded = header.match(/filename\*=UTF-8''([^;]+)/i);
  if (encoded) return decodeURIComponent(encoded[1]);
  const plain = header.match(/filename="?([^";]+)"?/i);
  return plain ? plain[1] : fallback;
}

function saveBlob(blob, filename) {
  const href = URL.createObjectURL(blob);
  const link = el("a", { href, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

// Stops the panel already in the slot (one export followed per list at a time).
function reset(slot) {
  if (slot.exportController) slot.exportController.stop();
  slot.exportController = null;
  slot.replaceChildren();
}

function message(slot, kind, text, details = []) {
  reset(slot);
  const node = el("div", { class: `callout callout--${kind} export-progress`, role: kind === "error" ? "alert" : "status" },
    el("p", { class: "export-progress__state", text }));
  if (details.length) node.append(el("ul", {}, ...details.map((d) => el("li", { text: d }))));
  node.append(closeButton(slot));
  slot.append(node);
  return node;
}

function closeButton(slot) {
  const button = el("button", { type: "button", class: "button button--small", "data-action": "close-export", text: t("exportClose") });
  button.addEventListener("click", () => reset(slot));
  return el("div", { class: "toolbar" }, button);
}

function errorDetails(error) {
  return Object.values((error && error.fields) || {}).flat();
}

export async function runExport(url, slot) {
  ensureStyles();
  reset(slot);
  slot.append(el("div", { class: "widget__state", "data-state": "loading" },
    el("span", { class: "spinner", "aria-hidden": "true" }), el("span", { text: t("exportPreparing") })));
  let response;
  try {
    response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang || "fr" },
    });
  } catch (networkError) {
    const error = new ApiError(0, null);
    message(slot, "error", error.message);
    return;
  }
  if (response.status === 202) {
    followExport(await response.json(), slot);
    return;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, await response.json().catch(() => null));
    message(slot, "error", error.message, errorDetails(error));
    return;
  }
  const filename = filenameFrom(response, "export.xlsx");
  saveBlob(await response.blob(), filename);
  message(slot, "success", format("exportDownloaded", { filename }));
}

export async function requestExport(path, body, slot, { title = "" } = {}) {
  ensureStyles();
  reset(slot);
  try {
    followExport(await api(path, { method: "POST", body }), slot, { title });
  } catch (error) {
    message(slot, "error", error.message, errorDetails(error));
  }
}

export function followExport(job, slot, { title = "" } = {}) {
  ensureStyles();
  reset(slot);
  const state = el("p", { class: "export-progress__state", role: "status" });
  const count = el("p", { class: "export-progress__count" });
  const bar = el("progress", { max: "100", value: "0", "aria-label": t("exportProgress") });
  const note = el("p", { class: "export-progress__note" });
  const actions = el("div", { class: "toolbar" });
  const panel = el("div", { class: "callout export-progress", "data-export-id": job.id },
    title ? el("strong", { text: title }) : null,
    el("div", { class: "export-progress__head" }, state, count), bar, note, actions);
  slot.append(panel);

  let timer = null;
  let stopped = false;
  const controller = { stop() { stopped = true; clearTimeout(timer); } };
  slot.exportController = controller;

  const draw = (data, lost = false) => {
    const unit = data.kind === "invoice_zip" ? "exportInvoices" : "exportRows";
    const total = data.total || 0;
    const written = data.status === "done" ? total : Math.min(data.written || 0, total);
    panel.dataset.exportStatus = data.status;
    panel.className = `callout export-progress${data.status === "failed" ? " callout--error" : data.status === "done" ? " callout--success" : ""}`;
    bar.max = Math.max(total, 1);
    if (data.status === "pending" && !data.attempts) bar.removeAttribute("value"); // indeterminate
    else bar.value = data.status === "done" ? bar.max : written;
    count.textContent = format(unit, { written: number(written), total: number(total) });
    let text = t("exportRunning");
    if (data.status === "pending") text = data.attempts ? t("exportRequeued") : t("exportPending");
    else if (data.status === "running" && !written) text = t("exportReading");
    else if (data.status === "running" && total && written >= total) text = t("exportFinishing");
    else if (data.status === "done") text = t("exportDone");
    else if (data.status === "failed") text = t("exportFailed");
    state.textContent = text;
    note.textContent = lost ? t("exportConnectionLost")
      : data.status === "failed" ? (data.error || "")
      : data.status === "done" && data.expires_at ? format("exportAvailableUntil", { date: date(data.expires_at) })
      : "";
    note.hidden = !note.textContent;
    if (data.status === "done" && data.download_url) {
      const link = el("a", { class: "button button--primary", href: data.download_url, "data-action": "download-export", text: t("exportDownload") });
      if (data.filename) link.setAttribute("download", data.filename);
      actions.replaceChildren(link, closeButton(slot).firstChild);
    } else if (data.status === "failed") {
      actions.replaceChildren(closeButton(slot).firstChild);
    }
  };

  const poll = async () => {
    if (stopped || !slot.isConnected) return;
    let data = job;
    let lost = false;
    try {
      data = await api(job.url);
      job = data;
    } catch (error) {
      if (error.status === 404 || error.status === 403) {
        message(slot, "error", error.message);
        return;
      }
      lost = true; // network or server hiccup: keep the last state and try again
    }
    if (stopped) return;
    draw(data, lost);
    if (lost || !["done", "failed"].includes(data.status)) timer = setTimeout(poll, POLL_MS);
  };

  draw(job);
  if (!["done", "failed"].includes(job.status)) timer = setTimeout(poll, POLL_MS);
  return controller;
}
