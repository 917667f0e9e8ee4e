"""Export writes: asking (bad input leaves no job), running (exactly the filtered rows, one file
per job however often or concurrently it runs, a dead worker's job taken over, lost rights and
repeated crashes end as an honest failure), retention."""

import datetime

import pytest
from django.utils import timezone

from portal_api.common.errors import ServiceError
from portal_api.documents.models import Document, DocumentKind
from portal_api.exports.models import ExportJob, ExportKind, ExportStatus
from portal_api.exports.services import (
    ExportBusy,
    export_fail,
    export_purge_expired,
    export_request,
    export_requeue_waiting,
    export_retry_later,
    export_run,
    invoice_zip_request,
)

from .conftest import xlsx_rows, zip_names

pytestmark = pytest.mark.django_db


def read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def ask(user, params=None, total=5) -> ExportJob:
    return export_request(user=user, list_name="commandes", params=params or {}, total=total)


class TestRequest:
    def test_a_job_is_created_and_one_task_queued_on_commit(
            self, dupond, orders, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            job = ask(dupond, {"status": ["submitted"]})
        assert len(callbacks) == 1
        assert (job.status, job.total, job.written, job.attempts, job.document) == (
            ExportStatus.PENDING, 5, 0, 0, None)

    def test_an_unreachable_broker_leaves_the_job_waiting_until_the_requeue(
            self, dupond, orders, monkeypatch, settings, django_capture_on_commit_callbacks):
        from kombu.exceptions import OperationalError

        from workflows.tasks import exports as tasks

        def broker_down(*args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        monkeypatch.setattr(tasks.export_run_task, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            job = ask(dupond, {"status": ["submitted"]})  # no exception reaches the user
        job.refresh_from_db()
        assert job.status == ExportStatus.PENDING
        monkeypatch.undo()  # the broker is back
        assert export_requeue_waiting() == 0  # asked a moment ago: left to its message
        later = timezone.now() + datetime.timedelta(
            seconds=settings.EXPORT_REQUEUE_AFTER_SECONDS + 1)
        assert export_requeue_waiting(now=later) == 1
        job.refresh_from_db()
        assert job.status == ExportStatus.DONE and job.document is not None

    def test_the_same_export_is_the_same_job_until_it_ends_or_its_worker_dies(self, dupond,
                                                                             orders):
        first = ask(dupond, {"status": ["submitted"]})
        assert ask(dupond, {"status": ["submitted"]}) == first
        ExportJob.objects.filter(pk=first.pk).update(status=ExportStatus.RUNNING,
                                                     updated_at=timezone.now())
        assert ask(dupond, {"status": ["submitted"]}) == first
        ExportJob.objects.filter(pk=first.pk).update(
            updated_at=timezone.now() - datetime.timedelta(minutes=5))
        second = ask(dupond, {"status": ["submitted"]})
        assert second != first
        export_run(job_id=second.pk)
        assert ask(dupond, {"status": ["submitted"]}) not in (first, second)

    def test_invoice_zip_end_before_start_names_date_to_and_leaves_nothing(
            self, dupond, invoices, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks, \
                pytest.raises(ServiceError) as error:
            invoice_zip_request(user=dupond, date_from=datetime.date(2026, 3, 1),
                                date_to=datetime.date(2026, 2, 1))
        assert list(error.value.fields) == ["date_to"]
        assert not callbacks and not ExportJob.objects.exists()

    def test_invoice_zip_of_one_day(self, dupond, invoices):
        day = datetime.date(2026, 1, 1)
        job = invoice_zip_request(user=dupond, date_from=day, date_to=day)
        assert (job.kind, job.total, job.params) == (
            ExportKind.INVOICE_ZIP, 1, {"date_from": ["2026-01-01"], "date_to": ["2026-01-01"]})


class TestRun:
    def test_the_file_holds_exactly_the_filtered_rows_in_the_lists_order(self, dupond, orders):
        job = ask(dupond, {"status": ["submitted"], "ordering": ["number"]})
        job = export_run(job_id=job.pk)
        assert (job.status, job.total, job.written, job.attempts) == (ExportStatus.DONE, 5, 5, 1)
        assert job.progress == 100 and job.finished_at and job.filename.endswith(".xlsx")
        rows = xlsx_rows(read(job.document))
        assert [row[0] for row in rows[1:]] == sorted(o.number for o in orders[:5])
        assert job.document.kind == DocumentKind.EXPORT and job.document.owner == dupond
        assert job.document.size == len(read(job.document))
        assert job.document.related_object == job

    def test_running_twice_stores_one_file(self, dupond, orders):
        job = ask(dupond)
        first = export_run(job_id=job.pk)
        second = export_run(job_id=job.pk)
        assert second.document_id == first.document_id
        assert second.attempts == 1
        assert Document.objects.filter(kind=DocumentKind.EXPORT).count() == 1

    def test_a_run_that_finishes_second_drops_its_file(self, dupond, orders):
        """Two runs of one job built their files at the same time; the first to finish stores
        it, the second finds the job done and stores nothing."""
        from portal_api.exports import services

        job = ask(dupond)
        started = services._export_start(job_id=job.pk)
        assert started.status == ExportStatus.RUNNING
        first = services._export_finish(job_id=job.pk, out=_file(b"first"), filename="a.xlsx",
                                        title="A", content_type="x", count=1)
        second = services._export_finish(job_id=job.pk, out=_file(b"second"),
                                         filename="b.xlsx", title="B", content_type="x",
                                         count=1)
        assert second.document_id == first.document_id
        assert read(Document.objects.get(export_job=job)) == b"first"

    def test_a_job_whose_worker_died_is_taken_over(self, dupond, orders):
        job = ask(dupond)
        long_ago = timezone.now() - datetime.timedelta(minutes=5)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, attempts=1,
                                                   written=3, updated_at=long_ago)
        job = export_run(job_id=job.pk)
        assert (job.status, job.attempts, job.written) == (ExportStatus.DONE, 2, 7)

    def test_a_job_another_live_worker_runs_is_busy(self, dupond, orders):
        job = ask(dupond)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, attempts=1,
                                                   updated_at=timezone.now())
        with pytest.raises(ExportBusy):
            export_run(job_id=job.pk)
        job.refresh_from_db()
        assert (job.status, job.attempts) == (ExportStatus.RUNNING, 1)

    def test_a_job_that_killed_its_worker_too_often_fails(self, dupond, orders, settings):
        job = ask(dupond)
        long_ago = timezone.now() - datetime.timedelta(minutes=5)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING,
                                                   attempts=settings.EXPORT_MAX_ATTEMPTS,
                                                   updated_at=long_ago)
        job = export_run(job_id=job.pk)
        assert job.status == ExportStatus.FAILED and "plusieurs reprises" in job.error
        assert not Document.objects.exists()

    def test_a_user_who_lost_the_right_gets_a_failed_job_not_a_file(self, dupond, orders):
        job = ask(dupond)
        profile = dupond.portal_profile
        profile.can_prepare_orders = profile.can_place_orders = False
        profile.save()
        job = export_run(job_id=job.pk)
        assert job.status == ExportStatus.FAILED
        assert job.error == "Vous n'avez plus accès à cette liste."
        assert not Document.objects.exists()

    def test_a_deleted_job_is_nothing_to_do(self):
        assert export_run(job_id=10**9) is None

    def test_a_failed_job_stays_failed(self, dupond, orders):
        job = export_fail(job_id=ask(dupond).pk, message="Échec.")
        assert export_run(job_id=job.pk).status == ExportStatus.FAILED
        assert not Document.objects.exists()

    def test_after_an_error_it_waits_for_another_attempt_until_the_last(self, dupond, orders,
                                                                         settings):
        job = ask(dupond)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, attempts=1)
        assert export_retry_later(job_id=job.pk) is True
        job.refresh_from_db()
        assert job.status == ExportStatus.PENDING
        ExportJob.objects.filter(pk=job.pk).update(attempts=settings.EXPORT_MAX_ATTEMPTS)
        assert export_retry_later(job_id=job.pk) is False
        job.refresh_from_db()
        assert job.status == ExportStatus.FAILED and job.error

    def test_the_columns_speak_the_language_of_the_request(self, dupond, orders):
        job = export_request(user=dupond, list_name="commandes", params={}, total=7,
                             language="en")
        job = export_run(job_id=job.pk)
        header = xlsx_rows(read(job.document))[0]
        assert header[0] in ("Number", "Numéro")  # "Number" once locale/ is translated

    def test_the_invoice_zip_holds_one_pdf_per_invoice(self, dupond, invoices):
        job = invoice_zip_request(user=dupond, date_from=datetime.date(2026, 1, 1),
                                  date_to=datetime.date(2026, 12, 31))
        job = export_run(job_id=job.pk)
        assert (job.status, job.written) == (ExportStatus.DONE, 3)
        content = read(job.document)
        assert zip_names(content) == [f"{invoices[k].number}.pdf" for k in ("jan", "feb", "mar")]
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


