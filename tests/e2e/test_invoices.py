"""Browser journeys for invoices and documents: Dupond opens his invoices, filters them, sees
the totals and downloads an invoice PDF; he finds his documents and downloads one; Martin gets
no invoices; another company sees none of Dupond's invoices or documents."""

import datetime

import pytest
from playwright.sync_api import expect

from cms.models import ExtranetHomePage, PortalPage
from portal_api.billing.services import (
    invoice_create_draft,
    invoice_issue,
    invoice_mark_overdue,
    invoice_mark_paid,
)
from portal_api.documents.models import DocumentKind
from portal_api.documents.services import document_create

from .test_vertical_slice import log_in, open_filters

LINES = [{"label": "Entretien chaudière", "quantity": "1", "unit_price_excl_tax": "180.00",
          "vat_rate": "10.00"},
         {"label": "Vanne trois voies", "quantity": "2", "unit_price_excl_tax": "1045.00",
          "vat_rate": "20.00"}]


@pytest.fixture
def billing_pages(portal_pages):
    extranet = ExtranetHomePage.objects.get()
    extranet.add_child(instance=PortalPage(
        title="Factures", slug="factures", show_in_menus=True,
        required_permission="billing.view_invoices",
        intro=[("invoices", {"title": "", "exportable": True})]))
    extranet.add_child(instance=PortalPage(
        title="Documents", slug="documents", show_in_menus=True,
        required_permission="documents.view_documents",
        intro=[("documents", {"title": ""})]))


@pytest.fixture
def invoices(dupond_company):
    made = []
    for month, status in ((1, "paid"), (2, "issued"), (3, "overdue")):
        invoice = invoice_issue(
            invoice=invoice_create_draft(client_account=dupond_company, lines=LINES),
            issue_date=datetime.date(2026, month, 12))
        if status == "paid":
            invoice_mark_paid(invoice=invoice, paid_at=datetime.date(2026, month, 20))
        elif status == "overdue":
            invoice_mark_overdue(invoice=invoice,
                                 today=invoice.due_date + datetime.timedelta(days=1))
        invoice.refresh_from_db()
        made.append(invoice)
    invoice_create_draft(client_account=dupond_company, lines=LINES)  # never shown
    return made


def test_dupond_filters_his_invoices_and_downloads_a_pdf(page, billing_pages, invoices, dupond,
                                                         screenshot):
    log_in(page, dupond.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Factures").click()
    widget = page.locator("portal-invoice-list")
    expect(widget.locator("tbody tr")).to_have_count(3)
    # 3 × 2 270,00 € HT, 3 × 2 706,00 € TTC; two of them still to pay.
    expect(widget.locator("[data-total=total_excl_tax]")).to_have_text("6 810,00 €")
    expect(widget.locator("[data-total=amount_due]")).to_have_text("5 412,00 €")
    overdue = widget.locator("tbody tr", has=page.locator("[data-status=overdue]"))
    expect(overdue.locator(".status")).to_have_text("En retard")
    expect(overdue.locator(".status")).to_have_class("status status--err")
    screenshot("invoices-dupond")

    open_filters(widget)
    widget.get_by_label("Statut").select_option("paid")
    widget.get_by_role("button", name="Filtrer").click()
    expect(widget.locator("tbody tr")).to_have_count(1)
    expect(widget.locator("tbody tr")).to_contain_text(invoices[0].number)
    expect(widget.locator("[data-total=amount_due]")).to_have_text("0,00 €")

    with page.expect_download() as download_info:
        widget.get_by_role(
            "link", name=f"Télécharger la facture {invoices[0].number} (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{invoices[0].number}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"

    # A period ending before it starts is refused with a readable message.
    widget.get_by_label("Statut").select_option("")
    widget.get_by_label("Émise depuis le").fill("2026-03-01")
    widget.get_by_label("Émise jusqu'au").fill("2026-01-01")
    widget.get_by_role("button", name="Filtrer").click()
    expect(widget.locator("[data-state=error]")).to_be_visible()


def test_dupond_finds_and_downloads_his_documents(page, billing_pages, invoices, dupond,
                                                  dupond_company, screenshot):
    """Each row shows the document's own date (the invoices' issue dates, the contract's
    start), newest first, whatever day the files were generated; the kind filter offers only
    the kinds he has documents of and may read."""
    document_create(title="Contrat de maintenance 2026", filename="contrat.pdf",
                    content=b"%PDF-1.4 contrat", kind=DocumentKind.CONTRACT,
                    client_account=dupond_company, document_date=datetime.date(2025, 12, 15))
    # A buyer follows no intervention: never listed, never offered as a kind.
    document_create(title="Bon d'intervention BI-2026-000001", filename="bi.pdf",
                    content=b"%PDF-1.4 bon", kind=DocumentKind.INTERVENTION_REPORT,
                    client_account=dupond_company)
    log_in(page, dupond.email)
    page.goto("/espace-client/documents/")
    widget = page.locator("portal-document-list")
    # The three issued invoices' PDFs (stored on issue) and the contract; not the report:
    # Dupond may not follow interventions (documents go by the right of their source).
    rows = widget.locator("tbody tr")
    expect(rows).to_have_count(4)
    expect(widget.locator("[data-kind=intervention_report]")).to_have_count(0)
    expect(widget.locator("[data-kind=invoice]")).to_have_count(3)
    dates = widget.locator("tbody td[data-label=Date]")
    expect(dates).to_have_text(["12/03/2026", "12/02/2026", "12/01/2026", "15/12/2025"])
    kind = widget.get_by_label("Type")
    screenshot("documents-dupond")
    open_filters(widget)
    expect(kind.locator("option")).to_have_text(["Tous", "Contrat", "Facture"])
    kind.select_option("contract")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(kind).to_have_value("contract")
    # The kind chosen survives a reload, once the options are known again.
    page.reload()
    expect(rows).to_have_count(1)
    expect(kind).to_have_value("contract")
    with page.expect_download() as download_info:
        widget.get_by_role("link", name="Télécharger « Contrat de maintenance 2026 »").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read() == b"%PDF-1.4 contrat"


def test_martin_gets_no_invoices(page, billing_pages, invoices, martin):
    log_in(page, martin.email)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Documents")).to_have_count(1)
    expect(menu.get_by_role("link", name="Factures")).to_have_count(0)
    assert page.goto("/espace-client/factures/").status == 403
    assert page.request.get("/api/v1/invoices/").status == 403
    assert page.request.get(f"/api/v1/invoices/{invoices[0].pk}/pdf/").status == 403


def test_another_company_sees_none_of_duponds_invoices(page, billing_pages, invoices,
                                                       other_manager):
    log_in(page, other_manager.email)
    page.goto("/espace-client/factures/")
    widget = page.locator("portal-invoice-list")
    expect(widget.locator("[data-state=empty]")).to_be_visible()
    expect(widget).not_to_contain_text(invoices[0].number)
    assert page.request.get(f"/api/v1/invoices/{invoices[0].pk}/pdf/").status == 404
    page.goto("/espace-client/documents/")
    expect(page.locator("portal-document-list [data-state=empty]")).to_be_visible()
