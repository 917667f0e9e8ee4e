// Base of the list widgets: a filter form, a paginated table (cards on a phone), an export
// link that keeps the filters (fetched: the file, or a background export's progress). Subclasses describe `columns()` and `filters()`.
import { api } from "./api.js";
import { runExport } from "./export-progress.js";
import { t } from "./i18n.js";
import { PortalElement } from "./portal-element.js";

export class PortalList extends PortalElement {
  // [{ key, label, render?(row) -> string | Node, className? }]
  columns() { return []; }

  // [{ name, label, type: "text" | "date" | "select" | "search", options?: [[value, label]] }]
  filters() { return []; }

  // True when the endpoint answers ?format=xlsx.
  get exportable() { return this.hasAttribute("exportable"); }

  get endpoint() { return this.getAttribute("src"); }

  connectedCallback() {
    this.classList.add("widget", "portal-list");
    this.params = new URLSearchParams(this.getAttribute("params") || "");
    this.page = 1;
    this.form = this.buildFilters();
    this.results = document.createElement("div");
    this.results.className = "portal-list__results";
    this.results.setAttribute("aria-live", "polite");
    this.replaceChildren(...[this.form, this.results].filter(Boolean));
    this.refresh();
  }

  query(extra = {}) {
    const params = new URLSearchParams(this.params);
    if (this.form) {
      for (const [name, value] of new FormData(this.form)) if (value) params.set(name, value);
    }
    for (const [name, value] of Object.entries(extra)) params.set(name, value);
    return params;
  }

  // PortalElement.refresh() draws into `this`; lists draw into their results area.
  async refresh() {
    const target = this.results;
    target.setAttribute("aria-busy", "true");
    target.replaceChildren(this.stateNode("loading", t("loading")));
    try {
      const data = await api(`${this.endpoint}?${this.query({ page: this.page })}`);
      target.replaceChildren();
      if (!data.results.length) target.append(this.stateNode("empty", this.emptyText()));
      else target.append(this.renderTable(data.results), this.renderPager(data));
      this.dispatchEvent(new CustomEvent("portal-list:loaded", { detail: data }));
    } catch (error) {
      const node = this.stateNode("error", error.message);
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "button";
      retry.textContent = t("retry");
      retry.addEventListener("click", () => this.refresh());
      node.append(retry);
      target.replaceChildren(node);
    } finally {
      target.removeAttribute("aria-busy");
    }
  }

  emptyText() { return this.getAttribute("empty-text") || t("empty"); }

  buildFilters() {
    const filters = this.filters();
    if (!filters.length && !this.exportable) return null;
    const form = document.createElement("form");
    form.className = "filters";
    form.setAttribute("role", "search");
    for (const filter of filters) {
      const field = document.createElement("label");
      field.className = "filters__field";
      const label = document.createElement("span");
      label.textContent = filter.label;
      let input;
      if (filter.type === "select") {
        input = document.createElement("select");
        for (const [value, text] of [["", t("all")], ...filter.options]) {
          const option = new Option(text, value);
          input.append(option);
        }
      } else {
        input = document.createElement("input");
        input.type = filter.type === "search" ? "search" : filter.type || "text";
      }
      input.name = filter.name;
      if (this.params.has(filter.name)) input.value = this.params.get(filter.name);
      field.append(label, input);
      form.append(field);
    }
    const actions = document.createElement("div");
    actions.className = "filters__actions";
    if (filters.length) {
      const submit = document.createElement("button");
      submit.type = "submit";
      submit.className = "button button--primary";
      submit.textContent = t("filter");
      actions.append(submit);
    }
    if (this.exportable) {
      // A link to the export of the filtered list (it keeps the filters), which the click
      // turns into a fetch: the file at once for a short list, else a background export
      // followed with a progress bar (site/lib/export-progress.js).
      const link = document.createElement("a");
      link.className = "button";
      link.dataset.action = "export";
      link.textContent = t("export");
      link.href = this.exportUrl();
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.export(link);
      });
      this.addEventListener("portal-list:loaded", () => { link.href = this.exportUrl(); });
      actions.append(link);
    }
    form.append(actions);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.page = 1;
      this.refresh();
    });
    return form;
  }

  // Where exports show their progress: right under the filters.
  exportSlot() {
    if (!this._exportSlot) {
      this._exportSlot = document.createElement("div");
      this._exportSlot.className = "portal-list__export";
      if (this.form && this.form.parentNode) this.form.after(this._exportSlot);
      else this.results.before(this._exportSlot);
    }
    return this._exportSlot;
  }

  exportUrl() { return `${this.endpoint}?${this.query({ format: "xlsx" })}`; }

  async export(link) {
    if (link.getAttribute("aria-disabled") === "true") return;
    link.setAttribute("aria-disabled", "true");
    link.setAttribute("aria-busy", "true");
    link.href = this.exportUrl();
    try {
      await runExport(link.href, this.exportSlot());
    } finally {
      link.removeAttribute("aria-disabled");
      link.removeAttribute("aria-busy");
    }
  }

  renderTable(rows) {
    const table = document.createElement("table");
    table.className = "data-table";
    const head = table.createTHead().insertRow();
    for (const column of this.columns()) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = column.label;
      if (column.className) th.className = column.className;
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.id = row.id;
      for (const column of this.columns()) {
        const td = tr.insertCell();
        td.dataset.label = column.label;
        if (column.className) td.className = column.className;
        const value = column.render ? column.render(row) : row[column.key];
        if (value instanceof Node) td.append(value);
        else td.textContent = value ?? "";
      }
    }
    const wrapper = document.createElement("div");
    wrapper.className = "data-table__wrapper";
    wrapper.append(table);
    return wrapper;
  }

  renderPager(data) {
    const nav = document.createElement("nav");
    nav.className = "pager";
    nav.setAttribute("aria-label", t("pagination"));
    const info = document.createElement("span");
    info.textContent = t("count").replace("{count}", data.count);
    nav.append(info);
    for (const [label, target, enabled] of [[t("previous"), this.page - 1, !!data.previous],
                                             [t("next"), this.page + 1, !!data.next]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small";
      button.textContent = label;
      button.disabled = !enabled;
      button.addEventListener("click", () => { this.page = target; this.refresh(); });
      nav.append(button);
    }
    return nav;
  }
}
