from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from portal_api.accounts.models import User
from portal_api.accounts.rules import (
    REACH_ALL,
    REACH_OWN_INTERVENTIONS,
    is_staff_member,
    staff_reach,
)
from portal_api.accounts.selectors import client_account_id_for, technician_client_ids

from .models import Document, DocumentKind
from .rules import KIND_AREAS, KIND_PERMISSIONS, TICKET_FILE_KINDS, TICKET_FILE_PERMISSION

# What the "documents in progress" list shows a client: the company's paperwork.
CLIENT_DOCUMENT_KINDS = (
    DocumentKind.CONTRACT, DocumentKind.ORDER, DocumentKind.INVOICE,
    DocumentKind.INTERVENTION_REPORT, DocumentKind.ATTACHMENT, DocumentKind.OTHER,
)


def _own_intervention_files(user: User) -> Q:
    """The files of a technician's own interventions and of the requests they came from."""
    from portal_api.service.models import Intervention, Ticket

    mine = Intervention.objects.filter(technicians=user).values("pk")
    return (
        Q(related_type=ContentType.objects.get_for_model(Intervention), related_id__in=mine)
        | Q(related_type=ContentType.objects.get_for_model(Ticket),
            related_id__in=Ticket.objects.filter(intervention__in=mine).values("pk"))
        | Q(uploaded_by=user)
    )


def _readable(user: User, kinds: list[str], *, staff: bool) -> Q:
    """The documents of these kinds the user reaches: all of his company's for a portal user
    (scoped by the caller); for staff, by their roles' reach of each kind's area."""
    if not staff:
        return Q(kind__in=kinds)
    by_reach: dict[str | None, list[str]] = {}
    for kind in kinds:
        by_reach.setdefault(staff_reach(user, KIND_AREAS[kind]), []).append(kind)
    condition = Q(kind__in=by_reach.get(REACH_ALL, []))
    own = by_reach.get(REACH_OWN_INTERVENTIONS, [])
    if own:
        service_kinds = [k for k in own if KIND_AREAS[k] == "interventions"]
        other_kinds = [k for k in own if KIND_AREAS[k] != "interventions"]
        condition |= Q(kind__in=service_kinds) & _own_intervention_files(user)
        condition |= Q(kind__in=other_kinds, client_account_id__in=technician_client_ids(user))
    return condition


def document_list(*, user: User) -> QuerySet[Document]:
    """The stored files the user may read, each by the right of its source (documents.rules.
    KIND_PERMISSIONS: an invoice's PDF needs the invoice right, a report the intervention
    right…): a portal user's within his company, staff by their roles' reach; exports only
    to their owner. Every list of files (the documents list, the dashboard feed, the files of
    an intervention or a request) starts here."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Document.objects.none()
    staff = is_staff_member(user)
    if not staff:
        account_id = client_account_id_for(user)
        if account_id is None:
            return Document.objects.none()
    from portal_api.service.models import Ticket

    ticket_type = ContentType.objects.get_for_model(Ticket)
    allowed = [kind for kind, perm in KIND_PERMISSIONS.items() if user.has_perm(perm)]
    plain = [kind for kind in allowed if kind not in TICKET_FILE_KINDS]
    condition = _readable(user, plain, staff=staff)
    # Photos and attachments: a request's need the request right, the others their source's.
    intervention_files = [kind for kind in TICKET_FILE_KINDS if kind in allowed]
    if intervention_files:
        condition |= (_readable(user, intervention_files, staff=staff)
                      & ~Q(related_type=ticket_type))
    if user.has_perm(TICKET_FILE_PERMISSION):
        ticket_condition = Q(kind__in=TICKET_FILE_KINDS, related_type=ticket_type)
        if staff and staff_reach(user, "tickets") == REACH_OWN_INTERVENTIONS:
            ticket_condition &= _own_intervention_files(user)
        condition |= ticket_condition
    if staff:
        # What he uploaded himself (a note, a photo from his sheet) stays his to read.
        condition |= Q(uploaded_by=user)
    qs = Document.objects.select_related("client_account", "related_type")
    if not staff:
        qs = qs.filter(client_account_id=account_id)
    return qs.filter((condition & Q(owner__isnull=True)) | Q(owner=user))


def document_reachable_list(*, user: User) -> QuerySet[Document]:
    """The stored files within the user's reach whatever their kind (his company's, less
    other users' exports): the detail routes start here, so that a document of his company
    he lacks the right for is a 403 (`documents.download_document`), another company's a 404."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Document.objects.none()
    if is_staff_member(user):
        return document_list(user=user)
    qs = Document.objects.select_related("client_account", "related_type")
    account_id = client_account_id_for(user)
    if account_id is None:
        return qs.none()
    return qs.filter(client_account_id=account_id).filter(Q(owner__isnull=True) | Q(owner=user))


def company_document_list(*, user: User) -> QuerySet[Document]:
    """The documents of the user's company he may list and download: contracts, orders,
    invoices, intervention reports (…), each only with its source's right, and his own
    exports; staff see the documents their roles reach."""
    qs = document_list(user=user)
    if getattr(user, "is_authenticated", False) and not is_staff_member(user):
        qs = qs.filter(Q(kind__in=CLIENT_DOCUMENT_KINDS) | Q(owner=user))
    return qs


def company_document_kinds(*, user: User) -> list[str]:
    """The kinds of the documents the user may list that exist (one query): what the
    documents list offers to filter by, in DocumentKind's order. A kind he may not read, or
    of which his company has no document, is not offered."""
    present = set(company_document_list(user=user).order_by().values_list("kind", flat=True)
                  .distinct())
    return [kind for kind in DocumentKind.values if kind in present]
