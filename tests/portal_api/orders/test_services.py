"""Order life cycle: draft → placed → confirmed → delivered, cancel, stock, prices, idempotency."""

from decimal import Decimal

import pytest

from portal_api.catalog.factories import ArticleFactory
from portal_api.catalog.models import Article
from portal_api.common.errors import ServiceError
from portal_api.orders.models import Order, OrderStatus
from portal_api.orders.services import (
    order_cancel,
    order_confirm,
    order_deliver,
    order_draft_update,
    order_line_add,
    order_line_remove,
    order_line_update,
    order_set_status,
    order_submit,
)


def stock(article):
    article.refresh_from_db()
    return article.stock_on_hand, article.stock_reserved


class TestLifeCycle:
    def test_draft_placed_confirmed_delivered(self, draft, dupond, article,
                                              django_capture_on_commit_callbacks, mailoutbox):
        with django_capture_on_commit_callbacks(execute=True):
            order = order_submit(order=draft, submitted_by=dupond)
        assert order.status == OrderStatus.SUBMITTED
        assert order.number.startswith("CO-") and order.submitted_at
        assert stock(article) == (Decimal("10"), Decimal("2"))
        order = order_confirm(order=order)
        assert order.status == OrderStatus.CONFIRMED and order.confirmed_at
        order = order_deliver(order=order)
        assert order.status == OrderStatus.DELIVERED and order.delivered_at
        assert stock(article) == (Decimal("8"), Decimal("0"))
        # Staff and the user were told, once.
        assert sorted(m.to[0] for m in mailoutbox) == ["dupond@dupond-industrie.fr",
                                                       "service-client@example.fr"]
        assert all(order.number in m.subject for m in mailoutbox)
        assert "240,00 €" in mailoutbox[0].body

    def test_notification_task_is_idempotent(self, draft, dupond, mailoutbox,
                                             django_capture_on_commit_callbacks):
        from workflows.tasks.orders import order_placed_notify_task

        with django_capture_on_commit_callbacks(execute=True):
            order = order_submit(order=draft, submitted_by=dupond)
        assert len(mailoutbox) == 2
        assert order_placed_notify_task.delay(order.pk).get() is False
        assert len(mailoutbox) == 2

    def test_prices_and_vat_are_frozen_at_placement(self, draft, dupond, article):
        order = order_submit(order=draft, submitted_by=dupond)
        Article.objects.filter(pk=article.pk).update(price_excl_tax=Decimal("999"),
                                                     vat_rate=Decimal("5.5"))
        line = order.lines.get()
        assert (line.unit_price_excl_tax, line.vat_rate) == (Decimal("100.00"), Decimal("20.00"))
        order.refresh_from_db()
        assert (order.total_excl_tax, order.total_vat, order.total_incl_tax) == (
            Decimal("200.00"), Decimal("40.00"), Decimal("240.00"))

    def test_cancel_releases_the_stock(self, draft, dupond, article):
        order = order_submit(order=draft, submitted_by=dupond)
        assert stock(article)[1] == Decimal("2")
        order = order_cancel(order=order, placed_only=True)
        assert order.status == OrderStatus.CANCELLED and order.cancelled_at
        assert stock(article) == (Decimal("10"), Decimal("0"))

    def test_a_confirmed_order_cannot_be_cancelled(self, draft, dupond, article):
        order = order_confirm(order=order_submit(order=draft, submitted_by=dupond))
        with pytest.raises(ServiceError) as exc:
            order_cancel(order=order, placed_only=True)
        assert exc.value.status_code == 409
        assert stock(article)[1] == Decimal("2")

    def test_a_draft_is_deleted_not_cancelled_by_the_client(self, draft):
        with pytest.raises(ServiceError):
            order_cancel(order=draft, placed_only=True)
        assert Order.objects.get(pk=draft.pk).status == OrderStatus.DRAFT


