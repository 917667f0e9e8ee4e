"""Browser journeys for the client's service widgets: M. Martin requests an urgent intervention
with a photo and follows it; a serial number matching nothing is accepted; a file the server
refuses is shown on its field and nothing typed is lost; a lost answer then a retry creates one
request; M. Dupond (no intervention rights) has no request pages; M. Martin follows his
interventions by period, opens one (times, lines, documents, signed report) and exports the
filtered list."""

import datetime
import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image
from playwright.sync_api import expect

from cms.models import ExtranetHomePage
from cms.services import EXTRANET_WIDGET_PAGES, _widget_pages
from portal_api.accounts.factories import ContactFactory, SiteFactory
from portal_api.billing.factories import ContractFactory
from portal_api.catalog.factories import ArticleFactory
from portal_api.documents.models import Document, DocumentKind
from portal_api.documents.services import document_create
from portal_api.service.factories import (
    EquipmentFactory,
    InterventionFactory,
    InterventionLineFactory,
)
from portal_api.service.models import InterventionStatus, Ticket
from portal_api.service.services import ticket_create

from .test_vertical_slice import log_in, open_filters

REQUESTS = "/espace-client/demandes/"
NEW_REQUEST = "/espace-client/demandes/nouvelle/"
INTERVENTIONS = "/espace-client/interventions/"
PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def service_pages(portal_pages):
    """The extranet's request and intervention pages, as seed_demo places them."""
    extranet = ExtranetHomePage.objects.get()
    _widget_pages(extranet, [page for page in EXTRANET_WIDGET_PAGES
                             if page[0] in ("demandes", "interventions")])


@pytest.fixture
def installed_base(dupond_company):
    factory = SiteFactory(client_account=dupond_company, name="Usine de Vénissieux")
    office = SiteFactory(client_account=dupond_company, name="Siège social")
    contract = ContractFactory(client_account=dupond_company, number="CT-2026-001",
                               title="Maintenance chauffage")
    return {
        "factory": factory, "office": office, "contract": contract,
        "boiler": EquipmentFactory(site=factory, serial_number="VIT-2024-0001",
                                   brand="Viessmann", model="Vitodens 200-W",
                                   label="Chaudière gaz", contract=contract),
        "cooler": EquipmentFactory(site=office, serial_number="MEL-2023-0002",
                                   brand="Mitsubishi", model="PLA-M50EA",
                                   label="Climatiseur cassette"),
        "other": EquipmentFactory(serial_number="AUTRE-9999"),  # another company's
    }


def png_photo(path):
    """A real small PNG, as a phone would send a (much bigger) photo."""
    image = Image.new("RGB", (320, 240), (210, 90, 40))
    for x in range(0, 320, 20):
        for y in range(0, 240, 20):
            image.putpixel((x, y), (20, 20, 20))
    image.save(path, format="PNG")
    return path


