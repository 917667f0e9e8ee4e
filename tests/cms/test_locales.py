"""Pages in each language: the demo's content is translated into English (every page, every
string, every procedure category), menus and search read the active language's tree, links
and the language switcher land on the page of the chosen language, and a translation keeps
its page's audience."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from cms.content_en import ENGLISH
from cms.models import (
    ExtranetHomePage,
    PortalPage,
    ProcedureCategory,
    StandardPage,
)
from cms.selectors import area_home_for, menu_for, page_search
from cms.services import (
    object_translate,
    portal_content_ensure,
    portal_translations_ensure,
    untranslated_strings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    """The demo's CMS part, as seed_demo builds it."""
    portal_content_ensure()
    portal_translations_ensure()
    return Locale.objects.get(language_code="en")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def menu_labels(html: str) -> list[str]:
    nav = re.search(r'<nav class="area-nav".*?</nav>', html, re.S).group(0)
    return [re.sub(r"\s+", " ", label).strip() for label in re.findall(r">([^<]+)</a>", nav)]


def test_the_demo_has_an_english_translation_of_every_page_and_category(content):
    french = list(Page.objects.filter(locale=Locale.get_default(), depth__gt=1).specific())
    assert len(french) > 25
    for page in french:
        translated = page.get_translation_or_none(content)
        assert translated is not None and translated.live, page
        assert not translated.alias_of_id, page  # a real translation, not a French alias
        assert untranslated_strings(obj=page, locale=content) == [], page
        assert translated.title == ENGLISH[page.title], page
        # Same address in both languages: the widgets' page links hold in English.
        assert translated.url == page.url
    categories = ProcedureCategory.objects.filter(locale=Locale.get_default())
    assert categories.count() == 4
    for category in categories:
        assert untranslated_strings(obj=category, locale=content) == []
        assert category.get_translation(content).name == ENGLISH[category.name]


def test_the_translation_runs_once_and_keeps_the_editors_work(content):
    orders = PortalPage.objects.get(slug="commandes", locale=content)
    orders.title = "Purchase orders"
    orders.save_revision().publish()
    count = Page.objects.count()
    portal_translations_ensure()
    assert Page.objects.count() == count
    assert PortalPage.objects.get(pk=orders.pk).title == "Purchase orders"


def test_the_menu_in_english_lists_english_titles(client, content, dupond, martin):
    expected = {
        dupond: ["Home", "Catalogue", "Orders", "Invoices", "Documents", "Contacts",
                 "My account", "Service terms", "Procedures and manuals"],
        martin: ["Home", "Documents", "Equipment", "Service requests", "Interventions",
                 "Contacts", "My account", "Service terms", "Procedures and manuals"],
    }
    for user, labels in expected.items():
        english(client).force_login(user)
        html = client.get("/espace-client/").content.decode()
        assert 'lang="en"' in html
        assert menu_labels(html) == labels, user
        assert "<h1>Customer area</h1>" in html
        # The footer's link to a page: its English title.
        assert '<a href="/mentions-legales/">Legal notice</a>' in html
        assert "Mentions légales" not in html
    # In French, the French tree.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get("/espace-client/").content.decode()
    assert "Demandes d'intervention" in menu_labels(html.replace("&#x27;", "'"))


def test_menu_for_reads_the_active_languages_tree(content, martin):
    equipment = PortalPage.objects.get(slug="equipements", locale=Locale.get_default())
    with translation.override("en"):
        home = area_home_for(page=equipment)
        assert home.locale == content
        assert "Equipment" in [page.title for page in menu_for(user=martin, home=home)]
    with translation.override("fr"):
        home = area_home_for(page=equipment.get_translation(content))
        assert "Équipements" in [page.title for page in menu_for(user=martin, home=home)]


def test_headings_and_categories_come_from_the_english_page(client, content, martin):
    english(client).force_login(martin)
    html = client.get("/espace-client/demandes/nouvelle/").content.decode()
    assert "<h1>New request</h1>" in html
    assert "<title>New request · " in html
    html = client.get("/espace-client/procedures/").content.decode()
    assert "<h2>Your equipment</h2>" in html and "Bleeding a radiator" in html
    assert "Vos équipements" not in html and "Purger un radiateur" not in html
    html = client.get("/espace-client/procedures/purger-un-radiateur/").content.decode()
    assert "Bleeding a radiator (PDF, in French)" in html


