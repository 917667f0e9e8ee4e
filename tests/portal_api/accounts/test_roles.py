"""Staff roles (portal_api/accounts/roles.py): what each role reaches, through the rules and the
selectors, and the groups the migration creates."""

import pytest
from django.contrib.auth.models import Group

from portal_api.accounts import roles
from portal_api.accounts.factories import ContactFactory
from portal_api.accounts.rules import REACH_ALL, REACH_OWN_INTERVENTIONS, staff_reach
from portal_api.accounts.selectors import client_account_list, contact_list, scope_to_client
from portal_api.accounts.services import staff_role_grant
from portal_api.billing.factories import ContractFactory
from portal_api.orders.models import Order
from portal_api.service.factories import InterventionFactory

# The back-office roles' reach, one row a role: a permission → does the role hold it.
STAFF_PERMISSIONS = {
    "orders.view_orders": {"sales", "administrator"},
    "orders.manage_orders": {"sales", "administrator"},
    "billing.view_invoices": {"sales", "administrator"},
    "billing.manage_invoices": {"sales", "administrator"},
    "billing.view_contracts": {"sales", "dispatcher", "administrator", "julie", "team_lead"},
    "service.view_tickets": {"dispatcher", "administrator", "julie", "team_lead"},
    "service.manage_tickets": {"dispatcher", "administrator"},
    "service.consult_intervention": {"dispatcher", "administrator", "julie", "team_lead"},
    "service.consult_all_interventions": {"dispatcher", "administrator", "team_lead"},
    "service.manage_interventions": {"dispatcher", "administrator"},
    "service.consult_equipment": {"dispatcher", "administrator", "julie", "team_lead"},
    "service.view_expenses": {"dispatcher", "administrator", "julie", "team_lead"},
    "catalog.manage_catalog": {"sales", "administrator"},
    "accounts.view_company_contacts": {"sales", "dispatcher", "administrator", "julie",
                                       "team_lead"},
    "accounts.manage_portal_users": {"administrator"},
    "accounts.manage_staff": {"administrator"},
    "documents.manage_documents": {"content_editor", "administrator"},
    "documents.view_general_documents": {"content_editor", "administrator"},
}
STAFF = ("julie", "team_lead", "dispatcher", "sales_admin", "content_editor", "administrator",
         "staff_without_role")
ALIASES = {"sales_admin": "sales"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", STAFF)
@pytest.mark.parametrize("perm", sorted(STAFF_PERMISSIONS))
def test_staff_roles_matrix(request, who, perm):
    user = request.getfixturevalue(who)
    assert user.has_perm(perm) is (ALIASES.get(who, who) in STAFF_PERMISSIONS[perm])


@pytest.mark.django_db
def test_no_role_reaches_nothing(staff_without_role, dupond_company):
    for area in roles.AREAS:
        assert staff_reach(staff_without_role, area) is None
    assert not client_account_list(user=staff_without_role).exists()
    assert not staff_without_role.has_perm("wagtailadmin.access_admin")


@pytest.mark.django_db
def test_a_limited_technician_reaches_only_his_interventions_clients(
        julie, dupond_company, other_company):
    julie.technician_profile.can_create_interventions = False
    julie.technician_profile.save()
    ContractFactory(client_account=dupond_company)
    ContractFactory(client_account=other_company)
    assert staff_reach(julie, roles.CONTRACTS) == REACH_OWN_INTERVENTIONS
    assert staff_reach(julie, roles.ORDERS) is None
    assert staff_reach(julie, roles.INVOICES) is None
    from portal_api.billing.selectors import contract_list

    assert not contract_list(user=julie).exists()
    InterventionFactory(client_account=dupond_company, technicians=[julie])
    assert [c.client_account_id for c in contract_list(user=julie)] == [dupond_company.pk]
    assert not scope_to_client(Order.objects.all(), user=julie, area=roles.ORDERS).exists()
    assert list(client_account_list(user=julie)) == [dupond_company]


@pytest.mark.django_db
def test_one_user_may_hold_several_roles(julie):
    """A technician who also plans (dispatcher) reaches every intervention: the broader role
    wins, area by area."""
    assert staff_reach(julie, roles.INTERVENTIONS) == REACH_OWN_INTERVENTIONS
    staff_role_grant(user=julie, role=roles.DISPATCHER)
    assert staff_reach(julie, roles.INTERVENTIONS) == REACH_ALL
    assert staff_reach(julie, roles.INVOICES) is None


@pytest.mark.django_db
def test_the_migration_created_the_back_office_groups():
    """`migrate` alone (the test database is migrated) gives the roles, with the admin's door
    for each and every permission for the administrator."""
    from django.contrib.auth.models import Permission

    for role in roles.STAFF_ROLES.values():
        if role.group is None:
            continue
        group = Group.objects.get(name=role.group)
        assert group.permissions.filter(codename="access_admin").exists(), role.key
    admins = Group.objects.get(name=roles.STAFF_ROLES[roles.ADMINISTRATOR].group)
    assert admins.permissions.count() == Permission.objects.count()
    editors = Group.objects.get(name=roles.STAFF_ROLES[roles.EDITOR].group)
    assert editors.page_permissions.filter(permission__codename="publish_page").exists()
    assert editors.collection_permissions.filter(permission__codename="add_document").exists()
    # Created by a wagtail-localize migration that may run after ours: added after migrate.
    assert editors.permissions.filter(content_type__app_label="wagtail_localize",
                                      codename="submit_translation").exists()


@pytest.mark.django_db
def test_the_administrator_is_a_role_not_a_superuser(administrator, dupond_company,
                                                     other_company):
    assert not administrator.is_superuser
    assert administrator.has_perm("billing.view_invoices")
    assert administrator.has_perm("wagtailadmin.access_admin")
    # A portal right is a client's, never the administrator's.
    assert not administrator.has_perm("orders.place_orders")
    ContactFactory(client_account=dupond_company)
    ContactFactory(client_account=other_company)
    assert contact_list(user=administrator).count() == 2


@pytest.mark.django_db
def test_a_superuser_is_an_administrator_without_a_clients_rights():
    from portal_api.accounts.factories import UserFactory

    root = UserFactory(email="root@atelier-portal.fr", is_staff=True, is_superuser=True)
    assert staff_reach(root, roles.INVOICES) == REACH_ALL
    assert root.has_perm("billing.view_invoices")
    assert root.has_perm("wagtailadmin.access_admin")  # Django's own: every one
    assert not root.has_perm("orders.place_orders")
    assert not root.has_perm("service.request_intervention")
