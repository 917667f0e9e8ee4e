// <portal-intervention-list>: the company's interventions by period, with filters (dates,
// status, site, equipment, under contract or not), the .xlsx export of the filtered list
// (attribute exportable) and a panel with one intervention's times, work done, lines,
// documents and signed report. ?intervention=<id> in the address opens that one. Data from
// /api/v1/interventions/.
import { api } from "../lib/api.js";
import { el } from "../lib/dom.js";
import { date, dateTime, money, number, quantityWithUnit } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-service.js";
import { PortalList } from "../lib/portal-list.js";
import { INTERVENTION_STATUSES, downloadList, equipmentCell, equipmentOrTyped, facts, fill, interventionStatusBadge, numberedTitle, openDetail } from "../lib/service-ui.js";

// Units as a quantity shows them ("2,5 h"); a piece needs none.

const OPTIONS_MAX = 200; // beyond that many pieces of equipment, words are searched instead

async function allResults(path) {
  try {
    const page = await api(path);
    return page.count <= page.results.length ? page.results : null;
  } catch (error) {
    return null; // the list still works without these filter options
  }
}

class PortalInterventionList extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/interventions/"; }

  async connectedCallback() {
    this.classList.add("widget", "portal-list", "intervention-list");
    this.replaceChildren(this.stateNode("loading", t("loading")));
    [this.sites, this.equipment] = await Promise.all([
      allResults(`/api/v1/sites/?page_size=${OPTIONS_MAX}`),
      allResults(`/api/v1/equipment/?page_size=${OPTIONS_MAX}&ordering=serial_number`),
    ]);
    this.addEventListener("portal-list:loaded", () => this.loaded());
    super.connectedCallback();
    this.panel = el("div", { class: "service-detail", "aria-live": "polite" });
    this.insertBefore(this.panel, this.results);
  }

  // The export link follows the filters as soon as the list shows them (PortalList updates it
  // on click only).
  loaded() {
    const link = this.querySelector("[data-action=export]");
    if (link) link.href = `${this.endpoint}?${this.query({ format: "xlsx" })}`;
    if (!this.openedFromAddress) {
      this.openedFromAddress = true;
      const opened = new URLSearchParams(location.search).get("intervention");
      if (opened) this.showDetail(opened);
    }
  }

  emptyText() { return this.getAttribute("empty-text") || t("svcItvEmpty"); }

  filters() {
    const filters = [
      { name: "date_from", label: t("svcFrom"), type: "date" },
      { name: "date_to", label: t("svcTo"), type: "date" },
      { name: "status", label: t("svcStatus"), type: "select", options: INTERVENTION_STATUSES.map((s) => [s, t(`svcItvStatus_${s}`)]) },
    ];
    if (this.sites && this.sites.length > 1) {
      filters.push({ name: "site", label: t("svcSite"), type: "select", options: this.sites.map((s) => [String(s.id), s.name]) });
    }
    if (this.equipment && this.equipment.length) {
      filters.push({ name: "equipment", label: t("svcEquipment"), type: "select",
        options: this.equipment.map((e) => [String(e.id), [e.serial_number, [e.brand, e.model].filter(Boolean).join(" ")].filter(Boolean).join(" – ")]) });
    } else {
      filters.push({ name: "search", label: t("svcItvSearch"), type: "search" });
    }
    filters.push({ name: "under_contract", label: t("svcUnderContract"), type: "select", options: [["true", t("svcYes")], ["false", t("svcNo")]] });
    return filters;
  }

  columns() {
    return [
      { key: "number", label: t("svcItvNumber"), className: "service-nowrap", render: (row) => el("strong", { text: row.number }) },
      { key: "planned_start", label: t("svcItvDate"), render: (row) => date(row.planned_start || row.arrival_at) },
      { key: "site", label: t("svcSite"), render: (row) => (row.site ? row.site.name : "") },
      { key: "equipment", label: t("svcEquipment"), render: (row) => equipmentCell(row) },
      { key: "status", label: t("svcStatus"), render: (row) => interventionStatusBadge(row) },
      { key: "contract", label: t("svcContract"), className: "service-nowrap", render: (row) => this.contractCell(row) },
      { key: "technicians", label: t("svcTechnicians"), render: (row) => (row.technicians || []).map((p) => p.name).join(", ") },
      { key: "actions", label: t("actions"), render: (row) => {
        const button = el("button", { type: "button", class: "button button--small", "data-action": "details",
          text: t("svcDetails"), "aria-label": fill(t("svcItvOpenFor"), { number: row.number }) });
        button.addEventListener("click", () => this.showDetail(row.id));
        return button;
      } },
    ];
  }

  contractCell(row) {
    const cell = el("span", { class: "service-badges" });
    if (row.contract) cell.append(el("span", { "data-contract": row.contract.number, text: row.contract.number }));
    else cell.append(el("span", { class: "muted", "data-contract": "", text: t("svcPerUnit") }));
    if (row.under_warranty) cell.append(el("span", { class: "status status--ok", text: t("svcWarranty") }));
    return cell;
  }

  showDetail(id) {
    return openDetail(this, id, (item, close) => {
      const title = numberedTitle("h3", t("svcItvTitle"), item.number);
      const contract = item.contract ? [item.contract.number, item.contract.title].filter(Boolean).join(" – ") : t("svcPerUnit");
      const card = el("section", { class: "card service-card", "data-intervention": item.number, "aria-label": title.textContent },
        el("div", { class: "card__header" }, el("div", { class: "service-card__title" }, title, interventionStatusBadge(item)), close),
        facts([
          [t("svcSite"), item.site && [item.site.name, item.site.address].filter(Boolean).join(" – ")],
          [t("svcEquipment"), equipmentOrTyped(item), "equipment"],
          [t("svcContract"), item.under_warranty ? `${contract} · ${t("svcWarranty")}` : contract, "contract"],
          [t("svcPlanned"), this.window(item.planned_start, item.planned_end)],
          [t("svcTechnicians"), (item.technicians || []).map((p) => p.name).join(", ")],
          [t("svcFromRequest"), item.ticket && item.ticket.number],
          [t("svcMeter"), item.meter_reading !== null && item.meter_reading !== undefined && item.meter_reading !== "" ? number(item.meter_reading, 2) : ""],
          [t("svcSigned"), item.signed_at ? [dateTime(item.signed_at), item.signer_name].filter(Boolean).join(" · ") : "", "signed"],
        ]));
      if (item.description) card.append(el("h4", { text: t("svcItvReason") }), el("p", { class: "service-text", text: item.description }));
      card.append(el("h4", { text: t("svcTimes") }), this.times(item));
      card.append(el("h4", { text: t("svcWorkDone") }),
        item.work_done ? el("p", { class: "service-text", "data-field": "work_done", text: item.work_done }) : el("p", { class: "muted", text: t("svcNothingYet") }));
      if (item.comments) card.append(el("h4", { text: t("svcComments") }), el("p", { class: "service-text", text: item.comments }));
      card.append(el("h4", { text: t("svcLines") }), this.lines(item.lines || []));
      const documents = (item.documents || []).filter((doc) => doc.kind !== "intervention_report" || !item.report_url);
      card.append(el("h4", { text: t("svcDocuments") }),
        documents.length ? downloadList(documents) : el("p", { class: "muted", text: t("svcNoDocuments") }));
      if (item.report_url) {
        card.append(el("div", { class: "toolbar service-report" },
          el("a", { class: "button button--primary", href: item.report_url, download: "", "data-action": "report",
            text: t("svcReport"), "aria-label": fill(t("svcReportFor"), { number: item.number }) })));
      }
      return card;
    });
  }

  window(start, end) {
    if (!start) return "";
    if (!end) return dateTime(start);
    const sameDay = date(start) === date(end);
    const endText = sameDay ? new Intl.DateTimeFormat(document.documentElement.lang?.startsWith("en") ? "en-GB" : "fr-FR",
      { timeStyle: "short", timeZone: "Europe/Paris" }).format(new Date(end)) : dateTime(end);
    return `${dateTime(start)} → ${endText}`;
  }

  times(item) {
    const list = el("dl", { class: "service-times" });
    for (const key of ["departure_at", "arrival_at", "end_at", "return_at"]) {
      list.append(el("div", { class: "service-times__item", "data-time": key },
        el("dt", { text: t(`svcTime_${key}`) }),
        el("dd", { text: item[key] ? dateTime(item[key]) : "—" })));
    }
    return list;
  }

  lines(lines) {
    if (!lines.length) return el("p", { class: "muted", text: t("svcNoLines") });
    const table = el("table", { class: "data-table", "data-table": "lines" });
    const columns = [["svcLineReference", ""], ["svcLineLabel", ""], ["svcLineQuantity", "num"], ["svcLineUnitPrice", "num"], ["svcLineTotal", "num"]];
    const head = table.createTHead().insertRow();
    for (const [key, className] of columns) head.append(el("th", { scope: "col", class: className, text: t(key) }));
    const body = table.createTBody();
    for (const line of lines) {
      const tr = body.insertRow();
      tr.dataset.reference = line.article ? line.article.reference : "";
      const code = line.article ? line.article.unit : "";
      const cells = [line.article ? line.article.reference : "", line.label || (line.article && line.article.label) || "",
        quantityWithUnit(line.quantity, code), money(line.unit_price_excl_tax), money(line.total_excl_tax)];
      columns.forEach(([key, className], index) => {
        const td = tr.insertCell();
        td.dataset.label = t(key);
        if (className) td.className = className;
        td.textContent = cells[index] || "";
      });
    }
    return el("div", { class: "data-table__wrapper" }, table);
  }
}

customElements.define("portal-intervention-list", PortalInterventionList);
