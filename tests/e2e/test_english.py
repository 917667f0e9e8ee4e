"""In English, no French: M. Dupond and Julie Bernard (the README's demo logins, on the seeded
demo) choose English with the footer's switcher and open every page of their area, on a
phone and on a desktop; no page shows a French title, menu label or widget string.

The French strings looked for: the demo's page titles, menu labels and texts that differ in
English (cms/content_en.py), and the widgets' French catalogue strings that differ from
their English ones (site/lib/i18n*.js)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from cms.content_en import ENGLISH
from portal_api.common.demo import seed_demo

from .conftest import REPORT_CSP_VIOLATIONS, SCREENSHOTS
from .test_vertical_slice import log_in

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
CATALOGUES = sorted((Path(settings.BASE_DIR) / "site" / "lib").glob("i18n*.js"))
ENTRY = re.compile(r"""^\s+(\w+):\s*(["'`])(.*?)\2,?\s*(?://.*)?$""")


def catalogue(text: str, language: str) -> dict[str, str]:
    """One language's block of a widget catalogue file (`  fr: {` … `  },`)."""
    block = re.search(rf"^  {language}: \{{\n(.*?)^  \}}", text, re.S | re.M).group(1)
    return {m.group(1): m.group(3) for m in map(ENTRY.match, block.splitlines()) if m}


def french_strings() -> list[str]:
    strings = {french for french, english in ENGLISH.items() if french != english}
    english = set(ENGLISH.values())
    for path in CATALOGUES:
        text = path.read_text()
        fr, en = catalogue(text, "fr"), catalogue(text, "en")
        assert fr and en, path
        strings |= {value for key, value in fr.items() if value != en.get(key)}
        english |= set(en.values())
    # Whole strings only (placeholders cut off), long enough, and not words that English
    # uses too ("Intervention", as in "Intervention sheet").
    kept = set()
    for value in strings:
        head = value.split("{")[0].strip(" :…")
        if len(head) >= 5 and re.search(r"[a-zàâçéèêëîïôûùüÿœ]", head) and not any(
                re.search(rf"(?<!\w){re.escape(head)}(?!\w)", text) for text in english):
            kept.add(head)
    return sorted(kept, key=len, reverse=True)


FRENCH = french_strings()


def test_the_list_holds_the_reported_strings():
    for reported in ("Équipements", "Demandes d'intervention", "Mon compte", "Espace client",
                     "Nouvelle demande"):
        assert reported in FRENCH
    assert "Intervention" not in FRENCH  # English too
    assert len(FRENCH) > 300  # the widgets' catalogues are there


# Business data, not UI: article and equipment labels ("Unité extérieure…"), the catalogue's
# "Sécurité" family, the stored titles of the documents ("Facture FA-…", "Contrat CT-…",
# "Commande CO-…"), on the documents list and in the dashboard's feed.
STORED_TITLES = {"Facture", "Contrat", "Commande"}
DATA = {"/espace-client/catalogue/": {"Sécurité"}, "/espace-client/documents/": STORED_TITLES,
        "/espace-client/": STORED_TITLES}
DATA_EVERYWHERE = {"Unité"}


def french_on(page, path: str) -> list[str]:
    text = page.locator("body").inner_text()
    skip = DATA.get(path, set()) | DATA_EVERYWHERE
    return [s for s in FRENCH if s not in skip
            and re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]


@pytest.fixture
def demo(transactional_db):
    assert seed_demo() is True


def open_in_english(browser, live_server, viewport, email):
    context = browser.new_context(viewport=viewport, locale="fr-FR", base_url=live_server.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    # The browser's own request for /favicon.ico is not a page's error (issue 12, point 10).
    page.on("console", lambda message: page.errors.append(f"{page.url}: {message.text}")
            if message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico") else None)
    log_in(page, email)
    # The footer's switcher, on the page the login landed on.
    page.get_by_label("Langue").select_option("en")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    return page


def visit_every_page(page, extra: list[str]) -> list[str]:
    """The area's home, each menu entry, and the pages reached from them; returns each
    page's French strings."""
    menu = page.get_by_role("navigation", name="Menu")
    paths = [link.get_attribute("href") for link in menu.get_by_role("link").all()]
    found = []
    for path in [*paths, *extra]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        found += [f"{path}: {s}" for s in french_on(page, path)]
    return found


def shot(page, name):
    folder = SCREENSHOTS / "english"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_dupond_and_julie_see_no_french_in_english(browser, live_server, demo):
    for size, viewport in VIEWPORTS.items():
        dupond = open_in_english(browser, live_server, viewport, "dupond@dupond-industrie.fr")
        menu = dupond.get_by_role("navigation", name="Menu")
        expect(menu.get_by_role("link", name="My account")).to_be_visible()
        expect(menu.get_by_role("link", name="Orders")).to_be_visible()
        expect(dupond.get_by_role("heading", name="Customer area", level=1)).to_be_visible()
        dupond.wait_for_load_state("networkidle")
        shot(dupond, f"client-dashboard-{size}")
        found = visit_every_page(dupond, ["/espace-client/commandes/commande/",
                                          "/espace-client/procedures/purger-un-radiateur/"])
        assert found == [], found
        assert dupond.errors == [], dupond.errors

        julie = open_in_english(browser, live_server, viewport,
                                "julie.bernard@atelier-portal.fr")
        expect(julie.get_by_role("heading", name="Technicians' intranet",
                                 level=1)).to_be_visible()
        julie.goto("/intranet/interventions/")
        expect(julie.get_by_role("heading", name="My interventions", level=1)).to_be_visible()
        # Cards on a phone, a table on a desktop: the first link to a sheet either way.
        sheet_link = julie.locator("portal-technician-interventions a[href*='/fiche/']:visible")
        expect(sheet_link.first).to_be_visible()
        julie.wait_for_load_state("networkidle")
        shot(julie, f"intranet-list-{size}")
        sheet = sheet_link.first.get_attribute("href")
        found = visit_every_page(julie, [sheet, "/intranet/procedures/"
                                         "consignation-electrique-avant-intervention/"])
        assert found == [], found
        assert julie.errors == [], julie.errors
        dupond.context.close()
        julie.context.close()
