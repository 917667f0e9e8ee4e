from django.db.models import QuerySet

from portal_api.accounts.models import User
from portal_api.accounts.rules import is_staff_member
from portal_api.accounts.selectors import scope_to_client

from .models import Contract, Invoice, InvoiceStatus


def invoice_list(*, user: User) -> QuerySet[Invoice]:
    qs = scope_to_client(Invoice.objects.select_related("client_account"), user=user)
    if not is_staff_member(user):
        qs = qs.exclude(status=InvoiceStatus.DRAFT)
    return qs


def contract_list(*, user: User) -> QuerySet[Contract]:
    return scope_to_client(Contract.objects.select_related("client_account"), user=user)
