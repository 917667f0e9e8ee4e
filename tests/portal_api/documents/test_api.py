"""/api/v1/documents/: the company's contracts, orders, invoices and intervention reports,
filterable by kind and period, each downloadable as an attachment; isolation (404), rights
(403), a user's private exports only for him."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal_api.accounts.factories import PortalProfileFactory, UserFactory
from portal_api.accounts.models import PortalRole
from portal_api.billing.factories import ContractFactory
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from tests.api_helpers import assert_error

pytestmark = pytest.mark.django_db


def snapshot():
    return list(Document.objects.order_by("pk").values_list("pk", "title", "checksum",
                                                            "owner_id"))


def make(company, kind=DocumentKind.CONTRACT, title="Contrat de maintenance", *,
         created=None, **extra):
    """A stored document dated `created` (its own date); its files are all generated today,
    in the reverse order, so that a list by generation time would read backwards."""
    document = document_create(title=title, filename=f"{kind}.pdf",
                               content=f"%PDF-1.4 {title}".encode(), kind=kind,
                               client_account=company, document_date=created, **extra)
    if created:
        stored = timezone.now() - datetime.timedelta(seconds=created.toordinal() % 100000)
        Document.objects.filter(pk=document.pk).update(created_at=stored)
        document.refresh_from_db()
    return document


@pytest.fixture
def no_documents_right(dupond_company):
    """A Dupond colleague who may see invoices but not documents."""
    return PortalProfileFactory(
        user=UserFactory(email="compta@dupond-industrie.fr"), client_account=dupond_company,
        role=PortalRole.CUSTOM, can_view_invoices=True,
    ).user


@pytest.fixture
def manager(dupond_company):
    """Dupond Industrie's portal manager: every right, so every kind of its paperwork."""
    return PortalProfileFactory(
        user=UserFactory(email="direction@dupond-industrie.fr"), client_account=dupond_company,
        role=PortalRole.MANAGER,
    ).user


@pytest.fixture
def documents(dupond_company, other_company, dupond, martin):
    contract = ContractFactory(client_account=dupond_company)
    return {
        "contract": make(dupond_company, created=datetime.date(2026, 1, 5),
                         related_object=contract),
        "order": make(dupond_company, DocumentKind.ORDER, "Commande CO-2026-000001",
                      created=datetime.date(2026, 2, 5)),
        "invoice": make(dupond_company, DocumentKind.INVOICE, "Facture FA-2026-00001",
                        created=datetime.date(2026, 3, 5)),
        "report": make(dupond_company, DocumentKind.INTERVENTION_REPORT, "Bon BI-2026-000001",
                       created=datetime.date(2026, 4, 5)),
        "receipt": make(dupond_company, DocumentKind.RECEIPT, "Ticket de péage",
                        created=datetime.date(2026, 4, 6)),
        "martins_export": make(dupond_company, DocumentKind.EXPORT, "Export Martin",
                               owner=martin, created=datetime.date(2026, 4, 7)),
        "duponds_export": make(dupond_company, DocumentKind.EXPORT, "Export Dupond",
                               owner=dupond, created=datetime.date(2026, 4, 8)),
        "theirs": make(other_company, title="Contrat d'un autre client",
                       created=datetime.date(2026, 1, 6)),
    }


