"""Saving a choice of tiles: kept in order; an unknown tile, another area's tile, a tile the
user may not see or a duplicate is a 400 naming it, and nothing is saved; reset forgets it."""

import pytest

from portal_api.common.errors import ServiceError
from portal_api.dashboards.models import DashboardPreference
from portal_api.dashboards.selectors import dashboard_tiles_chosen, dashboard_tiles_default
from portal_api.dashboards.services import (
    dashboard_preferences_reset,
    dashboard_preferences_save,
)


def saved(user):
    return list(DashboardPreference.objects.filter(user=user).values_list("area", "tiles"))


def test_save_keeps_the_order(dupond):
    dashboard_preferences_save(user=dupond, area="client",
                               tiles=["spend_chart", "orders_drafts"])
    assert saved(dupond) == [("client", ["spend_chart", "orders_drafts"])]
    assert dashboard_tiles_chosen(user=dupond, area="client") == ["spend_chart",
                                                                  "orders_drafts"]
    # Saving again replaces the choice (one row per user).
    dashboard_preferences_save(user=dupond, area="client", tiles=["feed"])
    assert saved(dupond) == [("client", ["feed"])]


def test_every_tile_may_be_hidden(dupond):
    dashboard_preferences_save(user=dupond, area="client", tiles=[])
    assert dashboard_tiles_chosen(user=dupond, area="client") == []


@pytest.mark.parametrize("tile, message", [
    ("meteo", "Tuile inconnue : « meteo »."),
    ("today", "Tuile inconnue : « today »."),  # a LivePilot tile on the client dashboard
    ("requests_open", "Tuile non autorisée : « requests_open »."),  # Dupond: no tickets
])
def test_a_tile_he_cannot_have_is_refused_by_name(dupond, tile, message):
    dashboard_preferences_save(user=dupond, area="client", tiles=["feed"])
    with pytest.raises(ServiceError) as error:
        dashboard_preferences_save(user=dupond, area="client", tiles=["orders_drafts", tile])
    assert error.value.status_code == 400
    assert error.value.fields == {"tiles": [message]}
    assert saved(dupond) == [("client", ["feed"])]


def test_a_duplicate_is_refused(martin):
    with pytest.raises(ServiceError) as error:
        dashboard_preferences_save(user=martin, area="client",
                                   tiles=["requests_open", "requests_open"])
    assert error.value.fields == {"tiles": ["Tuile en double : « requests_open »."]}
    assert saved(martin) == []


def test_the_other_area_is_forbidden(dupond, julie):
    with pytest.raises(ServiceError) as error:
        dashboard_preferences_save(user=dupond, area="technician", tiles=[])
    assert error.value.status_code == 403
    with pytest.raises(ServiceError) as error:
        dashboard_preferences_save(user=julie, area="client", tiles=[])
    assert error.value.status_code == 403
    assert not DashboardPreference.objects.exists()


def test_an_unknown_area_is_a_400(julie):
    with pytest.raises(ServiceError) as error:
        dashboard_preferences_save(user=julie, area="cuisine", tiles=[])
    assert error.value.status_code == 400
    assert "area" in error.value.fields


def test_reset_returns_to_the_defaults_of_his_role(julie):
    dashboard_preferences_save(user=julie, area="technician", tiles=["hours_week"])
    dashboard_preferences_reset(user=julie, area="technician")
    assert saved(julie) == []
    assert dashboard_tiles_chosen(user=julie, area="technician") == dashboard_tiles_default(
        user=julie, area="technician")
    dashboard_preferences_reset(user=julie, area="technician")  # nothing saved: fine
