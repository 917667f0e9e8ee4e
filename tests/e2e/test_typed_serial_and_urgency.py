"""Issue 12, in the browser: a serial number typed by hand keeps its site and reaches the
technician; the dispatcher's date picker works; urgency is seen at every step.

1. M. Martin types a serial number no equipment carries: the form asks at which of the two
   sites it is (refusing to send without), and the request is filed there, urgent;
2. the dispatcher finds it in the Action Center (the serial shown, a red « Urgent »), opens
   « Créer l'intervention » (the request's site chosen, not the first one), picks the start in
   Wagtail's date picker (it opens, no console error) and creates the intervention;
3. Julie sees it marked urgent in her list, her LivePilot and on the sheet, which shows the
   serial number typed by the client;
4. M. Martin's interventions show that serial number in the equipment column."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cms.models import ExtranetHomePage, IntranetHomePage
from cms.services import EXTRANET_WIDGET_PAGES, INTRANET_WIDGET_PAGES, _widget_pages
from portal_api.accounts.factories import SiteFactory
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import Intervention, Ticket
from portal_api.service.services import ticket_create

from .conftest import SCREENSHOTS
from .test_vertical_slice import log_in

SERIAL = "DKN-7731-0458"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def service_pages(portal_pages):
    """The extranet's request and intervention pages and the intranet's, as seed_demo
    places them."""
    _widget_pages(ExtranetHomePage.objects.get(),
                  [p for p in EXTRANET_WIDGET_PAGES if p[0] in ("demandes", "interventions")])
    _widget_pages(IntranetHomePage.objects.get(), INTRANET_WIDGET_PAGES)


@pytest.fixture
def dupond_sites(dupond_company):
    factory = SiteFactory(client_account=dupond_company, name="Usine de Vénissieux",
                          city="Vénissieux")
    office = SiteFactory(client_account=dupond_company, name="Siège social", city="Lyon")
    EquipmentFactory(site=factory, serial_number="VIT-2024-0001", brand="Viessmann",
                     model="Vitodens 200-W", label="Chaudière gaz")
    return {"factory": factory, "office": office}


@pytest.fixture
def people(browser, live_server):
    """One browser context per person; every console error and uncaught exception of his
    pages is collected in his page's `errors`."""
    contexts = []

    def open_as(viewport):
        context = browser.new_context(viewport=viewport, locale="fr-FR",
                                      base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.errors = errors = []
        # /favicon.ico is a 404 on every page until the site ships one (issue 12, point 10):
        # the only console error not ours to fix here.
        page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
                if message.type == "error" and "favicon" not in message.location.get("url", "")
                else None)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_as
    for context in contexts:
        context.close()


def shot(page, name, viewport):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}.png"), full_page=True)


