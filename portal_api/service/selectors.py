import base64
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal_api.accounts import roles
from portal_api.accounts.models import User
from portal_api.accounts.rules import (
    REACH_OWN_INTERVENTIONS,
    is_staff_member,
    is_technician,
    staff_reach,
)
from portal_api.accounts.selectors import scope_to_client
from portal_api.common.money import round_money
from portal_api.documents.models import Document

from .models import Equipment, Expense, Intervention, Ticket, TicketEvent


def equipment_list(*, user: User) -> QuerySet[Equipment]:
    return scope_to_client(
        Equipment.objects.select_related("client_account", "site", "contract"), user=user,
        area=roles.EQUIPMENT,
    )


def _own_interventions_only(user: User, area: str) -> bool:
    """The user reaches this area only through his own interventions (a technician who is
    not a team lead, with no back-office role reaching it)."""
    return is_staff_member(user) and staff_reach(user, area) == REACH_OWN_INTERVENTIONS


def _attachments_count(model) -> Coalesce:
    """How many GED documents are related to each row (one subquery, whatever the page)."""
    documents = (
        Document.objects.filter(related_type=ContentType.objects.get_for_model(model),
                                related_id=OuterRef("pk"))
        .order_by().values("related_id").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(documents, output_field=IntegerField()), 0)


def ticket_list(*, user: User) -> QuerySet[Ticket]:
    """The requests the user may see: his company's; every company's for the staff, except a
    technician limited to his own interventions (the requests turned into them).
    Each row carries `attachments_count`."""
    qs = Ticket.objects.select_related("client_account", "equipment", "site", "requester",
                                       "reply_to", "intervention")
    if _own_interventions_only(user, roles.TICKETS):
        qs = qs.filter(intervention__technicians=user)
    else:
        qs = scope_to_client(qs, user=user, area=roles.TICKETS)
    return qs.annotate(attachments_count=_attachments_count(Ticket))


def ticket_requester_choices(*, user: User | None,
                             client_account_id: int | None = None) -> QuerySet[User]:
    """Who may be named as a request's requester: the portal users of its client company
    (without a company yet, of the companies whose requests the user reaches), by name.
    Never staff, never another company's users."""
    qs = User.objects.filter(is_staff=False, portal_profile__isnull=False)
    if user is not None:
        qs = scope_to_client(qs, user=user, area=roles.TICKETS,
                             field="portal_profile__client_account")
    if client_account_id is not None:
        qs = qs.filter(portal_profile__client_account_id=client_account_id)
    return qs.order_by("last_name", "first_name", "email")


def ticket_detail_list(*, user: User) -> QuerySet[Ticket]:
    """ticket_list with the timeline (`events`, oldest first) and the attachments
    (`attachments`, a list of Documents, oldest first): two more queries, whatever the page.
    The attachments are those the user may read, each by its source's right (an invoice put
    on a request needs the invoice right): documents.selectors.document_list."""
    from portal_api.documents.selectors import document_list

    return ticket_list(user=user).prefetch_related(
        Prefetch("events", queryset=TicketEvent.objects.order_by("created_at", "id")),
        Prefetch("documents", queryset=document_list(user=user).order_by("created_at", "id"),
                 to_attr="attachments"),
    )


def intervention_list(*, user: User) -> QuerySet[Intervention]:
    qs = Intervention.objects.select_related("client_account", "site", "equipment", "contract")
    # His own interventions are his whole reach: no company filter on top of them.
    if _own_interventions_only(user, roles.INTERVENTIONS):
        return qs.filter(technicians=user)
    return scope_to_client(qs, user=user, area=roles.INTERVENTIONS)


