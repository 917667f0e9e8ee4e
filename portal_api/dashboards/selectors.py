"""The dashboards' indicators, computed for the acting user only.

Client tiles read the user's company through the apps' own selectors (scope_to_client); the
LivePilot tiles read the interventions the technician is assigned to (within what
intervention_list lets him see), his time entries and his expenses. Each tile is computed only
when the user may see it and has chosen to show it.

Days, weeks, months and years are those of the current time zone (settings.TIME_ZONE,
Europe/Paris): "this month" starts at local midnight on the 1st, and an intervention ended at
23:30 UTC on 31 October counts in November.

Queries: each group of tiles is one SQL query (conditional Count/Sum in one aggregate, months
with TruncMonth), so a dashboard runs a fixed number of queries whatever the data size:
at most CLIENT_QUERY_BOUND for the client dashboard and TECHNICIAN_QUERY_BOUND for LivePilot,
plus the user's preferences (one query) — asserted in tests/portal_api/dashboards.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Lag, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from portal_api.accounts import roles
from portal_api.accounts.models import User
from portal_api.accounts.selectors import scope_to_client
from portal_api.billing.models import InvoiceStatus
from portal_api.billing.selectors import contract_list, invoice_list
from portal_api.common.money import round_money
from portal_api.documents.models import DocumentKind
from portal_api.documents.selectors import company_document_list
from portal_api.orders.models import Order, OrderStatus
from portal_api.service.models import (
    Expense,
    Intervention,
    InterventionStatus,
    TicketEvent,
    TicketStatus,
    TimeEntry,
    TimeEntryKind,
)
from portal_api.service.selectors import equipment_list, intervention_list, ticket_list

from .models import DashboardArea, DashboardPreference
from .rules import feed_sources, may_see_tile
from .tiles import TILES_BY_NAME, Tile, area_tiles

# The most queries a dashboard runs for its tiles (every tile shown), whatever the data size.
CLIENT_QUERY_BOUND = 14
TECHNICIAN_QUERY_BOUND = 5
# The longest chart period one may ask for, in months.
MAX_PERIOD_MONTHS = 36
DEFAULT_PERIOD_MONTHS = 12
FEED_SIZE = 8
UPCOMING_SIZE = 3
WEEK_LIST_SIZE = 50
WARRANTY_DAYS = 60
CONTRACT_DAYS = 90
REPEAT_VISIT_DAYS = 30

# Where each tile's figures can be looked at in detail.
CLIENT_PAGES = {
    "orders": "/espace-client/commandes/",
    "order": "/espace-client/commandes/commande/?order={id}",
    "requests": "/espace-client/demandes/",
    "interventions": "/espace-client/interventions/",
    "invoices": "/espace-client/factures/",
    "documents": "/espace-client/documents/",
    "equipment": "/espace-client/equipements/",
}
TECHNICIAN_PAGES = {
    "interventions": "/intranet/interventions/",
    "sheet": "/intranet/interventions/fiche/?intervention={id}",
}

# A feed source → the kind of the documents it already stands for.
FEED_DOCUMENT_KINDS = {
    "order": DocumentKind.ORDER,
    "invoice": DocumentKind.INVOICE,
    "intervention": DocumentKind.INTERVENTION_REPORT,
}
DONE_STATUSES = (InterventionStatus.DONE, InterventionStatus.CLOSED)
OPEN_TICKET_STATUSES = (TicketStatus.RECEIVED, TicketStatus.IN_PROGRESS, TicketStatus.PLANNED)
PLACED_NOT_DELIVERED = (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED)
UNPAID = (InvoiceStatus.ISSUED, InvoiceStatus.OVERDUE)
# A sheet started on site (arrival recorded) and not signed yet.
OPEN_SHEET_STATUSES = (InterventionStatus.PLANNED, InterventionStatus.IN_PROGRESS)
_MONEY = DecimalField(max_digits=16, decimal_places=2)
_ZERO = Value(Decimal("0.00"), output_field=_MONEY)


# --------------------------------------------------------------------------- time


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    """00:00 of that day in the current time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min),
                               timezone.get_current_timezone())


