"""Audiences: anonymous, client, technician, staff × public, client-only, technician-only pages
and their documents — status codes and menu contents; the headless API and the search never
leak a restricted page or document."""

import pytest
from wagtail.models import Page

from cms.models import (
    ExtranetHomePage,
    IntranetHomePage,
    PortalPage,
    ProcedurePage,
    StandardPage,
)
from cms.services import portal_content_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    portal_content_ensure()
    return {
        "public": StandardPage.objects.get(slug="mentions-legales"),
        "clients": ProcedurePage.objects.get(slug="purger-un-radiateur"),
        "technicians": ProcedurePage.objects.get(slug="consignation-electrique-avant-intervention"),
    }


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(email="admin@example.fr",
                                                      password="Un-mot-de-passe-admin")


def document_url(page):
    return page.documents.first().document.url


# who → (public, clients, technicians): status for the page (302 = to the login page)
MATRIX = {
    "anonymous": (200, 302, 302),
    "dupond": (200, 200, 403),
    "julie": (200, 403, 200),
    "dispatcher": (200, 403, 403),
    "admin_user": (200, 200, 200),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_pages_and_their_documents_follow_the_audience(who, request, client, content):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for audience, expected in zip(("public", "clients", "technicians"), MATRIX[who],
                                  strict=True):
        page = content[audience]
        response = client.get(page.url)
        assert response.status_code == expected, (who, audience)
        if expected == 302:
            assert response["Location"].startswith("/connexion/?next=")
        if audience != "public":
            download = client.get(document_url(page))
            assert download.status_code == expected, (who, audience, "document")
            if expected == 200:
                assert download["Content-Disposition"].startswith("attachment")
                assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_menus_follow_audience_and_rights(client, content, dupond, martin, julie):
    orders = PortalPage.objects.get(slug="commandes")
    assert orders.required_permission == "orders.view_orders"

    def menu(user, url):
        client.force_login(user)
        html = client.get(url).content.decode()
        return html.split('class="area-nav"')[1].split("</nav>")[0] if "area-nav" in html else ""

    dupond_menu = menu(dupond, "/espace-client/")
    assert "Commandes" in dupond_menu and "Procédures et notices" in dupond_menu
    assert "Procédures techniques" not in dupond_menu
    martin_menu = menu(martin, "/espace-client/")
    assert "Commandes" not in martin_menu
    assert "Procédures et notices" in martin_menu
    # The page itself is closed to him too.
    assert client.get(orders.url).status_code == 403
    julie_menu = menu(julie, "/intranet/")
    assert "Procédures techniques" in julie_menu and "Consignes de sécurité" in julie_menu
    assert "Procédures et notices" not in julie_menu


def test_headless_api_serves_only_public_content(client, content, dupond, admin_user):
    for user in (None, dupond, admin_user):
        if user:
            client.force_login(user)
        pages = client.get("/api/cms/v2/pages/?limit=100").json()
        ids = {item["id"] for item in pages["items"]}
        assert content["public"].pk in ids
        assert content["clients"].pk not in ids
        assert content["technicians"].pk not in ids
        assert not ids & set(ExtranetHomePage.objects.values_list("pk", flat=True))
        assert client.get(f"/api/cms/v2/pages/{content['clients'].pk}/").status_code == 404
        documents = client.get("/api/cms/v2/documents/").json()
        restricted = {content[a].documents.first().document_id for a in ("clients",
                                                                           "technicians")}
        assert not {item["id"] for item in documents["items"]} & restricted
        assert client.get(
            f"/api/cms/v2/documents/{content['technicians'].documents.first().document_id}/"
        ).status_code == 404


@pytest.mark.parametrize("who,sees_clients,sees_technicians", [
    ("anonymous", False, False), ("dupond", True, False), ("julie", False, True),
])
def test_search_shows_only_what_the_user_may_see(who, sees_clients, sees_technicians,
                                                 request, client, content):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    html = client.get("/recherche/?q=chaudière").content.decode()
    assert ("Relever le compteur" in html) is sees_clients
    assert ("Entretien annuel" in html) is sees_technicians


def test_procedure_library_search(client, content, dupond):
    client.force_login(dupond)
    html = client.get("/espace-client/procedures/?q=radiateur").content.decode()
    assert "Purger un radiateur" in html
    assert "Demander une intervention" not in html


def test_editor_publishes_a_page_through_the_admin(client, content, admin_user, dupond, julie):
    intranet = IntranetHomePage.objects.get()
    client.force_login(admin_user)
    response = client.post(
        f"/admin/pages/add/cms/standardpage/{intranet.pk}/",
        {"title": "Astreinte de Noël", "slug": "astreinte-noel", "intro-count": "0",
         "show_in_menus": "on", "action-publish": "action-publish"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Page.objects.get(slug="astreinte-noel")
    assert page.live
    client.force_login(julie)
    assert client.get("/intranet/astreinte-noel/").status_code == 200
    assert "Astreinte de Noël" in client.get("/intranet/").content.decode()
    client.force_login(dupond)
    assert client.get("/intranet/astreinte-noel/").status_code == 403


def test_disallowed_upload_type_is_refused_naming_the_allowed_types(client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    response = client.post("/admin/documents/multiple/add/", {
        "files[]": SimpleUploadedFile("piege.svg", b"<svg onload='alert(1)'/>",
                                      content_type="image/svg+xml"),
    }, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    body = response.json()
    assert body["success"] is False
    assert "pdf" in body["error_message"] and "docx" in body["error_message"]
