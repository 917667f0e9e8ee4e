from django.conf import settings
from django.db.models import QuerySet

from portal_api.accounts import roles
from portal_api.accounts.models import User
from portal_api.accounts.rules import (
    is_staff_member,
    is_technician,
    portal_profile_of,
    staff_reach,
)

from .models import Article, ArticleFamily

IN_STOCK, LOW, OUT_OF_STOCK, AVAILABLE = "in_stock", "low", "out_of_stock", "available"


def article_list(*, user: User) -> QuerySet[Article]:
    """Articles the user may see: a client only those that both the article and its family
    show to clients, a technician those shown to technicians; staff whose roles reach the
    catalogue see all."""
    qs = Article.objects.select_related("family").filter(active=True)
    if is_technician(user):
        return qs.filter(visible_to_technicians=True, family__visible_to_technicians=True)
    if is_staff_member(user):
        # Staff whose roles reach the catalogue (sales, dispatch, administration) see it all.
        return qs if staff_reach(user, roles.CATALOG) else qs.none()
    if portal_profile_of(user) is not None:
        return qs.filter(visible_to_clients=True, family__visible_to_clients=True)
    return qs.none()


def article_family_list(*, user: User) -> QuerySet[ArticleFamily]:
    """The families holding at least one article the user may see."""
    return ArticleFamily.objects.filter(
        pk__in=article_list(user=user).values("family_id")
    ).order_by("position", "name")


def article_availability(article: Article) -> str:
    """in_stock / low / out_of_stock from the quantity available (on hand − reserved);
    articles without stock (labour, bundles) are always available."""
    if not article.track_stock:
        return AVAILABLE
    available = article.stock_available
    if available <= 0:
        return OUT_OF_STOCK
    if available <= settings.CATALOG_LOW_STOCK_THRESHOLD:
        return LOW
    return IN_STOCK
