// <portal-ticket-list>: the company's intervention requests, most recent first, with filters
// (status, urgent, period, words), status and urgent badges, the intervention planned for
// each, and a panel following one request: its timeline, attachments and our answer. A
// "Nouvelle demande" button leads to the request_page attribute when the user may ask for one
// (the list's can.create). ?ticket=<id> in the address opens that request. Data from
// /api/v1/tickets/.
import { el } from "../lib/dom.js";
import { date, dateTime } from "../lib/format.js";
import { t } from "../lib/i18n.js";
import "../lib/i18n-service.js";
import { PortalList } from "../lib/portal-list.js";
import {
  TICKET_STATUSES, downloadList, equipmentCell, equipmentOrTyped, facts, fill, interventionStatusBadge, numberedTitle, openDetail, ticketStatusBadge, urgentBadge,
} from "../lib/service-ui.js";

class PortalTicketList extends PortalList {
  get endpoint() { return this.getAttribute("src") || "/api/v1/tickets/"; }

  get requestPage() { return this.getAttribute("request_page") || this.getAttribute("request-page") || ""; }

  connectedCallback() {
    this.addEventListener("portal-list:loaded", (event) => this.loaded(event.detail));
    super.connectedCallback();
    this.classList.add("ticket-list");
    this.toolbar = el("div", { class: "toolbar service-toolbar", hidden: true });
    this.panel = el("div", { class: "service-detail", "aria-live": "polite" });
    this.prepend(this.toolbar);
    this.insertBefore(this.panel, this.results);
  }

  loaded(data) {
    if (!this.toolbarDrawn) {
      this.toolbarDrawn = true;
      if (data.can && data.can.create && this.requestPage) {
        this.toolbar.append(el("a", { class: "button button--primary", href: this.requestPage, "data-action": "new", text: t("svcTicketsNew") }));
        this.toolbar.hidden = false;
      }
      const opened = new URLSearchParams(location.search).get("ticket");
      if (opened) this.showDetail(opened);
    }
  }

  emptyText() { return this.getAttribute("empty-text") || t("svcTicketsEmpty"); }

  filters() {
    return [
      { name: "search", label: t("svcTicketsSearch"), type: "search" },
      { name: "status", label: t("svcStatus"), type: "select", options: TICKET_STATUSES.map((s) => [s, t(`svcTicketStatus_${s}`)]) },
      { name: "urgent", label: t("svcUrgentFilter"), type: "select", options: [["true", t("svcYes")], ["false", t("svcNo")]] },
      { name: "created_from", label: t("svcFrom"), type: "date" },
      { name: "created_to", label: t("svcTo"), type: "date" },
    ];
  }

  columns() {
    return [
      { key: "number", label: t("svcTicketNumber"), className: "service-nowrap", render: (row) => el("strong", { text: row.number }) },
      { key: "created_at", label: t("svcTicketDate"), render: (row) => date(row.created_at) },
      { key: "equipment", label: t("svcEquipment"), render: (row) => equipmentCell(row) },
      { key: "status", label: t("svcStatus"), render: (row) => {
        const badges = el("span", { class: "service-badges" }, ticketStatusBadge(row));
        if (row.urgent) badges.prepend(urgentBadge());
        return badges;
      } },
      { key: "intervention", label: t("svcIntervention"), render: (row) => this.interventionCell(row.intervention) },
      { key: "actions", label: t("actions"), render: (row) => {
        const button = el("button", { type: "button", class: "button button--small", "data-action": "details",
          text: t("svcTicketsOpen"), "aria-label": fill(t("svcTicketsOpenFor"), { number: row.number }) });
        button.addEventListener("click", () => this.showDetail(row.id));
        return button;
      } },
    ];
  }

  interventionCell(intervention) {
    if (!intervention) return "";
    const when = intervention.planned_start ? ` · ${date(intervention.planned_start)}` : "";
    return el("span", { class: "service-intervention", "data-intervention": intervention.number }, `${intervention.number}${when}`);
  }

  showDetail(id) {
    return openDetail(this, id, (ticket, close) => {
      const title = numberedTitle("h3", t("svcTicketTitle"), ticket.number);
      const badges = el("span", { class: "service-badges" }, ticketStatusBadge(ticket));
      if (ticket.urgent) badges.prepend(urgentBadge());
      const equipment = equipmentOrTyped(ticket);
      const intervention = ticket.intervention
        ? el("span", {}, `${ticket.intervention.number} `, interventionStatusBadge(ticket.intervention),
          ticket.intervention.planned_start ? ` ${fill(t("svcPlannedOn"), { date: dateTime(ticket.intervention.planned_start) })}` : "")
        : "";
      const card = el("section", { class: "card service-card", "data-ticket": ticket.number, "aria-label": title.textContent },
        el("div", { class: "card__header" }, el("div", { class: "service-card__title" }, title, badges), close),
        facts([
          [t("svcTicketDate"), dateTime(ticket.created_at)],
          [t("svcEquipment"), equipment, "equipment"],
          [t("svcSite"), ticket.site && ticket.site.name],
          [t("svcRequester"), ticket.requester && ticket.requester.name],
          [t("svcReplyTo"), ticket.reply_to && [ticket.reply_to.name, ticket.reply_to.email].filter(Boolean).join(" · ")],
          [t("svcIntervention"), intervention, "intervention"],
          [t("svcClosedAt"), dateTime(ticket.closed_at)],
        ]),
        el("h4", { text: t("svcDescription") }),
        el("p", { class: "service-text", text: ticket.description }));
      if (ticket.answer) {
        card.append(el("div", { class: "callout service-answer", "data-field": "answer" },
          el("p", {}, el("strong", { text: t("svcAnswer") })), el("p", { class: "service-text", text: ticket.answer })));
      }
      const attachments = ticket.attachments || [];
      if (attachments.length) card.append(el("h4", { text: fill(t("svcAttachmentsCount"), { count: attachments.length }) }), downloadList(attachments));
      card.append(el("h4", { text: t("svcTimeline") }), this.timeline(ticket.timeline || []));
      return card;
    });
  }

  timeline(events) {
    if (!events.length) return el("p", { class: "muted", text: t("svcTimelineEmpty") });
    const list = el("ol", { class: "timeline", "data-timeline": "" });
    for (const event of events) {
      list.append(el("li", { class: `timeline__item timeline__item--${event.status || "note"}` },
        el("time", { class: "timeline__at", datetime: event.at, text: dateTime(event.at) }),
        el("div", { class: "timeline__body" },
          event.status ? ticketStatusBadge(event) : null,
          event.message ? el("p", { class: "service-text", text: event.message }) : null)));
    }
    return list;
  }
}

customElements.define("portal-ticket-list", PortalTicketList);