def test_martin_requests_an_urgent_intervention_with_a_photo(
        page, service_pages, installed_base, martin, dupond_company, tmp_path, screenshot):
    older = ticket_create(client_account=dupond_company, requester=martin,
                          description="Bruit anormal au démarrage.",
                          equipment=installed_base["cooler"])
    ContactFactory(client_account=dupond_company, first_name="Sophie", last_name="Durand",
                   role="Responsable maintenance", email="s.durand@dupond-industrie.fr")
    log_in(page, martin.email)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Demandes d'intervention").click()
    requests = page.locator("portal-ticket-list")
    expect(requests.locator(f"tr[data-id='{older.pk}']")).to_be_visible()
    requests.get_by_role("link", name="Nouvelle demande").click()
    expect(page).to_have_url(re.compile(f"{NEW_REQUEST}$"))

    form = page.locator("portal-ticket-request")
    # Another company's equipment is never offered; the search narrows the base down.
    expect(form.locator("[data-serial]")).to_have_count(2)
    expect(form).not_to_contain_text("AUTRE-9999")
    form.get_by_label("Rechercher un équipement").fill("vitodens")
    expect(form.locator("[data-serial]")).to_have_count(1)
    form.locator("[data-serial='VIT-2024-0001']").click()
    expect(form.get_by_role("radio", name=re.compile("VIT-2024-0001"))).to_be_checked()
    form.get_by_label("Description du problème").fill(
        "Plus de chauffage dans l'atelier : la chaudière est en défaut (code F4).")
    form.get_by_label("Demande urgente").check()
    expect(form.get_by_label("Personne à qui répondre")).to_have_value("")
    expect(form.get_by_label("Personne à qui répondre")).to_contain_text(
        "Moi-même (Paul Martin)")
    form.get_by_label("Joindre des fichiers").set_input_files(
        str(png_photo(tmp_path / "chaudiere.png")))
    expect(form.locator("[data-file='chaudiere.png']")).to_be_visible()
    expect(form.locator("[data-file='chaudiere.png'] img")).to_be_visible()
    screenshot("ticket-request-martin")

    form.get_by_role("button", name="Envoyer la demande").click()
    done = form.locator(".callout--success")
    expect(done).to_contain_text("envoyée")
    ticket = Ticket.objects.exclude(pk=older.pk).get()
    expect(done).to_contain_text(ticket.number)
    assert ticket.urgent and ticket.equipment == installed_base["boiler"]
    assert ticket.requester == martin and ticket.reply_to is None
    photos = Document.objects.filter(related_id=ticket.pk, client_account=dupond_company)
    assert photos.count() == 1
    screenshot("ticket-request-sent-martin")

    # Following it: at the top of his requests, urgent, with its timeline and the photo.
    done.get_by_role("link", name="Suivre cette demande").click()
    first = requests.locator("tbody tr").first
    expect(first).to_contain_text(ticket.number)
    expect(first.locator("[data-urgent]")).to_have_text("Urgent")
    expect(first.locator(".status[data-status=received]")).to_have_text("Reçue")
    panel = requests.locator(f"[data-ticket='{ticket.number}']")
    expect(panel.locator("[data-timeline] li")).to_have_count(ticket.events.count())
    expect(panel.locator("[data-timeline]")).to_contain_text("Reçue")
    expect(panel.get_by_role("link", name=re.compile("chaudiere"))).to_be_visible()
    expect(panel.locator("[data-field=equipment]")).to_contain_text("VIT-2024-0001")
    screenshot("ticket-list-martin")
    panel.get_by_role("button", name="Fermer").click()
    expect(panel).to_have_count(0)

    # The filters: urgent only leaves the new one.
    open_filters(requests)
    requests.get_by_label("Urgence").select_option("true")
    requests.get_by_role("button", name="Filtrer").click()
    expect(requests.locator("tbody tr")).to_have_count(1)
    expect(requests.locator("tbody tr")).to_contain_text(ticket.number)


def test_a_serial_number_matching_nothing_is_accepted(page, service_pages, installed_base,
                                                      martin):
    log_in(page, martin.email)
    page.goto(NEW_REQUEST)
    form = page.locator("portal-ticket-request")
    # Nothing chosen, nothing described: the form says what is missing, sends nothing.
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator("[data-error-for=equipment]")).to_be_visible()
    expect(form.locator("[data-error-for=description]")).to_have_text("Décrivez le problème.")

    # A search that finds nothing offers to use the words as the serial number.
    form.get_by_label("Rechercher un équipement").fill("XYZ-404")
    form.get_by_role("button", name="Utiliser « XYZ-404 » comme n° de série").click()
    expect(form.get_by_label("N° de série", exact=True)).to_have_value("XYZ-404")
    expect(form.get_by_label("N° de série", exact=True)).to_be_focused()
    # Two sites: the client says at which one the equipment is.
    form.get_by_label("Site de l'équipement").select_option(str(installed_base["office"].pk))
    form.get_by_label("Description du problème").fill("Ventilation bruyante.")
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator(".callout--success")).to_contain_text("envoyée")
    ticket = Ticket.objects.get()
    assert ticket.equipment is None and ticket.serial_number_typed == "XYZ-404"
    assert ticket.site == installed_base["office"]
    assert ticket.serial_unmatched and not ticket.urgent

    page.goto(REQUESTS)
    row = page.locator(f"portal-ticket-list tr[data-id='{ticket.pk}']")
    expect(row).to_contain_text("XYZ-404 (n° saisi)")