def is_red(page, locator) -> bool:
    rgb = locator.evaluate("node => getComputedStyle(node).backgroundColor")
    r, g, b = (int(v) for v in re.findall(r"\d+", rgb)[:3])
    return r > 150 and g < 90 and b < 90


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_typed_serial_reaches_the_technician_on_its_site_marked_urgent(
        people, service_pages, dupond_sites, martin, julie, dispatcher, viewport):
    size = VIEWPORTS[viewport]
    office = dupond_sites["office"]

    # 1. M. Martin types the serial number read on the plate.
    client = people(size)
    log_in(client, martin.email)
    client.goto("/espace-client/demandes/nouvelle/")
    form = client.locator("portal-ticket-request")
    form.get_by_role("radio", name="Saisir un n° de série").check()
    form.get_by_label("N° de série", exact=True).fill(SERIAL)
    site = form.get_by_label("Site de l'équipement")
    expect(site).to_have_value("")  # nothing guessed among two sites
    form.get_by_label("Description du problème").fill(
        "Le climatiseur de la salle serveur goutte sur la baie de brassage.")
    form.get_by_label("Demande urgente").check()
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator("[data-error-for=site]")).to_have_text(
        "Indiquez le site où se trouve l'équipement.")
    assert not Ticket.objects.exists()
    site.select_option(label="Siège social (Lyon)")
    expect(form.locator("[data-error-for=site]")).to_be_hidden()
    shot(client, "service-request-typed-serial", viewport)
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator(".callout--success")).to_contain_text("envoyée")
    ticket = Ticket.objects.get()
    assert (ticket.equipment, ticket.serial_number_typed, ticket.site, ticket.urgent) == (
        None, SERIAL, office, True)

    # 2. The dispatcher: the serial and a red « Urgent » in the Action Center.
    desk = people(size)
    log_in(desk, dispatcher.email)
    desk.goto("/admin/snippets/service/ticket/")
    row = desk.locator("tbody tr", has_text=ticket.number)
    expect(row.locator(f"[data-serial='{SERIAL}']")).to_be_visible()
    expect(row).not_to_contain_text("inconnu")
    urgent = row.locator(".portal-urgent")
    expect(urgent).to_be_visible()
    assert is_red(desk, urgent)
    shot(desk, "service-action-center", viewport)
    desk.goto(f"/admin/snippets/service/ticket/convertir/{ticket.pk}/")
    expect(desk.get_by_label("Site d'intervention")).to_have_value(str(office.pk))
    expect(desk.locator("#w-editor-form")).to_contain_text("JJ/MM/AAAA HH:MM")
    desk.get_by_label("Julie Bernard").check()
    start = timezone.localtime().replace(second=0, microsecond=0)
    # Wagtail's picker opens on the field; the time picked in it is written in the format.
    desk.get_by_label("Début prévu").click()
    picker = desk.locator(".xdsoft_datetimepicker:visible")
    expect(picker).to_have_count(1)
    expect(picker.locator(".xdsoft_calendar")).to_be_visible()
    shot(desk, "service-convert-picker", viewport)
    picker.locator(".xdsoft_date.xdsoft_today").click()
    expect(desk.get_by_label("Début prévu")).to_have_value(
        re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$"))
    desk.get_by_label("Début prévu").fill(start.strftime("%d/%m/%Y %H:%M"))
    desk.get_by_label("Fin prévue").fill(
        (start + datetime.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"))
    desk.keyboard.press("Escape")
    desk.locator("#w-editor-form").get_by_role("button", name="Créer l'intervention").click()
    expect(desk.locator(".messages")).to_contain_text("créée")
    intervention = Intervention.objects.get()
    assert (intervention.site, intervention.serial_number_typed, intervention.urgent) == (
        office, SERIAL, True)
    assert intervention.planned_start == start

    # 3. Julie: urgent in her list, her LivePilot and on the sheet, with the serial typed.
    tech = people(size)
    log_in(tech, julie.email)
    livepilot = tech.locator(f"portal-dashboard [data-tile=today] [data-id='{intervention.pk}']")
    expect(livepilot.locator("[data-urgent]")).to_have_text("Urgente")
    shot(tech, "service-livepilot", viewport)
    tech.goto("/intranet/interventions/")
    listing = tech.locator("portal-technician-interventions")
    entry = (listing.locator(f".tech-card[data-id='{intervention.pk}']") if viewport == "phone"
             else listing.locator("tbody tr", has_text=intervention.number))
    expect(entry.locator("[data-urgent]")).to_have_text("Urgente")
    assert is_red(tech, entry.locator("[data-urgent]"))
    expect(entry).to_contain_text(f"{SERIAL} (n° saisi par le client)")
    shot(tech, "service-technician-list", viewport)
    tech.goto(f"/intranet/interventions/fiche/?intervention={intervention.pk}")
    sheet = tech.locator("portal-intervention-sheet")
    expect(sheet.locator(".tech-sheet__title [data-urgent]")).to_have_text("Urgente")
    expect(sheet.locator("[data-field=equipment] strong")).to_have_text(SERIAL)
    expect(sheet.locator("[data-field=equipment]")).to_contain_text(
        "N° de série saisi par le client")
    expect(sheet.locator("[data-field=site]")).to_contain_text("Siège social")
    shot(tech, "service-technician-sheet", viewport)

    # 4. M. Martin's interventions: the serial in the equipment column.
    client.goto("/espace-client/interventions/")
    cell = client.locator(f"portal-intervention-list [data-serial-typed='{SERIAL}']")
    expect(cell).to_contain_text(f"{SERIAL} (n° saisi)")
    shot(client, "service-client-interventions", viewport)

    # Wagtail's date picker loads and runs: no « initDateTimeChooser is not defined ». (The
    # technician's list still logs a refused first call: issue 12, point 9.)
    assert desk.errors == [] and client.errors == [], desk.errors + client.errors


def test_one_site_is_chosen_for_the_client(page, service_pages, dupond_company, martin):
    only = SiteFactory(client_account=dupond_company, name="Siège social", city="Lyon")
    log_in(page, martin.email)
    page.goto("/espace-client/demandes/nouvelle/")
    form = page.locator("portal-ticket-request")
    form.get_by_role("radio", name="Saisir un n° de série").check()
    expect(form.get_by_label("Site de l'équipement")).to_have_value(str(only.pk))


def test_the_convert_form_takes_a_typed_date_without_console_error(
        people, service_pages, dupond_sites, martin, julie, dispatcher):
    ticket = ticket_create(client_account=martin.portal_profile.client_account,
                           requester=martin, description="Panne", site=dupond_sites["office"],
                           serial_number_typed="ABC-1")
    desk = people(VIEWPORTS["desktop"])
    log_in(desk, dispatcher.email)
    desk.goto(f"/admin/snippets/service/ticket/convertir/{ticket.pk}/")
    desk.get_by_label("Julie Bernard").check()
    day = timezone.localdate() + datetime.timedelta(days=1)
    # Another form than the one the hint gives stays as typed (the picker does not swap it
    # for the current time), and is refused with the format named.
    start = desk.get_by_label("Début prévu")
    start.fill(f"{day:%Y-%m-%d} 09:00")
    desk.get_by_label("Fin prévue").fill(f"{day:%d/%m/%Y} 11:00")
    desk.keyboard.press("Escape")
    desk.get_by_label("Motif").click()
    expect(start).to_have_value(f"{day:%Y-%m-%d} 09:00")
    desk.locator("#w-editor-form").get_by_role("button", name="Créer l'intervention").click()
    expect(desk.locator("#w-editor-form")).to_contain_text(
        "Saisissez la date et l'heure au format JJ/MM/AAAA HH:MM")
    assert not Intervention.objects.exists()
    desk.get_by_label("Début prévu").fill(f"{day:%d/%m/%Y} 09:00")
    desk.keyboard.press("Escape")
    desk.locator("#w-editor-form").get_by_role("button", name="Créer l'intervention").click()
    expect(desk.locator(".messages")).to_contain_text("créée")
    planned = timezone.localtime(Intervention.objects.get().planned_start)
    assert (planned.date(), planned.hour) == (day, 9)
    assert desk.errors == [], desk.errors
