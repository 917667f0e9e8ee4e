// <portal-order-draft>: one order, from ?order=<id> in the page's address (or the `order`
// attribute). A draft is edited here (reference, delivery site, comment, lines and quantities)
// and placed with "Passer la commande"; a placed order is shown read-only and may be
// cancelled. Without an id, the user's drafts are listed. What is offered follows the
// order's `can` object. Attributes: catalogue_page, list_page.
import { api, ApiError } from "../lib/api.js";
import { dateTime, money, number } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { PortalElement } from "../lib/portal-element.js";
import { availabilityBadge } from "./portal-catalogue.js";

const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, key) => vars[key] ?? "");
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

const STATUS_CLASS = { draft: "", submitted: "status--warn", confirmed: "status--ok",
  delivered: "status--ok", invoiced: "status--ok", cancelled: "status--err" };

export function statusBadge(order) {
  const badge = el("span", { className: `status ${STATUS_CLASS[order.status] || ""}`, textContent: order.status_label });
  badge.dataset.status = order.status;
  return badge;
}

class PortalOrderDraft extends PortalElement {
  attr(name) { return this.getAttribute(name) || this.getAttribute(name.replace("_", "-")) || ""; }

  get orderId() {
    return new URLSearchParams(location.search).get("order") || this.getAttribute("order");
  }

  async load() {
    this.classList.add("order-draft");
    if (!this.orderId) {
      const page = await api("/api/v1/orders/?status=draft&page_size=50");
      return { drafts: page.results, can: page.can };
    }
    const [order, sites] = await Promise.all([
      api(`/api/v1/orders/${this.orderId}/`),
      api("/api/v1/sites/?page_size=200").then((p) => p.results).catch(() => []),
    ]);
    this.sites = sites;
    return { order };
  }

  render(data) {
    if (data.drafts) return this.renderDrafts(data);
    this.order = data.order;
    this.notice = this.notice || el("div", { className: "order-draft__notice" });
    this.notice.setAttribute("role", "status");
    const order = data.order;
    const heading = el("div", { className: "order-draft__header" },
      el("h3", { textContent: order.number || t("catDraft") }), statusBadge(order));
    this.append(this.notice, heading);
    if (order.can.edit) this.append(this.headerForm(order));
    else this.append(this.summary(order));
    this.append(this.linesTable(order), this.totals(order), this.actions(order));
  }

  renderDrafts({ drafts, can }) {
    this.append(el("h3", { textContent: t("ordDrafts") }));
    if (!drafts.length) this.append(el("p", { className: "muted", textContent: t("ordNoDraft") }));
    const list = el("ul", { className: "order-draft__drafts" });
    for (const order of drafts) {
      const link = el("a", { href: `?order=${order.id}`, textContent: order.customer_reference || fill(t("ordDraftLabel"), { date: dateTime(order.created_at) }) });
      list.append(el("li", {}, link, el("span", { className: "muted", textContent: ` — ${order.lines_count} · ${money(order.total_excl_tax)} HT` })));
    }
    this.append(list);
    if (can && can.create) {
      const button = el("button", { type: "button", className: "button button--primary", textContent: t("catNewDraft") });
      button.addEventListener("click", async () => {
        const order = await api("/api/v1/orders/", { method: "POST", body: {} });
        location.search = `?order=${order.id}`;
      });
      this.append(el("div", { className: "toolbar" }, button));
    }
  }

  isEmpty() { return false; }

  field(label, control, name) {
    const wrapper = el("label", { className: "filters__field" }, el("span", { textContent: label }), control);
    wrapper.dataset.field = name;
    return wrapper;
  }

