import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from portal_api.accounts.factories import ClientAccountFactory
from portal_api.billing.models import Invoice, InvoiceStatus
from portal_api.billing.services import (
    invoice_create_draft,
    invoice_issue,
    invoice_mark_overdue,
    invoice_mark_paid,
    invoice_set_status,
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


@pytest.mark.django_db
class TestSetStatus:
    """invoice_set_status: the pipeline's moves, each through its service."""

    def test_issued_then_overdue_then_paid(self, sales_admin):
        invoice = invoice_set_status(invoice=draft(), status=InvoiceStatus.ISSUED,
                                     by=sales_admin)
        assert invoice.number.startswith("FA-") and invoice.due_date
        assert invoice.allowed_next_statuses() == {InvoiceStatus.PAID, InvoiceStatus.OVERDUE}
        # Not overdue before its due date (invoice_mark_overdue moves only those past it).
        with pytest.raises(ServiceError) as exc:
            invoice_set_status(invoice=invoice, status=InvoiceStatus.OVERDUE, by=sales_admin)
        assert exc.value.status_code == 409
        Invoice.objects.filter(pk=invoice.pk).update(
            issue_date=datetime.date(2026, 1, 2), due_date=datetime.date(2026, 2, 1))
        invoice = invoice_set_status(invoice=invoice, status=InvoiceStatus.OVERDUE,
                                     by=sales_admin)
        assert invoice.status == InvoiceStatus.OVERDUE
        invoice = invoice_set_status(invoice=invoice, status=InvoiceStatus.PAID, by=sales_admin,
                                     paid_at=datetime.date(2026, 3, 3))
        assert invoice.status == InvoiceStatus.PAID
        assert invoice.paid_at == datetime.date(2026, 3, 3)
        assert invoice.allowed_next_statuses() == frozenset()

    @pytest.mark.parametrize("target", [InvoiceStatus.PAID, InvoiceStatus.OVERDUE,
                                        InvoiceStatus.DRAFT])
    def test_a_draft_is_only_issued(self, sales_admin, target):
        invoice = draft()
        with pytest.raises(ServiceError) as exc:
            invoice_set_status(invoice=invoice, status=target, by=sales_admin)
        assert exc.value.status_code == 409
        assert "« Brouillon »" in exc.value.message
        assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.DRAFT

    def test_a_paid_invoice_goes_nowhere(self, sales_admin):
        invoice = invoice_mark_paid(invoice=invoice_issue(invoice=draft()))
        for target in (InvoiceStatus.ISSUED, InvoiceStatus.OVERDUE, InvoiceStatus.DRAFT):
            with pytest.raises(ServiceError) as exc:
                invoice_set_status(invoice=invoice, status=target, by=sales_admin)
            assert exc.value.status_code == 409
            assert "« Payée »" in exc.value.message

    def test_mark_overdue_moves_only_issued_invoices_past_due(self):
        issued = invoice_issue(invoice=draft(), issue_date=datetime.date(2026, 1, 5))
        paid = invoice_mark_paid(invoice=invoice_issue(invoice=draft(),
                                                       issue_date=datetime.date(2026, 1, 5)))
        assert invoice_mark_overdue(today=datetime.date(2026, 3, 1)) == 1
        assert Invoice.objects.get(pk=issued.pk).status == InvoiceStatus.OVERDUE
        assert Invoice.objects.get(pk=paid.pk).status == InvoiceStatus.PAID


@pytest.mark.django_db
class TestContractPdf:
    def test_a_new_contract_gets_its_pdf_dated_its_start(
            self, django_capture_on_commit_callbacks):
        from io import BytesIO

        from pypdf import PdfReader

        from portal_api.billing.services import contract_create
        from portal_api.documents.models import Document, DocumentKind
        from portal_api.service.factories import EquipmentFactory

        account = ClientAccountFactory()
        with django_capture_on_commit_callbacks(execute=True):
            contract = contract_create(
                client_account=account, number="CT-2026-007", title="Maintenance CVC",
                start_date=datetime.date(2026, 2, 1), end_date=datetime.date(2027, 1, 31))
        document = Document.objects.get(kind=DocumentKind.CONTRACT)
        assert document.related_object == contract and document.client_account == account
        assert document.document_date == datetime.date(2026, 2, 1)
        assert document.title == "Contrat CT-2026-007 – Maintenance CVC"
        # Rendered again with its equipment once it is attached.
        EquipmentFactory(client_account=account, site__client_account=account,
                         contract=contract, serial_number="SN-42", label="Chaudière")
        from portal_api.billing.services import contract_pdf_ensure

        again = contract_pdf_ensure(contract=contract, replace=True)
        text = PdfReader(BytesIO(again.file.read())).pages[0].extract_text()
        assert "MAINTENANCE" in text and "SN-42" in text and "01/02/2026" in text
        assert Document.objects.filter(kind=DocumentKind.CONTRACT).count() == 1
