"""Back-office forms for billing: an invoice's status moves through the billing services
(issuing gives its number from the gapless sequence)."""

from django.utils.translation import gettext_lazy as _

from portal_api.common.admin_forms import (
    PortalAdminForm,
    StatusTransitionFormMixin,
    freeze_field,
    set_status,
)

from .models import InvoiceStatus
from .services import invoice_issue, invoice_mark_paid


class InvoiceAdminForm(StatusTransitionFormMixin, PortalAdminForm):
    same_client_fields = ("order", "intervention")
    transitions = {
        (InvoiceStatus.DRAFT, InvoiceStatus.ISSUED):
            lambda form, invoice: invoice_issue(invoice=invoice),
        (InvoiceStatus.ISSUED, InvoiceStatus.PAID):
            lambda form, invoice: invoice_mark_paid(
                invoice=invoice, paid_at=form.cleaned_data.get("paid_at")),
        (InvoiceStatus.OVERDUE, InvoiceStatus.PAID):
            lambda form, invoice: invoice_mark_paid(
                invoice=invoice, paid_at=form.cleaned_data.get("paid_at")),
        (InvoiceStatus.ISSUED, InvoiceStatus.OVERDUE): set_status(InvoiceStatus.OVERDUE),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An issued invoice is a legal document: its client no longer changes.
        if not self.is_creating and self.instance.status != InvoiceStatus.DRAFT:
            for name in ("client_account", "order", "intervention"):
                freeze_field(self, name)

    def check_transition(self, old, new):
        if new == InvoiceStatus.ISSUED and not self.instance.lines.exists():
            self.add_error("status", _("Une facture sans ligne ne peut pas être émise."))


class ContractAdminForm(PortalAdminForm):
    pass
