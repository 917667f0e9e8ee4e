// <portal-intervention-sheet>: the technician's intervention sheet, phone first, from
// ?intervention=<id> in the page's address (or the `intervention` attribute).
// - Sheet fields (times with a "Maintenant" button, meter reading, work done, comments,
//   warranty, contract) are PATCHed on change and with the Save button. A save that fails for
//   want of a connection keeps the typed data on the page and in localStorage (keyed by the
//   intervention), says so, and is retried when the browser is back online, every 20 s and on
//   the next save; a reload with an unsaved copy restores it and offers to send it.
// - Lines from the technicians' catalogue, time entries, expenses (receipt photo) and
//   documents/photos (GED) are sent at once.
// - "Faire signer le client": signer's name and a signature pad; once signed the sheet is
//   read-only with the signer, the date and the report PDF.
// Attributes: list_page.
import SignaturePad from "signature_pad";
import { api, ApiError } from "../lib/api.js";
import { el, showFieldErrors } from "../lib/dom.js";
import { date, dateTime, money, number, quantityWithUnit, unitName } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-intranet.js";
import { fill, isConnectionError, nowInput, sendForm, statusBadge, toLocalInput, todayParis, urgentMark } from "../lib/intranet.js";
import { PortalElement } from "../lib/portal-element.js";

const TIMES = ["departure_at", "arrival_at", "end_at", "return_at"];
const SHEET_FIELDS = [...TIMES, "meter_reading", "work_done", "comments", "under_warranty", "contract"];
const TIME_KINDS = ["work", "travel"];
const EXPENSE_KINDS = ["meal", "fuel", "toll", "parking", "lodging", "other"];
const RETRY_MS = 20_000;
const REPORT_POLLS = 8;

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const fieldLabel = (name) => t(`techField_${name}`);

class PortalInterventionSheet extends PortalElement {
  get interventionId() {
    return new URLSearchParams(location.search).get("intervention") || this.getAttribute("intervention");
  }

  get storageKey() { return `portal-intervention-sheet:${this.interventionId}`; }

  connectedCallback() {
    this.classList.add("tech-sheet");
    this.pending = {};
    this.notice = el("div", { class: "tech-sheet__notice", role: "status" });
    this.onOnline = () => { if (Object.keys(this.pending).length) this.save(); };
    window.addEventListener("online", this.onOnline);
    super.connectedCallback();
  }

  disconnectedCallback() {
    window.removeEventListener("online", this.onOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.saveTimer);
    clearTimeout(this.pollTimer);
    if (this.resizeObserver) this.resizeObserver.disconnect();
  }

  async load() {
    if (!this.interventionId) return { missing: true };
    return api(`/api/v1/interventions/${this.interventionId}/`);
  }

  isEmpty() { return false; }

  render(data) {
    if (data.missing) {
      const list = this.getAttribute("list_page");
      this.append(el("p", { class: "muted", text: t("techSheetMissing") }),
        list ? el("a", { class: "button", href: list, text: t("techBackToList") }) : null);
      return;
    }
    this.data = data;
    this.restoreCopy();
    this.draw();
  }

  get readOnly() { return !!this.data.signed_at || !this.data.can.edit; }

  // -- drawing ---------------------------------------------------------------------------

  draw() {
    const data = this.data;
    this.form = null;
    this.replaceChildren(this.notice, this.header(data), this.jumpNav());
    if (this.readOnly) {
      this.append(this.summary(data));
    } else {
      this.form = this.sheetForm(data);
      this.append(this.form);
    }
    this.sections = {
      lines: this.linesSection(data), time: this.timeSection(data), expenses: this.expensesSection(data),
      documents: this.documentsSection(data), signature: this.signatureSection(data),
    };
    this.append(...Object.values(this.sections));
    if (!this.readOnly) this.append(this.saveBar());
    const list = this.getAttribute("list_page");
    if (list) this.append(el("p", { class: "tech-sheet__back" }, el("a", { href: list, text: `← ${t("techBackToList")}` })));
    const state = Object.keys(this.pending).length ? (this.syncState === "offline" ? "offline" : "dirty") : "idle";
    this.syncState = null;
    this.setSync(state);
  }

  redrawSection(name) {
    const builders = { lines: this.linesSection, time: this.timeSection, expenses: this.expensesSection,
      documents: this.documentsSection, signature: this.signatureSection };
    const fresh = builders[name].call(this, this.data);
    this.sections[name].replaceWith(fresh);
    this.sections[name] = fresh;
  }

