// <portal-ticket-request>: ask for an intervention. The equipment is picked from the
// company's installed base (searched by serial number, site, model) or its serial number
// typed by hand; the problem is described, maybe marked urgent; the reply-to person is the
// user or one of the company's contacts; photos and documents are attached (a phone's camera
// too). Sent as multipart to POST /api/v1/tickets/ with one Idempotency-Key per form, so a
// double tap creates one request. Attribute: list_page (the requests' list).
import { api, ApiError } from "../lib/api.js";
import { el, showFieldErrors } from "../lib/dom.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-service.js";
import { PortalElement } from "../lib/portal-element.js";
import { equipmentText, fileSize, fill, postForm } from "../lib/service-ui.js";

// Equipment shown at once (fewer on a phone); the search narrows them down.
const PAGE = () => (matchMedia("(max-width: 719px)").matches ? 5 : 8);
// The camera button is for phones and tablets; elsewhere files are picked.
const touch = () => navigator.maxTouchPoints > 0 || matchMedia("(pointer: coarse)").matches;
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);

class PortalTicketRequest extends PortalElement {
  attr(name) { return this.getAttribute(name) || this.getAttribute(name.replace("_", "-")) || ""; }

  // The server's limits (settings.UPLOAD_MAX_FILES / UPLOAD_MAX_BYTES), checked here first.
  get maxFiles() { return Number(this.getAttribute("max-files")) || 10; }

  get maxBytes() { return Number(this.getAttribute("max-bytes")) || 10 * 1024 * 1024; }

  async load() {
    this.classList.add("ticket-request");
    const optional = (promise) => promise.catch(() => null);
    const preset = new URLSearchParams(location.search).get("equipment");
    const [me, contacts, sites, equipment, chosen] = await Promise.all([
      optional(api("/api/v1/me/")),
      optional(api("/api/v1/contacts/?page_size=200&ordering=last_name")),
      optional(api("/api/v1/sites/?page_size=200")),
      // Without the right to see the installed base, the serial number is typed.
      optional(api(`/api/v1/equipment/?active=true&page_size=${PAGE()}`)),
      preset ? optional(api(`/api/v1/equipment/${encodeURIComponent(preset)}/`)) : null,
    ]);
    return { me, contacts: contacts ? contacts.results : [], sites: sites ? sites.results : [], equipment, chosen };
  }

  isEmpty() { return false; }

  render(data) {
    // A form is no live region (every keystroke's redraw would be read out); its notice,
    // errors and search results say what changes.
    this.removeAttribute("aria-live");
    this.data = data;
    this.key = newKey();
    this.files = [];
    this.selected = data.chosen || null;
    this.notice = el("div", { class: "ticket-request__notice" });
    this.form = this.buildForm(data);
    this.append(this.notice, this.form);
  }

  buildForm(data) {
    const form = el("form", { class: "widget-form ticket-request__form", novalidate: true, "data-form": "ticket" });
    form.append(this.equipmentSection(data), this.descriptionField(), this.urgentField(), this.replyToField(data),
      this.attachmentsSection());
    this.submitButton = el("button", { type: "submit", class: "button button--primary", "data-action": "send", text: t("svcReqSend") });
    this.progress = el("span", { class: "muted ticket-request__progress", role: "status" });
    const list = this.attr("list_page");
    form.append(el("div", { class: "toolbar ticket-request__actions" }, this.submitButton, this.progress,
      list ? el("a", { class: "button", href: list, text: t("svcReqMyRequests") }) : null));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    return form;
  }

  // -- equipment: from the installed base, or a serial number typed by hand ------------------
  equipmentSection(data) {
    const canPick = !!data.equipment;
    const section = el("fieldset", { class: "ticket-request__section", "data-field": "equipment" },
      el("legend", { text: `${t("svcReqEquipment")} *` }));
    this.modeInputs = {};
    if (canPick) {
      const modes = el("div", { class: "segmented" });
      for (const [value, label] of [["base", t("svcReqFromBase")], ["typed", t("svcReqTypeSerial")]]) {
        const input = el("input", { type: "radio", name: "equipment_mode", value, checked: value === "base" });
        input.addEventListener("change", () => this.setMode(value));
        this.modeInputs[value] = input;
        modes.append(el("label", { class: "segmented__option" }, input, el("span", { text: label })));
      }
      section.append(modes, this.picker(data));
    }
    const serial = el("input", { id: "ticket-serial", name: "serial_number", autocomplete: "off", maxlength: 60,
      "aria-describedby": "ticket-serial-help ticket-serial-error", spellcheck: "false" });
    this.typed = el("div", { class: "field ticket-request__typed", "data-mode": "typed", hidden: canPick },
      el("label", { for: "ticket-serial", text: t("svcReqSerial") }), serial,
      el("p", { class: "field__help", id: "ticket-serial-help", text: t("svcReqSerialHelp") }),
      el("p", { class: "field-error", id: "ticket-serial-error", "data-error-for": "serial_number", hidden: true }));
    const site = this.siteField(data.sites);
    if (site) this.typed.append(site);
    section.append(this.typed,
      el("p", { class: "field-error", id: "ticket-equipment-error", "data-error-for": "equipment", hidden: true }));
    return section;
  }

