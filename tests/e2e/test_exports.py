"""Browser journeys for long exports: above the threshold Dupond's export shows a progress bar
and then the download link; while no worker runs it says it waits, shows the rows written as
the worker writes them and downloads once done; the invoice PDFs of a period come as one ZIP."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from cms.models import ExtranetHomePage, PortalPage
from config.celery import app
from portal_api.exports.models import ExportJob, ExportStatus
from tests.portal_api.exports.conftest import make_invoice, make_orders
from workflows.tasks.exports import export_run_task

from .test_vertical_slice import log_in, open_filters


@pytest.fixture
def export_pages(portal_pages):
    extranet = ExtranetHomePage.objects.get()
    extranet.add_child(instance=PortalPage(
        title="Commandes", slug="commandes", show_in_menus=True,
        required_permission="orders.view_orders",
        intro=[("orders", {"title": "", "exportable": True})]))
    extranet.add_child(instance=PortalPage(
        title="Factures", slug="factures", show_in_menus=True,
        required_permission="billing.view_invoices",
        intro=[("invoices", {"title": "", "exportable": True})]))


@pytest.fixture
def many_orders(transactional_db, dupond, dupond_company):
    return make_orders(dupond_company, dupond, 12)


def xlsx_data_rows(path) -> int:
    with open(path, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
        return sum(1 for _ in sheet.iter_rows()) - 1


def test_a_long_export_shows_its_progress_then_downloads(page, export_pages, many_orders,
                                                         dupond, settings, screenshot):
    settings.EXPORT_SYNC_MAX_ROWS = 5  # the live server runs in this process
    log_in(page, dupond.email)
    page.goto("/espace-client/commandes/")
    widget = page.locator("portal-order-list")
    expect(widget.locator("tbody tr")).to_have_count(12)
    widget.get_by_role("link", name="Exporter (.xlsx)").click()

    panel = widget.locator(".export-progress")
    expect(panel.locator("progress")).to_be_visible()
    expect(panel).to_have_attribute("data-export-status", "done")
    expect(panel.locator(".export-progress__count")).to_have_text("12 / 12 lignes")
    expect(panel).to_contain_text("Votre fichier est prêt.")
    screenshot("export-done")
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Télécharger le fichier").click()
    assert download_info.value.suggested_filename.startswith("commandes-")
    assert xlsx_data_rows(download_info.value.path()) == 12

    # Under the threshold the file comes at once, without a job.
    settings.EXPORT_SYNC_MAX_ROWS = 50
    with page.expect_download() as download_info:
        widget.get_by_role("link", name="Exporter (.xlsx)").click()
    assert xlsx_data_rows(download_info.value.path()) == 12
    expect(widget.locator(".export-progress")).to_contain_text("Fichier téléchargé")
    assert ExportJob.objects.count() == 1


@pytest.fixture
def worker_down():
    """Tasks go to the broker and no worker takes them (until the test runs one itself)."""
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True
        app.control.purge()  # what this test queued and nobody took


def test_while_no_worker_runs_the_export_waits_then_completes(page, export_pages, many_orders,
                                                              dupond, settings, worker_down,
                                                              screenshot):
    settings.EXPORT_SYNC_MAX_ROWS = 5
    log_in(page, dupond.email)
    page.goto("/espace-client/commandes/")
    widget = page.locator("portal-order-list")
    expect(widget.locator("tbody tr")).to_have_count(12)
    open_filters(widget)
    widget.get_by_label("Statut").select_option("submitted")
    widget.get_by_role("button", name="Filtrer").click()
    widget.get_by_role("link", name="Exporter (.xlsx)").click()

    panel = widget.locator(".export-progress")
    expect(panel).to_have_attribute("data-export-status", "pending")
    expect(panel).to_contain_text("En attente : l'export démarrera dès que possible.")
    expect(panel.locator(".export-progress__count")).to_have_text("0 / 12 lignes")
    screenshot("export-pending")
    job = ExportJob.objects.get()
    assert job.params == {"status": ["submitted"]}

    # A worker takes it and writes its progress: the bar follows within a poll or two.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, written=5,
                                               attempts=1)
    expect(panel.locator(".export-progress__count")).to_have_text("5 / 12 lignes")
    expect(panel.locator("progress")).to_have_attribute("value", "5")
    expect(panel).to_contain_text("Export en cours…")
    screenshot("export-running")

    # That worker died; the task is delivered again and runs to the end.
    ExportJob.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - datetime.timedelta(minutes=10))
    export_run_task.apply(args=[job.pk])
    expect(panel).to_have_attribute("data-export-status", "done")
    expect(panel.locator(".export-progress__count")).to_have_text("12 / 12 lignes")
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Télécharger le fichier").click()
    assert xlsx_data_rows(download_info.value.path()) == 12


@pytest.fixture
def invoices(transactional_db, dupond_company, other_company):
    return [make_invoice(dupond_company, datetime.date(2026, month, 10)) for month in (1, 2, 3)]


def test_the_invoice_pdfs_of_a_period_come_as_one_zip(page, export_pages, invoices, dupond,
                                                      screenshot):
    log_in(page, dupond.email)
    page.goto("/espace-client/factures/")
    widget = page.locator("portal-invoice-list")
    expect(widget.locator("tbody tr")).to_have_count(3)
    zip_button = widget.get_by_role("button", name="Télécharger les PDF de la période (ZIP)")

    # No period yet: said so, nothing asked.
    zip_button.click()
    expect(widget.locator(".portal-list__export [role=alert]")).to_contain_text(
        "Choisissez d'abord la période")
    # The end before the start: the API's message.
    open_filters(widget)
    widget.get_by_label("Émise depuis le").fill("2026-03-01")
    widget.get_by_label("Émise jusqu'au").fill("2026-01-01")
    zip_button.click()
    expect(widget.locator(".portal-list__export [role=alert]")).to_contain_text(
        "La fin de la période ne peut précéder son début.")
    assert not ExportJob.objects.exists()

    widget.get_by_label("Émise depuis le").fill("2026-01-01")
    widget.get_by_label("Émise jusqu'au").fill("2026-02-28")
    zip_button.click()
    panel = widget.locator(".export-progress")
    expect(panel).to_have_attribute("data-export-status", "done")
    expect(panel).to_contain_text("PDF des factures du 01/01/2026 au 28/02/2026")
    expect(panel.locator(".export-progress__count")).to_have_text("2 / 2 factures")
    screenshot("invoice-zip-done")
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Télécharger le fichier").click()
    assert download_info.value.suggested_filename == "factures-2026-01-01-2026-02-28.zip"
    with zipfile.ZipFile(download_info.value.path()) as archive:
        assert archive.namelist() == [f"{invoices[0].number}.pdf", f"{invoices[1].number}.pdf"]
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
