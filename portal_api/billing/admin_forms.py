"""Back-office forms for billing. An invoice's status is read-only here: it moves through
``invoice_set_status`` (issuing gives its number from the gapless sequence) from the edit
view's header buttons (common/admin_status.py)."""

from portal_api.common.admin_forms import PortalAdminForm, freeze_field

from .models import InvoiceStatus


class InvoiceAdminForm(PortalAdminForm):
    same_client_fields = ("order", "intervention")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An issued invoice is a legal document: its client no longer changes.
        if not self.is_creating and self.instance.status != InvoiceStatus.DRAFT:
            for name in ("client_account", "order", "intervention"):
                freeze_field(self, name)


class ContractAdminForm(PortalAdminForm):
    pass
