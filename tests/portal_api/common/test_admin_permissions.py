"""The Wagtail admin asks `rules` (portal_api/common/admin_permissions.py): each section opens
to the roles whose rules allow it, shows what the apps' selectors give them, and an object
beyond their reach is a 404; the header links to the admin only whom may open it; the staff
roles exist after `migrate` + `portal_init` and are assigned in the admin's user screens.

What each role may do follows the rules (portal_api/*/rules.py, roles.ROLE_AREAS), read from
one table here (`SECTIONS`). A user refused inside the admin gets Wagtail's answer to a 403: a
redirect to the dashboard with its « no permission » message; a user without the admin's door
(`wagtailadmin.access_admin`) is sent to the admin's login page."""

import json
import re
from decimal import Decimal

import pytest
import rules
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models

from portal_api.accounts import roles
from portal_api.accounts.factories import (
    ClientAccountFactory,
    ContactFactory,
    SiteFactory,
    UserFactory,
)
from portal_api.accounts.models import (
    ClientAccount,
    Contact,
    PortalProfile,
    Site,
    TechnicianProfile,
    User,
)
from portal_api.accounts.rules import staff_roles_of
from portal_api.billing.factories import ContractFactory
from portal_api.billing.models import Contract, Invoice
from portal_api.billing.services import invoice_create_draft, invoice_issue
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.catalog.models import Article, ArticleFamily
from portal_api.common.admin_permissions import ADMIN_RIGHTS, RulesPermissionPolicy
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from portal_api.orders.models import Order
from portal_api.orders.services import order_create_draft, order_submit
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import Equipment, Intervention, Ticket
from portal_api.service.services import intervention_create, ticket_create

PASSWORD = "Un-mot-de-passe-solide-2026"

# Each admin section (a snippet model) → the roles that open it: M manages (list, add, edit),
# V reads (list, inspect; no add, no edit). A role not named is refused.
M, V = "manage", "view"
SECTIONS: dict[type, dict[str, str]] = {
    ClientAccount: {"dispatcher": M, "sales_admin": M, "administrator": M},
    Site: {"dispatcher": M, "sales_admin": M, "administrator": M},
    Contact: {"dispatcher": M, "sales_admin": M, "administrator": M},
    PortalProfile: {"administrator": M},
    TechnicianProfile: {"administrator": M},
    ArticleFamily: {"dispatcher": V, "sales_admin": M, "administrator": M},
    Article: {"dispatcher": V, "sales_admin": M, "administrator": M},
    Order: {"sales_admin": M, "administrator": M},
    Invoice: {"sales_admin": M, "administrator": M},
    Contract: {"dispatcher": V, "sales_admin": M, "administrator": M},
    Equipment: {"dispatcher": M, "administrator": M},
    Ticket: {"dispatcher": M, "administrator": M},
    Intervention: {"dispatcher": M, "administrator": M},
    # The GED: each file by its source's right (see test_the_ged_shows_each_role_its_kinds).
    Document: {"dispatcher": V, "sales_admin": V, "content_editor": M, "administrator": M},
}
BACK_OFFICE = ("dispatcher", "sales_admin", "content_editor", "administrator")
# Staff without a back-office role, and portal users: no admin at all.
NO_ADMIN = ("julie", "team_lead", "staff_without_role", "dupond")


