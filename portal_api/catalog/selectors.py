from django.db.models import QuerySet

from portal_api.accounts.models import User
from portal_api.accounts.rules import is_staff_member, is_technician, portal_profile_of

from .models import Article


def article_list(*, user: User) -> QuerySet[Article]:
    """Articles the user may see: a client only those that both the article and its family
    show to clients, a technician those shown to technicians; staff see all."""
    qs = Article.objects.select_related("family").filter(active=True)
    if is_technician(user):
        return qs.filter(visible_to_technicians=True, family__visible_to_technicians=True)
    if is_staff_member(user):
        return qs
    if portal_profile_of(user) is not None:
        return qs.filter(visible_to_clients=True, family__visible_to_clients=True)
    return qs.none()
