"""Browser journeys for <portal-dashboard>: M. Dupond's extranet home shows his tiles (no
intervention tile) and a chart with its values in a table; he hides a tile, reloads, it stays
hidden; he moves a tile with the keyboard; "Réinitialiser" brings the defaults back. Julie's
LivePilot on her phone: today's intervention opens its sheet, one column of tiles."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal_api.accounts.factories import SiteFactory
from portal_api.service.factories import (
    EquipmentFactory,
    ExpenseFactory,
    InterventionFactory,
    TimeEntryFactory,
)
from tests.portal_api.dashboards.conftest import document, invoice, order

from .test_vertical_slice import log_in

DUPOND_TILES = ["orders_drafts", "orders_in_progress", "invoices_due", "invoices_overdue",
                "invoices_paid_year", "spend_chart", "feed"]


def months_ago(today: datetime.date, n: int, day: int = 12) -> datetime.date:
    index = today.year * 12 + today.month - 1 - n
    return datetime.date(index // 12, index % 12 + 1, day)


@pytest.fixture
def dupond_figures(dupond_company, other_company):
    today = timezone.localdate()
    order(dupond_company, "draft")
    order(dupond_company, "submitted", "1416.00", submitted_at=timezone.now())
    order(dupond_company, "confirmed", "864.50", submitted_at=timezone.now())
    order(other_company, "submitted", "99999.00")
    for n, (ht, status) in enumerate([("1840.00", "issued"), ("2650.00", "overdue"),
                                      ("980.00", "paid"), ("3120.00", "paid"),
                                      ("1450.00", "paid"), ("2210.00", "paid"),
                                      ("760.00", "paid"), ("1990.00", "paid")]):
        issue = months_ago(today, n * 1 if n < 4 else n + 2, day=min(today.day, 5))
        ttc = (Decimal(ht) * Decimal("1.2")).quantize(Decimal("0.01"))
        invoice(dupond_company, status, ttc=str(ttc), ht=ht, issue=issue,
                due=issue + datetime.timedelta(days=30),
                paid=issue + datetime.timedelta(days=20) if status == "paid" else None)
    document(dupond_company, "Contrat de maintenance 2026", "contract", timezone.now())


@pytest.fixture
def julie_day(julie, dupond_company):
    site = SiteFactory(client_account=dupond_company, name="Usine de Vénissieux",
                       city="Vénissieux")
    boiler = EquipmentFactory(site=site, brand="Viessmann", model="Vitodens 200-W")
    now = timezone.localtime()
    start = now.replace(hour=14, minute=0, second=0, microsecond=0)
    today = InterventionFactory(site=site, equipment=boiler, planned_start=start,
                                technicians=[julie], description="Chaudière en défaut F28")
    for months in range(1, 6):
        day = now - datetime.timedelta(days=30 * months)
        InterventionFactory(site=site, status="done", technicians=[julie],
                            planned_start=day, arrival_at=day,
                            end_at=day + datetime.timedelta(minutes=45 + 10 * months))
    TimeEntryFactory(intervention=today, technician=julie, date=timezone.localdate(),
                     hours=Decimal("2.5"))
    ExpenseFactory(intervention=today, technician=julie, date=timezone.localdate(),
                   amount=Decimal("18.40"))
    return today


def tiles_of(widget):
    return widget.locator(".dashboard__grid .dash-tile")


def test_dupond_personalises_his_dashboard(page, portal_pages, dupond, dupond_figures,
                                           screenshot):
    page.emulate_media(reduced_motion="reduce")  # charts drawn at once (and screenshots true)
    log_in(page, dupond.email)
    widget = page.locator("portal-dashboard")
    expect(tiles_of(widget)).to_have_count(len(DUPOND_TILES))
    assert [tiles_of(widget).nth(i).get_attribute("data-tile")
            for i in range(len(DUPOND_TILES))] == DUPOND_TILES
    expect(widget.locator("[data-tile=requests_open]")).to_have_count(0)
    expect(widget.locator("[data-tile=orders_in_progress] [data-value]")).to_have_text(
        "2")
    expect(widget.locator("[data-tile=orders_in_progress]")).to_contain_text("2 280,50 €")
    # The chart is drawn, and its values are in a table for screen readers.
    chart = widget.locator("[data-tile=spend_chart] canvas")
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 150
    table = widget.locator("[data-chart-table=spend_chart]")
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(table.locator("caption")).to_contain_text("Dépenses par mois (HT)")
    expect(widget.locator("[data-tile=feed]")).to_contain_text("Contrat de maintenance 2026")
    expect(widget.locator("[data-tile=feed]")).not_to_contain_text("99 999")
    screenshot("dashboard-dupond")

    # He hides "Factures en retard".
    widget.get_by_role("button", name="Personnaliser").click()
    panel = widget.locator(".dash-panel")
    expect(panel).to_be_visible()
    screenshot("dashboard-dupond-customise")
    panel.get_by_role("checkbox", name="Factures en retard").uncheck()
    panel.get_by_role("button", name="Enregistrer").click()
    expect(widget.get_by_role("status")).to_have_text("Tableau de bord enregistré.")
    expect(widget.locator("[data-tile=invoices_overdue]")).to_have_count(0)
    page.reload()
    expect(tiles_of(widget)).to_have_count(len(DUPOND_TILES) - 1)
    expect(widget.locator("[data-tile=invoices_overdue]")).to_have_count(0)

    # With the keyboard: the chart moves to the top.
    widget.get_by_role("button", name="Personnaliser").click()
    up = panel.get_by_role("button", name="Monter « Dépenses par mois (HT) »")
    up.focus()
    for _ in range(4):  # fifth of the six tiles shown (the hidden one comes last)
        page.keyboard.press("Enter")
    expect(widget.get_by_role("status")).to_have_text(
        "« Dépenses par mois (HT) » en position 1 sur 7.")
    # At the top its "up" arrow is disabled: the focus stayed on the row's other arrow.
    assert page.evaluate("document.activeElement.dataset.move") == "down"
    panel.get_by_role("button", name="Enregistrer").click()
    expect(tiles_of(widget).first).to_have_attribute("data-tile", "spend_chart")

    # Back to the defaults.
    widget.get_by_role("button", name="Personnaliser").click()
    panel.get_by_role("button", name="Réinitialiser").click()
    expect(widget.get_by_role("status")).to_have_text("Tableau de bord réinitialisé.")
    expect(tiles_of(widget)).to_have_count(len(DUPOND_TILES))
    expect(tiles_of(widget).first).to_have_attribute("data-tile", "orders_drafts")


def test_martin_has_no_order_tile(page, portal_pages, martin, dupond_figures):
    log_in(page, martin.email)
    widget = page.locator("portal-dashboard")
    expect(widget.locator("[data-tile=requests_open]")).to_be_visible()
    expect(widget.locator("[data-tile=interventions_chart] canvas")).to_be_visible()
    expect(widget.locator("[data-tile^=orders]")).to_have_count(0)
    expect(widget.locator("[data-tile^=invoices]")).to_have_count(0)


def test_julie_livepilot(page, portal_pages, julie, julie_day, screenshot):
    page.emulate_media(reduced_motion="reduce")
    log_in(page, julie.email)
    widget = page.locator("portal-dashboard[area=technician]")
    expect(widget.locator(".dashboard__title")).to_have_text("Tableau de bord LivePilot")
    today = widget.locator("[data-tile=today]")
    item = today.locator(f"a.dash-item[data-id='{julie_day.pk}']")
    expect(item).to_contain_text("14:00")
    expect(item).to_contain_text("Usine de Vénissieux")
    expect(widget.locator("[data-tile=hours_week] [data-value]")).to_have_text("2,5 h")
    expect(widget.locator("[data-tile=expenses_month] [data-value]")).to_contain_text("18,40")
    expect(widget.locator("[data-tile=done_chart] canvas")).to_be_visible()
    expect(widget.locator("[data-tile=time_on_site] [data-value]")).to_have_text("1 h 15")
    if page.viewport_name == "phone":
        # One column: every tile starts at the same left edge and fits the screen.
        boxes = [tiles_of(widget).nth(i).bounding_box()
                 for i in range(tiles_of(widget).count())]
        assert len({round(b["x"]) for b in boxes}) == 1
        assert all(b["x"] + b["width"] <= 390 for b in boxes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("dashboard-livepilot")
    item.click()
    expect(page).to_have_url(f"{page.url.split('/intranet/')[0]}/intranet/interventions/fiche/"
                             f"?intervention={julie_day.pk}")