def url(model, view: str, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


def assert_denied(response, target):
    """Refused inside the admin: Wagtail's 403 is a redirect to the dashboard."""
    assert response.status_code in (302, 403), (target, response.status_code)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home"), target


def assert_sent_to_login(response, target):
    assert response.status_code == 302, (target, response.status_code)
    assert response.url.startswith(reverse("wagtailadmin_login")), target


def menu_labels(response) -> set[str]:
    return set(re.findall(r'"label": "([^"]+)"', response.content.decode()))


@pytest.fixture
def data(dupond_company, dupond, julie):
    """One object of every admin section, at Dupond's, linked the way the portal links them;
    the GED file is a contract (the sales and the dispatch read contracts)."""
    site = SiteFactory(client_account=dupond_company, name="Usine de Lyon")
    contact = ContactFactory(client_account=dupond_company, last_name="Leroy")
    family = ArticleFamilyFactory(name="Chaudières")
    article = ArticleFactory(family=family, label="Circulateur", stock_on_hand=Decimal("10"))
    order = order_submit(
        order=order_create_draft(client_account=dupond_company, prepared_by=dupond,
                                 lines=[(article, Decimal("2"))]),
        submitted_by=dupond)
    invoice = invoice_issue(invoice=invoice_create_draft(client_account=dupond_company, lines=[
        {"label": "Circulateur", "quantity": "2", "unit_price_excl_tax": "42.50",
         "vat_rate": "20.00", "article": article},
    ]))
    contract = ContractFactory(client_account=dupond_company)
    equipment = EquipmentFactory(site=site, contract=contract)
    ticket = ticket_create(client_account=dupond_company, requester=dupond,
                           description="Chaudière en panne", equipment=equipment)
    intervention = intervention_create(
        client_account=dupond_company, site=site, created_by=julie, equipment=equipment,
        description="Dépannage", technicians=[julie])
    document = document_create(title="Contrat signé", filename="contrat.pdf",
                               content=b"%PDF-1.4 contrat", kind=DocumentKind.CONTRACT,
                               client_account=dupond_company, related_object=contract)
    return {
        ClientAccount: dupond_company, Site: site, Contact: contact,
        PortalProfile: dupond.portal_profile, TechnicianProfile: julie.technician_profile,
        ArticleFamily: family, Article: article, Order: order, Invoice: invoice,
        Contract: contract, Equipment: equipment, Ticket: ticket, Intervention: intervention,
        Document: document,
    }


# --- the policy -----------------------------------------------------------------------------------


def test_every_portal_screen_asks_the_rules():
    """Each snippet of the portal has a RulesPermissionPolicy, each action a rules permission
    that exists; nothing falls back on Django's model permissions."""
    portal_models = [m for m in get_snippet_models() if m.__module__.startswith("portal_api.")]
    assert set(portal_models) == set(SECTIONS)
    for model in portal_models:
        policy = policy_registry.get_by_type(model)
        assert isinstance(policy, RulesPermissionPolicy), model
        assert set(ADMIN_RIGHTS) >= {model._meta.label}
        for action in ("view", "change", "add"):
            assert rules.perm_exists(policy.permission_name(action)), (model, action)
    # Wagtail's users and groups screens too (roles are groups).
    for model in (User, Group):
        policy = policy_registry.get_by_type(model)
        assert isinstance(policy, RulesPermissionPolicy)
        assert policy.permission_name("change") == "accounts.manage_staff"


@pytest.mark.django_db
def test_deleting_is_refused_except_the_ged_files(client, administrator, data):
    client.force_login(administrator)
    for model in SECTIONS:
        target = url(model, "delete", data[model].pk)
        response = client.get(target)
        if model is Document:
            assert response.status_code == 200, target
        else:
            assert_denied(response, target)
            assert model.objects.filter(pk=data[model].pk).exists()


# --- each section × each role ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", BACK_OFFICE)
def test_each_section_opens_to_the_roles_its_rules_allow(client, request, data, role):
    client.force_login(request.getfixturevalue(role))
    for model, allowed in SECTIONS.items():
        obj = data[model]
        right = allowed.get(role)
        listing = client.get(url(model, "list"))
        if right is None:
            assert_denied(listing, (model, "list"))
            for view, args in (("add", ()), ("edit", (obj.pk,)), ("inspect", (obj.pk,))):
                assert_denied(client.get(url(model, view, *args)), (model, view))
            continue
        assert listing.status_code == 200, (model, "list")
        if model is not Document or role != "content_editor":  # a contract: not the editor's
            assert str(obj) in listing.content.decode(), (model, "row")
            assert client.get(url(model, "inspect", obj.pk)).status_code == 200, (model,
                                                                                   "inspect")
        if right == M:
            assert client.get(url(model, "add")).status_code == 200, (model, "add")
            if model is not Document or role != "content_editor":
                response = client.get(url(model, "edit", obj.pk))
                assert response.status_code == 200, (model, "edit")
        else:
            assert_denied(client.get(url(model, "add")), (model, "add"))
            assert_denied(client.get(url(model, "edit", obj.pk)), (model, "edit"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", NO_ADMIN + ("anonymous",))
def test_no_admin_without_a_back_office_role(client, request, data, who):
    """A technician (even a team lead), a staff user without a role, a client, an anonymous
    visitor: the admin's login page, for every section."""
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert_sent_to_login(client.get(reverse("wagtailadmin_home")), "home")
    for model in SECTIONS:
        assert_sent_to_login(client.get(url(model, "list")), model)
        assert_sent_to_login(client.get(url(model, "edit", data[model].pk)), model)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "shown", "hidden"), [
    ("dispatcher", {"Centre d'actions", "Service", "Clients", "Catalogue", "Ventes",
                    "Documents (GED)"}, {"Pages", "Utilisateurs"}),
    ("sales_admin", {"Ventes", "Clients", "Catalogue", "Documents (GED)"},
     {"Centre d'actions", "Service", "Pages", "Utilisateurs"}),
    ("content_editor", {"Pages", "Documents (GED)"},
     {"Centre d'actions", "Service", "Clients", "Catalogue", "Ventes", "Utilisateurs"}),
    ("administrator", {"Centre d'actions", "Service", "Clients", "Catalogue", "Ventes",
                       "Documents (GED)", "Pages"}, set()),
])
def test_the_menu_shows_what_the_role_may_open(client, request, role, shown, hidden):
    client.force_login(request.getfixturevalue(role))
    labels = menu_labels(client.get(reverse("wagtailadmin_home")))
    assert shown <= labels, shown - labels
    assert not hidden & labels, hidden & labels


@pytest.mark.django_db
def test_pages_are_the_content_editors_not_the_sales(client, content_editor, sales_admin,
                                                     data):
    """The content editor edits the portal's pages but sees no order; the sales the reverse."""
    root = Page.objects.filter(depth=2).first() or Page.objects.get(depth=1)
    client.force_login(content_editor)
    assert client.get(reverse("wagtailadmin_explore", args=[root.pk])).status_code == 200
    assert_denied(client.get(url(Order, "list")), "orders")
    client.force_login(sales_admin)
    assert_denied(client.get(reverse("wagtailadmin_explore", args=[root.pk])), "pages")
    assert client.get(url(Order, "list")).status_code == 200


# --- what each role reaches -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_ged_shows_each_role_its_kinds(client, data, dupond_company, dispatcher, sales_admin,
                                           content_editor, administrator):
    """A file by its source's right: the invoice's PDF to the sales, not to the dispatch; a
    general document to the editor, who reads no contract; beyond the reach, a 404 (the
    screens and the download)."""
    invoice_pdf = document_create(title="Facture PDF", filename="facture.pdf",
                                  content=b"%PDF-1.4 facture", kind=DocumentKind.INVOICE,
                                  client_account=dupond_company, related_object=data[Invoice])
    general = document_create(title="Notice générale", filename="notice.pdf",
                              content=b"%PDF-1.4 notice", kind=DocumentKind.OTHER)
    contract_pdf = data[Document]
    reaches = {
        dispatcher: {contract_pdf},
        sales_admin: {contract_pdf, invoice_pdf},
        content_editor: {general},
        administrator: {contract_pdf, invoice_pdf, general},
    }
    for user, reached in reaches.items():
        client.force_login(user)
        page = client.get(url(Document, "list")).content.decode()
        for document in (contract_pdf, invoice_pdf, general):
            download = reverse("portal_document_download", args=[document.pk])
            if document in reached:
                assert document.title in page, (user, document)
                assert client.get(url(Document, "inspect", document.pk)).status_code == 200
                assert client.get(download).status_code == 200, (user, document)
            else:
                assert document.title not in page, (user, document)
                assert client.get(url(Document, "inspect", document.pk)).status_code == 404
                assert client.get(url(Document, "edit", document.pk)).status_code == 404
                assert client.get(download).status_code == 404, (user, document)


