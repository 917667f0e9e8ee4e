"""The Content-Security-Policy in the browser (issue 11): the Wagtail admin (listings, the page
editor) and the API's docs work under their policies. Every other journey runs under the
site's policy too: conftest.py's `page` fails a test on any violation."""

import re

import pytest
from playwright.sync_api import expect

from portal_api.accounts.factories import DEMO_PASSWORD

from .test_vertical_slice import log_in

ADMIN_PAGES = ["/admin/", "/admin/pages/", "/admin/images/", "/admin/documents/",
               "/admin/users/", "/admin/snippets/", "/admin/reports/site-history/"]


@pytest.fixture
def desktop_only(page):
    if page.viewport_name == "phone":
        pytest.skip("the back office and the API docs are used on a computer")


def test_the_admin_and_its_page_editor_work_under_the_admin_policy(
    page, desktop_only, portal_pages,
):
    from portal_api.accounts.models import User

    # A superuser: this is about the policy, not about the roles' page permissions.
    admin = User.objects.create_superuser("chef@atelier-portal.fr", DEMO_PASSWORD)
    page.goto("/admin/login/")
    page.fill("input[name=username]", f" {admin.email.upper()}")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    for path in ADMIN_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    # The page editor: Draftail, choosers, date pickers (Wagtail's inline scripts).
    page.goto(f"/admin/pages/{portal_pages.pk}/edit/")
    expect(page.locator("#id_title")).to_be_visible()
    page.wait_for_load_state("networkidle")


def test_the_api_docs_work_under_the_site_policy(page, desktop_only, portal_pages, dupond):
    log_in(page, dupond.email)
    expect(page).to_have_url(re.compile(r"/espace-client/$"))
    response = page.goto("/api/docs/")
    assert "'nonce-" in response.headers["content-security-policy"]
    # Swagger UI ran (its inline start-up script has the nonce) and read the schema.
    expect(page.locator(".swagger-ui .information-container")).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
