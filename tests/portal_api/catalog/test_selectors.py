from decimal import Decimal

import pytest
from django.test import override_settings

from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.catalog.selectors import (
    article_availability,
    article_family_list,
    article_list,
)


@pytest.fixture
def catalogue(db):
    shown = ArticleFamilyFactory(code="OPEN", name="Ouverte")
    closed = ArticleFamilyFactory(code="SHUT", name="Fermée", visible_to_clients=False)
    tech_only = ArticleFamilyFactory(code="TECH", name="Technique",
                                     visible_to_technicians=True, visible_to_clients=False)
    return {
        "public": ArticleFactory(reference="PUB-1", family=shown),
        "hidden_article": ArticleFactory(reference="HID-1", family=shown,
                                         visible_to_clients=False),
        "hidden_family": ArticleFactory(reference="HID-2", family=closed),
        "inactive": ArticleFactory(reference="OLD-1", family=shown, active=False),
        "not_for_techs": ArticleFactory(reference="CLI-1", family=shown,
                                        visible_to_technicians=False),
        "tech": ArticleFactory(reference="TEC-1", family=tech_only),
    }


def refs(qs):
    return sorted(qs.values_list("reference", flat=True))


def test_client_sees_only_what_family_and_article_both_show(catalogue, dupond):
    assert refs(article_list(user=dupond)) == ["CLI-1", "PUB-1"]
    assert list(article_family_list(user=dupond).values_list("code", flat=True)) == ["OPEN"]


def test_technician_sees_the_technician_catalogue(catalogue, julie):
    assert refs(article_list(user=julie)) == ["HID-1", "HID-2", "PUB-1", "TEC-1"]


def test_staff_see_all_active(catalogue, dispatcher):
    assert len(refs(article_list(user=dispatcher))) == 5


def test_anonymous_and_deactivated_see_nothing(catalogue, dupond):
    from django.contrib.auth.models import AnonymousUser

    assert refs(article_list(user=AnonymousUser())) == []
    dupond.portal_profile.client_account.active = False
    dupond.portal_profile.client_account.save()
    dupond.refresh_from_db()
    assert refs(article_list(user=dupond)) == []


@override_settings(CATALOG_LOW_STOCK_THRESHOLD=5)
@pytest.mark.parametrize(("on_hand", "reserved", "expected"), [
    ("20", "0", "in_stock"), ("6", "0", "in_stock"), ("10", "5", "low"), ("1", "0", "low"),
    ("3", "3", "out_of_stock"), ("0", "0", "out_of_stock"),
])
def test_availability(db, on_hand, reserved, expected):
    article = ArticleFactory.build(stock_on_hand=Decimal(on_hand),
                                   stock_reserved=Decimal(reserved))
    assert article_availability(article) == expected


def test_labour_is_always_available(db):
    assert article_availability(ArticleFactory.build(track_stock=False,
                                                     stock_on_hand=0)) == "available"
