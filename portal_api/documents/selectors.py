from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from portal_api.accounts.models import User
from portal_api.accounts.rules import is_staff_member, technician_profile_of
from portal_api.accounts.selectors import scope_to_client

from .models import Document, DocumentKind

# What the "documents in progress" list shows a client: the company's paperwork.
CLIENT_DOCUMENT_KINDS = (
    DocumentKind.CONTRACT, DocumentKind.ORDER, DocumentKind.INVOICE,
    DocumentKind.INTERVENTION_REPORT, DocumentKind.ATTACHMENT, DocumentKind.OTHER,
)


def document_list(*, user: User) -> QuerySet[Document]:
    qs = scope_to_client(Document.objects.select_related("client_account"), user=user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if not is_staff_member(user):
        # A user's exports are his alone.
        qs = qs.filter(Q(owner__isnull=True) | Q(owner=user))
    technician = technician_profile_of(user)
    if technician is not None and not technician.can_see_all_interventions:
        # A technician limited to his own interventions reaches their documents (and those
        # of the requests they came from), what he uploaded himself and his own exports.
        from portal_api.service.models import Intervention, Ticket

        mine = Intervention.objects.filter(technicians=user).values("pk")
        qs = qs.filter(
            Q(related_type=ContentType.objects.get_for_model(Intervention), related_id__in=mine)
            | Q(related_type=ContentType.objects.get_for_model(Ticket),
                related_id__in=Ticket.objects.filter(intervention__in=mine).values("pk"))
            | Q(uploaded_by=user) | Q(owner=user)
        )
    return qs


def company_document_list(*, user: User) -> QuerySet[Document]:
    """The documents of the user's company he may list and download: contracts, orders,
    invoices, intervention reports (…) and his own exports; staff see every document."""
    qs = document_list(user=user).select_related("related_type")
    if getattr(user, "is_authenticated", False) and not is_staff_member(user):
        qs = qs.filter(Q(kind__in=CLIENT_DOCUMENT_KINDS) | Q(owner=user))
    return qs
