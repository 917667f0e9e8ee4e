// <portal-contacts>: the company's contacts; with the "manage contacts" right, add, edit and
// remove (the API deactivates) them. Data and rights from /api/v1/contacts/.
import { api, ApiError } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { PortalElement } from "../lib/portal-element.js";
import { el, showFieldErrors } from "../lib/dom.js";

const FIELDS = [
  ["first_name", "first_name", "text", "given-name"], ["last_name", "last_name", "text", "family-name"],
  ["role", "contacts_role", "text", "organization-title"], ["email", "email", "email", "email"],
  ["phone", "phone", "tel", "tel"], ["mobile", "mobile", "tel", "tel"],
];

class PortalContacts extends PortalElement {
  load() {
    return api(this.getAttribute("src") || "/api/v1/contacts/?page_size=200&ordering=last_name");
  }

  isEmpty() { return false; }

  render(data) {
    this.permissions = data.permissions || {};
    const toolbar = el("div", { class: "toolbar" });
    if (this.permissions.create) {
      const add = el("button", { type: "button", class: "button button--primary", "data-action": "add", text: t("contacts_add") });
      add.addEventListener("click", () => this.openForm(null));
      toolbar.append(add);
    }
    this.formSlot = el("div", { class: "contacts__form" });
    const list = data.results.length ? this.table(data.results)
      : this.stateNode("empty", t("contacts_empty"));
    this.append(toolbar, this.formSlot, list);
  }

  table(rows) {
    const table = el("table", { class: "data-table" });
    const columns = [["contacts_name"], ["contacts_role"], ["email"], ["phone"], ["mobile"]];
    if (this.permissions.change) columns.push(["actions"]);
    const head = table.createTHead().insertRow();
    for (const [key] of columns) head.append(el("th", { scope: "col", text: t(key) }));
    const body = table.createTBody();
    for (const contact of rows) {
      const tr = body.insertRow();
      tr.dataset.id = contact.id;
      const name = `${contact.first_name} ${contact.last_name}`.trim();
      const email = contact.email ? el("a", { href: `mailto:${contact.email}`, text: contact.email }) : "";
      const phone = contact.phone ? el("a", { href: `tel:${contact.phone.replace(/\s/g, "")}`, text: contact.phone }) : "";
      const cells = [name, contact.role, email, phone, contact.mobile];
      columns.forEach(([key], index) => {
        const td = tr.insertCell();
        td.dataset.label = t(key);
        if (key === "actions") td.append(this.actions(contact, name));
        else td.append(cells[index] || "");
      });
    }
    return el("div", { class: "data-table__wrapper" }, table);
  }

  actions(contact, name) {
    const edit = el("button", { type: "button", class: "button button--small", "data-action": "edit", text: t("edit"), "aria-label": `${t("edit")} ${name}` });
    edit.addEventListener("click", () => this.openForm(contact));
    const remove = el("button", { type: "button", class: "button button--small button--danger", "data-action": "remove", text: t("contacts_remove"), "aria-label": `${t("contacts_remove")} ${name}` });
    remove.addEventListener("click", async () => {
      if (!window.confirm(t("contacts_remove_confirm"))) return;
      try {
        await api(`/api/v1/contacts/${contact.id}/`, { method: "DELETE" });
        this.refresh();
      } catch (error) {
        window.alert(error.message);
      }
    });
    return el("div", { class: "row-actions" }, edit, remove);
  }

  openForm(contact) {
    const status = el("div", { role: "status" });
    const form = el("form", { class: "widget-form card", novalidate: true, "data-form": "contact" },
      el("h3", { text: contact ? t("contacts_edit") : t("contacts_add") }));
    const grid = el("div", { class: "form-grid" });
    for (const [name, label, type, autocomplete] of FIELDS) {
      const id = `contact-${name}`;
      const input = el("input", { id, name, type, autocomplete, "aria-describedby": `${id}-error`, required: name === "last_name" });
      input.value = contact ? contact[name] || "" : "";
      grid.append(el("div", { class: "field", "data-field": name },
        el("label", { for: id, text: t(label) + (name === "last_name" ? " *" : "") }), input,
        el("p", { class: "field-error", id: `${id}-error`, "data-error-for": name, hidden: true })));
    }
    const cancel = el("button", { type: "button", class: "button", text: t("cancel") });
    cancel.addEventListener("click", () => this.formSlot.replaceChildren());
    form.append(grid, status, el("div", { class: "toolbar" },
      el("button", { type: "submit", class: "button button--primary", text: t("save") }), cancel));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = Object.fromEntries(FIELDS.map(([name]) => [name, form.elements[name].value.trim()]));
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.replaceChildren();
      try {
        await api(contact ? `/api/v1/contacts/${contact.id}/` : "/api/v1/contacts/",
                  { method: contact ? "PATCH" : "POST", body });
        this.refresh();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        showFieldErrors(form, error);
        status.append(el("p", { class: "callout callout--error", role: "alert", text: error.message }));
        button.disabled = false;
      }
    });
    this.formSlot.replaceChildren(form);
    form.elements[contact ? "first_name" : "first_name"].focus();
  }
}

customElements.define("portal-contacts", PortalContacts);
