"""The service benchmarks of issue 5 (`bench/run.py --only service`), on the data of
bench/generate.py:

- the technician's filtered list: GET /api/v1/interventions/ as bench.tech@bench.example (a
  technician limited to his own interventions, as the intranet widget asks it: scope=mine,
  plus a status filter), in the technicians' agenda order (today's first, then the coming
  ones, then the past);
- the client's list by period: GET /api/v1/interventions/?date_from=&date_to= as
  bench.user@bench.example (the big account: 50,000 interventions), most recent first;

each a page of 50, timed alternately with its floor: the same page built by hand (one SQL
query with the joins and the technicians aggregated per row, plus the count), the same JSON
through json.dumps, on a separate psycopg connection. Before timing, the floor's ids, order,
count and whole JSON are compared with the endpoint's.

- the .xlsx export of the big account's 50,000 interventions through ?format=xlsx (run as the
  orders' export: bench/run.py run_xlsx_export), next to openpyxl alone writing the same rows
  from a list.
"""

from __future__ import annotations

import datetime
import json
import zoneinfo

from bench.run import (
    PAGE_SIZE,
    _json_default,
    profile_endpoint,
    run_xlsx_export,
    timed_pair,
)

BENCH_TECH_EMAIL = "bench.tech@bench.example"
STATUS_LABELS = {"to_plan": "À planifier", "planned": "Planifiée", "in_progress": "En cours",
                 "done": "Réalisée", "closed": "Clôturée", "cancelled": "Annulée"}
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

# The columns of one intervention in the list, and what its JSON needs of the related rows.
_SELECT = """
SELECT i.id, i.number, i.status, i.client_account_id, c.name,
       s.id, s.name, s.address, s.postal_code, s.city,
       e.id, e.serial_number, e.label, e.brand, e.model,
       k.id, k.number, i.under_warranty, i.planned_start, i.planned_end, i.arrival_at,
       i.end_at, i.description, i.signed_at, i.report_id,
       (SELECT coalesce(json_agg(json_build_array(u.id, u.first_name, u.last_name, u.email)
                                 ORDER BY u.last_name, u.first_name, u.id), '[]')
          FROM service_intervention_technicians t JOIN accounts_user u ON u.id = t.user_id
         WHERE t.intervention_id = i.id)
  FROM service_intervention i
  JOIN accounts_clientaccount c ON c.id = i.client_account_id
  JOIN accounts_site s ON s.id = i.site_id
  LEFT JOIN service_equipment e ON e.id = i.equipment_id
  LEFT JOIN billing_contract k ON k.id = i.contract_id
"""
_MINE = ("EXISTS (SELECT 1 FROM service_intervention_technicians t "
         "WHERE t.intervention_id = i.id AND t.user_id = %(user)s)")
_LOCAL_DAY = "(i.planned_start AT TIME ZONE 'Europe/Paris')::date"