  // Where the equipment of a typed serial number is: to choose among several sites, already
  // chosen when the company has only one (the technician must know where to go).
  siteField(sites) {
    if (!sites.length) return null;
    const select = el("select", { id: "ticket-site", name: "site", required: sites.length > 1,
      "aria-describedby": "ticket-site-help ticket-site-error" });
    if (sites.length > 1) select.append(new Option(t("svcReqSiteChoose"), ""));
    for (const site of sites) select.append(new Option(site.city ? `${site.name} (${site.city})` : site.name, site.id));
    if (sites.length === 1) select.value = String(sites[0].id);
    select.addEventListener("change", () => {
      const error = this.form.querySelector("[data-error-for=site]");
      if (select.value && error) error.hidden = true;
    });
    this.typedSite = select;
    return el("div", { class: "field ticket-request__site", "data-field": "site" },
      el("label", { for: "ticket-site", text: sites.length > 1 ? `${t("svcReqSiteOfEquipment")} *` : t("svcReqSiteOfEquipment") }), select,
      el("p", { class: "field__help", id: "ticket-site-help", text: t("svcReqSiteHelp") }),
      el("p", { class: "field-error", id: "ticket-site-error", "data-error-for": "site", hidden: true }));
  }

  picker(data) {
    const search = el("input", { type: "search", id: "ticket-equipment-search", name: "equipment_search",
      autocomplete: "off", "aria-controls": "ticket-equipment-choices", placeholder: t("svcReqSearchPlaceholder") });
    search.addEventListener("input", () => this.searchSoon());
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // searching, not sending the form
        this.searchNow();
      }
    });
    this.search = search;
    const controls = el("div", { class: "ticket-request__search" },
      el("div", { class: "field" }, el("label", { for: "ticket-equipment-search", text: t("svcReqSearch") }), search));
    if (data.sites.length > 1) {
      this.siteSelect = el("select", { id: "ticket-equipment-site", name: "equipment_site" });
      this.siteSelect.append(new Option(t("svcReqAllSites"), ""));
      for (const site of data.sites) this.siteSelect.append(new Option(site.city ? `${site.name} (${site.city})` : site.name, site.id));
      this.siteSelect.addEventListener("change", () => this.searchNow());
      controls.append(el("div", { class: "field" }, el("label", { for: "ticket-equipment-site", text: t("svcReqSite") }), this.siteSelect));
    }
    this.choices = el("div", { class: "equipment-choices", id: "ticket-equipment-choices", role: "radiogroup",
      "aria-label": t("svcReqEquipmentChoices"), "aria-describedby": "ticket-equipment-error" });
    this.choicesInfo = el("p", { class: "muted equipment-choices__info", "aria-live": "polite" });
    this.pickerNode = el("div", { class: "ticket-request__picker", "data-mode": "base" }, controls, this.choices, this.choicesInfo);
    this.showChoices(data.equipment);
    return this.pickerNode;
  }

  setMode(mode) {
    if (this.pickerNode) this.pickerNode.hidden = mode !== "base";
    this.typed.hidden = mode !== "typed";
    if (this.modeInputs[mode]) this.modeInputs[mode].checked = true;
    if (mode === "typed") {
      // The site the base was filtered on is a good guess of where the equipment is.
      if (this.typedSite && !this.typedSite.value && this.siteSelect && this.siteSelect.value) this.typedSite.value = this.siteSelect.value;
      this.typed.querySelector("input").focus();
    }
  }

  get mode() {
    return !this.modeInputs.base || this.modeInputs.typed.checked ? "typed" : "base";
  }

  searchSoon() {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.searchNow(), 250);
  }

  async searchNow() {
    clearTimeout(this.searchTimer);
    const params = new URLSearchParams({ active: "true", page_size: PAGE() });
    const words = this.search.value.trim();
    if (words) params.set("search", words);
    if (this.siteSelect && this.siteSelect.value) params.set("site", this.siteSelect.value);
    const ticket = (this.searchTicket = (this.searchTicket || 0) + 1);
    this.choices.setAttribute("aria-busy", "true");
    try {
      const page = await api(`/api/v1/equipment/?${params}`);
      if (ticket === this.searchTicket) this.showChoices(page);
    } catch (error) {
      if (ticket === this.searchTicket) this.choicesInfo.textContent = error.message;
    } finally {
      if (ticket === this.searchTicket) this.choices.removeAttribute("aria-busy");
    }
  }

  showChoices(page) {
    const rows = [...page.results];
    // The chosen equipment stays on screen (and chosen) whatever the search shows.
    if (this.selected && !rows.some((row) => row.id === this.selected.id)) rows.unshift(this.selected);
    this.choices.replaceChildren(...rows.map((row) => this.choice(row)));
    const words = this.search ? this.search.value.trim() : "";
    this.choicesInfo.replaceChildren();
    if (!page.count) {
      this.choicesInfo.append(t("svcReqNoEquipment"));
      if (words) {
        const typeIt = el("button", { type: "button", class: "button button--small", "data-action": "type-serial",
          text: fill(t("svcReqUseAsSerial"), { serial: words }) });
        typeIt.addEventListener("click", () => {
          this.typed.querySelector("input").value = words;
          this.setMode("typed");
        });
        this.choicesInfo.append(" ", typeIt);
      }
    } else if (page.count > page.results.length) {
      this.choicesInfo.textContent = fill(t("svcReqMoreEquipment"), { shown: page.results.length, count: page.count });
    }
  }

  choice(row) {
    const input = el("input", { type: "radio", name: "equipment", value: row.id,
      checked: !!this.selected && this.selected.id === row.id });
    input.addEventListener("change", () => {
      this.selected = row;
      const error = this.form.querySelector("[data-error-for=equipment]");
      error.hidden = true;
    });
    const what = [[row.brand, row.model].filter(Boolean).join(" "), row.label].filter(Boolean).join(" – ");
    return el("label", { class: "equipment-choice", "data-serial": row.serial_number }, input,
      el("span", { class: "equipment-choice__body" },
        el("strong", { class: "equipment-choice__serial", text: row.serial_number }),
        el("span", { class: "equipment-choice__what", text: what }),
        el("span", { class: "muted equipment-choice__site", text: row.site_name || "" })));
  }

  // -- the problem, urgency, reply-to ---------------------------------------------------------
  descriptionField() {
    const textarea = el("textarea", { id: "ticket-description", name: "description", rows: 5, required: true,
      "aria-describedby": "ticket-description-help ticket-description-error" });
    return el("div", { class: "field", "data-field": "description" },
      el("label", { for: "ticket-description", text: `${t("svcReqDescription")} *` }), textarea,
      el("p", { class: "field__help", id: "ticket-description-help", text: t("svcReqDescriptionHelp") }),
      el("p", { class: "field-error", id: "ticket-description-error", "data-error-for": "description", hidden: true }));
  }

  urgentField() {
    return el("div", { class: "field ticket-request__urgent", "data-field": "urgent" },
      el("label", { class: "checkbox" },
        el("input", { type: "checkbox", name: "urgent", "aria-describedby": "ticket-urgent-help" }),
        el("span", { text: t("svcReqUrgent") })),
      el("p", { class: "field__help", id: "ticket-urgent-help", text: t("svcReqUrgentHelp") }),
      el("p", { class: "field-error", "data-error-for": "urgent", hidden: true }));
  }

  replyToField(data) {
    const select = el("select", { id: "ticket-reply-to", name: "reply_to", "aria-describedby": "ticket-reply-to-help ticket-reply-to-error" });
    const myName = data.me && (data.me.full_name || data.me.email);
    select.append(new Option(myName ? fill(t("svcReqMe"), { name: myName }) : t("svcReqMeShort"), ""));
    const myEmail = data.me && data.me.email ? data.me.email.toLowerCase() : "";
    for (const contact of data.contacts) {
      if (myEmail && (contact.email || "").toLowerCase() === myEmail) continue; // that is "me"
      const name = `${contact.first_name} ${contact.last_name}`.trim();
      const extra = [contact.role, contact.email].filter(Boolean).join(", ");
      select.append(new Option(extra ? `${name} (${extra})` : name, contact.id));
    }
    return el("div", { class: "field", "data-field": "reply_to" },
      el("label", { for: "ticket-reply-to", text: t("svcReqReplyTo") }), select,
      el("p", { class: "field__help", id: "ticket-reply-to-help", text: t("svcReqReplyToHelp") }),
      el("p", { class: "field-error", id: "ticket-reply-to-error", "data-error-for": "reply_to", hidden: true }));
  }

  // -- photos and documents -------------------------------------------------------------------
  attachmentsSection() {
    const pick = el("input", { type: "file", name: "attachments", accept: "image/*,application/pdf", multiple: true,
      class: "upload-button__input", "aria-describedby": "ticket-attachments-help ticket-attachments-error" });
    const camera = el("input", { type: "file", accept: "image/*", capture: "environment",
      class: "upload-button__input", "aria-describedby": "ticket-attachments-help ticket-attachments-error" });
    for (const input of [pick, camera]) {
      input.addEventListener("change", () => {
        this.addFiles([...input.files]);
        input.value = ""; // the same file may be picked again after a removal
      });
    }
    this.fileList = el("ul", { class: "upload-list", "aria-label": t("svcReqFiles") });
    this.fileError = el("p", { class: "field-error", id: "ticket-attachments-error", "data-error-for": "attachments", hidden: true });
    return el("fieldset", { class: "ticket-request__section", "data-field": "attachments" },
      el("legend", { text: t("svcReqAttachments") }),
      el("p", { class: "field__help", id: "ticket-attachments-help",
        text: fill(t("svcReqAttachmentsHelp"), { files: this.maxFiles, size: fileSize(this.maxBytes) }) }),
      el("div", { class: "upload-buttons" },
        el("label", { class: "button upload-button" }, pick, el("span", { text: t("svcReqAddFiles") })),
        el("label", { class: "button upload-button upload-button--camera", hidden: !touch() }, camera, el("span", { text: t("svcReqTakePhoto") }))),
      this.fileList, this.fileError);
  }

  addFiles(files) {
    const problems = [];
    for (const file of files) {
      const image = (file.type || "").startsWith("image/");
      const pdf = file.type === "application/pdf" || /\.pdf$/i.test(file.name);
      if (!image && !pdf) problems.push(fill(t("svcReqBadType"), { name: file.name }));
      else if (file.size > this.maxBytes) problems.push(fill(t("svcReqTooBig"), { name: file.name, size: fileSize(this.maxBytes) }));
      else if (this.files.length >= this.maxFiles) problems.push(fill(t("svcReqTooMany"), { name: file.name, files: this.maxFiles }));
      else this.files.push({ file, url: image ? URL.createObjectURL(file) : null });
    }
    this.drawFiles();
    this.fileError.textContent = problems.join(" ");
    this.fileError.hidden = !problems.length;
  }

  removeFile(entry) {
    if (entry.url) URL.revokeObjectURL(entry.url);
    const index = this.files.indexOf(entry);
    this.files.splice(index, 1);
    this.drawFiles();
    this.fileError.hidden = true;
    // The focus goes to the next file's button, or back to the picker.
    const buttons = this.fileList.querySelectorAll("[data-action=remove-file]");
    (buttons[Math.min(index, buttons.length - 1)] || this.form.elements.attachments).focus();
  }

  drawFiles() {
    this.fileList.replaceChildren(...this.files.map((entry) => {
      const { file } = entry;
      const placeholder = (text) => el("span", { class: "upload-item__thumb upload-item__thumb--doc", "aria-hidden": "true", text });
      const thumb = entry.url ? el("img", { class: "upload-item__thumb", src: entry.url, alt: "" }) : placeholder("PDF");
      // A file named like a photo that is none: no broken image, the server will say why.
      if (entry.url) thumb.addEventListener("error", () => thumb.replaceWith(placeholder("?")), { once: true });
      const remove = el("button", { type: "button", class: "button button--small button--danger", "data-action": "remove-file",
        text: t("svcReqRemove"), "aria-label": fill(t("svcReqRemoveFile"), { name: file.name }) });
      remove.addEventListener("click", () => this.removeFile(entry));
      return el("li", { class: "upload-item", "data-file": file.name }, thumb,
        el("span", { class: "upload-item__name", text: file.name }),
        el("span", { class: "upload-item__size muted", text: fileSize(file.size) }), remove);
    }));
  }

  // -- sending ----------------------------------------------------------------------------------
  check() {
    const fields = {};
    const form = this.form;
    if (!form.elements.description.value.trim()) fields.description = [t("svcReqDescriptionRequired")];
    if (this.mode === "base" && !this.selected) fields.equipment = [t("svcReqEquipmentRequired")];
    if (this.mode === "typed" && !form.elements.serial_number.value.trim()) fields.serial_number = [t("svcReqSerialRequired")];
    if (this.mode === "typed" && this.typedSite && !this.typedSite.value) fields.site = [t("svcReqSiteRequired")];
    return Object.keys(fields).length ? new ApiError(400, { error: { code: "invalid", message: t("fields_invalid"), fields } }) : null;
  }

  async send() {
    if (this.sending) return;
    const problem = this.check();
    if (problem) return this.fail(problem);
    const form = this.form;
    const body = new FormData();
    if (this.mode === "base") body.append("equipment", this.selected.id);
    else {
      body.append("serial_number", form.elements.serial_number.value.trim());
      if (this.typedSite && this.typedSite.value) body.append("site", this.typedSite.value);
    }
    body.append("description", form.elements.description.value.trim());
    body.append("urgent", form.elements.urgent.checked ? "true" : "false");
    body.append("reply_to", form.elements.reply_to.value);
    for (const { file } of this.files) body.append("attachments", file, file.name);

    this.sending = true;
    this.submitButton.disabled = true;
    this.submitButton.textContent = t("svcReqSending");
    this.notice.replaceChildren();
    try {
      const ticket = await postForm(this.getAttribute("src") || "/api/v1/tickets/", body, {
        headers: { "Idempotency-Key": this.key },
        onProgress: this.files.length ? (done) => { this.progress.textContent = fill(t("svcReqProgress"), { percent: Math.round(done * 100) }); } : null,
      });
      this.done(ticket);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.fail(error);
    } finally {
      this.sending = false;
      this.submitButton.disabled = false;
      this.submitButton.textContent = t("svcReqSend");
      this.progress.textContent = "";
    }
  }

  fail(error) {
    // A field the server named that the form does not show (or a serial number in the other
    // mode) still reaches the user, in the message above the form.
    const fields = { ...(error.fields || {}) };
    const shown = new Set([...this.form.querySelectorAll("[data-error-for]")].map((node) => node.dataset.errorFor));
    if (fields.equipment && this.mode === "typed") { fields.serial_number = fields.equipment; delete fields.equipment; }
    if (fields.serial_number && this.mode === "base") { fields.equipment = fields.serial_number; delete fields.serial_number; }
    const extra = Object.entries(fields).filter(([name]) => !shown.has(name)).flatMap(([, messages]) => [].concat(messages));
    showFieldErrors(this.form, { fields });
    if (fields.equipment && this.mode === "base") {
      const first = this.choices.querySelector("input:checked") || this.choices.querySelector("input");
      (first || this.search).focus();
    }
    // Messages shown on their fields are not repeated above the form.
    const onFields = Object.keys(fields).some((name) => shown.has(name));
    const callout = el("div", { class: "callout callout--error", role: "alert" },
      el("p", { text: onFields ? t("svcReqFixFields") : error.message }));
    if (extra.length) callout.append(el("ul", {}, ...extra.map((text) => el("li", { text }))));
    this.notice.replaceChildren(callout);
    if (!Object.keys(fields).length) callout.scrollIntoView({ block: "nearest" });
  }

  done(ticket) {
    for (const { url } of this.files) if (url) URL.revokeObjectURL(url);
    const list = this.attr("list_page");
    const heading = el("h3", { tabindex: "-1", text: fill(t("svcReqSent"), { number: ticket.number }) });
    const again = el("button", { type: "button", class: "button", "data-action": "again", text: t("svcReqAnother") });
    again.addEventListener("click", () => this.refresh());
    const callout = el("div", { class: "callout callout--success ticket-request__done", role: "status", "data-ticket": ticket.number },
      heading, el("p", { text: ticket.urgent ? t("svcReqSentUrgent") : t("svcReqSentText") }),
      el("div", { class: "toolbar" },
        list ? el("a", { class: "button button--primary", href: `${list}?ticket=${ticket.id}`, "data-action": "follow", text: t("svcReqFollow") }) : null,
        list ? el("a", { class: "button", href: list, text: t("svcReqMyRequests") }) : null,
        again));
    this.replaceChildren(callout);
    heading.focus();
  }
}

customElements.define("portal-ticket-request", PortalTicketRequest);