def _local_month(value) -> datetime.date:
    """TruncMonth's value (a date, or a datetime at local midnight on the 1st) as a date."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date().replace(day=1)
    return value.replace(day=1)


@dataclass(frozen=True)
class Period:
    """The months a chart covers: from the month of `first` to the month of `last`."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def ending(cls, today: datetime.date, months: int = DEFAULT_PERIOD_MONTHS) -> Period:
        return cls(add_months(today, -(months - 1)), _month_start(today))

    @property
    def months(self) -> list[datetime.date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return [add_months(self.first, i) for i in range(count)]

    @property
    def start(self) -> datetime.datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime.datetime:
        """Exclusive: local midnight on the 1st of the month after the last one."""
        return local_midnight(add_months(self.last, 1))


def period_get(*, today: datetime.date, first: datetime.date | None = None,
               last: datetime.date | None = None) -> Period:
    """The chart period: by default the 12 months ending with the current one; a given start
    or end is taken by its month (the serializer has checked the order and the length)."""
    if first is None and last is None:
        return Period.ending(today)
    if last is None:
        last = min(add_months(first, DEFAULT_PERIOD_MONTHS - 1), _month_start(today))
        last = max(last, _month_start(first))
    if first is None:
        first = add_months(last, -(DEFAULT_PERIOD_MONTHS - 1))
    return Period(_month_start(first), _month_start(last))


def _done_between(start: datetime.datetime, end: datetime.datetime) -> Q:
    """Done (or closed) interventions whose end (else their planned start) is in [start, end)."""
    return Q(status__in=DONE_STATUSES) & (
        Q(end_at__gte=start, end_at__lt=end)
        | Q(end_at__isnull=True, planned_start__gte=start, planned_start__lt=end)
    )


def _done_month():
    return TruncMonth(Coalesce("end_at", "planned_start"))


def _money(value) -> str:
    return str(round_money(value or Decimal(0)))


def _monthly(rows, months: list[datetime.date], fields: list[str]) -> dict[str, list]:
    """One value per month of the period (0 where the query returned no row)."""
    by_month = {_local_month(row["month"]): row for row in rows}
    return {
        field: [by_month[m][field] if m in by_month else 0 for m in months] for field in fields
    }


# --------------------------------------------------------------------------- preferences


def dashboard_preference_list(*, user: User) -> QuerySet[DashboardPreference]:
    """The user's own saved choice (nobody reads another's)."""
    return DashboardPreference.objects.filter(user_id=user.pk)


def dashboard_tiles_available(*, user: User, area: str) -> list[Tile]:
    """Every tile of the area the user may see, in the default order."""
    return [tile for tile in area_tiles(area) if may_see_tile(user, tile.name)]


def dashboard_tiles_default(*, user: User, area: str) -> list[str]:
    return [t.name for t in dashboard_tiles_available(user=user, area=area) if t.default]


def dashboard_tiles_chosen(*, user: User, area: str,
                           available: list[Tile] | None = None) -> list[str]:
    """The tiles the user shows, in his order: his saved choice (less any tile his rights no
    longer allow), else the defaults of his role."""
    if available is None:
        available = dashboard_tiles_available(user=user, area=area)
    allowed = {tile.name for tile in available}
    saved = (DashboardPreference.objects.filter(user_id=user.pk, area=area)
             .values_list("tiles", flat=True).first())
    if saved is None:
        return [tile.name for tile in available if tile.default]
    return [name for name in saved if name in allowed]


# --------------------------------------------------------------------------- client


class ClientFigures:
    """The client dashboard's queries, each run once, when a shown tile needs it."""

    def __init__(self, *, user: User, now: datetime.datetime, period: Period):
        self.user = user
        self.now = now
        self.today = timezone.localdate(now)
        self.period = period

    @cached_property
    def orders(self) -> dict:
        placed = Q(status__in=PLACED_NOT_DELIVERED)
        return (
            scope_to_client(Order.objects.all(), user=self.user, area=roles.ORDERS).order_by()
            .filter(status__in=(OrderStatus.DRAFT, *PLACED_NOT_DELIVERED))
            .aggregate(drafts=Count("id", filter=Q(status=OrderStatus.DRAFT)),
                       placed=Count("id", filter=placed),
                       placed_amount=Coalesce(Sum("total_incl_tax", filter=placed), _ZERO))
        )

    @cached_property
    def requests(self) -> dict:
        return (
            ticket_list(user=self.user).order_by().filter(status__in=OPEN_TICKET_STATUSES)
            .aggregate(open=Count("id"), urgent=Count("id", filter=Q(urgent=True)))
        )

    @cached_property
    def upcoming(self) -> list[Intervention]:
        return list(
            intervention_list(user=self.user)
            .filter(status__in=(InterventionStatus.PLANNED, InterventionStatus.IN_PROGRESS),
                    planned_start__gte=local_midnight(self.today))
            .order_by("planned_start", "id")[:UPCOMING_SIZE]
        )

    @cached_property
    def done_this_month(self) -> int:
        month = _month_start(self.today)
        return (
            intervention_list(user=self.user).order_by()
            .filter(_done_between(local_midnight(month), local_midnight(add_months(month, 1))))
            .count()
        )

    @cached_property
    def invoices(self) -> dict:
        overdue = Q(status=InvoiceStatus.OVERDUE) | Q(status=InvoiceStatus.ISSUED,
                                                      due_date__lt=self.today)
        year = self.today.year
        paid = Q(status=InvoiceStatus.PAID, paid_at__gte=datetime.date(year, 1, 1),
                 paid_at__lt=datetime.date(year + 1, 1, 1))

        def total(condition: Q):
            return Coalesce(Sum("total_incl_tax", filter=condition), _ZERO)

        return invoice_list(user=self.user).order_by().aggregate(
            due_count=Count("id", filter=Q(status__in=UNPAID)),
            due_amount=total(Q(status__in=UNPAID)),
            overdue_count=Count("id", filter=overdue),
            overdue_amount=total(overdue),
            paid_count=Count("id", filter=paid),
            paid_amount=total(paid),
        )

    @cached_property
    def equipment(self) -> dict:
        ending = Q(warranty_end__gte=self.today,
                   warranty_end__lte=self.today + datetime.timedelta(days=WARRANTY_DAYS))
        return equipment_list(user=self.user).order_by().filter(active=True).aggregate(
            count=Count("id"),
            warranties_ending=Count("id", filter=ending),
            next_warranty_end=Min("warranty_end", filter=ending),
        )

    @cached_property
    def contracts(self) -> dict:
        return (
            contract_list(user=self.user).order_by()
            .filter(active=True, end_date__gte=self.today,
                    end_date__lte=self.today + datetime.timedelta(days=CONTRACT_DAYS))
            .aggregate(count=Count("id"), next_end=Min("end_date"))
        )

    @cached_property
    def spend(self) -> dict[str, list]:
        rows = (
            invoice_list(user=self.user).order_by()
            .filter(issue_date__gte=self.period.first,
                    issue_date__lt=add_months(self.period.last, 1))
            .annotate(month=TruncMonth("issue_date")).values("month")
            .annotate(total=Sum("total_excl_tax")).order_by("month")
        )
        return _monthly(rows, self.period.months, ["total"])

    @cached_property
    def interventions_per_month(self) -> dict[str, list]:
        rows = (
            intervention_list(user=self.user).order_by()
            .filter(_done_between(self.period.start, self.period.end))
            .annotate(month=_done_month()).values("month")
            .annotate(under_contract=Count("id", filter=Q(contract__isnull=False)),
                      billed=Count("id", filter=Q(contract__isnull=True)))
            .order_by("month")
        )
        return _monthly(rows, self.period.months, ["under_contract", "billed"])

    @cached_property
    def feed(self) -> list[dict]:
        sources = feed_sources(self.user)
        items: list[dict] = []
        if "document" in sources:
            items += self._feed_documents(sources)
        if "ticket" in sources:
            items += self._feed_tickets()
        if "order" in sources:
            items += self._feed_orders()
        if "invoice" in sources:
            items += self._feed_invoices()
        if "intervention" in sources:
            items += self._feed_interventions()
        items.sort(key=lambda item: item["at"], reverse=True)
        for item in items[:FEED_SIZE]:
            item["at"] = item["at"].isoformat()
        return items[:FEED_SIZE]

    def _feed_documents(self, sources: list[str]) -> list[dict]:
        """The latest documents, less exports and the PDFs of what the feed already shows
        (an invoice's PDF when invoices are in the feed, and so on)."""
        labels = dict(DocumentKind.choices)
        shown_elsewhere = [kind for source, kind in FEED_DOCUMENT_KINDS.items()
                           if source in sources]
        rows = (
            company_document_list(user=self.user)
            .exclude(kind__in=[DocumentKind.EXPORT, *shown_elsewhere])
            .order_by("-created_at", "-id")
            .values("id", "title", "kind", "created_at")[:FEED_SIZE]
        )
        return [{
            "kind": "document", "at": row["created_at"], "date_only": False,
            "title": row["title"], "text": str(labels.get(row["kind"], row["kind"])),
            "link": CLIENT_PAGES["documents"],
            "download": f"/api/v1/documents/{row['id']}/download/",
        } for row in rows]

    def _feed_tickets(self) -> list[dict]:
        labels = dict(TicketStatus.choices)
        rows = (
            scope_to_client(TicketEvent.objects.all(), user=self.user, area=roles.TICKETS,
                            field="ticket__client_account")
            .order_by("-created_at", "-id")
            .values("created_at", "status", "ticket__number", "ticket__urgent")[:FEED_SIZE]
        )
        return [{
            "kind": "ticket", "at": row["created_at"], "date_only": False,
            "title": _("Demande %(number)s") % {"number": row["ticket__number"]},
            "text": str(labels.get(row["status"], row["status"])),
            "urgent": row["ticket__urgent"], "link": CLIENT_PAGES["requests"],
        } for row in rows]

    def _feed_orders(self) -> list[dict]:
        labels = dict(OrderStatus.choices)
        rows = (
            scope_to_client(Order.objects.all(), user=self.user, area=roles.ORDERS)
            .filter(submitted_at__isnull=False).order_by("-submitted_at", "-id")
            .values("id", "number", "status", "submitted_at", "confirmed_at", "delivered_at",
                    "cancelled_at")[:FEED_SIZE]
        )
        items = []
        for row in rows:
            moments = [row[f] for f in ("submitted_at", "confirmed_at", "delivered_at",
                                        "cancelled_at") if row[f] is not None]
            items.append({
                "kind": "order", "at": max(moments), "date_only": False,
                "title": _("Commande %(number)s") % {"number": row["number"]},
                "text": str(labels.get(row["status"], row["status"])),
                "link": CLIENT_PAGES["order"].format(id=row["id"]),
            })
        return items

    def _feed_invoices(self) -> list[dict]:
        labels = dict(InvoiceStatus.choices)
        rows = (
            invoice_list(user=self.user).order_by("-issue_date", "-sequence")
            .values("number", "status", "issue_date", "paid_at")[:FEED_SIZE]
        )
        return [{
            "kind": "invoice", "date_only": True,
            "at": local_midnight(row["paid_at"] if row["status"] == InvoiceStatus.PAID
                                 and row["paid_at"] else row["issue_date"]),
            "title": _("Facture %(number)s") % {"number": row["number"]},
            "text": str(labels.get(row["status"], row["status"])),
            "link": CLIENT_PAGES["invoices"],
        } for row in rows]

    def _feed_interventions(self) -> list[dict]:
        labels = dict(InterventionStatus.choices)
        rows = (
            intervention_list(user=self.user)
            .filter(status__in=DONE_STATUSES, planned_start__lte=self.now)
            .order_by("-planned_start", "-id")
            .values("number", "status", "planned_start", "end_at", "signed_at")[:FEED_SIZE]
        )
        return [{
            "kind": "intervention", "date_only": False,
            "at": row["signed_at"] or row["end_at"] or row["planned_start"],
            "title": _("Intervention %(number)s") % {"number": row["number"]},
            "text": str(labels.get(row["status"], row["status"])),
            "link": CLIENT_PAGES["interventions"],
        } for row in rows]


def _intervention_item(intervention: Intervention, *, link: str) -> dict:
    site = intervention.site
    equipment = intervention.equipment
    return {
        "id": intervention.pk,
        "title": intervention.number,
        "at": intervention.planned_start.isoformat() if intervention.planned_start else None,
        "end": intervention.planned_end.isoformat() if intervention.planned_end else None,
        "status": intervention.status,
        "status_label": str(intervention.get_status_display()),
        "urgent": intervention.urgent,
        "client": intervention.client_account.name,
        "site": site.name if site else "",
        "city": site.city if site else "",
        "equipment": str(equipment) if equipment else intervention.serial_number_typed,
        "text": intervention.description,
        "link": link.format(id=intervention.pk),
    }


def _client_tiles(f: ClientFigures) -> dict[str, Callable[[], dict]]:
    pages = CLIENT_PAGES

    def orders_drafts():
        return {"value": f.orders["drafts"], "unit": "count", "link": pages["orders"]}

    def orders_in_progress():
        return {"value": f.orders["placed"], "unit": "count", "link": pages["orders"],
                "details": [{"key": "amount", "label": _("Montant TTC"), "unit": "money",
                             "value": _money(f.orders["placed_amount"])}]}

    def requests_open():
        urgent = f.requests["urgent"]
        return {"value": f.requests["open"], "unit": "count", "link": pages["requests"],
                "details": [{"key": "urgent", "label": _("dont urgentes"), "unit": "count",
                             "value": urgent, "tone": "err" if urgent else None}]}

    def interventions_next():
        return {"items": [_intervention_item(i, link=pages["interventions"])
                          for i in f.upcoming],
                "link": pages["interventions"], "empty": _("Aucune intervention planifiée.")}

    def interventions_done_month():
        return {"value": f.done_this_month, "unit": "count", "link": pages["interventions"]}

    def invoices_due():
        return {"value": _money(f.invoices["due_amount"]), "unit": "money",
                "link": pages["invoices"],
                "details": [{"key": "count", "label": _("factures"), "unit": "count",
                             "value": f.invoices["due_count"]}]}

    def invoices_overdue():
        count = f.invoices["overdue_count"]
        return {"value": count, "unit": "count", "link": pages["invoices"],
                "tone": "err" if count else "ok",
                "details": [{"key": "amount", "label": _("Montant TTC"), "unit": "money",
                             "value": _money(f.invoices["overdue_amount"])}]}

    def invoices_paid_year():
        return {"value": _money(f.invoices["paid_amount"]), "unit": "money",
                "link": pages["invoices"], "year": f.today.year,
                "details": [{"key": "count", "label": _("factures"), "unit": "count",
                             "value": f.invoices["paid_count"]}]}

    def equipment_count():
        return {"value": f.equipment["count"], "unit": "count", "link": pages["equipment"]}

    def warranties_ending():
        count = f.equipment["warranties_ending"]
        nxt = f.equipment["next_warranty_end"]
        return {"value": count, "unit": "count", "link": pages["equipment"],
                "tone": "warn" if count else None,
                "details": [{"key": "next", "label": _("la première le"), "unit": "date",
                             "value": nxt.isoformat()}] if nxt else []}

    def contracts_ending():
        count = f.contracts["count"]
        nxt = f.contracts["next_end"]
        return {"value": count, "unit": "count", "link": pages["documents"],
                "tone": "warn" if count else None,
                "details": [{"key": "next", "label": _("le premier le"), "unit": "date",
                             "value": nxt.isoformat()}] if nxt else []}

    def spend_chart():
        return {"chart": "bar", "unit": "money", "link": pages["invoices"],
                "labels": [m.isoformat()[:7] for m in f.period.months],
                "series": [{"key": "total", "label": _("Montant HT facturé"),
                            "values": [float(round_money(v or 0)) for v in f.spend["total"]]}]}

    def interventions_chart():
        data = f.interventions_per_month
        return {"chart": "stacked-bar", "unit": "count", "link": pages["interventions"],
                "labels": [m.isoformat()[:7] for m in f.period.months],
                "series": [
                    {"key": "under_contract", "label": _("Sous contrat"),
                     "values": data["under_contract"]},
                    {"key": "billed", "label": _("Facturées à l'unité"),
                     "values": data["billed"]},
                ]}

    def feed():
        return {"items": f.feed, "empty": _("Rien de nouveau pour le moment.")}

    return locals()


# --------------------------------------------------------------------------- technician


class TechnicianFigures:
    """LivePilot's queries: the technician's own interventions, time and expenses."""

    def __init__(self, *, user: User, now: datetime.datetime, period: Period):
        self.user = user
        self.now = now
        self.today = timezone.localdate(now)
        self.period = period
        self.week_first = self.today - datetime.timedelta(days=self.today.weekday())
        self.week_start = local_midnight(self.week_first)
        self.week_end = local_midnight(self.week_first + datetime.timedelta(days=7))
        self.day_start = local_midnight(self.today)
        self.day_end = local_midnight(self.today + datetime.timedelta(days=1))

    def assigned(self) -> QuerySet[Intervention]:
        """LivePilot is personal: the interventions he is one of the technicians of, within
        what he may see (a technician who sees all still gets his own here)."""
        through = Intervention.technicians.through
        return intervention_list(user=self.user).filter(
            Exists(through.objects.filter(intervention_id=OuterRef("pk"), user_id=self.user.pk))
        )

    @cached_property
    def summary(self) -> dict:
        """Today's and this week's counts, sheets to sign, done, time on site and repeat
        visits, in one query over his interventions (cancelled ones left out).

        A repeat visit is one of his done interventions on equipment he had already visited
        (arrival, else planned start) within the 30 days before: each visit is compared with
        his previous one on the same equipment (a window function, so one pass)."""
        done = _done_between(self.period.start, self.period.end)
        visit = Coalesce("arrival_at", "planned_start")
        timed = done & Q(arrival_at__isnull=False, end_at__isnull=False)
        on_site = ExpressionWrapper(F("end_at") - F("arrival_at"), output_field=DurationField())
        repeat = done & Q(equipment_id__isnull=False, previous_visit__gte=ExpressionWrapper(
            F("visit") - Value(datetime.timedelta(days=REPEAT_VISIT_DAYS)),
            output_field=DateTimeField()))
        return (
            self.assigned().order_by().exclude(status=InterventionStatus.CANCELLED)
            .annotate(visit=visit,
                      previous_visit=Window(Lag(visit), partition_by=F("equipment_id"),
                                            order_by=visit.asc()))
            .aggregate(
                today=Count("id", filter=Q(planned_start__gte=self.day_start,
                                           planned_start__lt=self.day_end)),
                week=Count("id", filter=Q(planned_start__gte=self.week_start,
                                          planned_start__lt=self.week_end)),
                to_sign=Count("id", filter=Q(signed_at__isnull=True, arrival_at__isnull=False,
                                             status__in=OPEN_SHEET_STATUSES)),
                done=Count("id", filter=done),
                timed=Count("id", filter=timed),
                on_site=Avg(on_site, filter=timed),
                repeat=Count("id", filter=repeat),
            )
        )

    @cached_property
    def week_items(self) -> list[Intervention]:
        return list(
            self.assigned().exclude(status=InterventionStatus.CANCELLED)
            .filter(planned_start__gte=self.week_start, planned_start__lt=self.week_end)
            .order_by("planned_start", "id")[:WEEK_LIST_SIZE]
        )

    @cached_property
    def done_per_month(self) -> dict[str, list]:
        rows = (
            self.assigned().order_by()
            .filter(_done_between(self.period.start, self.period.end))
            .annotate(month=_done_month()).values("month")
            .annotate(done=Count("id")).order_by("month")
        )
        return _monthly(rows, self.period.months, ["done"])

    @cached_property
    def hours(self) -> dict:
        week_last = self.week_first + datetime.timedelta(days=6)
        zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=8, decimal_places=2))
        return (
            TimeEntry.objects.filter(technician_id=self.user.pk,
                                     date__gte=self.week_first, date__lte=week_last)
            .aggregate(total=Coalesce(Sum("hours"), zero),
                       work=Coalesce(Sum("hours", filter=Q(kind=TimeEntryKind.WORK)), zero),
                       travel=Coalesce(Sum("hours", filter=Q(kind=TimeEntryKind.TRAVEL)), zero))
        )

    @cached_property
    def expenses(self) -> dict:
        month = _month_start(self.today)
        return (
            Expense.objects.filter(technician_id=self.user.pk, date__gte=month,
                                   date__lt=add_months(month, 1))
            .aggregate(count=Count("id"), total=Coalesce(Sum("amount"), _ZERO))
        )