def _iso(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    text = value.astimezone(PARIS).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _name(first: str, last: str, email: str) -> str:
    return f"{first} {last}".strip() or email


def _page_json(rows, count: int, *, can_edit: bool) -> bytes:
    """The endpoint's JSON for these rows (InterventionSerializer's keys and values)."""
    results = []
    for (pk, number, status, client_id, client_name, site_id, site_name, address, postal,
         city, eq_id, serial, label, brand, model, contract_id, contract_number, warranty,
         planned_start, planned_end, arrival, end, description, signed, report_id,
         people) in rows:
        unlocked = signed is None
        results.append({
            "id": pk, "number": number, "status": status,
            "status_label": STATUS_LABELS[status],
            "client": {"id": client_id, "name": client_name},
            "site": {"id": site_id, "name": site_name, "address": ", ".join(
                p for p in (address, f"{postal} {city}".strip()) if p)},
            "equipment": None if eq_id is None else {
                "id": eq_id, "serial_number": serial,
                "label": label or " ".join(p for p in (brand, model) if p)},
            "contract": None if contract_id is None else {"id": contract_id,
                                                          "number": contract_number},
            "under_contract": contract_id is not None, "under_warranty": warranty,
            "planned_start": _iso(planned_start), "planned_end": _iso(planned_end),
            "arrival_at": _iso(arrival), "end_at": _iso(end),
            "technicians": [{"id": u, "name": _name(f, la, m)} for u, f, la, m in people],
            "description": description, "signed_at": _iso(signed),
            "report_url": (f"/api/v1/interventions/{pk}/report/"
                           if signed is not None or report_id is not None else None),
            "can": {"edit": unlocked and can_edit, "sign": unlocked and can_edit},
        })
    return json.dumps({"count": count, "next": None, "previous": None, "results": results},
                      default=_json_default).encode()


def floor_technician(conn, *, user_id: int, statuses: list[str]) -> bytes:
    """A limited technician's interventions in these statuses, agenda order: today's first
    (in time order), then the coming ones (soonest first, unplanned last), then the past
    (most recent first)."""
    where = f"{_MINE} AND i.status = ANY(%(statuses)s)"
    params = {"user": user_id, "statuses": statuses,
              "today": datetime.datetime.now(PARIS).date(),
              "now": datetime.datetime.now(datetime.UTC)}
    bucket = (f"CASE WHEN {_LOCAL_DAY} = %(today)s THEN 0 "
              "WHEN i.planned_start > %(now)s OR i.planned_start IS NULL THEN 1 ELSE 2 END")
    with conn.cursor() as cur:
        cur.execute(
            f"{_SELECT} WHERE {where} ORDER BY {bucket}, "
            f"CASE WHEN {bucket} < 2 THEN i.planned_start END ASC NULLS LAST, "
            f"i.planned_start DESC NULLS LAST, i.id DESC LIMIT {PAGE_SIZE}", params)
        rows = cur.fetchall()
        cur.execute(f"SELECT count(*) FROM service_intervention i WHERE {where}", params)
        count = cur.fetchone()[0]
    # He is assigned to every one of them: he may edit and sign the unsigned ones.
    return _page_json(rows, count, can_edit=True)


def floor_client(conn, *, account_id: int, date_from: datetime.date,
                 date_to: datetime.date) -> bytes:
    """A company's interventions planned within the period, most recent first."""
    where = (f"i.client_account_id = %(account)s AND {_LOCAL_DAY} >= %(date_from)s "
             f"AND {_LOCAL_DAY} <= %(date_to)s")
    params = {"account": account_id, "date_from": date_from, "date_to": date_to}
    with conn.cursor() as cur:
        cur.execute(f"{_SELECT} WHERE {where} ORDER BY i.planned_start DESC NULLS FIRST, "
                    f"i.id DESC LIMIT {PAGE_SIZE}", params)
        rows = cur.fetchall()
        cur.execute(f"SELECT count(*) FROM service_intervention i WHERE {where}", params)
        count = cur.fetchone()[0]
    # A client follows his interventions: he edits and signs nothing through the list.
    return _page_json(rows, count, can_edit=False)


def _compare(endpoint_body: bytes, floor_body: bytes) -> dict:
    body, floor = json.loads(endpoint_body), json.loads(floor_body)
    same_page = ([r["id"] for r in body["results"]] == [r["id"] for r in floor["results"]]
                 and body["count"] == floor["count"])
    differing = [r["id"] for r, f in zip(body["results"], floor["results"], strict=False)
                 if r != f]
    return {"same_page_as_floor": same_page, "same_json_rows": not differing,
            "rows_differing": differing[:5], "count": body["count"],
            "rows": len(body["results"])}


def run_service(*, client_for, conn, args, report: dict, lists: bool = True,
                export: bool = True) -> None:
    from portal_api.accounts.models import User

    tech = User.objects.get(email=BENCH_TECH_EMAIL)
    owner = User.objects.select_related("portal_profile").get(email=args.client_email)
    today = datetime.datetime.now(PARIS).date()
    date_from = today - datetime.timedelta(days=args.client_period_days)
    statuses = args.tech_status.split(",")
    scenarios = [
        ("technician list", client_for(tech),
         {"scope": "mine", "status": args.tech_status},
         lambda: floor_technician(conn, user_id=tech.pk, statuses=statuses)),
        ("client list by period", client_for(owner),
         {"date_from": date_from.isoformat(), "date_to": today.isoformat()},
         lambda: floor_client(conn, account_id=owner.portal_profile.client_account_id,
                              date_from=date_from, date_to=today)),
    ]
    path = "/api/v1/interventions/"
    for name, client, params, floor in scenarios if lists else ():
        params = {**params, "page_size": PAGE_SIZE}
        probe = client.get(path, {"page_size": 1})
        if probe.status_code != 200:
            print(f"{name}: {path} answered {probe.status_code}, skipped", flush=True)
            report[name] = {"missing": True, "status": probe.status_code}
            continue

        def endpoint(client=client, params=params):
            response = client.get(path, params)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            return response.content

        checks = _compare(endpoint(), floor())
        result = timed_pair(endpoint, floor, n=args.requests, warmup=args.warmup)
        result.update(checks, path=path, params=params, endpoint_bytes=len(endpoint()),
                      floor_bytes=len(floor()),
                      profile=profile_endpoint(client, path, params))
        report[name] = result
        print(f"{name:<22} endpoint median {result['endpoint_median_ms']:7.2f} ms "
              f"p95 {result['endpoint_p95_ms']:7.2f} | floor median "
              f"{result['floor_median_ms']:6.2f} ms p95 {result['floor_p95_ms']:6.2f} | "
              f"ratio {result['ratio']:5.2f} ({'met' if result['ratio'] <= 3 else 'MISSED'}) "
              f"| {result['count']} matches, same page: {result['same_page_as_floor']}, "
              f"same JSON: {result['same_json_rows']}, {result['profile']['queries']} "
              f"queries {result['profile']['sql_ms']:.1f} ms SQL", flush=True)

    if export:
        report["interventions xlsx export"] = run_xlsx_export(
            client_for(owner), owner, args, name="interventions export", path=path,
            params={}, list_name="interventions")
