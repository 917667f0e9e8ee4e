"""Writes for exports: ask for one (queued), run one (the worker), fail one, purge old ones.

A run is safe to repeat and to race: it starts by taking the job under a row lock (a job
already done or failed is left alone; one whose worker still writes its heartbeat is busy),
builds the file in a temporary file with the progress written from a side thread at least
every settings.EXPORT_PROGRESS_INTERVAL seconds, then stores the Document and marks the job
done in one transaction, under the same lock: a second run that reaches the end finds the job
done and drops its own file, so one job never has two files."""

import datetime
import hashlib
import logging
import shutil
import tempfile
import threading
import time
import zipfile
from typing import IO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import DatabaseError, connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from portal_api.accounts.models import User
from portal_api.accounts.selectors import client_account_id_for
from portal_api.common.errors import ServiceError
from portal_api.common.export import XLSX_CONTENT_TYPE, iterate, write_xlsx
from portal_api.documents.models import Document, DocumentKind

from .models import ExportJob, ExportKind, ExportStatus
from .selectors import export_rows, invoice_zip_list, streaming_reads

logger = logging.getLogger(__name__)

UNFINISHED = (ExportStatus.PENDING, ExportStatus.RUNNING)
ZIP_CONTENT_TYPE = "application/zip"


class ExportBusy(Exception):
    """Another worker is running this job and still writes its heartbeat: try again later."""


# --------------------------------------------------------------------------- asking


@transaction.atomic
def export_request(*, user: User, list_name: str, params: dict[str, list[str]], total: int,
                   language: str = "fr") -> ExportJob:
    """Queue the .xlsx export of a list (too long to answer at once). The same export asked
    again while the first is still waiting or running gives the same job."""
    twin = _unfinished_twin(user=user, kind=ExportKind.XLSX, list_name=list_name, params=params)
    if twin is not None:
        return twin
    job = ExportJob.objects.create(user=user, kind=ExportKind.XLSX, list_name=list_name,
                                   params=params, total=total, language=language)
    _queue_on_commit(job.pk)
    return job


@transaction.atomic
def invoice_zip_request(*, user: User, date_from: datetime.date, date_to: datetime.date,
                        language: str = "fr") -> ExportJob:
    """Queue the ZIP of the user's invoice PDFs dated within the period (always in the
    background: PDFs may have to be rendered)."""
    if date_to < date_from:
        message = _("La fin de la période ne peut précéder son début.")
        raise ServiceError(message, fields={"date_to": [message]})
    count = invoice_zip_list(user=user, date_from=date_from, date_to=date_to).count()
    if count == 0:
        message = _("Aucune facture sur cette période.")
        raise ServiceError(message, code="empty", fields={"date_from": [message]})
    if count > settings.EXPORT_ZIP_MAX_INVOICES:
        message = _("%(count)s factures sur cette période : choisissez une période plus "
                    "courte (%(max)s factures au plus).") % {
            "count": count, "max": settings.EXPORT_ZIP_MAX_INVOICES}
        raise ServiceError(message, code="too_many", fields={"date_from": [message]})
    params = {"date_from": [date_from.isoformat()], "date_to": [date_to.isoformat()]}
    twin = _unfinished_twin(user=user, kind=ExportKind.INVOICE_ZIP, list_name="factures",
                            params=params)
    if twin is not None:
        return twin
    job = ExportJob.objects.create(user=user, kind=ExportKind.INVOICE_ZIP, list_name="factures",
                                   params=params, total=count, language=language)
    _queue_on_commit(job.pk)
    return job


def _queue(job_id: int) -> None:
    """Hand the job to the broker. With the broker unreachable the job stays pending (the
    widget says it waits) and export_requeue_waiting queues it again once it is back: the
    user's request never fails for it."""
    from workflows.tasks.exports import export_run_task

    try:
        export_run_task.delay(job_id)
    except Exception:  # kombu's OperationalError and friends: the broker is down
        logger.warning("export %s: broker unreachable, left pending for the requeue",
                       job_id, exc_info=True)


def _queue_on_commit(job_id: int) -> None:
    transaction.on_commit(lambda: _queue(job_id))


