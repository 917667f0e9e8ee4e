// <portal-intervention-create>: a technician creates an intervention on site (an extra job
// found there): client (searched), site and equipment of that client, what is to be done.
// POST /api/v1/interventions/ assigns him and starts it; then the sheet opens
// (sheet_page?intervention=<id>). Attributes: sheet_page.
import { api, ApiError } from "../lib/api.js";
import { el, showFieldErrors } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-intranet.js";
import { clientPicker, fill } from "../lib/intranet.js";
import { PortalElement } from "../lib/portal-element.js";

async function all(path) {
  const items = [];
  for (let next = path; next;) {
    const page = await api(next);
    items.push(...page.results);
    next = page.next;
  }
  return items;
}

class PortalInterventionCreate extends PortalElement {
  async load() { return {}; }

  isEmpty() { return false; }

  render() {
    this.classList.add("tech-create");
    this.notice = el("div", { class: "tech-sheet__notice", role: "status" });
    const form = el("form", { class: "widget-form tech-create__form", novalidate: true });
    this.form = form;
    const site = el("select", { name: "site", id: "create-site", disabled: true, required: true });
    const equipment = el("select", { name: "equipment", id: "create-equipment", disabled: true });
    const description = el("textarea", { name: "description", id: "create-description", rows: "4", required: true,
      placeholder: t("techCreateDescriptionHint") });
    const sites = { list: [] };
    const equipments = { list: [] };

    const fillEquipment = () => {
      const chosenSite = site.value;
      const keep = equipment.value;
      equipment.replaceChildren(new Option(t("techNoEquipment"), ""));
      for (const item of equipments.list) {
        if (chosenSite && item.site && String(item.site) !== chosenSite) continue;
        const label = [item.serial_number, item.label || [item.brand, item.model].filter(Boolean).join(" ")].filter(Boolean).join(" – ");
        equipment.append(new Option(chosenSite ? label : `${label} (${item.site_name || ""})`, item.id));
      }
      equipment.value = [...equipment.options].some((o) => o.value === keep) ? keep : "";
      equipment.disabled = !this.client.value;
    };

    const reset = () => {
      sites.list = [];
      equipments.list = [];
      site.replaceChildren(new Option(t("techChooseClientFirst"), ""));
      site.disabled = true;
      fillEquipment();
    };

    this.client = clientPicker({
      field: "client_account", label: t("techClient"),
      onClear: reset,
      onChoose: async (client) => {
        clearError("client_account");
        site.replaceChildren(new Option(t("loading"), ""));
        try {
          [sites.list, equipments.list] = await Promise.all([
            all(`/api/v1/sites/?client=${client.id}&page_size=100`),
            all(`/api/v1/equipment/?client=${client.id}&page_size=200`),
          ]);
        } catch (error) {
          this.say("error", error.message);
          return;
        }
        site.replaceChildren();
        if (sites.list.length !== 1) site.append(new Option(t("techChooseSite"), ""));
        for (const s of sites.list) site.append(new Option([s.name, s.city].filter(Boolean).join(" – "), s.id));
        site.disabled = false;
        if (!sites.list.length) this.say("warning", fill(t("techClientNoSite"), { name: client.name }));
        fillEquipment();
        site.focus();
      },
    });
    // An error goes away as soon as its field is filled in.
    const clearError = (name) => {
      const node = form.querySelector(`[data-error-for="${name}"]`);
      if (node) { node.hidden = true; node.textContent = ""; }
      form.querySelector(`[name="${name}"]`)?.removeAttribute("aria-invalid");
    };
    for (const type of ["input", "change"]) form.addEventListener(type, (event) => clearError(event.target.name));
    site.addEventListener("change", fillEquipment);
    equipment.addEventListener("change", () => {
      const item = equipments.list.find((e) => String(e.id) === equipment.value);
      if (item && item.site && !site.value) {
        site.value = String(item.site);
        fillEquipment();
        equipment.value = String(item.id);
      }
    });

    const field = (name, label, control, help) => el("div", { class: "field", "data-field": name },
      el("label", { for: control.id, text: label }), control,
      help ? el("p", { class: "field__help", text: help }) : null,
      el("p", { class: "field-error", "data-error-for": name, hidden: true }));
    const submit = el("button", { type: "submit", class: "button button--primary button--block", text: t("techCreateSubmit") });
    form.append(
      el("p", { class: "muted", text: t("techCreateIntro") }),
      this.client.node,
      field("site", t("techSite"), site),
      field("equipment", t("techEquipmentOptional"), equipment),
      field("description", t("techCreateDescription"), description),
      el("div", { class: "toolbar" }, submit));
    reset();

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const local = {};
      if (!this.client.value) local.client_account = [t("techClientRequired")];
      else if (!site.value) local.site = [t("techSiteRequired")];
      if (!description.value.trim()) local.description = [t("techDescriptionRequired")];
      if (Object.keys(local).length) {
        showFieldErrors(form, { fields: local });
        if (local.client_account) this.client.input.focus();
        return;
      }
      submit.disabled = true;
      submit.textContent = t("techCreating");
      // One key per attempt: a double tap or a retry after a network error creates one
      // intervention.
      this.key = this.key || (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
      try {
        const created = await api("/api/v1/interventions/", {
          method: "POST", headers: { "Idempotency-Key": this.key },
          body: { client_account: Number(this.client.value), site: Number(site.value),
                  equipment: equipment.value ? Number(equipment.value) : null, description: description.value.trim() },
        });
        const sheet = this.getAttribute("sheet_page");
        if (sheet) {
          location.href = `${sheet}?intervention=${created.id}`;
          return;
        }
        this.say("success", fill(t("techCreated"), { number: created.number }));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.status !== 0) this.key = null;
        showFieldErrors(form, error);
        this.say("error", error.message);
      }
      submit.disabled = false;
      submit.textContent = t("techCreateSubmit");
    });
    this.append(this.notice, form);
  }

  say(kind, message) {
    const callout = el("div", { class: `callout callout--${kind}` }, el("p", { text: message }));
    callout.setAttribute("role", kind === "error" || kind === "warning" ? "alert" : "status");
    this.notice.replaceChildren(callout);
  }
}

customElements.define("portal-intervention-create", PortalInterventionCreate);
