from decimal import Decimal

import pytest

from portal_api.accounts.factories import SiteFactory
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.orders.services import order_create_draft


@pytest.fixture
def family(db):
    return ArticleFamilyFactory(code="CHAUF", name="Chauffage")


@pytest.fixture
def article(family):
    return ArticleFactory(reference="CHD-001", label="Circulateur", family=family,
                          price_excl_tax=Decimal("100.00"), vat_rate=Decimal("20.00"),
                          stock_on_hand=Decimal("10"))


@pytest.fixture
def hidden_article(family):
    return ArticleFactory(reference="SECRET-1", label="Article interne", family=family,
                          visible_to_clients=False)


@pytest.fixture
def dupond_site(dupond_company):
    return SiteFactory(client_account=dupond_company, name="Usine de Lyon")


@pytest.fixture
def other_site(other_company):
    return SiteFactory(client_account=other_company, name="Site d'un autre")


@pytest.fixture
def draft(dupond, dupond_company, article):
    return order_create_draft(client_account=dupond_company, prepared_by=dupond,
                              lines=[(article, Decimal("2"))], customer_reference="REF-1")


@pytest.fixture
def other_draft(other_manager, other_company, article):
    return order_create_draft(client_account=other_company, prepared_by=other_manager,
                              lines=[(article, Decimal("1"))], customer_reference="AUTRE-1")
