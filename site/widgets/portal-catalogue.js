// <portal-catalogue>: the articles the user may see, searchable by reference or words and by
// family, with availability; "add to order" (to a chosen or new draft) when he may prepare
// orders, saying while the quantity is typed what is available and what a larger quantity
// gets (the stock policy). Attributes: src (default /api/v1/articles/), order_page (the
// draft editor page).
import { api } from "../lib/api.js";
import { money, number } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { backorderMark, hintNode, restockText, showHint, stockHint } from "../lib/order-stock.js";
import { PortalList } from "../lib/portal-list.js";

const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (_, key) => vars[key] ?? "");
const DRAFT_KEY = "portal-catalogue:draft";

export function availabilityBadge(availability, quantity) {
  const badge = document.createElement("span");
  const [cls, key] = {
    in_stock: ["status--ok", "avInStock"],
    low: ["status--warn", "avLow"],
    out_of_stock: ["status--err", "avOut"],
    available: ["status--ok", "avAvailable"],
  }[availability] || ["", "avAvailable"];
  badge.className = `status ${cls}`;
  badge.dataset.availability = availability;
  badge.textContent = fill(t(key), { qty: number(quantity, 3) });
  return badge;
}

class PortalCatalogue extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/articles/"; }

  // Its search is the page's main tool: never folded away.
  get foldable() { return false; }

  get orderPage() {
    return this.getAttribute("order_page") || this.getAttribute("order-page") || "";
  }

  filters() {
    return [
      { name: "search", label: t("catSearch"), type: "search" },
      { name: "family", label: t("catFamily"), type: "select", options: [] },
    ];
  }

  emptyText() { return t("catNoArticle"); }

  connectedCallback() {
    this.classList.add("catalogue");
    this.canPrepare = false;
    this.status = document.createElement("div");
    this.status.setAttribute("role", "status");
    this.status.className = "catalogue__status";
    this.draftBar = document.createElement("div");
    this.draftBar.className = "toolbar catalogue__draft";
    this.draftBar.hidden = true;
    super.connectedCallback();
    this.insertBefore(this.draftBar, this.results);
    this.insertBefore(this.status, this.results);
    this.loadFamilies();
    this.addEventListener("portal-list:loaded", (event) => {
      const can = event.detail.can || {};
      this.stockPolicy = event.detail.stock_policy || "refuse";
      if (can.prepare_orders && !this.canPrepare) {
        this.canPrepare = true;
        this.loadDrafts();
        this.refresh();  // draw the "add" column
      }
    });
  }

  async loadFamilies() {
    try {
      const families = await api("/api/v1/article-families/");
      const select = this.form.querySelector("select[name=family]");
      for (const family of families) select.append(new Option(family.name, family.id));
      if (this.params.has("family")) select.value = this.params.get("family");
    } catch (error) { /* the list itself shows errors */ }
  }

  async loadDrafts() {
    this.drafts = [];
    try {
      const page = await api("/api/v1/orders/?status=draft&page_size=50&ordering=-created_at");
      this.drafts = page.results.filter((order) => order.can.edit);
    } catch (error) { /* adding will create a draft */ }
    this.renderDraftBar();
  }

  draftLabel(order) {
    return order.customer_reference || fill(t("ordDraftLabel"), { date: new Date(order.created_at).toLocaleDateString(document.documentElement.lang || "fr") });
  }

  renderDraftBar() {
    const label = document.createElement("label");
    label.className = "filters__field";
    const text = document.createElement("span");
    text.textContent = t("catDraft");
    const select = document.createElement("select");
    select.name = "draft";
    for (const order of this.drafts) select.append(new Option(this.draftLabel(order), order.id));
    select.append(new Option(`+ ${t("catNewDraft")}`, "new"));
    const saved = localStorage.getItem(DRAFT_KEY);
    if (saved && this.drafts.some((o) => String(o.id) === saved)) select.value = saved;
    select.addEventListener("change", () => {
      if (select.value !== "new") localStorage.setItem(DRAFT_KEY, select.value);
      this.renderOpenLink();
    });
    this.draftSelect = select;
    label.append(text, select);
    this.openLink = document.createElement("a");
    this.openLink.className = "button button--small";
    this.openLink.textContent = t("catOpenDraft");
    this.draftBar.replaceChildren(label, this.openLink);
    this.draftBar.hidden = false;
    this.renderOpenLink();
  }

  renderOpenLink() {
    const id = this.draftSelect && this.draftSelect.value;
    this.openLink.hidden = !this.orderPage || !id || id === "new";
    if (!this.openLink.hidden) this.openLink.href = `${this.orderPage}?order=${id}`;
  }

  async targetDraft() {
    if (this.draftSelect && this.draftSelect.value !== "new") return Number(this.draftSelect.value);
    const order = await api("/api/v1/orders/", { method: "POST", body: {} });
    this.drafts.unshift(order);
    localStorage.setItem(DRAFT_KEY, String(order.id));
    this.renderDraftBar();
    this.draftSelect.value = String(order.id);
    this.renderOpenLink();
    return order.id;
  }

  columns() {
    const columns = [
      { key: "reference", label: t("catReference") },
      { key: "label", label: t("catLabel"), render: (a) => {
        const wrap = document.createElement("span");
        wrap.textContent = a.label;
        const family = document.createElement("small");
        family.className = "muted catalogue__family";
        family.textContent = a.family.name;
        wrap.append(document.createElement("br"), family);
        return wrap;
      } },
      { key: "price", label: t("catPrice"), className: "num",
        render: (a) => `${money(a.price_excl_tax)} / ${a.unit_label}` },
      { key: "availability", label: t("catAvailability"),
        render: (a) => availabilityBadge(a.availability, a.quantity_available) },
    ];
    if (this.canPrepare) columns.push({ key: "add", label: t("catAddTo"), render: (a) => this.addForm(a) });
    return columns;
  }

  addForm(article) {
    const form = document.createElement("form");
    form.className = "catalogue__add";
    const input = document.createElement("input");
    input.type = "number";
    input.name = "quantity";
    input.min = article.unit === "u" ? "1" : "0.001";
    input.step = article.unit === "u" ? "1" : "any";
    input.value = "1";
    input.required = true;
    input.inputMode = article.unit === "u" ? "numeric" : "decimal";
    input.setAttribute("aria-label", fill(t("ordQuantityOf"), { label: article.label }));
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button button--small button--primary";
    button.textContent = t("catAdd");
    button.setAttribute("aria-label", `${t("catAddTo")} : ${article.label}`);
    // What is available and what the typed quantity gets, before anything is added; under
    // the "refuse" policy a quantity above the stock is not offered (the server refuses it).
    const hint = hintNode(input, `catalogue-hint-${article.id}`);
    const update = () => {
      const result = stockHint({ available: article.quantity_available, quantity: input.value,
        policy: this.stockPolicy, restockDate: article.restock_date });
      showHint(hint, result);
      button.disabled = Boolean(result && result.kind === "refused");
    };
    input.addEventListener("input", update);
    update();
    form.append(input, button, hint);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      try {
        const id = await this.targetDraft();
        const order = await api(`/api/v1/orders/${id}/lines/`, { method: "POST", body: { article: article.id, quantity: input.value } });
        const line = (order.lines || []).find((l) => l.article === article.id);
        if (line && backorderMark(line)) {
          this.say("warning", fill(t("catAddedBackorder"), { label: article.label,
            qty: number(line.backordered_quantity, 3), restock: restockText(line.restock_date) }), id);
        } else {
          this.say("success", fill(t("catAdded"), { label: article.label }), id);
        }
      } catch (error) {
        const detail = Object.values(error.fields || {}).flat().filter((m) => typeof m === "string");
        this.say("error", detail.length ? detail.join(" ") : error.message);
      } finally {
        update();
      }
    });
    return form;
  }

  say(kind, text, orderId) {
    const callout = document.createElement("div");
    callout.className = `callout callout--${kind}`;
    const p = document.createElement("p");
    p.textContent = text;
    if (orderId && this.orderPage) {
      const link = document.createElement("a");
      link.href = `${this.orderPage}?order=${orderId}`;
      link.textContent = t("catOpenDraft");
      p.append(" ", link);
    }
    callout.append(p);
    this.status.replaceChildren(callout);
  }
}

customElements.define("portal-catalogue", PortalCatalogue);