@pytest.mark.django_db
def test_an_object_beyond_the_reach_is_a_404(client, data, julie):
    """Julie, a technician limited to her own interventions, given the admin's door: the
    intervention that is not hers is absent from the list and a 404 on its screens."""
    door = Group.objects.create(name="Accès à l'administration seul")
    door.permissions.add(Permission.objects.get(codename="access_admin"))
    julie.groups.add(door)
    mine = data[Intervention]
    elsewhere = ClientAccountFactory(code="AUTRE")
    other = intervention_create(client_account=elsewhere,
                                site=SiteFactory(client_account=elsewhere), created_by=None,
                                description="Ailleurs", technicians=[])
    client.force_login(julie)
    page = client.get(url(Intervention, "list")).content.decode()
    assert mine.number in page and other.number not in page
    assert client.get(url(Intervention, "inspect", mine.pk)).status_code == 200
    for view in ("inspect", "edit", "history"):
        assert client.get(url(Intervention, view, other.pk)).status_code == 404, view


@pytest.mark.django_db
def test_choosers_ask_the_same_rules(client, data, sales_admin, content_editor, dispatcher):
    """Wagtail's snippet choosers (modals listing a model's objects, open to anyone in the
    admin) are no side door: the orders' chooser opens to the sales, not to the dispatch or
    the editor."""
    choose = reverse("wagtailsnippetchoosers_orders_order:choose")
    chosen = reverse("wagtailsnippetchoosers_orders_order:chosen", args=[data[Order].pk])
    for user in (content_editor, dispatcher):
        client.force_login(user)
        assert_denied(client.get(choose), (user, "choose"))
        assert_denied(client.get(chosen), (user, "chosen"))
    client.force_login(sales_admin)
    response = client.get(choose)
    assert response.status_code == 200
    assert data[Order].number in json.loads(response.content)["html"]
    assert client.get(chosen).status_code == 200


