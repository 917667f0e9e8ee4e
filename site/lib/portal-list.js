// Base of the list widgets: a filter form (folded under a "Filtres (n)" button on a phone), a
// paginated table (cards on a phone), an export link that keeps the filters (fetched: the
// file, or a background export's progress). Subclasses describe `columns()` and `filters()`.
// The filters, the ordering and the page live in the address (?status=done&page=2): a
// reload, a bookmark or the back button shows the same list. The `params` attribute gives the
// defaults; `url-state="off"` keeps a list out of the address (two lists on one page).
import { api } from "./api.js";
import { clearFieldErrorsOnEdit } from "./dom.js";
import { runExport } from "./export-progress.js";
import { t } from "./i18n.js";
import { PortalElement } from "./portal-element.js";

const PHONE = "(max-width: 719px)";

export class PortalList extends PortalElement {
  // [{ key, label, render?(row) -> string | Node, className? }]
  columns() { return []; }

  // [{ name, label, type: "text" | "date" | "select" | "search", options?: [[value, label]] }]
  filters() { return []; }

  // True when the endpoint answers ?format=xlsx.
  get exportable() { return this.hasAttribute("exportable"); }

  get endpoint() { return this.getAttribute("src"); }

  get inAddress() { return this.getAttribute("url-state") !== "off"; }

  // Whether the filters fold under a button on a phone (a catalogue keeps its search open).
  get foldable() { return true; }

  connectedCallback() {
    this.classList.add("widget", "portal-list");
    clearFieldErrorsOnEdit(this);
    // The defaults, and the list's state: what the API is asked (the form is its view).
    this.defaults = new URLSearchParams(this.getAttribute("params") || "");
    this.params = new URLSearchParams(this.defaults);
    this.page = 1;
    this.ordering = this.defaults.get("ordering") || "";
    this.form = this.buildFilters();
    this.filtersPanel = this.form && this.filters().length && this.foldable ? this.foldFilters(this.form) : null;
    this.results = document.createElement("div");
    this.results.className = "portal-list__results";
    this.results.setAttribute("aria-live", "polite");
    this.replaceChildren(...[this.filtersPanel || this.form, this.filtersExtra, this.results].filter(Boolean));
    if (this.inAddress) {
      this.readAddress();
      this.onPopState = () => {
        const before = this.stateKey();
        this.readAddress();
        if (this.stateKey() !== before) this.refresh();
      };
      window.addEventListener("popstate", this.onPopState);
    }
    this.countFilters();
    this.refresh();
  }

  disconnectedCallback() {
    if (this.onPopState) window.removeEventListener("popstate", this.onPopState);
    if (this.onMedia) this.media.removeEventListener("change", this.onMedia);
  }

  // The names of the form's fields: the filters in the address.
  filterKeys() {
    if (!this.form) return [];
    const names = [...this.form.elements]
      .filter((field) => field.name && !["submit", "button", "reset"].includes(field.type))
      .map((field) => field.name);
    return [...new Set(names)];
  }

  stateKey() { return `${this.query({ page: this.page })}`; }

  // The address → the state and the form (a key left out of the address takes its default;
  // an empty one, "?status=", says "none" over a default).
  readAddress() {
    const address = new URLSearchParams(location.search);
    for (const key of this.filterKeys()) {
      const value = address.has(key) ? address.get(key) : this.defaults.get(key) || "";
      this.setFilter(key, value);
    }
    this.page = Math.max(1, Number.parseInt(address.get("page"), 10) || 1);
    this.ordering = address.get("ordering") || this.defaults.get("ordering") || "";
    this.filtersRestored();
    this.countFilters();
  }

  setFilter(key, value) {
    if (value) this.params.set(key, value);
    else this.params.delete(key);
    const field = this.form && this.form.elements.namedItem(key);
    if (!field || !("value" in field)) return;
    field.value = value;
    // A choice the list does not offer (an old bookmark, a right since lost) falls back to
    // the field's own; a select still waiting for its options keeps the value.
    if (field.tagName === "SELECT" && field.value !== value && field.options.length > 1) {
      this.setFilter(key, field.value);
    }
  }

  // Subclasses: redraw what a plain field value does not show (a chosen client's name).
  filtersRestored() {}

  // The form → the state.
  readForm() {
    for (const key of this.filterKeys()) this.params.delete(key);
    for (const [name, value] of new FormData(this.form)) if (value) this.params.set(name, value);
  }

