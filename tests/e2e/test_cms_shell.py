"""Browser journeys of the CMS shell: menu, procedure download, language switch, password
reset."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from cms.services import portal_content_ensure
from portal_api.accounts.factories import DEMO_PASSWORD

from .test_vertical_slice import log_in


@pytest.fixture
def content(transactional_db):
    portal_content_ensure()


def test_navigate_the_menu_and_download_a_procedure(page, content, martin, screenshot):
    log_in(page, martin.email)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Procédures et notices")).to_be_visible()
    expect(menu.get_by_role("link", name="Procédures techniques")).to_have_count(0)
    menu.get_by_role("link", name="Procédures et notices").click()
    expect(page.get_by_role("heading", name="Procédures et notices", level=1)).to_be_visible()
    screenshot("procedure-library")
    page.get_by_role("link", name=re.compile("Purger un radiateur")).click()
    expect(page.get_by_role("heading", name="Purger un radiateur")).to_be_visible()
    screenshot("procedure-page")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Purger un radiateur \(PDF\)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_switch_to_english(page, content, dupond, screenshot):
    log_in(page, dupond.email)
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("portal-me h3")).to_have_text("My rights on the portal")
    expect(page.locator("portal-me [data-right=place_orders]")).to_contain_text("Place orders")
    screenshot("extranet-home-english")
    # The language stays chosen after logging out.
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile("/connexion/$"))
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()


def test_password_reset_by_email(page, content, julie, screenshot):
    page.goto("/connexion/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse e-mail").fill(julie.email)
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_role("heading", name="Vérifiez votre messagerie")).to_be_visible()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/mot-de-passe/nouveau/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Une-nouvelle-phrase-2026")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Une-nouvelle-phrase-2026")
    screenshot("password-reset-form")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Mot de passe enregistré")).to_be_visible()
    log_in(page, julie.email, "Une-nouvelle-phrase-2026")
    expect(page.get_by_role("heading", name="Intranet techniciens")).to_be_visible()
    assert DEMO_PASSWORD != "Une-nouvelle-phrase-2026"