class TestList:
    def test_the_companys_paperwork_newest_first(self, api_as, dupond, documents):
        data = api_as(dupond).get("/api/v1/documents/").json()
        ids = [row["id"] for row in data["results"]]
        # Dupond may not follow interventions: the report is not his (documents by kind).
        assert ids == [documents[k].pk for k in ("duponds_export", "invoice", "order",
                                                 "contract")]
        contract = data["results"][-1]
        assert contract["kind"] == "contract" and contract["kind_label"] == "Contrat"
        assert contract["related_label"] == "Contrat"
        assert contract["download_url"] == f"/api/v1/documents/{documents['contract'].pk}/download/"
        assert contract["private"] is False
        assert data["permissions"] == {"download": True}

    def test_a_private_export_is_only_for_its_owner(self, api_as, martin, documents):
        ids = [r["id"] for r in api_as(martin).get("/api/v1/documents/").json()["results"]]
        assert documents["martins_export"].pk in ids
        assert documents["duponds_export"].pk not in ids
        response = api_as(martin).get(
            f"/api/v1/documents/{documents['duponds_export'].pk}/download/")
        assert_error(response, 404)

    @pytest.mark.parametrize("query, expected", [
        ("kind=contract", ["contract"]),
        ("kind=intervention_report", ["report"]),
        ("date_from=2026-02-01&date_to=2026-03-31", ["invoice", "order"]),
        ("kind=order&date_from=2026-03-01", []),
        ("date_to=2026-01-31", ["contract"]),
    ])
    def test_filters_by_kind_and_period(self, api_as, manager, documents, query, expected):
        data = api_as(manager).get(f"/api/v1/documents/?{query}").json()
        assert [r["id"] for r in data["results"]] == [documents[k].pk for k in expected]

    def test_each_row_shows_and_sorts_by_the_documents_own_date(self, api_as, manager,
                                                               documents):
        """Not the day its file was generated (every demo row showed the seeding day)."""
        rows = api_as(manager).get("/api/v1/documents/").json()["results"]
        shared = [r for r in rows if r["kind"] != "export"]
        assert [(r["title"], r["document_date"]) for r in shared] == [
            ("Bon BI-2026-000001", "2026-04-05"), ("Facture FA-2026-00001", "2026-03-05"),
            ("Commande CO-2026-000001", "2026-02-05"), ("Contrat de maintenance", "2026-01-05"),
        ]
        oldest_first = api_as(manager).get("/api/v1/documents/?ordering=document_date").json()
        assert oldest_first["results"][0]["document_date"] == "2026-01-05"

    def test_the_kinds_offered_are_those_the_user_may_read_and_has(self, api_as, dupond,
                                                                   martin, manager,
                                                                   other_manager, documents):
        def kinds(user, query=""):
            return [k["value"] for k in
                    api_as(user).get(f"/api/v1/documents/{query}").json()["kinds"]]

        # Exports are their requester's alone: the manager has none.
        assert kinds(manager) == ["contract", "order", "invoice", "intervention_report"]
        assert kinds(dupond) == ["contract", "order", "invoice", "export"]  # no reports
        # Martin may not order: no "Commande"; his own export is there.
        assert kinds(martin) == ["contract", "intervention_report", "export"]
        # The other company has one contract, nothing else.
        assert kinds(other_manager) == ["contract"]
        # The options do not shrink with the filter applied.
        assert kinds(manager, "?kind=order") == kinds(manager)
        labels = api_as(dupond).get("/api/v1/documents/").json()["kinds"]
        assert labels[0] == {"value": "contract", "label": "Contrat"}

    def test_no_document_no_kind_offered(self, api_as, dupond):
        data = api_as(dupond).get("/api/v1/documents/").json()
        assert data["count"] == 0 and data["kinds"] == []

    @pytest.mark.parametrize("query, field", [("kind=nimporte", "kind"),
                                              ("date_from=hier", "date_from"),
                                              ("date_from=2026-03-01&date_to=2026-01-01",
                                               "date_to")])
    def test_bad_filters_are_400_naming_the_field(self, api_as, dupond, documents, query,
                                                  field):
        error = assert_error(api_as(dupond).get(f"/api/v1/documents/?{query}"), 400)
        assert list(error["fields"]) == [field]

    def test_reports_are_for_who_follows_interventions(self, api_as, martin, documents):
        data = api_as(martin).get("/api/v1/documents/?kind=intervention_report").json()
        assert [r["id"] for r in data["results"]] == [documents["report"].pk]

    def test_staff_see_the_kinds_of_their_role_in_every_company(self, api_as, administrator,
                                                                sales_admin, dispatcher,
                                                                documents):
        def kinds(user):
            results = api_as(user).get("/api/v1/documents/?page_size=100").json()["results"]
            return sorted(r["kind"] for r in results)

        # Nobody else's private export; the administrator every other document of every company.
        assert kinds(administrator) == sorted(
            ["contract", "contract", "order", "invoice", "intervention_report", "receipt"])
        assert kinds(sales_admin) == sorted(["contract", "contract", "order", "invoice"])
        assert "invoice" not in kinds(dispatcher) and "order" not in kinds(dispatcher)

    def test_constant_number_of_queries(self, client, dupond, dupond_company):
        client.force_login(dupond)
        contract = ContractFactory(client_account=dupond_company)
        for _ in range(5):
            make(dupond_company, related_object=contract)
        with CaptureQueriesContext(connection) as small:
            assert client.get("/api/v1/documents/").json()["count"] == 5
        for index in range(45):
            make(dupond_company, DocumentKind.INVOICE if index % 2 else DocumentKind.ORDER,
                 related_object=contract)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/documents/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)
        # session, user, profile, count, page, the kinds offered
        assert len(small.captured_queries) <= 6


