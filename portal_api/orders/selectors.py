from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, QuerySet, Sum

from portal_api.accounts.models import User
from portal_api.accounts.selectors import scope_to_client

from .models import Order, OrderLine

_AMOUNT = DecimalField(max_digits=20, decimal_places=5)


def order_list(*, user: User) -> QuerySet[Order]:
    """The user's company's orders, with the number of lines and, for drafts (whose prices are
    not frozen yet), the current catalogue total."""
    return scope_to_client(
        Order.objects.select_related("client_account", "prepared_by", "submitted_by",
                                     "delivery_site"),
        user=user,
    ).annotate(
        lines_count=Count("lines"),
        catalogue_total_excl_tax=Sum(ExpressionWrapper(
            F("lines__quantity") * F("lines__article__price_excl_tax"), output_field=_AMOUNT)),
        catalogue_total_vat=Sum(ExpressionWrapper(
            F("lines__quantity") * F("lines__article__price_excl_tax")
            * F("lines__article__vat_rate") / 100, output_field=_AMOUNT)),
    )


def order_detail_list(*, user: User) -> QuerySet[Order]:
    """The same orders with their lines and articles, for detail pages."""
    return order_list(user=user).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("article__family"))
    )
