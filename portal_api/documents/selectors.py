from django.db.models import Q, QuerySet

from portal_api.accounts.models import User
from portal_api.accounts.rules import is_staff_member
from portal_api.accounts.selectors import scope_to_client

from .models import Document


def document_list(*, user: User) -> QuerySet[Document]:
    qs = scope_to_client(Document.objects.select_related("client_account"), user=user)
    if not is_staff_member(user):
        # A user's exports are his alone.
        qs = qs.filter(Q(owner__isnull=True) | Q(owner=user))
    return qs
