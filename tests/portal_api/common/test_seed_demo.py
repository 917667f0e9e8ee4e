"""seed_demo: the demo data tells DESIGN.md's seed scenario, once, and the same way each time."""

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from wagtail.models import Page

from portal_api.accounts import roles
from portal_api.accounts.factories import DEMO_PASSWORD
from portal_api.accounts.models import (
    ClientAccount,
    Contact,
    PortalProfile,
    PortalRole,
    TechnicianProfile,
    User,
)
from portal_api.accounts.rules import staff_roles_of
from portal_api.billing.models import Invoice, InvoiceStatus
from portal_api.catalog.models import Article, ArticleFamily, ArticleKind, BundleComponent
from portal_api.common.demo import demo_logins, luhn_valid, seed_demo
from portal_api.common.models import NumberSequence
from portal_api.orders.models import Order, OrderLine, OrderStatus
from portal_api.service.models import (
    Equipment,
    Expense,
    Intervention,
    InterventionLine,
    InterventionStatus,
    Ticket,
    TicketStatus,
    TimeEntry,
)

DUPOND = "dupond@dupond-industrie.fr"
MARTIN = "martin@dupond-industrie.fr"
OTHER = "autre@client-exemple.fr"
JULIE = "julie.bernard@atelier-portal.fr"
ADMIN = "admin@atelier-portal.fr"
DISPATCH = "dispatch@atelier-portal.fr"


def row_counts() -> dict[str, int]:
    """Rows of every model of the project (portal_api, cms, Wagtail, auth…)."""
    counts = {model._meta.label: model._default_manager.count()
              for model in apps.get_models() if model._meta.managed}
    counts["wagtailcore.Page"] = Page.objects.count()
    return counts


def fingerprint() -> dict[str, list]:
    """What the demo data says, without ids or the seconds of the run."""

    def rows(queryset, *fields):
        return sorted(queryset.values_list(*fields), key=repr)

    return {
        "articles": rows(Article.objects, "reference", "label", "price_excl_tax",
                         "stock_on_hand", "stock_reserved", "visible_to_clients"),
        "contacts": rows(Contact.objects, "email", "first_name", "last_name", "phone"),
        "equipment": rows(Equipment.objects, "serial_number", "install_date", "warranty_end",
                          "contract__number"),
        "orders": rows(Order.objects, "number", "status", "client_account__code",
                       "total_incl_tax", "submitted_at"),
        "invoices": rows(Invoice.objects, "number", "status", "client_account__code",
                         "total_incl_tax", "issue_date", "paid_at"),
        "tickets": rows(Ticket.objects, "status", "urgent", "client_account__code",
                        "description"),
        "interventions": rows(Intervention.objects, "number", "status", "client_account__code",
                              "planned_start", "signer_name", "work_done"),
        "lines": rows(InterventionLine.objects, "intervention__number", "label", "quantity"),
    }


# --------------------------------------------------------------------------------------------
# The command, idempotence and determinism: each test seeds its own database.
# --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_the_logins_and_a_second_run_changes_nothing():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = out.getvalue()
    assert "Création des données de démonstration" in first
    for expected in ("http://127.0.0.1:8000/connexion/", DEMO_PASSWORD, ADMIN, DUPOND, MARTIN,
                     OTHER, JULIE, DISPATCH, "/admin/", "/espace-client/", "/intranet/"):
        assert expected in first

    before = row_counts()
    sequences = list(NumberSequence.objects.order_by("name", "year")
                     .values_list("name", "year", "last_value"))
    stock = Article.objects.aggregate(Sum("stock_on_hand"), Sum("stock_reserved"))
    out = StringIO()
    call_command("seed_demo", "--quiet", stdout=out)

    assert row_counts() == before
    assert list(NumberSequence.objects.order_by("name", "year")
                .values_list("name", "year", "last_value")) == sequences
    assert Article.objects.aggregate(Sum("stock_on_hand"), Sum("stock_reserved")) == stock
    second = out.getvalue()
    assert "Création" not in second  # --quiet: the logins only
    assert DUPOND in second and DEMO_PASSWORD in second and "/espace-client/" in second


