// <portal-colleagues>: the company's portal users (with the "manage users" right): invite a
// colleague with rights among mine, change a colleague's rights, deactivate him.
// Data and what I may do from /api/v1/colleagues/.
import { api, ApiError } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { PortalElement } from "../lib/portal-element.js";
import { el, showFieldErrors } from "../lib/dom.js";

function textField(name, label, type, autocomplete, required = false) {
  const id = `colleague-${name}`;
  return el("div", { class: "field", "data-field": name },
    el("label", { for: id, text: label + (required ? " *" : "") }),
    el("input", { id, name, type, autocomplete, required, "aria-describedby": `${id}-error` }),
    el("p", { class: "field-error", id: `${id}-error`, "data-error-for": name, hidden: true }));
}

class PortalColleagues extends PortalElement {
  load() {
    return api(this.getAttribute("src") || "/api/v1/colleagues/?page_size=200&ordering=last_name");
  }

  isEmpty() { return false; }

  render(data) {
    this.permissions = data.permissions || {};
    this.notice = el("div", { role: "status" });
    const toolbar = el("div", { class: "toolbar" });
    if (this.permissions.invite) {
      const invite = el("button", { type: "button", class: "button button--primary", "data-action": "invite", text: t("colleagues_invite") });
      invite.addEventListener("click", () => this.openInvite());
      toolbar.append(invite);
    }
    this.formSlot = el("div", { class: "colleagues__form" });
    this.append(this.notice, toolbar, this.formSlot, this.table(data.results));
  }

  label(code) {
    const right = (this.permissions.rights || []).find((r) => r.code === code);
    return right ? right.label : code;
  }

  statusBadge(user) {
    if (!user.is_active) return el("span", { class: "status status--err", text: t("colleagues_inactive") });
    if (user.invitation_pending) return el("span", { class: "status status--warn", text: t("colleagues_pending") });
    return el("span", { class: "status status--ok", text: t("colleagues_active") });
  }

  table(rows) {
    const table = el("table", { class: "data-table" });
    const head = table.createTHead().insertRow();
    const keys = ["contacts_name", "email", "colleagues_role", "colleagues_rights", "colleagues_status", "actions"];
    for (const key of keys) head.append(el("th", { scope: "col", text: t(key) }));
    const body = table.createTBody();
    for (const user of rows) {
      const tr = body.insertRow();
      tr.dataset.id = user.id;
      const name = user.full_name || user.email;
      const nameCell = el("span", {}, name);
      if (user.is_me) nameCell.append(el("span", { class: "muted", text: ` (${t("colleagues_me")})` }));
      const rights = el("ul", { class: "chips" });
      for (const code of user.rights) rights.append(el("li", { class: "chip", text: this.label(code), "data-right": code }));
      const actions = el("div", { class: "row-actions" });
      if (user.permissions.change_rights) {
        const edit = el("button", { type: "button", class: "button button--small", "data-action": "rights", text: t("colleagues_change_rights"), "aria-label": `${t("colleagues_change_rights")} – ${name}` });
        edit.addEventListener("click", () => this.openRights(user));
        actions.append(edit);
      }
      if (user.permissions.deactivate) {
        const off = el("button", { type: "button", class: "button button--small button--danger", "data-action": "deactivate", text: t("colleagues_deactivate"), "aria-label": `${t("colleagues_deactivate")} – ${name}` });
        off.addEventListener("click", () => this.deactivate(user, name));
        actions.append(off);
      }
      if (user.permissions.reactivate) {
        const on = el("button", { type: "button", class: "button button--small", "data-action": "reactivate", text: t("colleagues_reactivate"), "aria-label": `${t("colleagues_reactivate")} – ${name}` });
        on.addEventListener("click", () => this.reactivate(user));
        actions.append(on);
      }
      const cells = [nameCell, user.email, user.role, rights, this.statusBadge(user), actions];
      keys.forEach((key, index) => {
        const td = tr.insertCell();
        td.dataset.label = t(key);
        td.append(cells[index] || "");
      });
    }
    return el("div", { class: "data-table__wrapper" }, table);
  }