def _hours(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def _technician_tiles(f: TechnicianFigures) -> dict[str, Callable[[], dict]]:
    pages = TECHNICIAN_PAGES

    def today():
        items = [i for i in f.week_items
                 if f.day_start <= i.planned_start < f.day_end]
        return {"count": f.summary["today"], "link": pages["interventions"],
                "items": [_intervention_item(i, link=pages["sheet"]) for i in items],
                "empty": _("Aucune intervention aujourd'hui.")}

    def week():
        return {"count": f.summary["week"], "link": pages["interventions"],
                "from": f.week_first.isoformat(),
                "to": (f.week_first + datetime.timedelta(days=6)).isoformat(),
                "items": [_intervention_item(i, link=pages["sheet"]) for i in f.week_items],
                "empty": _("Aucune intervention cette semaine.")}

    def to_sign():
        count = f.summary["to_sign"]
        return {"value": count, "unit": "count", "link": pages["interventions"],
                "tone": "warn" if count else "ok"}

    def hours_week():
        return {"value": _hours(f.hours["total"]), "unit": "hours",
                "details": [
                    {"key": "work", "label": _("sur site"), "unit": "hours",
                     "value": _hours(f.hours["work"])},
                    {"key": "travel", "label": _("déplacement"), "unit": "hours",
                     "value": _hours(f.hours["travel"])},
                ]}

    def expenses_month():
        return {"value": _money(f.expenses["total"]), "unit": "money",
                "details": [{"key": "count", "label": _("notes de frais"), "unit": "count",
                             "value": f.expenses["count"]}]}

    def done_chart():
        return {"chart": "bar", "unit": "count", "link": pages["interventions"],
                "labels": [m.isoformat()[:7] for m in f.period.months],
                "series": [{"key": "done", "label": _("Interventions réalisées"),
                            "values": f.done_per_month["done"]}]}

    def time_on_site():
        average = f.summary["on_site"]
        minutes = round(average.total_seconds() / 60) if average is not None else None
        return {"value": minutes, "unit": "minutes",
                "details": [{"key": "count", "label": _("interventions chronométrées"),
                             "unit": "count", "value": f.summary["timed"]}]}

    def repeat_visits():
        done, repeat = f.summary["done"], f.summary["repeat"]
        return {"value": repeat, "unit": "count", "tone": "warn" if repeat else "ok",
                "details": [
                    {"key": "done", "label": _("interventions réalisées"), "unit": "count",
                     "value": done},
                    {"key": "rate", "label": _("taux"), "unit": "percent",
                     "value": round(100 * repeat / done, 1) if done else 0},
                ]}

    return locals()


# --------------------------------------------------------------------------- the dashboard


def dashboard_get(*, user: User, area: str, now: datetime.datetime | None = None,
                  first: datetime.date | None = None,
                  last: datetime.date | None = None) -> dict:
    """The user's dashboard of that area (the caller has checked he may see it): the tiles
    he shows, in his order, with their figures; every tile he could choose; the defaults."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = period_get(today=today, first=first, last=last)
    available = dashboard_tiles_available(user=user, area=area)
    chosen = dashboard_tiles_chosen(user=user, area=area, available=available)
    if area == DashboardArea.CLIENT:
        builders = _client_tiles(ClientFigures(user=user, now=now, period=period))
    else:
        builders = _technician_tiles(TechnicianFigures(user=user, now=now, period=period))
    tiles = []
    for name in chosen:
        tile = TILES_BY_NAME[name]
        tiles.append({"name": name, "label": str(tile.label), "kind": tile.kind,
                      **builders[name]()})
    return {
        "area": area,
        "tiles": tiles,
        "available": [{"name": t.name, "label": str(t.label), "kind": t.kind}
                      for t in available],
        "defaults": [t.name for t in available if t.default],
        "period": {"from": period.first.isoformat()[:7], "to": period.last.isoformat()[:7]},
        "today": today.isoformat(),
    }
