import datetime

import pytest

from portal_api.billing.models import Invoice
from portal_api.billing.services import (
    invoice_create_draft,
    invoice_issue,
    invoice_mark_overdue,
    invoice_mark_paid,
)

LINES = [
    {"label": "Main-d'œuvre", "quantity": "2", "unit_price_excl_tax": "55.00",
     "vat_rate": "20.00"},
    {"label": "Joint", "quantity": "3", "unit_price_excl_tax": "1.99", "vat_rate": "5.50"},
]


def make_invoice(company, *, issue_date=datetime.date(2026, 3, 1), status="issued",
                 lines=LINES) -> Invoice:
    """An invoice of the company in the given status (draft, issued, paid, overdue)."""
    invoice = invoice_create_draft(client_account=company, lines=lines)
    if status == "draft":
        return invoice
    invoice = invoice_issue(invoice=invoice, issue_date=issue_date)
    if status == "paid":
        invoice = invoice_mark_paid(invoice=invoice, paid_at=issue_date)
    elif status == "overdue":
        invoice_mark_overdue(invoice=invoice,
                             today=invoice.due_date + datetime.timedelta(days=1))
        invoice.refresh_from_db()
    return invoice


@pytest.fixture
def invoice_of():
    return make_invoice
