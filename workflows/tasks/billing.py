"""Celery tasks for billing: take ids, fetch, call a service; safe to run twice."""

from celery import shared_task

from portal_api.billing.models import Contract, Invoice, InvoiceStatus
from portal_api.billing.services import contract_pdf_ensure, invoice_pdf_ensure


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def invoice_render_pdf_task(self, invoice_id: int) -> int | None:
    """Render an issued invoice's PDF and store it in the GED; returns the Document id.
    Does nothing when the invoice already has its PDF (or is gone, or still a draft)."""
    invoice = Invoice.objects.filter(pk=invoice_id).only("id", "pdf_id", "status").first()
    if invoice is None or invoice.status == InvoiceStatus.DRAFT:
        return None
    if invoice.pdf_id:
        return invoice.pdf_id
    return invoice_pdf_ensure(invoice=invoice).pk


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def contract_render_pdf_task(self, contract_id: int) -> int | None:
    """Render a contract's PDF and store it in the GED (kept when it has one); returns the
    Document id, None when the contract is gone."""
    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        return None
    return contract_pdf_ensure(contract=contract).pk
