"""20 simultaneous placements against 5 units in stock (PostgreSQL: real row locks)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from portal_api.accounts.factories import ClientAccountFactory, PortalProfileFactory, UserFactory
from portal_api.accounts.models import PortalRole
from portal_api.catalog.factories import ArticleFactory
from portal_api.catalog.models import Article
from portal_api.common.errors import ServiceError
from portal_api.orders.models import Order, OrderLine, OrderStatus
from portal_api.orders.services import order_create_draft, order_submit


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_placements_reserve_exactly_the_stock():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    company = ClientAccountFactory(code="RUSH")
    buyer = PortalProfileFactory(user=UserFactory(email="rush@example.fr"),
                                 client_account=company, role=PortalRole.BUYER).user
    article = ArticleFactory(reference="RARE-1", stock_on_hand=Decimal("5"))
    drafts = [order_create_draft(client_account=company, prepared_by=buyer,
                                 lines=[(article, Decimal("1"))]) for _ in range(20)]
    barrier = threading.Barrier(20)
    outcomes: dict[int, str] = {}

    def place(order):
        try:
            barrier.wait()
            order_submit(order=order, submitted_by=buyer)
            outcomes[order.pk] = "placed"
        except ServiceError as exc:
            outcomes[order.pk] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()).count("placed") == 5
    assert set(outcomes.values()) == {"placed", "insufficient_stock"}
    article = Article.objects.get(pk=article.pk)
    assert article.stock_reserved == Decimal("5") and article.stock_on_hand == Decimal("5")
    assert article.stock_available >= 0
    for pk, outcome in outcomes.items():
        order = Order.objects.get(pk=pk)
        if outcome == "placed":
            assert order.status == OrderStatus.SUBMITTED and order.number
        else:
            assert order.status == OrderStatus.DRAFT and order.number is None
            assert order.lines.get().unit_price_excl_tax is None
    assert Order.objects.exclude(number=None).values("number").distinct().count() == 5


@pytest.mark.django_db(transaction=True)
def test_simultaneous_back_orders_reserve_the_stock_once(settings):
    """Under the back-order policy every placement goes through, but the stock is reserved
    once: 5 lines covered, 15 back-ordered, never more reserved than on hand."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    settings.ORDER_STOCK_POLICY = "backorder"
    company = ClientAccountFactory(code="RUSHBO")
    buyer = PortalProfileFactory(user=UserFactory(email="rush-bo@example.fr"),
                                 client_account=company, role=PortalRole.BUYER).user
    article = ArticleFactory(reference="RARE-BO", stock_on_hand=Decimal("5"))
    drafts = [order_create_draft(client_account=company, prepared_by=buyer,
                                 lines=[(article, Decimal("1"))]) for _ in range(20)]
    barrier = threading.Barrier(20)
    failures: list[Exception] = []

    def place(order):
        try:
            barrier.wait()
            order_submit(order=order, submitted_by=buyer)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    article = Article.objects.get(pk=article.pk)
    assert article.stock_reserved == Decimal("5") and article.stock_on_hand == Decimal("5")
    lines = OrderLine.objects.filter(article=article)
    assert sorted(line.backordered_quantity for line in lines) == \
        [Decimal("0")] * 5 + [Decimal("1")] * 15
    assert Order.objects.filter(status=OrderStatus.SUBMITTED).count() == 20
