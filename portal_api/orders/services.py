from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Max, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal_api.accounts.models import ClientAccount, Site, User
from portal_api.catalog.models import Article
from portal_api.common.admin_forms import format_quantity
from portal_api.common.errors import ServiceError
from portal_api.common.money import round_money, vat_amount
from portal_api.common.services import number_sequence_next
from portal_api.common.status import status_move, status_move_check

from .models import Order, OrderLine, OrderStatus
from .selectors import BACKORDER, REFUSE, stock_policy


@transaction.atomic
def order_create_draft(
    *, client_account: ClientAccount, prepared_by: User | None,
    lines: Iterable[tuple[Article, Decimal]] = (), customer_reference: str = "",
    delivery_site: Site | None = None, comment: str = "",
) -> Order:
    """A draft with its lines as given (demo data, staff tools): the stock policy is not
    applied here but at placement, which always checks it under lock."""
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
@status_move()
def order_submit(*, order: Order, submitted_by: User | None,
                 idempotency_key: str | None = None) -> Order:
    """Place a draft: freeze prices and VAT, number it and reserve its stock, all or nothing.
    Under the "refuse" stock policy a line asking more than the available stock refuses the
    whole order (409) and names it; under "backorder" the stock covers what it can and the
    rest of each line is back-ordered with the article's expected restock date."""
    if idempotency_key:
        previous = Order.objects.filter(client_account_id=order.client_account_id,
                                        idempotency_key=idempotency_key).first()
        if previous is not None:
            return previous
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        if idempotency_key and order.idempotency_key == idempotency_key:
            return order  # a concurrent repeat of the same request placed it meanwhile
        raise ServiceError(_("Cette commande a déjà été passée."), code="not_draft",
                           status_code=409)
    lines = list(order.lines.all())
    if not lines:
        raise ServiceError(_("Ajoutez au moins un article avant de passer la commande."),
                           code="empty", fields={"lines": [_("La commande est vide.")]})
    # Lock the articles in a fixed order so that two placements cannot deadlock.
    articles = {
        a.pk: a for a in Article.objects.select_for_update(of=("self",)).select_related(
            "family").filter(
            pk__in={line.article_id for line in lines}
        ).order_by("pk")
    }
    unavailable = [
        {"article": a.reference, "label": a.label}
        for a in articles.values()
        if not (a.active and a.visible_to_clients and a.family.visible_to_clients)
    ]
    if unavailable:
        raise ServiceError(
            _("Certains articles ne sont plus proposés : retirez-les de la commande."),
            code="article_unavailable", fields={"lines": unavailable}, status_code=409,
        )
    wanted: dict[int, Decimal] = {}
    for line in lines:
        wanted[line.article_id] = wanted.get(line.article_id, Decimal(0)) + line.quantity
    short = [
        {"article": articles[pk].reference, "label": articles[pk].label,
         "requested": str(qty), "available": str(articles[pk].stock_available)}
        for pk, qty in wanted.items()
        if articles[pk].track_stock and qty > articles[pk].stock_available
    ]
    if short and stock_policy() != BACKORDER:
        raise ServiceError(
            _("Stock insuffisant pour %(count)d article(s) : la commande n'a pas été passée.")
            % {"count": len(short)},
            code="insufficient_stock", fields={"lines": short}, status_code=409,
        )
    # Reserve what the stock covers (all of it under "refuse"), under the articles' locks.
    covered: dict[int, Decimal] = {}
    for pk, qty in wanted.items():
        if articles[pk].track_stock:
            covered[pk] = min(qty, max(articles[pk].stock_available, Decimal(0)))
            if covered[pk]:
                Article.objects.filter(pk=pk).update(
                    stock_reserved=F("stock_reserved") + covered[pk])

    total_excl_tax = Decimal(0)
    bases: dict[Decimal, Decimal] = {}
    for line in lines:
        article = articles[line.article_id]
        line.unit_price_excl_tax = article.price_excl_tax
        line.vat_rate = article.vat_rate
        line.label = line.label or article.label
        line.backordered_quantity, line.restock_date = Decimal(0), None
        if article.track_stock:
            # Lines of one article take the reserved quantity in their order.
            taken = min(line.quantity, covered[article.pk])
            covered[article.pk] -= taken
            line.backordered_quantity = line.quantity - taken
            if line.backordered_quantity:
                line.restock_date = article.restock_date
        amount = round_money(line.quantity * line.unit_price_excl_tax)
        total_excl_tax += amount
        bases[line.vat_rate] = bases.get(line.vat_rate, Decimal(0)) + amount
    OrderLine.objects.bulk_update(lines, ["unit_price_excl_tax", "vat_rate", "label",
                                          "backordered_quantity", "restock_date"])

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
    from workflows.tasks.orders import order_placed_notify_task, order_render_pdf_task

    order_placed_notify_task.delay_on_commit(order.pk)
    # The order's PDF, in the client's documents, dated the day it was placed.
    order_render_pdf_task.delay_on_commit(order.pk)
    return order


