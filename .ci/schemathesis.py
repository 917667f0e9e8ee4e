"""Fuzz the portal API (/api/v1/) against its OpenAPI schema, once per role.

A live server (gunicorn, config.settings.fuzz: the production settings on loopback) runs on a
database of its own seeded with `manage.py seed_demo`; each role gets an API token (DRF's
token authentication, the API's own), then `schemathesis run` sends a bounded, seeded number
of generated requests per operation with every check (`--checks all`; .ci/schemathesis.toml
says which ones are adjusted, and why) and the run fails on any failure. Not collected by
pytest (not a test_*.py file); .ci/run runs it after `make test`.

    .venv/bin/python .ci/schemathesis.py                  # every role
    .venv/bin/python .ci/schemathesis.py --role buyer     # one role (repeatable)
    .venv/bin/python .ci/schemathesis.py --keep           # leave the server up afterwards
    .venv/bin/python .ci/schemathesis.py -- --max-failures 1   # more schemathesis options

With DATABASE_URL set to PostgreSQL, the server's database is `atelier_portal_fuzz` on the same
server (created afresh and dropped here); without it, a SQLite file in a temporary folder. With
REDIS_URL, the server uses database 15 of the same Redis (flushed before and after); tasks are
then queued and not run (no worker), as the API answers do not wait for them.

Every role runs the examples, fuzzing and stateful phases; the roles in FUZZ_COVERAGE_ROLES
also run the coverage phase (boundary and invalid values of every parameter, ~2,500 requests
a role). Environment: FUZZ_MAX_EXAMPLES (default 5), FUZZ_SEED (default 20260611),
FUZZ_WORKERS (default 1: schemathesis' workers are threads, and Hypothesis parsing its
strategies' source in two threads at once trips a CPython 3.11 bug, "AST constructor
recursion depth mismatch"), FUZZ_PORT (default 8765), FUZZ_COVERAGE_ROLES (default
"buyer,technician"). Reports (one text log and one JUnit file per role, the server's log):
test-artifacts/schemathesis/.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python")
CONFIG = ROOT / ".ci" / "schemathesis.toml"
FUZZ_DB = "atelier_portal_fuzz"
FUZZ_REDIS_DB = 15

# role -> demo login (portal_api/common/demo.py; None: no credentials). The back office
# comes last: it may change data the client roles read.
ROLES = {
    "anonymous": None,
    "buyer": "dupond@dupond-industrie.fr",
    "technical": "martin@dupond-industrie.fr",
    "other-company": "autre@client-exemple.fr",
    "technician": "julie.bernard@atelier-portal.fr",
    "team-lead": "thomas.petit@atelier-portal.fr",
    "dispatcher": "dispatch@atelier-portal.fr",
    "administrator": "admin@atelier-portal.fr",
}


def log(message: str) -> None:
    print(f"[fuzz {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(cmd: list[str], *, env: dict, timeout: int, what: str) -> str:
    """Run a command quietly; its output is shown only when it fails."""
    result = subprocess.run(cmd, env=env, cwd=ROOT, timeout=timeout, capture_output=True,
                            text=True)
    if result.returncode:
        print(result.stdout[-5000:], result.stderr[-5000:], sep="\n")
        raise SystemExit(f"{what} failed (status {result.returncode})")
    return result.stdout


# --- database and cache -----------------------------------------------------------------------


def postgres_admin(url: str, sql: str) -> None:
    """Run one statement on the server's `postgres` database (CREATE/DROP DATABASE)."""
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql)


def database_url(workdir: Path) -> tuple[str, bool]:
    """The server's database URL, and whether it is a PostgreSQL database of ours."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        return urlunsplit(urlsplit(base)._replace(path=f"/{FUZZ_DB}")), True
    return f"sqlite:///{workdir / 'fuzz.sqlite3'}", False


def redis_url() -> str | None:
    base = os.environ.get("REDIS_URL", "")
    return urlunsplit(urlsplit(base)._replace(path=f"/{FUZZ_REDIS_DB}")) if base else None


def redis_flush(url: str | None) -> None:
    if url:
        import redis

        redis.Redis.from_url(url, socket_timeout=10).flushdb()


TOKENS = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
keys = {}
for email in json.loads(sys.argv[1]):
    user = get_user_model().objects.get(email=email, is_active=True)
    keys[email] = Token.objects.get_or_create(user=user)[0].key
print(json.dumps(keys))
"""


def tokens(env: dict, logins: list[str]) -> dict[str, str]:
    out = run([PYTHON, "-c", TOKENS, json.dumps(logins)], env=env, timeout=120,
              what="creating the API tokens")
    return json.loads(out.strip().splitlines()[-1])


# --- server -----------------------------------------------------------------------------------


def start_server(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    with log_path.open("w") as server_log:
        return subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
             # No request-line limit: gunicorn's 414 (4 KB) belongs to the front proxy, not
             # to the API contract; long generated query strings reach Django.
             "--limit-request-line", "0",
             "--access-logfile", "-", "--error-logfile", "-"],
            cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as a whole
        )