@pytest.mark.django_db
def test_selects_offer_what_the_user_reaches(client, data, sales_admin, administrator,
                                             dupond_company, julie):
    """The sales administration does not reach interventions: the invoice's « intervention »
    select offers none (but keeps the current one); the administrator's offers them."""
    invoice = data[Invoice]
    elsewhere = intervention_create(client_account=dupond_company, site=data[Site],
                                    created_by=julie, description="Autre", technicians=[julie])
    client.force_login(sales_admin)
    choices = client.get(url(Invoice, "edit", invoice.pk)).context["form"].fields[
        "intervention"].queryset
    assert elsewhere not in choices and data[Intervention] not in choices
    assert set(client.get(url(Invoice, "edit", invoice.pk)).context["form"].fields[
        "order"].queryset) >= {data[Order]}
    client.force_login(administrator)
    choices = client.get(url(Invoice, "edit", invoice.pk)).context["form"].fields[
        "intervention"].queryset
    assert {elsewhere, data[Intervention]} <= set(choices)


@pytest.mark.django_db
def test_child_panels_show_what_their_own_screen_would(client, data, dupond, sales_admin,
                                                       administrator):
    """A client's page lists its portal accesses to the administrator only (the sales do not
    manage portal users); a contract's equipment is not the sales' either."""
    client.force_login(sales_admin)
    page = client.get(url(ClientAccount, "edit", data[ClientAccount].pk)).content.decode()
    assert "Usine de Lyon" in page  # its sites: the sales reach them
    assert "Accès portail" not in page and dupond.email not in page
    page = client.get(url(Contract, "edit", data[Contract].pk)).content.decode()
    assert "Équipements couverts" not in page and data[Equipment].serial_number not in page
    client.force_login(administrator)
    page = client.get(url(ClientAccount, "edit", data[ClientAccount].pk)).content.decode()
    assert "Accès portail" in page and dupond.email in page
    page = client.get(url(Contract, "edit", data[Contract].pk)).content.decode()
    assert "Équipements couverts" in page and data[Equipment].serial_number in page


