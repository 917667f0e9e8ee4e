"""Celery tasks for accounts: take ids, fetch, call a service; safe to run twice."""

from celery import shared_task

from portal_api.accounts.models import User
from portal_api.accounts.services import (
    portal_user_invitation_notice_send,
    portal_user_invitation_send,
)


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def portal_user_send_invitation_task(self, user_id: int, invited_by_id: int | None = None
                                     ) -> bool:
    """E-mail a colleague his invitation. Nothing to do once he has chosen a password or if he
    was deactivated or deleted meanwhile."""
    user = (User.objects.select_related("portal_profile__client_account")
            .filter(pk=user_id, is_active=True, portal_profile__isnull=False).first())
    if user is None or user.has_usable_password():
        return False
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    try:
        portal_user_invitation_send(user=user, invited_by=invited_by)
    except OSError as exc:  # SMTP down: try again later
        raise self.retry(exc=exc) from exc
    return True


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def portal_user_send_invitation_notice_task(self, user_id: int, invited_by_id: int) -> bool:
    """E-mail an existing account that a client's manager tried to invite it (its address is
    never revealed to him). Nothing to do if it was deactivated or deleted meanwhile."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    invited_by = User.objects.filter(pk=invited_by_id).first()
    if user is None or invited_by is None:
        return False
    try:
        portal_user_invitation_notice_send(user=user, invited_by=invited_by)
    except OSError as exc:  # SMTP down: try again later
        raise self.retry(exc=exc) from exc
    return True
