// <portal-account>: my details (form: first name, last name, phone; the e-mail is read-only)
// and my company's card (legal ids, billing address, sites), from /api/v1/me/ and /company/.
import { api, ApiError } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { PortalElement } from "../lib/portal-element.js";
import { el, showFieldErrors } from "../lib/dom.js";

// A labelled input with a place for its error (filled from ApiError.fields).
function field(name, label, { value = "", type = "text", readonly = false, help = "", autocomplete } = {}) {
  const id = `account-${name}`;
  const input = el("input", { id, name, type, readonly, autocomplete, "aria-describedby": `${id}-error` });
  input.value = value ?? "";
  const wrapper = el("div", { class: "field", "data-field": name },
    el("label", { for: id, text: label }), input);
  if (help) wrapper.append(el("p", { class: "field__help", text: help }));
  wrapper.append(el("p", { class: "field-error", id: `${id}-error`, "data-error-for": name, hidden: true }));
  return wrapper;
}

class PortalAccount extends PortalElement {
  async load() {
    const me = await api("/api/v1/me/");
    const company = me.kind === "client" ? await api("/api/v1/company/") : null;
    return { me, company };
  }

  render({ me, company }) {
    const grid = el("div", { class: "account-grid" }, this.detailsCard(me));
    if (company) grid.append(this.companyCard(company));
    this.append(grid);
  }

  detailsCard(me) {
    const status = el("div", { class: "form-status", role: "status" });
    const form = el("form", { class: "widget-form", novalidate: true, "data-form": "me" },
      field("first_name", t("first_name"), { value: me.first_name, autocomplete: "given-name" }),
      field("last_name", t("last_name"), { value: me.last_name, autocomplete: "family-name" }),
      field("phone", t("phone"), { value: me.phone, type: "tel", autocomplete: "tel" }),
      field("email", t("email"), { value: me.email, type: "email", readonly: true, help: t("email_readonly") }),
      status,
      el("div", { class: "toolbar" }, el("button", { type: "submit", class: "button button--primary", text: t("save") })),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.replaceChildren();
      const body = Object.fromEntries(["first_name", "last_name", "phone"].map((n) => [n, form.elements[n].value]));
      try {
        await api("/api/v1/me/", { method: "PATCH", body });
        showFieldErrors(form, null);
        status.append(el("p", { class: "callout callout--success", text: t("saved") }));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        showFieldErrors(form, error);
        status.append(el("p", { class: "callout callout--error", role: "alert", text: error.message }));
      } finally {
        button.disabled = false;
      }
    });
    return el("section", { class: "card account-card" }, el("h3", { text: t("account_details") }), form);
  }

  companyCard(company) {
    const rows = [
      [t("company"), company.name, "name"], [t("company_code"), company.code, "code"],
      [t("siret"), company.siret, "siret"], [t("vat_number"), company.vat_number, "vat_number"],
      [t("billing_address"), company.full_address, "address"], [t("email"), company.email, "email"],
      [t("phone"), company.phone, "phone"],
    ];
    const list = el("dl", { class: "details" });
    for (const [label, value, key] of rows) {
      if (!value) continue;
      list.append(el("dt", { text: label }), el("dd", { text: value, "data-field": `company-${key}` }));
    }
    const sites = el("ul", { class: "site-list" });
    for (const site of company.sites) {
      const address = [site.address, `${site.postal_code} ${site.city}`.trim()].filter(Boolean).join(", ");
      sites.append(el("li", {}, el("strong", { text: site.name }), el("span", { class: "muted", text: address })));
    }
    if (!company.sites.length) sites.append(el("li", { class: "muted", text: t("no_sites") }));
    return el("section", { class: "card account-card", "data-card": "company" },
      el("h3", { text: t("account_company") }), list, el("h4", { text: t("sites") }), sites);
  }
}

customElements.define("portal-account", PortalAccount);
