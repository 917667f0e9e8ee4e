"""The Wagtail back office (/admin/): every domain model has its screens, in French, closed to
staff without permission; the forms apply the business rules (role presets, staff refused as
portal users, status moves through the services, GED metadata computed after an upload)."""

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.snippets.models import get_snippet_models

from portal_api.accounts.factories import (
    ClientAccountFactory,
    ContactFactory,
    PortalProfileFactory,
    SiteFactory,
    StaffFactory,
    TechnicianProfileFactory,
    UserFactory,
)
from portal_api.accounts.models import (
    PORTAL_RIGHTS,
    ROLE_PRESETS,
    ClientAccount,
    Contact,
    PortalProfile,
    PortalRole,
    Site,
    TechnicianProfile,
    User,
)
from portal_api.billing.factories import ContractFactory
from portal_api.billing.models import Contract, Invoice, InvoiceStatus
from portal_api.billing.services import invoice_create_draft, invoice_issue
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.catalog.models import Article, ArticleFamily
from portal_api.common.status import status_move
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from portal_api.orders.models import Order, OrderStatus
from portal_api.orders.services import order_create_draft, order_submit
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import (
    Equipment,
    Expense,
    ExpenseKind,
    Intervention,
    InterventionLine,
    Ticket,
    TicketStatus,
    TimeEntry,
)
from portal_api.service.services import intervention_create, ticket_create

# Every domain model the staff manage in the back office.
DOMAIN_MODELS = {
    ClientAccount, Site, Contact, PortalProfile, TechnicianProfile, ArticleFamily, Article,
    Order, Invoice, Contract, Equipment, Ticket, Intervention, Document,
}
PASSWORD = "Un-mot-de-passe-solide-2026"


def url(model, view: str, *args) -> str:
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@atelier-portal.fr", password=PASSWORD,
                                         first_name="Ada", last_name="Admin")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def private_storage_in_tmp(tmp_path, monkeypatch):
    """GED files of the test go to a temporary folder, not to var/private."""
    storage = Document._meta.get_field("file").storage
    monkeypatch.setitem(storage.__dict__, "base_location", str(tmp_path))
    monkeypatch.setitem(storage.__dict__, "location", str(tmp_path))
    return tmp_path


@pytest.fixture
def data(db, private_storage_in_tmp):
    """One object of every domain model, linked the way the portal links them."""
    account = ClientAccountFactory(code="DUPOND", name="Dupond Industrie")
    site = SiteFactory(client_account=account, name="Usine de Lyon")
    contact = ContactFactory(client_account=account, last_name="Martin")
    buyer = PortalProfileFactory(
        user=UserFactory(email="dupond@dupond-industrie.fr", first_name="Jean",
                         last_name="Dupond"),
        client_account=account, role=PortalRole.BUYER,
    )
    technician = TechnicianProfileFactory(
        user=StaffFactory(email="julie.bernard@atelier-portal.fr", first_name="Julie",
                          last_name="Bernard"),
    )
    family = ArticleFamilyFactory(name="Chaudières")
    article = ArticleFactory(family=family, label="Circulateur", stock_on_hand=Decimal("10"))
    order = order_create_draft(client_account=account, prepared_by=buyer.user,
                               lines=[(article, Decimal("2"))])
    order = order_submit(order=order, submitted_by=buyer.user)
    invoice = invoice_create_draft(client_account=account, lines=[
        {"label": "Circulateur", "quantity": "2", "unit_price_excl_tax": "42.50",
         "vat_rate": "20.00", "article": article},
    ])
    invoice = invoice_issue(invoice=invoice)
    contract = ContractFactory(client_account=account)
    equipment = EquipmentFactory(site=site, contract=contract)
    ticket = ticket_create(client_account=account, requester=buyer.user,
                           description="Chaudière en panne", equipment=equipment, urgent=True)
    intervention = intervention_create(
        client_account=account, site=site, created_by=technician.user, equipment=equipment,
        description="Dépannage", technicians=[technician.user],
    )
    InterventionLine.objects.create(intervention=intervention, article=article,
                                    label=article.label, quantity=1,
                                    unit_price_excl_tax=Decimal("42.50"))
    TimeEntry.objects.create(intervention=intervention, technician=technician.user,
                             date=datetime.date(2026, 3, 2), hours=Decimal("1.5"))
    Expense.objects.create(intervention=intervention, technician=technician.user,
                           kind=ExpenseKind.MEAL, date=datetime.date(2026, 3, 2),
                           amount=Decimal("15.20"))
    document = document_create(title="Contrat signé", filename="contrat.pdf",
                               content=b"%PDF-1.4 contrat", kind=DocumentKind.CONTRACT,
                               client_account=account, related_object=contract)
    return {
        ClientAccount: account, Site: site, Contact: contact, PortalProfile: buyer,
        TechnicianProfile: technician, ArticleFamily: family, Article: article, Order: order,
        Invoice: invoice, Contract: contract, Equipment: equipment, Ticket: ticket,
        Intervention: intervention, Document: document,
    }


