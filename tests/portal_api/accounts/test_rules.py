"""The rights matrix: every preset × every right, through `user.has_perm`."""

import pytest

from portal_api.accounts.factories import (
    ClientAccountFactory,
    PortalProfileFactory,
    StaffFactory,
    TechnicianProfileFactory,
    UserFactory,
)
from portal_api.accounts.models import PORTAL_RIGHTS, ROLE_PRESETS, PortalRole
from portal_api.orders.services import order_create_draft

# The permission that each portal right opens.
PERMISSION_OF_RIGHT = {
    "can_view_catalog": "catalog.browse_catalog",
    "can_prepare_orders": "orders.prepare_order",
    "can_place_orders": "orders.place_order",
    "can_request_interventions": "service.request_intervention",
    "can_follow_interventions": "service.consult_intervention",
    "can_view_invoices": "billing.view_invoices",
    "can_view_documents": "documents.view_documents",
    "can_view_equipment": "service.consult_equipment",
    "can_manage_contacts": "accounts.manage_contacts",
    "can_manage_users": "accounts.manage_portal_users",
}


def test_every_right_has_a_permission():
    assert set(PERMISSION_OF_RIGHT) == set(PORTAL_RIGHTS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [PortalRole.BUYER, PortalRole.TECHNICAL, PortalRole.MANAGER])
@pytest.mark.parametrize("right", sorted(PORTAL_RIGHTS))
def test_preset_rights_matrix(role, right):
    user = PortalProfileFactory(role=role).user
    assert user.has_perm(PERMISSION_OF_RIGHT[right]) is (right in ROLE_PRESETS[role])


@pytest.mark.django_db
@pytest.mark.parametrize("right", sorted(PORTAL_RIGHTS))
def test_a_single_right_opens_only_its_permission(right):
    user = PortalProfileFactory(**{right: True}).user
    granted = {perm for perm in PERMISSION_OF_RIGHT.values() if user.has_perm(perm)}
    assert granted == {PERMISSION_OF_RIGHT[right]}


def test_seed_scenario_rights(dupond, martin):
    assert dupond.has_perm("orders.place_order")
    assert dupond.has_perm("orders.prepare_order")
    assert not dupond.has_perm("service.request_intervention")
    assert not dupond.has_perm("service.consult_equipment")
    assert martin.has_perm("service.request_intervention")
    assert martin.has_perm("service.consult_intervention")
    assert martin.has_perm("service.consult_equipment")
    assert not martin.has_perm("orders.place_order")
    assert not martin.has_perm("orders.prepare_order")


@pytest.mark.django_db
def test_rights_stay_editable_per_user():
    user = PortalProfileFactory(role=PortalRole.BUYER, can_place_orders=False).user
    assert user.has_perm("orders.prepare_order")
    assert not user.has_perm("orders.place_order")


@pytest.mark.django_db
def test_no_right_without_an_active_company():
    user = PortalProfileFactory(role=PortalRole.MANAGER,
                                client_account=ClientAccountFactory(active=False)).user
    assert not any(user.has_perm(perm) for perm in PERMISSION_OF_RIGHT.values())


@pytest.mark.django_db
def test_no_right_without_a_profile_or_when_inactive():
    assert not any(UserFactory().has_perm(p) for p in PERMISSION_OF_RIGHT.values())
    user = PortalProfileFactory(role=PortalRole.MANAGER).user
    user.is_active = False
    user.save()
    assert not any(user.has_perm(p) for p in PERMISSION_OF_RIGHT.values())


def test_object_rules_follow_company_and_state(dupond, other_manager, dupond_company):
    draft = order_create_draft(client_account=dupond_company, prepared_by=dupond)
    assert dupond.has_perm("orders.place_order", draft)
    assert not other_manager.has_perm("orders.place_order", draft)
    draft.status = "submitted"
    assert not dupond.has_perm("orders.place_order", draft)
    assert dupond.has_perm("orders.cancel_order", draft)


def test_technician_rights(julie, dispatcher):
    import rules

    assert rules.test_rule("access_intranet", julie)
    assert not rules.test_rule("access_extranet", julie)
    assert julie.has_perm("service.consult_equipment")
    assert julie.has_perm("service.create_intervention")
    assert julie.has_perm("catalog.browse_catalog")
    # A dispatcher is staff but has no intranet.
    assert not rules.test_rule("access_intranet", dispatcher)
    assert dispatcher.has_perm("service.consult_intervention")


@pytest.mark.django_db
def test_superuser_without_technician_profile_has_no_intranet():
    import rules

    admin = StaffFactory(is_superuser=True)
    assert not rules.test_rule("access_intranet", admin)
    assert rules.test_rule("access_intranet", TechnicianProfileFactory(user=admin).user)


@pytest.mark.django_db
def test_deactivated_technician_loses_the_intranet():
    import rules

    profile = TechnicianProfileFactory(active=False)
    assert not rules.test_rule("access_intranet", profile.user)
    assert not profile.user.groups.filter(name="Techniciens").exists()
