// <portal-technician-interventions>: the technician's interventions, phone first: today's
// first (the API orders them), big cards on a phone and a table on a desktop, each opening the
// sheet (sheet_page?intervention=<id>). Filters: scope (mine / mine under contract / all, the
// last only offered when the API allows it), period, client, status, words; the .xlsx export
// keeps them. Attributes: sheet_page, create_page, exportable.
import { api } from "../lib/api.js";
import { el } from "../lib/dom.js";
import { dateTime } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-intranet.js";
import { clientPicker, dayOf, equipmentLine, statusBadge, todayParis, urgentMark } from "../lib/intranet.js";
import { PortalList } from "../lib/portal-list.js";

const STATUSES = ["to_plan", "planned", "in_progress", "done", "closed", "cancelled"];
const OPEN = "to_plan,planned,in_progress";
const TIME = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" });

class PortalTechnicianInterventions extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/interventions/"; }

  // "Toutes" is offered only to technicians who may see every intervention: the page says so
  // (the block renders scope-all from the same rule the API asks), no call needed to find out.
  get allowAll() { return this.hasAttribute("scope-all"); }

  connectedCallback() {
    this.classList.add("widget", "tech-list");
    if (!this.hasAttribute("params")) this.setAttribute("params", "scope=mine");
    super.connectedCallback();
    const create = this.getAttribute("create_page");
    if (create) {
      this.createLink = el("a", { class: "button button--primary tech-list__new", href: create, "data-action": "create", text: `+ ${t("techNewIntervention")}` });
      this.prepend(el("div", { class: "tech-list__top" }, this.createLink));
    }
    this.addEventListener("portal-list:loaded", (event) => {
      const can = event.detail && event.detail.can;
      if (this.createLink && can && can.create === false) this.createLink.hidden = true;
    });
  }

  emptyText() { return t("techListEmpty"); }

  filters() {
    const scopes = [["mine", t("techScope_mine")], ["mine_contract", t("techScope_mine_contract")]];
    if (this.allowAll) scopes.push(["all", t("techScope_all")]);
    return [
      { name: "scope", label: t("techScope"), type: "select", options: scopes },
      { name: "date_from", label: t("techFrom"), type: "date" },
      { name: "date_to", label: t("techTo"), type: "date" },
      { name: "status", label: t("techStatus"), type: "select",
        options: [[OPEN, t("techStatusOpen")], ...STATUSES.map((s) => [s, t(`techStatus_${s}`)])] },
      { name: "search", label: t("techSearchLabel"), type: "search" },
    ];
  }

  buildFilters() {
    const form = super.buildFilters();
    // The scope has no "all" blank choice: it is one of the three.
    const scope = form.querySelector("select[name=scope]");
    scope.querySelector('option[value=""]').remove();
    scope.value = this.params.get("scope") || "mine";
    // Client: a suggestion picked is sent as its id (client=), words typed and not picked
    // filter too, on the client's name or code (client_search=).
    this.client = clientPicker({ field: "client", label: t("techClient"), freeText: "client_search",
      help: t("techClientFilterHelp"), onEnter: () => form.requestSubmit(), onChoose: () => {}, onClear: () => {} });
    this.client.node.classList.add("filters__field");
    form.querySelector("[name=date_from]").closest(".filters__field").before(this.client.node);
    return form;
  }

  // A client id from the address (the hidden field already holds it): its name is fetched
  // to show it as chosen.
  async filtersRestored() {
    if (!this.client) return;
    const id = this.params.get("client") || "";
    const shown = this.client.node.querySelector("[data-chosen=client]");
    if (!id) {
      if (shown && !shown.closest("[hidden]")) this.client.clear();
      return;
    }
    if (shown && !shown.closest("[hidden]") && shown.dataset.id === id) return;
    const words = this.params.get("client_search") || "";
    this.client.choose({ id, name: "…" });
    this.client.input.value = words;
    try {
      const client = await api(`/api/v1/clients/${encodeURIComponent(id)}/`);
      if (this.client.value === String(id)) {
        this.client.choose(client);
        this.client.input.value = words;
      }
    } catch (error) { /* the list itself says what is wrong */ }
  }

  sheetUrl(row) {
    const page = this.getAttribute("sheet_page") || "";
    return `${page}?intervention=${row.id}`;
  }

  columns() {
    return [
      { key: "planned_start", label: t("techPlanned"), render: (row) => this.when(row) },
      { key: "number", label: t("techNumber"), className: "tech-nowrap", render: (row) => el("a", { href: this.sheetUrl(row), "data-action": "open", text: row.number }) },
      { key: "client", label: t("techClient"), render: (row) => row.client.name },
      { key: "site", label: t("techSite"), render: (row) => el("span", {}, row.site.name, el("br"), el("small", { class: "muted", text: row.site.address || "" })) },
      { key: "equipment", label: t("techEquipment"), render: (row) => equipmentLine(row) },
      { key: "status", label: t("techStatus"), render: (row) => this.badges(row) },
    ];
  }

  when(row) {
    if (!row.planned_start) return el("span", { class: "muted", text: t("techNotPlanned") });
    const node = el("span", { text: dateTime(row.planned_start) });
    if (dayOf(row.planned_start) === todayParis()) node.append(" ", el("span", { class: "badge tech-today", text: t("techToday") }));
    return node;
  }

  badges(row) {
    const node = el("span", { class: "tech-badges" }, urgentMark(row), statusBadge(row));
    const chips = this.chips(row);
    if (chips) node.append(...chips.childNodes);
    return node;
  }

  // Under contract (its number) and under warranty.
  chips(row) {
    const items = [];
    if (row.under_contract) items.push(el("span", { class: "chip", text: row.contract ? `${t("techContractShort")} ${row.contract.number}` : t("techUnderContract") }));
    if (row.under_warranty) items.push(el("span", { class: "chip", text: t("techUnderWarranty") }));
    return items.length ? el("div", { class: "tech-badges tech-card__chips" }, ...items) : null;
  }

  // A table on a desktop; on a phone, one big card per intervention, grouped by day.
  renderTable(rows) {
    const table = super.renderTable(rows);
    table.classList.add("tech-list__table");
    const cards = el("ol", { class: "tech-cards", "data-list": "interventions" });
    const today = todayParis();
    let group = null;
    for (const row of rows) {
      const day = row.planned_start ? dayOf(row.planned_start) : "";
      const current = !day ? "none" : day === today ? "today" : day > today ? "upcoming" : "past";
      if (current !== group) {
        group = current;
        cards.append(el("li", { class: "tech-cards__group", "aria-hidden": "true", text: t(`techGroup_${current}`) }));
      }
      const time = row.planned_start
        ? el("span", { class: "tech-card__time" }, el("strong", { text: TIME.format(new Date(row.planned_start)) }),
          current === "today" ? null : el("span", { text: new Intl.DateTimeFormat(document.documentElement.lang || "fr", { day: "numeric", month: "short", timeZone: "Europe/Paris" }).format(new Date(row.planned_start)) }))
        : el("span", { class: "tech-card__time muted", text: t("techNotPlanned") });
      // Compact: one line each (ellipsis, never a word cut), the whole sheet one tap away.
      const where = [row.site.name, row.site.address].filter(Boolean).join(" – ");
      const modifiers = [current === "today" ? " tech-card--today" : "", row.urgent ? " tech-card--urgent" : ""].join("");
      const card = el("a", { class: `tech-card${modifiers}`, href: this.sheetUrl(row), "data-id": row.id },
        el("div", { class: "tech-card__top" }, time, el("span", { class: "tech-badges" }, urgentMark(row), statusBadge(row))),
        el("div", { class: "tech-card__title" }, el("strong", { text: row.client.name, title: row.client.name }), el("span", { class: "muted tech-card__number", text: row.number })),
        el("div", { class: "tech-card__line", text: where, title: where }),
        equipmentLine(row) ? el("div", { class: "tech-card__line tech-card__equipment", text: equipmentLine(row) }) : null,
        row.description ? el("div", { class: "tech-card__line tech-card__reason muted", text: row.description }) : null,
        this.chips(row));
      cards.append(el("li", {}, card));
    }
    return el("div", {}, table, cards);
  }
}

customElements.define("portal-technician-interventions", PortalTechnicianInterventions);
