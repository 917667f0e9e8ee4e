"""Celery tasks for exports: take ids, call a service; safe to run twice.

`export_run_task` is acknowledged late and rejected (so requeued) when its worker dies: a
worker killed mid-export does not lose the job. The run itself (exports.services.export_run)
refuses to run a job twice at the same time and never stores two files for one job."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from portal_api.exports.services import (
    ExportBusy,
    export_fail,
    export_purge_expired,
    export_requeue_waiting,
    export_retry_later,
    export_run,
)

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None,
             time_limit=settings.EXPORT_TASK_TIME_LIMIT,
             soft_time_limit=max(60, settings.EXPORT_TASK_TIME_LIMIT - 60))
def export_run_task(self, job_id: int) -> int | None:
    """Build and store an export's file; returns the Document id (None when the job is gone
    or failed). Nothing happens for a job already done."""
    try:
        job = export_run(job_id=job_id)
    except ExportBusy:
        if self.request.is_eager:  # in-process: the run in progress finishes it
            return None
        # Another worker runs it; come back once its heartbeat could have gone stale.
        raise self.retry(countdown=settings.EXPORT_STALE_SECONDS) from None
    except SoftTimeLimitExceeded:
        export_fail(job_id=job_id, message=_(
            "L'export a pris trop de temps. Affinez les filtres pour exporter moins de lignes."))
        return None
    except Exception as exc:
        if export_retry_later(job_id=job_id):
            raise self.retry(exc=exc, countdown=10 * (self.request.retries + 1)) from exc
        logger.exception("export %s failed for good", job_id)
        return None
    return job.document_id if job is not None else None


@shared_task
def export_purge_expired_task() -> int:
    """Periodic (beat): remove the exports past settings.EXPORT_RETENTION_DAYS."""
    return export_purge_expired()


@shared_task
def export_requeue_waiting_task() -> int:
    """Periodic (beat): queue again the exports left waiting (lost message, broker down)."""
    return export_requeue_waiting()
