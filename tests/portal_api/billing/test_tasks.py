"""Issuing an invoice renders its PDF in the background and stores it in the GED, once."""

import datetime

import pytest
from django.db import transaction

from portal_api.billing.models import Invoice
from portal_api.billing.services import invoice_create_draft, invoice_issue
from portal_api.documents.models import Document, DocumentKind
from workflows.tasks.billing import invoice_render_pdf_task

from .conftest import LINES, make_invoice

pytestmark = pytest.mark.django_db


def test_issuing_queues_the_pdf_after_commit(dupond_company,
                                             django_capture_on_commit_callbacks):
    draft = invoice_create_draft(client_account=dupond_company, lines=LINES)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invoice_issue(invoice=draft, issue_date=datetime.date(2026, 4, 2))
    assert len(callbacks) == 1
    assert not Document.objects.exists()  # nothing before the commit


def test_the_committed_issue_stores_the_pdf_as_a_document(dupond_company,
                                                          django_capture_on_commit_callbacks):
    draft = invoice_create_draft(client_account=dupond_company, lines=LINES)
    with django_capture_on_commit_callbacks(execute=True):
        invoice_issue(invoice=draft, issue_date=datetime.date(2026, 4, 2))
    invoice = Invoice.objects.select_related("pdf").get(pk=draft.pk)
    document = invoice.pdf
    assert document is not None
    assert document.kind == DocumentKind.INVOICE
    assert document.client_account == dupond_company
    assert document.related_object == invoice
    assert document.title == f"Facture {invoice.number}"
    assert document.content_type == "application/pdf"
    with document.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF") and len(content) == document.size


def test_running_the_task_twice_makes_one_document(dupond_company):
    invoice = make_invoice(dupond_company)  # on_commit not run: no PDF yet
    assert invoice.pdf_id is None
    first = invoice_render_pdf_task.delay(invoice.pk).get()
    second = invoice_render_pdf_task.delay(invoice.pk).get()
    assert first == second
    assert Document.objects.filter(kind=DocumentKind.INVOICE).count() == 1
    invoice.refresh_from_db()
    assert invoice.pdf_id == first


def test_the_task_ignores_drafts_and_deleted_invoices(dupond_company):
    draft = make_invoice(dupond_company, status="draft")
    assert invoice_render_pdf_task.delay(draft.pk).get() is None
    assert invoice_render_pdf_task.delay(999_999).get() is None
    assert not Document.objects.exists()


def test_a_rolled_back_issue_queues_nothing(dupond_company, django_capture_on_commit_callbacks):
    draft = invoice_create_draft(client_account=dupond_company, lines=LINES)
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        invoice_issue(invoice=draft, issue_date=datetime.date(2026, 4, 2))
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not Document.objects.exists()


def test_issuing_in_the_admin_stores_the_pdf(admin_client, dupond_company,
                                             django_capture_on_commit_callbacks):
    """Staff issue invoices in the Wagtail admin: the PDF follows."""
    from django.urls import reverse

    draft = invoice_create_draft(client_account=dupond_company, lines=LINES)
    # « Émettre » in the edit view's header: the status form, posted to invoice_set_status.
    move = reverse("wagtailsnippets_billing_invoice:status", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(move, {"status": "issued"})
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "issued" and draft.pdf is not None
    assert draft.pdf.kind == DocumentKind.INVOICE