class TestStock:
    def test_short_stock_refuses_everything_and_names_each_line(self, draft, dupond, article,
                                                                family):
        scarce = ArticleFactory(family=family, stock_on_hand=Decimal("5"))
        order_line_add(order=draft, article=scarce, quantity=3)
        # The stock went down since the draft was filled: placement checks again.
        Article.objects.filter(pk=scarce.pk).update(stock_on_hand=Decimal("1"))
        Article.objects.filter(pk=article.pk).update(stock_reserved=Decimal("9"))
        with pytest.raises(ServiceError) as exc:
            order_submit(order=draft, submitted_by=dupond)
        assert exc.value.status_code == 409
        short = {line["article"]: line["available"] for line in exc.value.fields["lines"]}
        assert short == {article.reference: "1.000", scarce.reference: "1.000"}
        draft.refresh_from_db()
        assert draft.status == OrderStatus.DRAFT and draft.number is None
        assert stock(article) == (Decimal("10"), Decimal("9"))
        assert stock(scarce) == (Decimal("1"), Decimal("0"))
        assert all(line.unit_price_excl_tax is None for line in draft.lines.all())

    def test_labour_is_not_reserved(self, draft, dupond, family):
        labour = ArticleFactory(family=family, kind="labour", unit="h", track_stock=False,
                                stock_on_hand=Decimal("0"))
        order_line_add(order=draft, article=labour, quantity=Decimal("1.5"))
        order_submit(order=draft, submitted_by=dupond)
        assert stock(labour) == (Decimal("0"), Decimal("0"))

    def test_an_article_hidden_since_it_was_added_refuses_placement(self, draft, dupond,
                                                                    article):
        Article.objects.filter(pk=article.pk).update(visible_to_clients=False)
        with pytest.raises(ServiceError) as exc:
            order_submit(order=draft, submitted_by=dupond)
        assert exc.value.code == "article_unavailable"
        assert stock(article)[1] == Decimal("0")


class TestIdempotency:
    def test_same_key_same_order(self, draft, dupond, article, dupond_company):
        first = order_submit(order=draft, submitted_by=dupond, idempotency_key="abc")
        again = order_submit(order=draft, submitted_by=dupond, idempotency_key="abc")
        assert again.pk == first.pk and again.number == first.number
        assert stock(article)[1] == Decimal("2")
        assert Order.objects.exclude(status=OrderStatus.DRAFT).count() == 1

    def test_already_placed_without_the_key_is_409(self, draft, dupond):
        order_submit(order=draft, submitted_by=dupond, idempotency_key="abc")
        with pytest.raises(ServiceError) as exc:
            order_submit(order=draft, submitted_by=dupond)
        assert exc.value.status_code == 409

    def test_empty_draft_is_refused(self, dupond, dupond_company):
        from portal_api.orders.services import order_create_draft

        empty = order_create_draft(client_account=dupond_company, prepared_by=dupond)
        with pytest.raises(ServiceError) as exc:
            order_submit(order=empty, submitted_by=dupond)
        assert exc.value.status_code == 400 and "lines" in exc.value.fields


class TestDraftEditing:
    def test_lines_add_change_remove(self, draft, article):
        line = order_line_add(order=draft, article=article, quantity=3)
        assert line.quantity == Decimal("5")  # merged with the existing 2
        line = order_line_update(line=line, quantity=Decimal("7"))
        assert draft.lines.get().quantity == Decimal("7")
        order_line_remove(line=line)
        assert not draft.lines.exists()

    @pytest.mark.parametrize("quantity", [0, -1, Decimal("1.5"), "abc"])
    def test_bad_quantities(self, draft, article, quantity):
        with pytest.raises(ServiceError) as exc:
            order_line_add(order=draft, article=article, quantity=quantity)
        assert "quantity" in exc.value.fields
        assert draft.lines.get().quantity == Decimal("2")

    def test_fractional_quantities_for_metres(self, draft, family):
        cable = ArticleFactory(family=family, unit="m")
        assert order_line_add(order=draft, article=cable, quantity=Decimal("2.5")).quantity == \
            Decimal("2.5")

    def test_another_companys_site_is_refused(self, draft, other_site):
        with pytest.raises(ServiceError) as exc:
            order_draft_update(order=draft, delivery_site=other_site)
        assert "delivery_site" in exc.value.fields
        draft.refresh_from_db()
        assert draft.delivery_site is None

    def test_a_placed_order_is_not_edited(self, draft, dupond, article):
        order = order_submit(order=draft, submitted_by=dupond)
        with pytest.raises(ServiceError) as exc:
            order_line_add(order=order, article=article, quantity=1)
        assert exc.value.status_code == 409
        assert order.lines.get().quantity == Decimal("2")


