// <portal-dashboard area="client|technician">: the extranet home's dashboard or the technicians'
// LivePilot, from /api/v1/dashboard/. A grid of tiles (one column on a phone): figures linking
// to their page, charts (Chart.js, each with its values in a table for screen readers), lists
// and the activity feed. "Personnaliser" shows every tile the user may have, to show or hide
// and move up or down (buttons, so the keyboard does it too), saved with PUT
// /api/v1/dashboard/preferences/; "Réinitialiser" goes back to the defaults of his role.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";
import { api } from "../lib/api.js";
import { el } from "../lib/dom.js";
import { date, money, number } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-dashboard.js";
import { PortalElement } from "../lib/portal-element.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const ENDPOINT = "/api/v1/dashboard/";
const TZ = "Europe/Paris";
let uid = 0;

const lang = () => ((document.documentElement.lang || "fr").startsWith("en") ? "en-GB" : "fr-FR");

function fill(key, values = {}) {
  return t(key).replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : `{${name}}`));
}

// "2026-11" → a Date on the 1st (local), and its short / long names.
function monthDate(label) {
  const [year, month] = label.split("-").map(Number);
  return new Date(year, month - 1, 1);
}
const monthShort = (label) => new Intl.DateTimeFormat(lang(), { month: "short", year: "2-digit" }).format(monthDate(label));
const monthLong = (label) => new Intl.DateTimeFormat(lang(), { month: "long", year: "numeric" }).format(monthDate(label));

