"""Hardening (issue 11): OPTIONS on every API route, throttling, the oversized body, security
headers and `check --deploy`."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from tests.api_helpers import assert_error

# OPTIONS on every API route, for every role -------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        else:
            yield route


def _sample_path(route: str) -> str:
    """A path that the route matches: every parameter (converter or regex group) is 1."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)
    # An unnamed group: the API's catch-all for unknown paths (a 404 in the error shape).
    path = re.sub(r"\([^)]*\)\??", UNKNOWN, path)
    return "/" + path.replace("^", "").replace("$", "")


def api_routes() -> list[str]:
    """Every route of the API, from the URLconf (so that a new endpoint is covered at once):
    the portal API, the CMS API, the Wagtail admin API, the schema and its docs."""
    routes = {_sample_path(route) for route in _walk(get_resolver().url_patterns)
              if route.startswith(("api/", "admin/api/"))}
    return sorted(routes)


UNKNOWN = "chemin-inconnu/"
ROLES = ["dupond", "martin", "other_manager", "julie", "team_lead", "dispatcher",
         "sales_admin", "administrator", "staff_without_role"]


def test_the_route_list_covers_the_api():
    routes = api_routes()
    assert "/api/v1/orders/1/lines/1/" in routes
    assert "/api/v1/me/" in routes
    assert "/api/cms/v2/pages/" in routes
    assert len(routes) > 50


@pytest.mark.parametrize("role", ROLES)
def test_options_on_every_route_answers_allow_for_every_role(request, api_as, role):
    client = api_as(request.getfixturevalue(role))
    failures = []
    for path in api_routes():
        response = client.options(path)
        if path.endswith(UNKNOWN):
            assert_error(response, 404)
            continue
        if response.status_code != 200 or not response.has_header("Allow"):
            failures.append((path, response.status_code))
            continue
        assert "OPTIONS" in response["Allow"], path
        if path.startswith("/api/v1/"):
            body = response.json()
            # The endpoint's description, never data: no object, no field values.
            assert set(body) == {"name", "description", "renders", "parses"}, path
    # The Wagtail admin's API is for the admin only: a client is refused, never a 500.
    assert all(path.startswith("/admin/api/") and status in (302, 403)
               for path, status in failures), failures


def test_options_answers_the_same_for_another_companys_id(api_as, martin, other_company):
    from portal_api.service.factories import TicketFactory

    foreign = TicketFactory(site__client_account=other_company)
    client = api_as(martin)
    mine = client.options("/api/v1/tickets/999999/")
    theirs = client.options(f"/api/v1/tickets/{foreign.pk}/")
    assert mine.status_code == theirs.status_code == 200
    assert mine.json() == theirs.json()
    assert mine["Allow"] == theirs["Allow"]


def test_options_anonymous_never_500(api_client, db):
    for path in api_routes():
        response = api_client.options(path)
        assert response.status_code < 500, path
        if path.startswith("/api/v1/"):
            assert_error(response, 404 if path.endswith(UNKNOWN) else 401)


# Rate limits: a 429 with Retry-After on each scope ------------------------------------------


