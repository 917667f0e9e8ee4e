"""Who gets which dashboard and which tiles."""

import pytest

from portal_api.dashboards.rules import feed_sources, may_see_tile, may_view_area
from portal_api.dashboards.selectors import dashboard_tiles_available
from portal_api.dashboards.tiles import TILES, area_tiles

DUPOND = {"orders_drafts", "orders_in_progress", "invoices_due", "invoices_overdue",
          "invoices_paid_year", "spend_chart", "feed"}
MARTIN = {"requests_open", "interventions_next", "interventions_done_month", "equipment_count",
          "warranties_ending", "contracts_ending", "interventions_chart", "feed"}


def names(user, area):
    return {t.name for t in dashboard_tiles_available(user=user, area=area)}


def test_areas(dupond, martin, other_manager, julie, dispatcher):
    for user in (dupond, martin, other_manager):
        assert user.has_perm("dashboards.view_client_dashboard")
        assert not user.has_perm("dashboards.view_technician_dashboard")
        assert may_view_area(user, "client") and not may_view_area(user, "technician")
    assert julie.has_perm("dashboards.view_technician_dashboard")
    assert may_view_area(julie, "technician") and not may_view_area(julie, "client")
    # Back-office staff without a technician profile have neither.
    assert not may_view_area(dispatcher, "client")
    assert not may_view_area(dispatcher, "technician")
    assert not dispatcher.has_perm("dashboards.view_dashboard")
    assert not may_view_area(julie, "cuisine")


def test_dupond_the_buyer_gets_no_intervention_tile(dupond):
    assert names(dupond, "client") == DUPOND
    assert feed_sources(dupond) == ["document", "order", "invoice"]


def test_martin_the_technician_gets_no_order_tile(martin):
    assert names(martin, "client") == MARTIN
    assert feed_sources(martin) == ["document", "ticket", "intervention"]


def test_a_manager_gets_every_client_tile(other_manager):
    assert names(other_manager, "client") == {t.name for t in area_tiles("client")}


def test_a_technician_gets_every_livepilot_tile_and_no_client_tile(julie):
    assert names(julie, "technician") == {t.name for t in area_tiles("technician")}
    assert names(julie, "client") == set()


@pytest.mark.parametrize("tile", [t.name for t in TILES])
def test_no_tile_without_access(tile, dispatcher, dupond_company, dupond):
    assert not may_see_tile(dispatcher, tile)
    dupond_company.active = False
    dupond_company.save()
    dupond.refresh_from_db()
    assert not may_see_tile(type(dupond).objects.get(pk=dupond.pk), tile)


def test_no_right_no_feed(dupond):
    profile = dupond.portal_profile
    for right in ("can_prepare_orders", "can_place_orders", "can_view_invoices",
                  "can_view_documents"):
        setattr(profile, right, False)
    profile.save()
    user = type(dupond).objects.get(pk=dupond.pk)
    assert feed_sources(user) == []
    assert not may_see_tile(user, "feed")
    assert names(user, "client") == set()


def test_unknown_tile(dupond):
    assert not may_see_tile(dupond, "meteo")