function when(value, style) {
  if (!value) return "";
  const options = {
    time: { hour: "2-digit", minute: "2-digit" },
    day: { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" },
    weekday: { weekday: "short", day: "numeric", month: "short" },
    moment: { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" },
    date: { day: "numeric", month: "short" },
  }[style];
  return new Intl.DateTimeFormat(lang(), { ...options, timeZone: TZ }).format(new Date(value));
}

// A figure in its unit.
export function formatValue(value, unit) {
  if (value === null || value === undefined || value === "") return t("dashNone");
  switch (unit) {
    case "money": return money(value);
    case "hours": return fill("dashHours", { value: number(value, 2) });
    case "percent": return `${number(value, 1)} %`;
    case "date": return date(value);
    case "minutes": {
      const minutes = Number(value);
      if (minutes < 60) return fill("dashMinutes", { value: minutes });
      return fill("dashHoursMinutes", { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, "0") });
    }
    default: return number(value);
  }
}

function cssColor(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

class PortalDashboard extends PortalElement {
  get area() { return this.getAttribute("area") === "technician" ? "technician" : "client"; }

  connectedCallback() {
    this.charts = [];
    this.editing = false;
    this.classList.add("dashboard");
    super.connectedCallback();
    // Saving redraws every tile: the status line says what happened, not the whole widget.
    this.removeAttribute("aria-live");
    this.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.editing && this.panel.contains(event.target)) this.setEditing(false);
    });
  }

  disconnectedCallback() { this.destroyCharts(); }

  load() { return api(`${ENDPOINT}?area=${this.area}`); }

  isEmpty() { return false; }

  destroyCharts() {
    for (const chart of this.charts || []) chart.destroy();
    this.charts = [];
  }

  // Draws the whole widget from the API's answer (also after saving or resetting).
  render(data) {
    this.data = data;
    this.destroyCharts();
    this.replaceChildren();
    const panelId = `dashboard-panel-${++uid}`;
    this.toggle = el("button", {
      type: "button", class: "button button--small dashboard__customize", "data-action": "customize",
      "aria-expanded": String(this.editing), "aria-controls": panelId, text: t("dashCustomize"),
    });
    this.toggle.addEventListener("click", () => this.setEditing(!this.editing));
    const today = new Intl.DateTimeFormat(lang(), { weekday: "long", day: "numeric", month: "long", timeZone: TZ })
      .format(new Date(`${data.today}T12:00:00Z`));
    const head = el("div", { class: "dashboard__head" },
      el("div", {},
        el("h2", { class: "dashboard__title", text: t(`dashTitle_${this.area}`) }),
        el("p", { class: "dashboard__date", text: fill("dashToday", { date: today }) })),
      this.toggle);
    this.status = el("p", { class: "dashboard__status", role: "status" });
    this.panel = el("section", { class: "dash-panel card", id: panelId, hidden: !this.editing, "aria-labelledby": `${panelId}-title` });
    const grid = el("div", { class: "dashboard__grid", "data-area": this.area });
    this.append(head, this.status, this.panel, grid);
    if (this.editing) this.renderPanel();
    if (!data.tiles.length) {
      grid.append(el("p", { class: "dashboard__empty", text: t("dashNoTile") }));
      return;
    }
    // Consecutive figures sit side by side; consecutive lists, charts and feeds go in pairs.
    let group = null;
    for (const tile of data.tiles) {
      const kind = tile.kind === "number" ? "numbers" : "wide";
      if (!group || group.dataset.group !== kind) {
        group = el("div", { class: `dash-group dash-group--${kind}`, "data-group": kind });
        grid.append(group);
      }
      group.append(this.renderTile(tile));
    }
    // Charts are drawn once their canvas is in the page (Chart.js measures it).
    for (const [canvas, tile] of this.pendingCharts || []) this.drawChart(canvas, tile);
    this.pendingCharts = [];
  }

  renderTile(tile) {
    const node = el("article", {
      class: `dash-tile dash-tile--${tile.kind}`, "data-tile": tile.name, "data-kind": tile.kind,
      "data-tone": tile.tone || null,
    });
    const labelId = `dash-${tile.name}-${uid}`;
    node.setAttribute("aria-labelledby", labelId);
    const heading = el("h3", { class: "dash-tile__label", id: labelId });
    if (tile.kind === "number" && tile.link) {
      // The whole tile opens its page (the link stretches over it in CSS).
      heading.append(el("a", { class: "dash-tile__link", href: tile.link, text: tile.label }));
    } else {
      heading.append(el("span", { text: tile.label }));
    }
    if (tile.count !== undefined) heading.append(el("span", { class: "badge dash-tile__count", text: number(tile.count) }));
    node.append(heading);
    const body = {
      number: () => this.renderNumber(tile),
      chart: () => this.renderChart(tile),
      list: () => this.renderList(tile),
      feed: () => this.renderFeed(tile),
    }[tile.kind];
    if (body) node.append(...body());
    if (tile.kind !== "number" && tile.link) {
      node.append(el("p", { class: "dash-tile__more" }, el("a", { href: tile.link, text: t("dashSee") })));
    }
    return node;
  }

  renderNumber(tile) {
    const parts = [el("p", { class: "dash-tile__value", "data-value": "", text: formatValue(tile.value, tile.unit) })];
    const details = [];
    if (tile.year) details.push(el("li", { text: fill("dashYear", { year: tile.year }) }));
    for (const detail of tile.details || []) {
      details.push(el("li", { "data-detail": detail.key, "data-tone": detail.tone || null },
        el("span", { text: `${detail.label} ` }),
        el("strong", { text: formatValue(detail.value, detail.unit) })));
    }
    if (details.length) parts.push(el("ul", { class: "dash-tile__details" }, ...details));
    return parts;
  }

  renderChart(tile) {
    const { from, to } = this.data.period;
    const summary = fill("dashChartSummary", { label: tile.label, from: monthLong(from), to: monthLong(to) });
    const canvas = el("canvas", { role: "img", "aria-label": summary });
    const box = el("div", { class: "dash-chart" }, canvas);
    (this.pendingCharts = this.pendingCharts || []).push([canvas, tile]);
    // The same values as a table, for screen readers (and anyone without the chart).
    const table = el("table", { "data-chart-table": tile.name });
    table.append(el("caption", { text: fill("dashChartValues", { label: tile.label }) }));
    const headRow = el("tr", {}, el("th", { scope: "col", text: t("dashMonth") }),
      ...tile.series.map((s) => el("th", { scope: "col", text: s.label })));
    const stacked = tile.series.length > 1;
    if (stacked) headRow.append(el("th", { scope: "col", text: t("dashTotal") }));
    const body = el("tbody");
    tile.labels.forEach((label, i) => {
      const values = tile.series.map((s) => s.values[i]);
      const row = el("tr", {}, el("th", { scope: "row", text: monthLong(label) }),
        ...values.map((v) => el("td", { text: formatValue(v, tile.unit) })));
      if (stacked) row.append(el("td", { text: formatValue(values.reduce((a, b) => a + b, 0), tile.unit) }));
      body.append(row);
    });
    table.append(el("thead", {}, headRow), body);
    // Hidden in a box of its own: a table never shrinks below its content.
    return [box, el("div", { class: "visually-hidden" }, table)];
  }

  drawChart(canvas, tile) {
    const phone = window.matchMedia("(max-width: 719px)").matches;
    const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const colors = [cssColor("--brand", "#0b5cad"), cssColor("--accent", "#f59e0b")];
    const stacked = tile.chart === "stacked-bar";
    const compact = new Intl.NumberFormat(lang(), tile.unit === "money"
      ? { style: "currency", currency: "EUR", notation: "compact", maximumFractionDigits: 1 }
      : { maximumFractionDigits: 0 });
    const chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: tile.labels.map(monthShort),
        datasets: tile.series.map((s, i) => ({
          label: s.label, data: s.values, backgroundColor: colors[i % colors.length],
          borderRadius: 3, maxBarThickness: 36,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: reduced ? false : { duration: 400 },
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked, grid: { display: false },
               ticks: { autoSkip: true, maxRotation: 0, font: { size: phone ? 11 : 12 } } },
          y: { stacked, beginAtZero: true,
               ticks: { precision: 0, maxTicksLimit: phone ? 5 : 7, font: { size: phone ? 11 : 12 },
                        callback: (v) => compact.format(v) } },
        },
        plugins: {
          legend: { display: tile.series.length > 1, position: "bottom",
                    labels: { boxWidth: 12, font: { size: phone ? 12 : 13 } } },
          tooltip: { callbacks: {
            title: (items) => monthLong(tile.labels[items[0].dataIndex]),
            label: (item) => fill("dashTooltip", { label: item.dataset.label, value: formatValue(item.raw, tile.unit) }),
          } },
        },
      },
    });
    this.charts.push(chart);
  }

  renderList(tile) {
    const style = tile.name === "today" ? "time" : "day";
    if (!tile.items.length) return [el("p", { class: "dash-tile__empty", text: tile.empty || t("empty") })];
    const list = el("ul", { class: "dash-list" });
    for (const item of tile.items) {
      const where = [item.client && this.area === "technician" ? item.client : "", item.site, item.city]
        .filter(Boolean).join(" · ");
      list.append(el("li", {},
        el("a", { class: "dash-item", href: item.link, "data-id": item.id },
          el("span", { class: "dash-item__when" },
            style === "day" ? el("span", { class: "dash-item__day", text: when(item.at, "weekday") }) : null,
            el("span", { text: when(item.at, "time") })),
          el("span", { class: "dash-item__main" },
            el("strong", { text: item.title }),
            el("span", { class: "status", text: item.status_label }),
            item.urgent ? el("span", { class: "status status--err status--urgent", "data-urgent": "true", text: t("dashUrgent") }) : null),
          where ? el("span", { class: "dash-item__where", text: where }) : null,
          item.equipment || item.text
            ? el("span", { class: "dash-item__sub", text: item.equipment || item.text }) : null)));
    }
    const parts = [];
    if (tile.from && tile.to) {
      parts.push(el("p", { class: "dash-tile__sub", text: fill("dashWeek", { from: date(tile.from), to: date(tile.to) }) }));
    }
    parts.push(list);
    if (tile.count > tile.items.length) {
      parts.push(el("p", { class: "dash-tile__sub", text: fill("dashMore", { count: tile.count - tile.items.length }) }));
    }
    return parts;
  }

  renderFeed(tile) {
    if (!tile.items.length) return [el("p", { class: "dash-tile__empty", text: tile.empty || t("empty") })];
    const list = el("ul", { class: "dash-feed" });
    for (const item of tile.items) {
      list.append(el("li", { class: "dash-feed__item", "data-kind": item.kind },
        el("span", { class: "dash-feed__when" },
          el("span", { class: "badge", text: t(`dashFeed_${item.kind}`) }),
          el("span", { text: item.date_only ? when(item.at, "date") : when(item.at, "moment") })),
        el("span", { class: "dash-feed__what" },
          el("a", { href: item.link, text: item.title }),
          el("span", { class: "status", text: item.text }),
          item.urgent ? el("span", { class: "status status--err", text: t("dashUrgent") }) : null,
          item.download ? el("a", { class: "dash-feed__download", href: item.download,
                                    "aria-label": fill("dashDownloadFor", { title: item.title }),
                                    text: t("dashDownload") }) : null)));
    }
    return [list];
  }

  // ------------------------------------------------------------------ personalising

  setEditing(on) {
    this.editing = on;
    this.toggle.setAttribute("aria-expanded", String(on));
    this.panel.hidden = !on;
    if (on) {
      const shown = this.data.tiles.map((tile) => tile.name);
      const byName = Object.fromEntries(this.data.available.map((tile) => [tile.name, tile]));
      this.draft = [
        ...shown.filter((name) => byName[name]).map((name) => ({ ...byName[name], shown: true })),
        ...this.data.available.filter((tile) => !shown.includes(tile.name)).map((tile) => ({ ...tile, shown: false })),
      ];
      this.renderPanel();
      this.panel.querySelector("input, button").focus();
    } else {
      this.toggle.focus();
    }
  }

  renderPanel() {
    if (!this.draft) return;
    const id = this.panel.id;
    this.panel.replaceChildren(
      el("h3", { id: `${id}-title`, text: t("dashCustomizeTitle") }),
      el("p", { class: "dash-panel__help", text: t("dashCustomizeHelp") }));
    const list = el("ol", { class: "dash-panel__list" });
    this.draft.forEach((tile, index) => {
      const box = el("input", { type: "checkbox", name: "tiles", value: tile.name, checked: tile.shown });
      box.addEventListener("change", () => { tile.shown = box.checked; row.dataset.shown = String(box.checked); });
      const up = el("button", { type: "button", class: "button button--small", "data-move": "up",
                                "aria-label": fill("dashUp", { label: tile.label }), disabled: index === 0, text: "↑" });
      const down = el("button", { type: "button", class: "button button--small", "data-move": "down",
                                  "aria-label": fill("dashDown", { label: tile.label }),
                                  disabled: index === this.draft.length - 1, text: "↓" });
      up.addEventListener("click", () => this.move(index, -1));
      down.addEventListener("click", () => this.move(index, +1));
      const row = el("li", { class: "dash-panel__row", "data-tile": tile.name, "data-shown": String(tile.shown) },
        el("label", { class: "checkbox" }, box,
          el("span", { class: "dash-panel__name" }, el("span", { text: tile.label }),
            el("span", { class: "dash-panel__kind", text: t(`dashKind_${tile.kind}`) }))),
        el("span", { class: "dash-panel__move" }, up, down));
      list.append(row);
    });
    this.error = el("p", { class: "field-error", role: "alert", hidden: true });
    const save = el("button", { type: "submit", class: "button button--primary", "data-action": "save", text: t("dashSave") });
    const cancel = el("button", { type: "button", class: "button", "data-action": "cancel", text: t("dashCancel") });
    const reset = el("button", { type: "button", class: "button dash-panel__reset", "data-action": "reset",
                                 title: t("dashResetHelp"), text: t("dashReset") });
    cancel.addEventListener("click", () => this.setEditing(false));
    reset.addEventListener("click", () => this.submit("reset", reset));
    const form = el("form", { class: "dash-panel__form" }, list, this.error,
      el("div", { class: "toolbar dash-panel__actions" }, save, cancel, reset));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.submit("save", save); });
    this.panel.append(form);
  }

  move(index, step) {
    const target = index + step;
    if (target < 0 || target >= this.draft.length) return;
    const [tile] = this.draft.splice(index, 1);
    this.draft.splice(target, 0, tile);
    this.renderPanel();
    // Keep the keyboard where it was: on the same arrow of the moved row (or the other one
    // when it reached an end).
    const row = this.panel.querySelector(`[data-tile="${tile.name}"]`);
    const again = row.querySelector(`[data-move="${step < 0 ? "up" : "down"}"]`);
    (again.disabled ? row.querySelector(`[data-move="${step < 0 ? "down" : "up"}"]`) : again).focus();
    this.status.textContent = fill("dashMoved", { label: tile.label, position: target + 1, count: this.draft.length });
  }

  async submit(kind, button) {
    const buttons = this.panel.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    const label = button.textContent;
    if (kind === "save") button.textContent = t("dashSaving");
    try {
      const data = kind === "save"
        ? await api(`${ENDPOINT}preferences/`, { method: "PUT",
            body: { area: this.area, tiles: this.draft.filter((tile) => tile.shown).map((tile) => tile.name) } })
        : await api(`${ENDPOINT}preferences/reset/`, { method: "POST", body: { area: this.area } });
      this.editing = false;
      this.draft = null;
      this.render(data);
      this.status.textContent = t(kind === "save" ? "dashSaved" : "dashResetDone");
      this.toggle.focus();
    } catch (error) {
      buttons.forEach((b) => { b.disabled = false; });
      button.textContent = label;
      this.error.textContent = error.message;
      this.error.hidden = false;
      // Arrows at the ends stay disabled.
      this.renderPanelEnds();
    }
  }

  renderPanelEnds() {
    const rows = this.panel.querySelectorAll(".dash-panel__row");
    rows.forEach((row, i) => {
      row.querySelector("[data-move=up]").disabled = i === 0;
      row.querySelector("[data-move=down]").disabled = i === rows.length - 1;
    });
  }
}

customElements.define("portal-dashboard", PortalDashboard);