def _release_reservation(order: Order) -> None:
    # Only what placing reserved: a back-ordered quantity was never taken from the stock.
    for line in order.lines.select_related("article"):
        if line.article.track_stock and line.reserved_quantity:
            Article.objects.filter(pk=line.article_id).update(
                stock_reserved=F("stock_reserved") - line.reserved_quantity
            )


@transaction.atomic
@status_move()
def order_cancel(*, order: Order, placed_only: bool = False) -> Order:
    """Cancel a placed order not yet confirmed by the staff; its stock is released.
    `placed_only` (the client's API): a draft is deleted, not cancelled."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if placed_only and order.status == OrderStatus.DRAFT:
        raise ServiceError(_("Une commande en préparation se supprime, elle ne s'annule pas."),
                           code="is_draft", status_code=409)
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
@status_move()
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
@status_move()
def order_deliver(*, order: Order) -> Order:
    """Delivery takes the ordered quantities out of the stock: the reserved part, and the
    back-ordered part from the stock available by then (409 while it has not arrived)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.CONFIRMED:
        raise ServiceError(_("Seule une commande confirmée peut être livrée."),
                           code="not_confirmed", status_code=409)
    lines = list(order.lines.select_related("article"))
    waiting: dict[int, Decimal] = {}
    for line in lines:
        if line.backordered_quantity:
            waiting[line.article_id] = (waiting.get(line.article_id, Decimal(0))
                                        + line.backordered_quantity)
    if waiting:
        # Locked in a fixed order, as placement does, so that the check holds until the end.
        articles = Article.objects.select_for_update().filter(pk__in=waiting).order_by("pk")
        missing = [
            {"article": a.reference, "label": a.label, "requested": str(waiting[a.pk]),
             "available": str(a.stock_available)}
            for a in articles if waiting[a.pk] > a.stock_available
        ]
        if missing:
            raise ServiceError(
                _("Le réapprovisionnement des articles en reliquat n'est pas encore arrivé : "
                  "la commande ne peut pas être livrée."),
                code="backorder_not_in_stock", fields={"lines": missing}, status_code=409,
            )
    for line in lines:
        if line.article.track_stock:
            Article.objects.filter(pk=line.article_id).update(
                stock_reserved=F("stock_reserved") - line.reserved_quantity,
                stock_on_hand=F("stock_on_hand") - line.quantity,
            )
    order.status = OrderStatus.DELIVERED
    order.delivered_at = timezone.now()
    order.save(update_fields=["status", "delivered_at", "updated_at"])
    return order


