import pytest
from wagtail.models import Page

from cms.models import ExtranetHomePage, IntranetHomePage, PortalHomePage, StandardPage
from cms.services import portal_pages_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return portal_pages_ensure()


def test_the_tree_is_created_once(home):
    assert portal_pages_ensure().pk == home.pk
    assert ExtranetHomePage.objects.get().url == "/espace-client/"
    assert IntranetHomePage.objects.get().url == "/intranet/"
    assert home.url == "/"


def test_editors_cannot_build_a_broken_tree(home):
    assert not ExtranetHomePage.can_create_at(home)  # max one
    assert not IntranetHomePage.can_create_at(ExtranetHomePage.objects.get())
    assert not PortalHomePage.can_create_at(home)
    assert StandardPage.can_create_at(ExtranetHomePage.objects.get())
    assert StandardPage.can_create_at(IntranetHomePage.objects.get())
    assert not ExtranetHomePage.can_create_at(Page.get_first_root_node())


def test_every_page_type_renders(client, home, dupond, julie):
    extranet = ExtranetHomePage.objects.get()
    page = extranet.add_child(instance=StandardPage(
        title="Conditions de service", slug="conditions",
        intro=[("heading", "Nos engagements"), ("paragraph", "<p>Sous 24 h.</p>"),
               ("callout", {"tone": "warning", "text": "<p>Astreinte le week-end.</p>"}),
               ("me", {"title": "Mon compte"})],
    ))
    assert client.get("/").status_code == 200
    client.force_login(dupond)
    response = client.get(page.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nos engagements" in content and "Astreinte le week-end." in content
    assert "<portal-me" in content and "portal/widgets/portal-me.js" in content
    client.force_login(julie)
    assert client.get("/intranet/").status_code == 200
    # A technician never sees a client page.
    assert client.get(page.url).status_code == 403


def test_error_pages_are_branded(client, home):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "site-header" in response.content.decode()


def test_api_errors_keep_the_error_shape(client):
    response = client.get("/api/v1/inconnu/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_home_page_says_what_the_portal_offers_and_where_to_log_in(client, home, dupond):
    """Not an empty screen with one sentence: the spaces, their services, the login; every
    word from the page's fields (an editor changes it in the admin)."""
    content = client.get("/").content.decode()
    assert "Espace client" in content and "Intranet techniciens" in content
    for offer in ("stock disponible", "Commandes", "Factures", "suivi des interventions",
                  "Signature du client sur l&#x27;écran"):
        assert offer in content, offer
    assert 'href="/connexion/"' in content and "Comment se connecter ?" in content
    assert 'href="/espace-client/"' in content and 'href="/intranet/"' in content
    home.lead = "Un autre texte, écrit par un éditeur."
    home.spaces = [("space", {"audience": "clients", "title": "Vos achats", "features": []})]
    home.save()
    content = client.get("/").content.decode()
    assert "Un autre texte, écrit par un éditeur." in content and "Vos achats" in content
    assert "Intranet techniciens" not in content
    # A logged-in client is offered his space instead of the login.
    client.force_login(dupond)
    content = client.get("/").content.decode()
    assert "Mon espace client" in content and 'data-action="login"' not in content


def test_favicon(client, home):
    """Every page links its icon, and /favicon.ico (asked by browsers whatever the page says)
    is an image, not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    page = client.get("/").content.decode()
    assert 'rel="icon" href="/static/portal/favicon.svg" type="image/svg+xml"' in page
