"""The service journey of issue 5, end to end, each person in his own browser:

1. M. Martin (Dupond Industrie, phone) requests an urgent intervention on his boiler with a
   photo, through <portal-ticket-request>;
2. the dispatcher converts it in the Action Center (Wagtail admin, « Créer l'intervention »),
   choosing Julie and a window starting now;
3. Julie Bernard (phone) finds it at the top of her interventions, with the request's photo,
   fills the times, a line and the meter reading and the work done; the customer signs on the
   canvas;
4. M. Martin downloads the signed report: a PDF holding the intervention's number and the
   signer's name; his request is done."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from cms.models import ExtranetHomePage, IntranetHomePage
from cms.services import EXTRANET_WIDGET_PAGES, INTRANET_WIDGET_PAGES, _widget_pages
from portal_api.accounts.factories import SiteFactory
from portal_api.billing.factories import ContractFactory
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.documents.models import Document
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import (
    Intervention,
    InterventionStatus,
    MeterReading,
    Ticket,
    TicketStatus,
)

from .conftest import SCREENSHOTS
from .test_intranet import draw_signature
from .test_vertical_slice import log_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def journey_pages(portal_pages):
    _widget_pages(ExtranetHomePage.objects.get(),
                  [p for p in EXTRANET_WIDGET_PAGES if p[0] in ("demandes", "interventions")])
    _widget_pages(IntranetHomePage.objects.get(), INTRANET_WIDGET_PAGES)


@pytest.fixture
def boiler(dupond_company):
    today = timezone.localdate()
    contract = ContractFactory(client_account=dupond_company, number="CT-2026-001",
                               title="Maintenance chauffage",
                               start_date=today - datetime.timedelta(days=100),
                               end_date=today + datetime.timedelta(days=265))
    site = SiteFactory(client_account=dupond_company, name="Usine de Vénissieux",
                       address="4 avenue de la République", postal_code="69200",
                       city="Vénissieux")
    heating = ArticleFamilyFactory(code="CHAUF", name="Chauffage")
    ArticleFactory(reference="ALLUM-01", label="Électrode d'allumage", family=heating,
                   price_excl_tax=Decimal("24.90"))
    return EquipmentFactory(site=site, serial_number="VIT-2024-0001", brand="Viessmann",
                            model="Vitodens 200-W", label="Chaudière gaz", contract=contract,
                            warranty_end=today + datetime.timedelta(days=400))


@pytest.fixture
def people(browser, live_server):
    """One browser context per person (cookies and storage of their own)."""
    contexts = []

    def open_as(viewport):
        context = browser.new_context(viewport=viewport, locale="fr-FR", base_url=live_server.url,
                                      accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"journey-{name}.png"), full_page=True)


def photo(path):
    image = Image.new("RGB", (640, 480), (200, 60, 40))
    for x in range(0, 640, 16):
        for y in range(0, 480, 16):
            image.putpixel((x, y), (20, 20, 20))
    image.save(path, format="JPEG")
    return path


def test_request_to_signed_report(people, journey_pages, boiler, martin, julie, dispatcher,
                                  tmp_path):
    # `dispatcher` (tests/conftest.py) holds the « Planification » role.

    # 1. M. Martin asks for an urgent intervention on his boiler, with a photo.
    client = people(PHONE)
    log_in(client, martin.email)
    client.goto("/espace-client/demandes/nouvelle/")
    form = client.locator("portal-ticket-request")
    form.locator("[data-serial='VIT-2024-0001']").click()
    form.get_by_label("Description du problème").fill(
        "Plus de chauffage à l'usine : la chaudière est en défaut F4.")
    form.get_by_label("Demande urgente").check()
    form.get_by_label("Joindre des fichiers").set_input_files(str(photo(tmp_path / "defaut.jpg")))
    expect(form.locator("[data-file='defaut.jpg']")).to_be_visible()
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator(".callout--success")).to_contain_text("envoyée")
    ticket = Ticket.objects.get()
    assert ticket.urgent and ticket.equipment == boiler
    shot(client, "1-request-martin-phone")

    # 2. The dispatcher converts it in the Action Center: Julie, from now for two hours.
    office = people(DESKTOP)
    log_in(office, dispatcher.email)
    office.goto("/admin/snippets/service/ticket/")
    row = office.locator("tbody tr", has_text=ticket.number)
    expect(row).to_contain_text("Urgent")
    row.get_by_role("link", name=ticket.number).click()
    office.get_by_role("link", name="Créer l'intervention").first.click()
    expect(office.get_by_label("Motif")).to_have_value(ticket.description)
    office.get_by_label("Julie Bernard").check()
    start = timezone.localtime()
    office.get_by_label("Début prévu").fill(start.strftime("%d/%m/%Y %H:%M"))
    office.get_by_label("Fin prévue").fill(
        (start + datetime.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"))
    office.keyboard.press("Escape")  # the date picker
    shot(office, "2-convert-dispatcher-desktop")
    office.locator("form").get_by_role("button", name="Créer l'intervention").click()
    expect(office.locator(".messages")).to_contain_text("créée")
    intervention = Intervention.objects.get()
    ticket.refresh_from_db()
    assert ticket.intervention == intervention and ticket.status == TicketStatus.PLANNED
    assert list(intervention.technicians.all()) == [julie]
    assert intervention.status == InterventionStatus.PLANNED

    # 3. Julie, on her phone: at the top of her list, with the request's photo.
    tech = people(PHONE)
    log_in(tech, julie.email)
    tech.goto("/intranet/interventions/")
    cards = tech.locator("portal-technician-interventions .tech-card")
    expect(cards.first).to_contain_text(intervention.number)
    expect(cards.first.locator("[data-urgent]")).to_have_text("Urgente")
    expect(cards.first).to_contain_text("Dupond Industrie")
    shot(tech, "3-list-julie-phone")
    cards.first.click()
    sheet = tech.locator("portal-intervention-sheet")
    expect(sheet.locator("[data-field=number]")).to_have_text(intervention.number)
    expect(sheet.locator("[data-field=equipment]")).to_contain_text("VIT-2024-0001")
    expect(sheet.locator("[data-list=documents]")).to_contain_text("defaut")
    sync = sheet.locator(".tech-sync")
    left = timezone.localtime() - datetime.timedelta(minutes=40)
    sheet.get_by_label("Départ", exact=True).fill(left.strftime("%Y-%m-%dT%H:%M"))
    expect(sync).to_have_attribute("data-sync", "saved")
    sheet.get_by_role("button", name="Arrivée sur site : maintenant").click()
    expect(sync).to_have_attribute("data-sync", "saved")
    # The request was urgent: the sheet says so beside its status.
    expect(sheet.locator(".tech-sheet__header [data-urgent]")).to_have_text("Urgente")
    expect(sheet.locator(".tech-sheet__header .status[data-status]")).to_have_text("En cours")
    sheet.get_by_label("Relevé compteur").fill("48210")
    sheet.get_by_label("Travaux réalisés").fill(
        "Électrode d'allumage remplacée, brûleur nettoyé, combustion contrôlée.")
    sheet.get_by_role("button", name="Enregistrer").click()
    expect(sync).to_have_attribute("data-sync", "saved")
    sheet.get_by_label("Ajouter un article ou de la main-d'œuvre").fill("allumage")
    sheet.get_by_role("button", name="Chercher").click()
    sheet.get_by_role("button", name="Ajouter Électrode d'allumage").click()
    expect(sheet.locator("[data-list=lines] [data-reference='ALLUM-01']")).to_be_visible()
    sheet.get_by_role("button", name="Fin des travaux : maintenant").click()
    expect(sync).to_have_attribute("data-sync", "saved")
    shot(tech, "4-sheet-julie-phone")

    # The customer signs on the screen.
    sheet.get_by_role("button", name="Faire signer le client").click()
    sheet.get_by_label("Nom du signataire").fill("Paul Martin")
    draw_signature(tech, sheet.locator("canvas"))
    shot(tech, "5-signing-phone")
    sheet.get_by_role("button", name="Valider la signature").click()
    expect(sheet.locator("[data-field=signed]")).to_contain_text("Signé par Paul Martin")
    expect(sheet.get_by_role("link", name="Bon d'intervention (PDF)")).to_be_visible()
    shot(tech, "6-signed-julie-phone")
    intervention.refresh_from_db()
    assert intervention.status == InterventionStatus.DONE and intervention.report_id
    assert MeterReading.objects.get(intervention=intervention).value == Decimal("48210")
    assert intervention.lines.get().article.reference == "ALLUM-01"

    # 4. M. Martin downloads the signed report from his interventions.
    client.goto("/espace-client/interventions/")
    interventions = client.locator("portal-intervention-list")
    interventions.get_by_role(
        "button", name=f"Détails de l'intervention {intervention.number}").click()
    report = interventions.get_by_role(
        "link", name=f"Télécharger le bon d'intervention signé {intervention.number} (PDF)")
    with client.expect_download() as download_info:
        report.click()
    download = download_info.value
    path = tmp_path / "bon.pdf"
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    assert intervention.number in text
    assert "Paul Martin" in text
    shot(client, "7-report-martin-phone")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    assert Document.objects.filter(pk=intervention.report_id).exists()
