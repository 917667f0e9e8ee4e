"""Long exports through the API: the threshold between "the file at once" and "202 and a job",
the job as its widget follows it, the download reserved to its owner (404 for anyone else),
the invoice ZIP, and bad input (400/403/404) that leaves no job and queues nothing."""

import pytest

from portal_api.documents.models import Document, DocumentKind
from portal_api.exports.models import ExportJob, ExportStatus
from tests.api_helpers import assert_error

from .conftest import body, make_orders, xlsx_rows, zip_names

pytestmark = pytest.mark.django_db


def export(client, query, capture, *, execute=False):
    """GET the list's export; returns (response, how many tasks it queued)."""
    with capture(execute=execute) as callbacks:
        response = client.get(f"/api/v1/orders/?format=xlsx&{query}")
    return response, len(callbacks)


class TestThreshold:
    def test_at_the_threshold_the_file_comes_at_once(self, api_as, dupond, orders, settings,
                                                      django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 5
        response, queued = export(api_as(dupond), "status=submitted",
                                  django_capture_on_commit_callbacks)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="commandes-')
        assert len(xlsx_rows(body(response))) == 1 + 5
        assert queued == 0 and not ExportJob.objects.exists()

    def test_above_it_a_job_is_queued_and_answered_202(self, api_as, dupond, orders, settings,
                                                       django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 4
        response, queued = export(api_as(dupond), "status=submitted&ordering=created_at&page=2",
                                  django_capture_on_commit_callbacks)
        assert response.status_code == 202, response.content
        job = ExportJob.objects.get()
        data = response.json()
        assert response["Location"] == data["url"] == f"/api/v1/exports/{job.pk}/"
        assert {key: data[key] for key in ("id", "status", "status_label", "total", "written",
                                           "progress", "download_url", "error")} == {
            "id": job.pk, "status": "pending", "status_label": "En attente", "total": 5,
            "written": 0, "progress": 0, "download_url": None, "error": None}
        assert "can" not in data  # the job, not a page of orders
        assert queued == 1
        # What the worker needs to rebuild the same rows: the filters, not the page.
        assert (job.user, job.list_name, job.params, job.language) == (
            dupond, "commandes", {"status": ["submitted"], "ordering": ["created_at"]}, "fr")

    def test_the_same_export_asked_again_while_waiting_is_the_same_job(
            self, api_as, dupond, orders, settings, django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 1
        client = api_as(dupond)
        first, _ = export(client, "status=submitted", django_capture_on_commit_callbacks)
        again, queued = export(client, "status=submitted", django_capture_on_commit_callbacks)
        other, _ = export(client, "status=delivered", django_capture_on_commit_callbacks)
        assert first.json()["id"] == again.json()["id"] != other.json()["id"]
        assert queued == 0 and ExportJob.objects.count() == 2


class TestFollowAndDownload:
    def test_the_job_runs_and_its_file_holds_exactly_the_filtered_rows(
            self, api_as, dupond, orders, settings, django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 2
        client = api_as(dupond)
        response, _ = export(client, "status=submitted&ordering=-created_at",
                             django_capture_on_commit_callbacks, execute=True)
        data = client.get(response.json()["url"]).json()
        assert data["status"] == "done" and data["status_label"] == "Terminé"
        assert (data["total"], data["written"], data["progress"]) == (5, 5, 100)
        assert data["download_url"] == f"/api/v1/exports/{data['id']}/download/"
        download = client.get(data["download_url"])
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith('attachment; filename="commandes-')
        rows = xlsx_rows(body(download))
        assert rows[0][:2] == ("Numéro", "Statut")
        # The five placed orders of his company, newest first: not the delivered ones, not
        # another company's.
        assert [row[0] for row in rows[1:]] == [o.number for o in reversed(orders[:5])]
        document = Document.objects.get()
        assert (document.kind, document.owner, document.client_account_id) == (
            DocumentKind.EXPORT, dupond, dupond.portal_profile.client_account_id)

    def test_the_list_of_exports_holds_only_his_own(self, api_as, dupond, colleague, orders,
                                                     settings,
                                                     django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 1
        mine, _ = export(api_as(dupond), "", django_capture_on_commit_callbacks)
        export(api_as(colleague), "", django_capture_on_commit_callbacks)
        data = api_as(dupond).get("/api/v1/exports/").json()
        assert [job["id"] for job in data["results"]] == [mine.json()["id"]]

    def test_another_users_export_and_its_file_are_404(self, api_as, dupond, colleague,
                                                        other_manager, orders, settings,
                                                        django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 1
        response, _ = export(api_as(dupond), "", django_capture_on_commit_callbacks,
                             execute=True)
        job = ExportJob.objects.get()
        assert job.status == ExportStatus.DONE
        # A colleague of the same company (who may see the company's documents) and a user of
        # another company: the export, its file and its GED document are all 404.
        for user in (colleague, other_manager):
            client = api_as(user)
            for url in (f"/api/v1/exports/{job.pk}/", f"/api/v1/exports/{job.pk}/download/",
                        f"/api/v1/documents/{job.document_id}/",
                        f"/api/v1/documents/{job.document_id}/download/"):
                assert_error(client.get(url), 404)
        assert api_as(dupond).get(response.json()["url"]).status_code == 200

    def test_the_list_of_exports_runs_a_constant_number_of_queries(self, api_as, dupond,
                                                                     orders):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from portal_api.exports.services import export_run

        client = api_as(dupond)

        def make(count):
            for _ in range(count):
                export_run(job_id=ExportJob.objects.create(user=dupond, list_name="commandes",
                                                           total=7).pk)

        make(5)
        with CaptureQueriesContext(connection) as small:
            assert client.get("/api/v1/exports/").json()["count"] == 5
        make(45)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/exports/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)

    def test_download_before_the_file_is_ready_is_404(self, api_as, dupond, orders, settings,
                                                       django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 1
        response, _ = export(api_as(dupond), "", django_capture_on_commit_callbacks)
        assert_error(api_as(dupond).get(f"{response.json()['url']}download/"), 404)

    def test_anonymous_is_401(self, api_client):
        assert_error(api_client.get("/api/v1/exports/"), 401)


class TestBadInput:
    @pytest.mark.parametrize(("query", "field"), [
        ("created_from=2026-02-01&created_to=2026-01-01", "created_to"),
        ("status=inconnu", "status"),
    ])
    def test_bad_filters_are_400_and_nothing_is_queued(self, api_as, dupond, orders, settings,
                                                        django_capture_on_commit_callbacks,
                                                        query, field):
        settings.EXPORT_SYNC_MAX_ROWS = 1
        response, queued = export(api_as(dupond), query, django_capture_on_commit_callbacks)
        assert field in assert_error(response, 400)["fields"]
        assert queued == 0 and not ExportJob.objects.exists()

    def test_a_list_he_may_not_see_is_403_and_nothing_is_queued(
            self, api_as, martin, orders, settings, django_capture_on_commit_callbacks):
        settings.EXPORT_SYNC_MAX_ROWS = 1
        response, queued = export(api_as(martin), "", django_capture_on_commit_callbacks)
        assert_error(response, 403)
        assert queued == 0 and not ExportJob.objects.exists()

    def test_another_companys_rows_never_count(self, api_as, dupond, other_manager,
                                               other_company, orders, settings,
                                               django_capture_on_commit_callbacks):
        # Ten more orders elsewhere do not push Dupond's seven over the threshold.
        make_orders(other_company, other_manager, 10, prefix="CO-Y")
        settings.EXPORT_SYNC_MAX_ROWS = 7
        response, queued = export(api_as(dupond), "", django_capture_on_commit_callbacks)
        assert response.status_code == 200 and queued == 0


class TestInvoiceZip:
    URL = "/api/v1/exports/invoice-zip/"

    def post(self, client, capture, data, *, execute=False):
        with capture(execute=execute) as callbacks:
            response = client.post(self.URL, data, format="json")
        return response, len(callbacks)

    def test_the_zip_holds_the_periods_pdfs_of_his_company(
            self, api_as, dupond, invoices, django_capture_on_commit_callbacks):
        client = api_as(dupond)
        response, queued = self.post(client, django_capture_on_commit_callbacks,
                                     {"date_from": "2026-01-01", "date_to": "2026-02-28"},
                                     execute=True)
        assert response.status_code == 202, response.content
        assert queued == 1
        data = client.get(response.json()["url"]).json()
        assert (data["kind"], data["status"], data["total"], data["written"]) == (
            "invoice_zip", "done", 2, 2)
        download = client.get(data["download_url"])
        assert download.status_code == 200
        assert download["Content-Type"] == "application/zip"
        assert download["Content-Disposition"] == (
            'attachment; filename="factures-2026-01-01-2026-02-28.zip"')
        # Both days of the period included; not December's, March's, the draft or theirs.
        assert zip_names(body(download)) == [f"{invoices['jan'].number}.pdf",
                                             f"{invoices['feb'].number}.pdf"]
        # The missing PDFs were rendered and stored on the way.
        invoices["jan"].refresh_from_db()
        assert invoices["jan"].pdf_id is not None

    def test_end_before_start_is_400_on_date_to_and_nothing_is_queued(
            self, api_as, dupond, invoices, django_capture_on_commit_callbacks):
        response, queued = self.post(api_as(dupond), django_capture_on_commit_callbacks,
                                     {"date_from": "2026-03-01", "date_to": "2026-01-01"})
        assert list(assert_error(response, 400)["fields"]) == ["date_to"]
        assert queued == 0 and not ExportJob.objects.exists()

    @pytest.mark.parametrize(("data", "fields"), [
        ({}, ["date_from", "date_to"]),
        ({"date_from": "hier", "date_to": "2026-01-01"}, ["date_from"]),
    ])
    def test_missing_or_bad_dates_are_400(self, api_as, dupond, invoices, data, fields,
                                          django_capture_on_commit_callbacks):
        response, queued = self.post(api_as(dupond), django_capture_on_commit_callbacks, data)
        assert sorted(assert_error(response, 400)["fields"]) == fields
        assert queued == 0 and not ExportJob.objects.exists()

    def test_a_period_without_invoices_is_400(self, api_as, dupond, invoices,
                                              django_capture_on_commit_callbacks):
        response, queued = self.post(api_as(dupond), django_capture_on_commit_callbacks,
                                     {"date_from": "2024-01-01", "date_to": "2024-12-31"})
        assert_error(response, 400, "empty")
        assert queued == 0 and not ExportJob.objects.exists()

    def test_without_the_invoice_right_it_is_403(self, api_as, martin, invoices,
                                                 django_capture_on_commit_callbacks):
        response, queued = self.post(api_as(martin), django_capture_on_commit_callbacks,
                                     {"date_from": "2026-01-01", "date_to": "2026-12-31"})
        assert_error(response, 403)
        assert queued == 0 and not ExportJob.objects.exists()

    def test_another_company_gets_only_its_own(self, api_as, other_manager, invoices,
                                               django_capture_on_commit_callbacks):
        client = api_as(other_manager)
        response, _ = self.post(client, django_capture_on_commit_callbacks,
                                {"date_from": "2025-01-01", "date_to": "2026-12-31"},
                                execute=True)
        data = client.get(response.json()["url"]).json()
        assert zip_names(body(client.get(data["download_url"]))) == [
            f"{invoices['theirs'].number}.pdf"]

    def test_too_many_invoices_is_400(self, api_as, dupond, invoices, settings,
                                      django_capture_on_commit_callbacks):
        settings.EXPORT_ZIP_MAX_INVOICES = 3
        response, queued = self.post(api_as(dupond), django_capture_on_commit_callbacks,
                                     {"date_from": "2025-01-01", "date_to": "2026-12-31"})
        assert "date_from" in assert_error(response, 400, "too_many")["fields"]
        assert queued == 0