def _file(content: bytes):
    import tempfile

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the service reads it
    handle.write(content)
    return handle


class TestRetention:
    def test_expired_exports_lose_file_document_and_job(self, dupond, orders, settings):
        settings.EXPORT_RETENTION_DAYS = 7
        old, recent = export_run(job_id=ask(dupond).pk), export_run(
            job_id=ask(dupond, {"status": ["submitted"]}).pk)
        failed = export_fail(job_id=ask(dupond, {"status": ["delivered"]}).pk, message="x")
        eight_days_ago = timezone.now() - datetime.timedelta(days=8)
        for model, pks in ((ExportJob, [old.pk, failed.pk]), (Document, [old.document_id])):
            model.objects.filter(pk__in=pks).update(created_at=eight_days_ago)
        storage, name = old.document.file.storage, old.document.file.name
        assert storage.exists(name)

        assert export_purge_expired() == 1
        assert not storage.exists(name)
        assert not Document.objects.filter(pk=old.document_id).exists()
        assert list(ExportJob.objects.all()) == [recent]
        assert recent.document.file.storage.exists(recent.document.file.name)
        assert export_purge_expired() == 0  # safe to run again

    def test_other_documents_are_never_purged(self, dupond_company):
        from portal_api.documents.services import document_create

        contract = document_create(title="Contrat", filename="c.pdf", content=b"%PDF",
                                   kind=DocumentKind.CONTRACT, client_account=dupond_company)
        Document.objects.filter(pk=contract.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=400))
        assert export_purge_expired() == 0
        assert Document.objects.filter(pk=contract.pk).exists()
