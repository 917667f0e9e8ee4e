"""The demo's service story (portal_api/common/demo.py): told through the services, so that
requests have a timeline, signed interventions a report, and the Action Center a flagged
serial number."""

import re

import pytest
from django.db import transaction

from portal_api.common.demo import seed_demo
from portal_api.documents.models import DocumentKind
from portal_api.service.models import Intervention, InterventionStatus, Ticket, TicketStatus


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert seed_demo() is True
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded")
class TestDemoService:
    def test_every_signed_dupond_intervention_has_its_report(self):
        signed = Intervention.objects.filter(client_account__code="DUPOND",
                                             signed_at__isnull=False)
        assert signed.count() >= 5
        assert not signed.filter(report=None).exists()
        for intervention in signed.select_related("report"):
            report = intervention.report
            assert report.kind == DocumentKind.INTERVENTION_REPORT
            assert report.client_account_id == intervention.client_account_id
            assert report.related_object == intervention
            assert intervention.number in report.title
        assert not Intervention.objects.filter(signed_at__isnull=False,
                                               signature_image="").exists()

    def test_timelines_tell_the_story_in_order_with_final_numbers(self):
        for ticket in Ticket.objects.select_related("intervention").prefetch_related("events"):
            events = list(ticket.events.all())
            assert events, ticket.number
            assert events[0].status == TicketStatus.RECEIVED
            assert events[-1].status == ticket.status, ticket.number
            moments = [e.created_at for e in events]
            assert moments == sorted(moments) and moments[0] == ticket.created_at
            for event in events:
                for number in re.findall(r"BI-\d{4}-\d{6}", event.message):
                    assert number == ticket.intervention.number
        closed = Ticket.objects.filter(status=TicketStatus.CLOSED,
                                       intervention__status=InterventionStatus.CLOSED).first()
        assert [e.status for e in closed.events.all()][-2:] == [TicketStatus.DONE,
                                                                TicketStatus.CLOSED]

    def test_a_typed_serial_matching_nothing_waits_flagged(self):
        flagged = [t for t in Ticket.objects.filter(status=TicketStatus.RECEIVED,
                                                    client_account__code="DUPOND")
                   if t.serial_unmatched]
        assert len(flagged) == 1 and flagged[0].requester.email == "martin@dupond-industrie.fr"

    def test_meter_readings_follow_the_sheets(self):
        for intervention in Intervention.objects.exclude(meter_reading=None).exclude(
                equipment=None)[:20]:
            [reading] = intervention.meter_readings.all()
            assert reading.value == intervention.meter_reading
            assert reading.read_at == intervention.end_at
