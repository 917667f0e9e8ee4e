"""/api/v1/invoices/: list with filters and totals, detail with lines, .xlsx export and PDF
download; isolation (404), rights (403), drafts never shown to clients."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from portal_api.accounts.factories import PortalProfileFactory, UserFactory
from portal_api.accounts.models import PortalRole
from portal_api.billing.models import Invoice
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from tests.api_helpers import assert_error

from .conftest import make_invoice

pytestmark = pytest.mark.django_db


def snapshot():
    """What a refused request must leave untouched."""
    return (
        list(Invoice.objects.order_by("pk").values_list("pk", "status", "pdf_id", "number")),
        list(Document.objects.order_by("pk").values_list("pk", "checksum")),
    )


@pytest.fixture
def invoices(dupond_company, other_company):
    return {
        "issued": make_invoice(dupond_company, issue_date=datetime.date(2026, 1, 10)),
        "paid": make_invoice(dupond_company, issue_date=datetime.date(2026, 2, 10),
                             status="paid"),
        "overdue": make_invoice(dupond_company, issue_date=datetime.date(2026, 3, 10),
                                status="overdue"),
        "draft": make_invoice(dupond_company, status="draft"),
        "theirs": make_invoice(other_company, issue_date=datetime.date(2026, 1, 15)),
    }


class TestList:
    def test_only_the_companys_issued_invoices_with_totals(self, api_as, dupond, invoices):
        data = api_as(dupond).get("/api/v1/invoices/").json()
        assert data["count"] == 3
        numbers = [row["number"] for row in data["results"]]
        assert numbers == [invoices[k].number for k in ("overdue", "paid", "issued")]
        assert invoices["draft"].pk not in [row["id"] for row in data["results"]]
        # 3 × 115.97 HT, 3 × 22.33 VAT, 3 × 138.30 TTC; paid one owes nothing.
        assert data["totals"] == {"total_excl_tax": "347.91", "total_vat": "66.99",
                                  "total_incl_tax": "414.90", "amount_due": "276.60"}
        row = data["results"][0]
        assert row["status"] == "overdue" and row["status_label"] == "En retard"
        assert row["amount_due"] == "138.30"
        assert row["pdf_url"] == f"/api/v1/invoices/{invoices['overdue'].pk}/pdf/"
        assert data["permissions"] == {"download_pdf": True, "export": True}

    def test_filters_by_status_and_period_and_totals_follow(self, api_as, dupond, invoices):
        client = api_as(dupond)
        data = client.get("/api/v1/invoices/?status=paid").json()
        assert [r["id"] for r in data["results"]] == [invoices["paid"].pk]
        assert data["totals"]["amount_due"] == "0.00"
        assert data["totals"]["total_incl_tax"] == "138.30"
        data = client.get("/api/v1/invoices/?date_from=2026-02-01&date_to=2026-03-31").json()
        assert {r["id"] for r in data["results"]} == {invoices["paid"].pk,
                                                     invoices["overdue"].pk}
        assert data["totals"]["total_excl_tax"] == "231.94"
        data = client.get("/api/v1/invoices/?date_to=2026-01-31&status=issued").json()
        assert [r["id"] for r in data["results"]] == [invoices["issued"].pk]
        data = client.get("/api/v1/invoices/?date_from=2027-01-01").json()
        assert data["count"] == 0 and data["totals"]["total_incl_tax"] == "0.00"

    def test_a_period_ending_before_it_starts_is_a_400_naming_the_field(self, api_as, dupond,
                                                                        invoices):
        error = assert_error(
            api_as(dupond).get("/api/v1/invoices/?date_from=2026-03-01&date_to=2026-02-01"),
            400, "invalid")
        assert error["fields"]["date_to"] == ["La fin de la période ne peut précéder son début."]

    @pytest.mark.parametrize("query, field", [("status=draft", "status"),
                                              ("status=whatever", "status"),
                                              ("date_from=31-12-2026", "date_from"),
                                              ("date_to=demain", "date_to")])
    def test_bad_filters_are_400_naming_the_field(self, api_as, dupond, invoices, query, field):
        error = assert_error(api_as(dupond).get(f"/api/v1/invoices/?{query}"), 400)
        assert list(error["fields"]) == [field]

    def test_sales_administration_sees_drafts_of_every_company(self, api_as, sales_admin,
                                                                invoices):
        data = api_as(sales_admin).get("/api/v1/invoices/").json()
        assert data["count"] == 5

    def test_the_dispatcher_and_technicians_see_no_invoice(self, api_as, dispatcher, julie,
                                                          invoices):
        for user in (dispatcher, julie):
            assert api_as(user).get("/api/v1/invoices/").status_code == 403

    def test_constant_number_of_queries(self, client, dupond, dupond_company):
        client.force_login(dupond)
        for _ in range(5):
            make_invoice(dupond_company)
        with CaptureQueriesContext(connection) as small:
            assert client.get("/api/v1/invoices/").json()["count"] == 5
        for _ in range(45):
            make_invoice(dupond_company)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/invoices/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)
        # session, user, profile, company, totals with the count, page
        assert len(small.captured_queries) <= 6


class TestDetail:
    def test_detail_with_lines_and_vat_by_rate(self, api_as, dupond, invoices):
        data = api_as(dupond).get(f"/api/v1/invoices/{invoices['issued'].pk}/").json()
        assert data["number"] == invoices["issued"].number
        assert [line["label"] for line in data["lines"]] == ["Main-d'œuvre", "Joint"]
        assert data["lines"][0]["total_excl_tax"] == "110.00"
        assert data["vat_breakdown"] == [
            {"rate": "20.00", "base": "110.00", "vat": "22.00"},
            {"rate": "5.50", "base": "5.97", "vat": "0.33"},
        ]
        assert data["total_incl_tax"] == "138.30"

    def test_a_draft_is_a_404_for_clients(self, api_as, dupond, invoices):
        before = snapshot()
        client = api_as(dupond)
        assert_error(client.get(f"/api/v1/invoices/{invoices['draft'].pk}/"), 404, "not_found")
        assert_error(client.get(f"/api/v1/invoices/{invoices['draft'].pk}/pdf/"), 404)
        assert snapshot() == before


class TestIsolationAndRights:
    def test_another_companys_invoice_is_a_404_everywhere(self, api_as, dupond, invoices):
        before = snapshot()
        client = api_as(dupond)
        theirs = invoices["theirs"].pk
        assert_error(client.get(f"/api/v1/invoices/{theirs}/"), 404, "not_found")
        assert_error(client.get(f"/api/v1/invoices/{theirs}/pdf/"), 404, "not_found")
        assert theirs not in [r["id"] for r in client.get("/api/v1/invoices/").json()["results"]]
        assert snapshot() == before  # no PDF rendered nor stored for the other company

    def test_other_company_sees_only_its_own(self, api_as, other_manager, invoices):
        data = api_as(other_manager).get("/api/v1/invoices/").json()
        assert [r["id"] for r in data["results"]] == [invoices["theirs"].pk]

    def test_without_the_right_everything_is_a_403(self, api_as, martin, invoices):
        before = snapshot()
        client = api_as(martin)
        mine = invoices["issued"].pk
        for url in ("/api/v1/invoices/", "/api/v1/invoices/?format=xlsx",
                    f"/api/v1/invoices/{mine}/", f"/api/v1/invoices/{mine}/pdf/"):
            assert_error(client.get(url), 403, "permission_denied")
        assert snapshot() == before

    def test_an_inactive_company_sees_nothing(self, api_as, dupond, dupond_company, invoices):
        dupond_company.active = False
        dupond_company.save()
        assert_error(api_as(dupond).get("/api/v1/invoices/"), 403)

    def test_anonymous_is_401(self, api_client, invoices):
        assert_error(api_client.get(f"/api/v1/invoices/{invoices['issued'].pk}/pdf/"), 401)

    def test_read_only(self, api_as, dupond, invoices):
        before = snapshot()
        client = api_as(dupond)
        assert_error(client.post("/api/v1/invoices/", {"number": "X"}), 405)
        response = client.delete(f"/api/v1/invoices/{invoices['issued'].pk}/")
        assert response.status_code == 405
        assert snapshot() == before


class TestExport:
    def test_the_xlsx_holds_the_filtered_rows(self, api_as, dupond, invoices):
        response = api_as(dupond).get(
            "/api/v1/invoices/?format=xlsx&date_from=2026-02-01&ordering=issue_date")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("Numéro", "Statut", "Date de facture")
        assert [r[0] for r in rows[1:]] == [invoices["paid"].number, invoices["overdue"].number]
        assert rows[1][1] == "Payée" and rows[1][7] == pytest.approx(138.30)
        assert rows[1][8] == 0 and rows[2][8] == pytest.approx(138.30)

    def test_a_bad_filter_on_export_is_a_400(self, api_as, dupond, invoices):
        error = assert_error(api_as(dupond).get(
            "/api/v1/invoices/?format=xlsx&date_from=2026-03-01&date_to=2026-01-01"), 400)
        assert "date_to" in error["fields"]


class TestPdfDownload:
    def test_a_stored_pdf_is_streamed_as_is(self, api_as, dupond, dupond_company):
        invoice = make_invoice(dupond_company)
        stored = b"%PDF-1.7 the stored invoice"
        invoice.pdf = document_create(title="Facture", filename="f.pdf", content=stored,
                                      kind=DocumentKind.INVOICE, client_account=dupond_company,
                                      related_object=invoice)
        invoice.save()
        count = Document.objects.count()
        response = api_as(dupond).get(f"/api/v1/invoices/{invoice.pk}/pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{invoice.number}.pdf"')
        # The very bytes stored, streamed: nothing was rendered again.
        assert response.streaming
        assert b"".join(response.streaming_content) == stored
        assert Document.objects.count() == count

    def test_a_missing_pdf_is_rendered_stored_then_served(self, api_as, dupond, dupond_company):
        invoice = make_invoice(dupond_company)
        assert invoice.pdf is None
        response = api_as(dupond).get(f"/api/v1/invoices/{invoice.pk}/pdf/")
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert content.startswith(b"%PDF")
        invoice.refresh_from_db()
        document = invoice.pdf
        assert document.kind == DocumentKind.INVOICE
        assert document.client_account == dupond_company
        assert document.related_object == invoice
        assert document.size == len(content)
        # A second download serves the same stored document.
        again = api_as(dupond).get(f"/api/v1/invoices/{invoice.pk}/pdf/")
        assert b"".join(again.streaming_content) == content
        assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == 1

    def test_a_stored_file_lost_from_storage_is_rendered_again(self, api_as, dupond,
                                                             dupond_company):
        invoice = make_invoice(dupond_company)
        invoice.pdf = document_create(title="Facture", filename="f.pdf", content=b"%PDF-1.7",
                                      kind=DocumentKind.INVOICE, client_account=dupond_company,
                                      related_object=invoice)
        invoice.save()
        invoice.pdf.file.storage.delete(invoice.pdf.file.name)
        response = api_as(dupond).get(f"/api/v1/invoices/{invoice.pk}/pdf/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        invoice.refresh_from_db()
        assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == 1
        assert invoice.pdf.size > 100

    def test_download_runs_few_queries(self, client, dupond, dupond_company):
        invoice = make_invoice(dupond_company)
        client.force_login(dupond)
        client.get(f"/api/v1/invoices/{invoice.pk}/pdf/")  # renders and stores it
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/invoices/{invoice.pk}/pdf/")
            b"".join(response.streaming_content)
        # session, user, profile, company, the invoice with its document: no rendering
        assert len(queries.captured_queries) <= 5

    def test_staff_may_preview_a_draft_which_is_not_stored(self, api_as, sales_admin,
                                                          dupond_company):
        draft = make_invoice(dupond_company, status="draft")
        response = api_as(sales_admin).get(f"/api/v1/invoices/{draft.pk}/pdf/")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response.content.startswith(b"%PDF")
        assert not Document.objects.exists()

    def test_a_user_with_only_the_invoice_right(self, api_as, dupond_company):
        accountant = PortalProfileFactory(
            user=UserFactory(email="compta@dupond-industrie.fr"), client_account=dupond_company,
            role=PortalRole.CUSTOM, can_view_invoices=True,
        ).user
        invoice = make_invoice(dupond_company)
        response = api_as(accountant).get(f"/api/v1/invoices/{invoice.pk}/pdf/")
        assert response.status_code == 200
