"""Isolation: every selector returns nothing of another company, whatever the user's rights."""

import datetime

import pytest

from portal_api.accounts import selectors as account_selectors
from portal_api.accounts.factories import ContactFactory, PortalProfileFactory, SiteFactory
from portal_api.accounts.models import PortalRole
from portal_api.billing import selectors as billing_selectors
from portal_api.billing.factories import ContractFactory
from portal_api.billing.services import invoice_create_draft, invoice_issue
from portal_api.catalog.factories import ArticleFactory
from portal_api.documents import selectors as document_selectors
from portal_api.documents.services import document_create
from portal_api.orders import selectors as order_selectors
from portal_api.orders.services import order_create_draft, order_submit
from portal_api.service import selectors as service_selectors
from portal_api.service.factories import EquipmentFactory
from portal_api.service.services import intervention_create, ticket_create


def populate(company, user):
    """One object of every kind for the company."""
    site = SiteFactory(client_account=company)
    ContactFactory(client_account=company)
    ContractFactory(client_account=company)
    equipment = EquipmentFactory(site=site, client_account=company)
    order = order_create_draft(client_account=company, prepared_by=user,
                               lines=[(ArticleFactory(), 1)])
    order_submit(order=order, submitted_by=user)
    invoice = invoice_create_draft(client_account=company, lines=[
        {"label": "Pièce", "quantity": 1, "unit_price_excl_tax": "10.00", "vat_rate": "20.00"}
    ])
    invoice_issue(invoice=invoice, issue_date=datetime.date(2026, 3, 1))
    ticket_create(client_account=company, requester=user, description="Fuite",
                  equipment=equipment)
    intervention_create(client_account=company, site=site, created_by=None,
                        equipment=equipment)
    document_create(title="Contrat", filename="contrat.pdf", content=b"%PDF-1.4 demo",
                    client_account=company)


SELECTORS = {
    "client_accounts": account_selectors.client_account_list,
    "sites": account_selectors.site_list,
    "contacts": account_selectors.contact_list,
    "portal_profiles": account_selectors.portal_profile_list,
    "orders": order_selectors.order_list,
    "invoices": billing_selectors.invoice_list,
    "contracts": billing_selectors.contract_list,
    "equipment": service_selectors.equipment_list,
    "tickets": service_selectors.ticket_list,
    "interventions": service_selectors.intervention_list,
    "documents": document_selectors.document_list,
}


def company_of(obj):
    return obj.pk if obj._meta.model_name == "clientaccount" else obj.client_account_id


@pytest.mark.parametrize("name", sorted(SELECTORS))
def test_selector_never_returns_another_company(name, dupond_company, other_company,
                                                other_manager):
    manager = PortalProfileFactory(client_account=dupond_company, role=PortalRole.MANAGER).user
    populate(dupond_company, manager)
    populate(other_company, other_manager)
    selector = SELECTORS[name]

    mine = list(selector(user=manager))
    assert mine, f"{name}: the company's own objects are visible"
    assert {company_of(o) for o in mine} == {dupond_company.pk}
    theirs = list(selector(user=other_manager))
    assert theirs and {company_of(o) for o in theirs} == {other_company.pk}


@pytest.mark.parametrize("name", sorted(SELECTORS))
def test_selector_returns_nothing_without_access(name, dupond_company, django_user_model):
    manager = PortalProfileFactory(client_account=dupond_company, role=PortalRole.MANAGER).user
    populate(dupond_company, manager)
    dupond_company.active = False
    dupond_company.save()
    manager.refresh_from_db()
    assert not SELECTORS[name](user=manager).exists()
    stranger = django_user_model.objects.create_user(email="sans-acces@example.fr")
    assert not SELECTORS[name](user=stranger).exists()


def test_technician_sees_only_his_interventions_unless_allowed(julie, dupond_company):
    from portal_api.accounts.factories import TechnicianProfileFactory

    site = SiteFactory(client_account=dupond_company)
    hers = intervention_create(client_account=dupond_company, site=site, created_by=None,
                               technicians=[julie])
    intervention_create(client_account=dupond_company, site=site, created_by=None)
    assert list(service_selectors.intervention_list(user=julie)) == [hers]
    assert julie.has_perm("service.consult_intervention", hers)
    other = service_selectors.intervention_list(user=TechnicianProfileFactory().user)
    assert not other.exists()
    chief = TechnicianProfileFactory(can_see_all_interventions=True).user
    assert service_selectors.intervention_list(user=chief).count() == 2


def test_catalogue_follows_family_and_article_flags(dupond, julie):
    from portal_api.catalog.factories import ArticleFamilyFactory
    from portal_api.catalog.selectors import article_list

    open_family = ArticleFamilyFactory()
    hidden_family = ArticleFamilyFactory(visible_to_clients=False)
    shown = ArticleFactory(family=open_family)
    hidden_article = ArticleFactory(family=open_family, visible_to_clients=False)
    in_hidden_family = ArticleFactory(family=hidden_family)
    techs_hidden = ArticleFactory(family=open_family, visible_to_technicians=False)

    assert set(article_list(user=dupond)) == {shown, techs_hidden}
    assert set(article_list(user=julie)) == {shown, hidden_article, in_hidden_family}
