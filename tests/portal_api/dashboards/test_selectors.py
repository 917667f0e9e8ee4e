"""Each indicator against the hand-counted dataset of conftest.py, at fixed moments in Paris:
month, week and year boundaries in Europe/Paris, another company's rows never counted, and a
fixed number of queries whatever the data size."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal_api.accounts.models import User
from portal_api.dashboards.models import DashboardPreference
from portal_api.dashboards.selectors import (
    CLIENT_QUERY_BOUND,
    TECHNICIAN_QUERY_BOUND,
    Period,
    add_months,
    dashboard_get,
    period_get,
)
from portal_api.service.factories import EquipmentFactory, InterventionFactory, TicketFactory

from .conftest import MONDAY, NOW, document, invoice, order, paris, utc

MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06",
          "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]


def tiles(user, area="client", now=NOW, **kwargs) -> dict:
    return {t["name"]: t for t in dashboard_get(user=user, area=area, now=now,
                                                **kwargs)["tiles"]}


def details(tile) -> dict:
    return {d["key"]: d["value"] for d in tile.get("details", [])}


def series(tile) -> dict:
    return {s["key"]: s["values"] for s in tile["series"]}


def fresh(user) -> User:
    """The same user as a request would load him: no cached profile or permissions."""
    return User.objects.get(pk=user.pk)


class TestClientIndicators:
    def test_orders(self, manager, client_data):
        t = tiles(manager)
        assert t["orders_drafts"]["value"] == 2
        assert t["orders_drafts"]["link"] == "/espace-client/commandes/"
        assert t["orders_in_progress"]["value"] == 2
        assert details(t["orders_in_progress"]) == {"amount": "200.50"}

    def test_requests(self, manager, client_data):
        t = tiles(manager)
        assert t["requests_open"]["value"] == 3
        assert details(t["requests_open"]) == {"urgent": 2}
        assert t["requests_open"]["link"] == "/espace-client/demandes/"

    def test_next_interventions_from_today_in_order(self, manager, client_data):
        items = tiles(manager)["interventions_next"]["items"]
        # 16/11 09:00, 20/11 14:00, 25/11 08:00 in Paris; yesterday's is not "next".
        assert [i["at"] for i in items] == [utc(2026, 11, 16, 8).isoformat(),
                                            utc(2026, 11, 20, 13).isoformat(),
                                            utc(2026, 11, 25, 7).isoformat()]
        assert items[0]["site"] == "Usine de Lyon"
        assert items[0]["link"] == "/espace-client/interventions/"

    def test_interventions_done_this_month_in_paris(self, manager, client_data):
        # Ended 31/10 at 23:30 UTC (1/11 00:30 in Paris) and closed on 3/11: November's two.
        assert tiles(manager)["interventions_done_month"]["value"] == 2
        # On 31/10 at 23:45 in Paris it is still October: the one ended at 23:30 in Paris.
        october = tiles(manager, now=utc(2026, 10, 31, 22, 45))
        assert october["interventions_done_month"]["value"] == 1

    def test_invoices(self, manager, client_data):
        t = tiles(manager)
        assert t["invoices_due"]["value"] == "600.00"
        assert details(t["invoices_due"]) == {"count": 3}
        # One overdue by status, one still "issued" but past its due date (10/11).
        assert t["invoices_overdue"]["value"] == 2
        assert details(t["invoices_overdue"]) == {"amount": "500.00"}
        assert t["invoices_overdue"]["tone"] == "err"
        assert t["invoices_paid_year"]["value"] == "400.00"
        assert details(t["invoices_paid_year"]) == {"count": 1}
        assert t["invoices_paid_year"]["year"] == 2026

    def test_paid_this_year_follows_the_paris_new_year(self, manager, client_data,
                                                       dupond_company):
        invoice(dupond_company, "paid", ttc="70.00", ht="58.33",
                issue=datetime.date(2026, 12, 20), paid=datetime.date(2027, 1, 1))
        # 31/12 at 23:30 in Paris: still 2026 (paid 1/1/2026 400.00).
        before = tiles(manager, now=utc(2026, 12, 31, 22, 30))["invoices_paid_year"]
        assert (before["year"], before["value"]) == (2026, "400.00")
        # 31/12 at 23:30 UTC is 1/1/2027 00:30 in Paris: 2027 has begun.
        after = tiles(manager, now=utc(2026, 12, 31, 23, 30))["invoices_paid_year"]
        assert (after["year"], after["value"]) == (2027, "70.00")

    def test_equipment_and_contracts(self, manager, client_data):
        t = tiles(manager)
        assert t["equipment_count"]["value"] == 5
        assert t["warranties_ending"]["value"] == 2
        assert details(t["warranties_ending"]) == {"next": "2026-11-15"}
        assert t["contracts_ending"]["value"] == 2
        assert details(t["contracts_ending"]) == {"next": "2026-11-15"}

    def test_spend_per_month(self, manager, client_data):
        chart = tiles(manager)["spend_chart"]
        assert chart["kind"] == "chart"
        assert chart["labels"] == MONTHS
        expected = [750.0] + [0.0] * 7 + [250.0, 0.0, 166.67, 83.33]
        assert series(chart) == {"total": expected}

    def test_interventions_per_month_split_by_contract(self, manager, client_data):
        chart = tiles(manager)["interventions_chart"]
        assert chart["labels"] == MONTHS
        assert series(chart) == {
            "under_contract": [0] * 11 + [1],
            # 1/12/2025 00:30 in Paris counts in December; 30/11/2025 23:30 is left out.
            "billed": [1] + [0] * 9 + [1, 1],
        }

    def test_a_chosen_period(self, manager, client_data):
        t = tiles(manager, first=datetime.date(2026, 10, 1), last=datetime.date(2026, 11, 1))
        assert t["spend_chart"]["labels"] == ["2026-10", "2026-11"]
        assert series(t["spend_chart"]) == {"total": [166.67, 83.33]}
        assert series(t["interventions_chart"]) == {"under_contract": [0, 1], "billed": [1, 1]}

    def test_feed_latest_first_with_links(self, manager, feed_data):
        items = tiles(manager)["feed"]["items"]
        assert len(items) == 8
        assert [(i["kind"], i["title"]) for i in items[:3]] == [
            ("ticket", "Demande DI-FEED-1"), ("order", items[1]["title"]),
            ("document", "Contrat 2026")]
        assert items[0]["link"] == "/espace-client/demandes/"
        assert items[1]["text"] == "Livrée"
        assert items[1]["link"].startswith("/espace-client/commandes/commande/?order=")
        assert items[2]["link"] == "/espace-client/documents/"
        assert items[2]["download"].startswith("/api/v1/documents/")
        ats = [i["at"] for i in items]
        assert ats == sorted(ats, reverse=True)
        assert not any(i["title"] in ("Export perso", "Secret", "Demande DI-OTHER-1")
                       for i in items)


class TestRightsAndIsolation:
    def test_dupond_gets_no_intervention_tile(self, dupond, client_data, feed_data):
        t = tiles(dupond)
        assert list(t) == ["orders_drafts", "orders_in_progress", "invoices_due",
                           "invoices_overdue", "invoices_paid_year", "spend_chart", "feed"]
        assert {i["kind"] for i in t["feed"]["items"]} <= {"document", "order", "invoice"}

    def test_martin_gets_no_order_tile(self, martin, client_data, feed_data):
        t = tiles(martin)
        assert list(t) == ["requests_open", "interventions_done_month", "equipment_count",
                           "warranties_ending", "contracts_ending", "interventions_next",
                           "interventions_chart", "feed"]
        assert {i["kind"] for i in t["feed"]["items"]} <= {"document", "ticket",
                                                            "intervention"}

    def test_another_company_sees_only_its_own_numbers(self, other_manager, manager,
                                                       client_data, feed_data):
        t = tiles(other_manager)
        assert t["orders_drafts"]["value"] == 1
        assert details(t["orders_in_progress"]) == {"amount": "5000.00"}
        assert (t["requests_open"]["value"], details(t["requests_open"])) == (2, {"urgent": 1})
        assert [i["site"] for i in t["interventions_next"]["items"]] == ["Site d'un autre"]
        assert t["interventions_done_month"]["value"] == 1
        assert t["invoices_due"]["value"] == "18887.00"
        assert t["invoices_overdue"]["value"] == 1
        assert t["invoices_paid_year"]["value"] == "0.00"
        assert t["equipment_count"]["value"] == 1
        assert t["contracts_ending"]["value"] == 1
        assert sum(series(t["spend_chart"])["total"]) == pytest.approx(8332.50 + 7406.67)
        assert series(t["interventions_chart"])["billed"][-1] == 1
        titles = {i["title"] for i in t["feed"]["items"]}
        assert "Secret" in titles and "Demande DI-OTHER-1" in titles
        dupond_titles = {i["title"] for i in tiles(fresh(manager))["feed"]["items"]}
        assert "Contrat 2026" in dupond_titles
        assert not titles & dupond_titles

    def test_the_saved_order_is_followed_and_a_right_lost_drops_its_tile(self, manager,
                                                                         client_data):
        DashboardPreference.objects.create(user=manager, area="client",
                                           tiles=["invoices_due", "orders_drafts", "feed"])
        assert list(tiles(manager)) == ["invoices_due", "orders_drafts", "feed"]
        profile = manager.portal_profile
        profile.can_view_invoices = False
        profile.save()
        assert list(tiles(fresh(manager))) == ["orders_drafts", "feed"]

    def test_available_and_defaults(self, dupond):
        data = dashboard_get(user=dupond, area="client", now=NOW)
        assert [t["name"] for t in data["available"]] == data["defaults"]
        assert {t["name"]: t["kind"] for t in data["available"]}["spend_chart"] == "chart"
        assert data["period"] == {"from": "2025-12", "to": "2026-11"}
        assert data["today"] == "2026-11-15"


class TestTechnicianIndicators:
    def test_livepilot(self, julie, technician_data):
        t = tiles(julie, "technician", now=MONDAY)
        assert list(t) == ["today", "week", "to_sign", "hours_week", "expenses_month",
                           "time_on_site", "repeat_visits", "done_chart"]
        today = t["today"]
        assert today["count"] == 1
        assert [i["id"] for i in today["items"]] == [technician_data["today"].pk]
        assert today["items"][0]["link"] == (
            f"/intranet/interventions/fiche/?intervention={technician_data['today'].pk}")
        assert today["items"][0]["client"]
        week = t["week"]
        assert (week["count"], len(week["items"])) == (2, 2)
        assert (week["from"], week["to"]) == ("2026-11-16", "2026-11-22")
        assert t["to_sign"]["value"] == 1
        assert t["hours_week"]["value"] == "3.50"
        assert details(t["hours_week"]) == {"work": "2.50", "travel": "1.00"}
        assert t["expenses_month"]["value"] == "20.00"
        assert details(t["expenses_month"]) == {"count": 2}
        assert series(t["done_chart"]) == {"done": [0] * 9 + [1, 1, 3]}
        assert t["time_on_site"]["value"] == 60
        assert details(t["time_on_site"]) == {"count": 4}
        assert t["repeat_visits"]["value"] == 1
        assert details(t["repeat_visits"]) == {"done": 5, "rate": 20.0}

    def test_an_urgent_intervention_says_so_in_livepilot(self, julie, technician_data):
        from portal_api.service.models import Intervention

        urgent = technician_data["today"]
        Intervention.objects.filter(pk=urgent.pk).update(urgent=True, equipment=None,
                                                         serial_number_typed="DKN-7731")
        t = tiles(julie, "technician", now=MONDAY)
        [item] = t["today"]["items"]
        assert item["urgent"] is True and item["equipment"] == "DKN-7731"
        assert [i["urgent"] for i in t["week"]["items"] if i["id"] != urgent.pk] == [False]

    def test_the_week_and_the_day_are_those_of_paris(self, julie, technician_data):
        # Sunday 15/11 at 23:15 UTC is already Monday in Paris (see MONDAY); an hour earlier
        # (22:15 UTC, Sunday 23:15 in Paris) the week is the previous one.
        sunday = tiles(julie, "technician", now=utc(2026, 11, 15, 22, 15))
        assert (sunday["week"]["from"], sunday["week"]["to"]) == ("2026-11-09", "2026-11-15")
        # Last week: L (9/11), F (10/11), K (12/11) and the one on Sunday 23:30.
        assert sunday["week"]["count"] == 4
        assert sunday["today"]["count"] == 1  # Sunday 23:30 in Paris
        assert sunday["hours_week"]["value"] == "4.00"

    def test_a_repeat_visit_is_a_return_within_30_days(self, julie, technician_data):
        boiler = technician_data["today"].site.equipment.first()
        InterventionFactory(site=boiler.site, equipment=boiler, status="done",
                            technicians=[julie], planned_start=utc(2026, 11, 20, 7),
                            arrival_at=utc(2026, 11, 20, 8), end_at=utc(2026, 11, 20, 9))
        t = tiles(julie, "technician", now=utc(2026, 11, 25, 12))
        # G (5/11) then this one (20/11, 15 days later): two repeat visits of six.
        assert (t["repeat_visits"]["value"], details(t["repeat_visits"])) == (
            2, {"done": 6, "rate": 33.3})

    def test_a_technician_who_sees_all_still_gets_his_own(self, julie, technician_data):
        profile = julie.technician_profile
        profile.can_see_all_interventions = True
        profile.save()
        t = tiles(fresh(julie), "technician", now=MONDAY)
        assert t["today"]["count"] == 1
        assert t["week"]["count"] == 2

    def test_another_technicians_figures(self, technician_data):
        thomas = technician_data["thomas"]
        t = tiles(thomas, "technician", now=MONDAY)
        assert t["today"]["count"] == 1
        assert t["hours_week"]["value"] == "3.00"
        assert t["expenses_month"]["value"] == "50.00"
        assert t["repeat_visits"]["value"] == 0


class TestPeriod:
    def test_default_is_twelve_months_ending_this_one(self):
        period = period_get(today=datetime.date(2026, 1, 31))
        assert (period.first, period.last) == (datetime.date(2025, 2, 1),
                                               datetime.date(2026, 1, 1))
        assert len(period.months) == 12

    def test_month_bounds_are_paris_midnights(self):
        period = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 1))
        # October starts in summer time (UTC+2) and ends in winter time (UTC+1).
        assert period.start == utc(2026, 9, 30, 22)
        assert period.end == utc(2026, 10, 31, 23)

    def test_add_months(self):
        assert add_months(datetime.date(2026, 11, 30), 2) == datetime.date(2027, 1, 1)
        assert add_months(datetime.date(2026, 1, 15), -1) == datetime.date(2025, 12, 1)


class TestBoundedQueries:
    """The client dashboard runs at most CLIENT_QUERY_BOUND queries for its tiles, LivePilot
    TECHNICIAN_QUERY_BOUND, plus one for the preferences and the user's rights (profile,
    company, permissions), whatever the number of rows."""

    def count(self, user, area, now) -> int:
        user = fresh(user)
        with CaptureQueriesContext(connection) as ctx:
            dashboard_get(user=user, area=area, now=now)
        return len(ctx.captured_queries)

    def test_client(self, manager, feed_data, dupond_company):
        small = self.count(manager, "client", NOW)
        site = feed_data.site
        for i in range(30):
            order(dupond_company, "submitted", "10.00", submitted_at=paris(2026, 6, 1 + i % 28))
            order(dupond_company, "draft")
            invoice(dupond_company, "issued", ttc="12.00", ht="10.00",
                    issue=datetime.date(2026, 1 + i % 11, 1))
            TicketFactory(site=site, urgent=i % 2 == 0)
            InterventionFactory(site=site, status="done", planned_start=paris(2026, 3, 1 + i % 28))
            InterventionFactory(site=site, status="planned",
                                planned_start=paris(2026, 12, 1 + i % 28))
            document(dupond_company, f"Doc {i}", "invoice", paris(2026, 11, 1))
        large = self.count(manager, "client", NOW)
        assert large == small
        # Tiles, preferences, profile + company, and the permission cache (2).
        assert small <= CLIENT_QUERY_BOUND + 1 + 2 + 2

    def test_technician(self, julie, technician_data):
        small = self.count(julie, "technician", MONDAY)
        site = technician_data["today"].site
        boiler = EquipmentFactory(site=site)
        for i in range(30):
            InterventionFactory(site=site, status="planned", technicians=[julie],
                                planned_start=paris(2026, 11, 16 + i % 7, 8))
            InterventionFactory(site=site, status="done", technicians=[julie],
                                planned_start=paris(2026, 1 + i % 10, 3, 8),
                                arrival_at=paris(2026, 1 + i % 10, 3, 8),
                                end_at=paris(2026, 1 + i % 10, 3, 9),
                                equipment=boiler)
        large = self.count(julie, "technician", MONDAY)
        assert large == small
        # Tiles, preferences, the technician profile, and the permission cache (2).
        assert small <= TECHNICIAN_QUERY_BOUND + 1 + 1 + 2


def test_money_is_given_with_two_decimals(manager, client_data):
    t = tiles(manager)
    for name in ("invoices_due", "invoices_paid_year"):
        assert Decimal(t[name]["value"]).as_tuple().exponent == -2


def test_the_feed_does_not_repeat_an_invoice_as_its_pdf(manager, martin, dupond_company,
                                                       client_data):
    invoice_pdf = document(dupond_company, "Facture FA-PDF", "invoice", paris(2026, 11, 15, 9))
    report = document(dupond_company, "Bon BI-PDF", "intervention_report",
                      paris(2026, 11, 15, 9))
    titles = {i["title"] for i in tiles(manager)["feed"]["items"]}
    assert not titles & {invoice_pdf.title, report.title}
    # Martin may not view invoices: their PDFs never reach his feed either (documents by kind);
    # the report repeats an intervention his feed already tells.
    titles = {i["title"] for i in tiles(martin)["feed"]["items"]}
    assert not titles & {invoice_pdf.title, report.title}
