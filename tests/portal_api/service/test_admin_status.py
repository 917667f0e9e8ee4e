"""An intervention's status in the Wagtail admin: read-only in the form, moved by the header's
buttons through intervention_set_status, so that closing or cancelling from the admin updates
its request, writes the request's timeline and asks the reason; staff without the rules
permission (service.manage_interventions) are refused."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal_api.service.models import Intervention, InterventionStatus, TicketStatus
from portal_api.service.services import (
    intervention_sheet_update,
    intervention_sign,
    ticket_convert,
    ticket_create,
)

from .conftest import signature_bytes

IS, TS = InterventionStatus, TicketStatus


def url(view: str, *args) -> str:
    return reverse(Intervention.snippet_viewset.get_url_name(view), args=args)


def header_statuses(response) -> list[str]:
    return re.findall(r'data-portal-status="(\w+)"', response.content.decode())


@pytest.fixture
def converted(dupond_company, martin, boiler, dispatcher, julie):
    """M. Martin's request, converted into an intervention planned tomorrow for Julie."""
    ticket = ticket_create(client_account=dupond_company, requester=martin, equipment=boiler,
                           description="La chaudière est en défaut F28.")
    start = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    intervention = ticket_convert(ticket=ticket, by=dispatcher, technicians=[julie],
                                  planned_start=start)
    ticket.refresh_from_db()
    assert (intervention.status, ticket.status) == (IS.PLANNED, TS.PLANNED)
    return intervention, ticket


@pytest.fixture
def administrator_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def dispatcher_client(client, dispatcher):
    client.force_login(dispatcher)
    return client


@pytest.mark.django_db
def test_the_status_is_read_only_and_the_header_offers_the_moves(administrator_client,
                                                                 converted):
    intervention, ticket = converted
    response = administrator_client.get(url("edit", intervention.pk))
    assert response.status_code == 200
    assert "status" not in response.context["form"].fields
    # Planned and not signed: start, done, cancel (closing needs a signed sheet).
    assert header_statuses(response) == [IS.IN_PROGRESS, IS.DONE, IS.CANCELLED]
    assert "Annuler l&#x27;intervention" in response.content.decode()


@pytest.mark.django_db
def test_closing_from_the_admin_closes_the_request_with_its_timeline(dispatcher_client,
                                                                     converted, julie,
                                                                     dispatcher):
    intervention, ticket = converted
    now = timezone.now()
    intervention_sheet_update(intervention=intervention, by=julie,
                              arrival_at=now - datetime.timedelta(hours=2),
                              end_at=now - datetime.timedelta(hours=1),
                              work_done="Électrode d'allumage remplacée.")
    intervention_sign(intervention=intervention, by=julie, signer_name="Paul Martin",
                      signature_png=signature_bytes(), render_report=False)
    events = ticket.events.count()

    response = dispatcher_client.post(url("status", intervention.pk), {"status": IS.CLOSED})
    assert response.status_code == 302 and response.url == url("edit", intervention.pk)
    intervention.refresh_from_db()
    ticket.refresh_from_db()
    assert intervention.status == IS.CLOSED
    assert ticket.status == TS.CLOSED and ticket.closed_at is not None
    assert ticket.events.count() == events + 1
    last = ticket.events.last()
    assert (last.status, last.actor) == (TS.CLOSED, dispatcher)


@pytest.mark.django_db
def test_cancelling_from_the_admin_asks_the_reason(dispatcher_client, converted, dispatcher):
    intervention, ticket = converted
    form_url = url("status", intervention.pk) + f"?status={IS.CANCELLED}"
    response = dispatcher_client.get(form_url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["status"] == IS.CANCELLED and "reason" in form.fields
    events = ticket.events.count()

    # No reason: the service refuses, the form names the field, nothing changed.
    response = dispatcher_client.post(form_url, {"status": IS.CANCELLED, "reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    ticket.refresh_from_db()
    assert Intervention.objects.get(pk=intervention.pk).status == IS.PLANNED
    assert ticket.status == TS.PLANNED and ticket.events.count() == events

    response = dispatcher_client.post(form_url, {"status": IS.CANCELLED,
                                                 "reason": "Le client a annulé."})
    assert response.status_code == 302
    intervention.refresh_from_db()
    ticket.refresh_from_db()
    assert intervention.status == IS.CANCELLED
    assert "Le client a annulé." in intervention.comments
    assert ticket.status == TS.IN_PROGRESS
    last = ticket.events.last()
    assert (last.status, last.actor) == (TS.IN_PROGRESS, dispatcher)
    assert "annulée" in last.message
    # Nothing more to do with it.
    assert dispatcher_client.get(url("status", intervention.pk)).status_code == 302


@pytest.mark.django_db
def test_a_move_the_pipeline_lacks_is_refused(dispatcher_client, converted):
    intervention, _ticket = converted
    response = dispatcher_client.post(url("status", intervention.pk), {"status": IS.CLOSED})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert Intervention.objects.get(pk=intervention.pk).status == IS.PLANNED


@pytest.mark.django_db
def test_staff_without_the_right_are_refused(client, converted, sales_admin, julie):
    intervention, ticket = converted
    # Sales administration reaches the admin, not the interventions (Wagtail turns the
    # refusal into a redirect with a message); a technician has no back office at all.
    for user in (sales_admin, julie):
        client.force_login(user)
        response = client.post(url("status", intervention.pk),
                               {"status": IS.CANCELLED, "reason": "Non"})
        assert response.status_code in (302, 403), user
        if response.status_code == 302:
            assert response.url != url("edit", intervention.pk)
    ticket.refresh_from_db()
    assert Intervention.objects.get(pk=intervention.pk).status == IS.PLANNED
    assert ticket.status == TS.PLANNED