@transaction.atomic
@status_move()
def order_mark_invoiced(*, order: Order) -> Order:
    """A delivered order whose invoice is issued."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DELIVERED:
        raise ServiceError(_("Seule une commande livrée peut être facturée."),
                           code="not_delivered", status_code=409)
    order.status = OrderStatus.INVOICED
    order.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def order_set_status(*, order: Order, status: str, by: User | None, reason: str = "") -> Order:
    """Move an order to a status of its pipeline (Order.STATUS_MOVES) through that move's
    service: placing a draft (prices frozen, numbered, stock reserved; `by` places it),
    confirming, delivering (stock out), invoicing, cancelling (reserved stock released).
    A move not in the pipeline is a 409. An order keeps no reason: `reason` is not used."""
    locked = Order.objects.select_for_update().get(pk=order.pk)
    status_move_check(locked, status)
    moves = {
        OrderStatus.SUBMITTED: lambda: order_submit(order=locked, submitted_by=by),
        OrderStatus.CONFIRMED: lambda: order_confirm(order=locked),
        OrderStatus.DELIVERED: lambda: order_deliver(order=locked),
        OrderStatus.INVOICED: lambda: order_mark_invoiced(order=locked),
        OrderStatus.CANCELLED: lambda: order_cancel(order=locked),
    }
    return moves[status]()


# --- Drafts: what a user with the "prepare orders" right edits -----------------------------

def _locked_draft(order: Order) -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ServiceError(_("Cette commande a déjà été passée : elle ne peut plus être modifiée."),
                           code="not_draft", status_code=409)
    return order


def _check_site(*, client_account_id: int, delivery_site: Site | None) -> None:
    if delivery_site is not None and delivery_site.client_account_id != client_account_id:
        raise ServiceError(_("Ce site de livraison n'existe pas."), code="invalid",
                           fields={"delivery_site": [_("Ce site de livraison n'existe pas.")]})


def _check_quantity(*, article: Article, quantity) -> Decimal:
    try:
        quantity = Decimal(quantity)
    except (ArithmeticError, TypeError, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite():
        raise ServiceError(_("Indiquez une quantité valide."), code="invalid",
                           fields={"quantity": [_("Indiquez une quantité valide.")]})
    if quantity <= 0:
        raise ServiceError(_("La quantité doit être supérieure à zéro."), code="invalid",
                           fields={"quantity": [_("La quantité doit être supérieure à zéro.")]})
    if article.unit == "u" and quantity != quantity.to_integral_value():
        message = _("Cet article se commande à l'unité : indiquez un nombre entier.")
        raise ServiceError(message, code="invalid", fields={"quantity": [message]})
    if quantity >= Decimal("1e9") or quantity.normalize().as_tuple().exponent < -3:
        message = _("Indiquez une quantité valide (trois décimales au plus).")
        raise ServiceError(message, code="invalid", fields={"quantity": [message]})
    return quantity


def _check_stock(*, order: Order, article: Article, quantity: Decimal,
                 line: OrderLine | None = None) -> None:
    """Under the "refuse" stock policy, a draft may not hold more of an article than is
    available now (its other lines of that article count too). Placement checks again under
    lock: the stock may go meanwhile. Under "backorder" any quantity is accepted."""
    if not article.track_stock or stock_policy() != REFUSE:
        return
    others = order.lines.filter(article=article)
    if line is not None:
        others = others.exclude(pk=line.pk)
    in_draft = others.aggregate(total=Sum("quantity"))["total"] or Decimal(0)
    available = max(article.stock_available, Decimal(0))
    if quantity + in_draft <= available:
        return
    if available <= 0:
        message = _("Cet article est en rupture de stock : il ne peut pas être commandé pour "
                    "le moment.")
    elif in_draft:
        message = _("Stock insuffisant : %(available)s disponible(s), dont %(in_draft)s déjà "
                    "dans cette commande. Une quantité supérieure au stock n'est pas "
                    "acceptée.") % {"available": format_quantity(available),
                                    "in_draft": format_quantity(in_draft)}
    else:
        message = _("Stock insuffisant : %(available)s disponible(s) seulement. Une quantité "
                    "supérieure au stock n'est pas acceptée.") % {
            "available": format_quantity(available)}
    raise ServiceError(message, code="insufficient_stock", status_code=409,
                       fields={"quantity": [message]})


@transaction.atomic
def order_draft_create(*, client_account: ClientAccount, prepared_by: User,
                       customer_reference: str = "", delivery_site: Site | None = None,
                       comment: str = "") -> Order:
    """A new, empty draft (several drafts may exist side by side)."""
    _check_site(client_account_id=client_account.pk, delivery_site=delivery_site)
    return order_create_draft(client_account=client_account, prepared_by=prepared_by,
                              customer_reference=customer_reference,
                              delivery_site=delivery_site, comment=comment)


_UNSET = object()


@transaction.atomic
def order_draft_update(*, order: Order, customer_reference=_UNSET, delivery_site=_UNSET,
                       comment=_UNSET) -> Order:
    """Change a draft's reference, delivery site or comment (only the fields given)."""
    order = _locked_draft(order)
    changed = ["updated_at"]
    if customer_reference is not _UNSET:
        order.customer_reference = customer_reference
        changed.append("customer_reference")
    if delivery_site is not _UNSET:
        _check_site(client_account_id=order.client_account_id, delivery_site=delivery_site)
        order.delivery_site = delivery_site
        changed.append("delivery_site")
    if comment is not _UNSET:
        order.comment = comment
        changed.append("comment")
    order.save(update_fields=changed)
    return order


