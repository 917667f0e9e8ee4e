"""Back-office form for orders. The status is read-only here: it moves through
``order_set_status`` from the edit view's header buttons (common/admin_status.py)."""

from portal_api.common.admin_forms import PortalAdminForm, freeze_field

from .models import OrderStatus


class OrderAdminForm(PortalAdminForm):
    same_client_fields = ("delivery_site",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A placed order stays with its client.
        if not self.is_creating and self.instance.status != OrderStatus.DRAFT:
            freeze_field(self, "client_account")