  header(data) {
    const facts = el("dl", { class: "details tech-sheet__facts" });
    const add = (label, value, field) => {
      if (!value) return;
      const dd = el("dd", {}, value);
      if (field) dd.dataset.field = field;
      facts.append(el("dt", { text: label }), dd);
    };
    add(t("techClient"), data.client.name, "client");
    add(t("techSite"), el("span", {}, el("strong", { text: data.site.name }),
      data.site.address ? el("span", { class: "tech-sheet__address", text: data.site.address }) : null), "site");
    if (data.equipment) {
      add(t("techEquipment"), `${data.equipment.serial_number}${data.equipment.label ? ` – ${data.equipment.label}` : ""}`, "equipment");
    } else if (data.serial_number_typed) {
      // The serial number the client typed: what the technician looks for on the plate.
      add(t("techEquipment"), el("span", {}, el("strong", { text: data.serial_number_typed }),
        el("span", { class: "tech-sheet__address", text: t("techSerialTyped") })), "equipment");
    }
    if (data.planned_start) {
      let window = dateTime(data.planned_start);
      if (data.planned_end) {
        const end = dateTime(data.planned_end);
        // Same day: "28/11/2026 08:30 → 11:00".
        window += ` → ${end.slice(0, 10) === window.slice(0, 10) ? end.slice(-5) : end}`;
      }
      add(t("techPlanned"), window);
    }
    if (data.ticket) add(t("techTicket"), data.ticket.number);
    if (data.technicians && data.technicians.length) add(t("techTechnicians"), data.technicians.map((p) => p.name).join(", "));
    add(t("techReason"), data.description, "description");
    this.statusNode = statusBadge(data);
    return el("section", { class: "tech-sheet__header card" },
      el("div", { class: "tech-sheet__title" }, el("h3", { "data-field": "number", text: data.number }),
        el("span", { class: "tech-badges" }, urgentMark(data), this.statusNode)),
      facts);
  }

  jumpNav() {
    const items = [["times", t("techTimes")], ["lines", t("techLines")], ["time", t("techTimeEntries")],
      ["expenses", t("techExpenses")], ["documents", t("techDocuments")], ["signature", t("techSignature")]];
    const nav = el("nav", { class: "tech-sheet__jump", "aria-label": t("techSections") });
    for (const [id, label] of items) nav.append(el("a", { href: `#sheet-${id}`, text: label }));
    return nav;
  }

  section(id, title, ...children) {
    return el("section", { class: "tech-sheet__section card", id: `sheet-${id}`, "aria-labelledby": `sheet-${id}-title` },
      el("h3", { id: `sheet-${id}-title`, text: title }), ...children);
  }

  // The value an input shows: the unsaved one if any, else the server's.
  shown(name) {
    if (name in this.pending) return this.pending[name];
    const value = this.data[name];
    if (TIMES.includes(name)) return toLocalInput(value);
    if (name === "contract") return value ? value.id : null;
    return value;
  }