class TestSetStatus:
    """order_set_status: the pipeline's moves, each through its service."""

    def test_the_whole_pipeline(self, draft, dupond, sales_admin, article):
        order = order_set_status(order=draft, status=OrderStatus.SUBMITTED, by=dupond)
        assert order.status == OrderStatus.SUBMITTED and order.submitted_by == dupond
        assert order.number.startswith("CO-")
        assert order.allowed_next_statuses() == {OrderStatus.CONFIRMED, OrderStatus.CANCELLED}
        order = order_set_status(order=order, status=OrderStatus.CONFIRMED, by=sales_admin)
        assert order.confirmed_at is not None
        order = order_set_status(order=order, status=OrderStatus.DELIVERED, by=sales_admin)
        assert stock(article) == (Decimal("8"), Decimal("0"))  # order_deliver took the stock
        order = order_set_status(order=order, status=OrderStatus.INVOICED, by=sales_admin)
        assert Order.objects.get(pk=order.pk).status == OrderStatus.INVOICED
        assert order.allowed_next_statuses() == frozenset()

    def test_cancelling_releases_the_stock(self, draft, dupond, sales_admin, article):
        order = order_submit(order=draft, submitted_by=dupond)
        order = order_set_status(order=order, status=OrderStatus.CANCELLED, by=sales_admin,
                                 reason="Doublon")
        assert order.status == OrderStatus.CANCELLED and order.cancelled_at
        assert stock(article) == (Decimal("10"), Decimal("0"))

    @pytest.mark.parametrize("start, target", [
        (OrderStatus.DRAFT, OrderStatus.CONFIRMED),
        (OrderStatus.SUBMITTED, OrderStatus.DELIVERED),
        (OrderStatus.SUBMITTED, OrderStatus.INVOICED),
        (OrderStatus.CONFIRMED, OrderStatus.CANCELLED),
        (OrderStatus.SUBMITTED, OrderStatus.SUBMITTED),
        (OrderStatus.CANCELLED, OrderStatus.SUBMITTED),
    ])
    def test_moves_not_in_the_pipeline_are_409(self, draft, dupond, sales_admin, start,
                                                 target):
        order = draft
        if start != OrderStatus.DRAFT:
            order = order_submit(order=order, submitted_by=dupond)
        if start == OrderStatus.CONFIRMED:
            order = order_confirm(order=order)
        if start == OrderStatus.CANCELLED:
            order = order_cancel(order=order)
        with pytest.raises(ServiceError) as exc:
            order_set_status(order=order, status=target, by=sales_admin)
        assert exc.value.status_code == 409
        labels = dict(OrderStatus.choices)
        assert f"« {labels[start]} »" in exc.value.message
        if target != start:
            assert f"« {labels[target]} »" in exc.value.message
        assert Order.objects.get(pk=order.pk).status == start

    def test_an_unknown_status_is_a_400_on_status(self, draft, sales_admin):
        with pytest.raises(ServiceError) as exc:
            order_set_status(order=draft, status="lost", by=sales_admin)
        assert exc.value.status_code == 400 and list(exc.value.fields) == ["status"]

    def test_a_service_refusal_comes_through(self, draft, dupond, sales_admin, article):
        article.stock_on_hand = Decimal("1")
        article.save()
        with pytest.raises(ServiceError) as exc:
            order_set_status(order=draft, status=OrderStatus.SUBMITTED, by=dupond)
        assert exc.value.code == "insufficient_stock"
        assert Order.objects.get(pk=draft.pk).status == OrderStatus.DRAFT


