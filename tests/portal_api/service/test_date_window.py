"""Dates of intervention sheets, time entries and expenses stay within a sensible window (from
2000 to a year ahead), times in order; each refusal is a 400 naming the field (issue 11)."""

import datetime

import pytest
from django.utils import timezone

from portal_api.service.models import Expense, Intervention, TimeEntry
from tests.api_helpers import assert_error

IN_A_YEAR_AND_A_WEEK = (timezone.localdate() + datetime.timedelta(days=373)).isoformat()
TOO_FAR = ["0001-01-01", "1999-12-31", IN_A_YEAR_AND_A_WEEK, "9999-12-31"]


def sheet(intervention):
    return Intervention.objects.filter(pk=intervention.pk).values(
        "departure_at", "arrival_at", "end_at", "return_at").get()


@pytest.mark.parametrize("field", ["departure_at", "arrival_at", "end_at", "return_at"])
@pytest.mark.parametrize("day", TOO_FAR)
def test_a_sheet_time_out_of_the_window_is_a_400_naming_it(api_as, julie, intervention, field,
                                                          day):
    before = sheet(intervention)
    error = assert_error(api_as(julie).patch(
        f"/api/v1/interventions/{intervention.pk}/", {field: f"{day}T23:59:00"},
        format="json"), 400)
    assert list(error["fields"]) == [field]
    assert "Indiquez une date entre le 01/01/2000 et le" in error["fields"][field][0]
    assert sheet(intervention) == before


def test_each_time_out_of_the_window_is_named(api_as, julie, intervention):
    error = assert_error(api_as(julie).patch(f"/api/v1/interventions/{intervention.pk}/", {
        "arrival_at": "0001-01-01T08:00:00", "end_at": "9999-12-31T23:59:00"},
        format="json"), 400)
    assert set(error["fields"]) == {"arrival_at", "end_at"}


def test_the_end_before_the_arrival_is_named(api_as, julie, intervention):
    error = assert_error(api_as(julie).patch(f"/api/v1/interventions/{intervention.pk}/", {
        "arrival_at": "2026-05-04T10:00:00", "end_at": "2026-05-04T09:00:00"},
        format="json"), 400)
    assert list(error["fields"]) == ["end_at"]


def test_times_within_the_window_are_kept(api_as, julie, intervention):
    response = api_as(julie).patch(f"/api/v1/interventions/{intervention.pk}/", {
        "departure_at": "2000-01-01T00:00:00", "arrival_at": "2026-05-04T09:00:00",
        "end_at": "2026-05-04T11:00:00"}, format="json")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("day", TOO_FAR)
def test_a_time_entry_date_out_of_the_window_is_a_400_naming_it(api_as, julie, intervention,
                                                               day):
    error = assert_error(api_as(julie).post(
        f"/api/v1/interventions/{intervention.pk}/time-entries/",
        {"kind": "work", "date": day, "hours": "2"}, format="json"), 400)
    assert list(error["fields"]) == ["date"]
    assert "Indiquez une date entre le 01/01/2000" in error["fields"]["date"][0]
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("day", TOO_FAR)
def test_an_expense_date_out_of_the_window_is_a_400_naming_it(api_as, julie, intervention, day):
    error = assert_error(api_as(julie).post(
        f"/api/v1/interventions/{intervention.pk}/expenses/",
        {"kind": "meal", "date": day, "amount": "12"}, format="json"), 400)
    assert list(error["fields"]) == ["date"]
    assert not Expense.objects.exists()


def test_the_window_ends_a_year_ahead(api_as, julie, intervention):
    last = timezone.localdate() + datetime.timedelta(days=366)
    url = f"/api/v1/interventions/{intervention.pk}/time-entries/"
    client = api_as(julie)
    assert client.post(url, {"kind": "work", "date": last.isoformat(), "hours": "1"},
                       format="json").status_code == 201
    assert_error(client.post(url, {"kind": "work", "hours": "1",
                                   "date": (last + datetime.timedelta(days=1)).isoformat()},
                             format="json"), 400)
