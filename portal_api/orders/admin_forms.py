"""Back-office form for orders: the status moves through the order services."""

from portal_api.common.admin_forms import (
    PortalAdminForm,
    StatusTransitionFormMixin,
    freeze_field,
    set_status,
)

from .models import OrderStatus
from .services import order_cancel, order_confirm, order_deliver


class OrderAdminForm(StatusTransitionFormMixin, PortalAdminForm):
    same_client_fields = ("delivery_site",)
    transitions = {
        (OrderStatus.SUBMITTED, OrderStatus.CONFIRMED):
            lambda form, order: order_confirm(order=order),
        (OrderStatus.CONFIRMED, OrderStatus.DELIVERED):
            lambda form, order: order_deliver(order=order),
        (OrderStatus.DRAFT, OrderStatus.CANCELLED):
            lambda form, order: order_cancel(order=order),
        (OrderStatus.SUBMITTED, OrderStatus.CANCELLED):
            lambda form, order: order_cancel(order=order),
        (OrderStatus.DELIVERED, OrderStatus.INVOICED): set_status(OrderStatus.INVOICED),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A placed order stays with its client.
        if not self.is_creating and self.instance.status != OrderStatus.DRAFT:
            freeze_field(self, "client_account")