class TestStockPolicyRefuse:
    """ORDER_STOCK_POLICY = "refuse" (the default): a draft never holds more than the stock
    available (on hand − reserved); the refusal names `quantity`, in French, and writes
    nothing."""

    def test_it_is_the_default(self, settings):
        assert settings.ORDER_STOCK_POLICY == "refuse"

    def test_adding_more_than_available_is_refused(self, draft, article):
        Article.objects.filter(pk=article.pk).update(stock_reserved=Decimal("4"))
        article.refresh_from_db()  # 6 available, 2 already in the draft
        with pytest.raises(ServiceError) as exc:
            order_line_add(order=draft, article=article, quantity=5)
        assert exc.value.status_code == 409 and exc.value.code == "insufficient_stock"
        assert list(exc.value.fields) == ["quantity"]
        assert exc.value.fields["quantity"] == [
            "Stock insuffisant : 6 disponible(s), dont 2 déjà dans cette commande. Une "
            "quantité supérieure au stock n'est pas acceptée."]
        assert draft.lines.get().quantity == Decimal("2")
        assert stock(article) == (Decimal("10"), Decimal("4"))
        # Up to what is available is fine.
        assert order_line_add(order=draft, article=article, quantity=4).quantity == Decimal("6")

    def test_a_new_line_above_the_stock_and_an_out_of_stock_article(self, draft, family):
        valve = ArticleFactory(family=family, stock_on_hand=Decimal("5"))
        gone = ArticleFactory(family=family, stock_on_hand=Decimal("0"))
        with pytest.raises(ServiceError) as exc:
            order_line_add(order=draft, article=valve, quantity=10)
        assert exc.value.fields["quantity"] == [
            "Stock insuffisant : 5 disponible(s) seulement. Une quantité supérieure au stock "
            "n'est pas acceptée."]
        with pytest.raises(ServiceError) as exc:
            order_line_add(order=draft, article=gone, quantity=1)
        assert "rupture de stock" in exc.value.fields["quantity"][0]
        assert draft.lines.count() == 1  # nothing added

    def test_changing_a_line_above_the_stock_is_refused(self, draft, article):
        line = draft.lines.get()
        with pytest.raises(ServiceError) as exc:
            order_line_update(line=line, quantity=11)
        assert "quantity" in exc.value.fields and "10 disponible(s)" in exc.value.message
        assert draft.lines.get().quantity == Decimal("2")
        assert order_line_update(line=line, quantity=10).quantity == Decimal("10")

    def test_articles_without_stock_take_any_quantity(self, draft, family):
        labour = ArticleFactory(family=family, kind="labour", unit="h", track_stock=False,
                                stock_on_hand=Decimal("0"))
        assert order_line_add(order=draft, article=labour, quantity=40).quantity == 40


class TestStockPolicyBackorder:
    """ORDER_STOCK_POLICY = "backorder": any quantity is accepted; placing reserves what the
    stock covers and marks the rest back-ordered with the article's expected restock date."""

    @pytest.fixture(autouse=True)
    def backorder(self, settings):
        settings.ORDER_STOCK_POLICY = "backorder"

    @pytest.fixture
    def restock(self, article):
        import datetime

        article.restock_date = datetime.date(2027, 1, 12)
        article.save(update_fields=["restock_date"])
        return article.restock_date

    def test_more_than_available_is_accepted_and_back_ordered(self, draft, dupond, article,
                                                              restock):
        line = order_line_add(order=draft, article=article, quantity=13)
        assert line.quantity == Decimal("15")  # 10 in stock
        order = order_submit(order=draft, submitted_by=dupond)
        line = order.lines.get()
        assert line.backordered_quantity == Decimal("5") and line.restock_date == restock
        assert line.reserved_quantity == Decimal("10")
        assert stock(article) == (Decimal("10"), Decimal("10"))  # never above on hand
        # The whole quantity is ordered and priced.
        order.refresh_from_db()
        assert order.total_excl_tax == Decimal("1500.00")

    def test_a_line_the_stock_covers_is_not_marked(self, draft, dupond, article, restock):
        line = order_submit(order=draft, submitted_by=dupond).lines.get()
        assert (line.backordered_quantity, line.restock_date) == (Decimal("0"), None)

    def test_an_out_of_stock_article_without_a_date(self, draft, dupond, family):
        gone = ArticleFactory(family=family, stock_on_hand=Decimal("0"))
        order_line_add(order=draft, article=gone, quantity=3)
        order = order_submit(order=draft, submitted_by=dupond)
        line = order.lines.get(article=gone)
        assert (line.backordered_quantity, line.restock_date) == (Decimal("3"), None)
        assert stock(gone) == (Decimal("0"), Decimal("0"))

    def test_lines_of_one_article_share_the_stock_in_order(self, dupond, dupond_company,
                                                          article, restock):
        from portal_api.orders.services import order_create_draft

        order = order_submit(order=order_create_draft(
            client_account=dupond_company, prepared_by=dupond,
            lines=[(article, Decimal("7")), (article, Decimal("6"))]), submitted_by=dupond)
        assert [(line.quantity, line.backordered_quantity) for line in order.lines.all()] == [
            (Decimal("7"), Decimal("0")), (Decimal("6"), Decimal("3"))]
        assert stock(article) == (Decimal("10"), Decimal("10"))

    def test_cancel_releases_only_what_was_reserved(self, draft, dupond, article):
        order_line_add(order=draft, article=article, quantity=10)
        order = order_submit(order=draft, submitted_by=dupond)
        order_cancel(order=order, placed_only=True)
        assert stock(article) == (Decimal("10"), Decimal("0"))

    def test_delivery_waits_for_the_restock(self, draft, dupond, article):
        from portal_api.catalog.services import article_adjust_stock

        order_line_add(order=draft, article=article, quantity=10)
        order = order_confirm(order=order_submit(order=draft, submitted_by=dupond))
        with pytest.raises(ServiceError) as exc:
            order_deliver(order=order)
        assert exc.value.status_code == 409 and exc.value.code == "backorder_not_in_stock"
        assert exc.value.fields["lines"][0]["requested"] == "2.000"
        assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED
        assert stock(article) == (Decimal("10"), Decimal("10"))
        article_adjust_stock(article=article, delta=Decimal("5"))
        order_deliver(order=order)
        assert stock(article) == (Decimal("3"), Decimal("0"))

    def test_the_draft_check_is_off(self, draft, article):
        line = draft.lines.get()
        assert order_line_update(line=line, quantity=500).quantity == Decimal("500")

    def test_the_emails_say_the_back_order(self, draft, dupond, article, restock, mailoutbox,
                                           django_capture_on_commit_callbacks):
        order_line_add(order=draft, article=article, quantity=13)
        with django_capture_on_commit_callbacks(execute=True):
            order_submit(order=draft, submitted_by=dupond)
        assert len(mailoutbox) == 2
        for message in mailoutbox:
            assert ("15 × Circulateur : 100,00 € HT — 5 en reliquat, réapprovisionnement "
                    "prévu le 12/01/2027") in message.body

