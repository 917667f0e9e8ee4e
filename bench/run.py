"""The benchmarks of issues 4 and 5, on the database bench/generate.py filled.

    DJANGO_SETTINGS_MODULE=config.settings.dev \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench \\
        .venv/bin/python bench/run.py [--requests 200] [--only lists,pdf,export,service,...]

How (see docs/performance.md):
- Endpoints go through Django's full stack in this process: django.test.Client with
  force_login (sessions, middleware, auth, DRF, filters, serializer, JSON rendering); no HTTP
  server, so the socket and the WSGI server are left out of both sides. DEBUG is forced off.
- The floor of a list is the same page (same filters, ordering, columns and counts) produced by
  hand: one SQL query for the page plus one for the count (and totals when the endpoint shows
  them), on a separate psycopg 3 connection, then json.dumps. Endpoint and floor requests
  alternate, after a warm-up, and each is timed with perf_counter around the whole call.
- The PDF download is compared with a FileResponse of a file of the same size served by a tiny
  view of bench/urls.py (the project's URLconf plus that one route), same client, same session:
  both the checked endpoint (/api/v1/invoices/{id}/pdf/) and the signed link the invoice list
  gives a browser session (/telechargement/<token>/); then the invoice list itself with a
  stored PDF, so a signed link, on every row of the page.
- The export asks `?format=xlsx` for the big account's 50,000 orders: above
  EXPORT_SYNC_MAX_ROWS the endpoint queues an ExportJob, whose run (eager without a broker,
  else the worker's code run here) is part of the measurement; memory is the growth of the
  process's peak RSS (VmHWM, reset through /proc/self/clear_refs) and, with --tracemalloc, in a
  second pass, tracemalloc's peak; next to it, openpyxl writing the same rows from a list.
- The service group (issue 5) is in bench/service.py: the technician's and the client's
  intervention lists against their SQL floors, and the export of 50,000 interventions.
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import gc
import io
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_USER_EMAIL = "bench.user@bench.example"
PAGE_SIZE = 50
RESULTS = Path(tempfile.gettempdir()) / "atelier-bench-results.json"


# --------------------------------------------------------------------------- measuring


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed_pair(endpoint: Callable[[], None], floor: Callable[[], None], *, n: int,
               warmup: int) -> dict:
    """Alternate the two, so that both see the same machine state."""
    for _ in range(warmup):
        endpoint()
        floor()
    times_e, times_f = [], []
    for _ in range(n):
        t = time.perf_counter()
        endpoint()
        times_e.append(time.perf_counter() - t)
        t = time.perf_counter()
        floor()
        times_f.append(time.perf_counter() - t)
    med_e, med_f = statistics.median(times_e), statistics.median(times_f)
    return {
        "n": n, "endpoint_median_ms": med_e * 1000, "endpoint_p95_ms": pct(times_e, .95) * 1000,
        "floor_median_ms": med_f * 1000, "floor_p95_ms": pct(times_f, .95) * 1000,
        "ratio": med_e / med_f,
    }


def vm_kib(name: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    raise KeyError(name)


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def measure_memory(fn: Callable[[], object], *, with_tracemalloc: bool = False) -> dict:
    """Run fn for its time and peak RSS growth; again under tracemalloc if asked (slow)."""
    gc.collect()
    reset_ok = reset_peak_rss()
    rss_before, hwm_before = vm_kib("VmRSS"), vm_kib("VmHWM")
    t = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t
    hwm_after = vm_kib("VmHWM")
    growth = (hwm_after - (rss_before if reset_ok else hwm_before)) / 1024
    del result
    peak = None
    if with_tracemalloc:
        gc.collect()
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {"seconds": seconds, "rss_peak_growth_mb": growth, "tracemalloc_peak_mb": peak,
            "hwm_reset": reset_ok}


# --------------------------------------------------------------------------- floors

UNIT_LABELS = {"u": "unité", "h": "heure", "m": "mètre", "m2": "m²", "kg": "kg", "l": "litre",
               "forfait": "forfait"}
KIND_LABELS = {"product": "Fourniture", "labour": "Main-d'œuvre", "bundle": "Ouvrage"}
ORDER_STATUS_LABELS = {"draft": "En préparation", "submitted": "Passée",
                       "confirmed": "Confirmée", "delivered": "Livrée", "invoiced": "Facturée",
                       "cancelled": "Annulée"}
INVOICE_STATUS_LABELS = {"draft": "Brouillon", "issued": "Émise", "paid": "Payée",
                         "overdue": "En retard"}
CENT = decimal.Decimal("0.01")


def _json_default(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def floor_articles(conn, *, word: str, low_threshold) -> bytes:
    # UPPER() LIKE rather than ILIKE: the same test, and the faster of the two in PostgreSQL.
    like = f"%{word.upper()}%"
    where = ("a.active AND a.visible_to_clients AND f.visible_to_clients "
             "AND (upper(a.reference) LIKE %(w)s OR upper(a.label) LIKE %(w)s "
             "OR upper(a.description) LIKE %(w)s)")
    with conn.cursor() as cur:
        cur.execute(
            "SELECT a.id, a.reference, a.label, a.description, a.kind, a.unit, "
            "a.price_excl_tax, a.vat_rate, a.track_stock, a.stock_on_hand - a.stock_reserved, "
            "f.id, f.code, f.name FROM catalog_article a "
            "JOIN catalog_articlefamily f ON f.id = a.family_id "
            f"WHERE {where} ORDER BY a.reference LIMIT {PAGE_SIZE}", {"w": like})
        rows = cur.fetchall()
        cur.execute("SELECT count(*) FROM catalog_article a JOIN catalog_articlefamily f "
                    f"ON f.id = a.family_id WHERE {where}", {"w": like})
        count = cur.fetchone()[0]
    results = []
    for (pk, ref, label, desc, kind, unit, price, vat, track, available, fid, fcode,
         fname) in rows:
        if not track:
            availability, qty = "available", None
        else:
            availability = ("out_of_stock" if available <= 0 else
                            "low" if available <= low_threshold else "in_stock")
            qty = f"{max(available, 0).normalize():f}"
        results.append({
            "id": pk, "reference": ref, "label": label, "description": desc, "kind": kind,
            "kind_label": KIND_LABELS[kind], "unit": unit, "unit_label": UNIT_LABELS[unit],
            "price_excl_tax": str(price), "vat_rate": str(vat),
            "price_incl_tax": str((price * (1 + vat / 100)).quantize(CENT)),
            "family": {"id": fid, "code": fcode, "name": fname},
            "availability": availability, "quantity_available": qty,
        })
    return json.dumps({"count": count, "next": None, "previous": None, "results": results,
                       "can": {"prepare_orders": True}}, default=_json_default).encode()


def floor_orders(conn, *, account_id: int, status: str, rights: dict) -> bytes:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT o.id, o.number, o.status, o.customer_reference, s.id, s.name, s.city, "
            "pu.id, pu.first_name, pu.last_name, pu.email, "
            "su.id, su.first_name, su.last_name, su.email, o.created_at, o.updated_at, "
            "o.submitted_at, o.confirmed_at, o.delivered_at, o.cancelled_at, l.n, "
            "o.total_excl_tax, o.total_vat, o.total_incl_tax, l.cat_excl, l.cat_vat "
            "FROM orders_order o "
            "LEFT JOIN accounts_site s ON s.id = o.delivery_site_id "
            "LEFT JOIN accounts_user pu ON pu.id = o.prepared_by_id "
            "LEFT JOIN accounts_user su ON su.id = o.submitted_by_id "
            "CROSS JOIN LATERAL (SELECT count(*) AS n, "
            "  sum(ol.quantity * a.price_excl_tax) AS cat_excl, "
            "  sum(ol.quantity * a.price_excl_tax * a.vat_rate / 100) AS cat_vat "
            "  FROM orders_orderline ol JOIN catalog_article a ON a.id = ol.article_id "
            "  WHERE ol.order_id = o.id) l "
            "WHERE o.client_account_id = %s AND o.status = %s "
            f"ORDER BY o.created_at DESC, o.id DESC LIMIT {PAGE_SIZE}", (account_id, status))
        rows = cur.fetchall()
        cur.execute("SELECT count(*) FROM orders_order WHERE client_account_id = %s "
                    "AND status = %s", (account_id, status))
        count = cur.fetchone()[0]

    def person(pk, first, last, email):
        if pk is None:
            return None
        return {"id": pk, "name": f"{first} {last}".strip() or email}

    results = []
    for r in rows:
        draft = r[2] == "draft"
        if draft:
            excl = (r[25] or 0).quantize(CENT)
            vat = (r[26] or 0).quantize(CENT)
            totals = (excl, vat, excl + vat)
        else:
            totals = (r[22], r[23], r[24])
        results.append({
            "id": r[0], "number": r[1], "status": r[2], "status_label":
            ORDER_STATUS_LABELS[r[2]], "customer_reference": r[3],
            "delivery_site": {"id": r[4], "name": r[5], "city": r[6]} if r[4] else None,
            "prepared_by": person(*r[7:11]), "submitted_by": person(*r[11:15]),
            "created_at": r[15], "updated_at": r[16], "submitted_at": r[17],
            "confirmed_at": r[18], "delivered_at": r[19], "cancelled_at": r[20],
            "lines_count": r[21], "total_excl_tax": str(totals[0]),
            "total_vat": str(totals[1]), "total_incl_tax": str(totals[2]),
            "can": {"edit": draft and rights["can_prepare_orders"],
                    "place": draft and rights["can_place_orders"],
                    "cancel": r[2] == "submitted" and rights["can_place_orders"]},
        })
    return json.dumps({"count": count, "next": None, "previous": None, "results": results,
                       "can": {"create": rights["can_prepare_orders"]}},
                      default=_json_default).encode()


def floor_invoices(conn, *, account_id: int, status: str, holder) -> bytes:
    """The page of invoices by hand, its PDF links included: a signed link (the same
    signing as the endpoint's, for the same user and session: `holder`) where the PDF is
    stored, else the checked endpoint."""
    from portal_api.documents.links import signed_download_url

    where = "client_account_id = %s AND status <> 'draft' AND status = %s"
    with conn.cursor() as cur:
        cur.execute(
            "SELECT i.id, i.number, i.status, i.issue_date, i.due_date, i.paid_at, "
            "i.total_excl_tax, i.total_vat, i.total_incl_tax, i.pdf_id, d.file, d.content_type "
            "FROM billing_invoice i LEFT JOIN documents_document d ON d.id = i.pdf_id "
            "WHERE i.client_account_id = %s AND i.status <> 'draft' AND i.status = %s "
            f"ORDER BY i.issue_date DESC, i.sequence DESC LIMIT {PAGE_SIZE}",
            (account_id, status))
        rows = cur.fetchall()
        cur.execute(
            "SELECT count(*), coalesce(sum(total_excl_tax), 0), coalesce(sum(total_vat), 0), "
            "coalesce(sum(total_incl_tax), 0), coalesce(sum(total_incl_tax) FILTER "
            f"(WHERE status IN ('issued', 'overdue')), 0) FROM billing_invoice WHERE {where}",
            (account_id, status))
        count, excl, vat, incl, due = cur.fetchone()
    results = [{
        "id": r[0], "number": r[1], "status": r[2], "status_label": INVOICE_STATUS_LABELS[r[2]],
        "issue_date": r[3], "due_date": r[4], "paid_at": r[5], "total_excl_tax": str(r[6]),
        "total_vat": str(r[7]), "total_incl_tax": str(r[8]),
        "amount_due": str(r[8] if r[2] in ("issued", "overdue") else "0.00"),
        "pdf_url": signed_download_url(
            holder=holder, document_id=r[9], storage_name=r[10],
            content_type=r[11] or "application/pdf", filename=f"{r[1]}.pdf", invoice_id=r[0],
        ) if r[10] else f"/api/v1/invoices/{r[0]}/pdf/",
    } for r in rows]
    return json.dumps({
        "count": count, "next": None, "previous": None, "results": results,
        "totals": {"total_excl_tax": str(excl.quantize(CENT)), "total_vat": str(vat),
                   "total_incl_tax": str(incl), "amount_due": str(due)},
        "permissions": {"download_pdf": True, "export": True},
    }, default=_json_default).encode()


# --------------------------------------------------------------------------- scenarios


def endpoint_available(client, path: str) -> bool:
    response = client.get(path, {"page_size": 1})
    return response.status_code == 200


def profile_endpoint(client, path: str, params: dict) -> dict:
    """One request under CaptureQueriesContext: how many queries, how long in SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        response = client.get(path, params)
        total = time.perf_counter() - t
    assert response.status_code == 200, response.status_code
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
    return {
        "queries": len(queries), "sql_ms": sum(t for t, _ in queries), "total_ms": total * 1000,
        "slowest": sorted(queries, reverse=True)[:3],
    }


def link_holder_of(client, user):
    """Whom the endpoint signs the links for: this user in the client's session."""
    from portal_api.documents.links import LinkHolder, session_tag

    return LinkHolder(user_id=str(user.pk), session_tag=session_tag(client.session.session_key))


def link_target(url: str | None):
    """What a file link leads to: a signed link's payload (its timestamp aside), else the URL."""
    if url and url.startswith("/telechargement/"):
        from portal_api.documents.links import read_token

        return read_token(url.split("/")[2])[0]
    return url


def same_page(body: dict, floor_body: dict) -> bool:
    """Same ids in the same order, same count, and the same PDF links where there are."""
    rows, floor_rows = body["results"], floor_body["results"]
    return ([r["id"] for r in rows] == [r["id"] for r in floor_rows]
            and body["count"] == floor_body["count"]
            and [link_target(r.get("pdf_url")) for r in rows]
            == [link_target(r.get("pdf_url")) for r in floor_rows])


def run_lists(client, conn, user, account_id: int, args, report: dict) -> None:
    from django.conf import settings

    profile = user.portal_profile
    rights = profile.rights
    low = decimal.Decimal(str(getattr(settings, "CATALOG_LOW_STOCK_THRESHOLD", 5)))
    holder = link_holder_of(client, user)
    scenarios = [
        ("catalogue search", "/api/v1/articles/", {"search": args.search},
         lambda: floor_articles(conn, word=args.search, low_threshold=low)),
        ("order list", "/api/v1/orders/", {"status": args.order_status},
         lambda: floor_orders(conn, account_id=account_id, status=args.order_status,
                              rights=rights)),
        ("invoice list", "/api/v1/invoices/", {"status": args.invoice_status},
         lambda: floor_invoices(conn, account_id=account_id, status=args.invoice_status,
                                holder=holder)),
    ]
    for name, path, params, floor in scenarios:
        if not endpoint_available(client, path):
            print(f"{name}: {path} is not there yet, skipped", flush=True)
            report[name] = {"missing": True}
            continue
        params = {**params, "page_size": PAGE_SIZE}

        def endpoint(path=path, params=params):
            response = client.get(path, params)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            return response.content

        body = json.loads(endpoint())
        floor_body = json.loads(floor())
        same = same_page(body, floor_body)
        result = timed_pair(endpoint, floor, n=args.requests, warmup=args.warmup)
        result.update(path=path, params=params, count=body["count"],
                      rows=len(body["results"]), same_page_as_floor=same,
                      endpoint_bytes=len(endpoint()), floor_bytes=len(floor()),
                      profile=profile_endpoint(client, path, params))
        report[name] = result
        print(f"{name:<18} endpoint median {result['endpoint_median_ms']:7.2f} ms "
              f"p95 {result['endpoint_p95_ms']:7.2f} | floor median "
              f"{result['floor_median_ms']:6.2f} ms p95 {result['floor_p95_ms']:6.2f} | "
              f"ratio {result['ratio']:5.2f} ({'met' if result['ratio'] <= 3 else 'MISSED'}) "
              f"| {result['count']} matches, same page: {same}, "
              f"{result['profile']['queries']} queries "
              f"{result['profile']['sql_ms']:.1f} ms SQL", flush=True)


def signed_link_of(client, invoice) -> str:
    """The PDF link the invoice list gives this browser session for that invoice."""
    rows = client.get("/api/v1/invoices/", {"number": invoice.number}).json()["results"]
    link = next(row["pdf_url"] for row in rows if row["id"] == invoice.pk)
    if not link.startswith("/telechargement/"):
        raise SystemExit(f"the invoice list gave {link}, not a signed link")
    return link


def run_pdf(client, conn, user, account_id: int, args, report: dict) -> None:
    from django.test import override_settings

    from portal_api.billing.models import Invoice

    path_of = "/api/v1/invoices/{}/pdf/"
    invoice = (Invoice.objects.filter(client_account_id=account_id)
               .exclude(status="draft").order_by("-issue_date", "-sequence").first())
    if invoice is None or not endpoint_available(client, "/api/v1/invoices/"):
        print("invoice PDF: endpoint not there yet, skipped", flush=True)
        report["invoice pdf"] = {"missing": True}
        return
    url = path_of.format(invoice.pk)
    stored_before = invoice.pdf_id is not None
    t = time.perf_counter()
    first = client.get(url)
    first_body = b"".join(first.streaming_content) if first.streaming else first.content
    first_ms = (time.perf_counter() - t) * 1000
    if first.status_code != 200:
        raise SystemExit(f"{url} answered {first.status_code}")
    size = len(first_body)
    static_path = Path(tempfile.gettempdir()) / "atelier-bench-static.pdf"
    static_path.write_bytes(os.urandom(size))

    def get(path):
        def call():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            body = b"".join(response.streaming_content) if response.streaming \
                else response.content
            response.close()
            if len(body) != size:
                raise SystemExit(f"{path}: {len(body)} bytes, expected {size}")
        return call

    with override_settings(ROOT_URLCONF="bench.urls", BENCH_STATIC_FILE=str(static_path)):
        result = timed_pair(get(url), get("/__bench__/static-file/"), n=args.requests,
                            warmup=args.warmup)
        logged_in = timed_pair(get(url), get("/__bench__/static-file-logged-in/"),
                               n=args.requests, warmup=args.warmup)
        result["vs_static_file_logged_in"] = logged_in
        result["profile"] = profile_endpoint(client, url, {})
        # The signed link the list gives (/telechargement/<token>/): against the same bare
        # file view (the target), the login-checked one and the checked endpoint. A fresh
        # link for each series: each is valid DOWNLOAD_LINK_MAX_AGE seconds.
        signed = timed_pair(get(signed_link_of(client, invoice)),
                            get("/__bench__/static-file/"), n=args.requests, warmup=args.warmup)
        signed["vs_static_file_logged_in"] = timed_pair(
            get(signed_link_of(client, invoice)), get("/__bench__/static-file-logged-in/"),
            n=args.requests, warmup=args.warmup)
        signed["vs_checked_endpoint"] = timed_pair(
            get(signed_link_of(client, invoice)), get(url), n=args.requests, warmup=args.warmup)
        signed["profile"] = profile_endpoint(client, signed_link_of(client, invoice), {})
    result.update(invoice=invoice.number, bytes=size, first_download_ms=first_ms,
                  first_download_rendered=not stored_before)
    report["invoice pdf"] = result
    report["invoice pdf signed link"] = signed
    print(f"invoice PDF ({size} bytes) stored download median {result['endpoint_median_ms']:.2f}"
          f" ms p95 {result['endpoint_p95_ms']:.2f} | static file median "
          f"{result['floor_median_ms']:.2f} ms | ratio {result['ratio']:.2f} "
          f"({'met' if result['ratio'] <= 2 else 'MISSED'}) | same file behind a login "
          f"check: {logged_in['floor_median_ms']:.2f} ms (PDF {logged_in['endpoint_median_ms']:.2f}"
          f" ms, ratio {logged_in['ratio']:.2f}) | first download "
          f"{'(render + store) ' if not stored_before else '(already stored) '}"
          f"{first_ms:.0f} ms, {result['profile']['queries']} queries", flush=True)
    print(f"invoice PDF signed link median {signed['endpoint_median_ms']:.2f} ms p95 "
          f"{signed['endpoint_p95_ms']:.2f} | static file median {signed['floor_median_ms']:.2f}"
          f" ms | ratio {signed['ratio']:.2f} ({'met' if signed['ratio'] <= 2 else 'MISSED'}) | "
          f"login-checked file {signed['vs_static_file_logged_in']['floor_median_ms']:.2f} ms "
          f"(ratio {signed['vs_static_file_logged_in']['ratio']:.2f}) | checked endpoint "
          f"{signed['vs_checked_endpoint']['floor_median_ms']:.2f} ms (ratio "
          f"{signed['vs_checked_endpoint']['ratio']:.2f}) | {signed['profile']['queries']} "
          "queries", flush=True)
    run_invoice_list_signed(client, conn, user, account_id, invoice, args, report)


def run_invoice_list_signed(client, conn, user, account_id: int, stored, args,
                            report: dict) -> None:
    """The invoice list (page of 50, ?status=<--invoice-status>) when every invoice of the
    page has its stored PDF, as in production (rendered on issue), so that each row's link is
    signed: the generated data stores no PDFs. For the time of the measure, the page's
    invoices without a PDF get a Document row naming the one stored file (no file is
    written); the rows are removed afterwards. The floor joins the document and signs the
    same links."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from portal_api.billing.models import Invoice
    from portal_api.documents.models import Document, DocumentKind

    page = list(Invoice.objects.filter(client_account_id=account_id, status=args.invoice_status)
                .order_by("-issue_date", "-sequence").values_list("pk", "number", "pdf_id")
                [:PAGE_SIZE])
    missing = [(pk, number) for pk, number, pdf_id in page if pdf_id is None]
    pdf = Invoice.objects.select_related("pdf").get(pk=stored.pk).pdf  # stored by now
    with transaction.atomic():
        made = Document.objects.bulk_create([Document(
            title=f"Facture {number} (bench)", kind=DocumentKind.INVOICE, file=pdf.file.name,
            content_type="application/pdf", size=pdf.size, client_account_id=account_id,
            related_type=ContentType.objects.get_for_model(Invoice), related_id=pk,
        ) for pk, number in missing])
        for (pk, _number), document in zip(missing, made, strict=True):
            Invoice.objects.filter(pk=pk).update(pdf=document)
    try:
        path, params = "/api/v1/invoices/", {"status": args.invoice_status,
                                             "page_size": PAGE_SIZE}

        def endpoint():
            response = client.get(path, params)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            return response.content

        holder = link_holder_of(client, user)

        def floor():
            return floor_invoices(conn, account_id=account_id, status=args.invoice_status,
                                  holder=holder)

        body = json.loads(endpoint())
        signed_rows = sum(r["pdf_url"].startswith("/telechargement/") for r in body["results"])
        same = same_page(body, json.loads(floor()))
        result = timed_pair(endpoint, floor, n=args.requests, warmup=args.warmup)
        result.update(path=path, params=params, count=body["count"], rows=len(body["results"]),
                      signed_links=signed_rows, same_page_as_floor=same,
                      endpoint_bytes=len(endpoint()), floor_bytes=len(floor()),
                      profile=profile_endpoint(client, path, params))
    finally:
        with transaction.atomic():
            Invoice.objects.filter(pdf__in=made).update(pdf=None)
            Document.objects.filter(pk__in=[d.pk for d in made]).delete()
    report["invoice list, signed links"] = result
    print(f"invoice list, {signed_rows} signed links: endpoint median "
          f"{result['endpoint_median_ms']:.2f} ms p95 {result['endpoint_p95_ms']:.2f} | floor "
          f"median {result['floor_median_ms']:.2f} ms p95 {result['floor_p95_ms']:.2f} | ratio "
          f"{result['ratio']:.2f} ({'met' if result['ratio'] <= 3 else 'MISSED'}) | same page: "
          f"{same}, {result['profile']['queries']} queries", flush=True)


def _mb(value) -> str:
    return "not measured" if value is None else f"{value:.1f} MB"


def xlsx_export(client, *, path: str, params: dict) -> dict:
    """`?format=xlsx` as the widget asks it. Up to settings.EXPORT_SYNC_MAX_ROWS rows the
    file is the answer (200, streamed); above, the answer is 202 and an ExportJob, run by
    `export_run_task`: without a broker (no REDIS_URL) Celery runs it eagerly inside the
    request; with one, nothing consumes the queue here, so the worker's own code
    (`exports.services.export_run`) runs it in this process. Either way the timing and the
    memory cover the request plus the whole job (rows read, workbook written, file stored)."""
    from portal_api.exports.models import ExportJob, ExportStatus
    from portal_api.exports.services import export_run

    response = client.get(path, {**params, "format": "xlsx"})
    if response.status_code == 200:
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        response.close()
        return {"mode": "streamed answer", "bytes": size}
    if response.status_code != 202:
        raise SystemExit(f"{path}?format=xlsx answered {response.status_code}")
    job_id = response.json()["id"]
    ran_in_request = ExportJob.objects.get(pk=job_id).status == ExportStatus.DONE
    if not ran_in_request:
        export_run(job_id=job_id)
    job = ExportJob.objects.get(pk=job_id)
    if job.status != ExportStatus.DONE:
        raise SystemExit(f"export job {job_id} ended {job.status}: {job.error}")
    return {"mode": "background job " + ("(eager, inside the request)" if ran_in_request
                                         else "(worker code run in this process)"),
            "job": job_id}


def xlsx_rows_in(client, outcome: dict, *, path: str, params: dict) -> tuple[int, int]:
    """Read the exported file back (outside the timings): its data rows and size."""
    from openpyxl import load_workbook

    if "job" in outcome:
        response = client.get(f"/api/v1/exports/{outcome['job']}/download/")
    else:
        response = client.get(path, {**params, "format": "xlsx"})
    if response.status_code != 200:
        raise SystemExit(f"reading the export back answered {response.status_code}")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return sum(1 for _ in sheet.iter_rows(values_only=True)) - 1, len(data)


def run_xlsx_export(client, user, args, *, name: str, path: str, params: dict,
                    list_name: str) -> dict:
    """The export through its endpoint, then openpyxl alone writing the same rows (same
    columns, same queryset: exports.selectors.export_rows) from a Python list."""
    from openpyxl import Workbook

    from portal_api.common.export import escape_cell
    from portal_api.exports.selectors import export_rows

    rows = export_rows(user=user, list_name=list_name,
                       params={k: [str(v)] for k, v in params.items()})
    expected = rows.queryset.count()
    outcome: dict = {}

    def through_endpoint():
        outcome.update(xlsx_export(client, path=path, params=params))

    endpoint = measure_memory(through_endpoint, with_tracemalloc=args.tracemalloc)
    rows_in_file, size = xlsx_rows_in(client, outcome, path=path, params=params)
    endpoint.update(outcome, rows=rows_in_file, expected_rows=expected, bytes=size,
                    rows_per_second=rows_in_file / endpoint["seconds"])

    columns = rows.columns
    gc.collect()
    reset_ok = reset_peak_rss()
    rss_before = vm_kib("VmRSS")
    t = time.perf_counter()
    table = [[escape_cell(c.value(o)) for c in columns] for o in rows.queryset.iterator(2000)]
    build_s = time.perf_counter() - t
    build_growth = (vm_kib("VmHWM") - rss_before) / 1024 if reset_ok else None
    headers = [str(c.header) for c in columns]

    def from_list():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(rows.title[:31])
        sheet.append(headers)
        for row in table:
            sheet.append([float(v) if isinstance(v, decimal.Decimal) else v for v in row])
        with tempfile.TemporaryFile() as out:
            workbook.save(out)
            return out.tell()

    baseline = measure_memory(from_list, with_tracemalloc=args.tracemalloc)
    baseline.update(rows=len(table), rows_per_second=len(table) / baseline["seconds"],
                    list_build_seconds=build_s, list_build_rss_peak_growth_mb=build_growth)
    print(f"{name} through {path}?format=xlsx ({endpoint['mode']}): {rows_in_file} rows "
          f"(expected {expected}) in {endpoint['seconds']:.1f} s = "
          f"{endpoint['rows_per_second']:.0f} rows/s, peak RSS growth "
          f"{endpoint['rss_peak_growth_mb']:.1f} MB, tracemalloc peak "
          f"{_mb(endpoint['tracemalloc_peak_mb'])} "
          f"({'met' if endpoint['rss_peak_growth_mb'] < 150 else 'MISSED'})", flush=True)
    print(f"{name}, openpyxl from a list: {baseline['rows']} rows in "
          f"{baseline['seconds']:.1f} s = {baseline['rows_per_second']:.0f} rows/s (building "
          f"the list: {build_s:.1f} s, {_mb(build_growth)} peak RSS growth), peak RSS growth "
          f"{baseline['rss_peak_growth_mb']:.1f} MB, tracemalloc peak "
          f"{_mb(baseline['tracemalloc_peak_mb'])}", flush=True)
    return {"endpoint": endpoint, "openpyxl_from_list": baseline}


def run_export(client, user, account_id: int, args, report: dict) -> None:
    report["xlsx export"] = run_xlsx_export(
        client, user, args, name="orders export", path="/api/v1/orders/", params={},
        list_name="commandes")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--search", default="vanne")
    parser.add_argument("--order-status", default="delivered")
    parser.add_argument("--invoice-status", default="paid")
    parser.add_argument("--only", default="lists,pdf,export,service,service-export",
                        help="groups: lists, pdf, export (issue 4); service (the intervention "
                             "lists), service-export (issue 5)")
    parser.add_argument("--tech-status", default="planned,in_progress,done",
                        help="the technician's list: ?scope=mine&status=<this>")
    parser.add_argument("--client-email", default=BENCH_USER_EMAIL,
                        help="the client of the intervention list by period and its export")
    parser.add_argument("--client-period-days", type=int, default=182,
                        help="the client's list: ?date_from=<today - this>&date_to=<today>")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also run each export under tracemalloc (several times slower)")
    parser.add_argument("--variant", choices=["user-with-profile"], default=None,
                        help="measure a candidate change: user-with-profile = the session's "
                             "user loaded with his profiles in one query (bench/backends.py)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("PRIVATE_STORAGE_ROOT",
                          str(Path(tempfile.gettempdir()) / "atelier-bench-private"))
    import django

    django.setup()
    import psycopg
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from portal_api.accounts.models import User

    if connection.vendor != "postgresql":
        sys.exit("bench/run.py needs the PostgreSQL database of bench/generate.py")
    override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False).enable()
    user = User.objects.select_related("portal_profile").get(email=BENCH_USER_EMAIL)
    account_id = user.portal_profile.client_account_id
    backend = None
    if args.variant == "user-with-profile":
        backend = "bench.backends.UserWithProfileBackend"
        override_settings(AUTHENTICATION_BACKENDS=[*settings.AUTHENTICATION_BACKENDS,
                                                   backend]).enable()

    def client_for(someone):
        logged_in = Client()
        logged_in.force_login(someone, backend=backend)
        return logged_in

    client = client_for(user)
    db = settings.DATABASES["default"]
    conn = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"],
                           password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True,
                           prepare_threshold=None)  # as Django: a plan for the actual values

    report: dict = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
                    "load_average_at_start": os.getloadavg(),
                    "database": db["NAME"], "requests": args.requests, "warmup": args.warmup,
                    "cpus": os.cpu_count(), "session_engine": settings.SESSION_ENGINE,
                    "redis": bool(settings.REDIS_URL), "variant": args.variant}
    print(f"sessions: {settings.SESSION_ENGINE.rsplit('.', 1)[-1]}"
          f"{' (Redis)' if settings.REDIS_URL else ''}; variant: {args.variant or 'none'}; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    only = set(args.only.split(","))
    started = time.perf_counter()
    if "lists" in only:
        run_lists(client, conn, user, account_id, args, report)
    if "pdf" in only:
        run_pdf(client, conn, user, account_id, args, report)
    if "export" in only:
        run_export(client, user, account_id, args, report)
    if "service" in only or "service-export" in only:
        from bench.service import run_service

        run_service(client_for=client_for, conn=conn, args=args, report=report,
                    lists="service" in only, export="service-export" in only)
    conn.close()
    report["load_average_at_end"] = os.getloadavg()
    print(f"load average at start {report['load_average_at_start']}, at end "
          f"{report['load_average_at_end']} ({os.cpu_count()} CPUs)")
    RESULTS.write_text(json.dumps(report, indent=2, default=str))
    print(f"done in {time.perf_counter() - started:.0f} s; details in {RESULTS}")


if __name__ == "__main__":
    main()
