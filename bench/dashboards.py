"""The dashboards' benchmark (issue 6, "Speed and scale"), on the database bench/generate.py
filled.

    DJANGO_SETTINGS_MODULE=config.settings.dev \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench \\
        .venv/bin/python bench/dashboards.py [--requests 200] [--warmup 20]

Same conventions as bench/run.py: each dashboard goes through Django's full stack in this
process (django.test.Client with force_login: sessions, middleware, auth, DRF, JSON); its floor
is the same indicators computed by hand-written SQL on a separate psycopg 3 connection (one
statement per group of tiles, as the selectors do, the same time-zone arithmetic) and turned
into the same JSON with json.dumps. Endpoint and floor alternate after a warm-up, each timed
with perf_counter around the whole call; the ratio is the endpoint's median over the floor's.
Before timing, the figures of both are compared tile by tile.

Scenarios: the client dashboard of bench.user@bench.example (BENCH-0001, every right, so
every tile: 50,000 orders, 25,000 invoices, 50,000 interventions, 2,000 equipment), and
LivePilot for bench.tech@bench.example (sees only his own interventions) and
bench.tech.all@bench.example (sees all; LivePilot still shows his own).
"""

from __future__ import annotations

import argparse
import datetime
import decimal
import json
import os
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import profile_endpoint, timed_pair  # noqa: E402

BENCH_USER_EMAIL = "bench.user@bench.example"
BENCH_TECH_EMAIL = "bench.tech@bench.example"
BENCH_TECH_ALL_EMAIL = "bench.tech.all@bench.example"
RESULTS = Path(tempfile.gettempdir()) / "atelier-bench-dashboards.json"
TARGET_RATIO = 2.0
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CENT = decimal.Decimal("0.01")
ZERO = decimal.Decimal("0.00")

ORDER_STATUS = {"draft": "En préparation", "submitted": "Passée", "confirmed": "Confirmée",
                "delivered": "Livrée", "invoiced": "Facturée", "cancelled": "Annulée"}
INVOICE_STATUS = {"draft": "Brouillon", "issued": "Émise", "paid": "Payée",
                  "overdue": "En retard"}
TICKET_STATUS = {"received": "Reçue", "in_progress": "En cours",
                 "planned": "Intervention planifiée", "done": "Réalisée", "closed": "Clôturée"}
INTERVENTION_STATUS = {"to_plan": "À planifier", "planned": "Planifiée",
                       "in_progress": "En cours", "done": "Réalisée", "closed": "Clôturée",
                       "cancelled": "Annulée"}
DOCUMENT_KIND = {"contract": "Contrat", "order": "Commande", "invoice": "Facture",
                 "intervention_report": "Bon d'intervention", "attachment": "Pièce jointe",
                 "other": "Autre"}
# The bench user has every right: invoices, orders and interventions are in the feed, so their
# PDFs are not repeated as documents.
FEED_DOCUMENT_KINDS = ("contract", "attachment", "other")
DONE = ("done", "closed")


# --------------------------------------------------------------------------- time


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