# --- the site's header ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "link"), [
    ("julie", False), ("team_lead", False), ("staff_without_role", False), ("dupond", False),
    ("dispatcher", True), ("sales_admin", True), ("content_editor", True),
    ("administrator", True),
])
def test_the_header_links_to_the_admin_only_whom_may_open_it(client, request, who, link):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert ('href="/admin/"' in page) is link
    assert (">Administration<" in page) is link


# --- the roles: installed, and assigned in the admin ----------------------------------------------


@pytest.mark.django_db
def test_migrate_then_portal_init_gives_the_staff_roles(capsys):
    """The test database is made by `migrate`; `portal_init` builds the pages: the back-office
    roles' groups are there, with the admin's door and their Wagtail permissions."""
    call_command("portal_init")
    access = Permission.objects.get(content_type__app_label="wagtailadmin",
                                    codename="access_admin")
    for role in roles.STAFF_ROLES.values():
        if role.group is None:
            continue
        group = Group.objects.get(name=role.group)
        assert access in group.permissions.all(), role.key
        for codename in role.page_permissions:
            assert GroupPagePermission.objects.filter(
                group=group, permission__codename=codename, page__depth=1).exists(), codename
    administrators = Group.objects.get(name=roles.STAFF_ROLES[roles.ADMINISTRATOR].group)
    assert administrators.permissions.count() == Permission.objects.count()
    # A user in the « Planification » group is a dispatcher.
    user = UserFactory(email="nouvelle@atelier-portal.fr", is_staff=True)
    user.groups.add(Group.objects.get(name="Planification"))
    assert staff_roles_of(User.objects.get(pk=user.pk)) == {roles.DISPATCHER}


@pytest.mark.django_db
def test_only_the_administrator_manages_staff_users_and_roles(client, administrator,
                                                              dispatcher, sales_admin):
    for user in (dispatcher, sales_admin):
        client.force_login(user)
        assert_denied(client.get(reverse("wagtailusers_users:index")), "users")
        assert_denied(client.get(reverse("wagtailusers_users:edit", args=[sales_admin.pk])),
                      "edit")
        assert_denied(client.get(reverse("wagtailusers_groups:index")), "groups")
    client.force_login(administrator)
    response = client.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    page = response.content.decode()
    # The roles, with what each gives.
    for role in roles.STAFF_ROLES.values():
        if role.group:
            label = str(role.label).replace("'", "&#x27;")
            assert label in page, role.key


@pytest.mark.django_db
def test_a_role_makes_its_holder_staff_and_a_client_holds_none(client, administrator, dupond):
    client.force_login(administrator)
    planning = Group.objects.get(name="Planification")
    response = client.post(reverse("wagtailusers_users:add"), {
        "email": "sophie.planif@atelier-portal.fr", "first_name": "Sophie",
        "last_name": "Planif", "groups": [planning.pk],
        "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302, response.content.decode()
    sophie = User.objects.get(email="sophie.planif@atelier-portal.fr")
    assert sophie.is_staff and roles.DISPATCHER in staff_roles_of(sophie)

    response = client.post(reverse("wagtailusers_users:edit", args=[dupond.pk]), {
        "email": dupond.email, "first_name": dupond.first_name, "last_name": dupond.last_name,
        "is_active": "on", "groups": [planning.pk],
    })
    assert response.status_code == 200
    assert response.context["form"].errors["groups"]
    dupond.refresh_from_db()
    assert not dupond.is_staff and not dupond.groups.filter(pk=planning.pk).exists()