  headerForm(order) {
    const form = el("form", { className: "widget-form order-draft__form" });
    const reference = el("input", { name: "customer_reference", maxLength: 60, value: order.customer_reference });
    const site = el("select", { name: "delivery_site" });
    site.append(new Option(t("ordNoSite"), ""));
    for (const s of this.sites || []) site.append(new Option(s.city ? `${s.name} (${s.city})` : s.name, s.id));
    site.value = order.delivery_site ? String(order.delivery_site.id) : "";
    const comment = el("textarea", { name: "comment", rows: 2, value: order.comment });
    const save = el("button", { type: "submit", className: "button", textContent: t("save") });
    form.append(
      el("div", { className: "order-draft__fields" },
        this.field(t("ordReference"), reference, "customer_reference"),
        this.field(t("ordDelivery"), site, "delivery_site")),
      this.field(t("ordComment"), comment, "comment"),
      el("div", { className: "toolbar" }, save));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      form.querySelectorAll(".field-error").forEach((n) => n.remove());
      try {
        const updated = await api(`/api/v1/orders/${order.id}/`, { method: "PATCH", body: {
          customer_reference: reference.value, comment: comment.value,
          delivery_site: site.value ? Number(site.value) : null } });
        this.redraw(updated, "success", t("saved"));
      } catch (error) { this.showError(error, form); }
    });
    return form;
  }

  summary(order) {
    const rows = [[t("ordReference"), order.customer_reference], [t("ordDelivery"), order.delivery_site && order.delivery_site.name],
      [t("ordSubmitted"), dateTime(order.submitted_at)], [t("ordPreparedBy"), order.prepared_by && order.prepared_by.name],
      [t("ordComment"), order.comment]];
    const dl = el("dl", { className: "order-draft__summary" });
    for (const [label, value] of rows) if (value) dl.append(el("dt", { textContent: label }), el("dd", { textContent: value }));
    return dl;
  }

  linesTable(order) {
    if (!order.lines.length) {
      const p = el("p", { className: "muted order-draft__empty", textContent: t("ordNoLines") });
      const catalogue = this.attr("catalogue_page");
      if (catalogue && order.can.edit) p.append(" ", el("a", { href: catalogue, textContent: t("ordToCatalogue") }));
      return p;
    }
    const table = el("table", { className: "data-table order-draft__lines" });
    const columns = [t("catReference"), t("catLabel"), t("catQuantity"), t("ordUnitPrice"), t("ordLineTotal")];
    if (order.status === "draft") columns.push(t("catAvailability"));
    if (order.can.edit) columns.push("");
    const head = table.createTHead().insertRow();
    const numeric = new Set([t("catQuantity"), t("ordUnitPrice"), t("ordLineTotal")]);
    for (const label of columns) head.append(el("th", { scope: "col", textContent: label, className: numeric.has(label) ? "num" : "" }));
    const body = table.createTBody();
    for (const line of order.lines) {
      const tr = body.insertRow();
      tr.dataset.reference = line.reference;
      const cell = (label, content, className = "") => {
        const td = tr.insertCell();
        td.dataset.label = label;
        if (className) td.className = className;
        td.append(content);
        return td;
      };
      cell(t("catReference"), line.reference);
      cell(t("catLabel"), line.label);
      cell(t("catQuantity"), order.can.edit ? this.quantityInput(order, line) : `${number(line.quantity, 3)} ${line.unit_label}`, "num");
      cell(t("ordUnitPrice"), money(line.unit_price_excl_tax), "num");
      cell(t("ordLineTotal"), money(line.total_excl_tax), "num");
      if (order.status === "draft") cell(t("catAvailability"), availabilityBadge(line.availability, line.quantity_available));
      if (order.can.edit) {
        const remove = el("button", { type: "button", className: "button button--small", textContent: t("ordRemove") });
        remove.setAttribute("aria-label", fill(t("ordRemoveLine"), { label: line.label }));
        remove.addEventListener("click", async () => {
          try {
            this.redraw(await api(`/api/v1/orders/${order.id}/lines/${line.id}/`, { method: "DELETE" }));
          } catch (error) { this.showError(error); }
        });
        cell("", remove);
      }
    }
    return el("div", { className: "data-table__wrapper" }, table);
  }

  quantityInput(order, line) {
    const input = el("input", { type: "number", name: "quantity", value: Number(line.quantity),
      min: line.unit === "u" ? "1" : "0.001", step: line.unit === "u" ? "1" : "any", className: "order-draft__qty" });
    input.setAttribute("aria-label", fill(t("ordQuantityOf"), { label: line.label }));
    input.addEventListener("change", async () => {
      try {
        this.redraw(await api(`/api/v1/orders/${order.id}/lines/${line.id}/`, { method: "PATCH", body: { quantity: input.value } }));
      } catch (error) {
        input.value = Number(line.quantity);
        this.showError(error);
      }
    });
    return input;
  }

  totals(order) {
    const dl = el("dl", { className: "order-draft__totals" });
    dl.append(el("dt", { textContent: t("ordTotalExcl") }), el("dd", { textContent: money(order.total_excl_tax) }));
    for (const vat of order.vat_breakdown) {
      dl.append(el("dt", { textContent: fill(t("ordVat"), { rate: number(vat.rate, 2) }) }), el("dd", { textContent: money(vat.amount) }));
    }
    const total = el("dd", { textContent: money(order.total_incl_tax) });
    total.dataset.field = "total_incl_tax";
    dl.append(el("dt", { textContent: t("ordTotalIncl") }), total);
    return dl;
  }

  actions(order) {
    const bar = el("div", { className: "toolbar order-draft__actions" });
    const list = this.attr("list_page");
    if (list) bar.append(el("a", { href: list, className: "button", textContent: t("ordBackToList") }));
    if (order.can.edit) {
      const remove = el("button", { type: "button", className: "button", textContent: t("ordDelete") });
      remove.addEventListener("click", async () => {
        if (!confirm(t("ordDeleteConfirm"))) return;
        try {
          await api(`/api/v1/orders/${order.id}/`, { method: "DELETE" });
          this.replaceChildren(el("div", { className: "callout callout--success" }, el("p", { textContent: t("ordDeleted") })));
          if (list) this.querySelector(".callout p").append(" ", el("a", { href: list, textContent: t("ordBackToList") }));
        } catch (error) { this.showError(error); }
      });
      bar.append(remove);
    }
    if (order.can.place) {
      const place = el("button", { type: "button", className: "button button--primary", textContent: t("ordPlace") });
      place.dataset.action = "place";
      place.disabled = !order.lines.length;
      place.addEventListener("click", () => this.place(order, place));
      bar.append(place);
    }
    if (order.can.cancel) {
      const cancel = el("button", { type: "button", className: "button", textContent: t("ordCancelOrder") });
      cancel.addEventListener("click", async () => {
        if (!confirm(t("ordCancelConfirm"))) return;
        try {
          this.redraw(await api(`/api/v1/orders/${order.id}/cancel/`, { method: "POST" }), "success", t("ordCancelled"));
        } catch (error) { this.showError(error); }
      });
      bar.append(cancel);
    }
    return bar;
  }

  async place(order, button) {
    // One key per attempt at placing this draft: a repeated click or a retry after a network
    // error returns the same order, never a second one.
    this.placeKey = this.placeKey || (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
    button.disabled = true;
    button.textContent = t("ordPlacing");
    try {
      const placed = await api(`/api/v1/orders/${order.id}/place/`, { method: "POST", headers: { "Idempotency-Key": this.placeKey } });
      this.placeKey = null;
      this.redraw(placed, "success", fill(t("ordPlaced"), { number: placed.number }));
    } catch (error) {
      if (error.status !== 0) this.placeKey = null;
      button.disabled = false;
      button.textContent = t("ordPlace");
      this.showError(error);
    }
  }

  redraw(order, kind, message) {
    this.replaceChildren();
    this.notice.replaceChildren();
    this.render({ order });
    if (message) this.say(kind, message);
  }

  say(kind, message, items = []) {
    const callout = el("div", { className: `callout callout--${kind}` }, el("p", { textContent: message }));
    callout.setAttribute("role", kind === "error" ? "alert" : "status");
    if (items.length) callout.append(el("ul", {}, ...items.map((text) => el("li", { textContent: text }))));
    this.notice.replaceChildren(callout);
    callout.scrollIntoView({ block: "nearest" });
  }

  showError(error, form) {
    if (!(error instanceof ApiError)) throw error;
    const items = [];
    const lines = error.fields && error.fields.lines;
    if (Array.isArray(lines)) {
      for (const line of lines) {
        if (typeof line === "string") items.push(line);
        else if (line.available !== undefined) items.push(fill(t("ordShortLine"), { reference: line.article, label: line.label, requested: number(line.requested, 3), available: number(line.available, 3) }));
        else items.push(fill(t("ordUnavailableLine"), { reference: line.article, label: line.label }));
      }
    }
    for (const [name, messages] of Object.entries(error.fields || {})) {
      if (name === "lines") continue;
      const text = [].concat(messages).join(" ");
      const target = form && form.querySelector(`[data-field="${name}"]`);
      if (target) target.append(el("span", { className: "field-error", textContent: text }));
      else items.push(text);
    }
    this.say("error", error.message, items);
  }
}

customElements.define("portal-order-draft", PortalOrderDraft);
