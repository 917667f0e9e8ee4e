from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from portal_api.accounts.models import User
from portal_api.accounts.selectors import scope_to_client

from .models import Order, OrderLine, OrderStatus

_AMOUNT = DecimalField(max_digits=20, decimal_places=5)


def order_list(*, user: User) -> QuerySet[Order]:
    """The user's company's orders, with the number of lines and, for drafts (whose prices are
    not frozen yet), the current catalogue total.

    The per-order figures are correlated subqueries, not a JOIN + GROUP BY: PostgreSQL then
    computes them for the rows of the page only, and the paginator's COUNT(*) stays a plain
    count (measured in bench/: 1.1 s → 0.09 s on a company with 50,000 orders)."""
    lines = OrderLine.objects.filter(order=OuterRef("pk")).order_by().values("order")

    def per_order(expression, output_field):
        return Coalesce(Subquery(lines.annotate(v=expression).values("v"),
                                 output_field=output_field),
                        Value(0), output_field=output_field)

    def draft_only(expression):
        return Case(When(status=OrderStatus.DRAFT, then=per_order(expression, _AMOUNT)),
                    default=None, output_field=_AMOUNT)

    price = F("quantity") * F("article__price_excl_tax")
    # The company is not joined: the list is scoped to it and shows nothing of it.
    return scope_to_client(
        Order.objects.select_related("prepared_by", "submitted_by", "delivery_site"),
        user=user,
    ).annotate(
        lines_count=per_order(Count("pk"), IntegerField()),
        catalogue_total_excl_tax=draft_only(Sum(price)),
        catalogue_total_vat=draft_only(Sum(price * F("article__vat_rate") / 100)),
    )


def order_detail_list(*, user: User) -> QuerySet[Order]:
    """The same orders with their lines and articles, for detail pages."""
    return order_list(user=user).prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("article__family"))
    )