  sheetForm(data) {
    const form = el("form", { class: "widget-form tech-sheet__form", novalidate: true });
    form.addEventListener("submit", (event) => { event.preventDefault(); this.save(); });

    const times = el("div", { class: "tech-times" });
    for (const name of TIMES) {
      const input = el("input", { type: "datetime-local", name, id: `sheet-${name}`, value: this.shown(name) || "" });
      const now = el("button", { type: "button", class: "button tech-now", "data-now": name, text: t("techNow"),
        "aria-label": fill(t("techNowFor"), { field: fieldLabel(name) }) });
      now.addEventListener("click", () => {
        input.value = nowInput();
        this.changed(name, input.value, true);
      });
      input.addEventListener("change", () => this.changed(name, input.value || null));
      times.append(el("div", { class: "field tech-time", "data-field": name },
        el("div", { class: "tech-time__head" }, el("label", { for: `sheet-${name}`, text: fieldLabel(name) }), now),
        input,
        el("p", { class: "field-error", "data-error-for": name, hidden: true })));
    }

    const meter = el("input", { type: "number", name: "meter_reading", id: "sheet-meter_reading", min: "0", step: "0.01",
      inputmode: "decimal", value: this.shown("meter_reading") ?? "" });
    meter.addEventListener("change", () => this.changed("meter_reading", meter.value === "" ? null : meter.value));
    const work = el("textarea", { name: "work_done", id: "sheet-work_done", rows: "4" });
    work.value = this.shown("work_done") || "";
    const comments = el("textarea", { name: "comments", id: "sheet-comments", rows: "3" });
    comments.value = this.shown("comments") || "";
    for (const area of [work, comments]) {
      area.addEventListener("change", () => this.changed(area.name, area.value));
      area.addEventListener("input", () => { this.pending[area.name] = area.value; this.persist(); this.setSync("dirty"); });
    }

    const warranty = el("input", { type: "checkbox", name: "under_warranty", id: "sheet-under_warranty" });
    warranty.checked = !!this.shown("under_warranty");
    warranty.addEventListener("change", () => this.changed("under_warranty", warranty.checked));
    const warrantyHint = data.equipment
      ? t(data.warranty_proposed ? "techWarrantyProposedYes" : "techWarrantyProposedNo")
      : t("techWarrantyNoEquipment");

    const contract = el("select", { name: "contract", id: "sheet-contract" });
    contract.append(new Option(t("techNoContract"), ""));
    for (const c of data.contracts || []) contract.append(new Option(c.title ? `${c.number} – ${c.title}` : c.number, c.id));
    const current = this.shown("contract");
    contract.value = current ? String(current) : "";
    contract.addEventListener("change", () => this.changed("contract", contract.value ? Number(contract.value) : null));
    const proposed = data.contract_proposed;
    const contractHint = proposed ? fill(t("techContractProposed"), { number: proposed.number }) : t("techContractNone");

    const field = (name, control, extra = null) => el("div", { class: "field", "data-field": name },
      el("label", { for: `sheet-${name}`, text: fieldLabel(name) }), control, extra,
      el("p", { class: "field-error", "data-error-for": name, hidden: true }));

    form.append(
      this.section("times", t("techTimes"), times),
      this.section("work", t("techWork"),
        field("meter_reading", meter, el("p", { class: "field__help", text: data.equipment ? t("techMeterHelp") : t("techMeterNoEquipment") })),
        field("work_done", work), field("comments", comments)),
      this.section("billing", t("techWarrantyContract"),
        el("div", { class: "field", "data-field": "under_warranty" },
          el("label", { class: "checkbox tech-check", for: "sheet-under_warranty" }, warranty, el("span", { text: fieldLabel("under_warranty") })),
          el("p", { class: "field__help", "data-hint": "warranty", text: warrantyHint }),
          el("p", { class: "field-error", "data-error-for": "under_warranty", hidden: true })),
        field("contract", contract, el("p", { class: "field__help", "data-hint": "contract", text: contractHint }))),
    );
    // The server pre-sets both from the equipment when the intervention is created; when the
    // sheet says otherwise, one tap applies the proposal again.
    const offer = (hint, differs, label, apply) => {
      const button = el("button", { type: "button", class: "button button--small tech-propose", text: label });
      button.addEventListener("click", () => { apply(); button.hidden = true; });
      button.hidden = !differs();
      hint.append(" ", button);
      return () => { button.hidden = !differs(); };
    };
    const warrantyOffer = data.warranty_proposed ? offer(form.querySelector('[data-hint="warranty"]'), () => !warranty.checked,
      t("techApplyWarranty"), () => { warranty.checked = true; this.changed("under_warranty", true, true); }) : null;
    const contractOffer = proposed ? offer(form.querySelector('[data-hint="contract"]'), () => contract.value !== String(proposed.id),
      fill(t("techApplyContract"), { number: proposed.number }), () => { contract.value = String(proposed.id); this.changed("contract", proposed.id, true); }) : null;
    if (warrantyOffer) warranty.addEventListener("change", warrantyOffer);
    if (contractOffer) contract.addEventListener("change", contractOffer);
    return form;
  }

  summary(data) {
    const dl = el("dl", { class: "details tech-sheet__summary" });
    const add = (name, value) => {
      const dd = el("dd", { "data-field": name }, value || el("span", { class: "muted", text: "—" }));
      dl.append(el("dt", { text: fieldLabel(name) }), dd);
    };
    for (const name of TIMES) add(name, dateTime(data[name]));
    add("meter_reading", data.meter_reading != null ? number(data.meter_reading, 2) : "");
    add("work_done", data.work_done ? el("span", { class: "tech-sheet__text", text: data.work_done }) : "");
    add("comments", data.comments ? el("span", { class: "tech-sheet__text", text: data.comments }) : "");
    add("under_warranty", data.under_warranty ? t("techYes") : t("techNo"));
    add("contract", data.contract ? data.contract.number : "");
    const callout = data.signed_at ? null
      : el("div", { class: "callout" }, el("p", { text: t("techReadOnly") }));
    return this.section("times", t("techSheet"), callout, dl);
  }

  // -- lines -----------------------------------------------------------------------------

  linesSection(data) {
    const section = this.section("lines", t("techLines"));
    if (!data.lines.length) section.append(el("p", { class: "muted", text: t("techNoLines") }));
    else {
      const list = el("ul", { class: "tech-items", "data-list": "lines" });
      for (const line of data.lines) {
        const label = line.label || line.article.label;
        const item = el("li", { class: "tech-item", "data-line": line.id, "data-reference": line.article.reference },
          el("div", { class: "tech-item__main" },
            el("strong", { text: label }),
            el("span", { class: "muted", text: `${line.article.reference} · ${money(line.unit_price_excl_tax)} / ${unitName(line.article.unit)}` })));
        // Each line's total (HT), editable or not.
        const total = el("span", { class: "tech-item__amount", "data-field": "line_total", text: money(line.total_excl_tax) });
        if (this.readOnly) {
          item.append(el("div", { class: "tech-item__side" },
            el("span", { "data-field": "quantity", text: quantityWithUnit(line.quantity, line.article.unit) }), total));
        } else {
          const quantity = el("input", { type: "number", min: "0.001", step: "any", inputmode: "decimal", class: "tech-qty",
            value: Number(line.quantity), "aria-label": fill(t("techQuantityOf"), { label }) });
          quantity.addEventListener("change", () => this.lineUpdate(line, quantity));
          const remove = el("button", { type: "button", class: "button button--danger tech-icon-button", text: "✕",
            title: t("techRemove"), "aria-label": fill(t("techRemoveItem"), { label }) });
          remove.addEventListener("click", () => this.mutate(`/api/v1/interventions/${data.id}/lines/${line.id}/`, { method: "DELETE" }, "lines"));
          item.append(el("div", { class: "tech-item__side" }, quantity,
            el("span", { class: "muted", text: unitName(line.article.unit, line.quantity) }), total, remove));
        }
        list.append(item);
      }
      // The sheet's total (HT): the sum of the lines' totals, in cents to add exactly.
      const cents = data.lines.reduce((sum, line) => sum + Math.round(Number(line.total_excl_tax) * 100), 0);
      section.append(list, el("p", { class: "tech-lines__total", "data-field": "lines_total" },
        el("span", { text: t("techLinesTotal") }), el("strong", { text: money(cents / 100) })));
    }
    if (!this.readOnly) section.append(this.articleSearch(data));
    return section;
  }

