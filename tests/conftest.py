import pytest
from rest_framework.test import APIClient

from portal_api.accounts import roles
from portal_api.accounts.factories import (
    ClientAccountFactory,
    PortalProfileFactory,
    StaffFactory,
    TechnicianProfileFactory,
    UserFactory,
)
from portal_api.accounts.models import PortalRole
from portal_api.accounts.services import staff_role_grant


@pytest.fixture
def dupond_company(db):
    return ClientAccountFactory(code="DUPOND", name="Dupond Industrie")


@pytest.fixture
def other_company(db):
    return ClientAccountFactory(code="AUTRE", name="Autre Client SA")


@pytest.fixture
def dupond(dupond_company):
    """M. Dupond, the buyer: may order, may not request interventions."""
    return PortalProfileFactory(
        user=UserFactory(email="dupond@dupond-industrie.fr", first_name="Jean",
                         last_name="Dupond"),
        client_account=dupond_company, role=PortalRole.BUYER,
    ).user


@pytest.fixture
def martin(dupond_company):
    """M. Martin, technical department: interventions and equipment, no orders."""
    return PortalProfileFactory(
        user=UserFactory(email="martin@dupond-industrie.fr", first_name="Paul",
                         last_name="Martin"),
        client_account=dupond_company, role=PortalRole.TECHNICAL,
    ).user


@pytest.fixture
def other_manager(other_company):
    """A user of another client company, with every right."""
    return PortalProfileFactory(
        user=UserFactory(email="autre@client-exemple.fr"), client_account=other_company,
        role=PortalRole.MANAGER,
    ).user


@pytest.fixture
def julie(db):
    """Julie Bernard, technician, sees only her interventions."""
    return TechnicianProfileFactory(
        user=StaffFactory(email="julie.bernard@atelier-portal.fr", first_name="Julie",
                          last_name="Bernard"),
    ).user


@pytest.fixture
def team_lead(db):
    """Thomas Petit, team-lead technician: sees every intervention."""
    return TechnicianProfileFactory(
        user=StaffFactory(email="thomas.petit@atelier-portal.fr", first_name="Thomas",
                          last_name="Petit"),
        can_see_all_interventions=True,
    ).user


def _back_office(email: str, role: str):
    return staff_role_grant(user=StaffFactory(email=email), role=role)


@pytest.fixture
def dispatcher(db):
    """Back office, the dispatcher role (Action Center): not a technician."""
    return _back_office("dispatch@atelier-portal.fr", roles.DISPATCHER)


@pytest.fixture
def sales_admin(db):
    """Back office, sales administration: orders, invoices, contracts."""
    return _back_office("adv@atelier-portal.fr", roles.SALES)


@pytest.fixture
def content_editor(db):
    """Back office, the content editor: pages, procedures, documents."""
    return _back_office("redaction@atelier-portal.fr", roles.EDITOR)


@pytest.fixture
def administrator(db):
    """Back office, the administrator role (a group, not a superuser)."""
    return _back_office("admin@atelier-portal.fr", roles.ADMINISTRATOR)


@pytest.fixture
def staff_without_role(db):
    """A staff user holding no role: reaches nothing."""
    return StaffFactory(email="sans-role@atelier-portal.fr")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    def login(user):
        api_client.force_authenticate(user=user)
        return api_client

    return login


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no rate-limit count (settings.THROTTLE_CACHE, a cache of its own
    in the test settings): one test's calls never throttle another's."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.THROTTLE_CACHE].clear()
