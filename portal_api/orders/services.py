from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal_api.accounts.models import ClientAccount, Site, User
from portal_api.catalog.models import Article
from portal_api.common.errors import ServiceError
from portal_api.common.money import round_money, vat_amount
from portal_api.common.services import number_sequence_next

from .models import Order, OrderLine, OrderStatus


@transaction.atomic
def order_create_draft(
    *, client_account: ClientAccount, prepared_by: User | None,
    lines: Iterable[tuple[Article, Decimal]] = (), customer_reference: str = "",
    delivery_site: Site | None = None, comment: str = "",
) -> Order:
    order = Order.objects.create(
        client_account=client_account, prepared_by=prepared_by,
        customer_reference=customer_reference, delivery_site=delivery_site, comment=comment,
    )
    OrderLine.objects.bulk_create([
        OrderLine(order=order, position=i, article=article, label=article.label,
                  quantity=Decimal(quantity))
        for i, (article, quantity) in enumerate(lines)
    ])
    return order


@transaction.atomic
def order_submit(*, order: Order, submitted_by: User | None,
                 idempotency_key: str | None = None) -> Order:
    """Place a draft: freeze prices and VAT, number it and reserve its stock, all or nothing.
    A line asking more than the available stock refuses the whole order (409) and names it."""
    if idempotency_key:
        previous = Order.objects.filter(client_account_id=order.client_account_id,
                                        idempotency_key=idempotency_key).first()
        if previous is not None:
            return previous
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ServiceError(_("Cette commande a déjà été passée."), code="not_draft",
                           status_code=409)
    lines = list(order.lines.select_related("article"))
    if not lines:
        raise ServiceError(_("Ajoutez au moins un article avant de passer la commande."),
                           code="empty", fields={"lines": [_("La commande est vide.")]})
    # Lock the articles in a fixed order so that two placements cannot deadlock.
    articles = {
        a.pk: a for a in Article.objects.select_for_update().filter(
            pk__in={line.article_id for line in lines}
        ).order_by("pk")
    }
    wanted: dict[int, Decimal] = {}
    for line in lines:
        wanted[line.article_id] = wanted.get(line.article_id, Decimal(0)) + line.quantity
    short = [
        {"article": articles[pk].reference, "label": articles[pk].label,
         "requested": str(qty), "available": str(articles[pk].stock_available)}
        for pk, qty in wanted.items()
        if articles[pk].track_stock and qty > articles[pk].stock_available
    ]
    if short:
        raise ServiceError(
            _("Stock insuffisant pour %(count)d article(s) : la commande n'a pas été passée.")
            % {"count": len(short)},
            code="insufficient_stock", fields={"lines": short}, status_code=409,
        )
    for pk, qty in wanted.items():
        if articles[pk].track_stock:
            Article.objects.filter(pk=pk).update(stock_reserved=F("stock_reserved") + qty)

    total_excl_tax = Decimal(0)
    bases: dict[Decimal, Decimal] = {}
    for line in lines:
        article = articles[line.article_id]
        line.unit_price_excl_tax = article.price_excl_tax
        line.vat_rate = article.vat_rate
        line.label = line.label or article.label
        amount = round_money(line.quantity * line.unit_price_excl_tax)
        total_excl_tax += amount
        bases[line.vat_rate] = bases.get(line.vat_rate, Decimal(0)) + amount
    OrderLine.objects.bulk_update(lines, ["unit_price_excl_tax", "vat_rate", "label"])

    now = timezone.now()
    year = timezone.localdate(now).year  # once: the number and its sequence share the year
    sequence = number_sequence_next(name="order", year=year)
    order.number = f"CO-{year}-{sequence:06d}"
    order.status = OrderStatus.SUBMITTED
    order.submitted_by = submitted_by
    order.submitted_at = now
    order.idempotency_key = idempotency_key or None
    order.total_excl_tax = total_excl_tax
    order.total_vat = sum((vat_amount(b, r) for r, b in bases.items()), Decimal(0))
    order.total_incl_tax = order.total_excl_tax + order.total_vat
    order.save()
    return order


def _release_reservation(order: Order) -> None:
    for line in order.lines.select_related("article"):
        if line.article.track_stock:
            Article.objects.filter(pk=line.article_id).update(
                stock_reserved=F("stock_reserved") - line.quantity
            )


@transaction.atomic
def order_cancel(*, order: Order) -> Order:
    """Cancel a placed order not yet confirmed by the staff; its stock is released."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status not in (OrderStatus.DRAFT, OrderStatus.SUBMITTED):
        raise ServiceError(_("Une commande confirmée ne peut plus être annulée en ligne."),
                           code="not_cancellable", status_code=409)
    if order.status == OrderStatus.SUBMITTED:
        _release_reservation(order)
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = timezone.now()
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    return order


@transaction.atomic
def order_confirm(*, order: Order) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.SUBMITTED:
        raise ServiceError(_("Seule une commande passée peut être confirmée."),
                           code="not_submitted", status_code=409)
    order.status = OrderStatus.CONFIRMED
    order.confirmed_at = timezone.now()
    order.save(update_fields=["status", "confirmed_at", "updated_at"])
    return order


@transaction.atomic
def order_deliver(*, order: Order) -> Order:
    """Delivery takes the reserved quantities out of the stock."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.CONFIRMED:
        raise ServiceError(_("Seule une commande confirmée peut être livrée."),
                           code="not_confirmed", status_code=409)
    for line in order.lines.select_related("article"):
        if line.article.track_stock:
            Article.objects.filter(pk=line.article_id).update(
                stock_reserved=F("stock_reserved") - line.quantity,
                stock_on_hand=F("stock_on_hand") - line.quantity,
            )
    order.status = OrderStatus.DELIVERED
    order.delivered_at = timezone.now()
    order.save(update_fields=["status", "delivered_at", "updated_at"])
    return order