def test_every_domain_model_is_a_snippet():
    assert set(get_snippet_models()) >= DOMAIN_MODELS


@pytest.mark.django_db
@pytest.mark.parametrize("model", sorted(DOMAIN_MODELS, key=lambda m: m.__name__),
                         ids=lambda m: m.__name__)
def test_list_add_edit_views(admin_client, data, model):
    obj = data[model]
    response = admin_client.get(url(model, "list"))
    assert response.status_code == 200
    assert str(obj) in response.content.decode()

    assert admin_client.get(url(model, "add")).status_code == 200

    response = admin_client.get(url(model, "edit", obj.pk))
    assert response.status_code == 200
    # Nothing in the back office points at a storage URL: private files have none.
    assert "/media/" not in response.content.decode()

    if model.snippet_viewset.inspect_view_enabled:
        assert admin_client.get(url(model, "inspect", obj.pk)).status_code == 200


@pytest.mark.django_db
def test_list_search_and_filters(admin_client, data):
    response = admin_client.get(url(Article, "list"), {"q": "Circulateur"})
    assert response.status_code == 200
    assert "Circulateur" in response.content.decode()
    response = admin_client.get(url(Ticket, "list"), {
        "status": TicketStatus.RECEIVED, "client_account": data[ClientAccount].pk,
        "urgent": "true",
    })
    assert response.status_code == 200
    assert data[Ticket].number in response.content.decode()
    response = admin_client.get(url(Ticket, "list"), {"status": TicketStatus.CLOSED})
    assert data[Ticket].number not in response.content.decode()


@pytest.mark.django_db
def test_child_rows_are_listed(admin_client, data):
    order_page = admin_client.get(url(Order, "edit", data[Order].pk)).content.decode()
    assert "Lignes de la commande" in order_page and "Circulateur" in order_page
    invoice_page = admin_client.get(url(Invoice, "inspect", data[Invoice].pk)).content.decode()
    assert "Lignes de la facture" in invoice_page and "85,00\u00a0€" in invoice_page
    intervention = admin_client.get(url(Intervention, "inspect", data[Intervention].pk))
    content = intervention.content.decode()
    assert "Saisies horaires" in content and "Frais" in content and "15,20\u00a0€" in content