  articleSearch(data) {
    const input = el("input", { type: "search", name: "article_search", id: "sheet-article-search", autocomplete: "off",
      placeholder: t("techArticleSearchHint") });
    const results = el("ul", { class: "tech-items tech-search__results", "data-list": "articles" });
    const form = el("form", { class: "tech-search", role: "search" },
      el("label", { for: "sheet-article-search", text: t("techArticleSearch") }),
      el("div", { class: "tech-search__row" }, input, el("button", { type: "submit", class: "button", text: t("techSearch") })),
      results);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      results.replaceChildren(el("li", { class: "muted", text: t("loading") }));
      try {
        const page = await api(`/api/v1/articles/?search=${encodeURIComponent(input.value.trim())}&page_size=10`);
        results.replaceChildren();
        if (!page.results.length) results.append(el("li", { class: "muted", text: t("techNoArticle") }));
        for (const article of page.results) results.append(this.articleResult(data, article));
      } catch (error) {
        results.replaceChildren(el("li", { class: "field-error", text: error.message }));
      }
    });
    return form;
  }

  articleResult(data, article) {
    const quantity = el("input", { type: "number", min: "0.001", step: "any", inputmode: "decimal", value: "1", class: "tech-qty",
      "aria-label": fill(t("techQuantityOf"), { label: article.label }) });
    const add = el("button", { type: "button", class: "button button--primary", text: t("techAdd"),
      "aria-label": fill(t("techAddItem"), { label: article.label }) });
    add.addEventListener("click", async () => {
      add.disabled = true;
      const ok = await this.mutate(`/api/v1/interventions/${data.id}/lines/`,
        { method: "POST", body: { article: article.id, quantity: quantity.value || "1" } }, "lines");
      add.disabled = false;
      if (ok) this.say("success", fill(t("techLineAdded"), { label: article.label }));
    });
    return el("li", { class: "tech-item", "data-article": article.reference },
      el("div", { class: "tech-item__main" },
        el("strong", { text: article.label }),
        el("span", { class: "muted", text: [article.reference, article.kind_label, article.unit_label].filter(Boolean).join(" · ") })),
      el("div", { class: "tech-item__side" }, quantity, add));
  }

  async lineUpdate(line, input) {
    const ok = await this.mutate(`/api/v1/interventions/${this.data.id}/lines/${line.id}/`,
      { method: "PATCH", body: { quantity: input.value } }, "lines");
    if (!ok) input.value = Number(line.quantity);
  }

  // -- time entries and expenses ----------------------------------------------------------

  timeSection(data) {
    const section = this.section("time", t("techTimeEntries"));
    const rows = data.time_entries.map((entry) => this.entryItem(entry, `${number(entry.hours, 2)} h`,
      `/api/v1/interventions/${data.id}/time-entries/${entry.id}/`, "time"));
    section.append(rows.length ? el("ul", { class: "tech-items", "data-list": "time_entries" }, ...rows)
      : el("p", { class: "muted", text: t("techNoTimeEntries") }));
    if (this.readOnly) return section;
    const kind = el("select", { name: "kind", id: "time-kind" }, ...TIME_KINDS.map((k) => new Option(t(`techTimeKind_${k}`), k)));
    const day = el("input", { type: "date", name: "date", id: "time-date", value: todayParis() });
    const hours = el("input", { type: "number", name: "hours", id: "time-hours", min: "0.25", max: "24", step: "0.25", inputmode: "decimal" });
    const comment = el("input", { type: "text", name: "comment", id: "time-comment", maxlength: "255" });
    const form = this.addForm("time", [["kind", kind], ["date", day], ["hours", hours], ["comment", comment]], t("techAddTime"),
      (f) => this.mutate(`/api/v1/interventions/${data.id}/time-entries/`,
        { method: "POST", body: { kind: kind.value, date: day.value, hours: hours.value, comment: comment.value } }, "time", f));
    section.append(form);
    return section;
  }

  expensesSection(data) {
    const section = this.section("expenses", t("techExpenses"));
    const rows = data.expenses.map((expense) => this.entryItem(expense, money(expense.amount),
      `/api/v1/interventions/${data.id}/expenses/${expense.id}/`, "expenses",
      expense.receipt_url ? el("a", { href: expense.receipt_url, text: t("techReceipt") }) : null));
    section.append(rows.length ? el("ul", { class: "tech-items", "data-list": "expenses" }, ...rows)
      : el("p", { class: "muted", text: t("techNoExpenses") }));
    if (this.readOnly) return section;
    const kind = el("select", { name: "kind", id: "expense-kind" }, ...EXPENSE_KINDS.map((k) => new Option(t(`techExpenseKind_${k}`), k)));
    const day = el("input", { type: "date", name: "date", id: "expense-date", value: todayParis() });
    const amount = el("input", { type: "number", name: "amount", id: "expense-amount", min: "0.01", step: "0.01", inputmode: "decimal" });
    const comment = el("input", { type: "text", name: "comment", id: "expense-comment", maxlength: "255" });
    const receipt = el("input", { type: "file", name: "receipt", id: "expense-receipt", accept: "image/*,application/pdf", capture: "environment" });
    const form = this.addForm("expense", [["kind", kind], ["date", day], ["amount", amount], ["comment", comment], ["receipt", receipt]],
      t("techAddExpense"), (f) => {
        const body = new FormData();
        body.append("kind", kind.value);
        body.append("date", day.value);
        body.append("amount", amount.value);
        body.append("comment", comment.value);
        if (receipt.files[0]) body.append("receipt", receipt.files[0]);
        return this.mutate(`/api/v1/interventions/${data.id}/expenses/`, { form: body }, "expenses", f);
      });
    section.append(form);
    return section;
  }

  entryItem(entry, amount, url, section, extra = null) {
    const item = el("li", { class: "tech-item", "data-entry": entry.id },
      el("div", { class: "tech-item__main" },
        el("strong", { text: entry.kind_label }),
        el("span", { class: "muted", text: [date(entry.date), entry.technician && entry.technician.name, entry.comment].filter(Boolean).join(" · ") }),
        extra),
      el("div", { class: "tech-item__side" }, el("span", { class: "tech-item__amount", text: amount })));
    if (!this.readOnly) {
      const remove = el("button", { type: "button", class: "button button--danger tech-icon-button", text: "✕", title: t("techRemove"),
        "aria-label": fill(t("techRemoveItem"), { label: `${entry.kind_label} ${date(entry.date)}` }) });
      remove.addEventListener("click", () => this.mutate(url, { method: "DELETE" }, section));
      item.lastChild.append(remove);
    }
    return item;
  }

  // A small "add" form inside <details>: fields with their errors, one submit button.
  addForm(prefix, fields, submitLabel, submit) {
    const form = el("form", { class: "widget-form tech-add", novalidate: true });
    const grid = el("div", { class: "tech-add__grid" });
    for (const [name, control] of fields) {
      grid.append(el("div", { class: "field", "data-field": name },
        el("label", { for: control.id, text: t(`tech_${prefix}_${name}`) }), control,
        el("p", { class: "field-error", "data-error-for": name, hidden: true })));
    }
    const button = el("button", { type: "submit", class: "button button--primary", text: t("techAdd") });
    form.append(grid, el("div", { class: "toolbar" }, button));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      await submit(form);
      button.disabled = false;
    });
    return el("details", { class: "tech-add__details" }, el("summary", { class: "button", text: submitLabel }), form);
  }

  // -- documents -------------------------------------------------------------------------

  documentsSection(data) {
    const section = this.section("documents", t("techDocuments"));
    // Receipts are shown with their expense.
    const documents = data.documents.filter((doc) => doc.kind !== "receipt");
    if (!documents.length) section.append(el("p", { class: "muted", text: t("techNoDocuments") }));
    else {
      const list = el("ul", { class: "tech-items", "data-list": "documents" });
      for (const doc of documents) {
        const kind = t(`techDocKind_${doc.kind}`);
        const image = (doc.content_type || "").startsWith("image/");
        list.append(el("li", { class: "tech-item tech-doc", "data-document": doc.id },
          image ? el("img", { class: "tech-doc__thumb", src: doc.download_url, alt: "" }) : el("span", { class: "tech-doc__type", "aria-hidden": "true", text: (doc.content_type || "").includes("pdf") ? "PDF" : "DOC" }),
          el("div", { class: "tech-item__main" },
            el("a", { href: doc.download_url, text: doc.title }),
            el("span", { class: "muted", text: [kind.startsWith("techDocKind_") ? "" : kind, dateTime(doc.created_at)].filter(Boolean).join(" · ") }))));
      }
      section.append(list);
    }
    if (this.readOnly) return section;
    const status = el("p", { class: "field-error", "data-error-for": "files", hidden: true });
    const photo = el("input", { type: "file", accept: "image/*", capture: "environment", id: "sheet-photo", class: "visually-hidden" });
    const files = el("input", { type: "file", accept: "image/*,application/pdf", multiple: true, id: "sheet-files", class: "visually-hidden" });
    const upload = async (input) => {
      if (!input.files.length) return;
      const body = new FormData();
      for (const file of input.files) body.append("files", file);
      this.say("info", t("techUploading"));
      const ok = await this.mutate(`/api/v1/interventions/${data.id}/documents/`, { form: body }, "documents", section);
      input.value = "";
      if (ok) this.say("success", t("techUploaded"));
    };
    photo.addEventListener("change", () => upload(photo));
    files.addEventListener("change", () => upload(files));
    section.append(el("div", { class: "toolbar tech-upload" },
      // The file inputs stay focusable (hidden visually only): their labels are the buttons.
      photo, el("label", { for: "sheet-photo", class: "button", text: t("techTakePhoto") }),
      files, el("label", { for: "sheet-files", class: "button", text: t("techAddFiles") })), status);
    return section;
  }

  // -- signature -------------------------------------------------------------------------

  signatureSection(data) {
    const section = this.section("signature", t("techSignature"));
    if (data.signed_at) {
      section.classList.add("tech-signed");
      section.append(el("p", { class: "tech-signed__who", "data-field": "signed" },
        fill(t("techSignedBy"), { name: data.signer_name, date: dateTime(data.signed_at) })));
      if (data.signature_url) section.append(el("img", { class: "tech-signed__image", src: data.signature_url, alt: fill(t("techSignatureOf"), { name: data.signer_name }) }));
      this.reportNode = el("p", { class: "tech-signed__report" });
      this.drawReport();
      section.append(this.reportNode);
      return section;
    }
    if (!data.can.sign) {
      section.append(el("p", { class: "muted", text: t("techNotSigned") }));
      return section;
    }
    const start = el("button", { type: "button", class: "button button--primary button--block tech-sign-start", text: t("techSignStart") });
    start.addEventListener("click", () => this.openSignature(section, start));
    section.append(el("p", { class: "muted", text: t("techSignIntro") }), start);
    return section;
  }

  drawReport() {
    if (!this.reportNode) return;
    if (this.data.report_url) {
      this.reportNode.replaceChildren(el("a", { class: "button button--primary", href: this.data.report_url, "data-action": "report", text: t("techReport") }));
    } else {
      this.reportNode.replaceChildren(el("span", { class: "spinner", "aria-hidden": "true" }), " ", t("techReportPending"));
    }
  }

  async openSignature(section, start) {
    // The sheet is saved first: the customer signs what is on the server.
    for (let attempt = 0; attempt < 3 && Object.keys(this.pending).length; attempt++) {
      if (!(await this.save()) && this.syncState !== "dirty") break;
    }
    if (this.readOnly) return;
    if (Object.keys(this.pending).length) {
      this.say("error", t("techSignSaveFirst"));
      return;
    }
    start.hidden = true;
    const name = el("input", { type: "text", name: "signer_name", id: "sign-name", autocomplete: "name", maxlength: "150" });
    const canvas = el("canvas", { class: "tech-pad__canvas", "aria-label": t("techSignHere"), role: "img" });
    const clear = el("button", { type: "button", class: "button", text: t("techSignClear") });
    const cancel = el("button", { type: "button", class: "button", text: t("cancel") });
    const submit = el("button", { type: "submit", class: "button button--primary", text: t("techSignSubmit") });
    const form = el("form", { class: "widget-form tech-pad", novalidate: true },
      el("p", { class: "muted", text: t("techSignCheck") }),
      el("div", { class: "field", "data-field": "signer_name" },
        el("label", { for: "sign-name", text: fieldLabel("signer_name") }), name,
        el("p", { class: "field-error", "data-error-for": "signer_name", hidden: true })),
      el("div", { class: "field", "data-field": "signature" },
        el("span", { class: "tech-pad__label", text: t("techSignHere") }),
        el("div", { class: "tech-pad__frame" }, canvas),
        el("p", { class: "field-error", "data-error-for": "signature", hidden: true })),
      el("div", { class: "toolbar tech-pad__actions" }, clear, cancel, submit));
    section.append(form);
    const pad = new SignaturePad(canvas, { penColor: "#111827", minWidth: 0.8, maxWidth: 2.6 });
    this.pad = pad;
    // The canvas' backing store follows its CSS size × the device pixel ratio; the strokes
    // are kept across a resize (phone turned, window resized).
    const resize = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const width = canvas.offsetWidth;
      const height = canvas.offsetHeight;
      if (!width || (canvas.width === Math.round(width * ratio) && canvas.height === Math.round(height * ratio))) return;
      const strokes = pad.toData();
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      if (strokes.length) pad.fromData(strokes);
    };
    this.resizeObserver = new ResizeObserver(resize);
    this.resizeObserver.observe(canvas);
    resize();
    // An error goes away as soon as its field is filled in.
    const clearError = (field) => {
      const node = form.querySelector(`[data-error-for="${field}"]`);
      node.hidden = true;
      node.textContent = "";
      form.querySelector(`[name="${field}"]`)?.removeAttribute("aria-invalid");
    };
    name.addEventListener("input", () => clearError("signer_name"));
    pad.addEventListener("endStroke", () => clearError("signature"));
    clear.addEventListener("click", () => pad.clear());
    cancel.addEventListener("click", () => {
      this.resizeObserver.disconnect();
      pad.off();
      form.remove();
      start.hidden = false;
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.sign(form, name, pad, submit);
    });
    name.focus();
    form.scrollIntoView({ block: "start" });
  }

  async sign(form, name, pad, submit) {
    const local = {};
    if (!name.value.trim()) local.signer_name = [t("techSignerRequired")];
    if (pad.isEmpty()) local.signature = [t("techSignatureRequired")];
    if (Object.keys(local).length) {
      showFieldErrors(form, { fields: local });
      return;
    }
    submit.disabled = true;
    submit.textContent = t("techSigning");
    try {
      const signed = await api(`/api/v1/interventions/${this.data.id}/sign/`,
        { method: "POST", body: { signer_name: name.value.trim(), signature: pad.toDataURL("image/png") } });
      this.resizeObserver.disconnect();
      this.pending = {};
      this.persist();
      this.data = signed;
      this.draw();
      this.say("success", t("techSigned"));
      this.pollReport();
    } catch (error) {
      submit.disabled = false;
      submit.textContent = t("techSignSubmit");
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 409) return this.reloadLocked(t("techAlreadySigned"));
      showFieldErrors(form, error);
      // Missing sheet fields are named, and shown on the sheet's own fields.
      const sheet = Object.keys(error.fields || {}).filter((f) => !["signer_name", "signature"].includes(f));
      if (this.form && sheet.length) {
        for (const f of sheet) {
          const node = this.form.querySelector(`[data-error-for="${f}"]`);
          if (node) { node.textContent = [].concat(error.fields[f]).join(" "); node.hidden = false; }
          const input = this.form.querySelector(`[name="${f}"]`);
          if (input) input.setAttribute("aria-invalid", "true");
        }
      }
      const items = sheet.map((f) => `${fieldLabel(f) !== `techField_${f}` ? fieldLabel(f) : f} : ${[].concat(error.fields[f]).join(" ")}`);
      this.say("error", sheet.length ? t("techSignMissing") : error.message, items);
    }
  }

  // The report is rendered in the background: ask a few times until its link is there.
  pollReport(attempt = 0) {
    clearTimeout(this.pollTimer);
    if (this.data.report_url || attempt >= REPORT_POLLS) {
      if (!this.data.report_url && this.reportNode) this.reportNode.replaceChildren(t("techReportLater"));
      return;
    }
    this.pollTimer = setTimeout(async () => {
      try {
        this.data = await api(`/api/v1/interventions/${this.data.id}/`);
        this.drawReport();
      } catch (error) { /* the next attempt, or the next visit, shows it */ }
      this.pollReport(attempt + 1);
    }, 1500);
  }

  async reloadLocked(message) {
    this.pending = {};
    this.persist();
    try {
      this.data = await api(`/api/v1/interventions/${this.data.id}/`);
      this.draw();
      this.pollReport();
    } catch (error) { /* the message below still says what happened */ }
    this.say("warning", message);
  }

  // -- saving the sheet ------------------------------------------------------------------

  saveBar() {
    const button = el("button", { type: "button", class: "button button--primary", "data-action": "save", text: t("save") });
    button.addEventListener("click", () => this.save());
    this.syncNode = el("p", { class: "tech-sync", "data-sync": "idle", role: "status", "aria-live": "polite" });
    return el("div", { class: "tech-savebar" }, this.syncNode, button);
  }

  setSync(state, text) {
    // Typing more while offline: the page still says the connection is lost.
    if (state === "dirty" && this.syncState === "offline") return;
    this.syncState = state;
    if (!this.syncNode) return;
    const messages = {
      idle: t("techAutosave"), dirty: t("techUnsaved"), saving: t("techSaving"), offline: t("techOffline"),
      saved: fill(t("techSavedAt"), { time: new Date().toLocaleTimeString(document.documentElement.lang || "fr", { hour: "2-digit", minute: "2-digit" }) }),
      error: t("techSaveError"),
    };
    this.syncNode.dataset.sync = state;
    this.syncNode.textContent = text || messages[state];
    this.syncNode.setAttribute("role", state === "offline" || state === "error" ? "alert" : "status");
  }

  changed(name, value, immediate = false) {
    this.pending[name] = value;
    this.persist();
    this.setSync("dirty");
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), immediate ? 0 : 400);
  }

  // The unsaved fields, kept on this device until the server has them.
  persist() {
    try {
      if (Object.keys(this.pending).length) {
        localStorage.setItem(this.storageKey, JSON.stringify({ pending: this.pending, at: new Date().toISOString(), number: this.data && this.data.number }));
      } else {
        localStorage.removeItem(this.storageKey);
      }
    } catch (error) { /* private mode or full storage: the page still holds the data */ }
  }

  restoreCopy() {
    let copy = null;
    try { copy = JSON.parse(localStorage.getItem(this.storageKey) || "null"); } catch (error) { copy = null; }
    if (!copy || !copy.pending || !Object.keys(copy.pending).length) return;
    if (this.data.signed_at || !this.data.can.edit) {
      localStorage.removeItem(this.storageKey);
      this.say("warning", t("techCopyDiscardedSigned"));
      return;
    }
    const pending = {};
    for (const [k, v] of Object.entries(copy.pending)) if (SHEET_FIELDS.includes(k)) pending[k] = v;
    this.pending = pending;
    this.syncState = "dirty";
    const send = el("button", { type: "button", class: "button button--primary", "data-action": "send-copy", text: t("techCopySend") });
    const drop = el("button", { type: "button", class: "button", "data-action": "drop-copy", text: t("techCopyDrop") });
    send.addEventListener("click", async () => {
      if (await this.save()) this.say("success", t("techCopySent"));
    });
    drop.addEventListener("click", () => {
      this.pending = {};
      this.persist();
      this.notice.replaceChildren();
      this.draw();
    });
    const fields = Object.keys(pending).map(fieldLabel).join(", ");
    const callout = el("div", { class: "callout callout--warning", "data-copy": "restored" },
      el("p", { text: fill(t("techCopyRestored"), { date: dateTime(copy.at), fields }) }),
      el("div", { class: "toolbar" }, send, drop));
    callout.setAttribute("role", "alert");
    this.notice.replaceChildren(callout);
  }

  // Sends the unsaved fields (one PATCH at a time; a save asked during another one waits for
  // it, then sends what is still unsaved). True when nothing is left unsaved.
  async save() {
    clearTimeout(this.saveTimer);
    while (this.saving) await this.saving;
    if (this.readOnly) return true;
    if (!Object.keys(this.pending).length) return true;
    this.setSync("saving");
    this.saving = this.send({ ...this.pending }).finally(() => { this.saving = null; });
    return this.saving;
  }

  async send(body) {
    try {
      const updated = await api(`/api/v1/interventions/${this.data.id}/`, { method: "PATCH", body });
      for (const [key, value] of Object.entries(body)) if (same(this.pending[key], value)) delete this.pending[key];
      this.persist();
      clearTimeout(this.retryTimer);
      this.data = { ...this.data, ...updated };
      if (this.form) showFieldErrors(this.form, null);
      const status = statusBadge(this.data);
      this.statusNode.replaceWith(status);
      this.statusNode = status;
      const stale = this.notice.querySelector("[data-copy], .callout--error");
      if (stale) stale.remove();
      this.setSync(Object.keys(this.pending).length ? "dirty" : "saved");
      return !Object.keys(this.pending).length;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (isConnectionError(error)) {
        this.persist();
        this.setSync("offline");
        clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => this.save(), RETRY_MS);
      } else if (error.status === 409) {
        await this.reloadLocked(t("techLockedNow"));
      } else {
        this.setSync("error");
        if (this.form) showFieldErrors(this.form, error);
        const known = this.form ? Object.keys(error.fields || {}).filter((f) => this.form.querySelector(`[data-error-for="${f}"]`)) : [];
        if (!known.length) this.say("error", error.message);
      }
      return false;
    }
  }

  // -- lines, entries, expenses, documents: sent at once ------------------------------------

  async mutate(path, { method = "POST", body, form } = {}, section, errorsIn) {
    try {
      const result = form ? await sendForm(path, form) : await api(path, { method, body });
      if (result && result.number && result.lines) this.data = result;
      else this.data = { ...this.data, ...(await api(`/api/v1/interventions/${this.data.id}/`)) };
      this.redrawSection(section);
      if (section !== "documents") this.notice.querySelector(".callout--error")?.remove();
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 409) {
        await this.reloadLocked(t("techLockedNow"));
        return false;
      }
      if (errorsIn) showFieldErrors(errorsIn, error);
      const shown = errorsIn ? Object.keys(error.fields || {}).some((f) => errorsIn.querySelector(`[data-error-for="${f}"]`)) : false;
      const message = isConnectionError(error) ? t("techNotSentOffline") : error.message;
      const items = shown ? [] : Object.values(error.fields || {}).flat().map(String);
      this.say("error", message, items);
      return false;
    }
  }

  say(kind, message, items = []) {
    const callout = el("div", { class: `callout callout--${kind}` }, el("p", { text: message }));
    callout.setAttribute("role", kind === "error" || kind === "warning" ? "alert" : "status");
    if (items.length) callout.append(el("ul", {}, ...items.map((text) => el("li", { text }))));
    this.notice.replaceChildren(callout);
    if (kind !== "info") callout.scrollIntoView({ block: "nearest" });
  }
}

customElements.define("portal-intervention-sheet", PortalInterventionSheet);
