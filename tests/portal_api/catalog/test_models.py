from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from portal_api.catalog.factories import ArticleFactory
from portal_api.catalog.models import Article
from portal_api.catalog.services import article_adjust_stock

pytestmark = pytest.mark.django_db


def test_stock_on_hand_never_negative():
    article = ArticleFactory(stock_on_hand=Decimal("2"))
    with pytest.raises(IntegrityError), transaction.atomic():
        article_adjust_stock(article=article, delta=Decimal("-3"))
    article.refresh_from_db()
    assert article.stock_on_hand == Decimal("2")


def test_reserved_never_above_on_hand_nor_negative():
    article = ArticleFactory(stock_on_hand=Decimal("2"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(stock_reserved=Decimal("3"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(stock_reserved=Decimal("-1"))


def test_price_never_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(price_excl_tax=Decimal("-1"))
