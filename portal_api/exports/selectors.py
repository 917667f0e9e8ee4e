"""Reads for exports: a user's own jobs, and the rows a job exports, rebuilt for that user
from the list's declaration (common/exportable.py: same selector, filters and ordering as the
list endpoint)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portal_api.accounts.models import User
from portal_api.billing.models import Invoice, InvoiceStatus
from portal_api.common.errors import ServiceError
from portal_api.common.exportable import exportable_list

from .models import ExportJob


def export_job_list(*, user: User) -> QuerySet[ExportJob]:
    """The user's own export jobs: nobody else's, staff included (an export is private)."""
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(user=user).select_related("document")


@dataclass(frozen=True)
class ExportRows:
    columns: list
    queryset: QuerySet
    title: str


def export_rows(*, user: User, list_name: str, params: dict[str, list[str]]) -> ExportRows:
    """The rows of the list `list_name` as `user` sees it with these query parameters, from
    the list's declaration (its app's exports.py): the same selector, filters and ordering as
    the list endpoint. A user who lost the right (or his access) since the request gets a 403
    ServiceError; filters no longer valid, a 400 one."""
    exportable = exportable_list(list_name)
    if exportable is None:
        raise ServiceError(_("Cette liste ne peut pas être exportée."), code="unknown_list")
    # Authenticated and holding the list's rule: the list endpoint's RulesPermission.
    if not (getattr(user, "is_authenticated", False) and user.has_perm(exportable.rule)):
        raise ServiceError(_("Vous n'avez plus accès à cette liste."), code="forbidden",
                           status_code=403)
    try:
        queryset = exportable.rows(user=user, params=params)
    except ValidationError as exc:
        raise ServiceError(_("Les filtres de cet export ne sont plus valides."),
                           code="invalid", fields=exc.message_dict) from exc
    return ExportRows(columns=list(exportable.columns), queryset=queryset,
                      title=exportable.name)


@contextmanager
def streaming_reads() -> Iterator[None]:
    """Where an export reads its rows. In a transaction, PostgreSQL's server-side cursor
    streams (rows come from the first fetch on); outside one, Django declares it WITH HOLD and
    PostgreSQL runs the whole query before the first row. JIT off: the per-row subqueries of
    the lists make the planner's estimate huge, and compiling the query cost a second before
    the first row, for nothing (bench/exports.py: 1.2 s → 0.15–0.35 s). Only reads inside."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def invoice_zip_list(*, user: User, date_from, date_to) -> QuerySet[Invoice]:
    """The issued invoices of the user's company dated within the period (both days
    included), oldest first, with their stored PDF."""
    from portal_api.billing.selectors import invoice_list

    return (
        invoice_list(user=user).exclude(status=InvoiceStatus.DRAFT)
        .filter(issue_date__gte=date_from, issue_date__lte=date_to)
        .select_related("pdf").order_by("issue_date", "number", "pk")
    )