def test_a_refused_file_is_named_on_its_field_and_the_text_is_kept(
        page, service_pages, installed_base, martin, dupond_company, screenshot):
    contact = ContactFactory(client_account=dupond_company, first_name="Sophie",
                             last_name="Durand", email="s.durand@dupond-industrie.fr")
    log_in(page, martin.email)
    page.goto(NEW_REQUEST)
    form = page.locator("portal-ticket-request")
    form.get_by_role("radio", name="Saisir un n° de série").check()
    form.get_by_label("N° de série", exact=True).fill("VIT-2024-0001")
    form.get_by_label("Site de l'équipement").select_option(str(installed_base["factory"].pk))
    description = "Fuite sur le circuit de chauffage, sous la chaudière."
    form.get_by_label("Description du problème").fill(description)
    form.get_by_label("Personne à qui répondre").select_option(str(contact.pk))
    # An HTML page named like a photo: the browser believes it, the server does not.
    form.get_by_label("Joindre des fichiers").set_input_files(files=[{
        "name": "photo.jpg", "mimeType": "image/jpeg",
        "buffer": b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"}])
    form.get_by_role("button", name="Envoyer la demande").click()
    error = form.locator("[data-error-for=attachments]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("photo.jpg")
    expect(form.locator(".callout--error")).to_be_visible()
    expect(form.get_by_label("Description du problème")).to_have_value(description)
    expect(form.get_by_label("N° de série", exact=True)).to_have_value("VIT-2024-0001")
    expect(form.get_by_label("Personne à qui répondre")).to_have_value(str(contact.pk))
    assert not Ticket.objects.exists()
    screenshot("ticket-request-refused-file")

    # Removing the file and sending again works; the typed serial finds the equipment.
    form.get_by_role("button", name="Retirer photo.jpg").click()
    expect(form.locator("[data-file]")).to_have_count(0)
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator(".callout--success")).to_be_visible()
    ticket = Ticket.objects.get()
    assert ticket.equipment == installed_base["boiler"] and ticket.reply_to == contact


def test_the_client_side_checks_mirror_the_servers(page, service_pages, installed_base,
                                                   martin):
    log_in(page, martin.email)
    page.goto(NEW_REQUEST)
    form = page.locator("portal-ticket-request")
    picker = form.get_by_label("Joindre des fichiers")
    picker.set_input_files(files=[{"name": "notes.txt", "mimeType": "text/plain",
                                   "buffer": b"hello"}])
    expect(form.locator("[data-error-for=attachments]")).to_contain_text(
        "« notes.txt » n'est ni une photo ni un PDF.")
    picker.set_input_files(files=[{"name": f"scan-{n}.pdf", "mimeType": "application/pdf",
                                   "buffer": b"%PDF-1.4\n%%EOF\n"} for n in range(11)])
    expect(form.locator("[data-file]")).to_have_count(10)
    expect(form.locator("[data-error-for=attachments]")).to_contain_text("10 fichiers au maximum")


def test_a_lost_answer_then_a_retry_creates_one_request(page, service_pages, installed_base,
                                                        martin):
    log_in(page, martin.email)
    page.goto(NEW_REQUEST)
    form = page.locator("portal-ticket-request")
    form.locator("[data-serial='MEL-2023-0002']").click()
    form.get_by_label("Description du problème").fill("Le climatiseur goutte.")
    keys = []

    def lose_the_answer(route):
        keys.append(route.request.headers.get("idempotency-key"))
        route.fetch()  # the server creates the request…
        route.abort()  # …and the answer never reaches the phone

    page.route("**/api/v1/tickets/", lose_the_answer)
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator(".callout--error")).to_contain_text("Connexion impossible")
    assert Ticket.objects.count() == 1
    page.unroute("**/api/v1/tickets/")
    page.route("**/api/v1/tickets/", lambda route: (
        keys.append(route.request.headers.get("idempotency-key")), route.continue_()))
    form.get_by_role("button", name="Envoyer la demande").click()
    expect(form.locator(".callout--success")).to_contain_text(Ticket.objects.get().number)
    assert Ticket.objects.count() == 1
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]


def test_dupond_has_no_request_pages(page, service_pages, installed_base, dupond):
    log_in(page, dupond.email)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Accueil")).to_be_visible()
    expect(menu.get_by_role("link", name="Demandes d'intervention")).to_have_count(0)
    expect(menu.get_by_role("link", name="Interventions")).to_have_count(0)
    assert page.goto(REQUESTS).status == 403
    assert page.goto(NEW_REQUEST).status == 403
    assert page.goto(INTERVENTIONS).status == 403
    assert page.request.get("/api/v1/tickets/").status == 403


@pytest.fixture
def interventions(installed_base, dupond_company, julie):
    boiler, cooler = installed_base["boiler"], installed_base["cooler"]

    def at(day, hour):
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)

    march = datetime.date(2026, 3, 10)
    signed = InterventionFactory(
        client_account=dupond_company, site=boiler.site, equipment=boiler,
        contract=installed_base["contract"], status=InterventionStatus.DONE,
        planned_start=at(march, 8), planned_end=at(march, 12), technicians=[julie],
        departure_at=at(march, 7), arrival_at=at(march, 8), end_at=at(march, 11),
        return_at=at(march, 12), description="Chaudière en défaut F4.",
        work_done="Remplacement de l'électrode d'allumage, contrôle combustion.",
        signed_at=at(march, 11), signer_name="Paul Martin")
    electrode = ArticleFactory(reference="ELEC-ALL", label="Électrode d'allumage",
                               price_excl_tax=Decimal("42.50"))
    labour = ArticleFactory(reference="MO-TECH", label="Main-d'œuvre technicien",
                            unit="h", price_excl_tax=Decimal("65.00"))
    InterventionLineFactory(intervention=signed, article=electrode, quantity=Decimal("1"))
    InterventionLineFactory(intervention=signed, article=labour, quantity=Decimal("2.5"))
    document_create(title="Photo de la plaque", filename="plaque.png",
                    content=_png_bytes(), kind=DocumentKind.PHOTO,
                    client_account=dupond_company, related_object=signed)
    may = datetime.date(2026, 5, 20)
    unit_job = InterventionFactory(
        client_account=dupond_company, site=cooler.site, equipment=cooler,
        status=InterventionStatus.PLANNED, planned_start=at(may, 9), planned_end=at(may, 11),
        technicians=[julie])
    january = datetime.date(2026, 1, 5)
    old = InterventionFactory(
        client_account=dupond_company, site=boiler.site, equipment=boiler,
        contract=installed_base["contract"], status=InterventionStatus.CLOSED,
        planned_start=at(january, 14), planned_end=at(january, 16))
    theirs = InterventionFactory(planned_start=at(march, 9))  # another company's
    return {"signed": signed, "unit_job": unit_job, "old": old, "theirs": theirs}