@pytest.fixture
def rates(settings):
    """Tiny rates for the scopes a test names (the others keep theirs)."""

    def set_rates(**rates):
        rest = dict(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"] = {**rest["DEFAULT_THROTTLE_RATES"], **rates}
        settings.REST_FRAMEWORK = rest

    return set_rates


def assert_throttled(response) -> dict:
    error = assert_error(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Trop de requêtes" in error["message"]
    return error


def test_every_call_of_a_user_is_counted(api_as, dupond, rates):
    rates(user="3/minute")
    client = api_as(dupond)
    for _ in range(3):
        assert client.get("/api/v1/me/").status_code == 200
    assert_throttled(client.get("/api/v1/me/"))


def test_every_call_of_an_anonymous_ip_is_counted(api_client, db, rates):
    rates(anon="2/minute")
    for _ in range(2):
        assert api_client.get("/api/cms/v2/pages/").status_code != 429
    assert_throttled(api_client.get("/api/cms/v2/pages/"))
    # Another address is not slowed down by this one.
    assert api_client.get("/api/cms/v2/pages/", REMOTE_ADDR="10.9.8.7").status_code != 429


def test_an_x_forwarded_for_header_does_not_change_the_address(api_client, db, rates):
    rates(anon="2/minute")
    for n in range(2):
        api_client.get("/api/cms/v2/pages/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert_throttled(api_client.get("/api/cms/v2/pages/",
                                    HTTP_X_FORWARDED_FOR="203.0.113.99"))


def test_ticket_creation_has_its_own_stricter_rate(api_as, martin, rates):
    rates(ticket_create="2/hour")
    client = api_as(martin)
    for _ in range(2):
        assert client.post("/api/v1/tickets/", {}, format="json").status_code == 400
    assert_throttled(client.post("/api/v1/tickets/", {}, format="json"))
    # Reading the list is not the scope's.
    assert client.get("/api/v1/tickets/").status_code == 200


def test_uploads_have_their_own_stricter_rate(api_as, julie, rates):
    from portal_api.service.factories import InterventionFactory

    rates(upload="2/hour")
    intervention = InterventionFactory(technicians=[julie])
    client = api_as(julie)
    url = f"/api/v1/interventions/{intervention.pk}/"
    assert client.post(f"{url}documents/", {}, format="multipart").status_code == 400
    assert client.post(f"{url}expenses/", {}, format="multipart").status_code == 400
    assert_throttled(client.post(f"{url}documents/", {}, format="multipart"))
    assert_throttled(client.post(f"{url}expenses/", {}, format="multipart"))
    assert client.get(url).status_code == 200


def test_invitations_have_their_own_stricter_rate(api_as, other_manager, rates,
                                                 django_capture_on_commit_callbacks):
    from django.core import mail

    rates(invitation="2/hour")
    client = api_as(other_manager)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            response = client.post("/api/v1/colleagues/", {
                "email": f"nouveau{n}@client-exemple.fr", "last_name": "Nouveau"},
                format="json")
            assert response.status_code in (201, 202), response.content
        assert_throttled(client.post("/api/v1/colleagues/", {
            "email": "nouveau9@client-exemple.fr", "last_name": "Nouveau"}, format="json"))
    assert len(mail.outbox) == 2


def test_wrong_tokens_are_counted_per_address(api_client, dupond, rates):
    from rest_framework.authtoken.models import Token

    rates(token_failure="2/hour")
    for n in range(2):
        assert_error(api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token faux{n}"), 401)
    assert_throttled(api_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token faux9"))
    # Past the rate even a right token waits: guessing cannot go on.
    token = Token.objects.create(user=dupond)
    assert_throttled(api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}"))
    # From another address the right token works; a session is not counted.
    assert api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}",
                          REMOTE_ADDR="10.1.2.3").status_code == 200


def test_failed_logins_are_counted_per_address(client, dupond, martin, dispatcher, rates):
    from portal_api.accounts.factories import DEMO_PASSWORD

    rates(login="2/hour")
    # Two failures on two accounts (neither is locked by axes)...
    client.post("/connexion/", {"username": dupond.email, "password": "faux"})
    client.post("/admin/login/", {"username": dispatcher.email, "password": "faux"})
    # ...and the address is slowed down, on both forms, whatever the account.
    for url in ("/connexion/", "/admin/login/"):
        response = client.post(url, {"username": martin.email, "password": DEMO_PASSWORD})
        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 3600
        content = response.content.decode()
        assert "Trop de tentatives de connexion ont échoué depuis votre adresse" in content
        assert "_auth_user_id" not in client.session
    # Another address logs in.
    response = client.post("/connexion/", {"username": martin.email, "password": DEMO_PASSWORD},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


def test_password_resets_are_counted_per_address_and_per_ip(client, dupond, rates):
    from django.core import mail

    rates(password_reset="2/hour")
    for n in range(2):
        response = client.post("/mot-de-passe/oublie/", {"email": dupond.email.upper()},
                               REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
    # The same address from a third network: refused, and no third e-mail.
    response = client.post("/mot-de-passe/oublie/", {"email": f" {dupond.email}"},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Trop de demandes de réinitialisation" in response.content.decode()
    assert len(mail.outbox) == 2
    # One network asking for many addresses is slowed down too, on the admin's form as well.
    for n in range(2):
        client.post("/admin/password_reset/", {"email": f"x{n}@example.fr"},
                    REMOTE_ADDR="10.0.1.1")
    assert client.post("/mot-de-passe/oublie/", {"email": "y@example.fr"},
                       REMOTE_ADDR="10.0.1.1").status_code == 429


# Security headers ---------------------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


@pytest.fixture
def pages(db):
    from cms.services import portal_pages_ensure

    return portal_pages_ensure()


@pytest.mark.parametrize("path, user", [
    ("/connexion/", None), ("/", None), ("/espace-client/", "dupond"),
    ("/intranet/", "julie"), ("/mot-de-passe/oublie/", None), ("/page-inconnue/", None),
    ("/api/docs/", "dupond"),
])
def test_every_page_has_a_strict_csp_with_a_nonce(request, client, pages, path, user):
    import re

    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    # Scripts and styles: our origin, and inline ones only with this response's nonce.
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-"):-1]
    content = response.content.decode()
    inline = re.findall(r"<(script|style)\b(?![^>]*\bsrc=)([^>]*)>", content)
    assert inline, "every page has inline styles or an import map"
    for tag, attributes in inline:
        assert f'nonce="{nonce}"' in attributes, (tag, attributes)


def test_the_nonce_changes_with_every_response(client, pages):
    first = _directives(client.get("/connexion/")["Content-Security-Policy"])["script-src"]
    second = _directives(client.get("/connexion/")["Content-Security-Policy"])["script-src"]
    assert first != second


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/"])
def test_the_admin_has_its_own_policy_inline_code_only(client, pages, administrator, path):
    # Wagtail prints inline scripts that no nonce reaches (see settings): inline code is
    # allowed there, nothing from another origin, no eval.
    client.force_login(administrator)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["default-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("path", ["/connexion/", "/api/v1/me/", "/admin/login/"])
def test_other_security_headers(client, pages, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Content-Security-Policy"]


def test_hsts_is_long_and_configurable_in_production():
    import os
    import subprocess
    import sys

    code = ("from django.conf import settings; "
            "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SECURE_HSTS")},
           **PRODUCTION_ENV}
    default = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                             env=env, capture_output=True, text=True, check=True)
    assert default.stdout.split() == ["31536000", "True"]
    short = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"],
                           env={**env, "SECURE_HSTS_SECONDS": "300"}, capture_output=True,
                           text=True, check=True)
    assert short.stdout.split()[0] == "300"


# `manage.py check --deploy` under the production settings ----------------------------------

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    # A real-looking key (check --deploy refuses short or "django-insecure" ones).
    "SECRET_KEY": "Zx8-pQ2rT6vY1uI5oP9aS3dF7gH0jK4lZ8xC2vB6nM1qW5eR9tY3uI7oP1aS5dF9gH3",
    "ALLOWED_HOSTS": "portail.example.fr",
    "DATABASE_URL": "sqlite:////tmp/atelier-check-deploy.sqlite3",
}


def test_check_deploy_under_production_settings_raises_no_security_warning():
    """No warning of Django's security checks (security.W*/E*). The schema warnings of
    drf-spectacular that `check --deploy` also prints are another check's business (the
    OpenAPI schema's own tests), so only the security ids are asserted here."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    env = {key: value for key, value in os.environ.items()
           if key not in ("DEBUG", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root, env={**env, **PRODUCTION_ENV}, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert "security." not in output, output
    assert "csp." not in output and "axes." not in output, output
