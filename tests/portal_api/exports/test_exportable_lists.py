"""Each exportable list is declared once (its app's exports.py) and read by the list endpoint
and the worker: for every list and some filters, the worker's rows are the endpoint's rows and
its workbook the endpoint's `?format=xlsx` workbook; bad filters are the same 400 naming the
field; the worker finds the lists without importing a view or the URLconf."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from portal_api.accounts.factories import SiteFactory
from portal_api.common.errors import ServiceError
from portal_api.common.exportable import exportable_lists
from portal_api.documents.models import Document
from portal_api.exports.models import ExportJob, ExportStatus
from portal_api.exports.selectors import export_rows
from portal_api.exports.services import export_run
from portal_api.orders.models import OrderStatus
from portal_api.service.factories import EquipmentFactory, InterventionFactory
from portal_api.service.models import InterventionStatus
from tests.api_helpers import assert_error

from .conftest import body, make_invoice, make_orders, xlsx_rows

pytestmark = pytest.mark.django_db

ENDPOINTS = {"commandes": "orders", "factures": "invoices", "equipements": "equipment",
             "interventions": "interventions"}


@pytest.fixture
def world(dupond, dupond_company, other_manager, other_company, julie, team_lead):
    """Some rows of every exportable list for Dupond's company, a few for another company."""
    make_orders(dupond_company, dupond, 4)
    make_orders(dupond_company, dupond, 2, status=OrderStatus.DELIVERED, prefix="CO-L")
    make_orders(other_company, other_manager, 2, prefix="CO-X")
    for day in (datetime.date(2025, 12, 31), datetime.date(2026, 1, 15),
                datetime.date(2026, 2, 28)):
        make_invoice(dupond_company, day)
    make_invoice(other_company, datetime.date(2026, 1, 20))
    site = SiteFactory(client_account=dupond_company, name="Usine de Vénissieux")
    other_site = SiteFactory(client_account=other_company, name="Autre site")
    boiler = EquipmentFactory(site=site, serial_number="VIT-0042", brand="Viessmann",
                              warranty_end=datetime.date(2030, 1, 1))
    EquipmentFactory(site=site, serial_number="GRU-0777", brand="Grundfos",
                     warranty_end=datetime.date(2014, 3, 1))
    EquipmentFactory(site=other_site, serial_number="AUT-0001")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for days, status, technicians in ((-3, InterventionStatus.DONE, [julie]),
                                      (0, InterventionStatus.PLANNED, [julie, team_lead]),
                                      (2, InterventionStatus.PLANNED, [team_lead]),
                                      (9, InterventionStatus.PLANNED, [])):
        InterventionFactory(site=site, equipment=boiler, status=status,
                            planned_start=now + datetime.timedelta(days=days),
                            technicians=technicians)
    InterventionFactory(site=site, planned_start=None, status=InterventionStatus.PLANNED)
    InterventionFactory(site=other_site, technicians=[julie])


def params_of(query: str) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for pair in filter(None, query.split("&")):
        key, value = pair.split("=")
        params.setdefault(key, []).append(value)
    return params


def worker_workbook(user, name: str, query: str) -> list[tuple]:
    job = ExportJob.objects.create(user=user, list_name=name, params=params_of(query))
    job = export_run(job_id=job.pk)
    assert job.status == ExportStatus.DONE, job.error
    with Document.objects.get(pk=job.document_id).file.open("rb") as handle:
        return xlsx_rows(handle.read())


CASES = [
    ("commandes", "dupond", ""),
    ("commandes", "dupond", "status=submitted&ordering=customer_reference"),
    ("commandes", "dupond", "search=REF-1&ordering=-number,bogus"),
    ("factures", "dupond", "date_from=2026-01-01&ordering=-issue_date"),
    ("factures", "dupond", "status=issued"),
    ("equipements", "martin", "search=grundfos"),
    ("equipements", "martin", "warranty_before=2020-01-01&ordering=-serial_number"),
    ("equipements", "martin", "ordering=install_date"),
    ("interventions", "martin", "status=planned,done&ordering=number"),
    ("interventions", "martin", ""),
    ("interventions", "julie", ""),  # a technician's agenda order
    ("interventions", "team_lead", "scope=mine"),
    ("interventions", "team_lead", "under_contract=false&ordering=-planned_start"),
]


@pytest.mark.parametrize(("name", "who", "query"), CASES)
def test_the_worker_exports_the_list_endpoints_rows_and_workbook(
        request, api_as, world, settings, name, who, query):
    user = request.getfixturevalue(who)
    client = api_as(user)
    url = f"/api/v1/{ENDPOINTS[name]}/?{query}"
    page = client.get(f"{url}&page_size=200")
    assert page.status_code == 200, page.content
    listed = [row["id"] for row in page.json()["results"]]
    assert listed, "a case without rows proves nothing"

    rows = export_rows(user=user, list_name=name, params=params_of(query))
    assert [row.pk for row in rows.queryset] == listed

    settings.EXPORT_SYNC_MAX_ROWS = 1000
    at_once = client.get(f"{url}&format=xlsx")
    assert at_once.status_code == 200
    assert worker_workbook(user, name, query) == xlsx_rows(body(at_once))


@pytest.mark.parametrize(("name", "who", "query", "field"), [
    ("commandes", "dupond", "status=inconnu", "status"),
    ("factures", "dupond", "date_from=2026-02-01&date_to=2026-01-01", "date_to"),
    ("equipements", "martin", "active=peut-etre", "active"),
    ("interventions", "martin", "date_from=pas-une-date", "date_from"),
])
def test_bad_filters_are_the_same_400_everywhere(request, api_as, world, name, who, query,
                                                 field):
    user = request.getfixturevalue(who)
    client = api_as(user)
    url = f"/api/v1/{ENDPOINTS[name]}/?{query}"
    listed = assert_error(client.get(url), 400, "invalid")
    assert field in listed["fields"]
    assert assert_error(client.get(f"{url}&format=xlsx"), 400, "invalid") == listed
    with pytest.raises(ServiceError) as error:
        export_rows(user=user, list_name=name, params=params_of(query))
    assert error.value.fields == listed["fields"]


def test_each_declared_rule_is_the_list_endpoints(api_as, martin, world):
    # Martin (a plain user of Dupond's company) may not see the invoices: 403 on both sides.
    assert_error(api_as(martin).get("/api/v1/invoices/"), 403)
    with pytest.raises(ServiceError) as error:
        export_rows(user=martin, list_name="factures", params={})
    assert error.value.status_code == 403


def test_the_worker_finds_every_list_without_a_view_or_the_urlconf():
    script = (
        "import json, sys, django; django.setup()\n"
        "from portal_api.common.exportable import exportable_lists\n"
        "print(json.dumps({'lists': sorted(exportable_lists()), 'modules': sorted(sys.modules)}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[3],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    ).stdout
    seen = json.loads(output.splitlines()[-1])
    assert seen["lists"] == sorted(exportable_lists()) == sorted(ENDPOINTS)
    imported = set(seen["modules"])
    assert not imported & {"portal_api.orders.views", "portal_api.billing.views",
                           "portal_api.service.views", "config.urls", "config.api_urls"}


def test_no_test_utility_in_production_code():
    root = Path(__file__).resolve().parents[3]
    for package in ("portal_api", "cms", "workflows", "config"):
        for path in (root / package).rglob("*.py"):
            assert "rest_framework.test" not in path.read_text(), path
