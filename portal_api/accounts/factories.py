"""factory_boy factories, shared by the tests and the demo data (seed_demo)."""

import factory
from factory.django import DjangoModelFactory

from .models import ClientAccount, Contact, PortalProfile, PortalRole, Site, TechnicianProfile, User

DEMO_PASSWORD = "Atelier-demo-2026"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"utilisateur{n}@example.fr")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


class ClientAccountFactory(DjangoModelFactory):
    class Meta:
        model = ClientAccount
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CLI{n:04d}")
    name = factory.Faker("company", locale="fr_FR")
    siret = factory.Sequence(lambda n: f"{40000000000000 + n:014d}")
    vat_number = factory.Sequence(lambda n: f"FR{10000000000 + n:011d}")
    address = factory.Faker("street_address", locale="fr_FR")
    postal_code = factory.Faker("postcode", locale="fr_FR")
    city = factory.Faker("city", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"contact@{o.code.lower()}.example.fr")


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = Site

    client_account = factory.SubFactory(ClientAccountFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    address = factory.Faker("street_address", locale="fr_FR")
    postal_code = factory.Faker("postcode", locale="fr_FR")
    city = factory.Faker("city", locale="fr_FR")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    client_account = factory.SubFactory(ClientAccountFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = factory.Faker("job", locale="fr_FR")
    email = factory.Sequence(lambda n: f"contact{n}@example.fr")
    phone = factory.Faker("phone_number", locale="fr_FR")


class PortalProfileFactory(DjangoModelFactory):
    """A portal user with a role preset: PortalProfileFactory(role=PortalRole.BUYER)."""

    class Meta:
        model = PortalProfile

    user = factory.SubFactory(UserFactory)
    client_account = factory.SubFactory(ClientAccountFactory)
    role = PortalRole.CUSTOM

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        role = kwargs.pop("role")
        rights = {k: kwargs.pop(k) for k in list(kwargs) if k.startswith("can_")}
        profile = model_class(*args, **kwargs)
        profile.apply_preset(role)
        for name, value in rights.items():
            setattr(profile, name, value)
        profile.save()
        return profile


class TechnicianProfileFactory(DjangoModelFactory):
    class Meta:
        model = TechnicianProfile

    user = factory.SubFactory(StaffFactory)
