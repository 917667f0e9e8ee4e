"""Orders API: isolation (404), rights (403), bad input (400/409), nothing changed; constant
query counts; the .xlsx export."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from portal_api.catalog.models import Article
from portal_api.common.status import status_move
from portal_api.orders.models import Order, OrderLine, OrderStatus
from portal_api.orders.services import order_create_draft, order_submit


def snapshot():
    """Everything an order endpoint could change."""
    return (
        list(Order.objects.order_by("pk").values_list(
            "pk", "status", "number", "customer_reference", "delivery_site_id", "comment",
            "submitted_by_id", "total_incl_tax")),
        list(OrderLine.objects.order_by("pk").values_list("pk", "order_id", "article_id",
                                                          "quantity", "unit_price_excl_tax")),
        list(Article.objects.order_by("pk").values_list("pk", "stock_on_hand", "stock_reserved")),
    )


def error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["message"]
    if field:
        assert field in body["fields"], body
    return body


def endpoints(order_id, line_id):
    return [
        ("get", f"/api/v1/orders/{order_id}/", None),
        ("patch", f"/api/v1/orders/{order_id}/", {"customer_reference": "PIRATE"}),
        ("delete", f"/api/v1/orders/{order_id}/", None),
        ("post", f"/api/v1/orders/{order_id}/lines/", {"article": 0, "quantity": "1"}),
        ("patch", f"/api/v1/orders/{order_id}/lines/{line_id}/", {"quantity": "9"}),
        ("delete", f"/api/v1/orders/{order_id}/lines/{line_id}/", None),
        ("post", f"/api/v1/orders/{order_id}/place/", None),
        ("post", f"/api/v1/orders/{order_id}/cancel/", None),
    ]


class TestIsolationAndRights:
    def test_another_companys_order_is_404_everywhere(self, api_as, dupond, other_draft,
                                                      article):
        client = api_as(dupond)
        line = other_draft.lines.get()
        before = snapshot()
        for method, url, body in endpoints(other_draft.pk, line.pk):
            if "lines/" in url and body and "article" in body:
                body = {"article": article.pk, "quantity": "1"}
            response = getattr(client, method)(url, body, format="json")
            error(response, 404)
        assert snapshot() == before

    def test_list_and_export_hold_only_the_company(self, api_as, dupond, draft, other_draft):
        client = api_as(dupond)
        ids = [o["id"] for o in client.get("/api/v1/orders/").json()["results"]]
        assert ids == [draft.pk]
        sheet = load_workbook(io.BytesIO(
            b"".join(client.get("/api/v1/orders/?format=xlsx").streaming_content))).active
        references = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert references == ["REF-1"]

    def test_martin_without_the_rights_gets_403_and_nothing_changes(self, api_as, martin,
                                                                    draft, article):
        client = api_as(martin)
        line = draft.lines.get()
        before = snapshot()
        error(client.get("/api/v1/orders/"), 403)
        error(client.get("/api/v1/orders/?format=xlsx"), 403)
        error(client.post("/api/v1/orders/", {}, format="json"), 403)
        for method, url, body in endpoints(draft.pk, line.pk):
            if body and "article" in body:
                body = {"article": article.pk, "quantity": "1"}
            error(getattr(client, method)(url, body, format="json"), 403)
        assert snapshot() == before

    def test_a_preparer_cannot_place_nor_cancel(self, api_as, dupond, draft):
        dupond.portal_profile.can_place_orders = False
        dupond.portal_profile.save()
        client = api_as(dupond)
        body = client.get(f"/api/v1/orders/{draft.pk}/").json()
        assert body["can"] == {"edit": True, "place": False, "cancel": False}
        before = snapshot()
        error(client.post(f"/api/v1/orders/{draft.pk}/place/"), 403)
        assert snapshot() == before

    def test_a_colleague_places_duponds_draft(self, api_as, dupond_company, draft):
        from portal_api.accounts.factories import PortalProfileFactory, UserFactory
        from portal_api.accounts.models import PortalRole

        boss = PortalProfileFactory(user=UserFactory(email="chef@dupond-industrie.fr"),
                                    client_account=dupond_company,
                                    role=PortalRole.MANAGER).user
        response = api_as(boss).post(f"/api/v1/orders/{draft.pk}/place/")
        assert response.status_code == 200
        assert response.json()["submitted_by"]["id"] == boss.pk
        assert response.json()["prepared_by"]["name"] == "Jean Dupond"

    def test_anonymous_is_401(self, api_client, draft):
        assert api_client.get("/api/v1/orders/").status_code == 401
        assert api_client.post(f"/api/v1/orders/{draft.pk}/place/").status_code == 401


class TestDrafts:
    def test_create_edit_lines_and_delete(self, api_as, dupond, article, dupond_site):
        client = api_as(dupond)
        response = client.post("/api/v1/orders/", {"customer_reference": "CHANTIER-7",
                                                   "delivery_site": dupond_site.pk,
                                                   "comment": "Quai 2"}, format="json")
        assert response.status_code == 201
        order = response.json()
        assert order["status"] == "draft" and order["delivery_site"]["id"] == dupond_site.pk
        assert order["prepared_by"]["id"] == dupond.pk
        oid = order["id"]
        order = client.post(f"/api/v1/orders/{oid}/lines/",
                            {"article": article.pk, "quantity": "3"}, format="json").json()
        assert order["lines"][0]["reference"] == "CHD-001"
        assert order["total_excl_tax"] == "300.00" and order["total_incl_tax"] == "360.00"
        line_id = order["lines"][0]["id"]
        order = client.patch(f"/api/v1/orders/{oid}/lines/{line_id}/", {"quantity": "4"},
                             format="json").json()
        assert order["lines"][0]["quantity"] == "4.000"
        order = client.patch(f"/api/v1/orders/{oid}/", {"comment": "Quai 3"},
                             format="json").json()
        assert order["comment"] == "Quai 3" and order["customer_reference"] == "CHANTIER-7"
        order = client.delete(f"/api/v1/orders/{oid}/lines/{line_id}/").json()
        assert order["lines"] == []
        assert client.delete(f"/api/v1/orders/{oid}/").status_code == 204
        assert not Order.objects.filter(pk=oid).exists()

    def test_several_drafts(self, api_as, dupond):
        client = api_as(dupond)
        for _ in range(3):
            assert client.post("/api/v1/orders/", {}, format="json").status_code == 201
        data = client.get("/api/v1/orders/?status=draft").json()
        assert data["count"] == 3 and data["can"] == {"create": True}

    @pytest.mark.parametrize(("body", "field"), [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-2"}, "quantity"),
        ({"quantity": "1.5"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"quantity": ""}, "quantity"),
        ({"article": 999999}, "article"),
        ({"article": "x"}, "article"),
        ({"article": None}, "article"),
    ])
    def test_bad_lines_are_400_naming_the_field(self, api_as, dupond, draft, article, body,
                                                field):
        before = snapshot()
        payload = {"article": article.pk, "quantity": "1", **body}
        response = api_as(dupond).post(f"/api/v1/orders/{draft.pk}/lines/", payload,
                                       format="json")
        error(response, 400, field)
        assert snapshot() == before

    def test_hidden_article_is_400(self, api_as, dupond, draft, hidden_article):
        before = snapshot()
        response = api_as(dupond).post(f"/api/v1/orders/{draft.pk}/lines/",
                                       {"article": hidden_article.pk, "quantity": "1"},
                                       format="json")
        body = error(response, 400, "article")
        assert "n'existe pas" in body["fields"]["article"][0]
        assert snapshot() == before

    def test_another_companys_site_is_400(self, api_as, dupond, draft, other_site):
        client = api_as(dupond)
        before = snapshot()
        error(client.patch(f"/api/v1/orders/{draft.pk}/", {"delivery_site": other_site.pk},
                           format="json"), 400, "delivery_site")
        error(client.post("/api/v1/orders/", {"delivery_site": other_site.pk}, format="json"),
              400, "delivery_site")
        assert snapshot() == before

    def test_line_of_another_order_is_404(self, api_as, dupond, dupond_company, draft,
                                          article):
        second = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                                    lines=[(article, Decimal("1"))])
        line = second.lines.get()
        error(api_as(dupond).patch(f"/api/v1/orders/{draft.pk}/lines/{line.pk}/",
                                   {"quantity": "5"}, format="json"), 404)
        assert second.lines.get().quantity == Decimal("1")

    def test_put_is_not_offered(self, api_as, dupond, draft):
        assert api_as(dupond).put(f"/api/v1/orders/{draft.pk}/", {}, format="json")\
            .status_code == 405


class TestPlaceAndCancel:
    def test_place_with_idempotency_key(self, api_as, dupond, draft, article, mailoutbox,
                                        django_capture_on_commit_callbacks):
        client = api_as(dupond)
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(f"/api/v1/orders/{draft.pk}/place/", HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == 200
        body = first.json()
        assert body["status"] == "submitted" and body["number"]
        assert body["can"] == {"edit": False, "place": False, "cancel": True}
        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(f"/api/v1/orders/{draft.pk}/place/", HTTP_IDEMPOTENCY_KEY="k-1")
        assert again.status_code == 200 and again.json()["number"] == body["number"]
        assert Order.objects.exclude(status=OrderStatus.DRAFT).count() == 1
        assert Article.objects.get(pk=article.pk).stock_reserved == Decimal("2")
        assert len(mailoutbox) == 2
        before = snapshot()
        error(client.post(f"/api/v1/orders/{draft.pk}/place/"), 409)
        error(client.post(f"/api/v1/orders/{draft.pk}/lines/",
                          {"article": article.pk, "quantity": "1"}, format="json"), 409)
        assert snapshot() == before

    def test_short_stock_is_409_naming_the_lines(self, api_as, dupond, draft, article):
        Article.objects.filter(pk=article.pk).update(stock_reserved=Decimal("9"))
        before = snapshot()
        body = error(api_as(dupond).post(f"/api/v1/orders/{draft.pk}/place/"), 409, "lines")
        assert body["code"] == "insufficient_stock"
        assert body["fields"]["lines"] == [{"article": "CHD-001", "label": "Circulateur",
                                            "requested": "2.000", "available": "1.000"}]
        assert snapshot() == before

    def test_empty_draft_is_400(self, api_as, dupond, dupond_company):
        empty = order_create_draft(client_account=dupond_company, prepared_by=dupond)
        error(api_as(dupond).post(f"/api/v1/orders/{empty.pk}/place/"), 400, "lines")
        assert Order.objects.get(pk=empty.pk).status == OrderStatus.DRAFT

    def test_too_long_idempotency_key_is_400(self, api_as, dupond, draft):
        error(api_as(dupond).post(f"/api/v1/orders/{draft.pk}/place/",
                                  HTTP_IDEMPOTENCY_KEY="x" * 81), 400, "Idempotency-Key")
        assert Order.objects.get(pk=draft.pk).status == OrderStatus.DRAFT

    def test_cancel_until_confirmed(self, api_as, dupond, draft, article):
        from portal_api.orders.services import order_confirm

        client = api_as(dupond)
        error(client.post(f"/api/v1/orders/{draft.pk}/cancel/"), 409)
        client.post(f"/api/v1/orders/{draft.pk}/place/")
        response = client.post(f"/api/v1/orders/{draft.pk}/cancel/")
        assert response.status_code == 200 and response.json()["status"] == "cancelled"
        assert Article.objects.get(pk=article.pk).stock_reserved == Decimal("0")
        second = order_create_draft(client_account=draft.client_account, prepared_by=dupond,
                                    lines=[(article, Decimal("1"))])
        order_confirm(order=order_submit(order=second, submitted_by=dupond))
        error(client.post(f"/api/v1/orders/{second.pk}/cancel/"), 409)
        assert Order.objects.get(pk=second.pk).status == OrderStatus.CONFIRMED


class TestListFiltersAndExport:
    @pytest.fixture
    def orders(self, dupond, dupond_company, article):
        placed = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                                    lines=[(article, Decimal("1"))],
                                    customer_reference="=HYPERLINK(\"http://x\")")
        placed = order_submit(order=placed, submitted_by=dupond)
        draft = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                                   lines=[(article, Decimal("1"))], customer_reference="BROUILLON")
        return placed, draft

    def test_filters(self, api_as, dupond, orders):
        placed, draft = orders
        client = api_as(dupond)

        def ids(query):
            return [o["id"] for o in client.get(f"/api/v1/orders/?{query}").json()["results"]]

        assert ids("status=submitted") == [placed.pk]
        assert ids("search=brouil") == [draft.pk]
        assert ids(f"search={placed.number}") == [placed.pk]
        assert set(ids(f"prepared_by={dupond.pk}")) == {placed.pk, draft.pk}
        assert ids(f"submitted_by={dupond.pk}") == [placed.pk]
        assert set(ids("created_from=2000-01-01&created_to=2999-01-01")) == {placed.pk, draft.pk}
        assert ids("created_to=2000-01-01") == []
        assert ids("submitted_from=2000-01-01") == [placed.pk]
        assert ids("ordering=created_at") == [placed.pk, draft.pk]
        assert ids("ordering=-created_at") == [draft.pk, placed.pk]

    @pytest.mark.parametrize(("query", "field"), [
        ("created_from=2026-02-01&created_to=2026-01-01", "created_to"),
        ("submitted_from=2026-02-01&submitted_to=2026-01-01", "submitted_to"),
        ("created_from=pas-une-date", "created_from"),
        ("status=inconnu", "status"),
    ])
    def test_bad_filters_are_400(self, api_as, dupond, orders, query, field):
        error(api_as(dupond).get(f"/api/v1/orders/?{query}"), 400, field)
        error(api_as(dupond).get(f"/api/v1/orders/?{query}&format=xlsx"), 400, field)

    def test_export_holds_the_filtered_rows_escaped(self, api_as, dupond, orders):
        placed, _draft = orders
        response = api_as(dupond).get("/api/v1/orders/?format=xlsx&status=submitted")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="commandes-')
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("Numéro", "Statut", "Référence client")
        assert len(rows) == 2
        assert rows[1][0] == placed.number and rows[1][1] == "Passée"
        assert rows[1][2] == "'=HYPERLINK(\"http://x\")"  # stays text
        assert rows[1][-1] == 120

    def test_list_runs_a_constant_number_of_queries(self, client, dupond, dupond_company,
                                                    article, dupond_site):
        client.force_login(dupond)

        def make(count):
            for _ in range(count):
                order = order_create_draft(client_account=dupond_company, prepared_by=dupond,
                                           lines=[(article, Decimal("1"))],
                                           delivery_site=dupond_site)
                if _ % 2:
                    with status_move():
                        Order.objects.filter(pk=order.pk).update(
                            status="submitted", number=f"T-{order.pk}", submitted_by=dupond,
                            submitted_at=order.created_at)

        make(5)
        with CaptureQueriesContext(connection) as small:
            assert client.get("/api/v1/orders/").json()["count"] == 5
        make(45)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/orders/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)
        with CaptureQueriesContext(connection) as export:
            client.get("/api/v1/orders/?format=xlsx")
        assert len(export.captured_queries) <= len(small.captured_queries) + 2


class TestStockPolicy:
    """What a quantity above the available stock gets, through the API (ORDER_STOCK_POLICY)."""

    def test_refuse_is_409_naming_quantity_and_writes_nothing(self, api_as, dupond, draft,
                                                              article):
        client = api_as(dupond)
        before = snapshot()
        body = error(client.post(f"/api/v1/orders/{draft.pk}/lines/",
                                 {"article": article.pk, "quantity": "9"}, format="json"),
                     409, "quantity")
        assert body["code"] == "insufficient_stock"
        assert body["fields"]["quantity"] == [
            "Stock insuffisant : 10 disponible(s), dont 2 déjà dans cette commande. Une "
            "quantité supérieure au stock n'est pas acceptée."]
        line = draft.lines.get()
        error(client.patch(f"/api/v1/orders/{draft.pk}/lines/{line.pk}/", {"quantity": "11"},
                           format="json"), 409, "quantity")
        assert snapshot() == before
        order = client.get(f"/api/v1/orders/{draft.pk}/").json()
        assert order["stock_policy"] == "refuse"
        assert order["lines"][0]["backordered_quantity"] == "0.000"
        assert order["lines"][0]["restock_date"] is None

    def test_the_catalogue_says_the_policy_and_the_restock_date(self, api_as, dupond, article,
                                                                settings):
        import datetime

        Article.objects.filter(pk=article.pk).update(restock_date=datetime.date(2027, 1, 12))
        data = api_as(dupond).get("/api/v1/articles/").json()
        assert data["stock_policy"] == "refuse"
        assert data["results"][0]["restock_date"] == "2027-01-12"
        settings.ORDER_STOCK_POLICY = "backorder"
        assert api_as(dupond).get("/api/v1/articles/").json()["stock_policy"] == "backorder"

    def test_backorder_accepts_marks_the_draft_line_and_freezes_it_at_placement(
            self, api_as, dupond, draft, article, settings):
        import datetime

        settings.ORDER_STOCK_POLICY = "backorder"
        Article.objects.filter(pk=article.pk).update(restock_date=datetime.date(2027, 1, 12))
        client = api_as(dupond)
        response = client.post(f"/api/v1/orders/{draft.pk}/lines/",
                               {"article": article.pk, "quantity": "12"}, format="json")
        assert response.status_code == 201
        order = response.json()
        assert order["stock_policy"] == "backorder"
        line = order["lines"][0]
        assert (line["quantity"], line["quantity_available"]) == ("14.000", "10")
        assert (line["backordered_quantity"], line["restock_date"]) == ("4.000", "2027-01-12")
        placed = client.post(f"/api/v1/orders/{draft.pk}/place/").json()
        line = placed["lines"][0]
        assert placed["status"] == "submitted"
        assert (line["backordered_quantity"], line["restock_date"]) == ("4.000", "2027-01-12")
        assert Article.objects.get(pk=article.pk).stock_reserved == Decimal("10")
        # The restock date moving afterwards does not rewrite what the order said.
        Article.objects.filter(pk=article.pk).update(restock_date=datetime.date(2027, 3, 1))
        line = client.get(f"/api/v1/orders/{draft.pk}/").json()["lines"][0]
        assert line["restock_date"] == "2027-01-12"
