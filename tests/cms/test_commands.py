import pytest
from django.core.management import call_command
from wagtail.models import Locale

from cms.models import ExtranetHomePage, IntranetHomePage, PortalHomePage


@pytest.mark.django_db
def test_portal_init_creates_the_tree_once(capsys):
    call_command("portal_init")
    call_command("portal_init")
    # One tree per content language: French (the default) and its English translation.
    for model in (PortalHomePage, ExtranetHomePage, IntranetHomePage):
        assert sorted(model.objects.values_list("locale__language_code", flat=True)) == [
            "en", "fr"]
    assert "/espace-client/" in capsys.readouterr().out


@pytest.mark.django_db
def test_portal_init_makes_french_the_default_and_english_available():
    """A fresh install (migrate, then portal_init): pages are authored in French, English is
    a locale of its own whose tree is the French one translated."""
    call_command("portal_init")
    assert Locale.get_default().language_code == "fr"
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"fr", "en"}
    english = {page.translation_key: page.title
               for page in PortalHomePage.objects.filter(locale__language_code="en")}
    french = PortalHomePage.objects.get(locale__language_code="fr")
    assert english == {french.translation_key: "Welcome to your portal"}
    assert ExtranetHomePage.objects.get(locale__language_code="en").title == "Customer area"
    assert IntranetHomePage.objects.get(
        locale__language_code="en").title == "Technicians' intranet"
