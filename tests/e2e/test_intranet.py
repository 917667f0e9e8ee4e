"""Browser journeys of the technicians' intranet (phone first): Julie's interventions with
today's first, the intervention sheet (times with "Maintenant" and typed, a line from the
technicians' catalogue, the meter reading, a time in the wrong order refused on its field, a
save while the connection is lost kept and sent when it is back, an unsaved copy restored
after a reload), the customer's signature on the canvas locking the sheet with its report,
and a new intervention created on site."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from cms.models import IntranetHomePage
from cms.services import INTRANET_WIDGET_PAGES, _widget_pages
from portal_api.accounts.factories import (
    SiteFactory,
    StaffFactory,
    TechnicianProfileFactory,
)
from portal_api.billing.factories import ContractFactory
from portal_api.catalog.factories import ArticleFactory, ArticleFamilyFactory
from portal_api.catalog.models import ArticleKind
from portal_api.service.factories import EquipmentFactory, InterventionFactory
from portal_api.service.models import Intervention, InterventionStatus, MeterReading
from portal_api.service.services import intervention_sheet_update, intervention_sign

from .test_vertical_slice import log_in

LIST = "/intranet/interventions/"
SHEET = "/intranet/interventions/fiche/"
CREATE = "/intranet/interventions/nouvelle/"


def signature_png() -> bytes:
    """A signature as the pad sends it: dark strokes on a transparent PNG."""
    image = Image.new("RGBA", (400, 160), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(40, 110), (120, 40), (200, 120), (330, 50)], fill="black",
                                width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def intranet_pages(portal_pages):
    _widget_pages(IntranetHomePage.objects.get(), INTRANET_WIDGET_PAGES)


@pytest.fixture
def day(julie, dupond_company):
    """Julie's agenda: one intervention this morning at Dupond's (equipment under warranty and
    contract), one tomorrow, one last week; another technician's job she does not see; the
    technicians' catalogue (and an article hidden from them)."""
    today = timezone.localdate()
    contract = ContractFactory(client_account=dupond_company, number="CT-DUP-01",
                               title="Maintenance chaufferie",
                               start_date=today - datetime.timedelta(days=200),
                               end_date=today + datetime.timedelta(days=165))
    site = SiteFactory(client_account=dupond_company, name="Siège social",
                       address="12 rue des Frères Lumière", postal_code="69008", city="Lyon")
    equipment = EquipmentFactory(site=site, serial_number="PAC-2025-001", label="Pompe à chaleur",
                                 warranty_end=today + datetime.timedelta(days=300),
                                 contract=contract)
    morning = timezone.make_aware(datetime.datetime.combine(today, datetime.time(8, 30)))
    now = InterventionFactory(site=site, equipment=equipment, contract=contract,
                              under_warranty=True, planned_start=morning,
                              planned_end=morning + datetime.timedelta(hours=2),
                              description="La pompe à chaleur se met en défaut haute pression.",
                              technicians=[julie])
    tomorrow = InterventionFactory(site=site, planned_start=morning + datetime.timedelta(days=1),
                                   description="Entretien annuel.", technicians=[julie])
    past = InterventionFactory(site=site, planned_start=morning - datetime.timedelta(days=6),
                               status=InterventionStatus.DONE, description="Contrôle.",
                               technicians=[julie])
    other = InterventionFactory(site=site, description="Chantier de Thomas.",
                                technicians=[StaffFactory()])
    heating = ArticleFamilyFactory(code="CHAUF", name="Chauffage")
    return {
        "now": now, "tomorrow": tomorrow, "past": past, "other": other, "site": site,
        "equipment": equipment, "contract": contract,
        "pump": ArticleFactory(reference="CIRC-25", label="Circulateur basse consommation",
                               family=heating, price_excl_tax=Decimal("189.00")),
        "labour": ArticleFactory(reference="MO-TECH", label="Main-d'œuvre technicien",
                                 family=heating, kind=ArticleKind.LABOUR, unit="h",
                                 price_excl_tax=Decimal("58.00"), track_stock=False),
        "hidden": ArticleFactory(reference="CIRC-INT", label="Circulateur (usage interne)",
                                 family=heating, visible_to_technicians=False),
    }


