import pytest
from rest_framework.test import APIClient

from portal_api.accounts.factories import (
    ClientAccountFactory,
    PortalProfileFactory,
    StaffFactory,
    TechnicianProfileFactory,
    UserFactory,
)
from portal_api.accounts.models import PortalRole


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
def dispatcher(db):
    """Back-office staff, not a technician."""
    return StaffFactory(email="dispatch@atelier-portal.fr")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    def login(user):
        api_client.force_authenticate(user=user)
        return api_client

    return login
