import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portal_api.accounts.factories import (
    ClientAccountFactory,
    PortalProfileFactory,
    StaffFactory,
    UserFactory,
)
from portal_api.accounts.models import PortalProfile, PortalRole, User
from portal_api.accounts.services import (
    portal_profile_create,
    portal_profile_set_rights,
    user_create,
)

pytestmark = pytest.mark.django_db


def test_one_portal_profile_per_user():
    profile = PortalProfileFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PortalProfile.objects.create(user=profile.user, client_account=ClientAccountFactory())


def test_staff_cannot_have_a_portal_profile():
    with pytest.raises(ValidationError) as error:
        portal_profile_create(user=StaffFactory(), client_account=ClientAccountFactory())
    assert "user" in error.value.message_dict


def test_login_is_the_email_case_insensitively():
    user = user_create(email="Marie.Durand@Example.FR", password="Un-mot-de-passe-solide")
    assert user.email == "marie.durand@example.fr"
    assert User.objects.get_by_natural_key("MARIE.DURAND@example.fr") == user
    with pytest.raises(ValidationError), transaction.atomic():
        user_create(email="marie.durand@example.fr")


def test_password_needs_twelve_characters():
    with pytest.raises(ValidationError) as error:
        user_create(email="court@example.fr", password="Court-9x!")
    assert "12" in " ".join(error.value.messages)


def test_presets_fill_rights_and_stay_editable():
    profile = portal_profile_create(user=UserFactory(), client_account=ClientAccountFactory(),
                                    role=PortalRole.TECHNICAL)
    assert profile.can_request_interventions and not profile.can_place_orders
    profile = portal_profile_set_rights(profile=profile, rights={"can_view_catalog": True})
    assert profile.can_view_catalog
    assert profile.role == PortalRole.CUSTOM
    profile = portal_profile_set_rights(profile=profile, role=PortalRole.BUYER)
    assert profile.can_place_orders and not profile.can_request_interventions


def test_profiles_keep_the_view_restriction_groups_in_step():
    profile = PortalProfileFactory()
    assert profile.user.groups.filter(name="Clients").exists()
    user = profile.user
    profile.delete()
    assert not user.groups.filter(name="Clients").exists()


def test_siret_has_14_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientAccountFactory(siret="123")
