// Pieces shared by the service widgets (requests, interventions): status badges, file sizes,
// download lists, the detail panel of a list, and a multipart POST with upload progress.
import { ApiError, api } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import "./i18n-service.js";

// A list widget's detail panel (list.panel): loads one item of list.endpoint with loading and
// error states, and shows the card that build(item, close) returns; the close button gives
// the focus back to the row's "details" button.
export async function openDetail(list, id, build) {
  list.panel.replaceChildren(list.stateNode("loading", t("loading")));
  let item;
  try {
    item = await api(`${list.endpoint}${encodeURIComponent(id)}/`);
  } catch (error) {
    list.panel.replaceChildren(list.errorNode(error, () => openDetail(list, id, build), listAddress(id)));
    return;
  }
  const close = el("button", { type: "button", class: "button button--small", "data-action": "close", text: t("svcClose") });
  close.addEventListener("click", () => {
    list.panel.replaceChildren();
    const row = list.results.querySelector(`tr[data-id="${item.id}"] [data-action=details]`);
    if (row) row.focus();
  });
  const card = build(item, close);
  list.panel.replaceChildren(card);
  card.scrollIntoView({ block: "nearest" });
  close.focus();
}

// The list's own address, without the parameter that opened this item (?ticket=<id>).
export function listAddress(id) {
  const url = new URL(location.href);
  for (const [key, value] of [...url.searchParams]) if (value === String(id)) url.searchParams.delete(key);
  return `${url.pathname}${url.search}`;
}

export const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, key) => vars[key] ?? "");

// A translated heading whose {number} never breaks across lines: "Demande DI-2026-000067".
export function numberedTitle(tag, template, number) {
  const [before, after = ""] = template.split("{number}");
  return el(tag, {}, before, el("span", { class: "service-nowrap", text: number }), after);
}

export const TICKET_STATUSES = ["received", "in_progress", "planned", "done", "closed"];
export const INTERVENTION_STATUSES = ["to_plan", "planned", "in_progress", "done", "closed", "cancelled"];

const TICKET_CLASS = { received: "status--info", in_progress: "status--warn", planned: "status--warn", done: "status--ok", closed: "" };
const INTERVENTION_CLASS = { to_plan: "status--info", planned: "status--warn", in_progress: "status--warn",
  done: "status--ok", closed: "status--ok", cancelled: "status--err" };

function badge(status, label, classes) {
  const node = el("span", { class: `status ${classes[status] || ""}`.trim(), text: label });
  node.dataset.status = status;
  return node;
}

// The API's label when it gave one (the user's language), else ours.
export function ticketStatusBadge(item) {
  return badge(item.status, item.status_label || t(`svcTicketStatus_${item.status}`), TICKET_CLASS);
}

export function interventionStatusBadge(item) {
  return badge(item.status, item.status_label || t(`svcItvStatus_${item.status}`), INTERVENTION_CLASS);
}

export function urgentBadge() {
  return el("span", { class: "status status--err status--urgent", "data-urgent": "true", text: t("svcUrgent") });
}

export function fileSize(bytes) {
  if (!bytes && bytes !== 0) return "";
  const fr = !(document.documentElement.lang || "fr").startsWith("en");
  const units = fr ? ["o", "Ko", "Mo", "Go"] : ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(fr ? "fr-FR" : "en-GB", { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

// The equipment as one line: serial number, then what it is.
export function equipmentText(equipment) {
  if (!equipment) return "";
  return [equipment.serial_number, equipment.label].filter(Boolean).join(" – ");
}

// The equipment, or the serial number typed by the client when none is linked (said so).
export function equipmentOrTyped(item) {
  if (item.equipment) return equipmentText(item.equipment);
  return item.serial_number_typed ? `${item.serial_number_typed} (${t("svcTyped")})` : "";
}

// The same in a list's cell: the serial number in bold.
export function equipmentCell(item) {
  if (item.equipment) {
    return el("span", { class: "service-equipment" }, el("strong", { text: item.equipment.serial_number }),
      item.equipment.label ? ` – ${item.equipment.label}` : "");
  }
  if (!item.serial_number_typed) return "";
  return el("span", { class: "service-equipment", "data-serial-typed": item.serial_number_typed },
    el("strong", { text: item.serial_number_typed }), el("span", { class: "muted", text: ` (${t("svcTyped")})` }));
}

// Documents as a list of download links (attachments of a request, documents of an
// intervention): [{ title, content_type, size, download_url }].
export function downloadList(documents) {
  const list = el("ul", { class: "downloads service-downloads" });
  for (const doc of documents) {
    const type = (doc.content_type || "").includes("pdf") ? "PDF" : (doc.content_type || "").startsWith("image/") ? "IMG" : "DOC";
    const link = el("a", { class: "download", href: doc.download_url, download: "", "data-action": "download",
      "aria-label": fill(t("svcDownloadFor"), { title: doc.title }) },
    el("span", { class: "download__type", "aria-hidden": "true", text: type }),
    el("span", { class: "download__title", text: doc.title }),
    el("span", { class: "download__size", text: fileSize(doc.size) }));
    list.append(el("li", {}, link));
  }
  return list;
}

// A <dl class="details"> of [label, value] pairs, empty values left out.
export function facts(pairs) {
  const dl = el("dl", { class: "details" });
  for (const [label, value, key] of pairs) {
    if (value === "" || value === null || value === undefined) continue;
    const dd = el("dd", {}, value);
    if (key) dd.dataset.field = key;
    dl.append(el("dt", { text: label }), dd);
  }
  return dl;
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// POST a FormData (files) with the portal's headers; onProgress(fraction) while uploading.
// Resolves with the JSON answer, rejects with an ApiError as api() does.
export function postForm(path, formData, { headers = {}, onProgress } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.withCredentials = true;
    const all = { Accept: "application/json", "Accept-Language": document.documentElement.lang || "fr",
      "X-CSRFToken": csrfToken(), ...headers };
    for (const [name, value] of Object.entries(all)) xhr.setRequestHeader(name, value);
    if (onProgress) {
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) onProgress(event.loaded / event.total);
      });
    }
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (error) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, null)));
    xhr.addEventListener("abort", () => reject(new ApiError(0, null)));
    xhr.send(formData);
  });
}
