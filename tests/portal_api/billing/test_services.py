import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from portal_api.accounts.factories import ClientAccountFactory
from portal_api.billing.models import Invoice
from portal_api.billing.services import (
    invoice_create_draft,
    invoice_issue,
    invoice_mark_overdue,
    invoice_mark_paid,
)
from portal_api.common.errors import ServiceError

LINES = [
    {"label": "Main-d'œuvre", "quantity": "2", "unit_price_excl_tax": "55.00",
     "vat_rate": "20.00"},
    {"label": "Joint", "quantity": "3", "unit_price_excl_tax": "1.99", "vat_rate": "5.50"},
]


def draft(company=None):
    return invoice_create_draft(client_account=company or ClientAccountFactory(), lines=LINES)


@pytest.mark.django_db
class TestInvoice:
    def test_totals_with_vat_per_rate(self):
        invoice = draft()
        assert str(invoice.total_excl_tax) == "115.97"
        # 110.00 × 20 % = 22.00 ; 5.97 × 5.5 % = 0.33
        assert str(invoice.total_vat) == "22.33"
        assert str(invoice.total_incl_tax) == "138.30"

    def test_numbers_are_sequential_per_year(self):
        company = ClientAccountFactory()
        numbers = [
            invoice_issue(invoice=draft(company), issue_date=datetime.date(2026, month, 1)).number
            for month in (1, 2, 3)
        ]
        assert numbers == ["FA-2026-00001", "FA-2026-00002", "FA-2026-00003"]
        next_year = invoice_issue(invoice=draft(company), issue_date=datetime.date(2027, 1, 2))
        assert next_year.number == "FA-2027-00001"
        assert next_year.due_date == datetime.date(2027, 2, 1)

    def test_a_rolled_back_issue_gives_its_number_back(self):
        invoice = draft()
        with pytest.raises(RuntimeError), transaction.atomic():
            invoice_issue(invoice=invoice, issue_date=datetime.date(2026, 5, 1))
            raise RuntimeError("the PDF could not be stored")
        invoice.refresh_from_db()
        assert invoice.number is None and invoice.status == "draft"
        assert invoice_issue(invoice=invoice,
                             issue_date=datetime.date(2026, 5, 1)).number == "FA-2026-00001"

    def test_an_issued_invoice_is_never_renumbered(self):
        invoice = invoice_issue(invoice=draft(), issue_date=datetime.date(2026, 5, 1))
        with pytest.raises(ServiceError) as error:
            invoice_issue(invoice=invoice)
        assert error.value.code == "already_issued"
        invoice.refresh_from_db()
        assert invoice.number == "FA-2026-00001"

    def test_an_empty_invoice_cannot_be_issued(self):
        invoice = invoice_create_draft(client_account=ClientAccountFactory(), lines=[])
        with pytest.raises(ServiceError):
            invoice_issue(invoice=invoice)
        assert Invoice.objects.get(pk=invoice.pk).number is None

    def test_paid_and_overdue(self):
        late = invoice_issue(invoice=draft(), issue_date=datetime.date(2026, 1, 1))
        paid = invoice_issue(invoice=draft(), issue_date=datetime.date(2026, 1, 1))
        invoice_mark_paid(invoice=paid, paid_at=datetime.date(2026, 1, 20))
        assert invoice_mark_overdue(today=datetime.date(2026, 3, 1)) == 1
        late.refresh_from_db()
        assert late.status == "overdue"
        with pytest.raises(ServiceError):
            invoice_mark_paid(invoice=draft())


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent issuing needs PostgreSQL (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_distinct_gapless_numbers():
    company = ClientAccountFactory()
    drafts = [draft(company) for _ in range(12)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(invoice):
        try:
            barrier.wait()
            invoice_issue(invoice=invoice, issue_date=datetime.date(2026, 6, 1))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    sequences = sorted(Invoice.objects.filter(year=2026).values_list("sequence", flat=True))
    assert sequences == list(range(1, 13))