@transaction.atomic
def order_draft_delete(*, order: Order) -> None:
    order = _locked_draft(order)
    order.delete()


@transaction.atomic
def order_line_add(*, order: Order, article: Article, quantity) -> OrderLine:
    """Add an article to a draft; an article already on it gets the quantities added up.
    The stock policy applies (`_check_stock`)."""
    order = _locked_draft(order)
    quantity = _check_quantity(article=article, quantity=quantity)
    _check_stock(order=order, article=article, quantity=quantity)
    line = order.lines.filter(article=article).first()
    if line is not None:
        line.quantity = _check_quantity(article=article, quantity=line.quantity + quantity)
        line.save(update_fields=["quantity"])
    else:
        position = (order.lines.aggregate(m=Max("position"))["m"] or 0) + 1
        line = OrderLine.objects.create(order=order, article=article, label=article.label,
                                        quantity=quantity, position=position)
    order.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def order_line_update(*, line: OrderLine, quantity) -> OrderLine:
    order = _locked_draft(line.order)
    line = OrderLine.objects.select_related("article").get(pk=line.pk, order=order)
    quantity = _check_quantity(article=line.article, quantity=quantity)
    _check_stock(order=order, article=line.article, quantity=quantity, line=line)
    line.quantity = quantity
    line.save(update_fields=["quantity"])
    order.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def order_line_remove(*, line: OrderLine) -> None:
    order = _locked_draft(line.order)
    OrderLine.objects.filter(pk=line.pk, order=order).delete()
    order.save(update_fields=["updated_at"])


# --- Notifications -------------------------------------------------------------------------

@transaction.atomic
def order_notify_placed(*, order_id: int) -> bool:
    """E-mail the staff and the user who placed the order; at most once per order."""
    order = (Order.objects.select_for_update(of=("self",))
             .select_related("client_account", "submitted_by", "delivery_site")
             .filter(pk=order_id).first())
    if order is None or order.placed_notified_at is not None or order.number is None:
        return False
    lines = list(order.lines.all())
    for line in lines:
        # "10", "2,5": Decimal.normalize() would write 10 as "1E+1".
        line.quantity_text = format_quantity(line.quantity)
        line.backordered_text = format_quantity(line.backordered_quantity)
    context = {"order": order, "lines": lines, "client": order.client_account,
               "user": order.submitted_by}
    with translation.override(settings.LANGUAGE_CODE):
        staff = EmailMessage(
            subject=render_to_string("orders/email/staff_subject.txt", context).strip(),
            body=render_to_string("orders/email/staff_body.txt", context),
            to=list(settings.STAFF_NOTIFICATION_EMAILS),
        )
        messages = [staff] if staff.to else []
        if order.submitted_by and order.submitted_by.email:
            messages.append(EmailMessage(
                subject=render_to_string("orders/email/confirmation_subject.txt",
                                         context).strip(),
                body=render_to_string("orders/email/confirmation_body.txt", context),
                to=[order.submitted_by.email],
            ))
    for message in messages:
        message.send()
    order.placed_notified_at = timezone.now()
    order.save(update_fields=["placed_notified_at"])
    return True


def order_render_pdf(*, order: Order) -> bytes:
    """A placed order as a PDF (pure rendering, nothing stored)."""
    from workflows.renderers import render_pdf

    from .selectors import order_pdf_context

    # A French business document, whoever asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        return render_pdf(template="pdf/order.html", context=order_pdf_context(order=order))


def order_pdf_ensure(*, order: Order, replace: bool = False):
    """The placed order's stored PDF (a GED document of the client, related to the order,
    dated the day it was placed), rendered and stored if it has none yet. Safe to run twice
    or concurrently. A draft has none (409): it is not an order yet."""
    from portal_api.documents.models import DocumentKind
    from portal_api.documents.services import source_pdf_ensure

    order = Order.objects.select_related("client_account").get(pk=order.pk)
    if order.submitted_at is None or not order.number:
        raise ServiceError(_("Une commande en préparation n'a pas de PDF."), code="draft",
                           status_code=409)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Commande %(number)s") % {"number": order.number}
    return source_pdf_ensure(
        source=order, kind=DocumentKind.ORDER, render=lambda: order_render_pdf(order=order),
        title=title, filename=f"{order.number}.pdf", client_account=order.client_account,
        document_date=timezone.localdate(order.submitted_at), replace=replace,
    )