def wait_for(url: str, *, seconds: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited (status {server.returncode}) before serving")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    raise SystemExit(f"{url} did not answer 200 within {seconds}s")


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


# --- schemathesis -----------------------------------------------------------------------------


def fuzz_role(role: str, token: str | None, *, schema: Path, base_url: str, reports: Path,
              options: argparse.Namespace) -> dict:
    """One role's run; its whole output goes to reports/<role>.txt, the console gets the
    summary (everything when it failed)."""
    phases = ["examples", "fuzzing", "stateful"]
    if role in options.coverage_roles:
        phases.insert(1, "coverage")
    cmd = [
        str(VENV_BIN / "schemathesis"), "--config-file", str(CONFIG), "run", str(schema),
        "--url", base_url,
        "--checks", "all",
        "--phases", ",".join(phases),
        "--max-examples", str(options.max_examples),
        "--seed", str(options.seed),
        # No example database (.schemathesis/): a run depends on its seed only, not on what
        # earlier runs stored.
        "--generation-database", "none",
        "--workers", str(options.workers),
        "--request-timeout", "30",
        "--report", "junit", "--report-junit-path", str(reports / f"{role}.xml"),
        "--no-color",
    ]
    if token:
        cmd += ["--header", f"Authorization: Token {token}"]
    cmd += options.extra
    log(f"role {role}: phases {','.join(phases)}, {options.max_examples} examples per "
        f"operation, seed {options.seed}")
    started = time.monotonic()
    output = reports / f"{role}.txt"
    with output.open("w") as out:
        status = subprocess.run(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                timeout=options.role_timeout).returncode
    text = output.read_text(errors="replace")
    summary = text.rfind("= SUMMARY =")
    print(text[-60000:] if status or summary < 0 else text[text.rfind("\n", 0, summary):])
    cases = re.search(r"^\s*(\d+) generated, (.*)$", text, re.MULTILINE)
    return {"role": role, "status": status, "seconds": round(time.monotonic() - started),
            "phases": ",".join(phases), "cases": cases.group(1) if cases else "?",
            "outcome": cases.group(2).strip() if cases else "no summary"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--role", action="append", choices=list(ROLES),
                        help="fuzz only this role (repeatable); default: every role")
    parser.add_argument("--max-examples", type=int,
                        default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "5")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "20260611")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("FUZZ_WORKERS", "1")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("FUZZ_PORT", "8765")))
    parser.add_argument("--role-timeout", type=int, default=600,
                        help="seconds one role's run may take")
    parser.add_argument("--keep", action="store_true",
                        help="leave the server and its database up afterwards (Ctrl-C ends)")
    parser.add_argument("--reports", type=Path, default=ROOT / "test-artifacts" / "schemathesis")
    parser.add_argument("extra", nargs="*", help="more schemathesis options, after --")
    options = parser.parse_args()
    options.coverage_roles = {r.strip() for r in os.environ.get(
        "FUZZ_COVERAGE_ROLES", "buyer,technician").split(",") if r.strip()}
    roles = options.role or list(ROLES)

    workdir = Path(tempfile.mkdtemp(prefix="atelier-fuzz-"))
    db_url, ours = database_url(workdir)
    cache_url = redis_url()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.fuzz", DATABASE_URL=db_url,
               PRIVATE_STORAGE_ROOT=str(workdir / "private"), PYTHONUNBUFFERED="1",
               SITE_URL=f"http://127.0.0.1:{options.port}")
    if cache_url:
        env["REDIS_URL"] = cache_url
    options.reports.mkdir(parents=True, exist_ok=True)
    server = None
    results: list[dict] = []
    started = time.monotonic()
    try:
        if ours:
            log(f"database {FUZZ_DB} (PostgreSQL), created afresh")
            postgres_admin(db_url, f'DROP DATABASE IF EXISTS "{FUZZ_DB}" WITH (FORCE)')
            postgres_admin(db_url, f'CREATE DATABASE "{FUZZ_DB}"')
        else:
            log(f"database {db_url}")
        redis_flush(cache_url)
        log("migrate")
        run([PYTHON, "manage.py", "migrate", "--noinput"], env=env, timeout=900, what="migrate")
        log("seed_demo")
        run([PYTHON, "manage.py", "seed_demo", "--quiet"], env=env, timeout=900,
            what="seed_demo")
        keys = tokens(env, [login for login in ROLES.values() if login])

        base_url = f"http://127.0.0.1:{options.port}"
        server = start_server(env, options.port, options.reports / "server.log")
        wait_for(f"{base_url}/api/schema/", seconds=120, server=server)
        schema = workdir / "schema.yaml"  # as the server serves it
        with urllib.request.urlopen(f"{base_url}/api/schema/", timeout=60) as response:
            schema.write_bytes(response.read())
        log(f"server up on {base_url} (log: {options.reports / 'server.log'})")

        for role in roles:
            login = ROLES[role]
            results.append(fuzz_role(role, keys[login] if login else None, schema=schema,
                                     base_url=base_url, reports=options.reports,
                                     options=options))
        if options.keep:
            log(f"--keep: {base_url} stays up on {db_url}; Ctrl-C to stop")
            for role, login in ROLES.items():
                if login:
                    print(f"  {role:<14} Authorization: Token {keys[login]}")
            server.wait()
    except KeyboardInterrupt:
        log("interrupted")
    finally:
        stop_server(server)
        if not options.keep:
            redis_flush(cache_url)
            if ours:
                postgres_admin(db_url, f'DROP DATABASE IF EXISTS "{FUZZ_DB}" WITH (FORCE)')
            shutil.rmtree(workdir, ignore_errors=True)

    print(f"\n{'role':<15}{'status':>7}{'seconds':>9}  {'phases':<36}{'cases':>7}  outcome")
    for r in results:
        print(f"{r['role']:<15}{r['status']:>7}{r['seconds']:>9}  {r['phases']:<36}"
              f"{r['cases']:>7}  {r['outcome']}")
    print(f"total {round(time.monotonic() - started)}s")
    failed = [r["role"] for r in results if r["status"] != 0]
    if failed or len(results) != len(roles):
        print(f"schemathesis FAILED for: {', '.join(failed) or 'an interrupted run'}")
        return 1
    print(f"schemathesis passed for every role ({len(results)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