def test_search_answers_in_the_active_language(content, martin):
    with translation.override("en"):
        titles = [page.title for page in page_search(user=martin, query="radiator")]
    assert titles == ["Bleeding a radiator"]
    with translation.override("fr"):
        titles = [page.title for page in page_search(user=martin, query="radiateur")]
    assert titles == ["Purger un radiateur"]


def test_a_translation_keeps_its_pages_audience(client, content, julie):
    english(client)
    response = client.get("/espace-client/")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    client.force_login(julie)
    assert client.get("/espace-client/").status_code == 403
    assert client.get("/espace-client/procedures/purger-un-radiateur/").status_code == 403
    assert client.get("/intranet/procedures/").status_code == 200


def test_the_switcher_lands_on_the_translated_page(client, content, martin):
    """Even where the translation has an address of its own."""
    french = PortalPage.objects.get(slug="equipements", locale=Locale.get_default())
    translated = french.get_translation(content)
    translated.slug = "equipment"
    translated.save_revision().publish()
    client.force_login(martin)
    html = client.get("/espace-client/equipements/").content.decode()
    assert f'name="page" type="hidden" value="{french.pk}"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "page": french.pk,
                                              "next": "/espace-client/equipements/"})
    assert response.status_code == 302
    assert response["Location"] == "/espace-client/equipment/"
    html = client.get(response["Location"]).content.decode()
    assert "<h1>Equipment</h1>" in html
    response = client.post("/i18n/setlang/", {"language": "fr", "page": translated.pk,
                                              "next": "/espace-client/equipment/"})
    assert response["Location"] == "/espace-client/equipements/"
    # A page the user may not see, or no page: Django's own `next`.
    response = client.post("/i18n/setlang/", {"language": "en", "page": "nope",
                                              "next": "/connexion/"})
    assert response["Location"] == "/connexion/"


def test_links_between_pages_go_to_the_current_languages_page(client, content, martin):
    terms = StandardPage.objects.get(slug="conditions-intervention", locale=Locale.get_default())
    english_terms = terms.get_translation(content)
    english_terms.slug = "service-terms"
    english_terms.save_revision().publish()
    extranet = ExtranetHomePage.objects.get(locale=Locale.get_default())
    page = extranet.add_child(instance=StandardPage(
        title="Aide", slug="aide",
        intro=[("paragraph",
                 f'<p>Lisez nos <a linktype="page" id="{terms.pk}">conditions</a>.</p>')],
    ))
    object_translate(obj=page, locale=content, strings={
        "Aide": "Help",
        'Lisez nos <a id="a1">conditions</a>.': 'Read our <a id="a1">terms</a>.'})
    english(client).force_login(martin)
    html = client.get("/espace-client/aide/").content.decode()
    assert "<h1>Help</h1>" in html
    assert '<a href="/espace-client/service-terms/">terms</a>' in html


def test_a_page_not_yet_translated_is_served_in_french_with_the_english_menu(
        client, content, martin):
    extranet = ExtranetHomePage.objects.get(locale=Locale.get_default())
    extranet.add_child(instance=StandardPage(title="Astreinte de Noël", slug="astreinte-noel"))
    english(client).force_login(martin)
    html = client.get("/espace-client/astreinte-noel/").content.decode()
    assert "<h1>Astreinte de Noël</h1>" in html
    assert "Service requests" in menu_labels(html)


def test_the_content_editor_translates_pages_in_the_admin(client, content, content_editor):
    """The « Rédaction » role holds wagtail-localize's right to submit translations: the
    « Traduire » action of a page not yet translated opens for him."""
    assert content_editor.has_perm("wagtail_localize.submit_translation")
    extranet = ExtranetHomePage.objects.get(locale=Locale.get_default())
    page = extranet.add_child(instance=StandardPage(title="Astreinte de Noël",
                                                    slug="astreinte-noel"))
    client.force_login(content_editor)
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    assert url in client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    response = client.post(url, {"locales": [content.pk]})
    assert response.status_code == 302
    translated = page.get_translation(content)
    assert translated.url == "/espace-client/astreinte-noel/"
