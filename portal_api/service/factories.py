import factory
from factory.django import DjangoModelFactory

from portal_api.accounts.factories import SiteFactory

from .models import Equipment


class EquipmentFactory(DjangoModelFactory):
    class Meta:
        model = Equipment

    site = factory.SubFactory(SiteFactory)
    client_account = factory.SelfAttribute("site.client_account")
    serial_number = factory.Sequence(lambda n: f"SN-{n:06d}")
    brand = "Viessmann"
    model = "Vitodens 200"