class TestOrderPdf:
    """A placed order's PDF is stored in its client's documents, dated the day it was placed,
    once, and is in the documents list under « Commande »."""

    def test_placing_an_order_stores_its_pdf(self, draft, dupond, api_as,
                                             django_capture_on_commit_callbacks):
        from django.utils import timezone

        from portal_api.documents.models import Document, DocumentKind

        with django_capture_on_commit_callbacks(execute=True):
            order = order_submit(order=draft, submitted_by=dupond)
        document = Document.objects.get(kind=DocumentKind.ORDER)
        assert document.related_object == order
        assert document.client_account_id == order.client_account_id
        assert document.title == f"Commande {order.number}"
        assert document.file.read().startswith(b"%PDF")
        assert document.document_date == timezone.localdate()  # placed today
        rows = api_as(dupond).get("/api/v1/documents/?kind=order").json()["results"]
        assert [r["id"] for r in rows] == [document.pk]

    def test_ensure_is_idempotent_and_dated_the_placement_day(self, draft, dupond):
        import datetime

        from django.utils import timezone

        from portal_api.orders.services import order_pdf_ensure

        order = order_submit(order=draft, submitted_by=dupond)
        placed = timezone.make_aware(datetime.datetime(2026, 3, 14, 23, 30))  # Paris time
        Order.objects.filter(pk=order.pk).update(submitted_at=placed)
        first = order_pdf_ensure(order=order)
        assert order_pdf_ensure(order=order).pk == first.pk
        assert first.document_date == datetime.date(2026, 3, 14)
        again = order_pdf_ensure(order=order, replace=True)
        assert again.pk != first.pk
        from portal_api.documents.models import Document

        assert list(Document.objects.values_list("pk", flat=True)) == [again.pk]

    def test_the_pdf_shows_the_lines_with_their_units_agreed(self, draft, dupond):
        from io import BytesIO

        from pypdf import PdfReader

        from portal_api.orders.services import order_render_pdf

        order = order_submit(order=draft, submitted_by=dupond)
        text = PdfReader(BytesIO(order_render_pdf(order=order))).pages[0].extract_text()
        assert order.number in text and "BON DE COMMANDE" in text
        assert "2 unités" in text and "Circulateur" in text

    def test_a_draft_has_no_pdf(self, draft):
        from portal_api.orders.services import order_pdf_ensure

        with pytest.raises(ServiceError) as error:
            order_pdf_ensure(order=draft)
        assert error.value.status_code == 409
