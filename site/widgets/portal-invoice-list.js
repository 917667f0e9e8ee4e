// <portal-invoice-list>: the company's invoices with filters (status, period, number), the
// totals of the filtered list, status badges (overdue in red), the PDF of each invoice and the
// .xlsx export of the filtered list, and every PDF of the chosen period as one ZIP (built in
// the background, its progress shown as the long exports'). Attributes: src, exportable.
import { requestExport } from "../lib/export-progress.js";
import { date, money } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-exports.js";
import { PortalList } from "../lib/portal-list.js";

const STATUS_CLASS = { issued: "status--warn", paid: "status--ok", overdue: "status--err" };

export function invoiceStatusBadge(invoice) {
  const badge = document.createElement("span");
  badge.className = `status ${STATUS_CLASS[invoice.status] || ""}`.trim();
  badge.dataset.status = invoice.status;
  badge.textContent = t(`invStatus_${invoice.status}`);
  return badge;
}

class PortalInvoiceList extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/invoices/"; }

  // Exportable unless the editor turned it off.

  connectedCallback() {
    this.totals = document.createElement("dl");
    this.totals.className = "invoice-totals";
    this.totals.hidden = true;
    this.totals.setAttribute("aria-label", t("invTotals"));
    this.addEventListener("portal-list:loaded", (event) => this.renderTotals(event.detail));
    super.connectedCallback();
    this.results.before(this.totals);
    this.addZipButton();
  }

  // "Télécharger les PDF de la période (ZIP)": the period of the filters (both dates needed).
  addZipButton() {
    // Beside the export (kept outside the folded filters on a phone).
    const actions = this.filtersExtra || (this.form && this.form.querySelector(".filters__actions"));
    if (!actions) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.dataset.action = "invoice-zip";
    button.textContent = t("invZip");
    button.addEventListener("click", () => this.requestZip(button));
    actions.append(button);
  }

  async requestZip(button) {
    const slot = this.exportSlot();
    const from = this.form.elements.date_from.value;
    const to = this.form.elements.date_to.value;
    if (!from || !to) {
      const note = document.createElement("p");
      note.className = "callout callout--warning";
      note.setAttribute("role", "alert");
      note.textContent = t("invZipNeedsPeriod");
      if (slot.exportController) slot.exportController.stop();
      slot.replaceChildren(note);
      this.form.elements[from ? "date_to" : "date_from"].focus();
      return;
    }
    button.disabled = true;
    try {
      const title = t("invZipTitle").replace("{from}", date(from)).replace("{to}", date(to));
      await requestExport("/api/v1/exports/invoice-zip/", { date_from: from, date_to: to }, slot,
                          { title });
    } finally {
      button.disabled = false;
    }
  }

  emptyText() { return t("invEmpty"); }

  filters() {
    return [
      { name: "number", label: t("invNumber"), type: "search" },
      { name: "status", label: t("invStatus"), type: "select",
        options: ["issued", "paid", "overdue"].map((s) => [s, t(`invStatus_${s}`)]) },
      { name: "date_from", label: t("invFrom"), type: "date" },
      { name: "date_to", label: t("invTo"), type: "date" },
    ];
  }

  columns() {
    return [
      { key: "number", label: t("invNumber") },
      { key: "issue_date", label: t("invIssued"), render: (i) => date(i.issue_date) },
      { key: "due_date", label: t("invDue"), render: (i) => date(i.due_date) },
      { key: "status", label: t("invStatus"), render: (i) => invoiceStatusBadge(i) },
      { key: "total_excl_tax", label: t("invExclTax"), className: "num", render: (i) => money(i.total_excl_tax) },
      { key: "total_incl_tax", label: t("invInclTax"), className: "num", render: (i) => money(i.total_incl_tax) },
      { key: "amount_due", label: t("invDueAmount"), className: "num", render: (i) => money(i.amount_due) },
      { key: "pdf", label: t("invPdf"), render: (i) => this.pdfLink(i) },
    ];
  }

  pdfLink(invoice) {
    if (!invoice.pdf_url) return "";
    const link = document.createElement("a");
    link.className = "button button--small";
    link.href = invoice.pdf_url;
    link.setAttribute("download", `${invoice.number}.pdf`);
    link.dataset.action = "pdf";
    link.setAttribute("aria-label", t("invPdfFor").replace("{number}", invoice.number));
    link.textContent = t("invPdf");
    return link;
  }

  renderTotals(data) {
    const totals = data.totals;
    this.totals.replaceChildren();
    this.totals.hidden = !totals || !data.count;
    if (this.totals.hidden) return;
    for (const [key, label] of [["total_excl_tax", t("invExclTax")], ["total_vat", t("invVat")],
                                ["total_incl_tax", t("invInclTax")], ["amount_due", t("invDueAmount")]]) {
      const item = document.createElement("div");
      item.className = `invoice-totals__item invoice-totals__item--${key}`;
      const term = document.createElement("dt");
      term.textContent = label;
      const value = document.createElement("dd");
      value.dataset.total = key;
      value.textContent = money(totals[key]);
      item.append(term, value);
      this.totals.append(item);
    }
  }
}

customElements.define("portal-invoice-list", PortalInvoiceList);
