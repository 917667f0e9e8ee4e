from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory


@pytest.fixture
def catalogue(db):
    heating = ArticleFamilyFactory(code="CHAUF", name="Chauffage")
    secret = ArticleFamilyFactory(code="SECRET", name="Interne", visible_to_clients=False)
    return {
        "pump": ArticleFactory(reference="CIRC-25", label="Circulateur basse consommation",
                               family=heating, stock_on_hand=Decimal("12")),
        "valve": ArticleFactory(reference="VAN-3V", label="Vanne trois voies", family=heating,
                                stock_on_hand=Decimal("4"), stock_reserved=Decimal("1")),
        "gone": ArticleFactory(reference="JOINT-1", label="Joint fibre", family=heating,
                               stock_on_hand=Decimal("2"), stock_reserved=Decimal("2")),
        "hour": ArticleFactory(reference="MO-H", label="Main-d'œuvre", family=heating,
                               kind="labour", unit="h", track_stock=False,
                               stock_on_hand=Decimal("0")),
        "hidden": ArticleFactory(reference="HID-1", label="Circulateur interne",
                                 family=heating, visible_to_clients=False),
        "hidden_family": ArticleFactory(reference="HID-2", label="Circulateur secret",
                                        family=secret),
    }


def refs(response):
    assert response.status_code == 200, response.content
    return [a["reference"] for a in response.json()["results"]]


@override_settings(CATALOG_LOW_STOCK_THRESHOLD=5)
def test_list_with_availability(api_as, dupond, catalogue):
    data = api_as(dupond).get("/api/v1/articles/").json()
    by_ref = {a["reference"]: a for a in data["results"]}
    assert sorted(by_ref) == ["CIRC-25", "JOINT-1", "MO-H", "VAN-3V"]
    assert (by_ref["CIRC-25"]["availability"], by_ref["CIRC-25"]["quantity_available"]) == (
        "in_stock", "12")
    assert (by_ref["VAN-3V"]["availability"], by_ref["VAN-3V"]["quantity_available"]) == (
        "low", "3")
    assert by_ref["JOINT-1"]["availability"] == "out_of_stock"
    assert by_ref["MO-H"]["availability"] == "available"
    assert by_ref["MO-H"]["quantity_available"] is None
    pump = by_ref["CIRC-25"]
    assert pump["price_excl_tax"] == "42.50" and pump["vat_rate"] == "20.00"
    assert pump["unit"] == "u" and pump["family"]["code"] == "CHAUF"
    assert data["can"] == {"prepare_orders": True}


def test_search_by_reference_or_words(api_as, dupond, catalogue):
    client = api_as(dupond)
    assert refs(client.get("/api/v1/articles/?search=circulateur")) == ["CIRC-25"]
    assert refs(client.get("/api/v1/articles/?search=van-3")) == ["VAN-3V"]
    assert refs(client.get("/api/v1/articles/?search=vanne voies")) == ["VAN-3V"]
    assert refs(client.get("/api/v1/articles/?search=secret")) == []
    assert refs(client.get("/api/v1/articles/?search=HID")) == []


def test_family_filter_and_families(api_as, dupond, catalogue):
    client = api_as(dupond)
    heating = catalogue["pump"].family
    assert len(refs(client.get(f"/api/v1/articles/?family={heating.pk}"))) == 4
    secret = catalogue["hidden_family"].family
    assert refs(client.get(f"/api/v1/articles/?family={secret.pk}")) == []
    response = client.get("/api/v1/articles/?family=999999")
    assert response.status_code == 400 and "family" in response.json()["error"]["fields"]
    families = client.get("/api/v1/article-families/").json()
    assert [f["code"] for f in families] == ["CHAUF"]


def test_hidden_article_detail_is_404(api_as, dupond, catalogue):
    client = api_as(dupond)
    assert client.get(f"/api/v1/articles/{catalogue['pump'].pk}/").status_code == 200
    for key in ("hidden", "hidden_family"):
        response = client.get(f"/api/v1/articles/{catalogue[key].pk}/")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_without_the_right_403(api_as, martin, catalogue):
    client = api_as(martin)
    assert client.get("/api/v1/articles/").status_code == 403
    assert client.get(f"/api/v1/articles/{catalogue['pump'].pk}/").status_code == 403
    assert client.get("/api/v1/article-families/").status_code == 403


def test_read_only(api_as, dupond, catalogue):
    client = api_as(dupond)
    assert client.post("/api/v1/articles/", {"reference": "X"}).status_code == 405
    assert client.delete(f"/api/v1/articles/{catalogue['pump'].pk}/").status_code == 405


def test_buyer_without_prepare_right_is_told(api_as, dupond, catalogue):
    dupond.portal_profile.can_prepare_orders = False
    dupond.portal_profile.save()
    assert api_as(dupond).get("/api/v1/articles/").json()["can"] == {"prepare_orders": False}


def test_constant_number_of_queries(client, dupond, db):
    client.force_login(dupond)
    family = ArticleFamilyFactory()
    ArticleFactory.create_batch(5, family=family)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/articles/").json()["count"] == 5
    for index in range(45):
        ArticleFactory(family=ArticleFamilyFactory() if index % 3 else family)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get("/api/v1/articles/").json()["results"]) == 50
    assert len(large.captured_queries) == len(small.captured_queries)
