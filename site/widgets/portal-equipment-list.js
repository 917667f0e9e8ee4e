// <portal-equipment-list>: the company's installed base, with filters (site, contract, words,
// warranty ending before a date), the .xlsx export of the filtered list and a detail panel
// listing the interventions done on the equipment. Data from /api/v1/equipment/.
import { api } from "../lib/api.js";
import { date } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { PortalList } from "../lib/portal-list.js";
import { el } from "../lib/dom.js";

function warranty(value) {
  if (!value) return "";
  const end = new Date(`${value}T23:59:59`);
  const days = (end - new Date()) / 86_400_000;
  if (days < 0) return el("span", { class: "status status--err", text: `${date(value)} · ${t("equipment_expired")}` });
  return el("span", { class: `status ${days < 90 ? "status--warn" : "status--ok"}`, text: date(value) });
}

const STATUS_CLASS = { done: "status--ok", closed: "status--ok", cancelled: "status--err", in_progress: "status--warn", planned: "status--warn" };

class PortalEquipmentList extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/equipment/"; }

  get exportable() { return true; }

  async connectedCallback() {
    this.sites = [];
    try {
      for (let next = "/api/v1/sites/?page_size=200"; next;) {
        const page = await api(next);
        this.sites.push(...page.results);
        next = page.next;
      }
    } catch (error) {
      this.sites = []; // the list still works without the site filter's options
    }
    super.connectedCallback();
    this.panel = el("div", { class: "equipment-detail", "aria-live": "polite" });
    this.insertBefore(this.panel, this.results);
  }

  emptyText() { return this.getAttribute("empty-text") || t("equipment_empty"); }

  filters() {
    const filters = [{ name: "search", label: t("equipment_search"), type: "search" }];
    if (this.sites.length > 1) {
      filters.push({ name: "site", label: t("equipment_site"), type: "select", options: this.sites.map((s) => [String(s.id), s.name]) });
    }
    filters.push({ name: "contract_number", label: t("equipment_contract"), type: "text" },
                 { name: "warranty_before", label: t("equipment_warranty_before"), type: "date" });
    return filters;
  }

  columns() {
    return [
      { key: "serial_number", label: t("equipment_serial"), render: (row) => el("strong", { text: row.serial_number }) },
      { key: "label", label: t("equipment_label"), render: (row) => [row.brand, row.model].filter(Boolean).join(" ") + (row.label ? ` – ${row.label}` : "") },
      { key: "site_name", label: t("equipment_site") },
      { key: "install_date", label: t("equipment_install"), render: (row) => date(row.install_date) },
      { key: "warranty_end", label: t("equipment_warranty"), render: (row) => warranty(row.warranty_end) },
      { key: "contract_number", label: t("equipment_contract") },
      { key: "actions", label: t("actions"), render: (row) => {
        const button = el("button", { type: "button", class: "button button--small", "data-action": "details", text: t("equipment_details"), "aria-label": `${t("equipment_details")} ${row.serial_number}` });
        button.addEventListener("click", () => this.showDetail(row.id));
        return button;
      } },
    ];
  }

  async showDetail(id) {
    this.panel.replaceChildren(this.stateNode("loading", t("loading")));
    let item;
    try {
      item = await api(`${this.endpoint}${id}/`);
    } catch (error) {
      this.panel.replaceChildren(this.errorNode(error, () => this.showDetail(id), null));
      return;
    }
    const close = el("button", { type: "button", class: "button button--small", "data-action": "close", text: t("equipment_close") });
    close.addEventListener("click", () => this.panel.replaceChildren());
    const facts = el("dl", { class: "details" });
    for (const [label, value] of [
      [t("equipment_label"), [item.label, item.brand, item.model].filter(Boolean).join(" · ")],
      [t("equipment_site"), [item.site_name, item.site_address].filter(Boolean).join(" – ")],
      [t("equipment_install"), date(item.install_date)],
      [t("equipment_warranty"), warranty(item.warranty_end)],
      [t("equipment_contract"), [item.contract_number, item.contract_title].filter(Boolean).join(" – ")],
    ]) {
      if (!value) continue;
      facts.append(el("dt", { text: label }), el("dd", {}, value));
    }
    const card = el("section", { class: "card", "data-equipment": item.serial_number },
      el("div", { class: "card__header" }, el("h3", { text: `${t("equipment_serial")} ${item.serial_number}` }), close),
      facts);
    if (item.interventions) {
      card.append(el("h4", { text: t("equipment_interventions") }));
      if (!item.interventions.length) card.append(el("p", { class: "muted", text: t("equipment_no_interventions") }));
      else card.append(this.interventionsTable(item.interventions));
    }
    this.panel.replaceChildren(card);
    card.scrollIntoView({ block: "nearest" });
    close.focus();
  }

  interventionsTable(rows) {
    const table = el("table", { class: "data-table", "data-table": "interventions" });
    const keys = ["intervention_number", "intervention_date", "intervention_status", "intervention_work"];
    const head = table.createTHead().insertRow();
    for (const key of keys) head.append(el("th", { scope: "col", text: t(key) }));
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      const when = row.end_at || row.arrival_at || row.planned_start;
      const cells = [row.number, date(when), el("span", { class: `status ${STATUS_CLASS[row.status] || ""}`, text: row.status_label }), row.work_summary];
      keys.forEach((key, index) => {
        const td = tr.insertCell();
        td.dataset.label = t(key);
        td.append(cells[index] || "");
      });
    }
    return el("div", { class: "data-table__wrapper" }, table);
  }
}

customElements.define("portal-equipment-list", PortalEquipmentList);
