"""One small world for the access matrices (tests/portal_api/test_access_matrix.py,
tests/cms/test_access_matrix.py, tests/portal_api/documents/test_doors.py).

Two client companies, Dupond Industrie and another one, each with one object of every kind
(site, contact, contract, equipment, draft order with a line, placed order, issued invoice with
its stored PDF, request with an attachment, intervention with a line, a time entry and an
expense, a signed intervention with its report, documents of every kind); the roles of
tests/conftest.py (built here the same way: a module-scoped world cannot use function-scoped
fixtures) plus Dupond's manager; the portal's page tree.

`world_fixture()` builds it once per test module inside a transaction that is rolled back when
the module ends; each test runs in its own savepoint (pytest-django's `db`), so what a test
writes is gone before the next one starts.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from portal_api.accounts import roles
from portal_api.accounts.factories import (
    ClientAccountFactory,
    ContactFactory,
    PortalProfileFactory,
    SiteFactory,
    StaffFactory,
    TechnicianProfileFactory,
    UserFactory,
)
from portal_api.accounts.models import PortalRole, User
from portal_api.accounts.services import staff_role_grant
from portal_api.billing.factories import ContractFactory
from portal_api.billing.services import invoice_create_draft, invoice_issue
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.documents.models import DocumentKind
from portal_api.documents.services import document_create
from portal_api.exports.models import ExportJob, ExportKind, ExportStatus
from portal_api.orders.services import order_create_draft, order_submit
from portal_api.service import services as service_services
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import Expense, ExpenseKind, InterventionLine, TimeEntry

# The roles of the matrices, in the tables' column order.
ROLES = ("anonymous", "dupond", "martin", "manager", "other_manager", "julie", "team_lead",
         "dispatcher", "sales_admin", "content_editor", "administrator")

def _pdf_bytes() -> bytes:
    """A real one-page PDF: uploads are parsed (pypdf), not only sniffed."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = _pdf_bytes()