def _png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_martin_follows_his_interventions_by_period(page, service_pages, interventions,
                                                    martin, screenshot):
    signed = interventions["signed"]
    log_in(page, martin.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Interventions").click()
    widget = page.locator("portal-intervention-list")
    rows = widget.locator(".portal-list__results tbody tr")  # not the lines of the panel
    expect(rows).to_have_count(3)
    expect(widget).not_to_contain_text(interventions["theirs"].number)
    row = widget.locator(f"tr[data-id='{signed.pk}']")
    expect(row.locator("[data-contract]")).to_have_text("CT-2026-001")
    expect(widget.locator(f"tr[data-id='{interventions['unit_job'].pk}'] [data-contract]")
           ).to_have_text("À l'unité")
    screenshot("intervention-list-martin")

    open_filters(widget)
    widget.get_by_label("Du", exact=True).fill("2026-03-01")
    widget.get_by_label("Au", exact=True).fill("2026-03-31")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(signed.number)
    expect(row).to_contain_text("Julie Bernard")
    export = widget.get_by_role("link", name="Exporter (.xlsx)")
    query = parse_qs(urlparse(export.get_attribute("href")).query)
    assert query["date_from"] == ["2026-03-01"] and query["date_to"] == ["2026-03-31"]
    assert query["format"] == ["xlsx"]
    exported = page.request.get(export.get_attribute("href"))
    assert exported.status == 200
    assert exported.body()[:2] == b"PK"  # an .xlsx is a zip

    row.get_by_role("button", name=f"Détails de l'intervention {signed.number}").click()
    panel = widget.locator(f"[data-intervention='{signed.number}']")
    expect(panel.locator("[data-time=arrival_at]")).to_contain_text("10/03/2026 08:00")
    expect(panel.locator("[data-time=return_at]")).to_contain_text("12:00")
    expect(panel.locator("[data-field=work_done]")).to_contain_text("électrode d'allumage")
    lines = panel.locator("[data-table=lines] tbody tr")
    expect(lines).to_have_count(2)
    expect(panel.locator("tr[data-reference=MO-TECH]")).to_contain_text("2,5 h")
    expect(panel.locator("tr[data-reference=MO-TECH]")).to_contain_text("162,50")
    expect(panel.get_by_role("link", name="Télécharger « Photo de la plaque »")).to_be_visible()
    report = panel.get_by_role("link", name=f"Télécharger le bon d'intervention signé "
                                            f"{signed.number} (PDF)")
    expect(report).to_have_attribute("href", re.compile(f"/interventions/{signed.pk}/report/"))
    pdf = page.request.get(report.get_attribute("href"))
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
    expect(panel.locator("[data-field=signed]")).to_contain_text("Paul Martin")
    screenshot("intervention-detail-martin")

    # Under contract or not, status: the other filters narrow the list down too.
    widget.get_by_label("Du", exact=True).fill("")
    widget.get_by_label("Au", exact=True).fill("")
    widget.get_by_label("Sous contrat").select_option("false")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(interventions["unit_job"].number)
    assert "under_contract=false" in export.get_attribute("href")


def test_an_intervention_opens_from_its_address(page, service_pages, interventions, martin):
    signed = interventions["signed"]
    log_in(page, martin.email)
    page.goto(f"{INTERVENTIONS}?intervention={signed.pk}")
    panel = page.locator(f"portal-intervention-list [data-intervention='{signed.number}']")
    expect(panel.get_by_role("button", name="Fermer")).to_be_focused()
    page.goto(f"{INTERVENTIONS}?intervention={interventions['theirs'].pk}")
    # Another company's intervention does not exist for him.
    expect(page.locator("portal-intervention-list .service-detail [data-state=error]")
           ).to_be_visible()
