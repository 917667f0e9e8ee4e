"""Celery tasks for orders: take ids, call a service; safe to run twice."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def order_placed_notify_task(self, order_id: int) -> bool:
    """E-mail the staff and the user once an order is placed (sent at most once)."""
    from portal_api.orders.services import order_notify_placed

    try:
        return order_notify_placed(order_id=order_id)
    except OSError as exc:  # SMTP server unreachable: try again later
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def order_render_pdf_task(self, order_id: int) -> int | None:
    """Render a placed order's PDF and store it in the GED; returns the Document id. Does
    nothing for an order that is gone or still a draft, and keeps a stored PDF."""
    from portal_api.orders.models import Order
    from portal_api.orders.services import order_pdf_ensure

    order = Order.objects.filter(pk=order_id, submitted_at__isnull=False).first()
    if order is None:
        return None
    return order_pdf_ensure(order=order).pk