def export_requeue_waiting(*, now: datetime.datetime | None = None) -> int:
    """Queue again the jobs still pending well after they were asked (their message was
    lost, or the broker was down then). A run is safe to repeat, so a job queued twice still
    gives one file. Returns how many were queued."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.EXPORT_REQUEUE_AFTER_SECONDS)
    job_ids = list(ExportJob.objects.filter(status=ExportStatus.PENDING, updated_at__lt=stale)
                   .values_list("pk", flat=True))
    for job_id in job_ids:
        _queue(job_id)
    return len(job_ids)


def _unfinished_twin(*, user: User, kind: str, list_name: str,
                     params: dict[str, list[str]]) -> ExportJob | None:
    """The same export of the same user still waiting, or running with a live worker (one
    whose worker died is left to its retry: a new job is made)."""
    alive = timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    for job in ExportJob.objects.filter(user=user, kind=kind, list_name=list_name,
                                        status__in=UNFINISHED):
        if job.params == params and (job.status == ExportStatus.PENDING
                                     or job.updated_at > alive):
            return job
    return None


# --------------------------------------------------------------------------- running


def export_run(*, job_id: int) -> ExportJob | None:
    """Build the job's file and store it (the worker's side). Returns the job (done, failed, or
    untouched when it was already finished), None when it no longer exists. Raises ExportBusy
    when another live worker runs it, and lets unexpected errors through for the task to retry.
    Not atomic as a whole on purpose: the progress must be visible while it runs."""
    job = _export_start(job_id=job_id)
    if job is None or job.status != ExportStatus.RUNNING:
        return job
    try:
        with translation.override(job.language), tempfile.TemporaryFile() as out:
            with _ProgressWriter(job.pk) as progress:
                if job.kind == ExportKind.INVOICE_ZIP:
                    filename, title, content_type, count = _build_invoice_zip(job, out, progress)
                else:
                    filename, title, content_type, count = _build_xlsx(job, out, progress)
            return _export_finish(job_id=job.pk, out=out, filename=filename, title=title,
                                  content_type=content_type, count=count)
    except ServiceError as exc:  # lost rights, filters no longer valid: no point retrying
        return export_fail(job_id=job.pk, message=exc.message)


def _export_start(*, job_id: int) -> ExportJob | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return job
        now = timezone.now()
        stale = now - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
        if job.status == ExportStatus.RUNNING and job.updated_at > stale:
            raise ExportBusy(job_id)
        if job.attempts >= settings.EXPORT_MAX_ATTEMPTS:
            # Its worker died that many times (out of memory, killed): stop trying.
            job.status = ExportStatus.FAILED
            job.error = _("L'export a échoué à plusieurs reprises. Affinez les filtres pour "
                          "exporter moins de lignes, ou contactez-nous.")
            job.finished_at = now
            job.save(update_fields=["status", "error", "finished_at", "updated_at"])
            return job
        job.status = ExportStatus.RUNNING
        job.attempts += 1
        job.written = 0
        job.error = ""
        job.started_at = now
        job.save(update_fields=["status", "attempts", "written", "error", "started_at",
                                "updated_at"])
        return job


def _build_xlsx(job: ExportJob, out: IO[bytes], progress: "_ProgressWriter"):
    rows = export_rows(user=job.user, list_name=job.list_name, params=job.params)
    progress.total = rows.queryset.count()

    def counted(items):
        for written, item in enumerate(items, 1):
            yield item
            progress.written = written

    with streaming_reads():
        count = write_xlsx(columns=rows.columns, rows=counted(iterate(rows.queryset)), out=out,
                           title=rows.title)
    day = timezone.localtime(job.created_at)
    filename = f"{rows.title}-{day:%Y-%m-%d}.xlsx"
    title = _("Export %(list)s du %(date)s") % {
        "list": rows.title, "date": formats.date_format(day, "SHORT_DATETIME_FORMAT")}
    return filename, title, XLSX_CONTENT_TYPE, count


def _build_invoice_zip(job: ExportJob, out: IO[bytes], progress: "_ProgressWriter"):
    from portal_api.billing.services import invoice_pdf_ensure

    if not job.user.has_perm("exports.request_invoice_zip"):
        raise ServiceError(_("Vous n'avez plus accès aux factures."), code="forbidden",
                           status_code=403)
    date_from = datetime.date.fromisoformat(job.params["date_from"][0])
    date_to = datetime.date.fromisoformat(job.params["date_to"][0])
    invoices = invoice_zip_list(user=job.user, date_from=date_from, date_to=date_to)
    # Ids first (a few thousand at most), then small batches: PDFs rendered on the way are
    # written while nothing is being read.
    ids = list(invoices.values_list("pk", flat=True))
    progress.total = len(ids)
    written = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(ids), 100):
            batch = invoices.filter(pk__in=ids[start:start + 100])
            for invoice in batch:
                _zip_invoice_pdf(archive, invoice, invoice_pdf_ensure)
                written += 1
                progress.written = written
    filename = f"factures-{date_from:%Y-%m-%d}-{date_to:%Y-%m-%d}.zip"
    title = _("Factures du %(start)s au %(end)s (PDF)") % {
        "start": formats.date_format(date_from, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(date_to, "SHORT_DATE_FORMAT")}
    return filename, title, ZIP_CONTENT_TYPE, written


def _zip_invoice_pdf(archive: zipfile.ZipFile, invoice, invoice_pdf_ensure) -> None:
    document = invoice.pdf or invoice_pdf_ensure(invoice=invoice)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:  # the stored file went missing: render it again
        handle = invoice_pdf_ensure(invoice=invoice, replace=True).file.open("rb")
    with handle, archive.open(f"{invoice.number}.pdf", "w") as entry:
        shutil.copyfileobj(handle, entry, 1 << 20)


def _export_finish(*, job_id: int, out: IO[bytes], filename: str, title: str,
                   content_type: str, count: int) -> ExportJob | None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("user").filter(
            pk=job_id).first()
        if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return job  # finished by another run meanwhile: this file is dropped
        document = _document_from_file(job=job, out=out, filename=filename, title=title,
                                       content_type=content_type)
        try:
            job.status = ExportStatus.DONE
            job.document = document
            job.filename = filename
            job.written = job.total = count
            job.error = ""
            job.finished_at = timezone.now()
            job.save()
        except Exception:
            document.file.delete(save=False)
            raise
        return job


def _document_from_file(*, job: ExportJob, out: IO[bytes], filename: str, title: str,
                        content_type: str) -> Document:
    """The file as a GED Document reserved to the job's user, streamed from the temporary file
    (never read whole into memory)."""
    digest, size = hashlib.sha256(), 0
    out.seek(0)
    for chunk in iter(lambda: out.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    document = Document(
        title=title[:255], kind=DocumentKind.EXPORT, content_type=content_type, size=size,
        checksum=digest.hexdigest(), client_account_id=client_account_id_for(job.user),
        uploaded_by=job.user, owner=job.user,
        related_type=ContentType.objects.get_for_model(ExportJob), related_id=job.pk,
    )
    document.file.save(filename, File(out, name=filename), save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def export_fail(*, job_id: int, message: str) -> ExportJob | None:
    """Mark the job failed with a message for its user (a finished job stays as it is)."""
    job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return job
    job.status = ExportStatus.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    return job


@transaction.atomic
def export_retry_later(*, job_id: int) -> bool:
    """After an unexpected error: back to pending for another attempt (True), or failed once
    settings.EXPORT_MAX_ATTEMPTS attempts were made (False)."""
    job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        return False
    if job.attempts >= settings.EXPORT_MAX_ATTEMPTS:
        job.status = ExportStatus.FAILED
        job.error = _("L'export n'a pas pu être produit. Réessayez plus tard ou contactez-nous "
                      "si le problème persiste.")
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        return False
    job.status = ExportStatus.PENDING
    job.save(update_fields=["status", "updated_at"])
    return True


class _ProgressWriter:
    """Writes `written` (and `total` once known) to the job from a side thread, every
    settings.EXPORT_PROGRESS_INTERVAL seconds, whatever the export is doing meanwhile (waiting
    for rows, compressing the workbook, rendering a PDF): the progress and the heartbeat never
    stall longer than that. The thread has its own database connection, closed at the end."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.interval = settings.EXPORT_PROGRESS_INTERVAL
        self.written = 0
        self.total: int | None = None
        self.writes: list[float] = []  # time.monotonic() of each write that landed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"export-{job_id}-progress",
                                        daemon=True)
        self._warned = False

    def __enter__(self) -> "_ProgressWriter":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                self._write()
        finally:
            connection.close()  # this thread's connection

    def _write(self) -> None:
        fields = {"written": self.written, "updated_at": timezone.now()}
        if self.total is not None:
            fields["total"] = self.total
        try:
            ExportJob.objects.filter(pk=self.job_id, status=ExportStatus.RUNNING).update(**fields)
        except DatabaseError as exc:  # e.g. SQLite locked by the main thread: next tick
            if not self._warned:
                logger.warning("export %s: progress not written (%s)", self.job_id, exc)
                self._warned = True
            return
        self.writes.append(time.monotonic())


# --------------------------------------------------------------------------- retention


def export_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Remove the exports older than settings.EXPORT_RETENTION_DAYS: each file from the
    storage, its Document and its job; then the jobs that never produced a file. Returns how
    many files were removed. Safe to run twice, or while exports run."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    expired = Document.objects.filter(kind=DocumentKind.EXPORT, created_at__lt=cutoff)
    removed = 0
    while batch := list(expired.order_by("pk")[:200]):
        for document in batch:
            with transaction.atomic():
                # The file first: a failure leaves the row, and the next run tries again.
                document.file.delete(save=False)
                document.delete()  # and its job (ExportJob.document cascades)
            removed += 1
    ExportJob.objects.filter(created_at__lt=cutoff).delete()
    return removed
