import datetime

import factory
from factory.django import DjangoModelFactory

from portal_api.accounts.factories import ClientAccountFactory

from .models import Contract


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract
        django_get_or_create = ("number",)

    client_account = factory.SubFactory(ClientAccountFactory)
    number = factory.Sequence(lambda n: f"CT-{n:05d}")
    title = "Contrat de maintenance"
    start_date = datetime.date(2026, 1, 1)
    end_date = datetime.date(2026, 12, 31)
