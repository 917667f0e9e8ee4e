"""Export reads: a user's own jobs only; the rows of an export are the list endpoint's rows for
that user (same selector, filters and ordering), and a user who lost the right gets none."""

import datetime

import pytest

from portal_api.accounts.models import User
from portal_api.common.errors import ServiceError
from portal_api.exports.models import ExportJob
from portal_api.exports.selectors import export_job_list, export_rows, invoice_zip_list

pytestmark = pytest.mark.django_db


def list_ids(client, query: str) -> list[int]:
    data = client.get(f"/api/v1/orders/?page_size=200&{query}").json()
    return [row["id"] for row in data["results"]]


def test_a_user_sees_only_his_own_jobs(dupond, colleague, dispatcher):
    mine = ExportJob.objects.create(user=dupond, list_name="commandes")
    ExportJob.objects.create(user=colleague, list_name="commandes")
    assert list(export_job_list(user=dupond)) == [mine]
    # Staff see every company's data, but an export stays its requester's.
    assert list(export_job_list(user=dispatcher)) == []


def test_anonymous_sees_no_job(dupond):
    from django.contrib.auth.models import AnonymousUser

    ExportJob.objects.create(user=dupond, list_name="commandes")
    assert not export_job_list(user=AnonymousUser()).exists()


@pytest.mark.parametrize("query", [
    "",
    "status=submitted&ordering=created_at",
    "search=REF-1&ordering=-number",
])
def test_the_rows_are_the_list_endpoints_rows(api_as, dupond, orders, query):
    params = {}
    for pair in filter(None, query.split("&")):
        key, value = pair.split("=")
        params[key] = [value]
    rows = export_rows(user=dupond, list_name="commandes", params=params)
    assert [order.pk for order in rows.queryset] == list_ids(api_as(dupond), query)
    assert rows.title == "commandes"
    assert [str(c.header) for c in rows.columns][:2] == ["Numéro", "Statut"]


def test_the_rows_are_scoped_to_the_users_company(other_manager, orders):
    rows = export_rows(user=other_manager, list_name="commandes", params={})
    assert {order.number[:4] for order in rows.queryset} == {"CO-X"}


def test_sales_administration_rows_span_every_company(sales_admin, orders):
    assert export_rows(user=sales_admin, list_name="commandes", params={}).queryset.count() == 10


@pytest.mark.parametrize("who", ["dispatcher", "julie"])
def test_staff_without_the_orders_area_get_a_403_service_error(request, who, orders):
    with pytest.raises(ServiceError) as error:
        export_rows(user=request.getfixturevalue(who), list_name="commandes", params={})
    assert error.value.status_code == 403


def test_a_user_who_lost_the_right_gets_a_403_service_error(dupond, orders):
    profile = dupond.portal_profile
    profile.can_prepare_orders = profile.can_place_orders = False
    profile.save()
    dupond = User.objects.get(pk=dupond.pk)
    with pytest.raises(ServiceError) as error:
        export_rows(user=dupond, list_name="commandes", params={})
    assert error.value.status_code == 403


def test_an_inactive_user_gets_a_403_service_error(dupond, orders):
    User.objects.filter(pk=dupond.pk).update(is_active=False)
    with pytest.raises(ServiceError) as error:
        export_rows(user=User.objects.get(pk=dupond.pk), list_name="commandes", params={})
    assert error.value.status_code == 403


def test_filters_no_longer_valid_and_unknown_lists_are_service_errors(dupond, orders):
    with pytest.raises(ServiceError):
        export_rows(user=dupond, list_name="commandes", params={"status": ["inconnu"]})
    with pytest.raises(ServiceError):
        export_rows(user=dupond, list_name="pas-une-liste", params={})


def test_every_exportable_list_can_be_rebuilt(dupond, martin, dispatcher):
    from portal_api.common.exportable import exportable_list, exportable_lists

    assert exportable_list("commandes") is not None
    assert {"commandes", "factures", "equipements", "interventions"} <= set(exportable_lists())
    assert export_rows(user=dupond, list_name="factures", params={}).queryset.count() == 0
    assert export_rows(user=martin, list_name="equipements", params={}).queryset.count() == 0
    # Each list rebuilds for a user of each kind: rows, or the 403 of a list he may not see.
    for name in exportable_lists():
        for user in (dupond, martin, dispatcher):
            try:
                rows = export_rows(user=user, list_name=name, params={})
            except ServiceError as error:
                assert error.status_code == 403, (name, user, error.message)
            else:
                assert rows.queryset.count() == 0 and rows.columns


def test_invoice_zip_list_holds_the_periods_issued_invoices_of_the_company(dupond, invoices):
    listed = invoice_zip_list(user=dupond, date_from=datetime.date(2025, 12, 31),
                              date_to=datetime.date(2026, 2, 28))
    assert list(listed) == [invoices["dec"], invoices["jan"], invoices["feb"]]
