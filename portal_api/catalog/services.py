from decimal import Decimal

from django.db import transaction
from django.db.models import F

from .models import Article


@transaction.atomic
def article_adjust_stock(*, article: Article, delta: Decimal) -> Article:
    """Add (or remove, with a negative delta) stock on hand. The database refuses a negative
    stock (CheckConstraint), so concurrent removals cannot go below zero."""
    Article.objects.filter(pk=article.pk).update(stock_on_hand=F("stock_on_hand") + delta)
    article.refresh_from_db(fields=["stock_on_hand", "stock_reserved"])
    return article
