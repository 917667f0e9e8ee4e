from django.db.models import QuerySet

from portal_api.accounts.models import User
from portal_api.accounts.selectors import scope_to_client

from .models import Order


def order_list(*, user: User) -> QuerySet[Order]:
    return scope_to_client(
        Order.objects.select_related("client_account", "prepared_by", "submitted_by",
                                     "delivery_site"),
        user=user,
    )