def draw_signature(page, canvas):
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x + w * 0.15, y + h * 0.6)
    page.mouse.down()
    for i in range(1, 21):
        page.mouse.move(x + w * (0.15 + 0.035 * i), y + h * (0.6 - 0.25 * ((i % 5) / 5)), steps=2)
    page.mouse.up()
    page.mouse.move(x + w * 0.3, y + h * 0.35)
    page.mouse.down()
    page.mouse.move(x + w * 0.55, y + h * 0.75, steps=8)
    page.mouse.up()


def test_julie_sees_today_first_and_only_hers(page, intranet_pages, day, julie, screenshot):
    log_in(page, julie.email)
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Mes interventions").click()
    widget = page.locator("portal-technician-interventions")
    phone = page.viewport_name == "phone"
    rows = widget.locator(".tech-card" if phone else "tbody tr")
    expect(rows).to_have_count(3)  # not the other technician's
    expect(rows.first).to_contain_text(day["now"].number)
    expect(rows.nth(1)).to_contain_text(day["tomorrow"].number)
    expect(rows.nth(2)).to_contain_text(day["past"].number)
    expect(rows.first).to_contain_text("Aujourd'hui" if not phone else "08:30")
    expect(widget).not_to_contain_text(day["other"].number)
    screenshot("intranet-interventions-julie")

    # She may not see every intervention: no "Toutes" choice (the API said 403).
    if phone:
        widget.get_by_text("Filtres", exact=True).click()
    scope = widget.get_by_role("combobox", name="Interventions")
    expect(scope.locator("option")).to_have_count(2)
    widget.get_by_label("Statut").select_option("done")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(day["past"].number)
    export = widget.get_by_role("link", name="Exporter (.xlsx)")
    expect(export).to_have_attribute(
        "href", "/api/v1/interventions/?scope=mine&status=done&format=xlsx")

    # A period: from tomorrow on, only tomorrow's.
    widget.get_by_label("Statut").select_option("")
    widget.get_by_label("Du", exact=True).fill(
        (timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(day["tomorrow"].number)
    widget.get_by_label("Du", exact=True).fill("")

    # Under contract: only this morning's.
    scope.select_option("mine_contract")
    widget.get_by_label("Statut").select_option("")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(1)
    (rows.first if phone else rows.first.get_by_role("link", name=day["now"].number)).click()
    expect(page).to_have_url(re.compile(rf"{SHEET}\?intervention={day['now'].pk}$"))
    expect(page.locator("portal-intervention-sheet [data-field=number]")).to_have_text(
        day["now"].number)


def test_a_technician_who_sees_all_is_offered_every_intervention(page, intranet_pages, day,
                                                                  other_company):
    thomas = TechnicianProfileFactory(
        user=StaffFactory(email="thomas.petit@atelier-portal.fr"), can_see_all_interventions=True,
    ).user
    elsewhere = InterventionFactory(site=SiteFactory(client_account=other_company),
                                    technicians=[StaffFactory()])
    log_in(page, thomas.email)
    page.goto(LIST)
    widget = page.locator("portal-technician-interventions")
    if page.viewport_name == "phone":
        widget.get_by_text("Filtres", exact=True).click()
    widget.get_by_role("combobox", name="Interventions").select_option("all")
    widget.get_by_role("button", name="Filtrer").click()
    rows = widget.locator(".tech-card" if page.viewport_name == "phone" else "tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text=elsewhere.number)).to_have_count(1)
    # One client, searched by name.
    widget.get_by_label("Client").fill("dupond")
    widget.get_by_role("button", name="Dupond Industrie").click()
    expect(widget.locator("[data-chosen=client]")).to_have_text("Dupond Industrie")
    widget.get_by_role("button", name="Filtrer").click()
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text=elsewhere.number)).to_have_count(0)


def test_julie_fills_the_sheet_and_the_customer_signs(page, intranet_pages, day, julie,
                                                      screenshot):
    intervention = day["now"]
    log_in(page, julie.email)
    page.goto(f"{SHEET}?intervention={intervention.pk}")
    sheet = page.locator("portal-intervention-sheet")
    expect(sheet.locator("[data-field=number]")).to_have_text(intervention.number)
    expect(sheet.locator("[data-field=site]")).to_contain_text("12 rue des Frères Lumière")
    expect(sheet.locator("[data-field=equipment]")).to_contain_text("PAC-2025-001")
    expect(sheet.get_by_label("Intervention sous garantie")).to_be_checked()
    expect(sheet.locator('[data-hint="warranty"]')).to_contain_text("encore sous garantie")
    expect(sheet.get_by_label("Contrat", exact=True)).to_have_value(str(day["contract"].pk))
    screenshot("intranet-sheet-open")
    sync = sheet.locator(".tech-sync")
    # Times in Paris, as the inputs show them: left two hours ago, arrived just now.
    left = timezone.localtime() - datetime.timedelta(hours=2)
    typed = lambda moment: moment.strftime("%Y-%m-%dT%H:%M")  # noqa: E731

    # Departure typed, arrival with "Maintenant".
    sheet.get_by_label("Départ", exact=True).fill(typed(left))
    expect(sync).to_have_attribute("data-sync", "saved")
    sheet.get_by_role("button", name="Arrivée sur site : maintenant").click()
    expect(sync).to_have_attribute("data-sync", "saved")
    expect(sheet.get_by_label("Arrivée sur site", exact=True)).not_to_have_value("")
    intervention.refresh_from_db()
    assert timezone.localtime(intervention.departure_at).strftime("%H:%M") == left.strftime("%H:%M")
    assert intervention.arrival_at is not None
    assert intervention.status == InterventionStatus.IN_PROGRESS
    expect(sheet.locator(".status")).to_have_text("En cours")

    # An arrival before the departure is refused, on the arrival field.
    arrival = sheet.get_by_label("Arrivée sur site", exact=True)
    arrival.fill(typed(left - datetime.timedelta(minutes=45)))
    error = sheet.locator('[data-error-for="arrival_at"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text("départ")
    expect(sync).to_have_attribute("data-sync", "error")
    expect(arrival).to_have_attribute("aria-invalid", "true")
    screenshot("intranet-sheet-time-error")
    arrival.fill(typed(left + datetime.timedelta(minutes=20)))
    expect(sync).to_have_attribute("data-sync", "saved")
    expect(error).to_be_hidden()

    # The meter reading, recorded on the equipment too.
    sheet.get_by_label("Relevé compteur").fill("12345.5")
    sheet.get_by_label("Relevé compteur").blur()
    expect(sync).to_have_attribute("data-sync", "saved")
    assert MeterReading.objects.get(intervention=intervention).value == Decimal("12345.5")

    # A line from the technicians' catalogue (the hidden article is not offered).
    sheet.get_by_label("Ajouter un article ou de la main-d'œuvre").fill("circulateur")
    sheet.get_by_role("button", name="Chercher").click()
    results = sheet.locator("[data-list=articles] [data-article]")
    expect(results).to_have_count(1)
    expect(sheet.locator("[data-list=articles]")).not_to_contain_text("CIRC-INT")
    results.first.get_by_label("Quantité de Circulateur basse consommation").fill("2")
    sheet.get_by_role("button", name="Ajouter Circulateur basse consommation").click()
    line = sheet.locator("[data-list=lines] [data-reference=CIRC-25]")
    expect(line).to_be_visible()
    expect(line.get_by_label("Quantité de Circulateur basse consommation")).to_have_value("2")
    assert intervention.lines.get().quantity == Decimal("2")

    # Time spent.
    sheet.get_by_text("+ Saisir des heures").click()
    sheet.get_by_label("Heures").fill("1.5")
    sheet.locator("#sheet-time form").get_by_role("button", name="Ajouter").click()
    expect(sheet.locator("[data-list=time_entries] [data-entry]")).to_have_count(1)
    expect(sheet.locator("[data-list=time_entries]")).to_contain_text("1,5 h")

    # The connection drops while she writes the work done: the text stays, the page says so.
    page.context.set_offline(True)
    work = sheet.get_by_label("Travaux réalisés")
    work.fill("Remplacement du circulateur, purge du circuit, essais OK.")
    sheet.get_by_role("button", name="Enregistrer").click()
    expect(sync).to_have_attribute("data-sync", "offline")
    expect(sync).to_have_text("Non enregistré : connexion perdue, nouvel essai automatique.")
    expect(work).to_have_value("Remplacement du circulateur, purge du circuit, essais OK.")
    stored = page.evaluate(f"localStorage.getItem('portal-intervention-sheet:{intervention.pk}')")
    assert "Remplacement du circulateur" in stored
    intervention.refresh_from_db()
    assert intervention.work_done == ""
    screenshot("intranet-sheet-offline")
    # Back online: sent by itself, and the copy on the phone is cleared.
    page.context.set_offline(False)
    expect(sync).to_have_attribute("data-sync", "saved", timeout=15_000)
    assert page.evaluate(
        f"localStorage.getItem('portal-intervention-sheet:{intervention.pk}')") is None
    intervention.refresh_from_db()
    assert intervention.work_done == "Remplacement du circulateur, purge du circuit, essais OK."

    # End of the work, then the customer signs on the screen.
    sheet.get_by_role("button", name="Fin des travaux : maintenant").click()
    expect(sync).to_have_attribute("data-sync", "saved")
    sheet.get_by_role("button", name="Faire signer le client").click()
    canvas = sheet.locator("canvas")
    expect(canvas).to_be_visible()
    # The canvas' pixels follow its CSS size and the device pixel ratio.
    size = canvas.evaluate(
        "c => [c.width, c.height, c.offsetWidth, c.offsetHeight, devicePixelRatio]")
    assert size[0] == round(size[2] * size[4]) and size[1] == round(size[3] * size[4])
    # Empty pad and no name: said on both fields, nothing sent.
    sheet.get_by_role("button", name="Valider la signature").click()
    expect(sheet.locator('[data-error-for="signer_name"]')).to_contain_text("nom du signataire")
    expect(sheet.locator('[data-error-for="signature"]')).to_contain_text("signer dans le cadre")
    sheet.get_by_label("Nom du signataire").fill("Paul Martin")
    draw_signature(page, canvas)
    screenshot("intranet-sheet-signing")
    sheet.get_by_role("button", name="Valider la signature").click()

    signed = sheet.locator("[data-field=signed]")
    expect(signed).to_contain_text("Signé par Paul Martin")
    expect(sheet.locator(".callout--success")).to_contain_text("Fiche signée")
    # Read-only: no inputs left, the values shown as text.
    expect(sheet.locator("input, textarea, select")).to_have_count(0)
    expect(sheet.get_by_role("button", name="Faire signer le client")).to_have_count(0)
    expect(sheet.locator("[data-field=work_done]")).to_contain_text("Remplacement du circulateur")
    expect(sheet.locator("[data-list=lines]")).to_contain_text("Circulateur basse consommation")
    report = sheet.get_by_role("link", name="Bon d'intervention (PDF)")
    expect(report).to_be_visible()
    expect(sheet.locator("img.tech-signed__image")).to_be_visible()
    screenshot("intranet-sheet-signed")
    response = page.request.get(report.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF-")
    intervention.refresh_from_db()
    assert intervention.signer_name == "Paul Martin"
    assert intervention.status == InterventionStatus.DONE
    assert intervention.signed_at is not None


def test_signing_an_incomplete_sheet_names_what_is_missing(page, intranet_pages, day, julie):
    intervention = day["tomorrow"]
    log_in(page, julie.email)
    page.goto(f"{SHEET}?intervention={intervention.pk}")
    sheet = page.locator("portal-intervention-sheet")
    sheet.get_by_role("button", name="Faire signer le client").click()
    sheet.get_by_label("Nom du signataire").fill("Paul Martin")
    draw_signature(page, sheet.locator("canvas"))
    sheet.get_by_role("button", name="Valider la signature").click()
    callout = sheet.locator(".callout--error")
    expect(callout).to_contain_text("il manque")
    for label in ("Arrivée sur site", "Fin des travaux", "Travaux réalisés"):
        expect(callout).to_contain_text(label)
    expect(sheet.locator('[data-error-for="work_done"]')).to_be_visible()
    intervention.refresh_from_db()
    assert intervention.signed_at is None


def test_a_sheet_signed_elsewhere_reloads_read_only(page, intranet_pages, day, julie):
    intervention = day["now"]
    log_in(page, julie.email)
    page.goto(f"{SHEET}?intervention={intervention.pk}")
    sheet = page.locator("portal-intervention-sheet")
    expect(sheet.locator("[data-field=number]")).to_have_text(intervention.number)
    # Meanwhile, the sheet is completed and signed on another device.
    now = timezone.now()
    intervention_sheet_update(intervention=intervention, by=julie,
                              arrival_at=now - datetime.timedelta(hours=1), end_at=now,
                              work_done="Réglage du pressostat.")
    intervention_sign(intervention=Intervention.objects.get(pk=intervention.pk), by=julie,
                      signer_name="Paul Martin", signature_png=signature_png())
    sheet.get_by_label("Commentaires").fill("Client absent à midi.")
    sheet.get_by_role("button", name="Enregistrer").click()
    expect(sheet.locator(".callout--warning")).to_contain_text("signée")
    expect(sheet.locator("[data-field=signed]")).to_contain_text("Paul Martin")
    expect(sheet.locator("textarea")).to_have_count(0)


def test_an_unsaved_copy_comes_back_after_a_reload(page, intranet_pages, day, julie):
    intervention = day["now"]
    log_in(page, julie.email)
    page.goto(f"{SHEET}?intervention={intervention.pk}")
    sheet = page.locator("portal-intervention-sheet")
    # The network fails on the save (the request never reaches the server).
    page.route(f"**/api/v1/interventions/{intervention.pk}/", lambda route: route.abort()
               if route.request.method == "PATCH" else route.continue_())
    sheet.get_by_label("Commentaires").fill("Prévoir un vase d'expansion.")
    sheet.get_by_role("button", name="Enregistrer").click()
    expect(sheet.locator(".tech-sync")).to_have_attribute("data-sync", "offline")
    page.unroute(f"**/api/v1/interventions/{intervention.pk}/")
    page.reload()
    restored = sheet.locator("[data-copy=restored]")
    expect(restored).to_contain_text("n'ont pas été envoyées")
    expect(restored).to_contain_text("Commentaires")
    expect(sheet.get_by_label("Commentaires")).to_have_value("Prévoir un vase d'expansion.")
    restored.get_by_role("button", name="Les envoyer maintenant").click()
    expect(sheet.locator(".callout--success")).to_contain_text("enregistrées")
    intervention.refresh_from_db()
    assert intervention.comments == "Prévoir un vase d'expansion."


def test_julie_creates_an_intervention_on_site(page, intranet_pages, day, julie, screenshot):
    log_in(page, julie.email)
    page.goto(LIST)
    page.locator("portal-technician-interventions").get_by_role(
        "link", name="Nouvelle intervention").click()
    expect(page).to_have_url(re.compile(rf"{CREATE}$"))
    widget = page.locator("portal-intervention-create")
    # Nothing chosen: said on the fields.
    widget.get_by_role("button", name="Créer l'intervention").click()
    expect(widget.locator('[data-error-for="client_account"]')).to_have_text(
        "Choisissez le client.")
    widget.get_by_label("Client").fill("dupo")
    widget.get_by_role("button", name="Dupond Industrie").click()
    expect(widget.locator("[data-chosen=client_account]")).to_have_text("Dupond Industrie")
    expect(widget.get_by_label("Site")).to_have_value(str(day["site"].pk))  # its only site
    widget.get_by_label("Équipement (facultatif)").select_option(str(day["equipment"].pk))
    widget.get_by_label("Travail à réaliser").fill("Fuite sur la vanne d'isolement du ballon.")
    screenshot("intranet-create")
    widget.get_by_role("button", name="Créer l'intervention").click()

    sheet = page.locator("portal-intervention-sheet")
    expect(sheet.locator(".status")).to_have_text("En cours")
    created = Intervention.objects.exclude(
        pk__in=[day[k].pk for k in ("now", "tomorrow", "past", "other")]).get()
    assert page.url.endswith(f"{SHEET}?intervention={created.pk}")
    expect(sheet.locator("[data-field=number]")).to_have_text(created.number)
    assert list(created.technicians.all()) == [julie]
    assert created.equipment == day["equipment"]
    assert created.description == "Fuite sur la vanne d'isolement du ballon."


def test_julie_adds_an_expense_with_its_receipt_and_photos(page, intranet_pages, day, julie,
                                                          tmp_path, screenshot):
    intervention = day["now"]
    receipt = tmp_path / "ticket-peage.png"
    photo = tmp_path / "vanne.png"
    for path, colour in ((receipt, (240, 240, 240)), (photo, (30, 90, 160))):
        image = Image.new("RGB", (320, 240), colour)
        ImageDraw.Draw(image).rectangle([40, 40, 200, 160], outline="black", width=6)
        image.save(path, format="PNG")
    log_in(page, julie.email)
    page.goto(f"{SHEET}?intervention={intervention.pk}")
    sheet = page.locator("portal-intervention-sheet")
    sheet.get_by_text("+ Ajouter des frais").click()
    expenses = sheet.locator("#sheet-expenses")
    expenses.get_by_label("Type").select_option("toll")
    # Nothing typed: the server names the amount.
    expenses.get_by_role("button", name="Ajouter").click()
    expect(expenses.locator('[data-error-for="amount"]')).to_be_visible()
    expenses.get_by_label("Montant TTC (€)").fill("12.40")
    receipt_input = expenses.get_by_label("Justificatif (photo)")
    expect(receipt_input).to_have_attribute("capture", "environment")
    receipt_input.set_input_files(str(receipt))
    expenses.get_by_role("button", name="Ajouter").click()
    item = expenses.locator("[data-list=expenses] [data-entry]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Péage")
    expect(item).to_contain_text("12,40")
    expect(item.get_by_role("link", name="Justificatif")).to_be_visible()
    expense = intervention.expenses.get()
    assert expense.amount == Decimal("12.40") and expense.receipt_id

    # A photo for the GED, taken with the camera (the input asks for it); the receipt is
    # shown with its expense, not among the documents.
    documents = sheet.locator("#sheet-documents")
    expect(documents.get_by_label("Prendre une photo")).to_have_attribute("capture", "environment")
    documents.get_by_label("Ajouter des fichiers").set_input_files(str(photo))
    expect(documents.locator("[data-list=documents] [data-document]")).to_have_count(1)
    expect(documents.locator("[data-list=documents]")).to_contain_text("vanne")
    expect(documents.locator("img.tech-doc__thumb")).to_be_visible()
    screenshot("intranet-sheet-expense-photo")
    # Removing the expense.
    item.get_by_role("button", name="Retirer").click()
    expect(item).to_have_count(0)
    assert not intervention.expenses.exists()


def test_the_sheet_shows_each_lines_total_and_the_sheets_total(page, intranet_pages, day,
                                                               julie, screenshot):
    """Each line says what it costs and the sheet its total (HT), kept right when a quantity
    changes; units agree with the quantity (« 2 unités », not « 2 u »)."""
    from portal_api.service.services import intervention_line_add

    intervention = day["now"]
    intervention_line_add(intervention=intervention, article=day["pump"], quantity="2")
    intervention_line_add(intervention=intervention, article=day["labour"], quantity="1.5")
    log_in(page, julie.email)
    page.goto(f"{SHEET}?intervention={intervention.pk}")
    sheet = page.locator("portal-intervention-sheet")
    pump = sheet.locator("[data-list=lines] [data-reference=CIRC-25]")
    labour = sheet.locator("[data-list=lines] [data-reference=MO-TECH]")
    total = sheet.locator("[data-field=lines_total]")
    expect(pump.locator("[data-field=line_total]")).to_have_text(re.compile(r"^378,00\s€$"))
    expect(labour.locator("[data-field=line_total]")).to_have_text(re.compile(r"^87,00\s€$"))
    expect(total).to_have_text(re.compile(r"Total HT\s*465,00\s€"))
    expect(pump).to_contain_text("unités")
    expect(pump).to_contain_text("/ unité")
    expect(labour).to_contain_text("heure")
    sheet.locator("[data-list=lines]").scroll_into_view_if_needed()
    screenshot("intranet-sheet-line-totals")
    quantity = pump.get_by_label("Quantité de Circulateur basse consommation")
    quantity.fill("3")
    quantity.blur()
    expect(total).to_have_text(re.compile(r"Total HT\s*654,00\s€"))
    expect(sheet.locator("[data-list=lines] [data-reference=CIRC-25] [data-field=line_total]")
           ).to_have_text(re.compile(r"^567,00\s€$"))
