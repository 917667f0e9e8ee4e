// Helpers shared by the technicians' widgets (list, sheet, creation): wall-clock times in
// Europe/Paris (the company's time zone, as format.js shows them), multipart uploads with the
// portal's error shape, and the client search the list and the creation form both use.
import { api, ApiError } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";

const TZ = "Europe/Paris";
const PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
  minute: "2-digit", hourCycle: "h23",
});

// An API datetime (ISO with offset) → the value of a datetime-local input, in Paris time.
// The value sent back without offset is read by the server in its own zone (Europe/Paris).
export function toLocalInput(value) {
  if (!value) return "";
  const parts = Object.fromEntries(PARTS.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

export const nowInput = () => toLocalInput(new Date().toISOString());
export const todayParis = () => nowInput().slice(0, 10);

// The day of an API datetime in Paris ("2026-05-12").
export const dayOf = (value) => toLocalInput(value).slice(0, 10);

export const fill = (text, vars = {}) => text.replace(/\{(\w+)\}/g, (_, key) => vars[key] ?? "");

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// POST a FormData (files): same errors as api() (ApiError; status 0 when the network fails).
export async function sendForm(path, formData, { method = "POST" } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method, body: formData, credentials: "same-origin",
      headers: { Accept: "application/json", "Accept-Language": document.documentElement.lang || "fr",
                 "X-CSRFToken": csrfToken() },
    });
  } catch (networkError) {
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Errors worth retrying later: the network is down, or the server is (502/503/504).
export const isConnectionError = (error) => error instanceof ApiError && (error.status === 0 || error.status >= 502);

export const STATUS_CLASS = {
  to_plan: "", planned: "status--warn", in_progress: "status--warn", done: "status--ok",
  closed: "status--ok", cancelled: "status--err",
};

export function statusBadge(item) {
  return el("span", { class: `status ${STATUS_CLASS[item.status] || ""}`, "data-status": item.status, text: item.status_label });
}

// An intervention from an urgent request: a red mark the technician cannot miss.
export function urgentMark(item) {
  return item.urgent ? el("span", { class: "status status--urgent", "data-urgent": "true", text: t("techUrgent") }) : null;
}

// The equipment as one line ("VIT-2024-0001 – Chaudière gaz"); without a linked equipment,
// the serial number the client typed, said as such.
export function equipmentLine(item) {
  if (item.equipment) return [item.equipment.serial_number, item.equipment.label].filter(Boolean).join(" – ");
  return item.serial_number_typed ? fill(t("techSerialTypedShort"), { serial: item.serial_number_typed }) : "";
}

// A client search: a search box whose matches (GET /api/v1/clients/?search=) are offered as
// buttons; choosing one calls onChoose({id, code, name}). `field` names the API field whose
// errors show under it. With `freeText` (a list's filter), the words typed are a field of
// that name too, and Enter calls onEnter (the form's submit) instead of searching.
export function clientPicker({ field, label, onChoose, onClear, freeText = "", help = t("techClientSearchHelp"), onEnter = null }) {
  const input = el("input", { type: "search", id: `${field}-search`, autocomplete: "off", placeholder: t("techClientSearchHint"),
    "aria-describedby": `${field}-hint`, name: freeText || null });
  const results = el("ul", { class: "tech-picker__results", role: "list", hidden: true });
  const chosen = el("div", { class: "tech-picker__chosen", hidden: true });
  const hidden = el("input", { type: "hidden", name: field });
  const hint = el("p", { class: "field__help", id: `${field}-hint`, text: help });
  const wrapper = el("div", { class: "field tech-picker", "data-field": field },
    el("label", { for: `${field}-search`, text: label }), hidden, input, hint, results, chosen,
    el("p", { class: "field-error", "data-error-for": field, hidden: true }));
  let timer = null;
  let sequence = 0;

  function clear() {
    hidden.value = "";
    chosen.hidden = true;
    input.hidden = false;
    hint.hidden = false;
    input.value = "";
  }

  function choose(client) {
    hidden.value = client.id;
    input.value = "";  // the id filters now, not the words that found it
    results.hidden = true;
    input.hidden = true;
    hint.hidden = true;
    const change = el("button", { type: "button", class: "button button--small", text: t("techChange") });
    change.addEventListener("click", () => {
      clear();
      input.focus();
      if (onClear) onClear();
    });
    chosen.replaceChildren(el("strong", { "data-chosen": field, "data-id": client.id, text: client.name }),
      el("span", { class: "muted", text: client.code ? ` (${client.code})` : "" }), change);
    chosen.hidden = false;
    onChoose(client);
  }

  async function search() {
    const query = input.value.trim();
    const mine = ++sequence;
    if (query.length < 2) {
      results.hidden = true;
      return;
    }
    results.replaceChildren(el("li", { class: "muted", text: t("loading") }));
    results.hidden = false;
    try {
      const page = await api(`/api/v1/clients/?search=${encodeURIComponent(query)}&page_size=8`);
      if (mine !== sequence) return;
      results.replaceChildren();
      if (!page.results.length) results.append(el("li", { class: "muted", text: t("techClientNone") }));
      for (const client of page.results) {
        const button = el("button", { type: "button", class: "tech-picker__option", "data-client": client.id },
          el("strong", { text: client.name }), el("span", { class: "muted", text: client.code || "" }));
        button.addEventListener("click", () => choose(client));
        results.append(el("li", {}, button));
      }
    } catch (error) {
      if (mine === sequence) results.replaceChildren(el("li", { class: "field-error", text: error.message }));
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      if (onEnter) {
        sequence += 1;  // a search still on its way is no longer wanted
        results.hidden = true;
        onEnter();
      } else search();
    }
  });
  return { node: wrapper, input, choose, clear, get value() { return hidden.value; } };
}