def png_bytes(size=(40, 30), ink: bool = True) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line([(2, 2), (size[0] - 3, size[1] - 3)], fill=(10, 10, 60, 255),
                                   width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_upload(name: str = "notice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@dataclass(frozen=True)
class Bug:
    """A cell of a matrix where the code disagrees with the policy: `expected` is the
    policy's answer, `actual` what the code gives today; the case is an xfail(strict=True)
    until it is fixed."""

    expected: int | str
    actual: int | str
    reason: str


@dataclass
class Company:
    """One client company's objects."""

    account: object
    site: object = None
    contact: object = None
    contract: object = None
    equipment: object = None
    draft_order: object = None
    draft_line: object = None
    placed_order: object = None
    invoice: object = None
    ticket: object = None
    ticket_attachment: object = None
    open_ticket: object = None  # a request not turned into an intervention yet
    intervention: object = None  # open sheet, its technician assigned
    intervention_line: object = None
    time_entry: object = None
    expense: object = None
    photo: object = None  # a photo of the intervention
    signed: object = None  # a signed intervention with its report
    colleague: object = None  # an active portal user of the company (not the manager)
    former: object = None  # a deactivated portal user of the company
    # One stored document of each kind: DocumentKind → Document.
    documents: dict = field(default_factory=dict)


@dataclass
class World:
    users: dict  # role → User (anonymous: None)
    dupond: Company
    other: Company
    article: object  # visible to clients and technicians
    export_job: object  # Dupond's own export, done
    home: object  # the portal's public home page

    def user(self, role: str):
        """The role's user, read again (nothing cached from another test)."""
        user = self.users[role]
        return None if user is None else User.objects.get(pk=user.pk)


def _users(dupond_account, other_account) -> dict:
    """The users of tests/conftest.py's fixtures, and Dupond's manager."""
    def portal(email, account, role, **names):
        return PortalProfileFactory(user=UserFactory(email=email, **names),
                                    client_account=account, role=role).user

    def technician(email, sees_all=False, **names):
        return TechnicianProfileFactory(user=StaffFactory(email=email, **names),
                                        can_see_all_interventions=sees_all).user

    def back_office(email, role):
        return staff_role_grant(user=StaffFactory(email=email), role=role)

    return {
        "anonymous": None,
        "dupond": portal("dupond@dupond-industrie.fr", dupond_account, PortalRole.BUYER,
                         first_name="Jean", last_name="Dupond"),
        "martin": portal("martin@dupond-industrie.fr", dupond_account, PortalRole.TECHNICAL,
                         first_name="Paul", last_name="Martin"),
        "manager": portal("gestion@dupond-industrie.fr", dupond_account, PortalRole.MANAGER,
                          first_name="Claire", last_name="Gestion"),
        "other_manager": portal("autre@client-exemple.fr", other_account, PortalRole.MANAGER),
        "julie": technician("julie.bernard@atelier-portal.fr", first_name="Julie",
                            last_name="Bernard"),
        "team_lead": technician("thomas.petit@atelier-portal.fr", sees_all=True,
                                first_name="Thomas", last_name="Petit"),
        "dispatcher": back_office("dispatch@atelier-portal.fr", roles.DISPATCHER),
        "sales_admin": back_office("adv@atelier-portal.fr", roles.SALES),
        "content_editor": back_office("redaction@atelier-portal.fr", roles.EDITOR),
        "administrator": back_office("admin@atelier-portal.fr", roles.ADMINISTRATOR),
    }


def _populate(company: Company, *, buyer, requester, technician, article, tag: str) -> None:
    account = company.account
    company.site = SiteFactory(client_account=account, name=f"Usine {tag}")
    company.contact = ContactFactory(client_account=account, last_name=f"Contact {tag}")
    company.contract = ContractFactory(client_account=account, number=f"CT-{tag}",
                                       start_date=datetime.date(2020, 1, 1),
                                       end_date=datetime.date(2099, 12, 31))
    company.equipment = EquipmentFactory(site=company.site, serial_number=f"SN-{tag}",
                                         contract=company.contract)

    company.draft_order = order_create_draft(client_account=account, prepared_by=buyer,
                                             lines=[(article, Decimal("1"))],
                                             customer_reference=f"BROUILLON-{tag}")
    company.draft_line = company.draft_order.lines.get()
    company.placed_order = order_submit(
        order=order_create_draft(client_account=account, prepared_by=buyer,
                                 lines=[(article, Decimal("2"))]),
        submitted_by=buyer)

    invoice = invoice_create_draft(client_account=account, lines=[
        {"label": "Entretien", "quantity": 1, "unit_price_excl_tax": "100.00",
         "vat_rate": "20.00"}])
    invoice = invoice_issue(invoice=invoice, issue_date=datetime.date(2026, 3, 2),
                            render_pdf=False)
    invoice.pdf = document_create(
        title=f"Facture {invoice.number}", filename=f"{invoice.number}.pdf", content=PDF_BYTES,
        kind=DocumentKind.INVOICE, client_account=account, related_object=invoice,
        content_type="application/pdf")
    invoice.save(update_fields=["pdf"])
    company.invoice = invoice

    company.ticket = service_services.ticket_create(
        client_account=account, requester=requester, description=f"Fuite {tag}",
        equipment=company.equipment, attachments=[pdf_upload(f"constat-{tag}.pdf")])
    company.ticket_attachment = company.ticket.documents.get()
    company.open_ticket = service_services.ticket_create(
        client_account=account, requester=requester, description=f"Bruit {tag}",
        equipment=company.equipment)

    now = timezone.now().replace(microsecond=0)
    intervention = service_services.intervention_create(
        client_account=account, site=company.site, created_by=None,
        equipment=company.equipment, technicians=[technician], ticket=company.ticket,
        planned_start=now - datetime.timedelta(hours=2), description=f"Fuite {tag}")
    # A sheet ready to be signed: arrival, end and work done filled in.
    type(intervention).objects.filter(pk=intervention.pk).update(
        arrival_at=now - datetime.timedelta(hours=2), end_at=now - datetime.timedelta(hours=1),
        work_done="Joint changé.")
    intervention.refresh_from_db()
    company.intervention = intervention
    company.intervention_line = InterventionLine.objects.create(
        intervention=intervention, article=article, label=article.label,
        quantity=Decimal("1"), unit_price_excl_tax=article.price_excl_tax)
    company.time_entry = TimeEntry.objects.create(
        intervention=intervention, technician=technician, kind="work",
        date=timezone.localdate(), hours=Decimal("1"))
    receipt = document_create(title=f"Ticket repas {tag}", filename="repas.pdf",
                              content=PDF_BYTES, kind=DocumentKind.RECEIPT,
                              related_object=intervention, uploaded_by=technician,
                              content_type="application/pdf")
    company.expense = Expense.objects.create(
        intervention=intervention, technician=technician, kind=ExpenseKind.MEAL,
        date=timezone.localdate(), amount=Decimal("15.90"), receipt=receipt)
    company.photo = document_create(
        title=f"Photo {tag}", filename="photo.png", content=png_bytes(),
        kind=DocumentKind.PHOTO, client_account=account, related_object=intervention,
        uploaded_by=technician, content_type="image/png")
    intervention_attachment = document_create(
        title=f"Schéma {tag}", filename="schema.pdf", content=PDF_BYTES,
        kind=DocumentKind.ATTACHMENT, client_account=account, related_object=intervention,
        uploaded_by=technician, content_type="application/pdf")

    signed = service_services.intervention_create(
        client_account=account, site=company.site, created_by=None,
        equipment=company.equipment, technicians=[technician],
        planned_start=now - datetime.timedelta(days=7), description=f"Entretien {tag}")
    type(signed).objects.filter(pk=signed.pk).update(
        arrival_at=now - datetime.timedelta(days=7),
        end_at=now - datetime.timedelta(days=7) + datetime.timedelta(hours=1),
        work_done="Entretien annuel.")
    signed = service_services.intervention_sign(
        intervention=signed, by=technician, signer_name="M. Martin",
        signature_png=png_bytes(size=(300, 100)), render_report=False)
    signed.report = document_create(
        title=f"Bon {signed.number}", filename=f"{signed.number}.pdf", content=PDF_BYTES,
        kind=DocumentKind.INTERVENTION_REPORT, client_account=account, related_object=signed,
        content_type="application/pdf")
    signed.save(update_fields=["report"])
    company.signed = signed

    company.documents = {
        DocumentKind.CONTRACT: document_create(
            title=f"Contrat {tag}", filename="contrat.pdf", content=PDF_BYTES,
            kind=DocumentKind.CONTRACT, client_account=account,
            related_object=company.contract, content_type="application/pdf"),
        DocumentKind.ORDER: document_create(
            title=f"Commande {company.placed_order.number}", filename="commande.pdf",
            content=PDF_BYTES, kind=DocumentKind.ORDER, client_account=account,
            related_object=company.placed_order, content_type="application/pdf"),
        DocumentKind.INVOICE: invoice.pdf,
        DocumentKind.INTERVENTION_REPORT: signed.report,
        DocumentKind.PHOTO: company.photo,
        DocumentKind.ATTACHMENT: intervention_attachment,
        DocumentKind.RECEIPT: receipt,
        DocumentKind.OTHER: document_create(
            title=f"Notice {tag}", filename="notice.pdf", content=PDF_BYTES,
            kind=DocumentKind.OTHER, client_account=account, content_type="application/pdf"),
    }


def build_world(*, content: bool = False) -> World:
    """The world; `content`: with the demo pages and procedures (cms.services, which renders
    their PDFs: seconds), else the page tree only."""
    from cms.models import PortalHomePage
    from cms.services import portal_content_ensure, portal_pages_ensure

    if content:
        portal_content_ensure()
    else:
        portal_pages_ensure()
    dupond_account = ClientAccountFactory(code="DUPOND", name="Dupond Industrie")
    other_account = ClientAccountFactory(code="AUTRE", name="Autre Client SA")
    users = _users(dupond_account, other_account)
    karim = TechnicianProfileFactory(user=StaffFactory(email="karim@atelier-portal.fr")).user
    family = ArticleFamilyFactory(code="CHAUF", name="Chauffage")
    article = ArticleFactory(family=family, reference="CIRC-25", label="Circulateur",
                             price_excl_tax=Decimal("189.00"), stock_on_hand=Decimal("100"))

    dupond = Company(account=dupond_account)
    _populate(dupond, buyer=users["dupond"], requester=users["martin"],
              technician=users["julie"], article=article, tag="DUP")
    dupond.colleague = users["martin"]
    dupond.former = PortalProfileFactory(
        user=UserFactory(email="ancien@dupond-industrie.fr", is_active=False),
        client_account=dupond_account, role=PortalRole.BUYER).user
    other = Company(account=other_account)
    _populate(other, buyer=users["other_manager"], requester=users["other_manager"],
              technician=karim, article=article, tag="AUT")
    other.colleague = PortalProfileFactory(
        user=UserFactory(email="collegue@client-exemple.fr"), client_account=other_account,
        role=PortalRole.TECHNICAL).user

    export = document_create(title="Export commandes", filename="commandes.xlsx",
                             content=b"PK\x03\x04 export", kind=DocumentKind.EXPORT,
                             client_account=dupond_account, owner=users["dupond"],
                             content_type="application/octet-stream")
    export_job = ExportJob.objects.create(
        user=users["dupond"], kind=ExportKind.XLSX, list_name="commandes",
        status=ExportStatus.DONE, total=1, written=1, filename="commandes.xlsx",
        document=export, finished_at=timezone.now())
    dupond.documents[DocumentKind.EXPORT] = export
    return World(users=users, dupond=dupond, other=other, article=article,
                 export_job=export_job, home=PortalHomePage.objects.get())


def world_fixture(*, content: bool = False):
    """A module-scoped fixture building the world once, rolled back when the module ends.
    The module's tests must use the database (`db`): so is the test database set up."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                built = build_world(content=content)
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        yield built
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    return world

