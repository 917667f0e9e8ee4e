"""The dashboard endpoints: the tiles follow the rights, the other area is a 403, bad input a
400 naming the field (and nothing saved), another company's figures never show, and the
number of queries does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal_api.dashboards.models import DashboardPreference
from portal_api.dashboards.selectors import CLIENT_QUERY_BOUND, TECHNICIAN_QUERY_BOUND
from portal_api.service.factories import InterventionFactory, TicketFactory
from tests.api_helpers import assert_error

from .conftest import document, invoice, order

URL = "/api/v1/dashboard/"
PREFS = "/api/v1/dashboard/preferences/"
RESET = "/api/v1/dashboard/preferences/reset/"


def tile_names(response):
    assert response.status_code == 200, response.content
    return [t["name"] for t in response.json()["tiles"]]


@pytest.fixture
def recent(dupond_company, other_company):
    """A few rows dated around now, at Dupond's and at the other company's."""
    from portal_api.accounts.factories import SiteFactory

    today = timezone.localdate()
    order(dupond_company, "draft")
    order(dupond_company, "submitted", "120.00")
    order(other_company, "submitted", "5000.00")
    order(other_company, "draft")
    order(other_company, "draft")
    invoice(dupond_company, "issued", ttc="100.00", ht="83.33", issue=today)
    invoice(other_company, "issued", ttc="9999.00", ht="8332.50", issue=today)
    site = SiteFactory(client_account=dupond_company)
    other_site = SiteFactory(client_account=other_company)
    TicketFactory(site=site, urgent=True)
    for _ in range(4):
        TicketFactory(site=other_site)
    document(other_company, "Secret", "contract", timezone.now())
    return {"site": site, "other_site": other_site}


class TestGet:
    def test_dupond_sees_his_tiles(self, api_as, dupond, recent):
        response = api_as(dupond).get(URL, {"area": "client"})
        assert tile_names(response) == ["orders_drafts", "orders_in_progress", "invoices_due",
                                        "invoices_overdue", "invoices_paid_year",
                                        "spend_chart", "feed"]
        body = response.json()
        tiles = {t["name"]: t for t in body["tiles"]}
        assert tiles["orders_drafts"] == {"name": "orders_drafts",
                                          "label": "Commandes en préparation",
                                          "kind": "number", "value": 1, "unit": "count",
                                          "link": "/espace-client/commandes/"}
        assert tiles["orders_in_progress"]["details"][0]["value"] == "120.00"
        assert tiles["invoices_due"]["value"] == "100.00"
        assert tiles["spend_chart"]["series"][0]["values"][-1] == 83.33
        assert len(tiles["spend_chart"]["labels"]) == 12
        assert [t["name"] for t in body["available"]] == body["defaults"]
        assert body["area"] == "client"
        assert "Secret" not in {i["title"] for i in tiles["feed"]["items"]}

    def test_martin_sees_no_order_tile(self, api_as, martin, recent):
        names = tile_names(api_as(martin).get(URL, {"area": "client"}))
        assert not [n for n in names if n.startswith(("orders", "invoices", "spend"))]
        assert "requests_open" in names

    def test_other_company_figures_never_leak(self, api_as, dupond, martin, recent):
        tiles = {t["name"]: t for t in api_as(martin).get(URL, {"area": "client"}).json()
                 ["tiles"]}
        assert tiles["requests_open"]["value"] == 1

    def test_julie_gets_livepilot(self, api_as, julie):
        InterventionFactory(technicians=[julie], planned_start=timezone.now())
        response = api_as(julie).get(URL, {"area": "technician"})
        assert tile_names(response)[:2] == ["today", "week"]
        today = response.json()["tiles"][0]
        assert today["count"] == 1
        assert today["items"][0]["link"].startswith("/intranet/interventions/fiche/"
                                                    "?intervention=")

    def test_the_other_area_is_403(self, api_as, dupond, julie, dispatcher):
        assert_error(api_as(dupond).get(URL, {"area": "technician"}), 403)
        assert_error(api_as(julie).get(URL, {"area": "client"}), 403)
        assert_error(api_as(dispatcher).get(URL, {"area": "technician"}), 403)
        assert_error(api_as(dispatcher).get(URL, {"area": "client"}), 403)

    def test_anonymous(self, api_client):
        assert api_client.get(URL, {"area": "client"}).status_code in (401, 403)

    @pytest.mark.parametrize("params, field", [
        ({}, "area"),
        ({"area": "cuisine"}, "area"),
        ({"area": "client", "from": "2026-13"}, "from"),
        ({"area": "client", "to": "demain"}, "to"),
        ({"area": "client", "from": "2026-06", "to": "2026-05"}, "to"),
        ({"area": "client", "from": "2026-06-30", "to": "2026-05-01"}, "to"),
        ({"area": "client", "from": "2020-01", "to": "2026-01"}, "to"),
    ])
    def test_bad_input_is_400_naming_the_field(self, api_as, dupond, params, field):
        error = assert_error(api_as(dupond).get(URL, params), 400, "invalid")
        assert field in error["fields"], error

    def test_the_end_before_the_start_says_so(self, api_as, dupond):
        error = assert_error(api_as(dupond).get(URL, {"area": "client", "from": "2026-06",
                                                      "to": "2026-05"}), 400)
        assert error["fields"] == {"to": ["La fin de la période précède son début."]}

    def test_a_chosen_period(self, api_as, dupond, recent):
        body = api_as(dupond).get(URL, {"area": "client", "from": "2026-01",
                                        "to": "2026-03-31"}).json()
        assert body["period"] == {"from": "2026-01", "to": "2026-03"}
        chart = next(t for t in body["tiles"] if t["name"] == "spend_chart")
        assert chart["labels"] == ["2026-01", "2026-02", "2026-03"]


class TestPreferences:
    def test_hide_and_reorder_then_reset(self, api_as, dupond):
        client = api_as(dupond)
        response = client.put(PREFS, {"area": "client",
                                      "tiles": ["spend_chart", "invoices_due"]}, format="json")
        assert tile_names(response) == ["spend_chart", "invoices_due"]
        assert tile_names(client.get(URL, {"area": "client"})) == ["spend_chart",
                                                                   "invoices_due"]
        response = client.post(RESET, {"area": "client"}, format="json")
        assert tile_names(response) == response.json()["defaults"]
        assert not DashboardPreference.objects.exists()

    def test_unknown_tile_is_400_and_nothing_saved(self, api_as, dupond):
        client = api_as(dupond)
        client.put(PREFS, {"area": "client", "tiles": ["feed"]}, format="json")
        error = assert_error(client.put(PREFS, {"area": "client",
                                                "tiles": ["feed", "meteo"]}, format="json"),
                             400)
        assert error["fields"] == {"tiles": ["Tuile inconnue : « meteo »."]}
        assert "meteo" in error["message"]
        assert DashboardPreference.objects.get().tiles == ["feed"]

    def test_a_tile_without_the_right_is_400(self, api_as, dupond):
        error = assert_error(api_as(dupond).put(
            PREFS, {"area": "client", "tiles": ["interventions_chart"]}, format="json"), 400)
        assert error["fields"] == {"tiles": ["Tuile non autorisée : « interventions_chart »."]}
        assert not DashboardPreference.objects.exists()

    @pytest.mark.parametrize("body, field", [
        ({"tiles": ["feed"]}, "area"),
        ({"area": "client"}, "tiles"),
        ({"area": "client", "tiles": "feed"}, "tiles"),
        ({"area": "client", "tiles": [None]}, "tiles"),
    ])
    def test_malformed_body_is_400(self, api_as, dupond, body, field):
        error = assert_error(api_as(dupond).put(PREFS, body, format="json"), 400)
        assert field in error["fields"]
        assert not DashboardPreference.objects.exists()

    def test_the_other_area_is_403_and_nothing_saved(self, api_as, dupond, julie):
        assert_error(api_as(dupond).put(PREFS, {"area": "technician", "tiles": ["today"]},
                                        format="json"), 403)
        assert_error(api_as(julie).put(PREFS, {"area": "client", "tiles": []}, format="json"),
                     403)
        assert_error(api_as(julie).post(RESET, {"area": "client"}, format="json"), 403)
        assert not DashboardPreference.objects.exists()

    def test_each_user_his_own(self, api_as, dupond, martin):
        api_as(dupond).put(PREFS, {"area": "client", "tiles": ["feed"]}, format="json")
        assert "requests_open" in tile_names(api_as(martin).get(URL, {"area": "client"}))

    def test_methods(self, api_as, dupond):
        client = api_as(dupond)
        assert client.post(URL, {"area": "client"}).status_code == 405
        assert client.get(PREFS).status_code == 405


class TestBoundedQueries:
    """Equal query counts with little and with more data, within the stated bound (the
    request also loads the session, the user, his profile and permission cache)."""

    def count(self, client, area) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"area": area})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def test_client(self, api_client, other_manager, recent, other_company):
        api_client.force_login(other_manager)
        small = self.count(api_client, "client")
        today = timezone.localdate()
        for i in range(25):
            order(other_company, "confirmed", "10.00")
            invoice(other_company, "paid", ttc="12.00", ht="10.00",
                    issue=today - datetime.timedelta(days=20 * i), paid=today)
            TicketFactory(site=recent["other_site"])
            InterventionFactory(site=recent["other_site"], status="done",
                                planned_start=timezone.now() - datetime.timedelta(days=9 * i))
            document(other_company, f"Doc {i}", "invoice", timezone.now())
        assert self.count(api_client, "client") == small
        # session, user, profile (with company), preferences; the permission cache (2) when
        # a rule says no.
        assert small <= CLIENT_QUERY_BOUND + 4 + 2

    def test_technician(self, api_client, julie):
        api_client.force_login(julie)
        small = self.count(api_client, "technician")
        for i in range(25):
            InterventionFactory(technicians=[julie],
                                planned_start=timezone.now() - datetime.timedelta(days=7 * i))
        assert self.count(api_client, "technician") == small
        assert small <= TECHNICIAN_QUERY_BOUND + 4 + 2