class Moment:
    """Today, this week, this month and the charts' 12 months, in Paris."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.today = now.astimezone(PARIS).date()
        self.month = self.today.replace(day=1)
        self.months = [add_months(self.month, i - 11) for i in range(12)]
        self.p0, self.p1 = midnight(self.months[0]), midnight(add_months(self.month, 1))
        self.week_first = self.today - datetime.timedelta(days=self.today.weekday())
        self.w0 = midnight(self.week_first)
        self.w1 = midnight(self.week_first + datetime.timedelta(days=7))
        self.d0 = midnight(self.today)
        self.d1 = midnight(self.today + datetime.timedelta(days=1))


def money(value) -> str:
    return str((value or ZERO).quantize(CENT))


def monthly(rows, months, width: int) -> list[list]:
    by = {r[0]: r[1:] for r in rows}
    return [[(by[m][i] if m in by else 0) for m in months] for i in range(width)]


DONE_SQL = ("status IN ('done', 'closed') AND ((end_at >= %(p0)s AND end_at < %(p1)s) "
            "OR (end_at IS NULL AND planned_start >= %(p0)s AND planned_start < %(p1)s))")


def item(row, link: str, technician: bool) -> dict:
    (pk, number, start, end, status, description, client, site, city, brand, model, label,
     serial) = row
    name = " ".join(p for p in (brand, model) if p) or label
    return {"id": pk, "title": number, "at": start.isoformat() if start else None,
            "end": end.isoformat() if end else None, "status": status,
            "status_label": INTERVENTION_STATUS[status], "client": client, "site": site or "",
            "city": city or "", "equipment": f"{name} – {serial}" if serial else "",
            "text": description, "link": link.format(id=pk)}


ITEM_SQL = (
    "SELECT i.id, i.number, i.planned_start, i.planned_end, i.status, i.description, c.name, "
    "s.name, s.city, e.brand, e.model, e.label, e.serial_number FROM service_intervention i "
    "JOIN accounts_clientaccount c ON c.id = i.client_account_id "
    "JOIN accounts_site s ON s.id = i.site_id "
    "LEFT JOIN service_equipment e ON e.id = i.equipment_id ")


# --------------------------------------------------------------------------- floors


def floor_client(conn, *, account_id: int, user_id: int) -> bytes:
    m = Moment(datetime.datetime.now(datetime.UTC))
    p = {"a": account_id, "u": user_id, "today": m.today, "d0": m.d0, "now": m.now,
         "p0": m.p0, "p1": m.p1, "m0": midnight(m.month),
         "m1": midnight(add_months(m.month, 1)),
         "y0": datetime.date(m.today.year, 1, 1), "y1": datetime.date(m.today.year + 1, 1, 1),
         "w60": m.today + datetime.timedelta(days=60),
         "c90": m.today + datetime.timedelta(days=90),
         "first": m.months[0], "after": add_months(m.month, 1),
         "kinds": list(FEED_DOCUMENT_KINDS)}
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FILTER (WHERE status = 'draft'), "
            "count(*) FILTER (WHERE status IN ('submitted', 'confirmed')), "
            "coalesce(sum(total_incl_tax) FILTER (WHERE status IN ('submitted', 'confirmed')), 0) "
            "FROM orders_order WHERE client_account_id = %(a)s "
            "AND status IN ('draft', 'submitted', 'confirmed')", p)
        drafts, placed, placed_amount = cur.fetchone()
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE urgent) FROM service_ticket "
            "WHERE client_account_id = %(a)s AND status IN ('received', 'in_progress', 'planned')",
            p)
        open_requests, urgent = cur.fetchone()
        cur.execute(ITEM_SQL + "WHERE i.client_account_id = %(a)s AND i.status IN "
                    "('planned', 'in_progress') AND i.planned_start >= %(d0)s "
                    "ORDER BY i.planned_start, i.id LIMIT 3", p)
        upcoming = cur.fetchall()
        cur.execute(
            "SELECT count(*) FROM service_intervention WHERE client_account_id = %(a)s AND "
            + DONE_SQL.replace("p0", "m0").replace("p1", "m1"), p)
        done_month = cur.fetchone()[0]
        cur.execute(
            "SELECT count(*) FILTER (WHERE status IN ('issued', 'overdue')), "
            "coalesce(sum(total_incl_tax) FILTER (WHERE status IN ('issued', 'overdue')), 0), "
            "count(*) FILTER (WHERE status = 'overdue' OR (status = 'issued' "
            "AND due_date < %(today)s)), "
            "coalesce(sum(total_incl_tax) FILTER (WHERE status = 'overdue' OR "
            "(status = 'issued' AND due_date < %(today)s)), 0), "
            "count(*) FILTER (WHERE status = 'paid' AND paid_at >= %(y0)s AND paid_at < %(y1)s), "
            "coalesce(sum(total_incl_tax) FILTER (WHERE status = 'paid' AND paid_at >= %(y0)s "
            "AND paid_at < %(y1)s), 0) "
            "FROM billing_invoice WHERE client_account_id = %(a)s AND status <> 'draft'", p)
        due_count, due, overdue_count, overdue, paid_count, paid = cur.fetchone()
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE warranty_end >= %(today)s AND "
            "warranty_end <= %(w60)s), min(warranty_end) FILTER (WHERE warranty_end >= "
            "%(today)s AND warranty_end <= %(w60)s) FROM service_equipment "
            "WHERE client_account_id = %(a)s AND active", p)
        equipment, warranties, next_warranty = cur.fetchone()
        cur.execute(
            "SELECT count(*), min(end_date) FROM billing_contract WHERE client_account_id = %(a)s "
            "AND active AND end_date >= %(today)s AND end_date <= %(c90)s", p)
        contracts, next_contract = cur.fetchone()
        cur.execute(
            "SELECT date_trunc('month', issue_date)::date, sum(total_excl_tax) "
            "FROM billing_invoice WHERE client_account_id = %(a)s AND status <> 'draft' "
            "AND issue_date >= %(first)s AND issue_date < %(after)s GROUP BY 1", p)
        spend = monthly(cur.fetchall(), m.months, 1)[0]
        cur.execute(
            "SELECT (date_trunc('month', coalesce(end_at, planned_start) "
            "AT TIME ZONE 'Europe/Paris'))::date, count(*) FILTER (WHERE contract_id IS NOT NULL), "
            "count(*) FILTER (WHERE contract_id IS NULL) FROM service_intervention "
            f"WHERE client_account_id = %(a)s AND {DONE_SQL} GROUP BY 1", p)
        under_contract, billed = monthly(cur.fetchall(), m.months, 2)
        feed = []
        cur.execute(
            "SELECT id, title, kind, created_at FROM documents_document "
            "WHERE client_account_id = %(a)s AND (owner_id IS NULL OR owner_id = %(u)s) "
            "AND kind = ANY(%(kinds)s) ORDER BY created_at DESC, id DESC LIMIT 8", p)
        feed += [{"kind": "document", "at": at, "date_only": False, "title": title,
                  "text": DOCUMENT_KIND[kind], "link": "/espace-client/documents/",
                  "download": f"/api/v1/documents/{pk}/download/"}
                 for pk, title, kind, at in cur.fetchall()]
        cur.execute(
            "SELECT e.created_at, e.status, t.number, t.urgent FROM service_ticketevent e "
            "JOIN service_ticket t ON t.id = e.ticket_id WHERE t.client_account_id = %(a)s "
            "ORDER BY e.created_at DESC, e.id DESC LIMIT 8", p)
        feed += [{"kind": "ticket", "at": at, "date_only": False, "title": f"Demande {number}",
                  "text": TICKET_STATUS[status], "urgent": urgent_,
                  "link": "/espace-client/demandes/"}
                 for at, status, number, urgent_ in cur.fetchall()]
        cur.execute(
            "SELECT id, number, status, submitted_at, confirmed_at, delivered_at, cancelled_at "
            "FROM orders_order WHERE client_account_id = %(a)s AND submitted_at IS NOT NULL "
            "ORDER BY submitted_at DESC, id DESC LIMIT 8", p)
        feed += [{"kind": "order", "at": max(t for t in r[3:] if t is not None),
                  "date_only": False, "title": f"Commande {r[1]}", "text": ORDER_STATUS[r[2]],
                  "link": f"/espace-client/commandes/commande/?order={r[0]}"}
                 for r in cur.fetchall()]
        cur.execute(
            "SELECT number, status, issue_date, paid_at FROM billing_invoice "
            "WHERE client_account_id = %(a)s AND status <> 'draft' "
            "ORDER BY issue_date DESC, sequence DESC LIMIT 8", p)
        feed += [{"kind": "invoice", "date_only": True,
                  "at": midnight(paid_at if status == "paid" and paid_at else issue_date),
                  "title": f"Facture {number}", "text": INVOICE_STATUS[status],
                  "link": "/espace-client/factures/"}
                 for number, status, issue_date, paid_at in cur.fetchall()]
        cur.execute(
            "SELECT number, status, planned_start, end_at, signed_at FROM service_intervention "
            "WHERE client_account_id = %(a)s AND status IN ('done', 'closed') AND "
            "planned_start <= %(now)s ORDER BY planned_start DESC, id DESC LIMIT 8", p)
        feed += [{"kind": "intervention", "date_only": False,
                  "at": signed or end or start, "title": f"Intervention {number}",
                  "text": INTERVENTION_STATUS[status], "link": "/espace-client/interventions/"}
                 for number, status, start, end, signed in cur.fetchall()]
    feed.sort(key=lambda i: i["at"], reverse=True)
    feed = feed[:8]
    for entry in feed:
        entry["at"] = entry["at"].isoformat()
    labels = [d.isoformat()[:7] for d in m.months]
    links = {"orders": "/espace-client/commandes/", "requests": "/espace-client/demandes/",
             "interventions": "/espace-client/interventions/",
             "invoices": "/espace-client/factures/", "equipment": "/espace-client/equipements/",
             "documents": "/espace-client/documents/"}

    def number(name, label, value, unit, link, details=(), **extra):
        return {"name": name, "label": label, "kind": "number", "value": value, "unit": unit,
                "link": link, "details": list(details), **extra}

    def detail(key, label, unit, value, **extra):
        return {"key": key, "label": label, "unit": unit, "value": value, **extra}

    tiles = [
        number("orders_drafts", "Commandes en préparation", drafts, "count", links["orders"]),
        number("orders_in_progress", "Commandes en cours", placed, "count", links["orders"],
               [detail("amount", "Montant TTC", "money", money(placed_amount))]),
        number("requests_open", "Demandes en cours", open_requests, "count", links["requests"],
               [detail("urgent", "dont urgentes", "count", urgent,
                       tone="err" if urgent else None)]),
        number("interventions_done_month", "Interventions réalisées ce mois-ci", done_month,
               "count", links["interventions"]),
        number("invoices_due", "Reste à payer", money(due), "money", links["invoices"],
               [detail("count", "factures", "count", due_count)]),
        number("invoices_overdue", "Factures en retard", overdue_count, "count",
               links["invoices"], [detail("amount", "Montant TTC", "money", money(overdue))],
               tone="err" if overdue_count else "ok"),
        number("invoices_paid_year", "Payé cette année", money(paid), "money",
               links["invoices"], [detail("count", "factures", "count", paid_count)],
               year=m.today.year),
        number("equipment_count", "Équipements", equipment, "count", links["equipment"]),
        number("warranties_ending", "Garanties finissant sous 60 jours", warranties, "count",
               links["equipment"], [detail("next", "la première le", "date",
                                           next_warranty.isoformat())] if next_warranty else [],
               tone="warn" if warranties else None),
        number("contracts_ending", "Contrats finissant sous 90 jours", contracts, "count",
               links["documents"], [detail("next", "le premier le", "date",
                                           next_contract.isoformat())] if next_contract else [],
               tone="warn" if contracts else None),
        {"name": "interventions_next", "label": "Prochaines interventions", "kind": "list",
         "items": [item(r, links["interventions"], False) for r in upcoming],
         "link": links["interventions"], "empty": "Aucune intervention planifiée."},
        {"name": "spend_chart", "label": "Dépenses par mois (HT)", "kind": "chart",
         "chart": "bar", "unit": "money", "link": links["invoices"], "labels": labels,
         "series": [{"key": "total", "label": "Montant HT facturé",
                     "values": [float((v or ZERO).quantize(CENT)) for v in spend]}]},
        {"name": "interventions_chart", "label": "Interventions par mois", "kind": "chart",
         "chart": "stacked-bar", "unit": "count", "link": links["interventions"],
         "labels": labels,
         "series": [{"key": "under_contract", "label": "Sous contrat", "values": under_contract},
                    {"key": "billed", "label": "Facturées à l'unité", "values": billed}]},
        {"name": "feed", "label": "Activité récente", "kind": "feed", "items": feed,
         "empty": "Rien de nouveau pour le moment."},
    ]
    return json.dumps(_envelope("client", tiles, m), default=str).encode()


def floor_technician(conn, *, user_id: int) -> bytes:
    m = Moment(datetime.datetime.now(datetime.UTC))
    p = {"u": user_id, "d0": m.d0, "d1": m.d1, "w0": m.w0, "w1": m.w1, "p0": m.p0, "p1": m.p1,
         "wf": m.week_first, "wl": m.week_first + datetime.timedelta(days=6),
         "mf": m.month, "ml": add_months(m.month, 1)}
    done = DONE_SQL
    timed = f"{done} AND arrival_at IS NOT NULL AND end_at IS NOT NULL"
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FILTER (WHERE planned_start >= %(d0)s AND planned_start < %(d1)s), "
            "count(*) FILTER (WHERE planned_start >= %(w0)s AND planned_start < %(w1)s), "
            "count(*) FILTER (WHERE signed_at IS NULL AND arrival_at IS NOT NULL "
            "AND status IN ('planned', 'in_progress')), "
            f"count(*) FILTER (WHERE {done}), count(*) FILTER (WHERE {timed}), "
            f"avg(end_at - arrival_at) FILTER (WHERE {timed}), "
            f"count(*) FILTER (WHERE {done} AND equipment_id IS NOT NULL "
            "AND previous_visit >= visit - interval '30 days') "
            "FROM (SELECT i.planned_start, i.signed_at, i.arrival_at, i.end_at, i.status, "
            "i.equipment_id, coalesce(i.arrival_at, i.planned_start) AS visit, "
            "lag(coalesce(i.arrival_at, i.planned_start)) OVER (PARTITION BY i.equipment_id "
            "ORDER BY coalesce(i.arrival_at, i.planned_start)) AS previous_visit "
            "FROM service_intervention i JOIN service_intervention_technicians it "
            "ON it.intervention_id = i.id WHERE it.user_id = %(u)s "
            "AND i.status <> 'cancelled') v", p)
        today, week, to_sign, done_n, timed_n, on_site, repeat = cur.fetchone()
        cur.execute(ITEM_SQL + "JOIN service_intervention_technicians it "
                    "ON it.intervention_id = i.id WHERE it.user_id = %(u)s "
                    "AND i.status <> 'cancelled' AND i.planned_start >= %(w0)s "
                    "AND i.planned_start < %(w1)s ORDER BY i.planned_start, i.id LIMIT 50", p)
        week_rows = cur.fetchall()
        cur.execute(
            "SELECT (date_trunc('month', coalesce(end_at, planned_start) "
            "AT TIME ZONE 'Europe/Paris'))::date, count(*) FROM service_intervention i "
            "JOIN service_intervention_technicians it ON it.intervention_id = i.id "
            f"WHERE it.user_id = %(u)s AND {done} GROUP BY 1", p)
        per_month = monthly(cur.fetchall(), m.months, 1)[0]
        cur.execute(
            "SELECT coalesce(sum(hours), 0), coalesce(sum(hours) FILTER (WHERE kind = 'work'), 0), "
            "coalesce(sum(hours) FILTER (WHERE kind = 'travel'), 0) FROM service_timeentry "
            "WHERE technician_id = %(u)s AND date >= %(wf)s AND date <= %(wl)s", p)
        hours, work, travel = cur.fetchone()
        cur.execute(
            "SELECT count(*), coalesce(sum(amount), 0) FROM service_expense "
            "WHERE technician_id = %(u)s AND date >= %(mf)s AND date < %(ml)s", p)
        expenses_n, expenses = cur.fetchone()
    sheet = "/intranet/interventions/fiche/?intervention={id}"
    items = [item(r, sheet, True) for r in week_rows]
    today_items = [i for r, i in zip(week_rows, items, strict=True) if m.d0 <= r[2] < m.d1]
    minutes = round(on_site.total_seconds() / 60) if on_site is not None else None
    link = "/intranet/interventions/"
    tiles = [
        {"name": "today", "label": "Aujourd'hui", "kind": "list", "count": today, "link": link,
         "items": today_items, "empty": "Aucune intervention aujourd'hui."},
        {"name": "week", "label": "Cette semaine", "kind": "list", "count": week, "link": link,
         "from": p["wf"].isoformat(), "to": p["wl"].isoformat(), "items": items,
         "empty": "Aucune intervention cette semaine."},
        {"name": "to_sign", "label": "Fiches à faire signer", "kind": "number", "value": to_sign,
         "unit": "count", "link": link, "tone": "warn" if to_sign else "ok"},
        {"name": "hours_week", "label": "Heures saisies cette semaine", "kind": "number",
         "value": money(hours), "unit": "hours", "details": [
             {"key": "work", "label": "sur site", "unit": "hours", "value": money(work)},
             {"key": "travel", "label": "déplacement", "unit": "hours", "value": money(travel)}]},
        {"name": "expenses_month", "label": "Frais du mois", "kind": "number",
         "value": money(expenses), "unit": "money", "details": [
             {"key": "count", "label": "notes de frais", "unit": "count", "value": expenses_n}]},
        {"name": "time_on_site", "label": "Temps moyen sur site", "kind": "number",
         "value": minutes, "unit": "minutes", "details": [
             {"key": "count", "label": "interventions chronométrées", "unit": "count",
              "value": timed_n}]},
        {"name": "repeat_visits", "label": "Retours sous 30 jours", "kind": "number",
         "value": repeat, "unit": "count", "tone": "warn" if repeat else "ok", "details": [
             {"key": "done", "label": "interventions réalisées", "unit": "count",
              "value": done_n},
             {"key": "rate", "label": "taux", "unit": "percent",
              "value": round(100 * repeat / done_n, 1) if done_n else 0}]},
        {"name": "done_chart", "label": "Interventions réalisées par mois", "kind": "chart",
         "chart": "bar", "unit": "count", "link": link,
         "labels": [d.isoformat()[:7] for d in m.months],
         "series": [{"key": "done", "label": "Interventions réalisées", "values": per_month}]},
    ]
    return json.dumps(_envelope("technician", tiles, m), default=str).encode()


def _envelope(area: str, tiles: list[dict], m: Moment) -> dict:
    return {"area": area, "tiles": tiles,
            "available": [{"name": t["name"], "label": t["label"], "kind": t["kind"]}
                          for t in tiles],
            "defaults": [t["name"] for t in tiles],
            "period": {"from": m.months[0].isoformat()[:7], "to": m.month.isoformat()[:7]},
            "today": m.today.isoformat()}


# --------------------------------------------------------------------------- comparing


def figures(body: dict) -> dict:
    """What a tile shows, without its labels: value, details, series, items."""
    out = {}
    for tile in body["tiles"]:
        out[tile["name"]] = (
            tile.get("value"), tile.get("count"),
            [(d["key"], d["value"]) for d in tile.get("details", [])],
            [s["values"] for s in tile.get("series", [])],
            [(i.get("id"), i.get("title"), i.get("at")) for i in tile.get("items", [])],
        )
    return out


def differences(endpoint: dict, floor: dict) -> list[str]:
    a, b = figures(endpoint), figures(floor)
    names = list(dict.fromkeys([*a, *b]))
    return [f"{n}: endpoint {a.get(n)} / floor {b.get(n)}" for n in names if a.get(n) != b.get(n)]


# --------------------------------------------------------------------------- running


def run(client, name: str, area: str, floor, args, report: dict) -> None:
    path, params = "/api/v1/dashboard/", {"area": area}

    def endpoint():
        response = client.get(path, params)
        if response.status_code != 200:
            raise SystemExit(f"{path}?area={area} answered {response.status_code}")
        return response.content

    diff = differences(json.loads(endpoint()), json.loads(floor()))
    for line in diff:
        print(f"  DIFFERENT {line}", flush=True)
    result = timed_pair(endpoint, floor, n=args.requests, warmup=args.warmup)
    result.update(path=path, params=params, same_figures_as_floor=not diff, differences=diff,
                  endpoint_bytes=len(endpoint()), floor_bytes=len(floor()),
                  profile=profile_endpoint(client, path, params))
    report[name] = result
    print(f"{name:<22} endpoint median {result['endpoint_median_ms']:7.2f} ms "
          f"p95 {result['endpoint_p95_ms']:7.2f} | floor median "
          f"{result['floor_median_ms']:6.2f} ms p95 {result['floor_p95_ms']:6.2f} | "
          f"ratio {result['ratio']:5.2f} "
          f"({'met' if result['ratio'] <= TARGET_RATIO else 'MISSED'}) | same figures: "
          f"{not diff} | {result['profile']['queries']} queries "
          f"{result['profile']['sql_ms']:.1f} ms SQL", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--only", default="client,technician,technician_all")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    import psycopg
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from portal_api.accounts.models import User

    if connection.vendor != "postgresql":
        sys.exit("bench/dashboards.py needs the PostgreSQL database of bench/generate.py")
    override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False).enable()
    db = settings.DATABASES["default"]
    conn = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"],
                           password=db["PASSWORD"] or None, dbname=db["NAME"], autocommit=True,
                           prepare_threshold=None)
    report: dict = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
                    "load_average_at_start": os.getloadavg(), "database": db["NAME"],
                    "requests": args.requests, "warmup": args.warmup, "cpus": os.cpu_count(),
                    "session_engine": settings.SESSION_ENGINE}
    only = set(args.only.split(","))
    started = time.perf_counter()
    scenarios = [
        ("client", BENCH_USER_EMAIL, "client"),
        ("technician", BENCH_TECH_EMAIL, "technician"),
        ("technician_all", BENCH_TECH_ALL_EMAIL, "technician"),
    ]
    for key, email, area in scenarios:
        if key not in only:
            continue
        user = User.objects.select_related("portal_profile").filter(email=email).first()
        if user is None:
            print(f"{key}: no {email} in this database (run bench/generate.py), skipped")
            continue
        client = Client()
        client.force_login(user)
        if area == "client":
            account_id = user.portal_profile.client_account_id

            def floor(account_id=account_id, user_id=user.pk):
                return floor_client(conn, account_id=account_id, user_id=user_id)
            name = "client dashboard"
        else:
            def floor(user_id=user.pk):
                return floor_technician(conn, user_id=user_id)
            name = "LivePilot" + (" (sees all)" if key == "technician_all" else "")
        run(client, name, area, floor, args, report)
    conn.close()
    report["load_average_at_end"] = os.getloadavg()
    print(f"load average at start {report['load_average_at_start']}, at end "
          f"{report['load_average_at_end']} ({os.cpu_count()} CPUs)")
    RESULTS.write_text(json.dumps(report, indent=2, default=str))
    print(f"done in {time.perf_counter() - started:.0f} s; details in {RESULTS}")


if __name__ == "__main__":
    main()
