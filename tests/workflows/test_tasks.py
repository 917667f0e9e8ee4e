"""Tasks: in-process without a broker; through Redis and a real worker when REDIS_URL is set
(CI sets it)."""

import hashlib
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.base import ContentFile

from config.celery import app
from portal_api.documents.models import Document
from workflows.tasks import document_fill_metadata_task

CONTENT = b"%PDF-1.4 contrat de maintenance"


def stored_document_without_metadata() -> Document:
    document = Document(title="Contrat déposé par l'administration")
    document.file.save("contrat.pdf", ContentFile(CONTENT), save=False)
    document.save()
    return document


def test_celery_is_configured_for_json_and_late_acks():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit


@pytest.mark.django_db
def test_task_runs_in_process_without_a_broker(django_capture_on_commit_callbacks):
    document = stored_document_without_metadata()
    with django_capture_on_commit_callbacks(execute=True):
        document_fill_metadata_task.delay_on_commit(document.pk)
    document.refresh_from_db()
    assert document.checksum == hashlib.sha256(CONTENT).hexdigest()
    assert document.size == len(CONTENT)
    assert document.content_type == "application/pdf"
    # Idempotent, and a deleted document is no error.
    assert document_fill_metadata_task.delay(document.pk).get() == document.checksum
    assert document_fill_metadata_task.delay(10**9).get() is None


requires_redis = pytest.mark.skipif(
    not settings.REDIS_URL and os.environ.get("CI") != "true",
    reason="set REDIS_URL to run the task through Redis and a real worker",
)


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_task_goes_through_redis_to_a_worker():
    assert settings.REDIS_URL, "CI must run with REDIS_URL"
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            document = stored_document_without_metadata()
            result = document_fill_metadata_task.delay(document.pk)
            assert result.get(timeout=30) == hashlib.sha256(CONTENT).hexdigest()
    finally:
        app.conf.task_always_eager = True
    document.refresh_from_db()
    assert document.size == len(CONTENT)