  // Checkboxes for every right: only mine can be changed; the others show as they are.
  rightsFieldset(granted = []) {
    const fieldset = el("fieldset", { class: "rights-picker", "data-field": "rights" },
      el("legend", { text: t("colleagues_rights") }),
      el("p", { class: "field__help", text: t("colleagues_rights_help") }));
    for (const right of this.permissions.rights || []) {
      const id = `right-${right.code}`;
      const box = el("input", { type: "checkbox", id, name: "rights", value: right.code, disabled: !right.grantable });
      box.checked = granted.includes(right.code);
      if (!right.grantable && !box.checked) continue; // neither mine nor his: nothing to show
      fieldset.append(el("label", { class: "checkbox", for: id }, box, el("span", { text: right.label })));
    }
    fieldset.append(el("p", { class: "field-error", "data-error-for": "rights", hidden: true }));
    return fieldset;
  }

  formShell(title, submitLabel, onSubmit, ...content) {
    const status = el("div", { role: "status" });
    const cancel = el("button", { type: "button", class: "button", text: t("cancel") });
    cancel.addEventListener("click", () => this.formSlot.replaceChildren());
    const form = el("form", { class: "widget-form card", novalidate: true },
      el("h3", { text: title }), ...content, status,
      el("div", { class: "toolbar" }, el("button", { type: "submit", class: "button button--primary", text: submitLabel }), cancel));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.replaceChildren();
      try {
        await onSubmit(form);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        showFieldErrors(form, error);
        status.append(el("p", { class: "callout callout--error", role: "alert", text: error.message }));
        button.disabled = false;
      }
    });
    this.formSlot.replaceChildren(form);
    return form;
  }

  checkedRights(form) {
    return [...form.querySelectorAll("input[name=rights]:checked")].map((box) => box.value);
  }

  openInvite() {
    const form = this.formShell(t("colleagues_invite"), t("colleagues_invite_send"), async (f) => {
      const body = {
        email: f.elements.email.value.trim(), first_name: f.elements.first_name.value.trim(),
        last_name: f.elements.last_name.value.trim(), rights: this.checkedRights(f),
      };
      await api("/api/v1/colleagues/", { method: "POST", body });
      await this.refresh();
      this.notice.replaceChildren(el("p", { class: "callout callout--success", text: t("colleagues_invited").replace("{email}", body.email) }));
    },
    el("div", { class: "form-grid" },
      textField("email", t("email"), "email", "off", true),
      textField("first_name", t("first_name"), "text", "off"),
      textField("last_name", t("last_name"), "text", "off", true)),
    this.rightsFieldset([]));
    form.elements.email.focus();
  }

  openRights(user) {
    const name = user.full_name || user.email;
    const form = this.formShell(t("colleagues_rights_of").replace("{name}", name), t("save"), async (f) => {
      // Rights I cannot change are sent as they are.
      const kept = user.rights.filter((code) => !(this.permissions.rights || []).find((r) => r.code === code && r.grantable));
      const rights = [...new Set([...kept, ...this.checkedRights(f)])];
      await api(`/api/v1/colleagues/${user.id}/`, { method: "PATCH", body: { rights } });
      await this.refresh();
      this.notice.replaceChildren(el("p", { class: "callout callout--success", text: t("saved") }));
    }, this.rightsFieldset(user.rights));
    form.querySelector("input[name=rights]:not([disabled])")?.focus();
  }

  async reactivate(user) {
    try {
      await api(`/api/v1/colleagues/${user.id}/reactivate/`, { method: "POST" });
      await this.refresh();
    } catch (error) {
      window.alert(error.message);
    }
  }

  async deactivate(user, name) {
    if (!window.confirm(t("colleagues_deactivate_confirm").replace("{name}", name))) return;
    try {
      await api(`/api/v1/colleagues/${user.id}/`, { method: "DELETE" });
      await this.refresh();
    } catch (error) {
      window.alert(error.message);
    }
  }
}

customElements.define("portal-colleagues", PortalColleagues);
