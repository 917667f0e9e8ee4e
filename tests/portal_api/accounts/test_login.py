"""The portal's login page: landing by kind of user, clear refusals, lockout, logout."""

import html

import pytest
from axes.models import AccessAttempt

from cms.services import portal_pages_ensure
from portal_api.accounts.factories import DEMO_PASSWORD, UserFactory

LOGIN = "/connexion/"
WRONG = "Adresse e-mail ou mot de passe incorrect"


@pytest.fixture(autouse=True)
def pages(db):
    return portal_pages_ensure()


def login(client, email, password=DEMO_PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def test_login_page_is_french_and_branded(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Connexion au portail" in content
    assert 'lang="fr"' in content


def test_client_lands_on_the_extranet(client, dupond):
    response = login(client, "dupond@dupond-industrie.fr", follow=True)
    assert response.redirect_chain[-1][0] == "/espace-client/"
    assert response.status_code == 200
    assert b"<portal-me" in response.content


def test_email_is_case_insensitive(client, dupond):
    response = login(client, "DUPOND@Dupond-Industrie.fr")
    assert response.status_code == 302


def test_technician_lands_on_the_intranet(client, julie):
    response = login(client, julie.email, follow=True)
    assert response.redirect_chain[-1][0] == "/intranet/"
    assert response.status_code == 200


def test_staff_who_are_not_technicians_get_no_intranet(client, dispatcher):
    response = login(client, dispatcher.email)
    assert response["Location"].endswith("/admin/")
    assert client.get("/intranet/").status_code == 403


def test_client_gets_403_on_the_intranet_and_technician_on_the_extranet(client, dupond, julie):
    client.force_login(dupond)
    assert client.get("/intranet/").status_code == 403
    client.force_login(julie)
    assert client.get("/espace-client/").status_code == 403


def test_anonymous_is_sent_to_login_and_back(client, dupond):
    response = client.get("/espace-client/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/?next=/espace-client/"
    response = client.post(response["Location"], {"username": dupond.email,
                                                  "password": DEMO_PASSWORD})
    assert response["Location"] == "/espace-client/"


@pytest.mark.parametrize("email,password", [
    ("inconnu@example.fr", DEMO_PASSWORD),
    ("dupond@dupond-industrie.fr", "pas-le-bon-mot-de-passe"),
])
def test_bad_login_says_the_same_thing_whatever_was_wrong(client, dupond, email, password):
    response = login(client, email, password)
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_missing_fields_are_named(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    content = response.content.decode()
    assert response.status_code == 200
    # Each field carries its own error, under its label.
    assert content.count('class="field field--error"') == 2
    assert content.count("Champ requis") == 2


def test_locked_out_after_five_failures(client, dupond):
    for _ in range(4):
        assert login(client, dupond.email, "mauvais-mot-de-passe").status_code == 200
    assert login(client, dupond.email, "mauvais-mot-de-passe").status_code == 429
    response = login(client, dupond.email)  # even the right password now
    assert response.status_code == 429
    assert "bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username=dupond.email).exists()


def test_admin_login_is_protected_too(client, dispatcher):
    for _ in range(5):
        client.post("/admin/login/", {"username": dispatcher.email, "password": "mauvais"})
    response = client.post("/admin/login/", {"username": dispatcher.email,
                                              "password": DEMO_PASSWORD})
    assert response.status_code == 429


def test_user_without_portal_access_is_told_why(client, db):
    UserFactory(email="sans.acces@example.fr")
    response = login(client, "sans.acces@example.fr")
    assert "pas d'accès au portail" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_user_of_an_inactive_company_is_told_why(client, dupond, dupond_company):
    dupond_company.active = False
    dupond_company.save()
    response = login(client, dupond.email)
    assert "suspendu" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout(client, dupond):
    client.force_login(dupond)
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == "/connexion/"
    assert client.get("/espace-client/").status_code == 302


def test_english_login_page(client, db):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="en"' in response.content.decode()


# One lockout per account whatever the spelling of the address (issue 11) ------------------

SPELLINGS = ["dupond@dupond-industrie.fr", "DUPOND@dupond-industrie.fr",
             " Dupond@Dupond-Industrie.FR", "dupond@DUPOND-INDUSTRIE.fr ",
             "DuPoNd@dupond-industrie.fr"]


def test_failures_under_different_spellings_lock_the_one_account(client, dupond):
    for spelling in SPELLINGS[:4]:
        assert login(client, spelling, "mauvais-mot-de-passe").status_code == 200
    # The fifth failure, under a fifth spelling, locks the account...
    assert login(client, SPELLINGS[4], "mauvais-mot-de-passe").status_code == 429
    # ...for every spelling, even with the right password.
    for spelling in SPELLINGS:
        response = login(client, spelling)
        assert response.status_code == 429, spelling
        assert "_auth_user_id" not in client.session
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [dupond.email]


def test_admin_login_locks_by_any_spelling_too(client, dispatcher):
    spellings = [dispatcher.email.upper(), f"  {dispatcher.email}", dispatcher.email.title(),
                 dispatcher.email.capitalize(), f"{dispatcher.email.upper()} "]
    for spelling in spellings:
        client.post("/admin/login/", {"username": spelling, "password": "mauvais"})
    for spelling in [dispatcher.email, dispatcher.email.upper()]:
        response = client.post("/admin/login/", {"username": spelling,
                                                  "password": DEMO_PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session


def test_portal_and_admin_failures_add_up(client, dispatcher):
    for _ in range(3):
        client.post("/admin/login/", {"username": dispatcher.email.upper(), "password": "x"})
    for _ in range(2):
        login(client, f" {dispatcher.email.title()}", "mauvais-mot-de-passe")
    assert login(client, dispatcher.email).status_code == 429


def test_a_capitalised_spelling_logs_in_and_resets_the_failures(client, dupond):
    for _ in range(3):
        login(client, dupond.email, "mauvais-mot-de-passe")
    assert login(client, " DUPOND@Dupond-Industrie.fr ").status_code == 302
    assert not AccessAttempt.objects.filter(username=dupond.email).exists()


def test_admin_login_accepts_any_spelling(client, dispatcher):
    response = client.post("/admin/login/", {"username": f" {dispatcher.email.upper()}",
                                              "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(dispatcher.pk)
