// <portal-order-draft>: one order, from ?order=<id> in the page's address (or the `order`
// attribute). A draft is edited here (reference, delivery site, comment, lines and quantities)
// and placed with "Passer la commande", which first asks for confirmation in a dialog
// summing the order up (lines, back-orders, totals, delivery site); a placed order is shown
// read-only and may be cancelled. While a quantity is typed, what is available and what the
// stock policy does with a larger quantity are said under it. Without an id, the user's drafts are listed. What is offered follows the
// order's `can` object. Attributes: catalogue_page, list_page.
import { api, ApiError } from "../lib/api.js";
import { dateTime, money, number, quantityWithUnit } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { backorderMark, hintNode, showHint, stockHint } from "../lib/order-stock.js";
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
    const backordered = order.status !== "draft" && order.lines.some((line) => backorderMark(line));
    if (order.status === "draft") columns.push(t("catAvailability"));
    if (backordered) columns.push(t("backorderColumn"));
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
      cell(t("catQuantity"), order.can.edit ? this.quantityInput(order, line) : quantityWithUnit(line.quantity, line.unit), "num");
      cell(t("ordUnitPrice"), money(line.unit_price_excl_tax), "num");
      cell(t("ordLineTotal"), money(line.total_excl_tax), "num");
      if (order.status === "draft") {
        cell(t("catAvailability"), el("span", { className: "availability-cell" },
          availabilityBadge(line.availability, line.quantity_available), backorderMark(line)));
      }
      if (backordered) cell(t("backorderColumn"), backorderMark(line) || "");
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
    const hint = hintNode(input, `order-line-hint-${line.id}`);
    const update = () => {
      let result = stockHint({ available: line.quantity_available, quantity: input.value,
        policy: order.stock_policy, restockDate: line.restock_date });
      // The saved quantity's back-order is already marked in the line: say only the stock.
      if (result && result.kind === "warn" && Number(input.value) === Number(line.quantity) && backorderMark(line)) {
        result = { kind: "info", text: fill(t("stockAvailable"), { qty: number(Math.max(Number(line.quantity_available), 0), 3) }) };
      }
      showHint(hint, result);
    };
    input.addEventListener("input", update);
    update();
    input.addEventListener("change", () => {
      // Placing waits for this save: the confirmation then sums up what was typed.
      this.pending = (async () => {
        try {
          this.redraw(await api(`/api/v1/orders/${order.id}/lines/${line.id}/`, { method: "PATCH", body: { quantity: input.value } }));
        } catch (error) {
          input.value = Number(line.quantity);
          update();
          this.showError(error);
        }
      })();
    });
    return el("span", { className: "order-draft__qty-field" }, input, hint);
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
      place.addEventListener("click", () => this.confirmPlacement(order, place));
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

  // "Passer la commande" places nothing by itself: it sums the order up in a dialog, and only
  // "Confirmer la commande" there places it.
  async confirmPlacement(order, button) {
    button.disabled = true;
    let fresh;
    try {
      await this.pending;  // a quantity being saved: the summary shows what was typed
      fresh = await api(`/api/v1/orders/${order.id}/`);
    } catch (error) {
      button.disabled = false;
      this.showError(error);
      return;
    }
    button.disabled = false;
    if (fresh.status !== "draft" || !fresh.can.place) {
      this.redraw(fresh);
      return;
    }
    this.openConfirmation(fresh);
  }

  openConfirmation(order) {
    const titleId = `order-confirm-title-${order.id}`;
    const title = el("h2", { id: titleId, tabIndex: -1, textContent: t("dlgTitle") });
    const site = order.delivery_site;
    const facts = el("dl", { className: "confirm-dialog__facts" });
    const siteText = site ? (site.city ? `${site.name} (${site.city})` : site.name) : t("dlgNoSite");
    const siteNode = el("dd", { textContent: siteText, className: site ? "" : "muted" });
    siteNode.dataset.field = "delivery_site";
    facts.append(el("dt", { textContent: t("ordDelivery") }), siteNode);
    if (order.customer_reference) {
      facts.append(el("dt", { textContent: t("ordReference") }), el("dd", { textContent: order.customer_reference }));
    }

    const table = el("table", { className: "confirm-dialog__lines" });
    const head = table.createTHead().insertRow();
    for (const [label, numeric] of [[t("dlgArticle"), false], [t("catQuantity"), true], [t("ordUnitPrice"), true], [t("ordLineTotal"), true]]) {
      head.append(el("th", { scope: "col", textContent: label, className: numeric ? "num" : "" }));
    }
    const body = table.createTBody();
    let backordered = false;
    for (const line of order.lines) {
      const row = body.insertRow();
      row.dataset.reference = line.reference;
      const article = row.insertCell();
      article.className = "confirm-dialog__article";
      article.append(el("span", { className: "confirm-dialog__ref", textContent: line.reference }), " ", el("span", { textContent: line.label }));
      const mark = backorderMark(line);
      if (mark) {
        backordered = true;
        article.append(el("br"), mark);
      }
      row.insertCell().append(quantityWithUnit(line.quantity, line.unit));
      row.insertCell().append(money(line.unit_price_excl_tax));
      row.insertCell().append(money(line.total_excl_tax));
      for (const cell of [...row.cells].slice(1)) cell.className = "num";
      row.cells[2].classList.add("confirm-dialog__unit");
      row.cells[3].classList.add("confirm-dialog__total");
    }

    const totals = el("dl", { className: "order-draft__totals confirm-dialog__totals" });
    const total = (label, value, field) => {
      const dd = el("dd", { textContent: money(value) });
      dd.dataset.field = field;
      totals.append(el("dt", { textContent: label }), dd);
    };
    total(t("ordTotalExcl"), order.total_excl_tax, "total_excl_tax");
    total(t("dlgVat"), order.total_vat, "total_vat");
    total(t("ordTotalIncl"), order.total_incl_tax, "total_incl_tax");

    const cancel = el("button", { type: "button", className: "button", textContent: t("dlgCancel") });
    const confirm = el("button", { type: "button", className: "button button--primary", textContent: t("dlgConfirm") });
    confirm.dataset.action = "confirm-place";
    const dialog = el("dialog", { className: "confirm-dialog" },
      el("div", { className: "confirm-dialog__body" },
        title,
        el("p", { className: "muted confirm-dialog__intro", textContent: t("dlgIntro") }),
        facts,
        el("div", { className: "confirm-dialog__scroll" }, table),
        totals,
        backordered ? el("p", { className: "callout callout--warning", textContent: t("dlgBackorderNote") }) : null,
        el("div", { className: "confirm-dialog__actions" }, cancel, confirm)));
    dialog.setAttribute("aria-labelledby", titleId);

    let busy = false;
    cancel.addEventListener("click", () => dialog.close());
    // Escape closes it (the native "cancel"), except while the order is being placed.
    dialog.addEventListener("cancel", (event) => { if (busy) event.preventDefault(); });
    // A tap on the backdrop (outside the body, which fills the dialog) closes it too.
    dialog.addEventListener("click", (event) => { if (event.target === dialog && !busy) dialog.close(); });
    dialog.addEventListener("close", () => {
      dialog.remove();
      // The focus goes back where the user was: the place button, or the result once placed.
      const place = this.querySelector("[data-action=place]");
      const notice = this.notice && this.notice.firstElementChild;
      if (place) place.focus();
      else if (notice) {
        notice.tabIndex = -1;
        notice.focus();
      }
    });
    confirm.addEventListener("click", async () => {
      busy = true;
      confirm.disabled = cancel.disabled = true;
      confirm.textContent = t("ordPlacing");
      const { placed, error } = await this.place(order);
      busy = false;
      if (placed) this.redraw(placed, "success", fill(t("ordPlaced"), { number: placed.number }));
      if (error && error.status === 409) {
        // Refused (stock gone, article withdrawn): show the draft as it now stands.
        try { this.redraw(await api(`/api/v1/orders/${order.id}/`)); } catch (ignored) { /* the error says enough */ }
      }
      dialog.close();
      if (error) this.showError(error);
    });
    // Outside the widget (an aria-live region): the dialog is announced as a dialog, once.
    document.body.append(dialog);
    dialog.showModal();
    title.focus();
  }

  async place(order) {
    // One key per attempt at placing this draft: a repeated click or a retry after a network
    // error returns the same order, never a second one.
    this.placeKey = this.placeKey || (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
    try {
      const placed = await api(`/api/v1/orders/${order.id}/place/`, { method: "POST", headers: { "Idempotency-Key": this.placeKey } });
      this.placeKey = null;
      return { placed };
    } catch (error) {
      if (error.status !== 0) this.placeKey = null;
      return { error };
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