@pytest.mark.django_db
def test_action_center_lists_urgent_first_then_oldest(admin_client, data):
    account = data[ClientAccount]
    urgent = data[Ticket]
    old = ticket_create(client_account=account, requester=None, description="Ancienne")
    new = ticket_create(client_account=account, requester=None, description="Récente")
    handled = ticket_create(client_account=account, requester=None, description="Traitée",
                            urgent=True)
    with status_move():
        Ticket.objects.filter(pk=handled.pk).update(status=TicketStatus.CLOSED)
    Ticket.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    Ticket.objects.filter(pk=urgent.pk).update(
        created_at=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC))
    content = admin_client.get(url(Ticket, "list")).content.decode()
    # Waiting requests first, urgent then oldest; handled ones after.
    positions = [content.index(t.number) for t in (urgent, old, new, handled)]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_admin_speaks_french(admin_client, data):
    response = admin_client.get(reverse("wagtailadmin_home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    assert "Tableau de bord" in content
    # The sidebar menu is built from JSON.
    for label in ("Centre d'actions", "Clients", "Catalogue", "Ventes", "Service",
                  "Documents (GED)"):
        assert f'"label": "{label}"' in content, label
    content = admin_client.get(url(Ticket, "list")).content.decode()
    assert "Demandes d&#x27;intervention" in content and "Reçue le" in content


# --- portal accesses -----------------------------------------------------------------------------


def profile_post_data(user, account, role, rights=()):
    return {"user": user.pk, "client_account": account.pk, "role": role,
            "rights": sorted(rights)}


@pytest.mark.django_db
def test_creating_a_portal_access_with_a_preset_gives_its_rights(admin_client, data):
    user = UserFactory(email="nouveau@dupond-industrie.fr")
    response = admin_client.post(
        url(PortalProfile, "add"),
        profile_post_data(user, data[ClientAccount], PortalRole.BUYER),
    )
    assert response.status_code == 302, response.content.decode()
    profile = PortalProfile.objects.get(user=user)
    assert profile.role == PortalRole.BUYER
    assert {name for name, value in profile.rights.items() if value} == ROLE_PRESETS[
        PortalRole.BUYER
    ]
    # The signal put the user in the clients' group.
    assert user.groups.filter(name="Clients").exists()


@pytest.mark.django_db
def test_rights_stay_editable_after_a_preset(admin_client, data):
    profile = data[PortalProfile]
    rights = set(ROLE_PRESETS[PortalRole.BUYER]) | {"can_view_equipment"}
    response = admin_client.post(
        url(PortalProfile, "edit", profile.pk),
        profile_post_data(profile.user, profile.client_account, PortalRole.BUYER, rights),
    )
    assert response.status_code == 302, response.content.decode()
    profile.refresh_from_db()
    assert profile.can_view_equipment and profile.can_place_orders
    # Rights changed by hand: the role no longer claims to be the preset.
    assert profile.role == PortalRole.CUSTOM

    # Choosing a preset again applies it.
    response = admin_client.post(
        url(PortalProfile, "edit", profile.pk),
        profile_post_data(profile.user, profile.client_account, PortalRole.TECHNICAL, rights),
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.role == PortalRole.TECHNICAL
    assert {n for n, v in profile.rights.items() if v} == ROLE_PRESETS[PortalRole.TECHNICAL]


@pytest.mark.django_db
def test_the_role_select_fills_rights_in_the_browser(admin_client, data):
    content = admin_client.get(url(PortalProfile, "add")).content.decode()
    assert '"acheteur": [' in content
    for name in PORTAL_RIGHTS:
        assert f'name="rights" value="{name}"' in content


@pytest.mark.django_db
def test_a_staff_user_cannot_get_a_portal_access(admin_client, data):
    staff = StaffFactory(email="collegue@atelier-portal.fr")
    response = admin_client.post(
        url(PortalProfile, "add"),
        profile_post_data(staff, data[ClientAccount], PortalRole.BUYER),
    )
    assert response.status_code == 200
    assert "Un membre du personnel ne peut pas avoir d&#x27;accès portail client." in (
        response.content.decode()
    )
    assert not PortalProfile.objects.filter(user=staff).exists()


# --- status moves through the services -----------------------------------------------------------


def edit_post_data(response) -> dict:
    """The values the edit form shows, as the browser would post them back."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        elif isinstance(value, datetime.datetime):
            value = value.strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data


def status_url(model, obj, status: str | None = None) -> str:
    target = url(model, "status", obj.pk)
    return f"{target}?status={status}" if status else target


def header_statuses(response) -> list[str]:
    """The status moves the edit view's header offers."""
    return re.findall(r'data-portal-status="(\w+)"', response.content.decode())


@pytest.mark.django_db
def test_order_status_moves_through_the_services(admin_client, data):
    order, article = data[Order], data[Article]
    article.refresh_from_db()
    assert article.stock_reserved == 2
    edit = url(Order, "edit", order.pk)
    response = admin_client.get(edit)
    # The status is shown, not edited: the header offers the pipeline's moves.
    assert "status" not in response.context["form"].fields
    assert header_statuses(response) == [OrderStatus.CONFIRMED, OrderStatus.CANCELLED]
    # A status posted with the edit form changes nothing.
    admin_client.post(edit, edit_post_data(response) | {"status": OrderStatus.CANCELLED})
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED

    # A move the pipeline does not have (delivering an unconfirmed order) is refused.
    response = admin_client.post(status_url(Order, order), {"status": OrderStatus.DELIVERED})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED

    response = admin_client.post(status_url(Order, order), {"status": OrderStatus.CANCELLED})
    assert response.status_code == 302 and response.url == edit
    order.refresh_from_db()
    article.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancelled_at is not None
    assert article.stock_reserved == 0  # order_cancel released the stock
    # A cancelled order goes nowhere else.
    assert header_statuses(admin_client.get(edit)) == []
    assert admin_client.get(status_url(Order, order)).status_code == 302


@pytest.mark.django_db
def test_issuing_an_invoice_numbers_it(admin_client, data):
    draft = invoice_create_draft(client_account=data[ClientAccount], lines=[
        {"label": "Forfait", "quantity": "1", "unit_price_excl_tax": "100", "vat_rate": "20"},
    ])
    assert header_statuses(admin_client.get(url(Invoice, "edit", draft.pk))) == [
        InvoiceStatus.ISSUED]
    response = admin_client.post(status_url(Invoice, draft), {"status": InvoiceStatus.ISSUED})
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.ISSUED
    assert re.fullmatch(r"FA-\d{4}-\d{5}", draft.number)
    assert draft.due_date > draft.issue_date

    # Not yet due: invoice_mark_overdue refuses, the form says why.
    response = admin_client.post(status_url(Invoice, draft), {"status": InvoiceStatus.OVERDUE})
    assert response.status_code == 200
    assert "n'est pas passée" in " ".join(response.context["form"].non_field_errors())
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.ISSUED


@pytest.mark.django_db
def test_a_ticket_created_in_the_admin_is_numbered(admin_client, data, superuser):
    response = admin_client.post(url(Ticket, "add"), {
        "client_account": data[ClientAccount].pk, "description": "Fuite au local technique",
        "urgent": "on", "status": TicketStatus.RECEIVED, "equipment": data[Equipment].pk,
    })
    assert response.status_code == 302, response.content.decode()
    ticket = Ticket.objects.get(description="Fuite au local technique")
    assert re.fullmatch(r"DI-\d{4}-\d{6}", ticket.number)
    assert ticket.urgent and ticket.site == data[Site]


@pytest.mark.django_db
def test_equipment_of_another_client_is_refused(admin_client, data):
    other_site = SiteFactory(client_account=ClientAccountFactory(code="AUTRE"))
    response = admin_client.post(url(Equipment, "add"), {
        "client_account": data[ClientAccount].pk, "site": other_site.pk,
        "serial_number": "SN-X", "active": "on",
    })
    assert response.status_code == 200
    assert "appartient à un autre client" in response.content.decode()


# --- GED -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_uploading_a_document_queues_its_metadata(admin_client, data, superuser,
                                                  django_capture_on_commit_callbacks):
    content = b"%PDF-1.4 rapport de visite"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(url(Document, "add"), {
            "title": "Rapport de visite", "kind": DocumentKind.ATTACHMENT,
            "client_account": data[ClientAccount].pk, "document_date": "2026-11-30",
            "file": SimpleUploadedFile("rapport.pdf", content, "application/pdf"),
        })
    assert response.status_code == 302, response.content.decode()
    assert len(callbacks) == 1
    document = Document.objects.get(title="Rapport de visite")
    assert document.document_date.isoformat() == "2026-11-30"  # its own date, not the upload
    assert document.uploaded_by == superuser
    assert document.checksum == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.content_type == "application/pdf"

    # The back office downloads it through its checked view, as an attachment.
    response = admin_client.get(reverse("portal_document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_without_permission_is_kept_out(client, data):
    staff = StaffFactory(email="stagiaire@atelier-portal.fr")
    client.force_login(staff)
    for model in DOMAIN_MODELS:
        obj = data[model]
        for target in (url(model, "list"), url(model, "add"), url(model, "edit", obj.pk)):
            response = client.get(target)
            assert response.status_code in (302, 403), target
            if response.status_code == 302:
                assert response.url.startswith(reverse("wagtailadmin_login")), target
    response = client.get(reverse("portal_document_download", args=[data[Document].pk]))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_admin_access_alone_does_not_open_the_domain_screens(client, data):
    staff = StaffFactory(email="stagiaire@atelier-portal.fr")
    door = Group.objects.create(name="Accès à l'administration seul")
    door.permissions.add(Permission.objects.get(codename="access_admin"))
    staff.groups.add(door)
    client.force_login(staff)
    # The door opens the admin; its screens ask the rules, and a staff user without a role
    # holds none.
    for model in DOMAIN_MODELS:
        response = client.get(url(model, "list"))
        assert response.status_code != 200, model
    for model in DOMAIN_MODELS:
        assert client.get(url(model, "add")).status_code != 200, model
        assert client.get(url(model, "edit", data[model].pk)).status_code != 200, model
    response = client.get(reverse("portal_document_download", args=[data[Document].pk]))
    assert response.status_code != 200


# --- Wagtail's user screens ----------------------------------------------------------------------


@pytest.mark.django_db
def test_creating_and_editing_a_user_in_the_admin(admin_client):
    response = admin_client.get(reverse("wagtailusers_users:add"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="phone"' in content and 'name="is_staff"' in content
    assert 'name="username"' not in content

    response = admin_client.post(reverse("wagtailusers_users:add"), {
        "email": "Claire.Dispatch@Atelier-Portal.fr", "first_name": "Claire",
        "last_name": "Dispatch", "phone": "04 72 00 00 00", "is_staff": "on",
        "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(email="claire.dispatch@atelier-portal.fr")
    assert user.phone == "04 72 00 00 00" and user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)

    edit = reverse("wagtailusers_users:edit", args=[user.pk])
    assert admin_client.get(edit).status_code == 200
    response = admin_client.post(edit, {
        "email": user.email, "first_name": "Claire", "last_name": "Dispatch",
        "phone": "06 00 00 00 00", "is_staff": "on", "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()
    user.refresh_from_db()
    assert user.phone == "06 00 00 00 00" and user.is_active


@pytest.mark.django_db
def test_a_superuser_created_in_the_admin_is_staff(admin_client):
    response = admin_client.post(reverse("wagtailusers_users:add"), {
        "email": "chef@atelier-portal.fr", "first_name": "Chef", "last_name": "Atelier",
        "is_superuser": "on", "password1": PASSWORD, "password2": PASSWORD,
    })
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(email="chef@atelier-portal.fr")
    assert user.is_superuser and user.is_staff
