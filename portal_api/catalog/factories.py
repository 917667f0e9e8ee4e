from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from .models import Article, ArticleFamily


class ArticleFamilyFactory(DjangoModelFactory):
    class Meta:
        model = ArticleFamily
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"FAM{n:03d}")
    name = factory.Sequence(lambda n: f"Famille {n}")


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ("reference",)

    family = factory.SubFactory(ArticleFamilyFactory)
    reference = factory.Sequence(lambda n: f"ART-{n:05d}")
    label = factory.Sequence(lambda n: f"Article {n}")
    price_excl_tax = Decimal("42.50")
    vat_rate = Decimal("20.00")
    stock_on_hand = Decimal("10")
