"""Export tasks: in-process without a broker; through Redis and a real worker when REDIS_URL is
set (CI sets it): the export waits while no worker runs, then its progress grows, the file
appears, another user gets 404 on it and the retention task removes it; a worker killed in the
middle of an export does not lose it and does not make two files."""

import datetime
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app
from portal_api.documents.models import Document, DocumentKind
from portal_api.exports.models import ExportJob, ExportStatus
from workflows.tasks.exports import export_purge_expired_task, export_run_task

from .conftest import body, make_orders, xlsx_rows

ROOT = Path(__file__).resolve().parents[3]


def test_the_purge_is_in_the_beat_schedule_of_a_registered_task():
    app.loader.import_default_modules()  # what `celery -A config beat` / worker import
    entry = app.conf.beat_schedule["exports-purge-expired"]
    assert entry["task"] == export_purge_expired_task.name
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 24 * 3600


def test_the_run_task_acks_late_and_is_requeued_when_its_worker_dies():
    assert export_run_task.acks_late is True
    assert export_run_task.reject_on_worker_lost is True


@pytest.mark.django_db
def test_the_task_run_twice_stores_one_file(dupond, orders):
    job = ExportJob.objects.create(user=dupond, list_name="commandes", total=7)
    first = export_run_task.delay(job.pk).get()
    assert export_run_task.delay(job.pk).get() == first
    assert Document.objects.filter(kind=DocumentKind.EXPORT).count() == 1
    job.refresh_from_db()
    assert (job.status, job.document_id, job.attempts) == (ExportStatus.DONE, first, 1)
    assert export_run_task.delay(10**9).get() is None  # a job deleted meanwhile


@pytest.mark.django_db
def test_a_job_that_cannot_be_built_ends_failed_with_a_message(dupond, orders):
    job = ExportJob.objects.create(user=dupond, list_name="plus-exportable", total=7)
    assert export_run_task.delay(job.pk).get() is None
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error


@pytest.mark.django_db
def test_the_purge_task_removes_expired_exports(dupond, orders):
    job = ExportJob.objects.create(user=dupond, list_name="commandes", total=7)
    export_run_task.delay(job.pk).get()
    Document.objects.filter(kind=DocumentKind.EXPORT).update(
        created_at=timezone.now() - datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS + 1))
    assert export_purge_expired_task.delay().get() == 1
    assert not ExportJob.objects.exists() and not Document.objects.exists()


requires_redis = pytest.mark.skipif(
    not settings.REDIS_URL and os.environ.get("CI") != "true",
    reason="set REDIS_URL to run the exports through Redis and a real worker",
)


def follow(client, url: str, *, until, timeout: float = 180) -> list[dict]:
    """Poll the export as its widget does (but every 20 ms) until `until(data)`; every answer."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = client.get(url).json()
        seen.append(data)
        if until(data):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"export still {seen[-1]['status']} after {timeout} s: {seen[-1]}")


def finished(data) -> bool:
    return data["status"] in ("done", "failed")


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_an_export_waits_for_the_worker_then_shows_its_progress_and_its_file(
        dupond, dupond_company, other_manager, settings):
    assert settings.REDIS_URL, "CI must run with REDIS_URL"
    settings.EXPORT_SYNC_MAX_ROWS = 100
    settings.EXPORT_PROGRESS_INTERVAL = 0.05
    make_orders(dupond_company, dupond, 3000)
    client = APIClient()
    client.force_authenticate(dupond)
    app.conf.task_always_eager = False
    try:
        response = client.get("/api/v1/orders/?format=xlsx&ordering=number")
        assert response.status_code == 202, response.content
        url = response.json()["url"]
        # No worker yet: the export waits, and says so.
        time.sleep(1)
        data = client.get(url).json()
        assert (data["status"], data["status_label"], data["written"]) == (
            "pending", "En attente", 0)

        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            seen = follow(client, url, until=finished)
            assert seen[-1]["status"] == "done", seen[-1]

            # The file: its owner downloads it; anyone else gets 404.
            rows = xlsx_rows(body(client.get(seen[-1]["download_url"])))
            assert len(rows) == 1 + 3000 and rows[1][0] == "CO-T-00000"
            stranger = APIClient()
            stranger.force_authenticate(other_manager)
            assert stranger.get(url).status_code == 404
            assert stranger.get(seen[-1]["download_url"]).status_code == 404

            # The retention task, through the worker, removes it once expired.
            job = ExportJob.objects.select_related("document").get()
            storage, name = job.document.file.storage, job.document.file.name
            assert storage.exists(name)
            Document.objects.filter(pk=job.document_id).update(
                created_at=timezone.now() - datetime.timedelta(days=8))
            assert export_purge_expired_task.delay().get(timeout=30) == 1
    finally:
        app.conf.task_always_eager = True
    assert not storage.exists(name)
    assert not ExportJob.objects.exists()
    assert client.get(url).status_code == 404

    # The progress grew while it ran (never backwards), from the rows written by the worker.
    running = [d["written"] for d in seen if d["status"] == "running"]
    assert running == sorted(running)
    assert len({w for w in running if 0 < w < 3000}) >= 2, running
    assert all(0 <= d["progress"] <= 100 for d in seen)


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (read from /proc: no procps needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …: comm may hold spaces, so split after its parenthesis
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@requires_redis
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the worker process needs a database it can share (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_export_loses_nothing_and_makes_one_file(dupond, dupond_company):
    """A real worker process (prefork, one child) is killed with SIGKILL in the middle of an
    export: the message is requeued, the job is taken over once its heartbeat is stale, and it
    ends done with one file."""
    make_orders(dupond_company, dupond, 6000)
    job = ExportJob.objects.create(user=dupond, list_name="commandes", total=6000)
    storage_root = tempfile.mkdtemp(prefix="atelier-export-worker-")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "DATABASE_URL": (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
                         f"{db['PORT'] or 5432}/{db['NAME']}"),
        "REDIS_URL": settings.REDIS_URL,
        "PRIVATE_STORAGE_ROOT": storage_root,
        "EXPORT_PROGRESS_INTERVAL": "0.2",
        "EXPORT_STALE_SECONDS": "3",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
         "--concurrency", "1", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"exports-kill-{os.getpid()}@%h", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        app.conf.task_always_eager = False
        try:
            export_run_task.delay(job.pk)
        finally:
            app.conf.task_always_eager = True
        # Wait until the export is well under way, then kill the child that runs it.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == ExportStatus.RUNNING and job.written > 0:
                break
            time.sleep(0.05)
        assert job.status == ExportStatus.RUNNING and 0 < job.written < 6000, job.status
        children = children_of(worker.pid)
        assert len(children) == 1, children
        os.kill(children[0], signal.SIGKILL)

        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
                break
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    assert job.status == ExportStatus.DONE, (job.status, job.error,
                                             worker.stderr.read().decode()[-3000:])
    assert job.attempts == 2 and job.written == 6000
    assert Document.objects.filter(kind=DocumentKind.EXPORT).count() == 1
    rows = xlsx_rows((Path(storage_root) / job.document.file.name).read_bytes())
    assert len(rows) == 1 + 6000