@pytest.mark.django_db
def test_the_data_is_the_same_each_time():
    prints = []
    for _ in range(2):
        with transaction.atomic():
            assert seed_demo() is True
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert ClientAccount.objects.count() == 0
    for key in prints[0]:
        assert prints[0][key] == prints[1][key], key


# --------------------------------------------------------------------------------------------
# The scenario: one seed for the whole class, rolled back at its end.
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert seed_demo() is True
        yield
        transaction.set_rollback(True)


def user(email: str) -> User:
    return User.objects.get(email=email)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestScenario:
    def test_dupond_orders_and_martin_requests_interventions(self):
        dupond, martin = user(DUPOND), user(MARTIN)
        assert dupond.portal_profile.client_account.code == "DUPOND"
        assert martin.portal_profile.client_account_id == dupond.portal_profile.client_account_id
        assert dupond.portal_profile.client_account.name == "Dupond Industrie"

        assert dupond.portal_profile.role == PortalRole.BUYER
        assert dupond.portal_profile.can_place_orders
        assert not dupond.portal_profile.can_request_interventions
        assert martin.portal_profile.role == PortalRole.TECHNICAL
        assert martin.portal_profile.can_request_interventions
        assert martin.portal_profile.can_follow_interventions
        assert martin.portal_profile.can_view_equipment
        assert not martin.portal_profile.can_place_orders

        assert dupond.has_perm("orders.place_order")
        assert not dupond.has_perm("service.request_intervention")
        assert not dupond.has_perm("service.consult_equipment")
        assert martin.has_perm("service.request_intervention")
        assert martin.has_perm("service.consult_equipment")
        assert not martin.has_perm("orders.place_order")

    def test_martins_urgent_request_waits_in_the_action_center(self):
        martin = user(MARTIN)
        waiting = Ticket.objects.filter(requester=martin, urgent=True,
                                        status=TicketStatus.RECEIVED, intervention=None)
        assert waiting.exists()
        assert waiting.get().equipment.client_account.code == "DUPOND"

    def test_other_companies_never_see_duponds_data(self):
        other, martin = user(OTHER), user(MARTIN)
        assert other.portal_profile.client_account.code != "DUPOND"
        dupond_intervention = Intervention.objects.filter(client_account__code="DUPOND").first()
        assert martin.has_perm("service.consult_intervention", dupond_intervention)
        assert not other.has_perm("service.consult_intervention", dupond_intervention)
        dupond_order = Order.objects.filter(client_account__code="DUPOND").first()
        assert user(DUPOND).has_perm("orders.view_orders", dupond_order)
        assert not other.has_perm("orders.view_orders", dupond_order)

    def test_contracts_and_placed_orders_are_in_each_companys_documents(self):
        """The « Contrat » and « Commande » filters of every company's documents list have
        rows, each dated by its source, not by the day the demo was seeded."""
        from django.contrib.contenttypes.models import ContentType

        from portal_api.billing.models import Contract
        from portal_api.documents.models import Document, DocumentKind
        from portal_api.documents.selectors import company_document_kinds

        def documents_of(obj, kind):
            return list(Document.objects.filter(
                kind=kind, related_type=ContentType.objects.get_for_model(obj),
                related_id=obj.pk).values_list("client_account_id", "document_date"))

        for contract in Contract.objects.all():
            assert documents_of(contract, DocumentKind.CONTRACT) == [
                (contract.client_account_id, contract.start_date)]
        placed = Order.objects.exclude(submitted_at=None)
        for order in placed:
            assert documents_of(order, DocumentKind.ORDER) == [
                (order.client_account_id, timezone.localdate(order.submitted_at))]
        for account in ClientAccount.objects.all():
            kinds = set(Document.objects.filter(client_account=account)
                        .values_list("kind", flat=True))
            if account.contracts.exists():
                assert DocumentKind.CONTRACT in kinds, account.code
            if placed.filter(client_account=account).exists():
                assert DocumentKind.ORDER in kinds, account.code
        assert {"contract", "order", "invoice"} <= set(company_document_kinds(user=user(DUPOND)))
        assert {"contract", "intervention_report"} <= set(
            company_document_kinds(user=user(MARTIN)))
        days = set(Document.objects.values_list("document_date", flat=True))
        assert len(days) > 30

    def test_client_companies(self):
        accounts = ClientAccount.objects.all()
        assert accounts.count() >= 5
        assert accounts.filter(active=True).count() >= 4
        inactive = accounts.get(active=False)
        assert PortalProfile.objects.filter(client_account=inactive).exists()
        for account in accounts:
            assert re.fullmatch(r"[0-9]{14}", account.siret) and luhn_valid(account.siret)
            siren = account.siret[:9]
            assert account.vat_number == f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
            assert account.portal_profiles.exists(), account.code
            assert account.sites.exists() and account.equipment.exists()
            assert account.address and account.postal_code and account.city

    def test_staff_and_technicians(self):
        # The back office holds roles from roles.py, as any installation would: nobody is a
        # superuser in the demo.
        admin = user(ADMIN)
        assert admin.is_staff and not admin.is_superuser
        assert staff_roles_of(admin) == {roles.ADMINISTRATOR}
        assert user("adv@atelier-portal.fr").has_perm("billing.manage_invoices")
        assert staff_roles_of(user("adv@atelier-portal.fr")) == {roles.SALES}
        assert staff_roles_of(user("redaction@atelier-portal.fr")) == {roles.EDITOR}

        dispatcher = user(DISPATCH)
        assert dispatcher.is_staff and not dispatcher.is_superuser
        assert not TechnicianProfile.objects.filter(user=dispatcher).exists()
        assert staff_roles_of(dispatcher) == {roles.DISPATCHER}
        assert dispatcher.groups.filter(name=roles.STAFF_ROLES[roles.DISPATCHER].group).exists()
        assert dispatcher.has_perm("wagtailadmin.access_admin")
        assert dispatcher.has_perm("service.manage_tickets")
        assert dispatcher.has_perm("service.create_intervention")
        assert not dispatcher.has_perm("billing.view_invoices")

        technicians = TechnicianProfile.objects.select_related("user")
        assert technicians.count() == 3
        assert all(t.user.is_staff and t.active for t in technicians)
        assert technicians.filter(user__email=JULIE, can_see_all_interventions=False).exists()
        assert technicians.filter(can_see_all_interventions=True).count() >= 1

    def test_every_demo_user_has_the_demo_password(self):
        emails = [login.email for login in demo_logins()]
        users = User.objects.filter(email__in=emails)
        assert users.count() == len(emails) >= 12
        assert all(u.check_password(DEMO_PASSWORD) for u in users)

    def test_every_page_and_category_is_in_english_too(self):
        """The demo ships both languages: each French page and procedure category has its
        English translation, with every string translated (cms/content_en.py)."""
        from wagtail.models import Locale

        from cms.models import ProcedureCategory
        from cms.services import untranslated_strings

        english = Locale.objects.get(language_code="en")
        assert Locale.get_default().language_code == "fr"
        french = [*Page.objects.filter(locale__language_code="fr", depth__gt=1).specific(),
                  *ProcedureCategory.objects.filter(locale__language_code="fr")]
        assert len(french) > 30
        for obj in french:
            translated = obj.get_translation_or_none(english)
            assert translated is not None, obj
            assert untranslated_strings(obj=obj, locale=english) == [], obj
        assert Page.objects.filter(locale=english, live=True).count() == sum(
            isinstance(obj, Page) for obj in french)

    def test_logins_land_where_the_table_says(self, client):
        landings = {login.email: login.landing for login in demo_logins()}
        assert landings[ADMIN] == "/admin/"
        assert landings[DISPATCH] == "/admin/"
        assert landings["adv@atelier-portal.fr"] == "/admin/"
        assert landings["redaction@atelier-portal.fr"] == "/admin/"
        assert landings[DUPOND] == landings[MARTIN] == landings[OTHER] == "/espace-client/"
        assert landings[JULIE] == "/intranet/"
        for email in (DUPOND, JULIE, ADMIN):
            response = client.post("/connexion/", {"username": email, "password": DEMO_PASSWORD},
                                   follow=True)
            assert response.redirect_chain[-1][0].endswith(landings[email]), email
            client.logout()
        inactive = PortalProfile.objects.get(client_account__active=False).user
        response = client.post("/connexion/",
                               {"username": inactive.email, "password": DEMO_PASSWORD})
        assert response.status_code == 200  # refused: the company is inactive
        assert "connexion refusée" in landings[inactive.email]

    def test_catalog(self):
        assert ArticleFamily.objects.count() >= 12
        assert Article.objects.count() >= 190
        hidden_from_clients = Article.objects.filter(
            Q(visible_to_clients=False) | Q(family__visible_to_clients=False))
        hidden_from_technicians = Article.objects.filter(
            Q(visible_to_technicians=False) | Q(family__visible_to_technicians=False))
        assert hidden_from_clients.exists()
        assert Article.objects.filter(visible_to_clients=False,
                                      family__visible_to_clients=True).exists()
        assert hidden_from_technicians.exists()
        assert Article.objects.filter(track_stock=True, stock_on_hand=0).count() >= 3
        # Out-of-stock articles announce when they come back (what a back-order says), later.
        assert not Article.objects.filter(track_stock=True, stock_on_hand=0,
                                          restock_date=None).exists()
        assert not Article.objects.filter(restock_date__lte=timezone.localdate()).exists()
        assert not Article.objects.filter(track_stock=False, restock_date__isnull=False).exists()
        labour = Article.objects.filter(kind=ArticleKind.LABOUR)
        assert labour.exists() and not labour.filter(track_stock=True).exists()
        assert labour.filter(unit="h").exists()
        bundles = Article.objects.filter(kind=ArticleKind.BUNDLE)
        assert bundles.count() >= 3
        assert all(b.components.count() >= 2 for b in bundles)
        assert BundleComponent.objects.filter(bundle__kind=ArticleKind.BUNDLE).count() == (
            BundleComponent.objects.count())

    def test_stock_is_consistent_with_the_orders(self):
        assert not Article.objects.filter(stock_on_hand__lt=0).exists()
        assert not Article.objects.filter(stock_reserved__gt=F("stock_on_hand")).exists()
        reserved = defaultdict(Decimal)
        for article_id, quantity in OrderLine.objects.filter(
            order__status__in=[OrderStatus.SUBMITTED, OrderStatus.CONFIRMED],
            article__track_stock=True,
        ).values_list("article_id", "quantity"):
            reserved[article_id] += quantity
        actual = {a.pk: a.stock_reserved for a in Article.objects.filter(stock_reserved__gt=0)}
        assert actual == dict(reserved)

    def test_equipment_and_contracts(self):
        today = timezone.localdate()
        equipment = Equipment.objects.all()
        assert equipment.count() >= 20
        assert equipment.filter(warranty_end__lt=today).exists()
        assert equipment.filter(warranty_end__gte=today,
                                warranty_end__lte=today + datetime.timedelta(days=60)).exists()
        assert equipment.filter(warranty_end__gt=today + datetime.timedelta(days=60)).exists()
        assert equipment.filter(contract__isnull=False).exists()
        assert equipment.filter(contract__isnull=True).exists()
        assert not equipment.filter(Q(serial_number="") | Q(brand="") | Q(model="")
                                    | Q(install_date=None)).exists()

    def test_orders_in_every_status_over_twelve_months(self):
        statuses = set(Order.objects.values_list("status", flat=True))
        assert statuses == set(OrderStatus.values)
        oldest = Order.objects.exclude(submitted_at=None).order_by("submitted_at").first()
        assert oldest.submitted_at <= timezone.now() - datetime.timedelta(days=300)
        assert Order.objects.filter(status=OrderStatus.INVOICED, invoices__isnull=False).exists()
        assert not Order.objects.filter(status=OrderStatus.INVOICED, invoices=None).exists()
        drafts = Order.objects.filter(status=OrderStatus.DRAFT)
        assert drafts.filter(prepared_by__email=DUPOND).exists()
        assert not drafts.exclude(number=None).exists()

    def test_tickets_and_interventions_in_every_status(self):
        assert set(Ticket.objects.values_list("status", flat=True)) == set(TicketStatus.values)
        assert set(Intervention.objects.values_list("status", flat=True)) == set(
            InterventionStatus.values)
        assert Ticket.objects.filter(urgent=True).count() >= 3
        assert Ticket.objects.filter(intervention__isnull=False).exists()

        finished = Intervention.objects.filter(
            status__in=[InterventionStatus.DONE, InterventionStatus.CLOSED])
        assert finished.filter(status=InterventionStatus.DONE, signed_at__isnull=False).exists()
        assert finished.filter(status=InterventionStatus.DONE, signed_at=None).exists()
        assert not finished.filter(status=InterventionStatus.CLOSED, signed_at=None).exists()
        assert not finished.filter(end_at=None).exists()
        assert not Intervention.objects.filter(signed_at__isnull=False, signer_name="").exists()
        assert InterventionLine.objects.filter(intervention__in=finished).exists()
        assert TimeEntry.objects.filter(intervention__in=finished).exists()
        assert Expense.objects.filter(intervention__in=finished).exists()

    def test_julie_works_today_and_this_week(self):
        today = timezone.localdate()
        julie = Intervention.objects.filter(technicians__email=JULIE)
        assert julie.count() >= 10
        starts = [timezone.localdate(i.planned_start) for i in julie.exclude(planned_start=None)]
        assert starts.count(today) >= 2
        assert sum(today < d <= today + datetime.timedelta(days=7) for d in starts) >= 2
        assert julie.filter(status=InterventionStatus.IN_PROGRESS).exists()
        assert julie.filter(status=InterventionStatus.DONE, signed_at__isnull=False).exists()

    def test_invoices_are_numbered_without_gaps_in_date_order(self):
        today = timezone.localdate()
        invoices = Invoice.objects.order_by("year", "sequence")
        assert {InvoiceStatus.ISSUED, InvoiceStatus.PAID, InvoiceStatus.OVERDUE} <= set(
            invoices.values_list("status", flat=True))
        assert not invoices.filter(status=InvoiceStatus.DRAFT).exists()
        assert invoices.filter(status=InvoiceStatus.OVERDUE, client_account__code="DUPOND").exists()
        assert not invoices.filter(status=InvoiceStatus.OVERDUE, due_date__gte=today).exists()
        assert not invoices.filter(status=InvoiceStatus.ISSUED, due_date__lt=today).exists()
        assert not invoices.filter(status=InvoiceStatus.PAID, paid_at=None).exists()
        by_year = defaultdict(list)
        for invoice in invoices:
            by_year[invoice.year].append(invoice)
        for year, items in by_year.items():
            assert [i.sequence for i in items] == list(range(1, len(items) + 1))
            assert all(i.number == f"FA-{year}-{i.sequence:05d}" for i in items)
            assert all(i.issue_date.year == year for i in items)
            dates = [i.issue_date for i in items]
            assert dates == sorted(dates)
            assert all(i.total_incl_tax == i.total_excl_tax + i.total_vat for i in items)

    @pytest.mark.parametrize(("model", "sequence", "prefix", "date_field"), [
        (Order, "order", "CO", "submitted_at"), (Ticket, "ticket", "DI", "created_at"),
        (Intervention, "intervention", "BI", "created_at"),
    ])
    def test_documents_are_numbered_by_their_own_year(self, model, sequence, prefix,
                                                      date_field):
        """The services number by today's year; the history keeps the year it happened in,
        in chronological order, and the sequences continue after the last number."""
        by_year = defaultdict(list)
        for obj in model.objects.exclude(number=None).order_by(date_field, "pk"):
            by_year[timezone.localtime(getattr(obj, date_field)).year].append(obj.number)
        assert len(by_year) >= 1
        for year, numbers in by_year.items():
            assert numbers == [f"{prefix}-{year}-{n:06d}" for n in range(1, len(numbers) + 1)]
            assert NumberSequence.objects.get(name=sequence, year=year).last_value == len(
                numbers)

    def test_the_stored_invoice_pdfs_carry_every_legal_mention(self):
        """The demo writes the company's identity before it renders any PDF: each stored
        invoice names its issuer in full, its client, its dates and its terms."""
        import io

        from pypdf import PdfReader

        from cms.models import BrandingSettings

        brand = BrandingSettings.load()
        assert luhn_valid(brand.siret) and brand.vat_number.endswith(brand.siret[:9])
        invoices = (Invoice.objects.filter(client_account__code="DUPOND", pdf__isnull=False)
                    .select_related("client_account", "pdf"))
        assert invoices.count() == 5
        for invoice in invoices:
            with invoice.pdf.file.open("rb") as handle:
                reader = PdfReader(io.BytesIO(handle.read()))
            text = " ".join(re.sub(r"[\u00a0\u202f]", " ", "\n".join(
                page.extract_text() for page in reader.pages)).split())
            client = invoice.client_account
            for mention in (
                # The issuer: name, form and capital, address, SIRET, RCS, VAT number.
                "Atelier Services", "SAS au capital de 50 000 €", "12 rue des Artisans",
                "69007 Lyon", f"SIRET : {brand.siret}", brand.rcs,
                f"N° TVA intracommunautaire : {brand.vat_number}",
                # The client: name, billing address, VAT number.
                client.name, client.address, f"{client.postal_code} {client.city}",
                client.vat_number,
                # The invoice: number, dates, due date and terms.
                f"N° {invoice.number}", f"Date de facture {invoice.issue_date:%d/%m/%Y}",
                "Date de livraison / prestation",
                f"Date d'échéance : {invoice.due_date:%d/%m/%Y} (30 jours date de facture)",
                "Règlement par virement bancaire", "Pas d'escompte pour paiement anticipé",
                "Pénalités de retard", "3 fois le taux d'intérêt légal",
                "indemnité forfaitaire pour frais de recouvrement de 40 €",
            ):
                assert mention in text, (invoice.number, mention)
            assert "—" not in text

    def test_no_stored_report_leaves_the_signature_alone_on_a_page(self):
        import io

        from pypdf import PdfReader

        reports = Intervention.objects.filter(report__isnull=False).select_related("report")
        assert reports.count() >= 10
        for intervention in reports:
            with intervention.report.file.open("rb") as handle:
                pages = [page.extract_text() for page in
                         PdfReader(io.BytesIO(handle.read())).pages]
            [page] = [text for text in pages if "SIGNATURE DU CLIENT" in text.upper()]
            before = page[:page.upper().index("SIGNATURE DU CLIENT")]
            # The last section (lines, comments or work done) shares the signature's page.
            assert any(heading in before for heading in (
                "Fournitures et main-d'œuvre", "Commentaires", "Travaux réalisés")), \
                intervention.number
