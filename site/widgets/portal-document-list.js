// <portal-document-list>: the company's documents (contracts, orders, invoices, intervention
// reports…), filterable by kind and period, each downloaded as an attachment. Attribute: src.
import { date } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import { PortalList } from "../lib/portal-list.js";

const KINDS = ["contract", "order", "invoice", "intervention_report", "attachment", "other", "export"];

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

  filters() {
    return [
      { name: "kind", label: t("docKind"), type: "select", options: KINDS.map((k) => [k, t(`docKind_${k}`)]) },
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
        badge.textContent = t(`docKind_${d.kind}`) === `docKind_${d.kind}` ? d.kind_label : t(`docKind_${d.kind}`);
        return badge;
      } },
      { key: "created_at", label: t("docDate"), render: (d) => date(d.created_at) },
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
