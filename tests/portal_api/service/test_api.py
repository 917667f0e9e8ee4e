"""/api/v1/equipment/: the installed base with its filters, export and interventions."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from portal_api.accounts.factories import PortalProfileFactory, SiteFactory, UserFactory
from portal_api.accounts.models import PortalRole
from portal_api.billing.factories import ContractFactory
from portal_api.common.status import status_move
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import Equipment, Intervention, InterventionStatus


def make_intervention(equipment, number, **extra):
    with status_move():  # test data in any status
        return Intervention.objects.create(
            number=number, client_account=equipment.client_account, site=equipment.site,
            equipment=equipment, **extra,
        )


@pytest.fixture
def parc(dupond_company, other_company):
    site_a = SiteFactory(client_account=dupond_company, name="Usine de Lyon")
    site_b = SiteFactory(client_account=dupond_company, name="Entrepôt de Vénissieux")
    contract = ContractFactory(client_account=dupond_company, number="CT-DUP-1")
    return {
        "boiler": EquipmentFactory(site=site_a, serial_number="VIT-001", brand="Viessmann",
                                   model="Vitodens 200", contract=contract,
                                   warranty_end=datetime.date(2026, 3, 31)),
        "pump": EquipmentFactory(site=site_b, serial_number="GRU-777", brand="Grundfos",
                                 model="Magna3", warranty_end=datetime.date(2027, 6, 30)),
        "ac": EquipmentFactory(site=site_a, serial_number="=HYPERLINK(1)", brand="Daikin",
                               model="Altherma", warranty_end=None),
        "theirs": EquipmentFactory(site=SiteFactory(client_account=other_company),
                                   serial_number="VIT-999", brand="Viessmann"),
        "site_a": site_a, "site_b": site_b, "contract": contract,
    }


def serials(response):
    assert response.status_code == 200, response.content
    return sorted(row["serial_number"] for row in response.json()["results"])


class TestFilters:
    def test_by_site_and_contract(self, api_as, martin, parc):
        client = api_as(martin)
        assert serials(client.get(f"/api/v1/equipment/?site={parc['site_b'].pk}")) == ["GRU-777"]
        assert serials(client.get(f"/api/v1/equipment/?contract={parc['contract'].pk}")) == [
            "VIT-001"]
        assert serials(client.get("/api/v1/equipment/?contract_number=dup")) == ["VIT-001"]

    def test_another_companys_site_filters_to_nothing(self, api_as, martin, parc):
        site = parc["theirs"].site_id
        assert serials(api_as(martin).get(f"/api/v1/equipment/?site={site}")) == []

    @pytest.mark.parametrize("words, expected", [
        ("vit", ["VIT-001"]), ("grundfos", ["GRU-777"]), ("magna", ["GRU-777"]),
        ("viessmann 200", ["VIT-001"]), ("nothing", []),
    ])
    def test_search_by_serial_brand_or_model(self, api_as, martin, parc, words, expected):
        assert serials(api_as(martin).get("/api/v1/equipment/", {"search": words})) == expected

    def test_warranty_ending_before_a_date(self, api_as, martin, parc):
        response = api_as(martin).get("/api/v1/equipment/?warranty_before=2026-12-31")
        assert serials(response) == ["VIT-001"]

    @pytest.mark.parametrize("query, field", [
        ("warranty_before=31/12/2026x", "warranty_before"), ("contract=x", "contract"),
    ])
    def test_bad_filter_is_a_400_naming_it(self, api_as, martin, parc, query, field):
        response = api_as(martin).get(f"/api/v1/equipment/?{query}")
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]

    def test_export_keeps_the_filters_and_escapes_formulas(self, api_as, martin, parc):
        response = api_as(martin).get(
            f"/api/v1/equipment/?format=xlsx&site={parc['site_a'].pk}&ordering=serial_number")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "N° de série"
        assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)", "VIT-001"]


class TestDetail:
    def test_shows_the_interventions_done_on_it(self, api_as, martin, parc):
        boiler = parc["boiler"]
        start = timezone.now() - datetime.timedelta(days=30)
        make_intervention(boiler, "INT-2026-0001", status=InterventionStatus.CLOSED,
                          planned_start=start, work_done="Remplacement de l'électrode " * 20)
        make_intervention(boiler, "INT-2026-0002", status=InterventionStatus.PLANNED,
                          planned_start=start + datetime.timedelta(days=40),
                          description="Entretien annuel")
        make_intervention(parc["pump"], "INT-2026-0003")  # another equipment
        data = api_as(martin).get(f"/api/v1/equipment/{boiler.pk}/").json()
        assert data["site_name"] == "Usine de Lyon"
        assert data["contract_number"] == "CT-DUP-1"
        numbers = [i["number"] for i in data["interventions"]]
        assert numbers == ["INT-2026-0002", "INT-2026-0001"]
        closed = data["interventions"][1]
        assert closed["status"] == "closed" and closed["status_label"] == "Clôturée"
        assert closed["work_summary"].startswith("Remplacement de l'électrode")
        assert len(closed["work_summary"]) <= 240
        assert data["interventions"][0]["work_summary"] == "Entretien annuel"

    def test_no_interventions_without_the_right_to_follow_them(self, api_as, dupond_company,
                                                               parc):
        viewer = PortalProfileFactory(
            user=UserFactory(), client_account=dupond_company, role=PortalRole.CUSTOM,
            can_view_equipment=True,
        ).user
        make_intervention(parc["boiler"], "INT-2026-0010")
        data = api_as(viewer).get(f"/api/v1/equipment/{parc['boiler'].pk}/").json()
        assert data["serial_number"] == "VIT-001"
        assert data["interventions"] is None

    def test_another_companys_equipment_is_404(self, api_as, martin, other_manager, parc):
        assert api_as(martin).get(f"/api/v1/equipment/{parc['theirs'].pk}/").status_code == 404
        response = api_as(other_manager).get(f"/api/v1/equipment/{parc['boiler'].pk}/")
        assert response.status_code == 404

    def test_missing_right_is_403_and_nothing_changes(self, api_as, dupond, parc):
        before = list(Equipment.objects.order_by("pk").values())
        client = api_as(dupond)
        assert client.get(f"/api/v1/equipment/{parc['boiler'].pk}/").status_code == 403
        assert client.get("/api/v1/equipment/?format=xlsx").status_code == 403
        assert client.patch(f"/api/v1/equipment/{parc['boiler'].pk}/",
                            {"serial_number": "X"}, format="json").status_code in (403, 405)
        assert list(Equipment.objects.order_by("pk").values()) == before

    def test_detail_query_count_does_not_grow_with_interventions(self, client, martin, parc):
        client.force_login(martin)
        boiler = parc["boiler"]
        make_intervention(boiler, "INT-Q-0")
        with CaptureQueriesContext(connection) as one:
            client.get(f"/api/v1/equipment/{boiler.pk}/")
        for n in range(1, 15):
            make_intervention(boiler, f"INT-Q-{n}")
        with CaptureQueriesContext(connection) as many:
            assert len(client.get(f"/api/v1/equipment/{boiler.pk}/").json()["interventions"]) \
                == 15
        assert len(many.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize("query", ["", "?search=SN", f"?warranty_before={datetime.date.today()}"])
def test_list_runs_a_constant_number_of_queries(client, martin, dupond_company, query):
    client.force_login(martin)
    site = SiteFactory(client_account=dupond_company)

    def add(count):
        for _ in range(count):
            EquipmentFactory(site=site, contract=ContractFactory(client_account=dupond_company),
                             warranty_end=datetime.date(2020, 1, 1))

    add(5)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(f"/api/v1/equipment/{query}").json()["results"]) == 5
    add(45)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(f"/api/v1/equipment/{query}").json()["results"]) == 50
    assert len(large.captured_queries) == len(small.captured_queries)
