"""Who may see which stored file. A document needs the right of its source (DESIGN.md, "Every
door asks"): one mapping, `KIND_PERMISSIONS`, read by the selectors (which documents a user may
list, in the documents list, the dashboard feed, an intervention's or a request's files) and by
the object rule `documents.download_document` (the download, and so every signed link, which a
list issues only for what it shows)."""

import rules

from portal_api.accounts import roles
from portal_api.accounts.rules import (
    has_right,
    is_administrator,
    is_content_editor,
    is_own_company,
    staff_reaches,
)

from .models import DocumentKind

# A document's kind → the permission its source needs, and the area of the data that source
# belongs to (a staff role's reach).
KIND_PERMISSIONS: dict[str, str] = {
    DocumentKind.CONTRACT: "billing.view_contracts",
    DocumentKind.ORDER: "orders.view_orders",
    DocumentKind.INVOICE: "billing.view_invoices",
    DocumentKind.INTERVENTION_REPORT: "service.consult_intervention",
    DocumentKind.PHOTO: "service.consult_intervention",
    DocumentKind.ATTACHMENT: "service.consult_intervention",
    DocumentKind.RECEIPT: "service.view_expenses",
    DocumentKind.OTHER: "documents.view_general_documents",
}
KIND_AREAS: dict[str, str] = {
    DocumentKind.CONTRACT: roles.CONTRACTS,
    DocumentKind.ORDER: roles.ORDERS,
    DocumentKind.INVOICE: roles.INVOICES,
    DocumentKind.INTERVENTION_REPORT: roles.INTERVENTIONS,
    DocumentKind.PHOTO: roles.INTERVENTIONS,
    DocumentKind.ATTACHMENT: roles.INTERVENTIONS,
    DocumentKind.RECEIPT: roles.INTERVENTIONS,
    DocumentKind.OTHER: roles.DOCUMENTS,
}
# The photos and files attached to a request need the request's right instead.
TICKET_FILE_KINDS = (DocumentKind.PHOTO, DocumentKind.ATTACHMENT)
TICKET_FILE_PERMISSION = "service.view_tickets"
# An export is its requester's alone, whatever his rights.


def document_permission(document) -> str | None:
    """The permission this document's source needs; None for an export (its owner's alone)."""
    if document.kind == DocumentKind.EXPORT:
        return None
    if document.kind in TICKET_FILE_KINDS and _is_ticket_file(document):
        return TICKET_FILE_PERMISSION
    return KIND_PERMISSIONS.get(document.kind, KIND_PERMISSIONS[DocumentKind.OTHER])


def _is_ticket_file(document) -> bool:
    related_type = document.related_type  # cached by the selectors' select_related
    return related_type is not None and (related_type.app_label, related_type.model) == (
        "service", "ticket")


@rules.predicate
def is_not_reserved_to_another(user, document) -> bool:
    return document is None or document.owner_id in (None, user.pk)


@rules.predicate
def holds_source_right(user, document) -> bool:
    """The user holds the right of the document's source (KIND_PERMISSIONS); an export only
    its owner reaches."""
    if document is None:
        return True
    perm = document_permission(document)
    if perm is None:
        return document.owner_id == user.pk
    return user.has_perm(perm)


# The documents list (the page and its endpoint); each row then by its source's right.
rules.add_perm(
    "documents.view_documents",
    staff_reaches(roles.DOCUMENTS) | staff_reaches(roles.INVOICES)
    | staff_reaches(roles.INTERVENTIONS) | (has_right("can_view_documents") & is_own_company),
)
# One document: its download, and the signed link a list gave for it.
rules.add_perm("documents.download_document", is_not_reserved_to_another & holds_source_right)
# General documents (kind "other": procedures, notices given to a client).
rules.add_perm("documents.view_general_documents",
               staff_reaches(roles.DOCUMENTS) | (has_right("can_view_documents") & is_own_company))
# The GED in the back office.
rules.add_perm("documents.manage_documents", is_administrator | is_content_editor)
