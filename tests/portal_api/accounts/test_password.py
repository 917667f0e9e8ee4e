"""Password reset by e-mail and password change."""

import re

import pytest
from django.core import mail

from cms.services import portal_pages_ensure
from portal_api.accounts.factories import DEMO_PASSWORD

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


@pytest.fixture(autouse=True)
def pages(db):
    portal_pages_ensure()


def reset_link(client, email):
    response = client.post("/mot-de-passe/oublie/", {"email": email})
    assert response["Location"] == "/mot-de-passe/oublie/envoye/"
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+/)", mail.outbox[0].body).group(1)


def test_reset_by_email_then_log_in_with_the_new_password(client, dupond):
    link = reset_link(client, "dupond@dupond-industrie.fr")
    assert mail.outbox[0].to == ["dupond@dupond-industrie.fr"]
    assert "mot de passe" in mail.outbox[0].subject.lower()
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": NEW_PASSWORD,
                                      "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/mot-de-passe/nouveau/termine/"
    response = client.post("/connexion/", {"username": "dupond@dupond-industrie.fr",
                                           "password": NEW_PASSWORD})
    assert response["Location"] == "/espace-client/"
    # The link served once: it is no longer valid.
    client.logout()
    html = client.get(link, follow=True).content.decode()
    assert "Lien invalide ou expiré" in html
    assert "/mot-de-passe/oublie/" in html


def test_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = client.post("/mot-de-passe/oublie/", {"email": "personne@example.fr"})
    assert response["Location"] == "/mot-de-passe/oublie/envoye/"
    assert mail.outbox == []


def test_wrong_link_says_so_and_offers_a_new_one(client, db):
    html = client.get("/mot-de-passe/nouveau/MQ/mauvais-jeton/").content.decode()
    assert "Lien invalide ou expiré" in html
    assert "Demander un nouveau lien" in html


def test_weak_new_password_is_refused_naming_the_field(client, dupond):
    form_url = client.get(reset_link(client, dupond.email))["Location"]
    response = client.post(form_url, {"new_password1": "court", "new_password2": "court"})
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()
    dupond.refresh_from_db()
    assert dupond.check_password(DEMO_PASSWORD)


def test_password_change(client, martin):
    client.force_login(martin)
    response = client.post("/mot-de-passe/changer/", {
        "old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    })
    assert response["Location"] == "/mot-de-passe/change/"
    martin.refresh_from_db()
    assert martin.check_password(NEW_PASSWORD)
    assert client.get("/mot-de-passe/changer/").status_code == 200  # still logged in


def test_password_change_needs_a_login(client, db):
    assert client.get("/mot-de-passe/changer/")["Location"].startswith("/connexion/")
