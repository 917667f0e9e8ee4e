"""The invoices list as it exports to Excel (common/exportable.py): read by the list endpoint
(views.InvoiceViewSet) and by the background export."""

from django.utils.translation import gettext_lazy as _

from portal_api.common.export import DATE_FORMAT, MONEY_FORMAT, Column
from portal_api.common.exportable import ExportableList, register

from . import selectors
from .filters import InvoiceFilter

INVOICE_LIST = register(ExportableList(
    name="factures",
    selector=selectors.invoice_list,
    filterset_class=InvoiceFilter,
    ordering_fields=("issue_date", "due_date", "number", "total_incl_tax"),
    rule="billing.view_invoices",
    columns=(
        Column(_("Numéro"), lambda i: i.number or ""),
        Column(_("Statut"), lambda i: str(i.get_status_display())),
        Column(_("Date de facture"), lambda i: i.issue_date, DATE_FORMAT),
        Column(_("Échéance"), lambda i: i.due_date, DATE_FORMAT),
        Column(_("Payée le"), lambda i: i.paid_at, DATE_FORMAT),
        Column(_("Total HT"), lambda i: i.total_excl_tax, MONEY_FORMAT),
        Column(_("TVA"), lambda i: i.total_vat, MONEY_FORMAT),
        Column(_("Total TTC"), lambda i: i.total_incl_tax, MONEY_FORMAT),
        Column(_("Reste à payer"),
               lambda i: i.total_incl_tax if i.status in selectors.UNPAID_STATUSES else 0,
               MONEY_FORMAT),
    ),
))
