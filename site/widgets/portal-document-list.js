// <portal-document-list>: the company's documents (contracts, orders, invoices, intervention
// reports…), newest first by their own date (an invoice's issue date, an order's placement…),
// filterable by kind and period, each downloaded as an attachment. The kind filter offers
// only the kinds the API says the user has documents of (`kinds` of the list's answer).
// Attribute: src.
import { date } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { PortalList } from "../lib/portal-list.js";

// A kind's name in the page's language, else the API's label.
const kindLabel = (kind, fallback) => {
  const key = `docKind_${kind}`;
  return t(key) === key ? fallback || kind : t(key);
};

function fileSize(bytes) {
  if (!bytes) return "";
  const lang = (document.documentElement.lang || "fr").startsWith("en") ? "en-GB" : "fr-FR";
  const units = lang === "fr-FR" ? ["o", "Ko", "Mo", "Go"] : ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

class PortalDocumentList extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/documents/"; }

  emptyText() { return t("docEmpty"); }

  connectedCallback() {
    if (!this.listensForKinds) {
      this.listensForKinds = true;
      this.addEventListener("portal-list:loaded", (event) => this.offerKinds(event.detail.kinds));
    }
    super.connectedCallback();
  }

  // The kind filter's options: the kinds the user has documents of; the chosen one (from the
  // form, the address or a bookmark, kept by PortalList while the options were unknown) stays.
  offerKinds(kinds) {
    const select = this.form && this.form.elements.namedItem("kind");
    if (!select || !Array.isArray(kinds)) return;
    const current = this.params.get("kind") || select.value;
    select.replaceChildren(new Option(t("all"), ""),
      ...kinds.map((kind) => new Option(kindLabel(kind.value, kind.label), kind.value)));
    select.value = kinds.some((kind) => kind.value === current) ? current : "";
  }

  filters() {
    return [
      // Options from the API's answer (offerKinds), once the first page is loaded.
      { name: "kind", label: t("docKind"), type: "select", options: [] },
      { name: "date_from", label: t("docFrom"), type: "date" },
      { name: "date_to", label: t("docTo"), type: "date" },
    ];
  }

  columns() {
    return [
      { key: "title", label: t("docTitle") },
      { key: "kind", label: t("docKind"), render: (d) => {
        const badge = document.createElement("span");
        badge.className = "status";
        badge.dataset.kind = d.kind;
        badge.textContent = kindLabel(d.kind, d.kind_label);
        return badge;
      } },
      { key: "document_date", label: t("docDate"), render: (d) => date(d.document_date) },
      { key: "size", label: t("docSize"), className: "num", render: (d) => fileSize(d.size) },
      { key: "download", label: t("docDownload"), render: (d) => {
        const link = document.createElement("a");
        link.className = "button button--small";
        link.href = d.download_url;
        link.setAttribute("download", "");
        link.dataset.action = "download";
        link.setAttribute("aria-label", t("docDownloadFor").replace("{title}", d.title));
        link.textContent = t("docDownload");
        return link;
      } },
    ];
  }
}

customElements.define("portal-document-list", PortalDocumentList);
