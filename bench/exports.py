"""A 100,000-row export in the background (issue 6), on the database bench/generate.py filled.

    DJANGO_SETTINGS_MODULE=config.settings.dev \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench \\
        .venv/bin/python bench/exports.py [--rows 100000] [--mode inprocess|worker]

How (see docs/performance.md, "Exports in the background"):
- The export is asked the way the widget asks it: `GET /api/v1/orders/?format=xlsx&...` through
  Django's full stack (django.test.Client, force_login), which answers 202 with an ExportJob.
  The user is a staff member (bench.exports@bench.example, created for the run and removed at
  the end): staff see every company's orders, and `created_from` is set to the day that makes
  the filtered list hold at least --rows orders (the exact count is reported).
- The task then runs the project's code (`workflows.tasks.exports.export_run_task`):
  `--mode inprocess` (default) in a thread of this process; `--mode worker` in a real Celery
  worker (`celery -A config worker --pool solo`, a child process; needs REDIS_URL).
- Meanwhile this process polls `GET /api/v1/exports/{id}/` every --poll seconds, as the widget
  does every second, and records each answer. From them: the largest gap between two progress
  writes of the worker (their `updated_at`, the server's clock, from the start of the run to
  its end), and the largest gap between two changes of `written` seen by the poller.
- Memory: growth of the peak RSS (VmHWM, reset through /proc/<pid>/clear_refs) of the process
  running the task (this one, or the worker), from just before the export is asked; target
  < 150 MB. `--warmup-rows N` runs a first, unmeasured export in the same process (a fresh
  worker imports the URLconf, every view and openpyxl on its first export).
- The file is read back with openpyxl (read-only) to count its rows.
Results go to /tmp/atelier-bench-exports.json.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

STAFF_EMAIL = "bench.exports@bench.example"
RESULTS = Path(tempfile.gettempdir()) / "atelier-bench-exports.json"


def vm_kib(name: str, pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise KeyError(name)


def reset_peak_rss(pid: int | str = "self") -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def parse_time(value: str) -> float:
    return datetime.datetime.fromisoformat(value).timestamp()


def pick_day(queryset, rows: int) -> tuple[datetime.date, int]:
    """The day D such that the orders created on D or later are at least `rows`, as few as
    possible (what `created_from=D` keeps), and their count."""
    from django.utils import timezone

    nth = queryset.order_by("-created_at").values_list("created_at", flat=True)[rows - 1]
    day = timezone.localtime(nth).date()
    return day, queryset.filter(created_at__date__gte=day).count()


def start_worker(env: dict) -> subprocess.Popen:
    """A Celery worker (solo pool: the task runs in the worker's own process), once it answers
    a ping, i.e. done booting."""
    from config.celery import app

    name = f"bench-exports-{os.getpid()}@{os.uname().nodename}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", name,
         "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise SystemExit("the Celery worker did not start: "
                             + worker.stderr.read().decode()[-2000:])
        if app.control.ping(destination=[name], timeout=1):
            time.sleep(1)  # settle
            return worker
    worker.kill()
    raise SystemExit("the Celery worker did not answer within 120 s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--mode", choices=["inprocess", "worker"], default="inprocess")
    parser.add_argument("--poll", type=float, default=0.25,
                        help="seconds between two polls of the job (the widget: 1)")
    parser.add_argument("--warmup-rows", type=int, default=0,
                        help="run a first export of about this many rows, not measured")
    parser.add_argument("--keep", action="store_true",
                        help="keep the staff user, the job and its file afterwards")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("PRIVATE_STORAGE_ROOT",
                          str(Path(tempfile.gettempdir()) / "atelier-bench-private"))
    if args.mode == "inprocess":
        os.environ.pop("REDIS_URL", None)  # the task is run by hand below, not queued
    elif not os.environ.get("REDIS_URL"):
        sys.exit("--mode worker needs REDIS_URL (the broker the worker listens to)")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from config.celery import app
    from portal_api.accounts.models import User
    from portal_api.exports.models import ExportJob
    from portal_api.orders.selectors import order_list
    from workflows.tasks.exports import export_run_task

    if connection.vendor != "postgresql":
        sys.exit("bench/exports.py needs the PostgreSQL database of bench/generate.py")
    override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False).enable()
    if args.mode == "inprocess":
        # The request queues the task; nobody takes it: this process runs it in a thread.
        app.conf.task_always_eager = False

    user, created_user = User.objects.get_or_create(
        email=STAFF_EMAIL, defaults={"is_staff": True, "first_name": "Bench",
                                     "last_name": "Exports"})
    day, expected = pick_day(order_list(user=user), args.rows)
    client = Client()
    client.force_login(user)
    report: dict = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
                    "load_average_at_start": os.getloadavg(), "cpus": os.cpu_count(),
                    "database": settings.DATABASES["default"]["NAME"], "mode": args.mode,
                    "rows_asked": args.rows, "created_from": day.isoformat(),
                    "rows_expected": expected,
                    "progress_interval_s": settings.EXPORT_PROGRESS_INTERVAL}
    print(f"{expected} orders created on or after {day} (staff user {STAFF_EMAIL})", flush=True)

    worker = None
    try:
        if args.mode == "worker":
            worker = start_worker({**os.environ})
            task_pid = worker.pid
        else:
            task_pid = os.getpid()

        def export(created_from: datetime.date) -> tuple[dict, list, float]:
            """Ask for the export, have it run, follow it to the end: (job, polls, request s)."""
            t = time.perf_counter()
            response = client.get("/api/v1/orders/", {"format": "xlsx",
                                                      "created_from": created_from.isoformat()})
            request_s = time.perf_counter() - t
            if response.status_code != 202:
                raise SystemExit(f"expected 202, got {response.status_code}: "
                                 f"{response.content[:500]!r}")
            job = response.json()
            runner = None
            if args.mode == "inprocess":
                runner = threading.Thread(target=export_run_task.apply,
                                          kwargs={"args": [job["id"]]}, name="export-task")
                runner.start()
            # (worker mode: the worker took the message from Redis already)
            polls = []
            started = time.perf_counter()
            while True:
                data = client.get(job["url"]).json()
                polls.append((time.perf_counter() - started, data))
                if data["status"] in ("done", "failed"):
                    break
                if time.perf_counter() - started > 3600:
                    raise SystemExit("the export did not finish within an hour")
                time.sleep(args.poll)
            if runner is not None:
                runner.join()
            return job, polls, request_s

        if args.warmup_rows:
            # A first, smaller export through the same process: what a worker pays once (the
            # URLconf and every view imported, openpyxl loaded) is left out of the measure.
            warm_day, warm_rows = pick_day(order_list(user=user), args.warmup_rows)
            _, warm_polls, _ = export(warm_day)
            report["warmup"] = {"rows": warm_rows, "status": warm_polls[-1][1]["status"]}
            print(f"warm-up export of {warm_rows} rows: {warm_polls[-1][1]['status']}",
                  flush=True)

        # From here on, the peak RSS of the process that runs the task (the worker may take the
        # message while the request is still answering).
        reset_ok = reset_peak_rss(task_pid)
        rss_before = vm_kib("VmRSS", task_pid)
        started = time.perf_counter()
        job, polls, report["request_s"] = export(day)
        job_id = job["id"]
        print(f"202 in {report['request_s'] * 1000:.0f} ms: job {job_id}, total {job['total']}",
              flush=True)
        elapsed = time.perf_counter() - started
        hwm_after = vm_kib("VmHWM", task_pid)
        final = polls[-1][1]
        if final["status"] != "done":
            raise SystemExit(f"the export failed: {final['error']}")

        # Progress writes (server clock): from the start of the run, every distinct
        # updated_at seen while running, to the end.
        writes = sorted({parse_time(d["updated_at"]) for _, d in polls
                         if d["status"] == "running"})
        marks = [parse_time(final["started_at"]), *writes, parse_time(final["finished_at"])]
        write_gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
        # Changes of `written` as the poller saw them.
        changes, last = [], None
        for at, d in polls:
            if d["status"] == "running" and d["written"] != last:
                changes.append(at)
                last = d["written"]
        seen_gaps = [b - a for a, b in zip(changes, changes[1:], strict=False)]
        first_running = next((at for at, d in polls if d["status"] == "running"), None)
        run_s = parse_time(final["finished_at"]) - parse_time(final["started_at"])

        document = ExportJob.objects.select_related("document").get(pk=job_id).document
        from openpyxl import load_workbook

        with document.file.open("rb") as handle:
            content = handle.read()
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        rows_in_file = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
        del content

        report.update({
            "rows_in_file": rows_in_file, "file_bytes": document.size,
            "run_s": run_s, "followed_s": elapsed, "rows_per_second": rows_in_file / run_s,
            "peak_rss_growth_mb": (hwm_after - rss_before) / 1024 if reset_ok else None,
            "hwm_reset": reset_ok, "polls": len(polls), "progress_writes_seen": len(writes),
            "largest_gap_between_progress_writes_s": max(write_gaps),
            "largest_gap_between_changes_seen_s": max(seen_gaps) if seen_gaps else None,
            "first_write_after_start_s": write_gaps[0],
            "first_rows_seen_after_running_s": (changes[1] - first_running
                                                if len(changes) > 1 and first_running is not None
                                                else None),
            "last_write_to_finish_s": write_gaps[-1],
            "written_seen": [d["written"] for _, d in polls if d["status"] == "running"][::10],
            "load_average_at_end": os.getloadavg(),
        })
        growth = report["peak_rss_growth_mb"]
        print(f"{rows_in_file} rows in the file (expected {expected}), {document.size} bytes; "
              f"run {run_s:.1f} s = {report['rows_per_second']:.0f} rows/s", flush=True)
        print(f"peak RSS growth of the process running the task: "
              f"{'not measured' if growth is None else f'{growth:.1f} MB'} "
              f"({'met' if growth is not None and growth < 150 else 'MISSED'}: < 150 MB)")
        print(f"progress writes seen: {len(writes)}; largest gap between two writes "
              f"{max(write_gaps):.2f} s ({'met' if max(write_gaps) <= 2 else 'MISSED'}: <= 2 s); "
              f"largest gap between changes seen by the poller "
              f"{report['largest_gap_between_changes_seen_s'] or 0:.2f} s; first rows seen "
              f"{report['first_rows_seen_after_running_s'] or 0:.2f} s after 'running'")
        print(f"load average at start {report['load_average_at_start']}, at end "
              f"{report['load_average_at_end']}")
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        if not args.keep:
            for job in ExportJob.objects.filter(user=user).select_related("document"):
                if job.document:
                    job.document.file.delete(save=False)
                    job.document.delete()
                job.delete()
            client.logout()
            if created_user:
                user.delete()
        RESULTS.write_text(json.dumps(report, indent=2, default=str))
        print(f"details in {RESULTS}")


if __name__ == "__main__":
    main()
