"""Celery tasks for the service: take ids, call a service; safe to run twice."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def ticket_notify_staff_task(self, ticket_id: int) -> bool:
    """E-mail the staff about a new request ("[URGENT]" first for an urgent one); at most
    once per request."""
    from portal_api.service.services import ticket_notify_staff

    try:
        return ticket_notify_staff(ticket_id=ticket_id)
    except OSError as exc:  # SMTP server unreachable: try again later
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def ticket_notify_answered_task(self, ticket_id: int) -> bool:
    """E-mail the answer of a closed request to its reply-to contact (or the requester); at
    most once per request."""
    from portal_api.service.services import ticket_notify_answered

    try:
        return ticket_notify_answered(ticket_id=ticket_id)
    except OSError as exc:
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def intervention_render_report_task(self, intervention_id: int) -> int | None:
    """Render a signed intervention's report PDF and store it in the GED; returns the
    Document id. Nothing to do when it already has one (or is gone, or is not signed)."""
    from portal_api.service.models import Intervention
    from portal_api.service.services import intervention_report_ensure

    intervention = (Intervention.objects.filter(pk=intervention_id)
                    .only("id", "report_id", "signed_at").first())
    if intervention is None or intervention.signed_at is None:
        return None
    if intervention.report_id:
        return intervention.report_id
    return intervention_report_ensure(intervention=intervention).pk
