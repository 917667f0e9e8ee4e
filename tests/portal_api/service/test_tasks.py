"""The service's Celery tasks take ids and are safe to run twice."""

import datetime

from django.utils import timezone

from portal_api.service.factories import TicketFactory
from portal_api.service.services import (
    intervention_sheet_update,
    intervention_sign,
    ticket_close,
    ticket_create,
)
from workflows.tasks.service import (
    intervention_render_report_task,
    ticket_notify_answered_task,
    ticket_notify_staff_task,
)


def test_staff_notification_sent_once(martin, dupond_company, boiler, mailoutbox,
                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_create(client_account=dupond_company, requester=martin,
                               equipment=boiler, description="Fuite", urgent=True)
    assert len(mailoutbox) == 1
    assert ticket_notify_staff_task.delay(ticket.pk).get() is False
    assert ticket_notify_staff_task.delay(999999).get() is False
    assert len(mailoutbox) == 1
    ticket.refresh_from_db()
    assert ticket.staff_notified_at is not None


def test_answer_sent_once_and_only_when_closed(martin, dupond_site, dispatcher, mailoutbox,
                                              django_capture_on_commit_callbacks):
    ticket = TicketFactory(site=dupond_site, requester=martin)
    assert ticket_notify_answered_task.delay(ticket.pk).get() is False  # not closed yet
    with django_capture_on_commit_callbacks(execute=True):
        ticket_close(ticket=ticket, by=dispatcher, answer="Réglé.")
    assert [m.to for m in mailoutbox] == [["martin@dupond-industrie.fr"]]
    assert ticket_notify_answered_task.delay(ticket.pk).get() is False
    assert len(mailoutbox) == 1


def test_report_task_is_idempotent(intervention, julie, files):
    assert intervention_render_report_task.delay(intervention.pk).get() is None  # unsigned
    moment = timezone.now() - datetime.timedelta(hours=1)
    intervention_sheet_update(intervention=intervention, by=julie, arrival_at=moment,
                              end_at=timezone.now(), work_done="Contrôle")
    intervention_sign(intervention=intervention, by=julie, signer_name="Paul Martin",
                      signature_png=files.signature())
    first = intervention_render_report_task.delay(intervention.pk).get()
    assert first is not None
    assert intervention_render_report_task.delay(intervention.pk).get() == first
    assert intervention_render_report_task.delay(999999).get() is None
