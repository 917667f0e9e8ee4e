"""order_list(): the per-order figures the list and its export show (written as SQL
subqueries for speed, docs/performance.md) on SQLite and PostgreSQL alike."""

from decimal import Decimal

from portal_api.catalog.factories import ArticleFactory
from portal_api.orders import selectors
from portal_api.orders.services import order_create_draft, order_submit


def test_lines_count_and_the_drafts_catalogue_totals(dupond, dupond_company, article, family):
    reduced = ArticleFactory(reference="RED-1", family=family, price_excl_tax=Decimal("12.35"),
                             vat_rate=Decimal("5.50"), stock_on_hand=Decimal("10"))
    empty = order_create_draft(client_account=dupond_company, prepared_by=dupond)
    draft = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                               lines=[(article, Decimal("2")), (reduced, Decimal("3"))])
    placed = order_submit(order=order_create_draft(
        client_account=dupond_company, prepared_by=dupond,
        lines=[(article, Decimal("1"))]), submitted_by=dupond)

    orders = {o.pk: o for o in selectors.order_list(user=dupond)}

    assert orders[empty.pk].lines_count == 0
    assert orders[empty.pk].catalogue_total_excl_tax == 0
    assert orders[empty.pk].catalogue_total_vat == 0
    assert orders[draft.pk].lines_count == 2
    # 2 x 100.00 + 3 x 12.35; VAT 2 x 100.00 x 20 % + 3 x 12.35 x 5.5 %
    assert orders[draft.pk].catalogue_total_excl_tax == Decimal("237.05")
    assert orders[draft.pk].catalogue_total_vat == Decimal("42.03775")
    # Placed orders carry frozen totals: no catalogue total computed for them.
    assert orders[placed.pk].lines_count == 1
    assert orders[placed.pk].catalogue_total_excl_tax is None
    assert orders[placed.pk].catalogue_total_vat is None


def test_scoped_to_the_company(dupond, other_draft):
    assert not selectors.order_list(user=dupond).filter(pk=other_draft.pk).exists()