def technician_agenda_order(queryset):
    """Today's interventions first (in time order), then the upcoming ones (soonest first,
    the unplanned last), then the past (most recent first)."""
    now = timezone.now()
    today = timezone.localdate()
    return queryset.annotate(
        agenda_bucket=Case(
            When(planned_start__date=today, then=Value(0)),
            When(Q(planned_start__gt=now) | Q(planned_start__isnull=True), then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        ),
    ).order_by(
        "agenda_bucket",
        Case(When(agenda_bucket__lt=2, then=F("planned_start"))).asc(nulls_last=True),
        F("planned_start").desc(nulls_last=True),
        "-id",
    )


def intervention_list_rows(*, user: User) -> QuerySet[Intervention]:
    """intervention_list as the list endpoint and its export read it, with the technicians, in
    its default order (an `?ordering=` replaces it): a technician's agenda for a technician,
    else the most recent first with the ones not planned yet (just requested) on top."""
    queryset = intervention_list(user=user).prefetch_related("technicians")
    if is_technician(user):
        return technician_agenda_order(queryset)
    return queryset.order_by(F("planned_start").desc(nulls_first=True), "-id")


def intervention_detail_list(*, user: User) -> QuerySet[Intervention]:
    """intervention_list with everything the sheet shows: technicians, lines and their
    articles, time entries, expenses (with their receipt) and the ticket; a constant number
    of queries."""
    return (
        intervention_list(user=user)
        .select_related("ticket", "report", "created_by")
        .prefetch_related(
            "technicians",
            "lines__article",
            "time_entries__technician",
            # A technician's meals and fuel are the company's business, not its client's.
            Prefetch("expenses", queryset=(
                Expense.objects.select_related("technician", "receipt")
                if user.has_perm("service.view_expenses") else Expense.objects.none()
            )),
        )
    )


def intervention_document_list(*, user: User, intervention: Intervention) -> QuerySet[Document]:
    """The documents of an intervention and of the request it came from, as far as the user
    may see them, each by its source's right (expense receipts only for staff reaching
    interventions: documents.rules.KIND_PERMISSIONS)."""
    from portal_api.documents.selectors import document_list

    related = Q(related_type=ContentType.objects.get_for_model(Intervention),
                related_id=intervention.pk)
    ticket_id = (Ticket.objects.filter(intervention_id=intervention.pk)
                 .values_list("pk", flat=True).first())
    if ticket_id is not None:
        related |= Q(related_type=ContentType.objects.get_for_model(Ticket),
                     related_id=ticket_id)
    return document_list(user=user).filter(related).order_by("created_at", "id")


def equipment_intervention_list(*, user: User, equipment: Equipment) -> QuerySet[Intervention]:
    """The interventions done on one piece of equipment, as far as the user may see them."""
    return (intervention_list(user=user).filter(equipment=equipment)
            .order_by("-planned_start", "-id"))


def _signature_data_uri(intervention: Intervention) -> str | None:
    """The stored signature as a data URI (the PDF renderer reads no file itself)."""
    if not intervention.signature_image:
        return None
    try:
        with intervention.signature_image.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return None
    return f"data:image/png;base64,{base64.b64encode(content).decode()}"


def intervention_report_context(*, intervention: Intervention, seller: dict) -> dict:
    """Everything the report PDF (bon d'intervention) shows: the company (as the caller read
    it: cms.selectors.pdf_seller), the client, site, equipment, times, work done, lines,
    technicians and the signature."""
    intervention = (
        Intervention.objects.select_related("client_account", "site", "equipment", "contract",
                                            "ticket")
        .prefetch_related("lines__article", "technicians", "time_entries__technician")
        .get(pk=intervention.pk)
    )
    lines = list(intervention.lines.all())
    for line in lines:
        line.total_excl_tax = round_money(line.quantity * line.unit_price_excl_tax)
    worked = None
    if intervention.arrival_at and intervention.end_at:
        minutes = int((intervention.end_at - intervention.arrival_at).total_seconds() // 60)
        worked = f"{minutes // 60} h {minutes % 60:02d}"
    return {
        "intervention": intervention,
        "client": intervention.client_account,
        "site": intervention.site,
        "equipment": intervention.equipment,
        "contract": intervention.contract,
        "ticket": getattr(intervention, "ticket", None),
        "technicians": [str(t) for t in intervention.technicians.all()],
        "lines": lines,
        "total_excl_tax": round_money(sum((line.total_excl_tax for line in lines), Decimal(0))),
        "time_entries": list(intervention.time_entries.all()),
        "worked": worked,
        "signature": _signature_data_uri(intervention),
        "seller": seller,
    }
