// <portal-order-list>: the company's orders with filters (status, period, reference) and the
// .xlsx export of the filtered list. Attributes: src, order_page (the order's page),
// exportable.
import { date, money } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { PortalList } from "../lib/portal-list.js";
import { statusBadge } from "./portal-order-draft.js";

const STATUSES = {
  fr: [["draft", "En préparation"], ["submitted", "Passée"], ["confirmed", "Confirmée"],
    ["delivered", "Livrée"], ["invoiced", "Facturée"], ["cancelled", "Annulée"]],
  en: [["draft", "Being prepared"], ["submitted", "Placed"], ["confirmed", "Confirmed"],
    ["delivered", "Delivered"], ["invoiced", "Invoiced"], ["cancelled", "Cancelled"]],
};

class PortalOrderList extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/orders/"; }

  get orderPage() { return this.getAttribute("order_page") || this.getAttribute("order-page") || ""; }

  // Exportable unless the editor turned it off.

  emptyText() { return t("ordEmpty"); }

  filters() {
    const lang = (document.documentElement.lang || "fr").startsWith("en") ? "en" : "fr";
    return [
      { name: "search", label: t("ordSearch"), type: "search" },
      { name: "status", label: t("ordStatus"), type: "select", options: STATUSES[lang] },
      { name: "created_from", label: t("ordFrom"), type: "date" },
      { name: "created_to", label: t("ordTo"), type: "date" },
    ];
  }

  columns() {
    return [
      { key: "number", label: t("ordNumber"), render: (o) => {
        const text = o.number || t("catDraft");
        if (!this.orderPage) return text;
        const link = document.createElement("a");
        link.href = `${this.orderPage}?order=${o.id}`;
        link.textContent = text;
        return link;
      } },
      { key: "status", label: t("ordStatus"), render: (o) => statusBadge(o) },
      { key: "customer_reference", label: t("ordReference") },
      { key: "created_at", label: t("ordCreated"), render: (o) => date(o.created_at) },
      { key: "submitted_at", label: t("ordSubmitted"), render: (o) => date(o.submitted_at) },
      { key: "prepared_by", label: t("ordPreparedBy"), render: (o) => (o.prepared_by ? o.prepared_by.name : "") },
      { key: "total_incl_tax", label: t("ordTotal"), className: "num", render: (o) => money(o.total_incl_tax) },
    ];
  }
}

customElements.define("portal-order-list", PortalOrderList);