  // The state → the address: what differs from the defaults, the page after the first.
  writeAddress() {
    if (!this.inAddress) return;
    const url = new URL(location.href);
    for (const key of [...this.filterKeys(), "page", "ordering"]) url.searchParams.delete(key);
    for (const key of this.filterKeys()) {
      const value = this.params.get(key) || "";
      if (value !== (this.defaults.get(key) || "")) url.searchParams.set(key, value);
    }
    if (this.ordering && this.ordering !== (this.defaults.get("ordering") || "")) url.searchParams.set("ordering", this.ordering);
    if (this.page > 1) url.searchParams.set("page", String(this.page));
    if (url.href !== location.href) history.pushState(history.state, "", url);
  }

  // Moves to a state: the address first (the back button returns here), then the list.
  go({ page = 1, ordering = this.ordering } = {}) {
    this.page = page;
    this.ordering = ordering;
    this.writeAddress();
    this.countFilters();
    return this.refresh();
  }

  query(extra = {}) {
    const params = new URLSearchParams(this.params);
    if (this.ordering) params.set("ordering", this.ordering);
    for (const [name, value] of Object.entries(extra)) params.set(name, value);
    return params;
  }

  // The filters fold under one button on a phone, which says how many are in use.
  foldFilters(form) {
    const panel = document.createElement("details");
    panel.className = "filters-panel";
    const summary = document.createElement("summary");
    summary.className = "button filters-panel__toggle";
    summary.dataset.action = "filters";
    this.filtersLabel = summary;
    panel.append(summary, form);
    // The export stays in sight, outside the fold: it is not a filter.
    const extra = [...form.querySelectorAll(".filters__actions > :not([type=submit])")];
    if (extra.length) {
      this.filtersExtra = document.createElement("div");
      this.filtersExtra.className = "filters__actions filters-panel__extra";
      this.filtersExtra.append(...extra);
    }
    this.media = window.matchMedia(PHONE);
    panel.open = !this.media.matches;
    this.onMedia = () => { if (!this.media.matches) panel.open = true; };
    this.media.addEventListener("change", this.onMedia);
    return panel;
  }

  activeFilters() {
    return this.filterKeys().filter((key) => {
      const value = this.params.get(key) || "";
      return value && value !== (this.defaults.get(key) || "");
    }).length;
  }

  countFilters() {
    if (!this.filtersLabel) return;
    const count = this.activeFilters();
    this.filtersLabel.textContent = count ? t("filtersCount").replace("{count}", count) : t("filters");
    this.filtersLabel.dataset.count = String(count);
  }

  // PortalElement.refresh() draws into `this`; lists draw into their results area.
  async refresh() {
    const target = this.results;
    const asked = this.stateKey();
    target.setAttribute("aria-busy", "true");
    target.replaceChildren(this.stateNode("loading", t("loading")));
    try {
      const data = await api(`${this.endpoint}?${this.query({ page: this.page })}`);
      if (asked !== this.stateKey()) return;  // a later state is on its way
      target.replaceChildren();
      if (!data.results.length) target.append(this.stateNode("empty", this.emptyText()));
      else target.append(this.renderTable(data.results), this.renderPager(data));
      this.dispatchEvent(new CustomEvent("portal-list:loaded", { detail: data }));
    } catch (error) {
      if (asked !== this.stateKey()) return;
      // A page beyond the last (an old bookmark): the first page instead.
      if (error.status === 404 && this.page > 1) {
        this.page = 1;
        if (this.inAddress) {
          const url = new URL(location.href);
          url.searchParams.delete("page");
          history.replaceState(history.state, "", url);
        }
        this.refresh();
        return;
      }
      target.replaceChildren(this.errorNode(error, () => this.refresh(), null));
    } finally {
      if (asked === this.stateKey()) target.removeAttribute("aria-busy");
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
      this.readForm();
      this.go({ page: 1 });
    });
    return form;
  }

  // Where exports show their progress: right under the filters.
  exportSlot() {
    if (!this._exportSlot) {
      this._exportSlot = document.createElement("div");
      this._exportSlot.className = "portal-list__export";
      const filters = this.filtersExtra || this.filtersPanel || this.form;
      if (filters && filters.parentNode) filters.after(this._exportSlot);
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
        td.dataset.key = column.key;
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
      button.addEventListener("click", () => this.go({ page: target }));
      nav.append(button);
    }
    return nav;
  }
}