class TestDownload:
    def test_download_is_an_attachment_with_the_stored_bytes(self, api_as, dupond, documents):
        response = api_as(dupond).get(f"/api/v1/documents/{documents['contract'].pk}/download/")
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            'attachment; filename="Contrat de maintenance.pdf"')
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 Contrat de maintenance"

    def test_a_missing_file_is_a_404(self, api_as, dupond, documents):
        document = documents["order"]
        document.file.storage.delete(document.file.name)
        assert_error(api_as(dupond).get(f"/api/v1/documents/{document.pk}/download/"), 404)

    def test_kinds_that_need_a_right_the_client_lacks_are_a_403(self, api_as, dupond,
                                                                 documents):
        # An expense receipt needs service.view_expenses, a right no client holds; a report
        # needs "follow interventions", which Dupond lacks.
        for kind in ("receipt", "report"):
            url = f"/api/v1/documents/{documents[kind].pk}/download/"
            assert_error(api_as(dupond).get(url), 403, "permission_denied")


class TestIsolationAndRights:
    def test_another_companys_document_is_a_404(self, api_as, dupond, documents):
        before = snapshot()
        client = api_as(dupond)
        theirs = documents["theirs"].pk
        assert_error(client.get(f"/api/v1/documents/{theirs}/"), 404, "not_found")
        assert_error(client.get(f"/api/v1/documents/{theirs}/download/"), 404, "not_found")
        assert theirs not in [r["id"] for r in client.get("/api/v1/documents/").json()["results"]]
        assert snapshot() == before

    def test_without_the_right_everything_is_a_403(self, api_as, no_documents_right,
                                                   documents):
        before = snapshot()
        client = api_as(no_documents_right)
        mine = documents["contract"].pk
        for url in ("/api/v1/documents/", f"/api/v1/documents/{mine}/",
                    f"/api/v1/documents/{mine}/download/"):
            assert_error(client.get(url), 403, "permission_denied")
        assert snapshot() == before

    def test_read_only(self, api_as, dupond, documents):
        before = snapshot()
        client = api_as(dupond)
        assert_error(client.post("/api/v1/documents/", {"title": "X"}), 405)
        assert client.delete(f"/api/v1/documents/{documents['contract'].pk}/").status_code == 405
        assert snapshot() == before


def test_a_contract_uploaded_in_the_admin_appears_in_the_clients_list(
        admin_client, api_as, dupond, dupond_company, other_manager,
        django_capture_on_commit_callbacks):
    """Staff upload a contract as a document of a client in the GED snippet."""
    contract = ContractFactory(client_account=dupond_company, number="CT-2026-042")
    from django.contrib.contenttypes.models import ContentType

    content = b"%PDF-1.4 contrat signe"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtailsnippets_documents_document:add"), {
            "title": "Contrat CT-2026-042 signé", "kind": DocumentKind.CONTRACT,
            "client_account": dupond_company.pk, "document_date": "2026-03-02",
            "related_type": ContentType.objects.get_for_model(contract).pk,
            "related_id": contract.pk,
            "file": SimpleUploadedFile("contrat.pdf", content, "application/pdf"),
        })
    assert response.status_code == 302, response.content.decode()
    data = api_as(dupond).get("/api/v1/documents/?kind=contract").json()
    assert [row["title"] for row in data["results"]] == ["Contrat CT-2026-042 signé"]
    row = data["results"][0]
    assert row["size"] == len(content) and row["related_label"] == "Contrat"
    assert row["document_date"] == "2026-03-02"
    download = api_as(dupond).get(row["download_url"])
    assert b"".join(download.streaming_content) == content
    # The other client sees none of it.
    assert api_as(other_manager).get("/api/v1/documents/").json()["count"] == 0
